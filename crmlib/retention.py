"""Projecting customer retention in a contractual setting: the sBG model against
the curves a manager would draw.

A contractual business (a subscription, a membership, an insurance policy) sees
exactly when each customer leaves, and asks how many of a cohort will still be
here in five years. Fader & Hardie (2007) show that fitting a curve through the
survival numbers seen so far (:func:`naive_projection`) goes badly wrong, and that
the shifted-beta-geometric model projects well. The model itself lives with the
other models, in :mod:`crmlib.models.sbg` (:class:`ShiftedBetaGeometric`, also
importable from here); this module sets its projection beside the naive curves
(:func:`projection_table`, :func:`plot_projection`).

References
----------
Fader, P. S., & Hardie, B. G. S. (2007). How to project customer retention.
Journal of Interactive Marketing, 21(1), 76-90.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .models.sbg import ShiftedBetaGeometric, _active_counts
from .validation import (
    DataError,
    require_choice,
    require_columns,
    require_count,
    require_frame,
    require_numeric,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = [
    "ShiftedBetaGeometric",
    "naive_projection",
    "NAIVE_CURVES",
    "MAX_PERIODS",
    "projection_table",
    "plot_projection",
]

#: The naive curves of :func:`naive_projection`, as in Fader & Hardie (2007), Figure 2.
NAIVE_CURVES = ("linear", "quadratic", "exponential")

#: The furthest period :func:`naive_projection` projects to (it returns one value per period).
MAX_PERIODS = 10_000


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
        Customers still active at t = 0..n (n >= 2; n >= 3 for a quadratic).
    horizon : int
        Last period to project: a whole number from n to ``MAX_PERIODS`` (10,000).
    kind : {"linear", "quadratic", "exponential"}

    Returns
    -------
    ndarray
        Projected numbers active at t = 0..horizon.

    Raises
    ------
    DataError
        ``active`` as in :meth:`ShiftedBetaGeometric.fit` (an exponential also
        needs survivors in every period); an unknown kind; too few periods for
        the curve; a horizon that is not a whole number from n to 10,000.

    Examples
    --------
    >>> naive_projection([1000, 800, 640, 512], horizon=5).round(1)
    array([1000. ,  800. ,  640. ,  512. ,  409.6,  327.7])
    """
    values = _active_counts(active)
    require_choice(kind, "kind", NAIVE_CURVES)
    n = values.size - 1
    if n < (3 if kind == "quadratic" else 2):
        raise DataError(f"active has {n} periods after t = 0: too few to fit a {kind} curve")
    horizon = require_count(horizon, "horizon", low=n, high=MAX_PERIODS)
    t = np.arange(1, n + 1)
    share = values[1:] / values[0]
    grid = np.arange(horizon + 1)
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
        Naive curves to show (see :func:`naive_projection`); one name alone is
        read as a tuple of one.

    Returns
    -------
    DataFrame
        Indexed by ``period``: ``actual``, ``sbg``, one column per naive
        curve, and ``fitted`` (True for the periods used in fitting).

    Raises
    ------
    DataError
        ``active`` as in :meth:`ShiftedBetaGeometric.fit`; ``fit_periods`` not a
        whole number from 2 to the last period of ``active``; an unknown kind (or
        a curve the calibration periods cannot fit, see :func:`naive_projection`).
    """
    values = _active_counts(active)
    horizon = values.size - 1
    fit_periods = require_count(fit_periods, "fit_periods", low=2)
    if fit_periods > horizon:
        raise DataError(
            f"fit_periods must be at most {horizon}, the last period of active, got {fit_periods}: "
            "the periods after it are the hold-out"
        )
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    try:
        kinds = tuple(kinds)
    except TypeError:
        raise DataError(f"kinds must be a tuple of curve names such as ('linear',), got {kinds!r}") from None
    for kind in kinds:
        require_choice(kind, "kinds", NAIVE_CURVES)
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

    Raises
    ------
    DataError
        ``table`` not a table indexed by period with the columns ``actual`` (and
        any curves) as numbers and ``fitted`` as True/False.
    """
    from .glossary import term
    from .models.diagnostics import _require_flag_column, _require_number_index
    from .plots import PALETTE, finish, new_figure

    require_frame(table, "table")
    curves = [c for c in ("sbg", "linear", "quadratic", "exponential") if c in table]
    require_columns(table, ["actual", "fitted"], "table")
    values = {column: require_numeric(table, column) for column in ["actual", *curves]}
    fitted = _require_flag_column(table, "fitted")
    _require_number_index(table, "period")
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
    for column in curves:
        colour, style = styles[column]
        ax.plot(table.index, values[column], color=colour, linestyle=style, linewidth=2, label=names[column])
    ax.scatter(table.index, values["actual"], color="black", zorder=3, s=25, label=term("actual"))
    if fitted.any():
        last_fit = table.index[fitted.to_numpy()].max()
        ax.axvline(last_fit + 0.5, color="0.5", linestyle="--", linewidth=1, label=term("end_of_fitting"))
    ax.set_xlabel(term("period_year"))
    ax.set_ylabel(term("customers_active"))
    ax.set_ylim(0, None)
    ax.legend(loc="upper right")
    return finish(ax, title, source)
