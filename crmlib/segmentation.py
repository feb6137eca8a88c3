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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .transactions import daily_transactions
from .validation import (
    DataError,
    describe_rows,
    require_columns,
    require_frame,
    require_numeric,
    to_date,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .validation import DateLike

__all__ = [
    "RFM_SEGMENT_RULES",
    "RFM_SEGMENTS",
    "SATISFACTION_CELLS",
    "SATISFACTION_STRATEGIES",
    "LOYALTY_CELLS",
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
        Number of scores (5 for quintiles).
    tiebreak : array-like of numbers, optional
        Secondary key for equal ``values`` (higher tiebreak, higher score).
    higher_is_better : bool
        ``False`` for recency in days: the most recent get score ``bins``.

    Returns
    -------
    ndarray of int
        Scores in 1..bins, in the order of ``values``.

    Raises
    ------
    DataError
        Fewer values than bins, missing values, or bins < 2.

    Examples
    --------
    >>> quantile_scores([1, 1, 1, 1, 2, 5, 1, 1, 1, 3], bins=5).tolist()
    [1, 1, 2, 2, 4, 5, 3, 3, 4, 5]
    """
    x = np.asarray(values, dtype=float)
    if bins < 2:
        raise DataError(f"bins must be at least 2, got {bins}")
    if x.ndim != 1 or len(x) < bins:
        raise DataError(f"quantile scores need at least {bins} values (one per score), got {x.size}")
    if np.isnan(x).any():
        raise DataError(f"values has {int(np.isnan(x).sum())} missing values: drop or fill them first")
    sign = 1.0 if higher_is_better else -1.0
    keys = [np.arange(len(x))]
    if tiebreak is not None:
        tb = np.asarray(tiebreak, dtype=float)
        if tb.shape != x.shape:
            raise DataError(f"tiebreak has {tb.size} values but values has {x.size}")
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
        Number of score levels.
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
        Bad transactions, purchases after ``observation_end``, or fewer
        customers than ``bins``.

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
    daily = daily_transactions(transactions, customer_col, date_col, amount_col, duplicates)
    last_date = daily[date_col].max()
    end = last_date if observation_end is None else to_date(observation_end, "observation_end")
    late = daily[date_col] > end
    if late.any():
        raise DataError(
            f"column {date_col!r} has {int(late.sum())} purchases after the observation end "
            f"{end.date()}: filter the table to the period you want to score"
        )
    grouped = daily.groupby(customer_col, sort=True)
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
    """The segment map of :data:`RFM_SEGMENT_RULES` as a table: segment, R scores, F scores."""
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
        Missing columns, or scores outside 1-5.

    Examples
    --------
    >>> import pandas as pd
    >>> rfm_segments(pd.DataFrame({"R": [5, 1, 3], "F": [5, 5, 1]}))["rfm_segment"].tolist()
    ['champions', 'cant_lose_them', 'about_to_sleep']
    """
    require_frame(scores, "scores")
    require_columns(scores, [r_col, f_col], "scores")
    out = scores.copy()
    r = require_numeric(out, r_col).to_numpy()
    f = require_numeric(out, f_col).to_numpy()
    for col, v in ((r_col, r), (f_col, f)):
        bad = ~np.isin(v, [1, 2, 3, 4, 5])
        if bad.any():
            raise DataError(
                f"column {col!r} has {int(bad.sum())} values outside the scores 1-5 "
                f"({describe_rows(out.index[bad])}): score with rfm_scores(..., bins=5) first"
            )
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

    Returns columns ``customers``, ``share_customers``, ``value_per_customer``,
    ``total_value`` and ``share_value`` indexed by segment (in ``order`` or the
    categorical order; empty segments are kept with zeros).
    """
    require_frame(table, "table")
    require_columns(table, [segment_col, value_col], "table")
    value = require_numeric(table, value_col)
    groups = table[segment_col]
    if order is None and isinstance(groups.dtype, pd.CategoricalDtype):
        order = list(groups.cat.categories)
    grouped = value.groupby(groups, observed=False)
    out = pd.DataFrame({"customers": grouped.size(), "total_value": grouped.sum()})
    if order is not None:
        out = out.reindex(list(order), fill_value=0)
    out["share_customers"] = out["customers"] / out["customers"].sum()
    out["value_per_customer"] = (out["total_value"] / out["customers"].where(out["customers"] > 0)).fillna(
        0.0
    )
    out["share_value"] = out["total_value"] / out["total_value"].sum()
    out.index.name = segment_col
    return out[["customers", "share_customers", "value_per_customer", "total_value", "share_value"]]


# --------------------------------------------------------------------------- clustering


def standardize(data: pd.DataFrame, columns: Sequence[str], log_columns: Sequence[str] = ()) -> pd.DataFrame:
    """z-scores of ``columns`` (after log1p of ``log_columns``), so each counts equally in distances.

    z = (x - mean) / sd with the population sd. A skewed count or amount is
    better logged first: otherwise a few heavy buyers decide the clusters.

    Raises
    ------
    DataError
        Missing columns, non-numeric or missing values, a constant column,
        or negative values in a column to log.

    Examples
    --------
    >>> import pandas as pd
    >>> standardize(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), ["x"])["x"].round(3).tolist()
    [-1.225, 0.0, 1.225]
    """
    require_frame(data, "data")
    columns = list(columns)
    require_columns(data, columns, "data")
    out = pd.DataFrame(index=data.index)
    for col in columns:
        x = require_numeric(data, col)
        if col in log_columns:
            if (x < 0).any():
                raise DataError(f"column {col!r} has {int((x < 0).sum())} negative values: cannot log it")
            x = np.log1p(x)
        sd = x.std(ddof=0)
        if not sd > 0:
            raise DataError(f"column {col!r} is constant: it cannot separate segments, leave it out")
        out[col] = (x - x.mean()) / sd
    return out


def _kmeans(features: pd.DataFrame, k: int, seed: int):
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    if not isinstance(k, (int, np.integer)) or k < 2:
        raise DataError(f"the number of clusters must be an integer of at least 2, got {k!r}")
    if k >= len(features):
        raise DataError(f"cannot make {k} clusters from {len(features)} customers")
    # one BLAS thread: on small data the thread start-up costs far more than it saves,
    # and the result does not depend on the machine's core count
    with threadpool_limits(1):
        return KMeans(n_clusters=int(k), n_init=10, random_state=seed).fit(features.to_numpy(dtype=float))


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

    References
    ----------
    Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation
    and validation of cluster analysis. J. Comput. Appl. Math. 20, 53-65.
    """
    from sklearn.metrics import silhouette_score

    require_frame(features, "features")
    rows = []
    x = features.to_numpy(dtype=float)
    if np.isnan(x).any():
        raise DataError("features has missing values: standardize complete columns first")
    for k in ks:
        model = _kmeans(features, k, seed)
        size = None if sample_size is None or sample_size >= len(x) else sample_size
        sil = silhouette_score(x, model.labels_, sample_size=size, random_state=seed)
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
        Number of clusters, at least 2 and fewer than the rows.
    seed : int
        Seed of the k-means starts.

    Returns
    -------
    Series ``cluster`` (1 = largest cluster) on the index of ``features``.

    Raises
    ------
    DataError
        Missing values, or a k below 2 or not below the number of rows.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [0.0, 0.1, 0.2, 5.0, 5.1]}, index=list("pqrst"))
    >>> cluster(x, 2, seed=0).tolist()
    [1, 1, 1, 2, 2]
    """
    require_frame(features, "features")
    if features.isna().to_numpy().any():
        raise DataError("features has missing values: standardize complete columns first")
    labels = pd.Series(_kmeans(features, k, seed).labels_, index=features.index)
    sizes = labels.value_counts()
    renumber = {old: new for new, old in enumerate(sizes.index, start=1)}
    return labels.map(renumber).rename("cluster")


def cluster_profiles(data: pd.DataFrame, labels: pd.Series, columns: Sequence[str]) -> pd.DataFrame:
    """Mean of each column per cluster, with cluster sizes (original units, not z-scores)."""
    require_frame(data, "data")
    columns = list(columns)
    require_columns(data, columns, "data")
    numeric = pd.DataFrame({c: require_numeric(data, c) for c in columns})
    labels = pd.Series(labels).reindex(data.index)
    if labels.isna().any():
        raise DataError(f"labels has no cluster for {int(labels.isna().sum())} rows of data")
    profile = numeric.groupby(labels).mean()
    profile.insert(0, "customers", labels.value_counts().reindex(profile.index))
    profile.index.name = "cluster"
    return profile


def recovery(labels: pd.Series, truth: pd.Series) -> dict:
    """How well clusters recover known segments: adjusted Rand index and normalized mutual information.

    Both are 1 for a perfect recovery (up to renaming the clusters) and about 0
    for labels unrelated to the truth.

    References
    ----------
    Hubert, L., & Arabie, P. (1985). Comparing partitions. J. Classification 2, 193-218.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels, truth = pd.Series(labels), pd.Series(truth)
    common = labels.index.intersection(truth.index)
    if len(common) == 0:
        raise DataError("labels and truth share no index values: align them by customer id")
    a, b = labels.loc[common], truth.loc[common]
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
    it compares response rates. p is the one-way ANOVA p-value.

    Returns a table indexed by variable: ``eta_squared``, ``F``, ``p_value``,
    and ``min_mean`` / ``max_mean`` over the segments.
    """
    from scipy import stats

    require_frame(table, "table")
    variables = list(variables)
    require_columns(table, [segment_col, *variables], "table")
    groups = table[segment_col]
    if groups.isna().any():
        raise DataError(f"column {segment_col!r} has {int(groups.isna().sum())} missing segments")
    if groups.nunique() < 2:
        raise DataError(f"column {segment_col!r} has only one segment: nothing to differentiate")
    rows = {}
    for var in variables:
        x = require_numeric(table, var)
        means = x.groupby(groups).mean()
        counts = x.groupby(groups).size()
        total = ((x - x.mean()) ** 2).sum()
        between = (counts * (means - x.mean()) ** 2).sum()
        k, n = len(means), len(x)
        within = total - between
        with np.errstate(divide="ignore", invalid="ignore"):
            f = (between / (k - 1)) / (within / (n - k)) if n > k else np.nan
        p = (
            float(stats.f.sf(f, k - 1, n - k))
            if np.isfinite(f)
            else (0.0 if within == 0 and between > 0 else np.nan)
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
    """
    require_frame(table, "table")
    require_columns(table, [segment_col, margin_col, cost_col], "table")
    margin = require_numeric(table, margin_col)
    cost = require_numeric(table, cost_col)
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

    Returns ``customers``, ``share``, ``main_channel``, ``reach`` (share of the
    segment whose channel is the main one) and ``feasible``.
    """
    require_frame(table, "table")
    require_columns(table, [segment_col, channel_col], "table")
    if not 0 < min_reach <= 1:
        raise DataError(f"min_reach must be a share between 0 and 1, got {min_reach}")
    missing = table[channel_col].isna()
    if missing.any():
        raise DataError(
            f"column {channel_col!r} has {int(missing.sum())} missing channels "
            f"({describe_rows(table.index[missing])}): fill them (e.g. 'unknown') first"
        )
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
    require_frame(table, "table")
    require_columns(table, [x_col, y_col], "table")
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

    Returns a copy with a categorical column ``satisfaction_cell`` (keys of
    :data:`SATISFACTION_CELLS`); :data:`SATISFACTION_STRATEGIES` gives the
    strategy per cell.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"sat_product": [6, 6, 2, 2], "sat_relationship": [6, 2, 6, 2]})
    >>> satisfaction_matrix(s)["satisfaction_cell"].tolist()
    ['loyal_customer', 'vulnerable_customer', 'potential_type_customer', 'negative_customer']
    """
    return _two_by_two(
        survey,
        relationship_col,
        product_col,
        threshold,
        threshold,
        ("loyal_customer", "vulnerable_customer", "potential_type_customer", "negative_customer"),
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
    high patronage only: spurious loyalty; neither: no loyalty. Returns a copy
    with a categorical column ``loyalty_cell`` (keys of :data:`LOYALTY_CELLS`).

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
    return _two_by_two(
        table,
        patronage_col,
        attitude_col,
        patronage_threshold,
        attitude_threshold,
        ("true_loyalty", "latent_loyalty", "spurious_loyalty", "no_loyalty"),
        "loyalty_cell",
    )


def matrix_counts(table: pd.DataFrame, cell_col: str) -> pd.DataFrame:
    """Respondents and share per cell of a 2 x 2 matrix (all four cells, in their order)."""
    require_frame(table, "table")
    require_columns(table, [cell_col], "table")
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
    """The 5 x 5 map of recency x frequency scores: customers per cell, coloured by segment."""
    from matplotlib.colors import ListedColormap

    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_columns(segmented, ["R", "F", "rfm_segment"], "segmented")
    if ax is None:
        _, ax = new_figure()
    counts = pd.crosstab(segmented["R"], segmented["F"]).reindex(
        index=range(1, 6), columns=range(1, 6), fill_value=0
    )
    colours = (PALETTE * 2)[: len(RFM_SEGMENTS)]
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
        alpha=0.35,
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
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    criteria = {"inertia": ("within_cluster_ss", 0), "silhouette": ("silhouette", 1)}
    if criterion not in criteria:
        raise DataError(f"criterion must be 'inertia' or 'silhouette', got {criterion!r}")
    require_columns(table, ["k", criterion], "table")
    if ax is None:
        _, ax = new_figure()
    label, colour = criteria[criterion]
    ax.plot(table["k"], table[criterion], marker="o", color=PALETTE[colour])
    ax.set_xlabel(term("number_of_clusters"))
    ax.set_ylabel(term(label))
    top = float(table[criterion].max())
    ax.set_ylim(0, 1.05 * top if criterion == "inertia" else max(0.25, 1.15 * top))
    return finish(ax, title, source)


def plot_segment_shares(
    summary: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Share of customers against share of value per segment (bars side by side)."""
    from .glossary import UnknownTermError, term
    from .plots import PALETTE, finish, new_figure

    require_columns(summary, ["share_customers", "share_value"], "summary")
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
        100 * summary["share_customers"],
        height=0.4,
        color=PALETTE[0],
        label=term("share_of_customers"),
    )
    ax.barh(
        pos - 0.2, 100 * summary["share_value"], height=0.4, color=PALETTE[1], label=term("share_of_value")
    )
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
    """
    from matplotlib.patches import Rectangle

    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_columns(counts, ["customers", "share"], "counts")
    if len(counts) != 4:
        raise DataError(f"counts must have the 4 cells of a 2 x 2 matrix, got {len(counts)} rows")
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
            f"{int(row['customers']):,} ({100 * row['share']:.1f} %)",
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
    ax.set_xlabel(term(x_label))
    ax.set_ylabel(term(y_label))
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

    clean = validate_transactions(orders, customer_col, date_col, amount_col, duplicates="keep")
    if channel_col is not None:
        require_columns(clean, [channel_col], "orders")
    end = clean[date_col].max() if observation_end is None else to_date(observation_end, "observation_end")
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
        ``age``, ``gender``, ``income_rank`` and ``city_tier``.

    Raises
    ------
    DataError
        Missing columns, no customer of ``customer_type``, or an income band
        that :data:`INCOME_RANKS` does not know.

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
    require_frame(customers, "customers")
    if customer_col in customers.columns:
        customers = customers.set_index(customer_col)
    demographics = ["age", "gender", income_col, "city_tier"]
    require_columns(customers, [type_col, *demographics], "customers")
    chosen = customers[customers[type_col] == customer_type]
    if chosen.empty:
        kinds = ", ".join(repr(k) for k in customers[type_col].dropna().unique())
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
    behaviour = behaviour_features(orders, customer_col=customer_col, observation_end=observation_end)
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
        One row per order: ``customer_id``, ``margin``, ``channel`` and ``campaign``.
    tickets : DataFrame
        One row per service ticket: ``customer_id``.
    campaign : str
        The campaign whose response is recorded.
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
        Missing columns, a non-numeric margin, or a customer of ``variables``
        without any order.

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
    require_frame(orders, "orders")
    require_columns(orders, [customer_col, margin_col, channel_col, campaign_col], "orders")
    if not isinstance(tickets, pd.DataFrame):
        raise DataError(f"tickets must be a pandas DataFrame, got {type(tickets).__name__}")
    require_columns(tickets, [customer_col], "tickets")
    margin = require_numeric(orders, margin_col).groupby(orders[customer_col]).sum()
    no_orders = ~variables.index.isin(margin.index)
    if no_orders.any():
        raise DataError(
            f"variables has {int(no_orders.sum())} customers without any order "
            f"({describe_rows(variables.index[no_orders])}): keep only buyers"
        )
    out = variables.copy()
    out["margin"] = margin.reindex(out.index)
    out["tickets"] = tickets.groupby(customer_col).size().reindex(out.index, fill_value=0)
    # crosstab sorts the channels, and idxmax takes the first of equal counts
    out["main_channel"] = (
        pd.crosstab(orders[customer_col], orders[channel_col]).idxmax(axis=1).reindex(out.index)
    )
    bought = orders.loc[orders[campaign_col] == campaign, customer_col].unique()
    out[response_col] = out.index.isin(bought).astype(int)
    return out
