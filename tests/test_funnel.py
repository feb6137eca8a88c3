"""crmlib.funnel: the funnel model, what marketing spend buys, and A/B comparisons (chapter 07)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    power_proportions_2indep,
)
from statsmodels.stats.proportion import (
    test_proportions_2indep as score_test,
)

import crmlib
from crmlib import funnel
from crmlib.synthetic import DEMO
from crmlib.validation import DataError


@functools.cache
def events() -> pd.DataFrame:
    return crmlib.load_demo("web_events")


@functools.cache
def orders() -> pd.DataFrame:
    return crmlib.load_demo("orders")


@functools.cache
def sessions() -> pd.DataFrame:
    return funnel.session_funnel(events())


@functools.cache
def followed() -> pd.DataFrame:
    return funnel.session_funnel(events(), orders(), window_days=30)


def log_of(deepest: list[int], known: list[bool] | None = None) -> pd.DataFrame:
    """A web log whose session i reaches stage deepest[i] (0 = visit ... 3 = purchase)."""
    rows = []
    names = list(funnel.STAGE_EVENTS.values())
    for i, depth in enumerate(deepest):
        for k in range(depth + 1):
            rows.append(
                {
                    "session_id": f"s{i}",
                    "customer_id": f"c{i}" if known and known[i] else None,
                    "timestamp": pd.Timestamp("2024-01-01") + pd.Timedelta(minutes=10 * i + k),
                    "event": names[k],
                    "channel": "email" if i % 2 else "search",
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- stage counts never increase
@settings(max_examples=40, derandomize=True, deadline=None, database=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=40))
def test_stage_counts_never_increase_along_the_funnel(deepest):
    table = funnel.funnel_table(funnel.session_funnel(log_of(deepest)))
    counts = table["sessions"].to_numpy()
    assert (np.diff(counts) <= 0).all()
    assert counts[0] == len(deepest)
    assert counts[-1] == sum(d == 3 for d in deepest)


@pytest.mark.parametrize("by", [None, "channel", "campaign"])
def test_stage_counts_never_increase_in_any_group_of_the_demo_log(by):
    table = funnel.funnel_table(followed(), by=by)
    groups = [table] if by is None else [table.xs(g, level=by) for g in table.index.unique(level=by)]
    for group in groups:
        assert list(group.index) == list(funnel.FUNNEL_STAGES)
        assert (np.diff(group["sessions"].to_numpy()) <= 0).all()


def test_demo_log_matches_its_data_card():
    """datasets/demo/README.md: 62,500 sessions, 30,762 browse, 8,012 add to cart, 3,539 purchase."""
    counts = funnel.funnel_table(sessions())["sessions"]
    assert counts.tolist() == [62_500, 30_762, 8_012, 3_539]


def test_a_purchase_counts_for_the_stages_before_it_even_if_their_events_are_missing():
    log = pd.DataFrame(
        {
            "session_id": ["s1", "s1"],
            "customer_id": [None, None],
            "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:05"]),
            "event": ["visit", "purchase"],
        }
    )
    reached = funnel.session_funnel(log).loc[0, list(funnel.FUNNEL_STAGES[:4])]
    assert reached.all()


def test_retained_buyers_are_known_buyers_who_order_again_within_the_window():
    log = log_of([3, 3, 3, 2], known=[True, True, False, True])
    od = pd.DataFrame(
        {
            "customer_id": ["c0", "c1", "c2", "c3", "c9"],
            "order_date": pd.to_datetime(
                ["2024-01-20", "2024-03-01", "2024-01-05", "2024-01-03", "2024-06-30"]
            ),
        }
    )
    table = funnel.session_funnel(log, od, window_days=30)
    # s0 again on day 19 (kept), s1 only after the window, s2 anonymous, s3 never bought
    assert table["retained_buyer"].tolist() == [True, False, False, False]


def test_sessions_without_a_full_window_are_left_out():
    table = funnel.session_funnel(events(), orders(), window_days=30)
    assert table["start"].max() < pd.Timestamp("2024-12-02")
    assert len(table) < len(sessions())
    with pytest.raises(DataError, match="no session started 30 days before 2024-01-15"):
        funnel.session_funnel(events(), orders(), window_days=30, observation_end="2024-01-15")


def test_an_unknown_event_is_refused_by_name():
    log = log_of([1]).assign(event=["visit", "checkout"])
    with pytest.raises(DataError, match="1 events that are not funnel events \\('checkout'"):
        funnel.session_funnel(log)


def test_a_stage_without_the_one_before_is_refused():
    table = pd.DataFrame({"visitor": [True], "browser": [False], "shopper": [True], "buyer": [False]})
    with pytest.raises(DataError, match="reach a stage without the one before it"):
        funnel.funnel_table(table)


# ---------------------------------------------------------------- every interval: its estimate, its library
@pytest.mark.parametrize("base", ["previous", "visitor"])
def test_every_wilson_interval_contains_its_conversion_and_is_scipys(base):
    table = funnel.funnel_table(followed(), by="channel", base=base, level=0.9).dropna()
    assert len(table) > 20
    assert ((table["ci_low"] <= table["conversion"]) & (table["conversion"] <= table["ci_high"])).all()
    for _, row in table.iterrows():
        ci = binomtest(int(row["sessions"]), int(row["base_sessions"])).proportion_ci(0.9, method="wilson")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high), abs=1e-12)
        assert row["conversion"] == pytest.approx(row["sessions"] / row["base_sessions"])


def test_the_visitor_stage_has_no_step_conversion():
    row = funnel.funnel_table(sessions()).loc["visitor"]
    assert np.isnan(row["conversion"]) and row["base_sessions"] == row["sessions"]


@pytest.mark.parametrize(
    ("treatment", "control", "channel"),
    [("year_end_2024", "spring_email_2024", "email"), ("double11_2024", "618_2024", "search")],
)
def test_compare_conversion_interval_and_test_are_statsmodels(treatment, control, channel):
    table = sessions()[sessions()["channel"] == channel]
    result = funnel.compare_conversion(table, "campaign", "buyer", treatment, control)
    assert result.ci_low <= result.difference <= result.ci_high
    xt = int(table.loc[table["campaign"] == treatment, "buyer"].sum())
    xc = int(table.loc[table["campaign"] == control, "buyer"].sum())
    args = (xt, result.n_treatment, xc, result.n_control)
    low, high = confint_proportions_2indep(*args, method="newcomb", compare="diff")
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high))
    assert result.p_value == pytest.approx(score_test(*args, method="score").pvalue)


def test_swapping_the_groups_mirrors_the_comparison():
    table = crmlib.load_demo("retention_campaign")
    ab = funnel.compare_conversion(table, "group", "bought_next_quarter", "coupon", "control")
    ba = funnel.compare_conversion(table, "group", "bought_next_quarter", "control", "coupon")
    assert ba.difference == pytest.approx(-ab.difference)
    assert (ba.ci_low, ba.ci_high) == pytest.approx((-ab.ci_high, -ab.ci_low))
    assert ba.p_value == pytest.approx(ab.p_value)
    assert (ab.n_treatment, ab.n_control) == (1236, 1191)  # the data card's group sizes


@settings(max_examples=30, derandomize=True, deadline=None, database=None)
@given(
    st.integers(1, 300), st.integers(1, 300), st.floats(0, 1), st.floats(0, 1), st.sampled_from([0.8, 0.95])
)
def test_every_difference_interval_contains_its_difference(nt, nc, share_t, share_c, level):
    xt, xc = round(share_t * nt), round(share_c * nc)
    table = pd.DataFrame(
        {"g": ["t"] * nt + ["c"] * nc, "y": [1] * xt + [0] * (nt - xt) + [1] * xc + [0] * (nc - xc)}
    )
    result = funnel.compare_conversion(table, "g", "y", "t", "c", level=level)
    assert result.ci_low - 1e-9 <= result.difference <= result.ci_high + 1e-9
    assert -1 <= result.ci_low <= result.ci_high <= 1


# ---------------------------------------------------------------- power and sample size
@pytest.mark.parametrize(("baseline", "lift"), [(0.05, 0.05), (0.10, 0.02), (0.172, 0.02), (0.30, -0.05)])
def test_sample_size_is_the_smallest_that_reaches_the_power(baseline, lift):
    n = funnel.sample_size(baseline, lift, power=0.8)
    assert power_proportions_2indep(lift, baseline, n).power >= 0.8 - 1e-9
    assert power_proportions_2indep(lift, baseline, n - 1).power < 0.8


def test_sample_size_matches_the_textbook_formula_fleiss_2003():
    """Fleiss, Levin & Paik (2003), eq. 4.14 without the continuity correction: 5 % against 10 %."""
    p1, p2, z_a, z_b = 0.05, 0.10, 1.959964, 0.841621
    bar = (p1 + p2) / 2
    n = (z_a * np.sqrt(2 * bar * (1 - bar)) + z_b * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (
        p2 - p1
    ) ** 2
    assert funnel.sample_size(p1, p2 - p1) == int(np.ceil(n))


def test_power_table_grows_with_the_sample_and_the_lift():
    table = funnel.power_table(0.17, [0.01, 0.02, 0.05], [500, 2000, 8000])
    assert (np.diff(table.to_numpy(), axis=1) > 0).all()
    assert (np.diff(table.to_numpy(), axis=0) > 0).all()
    assert ((table > 0) & (table < 1 + 1e-12)).all().all()


def test_a_lift_too_small_to_test_is_refused():
    with pytest.raises(DataError, match="choose a larger lift"):
        funnel.sample_size(0.1, 1e-6)
    with pytest.raises(DataError, match="lift is 0"):
        funnel.sample_size(0.1, 0.0)


# ---------------------------------------------------------------- what a yuan of marketing buys
@functools.cache
def acquisition() -> pd.DataFrame:
    return funnel.acquisition_by_channel(
        crmlib.load_demo("customers"),
        orders(),
        crmlib.load_demo("marketing_spend"),
        "2022-01-01",
        "2023-12-31",
        window_days=365,
    )


def test_cost_per_signup_recovers_the_true_cost_of_each_channel():
    """The data card: always-on spend = signups x a true cost per signup x noise (DemoConfig.acquisition_cost)."""
    estimate = acquisition()["cost_per_signup"]
    truth = pd.Series(dict(DEMO.acquisition_cost))
    assert set(estimate.index) == set(truth.index)
    assert (abs(estimate / truth.reindex(estimate.index) - 1) < 0.10).all()


def test_counts_narrow_and_costs_grow_along_the_acquisition_funnel():
    table = acquisition()
    assert (table["signups"] >= table["buyers"]).all() and (table["buyers"] >= table["retained_buyers"]).all()
    assert (table["cost_per_signup"] <= table["cost_per_buyer"]).all()
    assert (table["cost_per_buyer"] <= table["cost_per_retained_buyer"]).all()
    assert table["margin_per_yuan"].to_numpy() == pytest.approx((table["margin"] / table["spend"]).to_numpy())


def test_the_signup_window_must_end_within_the_data():
    with pytest.raises(DataError, match="runs past the end of the data"):
        funnel.acquisition_by_channel(
            crmlib.load_demo("customers"),
            orders(),
            crmlib.load_demo("marketing_spend"),
            "2024-01-01",
            "2024-06-30",
            window_days=365,
        )


def test_campaign_returns_leave_too_recent_campaigns_open():
    table = funnel.campaign_returns(orders(), crmlib.load_demo("marketing_spend"), sessions(), window_days=30)
    assert len(table) == 7  # the 2024 campaigns with web traffic (data card)
    assert np.isnan(table.loc["year_end_2024", "retained_buyers"])  # ends 2024-12-20: window still open
    closed = table.drop(index="year_end_2024")
    assert (closed["retained_buyers"] <= closed["campaign_buyers"]).all()
    tagged = orders().dropna(subset=["campaign"]).groupby("campaign")["margin"].sum()
    assert table["margin"].to_numpy() == pytest.approx(tagged.reindex(table.index).to_numpy())
    assert table["sessions"].sum() == sessions()["campaign"].notna().sum()
