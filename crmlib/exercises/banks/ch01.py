"""Chapter 01, evolution of marketing concepts (营销观念的演进): the questions of
``exercises/solutions/01_marketing_concepts.ipynb``.

The strategies are those of the chapter: the retention rates are the shares of the
two cohorts of Fader & Hardie (2007) still there after one year, read from the
shipped data; every expected answer is computed with crmlib the first time a
student checks it.
"""

from __future__ import annotations

from functools import cache

from crmlib.customer_base import (
    Strategy,
    breakeven_retention,
    compare,
    crossover_period,
    steady_state_base,
    steady_state_profit,
)
from crmlib.datasets import load_sbg_retention
from crmlib.exercises.engine import choice, discussion, identifier, mistake, numeric


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


def _steady_transaction() -> float:
    return steady_state_base(transaction())


def _breakeven() -> float:
    return breakeven_retention(transaction(), relationship())


def _crossover(strategies=None, periods: int = 30) -> int:
    return crossover_period(
        compare(strategies or [transaction(), relationship()], periods),
        "transaction_strategy",
        "relationship_strategy",
    )


def _max_retention_cost() -> float:
    # steady-state profit is linear in c_r: (m - c_r r) N* - c_a A = P_T
    s, target = relationship(), steady_state_profit(transaction())
    n = steady_state_base(s)
    return (s.margin * n - s.acquisition_cost * s.acquired - target) / (s.retention * n)


def _first_cohort_left() -> float:
    return 1000 * _kept()["regular"] ** 4


def _breakeven_doubled_cost() -> float:
    return breakeven_retention(
        transaction().with_(acquisition_cost=300), relationship().with_(acquisition_cost=300)
    )


def _doubled_cost_direction() -> str:
    """A: the break-even retention rate falls; B: it rises; C: it does not change."""
    before, after = _breakeven(), _breakeven_doubled_cost()
    return "A" if after < before - 1e-9 else "B" if after > before + 1e-9 else "C"


QUESTIONS = [
    numeric(
        "ch01.q1",
        _steady_transaction,
        rel=2e-3,
        hint={
            "en": "the base stops growing when the customers lost, (1 - r) N, equal the customers won, A",
            "zh": "当每年流失的客户数 `(1 - r) N` 等于新获取的客户数 `A` 时，客户群就不再增长",
        },
        wrong=[
            mistake(
                lambda: 1000 / _kept()["regular"],
                because={
                    "en": "dividing by the retention rate: the leak is the churn rate 1 - r",
                    "zh": "这里除以了保留率；漏桶的“漏损”由顾客流失率 `1 - r` 决定",
                },
            ),
            mistake(
                lambda: 1000 * _kept()["regular"] / (1 - _kept()["regular"]),
                because={
                    "en": "this counts only the customers kept from last year, not this year's intake",
                    "zh": "这只算了从上一年保留下来的客户，没有算上今年新获取的客户",
                },
            ),
            mistake(
                lambda: 1000 * (1 - _kept()["regular"]),
                because={
                    "en": "this is the number of customers lost from a base of 1,000",
                    "zh": "这是 1,000 人的客户群中流失的客户数",
                },
            ),
        ],
    ),
    numeric(
        "ch01.q2",
        _first_cohort_left,
        abs=0.5,  # a number of customers: the chapter's table shows it rounded to a whole customer
        hint={
            "en": "a cohort keeps the share r each year; count the years from year 1 to year 5",
            "zh": "同期群每年保留比例为 `r` 的客户；数一数从第 1 年到第 5 年经过了几年",
        },
        wrong=[
            mistake(
                lambda: 1000 * _kept()["regular"] ** 5,
                because={
                    "en": "off by one year: from year 1 to year 5 the cohort ages four times",
                    "zh": "差了一年：从第 1 年到第 5 年，同期群只经过了四年",
                },
            ),
            mistake(
                lambda: 1000 * (1 - _kept()["regular"]) ** 4,
                because={
                    "en": "this multiplies by the churn rate; the survivors are the share kept",
                    "zh": "这里乘的是顾客流失率，而留下来的是被保留的那部分客户",
                },
            ),
        ],
    ),
    numeric(
        "ch01.q3",
        _breakeven,
        rel=1e-3,
        hint={
            "en": "customer_base.breakeven_retention(transaction, relationship), or solve "
            "(m - c_r r) A / (1 - r) - c_a A = P_T for r",
            "zh": "使用 `customer_base.breakeven_retention(transaction, relationship)`，"
            "或由 `(m - c_r r) A / (1 - r) - c_a A = P_T` 解出 `r`",
        },
        wrong=[
            mistake(lambda: 100 * _breakeven()),
            mistake(
                lambda: _kept()["high_end"],
                because={
                    "en": "this is the retention rate the relationship strategy has, not the one "
                    "at which it just breaks even",
                    "zh": "这是关系型策略现有的保留率，而不是它恰好达到盈亏平衡时的保留率",
                },
            ),
            mistake(
                lambda: _kept()["regular"],
                because={
                    "en": "this is the transaction strategy's retention rate",
                    "zh": "这是交易型策略的保留率",
                },
            ),
        ],
    ),
    identifier(
        "ch01.q4",
        _crossover,
        hint={
            "en": "follow the cumulative profit of both strategies year by year: the answer is the first year "
            "after which the relationship strategy is never behind again (customer_base.compare over 30 years, "
            "then customer_base.crossover_period)",
            "zh": "逐年比较两种策略的累计利润：答案是关系型策略从此不再落后的第一年"
            "（先用 `customer_base.compare` 模拟 30 年，再用 `customer_base.crossover_period`）",
        },
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
        ],
    ),
    numeric(
        "ch01.q5",
        _max_retention_cost,
        rel=2e-3,
        hint={
            "en": "steady-state profit (m - c_r r) N* - c_a A is a straight line in c_r: set it equal "
            "to the transaction strategy's steady-state profit",
            "zh": "稳态利润 `(m - c_r r) N* - c_a A` 是 `c_r` 的线性函数：令它等于交易型策略的稳态利润",
        },
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
        hint={
            "en": "re-run the break-even calculation with acquisition_cost=300 in both strategies; "
            "which strategy buys more customers at that price?",
            "zh": "在两种策略中都设 `acquisition_cost=300`，重新计算盈亏平衡保留率；"
            "按这个价格，哪种策略要花钱获取更多的客户？",
        },
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
        hint={
            "en": "which concept starts from the target market's needs and puts customer value first?",
            "zh": "哪一种观念从目标市场的需要出发，把顾客价值放在首位？",
        },
        wrong=["C", "E", "A"],
    ),
    discussion(
        "ch01.q8",
        checklist=[
            {
                "en": "transaction marketing treats the single order as the unit and lost customers as "
                "replaceable by new ones",
                "zh": "交易营销以单笔订单为单位，把流失的顾客视为可以由新顾客替补",
            },
            {
                "en": "the leaky bucket: with high churn the base stalls at acquisition ÷ churn however "
                "much is spent on acquisition",
                "zh": "漏桶：流失率高时，无论投入多少获客费用，客户群都停留在“获客数÷流失率”",
            },
            {
                "en": "keeping a customer is usually cheaper than winning a new one, and kept customers "
                "buy more over time",
                "zh": "保留老顾客通常比赢得新顾客便宜，老顾客随时间购买更多",
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
                "zh": "价值焦点从厂商价值（生产、产品、推销观念）转向顾客价值（营销观念），再到社会公众价值（社会营销观念）",
            },
            {
                "en": "CRM needs the customer, not the product, as the starting point",
                "zh": "CRM 以顾客而不是产品为出发点",
            },
            {
                "en": "CRM was named only in 1999: it needed the idea (relationship marketing) and the "
                "technology (databases, call centres, the internet) together",
                "zh": "CRM 直到1999年才被提出：它需要理念（关系营销）与技术（数据库、呼叫中心、互联网）同时具备",
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
]
