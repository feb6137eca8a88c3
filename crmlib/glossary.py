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

import numpy as np
import pandas as pd

from .datasets import demo_value_labels
from .language import get_language, resolve
from .validation import DataError, require_flag

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
    table: pd.DataFrame | pd.Series, lang: str | None = None, *, headers: bool = False, index: bool = True
) -> pd.DataFrame | pd.Series:
    """The table as a reader should see it: category values that are glossary keys
    (segment names, quadrants, cells of a matrix) shown as their terms in ``lang``.

    The index and the values of text columns (and of a Series) are renamed where they
    are glossary keys, or a list of keys (``"responsiveness, care"``); True and False
    as the terms ``true`` and ``false`` (是 and 否 in Chinese); in Chinese, the names of
    the demo data (product lines, categories, regions, company names:
    :func:`crmlib.datasets.demo_value_labels`) by their Chinese names. Numbers and other
    texts are left as they are. With ``headers=True`` the column labels (every level of
    a MultiIndex), the columns' name and the index's name are renamed too: for a summary
    whose headers are keys such as ``cost_to_serve``, or the English name of a label,
    alone or after a model's name (``BG/NBD error %``). With ``index=False`` the index
    values stay as they are: names that are code, such as the tables of a database
    (``customers`` is a table there, not the header 客户数). Use it on the table a cell
    displays, after the computation, which works on the keys.

    Examples
    --------
    >>> import pandas as pd
    >>> labelled(pd.Series([3, 5], index=["champions", "lost"]), "en").index.tolist()
    ['Champions', 'Lost']
    >>> labelled(pd.DataFrame({"cost_to_serve": [1.0]}), "en", headers=True).columns.tolist()
    ['cost to serve']
    >>> table = pd.DataFrame({"region": ["East China"], "measured": [True], "BG/NBD error %": [1.5]})
    >>> labelled(table, "zh", headers=True).to_dict("records")
    [{'地区': '华东', '调查中是否测量': '是', 'BG/NBD 误差（%）': 1.5}]
    """
    language = resolve(lang)
    keys = set(_table().index)
    names = demo_value_labels() if language == "zh" else {}
    label_rows = _table()[_table()["kind"] == "label"]
    label_terms = dict(zip(label_rows["en"], label_rows[language], strict=True))

    def show(value: object) -> object:
        if isinstance(value, (bool, np.bool_)):  # English keeps True and False, Chinese shows 是 and 否
            shown = term("true" if value else "false", language)
            return value if shown == str(value) else shown
        if not isinstance(value, str):
            return value
        if value in keys:
            return _row(value)[language]
        parts = value.split(", ")
        if len(parts) > 1 and all(part in keys for part in parts):  # a list of keys: "care, responsiveness"
            return ("、" if language == "zh" else ", ").join(_row(part)[language] for part in parts)
        return names.get(value, value)

    def header(value: object) -> object:
        """A header: a key, or the English name of a label (``error %``), alone or after a
        model's name (``BG/NBD error %``)."""
        if not isinstance(value, str) or value in keys:
            return show(value)
        model, _, rest = value.partition(" ")
        if value in label_terms:
            return label_terms[value]
        return f"{model} {label_terms[rest]}" if rest in label_terms else show(value)

    def values(column: pd.Series) -> pd.Series:
        texts = column.dtype == object or isinstance(column.dtype, pd.CategoricalDtype)
        return column.map(show) if texts or pd.api.types.is_bool_dtype(column) else column

    if not isinstance(table, (pd.DataFrame, pd.Series)):
        raise DataError(f"table must be a DataFrame or Series, got a {type(table).__name__}")
    index = require_flag(index, "index")
    out = table.copy()
    if index and isinstance(out.index, pd.MultiIndex):
        out.index = pd.MultiIndex.from_tuples(
            [tuple(show(v) for v in labels) for labels in out.index], names=out.index.names
        )
    elif index:
        out.index = out.index.map(header if headers else show)
    if isinstance(out, pd.Series):
        out = values(out)
    else:
        for column in out.columns:
            out[column] = values(out[column])
        if headers:
            if isinstance(out.columns, pd.MultiIndex):
                out.columns = pd.MultiIndex.from_tuples(
                    [tuple(header(v) for v in labels) for labels in out.columns],
                    names=[header(n) for n in out.columns.names],
                )
            else:
                out.columns = pd.Index([header(c) for c in out.columns], name=header(out.columns.name))
    if headers:
        if isinstance(out.index, pd.MultiIndex):
            out.index = out.index.set_names([header(n) for n in out.index.names])
        else:
            out.index = out.index.rename(header(out.index.name))
    return out
