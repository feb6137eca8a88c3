"""Checks shared by every crmlib function that takes a table.

Each check raises :class:`DataError` with a sentence a student can act on:
it names the column, says what is wrong, and where it helps, which rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import numpy as np
import pandas as pd

#: A date given as an argument: ``"2024-12-31"``, a ``datetime.date`` or ``datetime``,
#: a ``pandas.Timestamp`` or a ``numpy.datetime64`` (read with :func:`to_date`).
DateLike = str | datetime.date | pd.Timestamp | np.datetime64

__all__ = [
    "DataError",
    "DateLike",
    "require_frame",
    "require_columns",
    "require_no_missing",
    "require_numeric",
    "require_non_negative",
    "to_datetime_column",
    "to_date",
    "describe_rows",
]


class DataError(ValueError):
    """Input data that crmlib cannot use as given.

    A subclass of :class:`ValueError`, so ``except ValueError`` also catches
    it. The message always names the column and the problem.
    """


def describe_rows(index: Iterable, limit: int = 5) -> str:
    """Return ``"rows 3, 17, 254"`` (at most ``limit`` labels, then ``...``)."""
    labels = list(index)
    shown = ", ".join(str(label) for label in labels[:limit])
    more = ", ..." if len(labels) > limit else ""
    word = "row" if len(labels) == 1 else "rows"
    return f"{word} {shown}{more}"


def require_frame(data: object, name: str = "data") -> pd.DataFrame:
    """Raise unless ``data`` is a non-empty DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{name} must be a pandas DataFrame, got {type(data).__name__}")
    if len(data) == 0:
        raise DataError(f"{name} is empty: it has no rows to work with")
    return data


def require_columns(data: pd.DataFrame, columns: Iterable[str], name: str = "data") -> None:
    """Raise when any of ``columns`` is missing, listing what is there."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        quoted = ", ".join(repr(c) for c in missing)
        have = ", ".join(repr(c) for c in data.columns)
        word = "column" if len(missing) == 1 else "columns"
        raise DataError(
            f"{name} has no {word} {quoted}; its columns are {have}. "
            "Pass the right name through the *_col arguments or rename the column."
        )


def require_no_missing(data: pd.DataFrame, column: str, what: str = "value") -> None:
    """Raise when ``column`` holds missing values."""
    missing = data[column].isna()
    if missing.any():
        raise DataError(
            f"column {column!r} has {int(missing.sum())} missing {what}s "
            f"({describe_rows(data.index[missing])}): drop or fill them first"
        )


def require_numeric(data: pd.DataFrame, column: str) -> pd.Series:
    """Return ``column`` as floats, or raise naming the values that are not numbers."""
    values = data[column]
    if pd.api.types.is_bool_dtype(values):
        raise DataError(f"column {column!r} holds True/False values, expected numbers")
    if pd.api.types.is_numeric_dtype(values):
        converted = values.astype(float)
    else:
        converted = pd.to_numeric(values, errors="coerce")
        bad = converted.isna() & values.notna()
        if bad.any():
            examples = ", ".join(repr(v) for v in values[bad].unique()[:3])
            raise DataError(
                f"column {column!r} has {int(bad.sum())} values that are not numbers "
                f"(e.g. {examples}; {describe_rows(data.index[bad])}): "
                "clean them (currency symbols, commas) before summarising"
            )
    missing = converted.isna()
    if missing.any():
        raise DataError(
            f"column {column!r} has {int(missing.sum())} missing values "
            f"({describe_rows(data.index[missing])}): drop or fill them first"
        )
    if not np.isfinite(converted.to_numpy()).all():
        bad = ~np.isfinite(converted.to_numpy())
        raise DataError(
            f"column {column!r} has {int(bad.sum())} infinite values ({describe_rows(data.index[bad])})"
        )
    return converted


def require_non_negative(values: pd.Series, column: str, advice: str = "") -> None:
    """Raise when ``values`` (a numeric Series) has negative entries."""
    negative = values < 0
    if negative.any():
        message = (
            f"column {column!r} has {int(negative.sum())} negative values "
            f"({describe_rows(values.index[negative])})"
        )
        raise DataError(message + (f": {advice}" if advice else ""))


def to_date(value: object, name: str) -> pd.Timestamp:
    """One date given as an argument (an observation end, a cut-off, a cohort bound) as a
    ``pandas.Timestamp``, or :class:`DataError` saying what was given instead.

    The one way crmlib reads a date argument: a text such as ``"2024-12-31"``, a
    ``datetime``/``date`` or a ``Timestamp``; not a number (``20241231`` is ambiguous),
    not a missing value, not a time-zone-aware time (the course's data have none).

    Examples
    --------
    >>> to_date("2024-12-31", "observation_end")
    Timestamp('2024-12-31 00:00:00')
    >>> to_date(20241231, "observation_end")
    Traceback (most recent call last):
    ...
    crmlib.validation.DataError: observation_end must be a date such as '2024-12-31', got the number 20241231
    """
    problem = None
    if isinstance(value, (bool, np.bool_, int, float, np.integer, np.floating)):
        problem = f"the number {value!r}"
    else:
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            problem = repr(value)
        else:
            if pd.isna(stamp):
                problem = "a missing value"
            elif stamp.tzinfo is not None:
                problem = f"{value!r}, a time with a time zone (drop it with .tz_localize(None))"
    if problem is not None:
        raise DataError(f"{name} must be a date such as '2024-12-31', got {problem}")
    return stamp


def to_datetime_column(data: pd.DataFrame, column: str) -> pd.Series:
    """Return ``column`` as ``datetime64``, or raise naming the rows that do not parse.

    The one way crmlib reads a date column (see :func:`to_date` for one date)."""
    values = data[column]
    missing = values.isna()
    if missing.any():
        raise DataError(
            f"column {column!r} has {int(missing.sum())} missing dates "
            f"({describe_rows(data.index[missing])}): every transaction needs a date"
        )
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        raise DataError(
            f"column {column!r} holds times with a time zone ({values.dt.tz}): drop it first, "
            f"df[{column!r}].dt.tz_localize(None)"
        )
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_numeric_dtype(values):
        raise DataError(
            f"column {column!r} holds numbers, not dates: convert it first, e.g. "
            f"pd.to_datetime(df[{column!r}].astype(str), format='%Y%m%d')"
        )
    parsed = pd.to_datetime(values, errors="coerce")
    bad = parsed.isna()
    if bad.any():
        examples = ", ".join(repr(v) for v in values[bad].unique()[:3])
        raise DataError(
            f"column {column!r} has {int(bad.sum())} values that are not dates "
            f"(e.g. {examples}; {describe_rows(data.index[bad])}): fix or drop them"
        )
    return parsed
