"""Exam bank of chapter 00, the course guide (课程导读)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import transactions
from crmlib.datasets import load_cdnow, load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi


@cache
def _cdnow() -> pd.DataFrame:
    return load_cdnow(sample=True)


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


def _buyers_in_month(month: int) -> int:
    data = _cdnow()
    dates = data["date"]
    return int(data.loc[(dates.dt.year == 1997) & (dates.dt.month == month), "customer_id"].nunique())


def _orders_in_quarter(year: int, quarter: int) -> int:
    dates = _orders()["order_date"]
    return int(((dates.dt.year == year) & (dates.dt.quarter == quarter)).sum())


def _share_spending_over(threshold: int) -> float:
    spend = _cdnow().groupby("customer_id")["amount"].sum()
    return float(100 * (spend > threshold).mean())


def _mean_frequency(end: str) -> float:
    data = _cdnow()
    summary = transactions.rfm_summary(data[data["date"] <= end], observation_end=end, duplicates="keep")
    return float(summary["frequency"].mean())


QUESTIONS = [
    MultipleChoice(
        id="ch00.e1",
        heading="What the frequency of an RFM summary counts",
        stem=(
            "A customer bought on 3 March, twice on 10 April (two separate orders) and on 2 June. "
            f"What is her {bi('frequency')} x in the summary that `crmlib.rfm_summary` makes?"
        ),
        options={"A": "4", "B": "3", "C": "2", "D": "1"},
        correct="C",
        explanation=(
            "Frequency counts repeat transactions: the transactions after the first, with purchases on "
            "the same day counted as one. Three transaction days (3 March, 10 April, 2 June) give 2 repeats."
        ),
        why_not={
            "A": "4 counts every order, the first one and both same-day orders included.",
            "B": "3 counts the transaction days, the first one included; the first purchase is not a repeat.",
            "D": "1 would count only one of the two later days; 10 April and 2 June are both repeat days.",
        },
    ),
    MultipleChoice(
        id="ch00.e2",
        heading="Why keep a hold-out period",
        stem=(
            f"The published CDNOW analyses fit their models on a 39-week {bi('calibration_period')} and keep "
            f"the next 39 weeks as a {bi('holdout_period')}. What is the hold-out period for?"
        ),
        options={
            "A": "To test the model's predictions on purchases the model never saw.",
            "B": "To estimate the model's parameters with more data.",
            "C": "To remove the customers who left before the end of the data.",
            "D": "To correct for the seasonality of the holiday months.",
        },
        correct="A",
        explanation="A model is judged honestly only on data it was not fitted to; the hold-out weeks play that part.",
        why_not={
            "B": "The parameters are estimated on the calibration period only; using the hold-out would leave nothing to test on.",
            "C": "No customer is removed; the point is that nobody announces leaving, and the model must predict that.",
            "D": "A hold-out period does not correct anything; chapter 04 shows the models miss the holiday months in it.",
        },
    ),
    MultipleChoice(
        id="ch00.e3",
        heading="The time window of a 10C indicator",
        stem=(
            "The demo company's dashboard shows a customer retention of 0.637 and 1,723 new customers "
            "(customer acquisition). Which statement about their time windows is right?"
        ),
        options={
            "A": "Retention compares the buyers of 2023 with those of 2024; acquisition counts 2024 alone.",
            "B": "Both count the orders of 2024 alone.",
            "C": "Both use every order from 2022 to 2024.",
            "D": "Both come from the customer survey of March and April 2024.",
        },
        correct="A",
        explanation=(
            "Retention is the share of 2023's buyers who bought again in 2024: two years. Acquisition counts "
            "the customers new in 2024: one year. The chapter's column `window` says so for every indicator."
        ),
        why_not={
            "B": "Retention needs last year's buyers as its base, so it cannot be read from 2024 alone.",
            "C": "Profile, segmentation, development and profitability use 2022-2024; these two do not.",
            "D": "Only customization, satisfaction and knowledge rest on the survey.",
        },
    ),
    MultipleChoice(
        id="ch00.e4",
        heading="The course's working definition of CRM",
        stem=f"Which statement agrees with the course's working definition of {bi('crm')}?",
        options={
            "A": "CRM is first a business strategy that puts the customer at the centre; software supports it.",
            "B": "CRM is a software package that a firm installs to manage its sales team.",
            "C": "CRM means raising the margin of each single sale as far as possible.",
            "D": "CRM concerns only winning new customers, not keeping the ones a firm has.",
        },
        correct="A",
        explanation=(
            "The definition manages customers as lasting relationships, judges them by their value over the "
            "whole relationship, and calls software a support, not CRM itself."
        ),
        why_not={
            "B": "Software supports CRM but does not make it; a shop owner who knows her regulars practises part of CRM without any.",
            "C": "CRM values a customer by the margins of every period the relationship lasts, not by one sale.",
            "D": "The definition names winning, keeping and developing customers.",
        },
    ),
    ShortAnswer(
        id="ch00.e5",
        heading="Growth from keeping or from winning customers",
        stem=(
            "The demo company's orders grow over 2022-2024, with a peak every November and a dip around each "
            "Chinese New Year. Describe how you would find out, with the course's data and tools, whether the "
            "business grows because it keeps customers or because it keeps winning new ones."
        ),
        answer_points=(
            "Split each year's (or month's) buyers and revenue into new and returning customers (first order in that period or before).",
            "Follow cohorts of first purchase over time (a cohort retention table) to see how fast each group decays.",
            "Compare year-on-year retention (the share of last year's buyers who bought again) with the number of new customers.",
            "Compare like with like: the same months of different years, so that Double 11 and Chinese New Year are not read as changes in customers.",
            "Conclude with numbers, e.g. the share of revenue from returning customers, not from the total alone.",
        ),
    ),
    ShortAnswer(
        id="ch00.e6",
        heading="Real data and a synthetic company",
        stem=(
            "The course uses real data (the CDNOW purchase log and two published data sets) and a synthetic demo "
            "company whose generator is documented. Give the advantages and the limits of each for learning CRM analysis."
        ),
        answer_points=(
            "Real data: results can be compared with published analyses (Fader, Hardie and co-authors), and their irregularities (holidays, zero amounts, repeated rows) are real.",
            "Real data: they cover only what was recorded (CDNOW: purchases only; no survey, contacts or costs).",
            "Synthetic data: they hold every table of a customer information base (orders, web sessions, survey, tickets, calls, pipeline) linked by customer id.",
            "Synthetic data: the generator's truth (e.g. who really left, the latent segments) lets a student check whether a method finds it, which a real firm never can.",
            "Synthetic data: results depend on the generator's assumptions, so they teach methods, not facts about real customers.",
        ),
    ),
    ShortAnswer(
        id="ch00.e7",
        heading="The four numbers of a purchase summary",
        stem=(
            f"Define the four numbers that `rfm_summary` gives for each customer: {bi('frequency')}, "
            f"{bi('recency')}, T and {bi('monetary')}. Why does a customer with frequency 0 have recency 0, "
            "and why is that not the same as a customer who has left?"
        ),
        answer_points=(
            "Frequency x: the number of repeat transactions (after the first; same-day purchases count as one).",
            "Recency t_x: the time (in weeks) from the first transaction to the last one.",
            "T: the time from the first transaction to the end of observation; monetary value: the mean value of the repeat transactions (0 without any).",
            "With no repeat transaction the last transaction is the first, so t_x = 0 by definition.",
            "Recency 0 says nothing on its own about leaving: whether the customer is still active depends on T, on how often similar customers buy, and needs a model (chapter 04).",
        ),
    ),
    Computational(
        id="ch00.e8",
        heading="CDNOW buyers in one month",
        stem=(
            "Load the CDNOW sample with `crmlib.load_cdnow()` (one row per purchase). How many different "
            "customers made at least one purchase in {month_name} 1997?"
        ),
        draw=lambda rng: dict(zip(("month", "month_name"), _MONTHS[int(rng.integers(3, 12))], strict=True)),
        solve=lambda month, month_name: _buyers_in_month(month),
        method="Keep the rows dated in {month_name} 1997 and count the distinct `customer_id`s (several purchases of one customer count once).",
        unit="customers",
        decimals=0,
        tolerance=0,
        points=4,
    ),
    Computational(
        id="ch00.e9",
        heading="Demo company orders in one quarter",
        stem=(
            'Load the demo company\'s orders with `crmlib.load_demo("orders")`. How many orders were placed in '
            "quarter {quarter} of {year} (column `order_date`)?"
        ),
        draw=lambda rng: {"year": int(rng.integers(2022, 2025)), "quarter": int(rng.integers(1, 5))},
        solve=lambda year, quarter: _orders_in_quarter(year, quarter),
        method="Count the rows with `order_date.dt.year == {year}` and `order_date.dt.quarter == {quarter}`.",
        unit="orders",
        decimals=0,
        tolerance=0,
        points=4,
    ),
    Computational(
        id="ch00.e10",
        heading="CDNOW customers above a spending threshold",
        stem=(
            "In the CDNOW sample, add up each customer's `amount` over the whole data (January 1997 to June 1998). "
            "What percentage of the 2,357 customers spent more than US${threshold} in total?"
        ),
        draw=lambda rng: {"threshold": int(rng.choice([40, 60, 80, 100, 150, 200, 250, 300]))},
        solve=lambda threshold: _share_spending_over(threshold),
        method="Group by `customer_id`, sum `amount`, and take the share of totals strictly above {threshold}, times 100.",
        unit="%",
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch00.e11",
        heading="Mean frequency with another end of observation",
        stem=(
            "Summarise the CDNOW sample's purchases up to and including {end} with "
            '`crmlib.rfm_summary(..., observation_end="{end}")` (weeks, the default). What is the mean '
            "frequency (repeat transactions per customer) on that day?"
        ),
        draw=lambda rng: {"end": str(rng.choice(["1997-06-30", "1997-08-31", "1997-12-31", "1998-03-31"]))},
        solve=lambda end: _mean_frequency(end),
        method='Keep the purchases with `date <= {end}`, run `rfm_summary` with `observation_end="{end}"` and average the column `frequency`.',
        decimals=3,
        tolerance=0.005,
        points=6,
    ),
]

_MONTHS = [
    (m, name)
    for m, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
]
