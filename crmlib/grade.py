"""Grade a folder of submitted exercise notebooks: ``python -m crmlib.grade SUBMISSIONS/ --out grades.csv``.

**Grading runs the students' code.** Each submission is executed from a fresh
kernel (a new process, the same Python as the grader) in a temporary folder,
with a time limit per cell, a wall-clock limit per notebook and a memory limit
(``RLIMIT_AS`` set in the kernel process before it starts; also ``RLIMIT_CPU``
as a backstop), each notebook driven by its own grader process
(``--run-one``). A cell that raises is recorded and the notebook goes on; a
cell over its time limit is interrupted; a notebook over its wall-clock limit
has its kernel and its grader process killed and is reported; the answers it had
are kept (written after every cell that holds a ``check`` call): the questions
answered before the stop are graded, the others are ``error``; the batch goes on. Run it in a container without network
(``instructors/grading.md``).

**The grader decides every verdict, not the notebook.** Nothing the notebook
printed is read, and its ``check`` is never trusted: after each cell with a
``check`` call and after the last cell, the grader executes a cell of its own that writes the value of each answer variable
(the names the course's own student notebook passes to ``check("chNN.qK", name)``)
as plain JSON data to a file; the grader rebuilds numbers, texts and tables
from that data (no pickle: no object of the student's is ever loaded into the
grader) and grades them with :func:`crmlib.exercises.evaluate` against the
question banks imported in the grader's own process, whose expected answers
are computed before any submission runs. So a notebook that redefines
``check``, prints a fake "✅" or edits the question bank in its kernel's memory
changes nothing.

**Each student's own variant.** A question with ``variants=`` is graded against the
variant of the student id (from the metadata or the file name); the kernel's
``JPY_SESSION_NAME`` is the file name, so the notebook's ``set_student()`` reads the
id as in JupyterLab. An answer right only for the default variant is ``wrong``, with
a mistake that says so.

Outputs: ``--out`` (one row per student and question: verdict ``correct``,
``wrong``, ``blank``, ``error``, or ``to_read`` for a discussion question long
enough to be read by the instructor; the mistake recognised; the feedback
line), ``<out>_students.csv`` (per-student totals), and in the same folder
``summary.csv``, ``summary.md`` and ``summary.png`` (share correct per question,
the most frequent mistakes). ``--language zh`` writes the feedback, the mistakes,
``summary.md`` and the figure in Chinese; the verdict codes stay English keys.

The command is the interface; the functions below are internal (``__all__`` is
empty) and may change.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import inspect
import json
import math
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from crmlib.course import chapters as course_chapters
from crmlib.course import notebook_path
from crmlib.exercises import chapter_questions, evaluate, is_blank
from crmlib.exercises.engine import Question, fill
from crmlib.exercises.registry import _STUDENT_ID
from crmlib.language import LANGUAGES, localize, message

__all__: list[str] = []

#: Verdicts, in the order the reports list them.
VERDICTS = ("correct", "wrong", "blank", "error", "to_read")
#: A submission's file name: student id, chapter number, anything (``2024123456_04_customer_value_clv.ipynb``).
FILE_NAME = re.compile(r"^(?P<student>[^_]+)_(?P<chapter>\d\d)(?:_.*)?\.ipynb$")
#: The metadata key a notebook may carry: ``{"crm_course": {"student_id": ..., "chapter": "04"}}``.
METADATA_KEY = "crm_course"
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Limits:
    """What a submission may use: seconds per cell, seconds per notebook, megabytes of address space."""

    cell_seconds: float = 120.0
    notebook_seconds: float = 600.0
    memory_mb: int = 4096


@dataclass
class Submission:
    path: Path
    student: str
    chapter: str  # "04"
    problem: str = ""  # why it could not be read
    #: whether ``student`` is a student id (from the metadata or the file name) that chooses the
    #: variants; ``False`` when it is only the file's stem (every question in its default variant)
    known_id: bool = True

    @property
    def variant_student(self) -> str | None:
        """The id that chooses the student's variant of each question, or ``None`` (the defaults)."""
        return self.student if self.known_id and _STUDENT_ID.fullmatch(self.student) else None


@dataclass
class RunResult:
    """What running one notebook gave: the answers as JSON data, the errors per question cell."""

    status: str = "ok"  # ok, timeout (notebook limit), died (kernel died), unreadable
    detail: str = ""
    answers: dict[str, Any] = field(
        default_factory=dict
    )  # variable -> encoded value ("missing" if undefined)
    cell_errors: dict[str, str] = field(default_factory=dict)  # question id -> error of its cell
    seconds: float = 0.0


# ------------------------------------------------------------------ finding submissions
def _read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _check_calls(nb: dict) -> list[tuple[int, str, str | None]]:
    """``(cell index, question id, variable name or None)`` of every ``check("chNN.qK", name)`` call."""
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            for qid in re.findall(r"""check\(\s*["'](ch\d\d\.[\w.-]+)["']""", source):
                found.append((index, qid, None))
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "check"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                name = node.args[1].id if len(node.args) > 1 and isinstance(node.args[1], ast.Name) else None
                found.append((index, node.args[0].value, name))
    return found


def _identify(path: Path) -> Submission:
    """Student id and chapter from the notebook's metadata, else from its file name."""
    try:
        nb = _read_notebook(path)
    except (OSError, ValueError) as error:
        match = FILE_NAME.match(path.name)
        return Submission(
            path,
            match["student"] if match else path.stem,
            match["chapter"] if match else "",
            problem=f"not a readable notebook: {error}",
        )
    meta = nb.get("metadata", {}).get(METADATA_KEY, {}) or {}
    match = FILE_NAME.match(path.name)
    has_id = bool(meta.get("student_id") or match)
    student = str(meta.get("student_id") or (match["student"] if match else path.stem))
    chapter = str(meta.get("chapter") or (match["chapter"] if match else ""))
    if not chapter:  # the chapter most of its check calls name
        ids = [qid[2:4] for _, qid, _ in _check_calls(nb)]
        chapter = Counter(ids).most_common(1)[0][0] if ids else ""
    known = set(course_chapters()["number"])
    problem = "" if chapter in known else f"cannot tell the chapter (got {chapter!r})"
    return Submission(path, student, chapter, problem, has_id)


def find_submissions(folder: Path) -> list[Submission]:
    """Every ``*.ipynb`` under ``folder`` (checkpoints skipped), sorted by path."""
    paths = sorted(p for p in Path(folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return [_identify(p) for p in paths]


def answer_names(chapter: str) -> dict[str, str]:
    """Question id -> the variable the course's own student notebook checks (``steady_base``)."""
    official = _read_notebook(ROOT / notebook_path(chapter, "en", "student"))
    return {qid: name for _, qid, name in _check_calls(official) if name}


# ------------------------------------------------------------------ the answers, as plain data
def _encode_answers(names, path):
    import datetime as _dt
    import json as _json
    import numbers as _numbers
    import os as _os

    import numpy as _np
    import pandas as _pd

    limit = 200_000

    def enc(value, depth=0):
        if depth > 12:
            return {"t": "other", "type": "nested too deep"}
        if value is None:
            return {"t": "none"}
        if value is Ellipsis:
            return {"t": "ellipsis"}
        if isinstance(value, (bool, _np.bool_)):
            return {"t": "bool", "v": bool(value)}
        if isinstance(value, (int, _np.integer)):
            return {"t": "int", "v": str(int(value))}
        if isinstance(value, (float, _np.floating)):
            return {"t": "float", "v": repr(float(value))}
        if isinstance(value, str):
            return {"t": "str", "v": str.__getitem__(value, slice(None))}
        if value is _pd.NaT:
            return {"t": "nat"}
        if isinstance(value, (_pd.Timestamp, _dt.datetime, _dt.date, _np.datetime64)):
            return {"t": "ts", "v": _pd.Timestamp(value).isoformat()}
        if isinstance(value, (_pd.Timedelta, _dt.timedelta, _np.timedelta64)):
            return {"t": "td", "v": int(_pd.Timedelta(value).value)}
        if isinstance(value, _pd.DataFrame):
            if value.size > limit:
                return {"t": "other", "type": "DataFrame too large"}
            return {
                "t": "frame",
                "columns": [enc(c, depth + 1) for c in value.columns],
                "data": [enc(value.iloc[:, i], depth + 1) for i in range(value.shape[1])],
                "index": enc(value.index, depth + 1),
            }
        if isinstance(value, _pd.Series):
            if value.size > limit:
                return {"t": "other", "type": "Series too large"}
            return {
                "t": "series",
                "name": enc(value.name, depth + 1),
                "dtype": str(value.dtype),
                "values": [enc(v, depth + 1) for v in value.tolist()],
                "index": enc(value.index, depth + 1),
            }
        if isinstance(value, _pd.Index):
            if isinstance(value, _pd.RangeIndex):
                return {"t": "range", "v": [value.start, value.stop, value.step], "name": enc(value.name)}
            if value.size > limit or value.nlevels > 1:
                return {"t": "other", "type": "MultiIndex or large Index"}
            return {
                "t": "index",
                "name": enc(value.name, depth + 1),
                "dtype": str(value.dtype),
                "values": [enc(v, depth + 1) for v in value.tolist()],
            }
        if isinstance(value, _np.ndarray):
            if value.size > limit:
                return {"t": "other", "type": "array too large"}
            return {
                "t": "array",
                "shape": list(value.shape),
                "values": [enc(v, depth + 1) for v in value.ravel().tolist()],
            }
        if isinstance(value, (list, tuple, set, frozenset)):
            if len(value) > limit:
                return {"t": "other", "type": "list too large"}
            kind = {list: "list", tuple: "tuple", set: "set", frozenset: "set"}
            name = next((k for t, k in kind.items() if isinstance(value, t)), "list")
            return {"t": name, "v": [enc(v, depth + 1) for v in value]}
        if isinstance(value, dict):
            return {"t": "dict", "v": [[enc(k, depth + 1), enc(v, depth + 1)] for k, v in value.items()]}
        if isinstance(value, _numbers.Real):
            return {"t": "float", "v": repr(float(value))}
        return {"t": "other", "type": type(value).__name__}

    scope = globals()
    found = {}
    for name in names:
        if name not in scope:
            found[name] = {"t": "missing"}
            continue
        try:
            found[name] = enc(scope[name])
        except Exception as error:  # an answer that cannot be read is graded as such
            found[name] = {"t": "other", "type": f"unreadable ({type(error).__name__})"}
    # written whole, then renamed: a kernel killed while writing leaves the previous file
    with open(path + ".part", "w", encoding="utf-8") as handle:
        _json.dump(found, handle)
    _os.replace(path + ".part", path)


#: read once, at import: the file may change while a long batch runs
_ENCODER_SOURCE = inspect.getsource(_encode_answers)


class Unreadable:
    """Stands for an answer the grader could not rebuild (a function, a model, a huge table)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"<{self.kind}>"


def _decode(data: Any) -> Any:
    """Rebuild an answer from the JSON data of :func:`_encode_answers` (plain types and pandas only)."""
    kind = data.get("t") if isinstance(data, dict) else None
    if kind == "none":
        return None
    if kind == "ellipsis":
        return Ellipsis
    if kind == "bool":
        return bool(data["v"])
    if kind == "int":
        return int(data["v"])
    if kind == "float":
        return float(data["v"])
    if kind == "str":
        return str(data["v"])
    if kind == "nat":
        return pd.NaT
    if kind == "ts":
        return pd.Timestamp(data["v"])
    if kind == "td":
        return pd.Timedelta(int(data["v"]))
    if kind in {"list", "tuple", "set"}:
        items = [_decode(v) for v in data["v"]]
        return {"list": list, "tuple": tuple, "set": set}[kind](items)
    if kind == "dict":
        return {_decode(k): _decode(v) for k, v in data["v"]}
    if kind == "array":
        import numpy as np

        return np.array([_decode(v) for v in data["values"]]).reshape(data["shape"])
    if kind == "range":
        start, stop, step = data["v"]
        return pd.RangeIndex(start, stop, step, name=_decode(data["name"]))
    if kind == "index":
        return _typed(
            pd.Index([_decode(v) for v in data["values"]], name=_decode(data["name"])), data["dtype"]
        )
    if kind == "series":
        series = pd.Series([_decode(v) for v in data["values"]], index=_decode(data["index"]), dtype=object)
        series.name = _decode(data["name"])
        return _typed(series, data["dtype"])
    if kind == "frame":
        columns = [_decode(c) for c in data["columns"]]
        parts = [_decode(s) for s in data["data"]]
        frame = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=_decode(data["index"]))
        frame.columns = columns
        return frame
    if kind == "missing":
        return _MISSING
    return Unreadable(str(data.get("type", "unknown")) if isinstance(data, dict) else "unknown")


def _typed(values: Any, dtype: str) -> Any:
    if dtype == "object":
        return values.infer_objects() if isinstance(values, pd.Series) else values
    try:
        return values.astype(dtype)
    except (TypeError, ValueError):
        return values.infer_objects() if isinstance(values, pd.Series) else values


_MISSING = Unreadable("missing")


def _dump_cell(names: Sequence[str], path: Path) -> str:
    """The source of the cell that writes the answers: :func:`_encode_answers` and its call."""
    return f"{_ENCODER_SOURCE}\n_encode_answers({list(names)!r}, {str(path)!r})\n"


# ------------------------------------------------------------------ running a notebook
_KERNEL_START = (
    "import resource, sys\n"
    "mb, cpu = int(sys.argv.pop(1)), int(sys.argv.pop(1))\n"
    "resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))\n"
    "resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))\n"
    "from ipykernel import kernelapp\n"
    "kernelapp.launch_new_instance()\n"
)


def _kernel_spec_dir(folder: Path, limits: Limits, session_name: str = "") -> str:
    """A kernelspec ``crm-grade`` in ``folder``: this Python, with the limits set before ipykernel starts.

    ``session_name`` is the kernel's ``JPY_SESSION_NAME``, as JupyterLab sets it: the notebook's
    file name, from which the student's own ``set_student()`` reads the student id."""
    spec = folder / "kernels" / "crm-grade"
    spec.mkdir(parents=True, exist_ok=True)
    cpu = int(limits.notebook_seconds) + 30
    argv = [sys.executable, "-c", _KERNEL_START, str(limits.memory_mb), str(cpu), "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": argv,
                "display_name": "crm-course grading",
                "language": "python",
                "env": {
                    "OPENBLAS_NUM_THREADS": "1",
                    "OMP_NUM_THREADS": "1",
                    "MKL_NUM_THREADS": "1",
                    "MPLBACKEND": "Agg",
                    "JPY_SESSION_NAME": session_name,
                },
            }
        ),
        encoding="utf-8",
    )
    return str(folder / "kernels")


def _answer_variables(nb: dict, chapter: str) -> dict[str, str]:
    """Question id -> the variable graded: the course notebook's name, or the one the student checked."""
    names = answer_names(chapter)
    for _, qid, name in _check_calls(nb):  # a variable the student checked under another name
        if name and qid.startswith(f"ch{chapter}.") and qid not in names:
            names[qid] = name
    return names


def _read_answers(answers_file: Path, names: dict[str, str]) -> dict[str, Any]:
    """The answers last written to ``answers_file``, by question id (``{}`` if none was written)."""
    try:
        data = json.loads(Path(answers_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {qid: data.get(name, {"t": "missing"}) for qid, name in names.items()}


def run_submission(path: Path, chapter: str, limits: Limits, answers_file: Path | None = None) -> RunResult:
    """Execute one notebook in a fresh kernel within ``limits`` and collect its answers as JSON data.

    The answers are written to ``answers_file`` (default: a file in the run's temporary folder)
    after every cell with a ``check`` call, so that the process that started this one can still
    read them when it had to kill this one."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    started = time.monotonic()
    result = RunResult()
    try:
        nb = nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=4)
    except Exception as error:  # not JSON, not a notebook
        return RunResult("unreadable", f"not a readable notebook: {type(error).__name__}")
    names = _answer_variables(nb, chapter)
    cell_of = {}
    for index, qid, _ in _check_calls(nb):
        cell_of.setdefault(qid, index)
    for cell in nb.cells:  # the student's outputs are never read
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None

    with tempfile.TemporaryDirectory(prefix="crm-grade-") as scratch:
        work = Path(scratch) / "work"
        work.mkdir()
        km = KernelManager(
            kernel_name="crm-grade",
            kernel_spec_manager=KernelSpecManager(
                kernel_dirs=[_kernel_spec_dir(Path(scratch), limits, str(work / Path(path).name))]
            ),
        )
        client = NotebookClient(
            nb,
            km=km,
            timeout=limits.cell_seconds,
            allow_errors=True,
            interrupt_on_timeout=True,
            resources={"metadata": {"path": str(work)}},
            startup_timeout=120,
        )
        deadline = started + limits.notebook_seconds
        errors: dict[int, str] = {}
        # the hard wall-clock limit: kill the kernel when the notebook's time is up (a cell
        # interrupted at its limit may not stop, and then nbclient would wait for it forever)
        killed: list[bool] = []

        def kill() -> None:
            killed.append(True)
            # a signal to the kernel's process, not km.kill_kernel(): this runs in another thread
            process = getattr(getattr(km, "provisioner", None), "process", None)
            with contextlib.suppress(Exception):  # not started, or gone already
                os.kill(process.pid, signal.SIGKILL)

        watchdog = threading.Timer(limits.notebook_seconds + 5, kill)
        watchdog.daemon = True
        watchdog.start()
        # the answers are written after every cell that holds a check call, each time to the same
        # file: a notebook stopped at its limit, or whose kernel died, keeps the answers it had
        if answers_file is None:
            answers_file = Path(scratch) / f"answers-{secrets.token_hex(8)}.json"
        dump = nbformat.v4.new_code_cell(_dump_cell(sorted(set(names.values())), answers_file))
        check_cells = set(cell_of.values())
        try:
            with client.setup_kernel(cwd=str(work)):
                nb.cells.append(dump)  # run after each check cell, and once more at the end
                for index, cell in enumerate(nb.cells[:-1]):
                    if cell.cell_type != "code":
                        continue
                    left = deadline - time.monotonic()
                    if left <= 0:
                        result.status, result.detail = (
                            "timeout",
                            f"over the notebook limit of {limits.notebook_seconds:g} s",
                        )
                        break
                    # whole seconds: nbclient's timeout is an int (a fraction raises TraitError)
                    client.timeout = max(1, math.ceil(min(limits.cell_seconds, left)))
                    client.execute_cell(cell, index)
                    for output in cell.outputs:
                        if output.get("output_type") == "error":
                            errors[index] = f"{output.get('ename')}: {output.get('evalue')}"[:200]
                    if index in check_cells and deadline - time.monotonic() > 1:
                        client.timeout = max(1, math.ceil(min(60, deadline - time.monotonic())))
                        client.execute_cell(dump, len(nb.cells) - 1)
                client.timeout = 60
                client.execute_cell(dump, len(nb.cells) - 1)
                if not answers_file.exists() and result.status == "ok":
                    result.status, result.detail = "error", "the answers could not be read from the kernel"
        except DeadKernelError as error:
            if killed:
                result.status = "timeout"
                result.detail = f"stopped at the notebook limit of {limits.notebook_seconds:g} s"
            else:
                result.status, result.detail = (
                    "died",
                    f"the kernel died (memory or CPU limit?): {error}"[:200],
                )
        except Exception as error:  # the kernel could not start, or stopped answering
            result.status, result.detail = "died", f"{type(error).__name__}: {error}"[:200]
            if killed:
                result.status = "timeout"
                result.detail = f"stopped at the notebook limit of {limits.notebook_seconds:g} s"
        finally:  # the client does not own the kernel manager: stop the kernel here, at once
            watchdog.cancel()
            try:
                if km.has_kernel:
                    km.shutdown_kernel(now=True)
            except Exception:  # already gone
                pass
        # the answers last written: all of them, or those saved before the notebook stopped
        result.answers = _read_answers(answers_file, names)
    # an interrupted cell (time limit) leaves a KeyboardInterrupt in its outputs
    for qid, index in cell_of.items():
        if index in errors:
            text = errors[index]
            if text.startswith("KeyboardInterrupt"):
                text = f"cell time limit of {limits.cell_seconds:g} s"
            result.cell_errors[qid] = text
    result.seconds = time.monotonic() - started
    return result


# ------------------------------------------------------------------ grading
def _prepare(chapter: str) -> list[Question]:
    """The chapter's questions, with every expected answer and typical mistake computed now,
    before any submission runs (so nothing a submission does afterwards can change them)."""
    questions = chapter_questions(f"ch{chapter}")
    for q in questions:
        for params in q.variants:  # every variant: computed and cached
            if q.has_expected and q.kind != "text":
                q.expected(params)
            for slip in q.wrong:
                slip.value_for(params)
    return questions


def grade_run(
    submission: Submission, questions: list[Question], run: RunResult, language: str = "en"
) -> list[dict[str, Any]]:
    """One row per question: verdict, the mistake recognised, the feedback line (in ``language``).

    Each question is graded against the student's own variant (:meth:`Question.variant_of` of the
    student id; the default variant when no id is known). An answer right for the default variant
    but not for the student's is ``wrong``, with a mistake that says so."""
    rows = []
    who = submission.variant_student
    for q in questions:
        variant = q.variant_of(who)
        params = q.variants[variant]
        row = {
            "student": submission.student,
            "chapter": submission.chapter,
            "question": q.id,
            "variant": variant,
            "kind": q.kind,
            "verdict": "",
            "mistake": "",
            "feedback": "",
            "detail": "",
            "file": submission.path.name,
        }
        answer = _decode(run.answers[q.id]) if q.id in run.answers else _MISSING
        problem = run.cell_errors.get(q.id) or (run.detail if run.status != "ok" else "")
        if answer is _MISSING or (is_blank(answer) and q.id in run.cell_errors):
            row["verdict"] = "error" if problem else "blank"
            row["detail"] = problem or "no answer variable"
        elif is_blank(answer):
            row["verdict"] = "blank"
        else:
            result = evaluate(q, answer, language, params=params)
            row["feedback"] = result.message
            if q.kind == "discussion":
                row["verdict"] = "to_read" if result.passed else "wrong"
            else:
                row["verdict"] = "correct" if result.passed else "wrong"
            if not result.passed and variant and evaluate(q, answer, language, params=q.variants[0]).passed:
                row["mistake"] = message("grade.default_variant", language)
                row["feedback"] = message(
                    "exercise.not_yet", language, qid=q.id, reason=row["mistake"].rstrip(".。")
                )
            elif not result.passed:
                for slip in q.wrong:
                    because = fill(localize(slip.because, language), params) if slip.because else ""
                    if because and because.rstrip(".。") in result.message:
                        row["mistake"] = because
                        break
            if q.id in run.cell_errors:
                row["detail"] = run.cell_errors[q.id]
        rows.append(row)
    return rows


def _run_one_in_child(args: tuple[Submission, Limits]) -> tuple[Submission, RunResult]:
    submission, limits = args
    if submission.problem:
        return submission, RunResult("unreadable", submission.problem)
    with tempfile.TemporaryDirectory(prefix="crm-answers-") as folder:
        # the child writes the answers here: if it must be killed, the answers saved so far remain
        answers_file = Path(folder) / f"answers-{secrets.token_hex(8)}.json"
        command = [
            sys.executable,
            "-m",
            "crmlib.grade",
            "--run-one",
            str(submission.path),
            submission.chapter,
        ]
        command += [f"--cell-timeout={limits.cell_seconds}", f"--notebook-timeout={limits.notebook_seconds}"]
        command += [f"--memory-mb={limits.memory_mb}", f"--answers-file={answers_file}"]
        # its own session, so that the child and everything it started can be killed together
        started = time.monotonic()
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True
        )
        try:
            stdout, _ = child.communicate(timeout=limits.notebook_seconds + 10)
            lines = stdout.strip().splitlines()
            return submission, RunResult(**json.loads(lines[-1]))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            status = ("timeout", f"stopped at the notebook limit of {limits.notebook_seconds:g} s")
        except (IndexError, ValueError, TypeError):
            status = ("died", "the grader process of this notebook failed")
        answers = {}
        with contextlib.suppress(OSError, ValueError):
            answers = _read_answers(
                answers_file, _answer_variables(_read_notebook(submission.path), submission.chapter)
            )
        return submission, RunResult(*status, answers=answers, seconds=time.monotonic() - started)


def grade_folder(
    folder: Path,
    out: Path,
    limits: Limits = Limits(),
    jobs: int = 1,
    log: Any = print,
    language: str = "en",
) -> pd.DataFrame:
    """Grade every notebook under ``folder``; write ``out`` and the reports beside it; return the rows.

    ``language`` (``en`` or ``zh``) is that of the feedback and mistake columns, ``summary.md``
    and the figure; the verdict codes stay English keys."""
    submissions = find_submissions(Path(folder))
    if not submissions:
        raise SystemExit(f"no .ipynb file under {folder}")
    questions = {c: _prepare(c) for c in sorted({s.chapter for s in submissions if not s.problem})}
    tasks = [(s, limits) for s in submissions]
    rows: list[dict[str, Any]] = []
    runs: list[tuple[Submission, RunResult]] = []
    # each notebook from its own grader process (python -m crmlib.grade --run-one ...), killed with
    # its kernel when the notebook's time is up; --jobs of them at once
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        done = list(pool.map(_run_one_in_child, tasks))
    for submission, run in done:
        log(
            f"{submission.path.name}: {run.status} ({run.seconds:.1f} s){' — ' + run.detail if run.detail else ''}"
        )
        runs.append((submission, run))
        if submission.problem:
            rows.append(
                {"student": submission.student, "chapter": submission.chapter, "question": "", "variant": "",
                 "kind": "", "verdict": "error", "mistake": "", "feedback": "", "detail": submission.problem,
                 "file": submission.path.name}
            )  # fmt: skip
            continue
        rows.extend(grade_run(submission, questions[submission.chapter], run, language))
    table = pd.DataFrame(rows)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    students = student_totals(table, runs)
    students.to_csv(out.with_name(f"{out.stem}_students.csv"), index=False)
    write_summary(table, students, out.parent, language)
    return table


def student_totals(table: pd.DataFrame, runs: list[tuple[Submission, RunResult]]) -> pd.DataFrame:
    """Per student and chapter: counts of each verdict, the auto-graded questions, the share correct."""
    counts = pd.crosstab([table["student"], table["chapter"], table["file"]], table["verdict"])
    counts = counts.reindex(columns=list(VERDICTS), fill_value=0).reset_index()
    counts["graded"] = counts[["correct", "wrong", "blank", "error"]].sum(axis=1)
    counts["score"] = (counts["correct"] / counts["graded"].where(counts["graded"] > 0)).round(3)
    status = {s.path.name: (r.status, r.detail, round(r.seconds, 1)) for s, r in runs}
    counts["run"] = counts["file"].map(lambda f: status.get(f, ("", "", 0))[0])
    counts["run_detail"] = counts["file"].map(lambda f: status.get(f, ("", "", 0))[1])
    counts["seconds"] = counts["file"].map(lambda f: status.get(f, ("", "", 0))[2])
    counts.columns.name = None
    return counts.sort_values(["chapter", "student"]).reset_index(drop=True)


def class_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per question: how many submissions got each verdict, the share correct, the most frequent mistake."""
    table = table.loc[table["question"] != ""]
    counts = pd.crosstab([table["chapter"], table["question"], table["kind"]], table["verdict"])
    counts = counts.reindex(columns=list(VERDICTS), fill_value=0)
    counts["submissions"] = counts.sum(axis=1)
    counts["share_correct"] = (counts["correct"] / counts["submissions"]).round(3)
    mistakes = table.loc[table["mistake"] != ""].groupby("question")["mistake"]
    top = mistakes.agg(lambda s: s.value_counts().index[0])
    top_n = mistakes.agg(lambda s: int(s.value_counts().iloc[0]))
    counts = counts.reset_index()
    counts["top_mistake"] = counts["question"].map(top).fillna("")
    counts["top_mistake_count"] = counts["question"].map(top_n).fillna(0).astype(int)
    counts.columns.name = None
    order = counts["question"].str.extract(r"ch(\d\d)\.q?(\d+)?").fillna("0").astype(int)
    return counts.iloc[order.sort_values([0, 1]).index].reset_index(drop=True)


def write_summary(table: pd.DataFrame, students: pd.DataFrame, folder: Path, language: str = "en") -> None:
    """``summary.csv``, ``summary.md`` and ``summary.png`` in ``folder``; the report and the figure in
    ``language``."""
    summary = class_summary(table)
    summary.to_csv(folder / "summary.csv", index=False)
    frequent = (
        table.loc[table["mistake"] != ""]
        .groupby(["question", "mistake"])
        .size()
        .sort_values(ascending=False)
        .rename("students")
        .reset_index()
        .head(10)
    )
    problems = students.loc[students["run"] != "ok", ["student", "file", "run"]].copy()
    problems["run_detail"] = problems["run"].map(lambda status: _run_text(status, language))

    def say(key: str, **values: Any) -> str:
        return message(f"grade.{key}", language, **values)

    def md(frame: pd.DataFrame) -> str:
        return _markdown(frame.rename(columns=lambda c: _column(c, language)))

    lines = [
        f"# {say('summary_title')}",
        "",
        say("summary_intro", n=students.shape[0]),
        say("summary_codes"),
        "",
        f"## {say('summary_share')}",
        "",
        md(summary[["question", "kind", *VERDICTS, "share_correct", "top_mistake"]]),
        "",
        f"## {say('summary_mistakes')}",
        "",
        md(frequent) if not frequent.empty else say("summary_no_mistake"),
        "",
        f"## {say('summary_students')}",
        "",
        md(students[["student", "chapter", *VERDICTS, "score", "run"]]),
        "",
        f"## {say('summary_stopped')}",
        "",
        md(problems) if not problems.empty else say("summary_none"),
        "",
        f"![{say('summary_figure')}](summary.png)",
        "",
    ]
    (folder / "summary.md").write_text("\n".join(lines), encoding="utf-8")
    _figure(summary, students.shape[0], folder / "summary.png", language)


def _column(name: str, language: str) -> str:
    """A column's heading in ``summary.md``: a verdict's label, or the column's name in ``language``."""
    if name in VERDICTS:
        return message(f"grade.verdict_{name}", language)
    return message(f"grade.column_{name}", language)


def _run_text(status: str, language: str) -> str:
    key = f"grade.run_{status}"
    return message(key, language) if status in {"ok", "timeout", "died", "unreadable", "error"} else status


def _markdown(frame: pd.DataFrame) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, float) and math.isnan(value):
            return ""
        return str(value).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * frame.shape[1]
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _figure(summary: pd.DataFrame, n: int, path: Path, language: str = "en") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlib.plots import set_style

    set_style()  # the course's fonts: a Chinese report draws its labels with the course's Chinese font
    colours = {
        "correct": "#2a9d8f",
        "wrong": "#e76f51",
        "blank": "#bdbdbd",
        "error": "#6d597a",
        "to_read": "#8ab6d6",
    }
    figure, ax = plt.subplots(figsize=(8, 0.35 * len(summary) + 1.6), layout="constrained")
    left = pd.Series(0.0, index=summary.index)
    share = summary[list(VERDICTS)].div(summary["submissions"], axis=0)
    for verdict in VERDICTS:
        ax.barh(
            summary["question"], share[verdict], left=left, color=colours[verdict],
            label=message(f"grade.verdict_{verdict}", language),
        )  # fmt: skip
        left += share[verdict]
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(message("grade.figure_xlabel", language))
    ax.set_title(message("grade.figure_title", language, n=n))
    figure.legend(loc="outside lower center", ncol=5, frameon=False)  # below the axes (constrained layout)
    figure.savefig(path, dpi=120)
    plt.close(figure)


# ------------------------------------------------------------------ command line
def _skip_iri_grammars() -> None:
    """Let jsonschema (imported by nbformat) do without ``rfc3987_syntax``, which compiles about 40
    grammars when it is imported: 1.5 s of CPU in each grading process, for the ``iri`` format
    checks that the notebook schema (JSON Schema draft 4) never asks for (jsonschema issue #1428)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # None: "not installed", which jsonschema accepts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crmlib.grade",
        description="Grade a folder of submitted exercise notebooks (this RUNS the students' code: "
        "use a container without network, see instructors/grading.md).",
    )
    parser.add_argument(
        "submissions", type=Path, nargs="?", help="folder of .ipynb files (searched recursively)"
    )
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="the per-question table")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    parser.add_argument("--cell-timeout", type=float, default=Limits.cell_seconds, help="seconds per cell")
    parser.add_argument(
        "--notebook-timeout", type=float, default=Limits.notebook_seconds, help="seconds per notebook"
    )
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb, help="address space of a kernel")
    parser.add_argument(
        "--language",
        choices=list(LANGUAGES),
        default="en",
        help="language of the feedback, the mistakes, summary.md and the figure (verdict codes stay English)",
    )
    parser.add_argument("--run-one", nargs=2, metavar=("NOTEBOOK", "CHAPTER"), help=argparse.SUPPRESS)
    parser.add_argument("--answers-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    limits = Limits(args.cell_timeout, args.notebook_timeout, args.memory_mb)
    if args.run_one:  # one notebook, for --jobs: the result as one JSON line
        _skip_iri_grammars()
        run = run_submission(Path(args.run_one[0]), args.run_one[1], limits, args.answers_file)
        print(json.dumps(dataclasses.asdict(run)))
        return 0
    if args.submissions is None:
        parser.error("give the folder of submitted notebooks")
    table = grade_folder(args.submissions, args.out, limits, max(1, args.jobs), language=args.language)
    done = table.loc[table["question"] != ""]
    print(f"{table['file'].nunique()} notebooks, {len(done)} answers: " + ", ".join(
        f"{v} {int((done['verdict'] == v).sum())}" for v in VERDICTS
    ))  # fmt: skip
    print(f"wrote {args.out}, {args.out.with_name(args.out.stem + '_students.csv')}, "
          f"and summary.csv, summary.md, summary.png in {args.out.parent}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
