"""Exam bank of chapter 00, the course guide (课程导读)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import transactions
from crmlib.datasets import load_cdnow, load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, zh


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
        heading={"en": "What the frequency of an RFM summary counts", "zh": "RFM 汇总中的频次统计的是什么"},
        stem={
            "en": "A customer bought on 3 March, twice on 10 April (two separate orders) and on 2 June. "
            f"What is her {bi('frequency')} x in the summary that `crmlib.rfm_summary` makes?",
            "zh": f"一位客户在3月3日购买一次，4月10日购买两次（两笔独立的订单），6月2日又购买一次。在 `crmlib.rfm_summary` 生成的汇总中，她的{zh('frequency')} x 是多少？",
        },
        options={
            "A": {"en": "4", "zh": "4"},
            "B": {"en": "3", "zh": "3"},
            "C": {"en": "2", "zh": "2"},
            "D": {"en": "1", "zh": "1"},
        },
        correct="C",
        explanation={
            "en": "Frequency counts repeat transactions: the transactions after the first, with purchases on "
            "the same day counted as one. Three transaction days (3 March, 10 April, 2 June) give 2 repeats.",
            "zh": "频次统计的是重复交易：首次交易之后的交易，同一天的购买算作一次。三个交易日（3月3日、4月10日、6月2日）给出 2 次重复交易。",
        },
        why_not={
            "A": {
                "en": "4 counts every order, the first one and both same-day orders included.",
                "zh": "4 把每一笔订单都算了进去，包括首次购买和同一天的两笔订单。",
            },
            "B": {
                "en": "3 counts the transaction days, the first one included; the first purchase is not a repeat.",
                "zh": "3 统计的是交易日数，包括了首个交易日；首次购买不是重复交易。",
            },
            "D": {
                "en": "1 would count only one of the two later days; 10 April and 2 June are both repeat days.",
                "zh": "1 只算了后两个交易日中的一个；4月10日和6月2日都是重复交易日。",
            },
        },
    ),
    MultipleChoice(
        id="ch00.e2",
        heading={"en": "Why keep a hold-out period", "zh": "为什么要留出验证期"},
        stem={
            "en": f"The published CDNOW analyses fit their models on a 39-week {bi('calibration_period')} and keep "
            f"the next 39 weeks as a {bi('holdout_period')}. What is the hold-out period for?",
            "zh": f"已发表的 CDNOW 分析在 39 周的{zh('calibration_period')}上拟合模型，并把随后的 39 周留作{zh('holdout_period')}。验证期有什么用？",
        },
        options={
            "A": {
                "en": "To test the model's predictions on purchases the model never saw.",
                "zh": "用模型从未见过的购买来检验模型的预测。",
            },
            "B": {
                "en": "To estimate the model's parameters with more data.",
                "zh": "用更多的数据估计模型的参数。",
            },
            "C": {
                "en": "To remove the customers who left before the end of the data.",
                "zh": "剔除在数据结束前离开的客户。",
            },
            "D": {
                "en": "To correct for the seasonality of the holiday months.",
                "zh": "校正节假日月份的季节性。",
            },
        },
        correct="A",
        explanation={
            "en": "A model is judged honestly only on data it was not fitted to; the hold-out weeks play that part.",
            "zh": "只有在没有参与拟合的数据上，才能公正地评判一个模型；验证期的这些周正起这个作用。",
        },
        why_not={
            "B": {
                "en": "The parameters are estimated on the calibration period only; using the hold-out would leave nothing to test on.",
                "zh": "参数只在校准期上估计；如果用上验证期，就没有数据可以用来检验了。",
            },
            "C": {
                "en": "No customer is removed; the point is that nobody announces leaving, and the model must predict that.",
                "zh": "没有剔除任何客户；关键在于没有人会宣布自己离开，模型必须预测这一点。",
            },
            "D": {
                "en": "A hold-out period does not correct anything; chapter 04 shows the models miss the holiday months in it.",
                "zh": "验证期不校正任何东西；第04章表明，模型在验证期中没有预测到节假日月份的高峰。",
            },
        },
    ),
    MultipleChoice(
        id="ch00.e3",
        heading={"en": "The time window of a 10C indicator", "zh": "10C 指标的时间窗口"},
        stem={
            "en": "The demo company's dashboard shows a customer retention of 0.637 and 1,723 new customers "
            "(customer acquisition). Which statement about their time windows is right?",
            "zh": "演示公司的仪表板显示客户保留率为 0.637，新客户（客户获取）为 1,723 位。关于这两个指标的时间窗口，哪种说法正确？",
        },
        options={
            "A": {
                "en": "Retention compares the buyers of 2023 with those of 2024; acquisition counts 2024 alone.",
                "zh": "保留率比较 2023 年与 2024 年的购买者；客户获取只统计 2024 年。",
            },
            "B": {"en": "Both count the orders of 2024 alone.", "zh": "两者都只统计 2024 年的订单。"},
            "C": {
                "en": "Both use every order from 2022 to 2024.",
                "zh": "两者都使用 2022—2024 年的全部订单。",
            },
            "D": {
                "en": "Both come from the customer survey of March and April 2024.",
                "zh": "两者都来自 2024 年 3—4 月的客户调查。",
            },
        },
        correct="A",
        explanation={
            "en": "Retention is the share of 2023's buyers who bought again in 2024: two years. Acquisition counts "
            "the customers new in 2024: one year. The chapter's column `window` says so for every indicator.",
            "zh": "保留率是 2023 年的购买者中在 2024 年再次购买的比例，涉及两年；客户获取统计 2024 年的新客户，只涉及一年。本章表格的 `window` 列为每个指标写明了时间窗口。",
        },
        why_not={
            "B": {
                "en": "Retention needs last year's buyers as its base, so it cannot be read from 2024 alone.",
                "zh": "保留率需要以上一年的购买者为基数，因此不能只从 2024 年的数据得出。",
            },
            "C": {
                "en": "Profile, segmentation, development and profitability use 2022-2024; these two do not.",
                "zh": "客户概况、客户细分、客户发展和客户盈利能力使用 2022—2024 年的数据，这两个指标不是。",
            },
            "D": {
                "en": "Only customization, satisfaction and knowledge rest on the survey.",
                "zh": "只有定制化、满意度和客户知识基于调查。",
            },
        },
    ),
    MultipleChoice(
        id="ch00.e4",
        heading={"en": "The course's working definition of CRM", "zh": "本课程对 CRM 的工作定义"},
        stem={
            "en": f"Which statement agrees with the course's working definition of {bi('crm')}?",
            "zh": f"下列哪种说法符合本课程对{zh('crm')}的工作定义？",
        },
        options={
            "A": {
                "en": "CRM is first a business strategy that puts the customer at the centre; software supports it.",
                "zh": "CRM 首先是一种以客户为中心的经营战略，软件为它提供支持。",
            },
            "B": {
                "en": "CRM is a software package that a firm installs to manage its sales team.",
                "zh": "CRM 是企业为管理销售团队而安装的一套软件。",
            },
            "C": {
                "en": "CRM means raising the margin of each single sale as far as possible.",
                "zh": "CRM 就是尽可能提高每一笔交易的毛利。",
            },
            "D": {
                "en": "CRM concerns only winning new customers, not keeping the ones a firm has.",
                "zh": "CRM 只关心赢得新客户，不关心留住已有客户。",
            },
        },
        correct="A",
        explanation={
            "en": "The definition manages customers as lasting relationships, judges them by their value over the "
            "whole relationship, and calls software a support, not CRM itself.",
            "zh": "这个定义把客户当作长期关系来管理，按客户在整个关系期内的价值评判客户，并把软件视为支持手段，而不是 CRM 本身。",
        },
        why_not={
            "B": {
                "en": "Software supports CRM but does not make it; a shop owner who knows her regulars practises part of CRM without any.",
                "zh": "软件支持 CRM，但不等于 CRM；一位熟悉老客户的店主，不用任何软件也在做 CRM 的一部分工作。",
            },
            "C": {
                "en": "CRM values a customer by the margins of every period the relationship lasts, not by one sale.",
                "zh": "CRM 按关系持续的每一期的毛利来评价客户，而不是按一笔交易。",
            },
            "D": {
                "en": "The definition names winning, keeping and developing customers.",
                "zh": "这个定义明确包括赢得、保留和发展客户。",
            },
        },
    ),
    ShortAnswer(
        id="ch00.e5",
        heading={"en": "Growth from keeping or from winning customers", "zh": "增长来自留住客户还是赢得客户"},
        stem={
            "en": "The demo company's orders grow over 2022-2024, with a peak every November and a dip around each "
            "Chinese New Year. Describe how you would find out, with the course's data and tools, whether the "
            "business grows because it keeps customers or because it keeps winning new ones.",
            "zh": "演示公司的订单在 2022—2024 年间不断增长，每年 11 月出现高峰，每个春节前后出现低谷。请说明你会如何用本课程的数据和工具判断：业务增长是因为留住了客户，还是因为不断赢得新客户？",
        },
        answer_points=(
            {
                "en": "Split each year's (or month's) buyers and revenue into new and returning customers (first order in that period or before).",
                "zh": "把每年（或每月）的购买者和收入分为新客户和老客户（首次订单在该期内还是在该期之前）。",
            },
            {
                "en": "Follow cohorts of first purchase over time (a cohort retention table) to see how fast each group decays.",
                "zh": "按首次购买时间追踪各同期群（同期群保留表），观察每个群体流失得有多快。",
            },
            {
                "en": "Compare year-on-year retention (the share of last year's buyers who bought again) with the number of new customers.",
                "zh": "把逐年保留率（上一年购买者中再次购买的比例）与新客户数量相比较。",
            },
            {
                "en": "Compare like with like: the same months of different years, so that Double 11 and Chinese New Year are not read as changes in customers.",
                "zh": "同口径比较：比较不同年份的相同月份，以免把双十一和春节的影响误读为客户的变化。",
            },
            {
                "en": "Conclude with numbers, e.g. the share of revenue from returning customers, not from the total alone.",
                "zh": "用数字得出结论，例如来自老客户的收入占比，而不能只看总量。",
            },
        ),
    ),
    ShortAnswer(
        id="ch00.e6",
        heading={"en": "Real data and a synthetic company", "zh": "真实数据与模拟公司"},
        stem={
            "en": "The course uses real data (the CDNOW purchase log and two published data sets) and a synthetic demo "
            "company whose generator is documented. Give the advantages and the limits of each for learning CRM analysis.",
            "zh": "本课程既使用真实数据（CDNOW 购买记录和两个已发表的数据集），也使用一家生成方法有文档说明的模拟演示公司。请分别说明两者在学习 CRM 分析时的优点和局限。",
        },
        answer_points=(
            {
                "en": "Real data: results can be compared with published analyses (Fader, Hardie and co-authors), and their irregularities (holidays, zero amounts, repeated rows) are real.",
                "zh": "真实数据：结果可以与已发表的分析（Fader、Hardie 及其合作者）相比较，数据中的不规则之处（节假日、零金额、重复行）也是真实的。",
            },
            {
                "en": "Real data: they cover only what was recorded (CDNOW: purchases only; no survey, contacts or costs).",
                "zh": "真实数据：只包含当时记录下来的内容（CDNOW 只有购买记录，没有调查、接触记录或成本）。",
            },
            {
                "en": "Synthetic data: they hold every table of a customer information base (orders, web sessions, survey, tickets, calls, pipeline) linked by customer id.",
                "zh": "模拟数据：包含客户信息库的所有表（订单、网站访问、调查、服务工单、通话、销售漏斗），并通过客户编号相互关联。",
            },
            {
                "en": "Synthetic data: the generator's truth (e.g. who really left, the latent segments) lets a student check whether a method finds it, which a real firm never can.",
                "zh": "模拟数据：生成器的“真相”（例如谁真正离开了、隐含客户群是什么）让学生可以检验一种方法能否找到它，而真实企业永远做不到这一点。",
            },
            {
                "en": "Synthetic data: results depend on the generator's assumptions, so they teach methods, not facts about real customers.",
                "zh": "模拟数据：结果取决于生成器的假设，因此它教的是方法，而不是关于真实客户的事实。",
            },
        ),
    ),
    ShortAnswer(
        id="ch00.e7",
        heading={"en": "The four numbers of a purchase summary", "zh": "购买汇总的四个数"},
        stem={
            "en": f"Define the four numbers that `rfm_summary` gives for each customer: {bi('frequency')}, "
            f"{bi('recency')}, T and {bi('monetary')}. Why does a customer with frequency 0 have recency 0, "
            "and why is that not the same as a customer who has left?",
            "zh": f"请定义 `rfm_summary` 为每位客户给出的四个数：{zh('frequency')}、{zh('recency')}、T 和{zh('monetary')}。为什么频次为 0 的客户最近购买时间也为 0？为什么这与一位已经离开的客户不是一回事？",
        },
        answer_points=(
            {
                "en": "Frequency x: the number of repeat transactions (after the first; same-day purchases count as one).",
                "zh": "频次 x：重复交易的次数（首次交易之后的交易；同一天的购买算作一次）。",
            },
            {
                "en": "Recency t_x: the time (in weeks) from the first transaction to the last one.",
                "zh": "最近购买时间 t_x：从首次交易到最后一次交易的时间（以周计）。",
            },
            {
                "en": "T: the time from the first transaction to the end of observation; monetary value: the mean value of the repeat transactions (0 without any).",
                "zh": "T：从首次交易到观察期结束的时间；消费金额：重复交易的平均金额（没有重复交易时为 0）。",
            },
            {
                "en": "With no repeat transaction the last transaction is the first, so t_x = 0 by definition.",
                "zh": "没有重复交易时，最后一次交易就是首次交易，因此按定义 t_x = 0。",
            },
            {
                "en": "Recency 0 says nothing on its own about leaving: whether the customer is still active depends on T, on how often similar customers buy, and needs a model (chapter 04).",
                "zh": "最近购买时间为 0 本身并不说明客户已经离开：客户是否仍然活跃取决于 T 以及相似客户的购买频率，需要用模型判断（第04章）。",
            },
        ),
    ),
    Computational(
        id="ch00.e8",
        heading={"en": "CDNOW buyers in one month", "zh": "CDNOW 某个月的购买者"},
        stem={
            "en": "Load the CDNOW sample with `crmlib.load_cdnow()` (one row per purchase). How many different "
            "customers made at least one purchase in {month_name} 1997?",
            "zh": "用 `crmlib.load_cdnow()` 载入 CDNOW 样本（每行一次购买）。1997年{month_name}有多少位不同的客户至少购买过一次？",
        },
        draw=lambda rng: dict(zip(("month", "month_name"), _MONTHS[int(rng.integers(3, 12))], strict=True)),
        solve=lambda month, month_name: _buyers_in_month(month),
        method={
            "en": "Keep the rows dated in {month_name} 1997 and count the distinct `customer_id`s (several purchases of one customer count once).",
            "zh": "保留日期在1997年{month_name}的行，统计不同 `customer_id` 的个数（同一客户的多次购买只算一次）。",
        },
        unit={"en": "customers", "zh": "位客户"},
        decimals=0,
        tolerance=0,
        points=4,
    ),
    Computational(
        id="ch00.e9",
        heading={"en": "Demo company orders in one quarter", "zh": "演示公司某个季度的订单"},
        stem={
            "en": 'Load the demo company\'s orders with `crmlib.load_demo("orders")`. How many orders were placed in '
            "quarter {quarter} of {year} (column `order_date`)?",
            "zh": '用 `crmlib.load_demo("orders")` 载入演示公司的订单。{year} 年第 {quarter} 季度（按 `order_date` 列）共有多少笔订单？',
        },
        draw=lambda rng: {"year": int(rng.integers(2022, 2025)), "quarter": int(rng.integers(1, 5))},
        solve=lambda year, quarter: _orders_in_quarter(year, quarter),
        method={
            "en": "Count the rows with `order_date.dt.year == {year}` and `order_date.dt.quarter == {quarter}`.",
            "zh": "统计满足 `order_date.dt.year == {year}` 且 `order_date.dt.quarter == {quarter}` 的行数。",
        },
        unit={"en": "orders", "zh": "笔订单"},
        decimals=0,
        tolerance=0,
        points=4,
    ),
    Computational(
        id="ch00.e10",
        heading={"en": "CDNOW customers above a spending threshold", "zh": "CDNOW 中消费超过某一金额的客户"},
        stem={
            "en": "In the CDNOW sample, add up each customer's `amount` over the whole data (January 1997 to June 1998). "
            "What percentage of the 2,357 customers spent more than US${threshold} in total?",
            "zh": "在 CDNOW 样本中，把每位客户在整个数据期间（1997年1月至1998年6月）的 `amount` 加总。在 2,357 位客户中，总消费超过 {threshold} 美元的客户占百分之几？",
        },
        draw=lambda rng: {"threshold": int(rng.choice([40, 60, 80, 100, 150, 200, 250, 300]))},
        solve=lambda threshold: _share_spending_over(threshold),
        method={
            "en": "Group by `customer_id`, sum `amount`, and take the share of totals strictly above {threshold}, times 100.",
            "zh": "按 `customer_id` 分组，对 `amount` 求和，计算总额严格大于 {threshold} 的客户所占比例，再乘以 100。",
        },
        unit={"en": "%", "zh": "{}%"},
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch00.e11",
        heading={"en": "Mean frequency with another end of observation", "zh": "换一个观察截止日的平均频次"},
        stem={
            "en": "Summarise the CDNOW sample's purchases up to and including {end} with "
            '`crmlib.rfm_summary(..., observation_end="{end}")` (weeks, the default). What is the mean '
            "frequency (repeat transactions per customer) on that day?",
            "zh": '用 `crmlib.rfm_summary(..., observation_end="{end}")`（默认以周计）汇总 CDNOW 样本截至 {end}（含当天）的购买。在这一天，平均频次（每位客户的重复交易次数）是多少？',
        },
        draw=lambda rng: {"end": str(rng.choice(["1997-06-30", "1997-08-31", "1997-12-31", "1998-03-31"]))},
        solve=lambda end: _mean_frequency(end),
        method={
            "en": 'Keep the purchases with `date <= {end}`, run `rfm_summary` with `observation_end="{end}"` and average the column `frequency`.',
            "zh": '保留 `date <= {end}` 的购买，以 `observation_end="{end}"` 运行 `rfm_summary`，再求 `frequency` 列的平均值。',
        },
        decimals=3,
        tolerance=0.005,
        points=6,
    ),
]

#: (month number, the month's name in both languages), for the stems of e8.
_MONTHS = [
    (m, {"en": name, "zh": f"{m}月"})
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
