"""The customer base as a leaky bucket (漏桶理论): acquisition pours customers in, churn lets them out.

A firm's customer base evolves period by period::

    N_t = r * N_{t-1} + A          (r = retention rate, 1 - r = churn rate,
                                     A = customers acquired per period)

so that, from any start N_0,

    N_t = N* + (N_0 - N*) * r**t    with the steady state  N* = A / (1 - r).

The base stops growing when the customers leaking out, (1 - r) N, equal the
customers poured in, A. With a margin ``m`` per customer and period, an
acquisition cost ``c_a`` per new customer and a retention cost ``c_r`` per
customer kept, the profit of a period is

    profit_t = m * N_t - c_a * A - c_r * r * N_{t-1}.

A *transaction strategy* (交易营销) acquires heavily and keeps few; a
*relationship strategy* (关系营销) acquires less and spends on keeping
customers. :func:`simulate_base` follows one strategy, :func:`compare`
several, :func:`breakeven_retention` finds the retention rate at which a
relationship strategy earns as much as a transaction strategy in the long
run, and :func:`plot_bucket` draws the base "filling and leaking" by
acquisition cohort.

References
----------
Chamecki's "leaky bucket" of transaction marketing (丹尼尔·查密考尔的"漏桶"理论),
as drawn in the slides 《顾客关系管理的性质和功能》 ("The nature and functions of
CRM", School of Journalism and Communication, Guangdong University of Foreign
Studies). Reichheld, F. F., & Sasser,
W. E. (1990). Zero defections: quality comes to services. Harvard Business
Review 68(5), 105-111. Blattberg, R. C., & Deighton, J. (1996). Manage
marketing by the customer equity test. Harvard Business Review 74(4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Patch

from .glossary import term
from .plots import PALETTE, amount_axis, finish, new_figure
from .validation import (
    DataError,
    describe_rows,
    require_columns,
    require_count,
    require_frame,
    require_no_missing,
    require_number,
    require_numeric,
    require_unique_index,
    to_numbers,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = [
    "MAX_PERIODS",
    "MAX_COHORT_PERIODS",
    "MAX_GRID",
    "MAX_SIMULATED_CUSTOMERS",
    "Strategy",
    "simulate_base",
    "steady_state_base",
    "steady_state_profit",
    "compare",
    "cohort_composition",
    "breakeven_retention",
    "crossover_period",
    "profit_advantage_grid",
    "plot_bucket",
    "plot_strategies",
    "plot_profit_advantage",
]


#: The most periods :func:`simulate_base` and :func:`compare` follow (the course uses 60).
MAX_PERIODS = 10_000
#: The most periods of :func:`cohort_composition` and :func:`plot_bucket`, whose table
#: has one row and one column per period (the course uses 15).
MAX_COHORT_PERIODS = 1_000
#: The most retention rates, and the most retention costs, of :func:`profit_advantage_grid`
#: (the course uses 36 x 41).
MAX_GRID = 1_000
#: The most customers acquired per period, and in the initial base, of a stochastic run of
#: :func:`simulate_base` (customers are drawn one by one from binomial and Poisson laws).
MAX_SIMULATED_CUSTOMERS = 10**12


def _check_strategy(value: object, name: str = "strategy") -> Strategy:
    if not isinstance(value, Strategy):
        raise DataError(f"{name} must be a crmlib.customer_base.Strategy, got {type(value).__name__}")
    return value


def _check_rng(rng: object) -> None:
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise DataError(
            f"rng must be a numpy random Generator, e.g. np.random.default_rng(1), or None, "
            f"got {type(rng).__name__}"
        )


@dataclass(frozen=True)
class Strategy:
    """The parameters of a customer strategy, per period.

    Parameters
    ----------
    name : str
        A label, e.g. a glossary key such as ``"transaction_strategy"``
        (shown through :func:`crmlib.term` when it is one).
    acquired : float
        New customers acquired per period, A >= 0.
    retention : float
        Share of the base kept from one period to the next, 0 <= r <= 1;
        the churn rate is 1 - r.
    margin : float
        Margin (revenue less cost of goods) per customer and period.
    acquisition_cost : float
        Cost of acquiring one new customer.
    retention_cost : float
        Cost per customer kept, per period (loyalty programme, service).
    initial : float
        Customers in the base at the start, N_0.

    Raises
    ------
    DataError
        A ``retention`` that is not a number from 0 to 1 (rates are
        fractions: 87 % is 0.87), or an amount that is not a finite number
        >= 0.

    Example
    -------
    >>> s = Strategy("transaction_strategy", acquired=1000, retention=0.6, margin=100,
    ...              acquisition_cost=150)
    >>> s.churn
    0.4
    """

    name: str
    acquired: float
    retention: float
    margin: float
    acquisition_cost: float = 0.0
    retention_cost: float = 0.0
    initial: float = 0.0

    def __post_init__(self) -> None:
        require_number(self.retention, "retention", low=0, high=1, rate=True)
        for field in ("acquired", "margin", "acquisition_cost", "retention_cost", "initial"):
            require_number(getattr(self, field), field, low=0)

    @property
    def churn(self) -> float:
        """The churn rate 1 - r (客户流失率)."""
        return round(1.0 - float(self.retention), 12)

    @property
    def label(self) -> str:
        """The strategy's name in the current language when it is a glossary key."""
        try:
            return term(self.name)
        except ValueError:
            return self.name

    def with_(self, **changes: float | str) -> Strategy:
        """A copy with some parameters changed, e.g. ``s.with_(retention=0.9)``.

        Raises DataError for a name that is not a parameter of a Strategy, or a
        value the Strategy refuses."""
        unknown = [key for key in changes if key not in _FIELDS]
        if unknown:
            raise DataError(
                f"a Strategy has no parameter {unknown[0]!r}; its parameters are {', '.join(_FIELDS)}"
            )
        return replace(self, **changes)


_FIELDS = ("name", "acquired", "retention", "margin", "acquisition_cost", "retention_cost", "initial")


def _check_periods(periods: object, high: int = MAX_PERIODS) -> int:
    return require_count(periods, "periods", low=1, high=high)


def simulate_base(strategy: Strategy, periods: int, rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Follow the customer base of one strategy over ``periods`` periods.

    Without ``rng`` the path is the expected one, N_t = r N_{t-1} + A. With a
    generator, each customer stays with probability r independently
    (binomial) and the number acquired is Poisson with mean A, so that
    the average of many runs is the expected path.

    Parameters
    ----------
    strategy : Strategy
    periods : int
        Number of periods to simulate (period 0 is the start), from 1 to
        :data:`MAX_PERIODS` (10,000).
    rng : numpy.random.Generator, optional
        Source of randomness for a stochastic run; ``None`` for the expected path.
        A stochastic run draws whole customers: the strategy's ``acquired`` and
        ``initial`` are at most :data:`MAX_SIMULATED_CUSTOMERS` (10**12).

    Returns
    -------
    DataFrame
        One row per period 0..periods: ``period``, ``acquired``, ``retained``,
        ``lost``, ``base`` (customers at the end of the period), ``revenue``
        (margin x base), ``acquisition_spend``, ``retention_spend``,
        ``profit`` and ``cumulative_profit``. Period 0 holds the initial base
        and no money.

    Raises
    ------
    DataError
        ``strategy`` not a :class:`Strategy`, ``periods`` not a whole number
        from 1 to :data:`MAX_PERIODS`, ``rng`` not a numpy Generator, or a
        stochastic run of more than :data:`MAX_SIMULATED_CUSTOMERS` customers.

    Example
    -------
    >>> s = Strategy("s", acquired=100, retention=0.5, margin=10, acquisition_cost=20)
    >>> simulate_base(s, 3)[["period", "base", "profit"]]
       period   base  profit
    0       0    0.0     0.0
    1       1  100.0 -1000.0
    2       2  150.0  -500.0
    3       3  175.0  -250.0
    """
    _check_strategy(strategy)
    periods = _check_periods(periods)
    _check_rng(rng)
    if rng is not None:
        for field in ("acquired", "initial"):
            require_number(getattr(strategy, field), f"strategy.{field}", high=MAX_SIMULATED_CUSTOMERS)
    r, a = float(strategy.retention), float(strategy.acquired)
    base = np.empty(periods + 1)
    acquired = np.zeros(periods + 1)
    retained = np.zeros(periods + 1)
    base[0] = strategy.initial
    if rng is None:
        # the expected path in closed form: retained_t = r N_{t-1}
        t = np.arange(periods + 1)
        steady = a / (1 - r) if r < 1 else None
        base = strategy.initial + a * t if steady is None else steady + (strategy.initial - steady) * r**t
        acquired[1:] = a
        retained[1:] = r * base[:-1]
    else:
        base[0] = round(strategy.initial)
        for step in range(1, periods + 1):
            retained[step] = rng.binomial(int(base[step - 1]), r)
            acquired[step] = rng.poisson(a)
            base[step] = retained[step] + acquired[step]
    lost = np.zeros(periods + 1)
    lost[1:] = base[:-1] - retained[1:]
    revenue = strategy.margin * base
    acquisition_spend = strategy.acquisition_cost * acquired
    retention_spend = strategy.retention_cost * retained
    revenue[0] = 0.0
    profit = revenue - acquisition_spend - retention_spend
    return pd.DataFrame(
        {
            "period": np.arange(periods + 1),
            "acquired": acquired,
            "retained": retained,
            "lost": lost,
            "base": base,
            "revenue": revenue,
            "acquisition_spend": acquisition_spend,
            "retention_spend": retention_spend,
            "profit": profit,
            "cumulative_profit": np.cumsum(profit),
        }
    )


def steady_state_base(strategy: Strategy) -> float:
    """The base at which the leak equals the inflow: N* = A / (1 - r).

    Infinite when r = 1 and A > 0 (nothing leaks, the base grows for ever).
    Raises DataError when ``strategy`` is not a :class:`Strategy`.

    Example
    -------
    >>> steady_state_base(Strategy("s", acquired=250, retention=0.75, margin=1))
    1000.0
    """
    _check_strategy(strategy)
    if strategy.retention == 1:
        return math.inf if strategy.acquired > 0 else float(strategy.initial)
    return float(strategy.acquired) / (1.0 - float(strategy.retention))


def steady_state_profit(strategy: Strategy) -> float:
    """Profit per period once the base has settled at N*.

    profit* = m N* - c_a A - c_r r N* = (m - c_r r) A / (1 - r) - c_a A.

    Infinite when r = 1 and A > 0. Raises DataError when ``strategy`` is not a
    :class:`Strategy`.

    Example
    -------
    >>> steady_state_profit(Strategy("s", acquired=250, retention=0.75, margin=10,
    ...                               acquisition_cost=20, retention_cost=2))
    3500.0
    """
    _check_strategy(strategy)
    return _steady_profit(
        strategy.acquired,
        strategy.retention,
        strategy.margin,
        strategy.acquisition_cost,
        strategy.retention_cost,
        strategy.initial,
    )


def _steady_profit(
    acquired: float,
    retention: float,
    margin: float,
    acquisition_cost: float,
    retention_cost: float,
    initial: float,
) -> float:
    if retention == 1:
        n = math.inf if acquired > 0 else float(initial)
    else:
        n = float(acquired) / (1.0 - float(retention))
    if math.isinf(n):
        return math.inf
    return margin * n - acquisition_cost * acquired - retention_cost * retention * n


def compare(strategies: list[Strategy], periods: int, rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Simulate several strategies; one long table with a ``strategy`` column.

    ``strategies`` is a list of :class:`Strategy` with different names;
    ``periods`` and ``rng`` are those of :func:`simulate_base` (at most
    :data:`MAX_PERIODS` periods).

    Raises
    ------
    DataError
        ``strategies`` empty, not a list of Strategy or with a repeated name,
        and the errors of :func:`simulate_base`.

    Example
    -------
    >>> a = Strategy("a", acquired=100, retention=0.5, margin=10)
    >>> b = a.with_(name="b", retention=0.9)
    >>> compare([a, b], 2).groupby("strategy")["base"].last().tolist()
    [150.0, 190.0]
    """
    if not isinstance(strategies, (list, tuple)):
        raise DataError(f"strategies must be a list of Strategy, got {type(strategies).__name__}")
    if not strategies:
        raise DataError("strategies is empty: pass at least one Strategy")
    for strategy in strategies:
        _check_strategy(strategy, "every item of strategies")
    periods = _check_periods(periods)
    _check_rng(rng)
    names = [s.name for s in strategies]
    if len(set(names)) != len(names):
        raise DataError(f"strategy names must be unique, got {names}")
    parts = []
    for strategy in strategies:
        part = simulate_base(strategy, periods, rng=rng)
        part.insert(0, "strategy", strategy.name)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def cohort_composition(strategy: Strategy, periods: int) -> pd.DataFrame:
    """Expected customers of each acquisition cohort still in the base.

    Cohort s (acquired in period s >= 1) holds A r^(t-s) customers in period
    t >= s; cohort 0 is the initial base, N_0 r^t. The columns sum to the
    base of :func:`simulate_base`.

    Parameters
    ----------
    strategy : Strategy
    periods : int
        From 1 to :data:`MAX_COHORT_PERIODS` (1,000): the table has
        ``periods + 1`` rows and columns.

    Raises
    ------
    DataError
        ``strategy`` not a :class:`Strategy`, or ``periods`` not a whole
        number from 1 to :data:`MAX_COHORT_PERIODS`.

    Returns
    -------
    DataFrame
        Index ``period`` 0..periods, one column per cohort 0..periods.

    Example
    -------
    >>> s = Strategy("s", acquired=100, retention=0.5, margin=1)
    >>> cohort_composition(s, 2)
    cohort    0      1      2
    period
    0       0.0    0.0    0.0
    1       0.0  100.0    0.0
    2       0.0   50.0  100.0
    """
    _check_strategy(strategy)
    periods = _check_periods(periods, MAX_COHORT_PERIODS)
    t = np.arange(periods + 1)[:, None]
    s = np.arange(periods + 1)[None, :]
    age = t - s
    r = float(strategy.retention)
    size = np.where(s == 0, float(strategy.initial), float(strategy.acquired))
    values = np.where(age >= 0, size * r ** np.clip(age, 0, None), 0.0)
    frame = pd.DataFrame(
        values, index=pd.Index(t.ravel(), name="period"), columns=pd.Index(s.ravel(), name="cohort")
    )
    return frame


def breakeven_retention(transaction: Strategy, relationship: Strategy) -> float:
    """Retention rate at which ``relationship`` earns the same steady-state profit as ``transaction``.

    Solves (m - c_r r) A / (1 - r) - c_a A = P_T for r, where the margin m,
    the acquisition A and the costs c_a, c_r are those of ``relationship``
    and P_T is the steady-state profit of ``transaction``::

        r* = (P_T + c_a A - m A) / (P_T + c_a A - c_r A)

    Above r* the relationship strategy is the more profitable in the long
    run. Returns NaN when no retention rate in [0, 1) reaches P_T. Raises
    DataError when either argument is not a :class:`Strategy`.

    Example
    -------
    >>> t = Strategy("t", acquired=1000, retention=0.5, margin=10, acquisition_cost=10)
    >>> r = Strategy("r", acquired=500, retention=0.5, margin=10, acquisition_cost=10,
    ...              retention_cost=2)
    >>> round(breakeven_retention(t, r), 4)
    0.7143
    """
    _check_strategy(transaction, "transaction")
    _check_strategy(relationship, "relationship")
    target = steady_state_profit(transaction)
    a, m = float(relationship.acquired), float(relationship.margin)
    ca, cr = float(relationship.acquisition_cost), float(relationship.retention_cost)
    if math.isinf(target):
        return math.nan
    denominator = target + ca * a - cr * a
    if a == 0 or denominator == 0:
        return math.nan
    r = (target + ca * a - m * a) / denominator
    # profit*(r) increases with r only when m > c_r; check the root really reaches the target
    if not (0.0 <= r < 1.0) or m <= cr:
        return math.nan
    return float(r)


def crossover_period(
    comparison: pd.DataFrame, leader: str, challenger: str, column: str = "cumulative_profit"
) -> int | None:
    """First period from which ``challenger`` stays at or above ``leader`` on ``column``.

    ``comparison`` is a table from :func:`compare`. Returns ``None`` when the
    challenger is still behind in the last period.

    Raises
    ------
    DataError
        ``comparison`` not a non-empty DataFrame, missing columns, missing
        strategy names, a ``period`` or ``column`` that is not numeric (text
        such as "$1,234" would be compared as text) or has missing values,
        a period repeated for a strategy, a period one strategy lacks, an
        unknown ``leader`` or ``challenger``, or the same strategy as both.

    Example
    -------
    >>> a = Strategy("a", acquired=100, retention=0.3, margin=10, acquisition_cost=5)
    >>> b = a.with_(name="b", acquired=40, retention=0.9)
    >>> crossover_period(compare([a, b], 20), "a", "b", column="base")
    5
    """
    require_frame(comparison, "comparison")
    require_columns(comparison, ["strategy", "period", column], "comparison")
    require_no_missing(comparison, "strategy", "strategy name")
    periods = require_numeric(comparison, "period")
    values = require_numeric(comparison, column)
    names = list(pd.unique(comparison["strategy"]))
    for name in (leader, challenger):
        if not isinstance(name, str) or name not in names:
            raise DataError(f"column 'strategy' has no strategy {name!r}; it has {names}")
    if leader == challenger:
        raise DataError(f"leader and challenger are the same strategy ({leader!r}): name two strategies")
    long = pd.DataFrame(
        {
            "period": periods.to_numpy(),
            "strategy": comparison["strategy"].to_numpy(),
            "value": values.to_numpy(),
        }
    )
    repeated = long.duplicated(["strategy", "period"])
    if repeated.any():
        first = long[repeated].iloc[0]
        raise DataError(
            f"comparison has {int(repeated.sum())} repeated rows of a strategy and a period "
            f"(e.g. {first['strategy']!r} in period {first['period']:g}): keep one row per strategy and period"
        )
    wide = long.pivot(index="period", columns="strategy", values="value")[[leader, challenger]]
    gaps = wide.isna().any(axis=1)
    if gaps.any():
        lacking = leader if wide[leader].isna().any() else challenger
        raise DataError(
            f"strategy {lacking!r} has no row for {int(gaps.sum())} periods of the other "
            f"({describe_rows(wide.index[gaps])}): compare both over the same periods"
        )
    ahead = (wide[challenger] >= wide[leader]).to_numpy()
    if not ahead[-1]:
        return None
    behind = np.flatnonzero(~ahead)
    first = 0 if len(behind) == 0 else behind[-1] + 1
    return int(wide.index[first])


def profit_advantage_grid(
    transaction: Strategy, relationship: Strategy, retention_rates: ArrayLike, retention_costs: ArrayLike
) -> pd.DataFrame:
    """Steady-state profit of ``relationship`` minus ``transaction`` over a grid.

    Rows are the relationship strategy's retention rates, columns its
    retention costs per customer; a positive cell means the relationship
    strategy earns more per period once both bases have settled. A
    retention rate of 1 with customers acquired gives an infinite cell
    (``inf``): nothing leaks, so the base and its profit grow for ever.

    Parameters
    ----------
    transaction, relationship : Strategy
    retention_rates : sequence of numbers
        From 0 to 1, at most :data:`MAX_GRID` (1,000) of them.
    retention_costs : sequence of numbers
        At least 0, at most :data:`MAX_GRID` (1,000) of them.

    Raises
    ------
    DataError
        A strategy that is not a :class:`Strategy`, a ``transaction`` that
        keeps every customer (its profit is infinite: nothing to compare
        with), or rates and costs that are not lists of numbers in range.

    Example
    -------
    >>> t = Strategy("t", acquired=1000, retention=0.5, margin=10, acquisition_cost=10)
    >>> r = t.with_(name="r", acquired=500)
    >>> profit_advantage_grid(t, r, [0.5, 0.75], [0, 2]).round(1)
    retention_cost     0.0     2.0
    retention
    0.50           -5000.0 -6000.0
    0.75            5000.0  2000.0
    """
    _check_strategy(transaction, "transaction")
    _check_strategy(relationship, "relationship")
    rates = to_numbers(retention_rates, "retention_rates", low=0, high=1, max_size=MAX_GRID)
    costs = to_numbers(retention_costs, "retention_costs", low=0, max_size=MAX_GRID)
    base_profit = steady_state_profit(transaction)
    if math.isinf(base_profit):
        raise DataError(
            "transaction keeps every customer it acquires (retention 1): its steady-state profit is "
            "infinite, so no relationship strategy can be compared with it; give it a retention below 1"
        )
    rel = relationship
    values = np.array(
        [
            [
                _steady_profit(
                    rel.acquired, float(r), rel.margin, rel.acquisition_cost, float(c), rel.initial
                )
                - base_profit
                for c in costs
            ]
            for r in rates
        ]
    ).reshape(len(rates), len(costs))
    return pd.DataFrame(
        values, index=pd.Index(rates, name="retention"), columns=pd.Index(costs, name="retention_cost")
    )


# ---------------------------------------------------------------- figures


def plot_bucket(
    strategy: Strategy,
    periods: int,
    *,
    max_cohorts: int = 8,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The base "filling and leaking": stacked areas of acquisition cohorts.

    Each band is the customers acquired in one period who are still there;
    a band thins as its customers leak out (the legend shows the two
    alternating colours of the bands as one entry). The dashed line is the
    steady state A / (1 - r).

    ``periods`` is that of :func:`cohort_composition` (at most
    :data:`MAX_COHORT_PERIODS`); ``max_cohorts`` (a whole number >= 0) cohorts
    get a band each, the later ones one band together. Bad values raise
    DataError.
    """
    _check_strategy(strategy)
    periods = _check_periods(periods, MAX_COHORT_PERIODS)
    max_cohorts = require_count(max_cohorts, "max_cohorts", low=0)
    comp = cohort_composition(strategy, periods)
    if ax is None:
        _, ax = new_figure()
    shown = comp.iloc[:, : max_cohorts + 1]
    rest = comp.iloc[:, max_cohorts + 1 :].sum(axis=1)
    colours = [PALETTE[0] if i % 2 else PALETTE[5] for i in range(shown.shape[1])]
    ax.stackplot(comp.index, shown.T.to_numpy(), colors=colours, alpha=0.85, edgecolor="white", linewidth=0.6)
    ax.fill_between(
        comp.index,
        shown.sum(axis=1),
        shown.sum(axis=1) + rest,
        color=PALETTE[1],
        alpha=0.6,
        label=term("later_cohorts"),
    )
    steady = steady_state_base(strategy)
    if math.isfinite(steady):
        ax.axhline(steady, color=PALETTE[3], linestyle="--", label=term("steady_state_base"))
        ax.set_ylim(0, max(ax.get_ylim()[1], 1.3 * steady))
    ax.set_xlabel(term("period_year"))
    ax.set_ylabel(term("customer_base"))
    ax.set_xlim(0, periods)
    handles, labels = ax.get_legend_handles_labels()
    bands = tuple(Patch(facecolor=colour, alpha=0.85) for colour in dict.fromkeys(colours[1:3]))
    if bands:  # the cohorts acquired in periods 1, 2, ... (cohort 0 is the initial base)
        handles, labels = [bands, *handles], [term("cohort_bands"), *labels]
    ax.legend(handles, labels, handler_map={tuple: HandlerTuple(ndivide=None, pad=0)}, loc="upper left")
    return finish(ax, title if title else strategy.label, source)


def plot_strategies(
    comparison: pd.DataFrame,
    *,
    column: str = "base",
    labels: dict[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """One line per strategy of ``column`` (``base``, ``profit``,
    ``cumulative_profit`` ...) from a :func:`compare` table.

    ``labels`` maps strategy names to the names in the legend. A table that
    is not a :func:`compare` table (missing columns or strategy names, text
    or missing values in ``period`` or ``column``) raises DataError."""
    require_frame(comparison, "comparison")
    require_columns(comparison, ["strategy", "period", column], "comparison")
    require_no_missing(comparison, "strategy", "strategy name")
    periods = require_numeric(comparison, "period")
    values = require_numeric(comparison, column)
    if labels is not None and not isinstance(labels, dict):
        raise DataError(f"labels must be a dict of strategy -> name, got {type(labels).__name__}")
    if ax is None:
        _, ax = new_figure()
    lines = pd.DataFrame(
        {
            "strategy": comparison["strategy"].to_numpy(),
            "period": periods.to_numpy(),
            "value": values.to_numpy(),
        }
    )
    for i, (name, part) in enumerate(lines.groupby("strategy", sort=False)):
        shown = (labels or {}).get(name)
        if shown is None:
            try:
                shown = term(name)
            except ValueError:
                shown = name
        ax.plot(
            part["period"],
            part["value"],
            color=PALETTE[i % len(PALETTE)],
            marker="o",
            markersize=3,
            label=shown,
        )
    if column in ("profit", "cumulative_profit"):
        ax.axhline(0, color="0.3", linewidth=0.8)
        amount_axis(ax.yaxis)  # 1,500,000 (150万), not 1.5 with 1e6
    ax.set_xlabel(term("period_year"))
    ax.set_ylabel(
        term(
            {
                "base": "customer_base",
                "profit": "profit_per_year",
                "cumulative_profit": "cumulative_profit",
            }.get(column, column)
        )
    )
    ax.legend()
    return finish(ax, title, source)


def plot_profit_advantage(
    grid: pd.DataFrame,
    *,
    mark: tuple[float, float] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Heatmap of :func:`profit_advantage_grid` with the break-even contour (profit gap = 0).

    The colour bar reads in money with thousands separators (600,000). Give
    retention rates from 0 (``np.linspace(0, 0.95, 96)``) for an axis of rates
    that starts at zero. ``mark`` (retention cost, retention rate) puts a star
    on one strategy. A
    grid that is not a table of finite numbers with retention rates as rows
    and retention costs as columns, at least two of each (a contour needs
    them), raises DataError; so does a ``mark`` that is not two numbers.
    """
    require_frame(grid, "grid")
    y = to_numbers(list(grid.index), "grid's rows (retention rates)")
    x = to_numbers(list(grid.columns), "grid's columns (retention costs)")
    if len(y) < 2 or len(x) < 2:
        raise DataError(
            f"grid has {len(y)} retention rates and {len(x)} retention costs: the break-even contour "
            "needs at least two of each"
        )
    require_unique_index(grid, "grid")
    if grid.columns.duplicated().any():
        raise DataError(
            f"grid repeats the retention costs {sorted(set(grid.columns[grid.columns.duplicated()]))}: "
            "give each cost once"
        )
    values = np.column_stack([require_numeric(grid, column).to_numpy() for column in grid.columns])
    if mark is not None:
        mark = tuple(to_numbers(mark, "mark"))
        if len(mark) != 2:
            raise DataError(f"mark must be two numbers (retention cost, retention rate), got {len(mark)}")
    if ax is None:
        _, ax = new_figure()
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    norm = TwoSlopeNorm(vcenter=0.0, vmin=min(low, -1e-9), vmax=max(high, 1e-9))
    mesh = ax.pcolormesh(x, y, values, cmap="PuOr", norm=norm, shading="nearest")
    ax.contour(x, y, values, levels=[0.0], colors="black", linewidths=1.5)
    ax.plot([], [], color="black", linewidth=1.5, label=term("break_even_retention"))
    colourbar = ax.figure.colorbar(mesh, ax=ax)
    colourbar.set_label(term("profit_advantage"))
    amount_axis(colourbar.ax.yaxis)  # 600,000 (60万), not 600000
    if mark is not None:
        ax.plot(
            [mark[0]],
            [mark[1]],
            marker="*",
            markersize=14,
            color="black",
            linestyle="none",
            label=term("relationship_strategy"),
        )
    # lower left: the break-even line and the star sit high on a grid of rates from 0
    ax.legend(loc="lower left", frameon=True, framealpha=0.9)
    ax.set_xlabel(term("retention_cost"))
    ax.set_ylabel(term("retention_rate"))
    return finish(ax, title, source)
