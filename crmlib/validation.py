"""The entry checks of every public crmlib function: tables, columns, numbers, dates.

Each check raises :class:`DataError` with a sentence a student can act on: it
names the column or argument, says what is wrong and, where it helps, which
rows. A public function validates every argument where it enters, with these
helpers and nothing else, so that bad input meets one wording everywhere:

=============================  =================================================
a table                        :func:`require_frame`, :func:`require_columns`,
                               :func:`require_unique_index`
a column of numbers / dates    :func:`require_numeric`, :func:`to_datetime_column`
a number, a count, a choice    :func:`require_number`, :func:`require_count`,
                               :func:`require_choice`, :func:`require_flag`,
                               :func:`require_text`
numbers given as a list        :func:`to_numbers`
one date                       :func:`to_date`
=============================  =================================================

**Dates** follow one rule: crmlib works with naive local dates and times (the
course's data have no time zone). A date or a column with a time zone, or one
that mixes time zones, is refused with the advice to drop the zone
(``.tz_localize(None)`` after converting to local time); a number such as
``20241231`` is refused as ambiguous.

**Sizes** (periods, horizons, customers to simulate) have documented caps, so
that a slip such as ``periods=10**9`` is refused instead of filling the memory.
"""

from __future__ import annotations

import datetime
import warnings
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
    "require_number",
    "require_count",
    "require_choice",
    "require_flag",
    "require_text",
    "require_unique_index",
    "require_unique_values",
    "to_numbers",
    "describe_rows",
]


class DataError(ValueError):
    """Input data that crmlib cannot use as given.

    A subclass of :class:`ValueError`, so ``except ValueError`` also catches
    it. The message always names the column and the problem.
    """


def describe_rows(index: Iterable, limit: int = 5) -> str:
    """Return ``"rows 3, 17, 254"`` (at most ``limit`` labels, then ``...``)."""
    limit = require_count(limit, "limit", low=1)
    labels = list(index)
    shown = ", ".join(str(label) for label in labels[:limit])
    more = ", ..." if len(labels) > limit else ""
    word = "row" if len(labels) == 1 else "rows"
    return f"{word} {shown}{more}"


#: The wording of each problem a column check finds, in one place, so that a problem reads the same
#: wherever it is found: by the checks below on a DataFrame, or by a check done in SQL on a table
#: too large for memory (``crmlib.transactions`` with ``engine="duckdb"``). ``{rows}`` is
#: :func:`describe_rows` of the rows' labels, ``{examples}`` the first few distinct bad values.
_COLUMN_PROBLEMS = {
    "empty": "{name} is empty: it has no rows to work with",
    "missing_dates": (
        "column {column!r} has {count} missing dates ({rows}): every row needs a date; drop or fill them first"
    ),
    "zoned_dates": (
        "column {column!r} holds times with a time zone ({zone}): drop it first, "
        "df[{column!r}].dt.tz_localize(None)"
    ),
    "numbers_as_dates": (
        "column {column!r} holds numbers, not dates: convert it first, e.g. "
        "pd.to_datetime(df[{column!r}].astype(str), format='%Y%m%d')"
    ),
    "mixed_zones": (
        "column {column!r} holds times with time zones (or mixes them): convert them to local "
        "time and drop the zone first, e.g. pd.to_datetime(df[col], utc=True).dt.tz_convert("
        "'Asia/Shanghai').dt.tz_localize(None)"
    ),
    "not_dates": "column {column!r} has {count} values that are not dates (e.g. {examples}; {rows}): fix or drop them",
    "true_false": "column {column!r} holds True/False values, expected numbers",
    "not_numbers": (
        "column {column!r} has {count} values that are not numbers (e.g. {examples}; {rows}): "
        "clean them (currency symbols, commas) before summarising"
    ),
    "missing_values": "column {column!r} has {count} missing values ({rows}): drop or fill them first",
    "infinite_values": "column {column!r} has {count} infinite values ({rows})",
    "negative_values": "column {column!r} has {count} negative values ({rows})",
}


def _column_problem(
    problem: str,
    column: object = None,
    count: int = 0,
    rows: Iterable = (),
    examples: Iterable = (),
    advice: str = "",
    **detail: object,
) -> str:
    """The sentence for ``problem`` (a key of ``_COLUMN_PROBLEMS``) in ``column``: ``count`` rows,
    the first of them labelled ``rows``, ``examples`` of the values, and ``advice`` after a colon."""
    text = _COLUMN_PROBLEMS[problem].format(
        column=column,
        count=count,
        rows=describe_rows(rows),
        examples=", ".join(repr(v) for v in examples),
        **detail,
    )
    return text + (f": {advice}" if advice else "")


def require_frame(data: object, name: str = "data") -> pd.DataFrame:
    """Raise unless ``data`` is a non-empty DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{name} must be a pandas DataFrame, got {type(data).__name__}")
    if len(data) == 0:
        raise DataError(_column_problem("empty", name=name))
    return data


def _require_table(data: object, name: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{name} must be a pandas DataFrame, got {type(data).__name__}")


def require_columns(data: pd.DataFrame, columns: Iterable[str], name: str = "data") -> None:
    """Raise when ``data`` is not a table or any of ``columns`` is missing, listing what is there."""
    _require_table(data, name)
    if isinstance(columns, str):
        columns = [columns]
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
    require_columns(data, [column])
    missing = data[column].isna()
    if missing.any():
        raise DataError(
            f"column {column!r} has {int(missing.sum())} missing {what}s "
            f"({describe_rows(data.index[missing])}): drop or fill them first"
        )


def require_numeric(data: pd.DataFrame, column: str) -> pd.Series:
    """Return ``column`` as floats, or raise naming the values that are not numbers."""
    require_columns(data, [column])
    values = data[column]
    if pd.api.types.is_bool_dtype(values):
        raise DataError(_column_problem("true_false", column))
    if pd.api.types.is_numeric_dtype(values):
        converted = values.astype(float)
    else:
        converted = pd.to_numeric(values, errors="coerce")
        bad = converted.isna() & values.notna()
        if bad.any():
            raise DataError(
                _column_problem(
                    "not_numbers", column, int(bad.sum()), data.index[bad], values[bad].unique()[:3]
                )
            )
    missing = converted.isna()
    if missing.any():
        raise DataError(_column_problem("missing_values", column, int(missing.sum()), data.index[missing]))
    if not np.isfinite(converted.to_numpy()).all():
        bad = ~np.isfinite(converted.to_numpy())
        raise DataError(_column_problem("infinite_values", column, int(bad.sum()), data.index[bad]))
    return converted


def require_non_negative(values: pd.Series, column: str, advice: str = "") -> None:
    """Raise when ``values`` (a numeric Series) has negative entries."""
    if not isinstance(values, pd.Series):
        raise DataError(
            f"the values of column {column!r} must be a pandas Series, got {type(values).__name__}"
        )
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise DataError(f"column {column!r} must hold numbers to be checked for negative values")
    negative = values < 0
    if negative.any():
        raise DataError(
            _column_problem(
                "negative_values", column, int(negative.sum()), values.index[negative], advice=advice
            )
        )


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
    require_columns(data, [column])
    values = data[column]
    missing = values.isna()
    if missing.any():
        raise DataError(_column_problem("missing_dates", column, int(missing.sum()), data.index[missing]))
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        raise DataError(_column_problem("zoned_dates", column, zone=values.dt.tz))
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_numeric_dtype(values):
        raise DataError(_column_problem("numbers_as_dates", column))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pandas' note on mixed time zones
            parsed = pd.to_datetime(values, errors="coerce")
    except (ValueError, TypeError):  # newer pandas refuses a column that mixes time zones
        parsed = None
    mixed = parsed is None or not pd.api.types.is_datetime64_any_dtype(parsed)
    if mixed or isinstance(parsed.dtype, pd.DatetimeTZDtype):
        raise DataError(_column_problem("mixed_zones", column))
    bad = parsed.isna()
    if bad.any():
        raise DataError(
            _column_problem("not_dates", column, int(bad.sum()), data.index[bad], values[bad].unique()[:3])
        )
    return parsed


def _shown(value: object) -> str:
    if isinstance(value, np.generic):  # numpy 2 would show np.float64(1.5)
        value = value.item()
    try:
        text = repr(value)
    except Exception:  # a value that cannot show itself
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _bounds(*bounds: object) -> None:
    """The bounds a caller gives a check must be numbers (a slip in crmlib, not in the data)."""
    for bound in bounds:
        if bound is not None and not _is_number(bound):
            raise DataError(f"a bound of this check must be a number, got {_shown(bound)}")


def require_number(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    rate: bool = False,
) -> float:
    """One number given as an argument, finite and in range, as a float; or DataError.

    ``low``/``high`` bound it (inclusive unless ``low_open``/``high_open``); ``rate``
    adds the advice that rates are fractions (10 % is 0.10) when a rate is above 1.

    Examples
    --------
    >>> require_number(0.1, "discount_rate", low=0, high=1)
    0.1
    >>> require_number(10, "discount_rate", low=0, high=1, rate=True)
    Traceback (most recent call last):
    ...
    crmlib.validation.DataError: discount_rate must be at most 1, got 10 (give rates as fractions: 10% is 0.10)
    """
    _bounds(low, high)
    if not _is_number(value):
        kind = "a text" if isinstance(value, str) else f"a {type(value).__name__}"
        raise DataError(f"{name} must be a number, got {kind} {_shown(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise DataError(f"{name} must be a finite number, got {_shown(value)}")
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if too_low or too_high:
        bound = low if too_low else high
        word = ("above" if low_open else "at least") if too_low else ("below" if high_open else "at most")
        advice = " (give rates as fractions: 10% is 0.10)" if rate and number > 1 else ""
        raise DataError(f"{name} must be {word} {bound:g}, got {_shown(value)}{advice}")
    return number


def require_count(
    value: object, name: str, *, low: int = 0, high: int | None = None, reason: str | None = None
) -> int:
    """A whole number given as an argument (a count, a number of periods), in range; or DataError.

    ``high`` is the documented cap of a size parameter; the message gives ``reason`` for it
    (default: a larger value would take memory and time in proportion).

    Examples
    --------
    >>> require_count(12, "periods", low=1, high=1000)
    12
    >>> require_count(2.5, "periods")
    Traceback (most recent call last):
    ...
    crmlib.validation.DataError: periods must be a whole number, got 2.5
    """
    _bounds(low, high)
    low = 0 if low is None else low
    if not _is_number(value):
        kind = "a text" if isinstance(value, str) else f"a {type(value).__name__}"
        raise DataError(f"{name} must be a whole number, got {kind} {_shown(value)}")
    number = float(value)
    if not np.isfinite(number) or number != int(number):
        raise DataError(f"{name} must be a whole number, got {_shown(value)}")
    count = int(number)
    if count < low:
        raise DataError(f"{name} must be at least {low}, got {count}")
    if high is not None and count > high:
        why = (
            reason
            or "a larger value would take memory and time in proportion; split the work or ask for fewer"
        )
        raise DataError(f"{name} must be at most {high:,}, got {count:,}: {why}")
    return count


def require_choice(value: object, name: str, options: Iterable[object]) -> object:
    """One of a fixed set of values (a time unit, a kind of curve); or DataError listing them.

    Examples
    --------
    >>> require_choice("W", "time_unit", ["D", "W", "M"])
    'W'
    """
    allowed = list(options)
    try:
        known = value in allowed
    except TypeError:  # an unhashable or incomparable value
        known = False
    if not known:
        listed = ", ".join(repr(o) for o in allowed)
        raise DataError(f"{name} must be one of {listed}; got {_shown(value)}")
    return value


def require_flag(value: object, name: str) -> bool:
    """True or False given as an argument; or DataError (a text such as "yes" is not a flag)."""
    if not isinstance(value, (bool, np.bool_)):
        raise DataError(f"{name} must be True or False, got {_shown(value)}")
    return bool(value)


def require_text(value: object, name: str) -> str:
    """A text given as an argument (a key, a label, a name); or DataError saying what came instead."""
    if not isinstance(value, str):
        raise DataError(f"{name} must be a text, got {type(value).__name__} {_shown(value)}")
    return value


def require_unique_index(
    data: pd.DataFrame | pd.Series, name: str = "data", advice: str | None = None
) -> None:
    """Raise when the row labels repeat: rows matched by label would be confused.

    ``advice`` replaces the default one (a new label per row) where the labels are ids.
    """
    if not isinstance(data, (pd.DataFrame, pd.Series)):
        raise DataError(f"{name} must be a pandas DataFrame or Series, got {type(data).__name__}")
    repeated = data.index.duplicated()
    if repeated.any():
        advice = advice or "give every row its own label, e.g. with .reset_index(drop=True)"
        raise DataError(
            f"{name} has {int(repeated.sum())} repeated row labels ({describe_rows(data.index[repeated])}): {advice}"
        )


def require_unique_values(values: pd.Series, column: str, per: str) -> None:
    """Raise when a column that identifies rows repeats a value ("one row per customer").

    Examples
    --------
    >>> require_unique_values(pd.Series([0, 1, 1]), "period", "period")
    Traceback (most recent call last):
    ...
    crmlib.validation.DataError: column 'period' repeats 1 values (1; row 2): one row per period
    """
    if not isinstance(values, pd.Series):
        raise DataError(
            f"the values of column {column!r} must be a pandas Series, got {type(values).__name__}"
        )
    repeated = values.duplicated()
    if repeated.any():
        shown = ", ".join(
            f"{v:g}" if isinstance(v, (float, np.floating)) else _shown(v)
            for v in pd.unique(values[repeated])[:5]
        )
        raise DataError(
            f"column {column!r} repeats {int(repeated.sum())} values ({shown}; "
            f"{describe_rows(values.index[repeated.to_numpy()])}): one row per {per}"
        )


def to_numbers(
    values: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
    allow_empty: bool = False,
    max_size: int | None = None,
) -> np.ndarray:
    """Numbers given as a list, array or Series: a 1-d float array, finite and in range; or DataError.

    Examples
    --------
    >>> to_numbers([1, 2.5], "values").tolist()
    [1.0, 2.5]
    >>> to_numbers(["a", 1], "values")
    Traceback (most recent call last):
    ...
    crmlib.validation.DataError: values must be numbers, got a value that is not ('a')
    """
    _bounds(low, high, max_size)
    if values is None or isinstance(values, (str, bytes, dict, pd.DataFrame)):
        raise DataError(f"{name} must be numbers (a list, an array or a Series), got {_shown(values)}")
    if max_size is not None and hasattr(values, "__len__") and len(values) > max_size:  # before building it
        raise DataError(f"{name} has {len(values):,} values; at most {max_size:,} are allowed")
    raw = np.asarray(values.to_numpy() if isinstance(values, pd.Series) else values, dtype=object)
    if raw.ndim == 0:
        raw = raw.reshape(1)
    if raw.ndim != 1:
        raise DataError(f"{name} must be one list of numbers, got an array of shape {raw.shape}")
    if raw.size == 0 and not allow_empty:
        raise DataError(f"{name} is empty: give at least one number")
    if max_size is not None and raw.size > max_size:
        raise DataError(f"{name} has {raw.size:,} values; at most {max_size:,} are allowed")
    bad = [v for v in raw if not _is_number(v)]
    if bad:
        raise DataError(f"{name} must be numbers, got a value that is not ({_shown(bad[0])})")
    array = raw.astype(float)
    if not np.isfinite(array).all():
        raise DataError(f"{name} holds {int((~np.isfinite(array)).sum())} missing or infinite values")
    if integer and (array != np.round(array)).any():
        raise DataError(f"{name} must be whole numbers, got {float(array[array != np.round(array)][0]):g}")
    if low is not None and (array < low).any():
        raise DataError(f"{name} must be at least {low:g}, got {float(array[array < low][0]):g}")
    if high is not None and (array > high).any():
        raise DataError(f"{name} must be at most {high:g}, got {float(array[array > high][0]):g}")
    return array
