"""The question kinds of the exam banks, the bank check and the drawing of one exam variant.

Every text a student or a marker reads is bilingual, ``{"en": ..., "zh": ...}``, as in the
exercise banks (:mod:`crmlib.language`); :func:`variant` picks one language. A parameter may be
bilingual too (a segment's name); the stems of both languages use the same format fields.

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
from ..language import Bilingual, bilingual_text, localize, message, placeholders, resolve

#: Every chapter needs at least this many exam questions.
MIN_QUESTIONS = 10
#: The chapters with an exam bank.
CHAPTERS = tuple(f"{n:02d}" for n in range(10))
#: The three kinds of question, as named in the paper and the key.
KINDS = ("multiple_choice", "short_answer", "computational")


class BankError(ValueError):
    """An exam bank that breaks a rule (too few questions, a missing kind, a bad option)."""


def bi(key: str) -> str:
    """A glossary term in English with its Chinese term in brackets: ``customer retention (客户保留)``."""
    return f"{term(key, lang='en')} ({term(key, lang='zh')})"


def zh(key: str) -> str:
    """A glossary term in Chinese: ``客户保留``."""
    return term(key, lang="zh")


def both(key: str) -> Bilingual:
    """A glossary term as a bilingual text, as the options and parameters of a bank use it:
    ``{"en": "customer retention (客户保留)", "zh": "客户保留"}``."""
    return {"en": bi(key), "zh": zh(key)}


@dataclass(frozen=True)
class MultipleChoice:
    """A multiple-choice question: ``options`` maps a letter to its text, ``why_not`` every wrong
    letter to the reason it is wrong. Every text is bilingual, ``{"en": ..., "zh": ...}``."""

    id: str
    heading: Bilingual
    stem: Bilingual
    options: Mapping[str, Bilingual]
    correct: str
    explanation: Bilingual
    why_not: Mapping[str, Bilingual]
    points: int = 2
    kind: str = field(default="multiple_choice", init=False)


@dataclass(frozen=True)
class ShortAnswer:
    """A short-answer question with the points a good answer covers (the marking scheme), each
    text bilingual."""

    id: str
    heading: Bilingual
    stem: Bilingual
    answer_points: Sequence[Bilingual]
    points: int = 6
    kind: str = field(default="short_answer", init=False)


@dataclass(frozen=True)
class Computational:
    """A computational question with parameters.

    ``draw(rng)`` returns the parameters of one variant (a dict); ``stem`` and ``method`` are
    bilingual format strings over them (the same fields in both languages; a bilingual parameter
    is shown in the paper's language); ``solve(**params)`` computes the answer with crmlib from
    the shipped data. ``decimals`` is how the answer is printed in the key, ``tolerance`` what the
    marker accepts (absolute, in the answer's unit). ``unit`` is bilingual, or a plain string when
    both languages write it alike; a unit with ``{}`` is a pattern for the number (``"¥{}"``).
    """

    id: str
    heading: Bilingual
    stem: Bilingual
    draw: Callable[[np.random.Generator], dict[str, Any]]
    solve: Callable[..., float]
    method: Bilingual
    unit: Bilingual | str = ""
    decimals: int = 2
    tolerance: float = 0.01
    points: int = 8
    kind: str = field(default="computational", init=False)


Question = MultipleChoice | ShortAnswer | Computational


@dataclass(frozen=True)
class Variant:
    """One question as it appears in one exam, in one language: the text of the paper and the
    text of the key."""

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
    language: str = "en"


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
    for every wrong option, a short answer with at least two marking points, every text in both
    languages and the format fields of a computational stem and method the same in both.
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
        for where, text in texts(q):
            try:
                bilingual_text(text, f"{q.id} {where}")
            except ValueError as error:
                raise BankError(str(error)) from None
        if isinstance(q, Computational):
            for where in ("stem", "method"):
                en, zh_ = (placeholders(getattr(q, where)[lang]) for lang in ("en", "zh"))
                if en != zh_:
                    raise BankError(
                        f"{q.id}: the {where} has the format fields {sorted(en)} in English "
                        f"but {sorted(zh_)} in Chinese"
                    )


def texts(question: Question) -> list[tuple[str, Bilingual]]:
    """Every text of a question a reader sees, with where it is (``"stem"``, ``"option B"``...)."""
    found = [("heading", question.heading), ("stem", question.stem)]
    if isinstance(question, MultipleChoice):
        found += [(f"option {k}", v) for k, v in question.options.items()]
        found += [("explanation", question.explanation)]
        found += [(f"why not {k}", v) for k, v in question.why_not.items()]
    elif isinstance(question, ShortAnswer):
        found += [(f"point {i}", p) for i, p in enumerate(question.answer_points, start=1)]
    else:
        found += [("method", question.method)]
        if question.unit and not isinstance(question.unit, str):
            found += [("unit", question.unit)]
    return found


def _rng(seed: int, question_id: str) -> np.random.Generator:
    """The generator of one question in one exam: the same seed and id always give the same draw."""
    return np.random.default_rng([seed, *(ord(c) for c in question_id)])


def _format_number(value: float, decimals: int) -> str:
    if decimals == 0:
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"


def _with_unit(number: str, unit: str) -> str:
    """``12 customers``; a unit with ``{}`` places the number itself (``¥1,200``, ``12.8%``)."""
    if "{}" in unit:
        return unit.replace("{}", number)
    return number + (f" {unit}" if unit else "")


def variant(question: Question, seed: int, language: str | None = None) -> Variant:
    """Question ``question`` as it appears in exam variant ``seed``, in ``language`` (default: the
    current language, :func:`crmlib.set_language`).

    Multiple-choice options are shuffled; a computational question draws its parameters and
    computes its answer. The shuffle and the parameters depend on ``seed`` and the question only,
    so the papers of one variant in two languages ask the same and have the same key.
    """
    lang = resolve(language)
    rng = _rng(seed, question.id)
    chapter = question.id[2:4]
    if isinstance(question, MultipleChoice):
        letters = list(question.options)
        order = [letters[i] for i in rng.permutation(len(letters))]
        new = dict(zip(string.ascii_uppercase, order, strict=False))
        right = next(k for k, old in new.items() if old == question.correct)
        marking = [localize(question.explanation, lang)] + [
            message("exam.wrong", lang, letter=k, reason=localize(question.why_not[old], lang))
            for k, old in new.items()
            if old != question.correct
        ]
        return Variant(
            question.id,
            chapter,
            question.kind,
            localize(question.heading, lang),
            question.points,
            localize(question.stem, lang),
            tuple((k, localize(question.options[old], lang)) for k, old in new.items()),
            right,
            tuple(marking),
            language=lang,
        )
    if isinstance(question, ShortAnswer):
        return Variant(
            question.id,
            chapter,
            question.kind,
            localize(question.heading, lang),
            question.points,
            localize(question.stem, lang),
            (),
            message("exam.covers", lang),
            tuple(localize(p, lang) for p in question.answer_points),
            language=lang,
        )
    params = question.draw(rng)
    value = float(question.solve(**params))
    shown = {k: localize(v, lang) if isinstance(v, Mapping) else v for k, v in params.items()}
    unit = localize(question.unit, lang) if question.unit else ""
    answer = _with_unit(_format_number(value, question.decimals), unit)
    if question.tolerance:
        tolerance = _format_number(question.tolerance, max(question.decimals, 0))
        accept = message("exam.tolerance", lang, tolerance=tolerance)
    else:
        accept = message("exam.tolerance_exact", lang)
    marking = (localize(question.method, lang).format(**shown), accept)
    return Variant(
        question.id,
        chapter,
        question.kind,
        localize(question.heading, lang),
        question.points,
        localize(question.stem, lang).format(**shown),
        (),
        answer,
        marking,
        value,
        lang,
    )


def draw_exam(
    chapters: Sequence[str], seed: int, per_chapter: int | None = None, language: str | None = None
) -> list[Variant]:
    """The questions of one exam in ``language`` (default: the current language): every question
    of each chapter's bank, or ``per_chapter`` of them (drawn with the exam's number, at least one
    of each kind, the same in every language), in bank order."""
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
        out.extend(variant(q, seed, language) for q in questions)
    return out
