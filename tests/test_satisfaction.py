"""Properties of crmlib.satisfaction: gaps, derived importance, IPA, NPS, later behaviour."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import satisfaction as sat
from crmlib.validation import DataError


def _survey(n=3000, seed=0):
    """Survey simulated with known gaps and known weights of the attributes in overall satisfaction.

    The answers are continuous and unbounded, so the functions are called with ``scale=None``."""
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
    gaps = sat.attribute_gaps(_survey(), ["a", "b", "c"], scale=None)
    for name, true_gap in {"a": 0.0, "b": -1.0, "c": 0.5}.items():
        row = gaps.loc[name]
        assert row["ci_low"] < true_gap < row["ci_high"]
        assert row["ci_high"] - row["ci_low"] < 0.15
    assert gaps.loc["b", "share_below"] > 0.5 > gaps.loc["c", "share_below"]


def test_derived_weights_recover_the_drivers_and_ipa_flags_the_important_underperformer():
    survey = _survey()
    imp = sat.derived_importance(survey, ["a", "b", "c"], scale=None)
    assert imp.loc["a", "weight"] > imp.loc["b", "weight"] > 0.1
    assert abs(imp.loc["c", "weight"]) < 0.05
    # a correlation ignores the other attributes: with independent attributes it orders them the same way
    assert imp["correlation"].idxmax() == "a"
    ipa = sat.importance_performance(survey, ["a", "b", "c"], performance="gap", scale=None)
    assert ipa.loc["b", "quadrant"] == "concentrate_here"
    assert ipa.loc["a", "quadrant"] == "keep_up_the_good_work"
    assert ipa.loc["c", "quadrant"] == "possible_overkill"


def test_importance_errors():
    survey = _survey(50)
    with pytest.raises(DataError, match="no column 'perc_d'"):
        sat.derived_importance(survey, ["a", "d"], scale=None)
    with pytest.raises(DataError, match="performance must be one of 'perception', 'gap'"):
        sat.importance_performance(survey, ["a", "b"], performance="mean", scale=None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=2, max_size=200))
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
    with pytest.raises(
        DataError, match=r"scores must be at most 10, got .*11.*: the recommend question is answered"
    ):
        sat.nps([3, 11])
    with pytest.raises(DataError, match="scores holds 1 missing or infinite values"):
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
    with pytest.raises(DataError, match="window_days must be at least 1"):
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
        sat.importance_performance(_survey(50), ["a"], importance="stated", scale=None)
    with pytest.raises(DataError, match="column 'g' has 1 missing levels"):
        sat.rate_by_level(pd.DataFrame({"g": ["a", None], "y": [1, 0]}), "g", "y")
    with pytest.raises(DataError, match="orders has no column 'order_date'"):
        sat.orders_after(
            pd.DataFrame({"customer_id": ["a"], "day": ["2024-01-01"]}),
            pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-02"]}),
            "day",
        )
    with pytest.raises(DataError, match="level must be below 1, got 95"):
        sat.attribute_gaps(_survey(50), ["a"], level=95, scale=None)


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
    with pytest.raises(DataError, match="window_days must be at least 1"):
        sat.orders_before(events, orders, "day", window_days=-1)


def test_online_drivers_sum_the_simulated_weights_and_leave_unasked_drivers_empty():
    """Simulated: a (weight 0.6) and b (0.3) drive satisfaction, c does not; the driver of a and b
    together moves satisfaction by about the sum of their standardized effects, the one of c by ~0."""
    survey = _survey()
    mapping = {"reliability": ("a", "b"), "humanity_of_service": ("c",), "system_quality": ()}
    table = sat.online_drivers(survey, mapping, ("a", "b", "c"), scale=None)
    z = survey[["perc_a", "perc_b", "overall_satisfaction"]].std(ddof=0)
    expected = (0.6 * z["perc_a"] + 0.3 * z["perc_b"]) / z["overall_satisfaction"]
    assert table.loc["reliability", "weight"] == pytest.approx(expected, abs=0.03)
    assert abs(table.loc["humanity_of_service", "weight"]) < 0.03
    assert table.loc["reliability", "gap"] == pytest.approx(-0.5, abs=0.06)  # mean of 0.0 and -1.0
    assert not table.loc["system_quality", "measured"]
    assert np.isnan(table.loc["system_quality", ["weight", "gap"]].astype(float)).all()


def test_online_drivers_rejects_an_unknown_attribute_by_name():
    with pytest.raises(DataError, match=r"mapping names attributes \['speed'\]"):
        sat.online_drivers(_survey(), {"reliability": ("speed",)}, ("a", "b", "c"), scale=None)


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
    with pytest.raises(
        DataError, match=r"scores must be at least 1, got .*0.*: overall satisfaction is answered"
    ):
        sat.satisfaction_group([0, 4])
    with pytest.raises(DataError, match=r"scores must be whole numbers, got .*4\.5"):
        sat.recommender_group([5, 4.5])
    with pytest.raises(DataError, match="scores holds 1 missing or infinite values"):
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
    with pytest.raises(DataError, match=r"column 'recommend' must be at most 10, got .*11"):
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
    with pytest.raises(DataError, match="window_days must be at least 1"):
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
    gaps = sat.plot_gaps(sat.attribute_gaps(_survey(200), ["a", "b", "c"], scale=None))
    assert f"95 % {term('normal_interval')}" in [t.get_text() for t in gaps.get_legend().get_texts()]
    plt.close("all")


# ---------------------------------------------------------------------------- bad input (issue 10)
def _likert(n=60, seed=1):
    """A small survey on the 1-7 scale: perceptions a, b, c drive overall satisfaction."""
    rng = np.random.default_rng(seed)
    data = {}
    for name in "abc":
        data[f"exp_{name}"] = rng.integers(3, 8, n)
        data[f"perc_{name}"] = rng.integers(1, 8, n)
    overall = (data["perc_a"] + data["perc_b"] + rng.integers(-1, 2, n)) / 2
    data["overall_satisfaction"] = np.clip(np.round(overall), 1, 7)
    return pd.DataFrame(data)


def test_gaps_of_a_single_respondent_have_no_standard_error_and_say_so():
    with pytest.warns(
        UserWarning, match="single respondent: the standard errors and intervals of the gaps are NaN"
    ):
        gaps = sat.attribute_gaps(_likert().head(1), ["a", "b"])
    assert gaps[["se", "ci_low", "ci_high"]].isna().all().all()
    assert gaps["gap"].notna().all()
    assert "NaN" in sat.attribute_gaps.__doc__
    # the figure draws the bars without intervals
    import matplotlib

    matplotlib.use("Agg")
    ax = sat.plot_gaps(gaps)
    assert len(ax.patches) == 2
    matplotlib.pyplot.close("all")


def test_a_constant_attribute_has_an_undefined_importance_with_a_warning():
    """A column every respondent answered the same cannot be standardized; a float such as 3.3 used
    to slip past the check (its spread is 1e-16, not 0) and gave a weight of -2.5e-16."""
    survey = _likert().assign(perc_c=3.3)
    with pytest.warns(
        UserWarning, match=r"same answer in column 'perc_c': the importance of this attribute is undefined"
    ):
        imp = sat.derived_importance(survey, ["a", "b", "c"], scale=None)
    assert np.isnan(imp.loc["c", "correlation"]) and np.isnan(imp.loc["c", "weight"])
    # the others are the regression without it
    expected = sat.derived_importance(survey, ["a", "b"], scale=None)
    assert imp.loc[["a", "b"], "weight"].to_numpy() == pytest.approx(expected["weight"].to_numpy())
    with pytest.warns(UserWarning, match="undefined"):
        ipa = sat.importance_performance(survey, ["a", "b", "c"], scale=None)
    assert ipa.loc["c", "quadrant"] is None and ipa.loc[["a", "b"], "quadrant"].notna().all()
    with pytest.raises(DataError, match=r"column 'importance' has 1 missing values \(row c\)"):
        sat.plot_ipa(ipa)
    with pytest.warns(UserWarning, match="undefined"):
        drivers = sat.online_drivers(
            survey, {"reliability": ("a",), "humanity": ("b", "c")}, ("a", "b", "c"), scale=None
        )
    assert drivers.loc["reliability", "weight"] == pytest.approx(imp.loc["a", "weight"])
    assert np.isnan(drivers.loc["humanity", "weight"])  # not the weight of b alone


def test_importance_the_data_cannot_identify_is_refused():
    survey = _likert()
    with pytest.raises(DataError, match="column 'overall_satisfaction' is constant"):
        sat.derived_importance(survey.assign(overall_satisfaction=4), ["a", "b"])
    with pytest.raises(DataError, match="a weighted sum of others"):
        sat.derived_importance(survey.assign(perc_c=survey["perc_a"]), ["a", "b", "c"])
    with pytest.raises(DataError, match="survey has 3 respondents for 3 attributes"):
        sat.derived_importance(
            survey.head(3).assign(perc_a=[1, 2, 3], perc_b=[3, 1, 2], perc_c=[2, 3, 1]), ["a", "b", "c"]
        )
    with pytest.raises(DataError, match="survey has a single respondent"):
        sat.derived_importance(survey.head(1), ["a"])


def test_rate_by_level_with_a_group_of_one_warns_and_gives_no_nan():
    table = pd.DataFrame({"g": ["a", "b", "b"], "y": [1, 0, 1]})
    with pytest.warns(UserWarning, match=r"column 'g' has 1 levels with a single row \('a'\)"):
        out = sat.rate_by_level(table, "g", "y")
    assert out.notna().all().all()
    assert out.loc["a", "rate"] == 1.0 and out.loc["a", "ci_high"] == 1.0
    assert out.loc["a", "ci_low"] == pytest.approx(1 / (1 + 1.959964**2), abs=1e-6)  # Wilson with k = n = 1


def test_nps_of_a_single_answer_has_no_standard_error_and_says_so():
    with pytest.warns(UserWarning, match="single answer: the standard error and interval of the NPS are NaN"):
        result = sat.nps([9])
    assert result.score == 100.0 and np.isnan(result.se) and np.isnan(result.ci_low)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([9, 11], r"scores must be at most 10"),
        ([9, -1], r"scores must be at least 0"),
        ([9, 7.5], r"scores must be whole numbers"),
        (["9", 7], r"scores must be numbers, got a value that is not \('9'\)"),
        ([True, False], r"scores must be numbers, got a value that is not \(True\)"),
        ([], r"scores is empty"),
        (pd.Series([9, None], dtype="Int64"), r"got a value that is not \(<NA>\)"),
    ],
)
def test_nps_refuses_scores_that_are_not_whole_numbers_from_0_to_10(scores, message):
    with pytest.raises(
        DataError, match=message + ".*the recommend question is answered with whole numbers from 0 to 10"
    ):
        sat.nps(scores)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"perc_a": 9}, r"column 'perc_a' must be at most 7.*the answers are on a 1-7 scale"),
        ({"exp_b": 0}, r"column 'exp_b' must be at least 1"),
        ({"perc_a": "seven"}, r"column 'perc_a' has 1 values that are not numbers \(e.g. 'seven'; row 0\)"),
        ({"exp_a": None}, r"column 'exp_a' has 1 missing values \(row 0\)"),
        ({"overall_satisfaction": 8}, r"column 'overall_satisfaction' must be at most 7"),
    ],
)
def test_survey_answers_that_are_text_missing_or_off_the_scale_are_refused(change, message):
    survey = _likert()
    for column, value in change.items():
        survey[column] = survey[column].astype(object)
        survey.loc[0, column] = value
    with pytest.raises(DataError, match=message):
        sat.importance_performance(survey, ["a", "b"], performance="gap")


def test_another_answer_scale_is_passed_by_name():
    survey = _likert().assign(perc_a=lambda d: d["perc_a"] + 2)  # a 1-9 scale
    with pytest.raises(DataError, match="pass scale=\\(lowest, highest\\) for another scale"):
        sat.attribute_gaps(survey, ["a"])
    assert sat.attribute_gaps(survey, ["a"], scale=(1, 9))["perception"].iloc[0] == pytest.approx(
        survey["perc_a"].mean()
    )
    with pytest.raises(DataError, match=r"scale must be a pair \(lowest, highest answer\)"):
        sat.attribute_gaps(survey, ["a"], scale=(9, 1))


def test_a_survey_without_a_required_attribute_column_is_refused():
    survey = _likert()
    with pytest.raises(DataError, match=r"survey has no column 'exp_c'"):
        sat.attribute_gaps(survey.drop(columns="exp_c"), ["a", "c"])
    with pytest.raises(DataError, match=r"survey has no column 'perc_b'"):
        sat.derived_importance(survey.drop(columns="perc_b"), ["a", "b"])
    with pytest.raises(DataError, match=r"survey has no column 'overall_satisfaction'"):
        sat.derived_importance(survey.drop(columns="overall_satisfaction"), ["a", "b"])
    with pytest.raises(DataError, match=r"attributes is empty"):
        sat.attribute_gaps(survey, [])
    # one attribute named alone is a list of one (it used to be read letter by letter)
    assert sat.attribute_gaps(survey, "a").index.tolist() == ["a"]


def test_group_scores_that_are_text_or_off_the_scale_are_refused():
    with pytest.raises(DataError, match=r"scores must be numbers, got a value that is not \('a'\)"):
        sat.satisfaction_group(["a", "b"])
    with pytest.raises(DataError, match=r"scores must be numbers, got a value that is not \('7'\)"):
        sat.recommender_group(["7", 9])
    survey, orders, _ = _respondents()
    with pytest.raises(DataError, match=r"column 'overall_satisfaction' must be at most 7.*from 1 to 7"):
        sat.survey_outcomes(survey.assign(overall_satisfaction=9), orders)


def test_date_arguments_and_columns_are_read_with_the_one_date_reader():
    tickets = pd.DataFrame({"customer_id": ["a"], "opened_at": pd.to_datetime(["2024-01-01"])})
    orders = pd.DataFrame({"customer_id": ["a"], "order_date": pd.to_datetime(["2024-02-01"])})
    for end, message in [
        ("garbage", r"observation_end must be a date such as '2024-12-31', got 'garbage'"),
        (20241231, r"got the number 20241231"),
        (pd.Timestamp("2024-12-31", tz="Asia/Shanghai"), r"a time with a time zone"),
        (np.nan, r"got the number nan"),
    ]:
        with pytest.raises(DataError, match=message):
            sat.complaint_outcomes(tickets, orders, window_days=30, observation_end=end)
        with pytest.raises(DataError, match=message):
            sat.order_outcomes(orders, window_days=30, observation_end=end)
    events = pd.DataFrame({"customer_id": ["a"], "day": [20240110]})
    with pytest.raises(DataError, match=r"column 'day' holds numbers, not dates"):
        sat.orders_after(events, orders, "day")
    with pytest.raises(DataError, match=r"column 'day' has 1 values that are not dates \(e.g. 'soon'"):
        sat.orders_before(events.assign(day="soon"), orders, "day")
    with pytest.raises(DataError, match=r"column 'day' holds times with a time zone"):
        sat.online_share_before(
            events.assign(day=pd.to_datetime(["2024-01-10"]).tz_localize("UTC")),
            orders.assign(channel="web"),
            "day",
        )
    with pytest.raises(DataError, match=r"column 'opened_at' has 1 missing dates"):
        sat.complaint_outcomes(tickets.assign(opened_at=pd.NaT), orders, window_days=30)


def test_windows_and_levels_are_checked_numbers():
    events = pd.DataFrame({"customer_id": ["a"], "day": pd.to_datetime(["2024-01-10"])})
    orders = pd.DataFrame({"customer_id": ["a"], "order_date": pd.to_datetime(["2024-02-01"])})
    with pytest.raises(DataError, match=r"window_days must be a whole number, got a text '3'"):
        sat.orders_after(events, orders, "day", window_days="3")
    with pytest.raises(DataError, match=r"window_days must be a whole number, got 2.5"):
        sat.orders_before(events, orders, "day", window_days=2.5)
    with pytest.raises(DataError, match=r"window_days must be at most 36,500"):
        sat.order_outcomes(orders, window_days=10**9)
    with pytest.raises(DataError, match=r"level must be a number, got a text '0.5'"):
        sat.rate_by_level(pd.DataFrame({"g": ["a", "a"], "y": [1, 0]}), "g", "y", level="0.5")
    with pytest.raises(DataError, match=r"level must be above 0"):
        sat.nps([9, 3], level=0)


def test_customer_ids_that_cannot_be_matched_are_refused():
    """A missing id used to match the orders with a missing id; ids that are numbers in one table and
    texts in the other used to raise pandas' merge error."""
    events = pd.DataFrame({"customer_id": ["a", None], "day": pd.to_datetime(["2024-01-10"] * 2)})
    orders = pd.DataFrame({"customer_id": ["a", None], "order_date": pd.to_datetime(["2024-02-01"] * 2)})
    with pytest.raises(DataError, match=r"column 'customer_id' has 1 missing customer ids \(row 1\)"):
        sat.orders_after(events, orders, "day")
    with pytest.raises(DataError, match=r"holds numbers in events but not in orders"):
        sat.orders_after(events.assign(customer_id=[1, 2]), orders.fillna("b"), "day")


def test_channels_named_alone_count_as_one_channel():
    """channels="web" used to be read letter by letter: no order was online."""
    survey, orders, _ = _respondents()
    out = sat.online_share_before(survey, orders, "survey_date", channels="web")
    assert out["share_online"].iloc[2] == 0.5  # c: one app and one web order before the survey
    with pytest.raises(DataError, match=r"column 'channel' has 1 missing channels"):
        sat.online_share_before(
            survey, orders.assign(channel=[None, "app", "web", "app", "web"]), "survey_date"
        )


def test_survey_outcomes_refuse_a_truth_table_with_missing_ids_or_text_flags():
    survey, orders, truth = _respondents()
    with pytest.raises(DataError, match=r"column 'customer_id' has 1 missing customer ids"):
        sat.survey_outcomes(
            survey, orders, pd.concat([truth, pd.DataFrame({"customer_id": [None], "alive_at_end": [True]})])
        )
    with pytest.raises(DataError, match=r"must hold True/False, got object"):
        sat.survey_outcomes(survey, orders, truth.assign(alive_at_end=["True", "True", "False"]))
    # a repeated index: matched by position, not by label
    repeated = survey.set_axis([0, 0, 0])
    out = sat.survey_outcomes(repeated, orders, truth)
    assert out["satisfaction_group"].tolist() == ["sat_low", "sat_medium", "sat_high"]


def test_figures_refuse_tables_and_labels_they_cannot_draw():
    import matplotlib

    matplotlib.use("Agg")
    table = sat.rate_by_level(pd.DataFrame({"g": ["x", "x", "y", "y"], "y": [1, 0, 1, 1]}), "g", "y")
    with pytest.raises(DataError, match=r"table must be a pandas DataFrame, got list"):
        sat.plot_rate_by_level(
            table.to_dict("records"), xlabel="satisfaction_group", ylabel="share_still_customer"
        )
    with pytest.raises(DataError, match=r"xlabel must be a glossary key such as 'satisfaction_group', got 3"):
        sat.plot_rate_by_level(table, xlabel=3, ylabel="share_still_customer")
    with pytest.raises(DataError, match=r"reference must be at most 1, got 50 \(give rates as fractions"):
        sat.plot_rate_by_level(
            table, xlabel="satisfaction_group", ylabel="share_still_customer", reference=50
        )
    with pytest.raises(DataError, match=r"column 'rate' must be at most 1"):
        sat.plot_rate_by_level(
            table.assign(rate=50.0), xlabel="satisfaction_group", ylabel="share_still_customer"
        )
    with pytest.raises(DataError, match=r"gaps must be a pandas DataFrame"):
        sat.plot_gaps([{"gap": 1}])
    with pytest.raises(DataError, match=r"level must be a number, got a text"):
        sat.plot_gaps(sat.attribute_gaps(_likert(), ["a"]), level="0.95")
    with pytest.raises(DataError, match=r"table must be a pandas DataFrame"):
        sat.plot_ipa(None)
    matplotlib.pyplot.close("all")


def test_rate_by_level_names_its_count_column_by_what_a_row_is():
    """A table of tickets says 'tickets', not 'customers' (issue 14 §3)."""
    t = pd.DataFrame({"g": ["x", "x", "y", "y", "y"], "y": [1, 0, 1, 1, 0]})
    default = sat.rate_by_level(t, "g", "y")
    tickets = sat.rate_by_level(t, "g", "y", unit="tickets")
    assert default.columns.tolist() == ["customers", "rate", "ci_low", "ci_high"]
    assert tickets.columns.tolist() == ["tickets", "rate", "ci_low", "ci_high"]
    assert tickets["tickets"].tolist() == [2, 3]
    pd.testing.assert_frame_equal(tickets.drop(columns="tickets"), default.drop(columns="customers"))
    for bad in ("", "  ", "rate", "ci_low"):
        with pytest.raises(DataError, match="unit names the count column"):
            sat.rate_by_level(t, "g", "y", unit=bad)
    with pytest.raises(DataError, match="unit must be a text"):
        sat.rate_by_level(t, "g", "y", unit=3)


def test_plot_ipa_marks_where_perception_equals_expectation():
    """On the gap scale an attribute right of the mean cross-hair can still be left of 0 (a
    disappointment): the expectation line shows it, with its own legend entry."""
    import matplotlib.pyplot as plt

    from crmlib.glossary import term

    table = pd.DataFrame(
        {"importance": [0.5, 0.3, 0.1, 0.1], "performance": [-0.9, -0.6, -0.8, -0.2]}, index=list("abcd")
    )
    ax = sat.plot_ipa(table, expectation_line=True)
    labels = ax.get_legend_handles_labels()[1]
    assert term("perception_equals_expectation") in labels and term("ipa_crosshairs") in labels
    assert term("ipa_attribute") in labels
    zero = [line for line in ax.get_lines() if line.get_label() == term("perception_equals_expectation")]
    assert len(zero) == 1 and list(zero[0].get_xdata()) == [0, 0]
    assert ax.get_xlim()[1] > 0  # the line at 0 is inside the chart although every gap is negative
    plt.close(ax.figure)
    ax = sat.plot_ipa(table)
    assert term("perception_equals_expectation") not in ax.get_legend_handles_labels()[1]
    plt.close(ax.figure)
    with pytest.raises(DataError, match="expectation_line must be True or False"):
        sat.plot_ipa(table, expectation_line="yes")


def test_plot_gaps_puts_every_drawn_element_in_the_legend():
    import matplotlib.pyplot as plt

    from crmlib.glossary import term

    gaps = sat.attribute_gaps(_survey(200), ["a", "b", "c"], scale=None)
    ax = sat.plot_gaps(gaps)
    labels = ax.get_legend_handles_labels()[1]
    for key in ("below_expectation", "at_or_above_expectation", "perception_equals_expectation"):
        assert term(key) in labels
    assert "95 % " + term("normal_interval") in labels
    plt.close(ax.figure)
