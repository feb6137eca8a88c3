"""The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005b)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln, polygamma

from ..validation import (
    DataError,
    describe_rows,
)
from ._base import _aggregate, _as_array, _broadcast, _Model, _output, _require_customers, _same_rows

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


__all__ = ["GammaGamma", "spend_independence_check"]


#: What a prediction returns: a float for scalar input, a Series with the input's index
#: for a Series, an array otherwise.
Prediction = float | np.ndarray | pd.Series


# ----------------------------------------------------------------------------------
# Gamma-Gamma spend model
# ----------------------------------------------------------------------------------
def _check_spend(frequency, monetary, weights=None):
    """Validate (frequency, monetary[, weights]) of the gamma-gamma model: x >= 1, m_x > 0."""
    frequency, monetary, weights = _same_rows(frequency=frequency, monetary=monetary, weights=weights)
    x = _as_array(frequency, "frequency", integer=True)
    zero = x == 0
    if zero.any():
        raise DataError(
            f"column 'frequency' is 0 for {int(zero.sum())} customers "
            f"({describe_rows(np.flatnonzero(zero))}): the gamma-gamma model describes "
            "customers with at least one repeat transaction only"
        )
    arrays = {"frequency": x, "monetary": _as_array(monetary, "monetary", positive=True)}
    if weights is not None:
        arrays["weights"] = _as_array(weights, "weights")
    return _broadcast(arrays)


@dataclass(frozen=True)
class _SpendHistories:
    """Aggregated (x, m_x) of the repeat buyers, with the sums of the gamma-gamma
    likelihood that do not involve the parameters, computed once."""

    x: np.ndarray
    m: np.ndarray
    distinct_x: np.ndarray
    counts: np.ndarray
    total: float
    sum_log_m: float
    sum_x_log_m: float
    sum_x_log_x: float
    mean_m: float


class _FrequencyTerms(NamedTuple):
    """The parameters and the terms of the gamma-gamma likelihood that depend on x only."""

    p: float
    q: float
    gamma: float
    distinct_x: np.ndarray
    counts: np.ndarray
    pxq: np.ndarray
    px: np.ndarray


class GammaGamma(_Model):
    """The gamma-gamma model of the mean transaction value.

    A customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q, gamma)
    across customers. For a customer with x transactions of mean m_x
    (Fader, Hardie & Lee 2005b, eq. 3 with the density of the mean):

        f(m_x | p, q, gamma, x) = G(px+q) / (G(px) G(q)) gamma^q m_x^(px-1) x^(px)
                                  / (gamma + m_x x)^(px+q)

    ``log_likelihood_`` is the sum of ln f over customers. Fit it on the
    customers with at least one repeat transaction (946 in the CDNOW sample).

    References
    ----------
    Fader, Hardie & Lee (2005b), RFM and CLV: using iso-value curves, JMR 42(4),
    415-430 (p = 6.25, q = 3.74, gamma = 15.44 on CDNOW); Fader & Hardie (2013),
    "The gamma-gamma model of monetary value", http://brucehardie.com/notes/025/.

    Examples
    --------
    >>> model = GammaGamma().fit([1, 2, 3, 1, 4], [20.0, 35.0, 28.0, 15.0, 50.0])
    >>> round(model.expected_spend(0, 0.0) - model.population_mean_, 9)
    0.0
    """

    _names = ("p", "q", "gamma")
    _data_names = ("frequency", "monetary")

    def fit(self, frequency: ArrayLike, monetary: ArrayLike, weights: ArrayLike | None = None) -> GammaGamma:
        """Fit by maximum likelihood; returns the model.

        Parameters
        ----------
        frequency : scalar, array or Series
            Number of transactions averaged (repeat transactions, x >= 1).
        monetary : scalar, array or Series
            Their mean value (positive).
        weights : array or Series, optional
            Number of customers with each (x, m_x).

        The fit does not depend on the currency: amounts c m_x give the same p
        and q, gamma multiplied by c, and ``log_likelihood_`` lower by n ln c
        (the density of c m_x is f(m_x)/c). It runs on the amounts divided by
        their mean, so amounts in millions fit as amounts in units do.

        Raises
        ------
        DataError
            Not numbers, missing, infinite or negative values; fractional or zero
            frequencies; zero mean values; inputs of different lengths; no customers.
        ModelFitError
            The optimiser did not converge, or a parameter ran off to 0 or infinity.
        """
        x, m, *w = _check_spend(frequency, monetary, weights)
        (x, m), w = _aggregate([x, m], w[0] if w else None)
        _require_customers(w)
        # The likelihood does not depend on the currency: amounts c m_x give the same p
        # and q and c gamma, and a density f(m_x)/c. So the fit runs on the amounts in
        # units of their mean, and the optimiser and the runaway check see the same
        # problem whether the amounts are in dollars or in millions of them.
        scale = float(np.average(m, weights=w))
        self._fit(self._histories(x, m / scale, w), w)
        self.params_["gamma"] *= scale
        self.log_likelihood_ -= float(w.sum()) * np.log(scale)
        self._hessian_data = (self._histories(x, m, w), w)
        return self

    @staticmethod
    def _histories(x: np.ndarray, m: np.ndarray, w: np.ndarray) -> _SpendHistories:
        ux, inv = np.unique(x, return_inverse=True)
        log_m = np.log(m)
        return _SpendHistories(
            x=x,
            m=m,
            distinct_x=ux,
            counts=np.bincount(inv, weights=w),
            total=float(w.sum()),
            sum_log_m=float(w @ log_m),
            sum_x_log_m=float((w * x) @ log_m),
            sum_x_log_x=float((w * x) @ np.log(x)),
            mean_m=float(np.average(m, weights=w)),
        )

    def _initial(self, data: _SpendHistories) -> np.ndarray:
        return np.log([1.0, 2.0, data.mean_m])

    _analytic_hessian = True

    def _score_rows(self, frequency, monetary) -> np.ndarray:
        """ln f(m_x | x) of each customer (Fader & Hardie 2013, note 025, eq. 3), with the
        Jacobian of m_x = z/x so that it is a density of the mean m_x."""
        p, q, g = self.params_.to_numpy()
        x, m = _check_spend(frequency, monetary)
        px = p * x
        return (
            gammaln(px + q)
            - gammaln(px)
            - gammaln(q)
            + q * np.log(g)
            + (px - 1) * np.log(m)
            + px * np.log(x)
            - (px + q) * np.log(g + m * x)
        )

    def _terms_by_frequency(self, theta, d: _SpendHistories) -> _FrequencyTerms:
        """The per-customer terms that depend on x only, once per distinct x."""
        p, q, g = np.exp(theta)
        ux = d.distinct_x
        return _FrequencyTerms(p, q, g, ux, d.counts, p * ux + q, p * ux)

    def _negll(self, theta, d, w, gradient=True):
        # ln f summed over customers, with the sums that do not involve the
        # parameters (of w ln m, w x ln m, w x ln x) computed once in fit() and
        # the gamma functions of p x + q and p x once per distinct x
        p, q, g, ux, counts, pxq, px = self._terms_by_frequency(theta, d)
        x, m = d.x, d.m
        total = d.total
        log_gm = np.log(g + m * x)
        wpxq = w * (p * x + q)
        ll = (
            counts @ (gammaln(pxq) - gammaln(px))
            - total * (gammaln(q) - q * np.log(g))
            + p * (d.sum_x_log_m + d.sum_x_log_x)
            - d.sum_log_m
            - wpxq @ log_gm
        )
        if not gradient:
            return -ll, None
        dig = digamma(pxq)
        d_p = (counts * ux) @ (dig - digamma(px)) + d.sum_x_log_m + d.sum_x_log_x - (w * x) @ log_gm
        d_q = counts @ dig - total * (digamma(q) - np.log(g)) - w @ log_gm
        d_g = total * q / g - wpxq @ (1.0 / (g + m * x))
        return -ll, -np.array([d_p * p, d_q * q, d_g * g])

    def _neghess(self, theta, d, w):
        """Hessian of the negative log-likelihood in log-parameters, from the second
        derivatives in phi = (p, q, gamma):
        d2/dtheta_i dtheta_j = phi_i phi_j d2/dphi_i dphi_j + [i = j] phi_i d/dphi_i."""
        p, q, g, ux, counts, pxq, px = self._terms_by_frequency(theta, d)
        x, m = d.x, d.m
        total = d.total
        inv_gm = 1.0 / (g + m * x)
        tri = polygamma(1, pxq)
        h_pp = (counts * ux * ux) @ (tri - polygamma(1, px))
        h_pq = (counts * ux) @ tri
        h_pg = -(w * x) @ inv_gm
        h_qq = counts @ tri - total * polygamma(1, q)
        h_qg = total / g - w @ inv_gm
        h_gg = -total * q / g**2 + (w * (p * x + q)) @ inv_gm**2
        hessian = np.array([[h_pp, h_pq, h_pg], [h_pq, h_qq, h_qg], [h_pg, h_qg, h_gg]])
        phi = np.exp(theta)
        gradient = -self._negll(theta, d, w)[1]  # d ln L / d theta = phi * d ln L / d phi
        return -(hessian * np.outer(phi, phi) + np.diag(gradient))

    def average_spend_density(self, average_spend: ArrayLike, frequency: ArrayLike) -> Prediction:
        """Density of a customer's average spend m_x given her x transactions, across customers.

        f(m_x | x) = Gamma(p x + q) / (Gamma(p x) Gamma(q)) gamma^q x^(p x) m_x^(p x - 1)
                     / (gamma + x m_x)^(p x + q)

        (the mean of x Gamma(p, nu) spends is Gamma(p x, nu x), and nu ~ Gamma(q, gamma);
        Fader, Hardie & Lee 2005b; Fader & Hardie 2013, note 025, eq. 2). Compare it with the
        histogram of observed average spends of the customers with x transactions to see
        whether the model describes how spend varies across customers.

        Parameters
        ----------
        average_spend : scalar, array or Series
            m_x (above 0).
        frequency : scalar, array or Series
            x (whole numbers >= 1).

        Returns
        -------
        float, array or Series
            The density at each (m_x, x).

        Raises
        ------
        DataError
            Inputs not numbers, m_x not above 0, x not whole numbers >= 1.
        ModelFitError
            The model is not fitted.

        Examples
        --------
        >>> spend = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
        >>> round(float(spend.average_spend_density(30.0, 2)), 4)
        0.0213
        """
        p, q, gamma = self._require_fitted()
        m_in, x_in = _same_rows(average_spend=average_spend, frequency=frequency)
        m = _as_array(m_in, "average_spend", positive=True)
        x = _as_array(x_in, "frequency", integer=True, positive=True)
        m, x = _broadcast({"average_spend": m, "frequency": x})
        if np.any(m <= 0):
            raise DataError("average_spend must be above 0 (an average of positive spends)")
        px = p * x
        log_f = (
            gammaln(px + q)
            - gammaln(px)
            - gammaln(q)
            + q * np.log(gamma)
            + px * np.log(x)
            + (px - 1) * np.log(m)
            - (px + q) * np.log(gamma + x * m)
        )
        return _output(np.exp(log_f), average_spend, frequency)

    @property
    def population_mean_(self) -> float:
        """The mean transaction value across customers, p gamma / (q - 1).

        It exists only for q > 1: E[1/nu] = gamma/(q-1) for nu ~ Gamma(q, gamma).

        Raises
        ------
        DataError
            q <= 1: the population mean does not exist.
        ModelFitError
            The model is not fitted.
        """
        p, q, g = self._require_fitted()
        if not q > 1:
            raise DataError(
                f"q = {q:.4g} is at most 1: the population mean p gamma/(q-1) does not exist "
                "(the spread of mean values across customers has no finite mean when q <= 1); "
                "fit on more repeat buyers or report a median instead"
            )
        return float(p * g / (q - 1))

    def expected_spend(self, frequency: ArrayLike, monetary: ArrayLike) -> Prediction:
        """E[M | p, q, gamma, m_x, x] = (gamma + m_x x) p / (p x + q - 1).

        A weighted mean of the population mean p gamma/(q-1) and the customer's
        own mean m_x, the weight on m_x growing with x (Fader, Hardie & Lee
        2005b, eq. 5). For x = 0 it is the population mean. It exists only where
        p x + q > 1 (always when q > 1); where p x + q <= 1 (q <= 1 and few
        transactions) the expectation does not exist and the call is refused.

        Parameters
        ----------
        frequency : scalar, array or Series
            Number of repeat transactions x (whole, non-negative).
        monetary : scalar, array or Series
            Their mean value m_x (non-negative; ignored where x = 0).

        Raises
        ------
        DataError
            Either argument not numbers, missing, infinite or negative; fractional
            frequencies; inputs of different lengths; p x + q <= 1 for some customer
            (the expectation does not exist).
        """
        p, q, g = self._require_fitted()
        frequency, monetary = _same_rows(frequency=frequency, monetary=monetary)
        x = _as_array(frequency, "frequency", integer=True)
        m = _as_array(monetary, "monetary")
        x, m = _broadcast({"frequency": x, "monetary": m})
        denominator = p * x + q - 1
        undefined = ~(denominator > 0)
        if undefined.any():
            raise DataError(
                f"p x + q = {float(np.min(p * x + q)):.4g} is at most 1 for {int(undefined.sum())} customers "
                f"({describe_rows(np.flatnonzero(undefined))}): with q = {q:.4g} <= 1 the expected "
                "spend of a customer with so few transactions does not exist (its distribution has "
                "no finite mean)"
            )
        value = (g + m * x) * p / denominator
        return _output(value, frequency, monetary)


def spend_independence_check(frequency: ArrayLike, monetary: ArrayLike, level: float = 0.95) -> pd.DataFrame:
    """How far average spend moves with the number of transactions: the assumption the
    Gamma-Gamma model makes is that it does not.

    Pearson's r between x and m_x, and Spearman's rank correlation, each with an interval
    from Fisher's z = atanh(r): z +/- z_(1-(1-level)/2) * se, se = 1/sqrt(n-3) for Pearson
    and 1.03/sqrt(n-3) for Spearman (Fieller, Hartley & Pearson 1957), taken back with tanh.

    The independence is what lets the model value a customer as (expected transactions)
    x (expected spend per transaction); a small correlation costs little, a large one
    would bias the value of frequent buyers (Fader, Hardie & Lee 2005b, section 3).

    Parameters
    ----------
    frequency, monetary : scalar, array or Series
        x (whole numbers >= 1) and m_x (above 0) of the customers with repeat purchases.
    level : float
        The intervals' level (0.95 for 95%).

    Returns
    -------
    pandas.DataFrame
        Rows ``pearson`` and ``spearman``: ``estimate``, ``lower``, ``upper``, ``level``, ``n``.

    Raises
    ------
    DataError
        Fewer than 4 customers; inputs as in :meth:`GammaGamma.fit`; a constant input.

    References
    ----------
    Fieller, E. C., Hartley, H. O., & Pearson, E. S. (1957). Tests for rank correlation
    coefficients. I. Biometrika 44(3/4), 470-481.

    Examples
    --------
    >>> table = spend_independence_check([1, 2, 3, 4, 5, 2], [30.0, 25.0, 31.0, 28.0, 26.0, 35.0])
    >>> table.index.tolist()
    ['pearson', 'spearman']
    """
    from scipy import stats

    from ..validation import require_number

    x, m = _check_spend(frequency, monetary)
    n = x.size
    if n < 4:
        raise DataError(f"a correlation with an interval needs at least 4 customers, got {n}")
    if np.ptp(x) == 0 or np.ptp(m) == 0:
        raise DataError("frequency and monetary must both vary across customers for a correlation")
    level = require_number(level, "level", low=0, low_open=True, high=1, high_open=True)
    z_crit = stats.norm.ppf(0.5 + level / 2)
    rows = {}
    for name, r, factor in (
        ("pearson", stats.pearsonr(x, m)[0], 1.0),
        ("spearman", stats.spearmanr(x, m)[0], 1.03),
    ):
        z, se = np.arctanh(np.clip(r, -0.999999, 0.999999)), factor / np.sqrt(n - 3)
        rows[name] = {
            "estimate": float(r),
            "lower": float(np.tanh(z - z_crit * se)),
            "upper": float(np.tanh(z + z_crit * se)),
            "level": level,
            "n": n,
        }
    return pd.DataFrame.from_dict(rows, orient="index")
