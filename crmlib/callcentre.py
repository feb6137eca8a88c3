"""The call centre (呼叫中心) of a CRM system: load, Erlang C and staffing.

A call centre answers calls that arrive at random: in an hour with λ calls
and an average handling time h (talk plus wrap-up), the **traffic** is
A = λ·h erlangs, the number of agents that would be busy on average. With
N agents, calls arriving as a Poisson process and exponential handling times
(the M/M/N queue), Erlang (1917) gave

* the probability that a call has to wait, **Erlang C**
  (:func:`erlang_c`), computed here through the Erlang B recursion
  B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)) and C = N·B / (N − A(1 − B)),
  which needs no factorial and is stable for thousands of agents;
* the **service level**, the share of calls answered within a target wait t
  (:func:`service_level`): SL = 1 − C·exp(−(N − A)·t / h);
* the **average speed of answer** ASA = C·h / (N − A)
  (:func:`average_speed_of_answer`).

:func:`agents_needed` finds the fewest agents that reach a service level such
as 80 % of calls within 20 seconds; :func:`hourly_load`,
:func:`staffing_plan` and :func:`observed_service_level` apply it to a call
log, hour by hour. Erlang C ignores callers who hang up (abandon): it is the
planning model, and the log shows where reality departs from it.

References
----------
Erlang, A. K. (1917). Solution of some problems in the theory of probabilities
of significance in automatic telephone exchanges. *Elektroteknikeren* 13.
Gans, N., Koole, G., & Mandelbaum, A. (2003). Telephone call centers: tutorial,
review, and research prospects. *Manufacturing & Service Operations
Management* 5(2), 79-141.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .validation import (
    DataError,
    describe_rows,
    require_columns,
    require_count,
    require_frame,
    require_non_negative,
    require_number,
    require_numeric,
    require_text,
    to_datetime_column,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "MAX_AGENTS",
    "MAX_TRAFFIC",
    "erlang_b",
    "erlang_c",
    "service_level",
    "average_speed_of_answer",
    "agents_needed",
    "hourly_load",
    "staffing_plan",
    "plan_performance",
    "observed_service_level",
    "plot_staffing",
    "plot_service_level",
]

#: The most agents a calculation takes (the recursion runs once per agent).
MAX_AGENTS = 100_000
#: The most traffic, in erlangs, :func:`agents_needed` plans for (it needs a few more agents than erlangs).
MAX_TRAFFIC = 90_000.0


def _traffic(traffic: object) -> float:
    return require_number(traffic, "traffic", low=0, high=MAX_TRAFFIC)


def _agents(agents: object) -> int:
    return require_count(
        agents,
        "agents",
        low=0,
        high=MAX_AGENTS,
        reason="the Erlang B recursion runs once per agent; no call centre has more",
    )


def _handling_time(handling_time: object) -> float:
    return require_number(handling_time, "handling_time", low=0, low_open=True, high=86_400)


def _target_wait(target_wait: object) -> float:
    return require_number(target_wait, "target_wait", low=0, high=86_400)


def erlang_b(traffic: float, agents: int) -> float:
    """Erlang B: the probability that all ``agents`` are busy when calls are lost, not queued.

    By the recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), which stays
    between 0 and 1 at every step, so no factorial and no power of A is ever
    formed: 1,000 agents are as easy as 10.

    Parameters
    ----------
    traffic : float
        Offered traffic A in erlangs (calls per hour × handling time in hours), 0 to ``MAX_TRAFFIC``.
    agents : int
        Number of agents N, 0 to ``MAX_AGENTS``.

    Returns
    -------
    float
        The blocking probability, in [0, 1] (1 with no agent, 0 with no traffic).

    Raises
    ------
    DataError
        ``traffic`` not a number from 0 to ``MAX_TRAFFIC``; ``agents`` not a whole number
        from 0 to ``MAX_AGENTS``.

    References
    ----------
    Erlang (1917); the recursion is the standard way to compute it (e.g. Gans, Koole &
    Mandelbaum 2003, section 4.1).

    Examples
    --------
    >>> round(erlang_b(10, 10), 4)
    0.2146
    """
    a = _traffic(traffic)
    n = _agents(agents)
    blocking = 1.0
    for k in range(1, n + 1):
        blocking = a * blocking / (k + a * blocking)
    return blocking


def erlang_c(traffic: float, agents: int) -> float:
    """Erlang C: the probability that a call has to wait, with ``agents`` agents and ``traffic`` erlangs.

    For N agents and traffic A < N (Poisson arrivals, exponential handling times),

        C(N, A) = N·B / (N − A·(1 − B)),   B = Erlang B(N, A) (:func:`erlang_b`),

    which equals the textbook form (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A))
    without its overflowing factorials. With A ≥ N (and A > 0) the queue grows without end
    and every call waits: the result is 1. Without traffic no call waits: 0.

    Parameters
    ----------
    traffic : float
        Traffic A in erlangs: calls per hour × average handling time in hours.
    agents : int
        Number of agents N answering calls.

    Returns
    -------
    float
        The probability of waiting, in [0, 1].

    Raises
    ------
    DataError
        As :func:`erlang_b`.

    References
    ----------
    Erlang (1917). The worked example of Call Centre Helper, "Erlang C formula – made
    simple with an easy worked example" (10 erlangs, 11 agents: 68.21 %), is a unit test.

    Examples
    --------
    >>> round(erlang_c(10, 11), 4)
    0.6821
    """
    a = _traffic(traffic)
    n = _agents(agents)
    if a == 0:
        return 0.0
    if a >= n:
        return 1.0
    blocking = erlang_b(a, n)
    return n * blocking / (n - a * (1.0 - blocking))


def service_level(traffic: float, agents: int, handling_time: float, target_wait: float) -> float:
    """The share of calls answered within ``target_wait`` (the service level), by Erlang C.

        SL = 1 − C(N, A) · exp(−(N − A) · t / h),

    with C the probability of waiting (:func:`erlang_c`), t the target wait and h the
    average handling time (in the same unit, e.g. seconds). With A ≥ N (and A > 0) the
    queue grows without end and the service level is 0; without traffic it is 1.

    Parameters
    ----------
    traffic : float
        Traffic A in erlangs.
    agents : int
        Number of agents N.
    handling_time : float
        Average handling time h (talk and wrap-up), above 0; seconds in the course.
    target_wait : float
        The target t ("answered within 20 seconds": 20), in the unit of ``handling_time``.

    Returns
    -------
    float
        The service level, in [0, 1].

    Raises
    ------
    DataError
        As :func:`erlang_b`; ``handling_time`` not above 0; ``target_wait`` negative (both at
        most 86,400, one day in seconds).

    Examples
    --------
    >>> round(service_level(10, 14, handling_time=180, target_wait=20), 4)  # 100 calls per 30 minutes
    0.8884
    """
    a = _traffic(traffic)
    n = _agents(agents)
    h = _handling_time(handling_time)
    t = _target_wait(target_wait)
    if a == 0:
        return 1.0
    if a >= n:
        return 0.0
    return 1.0 - erlang_c(a, n) * math.exp(-(n - a) * t / h)


def average_speed_of_answer(traffic: float, agents: int, handling_time: float) -> float:
    """The mean wait of all calls (ASA), by Erlang C: ASA = C(N, A) · h / (N − A).

    Parameters
    ----------
    traffic, agents, handling_time
        As in :func:`service_level`.

    Returns
    -------
    float
        The mean wait in the unit of ``handling_time``; ``inf`` when A ≥ N and A > 0 (the queue
        grows without end), 0 without traffic.

    Raises
    ------
    DataError
        As :func:`service_level`.

    Examples
    --------
    >>> round(average_speed_of_answer(10, 14, handling_time=180), 2)
    7.84
    """
    a = _traffic(traffic)
    n = _agents(agents)
    h = _handling_time(handling_time)
    if a == 0:
        return 0.0
    if a >= n:
        return math.inf
    return erlang_c(a, n) * h / (n - a)


def agents_needed(
    traffic: float, handling_time: float, target_wait: float = 20.0, target_level: float = 0.8
) -> int:
    """The fewest agents whose Erlang C service level reaches ``target_level``.

    Starting from the smallest N above the traffic A (fewer agents cannot keep up), N
    grows by one until 1 − C(N, A)·exp(−(N − A)·t/h) ≥ ``target_level``. Erlang B is
    carried along the way, so the search costs one step per agent.

    Parameters
    ----------
    traffic : float
        Traffic A in erlangs, 0 to ``MAX_TRAFFIC``.
    handling_time : float
        Average handling time h, above 0 (seconds).
    target_wait : float
        Target wait t in the unit of ``handling_time`` (default 20 seconds).
    target_level : float
        Share of calls to answer within t, above 0 and below 1 (default 0.8: "80/20").

    Returns
    -------
    int
        The number of agents (0 when there is no traffic).

    Raises
    ------
    DataError
        ``traffic`` not a number from 0 to ``MAX_TRAFFIC``; ``handling_time`` not above 0;
        ``target_wait`` negative; ``target_level`` not strictly between 0 and 1.

    Examples
    --------
    >>> agents_needed(10, handling_time=180, target_wait=20, target_level=0.8)
    14
    """
    a = _traffic(traffic)
    h = _handling_time(handling_time)
    t = _target_wait(target_wait)
    goal = require_number(target_level, "target_level", low=0, high=1, low_open=True, high_open=True)
    if a == 0:
        return 0
    blocking = 1.0
    n = 0
    while True:
        n += 1
        blocking = a * blocking / (n + a * blocking)
        if n <= a:
            continue
        wait = n * blocking / (n - a * (1.0 - blocking))
        if 1.0 - wait * math.exp(-(n - a) * t / h) >= goal:
            return n


def hourly_load(
    calls: pd.DataFrame,
    time_col: str = "call_start",
    handle_col: str = "handle_seconds",
    outcome_col: str = "outcome",
    abandoned: str = "abandoned",
) -> pd.DataFrame:
    """Calls per hour of the day and their handling time, from a call log.

    The centre is taken to be open on every day the log covers (the distinct dates of
    ``time_col``): an hour without a call on some day counts as zero calls that day.

        calls_per_hour(h) = calls that arrived in hour h / days in the log,
        handling_time(h)  = mean ``handle_col`` of the answered calls of hour h.

    Parameters
    ----------
    calls : DataFrame
        One row per call: arrival time, handling time in seconds (0 for an abandoned
        call) and outcome.
    time_col, handle_col, outcome_col : str
        Column names.
    abandoned : str
        The outcome of a caller who hung up before an agent answered; such calls count
        as arrivals but not in the handling time.

    Returns
    -------
    DataFrame
        Indexed by ``hour`` (0-23, every hour from the first to the last with a call):
        ``days``, ``calls``, ``calls_per_hour``, ``answered`` and ``handling_time``
        (seconds; NaN in an hour whose calls were all abandoned: there is no handling
        time to average).

    Raises
    ------
    DataError
        ``calls`` not a non-empty table or missing a column; missing or unparseable
        times; handling times that are not numbers or are negative; missing outcomes;
        ``abandoned`` not a text.

    Examples
    --------
    >>> log = pd.DataFrame({"call_start": pd.to_datetime(["2024-10-01 09:10", "2024-10-01 09:40",
    ...                                                   "2024-10-02 09:05", "2024-10-02 10:30"]),
    ...                     "handle_seconds": [300, 0, 200, 400],
    ...                     "outcome": ["resolved", "abandoned", "resolved", "resolved"]})
    >>> hourly_load(log)[["calls", "calls_per_hour", "handling_time"]]
          calls  calls_per_hour  handling_time
    hour
    9         3             1.5          250.0
    10        1             0.5          400.0
    """
    abandoned = require_text(abandoned, "abandoned")
    require_frame(calls, "calls")
    require_columns(calls, [time_col, handle_col, outcome_col], "calls")
    times = to_datetime_column(calls, time_col)
    handle = require_numeric(calls, handle_col)
    require_non_negative(handle, handle_col, "a handling time is a duration in seconds")
    _require_outcomes(calls, outcome_col)
    days = times.dt.normalize().nunique()
    hour = pd.Series(times.dt.hour.to_numpy(), name="hour")
    answered = pd.Series((calls[outcome_col] != abandoned).to_numpy())
    counts = hour.value_counts()
    hours = pd.RangeIndex(int(hour.min()), int(hour.max()) + 1, name="hour")
    handled = pd.Series(handle.to_numpy())[answered.to_numpy()].groupby(hour[answered.to_numpy()]).mean()
    out = pd.DataFrame(
        {
            "days": days,
            "calls": counts.reindex(hours, fill_value=0).astype(int),
            "answered": answered.groupby(hour).sum().reindex(hours, fill_value=0).astype(int),
        },
        index=hours,
    )
    out["calls_per_hour"] = out["calls"] / days
    out["handling_time"] = handled.reindex(hours)
    return out[["days", "calls", "calls_per_hour", "answered", "handling_time"]]


def _require_outcomes(calls: pd.DataFrame, outcome_col: str) -> None:
    missing = calls[outcome_col].isna()
    if missing.any():
        raise DataError(
            f"column {outcome_col!r} has {int(missing.sum())} missing outcomes "
            f"({describe_rows(calls.index[missing])}): every call needs one"
        )


def staffing_plan(
    load: pd.DataFrame,
    traffic_col: str = "traffic",
    handling_time: float = 330.0,
    target_wait: float = 20.0,
    target_level: float = 0.8,
) -> pd.DataFrame:
    """Agents needed in each row (an hour) of a load table, with what Erlang C expects of them.

    For each row's traffic A: N = :func:`agents_needed`, and with N agents the
    probability of waiting C, the service level SL, the average speed of answer (ASA)
    and the occupancy A / N (the share of the agents' time spent on calls).

    Parameters
    ----------
    load : DataFrame
        One row per period (hour) with its traffic in erlangs.
    traffic_col : str
        The traffic column (calls per hour × handling time in seconds / 3,600).
    handling_time : float
        Average handling time in seconds, above 0 (default 330, the demo company's mean).
    target_wait, target_level : float
        The service-level goal (default 80 % of calls within 20 seconds).

    Returns
    -------
    DataFrame
        Same index as ``load``: ``traffic``, ``agents``, ``p_wait``, ``service_level``,
        ``asa_seconds``, ``occupancy``. A row without traffic needs 0 agents; its
        service level is 1 and its occupancy 0.

    Raises
    ------
    DataError
        ``load`` not a non-empty table, without ``traffic_col``, traffic that is not a
        number, negative or above ``MAX_TRAFFIC``; a bad ``handling_time``,
        ``target_wait`` or ``target_level`` (see :func:`agents_needed`).

    Examples
    --------
    >>> staffing_plan(pd.DataFrame({"traffic": [10.0, 0.0]}), handling_time=180)["agents"].tolist()
    [14, 0]
    """
    require_frame(load, "load")
    traffic = require_numeric(load, traffic_col)
    require_non_negative(traffic, traffic_col, "traffic is calls per hour × handling time in hours")
    h = _handling_time(handling_time)
    t = _target_wait(target_wait)
    goal = require_number(target_level, "target_level", low=0, high=1, low_open=True, high_open=True)
    erlangs = [_traffic(float(a)) for a in traffic.to_numpy()]
    return _performance([(a, agents_needed(a, h, t, goal)) for a in erlangs], h, t, load.index)


def plan_performance(
    plan: pd.DataFrame,
    traffic_col: str = "traffic",
    agents_col: str = "agents",
    handling_time: float = 330.0,
    target_wait: float = 20.0,
) -> pd.DataFrame:
    """What Erlang C expects of a given staffing plan: each row's traffic met by its agents.

    Use it to ask what happens when the traffic changes and the plan does not (the same
    agents facing a peak): where A ≥ N the queue grows without end, so the probability of
    waiting is 1, the service level 0 and the average speed of answer infinite.

    Parameters
    ----------
    plan : DataFrame
        One row per period with its traffic (erlangs) and its agents.
    traffic_col, agents_col : str
        Column names.
    handling_time, target_wait : float
        Average handling time and target wait, in seconds.

    Returns
    -------
    DataFrame
        Same index as ``plan``: ``traffic``, ``agents``, ``p_wait``, ``service_level``,
        ``asa_seconds`` (``inf`` where the agents cannot keep up) and ``occupancy``
        (traffic / agents, above 1 where they cannot keep up; ``inf`` with no agent and
        some traffic, 0 with neither).

    Raises
    ------
    DataError
        ``plan`` not a non-empty table or missing a column; traffic that is not a number,
        negative or above ``MAX_TRAFFIC``; agents that are not whole numbers from 0 to
        ``MAX_AGENTS``; a bad ``handling_time`` or ``target_wait``.

    Examples
    --------
    >>> plan = pd.DataFrame({"traffic": [10.0, 17.0], "agents": [14, 14]})
    >>> plan_performance(plan, handling_time=180)["service_level"].round(3).tolist()
    [0.888, 0.0]
    """
    require_frame(plan, "plan")
    traffic = require_numeric(plan, traffic_col)
    agents = require_numeric(plan, agents_col)
    h = _handling_time(handling_time)
    t = _target_wait(target_wait)
    pairs = zip(traffic.to_numpy(), agents.to_numpy(), strict=True)
    return _performance([(_traffic(float(a)), _agents(float(n))) for a, n in pairs], h, t, plan.index)


def _performance(plan: list[tuple[float, int]], h: float, t: float, index: pd.Index) -> pd.DataFrame:
    """Erlang C's expectations for each (traffic, agents) pair of a plan."""
    rows = []
    for a, n in plan:
        occupancy = a / n if n > 0 else (math.inf if a > 0 else 0.0)
        rows.append(
            (a, n, erlang_c(a, n), service_level(a, n, h, t), average_speed_of_answer(a, n, h), occupancy)
        )
    columns = ["traffic", "agents", "p_wait", "service_level", "asa_seconds", "occupancy"]
    out = pd.DataFrame(rows, columns=columns, index=index)
    out["agents"] = out["agents"].astype(int)
    return out


def observed_service_level(
    calls: pd.DataFrame,
    time_col: str = "call_start",
    wait_col: str = "wait_seconds",
    outcome_col: str = "outcome",
    abandoned: str = "abandoned",
    target_wait: float = 20.0,
) -> pd.DataFrame:
    """The service level a call log shows, hour by hour: answered within the target / all calls.

    An abandoned call counts as not answered within the target, whatever its wait: a
    caller who hangs up after 10 seconds was not served. (Some centres leave calls
    abandoned within a few seconds out of the count; the demo company does not.)

    Parameters
    ----------
    calls : DataFrame
        One row per call: arrival time, seconds waited, outcome.
    time_col, wait_col, outcome_col : str
        Column names.
    abandoned : str
        The outcome of a call whose caller hung up before being answered.
    target_wait : float
        The target wait in seconds (default 20).

    Returns
    -------
    DataFrame
        Indexed by ``hour`` (those with calls): ``calls``, ``service_level`` (share
        answered within the target), ``abandoned`` (share) and ``mean_wait``
        (seconds, over all calls).

    Raises
    ------
    DataError
        ``calls`` not a non-empty table or missing a column; missing or unparseable
        times; waits that are not numbers or negative; missing outcomes; a negative
        ``target_wait``; ``abandoned`` not a text.

    Examples
    --------
    >>> log = pd.DataFrame({"call_start": pd.to_datetime(["2024-10-01 09:10", "2024-10-01 09:40"]),
    ...                     "wait_seconds": [5, 60], "outcome": ["resolved", "abandoned"]})
    >>> observed_service_level(log)["service_level"].tolist()
    [0.5]
    """
    abandoned = require_text(abandoned, "abandoned")
    t = _target_wait(target_wait)
    require_frame(calls, "calls")
    require_columns(calls, [time_col, wait_col, outcome_col], "calls")
    times = to_datetime_column(calls, time_col)
    wait = require_numeric(calls, wait_col)
    require_non_negative(wait, wait_col, "a wait is a duration in seconds")
    _require_outcomes(calls, outcome_col)
    lost = (calls[outcome_col] == abandoned).to_numpy()
    frame = pd.DataFrame(
        {
            "hour": times.dt.hour.to_numpy(),
            "in_target": ~lost & (wait.to_numpy() <= t),
            "abandoned": lost,
            "wait": wait.to_numpy(),
        }
    )
    grouped = frame.groupby("hour")
    out = pd.DataFrame(
        {
            "calls": grouped.size().astype(int),
            "service_level": grouped["in_target"].mean(),
            "abandoned": grouped["abandoned"].mean(),
            "mean_wait": grouped["wait"].mean(),
        }
    )
    out.index.name = "hour"
    return out


def _tables(tables: object, name: str, column: str) -> dict[str, pd.DataFrame]:
    """A mapping of scenario name (a glossary key) -> table with ``column``, as a dict."""
    from .glossary import term

    if isinstance(tables, pd.DataFrame) or not isinstance(tables, Mapping) or not tables:
        raise DataError(
            f"{name} must be a dict of glossary key -> table, e.g. {{'normal_days': table}}, got "
            f"{type(tables).__name__}"
        )
    out = {}
    for key, table in tables.items():
        key = require_text(key, f"a key of {name}")
        term(key)  # UnknownTermError for a key the glossary does not know
        require_frame(table, f"{name}[{key!r}]")
        require_columns(table, [column], f"{name}[{key!r}]")
        values = require_numeric(table, column)
        require_non_negative(values, column)
        hours = pd.Index(table.index)
        if not pd.api.types.is_integer_dtype(hours) or hours.min() < 0 or hours.max() > 23:
            raise DataError(
                f"{name}[{key!r}] must be indexed by the hour of the day (0-23), as hourly tables are"
            )
        out[key] = table
    return out


def plot_staffing(
    plans: Mapping[str, pd.DataFrame],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The staffing curve: agents needed in each hour of the day, one step line per scenario.

    ``plans`` maps a glossary key (the legend label, e.g. ``"normal_days"``) to a table of
    :func:`staffing_plan` indexed by hour. Each hour is drawn as a step that spans it
    (09:00-10:00 at the level of hour 9); the axis starts at 0 agents.

    Raises
    ------
    DataError
        ``plans`` not a non-empty dict of glossary key -> table; a table without an
        ``agents`` column of non-negative numbers or not indexed by hours 0-23; a key the
        glossary does not know (:class:`~crmlib.glossary.UnknownTermError`).
    """
    from .glossary import term
    from .plots import PALETTE, finish, new_figure

    tables = _tables(plans, "plans", "agents")
    if ax is None:
        _, ax = new_figure()
    top = 0.0
    for number, (key, table) in enumerate(tables.items()):
        hours = np.asarray(table.index, dtype=float)
        agents = table["agents"].to_numpy(dtype=float)
        ax.step(
            np.r_[hours, hours[-1] + 1],
            np.r_[agents, agents[-1]],
            where="post",
            color=PALETTE[number % len(PALETTE)],
            linewidth=2,
            label=term(key),
        )
        top = max(top, float(agents.max()))
    ax.set_ylim(0, max(top * 1.15, 1))
    ax.set_xlabel(term("hour_of_day"))
    ax.set_ylabel(term("agents_needed"))
    ax.legend(loc="upper right")
    return finish(ax, title, source)


def plot_service_level(
    observed: Mapping[str, pd.DataFrame],
    *,
    predicted: Mapping[str, pd.DataFrame] | None = None,
    target_level: float = 0.8,
    target_wait: float = 20.0,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Observed service level by hour, one line per scenario, against the target and Erlang C.

    ``observed`` maps a glossary key (the legend label) to a table of
    :func:`observed_service_level`; ``predicted`` (optional) maps the same kind of key to a
    table with a ``service_level`` column by hour, what Erlang C expects (e.g. from
    :func:`staffing_plan` or :func:`service_level`), drawn dashed in the same colour when
    the key is also in ``observed``. The axis runs from 0 to 100 %; the target (e.g. 80 %
    within 20 s) is a grey dashed line labelled with both numbers.

    Raises
    ------
    DataError
        ``observed`` (or ``predicted``) not a non-empty dict of glossary key -> table; a
        table without a ``service_level`` column of shares from 0 to 1 or not indexed by
        hours 0-23; an unknown glossary key; a ``target_level`` not between 0 and 1 or a
        negative ``target_wait``.
    """
    from .glossary import term
    from .plots import PALETTE, figure_text, finish, new_figure

    tables = _tables(observed, "observed", "service_level")
    expected = {} if predicted is None else _tables(predicted, "predicted", "service_level")
    goal = require_number(target_level, "target_level", low=0, high=1, rate=True)
    seconds = _target_wait(target_wait)
    for name, group in (("observed", tables), ("predicted", expected)):
        for key, table in group.items():
            if (table["service_level"] > 1).any():
                raise DataError(f"{name}[{key!r}] has service levels above 1: give shares (80 % is 0.8)")
    if ax is None:
        _, ax = new_figure()
    colours = {}
    for number, (key, table) in enumerate(tables.items()):
        colours[key] = PALETTE[number % len(PALETTE)]
        ax.plot(
            table.index,
            100 * table["service_level"].to_numpy(dtype=float),
            "o-",
            color=colours[key],
            linewidth=2,
            label=figure_text(f"{term(key)}: {term('observed_in_log')}"),
        )
    for number, (key, table) in enumerate(expected.items()):
        colour = colours.get(key, PALETTE[(len(tables) + number) % len(PALETTE)])
        ax.plot(
            table.index,
            100 * table["service_level"].to_numpy(dtype=float),
            "--",
            color=colour,
            linewidth=1.5,
            label=figure_text(f"{term(key)}: {term('erlang_c_prediction')}"),
        )
    ax.axhline(
        100 * goal,
        color="0.4",
        linestyle=":",
        linewidth=1.5,
        label=figure_text(f"{term('service_level_target')}: {100 * goal:g} % / {seconds:g} s"),
    )
    ax.set_ylim(0, 100)
    ax.set_xlabel(term("hour_of_day"))
    ax.set_ylabel(term("share_answered_in_target"))
    ax.legend(loc="lower left", fontsize=9)
    return finish(ax, title, source)
