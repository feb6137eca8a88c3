"""The language of everything crmlib says: the one setting, and the bilingual texts.

Every text a student reads comes from one of three places, all in both
languages (English ``"en"`` and Simplified Chinese ``"zh"``):

- the glossary (:mod:`crmlib.glossary`): the course's terms and figure labels;
- the message templates in ``crmlib/data/messages/*.csv`` (columns ``key``,
  ``en``, ``zh``), filled with :func:`message`: exercise verdicts today;
- bilingual values written where they are used, ``{"en": ..., "zh": ...}``:
  the hints, slip explanations and checklists of the question banks, read
  with :func:`localize`.

:func:`set_language` switches all three at once::

    >>> from crmlib import language
    >>> language.message("exercise.correct", "zh", qid="ch00.q1")
    '✅ ch00.q1 — 正确。'

The language setting is the only global state in crmlib.
"""

from __future__ import annotations

import csv
import re
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .validation import DataError, require_text

__all__ = [
    "LANGUAGES",
    "Bilingual",
    "set_language",
    "get_language",
    "resolve",
    "localize",
    "bilingual_text",
    "message",
    "messages",
    "placeholders",
    "half_width_punctuation",
]

#: The course's languages: English and Simplified Chinese (mainland usage).
LANGUAGES = ("en", "zh")

#: A text in both languages, e.g. ``{"en": "count distinct customers", "zh": "统计不同的客户"}``.
Bilingual = Mapping[str, str]

_MESSAGES_DIR = Path(__file__).with_name("data") / "messages"
_state = {"language": "en"}


def set_language(lang: str) -> None:
    """Choose the language of labels, messages and feedback: ``"en"`` or ``"zh"``."""
    if lang not in LANGUAGES:
        raise DataError(f"language must be one of {LANGUAGES}, got {lang!r}")
    _state["language"] = lang


def get_language() -> str:
    """Return the current language code (``"en"`` unless changed)."""
    return _state["language"]


def resolve(lang: str | None) -> str:
    """``lang``, or the current language when ``None``; raise on an unknown code."""
    lang = get_language() if lang is None else lang
    if lang not in LANGUAGES:
        raise DataError(f"language must be one of {LANGUAGES}, got {lang!r}")
    return lang


def bilingual_text(value: object, where: str = "text") -> Bilingual:
    """Return ``value`` if it is a text in every course language, or raise saying what is missing.

    For authors: question banks call it (through :mod:`crmlib.exercises`) so that a
    hint written in one language only fails when the bank is imported, not when a
    student reads it.

    Examples
    --------
    >>> bilingual_text({"en": "count rows", "zh": "统计行数"})["zh"]
    '统计行数'
    >>> bilingual_text("count rows", "ch00.q1 hint")
    Traceback (most recent call last):
    ...
    crmlib.validation.DataError: ch00.q1 hint must be a text in every language, {'en': ..., 'zh': ...}; got the str 'count rows'
    """
    if not isinstance(value, Mapping):
        raise DataError(
            f"{where} must be a text in every language, {{'en': ..., 'zh': ...}}; "
            f"got the {type(value).__name__} {value!r}"
        )
    missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
    extra = sorted(set(value) - set(LANGUAGES))
    if missing or extra:
        problems = ([f"no {', '.join(missing)} text"] if missing else []) + (
            [f"unknown languages {extra}"] if extra else []
        )
        raise DataError(f"{where} has {' and '.join(problems)}: give {{'en': ..., 'zh': ...}}")
    return value


def localize(value: Bilingual | str, lang: str | None = None) -> str:
    """The text of a bilingual value in ``lang`` (default: the current language).

    A plain string is language-neutral (a number, a code snippet) and is returned as it is.

    Examples
    --------
    >>> localize({"en": "recency", "zh": "最近一次消费"}, "zh")
    '最近一次消费'
    """
    if isinstance(value, Mapping):
        return bilingual_text(value, "the text to show")[resolve(lang)]
    return require_text(value, "the text to show")


@cache
def messages() -> dict[str, dict[str, str]]:
    """Every message template, by key: ``{"exercise.correct": {"en": ..., "zh": ...}, ...}``.

    One file per area of crmlib (``exercises.csv`` for the exercise verdicts); a key
    starts with its area, ``exercise.correct``, so keys stay unique across files.
    """
    found: dict[str, dict[str, str]] = {}
    for path in sorted(_MESSAGES_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != ["key", *LANGUAGES]:
                raise DataError(f"{path.name} must have the columns key, {', '.join(LANGUAGES)}")
            for row in reader:
                if row["key"] in found:
                    raise DataError(f"message {row['key']!r} is defined twice ({path.name})")
                found[row["key"]] = {lang: row[lang] for lang in LANGUAGES}
    return found


def message(key: str, lang: str | None = None, **values: object) -> str:
    """A message template in ``lang``, filled with ``values`` (``str.format`` fields).

    Examples
    --------
    >>> message("exercise.hint", "en", hint="count distinct ids")
    ' Hint: count distinct ids'
    """
    table = messages()
    if key not in table:
        raise DataError(f"there is no message {key!r} in crmlib/data/messages/")
    return table[key][resolve(lang)].format(**values)


def placeholders(template: str) -> set[str]:
    """The ``str.format`` field names of a template: ``{"qid", "reason"}``."""
    return {name for _, name, _, _ in string.Formatter().parse(require_text(template, "template")) if name}


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HALF_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[,.:;?!()]|[,:;?!()](?=[{_CJK}])")


def half_width_punctuation(text: str) -> list[str]:
    """Half-width punctuation touching a Chinese character, where Chinese text
    uses full-width marks (，。：；？！（）). Returns the offending snippets.

    Examples
    --------
    >>> half_width_punctuation("提示:请先汇总(.sum())")
    ['示:请先', '总(.s']
    >>> half_width_punctuation("提示：请先汇总（.sum()）")
    []
    """
    text = require_text(text, "text")
    return [text[max(m.start() - 1, 0) : m.end() + 2] for m in _HALF_NEXT_TO_CJK.finditer(text)]
