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
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
import sys
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
]

_BANK = re.compile(r"ch\d\d")
_registry: dict[str, Question] | None = None
#: Wrong answers given so far in this session, per question id: chooses the
#: step of a question's hints (see :func:`check`); :func:`reset_hints` clears it.
_misses: dict[str, int] = {}


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
        _registry = found
    return _registry


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

    Examples
    --------
    >>> check("ch00.q1", ...).passed
    False
    """
    asked = question(question_id)
    result = evaluate(asked, answer, get_language(), miss=_misses.get(asked.id, 0) + 1)
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
