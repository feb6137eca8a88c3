"""The exam banks (crmlib.exams): size and kinds per chapter, computed answers, variants, export."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import math
import re
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from crmlib import exams, plots
from crmlib.exams.__main__ import main
from crmlib.language import placeholders

SEEDS = range(6)
ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str):
    """A module of ``tools/`` (the checkers the Chinese exams reuse)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def computational():
    for chapter in exams.CHAPTERS:
        for question in exams.bank(chapter):
            if question.kind == "computational":
                yield question


COMPUTATIONAL = list(computational())


@pytest.mark.parametrize("chapter", exams.CHAPTERS)
def test_every_chapter_has_ten_questions_of_every_kind(chapter):
    questions = exams.bank(chapter)
    assert len(questions) >= exams.MIN_QUESTIONS
    assert {q.kind for q in questions} == set(exams.KINDS)


def test_the_check_refuses_a_chapter_with_fewer_than_ten_questions():
    nine = exams.bank("04")[:9]
    assert {q.kind for q in nine} == set(exams.KINDS)  # every kind is there: only the count is wrong
    with pytest.raises(exams.BankError, match="9 questions; it needs at least 10"):
        exams.check_bank("04", nine)


def test_the_check_refuses_a_missing_kind_and_an_unexplained_wrong_option():
    questions = exams.bank("05")
    no_short = [q for q in questions if q.kind != "short_answer"]
    no_short += [q for q in questions if q.kind == "computational"][: exams.MIN_QUESTIONS - len(no_short)]
    no_short = [dataclasses.replace(q, id=f"ch05.e{i}") for i, q in enumerate(no_short, start=1)]
    with pytest.raises(exams.BankError, match="no question of the kind short_answer"):
        exams.check_bank("05", no_short)
    first = questions[0]
    assert first.kind == "multiple_choice"
    unexplained = dataclasses.replace(first, why_not=dict(list(first.why_not.items())[1:]))
    with pytest.raises(exams.BankError, match="reason for every wrong option"):
        exams.check_bank("05", [unexplained, *questions[1:]])


def test_short_answers_give_the_points_and_multiple_choice_the_reasons():
    for chapter in exams.CHAPTERS:
        for q in exams.bank(chapter):
            if q.kind == "short_answer":
                assert len(q.answer_points) >= 3, q.id
            if q.kind == "multiple_choice":
                assert len(q.options) >= 4 and q.explanation, q.id


def _clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("crmlib.exams.banks."):
            for value in vars(module).values():
                if hasattr(value, "cache_clear"):
                    value.cache_clear()


def _crmlib_calls(function, **kwargs) -> set[str]:
    """The crmlib topic modules whose functions run while ``function(**kwargs)`` computes."""
    seen: set[str] = set()

    def profile(frame, event, arg):
        if event == "call":
            module = frame.f_globals.get("__name__", "")
            if module.startswith("crmlib.") and not module.startswith("crmlib.exams"):
                seen.add(module)

    sys.setprofile(profile)
    try:
        function(**kwargs)
    finally:
        sys.setprofile(None)
    return seen


@pytest.mark.parametrize("question", COMPUTATIONAL, ids=lambda q: q.id)
def test_every_computational_answer_is_computed_with_crmlib(question):
    """Not pasted: solving runs crmlib (a data loader or a model), from empty caches."""
    params = question.draw(np.random.default_rng(0))
    _clear_caches()  # after the draw, which may have filled them
    modules = _crmlib_calls(question.solve, **params)
    assert modules, f"{question.id} computes its answer without calling crmlib"
    value = float(question.solve(**params))
    assert math.isfinite(value), question.id


def test_most_computational_answers_change_with_the_exam_variant():
    values = {q.id: [exams.variant(q, s).value for s in SEEDS] for q in COMPUTATIONAL}
    assert all(math.isfinite(v) for vs in values.values() for v in vs), "every variant has a finite answer"
    changing = {i for i, vs in values.items() if len(set(vs)) > 1}
    share = len(changing) / len(COMPUTATIONAL)
    assert share >= 0.9, sorted({q.id for q in COMPUTATIONAL} - changing)
    for chapter in exams.CHAPTERS:
        ids = [q.id for q in COMPUTATIONAL if q.id.startswith(f"ch{chapter}.")]
        assert sum(i in changing for i in ids) >= 2, chapter


def test_answers_agree_with_the_formulas_they_teach():
    bank = {q.id: q for chapter in exams.CHAPTERS for q in exams.bank(chapter)}
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        p = bank["ch01.e8"].draw(rng)
        assert bank["ch01.e8"].solve(**p) == pytest.approx(p["acquired"] / (1 - p["retention"]))
        p = bank["ch02.e8"].draw(rng)
        assert bank["ch02.e8"].solve(**p) == pytest.approx((p["t"] - p["r"]) / (p["t"] - p["p"]))
        p = bank["ch04.e9"].draw(rng)
        m, r, i, n = p["margin"], p["retention"], p["rate"] / 100, p["periods"]
        assert bank["ch04.e9"].solve(**p) == pytest.approx(sum(m * r**t / (1 + i) ** t for t in range(n + 1)))
        p = bank["ch06.e10"].draw(rng)
        scores = np.repeat([1, 0, -1], [p["promoters"], p["passives"], p["detractors"]])
        se = 100 * scores.std(ddof=1) / math.sqrt(len(scores))
        assert bank["ch06.e10"].solve(**p) == pytest.approx(se, rel=0.01)


def test_a_variant_shuffles_the_options_and_keeps_the_right_answer():
    question = exams.bank("03")[0]
    letters = set()
    for seed in SEEDS:
        v = exams.variant(question, seed, "en")
        assert dict(v.options)[v.answer] == question.options[question.correct]["en"]
        letters.add(v.answer)
    assert len(letters) > 1


def _answers(variants) -> list[str]:
    """Answers specific enough to be searched for in the paper (a computed number with digits)."""
    return [v.answer for v in variants if v.kind == "computational" and len(re.sub(r"\D", "", v.answer)) >= 3]


def test_the_export_writes_a_paper_without_answers_and_a_key_with_them(tmp_path, capsys):
    out = tmp_path / "exam"
    assert main(["--chapters", "03", "04", "--seed", "7", "--out", str(out)]) == 0
    variants = exams.draw_exam(["03", "04"], 7)
    paper_md, key_md = (out / "paper.md").read_text(), (out / "key.md").read_text()
    paper_html, key_html = (out / "paper.html").read_text(), (out / "key.html").read_text()
    for v in variants:
        assert v.heading in paper_md and v.heading in key_md
    for answer in _answers(variants):
        assert answer in key_md and answer in key_html
        assert answer not in paper_md and answer not in paper_html
    assert "**Answer:**" not in paper_md and 'class="answer"' not in paper_html
    assert key_md.count("**Answer:**") == len(variants)
    for page in (paper_html, key_html):
        assert not re.search(r"https?:", page), "the HTML must not load anything from the network"
        assert "<link" not in page and "<script" not in page and "@media print" in page
    # another exam number: other parameters, other answers
    other = tmp_path / "other"
    main(["--chapters", "03", "04", "--seed", "8", "--out", str(other)])
    assert (other / "key.md").read_text() != key_md


def test_an_exam_can_take_a_few_questions_per_chapter():
    variants = exams.draw_exam(["06", "07"], 3, per_chapter=4)
    for chapter in ("06", "07"):
        chosen = [v for v in variants if v.chapter == chapter]
        assert len(chosen) == 4
        assert {v.kind for v in chosen} == set(exams.KINDS)
    with pytest.raises(exams.BankError):
        exams.draw_exam(["06"], 3, per_chapter=2)


def test_the_banks_are_importable_as_modules():
    for chapter in exams.CHAPTERS:
        module = importlib.import_module(f"crmlib.exams.banks.ch{chapter}")
        assert module.QUESTIONS


# --------------------------------------------------------------------------- the Chinese papers


@cache
def _exam(language: str, seed: int = 0) -> tuple[exams.Variant, ...]:
    """Every question of every chapter, as exam variant ``seed`` draws it in ``language``."""
    return tuple(exams.draw_exam(list(exams.CHAPTERS), seed, language=language))


def _shown(v: exams.Variant) -> list[str]:
    """Every text a reader of the paper or the key sees of one question."""
    return [v.heading, v.stem, *(text for _, text in v.options), v.answer, *v.marking]


def test_every_text_of_every_question_is_in_chinese_too():
    for chapter in exams.CHAPTERS:
        for q in exams.bank(chapter):
            for where, text in exams.texts(q):
                assert text["en"].strip() and text["zh"].strip(), f"{q.id} {where}"
                # Chinese, or no word outside code and format fields (an option "4", a formula)
                chinese = re.search(r"[\u4e00-\u9fff]", text["zh"])
                words = re.sub(r"\{[^}]*\}|`[^`]*`", "", text["zh"])
                assert chinese or not re.search(r"[A-Za-z]{2}", words), f"{q.id} {where}: {text['zh']!r}"


def test_the_check_refuses_a_question_without_chinese_or_with_other_format_fields():
    questions = exams.bank("05")
    first = questions[0]
    english_only = dataclasses.replace(first, explanation=first.explanation["en"])
    with pytest.raises(exams.BankError, match=r"ch05\.e1 explanation must be a text in every language"):
        exams.check_bank("05", [english_only, *questions[1:]])
    index, question = next((i, q) for i, q in enumerate(questions) if q.kind == "computational")
    other_fields = dataclasses.replace(question, stem={**question.stem, "zh": question.stem["zh"] + "{k}"})
    with pytest.raises(exams.BankError, match="format fields"):
        exams.check_bank("05", [*questions[:index], other_fields, *questions[index + 1 :]])


def test_chinese_stems_and_methods_use_the_english_format_fields():
    for q in COMPUTATIONAL:
        for where in ("stem", "method"):
            text = getattr(q, where)
            assert placeholders(text["zh"]) == placeholders(text["en"]), f"{q.id} {where}"


def test_the_chinese_papers_write_chinese_as_the_course_does():
    """Full-width punctuation and no English sentence in what a reader sees (code, data values and
    names aside), with every parameter filled in (the terms are checked in the banks' source by
    tests/test_terminology.py)."""
    terminology, english_left = _tool("terminology"), _tool("english_left")
    problems = []
    for v in _exam("zh"):
        for text in _shown(v):
            where = terminology.Text("crmlib/exams/banks", v.id, text)
            problems += [str(f) for f in terminology.half_width_in(where)]
            problems += [
                f"{v.id}: English {run!r}" for run in english_left.english_runs(english_left.strip_code(text))
            ]
    assert problems == []


def test_the_checks_of_the_chinese_papers_catch_what_they_guard():
    terminology, english_left = _tool("terminology"), _tool("english_left")
    bad = "请计算保留率(按年)并说明:如何 how the base grows over time"
    assert [f.term for f in terminology.half_width_in(terminology.Text("x", "y", bad))] == ["(", ")", ":"]
    assert english_left.english_runs(english_left.strip_code(bad)) == ["how the base grows over time"]
    assert (
        english_left.english_runs(english_left.strip_code("调用 `crmlib.rfm_summary(data)` 汇总 CDNOW 样本"))
        == []
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_paper_asks_the_same_in_both_languages_and_has_the_same_key(seed):
    en, zh = _exam("en", seed), _exam("zh", seed)
    assert [v.id for v in en] == [v.id for v in zh]
    for a, b in zip(en, zh, strict=True):
        assert (a.language, b.language) == ("en", "zh")
        assert a.value == b.value, a.id  # computational: the same parameters, the same answer
        if a.kind == "multiple_choice":
            assert a.answer == b.answer and [k for k, _ in a.options] == [k for k, _ in b.options], a.id
        assert a.stem != b.stem, a.id
    picked = [[v.id for v in exams.draw_exam(["06"], seed, 4, language)] for language in ("en", "zh")]
    assert picked[0] == picked[1]


def test_the_chinese_export_writes_a_chinese_paper_without_answers_and_its_font(tmp_path):
    out = tmp_path / "zh"
    assert main(["--chapters", "03", "04", "--seed", "7", "--out", str(out), "--language", "zh"]) == 0
    variants = exams.draw_exam(["03", "04"], 7, language="zh")
    paper_md, key_md = (out / "paper.md").read_text(), (out / "key.md").read_text()
    paper_html, key_html = (out / "paper.html").read_text(), (out / "key.html").read_text()
    assert paper_md.startswith("# 客户关系管理 试卷") and key_md.startswith(
        "# 客户关系管理 参考答案及评分要点"
    )
    assert "姓名：" in paper_md and "学号：" in paper_md and "姓名：" in paper_html
    for kind in ("单项选择题", "简答题", "计算题"):
        assert kind in paper_md and kind in key_html
    for answer in _answers(variants):
        assert answer in key_md and answer in key_html
        assert answer not in paper_md and answer not in paper_html
    assert "**答案：**" not in paper_md and 'class="answer"' not in paper_html
    assert key_md.count("**答案：**") == len(variants)
    assert '<html lang="zh-CN">' in paper_html
    assert "Answer" not in key_md and "points" not in paper_md and "Chapter" not in paper_html
    for page in (paper_html, key_html):
        assert not re.search(r"https?:", page) and "<link" not in page and "<script" not in page
        assert 'src: url("NotoSansSC-Course.otf")' in page
    assert (out / "NotoSansSC-Course.otf").read_bytes() == plots.COURSE_FONT.read_bytes()
    assert (out / "OFL.txt").exists()


def test_the_course_font_draws_every_character_of_the_chinese_papers():
    make_cjk_font = _tool("make_cjk_font")
    chapters = list(exams.CHAPTERS)
    pages = [
        render(list(_exam("zh")), chapters, 0, key)
        for render in (exams.to_markdown, exams.to_html)
        for key in (False, True)
    ]
    characters = set("".join(pages))
    assert len([c for c in characters if make_cjk_font.is_cjk(c)]) > 500
    assert make_cjk_font.missing_from(plots.COURSE_FONT, characters) == []


def test_the_exam_language_follows_crmlib_s_language_unless_given():
    from crmlib import language

    question = exams.bank("01")[0]
    assert exams.variant(question, 0).language == "en"
    language.set_language("zh")
    try:
        assert exams.variant(question, 0).stem == exams.variant(question, 0, "zh").stem
        assert exams.variant(question, 0, "en").language == "en"
    finally:
        language.set_language("en")
