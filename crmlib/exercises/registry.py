"""The question banks, found and checked, and :func:`check`, which grades an answer by id.

A bank is a module ``crmlib/exercises/banks/chNN.py`` (``ch00.py`` for chapter
00) that defines ``QUESTIONS``, a list of questions built with the functions of
:mod:`crmlib.exercises.engine`::

    from crmlib.exercises.engine import integer, mistake

    QUESTIONS = [
        integer("ch03.q1", lambda: ...,
                hint={"en": "...", "zh": "..."},
                wrong=[mistake(..., because={"en": "...", "zh": "..."})]),
    ]

Adding a chapter is adding one file: the registry finds every ``chNN`` module
there, imports it on first use and checks that its ids start with ``chNN.``
and are unique.

Per-student variants: a question with ``variants=`` (a customer, a cohort, a
rate, a channel) gives each student their own parameters. :func:`set_student`
sets the student id (or reads it from the notebook's file name,
``2024123456_03_customer_lifecycle.ipynb``); :func:`parameters` shows and
returns the student's parameters of a question, and :func:`check` grades against
the student's variant. Without a student id every question is in its default
variant, the one the solution notebooks show. Besides the course language, the
student id is the only setting the course keeps.
"""

from __future__ import annotations

import difflib
import importlib
import os
import pkgutil
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from crmlib.exercises import banks
from crmlib.exercises.engine import CheckResult, Question, UnknownQuestionError, evaluate
from crmlib.exercises.engine import is_blank as is_blank_answer
from crmlib.language import get_language, message
from crmlib.validation import DataError

__all__ = [
    "chapters",
    "chapter_questions",
    "questions_by_id",
    "all_questions",
    "question",
    "check",
    "reset_hints",
    "set_student",
    "student",
    "parameters",
    "Parameters",
]

_BANK = re.compile(r"ch\d\d")
_registry: dict[str, Question] | None = None
#: Wrong answers given so far in this session, per question id: chooses the
#: step of a question's hints (see :func:`check`); :func:`reset_hints` clears it.
_misses: dict[str, int] = {}
#: The student id set by :func:`set_student` (``None``: the default variants).
_student: str | None = None
#: A student id: letters, digits and ``-``, 1 to 40 of them (no ``_``: it ends the id in a file name).
_STUDENT_ID = re.compile(r"[A-Za-z0-9-]{1,40}")
#: A submission's file name: ``<student id>_<chapter>_<anything>.ipynb`` (as :mod:`crmlib.grade` reads it).
STUDENT_FILE = re.compile(r"^(?P<student>[A-Za-z0-9-]{1,40})_(?P<chapter>\d\d)(?:_.*)?\.ipynb$")


def chapters() -> list[str]:
    """Names of the chapter banks, sorted: ``["ch00", "ch01", ...]``."""
    return sorted(info.name for info in pkgutil.iter_modules(banks.__path__) if _BANK.fullmatch(info.name))


def chapter_questions(chapter: str) -> list[Question]:
    """The questions of one bank, in the order the bank lists them."""
    if not isinstance(chapter, str) or not _BANK.fullmatch(chapter):
        raise DataError(f"chapter bank names look like 'ch00', got {chapter!r}")
    module = importlib.import_module(f"{banks.__name__}.{chapter}")
    questions = getattr(module, "QUESTIONS", None)
    if not isinstance(questions, (list, tuple)):
        raise TypeError(f"{module.__name__} must define QUESTIONS, a list of questions")
    for item in questions:
        if not isinstance(item, Question):
            raise TypeError(
                f"{module.__name__}.QUESTIONS holds {type(item).__name__}; "
                "build questions with crmlib.exercises.engine.numeric, choice, text, ..."
            )
        if not item.id.startswith(chapter + "."):
            raise DataError(
                f"question {item.id!r} is in bank {chapter}.py: its id must start with {chapter + '.'!r}"
            )
    return list(questions)


def questions_by_id() -> dict[str, Question]:
    """Every registered question by id (banks are imported once, on first use)."""
    global _registry
    if _registry is None:
        found: dict[str, Question] = {}
        for chapter in chapters():
            for item in chapter_questions(chapter):
                if item.id in found:
                    raise DataError(f"question id {item.id!r} is registered twice in {chapter}.py")
                found[item.id] = item
        for item in found.values():
            _check_shared_variant(item, found)
        _registry = found
    return _registry


def _check_shared_variant(item: Question, found: dict[str, Question]) -> None:
    """A question that shares another's variant must name a registered question with the same variants."""
    other = item.same_variant_as
    if other is None:
        return
    if other not in found:
        raise DataError(f"{item.id}: same_variant_as={other!r} names no registered question")
    if [dict(v) for v in found[other].variants] != [dict(v) for v in item.variants]:
        raise DataError(f"{item.id}: same_variant_as={other!r} needs the same variants= as {other}")


def all_questions() -> list[Question]:
    """Every registered question, chapter by chapter."""
    return list(questions_by_id().values())


def question(question_id: str) -> Question:
    """The registered question with this id; :class:`UnknownQuestionError` naming the
    nearest ids (in the course language) when there is none."""
    known = questions_by_id()
    if not isinstance(question_id, str):
        raise UnknownQuestionError(message("exercise.bad_id", qid=_shown(question_id)))
    if question_id in known:
        return known[question_id]
    near = difflib.get_close_matches(str(question_id), list(known), n=3, cutoff=0.5)
    if near:
        raise UnknownQuestionError(message("exercise.unknown_id", qid=question_id, near=", ".join(near)))
    prefixes = ", ".join(sorted({q.split(".")[0] + "." for q in known})) or "—"
    raise UnknownQuestionError(message("exercise.unknown_id_none", qid=question_id, prefixes=prefixes))


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def check(question_id: str, answer: Any) -> CheckResult:
    """Give feedback on ``answer`` to the question ``question_id``.

    Parameters
    ----------
    question_id : str
        The id printed beside the question, e.g. ``"ch00.q2"``.
    answer : object
        Your answer: a number, a letter, a short text, a DataFrame... as the
        question asks. ``...`` or ``None`` means "not answered yet".

    Returns
    -------
    CheckResult
        ``passed`` and a one-line ``message`` in the course language
        (:func:`crmlib.set_language`). In a notebook the verdict line is
        displayed as soon as ``check`` runs, so every ``check`` of a cell shows
        its verdict; the returned result then shows nothing more. Outside
        Jupyter its ``repr`` is the verdict line. Discussion questions also
        return a ``checklist``.

    Raises
    ------
    UnknownQuestionError
        When no question has this id; the message lists the nearest ids.

    Notes
    -----
    A question with parameters is graded against the variant of the student id
    set by :func:`set_student` (the default variant when none is set).

    Examples
    --------
    >>> check("ch00.q1", ...).passed
    False
    """
    asked = question(question_id)
    params = asked.variants[asked.variant_of(_student)]
    result = evaluate(asked, answer, get_language(), miss=_misses.get(asked.id, 0) + 1, params=params)
    if not result.passed and asked.kind != "discussion" and not is_blank_answer(answer):
        _misses[asked.id] = _misses.get(asked.id, 0) + 1
    if _in_kernel():
        result._show()
    return result


def reset_hints(question_id: str | None = None) -> None:
    """Start the hints of one question (or of every question) again from the first step.

    Examples
    --------
    >>> reset_hints()
    """
    if question_id is None:
        _misses.clear()
    else:
        _misses.pop(question_id, None)


def _in_kernel() -> bool:
    """Whether the code runs in a Jupyter kernel (where a verdict is displayed at once)."""
    ipython = sys.modules.get("IPython")
    if ipython is None or "IPython.display" not in sys.modules:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


# ------------------------------------------------------------------ per-student variants
class _Shown:
    """Shows itself once in a notebook, at once when created inside a kernel (like ``check``)."""

    _shown: bool = False

    def _repr_markdown_(self) -> str:  # pragma: no cover - replaced by subclasses
        return str(self)

    def _show(self) -> None:
        display = sys.modules["IPython.display"].display
        display({"text/markdown": self._repr_markdown_(), "text/plain": str(self)}, raw=True)
        self._shown = True

    def _ipython_display_(self) -> None:
        if not self._shown:
            self._show()


class Parameters(_Shown, Mapping):
    """The parameters of one question for the current student: a read-only mapping,
    whose values are also attributes (``p["days"]`` or ``p.days``)."""

    def __init__(
        self, question_id: str, values: Mapping[str, Any], variant: int, count: int, who: str | None
    ) -> None:
        self.question_id, self.variant, self.count, self.student = question_id, variant, count, who
        self._values = dict(values)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(
            message("exercise.no_parameter", qid=self.question_id, name=name, names=", ".join(values))
        )

    def _line(self, code: bool) -> str:
        quote = "`" if code else ""
        shown = ", ".join(f"{quote}{k} = {v!r}{quote}" for k, v in self._values.items())
        if self.student is None:
            return message("exercise.parameters_default", qid=self.question_id, params=shown)
        return message(
            "exercise.parameters_student",
            qid=self.question_id,
            params=shown,
            student=self.student,
            variant=self.variant,
            count=self.count - 1,
        )

    def __str__(self) -> str:
        return self._line(code=False)

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return self._line(code=True)


class _StudentSet(_Shown):
    def __init__(self, who: str | None, found_in: str) -> None:
        self.student, self.found_in = who, found_in

    def __str__(self) -> str:
        if self.student is None:
            return message("exercise.student_none")
        return message(f"exercise.student_{self.found_in}", student=self.student)

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return str(self)


def _id_from_notebook() -> str | None:
    """The student id in the running notebook's file name, if Jupyter says which notebook
    runs (``JPY_SESSION_NAME``) and its name is ``<id>_<chapter>_....ipynb``."""
    name = Path(os.environ.get("JPY_SESSION_NAME", "")).name
    match = STUDENT_FILE.match(name)
    return match["student"] if match else None


def set_student(student_id: str | None = None) -> Any:
    """Set the student whose variant of each question :func:`parameters` and :func:`check` use.

    Parameters
    ----------
    student_id : str, optional
        Your student id: letters, digits and ``-`` (``"2024123456"``). Without it,
        the id is read from the notebook's file name when it has the form
        ``2024123456_03_customer_lifecycle.ipynb`` (the form in which exercises
        are handed in); otherwise no id is set and every question keeps its
        default variant, the one the solution notebooks show. ``""`` also means
        no id.

    Returns
    -------
    object
        A one-line note saying which id is set (shown in a notebook).

    Examples
    --------
    >>> set_student("2024123456").student
    '2024123456'
    >>> set_student("").student is None
    True
    """
    global _student
    found_in = "given"
    if student_id is None:
        student_id, found_in = _id_from_notebook(), "file"
    if student_id is not None and not isinstance(student_id, str):
        student_id = str(student_id) if isinstance(student_id, int) else student_id
    if isinstance(student_id, str):
        student_id = student_id.strip()
    if (
        student_id is not None
        and student_id != ""
        and not (isinstance(student_id, str) and _STUDENT_ID.fullmatch(student_id))
    ):
        raise DataError(message("exercise.bad_student", got=_shown(student_id)))
    _student = student_id or None
    note = _StudentSet(_student, found_in)
    if _in_kernel():
        note._show()
    return note


def student() -> str | None:
    """The student id set by :func:`set_student`, or ``None``."""
    return _student


def parameters(question_id: str) -> Parameters:
    """The parameters of a question in the current student's variant, shown in the notebook.

    Use them in your code instead of copying the numbers: ``p = parameters("ch03.q5")``,
    then ``p.days`` (or ``p["days"]``). Without a student id (:func:`set_student`) they
    are those of the default variant, which the solutions show.

    Raises
    ------
    UnknownQuestionError
        When no question has this id.
    DataError
        When the question has no parameters.

    Examples
    --------
    >>> set_student("")  # doctest: +ELLIPSIS
    No student id...
    >>> parameters("ch03.q5").days
    270
    """
    asked = question(question_id)
    if not asked.has_variants:
        raise DataError(message("exercise.no_parameters", qid=asked.id))
    variant = asked.variant_of(_student)
    result = Parameters(asked.id, asked.variants[variant], variant, len(asked.variants), _student)
    if _in_kernel():
        result._show()
    return result
