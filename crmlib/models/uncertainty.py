"""Parameter uncertainty of a fitted model: draws that carry it into any prediction."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..validation import DataError, require_count
from ._base import ModelFitError, _Model

__all__ = ["MAX_PARAMETER_DRAWS", "parameter_draws"]


#: The most parameter draws :func:`parameter_draws` makes (each is a full prediction
#: when carried into a value: 100,000 is far beyond any interval's needs).
MAX_PARAMETER_DRAWS = 100_000


def parameter_draws(model: _Model, n_draws: int = 200, seed: int = 0) -> pd.DataFrame:
    """Draws of a fitted model's parameters that carry their estimation uncertainty.

    log(theta) ~ Normal(log(theta_hat), D^-1 I^-1 D^-1), with I the observed information
    (minus the Hessian of the log-likelihood at the estimates, as in :meth:`summary`)
    and D = diag(theta_hat): the asymptotic normal of the maximum-likelihood estimates,
    taken in log-parameters so that every draw is positive (the delta method). Recompute
    any prediction with ``type(model).from_params(**row)`` for each row to carry the
    uncertainty into it (a parametric bootstrap).

    Parameters
    ----------
    model : BGNBD, ParetoNBD, GammaGamma or BGBB
        Fitted with :meth:`fit` (not ``from_params``: the curvature needs the data).
    n_draws : int
        How many draws (at least 2, at most ``MAX_PARAMETER_DRAWS`` = 100,000).
    seed : int
        Seed of the random numbers (a whole number >= 0): the same seed gives the same draws.

    Returns
    -------
    pandas.DataFrame
        One row per draw, one column per parameter (the model's names).

    Raises
    ------
    ModelFitError
        The model is not fitted, was made with ``from_params``, or its log-likelihood is
        not curved at the estimates (no covariance: see :meth:`summary`).
    DataError
        ``n_draws`` not a whole number from 2 to 100,000; ``seed`` not a whole number >= 0.

    References
    ----------
    Cameron, A. C., & Trivedi, P. K. (2005). Microeconometrics: Methods and
    Applications, sections 5.6 (asymptotic normality of the MLE) and 11.2 (the
    parametric bootstrap).

    Examples
    --------
    >>> from crmlib.models import GammaGamma, parameter_draws, simulate_gamma_gamma
    >>> base = simulate_gamma_gamma(np.arange(1, 801) % 6 + 1, p=6.25, q=3.74, gamma=15.44, seed=2)
    >>> spend = GammaGamma().fit(base["frequency"], base["monetary"])
    >>> draws = parameter_draws(spend, n_draws=100, seed=1)
    >>> list(draws.columns), len(draws)
    (['p', 'q', 'gamma'], 100)
    """
    if not isinstance(model, _Model):
        raise DataError(f"model must be a fitted crmlib.models model, got {type(model).__name__}")
    n = require_count(n_draws, "n_draws", low=2, high=MAX_PARAMETER_DRAWS)
    seed = require_count(seed, "seed")
    params = model._require_fitted()
    hessian = model._hessian(params)
    try:
        cov = np.linalg.inv(-hessian)
    except np.linalg.LinAlgError:
        cov = np.full_like(hessian, np.nan)
    log_cov = cov / np.outer(params, params)
    if not np.all(np.isfinite(log_cov)) or np.any(np.linalg.eigvalsh((log_cov + log_cov.T) / 2) <= 0):
        raise ModelFitError(
            "the log-likelihood is not curved at the estimates in every direction, so the data do not "
            "pin the parameters down and there is no covariance to draw from (see summary())"
        )
    rng = np.random.default_rng(seed)
    draws = np.exp(rng.multivariate_normal(np.log(params), (log_cov + log_cov.T) / 2, size=n))
    return pd.DataFrame(draws, columns=list(model._names))
