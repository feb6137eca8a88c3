"""Erlang B and C, the service level and the staffing of crmlib.callcentre, against published
numbers, exact identities and the properties a queue must have."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import crmlib
from crmlib import callcentre
from crmlib.validation import DataError


def test_erlang_c_and_service_level_match_the_call_centre_helper_worked_example():
    """Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
    (https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm): 100 calls in 30 minutes
    with an average handling time of 180 s is 10 erlangs; the target is 80 % of calls answered within
    20 s. With 11 agents the probability of waiting is 68.21 %; 14 agents are the fewest that meet the
    target. The CRAN package ErlangC 0.1.0 (reference manual, function erlang_c and calculate_agents)
    reproduces the same example with more digits: with 14 agents the probability of waiting is
    0.1741319, the service level 0.88835, the average speed of answer 7.83593701 s and the occupancy
    0.7142857, and its search passes 11 agents at a probability of waiting of 0.6821182."""
    traffic = 100 / (30 * 60) * 180
    assert traffic == pytest.approx(10.0)
    assert callcentre.erlang_c(traffic, 11) == pytest.approx(0.6821182, abs=5e-8)
    assert round(100 * callcentre.erlang_c(traffic, 11), 2) == 68.21
    assert callcentre.erlang_c(traffic, 14) == pytest.approx(0.1741319, abs=5e-8)
    assert callcentre.service_level(traffic, 14, 180, 20) == pytest.approx(0.88835, abs=5e-6)
    assert callcentre.average_speed_of_answer(traffic, 14, 180) == pytest.approx(7.83593701, abs=1e-7)
    assert callcentre.agents_needed(traffic, 180, 20, 0.8) == 14
    plan = callcentre.staffing_plan(pd.DataFrame({"traffic": [traffic]}), handling_time=180)
    assert plan.loc[0, "occupancy"] == pytest.approx(0.7142857, abs=5e-8)


def _erlang_c_by_factorials(traffic: Fraction, agents: int) -> Fraction:
    """The textbook formula, in exact rational arithmetic (possible only for small N)."""
    top = traffic**agents / math.factorial(agents) * Fraction(agents) / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


@pytest.mark.parametrize(("traffic", "agents"), [(1, 2), (2.5, 3), (7.25, 9), (18, 21), (30, 35)])
def test_erlang_c_equals_the_factorial_formula_where_that_can_be_computed(traffic, agents):
    exact = _erlang_c_by_factorials(Fraction(traffic), agents)
    assert callcentre.erlang_c(traffic, agents) == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize(("traffic", "agents"), [(10, 10), (95.5, 100), (480, 500), (900, 960), (2500, 2600)])
def test_erlang_b_equals_the_truncated_poisson_identity_at_hundreds_of_agents(traffic, agents):
    """Erlang B is the Poisson probability of N divided by the probability of at most N
    (an identity), computed independently by scipy in log space."""
    expected = math.exp(stats.poisson.logpmf(agents, traffic) - stats.poisson.logcdf(agents, traffic))
    assert callcentre.erlang_b(traffic, agents) == pytest.approx(expected, rel=1e-9)


def test_no_overflow_with_thousands_of_agents():
    for traffic, agents in [(900.0, 950), (5000.0, 5100), (20000.0, 20200)]:
        wait = callcentre.erlang_c(traffic, agents)
        level = callcentre.service_level(traffic, agents, 300, 20)
        assert 0 < wait < 1 and 0 < level < 1
        assert math.isfinite(callcentre.average_speed_of_answer(traffic, agents, 300))
    needed = callcentre.agents_needed(900.0, 300, 20, 0.8)
    assert 900 < needed < 960


def test_more_agents_mean_less_waiting_and_a_higher_service_level():
    waits = [callcentre.erlang_c(10.0, n) for n in range(11, 25)]
    levels = [callcentre.service_level(10.0, n, 180, 20) for n in range(11, 25)]
    assert all(np.diff(waits) < 0) and all(np.diff(levels) > 0)
    assert callcentre.service_level(10.0, 14, 180, 60) > callcentre.service_level(10.0, 14, 180, 20)
    assert callcentre.service_level(10.0, 14, 180, 0) == pytest.approx(1 - callcentre.erlang_c(10.0, 14))


def test_agents_needed_is_the_fewest_that_reach_the_target():
    for traffic in (0.4, 1.45, 2.5, 12.3, 48.0, 250.0):
        n = callcentre.agents_needed(traffic, 330, 20, 0.8)
        assert callcentre.service_level(traffic, n, 330, 20) >= 0.8
        assert n - 1 <= traffic or callcentre.service_level(traffic, n - 1, 330, 20) < 0.8


def test_an_overloaded_centre_waits_forever_and_no_traffic_never_waits():
    assert callcentre.erlang_c(12.0, 10) == 1.0
    assert callcentre.service_level(10.0, 10, 180, 20) == 0.0
    assert callcentre.average_speed_of_answer(10.0, 9, 180) == math.inf
    assert callcentre.erlang_c(0.0, 3) == 0.0 and callcentre.service_level(0.0, 0, 180, 20) == 1.0
    assert callcentre.agents_needed(0.0, 180) == 0
    performance = callcentre.plan_performance(
        pd.DataFrame({"traffic": [17.0], "agents": [14]}), handling_time=180
    )
    assert performance.loc[0, "service_level"] == 0.0 and performance.loc[0, "occupancy"] > 1


@pytest.mark.parametrize(
    "bad", [{"traffic": -1.0}, {"agents": 2.5}, {"agents": 10**6}, {"traffic": math.nan}]
)
def test_bad_arguments_are_refused(bad):
    arguments = {"traffic": 10.0, "agents": 11} | bad
    with pytest.raises(DataError):
        callcentre.erlang_c(**arguments)


def test_hourly_load_counts_every_call_over_every_day_of_the_log():
    calls = crmlib.load_demo("calls")
    load = callcentre.hourly_load(calls)
    assert load["calls"].sum() == len(calls)
    assert (load["days"] == calls["call_start"].dt.normalize().nunique()).all()
    assert (load["calls_per_hour"] * load["days"]).round(9).equals(load["calls"].astype(float))
    answered = calls[calls["outcome"] != "abandoned"]
    assert load["answered"].sum() == len(answered)
    by_hand = answered.groupby(answered["call_start"].dt.hour)["handle_seconds"].mean()
    assert np.allclose(load["handling_time"], by_hand.reindex(load.index))


def test_observed_service_level_counts_an_abandoned_call_as_missed():
    log = pd.DataFrame(
        {
            "call_start": pd.to_datetime(["2024-10-01 09:01", "2024-10-01 09:30", "2024-10-01 09:45"]),
            "wait_seconds": [5, 10, 40],
            "outcome": ["resolved", "abandoned", "resolved"],
        }
    )
    observed = callcentre.observed_service_level(log, target_wait=20)
    assert observed.loc[9, "service_level"] == pytest.approx(1 / 3)
    assert observed.loc[9, "abandoned"] == pytest.approx(1 / 3)


def test_the_demo_plan_meets_80_20_on_normal_days_and_not_after_double_11():
    """The data card: staffing planned for 80 % within 20 s; the post-Double-11 peak is not planned for."""
    calls = crmlib.load_demo("calls")
    peak = calls["call_start"].between("2024-11-12", "2024-11-20 23:59:59")
    normal = callcentre.observed_service_level(calls[~peak])
    rush = callcentre.observed_service_level(calls[peak])
    share = lambda table: (table["service_level"] * table["calls"]).sum() / table["calls"].sum()  # noqa: E731
    assert share(normal) >= 0.8 > share(rush)
