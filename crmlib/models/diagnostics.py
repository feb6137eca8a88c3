"""Checks of a fitted transaction model: tracking plots and conditional expectations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..validation import (
    DataError,
    require_columns,
    require_count,
    require_flag,
    require_frame,
    require_non_negative,
    require_numeric,
)
from .bgnbd import BGNBD
from .pareto_nbd import ParetoNBD

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..validation import DateLike

__all__ = [
    "repeat_transactions_tracking",
    "conditional_expectations_by_frequency",
    "plot_tracking",
    "plot_frequency_check",
    "holdout_comparison",
    "p_alive_check",
]


#: What a prediction returns: a float for scalar input, a Series with the input's index
#: for a Series, an array otherwise.
Prediction = float | np.ndarray | pd.Series


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
    from ..transactions import _as_timestamp, daily_transactions

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


def holdout_comparison(
    models: dict[str, BGNBD | ParetoNBD],
    summary: pd.DataFrame,
    max_frequency: int = 7,
    frequency_col: str = "frequency",
    recency_col: str = "recency",
    T_col: str = "T",
    holdout_col: str = "frequency_holdout",
    duration_col: str = "duration_holdout",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Several transaction models side by side on the hold-out period.

    For each model and customer i the prediction is E[X_i(t*) | x_i, t_x,i, T_i],
    t* the hold-out length (the models' ``expected_purchases``). The percentage error
    of a group is 100 (predicted - actual) / actual; the mean absolute error (MAE) is
    mean_i |predicted_i - actual_i|, the error of an individual forecast, which a
    good aggregate fit can hide (Fader, Hardie & Lee 2005a, section 4).

    Parameters
    ----------
    models : dict
        Maps a name (for the columns) to a fitted BG/NBD or Pareto/NBD.
    summary : DataFrame
        One row per customer, as from :func:`crmlib.calibration_holdout_split`.
    max_frequency : int
        The calibration frequency from which customers are pooled in the last row.
    frequency_col, recency_col, T_col, holdout_col, duration_col : str
        Columns of ``summary``, as in :func:`conditional_expectations_by_frequency`.

    Returns
    -------
    by_frequency : DataFrame
        Indexed by calibration ``frequency``: ``customers``, ``actual`` (mean hold-out
        transactions per customer) and, per model, ``<name>`` (its mean prediction)
        and ``<name> error %``.
    overall : DataFrame
        One row per model: ``actual`` and ``predicted`` total hold-out transactions,
        ``error %`` and ``MAE`` (transactions per customer).

    Raises
    ------
    DataError
        ``models`` not a non-empty dict of BG/NBD or Pareto/NBD models; ``summary``
        as in :func:`conditional_expectations_by_frequency`.
    ModelFitError
        A model is not fitted.

    Examples
    --------
    >>> import pandas as pd
    >>> from crmlib.models import BGNBD
    >>> summary = pd.DataFrame({"frequency": [0, 2, 5], "recency": [0.0, 30.0, 35.0], "T": [39.0] * 3,
    ...                         "frequency_holdout": [0, 1, 3], "duration_holdout": [39.0] * 3})
    >>> model = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> by_frequency, overall = holdout_comparison({"BG/NBD": model}, summary)
    >>> overall.columns.tolist()
    ['actual', 'predicted', 'error %', 'MAE']
    """
    if not isinstance(models, dict) or not models:
        raise DataError("models must map a name to a fitted BG/NBD or Pareto/NBD, e.g. {'BG/NBD': model}")
    by_frequency = None
    overall = {}
    for name, model in models.items():
        table = conditional_expectations_by_frequency(
            model, summary, max_frequency, frequency_col, recency_col, T_col, holdout_col, duration_col
        )
        if by_frequency is None:
            by_frequency = table[["customers", "actual"]].copy()
        by_frequency[str(name)] = table["predicted"]
        by_frequency[f"{name} error %"] = 100 * (table["predicted"] - table["actual"]) / table["actual"]
        predicted = np.asarray(
            model.expected_purchases(
                summary[duration_col], summary[frequency_col], summary[recency_col], summary[T_col]
            ),
            dtype=float,
        )
        actual = summary[holdout_col].to_numpy(dtype=float)
        overall[str(name)] = {
            "actual": actual.sum(),
            "predicted": predicted.sum(),
            "error %": 100 * (predicted.sum() - actual.sum()) / actual.sum(),
            "MAE": np.mean(np.abs(predicted - actual)),
        }
    return by_frequency, pd.DataFrame.from_dict(overall, orient="index")


def p_alive_check(
    model: BGNBD | ParetoNBD,
    summary: pd.DataFrame,
    bins: int = 10,
    frequency_col: str = "frequency",
    recency_col: str = "recency",
    T_col: str = "T",
    holdout_col: str = "frequency_holdout",
) -> pd.DataFrame:
    """P(alive) at the end of calibration against buying in the hold-out period.

    Customers are sorted by P(alive) and cut into ``bins`` groups of (nearly) equal
    size; each row gives the group's mean P(alive) and the share who made at least
    one transaction in the hold-out period. Under the model the share is below
    P(alive) (an alive customer may still not buy in the hold-out weeks); a group
    whose share is above its P(alive) is one the model wrote off too soon. The share
    should rise with P(alive): a P(alive) that does not sort customers by activity
    is of no use for targeting.

    Parameters
    ----------
    model : BGNBD or ParetoNBD
        Fitted.
    summary : DataFrame
        As in :func:`holdout_comparison`.
    bins : int
        Number of groups (2 to 100, at most the number of customers).
    frequency_col, recency_col, T_col, holdout_col : str
        Columns of ``summary``.

    Returns
    -------
    DataFrame
        Indexed by ``group`` (1 = lowest P(alive)): ``customers``, ``p_alive`` (mean)
        and ``active_share`` (share with a hold-out transaction).

    Raises
    ------
    DataError
        A model that is not a BG/NBD or Pareto/NBD; columns missing or not valid;
        ``bins`` out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> from crmlib.models import BGNBD
    >>> summary = pd.DataFrame({"frequency": [0, 2, 5, 1], "recency": [0.0, 30.0, 35.0, 2.0],
    ...                         "T": [39.0] * 4, "frequency_holdout": [0, 1, 3, 0]})
    >>> model = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> p_alive_check(model, summary, bins=2)["customers"].tolist()
    [2, 2]
    """
    _require_transaction_model(model)
    require_frame(summary, "summary")
    require_columns(summary, [frequency_col, recency_col, T_col, holdout_col], "summary")
    holdout = require_numeric(summary, holdout_col)
    require_non_negative(holdout, holdout_col)
    groups = require_count(bins, "bins", low=2, high=min(100, max(len(summary), 2)))
    alive = np.asarray(
        model.p_alive(summary[frequency_col], summary[recency_col], summary[T_col]), dtype=float
    )
    order = np.argsort(alive, kind="stable")
    group = np.empty(len(alive), dtype=int)
    group[order] = np.arange(len(alive)) * groups // len(alive) + 1
    frame = pd.DataFrame({"group": group, "p_alive": alive, "active": holdout.to_numpy() > 0})
    return frame.groupby("group").agg(
        customers=("active", "size"), p_alive=("p_alive", "mean"), active_share=("active", "mean")
    )


def plot_tracking(
    table: pd.DataFrame,
    *,
    cumulative: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Actual against predicted repeat transactions per week (or cumulative), from
    :func:`repeat_transactions_tracking`, with the end of the calibration period marked
    (a dotted line, in the legend as such).

    Raises
    ------
    DataError
        ``table`` not a table indexed by week, without the columns ``actual``,
        ``predicted`` (or their ``_cumulative`` versions) as numbers and
        ``holdout`` as True/False; ``cumulative`` not True or False.
    """
    from ..glossary import term
    from ..plots import PALETTE, finish, new_figure

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
            label=term("calibration_end"),
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
    from ..glossary import term
    from ..plots import PALETTE, finish, new_figure

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
