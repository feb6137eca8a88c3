"""Customer value (客户价值): customer lifetime value from a cash-flow table or
from retention, the break-even period, and how concentrated value is.

The deterministic side of chapter 04; the probabilistic models (BG/NBD,
Pareto/NBD, gamma-gamma, BG/BB) are in :mod:`crmlib.models`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from .glossary import glossary_table, term
from .validation import (
    DataError,
    describe_rows,
    require_choice,
    require_columns,
    require_count,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_number,
    require_numeric,
    require_unique_values,
    to_date,
    to_datetime_column,
    to_numbers,
)

if TYPE_CHECKING:
    import ipywidgets as widgets
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .models import BGNBD, GammaGamma, ParetoNBD, ShiftedBetaGeometric
    from .validation import DateLike

__all__ = [
    "MAX_PERIODS",
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
    "ValueInterval",
    "residual_value_interval",
    "iso_value_table",
    "plot_iso_value",
    "heterogeneity_gap",
]

#: The most periods :func:`cohort_margin_table` builds a table for (10,000 quarters are
#: 2,500 years): a larger ``periods`` is refused instead of filling the memory.
MAX_PERIODS = 10_000


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
        ``cashflows`` is not a non-empty DataFrame; a column is missing or holds
        non-numbers, missing or infinite values; periods are negative or repeated;
        ``discount_rate`` is not a number between 0 and 1.

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
    needed = [period_col, revenue_col, cost_col] + ([acquisition_col] if acquisition_col is not None else [])
    require_columns(cashflows, needed, "cashflows")
    rate = require_number(discount_rate, "discount_rate", low=0, high=1, rate=True)
    period = require_numeric(cashflows, period_col)
    require_non_negative(period, period_col, "periods count from 0, the start of the relationship")
    require_unique_values(period, period_col, "period")
    revenue = require_numeric(cashflows, revenue_col)
    cost = require_numeric(cashflows, cost_col)
    acquisition = (
        require_numeric(cashflows, acquisition_col)
        if acquisition_col is not None
        else pd.Series(0.0, index=cashflows.index)
    )
    if (period == period.round()).all():
        period = period.astype(int)
    table = pd.DataFrame(
        {"period": period, "margin": revenue - cost, "acquisition_cost": acquisition}
    ).sort_values("period", kind="stable")
    table["net"] = table["margin"] - table["acquisition_cost"]
    table["discount_factor"] = (1 + rate) ** -table["period"]
    table["present_value"] = table["net"] * table["discount_factor"]
    table["cumulative"] = table["present_value"].cumsum()
    return table.reset_index(drop=True)


_CLV_COLUMNS = ("period_col", "revenue_col", "cost_col", "acquisition_col")


def clv(cashflows: pd.DataFrame, discount_rate: float = 0.0, **columns: str | None) -> float:
    """The CLV of a cash-flow table: the last cumulative value of :func:`clv_table`.

    ``columns`` are the column names of :func:`clv_table` (``period_col``,
    ``revenue_col``, ``cost_col``, ``acquisition_col``).

    Raises
    ------
    DataError
        As :func:`clv_table`, or a keyword that is not one of its column names.

    Examples
    --------
    >>> flows = pd.DataFrame({"period": [0, 1], "revenue": [100.0, 110.0], "cost": [150.0, 0.0]})
    >>> round(clv(flows, discount_rate=0.1, acquisition_col=None), 2)
    50.0
    """
    for keyword in columns:
        require_choice(keyword, "each keyword of clv", _CLV_COLUMNS)
    return float(clv_table(cashflows, discount_rate=discount_rate, **columns)["cumulative"].iloc[-1])


def break_even_period(
    table: pd.DataFrame, cumulative_col: str = "cumulative", period_col: str = "period"
) -> int | float | None:
    """First period at which the cumulative (discounted) margin reaches zero and stays there.

    The rows are read in the order of their period (not of the table).

    Parameters
    ----------
    table : DataFrame
        One row per period, e.g. the output of :func:`clv_table`.
    cumulative_col, period_col : str
        The cumulative margin and the period number.

    Returns
    -------
    int, float or None
        The period (an int when it is a whole number), or ``None`` when the
        relationship never pays back.

    Raises
    ------
    DataError
        ``table`` is not a non-empty DataFrame; a column is missing or holds
        non-numbers, missing or infinite values; a period is repeated.

    Examples
    --------
    >>> t = pd.DataFrame({"period": [0, 1, 2, 3], "cumulative": [-100.0, -30.0, 20.0, 60.0]})
    >>> break_even_period(t)
    2
    """
    require_frame(table, "table")
    require_columns(table, [cumulative_col, period_col], "table")
    period = require_numeric(table, period_col)
    require_unique_values(period, period_col, "period")
    cumulative = require_numeric(table, cumulative_col)
    order = np.argsort(period.to_numpy(), kind="stable")
    periods = period.to_numpy()[order]
    below = np.flatnonzero(cumulative.to_numpy()[order] < 0)
    first = 0 if below.size == 0 else below[-1] + 1
    if first >= len(periods):
        return None
    value = float(periods[first])
    return int(value) if value.is_integer() else value


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
        m, the margin per period (a negative margin gives a negative CLV).
    retention : float
        r in [0, 1], the share of customers who stay from one period to the next
        (1 only with a finite horizon or a positive discount rate).
    discount_rate : float
        i in [0, 1] per period (0.10 for 10%).
    periods : int, optional
        n >= 0, the last period (a whole number); ``None`` for the infinite horizon.

    Returns
    -------
    float
        The CLV.

    Raises
    ------
    DataError
        ``margin`` is not a finite number; ``retention`` or ``discount_rate`` is
        not a number between 0 and 1; ``periods`` is not a whole number >= 0; or
        retention 1 with discount rate 0 over the infinite horizon (the sum has no end).

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
    m = require_number(margin, "margin")
    r = require_number(retention, "retention", low=0, high=1, rate=True)
    i = require_number(discount_rate, "discount_rate", low=0, high=1, rate=True)
    n = None if periods is None else require_count(periods, "periods", low=0)
    if n is None:
        if r >= 1 + i:
            raise DataError(
                "retention 1 with discount_rate 0 has no infinite-horizon CLV (the customer pays "
                "the full margin forever): give a finite number of periods or a retention below 1"
            )
        return m * (1 + i) / (1 + i - r)
    ratio = r / (1 + i)
    if ratio == 1:
        return m * (n + 1)
    return m * (1 - ratio ** (n + 1)) / (1 - ratio)


def retention_for_clv(target_clv: float, margin: float, discount_rate: float) -> float:
    """The retention rate at which the infinite-horizon CLV equals ``target_clv``.

    Solves m (1 + i) / (1 + i - r) = CLV for r: r = (1 + i) (1 - m / CLV).

    Parameters
    ----------
    target_clv : float
        The CLV to reach, at least the margin (the customer pays m at t = 0).
    margin : float
        m > 0, the margin per period.
    discount_rate : float
        i in [0, 1] per period (0.10 for 10%).

    Returns
    -------
    float
        The retention rate r in [0, 1).

    Raises
    ------
    DataError
        An argument is not a finite number or out of range; ``target_clv`` is
        below the margin; or no retention below 1 reaches ``target_clv``.

    Examples
    --------
    >>> round(retention_for_clv(retention_clv(100, 0.6, 0.1), 100, 0.1), 6)
    0.6
    """
    target_clv = require_number(target_clv, "target_clv", low=0, low_open=True)
    margin = require_number(margin, "margin", low=0, low_open=True)
    i = require_number(discount_rate, "discount_rate", low=0, high=1, rate=True)
    if target_clv < margin:
        raise DataError(
            "target_clv must be at least the margin (the customer pays m at t = 0): "
            f"got target_clv={target_clv:g}, margin={margin:g}"
        )
    r = (1 + i) * (1 - margin / target_clv)
    if r >= 1:
        raise DataError(
            f"no retention rate below 1 gives a CLV of {target_clv:g}: with margin {margin:g} "
            f"and discount rate {i}, the most a customer can be worth is {margin * (1 + i) / i:.4g}"
        )
    return r


def clv_sensitivity(margin: float, retention_rates: ArrayLike, discount_rates: ArrayLike) -> pd.DataFrame:
    """Infinite-horizon retention CLV on a grid: rows are retention rates, columns
    discount rates (see :func:`retention_clv`).

    Parameters
    ----------
    margin : float
        m, the margin per period.
    retention_rates, discount_rates : array-like
        Rates between 0 and 1 (0.10 for 10%), at least one of each.

    Returns
    -------
    DataFrame
        Indexed by ``retention``, with one column per ``discount_rate``.

    Raises
    ------
    DataError
        ``margin`` is not a finite number; the rates are not numbers between 0
        and 1; or retention 1 meets discount rate 0 (an infinite CLV).

    Examples
    --------
    >>> clv_sensitivity(100, [0.5, 0.8], [0.1, 0.2]).round(1).to_dict()
    {0.1: {0.5: 183.3, 0.8: 366.7}, 0.2: {0.5: 171.4, 0.8: 300.0}}
    """
    margin = require_number(margin, "margin")
    rows = to_numbers(retention_rates, "retention_rates")
    cols = to_numbers(discount_rates, "discount_rates")
    for name, rates in (("retention_rates", rows), ("discount_rates", cols)):
        for rate in rates:
            require_number(float(rate), name, low=0, high=1, rate=True)
    if rows.max() >= 1 + cols.min():
        raise DataError(
            "retention 1 with discount rate 0 has no infinite-horizon CLV (the customer pays "
            "the full margin forever): leave one of them out of the grid"
        )
    values = [[retention_clv(margin, r, i) for i in cols] for r in rows]
    return pd.DataFrame(
        values, index=pd.Index(rows, name="retention"), columns=pd.Index(cols, name="discount_rate")
    )


# ----------------------------------------------------------------------------------
# Value concentration: Lorenz curve, Gini, top share
# ----------------------------------------------------------------------------------
_RETURNS_ADVICE = "value concentration needs non-negative values per customer (net out returns first)"


def _values(values: object, name: str = "values") -> np.ndarray:
    """The per-customer values as a float array sorted from the largest, or DataError."""
    array = to_numbers(values, name)
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(array.size)
    require_non_negative(pd.Series(array, index=index), name, _RETURNS_ADVICE)
    return _sorted_shares(array, f"the {name}")


def _sorted_shares(array: np.ndarray, what: str) -> np.ndarray:
    if array.sum() <= 0:
        raise DataError(f"{what} add up to 0: there is no value to share")
    return np.sort(array)[::-1]


def _lorenz(v: np.ndarray) -> pd.DataFrame:
    n = v.size
    return pd.DataFrame(
        {
            "customer_share": np.arange(n + 1) / n,
            "value_share": np.concatenate([[0.0], np.cumsum(v) / v.sum()]),
        }
    )


def _gini(v: np.ndarray) -> float:
    v = v[::-1]
    n = v.size
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * v) / (n * v.sum()))


def _top_share(v: np.ndarray, share: float) -> float:
    curve = _lorenz(v)
    return float(np.interp(share, curve["customer_share"], curve["value_share"]))


def lorenz_curve(values: ArrayLike) -> pd.DataFrame:
    """Cumulative share of value against cumulative share of customers, best first.

    Sorting customers from the most to the least valuable, row k gives the
    share of customers k/N and the share of total value they hold. (The
    classic Lorenz curve sorts from the least valuable; this "concentration
    curve" reads directly as "the top 20% hold ...".)

    Parameters
    ----------
    values : array-like
        One non-negative value per customer (e.g. :func:`value_per_customer`).

    Returns
    -------
    DataFrame
        ``customer_share`` and ``value_share``, from (0, 0) to (1, 1).

    Raises
    ------
    DataError
        ``values`` is not a list, array or Series of finite numbers; a value is
        negative (net out returns first); or the values add up to 0.

    Examples
    --------
    >>> lorenz_curve([1, 3])["value_share"].tolist()
    [0.0, 0.75, 1.0]
    """
    return _lorenz(_values(values))


def gini(values: ArrayLike) -> float:
    """Gini coefficient of value across customers: 0 if all are worth the same,
    close to 1 if one customer holds everything.

    G = sum_i (2i - n - 1) v_(i) / (n sum v), with v sorted in increasing order.

    Parameters
    ----------
    values : array-like
        One non-negative value per customer (e.g. :func:`value_per_customer`).

    Returns
    -------
    float
        G, between 0 and 1 - 1/n.

    Raises
    ------
    DataError
        ``values`` is not a list, array or Series of finite numbers; a value is
        negative (net out returns first); or the values add up to 0.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 10])
    0.75
    """
    return _gini(_values(values))


def top_share(values: ArrayLike, top: float = 0.2) -> float:
    """Share of total value held by the top ``top`` fraction of customers (0.2: the
    top 20%, the "80/20 rule"). A fractional customer at the boundary counts in part.

    Parameters
    ----------
    values : array-like
        One non-negative value per customer (e.g. :func:`value_per_customer`).
    top : float
        The share of customers, between 0 and 1 (0.2 for the top 20%).

    Returns
    -------
    float
        The share of the total value they hold.

    Raises
    ------
    DataError
        ``values`` is not a list, array or Series of finite numbers; a value is
        negative (net out returns first); the values add up to 0; or ``top`` is
        not a number between 0 and 1.

    Examples
    --------
    >>> top_share([10, 0, 0, 0, 0], top=0.2)
    1.0
    """
    v = _values(values)
    share = require_number(top, "top", low=0, high=1, rate=True)
    return _top_share(v, share)


def _per_customer(data: pd.DataFrame, customer_col: str, value_col: str) -> pd.Series:
    require_frame(data, "data")
    require_columns(data, [customer_col, value_col], "data")
    require_no_missing(data, customer_col, "customer id")
    amounts = require_numeric(data, value_col)
    return amounts.groupby(data[customer_col]).sum().clip(lower=0)


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
        Customer identifier; every row needs one (a row without a customer is
        refused rather than left out of the totals).
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
        ``data`` is not a non-empty DataFrame; a column is missing;
        ``customer_col`` has missing ids; ``value_col`` holds non-numbers,
        missing or infinite values.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
    ...                        "margin": [30.0, 20.0, 50.0, 10.0, -40.0]})
    >>> value_per_customer(orders, value_col="margin").tolist()
    [50.0, 50.0, 0.0]
    >>> top_share(value_per_customer(orders, value_col="margin"), top=1 / 3)
    0.5
    """
    return _per_customer(data, customer_col, value_col)


def value_concentration(
    data: pd.DataFrame, customer_col: str = "customer_id", value_col: str = "amount"
) -> pd.Series:
    """Gini, top-20% share and number of customers of the total value per customer.

    ``data`` may hold several rows per customer (e.g. orders): values are summed
    per customer first. Customers with a negative total (returns) count as 0
    (see :func:`value_per_customer`).

    Parameters
    ----------
    data, customer_col, value_col
        As in :func:`value_per_customer`.

    Returns
    -------
    Series
        ``customers``, ``total``, ``top_20_share`` and ``gini``, named ``value_col``.

    Raises
    ------
    DataError
        As :func:`value_per_customer`, or when no customer has a positive total.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3], "amount": [10.0, 5.0, 5.0, 0.0]})
    >>> value_concentration(orders).round(3).tolist()
    [3.0, 20.0, 0.3, 0.333]
    """
    per_customer = _per_customer(data, customer_col, value_col)
    v = _sorted_shares(per_customer.to_numpy(), f"the per-customer totals of column {value_col!r}")
    return pd.Series(
        {
            "customers": int(per_customer.size),
            "total": float(per_customer.sum()),
            "top_20_share": _top_share(v, 0.2),
            "gini": _gini(v),
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

    Parameters
    ----------
    customers : DataFrame
        One row per customer: ``customer_col`` (each id once) and ``signup_col``
        (a date for every customer).
    orders : DataFrame
        One row per order: ``customer_col``, ``date_col`` and the order's
        ``revenue_col`` and ``cost_col`` (numbers >= 0; returns netted out first).
        Orders of customers outside the cohort are not used.
    cohort_start, cohort_end : date-like
        The first and last signup day of the cohort (both included, whole days).
    periods : int
        Number of periods of the table, 1 to :data:`MAX_PERIODS` (10,000).
    period : {"Q", "M"}
        Quarters or months.
    customer_col, signup_col, date_col, revenue_col, cost_col : str
        Column names.

    Returns
    -------
    DataFrame
        ``period`` (0 .. periods-1), ``revenue``, ``cost``, ``active_share``
        (share of the cohort with an order in the period).

    Warns
    -----
    UserWarning
        When orders of cohort customers come before their signup period (they
        are left out, and the warning says how many), or when no order of the
        cohort falls in the table's periods (often ids that do not match
        between the two tables).

    Raises
    ------
    DataError
        A table is not a non-empty DataFrame or lacks a column; a customer id is
        missing or (in ``customers``) repeated; a date is missing, not a date, a
        number such as 20240131 or has a time zone; revenue or cost holds
        non-numbers, missing, infinite or negative values; ``cohort_end`` comes
        before ``cohort_start``; no customer signed up in between; ``periods`` is
        not a whole number from 1 to 10,000; ``period`` is not "Q" or "M".

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b"],
    ...                           "signup_date": ["2022-01-05", "2022-02-01"]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                        "order_date": ["2022-01-10", "2022-05-01", "2022-03-03"],
    ...                        "revenue": [100.0, 50.0, 30.0], "cost": [60.0, 20.0, 10.0]})
    >>> cohort_margin_table(customers, orders, "2022-01-01", "2022-03-31", periods=2)
       period  revenue  cost  active_share
    0       0     65.0  35.0           1.0
    1       1     25.0  10.0           0.5
    """
    for table, name, cols in (
        (customers, "customers", [customer_col, signup_col]),
        (orders, "orders", [customer_col, date_col, revenue_col, cost_col]),
    ):
        require_frame(table, name)
        require_columns(table, cols, name)
        require_no_missing(table, customer_col, "customer id")
    first_day = to_date(cohort_start, "cohort_start").normalize()
    last_day = to_date(cohort_end, "cohort_end").normalize()
    if last_day < first_day:
        raise DataError(
            f"cohort_end ({last_day.date()}) comes before cohort_start ({first_day.date()}): swap them"
        )
    n_periods = require_count(periods, "periods", low=1, high=MAX_PERIODS)
    period = require_choice(period, "period", ["Q", "M"])
    require_unique_values(customers[customer_col], customer_col, "customer")
    require_no_missing(customers, signup_col, "signup date")
    signup = to_datetime_column(customers, signup_col)
    order_date = to_datetime_column(orders, date_col)
    advice = "an order's revenue and cost are amounts; net returns out of their order first"
    revenue = require_numeric(orders, revenue_col)
    require_non_negative(revenue, revenue_col, advice)
    cost = require_numeric(orders, cost_col)
    require_non_negative(cost, cost_col, advice)

    # positions, not labels: a repeated or text index of either table does not matter
    signup_day = signup.dt.normalize()
    in_cohort = ((signup_day >= first_day) & (signup_day <= last_day)).to_numpy()
    size = int(in_cohort.sum())
    if size == 0:
        raise DataError(
            f"no customer in column {signup_col!r} signed up between {first_day.date()} and {last_day.date()}"
        )
    start = pd.Series(
        signup.to_numpy()[in_cohort], index=customers[customer_col].to_numpy()[in_cohort]
    ).dt.to_period(period)
    ids = orders[customer_col].to_numpy()
    mine = pd.Series(ids).isin(start.index).to_numpy()
    order_period = pd.Series(order_date.to_numpy()[mine]).dt.to_period(period)
    offset = order_period.astype("int64").to_numpy() - start.loc[ids[mine]].astype("int64").to_numpy()
    early = offset < 0
    if early.any():
        warnings.warn(
            f"orders has {int(early.sum())} orders of cohort customers before their signup "
            f"{'quarter' if period == 'Q' else 'month'} "
            f"({describe_rows(orders.index[np.flatnonzero(mine)[early]])}): they are left out",
            UserWarning,
            stacklevel=2,
        )
    cohort_orders = pd.DataFrame(
        {
            "period": offset,
            "customer": ids[mine],
            "revenue": revenue.to_numpy()[mine],
            "cost": cost.to_numpy()[mine],
        }
    )
    cohort_orders = cohort_orders[(offset >= 0) & (offset < n_periods)]
    if cohort_orders.empty:
        warnings.warn(
            f"no order in orders belongs to the {size} cohort customers within the {n_periods} "
            f"periods: the table is all zeros. Check that the ids in column {customer_col!r} "
            "match between customers and orders",
            UserWarning,
            stacklevel=2,
        )
    grouped = cohort_orders.groupby("period")
    table = pd.DataFrame({"period": np.arange(n_periods)})
    table["revenue"] = table["period"].map(grouped["revenue"].sum()).fillna(0.0) / size
    table["cost"] = table["period"].map(grouped["cost"].sum()).fillna(0.0) / size
    table["active_share"] = table["period"].map(grouped["customer"].nunique()).fillna(0) / size
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
    net present value, with the break-even period marked (the legend names the
    negative bars, such as an acquisition quarter, apart from the positive ones).

    Parameters
    ----------
    table : DataFrame
        The output of :func:`clv_table` (columns ``period``, ``present_value``
        and ``cumulative``).
    currency : str
        The glossary key of the value axis' label: ``"amount_cny"`` or ``"amount_usd"``.
    ax, title, source
        The plot contract (see :mod:`crmlib.plots`).

    Returns
    -------
    Axes

    Raises
    ------
    DataError
        ``table`` is not a non-empty DataFrame, lacks a column, holds non-numbers,
        missing or infinite values or repeats a period; ``currency`` is not a
        currency label of the glossary.
    """
    from .plots import PALETTE, finish, new_figure

    require_frame(table, "table")
    require_columns(table, ["period", "present_value", "cumulative"], "table")
    even = break_even_period(table)
    period = require_numeric(table, "period")
    present_value = require_numeric(table, "present_value")
    cumulative = require_numeric(table, "cumulative")
    require_choice(currency, "currency", _currencies())
    if ax is None:
        _, ax = new_figure()
    # positive and negative bars drawn apart, so that each colour drawn has its legend entry
    bars, heights = period.to_numpy(), present_value.to_numpy()
    for keep, colour, key in (
        (heights >= 0, PALETTE[0], "period_npv_positive"),
        (heights < 0, PALETTE[3], "period_npv_negative"),
    ):
        if keep.any():
            ax.bar(bars[keep], heights[keep], color=colour, alpha=0.6, label=term(key))
    order = np.argsort(period.to_numpy(), kind="stable")
    ax.plot(
        period.to_numpy()[order],
        cumulative.to_numpy()[order],
        marker="o",
        color=PALETTE[7],
        label=term("cumulative_npv"),
    )
    ax.axhline(0, color="0.3", linewidth=0.8)
    if even is not None:
        ax.axvline(even, color=PALETTE[2], linestyle="--", label=term("break_even_period"))
    ax.set_xlabel(term("relationship_period"))
    ax.set_ylabel(term(currency))
    ax.legend(loc="best")
    return finish(ax, title, source)


def _currencies() -> list[str]:
    """The glossary keys of the currency labels (``amount_cny``, ``amount_usd``, ...)."""
    return [key for key in glossary_table(kind="label").index if key.startswith("amount_")]


def plot_retention_sensitivity(
    margin: float,
    retention_rates: ArrayLike,
    discount_rates: ArrayLike,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Infinite-horizon CLV against the retention rate, one line per discount rate.

    Parameters
    ----------
    margin, retention_rates, discount_rates
        As in :func:`clv_sensitivity`.
    ax, title, source
        The plot contract (see :mod:`crmlib.plots`).

    Returns
    -------
    Axes

    Raises
    ------
    DataError
        As :func:`clv_sensitivity`.
    """
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
    with the equality line and the top-20% mark.

    Parameters
    ----------
    curves : dict
        Maps a legend label to the per-customer values of one customer base
        (as in :func:`lorenz_curve`), e.g. ``{"demo company": values}``.
    ax, title, source
        The plot contract (see :mod:`crmlib.plots`).

    Returns
    -------
    Axes

    Raises
    ------
    DataError
        ``curves`` is not a non-empty dict, or its values are not valid
        per-customer values (see :func:`lorenz_curve`).
    """
    from .plots import PALETTE, finish, new_figure

    if not isinstance(curves, dict) or not curves:
        got = "an empty dict" if isinstance(curves, dict) else f"a {type(curves).__name__}"
        raise DataError(
            "curves must map a legend label to the values of one customer base, e.g. "
            f"{{'demo company': values}}; got {got}"
        )
    sorted_values = {label: _values(values, f"curves[{label}]") for label, values in curves.items()}
    if ax is None:
        _, ax = new_figure()
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", label=term("equal_value_line"))
    for k, (label, v) in enumerate(sorted_values.items()):
        colour = PALETTE[k % len(PALETTE)]
        curve = _lorenz(v)
        ax.plot(curve["customer_share"], curve["value_share"], color=colour, label=str(label))
        share = _top_share(v, 0.2)
        ax.plot([0.2], [share], marker="o", color=colour)
        ax.annotate(f"{share:.0%}", (0.2, share), xytext=(6, -12), textcoords="offset points", color=colour)
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

    Parameters
    ----------
    margin : float
        The starting margin per period, 10 to 500 (the slider's range).
    retention : float
        The starting retention rate, 0 to 0.95.
    discount_rate : float
        The starting discount rate per period, 0 to 0.3.

    Returns
    -------
    ipywidgets.VBox
        Its ``clv_text`` attribute is the HTML widget that shows the current
        value (useful to test the control without a browser).

    Raises
    ------
    DataError
        A starting value that is not a number within its slider's range (a
        slider would silently move it to the end of its range).
    """
    import ipywidgets as widgets

    margin = require_number(margin, "margin", low=10, high=500)
    retention = require_number(retention, "retention", low=0, high=0.95, rate=True)
    discount_rate = require_number(discount_rate, "discount_rate", low=0, high=0.3, rate=True)

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


# ----------------------------------------------------------------------------------
# Residual value with its uncertainty
# ----------------------------------------------------------------------------------
class ValueInterval(NamedTuple):
    """A value with the interval that carries the models' parameter uncertainty.

    ``values`` holds the value recomputed for each parameter draw.
    """

    estimate: float
    lower: float
    upper: float
    level: float
    n_draws: int
    kind: str
    values: np.ndarray


def residual_value_interval(
    transaction_model: BGNBD | ParetoNBD,
    spend_model: GammaGamma,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    monetary: ArrayLike,
    *,
    discount_rate: float,
    period_length: float,
    margin: float = 1.0,
    level: float = 0.95,
    n_draws: int = 200,
    seed: int = 0,
) -> ValueInterval:
    """The residual value of customers (one, or a whole base) with an interval.

    value = margin * sum_i DERT_i * E[M_i | x_i, m_i]

    with DERT from the transaction model (discounted expected residual transactions,
    Fader, Hardie & Lee 2005b, eq. 2) and E[M | x, m] the Gamma-Gamma expected spend
    per transaction (eq. 5). The estimate uses the fitted parameters; the interval
    recomputes the value for ``n_draws`` draws of both models' parameters from the
    asymptotic normal of their log-parameters (:func:`crmlib.models.parameter_draws`;
    the two models are fitted on separate likelihoods, so their draws are independent)
    and takes the central ``level`` share of those values: a parametric-bootstrap
    percentile interval. It carries the uncertainty of the parameters, not of which
    customers buy (that is in DERT itself), nor of the models being wrong.

    Parameters
    ----------
    transaction_model : ParetoNBD or BGNBD
        Fitted (with :meth:`fit`).
    spend_model : GammaGamma
        Fitted (with :meth:`fit`).
    frequency, recency, T, monetary : scalar, array or Series
        The customers' calibration histories (as in the models' ``fit``); pass one
        customer for her CLV, every customer for customer equity.
    discount_rate, period_length : float
        A discrete rate per period and how many time units one period spans (0.15 and
        52 for a yearly 15% on weekly data), as in ``discounted_expected_transactions``.
    margin : float
        The share of spend that is margin (0 < margin <= 1).
    level : float
        The interval's level (0.95 for a 95% interval).
    n_draws : int
        Parameter draws (20 to 10,000).
    seed : int
        Seed of the draws (a whole number >= 0): the same seed gives the same interval.

    Returns
    -------
    ValueInterval
        ``estimate``, ``lower``, ``upper``, ``level``, ``n_draws``, ``kind`` and the
        drawn ``values``.

    Raises
    ------
    DataError
        Arguments out of range; models of the wrong kind; histories as in the models.
    ModelFitError
        A model not fitted with data (see :func:`crmlib.models.parameter_draws`).

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005b). RFM and CLV: Using iso-value
    curves for customer base analysis. Journal of Marketing Research 42(4), 415-430.

    Examples
    --------
    >>> from crmlib.models import GammaGamma, ParetoNBD, simulate_gamma_gamma, simulate_pareto_nbd
    >>> d = simulate_pareto_nbd(np.full(2000, 39.0), r=0.55, alpha=10.6, s=0.61, beta=11.7, seed=2)
    >>> buyers = simulate_gamma_gamma(d.loc[d["frequency"] > 0, "frequency"], p=6.25, q=3.74, gamma=15.44, seed=2)
    >>> pareto = ParetoNBD().fit(d["frequency"], d["recency"], d["T"])
    >>> spend = GammaGamma().fit(buyers["frequency"], buyers["monetary"])
    >>> one = residual_value_interval(pareto, spend, 2, 30.43, 38.86, 40.0,
    ...                               discount_rate=0.15, period_length=52, margin=0.3, n_draws=50)
    >>> one.lower < one.estimate < one.upper
    True
    """
    from .models import BGNBD, GammaGamma, ParetoNBD, parameter_draws
    from .models._base import _as_array, _check_rft, _continuous_discount, _same_rows

    if not isinstance(transaction_model, (BGNBD, ParetoNBD)):
        raise DataError(
            f"transaction_model must be a fitted ParetoNBD or BGNBD, got {type(transaction_model).__name__}"
        )
    if not isinstance(spend_model, GammaGamma):
        raise DataError(f"spend_model must be a fitted GammaGamma, got {type(spend_model).__name__}")
    share = require_number(margin, "margin", low=0, low_open=True, high=1, rate=True)
    level = require_number(level, "level", low=0, low_open=True, high=1, high_open=True)
    n = require_count(n_draws, "n_draws", low=20, high=10_000)
    seed = require_count(seed, "seed")

    # the histories are checked once, by the fitted models; each draw then reuses them
    dert = transaction_model.discounted_expected_transactions(
        discount_rate, frequency, recency, T, period_length=period_length
    )
    spend = spend_model.expected_spend(frequency, monetary)
    estimate = float(share * np.sum(np.asarray(dert, dtype=float) * np.asarray(spend, dtype=float)))
    frequency, recency, T, monetary = _same_rows(frequency=frequency, recency=recency, T=T, monetary=monetary)
    x, tx, big_t = _check_rft(frequency, recency, T)  # matched by label, as the models do
    m = np.broadcast_to(_as_array(monetary, "monetary"), x.shape)
    delta = _continuous_discount(discount_rate, period_length)
    counting = parameter_draws(transaction_model, n, seed=seed)
    spending = parameter_draws(spend_model, n, seed=seed + 1)
    counting_type = type(transaction_model)
    values = np.empty(n)
    for i, (c, g) in enumerate(zip(counting.to_dict("records"), spending.to_dict("records"), strict=True)):
        expected_spend = (g["gamma"] + np.where(x > 0, m, 0.0) * x) * g["p"] / (g["p"] * x + g["q"] - 1)
        values[i] = share * np.sum(counting_type.from_params(**c)._dert(x, tx, big_t, delta) * expected_spend)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise DataError(
            "some parameter draws give no finite value (a Gamma-Gamma draw with p x + q <= 1, whose mean "
            "spend does not exist): the spend model is too uncertain for an interval; fit it on more data"
        )
    tail = (1 - level) / 2
    lower, upper = np.quantile(values, [tail, 1 - tail])
    kind = "parametric bootstrap percentile interval (parameter uncertainty only)"
    return ValueInterval(estimate, float(lower), float(upper), float(level), n, kind, values)


# ----------------------------------------------------------------------------------
# Iso-value curves
# ----------------------------------------------------------------------------------
def iso_value_table(
    transaction_model: BGNBD | ParetoNBD,
    spend_model: GammaGamma,
    *,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: float,
    average_spend: float,
    discount_rate: float,
    period_length: float,
    margin: float = 1.0,
) -> pd.DataFrame:
    """The residual value of a customer for every pair of frequency and recency.

    value(x, t_x) = margin * DERT(x, t_x, T) * E[M | x, m]

    for one observation length T and one average spend m per transaction: the
    surface behind the iso-value curves of Fader, Hardie & Lee (2005b, Figure 6),
    where every customer on one curve is worth the same. Value rises with recency
    (a recent buyer is more likely alive) and with frequency, but a frequent buyer
    who has gone quiet can be worth less than a rare one who bought last week; a
    score that adds R and F points cannot show that.

    Parameters
    ----------
    transaction_model : ParetoNBD or BGNBD
        Fitted (or made with ``from_params``).
    spend_model : GammaGamma
        Fitted (or made with ``from_params``).
    frequency : array-like
        The repeat-transaction counts x of the grid (whole numbers >= 1).
    recency : array-like
        The recencies t_x of the grid (0 < t_x <= T), in the models' time unit.
    T : float
        The observation length shared by the grid's customers.
    average_spend : float
        The mean spend per transaction m of the grid's customers (> 0).
    discount_rate, period_length : float
        As in ``discounted_expected_transactions``: a discrete rate per period and
        how many time units one period spans (0.15 and 52 for a yearly 15% on weekly data).
    margin : float
        The share of spend that is margin (0 < margin <= 1).

    Returns
    -------
    pandas.DataFrame
        One row per (frequency, recency) pair: ``frequency``, ``recency``, ``dert``,
        ``expected_spend`` and ``value``.

    Raises
    ------
    DataError
        A grid that is empty, not whole (frequency), outside (0, T] (recency); an
        argument out of range; models of the wrong kind.

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005b). RFM and CLV: Using iso-value
    curves for customer base analysis. Journal of Marketing Research 42(4), 415-430.

    Examples
    --------
    >>> from crmlib.models import GammaGamma, ParetoNBD
    >>> pareto = ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67)
    >>> spend = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
    >>> grid = iso_value_table(pareto, spend, frequency=[1, 5], recency=[10.0, 38.0], T=39.0,
    ...                        average_spend=35.0, discount_rate=0.15, period_length=52, margin=0.3)
    >>> grid[["frequency", "recency"]].values.tolist()
    [[1.0, 10.0], [1.0, 38.0], [5.0, 10.0], [5.0, 38.0]]
    """
    from .models import BGNBD, GammaGamma, ParetoNBD

    if not isinstance(transaction_model, (BGNBD, ParetoNBD)):
        raise DataError(
            f"transaction_model must be a ParetoNBD or BGNBD, got {type(transaction_model).__name__}"
        )
    if not isinstance(spend_model, GammaGamma):
        raise DataError(f"spend_model must be a GammaGamma, got {type(spend_model).__name__}")
    big_t = require_number(T, "T", low=0, low_open=True)
    xs = to_numbers(frequency, "frequency", low=1, integer=True)
    ts = to_numbers(recency, "recency", low=0, high=big_t)
    if np.any(ts <= 0):
        raise DataError("recency must be above 0 for a customer with repeat purchases (t_x > 0)")
    m = require_number(average_spend, "average_spend", low=0, low_open=True)
    share = require_number(margin, "margin", low=0, low_open=True, high=1, rate=True)
    x, tx = (a.ravel() for a in np.meshgrid(xs, ts, indexing="ij"))
    dert = transaction_model.discounted_expected_transactions(
        discount_rate, x, tx, np.full(x.shape, big_t), period_length=period_length
    )
    spend = spend_model.expected_spend(x, np.full(x.shape, m))
    return pd.DataFrame(
        {
            "frequency": x.astype(float),
            "recency": tx,
            "dert": dert,
            "expected_spend": spend,
            "value": share * np.asarray(dert) * np.asarray(spend),
        }
    )


def plot_iso_value(
    table: pd.DataFrame,
    *,
    levels: ArrayLike | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Iso-value curves: lines of equal residual value over recency and frequency.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`iso_value_table` (columns ``frequency``, ``recency``, ``value``),
        with at least two frequencies and two recencies.
    levels : array-like, optional
        The values at which to draw a curve (increasing); by default seven levels
        chosen by matplotlib.
    ax, title, source
        The plot contract (see :mod:`crmlib.plots`).

    Returns
    -------
    Axes

    Raises
    ------
    DataError
        A table without those columns or without a full grid; levels not increasing.
    """
    from .plots import PALETTE, finish, new_figure

    require_frame(table, "table")
    require_columns(table, ["frequency", "recency", "value"], "table")
    for column in ("frequency", "recency", "value"):
        require_numeric(table, column)
    surface = table.pivot_table(index="frequency", columns="recency", values="value")
    if surface.shape[0] < 2 or surface.shape[1] < 2 or surface.isna().any().any():
        raise DataError(
            "table must hold a full grid of at least two frequencies and two recencies "
            "(as iso_value_table returns)"
        )
    chosen = None
    if levels is not None:
        chosen = to_numbers(levels, "levels")
        if np.any(np.diff(chosen) <= 0):
            raise DataError("levels must be increasing")
    if ax is None:
        _, ax = new_figure()
    # One colour for every curve, as the legend shows it; each curve carries its value as a label.
    lines = ax.contour(surface.columns, surface.index, surface.to_numpy(), levels=chosen, colors=PALETTE[0])
    ax.clabel(lines, fmt="{:,.0f}".format, fontsize=8)
    ax.plot([], [], color=PALETTE[0], label=term("iso_value_curve"))
    ax.set_xlabel(term("recency_weeks"))
    ax.set_ylabel(term("frequency"))
    ax.set_xlim(0, float(surface.columns.max()))
    ax.set_ylim(0, float(surface.index.max()))
    ax.legend(loc="upper left")
    return finish(ax, title, source)


# ----------------------------------------------------------------------------------
# A contractual base valued with and without heterogeneity
# ----------------------------------------------------------------------------------
def heterogeneity_gap(
    model: ShiftedBetaGeometric,
    customers_by_renewals: pd.Series,
    *,
    margin: float,
    discount_rate: float,
    retention_rate: float | None = None,
) -> pd.DataFrame:
    """Value a contractual customer base of mixed tenure with the sBG and with one
    average retention rate, and show where they part.

    For N_n customers who have made n renewals, the sBG values each at
    m * DERL(n) (:meth:`ShiftedBetaGeometric.derl`, Fader & Hardie 2010, eq. 6),
    which rises with n because the customers most likely to leave have left. One
    retention rate r for everyone gives every customer
    m * sum_{k>=0} r^(k+1)/(1+d)^k = m * r (1+d) / (1+d-r),
    whatever her tenure. By default r is the base's retention rate this period,
    sum_n N_n r(n+1) / sum_n N_n with r(t) the sBG's retention rate in period t:
    the number a manager would measure on this base.

    Parameters
    ----------
    model : ShiftedBetaGeometric
        Fitted (or made with ``from_params``).
    customers_by_renewals : pandas.Series
        Number of customers (non-negative) indexed by renewals made so far
        (whole numbers >= 0, unique).
    margin : float
        Net cash flow per customer and period (> 0).
    discount_rate : float
        Discrete rate per period (0 < d <= 1).
    retention_rate : float, optional
        The single rate to compare with (0 < r < 1); default: the base's rate, above.

    Returns
    -------
    pandas.DataFrame
        One row per tenure and a last row ``total``: ``customers``, ``sbg`` and
        ``one_rate`` (value of those customers), ``gap`` (one_rate - sbg); the
        DataFrame's ``attrs["retention_rate"]`` holds r.

    Raises
    ------
    DataError
        A model of another kind; counts not a Series of non-negative numbers indexed
        by unique whole numbers >= 0; arguments out of range.

    References
    ----------
    Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation in a contractual
    setting: The perils of ignoring heterogeneity. Marketing Science, 29(1), 85-93.

    Examples
    --------
    >>> from crmlib.retention import ShiftedBetaGeometric
    >>> import pandas as pd
    >>> sbg = ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182)
    >>> table = heterogeneity_gap(sbg, pd.Series([100, 60, 40], index=[0, 1, 2]), margin=1.0, discount_rate=0.1)
    >>> table.index.tolist()
    [0, 1, 2, 'total']
    """
    from .models import ShiftedBetaGeometric

    if not isinstance(model, ShiftedBetaGeometric):
        raise DataError(f"model must be a ShiftedBetaGeometric, got {type(model).__name__}")
    if not isinstance(customers_by_renewals, pd.Series) or customers_by_renewals.empty:
        raise DataError(
            "customers_by_renewals must be a non-empty Series: the number of customers, indexed by "
            "the renewals they have made so far (0, 1, 2, ...)"
        )
    renewals = to_numbers(
        customers_by_renewals.index, "the index of customers_by_renewals", low=0, integer=True
    )
    if len(np.unique(renewals)) != len(renewals):
        raise DataError("the index of customers_by_renewals repeats a number of renewals")
    counts = to_numbers(customers_by_renewals.to_numpy(), "customers_by_renewals", low=0)
    if counts.sum() <= 0:
        raise DataError("customers_by_renewals counts nobody")
    m = require_number(margin, "margin", low=0, low_open=True)
    d = require_number(discount_rate, "discount_rate", low=0, low_open=True, high=1, rate=True)
    if retention_rate is None:
        r = float(np.sum(counts * model.retention_rate(renewals.astype(int) + 1)) / counts.sum())
    else:
        r = require_number(retention_rate, "retention_rate", low=0, low_open=True, high=1, high_open=True)
    per_customer_sbg = np.asarray(model.derl(d, renewals=renewals.astype(int)), dtype=float) * m
    per_customer_one = m * r * (1 + d) / (1 + d - r)
    table = pd.DataFrame(
        {"customers": counts, "sbg": counts * per_customer_sbg, "one_rate": counts * per_customer_one},
        index=pd.Index(renewals.astype(int), name="renewals"),
    )
    table.loc["total"] = table.sum()
    table["gap"] = table["one_rate"] - table["sbg"]
    table.attrs["retention_rate"] = r
    return table
