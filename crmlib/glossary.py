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

The language itself is set with :func:`crmlib.set_language` (see
:mod:`crmlib.language`, which also holds the message templates).
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .language import get_language, resolve
from .validation import DataError

__all__ = [
    "UnknownTermError",
    "glossary_table",
    "term",
    "bilingual",
    "define",
    "labelled",
]

_GLOSSARY_DIR = Path(__file__).with_name("data") / "glossary"
_COLUMNS = ["key", "kind", "chapter", "en", "zh", "definition_en", "definition_zh"]


class UnknownTermError(DataError):
    """A glossary key that is not in the glossary."""


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    parts = []
    for path in sorted(_GLOSSARY_DIR.glob("ch*.csv")):
        part = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(part.columns) != _COLUMNS:
            raise DataError(f"glossary file {path.name} must have the columns {_COLUMNS}")
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    if table["key"].duplicated().any():
        repeated = sorted(table.loc[table["key"].duplicated(), "key"])
        raise DataError(f"the glossary repeats the keys {repeated}: each term is defined once")
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
    if not isinstance(key, str):
        raise UnknownTermError(f"a glossary key is a text such as 'customer_retention', got {key!r}")
    if key not in table.index:
        near = difflib.get_close_matches(key, table.index, n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UnknownTermError(f"{key!r} is not in the glossary{hint}")
    return table.loc[key]


def term(key: str, lang: str | None = None) -> str:
    """The name of a glossary term in ``lang`` (default: the current language)."""
    return _row(key)[resolve(lang)]


def bilingual(key: str) -> str:
    """The term in the current language followed by the other one in brackets:
    ``'customer retention (客户保留)'``, or in Chinese, with full-width brackets,
    ``'客户保留（customer retention）'``: the form a chapter uses the first time
    a concept appears."""
    row = _row(key)
    if get_language() == "zh":
        return f"{row['zh']}（{row['en']}）"
    return f"{row['en']} ({row['zh']})"


def define(key: str, lang: str | None = None) -> str:
    """The one-line definition of a glossary term in ``lang``."""
    return _row(key)[f"definition_{resolve(lang)}"]


def labelled(
    table: pd.DataFrame | pd.Series, lang: str | None = None, *, headers: bool = False
) -> pd.DataFrame | pd.Series:
    """The table as a reader should see it: category values that are glossary keys
    (segment names, quadrants, cells of a matrix) shown as their terms in ``lang``.

    The index and the values of text columns are renamed where they are glossary
    keys; numbers and other texts are left as they are. With ``headers=True`` the
    column labels (every level of a MultiIndex), the columns' name and the index's
    name are renamed too: for a summary whose headers are keys such as
    ``cost_to_serve``. Use it on the table a cell displays, after the computation,
    which works on the keys.

    Examples
    --------
    >>> import pandas as pd
    >>> labelled(pd.Series([3, 5], index=["champions", "lost"]), "en").index.tolist()
    ['Champions', 'Lost']
    >>> labelled(pd.DataFrame({"cost_to_serve": [1.0]}), "en", headers=True).columns.tolist()
    ['cost to serve']
    """
    language = resolve(lang)
    keys = set(_table().index)

    def show(value: object) -> object:
        return _row(value)[language] if isinstance(value, str) and value in keys else value

    if not isinstance(table, (pd.DataFrame, pd.Series)):
        raise DataError(f"table must be a DataFrame or Series, got a {type(table).__name__}")
    out = table.copy()
    out.index = out.index.map(show) if not isinstance(out.index, pd.MultiIndex) else out.index
    if isinstance(out, pd.DataFrame):
        for column in out.columns:
            if out[column].dtype == object or isinstance(out[column].dtype, pd.CategoricalDtype):
                out[column] = out[column].map(show)
        if headers:
            if isinstance(out.columns, pd.MultiIndex):
                out.columns = pd.MultiIndex.from_tuples(
                    [tuple(show(v) for v in labels) for labels in out.columns],
                    names=[show(n) for n in out.columns.names],
                )
            else:
                out.columns = pd.Index([show(c) for c in out.columns], name=show(out.columns.name))
    if headers:
        if isinstance(out.index, pd.MultiIndex):
            out.index = out.index.set_names([show(n) for n in out.index.names])
        else:
            out.index = out.index.rename(show(out.index.name))
    return out
