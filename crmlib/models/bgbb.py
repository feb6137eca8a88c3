"""The BG/BB model of discrete opportunities (Fader, Hardie & Shang 2010)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma

from ..validation import (
    DataError,
    describe_rows,
    require_number,
)
from ._base import (
    MAX_OPPORTUNITIES,
    _aggregate,
    _as_array,
    _broadcast,
    _largest_count,
    _Model,
    _output,
    _require_customers,
    _same_rows,
)

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


__all__ = ["BGBB"]


#: What a prediction returns: a float for scalar input, a Series with the input's index
#: for a Series, an array otherwise.
Prediction = float | np.ndarray | pd.Series


# ----------------------------------------------------------------------------------
# BG/BB
# ----------------------------------------------------------------------------------
def _check_discrete(frequency, recency, n_periods, weights=None):
    """Validate (frequency, recency, n_periods[, weights]) of the BG/BB; n_periods is capped
    at MAX_OPPORTUNITIES (the likelihood holds one term per opportunity)."""
    frequency, recency, n_periods, weights = _same_rows(
        frequency=frequency, recency=recency, n_periods=n_periods, weights=weights
    )
    x = _as_array(frequency, "frequency", integer=True)
    tx = _as_array(recency, "recency", integer=True)
    n = _as_array(n_periods, "n_periods", integer=True)
    _largest_count(n, "n_periods", MAX_OPPORTUNITIES)
    arrays = {"frequency": x, "recency": tx, "n_periods": n}
    if weights is not None:
        arrays["weights"] = _as_array(weights, "weights")
    arrays = _broadcast(arrays)
    x, tx, n = arrays[:3]
    for bad, message in (
        (x > tx, "column 'frequency' exceeds 'recency'"),
        (tx > n, "column 'recency' exceeds 'n_periods'"),
        ((x > 0) & (tx == 0), "column 'recency' is 0 with a positive 'frequency'"),
    ):
        if bad.any():
            raise DataError(
                f"{message} for {int(bad.sum())} rows ({describe_rows(np.flatnonzero(bad))}): "
                "x transactions need at least x periods, the last at period t_x <= n"
            )
    return (x, tx, n, arrays[3]) if weights is not None else (x, tx, n)


@dataclass(frozen=True)
class _DiscreteHistories:
    """Aggregated (x, t_x, n) histories of a discrete-time model."""

    x: np.ndarray
    tx: np.ndarray
    n: np.ndarray


def _log_discounted_alive_sum(gamma: float, delta: float, n: np.ndarray, d: float) -> np.ndarray:
    """ln S(n) = ln sum_{j>=1} B(gamma, delta+n+j)/B(gamma, delta) (1+d)^-j, for each n.

    S is the closed form B(gamma, delta+n+1)/(B(gamma, delta) (1+d)) 2F1(1, delta+n+1;
    gamma+delta+n+1; 1/(1+d)) of Fader, Hardie & Shang (2010), and also, summing the
    geometric series under the beta integral,

        S = 1/B(gamma, delta) int_0^1 theta^(gamma-1) (1-theta)^(delta+n) / (d + theta) dtheta,

    which is what is computed (scipy's ``hyp2f1`` is wrong by up to 25% or NaN there
    for some gamma near 1 or n in the hundreds). Adaptive quadrature, in v = theta^gamma
    when gamma < 1 (which removes the endpoint singularity), with breakpoints at d, 10 d,
    100 d and around the mode of the beta density, and the integrand scaled by its
    largest value at those points; one quadrature per distinct n.
    """
    from scipy import integrate

    out = np.empty(n.shape)
    small = gamma < 1
    for value in np.unique(n):
        e = delta + value

        def log_f(v, e=e):
            theta = v ** (1 / gamma) if small else v
            head = -np.log(gamma) if small else (gamma - 1) * np.log(theta)
            return head + e * np.log1p(-theta) - np.log(d + theta)

        mode = (gamma - 1) / (gamma + e - 1) if gamma > 1 else 0.0
        spread = np.sqrt((mode + 1 / (gamma + e)) / (gamma + e))
        marks = np.array([d, 10 * d, 100 * d, mode, mode + spread, mode + 5 * spread, mode + 20 * spread])
        marks = marks[(marks > 0) & (marks < 1)]
        marks = np.unique(marks**gamma if small else marks)
        with np.errstate(divide="ignore"):
            top = float(np.max(log_f(np.concatenate([marks, [0.5]]))))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            total = integrate.quad(
                lambda v, top=top, log_f=log_f: np.exp(log_f(v) - top),
                0.0,
                1.0,
                points=list(marks) or None,
                epsabs=0.0,
                epsrel=1e-12,
                limit=500,
            )[0]
        out[n == value] = top + np.log(total) - betaln(gamma, delta)
    return out


class BGBB(_Model):
    """The beta-geometric/beta-binomial (BG/BB) model for discrete opportunities.

    At each of n opportunities an alive customer transacts with probability
    p ~ Beta(alpha, beta), and may die before the next one with probability
    theta ~ Beta(gamma, delta). For x transactions, the last at t_x
    (Fader, Hardie & Shang 2010, eq. 5):

        L = B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n)/B(gamma, delta)
            + sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha, beta)
                                  B(gamma+1, delta+t_x+i)/B(gamma, delta)

    ``log_likelihood_`` is the sum of ln L (-33,225.6 on the donations data).

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Shang, J. (2010). Customer-base analysis in
    a discrete-time noncontractual setting. Marketing Science 29(6), 1086-1108:
    eq. 5 (likelihood), eq. 11 (P(alive in n+1)), eq. 13 (expected transactions).

    Examples
    --------
    >>> from crmlib.datasets import load_donations
    >>> d = load_donations()
    >>> model = BGBB().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
    >>> round(float(model.params_["alpha"]), 3)
    1.204
    """

    _names = ("alpha", "beta", "gamma", "delta")
    _data_names = ("frequency", "recency", "n_periods")

    def fit(
        self, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike, weights: ArrayLike | None = None
    ) -> BGBB:
        """Fit by maximum likelihood; returns the model.

        Parameters
        ----------
        frequency, recency, n_periods : scalar, array or Series
            Transactions x (after the first, trial period), the period t_x of
            the last one (0 if none) and the number n of opportunities (at most
            ``MAX_OPPORTUNITIES``, 1,000: the likelihood holds a term per opportunity).
        weights : array or Series, optional
            Number of customers with each pattern.

        Raises
        ------
        DataError
            As :meth:`p_alive`, negative weights, no customers (or every weight 0),
            or nobody transacting again.
        ModelFitError
            The optimiser did not converge, or a parameter ran off to 0 or infinity.
        """
        x, tx, n, *w = _check_discrete(frequency, recency, n_periods, weights)
        (x, tx, n), w = _aggregate([x, tx, n], w[0] if w else None)
        _require_customers(w)
        if not np.any((x > 0) & (w > 0)):
            raise DataError(
                "column 'frequency' is 0 for every customer: nobody transacted again, "
                "so the transaction and dropout processes cannot be identified"
            )
        self._fit(_DiscreteHistories(x, tx, n), w)
        return self

    def _initial(self, data: _DiscreteHistories) -> np.ndarray:
        return np.zeros(4)

    def _score_rows(self, frequency, recency, n_periods) -> np.ndarray:
        return self._loglik(*_check_discrete(frequency, recency, n_periods))

    def _terms(self, theta, d):
        """Log of each term of the likelihood (rows: histories, columns: terms) and
        the derivatives of each log term with respect to (alpha, beta, gamma, delta)."""
        al, be, ga, de = np.exp(theta)
        x, tx, n = d.x, d.tx, d.n
        k = int(np.max(n - tx)) if n.size else 0
        i = np.arange(k)[None, :]
        valid = i < (n - tx)[:, None]
        # column 0: alive through n; columns 1..k: died after period t_x + i
        b_alpha = np.column_stack([be + n - x, (be + tx - x)[:, None] + i])
        g_delta = np.column_stack([de + n, (de + tx)[:, None] + i])
        g_first = np.concatenate([[ga], np.full(k, ga + 1)])[None, :]
        ok = np.column_stack([np.ones(x.size, bool), valid])
        ax = (al + x)[:, None]
        logs = betaln(ax, b_alpha) - betaln(al, be) + betaln(g_first, g_delta) - betaln(ga, de)
        logs = np.where(ok, logs, -np.inf)
        dab, dgd = digamma(al + be), digamma(ga + de)
        s1 = digamma(ax + b_alpha)
        s2 = digamma(g_first + g_delta)
        derivs = np.stack(
            [
                digamma(ax) - s1 - digamma(al) + dab,
                digamma(b_alpha) - s1 - digamma(be) + dab,
                digamma(g_first) - s2 - digamma(ga) + dgd,
                digamma(g_delta) - s2 - digamma(de) + dgd,
            ]
        )
        return logs, derivs

    def _negll(self, theta, d, w, gradient=True):
        logs, derivs = self._terms(theta, d)
        top = np.max(logs, axis=1, keepdims=True)
        e = np.exp(logs - top)
        total = e.sum(axis=1)
        ll = top[:, 0] + np.log(total)
        value = -np.dot(w, ll)
        if not gradient:
            return value, None
        share = e / total[:, None]
        grad = np.array([w @ np.sum(share * derivs[j], axis=1) for j in range(4)]) * np.exp(theta)
        return value, -grad

    def _loglik(self, x, tx, n):
        logs, _ = self._terms(np.log(self.params_.to_numpy()), _DiscreteHistories(x, tx, n))
        top = np.max(logs, axis=1)
        return top + np.log(np.exp(logs - top[:, None]).sum(axis=1))

    def p_alive(self, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike) -> Prediction:
        """P(alive in period n+1 | x, t_x, n) (Fader, Hardie & Shang 2010, eq. 11):

        B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n+1)/B(gamma, delta) / L.

        Raises
        ------
        DataError
            An argument that is not whole numbers (text, True/False, fractions), missing,
            infinite or negative; frequency above recency or recency above n_periods;
            n_periods above ``MAX_OPPORTUNITIES`` (1,000); inputs of different lengths.
        ModelFitError
            The model is not fitted.
        """
        al, be, ga, de = self._require_fitted()
        x, tx, n = _check_discrete(frequency, recency, n_periods)
        log_num = betaln(al + x, be + n - x) - betaln(al, be) + betaln(ga, de + n + 1) - betaln(ga, de)
        return _output(np.exp(log_num - self._loglik(x, tx, n)), frequency, recency, n_periods)

    def expected_purchases(
        self, n_future: int, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike
    ) -> Prediction:
        """Expected transactions in the next n* opportunities (FHS 2010, eq. 13):

        1/L B(alpha+x+1, beta+n-x)/B(alpha, beta) sum_{j=1}^{n*} B(gamma, delta+n+j)/B(gamma, delta),

        the sum being the closed form of eq. 13 written term by term (it holds
        for every gamma, including gamma = 1).

        Parameters
        ----------
        n_future : int (or array of int)
            n*, the number of future opportunities: a whole number from 0 to
            ``MAX_OPPORTUNITIES`` (1,000; the sum holds one term per opportunity).
        frequency, recency, n_periods : scalar, array or Series
            As in :meth:`fit`.

        Raises
        ------
        DataError
            n_future not a whole number in [0, 1,000]; data as in :meth:`fit`.
        """
        al, be, ga, de = self._require_fitted()
        n_future, frequency, recency, n_periods = _same_rows(
            n_future=n_future, frequency=frequency, recency=recency, n_periods=n_periods
        )
        nstar = _as_array(n_future, "n_future", integer=True)
        _largest_count(nstar, "n_future", MAX_OPPORTUNITIES)
        x, tx, n = _check_discrete(frequency, recency, n_periods)
        nstar, x, tx, n = _broadcast({"n_future": nstar, "frequency": x, "recency": tx, "n_periods": n})
        most = int(np.max(nstar)) if nstar.size else 0
        j = np.arange(1, most + 1)[None, :] if most > 0 else np.zeros((1, 0))
        alive_terms = np.exp(betaln(ga, de + n[:, None] + j) - betaln(ga, de))
        alive_terms = np.where(j <= nstar[:, None], alive_terms, 0.0).sum(axis=1)
        log_buy = betaln(al + x + 1, be + n - x) - betaln(al, be)
        value = np.exp(log_buy - self._loglik(x, tx, n)) * alive_terms
        return _output(value, n_future, frequency, recency, n_periods)

    def discounted_expected_transactions(
        self, discount_rate: float, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike
    ) -> Prediction:
        """DERT: discounted expected residual transactions, over every future opportunity
        (Fader, Hardie & Shang 2010, eq. 14):

            DERT = B(alpha+x+1, beta+n-x)/B(alpha, beta) B(gamma, delta+n+1)/(B(gamma, delta) (1+d))
                   2F1(1, delta+n+1; gamma+delta+n+1; 1/(1+d)) / L,

        with L the likelihood of the history (:meth:`fit`) and d the discount rate per
        period, compounded once a period: the transaction at opportunity n+j counts
        1/(1+d)^j (that paper's convention; 0.1 for 10% a year with yearly opportunities).
        The signature is that of :meth:`ParetoNBD.discounted_expected_transactions`.
        It is the sum over j >= 1 of the terms of :meth:`expected_purchases`, each
        discounted; the 2F1 term is computed as its beta integral (see the source).
        Multiply by the value of a transaction for a CLV.

        Parameters
        ----------
        discount_rate : float
            d, per period: from 1e-9 (below, the sum of a model with gamma <= 1 is too
            large to compute) to 1 (100% a period; 10 for 10% is refused).
        frequency, recency, n_periods : scalar, array or Series
            As in :meth:`fit`.

        Returns
        -------
        float, array or Series
            DERT of each customer, in transactions (a float for scalar input, a Series
            with the input's index for a Series).

        Raises
        ------
        DataError
            A discount rate that is not a number in [1e-9, 1]; data as in :meth:`p_alive`.
        ModelFitError
            The model is not fitted.

        References
        ----------
        Fader, P. S., Hardie, B. G. S., & Shang, J. (2010). Customer-base analysis in a
        discrete-time noncontractual setting. Marketing Science 29(6), 1086-1108, eq. 14.

        Examples
        --------
        >>> model = BGBB.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> round(model.discounted_expected_transactions(0.1, 6, 6, 6), 2)
        5.91
        """
        al, be, ga, de = self._require_fitted()
        d = require_number(discount_rate, "discount_rate", low=1e-9, high=1, rate=True)
        x, tx, n = _check_discrete(frequency, recency, n_periods)
        log_buy = betaln(al + x + 1, be + n - x) - betaln(al, be)
        value = np.exp(log_buy + _log_discounted_alive_sum(ga, de, n, d) - self._loglik(x, tx, n))
        return _output(value, frequency, recency, n_periods)
