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
from crmlib.datasets import (
    CDNOW_CALIBRATION_END,
    CDNOW_HOLDOUT_END,
    load_cdnow,
    load_demo,
    load_donations,
    load_sbg_retention,
)
from crmlib.exercises.engine import choice, discussion, frame, identifier, mistake, numeric
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
#: The discount rates of question 1, one per variant, the default first.
Q1_RATES = [Q1_DISCOUNT_RATE, 0.06, 0.07, 0.09, 0.12, 0.05]

#: Question 2: the demo cohort of the chapter's calculation table, its horizon in
#: quarters, the discount rate per quarter, and the acquisition costs (chapter, question).
Q2_COHORT = ("2022-01-01", "2022-03-31")
Q2_QUARTERS = 12
Q2_DISCOUNT_RATE = 0.025
Q2_ACQUISITION = 2000.0
Q2_ACQUISITION_DOUBLED = 4000.0
#: The higher acquisition costs of question 2, one per variant, the default (doubled) first.
Q2_ACQUISITIONS = [Q2_ACQUISITION_DOUBLED, 4500.0, 5500.0, 6000.0, 6500.0, 7000.0]

#: Question 3: margin per year, discount rate, and the retention rate whose CLV doubles.
Q3_MARGIN = 100.0
Q3_DISCOUNT_RATE = 0.10
Q3_RETENTION = 0.60
#: The retention rates of question 3, one per variant, the default first.
Q3_RETENTIONS = [Q3_RETENTION, 0.50, 0.55, 0.65, 0.70]

#: The CDNOW customers of questions 4 (expected purchases), 5 (P(alive)) and 7 (spend).
Q4_CUSTOMER = 1661
Q4_WEEKS = 39
#: The horizons of question 4 in weeks, one per variant, the default first (the hold-out
#: period the chapter compares with is 39 weeks long).
Q4_HORIZONS = [Q4_WEEKS, 13, 26, 52, 65]
Q5_CUSTOMER = 2102
#: The customers of question 5, one per variant, the default first: repeat buyers whose
#: last purchase lies well before the end of the calibration period.
Q5_CUSTOMERS = [Q5_CUSTOMER, 1012, 2903, 4907, 6606, 9903]
Q7_CUSTOMER = 836
#: The customers of question 7, one per variant, the default first: few repeat purchases,
#: an average far from the population mean.
Q7_CUSTOMERS = [Q7_CUSTOMER, 8736, 3902, 13504, 4287, 19038]

#: Question 6: the share of customers at the top.
Q6_TOP = 0.20

#: Question 12: the Pareto/NBD's hold-out error for the customers with this many
#: calibration repeat purchases or more.
Q12_POOL_FROM = 10
#: The pooling thresholds of question 12, the default first (the chapter pools from 7).
Q12_POOLS = [Q12_POOL_FROM, 8, 9, 11, 12]

#: Question 13: a customer's residual CLV at another discount rate (per year; the
#: model's time unit is a week) with the chapter's gross margin.
Q13_CUSTOMER = 1661
Q13_RATE = 0.08
Q13_MARGIN = 0.30
#: The discount rates per year of question 13, the default first (the chapter uses 15 %).
Q13_RATES = [Q13_RATE, 0.06, 0.10, 0.12, 0.20]
CHAPTER_RATE = 0.15
WEEKS_PER_YEAR = 52

#: Question 14: the BG/BB's DERT of one donation pattern (x, t_x, n) at a rate per year.
Q14_PATTERN = (4, 4, 6)
Q14_RATE = 0.05
#: The discount rates per year of question 14, the default first (the chapter uses 10 %).
Q14_RATES = [Q14_RATE, 0.03, 0.04, 0.06, 0.08]

#: Question 15: the sBG against one retention rate, for the "high end" cohort.
Q15_SEGMENT = "high_end"
Q15_YEARS = 8
Q15_RATE = 0.10
#: The discount rates per year of question 15, the default (the chapter's 10 %) first.
Q15_RATES = [Q15_RATE, 0.05, 0.08, 0.12, 0.15, 0.20]

#: Question 16: customer equity at these discount rates per year (the table to build).
Q16_RATES = (0.08, 0.12, 0.25)
#: The three rates of question 16, one triple per variant, the default first (the chapter
#: prints the equity at 15 %, 5 % and 30 %).
Q16_RATE_SETS = [Q16_RATES, (0.06, 0.10, 0.20), (0.07, 0.12, 0.18), (0.09, 0.14, 0.22), (0.10, 0.16, 0.24)]

#: Question 17: the interval of one customer's residual CLV, as the chapter computes it.
Q17_CUSTOMER = 11288
#: The customers of question 17, one per variant, the default first: frequent buyers whose
#: interval the chapter does not print.
Q17_CUSTOMERS = [Q17_CUSTOMER, 8481, 1760, 1845, 6242, 7323]
Q17_DRAWS = 100
Q17_SEED = 2005

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


def _q1_clv(rate: float = Q1_DISCOUNT_RATE, discount_rate: float | None = None, **changes) -> float:
    """The CLV of question 1's table at ``rate`` (``discount_rate`` overrides it, for a mistake)."""
    return value.clv(_q1_flows(**changes), discount_rate=rate if discount_rate is None else discount_rate)


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


def _doubling_retention(retention: float = Q3_RETENTION) -> float:
    target = 2 * value.retention_clv(Q3_MARGIN, retention, Q3_DISCOUNT_RATE)
    return value.retention_for_clv(target, Q3_MARGIN, Q3_DISCOUNT_RATE)


def _doubling_retention_undiscounted(retention: float = Q3_RETENTION) -> float:
    # m / (1 - r), doubled, solved for r
    target = 2 * Q3_MARGIN / (1 - retention)
    return 1 - Q3_MARGIN / target


def _doubling_retention_end_of_period(retention: float = Q3_RETENTION) -> float:
    # Gupta & Lehmann's convention, first margin at the end of period 1: m r / (1 + i - r)
    i, m, r = Q3_DISCOUNT_RATE, Q3_MARGIN, retention
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
    weeks: float = Q4_WEEKS, model=None, days_as_weeks: bool = False, since_last: bool = False
) -> float:
    x, tx, big_t = _history(Q4_CUSTOMER)
    if days_as_weeks:
        tx, big_t = 7 * tx, 7 * big_t
    if since_last:
        tx = big_t - tx
    return float((model or _bgnbd()).expected_purchases(weeks, x, tx, big_t))


def _expected_purchases_daily_model(weeks: float = Q4_WEEKS) -> float:
    # a model fitted on days, asked about the next 39 *days*
    return float(_bgnbd("D").expected_purchases(weeks, *_history(Q4_CUSTOMER, "D")))


def _p_alive(
    customer: int = Q5_CUSTOMER, model=None, days_as_weeks: bool = False, since_last: bool = False
) -> float:
    x, tx, big_t = _history(customer)
    if days_as_weeks:
        tx, big_t = 7 * tx, 7 * big_t
    if since_last:
        tx = big_t - tx
    return float((model or _bgnbd()).p_alive(x, tx, big_t))


def _spend(customer: int = Q7_CUSTOMER, count_first: bool = False) -> float:
    row = _calibration().loc[customer]
    x = int(row["frequency"]) + (1 if count_first else 0)
    return float(_gamma_gamma().expected_spend(x, float(row["monetary"])))


def _spend_all_purchases(customer: int = Q7_CUSTOMER) -> float:
    """The customer's mean over all calibration transactions, the first one included."""
    tx = load_cdnow(sample=True)
    mine = tx[(tx["customer_id"] == customer) & (tx["date"] <= pd.Timestamp(CDNOW_CALIBRATION_END))]
    return float(mine.groupby(mine["date"].dt.normalize())["amount"].sum().mean())


# ----------------------------------------------------------------------------------
# Questions 12-16: validation, residual value, BG/BB, heterogeneity, equity table
# ----------------------------------------------------------------------------------
def _holdout_error(pool_from: int = Q12_POOL_FROM, model=None, inverted: bool = False) -> float:
    table = models.conditional_expectations_by_frequency(
        model or _pareto(), _calibration(), max_frequency=pool_from
    )
    row = table.loc[pool_from]
    ratio = row["actual"] / row["predicted"] if inverted else row["predicted"] / row["actual"]
    return float(100 * (ratio - 1))


def _residual_clv(
    rate: float = Q13_RATE,
    margin: float = Q13_MARGIN,
    own_mean: bool = False,
    model=None,
    period_length: float = WEEKS_PER_YEAR,
) -> float:
    x, tx, big_t = _history(Q13_CUSTOMER)
    model = model or _pareto()
    dert = model.discounted_expected_transactions(rate, x, tx, big_t, period_length=period_length)
    mean = float(_calibration().loc[Q13_CUSTOMER, "monetary"])
    spend = mean if own_mean else float(_gamma_gamma().expected_spend(x, mean))
    return float(margin * spend * dert)


@cache
def _bgbb() -> models.BGBB:
    d = load_donations()
    return models.BGBB().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])


def _donor_dert(rate: float = Q14_RATE, pattern: tuple[int, int, int] = Q14_PATTERN) -> float:
    return float(_bgbb().discounted_expected_transactions(rate, *pattern))


@cache
def _sbg(segment: str = Q15_SEGMENT) -> models.ShiftedBetaGeometric:
    return models.ShiftedBetaGeometric().fit(load_sbg_retention()[segment][:Q15_YEARS])


def _one_rate_shortfall(
    rate: float = Q15_RATE, segment: str = Q15_SEGMENT, relative_to_one_rate: bool = False
) -> float:
    survivors = load_sbg_retention()[segment]
    one_rate = value.retention_clv(1.0, survivors[1] / survivors[0], rate)
    model_value = _sbg(segment).discounted_expected_lifetime(rate)
    if relative_to_one_rate:
        return float(100 * (model_value / one_rate - 1))
    return float(100 * (1 - one_rate / model_value))


def _equity_table(
    rates=Q16_RATES, margin: float = Q13_MARGIN, period_length: float = WEEKS_PER_YEAR
) -> pd.DataFrame:
    data = _calibration()
    history = (data["frequency"], data["recency"], data["T"])
    spend = _gamma_gamma().expected_spend(data["frequency"], data["monetary"])
    rows = []
    for rate in rates:
        dert = _pareto().discounted_expected_transactions(rate, *history, period_length=period_length)
        rows.append({"discount_rate": rate, "equity": float(np.sum(margin * spend * dert))})
    return pd.DataFrame(rows)


@cache
def _clv_interval(level: float = 0.95, customer: int = Q17_CUSTOMER):
    data = _calibration().loc[[customer]]
    return value.residual_value_interval(
        _pareto(),
        _gamma_gamma(),
        data["frequency"],
        data["recency"],
        data["T"],
        data["monetary"],
        discount_rate=CHAPTER_RATE,
        period_length=WEEKS_PER_YEAR,
        margin=Q13_MARGIN,
        level=level,
        n_draws=Q17_DRAWS,
        seed=Q17_SEED,
    )


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
        variants={"rate": Q1_RATES},
        hint=[
            {
                "en": "discount each period's net cash flow (revenue minus the cost of serving minus the "
                "acquisition cost) by (1 + i)^t with i = {rate:.0%} and add the results up; period 0 is "
                "not discounted",
                "zh": "把每一期的净现金流（收入减去服务成本，再减去获取客户成本）除以 (1 + i)^t（i = {rate:.0%}），"
                "再把结果加总；第0期不折现",
            },
            {
                "en": "put the table in a DataFrame and use value.clv (or value.clv_table) with "
                "discount_rate as a fraction ({rate})",
                "zh": "把表格放进一个 DataFrame，用 value.clv（或 value.clv_table）计算，discount_rate 用小数表示（{rate}）",
            },
        ],
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
                lambda rate: _q1_clv(rate, acquisition_cost=0.0),
                because={
                    "en": "this leaves out the acquisition cost spent in period 0",
                    "zh": "这里漏掉了第0期支出的获取客户成本",
                },
            ),
            mistake(
                lambda rate: _q1_clv(rate, acquisition_cost=[-a for a in Q1_CASHFLOWS["acquisition_cost"]]),
                because={
                    "en": "this adds the acquisition cost to the value; it is a cost",
                    "zh": "这里把获取客户成本加进了价值；它是成本，应当扣除",
                },
            ),
            mistake(
                lambda rate: _q1_clv(rate) / (1 + rate),
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
        _break_even,
        variants={"acquisition": Q2_ACQUISITIONS},
        hint=[
            {
                "en": "rebuild the table of the whole Q1-2022 cohort with {acquisition:,.0f} as the "
                "acquisition cost in period 0 only, and find the first quarter from which the cumulative "
                "discounted value stays at or above zero",
                "zh": "按本章的做法为整个2022年第一季度客户群重建计算表，只在第0期计入 {acquisition:,.0f} 的获取客户成本，"
                "找出累计折现价值从哪个季度起一直不低于零",
            },
            {
                "en": "value.cohort_margin_table and value.clv_table build the table; value.break_even_period "
                "reads the quarter off it",
                "zh": "用 value.cohort_margin_table 和 value.clv_table 建表，再用 value.break_even_period 读出季度",
            },
        ],
        wrong=[
            mistake(
                lambda: _break_even(Q2_ACQUISITION),
                because={
                    "en": "this is the break-even period with the chapter's acquisition cost of "
                    "2,000; the question raises it to {acquisition:,.0f}",
                    "zh": "这是按本章原来2,000的获取客户成本得到的盈亏平衡期；题目把这项成本提高到 {acquisition:,.0f}",
                },
            ),
            mistake(
                lambda acquisition: _break_even(acquisition, discount_rate=0.0),
                because={
                    "en": "this uses undiscounted margins; the table discounts at 2.5% a quarter",
                    "zh": "这里用的是未折现的边际收益；计算表按每季度2.5%折现",
                },
            ),
            mistake(
                lambda acquisition: _break_even(acquisition, first_period=1),
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
        variants={"retention": Q3_RETENTIONS},
        hint=[
            {
                "en": "with the first margin at t = 0, the CLV is m(1 + i)/(1 + i - r): compute it at "
                "{retention:.0%}, double it, and solve the same formula for r",
                "zh": "第一笔边际收益在 t = 0 到账时，CLV = m(1 + i)/(1 + i - r)：先算出保留率为 {retention:.0%} "
                "时的值，将其翻倍，再用同一公式反求 r",
            },
            {
                "en": "value.retention_clv gives the CLV and value.retention_for_clv solves it for the "
                "retention rate",
                "zh": "value.retention_clv 计算客户生命周期价值，value.retention_for_clv 反求保留率",
            },
        ],
        wrong=[
            mistake(
                lambda retention: 2 * retention,
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
            mistake(lambda retention: 100 * _doubling_retention(retention)),
        ],
    ),
    numeric(
        "ch04.q4",
        _expected_purchases,
        rel=1e-3,
        variants={"weeks": Q4_HORIZONS},
        hint=[
            {
                "en": "a fitted BG/NBD turns one customer's history (x, t_x and T, in weeks) into the "
                "purchases expected over a future period: fit it on the calibration period, then ask "
                "it about this customer and {weeks} weeks",
                "zh": "拟合好的 BG/NBD 模型可以根据某位客户的历史（x、t_x 和 T，以周为单位）给出未来一段时间的"
                "预期购买次数：先用校准期数据拟合，再对这位客户和 {weeks} 周进行预测",
            },
            {
                "en": "fit models.BGNBD on frequency, recency and T of the calibration summary, then call "
                "expected_purchases({weeks}, x, t_x, T) with this customer's history",
                "zh": "用校准期汇总表中的 frequency、recency 和 T 拟合 models.BGNBD，"
                "再代入该客户的历史数据调用 expected_purchases({weeks}, x, t_x, T)",
            },
        ],
        wrong=[
            mistake(
                lambda weeks: _expected_purchases(weeks, model=_pareto()),
                because={
                    "en": "this is the Pareto/NBD prediction; the question asks for the BG/NBD",
                    "zh": "这是 Pareto/NBD 模型的预测；题目要求用 BG/NBD 模型",
                },
            ),
            mistake(
                lambda weeks: _expected_purchases(weeks, days_as_weeks=True),
                because={
                    "en": "recency and T are in days here while the model was fitted in weeks: "
                    "use one time unit throughout",
                    "zh": "这里的 recency 和 T 以天为单位，而模型是按周拟合的：应始终使用同一时间单位",
                },
            ),
            mistake(
                _expected_purchases_daily_model,
                because={
                    "en": "this predicts {weeks} days ahead; in a model fitted on days, {weeks} weeks are "
                    "7 × {weeks} days",
                    "zh": "这是对未来 {weeks} 天的预测；在按天拟合的模型中，{weeks} 周是 7 × {weeks} 天",
                },
            ),
            mistake(
                lambda weeks: _expected_purchases(weeks, since_last=True),
                because={
                    "en": "recency here is the time from the first to the last purchase, not "
                    "the time since the last purchase",
                    "zh": "这里的 recency 是从首次购买到最后一次购买的时间，而不是距最后一次购买以来的时间",
                },
            ),
            mistake(
                lambda weeks: float(_bgnbd().expected_purchases_new(weeks)),
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
        variants={"customer": Q5_CUSTOMERS},
        hint=[
            {
                "en": "the chance of still being a customer depends on how many repeat purchases she made "
                "and on how long ago, relative to T, the last one was",
                "zh": "客户仍然存活的概率取决于她的重复购买次数，以及最后一次购买距观察时长 T 的末尾有多久",
            },
            {
                "en": "p_alive(x, t_x, T) of the BG/NBD fitted in question 4, with this customer's "
                "calibration history",
                "zh": "对第4题拟合的 BG/NBD 模型调用 p_alive(x, t_x, T)，代入该客户在校准期的历史数据",
            },
        ],
        wrong=[
            mistake(
                lambda customer: _p_alive(customer, model=_pareto()),
                because={
                    "en": "this is the Pareto/NBD P(alive); the question asks for the BG/NBD",
                    "zh": "这是 Pareto/NBD 模型给出的存活概率；题目要求用 BG/NBD 模型",
                },
            ),
            mistake(
                lambda customer: 1 - _p_alive(customer),
                because={
                    "en": "this is the probability that the customer has dropped out",
                    "zh": "这是该客户已经流失的概率",
                },
            ),
            mistake(
                lambda customer: _p_alive(customer, since_last=True),
                because={
                    "en": "recency here is the time from the first to the last purchase, not "
                    "the time since the last purchase",
                    "zh": "这里的 recency 是从首次购买到最后一次购买的时间，而不是距最后一次购买以来的时间",
                },
            ),
            mistake(
                lambda customer: _p_alive(customer, days_as_weeks=True),
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
        hint=[
            {
                "en": "add up each customer's margin first (a negative total counts as 0), rank the "
                "customers from most to least valuable, and take the share of the total held by the "
                "first 20%",
                "zh": "先按客户汇总边际收益（总额为负的按0计），把客户从价值最高到最低排序，"
                "再计算排在前20%的客户占总额的份额",
            },
            {
                "en": "value.value_per_customer and value.top_share, or value.value_concentration, do this",
                "zh": "可以用 value.value_per_customer 和 value.top_share，或 value.value_concentration",
            },
        ],
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
        variants={"customer": Q7_CUSTOMERS},
        hint=[
            {
                "en": "the gamma-gamma model pulls a customer's own average spend towards the population "
                "mean, less so the more repeat purchases it rests on: fit it on the customers who "
                "repeated, then ask it about this customer",
                "zh": "Gamma-Gamma 模型把客户自己的平均消费金额向总体均值收缩，所依据的重复购买越多，收缩越少："
                "先用有重复购买的客户拟合模型，再对这位客户进行估计",
            },
            {
                "en": "fit models.GammaGamma on the customers with frequency > 0 (frequency and monetary "
                "of the calibration summary), then call expected_spend(x, m_x)",
                "zh": "用 frequency > 0 的客户（校准期汇总表中的 frequency 和 monetary）拟合 models.GammaGamma，"
                "再调用 expected_spend(x, m_x)",
            },
        ],
        wrong=[
            mistake(
                lambda customer: float(_calibration().loc[customer, "monetary"]),
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
                lambda customer: _spend(customer, count_first=True),
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
        hint=[
            {
                "en": "who states the need: the customer, or the firm from past data?",
                "zh": "需求由谁提出：是客户自己，还是企业根据过去的数据推断？",
            },
            {
                "en": "personalized means the firm infers the need from what the customer did before; "
                "customized means the customer specifies it",
                "zh": "个性化是企业根据客户过去的行为推断需求；定制化是客户自己提出具体要求",
            },
        ],
        wrong=["B, D", "A", "A, B, C, D", "A, B"],
    ),
    numeric(
        "ch04.q12",
        _holdout_error,
        abs=0.05,
        variants={"pool_from": Q12_POOLS},
        hint=[
            {
                "en": "group the customers by their calibration repeat purchases, pooling everyone with "
                "{pool_from} or more, and compare the group's mean predicted hold-out purchases with its "
                "mean actual ones: the error is predicted / actual - 1, in percent",
                "zh": "按校准期重复购买次数给客户分组，把 {pool_from} 次及以上的客户合为一组，比较该组在验证期的平均预测"
                "购买次数与平均实际购买次数：误差 = 预测值 / 实际值 - 1，用百分数表示",
            },
            {
                "en": "models.conditional_expectations_by_frequency(model, cdnow, max_frequency={pool_from}) "
                "with the "
                "Pareto/NBD fitted on the calibration period; the last row is the pooled group",
                "zh": "对用校准期数据拟合的 Pareto/NBD 模型调用 "
                "models.conditional_expectations_by_frequency(model, cdnow, max_frequency={pool_from})；最后一行就是合并后的组",
            },
        ],
        wrong=[
            mistake(
                lambda pool_from: _holdout_error(pool_from, model=_bgnbd()),
                because={
                    "en": "this is the BG/NBD's error; the question asks for the Pareto/NBD",
                    "zh": "这是 BG/NBD 模型的误差；题目要求用 Pareto/NBD 模型",
                },
            ),
            mistake(
                lambda: _holdout_error(pool_from=7),
                because={
                    "en": "this pools the customers from 7 repeat purchases on, as the chapter does; the "
                    "question pools them from {pool_from} on",
                    "zh": "这里像本章一样从7次重复购买起合并；题目要求从 {pool_from} 次起合并",
                },
            ),
            mistake(
                lambda pool_from: _holdout_error(pool_from, inverted=True),
                because={
                    "en": "this divides the actual by the predicted; the error of a prediction is "
                    "predicted / actual - 1",
                    "zh": "这里是实际值除以预测值；预测误差应为 预测值 / 实际值 - 1",
                },
            ),
            mistake(
                lambda pool_from: -_holdout_error(pool_from),
                because={
                    "en": "the sign is reversed: a prediction below the actual count has a negative error",
                    "zh": "符号反了：预测值低于实际值时误差为负",
                },
            ),
        ],
    ),
    numeric(
        "ch04.q13",
        _residual_clv,
        rel=1e-3,
        variants={"rate": Q13_RATES},
        hint=[
            {
                "en": "the residual CLV is margin x expected spend per transaction x discounted expected "
                "residual transactions (DERT); the discount rate is a rate per year while the model's "
                "time unit is a week",
                "zh": "剩余客户生命周期价值 = 毛利率 × 每次交易的预期消费金额 × 折现期望剩余交易次数（DERT）；"
                "折现率是年利率，而模型的时间单位是周",
            },
            {
                "en": "the Pareto/NBD's discounted_expected_transactions({rate}, x, t_x, T, period_length=52) "
                "and the gamma-gamma's expected_spend(x, m_x), times 0.30",
                "zh": "Pareto/NBD 模型的 discounted_expected_transactions({rate}, x, t_x, T, period_length=52) "
                "乘以 Gamma-Gamma 模型的 expected_spend(x, m_x)，再乘以 0.30",
            },
        ],
        wrong=[
            mistake(
                lambda: _residual_clv(rate=CHAPTER_RATE),
                because={
                    "en": "this uses the chapter's 15% a year; the question asks for {rate:.0%}",
                    "zh": "这里用的是本章的年折现率15%；题目要求 {rate:.0%}",
                },
            ),
            mistake(
                lambda rate: _residual_clv(rate=rate / WEEKS_PER_YEAR, period_length=1),
                because={
                    "en": "this divides the yearly rate by 52 and uses it per week; rates compound, so "
                    "let period_length=52 convert a yearly rate into the model's weeks",
                    "zh": "这里把年利率除以52当作周利率；利率是复利的，应让 period_length=52 把年利率换算到模型的周",
                },
            ),
            mistake(
                lambda rate: _residual_clv(rate, period_length=1),
                because={
                    "en": "this discounts at {rate:.0%} a week; the model's time unit is a week, so a yearly rate "
                    "needs period_length=52",
                    "zh": "这里按每周 {rate:.0%} 折现；模型的时间单位是周，年利率需要 period_length=52",
                },
            ),
            mistake(
                lambda rate: _residual_clv(rate, margin=1.0),
                because={
                    "en": "this is the discounted future spend; the CLV counts only the 30% margin on it",
                    "zh": "这是折现后的未来消费金额；客户生命周期价值只计其中30%的毛利",
                },
            ),
            mistake(
                lambda rate: _residual_clv(rate, own_mean=True),
                because={
                    "en": "this uses the customer's own average spend; the chapter uses the gamma-gamma "
                    "model's expected spend, which shrinks it towards the population mean",
                    "zh": "这里用的是客户自己的平均消费金额；本章用的是 Gamma-Gamma 模型的预期消费金额，"
                    "它会向总体均值收缩",
                },
            ),
            mistake(
                lambda rate: _residual_clv(rate, model=_bgnbd()),
                because={
                    "en": "this uses the BG/NBD's DERT; the chapter values customers with the Pareto/NBD",
                    "zh": "这里用的是 BG/NBD 模型的 DERT；本章用 Pareto/NBD 模型估算客户价值",
                },
            ),
        ],
    ),
    numeric(
        "ch04.q14",
        _donor_dert,
        rel=1e-3,
        variants={"rate": Q14_RATES},
        hint=[
            {
                "en": "in the BG/BB an opportunity is a year, so the discount rate per year is the rate "
                "per opportunity; 1999 is the fourth of the six opportunities 1996-2001",
                "zh": "在 BG/BB 模型中一次机会就是一年，所以年折现率就是每次机会的折现率；"
                "1999年是1996-2001年六次机会中的第4次",
            },
            {
                "en": "fit models.BGBB on the donation patterns with their weights, then call "
                "discounted_expected_transactions({rate}, 4, 4, 6)",
                "zh": "用各捐赠模式及其人数（weights）拟合 models.BGBB，"
                "再调用 discounted_expected_transactions({rate}, 4, 4, 6)",
            },
        ],
        wrong=[
            mistake(
                lambda: _donor_dert(rate=0.10),
                because={
                    "en": "this discounts at the chapter's 10%; the question asks for {rate:.0%}",
                    "zh": "这里按本章的10%折现；题目要求 {rate:.0%}",
                },
            ),
            mistake(
                lambda: float(_bgbb().expected_purchases(5, *Q14_PATTERN)),
                because={
                    "en": "this counts the gifts of the next five years, undiscounted; DERT counts every "
                    "future gift, each discounted",
                    "zh": "这是未来五年的捐赠次数，未经折现；DERT 计入未来所有的捐赠，并逐次折现",
                },
            ),
            mistake(
                lambda: float(_bgbb().p_alive(*Q14_PATTERN)),
                because={
                    "en": "this is the probability that the donor is still alive, not her discounted "
                    "expected gifts",
                    "zh": "这是该捐赠者仍然存活的概率，而不是她折现后的预期捐赠次数",
                },
            ),
            mistake(
                lambda rate: _donor_dert(rate, pattern=(4, 6, 6)),
                because={
                    "en": "this puts the last gift in 2001 (opportunity 6); 1999 is opportunity 4",
                    "zh": "这里把最后一次捐赠放在2001年（第6次机会）；1999年是第4次机会",
                },
            ),
        ],
    ),
    numeric(
        "ch04.q15",
        _one_rate_shortfall,
        abs=0.05,
        variants={"rate": Q15_RATES},
        hint=[
            {
                "en": "compare two values of a new customer per unit of margin, both with the first "
                "margin at t = 0: the sBG's discounted expected lifetime, and the retention-based CLV "
                "with the first-year retention rate for everyone; the shortfall is 1 - one rate / sBG",
                "zh": "比较新客户每单位边际收益的两种价值，两者的第一笔边际收益都在 t = 0："
                "sBG 模型的折现期望生命期（DEL），以及对所有客户使用第一年保留率的基于保留率的客户生命周期价值；"
                "低估比例 = 1 - 单一保留率的值 / sBG 的值",
            },
            {
                "en": "fit models.ShiftedBetaGeometric on years 0-7 of the high_end column, call "
                "discounted_expected_lifetime({rate}), and compare with value.retention_clv(1, r, {rate})",
                "zh": "用 high_end 列第0-7年的数据拟合 models.ShiftedBetaGeometric，"
                "调用 discounted_expected_lifetime({rate})，再与 value.retention_clv(1, r, {rate}) 比较",
            },
        ],
        wrong=[
            mistake(
                lambda rate: _one_rate_shortfall(rate, segment="regular"),
                because={
                    "en": "this is the regular cohort of the chapter; the question asks about the high-end one",
                    "zh": "这是本章的 regular 客户群；题目问的是 high_end 客户群",
                },
            ),
            mistake(
                lambda rate: _one_rate_shortfall(rate, relative_to_one_rate=True),
                because={
                    "en": "this measures the gap relative to the one-rate value; the shortfall is relative "
                    "to the sBG value, 1 - one rate / sBG",
                    "zh": "这里是相对于单一保留率价值的差距；低估比例应相对于 sBG 的值计算，即 1 - 单一保留率的值 / sBG 的值",
                },
            ),
        ],
    ),
    frame(
        "ch04.q16",
        _equity_table,
        columns=["discount_rate", "equity"],
        key="discount_rate",
        rel=1e-3,
        variants={"rates": Q16_RATE_SETS},
        hint=[
            {
                "en": "customer equity is the sum over customers of margin x expected spend x DERT; do "
                "it once for each discount rate of {rates} and collect one row per rate",
                "zh": "客户资产是所有客户的 毛利率 × 预期消费金额 × DERT 之和；对 {rates} 中的每个折现率各算一次，"
                "每个折现率一行",
            },
            {
                "en": "a loop over the rates with the Pareto/NBD's discounted_expected_transactions(rate, "
                "x, t_x, T, period_length=52), then pd.DataFrame({'discount_rate': ..., 'equity': ...})",
                "zh": "对各折现率循环调用 Pareto/NBD 模型的 discounted_expected_transactions(rate, x, t_x, T, "
                "period_length=52)，再用 pd.DataFrame({'discount_rate': ..., 'equity': ...}) 组成表格",
            },
        ],
        wrong=[
            mistake(
                lambda rates: _equity_table(rates, margin=1.0),
                because={
                    "en": "this is the discounted future spend; equity counts only the 30% margin on it",
                    "zh": "这是折现后的未来消费金额；客户资产只计其中30%的毛利",
                },
            ),
            mistake(
                lambda rates: _equity_table(rates, period_length=1),
                because={
                    "en": "this discounts at each rate per week; the rates are per year, so the weekly "
                    "model needs period_length=52",
                    "zh": "这里按每周的折现率计算；题目中的折现率是年利率，按周拟合的模型需要 period_length=52",
                },
            ),
        ],
    ),
    numeric(
        "ch04.q17",
        lambda customer: float(_clv_interval(customer=customer).upper),
        rel=1e-3,
        variants={"customer": Q17_CUSTOMERS},
        hint=[
            {
                "en": "redraw the models' parameters many times from their estimated uncertainty, recompute "
                "the customer's residual CLV for each draw, and keep the central 95% of the values: the "
                "upper end is the 97.5th percentile",
                "zh": "按参数估计的不确定性多次重新抽取两个模型的参数，对每组参数重新计算该客户的剩余客户生命周期价值，"
                "取中间95%的数值：上限就是第97.5百分位数",
            },
            {
                "en": "value.residual_value_interval(pareto, spend, x, t_x, T, m_x, discount_rate=0.15, "
                "period_length=52, margin=0.30, level=0.95, n_draws=100, seed=2005) with this customer's "
                "history as one-row Series; read .upper",
                "zh": "以该客户的历史数据（单行 Series）调用 value.residual_value_interval(pareto, spend, x, t_x, T, m_x, "
                "discount_rate=0.15, period_length=52, margin=0.30, level=0.95, n_draws=100, seed=2005)，读取 .upper",
            },
        ],
        wrong=[
            mistake(
                lambda customer: float(_clv_interval(customer=customer).estimate),
                because={
                    "en": "this is the estimate itself; the question asks for the upper end of its interval",
                    "zh": "这是估计值本身；题目问的是区间的上限",
                },
            ),
            mistake(
                lambda customer: float(_clv_interval(customer=customer).lower),
                because={
                    "en": "this is the lower end of the interval",
                    "zh": "这是区间的下限",
                },
            ),
            mistake(
                lambda customer: float(_clv_interval(level=0.90, customer=customer).upper),
                because={
                    "en": "this is the upper end of a 90% interval; the question asks for 95%",
                    "zh": "这是90%区间的上限；题目要求95%区间",
                },
            ),
        ],
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
    "Q1_RATES",
    "Q2_COHORT",
    "Q2_QUARTERS",
    "Q2_DISCOUNT_RATE",
    "Q2_ACQUISITION",
    "Q2_ACQUISITION_DOUBLED",
    "Q2_ACQUISITIONS",
    "Q3_MARGIN",
    "Q3_DISCOUNT_RATE",
    "Q3_RETENTION",
    "Q3_RETENTIONS",
    "Q4_CUSTOMER",
    "Q4_WEEKS",
    "Q4_HORIZONS",
    "Q5_CUSTOMER",
    "Q5_CUSTOMERS",
    "Q6_TOP",
    "Q7_CUSTOMER",
    "Q7_CUSTOMERS",
    "Q8_OPTIONS",
    "Q8_PERSONALIZED",
    "Q12_POOL_FROM",
    "Q12_POOLS",
    "Q13_CUSTOMER",
    "Q13_RATE",
    "Q13_MARGIN",
    "Q13_RATES",
    "Q14_PATTERN",
    "Q14_RATE",
    "Q14_RATES",
    "Q15_SEGMENT",
    "Q15_YEARS",
    "Q15_RATE",
    "Q15_RATES",
    "Q16_RATES",
    "Q16_RATE_SETS",
    "Q17_CUSTOMER",
    "Q17_CUSTOMERS",
    "Q17_DRAWS",
    "Q17_SEED",
]
