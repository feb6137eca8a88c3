"""Exam bank of chapter 07, winning, converting and keeping customers online (争取、转变与维系客户)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import funnel
from crmlib.datasets import load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi

_CHANNELS = ["search", "social", "email", "display", "referral"]
_STAGES = {
    "browser": "browse (visitor to browser)",
    "shopper": "fill a cart (browser to shopper)",
    "buyer": "buy (shopper to buyer)",
}
_CAMPAIGNS = ["double11_2024", "618_2024", "year_end_2024", "cny_2024", "display_brand_2024"]


@cache
def _sessions() -> pd.DataFrame:
    return funnel.session_funnel(load_demo("web_events"))


def _step(channel: str, stage: str, stage_name: str) -> float:
    table = funnel.funnel_table(_sessions(), by="channel")
    return float(100 * table.loc[(channel, stage), "conversion"])


def _buyer_gap(first: str, second: str) -> float:
    table = funnel.funnel_table(_sessions(), by="campaign", base="visitor")
    return float(
        100 * (table.loc[(first, "buyer"), "conversion"] - table.loc[(second, "buyer"), "conversion"])
    )


def _sample_size(baseline: float, lift: float, power: float) -> int:
    return funnel.sample_size(baseline, lift, power=power)


QUESTIONS = [
    MultipleChoice(
        id="ch07.e1",
        heading="Implicit relationship investment",
        stem=(
            "A customer's saved address book, her order history and a site she knows by heart keep her with an online "
            "shop even when a rival is slightly cheaper. Which force of the online relationship is this?"
        ),
        options={
            "A": bi("implicit_relationship_investment"),
            "B": bi("direct_relationship_investment"),
            "C": "satisfaction with other brands",
            "D": bi("online_trust"),
        },
        correct="A",
        explanation="What the customer has invested without paying for it makes leaving costlier: implicit relationship investment.",
        why_not={
            "B": "Direct relationship investment is what the customer pays for (a membership fee, for instance).",
            "C": "Satisfaction with other brands pulls the relationship away; here she stays.",
            "D": "Trust is the customer's belief that the firm is able, honest and well-meaning; the saved data are a switching cost.",
        },
    ),
    MultipleChoice(
        id="ch07.e2",
        heading="The yardstick of a channel",
        stem=(
            "Display signups cost the demo company less than search signups (140.2 against 161.6 yuan), yet each "
            "retained display buyer costs more (238.1 against 221.9). Which yardstick should the firm use to compare "
            "acquisition channels?"
        ),
        options={
            "A": f"the {bi('cost_per_retained_buyer')}",
            "B": f"the {bi('cost_per_signup')}",
            "C": "the number of sessions each channel brings",
            "D": "the channel's share of all visitors",
        },
        correct="A",
        explanation="A strategy is good if it brings visitors who become lasting buyers, for the money it costs; cost per signup ignores what the signups do.",
        why_not={
            "B": "Cost per signup is the wrong yardstick: cheap signups who never buy or stay are not cheap customers.",
            "C": "Sessions say nothing about buying or about cost.",
            "D": "Display brings many visitors but few of them buy (0.7 % of display visitors bought).",
        },
    ),
    MultipleChoice(
        id="ch07.e3",
        heading="Data leakage in a churn model",
        stem=(
            f"A {bi('churn_model')} is trained on features measured on 2023-12-31 and labels (no order in the next 180 "
            "days) from the following months. Which feature would be a data leak?"
        ),
        options={
            "A": "the number of orders the customer placed in the first quarter of 2024",
            "B": "the days since the customer's last order on 2023-12-31",
            "C": "the customer's number of service tickets up to 2023-12-31",
            "D": "the customer's signup channel",
        },
        correct="A",
        explanation="Orders after the cut-off date are part of what the label measures; a model that sees them is scored on information it will not have when it is used.",
        why_not={
            "B": "Recency on the cut-off date is known at that date: a legitimate feature.",
            "C": "Tickets up to the cut-off are known then.",
            "D": "The signup channel is known from the start.",
        },
    ),
    MultipleChoice(
        id="ch07.e4",
        heading="Whom a retention campaign should contact",
        stem=(
            "A retention campaign has a coupon to offer. Which customers does the chapter's "
            f"{bi('expected_value_of_contact')} say to contact?"
        ),
        options={
            "A": "those for whom the expected gain from the coupon's effect on their staying exceeds the cost of the contact and the coupon",
            "B": "those with the highest churn probability, whatever the coupon does for them",
            "C": "every customer, because a coupon never hurts",
            "D": "those with the lowest churn probability, because they are the most valuable",
        },
        correct="A",
        explanation="What pays is the incremental effect (uplift) times the value kept, against the cost; a high risk alone does not mean the coupon changes anything.",
        why_not={
            "B": "A customer sure to leave (or sure to stay) may not react to the coupon; contacting her costs without gain.",
            "C": "Coupons cost money, and are wasted on customers who would have bought anyway.",
            "D": "Low-risk customers would mostly stay without the coupon.",
        },
    ),
    ShortAnswer(
        id="ch07.e5",
        heading="The funnel as a management tool",
        stem=(
            f"Describe the {bi('funnel_model')} of the chapter (its stages and the {bi('conversion_rate')} of a step), "
            "say where the demo company loses most people, and explain why a funnel should be split by channel and campaign."
        ),
        answer_points=(
            "Stages: visitor, browser, shopper (cart), buyer, retained buyer (buys again within 30 days); conversion of step k = n_k / n_(k-1).",
            "Biggest losses at the first two steps: 48.7 % of sessions browsed, 25.7 % of browsers filled a cart.",
            "Intervals (Wilson) show the counts are large enough that the shape is not chance.",
            "Split by channel/campaign: channels differ most at the first steps (73.7 % of e-mail visitors browse against 27.2 % of display visitors), so totals hide where to act.",
            "Judge channels by what each step costs and by retained buyers, not by visits alone.",
        ),
    ),
    ShortAnswer(
        id="ch07.e6",
        heading="An A/B comparison done properly",
        stem=(
            f"Two e-mail campaigns are compared in an {bi('ab_test')}. Explain what makes the comparison fair, how the "
            f"difference in conversion is judged, and what {bi('statistical_power')} means for planning the next test."
        ),
        answer_points=(
            "Fair: the groups differ only in the campaign (random assignment, same period, same audience); otherwise the difference may come from the audience or the season.",
            "The difference of two conversion rates with an interval (e.g. Newcombe) or a test; an interval excluding 0 says more than chance.",
            "Power: the chance to detect a true difference of a given size; it grows with the sample size per group.",
            "Planning: choose the smallest lift worth detecting and compute the sessions needed per group before the test (not stopping when the result looks good).",
        ),
    ),
    ShortAnswer(
        id="ch07.e7",
        heading="Online CRM in three phases",
        stem=(
            f"An online-marketing course splits the online relationship into {bi('winning_customers')}, "
            f"{bi('converting_customers')} and {bi('keeping_customers')}. For each task, say what it aims at and which "
            "measurement of the chapter shows how well the firm does it."
        ),
        answer_points=(
            "Winning: offer more value and satisfaction than competitors and good word of mouth, with expectations the firm can meet; measured by visitors and signups per channel and their cost.",
            "Converting: turn visitors into buyers (site quality, trust, a satisfying interaction); measured by the funnel's step conversions.",
            "Keeping: make buyers come back and stay (service, one-to-one marketing, community); measured by retained buyers, churn models and retention campaigns.",
            "Trust runs through all three: firm image brings the visit, site quality the cart, a satisfying interaction the purchase and the next one.",
        ),
    ),
    Computational(
        id="ch07.e8",
        heading="One step of one channel's funnel",
        stem=(
            'Build the session funnel of the demo company\'s web events (`funnel.session_funnel(crmlib.load_demo("web_events"))`) '
            'and split it by channel with `funnel.funnel_table(..., by="channel")`. What percentage of the {channel} '
            "sessions at the previous stage went on to {stage_name}?"
        ),
        draw=lambda rng: (
            lambda stage: {
                "channel": str(rng.choice(_CHANNELS)),
                "stage": stage,
                "stage_name": _STAGES[stage],
            }
        )(str(rng.choice(list(_STAGES)))),
        solve=_step,
        method="Row ({channel}, {stage}) of the funnel table, column `conversion` (n_{stage} / n_previous), times 100.",
        unit="%",
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch07.e9",
        heading="How many sessions a test needs",
        stem=(
            "A campaign converts {baseline} of its sessions. How many sessions per group would an A/B test need to detect "
            "a difference of {lift} (absolute) with power {power} at the 5 % level (two-sided)?"
        ),
        draw=lambda rng: {
            "baseline": float(rng.choice([0.02, 0.04, 0.05, 0.08, 0.1, 0.15])),
            "lift": float(rng.choice([0.01, 0.015, 0.02, 0.03])),
            "power": float(rng.choice([0.8, 0.9])),
        },
        solve=_sample_size,
        method="`funnel.sample_size({baseline}, {lift}, power={power})`; roughly n = (z_0.975 + z_power)^2 (p_1 q_1 + p_2 q_2) / lift^2.",
        unit="sessions per group",
        decimals=0,
        tolerance=0.5,
        points=6,
    ),
    Computational(
        id="ch07.e10",
        heading="Two campaigns' buyers compared",
        stem=(
            'Split the session funnel by campaign with `funnel.funnel_table(..., by="campaign", base="visitor")`. '
            "By how many percentage points does the share of visitors who bought differ between {first} and {second} "
            "(the first minus the second)?"
        ),
        draw=lambda rng: dict(
            zip(("first", "second"), (str(c) for c in rng.choice(_CAMPAIGNS, 2, replace=False)), strict=True)
        ),
        solve=_buyer_gap,
        method="Rows ({first}, buyer) and ({second}, buyer), column `conversion` (buyers / visitors); the difference times 100.",
        unit="percentage points",
        decimals=2,
        tolerance=0.01,
        points=6,
    ),
]
