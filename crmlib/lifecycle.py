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
    require_columns,
    require_frame,
    require_numeric,
    to_date,
    to_datetime_column,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .validation import DateLike

__all__ = [
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
    """

    separation_days: int = 180
    lost_days: int = 365
    loyalty_orders: int = 4
    loyalty_tenure_days: int = 365
    engagement_days: int = 180

    def __post_init__(self):
        for name in (
            "separation_days",
            "lost_days",
            "loyalty_orders",
            "loyalty_tenure_days",
            "engagement_days",
        ):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise DataError(f"StageRules.{name} must be a positive whole number, got {value!r}")
        if self.lost_days < self.separation_days:
            raise DataError(
                f"StageRules.lost_days ({self.lost_days}) is shorter than separation_days "
                f"({self.separation_days}): a customer separates before she is lost"
            )


def _as_of(value, fallback: pd.Timestamp, name: str = "as_of") -> pd.Timestamp:
    return fallback if value is None else to_date(value, name)


def _dated(data: pd.DataFrame, columns: list[str], date_col: str, name: str) -> pd.DataFrame:
    require_frame(data, name)
    require_columns(data, columns, name)
    clean = data[columns].copy()
    missing = clean[columns[0]].isna()
    if missing.any():
        raise DataError(
            f"column {columns[0]!r} of {name} has {int(missing.sum())} missing customer ids "
            f"({describe_rows(clean.index[missing])}): drop those rows or fill the ids"
        )
    clean[date_col] = to_datetime_column(clean, date_col)
    return clean


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
        when ``value_col`` is given.

    Raises
    ------
    DataError
        Missing columns, missing customer ids, unparseable dates, a
        non-numeric ``value_col``.

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
    columns = [customer_col, date_col] + ([value_col] if value_col else [])
    clean = _dated(orders, columns, date_col, "orders")
    if value_col:
        clean[value_col] = require_numeric(clean, value_col)
    as_of = _as_of(as_of, clean[date_col].max())
    clean = clean[clean[date_col] <= as_of]

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
    if value_col:
        table["value_last_year"] = clean[last_year].groupby(customer_col)[value_col].sum()
        table["value_total"] = grouped[value_col].sum()

    if customers is not None:
        known = _dated(customers.assign(_date=as_of), [customer_col, "_date"], "_date", "customers")
        table = table.reindex(table.index.union(pd.Index(known[customer_col].unique())))
    table.index.name = customer_col
    table["orders"] = table["orders"].fillna(0).astype(int)
    table["orders_last_year"] = table["orders_last_year"].fillna(0).astype(int)
    if value_col:
        table[["value_last_year", "value_total"]] = table[["value_last_year", "value_total"]].fillna(0.0)
    table["days_since_last"] = (as_of - table["last_order"]).dt.days
    table["tenure_days"] = (as_of - table["first_order"]).dt.days

    engaged = pd.Series(False, index=table.index)
    if interactions is not None:
        contacts = (
            interactions.dropna(subset=[customer_col]) if customer_col in interactions else interactions
        )
        contacts = _dated(
            contacts, [customer_col, interaction_date_col], interaction_date_col, "interactions"
        )
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
    return table[order + (["value_last_year", "value_total"] if value_col else [])]


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
        ``mean_<column>`` for each of ``values``.

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
    values = list(values or [])
    require_columns(stages, [by, *values], "stages")
    table = stages.groupby(by, observed=False).size().rename("customers").to_frame()
    table["share"] = table["customers"] / table["customers"].sum()
    for column in values:
        numbers = require_numeric(stages, column)
        table[f"mean_{column}"] = numbers.groupby(stages[by], observed=False).mean()
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
    if freq not in ("Y", "Q", "M"):
        raise DataError(f"freq must be 'Y', 'Q' or 'M', got {freq!r}")
    columns = [customer_col, date_col] + ([value_col] if value_col else [])
    clean = _dated(orders, columns, date_col, "orders")
    if value_col:
        clean[value_col] = require_numeric(clean, value_col)
    period = clean[date_col].dt.to_period(freq)
    first = period.groupby(clean[customer_col]).transform("min")
    kind = np.where(period == first, "new", "returning")
    frame = pd.DataFrame({"period": period, "kind": kind, "customer": clean[customer_col]})
    buyers = frame.drop_duplicates().groupby(["period", "kind"]).size().unstack("kind", fill_value=0)
    table = buyers.reindex(columns=["new", "returning"], fill_value=0)
    if value_col:
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

    Returns
    -------
    DataFrame
        Indexed by stage: ``sessions`` and ``share_of_visitors``.
    """
    stages = dict(stages or VISIT_STAGES)
    require_frame(events, "events")
    require_columns(events, [session_col, event_col], "events")
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
        holds the cohort sizes.

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
    clean = _dated(transactions, [customer_col, date_col], date_col, "transactions")
    end = _as_of(observation_end, clean[date_col].max(), "observation_end")
    clean = clean[clean[date_col] <= end]
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
    counts = counts.reindex(columns=range(int(horizon.max()) + 1), fill_value=0).astype(float)
    counts = counts.where(np.arange(counts.shape[1])[None, :] <= np.asarray(horizon)[:, None])
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
        Days without a purchase after which a relationship counts as ended.
    groups : Series, optional
        A label per customer (indexed by customer id), e.g. the acquisition
        channel, copied into a ``group`` column.

    Returns
    -------
    DataFrame
        Indexed by ``customer_col``: ``first``, ``last``, ``duration_days``
        and ``lost`` (bool; the event indicator), plus ``group``.

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
    if not isinstance(lost_after_days, (int, np.integer)) or lost_after_days < 1:
        raise DataError(f"lost_after_days must be a positive whole number of days, got {lost_after_days!r}")
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
        if not isinstance(groups, pd.Series):
            raise DataError(
                f"groups must be a pandas Series indexed by {customer_col}, got {type(groups).__name__}"
            )
        table["group"] = groups.reindex(table.index)
        missing = table["group"].isna()
        if missing.any():
            raise DataError(
                f"groups has no label for {int(missing.sum())} customers "
                f"({describe_rows(table.index[missing])}): give every customer a group"
            )
    return table[["first", "last", "duration_days", "lost"] + (["group"] if groups is not None else [])]


def _check_durations(durations: pd.DataFrame, group: bool) -> None:
    require_frame(durations, "durations")
    require_columns(durations, ["duration_days", "lost"] + (["group"] if group else []), "durations")
    days = require_numeric(durations, "duration_days")
    if (days < 0).any():
        raise DataError(
            f"column 'duration_days' has {int((days < 0).sum())} negative values "
            f"({describe_rows(durations.index[days < 0])}): a relationship cannot end before it starts"
        )


def survival_table(durations: pd.DataFrame, times: ArrayLike, by_group: bool = False) -> pd.DataFrame:
    """Kaplan-Meier estimates of the share of relationships still running at ``times`` (days).

    S(t) = prod over event times t_i <= t of (1 - d_i / n_i), with d_i
    relationships ending at t_i and n_i still at risk (Kaplan & Meier 1958);
    estimated with :class:`lifelines.KaplanMeierFitter`.

    Parameters
    ----------
    durations : DataFrame
        Output of :func:`relationship_durations`.
    times : sequence of numbers
        Days at which to read the curves.
    by_group : bool
        One column per value of the ``group`` column.

    Returns
    -------
    DataFrame
        Indexed by ``days``; one column (``all``) or one per group.

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

    _check_durations(durations, by_group)
    times = np.asarray(times, dtype=float)
    parts = durations.groupby("group", observed=True) if by_group else [("all", durations)]
    columns = {}
    for name, part in parts:
        fitter = KaplanMeierFitter().fit(part["duration_days"].astype(float), part["lost"].astype(bool))
        columns[name] = fitter.survival_function_at_times(times).to_numpy()
    return pd.DataFrame(columns, index=pd.Index(times, name="days"))


def compare_survival(durations: pd.DataFrame) -> pd.Series:
    """Log-rank test that the survival curves of all groups are the same.

    Returns a Series with ``test_statistic`` (chi-square), ``degrees_of_freedom``
    and ``p_value`` (lifelines' ``multivariate_logrank_test``).
    """
    from lifelines.statistics import multivariate_logrank_test

    _check_durations(durations, True)
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
    column's name, or the name itself)."""
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_columns(summary, [column], "summary")
    if ax is None:
        _, ax = new_figure()
    labels = [term(f"stage_{name}") if name in STAGES else term(name) for name in summary.index]
    ax.bar(range(len(summary)), summary[column].to_numpy(), color=PALETTE[0])
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
    """
    import seaborn as sns
    from matplotlib.ticker import PercentFormatter

    from .glossary import term
    from .plots import finish, new_figure

    require_frame(table, "table")
    shown = table.drop(columns=0, errors="ignore")
    if max_months is not None:
        shown = shown.loc[:, [c for c in shown.columns if c <= max_months]]
    if ax is None:
        _, ax = new_figure()
    rows, cols = shown.shape
    if annotate is None:
        annotate = rows * cols <= 60
    sns.heatmap(
        shown.astype(float) * 100,
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
    """Kaplan-Meier curves (with 95 % bands) of relationship durations, in months.

    ``labels`` maps group values to the names shown in the legend (default:
    the group values).
    """
    from lifelines import KaplanMeierFitter

    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    _check_durations(durations, by_group)
    if ax is None:
        _, ax = new_figure()
    parts = durations.groupby("group", observed=True) if by_group else [("all", durations)]
    month = 365.25 / 12
    for i, (name, part) in enumerate(parts):
        shown = (labels or {}).get(name, term("all_customers") if name == "all" else str(name))
        fitter = KaplanMeierFitter().fit(
            part["duration_days"].astype(float) / month, part["lost"].astype(bool)
        )
        curve = fitter.survival_function_.iloc[:, 0]
        band = fitter.confidence_interval_
        colour = PALETTE[i % len(PALETTE)]
        ax.step(curve.index, curve.to_numpy(), where="post", color=colour, linewidth=2, label=shown)
        ax.fill_between(
            band.index, band.iloc[:, 0], band.iloc[:, 1], step="post", color=colour, alpha=0.15, linewidth=0
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(term("months_since_first_purchase"))
    ax.set_ylabel(term("share_relationships_running"))
    ax.legend(loc="lower left", ncol=2 if by_group else 1)
    return finish(ax, title, source)
