"""The exercise mechanism: student notebooks up to date, every check call
registered and every question used, the generator's marking rules, and every
registered question failing blank and wrong answers and passing its own."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import warnings
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmlib import exercises
from crmlib.exercises import evaluate

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "exercises" / "solutions"
STUDENT = ROOT / "exercises" / "student"
CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([^"']+)["']""")
MARKERS = ("# SOLUTION", "BEGIN SOLUTION", "END SOLUTION")


def _load_make_student():
    spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_student = _load_make_student()
SOLUTION_NOTEBOOKS = make_student.solution_notebooks()
QUESTIONS = exercises.all_questions()


def check_ids(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [
        qid for cell in notebook.cells if cell.cell_type == "code" for qid in CHECK_CALL.findall(cell.source)
    ]


def test_there_is_a_solution_notebook_per_question_bank():
    numbers = {p.name[:2] for p in SOLUTION_NOTEBOOKS}
    assert {c[2:] for c in exercises.chapters()} <= numbers


# (1) the student notebooks are up to date --------------------------------------
def test_student_notebooks_are_up_to_date():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = make_student.main(["--check"])
    assert status == 0, "run `python tools/make_student.py`:\n" + out.getvalue()


# (2) check ids <-> registry -------------------------------------------------------
@pytest.mark.parametrize("path", SOLUTION_NOTEBOOKS, ids=lambda p: p.name)
def test_every_check_call_is_registered_and_every_question_is_used(path):
    registry = exercises.questions_by_id()
    used = check_ids(path)
    unknown = [qid for qid in used if qid not in registry]
    assert not unknown, f"{path.name} checks unregistered ids {unknown}"
    chapter = "ch" + path.name[:2]
    foreign = [qid for qid in used if not qid.startswith(chapter + ".")]
    assert not foreign, f"{path.name} checks questions of another chapter: {foreign}"
    bank = [q.id for q in exercises.chapter_questions(chapter)] if chapter in exercises.chapters() else []
    unused = [qid for qid in bank if qid not in used]
    assert not unused, f"questions of {chapter}.py never checked in {path.name}: {unused}"


# (3) the generator's marking rules -------------------------------------------------
def _student(*cells):
    return make_student.make_student_notebook(new_notebook(cells=list(cells)))


def _tagged(cell, *tags):
    cell.metadata["tags"] = list(tags)
    return cell


def test_marked_assignment_keeps_its_name():
    nb = _student(new_code_cell("x = 1\nshare = (df.f == 0).mean()  # SOLUTION\ncheck('ch00.q3', share)"))
    assert nb.cells[0].source == "x = 1\nshare = ...  # your code here\ncheck('ch00.q3', share)"


def test_the_placeholder_is_written_in_the_edition_s_language():
    source = "x = 1\nshare = (df.f == 0).mean()  # SOLUTION\n# BEGIN SOLUTION\nprint(x)\n# END SOLUTION"
    nb = make_student.make_student_notebook(new_notebook(cells=[new_code_cell(source)]), lang="zh")
    assert nb.cells[0].source == "x = 1\nshare = ...  # 在这里写你的代码\n# 在这里写你的代码"


def test_marked_line_that_is_not_an_assignment_is_removed():
    nb = _student(new_code_cell("print(df.head())  # SOLUTION\ncheck('ch00.q1', n)"))
    assert nb.cells[0].source == "check('ch00.q1', n)"


def test_marked_indented_and_annotated_assignments():
    nb = _student(new_code_cell("for a in b:\n    total: int = a + 1  # SOLUTION\n    print(a)"))
    assert nb.cells[0].source == "for a in b:\n    total: int = ...  # your code here\n    print(a)"


def test_marked_assignment_whose_value_starts_with_parentheses():
    nb = _student(
        new_code_cell("x = ((a - b) / c)  # SOLUTION\nlo, hi = (1, 2)  # SOLUTION\ny = z = (w)  # SOLUTION")
    )
    assert nb.cells[0].source == (
        "x = ...  # your code here\nlo, hi = ...  # your code here\ny = z = ...  # your code here"
    )


def test_block_becomes_placeholder():
    source = "import x\n# BEGIN SOLUTION\na = 1\nb = a + 1\n# END SOLUTION\ncheck('ch00.q1', b)"
    assert (
        _student(new_code_cell(source)).cells[0].source == "import x\n# your code here\ncheck('ch00.q1', b)"
    )


def test_block_with_one_multiline_assignment_keeps_its_name():
    source = '# BEGIN SOLUTION\ntext = """\nlong\nanswer\n"""\n# END SOLUTION\ncheck("ch00.q7", text)'
    assert (
        _student(new_code_cell(source)).cells[0].source
        == 'text = ...  # your code here\ncheck("ch00.q7", text)'
    )


def test_indented_block_keeps_its_indentation():
    source = "for a in b:\n    # BEGIN SOLUTION\n    c = a\n    d = c\n    # END SOLUTION\nprint(1)"
    assert _student(new_code_cell(source)).cells[0].source == "for a in b:\n    # your code here\nprint(1)"


@pytest.mark.parametrize(
    "source, problem",
    [
        ("# BEGIN SOLUTION\na = 1", "never closed"),
        ("a = 1\n# END SOLUTION", "without BEGIN"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "inside another"),
        ('t = """\nhalf\n"""  # SOLUTION', "would not parse"),
    ],
)
def test_broken_markers_are_reported(source, problem):
    with pytest.raises(make_student.MarkerError, match=problem):
        _student(new_code_cell(source))


def test_cells_tagged_solution_are_dropped_code_and_markdown():
    nb = _student(
        new_markdown_cell("Question"),
        _tagged(new_code_cell("secret = 42"), "solution"),
        _tagged(new_markdown_cell("Model answer"), "solution"),
        new_code_cell("check('ch00.q1', x)"),
    )
    assert [c.source for c in nb.cells] == ["Question", "check('ch00.q1', x)"]


def test_answer_box_is_kept_and_emptied():
    nb = _student(_tagged(new_markdown_cell("*Your answer:* the firm leaks customers"), "answer-box"))
    assert nb.cells[0].source == make_student.answer_prompt("en") == "*Your answer (你的答案):*"
    assert nb.cells[0].metadata["tags"] == ["answer-box"]


def test_outputs_counts_and_cell_metadata_are_cleared_and_empty_cells_dropped():
    cell = new_code_cell(
        "x = 1\nx",
        execution_count=3,
        outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=3)],
    )
    cell.metadata["execution"] = {"iopub.execute_input": "2024-01-01T00:00:00"}
    gone = new_code_cell("print('only the solution')  # SOLUTION")
    nb = _student(cell, gone)
    assert len(nb.cells) == 1
    assert nb.cells[0].outputs == [] and nb.cells[0].execution_count is None
    assert nb.cells[0].metadata == {}


def test_everything_else_is_kept_and_the_source_is_not_changed():
    solution = new_notebook(
        cells=[
            new_markdown_cell("# Title"),
            new_code_cell("import crmlib"),
            new_code_cell("y = 2  # SOLUTION"),
        ]
    )
    before = nbformat.writes(solution)
    student = make_student.make_student_notebook(solution)
    assert [c.source for c in student.cells[:2]] == ["# Title", "import crmlib"]
    assert nbformat.writes(solution) == before


def test_rendering_is_deterministic_and_like_nbformat_write():
    solution = new_notebook(cells=[new_code_cell("a = 1  # SOLUTION")])
    solution.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    text = make_student.render(make_student.make_student_notebook(solution))
    assert text == make_student.render(make_student.make_student_notebook(solution))
    assert text.endswith("}\n") and '\n "metadata": {\n' in text
    student = nbformat.reads(text, as_version=4)
    assert student.nbformat == 4 and student.metadata.kernelspec.name == "python3"
    assert "version" not in student.metadata.language_info


# (4) every registered question: blank fails, wrong fails, expected passes -------
@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_question_rejects_blank_and_wrong_and_accepts_expected(question):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would reach the student's notebook
        for blank in (..., None):
            result = evaluate(question, blank, "en")
            assert not result.passed and "not answered yet" in result.message
        assert question.wrong, f"{question.id} declares no typical wrong answer"
        for slip in question.wrong:  # (every variant: tests/test_variants.py)
            value = slip.value_for(question.variants[0])
            result = evaluate(question, value, "en")
            assert not result.passed, f"{question.id} accepts the wrong answer {value!r}"
        if question.has_expected:
            result = evaluate(question, question.expected(), "en")
            assert result.passed, result.message
        for language in ("en", "zh"):
            assert evaluate(question, ..., language).message


# (5) student notebooks: no solution left, every check call kept --------------
@pytest.mark.parametrize("path", SOLUTION_NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_has_no_solution_and_keeps_every_check(path):
    student_path = STUDENT / path.name
    assert student_path.exists(), f"run `python tools/make_student.py` to write {student_path.name}"
    student = nbformat.read(student_path, as_version=4)
    for index, cell in enumerate(student.cells):
        assert "solution" not in cell.metadata.get("tags", []), f"cell {index} is tagged solution"
        for marker in MARKERS:
            assert marker not in cell.source, f"cell {index} still holds {marker!r}"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert check_ids(student_path) == check_ids(path)


@pytest.mark.parametrize("path", SOLUTION_NOTEBOOKS, ids=lambda p: p.name)
def test_unanswered_student_notebook_runs_without_error(path, monkeypatch):
    """A student who runs every cell before answering sees verdicts, not tracebacks."""
    import crmlib.exercises

    verdicts = []
    original = crmlib.exercises.check

    def recording_check(question_id, answer):
        verdicts.append(original(question_id, answer))
        return verdicts[-1]

    monkeypatch.setattr(crmlib.exercises, "check", recording_check)
    monkeypatch.chdir(STUDENT)
    student = nbformat.read(STUDENT / path.name, as_version=4)
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cell in student.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, f"{path.name}:{cell.get('id')}", "exec"), namespace)
    assert [v.question_id for v in verdicts] == check_ids(path)
    assert all("not answered yet" in v.message and not v.passed for v in verdicts)


def test_check_mode_reports_missing_and_stale_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(make_student.STUDENT, "en", tmp_path)
    assert make_student.main(["--check"]) == 1
    assert "missing: " in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
    assert make_student.main([]) == 0
    assert make_student.main(["--check"]) == 0
    first = sorted(tmp_path.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8").replace("check(", "check (", 1), encoding="utf-8")
    capsys.readouterr()
    assert make_student.main(["--check"]) == 1
    assert "stale: " in capsys.readouterr().out
