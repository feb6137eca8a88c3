"""Exam bank of chapter 06, customer satisfaction and loyalty (客户满意与忠诚)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import satisfaction
from crmlib.datasets import load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi

_ATTRIBUTES = ["product_quality", "delivery_speed", "responsiveness", "personalization", "care"]
_GROUPS = {
    "city_tier": {1: "in tier-1 cities", 2: "in tier-2 cities", 3: "in tier-3 cities", 4: "in tier-4 cities"},
    "gender": {"F": "who are women", "M": "who are men"},
    "income_band": {
        "<5k": "with an income below 5k",
        "20k-40k": "with an income of 20k-40k",
        ">40k": "with an income above 40k",
    },
}


@cache
def _survey() -> pd.DataFrame:
    survey = load_demo("survey")
    customers = load_demo("customers").set_index("customer_id")
    return survey.join(customers[list(_GROUPS)], on="customer_id")


def _draw_group(rng) -> dict:
    column = str(rng.choice(list(_GROUPS)))
    values = list(_GROUPS[column])
    group = values[int(rng.integers(len(values)))]
    return {"column": column, "group": group, "group_name": _GROUPS[column][group]}


def _subset(column: str, group) -> pd.DataFrame:
    survey = _survey()
    return survey[survey[column] == group]


def _nps(column: str, group, group_name: str) -> float:
    return float(satisfaction.nps(_subset(column, group)["recommend"]).score)


def _gap(column: str, group, group_name: str, attribute: str, attribute_name: str) -> float:
    return float(satisfaction.attribute_gaps(_subset(column, group)).loc[attribute, "gap"])


def _nps_se(promoters: int, passives: int, detractors: int) -> float:
    scores = np.repeat([10, 8, 3], [promoters, passives, detractors])
    return float(satisfaction.nps(scores).se)


QUESTIONS = [
    MultipleChoice(
        id="ch06.e1",
        heading="Satisfaction from expectation and performance",
        stem=(
            f"A customer expected delivery in two days; the parcel came in one. In the chapter's definition of "
            f"{bi('customer_satisfaction')}, what does she feel?"
        ),
        options={
            "A": "delight: perceived performance above expectation",
            "B": "satisfaction only: the firm met its promise",
            "C": "nothing measurable: satisfaction is about the product, not delivery",
            "D": "loyalty: a fast delivery makes her buy again",
        },
        correct="A",
        explanation="Satisfaction compares perceived performance with expectation: below disappoints, equal satisfies, above delights.",
        why_not={
            "B": "Performance equal to expectation satisfies; here it was above.",
            "C": "Delivery speed is one of the attributes the chapter measures; satisfaction covers the whole offer.",
            "D": "Loyalty is a lasting preference shown in attitude and behaviour; one delivery does not make it.",
        },
    ),
    MultipleChoice(
        id="ch06.e2",
        heading="Derived importance",
        stem=(
            "All five attributes correlate positively with overall satisfaction (0.405 to 0.691), but the regression "
            "weights separate them: product quality 0.488 down to care 0.120. Why do the correlations overrate "
            "personalization and care?"
        ),
        options={
            "A": "The attributes move together, so a correlation credits each attribute with the effect of the others.",
            "B": "Correlations are always larger than regression weights.",
            "C": "Personalization and care were measured on another scale.",
            "D": "Few respondents answered the questions on personalization and care.",
        },
        correct="A",
        explanation="A customer unhappy with delivery tends to be unhappy with service too; the multiple regression holds the other attributes fixed.",
        why_not={
            "B": "They are different quantities; neither is always larger.",
            "C": "Every attribute was rated on the same 1-7 scale.",
            "D": "All 1,800 respondents answered every question.",
        },
    ),
    MultipleChoice(
        id="ch06.e3",
        heading="Spurious loyalty",
        stem=(
            f"In the {bi('loyalty_matrix')}, a customer who buys often but rates the firm no better than its competitors "
            "shows ..."
        ),
        options={
            "A": bi("spurious_loyalty"),
            "B": bi("true_loyalty"),
            "C": bi("latent_loyalty"),
            "D": bi("no_loyalty"),
        },
        correct="A",
        explanation="High repeat patronage with a weak relative attitude is spurious loyalty: habit or convenience, not preference.",
        why_not={
            "B": "True loyalty needs both high repeat patronage and a strong relative attitude.",
            "C": "Latent loyalty is a strong attitude with low repeat patronage.",
            "D": "No loyalty is weak on both; this customer buys often.",
        },
    ),
    MultipleChoice(
        id="ch06.e4",
        heading="Which outcome shows satisfaction",
        stem=(
            "In the demo company, retention (still a customer at the end of 2024) rose with satisfaction, from 66.8 % to "
            "83.3 %, while repurchase after the survey did not (81.5 %, 79.1 %, 80.3 %). Why does repurchase fail to "
            "show it?"
        ),
        options={
            "A": "Customers who leave mostly place a last order or two first, and slow buyers who stay may not order in the months after the survey.",
            "B": "Satisfied customers buy less because they are already served.",
            "C": "The survey was too small to measure repurchase.",
            "D": "Repurchase is measured in money, retention in customers.",
        },
        correct="A",
        explanation='395 of the 397 leavers still ordered after the survey; 362 stayers did not order for months. "Bought again" counts leavers as successes and misses slow stayers.',
        why_not={
            "B": "The data show no such effect; retention rises with satisfaction.",
            "C": "1,800 respondents is large; the intervals of the retention groups do not overlap.",
            "D": "Both are shares of respondents.",
        },
    ),
    ShortAnswer(
        id="ch06.e5",
        heading="Importance-performance analysis",
        stem=(
            f"Explain the {bi('importance_performance_analysis')} of the chapter: what is on each axis, where the "
            "cross-hairs lie, what the four quadrants call for, and why delivery speed, not personalization, is the "
            "attribute to concentrate on."
        ),
        answer_points=(
            "Importance: derived, the standardized regression weight of each attribute in explaining overall satisfaction (not what customers say).",
            "Performance: the mean gap (perception minus expectation), because satisfaction is performance against expectation.",
            "Cross-hairs at the means over the attributes; quadrants: concentrate here, keep up the good work, low priority, possible overkill.",
            "Delivery speed: weight 0.287 above the mean weight 0.239 and the worst gap (-0.958): concentrate here.",
            "Personalization has the second-largest gap (-0.896) but a low weight (0.121): low priority, although loud in complaints.",
        ),
    ),
    ShortAnswer(
        id="ch06.e6",
        heading="An NPS with its uncertainty",
        stem=(
            f"Define the {bi('net_promoter_score')}, say how its standard error is computed and why a firm should "
            "report an interval with it, and give one reason why an NPS can be misleading as a loyalty measure."
        ),
        answer_points=(
            "Promoters answer 9-10, passives 7-8, detractors 0-6 on 'how likely to recommend' (0-10); NPS = % promoters - % detractors.",
            "Each answer scores +1, 0 or -1; the NPS is 100 × their mean, with standard error 100 × sd/√n of those scores.",
            "An interval shows whether a change between two surveys or two regions is more than chance.",
            "Misleading: an intention, not behaviour; the cut points throw away information; a score of 6 and of 0 count the same; it does not say why.",
        ),
    ),
    ShortAnswer(
        id="ch06.e7",
        heading="The online chain: service quality, satisfaction, staying",
        stem=(
            f"An online-marketing course names four drivers of {bi('online_service_quality')}. Name them, describe the "
            "chain from service quality to staying, and say what the demo company's survey could and could not test of it."
        ),
        answer_points=(
            f"The drivers: {bi('system_quality')} (the site or app works and is fast), {bi('information_quality')} (accurate, complete product and order information), {bi('reliability')} (orders arrive as promised), {bi('humanity_of_service')} (a person answers and treats the customer as an individual).",
            f"Chain: the drivers raise satisfaction, which raises the {bi('intention_to_stay')}.",
            "Testable in the survey: reliability (delivery speed) and the human side (responsiveness, personalization, care) against overall satisfaction, for respondents who buy mainly online.",
            "Not testable: system and information quality were not asked (shown as not measured, not guessed); retention stands in for the intention to stay.",
            "The links found are associations, not proof of cause.",
        ),
    ),
    Computational(
        id="ch06.e8",
        heading="The NPS of a group of respondents",
        stem=(
            'Join the survey (`crmlib.load_demo("survey")`) with the customers table on `customer_id`. What is the net '
            "promoter score, in points (-100 to 100), of the respondents {group_name} (column `{column}`)?"
        ),
        draw=_draw_group,
        solve=_nps,
        method="Keep the respondents with `{column} == {group!r}`; NPS = 100 × (share with recommend ≥ 9 - share with recommend ≤ 6) (`satisfaction.nps(...).score`).",
        unit="points",
        decimals=2,
        tolerance=0.01,
        points=6,
    ),
    Computational(
        id="ch06.e9",
        heading="An expectation-perception gap of a group",
        stem=(
            "Among the survey respondents {group_name} (column `{column}` of the customers table), what is the mean "
            "gap, perception minus expectation, for {attribute_name}?"
        ),
        draw=lambda rng: (
            lambda attribute: {
                **_draw_group(rng),
                "attribute": attribute,
                "attribute_name": bi(f"attr_{attribute}"),
            }
        )(str(rng.choice(_ATTRIBUTES))),
        solve=_gap,
        method="Mean of `perc_{attribute} - exp_{attribute}` over those respondents (`satisfaction.attribute_gaps(subset)`, column `gap`).",
        unit="points on the 1-7 scale",
        decimals=3,
        tolerance=0.001,
        points=6,
    ),
    Computational(
        id="ch06.e10",
        heading="The standard error of an NPS",
        stem=(
            "A survey has {promoters} promoters, {passives} passives and {detractors} detractors. What is the NPS's "
            "standard error, in points?"
        ),
        draw=lambda rng: {
            "promoters": int(rng.integers(20, 200)),
            "passives": int(rng.integers(20, 200)),
            "detractors": int(rng.integers(20, 200)),
        },
        solve=_nps_se,
        method="Score each answer +1, 0, -1; SE = 100 × sd/√n of the scores with n = {promoters} + {passives} + {detractors} (`satisfaction.nps(scores).se`).",
        unit="points",
        decimals=2,
        tolerance=0.02,
        points=6,
    ),
]
