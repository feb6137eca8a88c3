"""The grading engine of the exercises: question kinds, and the verdict on an answer.

Every exercise notebook ends a question with a call such as
``check("ch00.q2", answer)`` (:func:`crmlib.exercises.check`). The call looks
the question up in the chapter's question bank
(``crmlib/exercises/banks/chNN.py``), and this module compares the answer with
what the bank expects and returns a :class:`CheckResult` whose display is one
verdict line::

    ✅ ch00.q2 — correct.
    ❌ ch00.q3 — not yet: off by a factor of 100 (percent vs fraction?). Hint: ...

The verdict says *why* an answer is not accepted (wrong type, percent instead
of fraction, a missing column, a typical slip the author foresaw) but never
shows the expected answer.

Question kinds are built with plain functions that return a :class:`Question`:

========================  ======================================================
:func:`numeric`           a number, with relative and/or absolute tolerance
:func:`integer`           a count, exact
:func:`identifier`        which one: a cluster, cohort, year, customer, period
:func:`choice`            one letter, or several (order-insensitive)
:func:`text`              a short answer matched after normalisation or by
                          required key terms (English or Chinese)
:func:`frame`             a DataFrame or Series, compared on the columns that
                          matter
:func:`discussion`        a written answer, long enough, then a checklist for
                          self-assessment
========================  ======================================================

An expected answer may be a value or a zero-argument function; a function is
called the first time it is needed and its result kept, so a bank can compute
its answers with ``crmlib`` from the shipped data instead of pasting numbers.
Each question also lists typical wrong answers (:func:`mistake`), which the
tests use and which turn into a specific diagnosis when a student makes that
slip.

Every text a student reads is in both languages: the verdict sentences are
templates in ``crmlib/data/messages/exercises.csv``, and a bank's hints, slip
explanations and checklist points are bilingual values
``{"en": ..., "zh": ...}``, refused at import when a language is missing. The
language follows :func:`crmlib.set_language`.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import math
import numbers
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from crmlib.language import Bilingual, bilingual_text, get_language, localize, message
from crmlib.validation import DataError, require_text

__all__ = [
    "CheckResult",
    "Question",
    "Mistake",
    "UnknownQuestionError",
    "evaluate",
    "mistake",
    "numeric",
    "integer",
    "identifier",
    "choice",
    "text",
    "frame",
    "discussion",
    "is_blank",
    "normalize_text",
]


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _say(key: str, language: str, **values: Any) -> str:
    """An exercise message (``crmlib/data/messages/exercises.csv``) in ``language``."""
    return message(f"exercise.{key}", language, **values)


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer.

    ``message`` is the verdict line shown in the notebook; ``checklist`` holds
    the points of a discussion question. ``bool(result)`` is ``passed``.
    """

    question_id: str
    passed: bool
    message: str
    checklist: tuple[str, ...] = ()
    _shown: list[bool] = field(default_factory=list, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.passed

    def _bundle(self) -> dict[str, str]:
        return {"text/markdown": self._repr_markdown_(), "text/plain": str(self)}

    def _show(self) -> None:
        """Display the verdict in the notebook now (once): two ``check`` calls in
        one cell then show two verdicts, not only the last one. Only called inside
        IPython, whose display module is then loaded."""
        display = sys.modules["IPython.display"].display
        display(self._bundle(), raw=True)
        self._shown.append(True)

    def _ipython_display_(self) -> None:
        # the value of a cell's last line: shown unless check has shown it already
        if not self._shown:
            self._show()

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  - {point}" for point in self.checklist)])

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        lines = [self.message]
        if self.checklist:
            lines.append("")
            lines.extend(f"- {point}" for point in self.checklist)
        return "\n".join(lines)


class UnknownQuestionError(LookupError):
    """``check`` was given an id that no question bank registers."""

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------
def _parameters_taken(function: Callable) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The parameters a function takes by name: (all, those without a default); ``None``
    when it takes ``**kwargs`` (it gets every parameter of the variant)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # a builtin without a signature: called with nothing
        return (), ()
    names, required = [], []
    for item in signature.parameters.values():
        if item.kind is inspect.Parameter.VAR_KEYWORD:
            return None
        if item.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            names.append(item.name)
            if item.default is inspect.Parameter.empty:
                required.append(item.name)
    return tuple(names), tuple(required)


def _frozen(params: Mapping[str, Any]) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in params.items()))


def _lazy(value: Any) -> Callable[..., Any]:
    """Wrap a value, or a function, as a function of a variant's parameters, computed
    once per variant.

    A function without parameters gives the same value for every variant; a function
    with parameters gets, by name, those of the variant that it takes (a parameter
    with a default may be left out of the variant; one without a default may not).
    """
    if not callable(value):
        return lambda params=None: value
    taken = _parameters_taken(value)
    cache: dict[tuple, Any] = {}

    def get(params: Mapping[str, Any] | None = None) -> Any:
        params = dict(params or {})
        if taken is not None:
            names, required = taken
            missing = [name for name in required if name not in params]
            if missing:
                raise DataError(
                    f"{getattr(value, '__name__', 'a function')} needs the parameter(s) "
                    f"{', '.join(missing)}: give them in the question's variants="
                )
            params = {name: params[name] for name in names if name in params}
        key = _frozen(params)
        if key not in cache:
            cache[key] = value(**params)
        return cache[key]

    return get


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}")


def fill(text: str, params: Mapping[str, Any] | None, language: str | None = None) -> str:
    """Put a variant's parameters into a hint or an explanation: ``{days}`` becomes the
    value of ``days``, ``{rate:.0%}`` the value with a format (``15%``), and
    ``{segment:term}`` the glossary term of a key in ``language`` (``cant_lose_them`` gives
    "Can't lose them", 重要挽留客户 in Chinese); braces that name no parameter are left as
    they are (code such as ``{"a": 1}`` stays)."""
    if not params:
        return text

    def one(match: re.Match) -> str:
        name, spec = match[1], match[2]
        if name not in params:
            return match[0]
        if spec == "term":
            from crmlib.glossary import term

            return term(str(params[name]), language)
        return format(params[name], spec or "")

    return _PLACEHOLDER.sub(one, text)


def _variants(variants: Any, question_id: str) -> tuple[dict[str, Any], ...]:
    """A question's variants as a tuple of parameter dicts, the default first.

    ``variants`` is a list of dicts (``[{"days": 270}, {"days": 240}]``) or a dict
    of lists, whose product is taken (``{"days": [270, 240], "channel": [...]}``);
    the first value of each list makes the default variant.
    """
    if variants is None or (isinstance(variants, (list, tuple, dict)) and not variants):
        return ({},)
    if isinstance(variants, Mapping):
        names = list(variants)
        pools = [list(variants[name]) for name in names]
        if any(not pool for pool in pools):
            raise DataError(f"{question_id}: every parameter of variants= needs at least one value")
        found = [dict(zip(names, values, strict=True)) for values in itertools.product(*pools)]
    elif isinstance(variants, (list, tuple)) and all(isinstance(v, Mapping) for v in variants):
        found = [dict(v) for v in variants]
    else:
        raise DataError(f"{question_id}: variants= is a list of parameter dicts or a dict of value lists")
    keys = set(found[0])
    for variant in found:
        if set(variant) != keys:
            raise DataError(
                f"{question_id}: every variant needs the parameters {sorted(keys)}, got {variant}"
            )
        for name in variant:
            if not isinstance(name, str) or not name.isidentifier():
                raise DataError(f"{question_id}: a parameter name must be a Python name, got {name!r}")
    frozen = [_frozen(v) for v in found]
    if len(set(frozen)) != len(frozen):
        raise DataError(f"{question_id}: two variants have the same parameters")
    if len(found) < 2:
        raise DataError(f"{question_id}: variants= needs at least two variants (the default and another)")
    return tuple(found)


def _optional_text(value: Bilingual | str | None, where: str) -> Bilingual | None:
    """``None`` for no text; otherwise a text in every language (or ValueError)."""
    if value is None or (isinstance(value, str) and not value):
        return None
    return bilingual_text(value, where)


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer; ``because`` (optional) explains the slip.

    ``value`` may be a zero-argument function, evaluated the first time it is
    needed. When a student's answer matches a mistake that has ``because``,
    the verdict gives that explanation instead of a generic one.
    """

    get: Callable[..., Any]
    because: Bilingual | None = None

    @property
    def value(self) -> Any:
        """The wrong answer of the default variant."""
        return self.get()

    def value_for(self, params: Mapping[str, Any] | None = None) -> Any:
        """The wrong answer for a variant's parameters."""
        return self.get(params)


def mistake(value: Any, because: Bilingual | None = None) -> Mistake:
    """Declare a typical wrong answer and, optionally, what it gets wrong.

    Parameters
    ----------
    value : object or callable
        The wrong answer, or a function computing it: without parameters, or
        with the parameters of the question's variants (by name).
    because : dict, optional
        One sentence in each language naming the slip without giving the right
        answer, e.g. ``{"en": "this counts every transaction, not only the repeat
        ones", "zh": "这里统计了全部交易，而不只是重复购买"}``.
    """
    return Mistake(_lazy(value), _optional_text(because, "a mistake's explanation (because=)"))


@dataclass(frozen=True)
class Question:
    """One registered question. Build it with :func:`numeric`, :func:`choice`, ..."""

    id: str
    kind: str
    expected_get: Callable[[], Any] | None = field(default=None, repr=False)
    settings: Mapping[str, Any] = field(default_factory=dict, repr=False)
    hint: Bilingual | Sequence[Bilingual] | None = None
    wrong: tuple[Mistake, ...] = ()
    checklist: tuple[Bilingual, ...] = ()
    #: The variants of a question with parameters: one dict of parameters each, the
    #: default (the one the solutions show) first; ``({},)`` for a question without.
    variants: tuple[Mapping[str, Any], ...] = ({},)
    #: The id of another question whose variant this one shares (the same customer in two
    #: questions about one customer); ``None``: its own.
    same_variant_as: str | None = None

    def __post_init__(self) -> None:
        steps = self.hint if isinstance(self.hint, (list, tuple)) else [self.hint]
        hints = tuple(_optional_text(h, f"hint {n} of {self.id}") for n, h in enumerate(steps, 1))
        hints = tuple(h for h in hints if h is not None)
        object.__setattr__(self, "hints", hints)
        object.__setattr__(self, "hint", hints[0] if hints else None)
        points = tuple(bilingual_text(p, f"a checklist point of {self.id}") for p in self.checklist)
        object.__setattr__(self, "checklist", points)

    #: The hints in the order a student gets them: the first miss shows the first
    #: (the idea), later misses the next ones (the method), the last one stays.
    hints: tuple[Bilingual, ...] = field(default=(), init=False, repr=False)

    @property
    def has_expected(self) -> bool:
        """Whether the question has an answer that :func:`check` accepts."""
        return self.expected_get is not None

    def expected(self, params: Mapping[str, Any] | None = None) -> Any:
        """The expected answer for a variant's parameters (default: the default variant),
        computed on first use. For tests and authors only."""
        if self.expected_get is None:
            raise DataError(f"question {self.id!r} ({self.kind}) has no single expected answer")
        return self.expected_get(self.variants[0] if params is None else params)

    @property
    def has_variants(self) -> bool:
        """Whether the question has parameters that change from student to student."""
        return len(self.variants) > 1

    def variant_of(self, student: str | None) -> int:
        """The number of the variant a student gets: 0 (the default) without a student id;
        otherwise one of the others, chosen by a hash of the id and the question id
        (SHA-256, so the same on every machine and in every session). A question declared
        with ``same_variant_as="chNN.qK"`` (and the same variants) hashes that question's id
        instead, so a student gets the same variant in both."""
        if not student or not self.has_variants:
            return 0
        digest = hashlib.sha256(f"{student}/{self.same_variant_as or self.id}".encode()).digest()
        return 1 + int.from_bytes(digest[:8], "big") % (len(self.variants) - 1)


def _mistakes(wrong: Any) -> tuple[Mistake, ...]:
    if wrong is None:
        return ()
    if isinstance(wrong, Mistake) or not isinstance(wrong, (list, tuple)):
        wrong = [wrong]
    return tuple(w if isinstance(w, Mistake) else mistake(w) for w in wrong)


def _require_id(question_id: str) -> str:
    if not isinstance(question_id, str) or not re.fullmatch(r"ch\d\d\.[A-Za-z0-9_.-]+", question_id):
        raise DataError(f"question id {question_id!r} must look like 'ch00.q1': chapter, dot, name")
    return question_id


def _built(
    question_id: str,
    kind: str,
    expected: Any,
    settings: Mapping[str, Any],
    hint: Any,
    wrong: Any,
    variants: Any,
    same_variant_as: str | None,
) -> Question:
    """A question of one kind, its id, mistakes and variants checked (the builders' common end)."""
    return Question(
        _require_id(question_id), kind, expected, settings, hint, _mistakes(wrong),
        variants=_variants(variants, question_id), same_variant_as=same_variant_as,
    )  # fmt: skip


def numeric(
    question_id: str,
    expected: Any,
    *,
    rel: float | None = None,
    abs: float | None = None,
    hint: Bilingual | Sequence[Bilingual] | None = None,
    wrong: Any = (),
    variants: Any = None,
    same_variant_as: str | None = None,
) -> Question:
    """A number, accepted within a tolerance.

    Accepted when ``|answer - expected| <= max(abs, rel * |expected|)``. With
    neither tolerance given, ``rel=1e-4`` (0.01 %), and ``abs=1e-9`` when the
    expected value is 0.

    Parameters
    ----------
    expected : float or callable
        The value, or a zero-argument function computing it (called once).
    rel, abs : float, optional
        Relative and absolute tolerance.
    hint : str or dict, or a list of them
        Shown after a wrong answer. A list gives hints in steps: the first miss
        shows the first (the idea: what to compare, which quantity), later
        misses the next ones (the method); a function call is never the first.
    wrong : value, Mistake, or list of them
        Typical wrong answers (at least one; the tests check they fail).
    variants : list of dict, or dict of lists, optional
        Parameters that change from student to student (see :func:`crmlib.exercises.set_student`):
        ``{"days": [270, 240, 300]}`` or ``[{"days": 270}, {"days": 240}]``, the default (the
        one the solutions show) first. ``expected`` and each mistake may then be functions of
        these parameters, by name: ``lambda days: ...``.
    same_variant_as : str, optional
        The id of a question with the same ``variants`` whose variant this one shares, so
        that two questions about "the customer of question 4" name the same customer.
    """
    settings = {
        "rel": 1e-4 if rel is None and abs is None else (rel or 0.0),
        "abs": abs or 0.0,
    }
    return _built(question_id, "numeric", _lazy(expected), settings, hint, wrong, variants, same_variant_as)


def integer(
    question_id: str,
    expected: Any,
    *,
    filtered: bool = False,
    hint: Bilingual | Sequence[Bilingual] | None = None,
    wrong: Any = (),
    variants: Any = None,
    same_variant_as: str | None = None,
) -> Question:
    """A count, accepted only when exact (``2357`` and ``2357.0`` both count).

    A count near the expected one gets "close, but a count must be exact"; with
    ``filtered=True`` (the question counts the rows that meet a condition) it also
    says "check your filter". A number that names something (a year, a period, a
    cluster) is not a count: use :func:`identifier`.
    """
    settings = {"filtered": bool(filtered)}
    return _built(question_id, "integer", _lazy(expected), settings, hint, wrong, variants, same_variant_as)


def identifier(
    question_id: str,
    expected: Any,
    *,
    hint: Bilingual | None = None,
    wrong: Any = (),
    variants: Any = None,
    same_variant_as: str | None = None,
) -> Question:
    """An identifier: which cluster, cohort, year, customer or period, exact.

    ``expected`` is a whole number (``2``, ``2023``) or a text (``"C00625"``,
    ``"2022-01"``). A number may be given as ``2``, ``2.0`` or ``"2"``; a text
    is compared without regard to case and surrounding spaces. A wrong answer
    is "not the one the question asks for": an identifier has no "close" or
    "off by one" (cluster 3 is not nearer to cluster 2 than cluster 4 is).
    """
    return _built(question_id, "identifier", _lazy(expected), {}, hint, wrong, variants, same_variant_as)


def _letters(value: Any) -> tuple[str, ...]:
    """``"b, d"``, ``"B D"``, ``"BD"``, ``["d", "b"]`` and full-width ``"Ｂ"`` all give letters."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).upper()
        parts = [p for p in re.split(r"[^A-Z]+", text) if p and p != "AND"]
        if len(parts) == 1 and len(parts[0]) > 1:
            parts = list(parts[0])  # "BD" means B and D
        return tuple(parts)
    if isinstance(value, Iterable):
        return tuple(item for element in value for item in _letters(element))
    return ()


def _option_texts(value: Any, where: str) -> tuple[str, ...]:
    """The texts an option may be answered with, squeezed: a text, a bilingual
    ``{"en": ..., "zh": ...}``, or a tuple of them (alternatives)."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    texts: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            texts.extend(str(v) for v in bilingual_text(item, where).values())
        elif isinstance(item, str):
            texts.append(item)
        else:
            raise DataError(f"{where}: an option's text is a str, a bilingual dict or a tuple of them")
    return tuple(dict.fromkeys(t for t in (_squeeze(t) for t in texts) if t))


def choice(
    question_id: str,
    correct: Any,
    *,
    options: str | Iterable[str] | Mapping[str, Any] = "ABCD",
    multiple: bool | None = None,
    hint: Bilingual | Sequence[Bilingual] | None = None,
    wrong: Any = (),
    variants: Any = None,
    same_variant_as: str | None = None,
) -> Question:
    """Multiple choice: one letter, or several (then order does not matter).

    Parameters
    ----------
    correct : str, list of str, or callable
        ``"C"``, or ``"B, D"`` / ``["B", "D"]`` for a multi-select question;
        or a zero-argument function returning them (e.g. read from the
        course's 10C table), called once.
    options : str, list of str, or dict
        The letters the question offers, e.g. ``"ABCDE"``; or a dict from
        letter to the option's text as the question prints it
        (``{"A": "it falls", ...}``), a bilingual dict, or a tuple of
        alternative texts (``("it falls", "falls", "下降")``). With texts, an
        answer that is one option's text (case, spaces and punctuation
        ignored), or a unique prefix of at least :data:`PREFIX_MIN` characters
        of one, counts as that option's letter.
    multiple : bool, optional
        Whether several options may be chosen (default: when ``correct``
        has more than one letter).
    """
    texts: dict[str, tuple[str, ...]] = {}
    if isinstance(options, Mapping):
        texts = {
            str(k).upper(): _option_texts(v, f"{question_id}: the text of option {k}")
            for k, v in options.items()
        }
        option_letters = tuple(texts)
    else:
        option_letters = tuple(
            dict.fromkeys(options.upper() if isinstance(options, str) else _letters(options))
        )

    def right(**params: Any) -> Any:
        value = _lazy(correct)(params) if callable(correct) else correct
        letters = tuple(sorted(set(_letters(value))))
        if not letters or not set(letters) <= set(option_letters):
            raise DataError(f"{question_id}: correct options {letters} must be among {option_letters}")
        return letters[0] if len(letters) == 1 and not multiple else list(letters)

    if not callable(correct):
        right()  # validate now
    settings = {"options": option_letters, "multiple": multiple, "texts": texts}
    return _built(question_id, "choice", _lazy(right), settings, hint, wrong, variants, same_variant_as)


#: The shortest beginning of an option's text accepted for the option ("spur" for
#: "spurious loyalty"), when no other option's text begins the same way.
PREFIX_MIN = 4


def _option_by_text(answer: str, texts: Mapping[str, tuple[str, ...]]) -> str | None:
    """The letter whose option text the answer is (exactly, or a unique long-enough prefix)."""
    given = _squeeze(answer)
    if not given:
        return None
    exact = {letter for letter, alternatives in texts.items() if given in alternatives}
    if len(exact) == 1:
        return exact.pop()
    if exact:
        return None
    if len(given) < PREFIX_MIN and not _CJK.search(given):
        return None
    starts = {
        letter for letter, alternatives in texts.items() if any(a.startswith(given) for a in alternatives)
    }
    return starts.pop() if len(starts) == 1 else None


def _looks_like_words(answer: str, options: tuple[str, ...]) -> bool:
    """Whether a text answer is words rather than letters: it holds Chinese, or a run of
    two or more letters with one that is not an option ("falls", not "BD")."""
    text = unicodedata.normalize("NFKC", answer).upper()
    if _CJK.search(text):
        return True
    runs = [r for r in re.split(r"[^A-Z]+", text) if len(r) > 1 and r != "AND"]
    return any(set(r) - set(options) for r in runs)


def normalize_text(value: str) -> str:
    """Fold case, full-width characters, punctuation and spaces away.

    ``"Customer  Retention!"``, ``"customer-retention"`` and the full-width
    ``"ＣＵＳＴＯＭＥＲ　ＲＥＴＥＮＴＩＯＮ"`` all become ``"customer retention"``;
    Chinese text keeps its characters (``"客户保留。"`` becomes ``"客户保留"``).
    """
    folded = unicodedata.normalize("NFKC", require_text(value, "value")).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    return " ".join(kept.split())


def _squeeze(value: str) -> str:
    return normalize_text(value).replace(" ", "")


def text(
    question_id: str,
    accepted: Iterable[str] = (),
    *,
    keywords: Iterable[Any] = (),
    hint: Bilingual | Sequence[Bilingual] | None = None,
    wrong: Any = (),
) -> Question:
    """A short conceptual answer (a term, a name, a few words).

    Accepted when the normalized answer equals a normalized ``accepted``
    answer (spaces ignored, so Chinese needs none), or, when ``keywords`` is
    given, when every keyword group is found in the answer. A group is a
    string or a tuple of alternatives, e.g. ``("retention", "保留", "留存")``.
    """
    accepted = tuple(accepted)
    groups = tuple((k,) if isinstance(k, str) else tuple(k) for k in keywords)
    if not accepted and not groups:
        raise DataError(f"{question_id}: give accepted answers, keywords, or both")
    settings = {
        "accepted": frozenset(_squeeze(a) for a in accepted),
        "keywords": tuple(tuple(_squeeze(w) for w in g) for g in groups),
    }
    expected = _lazy(accepted[0]) if accepted else None
    return Question(_require_id(question_id), "text", expected, settings, hint, _mistakes(wrong))


def frame(
    question_id: str,
    expected: Any,
    *,
    columns: Iterable[str] | None = None,
    key: Iterable[str] | str | None = None,
    values: Iterable[str] | None = None,
    ordered: bool = False,
    rel: float = 1e-4,
    abs: float = 1e-9,
    hint: Bilingual | Sequence[Bilingual] | None = None,
    wrong: Any = (),
    variants: Any = None,
    same_variant_as: str | None = None,
) -> Question:
    """A table answer, compared on what matters.

    Parameters
    ----------
    expected : DataFrame, Series or callable
        The expected table (a function computing it is called once).
    columns : list of str, optional
        Columns the answer must have (default: all of the expected's). An
        answer may carry them in its index instead (``groupby`` results).
    key : str or list of str, optional
        Columns that identify a row; compared exactly.
    values : list of str, optional
        Columns compared with tolerance (default: required columns not in key).
    ordered : bool
        Whether row order matters (e.g. "sorted by value"); otherwise rows are
        matched after sorting on the key.
    rel, abs : float
        Tolerance for numeric value columns.
    """
    key = [key] if isinstance(key, str) else list(key or [])
    settings = {
        "columns": None if columns is None else list(columns),
        "key": key,
        "values": None if values is None else list(values),
        "ordered": ordered,
        "rel": rel,
        "abs": abs,
    }
    return _built(question_id, "frame", _lazy(expected), settings, hint, wrong, variants, same_variant_as)


def discussion(
    question_id: str,
    checklist: Iterable[Bilingual],
    *,
    min_words: int = 40,
    min_chars: int = 80,
    wrong: Any = (),
) -> Question:
    """A written answer, self-assessed against a checklist.

    An answer of at least ``min_words`` words (English) or ``min_chars``
    characters (Chinese, counted one per character) passes and shows the
    checklist: the points a good answer covers, not a model answer.
    """
    points = tuple(checklist)
    if not points:
        raise DataError(f"{question_id}: a discussion question needs a checklist")
    settings = {"min_words": min_words, "min_chars": min_chars}
    return Question(_require_id(question_id), "discussion", None, settings, "", _mistakes(wrong), points)


# --------------------------------------------------------------------------
# Grading. Each grader returns a Grade.
# --------------------------------------------------------------------------
class Grade(NamedTuple):
    """What a grader found: whether the answer passed, the key of the message that
    says why not (``crmlib/data/messages/exercises.csv``, without ``exercise.``),
    the values that fill it, and whether the answer was of the wrong type (then no
    typical slip can explain it)."""

    passed: bool
    reason: str
    values: Mapping[str, Any] = {}
    type_error: bool = False


PASS = Grade(True, "correct")


def is_blank(answer: Any) -> bool:
    """``...``, ``None`` or an empty string: the question is not answered yet."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


def _describe(answer: Any, language: str) -> str:
    try:
        return _describe_kind(answer, language)
    except Exception:  # an answer that cannot even show itself: name its type only
        return _say("got_other", language, kind=type(answer).__name__)


def _describe_kind(answer: Any, language: str) -> str:
    if isinstance(answer, str):
        shown = answer if len(answer) <= 30 else answer[:27] + "..."
        return _say("got_text", language, value=repr(shown))
    if isinstance(answer, (bool, np.bool_)):
        return _say("got_bool", language)
    if isinstance(answer, pd.Series):
        return _say("got_series", language, n=len(answer))
    if isinstance(answer, pd.DataFrame):
        return _say("got_frame", language, rows=answer.shape[0], cols=answer.shape[1])
    if isinstance(answer, np.ndarray):
        return _say("got_array", language, n=answer.size)
    if isinstance(answer, (list, tuple, set, frozenset)):
        return _say("got_list", language, kind=type(answer).__name__, n=len(answer))
    if isinstance(answer, Mapping):
        return _say("got_dict", language, n=len(answer))
    if isinstance(answer, numbers.Number):
        return _say("got_number", language, value=answer)
    if callable(answer):
        return _say("got_function", language)
    return _say("got_other", language, kind=type(answer).__name__)


def _as_number(answer: Any, language: str) -> tuple[float | None, Grade | None]:
    """The answer as a float, or a type-error verdict."""
    if isinstance(answer, (bool, np.bool_)):
        return None, Grade(False, "need_number", {"got": _describe(answer, language)}, type_error=True)
    if isinstance(answer, numbers.Real):
        try:
            return float(answer), None
        except OverflowError:  # an int beyond the range of floats, e.g. 10**400
            return None, Grade(False, "too_large", type_error=True)
    got = _describe(answer, language)
    if isinstance(answer, str):
        try:
            float(answer.replace(",", "").strip().rstrip("%"))
        except ValueError:
            return None, Grade(False, "need_number", {"got": got}, type_error=True)
        return None, Grade(False, "need_number_quoted", {"got": got}, type_error=True)
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
        size = len(answer) if isinstance(answer, (list, tuple)) else answer.size
        key = "need_number_one" if size == 1 else "need_number_many"
        return None, Grade(False, key, {"got": got}, type_error=True)
    return None, Grade(False, "need_number", {"got": got}, type_error=True)


def _grade_numeric(question: Question, answer: Any, expected: Any, language: str) -> Grade:
    value, error = _as_number(answer, language)
    if error:
        return error
    if math.isnan(value):
        return Grade(False, "nan", type_error=True)
    if math.isinf(value):
        return Grade(False, "infinite", type_error=True)
    target = float(expected)
    rel, abs_tol = question.settings["rel"], question.settings["abs"]
    if target == 0 and not abs_tol:
        abs_tol = 1e-9

    def close(x: float) -> bool:
        return math.fabs(x - target) <= max(abs_tol, rel * math.fabs(target))

    if close(value):
        return PASS
    percent = _percent_slip(value, target, close)
    if percent:
        return Grade(False, percent)
    if target != 0 and close(-value):
        return Grade(False, "wrong_sign")
    if target == 0:
        return Grade(False, "far_other")
    if value == 0:
        return Grade(False, "far_zero")
    if (value > 0) != (target > 0):
        return Grade(False, "sign_wrong_positive" if target > 0 else "sign_wrong_negative")
    ratio = value / target  # positive: same sign
    negative = "_negative" if target < 0 else ""
    if ratio > 2:
        return Grade(False, "far_high" + negative)
    if ratio < 0.5:
        return Grade(False, "far_low" + negative)
    return Grade(False, "magnitude", {"tol": _tolerance(target, rel, abs_tol)})


#: A percentage a student types is rounded to a whole percent at worst: a share
#: typed as a percentage is recognised within half a percentage point.
PERCENT_TYPING = 0.005


def _percent_slip(value: float, target: float, close: Callable[[float], bool]) -> str | None:
    """``"percent_high"`` for a share typed as a percentage (56.5 for 0.565, rounded as
    a student would type it), ``"percent_low"`` for a percentage given as a fraction.

    One rule for every question: the answer divided (or multiplied) by 100 is within
    the question's tolerance, or, when the share is a fraction between -1 and 1, within
    :data:`PERCENT_TYPING` (half a percentage point).
    """
    if target == 0:
        return None
    if close(value / 100) or (
        0 < math.fabs(target) <= 1
        and math.fabs(value / 100 - target) <= PERCENT_TYPING
        and math.fabs(value) > 1
    ):
        return "percent_high"
    if close(value * 100) or (
        0 < math.fabs(value) <= 1
        and 1 < math.fabs(target) <= 100
        and math.fabs(value - target / 100) <= PERCENT_TYPING
    ):
        return "percent_low"
    return None


def _tolerance(target: float, rel: float, abs_tol: float) -> str:
    """The accepted distance in the unit of the answer, e.g. ``"±0.0005"``, ``"±0.5"`` or
    ``"±3.9e-07"`` (two significant digits, never a percentage of the expected value)."""
    tol = max(abs_tol, rel * math.fabs(target))
    if tol < 1e-4:  # "±3.9e-07", not a row of zeros
        return f"±{tol:.2g}"
    return "±" + np.format_float_positional(tol, precision=2, unique=True, fractional=False, trim="-")


def _grade_integer(question: Question, answer: Any, expected: Any, language: str) -> Grade:
    value, error = _as_number(answer, language)
    if error:
        return error._replace(reason="need_count") if error.reason == "need_number" else error
    if math.isnan(value) or math.isinf(value) or value != int(value):
        return Grade(False, "need_count", {"got": _describe(answer, language)}, type_error=True)
    value, target = int(value), int(expected)
    if value == target:
        return PASS
    if math.fabs(value - target) == 1:
        return Grade(False, "off_by_one")
    if target > 0 and value > 2 * target:
        return Grade(False, "far_high")
    if target > 0 and 2 * value < target:
        return Grade(False, "far_low")
    return Grade(False, "count_close_filter" if question.settings.get("filtered") else "count_close")


def _grade_identifier(question: Question, answer: Any, expected: Any, language: str) -> Grade:
    if isinstance(expected, str):
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (str, numbers.Integral)):
            return Grade(False, "need_id", {"got": _describe(answer, language)}, type_error=True)
        given = unicodedata.normalize("NFKC", str(answer)).strip().casefold()
        return (
            PASS
            if given == unicodedata.normalize("NFKC", expected).strip().casefold()
            else Grade(False, "id_wrong")
        )
    if isinstance(answer, str):
        text = unicodedata.normalize("NFKC", answer).strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            return Grade(False, "need_id", {"got": _describe(answer, language)}, type_error=True)
        answer = int(text)
    value, error = _as_number(answer, language)
    if error:
        return error._replace(reason="need_id") if error.reason == "need_number" else error
    if math.isnan(value) or math.isinf(value) or value != int(value):
        return Grade(False, "need_id", {"got": _describe(answer, language)}, type_error=True)
    return PASS if int(value) == int(expected) else Grade(False, "id_wrong")


def _grade_choice(question: Question, answer: Any, expected: Any, language: str) -> Grade:
    if not isinstance(answer, (str, list, tuple, set, frozenset)):
        return Grade(False, "need_letter", {"got": _describe(answer, language)}, type_error=True)
    options = question.settings["options"]
    texts = question.settings.get("texts") or {}
    items = [answer] if isinstance(answer, str) else list(answer)
    letters: list[str] = []
    for item in items:
        if not isinstance(item, str):
            letters.extend(_letters(item))
            continue
        named = _option_by_text(item, texts) if texts else None
        if named:
            letters.append(named)
        elif _looks_like_words(item, options):
            key = "choice_word_texts" if texts else "choice_word"
            shown = _describe(item, language)
            return Grade(False, key, {"got": shown, "options": ", ".join(options)}, type_error=True)
        else:
            letters.extend(_letters(item))
    chosen = set(letters)
    right = set(_letters(expected))
    if not chosen:
        return Grade(False, "choice_empty", type_error=True)
    unknown = sorted(chosen - set(options))
    if unknown:
        return Grade(
            False,
            "choice_unknown",
            {"letters": ", ".join(unknown), "options": ", ".join(options)},
            type_error=True,
        )
    if chosen == right:
        return PASS
    multiple = question.settings["multiple"]
    if multiple is None:
        multiple = len(_letters(expected)) > 1
    if not multiple:
        return Grade(False, "choice_one_only") if len(chosen) > 1 else Grade(False, "choice_wrong")
    missing, extra = len(right - chosen), len(chosen - right)
    if missing and extra:
        return Grade(False, "choice_both")
    if missing:
        return (
            Grade(False, "choice_missing")
            if missing == 1
            else Grade(False, "choice_missing_n", {"n": missing})
        )
    return Grade(False, "choice_extra") if extra == 1 else Grade(False, "choice_extra_n", {"n": extra})


def _grade_text(question: Question, answer: Any, expected: Any, language: str) -> Grade:
    if not isinstance(answer, str):
        return Grade(False, "need_text", {"got": _describe(answer, language)}, type_error=True)
    given = _squeeze(answer)
    accepted = question.settings["accepted"] if expected is None else {_squeeze(str(expected))}
    if given in accepted:
        return PASS
    groups = question.settings["keywords"] if expected is None else ()
    if groups:
        found = sum(any(word in given for word in group) for group in groups)
        if found == len(groups):
            return PASS
        return Grade(False, "text_keywords", {"found": found, "total": len(groups)})
    return Grade(False, "text_no_match")


def _as_frame(value: Any) -> pd.DataFrame | None:
    if isinstance(value, pd.Series):
        name = value.name if value.name is not None else "value"
        value = value.to_frame(name=name)
    if not isinstance(value, pd.DataFrame):
        return None
    if not isinstance(value.index, pd.RangeIndex) and any(n is not None for n in value.index.names):
        value = value.reset_index()
    return value


def _same_values(a: pd.Series, b: pd.Series, rel: float, abs_tol: float) -> np.ndarray:
    """Element-wise match: numbers within tolerance, anything else exactly (as text)."""
    if (
        pd.api.types.is_numeric_dtype(a)
        and pd.api.types.is_numeric_dtype(b)
        and not pd.api.types.is_bool_dtype(a)
        and not pd.api.types.is_bool_dtype(b)
    ):
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        return np.isclose(x, y, rtol=rel, atol=abs_tol, equal_nan=True)
    if pd.api.types.is_datetime64_any_dtype(a) or pd.api.types.is_datetime64_any_dtype(b):
        x = pd.to_datetime(a, errors="coerce").to_numpy()
        y = pd.to_datetime(b, errors="coerce").to_numpy()
        return x == y
    return a.astype(str).to_numpy() == b.astype(str).to_numpy()


def _sorted(table: pd.DataFrame, by: list[str], numeric: set[str]) -> pd.DataFrame:
    """Rows sorted on ``by``: numbers as numbers, anything else as text (so 1 and "1" agree)."""
    keys = pd.DataFrame(
        {
            f"k{i}": table[col].astype(float) if col in numeric else table[col].astype(str)
            for i, col in enumerate(by)
        }
    )
    order = keys.sort_values(list(keys.columns), kind="mergesort").index
    return table.loc[order].reset_index(drop=True)


def _grade_frame(question: Question, answer: Any, expected: Any, language: str) -> Grade:
    settings = question.settings
    want = _as_frame(expected)
    columns = settings["columns"] or list(want.columns)
    key = settings["key"]
    if isinstance(answer, pd.Series):
        # a Series answer needs neither a name nor a named index
        value_columns = [c for c in columns if c not in key]
        if len(value_columns) == 1 and answer.name not in columns:
            answer = answer.rename(value_columns[0])
        if len(key) == 1 and answer.index.nlevels == 1 and answer.index.name is None:
            answer = answer.rename_axis(key[0])
    got = _as_frame(answer)
    if got is None:
        return Grade(False, "need_frame", {"got": _describe(answer, language)}, type_error=True)
    repeated = sorted({str(c) for c in got.columns[got.columns.duplicated()]})
    if repeated:
        return Grade(
            False, "frame_repeated_columns", {"cols": ", ".join(map(repr, repeated))}, type_error=True
        )
    if not all(c in got.columns for c in columns):
        got = got.reset_index()
    missing = [c for c in columns if c not in got.columns]
    if missing:
        have = ", ".join(repr(c) for c in got.columns if c != "index") or "—"
        return Grade(
            False,
            "frame_columns",
            {"missing": ", ".join(repr(c) for c in missing), "have": have},
            type_error=True,
        )
    if len(got) != len(want):
        reason = "frame_more_rows" if len(got) > len(want) else "frame_fewer_rows"
        return Grade(False, reason, {"rows": len(got)})
    values = settings["values"] or [c for c in columns if c not in key]
    got = got[columns].reset_index(drop=True)
    want = want[columns].reset_index(drop=True)

    def compare(g: pd.DataFrame, w: pd.DataFrame) -> Grade | None:
        for col in key:
            same = _same_values(g[col], w[col], 0.0, 0.0)
            if not same.all():
                return Grade(False, "frame_keys", {"n": int((~same).sum()), "col": col})
        for col in values:
            same = _same_values(g[col], w[col], settings["rel"], settings["abs"])
            if not same.all():
                return Grade(False, "frame_values", {"n": int((~same).sum()), "rows": len(g), "col": col})
        return None

    by = key or columns
    numeric = {
        c
        for c in by
        if all(
            pd.api.types.is_numeric_dtype(t[c]) and not pd.api.types.is_bool_dtype(t[c]) for t in (got, want)
        )
    }
    problem = compare(_sorted(got, by, numeric), _sorted(want, by, numeric))
    if problem:
        return problem
    if settings["ordered"] and compare(got, want):
        return Grade(False, "frame_order")
    return PASS


def _length(answer: str) -> tuple[int, int]:
    """(words, Chinese characters) in a written answer."""
    chinese = len(_CJK.findall(answer))
    words = len(re.findall(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*", unicodedata.normalize("NFKC", answer)))
    return words, chinese


_GRADERS = {
    "numeric": _grade_numeric,
    "integer": _grade_integer,
    "identifier": _grade_identifier,
    "choice": _grade_choice,
    "text": _grade_text,
    "frame": _grade_frame,
}


def _safely(grader: Callable, question: Question, answer: Any, expected: Any, language: str) -> Grade:
    """Grade, and turn anything the grader cannot handle into a verdict on the answer's form:
    a student never sees a traceback from ``check``."""
    try:
        return grader(question, answer, expected, language)
    except Exception:
        return Grade(False, "unreadable", {"got": _describe(answer, language)}, type_error=True)


def evaluate(
    question: Question,
    answer: Any,
    language: str | None = None,
    *,
    miss: int = 1,
    params: Mapping[str, Any] | None = None,
) -> CheckResult:
    """Grade ``answer`` against a :class:`Question` object (what :func:`check` does after the lookup).

    ``miss`` is how many wrong answers to this question the student has given,
    this one included: it chooses which step of the question's hints is shown
    (the first miss gets the first hint, the idea; later misses the next ones).

    ``params`` are the parameters of the variant to grade against (default: the
    question's default variant; see :meth:`Question.variant_of`).

    For authors and tests, to try a question before registering it.
    ``language`` defaults to the course language.
    """
    params = question.variants[0] if params is None else params
    language = get_language() if language is None else language
    qid = question.id
    if is_blank(answer):
        return CheckResult(qid, False, _say("blank", language, qid=qid))

    if question.kind == "discussion":
        if not isinstance(answer, str):
            reason = _say("need_writing", language, got=_describe(answer, language))
            return CheckResult(qid, False, _say("not_yet", language, qid=qid, reason=reason))
        words, chinese = _length(answer)
        if chinese >= words:
            size, need, unit = chinese + words, question.settings["min_chars"], "length_chars"
        else:
            size, need, unit = words + chinese, question.settings["min_words"], "length_words"
        length = _say(unit, language, n=size)
        if size < need:
            reason = _say("too_short", language, length=length, need=_say(unit, language, n=need))
            return CheckResult(qid, False, _say("not_yet", language, qid=qid, reason=reason))
        points = tuple(localize(p, language) for p in question.checklist)
        return CheckResult(qid, True, _say("self_assess", language, qid=qid, length=length), points)

    grader = _GRADERS[question.kind]
    # a text question grades against all its accepted answers and keywords
    expected = question.expected(params) if question.has_expected and question.kind != "text" else None
    grade = _safely(grader, question, answer, expected, language)
    if grade.passed:
        return CheckResult(qid, True, _say("correct", language, qid=qid))
    reason = _say(grade.reason, language, **grade.values)
    if not grade.type_error:
        for slip in question.wrong:
            if slip.because and _safely(grader, question, answer, slip.value_for(params), language).passed:
                reason = fill(localize(slip.because, language), params, language).rstrip(".。")
                break
    verdict = _say("not_yet", language, qid=qid, reason=reason)
    if len(question.hints) == 1:
        verdict += _say("hint", language, hint=fill(localize(question.hints[0], language), params, language))
    elif question.hints:
        step = min(max(int(miss), 1), len(question.hints))
        shown = fill(localize(question.hints[step - 1], language), params, language)
        verdict += _say("hint_step", language, step=step, steps=len(question.hints), hint=shown)
    return CheckResult(qid, False, verdict)
