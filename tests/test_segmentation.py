"""Properties of crmlib.segmentation: RFM scores, the segment map, clusters, criteria, matrices."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import segmentation as seg
from crmlib.validation import DataError


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=5, max_size=300), st.integers(2, 6))
def test_quantile_scores_are_balanced_even_on_heavily_tied_data(values, bins):
    if len(values) < bins:
        return
    scores = seg.quantile_scores(values, bins)
    counts = np.bincount(scores, minlength=bins + 1)[1:]
    assert counts.min() >= 1 and counts.max() - counts.min() <= 1
    # monotone: a strictly larger value never gets a lower score
    v = np.asarray(values)
    for i in range(len(v)):
        assert np.all(scores[v > v[i]] >= scores[i])


def test_quantile_scores_on_untied_data_match_pandas_qcut():
    x = np.random.default_rng(3).normal(size=1000)
    expected = pd.qcut(x, 5, labels=False) + 1
    assert np.array_equal(seg.quantile_scores(x, 5), expected)
    assert np.array_equal(seg.quantile_scores(x, 5, higher_is_better=False), 6 - expected)


def test_tiebreak_decides_between_equal_values():
    scores = seg.quantile_scores([1, 1], bins=2, tiebreak=[10, 5])
    assert scores.tolist() == [2, 1]


def test_every_rf_cell_belongs_to_exactly_one_segment():
    cover = np.zeros((5, 5), dtype=int)
    for _, rs, fs in seg.RFM_SEGMENT_RULES:
        for r in rs:
            for f in fs:
                cover[r - 1, f - 1] += 1
    assert (cover == 1).all()
    grid = pd.DataFrame([(r, f) for r in range(1, 6) for f in range(1, 6)], columns=["R", "F"])
    segments = seg.rfm_segments(grid)["rfm_segment"]
    assert segments.notna().all() and set(segments) == set(seg.RFM_SEGMENTS)


def _transactions(n=400, seed=0):
    rng = np.random.default_rng(seed)
    customers = rng.integers(0, 120, size=n)
    days = rng.integers(0, 365, size=n)
    return pd.DataFrame(
        {
            "customer_id": customers,
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
            "amount": rng.gamma(2.0, 20.0, size=n).round(2),
        }
    )


def test_rfm_scores_count_purchase_days_and_sum_spend():
    tx = _transactions()
    scores = seg.rfm_scores(tx, observation_end="2024-12-31", duplicates="keep")
    days = tx.assign(day=tx["date"].dt.normalize()).groupby("customer_id")["day"].nunique()
    assert (scores["frequency"] == days.reindex(scores.index)).all()
    assert np.allclose(scores["monetary"], tx.groupby("customer_id")["amount"].sum().reindex(scores.index))
    last = tx.groupby("customer_id")["date"].max().reindex(scores.index)
    assert ((pd.Timestamp("2024-12-31") - last).dt.days == scores["recency_days"]).all()
    # most recent customers score highest on R
    assert scores.loc[scores["recency_days"].idxmin(), "R"] == 5
    for col in "RFM":
        counts = scores[col].value_counts()
        assert counts.max() - counts.min() <= 1
    assert scores["rfm_cell"].str.fullmatch(r"[1-5]{3}").all()


def test_each_customer_gets_one_segment_and_summary_adds_up():
    scores = seg.rfm_segments(seg.rfm_scores(_transactions(), duplicates="keep"))
    assert scores["rfm_segment"].notna().all()
    summary = seg.segment_summary(scores)
    assert summary["customers"].sum() == len(scores)
    assert summary["share_customers"].sum() == pytest.approx(1.0)
    assert summary["share_value"].sum() == pytest.approx(1.0)
    assert summary["total_value"].sum() == pytest.approx(scores["monetary"].sum())


def test_rfm_errors_name_the_problem():
    with pytest.raises(DataError, match="after the observation end"):
        seg.rfm_scores(_transactions(), observation_end="2024-06-30", duplicates="keep")
    with pytest.raises(DataError, match=r"column 'R' has 1 values outside the scores 1-5"):
        seg.rfm_segments(pd.DataFrame({"R": [6], "F": [1]}))
    with pytest.raises(DataError, match="at least 5 values"):
        seg.quantile_scores([1, 2, 3], 5)
    with pytest.raises(DataError, match="no column 'amount'"):
        seg.rfm_scores(_transactions().drop(columns="amount"))


def _blobs(seed=0, n=150):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0], [6, 0], [0, 6]])
    truth = np.repeat([0, 1, 2], n)
    x = centres[truth] + rng.normal(size=(3 * n, 2))
    return pd.DataFrame(x, columns=["a", "b"]), pd.Series(truth)


def test_clusters_recover_well_separated_groups_and_silhouette_picks_their_number():
    data, truth = _blobs()
    z = seg.standardize(data, ["a", "b"])
    assert np.allclose(z.mean(), 0) and np.allclose(z.std(ddof=0), 1)
    table = seg.choose_k(z, range(2, 7), seed=0, sample_size=None)
    assert table.loc[table["silhouette"].idxmax(), "k"] == 3
    assert table["inertia"].is_monotonic_decreasing
    labels = seg.cluster(z, 3, seed=0)
    assert seg.recovery(labels, truth)["adjusted_rand"] > 0.95
    assert labels.value_counts().is_monotonic_decreasing
    shuffled = pd.Series(np.random.default_rng(1).permutation(truth.to_numpy()))
    assert abs(seg.recovery(shuffled, truth)["adjusted_rand"]) < 0.05
    profiles = seg.cluster_profiles(data, labels, ["a", "b"])
    assert profiles["customers"].sum() == len(data)


def test_standardize_and_cluster_errors():
    with pytest.raises(DataError, match="column 'a' is constant"):
        seg.standardize(pd.DataFrame({"a": [1.0, 1.0]}), ["a"])
    with pytest.raises(DataError, match="cannot log it"):
        seg.standardize(pd.DataFrame({"a": [-1.0, 1.0]}), ["a"], log_columns=["a"])
    with pytest.raises(DataError, match="at least 2"):
        seg.cluster(pd.DataFrame({"a": [0.0, 1.0, 2.0]}), 1)


def test_differentiation_eta_squared_is_zero_for_identical_and_one_for_separated_segments():
    same = pd.DataFrame({"s": [1, 1, 2, 2], "x": [1.0, 3.0, 1.0, 3.0]})
    apart = pd.DataFrame({"s": [1, 1, 2, 2], "x": [1.0, 1.0, 5.0, 5.0], "y": [0, 1, 0, 1]})
    assert seg.differentiation(same, "s", ["x"]).loc["x", "eta_squared"] == pytest.approx(0.0)
    assert seg.differentiation(apart, "s", ["x"]).loc["x", "eta_squared"] == pytest.approx(1.0)
    # eta squared equals the R^2 of a regression on segment dummies
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"s": rng.integers(0, 3, 200), "x": rng.normal(size=200)})
    df["x"] += df["s"]
    fitted = df.groupby("s")["x"].transform("mean")
    r2 = 1 - ((df["x"] - fitted) ** 2).sum() / ((df["x"] - df["x"].mean()) ** 2).sum()
    result = seg.differentiation(df, "s", ["x"]).loc["x"]
    assert result["eta_squared"] == pytest.approx(r2)
    from scipy import stats

    f, p = stats.f_oneway(*[g["x"] for _, g in df.groupby("s")])
    assert result["F"] == pytest.approx(f) and result["p_value"] == pytest.approx(p)
    with pytest.raises(DataError, match="only one segment"):
        seg.differentiation(same.assign(s=1), "s", ["x"])


def test_profitability_and_feasibility():
    t = pd.DataFrame(
        {
            "s": ["a", "a", "b"],
            "m": [100.0, 50.0, 10.0],
            "c": [20.0, 30.0, 40.0],
            "ch": ["web", "web", "store"],
        }
    )
    p = seg.profitability(t, "s", "m", "c")
    assert p.loc["a", "profit"] == 100 and p.loc["b", "profit_per_customer"] == -30
    f = seg.feasibility(t, "s", "ch", min_customers=2, min_reach=0.6)
    assert f.loc["a", "feasible"] and not f.loc["b", "feasible"]
    assert f.loc["a", "reach"] == 1.0 and f.loc["a", "main_channel"] == "web"
    with pytest.raises(DataError, match="missing channels"):
        seg.feasibility(t.assign(ch=[None, "web", "web"]), "s", "ch")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 7), st.integers(1, 7)), min_size=1, max_size=80), st.integers(2, 7))
def test_satisfaction_matrix_cells_partition_the_respondents(pairs, threshold):
    survey = pd.DataFrame(pairs, columns=["sat_product", "sat_relationship"])
    cells = seg.satisfaction_matrix(survey, threshold=threshold)["satisfaction_cell"]
    assert cells.notna().all()
    counts = seg.matrix_counts(seg.satisfaction_matrix(survey, threshold=threshold), "satisfaction_cell")
    assert counts["customers"].sum() == len(survey)
    product_ok = survey["sat_product"] >= threshold
    assert ((cells == "vulnerable_customer") == (product_ok & (survey["sat_relationship"] < threshold))).all()
    assert ((cells == "loyal_customer") == (product_ok & (survey["sat_relationship"] >= threshold))).all()


def test_loyalty_matrix_cells_and_errors():
    t = pd.DataFrame({"att": [7, 7, 1, 1, 5], "orders": [9, 0, 9, 0, 4]})
    cells = seg.loyalty_matrix(t, "att", "orders", 5, 4)["loyalty_cell"].tolist()
    assert cells == ["true_loyalty", "latent_loyalty", "spurious_loyalty", "no_loyalty", "true_loyalty"]
    with pytest.raises(DataError, match="no column 'attitude'"):
        seg.loyalty_matrix(t, "attitude", "orders", 5, 4)
    with pytest.raises(DataError, match="column 'att' has 1 missing values"):
        seg.loyalty_matrix(t.assign(att=[7, None, 1, 1, 5]), "att", "orders", 5, 4)


def test_more_error_paths_name_the_problem():
    t = pd.DataFrame({"s": ["a", "b"], "x": [1.0, 2.0], "ch": ["web", "web"]})
    with pytest.raises(DataError, match="min_reach must be a share"):
        seg.feasibility(t, "s", "ch", min_reach=1.5)
    with pytest.raises(DataError, match="column 's' has 1 missing segments"):
        seg.differentiation(t.assign(s=["a", None]), "s", ["x"])
    with pytest.raises(DataError, match="cannot make 3 clusters from 2 customers"):
        seg.cluster(t[["x"]], 3)
    with pytest.raises(DataError, match="share no index values"):
        seg.recovery(pd.Series([1, 2], index=[0, 1]), pd.Series([1, 2], index=[5, 6]))
    with pytest.raises(DataError, match="4 cells of a 2 x 2 matrix"):
        seg.plot_matrix(pd.DataFrame({"customers": [1], "share": [1.0]}), x_label="low", y_label="high")
    with pytest.raises(DataError, match="observation_end must be a date"):
        seg.rfm_scores(_transactions(), observation_end="not a date", duplicates="keep")
    with pytest.raises(DataError, match="no column 'channel'"):
        seg.behaviour_features(_transactions().rename(columns={"date": "order_date", "amount": "revenue"}))


def test_plot_choose_k_starts_both_value_axes_at_zero():
    import matplotlib.pyplot as plt

    table = pd.DataFrame({"k": [2, 3, 4], "inertia": [300.0, 250.0, 230.0], "silhouette": [0.14, 0.16, 0.15]})
    left = seg.plot_choose_k(table, criterion="inertia")
    right = seg.plot_choose_k(table, criterion="silhouette")
    assert left.get_ylim()[0] == 0 and left.get_ylim()[1] >= 300
    assert right.get_ylim()[0] == 0 and right.get_ylim()[1] >= 0.16
    with pytest.raises(DataError, match="criterion must be 'inertia' or 'silhouette'"):
        seg.plot_choose_k(table, criterion="gap")
    plt.close("all")


def _shop():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "c", "d"],
            "order_date": pd.to_datetime(
                ["2024-01-01", "2024-02-01", "2024-03-01", "2024-03-10", "2024-03-20", "2024-03-25"]
            ),
            "revenue": [10.0, 20.0, 30.0, 5.0, 100.0, 8.0],
            "margin": [2.0, 4.0, 6.0, 1.0, 20.0, 2.0],
            "channel": ["web", "store", "web", "store", "web", "app"],
            "campaign": [None, "double11_2024", None, "double11_2023", None, None],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "customer_type": ["B2C", "B2C", "B2B", "B2C", "B2C"],
            "age": [30.0, 45.0, None, 60.0, 25.0],
            "gender": ["F", "M", None, "F", "M"],
            "income_band": ["<5k", "20k-40k", None, ">40k", "5k-10k"],
            "city_tier": [1, 2, 1, 3, 4],
        }
    )
    tickets = pd.DataFrame({"customer_id": ["b", "b", "c"]})
    return orders, customers, tickets


def test_segmentation_variables_keep_the_buyers_of_one_type_with_behaviour_and_demographics():
    orders, customers, _ = _shop()
    v = seg.segmentation_variables(orders, customers, observation_end="2024-03-31")
    # c is a business account, e never bought: both left out
    assert v.index.tolist() == ["a", "b", "d"]
    behaviour = seg.behaviour_features(orders, observation_end="2024-03-31")
    assert v.columns.tolist() == [*behaviour.columns, "age", "gender", "income_rank", "city_tier"]
    pd.testing.assert_frame_equal(v[behaviour.columns], behaviour.loc[["a", "b", "d"]])
    assert v["income_rank"].tolist() == [seg.INCOME_RANKS[b] for b in ["<5k", "20k-40k", ">40k"]]
    assert v.loc["a", "orders"] == 3 and v.loc["a", "share_web"] == pytest.approx(2 / 3)
    # the customer table may be indexed by customer id as well; the inputs are not changed
    before = customers.copy()
    indexed = seg.segmentation_variables(
        orders, customers.set_index("customer_id"), observation_end="2024-03-31"
    )
    pd.testing.assert_frame_equal(v, indexed)
    pd.testing.assert_frame_equal(customers, before)
    b2b = seg.segmentation_variables(orders, customers, customer_type="B2B", observation_end="2024-03-31")
    assert b2b.index.tolist() == ["c"]


def test_segmentation_variables_errors_name_the_problem():
    orders, customers, _ = _shop()
    with pytest.raises(DataError, match=r"income bands without a rank \(e.g. '15k'"):
        seg.segmentation_variables(
            orders, customers.assign(income_band=["15k", *customers["income_band"][1:]])
        )
    with pytest.raises(DataError, match="no customer of type 'B2G'"):
        seg.segmentation_variables(orders, customers, customer_type="B2G")
    with pytest.raises(DataError, match="no column 'city_tier'"):
        seg.segmentation_variables(orders, customers.drop(columns="city_tier"))


def test_criteria_variables_add_margin_tickets_main_channel_and_response():
    orders, customers, tickets = _shop()
    v = seg.segmentation_variables(orders, customers, observation_end="2024-03-31")
    before = v.copy()
    table = seg.criteria_variables(v, orders, tickets)
    pd.testing.assert_frame_equal(v, before)  # a new frame, the input unchanged
    assert table["margin"].tolist() == [12.0, 1.0, 2.0]
    assert table["tickets"].tolist() == [0, 2, 0]
    assert table["main_channel"].tolist() == ["web", "store", "app"]
    assert table["responded_double11"].tolist() == [1, 0, 0]
    # ties go to the first channel in alphabetical order, as Series.mode().iloc[0] does
    tied = orders.assign(channel=["web", "app", "store", "store", "web", "app"])
    assert seg.criteria_variables(v, tied, tickets).loc["a", "main_channel"] == "app"
    other = seg.criteria_variables(v, orders, tickets, campaign="double11_2023", response_col="r23")
    assert other["r23"].tolist() == [0, 1, 0]


def test_criteria_variables_errors_name_the_problem():
    orders, customers, tickets = _shop()
    v = seg.segmentation_variables(orders, customers, observation_end="2024-03-31")
    with pytest.raises(DataError, match=r"1 customers without any order \(row e\)"):
        seg.criteria_variables(pd.concat([v, v.iloc[[0]].rename(index={"a": "e"})]), orders, tickets)
    with pytest.raises(DataError, match="no column 'campaign'"):
        seg.criteria_variables(v, orders.drop(columns="campaign"), tickets)
    with pytest.raises(DataError, match="tickets must be a pandas DataFrame"):
        seg.criteria_variables(v, orders, tickets["customer_id"])
