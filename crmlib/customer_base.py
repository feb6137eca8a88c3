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
from matplotlib.ticker import StrMethodFormatter

from .glossary import term
from .plots import PALETTE, finish, new_figure
from .validation import DataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = [
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


def _check_rate(name: str, value: float) -> None:
    if not isinstance(value, (int, float, np.floating, np.integer)) or isinstance(value, bool):
        raise DataError(f"{name} must be a number between 0 and 1, got {value!r}")
    if not (0.0 <= float(value) <= 1.0) or math.isnan(float(value)):
        raise DataError(f"{name} must be between 0 and 1 (a fraction, not a percentage), got {value!r}")


def _check_amount(name: str, value: float) -> None:
    if not isinstance(value, (int, float, np.floating, np.integer)) or isinstance(value, bool):
        raise DataError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(float(value)) or float(value) < 0:
        raise DataError(f"{name} must be a finite number >= 0, got {value!r}")


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

    def __post_init__(self):
        _check_rate("retention", self.retention)
        for field in ("acquired", "margin", "acquisition_cost", "retention_cost", "initial"):
            _check_amount(field, getattr(self, field))

    @property
    def churn(self) -> float:
        """The churn rate 1 - r (顾客流失率)."""
        return round(1.0 - float(self.retention), 12)

    @property
    def label(self) -> str:
        """The strategy's name in the current language when it is a glossary key."""
        try:
            return term(self.name)
        except ValueError:
            return self.name

    def with_(self, **changes: float | str) -> Strategy:
        """A copy with some parameters changed, e.g. ``s.with_(retention=0.9)``."""
        return replace(self, **changes)


def _check_periods(periods: int) -> int:
    if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 1:
        raise DataError(f"periods must be a whole number >= 1, got {periods!r}")
    return int(periods)


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
        Number of periods to simulate (period 0 is the start).
    rng : numpy.random.Generator, optional
        Source of randomness for a stochastic run; ``None`` for the expected path.

    Returns
    -------
    DataFrame
        One row per period 0..periods: ``period``, ``acquired``, ``retained``,
        ``lost``, ``base`` (customers at the end of the period), ``revenue``
        (margin x base), ``acquisition_spend``, ``retention_spend``,
        ``profit`` and ``cumulative_profit``. Period 0 holds the initial base
        and no money.

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
    if not isinstance(strategy, Strategy):
        raise DataError(f"strategy must be a crmlib.customer_base.Strategy, got {type(strategy).__name__}")
    periods = _check_periods(periods)
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

    Example
    -------
    >>> steady_state_base(Strategy("s", acquired=250, retention=0.75, margin=1))
    1000.0
    """
    if strategy.retention == 1:
        return math.inf if strategy.acquired > 0 else float(strategy.initial)
    return float(strategy.acquired) / (1.0 - float(strategy.retention))


def steady_state_profit(strategy: Strategy) -> float:
    """Profit per period once the base has settled at N*.

    profit* = m N* - c_a A - c_r r N* = (m - c_r r) A / (1 - r) - c_a A.

    Example
    -------
    >>> steady_state_profit(Strategy("s", acquired=250, retention=0.75, margin=10,
    ...                               acquisition_cost=20, retention_cost=2))
    3500.0
    """
    n = steady_state_base(strategy)
    if math.isinf(n):
        return math.inf
    return (
        strategy.margin * n
        - strategy.acquisition_cost * strategy.acquired
        - strategy.retention_cost * strategy.retention * n
    )


def compare(strategies: list[Strategy], periods: int, rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Simulate several strategies; one long table with a ``strategy`` column.

    Example
    -------
    >>> a = Strategy("a", acquired=100, retention=0.5, margin=10)
    >>> b = a.with_(name="b", retention=0.9)
    >>> compare([a, b], 2).groupby("strategy")["base"].last().tolist()
    [150.0, 190.0]
    """
    if not strategies:
        raise DataError("strategies is empty: pass at least one Strategy")
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
    periods = _check_periods(periods)
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
    run. Returns NaN when no retention rate in [0, 1) reaches P_T.

    Example
    -------
    >>> t = Strategy("t", acquired=1000, retention=0.5, margin=10, acquisition_cost=10)
    >>> r = Strategy("r", acquired=500, retention=0.5, margin=10, acquisition_cost=10,
    ...              retention_cost=2)
    >>> round(breakeven_retention(t, r), 4)
    0.7143
    """
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

    Example
    -------
    >>> a = Strategy("a", acquired=100, retention=0.3, margin=10, acquisition_cost=5)
    >>> b = a.with_(name="b", acquired=40, retention=0.9)
    >>> crossover_period(compare([a, b], 20), "a", "b", column="base")
    5
    """
    from .validation import require_columns, require_frame

    require_frame(comparison, "comparison")
    require_columns(comparison, ["strategy", "period", column], "comparison")
    wide = comparison.pivot(index="period", columns="strategy", values=column)
    for name in (leader, challenger):
        if name not in wide.columns:
            raise DataError(f"column 'strategy' has no strategy {name!r}; it has {list(wide.columns)}")
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
    strategy earns more per period once both bases have settled.

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
    rates = np.asarray(retention_rates, dtype=float)
    costs = np.asarray(retention_costs, dtype=float)
    base_profit = steady_state_profit(transaction)
    values = np.array(
        [
            [
                steady_state_profit(relationship.with_(retention=float(r), retention_cost=float(c)))
                - base_profit
                for c in costs
            ]
            for r in rates
        ]
    )
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
    """
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
    ``cumulative_profit`` ...) from a :func:`compare` table."""
    from .validation import require_columns, require_frame

    require_frame(comparison, "comparison")
    require_columns(comparison, ["strategy", "period", column], "comparison")
    if ax is None:
        _, ax = new_figure()
    for i, (name, part) in enumerate(comparison.groupby("strategy", sort=False)):
        shown = (labels or {}).get(name)
        if shown is None:
            try:
                shown = term(name)
            except ValueError:
                shown = name
        ax.plot(
            part["period"],
            part[column],
            color=PALETTE[i % len(PALETTE)],
            marker="o",
            markersize=3,
            label=shown,
        )
    if column in ("profit", "cumulative_profit"):
        ax.axhline(0, color="0.3", linewidth=0.8)
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))  # 1,500,000, not 1.5 with 1e6
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
    """Heatmap of :func:`profit_advantage_grid` with the break-even contour (profit gap = 0)."""
    if ax is None:
        _, ax = new_figure()
    values = grid.to_numpy(float)
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    norm = TwoSlopeNorm(vcenter=0.0, vmin=min(low, -1e-9), vmax=max(high, 1e-9))
    x, y = grid.columns.to_numpy(float), grid.index.to_numpy(float)
    mesh = ax.pcolormesh(x, y, values, cmap="PuOr", norm=norm, shading="nearest")
    ax.contour(x, y, values, levels=[0.0], colors="black", linewidths=1.5)
    ax.plot([], [], color="black", linewidth=1.5, label=term("break_even_retention"))
    colourbar = ax.figure.colorbar(mesh, ax=ax)
    colourbar.set_label(term("profit_advantage"))
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
    ax.legend(loc="upper left")
    ax.set_xlabel(term("retention_cost"))
    ax.set_ylabel(term("retention_rate"))
    return finish(ax, title, source)
