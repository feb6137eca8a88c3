"""Exam bank of chapter 05, customer segmentation (客户细分)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import segmentation
from crmlib.datasets import load_cdnow, load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi

_DEMO_SEGMENTS = [
    "loyal",
    "at_risk",
    "potential_loyalist",
    "hibernating",
    "about_to_sleep",
    "need_attention",
    "lost",
]
_SHARE_SEGMENTS = ["at_risk", "potential_loyalist", "hibernating", "about_to_sleep", "need_attention", "lost"]
_CDNOW_SEGMENTS = ["champions", "loyal", "at_risk", "hibernating", "lost", "cant_lose_them"]


@cache
def _segments(end: str, source: str = "demo") -> pd.DataFrame:
    if source == "demo":
        orders = load_demo("orders")
        orders = orders[orders["order_date"] <= end]
        scores = segmentation.rfm_scores(
            orders, date_col="order_date", amount_col="revenue", observation_end=end
        )
    else:
        data = load_cdnow(sample=True)
        data = data[data["date"] <= end]
        scores = segmentation.rfm_scores(
            data, date_col="date", amount_col="amount", observation_end=end, duplicates="keep"
        )
    return segmentation.rfm_segments(scores)


def _count(segment: str, segment_name: str, end: str) -> int:
    return int((_segments(end)["rfm_segment"] == segment).sum())


def _value_share(segment: str, segment_name: str) -> float:
    summary = segmentation.segment_summary(_segments("2024-12-31"))
    return float(100 * summary.loc[segment, "share_value"])


def _cdnow_count(segment: str, segment_name: str, end: str) -> int:
    return int((_segments(end, "cdnow")["rfm_segment"] == segment).sum())


def _pick(rng, keys: list[str]) -> dict:
    key = str(rng.choice(keys))
    return {"segment": key, "segment_name": bi(key)}


QUESTIONS = [
    MultipleChoice(
        id="ch05.e1",
        heading="A priori or post hoc",
        stem=(
            "A firm divides its customers into consumers and business accounts before any analysis, on a variable it "
            "already knows. What kind of segmentation is this?"
        ),
        options={
            "A": bi("a_priori_segmentation"),
            "B": bi("post_hoc_segmentation"),
            "C": bi("cluster_analysis"),
            "D": "RFM segmentation",
        },
        correct="A",
        explanation="A group fixed before the analysis, on a known variable, is an a-priori segment.",
        why_not={
            "B": "Post-hoc segments are found in the data by the analysis, e.g. by clustering.",
            "C": "Cluster analysis lets the data form the groups: a post-hoc method.",
            "D": "RFM scores purchase behaviour (recency, frequency, monetary value); customer type is not among them.",
        },
    ),
    MultipleChoice(
        id="ch05.e2",
        heading="Reading the silhouette",
        stem=(
            f"For k = 2 to 8 clusters of the demo customers, the {bi('silhouette')} stayed below 0.16 and was highest at "
            "k = 3 (0.155) and k = 4 (0.151). What does this say?"
        ),
        options={
            "A": "The clusters overlap: customers do not come in separate groups, and 0.155 against 0.151 is too small a difference to decide k alone.",
            "B": "k = 3 is the true number of segments.",
            "C": "The clustering failed, and the data must not be segmented.",
            "D": "The inertia must be used instead, because it is smallest at k = 8.",
        },
        correct="A",
        explanation="A silhouette near 0 means customers are about as close to the neighbouring cluster as to their own; the choice of k needs the profiles and the use.",
        why_not={
            "B": "The criterion does not reveal a true number; on the demo company the agreement with the latent segments kept rising at k = 5.",
            "C": "Overlapping clusters can still be useful if they meet the three criteria (differentiation, profitability, feasibility).",
            "D": "The inertia falls with every cluster added, to 0 with one customer per cluster; its size cannot choose k.",
        },
    ),
    MultipleChoice(
        id="ch05.e3",
        heading="Why reverse the recency score",
        stem="In an RFM score, why does R = 5 go to the fifth of customers with the fewest days since their last purchase?",
        options={
            "A": "Because recent buyers are the most likely to buy again, and a high score should mean a better customer on every letter.",
            "B": "Because the quintiles of recency cannot be computed the other way round.",
            "C": "Because recency is measured in weeks, not days.",
            "D": "Because customers with a long recency spend more.",
        },
        correct="A",
        explanation="Small recency is good, large frequency and monetary value are good: reversing R makes 5 the best on all three.",
        why_not={
            "B": "Quintiles can be taken in either direction; reversing is a choice of meaning.",
            "C": "The unit does not matter for a rank-based score.",
            "D": "Long recency means a customer who has gone quiet; it says nothing good about spend.",
        },
    ),
    MultipleChoice(
        id="ch05.e4",
        heading="The satisfaction matrix",
        stem=(
            f"In the {bi('satisfaction_matrix')}, a customer satisfied with the product but dissatisfied with the "
            "relationship is a ..."
        ),
        options={
            "A": bi("vulnerable_customer"),
            "B": bi("loyal_customer"),
            "C": bi("potential_type_customer"),
            "D": bi("negative_customer"),
        },
        correct="A",
        explanation="Satisfied with the product, not with how they are treated: vulnerable, to be kept by fixing the relationship.",
        why_not={
            "B": "Loyal customers are satisfied with both.",
            "C": "Potential customers are satisfied with the relationship but not with the product.",
            "D": "Negative customers are satisfied with neither.",
        },
    ),
    ShortAnswer(
        id="ch05.e5",
        heading="The three criteria of a segmentation",
        stem=(
            f"A segmentation is worth acting on only if it meets three criteria: {bi('differentiation')}, "
            f"{bi('profitability')} and {bi('feasibility')}. Explain each and how the chapter measured it on the clusters."
        ),
        answer_points=(
            "Differentiation: the segments differ in their characteristics or in how they respond to marketing; measured per variable by η², the share of its variance between segments (with F and its p-value), including variables not used to cluster and the response to a campaign.",
            "Profitability: what a segment earns exceeds the cost of serving it with its own programme; measured per segment as margin minus the cost to serve (orders, tickets, the programme).",
            "Feasibility: the firm can reach the segment and carry out the programme, and the segment is large enough; measured by segment size and the channels its customers use.",
            "A segment failing one criterion is merged or not targeted; the criteria decide, not the clustering statistic.",
        ),
    ),
    ShortAnswer(
        id="ch05.e6",
        heading="RFM on CDNOW",
        stem=(
            "The chapter's RFM map of CDNOW has no New and no Promising customers, and the frequency quintiles split "
            "one-time buyers. Explain both findings and what they teach about applying RFM to a data set."
        ),
        answer_points=(
            "Everyone in CDNOW first bought in the first quarter of 1997, so by June 1998 no one-time buyer can be recent: New and Promising are empty.",
            "1,218 of 2,357 customers bought once, so the 20 % and 40 % cut points of frequency fall inside the one-time buyers; ranks split them by spend, not by frequency.",
            "RFM cells depend on the data's design (a single acquisition cohort) and on ties; the cells must be read with that in mind.",
            "RFM adds scores as substitutes; a heavy buyer who stopped long ago (chapter 04's iso-value curves) may be worth less than its score suggests.",
        ),
    ),
    ShortAnswer(
        id="ch05.e7",
        heading="Choosing target customers",
        stem=(
            "Using the chapter's segments, describe how a firm chooses its target customers and what it offers each of "
            "three segments: Champions, Can't lose them and Hibernating."
        ),
        answer_points=(
            "Target customers are the segments whose value (now and future) justifies the cost of the programme, and that the firm can serve (the three criteria).",
            "Champions (12.8 % of buyers, 50.8 % of revenue): keep and develop them (recognition, early access, cross-selling), not discounts they do not need.",
            "Can't lose them (166 customers spending ¥20,030 each, gone quiet): the first call for a personal win-back offer.",
            "Hibernating: low-cost reactivation at most; spend little unless a test shows an incremental effect.",
            "A good answer checks the effect of each action (a control group), not only the segment's past value.",
        ),
    ),
    Computational(
        id="ch05.e8",
        heading="A segment on another day",
        stem=(
            "Score the demo company's buyers by RFM on {end}: keep the orders placed up to that day, run "
            '`segmentation.rfm_scores(orders, date_col="order_date", amount_col="revenue", observation_end="{end}")` '
            "and name the segments with `segmentation.rfm_segments`. How many customers are in the segment {segment_name}?"
        ),
        draw=lambda rng: {
            **_pick(rng, _DEMO_SEGMENTS),
            "end": str(rng.choice(["2022-12-31", "2023-06-30", "2024-06-30"])),
        },
        solve=_count,
        method='Count the rows of the segmented table (observation end {end}) whose `rfm_segment` is "{segment}".',
        unit="customers",
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch05.e9",
        heading="A segment's share of revenue",
        stem=(
            "Segment the demo company's buyers by RFM at the end of 2024 (all orders, observation end 2024-12-31), "
            "as the chapter did. What percentage of the total spend does the segment {segment_name} hold?"
        ),
        draw=lambda rng: _pick(rng, _SHARE_SEGMENTS),
        solve=_value_share,
        method='`segmentation.segment_summary(segments)`, row "{segment}", column `share_value`, times 100.',
        unit="%",
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch05.e10",
        heading="The CDNOW map at an earlier date",
        stem=(
            "Score the CDNOW sample by RFM on {end}, using only the purchases up to that day "
            '(`segmentation.rfm_scores(..., date_col="date", amount_col="amount", observation_end="{end}", duplicates="keep")`, then '
            "`rfm_segments`). How many customers are in the segment {segment_name}?"
        ),
        draw=lambda rng: {
            **_pick(rng, _CDNOW_SEGMENTS),
            "end": str(rng.choice(["1997-09-30", "1997-12-31", "1998-03-31"])),
        },
        solve=_cdnow_count,
        method='Count the rows whose `rfm_segment` is "{segment}" in the CDNOW map of {end}.',
        unit="customers",
        decimals=0,
        tolerance=0,
        points=6,
    ),
]
