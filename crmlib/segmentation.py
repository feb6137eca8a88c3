"""Customer segmentation (客户细分): RFM scores, clusters, and whether segments are worth it.

The tools of chapter 05:

* **RFM scoring.** Recency, frequency and monetary value of each customer,
  scored 1-5 by quintiles (:func:`quantile_scores`, :func:`rfm_scores`), and a
  named segment map on the recency and frequency scores
  (:data:`RFM_SEGMENT_RULES`, :func:`rfm_segments`, :func:`segment_summary`).
* **Clustering.** k-means on standardized variables with the number of
  clusters judged by the elbow (within-cluster sum of squares) and the
  silhouette (:func:`standardize`, :func:`choose_k`, :func:`cluster`,
  :func:`cluster_profiles`, :func:`recovery`).
* **The three criteria** a segmentation must meet, measured:
  differentiation (差异性, :func:`differentiation`), profitability (盈利性,
  :func:`profitability`) and feasibility (可行性, :func:`feasibility`).
* **Preparing the variables**: behaviour and demographics of the consumer
  buyers (:func:`segmentation_variables`) and what the three criteria are
  measured on (:func:`criteria_variables`).
* **Two 2 x 2 matrices** from survey data: the product x relationship
  satisfaction matrix (:func:`satisfaction_matrix`) and the loyalty matrix of
  Dick & Basu (1994) (:func:`loyalty_matrix`).

Every function checks its arguments at the entry (:mod:`crmlib.validation`) and
answers bad input with a :class:`~crmlib.validation.DataError` that names the
column or argument. Rows are never dropped silently: a missing segment, cluster,
channel or customer id is refused, not left out of a count or a share.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .transactions import daily_transactions
from .validation import (
    DataError,
    describe_rows,
    require_choice,
    require_columns,
    require_count,
    require_flag,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_number,
    require_numeric,
    require_unique_index,
    to_date,
    to_numbers,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .validation import DateLike

__all__ = [
    "RFM_SEGMENT_RULES",
    "RFM_SEGMENTS",
    "RFM_COLOURS",
    "SATISFACTION_CELLS",
    "SATISFACTION_STRATEGIES",
    "LOYALTY_CELLS",
    "MAX_CLUSTERS",
    "MAX_CANDIDATES",
    "MAX_SEED",
    "quantile_scores",
    "rfm_scores",
    "rfm_segment_rules",
    "rfm_segments",
    "segment_summary",
    "behaviour_features",
    "standardize",
    "choose_k",
    "cluster",
    "cluster_profiles",
    "recovery",
    "differentiation",
    "profitability",
    "feasibility",
    "satisfaction_matrix",
    "loyalty_matrix",
    "matrix_counts",
    "INCOME_RANKS",
    "segmentation_variables",
    "criteria_variables",
    "plot_rfm_map",
    "plot_choose_k",
    "plot_segment_shares",
    "plot_matrix",
]

#: The named RFM segment map: (segment key, recency scores, frequency scores).
#: Every one of the 25 (R, F) cells belongs to exactly one segment.
RFM_SEGMENT_RULES = (
    ("champions", (5,), (4, 5)),
    ("loyal", (3, 4), (4, 5)),
    ("potential_loyalist", (4, 5), (2, 3)),
    ("new_customers", (5,), (1,)),
    ("promising", (4,), (1,)),
    ("need_attention", (3,), (3,)),
    ("about_to_sleep", (3,), (1, 2)),
    ("at_risk", (1, 2), (3, 4)),
    ("cant_lose_them", (1, 2), (5,)),
    ("hibernating", (2,), (1, 2)),
    ("lost", (1,), (1, 2)),
)
#: Segment keys from the most to the least valuable position on the map.
RFM_SEGMENTS = tuple(rule[0] for rule in RFM_SEGMENT_RULES)
#: One colour per RFM segment, none repeated: the 11 first colours of ColorBrewer's
#: qualitative "Set3" (Harrower & Brewer 2003), light enough for black text on them.
#: :func:`plot_rfm_map` colours the map with them; a notebook uses them for any
#: other figure by segment, so that a segment keeps its colour across figures.
RFM_COLOURS = dict(
    zip(
        RFM_SEGMENTS,
        (
            "#8DD3C7",
            "#FFFFB3",
            "#BEBADA",
            "#FB8072",
            "#80B1D3",
            "#FDB462",
            "#B3DE69",
            "#FCCDE5",
            "#D9D9D9",
            "#BC80BD",
            "#CCEBC5",
        ),
        strict=True,
    )
)

#: Cells of the product x relationship satisfaction matrix (glossary keys).
SATISFACTION_CELLS = ("loyal_customer", "vulnerable_customer", "potential_type_customer", "negative_customer")
#: The strategy the course assigns to each cell (glossary keys).
SATISFACTION_STRATEGIES = {
    "loyal_customer": "strategy_keep_and_develop",
    "vulnerable_customer": "strategy_fix_relationship",
    "potential_type_customer": "strategy_fix_product",
    "negative_customer": "strategy_win_back",
}
#: Cells of the loyalty matrix (glossary keys, defined in chapter 03).
LOYALTY_CELLS = ("true_loyalty", "latent_loyalty", "spurious_loyalty", "no_loyalty")

#: The most clusters :func:`cluster` and :func:`choose_k` make. k-means takes time in
#: proportion to k, and a segmentation into more segments than this is no longer one.
MAX_CLUSTERS = 1_000
#: The most candidate numbers of clusters :func:`choose_k` tries in one call (each is
#: a k-means fit with 10 starts).
MAX_CANDIDATES = 100
#: The largest seed scikit-learn accepts (2**32 - 1).
MAX_SEED = 2**32 - 1


# --------------------------------------------------------------------------- entry checks


def _names(value: object, name: str, what: str = "column names", allow_empty: bool = False) -> list:
    """Names given as one name or a list of names (columns, segments), as a list."""
    if isinstance(value, str):
        return [value]
    if value is None or isinstance(value, (bytes, dict, pd.DataFrame)) or not isinstance(value, Iterable):
        raise DataError(f"{name} must be a list of {what}, got {type(value).__name__}")
    names = list(value)
    unhashable = [v for v in names if not isinstance(v, Hashable)]
    if unhashable:
        raise DataError(f"{name} must be a list of {what}, got {unhashable[0]!r} among them")
    if not names and not allow_empty:
        raise DataError(f"{name} is empty: give at least one of the {what}")
    return names


def _as_series(values: object, name: str) -> pd.Series:
    """Labels given as a Series (matched by index) or as a list or array (by position)."""
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, (list, tuple, pd.Index, pd.Categorical)) or (
        isinstance(values, np.ndarray) and values.ndim == 1
    ):
        return pd.Series(list(values), dtype=object if len(values) == 0 else None)
    raise DataError(
        f"{name} must be a pandas Series (one label per customer, indexed by customer) or a list, "
        f"got {type(values).__name__}"
    )


def _require_scores(table: pd.DataFrame, columns: Iterable[str]) -> dict[str, np.ndarray]:
    """The RFM score columns as numbers, each in 1-5; or DataError naming the rows."""
    scores = {}
    for col in columns:
        values = require_numeric(table, col).to_numpy()
        bad = ~np.isin(values, [1, 2, 3, 4, 5])
        if bad.any():
            raise DataError(
                f"column {col!r} has {int(bad.sum())} values outside the scores 1-5 "
                f"({describe_rows(table.index[bad])}): score with rfm_scores(..., bins=5) first"
            )
        scores[col] = values
    return scores


def _feature_matrix(features: object) -> np.ndarray:
    """The clustering variables as a float matrix: a table of complete, finite numbers."""
    require_frame(features, "features")
    if features.shape[1] == 0:
        raise DataError(
            "features has no columns: give the standardized variables to cluster on (standardize)"
        )
    repeated = features.columns[features.columns.duplicated()]
    if len(repeated):
        raise DataError(f"features has repeated column names ({', '.join(map(repr, repeated))}): rename them")
    columns = {col: require_numeric(features, col).to_numpy() for col in features.columns}
    # the column layout of a table (as features.to_numpy() gives it), so that distances, and the
    # silhouette to the last digit, do not depend on how the numbers were checked
    return pd.DataFrame(columns).to_numpy(dtype=float)


def _require_seed(seed: object) -> int:
    count = require_count(seed, "seed", low=0)
    if count > MAX_SEED:
        raise DataError(
            f"seed must be at most {MAX_SEED:,} (the largest seed scikit-learn takes), got {count:,}"
        )
    return count


def _require_k_fits(k: int, x: np.ndarray, distinct: int) -> None:
    """k-means needs fewer clusters than rows and no more clusters than distinct rows."""
    if k >= len(x):
        raise DataError(
            f"cannot make {k} clusters from {len(x)} customers: k must be below the number of rows"
        )
    if k > distinct:
        raise DataError(
            f"cannot make {k} clusters from {len(x)} customers with only {distinct} distinct rows "
            "of features (customers with equal values fall in one cluster): ask for fewer clusters"
        )


# --------------------------------------------------------------------------- RFM


def quantile_scores(
    values: ArrayLike, bins: int = 5, tiebreak: ArrayLike | None = None, higher_is_better: bool = True
) -> np.ndarray:
    """Scores 1..``bins`` by quantiles of the rank, so every score holds ~n/bins customers.

    The values are ranked (ties split by ``tiebreak``, then by position) and
    rank i of n (0-based) gets score ``floor(i * bins / n) + 1``. Group sizes
    therefore differ by at most one even when the values are heavily tied
    (most customers of a shop buy once, so plain quintile cut points of
    frequency coincide and ``pd.qcut`` fails or gives fewer than five groups).
    The price is that equal values can get neighbouring scores; ``tiebreak``
    decides which of them gets the higher one.

    Parameters
    ----------
    values : array-like of numbers
    bins : int
        Number of scores (5 for quintiles), at least 2.
    tiebreak : array-like of numbers, optional
        Secondary key for equal ``values`` (higher tiebreak, higher score), one per value.
    higher_is_better : bool
        ``False`` for recency in days: the most recent get score ``bins``.

    Returns
    -------
    ndarray of int
        Scores in 1..bins, in the order of ``values``.

    Raises
    ------
    DataError
        Values or tiebreak that are not finite numbers (text, missing, infinite),
        fewer values than bins, a tiebreak of another length, bins not a whole
        number of at least 2, or a ``higher_is_better`` that is not True/False.

    Examples
    --------
    >>> quantile_scores([1, 1, 1, 1, 2, 5, 1, 1, 1, 3], bins=5).tolist()
    [1, 1, 2, 2, 4, 5, 3, 3, 4, 5]
    """
    x = to_numbers(values, "values")
    bins = require_count(bins, "bins", low=2)
    tb = None if tiebreak is None else to_numbers(tiebreak, "tiebreak", allow_empty=True)
    higher_is_better = require_flag(higher_is_better, "higher_is_better")
    if len(x) < bins:
        raise DataError(f"quantile scores need at least {bins} values (one per score), got {x.size}")
    if tb is not None and tb.shape != x.shape:
        raise DataError(f"tiebreak has {tb.size} values but values has {x.size}: give one per value")
    sign = 1.0 if higher_is_better else -1.0
    keys = [np.arange(len(x))]
    if tb is not None:
        keys.append(sign * tb)
    keys.append(sign * x)
    order = np.lexsort(keys)  # last key is the primary one
    rank = np.empty(len(x), dtype=int)
    rank[order] = np.arange(len(x))
    return rank * bins // len(x) + 1


def rfm_scores(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    observation_end: DateLike | None = None,
    bins: int = 5,
    duplicates: str = "warn",
) -> pd.DataFrame:
    """Marketing RFM table: recency in days, number of purchases, total spend, and 1-5 scores.

    Same-day purchases of a customer count as one purchase. For each customer

        recency   = days from the last purchase to ``observation_end``,
        frequency = number of purchase days,
        monetary  = total amount spent,

    and each is scored with :func:`quantile_scores` (R: more recent is better;
    F ties split by monetary, M ties by frequency). ``rfm_cell`` is the
    three digits, e.g. ``"545"``. (The probability models of chapter 04 use the
    different definitions of :func:`crmlib.transactions.rfm_summary`.)

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    customer_col, date_col, amount_col : str
        Column names.
    observation_end : date-like, optional
        Day the recency is measured from (default: the last date in the data).
    bins : int
        Number of score levels, at least 2.
    duplicates : {"warn", "keep", "raise"}
        See :func:`crmlib.transactions.validate_transactions`.

    Returns
    -------
    DataFrame
        Indexed by customer: ``recency_days``, ``frequency``, ``monetary``,
        ``R``, ``F``, ``M`` and ``rfm_cell``.

    Raises
    ------
    DataError
        Bad transactions (see :func:`crmlib.transactions.validate_transactions`:
        missing columns, ids, dates or amounts), a bad ``observation_end``,
        purchases after it, ``bins`` not a whole number of at least 2, fewer
        customers than ``bins``, or an unknown ``duplicates``.

    References
    ----------
    Hughes, A. M. (1994). *Strategic Database Marketing*. Probus. (RFM quintile coding.)

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("aabcdee"),
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01", "2024-03-20",
    ...                             "2024-01-10", "2024-02-10", "2024-03-30"]),
    ...     "amount": [10.0, 30.0, 5.0, 8.0, 50.0, 20.0, 20.0]})
    >>> rfm_scores(tx, observation_end="2024-03-31")[["recency_days", "frequency", "R", "F", "M"]]
                 recency_days  frequency  R  F  M
    customer_id
    a                      30          2  3  4  3
    b                      59          1  2  1  1
    c                      11          1  4  2  2
    d                      81          1  1  3  5
    e                       1          2  5  5  4
    """
    require_frame(transactions, "transactions")
    require_columns(transactions, [customer_col, date_col, amount_col], "transactions")
    end = None if observation_end is None else to_date(observation_end, "observation_end")
    bins = require_count(bins, "bins", low=2)
    require_choice(duplicates, "duplicates", ("warn", "keep", "raise"))
    daily = daily_transactions(transactions, customer_col, date_col, amount_col, duplicates)
    if end is None:
        end = daily[date_col].max()
    late = daily[date_col] > end
    if late.any():
        raise DataError(
            f"column {date_col!r} has {int(late.sum())} purchases after the observation end "
            f"{end.date()}: filter the table to the period you want to score"
        )
    grouped = daily.groupby(customer_col, sort=True)
    if grouped.ngroups < bins:
        raise DataError(
            f"transactions has {grouped.ngroups} customers, fewer than the {bins} scores (bins): "
            "score more customers or ask for fewer bins"
        )
    table = pd.DataFrame(
        {
            "recency_days": (end - grouped[date_col].max()).dt.days.astype(int),
            "frequency": grouped.size().astype(int),
            "monetary": grouped[amount_col].sum().astype(float),
        }
    )
    table["R"] = quantile_scores(
        table["recency_days"], bins, tiebreak=table["frequency"], higher_is_better=False
    )
    table["F"] = quantile_scores(table["frequency"], bins, tiebreak=table["monetary"])
    table["M"] = quantile_scores(table["monetary"], bins, tiebreak=table["frequency"])
    table["rfm_cell"] = table["R"].astype(str) + table["F"].astype(str) + table["M"].astype(str)
    table.index.name = customer_col
    return table


def rfm_segment_rules(lang: str | None = None) -> pd.DataFrame:
    """The segment map of :data:`RFM_SEGMENT_RULES` as a table: segment, R scores, F scores.

    Raises
    ------
    DataError
        An unknown language (see :func:`crmlib.glossary.term`).
    """
    from .glossary import term

    return pd.DataFrame(
        {
            "rfm_segment": [term(name, lang) for name, _, _ in RFM_SEGMENT_RULES],
            "R": [", ".join(map(str, r)) for _, r, _ in RFM_SEGMENT_RULES],
            "F": [", ".join(map(str, f)) for _, _, f in RFM_SEGMENT_RULES],
        }
    )


def rfm_segments(scores: pd.DataFrame, r_col: str = "R", f_col: str = "F") -> pd.DataFrame:
    """Add the named segment (a key of :data:`RFM_SEGMENT_RULES`) to an RFM score table.

    The map uses the recency and frequency scores (1-5); monetary value is
    left to describe the segments (:func:`segment_summary`).

    Raises
    ------
    DataError
        Missing columns, missing or non-numeric scores, or scores outside 1-5.

    Examples
    --------
    >>> import pandas as pd
    >>> rfm_segments(pd.DataFrame({"R": [5, 1, 3], "F": [5, 5, 1]}))["rfm_segment"].tolist()
    ['champions', 'cant_lose_them', 'about_to_sleep']
    """
    require_frame(scores, "scores")
    require_columns(scores, [r_col, f_col], "scores")
    checked = _require_scores(scores, [r_col, f_col])
    r, f = checked[r_col], checked[f_col]
    out = scores.copy()
    conditions = [np.isin(r, rs) & np.isin(f, fs) for _, rs, fs in RFM_SEGMENT_RULES]
    out["rfm_segment"] = pd.Categorical(
        np.select(conditions, RFM_SEGMENTS, default=""), categories=RFM_SEGMENTS
    )
    return out


def segment_summary(
    table: pd.DataFrame,
    segment_col: str = "rfm_segment",
    value_col: str = "monetary",
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Size and value of each segment: customers, share of customers, value, share of value.

    share_customers = customers / all customers; share_value = total value /
    the value of all customers.

    Parameters
    ----------
    table : DataFrame
        One row per customer with a segment and a value.
    segment_col, value_col : str
        Column names.
    order : list of segment names, optional
        The rows of the result, in this order. It must list every segment of
        the table (a name without customers gets a row of zeros); without it,
        the categorical order of ``segment_col`` or the sorted segments.

    Returns
    -------
    DataFrame
        ``customers``, ``share_customers``, ``value_per_customer``,
        ``total_value`` and ``share_value`` indexed by segment (empty segments
        are kept with zeros). ``share_value`` is NaN when the values of all
        customers add up to 0 (there is no value to share).

    Raises
    ------
    DataError
        Missing columns; missing segments (a customer without a segment would
        drop out of the shares); missing or non-numeric values; an ``order``
        that leaves out a segment of the table or repeats one.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"rfm_segment": ["a", "a", "b", "c"], "monetary": [10.0, 30.0, 40.0, 20.0]})
    >>> segment_summary(t, order=["c", "b", "a"])[["customers", "share_customers", "share_value"]]
                 customers  share_customers  share_value
    rfm_segment
    c                    1             0.25          0.2
    b                    1             0.25          0.4
    a                    2             0.50          0.4
    """
    require_frame(table, "table")
    require_columns(table, [segment_col, value_col], "table")
    value = require_numeric(table, value_col)
    require_no_missing(table, segment_col, "segment")
    groups = table[segment_col]
    if order is not None:
        order = _names(order, "order", what="segment names")
        repeated = pd.Index(order)[pd.Index(order).duplicated()]
        if len(repeated):
            raise DataError(
                f"order lists {', '.join(map(repr, repeated.unique()))} more than once: list each once"
            )
        listed = set(order)
        left_out = groups[~groups.isin(listed)]
        if len(left_out):
            names = ", ".join(repr(s) for s in pd.unique(left_out)[:5])
            raise DataError(
                f"order leaves out segments of column {segment_col!r} ({names}; {len(left_out)} customers): "
                "list every segment, then select the rows you want from the result "
                "(its shares are of all customers)"
            )
    elif isinstance(groups.dtype, pd.CategoricalDtype):
        order = list(groups.cat.categories)
    grouped = value.groupby(groups, observed=False)
    out = pd.DataFrame({"customers": grouped.size(), "total_value": grouped.sum()})
    if order is not None:
        out = out.reindex(list(order), fill_value=0)
    out["share_customers"] = out["customers"] / out["customers"].sum()
    out["value_per_customer"] = (out["total_value"] / out["customers"].where(out["customers"] > 0)).fillna(
        0.0
    )
    total = out["total_value"].sum()
    out["share_value"] = out["total_value"] / total if total != 0 else np.nan
    out.index.name = segment_col
    return out[["customers", "share_customers", "value_per_customer", "total_value", "share_value"]]


# --------------------------------------------------------------------------- clustering


def standardize(data: pd.DataFrame, columns: Sequence[str], log_columns: Sequence[str] = ()) -> pd.DataFrame:
    """z-scores of ``columns`` (after log1p of ``log_columns``), so each counts equally in distances.

    z = (x - mean) / sd with the population sd. A skewed count or amount is
    better logged first: otherwise a few heavy buyers decide the clusters.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    columns : list of str
        The columns to standardize (one name is taken as a list of one).
    log_columns : list of str
        The ones among ``columns`` to log first (``log1p``).

    Returns
    -------
    DataFrame
        The z-scores, on the index of ``data``.

    Raises
    ------
    DataError
        Missing columns, non-numeric, missing or infinite values, a constant
        column, a name of ``log_columns`` that is not among ``columns``, or
        negative values in a column to log.

    Examples
    --------
    >>> import pandas as pd
    >>> standardize(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), ["x"])["x"].round(3).tolist()
    [-1.225, 0.0, 1.225]
    """
    require_frame(data, "data")
    columns = _names(columns, "columns")
    log_columns = _names(log_columns, "log_columns", allow_empty=True)
    require_columns(data, columns, "data")
    stray = [c for c in log_columns if c not in columns]
    if stray:
        raise DataError(
            f"log_columns names {', '.join(map(repr, stray))}, not among columns: "
            "add it to columns or leave it out of log_columns"
        )
    values = {col: require_numeric(data, col) for col in columns}
    for col in log_columns:
        require_non_negative(values[col], col, "cannot log it; leave it out of log_columns")
    out = pd.DataFrame(index=data.index)
    for col in columns:
        x = values[col]
        if col in log_columns:
            x = np.log1p(x)
        sd = x.std(ddof=0)
        if not sd > 0:
            raise DataError(f"column {col!r} is constant: it cannot separate segments, leave it out")
        out[col] = ((x - x.mean()) / sd).to_numpy()
    return out


def _kmeans(x: np.ndarray, k: int, seed: int):
    """k-means with 10 starts on one BLAS thread; the caller has checked k and seed."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    # one BLAS thread: on small data the thread start-up costs far more than it saves,
    # and the result does not depend on the machine's core count
    with threadpool_limits(1):
        return KMeans(n_clusters=int(k), n_init=10, random_state=seed).fit(x)


def choose_k(
    features: pd.DataFrame, ks: Iterable[int] = range(2, 9), seed: int = 0, sample_size: int | None = 2000
) -> pd.DataFrame:
    """Elbow and silhouette for each candidate number of clusters k.

    For each k: k-means (10 starts, ``random_state=seed``) and

    * ``inertia``: within-cluster sum of squared distances (falls with k;
      look for the elbow where it stops falling fast);
    * ``silhouette``: mean of (b - a) / max(a, b) over customers, a the mean
      distance to the own cluster and b to the nearest other one (from -1 to
      1; higher is better separated), on a random sample of ``sample_size``.

    Parameters
    ----------
    features : DataFrame
        Standardized numeric columns (see :func:`standardize`), no missing values.
    ks : list of int
        The candidate numbers of clusters: each at least 2, below the number of
        rows and at most :data:`MAX_CLUSTERS`; at most :data:`MAX_CANDIDATES` of them.
    seed : int
        Seed of the k-means starts and of the silhouette sample (0 to :data:`MAX_SEED`).
    sample_size : int or None
        Customers the silhouette is computed on (a random sample, at least 2);
        ``None`` (or a size of at least the number of rows) for every customer.

    Returns
    -------
    DataFrame
        One row per k: ``k``, ``inertia`` and ``silhouette``.

    Raises
    ------
    DataError
        Features that are not a table of complete numbers; a k that is not a
        whole number from 2 to :data:`MAX_CLUSTERS`, not below the number of
        rows, or above the number of distinct rows; too many ks; a bad seed or
        sample size; a silhouette sample that holds fewer than two clusters (or
        as many clusters as customers).

    References
    ----------
    Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation
    and validation of cluster analysis. J. Comput. Appl. Math. 20, 53-65.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [0.0, 0.1, 0.2, 5.0, 5.1, 9.0, 9.2]})
    >>> choose_k(x, ks=[2, 3], sample_size=None)[["k", "silhouette"]].round(2)
       k  silhouette
    0  2        0.75
    1  3        0.97
    """
    from sklearn.metrics import silhouette_score

    x = _feature_matrix(features)
    if isinstance(ks, Iterable) and not isinstance(
        ks, (str, bytes, dict, np.ndarray, pd.DataFrame, pd.Series)
    ):
        # a range or a generator is read lazily: range(2, 10**12) must not fill the memory
        ks = list(itertools.islice(ks, MAX_CANDIDATES + 1))
        if len(ks) > MAX_CANDIDATES:
            raise DataError(f"ks has more than {MAX_CANDIDATES} values; at most {MAX_CANDIDATES} are allowed")
    ks = to_numbers(ks, "ks", low=2, high=MAX_CLUSTERS, integer=True, max_size=MAX_CANDIDATES).astype(int)
    seed = _require_seed(seed)
    if sample_size is not None:
        sample_size = require_count(sample_size, "sample_size", low=2)
    distinct = len(np.unique(x, axis=0))
    for k in ks:
        _require_k_fits(int(k), x, distinct)
    rows = []
    for k in ks:
        model = _kmeans(x, int(k), seed)
        labels = model.labels_
        sample_x, sample_labels = x, labels
        if sample_size is not None and sample_size < len(x):
            # the sample scikit-learn's silhouette_score(sample_size=...) draws, drawn here so
            # that a sample too small to hold two clusters is said in a sentence
            chosen = np.random.RandomState(seed).permutation(len(x))[:sample_size]
            sample_x, sample_labels = x[chosen], labels[chosen]
        found = len(np.unique(sample_labels))
        if not 2 <= found <= len(sample_labels) - 1:
            raise DataError(
                f"the silhouette sample of {len(sample_labels)} customers holds {found} of the {k} clusters; "
                "a silhouette needs at least 2 clusters and fewer clusters than customers: "
                "use a larger sample_size (or None for every customer)"
            )
        sil = silhouette_score(sample_x, sample_labels)
        rows.append({"k": int(k), "inertia": float(model.inertia_), "silhouette": float(sil)})
    return pd.DataFrame(rows)


def cluster(features: pd.DataFrame, k: int, seed: int = 0) -> pd.Series:
    """k-means cluster of each row, numbered 1..k by decreasing cluster size.

    k-means (Lloyd 1982; k-means++ starts, Arthur & Vassilvitskii 2007) minimises
    the within-cluster sum of squares sum_i ||x_i - c_{label(i)}||^2. The result
    is deterministic: ``random_state=seed``, ``n_init=10`` starts (the best kept)
    and one BLAS thread.

    Parameters
    ----------
    features : DataFrame
        Standardized numeric columns (see :func:`standardize`), no missing values.
    k : int
        Number of clusters: at least 2, below the number of rows, at most the
        number of distinct rows and at most :data:`MAX_CLUSTERS`.
    seed : int
        Seed of the k-means starts (0 to :data:`MAX_SEED`).

    Returns
    -------
    Series ``cluster`` (1 = largest cluster) on the index of ``features``.

    Raises
    ------
    DataError
        Features that are not a table of complete, finite numbers (text,
        missing or infinite values, no columns); a k that is not a whole number
        from 2 to :data:`MAX_CLUSTERS`, not below the number of rows or above
        the number of distinct rows; a seed that is not a whole number from 0
        to :data:`MAX_SEED`.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [0.0, 0.1, 0.2, 5.0, 5.1]}, index=list("pqrst"))
    >>> cluster(x, 2, seed=0).tolist()
    [1, 1, 1, 2, 2]
    """
    x = _feature_matrix(features)
    k = require_count(k, "k", low=2, high=MAX_CLUSTERS)
    seed = _require_seed(seed)
    _require_k_fits(k, x, len(np.unique(x, axis=0)))
    labels = pd.Series(_kmeans(x, k, seed).labels_, index=features.index)
    sizes = labels.value_counts()
    renumber = {old: new for new, old in enumerate(sizes.index, start=1)}
    return labels.map(renumber).rename("cluster")


def cluster_profiles(data: pd.DataFrame, labels: pd.Series, columns: Sequence[str]) -> pd.DataFrame:
    """Mean of each column per cluster, with cluster sizes (original units, not z-scores).

    Parameters
    ----------
    data : DataFrame
        One row per customer, with the variables to describe.
    labels : Series or list
        The cluster of each customer: a Series on the index of ``data`` (as
        :func:`cluster` returns it; matched by label), or a list in the order
        of the rows of ``data``.
    columns : list of str
        The numeric columns to average.

    Returns
    -------
    DataFrame
        Indexed by ``cluster``: ``customers`` and the mean of each column.

    Raises
    ------
    DataError
        Missing columns; non-numeric or missing values; labels that are not a
        Series or list, that miss a row of ``data``, hold missing clusters, or
        (a list) have another length; repeated row labels in ``data`` or in
        ``labels`` when they are matched by label.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"age": [20.0, 30.0, 60.0]}, index=["a", "b", "c"])
    >>> cluster_profiles(d, pd.Series([1, 1, 2], index=["a", "b", "c"]), ["age"])
             customers   age
    cluster
    1                2  25.0
    2                1  60.0
    """
    require_frame(data, "data")
    columns = _names(columns, "columns")
    require_columns(data, columns, "data")
    numeric = pd.DataFrame({c: require_numeric(data, c).to_numpy() for c in columns})
    if isinstance(labels, pd.Series):
        require_unique_index(data, "data")
        require_unique_index(labels, "labels")
        absent = ~data.index.isin(labels.index)
        if absent.any():
            raise DataError(
                f"labels has no cluster for {int(absent.sum())} rows of data ({describe_rows(data.index[absent])}): "
                "give the labels on the index of data, as cluster() returns them"
            )
        values = labels.reindex(data.index).to_numpy()
    else:
        values = _as_series(labels, "labels").to_numpy()
        if len(values) != len(data):
            raise DataError(
                f"labels has {len(values)} values but data has {len(data)} rows: give one cluster per row"
            )
    require_no_missing(pd.DataFrame({"labels": values}, index=data.index), "labels", "cluster")
    grouped = numeric.groupby(values)
    profile = grouped.mean()
    profile.insert(0, "customers", grouped.size())
    profile.index.name = "cluster"
    return profile


def _codes(values: pd.Series) -> np.ndarray:
    """Labels as integer codes in sorted order (any labels, even of mixed types)."""
    try:
        return pd.factorize(values, sort=True)[0]
    except TypeError:  # labels of mixed types (text and numbers) cannot be sorted
        return pd.factorize(values)[0]


def recovery(labels: pd.Series, truth: pd.Series) -> dict:
    """How well clusters recover known segments: adjusted Rand index and normalized mutual information.

    Both are 1 for a perfect recovery (up to renaming the clusters) and about 0
    for labels unrelated to the truth. The customers compared are those in both
    ``labels`` and ``truth`` (matched by index).

    Parameters
    ----------
    labels : Series
        The cluster of each customer, indexed by customer (a list is indexed 0, 1, ...).
    truth : Series
        The known segment of each customer, indexed by customer.

    Returns
    -------
    dict
        ``customers`` (the number compared), ``adjusted_rand`` and ``nmi``.

    Raises
    ------
    DataError
        Labels or truth that are not a Series or list, have repeated index
        values, share no index value, or hold missing values for a customer
        they share.

    References
    ----------
    Hubert, L., & Arabie, P. (1985). Comparing partitions. J. Classification 2, 193-218.

    Examples
    --------
    >>> import pandas as pd
    >>> recovery(pd.Series([1, 1, 2, 2]), pd.Series(["x", "x", "y", "y"]))["adjusted_rand"]
    1.0
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels, truth = _as_series(labels, "labels"), _as_series(truth, "truth")
    require_unique_index(labels, "labels")
    require_unique_index(truth, "truth")
    common = labels.index.intersection(truth.index)
    if len(common) == 0:
        raise DataError("labels and truth share no index values: align them by customer id")
    a, b = labels.loc[common], truth.loc[common]
    for name, values in (("labels", a), ("truth", b)):
        require_no_missing(pd.DataFrame({name: values}), name, "label")
    a, b = _codes(a), _codes(b)
    return {
        "customers": len(common),
        "adjusted_rand": float(adjusted_rand_score(b, a)),
        "nmi": float(normalized_mutual_info_score(b, a)),
    }


# --------------------------------------------------------------------------- the three criteria


def differentiation(table: pd.DataFrame, segment_col: str, variables: Sequence[str]) -> pd.DataFrame:
    """How different the segments are on each variable: eta squared and the ANOVA F test.

    eta^2 = between-segment sum of squares / total sum of squares: the share of
    a variable's variance that the segments explain (0: segments identical on
    average; 1: every segment homogeneous). For a 0/1 variable (a response)
    it compares response rates. p is the one-way ANOVA p-value of

        F = (between SS / (k - 1)) / (within SS / (n - k))

    for k segments and n customers.

    Parameters
    ----------
    table : DataFrame
        One row per customer.
    segment_col : str
        The segment of each customer (at least two segments).
    variables : list of str
        Numeric columns to compare across the segments.

    Returns
    -------
    DataFrame
        Indexed by variable: ``eta_squared``, ``F``, ``p_value``, and
        ``min_mean`` / ``max_mean`` over the segments. ``F`` and ``p_value``
        are NaN, with a warning, when they are undefined: for a constant
        variable (nothing to explain; its ``eta_squared`` is 0) and when every
        segment has one customer (n = k: no within-segment variance to test
        against). ``F`` is infinite and ``p_value`` 0 when every segment is
        constant within but the segment means differ.

    Raises
    ------
    DataError
        Missing columns, missing segments, fewer than two segments, or
        non-numeric or missing values in a variable.

    Warns
    -----
    UserWarning
        When ``F`` and ``p_value`` are NaN (see Returns).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"s": [1, 1, 2, 2], "x": [1.0, 2.0, 5.0, 6.0]})
    >>> differentiation(t, "s", ["x"])[["eta_squared", "min_mean", "max_mean"]].round(3)
              eta_squared  min_mean  max_mean
    variable
    x               0.941       1.5       5.5
    """
    from scipy import stats

    require_frame(table, "table")
    variables = _names(variables, "variables")
    require_columns(table, [segment_col, *variables], "table")
    require_no_missing(table, segment_col, "segment")
    groups = table[segment_col]
    if groups.nunique() < 2:
        raise DataError(f"column {segment_col!r} has only one segment: nothing to differentiate")
    numeric = {var: require_numeric(table, var) for var in variables}
    k, n = groups.nunique(), len(table)
    if n == k:
        warnings.warn(
            f"every segment of column {segment_col!r} has one customer: F and p_value are NaN "
            "(an F test needs more customers than segments)",
            UserWarning,
            stacklevel=2,
        )
    rows = {}
    for var, x in numeric.items():
        grouped = x.groupby(groups, observed=True)
        means, counts = grouped.mean(), grouped.size()
        total = ((x - x.mean()) ** 2).sum()
        between = (counts * (means - x.mean()) ** 2).sum()
        within = total - between
        if total == 0 and n > k:
            warnings.warn(
                f"variable {var!r} is constant: it cannot differentiate segments; its F and p_value "
                "are NaN and its eta_squared 0",
                UserWarning,
                stacklevel=2,
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            f = (between / (k - 1)) / (within / (n - k)) if n > k else np.nan
        p = (
            float(stats.f.sf(f, k - 1, n - k))
            if np.isfinite(f)
            else (0.0 if within == 0 and between > 0 and n > k else np.nan)
        )
        rows[var] = {
            "eta_squared": float(between / total) if total > 0 else 0.0,
            "F": float(f),
            "p_value": float(p),
            "min_mean": float(means.min()),
            "max_mean": float(means.max()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "variable"
    return out


def profitability(table: pd.DataFrame, segment_col: str, margin_col: str, cost_col: str) -> pd.DataFrame:
    """Segment margin against the cost of serving it: profit per customer and return on cost.

    profit = margin - cost to serve; return = profit / cost to serve. A segment
    is worth a separate programme when its profit stays positive after the
    programme's own cost.

    Parameters
    ----------
    table : DataFrame
        One row per customer.
    segment_col, margin_col, cost_col : str
        The segment, the margin (may be negative) and the cost to serve (at
        least 0) of each customer.

    Returns
    -------
    DataFrame
        Indexed by segment: ``customers``, ``margin``, ``cost_to_serve``,
        ``profit``, ``profit_per_customer`` and ``return_on_cost``.
        ``return_on_cost`` is NaN for a segment whose cost to serve is 0
        (there is no cost to return on).

    Raises
    ------
    DataError
        Missing columns; missing segments (a customer without a segment would
        drop out of every total); non-numeric or missing margins or costs;
        negative costs.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"s": ["a", "a", "b"], "m": [100.0, 50.0, 10.0], "c": [20.0, 30.0, 40.0]})
    >>> profitability(t, "s", "m", "c")[["customers", "profit", "return_on_cost"]]
       customers  profit  return_on_cost
    s
    a          2   100.0            2.00
    b          1   -30.0           -0.75
    """
    require_frame(table, "table")
    require_columns(table, [segment_col, margin_col, cost_col], "table")
    require_no_missing(table, segment_col, "segment")
    margin = require_numeric(table, margin_col)
    cost = require_numeric(table, cost_col)
    require_non_negative(cost, cost_col, "a cost to serve cannot be negative")
    grouped = pd.DataFrame({"margin": margin, "cost_to_serve": cost}).groupby(
        table[segment_col], observed=True
    )
    out = grouped.sum()
    out.insert(0, "customers", grouped.size())
    out["profit"] = out["margin"] - out["cost_to_serve"]
    out["profit_per_customer"] = out["profit"] / out["customers"]
    out["return_on_cost"] = out["profit"] / out["cost_to_serve"].where(out["cost_to_serve"] > 0)
    out.index.name = segment_col
    return out


def feasibility(
    table: pd.DataFrame, segment_col: str, channel_col: str, min_customers: int = 100, min_reach: float = 0.5
) -> pd.DataFrame:
    """Can the firm act on each segment? Size and reach through its main channel.

    A segment is *feasible* when it has at least ``min_customers`` customers and
    one channel reaches at least ``min_reach`` of them (so a programme built for
    the segment can be delivered through that channel).

    Parameters
    ----------
    table : DataFrame
        One row per customer.
    segment_col, channel_col : str
        The segment and the channel (e.g. the main channel) of each customer.
    min_customers : int
        The smallest size of a feasible segment (a whole number, at least 0).
    min_reach : float
        The share of a segment its main channel must reach: above 0, at most 1.

    Returns
    -------
    DataFrame
        Indexed by segment: ``customers``, ``share``, ``main_channel``,
        ``reach`` (share of the segment whose channel is the main one) and
        ``feasible``.

    Raises
    ------
    DataError
        Missing columns, missing segments or channels, a ``min_customers``
        that is not a whole number of at least 0, or a ``min_reach`` that is
        not a share above 0 and at most 1.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"s": ["a", "a", "b"], "ch": ["web", "web", "store"]})
    >>> feasibility(t, "s", "ch", min_customers=2)[["customers", "main_channel", "reach", "feasible"]]
       customers main_channel  reach  feasible
    s
    a          2          web    1.0      True
    b          1        store    1.0     False
    """
    require_frame(table, "table")
    require_columns(table, [segment_col, channel_col], "table")
    min_customers = require_count(min_customers, "min_customers", low=0)
    min_reach = require_number(min_reach, "min_reach", low=0, low_open=True, high=1, rate=True)
    require_no_missing(table, segment_col, "segment")
    require_no_missing(table, channel_col, "channel")
    shares = pd.crosstab(table[segment_col], table[channel_col], normalize="index")
    out = pd.DataFrame({"customers": table[segment_col].value_counts()}).reindex(shares.index)
    out["share"] = out["customers"] / out["customers"].sum()
    out["main_channel"] = shares.idxmax(axis=1)
    out["reach"] = shares.max(axis=1)
    out["feasible"] = (out["customers"] >= min_customers) & (out["reach"] >= min_reach)
    out.index.name = segment_col
    return out


# --------------------------------------------------------------------------- 2 x 2 matrices


def _two_by_two(
    table: pd.DataFrame, x_col: str, y_col: str, x_cut: float, y_cut: float, cells: tuple, name: str
) -> pd.DataFrame:
    """The cell of each row; the caller has checked the table, the columns and the cuts."""
    x_high = require_numeric(table, x_col) >= x_cut
    y_high = require_numeric(table, y_col) >= y_cut
    out = table.copy()
    # cells: (both high, only y high, only x high, neither)
    out[name] = pd.Categorical(
        np.select([x_high & y_high, y_high & ~x_high, x_high & ~y_high], cells[:3], default=cells[3]),
        categories=cells,
    )
    return out


def satisfaction_matrix(
    survey: pd.DataFrame,
    product_col: str = "sat_product",
    relationship_col: str = "sat_relationship",
    threshold: float = 5,
) -> pd.DataFrame:
    """Place each respondent in the product x relationship satisfaction matrix.

    Satisfied means a score of at least ``threshold`` (5 on a 1-7 scale):

    ================== ===================== ====================
    \\                   relationship satisfied relationship not
    ================== ===================== ====================
    product satisfied  loyal (忠诚型)          vulnerable (脆弱型)
    product not        potential (潜力型)      negative (负面型)
    ================== ===================== ====================

    Parameters
    ----------
    survey : DataFrame
        One row per respondent.
    product_col, relationship_col : str
        The two satisfaction scores (numbers, none missing).
    threshold : float
        The lowest score that counts as satisfied: a finite number.

    Returns
    -------
    DataFrame
        A copy with a categorical column ``satisfaction_cell`` (keys of
        :data:`SATISFACTION_CELLS`); :data:`SATISFACTION_STRATEGIES` gives the
        strategy per cell.

    Raises
    ------
    DataError
        Missing columns, non-numeric or missing scores, or a threshold that is
        not a finite number (a missing threshold would put every respondent in
        the negative cell).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"sat_product": [6, 6, 2, 2], "sat_relationship": [6, 2, 6, 2]})
    >>> satisfaction_matrix(s)["satisfaction_cell"].tolist()
    ['loyal_customer', 'vulnerable_customer', 'potential_type_customer', 'negative_customer']
    """
    require_frame(survey, "survey")
    require_columns(survey, [product_col, relationship_col], "survey")
    threshold = require_number(threshold, "threshold")
    return _two_by_two(
        survey,
        relationship_col,
        product_col,
        threshold,
        threshold,
        SATISFACTION_CELLS,
        "satisfaction_cell",
    )


def loyalty_matrix(
    table: pd.DataFrame,
    attitude_col: str,
    patronage_col: str,
    attitude_threshold: float,
    patronage_threshold: float,
) -> pd.DataFrame:
    """Place each customer in the loyalty matrix of relative attitude x repeat patronage.

    High attitude (>= ``attitude_threshold``) and high patronage (>=
    ``patronage_threshold``): true loyalty; high attitude only: latent loyalty;
    high patronage only: spurious loyalty; neither: no loyalty.

    Parameters
    ----------
    table : DataFrame
        One row per customer.
    attitude_col, patronage_col : str
        The relative attitude and the repeat patronage (numbers, none missing).
    attitude_threshold, patronage_threshold : float
        The lowest value that counts as high: finite numbers.

    Returns
    -------
    DataFrame
        A copy with a categorical column ``loyalty_cell`` (keys of :data:`LOYALTY_CELLS`).

    Raises
    ------
    DataError
        Missing columns, non-numeric or missing values, or a threshold that is
        not a finite number.

    References
    ----------
    Dick, A. S., & Basu, K. (1994). Customer loyalty: toward an integrated
    conceptual framework. J. Academy of Marketing Science 22(2), 99-113 (Figure 1).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"attitude": [7, 7, 2, 2], "orders": [9, 1, 9, 1]})
    >>> loyalty_matrix(t, "attitude", "orders", 5, 4)["loyalty_cell"].tolist()
    ['true_loyalty', 'latent_loyalty', 'spurious_loyalty', 'no_loyalty']
    """
    require_frame(table, "table")
    require_columns(table, [attitude_col, patronage_col], "table")
    attitude_threshold = require_number(attitude_threshold, "attitude_threshold")
    patronage_threshold = require_number(patronage_threshold, "patronage_threshold")
    return _two_by_two(
        table,
        patronage_col,
        attitude_col,
        patronage_threshold,
        attitude_threshold,
        LOYALTY_CELLS,
        "loyalty_cell",
    )


def matrix_counts(table: pd.DataFrame, cell_col: str) -> pd.DataFrame:
    """Respondents and share per cell of a 2 x 2 matrix (all four cells, in their order).

    Raises
    ------
    DataError
        A missing column, or missing cells (a respondent without a cell would
        drop out of the shares).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"sat_product": [6, 6, 2], "sat_relationship": [6, 2, 6]})
    >>> matrix_counts(satisfaction_matrix(s), "satisfaction_cell")["customers"].tolist()
    [1, 1, 1, 0]
    """
    require_frame(table, "table")
    require_columns(table, [cell_col], "table")
    require_no_missing(table, cell_col, "cell")
    counts = table[cell_col].value_counts(sort=False)
    if isinstance(table[cell_col].dtype, pd.CategoricalDtype):
        counts = counts.reindex(table[cell_col].cat.categories, fill_value=0)
    out = pd.DataFrame({"customers": counts, "share": counts / counts.sum()})
    out.index.name = cell_col
    return out


# --------------------------------------------------------------------------- figures


def plot_rfm_map(
    segmented: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The 5 x 5 map of recency x frequency scores: customers per cell, coloured by segment.

    Each segment has its own colour (:data:`RFM_COLOURS`, no colour repeated), its
    name written on its cells, and a legend entry (all 11 segments, in the order
    of :data:`RFM_SEGMENT_RULES`, to the right of the map).

    Raises
    ------
    DataError
        ``segmented`` not a table with ``R``, ``F`` and ``rfm_segment`` (from
        :func:`rfm_segments`), or scores that are missing or outside 1-5.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from .glossary import term
    from .plots import finish, new_figure

    require_frame(segmented, "segmented")
    require_columns(segmented, ["R", "F", "rfm_segment"], "segmented")
    scores = _require_scores(segmented, ["R", "F"])
    if ax is None:
        _, ax = new_figure()
    counts = pd.crosstab(scores["R"].astype(int), scores["F"].astype(int)).reindex(
        index=range(1, 6), columns=range(1, 6), fill_value=0
    )
    colours = [RFM_COLOURS[name] for name in RFM_SEGMENTS]
    grid = np.zeros((5, 5), dtype=int)
    for i, (_, rs, fs) in enumerate(RFM_SEGMENT_RULES):
        for r in rs:
            for f in fs:
                grid[r - 1, f - 1] = i
    ax.imshow(
        grid,
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(colours) - 0.5,
        origin="lower",
        aspect="auto",
    )
    for name, rs, fs in RFM_SEGMENT_RULES:
        ax.text(
            np.mean(fs) - 1,
            max(rs) - 1 + 0.3,
            term(name),
            ha="center",
            va="center",
            fontsize=8,
            fontweight="bold",
        )
    for r in range(5):
        for f in range(5):
            ax.text(f, r - 0.12, f"{counts.iloc[r, f]:,}", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(5), [str(i) for i in range(1, 6)])
    ax.set_yticks(range(5), [str(i) for i in range(1, 6)])
    ax.grid(False)
    ax.set_xlabel(term("frequency_score"))
    ax.set_ylabel(term("recency_score"))
    handles = [Patch(facecolor=RFM_COLOURS[name], edgecolor="0.4", label=term(name)) for name in RFM_SEGMENTS]
    ax.legend(
        handles=handles,
        title=term("rfm_segment"),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title_fontsize=8,
        frameon=False,
    )
    return finish(ax, title, source)


def plot_choose_k(
    table: pd.DataFrame,
    *,
    criterion: str = "silhouette",
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """One criterion of :func:`choose_k` against the number of clusters k:
    ``"inertia"`` (the elbow plot) or ``"silhouette"``.

    The value axis starts at zero, so that the differences between k are seen
    against the size of the values: a cut axis would make a difference in the
    third decimal look decisive. Draw both side by side with two axes::

        fig, (left, right) = plots.new_figure(1, 2)
        plot_choose_k(table, criterion="inertia", ax=left)
        plot_choose_k(table, criterion="silhouette", ax=right)

    Raises
    ------
    DataError
        An unknown criterion, or ``table`` not a table with ``k`` and the
        criterion as complete numbers.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    criteria = {"inertia": ("within_cluster_ss", 0), "silhouette": ("silhouette", 1)}
    require_choice(criterion, "criterion", list(criteria))
    require_frame(table, "table")
    require_columns(table, ["k", criterion], "table")
    k_values = require_numeric(table, "k")
    values = require_numeric(table, criterion)
    if ax is None:
        _, ax = new_figure()
    label, colour = criteria[criterion]
    ax.plot(k_values, values, marker="o", color=PALETTE[colour])
    ax.set_xlabel(term("number_of_clusters"))
    ax.set_ylabel(term(label))
    top = float(values.max())
    ax.set_ylim(0, 1.05 * top if criterion == "inertia" else max(0.25, 1.15 * top))
    return finish(ax, title, source)


def plot_segment_shares(
    summary: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Share of customers against share of value per segment (bars side by side).

    Raises
    ------
    DataError
        ``summary`` not a table with ``share_customers`` and ``share_value``
        as complete numbers (from :func:`segment_summary`).
    """
    from .glossary import UnknownTermError, term
    from .plots import PALETTE, finish, new_figure

    require_frame(summary, "summary")
    require_columns(summary, ["share_customers", "share_value"], "summary")
    share_customers = require_numeric(summary, "share_customers")
    share_value = require_numeric(summary, "share_value")
    if ax is None:
        _, ax = new_figure()
    labels = []
    for name in summary.index:
        try:
            labels.append(term(str(name)))
        except UnknownTermError:
            labels.append(str(name))
    pos = np.arange(len(summary))[::-1]  # first segment on top
    ax.barh(
        pos + 0.2,
        100 * share_customers,
        height=0.4,
        color=PALETTE[0],
        label=term("share_of_customers"),
    )
    ax.barh(pos - 0.2, 100 * share_value, height=0.4, color=PALETTE[1], label=term("share_of_value"))
    ax.set_yticks(pos, labels)
    ax.set_xlabel(term("percent"))
    ax.grid(axis="y", visible=False)
    ax.legend()
    return finish(ax, title, source)


def plot_matrix(
    counts: pd.DataFrame,
    *,
    x_label: str,
    y_label: str,
    notes: dict[str, str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Draw a 2 x 2 matrix of :func:`matrix_counts` (cells in the order high-high, y only, x only, neither).

    ``x_label`` and ``y_label`` are glossary keys of the axes; ``notes`` maps a
    cell to a glossary key shown under its count (e.g. the strategy).

    Raises
    ------
    DataError
        ``counts`` not a table of 4 cells with ``customers`` and ``share`` as
        complete numbers (from :func:`matrix_counts`), an axis label that is
        not a text, or ``notes`` that is not a dict of texts.
    crmlib.glossary.UnknownTermError
        A label, a cell or a note that is not a glossary key.
    """
    from matplotlib.patches import Rectangle

    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure

    require_frame(counts, "counts")
    require_columns(counts, ["customers", "share"], "counts")
    if len(counts) != 4:
        raise DataError(f"counts must have the 4 cells of a 2 x 2 matrix, got {len(counts)} rows")
    require_numeric(counts, "customers")
    require_numeric(counts, "share")
    for name, key in (("x_label", x_label), ("y_label", y_label)):
        if not isinstance(key, str):
            raise DataError(
                f"{name} must be a glossary key (a text such as 'relationship_satisfaction'), got {key!r}"
            )
    if notes is not None and (
        not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values())
    ):
        raise DataError("notes must be a dict from cell to glossary key, e.g. SATISFACTION_STRATEGIES")
    x_text, y_text = term(x_label), term(y_label)
    if ax is None:
        _, ax = new_figure()
    # (column, row) of each cell: x high is the right column, y high the top row
    positions = [(1, 1), (0, 1), (1, 0), (0, 0)]
    for i, ((cell, row), (cx, cy)) in enumerate(zip(counts.iterrows(), positions, strict=True)):
        ax.add_patch(Rectangle((cx, cy), 1, 1, color=PALETTE[i], alpha=0.25))
        ax.text(
            cx + 0.5, cy + 0.72, term(str(cell)), ha="center", va="center", fontsize=12, fontweight="bold"
        )
        ax.text(
            cx + 0.5,
            cy + 0.5,
            figure_text(f"{int(row['customers']):,} ({100 * row['share']:.1f} %)"),
            ha="center",
            va="center",
            fontsize=11,
        )
        if notes and cell in notes:
            ax.text(
                cx + 0.5,
                cy + 0.25,
                term(notes[cell]),
                ha="center",
                va="center",
                fontsize=9,
                style="italic",
                wrap=True,
            )
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.set_xticks([0.5, 1.5], [term("low"), term("high")])
    ax.set_yticks([0.5, 1.5], [term("low"), term("high")])
    ax.grid(False)
    ax.set_xlabel(x_text)
    ax.set_ylabel(y_text)
    return finish(ax, title, source)


def behaviour_features(
    orders: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    amount_col: str = "revenue",
    channel_col: str | None = "channel",
    observation_end: DateLike | None = None,
) -> pd.DataFrame:
    """Behavioural segmentation variables per customer from an order table.

    ``orders`` (count), ``recency_days`` (since the last order),
    ``tenure_days`` (since the first), ``order_value`` (mean amount per order)
    and, with ``channel_col``, ``share_<channel>``: the share of the customer's
    orders placed through each channel.

    Parameters
    ----------
    orders : DataFrame
        One row per order.
    customer_col, date_col, amount_col : str
        Column names.
    channel_col : str or None
        The channel of each order (none missing); ``None`` for no channel shares.
    observation_end : date-like, optional
        Day recency and tenure are measured to (default: the last order date).

    Returns
    -------
    DataFrame
        One row per customer, indexed by customer id.

    Raises
    ------
    DataError
        Bad orders (see :func:`crmlib.transactions.validate_transactions`:
        missing columns, ids, dates or amounts), missing channels, a bad
        ``observation_end`` or orders after it.

    Examples
    --------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_date": pd.to_datetime(
    ...     ["2024-01-01", "2024-01-11", "2024-01-21"]), "revenue": [10.0, 30.0, 5.0],
    ...     "channel": ["web", "store", "web"]})
    >>> f = behaviour_features(o, observation_end="2024-01-31")
    >>> f[["orders", "recency_days", "tenure_days", "order_value"]]
                 orders  recency_days  tenure_days  order_value
    customer_id
    a                 2            20           30         20.0
    b                 1            10           10          5.0
    >>> f["share_store"].tolist()
    [0.5, 0.0]
    """
    from .transactions import validate_transactions

    require_frame(orders, "orders")
    channels = [] if channel_col is None else [channel_col]
    require_columns(orders, [customer_col, date_col, amount_col, *channels], "orders")
    end = None if observation_end is None else to_date(observation_end, "observation_end")
    if channel_col is not None:
        require_no_missing(orders, channel_col, "channel")
    clean = validate_transactions(orders, customer_col, date_col, amount_col, duplicates="keep")
    if end is None:
        end = clean[date_col].max()
    late = clean[date_col] > end
    if late.any():
        raise DataError(
            f"column {date_col!r} has {int(late.sum())} orders after the observation end "
            f"{end.date()}: filter the table first"
        )
    grouped = clean.groupby(customer_col, sort=True)
    out = pd.DataFrame(
        {
            "orders": grouped.size().astype(int),
            "recency_days": (end - grouped[date_col].max()).dt.days.astype(int),
            "tenure_days": (end - grouped[date_col].min()).dt.days.astype(int),
            "order_value": grouped[amount_col].mean().astype(float),
        }
    )
    if channel_col is not None:
        shares = pd.crosstab(clean[customer_col], clean[channel_col], normalize="index")
        shares.columns = [f"share_{c}" for c in shares.columns]
        out = out.join(shares)
    out.index.name = customer_col
    return out


# --------------------------------------------------------------------------- preparing the variables

#: Income bands of the demo company's customer table as ranks 1-5, so that
#: income can enter a distance (k-means needs numbers, not labels).
INCOME_RANKS = {"<5k": 1, "5k-10k": 2, "10k-20k": 3, "20k-40k": 4, ">40k": 5}


def segmentation_variables(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    observation_end: DateLike | None = None,
    customer_type: str = "B2C",
    customer_col: str = "customer_id",
    type_col: str = "customer_type",
    income_col: str = "income_band",
) -> pd.DataFrame:
    """Behavioural and demographic segmentation variables of the buyers of one customer type.

    One row per customer of ``customer_type`` who bought up to
    ``observation_end``: the behaviour of :func:`behaviour_features`
    (``orders``, ``recency_days``, ``tenure_days``, ``order_value``,
    ``share_<channel>``) joined with the demographics ``age``, ``gender``,
    ``income_rank`` (the income band as a rank, :data:`INCOME_RANKS`) and
    ``city_tier``. Business accounts (B2B) have no age or income, so they are
    split off first: an *a-priori* segmentation on a known variable.

    Parameters
    ----------
    orders : DataFrame
        One row per order: ``customer_id``, ``order_date``, ``revenue`` and ``channel``.
    customers : DataFrame
        One row per customer, indexed by customer id (or with a ``customer_col``
        column): ``customer_type``, ``age``, ``gender``, ``income_band`` and ``city_tier``.
    observation_end : date-like, optional
        Day recency and tenure are measured to (default: the last order date).
    customer_type : str
        The customers to keep (``"B2C"``: consumers).
    customer_col, type_col, income_col : str
        Column names.

    Returns
    -------
    DataFrame
        A new table indexed by customer id, behaviour columns first, then
        ``age``, ``gender``, ``income_rank`` and ``city_tier``. A demographic
        is NaN (or None) where the customer table has no value for it: business
        accounts have no age, gender or income, and a consumer may not have
        given them; :func:`standardize` refuses such gaps, so fill or drop them
        before clustering on that variable.

    Raises
    ------
    DataError
        Missing columns or bad orders (see :func:`behaviour_features`); a
        customer id that is missing or appears twice in the customer table; a
        customer without a type; no customer of ``customer_type``; an income band that
        :data:`INCOME_RANKS` does not know.

    Examples
    --------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "order_date": pd.to_datetime(
    ...     ["2024-01-01", "2024-01-11", "2024-01-21", "2024-01-25"]),
    ...     "revenue": [10.0, 30.0, 5.0, 90.0], "channel": ["web", "store", "web", "web"]})
    >>> c = pd.DataFrame({"customer_id": ["a", "b", "c"], "customer_type": ["B2C", "B2C", "B2B"],
    ...     "age": [30.0, 50.0, None], "gender": ["F", "M", None],
    ...     "income_band": ["5k-10k", ">40k", None], "city_tier": [1, 2, 1]})
    >>> v = segmentation_variables(o, c, observation_end="2024-01-31")
    >>> v[["orders", "recency_days", "order_value", "age", "income_rank"]]
                 orders  recency_days  order_value   age  income_rank
    customer_id
    a                 2            20         20.0  30.0            2
    b                 1            10          5.0  50.0            5
    """
    require_frame(orders, "orders")
    require_frame(customers, "customers")
    end = None if observation_end is None else to_date(observation_end, "observation_end")
    if customer_col in customers.columns:
        require_no_missing(customers, customer_col, "customer id")
        customers = customers.set_index(customer_col)
    elif customers.index.hasnans:
        raise DataError(
            f"customers has {int(customers.index.isna().sum())} rows without a customer id (a missing "
            "index label): drop them or fill the ids"
        )
    demographics = ["age", "gender", income_col, "city_tier"]
    require_columns(customers, [type_col, *demographics], "customers")
    require_unique_index(customers, "customers")
    require_no_missing(customers, type_col, "customer type")
    chosen = customers[customers[type_col] == customer_type]
    if chosen.empty:
        kinds = ", ".join(repr(k) for k in customers[type_col].unique())
        raise DataError(f"column {type_col!r} has no customer of type {customer_type!r}; it has {kinds}")
    bands = chosen[income_col]
    unknown = bands.notna() & ~bands.isin(list(INCOME_RANKS))
    if unknown.any():
        examples = ", ".join(repr(b) for b in bands[unknown].unique()[:3])
        raise DataError(
            f"column {income_col!r} has {int(unknown.sum())} income bands without a rank (e.g. {examples}; "
            f"{describe_rows(chosen.index[unknown])}): the known bands are {', '.join(INCOME_RANKS)}"
        )
    demographic = chosen.assign(income_rank=bands.map(INCOME_RANKS))[
        ["age", "gender", "income_rank", "city_tier"]
    ]
    behaviour = behaviour_features(orders, customer_col=customer_col, observation_end=end)
    out = behaviour.join(demographic, how="inner")
    out.index.name = customer_col
    return out


def criteria_variables(
    variables: pd.DataFrame,
    orders: pd.DataFrame,
    tickets: pd.DataFrame,
    *,
    campaign: str = "double11_2024",
    response_col: str = "responded_double11",
    customer_col: str = "customer_id",
    margin_col: str = "margin",
    channel_col: str = "channel",
    campaign_col: str = "campaign",
) -> pd.DataFrame:
    """Add what the three criteria of a segmentation are measured on, per customer.

    For each customer (row of ``variables``, indexed by customer id):

    * ``margin``: the sum of the margin of the customer's orders (profitability);
    * ``tickets``: the number of service tickets (0 if none; a cost to serve);
    * ``main_channel``: the channel of most of the customer's orders, ties to
      the first in alphabetical order (feasibility: where the firm reaches them);
    * ``response_col``: 1 if the customer bought in ``campaign``, else 0
      (differentiation in response to marketing).

    Parameters
    ----------
    variables : DataFrame
        One row per customer, indexed by customer id (e.g. from :func:`segmentation_variables`).
    orders : DataFrame
        One row per order: ``customer_id``, ``margin``, ``channel`` and ``campaign``
        (missing when the order belongs to no campaign).
    tickets : DataFrame
        One row per service ticket: ``customer_id`` (may have no rows).
    campaign : str
        The campaign whose response is recorded. A campaign no order belongs
        to gives a warning (every response is then 0).
    response_col : str
        Name of the 0/1 response column.
    customer_col, margin_col, channel_col, campaign_col : str
        Column names.

    Returns
    -------
    DataFrame
        A copy of ``variables`` with ``margin``, ``tickets``, ``main_channel``
        and ``response_col`` added.

    Raises
    ------
    DataError
        Missing columns; repeated customer ids in ``variables``; missing
        customer ids or channels in ``orders``, missing customer ids in
        ``tickets``; a non-numeric or missing margin; a customer of
        ``variables`` without any order.

    Warns
    -----
    UserWarning
        When no order belongs to ``campaign``.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"orders": [3, 1]}, index=pd.Index(["a", "b"], name="customer_id"))
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "margin": [5.0, 7.0, 1.0, 4.0],
    ...     "channel": ["app", "web", "app", "store"],
    ...     "campaign": [None, "double11_2024", None, None]})
    >>> t = pd.DataFrame({"customer_id": ["b", "b"]})
    >>> criteria_variables(v, o, t)
                 orders  margin  tickets main_channel  responded_double11
    customer_id
    a                 3    13.0        0          app                   1
    b                 1     4.0        2        store                   0
    """
    require_frame(variables, "variables")
    require_unique_index(variables, "variables")
    require_frame(orders, "orders")
    require_columns(orders, [customer_col, margin_col, channel_col, campaign_col], "orders")
    if not isinstance(tickets, pd.DataFrame):  # not require_frame: a table without tickets is fine
        raise DataError(f"tickets must be a pandas DataFrame, got {type(tickets).__name__}")
    require_columns(tickets, [customer_col], "tickets")
    require_no_missing(orders, customer_col, "customer id")
    require_no_missing(orders, channel_col, "channel")
    require_no_missing(tickets, customer_col, "customer id")
    margin = require_numeric(orders, margin_col).groupby(orders[customer_col]).sum()
    no_orders = ~variables.index.isin(margin.index)
    if no_orders.any():
        raise DataError(
            f"variables has {int(no_orders.sum())} customers without any order "
            f"({describe_rows(variables.index[no_orders])}): keep only buyers"
        )
    in_campaign = (orders[campaign_col] == campaign).to_numpy()
    if not in_campaign.any():
        known = ", ".join(repr(c) for c in orders[campaign_col].dropna().unique()[:5])
        warnings.warn(
            f"no order of column {campaign_col!r} belongs to campaign {campaign!r}, so every response "
            f"is 0; its campaigns are {known or 'none'}",
            UserWarning,
            stacklevel=2,
        )
    out = variables.copy()
    out["margin"] = margin.reindex(out.index)
    out["tickets"] = tickets.groupby(customer_col).size().reindex(out.index, fill_value=0)
    # crosstab sorts the channels, and idxmax takes the first of equal counts
    out["main_channel"] = (
        pd.crosstab(orders[customer_col], orders[channel_col]).idxmax(axis=1).reindex(out.index)
    )
    bought = orders.loc[in_campaign, customer_col].unique()
    out[response_col] = out.index.isin(bought).astype(int)
    return out
