"""Customer value (客户价值): customer lifetime value from a cash-flow table or
from retention, the break-even period, and how concentrated value is.

The deterministic side of chapter 04; the probabilistic models (BG/NBD,
Pareto/NBD, gamma-gamma, BG/BB) are in :mod:`crmlib.models`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .glossary import term
from .validation import (
    DataError,
    require_columns,
    require_frame,
    require_non_negative,
    require_numeric,
    to_date,
    to_datetime_column,
)

if TYPE_CHECKING:
    import ipywidgets as widgets
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .validation import DateLike

__all__ = [
    "clv_table",
    "clv",
    "break_even_period",
    "retention_clv",
    "retention_for_clv",
    "clv_sensitivity",
    "lorenz_curve",
    "gini",
    "top_share",
    "value_per_customer",
    "value_concentration",
    "cohort_margin_table",
    "plot_clv_table",
    "plot_retention_sensitivity",
    "plot_lorenz",
    "retention_clv_widget",
]


def _rate(value, name: str, low: float = 0.0, high: float | None = None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise DataError(f"{name} must be a number, got {value!r}") from error
    if not np.isfinite(number) or number < low or (high is not None and number > high):
        upper = "" if high is None else f" and at most {high}"
        raise DataError(
            f"{name} must be at least {low}{upper}, got {value!r}"
            + (" (give rates as fractions: 10% is 0.10)" if number > 1 else "")
        )
    return number


# ----------------------------------------------------------------------------------
# CLV of a cash-flow table
# ----------------------------------------------------------------------------------
def clv_table(
    cashflows: pd.DataFrame,
    period_col: str = "period",
    revenue_col: str = "revenue",
    cost_col: str = "cost",
    acquisition_col: str | None = "acquisition_cost",
    discount_rate: float = 0.0,
) -> pd.DataFrame:
    """The CLV calculation table: margin, discounting and cumulative margin per period.

    CLV = sum_{t=0}^{n} (R_t - C_t) / (1 + i)^t, with R_t the revenue and C_t the
    cost of period t (the acquisition cost included, usually at t = 0) and i the
    discount rate per period.

    Parameters
    ----------
    cashflows : DataFrame
        One row per period of the relationship.
    period_col : str
        Period number t (0, 1, 2, ...): the exponent of the discount factor.
    revenue_col, cost_col : str
        Revenue R_t and the cost of serving the customer in the period.
    acquisition_col : str or None
        Acquisition cost (获取客户成本) spent in the period; ``None`` if there is none.
    discount_rate : float
        i, per period, as a fraction (0.10 for 10%).

    Returns
    -------
    DataFrame
        ``period``, ``margin`` (R_t minus the serving cost, 边际收益),
        ``acquisition_cost``, ``net`` (margin minus acquisition cost),
        ``discount_factor`` 1/(1+i)^t, ``present_value`` and ``cumulative``
        (cumulative present value, 累计边际收益). The last ``cumulative`` is the CLV.

    Raises
    ------
    DataError
        Missing columns, non-numbers, negative or repeated periods.

    References
    ----------
    Berger, P. D., & Nasr, N. I. (1998). Customer lifetime value: marketing models
    and applications. Journal of Interactive Marketing 12(1), 17-30.

    Examples
    --------
    >>> flows = pd.DataFrame({"period": [0, 1, 2], "revenue": [100.0, 100.0, 100.0],
    ...                       "cost": [60.0, 60.0, 60.0], "acquisition_cost": [50.0, 0.0, 0.0]})
    >>> clv_table(flows, discount_rate=0.1)["cumulative"].round(2).tolist()
    [-10.0, 26.36, 59.42]
    """
    require_frame(cashflows, "cashflows")
    needed = [period_col, revenue_col, cost_col] + ([acquisition_col] if acquisition_col else [])
    require_columns(cashflows, needed, "cashflows")
    rate = _rate(discount_rate, "discount_rate", 0.0, 1.0)
    period = require_numeric(cashflows, period_col)
    require_non_negative(period, period_col, "periods count from 0, the start of the relationship")
    if period.duplicated().any():
        raise DataError(
            f"column {period_col!r} repeats periods "
            f"{sorted(period[period.duplicated()].unique().tolist())[:5]}: one row per period"
        )
    revenue = require_numeric(cashflows, revenue_col)
    cost = require_numeric(cashflows, cost_col)
    acquisition = (
        require_numeric(cashflows, acquisition_col)
        if acquisition_col
        else pd.Series(0.0, index=cashflows.index)
    )
    if (period == period.round()).all():
        period = period.astype(int)
    table = pd.DataFrame(
        {"period": period, "margin": revenue - cost, "acquisition_cost": acquisition}
    ).sort_values("period")
    table["net"] = table["margin"] - table["acquisition_cost"]
    table["discount_factor"] = (1 + rate) ** -table["period"]
    table["present_value"] = table["net"] * table["discount_factor"]
    table["cumulative"] = table["present_value"].cumsum()
    return table.reset_index(drop=True)


def clv(cashflows: pd.DataFrame, discount_rate: float = 0.0, **columns: str | None) -> float:
    """The CLV of a cash-flow table: the last cumulative value of :func:`clv_table`.

    Examples
    --------
    >>> flows = pd.DataFrame({"period": [0, 1], "revenue": [100.0, 110.0], "cost": [150.0, 0.0]})
    >>> round(clv(flows, discount_rate=0.1, acquisition_col=None), 2)
    50.0
    """
    return float(clv_table(cashflows, discount_rate=discount_rate, **columns)["cumulative"].iloc[-1])


def break_even_period(
    table: pd.DataFrame, cumulative_col: str = "cumulative", period_col: str = "period"
) -> int | float | None:
    """First period at which the cumulative (discounted) margin reaches zero and stays there.

    Returns the period (a number), or ``None`` when the relationship never pays back.

    Examples
    --------
    >>> t = pd.DataFrame({"period": [0, 1, 2, 3], "cumulative": [-100.0, -30.0, 20.0, 60.0]})
    >>> break_even_period(t)
    2
    """
    require_frame(table, "table")
    require_columns(table, [cumulative_col, period_col], "table")
    ordered = table.sort_values(period_col)
    cumulative = require_numeric(ordered, cumulative_col).to_numpy()
    below = np.flatnonzero(cumulative < 0)
    if below.size == len(cumulative):
        return None
    first = 0 if below.size == 0 else below[-1] + 1
    if first >= len(cumulative):
        return None
    value = ordered[period_col].iloc[first]
    return int(value) if float(value).is_integer() else float(value)


# ----------------------------------------------------------------------------------
# Retention-based CLV
# ----------------------------------------------------------------------------------
def retention_clv(margin: float, retention: float, discount_rate: float, periods: int | None = None) -> float:
    """CLV of a customer with constant margin m per period and retention rate r.

    CLV = sum_{t=0}^{n} m r^t / (1 + i)^t: the customer pays m now (t = 0) and
    is still a customer in period t with probability r^t. With n -> infinity
    (``periods=None``) this is m (1 + i) / (1 + i - r).

    Parameters
    ----------
    margin : float
        m, the margin per period.
    retention : float
        r in [0, 1), the share of customers who stay from one period to the next.
    discount_rate : float
        i >= 0 per period (0.10 for 10%).
    periods : int, optional
        n, the last period; ``None`` for the infinite horizon.

    References
    ----------
    Gupta, S., & Lehmann, D. R. (2003). Customers as assets. Journal of
    Interactive Marketing 17(1), 9-24 (they let the first margin come at the
    end of period 1, which multiplies this by r/(1+i)).

    Examples
    --------
    >>> round(retention_clv(100, 0.8, 0.1), 2)
    366.67
    >>> round(retention_clv(100, 0.8, 0.1, periods=2), 2)
    225.62
    """
    m = float(margin)
    r = _rate(retention, "retention", 0.0, 1.0)
    i = _rate(discount_rate, "discount_rate", 0.0, 1.0)
    if periods is None:
        if r >= 1 + i:
            raise DataError("retention must be below 1 + discount_rate for the infinite sum to converge")
        return m * (1 + i) / (1 + i - r)
    n = int(periods)
    if n < 0:
        raise DataError(f"periods must be 0 or more, got {periods!r}")
    ratio = r / (1 + i)
    if ratio == 1:
        return m * (n + 1)
    return m * (1 - ratio ** (n + 1)) / (1 - ratio)


def retention_for_clv(target_clv: float, margin: float, discount_rate: float) -> float:
    """The retention rate at which the infinite-horizon CLV equals ``target_clv``.

    Solves m (1 + i) / (1 + i - r) = CLV for r: r = (1 + i) (1 - m / CLV).

    Examples
    --------
    >>> round(retention_for_clv(retention_clv(100, 0.6, 0.1), 100, 0.1), 6)
    0.6
    """
    i = _rate(discount_rate, "discount_rate", 0.0, 1.0)
    if not target_clv >= margin > 0:
        raise DataError(
            "target_clv must be at least the margin (the customer pays m at t = 0), "
            f"and the margin positive: got target_clv={target_clv!r}, margin={margin!r}"
        )
    r = (1 + i) * (1 - margin / target_clv)
    if r >= 1:
        raise DataError(
            f"no retention rate below 1 gives a CLV of {target_clv}: with margin {margin} "
            f"and discount rate {i}, the most a customer can be worth is {margin * (1 + i) / i:.4g}"
        )
    return r


def clv_sensitivity(margin: float, retention_rates: ArrayLike, discount_rates: ArrayLike) -> pd.DataFrame:
    """Infinite-horizon retention CLV on a grid: rows are retention rates, columns
    discount rates (see :func:`retention_clv`)."""
    rows = np.asarray(retention_rates, dtype=float)
    cols = np.asarray(discount_rates, dtype=float)
    values = [[retention_clv(margin, r, i) for i in cols] for r in rows]
    return pd.DataFrame(
        values, index=pd.Index(rows, name="retention"), columns=pd.Index(cols, name="discount_rate")
    )


# ----------------------------------------------------------------------------------
# Value concentration: Lorenz curve, Gini, top share
# ----------------------------------------------------------------------------------
def _values(values, name: str = "value") -> np.ndarray:
    if isinstance(values, pd.DataFrame):
        raise DataError(f"{name} must be one column of values per customer, got a DataFrame")
    series = pd.Series(np.asarray(values, dtype=float) if not isinstance(values, pd.Series) else values)
    frame = series.to_frame(name)
    numbers = require_numeric(frame, name)
    require_non_negative(
        numbers, name, "value concentration needs non-negative values per customer (net out returns first)"
    )
    array = numbers.to_numpy()
    if array.size == 0 or array.sum() <= 0:
        raise DataError(f"column {name!r} sums to 0: there is no value to share")
    return np.sort(array)[::-1]


def lorenz_curve(values: ArrayLike) -> pd.DataFrame:
    """Cumulative share of value against cumulative share of customers, best first.

    Sorting customers from the most to the least valuable, row k gives the
    share of customers k/N and the share of total value they hold. (The
    classic Lorenz curve sorts from the least valuable; this "concentration
    curve" reads directly as "the top 20% hold ...".)

    Returns
    -------
    DataFrame
        ``customer_share`` and ``value_share``, from (0, 0) to (1, 1).
    """
    v = _values(values)
    n = v.size
    return pd.DataFrame(
        {
            "customer_share": np.arange(n + 1) / n,
            "value_share": np.concatenate([[0.0], np.cumsum(v) / v.sum()]),
        }
    )


def gini(values: ArrayLike) -> float:
    """Gini coefficient of value across customers: 0 if all are worth the same,
    close to 1 if one customer holds everything.

    G = sum_i (2i - n - 1) v_(i) / (n sum v), with v sorted in increasing order.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 10])
    0.75
    """
    v = _values(values)[::-1]
    n = v.size
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * v) / (n * v.sum()))


def top_share(values: ArrayLike, top: float = 0.2) -> float:
    """Share of total value held by the top ``top`` fraction of customers (0.2: the
    top 20%, the "80/20 rule"). A fractional customer at the boundary counts in part.

    Examples
    --------
    >>> top_share([10, 0, 0, 0, 0], top=0.2)
    1.0
    """
    share = _rate(top, "top", 0.0, 1.0)
    curve = lorenz_curve(values)
    return float(np.interp(share, curve["customer_share"], curve["value_share"]))


def value_per_customer(
    data: pd.DataFrame, customer_col: str = "customer_id", value_col: str = "amount"
) -> pd.Series:
    """Total value per customer, a negative total counted as 0: the values a Lorenz
    curve, the Gini coefficient and the top-20% share are computed from.

    v_c = max(0, sum of ``value_col`` over the rows of customer c). A customer
    whose returns outweigh their purchases holds no share of the value, rather
    than a negative one.

    Parameters
    ----------
    data : DataFrame
        One or more rows per customer (e.g. orders or transactions).
    customer_col : str
        Customer identifier.
    value_col : str
        The value of each row: revenue, margin or spend.

    Returns
    -------
    Series
        One value per customer, indexed by ``customer_col`` (sorted) and named
        ``value_col``: the input of :func:`lorenz_curve`, :func:`gini`,
        :func:`top_share` and :func:`plot_lorenz`.

    Raises
    ------
    DataError
        ``data`` is not a non-empty DataFrame, a column is missing or ``value_col``
        holds non-numbers.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
    ...                        "margin": [30.0, 20.0, 50.0, 10.0, -40.0]})
    >>> value_per_customer(orders, value_col="margin").tolist()
    [50.0, 50.0, 0.0]
    >>> top_share(value_per_customer(orders, value_col="margin"), top=1 / 3)
    0.5
    """
    require_frame(data, "data")
    require_columns(data, [customer_col, value_col], "data")
    amounts = require_numeric(data, value_col)
    return amounts.groupby(data[customer_col]).sum().clip(lower=0)


def value_concentration(
    data: pd.DataFrame, customer_col: str = "customer_id", value_col: str = "amount"
) -> pd.Series:
    """Gini, top-20% share and number of customers of the total value per customer.

    ``data`` may hold several rows per customer (e.g. orders): values are summed
    per customer first. Customers with a negative total (returns) count as 0
    (see :func:`value_per_customer`).
    """
    per_customer = value_per_customer(data, customer_col, value_col)
    return pd.Series(
        {
            "customers": int(per_customer.size),
            "total": float(per_customer.sum()),
            "top_20_share": top_share(per_customer, 0.2),
            "gini": gini(per_customer),
        },
        name=value_col,
    )


# ----------------------------------------------------------------------------------
# A cohort's margin per acquired customer, from an order table
# ----------------------------------------------------------------------------------
def cohort_margin_table(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    cohort_start: DateLike,
    cohort_end: DateLike,
    periods: int,
    period: str = "Q",
    customer_col: str = "customer_id",
    signup_col: str = "signup_date",
    date_col: str = "order_date",
    revenue_col: str = "revenue",
    cost_col: str = "cost",
) -> pd.DataFrame:
    """Revenue and cost per acquired customer, by period since signup, for one cohort.

    The cohort is every customer who signed up between ``cohort_start`` and
    ``cohort_end`` (inclusive); a customer's period 0 is the quarter (``"Q"``)
    or month (``"M"``) of their signup. Dividing by the cohort size (buyers or
    not) gives the cash flow of an average acquired customer, the input of
    :func:`clv_table`.

    Returns
    -------
    DataFrame
        ``period`` (0 .. periods-1), ``revenue``, ``cost``, ``active_share``
        (share of the cohort with an order in the period).
    """
    for table, name, cols in (
        (customers, "customers", [customer_col, signup_col]),
        (orders, "orders", [customer_col, date_col, revenue_col, cost_col]),
    ):
        require_frame(table, name)
        require_columns(table, cols, name)
    if period not in ("Q", "M"):
        raise DataError(f"period must be 'Q' (quarter) or 'M' (month), got {period!r}")
    signup = to_datetime_column(customers, signup_col)
    cohort = customers.loc[
        (signup >= to_date(cohort_start, "cohort_start")) & (signup <= to_date(cohort_end, "cohort_end"))
    ]
    if cohort.empty:
        raise DataError(
            f"no customer in column {signup_col!r} signed up between {cohort_start} and {cohort_end}"
        )
    start = signup.loc[cohort.index].dt.to_period(period)
    start.index = cohort[customer_col]
    mine = orders[orders[customer_col].isin(start.index)].copy()
    order_period = to_datetime_column(mine, date_col).dt.to_period(period)
    offset = order_period.astype("int64") - start.loc[mine[customer_col]].astype("int64").to_numpy()
    mine["period"] = offset.to_numpy()
    mine = mine[(mine["period"] >= 0) & (mine["period"] < periods)]
    size = len(cohort)
    grouped = mine.groupby("period")
    table = pd.DataFrame({"period": np.arange(periods)})
    table["revenue"] = table["period"].map(grouped[revenue_col].sum()).fillna(0.0) / size
    table["cost"] = table["period"].map(grouped[cost_col].sum()).fillna(0.0) / size
    table["active_share"] = table["period"].map(grouped[customer_col].nunique()).fillna(0) / size
    return table


# ----------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------
def plot_clv_table(
    table: pd.DataFrame,
    *,
    currency: str = "amount_cny",
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Bars of each period's net present value and the line of the cumulative
    value, with the break-even period marked."""
    from .plots import PALETTE, finish, new_figure

    if ax is None:
        _, ax = new_figure()
    colours = [PALETTE[3] if v < 0 else PALETTE[0] for v in table["present_value"]]
    ax.bar(table["period"], table["present_value"], color=colours, alpha=0.6)
    # the bars' legend entry shows a positive (blue) bar, whatever colour the first bar has
    ax.bar([], [], color=PALETTE[0], alpha=0.6, label=term("discounted_margin"))
    ax.plot(
        table["period"], table["cumulative"], marker="o", color=PALETTE[7], label=term("cumulative_margin")
    )
    ax.axhline(0, color="0.3", linewidth=0.8)
    even = break_even_period(table)
    if even is not None:
        ax.axvline(even, color=PALETTE[2], linestyle="--", label=term("break_even_period"))
    ax.set_xlabel(term("relationship_period"))
    ax.set_ylabel(term(currency))
    ax.legend(loc="upper left")
    return finish(ax, title, source)


def plot_retention_sensitivity(
    margin: float,
    retention_rates: ArrayLike,
    discount_rates: ArrayLike,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Infinite-horizon CLV against the retention rate, one line per discount rate."""
    from .plots import finish, new_figure

    grid = clv_sensitivity(margin, retention_rates, discount_rates)
    if ax is None:
        _, ax = new_figure()
    for rate in grid.columns:
        ax.plot(grid.index, grid[rate], label=f"{term('discount_rate')} {rate:.0%}")
    ax.set_xlabel(term("retention_rate"))
    ax.set_ylabel(term("customer_lifetime_value"))
    ax.legend(loc="upper left")
    return finish(ax, title, source)


def plot_lorenz(
    curves: dict[str, ArrayLike],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Concentration curves (see :func:`lorenz_curve`) of several customer bases,
    with the equality line and the top-20% mark. ``curves`` maps a legend label
    to the per-customer values."""
    from .plots import PALETTE, finish, new_figure

    if ax is None:
        _, ax = new_figure()
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", label=term("equal_value_line"))
    for k, (label, values) in enumerate(curves.items()):
        curve = lorenz_curve(values)
        ax.plot(curve["customer_share"], curve["value_share"], color=PALETTE[k], label=label)
        share = top_share(values, 0.2)
        ax.plot([0.2], [share], marker="o", color=PALETTE[k])
        ax.annotate(
            f"{share:.0%}", (0.2, share), xytext=(6, -12), textcoords="offset points", color=PALETTE[k]
        )
    ax.axvline(0.2, color="0.5", linewidth=0.8)
    ax.set_xlabel(term("customer_share"))
    ax.set_ylabel(term("value_share"))
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.yaxis.set_major_formatter("{x:.0%}")
    ax.legend(loc="lower right")
    return finish(ax, title, source)


def retention_clv_widget(
    margin: float = 100.0, retention: float = 0.8, discount_rate: float = 0.1
) -> widgets.VBox:
    """A what-if control for a live notebook: sliders for margin, retention and
    discount rate, and the retention-based CLV they give (see :func:`retention_clv`).

    Returns an ``ipywidgets.VBox``; its ``clv_text`` attribute is the HTML widget
    that shows the current value (useful to test the control without a browser).
    """
    import ipywidgets as widgets

    sliders = {
        "margin": widgets.FloatSlider(value=margin, min=10, max=500, step=10, description=term("margin")),
        "retention": widgets.FloatSlider(
            value=retention,
            min=0.0,
            max=0.95,
            step=0.01,
            description=term("retention_rate"),
            readout_format=".0%",
        ),
        "discount_rate": widgets.FloatSlider(
            value=discount_rate,
            min=0.0,
            max=0.3,
            step=0.01,
            description=term("discount_rate"),
            readout_format=".0%",
        ),
    }
    for slider in sliders.values():
        slider.style.description_width = "initial"
    text = widgets.HTML()

    def update(_=None):
        value = retention_clv(
            sliders["margin"].value, sliders["retention"].value, sliders["discount_rate"].value
        )
        text.value = f"<b>{term('customer_lifetime_value')}</b>: {value:,.1f}"

    for slider in sliders.values():
        slider.observe(update, names="value")
    update()
    box = widgets.VBox([*sliders.values(), text])
    box.clv_text = text
    box.sliders = sliders
    return box
