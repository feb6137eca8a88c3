"""What every model of :mod:`crmlib.models` shares: input checks, grouping of identical
histories, the maximum-likelihood fit with its convergence checks, and ``summary``."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Self

import numpy as np
import pandas as pd
from scipy import optimize

from ..validation import (
    DataError,
    describe_rows,
    require_count,
    require_non_negative,
    require_number,
    require_numeric,
    to_numbers,
)

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


__all__ = [
    "MAX_OPPORTUNITIES",
    "MAX_SIMULATED_CUSTOMERS",
    "MAX_SIMULATED_DRAWS",
    "ModelFitError",
]


#: What a prediction returns: a float for scalar input, a Series with the input's index
#: for a Series, an array otherwise.
Prediction = float | np.ndarray | pd.Series


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

    def _hessian(self, params: np.ndarray) -> np.ndarray:
        """The finite-difference Hessian of the total log-likelihood at ``params``."""
        if self._hessian_data is None:
            raise ModelFitError(
                f"this {type(self).__name__} was made with from_params: its uncertainty needs the data "
                "of a fit (the curvature of the log-likelihood); call fit(...) first"
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
        return hessian

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
        hessian = self._hessian(params)
        try:
            cov = np.linalg.inv(-hessian)
            se = np.sqrt(np.where(np.diag(cov) > 0, np.diag(cov), np.nan))
        except np.linalg.LinAlgError:
            se = np.full(params.size, np.nan)
        if np.isnan(se).any():
            missing = ", ".join(n for n, e in zip(self._names, se, strict=True) if np.isnan(e))
            warnings.warn(
                f"no standard error for {missing}: the log-likelihood is not curved at the estimates "
                "in that direction, so the data do not pin it down (std_error is NaN)",
                UserWarning,
                stacklevel=2,
            )
        return pd.DataFrame({"estimate": params, "std_error": se}, index=list(self._names))


def _continuous_discount(discount_rate: object, period_length: object) -> float:
    """delta = ln(1 + d) / L: the continuously compounded rate per time unit of the data
    that discounts like ``discount_rate`` d per period of ``period_length`` L time units.

    Every ``discount_rate`` in crmlib is a discrete rate per period (value.clv, the sBG,
    the BG/BB); the continuous-time models need to know how long that period is.
    """
    if period_length is None:
        raise DataError(
            "period_length is missing: discount_rate is a discrete rate per period, as everywhere "
            "in crmlib (0.15 for 15% a year), and this model runs in the time unit of its data; "
            "say how many time units one period spans (period_length=52 for a yearly rate on "
            "weekly data). For the paper's continuously compounded rate delta per time unit, "
            "give discount_rate=exp(delta) - 1 with period_length=1"
        )
    rate = require_number(discount_rate, "discount_rate", low=0, low_open=True, high=1, rate=True)
    length = require_number(period_length, "period_length", low=0, low_open=True)
    return float(np.log1p(rate) / length)


def _fit_counting_model(model: _Model, frequency, recency, T, weights, histories, time_params) -> None:
    """The fit shared by the BG/NBD and the Pareto/NBD, on (x, t_x, T) histories.

    Their likelihoods do not depend on the time unit: times c t_x, c T give the same
    shape parameters, the time-scale parameters (``time_params``: alpha, or alpha and
    beta) times c, and a density lower by c^x. The fit runs on the times in units of
    their mean T, so that days, weeks or seconds fit alike; ``histories(x, tx, T, w)``
    builds the model's aggregated data.
    """
    x, tx, big_t, *w = _check_rft(frequency, recency, T, weights)
    (x, tx, big_t), w = _aggregate([x, tx, big_t], w[0] if w else None)
    _require_customers(w)
    if not np.any((x > 0) & (w > 0)):
        raise DataError(
            "column 'frequency' is 0 for every customer: nobody made a repeat "
            "purchase, so the purchase and dropout processes cannot be identified"
        )
    scale = float(np.average(big_t, weights=w))
    model._fit(histories(x, tx / scale, big_t / scale, w), w)
    for name in time_params:
        model.params_[name] *= scale
    model.log_likelihood_ -= float(w @ x) * np.log(scale)
    model._hessian_data = (histories(x, tx, big_t, w), w)
