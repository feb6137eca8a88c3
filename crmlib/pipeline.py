"""The sales pipeline (销售漏斗) of a CRM system and its weighted forecast.

A CRM's sales subsystem (客户销售管理) holds every **opportunity** (销售机会)
with its stage, value, owner and expected close date. The **weighted pipeline
forecast** (加权销售预测) of a period is

    E[revenue] = Σ_deals p_i · v_i,

the deal values v_i weighted by their win probabilities p_i, summed over the
deals expected to close in the period. The probabilities a CRM shows are
usually typed in per stage (10 % in prospecting, 75 % in negotiation ...);
:func:`stage_win_rates` estimates them from the stage history of the deals
already closed instead, and :func:`win_rates` per owner or product, both with
Wilson intervals. One number hides how uncertain the forecast is: a few large
deals are won or lost whole, so :func:`forecast` also simulates each deal's
win or loss (seeded) and reports an interval of the period's revenue.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .validation import (
    DataError,
    describe_rows,
    require_choice,
    require_columns,
    require_count,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_number,
    require_numeric,
    require_text,
    to_datetime_column,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "OPEN_STAGES",
    "CLOSED_STAGES",
    "MAX_SIMULATED_DRAWS",
    "win_rates",
    "stage_win_rates",
    "forecast",
    "plot_forecast",
]

#: The open stages of the demo company's sales process, in order.
OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
#: The two ways a deal closes.
CLOSED_STAGES = ("closed_won", "closed_lost")
#: The most deal draws (deals x simulations) :func:`forecast` makes at once.
MAX_SIMULATED_DRAWS = 50_000_000
_FREQUENCIES = {"Q": "Q", "M": "M", "Y": "Y"}


def win_rates(
    opportunities: pd.DataFrame,
    by: str = "owner",
    stage_col: str = "stage",
    won: str = "closed_won",
    lost: str = "closed_lost",
    level: float = 0.95,
) -> pd.DataFrame:
    """Win rate of the closed deals per group (owner, product, ...), with Wilson intervals.

        win rate = deals won / deals closed (won or lost),

    over the opportunities whose stage is ``won`` or ``lost``; open deals are left out
    (their end is not known yet). The interval is Wilson's (1927), as in
    :func:`crmlib.satisfaction.rate_by_level`.

    Parameters
    ----------
    opportunities : DataFrame
        One row per opportunity with its stage and the grouping column.
    by : str
        The grouping column (e.g. ``"owner"``).
    stage_col : str
        The stage column.
    won, lost : str
        The stages of a won and a lost deal.
    level : float
        Level of the intervals, strictly between 0 and 1.

    Returns
    -------
    DataFrame
        Indexed by the groups: ``closed``, ``won``, ``win_rate``, ``ci_low``, ``ci_high``.

    Raises
    ------
    DataError
        Not a non-empty table, missing columns, missing stages or groups, ``won`` equal to
        ``lost``, no closed deal at all, or a ``level`` not between 0 and 1.

    Examples
    --------
    >>> deals = pd.DataFrame({"owner": ["A", "A", "A", "B"],
    ...                       "stage": ["closed_won", "closed_lost", "proposal", "closed_won"]})
    >>> win_rates(deals)[["closed", "won", "win_rate"]]
           closed  won  win_rate
    owner
    A           2    1       0.5
    B           1    1       1.0
    """
    won, lost = _outcomes(won, lost)
    require_frame(opportunities, "opportunities")
    require_columns(opportunities, [by, stage_col], "opportunities")
    require_no_missing(opportunities, stage_col, "stage")
    closed = opportunities[opportunities[stage_col].isin([won, lost])]
    if closed.empty:
        raise DataError(
            f"opportunities has no deal in stage {won!r} or {lost!r}: a win rate needs closed deals"
        )
    require_no_missing(closed, by, "group")
    return _win_table(closed[by].to_numpy(), (closed[stage_col] == won).to_numpy(), level, by)


def stage_win_rates(
    history: pd.DataFrame,
    deal_col: str = "opportunity_id",
    stage_col: str = "stage",
    stages: tuple = OPEN_STAGES,
    won: str = "closed_won",
    lost: str = "closed_lost",
    level: float = 0.95,
) -> pd.DataFrame:
    """Win probability of a deal that has reached each stage, from the closed deals' stage history.

        P(win | reached stage s) = closed deals won that reached s / closed deals that reached s,

    over the deals whose history ends in ``won`` or ``lost`` (open deals are left out: their end
    is not known yet). A deal lost in proposal counts in prospecting, qualification and proposal,
    so the rate of a later stage is that of the deals that survived to it. This is the probability
    to weight an open deal in stage s with, estimated rather than typed in. Intervals are
    Wilson's (1927), as in :func:`win_rates`.

    Parameters
    ----------
    history : DataFrame
        One row per deal and stage it entered (e.g. the demo company's ``opportunity_stages``).
    deal_col, stage_col : str
        The deal identifier and the stage columns.
    stages : tuple of str
        The open stages, in the order a deal passes them.
    won, lost : str
        The stages of a won and a lost deal.
    level : float
        Level of the intervals, strictly between 0 and 1.

    Returns
    -------
    DataFrame
        Indexed by ``stages``: ``closed`` (closed deals that reached the stage), ``won``,
        ``win_rate``, ``ci_low``, ``ci_high``.

    Raises
    ------
    DataError
        Not a non-empty table, missing columns or values, ``won`` equal to ``lost``, a deal both
        won and lost, no closed deal at all, a stage of ``stages`` no closed deal reached, or a
        ``level`` not between 0 and 1.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *Journal of the American Statistical Association*, 22(158), 209-212.

    Examples
    --------
    >>> history = pd.DataFrame({
    ...     "opportunity_id": ["A", "A", "A", "B", "B", "C", "C", "C"],
    ...     "stage": ["prospecting", "proposal", "closed_won", "prospecting", "closed_lost",
    ...               "prospecting", "proposal", "closed_lost"]})
    >>> stage_win_rates(history, stages=("prospecting", "proposal"))[["closed", "won", "win_rate"]]
                 closed  won  win_rate
    stage
    prospecting       3    1  0.333333
    proposal          2    1  0.500000
    """
    won, lost = _outcomes(won, lost)
    require_frame(history, "history")
    require_columns(history, [deal_col, stage_col], "history")
    require_no_missing(history, deal_col, "deal")
    require_no_missing(history, stage_col, "stage")
    ended = history.loc[history[stage_col].isin([won, lost]), [deal_col, stage_col]]
    if ended.empty:
        raise DataError(f"history has no deal in stage {won!r} or {lost!r}: a win rate needs closed deals")
    twice = ended[deal_col].duplicated(keep=False)
    if twice.any():
        raise DataError(
            f"column {deal_col!r} has {int(twice.sum())} closing rows of deals closed more than once "
            f"({describe_rows(ended.index[twice])}): a deal is either won or lost"
        )
    outcome = ended.set_index(deal_col)[stage_col].eq(won)
    reached = history[history[stage_col].isin(stages) & history[deal_col].isin(outcome.index)]
    reached = reached.drop_duplicates([deal_col, stage_col])
    missing = [stage for stage in stages if stage not in set(reached[stage_col])]
    if missing:
        raise DataError(
            f"column {stage_col!r}: no closed deal reached the stage(s) {missing}; "
            "check the stage names or pass the stages the history uses"
        )
    won_deals = outcome.loc[reached[deal_col]].to_numpy()
    return _win_table(reached[stage_col].to_numpy(), won_deals, level, stage_col).reindex(list(stages))


def _outcomes(won: str, lost: str) -> tuple[str, str]:
    """The stages of a won and a lost deal, checked: two different texts."""
    won = require_text(won, "won")
    lost = require_text(lost, "lost")
    if won == lost:
        raise DataError(f"won and lost must be two different stages, got {won!r} for both")
    return won, lost


def _win_table(group: np.ndarray, won: np.ndarray, level: float, name: str) -> pd.DataFrame:
    """Closed deals, deals won and the win rate with its Wilson interval, per group."""
    from .satisfaction import rate_by_level

    table = pd.DataFrame({"group": group, "won": won})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a group of one closed deal is allowed
        rates = rate_by_level(table, "group", "won", level=level)
    out = pd.DataFrame(
        {
            "closed": rates["customers"].astype(int),
            "won": table.groupby("group")["won"].sum().reindex(rates.index).astype(int),
            "win_rate": rates["rate"],
            "ci_low": rates["ci_low"],
            "ci_high": rates["ci_high"],
        }
    )
    out.index.name = name
    return out


def forecast(
    deals: pd.DataFrame,
    probability_col: str = "probability",
    value_col: str = "expected_value",
    date_col: str = "expected_close_date",
    freq: str = "Q",
    n_sims: int = 10_000,
    level: float = 0.9,
    seed: int = 0,
) -> pd.DataFrame:
    """Weighted forecast of the revenue of open deals per period, and its spread by simulation.

    For the deals expected to close in a period,

        expected = Σ p_i · v_i,

    and in each of ``n_sims`` simulated futures every deal is won with its
    probability p_i (independently, one ``numpy.random.default_rng(seed)``), so
    that revenue = Σ v_i · [deal i won]. The interval holds the central ``level``
    share of the simulated revenues (percentiles); its width shows how much a few
    large deals can swing the period.

    Parameters
    ----------
    deals : DataFrame
        One row per open deal: win probability, value, expected close date.
    probability_col, value_col, date_col : str
        Column names; probabilities from 0 to 1, values of at least 0.
    freq : {"Q", "M", "Y"}
        The period: quarter (default), month or year of the close date.
    n_sims : int
        Number of simulated futures, 1 to 1,000,000 (and deals × n_sims at most
        ``MAX_SIMULATED_DRAWS``).
    level : float
        Level of the simulation interval, strictly between 0 and 1 (default 0.9).
    seed : int
        Seed of the random generator.

    Returns
    -------
    DataFrame
        Indexed by ``period`` (text such as ``"2025Q1"``): ``deals``,
        ``pipeline_value`` (Σ v), ``expected`` (Σ p·v), ``sim_mean``, ``sim_low``,
        ``sim_high`` (the simulation interval) and ``p_no_win`` (the share of
        futures in which no deal of the period is won).

    Raises
    ------
    DataError
        Not a non-empty table; missing columns; probabilities that are missing, not
        numbers or outside 0-1 (percentages are refused with advice); values that are
        missing, not numbers or negative; missing or unparseable dates; an unknown
        ``freq``; ``n_sims``, ``level`` or ``seed`` out of range.

    Examples
    --------
    >>> deals = pd.DataFrame({"probability": [0.5, 0.5], "expected_value": [100, 300],
    ...                       "expected_close_date": pd.to_datetime(["2025-01-10", "2025-02-20"])})
    >>> forecast(deals, n_sims=2000)[["deals", "pipeline_value", "expected"]]
            deals  pipeline_value  expected
    period
    2025Q1      2           400.0     200.0
    """
    freq = require_choice(freq, "freq", _FREQUENCIES)
    n_sims = require_count(n_sims, "n_sims", low=1, high=1_000_000)
    level = require_number(level, "level", low=0, high=1, low_open=True, high_open=True)
    seed = require_count(seed, "seed", low=0, high=2**32 - 1)
    require_frame(deals, "deals")
    require_columns(deals, [probability_col, value_col, date_col], "deals")
    p = require_numeric(deals, probability_col)
    bad = ((p < 0) | (p > 1)).to_numpy()
    if bad.any():
        raise DataError(
            f"column {probability_col!r} has {int(bad.sum())} values outside 0-1 "
            f"({describe_rows(deals.index[bad])}): give probabilities as shares (75 % is 0.75)"
        )
    v = require_numeric(deals, value_col)
    require_non_negative(v, value_col, "a deal's value is an amount of money")
    dates = to_datetime_column(deals, date_col)
    if len(deals) * n_sims > MAX_SIMULATED_DRAWS:
        raise DataError(
            f"{len(deals):,} deals x {n_sims:,} simulations is more than {MAX_SIMULATED_DRAWS:,} draws: "
            "ask for fewer simulations"
        )
    period = dates.dt.to_period(freq).astype(str).to_numpy()
    probs, values = p.to_numpy(), v.to_numpy()
    rng = np.random.default_rng(seed)
    wins = rng.random((n_sims, len(probs))) < probs  # one row per simulated future
    tail = (1 - level) / 2
    rows = {}
    for label in sorted(set(period)):
        mask = period == label
        revenue = wins[:, mask] @ values[mask]
        rows[label] = {
            "deals": int(mask.sum()),
            "pipeline_value": float(values[mask].sum()),
            "expected": float(probs[mask] @ values[mask]),
            "sim_mean": float(revenue.mean()),
            "sim_low": float(np.quantile(revenue, tail)),
            "sim_high": float(np.quantile(revenue, 1 - tail)),
            "p_no_win": float((~wins[:, mask]).all(axis=1).mean()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "period"
    return out


def plot_forecast(
    forecasts: Mapping[str, pd.DataFrame],
    *,
    level: float = 0.9,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Expected revenue per period for several sets of win probabilities, with simulation intervals.

    ``forecasts`` maps a glossary key (the legend label, e.g. ``"typed_in_probabilities"``)
    to a table of :func:`forecast`; bars are the expected revenue, whiskers the
    simulation interval of ``level`` (the level :func:`forecast` used), named in the
    legend. Revenue is shown in thousands of CNY on an axis from 0.

    Raises
    ------
    DataError
        ``forecasts`` not a non-empty dict of glossary key -> table; a table without the
        columns ``expected``, ``sim_low``, ``sim_high`` as non-negative numbers; an unknown
        glossary key; a ``level`` not between 0 and 1.
    """
    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure

    if isinstance(forecasts, pd.DataFrame) or not isinstance(forecasts, Mapping) or not forecasts:
        raise DataError(
            "forecasts must be a dict of glossary key -> table of pipeline.forecast, e.g. "
            f"{{'typed_in_probabilities': table}}, got {type(forecasts).__name__}"
        )
    level = require_number(level, "level", low=0, high=1, low_open=True, high_open=True)
    tables = {}
    for key, table in forecasts.items():
        key = require_text(key, "a key of forecasts")
        term(key)
        require_frame(table, f"forecasts[{key!r}]")
        require_columns(table, ["expected", "sim_low", "sim_high"], f"forecasts[{key!r}]")
        for column in ("expected", "sim_low", "sim_high"):
            require_non_negative(require_numeric(table, column), column)
        tables[key] = table
    periods = sorted({str(p) for table in tables.values() for p in table.index})
    if ax is None:
        _, ax = new_figure()
    width = 0.8 / len(tables)
    pos = np.arange(len(periods))
    interval = figure_text(f"{100 * level:g} % {term('simulation_interval')}")
    for number, (key, table) in enumerate(tables.items()):
        shown = table.set_axis([str(p) for p in table.index]).reindex(periods)
        x = pos - 0.4 + width * (number + 0.5)
        expected = shown["expected"].to_numpy(dtype=float) / 1000
        ax.bar(x, expected, width=width * 0.9, color=PALETTE[number % len(PALETTE)], label=term(key))
        low = shown["sim_low"].to_numpy(dtype=float) / 1000
        high = shown["sim_high"].to_numpy(dtype=float) / 1000
        ax.errorbar(
            x,
            expected,
            yerr=[np.clip(expected - low, 0, None), np.clip(high - expected, 0, None)],
            fmt="none",
            ecolor="0.2",
            capsize=4,
            label=interval if number == 0 else None,
        )
    ax.set_xticks(pos, periods)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(term("close_period"))
    ax.set_ylabel(term("expected_revenue_k_cny"))
    ax.legend(loc="upper right")
    return finish(ax, title, source)
