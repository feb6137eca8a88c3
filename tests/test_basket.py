"""Market baskets, share of wallet and the up-sell ladder (crmlib.basket): properties that could fail."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlib
from crmlib import basket
from crmlib.validation import DataError

#: A small hand-made basket set: 5 orders.
BASKETS = pd.DataFrame(
    {
        "order_id": [1, 1, 1, 2, 2, 3, 3, 4, 5, 5],
        "item": ["beans", "machine", "tea", "beans", "machine", "beans", "tea", "tea", "machine", "nuts"],
    }
)


def test_support_confidence_and_lift_by_hand_on_a_small_basket_set():
    rules = basket.association_rules(BASKETS, item_col="item").set_index(["antecedent", "consequent"])
    # machine in orders 1, 2, 5; beans in 1, 2, 3; both in 1, 2 -> support 2/5
    rule = rules.loc[("machine", "beans")]
    assert rule["baskets"] == 2
    assert rule["support"] == pytest.approx(2 / 5)
    assert rule["support_antecedent"] == pytest.approx(3 / 5)
    assert rule["confidence"] == pytest.approx(2 / 3)
    assert rule["lift"] == pytest.approx((2 / 5) / ((3 / 5) * (3 / 5)))


def test_confidence_is_support_of_the_pair_over_support_of_the_antecedent():
    rules = basket.association_rules(BASKETS, item_col="item")
    assert np.allclose(rules["confidence"], rules["support"] / rules["support_antecedent"])


def test_lift_is_symmetric_and_confidence_is_not():
    rules = basket.association_rules(BASKETS, item_col="item").set_index(["antecedent", "consequent"])
    for a, b in rules.index:
        assert rules.loc[(a, b), "lift"] == pytest.approx(rules.loc[(b, a), "lift"])
        assert rules.loc[(a, b), "support"] == pytest.approx(rules.loc[(b, a), "support"])
    assert rules.loc[("nuts", "machine"), "confidence"] != rules.loc[("machine", "nuts"), "confidence"]


@settings(max_examples=30, derandomize=True, deadline=None, database=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.sampled_from(list("abcde"))), min_size=1, max_size=40),
)
def test_lift_is_symmetric_on_any_basket_set(pairs):
    lines = pd.DataFrame(pairs, columns=["order_id", "item"])
    rules = basket.association_rules(lines, item_col="item").set_index(["antecedent", "consequent"])
    for a, b in rules.index:
        assert rules.loc[(a, b), "lift"] == pytest.approx(rules.loc[(b, a), "lift"])
        assert 0 < rules.loc[(a, b), "confidence"] <= 1


def test_an_item_twice_in_a_basket_counts_once():
    doubled = pd.concat([BASKETS, BASKETS.iloc[[0]]], ignore_index=True)
    pd.testing.assert_frame_equal(
        basket.association_rules(doubled, item_col="item"), basket.association_rules(BASKETS, item_col="item")
    )


def test_minimum_support_keeps_exactly_the_rules_above_it():
    every = basket.association_rules(BASKETS, item_col="item")
    kept = basket.association_rules(BASKETS, item_col="item", min_support=0.4)
    assert len(kept) == int((every["support"] >= 0.4).sum()) > 0
    assert (kept["support"] >= 0.4).all()


def test_planted_cross_sell_partners_have_high_lift_and_unrelated_lines_low():
    """The demo data card: partners have lift 1.9-6.8 at the product-line level, coffee machine x diapers < 1."""
    lines = basket.line_items(
        crmlib.load_demo("order_lines"), crmlib.load_demo("orders"), crmlib.load_demo("products")
    )
    rules = basket.association_rules(lines, item_col="product_line").set_index(["antecedent", "consequent"])
    for pair in [
        ("Coffee Machine", "Coffee Beans"),
        ("Infant Formula", "Diapers"),
        ("Ink Cartridge", "Printer Paper"),
        ("Earphones", "Power Bank"),
    ]:
        assert rules.loc[pair, "lift"] > 1.9
    assert rules.loc[("Coffee Machine", "Diapers"), "lift"] < 1


def test_next_best_offer_skips_what_the_customer_owns_and_ranks_by_confidence():
    rules = basket.association_rules(BASKETS, item_col="item")
    offers = basket.next_best_offer(rules, ["machine"], top=5)
    assert "machine" not in set(offers["offer"])
    assert offers["confidence"].is_monotonic_decreasing
    assert (offers["because_of"] == "machine").all()
    with pytest.raises(DataError, match="owned"):
        basket.next_best_offer(rules, "machine")


def test_wallet_summary_splits_the_wallet_into_spend_and_two_kinds_of_room():
    wallets = crmlib.load_demo("category_wallets")
    summary = basket.wallet_summary(wallets, by="category")
    total = summary["spend_here"] + summary["room_here"] + summary["room_elsewhere"]
    assert np.allclose(total, summary["wallet"])
    assert summary["share_of_wallet"].between(0, 1).all()
    assert summary["customers"].sum() == len(wallets)  # one row per customer and category


def test_wallet_summary_refuses_a_spend_above_the_wallet():
    bad = pd.DataFrame({"customer_id": ["a"], "category": ["x"], "spend_here": [10.0], "wallet": [5.0]})
    with pytest.raises(DataError, match="exceeds"):
        basket.wallet_summary(bad)


def test_tier_ladder_moves_agree_with_the_tiers():
    lines = pd.DataFrame(
        {
            "customer_id": ["a"] * 4 + ["b"] * 4 + ["c"] * 2,
            "order_number": [1, 2, 3, 4, 1, 2, 3, 4, 1, 2],
            "tier_rank": [1, 2, 3, 3, 3, 3, 1, 1, 2, 2],
        }
    )
    steps = basket.tier_ladder(lines, block=2)
    assert list(steps.index) == ["a", "b"]  # c has fewer than 4 orders
    assert steps.loc["a", "move"] == "up" and steps.loc["b", "move"] == "down"
    assert steps.loc["a", "tier_from"] == 2  # ties go to the higher tier
    assert bool(steps.loc["a", "tried_higher"]) is False


def test_ready_to_move_up_needs_a_higher_tier_tried_and_room_above():
    lines = pd.DataFrame(
        {"customer_id": ["a", "a", "b", "b"], "order_number": [1, 2, 1, 2], "tier_rank": [1, 2, 3, 3]}
    )
    ready = basket.ready_to_move_up(lines, block=2)
    assert ready["ready"].tolist() == [False, False]  # a: main tier is the higher one on a tie
    more = pd.concat([lines, pd.DataFrame({"customer_id": ["a"], "order_number": [2], "tier_rank": [1]})])
    assert basket.ready_to_move_up(more, block=2).loc["a", "ready"]
