"""Exam bank of chapter 04, customer value and customer lifetime value (客户价值与客户生命周期价值)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import models, value
from crmlib.datasets import CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, load_cdnow
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi
from crmlib.transactions import calibration_holdout_split


@cache
def _calibration() -> pd.DataFrame:
    return calibration_holdout_split(
        load_cdnow(sample=True), CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, duplicates="keep"
    )


@cache
def _bgnbd() -> models.BGNBD:
    data = _calibration()
    return models.BGNBD().fit(data["frequency"], data["recency"], data["T"])


@cache
def _gamma_gamma() -> models.GammaGamma:
    repeaters = _calibration()[_calibration()["frequency"] > 0]
    return models.GammaGamma().fit(repeaters["frequency"], repeaters["monetary"])


def _finite_clv(margin: int, retention: float, rate: int, periods: int) -> float:
    return value.retention_clv(margin, retention, rate / 100, periods=periods)


def _break_even(margin: int, retention: float, acquisition: int, rate: int) -> float:
    periods = np.arange(21)
    flows = pd.DataFrame(
        {
            "period": periods,
            "revenue": margin * retention**periods,
            "cost": 0.0,
            "acquisition_cost": np.where(periods == 0, float(acquisition), 0.0),
        }
    )
    return float(value.break_even_period(value.clv_table(flows, discount_rate=rate / 100)))


def _draw_break_even(rng) -> dict:
    """Parameters under which the customer pays back within 20 periods, but not at once."""
    while True:
        params = {
            "margin": int(rng.choice([60, 80, 100, 120])),
            "retention": float(rng.choice([0.75, 0.8, 0.85, 0.9])),
            "acquisition": int(rng.choice([200, 300, 400, 500])),
            "rate": int(rng.choice([5, 8, 10, 12])),
        }
        try:
            if _break_even(**params) >= 1:
                return params
        except TypeError:  # no break-even within 20 periods
            continue


def _expected_purchases(x: int, tx: int, weeks: int) -> float:
    return float(_bgnbd().expected_purchases(weeks, x, tx, 39.0))


def _p_alive(x: int, tx: int) -> float:
    return float(_bgnbd().p_alive(x, tx, 39.0))


def _expected_spend(x: int, mx: int) -> float:
    return float(_gamma_gamma().expected_spend(x, mx))


def _top_share(top: int) -> float:
    spend = load_cdnow(sample=True).groupby("customer_id")["amount"].sum()
    return float(100 * value.top_share(spend, top / 100))


QUESTIONS = [
    MultipleChoice(
        id="ch04.e1",
        heading="Which view of customer value",
        stem=(
            "A bank computes, for each of its customers, the discounted margins it expects from them over the coming "
            "years. Which view of customer value is this?"
        ),
        options={
            "A": f"{bi('value_to_firm')}: what the customer is worth to the firm",
            "B": f"{bi('value_to_customer')}: what the customer perceives she gets",
            "C": "both at once, because a profitable customer must be satisfied",
            "D": "neither: discounted margins measure the firm's costs",
        },
        correct="A",
        explanation="Discounted margins are the customer lifetime value, the value of the customer to the firm.",
        why_not={
            "B": "Value to the customer is the customer's perceived benefits against her costs, judged by her, not the firm's margins.",
            "C": "The two views are different quantities; mixing them is the commonest confusion of the topic. A profitable customer need not be satisfied (spurious loyalty).",
            "D": "Margins are revenue minus cost of serving, not costs.",
        },
    ),
    MultipleChoice(
        id="ch04.e2",
        heading="Two timing conventions",
        stem=(
            "With margin m, retention r and discount rate i, the chapter's retention-based CLV with an infinite horizon "
            "is m(1 + i)/(1 + i - r); Gupta & Lehmann (2003) use m r/(1 + i - r). By how much do they differ?"
        ),
        options={
            "A": "by exactly one margin m",
            "B": "by a factor (1 + i)",
            "C": "by a factor r",
            "D": "not at all when i = r",
        },
        correct="A",
        explanation="m(1 + i - r)/(1 + i - r) = m: the chapter counts the margin of period 0 (certain, undiscounted); Gupta & Lehmann start one period later, and only if the customer stays.",
        why_not={
            "B": "The ratio of the numerators is (1 + i)/r, not (1 + i); the difference is what is constant.",
            "C": "A factor r would hold only if the chapter's numerator were m; it is m(1 + i).",
            "D": "The difference is m whatever i and r are.",
        },
    ),
    MultipleChoice(
        id="ch04.e3",
        heading="Personalized or customized",
        stem=f"Which of these is a {bi('customized_product')} rather than {bi('personalization')}?",
        options={
            "A": "a laptop the customer configures to order on the maker's website",
            "B": "a home page that shows products like those the customer bought before",
            "C": '"customers who bought this also bought" suggestions',
            "D": "an e-mail with offers chosen from the customer's browsing history",
        },
        correct="A",
        explanation="In a customized product the customer states the need (her own specification); in personalization the firm infers it from her history.",
        why_not={
            "B": "The firm infers the interest from past purchases: personalization.",
            "C": "Inferred from other customers' transactions: personalization.",
            "D": "Inferred from browsing history: personalization.",
        },
    ),
    MultipleChoice(
        id="ch04.e4",
        heading="What P(alive) means",
        stem=(
            f"The BG/NBD model gives a CDNOW customer a {bi('p_alive')} of 0.727 at the end of the calibration period. "
            "What does that number say?"
        ),
        options={
            "A": "Given her purchase history, the probability that she has not yet dropped out for good is 0.727.",
            "B": "She will buy in the next 39 weeks with probability 0.727.",
            "C": "72.7 % of her purchases were repeat purchases.",
            "D": "She is expected to buy 0.727 times in the next 39 weeks.",
        },
        correct="A",
        explanation="P(alive) is about being still a customer; an alive customer may still not buy in a given period.",
        why_not={
            "B": "Being alive does not mean buying within 39 weeks; the share who bought is below the mean P(alive) (the chapter's check).",
            "C": "It is a model probability, not a share of her purchases.",
            "D": "Expected purchases are a separate prediction (1.226 for this customer in the chapter).",
        },
    ),
    MultipleChoice(
        id="ch04.e5",
        heading="More purchases, less value",
        stem=(
            f"On the chapter's {bi('iso_value_curve')} plot, customer A (12 repeat purchases, none since week 20) is worth "
            "less than customer C (2 repeat purchases, the last in week 36). Why?"
        ),
        options={
            "A": "A heavy buyer who has gone quiet has probably left; a light buyer who bought recently is probably still alive.",
            "B": "The model caps the value of customers with more than ten purchases.",
            "C": "Customer A spent less per transaction.",
            "D": "Customer C joined later, so her value is discounted less.",
        },
        correct="A",
        explanation="For a customer whose last purchase was long ago, more past purchases make a long silence less likely to be chance, so P(alive) and value fall.",
        why_not={
            "B": "There is no cap; value depends on frequency and recency jointly.",
            "C": "The iso-value comparison holds spend per transaction fixed; the difference is in frequency and recency.",
            "D": "Every customer is valued at the same date; discounting does not explain it.",
        },
    ),
    ShortAnswer(
        id="ch04.e6",
        heading="The five levers of customer value",
        stem=(
            "The chapter lists five levers that raise customer value, each at the strategic, tactical and operational "
            "level, and compares three of them by their effect on the CLV. Name the levers and explain why retention "
            "turned out to be the strongest one, and why that comparison is not the whole story."
        ),
        answer_points=(
            "Levers: acquire new customers; raise the revenue of current customers; cut the cost of current customers; lengthen the lifecycle (retention, loyalty); cut the acquisition cost.",
            "Retention multiplies every future margin (the probability r^t of being there), so a change in r moves all future terms at once.",
            "In the chapter: from CNY 125.0, +10 % margin adds 27.5, -10 % acquisition cost adds 15.0, +10 points retention adds 91.7.",
            'The comparison assumes "similar steps"; a fair comparison needs the cost of each step (is 10 points of retention as cheap as 10 % off acquisition?).',
        ),
    ),
    ShortAnswer(
        id="ch04.e7",
        heading="Heterogeneity and one retention rate",
        stem=(
            'A manager says: "our retention rate is 80 %, so a customer stays five years on average, and I value each '
            'customer with one retention rate". Explain what is wrong with that reasoning when customers differ, and '
            "what the error does to the value of the customer base."
        ),
        answer_points=(
            "With heterogeneous customers the observed retention rate of a cohort rises over time: the churn-prone leave first.",
            "One rate taken from the first year applies the early, low retention to the loyal survivors as well.",
            "So the CLV of the base and the expected lifetime are underestimated (the sBG of chapter 03 gives a higher value).",
            "The average lifetime 1/(1 - r) holds only if every customer has the same r; with a beta mix of churn probabilities the mean lifetime is longer (it may not even be finite).",
        ),
    ),
    ShortAnswer(
        id="ch04.e8",
        heading="Honest validation",
        stem=(
            "The BG/NBD and Pareto/NBD models fitted to CDNOW under-predicted the hold-out repeat purchases (1,882 "
            "actual; 1,664.1 and 1,742.6 predicted). Describe the four checks the chapter ran on the hold-out period "
            "and what a firm should conclude before planning on the models' forecasts."
        ),
        answer_points=(
            "Purchases week by week (and by month in the hold-out alone), not a cumulative curve that hides the hold-out under the fitted weeks.",
            "The mean hold-out purchases by calibration frequency: the errors are systematic by group (BG/NBD low for repeaters, Pareto/NBD low for non-repeaters).",
            "Each customer's own prediction (mean absolute error), compared with a naive rule (x/T), which overshoots because it forgets customers leave.",
            "P(alive) against the share who bought in the hold-out, by groups of P(alive).",
            "Conclusion: the models beat the naive rule but miss holidays and promotions (Nov-Dec 1997, March 1998); forecasts are likely too low, so plan with a margin and re-check.",
        ),
    ),
    Computational(
        id="ch04.e9",
        heading="A retention-based CLV over a finite horizon",
        stem=(
            "A customer brings a margin of CNY {margin} a year, paid from year 0 on (year 0 certain), and is retained "
            "from one year to the next with probability {retention}. With a discount rate of {rate} % a year and a "
            "horizon of years 0 to {periods}, what is her CLV?"
        ),
        draw=lambda rng: {
            "margin": int(rng.choice([80, 100, 150, 200, 250])),
            "retention": float(rng.choice([0.6, 0.7, 0.75, 0.8, 0.85, 0.9])),
            "rate": int(rng.choice([5, 8, 10, 12, 15])),
            "periods": int(rng.choice([3, 5, 8, 10])),
        },
        solve=_finite_clv,
        method="CLV = Σ_(t=0..{periods}) m r^t/(1 + i)^t with m = {margin}, r = {retention}, i = {rate} % (`value.retention_clv(m, r, i, periods={periods})`).",
        unit="CNY",
        decimals=2,
        tolerance=0.05,
        points=6,
    ),
    Computational(
        id="ch04.e10",
        heading="The break-even period",
        stem=(
            "Winning a customer costs CNY {acquisition} in period 0. She brings an expected margin of CNY {margin} × "
            "{retention}^t in period t (t = 0, 1, 2, ...). With a discount rate of {rate} % per period, in which period "
            "does the cumulative discounted margin, net of the acquisition cost, first reach zero or more?"
        ),
        draw=_draw_break_even,
        solve=_break_even,
        method="Build the CLV table (`value.clv_table`) of revenue m r^t, acquisition cost {acquisition} at t = 0, rate {rate} %; the break-even period is the first with cumulative ≥ 0 (`value.break_even_period`).",
        unit="",
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch04.e11",
        heading="Expected purchases of a described customer",
        stem=(
            "Fit the BG/NBD model to the calibration period of the CDNOW sample (weeks up to 1997-09-30, "
            "`crmlib.calibration_holdout_split`, duplicates kept, as in the chapter). A customer made her first purchase "
            "at the start of the 39 calibration weeks (T = 39), made {x} repeat purchases, the last in week {tx}. How "
            "many purchases do you expect from her in the next {weeks} weeks?"
        ),
        draw=lambda rng: {
            "x": int(rng.integers(1, 11)),
            "tx": int(rng.integers(5, 39)),
            "weeks": int(rng.choice([13, 26, 39, 52])),
        },
        solve=_expected_purchases,
        method="`models.BGNBD().fit(...)`, then `expected_purchases({weeks}, {x}, {tx}, 39)`.",
        unit="purchases",
        decimals=3,
        tolerance=0.005,
        points=8,
    ),
    Computational(
        id="ch04.e12",
        heading="P(alive) of a described customer",
        stem=(
            "With the same BG/NBD model, what is the probability that a customer with {x} repeat purchases, the last in "
            "week {tx} of the 39 calibration weeks (T = 39), is still alive at the end of the calibration period?"
        ),
        draw=lambda rng: {"x": int(rng.integers(1, 13)), "tx": int(rng.integers(3, 39))},
        solve=_p_alive,
        method="`BGNBD.p_alive({x}, {tx}, 39)` on the model fitted to the calibration period.",
        decimals=4,
        tolerance=0.0005,
        points=6,
    ),
    Computational(
        id="ch04.e13",
        heading="Shrinking an average spend",
        stem=(
            "Fit the gamma-gamma model to the CDNOW customers with at least one repeat purchase in the calibration "
            "period (their frequency and mean repeat spend). A customer made {x} repeat purchases averaging US${mx}. "
            "What spend per transaction does the model expect from her?"
        ),
        draw=lambda rng: {
            "x": int(rng.choice([1, 2, 3, 5, 8])),
            "mx": int(rng.choice([15, 25, 50, 80, 120, 200])),
        },
        solve=_expected_spend,
        method="`models.GammaGamma().fit(frequency, monetary).expected_spend({x}, {mx})`: a weighted mean of her own average and the population mean.",
        unit="US$",
        decimals=2,
        tolerance=0.05,
        points=6,
    ),
    Computational(
        id="ch04.e14",
        heading="Concentration of CDNOW spend",
        stem=(
            "Add up each CDNOW sample customer's spend over the whole data (78 weeks). What percentage of the total do "
            "the top {top} % of customers hold?"
        ),
        draw=lambda rng: {"top": int(rng.choice([1, 5, 10, 25, 30, 50]))},
        solve=_top_share,
        method="Total spend per customer, then `value.top_share(spend, {top}/100)` (the share held by the largest {top} %), times 100.",
        unit="%",
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
]
