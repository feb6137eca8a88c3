"""Chapter 01, evolution of marketing concepts (营销观念的演进): the questions of
``exercises/solutions/01_marketing_concepts.ipynb``.

The strategies are those of the chapter: the retention rates are the shares of the
two cohorts of Fader & Hardie (2007) still there after one year, read from the
shipped data; every expected answer is computed with crmlib the first time a
student checks it. The computational questions apply the chapter's method to
what the chapter does not print: another retention rate (q1), the other
strategy's cohort (q2), another margin (q3, q4, q10). Questions 1, 2 and 10 have per-student
variants (the yearly intake, the year counted, the relationship strategy's intake).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib.customer_base import (
    Strategy,
    breakeven_retention,
    compare,
    crossover_period,
    simulate_base,
    steady_state_base,
    steady_state_profit,
)
from crmlib.datasets import load_sbg_retention
from crmlib.exercises.engine import choice, discussion, frame, identifier, mistake, numeric


@cache
def _kept() -> dict[str, float]:
    sbg = load_sbg_retention().set_index("year")
    return {segment: float(sbg.loc[1, segment] / sbg.loc[0, segment]) for segment in ("regular", "high_end")}


def transaction() -> Strategy:
    """The chapter's transaction strategy."""
    return Strategy(
        "transaction_strategy",
        acquired=1000,
        retention=_kept()["regular"],
        margin=100,
        acquisition_cost=150,
        retention_cost=0,
    )


def relationship() -> Strategy:
    """The chapter's relationship strategy."""
    return Strategy(
        "relationship_strategy",
        acquired=400,
        retention=_kept()["high_end"],
        margin=100,
        acquisition_cost=150,
        retention_cost=15,
    )


#: The yearly intake of question 1, one per variant, the default first (the chapter's transaction
#: strategy wins 1,000 customers a year).
Q1_ACQUIRED = [1000, 800, 1200, 1500, 600, 900]
#: The year of question 2 in which the first cohort is counted (the default first; not 4, where
#: the off-by-one slip would give the default's answer).
Q2_YEAR = [5, 3, 6, 7, 8]
#: The yearly intake of the relationship strategy in question 10 (the chapter's is 400).
Q10_ACQUIRED = [400, 300, 350, 450, 500, 600]

#: The margin of questions 3, 4 and 10: a dearer product earns ¥120 per customer and year in both strategies.
RICHER_MARGIN = 120


def _richer(strategy: Strategy) -> Strategy:
    return strategy.with_(margin=RICHER_MARGIN)


def _steady_loyal_transaction(acquired: int) -> float:
    # the transaction strategy's intake (1,000 a year by default), kept as the high-end segment keeps its customers
    return steady_state_base(transaction().with_(retention=_kept()["high_end"], acquired=acquired))


def _relationship_cohort_left(year: int) -> float:
    return relationship().acquired * _kept()["high_end"] ** (year - 1)


def _breakeven(margin: float = RICHER_MARGIN) -> float:
    return breakeven_retention(transaction().with_(margin=margin), relationship().with_(margin=margin))


def _crossover(margin: float = RICHER_MARGIN, periods: int = 30) -> int:
    strategies = [transaction().with_(margin=margin), relationship().with_(margin=margin)]
    return crossover_period(compare(strategies, periods), "transaction_strategy", "relationship_strategy")


def _max_retention_cost() -> float:
    # steady-state profit is linear in c_r: (m - c_r r) N* - c_a A = P_T
    s, target = relationship(), steady_state_profit(transaction())
    n = steady_state_base(s)
    return (s.margin * n - s.acquisition_cost * s.acquired - target) / (s.retention * n)


def _breakeven_doubled_cost() -> float:
    return breakeven_retention(
        transaction().with_(acquisition_cost=300), relationship().with_(acquisition_cost=300)
    )


def _doubled_cost_direction() -> str:
    """A: the break-even retention rate falls; B: it rises; C: it does not change."""
    before, after = _breakeven(100), _breakeven_doubled_cost()
    return "A" if after < before - 1e-9 else "B" if after > before + 1e-9 else "C"


def _profit_account(acquired: int, margin: float = RICHER_MARGIN, slip: str | None = None) -> pd.DataFrame:
    """Years 1-5 of the relationship strategy winning ``acquired`` customers a year: ``year``, ``base``,
    ``profit``; ``slip`` builds a typical wrong table (retention cost on the whole base, or none)."""
    s = relationship().with_(margin=margin, acquired=acquired)
    path = simulate_base(s, 5)
    if slip == "whole_base":
        path["profit"] = (
            s.margin * path["base"] - s.acquisition_cost * path["acquired"] - s.retention_cost * path["base"]
        )
    elif slip == "no_retention_cost":
        path["profit"] = path["revenue"] - path["acquisition_spend"]
    table = path.loc[path["period"] >= 1, ["period", "base", "profit"]].rename(columns={"period": "year"})
    return table.reset_index(drop=True)


QUESTIONS = [
    numeric(
        "ch01.q1",
        _steady_loyal_transaction,
        abs=0.5,  # a number of customers: rounded to a whole customer or not at all
        variants={"acquired": Q1_ACQUIRED},
        hint=[
            {
                "en": "the base stops growing when the customers lost in a year, the churn rate times the "
                "base, equal the customers won in a year",
                "zh": "当一年中流失的客户数（客户流失率乘以客户群规模）等于一年中新获取的客户数时，客户群就不再增长",
            },
            {
                "en": "solve (1 - r) N = A for N, with A = {acquired:,} new customers a year and r the high-end "
                "segment's retention rate",
                "zh": "由 `(1 - r) N = A` 解出 `N`，其中 `A` 为每年新获取的 {acquired:,} 位客户，`r` 为高端客户群的保留率",
            },
        ],
        wrong=[
            mistake(
                lambda acquired: acquired / _kept()["high_end"],
                because={
                    "en": "dividing by the retention rate: the leak is the churn rate 1 - r",
                    "zh": "这里除以了保留率；漏桶的“漏损”由客户流失率 `1 - r` 决定",
                },
            ),
            mistake(
                lambda acquired: acquired * _kept()["high_end"] / (1 - _kept()["high_end"]),
                because={
                    "en": "this counts only the customers kept from last year, not this year's intake",
                    "zh": "这只算了从上一年保留下来的客户，没有算上今年新获取的客户",
                },
            ),
            mistake(
                lambda acquired: acquired * (1 - _kept()["high_end"]),
                because={
                    "en": "this is the number of customers lost from a base of {acquired:,}",
                    "zh": "这是 {acquired:,} 人的客户群中流失的客户数",
                },
            ),
            mistake(
                lambda acquired: steady_state_base(transaction().with_(acquired=acquired)),
                because={
                    "en": "this is the base at the regular segment's retention rate, the chapter's own "
                    "transaction strategy; the question keeps customers as the high-end segment does",
                    "zh": "这是按普通客户群保留率计算的客户群规模，即本章原来的交易型策略；题目要求按高端客户群的保留率计算",
                },
            ),
        ],
    ),
    numeric(
        "ch01.q2",
        _relationship_cohort_left,
        abs=0.5,  # a number of customers: rounded to a whole customer or not at all
        variants={"year": Q2_YEAR},
        hint=[
            {
                "en": "a cohort keeps the same share r of its customers every year; count how many times it "
                "ages between year 1 and year {year}",
                "zh": "同期群每年保留同样比例 `r` 的客户；数一数从第 1 年到第 {year} 年它经过了几次“变老”",
            },
            {
                "en": "start from the 400 customers won in year 1 and multiply by the high-end retention rate "
                "once for each year they age: {year} - 1 times",
                "zh": "从第 1 年获取的 400 位客户出发，每经过一年乘一次高端客户群的保留率：共乘 {year} - 1 次",
            },
        ],
        wrong=[
            mistake(
                lambda year: relationship().acquired * _kept()["high_end"] ** year,
                because={
                    "en": "off by one year: from year 1 to year {year} the cohort ages {year} - 1 times",
                    "zh": "差了一年：从第 1 年到第 {year} 年，同期群只经过了 {year} - 1 年",
                },
            ),
            mistake(
                lambda year: relationship().acquired * (1 - _kept()["high_end"]) ** (year - 1),
                because={
                    "en": "this multiplies by the churn rate; the survivors are the share kept",
                    "zh": "这里乘的是客户流失率，而留下来的是被保留的那部分客户",
                },
            ),
            mistake(
                lambda year: 1000 * _kept()["high_end"] ** (year - 1),
                because={
                    "en": "this follows a cohort of 1,000 customers; the relationship strategy wins 400 a year",
                    "zh": "这里跟踪的是 1,000 位客户的同期群；关系型策略每年只获取 400 位客户",
                },
            ),
            mistake(
                lambda year: 1000 * _kept()["regular"] ** (year - 1),
                because={
                    "en": "this is the transaction strategy's first cohort, the one in the chapter's table",
                    "zh": "这是交易型策略的第一个同期群，即本章表格中的那个",
                },
            ),
        ],
    ),
    numeric(
        "ch01.q3",
        _breakeven,
        rel=1e-3,
        hint=[
            {
                "en": "the break-even retention rate is the r at which the relationship strategy's long-run "
                "profit per year equals the transaction strategy's, both now earning ¥120 per customer",
                "zh": "盈亏平衡保留率是使关系型策略的长期年利润恰好等于交易型策略的保留率 `r`；现在两种策略每位客户每年都赚 ¥120",
            },
            {
                "en": "first the transaction strategy's steady-state profit P_T at the new margin; then solve "
                "(m - c_r r) A / (1 - r) - c_a A = P_T for r with the relationship strategy's A, c_a and c_r",
                "zh": "先算出边际收益为 ¥120 时交易型策略的稳态利润 `P_T`，再用关系型策略的 `A`、`c_a`、`c_r` 由 "
                "`(m - c_r r) A / (1 - r) - c_a A = P_T` 解出 `r`",
            },
            {
                "en": "in code: change the margin of both strategies with .with_(margin=120) and pass them to "
                "customer_base.breakeven_retention",
                "zh": "用代码：以 `.with_(margin=120)` 修改两种策略的边际收益，再交给 `customer_base.breakeven_retention`",
            },
        ],
        wrong=[
            mistake(lambda: 100 * _breakeven()),
            mistake(
                lambda: _breakeven(100),
                because={
                    "en": "this is the break-even rate at the chapter's margin of ¥100; the question raises it "
                    "to ¥120 in both strategies",
                    "zh": "这是本章 ¥100 边际收益下的盈亏平衡保留率；题目把两种策略的边际收益都提高到了 ¥120",
                },
            ),
            mistake(
                lambda: breakeven_retention(transaction(), _richer(relationship())),
                because={
                    "en": "the margin rises for both strategies, not only the relationship strategy",
                    "zh": "边际收益对两种策略都提高了，而不只是关系型策略",
                },
            ),
            mistake(
                lambda: _kept()["high_end"],
                because={
                    "en": "this is the retention rate the relationship strategy has, not the one "
                    "at which it just breaks even",
                    "zh": "这是关系型策略现有的保留率，而不是它恰好达到盈亏平衡时的保留率",
                },
            ),
        ],
    ),
    identifier(
        "ch01.q4",
        _crossover,
        hint=[
            {
                "en": "follow the cumulative profit of both strategies year by year: the answer is the first "
                "year after which the relationship strategy is never behind again",
                "zh": "逐年比较两种策略的累计利润：答案是关系型策略从此不再落后的第一年",
            },
            {
                "en": "a relationship strategy can lead early, while the transaction strategy pays for 1,000 "
                "new customers, and fall behind again: look for the last year it is behind",
                "zh": "关系型策略可能在早期领先（交易型策略正在为 1,000 位新客户付费），之后又落后：找出它最后一次落后的年份",
            },
            {
                "en": "in code: customer_base.compare over 30 years with margin=120 in both strategies, then "
                "customer_base.crossover_period",
                "zh": "用代码：两种策略都设 `margin=120`，用 `customer_base.compare` 模拟 30 年，再用 `customer_base.crossover_period`",
            },
        ],
        wrong=[
            mistake(
                lambda: _crossover() - 1,
                because={
                    "en": "in that year the relationship strategy is not yet ahead",
                    "zh": "在那一年，关系型策略还没有领先",
                },
            ),
            mistake(
                lambda: 1,
                because={
                    "en": "the relationship strategy is ahead in year 1 but falls behind "
                    "again; the question asks from when it stays ahead",
                    "zh": "关系型策略在第 1 年领先，但之后又落后了；题目问的是从哪一年起它一直保持领先",
                },
            ),
            mistake(
                lambda: _crossover(100),
                because={
                    "en": "this is the year at the chapter's margin of ¥100; the question raises it to ¥120",
                    "zh": "这是本章 ¥100 边际收益下的年份；题目把边际收益提高到了 ¥120",
                },
            ),
        ],
    ),
    numeric(
        "ch01.q5",
        _max_retention_cost,
        rel=2e-3,
        hint=[
            {
                "en": "the dearer it is to keep a customer, the lower the relationship strategy's long-run "
                "profit: find the retention cost at which it has fallen to the transaction strategy's",
                "zh": "保留一位客户越贵，关系型策略的长期利润就越低：找出它正好降到交易型策略长期利润时的保留成本",
            },
            {
                "en": "steady-state profit (m - c_r r) N* - c_a A is a straight line in c_r, with N* = A / (1 - r) "
                "of the relationship strategy: set it equal to the transaction strategy's steady-state "
                "profit and solve for c_r",
                "zh": "稳态利润 `(m - c_r r) N* - c_a A` 是 `c_r` 的线性函数，其中关系型策略的 `N* = A / (1 - r)`："
                "令它等于交易型策略的稳态利润，解出 `c_r`",
            },
        ],
        wrong=[
            mistake(
                lambda: _max_retention_cost() * relationship().retention,
                because={
                    "en": "the retention cost is paid on the customers kept, r N*, not on the whole base",
                    "zh": "保留成本只按留存下来的客户 `r N*` 支付，而不是按整个客户群支付",
                },
            ),
            mistake(
                lambda: 15.0,
                because={
                    "en": "this is the retention cost the strategy pays now, not the most it could pay",
                    "zh": "这是该策略目前支付的保留成本，而不是它最多能承受的保留成本",
                },
            ),
        ],
    ),
    choice(
        "ch01.q6",
        _doubled_cost_direction,
        options={
            "A": ("it falls", "falls", "下降", "降低"),
            "B": ("it rises", "rises", "上升", "提高"),
            "C": ("it does not change", "does not change", "no change", "不变"),
        },
        hint=[
            {
                "en": "which strategy buys more new customers each year, and so pays more when each one "
                "costs twice as much?",
                "zh": "哪种策略每年获取的新客户更多，因而在每位新客户的价格翻倍时多付得更多？",
            },
            {
                "en": "re-run the break-even calculation with acquisition_cost=300 in both strategies and "
                "compare it with the rate at ¥150",
                "zh": "在两种策略中都设 `acquisition_cost=300`，重新计算盈亏平衡保留率，并与 ¥150 时的结果比较",
            },
        ],
        wrong=["B", "C"],
    ),
    choice(
        "ch01.q7",
        "D",
        options={
            "A": ("the production concept", "production concept", "生产观念"),
            "B": ("the product concept", "product concept", "产品观念"),
            "C": ("the selling concept", "selling concept", "推销观念"),
            "D": ("the marketing concept", "marketing concept", "营销观念"),
            "E": ("the societal marketing concept", "societal marketing concept", "社会营销观念"),
        },
        hint=[
            {
                "en": "which concept starts from the target market's needs rather than from the factory or "
                "the product?",
                "zh": "哪一种观念从目标市场的需要出发，而不是从工厂或产品出发？",
            },
            {
                "en": "in the chapter's table of the five concepts, read the column of the value each puts "
                "first: look for the first row that names customer value",
                "zh": "在本章五种观念的表格中，看每种观念首先关注的价值那一列：找出第一个写着客户价值的行",
            },
        ],
        wrong=[
            mistake(
                "C",
                because={
                    "en": "this concept still starts from the product in stock and pushes it",
                    "zh": "这种观念仍从库存的产品出发，设法把它推销出去",
                },
            ),
            mistake(
                "E",
                because={
                    "en": "this concept adds society's long-run welfare; the question asks for the first one "
                    "that put customer value first",
                    "zh": "这种观念在此基础上增加了社会的长远福利；题目问的是最早把客户价值放在首位的那一种",
                },
            ),
            mistake(
                "A",
                because={
                    "en": "this concept starts from the factory: produce more at lower cost",
                    "zh": "这种观念从工厂出发：以更低的成本生产更多",
                },
            ),
        ],
    ),
    discussion(
        "ch01.q8",
        checklist=[
            {
                "en": "transaction marketing treats the single order as the unit and lost customers as "
                "replaceable by new ones",
                "zh": "交易营销以单笔订单为单位，把流失的客户视为可以由新客户替补",
            },
            {
                "en": "the leaky bucket: with high churn the base stalls at acquisition ÷ churn however "
                "much is spent on acquisition",
                "zh": "漏桶：流失率高时，无论投入多少获客费用，客户群都停留在“获客数÷流失率”",
            },
            {
                "en": "keeping a customer is usually cheaper than winning a new one, and kept customers "
                "buy more over time",
                "zh": "保留老客户通常比赢得新客户便宜，老客户随时间购买更多",
            },
            {
                "en": "a condition: retention must clear a break-even rate that rises with the cost of "
                "retention",
                "zh": "前提：保留率必须超过随保留成本上升的盈亏平衡保留率",
            },
            {"en": "an example from an industry you know", "zh": "举一个你熟悉的行业的例子"},
        ],
        min_words=60,
        min_chars=120,
        wrong=["Keep customers.", "关系营销更好。"],
    ),
    discussion(
        "ch01.q9",
        checklist=[
            {
                "en": "the value focus moves from the firm's value (production, product, selling) to "
                "customer value (marketing) to social value (societal marketing)",
                "zh": "价值焦点从厂商价值（生产、产品、推销观念）转向客户价值（营销观念），再到社会公众价值（社会营销观念）",
            },
            {
                "en": "CRM needs the customer, not the product, as the starting point",
                "zh": "CRM 以客户而不是产品为出发点",
            },
            {
                "en": "CRM was named only in 1999: it needed the idea (relationship marketing) and the "
                "technology (databases, call centres, the internet) together",
                "zh": "CRM 直到 1999 年才被提出：它需要理念（关系营销）与技术（数据库、呼叫中心、互联网）同时具备",
            },
            {
                "en": "a firm today that still acts on an older concept, and what it misses",
                "zh": "举一个今天仍按旧观念经营的企业，并说明它错失了什么",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Marketing changed.", "营销观念变了。"],
    ),
    frame(
        "ch01.q10",
        _profit_account,
        columns=["year", "base", "profit"],
        key="year",
        abs=0.5,  # whole customers and whole yuan, rounded or not
        variants={"acquired": Q10_ACQUIRED},
        hint=[
            {
                "en": "each year the base is the customers kept from last year plus the {acquired} new ones; the "
                "profit is the margin on the whole base less what winning the new customers and keeping "
                "the old ones cost",
                "zh": "每年的客户群等于上一年保留下来的客户加上 {acquired} 位新客户；利润等于整个客户群的边际收益，减去获取新客户和保留老客户的花费",
            },
            {
                "en": "start from an empty base, N_0 = 0; then N_t = r N_{t-1} + A and "
                "profit_t = m N_t - c_a A - c_r r N_{t-1}, with m = 120, A = {acquired}, c_a = 150, c_r = 15",
                "zh": "从空的客户群 `N_0 = 0` 出发；然后 `N_t = r N_{t-1} + A`，"
                "`profit_t = m N_t - c_a A - c_r r N_{t-1}`，其中 `m = 120`、`A = {acquired}`、`c_a = 150`、`c_r = 15`",
            },
            {
                "en": "the retention cost is paid only on the r N_{t-1} customers kept from last year, not on "
                "this year's new customers; a loop over the years 1 to 5 that appends one row a year is enough",
                "zh": "保留成本只按上一年保留下来的 `r N_{t-1}` 位客户支付，不按今年的新客户支付；用一个从第 1 年到第 5 年的循环、每年添加一行即可",
            },
        ],
        wrong=[
            mistake(
                lambda acquired: _profit_account(acquired, slip="whole_base"),
                because={
                    "en": "the retention cost is charged on the whole base; it is paid only on the customers "
                    "kept from last year",
                    "zh": "这里按整个客户群收取了保留成本；它只按从上一年保留下来的客户支付",
                },
            ),
            mistake(
                lambda acquired: _profit_account(acquired, slip="no_retention_cost"),
                because={
                    "en": "the profit leaves out the retention cost of ¥15 per customer kept",
                    "zh": "利润中漏掉了每位留存客户 ¥15 的保留成本",
                },
            ),
            mistake(
                lambda acquired: _profit_account(acquired, margin=100),
                because={
                    "en": "this is the account at the chapter's margin of ¥100; the question asks for ¥120",
                    "zh": "这是本章 ¥100 边际收益下的账目；题目要求按 ¥120 计算",
                },
            ),
        ],
    ),
]
