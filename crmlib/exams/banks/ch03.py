"""Exam bank of chapter 03, customer classification and the customer lifecycle (客户分类与客户生命周期)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import lifecycle, retention
from crmlib.datasets import load_demo, load_sbg_retention
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi
from crmlib.models import ShiftedBetaGeometric

_SEGMENTS = {"regular": "regular", "high_end": "high-end"}


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


@cache
def _sbg(segment: str, years: int) -> ShiftedBetaGeometric:
    return ShiftedBetaGeometric().fit(load_sbg_retention()[segment][: years + 1])


def _stage_count(stage: str, as_of: str) -> int:
    stages = lifecycle.lifecycle_stages(_orders(), load_demo("customers"), as_of=as_of)
    return int((stages["stage"] == stage).sum())


def _cohort_share(cohort: str, month: int) -> float:
    table = lifecycle.cohort_table(_orders(), date_col="order_date")
    return float(100 * table.loc[pd.Period(cohort, "M"), month])


def _survival(days: int) -> float:
    durations = lifecycle.relationship_durations(_orders(), date_col="order_date")
    return float(100 * lifecycle.survival_table(durations, [days])["all"].iloc[0])


def _sbg_retention(segment: str, segment_name: str, years: int, year: int) -> float:
    return float(_sbg(segment, years).retention_rate(year))


def _projection_gap(segment: str, segment_name: str, years: int) -> float:
    active = load_sbg_retention()[segment][: years + 1].to_numpy()
    naive = retention.naive_projection(active, 12, kind="exponential")[12]
    return float(1000 * _sbg(segment, years).survival(12) - naive)


def _draw_sbg(rng) -> dict:
    segment = str(rng.choice(list(_SEGMENTS)))
    return {"segment": segment, "segment_name": _SEGMENTS[segment], "years": int(rng.integers(3, 8))}


QUESTIONS = [
    MultipleChoice(
        id="ch03.e1",
        heading="Classifying a customer by position",
        stem=(
            "A supermarket chain buys a brand's biscuits and sells them on to shoppers. From the brand's point of view, "
            "which kind of customer is the chain?"
        ),
        options={
            "A": bi("intermediate_customer"),
            "B": bi("internal_customer"),
            "C": bi("external_customer"),
            "D": bi("potential_customer"),
        },
        correct="A",
        explanation="A wholesaler or retailer that passes the product on is an intermediate customer.",
        why_not={
            "B": "An internal customer is a department or colleague inside the firm who receives its work.",
            "C": "An external customer buys or uses the product itself; the chain resells it.",
            "D": "A potential customer could buy but has not; the chain buys now (it is an actual customer as well).",
        },
    ),
    MultipleChoice(
        id="ch03.e2",
        heading="The stage with the strongest relationship",
        stem=(
            f"In the {bi('customer_lifecycle')}, in which stage is the {bi('relationship_strength')} at its highest "
            "and steady?"
        ),
        options={
            "A": bi("stage_loyalty"),
            "B": bi("stage_familiarity"),
            "C": bi("stage_exploration"),
            "D": bi("stage_separation"),
        },
        correct="A",
        explanation="Loyalty is the long, steady relationship at its highest level; the demo company's mean revenue per customer peaks there.",
        why_not={
            "B": "In familiarity the relationship grows fast (repeat purchases, trust) but has not yet reached its highest level.",
            "C": "Exploration is the stage of first, trial purchases, in which the relationship grows slowly.",
            "D": "In separation purchases thin out and the relationship weakens.",
        },
    ),
    MultipleChoice(
        id="ch03.e3",
        heading="Why the first cohort row is suspect",
        stem=(
            "In the demo company's cohort retention table, 45 % of the January 2022 cohort bought again in the month "
            "after their first purchase, against 22-39 % for the cohorts of February to June 2022. Why should the "
            "first row not be compared with the others?"
        ),
        options={
            "A": "January 2022 is the first month of the data, so its cohort also holds long-standing customers whose earlier purchases are not in the data (left truncation).",
            "B": "January holds the Chinese New Year, when customers buy more.",
            "C": "The January cohort is the smallest, so its shares are noise.",
            "D": "The later cohorts have not been observed long enough to have a month 1.",
        },
        correct="A",
        explanation="The first month's \"new\" customers include old regulars, who buy again more often: that is why the chapter's average row starts in February 2022.",
        why_not={
            "B": "Seasonality would affect every January, and the column compares cohorts at the same age, not the same calendar month.",
            "C": "The cohorts hold 69 to 209 customers each; the gap is systematic, not chance.",
            "D": "Every cohort of 2022 has a month 1 in the data; only the last cohorts lack later months.",
        },
    ),
    MultipleChoice(
        id="ch03.e4",
        heading="Censoring in survival analysis",
        stem=(
            f"When the chapter estimates how long relationships last with the {bi('kaplan_meier')} curve, what happens "
            f"to a customer whose relationship is still running at the end of the data ({bi('censoring')})?"
        ),
        options={
            "A": "She counts as at risk up to the end of the data and then leaves the calculation without counting as lost.",
            "B": "She is dropped from the data, because her duration is unknown.",
            "C": "She counts as lost on the last day of the data.",
            "D": "Her duration is set to the average duration of the lost customers.",
        },
        correct="A",
        explanation='Censored durations say "at least this long"; the Kaplan-Meier estimate uses that information without inventing an end.',
        why_not={
            "B": "Dropping running relationships keeps only the ended (shorter) ones and underestimates survival.",
            "C": "Counting her as lost invents an ending that did not happen and underestimates survival.",
            "D": "Imputing an average is not what Kaplan-Meier does and would bias the curve.",
        },
    ),
    ShortAnswer(
        id="ch03.e5",
        heading="Acquisition and retention strategies",
        stem=(
            f"Compare the {bi('acquisition_strategy')} with the {bi('retention_strategy')}. In 2024 the demo company's "
            "1,402 returning buyers brought in ¥9.66 million against ¥3.33 million from 1,723 new buyers. What does a "
            "firm need to know before it moves budget from one strategy to the other?"
        ),
        answer_points=(
            "Acquisition wins new customers (former customers who stopped buying included); retention keeps the existing ones by raising satisfaction and loyalty.",
            "A firm needs both; in a maturing business returning customers carry a growing share of revenue (74 % in the demo company in 2024).",
            "Returning buyers are a selection of those who liked the firm, and staying customers buy more per year (relationship strength grows with the lifecycle).",
            "Before moving budget: the cost of winning a customer against the cost of keeping one, and the value (margin over the relationship) each brings.",
            "And whether retention spending really changes behaviour (an incremental effect), not only rewards customers who would have stayed anyway.",
        ),
    ),
    ShortAnswer(
        id="ch03.e6",
        heading="Rules on the order history can be wrong",
        stem=(
            "The chapter assigns each customer a lifecycle stage with written rules on the order history. Of the "
            "customers the rules put in separation, 31.8 % were in truth still active. Explain why rules on purchases "
            "make this error, what it costs a firm, and how it could be reduced."
        ),
        answer_points=(
            "Purchases are observed, leaving is not: a slow buyer between two purchases looks like a customer who has left.",
            "A fixed threshold (180 days) treats every customer alike, although buying rates differ widely between customers.",
            "Cost: win-back offers sent to customers who would have bought anyway (wasted discounts), and a wrong picture of how many relationships fade.",
            "Remedies: thresholds per customer type or buying rate, probabilistic models of being alive (BG/NBD, chapter 04), or contact data (web visits, tickets) besides orders.",
            "Check rules against outcomes when possible (the demo company's truth; in a real firm, later purchases).",
        ),
    ),
    ShortAnswer(
        id="ch03.e7",
        heading="One retention rate against the sBG",
        stem=(
            f"Explain why projecting customer retention with a fitted curve (linear, quadratic or exponential) goes "
            f"wrong, and what the {bi('sbg_model')} assumes instead. Why does the fitted retention rate of a cohort "
            "rise over the years in that model?"
        ),
        answer_points=(
            "A fitted curve has no story behind it: curves that fit the first years equally well diverge far apart (a linear one even goes below zero).",
            "The sBG assumes each customer has her own constant churn probability, and these differ across customers as a beta distribution (heterogeneity).",
            "Customers with a high churn probability leave first, so the survivors are increasingly the loyal ones: the cohort's retention rate rises with time.",
            "So one constant retention rate (the exponential curve) underestimates long-run survival and the value of a customer.",
            "A good answer mentions that the projection is checked on years the model was not fitted to.",
        ),
    ),
    Computational(
        id="ch03.e8",
        heading="Customers in one lifecycle stage on another day",
        stem=(
            "Assign the demo company's customers their lifecycle stage on {as_of} with the default rules: "
            '`lifecycle.lifecycle_stages(orders, customers, as_of="{as_of}")`. How many customers are in the '
            "{stage_name} stage on that day?"
        ),
        draw=lambda rng: (
            lambda stage: {
                "stage": stage,
                "stage_name": bi(f"stage_{stage}"),
                "as_of": str(rng.choice(["2023-06-30", "2023-12-31", "2024-03-31", "2024-09-30"])),
            }
        )(str(rng.choice(["exploration", "familiarity", "separation"]))),
        solve=lambda stage, stage_name, as_of: _stage_count(stage, as_of),
        method='Run `lifecycle.lifecycle_stages` with `as_of="{as_of}"` and count the rows whose `stage` is "{stage}".',
        unit="customers",
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch03.e9",
        heading="One cell of the cohort table",
        stem=(
            'Build the demo company\'s cohort retention table, `lifecycle.cohort_table(orders, date_col="order_date")`. '
            "What percentage of the customers who first bought in {cohort} bought again {month} month(s) after their "
            "first purchase month?"
        ),
        draw=lambda rng: {
            "cohort": f"{int(rng.choice([2022, 2023]))}-{int(rng.integers(2, 13)):02d}",
            "month": int(rng.choice([1, 2, 3, 6, 9, 12])),
        },
        solve=_cohort_share,
        method="Read row {cohort}, column {month} of the cohort table (a share) and multiply by 100.",
        unit="%",
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch03.e10",
        heading="Survival after a number of days",
        stem=(
            "Compute the relationship durations of all demo buyers with `lifecycle.relationship_durations(orders, "
            'date_col="order_date")` (a relationship counts as lost after 365 days without an order) and the '
            "Kaplan-Meier survival table. What percentage of relationships last more than {days} days?"
        ),
        draw=lambda rng: {"days": int(rng.choice([90, 150, 240, 300, 450, 540, 600]))},
        solve=_survival,
        method="`lifecycle.survival_table(durations, [{days}])`, column `all`, times 100.",
        unit="%",
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch03.e11",
        heading="A retention rate from the sBG",
        stem=(
            "Fit the shifted-beta-geometric model to the {segment_name} cohort of Fader & Hardie (2007) "
            "(`crmlib.load_sbg_retention()`), using years 0 to {years} only. What retention rate does the fitted "
            "model give for year {year} (the share of the customers alive at year {year} - 1 who are still there at year {year})?"
        ),
        draw=lambda rng: {**_draw_sbg(rng), "year": int(rng.integers(2, 13))},
        solve=_sbg_retention,
        method='`ShiftedBetaGeometric().fit(published["{segment}"][:{years} + 1]).retention_rate({year})`; r_t = (β + t - 1)/(α + β + t - 1).',
        decimals=4,
        tolerance=0.0005,
        points=6,
    ),
    Computational(
        id="ch03.e12",
        heading="How far one retention rate falls short",
        stem=(
            "Fit the sBG model to the {segment_name} cohort on years 0 to {years} and project the number of the 1,000 "
            "customers still active in year 12. Project the same with one constant retention rate "
            '(`retention.naive_projection(active, 12, kind="exponential")`). By how many customers does the sBG '
            "projection exceed the exponential one in year 12?"
        ),
        draw=_draw_sbg,
        solve=_projection_gap,
        method="1,000 × S(12) of the sBG fitted on years 0-{years}, minus the exponential projection's year-12 value.",
        unit="customers",
        decimals=1,
        tolerance=0.5,
        points=8,
    ),
]
