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

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .validation import (
    DataError,
    describe_rows,
    require_choice,
    require_columns,
    require_count,
    require_frame,
    require_non_negative,
    require_numeric,
    to_date,
    to_datetime_column,
    to_numbers,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .validation import DateLike

__all__ = [
    "TIME_UNITS",
    "validate_transactions",
    "daily_transactions",
    "weekly_transactions",
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
    require_frame(transactions, "transactions")
    columns = [customer_col, date_col] + ([amount_col] if amount_col is not None else [])
    require_columns(transactions, columns, "transactions")
    clean = transactions.copy()

    missing_id = clean[customer_col].isna()
    if missing_id.any():
        raise DataError(
            f"column {customer_col!r} has {int(missing_id.sum())} missing customer ids "
            f"({describe_rows(clean.index[missing_id])}): a purchase without a customer "
            "cannot be summarised per customer; drop those rows or fill the ids"
        )
    clean[date_col] = to_datetime_column(clean, date_col)
    if amount_col is not None:
        clean[amount_col] = require_numeric(clean, amount_col)
        require_non_negative(clean[amount_col], amount_col, _RETURNS_ADVICE)

    if duplicates != "keep":
        repeated = clean.duplicated(keep="first")
        if repeated.any():
            message = (
                f"transactions has {int(repeated.sum())} rows that exactly repeat an earlier row "
                f"({describe_rows(clean.index[repeated])}; columns {list(clean.columns)}): "
                "if they are double-counted, drop them with drop_duplicates(); if they are "
                "genuine separate purchases, pass duplicates='keep'"
            )
            if duplicates == "raise":
                raise DataError(message)
            warnings.warn(message, UserWarning, stacklevel=3)
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
    start, end = daily[date_col].min(), daily[date_col].max()
    week = (daily[date_col] - start).dt.days // 7
    full_weeks = ((end - start).days + 1) // 7
    counts = week.value_counts().reindex(range(max(full_weeks, 1)), fill_value=0).sort_index()
    counts.index = start + pd.to_timedelta(counts.index * 7, unit="D")
    counts.index.name = "week_start"
    return counts.rename("transactions")


def _summarise(
    daily: pd.DataFrame,
    customer_col: str,
    date_col: str,
    amount_col: str | None,
    observation_end: pd.Timestamp,
    unit: float,
) -> pd.DataFrame:
    grouped = daily.groupby(customer_col, sort=True)
    first = grouped[date_col].min()
    last = grouped[date_col].max()
    count = grouped.size()
    summary = pd.DataFrame(
        {
            "frequency": (count - 1).astype(int),
            "recency": (last - first).dt.days / unit,
            "T": (observation_end - first).dt.days / unit,
        }
    )
    if amount_col is not None:
        is_first = daily[date_col].to_numpy() == first.reindex(daily[customer_col]).to_numpy()
        repeat_total = daily.loc[~is_first].groupby(customer_col)[amount_col].sum()
        repeat_total = repeat_total.reindex(summary.index, fill_value=0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            monetary = np.where(
                summary["frequency"] > 0,
                repeat_total / summary["frequency"].where(summary["frequency"] > 0, 1),
                0.0,
            )
        summary["monetary"] = monetary
    summary.index.name = customer_col
    return summary


def rfm_summary(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = "amount",
    observation_end: DateLike | None = None,
    time_unit: str = "W",
    duplicates: str = "warn",
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
    transactions : DataFrame
        One row per purchase.
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
        "D", "W", "M".

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
    """
    unit = _unit_days(time_unit)
    given_end = None if observation_end is None else _as_timestamp(observation_end, "observation_end")
    daily = daily_transactions(transactions, customer_col, date_col, amount_col, duplicates)
    last_date = daily[date_col].max()
    end = last_date if given_end is None else given_end
    late = daily[date_col] > end
    if late.any():
        raise DataError(
            f"column {date_col!r} has {int(late.sum())} transactions after the observation end "
            f"{end.date()} (the last is on {last_date.date()}): use "
            "calibration_holdout_split() to summarise a calibration period and keep the rest "
            "as hold-out, or filter the table first"
        )
    return _summarise(daily, customer_col, date_col, amount_col, end, unit)


def _as_timestamp(value, name: str) -> pd.Timestamp:
    return to_date(value, name).normalize()


def calibration_holdout_split(
    transactions: pd.DataFrame,
    calibration_end: DateLike,
    holdout_end: DateLike | None = None,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = "amount",
    time_unit: str = "W",
    duplicates: str = "warn",
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
    customer_col, date_col, amount_col, time_unit, duplicates
        As in :func:`rfm_summary`.

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
        ``time_unit`` not one of "D", "W", "M".
    """
    unit = _unit_days(time_unit)
    cal_end = _as_timestamp(calibration_end, "calibration_end")
    given_end = None if holdout_end is None else _as_timestamp(holdout_end, "holdout_end")
    daily = daily_transactions(transactions, customer_col, date_col, amount_col, duplicates)
    last_date = daily[date_col].max()
    end = last_date if given_end is None else given_end
    if end <= cal_end:
        raise DataError(f"holdout_end ({end.date()}) must come after calibration_end ({cal_end.date()})")
    late = daily[date_col] > end
    if late.any():
        raise DataError(
            f"column {date_col!r} has {int(late.sum())} transactions after holdout_end "
            f"{end.date()} (the last is on {last_date.date()}): filter the table first"
        )
    first = daily.groupby(customer_col)[date_col].transform("min")
    cohort = daily[first <= cal_end]
    if cohort.empty:
        raise DataError(
            f"no customer in column {customer_col!r} made a first purchase on or before "
            f"calibration_end {cal_end.date()}"
        )
    in_calibration = cohort[date_col] <= cal_end
    summary = _summarise(cohort[in_calibration], customer_col, date_col, amount_col, cal_end, unit)
    holdout = cohort[~in_calibration].groupby(customer_col)
    summary["frequency_holdout"] = holdout.size().reindex(summary.index, fill_value=0).astype(int)
    if amount_col is not None:
        summary["monetary_holdout"] = holdout[amount_col].mean().reindex(summary.index, fill_value=0.0)
    summary["duration_holdout"] = (end - cal_end).days / unit
    return summary


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
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Line chart of the number of transactions per week.

    Same-day purchases by one customer count once, and weeks run from the
    first date (see :func:`crmlib.transactions.weekly_transactions`). A
    dashed line marks ``calibration_end`` when given.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    date_col, customer_col : str
        Column names.
    calibration_end : date-like, optional
        The end of the calibration period, marked with a dashed line.
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
    weekly = weekly_transactions(transactions, customer_col=customer_col, date_col=date_col)
    if ax is None:
        _, ax = new_figure()
    ax.plot(weekly.index, weekly.to_numpy(), color=PALETTE[0])
    if line_at is not None:
        ax.axvline(
            line_at,
            color=PALETTE[3],
            linestyle="--",
            label=term("calibration_end"),
        )
        ax.legend(loc="upper right")
    ax.set_xlabel(term("week"))
    ax.set_ylabel(term("transactions_per_week"))
    return finish(ax, title, source)
