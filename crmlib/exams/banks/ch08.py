"""Exam bank of chapter 08, customer development and key accounts (客户发展与大客户管理)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import basket
from crmlib.datasets import load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi

_CATEGORIES = [
    "Coffee & Tea",
    "Kitchen Appliances",
    "Snacks",
    "Baby & Kids",
    "Home Cleaning",
    "Personal Care",
    "Electronics",
]


@cache
def _lines() -> pd.DataFrame:
    return basket.line_items(load_demo("order_lines"), load_demo("orders"), load_demo("products"))


@cache
def _rules(min_support: float = 0.01) -> pd.DataFrame:
    return basket.association_rules(_lines(), item_col="product_line", min_support=min_support)


def _draw_rule(rng) -> dict:
    """A rule beyond the strongest twelve, which the chapter prints."""
    ranked = (
        _rules().sort_values(["lift", "antecedent", "consequent"], ascending=[False, True, True]).iloc[12:60]
    )
    row = ranked.iloc[int(rng.integers(len(ranked)))]
    return {"antecedent": str(row["antecedent"]), "consequent": str(row["consequent"])}


def _lift(antecedent: str, consequent: str) -> float:
    rules = _rules().set_index(["antecedent", "consequent"])
    return float(rules.loc[(antecedent, consequent), "lift"])


def _rule_count(percent: float) -> int:
    return len(basket.association_rules(_lines(), item_col="product_line", min_support=percent / 100))


def _share_of_wallet(category: str, customer_type: str, type_name: str) -> float:
    wallets = load_demo("category_wallets")
    types = load_demo("customers").set_index("customer_id")["customer_type"]
    wallets = wallets[types.loc[wallets["customer_id"]].to_numpy() == customer_type]
    return float(basket.wallet_summary(wallets, by="category").loc[category, "share_of_wallet"])


QUESTIONS = [
    MultipleChoice(
        id="ch08.e1",
        heading="Cross-selling or up-selling",
        stem="A customer who bought a basic coffee machine is offered the premium model of the same line. This is ...",
        options={
            "A": bi("up_selling"),
            "B": bi("cross_selling"),
            "C": bi("next_best_offer"),
            "D": bi("market_basket_analysis"),
        },
        correct="A",
        explanation="Selling a better or dearer product of the same kind deepens the relationship: up-selling.",
        why_not={
            "B": "Cross-selling sells products of other categories (coffee beans to the buyer of the machine).",
            "C": "A next best offer is a method to choose an offer from association rules, not the kind of offer.",
            "D": "Market basket analysis finds the products bought together; it is the raw material of cross-selling.",
        },
    ),
    MultipleChoice(
        id="ch08.e2",
        heading="Confidence is not symmetric",
        stem=(
            "Coffee machine → coffee beans and coffee beans → coffee machine rest on the same 1,299 orders and have the "
            "same support (0.038) and lift (3.212). Which measure differs between the two directions, and why?"
        ),
        options={
            "A": f"{bi('rule_confidence')}: it divides by the support of the antecedent, and beans are bought more often than machines",
            "B": f"{bi('rule_lift')}: it divides by the support of the consequent only",
            "C": f"{bi('rule_support')}: it counts the antecedent's orders",
            "D": "none: all three measures are symmetric",
        },
        correct="A",
        explanation="confidence(A → B) = support(A, B) / support(A): 0.413 of machine orders hold beans, 0.298 of bean orders hold a machine.",
        why_not={
            "B": "Lift divides by both supports, support(A) × support(B), and is symmetric.",
            "C": "Support of the pair counts the orders holding both; it is the same in both directions.",
            "D": "Confidence is not symmetric, which is why the direction of an offer matters.",
        },
    ),
    MultipleChoice(
        id="ch08.e3",
        heading="A minimum support",
        stem=(
            "On the 632 orders of the first quarter of 2022, pairs seen in only 1-4 baskets had lifts above 2 (median "
            "3.14); in the later orders their median lift was 1.07. What does the chapter conclude?"
        ),
        options={
            "A": "A high lift on a rare pair is mostly noise; a rule must rest on enough baskets, hence a minimum support.",
            "B": "Customers changed their habits after the first quarter.",
            "C": "Lift should be replaced by confidence.",
            "D": "Rare pairs are the best cross-selling opportunities.",
        },
        correct="A",
        explanation="Lift is a ratio of small counts for rare pairs; the chapter's minimum support of 1 % rests on a statistical and a managerial argument.",
        why_not={
            "B": "Pairs seen often held up (the 3 pairs seen 20 times or more all kept a lift above 2): habits did not change, chance did.",
            "C": "Confidence of a rare pair is just as noisy; the remedy is enough baskets.",
            "D": "A pair in fewer than 1 % of orders reaches few customers and is likely chance.",
        },
    ),
    MultipleChoice(
        id="ch08.e4",
        heading="Key accounts by profit",
        stem=(
            f"Why does the chapter rank business accounts for the {bi('abc_classification')} by profit after the "
            f"{bi('cost_to_serve')} rather than by revenue?"
        ),
        options={
            "A": "Accounts that buy a lot can cost a lot to serve (sales visits, tickets, calls); revenue hides that some large accounts earn little.",
            "B": "Revenue is not recorded for business accounts.",
            "C": "Profit is easier to compute than revenue.",
            "D": "The ABC method only works with negative numbers.",
        },
        correct="A",
        explanation="Profit after the cost to serve shows which accounts really carry the firm (the whale curve), and which lose money.",
        why_not={
            "B": "Orders of business accounts carry revenue like any other.",
            "C": "Profit needs revenue and the costs: it is harder, not easier.",
            "D": "ABC classes are cumulative shares of any value; profit may be negative for some accounts, which is the point.",
        },
    ),
    ShortAnswer(
        id="ch08.e5",
        heading="Share of wallet and the room to grow",
        stem=(
            f"Define {bi('share_of_wallet')} and explain how the chapter splits what the firm does not get into "
            f"{bi('room_here')} and {bi('room_elsewhere')}. Which of the two does cross-selling work on, and which "
            "up-selling and share growth?"
        ),
        answer_points=(
            "Share of wallet = Σ spend here / Σ wallet over a group of customer-category rows: of what customers spend on a category, the share that comes to the firm.",
            "Room here: wallet spent at other suppliers in categories the customer already buys from the firm.",
            "Room elsewhere: wallet in categories the customer buys only from other suppliers.",
            "Cross-selling works on room elsewhere (new categories); growing the share in categories already bought works on room here; in the demo company the largest room is in categories customers already buy here (Kitchen Appliances alone).",
            "The collection of short papers calls the share of the customer, not market share, the heart of CRM.",
        ),
    ),
    ShortAnswer(
        id="ch08.e6",
        heading="Does the up-sell ladder get climbed",
        stem=(
            f"Describe how the chapter tested whether customers climb the {bi('upsell_ladder')}, what it found, and how "
            "a rule for customers ready to move up was checked."
        ),
        answer_points=(
            "The clock is experience: the tier mix of lines by the customer's order number; premium lines rise from 0.233 on the first order to 0.401 beyond the 50th.",
            "A transition table of each consumer's main tier in orders 1-3 against orders 4-6 (1,450 consumers with six orders or more): 0.286 moved up, 0.205 down.",
            "Averages hide who moves; the ladder is climbed, but not by everyone and not only upwards.",
            "Ready-to-move rule: below premium but already tried a higher tier; checked on later orders: 0.450 moved up against 0.304 without the sign.",
        ),
    ),
    ShortAnswer(
        id="ch08.e7",
        heading="Customer relationship management to customer asset management",
        stem=(
            f"What is a {bi('key_account_strategy')}, and what does moving from customer relationship management to "
            "customer asset management ask of a firm? Use the ideas of chapters 04 and 08."
        ),
        answer_points=(
            "Key accounts: the few customers (often business accounts) that carry a large share of profit; the firm serves them with dedicated people, priority service and joint planning.",
            "Identified by profit after the cost to serve (ABC, whale curve), and developed along the key-account development model (early, mid, partnership KAM).",
            "Customer asset management: treat customers as assets whose value (CLV, customer equity) the firm manages, invests in and measures.",
            "So budgets follow expected value: retention and development of valuable accounts, less spend on accounts that lose money (or change how they are served).",
        ),
    ),
    Computational(
        id="ch08.e8",
        heading="The lift of one rule",
        stem=(
            "Mine the association rules between product lines on all orders (`basket.association_rules(lines, "
            'item_col="product_line", min_support=0.01)`, lines from `basket.line_items`). What is the lift of the '
            "rule {antecedent} → {consequent}?"
        ),
        draw=_draw_rule,
        solve=_lift,
        method="lift = support(A, B) / (support(A) × support(B)); read row ({antecedent}, {consequent}), column `lift`.",
        decimals=3,
        tolerance=0.001,
        points=6,
    ),
    Computational(
        id="ch08.e9",
        heading="Rules above another minimum support",
        stem=(
            "With the same product-line baskets, how many rules (both directions of a pair count separately) reach a "
            "minimum support of {percent} % of the orders?"
        ),
        draw=lambda rng: {"percent": float(rng.choice([0.5, 1.5, 2.0, 2.5, 3.0, 4.0]))},
        solve=_rule_count,
        method='`basket.association_rules(lines, item_col="product_line", min_support={percent}/100)` and count the rows.',
        unit="rules",
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch08.e10",
        heading="Share of wallet in one category",
        stem=(
            "From the table `category_wallets` (2024) and the customers' `customer_type`, what share of their wallet in "
            "the category {category} does the firm get from its {type_name} customers? Give a fraction."
        ),
        draw=lambda rng: {
            "category": str(rng.choice(_CATEGORIES)),
            **dict(
                zip(
                    ("customer_type", "type_name"),
                    [("B2C", "consumer (B2C)"), ("B2B", "business (B2B)")][int(rng.integers(2))],
                    strict=True,
                )
            ),
        },
        solve=_share_of_wallet,
        method='Keep the rows of {customer_type} customers in {category}; Σ spend_here / Σ wallet (`basket.wallet_summary(..., by="category")`).',
        decimals=3,
        tolerance=0.001,
        points=6,
    ),
]
