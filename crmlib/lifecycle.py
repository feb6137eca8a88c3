"""The customer lifecycle (客户生命周期) read from data.

Three views of the same question, *where is each relationship in its life?*

* **Stages.** Every customer gets one of the five lifecycle stages
  (awareness, exploration, familiarity, loyalty, separation) and one of the
  lifecycle-based segments (suspect, prospect, actual, lost customer) by
  transparent rules on her order and interaction history
  (:func:`lifecycle_stages`, rules in :class:`StageRules`).
* **Cohorts.** Customers grouped by the month of their first purchase and
  followed month by month: the cohort retention table
  (:func:`cohort_table`, :func:`plot_cohort_heatmap`).
* **Survival.** How long relationships last, with the relationships still
  running treated as censored: Kaplan-Meier curves, by group
  (:func:`relationship_durations`, :func:`survival_table`,
  :func:`compare_survival`, :func:`plot_survival`).

The contractual counterpart, projecting retention with the sBG model, is in
:mod:`crmlib.retention`.
"""

from __future__ import annotations

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
    require_flag,
    require_frame,
    require_no_missing,
    require_number,
    require_numeric,
    require_unique_index,
    to_date,
    to_datetime_column,
    to_numbers,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .validation import DateLike

__all__ = [
    "MAX_DAYS",
    "STAGES",
    "LIFECYCLE_SEGMENTS",
    "StageRules",
    "lifecycle_stages",
    "stage_summary",
    "new_and_returning",
    "VISIT_STAGES",
    "visit_stages",
    "cohort_table",
    "relationship_durations",
    "survival_table",
    "compare_survival",
    "plot_relationship_curve",
    "plot_stage_profile",
    "plot_cohort_heatmap",
    "plot_survival",
]

#: The longest number of days a threshold may be (the :class:`StageRules`, the
#: ``lost_after_days`` of :func:`relationship_durations`): 100 years, far above any use.
MAX_DAYS = 36_500
#: The five lifecycle stages, in order (glossary keys ``stage_<name>``).
STAGES = ("awareness", "exploration", "familiarity", "loyalty", "separation")
#: The lifecycle-based segments, in order (glossary keys of the same name).
LIFECYCLE_SEGMENTS = ("suspect", "prospect", "actual_customer", "lost_customer")
#: Online visit stages (glossary keys) and the web event that marks each.
VISIT_STAGES = {"visitor": "visit", "browser": "browse", "shopper": "add_to_cart", "buyer": "purchase"}


@dataclass(frozen=True)
class StageRules:
    """The thresholds of :func:`lifecycle_stages`, in days and orders.

    Attributes
    ----------
    separation_days : int
        A buyer with no order for more than this many days is in the
        separation stage (default 180).
    lost_days : int
        ... and with no order for more than this many days, a lost customer
        (default 365).
    loyalty_orders : int
        Orders in the last 365 days needed for the loyalty stage (default 4).
    loyalty_tenure_days : int
        Days since the first order needed for the loyalty stage (default 365).
    engagement_days : int
        A non-buyer with an interaction (web visit, ticket) in this many days
        is a prospect, otherwise a suspect (default 180).

    Raises
    ------
    DataError
        A threshold that is not a whole number of at least 1, a number of days
        above :data:`MAX_DAYS` (100 years), or ``lost_days`` shorter than
        ``separation_days``.
    """

    separation_days: int = 180
    lost_days: int = 365
    loyalty_orders: int = 4
    loyalty_tenure_days: int = 365
    engagement_days: int = 180

    def __post_init__(self) -> None:
        for name in (
            "separation_days",
            "lost_days",
            "loyalty_orders",
            "loyalty_tenure_days",
            "engagement_days",
        ):
            if name == "loyalty_orders":
                value = require_count(getattr(self, name), f"StageRules.{name}", low=1)
            else:
                value = _days(getattr(self, name), f"StageRules.{name}")
            object.__setattr__(self, name, value)  # a whole number, as an int
        if self.lost_days < self.separation_days:
            raise DataError(
                f"StageRules.lost_days ({self.lost_days}) is shorter than separation_days "
                f"({self.separation_days}): a customer separates before she is lost"
            )


def _days(value: object, name: str) -> int:
    """A number of days given as an argument: a whole number from 1 to MAX_DAYS."""
    days = require_count(value, name, low=1)
    require_number(days, name, high=MAX_DAYS)
    return days


def _as_of(value: object, fallback: pd.Timestamp, name: str = "as_of") -> pd.Timestamp:
    return fallback if value is None else to_date(value, name)


def _require_ids(data: pd.DataFrame, column: str, name: str) -> None:
    missing = data[column].isna()
    if missing.any():
        raise DataError(
            f"column {column!r} of {name} has {int(missing.sum())} missing customer ids "
            f"({describe_rows(data.index[missing])}): drop those rows or fill the ids"
        )


def _dated(data: pd.DataFrame, columns: list[str], date_col: str, name: str) -> pd.DataFrame:
    """The columns of a table of dated events, checked, on a fresh 0..n-1 index (rows are
    never matched by label, so any index will do)."""
    require_frame(data, name)
    require_columns(data, columns, name)
    clean = data[list(dict.fromkeys(columns))].copy()
    _require_ids(clean, columns[0], name)
    clean[date_col] = to_datetime_column(clean, date_col)
    return clean.reset_index(drop=True)


def lifecycle_stages(
    orders: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    interactions: pd.DataFrame | None = None,
    as_of: DateLike | None = None,
    rules: StageRules = StageRules(),
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    value_col: str | None = None,
    interaction_date_col: str = "timestamp",
) -> pd.DataFrame:
    """Assign every customer a lifecycle stage and a lifecycle-based segment.

    The rules, applied on the ``as_of`` date in this order (thresholds in
    :class:`StageRules`, defaults in brackets):

    ========================  =====================================================
    stage                     rule
    ========================  =====================================================
    awareness (认知)          no order yet
    separation (分离)         last order more than ``separation_days`` ago [180]
    exploration (探索)        exactly one order, recent
    loyalty (忠诚)            >= ``loyalty_orders`` orders in the last 365 days [4]
                              and first order >= ``loyalty_tenure_days`` ago [365]
    familiarity (熟悉)        every other recent repeat buyer
    ========================  =====================================================

    Segments: a non-buyer is a *prospect* if she interacted (web session,
    ticket...) in the last ``engagement_days`` [180], else a *suspect*; a
    buyer is *lost* when her last order is more than ``lost_days`` old [365],
    else an *actual customer*.

    Parameters
    ----------
    orders : DataFrame
        One row per order, with ``customer_col`` and ``date_col``.
    customers : DataFrame, optional
        Every known account (``customer_col``), so that customers without an
        order appear (in the awareness stage).
    interactions : DataFrame, optional
        Contacts other than orders: ``customer_col`` and
        ``interaction_date_col``; rows without a customer id are ignored
        (anonymous visitors).
    as_of : date, optional
        The day the stages describe; default the last order date. Orders and
        interactions after it are ignored.
    rules : StageRules
    value_col : str, optional
        A numeric column of ``orders`` (e.g. ``"revenue"``) to total over the
        last 365 days and over the whole history.

    Returns
    -------
    DataFrame
        One row per customer, indexed by ``customer_col``: ``orders``,
        ``orders_last_year``, ``first_order``, ``last_order``,
        ``days_since_last``, ``tenure_days``, ``stage`` and ``lifecycle_segment``
        (ordered categoricals), and ``value_last_year`` and ``value_total``
        when ``value_col`` is given. A customer without an order by ``as_of``
        (one known from ``customers`` only) has no first or last order:
        ``first_order`` and ``last_order`` are NaT and ``days_since_last`` and
        ``tenure_days`` are NaN for her (her ``orders`` and values are 0).

    Raises
    ------
    DataError
        A table that is not a DataFrame or is empty, missing columns, missing
        customer ids, unparseable or time-zone-aware dates, a non-numeric
        ``value_col``, ``rules`` that are not a :class:`StageRules`, or no
        order on or before ``as_of`` when no ``customers`` are given.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "b", "c"],
    ...     "order_date": pd.to_datetime(["2024-12-01", "2023-01-05", "2024-11-30", "2024-01-01"])})
    >>> lifecycle_stages(orders, as_of="2024-12-31")[["orders", "stage", "lifecycle_segment"]]
                 orders        stage lifecycle_segment
    customer_id
    a                 1  exploration  actual_customer
    b                 2  familiarity  actual_customer
    c                 1   separation  actual_customer
    """
    if not isinstance(rules, StageRules):
        raise DataError(f"rules must be a crmlib.lifecycle.StageRules, got {type(rules).__name__}")
    columns = [customer_col, date_col] + ([value_col] if value_col is not None else [])
    clean = _dated(orders, columns, date_col, "orders")
    if value_col is not None:
        clean[value_col] = require_numeric(clean, value_col)
    as_of = _as_of(as_of, clean[date_col].max())
    known = None
    if customers is not None:
        require_frame(customers, "customers")
        require_columns(customers, [customer_col], "customers")
        _require_ids(customers, customer_col, "customers")
        known = pd.Index(customers[customer_col].unique())
    contacts = None
    if interactions is not None:
        require_frame(interactions, "interactions")
        require_columns(interactions, [customer_col, interaction_date_col], "interactions")
        contacts = interactions.loc[interactions[customer_col].notna(), [customer_col, interaction_date_col]]
        contacts = contacts.assign(
            **{interaction_date_col: to_datetime_column(contacts, interaction_date_col)}
        )
    clean = clean[clean[date_col] <= as_of]
    if clean.empty and known is None:
        raise DataError(
            f"orders has no order on or before as_of = {as_of.date()}: there is no customer to stage; "
            "use a later as_of or pass the customers table"
        )

    grouped = clean.groupby(customer_col)
    table = pd.DataFrame(
        {
            "orders": grouped.size(),
            "first_order": grouped[date_col].min(),
            "last_order": grouped[date_col].max(),
        }
    )
    last_year = clean[date_col] > as_of - pd.Timedelta(days=365)
    table["orders_last_year"] = clean[last_year].groupby(customer_col).size()
    if value_col is not None:
        table["value_last_year"] = clean[last_year].groupby(customer_col)[value_col].sum()
        table["value_total"] = grouped[value_col].sum()

    if known is not None:
        table = table.reindex(table.index.union(known))
    table.index.name = customer_col
    table["orders"] = table["orders"].fillna(0).astype(int)
    table["orders_last_year"] = table["orders_last_year"].fillna(0).astype(int)
    if value_col is not None:
        table[["value_last_year", "value_total"]] = table[["value_last_year", "value_total"]].fillna(0.0)
    table["days_since_last"] = (as_of - table["last_order"]).dt.days
    table["tenure_days"] = (as_of - table["first_order"]).dt.days

    engaged = pd.Series(False, index=table.index)
    if contacts is not None:
        recent = contacts[
            (contacts[interaction_date_col] <= as_of)
            & (contacts[interaction_date_col] > as_of - pd.Timedelta(days=rules.engagement_days))
        ]
        engaged = table.index.isin(recent[customer_col].unique())

    buyer = table["orders"] > 0
    since = table["days_since_last"]
    stage = np.select(
        [
            ~buyer,
            since > rules.separation_days,
            table["orders"] == 1,
            (table["orders_last_year"] >= rules.loyalty_orders)
            & (table["tenure_days"] >= rules.loyalty_tenure_days),
        ],
        ["awareness", "separation", "exploration", "loyalty"],
        default="familiarity",
    )
    segment = np.select(
        [~buyer & engaged, ~buyer, since > rules.lost_days],
        ["prospect", "suspect", "lost_customer"],
        default="actual_customer",
    )
    table["stage"] = pd.Categorical(stage, categories=STAGES, ordered=True)
    table["lifecycle_segment"] = pd.Categorical(segment, categories=LIFECYCLE_SEGMENTS, ordered=True)
    order = [
        "orders",
        "orders_last_year",
        "first_order",
        "last_order",
        "days_since_last",
        "tenure_days",
        "stage",
        "lifecycle_segment",
    ]
    return table[order + (["value_last_year", "value_total"] if value_col is not None else [])]


def stage_summary(stages: pd.DataFrame, by: str = "stage", values: list[str] | None = None) -> pd.DataFrame:
    """Customers per stage (or lifecycle segment), their share, and the mean of ``values`` columns.

    Parameters
    ----------
    stages : DataFrame
        Output of :func:`lifecycle_stages` (or any table with a ``by`` column).
    by : str
        ``"stage"`` or ``"lifecycle_segment"``.
    values : list of str, optional
        Numeric columns to average per group (e.g. ``["value_last_year"]``).

    Returns
    -------
    DataFrame
        Indexed by ``by`` in lifecycle order: ``customers``, ``share`` and
        ``mean_<column>`` for each of ``values``. A stage without customers
        has a mean of NaN: there is nobody to average.

    Raises
    ------
    DataError
        ``stages`` not a non-empty DataFrame, a missing column, missing
        values in ``by`` (those customers would drop out of the counts and
        the shares), or a ``values`` column that is not numeric or has
        missing values.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "b"],
    ...     "order_date": pd.to_datetime(["2024-12-01", "2024-06-01", "2024-11-30"])})
    >>> stage_summary(lifecycle_stages(orders, as_of="2024-12-31"), values=["orders"])
                 customers  share  mean_orders
    stage
    awareness            0    0.0          NaN
    exploration          1    0.5          1.0
    familiarity          1    0.5          2.0
    loyalty              0    0.0          NaN
    separation           0    0.0          NaN
    """
    require_frame(stages, "stages")
    if values is None:
        values = []
    elif isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise DataError(f"values must be a list of column names such as ['orders'], got {values!r}")
    values = list(values)
    require_columns(stages, [by, *values], "stages")
    require_no_missing(stages, by, f"{by} value")
    numbers = {column: require_numeric(stages, column) for column in values}
    table = stages.groupby(by, observed=False).size().rename("customers").to_frame()
    table["share"] = table["customers"] / table["customers"].sum()
    for column, series in numbers.items():
        table[f"mean_{column}"] = series.groupby(stages[by], observed=False).mean()
    return table


def new_and_returning(
    orders: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    value_col: str | None = None,
    freq: str = "Y",
) -> pd.DataFrame:
    """Buyers of each period split into new ones (first purchase in the period) and returning ones.

    The two halves of a customer base are the targets of the two relationship
    strategies: acquisition (获取客户战略) wins the new ones, retention
    (维系客户战略) keeps the returning ones.

    Parameters
    ----------
    orders : DataFrame
        One row per order.
    value_col : str, optional
        A numeric column (e.g. ``"revenue"``) to total for each half.
    freq : {"Y", "Q", "M"}
        Length of a period.

    Returns
    -------
    DataFrame
        Indexed by ``period``: ``new`` and ``returning`` (numbers of buyers),
        and ``new_value`` and ``returning_value`` when ``value_col`` is given.
        The first period has no returning buyers by construction: nobody's
        earlier purchases are in the data.

    Raises
    ------
    DataError
        ``orders`` not a non-empty DataFrame, missing columns, missing
        customer ids, unparseable or time-zone-aware dates, a non-numeric
        ``value_col``, or a ``freq`` other than "Y", "Q" and "M".

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2],
    ...     "order_date": pd.to_datetime(["2023-05-01", "2024-02-01", "2024-03-01"])})
    >>> new_and_returning(orders)
            new  returning
    period
    2023      1          0
    2024      1          1
    """
    require_choice(freq, "freq", ["Y", "Q", "M"])
    columns = [customer_col, date_col] + ([value_col] if value_col is not None else [])
    clean = _dated(orders, columns, date_col, "orders")
    if value_col is not None:
        clean[value_col] = require_numeric(clean, value_col)
    period = clean[date_col].dt.to_period(freq)
    first = period.groupby(clean[customer_col]).transform("min")
    kind = np.where(period == first, "new", "returning")
    frame = pd.DataFrame({"period": period, "kind": kind, "customer": clean[customer_col]})
    buyers = frame.drop_duplicates().groupby(["period", "kind"]).size().unstack("kind", fill_value=0)
    table = buyers.reindex(columns=["new", "returning"], fill_value=0)
    if value_col is not None:
        value = (
            clean[value_col]
            .groupby([period.rename("period"), pd.Series(kind, index=clean.index, name="kind")])
            .sum()
        )
        value = value.unstack("kind", fill_value=0.0).reindex(columns=["new", "returning"], fill_value=0.0)
        table[["new_value", "returning_value"]] = value.to_numpy()
    table.columns.name = None
    return table


def visit_stages(
    events: pd.DataFrame,
    session_col: str = "session_id",
    event_col: str = "event",
    stages: dict | None = None,
) -> pd.DataFrame:
    """Sessions reaching each online visit stage: visitor, browser, shopper, buyer.

    A session counts for a stage when it holds the stage's event
    (:data:`VISIT_STAGES`: visit, browse, add_to_cart, purchase).

    Parameters
    ----------
    events : DataFrame
        One row per web event, with ``session_col`` and ``event_col``.
    stages : dict, optional
        Stage name -> the event that marks it, in funnel order (default
        :data:`VISIT_STAGES`); the first stage is the base of the shares.

    Returns
    -------
    DataFrame
        Indexed by stage: ``sessions`` and ``share_of_visitors``.

    Raises
    ------
    DataError
        ``events`` not a non-empty DataFrame, missing columns, missing session
        ids (those sessions could not be counted), ``stages`` not a non-empty
        dict, or an event of ``stages`` that never occurs.
    """
    if stages is None:
        stages = VISIT_STAGES
    if not isinstance(stages, dict) or not stages or not all(isinstance(e, str) for e in stages.values()):
        raise DataError(
            f"stages must be a non-empty dict of stage -> event name, e.g. {{'visitor': 'visit'}}, got {stages!r}"
        )
    stages = dict(stages)
    require_frame(events, "events")
    require_columns(events, [session_col, event_col], "events")
    require_no_missing(events, session_col, "session id")
    unknown = sorted(set(stages.values()) - set(events[event_col].dropna().unique()))
    if unknown:
        raise DataError(
            f"column {event_col!r} never holds the event(s) {', '.join(map(repr, unknown))}: "
            "pass stages={stage: event} with the events of your log"
        )
    sessions = pd.Series(
        {
            stage: events.loc[events[event_col] == event, session_col].nunique()
            for stage, event in stages.items()
        },
        name="sessions",
    )
    table = sessions.rename_axis("stage").to_frame()
    table["share_of_visitors"] = table["sessions"] / table["sessions"].iloc[0]
    return table


def cohort_table(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    observation_end: DateLike | None = None,
    share: bool = True,
) -> pd.DataFrame:
    """The cohort retention table: cohort (first-purchase month) x months since.

    Cell (c, k) is the share of the customers whose first purchase fell in
    month c who bought again in month c + k (k = 0 is the first month, so
    100 %). Cells after ``observation_end`` are missing (NaN), not zero:
    a cohort acquired in June cannot yet show its twelfth month.

    This is an *activity* table: a customer who skips a month and comes back
    counts again later, so a row need not fall steadily. In a contractual
    setting, where leaving is observed, it becomes a survival table.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase with ``customer_col`` and ``date_col``.
    observation_end : date, optional
        Last day of data; default the last purchase date. The month holding it
        is the last month shown.
    share : bool
        ``True`` for shares of the cohort, ``False`` for numbers of customers.

    Returns
    -------
    DataFrame
        Indexed by ``cohort`` (monthly Period) with columns 0, 1, 2, ...
        (months since the first purchase). With ``share=False`` column 0
        holds the cohort sizes. Cells after ``observation_end`` are NaN.

    Raises
    ------
    DataError
        ``transactions`` not a non-empty DataFrame, missing columns, missing
        customer ids, unparseable or time-zone-aware dates, an
        ``observation_end`` that is not a date or is before the first
        purchase, or a ``share`` that is not True or False.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-10", "2024-01-20", "2024-02-01", "2024-03-05"])})
    >>> cohort_table(tx)
    months_since    0    1    2
    cohort
    2024-01       1.0  0.5  0.0
    2024-02       1.0  1.0  NaN
    """
    share = require_flag(share, "share")
    clean = _dated(transactions, [customer_col, date_col], date_col, "transactions")
    end = _as_of(observation_end, clean[date_col].max(), "observation_end")
    clean = clean[clean[date_col] <= end]
    if clean.empty:
        raise DataError(
            f"transactions has no purchase on or before observation_end = {end.date()}: "
            "there is no cohort to follow; use a later observation_end"
        )
    month = clean[date_col].dt.to_period("M")
    first = month.groupby(clean[customer_col]).transform("min")
    since = (month.dt.year - first.dt.year) * 12 + (month.dt.month - first.dt.month)
    active = pd.DataFrame({"cohort": first, "months_since": since, "customer": clean[customer_col]})
    counts = (
        active.drop_duplicates()
        .groupby(["cohort", "months_since"])
        .size()
        .unstack("months_since", fill_value=0)
        .sort_index()
    )
    last = end.to_period("M")
    horizon = (last.year - counts.index.year) * 12 + (last.month - counts.index.month)
    return _cohort_grid(counts, np.asarray(horizon), share)


def _cohort_grid(counts: pd.DataFrame, horizon: np.ndarray, share: bool) -> pd.DataFrame:
    """Customers active per cohort (rows) and month since their first purchase (columns 0, 1, ...):
    0 where nobody bought, NaN after the observation end (cohort i is followed ``horizon[i]``
    months); as shares of month 0 if ``share``. Used by :func:`cohort_table` and its SQL twin
    :func:`crmlib.crmdb.sql_cohort_table`."""
    counts = counts.reindex(columns=range(int(horizon.max()) + 1), fill_value=0).astype(float)
    counts = counts.where(np.arange(counts.shape[1])[None, :] <= horizon[:, None])
    counts.columns.name = "months_since"
    if share:
        return counts.div(counts[0], axis=0)
    return counts


def relationship_durations(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    as_of: DateLike | None = None,
    lost_after_days: int = 365,
    groups: pd.Series | None = None,
) -> pd.DataFrame:
    """How long each relationship has lasted, and whether it has been seen to end.

    In a non-contractual business nobody announces that they leave, so the
    end of a relationship is defined by a rule: a customer whose last
    purchase is more than ``lost_after_days`` before ``as_of`` is *lost*,
    and her relationship lasted from the first to the last purchase.

    The rule needs ``lost_after_days`` of silence to see an end, so an end
    can only be observed if it happened before the *detection horizon*
    ``as_of - lost_after_days``. Every other relationship is *censored*
    there: it is known to have lasted at least until the horizon, not how
    long (Kaplan-Meier then counts it as at risk up to that point). Censoring
    at ``as_of`` instead would count customers who have already made their
    last purchase, but are not yet recognised as lost, as still running for
    up to ``lost_after_days`` more, and bias the survival curve upwards.
    Customers whose first purchase is after the horizon are left out: no end
    of their relationship could have been seen yet.

    duration = last - first          if lost (an observed end)
    duration = (as_of - lost_after_days) - first   otherwise (censored)

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    as_of : date, optional
        The observation end; default the last purchase date.
    lost_after_days : int
        Days without a purchase after which a relationship counts as ended,
        from 1 to :data:`MAX_DAYS` (100 years).
    groups : Series, optional
        A label per customer (indexed by customer id, one row per customer),
        e.g. the acquisition channel, copied into a ``group`` column.

    Returns
    -------
    DataFrame
        Indexed by ``customer_col``: ``first``, ``last``, ``duration_days``
        and ``lost`` (bool; the event indicator), plus ``group``.

    Raises
    ------
    DataError
        ``transactions`` not a non-empty DataFrame, missing columns, missing
        customer ids, unparseable or time-zone-aware dates, an ``as_of``
        that is not a date, ``lost_after_days`` not a whole number from 1 to
        :data:`MAX_DAYS`, no customer whose first purchase is before the
        detection horizon, or ``groups`` not a Series, with repeated
        customer ids or without a label for some customer.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from
    incomplete observations. JASA 53(282), 457-481 (censoring).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2, 2, 3],
    ...     "date": pd.to_datetime(["2022-01-01", "2022-03-01", "2023-06-01", "2024-06-01", "2024-06-01"])})
    >>> relationship_durations(tx, as_of="2024-12-31")[["duration_days", "lost"]]
                 duration_days   lost
    customer_id
    1                       59   True
    2                      214  False
    """
    lost_after_days = _days(lost_after_days, "lost_after_days")
    if groups is not None:
        if not isinstance(groups, pd.Series):
            raise DataError(
                f"groups must be a pandas Series indexed by {customer_col}, got {type(groups).__name__}"
            )
        require_unique_index(groups, "groups")
    clean = _dated(transactions, [customer_col, date_col], date_col, "transactions")
    as_of = _as_of(as_of, clean[date_col].max())
    clean = clean[clean[date_col] <= as_of]
    grouped = clean.groupby(customer_col)[date_col]
    table = pd.DataFrame({"first": grouped.min(), "last": grouped.max()})
    horizon = as_of - pd.Timedelta(days=lost_after_days)
    table = table[table["first"] <= horizon].copy()
    if table.empty:
        raise DataError(
            f"no customer made a first purchase by {horizon.date()} ({lost_after_days} days before "
            f"as_of = {as_of.date()}): no relationship could have been seen to end; "
            "use a later as_of or a shorter lost_after_days"
        )
    table["lost"] = table["last"] < horizon
    end = table["last"].where(table["lost"], horizon)
    table["duration_days"] = (end - table["first"]).dt.days
    if groups is not None:
        table["group"] = groups.reindex(table.index)
        missing = table["group"].isna()
        if missing.any():
            raise DataError(
                f"groups has no label for {int(missing.sum())} customers "
                f"({describe_rows(table.index[missing])}): give every customer a group"
            )
    return table[["first", "last", "duration_days", "lost"] + (["group"] if groups is not None else [])]


def _lost_flags(durations: pd.DataFrame) -> pd.Series:
    """The ``lost`` column as booleans: True/False, or the numbers 1/0; never text, whose
    every value ("False" included) would count as True."""
    require_no_missing(durations, "lost", "flag")
    lost = durations["lost"]
    if pd.api.types.is_bool_dtype(lost):
        return lost.astype(bool)
    if pd.api.types.is_numeric_dtype(lost):
        if lost.isin([0, 1]).all():
            return lost.astype(bool)
        odd = ~lost.isin([0, 1])
    else:
        odd = ~lost.map(lambda v: isinstance(v, (bool, np.bool_))).astype(bool)
        if not odd.any():
            return lost.astype(bool)
    shown = lost[odd].drop_duplicates().head(3).tolist()
    examples = ", ".join(repr(v) for v in shown)
    advice = (
        "convert them first, e.g. df['lost'] = df['lost'] == 'True'"
        if any(isinstance(v, str) for v in shown)
        else "True marks a relationship seen to end, False one still running"
    )
    raise DataError(
        f"column 'lost' must hold True/False (or 1/0), got {int(odd.sum())} other values "
        f"(e.g. {examples}; {describe_rows(durations.index[odd])}): {advice}"
    )


def _check_durations(durations: pd.DataFrame, group: bool) -> pd.DataFrame:
    """A checked copy of a durations table: ``duration_days`` as floats, ``lost`` as bools."""
    require_frame(durations, "durations")
    require_columns(durations, ["duration_days", "lost"] + (["group"] if group else []), "durations")
    days = require_numeric(durations, "duration_days")
    if (days < 0).any():
        raise DataError(
            f"column 'duration_days' has {int((days < 0).sum())} negative values "
            f"({describe_rows(durations.index[days < 0])}): a relationship cannot end before it starts"
        )
    clean = pd.DataFrame({"duration_days": days.to_numpy(), "lost": _lost_flags(durations).to_numpy()})
    if group:
        require_no_missing(durations, "group", "group label")
        clean["group"] = durations["group"].array  # a categorical keeps its order
    return clean


def survival_table(durations: pd.DataFrame, times: ArrayLike, by_group: bool = False) -> pd.DataFrame:
    """Kaplan-Meier estimates of the share of relationships still running at ``times`` (days).

    S(t) = prod over event times t_i <= t of (1 - d_i / n_i), with d_i
    relationships ending at t_i and n_i still at risk (Kaplan & Meier 1958);
    estimated with :class:`lifelines.KaplanMeierFitter`.

    Parameters
    ----------
    durations : DataFrame
        Output of :func:`relationship_durations`: ``duration_days`` (numbers
        >= 0) and ``lost`` (True/False or 1/0; text such as "False" is
        refused, not read as True), plus ``group`` for ``by_group``.
    times : sequence of numbers
        Days at which to read the curves, >= 0.
    by_group : bool
        One column per value of the ``group`` column.

    Returns
    -------
    DataFrame
        Indexed by ``days``; one column (``all``) or one per group.

    Raises
    ------
    DataError
        ``durations`` not a non-empty DataFrame, missing columns, missing
        or negative ``duration_days``, a ``lost`` column with missing values
        or values other than True/False and 1/0, missing group labels,
        ``times`` that are not numbers >= 0, or a ``by_group`` that is not
        True or False.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from
    incomplete observations. JASA 53(282), 457-481.

    Examples
    --------
    Two relationships ended (days 10 and 30), two were censored at day 20:
    S(10) = 3/4, and at day 30 the one left at risk ends, S(30) = 0.

    >>> durations = pd.DataFrame({"duration_days": [10, 20, 20, 30],
    ...                           "lost": [True, False, False, True]})
    >>> survival_table(durations, [5, 10, 25, 30])
           all
    days
    5.0   1.00
    10.0  0.75
    25.0  0.75
    30.0  0.00
    """
    from lifelines import KaplanMeierFitter

    by_group = require_flag(by_group, "by_group")
    times = to_numbers(times, "times", low=0)
    durations = _check_durations(durations, by_group)
    parts = durations.groupby("group", observed=True) if by_group else [("all", durations)]
    columns = {}
    for name, part in parts:
        fitter = KaplanMeierFitter().fit(part["duration_days"].astype(float), part["lost"].astype(bool))
        columns[name] = fitter.survival_function_at_times(times).to_numpy()
    return pd.DataFrame(columns, index=pd.Index(times, name="days"))


def compare_survival(durations: pd.DataFrame) -> pd.Series:
    """Log-rank test that the survival curves of all groups are the same.

    Parameters
    ----------
    durations : DataFrame
        Output of :func:`relationship_durations` with ``groups``:
        ``duration_days``, ``lost`` (True/False or 1/0) and ``group``, with
        at least two groups.

    Returns
    -------
    Series
        ``test_statistic`` (chi-square), ``degrees_of_freedom`` (groups - 1)
        and ``p_value`` (lifelines' ``multivariate_logrank_test``).

    Raises
    ------
    DataError
        As :func:`survival_table`, and when ``group`` holds fewer than two
        groups: a test that curves are the same needs two curves.

    References
    ----------
    Mantel, N. (1966). Evaluation of survival data and two new rank order
    statistics arising in its consideration. Cancer Chemotherapy Reports
    50(3), 163-170.

    Examples
    --------
    >>> durations = pd.DataFrame({"duration_days": [10, 20, 30, 40, 50, 60],
    ...     "lost": [True, True, True, True, False, True], "group": list("aaabbb")})
    >>> int(compare_survival(durations)["degrees_of_freedom"])
    1
    """
    from lifelines.statistics import multivariate_logrank_test

    durations = _check_durations(durations, True)
    found = pd.unique(durations["group"])
    if len(found) < 2:
        raise DataError(
            f"compare_survival needs at least two groups to compare, but column 'group' holds only "
            f"{found[0]!r}: compare the curves of two or more groups, or read one with survival_table"
        )
    result = multivariate_logrank_test(
        durations["duration_days"].astype(float), durations["group"], durations["lost"].astype(bool)
    )
    return pd.Series(
        {
            "test_statistic": float(result.test_statistic),
            "degrees_of_freedom": int(result.degrees_of_freedom),
            "p_value": float(result.p_value),
        }
    )


# ------------------------------------------------------------------------ figures
def _numbers_with_gaps(table: pd.DataFrame, column: object) -> pd.Series:
    """``column`` as floats, where NaN marks a cell with nothing to show (a cohort month
    not yet observed, a stage without customers); text and infinity are refused."""
    present = table[column].notna()
    numbers = pd.Series(np.nan, index=table.index)
    present = present.to_numpy()
    numbers[present] = require_numeric(table.loc[present, [column]], column).to_numpy()
    return numbers


def _label(name: str) -> str:
    """The glossary term of a column name, or the name itself when the glossary has none."""
    from .glossary import UnknownTermError, term

    try:
        return term(name)
    except UnknownTermError:
        return name


def plot_relationship_curve(
    *, ax: Axes | None = None, title: str | None = None, source: str | None = None
) -> Axes:
    """The relationship-strength curve of the five lifecycle stages (a schematic, no data).

    Strength rises slowly in exploration, fast in familiarity, is stable in
    loyalty and falls in separation.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    if ax is None:
        _, ax = new_figure()
    edges = np.array([0.0, 1.0, 3.0, 5.0, 8.0, 10.0])
    t = np.linspace(0, 10, 400)
    # logistic growth to a plateau, then decline after the loyalty stage
    strength = 0.05 + 0.9 / (1 + np.exp(-1.6 * (t - 3.6)))
    strength = np.where(t > 8, strength * np.exp(-0.35 * (t - 8) ** 2), strength)
    for i, name in enumerate(STAGES):
        ax.axvspan(edges[i], edges[i + 1], color=PALETTE[i % len(PALETTE)], alpha=0.12, linewidth=0)
        ax.text(
            (edges[i] + edges[i + 1]) / 2, 1.02, term(f"stage_{name}"), ha="center", va="bottom", fontsize=10
        )
    ax.plot(t, strength, color="black", linewidth=2.5)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 1.12)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_xlabel(term("time_axis"))
    ax.set_ylabel(term("relationship_strength"))
    if title:
        ax.set_title(title, pad=22)  # above the stage names
    return finish(ax, None, source)


def plot_stage_profile(
    summary: pd.DataFrame,
    *,
    column: str,
    ylabel: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Bars of one column of :func:`stage_summary` per lifecycle stage, in stage order.

    ``ylabel`` names the column on the axis (default: the glossary term of the
    column's name, or the name itself). A stage whose value is NaN (a mean
    over no customers) gets no bar. A ``summary`` that is not a table, lacks
    ``column`` or holds text in it raises DataError."""
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_frame(summary, "summary")
    require_columns(summary, [column], "summary")
    heights = _numbers_with_gaps(summary, column)
    if ax is None:
        _, ax = new_figure()
    labels = [term(f"stage_{name}") if name in STAGES else term(name) for name in summary.index]
    ax.bar(range(len(summary)), heights.to_numpy(), color=PALETTE[0])
    ax.set_xticks(range(len(summary)), labels)
    ax.set_ylabel(ylabel if ylabel is not None else _label(column))
    ax.grid(axis="x", visible=False)
    return finish(ax, title, source)


def plot_cohort_heatmap(
    table: pd.DataFrame,
    *,
    max_months: int | None = None,
    annotate: bool | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Heatmap of a cohort table (:func:`cohort_table` with ``share=True``), drawn with seaborn.

    Rows are cohorts, columns months since the first purchase (month 0, always
    100 %, is left out so the colour scale shows the later months); missing
    cells (not yet observed) stay blank. The colour scale starts at 0 %. Small
    tables are annotated in %, as is the colour bar. The seaborn call at its
    heart works on any table of shares::

        sns.heatmap(table, cmap="viridis", vmin=0, annot=True, fmt=".0%")

    ``max_months`` (a whole number >= 1) keeps the months up to it;
    ``annotate`` (True or False) overrides the automatic choice. A table that
    is not a DataFrame, whose columns are not months (0, 1, 2, ...) or whose
    cells hold text or infinity, or nothing to show after month 0, raises
    DataError; NaN cells are drawn blank.
    """
    import seaborn as sns
    from matplotlib.ticker import PercentFormatter

    from .glossary import term
    from .plots import finish, new_figure

    require_frame(table, "table")
    if max_months is not None:
        max_months = require_count(max_months, "max_months", low=1)
    if annotate is not None:
        annotate = require_flag(annotate, "annotate")
    months = [c for c in table.columns if not isinstance(c, (int, np.integer)) or isinstance(c, bool)]
    if months:
        raise DataError(
            f"table's columns must be months since the first purchase (0, 1, 2, ...), as cohort_table "
            f"gives them; got {months[0]!r}"
        )
    shown = table.drop(columns=0, errors="ignore")
    if max_months is not None:
        shown = shown.loc[:, [c for c in shown.columns if c <= max_months]]
    if shown.shape[1] == 0:
        raise DataError("table has no month after month 0 to show: follow the cohorts for longer")
    shown = pd.DataFrame(
        {c: _numbers_with_gaps(shown, c).to_numpy() for c in shown.columns}, index=shown.index
    ).rename_axis(columns=shown.columns.name)
    if ax is None:
        _, ax = new_figure()
    rows, cols = shown.shape
    if annotate is None:
        annotate = rows * cols <= 60
    sns.heatmap(
        shown * 100,
        ax=ax,
        cmap="viridis",
        vmin=0,
        annot=annotate,
        fmt=".0f",
        annot_kws={"fontsize": 10},
        xticklabels=max(1, cols // 12),
        yticklabels=max(1, rows // 12),
        cbar_kws={"label": term("share_active"), "format": PercentFormatter(100, decimals=0)},
    )
    ax.tick_params(axis="y", rotation=0)
    ax.grid(False)
    ax.set_xlabel(term("months_since_first_purchase"))
    ax.set_ylabel(term("cohort"))
    return finish(ax, title, source)


def plot_survival(
    durations: pd.DataFrame,
    *,
    by_group: bool = False,
    labels: dict[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Kaplan-Meier curves of relationship durations, in days, with 95 % pointwise intervals.

    Each curve is S(t) = prod over t_i <= t of (1 - d_i / n_i) (see
    :func:`survival_table`), drawn against days since the first purchase, the
    unit of ``duration_days``; its shaded band is the 95 % pointwise confidence
    interval of the exponential Greenwood formula (the Greenwood variance on the
    log(-log S) scale, lifelines' default), named so in the legend. The share
    axis runs from 0 to 1.

    ``labels`` maps group values to the names shown in the legend (default:
    the group values). ``durations`` is checked as in :func:`survival_table`
    (a DataError names the problem).

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from
    incomplete observations. JASA 53(282), 457-481. Kalbfleisch, J. D., &
    Prentice, R. L. (2002). The Statistical Analysis of Failure Time Data
    (2nd ed.), section 4.3 (the log(-log) interval).
    """
    from lifelines import KaplanMeierFitter
    from matplotlib.patches import Patch

    from .glossary import term
    from .plots import PALETTE, finish, new_figure, wrap_label

    by_group = require_flag(by_group, "by_group")
    if labels is not None and not isinstance(labels, dict):
        raise DataError(f"labels must be a dict of group -> name, got {type(labels).__name__}")
    durations = _check_durations(durations, by_group)
    if ax is None:
        _, ax = new_figure()
    parts = durations.groupby("group", observed=True) if by_group else [("all", durations)]
    for i, (name, part) in enumerate(parts):
        shown = (labels or {}).get(name, term("all_customers") if name == "all" else str(name))
        fitter = KaplanMeierFitter(alpha=0.05).fit(
            part["duration_days"].astype(float), part["lost"].astype(bool)
        )
        curve = fitter.survival_function_.iloc[:, 0]
        band = fitter.confidence_interval_
        colour = PALETTE[i % len(PALETTE)]
        ax.step(curve.index, curve.to_numpy(), where="post", color=colour, linewidth=2, label=shown)
        ax.fill_between(
            band.index, band.iloc[:, 0], band.iloc[:, 1], step="post", color=colour, alpha=0.15, linewidth=0
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(term("days_since_first_purchase"))
    ax.set_ylabel(term("share_relationships_running"))
    handles, names = ax.get_legend_handles_labels()
    handles.append(Patch(facecolor="0.5", alpha=0.3, linewidth=0))
    names.append(wrap_label(term("km_interval_95"), 26))
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the curves, never on them
    return finish(ax, title, source)
