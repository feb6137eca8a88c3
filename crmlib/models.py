"""Probabilistic models of customer behaviour: who is still a customer, how
often they will buy and how much they will spend.

Four models, each an estimator in the scikit-learn style (``fit`` returns the
model, fitted values end in ``_``), with the parameter names and the
log-likelihood of its paper and no hidden rescaling of time: a time unit is
whatever unit the data are in (weeks for the course's CDNOW summaries).

===============  ==============================================  ===========================
model            what it describes                               paper
===============  ==============================================  ===========================
:class:`BGNBD`   repeat transactions in continuous time, with    Fader, Hardie & Lee (2005a)
                 dropout just after a purchase
:class:`ParetoNBD`  repeat transactions, dropout at any time     Schmittlein, Morrison &
                                                                 Colombo (1987)
:class:`GammaGamma`  the mean value of a customer's transactions Fader, Hardie & Lee (2005b)
:class:`BGBB`    discrete opportunities (e.g. yearly donations)  Fader, Hardie & Shang (2010)
===============  ==============================================  ===========================

Every ``fit`` accepts scalars, arrays or pandas Series and optional
``weights`` (the number of customers with that history), groups identical
histories so each is computed once, and maximises the log-likelihood in
log-parameters with its analytic gradient (the Pareto/NBD, whose gradient
involves derivatives of the Gauss hypergeometric function, uses accurate
finite differences of its log-likelihood). A fit that cannot converge, or data
that cannot identify the model (nobody repeats), raise :class:`ModelFitError`
or :class:`~crmlib.validation.DataError` with a sentence saying why.

Sizes that allocate memory or time in proportion have documented caps, far above
any course use: ``MAX_OPPORTUNITIES`` (1,000 discrete opportunities of the BG/BB,
``n_periods`` and ``n_future``), ``MAX_SIMULATED_CUSTOMERS`` (10,000,000
customers per ``simulate_*`` call) and ``MAX_SIMULATED_DRAWS`` (100,000,000
customer-periods per :func:`simulate_bgbb` call).

References
----------
Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005a). "Counting your customers"
the easy way: An alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005b). RFM and CLV: Using iso-value
curves for customer base analysis. Journal of Marketing Research 42(4), 415-430.

Fader, P. S., Hardie, B. G. S., & Shang, J. (2010). Customer-base analysis in a
discrete-time noncontractual setting. Marketing Science 29(6), 1086-1108.

Schmittlein, D. C., Morrison, D. G., & Colombo, R. (1987). Counting your customers:
Who are they and what will they do next? Management Science 33(1), 1-24.

Fader, P. S., & Hardie, B. G. S. (2005). A note on deriving the Pareto/NBD model and
related expressions. http://brucehardie.com/notes/009/
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Self

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1, polygamma

from .validation import (
    DataError,
    describe_rows,
    require_columns,
    require_count,
    require_flag,
    require_frame,
    require_non_negative,
    require_number,
    require_numeric,
    to_numbers,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .validation import DateLike

#: What a prediction returns: a float for scalar input, a Series with the input's index
#: for a Series, an array otherwise.
Prediction = float | np.ndarray | pd.Series

__all__ = [
    "MAX_OPPORTUNITIES",
    "MAX_SIMULATED_CUSTOMERS",
    "MAX_SIMULATED_DRAWS",
    "ModelFitError",
    "BGNBD",
    "ParetoNBD",
    "GammaGamma",
    "BGBB",
    "repeat_transactions_tracking",
    "conditional_expectations_by_frequency",
    "plot_tracking",
    "plot_frequency_check",
    "simulate_bgnbd",
    "simulate_pareto_nbd",
    "simulate_gamma_gamma",
    "simulate_bgbb",
]


class ModelFitError(RuntimeError):
    """A model that could not be fitted: the optimiser did not converge, or a
    parameter ran off to 0 or infinity because the data do not identify it."""


# ----------------------------------------------------------------------------------
# Input handling
# ----------------------------------------------------------------------------------
#: The largest number of discrete opportunities (``n_periods``, ``n_future``) of the BG/BB:
#: its likelihood and predictions hold one term per opportunity and customer.
MAX_OPPORTUNITIES = 1_000

#: The largest number of customers a ``simulate_*`` function draws at once.
MAX_SIMULATED_CUSTOMERS = 10_000_000

#: The largest number of customer-periods :func:`simulate_bgbb` draws at once
#: (``n_customers`` x ``n_periods``): it draws each period of each customer.
MAX_SIMULATED_DRAWS = 100_000_000


def _as_array(values, name: str, *, integer: bool = False, positive: bool = False) -> np.ndarray:
    """A 1-d float array from a scalar, list, array or Series, or a DataError naming it.

    A Series or a numeric array is checked as a column (:func:`require_numeric`: no text,
    no True/False, nothing missing or infinite, naming the rows); anything else is read
    with :func:`to_numbers`. Then no negative values (or no zero either, ``positive``)
    and, for counts, whole numbers.
    """
    if isinstance(values, np.ndarray) and values.ndim <= 1 and values.dtype.kind in "biuf":
        values = pd.Series(values.reshape(-1))
    if not isinstance(values, pd.Series):
        values = pd.Series(to_numbers(values, name, allow_empty=True))
    column = require_numeric(values.to_frame(name), name)
    array = column.to_numpy(dtype=float)
    require_non_negative(column, name)
    if positive:
        zero = column == 0
        if zero.any():
            raise DataError(
                f"column {name!r} has {int(zero.sum())} zero values ({describe_rows(column.index[zero])}): "
                "it must be positive"
            )
    if integer:
        fractional = array != np.round(array)
        if fractional.any():
            raise DataError(
                f"column {name!r} has {int(fractional.sum())} values that are not whole "
                f"numbers ({describe_rows(column.index[fractional])}): it counts transactions"
            )
    return array


def _same_rows(**named) -> list:
    """The inputs, with Series matched by label: the one shared helper of every method
    that takes several per-customer inputs.

    Series with the same labels in another order are reordered to the first Series'
    labels (so the result is indexed as it is); Series with different labels (columns of
    different tables) are refused, as are repeated labels that cannot be matched.
    Anything else (arrays, lists, numbers) is returned as given and matched by position.
    """
    out = dict(named)
    series = {k: v for k, v in named.items() if isinstance(v, pd.Series)}
    if len(series) < 2:
        return list(out.values())
    (first, reference), *others = series.items()
    for other, values in others:
        if len(values) != len(reference) or values.index.equals(reference.index):
            continue  # other lengths are reported by _broadcast
        if set(values.index) != set(reference.index):
            raise DataError(
                f"{first} and {other} are Series with different row labels: they are matched "
                "by label, so pass columns of one table (or plain arrays, matched by position)"
            )
        if not (values.index.is_unique and reference.index.is_unique):
            raise DataError(
                f"{first} and {other} are Series with repeated row labels in different orders: "
                "they cannot be matched by label; pass them in the same order or as arrays"
            )
        out[other] = values.reindex(reference.index)
    return list(out.values())


def _largest_count(array: np.ndarray, name: str, cap: int) -> None:
    """The documented cap of a size given as a column: its largest value."""
    if array.size:
        require_count(int(np.max(array)), name if array.size == 1 else f"the largest {name}", high=cap)


def _require_customers(weights: np.ndarray) -> None:
    """A fit needs at least one history with a positive weight."""
    if weights.size == 0:
        raise DataError("there are no customers to fit on: the inputs are empty or every weight is 0")


def _at_a(formula, a: float):
    """``formula(a)``, or at a = 1 (where the BG/NBD's expectations are 0/0) the mean of
    ``formula`` at a = 1 -/+ 1e-6: the limit, to about 1e-10."""
    if abs(a - 1) > 1e-7:
        return formula(a)
    return (formula(1 - 1e-6) + formula(1 + 1e-6)) / 2


def _broadcast(named: dict[str, np.ndarray]) -> list[np.ndarray]:
    sizes = {k: v.size for k, v in named.items()}
    n = max(sizes.values())
    wrong = {k: s for k, s in sizes.items() if s not in (1, n)}
    if wrong:
        listed = ", ".join(f"{k!r} has {s}" for k, s in sizes.items())
        raise DataError(f"the inputs must have the same length (or be single numbers): {listed}")
    return [np.broadcast_to(v, (n,)) for v in named.values()]


def _check_rft(frequency, recency, T, weights=None):
    """Validate (frequency, recency, T[, weights]) of a continuous-time model."""
    frequency, recency, T, weights = _same_rows(frequency=frequency, recency=recency, T=T, weights=weights)
    x = _as_array(frequency, "frequency", integer=True)
    tx = _as_array(recency, "recency")
    big_t = _as_array(T, "T")
    arrays = {"frequency": x, "recency": tx, "T": big_t}
    if weights is not None:
        arrays["weights"] = _as_array(weights, "weights")
    arrays = _broadcast(arrays)
    x, tx, big_t = arrays[:3]
    late = tx > big_t * (1 + 1e-12) + 1e-12
    if late.any():
        raise DataError(
            f"column 'recency' exceeds 'T' for {int(late.sum())} customers "
            f"({describe_rows(np.flatnonzero(late))}): the last purchase cannot come "
            "after the end of observation; check that both use the same time unit"
        )
    stray = (x == 0) & (tx > 0)
    if stray.any():
        raise DataError(
            f"column 'recency' is positive for {int(stray.sum())} customers with "
            f"frequency 0 ({describe_rows(np.flatnonzero(stray))}): recency is the time of "
            "the last REPEAT purchase, 0 without one (see crmlib.rfm_summary)"
        )
    instant = (x > 0) & (tx == 0)
    if instant.any():
        raise DataError(
            f"column 'recency' is 0 for {int(instant.sum())} customers with a positive frequency "
            f"({describe_rows(np.flatnonzero(instant))}): a repeat purchase at the very moment of "
            "the first is impossible in continuous time; recency is the time from the first "
            "purchase to the last repeat one (same-day purchases count once, see crmlib.rfm_summary)"
        )
    tx = np.minimum(tx, big_t)
    return (x, tx, big_t, arrays[3]) if weights is not None else (x, tx, big_t)


def _aggregate(columns: list[np.ndarray], weights) -> tuple[list[np.ndarray], np.ndarray]:
    """Identical histories counted once, with summed weights.

    A sort-based group-by in numpy: rows sorted with ``np.lexsort``, a new group
    wherever any column changes, weights summed per group with ``np.add.reduceat``.
    For the course's inputs (thousands of rows) this is several times faster than
    building a pandas group-by. Histories with a total weight of 0 are dropped.
    """
    rows = [np.asarray(c, dtype=float) for c in columns]
    w = np.ones(rows[0].size) if weights is None else np.asarray(weights, dtype=float)
    if w.size == 0:
        return [c[:0] for c in rows], w
    order = np.lexsort(rows[::-1])
    rows = [c[order] for c in rows]
    starts = np.ones(order.size, dtype=bool)
    starts[1:] = np.any([c[1:] != c[:-1] for c in rows], axis=0)
    starts = np.flatnonzero(starts)
    summed = np.add.reduceat(w[order], starts)
    keep = summed > 0
    return [c[starts][keep] for c in rows], summed[keep]


def _output(values: np.ndarray, *inputs):
    """Return a float for scalar input, a Series with the input's index for a Series."""
    for item in inputs:
        if isinstance(item, pd.Series) and item.size == values.size:
            return pd.Series(values, index=item.index)
    if all(np.ndim(item) == 0 for item in inputs):
        return float(values.reshape(-1)[0])
    return values


def _bhhh_start(rows, theta, weights, steps: int = 3, eps: float = 1e-7):
    """A few BHHH steps from ``theta`` for a fit without an analytic gradient.

    ``rows(theta)`` returns each history's log-likelihood. Forward differences
    of it give every history's score s_i (one evaluation per parameter, as a
    finite-difference gradient costs anyway), and the weighted outer product
    sum_i w_i s_i s_i' approximates the information matrix, so that a Newton
    step needs no second derivatives (Berndt, Hall, Hall & Hausman 1974). Each
    step is halved until the likelihood rises. Returns the new point and the
    inverse of the outer product there (per unit weight), the starting inverse
    Hessian for BFGS in place of the identity.

    Berndt, E. K., Hall, B. H., Hall, R. E., & Hausman, J. A. (1974). Estimation and
    inference in nonlinear structural models. Annals of Economic and Social
    Measurement 3(4), 653-665.
    """
    total = weights.sum()

    def scores(point):
        base = rows(point)
        s = np.column_stack([(rows(point + eps * e) - base) / eps for e in np.eye(point.size)])
        return weights @ base, weights @ s, (s * weights[:, None]).T @ s

    value, gradient, outer = scores(theta)
    for _ in range(steps):
        if not (np.isfinite(value) and np.all(np.isfinite(outer))):
            break
        step = np.linalg.lstsq(outer, gradient, rcond=None)[0]
        step = step / max(1.0, np.max(np.abs(step)))  # at most a factor e per parameter
        for _halving in range(20):
            trial = theta + step
            trial_value = weights @ rows(trial)
            if np.isfinite(trial_value) and trial_value > value:
                break
            step = step / 2
        else:
            break
        theta = trial
        value, gradient, outer = scores(theta)
    try:
        inverse = np.linalg.inv(outer / total)
        inverse = (inverse + inverse.T) / 2
        np.linalg.cholesky(inverse)  # BFGS needs it positive definite
    except np.linalg.LinAlgError:
        inverse = None
    if inverse is not None and not np.all(np.isfinite(inverse)):
        inverse = None
    return theta, inverse


# ----------------------------------------------------------------------------------
# The common estimator machinery
# ----------------------------------------------------------------------------------
class _Model:
    """Shared fitting, repr and summary. Subclasses define ``_names`` and
    ``_negll(log_params, data, weights) -> (value, gradient)`` on aggregated data,
    ``_neghess`` when ``_analytic_hessian`` is set, and ``_loglik_rows(log_params,
    data)`` (each history's log-likelihood) when ``_analytic_gradient`` is not."""

    _names: tuple[str, ...] = ()
    _data_names: tuple[str, ...] = ()  # the arrays fit and score_samples take, in order
    _analytic_gradient = True
    _analytic_hessian = False  # True: the subclass defines _neghess(log_params, data, weights)

    def __init__(self) -> None:
        self.params_: pd.Series | None = None
        self.log_likelihood_: float | None = None
        self.n_iter_: int | None = None
        self._hessian_data = None

    @classmethod
    def from_params(cls, **params: float) -> Self:
        """A model with the given parameters, as if fitted: to predict, simulate or score
        with published estimates, e.g. ``BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)``.

        ``log_likelihood_`` and ``n_iter_`` stay ``None`` (nothing was fitted), and
        :meth:`summary` needs a fit (its standard errors come from the fitted data).

        Raises
        ------
        DataError
            A parameter missing or unknown, or one that is not a positive finite number.
        """
        names = list(cls._names)
        if sorted(params) != sorted(names):
            raise DataError(
                f"{cls.__name__} has the parameters {', '.join(names)}; got {', '.join(params) or 'none'}"
            )
        values = np.array([require_number(params[name], name, low=0, low_open=True) for name in names])
        model = cls()
        model.params_ = pd.Series(values, index=names, name="estimate")
        return model

    def score_samples(self, *data: ArrayLike) -> np.ndarray:
        """The log-likelihood of each customer's history under the model's parameters
        (the terms whose sum ``fit`` maximises); arguments as for ``fit``, without weights.

        Raises
        ------
        DataError
            Not the model's data (see ``fit``), or data that fail its checks.
        """
        self._require_fitted()
        if len(data) != len(self._data_names):
            raise DataError(
                f"{type(self).__name__}.score_samples needs {', '.join(self._data_names)} "
                f"({len(self._data_names)} arrays); got {len(data)}"
            )
        return self._score_rows(*data)

    def log_likelihood(self, *data: ArrayLike, weights: ArrayLike | None = None) -> float:
        """The total log-likelihood of the histories (weighted by the number of customers
        with each); at the fitted parameters and the fitting data it is ``log_likelihood_``.

        Raises
        ------
        DataError
            As :meth:`score_samples`, or weights that are negative, missing or of another length.
        """
        rows = self.score_samples(*data)
        if weights is None:
            return float(np.ones(rows.size) @ rows)
        w, rows = _broadcast({"weights": _as_array(weights, "weights"), "histories": rows})
        return float(w @ rows)

    def __repr__(self) -> str:
        if self.params_ is None:
            return f"{type(self).__name__}()"
        shown = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({shown})"

    def _require_fitted(self):
        if self.params_ is None:
            raise ModelFitError(f"this {type(self).__name__} is not fitted yet: call fit(...) first")
        return self.params_.to_numpy()

    def _initial(self, data) -> np.ndarray:
        return np.zeros(len(self._names))

    def _fit(self, data, weights: np.ndarray) -> None:
        total = float(weights.sum())

        def objective(theta):
            value, grad = self._negll(theta, data, weights)
            return value / total, grad / total

        def value_only(theta):
            return self._negll(theta, data, weights, gradient=False)[0] / total

        def central_gradient(theta, step=1e-5):
            # central differences: accurate to about 1e-10, so the gradient test can be
            # as strict as with an analytic gradient (forward differences are not)
            return np.array(
                [
                    (value_only(theta + e) - value_only(theta - e)) / (2 * step)
                    for e in np.eye(theta.size) * step
                ]
            )

        start = self._initial(data)
        if self._analytic_hessian:
            # Newton steps in a trust region, with the exact Hessian: a handful of
            # iterations where BFGS needs twenty
            result = optimize.minimize(
                objective,
                start,
                jac=True,
                method="trust-exact",
                hess=lambda theta: self._neghess(theta, data, weights) / total,
                options={"gtol": 1e-9, "maxiter": 1000},
            )
        elif self._analytic_gradient:
            result = optimize.minimize(
                objective, start, jac=True, method="BFGS", options={"gtol": 1e-9, "maxiter": 1000}
            )
        else:
            # trial points far from the optimum can make the likelihood underflow; the
            # optimiser steps back from them, so its difference warnings are noise
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                start, hess_inv0 = _bhhh_start(lambda theta: self._loglik_rows(theta, data), start, weights)
                result = optimize.minimize(
                    value_only,
                    start,
                    jac=central_gradient,
                    method="BFGS",
                    options={"gtol": 1e-9, "maxiter": 1000, "hess_inv0": hess_inv0},
                )
                if (
                    not result.success
                    and hess_inv0 is not None
                    and not np.max(np.abs(central_gradient(result.x))) <= 1e-5
                ):
                    # the BHHH curvature can mislead the first line search (BFGS then
                    # stops where it started): go on from there with the identity
                    result = optimize.minimize(
                        value_only,
                        result.x,
                        jac=central_gradient,
                        method="BFGS",
                        options={"gtol": 1e-9, "maxiter": 1000},
                    )
        theta = result.x
        name = type(self).__name__
        if not np.all(np.isfinite(theta)) or not np.isfinite(result.fun):
            raise ModelFitError(f"{name} fit failed: the log-likelihood became undefined ({result.message})")
        runaway = [n for n, t in zip(self._names, theta, strict=True) if abs(t) > 15]
        if runaway:
            values = ", ".join(
                f"{n}={np.exp(t):.3g}" for n, t in zip(self._names, theta, strict=True) if n in runaway
            )
            raise ModelFitError(
                f"{name} fit did not converge to an interior maximum: {values} ran off towards "
                "0 or infinity, so the data cannot identify the model (too few repeat "
                "purchases, or no sign of dropout); try another model or more data"
            )
        # result.jac is the analytic gradient at result.x: no extra evaluation; without
        # one, the central differences at result.x (accurate to about 1e-10)
        if self._analytic_gradient:
            grad_norm = float(np.max(np.abs(result.jac)))
        else:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                grad_norm = float(np.max(np.abs(central_gradient(theta))))
            if not np.isfinite(grad_norm):
                grad_norm = np.inf
        if not result.success and grad_norm > 1e-5:
            raise ModelFitError(
                f"{name} fit did not converge: {result.message} (largest gradient {grad_norm:.2g})"
            )
        self.params_ = pd.Series(np.exp(theta), index=list(self._names), name="estimate")
        self.log_likelihood_ = -float(result.fun) * total
        self.n_iter_ = int(result.nit)
        self._hessian_data = (data, weights)

    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors from the curvature of the log-likelihood.

        The standard errors come from a finite-difference Hessian of the
        total log-likelihood in the natural parameters (the inverse of the
        observed information). A ``std_error`` is NaN when the curvature does not
        define one (the log-likelihood is flat or not concave in that direction at
        the estimates, so the data do not pin the parameter down); a warning says so.

        Raises
        ------
        ModelFitError
            The model is not fitted, or was made with ``from_params`` (no data to
            measure the curvature on).
        """
        params = self._require_fitted()
        if self._hessian_data is None:
            raise ModelFitError(
                f"this {type(self).__name__} was made with from_params: summary needs the data of a fit "
                "for its standard errors; call fit(...) first"
            )
        data, weights = self._hessian_data
        k = params.size

        def ll(p):
            return -self._negll(np.log(p), data, weights, gradient=False)[0]

        steps = 1e-4 * params
        hessian = np.empty((k, k))
        for i in range(k):
            for j in range(i, k):
                ei = np.zeros(k)
                ej = np.zeros(k)
                ei[i] = steps[i]
                ej[j] = steps[j]
                value = (
                    ll(params + ei + ej) - ll(params + ei - ej) - ll(params - ei + ej) + ll(params - ei - ej)
                ) / (4 * steps[i] * steps[j])
                hessian[i, j] = hessian[j, i] = value
        try:
            cov = np.linalg.inv(-hessian)
            se = np.sqrt(np.where(np.diag(cov) > 0, np.diag(cov), np.nan))
        except np.linalg.LinAlgError:
            se = np.full(k, np.nan)
        if np.isnan(se).any():
            missing = ", ".join(n for n, e in zip(self._names, se, strict=True) if np.isnan(e))
            warnings.warn(
                f"no standard error for {missing}: the log-likelihood is not curved at the estimates "
                "in that direction, so the data do not pin it down (std_error is NaN)",
                UserWarning,
                stacklevel=2,
            )
        return pd.DataFrame({"estimate": params, "std_error": se}, index=list(self._names))


# ----------------------------------------------------------------------------------
# BG/NBD
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _CountingHistories:
    """Aggregated (x, t_x, T) histories as the BG/NBD likelihood uses them: the
    customers with a repeat purchase one by one (with the index of their x among
    the distinct values, so that terms depending on x alone are computed once),
    and those without one grouped by T."""

    x: np.ndarray
    tx: np.ndarray
    big_t: np.ndarray
    weight: np.ndarray
    distinct_x: np.ndarray
    x_index: np.ndarray
    zero_t: np.ndarray
    zero_weight: np.ndarray
    mean_t: float


class BGNBD(_Model):
    """The beta-geometric/negative binomial distribution (BG/NBD) model.

    While alive a customer buys at Poisson rate lambda ~ Gamma(r, alpha); after
    each purchase they drop out with probability p ~ Beta(a, b). For a customer
    with x repeat purchases, the last at t_x, observed for T (Fader, Hardie &
    Lee 2005a, eq. 6):

        L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
            + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))

    ``log_likelihood_`` is the sum of ln L over customers (their eq. 7 summed),
    the value the paper reports (-9582.4 on the CDNOW sample).

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your
    customers" the easy way. Marketing Science 24(2), 275-284: eq. 6 (likelihood),
    eq. 9 (E[X(t)]), eq. 10 (conditional expectation), Section 4 (CDNOW estimates).
    Fader, Hardie & Lee (2008), "Computing P(alive) using the BG/NBD model",
    http://brucehardie.com/notes/021/.

    Examples
    --------
    >>> model = BGNBD().fit([0, 2, 5, 1], [0.0, 20.0, 30.0, 5.0], [38.0, 38.0, 36.0, 30.0])
    >>> model.p_alive(0, 0.0, 38.0)
    1.0
    """

    _names = ("r", "alpha", "a", "b")
    _data_names = ("frequency", "recency", "T")

    def fit(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
    ) -> BGNBD:
        """Fit by maximum likelihood; returns the model.

        Parameters
        ----------
        frequency, recency, T : scalar, array or Series
            Repeat transactions x, time of the last one t_x (0 if x = 0) and
            time observed T, in one time unit (see :func:`crmlib.rfm_summary`).
        weights : array or Series, optional
            Number of customers with each history (default 1 each).

        The fit does not depend on the time unit: times c t_x, c T give the same
        r, a and b, alpha multiplied by c, and ``log_likelihood_`` lower by
        sum(x) ln c. It runs on the times divided by their mean T.

        Raises
        ------
        DataError
            The data as in :meth:`p_alive`, negative weights, no customers (or every
            weight 0), or nobody with a repeat transaction.
        ModelFitError
            The optimiser did not converge, or a parameter ran off to 0 or infinity.
        """
        x, tx, big_t, *w = _check_rft(frequency, recency, T, weights)
        (x, tx, big_t), w = _aggregate([x, tx, big_t], w[0] if w else None)
        _require_customers(w)
        if not np.any((x > 0) & (w > 0)):
            raise DataError(
                "column 'frequency' is 0 for every customer: nobody made a repeat "
                "purchase, so the purchase and dropout processes cannot be identified"
            )
        # The likelihood does not depend on the time unit: times c t_x, c T give the same
        # r, a, b and c alpha, and a density lower by c^x. The fit runs on the times in
        # units of their mean T, so that days, weeks or seconds fit alike.
        scale = float(np.average(big_t, weights=w))
        self._fit(self._histories(x, tx / scale, big_t / scale, w), w)
        self.params_["alpha"] *= scale
        self.log_likelihood_ -= float(w @ x) * np.log(scale)
        self._hessian_data = (self._histories(x, tx, big_t, w), w)
        return self

    @staticmethod
    def _histories(x, tx, big_t, w) -> _CountingHistories:
        pos = x > 0
        ux, inv = np.unique(x[pos], return_inverse=True)
        zero_t, zero_w = _aggregate([big_t[~pos]], w[~pos]) if (~pos).any() else ([np.zeros(0)], np.zeros(0))
        return _CountingHistories(
            x=x[pos],
            tx=tx[pos],
            big_t=big_t[pos],
            weight=w[pos],
            distinct_x=ux,
            x_index=inv.reshape(-1),
            zero_t=zero_t[0],
            zero_weight=zero_w,
            mean_t=float(np.average(big_t, weights=w)),
        )

    def _initial(self, data: _CountingHistories) -> np.ndarray:
        return np.log([1.0, max(data.mean_t, 1e-3), 1.0, 1.0])

    def _score_rows(self, frequency, recency, T) -> np.ndarray:
        """ln L of each (x, t_x, T), term by term as in the paper's eq. 6."""
        r, alpha, a, b = self.params_.to_numpy()
        x, tx, big_t = _check_rft(frequency, recency, T)
        common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        alive = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + big_t)
        with np.errstate(divide="ignore", invalid="ignore"):
            dropped = np.where(
                x > 0,
                betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b) - (r + x) * np.log(alpha + tx),
                -np.inf,
            )
        return common + np.logaddexp(alive, dropped)

    def _negll(self, theta, d: _CountingHistories, w, gradient=True):
        # Customers without a repeat purchase (x = 0) have one term, ln L = ln B(a, b)
        # - ln B(a, b) - r ln(alpha + T) + r ln alpha, and are grouped by T; for x > 0 the
        # terms that depend on x only are computed once per distinct x.
        r, alpha, a, b = np.exp(theta)
        ux, inv = d.distinct_x, d.x_index
        x, tx, big_t, w1 = d.x, d.tx, d.big_t, d.weight
        t0, w0 = d.zero_t, d.zero_weight
        log_alpha = np.log(alpha)
        lbab = betaln(a, b)
        log_a0t = np.log(alpha + t0)
        ll_zero = w0.sum() * r * log_alpha - r * (w0 @ log_a0t)
        a_x = gammaln(r + ux) - gammaln(r) + r * log_alpha
        b1_x = betaln(a, b + ux) - lbab
        b2_x = betaln(a + 1, b + ux - 1) - lbab
        log_at = np.log(alpha + big_t)
        log_atx = np.log(alpha + tx)
        rx = r + x
        diff = (b1_x - b2_x)[inv] - rx * (log_at - log_atx)  # l1 - l2
        e = np.exp(-np.abs(diff))
        top = np.where(diff > 0, b1_x[inv] - rx * log_at, b2_x[inv] - rx * log_atx)
        ll_pos = w1 @ (a_x[inv] + top + np.log1p(e))
        value = -(ll_zero + ll_pos)
        if not gradient:
            return value, None
        c1 = np.where(diff > 0, 1.0, e) / (1.0 + e)
        c2 = 1.0 - c1
        dig_ab = digamma(a + b)
        wc1, wc2 = w1 * c1, w1 * c2
        # x = 0 customers
        g_r0 = w0.sum() * log_alpha - w0 @ log_a0t
        g_alpha0 = r * (w0.sum() / alpha - w0 @ (1.0 / (alpha + t0)))
        g_a0 = g_b0 = 0.0  # B(a, b+0)/B(a, b) = 1 does not depend on a or b
        # x > 0 customers
        counts = np.bincount(inv, weights=w1, minlength=ux.size)
        sum1 = np.bincount(inv, weights=wc1, minlength=ux.size)
        sum2 = counts - sum1
        g_r = counts @ (digamma(r + ux) - digamma(r) + log_alpha) - wc1 @ log_at - wc2 @ log_atx
        g_alpha = (
            r / alpha * counts.sum()
            - (wc1 * rx) @ (1.0 / (alpha + big_t))
            - (wc2 * rx) @ (1.0 / (alpha + tx))
        )
        d1_a = dig_ab - digamma(a + b + ux)
        d1_b = digamma(b + ux) - digamma(a + b + ux) - digamma(b) + dig_ab
        d2_a = digamma(a + 1) - digamma(a + b + ux) - digamma(a) + dig_ab
        d2_b = digamma(b + ux - 1) - digamma(a + b + ux) - digamma(b) + dig_ab
        g_a = sum1 @ d1_a + sum2 @ d2_a
        g_b = sum1 @ d1_b + sum2 @ d2_b
        grad = -np.array([(g_r0 + g_r) * r, (g_alpha0 + g_alpha) * alpha, (g_a0 + g_a) * a, (g_b0 + g_b) * b])
        return value, grad

    def expected_purchases_new(self, t: ArrayLike) -> Prediction:
        """E[X(t)]: expected purchases of a new customer in a period of length t.

        E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]
        (Fader, Hardie & Lee 2005a, eq. 9), computed after Euler's transformation
        of 2F1 so that it stays finite for every t. At a = 1, where the formula is
        0/0, it is the limit (the mean of the values at a = 1 -/+ 1e-6).

        Parameters
        ----------
        t : scalar, array or Series
            Length of the period (non-negative, in the data's time unit).

        Raises
        ------
        DataError
            ``t`` not numbers, missing, infinite or negative.
        """
        r, alpha, a, b = self._require_fitted()
        t_ = _as_array(t, "t")
        z = t_ / (alpha + t_)

        def value(a):
            tail = (alpha / (alpha + t_)) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b - 1, z)
            return (a + b - 1) / (a - 1) * (1 - tail) + 0.0

        return _output(_at_a(value, a), t)

    def _log_odds_dead(self, x, tx, big_t):
        """ln of (a/(b+x-1)) ((alpha+T)/(alpha+t_x))^(r+x) for x > 0, -inf for x = 0."""
        r, alpha, a, b = self.params_.to_numpy()
        out = np.full(x.shape, -np.inf)
        pos = x > 0
        out[pos] = (
            np.log(a)
            - np.log(b + x[pos] - 1)
            + (r + x[pos]) * (np.log(alpha + big_t[pos]) - np.log(alpha + tx[pos]))
        )
        return out

    def p_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> Prediction:
        """P(alive | x, t_x, T): the probability that the customer has not dropped out.

        P = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
        (Fader, Hardie & Lee 2008, note 021, eq. 5); 1 for a customer with no
        repeat purchase (in the BG/NBD, dropout can only follow a purchase).

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
        return _output(expit(-self._log_odds_dead(x, tx, big_t)), frequency, recency, T)

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Prediction:
        """E[Y(t) | x, t_x, T]: expected purchases in the next t time units.

        E = (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x)
            2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))] * P(alive)
        (Fader, Hardie & Lee 2005a, eq. 10), with Euler's transformation of 2F1,
        which keeps it finite for very large x. At a = 1 it is the limit, as in
        :meth:`expected_purchases_new`.

        Parameters
        ----------
        t : scalar, array or Series
            Length of the future period (non-negative, in the data's time unit).
        frequency, recency, T : scalar, array or Series
            As in :meth:`fit`.

        Raises
        ------
        DataError
            Any argument not numbers, missing, infinite or negative; fractional
            frequencies; recency after T; inputs of different lengths.
        """
        r, alpha, a, b = self._require_fitted()
        t, frequency, recency, T = _same_rows(t=t, frequency=frequency, recency=recency, T=T)
        t_ = _as_array(t, "t")
        x, tx, big_t = _check_rft(frequency, recency, T)
        t_, x, tx, big_t = _broadcast({"t": t_, "frequency": x, "recency": tx, "T": big_t})
        z = t_ / (alpha + big_t + t_)
        alive = expit(-self._log_odds_dead(x, tx, big_t))

        def value(a):
            tail = ((alpha + big_t) / (alpha + big_t + t_)) ** (a - 1) * hyp2f1(
                a + b - 1 - r, a - 1, a + b + x - 1, z
            )
            return (a + b + x - 1) / (a - 1) * (1 - tail) * alive + 0.0  # 0.0, not -0.0, at t = 0

        return _output(_at_a(value, a), t, frequency, recency, T)

    def discounted_expected_transactions(
        self, discount_rate: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Prediction:
        """DERT: discounted expected residual transactions of each customer.

        DERT = int_0^inf e^(-delta t) d/dt E[Y(t) | x, t_x, T] dt, with delta the
        continuously compounded discount rate per time unit: the same convention and
        signature as :meth:`ParetoNBD.discounted_expected_transactions` (an annual rate
        of 15% is delta = ln(1.15)/52 per week). Multiply by the expected spend per
        transaction for a CLV.

        An alive customer with purchase rate lambda and dropout probability p makes
        the k-th future purchase (if still alive after the k-1 before it, probability
        (1-p)^(k-1)) at a Gamma(k, lambda) time, worth E[e^(-delta t)] = (lambda/(lambda+delta))^k;
        summed over k, lambda/(delta + p lambda). Given the history, a customer is alive
        with probability P(alive) (:meth:`p_alive`), and then lambda ~ Gamma(r+x, alpha+T)
        and p ~ Beta(a, b+x) independently (Fader, Hardie & Lee 2005a, Section 3), so

            DERT = P(alive) E[lambda / (delta + p lambda)]
                 = P(alive) (r+x) int_0^inf e^(-delta (alpha+T) u) 2F1(r+x+1, a; a+b+x; -u) du,

        the one-dimensional integral (computed by adaptive quadrature, every history
        at once) from lambda/(delta + p lambda) = int_0^inf lambda e^(-(delta + p lambda) s) ds.
        For a large delta it is P(alive) (r+x)/((alpha+T) delta) to first order; as delta
        goes to 0 it tends to P(alive) (a+b+x-1)/(a-1) for a > 1 (all future purchases,
        the limit of :meth:`expected_purchases`).

        Parameters
        ----------
        discount_rate : float
            delta, continuously compounded per time unit of the data: above 0 and
            at most 1 (100% per time unit; 15 for 15% is refused).
        frequency, recency, T : scalar, array or Series
            As in :meth:`fit`.

        Returns
        -------
        float, array or Series
            DERT of each customer, in transactions (a float for scalar input, a Series
            with the input's index for a Series).

        Raises
        ------
        DataError
            A discount rate that is not a number in (0, 1]; data as in :meth:`p_alive`.
        ModelFitError
            The model is not fitted.

        References
        ----------
        Fader, Hardie & Lee (2005a), Marketing Science 24(2), 275-284 (the model and
        its posterior); Fader, Hardie & Lee (2005b), JMR 42(4), 415-430, eq. 2 (DERT,
        defined for the Pareto/NBD).

        Examples
        --------
        >>> model = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> round(model.discounted_expected_transactions(np.log(1.15) / 52, 2, 30.43, 38.86), 2)
        5.17
        """
        r, alpha, a, b = self._require_fitted()
        delta = require_number(discount_rate, "discount_rate", low=0, low_open=True, high=1, rate=True)
        x, tx, big_t = _check_rft(frequency, recency, T)
        value = np.zeros(x.shape)
        if x.size:
            pairs, where = np.unique(np.column_stack([x, big_t]), axis=0, return_inverse=True)
            kernel = _bgnbd_discount_kernel(r, a, b, pairs[:, 0], delta * (alpha + pairs[:, 1]))
            value = expit(-self._log_odds_dead(x, tx, big_t)) * (r + x) * kernel[where.reshape(-1)]
        return _output(value, frequency, recency, T)


def _hyp2f1_near_one(a: float, b: float, c: np.ndarray, w: np.ndarray) -> np.ndarray:
    """2F1(a, b; c; w) for 0 <= w < 1, with the defining series where scipy's ``hyp2f1``
    fails (it returns inf near w = 1 when c - a - b is a large whole number).

    There c - a - b is large, so the terms (a)_n (b)_n / ((c)_n n!) w^n fall fast at
    every w <= 1: the series is summed until a term is below 1e-17 of the sum while the
    ratio of successive terms is below 1/2 (the tail is then below the last term).
    """
    out = hyp2f1(a, b, c, w)
    bad = ~np.isfinite(out)
    if bad.any():
        cc, ww = np.broadcast_to(c, w.shape)[bad], w[bad]
        term, total = np.ones_like(ww), np.ones_like(ww)
        for n in range(100_000):
            ratio = (a + n) * (b + n) / ((cc + n) * (n + 1)) * ww
            term = term * ratio
            total = total + term
            if np.all((np.abs(term) <= 1e-17 * np.abs(total)) & (np.abs(ratio) < 0.5)):
                break
        out = out.copy()
        out[bad] = total
    return out


def _bgnbd_discount_kernel(r: float, a: float, b: float, x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """K(x, z) = int_0^inf e^(-z u) 2F1(r+x+1, a; a+b+x; -u) du, the BG/NBD's DERT of an
    alive customer divided by r+x (z = delta (alpha+T)), for each pair (x, z).

    2F1(r+x+1, a; a+b+x; -u) = E[(1 + p u)^-(r+x+1)] over p ~ Beta(a, b+x); Pfaff's
    transformation writes it (1+u)^-a 2F1(a, a+b-r-1; a+b+x; u/(1+u)), whose argument is
    in [0, 1). The integral is computed in y = ln(1+u) by adaptive vector quadrature
    (``scipy.integrate.quad_vec``, every pair at once) up to where e^(-z u) < e^-800,
    with breakpoints where e^(-z u) has fallen by 10% ... a factor e^100 for each z.
    """
    from scipy import integrate

    c = a + b + x
    b2 = a + b - r - 1
    log_z = np.log(z)

    def integrand(y):
        with np.errstate(over="ignore", under="ignore"):
            w = -np.expm1(-y) + np.zeros_like(z)
            # z (e^y - 1) as e^(y + ln z) - z: finite even where e^y alone overflows
            return np.exp((1 - a) * y - np.exp(y + log_z) + z) * _hyp2f1_near_one(a, b2, c, w)

    # ln(1 + c/z) as logaddexp(0, ln c - ln z): no overflow for the tiniest z
    top = float(np.logaddexp(0.0, np.log(800.0) - np.log(np.min(z))))
    marks = np.logaddexp(
        0.0, np.log([0.1, 1.0, 10.0, 100.0])[None, :] - np.log(np.unique(z))[:, None]
    ).ravel()
    points = np.unique(marks[marks < top])
    if points.size > 40:
        points = points[np.linspace(0, points.size - 1, 40).round().astype(int)]
    return integrate.quad_vec(
        integrand, 0.0, top, epsabs=0.0, epsrel=1e-11, norm="max", points=list(points), limit=10_000
    )[0]


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
    """
    from scipy import integrate

    out = np.empty(z.shape)
    for value in np.unique(z):
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
        x, tx, big_t, *w = _check_rft(frequency, recency, T, weights)
        (x, tx, big_t), w = _aggregate([x, tx, big_t], w[0] if w else None)
        _require_customers(w)
        if not np.any((x > 0) & (w > 0)):
            raise DataError(
                "column 'frequency' is 0 for every customer: nobody made a repeat "
                "purchase, so the purchase and dropout processes cannot be identified"
            )
        self._fit(_Histories(x, tx, big_t, float(np.average(big_t, weights=w))), w)
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
        self, discount_rate: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Prediction:
        """DERT: discounted expected residual transactions of each customer.

        DERT = P(alive) (r+x)/(alpha+T) (beta+T)^s delta^(s-1) U(s, s; delta (beta+T)),
        with delta the continuously compounded discount rate per time unit and
        U the confluent hypergeometric function of the second kind (Fader, Hardie
        & Lee 2005b, eq. 2). An annual rate of 15% is delta = ln(1.15)/52 per week.
        Multiply by the expected spend per transaction for a CLV.

        By Kummer's transformation (beta+T)^s delta^(s-1) U(s, s; z) = (beta+T)
        U(1, 2-s; z), z = delta (beta+T), and U(1, 2-s; z) = int_0^inf e^(-z u)
        (1+u)^(-s) du, the discounted remaining lifetime, is computed as that
        integral by quadrature (scipy's ``hyperu`` gives NaN for large s and small
        z; see also Fader, Hardie & Lee 2005b, "RFM and CLV", technical appendix on DERT).

        Parameters
        ----------
        discount_rate : float
            delta, continuously compounded per time unit of the data: above 0 and
            at most 1 (100% per time unit; 15 for 15% is refused).
        frequency, recency, T : scalar, array or Series
            As in :meth:`fit`.

        Raises
        ------
        DataError
            A discount rate that is not a number in (0, 1]; data as in :meth:`p_alive`.
        """
        r, alpha, s, beta = self._require_fitted()
        delta = require_number(discount_rate, "discount_rate", low=0, low_open=True, high=1, rate=True)
        x, tx, big_t = _check_rft(frequency, recency, T)
        # (beta+T)^s delta^(s-1) U(s,s;z) = (beta+T) U(1, 2-s; z) by Kummer's transformation,
        # U(1, 2-s; z) computed as its defining integral (hyperu fails for large s)
        lifetime = (beta + big_t) * np.exp(_log_discounted_lifetime(s, delta * (beta + big_t)))
        value = expit(-self._log_ratio_dead(x, tx, big_t)) * (r + x) / (alpha + big_t) * lifetime
        return _output(value, frequency, recency, T)


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


# ----------------------------------------------------------------------------------
# Calibration / hold-out checks of a transaction model
# ----------------------------------------------------------------------------------
def _require_transaction_model(model: object) -> None:
    """A fitted (or from_params) BG/NBD or Pareto/NBD, or a clear error."""
    if not isinstance(model, (BGNBD, ParetoNBD)):
        raise DataError(f"model must be a BGNBD or a ParetoNBD model, got {type(model).__name__}")
    model._require_fitted()


def _require_flag_column(table: pd.DataFrame, column: str, name: str = "table") -> pd.Series:
    """A column of True/False values (no text such as "True", nothing missing), or DataError."""
    values = table[column]
    if not pd.api.types.is_bool_dtype(values):
        examples = ", ".join(repr(v) for v in pd.unique(values)[:3])
        raise DataError(
            f"column {column!r} of {name} must hold True/False values, got {values.dtype} values "
            f"(e.g. {examples})"
        )
    return values


def _require_number_index(table: pd.DataFrame, what: str, name: str = "table") -> None:
    """A table whose index is a number line (weeks, periods), as the x axis of a plot."""
    index = table.index
    if not pd.api.types.is_numeric_dtype(index) or pd.api.types.is_bool_dtype(index):
        raise DataError(
            f"{name} must be indexed by {what} (numbers), got labels such as {index[0]!r}: "
            "pass the table as returned, or set the index back with .set_index(...)"
        )


def repeat_transactions_tracking(
    model: BGNBD | ParetoNBD,
    transactions: pd.DataFrame,
    calibration_end: DateLike,
    holdout_end: DateLike,
    customer_col: str = "customer_id",
    date_col: str = "date",
    duplicates: str = "warn",
) -> pd.DataFrame:
    """Actual and predicted repeat transactions week by week, calibration and hold-out.

    For each week since the first purchase of the cohort, the predicted total
    is sum_i [E[X(tau - t0_i)] - E[X(tau - 1 - t0_i)]] over the customers who
    had made their first purchase (at t0_i) by then, from the model's
    ``expected_purchases_new``; the actual total counts repeat transactions
    (same-day purchases count once) in that week, as in Figure 2-3 of
    Fader, Hardie & Lee (2005a).

    Parameters
    ----------
    model : BGNBD or ParetoNBD
        A fitted model (or one made with ``from_params``), time unit weeks.
    transactions : DataFrame
        One row per purchase (see :func:`crmlib.transactions.validate_transactions`).
    calibration_end, holdout_end : date-like
        The last day of the calibration period and of the hold-out period
        (``holdout_end`` on or after ``calibration_end``).
    customer_col, date_col : str
        Columns of ``transactions``.
    duplicates : {"warn", "keep", "drop", "raise"}
        What to do with repeated rows (see ``validate_transactions``).

    Returns
    -------
    DataFrame
        Indexed by ``week`` (1, 2, ...): ``week_end`` (date), ``actual``,
        ``predicted``, ``actual_cumulative``, ``predicted_cumulative`` and
        ``holdout`` (True for weeks after ``calibration_end``).

    Raises
    ------
    DataError
        A model that is not a BG/NBD or Pareto/NBD; dates that are not dates or
        out of order; nobody making a first purchase by ``calibration_end``;
        transactions that fail their checks.
    ModelFitError
        The model is not fitted.
    """
    from .transactions import _as_timestamp, daily_transactions

    _require_transaction_model(model)
    cal_end = _as_timestamp(calibration_end, "calibration_end")
    end = _as_timestamp(holdout_end, "holdout_end")
    if end < cal_end:
        raise DataError(
            f"holdout_end ({end:%Y-%m-%d}) comes before calibration_end ({cal_end:%Y-%m-%d}): "
            "the hold-out period runs from the day after calibration_end to holdout_end"
        )
    daily = daily_transactions(transactions, customer_col, date_col, None, duplicates)
    first = daily.groupby(customer_col)[date_col].transform("min")
    daily = daily[(first <= cal_end) & (daily[date_col] <= end)]
    if daily.empty:
        raise DataError(
            f"nobody made a first purchase by calibration_end ({cal_end:%Y-%m-%d}): column "
            f"{date_col!r} starts on {first.min():%Y-%m-%d}; choose a later calibration_end"
        )
    first = first.loc[daily.index]
    start = first.min()
    weeks = int(np.ceil(((end - start).days + 1) / 7))
    repeat = daily[daily[date_col] > first]
    week_of = ((repeat[date_col] - start).dt.days // 7 + 1).to_numpy()
    actual = np.bincount(week_of, minlength=weeks + 1)[1 : weeks + 1].astype(float)
    # first purchase times in weeks since start; customers sharing a day are counted together
    t0 = ((daily.groupby(customer_col)[date_col].min() - start).dt.days / 7).value_counts()
    edges = np.arange(0, weeks + 1, dtype=float)
    cumulative = np.zeros(weeks + 1)
    for t_first, count in t0.items():
        age = np.clip(edges - t_first, 0.0, None)
        cumulative += count * np.asarray(model.expected_purchases_new(age), dtype=float)
    predicted = np.diff(cumulative)
    week_end = start + pd.to_timedelta(np.arange(1, weeks + 1) * 7 - 1, unit="D")
    table = pd.DataFrame(
        {
            "week_end": week_end,
            "actual": actual,
            "predicted": predicted,
            "actual_cumulative": np.cumsum(actual),
            "predicted_cumulative": np.cumsum(predicted),
            "holdout": week_end > cal_end,
        },
        index=pd.RangeIndex(1, weeks + 1, name="week"),
    )
    return table


def conditional_expectations_by_frequency(
    model: BGNBD | ParetoNBD,
    summary: pd.DataFrame,
    max_frequency: int = 7,
    frequency_col: str = "frequency",
    recency_col: str = "recency",
    T_col: str = "T",
    holdout_col: str = "frequency_holdout",
    duration_col: str = "duration_holdout",
) -> pd.DataFrame:
    """Mean actual and predicted hold-out transactions by calibration frequency.

    Customers with ``max_frequency`` or more calibration repeat transactions
    are pooled in the last row (labelled ``max_frequency``), as in Figure 4 of
    Fader, Hardie & Lee (2005a).

    Parameters
    ----------
    model : BGNBD or ParetoNBD
        A fitted model (or one made with ``from_params``).
    summary : DataFrame
        One row per customer, as from :func:`crmlib.calibration_holdout_split`.
    max_frequency : int
        The frequency from which customers are pooled (a whole number >= 0).
    frequency_col, recency_col, T_col, holdout_col, duration_col : str
        Columns of ``summary``: calibration frequency, recency and T, hold-out
        transactions and hold-out length (numbers, none missing or negative).

    Returns
    -------
    DataFrame
        Indexed by ``frequency``: ``customers``, ``actual`` and ``predicted``
        (mean hold-out transactions per customer).

    Raises
    ------
    DataError
        A model that is not a BG/NBD or Pareto/NBD; ``summary`` not a table, or
        a column missing, not numbers, missing values or negative;
        ``max_frequency`` not a whole number >= 0.
    ModelFitError
        The model is not fitted.
    """
    _require_transaction_model(model)
    require_frame(summary, "summary")
    columns = [frequency_col, recency_col, T_col, holdout_col, duration_col]
    require_columns(summary, columns, "summary")
    max_frequency = require_count(max_frequency, "max_frequency")
    values = {}
    for column in columns:
        values[column] = require_numeric(summary, column)
        require_non_negative(values[column], column)
    predicted = np.asarray(
        model.expected_purchases(
            values[duration_col], values[frequency_col], values[recency_col], values[T_col]
        ),
        dtype=float,
    )
    group = np.minimum(values[frequency_col].to_numpy(), max_frequency).astype(int)
    frame = pd.DataFrame(
        {"frequency": group, "actual": values[holdout_col].to_numpy(dtype=float), "predicted": predicted}
    )
    table = frame.groupby("frequency").agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    return table


def plot_tracking(
    table: pd.DataFrame,
    *,
    cumulative: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Actual against predicted repeat transactions per week (or cumulative), from
    :func:`repeat_transactions_tracking`, with the end of calibration marked.

    Raises
    ------
    DataError
        ``table`` not a table indexed by week, without the columns ``actual``,
        ``predicted`` (or their ``_cumulative`` versions) as numbers and
        ``holdout`` as True/False; ``cumulative`` not True or False.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_frame(table, "table")
    cumulative = require_flag(cumulative, "cumulative")
    suffix = "_cumulative" if cumulative else ""
    require_columns(table, ["actual" + suffix, "predicted" + suffix, "holdout"], "table")
    actual = require_numeric(table, "actual" + suffix)
    predicted = require_numeric(table, "predicted" + suffix)
    holdout = _require_flag_column(table, "holdout")
    _require_number_index(table, "week")
    if ax is None:
        _, ax = new_figure()
    ax.plot(table.index, actual, color=PALETTE[0], label=term("actual"))
    ax.plot(table.index, predicted, color=PALETTE[1], linestyle="--", label=term("predicted"))
    if not holdout.all():
        ax.axvline(
            table.index[~holdout.to_numpy()].max(),
            color="0.4",
            linestyle=":",
            label=term("calibration_period"),
        )
    ax.set_xlabel(term("week"))
    ax.set_ylabel(term("repeat_transactions_cumulative" if cumulative else "repeat_transactions_per_week"))
    ax.legend(loc="upper left")
    return finish(ax, title, source)


def plot_frequency_check(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Mean actual and predicted hold-out transactions by calibration frequency, from
    :func:`conditional_expectations_by_frequency`.

    Raises
    ------
    DataError
        ``table`` not a table with the columns ``actual`` and ``predicted`` as numbers.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_frame(table, "table")
    require_columns(table, ["actual", "predicted"], "table")
    actual = require_numeric(table, "actual")
    predicted = require_numeric(table, "predicted")
    if ax is None:
        _, ax = new_figure()
    labels = [str(k) for k in table.index[:-1]] + [f"{table.index[-1]}+"]
    ax.plot(labels, actual, marker="o", color=PALETTE[0], label=term("actual"))
    ax.plot(labels, predicted, marker="s", linestyle="--", color=PALETTE[1], label=term("predicted"))
    ax.set_xlabel(term("calibration_frequency"))
    ax.set_ylabel(term("holdout_transactions_per_customer"))
    ax.legend(loc="upper left")
    return finish(ax, title, source)


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
