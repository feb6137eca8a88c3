"""Batch grading (``python -m crmlib.grade``): a made-up class of chapter 01 submissions
(``tools/sample_class.py``) graded by one call, with the expected verdict of every answer."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from crmlib import grade

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import sample_class  # noqa: E402

QUESTIONS = [f"ch01.q{n}" for n in range(1, 11)]
ALL_RIGHT = dict.fromkeys(QUESTIONS, "correct") | {"ch01.q8": "to_read", "ch01.q9": "to_read"}
#: student -> the verdict of each question of chapter 01
EXPECTED = {
    "2024000001": ALL_RIGHT,
    "2024000002": ALL_RIGHT
    | {"ch01.q1": "wrong", "ch01.q6": "wrong", "ch01.q7": "wrong", "ch01.q8": "wrong"},
    "2024000003": dict.fromkeys(QUESTIONS, "blank"),
    "2024000004": ALL_RIGHT | {"ch01.q1": "error", "ch01.q2": "error"},
    "2024000005": dict.fromkeys(QUESTIONS, "error"),  # stopped at the notebook limit: no answer read
    "2024000006": dict.fromkeys(QUESTIONS, "blank") | {"ch01.q1": "wrong", "ch01.q2": "wrong"},
    "2024000007": dict.fromkeys(QUESTIONS, "blank") | {"ch01.q7": "wrong"},
    "2024000008": dict.fromkeys(QUESTIONS, "blank") | {"ch01.q1": "wrong", "ch01.q6": "wrong"},
}
LIMITS = grade.Limits(cell_seconds=5, notebook_seconds=20, memory_mb=2048)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    sample_class.write_class(folder)
    out = tmp_path_factory.mktemp("report") / "grades.csv"
    table = grade.grade_folder(folder, out, LIMITS, jobs=4, log=lambda *args: None)
    return table, out


def test_every_answer_of_the_sample_class_gets_its_expected_verdict(graded):
    table, _ = graded
    got = {(r.student, r.question): r.verdict for r in table.itertuples()}
    want = {(s, q): v for s, verdicts in EXPECTED.items() for q, v in verdicts.items()}
    wrong = {key: (got.get(key), value) for key, value in want.items() if got.get(key) != value}
    assert not wrong, f"(student, question): (got, expected) {wrong}"
    assert len(table) == len(want)


def test_the_typical_mistake_is_named(graded):
    table, _ = graded
    mistakes = table.set_index(["student", "question"])["mistake"].fillna("")
    assert mistakes["2024000002", "ch01.q1"].startswith("dividing by the retention rate")
    assert mistakes["2024000002", "ch01.q7"].startswith("this concept still starts from the product")
    assert mistakes["2024000002", "ch01.q6"] == ""  # a wrong choice the bank has no explanation for


def test_broken_and_endless_cells_are_reported_and_the_notebook_goes_on(graded):
    table, out = graded
    detail = table.set_index(["student", "question"])["detail"].fillna("")
    assert detail["2024000004", "ch01.q1"].startswith("KeyError")
    assert detail["2024000004", "ch01.q2"].startswith("MemoryError")  # the memory limit held
    assert (
        detail["2024000005", "ch01.q2"] == f"stopped at the notebook limit of {LIMITS.notebook_seconds:g} s"
    )
    students = pd.read_csv(out.with_name("grades_students.csv"), dtype={"student": str}).set_index("student")
    assert students["run"].to_dict() == {s: "timeout" if s == "2024000005" else "ok" for s in EXPECTED}
    assert students.loc["2024000005", "seconds"] < LIMITS.notebook_seconds + 15


def test_the_tricks_do_fool_the_notebook_itself(tmp_path):
    """The tampering submissions show a tick in their own kernel: a grader reading outputs would pass them."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.reads(json.dumps(sample_class.notebook("2024000008")), as_version=4)
    km = KernelManager(
        kernel_name="crm-grade",
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[grade._kernel_spec_dir(tmp_path, LIMITS)]),
    )
    NotebookClient(nb, km=km, timeout=60, allow_errors=True).execute(cwd=str(tmp_path))
    shown = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert "✅ ch01.q1 — correct." in shown and "✅ ch01.q6 — correct." in shown


def test_class_summary_table_and_figure(graded):
    _, out = graded
    summary = pd.read_csv(out.parent / "summary.csv").set_index("question")
    assert summary.loc["ch01.q1", "share_correct"] == pytest.approx(1 / 8, abs=1e-3)  # student 1
    assert summary.loc["ch01.q3", "share_correct"] == pytest.approx(3 / 8, abs=1e-3)  # students 1, 2, 4
    assert summary.loc["ch01.q1", "top_mistake"].startswith("dividing by the retention rate")
    assert summary["submissions"].eq(8).all()
    report = (out.parent / "summary.md").read_text(encoding="utf-8")
    assert "## Share correct per question" in report and "## Most frequent mistakes" in report
    png = (out.parent / "summary.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    students = pd.read_csv(out.with_name("grades_students.csv"), dtype={"student": str}).set_index("student")
    assert students.loc["2024000001", "score"] == 1.0
    assert students.loc["2024000003", "blank"] == 10 and students.loc["2024000003", "score"] == 0.0


def test_answers_cross_from_kernel_to_grader_as_plain_data(tmp_path):
    """The encoder (run in the kernel) and the decoder (in the grader) give back equal values."""
    values = {
        "n": 3,
        "x": 0.25,
        "flag": True,
        "word": "营销观念",
        "blank": ...,
        "nothing": None,
        "letters": ["B", "D"],
        "table": pd.DataFrame(
            {"year": [1, 2], "base": [400.0, 747.6], "when": pd.to_datetime(["1997-01-01", "1998-06-30"])}
        ),
        "series": pd.Series([1.5, 2.5], index=["a", "b"], name="s"),
        "func": len,
    }
    path = tmp_path / "answers.json"
    scope = dict(values)
    exec(grade._dump_cell([*sorted(values), "undefined"], path), scope)
    data = json.loads(path.read_text(encoding="utf-8"))
    back = {name: grade._decode(item) for name, item in data.items()}
    for name in ["n", "x", "flag", "word", "letters", "nothing"]:
        assert back[name] == values[name] and type(back[name]) is type(values[name])
    assert back["blank"] is Ellipsis
    pd.testing.assert_frame_equal(back["table"], values["table"])
    pd.testing.assert_series_equal(back["series"], values["series"])
    assert isinstance(back["func"], grade.Unreadable) and back["undefined"] is grade._MISSING


def test_student_and_chapter_from_the_file_name_or_the_metadata(tmp_path):
    nb = sample_class.notebook("2024000003")
    named = tmp_path / "2024123456_01_marketing_concepts.ipynb"
    named.write_text(json.dumps(nb), encoding="utf-8")
    nb["metadata"]["crm_course"] = {"student_id": "S-77", "chapter": "01"}
    other = tmp_path / "homework.ipynb"
    other.write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "broken_01.ipynb").write_text("{not json", encoding="utf-8")
    found = {s.path.name: s for s in grade.find_submissions(tmp_path)}
    assert (found[named.name].student, found[named.name].chapter) == ("2024123456", "01")
    assert (found["homework.ipynb"].student, found["homework.ipynb"].chapter) == ("S-77", "01")
    assert found["broken_01.ipynb"].problem.startswith("not a readable notebook")


def test_the_answer_variables_come_from_the_course_notebook():
    names = grade.answer_names("01")
    assert names["ch01.q1"] == "steady_base" and names["ch01.q10"] == "account"
    assert set(names) == set(QUESTIONS)
