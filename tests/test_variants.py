"""Per-student exercise variants: ``set_student``, ``parameters`` and ``check`` per variant.

A question with ``variants=`` gives each student their own parameters (a date, a
rate, a customer...), chosen by a hash of the student id. These tests check the
mechanism on small questions built here, then the course's own banks: every
variant of every question is solvable (its expected answer passes, its typical
mistakes fail), and the solution notebooks' code solves the variants of a sample
of student ids when it is run as that student.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from pathlib import Path

import matplotlib
import nbformat
import pytest

from crmlib.exercises import (
    all_questions,
    check,
    evaluate,
    numeric,
    parameters,
    question,
    registry,
    set_student,
    student,
)
from crmlib.exercises.engine import fill, mistake
from crmlib.glossary import term
from crmlib.validation import DataError

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "exercises" / "solutions"
STUDENTS = ROOT / "exercises" / "student"
VARIANT_QUESTIONS = [q for q in all_questions() if q.has_variants]
#: Student ids of the sample class (made up; any id of letters and digits works).
SAMPLE_IDS = ["2024123456", "2023070815"]


@pytest.fixture(autouse=True)
def no_student(monkeypatch):
    """Every test starts and ends without a student id and without a notebook name."""
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    set_student("")
    yield
    set_student("")


def small_question():
    return numeric(
        "ch99.q1",
        lambda days: days * 2.0,
        variants={"days": [10, 20, 30, 40]},
        hint={"en": "double {days}", "zh": "把 {days} 加倍"},
        wrong=[
            mistake(lambda days: days * 1.0, because={"en": "not doubled: {days}", "zh": "没有加倍：{days}"})
        ],
    )


# ------------------------------------------------------------------ the mechanism
def test_fill_puts_parameters_in_and_leaves_other_braces():
    assert fill("after {days} days at {rate:.0%}", {"days": 270, "rate": 0.15}) == "after 270 days at 15%"
    assert fill('code {"a": 1} and {other}', {"days": 1}) == 'code {"a": 1} and {other}'
    assert fill("{days}", {}) == "{days}"
    assert fill("segment {s:term}", {"s": "at_risk"}, "zh") == f"segment {term('at_risk', 'zh')}"
    assert (
        fill("segment {s:term}", {"s": "at_risk"}, "en")
        == f"segment {term('at_risk', 'en')}"
        != "segment at_risk"
    )


def test_variants_are_the_product_of_value_lists_default_first():
    q = numeric("ch99.q2", lambda a, b: a + b, variants={"a": [1, 2], "b": [10, 20, 30]}, wrong=[0])
    assert q.variants[0] == {"a": 1, "b": 10}
    assert len(q.variants) == 6 and len({tuple(v.items()) for v in q.variants}) == 6
    assert [q.expected(v) for v in q.variants] == [11, 21, 31, 12, 22, 32]


@pytest.mark.parametrize(
    ("variants", "problem"),
    [
        ({"days": [1]}, "at least two"),
        ([{"days": 1}, {"days": 1}], "same parameters"),
        ([{"days": 1}, {"rate": 1}], "every variant needs"),
        ({"not a name": [1, 2]}, "Python name"),
        ({"days": []}, "at least one value"),
        ("days", "list of parameter dicts"),
    ],
)
def test_bad_variants_are_refused_with_the_reason(variants, problem):
    with pytest.raises(DataError, match=problem):
        numeric("ch99.q3", 1.0, variants=variants, wrong=[0])


def test_an_expected_function_needs_its_parameters():
    q = numeric("ch99.q4", lambda days, rate: days * rate, variants={"days": [1, 2]}, wrong=[0])
    with pytest.raises(DataError, match=r"needs the parameter.*rate"):
        q.expected()


def test_the_variant_of_a_student_is_a_sha256_hash_never_the_default():
    q = small_question()
    assert q.variant_of(None) == 0 and q.variant_of("") == 0
    for sid in ["2024123456", "A-17", "x"]:
        digest = hashlib.sha256(f"{sid}/ch99.q1".encode()).digest()
        assert q.variant_of(sid) == 1 + int.from_bytes(digest[:8], "big") % 3
    seen = {q.variant_of(f"2024{n:06d}") for n in range(200)}
    assert seen == {1, 2, 3}  # every other variant is used, the default never


def test_evaluate_grades_against_the_variant_and_fills_the_texts():
    q = small_question()
    params = q.variants[2]  # days = 30
    assert evaluate(q, 60.0, "en", params=params).passed
    assert not evaluate(q, 20.0, "en", params=params).passed  # the default variant's answer
    said = evaluate(q, 30.0, "en", params=params).message
    assert "not doubled: 30" in said and "double 30" in said
    assert "没有加倍：30" in evaluate(q, 30.0, "zh", params=params).message


def test_set_student_takes_an_id_or_reads_the_notebook_file_name(monkeypatch):
    assert str(set_student("2024123456")).startswith("Student 2024123456")
    assert student() == "2024123456"
    set_student(" 2024123457 ")
    assert student() == "2024123457"
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/li/hand-in/2024000001_03_customer_lifecycle.ipynb")
    note = set_student()
    assert student() == "2024000001" and "file name" in str(note)
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/li/03_customer_lifecycle.ipynb")
    set_student()
    assert student() is None
    assert str(set_student("")).startswith("No student id")


@pytest.mark.parametrize("bad", ["2024 123", "a_b", "x" * 41, 3.5, ["2024"]])
def test_a_bad_student_id_is_refused_with_the_rule(bad):
    with pytest.raises(DataError, match="letters, digits"):
        set_student(bad)


def test_parameters_show_the_students_variant_and_check_grades_it():
    q = question("ch03.q5")
    default = parameters("ch03.q5")
    assert dict(default) == q.variants[0] and "default numbers" in str(default)
    sid = next(s for s in (f"2024{n:06d}" for n in range(100)) if q.variant_of(s) != 0)
    set_student(sid)
    mine = parameters("ch03.q5")
    assert dict(mine) == q.variants[q.variant_of(sid)] and mine.days == mine["days"] != default.days
    assert f"student {sid}" in str(mine) and f"days = {mine.days}" in str(mine)
    assert check("ch03.q5", q.expected(mine)).passed
    assert not check("ch03.q5", q.expected(default)).passed
    with pytest.raises(AttributeError, match="no parameter rate"):
        mine.rate  # noqa: B018


def test_parameters_of_a_question_without_variants_is_an_error():
    plain = next(q for q in all_questions() if not q.has_variants and q.kind != "discussion")
    with pytest.raises(DataError, match="has no parameters"):
        parameters(plain.id)


# ------------------------------------------------------------------ the course's banks
@pytest.mark.parametrize("q", VARIANT_QUESTIONS, ids=lambda q: q.id)
def test_every_variant_is_solvable_and_its_mistakes_fail(q):
    answers = []
    for params in q.variants:
        expected = q.expected(params)
        answers.append(repr(expected))
        result = evaluate(q, expected, "en", params=params)
        assert result.passed, f"{q.id} {params}: {result.message}"
        for slip in q.wrong:
            value = slip.value_for(params)
            assert not evaluate(q, value, "en", params=params).passed, f"{q.id} {params} accepts {value!r}"
    # the variants ask different questions: not every answer the same
    assert len(set(answers)) > 1, f"{q.id}: every variant has the answer {answers[0]}"


def test_some_questions_of_most_chapters_have_variants():
    chapters = {q.id[:4] for q in VARIANT_QUESTIONS}
    assert len(VARIANT_QUESTIONS) >= 3 and chapters


def _question_cells(path: Path) -> dict[str, tuple[str, str]]:
    """Question id -> (the markdown above its check cell, the check cell's source)."""
    nb = nbformat.read(path, as_version=4)
    found, markdown = {}, ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            markdown = cell.source if cell.source.startswith("## ") else markdown + "\n" + cell.source
            continue
        for qid in re.findall(r"""check\(\s*["'](ch\d\d\.\w+)["']""", cell.source):
            found[qid] = (markdown, cell.source)
    return found


@pytest.mark.parametrize("q", VARIANT_QUESTIONS, ids=lambda q: q.id)
def test_the_student_notebook_shows_the_parameters_in_the_question(q):
    path = STUDENTS / next(p.name for p in SOLUTIONS.glob(f"{q.id[2:4]}_*.ipynb"))
    markdown, code = _question_cells(path)[q.id]
    assert f'parameters("{q.id}")' in code, f"{path.name}: the cell of {q.id} does not call parameters()"
    for name in q.variants[0]:
        assert f"p.{name}" in markdown, f"{path.name}: the text of {q.id} does not name p.{name}"


# ------------------------------------------------------------------ solution code, run as a student
def _run_as(path: Path, sid: str, monkeypatch) -> dict[str, list]:
    """Run a solution notebook's code in this process as student ``sid`` (the id read from the file
    name, as ``set_student()`` does in Jupyter); return the verdicts of every check, by question."""
    monkeypatch.setenv("JPY_SESSION_NAME", f"/submissions/{sid}_{path.name}")
    verdicts: dict[str, list] = {}
    real = registry.check

    def recording_check(question_id, answer):
        result = real(question_id, answer)
        verdicts.setdefault(question_id, []).append(result)
        return result

    monkeypatch.setattr(registry, "check", recording_check)
    monkeypatch.setattr("crmlib.exercises.check", recording_check)
    matplotlib.use("Agg")
    namespace: dict = {"__name__": "__main__"}
    nb = nbformat.read(path, as_version=4)
    with contextlib.redirect_stdout(io.StringIO()):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                exec(compile(cell.source, f"{path.name}[{index}]", "exec"), namespace)
    import matplotlib.pyplot as plt

    plt.close("all")
    return verdicts


CHAPTERS_WITH_VARIANTS = sorted({q.id[2:4] for q in VARIANT_QUESTIONS})


@pytest.mark.parametrize("chapter", CHAPTERS_WITH_VARIANTS)
def test_the_solution_code_solves_the_variants_of_sample_students(chapter, monkeypatch):
    path = next(SOLUTIONS.glob(f"{chapter}_*.ipynb"))
    varied = [q for q in VARIANT_QUESTIONS if q.id.startswith(f"ch{chapter}.")]
    for sid in SAMPLE_IDS:
        verdicts = _run_as(path, sid, monkeypatch)
        assert student() == sid
        for q in varied:
            assert q.id in verdicts, f"{path.name} run as {sid} never checks {q.id}"
            assert all(v.passed for v in verdicts[q.id]), f"{sid} {q.id}: {verdicts[q.id][-1].message}"
        failed = {qid: v[-1].message for qid, v in verdicts.items() if not v[-1].passed}
        assert not failed, f"{path.name} run as {sid}: {failed}"
    # the sample ids really got other numbers than the solutions show
    for q in varied:
        assert any(q.variant_of(sid) != 0 for sid in SAMPLE_IDS)


def test_questions_can_share_a_variant():
    """ch02.q10 is about the customer of ch02.q4: every student gets one customer in both."""
    q4, q10 = question("ch02.q4"), question("ch02.q10")
    assert q10.same_variant_as == "ch02.q4" and q4.variants == q10.variants
    ids = [f"2024{n:06d}" for n in range(60)]
    assert all(q4.variant_of(s) == q10.variant_of(s) for s in ids)
    alone = numeric("ch99.q5", lambda customer: 1.0, variants={"customer": [v["customer"] for v in q4.variants]},
                    wrong=[0])  # fmt: skip
    assert any(alone.variant_of(s) != q4.variant_of(s) for s in ids)  # without it, they would differ


def test_a_shared_variant_must_name_a_question_with_the_same_variants():
    from crmlib.exercises.registry import _check_shared_variant

    q4 = question("ch02.q4")
    other = numeric("ch99.q6", 1.0, variants={"customer": ["C1", "C2"]}, same_variant_as="ch02.q4", wrong=[0])
    with pytest.raises(DataError, match="same variants"):
        _check_shared_variant(other, {"ch02.q4": q4, "ch99.q6": other})
    lost = numeric("ch99.q7", 1.0, variants={"customer": ["C1", "C2"]}, same_variant_as="ch98.q1", wrong=[0])
    with pytest.raises(DataError, match="names no registered question"):
        _check_shared_variant(lost, {"ch99.q7": lost})
