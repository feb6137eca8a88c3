"""Projecting customer retention in a contractual setting: the sBG model.

A contractual business (a subscription, a membership, an insurance policy)
sees exactly when each customer leaves. The question the manager asks is how
many of a cohort will still be here in five years. Fader & Hardie (2007)
show that the obvious answer, fitting a curve through the survival numbers
seen so far, goes badly wrong, and that a two-parameter story of *why*
customers leave projects well:

* each customer, while alive, renews at the end of every period with her own
  probability 1 - theta, so her lifetime is (shifted) geometric;
* theta differs from customer to customer and follows a beta(alpha, beta)
  distribution across the cohort.

The cohort's survival then falls ever more slowly: the customers most likely
to leave leave first, so the retention rate of those who remain *rises* with
tenure, even though no individual customer changes.

References
----------
Fader, P. S., & Hardie, B. G. S. (2007). How to project customer retention.
Journal of Interactive Marketing, 21(1), 76-90.

Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation in a
contractual setting: The perils of ignoring heterogeneity. Marketing Science,
29(1), 85-93.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, hyp2f1

from .validation import DataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = ["ShiftedBetaGeometric", "naive_projection", "NAIVE_CURVES", "projection_table", "plot_projection"]

#: The naive curves of :func:`naive_projection`, as in Fader & Hardie (2007), Figure 2.
NAIVE_CURVES = ("linear", "quadratic", "exponential")


def _active_counts(active, name: str = "active") -> np.ndarray:
    """Validate a survivor series: whole, non-negative, non-increasing numbers, cohort > 0."""
    if isinstance(active, (pd.DataFrame, dict)) or np.ndim(active) != 1:
        raise DataError(
            f"{name} must be one sequence of numbers of customers still active at t = 0, 1, ..., n "
            f"(e.g. a column of a DataFrame), got {type(active).__name__}"
        )
    try:
        values = np.asarray(active, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"{name} holds values that are not numbers: pass counts of customers") from None
    if values.size < 2:
        raise DataError(
            f"{name} has {values.size} value(s): it needs the cohort size at t = 0 and at least "
            "one later count"
        )
    if not np.isfinite(values).all():
        bad = np.flatnonzero(~np.isfinite(values))
        raise DataError(f"{name} has missing or infinite values (at t = {', '.join(map(str, bad[:5]))})")
    if (values < 0).any():
        bad = np.flatnonzero(values < 0)
        raise DataError(f"{name} has negative counts (at t = {', '.join(map(str, bad[:5]))})")
    if values[0] <= 0:
        raise DataError(f"{name}[0], the cohort size, must be positive, got {values[0]:g}")
    if not np.allclose(values, np.round(values)):
        raise DataError(
            f"{name} holds fractions: pass numbers of customers (counts), not shares; "
            "multiply shares by the cohort size"
        )
    rises = np.flatnonzero(np.diff(values) > 0)
    if rises.size:
        t = rises[0] + 1
        raise DataError(
            f"{name} rises from t = {t - 1} to t = {t} ({values[t - 1]:g} -> {values[t]:g}): "
            "a cohort can only lose customers; new customers belong to a new cohort"
        )
    return values


def _periods(t, start: int, name: str = "t") -> np.ndarray:
    values = np.asarray(t, dtype=float)
    if not np.isfinite(values).all() or (values < start).any() or not np.allclose(values, np.round(values)):
        raise DataError(f"{name} must hold whole numbers of periods >= {start}, got {t!r}")
    return values


class ShiftedBetaGeometric:
    """The shifted-beta-geometric (sBG) model of contract renewals.

    A customer with churn probability theta has lifetime T (the period in
    which she does not renew) with P(T = t | theta) = theta (1 - theta)^(t-1);
    theta ~ beta(alpha, beta) across customers. Integrating theta out
    (Fader & Hardie 2007, equations 3-7):

    * P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta),  t = 1, 2, ...
    * survival S(t) = P(T > t) = B(alpha, beta + t) / B(alpha, beta)
    * retention rate r(t) = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1)

    Fitted by maximum likelihood on the numbers still active at t = 0..n:
    LL = sum_{t=1}^{n} (n_{t-1} - n_t) ln P(T = t) + n_n ln S(n)
    (equation 8), the log-likelihood of the cohort as reported in the paper.

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : Series
        ``alpha`` and ``beta``.
    log_likelihood_ : float
        LL at the estimates (not divided by the cohort size).
    cohort_size_ : float
        ``active[0]``.
    n_periods_ : int
        n, the last period used in the fit.

    References
    ----------
    Fader, P. S., & Hardie, B. G. S. (2007). How to project customer
    retention. Journal of Interactive Marketing, 21(1), 76-90.

    Examples
    --------
    The "high end" segment of Fader & Hardie (2007), years 0-7:

    >>> sbg = ShiftedBetaGeometric().fit([1000, 869, 743, 653, 593, 551, 517, 491])
    >>> sbg
    ShiftedBetaGeometric(alpha=0.668, beta=3.806)
    >>> round(float(sbg.survival(12)), 3)
    0.378
    """

    def __init__(self) -> None:
        self.params_: pd.Series | None = None
        self.log_likelihood_: float | None = None

    @classmethod
    def from_params(cls, alpha: float, beta: float) -> ShiftedBetaGeometric:
        """A model with the given alpha and beta, as if fitted (to project or score with
        published estimates, e.g. ``from_params(alpha=0.704, beta=1.182)``)."""
        values = np.array([alpha, beta], dtype=float)
        if not np.all(np.isfinite(values) & (values > 0)):
            raise DataError(f"alpha and beta must be positive numbers, got alpha={alpha!r}, beta={beta!r}")
        model = cls()
        model.params_ = pd.Series({"alpha": float(alpha), "beta": float(beta)}, name="estimate")
        return model

    def log_likelihood(self, active: ArrayLike) -> float:
        """The log-likelihood of a cohort's survivor counts under the model's alpha and beta:
        sum_t lost_t ln P(T = t) + active_n ln S(n) (Fader & Hardie 2007); ``fit``
        maximises it."""
        alpha, beta = self._check_fitted()
        values = _active_counts(active)
        return self._log_likelihood(alpha, beta, -np.diff(values), values[-1])

    # ------------------------------------------------------------------ fitting
    @staticmethod
    def _log_likelihood(alpha: float, beta: float, lost: np.ndarray, remaining: float) -> float:
        t = np.arange(1, lost.size + 1)
        log_p = betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta)
        log_s = betaln(alpha, beta + lost.size) - betaln(alpha, beta)
        return float(np.dot(lost, log_p) + remaining * log_s)

    def fit(self, active: ArrayLike) -> ShiftedBetaGeometric:
        """Estimate alpha and beta from the numbers still active at t = 0, 1, ..., n.

        Parameters
        ----------
        active : sequence of counts
            ``active[0]`` is the cohort size, ``active[t]`` the number still
            active at the end of period t (non-increasing whole numbers).

        Returns
        -------
        self

        Raises
        ------
        DataError
            Fewer than two values; negative, missing or fractional counts; a
            count that rises; a cohort size of zero.
        """
        values = _active_counts(active)
        lost = -np.diff(values)
        remaining = values[-1]
        if lost.sum() == 0:
            raise DataError(
                "active never falls: nobody has left yet, so the data say nothing about how "
                "customers leave; wait for at least one period with churn"
            )

        def negative(log_params):
            alpha, beta = np.exp(log_params)
            return -self._log_likelihood(alpha, beta, lost, remaining)

        best = None
        for start in ([0.0, 0.0], [-1.0, 1.0], [1.0, 2.0]):
            result = minimize(
                negative,
                start,
                method="Nelder-Mead",
                options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000},
            )
            if best is None or result.fun < best.fun:
                best = result
        alpha, beta = np.exp(best.x)
        self.params_ = pd.Series({"alpha": float(alpha), "beta": float(beta)}, name="estimate")
        self.log_likelihood_ = -float(best.fun)
        self.cohort_size_ = float(values[0])
        self.n_periods_ = int(values.size - 1)
        self._data = (lost, remaining)
        return self

    def _check_fitted(self) -> tuple[float, float]:
        if self.params_ is None:
            raise DataError("the sBG model is not fitted yet: call .fit(active) first")
        return self.params_["alpha"], self.params_["beta"]

    def __repr__(self) -> str:
        if self.params_ is None:
            return "ShiftedBetaGeometric()"
        return f"ShiftedBetaGeometric(alpha={self.params_['alpha']:.3f}, beta={self.params_['beta']:.3f})"

    # -------------------------------------------------------------- predictions
    def churn_probability(self, t: ArrayLike) -> float | np.ndarray:
        """P(T = t): the share of the cohort expected to leave in period t (t >= 1)."""
        alpha, beta = self._check_fitted()
        t = _periods(t, 1)
        return np.exp(betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta))

    def survival(self, t: ArrayLike) -> float | np.ndarray:
        """S(t) = B(alpha, beta + t) / B(alpha, beta): the share still active after t periods."""
        alpha, beta = self._check_fitted()
        t = _periods(t, 0)
        return np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))

    def retention_rate(self, t: ArrayLike) -> float | np.ndarray:
        """r(t) = (beta + t - 1) / (alpha + beta + t - 1): the share of those active at t - 1
        who are still active at t (t >= 1). It rises with t."""
        alpha, beta = self._check_fitted()
        t = _periods(t, 1)
        return (beta + t - 1) / (alpha + beta + t - 1)

    def expected_active(self, t: ArrayLike) -> float | np.ndarray:
        """The expected number of the fitted cohort still active at t: cohort size x S(t)."""
        return self.cohort_size_ * self.survival(t)

    def derl(self, discount_rate: float, renewals: ArrayLike = 0) -> float | np.ndarray:
        """Discounted expected residual lifetime of a customer who has made ``renewals`` renewals.

        With n = renewals + 1 (the customer is in her n-th period and about to
        decide whether to renew), Fader & Hardie (2010, equation 6):

        DERL = sum_{t=n}^inf S(t | T > n-1) / (1 + d)^(t-n)
             = B(alpha, beta + n) / B(alpha, beta + n - 1)
               x 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d)).

        Multiplied by the net cash flow per period, it is the customer's
        expected residual lifetime value.

        Parameters
        ----------
        discount_rate : float
            d > 0, per period (e.g. 0.10 for 10 % a year).
        renewals : int or array of int
            Renewals made so far (0 for a customer in her first period).

        References
        ----------
        Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation in a
        contractual setting: The perils of ignoring heterogeneity. Marketing
        Science, 29(1), 85-93.
        """
        alpha, beta = self._check_fitted()
        d = float(discount_rate)
        if not np.isfinite(d) or d <= 0:
            raise DataError(
                f"discount_rate must be a positive number per period (e.g. 0.1), got {discount_rate!r}"
            )
        if d >= 1:
            raise DataError(
                f"discount_rate {discount_rate!r} is 100 % or more per period: give it as a fraction "
                "(0.1 for 10 %), not a percentage"
            )
        n = _periods(renewals, 0, "renewals") + 1
        ratio = (beta + n - 1) / (alpha + beta + n - 1)
        value = np.asarray(ratio * hyp2f1(1.0, beta + n, alpha + beta + n, 1.0 / (1.0 + d)))
        if not np.isfinite(value).all():
            # scipy's 2F1 fails for very large beta (a nearly homogeneous cohort): sum the series
            value = np.where(np.isfinite(value), value, _derl_series(alpha, beta, n, d))
        return value if value.ndim else float(value)

    # ------------------------------------------------------------------ summary
    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors from the curvature of the log-likelihood."""
        alpha, beta = self._check_fitted()
        lost, remaining = self._data
        point = np.array([alpha, beta])
        h = 1e-4 * point
        hessian = np.empty((2, 2))

        def ll(p):
            return self._log_likelihood(p[0], p[1], lost, remaining)

        for i in range(2):
            for j in range(2):
                e_i, e_j = np.eye(2)[i] * h[i], np.eye(2)[j] * h[j]
                hessian[i, j] = (
                    ll(point + e_i + e_j)
                    - ll(point + e_i - e_j)
                    - ll(point - e_i + e_j)
                    + ll(point - e_i - e_j)
                ) / (4 * h[i] * h[j])
        errors = np.sqrt(np.diag(np.linalg.inv(-hessian)))
        return pd.DataFrame({"estimate": point, "std_error": errors}, index=["alpha", "beta"])


def _derl_series(alpha: float, beta: float, n, d: float) -> np.ndarray:
    """sum_{k>=0} prod_{j=0}^{k} r(n + j) / (1 + d)^k, to double precision."""
    steps = int(min(np.ceil(-37.0 / np.log1p(-d / (1.0 + d))) + 1, 2_000_000))
    k = np.arange(steps)
    flat = np.ravel(n)[:, None]
    log_r = np.log(beta + flat + k - 1) - np.log(alpha + beta + flat + k - 1)
    terms = np.exp(np.cumsum(log_r, axis=1) - k * np.log1p(d))
    return terms.sum(axis=1).reshape(np.shape(n))


def naive_projection(active: ArrayLike, horizon: int, kind: str = "exponential") -> np.ndarray:
    """Project a survivor series by a curve fitted through the share still active.

    The approach Fader & Hardie (2007) warn against: a regression of the
    survival share S(t) = active[t] / active[0], t = 1..n, on t, then read
    off for t = 0..horizon.

    * ``"linear"``: S(t) = a + b t;
    * ``"quadratic"``: S(t) = a + b t + c t^2;
    * ``"exponential"``: ln S(t) = a + b t, that is a constant retention rate e^b.

    Negative projections are cut at 0 (a line eventually crosses zero).

    Parameters
    ----------
    active : sequence of counts
        Customers still active at t = 0..n (n >= 2).
    horizon : int
        Last period to project (>= n).
    kind : {"linear", "quadratic", "exponential"}

    Returns
    -------
    ndarray
        Projected numbers active at t = 0..horizon.

    Examples
    --------
    >>> naive_projection([1000, 800, 640, 512], horizon=5).round(1)
    array([1000. ,  800. ,  640. ,  512. ,  409.6,  327.7])
    """
    values = _active_counts(active)
    if kind not in NAIVE_CURVES:
        raise DataError(f"kind must be one of {', '.join(NAIVE_CURVES)}, got {kind!r}")
    n = values.size - 1
    if n < (3 if kind == "quadratic" else 2):
        raise DataError(f"active has {n} periods after t = 0: too few to fit a {kind} curve")
    if int(horizon) != horizon or horizon < n:
        raise DataError(
            f"horizon must be a whole number of periods >= {n} (the data's last period), got {horizon!r}"
        )
    t = np.arange(1, n + 1)
    share = values[1:] / values[0]
    grid = np.arange(int(horizon) + 1)
    if kind == "exponential":
        if (share <= 0).any():
            raise DataError("active reaches 0: an exponential curve cannot be fitted through zero survivors")
        coef = np.polyfit(t, np.log(share), 1)
        projected = np.exp(np.polyval(coef, grid))
    else:
        coef = np.polyfit(t, share, 1 if kind == "linear" else 2)
        projected = np.polyval(coef, grid)
    projected = np.clip(projected, 0.0, None) * values[0]
    projected[0] = values[0]  # everyone is active at t = 0 by definition
    return projected


def projection_table(
    active: ArrayLike, fit_periods: int, kinds: tuple[str, ...] = ("linear", "exponential")
) -> pd.DataFrame:
    """Actual survivors beside the sBG and naive projections fitted on t = 0..fit_periods.

    Parameters
    ----------
    active : sequence of counts
        The full survivor series, t = 0..N (the periods after ``fit_periods``
        are the hold-out the projections are judged on).
    fit_periods : int
        Last period used for fitting (7 in Fader & Hardie 2007).
    kinds : tuple of str
        Naive curves to show (see :func:`naive_projection`).

    Returns
    -------
    DataFrame
        Indexed by ``period``: ``actual``, ``sbg``, one column per naive
        curve, and ``fitted`` (True for the periods used in fitting).
    """
    values = _active_counts(active)
    horizon = values.size - 1
    if int(fit_periods) != fit_periods or not 2 <= fit_periods <= horizon:
        raise DataError(f"fit_periods must be a whole number between 2 and {horizon}, got {fit_periods!r}")
    fit_periods = int(fit_periods)
    calibration = values[: fit_periods + 1]
    sbg = ShiftedBetaGeometric().fit(calibration)
    grid = np.arange(horizon + 1)
    table = pd.DataFrame(
        {"actual": values, "sbg": sbg.expected_active(grid)}, index=pd.Index(grid, name="period")
    )
    for kind in kinds:
        table[kind] = naive_projection(calibration, horizon, kind)
    table["fitted"] = grid <= fit_periods
    return table


def plot_projection(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Actual survivors (dots) against the sBG and naive projections (lines).

    ``table`` is the output of :func:`projection_table`; a dashed vertical
    line marks the end of the fitting periods.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    if ax is None:
        _, ax = new_figure()
    names = {
        "sbg": term("sbg_model"),
        "linear": term("linear_fit"),
        "quadratic": term("quadratic_fit"),
        "exponential": term("exponential_fit"),
    }
    styles = {
        "sbg": (PALETTE[0], "-"),
        "linear": (PALETTE[3], "--"),
        "quadratic": (PALETTE[4], "-."),
        "exponential": (PALETTE[1], ":"),
    }
    for column in [c for c in ("sbg", "linear", "quadratic", "exponential") if c in table]:
        colour, style = styles[column]
        ax.plot(table.index, table[column], color=colour, linestyle=style, linewidth=2, label=names[column])
    ax.scatter(table.index, table["actual"], color="black", zorder=3, s=25, label=term("actual"))
    last_fit = table.index[table["fitted"]].max()
    ax.axvline(last_fit + 0.5, color="0.5", linestyle="--", linewidth=1)
    ax.set_xlabel(term("period_year"))
    ax.set_ylabel(term("customers_active"))
    ax.set_ylim(0, None)
    ax.legend(loc="upper right")
    return finish(ax, title, source)
