"""The course glossary (名词解释) and the language setting.

One table of terms, each with an English and a Chinese name and a one-line
definition in both languages, lives in ``crmlib/data/glossary/``: one CSV
per chapter (``ch00.csv``, ``ch04.csv``, ...) holding the terms that chapter
introduces, read together as one table whose keys must be unique. Every
figure label, every exercise verdict and every bold term in a chapter comes
from it, so that switching the language changes the words, not the code::

    >>> from crmlib import glossary
    >>> glossary.term("customer_lifetime_value")
    'customer lifetime value (CLV)'
    >>> glossary.term("customer_lifetime_value", lang="zh")
    '客户生命周期价值'

The language setting is the only global state in crmlib.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = [
    "LANGUAGES",
    "UnknownTermError",
    "set_language",
    "get_language",
    "glossary_table",
    "term",
    "bilingual",
    "define",
]

LANGUAGES = ("en", "zh")
_GLOSSARY_DIR = Path(__file__).with_name("data") / "glossary"
_COLUMNS = ["key", "kind", "chapter", "en", "zh", "definition_en", "definition_zh"]
_state = {"language": "en"}


class UnknownTermError(ValueError):
    """A glossary key that is not in the glossary."""


def set_language(lang: str) -> None:
    """Choose the language of labels and messages: ``"en"`` or ``"zh"``."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    _state["language"] = lang


def get_language() -> str:
    """Return the current language code (``"en"`` unless changed)."""
    return _state["language"]


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    parts = []
    for path in sorted(_GLOSSARY_DIR.glob("ch*.csv")):
        part = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(part.columns) != _COLUMNS:
            raise ValueError(f"glossary file {path.name} must have the columns {_COLUMNS}")
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    if table["key"].duplicated().any():
        repeated = sorted(table.loc[table["key"].duplicated(), "key"])
        raise ValueError(f"the glossary repeats the keys {repeated}: each term is defined once")
    return table.set_index("key")


def glossary_table(chapter: str | None = None, kind: str | None = "concept") -> pd.DataFrame:
    """Return the glossary as a table (a copy), optionally for one chapter.

    Parameters
    ----------
    chapter : str, optional
        Two-digit chapter number, e.g. ``"04"``; ``None`` gives every chapter.
    kind : {"concept", "label", None}
        ``"concept"`` for course terms, ``"label"`` for figure labels,
        ``None`` for both.
    """
    table = _table()
    if chapter is not None:
        table = table[table["chapter"] == chapter]
    if kind is not None:
        table = table[table["kind"] == kind]
    return table.drop(columns="kind").copy()


def _row(key: str) -> pd.Series:
    table = _table()
    if key not in table.index:
        near = difflib.get_close_matches(key, table.index, n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UnknownTermError(f"{key!r} is not in the glossary{hint}")
    return table.loc[key]


def _lang(lang: str | None) -> str:
    lang = get_language() if lang is None else lang
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    return lang


def term(key: str, lang: str | None = None) -> str:
    """The name of a glossary term in ``lang`` (default: the current language)."""
    return _row(key)[_lang(lang)]


def bilingual(key: str) -> str:
    """The term in the current language followed by the other one, e.g.
    ``'customer retention (顾客保留率)'``: the form a chapter uses the first
    time a concept appears."""
    row = _row(key)
    first = get_language()
    other = "zh" if first == "en" else "en"
    return f"{row[first]} ({row[other]})"


def define(key: str, lang: str | None = None) -> str:
    """The one-line definition of a glossary term in ``lang``."""
    return _row(key)[f"definition_{_lang(lang)}"]
