"""The question kinds of the exam banks, the bank check and the drawing of one exam variant.

Three kinds of question:

- :class:`MultipleChoice`: a stem, options, the right one, why it is right and why each other
  option is wrong;
- :class:`ShortAnswer`: a stem and the points a good answer covers (the marking scheme);
- :class:`Computational`: a stem with parameters drawn from a random generator, and a function
  that computes the answer with crmlib from the shipped data. Each exam variant (one number,
  ``--seed`` of ``python -m crmlib.exams``) draws its own parameters, so two classes, or this
  year's and last year's exam, get different numbers.

A bank is a module ``crmlib/exams/banks/chNN.py`` with a list ``QUESTIONS``;
:func:`check_bank` refuses a bank with fewer than :data:`MIN_QUESTIONS` questions or without
every kind.
"""

from __future__ import annotations

import importlib
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..glossary import term

#: Every chapter needs at least this many exam questions.
MIN_QUESTIONS = 10
#: The chapters with an exam bank.
CHAPTERS = tuple(f"{n:02d}" for n in range(10))
#: The three kinds of question, as named in the paper and the key.
KINDS = ("multiple_choice", "short_answer", "computational")
KIND_TITLES = {
    "multiple_choice": "Multiple choice",
    "short_answer": "Short answer",
    "computational": "Computation",
}


class BankError(ValueError):
    """An exam bank that breaks a rule (too few questions, a missing kind, a bad option)."""


def bi(key: str) -> str:
    """A glossary term in English with its Chinese term in brackets: ``customer retention (客户保留)``."""
    return f"{term(key, lang='en')} ({term(key, lang='zh')})"


@dataclass(frozen=True)
class MultipleChoice:
    """A multiple-choice question: ``options`` maps a letter to its text, ``why_not`` every wrong
    letter to the reason it is wrong."""

    id: str
    heading: str
    stem: str
    options: Mapping[str, str]
    correct: str
    explanation: str
    why_not: Mapping[str, str]
    points: int = 2
    kind: str = field(default="multiple_choice", init=False)


@dataclass(frozen=True)
class ShortAnswer:
    """A short-answer question with the points a good answer covers (the marking scheme)."""

    id: str
    heading: str
    stem: str
    answer_points: Sequence[str]
    points: int = 6
    kind: str = field(default="short_answer", init=False)


@dataclass(frozen=True)
class Computational:
    """A computational question with parameters.

    ``draw(rng)`` returns the parameters of one variant (a dict); ``stem`` and ``method`` are
    format strings over them; ``solve(**params)`` computes the answer with crmlib from the shipped
    data. ``decimals`` is how the answer is printed in the key, ``tolerance`` what the marker
    accepts (absolute, in the answer's unit).
    """

    id: str
    heading: str
    stem: str
    draw: Callable[[np.random.Generator], dict[str, Any]]
    solve: Callable[..., float]
    method: str
    unit: str = ""
    decimals: int = 2
    tolerance: float = 0.01
    points: int = 8
    kind: str = field(default="computational", init=False)


Question = MultipleChoice | ShortAnswer | Computational


@dataclass(frozen=True)
class Variant:
    """One question as it appears in one exam: the text of the paper and the text of the key."""

    id: str
    chapter: str
    kind: str
    heading: str
    points: int
    stem: str
    options: tuple[tuple[str, str], ...]
    answer: str
    marking: tuple[str, ...]
    value: float | None = None


def bank(chapter: str) -> list[Question]:
    """The questions of one chapter's bank (``"03"`` or ``"ch03"``), checked."""
    number = chapter.removeprefix("ch").zfill(2)
    if number not in CHAPTERS:
        raise BankError(
            f"there is no exam bank for chapter {chapter!r}; the chapters are {', '.join(CHAPTERS)}"
        )
    questions = list(importlib.import_module(f"crmlib.exams.banks.ch{number}").QUESTIONS)
    check_bank(number, questions)
    return questions


def check_bank(chapter: str, questions: Sequence[Question]) -> None:
    """Refuse a bank that breaks a rule, with a sentence that says which.

    At least :data:`MIN_QUESTIONS` questions, every kind present, ids unique and of the form
    ``chNN.eK``, a multiple-choice question with its right letter among the options and a reason
    for every wrong option, a short answer with at least two marking points.
    """
    where = f"exam bank of chapter {chapter}"
    if len(questions) < MIN_QUESTIONS:
        raise BankError(f"the {where} has {len(questions)} questions; it needs at least {MIN_QUESTIONS}")
    kinds = {q.kind for q in questions}
    missing = [k for k in KINDS if k not in kinds]
    if missing:
        raise BankError(f"the {where} has no question of the kind {', '.join(missing)}")
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise BankError(f"the {where} repeats a question id: {sorted(i for i in ids if ids.count(i) > 1)}")
    for q in questions:
        if not q.id.startswith(f"ch{chapter}.e"):
            raise BankError(f"question {q.id!r} of the {where} should have an id ch{chapter}.eK")
        if isinstance(q, MultipleChoice):
            if q.correct not in q.options:
                raise BankError(f"{q.id}: the right answer {q.correct!r} is not one of the options")
            wrong = set(q.options) - {q.correct}
            if set(q.why_not) != wrong:
                raise BankError(f"{q.id}: give a reason for every wrong option ({sorted(wrong)})")
        elif isinstance(q, ShortAnswer) and len(q.answer_points) < 2:
            raise BankError(f"{q.id}: a short answer needs at least two points a good answer covers")


def _rng(seed: int, question_id: str) -> np.random.Generator:
    """The generator of one question in one exam: the same seed and id always give the same draw."""
    return np.random.default_rng([seed, *(ord(c) for c in question_id)])


def _format_number(value: float, decimals: int) -> str:
    if decimals == 0:
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"


def variant(question: Question, seed: int) -> Variant:
    """Question ``question`` as it appears in exam variant ``seed``.

    Multiple-choice options are shuffled; a computational question draws its parameters and
    computes its answer.
    """
    rng = _rng(seed, question.id)
    chapter = question.id[2:4]
    if isinstance(question, MultipleChoice):
        letters = list(question.options)
        order = [letters[i] for i in rng.permutation(len(letters))]
        new = dict(zip(string.ascii_uppercase, order, strict=False))
        right = next(k for k, old in new.items() if old == question.correct)
        marking = [f"{question.explanation}"] + [
            f"{k} is wrong: {question.why_not[old]}" for k, old in new.items() if old != question.correct
        ]
        return Variant(
            question.id,
            chapter,
            question.kind,
            question.heading,
            question.points,
            question.stem,
            tuple((k, question.options[old]) for k, old in new.items()),
            right,
            tuple(marking),
        )
    if isinstance(question, ShortAnswer):
        return Variant(
            question.id,
            chapter,
            question.kind,
            question.heading,
            question.points,
            question.stem,
            (),
            "A good answer covers these points (about equal marks each):",
            tuple(question.answer_points),
        )
    params = question.draw(rng)
    value = float(question.solve(**params))
    answer = _format_number(value, question.decimals) + (f" {question.unit}" if question.unit else "")
    tolerance = _format_number(question.tolerance, max(question.decimals, 0)) if question.tolerance else "0"
    marking = (question.method.format(**params), f"Accept answers within ±{tolerance} of the key's value.")
    return Variant(
        question.id,
        chapter,
        question.kind,
        question.heading,
        question.points,
        question.stem.format(**params),
        (),
        answer,
        marking,
        value,
    )


def draw_exam(chapters: Sequence[str], seed: int, per_chapter: int | None = None) -> list[Variant]:
    """The questions of one exam: every question of each chapter's bank, or ``per_chapter`` of them
    (drawn with the exam's number, at least one of each kind), in bank order."""
    out: list[Variant] = []
    for chapter in chapters:
        number = chapter.removeprefix("ch").zfill(2)
        questions = bank(number)
        if per_chapter is not None and per_chapter < len(questions):
            if per_chapter < len(KINDS):
                raise BankError(f"per_chapter must be at least {len(KINDS)}, one question of each kind")
            rng = np.random.default_rng([seed, int(number), 999])
            chosen = [
                questions[int(rng.choice([i for i, q in enumerate(questions) if q.kind == k]))] for k in KINDS
            ]
            rest = [q for q in questions if q not in chosen]
            picks = rng.choice(len(rest), size=per_chapter - len(chosen), replace=False)
            chosen += [rest[int(i)] for i in picks]
            questions = [q for q in questions if q in chosen]
        out.extend(variant(q, seed) for q in questions)
    return out
