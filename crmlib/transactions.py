"""Transaction tables: validation and the RFM summary of Fader and Hardie.

A transaction table has one row per purchase (or order line) with at least a
customer id and a date, and usually an amount. The probabilistic models of
chapter 04 do not look at individual purchases but at three numbers per
customer, computed here with the conventions of Fader, Hardie & Lee (2005):

* purchases by one customer on the same day are one *transaction*;
* ``frequency`` x = number of repeat transactions (all but the first);
* ``recency`` t_x = time from the first to the last transaction;
* ``T`` = time from the first transaction to the end of observation;
* ``monetary`` = mean value of the repeat transactions (0 without repeats).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from .validation import (
    DataError,
    _column_problem,
    describe_rows,
    require_choice,
    require_columns,
    require_count,
    require_flag,
    require_frame,
    require_non_negative,
    require_numeric,
    to_date,
    to_datetime_column,
    to_numbers,
)

if TYPE_CHECKING:
    from duckdb import DuckDBPyRelation, Expression
    from matplotlib.axes import Axes

    from .validation import DateLike

__all__ = [
    "TIME_UNITS",
    "ENGINES",
    "DUCKDB_MEMORY_LIMIT",
    "RFM_SUMMARY_SQL",
    "CALIBRATION_HOLDOUT_SQL",
    "validate_transactions",
    "daily_transactions",
    "weekly_transactions",
    "weekly_first_and_repeat",
    "rfm_summary",
    "calibration_holdout_split",
    "describe_rfm",
    "plot_transactions_per_week",
]

#: Length of each supported time unit in days ("M" is an average month).
TIME_UNITS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}

_RETURNS_ADVICE = (
    "returns should be removed or netted against their purchase before "
    "summarising (a refund is not a negative purchase)"
)


def _unit_days(time_unit: str) -> float:
    return TIME_UNITS[require_choice(time_unit, "time_unit", TIME_UNITS)]


class _Checked(NamedTuple):
    """The columns of a transaction table that passed the entry checks."""

    ids: pd.Series
    dates: pd.Series  # datetime64
    amounts: pd.Series | None  # floats


def _missing_ids_message(customer_col: str, count: int, rows: Iterable) -> str:
    return (
        f"column {customer_col!r} has {count} missing customer ids ({describe_rows(rows)}): a purchase "
        "without a customer cannot be summarised per customer; drop those rows or fill the ids"
    )


def _duplicates_message(count: int, rows: Iterable, columns: list) -> str:
    return (
        f"transactions has {count} rows that exactly repeat an earlier row "
        f"({describe_rows(rows)}; columns {columns}): "
        "if they are double-counted, drop them with drop_duplicates(); if they are "
        "genuine separate purchases, pass duplicates='keep'"
    )


def _report_duplicates(
    count: int, rows: Iterable, columns: list, duplicates: str, stacklevel: int = 4
) -> None:
    """Warn of (or, for duplicates="raise", refuse) rows that exactly repeat an earlier row."""
    if count and duplicates != "keep":
        message = _duplicates_message(count, rows, columns)
        if duplicates == "raise":
            raise DataError(message)
        warnings.warn(message, UserWarning, stacklevel=stacklevel)


def _checked_columns(
    transactions: pd.DataFrame, customer_col: str, date_col: str, amount_col: str | None
) -> _Checked:
    """The entry checks of every function here, in order; the table itself is not copied."""
    require_frame(transactions, "transactions")
    columns = [customer_col, date_col] + ([amount_col] if amount_col is not None else [])
    require_columns(transactions, columns, "transactions")
    ids = transactions[customer_col]
    missing_id = ids.isna()
    if missing_id.any():
        raise DataError(
            _missing_ids_message(customer_col, int(missing_id.sum()), transactions.index[missing_id])
        )
    dates = to_datetime_column(transactions, date_col)
    amounts = None
    if amount_col is not None:
        amounts = require_numeric(transactions, amount_col)
        require_non_negative(amounts, amount_col, _RETURNS_ADVICE)
    return _Checked(ids, dates, amounts)


class _CustomerDays(NamedTuple):
    """A checked table grouped into customer-days (the same-day rule), sorted by customer and day.

    ``order`` lists the table's row positions sorted by customer, day and position. Customer-day
    j holds the rows ``order[start[j]:start[j] + size[j]]`` and falls on ``day[j]`` (days since
    1970-01-01). Customer i, ``customers[i]``, has the ``count[i]`` customer-days from ``first[i]`` on.
    """

    customers: pd.Index
    order: np.ndarray
    start: np.ndarray
    size: np.ndarray
    day: np.ndarray
    first: np.ndarray
    count: np.ndarray


#: Keys above this do not fit in a 64-bit integer.
_LARGEST_KEY = 2**63 - 1


def _customer_codes(ids: pd.Series, room: int) -> tuple[np.ndarray, pd.Index | None]:
    """Whole numbers 0, 1, ... that sort as the ids do, below ``room`` when possible, and the sorted
    distinct ids (None: read them from the rows). Integer ids over a range narrower than ``room``
    are their own codes (minus the smallest id), which spares hashing them; other ids are
    numbered by ``pd.factorize(sort=True)``, in the order ``groupby(sort=True)`` gives."""
    if isinstance(ids.dtype, np.dtype) and ids.dtype.kind in "iu":
        low, high = int(ids.min()), int(ids.max())
        if high - low < room:
            return (ids.to_numpy() - ids.min()).astype(np.int64), None
    codes, uniques = pd.factorize(ids, sort=True)
    return codes.astype(np.int64), uniques


def _starts(key: np.ndarray) -> np.ndarray:
    """Positions where a sorted key changes (0 included)."""
    changed = np.empty(len(key), dtype=bool)
    changed[0] = True
    np.not_equal(key[1:], key[:-1], out=changed[1:])
    return np.flatnonzero(changed)


def _customer_days(checked: _Checked, customer_col: str) -> _CustomerDays:
    """Sort the rows by customer and day, and find where each customer-day and customer starts.

    ``groupby([customer, day])`` would hash both columns of every row. Here each row gets one
    whole number that sorts as (customer, day, row position) does,

        key = (customer code * days + day) * rows + position,

    so one ``np.sort`` of 64-bit integers puts the rows in order, and ``key % rows`` reads the
    positions back. (When the key would not fit in 64 bits, ``np.lexsort`` does the same, slower.)
    """
    rows = len(checked.ids)
    day = checked.dates.to_numpy().astype("datetime64[D]").view(np.int64)  # floors, as dt.normalize()
    first_day = int(day.min())
    day = day - first_day
    days = int(day.max()) + 1
    code, uniques = _customer_codes(checked.ids, room=_LARGEST_KEY // (days * rows))
    customer_day = code * days + day  # fits: code < room, or code < rows
    if (int(code.max()) + 1) * days * rows <= _LARGEST_KEY:
        key = customer_day * rows + np.arange(rows)
        key.sort()
        order = key % rows
        customer_day = key // rows
    else:
        order = np.lexsort((day, code))  # stable: equal keys keep their row order
        customer_day = customer_day[order]
    start = _starts(customer_day)
    customer_day = customer_day[start]
    first = _starts(customer_day // days)
    if uniques is None:
        uniques = checked.ids.to_numpy()[order[start[first]]]
    customers = pd.Index(uniques, name=customer_col)
    if customers.dtype == object:  # ids kept as objects: the type groupby infers (1, 2 -> int64)
        customers = customers.infer_objects()
    return _CustomerDays(
        customers=customers,
        order=order,
        start=start,
        size=np.diff(start, append=rows),
        day=customer_day % days + first_day,
        first=first,
        count=np.diff(first, append=len(start)),
    )


def _repeated_rows(
    transactions: pd.DataFrame, checked: _Checked, days: _CustomerDays, date_col: str, amount_col: str | None
) -> np.ndarray:
    """Positions of the rows that exactly repeat an earlier row: ``clean.duplicated(keep="first")``
    of the checked table ``clean``, without hashing every row of it.

    A repeated row shares its customer-day and amount with an earlier row, so only the rows of
    customer-days with two or more rows can be repeats. In a customer-day of two rows (most of
    them), the two rows' amounts and times are compared; in a larger one, the rows whose amount
    comes up twice are kept. Those few rows go to pandas' ``duplicated``, which compares every
    column.
    """
    stamps = checked.dates.to_numpy().view(np.int64)
    amounts = checked.amounts.to_numpy() if amount_col is not None else np.zeros(len(stamps))
    shared = np.flatnonzero(days.size > 1)  # the customer-days of two rows or more
    size = days.size[shared]
    pairs = days.start[shared[size == 2]]
    one, two = days.order[pairs], days.order[pairs + 1]
    alike = amounts[one] == amounts[two]
    one, two = one[alike], two[alike]
    alike = stamps[one] == stamps[two]
    larger, sizes = shared[size > 2], size[size > 2]
    rows = days.order[np.repeat(days.start[larger], sizes) + _counting(sizes)]
    same_amount = pd.DataFrame({"day": np.repeat(larger, sizes), "amount": amounts[rows]}).duplicated(
        keep=False
    )
    candidates = np.unique(np.concatenate([one[alike], two[alike], rows[same_amount.to_numpy()]]))
    subset = transactions.iloc[candidates].copy()
    subset[date_col] = checked.dates.iloc[candidates]
    if amount_col is not None:
        subset[amount_col] = checked.amounts.iloc[candidates]
    return candidates[subset.duplicated(keep="first").to_numpy()]


def _counting(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ..., size - 1 for each size in turn: [2, 3] -> [0, 1, 0, 1, 2]."""
    return np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _kahan_sums(values: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The sum of each run ``values[start[i]:start[i] + length[i]]`` (0.0 when empty), added in
    order with Kahan's compensation, as pandas' groupby ``sum`` and ``mean`` add: the totals are
    those of ``groupby(...).sum()``, to the last bit, without hashing a group key.

    Step 0 takes the first value of every run. The loop then runs over the positions within a run,
    not over the runs: step k adds the k-th value of every run longer than k (few runs are long).
    """
    total = np.zeros(len(start))
    filled = length > 0
    total[filled] = 0.0 + values[start[filled]]  # from 0.0, with no compensation yet
    longer = np.flatnonzero(length > 1)
    longer = longer[np.argsort(-length[longer], kind="stable")]  # longest first
    begin, size = start[longer], length[longer]
    running, compensation = total[longer], np.zeros(len(longer))
    for k in range(1, int(size.max(initial=0))):
        m = int(np.searchsorted(-size, -k, side="left"))  # the first m runs are longer than k
        y = values[begin[:m] + k] - compensation[:m]
        t = running[:m] + y
        c = (t - running[:m]) - y
        c[np.isnan(c)] = 0.0  # pandas' rule: an infinite total leaves no compensation
        compensation[:m] = c
        running[:m] = t
    total[longer] = running
    return total


def _summary_frame(
    customers: pd.Index,
    first_day: np.ndarray,
    last_day: np.ndarray,
    count: np.ndarray,
    repeat_total: np.ndarray | None,
    end_day: int,
    unit: float,
) -> pd.DataFrame:
    """The RFM summary from each customer's first and last day, customer-days and repeat total."""
    frequency = (count - 1).astype(int)
    summary = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last_day - first_day) / unit,
            "T": (end_day - first_day) / unit,
        },
        index=customers,
    )
    if repeat_total is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            summary["monetary"] = np.where(
                frequency > 0, repeat_total / np.where(frequency > 0, frequency, 1), 0.0
            )
    return summary


def validate_transactions(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = "amount",
    duplicates: str = "warn",
) -> pd.DataFrame:
    """Check a transaction table and return a clean copy.

    The copy has ``date_col`` as ``datetime64`` and ``amount_col`` as float.
    Nothing is dropped silently.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    customer_col, date_col : str
        Names of the customer id and date columns.
    amount_col : str or None
        Name of the purchase value column; ``None`` when there is none.
    duplicates : {"warn", "keep", "raise"}
        What to do with rows that repeat another row exactly (same customer,
        date, amount and every other column). Such rows are usually a
        double-counted export, but some data sets (CDNOW) hold genuine
        same-day purchases of equal value: inspect them, then pass ``"keep"``
        to keep them or drop them yourself with ``drop_duplicates()``.

    Returns
    -------
    DataFrame
        A validated copy of ``transactions``.

    Raises
    ------
    DataError
        Not a DataFrame or empty; missing column; missing customer id;
        missing or unparseable date, a number such as 20240131 as a date, a
        date with a time zone; non-numeric, missing, infinite or negative
        amount; ``duplicates`` not one of the three; exact duplicates when
        ``duplicates="raise"``.
    """
    require_choice(duplicates, "duplicates", ["warn", "keep", "raise"])
    checked = _checked_columns(transactions, customer_col, date_col, amount_col)
    clean = transactions.copy()
    clean[date_col] = checked.dates
    if amount_col is not None:
        clean[amount_col] = checked.amounts
    if duplicates != "keep":
        days = _customer_days(checked, customer_col)
        repeated = _repeated_rows(transactions, checked, days, date_col, amount_col)
        _report_duplicates(len(repeated), transactions.index[repeated], list(clean.columns), duplicates)
    return clean


def daily_transactions(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = "amount",
    duplicates: str = "warn",
) -> pd.DataFrame:
    """Merge each customer's same-day purchases into one transaction.

    Returns a table with one row per (customer, day): ``customer_col``,
    ``date_col`` (midnight of that day) and, when ``amount_col`` is given, the
    summed amount. Sorted by customer and date.

    Raises
    ------
    DataError
        Bad input, see :func:`validate_transactions`.
    """
    clean = validate_transactions(transactions, customer_col, date_col, amount_col, duplicates)
    day = clean[date_col].dt.normalize()
    keys = [clean[customer_col].rename(customer_col), day.rename(date_col)]
    if amount_col is None:
        daily = clean.groupby(keys, sort=True).size().rename("purchases").reset_index()
    else:
        daily = clean.groupby(keys, sort=True)[amount_col].sum().reset_index()
    return daily


def weekly_transactions(
    transactions: pd.DataFrame, customer_col: str = "customer_id", date_col: str = "date"
) -> pd.Series:
    """Number of transactions (customer-days) in each week of the data.

    Weeks are counted from the first date in the table, as in Fader, Hardie
    & Lee (2005): week 1 is its first seven days. A last week that the data
    does not cover in full is left out, so the series does not end in a
    false drop. Weeks without a transaction count 0.

    Returns
    -------
    Series
        Indexed by the first day of each week, named ``transactions``.

    Raises
    ------
    DataError
        Bad input, see :func:`validate_transactions`.
    """
    daily = daily_transactions(transactions, customer_col, date_col, amount_col=None, duplicates="keep")
    return _weekly_counts(daily[date_col]).rename("transactions")


def _weekly_counts(days: pd.Series, span: pd.Series | None = None) -> pd.Series:
    """Transactions per full week of ``span`` (default: ``days``), weeks counted from its first day."""
    span = days if span is None else span
    start, end = span.min(), span.max()
    week = (days - start).dt.days // 7
    full_weeks = ((end - start).days + 1) // 7
    counts = week.value_counts().reindex(range(max(full_weeks, 1)), fill_value=0).sort_index()
    counts.index = start + pd.to_timedelta(counts.index * 7, unit="D")
    counts.index.name = "week_start"
    return counts


def weekly_first_and_repeat(
    transactions: pd.DataFrame, customer_col: str = "customer_id", date_col: str = "date"
) -> pd.DataFrame:
    """Transactions per week, split into first transactions and repeat transactions.

    A customer's first transaction is the day of their first purchase; every later
    transaction (a later day with a purchase) is a repeat transaction, as in
    :func:`rfm_summary`. Weeks are those of :func:`weekly_transactions`, so
    ``first + repeat`` is its series::

        first_t = number of customers whose first transaction falls in week t
        repeat_t = transactions in week t - first_t

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    customer_col, date_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by the first day of each full week (``week_start``), with columns
        ``first`` and ``repeat`` (whole numbers).

    Raises
    ------
    DataError
        Bad input, see :func:`validate_transactions`.

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers"
    the easy way. Marketing Science 24(2), 275-284 (the weekly counts of their figure 2).

    Example
    -------
    >>> purchases = pd.DataFrame({"customer_id": [1, 1, 2], "date": ["2024-01-01", "2024-01-09", "2024-01-14"]})
    >>> weekly_first_and_repeat(purchases).to_numpy().tolist()
    [[1, 0], [1, 1]]
    """
    daily = daily_transactions(transactions, customer_col, date_col, amount_col=None, duplicates="keep")
    days = daily[date_col]
    first = days == daily.groupby(customer_col, sort=False)[date_col].transform("min")
    return pd.DataFrame(
        {"first": _weekly_counts(days[first], days), "repeat": _weekly_counts(days[~first], days)}
    )


def rfm_summary(
    transactions: pd.DataFrame | DuckDBPyRelation | str | os.PathLike,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = "amount",
    observation_end: DateLike | None = None,
    time_unit: str = "W",
    duplicates: str = "warn",
    engine: str = "pandas",
) -> pd.DataFrame:
    """Frequency, recency, age and monetary value of each customer.

    With the conventions of Fader, Hardie & Lee (2005): same-day purchases by
    one customer are one transaction, and for a customer with transactions at
    times t_0 < t_1 < ... < t_x (t_0 the first purchase)

        frequency = x,   recency = t_x - t_0,   T = observation_end - t_0,
        monetary  = (v_1 + ... + v_x) / x   (0 when x = 0),

    where v_j is the value of repeat transaction j. Times are in ``time_unit``
    (days divided by 7 for weeks).

    Parameters
    ----------
    transactions : DataFrame, DuckDB relation or path
        One row per purchase. A relation or the path of a Parquet or CSV
        file only with ``engine="duckdb"``.
    customer_col, date_col, amount_col : str
        Column names; ``amount_col=None`` skips ``monetary``.
    observation_end : date-like, optional
        End of the observation period (inclusive). Default: the last date in
        the table. A transaction after it is an error: use
        :func:`calibration_holdout_split` to cut a longer table.
    time_unit : {"W", "D", "M"}
        Unit of ``recency`` and ``T``: weeks (default), days, average months.
    duplicates : {"warn", "keep", "raise"}
        Handling of exactly repeated rows, see :func:`validate_transactions`.
    engine : {"pandas", "duckdb"}
        ``"pandas"`` (default) works on a DataFrame in memory. ``"duckdb"``
        runs the summary as one SQL query in DuckDB, for tables larger than
        memory: ``transactions`` may then also be a DuckDB relation or the
        path of a Parquet or CSV file. Same summary (to rounding in the last
        digit of ``monetary``), same warnings and errors.

    Returns
    -------
    DataFrame
        Indexed by customer, with columns ``frequency`` (int), ``recency``,
        ``T`` and ``monetary`` (floats).

    Raises
    ------
    DataError
        Bad input (see :func:`validate_transactions`); an ``observation_end``
        that is not a date, or transactions after it; ``time_unit`` not one of
        "D", "W", "M"; ``engine`` not one of "pandas", "duckdb"; with
        ``engine="duckdb"``, ``transactions`` not a DataFrame, relation or
        Parquet/CSV file path, or a file DuckDB cannot read.

    Notes
    -----
    *The formula in SQL.* With ``engine="duckdb"`` the summary is the query
    ``RFM_SUMMARY_SQL`` of this module, a fixed text over a table with fixed
    column names, ``transactions(customer_id, purchase_date, amount)``:

    .. code-block:: sql

        WITH daily AS (              -- the same-day rule
            SELECT customer_id, purchase_date AS day, SUM(amount) AS amount
            FROM transactions
            GROUP BY customer_id, purchase_date
        )
        SELECT customer_id,
               MIN(day)                          AS first_day,
               MAX(day)                          AS last_day,
               COUNT(*)                          AS days,
               SUM(amount) - MIN_BY(amount, day) AS repeat_total
        FROM daily
        GROUP BY customer_id
        ORDER BY customer_id

    crmlib fetches these four numbers per customer and computes, as the
    pandas path does, frequency = days - 1, recency = (last_day -
    first_day) / unit, T = (end - first_day) / unit and monetary =
    repeat_total / frequency (0 without repeats), ``unit`` being 7 for weeks
    and ``end`` the observation end. The names chosen by the caller never
    enter the SQL text: DuckDB's relational API renames the caller's columns
    to ``customer_id``, ``purchase_date`` (a DATE) and ``amount`` (a DOUBLE),
    and a date such as the end of observation travels as a constant
    expression, not as text. :func:`calibration_holdout_split` runs
    ``CALIBRATION_HOLDOUT_SQL`` the same way. The query is standard SQL but
    for two functions that other dialects name differently: the days between
    two dates are ``DATE_DIFF('day', a, b)`` in DuckDB, ``DATEDIFF(b, a)`` in
    Spark SQL and ``b - a`` in PostgreSQL (crmlib leaves this difference to
    pandas); ``MIN_BY(amount, day)`` (the amount on the first day) exists in
    DuckDB, Spark SQL, Snowflake and BigQuery, while PostgreSQL needs a join
    on each customer's first day instead. The entry checks and the duplicate
    check run in DuckDB too.

    *Memory.* For a DataFrame or a file, crmlib opens its own DuckDB
    connection with a working memory of ``DUCKDB_MEMORY_LIMIT`` (3 GB) and a
    temporary folder, removed afterwards: beyond the limit DuckDB spills to
    disk, so a file larger than memory is summarised. A relation runs on its
    own connection, with that connection's settings. The result (one row
    per customer) is a DataFrame in memory.

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your
    customers" the easy way: An alternative to the Pareto/NBD model.
    Marketing Science, 24(2), 275-284.

    Examples
    --------
    >>> import pandas as pd
    >>> purchases = pd.DataFrame({"customer_id": [1, 1, 1, 2],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"]),
    ...     "amount": [10.0, 5.0, 20.0, 7.0]})
    >>> rfm_summary(purchases, observation_end="2024-01-29")
                 frequency  recency    T  monetary
    customer_id
    1                    1      2.0  4.0      20.0
    2                    0      0.0  3.0       0.0

    The same with DuckDB, from a Parquet file (or a CSV file, or a relation):

    >>> import duckdb, tempfile, pathlib
    >>> folder = tempfile.mkdtemp()
    >>> path = str(pathlib.Path(folder) / "purchases.parquet")
    >>> duckdb.from_df(purchases).write_parquet(path)
    >>> rfm_summary(path, observation_end="2024-01-29", engine="duckdb")
                 frequency  recency    T  monetary
    customer_id
    1                    1      2.0  4.0      20.0
    2                    0      0.0  3.0       0.0
    """
    unit = _unit_days(time_unit)
    given_end = None if observation_end is None else _as_timestamp(observation_end, "observation_end")
    require_choice(duplicates, "duplicates", ["warn", "keep", "raise"])
    if require_choice(engine, "engine", ENGINES) == "duckdb":
        return _duckdb_rfm_summary(
            transactions, customer_col, date_col, amount_col, given_end, unit, duplicates
        )
    days, day_amount = _summarised_days(transactions, customer_col, date_col, amount_col, duplicates)
    last_day = int(days.day.max())
    end_day = last_day if given_end is None else _day_number(given_end)
    _refuse_late(int((days.day > end_day).sum()), date_col, end_day, last_day, "the observation end")
    last = days.day[days.first + days.count - 1]
    repeat_total = None
    if day_amount is not None:
        repeat_total = _kahan_sums(day_amount, days.first + 1, days.count - 1)  # all but the first
    return _summary_frame(days.customers, days.day[days.first], last, days.count, repeat_total, end_day, unit)


def _summarised_days(
    transactions: pd.DataFrame, customer_col: str, date_col: str, amount_col: str | None, duplicates: str
) -> tuple[_CustomerDays, np.ndarray | None]:
    """Check a table, report its repeated rows and group it into customer-days with their amounts."""
    checked = _checked_columns(transactions, customer_col, date_col, amount_col)
    days = _customer_days(checked, customer_col)
    if duplicates != "keep":
        repeated = _repeated_rows(transactions, checked, days, date_col, amount_col)
        columns = list(transactions.columns)
        _report_duplicates(len(repeated), transactions.index[repeated], columns, duplicates, stacklevel=5)
    day_amount = None
    if amount_col is not None:
        day_amount = _kahan_sums(checked.amounts.to_numpy()[days.order], days.start, days.size)
    return days, day_amount


def _day_number(stamp: pd.Timestamp) -> int:
    """Days since 1970-01-01 of a (normalized) timestamp."""
    return int(np.datetime64(stamp.normalize(), "D").astype(np.int64))


def _day_text(day: int) -> str:
    return str(np.datetime64(day, "D"))


def _refuse_late(late: int, date_col: str, end_day: int, last_day: int, end_name: str) -> None:
    """Refuse transactions after the end of observation (``end_name`` says which end)."""
    if late:
        if end_name == "the observation end":
            advice = (
                "use calibration_holdout_split() to summarise a calibration period and keep the rest "
                "as hold-out, or filter the table first"
            )
            where = f"the observation end {_day_text(end_day)}"
        else:
            advice = "filter the table first"
            where = f"holdout_end {_day_text(end_day)}"
        raise DataError(
            f"column {date_col!r} has {late} transactions after {where} "
            f"(the last is on {_day_text(last_day)}): {advice}"
        )


def _as_timestamp(value, name: str) -> pd.Timestamp:
    return to_date(value, name).normalize()


def calibration_holdout_split(
    transactions: pd.DataFrame | DuckDBPyRelation | str | os.PathLike,
    calibration_end: DateLike,
    holdout_end: DateLike | None = None,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = "amount",
    time_unit: str = "W",
    duplicates: str = "warn",
    engine: str = "pandas",
) -> pd.DataFrame:
    """RFM summary of a calibration period and what happened in the hold-out.

    The customers are those whose first transaction falls on or before
    ``calibration_end``. Their calibration summary is :func:`rfm_summary`
    with ``observation_end=calibration_end``; the hold-out period runs from
    the day after ``calibration_end`` to ``holdout_end`` (inclusive).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, possibly running past ``calibration_end``.
    calibration_end : date-like
        Last day of the calibration period.
    holdout_end : date-like, optional
        Last day of the hold-out period (default: the last date in the table).
        Transactions after it are an error.
    customer_col, date_col, amount_col, time_unit, duplicates, engine
        As in :func:`rfm_summary`; with ``engine="duckdb"``, ``transactions``
        may also be a DuckDB relation or the path of a Parquet or CSV file.

    Returns
    -------
    DataFrame
        Indexed by customer: ``frequency``, ``recency``, ``T``, ``monetary``
        of the calibration period, then ``frequency_holdout`` (transactions in
        the hold-out period), ``monetary_holdout`` (their mean value, 0 if
        none) and ``duration_holdout`` (the hold-out length in ``time_unit``).

    Raises
    ------
    DataError
        Bad input (see :func:`validate_transactions`); a date argument that is
        not a date; ``holdout_end`` not after ``calibration_end``; transactions
        after ``holdout_end``; no customer before ``calibration_end``;
        ``time_unit`` not one of "D", "W", "M"; ``engine`` not one of
        "pandas", "duckdb".
    """
    unit = _unit_days(time_unit)
    cal_end = _as_timestamp(calibration_end, "calibration_end")
    given_end = None if holdout_end is None else _as_timestamp(holdout_end, "holdout_end")
    require_choice(duplicates, "duplicates", ["warn", "keep", "raise"])
    if require_choice(engine, "engine", ENGINES) == "duckdb":
        return _duckdb_calibration_holdout_split(
            transactions, customer_col, date_col, amount_col, cal_end, given_end, unit, duplicates
        )
    days, day_amount = _summarised_days(transactions, customer_col, date_col, amount_col, duplicates)
    cal_day = _day_number(cal_end)
    last_day = int(days.day.max())
    end_day = last_day if given_end is None else _day_number(given_end)
    _refuse_order(end_day, cal_day)
    _refuse_late(int((days.day > end_day).sum()), date_col, end_day, last_day, "holdout_end")
    first_day = days.day[days.first]
    cohort = np.flatnonzero(first_day <= cal_day)
    _refuse_no_cohort(len(cohort), customer_col, cal_day)
    # a customer's days are sorted, so the calibration days are the first ones
    in_calibration = np.add.reduceat((days.day <= cal_day).astype(np.int64), days.first)[cohort]
    first, in_holdout = days.first[cohort], days.count[cohort] - in_calibration
    repeat_total = holdout_total = None
    if day_amount is not None:
        repeat_total = _kahan_sums(day_amount, first + 1, in_calibration - 1)
        holdout_total = _kahan_sums(day_amount, first + in_calibration, in_holdout)
    last = days.day[first + in_calibration - 1]
    summary = _summary_frame(
        days.customers[cohort], first_day[cohort], last, in_calibration, repeat_total, cal_day, unit
    )
    return _with_holdout(summary, in_holdout, holdout_total, end_day - cal_day, unit)


def _refuse_order(end_day: int, cal_day: int) -> None:
    if end_day <= cal_day:
        raise DataError(
            f"holdout_end ({_day_text(end_day)}) must come after calibration_end ({_day_text(cal_day)})"
        )


def _refuse_no_cohort(customers: int, customer_col: str, cal_day: int) -> None:
    if not customers:
        raise DataError(
            f"no customer in column {customer_col!r} made a first purchase on or before "
            f"calibration_end {_day_text(cal_day)}"
        )


def _with_holdout(
    summary: pd.DataFrame, in_holdout: np.ndarray, holdout_total: np.ndarray | None, days: int, unit: float
) -> pd.DataFrame:
    """Add the hold-out columns: transactions, their mean value and the period's length."""
    summary["frequency_holdout"] = in_holdout.astype(int)
    if holdout_total is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            summary["monetary_holdout"] = np.where(
                in_holdout > 0, holdout_total / np.where(in_holdout > 0, in_holdout, 1), 0.0
            )
    summary["duration_holdout"] = days / unit
    return summary


# --- the DuckDB engine: the same summaries in SQL, for tables larger than memory -------------

#: The engines of :func:`rfm_summary` and :func:`calibration_holdout_split`.
ENGINES = ("pandas", "duckdb")

#: Working memory DuckDB may use when crmlib opens the connection itself (for a DataFrame or a
#: file); beyond it DuckDB spills to a temporary folder, so a table larger than memory is
#: summarised in bounded memory. A relation runs with the settings of its own connection.
DUCKDB_MEMORY_LIMIT = "3GB"

_PARQUET = (".parquet", ".pq")
_CSV = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz")
_DATE_TYPES = {"date", "timestamp", "timestamp_s", "timestamp_ms", "timestamp_ns"}
_EXACT_TYPES = {
    "tinyint",
    "smallint",
    "integer",
    "bigint",
    "hugeint",
    "utinyint",
    "usmallint",
    "uinteger",
    "ubigint",
    "uhugeint",
    "decimal",
}
#: A time followed by a zone (Z, UTC, +08, +08:00): a text date that pandas reads as zone-aware.
_ZONE_PATTERN = "[0-9]:[0-9][0-9](:[0-9][0-9]([.][0-9]*)?)?[ ]*([Zz]|UTC|[+-][0-9][0-9](:?[0-9][0-9])?)$"
#: Rows fetched to name the first problem rows (describe_rows shows five, then "...").
_SHOWN = 6


class _Table(NamedTuple):
    """A table read through DuckDB: the relation and, when the table is a DataFrame, the frame
    (its row labels name bad rows; the rows of a relation or a file are numbered from 0, as
    pandas labels the rows it reads from a file)."""

    relation: DuckDBPyRelation
    frame: pd.DataFrame | None


class _Check(NamedTuple):
    """One entry check: the problem's key, the column, the condition that marks a bad row and the
    value shown as an example (DuckDB expressions; ``bad`` is None when the column's type itself
    is the problem)."""

    problem: str
    column: str
    bad: Expression | None
    shown: Expression


class _Columns(NamedTuple):
    """How the caller's columns become the columns of ``transactions(customer_id, purchase_date,
    amount)``: one DuckDB expression each (``stamp`` is the date and time, which the duplicate
    check compares; ``amount`` is None when the column cannot be read as numbers), and the entry
    checks, in the order of the pandas engine."""

    customer: Expression
    day: Expression | None
    stamp: Expression | None
    amount: Expression | None
    checks: list[_Check]


@contextlib.contextmanager
def _duckdb_table(transactions: object) -> Iterator[_Table]:
    """The transactions as a DuckDB relation: a relation as given; a DataFrame, a Parquet file or a
    CSV file read on a connection of crmlib's own (memory capped at DUCKDB_MEMORY_LIMIT, spilling
    to a temporary folder that is removed afterwards)."""
    import duckdb

    if isinstance(transactions, duckdb.DuckDBPyRelation):
        yield _Table(transactions, None)
        return
    path = None
    if isinstance(transactions, pd.DataFrame):
        require_frame(transactions, "transactions")
    elif isinstance(transactions, (str, os.PathLike)):
        path = Path(transactions)
        name = path.name.lower()
        if not name.endswith(_PARQUET + _CSV):
            raise DataError(
                f"transactions is the path {str(path)!r}, which is not a Parquet (.parquet) or CSV "
                "(.csv) file: give the path of one, a DataFrame or a DuckDB relation"
            )
        if not path.is_file():
            raise DataError(f"transactions is the path {str(path)!r}, but there is no file there")
    else:
        raise DataError(
            "transactions must be a pandas DataFrame, a DuckDB relation or the path of a Parquet or "
            f"CSV file, got {type(transactions).__name__}"
        )
    with tempfile.TemporaryDirectory(prefix="crmlib-duckdb-") as spill:
        connection = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": spill})
        try:
            connection.execute("SET enable_progress_bar = false")  # no bar printed into a notebook
            try:
                if path is None:
                    relation = connection.from_df(transactions)
                elif path.name.lower().endswith(_PARQUET):
                    relation = connection.sql("SELECT * FROM read_parquet(?)", params=[str(path)])
                else:
                    relation = connection.sql("SELECT * FROM read_csv(?)", params=[str(path)])
            except duckdb.Error as error:
                raise DataError(f"DuckDB could not read transactions from {str(path)!r}: {error}") from error
            yield _Table(relation, transactions if path is None else None)
        finally:
            connection.close()


@contextlib.contextmanager
def _duckdb_errors() -> Iterator[None]:
    """Turn an error DuckDB raises while it summarises the table into a DataError."""
    import duckdb

    try:
        yield
    except duckdb.Error as error:
        raise DataError(f"DuckDB could not summarise transactions: {error}") from error


def _type_kind(type_id: str) -> str:
    if type_id in _DATE_TYPES:
        return "date"
    if type_id == "timestamp with time zone":
        return "zoned"
    if type_id in ("float", "double"):
        return "float"
    if type_id in _EXACT_TYPES:
        return "number"
    if type_id == "boolean":
        return "boolean"
    return "text"


def _as_text(name: str, type_id: str) -> Expression:
    """A column as text (a text column as it is)."""
    from duckdb import ColumnExpression

    return ColumnExpression(name) if type_id == "varchar" else ColumnExpression(name).cast("VARCHAR")


def _date_columns(date_col: str, type_id: str) -> tuple[Expression | None, Expression | None, list[_Check]]:
    """The day and the timestamp of a date column, and its checks, by the column's type."""
    from duckdb import ColumnExpression, ConstantExpression, FunctionExpression

    date = ColumnExpression(date_col)
    kind = _type_kind(type_id)
    missing = date.isnull()
    if kind == "float":  # NaN is a missing value too
        missing = missing | FunctionExpression("isnan", date)
    checks = [_Check("missing_dates", date_col, missing, date)]
    if kind == "date":  # DATE or TIMESTAMP: read as it is
        return date.cast("DATE"), date, checks
    if kind == "zoned":
        return None, None, [*checks, _Check("zoned_dates", date_col, None, date)]
    if kind != "text":
        return None, None, [*checks, _Check("numbers_as_dates", date_col, None, date)]
    text = _as_text(date_col, type_id)
    stamp = text.try_cast("TIMESTAMP")  # NULL where the text is not a date
    zoned = FunctionExpression(
        "regexp_matches", FunctionExpression("trim", text), ConstantExpression(_ZONE_PATTERN)
    )
    checks.append(_Check("mixed_zones", date_col, zoned, text))
    checks.append(_Check("not_dates", date_col, date.isnotnull() & stamp.isnull(), text))
    return stamp.cast("DATE"), stamp, checks


def _amount_column(amount_col: str, type_id: str) -> tuple[Expression | None, list[_Check]]:
    """An amount column as DOUBLE, and its checks, by the column's type."""
    from duckdb import ColumnExpression, ConstantExpression, FunctionExpression

    raw = ColumnExpression(amount_col)
    kind = _type_kind(type_id)
    if kind == "boolean":
        return None, [_Check("true_false", amount_col, None, raw)]
    if kind in ("number", "float"):
        amount = raw.cast("DOUBLE")
        missing = raw.isnull()
        checks = [_Check("missing_values", amount_col, missing, raw)]
        if kind == "float":
            nan = FunctionExpression("isnan", raw)
            checks = [_Check("missing_values", amount_col, missing | nan, raw)]
            checks.append(_Check("infinite_values", amount_col, FunctionExpression("isinf", raw), raw))
    else:  # text, read as numbers where it can be
        text = _as_text(amount_col, type_id)
        amount = text.try_cast("DOUBLE")
        not_number = raw.isnotnull() & (amount.isnull() | FunctionExpression("isnan", amount))
        checks = [
            _Check("not_numbers", amount_col, not_number, text),
            _Check("missing_values", amount_col, raw.isnull(), raw),
            _Check("infinite_values", amount_col, FunctionExpression("isinf", amount), text),
        ]
    checks.append(_Check("negative_values", amount_col, amount < ConstantExpression(0), raw))
    return amount, checks


def _columns(table: _Table, customer_col: str, date_col: str, amount_col: str | None) -> _Columns:
    """Check the column names against the table; the expression of each column and the checks."""
    from duckdb import ColumnExpression

    names = table.relation.columns
    given = [customer_col, date_col] + ([amount_col] if amount_col is not None else [])
    require_columns(
        pd.DataFrame(columns=names) if table.frame is None else table.frame, given, "transactions"
    )
    for name in given:
        if not isinstance(name, str) or name not in names:
            raise DataError(
                f"column {name!r} of transactions cannot be read by DuckDB (its columns there are {names}): "
                "give the columns texts as names, one name per column"
            )
    types = dict(zip(names, (kind.id for kind in table.relation.types), strict=True))
    customer = ColumnExpression(customer_col)
    checks = [_Check("missing_ids", customer_col, customer.isnull(), customer)]
    day, stamp, date_checks = _date_columns(date_col, types[date_col])
    amount, amount_checks = None, []
    if amount_col is not None:
        amount, amount_checks = _amount_column(amount_col, types[amount_col])
    return _Columns(customer, day, stamp, amount, checks + date_checks + amount_checks)


def _bad_rows(table: _Table, check: _Check, count: int) -> str:
    """The message of a failed check: the first rows' labels and the first distinct bad values."""
    from duckdb import ColumnExpression, FunctionExpression

    row_number = ColumnExpression("row_number")
    numbered = table.relation.select(
        (FunctionExpression("row_number").over() - 1).alias("row_number"),  # rows counted from 0
        check.shown.alias("value"),
        check.bad.alias("bad"),
    )
    bad = numbered.filter(ColumnExpression("bad"))
    rows = bad.select(row_number).sort(row_number).limit(_SHOWN).df()["row_number"].to_numpy()
    labels = rows if table.frame is None else table.frame.index[rows]
    if check.problem == "missing_ids":
        return _missing_ids_message(check.column, count, labels)
    value = ColumnExpression("value")
    values = bad.aggregate([value, row_number.min().alias("first_row")], value)  # grouped by value
    examples = values.sort(ColumnExpression("first_row")).limit(3).df()["value"].tolist()
    advice = _RETURNS_ADVICE if check.problem == "negative_values" else ""
    return _column_problem(check.problem, check.column, count, labels, examples, advice=advice)


def _run_checks(table: _Table, columns: _Columns) -> int:
    """Run the entry checks in one pass over the table (a count of bad rows per check) and raise
    the pandas engine's DataError for the first failing one; return the last day (days since
    1970-01-01)."""
    from duckdb import CaseExpression, ConstantExpression, FunctionExpression

    counts = [FunctionExpression("count_star").alias("rows")]
    if columns.day is not None:
        counts.append(columns.day.max().alias("last_day"))
    for check in columns.checks:
        if check.bad is not None:
            counts.append(
                CaseExpression(check.bad, ConstantExpression(1))
                .otherwise(ConstantExpression(0))
                .sum()
                .alias(check.problem)
            )
    found = table.relation.aggregate(counts).df().iloc[0]
    if found["rows"] == 0:
        raise DataError(_column_problem("empty", name="transactions"))
    for check in columns.checks:
        if check.bad is None:  # the column's type is the problem
            zone = "TIMESTAMP WITH TIME ZONE"  # a relation's type; a DataFrame tells the zone
            if table.frame is not None and check.problem == "zoned_dates":
                zone = table.frame[check.column].dt.tz
            raise DataError(_column_problem(check.problem, check.column, zone=zone))
        count = int(found[check.problem] or 0)
        if count:
            raise DataError(_bad_rows(table, check, count))
    return _day_number(pd.Timestamp(found["last_day"]))


def _day_numbers(values: pd.Series) -> np.ndarray:
    """Dates (as DuckDB returns them) as days since 1970-01-01."""
    return np.asarray(pd.to_datetime(values), dtype="datetime64[D]").view(np.int64)


def _date_value(day: int) -> Expression:
    """A day (days since 1970-01-01) as a DuckDB DATE value."""
    from duckdb import ConstantExpression

    return ConstantExpression(np.datetime64(day, "D").astype(object))


#: The rows that exactly repeat an earlier row, over ``rows(purchase)``: each row of the table packed
#: into one value (a STRUCT of every column, in order). The rows whose value occurs more than once
#: are numbered and ranked; the copies after the first are the repeats. Their number and the first ones.
REPEATED_ROWS_SQL = """\
WITH numbered AS (
    SELECT ROW_NUMBER() OVER () - 1 AS row_number, purchase FROM rows
), repeated AS (
    SELECT purchase FROM rows GROUP BY purchase HAVING COUNT(*) > 1
), copies AS (
    SELECT numbered.row_number,
           ROW_NUMBER() OVER (PARTITION BY numbered.purchase ORDER BY numbered.row_number) AS copy
    FROM numbered JOIN repeated ON numbered.purchase IS NOT DISTINCT FROM repeated.purchase
)
SELECT row_number, COUNT(*) OVER () AS repeated
FROM copies
WHERE copy > 1
ORDER BY row_number
LIMIT 6                  -- the first rows named (_SHOWN)"""


def _repeated_rows_in_duckdb(
    table: _Table, columns: _Columns, customer_col: str, date_col: str, amount_col: str | None
) -> tuple[int, object]:
    """The rows that exactly repeat an earlier row (every column equal, dates and amounts as read):
    their number and the labels of the first ones."""
    from duckdb import ColumnExpression, FunctionExpression

    fields, others = [], 0
    for name in table.relation.columns:  # every column, renamed by its role or its position
        if name == date_col:
            fields.append(columns.stamp.alias("purchase_date"))
        elif name == amount_col:
            fields.append(columns.amount.alias("amount"))
        elif name == customer_col:
            fields.append(columns.customer.alias("customer_id"))
        else:
            others += 1
            fields.append(ColumnExpression(name).alias(f"other_{others}"))
    rows = table.relation.select(FunctionExpression("struct_pack", *fields).alias("purchase"))
    found = rows.query("rows", REPEATED_ROWS_SQL).df()
    if found.empty:
        return 0, []
    numbers = found["row_number"].to_numpy()
    return int(found["repeated"].iloc[0]), numbers if table.frame is None else table.frame.index[numbers]


#: The RFM summary in SQL, over ``transactions(customer_id, purchase_date, amount)``: one row per
#: purchase, ``purchase_date`` a DATE and ``amount`` a DOUBLE (0 when the summary has no amounts).
#: The customer-days first (a customer's purchases on one day are one transaction, their amounts
#: summed), then one row per customer: ``days`` is x + 1, and the repeat total is the total less the
#: first day's amount (``MIN_BY(amount, day)``: the amount on the smallest day). crmlib divides in
#: pandas, as the pandas engine does (see the Notes of :func:`rfm_summary`).
RFM_SUMMARY_SQL = """\
WITH daily AS (              -- the same-day rule
    SELECT customer_id, purchase_date AS day, SUM(amount) AS amount
    FROM transactions
    GROUP BY customer_id, purchase_date
)
SELECT customer_id,
       MIN(day)                          AS first_day,
       MAX(day)                          AS last_day,
       COUNT(*)                          AS days,
       SUM(amount) - MIN_BY(amount, day) AS repeat_total
FROM daily
GROUP BY customer_id
ORDER BY customer_id"""

#: The calibration summary and the hold-out in SQL, over ``transactions(customer_id, purchase_date,
#: amount, in_calibration)``: as for :data:`RFM_SUMMARY_SQL`, with ``in_calibration`` true for a
#: purchase on or before the calibration end. The customers are those with a calibration purchase
#: (their first purchase is then in the calibration period).
CALIBRATION_HOLDOUT_SQL = """\
WITH daily AS (              -- the same-day rule
    SELECT customer_id, purchase_date AS day, in_calibration, SUM(amount) AS amount
    FROM transactions
    GROUP BY customer_id, purchase_date, in_calibration
)
SELECT customer_id,
       MIN(day)                                               AS first_day,
       MAX(CASE WHEN in_calibration THEN day END)             AS last_day,
       SUM(CASE WHEN in_calibration THEN 1 ELSE 0 END)        AS days,
       SUM(CASE WHEN in_calibration THEN amount ELSE 0 END)
           - MIN_BY(amount, day)                              AS repeat_total,
       SUM(CASE WHEN in_calibration THEN 0 ELSE 1 END)        AS holdout_days,
       SUM(CASE WHEN in_calibration THEN 0 ELSE amount END)   AS holdout_total
FROM daily
GROUP BY customer_id
HAVING BOOL_OR(in_calibration)
ORDER BY customer_id"""

#: Customer-days in ``late(customer_id, purchase_date)``, the purchases after the end of observation.
LATE_DAYS_SQL = """\
SELECT COUNT(*) AS late_days
FROM (SELECT DISTINCT customer_id, purchase_date FROM late) customer_days"""


def _transactions(table: _Table, columns: _Columns) -> DuckDBPyRelation:
    """The table as ``transactions(customer_id, purchase_date, amount)``: the caller's columns
    reach DuckDB as column expressions of the relational API, renamed, never as SQL text."""
    from duckdb import ConstantExpression

    amount = columns.amount if columns.amount is not None else ConstantExpression(0.0)  # no amounts
    return table.relation.select(
        columns.customer.alias("customer_id"),
        columns.day.alias("purchase_date"),
        amount.alias("amount"),
    )


def _checked_transactions(
    table: _Table, customer_col: str, date_col: str, amount_col: str | None, duplicates: str
) -> tuple[DuckDBPyRelation, int]:
    """The entry checks and the duplicate report of the DuckDB engine; the table as
    ``transactions(customer_id, purchase_date, amount)`` and its last day."""
    columns = _columns(table, customer_col, date_col, amount_col)
    last_day = _run_checks(table, columns)
    if duplicates != "keep":
        count, rows = _repeated_rows_in_duckdb(table, columns, customer_col, date_col, amount_col)
        _report_duplicates(count, rows, table.relation.columns, duplicates, stacklevel=5)
    return _transactions(table, columns), last_day


def _late_days(transactions: DuckDBPyRelation, end_day: int) -> int:
    """Customer-days after ``end_day`` (only asked when the last date is after it). The day
    reaches DuckDB as a constant expression of the filter, on the relation's own connection."""
    from duckdb import ColumnExpression

    late = transactions.filter(ColumnExpression("purchase_date") > _date_value(end_day))
    return int(late.query("late", LATE_DAYS_SQL).df()["late_days"].iloc[0])


def _duckdb_rfm_summary(
    transactions: object,
    customer_col: str,
    date_col: str,
    amount_col: str | None,
    given_end: pd.Timestamp | None,
    unit: float,
    duplicates: str,
) -> pd.DataFrame:
    """:func:`rfm_summary` in SQL (engine="duckdb")."""
    with _duckdb_table(transactions) as table, _duckdb_errors():
        purchases, last_day = _checked_transactions(table, customer_col, date_col, amount_col, duplicates)
        end_day = last_day if given_end is None else _day_number(given_end)
        if end_day < last_day:
            _refuse_late(_late_days(purchases, end_day), date_col, end_day, last_day, "the observation end")
        found = purchases.query("transactions", RFM_SUMMARY_SQL).df()
    return _summary_frame(
        pd.Index(found["customer_id"], name=customer_col),
        _day_numbers(found["first_day"]),
        _day_numbers(found["last_day"]),
        found["days"].to_numpy(),
        found["repeat_total"].to_numpy() if amount_col is not None else None,
        end_day,
        unit,
    )


def _duckdb_calibration_holdout_split(
    transactions: object,
    customer_col: str,
    date_col: str,
    amount_col: str | None,
    cal_end: pd.Timestamp,
    given_end: pd.Timestamp | None,
    unit: float,
    duplicates: str,
) -> pd.DataFrame:
    """:func:`calibration_holdout_split` in SQL (engine="duckdb")."""
    from duckdb import ColumnExpression, StarExpression

    cal_day = _day_number(cal_end)
    with _duckdb_table(transactions) as table, _duckdb_errors():
        purchases, last_day = _checked_transactions(table, customer_col, date_col, amount_col, duplicates)
        end_day = last_day if given_end is None else _day_number(given_end)
        _refuse_order(end_day, cal_day)
        if end_day < last_day:
            _refuse_late(_late_days(purchases, end_day), date_col, end_day, last_day, "holdout_end")
        # the calibration end reaches DuckDB as a constant expression, in a column of its own
        in_calibration = ColumnExpression("purchase_date") <= _date_value(cal_day)
        split = purchases.select(StarExpression(), in_calibration.alias("in_calibration"))
        found = split.query("transactions", CALIBRATION_HOLDOUT_SQL).df()
    _refuse_no_cohort(len(found), customer_col, cal_day)
    has_amount = amount_col is not None
    summary = _summary_frame(
        pd.Index(found["customer_id"], name=customer_col),
        _day_numbers(found["first_day"]),
        _day_numbers(found["last_day"]),
        found["days"].to_numpy(),
        found["repeat_total"].to_numpy() if has_amount else None,
        cal_day,
        unit,
    )
    holdout_total = found["holdout_total"].to_numpy() if has_amount else None
    return _with_holdout(summary, found["holdout_days"].to_numpy(), holdout_total, end_day - cal_day, unit)


def describe_rfm(summary: pd.DataFrame, *, decimals: int | None = None) -> pd.Series:
    """The few numbers that describe a customer base's RFM summary.

    Parameters
    ----------
    summary : DataFrame
        The output of :func:`rfm_summary` (columns ``frequency``,
        ``recency``, ``T`` and optionally ``monetary``).
    decimals : int, optional
        Round the shares and means to this many decimals for the reader
        (the counts stay whole numbers); ``None`` (default) leaves them as
        computed.

    Returns
    -------
    Series
        ``customers``, ``repeat_transactions`` (sum of frequency),
        ``no_repeat`` (customers with frequency 0), ``repeat_buyers`` (the
        others), ``share_no_repeat``,
        ``mean_frequency``, ``mean_recency``, ``mean_T`` and, when present,
        ``mean_monetary_repeaters`` (mean of ``monetary`` over customers with
        at least one repeat transaction).

        ``mean_monetary_repeaters`` is NaN when no customer has a repeat
        transaction: there is no repeat spend to average.

    Raises
    ------
    DataError
        When ``summary`` is not a non-empty DataFrame or lacks a column; when
        a column holds non-numbers, missing, infinite or negative values, or
        ``frequency`` values that are not whole numbers; or when ``decimals``
        is not a whole number >= 0.

    Example
    -------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 1, 2, 3, 3],
    ...                     "date": ["2024-01-01", "2024-01-08", "2024-01-22",
    ...                              "2024-01-01", "2024-01-02", "2024-01-09"],
    ...                     "amount": [10.0, 20.0, 40.0, 5.0, 8.0, 12.0]})
    >>> summary = rfm_summary(log, observation_end="2024-01-29")
    >>> describe_rfm(summary, decimals=3)[["customers", "repeat_transactions", "share_no_repeat"]]
    customers                  3
    repeat_transactions        3
    share_no_repeat        0.333
    Name: value, dtype: object
    """
    require_frame(summary, "summary")
    require_columns(summary, ["frequency", "recency", "T"], "summary")
    places = None if decimals is None else require_count(decimals, "decimals", low=0)
    advice = "an RFM summary counts transactions and times, none of them below 0"
    columns = ["frequency", "recency", "T"] + (["monetary"] if "monetary" in summary.columns else [])
    values = {}
    for column in columns:
        values[column] = require_numeric(summary, column)
        require_non_negative(values[column], column, advice)
    frequency = to_numbers(values["frequency"], "frequency", integer=True)
    repeaters = frequency > 0
    numbers = {
        "customers": len(summary),
        "repeat_transactions": int(frequency.sum()),
        "no_repeat": int((~repeaters).sum()),
        "repeat_buyers": int(repeaters.sum()),
        "share_no_repeat": float((~repeaters).mean()),
        "mean_frequency": float(frequency.mean()),
        "mean_recency": float(values["recency"].mean()),
        "mean_T": float(values["T"].mean()),
    }
    if "monetary" in values:
        monetary = values["monetary"].to_numpy()[repeaters]
        numbers["mean_monetary_repeaters"] = float(monetary.mean()) if monetary.size else float("nan")
    if places is not None:
        numbers = {k: round(v, places) if isinstance(v, float) else v for k, v in numbers.items()}
    return pd.Series(numbers, name="value", dtype=object)


def plot_transactions_per_week(
    transactions: pd.DataFrame,
    *,
    date_col: str = "date",
    customer_col: str = "customer_id",
    calibration_end: DateLike | None = None,
    first_and_repeat: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Line chart of the number of transactions per week, on an axis from zero.

    Same-day purchases by one customer count once, and weeks run from the
    first date (see :func:`crmlib.transactions.weekly_transactions`). With
    ``first_and_repeat``, two lines: first transactions and repeat
    transactions (:func:`weekly_first_and_repeat`). A dashed line marks
    ``calibration_end`` when given. Every line is in the legend.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    date_col, customer_col : str
        Column names.
    calibration_end : date-like, optional
        The end of the calibration period, marked with a dashed line.
    first_and_repeat : bool
        Draw first and repeat transactions as two lines instead of their total.
    ax, title, source
        The plot contract (see :mod:`crmlib.plots`).

    Returns
    -------
    Axes

    Raises
    ------
    DataError
        Bad transactions (see :func:`validate_transactions`) or a
        ``calibration_end`` that is not a date.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    line_at = None if calibration_end is None else to_date(calibration_end, "calibration_end")
    split = require_flag(first_and_repeat, "first_and_repeat")
    if split:
        weekly = weekly_first_and_repeat(transactions, customer_col=customer_col, date_col=date_col)
        lines = [(weekly["first"], "first_transactions"), (weekly["repeat"], "repeat_transactions")]
    else:
        total = weekly_transactions(transactions, customer_col=customer_col, date_col=date_col)
        lines = [(total, "all_transactions")]
    if ax is None:
        _, ax = new_figure()
    for colour, (series, key) in zip(PALETTE, lines, strict=False):
        ax.plot(series.index, series.to_numpy(), color=colour, label=term(key))
    if line_at is not None:
        ax.axvline(
            line_at,
            color=PALETTE[3],
            linestyle="--",
            label=term("calibration_end"),
        )
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right")
    ax.set_xlabel(term("week"))
    ax.set_ylabel(term("transactions_per_week"))
    return finish(ax, title, source)
