"""Key accounts (大客户, also 重点客户 / 关键客户): profit after the cost to serve, ABC
classification, and the stage of each account in the key-account development model.

A key account is identified by what it earns the firm, not by what it buys:
:func:`account_profit` takes each business account's margin and subtracts the cost
of serving it (orders handled, sales-rep visits, service tickets, call-centre calls,
at costs the analyst states); :func:`abc_classes` sorts the accounts by that profit
into A (the few that make most of it), B and C, the 80/20 principle made into a
rule; :func:`plot_abc_curve` draws the cumulative profit (the "whale curve").
:func:`account_features` and :func:`kam_stages` place each account in a stage of
Millman & Wilson's (1994) model (the stage names of
:data:`crmlib.relationship.KEY_ACCOUNT_STAGES`) by transparent rules on observable
data, shown by :func:`stage_rules`.

References
----------
Millman, T., & Wilson, K. (1994). From key account selling to key account management.
Journal of Marketing Practice: Applied Marketing Science 1(1), 9-21.
Kaplan, R. S., & Narayanan, V. G. (2001). Measuring and managing customer profitability.
Journal of Cost Management 15(5), 5-15.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .glossary import term
from .language import localize
from .relationship import KEY_ACCOUNT_STAGES
from .validation import (
    DataError,
    require_columns,
    require_count,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_number,
    require_numeric,
    require_text,
    require_unique_index,
    require_unique_values,
    to_date,
    to_datetime_column,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .validation import DateLike

__all__ = [
    "ABC_CLASSES",
    "OPEN_STAGES",
    "account_profit",
    "abc_classes",
    "StageRules",
    "stage_rules",
    "account_features",
    "kam_stages",
    "plot_abc_curve",
]

#: The three classes of an ABC analysis, from the most to the least profitable.
ABC_CLASSES = ("A", "B", "C")
#: The stages of a sales opportunity that is still open (``opportunities.stage``).
OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")


def _window(start: DateLike, end: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    first = to_date(start, "start").normalize()
    last = to_date(end, "end").normalize()
    if last < first:
        raise DataError(f"end ({last.date()}) comes before start ({first.date()}): swap them")
    return first, last + pd.Timedelta(days=1)


def _count_in(table: pd.DataFrame, name: str, date_col: str, customer_col: str, window: tuple) -> pd.Series:
    """Rows per customer with a date in the window (rows without a customer are not counted)."""
    require_columns(table, [customer_col, date_col], name)
    known = table[customer_col].notna().to_numpy()
    dates = to_datetime_column(table.iloc[np.flatnonzero(known)], date_col)
    inside = ((dates >= window[0]) & (dates < window[1])).to_numpy()
    ids = table[customer_col].to_numpy()[known][inside]
    return pd.Series(ids).value_counts()


# ----------------------------------------------------------------------------------
# Profit after the cost to serve
# ----------------------------------------------------------------------------------
def account_profit(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    tickets: pd.DataFrame,
    calls: pd.DataFrame,
    *,
    start: DateLike,
    end: DateLike,
    cost_per_order: float = 12.0,
    cost_per_rep_order: float = 150.0,
    cost_per_ticket: float = 80.0,
    cost_per_call: float = 15.0,
    customer_col: str = "customer_id",
    rep_channel: str = "sales_rep",
) -> pd.DataFrame:
    """Revenue, margin, the cost to serve and the profit of each account over a period.

        cost to serve = c_order x orders + c_rep x sales-rep orders
                        + c_ticket x service tickets + c_call x calls,
        profit        = margin - cost to serve.

    The unit costs are assumptions the analyst states (a firm takes them from its
    own accounts: activity-based costing). An order taken by a sales rep costs the
    handling of every order plus the rep's visit or call.

    Parameters
    ----------
    accounts : DataFrame
        One row per account to cover (e.g. the business customers): ``customer_col``,
        each once. Accounts without an order in the period get zeros.
    orders : DataFrame
        One row per order: ``customer_col``, ``order_date``, ``channel``, ``revenue``
        (at least 0) and ``margin`` (may be negative).
    tickets : DataFrame
        One row per service ticket: ``customer_col`` and ``opened_at``.
    calls : DataFrame
        One row per call-centre call: ``customer_col`` (empty for an unidentified
        caller: such calls are not counted) and ``call_start``.
    start, end : date-like
        The first and the last day of the period (both included).
    cost_per_order, cost_per_rep_order, cost_per_ticket, cost_per_call : float
        The unit costs in CNY, each at least 0.
    customer_col : str
        The account id column of every table.
    rep_channel : str
        The ``channel`` of orders taken by a sales rep.

    Returns
    -------
    DataFrame
        Indexed by account (in the order of ``accounts``): ``orders``,
        ``rep_orders``, ``tickets``, ``calls``, ``revenue``, ``margin``,
        ``cost_to_serve`` and ``profit``.

    Raises
    ------
    DataError
        A table is not a non-empty DataFrame or lacks a column; an account id is
        missing or repeated in ``accounts``; an order has no account or channel;
        a date is missing, not a date, a number such as 20240131 or has a time
        zone; revenue or margin is not a finite number, or revenue is negative;
        ``end`` comes before ``start``; a unit cost is not a number of at least 0.

    References
    ----------
    Kaplan & Narayanan (2001): customer profitability after the costs of serving
    each customer, traced by activity.

    Examples
    --------
    >>> accounts = pd.DataFrame({"customer_id": ["a", "b"]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...     "order_date": ["2024-03-01", "2024-05-01", "2024-06-01"],
    ...     "channel": ["sales_rep", "web", "web"], "revenue": [1000.0, 500.0, 300.0],
    ...     "margin": [300.0, 150.0, 60.0]})
    >>> tickets = pd.DataFrame({"customer_id": ["b"], "opened_at": ["2024-06-03 10:00:00"]})
    >>> calls = pd.DataFrame({"customer_id": ["b", None], "call_start": ["2024-10-02 09:00:00"] * 2})
    >>> table = account_profit(accounts, orders, tickets, calls, start="2024-01-01", end="2024-12-31")
    >>> table[["orders", "rep_orders", "tickets", "calls", "margin", "cost_to_serve", "profit"]]
                 orders  rep_orders  tickets  calls  margin  cost_to_serve  profit
    customer_id
    a                 2           1        0      0   450.0          174.0   276.0
    b                 1           0        1      1    60.0          107.0   -47.0
    """
    require_frame(accounts, "accounts")
    require_columns(accounts, [customer_col], "accounts")
    require_no_missing(accounts, customer_col, "account id")
    ids = accounts[customer_col].reset_index(drop=True)
    require_unique_values(ids, customer_col, "account")
    require_frame(orders, "orders")
    require_columns(orders, [customer_col, "order_date", "channel", "revenue", "margin"], "orders")
    require_no_missing(orders, customer_col, "account id")
    require_no_missing(orders, "channel", "channel")
    window = _window(start, end)
    costs = {
        name: require_number(value, name, low=0)
        for name, value in (
            ("cost_per_order", cost_per_order),
            ("cost_per_rep_order", cost_per_rep_order),
            ("cost_per_ticket", cost_per_ticket),
            ("cost_per_call", cost_per_call),
        )
    }
    rep_channel = require_text(rep_channel, "rep_channel")
    dates = to_datetime_column(orders, "order_date")
    revenue = require_numeric(orders, "revenue")
    require_non_negative(revenue, "revenue", "an order's revenue is at least 0; net returns out first")
    margin = require_numeric(orders, "margin")
    inside = ((dates >= window[0]) & (dates < window[1])).to_numpy()
    table = pd.DataFrame(
        {
            "account": orders[customer_col].to_numpy()[inside],
            "rep": (orders["channel"].to_numpy()[inside] == rep_channel).astype(int),
            "revenue": revenue.to_numpy()[inside],
            "margin": margin.to_numpy()[inside],
        }
    )
    grouped = table.groupby("account")
    out = pd.DataFrame(index=pd.Index(ids.to_numpy(), name=customer_col))
    out["orders"] = grouped.size().reindex(out.index, fill_value=0).astype(int)
    out["rep_orders"] = grouped["rep"].sum().reindex(out.index, fill_value=0).astype(int)
    out["tickets"] = _count_in(tickets, "tickets", "opened_at", customer_col, window).reindex(
        out.index, fill_value=0
    )
    out["calls"] = _count_in(calls, "calls", "call_start", customer_col, window).reindex(
        out.index, fill_value=0
    )
    out["revenue"] = grouped["revenue"].sum().reindex(out.index, fill_value=0.0)
    out["margin"] = grouped["margin"].sum().reindex(out.index, fill_value=0.0)
    out["cost_to_serve"] = (
        costs["cost_per_order"] * out["orders"]
        + costs["cost_per_rep_order"] * out["rep_orders"]
        + costs["cost_per_ticket"] * out["tickets"]
        + costs["cost_per_call"] * out["calls"]
    ).astype(float)
    out["profit"] = out["margin"] - out["cost_to_serve"]
    return out


# ----------------------------------------------------------------------------------
# ABC classification
# ----------------------------------------------------------------------------------
def abc_classes(
    table: pd.DataFrame, value_col: str = "profit", a_share: float = 0.8, b_share: float = 0.95
) -> pd.DataFrame:
    """ABC (Pareto) classes of accounts by their value: A makes most of it, C the rest.

    Sort the accounts from the most to the least valuable; cum_k is the share of the
    total (net) value made by the first k accounts. An account is

        A  while the accounts before it make less than ``a_share`` of the total,
        B  while they make less than ``b_share``,
        C  otherwise (every account with zero or negative value is C).

    So the A class is the smallest group of top accounts that makes at least
    ``a_share`` of the value. With loss-making accounts the cumulative share rises
    above 1 before it falls back to 1 (the "whale curve" of Kaplan & Narayanan 2001).

    Parameters
    ----------
    table : DataFrame
        One row per account, indexed by account id (each once).
    value_col : str
        The value to rank by: profit after the cost to serve (or revenue, to compare).
    a_share, b_share : float
        The cumulative shares that close classes A and B, 0 < a_share <= b_share <= 1
        (0.8 and 0.95: the 80/20 rule).

    Returns
    -------
    DataFrame
        The rows of ``table`` sorted by value (ties keep their order), with
        ``rank`` (1 = most valuable), ``share`` (of the total value),
        ``cumulative_share`` and ``abc_class`` ("A", "B" or "C") added.

    Raises
    ------
    DataError
        ``table`` is not a non-empty DataFrame; its index repeats an account; the
        column is missing or holds non-numbers, missing or infinite values; the
        values add up to 0 or less (there is no profit to share); the shares are
        not numbers with 0 < a_share <= b_share <= 1.

    References
    ----------
    Kaplan & Narayanan (2001), the cumulative customer profitability curve.

    Examples
    --------
    >>> t = pd.DataFrame({"profit": [10.0, 50.0, 30.0, -5.0, 15.0]}, index=list("abcde"))
    >>> abc_classes(t)[["rank", "cumulative_share", "abc_class"]].round(2)
       rank  cumulative_share abc_class
    b     1              0.50         A
    c     2              0.80         A
    e     3              0.95         B
    a     4              1.05         C
    d     5              1.00         C
    """
    require_frame(table, "table")
    require_unique_index(table, "table", "give each account one row, indexed by its id")
    require_columns(table, [value_col], "table")
    values = require_numeric(table, value_col)
    a = require_number(a_share, "a_share", low=0, low_open=True, high=1, rate=True)
    b = require_number(b_share, "b_share", low=0, low_open=True, high=1, rate=True)
    if b < a:
        raise DataError(f"b_share ({b:g}) must be at least a_share ({a:g}): class B follows class A")
    total = float(values.sum())
    if total <= 0:
        raise DataError(
            f"the values of column {value_col!r} add up to {total:g}: there is no total to share out"
        )
    order = np.argsort(-values.to_numpy(), kind="stable")
    out = table.iloc[order].copy()
    sorted_values = values.to_numpy()[order]
    share = sorted_values / total
    cumulative = np.cumsum(share)
    before = cumulative - share
    tol = 1e-12
    classes = np.where(before < a - tol, "A", np.where(before < b - tol, "B", "C"))
    classes = np.where(sorted_values > 0, classes, "C")
    out["rank"] = np.arange(1, len(out) + 1)
    out["share"] = share
    out["cumulative_share"] = cumulative
    out["abc_class"] = classes
    return out


# ----------------------------------------------------------------------------------
# Key-account stages
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StageRules:
    """The thresholds of the stage rules (:func:`kam_stages`, shown by :func:`stage_rules`).

    Counts are whole numbers, shares fractions (0.5 = 50 %), days whole days.
    """

    uncoupling_days: int = 180
    uncoupling_drop: float = 0.5
    synergistic_tenure_days: int = 730
    synergistic_categories: int = 7
    synergistic_won: int = 4
    synergistic_share: float = 0.5
    partnership_tenure_days: int = 365
    partnership_categories: int = 6
    partnership_won: int = 2
    partnership_share: float = 0.3
    mid_categories: int = 4
    mid_contacts: int = 3

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name.endswith(("_drop", "_share")):
                require_number(value, item.name, low=0, high=1, rate=True)
            else:
                require_count(value, item.name, low=0, high=100_000)


_RULE_TEXT = {
    "pre_kam": {"en": "no order yet", "zh": "尚未下单"},
    "uncoupling_kam": {
        "en": "no order for more than {uncoupling_days} days, or revenue in the last year below "
        "{uncoupling_drop:.0%} of the year before",
        "zh": "超过 {uncoupling_days} 天没有订单，或最近一年的收入低于前一年的 {uncoupling_drop:.0%}",
    },
    "synergistic_kam": {
        "en": "first order at least {synergistic_tenure_days} days ago, at least {synergistic_categories} "
        "categories in the last year, at least {synergistic_won} deals won, share of wallet at least "
        "{synergistic_share:.0%}",
        "zh": "首次下单至少 {synergistic_tenure_days} 天前，最近一年至少购买 {synergistic_categories} 个品类，"
        "至少赢得 {synergistic_won} 个销售机会，客户份额至少 {synergistic_share:.0%}",
    },
    "partnership_kam": {
        "en": "first order at least {partnership_tenure_days} days ago, at least {partnership_categories} "
        "categories in the last year, at least {partnership_won} deals won, share of wallet at least "
        "{partnership_share:.0%}",
        "zh": "首次下单至少 {partnership_tenure_days} 天前，最近一年至少购买 {partnership_categories} 个品类，"
        "至少赢得 {partnership_won} 个销售机会，客户份额至少 {partnership_share:.0%}",
    },
    "mid_kam": {
        "en": "at least {mid_categories} categories and at least {mid_contacts} kinds of contact in the last year",
        "zh": "最近一年至少购买 {mid_categories} 个品类，且至少有 {mid_contacts} 种接触方式",
    },
    "early_kam": {"en": "every other account that buys", "zh": "其余有购买的客户"},
}
#: The order in which the rules are tried: the first that fits gives the stage.
_RULE_ORDER = ("pre_kam", "uncoupling_kam", "synergistic_kam", "partnership_kam", "mid_kam", "early_kam")


def stage_rules(rules: StageRules | None = None, lang: str | None = None) -> pd.DataFrame:
    """The stage rules as a table, in the order they are tried (the first that fits wins).

    Parameters
    ----------
    rules : StageRules, optional
        The thresholds (default: ``StageRules()``).
    lang : {"en", "zh"}, optional
        The language of the table (default: the current language).

    Returns
    -------
    DataFrame
        ``kam_stage`` (the stage's name) and ``rule``, one row per stage.

    Raises
    ------
    DataError
        ``rules`` is not a StageRules; an unknown language.

    Examples
    --------
    >>> stage_rules(lang="en").iloc[0].tolist()
    ['pre-KAM', 'no order yet']
    """
    rules = StageRules() if rules is None else rules
    if not isinstance(rules, StageRules):
        raise DataError(f"rules must be a StageRules, got {type(rules).__name__}")
    values = {item.name: getattr(rules, item.name) for item in fields(rules)}
    return pd.DataFrame(
        {
            "kam_stage": [term(stage, lang) for stage in _RULE_ORDER],
            "rule": [localize(_RULE_TEXT[stage], lang).format(**values) for stage in _RULE_ORDER],
        }
    )


_FEATURES = [
    "orders",
    "tenure_days",
    "days_since_order",
    "revenue_last_year",
    "revenue_year_before",
    "categories",
    "contacts",
    "won_deals",
    "open_deals",
    "share_of_wallet",
]


def account_features(
    accounts: pd.DataFrame,
    lines: pd.DataFrame,
    tickets: pd.DataFrame,
    calls: pd.DataFrame,
    opportunities: pd.DataFrame,
    wallets: pd.DataFrame,
    *,
    as_of: DateLike,
    customer_col: str = "customer_id",
) -> pd.DataFrame:
    """What the stage rules look at, per account, as of a date.

    "The last year" is the 365 days up to ``as_of``, "the year before" the 365 days
    before those. Per account:

    * ``orders``: orders up to ``as_of``; ``tenure_days``: days since the first order
      (0 without an order); ``days_since_order``: days since the last one;
    * ``revenue_last_year``, ``revenue_year_before``;
    * ``categories``: distinct categories bought in the last year (order breadth);
    * ``contacts``: kinds of contact in the last year, counting each order channel
      used, service tickets, call-centre calls and new sales opportunities as one
      kind each (how many threads tie the two firms);
    * ``won_deals``: opportunities won up to ``as_of``; ``open_deals``: opportunities
      open at ``as_of`` (the pipeline);
    * ``share_of_wallet``: spend here / wallet over the rows of ``wallets``.

    Parameters
    ----------
    accounts : DataFrame
        One row per account: ``customer_col``, each once.
    lines : DataFrame
        One row per order line (:func:`crmlib.basket.line_items`): ``customer_col``,
        ``order_id``, ``order_date``, ``channel``, ``revenue``, ``category``.
    tickets : DataFrame
        ``customer_col`` and ``opened_at``.
    calls : DataFrame
        ``customer_col`` (empty for unidentified callers, not counted) and ``call_start``.
    opportunities : DataFrame
        ``customer_col``, ``created_date``, ``stage`` and ``close_date`` (empty while open).
    wallets : DataFrame
        ``customer_col``, ``spend_here`` and ``wallet`` (the demo's ``category_wallets``).
    as_of : date-like
        The day of the assessment.
    customer_col : str
        The account id column of every table.

    Returns
    -------
    DataFrame
        Indexed by account: ``orders``, ``tenure_days``, ``days_since_order``,
        ``revenue_last_year``, ``revenue_year_before``, ``categories``,
        ``contacts``, ``won_deals``, ``open_deals`` and ``share_of_wallet``.
        ``days_since_order`` is NaN for an account without an order and
        ``share_of_wallet`` NaN for an account without a wallet row.

    Raises
    ------
    DataError
        A table is not a DataFrame (``tickets``, ``calls``, ``opportunities`` and
        ``wallets`` may have no rows) or lacks a column; an account id is missing
        or repeated in ``accounts``; a date is missing, not a date, a number such
        as 20240131 or has a time zone; an amount is not a finite number or is
        negative; ``as_of`` is not a date.

    Examples
    --------
    >>> accounts = pd.DataFrame({"customer_id": ["a"]})
    >>> lines = pd.DataFrame({"customer_id": ["a", "a"], "order_id": ["o1", "o2"],
    ...     "order_date": ["2023-01-10", "2024-06-01"], "channel": ["sales_rep", "web"],
    ...     "revenue": [100.0, 300.0], "category": ["Snacks", "Coffee"]})
    >>> tickets = pd.DataFrame({"customer_id": ["a"], "opened_at": ["2024-06-03 10:00:00"]})
    >>> calls = pd.DataFrame({"customer_id": [None], "call_start": ["2024-10-02 09:00:00"]})
    >>> deals = pd.DataFrame({"customer_id": ["a"], "created_date": ["2023-05-01"],
    ...     "stage": ["closed_won"], "close_date": ["2023-07-01"]})
    >>> wallets = pd.DataFrame({"customer_id": ["a"], "spend_here": [300.0], "wallet": [600.0]})
    >>> account_features(accounts, lines, tickets, calls, deals, wallets, as_of="2024-12-31").T
    customer_id                a
    orders                   2.0
    tenure_days            721.0
    days_since_order       213.0
    revenue_last_year      300.0
    revenue_year_before    100.0
    categories               1.0
    contacts                 2.0
    won_deals                1.0
    open_deals               0.0
    share_of_wallet          0.5
    """
    require_frame(accounts, "accounts")
    require_columns(accounts, [customer_col], "accounts")
    require_no_missing(accounts, customer_col, "account id")
    ids = accounts[customer_col].reset_index(drop=True)
    require_unique_values(ids, customer_col, "account")
    day = to_date(as_of, "as_of").normalize()
    end = day + pd.Timedelta(days=1)
    year = pd.Timedelta(days=365)
    index = pd.Index(ids.to_numpy(), name=customer_col)

    require_frame(lines, "lines")
    require_columns(
        lines, [customer_col, "order_id", "order_date", "channel", "revenue", "category"], "lines"
    )
    for column, what in ((customer_col, "account id"), ("order_id", "order id"), ("channel", "channel")):
        require_no_missing(lines, column, what)
    require_no_missing(lines, "category", "category")
    dates = to_datetime_column(lines, "order_date").to_numpy()
    revenue = require_numeric(lines, "revenue")
    require_non_negative(revenue, "revenue", "a line's revenue is at least 0; net returns out first")
    seen = pd.DataFrame(
        {
            "account": lines[customer_col].to_numpy(),
            "order": lines["order_id"].to_numpy(),
            "date": dates,
            "channel": lines["channel"].to_numpy(),
            "revenue": revenue.to_numpy(),
            "category": lines["category"].to_numpy(),
        }
    )
    seen = seen[seen["date"] < end]
    grouped = seen.groupby("account")
    out = pd.DataFrame(index=index)
    out["orders"] = grouped["order"].nunique().reindex(index, fill_value=0).astype(float)
    first = grouped["date"].min().reindex(index)
    last = grouped["date"].max().reindex(index)
    out["tenure_days"] = ((day - first).dt.days).fillna(0.0).astype(float)
    out["days_since_order"] = (day - last).dt.days.astype(float)
    recent = seen[seen["date"] >= end - year]
    before = seen[(seen["date"] >= end - 2 * year) & (seen["date"] < end - year)]
    out["revenue_last_year"] = recent.groupby("account")["revenue"].sum().reindex(index, fill_value=0.0)
    out["revenue_year_before"] = before.groupby("account")["revenue"].sum().reindex(index, fill_value=0.0)
    out["categories"] = (
        recent.groupby("account")["category"].nunique().reindex(index, fill_value=0).astype(float)
    )
    kinds = [recent[["account", "channel"]].drop_duplicates()["account"]]
    window = (end - year, end)
    for table, name, date_col in ((tickets, "tickets", "opened_at"), (calls, "calls", "call_start")):
        kinds.append(pd.Series(_contacts_in(table, name, date_col, customer_col, window)))
    kinds.append(
        pd.Series(_contacts_in(opportunities, "opportunities", "created_date", customer_col, window))
    )
    contacts = pd.concat(kinds, ignore_index=True).value_counts()
    out["contacts"] = contacts.reindex(index, fill_value=0).astype(float)

    require_columns(opportunities, ["stage", "close_date"], "opportunities")
    known = opportunities[customer_col].notna().to_numpy()
    deals = opportunities.iloc[np.flatnonzero(known)]
    created = to_datetime_column(deals, "created_date") if len(deals) else pd.Series([], dtype="M8[ns]")
    stage = deals["stage"].to_numpy()
    has_close = deals["close_date"].notna().to_numpy()
    closed = np.full(len(deals), np.datetime64("NaT"), dtype="M8[ns]")
    if has_close.any():
        closed[has_close] = to_datetime_column(deals.iloc[np.flatnonzero(has_close)], "close_date").to_numpy()
    won = (stage == "closed_won") & (closed < np.datetime64(end))
    open_now = np.isin(stage, OPEN_STAGES) & (created < end).to_numpy()
    account_ids = deals[customer_col].to_numpy()
    out["won_deals"] = pd.Series(account_ids[won]).value_counts().reindex(index, fill_value=0).astype(float)
    out["open_deals"] = (
        pd.Series(account_ids[open_now]).value_counts().reindex(index, fill_value=0).astype(float)
    )

    require_columns(wallets, [customer_col, "spend_here", "wallet"], "wallets")
    if len(wallets):
        require_no_missing(wallets, customer_col, "account id")
        here = require_numeric(wallets, "spend_here")
        whole = require_numeric(wallets, "wallet")
        require_non_negative(here, "spend_here", "spending is at least 0")
        require_non_negative(whole, "wallet", "spending is at least 0")
        sums = pd.DataFrame({"a": wallets[customer_col].to_numpy(), "h": here, "w": whole}).groupby("a").sum()
        share = (sums["h"] / sums["w"].where(sums["w"] > 0)).clip(upper=1.0)
        out["share_of_wallet"] = share.reindex(index)
    else:
        out["share_of_wallet"] = np.nan
    return out[_FEATURES]


def _contacts_in(
    table: pd.DataFrame, name: str, date_col: str, customer_col: str, window: tuple
) -> np.ndarray:
    """The distinct accounts with at least one row dated inside the window."""
    require_columns(table, [customer_col, date_col], name)
    known = table[customer_col].notna().to_numpy()
    if not known.any():
        return np.array([], dtype=object)
    part = table.iloc[np.flatnonzero(known)]
    dates = to_datetime_column(part, date_col)
    inside = ((dates >= window[0]) & (dates < window[1])).to_numpy()
    return pd.unique(part[customer_col].to_numpy()[inside])


def kam_stages(features: pd.DataFrame, rules: StageRules | None = None) -> pd.DataFrame:
    """The stage of each account in the key-account development model, by the rules of :func:`stage_rules`.

    The rules are tried in order (pre-KAM, uncoupling, synergistic, partnership,
    mid, early); the first that fits gives the stage. A missing share of wallet
    fails the rules that need one.

    Parameters
    ----------
    features : DataFrame
        One row per account, as from :func:`account_features` (its ten columns).
    rules : StageRules, optional
        The thresholds (default: ``StageRules()``).

    Returns
    -------
    DataFrame
        A copy of ``features`` with ``kam_stage`` added: a key of
        :data:`crmlib.relationship.KEY_ACCOUNT_STAGES`, as an ordered categorical
        (pre-KAM ... synergistic, then uncoupling).

    Raises
    ------
    DataError
        ``features`` is not a non-empty DataFrame or lacks a column; a feature is
        not a number, infinite or negative, or missing where it must not be
        (every column but ``days_since_order`` and ``share_of_wallet``);
        ``rules`` is not a StageRules.

    References
    ----------
    Millman & Wilson (1994), the stages of key account relational development.

    Examples
    --------
    >>> f = pd.DataFrame({"orders": [0, 40, 30], "tenure_days": [0, 900, 800],
    ...     "days_since_order": [None, 5, 300], "revenue_last_year": [0, 9e4, 1e3],
    ...     "revenue_year_before": [0, 8e4, 5e4], "categories": [0, 8, 2], "contacts": [0, 3, 1],
    ...     "won_deals": [0, 5, 1], "open_deals": [0, 1, 0], "share_of_wallet": [None, 0.6, 0.2]},
    ...     index=["a", "b", "c"])
    >>> kam_stages(f)["kam_stage"].tolist()
    ['pre_kam', 'synergistic_kam', 'uncoupling_kam']
    """
    rules = StageRules() if rules is None else rules
    if not isinstance(rules, StageRules):
        raise DataError(f"rules must be a StageRules, got {type(rules).__name__}")
    require_frame(features, "features")
    require_columns(features, _FEATURES, "features")
    values = {}
    for column in _FEATURES:
        if column in ("days_since_order", "share_of_wallet"):  # missing is allowed here
            missing = features[column].isna().to_numpy()
            raw = features[column].to_numpy(dtype=object).copy()
            raw[missing] = 0.0
            filled = require_numeric(pd.DataFrame({column: raw}, index=features.index), column)
            checked = filled.where(~missing)
        else:
            checked = require_numeric(features, column)
        require_non_negative(checked, column, "counts, days, amounts and shares are at least 0")
        values[column] = checked.to_numpy()
    r = rules
    v = values
    with np.errstate(invalid="ignore"):
        sow = np.nan_to_num(v["share_of_wallet"], nan=-1.0)
        since = np.nan_to_num(v["days_since_order"], nan=np.inf)
        conditions = [
            v["orders"] == 0,
            (since > r.uncoupling_days)
            | (
                (v["revenue_year_before"] > 0)
                & (v["revenue_last_year"] < r.uncoupling_drop * v["revenue_year_before"])
            ),
            (v["tenure_days"] >= r.synergistic_tenure_days)
            & (v["categories"] >= r.synergistic_categories)
            & (v["won_deals"] >= r.synergistic_won)
            & (sow >= r.synergistic_share),
            (v["tenure_days"] >= r.partnership_tenure_days)
            & (v["categories"] >= r.partnership_categories)
            & (v["won_deals"] >= r.partnership_won)
            & (sow >= r.partnership_share),
            (v["categories"] >= r.mid_categories) & (v["contacts"] >= r.mid_contacts),
        ]
    stage = np.select(conditions, list(_RULE_ORDER[:5]), "early_kam")
    out = features.copy()
    order = [s for s in KEY_ACCOUNT_STAGES if s != "uncoupling_kam"] + ["uncoupling_kam"]
    out["kam_stage"] = pd.Categorical(stage, categories=order, ordered=True)
    return out


# ----------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------
def plot_abc_curve(
    classes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The cumulative share of the value against the share of accounts, best first, coloured
    by ABC class, with the 100 % line (a curve that rises above it shows loss-making accounts).

    Parameters
    ----------
    classes : DataFrame
        The output of :func:`abc_classes` (``cumulative_share`` and ``abc_class``,
        sorted from the most valuable account).
    ax, title, source
        The plot contract (see :mod:`crmlib.plots`).

    Returns
    -------
    Axes

    Raises
    ------
    DataError
        ``classes`` is not a non-empty DataFrame, lacks a column, holds shares
        that are not finite numbers, or classes other than A, B and C.
    """
    from .plots import PALETTE, finish, new_figure

    require_frame(classes, "classes")
    require_columns(classes, ["cumulative_share", "abc_class"], "classes")
    cumulative = require_numeric(classes, "cumulative_share").to_numpy()
    labels = classes["abc_class"].to_numpy()
    unknown = ~np.isin(labels, ABC_CLASSES)
    if unknown.any():
        raise DataError(f"column 'abc_class' must hold only A, B and C; got {labels[unknown][0]!r}")
    n = len(cumulative)
    x = np.arange(0, n + 1) / n
    y = np.concatenate([[0.0], cumulative])
    if ax is None:
        _, ax = new_figure()
    colours = {"A": PALETTE[0], "B": PALETTE[1], "C": PALETTE[3]}
    for label in ABC_CLASSES:
        where = np.flatnonzero(labels == label)
        if where.size == 0:
            continue
        span = np.arange(where.min(), where.max() + 2)
        ax.plot(
            x[span], y[span], color=colours[label], linewidth=2.5, label=term(f"abc_class_{label.lower()}")
        )
    ax.axhline(1.0, color="0.4", linestyle=":", label=term("total_profit_line"))
    ax.set_ylim(0, max(1.05, float(np.max(y)) * 1.05))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.yaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(term("share_of_accounts"))
    ax.set_ylabel(term("cumulative_share_of_profit"))
    ax.legend(loc="lower right")
    return finish(ax, title, source)
