"""Batch grading (``python -m crmlib.grade``): a made-up class of chapter 01 submissions
(``tools/sample_class.py``) graded by one call, with the expected verdict of every answer;
each student graded against their own variant of questions 1, 2 and 10; a notebook stopped
at its time limit keeps the answers it had; the reports in Chinese (``--language zh``)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from crmlib import grade
from crmlib.exercises import question
from crmlib.language import message

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import sample_class  # noqa: E402

QUESTIONS = [f"ch01.q{n}" for n in range(1, 11)]
VARIED = ["ch01.q1", "ch01.q2", "ch01.q10"]
ALL_RIGHT = dict.fromkeys(QUESTIONS, "correct") | {"ch01.q8": "to_read", "ch01.q9": "to_read"}
#: student -> the verdict of each question of chapter 01
EXPECTED = {
    "2024000001": ALL_RIGHT,
    "2024000002": ALL_RIGHT
    | {"ch01.q1": "wrong", "ch01.q6": "wrong", "ch01.q7": "wrong", "ch01.q8": "wrong"},
    "2024000003": dict.fromkeys(QUESTIONS, "blank"),
    "2024000004": ALL_RIGHT | {"ch01.q1": "error", "ch01.q2": "error"},
    # stopped at the notebook limit in question 2's cell: question 1's answer was saved before
    "2024000005": dict.fromkeys(QUESTIONS, "error") | {"ch01.q1": "correct"},
    "2024000006": dict.fromkeys(QUESTIONS, "blank") | {"ch01.q1": "wrong", "ch01.q2": "wrong"},
    "2024000007": dict.fromkeys(QUESTIONS, "blank") | {"ch01.q7": "wrong"},
    "2024000008": dict.fromkeys(QUESTIONS, "blank") | {"ch01.q1": "wrong", "ch01.q6": "wrong"},
    # the default numbers typed in, or computed without the id: wrong on every varied question
    "2024000009": ALL_RIGHT | dict.fromkeys(VARIED, "wrong"),
    "2024000010": ALL_RIGHT | dict.fromkeys(VARIED, "wrong"),
}
LIMITS = grade.Limits(cell_seconds=20, notebook_seconds=40, memory_mb=2048)  # room for a busy machine


@pytest.fixture(scope="module")
def runs() -> dict:
    """The run of each notebook of the sample class (file name -> RunResult), kept by ``graded``."""
    return {}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, runs):
    folder = tmp_path_factory.mktemp("submissions")
    sample_class.write_class(folder)
    out = tmp_path_factory.mktemp("report") / "grades.csv"

    def run_and_keep(task):
        submission, run = run_one(task)
        runs[submission.path.name] = run
        return submission, run

    run_one = grade._run_one_in_child
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grade, "_run_one_in_child", run_and_keep)
        table = grade.grade_folder(folder, out, LIMITS, jobs=2, log=lambda *args: None)
    return table, out


@pytest.fixture(scope="module")
def graded_zh(tmp_path_factory, graded, runs):
    """Two students graded with ``--language zh``: a student with typical slips, one with the default numbers.

    Their notebooks are not run again: a run does not depend on the language of the reports (the
    grader process of a notebook is given the notebook and the limits only), so the runs of the
    same two notebooks in ``graded`` are graded again, by the same ``grade_folder``, in Chinese."""
    folder = tmp_path_factory.mktemp("submissions_zh")
    sample_class.write_class(folder, only=["2024000002", "2024000009"])
    out = tmp_path_factory.mktemp("report_zh") / "grades.csv"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grade, "_run_one_in_child", lambda task: (task[0], runs[task[0].path.name]))
        table = grade.grade_folder(folder, out, LIMITS, jobs=2, log=lambda *args: None, language="zh")
    return table, out


def test_every_answer_of_the_sample_class_gets_its_expected_verdict(graded):
    table, _ = graded
    got = {(r.student, r.question): r.verdict for r in table.itertuples()}
    want = {(s, q): v for s, verdicts in EXPECTED.items() for q, v in verdicts.items()}
    wrong = {key: (got.get(key), value) for key, value in want.items() if got.get(key) != value}
    assert not wrong, f"(student, question): (got, expected) {wrong}"
    assert len(table) == len(want)


def test_each_student_is_graded_against_their_own_variant(graded):
    table, _ = graded
    variant = table.set_index(["student", "question"])["variant"]
    for sid in ["2024000001", "2024000009", "2024000010"]:  # the id in the file name, or in the metadata
        for qid in VARIED:
            assert variant[sid, qid] == question(qid).variant_of(sid) != 0
        assert variant[sid, "ch01.q3"] == 0  # a question without variants
    # the sample ids do get different numbers, not all the same variant
    assert len({tuple(variant[s, q] for q in VARIED) for s in ["2024000001", "2024000009"]}) == 2


def test_the_default_numbers_are_wrong_for_a_student_with_an_id(graded):
    table, _ = graded
    rows = table.set_index(["student", "question"])
    said = message("grade.default_variant", "en")
    assert said.startswith("right for the default numbers, not for this student's")
    for sid in ["2024000009", "2024000010"]:
        for qid in VARIED:
            assert rows.loc[(sid, qid), "mistake"] == said
            assert said.rstrip(".") in rows.loc[(sid, qid), "feedback"]
    # a typical slip made with the student's own numbers is still named as that slip
    assert rows.loc[("2024000002", "ch01.q1"), "variant"] != 0


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
    stopped = f"stopped at the notebook limit of {LIMITS.notebook_seconds:g} s"
    for qid in QUESTIONS[1:]:  # question 2's cell never ends: it and every later question
        assert detail["2024000005", qid] == stopped
    assert detail["2024000005", "ch01.q1"] == ""  # answered before the stop, and graded
    students = pd.read_csv(out.with_name("grades_students.csv"), dtype={"student": str}).set_index("student")
    assert students["run"].to_dict() == {s: "timeout" if s == "2024000005" else "ok" for s in EXPECTED}
    assert students.loc["2024000005", "seconds"] < LIMITS.notebook_seconds + 15
    assert students.loc["2024000005", "correct"] == 1


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
    n = len(EXPECTED)
    assert summary.loc["ch01.q1", "share_correct"] == pytest.approx(2 / n, abs=1e-3)  # students 1, 5
    assert summary.loc["ch01.q3", "share_correct"] == pytest.approx(5 / n, abs=1e-3)  # 1, 2, 4, 9, 10
    assert summary.loc["ch01.q1", "top_mistake"] == message("grade.default_variant", "en")  # 9, 10
    assert summary["submissions"].eq(n).all()
    report = (out.parent / "summary.md").read_text(encoding="utf-8")
    assert "## Share correct per question" in report and "## Most frequent mistakes" in report
    png = (out.parent / "summary.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    students = pd.read_csv(out.with_name("grades_students.csv"), dtype={"student": str}).set_index("student")
    assert students.loc["2024000001", "score"] == 1.0
    assert students.loc["2024000003", "blank"] == 10 and students.loc["2024000003", "score"] == 0.0


def test_reports_in_chinese(graded_zh):
    table, out = graded_zh
    rows = table.set_index(["student", "question"])
    assert set(table["verdict"]) <= set(grade.VERDICTS)  # the codes stay English keys
    assert rows.loc[("2024000002", "ch01.q1"), "verdict"] == "wrong"
    assert rows.loc[("2024000002", "ch01.q1"), "mistake"].startswith("这里除以了保留率")
    assert rows.loc[("2024000002", "ch01.q1"), "feedback"].startswith("❌ ch01.q1 — 还不对：")
    assert rows.loc[("2024000002", "ch01.q3"), "feedback"] == "✅ ch01.q3 — 正确。"
    for qid in VARIED:
        assert rows.loc[("2024000009", qid), "mistake"] == message("grade.default_variant", "zh")
    csv = pd.read_csv(out, dtype={"student": str})
    assert csv["mistake"].dropna().str.contains("[\u4e00-\u9fff]").all()
    report = (out.parent / "summary.md").read_text(encoding="utf-8")
    assert report.startswith("# 全班成绩汇总") and "## 各题正确率" in report and "## 最常见的错误" in report
    # no English sentence left: only question ids, codes, the command, file names
    words = set(re.findall(r"[A-Za-z_]{3,}", re.sub(r"`[^`]*`|ch01\.q\d+|\S+\.(?:ipynb|png)", " ", report)))
    codes = {*grade.VERDICTS, "numeric", "integer", "identifier", "choice", "frame", "discussion", "text"}
    assert words <= codes | {"set_student", "CSV", "CPU", "timeout", "died"}, words - codes
    assert (out.parent / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_chinese_figure_draws_without_a_warning(graded_zh, tmp_path):
    import warnings

    _, out = graded_zh
    summary = pd.read_csv(out.parent / "summary.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing-glyph warning would fail here
        grade._figure(summary, 2, tmp_path / "zh.png", "zh")
    assert (tmp_path / "zh.png").stat().st_size > 10_000


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
