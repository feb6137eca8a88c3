"""Lifecycle staging, cohort tables and relationship survival (crmlib.lifecycle)."""

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import crmlib
from crmlib import lifecycle
from crmlib.lifecycle import (
    StageRules,
    cohort_table,
    compare_survival,
    lifecycle_stages,
    relationship_durations,
    stage_summary,
    survival_table,
)
from crmlib.validation import DataError

AS_OF = pd.Timestamp("2024-12-31")


def days_ago(*days):
    return [AS_OF - pd.Timedelta(days=d) for d in days]


@pytest.fixture
def history():
    """One customer per rule, with the stage each rule must give (worked out by hand)."""
    rows = [
        ("explorer", days_ago(10)),  # one recent order
        ("familiar", days_ago(300, 20)),  # repeat buyer, young relationship
        ("loyal", days_ago(700, 300, 200, 100, 30)),  # 4 orders in the last year, 700 days
        ("busy_newcomer", days_ago(200, 150, 100, 50, 10)),  # 5 orders but tenure < 365: familiarity
        ("drifting", days_ago(400, 181)),  # last order 181 days ago: separation
        ("edge", days_ago(500, 180)),  # exactly 180 days: still familiarity
        ("lost", days_ago(900, 366)),  # 366 days: separation, lost
        ("future", days_ago(-5)),  # only an order after as_of
    ]
    orders = pd.DataFrame(
        [(c, d, 10.0) for c, dates in rows for d in dates], columns=["customer_id", "order_date", "revenue"]
    )
    customers = pd.DataFrame({"customer_id": [c for c, _ in rows] + ["browsing", "silent"]})
    interactions = pd.DataFrame(
        {
            "customer_id": ["browsing", None, "silent"],
            "timestamp": [AS_OF - pd.Timedelta(days=3), AS_OF, AS_OF - pd.Timedelta(days=400)],
        }
    )
    return orders, customers, interactions


EXPECTED = {
    "explorer": ("exploration", "actual_customer"),
    "familiar": ("familiarity", "actual_customer"),
    "loyal": ("loyalty", "actual_customer"),
    "busy_newcomer": ("familiarity", "actual_customer"),
    "drifting": ("separation", "actual_customer"),
    "edge": ("familiarity", "actual_customer"),
    "lost": ("separation", "lost_customer"),
    "future": ("awareness", "suspect"),
    "browsing": ("awareness", "prospect"),
    "silent": ("awareness", "suspect"),
}


def test_each_rule_gives_its_stage_and_segment(history):
    orders, customers, interactions = history
    stages = lifecycle_stages(orders, customers, interactions, as_of=AS_OF, value_col="revenue")
    got = {c: (row["stage"], row["lifecycle_segment"]) for c, row in stages.iterrows()}
    assert got == EXPECTED
    assert list(stages["stage"].cat.categories) == list(lifecycle.STAGES)
    assert stages.loc["loyal", "orders_last_year"] == 4
    assert stages.loc["loyal", "value_total"] == 50.0
    assert stages.loc["future", "orders"] == 0, "orders after as_of are ignored"
    assert stages.loc["silent", "value_last_year"] == 0.0


def test_rules_can_be_changed(history):
    orders, customers, interactions = history
    strict = StageRules(separation_days=30, lost_days=200, loyalty_orders=6)
    stages = lifecycle_stages(orders, customers, interactions, as_of=AS_OF, rules=strict)
    assert stages["stage"].to_dict() == {
        "browsing": "awareness",
        "busy_newcomer": "familiarity",
        "drifting": "separation",
        "edge": "separation",
        "explorer": "exploration",
        "familiar": "familiarity",
        "future": "awareness",
        "lost": "separation",
        "loyal": "familiarity",
        "silent": "awareness",
    }
    assert stages.loc[["drifting", "edge", "lost"], "lifecycle_segment"].tolist() == [
        "actual_customer",
        "actual_customer",
        "lost_customer",
    ]


def test_stage_summary_counts_and_means(history):
    orders, customers, interactions = history
    stages = lifecycle_stages(orders, customers, interactions, as_of=AS_OF, value_col="revenue")
    summary = stage_summary(stages, values=["orders"])
    assert summary["customers"].to_dict() == {
        "awareness": 3,
        "exploration": 1,
        "familiarity": 3,
        "loyalty": 1,
        "separation": 2,
    }
    assert summary["share"].sum() == pytest.approx(1.0)
    assert summary.loc["familiarity", "mean_orders"] == pytest.approx((2 + 5 + 2) / 3)
    segments = stage_summary(stages, by="lifecycle_segment")
    assert list(segments.index) == list(lifecycle.LIFECYCLE_SEGMENTS)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"separation_days": 0}, r"StageRules.separation_days must be at least 1, got 0"),
        ({"separation_days": 400}, r"lost_days \(365\) is shorter than separation_days \(400\)"),
        ({"loyalty_orders": 2.5}, r"StageRules.loyalty_orders must be a whole number, got 2.5"),
    ],
)
def test_bad_rules_are_explained(kwargs, message):
    with pytest.raises(DataError, match=message):
        StageRules(**kwargs)


@pytest.mark.filterwarnings("ignore:Could not infer format")
def test_bad_order_tables_are_explained(history):
    orders, _, _ = history
    with pytest.raises(DataError, match=r"orders has no column 'date'"):
        lifecycle_stages(orders, date_col="date")
    with pytest.raises(
        DataError, match=r"column 'customer_id' of orders has 1 missing customer ids \(row 0\)"
    ):
        lifecycle_stages(orders.assign(customer_id=[None, *orders["customer_id"].tolist()[1:]]))
    with pytest.raises(DataError, match=r"column 'order_date' has 1 values that are not dates \(e.g. 'soon'"):
        lifecycle_stages(orders.assign(order_date=["soon", *orders["order_date"].astype(str).tolist()[1:]]))
    with pytest.raises(DataError, match=r"column 'revenue' has 1 values that are not numbers"):
        lifecycle_stages(orders.assign(revenue=["n/a"] + [1.0] * (len(orders) - 1)), value_col="revenue")
    with pytest.raises(DataError, match=r"as_of must be a date such as '2024-12-31', got 'yesterday'"):
        lifecycle_stages(orders, as_of="yesterday")
    with pytest.raises(DataError, match=r"interactions has no column 'timestamp'"):
        lifecycle_stages(orders, interactions=pd.DataFrame({"customer_id": ["a"], "when": [AS_OF]}))
    with pytest.raises(DataError, match=r"orders must be a pandas DataFrame, got list"):
        lifecycle_stages([1, 2])


# --------------------------------------------------------------------- cohorts
def test_cohort_table_by_hand():
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2, 3, 3, 4],
            "date": pd.to_datetime(
                [
                    "2024-01-03",
                    "2024-01-20",
                    "2024-03-10",
                    "2024-01-20",
                    "2024-02-01",
                    "2024-03-05",
                    "2024-03-30",
                ]
            ),
        }
    )
    counts = cohort_table(tx, share=False)
    expected = pd.DataFrame(
        [[2.0, 0.0, 1.0], [1.0, 1.0, np.nan], [1.0, np.nan, np.nan]],
        index=pd.PeriodIndex(["2024-01", "2024-02", "2024-03"], freq="M"),
    )
    np.testing.assert_array_equal(counts.to_numpy(), expected.to_numpy())
    assert list(counts.index) == list(expected.index)
    shares = cohort_table(tx)
    np.testing.assert_allclose(shares.to_numpy(), [[1, 0, 0.5], [1, 1, np.nan], [1, np.nan, np.nan]])


def test_cohort_table_respects_observation_end():
    tx = pd.DataFrame({"customer_id": [1, 1], "date": pd.to_datetime(["2024-01-03", "2024-05-03"])})
    table = cohort_table(tx, observation_end="2024-03-31")
    assert list(table.columns) == [0, 1, 2]
    assert table.iloc[0].tolist() == [1.0, 0.0, 0.0]


def test_cdnow_cohorts_are_the_three_first_quarter_months():
    """The CDNOW sample holds 2,357 customers who first bought in Jan-Mar 1997, followed to
    June 1998 (Fader, Hardie & Lee 2005): three cohorts, 18, 17 and 16 observed months."""
    cdnow = crmlib.load_cdnow()
    counts = cohort_table(cdnow, share=False)
    assert [str(c) for c in counts.index] == ["1997-01", "1997-02", "1997-03"]
    assert counts[0].sum() == 2357
    assert counts.notna().sum(axis=1).tolist() == [18, 17, 16]
    first = cdnow.groupby("customer_id")["date"].min().dt.to_period("M").value_counts().sort_index()
    assert counts[0].tolist() == first.tolist()
    shares = cohort_table(cdnow)
    values = shares.to_numpy()
    assert np.nanmax(values[:, 1:]) < 0.5 and np.nanmin(values) >= 0


# ------------------------------------------------------------------- survival
def test_relationship_durations_by_hand():
    """as_of 2024-12-31, 365 days: the detection horizon is 2024-01-01."""
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 3, 3, 4, 4],
            "date": pd.to_datetime(
                [
                    "2022-01-01",
                    "2022-03-01",
                    "2024-06-01",
                    "2023-01-01",
                    "2023-12-31",
                    "2023-06-01",
                    "2024-06-01",
                ]
            ),
        }
    )
    table = relationship_durations(
        tx, as_of="2024-12-31", lost_after_days=365, groups=pd.Series({1: "a", 3: "a", 4: "b"})
    )
    assert table.index.tolist() == [1, 3, 4]  # 2 started after the horizon: no end could be seen
    assert table["lost"].tolist() == [True, True, False]  # 3: 2023-12-31 is 366 days before
    assert table.loc[1, "duration_days"] == 59
    assert table.loc[3, "duration_days"] == 364
    assert table.loc[4, "duration_days"] == 214  # censored at the horizon, 2023-06-01 -> 2024-01-01
    assert table["group"].tolist() == ["a", "a", "b"]


def test_kaplan_meier_on_rule_durations_recovers_the_true_survival():
    """Customers buy every 30 days from a uniform start until an exponential end, so the
    365-day rule is exact once an end is seen. Censoring at the detection horizon gives an
    unbiased Kaplan-Meier curve; censoring at the observation end would not (it gives about
    0.60 instead of 0.38 at one year on these data)."""
    rng = np.random.default_rng(1)
    n, start, days = 3000, pd.Timestamp("2022-01-01"), 3 * 365
    first, life = rng.integers(0, days, n), rng.exponential(400, n)
    ids, k = np.repeat(np.arange(n), 60), np.tile(np.arange(60), n)
    day = first[ids] + 30 * k
    keep = (30 * k <= life[ids]) & (day < days)
    tx = pd.DataFrame({"customer_id": ids[keep], "date": start + pd.to_timedelta(day[keep], unit="D")})
    durations = relationship_durations(tx, as_of=start + pd.Timedelta(days=days - 1))
    times = [90, 180, 365, 540]
    true = [(np.floor(life / 30) * 30 > t).mean() for t in times]
    np.testing.assert_allclose(survival_table(durations, times)["all"], true, atol=0.03)


def test_relationship_durations_errors():
    tx = pd.DataFrame({"customer_id": [1, 2], "date": pd.to_datetime(["2022-01-01", "2022-02-01"])})
    with pytest.raises(DataError, match=r"groups has no label for 1 customers \(row 2\)"):
        relationship_durations(tx, as_of="2024-12-31", groups=pd.Series({1: "a"}))
    with pytest.raises(DataError, match=r"lost_after_days must be at least 1, got 0"):
        relationship_durations(tx, lost_after_days=0)
    with pytest.raises(DataError, match=r"no customer made a first purchase by 2021-02-01"):
        relationship_durations(tx)
    with pytest.raises(DataError, match=r"column 'duration_days' has 1 negative values"):
        survival_table(pd.DataFrame({"duration_days": [-1, 3], "lost": [True, False]}), [1])


def test_kaplan_meier_without_censoring_is_the_share_still_running():
    rng = np.random.default_rng(3)
    days = rng.integers(0, 500, size=300)
    durations = pd.DataFrame({"duration_days": days, "lost": True})
    times = [0, 100, 250, 499]
    km = survival_table(durations, times)["all"]
    empirical = [(days > t).mean() for t in times]
    np.testing.assert_allclose(km.to_numpy(), empirical)


def test_kaplan_meier_counts_censored_relationships_as_at_risk():
    """Two ended at 10 and 30, two censored at 20: S(10) = 3/4, S(30) = 3/4 * 0/1 = 0."""
    durations = pd.DataFrame({"duration_days": [10, 20, 20, 30], "lost": [True, False, False, True]})
    km = survival_table(durations, [5, 10, 25, 30])["all"].tolist()
    assert km == pytest.approx([1.0, 0.75, 0.75, 0.0])


def test_log_rank_separates_different_groups_only():
    rng = np.random.default_rng(11)
    same = pd.DataFrame(
        {"duration_days": rng.exponential(100, 400), "lost": True, "group": np.repeat(["a", "b"], 200)}
    )
    assert compare_survival(same)["p_value"] > 0.01
    different = same.assign(duration_days=np.r_[rng.exponential(50, 200), rng.exponential(200, 200)])
    result = compare_survival(different)
    assert result["p_value"] < 1e-6 and result["degrees_of_freedom"] == 1


# --------------------------------------------------------------------- figures
def test_figures_take_their_labels_from_the_glossary():
    crmlib.set_language("zh")
    try:
        table = cohort_table(crmlib.load_cdnow())
        ax = lifecycle.plot_cohort_heatmap(table)
        assert ax.get_xlabel() == crmlib.term("months_since_first_purchase", "zh")
        ax = lifecycle.plot_relationship_curve()
        assert ax.get_ylabel() == "关系强度"
        durations = pd.DataFrame(
            {"duration_days": [10, 20, 30], "lost": [True, False, True], "group": ["a", "a", "b"]}
        )
        ax = lifecycle.plot_survival(durations, by_group=True)
        assert ax.get_ylabel() == crmlib.term("share_relationships_running", "zh")
    finally:
        crmlib.set_language("en")
        matplotlib.pyplot.close("all")


# ----------------------------------------------------------------- demo company
@pytest.fixture(scope="module")
def demo():
    try:
        return {name: crmlib.load_demo(name) for name in ("customers", "orders")}
    except FileNotFoundError:
        pytest.skip("the demo company has not been generated")


def test_every_demo_customer_gets_exactly_one_stage(demo):
    stages = lifecycle_stages(demo["orders"], demo["customers"], as_of="2024-12-31")
    assert len(stages) == demo["customers"]["customer_id"].nunique()
    assert stages["stage"].notna().all() and stages["lifecycle_segment"].notna().all()
    buyers = demo["orders"]["customer_id"].nunique()
    assert (stages["stage"] != "awareness").sum() == buyers


# ------------------------------------------------------------- bad input (issue 10)
def eight_durations(**changes):
    frame = pd.DataFrame(
        {
            "duration_days": [30, 200, 400, 90, 700, 365, 120, 50],
            "lost": [True, False, True, True, False, True, False, True],
            "group": ["a", "a", "a", "a", "b", "b", "b", "b"],
        }
    )
    return frame.assign(**changes)


def test_kaplan_meier_reads_the_lost_flags_right():
    """Ends at 30, 50 and 90 among 8 at risk, then censoring at 120 and 200: S(200) = 5/8."""
    assert survival_table(eight_durations(), [200])["all"].tolist() == [0.625]
    as_numbers = eight_durations(lost=[1, 0, 1, 1, 0, 1, 0, 1])
    assert survival_table(as_numbers, [200])["all"].tolist() == [0.625]


@pytest.mark.parametrize(
    ("lost", "message"),
    [
        (
            ["True", "False", "True", "True", "False", "True", "False", "True"],
            r"column 'lost' must hold True/False \(or 1/0\), got 8 other values \(e.g. 'True', 'False'; "
            r"rows 0, 1, 2, 3, 4, \.\.\.\): convert them first, e.g. df\['lost'\] = df\['lost'\] == 'True'",
        ),
        (
            [True, None, True, True, False, True, False, True],
            r"column 'lost' has 1 missing flags \(row 1\): drop or fill them first",
        ),
        (
            [1, 0, 2, 1, 0, 1, 0, 1],
            r"column 'lost' must hold True/False \(or 1/0\), got 1 other values \(e.g. 2; row 2\): True marks",
        ),
    ],
    ids=["text", "missing", "not-a-flag"],
)
def test_lost_flags_that_are_text_or_missing_are_refused_not_counted_as_lost(lost, message):
    """Before, every text (even "False") and every NaN counted as an end: S(200) was 0.375."""
    durations = eight_durations(lost=lost)
    with pytest.raises(DataError, match=message):
        survival_table(durations, [200])
    with pytest.raises(DataError, match=message):
        compare_survival(durations)
    with pytest.raises(DataError, match=message):
        lifecycle.plot_survival(durations)


def test_compare_survival_needs_two_groups():
    with pytest.raises(
        DataError,
        match=r"compare_survival needs at least two groups to compare, but column 'group' holds only 'a'",
    ):
        compare_survival(eight_durations(group="a"))
    with pytest.raises(DataError, match=r"column 'group' has 1 missing group labels \(row 0\)"):
        compare_survival(eight_durations(group=[None, "a", "a", "a", "b", "b", "b", "b"]))
    result = compare_survival(eight_durations())
    assert result["degrees_of_freedom"] == 1 and 0 < result["p_value"] < 1


def test_survival_times_must_be_days():
    with pytest.raises(DataError, match=r"times must be numbers, got a value that is not \('a'\)"):
        survival_table(eight_durations(), ["a", "b"])
    with pytest.raises(DataError, match=r"times must be at least 0"):
        survival_table(eight_durations(), [-1.0])
    with pytest.raises(DataError, match=r"by_group must be True or False, got 'yes'"):
        survival_table(eight_durations(), [1], by_group="yes")


def test_customers_without_orders_have_nan_days_and_the_docstring_says_so(history):
    orders, customers, _ = history
    stages = lifecycle_stages(orders, customers, as_of=AS_OF)
    no_order = stages.loc[["browsing", "silent", "future"]]
    assert no_order[["days_since_last", "tenure_days"]].isna().all().all()
    assert no_order["first_order"].isna().all() and (no_order["orders"] == 0).all()
    assert stages.drop(index=no_order.index)["days_since_last"].notna().all()
    doc = lifecycle_stages.__doc__
    assert "``days_since_last`` and\n        ``tenure_days`` are NaN" in doc


def test_huge_lost_after_days_is_refused():
    tx = pd.DataFrame({"customer_id": [1, 2], "date": pd.to_datetime(["2022-01-01", "2022-02-01"])})
    with pytest.raises(DataError, match=r"lost_after_days must be at most 36500, got 1000000000"):
        relationship_durations(tx, lost_after_days=10**9)
    with pytest.raises(DataError, match=r"lost_after_days must be a whole number, got a bool True"):
        relationship_durations(tx, lost_after_days=True)
    with pytest.raises(DataError, match=r"StageRules.engagement_days must be at most 36500, got 1000000000"):
        StageRules(engagement_days=10**9)
    with pytest.raises(DataError, match=r"groups has 1 repeated row labels \(row 1\)"):
        relationship_durations(tx, as_of="2024-12-31", groups=pd.Series(["a", "b"], index=[1, 1]))


TZ_COLUMN = r"column '{}' holds times with a time zone \(Asia/Shanghai\): drop it first"
TZ_ARGUMENT = r"{} must be a date such as '2024-12-31', got .*a time with a time zone \(drop it with .tz_localize\(None\)\)"


def test_time_zones_are_refused_with_one_wording(history):
    orders, customers, interactions = history
    aware = orders.assign(order_date=orders["order_date"].dt.tz_localize("Asia/Shanghai"))
    with pytest.raises(DataError, match=TZ_COLUMN.format("order_date")):
        lifecycle_stages(aware)
    stamp = pd.Timestamp("2024-12-31", tz="Asia/Shanghai")
    with pytest.raises(DataError, match=TZ_ARGUMENT.format("as_of")):
        lifecycle_stages(orders, as_of=stamp)
    contacts = interactions.assign(timestamp=interactions["timestamp"].dt.tz_localize("Asia/Shanghai"))
    with pytest.raises(DataError, match=TZ_COLUMN.format("timestamp")):
        lifecycle_stages(orders, customers, contacts, as_of=AS_OF)
    tx = orders.rename(columns={"order_date": "date"})
    with pytest.raises(DataError, match=TZ_ARGUMENT.format("observation_end")):
        cohort_table(tx, observation_end=stamp)
    with pytest.raises(DataError, match=TZ_COLUMN.format("date")):
        cohort_table(aware.rename(columns={"order_date": "date"}))
    with pytest.raises(DataError, match=TZ_ARGUMENT.format("as_of")):
        relationship_durations(tx, as_of=stamp)
    with pytest.raises(DataError, match=TZ_COLUMN.format("order_date")):
        lifecycle.new_and_returning(aware)


def test_other_bad_tables_and_options_are_explained(history):
    orders, customers, _ = history
    stages = lifecycle_stages(orders, customers, as_of=AS_OF)
    with pytest.raises(DataError, match=r"customers must be a pandas DataFrame, got list"):
        lifecycle_stages(orders, customers=[{"customer_id": "a"}])
    with pytest.raises(DataError, match=r"orders has no order on or before as_of = 2000-01-01"):
        lifecycle_stages(orders, as_of="2000-01-01")
    with pytest.raises(DataError, match=r"column 'stage' has 1 missing stage values \(row browsing\)"):
        stage_summary(stages.assign(stage=stages["stage"].where(stages.index != "browsing")))
    with pytest.raises(DataError, match=r"freq must be one of 'Y', 'Q', 'M'; got 'W'"):
        lifecycle.new_and_returning(orders, freq="W")
    events = pd.DataFrame({"session_id": ["s1", None], "event": ["visit", "purchase"]})
    with pytest.raises(DataError, match=r"column 'session_id' has 1 missing session ids \(row 1\)"):
        lifecycle.visit_stages(events, stages={"visitor": "visit"})
    tx = orders.rename(columns={"order_date": "date"})
    with pytest.raises(
        DataError, match=r"transactions has no purchase on or before observation_end = 2000-01-01"
    ):
        cohort_table(tx, observation_end="2000-01-01")


def test_bad_figure_inputs_are_explained():
    table = cohort_table(crmlib.load_cdnow())
    try:
        with pytest.raises(DataError, match=r"max_months must be at least 1, got 0"):
            lifecycle.plot_cohort_heatmap(table, max_months=0)
        with pytest.raises(DataError, match=r"annotate must be True or False, got 'yes'"):
            lifecycle.plot_cohort_heatmap(table, annotate="yes")
        text = table.astype(object)
        text.iloc[0, 3] = "1,234 yuan"
        with pytest.raises(
            DataError, match=r"column 3 has 1 values that are not numbers \(e.g. '1,234 yuan'"
        ):
            lifecycle.plot_cohort_heatmap(text)
        with pytest.raises(DataError, match=r"summary must be a pandas DataFrame, got list"):
            lifecycle.plot_stage_profile([1, 2], column="customers")
        lifecycle.plot_cohort_heatmap(table)  # the cells not yet observed (NaN) stay blank
    finally:
        matplotlib.pyplot.close("all")


def test_the_survival_figure_is_in_days_and_names_its_interval():
    durations = pd.DataFrame(
        {"duration_days": [10, 20, 30, 40], "lost": [True, False, True, True], "group": ["a", "a", "b", "b"]}
    )
    try:
        ax = lifecycle.plot_survival(durations, by_group=True)
        assert ax.get_xlabel() == crmlib.term("days_since_first_purchase")
        assert ax.get_ylim()[0] == 0
        names = [t.get_text() for t in ax.get_legend().get_texts()]
        assert names[:2] == ["a", "b"] and names[2].replace("\n", " ") == crmlib.term("km_interval_95")
        assert "95 %" in names[-1] and "Greenwood" in names[-1]
        assert max(ax.lines[0].get_xdata()) == 20  # days, not months
    finally:
        matplotlib.pyplot.close("all")
