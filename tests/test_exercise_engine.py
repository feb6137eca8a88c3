"""crmlib.exercises: every question kind, every verdict, the rule that a
verdict never reveals the expected answer, and the rule that every text a
student reads exists in both languages."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import exercises, language
from crmlib.exercises import (
    CheckResult,
    UnknownQuestionError,
    check,
    choice,
    discussion,
    evaluate,
    frame,
    integer,
    mistake,
    normalize_text,
    numeric,
    text,
)


def verdict(question, answer, language="en"):
    return evaluate(question, answer, language)


# ---------------------------------------------------------------- results
def test_result_shows_one_verdict_line_and_is_truthy_when_passed():
    result = verdict(integer("ch99.q1", 7), 7)
    assert isinstance(result, CheckResult)
    assert result.passed and bool(result)
    assert repr(result) == "✅ ch99.q1 — correct."
    assert result._repr_markdown_() == "✅ ch99.q1 — correct."


def test_failed_result_says_not_yet_and_gives_the_hint():
    result = verdict(integer("ch99.q1", 7, hint={"en": "count the rows", "zh": "数一数行数"}), 5)
    assert not result
    assert result.message.startswith("❌ ch99.q1 — not yet: ")
    assert result.message.endswith("Hint: count the rows")


@pytest.mark.parametrize("blank", [..., None, "", "   "])
@pytest.mark.parametrize(
    "question",
    [
        numeric("ch99.q1", 0.5),
        integer("ch99.q2", 3),
        choice("ch99.q3", "B"),
        text("ch99.q4", ["frequency"]),
        frame("ch99.q5", pd.DataFrame({"a": [1]})),
        discussion("ch99.q6", [{"en": "a point", "zh": "一个要点"}]),
    ],
    ids=lambda q: q.kind,
)
def test_blank_answer_is_not_answered_yet(question, blank):
    result = verdict(question, blank)
    assert not result.passed
    assert "not answered yet" in result.message


def test_same_answer_gives_the_same_text_twice():
    question = numeric("ch99.q1", lambda: 0.25, wrong=[0.75])
    assert repr(verdict(question, 0.3)) == repr(verdict(question, 0.3))


# ---------------------------------------------------------------- numeric
def test_numeric_expected_callable_is_computed_once():
    calls = []

    def expected():
        calls.append(1)
        return 0.25

    question = numeric("ch99.q1", expected)
    for answer in (0.25, 0.3, 25):
        verdict(question, answer)
    assert calls == [1]


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (0.2500001, "correct"),
        (np.float64(0.25), "correct"),
        (25, "off by a factor of 100 (percent vs fraction?)"),
        (-0.25, "wrong sign"),
        (0.3, "right magnitude but not close enough"),
        (0.9, "more than twice"),
        (0.01, "less than half"),
        ("0.25", "got the text '0.25': remove the quotes"),
        ("a quarter", "expected a single number, got the text"),
        (pd.Series([0.25]), "got a pandas Series of length 1: take the number out"),
        (pd.Series([0.1, 0.2]), "got a pandas Series of length 2: aggregate it first"),
        (pd.DataFrame({"x": [1, 2]}), "got a DataFrame with 2 rows and 1 columns"),
        (True, "got a True/False value"),
        (float("nan"), "NaN"),
        (len, "forget the brackets"),
    ],
)
def test_numeric_verdicts_name_the_slip(answer, phrase):
    result = verdict(numeric("ch99.q1", 0.25), answer)
    assert result.passed == (phrase == "correct")
    assert phrase in result.message


def test_numeric_percent_expected_and_fraction_given():
    result = verdict(numeric("ch99.q1", 35.0), 0.35)
    assert "factor of 100" in result.message and "percentage" in result.message


def test_numeric_tolerance_rel_and_abs():
    assert verdict(numeric("ch99.q1", 100.0, rel=0.01), 100.9).passed
    assert not verdict(numeric("ch99.q1", 100.0, rel=0.01), 101.5).passed
    assert verdict(numeric("ch99.q1", 0.0, abs=0.01), 0.005).passed
    assert verdict(numeric("ch99.q1", 0.0), 0.0).passed


def test_declared_mistake_gives_its_own_explanation():
    because = {"en": "that is the share who came back", "zh": "这是回头客的比例。"}
    question = numeric("ch99.q1", 0.6, wrong=[mistake(0.4, because=because)])
    assert "not yet: that is the share who came back." in verdict(question, 0.4).message
    assert "还不对：这是回头客的比例。" in verdict(question, 0.4, "zh").message


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=1e-3, max_value=1e6, allow_nan=False),
    st.floats(min_value=-1e7, max_value=1e7, allow_nan=False),
)
def test_numeric_never_reveals_the_expected_value(expected, answer):
    result = verdict(numeric("ch99.q1", expected, hint={"en": "think", "zh": "想一想"}), answer)
    shown = {repr(expected), str(expected), f"{expected:g}", f"{expected:.2f}", f"{expected:.4f}"}
    stripped = result.message.replace(repr(answer), "")
    assert not any(s in stripped for s in shown if len(s) > 3)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False), st.floats(min_value=-5e-5, max_value=5e-5))
def test_numeric_accepts_within_default_tolerance_and_flags_percent(expected, jitter):
    question = numeric("ch99.q1", expected)
    assert verdict(question, expected * (1 + jitter)).passed
    assert "factor of 100" in verdict(question, expected * 100).message


# ---------------------------------------------------------------- integer
@pytest.mark.parametrize(
    "answer, phrase",
    [
        (2357, "correct"),
        (2357.0, "correct"),
        (np.int64(2357), "correct"),
        (2358, "off by one"),
        (2300, "count must be exact"),
        (6919, "more than twice"),
        (1000, "less than half"),
        (2357.5, "expected a whole number"),
        (pd.Series([1, 2]), "aggregate it first"),
    ],
)
def test_integer_is_exact(answer, phrase):
    result = verdict(integer("ch99.q1", 2357), answer)
    assert result.passed == (phrase == "correct")
    assert phrase in result.message


# ---------------------------------------------------------------- choice
@pytest.mark.parametrize("answer", ["c", " C ", "Ｃ", ["c"], "(C)"])
def test_single_choice_ignores_case_space_and_full_width(answer):
    assert verdict(choice("ch99.q1", "C", options="ABCDE"), answer).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ("B", "not the right one"),
        ("B, C", "choose one option only"),
        ("Z", "Z is not an option here (options: A, B, C, D, E)"),
        (3, "option letter"),
    ],
)
def test_single_choice_wrong(answer, phrase):
    result = verdict(choice("ch99.q1", "C", options="ABCDE"), answer)
    assert not result.passed and phrase in result.message


@pytest.mark.parametrize("answer", ["b, d", "D B", "bd", ["D", "b"], {"B", "D"}, "B and D", "Ｂ、Ｄ"])
def test_multiple_choice_ignores_order(answer):
    assert verdict(choice("ch99.q1", ["B", "D"], options="ABCDE"), answer).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        ("B", "one correct option is missing"),
        ("B D E", "includes a wrong option"),
        ("A B D E", "includes 2 wrong options"),
        ("A B", "includes a wrong option and misses a correct one"),
    ],
)
def test_multiple_choice_says_missing_or_extra_without_naming(answer, phrase):
    result = verdict(choice("ch99.q1", ["B", "D"], options="ABCDE"), answer)
    assert not result.passed and phrase in result.message
    assert "D" not in result.message.split("—", 1)[1].replace("Hint", "")


def test_choice_correct_can_be_computed():
    question = choice("ch99.q1", lambda: ["A", "C"], options="ABC")
    assert verdict(question, "ac").passed
    assert "missing" in verdict(question, "a").message


def test_choice_rejects_a_correct_letter_that_is_not_an_option():
    with pytest.raises(ValueError, match="must be among"):
        choice("ch99.q1", "F", options="ABCD")


# ---------------------------------------------------------------- text
def test_normalize_text_folds_case_width_punctuation_and_space():
    assert normalize_text("Customer  Retention!") == "customer retention"
    assert normalize_text("ＣＵＳＴＯＭＥＲ　ＲＥＴＥＮＴＩＯＮ") == "customer retention"
    assert normalize_text("客户保留。") == "客户保留"


@pytest.mark.parametrize("answer", ["Frequency", " FREQUENCY. ", "ｆｒｅｑｕｅｎｃｙ", "频率", "频 率。"])
def test_text_accepts_normalised_answers(answer):
    assert verdict(text("ch99.q1", ["frequency", "频率"]), answer).passed


def test_text_keywords_in_english_or_chinese():
    question = text("ch99.q1", keywords=[("retention", "保留", "留存"), ("customer", "顾客", "客户")])
    assert verdict(question, "Customer retention").passed
    assert verdict(question, "客户留存率").passed
    result = verdict(question, "customer acquisition")
    assert not result.passed and "1 of 2 key ideas found" in result.message


def test_text_wrong_type():
    assert "expected a short text answer" in verdict(text("ch99.q1", ["x"]), 3).message


# ---------------------------------------------------------------- frame
@pytest.fixture
def segments():
    return pd.DataFrame({"segment": ["a", "b", "c"], "customers": [30, 20, 10], "share": [0.5, 1 / 3, 1 / 6]})


def test_frame_ignores_order_index_and_extra_columns(segments):
    question = frame("ch99.q1", segments, key="segment")
    shuffled = segments.iloc[[2, 0, 1]].assign(extra=1)
    assert verdict(question, shuffled).passed
    assert verdict(question, segments.set_index("segment")).passed
    assert verdict(question, segments.assign(share=segments["share"] + 1e-9)).passed


def test_frame_names_missing_columns(segments):
    result = verdict(frame("ch99.q1", segments, key="segment"), segments.drop(columns="share"))
    assert "column(s) missing: 'share'" in result.message


def test_frame_row_count_and_values(segments):
    question = frame("ch99.q1", segments, key="segment")
    assert "2 rows is too few" in verdict(question, segments.iloc[:2]).message
    assert "4 rows is too many" in verdict(question, pd.concat([segments, segments.iloc[:1]])).message
    changed = segments.assign(customers=[30, 21, 10])
    assert "values in column 'customers' differ in 1 of 3 rows" in verdict(question, changed).message
    renamed = segments.assign(segment=["a", "b", "z"])
    assert "column 'segment' do not match" in verdict(question, renamed).message


def test_frame_order_matters_when_asked(segments):
    question = frame("ch99.q1", segments, key="segment", ordered=True)
    assert verdict(question, segments).passed
    assert "wrong order" in verdict(question, segments.iloc[::-1]).message


def test_frame_accepts_an_unnamed_series_for_one_value_column(segments):
    question = frame("ch99.q1", segments[["segment", "customers"]], key="segment")
    assert verdict(question, pd.Series([10, 30, 20], index=["c", "a", "b"])).passed
    assert verdict(question, segments.set_index("segment")["customers"].rename("count")).passed
    assert "expected a DataFrame or Series" in verdict(question, 60).message


def test_frame_numeric_keys_compare_as_numbers():
    expected = pd.DataFrame({"k": [1, 2, 10], "v": [1.0, 2.0, 3.0]})
    answer = pd.DataFrame({"k": [10.0, 1.0, 2.0], "v": [3.0, 1.0, 2.0]})
    assert verdict(frame("ch99.q1", expected, key="k"), answer).passed


# ---------------------------------------------------------------- discussion
def test_discussion_counts_words_or_chinese_characters():
    question = discussion(
        "ch99.q1",
        [{"en": "names both sides", "zh": "说出双方"}, {"en": "gives an example", "zh": "举例"}],
        min_words=10,
        min_chars=20,
    )
    short = verdict(question, "CRM is software.")
    assert not short.passed and "too short (3 words): write at least 10 words" in short.message
    english = verdict(
        question, "CRM is a strategy to build long relationships that add value for both sides."
    )
    assert english.passed and english.checklist == ("names both sides", "gives an example")
    assert "ready for self-assessment (14 words)" in english.message
    chinese = verdict(question, "客户关系管理是以客户为中心、为双方创造长期价值的经营战略。", "zh")
    assert chinese.passed and "27 个字" in chinese.message and chinese.checklist[1] == "举例"
    assert "- gives an example" in english._repr_markdown_()
    assert "expected your written answer" in verdict(question, 42).message


# ---------------------------------------------------------------- languages
def test_language_follows_the_course_setting():
    question = integer("ch99.q1", 3, hint={"en": "count", "zh": "数一数"})
    before = language.get_language()
    try:
        language.set_language("zh")
        assert evaluate(question, 3).message == "✅ ch99.q1 — 正确。"
        assert evaluate(question, 4).message.endswith("。提示：数一数")
        language.set_language("en")
        assert evaluate(question, 3).message == "✅ ch99.q1 — correct."
    finally:
        language.set_language(before)


@pytest.mark.parametrize(
    "build",
    [
        lambda: integer("ch99.q1", 3, hint="count the rows"),
        lambda: integer("ch99.q1", 3, hint={"en": "count the rows"}),
        lambda: integer("ch99.q1", 3, hint={"en": "count the rows", "zh": " "}),
        lambda: mistake(4, because="off by one"),
        lambda: discussion("ch99.q1", ["names both sides"]),
        lambda: integer("ch99.q1", 3, hint={"en": "count", "zh": "数一数", "fr": "compter"}),
    ],
    ids=["str-hint", "no-zh", "blank-zh", "str-because", "str-checklist", "extra-language"],
)
def test_a_text_in_one_language_is_refused_when_the_bank_is_written(build):
    with pytest.raises(ValueError, match=r"every language|no zh text|unknown languages"):
        build()


# ---------------------------------------------------------------- registry
def test_unknown_id_lists_the_nearest_known_ids():
    with pytest.raises(UnknownQuestionError, match=r"no question 'ch00\.q12'; nearest known ids: ch00\.q2"):
        check("ch00.q12", 3)
    with pytest.raises(UnknownQuestionError, match=r"known ids start with ch00\."):
        check("zzz", 3)


def test_registry_finds_one_bank_per_chapter_file():
    from pathlib import Path

    folder = Path(exercises.banks.__file__).parent
    files = sorted(p.stem for p in folder.glob("ch[0-9][0-9].py"))
    assert exercises.chapters() == files
    ids = [q.id for q in exercises.all_questions()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"ch\d\d\.[A-Za-z0-9_.-]+", i) for i in ids)


def test_question_ids_must_look_like_chapter_dot_name():
    with pytest.raises(ValueError, match=r"must look like 'ch00\.q1'"):
        integer("q1", 3)


# ---------------------------------------------------------------- answers of strange forms
@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (10**400, "not yet: the number is too large to compare: check the calculation."),
        ([[[1, 2]], [[3]]], "not yet: expected a single number, got a list of length 2"),
        (b"42", "not yet: expected a single number, got a value of type bytes."),
        (complex(1, 2), "not yet: expected a single number, got the number (1+2j)."),
    ],
)
def test_strange_numeric_answers_get_a_verdict_on_their_form(answer, said):
    result = verdict(numeric("ch99.q1", 0.5), answer)
    assert not result.passed and said in result.message


def test_a_table_with_repeated_column_names_is_told_so():
    expected = pd.DataFrame({"k": [1, 2], "v": [3.0, 4.0]})
    answer = pd.DataFrame([[1, 3.0, 3.0], [2, 4.0, 4.0]], columns=["k", "v", "v"])
    result = verdict(frame("ch99.q1", expected, key="k"), answer)
    assert "the answer repeats the column names 'v': give each column its own name" in result.message
    chinese = verdict(frame("ch99.q1", expected, key="k"), answer, "zh")
    assert "答案中的列名 'v' 重复了" in chinese.message


def test_an_answer_that_breaks_the_grader_gets_a_verdict_not_a_traceback():
    class Unreadable:
        def __repr__(self):
            raise RuntimeError("no")

        def __len__(self):
            raise RuntimeError("no")

    result = verdict(frame("ch99.q1", pd.DataFrame({"k": [1]})), Unreadable())
    assert (
        not result.passed
        and "expected a DataFrame or Series, got a value of type Unreadable" in result.message
    )
