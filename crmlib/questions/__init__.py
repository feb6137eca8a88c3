"""The question banks behind :func:`crmlib.check.check`, one module per chapter.

A bank is a module ``chNN.py`` in this package (``ch00.py`` for chapter 00)
that defines ``QUESTIONS``, a list of questions built with the functions of
:mod:`crmlib.check`::

    from crmlib.check import integer, mistake

    QUESTIONS = [
        integer("ch03.q1", lambda: ..., wrong=[mistake(..., because="...")]),
    ]

Adding a chapter is adding one file: the registry finds every ``chNN``
module here, imports it on first use and checks that its ids start with
``chNN.`` and are unique.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from crmlib.check import Question

__all__ = ["chapters", "chapter_questions", "registry", "all_questions"]

_BANK = re.compile(r"ch\d\d")
_registry: dict[str, Question] | None = None


def chapters() -> list[str]:
    """Names of the chapter banks, sorted: ``["ch00", "ch01", ...]``."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if _BANK.fullmatch(info.name))


def chapter_questions(chapter: str) -> list[Question]:
    """The questions of one bank, in the order the bank lists them."""
    if not _BANK.fullmatch(chapter):
        raise ValueError(f"chapter bank names look like 'ch00', got {chapter!r}")
    module = importlib.import_module(f"{__name__}.{chapter}")
    questions = getattr(module, "QUESTIONS", None)
    if not isinstance(questions, (list, tuple)):
        raise TypeError(f"{module.__name__} must define QUESTIONS, a list of questions")
    for question in questions:
        if not isinstance(question, Question):
            raise TypeError(
                f"{module.__name__}.QUESTIONS holds {type(question).__name__}; "
                "build questions with crmlib.check.numeric, choice, text, ..."
            )
        if not question.id.startswith(chapter + "."):
            raise ValueError(
                f"question {question.id!r} is in bank {chapter}.py: its id must start with {chapter + '.'!r}"
            )
    return list(questions)


def registry() -> dict[str, Question]:
    """Every registered question by id (banks are imported once, on first use)."""
    global _registry
    if _registry is None:
        found: dict[str, Question] = {}
        for chapter in chapters():
            for question in chapter_questions(chapter):
                if question.id in found:
                    raise ValueError(f"question id {question.id!r} is registered twice in {chapter}.py")
                found[question.id] = question
        _registry = found
    return _registry


def all_questions() -> list[Question]:
    """Every registered question, chapter by chapter."""
    return list(registry().values())
