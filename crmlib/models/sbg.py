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

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, hyp2f1

from ..validation import (
    DataError,
    require_count,
    require_number,
    to_numbers,
)
from ._base import ModelFitError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


__all__ = ["ShiftedBetaGeometric"]


def _active_counts(active, name: str = "active") -> np.ndarray:
    """Validate a survivor series: whole, non-negative, non-increasing numbers, cohort > 0."""
    if isinstance(active, dict):
        raise DataError(
            f"{name} must be one sequence of numbers of customers still active at t = 0, 1, ..., n "
            f"(e.g. a column of a DataFrame), got {type(active).__name__}"
        )
    values = to_numbers(active, name, allow_empty=True)
    if values.size < 2:
        raise DataError(
            f"{name} has {values.size} value(s): it needs the cohort size at t = 0 and at least "
            "one later count"
        )
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


def _periods(t, start: int, name: str = "t") -> np.ndarray | float:
    """Whole numbers of periods >= start, as given (a number, or a list, array or Series)."""
    values = to_numbers(t, name, low=start, integer=True, allow_empty=True)
    return values if np.ndim(t) else float(values[0])


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
        self.cohort_size_: float | None = None
        self._data = None

    @classmethod
    def from_params(cls, alpha: float, beta: float, cohort_size: int | None = None) -> ShiftedBetaGeometric:
        """A model with the given alpha and beta, as if fitted (to project or score with
        published estimates, e.g. ``from_params(alpha=0.704, beta=1.182, cohort_size=1000)``).

        Parameters
        ----------
        alpha, beta : float
            The parameters (positive numbers).
        cohort_size : int, optional
            The number of customers the cohort started with, for
            :meth:`expected_active` (which counts customers). Without it the
            model gives shares (:meth:`survival`, :meth:`churn_probability`, ...),
            and :meth:`expected_active` says that it needs a cohort size.

        Raises
        ------
        DataError
            alpha or beta not a positive finite number; cohort_size not a whole number >= 1.
        """
        alpha = require_number(alpha, "alpha", low=0, low_open=True)
        beta = require_number(beta, "beta", low=0, low_open=True)
        if cohort_size is not None:
            cohort_size = require_count(cohort_size, "cohort_size", low=1)
        model = cls()
        model.params_ = pd.Series({"alpha": alpha, "beta": beta}, name="estimate")
        model.cohort_size_ = None if cohort_size is None else float(cohort_size)
        return model

    def log_likelihood(self, active: ArrayLike) -> float:
        """The log-likelihood of a cohort's survivor counts under the model's alpha and beta:
        sum_t lost_t ln P(T = t) + active_n ln S(n) (Fader & Hardie 2007); ``fit``
        maximises it.

        Raises
        ------
        DataError
            The model is not fitted; ``active`` as in :meth:`fit`.
        """
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
            Not numbers; fewer than two values; negative, missing or fractional
            counts; a count that rises; a cohort size of zero; nobody leaving.
        ModelFitError
            The optimiser did not converge.
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
        if not best.success:
            raise ModelFitError(
                f"ShiftedBetaGeometric fit did not converge: {best.message} "
                f"(alpha={np.exp(best.x[0]):.3g}, beta={np.exp(best.x[1]):.3g} after {best.nit} iterations)"
            )
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
        """P(T = t): the share of the cohort expected to leave in period t (t >= 1).

        Raises
        ------
        DataError
            The model is not fitted; t not whole numbers >= 1.
        """
        alpha, beta = self._check_fitted()
        t = _periods(t, 1)
        return np.exp(betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta))

    def survival(self, t: ArrayLike) -> float | np.ndarray:
        """S(t) = B(alpha, beta + t) / B(alpha, beta): the share still active after t periods.

        Raises
        ------
        DataError
            The model is not fitted; t not whole numbers >= 0.
        """
        alpha, beta = self._check_fitted()
        t = _periods(t, 0)
        return np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))

    def retention_rate(self, t: ArrayLike) -> float | np.ndarray:
        """r(t) = (beta + t - 1) / (alpha + beta + t - 1): the share of those active at t - 1
        who are still active at t (t >= 1). It rises with t.

        Raises
        ------
        DataError
            The model is not fitted; t not whole numbers >= 1.
        """
        alpha, beta = self._check_fitted()
        t = _periods(t, 1)
        return (beta + t - 1) / (alpha + beta + t - 1)

    def expected_active(self, t: ArrayLike) -> float | np.ndarray:
        """The expected number of the cohort still active at t: cohort size x S(t).

        The cohort size is ``active[0]`` of :meth:`fit`, or the ``cohort_size``
        given to :meth:`from_params`.

        Raises
        ------
        DataError
            The model is not fitted, or was made with ``from_params`` without a
            cohort size; t not whole numbers >= 0.
        """
        self._check_fitted()
        if self.cohort_size_ is None:
            raise DataError(
                "expected_active counts customers, so it needs the cohort size: this model was made "
                "with from_params without one; pass it, e.g. from_params(alpha=0.704, beta=1.182, "
                "cohort_size=1000), or use survival(t) for the share still active"
            )
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
            d, per period, above 0 and below 1 (e.g. 0.10 for 10 % a year).
        renewals : int or array of int
            Renewals made so far (0 for a customer in her first period).

        Raises
        ------
        DataError
            The model is not fitted; a discount rate that is not a number in (0, 1)
            (10 for 10 % is refused); renewals not whole numbers >= 0.

        References
        ----------
        Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation in a
        contractual setting: The perils of ignoring heterogeneity. Marketing
        Science, 29(1), 85-93.
        """
        alpha, beta = self._check_fitted()
        d = require_number(
            discount_rate, "discount_rate", low=0, low_open=True, high=1, high_open=True, rate=True
        )
        n = _periods(renewals, 0, "renewals") + 1
        ratio = (beta + n - 1) / (alpha + beta + n - 1)
        value = np.asarray(ratio * hyp2f1(1.0, beta + n, alpha + beta + n, 1.0 / (1.0 + d)))
        bad = ~np.isfinite(value)
        if bad.any():
            # scipy's 2F1 fails for very large beta (a nearly homogeneous cohort): sum the series
            value = value.copy()
            value[bad] = [_derl_series(alpha, beta, k, d) for k in np.broadcast_to(n, value.shape)[bad]]
        return value if value.ndim else float(value)

    def discounted_expected_lifetime(self, discount_rate: float) -> float:
        """Discounted expected lifetime (DEL) of a new customer, counting her first payment.

        Fader & Hardie (2010), the expected lifetime value divided by the cash flow
        per period:

        DEL = sum_{t=0}^inf S(t) / (1 + d)^t
            = 2F1(1, beta; alpha + beta; 1 / (1 + d)),

        with S(t) = B(alpha, beta + t) / B(alpha, beta) and S(0) = 1 (the first
        payment, at t = 0, is certain). Multiplied by the net cash flow per period,
        it is the expected lifetime value of a customer about to sign up.

        It relates to :meth:`derl` by DEL = 1 + DERL(d, renewals=0) / (1 + d): the
        first payment, then the payments from the first renewal on, which DERL of a
        customer in her first period values as seen at that renewal, discounted by
        one more period.

        Parameters
        ----------
        discount_rate : float
            d, per period, above 0 and below 1 (e.g. 0.10 for 10 % a year).

        Returns
        -------
        float
            DEL, in periods (payments).

        Raises
        ------
        DataError
            The model is not fitted; a discount rate that is not a number in (0, 1)
            (10 for 10 % is refused).

        References
        ----------
        Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation in a
        contractual setting: The perils of ignoring heterogeneity. Marketing
        Science, 29(1), 85-93.

        Examples
        --------
        The regular segment (alpha = 0.704, beta = 1.182) at 10 %, as published:

        >>> model = ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182)
        >>> round(model.discounted_expected_lifetime(0.10), 3)
        3.695
        """
        alpha, beta = self._check_fitted()
        d = require_number(
            discount_rate, "discount_rate", low=0, low_open=True, high=1, high_open=True, rate=True
        )
        value = float(hyp2f1(1.0, beta, alpha + beta, 1.0 / (1.0 + d)))
        if not np.isfinite(value):
            # scipy's 2F1 fails for very large beta (a nearly homogeneous cohort)
            value = 1.0 + float(self.derl(d, 0)) / (1.0 + d)
        return value

    # ------------------------------------------------------------------ summary
    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors from the curvature of the log-likelihood.

        A ``std_error`` is NaN when the curvature does not define one (the
        log-likelihood is flat or not concave in that direction at the estimates);
        a warning says so.

        Raises
        ------
        DataError
            The model is not fitted, or was made with ``from_params`` (no data to
            measure the curvature on).
        """
        alpha, beta = self._check_fitted()
        if self._data is None:
            raise DataError(
                "this sBG model was made with from_params: summary needs the data of a fit for its "
                "standard errors; call .fit(active) first"
            )
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
        try:
            variances = np.diag(np.linalg.inv(-hessian))
        except np.linalg.LinAlgError:
            variances = np.full(2, np.nan)
        errors = np.sqrt(np.where(variances > 0, variances, np.nan))
        if np.isnan(errors).any():
            warnings.warn(
                "no standard error for "
                + ", ".join(n for n, e in zip(("alpha", "beta"), errors, strict=True) if np.isnan(e))
                + ": the log-likelihood is not curved at the estimates in that direction, so the "
                "data do not pin it down (std_error is NaN)",
                UserWarning,
                stacklevel=2,
            )
        return pd.DataFrame({"estimate": point, "std_error": errors}, index=["alpha", "beta"])


def _derl_series(alpha: float, beta: float, n: float, d: float) -> float:
    """sum_{k>=0} prod_{j=0}^{k} r(n + j) / (1 + d)^k for one n, to double precision
    (at most 2,000,000 terms: 16 MB at a time; a discount rate that needs more is refused)."""
    steps = float(np.ceil(-37.0 / np.log1p(-d / (1.0 + d))) + 1)
    if not steps <= 2_000_000:
        raise DataError(
            f"discount_rate {d:g} is too small for this model: its DERL is a sum over more than "
            "2,000,000 periods (a rate below about 2e-05 per period); give a larger rate"
        )
    steps = int(steps)
    k = np.arange(steps)
    log_r = np.log(beta + n + k - 1) - np.log(alpha + beta + n + k - 1)
    return float(np.exp(np.cumsum(log_r) - k * np.log1p(d)).sum())
