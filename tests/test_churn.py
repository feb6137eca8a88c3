"""crmlib.churn: features before a cut-off, labels after it, the model, its evaluation, uplift (chapter 07)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import roc_auc_score

import crmlib
from crmlib import churn
from crmlib.validation import DataError

CUTOFF = pd.Timestamp("2023-12-31")


@functools.cache
def orders() -> pd.DataFrame:
    return crmlib.load_demo("orders")


@functools.cache
def tickets() -> pd.DataFrame:
    return crmlib.load_demo("tickets")


@functools.cache
def features() -> pd.DataFrame:
    return churn.churn_features(orders(), CUTOFF, tickets())


# ---------------------------------------------------------------- nothing after the cut-off
def test_moving_a_future_order_changes_no_feature():
    """The issue's leakage test: an order after the cut-off moved (and changed) leaves every feature as it was."""
    later = orders().index[orders()["order_date"] > CUTOFF]
    moved = orders().copy()
    moved.loc[later[:500], "order_date"] = CUTOFF + pd.Timedelta(days=1)
    moved.loc[later[500:1000], "revenue"] *= 10
    moved.loc[later[1000:1500], "customer_id"] = "C00001"
    pd.testing.assert_frame_equal(churn.churn_features(moved, CUTOFF, tickets()), features())


def test_moving_a_past_order_after_the_cutoff_does_change_the_features():
    """The same test can fail: an order moved from before to after the cut-off is no longer seen."""
    customer = features().index[features()["orders"] >= 3][0]
    mine = orders().index[(orders()["customer_id"] == customer) & (orders()["order_date"] <= CUTOFF)]
    moved = orders().copy()
    moved.loc[mine[-1], "order_date"] = CUTOFF + pd.Timedelta(days=30)
    changed = churn.churn_features(moved, CUTOFF, tickets())
    assert changed.loc[customer, "orders"] < features().loc[customer, "orders"]


def test_a_ticket_closed_after_the_cutoff_is_not_yet_unresolved():
    t = tickets().copy()
    late = t["opened_at"] <= CUTOFF
    t.loc[late, "closed_at"] = CUTOFF + pd.Timedelta(days=3)
    t.loc[late, "resolution"] = "unresolved"
    assert churn.churn_features(orders(), CUTOFF, t)["unresolved_complaints"].sum() == 0
    t.loc[t["opened_at"] > CUTOFF, "opened_at"] = CUTOFF + pd.Timedelta(days=1)  # future tickets moved
    assert churn.churn_features(orders(), CUTOFF, tickets())["complaints_365d"].equals(
        features()["complaints_365d"]
    )


def test_the_features_are_what_they_say():
    table = features()
    one = table.index[0]
    mine = orders()[(orders()["customer_id"] == one) & (orders()["order_date"] <= CUTOFF)]
    assert table.loc[one, "recency_days"] == (CUTOFF - mine["order_date"].max()).days
    assert table.loc[one, "orders"] == mine["order_date"].nunique()
    assert table.loc[one, "mean_order_value"] == pytest.approx(mine["revenue"].mean())
    assert (table["recency_days"] < 365).all() and (table[list(churn.CHURN_FEATURES)] >= 0).all().all()
    assert list(table.columns) == list(churn.CHURN_FEATURES)


def test_the_label_reads_only_the_horizon_after_the_cutoff():
    data = churn.churn_dataset(orders(), CUTOFF, 180, tickets())
    after = orders()[
        (orders()["order_date"] > CUTOFF) & (orders()["order_date"] <= CUTOFF + pd.Timedelta(days=180))
    ]
    assert (~data["churned"]).sum() == data.index.isin(after["customer_id"]).sum()
    with pytest.raises(DataError, match="label window after the cutoff runs past the end of the data"):
        churn.churn_dataset(orders(), "2024-10-01", 180)


# ---------------------------------------------------------------- the model and its evaluation
@functools.cache
def evaluated() -> pd.DataFrame:
    train = churn.churn_dataset(orders(), CUTOFF, 180, tickets())
    test = churn.churn_dataset(orders(), "2024-06-30", 180, tickets())
    model = churn.churn_pipeline().fit(train[list(churn.CHURN_FEATURES)], train["churned"])
    test["churn_probability"] = model.predict_proba(test[list(churn.CHURN_FEATURES)])[:, 1]
    test["recency_only"] = test["recency_days"].astype(float)
    return test


def test_the_scaling_is_learnt_on_the_training_window_only():
    train = churn.churn_dataset(orders(), CUTOFF, 180, tickets())
    X = train[list(churn.CHURN_FEATURES)]
    model = churn.churn_pipeline().fit(X, train["churned"])
    logged = np.sign(X) * np.log1p(np.abs(X))
    assert model.named_steps["scale"].mean_ == pytest.approx(logged.mean().to_numpy())


def test_score_table_auc_is_sklearns_and_the_model_beats_chance():
    test = evaluated()
    table = churn.score_table(test, "churned", ["churn_probability", "recency_only"])
    assert table.loc["churn_probability", "auc"] == pytest.approx(
        roc_auc_score(test["churned"], test["churn_probability"])
    )
    assert (table["auc"] > 0.7).all()
    assert table["churn_rate"].iloc[0] == pytest.approx(test["churned"].mean())


def test_calibration_table_is_sklearns_calibration_curve_with_intervals():
    test = evaluated()
    table = churn.calibration_table(test, "churned", "churn_probability", bins=10)
    observed, predicted = calibration_curve(
        test["churned"], test["churn_probability"], n_bins=10, strategy="quantile"
    )
    assert table["observed"].to_numpy() == pytest.approx(observed)
    assert table["mean_predicted"].to_numpy() == pytest.approx(predicted)
    assert ((table["ci_low"] <= table["observed"]) & (table["observed"] <= table["ci_high"])).all()
    assert table["customers"].sum() == len(test)


def test_bgnbd_score_is_chapter_04s_model_fitted_before_the_cutoff():
    score = churn.bgnbd_churn_score(orders(), CUTOFF)
    assert score["p_alive"].between(0, 1).all()
    moved = orders().copy()
    moved.loc[moved["order_date"] > CUTOFF, "order_date"] = CUTOFF + pd.Timedelta(days=5)
    pd.testing.assert_frame_equal(churn.bgnbd_churn_score(moved, CUTOFF), score)


# ---------------------------------------------------------------- the retention decision
def test_contact_value_is_the_expected_value_formula():
    table = pd.DataFrame({"p": [0.9, 0.5, 0.1], "value": [1000.0, 200.0, 50.0]})
    out = churn.contact_value(table, "p", "value", save_rate=0.2, cost=25.0)
    assert out["expected_value"].tolist() == pytest.approx([155.0, -5.0, -24.0])
    assert out["contact"].tolist() == [True, False, False]
    assert "expected_value" not in table.columns  # the input is not changed


@functools.cache
def experiment() -> pd.DataFrame:
    return crmlib.load_demo("retention_campaign").assign(
        score=np.linspace(0, 1, 2427), neg_p=lambda t: -t["true_p_without_coupon"]
    )


def test_uplift_by_group_is_the_difference_in_each_equal_group():
    table = churn.uplift_by_group(
        experiment(),
        "score",
        "group",
        "bought_next_quarter",
        "coupon",
        "control",
        bins=4,
        truth_col="true_uplift",
    )
    assert table["customers"].sum() == 2427 and table["customers"].max() - table["customers"].min() <= 1
    assert (table["uplift"] == table["rate_treatment"] - table["rate_control"]).all()
    assert ((table["ci_low"] <= table["uplift"]) & (table["uplift"] <= table["ci_high"])).all()
    assert table["true_uplift"].mean() == pytest.approx(experiment()["true_uplift"].mean(), abs=1e-3)


def test_the_campaigns_average_effect_is_positive_and_near_the_truth():
    from crmlib.funnel import compare_conversion

    result = compare_conversion(experiment(), "group", "bought_next_quarter", "coupon", "control")
    assert result.ci_low > 0
    assert result.ci_low <= experiment()["true_uplift"].mean() <= result.ci_high


def test_targeting_by_the_true_uplift_beats_every_other_ranking():
    table = churn.compare_targeting(experiment(), ["score", "neg_p", "true_uplift"], "true_uplift", share=0.3)
    assert table["extra_buyers"].idxmax() == "true_uplift"
    assert table.loc["random", "extra_buyers"] == pytest.approx(728 * experiment()["true_uplift"].mean())
