"""Churn risk (客户流失风险) and the retention-campaign decision.

* **Features up to a cut-off, the label after it.** Each customer's
  behaviour up to a cut-off date only (:func:`churn_features`); whether they
  order in the window after it (:func:`churn_dataset`). A model trained on
  one cut-off is evaluated on a later one, never on its own window.
* **The model.** A scikit-learn logistic regression in a ``Pipeline`` with
  the scaling inside (:func:`churn_pipeline`), against two baselines:
  recency alone and the BG/NBD P(alive) of chapter 04 (:func:`bgnbd_churn_score`).
* **Evaluation.** ROC AUC and the lift in the top decile
  (:func:`score_table`), a calibration curve (:func:`calibration_table`,
  :func:`plot_calibration`) and a cumulative gains chart (:func:`plot_gains`).
* **Whom to contact.** The expected value of contacting
  (:func:`contact_value`); the effect of a randomized retention coupon by
  churn-risk group, which is the uplift a churn score does not measure
  (:func:`uplift_by_group`, :func:`plot_uplift_by_group`), and what each way
  of choosing customers would gain (:func:`compare_targeting`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .funnel import _flags, _wilson, compare_conversion
from .validation import (
    DataError,
    describe_rows,
    require_columns,
    require_count,
    require_frame,
    require_no_missing,
    require_number,
    require_numeric,
    require_text,
    to_date,
    to_datetime_column,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from sklearn.pipeline import Pipeline

    from .validation import DateLike

__all__ = [
    "CHURN_FEATURES",
    "MAX_DAYS",
    "MAX_BINS",
    "churn_features",
    "churn_dataset",
    "churn_pipeline",
    "bgnbd_churn_score",
    "score_table",
    "calibration_table",
    "contact_value",
    "uplift_by_group",
    "compare_targeting",
    "plot_calibration",
    "plot_gains",
    "plot_uplift_by_group",
]

#: The features of :func:`churn_features`, in order (all counts, days or CNY, at least 0).
CHURN_FEATURES = (
    "recency_days",
    "orders",
    "tenure_days",
    "orders_90d",
    "revenue_365d",
    "mean_order_value",
    "complaints_365d",
    "unresolved_complaints",
)
#: The longest look-back or horizon, in days (ten years).
MAX_DAYS = 3650
#: The most bins of a calibration or risk-group table.
MAX_BINS = 100


def _days(dates: pd.Series | pd.Timestamp) -> np.ndarray | int:
    if isinstance(dates, pd.Timestamp):
        return int(np.datetime64(dates, "D").astype(np.int64))
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def _scores(table: pd.DataFrame, column: str) -> np.ndarray:
    """A score column: numbers, no missing values, no infinity."""
    require_text(column, "score column")
    require_columns(table, [column], "table")
    require_no_missing(table, column, "score")
    return require_numeric(table, column).to_numpy()


def _score_list(score_cols: object) -> list[str]:
    if isinstance(score_cols, str):
        return [score_cols]
    if not isinstance(score_cols, Sequence) or not score_cols:
        raise DataError(f"score_cols must be a non-empty list of column names, got {score_cols!r}")
    for column in score_cols:
        require_text(column, "score_cols")
    return list(score_cols)


# --------------------------------------------------------------------------- features and labels
def churn_features(
    orders: pd.DataFrame,
    cutoff: DateLike,
    tickets: pd.DataFrame | None = None,
    active_days: int = 365,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    revenue_col: str = "revenue",
    opened_col: str = "opened_at",
    closed_col: str = "closed_at",
    resolution_col: str = "resolution",
) -> pd.DataFrame:
    """Each active customer's behaviour up to a cut-off date, and nothing after it.

    The customers are those with an order in the ``active_days`` before the
    cut-off (cut-off - active_days < day <= cut-off). From the orders on or
    before the cut-off:

    * ``recency_days``: days from the last order to the cut-off;
    * ``orders``: order days (two orders on one day count once);
    * ``tenure_days``: days from the first order to the cut-off;
    * ``orders_90d``: order days in the last 90 days;
    * ``revenue_365d``: revenue in the last 365 days (CNY);
    * ``mean_order_value``: mean revenue per order (CNY);

    and from the tickets opened on or before it (zero without ``tickets``):

    * ``complaints_365d``: tickets opened in the last 365 days;
    * ``unresolved_complaints``: tickets closed unresolved on or before the
      cut-off (a ticket closed later was still open on that day).

    Parameters
    ----------
    orders : DataFrame
        The order table with ``customer_col``, ``date_col`` and ``revenue_col``.
    cutoff : date-like
        The last day whose events the features may use.
    tickets : DataFrame, optional
        Complaints with ``customer_col``, ``opened_col``, ``closed_col``
        (missing while open) and ``resolution_col``.
    active_days : int
        The look-back that makes a customer active, 1 to :data:`MAX_DAYS` days.

    Returns
    -------
    DataFrame
        Indexed by customer, the columns of :data:`CHURN_FEATURES`.

    Raises
    ------
    DataError
        Tables that are not tables or have no rows, missing columns, missing
        customer ids or resolutions, dates that do not parse, revenue that is
        not a number or negative, a ``cutoff`` that is not a date, an
        ``active_days`` that is not a whole number from 1 to :data:`MAX_DAYS`,
        or no customer active before the cut-off.

    Examples
    --------
    >>> import pandas as pd
    >>> od = pd.DataFrame({"customer_id": ["a", "a", "b"], "revenue": [10.0, 30.0, 5.0],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-05-01"])})
    >>> churn_features(od, "2024-03-31")[["recency_days", "orders", "mean_order_value"]]
                 recency_days  orders  mean_order_value
    customer_id
    a                      30       2              20.0
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer_col, date_col, revenue_col], "orders")
    cut = to_date(cutoff, "cutoff")
    active_days = require_count(active_days, "active_days", low=1, high=MAX_DAYS)
    require_no_missing(orders, customer_col, "customer id")
    day = _days(to_datetime_column(orders, date_col))
    revenue = require_numeric(orders, revenue_col).to_numpy()
    if (revenue < 0).any():
        raise DataError(
            f"column {revenue_col!r} has {int((revenue < 0).sum())} negative values "
            f"({describe_rows(orders.index[revenue < 0])}): revenue is at least 0"
        )
    c = _days(cut)
    past = pd.DataFrame(
        {"customer": orders[customer_col].to_numpy(dtype=object), "day": day, "revenue": revenue}
    )
    past = past[past["day"] <= c]
    grouped = past.groupby("customer")
    features = pd.DataFrame(
        {
            "recency_days": c - grouped["day"].max(),
            "orders": grouped["day"].nunique(),
            "tenure_days": c - grouped["day"].min(),
            "orders_90d": past[past["day"] > c - 90].groupby("customer")["day"].nunique(),
            "revenue_365d": past[past["day"] > c - 365].groupby("customer")["revenue"].sum(),
            "mean_order_value": grouped["revenue"].mean(),
        }
    )
    features = features[features["recency_days"] < active_days]
    if features.empty:
        raise DataError(
            f"no customer ordered in the {active_days} days up to {cut.date()}: choose a later "
            "cutoff or a longer active_days"
        )
    features[["orders_90d", "revenue_365d"]] = features[["orders_90d", "revenue_365d"]].fillna(0)
    features["complaints_365d"] = 0
    features["unresolved_complaints"] = 0
    if tickets is not None:
        require_frame(tickets, "tickets")
        require_columns(tickets, [customer_col, opened_col, closed_col, resolution_col], "tickets")
        require_no_missing(tickets, customer_col, "customer id")
        require_no_missing(tickets, resolution_col, "resolution")
        opened = _days(to_datetime_column(tickets, opened_col))
        has_closed = tickets[closed_col].notna().to_numpy()
        closed = np.full(len(tickets), np.iinfo(np.int64).max)
        if has_closed.any():
            closed[has_closed] = _days(to_datetime_column(tickets.loc[has_closed], closed_col))
        who = tickets[customer_col].to_numpy(dtype=object)
        recent = (opened <= c) & (opened > c - 365)
        unresolved = (
            (opened <= c) & (closed <= c) & (tickets[resolution_col].astype(str).to_numpy() == "unresolved")
        )
        for column, mask in (("complaints_365d", recent), ("unresolved_complaints", unresolved)):
            counts = pd.Series(who[mask]).value_counts()
            features[column] = counts.reindex(features.index, fill_value=0).to_numpy()
    features = features.astype(
        {c: int for c in CHURN_FEATURES if c not in ("revenue_365d", "mean_order_value")}
    )
    features.index.name = customer_col
    return features[list(CHURN_FEATURES)]


def churn_dataset(
    orders: pd.DataFrame,
    cutoff: DateLike,
    horizon_days: int = 180,
    tickets: pd.DataFrame | None = None,
    active_days: int = 365,
    observation_end: DateLike | None = None,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    revenue_col: str = "revenue",
) -> pd.DataFrame:
    """The features of :func:`churn_features` at a cut-off and the label from the window after it.

    ``churned`` is True for a customer with no order in the ``horizon_days``
    after the cut-off (cut-off < day <= cut-off + horizon_days). The label
    is what a firm can observe: a slow buyer who is still a customer counts
    as churned, a customer who orders once more and then leaves does not.

    Parameters
    ----------
    orders : DataFrame
        The order table with ``customer_col``, ``date_col`` and ``revenue_col``.
    cutoff : date-like
        The cut-off: features up to it, the label after it.
    horizon_days : int
        The window of the label, 1 to :data:`MAX_DAYS` days; it must end by
        ``observation_end``.
    tickets : DataFrame, optional
        Complaints, see :func:`churn_features`.
    active_days : int
        See :func:`churn_features`.
    observation_end : date-like, optional
        The last day of the order data (default: the last order day).

    Returns
    -------
    DataFrame
        Indexed by customer: :data:`CHURN_FEATURES` and ``churned`` (True/False).

    Raises
    ------
    DataError
        The errors of :func:`churn_features`, a ``horizon_days`` that is not a
        whole number from 1 to :data:`MAX_DAYS`, an ``observation_end`` that is
        not a date, or a label window that runs past it.

    Examples
    --------
    >>> import pandas as pd
    >>> od = pd.DataFrame({"customer_id": ["a", "a", "b"], "revenue": [10.0, 30.0, 5.0],
    ...     "order_date": pd.to_datetime(["2024-01-01", "2024-04-20", "2024-02-01"])})
    >>> churn_dataset(od, "2024-03-31", horizon_days=20)["churned"].tolist()
    [False, True]
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer_col, date_col], "orders")
    horizon_days = require_count(horizon_days, "horizon_days", low=1, high=MAX_DAYS)
    features = churn_features(
        orders,
        cutoff,
        tickets,
        active_days,
        customer_col=customer_col,
        date_col=date_col,
        revenue_col=revenue_col,
    )
    cut = _days(to_date(cutoff, "cutoff"))
    dates = to_datetime_column(orders, date_col)
    end = dates.max() if observation_end is None else to_date(observation_end, "observation_end")
    if cut + horizon_days > _days(end):
        raise DataError(
            f"the {horizon_days}-day label window after the cutoff runs past the end of the data "
            f"({end.date()}): choose an earlier cutoff or a shorter horizon_days"
        )
    day = _days(dates)
    later = (day > cut) & (day <= cut + horizon_days)
    buyers = set(orders[customer_col].to_numpy(dtype=object)[later])
    features["churned"] = ~features.index.isin(list(buyers))
    return features


def _signed_log1p(x: np.ndarray) -> np.ndarray:
    """sign(x) log(1 + |x|): the log of counts and amounts, defined for any number."""
    return np.sign(x) * np.log1p(np.abs(x))


def churn_pipeline(C: float = 1.0) -> Pipeline:
    """A logistic regression for churn with its preprocessing inside: log, scale, fit.

    P(churn | x) = 1 / (1 + exp(-(b_0 + b' z))), where z is x after
    sign(x) log(1 + |x|) (counts and amounts are skewed) and standardization
    with the means and standard deviations of the training data. Because the
    scaling is a step of the ``Pipeline``, it is learnt on the training
    window only and reused, unchanged, on any later window.

    Parameters
    ----------
    C : float
        The inverse of the L2 penalty of scikit-learn's ``LogisticRegression``,
        above 0 (smaller: coefficients pulled harder towards 0).

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted: steps ``log``, ``scale`` and ``model``; ``fit(X, y)`` and
        ``predict_proba(X)[:, 1]`` as in scikit-learn.

    Raises
    ------
    DataError
        A ``C`` that is not a positive finite number.

    References
    ----------
    Neslin, S. A., Gupta, S., Kamakura, W., Lu, J., & Mason, C. H. (2006). Defection
    detection: measuring and understanding the predictive accuracy of customer churn
    models. Journal of Marketing Research 43(2), 204-211.

    Examples
    --------
    >>> [name for name, _ in churn_pipeline().steps]
    ['log', 'scale', 'model']
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    C = require_number(C, "C", low=0, high=1e6, low_open=True)
    return Pipeline(
        [
            ("log", FunctionTransformer(_signed_log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=C, max_iter=1000)),
        ]
    )


def bgnbd_churn_score(
    orders: pd.DataFrame,
    cutoff: DateLike,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
) -> pd.DataFrame:
    """The BG/NBD model of chapter 04 fitted on the orders up to a cut-off: P(alive) per customer.

    The orders on or before the cut-off become each customer's frequency,
    recency and T in weeks (:func:`crmlib.rfm_summary`); the BG/NBD model
    (Fader, Hardie & Lee 2005) is fitted on them and gives each customer's
    probability of still being alive on the cut-off day. As a churn score,
    1 - P(alive): a model of *having left*, which needs no label.

    Parameters
    ----------
    orders : DataFrame
        The order table with ``customer_col`` and ``date_col``.
    cutoff : date-like
        The last day whose orders the model may use.

    Returns
    -------
    DataFrame
        Indexed by customer: ``frequency``, ``recency``, ``T`` (weeks) and ``p_alive``.

    Raises
    ------
    DataError
        An order table that is not a table or has no order up to the cut-off,
        missing columns or customer ids, dates that do not parse, or a ``cutoff``
        that is not a date; the errors of :meth:`crmlib.models.BGNBD.fit`
        (nobody bought twice).
    ModelFitError
        The fit did not converge.

    References
    ----------
    Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers" the
    easy way. Marketing Science 24(2), 275-284.

    Examples
    --------
    >>> import pandas as pd
    >>> import crmlib
    >>> orders = crmlib.load_demo("orders")
    >>> score = bgnbd_churn_score(orders, "2023-12-31")
    >>> score.loc["C00002", ["frequency", "p_alive"]].round(3).tolist()
    [5.0, 0.936]
    """
    from .models import BGNBD
    from .transactions import rfm_summary

    require_frame(orders, "orders")
    require_columns(orders, [customer_col, date_col], "orders")
    cut = to_date(cutoff, "cutoff")
    require_no_missing(orders, customer_col, "customer id")
    dates = to_datetime_column(orders, date_col)
    before = (dates <= cut).to_numpy()
    if not before.any():
        raise DataError(f"no order on or before the cutoff {cut.date()}: choose a later cutoff")
    past = pd.DataFrame(
        {"customer_id": orders[customer_col].to_numpy(dtype=object)[before], "date": dates[before].to_numpy()}
    )
    summary = rfm_summary(past, amount_col=None, observation_end=cut, duplicates="keep")
    model = BGNBD().fit(summary["frequency"], summary["recency"], summary["T"])
    summary["p_alive"] = np.asarray(model.p_alive(summary["frequency"], summary["recency"], summary["T"]))
    summary.index.name = customer_col
    return summary[["frequency", "recency", "T", "p_alive"]]


# --------------------------------------------------------------------------- evaluation
def score_table(
    table: pd.DataFrame, label_col: str, score_cols: Sequence[str], top: float = 0.1
) -> pd.DataFrame:
    """How well each score ranks churners first: ROC AUC and the lift among the top scored.

    For a score s and the label y (1 = churned), the AUC is the probability
    that a random churner has a higher score than a random stayer
    (``sklearn.metrics.roc_auc_score``; 0.5 is chance, 1 is perfect); the
    lift in the top share is the churn rate of the ``top`` share of customers
    with the highest scores divided by the overall churn rate.

    Parameters
    ----------
    table : DataFrame
        One row per customer with ``label_col`` (True/False or 0/1) and the
        ``score_cols`` (numbers, higher = more likely to churn).
    label_col : str
        The label column.
    score_cols : list of str
        The score columns to compare.
    top : float
        The share of customers with the highest scores, strictly between 0 and 1.

    Returns
    -------
    DataFrame
        Indexed by score: ``customers``, ``churn_rate``, ``auc``, ``top_churn_rate``, ``top_lift``.

    Raises
    ------
    DataError
        ``table`` not a table or empty, missing columns, labels other than
        True/False or 0/1, a label with only one class (the AUC needs both),
        scores that are missing or not numbers, or a ``top`` outside (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"y": [1, 1, 0, 0], "good": [0.9, 0.8, 0.2, 0.1], "bad": [0.1, 0.9, 0.2, 0.8]})
    >>> score_table(t, "y", ["good", "bad"], top=0.5)["auc"].tolist()
    [1.0, 0.5]
    """
    from sklearn.metrics import roc_auc_score

    require_frame(table, "table")
    require_text(label_col, "label_col")
    require_columns(table, [label_col], "table")
    columns = _score_list(score_cols)
    top = require_number(top, "top", low=0, high=1, low_open=True, high_open=True, rate=True)
    y = _flags(table, label_col)
    if y.all() or not y.any():
        raise DataError(f"column {label_col!r} holds one class only: the AUC needs churners and stayers")
    k = max(round(top * len(y)), 1)
    rows = {}
    for column in columns:
        s = _scores(table, column)
        best = np.argsort(-s, kind="stable")[:k]
        rows[column] = {
            "customers": len(y),
            "churn_rate": float(y.mean()),
            "auc": float(roc_auc_score(y, s)),
            "top_churn_rate": float(y[best].mean()),
            "top_lift": float(y[best].mean() / y.mean()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "score"
    return out


def calibration_table(
    table: pd.DataFrame, label_col: str, prob_col: str, bins: int = 10, level: float = 0.95
) -> pd.DataFrame:
    """Predicted against observed churn in bins of equal size: the calibration curve.

    The customers are cut into ``bins`` groups at the quantiles of the
    predicted probability, as ``sklearn.calibration.calibration_curve(...,
    strategy="quantile")`` does (its points are this table's
    ``mean_predicted`` and ``observed``); each observed rate gets a Wilson
    interval. A calibrated model's points lie on the diagonal.

    Parameters
    ----------
    table : DataFrame
        One row per customer with ``label_col`` (True/False or 0/1) and
        ``prob_col`` (probabilities from 0 to 1).
    label_col, prob_col : str
        Column names.
    bins : int
        The number of bins, 2 to :data:`MAX_BINS`; bins that would be empty
        (many equal probabilities) are merged.
    level : float
        The level of the intervals, strictly between 0 and 1.

    Returns
    -------
    DataFrame
        One row per bin: ``customers``, ``mean_predicted``, ``observed``,
        ``ci_low``, ``ci_high``.

    Raises
    ------
    DataError
        ``table`` not a table or empty, missing columns, labels other than
        True/False or 0/1, probabilities that are missing or outside 0-1, a
        ``bins`` that is not a whole number from 2 to :data:`MAX_BINS`, or a
        ``level`` outside (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1], "p": [0.1, 0.2, 0.3, 0.6, 0.7, 0.9]})
    >>> calibration_table(t, "y", "p", bins=2)[["mean_predicted", "observed"]].round(3)
       mean_predicted  observed
    0           0.200     0.333
    1           0.733     0.667
    """
    require_frame(table, "table")
    require_text(label_col, "label_col")
    require_columns(table, [label_col], "table")
    bins = require_count(bins, "bins", low=2, high=MAX_BINS)
    level = require_number(level, "level", low=0, high=1, low_open=True, high_open=True)
    y = _flags(table, label_col)
    p = _scores(table, prob_col)
    if ((p < 0) | (p > 1)).any():
        raise DataError(f"column {prob_col!r} must hold probabilities from 0 to 1")
    edges = np.percentile(p, np.linspace(0, 1, bins + 1) * 100)
    ids = np.searchsorted(edges[1:-1], p)
    frame = pd.DataFrame({"bin": ids, "y": y, "p": p})
    grouped = frame.groupby("bin")
    out = pd.DataFrame(
        {
            "customers": grouped.size().astype(int),
            "mean_predicted": grouped["p"].mean(),
            "observed": grouped["y"].mean(),
        }
    ).reset_index(drop=True)
    low, high = _wilson(grouped["y"].sum().to_numpy(), grouped.size().to_numpy(), level)
    out["ci_low"], out["ci_high"] = low, high
    return out


# --------------------------------------------------------------------------- the retention decision
def contact_value(
    table: pd.DataFrame, churn_col: str, value_col: str, save_rate: float, cost: float
) -> pd.DataFrame:
    """The expected value of contacting each customer in a retention campaign.

        expected_value = P(churn) x P(the contact saves the customer) x value - cost

    A customer is worth contacting when the expected value is above 0. The
    formula treats the save rate as the same for every customer at risk: the
    uplift of a campaign (:func:`uplift_by_group`) is what that rate really is,
    and it need not be the same for high and low risk.

    Parameters
    ----------
    table : DataFrame
        One row per customer with ``churn_col`` (probabilities 0-1) and
        ``value_col`` (CNY a saved customer is worth, e.g. a year's margin).
    churn_col, value_col : str
        Column names.
    save_rate : float
        The chance that a contact keeps a customer who would have churned, 0 to 1.
    cost : float
        The cost of one contact in CNY, at least 0.

    Returns
    -------
    DataFrame
        A copy of ``table`` with ``expected_value`` (CNY) and ``contact`` (True/False).

    Raises
    ------
    DataError
        ``table`` not a table or empty, missing columns, probabilities that are
        missing or outside 0-1, values that are missing or not numbers, a
        ``save_rate`` outside 0-1 or a negative ``cost``.

    References
    ----------
    Provost, F., & Fawcett, T. (2013). Data Science for Business. O'Reilly, ch. 7
    (expected value as the frame for targeting decisions).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"p": [0.8, 0.1], "value": [500.0, 500.0]})
    >>> contact_value(t, "p", "value", save_rate=0.25, cost=30.0)["expected_value"].tolist()
    [70.0, -17.5]
    """
    require_frame(table, "table")
    p = _scores(table, churn_col)
    if ((p < 0) | (p > 1)).any():
        raise DataError(f"column {churn_col!r} must hold probabilities from 0 to 1")
    value = _scores(table, value_col)
    save_rate = require_number(save_rate, "save_rate", low=0, high=1, rate=True)
    cost = require_number(cost, "cost", low=0)
    out = table.copy()
    out["expected_value"] = p * save_rate * value - cost
    out["contact"] = out["expected_value"].to_numpy() > 0
    return out


def uplift_by_group(
    experiment: pd.DataFrame,
    score_col: str,
    group_col: str,
    outcome_col: str,
    treatment: str,
    control: str,
    bins: int = 5,
    truth_col: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """The effect of a randomized campaign in groups of a score (e.g. churn risk): the uplift.

    The customers are cut into ``bins`` groups of equal size at the quantiles
    of ``score_col`` (group 1 the lowest scores). In each group the uplift is
    the difference in the outcome rate between the treated and the control
    customers, with the interval and test of
    :func:`crmlib.funnel.compare_conversion`; randomization makes it the
    campaign's effect on that group. With ``truth_col`` (a simulation's true
    effect per customer) the mean true uplift is added.

    Parameters
    ----------
    experiment : DataFrame
        One row per customer with ``score_col``, ``group_col`` and ``outcome_col``.
    score_col, group_col, outcome_col : str
        Column names.
    treatment, control : str
        The values of ``group_col`` for the treated and the control customers.
    bins : int
        The number of score groups, 1 to :data:`MAX_BINS`.
    truth_col : str, optional
        A column of true effects, to compare with.
    level : float
        The level of the intervals, strictly between 0 and 1.

    Returns
    -------
    DataFrame
        Indexed by ``score_group`` (1 = lowest score): ``customers``,
        ``mean_score``, ``rate_treatment``, ``rate_control``, ``uplift``,
        ``ci_low``, ``ci_high``, ``p_value`` (NaN where both groups have the
        same rate of 0 or 1) and ``true_uplift`` with ``truth_col``.

    Raises
    ------
    DataError
        ``experiment`` not a table or empty, missing columns, scores or
        truths that are missing or not numbers, a ``bins`` that is not a whole
        number from 1 to :data:`MAX_BINS`, a score group without treated or
        control customers, and the errors of :func:`crmlib.funnel.compare_conversion`.

    References
    ----------
    Radcliffe, N. J., & Surry, P. D. (2011). Real-world uplift modelling with
    significance-based uplift trees. Stochastic Solutions white paper.
    Ascarza, E. (2018). Retention futility: targeting high-risk customers might be
    ineffective. Journal of Marketing Research 55(1), 80-98.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"risk": [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9],
    ...                   "group": ["t", "c"] * 4, "bought": [1, 0, 1, 0, 0, 0, 1, 1]})
    >>> uplift_by_group(e, "risk", "group", "bought", "t", "c", bins=2)["uplift"].tolist()
    [1.0, 0.0]
    """
    require_frame(experiment, "experiment")
    require_text(group_col, "group_col")
    require_text(outcome_col, "outcome_col")
    require_columns(experiment, [group_col, outcome_col], "experiment")
    score = _scores(experiment, score_col)
    bins = require_count(bins, "bins", low=1, high=MAX_BINS)
    level = require_number(level, "level", low=0, high=1, low_open=True, high_open=True)
    truth = None if truth_col is None else _scores(experiment, truth_col)
    ranks = pd.Series(score).rank(method="first").to_numpy()
    group = np.ceil(ranks * bins / len(score)).astype(int).clip(1, bins)
    rows = []
    frame = experiment.reset_index(drop=True)
    for g in range(1, bins + 1):
        mask = group == g
        if not mask.any():
            continue
        part = frame.loc[mask]
        result = compare_conversion(part, group_col, outcome_col, treatment, control, level)
        row = {
            "score_group": g,
            "customers": int(mask.sum()),
            "mean_score": float(score[mask].mean()),
            "rate_treatment": result.rate_treatment,
            "rate_control": result.rate_control,
            "uplift": result.difference,
            "ci_low": result.ci_low,
            "ci_high": result.ci_high,
            "p_value": result.p_value,
        }
        if truth is not None:
            row["true_uplift"] = float(truth[mask].mean())
        rows.append(row)
    return pd.DataFrame(rows).set_index("score_group")


def compare_targeting(
    table: pd.DataFrame, score_cols: Sequence[str], uplift_col: str, share: float = 0.3
) -> pd.DataFrame:
    """What contacting the top ``share`` of customers by each score would gain, in extra buyers.

    For each ranking (highest score first) the customers contacted are the
    top share; the gain is the sum of their uplifts (extra buyers the contact
    brings), against a random choice of as many customers (the mean uplift
    times their number):

        extra_buyers = sum of uplift over the contacted,  random = n x mean uplift.

    Parameters
    ----------
    table : DataFrame
        One row per customer with the ``score_cols`` and ``uplift_col`` (an
        effect per customer: a simulation's truth or a model's estimate).
    score_cols : list of str
        The rankings to compare (higher = contact first).
    uplift_col : str
        The effect of the contact on each customer, as a change in probability.
    share : float
        The share of customers contacted, strictly between 0 and 1.

    Returns
    -------
    DataFrame
        Indexed by ranking (the scores and ``random``): ``contacted``,
        ``mean_uplift``, ``extra_buyers``.

    Raises
    ------
    DataError
        ``table`` not a table or empty, missing columns, values that are
        missing or not numbers, or a ``share`` outside (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"risk": [0.9, 0.8, 0.2, 0.1], "uplift": [0.0, 0.1, 0.3, 0.2]})
    >>> compare_targeting(t, ["risk"], "uplift", share=0.5)["extra_buyers"].round(2).tolist()
    [0.1, 0.3]
    """
    require_frame(table, "table")
    columns = _score_list(score_cols)
    uplift = _scores(table, uplift_col)
    share = require_number(share, "share", low=0, high=1, low_open=True, high_open=True, rate=True)
    k = max(round(share * len(uplift)), 1)
    rows = {}
    for column in columns:
        chosen = np.argsort(-_scores(table, column), kind="stable")[:k]
        rows[column] = {"contacted": k, "mean_uplift": float(uplift[chosen].mean())}
    rows["random"] = {"contacted": k, "mean_uplift": float(uplift.mean())}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["extra_buyers"] = out["contacted"] * out["mean_uplift"]
    out.index.name = "ranking"
    return out


# --------------------------------------------------------------------------- figures
def plot_calibration(
    table: pd.DataFrame,
    *,
    level: float = 0.95,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The calibration curve: observed against predicted churn per bin, with Wilson intervals.

    ``table`` is :func:`calibration_table`; ``level`` the level of its
    intervals, named in the legend. Both axes run from 0 to 100 %; the
    diagonal is perfect calibration.

    Raises
    ------
    DataError
        ``table`` not a table, empty or without the columns ``mean_predicted``,
        ``observed``, ``ci_low`` and ``ci_high``, values that are missing or
        outside 0-1, or a ``level`` outside (0, 1).
    """
    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure
    from .validation import to_numbers

    require_frame(table, "table")
    require_columns(table, ["mean_predicted", "observed", "ci_low", "ci_high"], "table")
    level = require_number(level, "level", low=0, high=1, low_open=True, high_open=True)
    x, y, low, high = (
        100 * to_numbers(table[c].tolist(), f"column {c!r}", low=0, high=1)
        for c in ("mean_predicted", "observed", "ci_low", "ci_high")
    )
    if ax is None:
        _, ax = new_figure()
    ax.plot([0, 100], [0, 100], linestyle="--", color="0.5", linewidth=1, label=term("perfect_calibration"))
    ax.errorbar(
        x,
        y,
        yerr=[np.clip(y - low, 0, None), np.clip(high - y, 0, None)],
        fmt="none",
        ecolor=PALETTE[0],
        capsize=3,
        label=figure_text(f"{100 * level:g} % {term('wilson_interval')}"),
    )
    ax.plot(x, y, "o-", color=PALETTE[0], label=term("observed_churn_rate"))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel(figure_text(f"{term('predicted_churn_probability')} (%)"))
    ax.set_ylabel(figure_text(f"{term('observed_churn_rate')} (%)"))
    ax.legend(loc="upper left")
    return finish(ax, title, source)


def plot_gains(
    table: pd.DataFrame,
    *,
    label_col: str = "churned",
    score_cols: Sequence[str] = ("churn_probability",),
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Cumulative gains: the share of all churners found when contacting the top x % by each score.

    For each score, customers are sorted from the highest score; the curve
    at x is the share of all churners among the first x % (both axes from 0
    to 100 %). The diagonal is a random order; a curve above it ranks
    churners first.

    ``labels`` are glossary keys for the ``score_cols`` (default: the column
    names as keys).

    Raises
    ------
    DataError
        ``table`` not a table or empty, missing columns, labels other than
        True/False or 0/1 or with no churner, scores that are missing or not
        numbers, or ``labels`` of another length than ``score_cols``.
    """
    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure

    require_frame(table, "table")
    require_text(label_col, "label_col")
    require_columns(table, [label_col], "table")
    columns = _score_list(score_cols)
    keys = columns if labels is None else _score_list(labels)
    if len(keys) != len(columns):
        raise DataError(f"labels has {len(keys)} names for {len(columns)} score columns")
    names = [term(k) for k in keys]
    y = _flags(table, label_col)
    if not y.any():
        raise DataError(f"column {label_col!r} has no churner: there is nothing to find")
    scores = [_scores(table, c) for c in columns]
    if ax is None:
        _, ax = new_figure()
    x = 100 * np.arange(len(y) + 1) / len(y)
    ax.plot([0, 100], [0, 100], linestyle="--", color="0.5", linewidth=1, label=term("random_order"))
    for k, (s, name) in enumerate(zip(scores, names, strict=True)):
        order = np.argsort(-s, kind="stable")
        found = 100 * np.r_[0, np.cumsum(y[order])] / y.sum()
        ax.plot(x, found, color=PALETTE[k % 8], linewidth=2, label=name)
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel(figure_text(f"{term('share_contacted')} (%)"))
    ax.set_ylabel(figure_text(f"{term('share_of_churners_found')} (%)"))
    ax.legend(loc="lower right")
    return finish(ax, title, source)


def plot_uplift_by_group(
    table: pd.DataFrame,
    *,
    level: float = 0.95,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The campaign's uplift in each score group, with its interval (and the true uplift if known).

    ``table`` is :func:`uplift_by_group`; the y axis is in percentage points
    with a line at 0 (no effect).

    Raises
    ------
    DataError
        ``table`` not a table, empty or without the columns ``uplift``,
        ``ci_low`` and ``ci_high``; values in them that are missing or not
        numbers; or a ``level`` outside (0, 1).
    """
    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure

    require_frame(table, "table")
    require_columns(table, ["uplift", "ci_low", "ci_high"], "table")
    level = require_number(level, "level", low=0, high=1, low_open=True, high_open=True)
    for column in ("uplift", "ci_low", "ci_high"):
        require_no_missing(table, column, "value")
    uplift, low, high = (100 * require_numeric(table, c).to_numpy() for c in ("uplift", "ci_low", "ci_high"))
    if not (np.isfinite(uplift).all() and np.isfinite(low).all() and np.isfinite(high).all()):
        raise DataError("table holds infinite uplifts: pass the table of uplift_by_group")
    if ax is None:
        _, ax = new_figure()
    pos = np.arange(len(table))
    ax.axhline(0, color="black", linewidth=1, label=term("no_effect"))
    ax.errorbar(
        pos,
        uplift,
        yerr=[np.clip(uplift - low, 0, None), np.clip(high - uplift, 0, None)],
        fmt="o",
        color=PALETTE[0],
        capsize=4,
        markersize=7,
        label=figure_text(f"{term('estimated_uplift')}, {100 * level:g} % {term('newcombe_interval')}"),
    )
    if "true_uplift" in table.columns:
        truth = 100 * require_numeric(table, "true_uplift").to_numpy()
        ax.plot(pos, truth, "D", color=PALETTE[3], markersize=7, label=term("true_uplift"))
    ax.set_xticks(pos, [str(v) for v in table.index])
    ax.set_xlabel(term("churn_risk_group"))
    ax.set_ylabel(figure_text(f"{term('uplift')} ({term('percentage_points')})"))
    ax.legend(loc="upper right")
    return finish(ax, title, source)
