"""Chapter 04, customer value and customer lifetime value (客户价值与客户生命周期价值):
the questions of ``exercises/solutions/04_customer_value_clv.ipynb``.

Every expected answer is computed with crmlib, from the shipped data or from
the numbers the question gives, the first time a student checks it; nothing
here is a pasted result. The model fits are cached, so each is done once.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import models, value
from crmlib.datasets import CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, load_cdnow, load_demo
from crmlib.exercises.engine import choice, discussion, identifier, mistake, numeric
from crmlib.transactions import calibration_holdout_split

#: Question 1: the cash flows of one customer, by period t (revenue R_t, cost of
#: serving C_t, acquisition cost spent in the period), and the discount rate i.
Q1_CASHFLOWS = {
    "period": [0, 1, 2, 3, 4, 5],
    "revenue": [250.0, 400.0, 420.0, 450.0, 450.0, 400.0],
    "cost": [150.0, 180.0, 185.0, 195.0, 195.0, 180.0],
    "acquisition_cost": [400.0, 0.0, 0.0, 0.0, 0.0, 0.0],
}
Q1_DISCOUNT_RATE = 0.08

#: Question 2: the demo cohort of the chapter's calculation table, its horizon in
#: quarters, the discount rate per quarter, and the acquisition costs (chapter, question).
Q2_COHORT = ("2022-01-01", "2022-03-31")
Q2_QUARTERS = 12
Q2_DISCOUNT_RATE = 0.025
Q2_ACQUISITION = 2000.0
Q2_ACQUISITION_DOUBLED = 4000.0

#: Question 3: margin per year, discount rate, and the retention rate whose CLV doubles.
Q3_MARGIN = 100.0
Q3_DISCOUNT_RATE = 0.10
Q3_RETENTION = 0.60

#: The CDNOW customers of questions 4 (expected purchases), 5 (P(alive)) and 7 (spend).
Q4_CUSTOMER = 1661
Q4_WEEKS = 39
Q5_CUSTOMER = 2102
Q7_CUSTOMER = 836

#: Question 6: the share of customers at the top.
Q6_TOP = 0.20

#: Options of question 8, by letter, and which are personalized (个性化) rather
#: than customized (定制化).
Q8_OPTIONS = {
    "A": "a music service's weekly playlist, chosen from what the listener played before",
    "B": "running shoes whose colours and sole the buyer picks in an online configurator",
    "C": "supermarket app coupons, picked from the shopper's past baskets",
    "D": "a trip planned by an agency around the dates and places the traveller asked for",
}
Q8_PERSONALIZED = "A, C"


# ----------------------------------------------------------------------------------
# Questions 1-3: the deterministic CLV
# ----------------------------------------------------------------------------------
def _q1_flows(**changes) -> pd.DataFrame:
    flows = pd.DataFrame(Q1_CASHFLOWS)
    for column, values in changes.items():
        flows[column] = values
    return flows


def _q1_clv(discount_rate: float = Q1_DISCOUNT_RATE, **changes) -> float:
    return value.clv(_q1_flows(**changes), discount_rate=discount_rate)


@cache
def _demo_cohort() -> pd.DataFrame:
    return value.cohort_margin_table(
        load_demo("customers"), load_demo("orders"), *Q2_COHORT, periods=Q2_QUARTERS
    )


def _break_even(acquisition: float, discount_rate: float = Q2_DISCOUNT_RATE, first_period: int = 0):
    flows = _demo_cohort().copy()
    flows["acquisition_cost"] = np.where(flows["period"] == 0, acquisition, 0.0)
    flows["period"] = flows["period"] + first_period
    return value.break_even_period(value.clv_table(flows, discount_rate=discount_rate))


def _doubling_retention() -> float:
    target = 2 * value.retention_clv(Q3_MARGIN, Q3_RETENTION, Q3_DISCOUNT_RATE)
    return value.retention_for_clv(target, Q3_MARGIN, Q3_DISCOUNT_RATE)


def _doubling_retention_undiscounted() -> float:
    # m / (1 - r), doubled, solved for r
    target = 2 * Q3_MARGIN / (1 - Q3_RETENTION)
    return 1 - Q3_MARGIN / target


def _doubling_retention_end_of_period() -> float:
    # Gupta & Lehmann's convention, first margin at the end of period 1: m r / (1 + i - r)
    i, m, r = Q3_DISCOUNT_RATE, Q3_MARGIN, Q3_RETENTION
    target = 2 * m * r / (1 + i - r)
    return target * (1 + i) / (m + target)


# ----------------------------------------------------------------------------------
# Questions 4, 5, 7: the CDNOW models (fits cached)
# ----------------------------------------------------------------------------------
@cache
def _calibration(time_unit: str = "W") -> pd.DataFrame:
    # the repeated rows of CDNOW are genuine same-day purchases (see load_cdnow)
    return calibration_holdout_split(
        load_cdnow(sample=True),
        CDNOW_CALIBRATION_END,
        CDNOW_HOLDOUT_END,
        duplicates="keep",
        time_unit=time_unit,
    )


@cache
def _bgnbd(time_unit: str = "W") -> models.BGNBD:
    data = _calibration(time_unit)
    return models.BGNBD().fit(data["frequency"], data["recency"], data["T"])


@cache
def _pareto() -> models.ParetoNBD:
    data = _calibration()
    return models.ParetoNBD().fit(data["frequency"], data["recency"], data["T"])


@cache
def _gamma_gamma() -> models.GammaGamma:
    repeaters = _calibration()[_calibration()["frequency"] > 0]
    return models.GammaGamma().fit(repeaters["frequency"], repeaters["monetary"])


def _history(customer: int, time_unit: str = "W") -> tuple[int, float, float]:
    row = _calibration(time_unit).loc[customer]
    return int(row["frequency"]), float(row["recency"]), float(row["T"])


def _expected_purchases(
    model=None, weeks: float = Q4_WEEKS, days_as_weeks: bool = False, since_last: bool = False
) -> float:
    x, tx, big_t = _history(Q4_CUSTOMER)
    if days_as_weeks:
        tx, big_t = 7 * tx, 7 * big_t
    if since_last:
        tx = big_t - tx
    return float((model or _bgnbd()).expected_purchases(weeks, x, tx, big_t))


def _expected_purchases_daily_model() -> float:
    # a model fitted on days, asked about the next 39 *days*
    return float(_bgnbd("D").expected_purchases(Q4_WEEKS, *_history(Q4_CUSTOMER, "D")))


def _p_alive(model=None, days_as_weeks: bool = False, since_last: bool = False) -> float:
    x, tx, big_t = _history(Q5_CUSTOMER)
    if days_as_weeks:
        tx, big_t = 7 * tx, 7 * big_t
    if since_last:
        tx = big_t - tx
    return float((model or _bgnbd()).p_alive(x, tx, big_t))


def _spend(count_first: bool = False) -> float:
    row = _calibration().loc[Q7_CUSTOMER]
    x = int(row["frequency"]) + (1 if count_first else 0)
    return float(_gamma_gamma().expected_spend(x, float(row["monetary"])))


def _spend_all_purchases() -> float:
    """The customer's mean over all calibration transactions, the first one included."""
    tx = load_cdnow(sample=True)
    mine = tx[(tx["customer_id"] == Q7_CUSTOMER) & (tx["date"] <= pd.Timestamp(CDNOW_CALIBRATION_END))]
    return float(mine.groupby(mine["date"].dt.normalize())["amount"].sum().mean())


# ----------------------------------------------------------------------------------
# Question 6: value concentration in the demo company
# ----------------------------------------------------------------------------------
@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


def _margin_per_customer() -> pd.Series:
    return _orders().groupby("customer_id")["margin"].sum().clip(lower=0)


def _top_share_margin() -> float:
    return value.top_share(_margin_per_customer(), Q6_TOP)


def _top_share_all_customers() -> float:
    ids = load_demo("customers")["customer_id"]
    return value.top_share(_margin_per_customer().reindex(ids, fill_value=0.0), Q6_TOP)


QUESTIONS = [
    numeric(
        "ch04.q1",
        _q1_clv,
        rel=1e-4,
        hint={
            "en": "put the table in a DataFrame and use value.clv (or value.clv_table) with "
            "discount_rate as a fraction; period 0 is not discounted",
            "zh": "把表格放进一个 DataFrame，用 value.clv（或 value.clv_table）计算，"
            "discount_rate 用小数表示；第0期不折现",
        },
        wrong=[
            mistake(
                lambda: _q1_clv(discount_rate=0.0),
                because={
                    "en": "this is the undiscounted sum: a margin earned in period t is worth "
                    "(1 + i)^t times less today",
                    "zh": "这是未折现的总和：第 t 期获得的边际收益，折算到今天要除以 (1 + i)^t",
                },
            ),
            mistake(
                lambda: _q1_clv(acquisition_cost=0.0),
                because={
                    "en": "this leaves out the acquisition cost spent in period 0",
                    "zh": "这里漏掉了第0期支出的获取客户成本",
                },
            ),
            mistake(
                lambda: _q1_clv(acquisition_cost=[-a for a in Q1_CASHFLOWS["acquisition_cost"]]),
                because={
                    "en": "this adds the acquisition cost to the value; it is a cost",
                    "zh": "这里把获取客户成本加进了价值；它是成本，应当扣除",
                },
            ),
            mistake(
                lambda: _q1_clv() / (1 + Q1_DISCOUNT_RATE),
                because={
                    "en": "this discounts period 0 as well; the sum starts at t = 0, whose "
                    "discount factor is 1",
                    "zh": "这里把第0期也折现了；求和从 t = 0 开始，这一期的折现因子是 1",
                },
            ),
        ],
    ),
    identifier(
        "ch04.q2",
        lambda: _break_even(Q2_ACQUISITION_DOUBLED),
        hint={
            "en": "rebuild the chapter's table with an acquisition cost of 4,000 in period 0 only, "
            "and pass it to value.break_even_period",
            "zh": "按本章的做法重建计算表，只在第0期计入4,000的获取客户成本，"
            "再把它传给 value.break_even_period",
        },
        wrong=[
            mistake(
                lambda: _break_even(Q2_ACQUISITION),
                because={
                    "en": "this is the break-even period with the chapter's acquisition cost of "
                    "2,000; the question doubles it",
                    "zh": "这是按本章原来2,000的获取客户成本得到的盈亏平衡期；题目把这项成本翻了一倍",
                },
            ),
            mistake(
                lambda: _break_even(Q2_ACQUISITION_DOUBLED, discount_rate=0.0),
                because={
                    "en": "this uses undiscounted margins; the table discounts at 2.5% a quarter",
                    "zh": "这里用的是未折现的边际收益；计算表按每季度2.5%折现",
                },
            ),
            mistake(
                lambda: _break_even(Q2_ACQUISITION_DOUBLED, first_period=1),
                because={
                    "en": "this counts the periods from 1; in the table the signup quarter is period 0",
                    "zh": "这里从1开始计期；表中客户注册的那个季度是第0期",
                },
            ),
        ],
    ),
    numeric(
        "ch04.q3",
        _doubling_retention,
        rel=1e-4,
        hint={
            "en": "compute the CLV at 60% with value.retention_clv, double it, and solve for the "
            "retention rate (value.retention_for_clv does this)",
            "zh": "用 value.retention_clv 算出保留率为60%时的客户生命周期价值，将其翻倍，"
            "再反求保留率（value.retention_for_clv 可以完成这一步）",
        },
        wrong=[
            mistake(
                2 * Q3_RETENTION,
                because={
                    "en": "doubling the retention rate does not double the CLV (and a rate "
                    "above 1 is impossible)",
                    "zh": "保留率翻倍并不会使客户生命周期价值翻倍（况且保留率不可能大于1）",
                },
            ),
            mistake(
                _doubling_retention_undiscounted,
                because={"en": "this ignores the discount rate", "zh": "这里忽略了折现率"},
            ),
            mistake(
                _doubling_retention_end_of_period,
                because={
                    "en": "this lets the first margin come at the end of period 1; in the "
                    "chapter's formula the customer pays m at t = 0",
                    "zh": "这里假设第一笔边际收益在第1期期末才到账；本章的公式中，客户在 t = 0 时就支付 m",
                },
            ),
            mistake(lambda: 100 * _doubling_retention()),
        ],
    ),
    numeric(
        "ch04.q4",
        _expected_purchases,
        rel=1e-3,
        hint={
            "en": "fit models.BGNBD on frequency, recency and T of the calibration summary (in weeks), "
            "then call expected_purchases(39, x, t_x, T) with this customer's history",
            "zh": "用校准期汇总表中的 frequency、recency 和 T（以周为单位）拟合 models.BGNBD，"
            "再代入该客户的历史数据调用 expected_purchases(39, x, t_x, T)",
        },
        wrong=[
            mistake(
                lambda: _expected_purchases(model=_pareto()),
                because={
                    "en": "this is the Pareto/NBD prediction; the question asks for the BG/NBD",
                    "zh": "这是 Pareto/NBD 模型的预测；题目要求用 BG/NBD 模型",
                },
            ),
            mistake(
                lambda: _expected_purchases(days_as_weeks=True),
                because={
                    "en": "recency and T are in days here while the model was fitted in weeks: "
                    "use one time unit throughout",
                    "zh": "这里的 recency 和 T 以天为单位，而模型是按周拟合的：应始终使用同一时间单位",
                },
            ),
            mistake(
                _expected_purchases_daily_model,
                because={
                    "en": "this predicts 39 days ahead; in a model fitted on days, 39 weeks is 273 days",
                    "zh": "这是对未来39天的预测；在按天拟合的模型中，39周是273天",
                },
            ),
            mistake(
                lambda: _expected_purchases(since_last=True),
                because={
                    "en": "recency here is the time from the first to the last purchase, not "
                    "the time since the last purchase",
                    "zh": "这里的 recency 是从首次购买到最后一次购买的时间，而不是距最后一次购买以来的时间",
                },
            ),
            mistake(
                lambda: float(_bgnbd().expected_purchases_new(Q4_WEEKS)),
                because={
                    "en": "this is the expectation for a new customer; use this customer's history (x, t_x, T)",
                    "zh": "这是对一位新客户的期望值；应使用该客户自己的历史数据（x, t_x, T）",
                },
            ),
            mistake(
                lambda: int(_calibration().loc[Q4_CUSTOMER, "frequency_holdout"]),
                because={
                    "en": "this is what the customer actually did in the hold-out period; the "
                    "question asks for the model's prediction",
                    "zh": "这是该客户在验证期的实际购买次数；题目要的是模型的预测值",
                },
            ),
        ],
    ),
    numeric(
        "ch04.q5",
        _p_alive,
        rel=1e-3,
        hint={
            "en": "p_alive(x, t_x, T) of the BG/NBD fitted in question 4, with this customer's "
            "calibration history",
            "zh": "对第4题拟合的 BG/NBD 模型调用 p_alive(x, t_x, T)，代入该客户在校准期的历史数据",
        },
        wrong=[
            mistake(
                lambda: _p_alive(model=_pareto()),
                because={
                    "en": "this is the Pareto/NBD P(alive); the question asks for the BG/NBD",
                    "zh": "这是 Pareto/NBD 模型给出的存活概率；题目要求用 BG/NBD 模型",
                },
            ),
            mistake(
                lambda: 1 - _p_alive(),
                because={
                    "en": "this is the probability that the customer has dropped out",
                    "zh": "这是该客户已经流失的概率",
                },
            ),
            mistake(
                lambda: _p_alive(since_last=True),
                because={
                    "en": "recency here is the time from the first to the last purchase, not "
                    "the time since the last purchase",
                    "zh": "这里的 recency 是从首次购买到最后一次购买的时间，而不是距最后一次购买以来的时间",
                },
            ),
            mistake(
                lambda: _p_alive(days_as_weeks=True),
                because={
                    "en": "recency and T are in days here while the model was fitted in weeks: "
                    "use one time unit throughout",
                    "zh": "这里的 recency 和 T 以天为单位，而模型是按周拟合的：应始终使用同一时间单位",
                },
            ),
        ],
    ),
    numeric(
        "ch04.q6",
        _top_share_margin,
        rel=1e-3,
        hint={
            "en": "sum the margin per customer (negative totals count as 0) and use value.top_share "
            "or value.value_concentration",
            "zh": "先按客户汇总边际收益（总额为负的按0计），再用 value.top_share 或 value.value_concentration",
        },
        wrong=[
            mistake(lambda: 100 * _top_share_margin()),
            mistake(
                lambda: value.top_share(_orders().groupby("customer_id")["revenue"].sum(), Q6_TOP),
                because={
                    "en": "this measures revenue; the question asks about margin",
                    "zh": "这里衡量的是收入；题目问的是边际收益",
                },
            ),
            mistake(
                lambda: value.top_share(_orders()["margin"].clip(lower=0), Q6_TOP),
                because={
                    "en": "this ranks orders, not customers: add up each customer's orders first",
                    "zh": "这里排序的是订单而不是客户：应先把每位客户的订单加总",
                },
            ),
            mistake(
                _top_share_all_customers,
                because={
                    "en": "this counts the customers who never ordered; the question is about "
                    "customers with at least one order",
                    "zh": "这里把从未下单的客户也算了进去；题目只考虑至少下过一单的客户",
                },
            ),
            mistake(
                lambda: 1 - _top_share_margin(),
                because={
                    "en": "this is the share held by the other 80% of customers",
                    "zh": "这是其余80%的客户所占的份额",
                },
            ),
            mistake(
                lambda: value.gini(_margin_per_customer()),
                because={
                    "en": "this is the Gini coefficient, not the share of the top 20%",
                    "zh": "这是基尼系数，而不是前20%的客户所占的份额",
                },
            ),
        ],
    ),
    numeric(
        "ch04.q7",
        _spend,
        rel=1e-3,
        hint={
            "en": "fit models.GammaGamma on the customers with frequency > 0 (frequency and monetary "
            "of the calibration summary), then call expected_spend(x, m_x)",
            "zh": "用 frequency > 0 的客户（校准期汇总表中的 frequency 和 monetary）拟合 models.GammaGamma，"
            "再调用 expected_spend(x, m_x)",
        },
        wrong=[
            mistake(
                lambda: float(_calibration().loc[Q7_CUSTOMER, "monetary"]),
                because={
                    "en": "this is the customer's own average; the model pulls it towards the population mean",
                    "zh": "这是该客户自己的平均值；模型会把它向总体均值收缩",
                },
            ),
            mistake(
                lambda: _gamma_gamma().population_mean_,
                because={
                    "en": "this is the population mean, the estimate for a customer we know nothing about",
                    "zh": "这是总体均值，即对一位我们一无所知的客户的估计",
                },
            ),
            mistake(
                lambda: _spend(count_first=True),
                because={
                    "en": "x counts the repeat transactions that m_x averages; the first "
                    "purchase is not one of them",
                    "zh": "x 是 m_x 所平均的重复交易的次数；首次购买不在其中",
                },
            ),
            mistake(
                _spend_all_purchases,
                because={
                    "en": "this averages all the customer's purchases, the first one included; "
                    "the question asks for the model's estimate",
                    "zh": "这是该客户全部购买（包括首次购买）的平均值；题目要的是模型的估计值",
                },
            ),
        ],
    ),
    choice(
        "ch04.q8",
        Q8_PERSONALIZED,
        options=Q8_OPTIONS,
        hint={
            "en": "who states the need: the customer, or the firm from past data?",
            "zh": "需求由谁提出：是客户自己，还是企业根据过去的数据推断？",
        },
        wrong=["B, D", "A", "A, B, C, D", "A, B"],
    ),
    discussion(
        "ch04.q9",
        checklist=[
            {
                "en": "value to the customer (企业-客户价值) is what the customer perceives they get "
                "from the firm's product or service",
                "zh": "企业-客户价值是客户对企业提供的产品或服务所感知到的价值",
            },
            {
                "en": "its three features: tied to a product or service the customer used; perceived "
                "by the customer, not what the seller earns; benefits weighed against costs",
                "zh": "它的三个特征：与客户消费的产品或服务有关；是客户感知的价值而不是商家获得的价值；"
                "是客户比较所得利益与付出成本之后的看法",
            },
            {
                "en": "value to the firm (客户-企业价值) is the customer lifetime value: what the "
                "customer brings over the whole relationship, discounted to today",
                "zh": "客户-企业价值即客户生命周期价值：客户在整个关系期间为企业带来的价值，折现到今天",
            },
            {
                "en": "the link: more value for the customer means longer relationships and more "
                "purchases, which raises the value to the firm",
                "zh": "两者的联系：为客户创造更多价值，关系更长、购买更多，从而提高客户对企业的价值",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Customer value is CLV.", "客户价值就是CLV。"],
    ),
    discussion(
        "ch04.q10",
        checklist=[
            {
                "en": "first decide the customer type (individual consumer or business account), "
                "since they buy, stay and cost differently",
                "zh": "首先确定客户类型（个体客户还是企业客户），两者的购买、保留和成本都不同",
            },
            {
                "en": "estimate the length of the relationship from the behaviour of current and past "
                "customers (retention rates, or a model such as the BG/NBD)",
                "zh": "根据当前和过去客户的行为估计客户生命周期（保留率，或 BG/NBD 等模型）",
            },
            {
                "en": "estimate revenue and cost: revenue is recorded, direct costs can be traced, "
                "indirect costs are hard to allocate",
                "zh": "估计收益和成本：收入有记录，直接成本容易获得，间接成本难以估计和分摊",
            },
            {
                "en": "only costs that the relationship causes belong in C_t; not every cost of the "
                "firm should be allocated to customers",
                "zh": "只有与客户关系收益相关的成本才计入 C_t；并非企业的所有成本都应分摊到客户关系成本中",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Revenue minus cost.", "收入减成本。"],
    ),
    discussion(
        "ch04.q11",
        checklist=[
            {
                "en": "the 80/20 rule: a small share of customers brings most of the value, as the "
                "chapter's Lorenz curves and question 6 show",
                "zh": "80/20法则：少数客户带来大部分价值，如本章的洛伦兹曲线和第6题所示",
            },
            {
                "en": "customer asset management treats customers as assets of different value: "
                "the aim is the value of the customer base (customer equity), not of each sale",
                "zh": "客户资产管理把客户看作价值不同的资产：目标是整个客户群的价值（客户资产），而不是每一笔交易",
            },
            {
                "en": "consequences: know the top customers by name, serve them as key accounts, "
                "and allocate marketing spend by (expected) value",
                "zh": "做法：识别并了解高价值客户，把他们当作大客户来服务，按（预期）价值分配营销投入",
            },
            {
                "en": "risks and limits: dependence on a few customers, past value is not future "
                "value, and the other 80% include tomorrow's best customers",
                "zh": "风险和局限：过度依赖少数客户；过去的价值不等于未来的价值；其余80%的客户中也有未来的高价值客户",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Focus on the top 20%.", "只关注前20%的客户。"],
    ),
]

__all__ = [
    "QUESTIONS",
    "Q1_CASHFLOWS",
    "Q1_DISCOUNT_RATE",
    "Q2_COHORT",
    "Q2_QUARTERS",
    "Q2_DISCOUNT_RATE",
    "Q2_ACQUISITION",
    "Q2_ACQUISITION_DOUBLED",
    "Q3_MARGIN",
    "Q3_DISCOUNT_RATE",
    "Q3_RETENTION",
    "Q4_CUSTOMER",
    "Q4_WEEKS",
    "Q5_CUSTOMER",
    "Q6_TOP",
    "Q7_CUSTOMER",
    "Q8_OPTIONS",
    "Q8_PERSONALIZED",
]
