"""The funnel model (漏斗模型): winning, converting and keeping customers online.

* **Session stages.** Each web session reaches a prefix of visitor (访客) ->
  browser (看客) -> shopper (驻客) -> buyer (购买者); a buyer whom the firm can
  identify and who orders again within a window is a retained buyer
  (:func:`session_funnel`).
* **The funnel table.** Sessions per stage, overall or by channel or campaign,
  each stage's conversion with a Wilson interval from
  :func:`scipy.stats.binomtest` (:func:`funnel_table`, :func:`plot_funnel`,
  :func:`plot_conversion`).
* **Comparing marketing strategies.** What a yuan of marketing buys: cost per
  signup, per buyer and per retained buyer, and margin per yuan, by
  acquisition channel (:func:`acquisition_by_channel`, :func:`plot_cost_per_stage`)
  and by campaign (:func:`campaign_returns`).
* **A/B comparison.** The difference of two conversion rates with its
  interval and a test (:func:`compare_conversion`), and the sample size a
  test needs to detect a stated lift (:func:`sample_size`, :func:`power_table`),
  with the methods of :mod:`statsmodels.stats.proportion`.

The source of the funnel model is 《网络营销》精品课程，第8章 客户关系管理 (an
online-marketing course, ch. 8 "Customer relationship management"), which
uses it to judge online marketing strategies roughly.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
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
    require_no_missing,
    require_number,
    require_numeric,
    require_text,
    to_date,
    to_datetime_column,
    to_numbers,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .validation import DateLike

__all__ = [
    "FUNNEL_STAGES",
    "STAGE_EVENTS",
    "MAX_WINDOW_DAYS",
    "MAX_SAMPLE_SIZE",
    "session_funnel",
    "funnel_table",
    "acquisition_by_channel",
    "campaign_returns",
    "ABComparison",
    "compare_conversion",
    "sample_size",
    "power_table",
    "plot_funnel",
    "plot_conversion",
    "plot_cost_per_stage",
]

#: The stages of the funnel, in order (glossary keys).
FUNNEL_STAGES = ("visitor", "browser", "shopper", "buyer", "retained_buyer")
#: The web-log event that marks each of the first four stages (the demo company's ``web_events``).
STAGE_EVENTS = {"visitor": "visit", "browser": "browse", "shopper": "add_to_cart", "buyer": "purchase"}
#: The longest follow-up window, in days (ten years).
MAX_WINDOW_DAYS = 3650
#: The largest sample size per group that :func:`sample_size` reports (a billion): beyond it the
#: lift is too small for any test the firm could run.
MAX_SAMPLE_SIZE = 10**9


# --------------------------------------------------------------------------- helpers
def _z_level(level: float) -> float:
    """A confidence level strictly between 0 and 1."""
    return require_number(level, "level", low=0, high=1, low_open=True, high_open=True)


def _wilson(successes: np.ndarray, trials: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score intervals of successes/trials from scipy's binomtest; NaN where trials is 0."""
    from scipy.stats import binomtest

    low = np.full(len(trials), np.nan)
    high = np.full(len(trials), np.nan)
    for i, (k, n) in enumerate(zip(successes, trials, strict=True)):
        if n > 0:
            ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="wilson")
            low[i], high[i] = ci.low, ci.high
    return low, high


def _flags(table: pd.DataFrame, column: str) -> np.ndarray:
    """A 0/1 or True/False column as a boolean array; texts, missing values and other numbers refused."""
    require_no_missing(table, column, "value")
    values = table[column]
    if pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=bool)
    numbers = require_numeric(table, column).to_numpy()
    bad = (numbers != 0) & (numbers != 1)
    if bad.any():
        raise DataError(
            f"column {column!r} has {int(bad.sum())} values other than 0/1 or True/False "
            f"({describe_rows(table.index[bad])})"
        )
    return numbers == 1


def _days(dates: pd.Series | pd.Timestamp) -> np.ndarray | int:
    """Dates as whole day numbers (days since 1970-01-01; the time of day dropped)."""
    if isinstance(dates, pd.Timestamp):
        return int(np.datetime64(dates, "D").astype(np.int64))
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def _orders_within(
    customers: np.ndarray,
    start_days: np.ndarray,
    orders: pd.DataFrame,
    customer_col: str,
    order_date_col: str,
    window_days: int,
) -> np.ndarray:
    """For each (customer, day): whether the customer has an order on a later day within the window."""
    left = pd.DataFrame({"_row": np.arange(len(customers)), "_c": customers, "_d": start_days})
    right = pd.DataFrame(
        {"_c": orders[customer_col].to_numpy(), "_o": _days(to_datetime_column(orders, order_date_col))}
    )
    pairs = left.merge(right, on="_c")
    inside = (pairs["_o"] > pairs["_d"]) & (pairs["_o"] <= pairs["_d"] + window_days)
    hit = np.zeros(len(customers), dtype=bool)
    hit[pairs.loc[inside, "_row"].to_numpy()] = True
    return hit


def _label(key: object) -> str:
    """A glossary term for a key (stage, channel), or the value itself when it is not one."""
    from .glossary import UnknownTermError, term

    if not isinstance(key, str):
        return str(key)
    for name in (key, f"channel_{key}"):
        try:
            return term(name)
        except UnknownTermError:
            continue
    return key


# --------------------------------------------------------------------------- the funnel
def session_funnel(
    events: pd.DataFrame,
    orders: pd.DataFrame | None = None,
    window_days: int = 30,
    observation_end: DateLike | None = None,
    session_col: str = "session_id",
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    event_col: str = "event",
    order_date_col: str = "order_date",
) -> pd.DataFrame:
    """One row per web session with the funnel stages it reached.

    A session reaches the stage of its furthest event and every stage before
    it (a purchase counts as a browse and an add-to-cart too, so counts never
    increase along the funnel): visitor (``visit``), browser (``browse``),
    shopper (``add_to_cart``), buyer (``purchase``), see :data:`STAGE_EVENTS`.
    With ``orders``, a buyer is also a **retained buyer** when the session has
    a known customer who orders again on a later day within ``window_days``
    after the session's day:

        retained_buyer = buyer and customer known and an order in (day, day + window_days].

    An anonymous buyer cannot be followed, so counts as not retained. Only the
    sessions started at least ``window_days`` before ``observation_end`` are
    kept, so that every buyer has a full window to be watched in.

    Parameters
    ----------
    events : DataFrame
        One row per event (the demo company's ``web_events``) with
        ``session_col``, ``customer_col`` (missing for anonymous visitors),
        ``time_col`` and ``event_col``; other columns (``channel``,
        ``campaign``) are kept, as in the session's first event.
    orders : DataFrame, optional
        The order table with ``customer_col`` and ``order_date_col``; without
        it there is no retained stage.
    window_days : int
        The window after a buying session, 1 to :data:`MAX_WINDOW_DAYS` days.
    observation_end : date-like, optional
        The last day of the order data (default: the last order day).

    Returns
    -------
    DataFrame
        One row per session, in order of start: ``session_col``,
        ``customer_col``, ``start`` (the first event's time), the other columns
        of ``events``, and a True/False column per stage of
        :data:`FUNNEL_STAGES` (``retained_buyer`` only with ``orders``).

    Raises
    ------
    DataError
        Tables that are not tables or have no rows, missing columns, missing
        session ids or events, events other than those of :data:`STAGE_EVENTS`,
        times that are missing or not dates, a ``window_days`` that is not a
        whole number from 1 to :data:`MAX_WINDOW_DAYS`, an ``observation_end``
        that is not a date, or no session early enough for a full window.

    References
    ----------
    《网络营销》精品课程，第8章 客户关系管理 (online-marketing course, ch. 8): the funnel of
    visitors, browsers, shoppers and buyers.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"session_id": ["s1", "s1", "s2", "s2", "s2", "s2"],
    ...     "customer_id": [None, None, "c1", "c1", "c1", "c1"],
    ...     "timestamp": pd.to_datetime(["2024-01-01"] * 6),
    ...     "event": ["visit", "browse", "visit", "browse", "add_to_cart", "purchase"]})
    >>> session_funnel(log)[["session_id", "browser", "buyer"]]
      session_id  browser  buyer
    0         s1     True  False
    1         s2     True   True
    """
    require_frame(events, "events")
    for name, value in (
        ("session_col", session_col),
        ("customer_col", customer_col),
        ("time_col", time_col),
        ("event_col", event_col),
    ):
        require_text(value, name)
    require_columns(events, [session_col, customer_col, time_col, event_col], "events")
    require_no_missing(events, session_col, "session id")
    require_no_missing(events, event_col, "event")
    window_days = require_count(window_days, "window_days", low=1, high=MAX_WINDOW_DAYS)
    times = to_datetime_column(events, time_col)
    rank_of = {event: k for k, event in enumerate(STAGE_EVENTS.values())}
    rank = events[event_col].map(rank_of)
    unknown = rank.isna().to_numpy()
    if unknown.any():
        values = ", ".join(repr(v) for v in pd.unique(events.loc[unknown, event_col])[:3])
        raise DataError(
            f"column {event_col!r} has {int(unknown.sum())} events that are not funnel events ({values}; "
            f"{describe_rows(events.index[unknown])}): the funnel reads "
            f"{', '.join(map(repr, STAGE_EVENTS.values()))}"
        )
    frame = events.reset_index(drop=True).assign(**{time_col: times.to_numpy()})
    frame["_rank"] = rank.to_numpy().astype(int)
    frame = frame.sort_values([time_col, "_rank"], kind="stable")
    grouped = frame.groupby(session_col, sort=False)
    others = [c for c in events.columns if c not in (session_col, customer_col, time_col, event_col)]
    sessions = grouped[others].first() if others else pd.DataFrame(index=grouped.size().index)
    sessions.insert(0, "start", grouped[time_col].min())
    sessions.insert(0, customer_col, grouped[customer_col].first())
    deepest = grouped["_rank"].max()
    for k, stage in enumerate(STAGE_EVENTS):
        sessions[stage] = (deepest >= k).to_numpy()
    sessions = sessions.reset_index().sort_values("start", kind="stable").reset_index(drop=True)
    if orders is None:
        return sessions

    require_frame(orders, "orders")
    require_text(order_date_col, "order_date_col")
    require_columns(orders, [customer_col, order_date_col], "orders")
    order_dates = to_datetime_column(orders, order_date_col)
    end = order_dates.max() if observation_end is None else to_date(observation_end, "observation_end")
    start_days = _days(sessions["start"])
    kept = start_days <= _days(end) - window_days
    if not kept.any():
        raise DataError(
            f"no session started {window_days} days before {end.date()}: shorten window_days "
            "or give orders that run longer"
        )
    sessions = sessions.loc[kept].reset_index(drop=True)
    customers = sessions[customer_col].to_numpy(dtype=object)
    known = sessions[customer_col].notna().to_numpy()
    again = _orders_within(customers, start_days[kept], orders, customer_col, order_date_col, window_days)
    sessions["retained_buyer"] = sessions["buyer"].to_numpy() & known & again
    return sessions


def funnel_table(
    sessions: pd.DataFrame,
    by: str | None = None,
    base: str = "previous",
    level: float = 0.95,
) -> pd.DataFrame:
    """Sessions reaching each funnel stage and each stage's conversion with a Wilson interval.

    For stage k with n_k sessions, the conversion is n_k / n_{k-1} (``base=
    "previous"``, the step from the stage before) or n_k / n_visitor
    (``base="visitor"``, the share of all visitors). The interval is the
    Wilson score interval of that binomial share, from
    ``scipy.stats.binomtest(n_k, n_base).proportion_ci(method="wilson")``
    (Wilson 1927).

    Parameters
    ----------
    sessions : DataFrame
        One row per session with a True/False (or 0/1) column per stage of
        :data:`FUNNEL_STAGES` present (at least visitor to buyer), as
        :func:`session_funnel` returns.
    by : str, optional
        A column to split the funnel by (``"channel"``, ``"campaign"``);
        missing values form the group ``"none"`` (sessions without a campaign).
    base : {"previous", "visitor"}
        The denominator of the conversion.
    level : float
        The level of the intervals, strictly between 0 and 1.

    Returns
    -------
    DataFrame
        Indexed by stage (or by group and stage), with ``sessions``,
        ``base_sessions``, ``conversion``, ``ci_low`` and ``ci_high``. The
        conversion and its interval are NaN for the visitor stage with
        ``base="previous"`` (it has no stage before it) and where the base
        has no sessions.

    Raises
    ------
    DataError
        ``sessions`` not a table or empty, a missing stage column, stage values
        other than True/False or 0/1, a session that reaches a stage without
        the one before it, a ``by`` column that is missing, a ``base`` other
        than the two, or a ``level`` not between 0 and 1.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA 22, 209-212.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"visitor": [True] * 4, "browser": [True, True, True, False],
    ...                   "shopper": [True, True, False, False], "buyer": [True, False, False, False]})
    >>> funnel_table(s)["sessions"].tolist()
    [4, 3, 2, 1]
    """
    require_frame(sessions, "sessions")
    base = require_choice(base, "base", ["previous", "visitor"])
    level = _z_level(level)
    stages = [s for s in FUNNEL_STAGES if s in sessions.columns]
    require_columns(sessions, list(FUNNEL_STAGES[:4]), "sessions")
    reached = np.column_stack([_flags(sessions, s) for s in stages])
    jumps = (reached[:, 1:] & ~reached[:, :-1]).any(axis=1)
    if jumps.any():
        raise DataError(
            f"sessions has {int(jumps.sum())} sessions that reach a stage without the one before it "
            f"({describe_rows(sessions.index[jumps])}): build the table with session_funnel"
        )
    if by is None:
        groups = np.zeros(len(sessions), dtype=int)
        names: list = [None]
    else:
        require_text(by, "by")
        require_columns(sessions, [by], "sessions")
        labels = sessions[by].astype(object).where(sessions[by].notna(), "none").astype(str).to_numpy()
        names = sorted(pd.unique(labels))
        groups = pd.Categorical(labels, categories=names).codes
    rows = []
    for g, name in enumerate(names):
        counts = reached[groups == g].sum(axis=0).astype(int)
        bases = np.r_[0, counts[:-1]] if base == "previous" else np.full(len(counts), counts[0])
        low, high = _wilson(counts, bases, level)
        conversion = np.where(bases > 0, counts / np.maximum(bases, 1), np.nan)
        if base == "previous":
            bases[0] = counts[0]  # the visitor stage has no base: its conversion stays NaN
            conversion[0] = low[0] = high[0] = np.nan
        for k, stage in enumerate(stages):
            rows.append(
                {
                    **({} if by is None else {by: name}),
                    "stage": stage,
                    "sessions": int(counts[k]),
                    "base_sessions": int(bases[k]),
                    "conversion": conversion[k],
                    "ci_low": low[k],
                    "ci_high": high[k],
                }
            )
    table = pd.DataFrame(rows)
    return table.set_index("stage" if by is None else [by, "stage"])


# --------------------------------------------------------------------------- what a yuan buys
def _cost_columns(table: pd.DataFrame, spend: np.ndarray, counts: Mapping[str, str]) -> None:
    """Add ``cost_per_<stage>`` = spend / count (NaN where the count is 0) in place."""
    for column, count_col in counts.items():
        n = table[count_col].to_numpy(dtype=float)
        table[column] = np.where(n > 0, spend / np.where(n > 0, n, 1.0), np.nan)


def acquisition_by_channel(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    spend: pd.DataFrame,
    signup_start: DateLike,
    signup_end: DateLike,
    window_days: int = 365,
    observation_end: DateLike | None = None,
    customer_col: str = "customer_id",
    signup_date_col: str = "signup_date",
    signup_channel_col: str = "signup_channel",
    order_date_col: str = "order_date",
    margin_col: str = "margin",
    month_col: str = "month",
    spend_channel_col: str = "channel",
    campaign_col: str = "campaign",
    spend_col: str = "spend",
) -> pd.DataFrame:
    """What each acquisition channel's spend bought: signups, buyers, retained buyers and margin.

    For the customers who signed up from ``signup_start`` to ``signup_end``
    and each channel c, with S_c the always-on spend of c (rows of ``spend``
    without a campaign) in the months of those signups:

        cost_per_signup = S_c / signups,  cost_per_buyer = S_c / buyers,
        cost_per_retained_buyer = S_c / retained_buyers,  margin_per_yuan = margin / S_c,

    where a buyer orders within ``window_days`` after signing up, a retained
    buyer orders on at least two different days in that window, and margin
    is their margin in that window. The fixed window puts every signup on
    the same footing, so it must end within the data.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``customer_col``, ``signup_date_col`` and
        ``signup_channel_col``.
    orders : DataFrame
        The order table with ``customer_col``, ``order_date_col`` and ``margin_col``.
    spend : DataFrame
        Marketing spend with ``month_col`` (first day of the month),
        ``spend_channel_col``, ``campaign_col`` (missing for always-on spend)
        and ``spend_col`` in CNY (the demo company's ``marketing_spend``).
    signup_start, signup_end : date-like
        The first and last signup day of the customers compared.
    window_days : int
        The window after signup, 1 to :data:`MAX_WINDOW_DAYS` days.
    observation_end : date-like, optional
        The last day of the order data (default: the last order day).

    Returns
    -------
    DataFrame
        Indexed by channel: ``spend``, ``signups``, ``buyers``,
        ``retained_buyers``, ``margin``, ``cost_per_signup``,
        ``cost_per_buyer``, ``cost_per_retained_buyer``, ``margin_per_yuan``.
        A cost is NaN for a channel without buyers (or retained buyers), and
        ``margin_per_yuan`` is NaN for a channel without spend.

    Raises
    ------
    DataError
        Tables that are not tables or have no rows, missing columns, repeated
        customer ids, dates that do not parse, negative spend, a signup period
        that is empty or whose window runs past ``observation_end``, or no
        customer who signed up in it.

    References
    ----------
    Blattberg, R. C., & Deighton, J. (1996). Manage marketing by the customer equity test.
    Harvard Business Review 74(4), 136-144 (acquisition spend against the value it buys).

    Examples
    --------
    >>> import pandas as pd
    >>> cu = pd.DataFrame({"customer_id": ["a", "b"], "signup_date": pd.to_datetime(["2024-01-05"] * 2),
    ...                    "signup_channel": ["email", "search"]})
    >>> od = pd.DataFrame({"customer_id": ["a", "a", "b"], "margin": [10.0, 20.0, 5.0],
    ...     "order_date": pd.to_datetime(["2024-01-06", "2024-02-01", "2024-03-01"])})
    >>> sp = pd.DataFrame({"month": pd.to_datetime(["2024-01-01"] * 2), "channel": ["email", "search"],
    ...                    "campaign": [None, None], "spend": [30.0, 150.0]})
    >>> acquisition_by_channel(cu, od, sp, "2024-01-01", "2024-01-31", window_days=90,
    ...                        observation_end="2024-06-30")[
    ...     ["signups", "retained_buyers", "cost_per_signup", "margin_per_yuan"]]
             signups  retained_buyers  cost_per_signup  margin_per_yuan
    channel
    email          1                1             30.0         1.000000
    search         1                0            150.0         0.033333
    """
    for frame, name in ((customers, "customers"), (orders, "orders"), (spend, "spend")):
        require_frame(frame, name)
    require_columns(customers, [customer_col, signup_date_col, signup_channel_col], "customers")
    require_columns(orders, [customer_col, order_date_col, margin_col], "orders")
    require_columns(spend, [month_col, spend_channel_col, campaign_col, spend_col], "spend")
    window_days = require_count(window_days, "window_days", low=1, high=MAX_WINDOW_DAYS)
    start = to_date(signup_start, "signup_start")
    stop = to_date(signup_end, "signup_end")
    if stop < start:
        raise DataError(f"signup_end ({stop.date()}) is before signup_start ({start.date()})")
    require_no_missing(customers, customer_col, "customer id")
    require_no_missing(customers, signup_channel_col, "signup channel")
    if customers[customer_col].duplicated().any():
        repeated = customers.index[customers[customer_col].duplicated()]
        raise DataError(f"customers repeats customer ids ({describe_rows(repeated)}): one row per customer")
    signup = to_datetime_column(customers, signup_date_col)
    order_dates = to_datetime_column(orders, order_date_col)
    margin = require_numeric(orders, margin_col).to_numpy()
    months = to_datetime_column(spend, month_col)
    amount = require_numeric(spend, spend_col).to_numpy()
    if (amount < 0).any():
        raise DataError(
            f"column {spend_col!r} has {int((amount < 0).sum())} negative amounts "
            f"({describe_rows(spend.index[amount < 0])}): spend is money paid, at least 0"
        )
    require_no_missing(spend, spend_channel_col, "channel")
    end = order_dates.max() if observation_end is None else to_date(observation_end, "observation_end")
    if _days(stop) + window_days > _days(end):
        raise DataError(
            f"the {window_days}-day window of the signups up to {stop.date()} runs past the end of the "
            f"data ({end.date()}): end the signup period earlier or shorten window_days"
        )
    chosen = ((signup >= start) & (signup <= stop)).to_numpy()
    if not chosen.any():
        raise DataError(f"no customer signed up between {start.date()} and {stop.date()}")
    cohort = pd.DataFrame(
        {
            "_c": customers[customer_col].to_numpy(dtype=object)[chosen],
            "_d": _days(signup[chosen]),
            "channel": customers[signup_channel_col].astype(str).to_numpy()[chosen],
        }
    )
    right = pd.DataFrame(
        {"_c": orders[customer_col].to_numpy(dtype=object), "_o": _days(order_dates), "_m": margin}
    )
    pairs = cohort.merge(right, on="_c")
    pairs = pairs[(pairs["_o"] >= pairs["_d"]) & (pairs["_o"] <= pairs["_d"] + window_days)]
    per = pairs.groupby("_c").agg(days=("_o", "nunique"), margin=("_m", "sum"))
    cohort = cohort.join(per, on="_c")
    cohort["days"] = cohort["days"].fillna(0)
    cohort["margin"] = cohort["margin"].fillna(0.0)
    table = cohort.groupby("channel").agg(
        signups=("_c", "size"),
        buyers=("days", lambda d: int((d >= 1).sum())),
        retained_buyers=("days", lambda d: int((d >= 2).sum())),
        margin=("margin", "sum"),
    )
    month_start = start.to_period("M").to_timestamp()
    always_on = (
        spend[campaign_col].isna().to_numpy()
        & (months >= month_start).to_numpy()
        & (months <= stop).to_numpy()
    )
    paid = (
        pd.Series(amount[always_on]).groupby(spend[spend_channel_col].astype(str).to_numpy()[always_on]).sum()
    )
    table.insert(0, "spend", paid.reindex(table.index, fill_value=0.0).to_numpy())
    table = table.astype({"signups": int, "buyers": int, "retained_buyers": int})
    cost = table["spend"].to_numpy(dtype=float)
    _cost_columns(
        table,
        cost,
        {
            "cost_per_signup": "signups",
            "cost_per_buyer": "buyers",
            "cost_per_retained_buyer": "retained_buyers",
        },
    )
    table["margin_per_yuan"] = np.where(cost > 0, table["margin"] / np.where(cost > 0, cost, 1.0), np.nan)
    table.index.name = "channel"
    return table


def campaign_returns(
    orders: pd.DataFrame,
    spend: pd.DataFrame,
    sessions: pd.DataFrame | None = None,
    window_days: int = 30,
    observation_end: DateLike | None = None,
    customer_col: str = "customer_id",
    order_date_col: str = "order_date",
    campaign_col: str = "campaign",
    margin_col: str = "margin",
    spend_col: str = "spend",
) -> pd.DataFrame:
    """What each campaign's spend bought: buying sessions, orders, margin and retained buyers.

    For a campaign with spend S (the rows of ``spend`` with its code),
    ``campaign_buyers`` customers placed an order carrying its code;
    ``retained_buyers`` of them ordered again on a later day within
    ``window_days`` after the campaign's last order day; margin is the
    margin of the campaign's orders:

        margin_per_yuan = margin / S,  cost_per_retained_buyer = S / retained_buyers.

    With ``sessions`` (from :func:`session_funnel`) the table adds the
    campaign's web sessions and buying sessions and ``cost_per_buying_session``.

    Parameters
    ----------
    orders : DataFrame
        The order table with ``customer_col``, ``order_date_col``,
        ``campaign_col`` (missing for orders without a campaign) and ``margin_col``.
    spend : DataFrame
        Marketing spend with ``campaign_col`` and ``spend_col`` (CNY); only
        campaigns with spend are reported.
    sessions : DataFrame, optional
        One row per web session with ``campaign_col`` and a True/False ``buyer`` column.
    window_days : int
        The follow-up window after the campaign, 1 to :data:`MAX_WINDOW_DAYS` days.
    observation_end : date-like, optional
        The last day of the order data (default: the last order day).

    Returns
    -------
    DataFrame
        Indexed by campaign: ``spend``, (``sessions``, ``buying_sessions``,
        ``cost_per_buying_session``), ``orders``, ``margin``,
        ``margin_per_yuan``, ``campaign_buyers``, ``retained_buyers``,
        ``cost_per_retained_buyer``. ``retained_buyers`` and its cost are NaN
        for a campaign whose window runs past ``observation_end`` (too recent
        to tell), a cost is NaN where its count is 0, ``margin_per_yuan`` is
        NaN for a campaign with zero spend.

    Raises
    ------
    DataError
        Tables that are not tables or have no rows, missing columns, dates
        that do not parse, margins or spend that are not numbers, negative
        spend, buyer values other than True/False, or no campaign with spend.

    Examples
    --------
    >>> import pandas as pd
    >>> od = pd.DataFrame({"customer_id": ["a", "a", "b"], "campaign": ["x", None, "x"],
    ...     "order_date": pd.to_datetime(["2024-01-02", "2024-01-20", "2024-01-03"]),
    ...     "margin": [30.0, 10.0, 20.0]})
    >>> sp = pd.DataFrame({"campaign": ["x"], "spend": [100.0]})
    >>> campaign_returns(od, sp, observation_end="2024-03-31")[["margin_per_yuan", "retained_buyers"]]
              margin_per_yuan  retained_buyers
    campaign
    x                     0.5              1.0
    """
    require_frame(orders, "orders")
    require_frame(spend, "spend")
    require_columns(orders, [customer_col, order_date_col, campaign_col, margin_col], "orders")
    require_columns(spend, [campaign_col, spend_col], "spend")
    window_days = require_count(window_days, "window_days", low=1, high=MAX_WINDOW_DAYS)
    order_dates = to_datetime_column(orders, order_date_col)
    margin = require_numeric(orders, margin_col).to_numpy()
    amount = require_numeric(spend, spend_col).to_numpy()
    if (amount < 0).any():
        raise DataError(
            f"column {spend_col!r} has {int((amount < 0).sum())} negative amounts "
            f"({describe_rows(spend.index[amount < 0])}): spend is money paid, at least 0"
        )
    require_no_missing(orders, customer_col, "customer id")
    end = order_dates.max() if observation_end is None else to_date(observation_end, "observation_end")
    coded = spend[campaign_col].notna().to_numpy()
    if not coded.any():
        raise DataError(f"spend has no row with a {campaign_col!r}: no campaign to report")
    paid = pd.Series(amount[coded]).groupby(spend[campaign_col].astype(str).to_numpy()[coded]).sum()
    table = pd.DataFrame({"spend": paid})
    table.index.name = "campaign"
    cost = table["spend"].to_numpy(dtype=float)
    if sessions is not None:
        require_frame(sessions, "sessions")
        require_columns(sessions, [campaign_col, "buyer"], "sessions")
        buyer = _flags(sessions, "buyer")
        names = sessions[campaign_col].astype(object).where(sessions[campaign_col].notna(), None)
        names = names.to_numpy(dtype=object)
        counted = pd.DataFrame({"c": names, "b": buyer}).dropna(subset=["c"]).astype({"c": str})
        per = counted.groupby("c")["b"].agg(["size", "sum"])
        table["sessions"] = per["size"].reindex(table.index, fill_value=0).astype(int).to_numpy()
        table["buying_sessions"] = per["sum"].reindex(table.index, fill_value=0).astype(int).to_numpy()
        _cost_columns(table, cost, {"cost_per_buying_session": "buying_sessions"})
    tagged = orders[campaign_col].notna().to_numpy()
    mine = pd.DataFrame(
        {
            "campaign": orders[campaign_col].astype(object).to_numpy()[tagged].astype(str),
            "_c": orders[customer_col].to_numpy(dtype=object)[tagged],
            "_d": _days(order_dates[tagged]),
            "_m": margin[tagged],
        }
    )
    mine = mine[mine["campaign"].isin(table.index)]
    per_campaign = mine.groupby("campaign").agg(orders=("_m", "size"), margin=("_m", "sum"))
    table["orders"] = per_campaign["orders"].reindex(table.index, fill_value=0).astype(int).to_numpy()
    table["margin"] = per_campaign["margin"].reindex(table.index, fill_value=0.0).to_numpy()
    table["margin_per_yuan"] = np.where(cost > 0, table["margin"] / np.where(cost > 0, cost, 1.0), np.nan)
    last_day = mine.groupby("campaign")["_d"].max()
    buyers = mine.drop_duplicates(["campaign", "_c"])[["campaign", "_c"]]
    buyers = buyers.assign(_last=last_day.reindex(buyers["campaign"]).to_numpy())
    again = _orders_within(
        buyers["_c"].to_numpy(dtype=object),
        buyers["_last"].to_numpy(),
        orders,
        customer_col,
        order_date_col,
        window_days,
    )
    buyers = buyers.assign(_again=again)
    counts = buyers.groupby("campaign")["_again"].agg(["size", "sum"])
    table["campaign_buyers"] = counts["size"].reindex(table.index, fill_value=0).astype(int).to_numpy()
    retained = counts["sum"].reindex(table.index, fill_value=0).astype(float).to_numpy()
    open_window = (last_day.reindex(table.index).to_numpy(dtype=float) + window_days) > _days(end)
    table["retained_buyers"] = np.where(open_window, np.nan, retained)
    _cost_columns(table, cost, {"cost_per_retained_buyer": "retained_buyers"})
    table.loc[open_window, "cost_per_retained_buyer"] = np.nan
    return table


# --------------------------------------------------------------------------- A/B comparison
@dataclass(frozen=True)
class ABComparison:
    """Two conversion rates, their difference (treatment - control) with an interval, and a test."""

    treatment: str
    control: str
    n_treatment: int
    n_control: int
    rate_treatment: float
    rate_control: float
    difference: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    level: float


def compare_conversion(
    table: pd.DataFrame,
    group_col: str,
    outcome_col: str,
    treatment: str,
    control: str,
    level: float = 0.95,
) -> ABComparison:
    """Compare the conversion of two groups: difference, interval and test (an A/B comparison).

    With x_t of n_t converting in the treatment group and x_c of n_c in the
    control group, the difference is x_t/n_t - x_c/n_c. Its interval is
    Newcombe's hybrid score interval (Newcombe 1998, method 10: built from the
    two Wilson intervals, it stays sensible for small groups and rates near
    0 or 1) and the test is the score test of "no difference" (Miettinen &
    Nurminen 1985), both from statsmodels (``confint_proportions_2indep(...,
    method="newcomb")`` and ``test_proportions_2indep(..., method="score")``).

    Parameters
    ----------
    table : DataFrame
        One row per unit (session, customer) with ``group_col`` and ``outcome_col``
        (True/False or 0/1); rows of other groups (or none) are left out.
    group_col, outcome_col : str
        Column names.
    treatment, control : str
        The two values of ``group_col`` to compare.
    level : float
        The level of the interval, strictly between 0 and 1.

    Returns
    -------
    ABComparison
        Counts, rates, ``difference`` with ``ci_low`` and ``ci_high``, the
        ``statistic`` and two-sided ``p_value`` of the score test. Where both
        groups have the same rate of 0 or 1 the test is undefined: the
        statistic and p-value are NaN (the interval is still given).

    Raises
    ------
    DataError
        ``table`` not a table or empty, missing columns, outcomes other than True/False or 0/1, a ``treatment`` or ``control``
        with no row, the same value for both, or a ``level`` not between 0 and 1.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions. Statistics in Medicine 17(8), 873-890. Miettinen, O., & Nurminen, M.
    (1985). Comparative analysis of two rates. Statistics in Medicine 4(2), 213-226. Kohavi, R., Tang, D., & Xu, Y. (2020). Trustworthy online
    controlled experiments. Cambridge University Press, ch. 17.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group": ["a"] * 200 + ["b"] * 200,
    ...                   "bought": [1] * 40 + [0] * 160 + [1] * 20 + [0] * 180})
    >>> r = compare_conversion(t, "group", "bought", "a", "b")
    >>> round(r.difference, 2), r.ci_low > 0, r.p_value < 0.05
    (0.1, True, True)
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    require_frame(table, "table")
    require_text(group_col, "group_col")
    require_text(outcome_col, "outcome_col")
    require_columns(table, [group_col, outcome_col], "table")
    require_text(treatment, "treatment")
    require_text(control, "control")
    level = _z_level(level)
    if treatment == control:
        raise DataError(f"treatment and control are both {treatment!r}: compare two different groups")
    outcome = _flags(table, outcome_col)
    raw = table[group_col]
    groups = raw.astype(str).to_numpy(dtype=object)
    groups[raw.isna().to_numpy()] = None  # a row without a group is in neither
    counts = {}
    for name in (treatment, control):
        mask = groups == name
        if not mask.any():
            have = ", ".join(repr(v) for v in sorted(set(groups) - {None})[:8])
            raise DataError(f"column {group_col!r} has no row {name!r}; its groups are {have}")
        counts[name] = (int(outcome[mask].sum()), int(mask.sum()))
    (xt, nt), (xc, nc) = counts[treatment], counts[control]
    rt, rc = xt / nt, xc / nc
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # statsmodels' own divisions by zero at rates of 0 or 1
        low, high = confint_proportions_2indep(
            xt, nt, xc, nc, method="newcomb", compare="diff", alpha=1 - level
        )
        if rt == rc and rt in (0.0, 1.0):
            statistic = p_value = math.nan
        else:
            result = test_proportions_2indep(xt, nt, xc, nc, method="score", compare="diff")
            statistic, p_value = float(result.statistic), float(result.pvalue)
    return ABComparison(
        treatment=treatment,
        control=control,
        n_treatment=nt,
        n_control=nc,
        rate_treatment=rt,
        rate_control=rc,
        difference=rt - rc,
        ci_low=float(low),
        ci_high=float(high),
        statistic=statistic,
        p_value=p_value,
        level=level,
    )


def sample_size(baseline: float, lift: float, power: float = 0.8, alpha: float = 0.05) -> int:
    """Sessions (or customers) needed per group to detect a lift in conversion.

    The smallest n per group (two equal groups) for which a two-sided test
    at level ``alpha`` of "no difference" detects a true difference ``lift``
    from the ``baseline`` rate with probability ``power``, from statsmodels'
    ``samplesize_proportions_2indep_onetail`` (normal approximation; for
    small rates roughly n = (z_(1-alpha/2) + z_power)^2 (p_1 q_1 + p_2 q_2) / lift^2).

    Parameters
    ----------
    baseline : float
        The conversion rate of the control group, strictly between 0 and 1.
    lift : float
        The difference to detect (0.02 is two points), not 0, with
        ``baseline + lift`` strictly between 0 and 1.
    power : float
        The chance to detect it, strictly between 0 and 1 (0.8 is usual).
    alpha : float
        The level of the test, strictly between 0 and 1.

    Returns
    -------
    int
        The sample size per group, rounded up.

    Raises
    ------
    DataError
        A rate, power or alpha outside (0, 1), a zero lift, a ``baseline + lift``
        outside (0, 1), or a size above :data:`MAX_SAMPLE_SIZE` (a lift too small to test).

    References
    ----------
    Fleiss, J. L., Levin, B., & Paik, M. C. (2003). Statistical methods for rates and
    proportions, 3rd ed., Wiley, section 4.2.

    Examples
    --------
    >>> sample_size(0.10, 0.02)
    3841
    """
    from statsmodels.stats.proportion import samplesize_proportions_2indep_onetail

    baseline = require_number(baseline, "baseline", low=0, high=1, low_open=True, high_open=True, rate=True)
    lift = require_number(lift, "lift", low=-1, high=1, low_open=True, high_open=True, rate=True)
    power = require_number(power, "power", low=0, high=1, low_open=True, high_open=True, rate=True)
    alpha = require_number(alpha, "alpha", low=0, high=1, low_open=True, high_open=True, rate=True)
    if lift == 0:
        raise DataError("lift is 0: no sample size detects a difference of nothing")
    if not 0 < baseline + lift < 1:
        raise DataError(f"baseline + lift = {baseline + lift:g} must be a rate strictly between 0 and 1")
    n = samplesize_proportions_2indep_onetail(lift, baseline, power, ratio=1, alpha=alpha)
    n = float(np.asarray(n))
    if not np.isfinite(n) or n > MAX_SAMPLE_SIZE:
        raise DataError(
            f"detecting a lift of {lift:g} from {baseline:g} needs more than {MAX_SAMPLE_SIZE:,} per group: "
            "choose a larger lift"
        )
    return max(math.ceil(n - 1e-9), 2)


def power_table(baseline: float, lifts: ArrayLike, sizes: ArrayLike, alpha: float = 0.05) -> pd.DataFrame:
    """The power of a two-sided test of two conversion rates, for each lift and sample size.

    Power is the chance that the test at level ``alpha`` detects a true
    difference ``lift`` from ``baseline`` with n per group, from statsmodels'
    ``power_proportions_2indep`` (normal approximation).

    Parameters
    ----------
    baseline : float
        The control rate, strictly between 0 and 1.
    lifts : list or array
        Differences to detect, each with ``baseline + lift`` strictly between 0 and 1.
    sizes : list or array
        Whole numbers of units per group, 2 to :data:`MAX_SAMPLE_SIZE`.
    alpha : float
        The level of the test, strictly between 0 and 1.

    Returns
    -------
    DataFrame
        Rows ``lift``, columns ``n_per_group``: the power, from 0 to 1.

    Raises
    ------
    DataError
        An empty list, values that are not numbers, rates outside (0, 1),
        sizes that are not whole numbers from 2 to :data:`MAX_SAMPLE_SIZE`, or
        an ``alpha`` outside (0, 1).

    Examples
    --------
    >>> power_table(0.10, [0.02, 0.05], [1000, 4000]).round(2)
    n_per_group  1000  4000
    lift
    0.02         0.30  0.82
    0.05         0.92  1.00
    """
    from statsmodels.stats.proportion import power_proportions_2indep

    baseline = require_number(baseline, "baseline", low=0, high=1, low_open=True, high_open=True, rate=True)
    alpha = require_number(alpha, "alpha", low=0, high=1, low_open=True, high_open=True, rate=True)
    lift = to_numbers(lifts, "lifts", low=-baseline, high=1 - baseline, max_size=50)
    size = to_numbers(sizes, "sizes", low=2, high=MAX_SAMPLE_SIZE, integer=True, max_size=50)
    if ((baseline + lift <= 0) | (baseline + lift >= 1)).any():
        raise DataError("every baseline + lift must be a rate strictly between 0 and 1")
    grid = np.empty((len(lift), len(size)))
    for i, d in enumerate(lift):
        for j, n in enumerate(size):
            if d == 0:
                grid[i, j] = alpha
            else:
                result = power_proportions_2indep(d, baseline, n, ratio=1, alpha=alpha)
                grid[i, j] = float(result.power)
    table = pd.DataFrame(grid, index=pd.Index(lift, name="lift"), columns=pd.Index(size.astype(int)))
    table.columns.name = "n_per_group"
    return table


# --------------------------------------------------------------------------- figures
def _stage_table(table: pd.DataFrame) -> pd.DataFrame:
    require_frame(table, "table")
    require_columns(table, ["sessions", "conversion", "ci_low", "ci_high"], "table")
    if isinstance(table.index, pd.MultiIndex):
        raise DataError("table is split by group: pass the rows of one group, e.g. table.loc['email']")
    unknown = [s for s in table.index if s not in FUNNEL_STAGES]
    if unknown:
        raise DataError(f"table has rows that are not funnel stages ({unknown[:3]}): pass a funnel_table")
    return table


def plot_funnel(
    table: pd.DataFrame,
    *,
    level: float = 0.95,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The funnel: sessions reaching each stage as bars, each with its step conversion and interval.

    ``table`` is one group's :func:`funnel_table` (``base="previous"``);
    ``level`` is the level its intervals were computed at, named in the legend.
    Bars are centred, as a funnel; the note beside each bar gives the
    sessions and the conversion from the stage before, with its interval.

    Raises
    ------
    DataError
        ``table`` not a table, empty, split by group, with rows that are not
        funnel stages, or without the columns ``sessions``, ``conversion``,
        ``ci_low`` and ``ci_high``; sessions that are not numbers; or a
        ``level`` not between 0 and 1.
    """
    from matplotlib.lines import Line2D

    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure

    table = _stage_table(table)
    level = _z_level(level)
    count = require_numeric(table, "sessions").to_numpy()
    given = table["conversion"].notna().to_numpy()  # NaN for the visitor stage, which has no step
    conversion, low, high = (np.full(len(table), np.nan) for _ in range(3))
    for values, column in ((conversion, "conversion"), (low, "ci_low"), (high, "ci_high")):
        values[given] = require_numeric(table.loc[given], column).to_numpy()
    if ax is None:
        _, ax = new_figure()
    pos = np.arange(len(table))[::-1]
    widest = max(float(count.max()), 1.0)
    bars = ax.barh(pos, count, left=-count / 2, color=PALETTE[0], height=0.7)
    for y, n, c, lo, hi in zip(pos, count, conversion, low, high, strict=True):
        note = f"{n:,.0f}"
        if np.isfinite(c):
            note += figure_text(f"   {100 * c:.1f} % [{100 * lo:.1f}–{100 * hi:.1f}]")
        ax.text(widest * 0.52, y, note, va="center", fontsize=10)
    ax.set_yticks(pos, [_label(s) for s in table.index])
    ax.set_xlim(-widest * 0.55, widest * 1.25)
    ax.set_xticks([])
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    ax.spines["left"].set_visible(False)
    note = Line2D([], [], linestyle="none")  # the notes beside the bars: a legend entry without a mark
    legend_note = figure_text(
        f"{term('conversion_from_previous_stage')} [{100 * level:g} % {term('wilson_interval')}]"
    )
    ax.legend(
        handles=[bars, note],
        labels=[term("sessions_reaching_stage"), legend_note],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        handlelength=1.2,
    )
    return finish(ax, title, source)


def plot_conversion(
    table: pd.DataFrame,
    *,
    stage: str = "buyer",
    level: float = 0.95,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The conversion to one stage in each group, with its Wilson interval, highest first.

    ``table`` is a :func:`funnel_table` split by a group (``by=...``), with
    either base; the y axis says which (the label names the stage and the
    base), runs from 0 and is in %. ``level`` is the level of the intervals.

    Raises
    ------
    DataError
        ``table`` not a table split by group, without the columns
        ``conversion``, ``ci_low``, ``ci_high`` and ``base_sessions``, a
        ``stage`` that is not one of its stages, conversions that are missing
        or outside 0-1, or a ``level`` not between 0 and 1.
    """
    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure

    require_frame(table, "table")
    require_columns(table, ["conversion", "ci_low", "ci_high", "base_sessions", "sessions"], "table")
    if not isinstance(table.index, pd.MultiIndex) or table.index.nlevels != 2:
        raise DataError("table must be split by group: build it with funnel_table(sessions, by=...)")
    stage = require_choice(stage, "stage", list(FUNNEL_STAGES[1:]))
    level = _z_level(level)
    stages = table.index.get_level_values(1)
    if stage not in set(stages):
        raise DataError(f"table has no stage {stage!r}; its stages are {sorted(set(stages))}")
    rows = table[stages == stage]
    rate, low, high = (
        to_numbers(rows[c].tolist(), f"column {c!r}", low=0, high=1)
        for c in ("conversion", "ci_low", "ci_high")
    )
    visitors = table[stages == "visitor"]["sessions"].to_numpy()
    from_visitor = bool(np.array_equal(rows["base_sessions"].to_numpy(), visitors))
    order = np.argsort(-rate, kind="stable")
    names = rows.index.get_level_values(0).to_numpy()[order]
    rate, low, high = 100 * rate[order], 100 * low[order], 100 * high[order]
    if ax is None:
        _, ax = new_figure()
    pos = np.arange(len(rate))
    ax.errorbar(
        pos,
        rate,
        yerr=[np.clip(rate - low, 0, None), np.clip(high - rate, 0, None)],
        fmt="none",
        ecolor=PALETTE[0],
        capsize=4,
        label=figure_text(f"{100 * level:g} % {term('wilson_interval')}"),
    )
    ax.plot(pos, rate, "o", color=PALETTE[0], markersize=7, label=term("observed_conversion"))
    ax.set_ylim(0, max(float(high.max()) * 1.15, 1.0))
    ax.set_xlim(-0.5, len(rate) - 0.5)
    ax.set_xticks(pos, [_label(n) for n in names], rotation=20 if len(pos) > 6 else 0)
    base_key = "conversion_from_visitor" if from_visitor else "conversion_from_previous_stage"
    ax.set_ylabel(figure_text(f"{term(stage)}: {term(base_key)} (%)"))
    ax.legend(loc="upper right")
    return finish(ax, title, source)


def plot_cost_per_stage(
    table: pd.DataFrame,
    *,
    columns: tuple[str, ...] = ("cost_per_signup", "cost_per_buyer", "cost_per_retained_buyer"),
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Grouped bars of what each channel (or campaign) pays per signup, buyer and retained buyer.

    ``table`` is :func:`acquisition_by_channel` (or :func:`campaign_returns`);
    ``columns`` are its cost columns (glossary keys), drawn side by side in CNY
    from 0, channels in order of the last column. A missing cost is not drawn.

    Raises
    ------
    DataError
        ``table`` not a table or empty, ``columns`` empty or not columns of
        ``table``, or costs that are not numbers, infinite or negative.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure, wrap_label

    require_frame(table, "table")
    if isinstance(columns, str) or not isinstance(columns, (tuple, list)) or not columns:
        raise DataError(f"columns must be a non-empty list of cost columns, got {columns!r}")
    for column in columns:
        require_text(column, "columns")
    require_columns(table, list(columns), "table")
    values = {}
    for column in columns:
        given = table[column].notna().to_numpy()  # a cost is missing where nobody was bought
        v = np.full(len(table), np.nan)
        v[given] = require_numeric(table.loc[given], column).to_numpy()
        if (v[given] < 0).any():
            raise DataError(f"column {column!r} has negative costs: costs are at least 0")
        values[column] = v
    order = np.argsort(np.nan_to_num(values[columns[-1]], nan=np.inf), kind="stable")
    if ax is None:
        _, ax = new_figure()
    pos = np.arange(len(table))
    width = 0.8 / len(columns)
    for k, column in enumerate(columns):
        v = values[column][order]
        ax.bar(
            pos + (k - (len(columns) - 1) / 2) * width,
            np.nan_to_num(v),
            width,
            color=PALETTE[k % 8],
            label=term(column),
        )
    ax.set_xticks(pos, [wrap_label(_label(str(n)), 12) for n in table.index.to_numpy()[order]])
    ax.set_ylabel(term("cost_per_customer_cny"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    return finish(ax, title, source)
