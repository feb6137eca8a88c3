"""Protecting customer privacy (保护客户隐私) before analysis: pseudonymization and k-anonymity.

* **Pseudonymization** (假名化) replaces each direct identifier (a name, a phone
  number, an e-mail address) by a keyed hash, HMAC-SHA-256 with a secret key
  (:func:`pseudonymize`). Equal values get equal pseudonyms, so counts, joins
  and models give the same results; without the key nobody can rebuild the
  table by hashing a list of likely names or numbers, which defeats a plain
  (unkeyed) hash. The key is made at run time (``secrets.token_bytes(32)``)
  and kept apart from the data: whoever holds both can re-identify, so
  pseudonymized data are still personal data.
* **k-anonymity** (k-匿名, Sweeney 2002) asks what pseudonymization leaves:
  the *quasi-identifiers* (准标识符), attributes such as age, gender, region
  and city tier that are harmless alone but single a person out together.
  A table is k-anonymous when every combination of them is shared by at least
  k rows (:func:`k_anonymity`, :func:`class_sizes`). Coarsening them, for
  example 5-year age bands instead of ages (:func:`age_bands`), merges small
  groups; :func:`generalization_ladder` shows how far one has to go.

References
----------
Sweeney, L. (2002). k-anonymity: a model for protecting privacy. *International
Journal of Uncertainty, Fuzziness and Knowledge-Based Systems* 10(5), 557-570.
Krawczyk, H., Bellare, M., & Canetti, R. (1997). HMAC: keyed-hashing for message
authentication. RFC 2104.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .validation import (
    DataError,
    describe_rows,
    require_columns,
    require_count,
    require_frame,
    require_text,
    to_numbers,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "MIN_KEY_BYTES",
    "pseudonymize",
    "age_bands",
    "KAnonymity",
    "class_sizes",
    "k_anonymity",
    "generalization_ladder",
    "plot_generalization",
]

#: The shortest secret key :func:`pseudonymize` accepts, in bytes (128 bits).
MIN_KEY_BYTES = 16


def _columns(columns: object, name: str) -> list[str]:
    """Column names given as a list (one text alone is a list of one)."""
    if isinstance(columns, str):
        return [columns]
    if not isinstance(columns, Sequence) or isinstance(columns, bytes) or not columns:
        raise DataError(f"{name} must be a list of column names, got {columns!r}")
    names = [require_text(c, f"a name in {name}") for c in columns]
    if len(set(names)) != len(names):
        raise DataError(f"{name} names a column twice: {names}")
    return names


def pseudonymize(table: pd.DataFrame, columns: Sequence[str], key: bytes) -> pd.DataFrame:
    """Replace the values of ``columns`` by their keyed hash: HMAC-SHA-256 with ``key``, in hex.

        pseudonym(x) = HMAC-SHA-256(key, UTF-8 text of x)   (64 hexadecimal characters)

    The same value gets the same pseudonym in every column and row, so counting,
    grouping and joining on a pseudonymized column give what they gave before;
    a different key gives different pseudonyms. Missing values stay missing (NaN).

    Parameters
    ----------
    table : DataFrame
        The table with personal data.
    columns : list of str
        The columns to pseudonymize (names, phone numbers, e-mail addresses, ids).
    key : bytes
        The secret key, at least ``MIN_KEY_BYTES`` bytes: make it with
        ``secrets.token_bytes(32)`` and never store it with the data or in a repository.

    Returns
    -------
    DataFrame
        A copy of ``table`` with those columns replaced (other columns as they were).

    Raises
    ------
    DataError
        ``table`` not a non-empty table; ``columns`` not a list of its column names;
        ``key`` not bytes or shorter than ``MIN_KEY_BYTES``.

    References
    ----------
    RFC 2104 (HMAC); FIPS 180-4 (SHA-256).

    Examples
    --------
    >>> people = pd.DataFrame({"name": ["Lan Luo", "Gang Chen", "Lan Luo"], "spend": [10, 20, 30]})
    >>> masked = pseudonymize(people, ["name"], key=bytes(32))
    >>> masked["name"].str.len().tolist(), masked["name"].nunique()
    ([64, 64, 64], 2)
    """
    require_frame(table, "table")
    names = _columns(columns, "columns")
    require_columns(table, names, "table")
    if not isinstance(key, (bytes, bytearray)):
        raise DataError(
            f"key must be bytes, e.g. secrets.token_bytes(32), got {type(key).__name__}: a text "
            "password is too easy to guess"
        )
    if len(key) < MIN_KEY_BYTES:
        raise DataError(f"key has {len(key)} bytes; use at least {MIN_KEY_BYTES}: secrets.token_bytes(32)")
    secret = bytes(key)
    out = table.copy()
    for column in names:
        values = table[column]
        out[column] = [
            np.nan
            if pd.isna(value)
            else hmac.new(secret, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
            for value in values.to_numpy()
        ]
    return out


def age_bands(ages: pd.Series, width: int = 5, top: int | None = None) -> pd.Series:
    """Ages coarsened into bands of ``width`` years, with an open top band from ``top``.

    A band starts at a multiple of ``width``: with width 5, age 37 is ``"35–39"``;
    with ``top=60`` every age from 60 up is ``"60+"`` (top-coding, which hides the rare
    oldest customers).

    Parameters
    ----------
    ages : Series
        Ages in years, numbers of at least 0 without missing values.
    width : int
        Band width in years, 1 to 100.
    top : int, optional
        First age of the open top band (1 to 150); none by default.

    Returns
    -------
    Series
        Band labels (text), with the index of ``ages`` (a default index for a list).

    Raises
    ------
    DataError
        Ages that are missing, not numbers or negative; a ``width`` or ``top`` out of range.

    Examples
    --------
    >>> age_bands(pd.Series([18, 37, 64, 71]), width=10, top=60).tolist()
    ['10–19', '30–39', '60+', '60+']
    """
    width = require_count(width, "width", low=1, high=100)
    if top is not None:
        top = require_count(top, "top", low=1, high=150)
    years = to_numbers(ages, "ages", low=0, max_size=10_000_000)
    index = ages.index if isinstance(ages, pd.Series) else pd.RangeIndex(len(years))
    lower = (np.floor(years / width) * width).astype(int)
    upper = lower + width - 1
    if top is not None:
        upper = np.minimum(upper, top - 1)
    labels = [f"{lo}–{hi}" for lo, hi in zip(lower, upper, strict=True)]
    if top is not None:
        labels = [f"{top}+" if y >= top else label for y, label in zip(years, labels, strict=True)]
    return pd.Series(labels, index=index, name=ages.name if isinstance(ages, pd.Series) else "age_band")


@dataclass(frozen=True)
class KAnonymity:
    """How anonymous a table is on its quasi-identifiers (see :func:`k_anonymity`)."""

    rows: int
    groups: int
    k: int
    unique: int
    below_target: int
    share_below_target: float
    target: int


def _quasi(table: object, quasi_identifiers: object) -> tuple[pd.DataFrame, list[str]]:
    require_frame(table, "table")
    names = _columns(quasi_identifiers, "quasi_identifiers")
    require_columns(table, names, "table")
    for column in names:
        missing = table[column].isna()
        if missing.any():
            raise DataError(
                f"column {column!r} has {int(missing.sum())} missing values "
                f"({describe_rows(table.index[missing])}): a missing quasi-identifier is a value of its own "
                "to an attacker; fill it (e.g. 'unknown') or drop those rows first"
            )
    return table, names


def class_sizes(table: pd.DataFrame, quasi_identifiers: Sequence[str]) -> pd.Series:
    """For each row, how many rows share its combination of quasi-identifiers.

    A row whose size is 1 is **unique**: anyone who knows those attributes of a person
    finds that person's row.

    Parameters
    ----------
    table : DataFrame
        One row per person.
    quasi_identifiers : list of str
        The columns an outsider could know (age band, gender, region, city tier ...).

    Returns
    -------
    Series
        ``class_size`` per row, with the index of ``table``.

    Raises
    ------
    DataError
        ``table`` not a non-empty table; ``quasi_identifiers`` not a list of its
        columns; missing values in them.

    Examples
    --------
    >>> people = pd.DataFrame({"gender": ["F", "F", "M"], "city_tier": [1, 1, 2]})
    >>> class_sizes(people, ["gender", "city_tier"]).tolist()
    [2, 2, 1]
    """
    table, names = _quasi(table, quasi_identifiers)
    keys = [table[c].reset_index(drop=True) for c in names]
    sizes = pd.Series(np.ones(len(table), dtype=int)).groupby(keys).transform("size")
    return pd.Series(sizes.to_numpy(dtype=int), index=table.index, name="class_size")


def k_anonymity(table: pd.DataFrame, quasi_identifiers: Sequence[str], k: int = 5) -> KAnonymity:
    """The k a table reaches on its quasi-identifiers, and how many rows fall short of a target.

        k = the size of the smallest group of rows with equal quasi-identifiers.

    The table is ``k``-anonymous for the target when every group holds at least
    ``k`` rows (Sweeney 2002).

    Parameters
    ----------
    table : DataFrame
        One row per person.
    quasi_identifiers : list of str
        The columns an outsider could know.
    k : int
        The target group size, 2 to 1,000 (default 5).

    Returns
    -------
    KAnonymity
        ``rows``, ``groups`` (distinct combinations), ``k`` (the smallest group),
        ``unique`` (rows alone in their group), ``below_target`` (rows in groups smaller
        than the target), ``share_below_target`` and ``target``.

    Raises
    ------
    DataError
        As :func:`class_sizes`; a target ``k`` out of range.

    Examples
    --------
    >>> people = pd.DataFrame({"gender": ["F", "F", "M"], "city_tier": [1, 1, 2]})
    >>> k_anonymity(people, ["gender", "city_tier"], k=2).unique
    1
    """
    target = require_count(k, "k", low=2, high=1000)
    sizes = class_sizes(table, quasi_identifiers)
    names = _columns(quasi_identifiers, "quasi_identifiers")
    groups = int(table[names].drop_duplicates().shape[0])
    below = int((sizes < target).sum())
    return KAnonymity(
        rows=len(sizes),
        groups=groups,
        k=int(sizes.min()),
        unique=int((sizes == 1).sum()),
        below_target=below,
        share_below_target=below / len(sizes),
        target=target,
    )


def generalization_ladder(
    table: pd.DataFrame, steps: Mapping[str, Sequence[str]], k: int = 5
) -> pd.DataFrame:
    """:func:`k_anonymity` for several sets of quasi-identifiers, from fine to coarse.

    Parameters
    ----------
    table : DataFrame
        One row per person, holding every column the steps name (e.g. ``age`` and
        ``age_band_10``, ``region`` and ``macro_region``).
    steps : dict of str -> list of str
        A name for each step (shown in tables and figures) and its quasi-identifiers.
    k : int
        The target group size (default 5).

    Returns
    -------
    DataFrame
        Indexed by ``step`` in the given order: ``quasi_identifiers`` (joined by " × "),
        ``groups``, ``k``, ``unique``, ``share_unique``, ``below_target``, ``share_below_target``.

    Raises
    ------
    DataError
        ``steps`` not a non-empty dict of name -> list of columns; as :func:`k_anonymity`.

    Examples
    --------
    >>> people = pd.DataFrame({"gender": ["F", "F", "M", "M"], "city_tier": [1, 2, 1, 2],
    ...                        "big_city": [True, False, True, False]})
    >>> generalization_ladder(people, {"fine": ["gender", "city_tier"], "coarse": ["gender"]}, k=2)["k"].tolist()
    [1, 2]
    """
    if not isinstance(steps, Mapping) or not steps:
        raise DataError(f"steps must be a dict of step name -> quasi-identifiers, got {steps!r}")
    rows = {}
    for name, columns in steps.items():
        name = require_text(name, "a step name")
        result = k_anonymity(table, columns, k)
        rows[name] = {
            "quasi_identifiers": " × ".join(_columns(columns, f"steps[{name!r}]")),
            "groups": result.groups,
            "k": result.k,
            "unique": result.unique,
            "share_unique": result.unique / result.rows,
            "below_target": result.below_target,
            "share_below_target": result.share_below_target,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "step"
    return out


def plot_generalization(
    ladder: pd.DataFrame,
    *,
    k: int = 5,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Per step of a :func:`generalization_ladder`: the share of people in groups below the target k
    and the share who are unique, as horizontal bars in % (axis from 0).

    Raises
    ------
    DataError
        ``ladder`` not a table with the columns ``share_unique`` and ``share_below_target``
        (shares from 0 to 1, the first at most the second); a ``k`` out of range.
    """
    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure

    target = require_count(k, "k", low=2, high=1000)
    require_frame(ladder, "ladder")
    require_columns(ladder, ["share_unique", "share_below_target"], "ladder")
    share = to_numbers(ladder["share_below_target"], "column 'share_below_target'", low=0, high=1)
    unique_share = to_numbers(ladder["share_unique"], "column 'share_unique'", low=0, high=1)
    if (unique_share > share + 1e-12).any():
        raise DataError(
            "ladder has a larger share of unique people than of people below the target k: "
            "pass the table of generalization_ladder"
        )
    if ax is None:
        _, ax = new_figure()
    pos = np.arange(len(ladder))[::-1]
    ax.barh(
        pos + 0.2,
        100 * share,
        height=0.4,
        color=PALETTE[3],
        label=figure_text(f"{term('below_k')} (k = {target})"),
    )
    ax.barh(pos - 0.2, 100 * unique_share, height=0.4, color=PALETTE[0], label=term("unique_customers"))
    ax.set_yticks(pos, [str(s) for s in ladder.index])
    ax.set_xlim(0, max(5.0, 100 * float(share.max()) * 1.15))
    ax.set_xlabel(term("share_of_customers_pct"))
    ax.legend(loc="lower right")
    return finish(ax, title, source)
