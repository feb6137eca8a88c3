"""The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo 1987)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.special import expit, gammaln, hyp2f1

from ._base import (
    _as_array,
    _broadcast,
    _check_rft,
    _continuous_discount,
    _fit_counting_model,
    _Model,
    _output,
    _same_rows,
)

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


__all__ = ["ParetoNBD"]


#: What a prediction returns: a float for scalar input, a Series with the input's index
#: for a Series, an array otherwise.
Prediction = float | np.ndarray | pd.Series


# ----------------------------------------------------------------------------------
# Pareto/NBD
# ----------------------------------------------------------------------------------
def _pareto_log_a0(r, alpha, s, beta, x, tx, big_t, fallback=False):
    """ln A_0 of the Pareto/NBD likelihood (Fader & Hardie 2005, note 009, eq. 19-20).

    With Euler's transformation, for alpha >= beta:
    A_0 = F(z(t_x)) / ((alpha+t_x)^(r+x) (beta+t_x)^s) - F(z(T)) / ((alpha+T)^(r+x) (beta+T)^s),
    F(z) = 2F1(1, r+x; r+s+x+1; z), z(t) = (alpha-beta)/(alpha+t); F is bounded
    by (r+s+x)/s, so nothing overflows for large x. For alpha < beta the roles
    of the two rates swap (see the code).

    Where scipy's 2F1 fails (z near 1 with a large x: NaN or inf), ``fallback``
    computes A_0 from its defining integral instead (for predictions; a fit steps back
    from such points).
    """
    c = r + s + x + 1
    if alpha >= beta:

        def log_term(t):
            z = (alpha - beta) / (alpha + t)
            return np.log(hyp2f1(1.0, r + x, c, z)) - (r + x) * np.log(alpha + t) - s * np.log(beta + t)
    else:
        # here F(z) = 2F1(1, s+1; r+s+x+1; z), z = (beta-alpha)/(beta+t), and the
        # term is F (alpha+t)^(1-r-x) / (beta+t)^(s+1)
        def log_term(t):
            z = (beta - alpha) / (beta + t)
            return (
                np.log(hyp2f1(1.0, s + 1.0, c, z))
                + (1 - r - x) * np.log(alpha + t)
                - (s + 1) * np.log(beta + t)
            )

    with np.errstate(divide="ignore", invalid="ignore"):
        l1 = log_term(tx)
        l2 = log_term(big_t)
        diff = np.minimum(l2 - l1, 0.0)
        out = l1 + np.log(-np.expm1(diff))
    if not fallback:
        return out
    out = np.where(tx >= big_t, -np.inf, out)
    broken = np.flatnonzero(~(np.isfinite(out) | (tx >= big_t)))
    if broken.size:
        out = out.copy()
        for i in broken:
            out[i] = _pareto_log_a0_integral(r, alpha, s, beta, x[i], tx[i], big_t[i])
    return out


def _pareto_log_a0_integral(r, alpha, s, beta, x, tx, big_t) -> float:
    """ln A_0 from its defining integral, for the histories where 2F1 fails (z near 1
    with a large x): s/(r+s+x) A_0 = s int_{t_x}^T (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau
    (Fader & Hardie 2005, note 009, the death time tau between t_x and T).

    The integrand falls from tau = t_x on the scale 1/|h'(t_x)| of its logarithm h; it
    is scaled by its value at t_x, and the quadrature is told where it falls.
    """
    from scipy import integrate

    def h(tau):
        return -(r + x) * np.log(alpha + tau) - (s + 1) * np.log(beta + tau)

    top = h(tx)
    scale = 1.0 / ((r + x) / (alpha + tx) + (s + 1) / (beta + tx))
    points = [p for p in tx + scale * np.array([1.0, 10.0, 100.0, 1000.0]) if p < big_t]
    with np.errstate(under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        total = integrate.quad(
            lambda tau: np.exp(h(tau) - top),
            tx,
            big_t,
            points=points or None,
            epsabs=0.0,
            epsrel=1e-12,
            limit=400,
        )[0]
    return float(np.log(r + s + x) + top + np.log(total))


def _log_discounted_lifetime(s: float, z: np.ndarray) -> np.ndarray:
    """ln of I(s, z) = int_0^inf e^(-z u) (1+u)^(-s) du = U(1, 2-s; z), z > 0.

    The discounted remaining lifetime of an alive Pareto/NBD customer in units of
    beta + T (Fader, Hardie & Lee 2005b, eq. 2, after Kummer's transformation:
    (beta+T)^s delta^(s-1) U(s, s; z) = (beta+T) U(1, 2-s; z), z = delta (beta+T)).
    scipy's ``hyperu`` returns NaN for large s and small z, so the defining integral
    is computed instead, by adaptive quadrature in y = ln(1+u):

        I = int_0^inf exp(f(y)) dy,  f(y) = (1-s) y - z (e^y - 1),

    a smooth integrand with one maximum, at y* = ln((1-s)/z) when s < 1 - z (else at
    0), that falls off doubly exponentially beyond it; the integrand is scaled by
    exp(-f(y*)) so that nothing overflows. One quadrature per distinct z.

    For s < 1 (every CDNOW fit) it is the closed form I = e^z z^(s-1) Gamma(1-s, z),
    Gamma(a, z) = Gamma(a) Q(a, z) the upper incomplete gamma function, all z at once;
    the quadrature is left for s >= 1 and for the z where Q underflows.
    """
    from scipy import integrate
    from scipy.special import gammaincc, gammaln

    out = np.full(z.shape, np.nan)
    if s < 1:
        with np.errstate(divide="ignore"):
            out = z + (s - 1) * np.log(z) + gammaln(1 - s) + np.log(gammaincc(1 - s, z))
    for value in np.unique(z[~np.isfinite(out)]):
        peak = np.log((1 - s) / value) if s < 1 - value else 0.0
        top = (1 - s) * peak - value * np.expm1(peak)

        def integrand(y, value=value, top=top):
            return np.exp((1 - s) * y - value * np.expm1(y) - top)

        total = 0.0
        with np.errstate(over="ignore"):  # e^y overflows far in the tail, where exp(f) is 0
            for low, high in ((0.0, peak), (peak, np.inf)):
                if high > low:
                    total += integrate.quad(integrand, low, high, epsabs=0.0, epsrel=1e-12, limit=200)[0]
        out[z == value] = top + np.log(total)
    return out


@dataclass(frozen=True)
class _Histories:
    """Aggregated (x, t_x, T) histories and their mean T (for the starting point)."""

    x: np.ndarray
    tx: np.ndarray
    big_t: np.ndarray
    mean_t: float


class ParetoNBD(_Model):
    """The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987).

    While alive a customer buys at Poisson rate lambda ~ Gamma(r, alpha); the
    lifetime is exponential with rate mu ~ Gamma(s, beta). The likelihood of
    (x, t_x, T) is (Fader & Hardie 2005, note 009, eq. 18)

        L = G(r+x) alpha^r beta^s / G(r) * [1 / ((alpha+T)^(r+x) (beta+T)^s)
            + s/(r+s+x) A_0],

    and ``log_likelihood_`` is the sum of ln L (-9595.0 on the CDNOW sample,
    Fader, Hardie & Lee 2005a, Section 4).

    References
    ----------
    Schmittlein, Morrison & Colombo (1987), Management Science 33(1), 1-24.
    Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and related
    expressions", http://brucehardie.com/notes/009/ (eq. 17-22).
    Fader, Hardie & Lee (2005b), JMR 42(4), 415-430, eq. 2 (DERT).

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib.models import simulate_pareto_nbd
    >>> d = simulate_pareto_nbd(np.full(2000, 39.0), r=0.55, alpha=10.6, s=0.61, beta=11.7, seed=1)
    >>> model = ParetoNBD().fit(d["frequency"], d["recency"], d["T"])
    >>> 0 < model.p_alive(1, 5.0, 30.0) < 1
    True
    """

    _names = ("r", "alpha", "s", "beta")
    _data_names = ("frequency", "recency", "T")
    _analytic_gradient = False

    def fit(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
    ) -> ParetoNBD:
        """Fit by maximum likelihood; returns the model (arguments as :meth:`BGNBD.fit`).

        Raises
        ------
        DataError
            The data as in :meth:`p_alive`, negative weights, no customers (or every
            weight 0), or nobody with a repeat transaction.
        ModelFitError
            The optimiser did not converge, or a parameter ran off to 0 or infinity.
        """
        _fit_counting_model(
            self,
            frequency,
            recency,
            T,
            weights,
            lambda x, tx, big_t, w: _Histories(x, tx, big_t, float(np.average(big_t, weights=w))),
            ["alpha", "beta"],
        )
        return self

    def _initial(self, data: _Histories) -> np.ndarray:
        return np.log([1.0, max(data.mean_t, 1e-3), 1.0, max(data.mean_t, 1e-3)])

    def _score_rows(self, frequency, recency, T) -> np.ndarray:
        x, tx, big_t = _check_rft(frequency, recency, T)
        return self._loglik(self.params_.to_numpy(), x, tx, big_t)

    def _loglik(self, params, x, tx, big_t):
        r, alpha, s, beta = params
        log_a0 = _pareto_log_a0(r, alpha, s, beta, x, tx, big_t)
        first = -(r + x) * np.log(alpha + big_t) - s * np.log(beta + big_t)
        second = np.log(s) - np.log(r + s + x) + log_a0
        return (
            gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta) + np.logaddexp(first, second)
        )

    def _loglik_rows(self, theta, d: _Histories):
        with np.errstate(over="ignore", invalid="ignore"):
            return self._loglik(np.exp(theta), d.x, d.tx, d.big_t)

    def _negll(self, theta, d, w, gradient=False):
        value = -np.dot(w, self._loglik_rows(theta, d))
        return (value if np.isfinite(value) else np.inf), None

    def _log_ratio_dead(self, x, tx, big_t):
        """ln of s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A_0."""
        r, alpha, s, beta = self.params_.to_numpy()
        return (
            np.log(s)
            - np.log(r + s + x)
            + (r + x) * np.log(alpha + big_t)
            + s * np.log(beta + big_t)
            + _pareto_log_a0(r, alpha, s, beta, x, tx, big_t, fallback=True)
        )

    def p_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> Prediction:
        """P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A_0)
        (Fader & Hardie 2005, note 009, eq. 22).

        Raises
        ------
        DataError
            An argument that is not numbers (text, True/False, a table, a 2-d array),
            missing, infinite or negative; fractional frequencies; recency after T,
            positive without a repeat purchase or 0 with one; inputs of different lengths, or
            Series with different row labels.
        ModelFitError
            The model is not fitted.
        """
        self._require_fitted()
        x, tx, big_t = _check_rft(frequency, recency, T)
        return _output(expit(-self._log_ratio_dead(x, tx, big_t)), frequency, recency, T)

    def expected_purchases_new(self, t: ArrayLike) -> Prediction:
        """E[X(t)] = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)] (note 009, eq. 6);
        r/alpha beta ln(1 + t/beta) when s = 1.

        Raises
        ------
        DataError
            ``t`` not numbers, missing, infinite or negative.
        ModelFitError
            The model is not fitted.
        """
        r, alpha, s, beta = self._require_fitted()
        t_ = _as_array(t, "t")
        if abs(s - 1) < 1e-10:
            value = r * beta / alpha * np.log1p(t_ / beta)
        else:
            value = r * beta / (alpha * (s - 1)) * -np.expm1((s - 1) * np.log(beta / (beta + t_)))
        return _output(value + 0.0, t)  # 0.0, not -0.0, at t = 0

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Prediction:
        """E[Y(t) | x, t_x, T] = (r+x)(beta+T)/((alpha+T)(s-1))
        [1 - ((beta+T)/(beta+T+t))^(s-1)] P(alive) (note 009, eq. 26).

        Raises
        ------
        DataError
            ``t`` or the data that is not numbers (text, True/False, a table, a 2-d array),
            missing, infinite or negative; fractional frequencies; recency after T,
            positive without a repeat purchase or 0 with one; inputs of different lengths, or
            Series with different row labels.
        ModelFitError
            The model is not fitted.
        """
        r, alpha, s, beta = self._require_fitted()
        t, frequency, recency, T = _same_rows(t=t, frequency=frequency, recency=recency, T=T)
        t_ = _as_array(t, "t")
        x, tx, big_t = _check_rft(frequency, recency, T)
        t_, x, tx, big_t = _broadcast({"t": t_, "frequency": x, "recency": tx, "T": big_t})
        if abs(s - 1) < 1e-10:
            horizon = (beta + big_t) * np.log1p(t_ / (beta + big_t))
        else:
            horizon = (
                (beta + big_t) / (s - 1) * -np.expm1((s - 1) * np.log((beta + big_t) / (beta + big_t + t_)))
            )
        value = (r + x) / (alpha + big_t) * horizon * expit(-self._log_ratio_dead(x, tx, big_t)) + 0.0
        return _output(value, t, frequency, recency, T)

    def discounted_expected_transactions(
        self,
        discount_rate: float,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        *,
        period_length: float | None = None,
    ) -> Prediction:
        """DERT: discounted expected residual transactions of each customer.

        DERT = P(alive) (r+x)/(alpha+T) (beta+T)^s delta^(s-1) U(s, s; delta (beta+T)),
        with delta the continuously compounded discount rate per time unit and
        U the confluent hypergeometric function of the second kind (Fader, Hardie
        & Lee 2005b, eq. 2). delta matches the discrete ``discount_rate`` d per period
        of ``period_length`` time units: delta = ln(1 + d) / period_length (a yearly
        15% on weekly data is ``discount_rate=0.15, period_length=52``).
        Multiply by the expected spend per transaction for a CLV.

        By Kummer's transformation (beta+T)^s delta^(s-1) U(s, s; z) = (beta+T)
        U(1, 2-s; z), z = delta (beta+T), and U(1, 2-s; z) = int_0^inf e^(-z u)
        (1+u)^(-s) du, the discounted remaining lifetime, is computed as that
        integral by quadrature (scipy's ``hyperu`` gives NaN for large s and small
        z; see also Fader, Hardie & Lee 2005b, "RFM and CLV", technical appendix on DERT).

        Parameters
        ----------
        discount_rate : float
            d, a discrete rate per period, as every ``discount_rate`` in crmlib
            (0.15 for 15% a year): above 0 and at most 1 (15 for 15% is refused).
        frequency, recency, T : scalar, array or Series
            As in :meth:`fit`.
        period_length : float
            Required, keyword only: how many time units of the data one period of
            ``discount_rate`` spans (52 for a yearly rate on weekly data). The rate
            used in the formula is delta = ln(1 + d) / period_length per time unit.
            The paper's delta itself is ``discount_rate=exp(delta) - 1, period_length=1``.

        Raises
        ------
        DataError
            A discount rate that is not a number in (0, 1]; ``period_length`` missing
            or not positive; data as in :meth:`p_alive`.
        """
        self._require_fitted()
        delta = _continuous_discount(discount_rate, period_length)
        x, tx, big_t = _check_rft(frequency, recency, T)
        return _output(self._dert(x, tx, big_t, delta), frequency, recency, T)

    def _dert(self, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray, delta: float) -> np.ndarray:
        """DERT of checked histories at the continuous rate delta (see the public method)."""
        r, alpha, s, beta = self._require_fitted()
        # (beta+T)^s delta^(s-1) U(s,s;z) = (beta+T) U(1, 2-s; z) by Kummer's transformation,
        # U(1, 2-s; z) computed as its defining integral (hyperu fails for large s)
        lifetime = (beta + big_t) * np.exp(_log_discounted_lifetime(s, delta * (beta + big_t)))
        return expit(-self._log_ratio_dead(x, tx, big_t)) * (r + x) / (alpha + big_t) * lifetime
