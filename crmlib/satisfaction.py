"""Customer satisfaction (客户满意) and loyalty (客户忠诚) read from survey and behaviour data.

* **Gaps.** Satisfaction is perceived performance against expectation: the
  mean perception - expectation gap per service attribute, with its
  confidence interval (:func:`attribute_gaps`).
* **Importance-performance analysis** (Martilla & James 1977): importance
  derived from the data as the correlation (or standardized regression
  weight) of each attribute with overall satisfaction, against its mean
  performance (:func:`derived_importance`, :func:`importance_performance`,
  :func:`plot_ipa`).
* **Online drivers** (《网络营销》精品课程，第8章 客户关系管理): the survey
  attributes mapped onto system quality, information quality, reliability
  and humanity of service (:func:`online_drivers`), for the respondents who
  buy mainly online (:func:`online_share_before`).
* **Does satisfaction pay?** Later behaviour by satisfaction level, with
  Wilson intervals (:func:`orders_after`, :func:`survey_outcomes`,
  :func:`satisfaction_group`, :func:`rate_by_level`).
* **Net promoter score** with its standard error (:func:`nps`,
  :func:`recommender_group`).
* **Complaints.** Whether a customer buys again after a complaint, by how
  the complaint was resolved (:func:`complaint_outcomes`), against the same
  question after any order (:func:`order_outcomes`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .validation import (
    DataError,
    describe_rows,
    require_choice,
    require_columns,
    require_count,
    require_flag,
    require_frame,
    require_no_missing,
    require_number,
    require_numeric,
    require_text,
    to_date,
    to_datetime_column,
    to_numbers,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .validation import DateLike

__all__ = [
    "ATTRIBUTES",
    "LIKERT_SCALE",
    "MAX_WINDOW_DAYS",
    "QUADRANTS",
    "attribute_gaps",
    "derived_importance",
    "importance_performance",
    "ONLINE_DRIVERS",
    "online_drivers",
    "NPSResult",
    "nps",
    "SATISFACTION_GROUPS",
    "satisfaction_group",
    "RECOMMENDER_GROUPS",
    "recommender_group",
    "orders_after",
    "orders_before",
    "survey_outcomes",
    "ONLINE_CHANNELS",
    "online_share_before",
    "rate_by_level",
    "complaint_outcomes",
    "order_outcomes",
    "plot_gaps",
    "plot_ipa",
    "plot_rate_by_level",
]

#: The service attributes of the demo survey (columns exp_<a> and perc_<a>).
ATTRIBUTES = ("product_quality", "delivery_speed", "responsiveness", "personalization", "care")
#: Quadrants of the importance-performance chart (glossary keys).
QUADRANTS = ("concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill")
#: The four drivers of online service quality (《网络营销》精品课程，第8章 客户关系管理; glossary
#: keys) and the demo survey attributes closest to each. An empty tuple: the survey did not ask about that driver.
ONLINE_DRIVERS = {
    "system_quality": (),
    "information_quality": (),
    "reliability": ("delivery_speed",),
    "humanity_of_service": ("responsiveness", "personalization", "care"),
}
#: Groups of overall satisfaction on its 1-7 scale (glossary keys): low 1-3, medium 4-5, high 6-7.
SATISFACTION_GROUPS = ("sat_low", "sat_medium", "sat_high")
#: The three groups of the 0-10 recommend question (glossary keys): 0-6, 7-8, 9-10 (Reichheld 2003).
RECOMMENDER_GROUPS = ("detractor", "passive", "promoter")
#: Order channels of the demo company that are online.
ONLINE_CHANNELS = ("app", "web")
#: The answer scale of the survey's expectation, perception and satisfaction questions
#: (lowest, highest): a 1-7 Likert scale in the demo company. Answers outside it are refused.
LIKERT_SCALE = (1, 7)
#: The longest window after or before an event, in days (100 years): far beyond any survey or
#: complaint, and short enough for dates to stay within pandas' calendar.
MAX_WINDOW_DAYS = 36_500


def _z(level: float) -> float:
    """The normal quantile of a two-sided ``level`` interval; ``level`` strictly between 0 and 1."""
    from scipy import stats

    level = require_number(level, "level", low=0, high=1, low_open=True, high_open=True)
    return float(stats.norm.ppf(0.5 + level / 2))


def _names(values: object, name: str, what: str, *, allow_empty: bool = False) -> list:
    """Names given as a list (attributes, channels): one text alone is a list of one."""
    if isinstance(values, str):
        return [values]
    if (
        values is None
        or isinstance(values, (bytes, Mapping, pd.DataFrame))
        or not isinstance(values, Iterable)
    ):
        raise DataError(f"{name} must be a list of {what}, such as ['care'], got {values!r}")
    listed = list(values)
    if not listed and not allow_empty:
        raise DataError(f"{name} is empty: give at least one of the {what}")
    bad = [v for v in listed if not isinstance(v, str)]
    if bad:
        raise DataError(f"{name} must hold {what} (texts), got {bad[0]!r}")
    repeated = sorted({v for v in listed if listed.count(v) > 1})
    if repeated:
        raise DataError(f"{name} names {', '.join(repr(v) for v in repeated)} more than once: name each once")
    return listed


def _scale(scale: object) -> tuple[float, float] | None:
    """The answer scale argument: None (any numbers) or a pair (lowest, highest)."""
    if scale is None:
        return None
    pair = to_numbers(scale, "scale")
    if len(pair) != 2 or pair[0] >= pair[1]:
        raise DataError(
            f"scale must be a pair (lowest, highest answer) such as (1, 7), or None for any numbers; got {scale!r}"
        )
    return float(pair[0]), float(pair[1])


def _answers(survey: pd.DataFrame, column: str, scale: tuple[float, float] | None) -> np.ndarray:
    """A survey column as an array of floats: numbers, no missing answers, on the answer ``scale``."""
    values = require_numeric(survey, column).to_numpy()
    if scale is not None:
        low, high = scale
        try:
            to_numbers(values.tolist(), f"column {column!r}", low=low, high=high)
        except DataError as error:
            raise DataError(
                f"{error}: the answers are on a {low:g}-{high:g} scale; fix the answer, or pass "
                "scale=(lowest, highest) for another scale"
            ) from None
    return values


def _scores(scores: object, name: str, low: int, high: int, question: str) -> pd.Series:
    """Answers given as a list or Series: whole numbers from ``low`` to ``high``, as floats
    on the index of ``scores`` (a new Series)."""
    # plain Python numbers, so that a message shows 11.0 rather than np.float64(11.0)
    plain = scores.tolist() if isinstance(scores, (pd.Series, np.ndarray)) else scores
    try:
        x = to_numbers(plain, name, low=low, high=high, integer=True)
    except DataError as error:
        raise DataError(f"{error}: {question} is answered with whole numbers from {low} to {high}") from None
    index = scores.index if isinstance(scores, pd.Series) else None
    return pd.Series(x, index=index)


def _glossary_key(value: object, name: str) -> str:
    """A glossary key given as an argument (an axis label): a text the glossary knows."""
    from .glossary import term

    if not isinstance(value, str):
        raise DataError(f"{name} must be a glossary key such as 'satisfaction_group', got {value!r}")
    term(value)  # UnknownTermError (a DataError) for a key the glossary does not know
    return value


def _customer_ids(left: pd.DataFrame, right: pd.DataFrame, column: str, names: tuple[str, str]) -> None:
    """Customer ids that can be matched: none missing, and of one kind (numbers or texts) in both tables."""
    require_no_missing(left, column, "customer id")
    require_no_missing(right, column, "customer id")
    kinds = [pd.api.types.is_numeric_dtype(t[column]) for t in (left, right)]
    if kinds[0] != kinds[1]:
        numbers, texts = names if kinds[0] else names[::-1]
        raise DataError(
            f"column {column!r} holds numbers in {numbers} but not in {texts}: no customer would match; "
            f"give both the same kind of id, e.g. {numbers}[{column!r}].astype(str)"
        )


def attribute_gaps(
    survey: pd.DataFrame,
    attributes: Sequence[str] = ATTRIBUTES,
    exp_prefix: str = "exp_",
    perc_prefix: str = "perc_",
    level: float = 0.95,
    scale: tuple[float, float] | None = LIKERT_SCALE,
) -> pd.DataFrame:
    """Mean expectation, perception and gap (perception - expectation) per attribute.

    gap_i = perc_i - exp_i for each respondent; the table gives the mean gap,
    its standard error sd / sqrt(n) (a paired comparison), the normal
    ``level`` interval, and the share of respondents whose perception fell
    short of their expectation. A negative gap is a disappointment.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent with ``exp_<a>`` and ``perc_<a>`` for each attribute.
    attributes : list of str
        The attributes (one name alone is a list of one); default :data:`ATTRIBUTES`.
    exp_prefix, perc_prefix : str
        The prefixes of the expectation and perception columns.
    level : float
        The level of the interval, strictly between 0 and 1.
    scale : (float, float) or None
        The answer scale (lowest, highest); default :data:`LIKERT_SCALE`, 1-7. ``None``
        accepts any numbers (e.g. answers already averaged or rescaled).

    Returns
    -------
    DataFrame
        Indexed by attribute: ``expectation``, ``perception``, ``gap``, ``se``,
        ``ci_low``, ``ci_high``, ``share_below``. With a single respondent ``se``,
        ``ci_low`` and ``ci_high`` are NaN (a standard error needs two answers) and a
        ``UserWarning`` says so.

    Raises
    ------
    DataError
        A survey that is not a table or has no rows, missing columns, answers that are
        missing, not numbers or outside ``scale``, an empty or repeated ``attributes``,
        or a ``level`` not between 0 and 1.

    References
    ----------
    Oliver, R. L. (1980). A cognitive model of the antecedents and consequences
    of satisfaction decisions. J. Marketing Research 17(4), 460-469.
    Parasuraman, A., Zeithaml, V. A., & Berry, L. L. (1988). SERVQUAL. J. Retailing 64(1), 12-40.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"exp_speed": [6, 6, 5, 7], "perc_speed": [4, 5, 5, 6]})
    >>> attribute_gaps(s, ["speed"])[["expectation", "perception", "gap", "share_below"]]
               expectation  perception   gap  share_below
    attribute
    speed              6.0         5.0 -1.0         0.75
    """
    require_frame(survey, "survey")
    attributes = _names(attributes, "attributes", "attribute names")
    z = _z(level)
    scale = _scale(scale)
    columns = [f"{p}{a}" for a in attributes for p in (exp_prefix, perc_prefix)]
    require_columns(survey, columns, "survey")
    answers = {c: _answers(survey, c, scale) for c in columns}
    if len(survey) == 1:
        warnings.warn(
            "survey has a single respondent: the standard errors and intervals of the gaps are NaN "
            "(a standard error needs two answers)",
            UserWarning,
            stacklevel=2,
        )
    rows = {}
    for a in attributes:
        e, p = answers[f"{exp_prefix}{a}"], answers[f"{perc_prefix}{a}"]
        gap = p - e
        se = float(gap.std(ddof=1) / np.sqrt(len(gap))) if len(gap) > 1 else np.nan
        rows[a] = {
            "expectation": float(e.mean()),
            "perception": float(p.mean()),
            "gap": float(gap.mean()),
            "se": se,
            "ci_low": float(gap.mean() - z * se),
            "ci_high": float(gap.mean() + z * se),
            "share_below": float((gap < 0).mean()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "attribute"
    return out


def derived_importance(
    survey: pd.DataFrame,
    attributes: Sequence[str] = ATTRIBUTES,
    outcome: str = "overall_satisfaction",
    perc_prefix: str = "perc_",
    scale: tuple[float, float] | None = LIKERT_SCALE,
) -> pd.DataFrame:
    """Importance of each attribute derived from the data, two ways.

    * ``correlation``: Pearson correlation of the attribute's perceived
      performance with the outcome;
    * ``weight``: standardized coefficient of a multiple regression of the
      outcome on all attributes (z-scores), which separates attributes that
      merely move together from those that drive the outcome.

    Stated importance ("how important is X to you?") is not used: customers
    call everything important.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent with ``perc_<a>`` for each attribute and ``outcome``.
    attributes : list of str
        The attributes (one name alone is a list of one); default :data:`ATTRIBUTES`.
    outcome : str
        The column of overall satisfaction.
    perc_prefix : str
        The prefix of the perception columns.
    scale : (float, float) or None
        The answer scale (lowest, highest) of the perceptions and the outcome; default
        :data:`LIKERT_SCALE`, 1-7. ``None`` accepts any numbers.

    Returns
    -------
    DataFrame
        Indexed by attribute: ``correlation`` and ``weight``. An attribute every
        respondent rated the same (a constant column) has no variation to relate to
        the outcome: its ``correlation`` and ``weight`` are NaN, a ``UserWarning``
        names it, and the regression uses the other attributes.

    Raises
    ------
    DataError
        A survey that is not a table or has fewer than two respondents, missing
        columns, answers that are missing, not numbers or outside ``scale``, a
        constant outcome (nothing to explain), or attributes whose weights the data
        cannot separate (fewer respondents than attributes, or one attribute a
        weighted sum of others, e.g. a copy).
    """
    require_frame(survey, "survey")
    attributes = _names(attributes, "attributes", "attribute names")
    scale = _scale(scale)
    columns = [f"{perc_prefix}{a}" for a in attributes]
    require_columns(survey, [*columns, outcome], "survey")
    x = pd.DataFrame({a: _answers(survey, c, scale) for a, c in zip(attributes, columns, strict=True)})
    y = _answers(survey, outcome, scale)
    if len(survey) < 2:
        raise DataError(
            "survey has a single respondent: importance is derived from how answers vary "
            "across respondents; it needs several"
        )
    if y.min() == y.max():
        raise DataError(
            f"column {outcome!r} is constant (every respondent answered {y[0]:g}): there is no "
            "variation in it for the attributes to explain"
        )
    constant = [a for a in attributes if x[a].min() == x[a].max()]
    if constant:
        shown = ", ".join(repr(f"{perc_prefix}{a}") for a in constant)
        warnings.warn(
            f"every respondent gave the same answer in column {shown}: the importance of "
            f"{'this attribute' if len(constant) == 1 else 'these attributes'} is undefined "
            "(NaN correlation and weight); the regression uses the other attributes",
            UserWarning,
            stacklevel=2,
        )
    varying = [a for a in attributes if a not in constant]
    correlation = pd.Series(np.nan, index=attributes)
    weight = pd.Series(np.nan, index=attributes)
    if varying:
        xv = x[varying]
        zx = (xv - xv.mean()) / xv.std(ddof=0)
        zy = (y - y.mean()) / y.std(ddof=0)
        rank = np.linalg.matrix_rank(zx.to_numpy())
        if rank < len(varying):
            if len(survey) <= len(varying):
                reason = (
                    f"survey has {len(survey)} respondents for {len(varying)} attributes: a regression "
                    "needs more respondents than attributes"
                )
            else:
                reason = (
                    "the perceptions of some attributes are a weighted sum of others (e.g. a copy of a "
                    "column): their separate effects cannot be told apart; leave one of them out"
                )
            raise DataError(f"the regression weights of the attributes are undefined: {reason}")
        weights, *_ = np.linalg.lstsq(zx.to_numpy(), zy, rcond=None)
        correlation[varying] = xv.corrwith(pd.Series(y, index=xv.index)).to_numpy()
        weight[varying] = weights
    out = pd.DataFrame({"correlation": correlation, "weight": weight}, index=attributes)
    out.index.name = "attribute"
    return out


def importance_performance(
    survey: pd.DataFrame,
    attributes: Sequence[str] = ATTRIBUTES,
    outcome: str = "overall_satisfaction",
    perc_prefix: str = "perc_",
    importance: str = "weight",
    performance: str = "perception",
    exp_prefix: str = "exp_",
    scale: tuple[float, float] | None = LIKERT_SCALE,
) -> pd.DataFrame:
    """Importance-performance table: importance, performance and quadrant of each attribute.

    Performance is the mean perceived performance (``performance="perception"``,
    the original chart) or the mean gap perception - expectation
    (``performance="gap"``: performance judged against what customers
    expected, which is what satisfaction is); importance is
    ``"weight"`` or ``"correlation"`` from :func:`derived_importance`. The
    cross-hairs are the means over the attributes, giving four quadrants
    (Martilla & James 1977): *concentrate here* (important, performing
    below average), *keep up the good work* (important, above average),
    *low priority* (unimportant, below average) and *possible overkill*
    (unimportant, above average).

    Parameters
    ----------
    survey, attributes, outcome, perc_prefix, exp_prefix, scale
        As in :func:`derived_importance` and :func:`attribute_gaps`.
    importance : {"weight", "correlation"}
    performance : {"perception", "gap"}

    Returns
    -------
    DataFrame
        Indexed by attribute: ``importance``, ``performance`` and ``quadrant`` (a
        key of :data:`QUADRANTS`). An attribute whose importance is undefined (every
        respondent gave it the same answer, see :func:`derived_importance`) has
        ``importance`` NaN and ``quadrant`` None, and the cross-hairs are the means
        over the other attributes.

    Raises
    ------
    DataError
        ``importance`` or ``performance`` not one of the choices, and the errors of
        :func:`derived_importance` and :func:`attribute_gaps`.

    References
    ----------
    Martilla, J. A., & James, J. C. (1977). Importance-performance analysis.
    J. Marketing 41(1), 77-79.
    """
    require_choice(importance, "importance", ("weight", "correlation"))
    require_choice(performance, "performance", ("perception", "gap"))
    derived = derived_importance(survey, attributes, outcome, perc_prefix, scale)
    if performance == "gap":
        perf = attribute_gaps(survey, list(derived.index), exp_prefix, perc_prefix, scale=scale)["gap"]
    else:
        perf = pd.Series(
            {a: float(_answers(survey, f"{perc_prefix}{a}", _scale(scale)).mean()) for a in derived.index}
        )
    out = pd.DataFrame({"importance": derived[importance], "performance": perf})
    defined = out["importance"].notna()
    high_imp = out["importance"] >= out.loc[defined, "importance"].mean()
    high_perf = out["performance"] >= out.loc[defined, "performance"].mean()
    quadrant = np.select(
        [high_imp & ~high_perf, high_imp & high_perf, ~high_imp & ~high_perf],
        list(QUADRANTS[:3]),
        default=QUADRANTS[3],
    ).astype(object)
    quadrant[~defined.to_numpy()] = None
    out["quadrant"] = quadrant
    out.index.name = "attribute"
    return out


def online_drivers(
    survey: pd.DataFrame,
    mapping: Mapping[str, Sequence[str]] | None = None,
    attributes: Sequence[str] = ATTRIBUTES,
    outcome: str = "overall_satisfaction",
    perc_prefix: str = "perc_",
    exp_prefix: str = "exp_",
    scale: tuple[float, float] | None = LIKERT_SCALE,
) -> pd.DataFrame:
    """The online service-quality drivers, each measured by the survey attributes mapped onto it.

    For each driver d with mapped attributes A(d):

    * ``weight`` = sum over a in A(d) of w_a, with w_a the standardized
      regression weights of :func:`derived_importance` (regression on all
      ``attributes``): the change of overall satisfaction, in standard
      deviations, when every attribute of the driver rises by one standard
      deviation and the others stay fixed;
    * ``gap`` = mean over a in A(d) of the mean gap perception - expectation
      (:func:`attribute_gaps`).

    A driver with no mapped attribute was not measured: ``measured`` is False
    and ``weight`` and ``gap`` are NaN, never a guess. A driver with an
    attribute whose importance is undefined (every respondent gave it the same
    answer, see :func:`derived_importance`) has ``weight`` NaN. Attributes
    mapped to no driver (the product itself) are left out of the table but stay
    in the regression.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent with ``perc_<a>``, ``exp_<a>`` and ``outcome``.
    mapping : dict, optional
        Driver -> tuple of attributes (one name alone is a tuple of one);
        default :data:`ONLINE_DRIVERS`.
    attributes, outcome, perc_prefix, exp_prefix, scale
        As in :func:`derived_importance` and :func:`attribute_gaps`.

    Returns
    -------
    DataFrame indexed by driver: ``attributes`` (comma-separated),
    ``measured``, ``weight``, ``gap``.

    Raises
    ------
    DataError
        A mapping that is not a dict of attribute names, a mapped attribute
        that is not among ``attributes``, and the errors of
        :func:`derived_importance` and :func:`attribute_gaps`.

    References
    ----------
    《网络营销》精品课程，第8章 客户关系管理 (online-marketing course, ch. 8
    "Customer relationship management"; 在线服务质量、客户满意度、客户保留意向之间的关系):
    system quality, information quality, reliability and humanity of the
    online service raise satisfaction, which raises the intention to stay.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(1, 8, size=(200, 2))
    >>> s = pd.DataFrame({"perc_speed": x[:, 0], "exp_speed": 5, "perc_staff": x[:, 1], "exp_staff": 4,
    ...                   "overall_satisfaction": x[:, 0]})
    >>> t = online_drivers(s, {"reliability": ("speed",), "system_quality": ()}, ("speed", "staff"))
    >>> t[["measured", "weight"]].round(2)
                   measured  weight
    driver
    reliability        True     1.0
    system_quality    False     NaN
    """
    mapping = ONLINE_DRIVERS if mapping is None else mapping
    if not isinstance(mapping, Mapping) or not mapping:
        raise DataError(
            "mapping must be a dict of drivers and their attributes, such as "
            f"{{'reliability': ('delivery_speed',)}}; got {mapping!r}"
        )
    mapping = {
        driver: _names(mapped, f"mapping[{driver!r}]", "attribute names", allow_empty=True)
        for driver, mapped in mapping.items()
    }
    attributes = _names(attributes, "attributes", "attribute names")
    unknown = sorted({a for mapped in mapping.values() for a in mapped} - set(attributes))
    if unknown:
        raise DataError(
            f"mapping names attributes {unknown} that are not among the survey attributes "
            f"{attributes}: add them to attributes or fix the mapping"
        )
    weights = derived_importance(survey, attributes, outcome, perc_prefix, scale)["weight"]
    gaps = attribute_gaps(survey, attributes, exp_prefix, perc_prefix, scale=scale)["gap"]
    rows = {
        driver: {
            "attributes": ", ".join(mapped),
            "measured": bool(mapped),
            "weight": float(weights[mapped].sum(skipna=False)) if mapped else np.nan,
            "gap": float(gaps[mapped].mean()) if mapped else np.nan,
        }
        for driver, mapped in mapping.items()
    }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "driver"
    return out


@dataclass(frozen=True)
class NPSResult:
    """A net promoter score with its uncertainty (score and interval in points, -100..100)."""

    n: int
    promoters: float
    passives: float
    detractors: float
    score: float
    se: float
    ci_low: float
    ci_high: float


def nps(scores: ArrayLike, level: float = 0.95) -> NPSResult:
    """Net promoter score: % promoters (9-10) minus % detractors (0-6), with a standard error.

    With p and d the shares of promoters and detractors among n respondents,
    NPS = 100 (p - d) and, because each respondent is a draw of +1, 0 or -1,

        Var(p - d) = (p + d - (p - d)^2) / n,

    so se = 100 sqrt(Var). The interval is normal: NPS +/- z se.

    Parameters
    ----------
    scores : list, array or Series
        Answers to the recommend question, whole numbers from 0 to 10.
    level : float
        The level of the interval, strictly between 0 and 1.

    Returns
    -------
    NPSResult
        With a single answer ``se``, ``ci_low`` and ``ci_high`` are NaN (a
        standard error needs two answers) and a ``UserWarning`` says so.

    Raises
    ------
    DataError
        No answers, missing answers, values that are not numbers or not whole
        numbers from 0 to 10, or a ``level`` not between 0 and 1.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12), 46-54.

    Examples
    --------
    >>> r = nps([10, 9, 8, 7, 6, 0, 10, 10])
    >>> r.score, round(r.se, 1)
    (25.0, 29.3)
    """
    z = _z(level)
    x = _scores(scores, "scores", 0, 10, "the recommend question")
    n = len(x)
    p = float((x >= 9).mean())
    d = float((x <= 6).mean())
    if n == 1:
        warnings.warn(
            "scores holds a single answer: the standard error and interval of the NPS are NaN "
            "(a standard error needs two answers)",
            UserWarning,
            stacklevel=2,
        )
        se = np.nan
    else:
        se = 100 * np.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    score = 100 * (p - d)
    return NPSResult(
        n=n,
        promoters=p,
        passives=1 - p - d,
        detractors=d,
        score=score,
        se=float(se),
        ci_low=float(score - z * se),
        ci_high=float(score + z * se),
    )


def _day_numbers(dates: pd.Series | pd.Timestamp) -> np.ndarray | int:
    """Dates as whole day numbers (days since 1970-01-01, the time of day dropped), so that
    windows are sums of integers that cannot run off pandas' calendar."""
    if isinstance(dates, pd.Timestamp):
        return int(np.datetime64(dates, "D").astype(np.int64))
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def _order_counts(
    events: pd.DataFrame,
    orders: pd.DataFrame,
    event_date_col: str,
    customer_col: str,
    order_date_col: str,
    after: bool,
    window_days: int | None,
) -> pd.Series:
    """Per event row, the number of the customer's orders after (or before) the event's day.

    After: event_day < d (<= event_day + window_days). Before: event_day -
    window_days <= d < event_day. A merge of events and orders on the customer,
    so no loop over customers.
    """
    require_frame(events, "events")
    require_frame(orders, "orders")
    require_columns(events, [customer_col, event_date_col], "events")
    require_columns(orders, [customer_col, order_date_col], "orders")
    if window_days is not None or not after:  # orders before an event always count within a window
        window_days = require_count(window_days, "window_days", low=1, high=MAX_WINDOW_DAYS)
    _customer_ids(events, orders, customer_col, ("events", "orders"))
    left = pd.DataFrame(
        {
            "_row": np.arange(len(events)),
            customer_col: events[customer_col].to_numpy(),
            "_event": _day_numbers(to_datetime_column(events, event_date_col)),
        }
    )
    right = pd.DataFrame(
        {
            customer_col: orders[customer_col].to_numpy(),
            "_order": _day_numbers(to_datetime_column(orders, order_date_col)),
        }
    )
    pairs = left.merge(right, on=customer_col)
    if after:
        inside = pairs["_order"] > pairs["_event"]
        if window_days is not None:
            inside &= pairs["_order"] <= pairs["_event"] + window_days
    else:
        inside = (pairs["_order"] < pairs["_event"]) & (pairs["_order"] >= pairs["_event"] - window_days)
    counts = pairs.loc[inside].groupby("_row").size().reindex(np.arange(len(events)), fill_value=0)
    return counts.to_numpy().astype(int)


def orders_after(
    events: pd.DataFrame,
    orders: pd.DataFrame,
    event_date_col: str,
    customer_col: str = "customer_id",
    order_date_col: str = "order_date",
    window_days: int | None = None,
) -> pd.DataFrame:
    """For each event (a survey answer, a complaint), the customer's orders after its day.

    Orders strictly after the event's day count, within ``window_days`` when
    given. Returns a copy of ``events`` with ``orders_after`` (count) and
    ``bought_again`` (bool).

    Parameters
    ----------
    events : DataFrame
        One row per event with ``customer_col`` and ``event_date_col``.
    orders : DataFrame
        The order table with ``customer_col`` and ``order_date_col``.
    event_date_col : str
        The event's date column (``"survey_date"``, ``"opened_at"``).
    window_days : int, optional
        Count only orders within this many days after the event's day, 1 to
        :data:`MAX_WINDOW_DAYS`; default: every later order.

    Raises
    ------
    DataError
        Tables that are not tables or have no rows, missing columns, missing
        customer ids, customer ids that are numbers in one table and texts in
        the other, dates that are missing or do not parse, or a ``window_days``
        that is not a whole number from 1 to :data:`MAX_WINDOW_DAYS`.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"customer_id": ["a", "b"], "day": pd.to_datetime(["2024-01-10", "2024-01-10"])})
    >>> od = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                    "order_date": pd.to_datetime(["2024-01-10", "2024-02-01", "2024-01-01"])})
    >>> orders_after(ev, od, "day")[["orders_after", "bought_again"]].to_dict("list")
    {'orders_after': [1, 0], 'bought_again': [True, False]}
    """
    counts = _order_counts(
        events, orders, event_date_col, customer_col, order_date_col, after=True, window_days=window_days
    )
    out = events.copy()
    out["orders_after"] = counts
    out["bought_again"] = out["orders_after"] > 0
    return out


def orders_before(
    events: pd.DataFrame,
    orders: pd.DataFrame,
    event_date_col: str,
    window_days: int = 365,
    customer_col: str = "customer_id",
    order_date_col: str = "order_date",
) -> pd.DataFrame:
    """For each event, the customer's orders in the ``window_days`` days before its day (repeat patronage).

    Orders on days d with event_day - window_days <= d < event_day count.
    Returns a copy of ``events`` with ``orders_before``.

    Parameters
    ----------
    events, orders, event_date_col, customer_col, order_date_col
        As in :func:`orders_after`.
    window_days : int
        The window before the event's day, 1 to :data:`MAX_WINDOW_DAYS` days.

    Raises
    ------
    DataError
        As :func:`orders_after`.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"customer_id": ["a"], "day": pd.to_datetime(["2024-01-10"])})
    >>> od = pd.DataFrame({"customer_id": ["a", "a", "a"],
    ...                    "order_date": pd.to_datetime(["2023-01-01", "2024-01-01", "2024-01-10"])})
    >>> orders_before(ev, od, "day")["orders_before"].tolist()
    [1]
    """
    counts = _order_counts(
        events, orders, event_date_col, customer_col, order_date_col, after=False, window_days=window_days
    )
    out = events.copy()
    out["orders_before"] = counts
    return out


def _band(
    scores: object, what: str, name: str, low: int, high: int, edges: list[float], labels, question: str
) -> pd.Series:
    """Whole-number scores from ``low`` to ``high`` cut into ordered groups (a categorical Series
    named ``name``); ``what`` names the scores in messages."""
    x = _scores(scores, what, low, high, question)
    return pd.cut(x, edges, labels=list(labels)).rename(name)


def satisfaction_group(scores: ArrayLike) -> pd.Series:
    """Overall satisfaction (1-7) in three ordered groups: low 1-3, medium 4-5, high 6-7.

    The groups compare behaviour across satisfaction levels with enough
    respondents in each (:func:`rate_by_level`); the cut points are those of
    the glossary labels ``sat_low``, ``sat_medium`` and ``sat_high``.

    Parameters
    ----------
    scores : Series or array-like
        Answers to the overall satisfaction question, whole numbers 1 to 7.

    Returns
    -------
    Series
        Ordered categorical with the categories :data:`SATISFACTION_GROUPS`,
        named ``satisfaction_group``, on the index of ``scores``.

    Raises
    ------
    DataError
        No answers, missing answers, or values that are not numbers or not whole
        numbers from 1 to 7 (a text such as "7" too: convert the column first).

    Examples
    --------
    >>> satisfaction_group([1, 3, 4, 5, 6, 7]).tolist()
    ['sat_low', 'sat_low', 'sat_medium', 'sat_medium', 'sat_high', 'sat_high']
    """
    return _band(
        scores,
        "scores",
        "satisfaction_group",
        1,
        7,
        [0, 3, 5, 7],
        SATISFACTION_GROUPS,
        "overall satisfaction",
    )


def recommender_group(scores: ArrayLike) -> pd.Series:
    """Answers to "how likely are you to recommend us?" (0-10) as detractors, passives and promoters.

    Detractors answer 0-6, passives 7-8, promoters 9-10; the net promoter
    score is the share of promoters minus the share of detractors
    (:func:`nps`).

    Parameters
    ----------
    scores : Series or array-like
        Answers to the recommend question, whole numbers 0 to 10.

    Returns
    -------
    Series
        Ordered categorical with the categories :data:`RECOMMENDER_GROUPS`,
        named ``recommender_group``, on the index of ``scores``.

    Raises
    ------
    DataError
        No answers, missing answers, or values that are not numbers or not whole
        numbers from 0 to 10 (a text such as "9" too: convert the column first).

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12), 46-54.

    Examples
    --------
    >>> recommender_group([0, 6, 7, 8, 9, 10]).value_counts(sort=False).to_dict()
    {'detractor': 2, 'passive': 2, 'promoter': 2}
    """
    return _band(
        scores,
        "scores",
        "recommender_group",
        0,
        10,
        [-1, 6, 8, 10],
        RECOMMENDER_GROUPS,
        "the recommend question",
    )


def survey_outcomes(
    survey: pd.DataFrame,
    orders: pd.DataFrame,
    truth: pd.DataFrame | None = None,
    *,
    date_col: str = "survey_date",
    window_days: int | None = None,
    customer_col: str = "customer_id",
    order_date_col: str = "order_date",
    alive_col: str = "alive_at_end",
    satisfaction_col: str = "overall_satisfaction",
    recommend_col: str = "recommend",
) -> pd.DataFrame:
    """Survey answers joined with what each respondent did afterwards, and the answers in groups.

    For each respondent: the orders strictly after the survey day
    (:func:`orders_after`: ``orders_after``, ``bought_again``); with a
    ``truth`` table, whether the customer was still a customer at its end
    (``retained``); and the answers grouped, ``satisfaction_group``
    (:func:`satisfaction_group`) and ``recommender_group``
    (:func:`recommender_group`), ready for :func:`rate_by_level`.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent with ``customer_col``, ``date_col``,
        ``satisfaction_col`` and ``recommend_col``.
    orders : DataFrame
        The order table (``customer_col``, ``order_date_col``).
    truth : DataFrame, optional
        One row per customer with ``customer_col`` and a True/False
        ``alive_col`` (the demo company's ground truth; a real firm estimates
        it, chapter 04). Without it there is no ``retained`` column.
    window_days : int, optional
        Count only orders within this many days after the survey day (1 to
        :data:`MAX_WINDOW_DAYS`).

    Returns
    -------
    DataFrame
        A copy of ``survey`` with ``orders_after``, ``bought_again``,
        ``retained`` (with ``truth``), ``satisfaction_group`` and
        ``recommender_group``.

    Raises
    ------
    DataError
        Missing columns, answers missing or outside their scales (whole
        numbers 1-7 and 0-10), a ``truth`` table with missing customer ids, a
        customer listed twice, flags that are missing or not True/False, or
        respondents ``truth`` does not know; and the errors of
        :func:`orders_after`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "survey_date": pd.to_datetime(["2024-03-01"] * 2),
    ...                   "overall_satisfaction": [2, 7], "recommend": [9, 5]})
    >>> o = pd.DataFrame({"customer_id": ["a", "b"], "order_date": pd.to_datetime(["2024-05-01", "2024-02-01"])})
    >>> t = pd.DataFrame({"customer_id": ["b", "a"], "alive_at_end": [True, False]})
    >>> out = survey_outcomes(s, o, t)
    >>> out[["customer_id", "bought_again", "retained", "satisfaction_group", "recommender_group"]]
      customer_id  bought_again  retained satisfaction_group recommender_group
    0           a          True     False            sat_low          promoter
    1           b         False      True           sat_high         detractor
    """
    require_frame(survey, "survey")
    require_columns(survey, [customer_col, date_col, satisfaction_col, recommend_col], "survey")
    require_no_missing(survey, customer_col, "customer id")
    satisfied = _band(
        survey[satisfaction_col],
        f"column {satisfaction_col!r}",
        "satisfaction_group",
        1,
        7,
        [0, 3, 5, 7],
        SATISFACTION_GROUPS,
        "overall satisfaction",
    )
    recommends = _band(
        survey[recommend_col],
        f"column {recommend_col!r}",
        "recommender_group",
        0,
        10,
        [-1, 6, 8, 10],
        RECOMMENDER_GROUPS,
        "the recommend question",
    )
    if truth is not None:
        require_frame(truth, "truth")
        require_columns(truth, [customer_col, alive_col], "truth")
        require_no_missing(truth, customer_col, "customer id")
        require_no_missing(truth, alive_col, "flag")
        if not pd.api.types.is_bool_dtype(truth[alive_col]):
            raise DataError(
                f"column {alive_col!r} of truth must hold True/False, got {truth[alive_col].dtype}"
            )
        repeated = truth[customer_col].duplicated()
        if repeated.any():
            raise DataError(
                f"truth lists {int(repeated.sum())} customers more than once "
                f"({describe_rows(truth.index[repeated])}): keep one row per customer"
            )
        alive = truth.set_index(customer_col)[alive_col]
        unknown = ~survey[customer_col].isin(alive.index)
        if unknown.any():
            raise DataError(
                f"truth has no row for {int(unknown.sum())} respondents "
                f"({describe_rows(survey.index[unknown])}): pass the truth table of the same customers"
            )
    out = orders_after(survey, orders, date_col, customer_col, order_date_col, window_days)
    if truth is not None:
        out["retained"] = alive.reindex(out[customer_col]).to_numpy()
    out["satisfaction_group"] = satisfied.array  # by position: the index of survey may repeat
    out["recommender_group"] = recommends.array
    return out


def online_share_before(
    events: pd.DataFrame,
    orders: pd.DataFrame,
    event_date_col: str,
    *,
    channels: Sequence[str] = ONLINE_CHANNELS,
    customer_col: str = "customer_id",
    order_date_col: str = "order_date",
    channel_col: str = "channel",
) -> pd.DataFrame:
    """For each event (a survey answer), the customer's orders before its day and the share placed online.

    With n the customer's orders on days before the event's day and m of them
    through one of ``channels``: ``prior_orders`` = n and ``share_online`` =
    m / n (NaN when n = 0). A respondent with ``share_online >= 0.5`` buys
    mainly online.

    Parameters
    ----------
    events : DataFrame
        One row per event with ``customer_col`` and ``event_date_col``.
    orders : DataFrame
        The order table with ``customer_col``, ``order_date_col`` and
        ``channel_col``.
    event_date_col : str
        The event's date column (``"survey_date"``).
    channels : tuple of str
        The channels that count as online (one name alone is a tuple of one);
        default :data:`ONLINE_CHANNELS`.

    Returns
    -------
    DataFrame
        A copy of ``events`` with ``prior_orders`` and ``share_online``
        (NaN for an event without earlier orders: no share to take).

    Raises
    ------
    DataError
        Tables that are not tables or have no rows, missing columns, missing
        customer ids or channels, customer ids that are numbers in one table
        and texts in the other, dates that are missing or do not parse, or
        ``channels`` that is empty or not a list of names.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"customer_id": ["a", "b"], "day": pd.to_datetime(["2024-03-01"] * 2)})
    >>> od = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "order_date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-02", "2024-04-01"]),
    ...                    "channel": ["app", "store", "web", "web"]})
    >>> online_share_before(ev, od, "day")[["prior_orders", "share_online"]]
       prior_orders  share_online
    0             2           0.5
    1             0           NaN
    """
    require_frame(events, "events")
    require_frame(orders, "orders")
    channels = _names(channels, "channels", "channel names")
    require_columns(events, [customer_col, event_date_col], "events")
    require_columns(orders, [customer_col, order_date_col, channel_col], "orders")
    _customer_ids(events, orders, customer_col, ("events", "orders"))
    require_no_missing(orders, channel_col, "channel")
    rows = np.arange(len(events))
    left = pd.DataFrame(
        {
            "_row": rows,
            customer_col: events[customer_col].to_numpy(),
            "_event": to_datetime_column(events, event_date_col).dt.normalize().to_numpy(),
        }
    )
    right = pd.DataFrame(
        {
            customer_col: orders[customer_col].to_numpy(),
            "_order": to_datetime_column(orders, order_date_col).dt.normalize().to_numpy(),
            "_online": orders[channel_col].isin(channels).to_numpy(),
        }
    )
    pairs = left.merge(right, on=customer_col)
    before = pairs.loc[pairs["_order"] < pairs["_event"]].groupby("_row")["_online"]
    prior = before.size().reindex(rows, fill_value=0)
    online = before.sum().reindex(rows, fill_value=0)
    out = events.copy()
    out["prior_orders"] = prior.to_numpy().astype(int)
    out["share_online"] = (online / prior.where(prior > 0)).to_numpy(dtype=float)
    return out


def rate_by_level(
    table: pd.DataFrame, level_col: str, outcome_col: str, level: float = 0.95, *, unit: str = "customers"
) -> pd.DataFrame:
    """Share of a 0/1 outcome per level of a variable, with Wilson score intervals.

    Wilson (1927): for k successes in n, with z the normal quantile,
    centre = (k + z^2/2) / (n + z^2), half-width = z sqrt(k(n-k)/n + z^2/4) / (n + z^2).

    Parameters
    ----------
    table : DataFrame
        One row per customer (or event) with ``level_col`` and ``outcome_col``.
    level_col : str
        The grouping column; levels without rows (unused categories) are left out.
    outcome_col : str
        The outcome: 0/1 or True/False, no missing values.
    level : float
        The level of the intervals, strictly between 0 and 1.
    unit : str
        What one row of ``table`` is, in the plural: the name of the count column
        (``"customers"``, ``"tickets"``, ``"orders"``), so that the table says what it
        counts. Not ``"rate"``, ``"ci_low"`` or ``"ci_high"``.

    Returns
    -------
    DataFrame
        ``<unit>`` (the rows counted), ``rate``, ``ci_low``, ``ci_high`` per level, never NaN: the
        Wilson interval is defined for any group, also a group of one, whose
        rate is 0 or 1 with an interval about 80 points wide at 95 %; a
        ``UserWarning`` names such groups, since their rates say little.

    Raises
    ------
    DataError
        A table that is not a table or has no rows, missing columns, missing
        levels or outcomes, outcomes other than 0/1 or True/False (the texts
        "True"/"False" too), a ``level`` not between 0 and 1, or a ``unit`` that is
        not a text or is empty or the name of another column of the result.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"g": ["a", "a", "b", "b"], "y": [1, 0, 1, 1]})
    >>> rate_by_level(t, "g", "y")["rate"].tolist()
    [0.5, 1.0]
    >>> rate_by_level(t, "g", "y", unit="tickets").columns.tolist()
    ['tickets', 'rate', 'ci_low', 'ci_high']
    """
    require_frame(table, "table")
    require_columns(table, [level_col, outcome_col], "table")
    z = _z(level)
    unit = require_text(unit, "unit").strip()
    if not unit or unit in ("rate", "ci_low", "ci_high"):
        raise DataError(
            f"unit names the count column and must be a word such as 'customers' or 'tickets', got {unit!r}"
        )
    require_no_missing(table, level_col, "level")
    require_no_missing(table, outcome_col, "outcome")
    if pd.api.types.is_bool_dtype(table[outcome_col]):
        table = table.assign(**{outcome_col: table[outcome_col].astype(int)})
    y = require_numeric(table, outcome_col).to_numpy()
    bad = (y != 0) & (y != 1)
    if bad.any():
        raise DataError(
            f"column {outcome_col!r} has {int(bad.sum())} values other than 0/1 or True/False "
            f"({describe_rows(table.index[bad])})"
        )
    levels = table[level_col].reset_index(drop=True)  # matched by position: the index may repeat
    grouped = pd.Series(y).groupby(levels, observed=True)
    n = grouped.size().astype(float)
    k = grouped.sum()
    single = n.index[n == 1]
    if len(single):
        warnings.warn(
            f"column {level_col!r} has {len(single)} levels with a single row "
            f"({', '.join(repr(v) for v in single[:5])}): their rates are 0 or 1 and their intervals "
            "span most of 0-1",
            UserWarning,
            stacklevel=2,
        )
    centre = (k + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(k * (n - k) / n + z**2 / 4) / (n + z**2)
    out = pd.DataFrame(
        {
            unit: n.astype(int),
            "rate": k / n,
            "ci_low": (centre - half).clip(lower=0.0),
            "ci_high": (centre + half).clip(upper=1.0),
        }
    )
    out.index.name = level_col
    return out


def complaint_outcomes(
    tickets: pd.DataFrame,
    orders: pd.DataFrame,
    window_days: int = 180,
    observation_end: DateLike | None = None,
    customer_col: str = "customer_id",
    opened_col: str = "opened_at",
    order_date_col: str = "order_date",
) -> pd.DataFrame:
    """Did the customer buy again within ``window_days`` after a complaint?

    Keeps the tickets opened at least ``window_days`` before
    ``observation_end`` (default: the last order day), so that every ticket
    has a full window to observe (tickets opened later are *censored*), and
    adds ``orders_after`` and ``bought_again`` (see :func:`orders_after`).

    Parameters
    ----------
    tickets : DataFrame
        One row per complaint with ``customer_col`` and ``opened_col``.
    orders : DataFrame
        The order table with ``customer_col`` and ``order_date_col``.
    window_days : int
        The window after each complaint, 1 to :data:`MAX_WINDOW_DAYS` days.
    observation_end : date-like, optional
        The last day observed (read with :func:`crmlib.validation.to_date`);
        default the last order day.

    Returns
    -------
    DataFrame
        The tickets with a full window, with ``orders_after`` and ``bought_again``.

    Raises
    ------
    DataError
        Tables that are not tables or have no rows, missing columns, dates
        that are missing or do not parse, an ``observation_end`` that is not a
        date, a ``window_days`` that is not a whole number from 1 to
        :data:`MAX_WINDOW_DAYS`, no ticket early enough for a full window, and
        the errors of :func:`orders_after`.
    """
    require_frame(tickets, "tickets")
    require_frame(orders, "orders")
    require_columns(tickets, [customer_col, opened_col], "tickets")
    require_columns(orders, [customer_col, order_date_col], "orders")
    window_days = require_count(window_days, "window_days", low=1, high=MAX_WINDOW_DAYS)
    opened = to_datetime_column(tickets, opened_col)
    end = (
        to_datetime_column(orders, order_date_col).max()
        if observation_end is None
        else to_date(observation_end, "observation_end")
    )
    kept = tickets.loc[_day_numbers(opened) <= _day_numbers(end) - window_days]
    if len(kept) == 0:
        raise DataError(
            f"no ticket in column {opened_col!r} was opened {window_days} days before {end.date()}: "
            "shorten window_days"
        )
    return orders_after(kept, orders, opened_col, customer_col, order_date_col, window_days)


def order_outcomes(
    orders: pd.DataFrame,
    window_days: int = 180,
    observation_end: DateLike | None = None,
    customer_col: str = "customer_id",
    order_date_col: str = "order_date",
) -> pd.DataFrame:
    """Did the customer order again within ``window_days`` after an order? The yardstick for complaints.

    The same question as :func:`complaint_outcomes`, asked of every order:
    keeps the orders placed at least ``window_days`` before
    ``observation_end`` (default: the last order day), so that each has a
    full window to observe, and adds ``orders_after`` and ``bought_again``
    (orders on later days within the window, see :func:`orders_after`). The
    mean of ``bought_again`` is the normal repeat rate; frequent buyers place
    more orders, so it is weighted towards them, as complaints are.

    Parameters
    ----------
    orders : DataFrame
        The order table with ``customer_col`` and ``order_date_col``.
    window_days : int
        The window after each order, 1 to :data:`MAX_WINDOW_DAYS` days.
    observation_end : date-like, optional
        The last day observed (read with :func:`crmlib.validation.to_date`);
        default the last order day.

    Returns
    -------
    DataFrame
        The orders with a full window, with ``orders_after`` and ``bought_again``.

    Raises
    ------
    DataError
        An order table that is not a table or has no rows, missing columns,
        dates that are missing or do not parse, an ``observation_end`` that is
        not a date, a ``window_days`` that is not a whole number from 1 to
        :data:`MAX_WINDOW_DAYS`, no order early enough for a full window, and
        the errors of :func:`orders_after`.

    Examples
    --------
    >>> import pandas as pd
    >>> od = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...                    "order_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-15", "2024-12-31"])})
    >>> order_outcomes(od, window_days=180)[["customer_id", "bought_again"]]
      customer_id  bought_again
    0           a          True
    1           a         False
    2           b         False
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer_col, order_date_col], "orders")
    window_days = require_count(window_days, "window_days", low=1, high=MAX_WINDOW_DAYS)
    dates = to_datetime_column(orders, order_date_col)
    end = dates.max() if observation_end is None else to_date(observation_end, "observation_end")
    kept = orders.loc[_day_numbers(dates) <= _day_numbers(end) - window_days]
    if len(kept) == 0:
        raise DataError(
            f"no order in column {order_date_col!r} was placed {window_days} days before {end.date()}: "
            "shorten window_days"
        )
    return orders_after(kept, orders, order_date_col, customer_col, order_date_col, window_days)


# --------------------------------------------------------------------------- figures


def _label(key: object) -> str:
    from .glossary import UnknownTermError, term

    if not isinstance(key, str):  # a number or other label is shown as it is
        return str(key)
    for name in (f"attr_{key}", key):  # survey attributes are glossary keys attr_<name>
        try:
            return term(name)
        except UnknownTermError:
            continue
    return str(key)


def _interval_label(level: float, key: str) -> str:
    """Legend text of an interval: its level and its kind, e.g. '95 % Wilson score interval'."""
    from .glossary import term

    _z(level)  # a level between 0 and 1
    from .plots import figure_text

    return figure_text(f"{100 * level:g} % {term(key)}")


def plot_gaps(
    gaps: pd.DataFrame,
    *,
    level: float = 0.95,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Horizontal bars of the mean gap per attribute with its confidence interval.

    ``gaps`` is the table of :func:`attribute_gaps`; ``level`` is the level
    its intervals were computed at (normal intervals), shown in the legend.
    Bars below zero (perception short of expectation) and at or above zero
    have their own colour and legend entry. An attribute whose interval is
    NaN (a survey of one respondent) is drawn without an interval.

    Raises
    ------
    DataError
        ``gaps`` not a table, empty or without the columns ``gap``, ``ci_low``
        and ``ci_high``; gaps that are missing or not numbers; an interval that
        does not contain its gap; or a ``level`` not between 0 and 1.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_frame(gaps, "gaps")
    require_columns(gaps, ["gap", "ci_low", "ci_high"], "gaps")
    interval = _interval_label(level, "normal_interval")
    gap = require_numeric(gaps, "gap").to_numpy()
    has_interval = gaps[["ci_low", "ci_high"]].notna().all(axis=1).to_numpy()
    bounds = gaps.loc[has_interval, ["ci_low", "ci_high"]]
    low, high = (require_numeric(bounds, c).to_numpy() for c in ("ci_low", "ci_high"))
    outside = (low > gap[has_interval] + 1e-9) | (high < gap[has_interval] - 1e-9)  # beyond rounding
    if outside.any():
        raise DataError(
            f"gaps has {int(outside.sum())} intervals that do not contain their gap "
            f"({describe_rows(bounds.index[outside])}): pass the table of attribute_gaps"
        )
    order = np.argsort(gap, kind="stable")
    gap, labels = gap[order], gaps.index[order]
    has_interval = has_interval[order]
    ci_low = gaps["ci_low"].to_numpy(dtype=float)[order]
    ci_high = gaps["ci_high"].to_numpy(dtype=float)[order]
    if ax is None:
        _, ax = new_figure()
    pos = np.arange(len(gap))
    below = gap < 0
    for mask, colour, key in (
        (below, PALETTE[3], "below_expectation"),
        (~below, PALETTE[2], "at_or_above_expectation"),
    ):
        if mask.any():
            ax.barh(pos[mask], gap[mask], color=colour, label=term(key))
    if has_interval.any():
        ax.errorbar(
            gap[has_interval],
            pos[has_interval],
            xerr=[
                np.clip(gap - ci_low, 0, None)[has_interval],
                np.clip(ci_high - gap, 0, None)[has_interval],
            ],
            fmt="none",
            ecolor="black",
            capsize=4,
            label=interval,
        )
    ax.axvline(0, color="black", linewidth=1, label=term("perception_equals_expectation"))
    ax.set_yticks(pos, [_label(a) for a in labels])
    ax.set_xlabel(term("gap_perception_minus_expectation"))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="best")
    return finish(ax, title, source)


def plot_ipa(
    table: pd.DataFrame,
    *,
    expectation_line: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The importance-performance chart: attributes as points, cross-hairs at the means, quadrant names.

    ``table`` is the table of :func:`importance_performance`. The quadrants are
    *relative*: an attribute is "above average" when it performs better than the
    mean of the attributes, which on the gap scale can still be below expectation.
    With ``expectation_line=True`` (for ``performance="gap"``) a solid line at a
    gap of 0 marks where perception equals expectation, so that the reader sees
    which attributes of every quadrant disappoint.

    Raises
    ------
    DataError
        ``table`` not a table, empty or without the columns ``importance`` and
        ``performance``, or values in them that are missing (an attribute whose
        importance is undefined: drop its row) or not numbers; an
        ``expectation_line`` that is not True or False.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_frame(table, "table")
    require_columns(table, ["importance", "performance"], "table")
    x = require_numeric(table, "performance").to_numpy()
    y = require_numeric(table, "importance").to_numpy()
    expectation_line = require_flag(expectation_line, "expectation_line")
    if ax is None:
        _, ax = new_figure()
    ax.axvline(x.mean(), color="0.5", linestyle="--", linewidth=1, label=term("ipa_crosshairs"))
    ax.axhline(y.mean(), color="0.5", linestyle="--", linewidth=1)
    if expectation_line:
        ax.axvline(0, color="black", linewidth=1.2, label=term("perception_equals_expectation"))
    ax.scatter(x, y, s=80, color=PALETTE[0], zorder=3, label=term("ipa_attribute"))
    for name, xi, yi in zip(table.index, x, y, strict=True):
        ax.annotate(_label(name), (xi, yi), xytext=(6, 6), textcoords="offset points", fontsize=10)
    low_x, high_x = (min(x.min(), 0), max(x.max(), 0)) if expectation_line else (x.min(), x.max())
    pad_x = 0.15 * (high_x - low_x) + 0.05
    pad_y = 0.15 * (y.max() - y.min()) + 0.02
    ax.set_xlim(low_x - pad_x, high_x + pad_x)
    ax.set_ylim(min(y.min() - pad_y, 0), y.max() + pad_y)
    corners = {
        "concentrate_here": (0.02, 0.97, "left", "top"),
        "keep_up_the_good_work": (0.98, 0.97, "right", "top"),
        "low_priority": (0.02, 0.03, "left", "bottom"),
        "possible_overkill": (0.98, 0.03, "right", "bottom"),
    }
    for key, (cx, cy, ha, va) in corners.items():
        ax.text(
            cx, cy, term(key), transform=ax.transAxes, ha=ha, va=va, fontsize=10, color="0.35", style="italic"
        )
    ax.set_xlabel(term("performance_mean_rating"))
    ax.set_ylabel(term("derived_importance"))
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.92))  # below the quadrant name
    return finish(ax, title, source)


def plot_rate_by_level(
    table: pd.DataFrame,
    *,
    xlabel: str,
    ylabel: str,
    level: float = 0.95,
    reference: float | None = None,
    reference_label: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Rates of :func:`rate_by_level` with their intervals; ``xlabel``/``ylabel`` are glossary keys.

    The rates are shown in % on an axis from 0 to 100, so that differences
    between levels are seen at their true size. ``level`` is the level the
    Wilson intervals of ``table`` were computed at (``rate_by_level``'s
    ``level``); the legend names it. ``reference`` (a share) draws a dashed
    yardstick line, labelled with the glossary key ``reference_label``.

    Raises
    ------
    DataError
        ``table`` not a table, empty or without the columns ``rate``,
        ``ci_low`` and ``ci_high``; values in them that are missing, not
        numbers, outside 0-1, or intervals that do not contain their rate;
        ``xlabel``, ``ylabel`` or ``reference_label`` not a glossary key
        (:class:`~crmlib.glossary.UnknownTermError`); a ``reference`` that is
        not a share from 0 to 1; or a ``level`` not between 0 and 1.
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    require_frame(table, "table")
    require_columns(table, ["rate", "ci_low", "ci_high"], "table")
    share, low, high = (
        to_numbers(require_numeric(table, c).tolist(), f"column {c!r}", low=0, high=1)
        for c in ("rate", "ci_low", "ci_high")
    )
    outside = (low > share + 1e-9) | (high < share - 1e-9)  # beyond rounding
    if outside.any():
        raise DataError(
            f"table has {int(outside.sum())} intervals that do not contain their rate "
            f"({describe_rows(table.index[outside])}): pass the table of rate_by_level"
        )
    xlabel = _glossary_key(xlabel, "xlabel")
    ylabel = _glossary_key(ylabel, "ylabel")
    if reference is not None:
        reference = require_number(reference, "reference", low=0, high=1, rate=True)
    if reference_label is not None:
        reference_label = _glossary_key(reference_label, "reference_label")
    interval = _interval_label(level, "wilson_interval")
    if ax is None:
        _, ax = new_figure()
    pos = np.arange(len(table))
    rate = 100 * share
    ax.errorbar(
        pos,
        rate,
        yerr=[np.clip(rate - 100 * low, 0, None), np.clip(100 * high - rate, 0, None)],
        fmt="none",
        ecolor=PALETTE[0],
        capsize=4,
        label=interval,
    )
    ax.plot(pos, rate, "o", color=PALETTE[0], markersize=7, label=term("observed_share"))
    if reference is not None:
        ax.axhline(
            100 * reference,
            color="0.5",
            linestyle="--",
            linewidth=1,
            label=term(reference_label) if reference_label else None,
        )
    ax.set_ylim(0, 100)
    ax.set_xlim(-0.5, len(table) - 0.5)
    ax.set_xticks(pos, [_label(v) for v in table.index])
    ax.set_xlabel(term(xlabel))
    ax.set_ylabel(term(ylabel))
    ax.legend(loc="lower left")
    return finish(ax, title, source)
