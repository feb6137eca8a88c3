"""Simulated customer bases drawn from the models, for tests and for teaching."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..validation import (
    DataError,
    describe_rows,
    require_count,
    require_number,
)
from ._base import MAX_OPPORTUNITIES, MAX_SIMULATED_CUSTOMERS, MAX_SIMULATED_DRAWS, _as_array

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


__all__ = ["simulate_bgnbd", "simulate_pareto_nbd", "simulate_gamma_gamma", "simulate_bgbb"]


#: What a prediction returns: a float for scalar input, a Series with the input's index
#: for a Series, an array otherwise.
Prediction = float | np.ndarray | pd.Series

# ----------------------------------------------------------------------------------
# Simulation from each model (for checks of the estimators and for teaching)
# ----------------------------------------------------------------------------------
#: The largest expected number of transactions (or purchase opportunities) of one
#: simulated customer: beyond it the draws overflow.
_MAX_EXPECTED_DRAWS = 1e15


def _generator(seed: object) -> np.random.Generator:
    """The random generator of a simulation: a numpy Generator as given, or a new one
    seeded with a whole number >= 0."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(require_count(seed, "seed"))


def _positive_parameters(**params: object) -> list[float]:
    """Model parameters given to a simulation: positive finite numbers."""
    return [require_number(value, name, low=0, low_open=True) for name, value in params.items()]


def _customers(values: ArrayLike, name: str, *, integer: bool = False) -> np.ndarray:
    """One value per simulated customer (their T, or their frequency), at most
    MAX_SIMULATED_CUSTOMERS of them."""
    array = _as_array(values, name, integer=integer)
    require_count(
        array.size, f"the number of customers (the length of {name})", low=1, high=MAX_SIMULATED_CUSTOMERS
    )
    return array


def _require_drawable(mean: np.ndarray, what: str) -> None:
    """Refuse parameters that give a customer more expected draws than a simulation can make."""
    largest = float(np.max(mean)) if mean.size else 0.0
    if not largest < _MAX_EXPECTED_DRAWS:
        raise DataError(
            f"{what} give a customer {largest:.3g} expected transactions: too many to simulate "
            f"(at most {_MAX_EXPECTED_DRAWS:.0e}); check that the parameters and T use the same time unit"
        )


def simulate_bgnbd(
    T: ArrayLike, r: float, alpha: float, a: float, b: float, seed: int | np.random.Generator = 0
) -> pd.DataFrame:
    """Summaries (frequency, recency, T) of customers drawn from the BG/NBD model.

    Each customer draws lambda ~ Gamma(r, alpha) and p ~ Beta(a, b); after each
    repeat purchase they drop out with probability p. With n ~ Poisson(lambda T)
    purchase opportunities and J ~ Geometric(p) the purchase after which they
    drop out, x = min(n, J); given n, purchase times are uniform order statistics,
    so t_x = T * Beta(x, n - x + 1).

    Parameters
    ----------
    T : array-like
        Observation time of each customer (non-negative; its length, at most
        ``MAX_SIMULATED_CUSTOMERS`` = 10,000,000, is the number of customers).
    r, alpha, a, b : float
        Model parameters, as in :class:`BGNBD` (positive numbers).
    seed : int >= 0 or numpy Generator
        The random seed, or a generator to draw from.

    Returns
    -------
    DataFrame
        ``frequency``, ``recency`` and ``T``, one row per customer.

    Raises
    ------
    DataError
        T not numbers, missing, negative, empty or longer than the cap; a parameter
        that is not a positive finite number; a seed that is not a whole number >= 0
        or a Generator; parameters that give a customer more than 1e15 expected purchases.
    """
    big_t = _customers(T, "T")
    r, alpha, a, b = _positive_parameters(r=r, alpha=alpha, a=a, b=b)
    rng = _generator(seed)
    lam = rng.gamma(r, 1 / alpha, big_t.size)
    _require_drawable(lam * big_t, "r, alpha and T")
    p = rng.beta(a, b, big_t.size)
    n = rng.poisson(lam * big_t)
    # p = 0 (a customer who never drops out) only by underflow: J is then infinite
    dropout = rng.geometric(np.where(p > 0, p, 1.0))
    x = np.where(p > 0, np.minimum(n, dropout), n)
    tx = np.zeros(big_t.size)
    pos = x > 0
    tx[pos] = big_t[pos] * rng.beta(x[pos], n[pos] - x[pos] + 1)
    return pd.DataFrame({"frequency": x, "recency": tx, "T": big_t})


def simulate_pareto_nbd(
    T: ArrayLike, r: float, alpha: float, s: float, beta: float, seed: int | np.random.Generator = 0
) -> pd.DataFrame:
    """Summaries (frequency, recency, T) drawn from the Pareto/NBD model: lambda ~
    Gamma(r, alpha), lifetime ~ Exponential(mu) with mu ~ Gamma(s, beta).

    Parameters
    ----------
    T : array-like
        Observation time of each customer (non-negative; its length, at most
        ``MAX_SIMULATED_CUSTOMERS`` = 10,000,000, is the number of customers).
    r, alpha, s, beta : float
        Model parameters, as in :class:`ParetoNBD` (positive numbers).
    seed : int >= 0 or numpy Generator
        The random seed, or a generator to draw from.

    Returns
    -------
    DataFrame
        ``frequency``, ``recency`` and ``T``, one row per customer.

    Raises
    ------
    DataError
        As :func:`simulate_bgnbd`.
    """
    big_t = _customers(T, "T")
    r, alpha, s, beta = _positive_parameters(r=r, alpha=alpha, s=s, beta=beta)
    rng = _generator(seed)
    lam = rng.gamma(r, 1 / alpha, big_t.size)
    _require_drawable(lam * big_t, "r, alpha and T")
    mu = rng.gamma(s, 1 / beta, big_t.size)
    with np.errstate(divide="ignore"):  # mu = 0 by underflow: a lifetime without end
        window = np.minimum(rng.exponential(1 / mu), big_t)
    x = rng.poisson(lam * window)
    tx = np.zeros(big_t.size)
    pos = x > 0
    tx[pos] = window[pos] * rng.beta(x[pos], 1)
    return pd.DataFrame({"frequency": x, "recency": tx, "T": big_t})


def simulate_gamma_gamma(
    frequency: ArrayLike, p: float, q: float, gamma: float, seed: int | np.random.Generator = 0
) -> pd.DataFrame:
    """Mean transaction values drawn from the gamma-gamma model: nu ~ Gamma(q, gamma),
    and the mean of x values Gamma(p, nu) is Gamma(p x, nu x).

    Parameters
    ----------
    frequency : array-like
        Number of transactions x of each customer (whole numbers >= 1; its length,
        at most ``MAX_SIMULATED_CUSTOMERS`` = 10,000,000, is the number of customers).
    p, q, gamma : float
        Model parameters, as in :class:`GammaGamma` (positive numbers).
    seed : int >= 0 or numpy Generator
        The random seed, or a generator to draw from.

    Returns
    -------
    DataFrame
        ``frequency`` and ``monetary``, one row per customer.

    Raises
    ------
    DataError
        frequency not whole numbers >= 1, empty or longer than the cap; a parameter
        that is not a positive finite number; a seed that is not a whole number >= 0
        or a Generator; parameters so extreme that the draws overflow.
    """
    x = _customers(frequency, "frequency", integer=True)
    zero = x == 0
    if zero.any():
        raise DataError(
            f"column 'frequency' is 0 for {int(zero.sum())} customers ({describe_rows(np.flatnonzero(zero))}): "
            "a mean transaction value needs at least one transaction"
        )
    p, q, gamma = _positive_parameters(p=p, q=q, gamma=gamma)
    rng = _generator(seed)
    nu = rng.gamma(q, 1 / gamma, x.size)
    with np.errstate(all="ignore"):
        monetary = rng.gamma(p * x, 1 / (nu * x))
    if not np.isfinite(monetary).all():
        raise DataError(
            f"p={p:g}, q={q:g}, gamma={gamma:g} are too extreme to simulate: some mean values "
            "overflow; check the parameters"
        )
    return pd.DataFrame({"frequency": x.astype(int), "monetary": monetary})


def simulate_bgbb(
    n_customers: int,
    n_periods: int,
    alpha: float,
    beta: float,
    gamma: float,
    delta: float,
    seed: int | np.random.Generator = 0,
) -> pd.DataFrame:
    """Patterns (frequency, recency, n_periods) drawn from the BG/BB model: in each
    period an alive customer may first die (probability theta ~ Beta(gamma, delta)),
    and if still alive transacts with probability p ~ Beta(alpha, beta).

    Parameters
    ----------
    n_customers : int
        Customers to draw: 1 to ``MAX_SIMULATED_CUSTOMERS`` (10,000,000).
    n_periods : int
        Opportunities of each: 1 to ``MAX_OPPORTUNITIES`` (1,000); every period of
        every customer is drawn, so n_customers x n_periods is at most
        ``MAX_SIMULATED_DRAWS`` (100,000,000).
    alpha, beta, gamma, delta : float
        Model parameters, as in :class:`BGBB` (positive numbers).
    seed : int >= 0 or numpy Generator
        The random seed, or a generator to draw from.

    Returns
    -------
    DataFrame
        ``frequency``, ``recency`` and ``n_periods``, one row per customer.

    Raises
    ------
    DataError
        Sizes that are not whole numbers or beyond their caps; a parameter that is
        not a positive finite number; a seed that is not a whole number >= 0 or a
        Generator.
    """
    n_customers = require_count(n_customers, "n_customers", low=1, high=MAX_SIMULATED_CUSTOMERS)
    n_periods = require_count(n_periods, "n_periods", low=1, high=MAX_OPPORTUNITIES)
    require_count(n_customers * n_periods, "n_customers x n_periods", high=MAX_SIMULATED_DRAWS)
    alpha, beta, gamma, delta = _positive_parameters(alpha=alpha, beta=beta, gamma=gamma, delta=delta)
    rng = _generator(seed)
    p = rng.beta(alpha, beta, n_customers)
    theta = rng.beta(gamma, delta, n_customers)
    alive = np.ones(n_customers, bool)
    x = np.zeros(n_customers, int)
    tx = np.zeros(n_customers, int)
    for period in range(1, n_periods + 1):
        alive &= rng.random(n_customers) >= theta
        buy = alive & (rng.random(n_customers) < p)
        x += buy
        tx[buy] = period
    return pd.DataFrame({"frequency": x, "recency": tx, "n_periods": n_periods})
