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
    with pytest.raises(DataError, match=r"min_reach must be at most 1, got 1\.5"):
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
    with pytest.raises(DataError, match="criterion must be one of 'inertia', 'silhouette'; got 'gap'"):
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


# ---------------------------------------------------------------------------- bad input (issue 10)


def _labelled(n=12):
    rng = np.random.default_rng(5)
    return pd.DataFrame(
        {
            "segment": np.where(np.arange(n) % 3 == 0, "a", "b"),
            "x": rng.normal(size=n),
            "margin": rng.uniform(10, 100, size=n).round(2),
            "cost": 10.0,
        },
        index=[f"c{i}" for i in range(n)],
    )


def test_cluster_profiles_refuses_a_duplicated_index_instead_of_putting_every_row_in_one_cluster():
    data = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.1]})
    labels = pd.Series([1, 1, 2, 2])
    right = seg.cluster_profiles(data, labels, ["x"])
    assert right["customers"].tolist() == [2, 2] and right["x"].round(2).tolist() == [0.05, 5.05]
    repeated = data.set_axis([0, 0, 0, 0])  # reindexing the labels on it gave every row the label of row 0
    with pytest.raises(DataError, match=r"data has 3 repeated row labels \(rows 0, 0, 0\)"):
        seg.cluster_profiles(repeated, labels, ["x"])
    with pytest.raises(DataError, match="labels has 3 repeated row labels"):
        seg.cluster_profiles(data, labels.set_axis([0, 0, 0, 0]), ["x"])
    # labels given in the order of the rows (a list) need no index: the right answer even so
    pd.testing.assert_frame_equal(seg.cluster_profiles(repeated, [1, 1, 2, 2], ["x"]), right)
    with pytest.raises(DataError, match="labels has 3 values but data has 4 rows"):
        seg.cluster_profiles(data, [1, 1, 2], ["x"])
    with pytest.raises(DataError, match=r"labels has no cluster for 1 rows of data \(row 3\)"):
        seg.cluster_profiles(data, labels.iloc[:3], ["x"])
    with pytest.raises(DataError, match=r"column 'labels' has 1 missing clusters \(row 2\)"):
        seg.cluster_profiles(data, pd.Series([1, 1, None, 2]), ["x"])
    with pytest.raises(DataError, match="labels must be a pandas Series"):
        seg.cluster_profiles(data, None, ["x"])


def test_profitability_refuses_missing_segments_instead_of_dropping_their_rows():
    table = _labelled()
    complete = seg.profitability(table, "segment", "margin", "cost")
    assert complete["customers"].sum() == len(table)
    assert complete["margin"].sum() == pytest.approx(table["margin"].sum())
    gap = table.assign(segment=table["segment"].where(np.arange(len(table)) != 4))
    with pytest.raises(DataError, match=r"column 'segment' has 1 missing segments \(row c4\): drop or fill"):
        seg.profitability(gap, "segment", "margin", "cost")
    with pytest.raises(DataError, match=r"column 'cost' has 1 negative values \(row c0\): a cost to serve"):
        seg.profitability(table.assign(cost=[-1.0] + [10.0] * (len(table) - 1)), "segment", "margin", "cost")
    free = seg.profitability(table.assign(cost=0.0), "segment", "margin", "cost")
    assert free["return_on_cost"].isna().all()  # documented: no cost to return on
    assert "NaN" in seg.profitability.__doc__


def test_segment_summary_refuses_a_partial_order_instead_of_rescaling_the_shares():
    table = pd.DataFrame({"rfm_segment": ["a", "a", "b", "c"], "monetary": [10.0, 30.0, 40.0, 20.0]})
    with pytest.raises(
        DataError, match=r"order leaves out segments of column 'rfm_segment' \('c'; 1 customers\)"
    ):
        seg.segment_summary(table, order=["a", "b"])
    with pytest.raises(DataError, match="order lists 'a' more than once"):
        seg.segment_summary(table, order=["a", "a", "b", "c"])
    # the right answer: shares of all customers, whatever the order; a listed empty segment has zeros
    summary = seg.segment_summary(table, order=["c", "b", "a", "d"])
    assert summary.index.tolist() == ["c", "b", "a", "d"]
    assert summary["share_customers"].tolist() == [0.25, 0.25, 0.5, 0.0]
    assert summary["share_value"].tolist() == [0.2, 0.4, 0.4, 0.0]
    with pytest.raises(DataError, match=r"column 'rfm_segment' has 1 missing segments \(row 3\)"):
        seg.segment_summary(table.assign(rfm_segment=["a", "a", "b", None]))
    assert seg.segment_summary(table.assign(monetary=0.0))["share_value"].isna().all()
    assert "NaN" in seg.segment_summary.__doc__


@pytest.mark.parametrize("threshold", [None, float("nan"), "5"])
def test_satisfaction_matrix_refuses_a_missing_threshold_instead_of_one_cell_for_all(threshold):
    survey = pd.DataFrame({"sat_product": [6, 6, 2, 2], "sat_relationship": [6, 2, 6, 2]})
    with pytest.raises(DataError, match=r"threshold must be a (finite )?number, got"):
        seg.satisfaction_matrix(survey, threshold=threshold)


def test_satisfaction_matrix_cells_are_right_for_every_kind_of_number():
    survey = pd.DataFrame({"sat_product": [6, 6, 2, 2, 5], "sat_relationship": [6, 2, 6, 2, 5]})
    expected = ["loyal_customer", "vulnerable_customer", "potential_type_customer", "negative_customer"]
    for threshold in (5, 5.0, np.int64(5), 4.5):
        cells = seg.satisfaction_matrix(survey, threshold=threshold)["satisfaction_cell"].tolist()
        assert cells == [*expected, "loyal_customer"]
    with pytest.raises(DataError, match="attitude_threshold must be a finite number, got nan"):
        seg.loyalty_matrix(survey, "sat_product", "sat_relationship", float("nan"), 4)
    with pytest.raises(DataError, match="patronage_threshold must be a number, got a NoneType None"):
        seg.loyalty_matrix(survey, "sat_product", "sat_relationship", 4, None)
    with pytest.raises(DataError, match=r"column 'satisfaction_cell' has 1 missing cells \(row 0\)"):
        seg.matrix_counts(pd.DataFrame({"satisfaction_cell": [None, "loyal_customer"]}), "satisfaction_cell")


def _two_groups(n=20):
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {"a": np.r_[rng.normal(0, 0.1, n), rng.normal(5, 0.1, n)], "b": rng.normal(size=2 * n)}
    )


def test_cluster_and_choose_k_turn_scikit_learn_errors_into_sentences():
    x = _two_groups()
    with pytest.raises(
        DataError, match="cannot make 50 clusters from 40 customers: k must be below the number"
    ):
        seg.cluster(x, 50)
    with pytest.raises(DataError, match="cannot make 40 clusters from 40 customers"):
        seg.choose_k(x, ks=[2, 40])
    with pytest.raises(DataError, match="k must be at least 2, got 1"):
        seg.cluster(x, 1)
    with pytest.raises(DataError, match="ks must be at least 2, got "):
        seg.choose_k(x, ks=[1, 2])
    with pytest.raises(DataError, match=r"k must be a whole number, got 2\.5"):
        seg.cluster(x, 2.5)
    with pytest.raises(
        DataError, match=r"column 'a' has 1 missing values \(row 3\): drop or fill them first"
    ):
        seg.cluster(x.assign(a=x["a"].where(x.index != 3)), 2)
    with pytest.raises(DataError, match=r"column 'b' has 1 missing values \(row 0\)"):
        seg.choose_k(x.assign(b=x["b"].where(x.index != 0)), ks=[2])
    with pytest.raises(DataError, match="column 'a' has 1 values that are not numbers"):
        seg.choose_k(x.astype(object).assign(a=["1,234 yuan", *x["a"][1:]]), ks=[2])
    with pytest.raises(DataError, match="seed must be at least 0, got -1"):
        seg.cluster(x, 2, seed=-1)
    with pytest.raises(DataError, match="seed must be at most 4,294,967,295"):
        seg.choose_k(x, ks=[2], seed=2**40)
    with pytest.raises(DataError, match="sample_size must be at least 2, got -1"):
        seg.choose_k(x, ks=[2], sample_size=-1)
    with pytest.raises(DataError, match=f"k must be at most {seg.MAX_CLUSTERS:,}"):
        seg.cluster(x, 10**9)
    with pytest.raises(DataError, match=f"ks has more than {seg.MAX_CANDIDATES} values; at most"):
        seg.choose_k(x, ks=[2] * 101)
    with pytest.raises(DataError, match=f"ks has more than {seg.MAX_CANDIDATES} values"):
        seg.choose_k(x, ks=range(2, 10**12))
    assert seg.choose_k(x, ks=(k for k in (2, 3)))["k"].tolist() == [2, 3]
    with pytest.raises(DataError, match="features has no columns"):
        seg.cluster(x[[]], 2)
    # equal rows fall in one cluster: k-means cannot make more clusters than distinct rows
    tied = pd.DataFrame({"a": [0.0] * 5 + [1.0] * 5})
    with pytest.raises(DataError, match="cannot make 3 clusters from 10 customers with only 2 distinct rows"):
        seg.cluster(tied, 3)
    assert seg.cluster(tied, 2).value_counts().tolist() == [5, 5]
    # a silhouette sample too small to hold two clusters
    with pytest.raises(
        DataError,
        match=r"the silhouette sample of 2 customers holds \d of the 2 clusters; .*larger sample_size",
    ):
        seg.choose_k(x, ks=[2], sample_size=2)


def test_choose_k_samples_the_silhouette_as_scikit_learn_does():
    from sklearn.metrics import silhouette_score

    x = _two_groups(200)
    table = seg.choose_k(x, ks=[2, 3], seed=4, sample_size=50)
    for k, value in zip(table["k"], table["silhouette"], strict=True):
        labels = seg._kmeans(x.to_numpy(), k, 4).labels_
        assert value == pytest.approx(silhouette_score(x.to_numpy(), labels, sample_size=50, random_state=4))


def test_standardize_refuses_a_log_column_it_would_not_log():
    data = pd.DataFrame({"orders": [1.0, 2.0, 9.0], "age": [20.0, 40.0, 60.0]})
    with pytest.raises(DataError, match="log_columns names 'order', not among columns"):
        seg.standardize(data, ["orders", "age"], log_columns=["order"])
    # one column name is one column, not a list of letters
    pd.testing.assert_frame_equal(seg.standardize(data, "age"), seg.standardize(data, ["age"]))
    with pytest.raises(DataError, match="columns is empty"):
        seg.standardize(data, [])
    with pytest.raises(DataError, match=r"column 'orders' has 1 negative values \(row 0\): cannot log it"):
        seg.standardize(data.assign(orders=[-1.0, 2.0, 9.0]), ["orders"], log_columns=["orders"])


def test_recovery_refuses_missing_labels_and_compares_labels_of_any_kind():
    truth = pd.Series(["x", "x", "y", "y"], index=list("abcd"))
    with pytest.raises(DataError, match=r"column 'labels' has 1 missing labels \(row b\)"):
        seg.recovery(pd.Series([1, None, 2, 2], index=list("abcd")), truth)
    with pytest.raises(DataError, match=r"column 'truth' has 1 missing labels \(row a\)"):
        seg.recovery(pd.Series([1, 1, 2, 2], index=list("abcd")), truth.where(truth.index != "a"))
    with pytest.raises(DataError, match="labels has 1 repeated row labels"):
        seg.recovery(pd.Series([1, 1], index=["a", "a"]), truth)
    mixed = seg.recovery(pd.Series([1, 1, "two", "two"], index=list("abcd")), truth)
    assert mixed["adjusted_rand"] == 1.0 and mixed["nmi"] == pytest.approx(1.0)


def test_differentiation_says_when_f_is_undefined_and_ignores_empty_categories():
    table = pd.DataFrame({"s": [1, 1, 2, 2], "x": [1.0, 2.0, 5.0, 6.0], "flat": 3.0})
    with pytest.warns(UserWarning, match="variable 'flat' is constant: .* F and p_value are NaN"):
        result = seg.differentiation(table, "s", ["x", "flat"])
    assert np.isnan(result.loc["flat", "F"]) and result.loc["flat", "eta_squared"] == 0
    with pytest.warns(
        UserWarning, match="every segment of column 's' has one customer: F and p_value are NaN"
    ):
        seg.differentiation(table.iloc[[0, 2]], "s", ["x"])
    # an unused category is no segment: it does not change k in the F test
    categorical = table.assign(s=pd.Categorical(table["s"], categories=[1, 2, 3]))
    pd.testing.assert_frame_equal(
        seg.differentiation(categorical, "s", ["x"]), seg.differentiation(table, "s", ["x"])
    )


def test_feasibility_refuses_missing_segments_and_bad_thresholds():
    table = _labelled().assign(channel="web")
    with pytest.raises(DataError, match="column 'segment' has 1 missing segments"):
        seg.feasibility(table.assign(segment=[None, *table["segment"][1:]]), "segment", "channel")
    with pytest.raises(DataError, match="min_reach must be above 0, got 0"):
        seg.feasibility(table, "segment", "channel", min_reach=0)
    with pytest.raises(DataError, match="min_customers must be a whole number, got a text '3'"):
        seg.feasibility(table, "segment", "channel", min_customers="3")


def test_preparing_the_variables_refuses_what_would_drop_or_double_rows():
    orders, customers, tickets = _shop()
    with pytest.raises(DataError, match=r"customers has 1 repeated row labels \(row a\)"):
        seg.segmentation_variables(orders, pd.concat([customers, customers.iloc[[0]]]))
    with pytest.raises(DataError, match=r"column 'customer_id' has 1 missing customer ids \(row 0\)"):
        seg.segmentation_variables(orders, customers.assign(customer_id=[None, "b", "c", "d", "e"]))
    with pytest.raises(DataError, match=r"column 'customer_type' has 1 missing customer types \(row b\)"):
        seg.segmentation_variables(orders, customers.assign(customer_type=["B2C", None, "B2B", "B2C", "B2C"]))
    with pytest.raises(DataError, match=r"column 'channel' has 1 missing channels \(row 0\)"):
        seg.behaviour_features(orders.assign(channel=[None, *orders["channel"][1:]]))
    with pytest.raises(DataError, match="orders has no column None"):
        seg.behaviour_features(orders, amount_col=None)
    v = seg.segmentation_variables(orders, customers, observation_end="2024-03-31")
    with pytest.raises(DataError, match="variables has 1 repeated row labels"):
        seg.criteria_variables(pd.concat([v, v.iloc[[0]]]), orders, tickets)
    with pytest.raises(DataError, match=r"column 'customer_id' has 1 missing customer ids \(row 5\)"):
        seg.criteria_variables(v, orders.assign(customer_id=[*orders["customer_id"][:5], None]), tickets)
    with pytest.warns(UserWarning, match="no order of column 'campaign' belongs to campaign 'double11_2042'"):
        table = seg.criteria_variables(v, orders, tickets, campaign="double11_2042")
    assert (table["responded_double11"] == 0).all()


def test_rfm_entry_checks():
    with pytest.raises(DataError, match="transactions has no column None"):
        seg.rfm_scores(_transactions(), amount_col=None, duplicates="keep")
    with pytest.raises(DataError, match="bins must be a whole number, got a text '3'"):
        seg.rfm_scores(_transactions(), bins="3", duplicates="keep")
    with pytest.raises(DataError, match="transactions has 2 customers, fewer than the 5 scores"):
        seg.rfm_scores(_transactions().head(2).assign(customer_id=[1, 2]), duplicates="keep")
    with pytest.raises(DataError, match=r"values must be numbers, got a value that is not \('a'\)"):
        seg.quantile_scores(["a", "b", "c"], bins=2)
    with pytest.raises(DataError, match="tiebreak has 2 values but values has 3"):
        seg.quantile_scores([1, 2, 3], bins=2, tiebreak=[1, 2])
    with pytest.raises(DataError, match="higher_is_better must be True or False"):
        seg.quantile_scores([1, 2, 3], bins=2, higher_is_better="no")


def test_plots_refuse_what_they_cannot_draw():
    import matplotlib.pyplot as plt

    counts = seg.matrix_counts(
        seg.satisfaction_matrix(pd.DataFrame({"sat_product": [6, 2], "sat_relationship": [6, 2]})),
        "satisfaction_cell",
    )
    with pytest.raises(DataError, match="x_label must be a glossary key"):
        seg.plot_matrix(counts, x_label=3, y_label="product_satisfaction")
    with pytest.raises(DataError, match="counts must be a pandas DataFrame, got list"):
        seg.plot_matrix(counts.to_dict("records"), x_label="low", y_label="high")
    with pytest.raises(DataError, match="summary must be a pandas DataFrame"):
        seg.plot_segment_shares([1, 2])
    with pytest.raises(DataError, match="column 'R' has 1 values outside the scores 1-5"):
        seg.plot_rfm_map(pd.DataFrame({"R": [7], "F": [1], "rfm_segment": ["lost"]}))
    plt.close("all")


def test_rfm_map_gives_each_segment_its_own_colour_and_a_legend_entry():
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from crmlib import term

    assert set(seg.RFM_COLOURS) == set(seg.RFM_SEGMENTS)
    assert len(set(seg.RFM_COLOURS.values())) == len(seg.RFM_SEGMENTS)
    cells = pd.DataFrame([(r, f) for r in range(1, 6) for f in range(1, 6)], columns=["R", "F"])
    segmented = seg.rfm_segments(cells.assign(recency_days=1, frequency=1, monetary=1.0))
    ax = seg.plot_rfm_map(segmented)
    # the colour drawn in each cell is the colour of the segment the rules put it in
    image = ax.images[0]
    drawn = image.cmap(image.norm(image.get_array()))
    for (r, f), name in zip(
        segmented[["R", "F"]].itertuples(index=False), segmented["rfm_segment"], strict=True
    ):
        assert to_hex(drawn[r - 1, f - 1]) == seg.RFM_COLOURS[name].lower()
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [term(name) for name in seg.RFM_SEGMENTS]
    assert [to_hex(h.get_facecolor()) for h in legend.legend_handles] == [
        seg.RFM_COLOURS[name].lower() for name in seg.RFM_SEGMENTS
    ]
    plt.close("all")
