"""Key accounts (crmlib.key_accounts): profit after the cost to serve, ABC classes, stages."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlib
from crmlib import basket, key_accounts, relationship
from crmlib.validation import DataError


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(
    values=st.lists(st.floats(-50, 1000, allow_nan=False), min_size=1, max_size=40).filter(
        lambda v: sum(v) > 1
    ),
    a_share=st.floats(0.05, 1.0),
    extra=st.floats(0.0, 1.0),
)
def test_abc_classes_partition_the_accounts_and_a_holds_at_least_its_share(values, a_share, extra):
    b_share = min(1.0, a_share + extra * (1 - a_share))
    table = pd.DataFrame({"profit": values}, index=[f"acc{i}" for i in range(len(values))])
    classes = key_accounts.abc_classes(table, a_share=a_share, b_share=b_share)
    assert sorted(classes.index) == sorted(table.index)  # every account once
    assert set(classes["abc_class"]) <= {"A", "B", "C"}
    total = table["profit"].sum()
    a_total = classes.loc[classes["abc_class"] == "A", "profit"].sum()
    assert a_total >= a_share * total - 1e-9
    # the A class is the smallest such group: without its last account it falls short
    a_rows = classes[classes["abc_class"] == "A"]
    if len(a_rows) > 1:
        assert a_total - a_rows["profit"].iloc[-1] < a_share * total + 1e-9
    order = {"A": 0, "B": 1, "C": 2}
    assert classes["abc_class"].map(order).is_monotonic_increasing
    assert (classes.loc[classes["profit"] <= 0, "abc_class"] == "C").all()


def test_abc_classes_refuse_a_total_of_zero_and_crossed_shares():
    with pytest.raises(DataError, match="add up to"):
        key_accounts.abc_classes(pd.DataFrame({"profit": [5.0, -5.0]}))
    with pytest.raises(DataError, match="at least a_share"):
        key_accounts.abc_classes(pd.DataFrame({"profit": [5.0, 1.0]}), a_share=0.9, b_share=0.5)


def test_account_profit_is_margin_minus_the_stated_costs():
    tables = {n: crmlib.load_demo(n) for n in ("customers", "orders", "tickets", "calls")}
    accounts = tables["customers"][tables["customers"]["customer_type"] == "B2B"]
    profit = key_accounts.account_profit(
        accounts,
        tables["orders"],
        tables["tickets"],
        tables["calls"],
        start="2024-01-01",
        end="2024-12-31",
        cost_per_order=10,
        cost_per_rep_order=100,
        cost_per_ticket=50,
        cost_per_call=5,
    )
    cost = 10 * profit["orders"] + 100 * profit["rep_orders"] + 50 * profit["tickets"] + 5 * profit["calls"]
    assert np.allclose(profit["cost_to_serve"], cost)
    assert np.allclose(profit["profit"], profit["margin"] - cost)
    orders = tables["orders"]
    in_2024 = orders[
        (orders["order_date"].dt.year == 2024) & orders["customer_id"].isin(accounts["customer_id"])
    ]
    assert profit["revenue"].sum() == pytest.approx(in_2024["revenue"].sum())
    assert profit["orders"].sum() == len(in_2024)
    assert len(profit) == len(accounts)


def test_stage_rules_use_the_stage_names_of_the_key_account_model():
    stages = set(key_accounts.stage_rules(lang="en")["kam_stage"])
    assert stages == {crmlib.term(key, "en") for key in relationship.KEY_ACCOUNT_STAGES}


def test_kam_stages_follow_the_rules_in_order():
    base = {
        "orders": 30.0,
        "tenure_days": 900.0,
        "days_since_order": 5.0,
        "revenue_last_year": 1e5,
        "revenue_year_before": 9e4,
        "categories": 8.0,
        "contacts": 4.0,
        "won_deals": 5.0,
        "open_deals": 1.0,
        "share_of_wallet": 0.6,
    }
    rows = {
        "synergy": base,
        "partner": {**base, "share_of_wallet": 0.35},
        "mid": {**base, "won_deals": 0.0},
        "early": {**base, "won_deals": 0.0, "categories": 2.0},
        "dropping": {**base, "revenue_last_year": 1e4},
        "silent": {**base, "days_since_order": 400.0},
        "new": {**base, "orders": 0.0, "days_since_order": np.nan},
        "no_wallet": {**base, "share_of_wallet": np.nan},
    }
    stages = key_accounts.kam_stages(pd.DataFrame.from_dict(rows, orient="index"))["kam_stage"]
    assert stages.astype(str).to_dict() == {
        "synergy": "synergistic_kam",
        "partner": "partnership_kam",
        "mid": "mid_kam",
        "early": "early_kam",
        "dropping": "uncoupling_kam",
        "silent": "uncoupling_kam",
        "new": "pre_kam",
        "no_wallet": "mid_kam",
    }


def test_stage_rules_refuse_a_share_above_one():
    with pytest.raises(DataError, match="synergistic_share"):
        key_accounts.StageRules(synergistic_share=50)


def test_every_business_account_gets_one_stage_on_the_demo_data():
    t = {n: crmlib.load_demo(n) for n in ("customers", "orders", "order_lines", "products")}
    accounts = t["customers"][t["customers"]["customer_type"] == "B2B"]
    lines = basket.line_items(t["order_lines"], t["orders"], t["products"]).merge(
        t["orders"][["order_id", "channel"]], on="order_id"
    )
    features = key_accounts.account_features(
        accounts,
        lines,
        crmlib.load_demo("tickets"),
        crmlib.load_demo("calls"),
        crmlib.load_demo("opportunities"),
        crmlib.load_demo("category_wallets"),
        as_of="2024-12-31",
    )
    stages = key_accounts.kam_stages(features)["kam_stage"]
    assert len(stages) == len(accounts) and stages.notna().all()
    never = ~accounts["customer_id"].isin(t["orders"]["customer_id"]).to_numpy()
    assert (stages[never] == "pre_kam").all() and (stages[~never] != "pre_kam").all()
