"""Properties of crmlib.satisfaction: gaps, derived importance, IPA, NPS, later behaviour."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import satisfaction as sat
from crmlib.validation import DataError


def _survey(n=3000, seed=0):
    """Survey simulated with known gaps and known weights of the attributes in overall satisfaction."""
    rng = np.random.default_rng(seed)
    weights = {"a": 0.6, "b": 0.3, "c": 0.0}
    gaps = {"a": 0.0, "b": -1.0, "c": 0.5}
    data = {}
    overall = np.zeros(n)
    for name in weights:
        exp = rng.normal(5, 1, n)
        perc = exp + gaps[name] + rng.normal(0, 1, n)
        data[f"exp_{name}"], data[f"perc_{name}"] = exp, perc
        overall += weights[name] * perc
    data["overall_satisfaction"] = overall + rng.normal(0, 0.5, n)
    return pd.DataFrame(data)


def test_gaps_recover_the_simulated_means_within_their_intervals():
    gaps = sat.attribute_gaps(_survey(), ["a", "b", "c"])
    for name, true_gap in {"a": 0.0, "b": -1.0, "c": 0.5}.items():
        row = gaps.loc[name]
        assert row["ci_low"] < true_gap < row["ci_high"]
        assert row["ci_high"] - row["ci_low"] < 0.15
    assert gaps.loc["b", "share_below"] > 0.5 > gaps.loc["c", "share_below"]


def test_derived_weights_recover_the_drivers_and_ipa_flags_the_important_underperformer():
    survey = _survey()
    imp = sat.derived_importance(survey, ["a", "b", "c"])
    assert imp.loc["a", "weight"] > imp.loc["b", "weight"] > 0.1
    assert abs(imp.loc["c", "weight"]) < 0.05
    # a correlation ignores the other attributes: with independent attributes it orders them the same way
    assert imp["correlation"].idxmax() == "a"
    ipa = sat.importance_performance(survey, ["a", "b", "c"], performance="gap")
    assert ipa.loc["b", "quadrant"] == "concentrate_here"
    assert ipa.loc["a", "quadrant"] == "keep_up_the_good_work"
    assert ipa.loc["c", "quadrant"] == "possible_overkill"


def test_importance_errors():
    survey = _survey(50)
    with pytest.raises(DataError, match="no column 'perc_d'"):
        sat.derived_importance(survey, ["a", "d"])
    with pytest.raises(DataError, match="is constant"):
        sat.derived_importance(survey.assign(perc_a=3.0), ["a", "b"])
    with pytest.raises(DataError, match="performance must be"):
        sat.importance_performance(survey, ["a", "b"], performance="mean")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_nps_is_promoters_minus_detractors_and_bounded(scores):
    r = sat.nps(scores)
    x = np.array(scores)
    assert r.score == pytest.approx(100 * ((x >= 9).mean() - (x <= 6).mean()))
    assert -100 <= r.score <= 100
    assert r.promoters + r.passives + r.detractors == pytest.approx(1.0)
    assert r.ci_low <= r.score <= r.ci_high
    # the variance formula equals the sample variance (ddof=0) of the +1/0/-1 coding
    coded = np.where(x >= 9, 1.0, np.where(x <= 6, -1.0, 0.0))
    assert r.se == pytest.approx(100 * coded.std() / np.sqrt(len(x)), abs=1e-9)


def test_nps_standard_error_matches_the_spread_of_simulated_surveys():
    rng = np.random.default_rng(5)
    probs = np.r_[np.full(7, 0.4 / 7), [0.2, 0.15], [0.1, 0.15]]
    draws = [sat.nps(rng.choice(11, size=400, p=probs)).score for _ in range(2000)]
    expected_se = sat.nps(rng.choice(11, size=400, p=probs)).se
    assert np.std(draws) == pytest.approx(expected_se, rel=0.1)
    assert np.mean(draws) == pytest.approx(100 * (0.25 - 0.4), abs=0.5)


def test_nps_errors():
    with pytest.raises(DataError, match="not whole numbers from 0 to 10"):
        sat.nps([3, 11])
    with pytest.raises(DataError, match="missing answers"):
        sat.nps([3, np.nan])


def test_orders_after_counts_only_later_days_within_the_window():
    events = pd.DataFrame({"customer_id": ["a", "b", "c"], "day": pd.to_datetime(["2024-01-10"] * 3)})
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "order_date": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-06-01", "2024-01-09"]),
        }
    )
    out = sat.orders_after(events, orders, "day")
    assert out["orders_after"].tolist() == [2, 0, 0]
    windowed = sat.orders_after(events, orders, "day", window_days=30)
    assert windowed["orders_after"].tolist() == [1, 0, 0]
    assert windowed["bought_again"].tolist() == [True, False, False]
    with pytest.raises(DataError, match="window_days must be positive"):
        sat.orders_after(events, orders, "day", window_days=0)


def test_complaint_outcomes_drop_tickets_without_a_full_window():
    tickets = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "opened_at": pd.to_datetime(["2024-01-01", "2024-12-01"]),
            "resolution": ["resolved", "unresolved"],
        }
    )
    orders = pd.DataFrame(
        {"customer_id": ["a", "b"], "order_date": pd.to_datetime(["2024-02-01", "2024-12-31"])}
    )
    out = sat.complaint_outcomes(tickets, orders, window_days=180)
    assert out["customer_id"].tolist() == ["a"] and out["bought_again"].tolist() == [True]
    with pytest.raises(DataError, match="shorten window_days"):
        sat.complaint_outcomes(tickets, orders, window_days=400)


def test_rate_by_level_wilson_interval_matches_the_published_example():
    """Wilson (1927) interval; Newcombe (1998), Stat. Med. 17, Table I: 81/263 gives 0.2553 to 0.3662."""
    t = pd.DataFrame({"g": ["x"] * 263, "y": [1] * 81 + [0] * 182})
    row = sat.rate_by_level(t, "g", "y").loc["x"]
    assert row["ci_low"] == pytest.approx(0.2553, abs=1e-4)
    assert row["ci_high"] == pytest.approx(0.3662, abs=1e-4)
    with pytest.raises(DataError, match="values other than 0/1"):
        sat.rate_by_level(t.assign(y=2), "g", "y")


def test_ch06_q2_answer_is_what_the_ipa_computes():
    from crmlib.exercises.banks import ch06
    from crmlib.glossary import term

    name = ch06._concentrate_here()
    assert name in ch06.CONCENTRATE_HERE
    assert term(f"attr_{name}", "en") in ch06.CONCENTRATE_HERE
    assert term(f"attr_{name}", "zh") in ch06.CONCENTRATE_HERE


def test_more_error_paths_name_the_problem():
    with pytest.raises(DataError, match="importance must be"):
        sat.importance_performance(_survey(50), ["a"], importance="stated")
    with pytest.raises(DataError, match="column 'g' has 1 missing levels"):
        sat.rate_by_level(pd.DataFrame({"g": ["a", None], "y": [1, 0]}), "g", "y")
    with pytest.raises(DataError, match="orders has no column 'order_date'"):
        sat.orders_after(
            pd.DataFrame({"customer_id": ["a"], "day": ["2024-01-01"]}),
            pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-02"]}),
            "day",
        )
    with pytest.raises(DataError, match="level must be a confidence level"):
        sat.attribute_gaps(_survey(50), ["a"], level=95)


def test_orders_before_counts_the_window_before_the_event_day_only():
    events = pd.DataFrame({"customer_id": ["a", "b"], "day": pd.to_datetime(["2024-03-01", "2024-03-01"])})
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b"],
            "order_date": pd.to_datetime(
                ["2023-03-01", "2023-03-02", "2024-02-29", "2024-03-01", "2024-03-02"]
            ),
        }
    )
    # 2023-03-01 is 366 days before (2024 is a leap year): outside a 365-day window; the event day is excluded
    assert sat.orders_before(events, orders, "day", window_days=365)["orders_before"].tolist() == [2, 0]
    assert sat.orders_before(events, orders, "day", window_days=366)["orders_before"].tolist() == [3, 0]
    with pytest.raises(DataError, match="window_days must be positive"):
        sat.orders_before(events, orders, "day", window_days=-1)


def test_online_drivers_sum_the_simulated_weights_and_leave_unasked_drivers_empty():
    """Simulated: a (weight 0.6) and b (0.3) drive satisfaction, c does not; the driver of a and b
    together moves satisfaction by about the sum of their standardized effects, the one of c by ~0."""
    survey = _survey()
    mapping = {"reliability": ("a", "b"), "humanity_of_service": ("c",), "system_quality": ()}
    table = sat.online_drivers(survey, mapping, ("a", "b", "c"))
    z = survey[["perc_a", "perc_b", "overall_satisfaction"]].std(ddof=0)
    expected = (0.6 * z["perc_a"] + 0.3 * z["perc_b"]) / z["overall_satisfaction"]
    assert table.loc["reliability", "weight"] == pytest.approx(expected, abs=0.03)
    assert abs(table.loc["humanity_of_service", "weight"]) < 0.03
    assert table.loc["reliability", "gap"] == pytest.approx(-0.5, abs=0.06)  # mean of 0.0 and -1.0
    assert not table.loc["system_quality", "measured"]
    assert np.isnan(table.loc["system_quality", ["weight", "gap"]].astype(float)).all()


def test_online_drivers_rejects_an_unknown_attribute_by_name():
    with pytest.raises(DataError, match=r"mapping names attributes \['speed'\]"):
        sat.online_drivers(_survey(), {"reliability": ("speed",)}, ("a", "b", "c"))


def test_satisfaction_and_recommender_groups_cut_at_the_published_bands():
    """Satisfaction 1-3 / 4-5 / 6-7; recommend 0-6 / 7-8 / 9-10 (Reichheld 2003): every score in one group."""
    groups = sat.satisfaction_group(pd.Series(range(1, 8), index=list("abcdefg")))
    assert groups.tolist() == ["sat_low"] * 3 + ["sat_medium"] * 2 + ["sat_high"] * 2
    assert list(groups.index) == list("abcdefg") and groups.cat.ordered
    recommenders = sat.recommender_group(range(11))
    assert recommenders.value_counts(sort=False).tolist() == [7, 2, 2]
    assert list(recommenders.cat.categories) == list(sat.RECOMMENDER_GROUPS)
    # the shares of the groups are the ones nps() uses
    scores = [0, 3, 6, 7, 8, 9, 10, 10]
    shares = sat.recommender_group(scores).value_counts(normalize=True)
    assert 100 * (shares["promoter"] - shares["detractor"]) == pytest.approx(sat.nps(scores).score)
    with pytest.raises(DataError, match="not whole numbers from 1 to 7"):
        sat.satisfaction_group([0, 4])
    with pytest.raises(DataError, match="not whole numbers from 0 to 10"):
        sat.recommender_group([5, 4.5])
    with pytest.raises(DataError, match="missing answers"):
        sat.recommender_group([5, np.nan])


def _respondents():
    survey = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "survey_date": pd.to_datetime(["2024-03-01"] * 3),
            "overall_satisfaction": [2, 5, 7],
            "recommend": [4, 8, 10],
        }
    )
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "c"],
            "order_date": pd.to_datetime(
                ["2024-01-10", "2024-03-01", "2024-06-01", "2024-02-01", "2024-02-20"]
            ),
            "channel": ["store", "app", "web", "app", "web"],
        }
    )
    truth = pd.DataFrame({"customer_id": ["c", "b", "a"], "alive_at_end": [True, True, False]})
    return survey, orders, truth


def test_survey_outcomes_join_later_orders_and_the_truth_by_customer_not_by_row():
    survey, orders, truth = _respondents()
    out = sat.survey_outcomes(survey, orders, truth)
    assert out["orders_after"].tolist() == [0, 1, 0]  # an order on the survey day does not count
    assert out["retained"].tolist() == [False, True, True]
    assert out["satisfaction_group"].tolist() == ["sat_low", "sat_medium", "sat_high"]
    assert out["recommender_group"].tolist() == ["detractor", "passive", "promoter"]
    assert "retained" not in survey.columns  # the input is not changed
    assert "retained" not in sat.survey_outcomes(survey, orders).columns
    with pytest.raises(DataError, match="truth has no row for 1 respondents"):
        sat.survey_outcomes(survey, orders, truth.iloc[:2])
    with pytest.raises(DataError, match="more than once"):
        sat.survey_outcomes(survey, orders, pd.concat([truth, truth.iloc[:1]]))
    with pytest.raises(DataError, match="must hold True/False"):
        sat.survey_outcomes(survey, orders, truth.assign(alive_at_end=1))
    with pytest.raises(DataError, match="not whole numbers from 0 to 10"):
        sat.survey_outcomes(survey.assign(recommend=11), orders, truth)


def test_online_share_before_counts_only_orders_before_the_survey_day():
    survey, orders, _ = _respondents()
    out = sat.online_share_before(survey, orders, "survey_date")
    assert out["prior_orders"].tolist() == [1, 0, 2]
    assert out["share_online"].iloc[0] == 0.0 and out["share_online"].iloc[2] == 1.0
    assert np.isnan(out["share_online"].iloc[1])  # no order before the survey: no share, not 0
    stores = sat.online_share_before(survey, orders, "survey_date", channels=("store",))
    assert stores["share_online"].iloc[0] == 1.0
    with pytest.raises(DataError, match="orders has no column 'channel'"):
        sat.online_share_before(survey, orders.drop(columns="channel"), "survey_date")


def test_order_outcomes_keep_orders_with_a_full_window_and_match_orders_after():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "order_date": pd.to_datetime(["2024-01-01", "2024-06-30", "2024-07-05", "2024-07-04"]),
        }
    )
    out = sat.order_outcomes(orders, window_days=180, observation_end="2024-12-31")
    # 2024-07-04 is exactly 180 days before 2024-12-31: kept; 2024-07-05 is censored
    assert out["order_date"].dt.strftime("%m-%d").tolist() == ["01-01", "06-30", "07-04"]
    assert out["bought_again"].tolist() == [False, True, False]  # 01-01 -> 06-30 is 181 days: outside
    with pytest.raises(DataError, match="shorten window_days"):
        sat.order_outcomes(orders, window_days=400, observation_end="2024-12-31")
    with pytest.raises(DataError, match="window_days must be positive"):
        sat.order_outcomes(orders, window_days=0)


def test_rate_figure_starts_at_zero_and_names_its_interval_in_the_legend():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlib.glossary import term

    table = sat.rate_by_level(
        pd.DataFrame({"g": ["x", "x", "y", "y"], "y": [1, 0, 1, 1]}), "g", "y", level=0.9
    )
    ax = sat.plot_rate_by_level(
        table,
        xlabel="satisfaction_group",
        ylabel="share_still_customer",
        level=0.9,
        reference=0.5,
        reference_label="after_any_order",
    )
    assert ax.get_ylim()[0] == 0
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"90 % {term('wilson_interval')}" in labels
    assert term("observed_share") in labels and term("after_any_order") in labels
    gaps = sat.plot_gaps(sat.attribute_gaps(_survey(200), ["a", "b", "c"]))
    assert f"95 % {term('normal_interval')}" in [t.get_text() for t in gaps.get_legend().get_texts()]
    plt.close("all")
