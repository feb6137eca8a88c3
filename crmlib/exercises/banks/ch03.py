"""Chapter 03, customer classification and the customer lifecycle (客户分类与客户生命周期):
the questions of ``exercises/solutions/03_customer_lifecycle.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the
first time a student checks it; nothing here is a pasted number.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import lifecycle
from crmlib.datasets import DEMO_OBSERVATION_END, load_demo, load_sbg_retention
from crmlib.exercises.engine import choice, discussion, integer, mistake, numeric
from crmlib.retention import ShiftedBetaGeometric, naive_projection

#: The customer of question 3.
Q3_CUSTOMER = "C00002"
#: Options of question 3, by letter: the five lifecycle stages.
Q3_OPTIONS = dict(zip("ABCDE", lifecycle.STAGES, strict=True))
#: The Chinese names of the stages (an answer may be an option's text in either language).
Q3_OPTIONS_ZH = {
    "awareness": "认知",
    "exploration": "探索",
    "familiarity": "熟悉",
    "loyalty": "忠诚",
    "separation": "分离",
}
#: Options of question 7, by letter: the four kinds of loyalty.
Q7_OPTIONS = {"A": "true loyalty", "B": "spurious loyalty", "C": "latent loyalty", "D": "no loyalty"}


@cache
def _sbg(segment: str = "regular", years: int = 7) -> ShiftedBetaGeometric:
    return ShiftedBetaGeometric().fit(load_sbg_retention()[segment][: years + 1])


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


@cache
def _stages(loyalty_orders: int = 4) -> pd.DataFrame:
    rules = lifecycle.StageRules(loyalty_orders=loyalty_orders)
    return lifecycle.lifecycle_stages(
        _orders(), load_demo("customers"), as_of=DEMO_OBSERVATION_END, rules=rules
    )


@cache
def _cohorts() -> pd.DataFrame:
    return lifecycle.cohort_table(_orders(), date_col="order_date")


def _best_six_month(skip_first: bool = True, month: int = 6) -> float:
    table = _cohorts()
    if skip_first:
        table = table.iloc[1:]
    return float(table[month].max())


@cache
def _durations() -> pd.DataFrame:
    channel = load_demo("customers").set_index("customer_id")["signup_channel"]
    return lifecycle.relationship_durations(
        _orders(), date_col="order_date", as_of=DEMO_OBSERVATION_END, groups=channel
    )


def _referral_one_year() -> float:
    return float(lifecycle.survival_table(_durations(), [365], by_group=True).loc[365.0, "referral"])


def _referral_one_year_ignoring_censoring() -> float:
    referral = _durations()[_durations()["group"] == "referral"]
    return float((referral["duration_days"] > 365).mean())


def _referral_one_year_ended_only() -> float:
    ended = _durations()[(_durations()["group"] == "referral") & _durations()["lost"]]
    return float((ended["duration_days"] > 365).mean())


def _referral_one_year_censored_at_data_end() -> float:
    """Censoring at as_of instead of the detection horizon (as_of - 365 days)."""
    durations = _durations()
    start = _orders().groupby("customer_id")["order_date"].min().pipe(pd.to_datetime)
    late = start[
        (start > pd.Timestamp(DEMO_OBSERVATION_END) - pd.Timedelta(days=365))
        & start.index.isin(
            load_demo("customers").loc[lambda c: c["signup_channel"] == "referral", "customer_id"]
        )
    ]
    referral = durations[durations["group"] == "referral"].copy()
    running = ~referral["lost"]
    referral.loc[running, "duration_days"] = (
        pd.Timestamp(DEMO_OBSERVATION_END) - referral.loc[running, "first"]
    ).dt.days
    referral = pd.concat(
        [
            referral,
            pd.DataFrame(
                {"duration_days": (pd.Timestamp(DEMO_OBSERVATION_END) - late).dt.days, "lost": False}
            ),
        ]
    )
    return float(lifecycle.survival_table(referral, [365]).iloc[0, 0])


def _stage_letter() -> str:
    stage = _stages().loc[Q3_CUSTOMER, "stage"]
    return {name: letter for letter, name in Q3_OPTIONS.items()}[stage]


def _wrong_stage_letters() -> list[str]:
    right = _stage_letter()
    return [letter for letter in Q3_OPTIONS if letter != right][:2]


QUESTIONS = [
    numeric(
        "ch03.q1",
        lambda: float(_sbg().expected_active(10)),
        abs=0.5,
        hint={
            "en": "fit ShiftedBetaGeometric on regular[:8] (years 0-7) and call expected_active(10)",
            "zh": "用 regular[:8]（第0–7年）拟合 ShiftedBetaGeometric，再调用 expected_active(10)",
        },
        wrong=[
            mistake(
                lambda: float(load_sbg_retention()["regular"].iloc[10]),
                because={
                    "en": "this is the actual number in year 10; the question asks what a model "
                    "fitted on years 0-7 projects",
                    "zh": "这是第10年的实际人数；题目问的是用第0–7年数据拟合的模型预测的人数",
                },
            ),
            mistake(
                lambda: float(_sbg().survival(10)),
                because={
                    "en": "this is the share of the cohort still active; the question asks for "
                    "a number of customers out of 1,000",
                    "zh": "这是同期群中仍活跃客户的比例；题目要的是1,000位客户中仍活跃的人数",
                },
            ),
            mistake(
                lambda: float(naive_projection(load_sbg_retention()["regular"][:8], 10)[10]),
                because={
                    "en": "this is the exponential curve (constant retention), not the sBG model",
                    "zh": "这是指数拟合（保留率不变）的结果，不是移位贝塔几何模型（sBG）的预测",
                },
            ),
            mistake(
                lambda: float(_sbg(years=12).expected_active(10)),
                because={
                    "en": "this model was fitted on all 12 years; fit on years 0-7 only",
                    "zh": "这个模型是用全部12年的数据拟合的；应只用第0–7年的数据",
                },
            ),
        ],
    ),
    numeric(
        "ch03.q2",
        _best_six_month,
        abs=5e-4,
        hint={
            "en": "compare the cohorts on the share still buying in month 6, leaving out the first cohort, "
            "which is left-truncated (lifecycle.cohort_table gives the shares)",
            "zh": "比较各同期群在第6月仍在购买的比例，去掉存在左截断的首个同期群（lifecycle.cohort_table 给出这些比例）",
        },
        wrong=[
            mistake(lambda: 100 * _best_six_month()),
            mistake(
                lambda: _best_six_month(skip_first=False),
                because={
                    "en": "this includes January 2022, the left-truncated first cohort",
                    "zh": "这里把2022年1月这个首个同期群也算了进去，而它存在左截断",
                },
            ),
            mistake(
                lambda: _best_six_month(month=5),
                because={
                    "en": "this is column 5; month 6 is the column labelled 6 (month 0 is the first month)",
                    "zh": "这是标签为 5 的列；第6月对应标签为 6 的列（首月记为第0月）",
                },
            ),
        ],
    ),
    choice(
        "ch03.q3",
        _stage_letter,
        options={letter: (stage, Q3_OPTIONS_ZH[stage]) for letter, stage in Q3_OPTIONS.items()},
        hint={
            "en": "a stage is read from how many orders the customer placed and how recently: look at her "
            "orders up to 31 December 2024 (lifecycle.lifecycle_stages with the customers table)",
            "zh": "阶段由客户下单的次数和最近一次下单的时间决定：看看她截至2024年12月31日的订单"
            "（用 customers 表运行 lifecycle.lifecycle_stages）",
        },
        wrong=[mistake(lambda: _wrong_stage_letters()[0]), mistake(lambda: _wrong_stage_letters()[1])],
    ),
    integer(
        "ch03.q4",
        lambda: int((_stages()["stage"] == "loyalty").sum()),
        filtered=True,
        hint={
            "en": "count the rows whose stage is 'loyalty' with the default StageRules",
            "zh": "使用默认的 StageRules，统计 stage 为 'loyalty' 的行数",
        },
        wrong=[
            mistake(
                lambda: int((_stages()["lifecycle_segment"] == "actual_customer").sum()),
                because={
                    "en": "this counts actual customers, a segment, not the loyalty stage",
                    "zh": "这里统计的是现实客户这一细分群体，而不是处于忠诚阶段的客户",
                },
            ),
            mistake(
                lambda: int((_stages(loyalty_orders=3)["stage"] == "loyalty").sum()),
                because={
                    "en": "these rules ask for 3 orders in the last year; the default is 4",
                    "zh": "这套规则要求近一年内下单3次；默认规则是4次",
                },
            ),
        ],
    ),
    numeric(
        "ch03.q5",
        _referral_one_year,
        abs=5e-4,
        hint={
            "en": "relationships still running have not ended: keep them at risk until they are censored "
            "(the Kaplan-Meier estimate; lifecycle.survival_table by group, at 365 days)",
            "zh": "仍在持续的关系并没有终止：在删失之前应把它们留在风险集中（卡普兰–迈耶估计；"
            "按组调用 lifecycle.survival_table，取 365 天）",
        },
        wrong=[
            mistake(
                _referral_one_year_ignoring_censoring,
                because={
                    "en": "this treats every relationship still running as if it had ended: "
                    "censored relationships must stay at risk (Kaplan-Meier)",
                    "zh": "这把所有仍在持续的关系都当成了已经终止：删失的关系应留在风险集中（卡普兰–迈耶估计）",
                },
            ),
            mistake(
                _referral_one_year_ended_only,
                because={
                    "en": "this drops the relationships still running, the longest ones",
                    "zh": "这里去掉了仍在持续的关系，而它们恰恰是持续最久的",
                },
            ),
            mistake(
                _referral_one_year_censored_at_data_end,
                because={
                    "en": "this counts running relationships up to the end of the data; an end can "
                    "only be seen 365 days after the last order, so censor them there "
                    "(relationship_durations does)",
                    "zh": "这把仍在持续的关系一直算到数据截止日；关系终止要在最后一次下单365天后才能观察到，"
                    "所以应在数据截止日前365天处删失（relationship_durations 就是这样做的）",
                },
            ),
            mistake(lambda: 100 * _referral_one_year()),
        ],
    ),
    numeric(
        "ch03.q6",
        lambda: float(_sbg().derl(0.10, renewals=4)),
        rel=1e-3,
        hint={
            "en": "derl(discount_rate=0.10, renewals=4) on the regular segment fitted on years 0-7",
            "zh": "用第0–7年数据拟合 regular 客户群的模型，再调用 derl(discount_rate=0.10, renewals=4)",
        },
        wrong=[
            mistake(
                lambda: float(_sbg().derl(0.10, renewals=5)),
                because={
                    "en": "a customer in her fifth year has made 4 renewals, not 5",
                    "zh": "处于第五年的客户已续约4次，而不是5次",
                },
            ),
            mistake(
                lambda: float(_sbg().derl(0.10, renewals=3)),
                because={
                    "en": "a customer in her fifth year has made 4 renewals, not 3",
                    "zh": "处于第五年的客户已续约4次，而不是3次",
                },
            ),
            mistake(
                lambda: float(_sbg("high_end").derl(0.10, renewals=4)),
                because={
                    "en": "this is the high-end segment; the question is about regular customers",
                    "zh": "这是 high_end（高端）客户群的结果；题目问的是 regular（普通）客户",
                },
            ),
        ],
    ),
    choice(
        "ch03.q7",
        "B",
        options={
            letter: (name, zh)
            for (letter, name), zh in zip(
                Q7_OPTIONS.items(), ["真实忠诚", "虚假忠诚", "潜在忠诚", "不忠诚"], strict=True
            )
        },
        hint={
            "en": "which side is strong here: what she does, or what she feels?",
            "zh": "想一想，这里强的是哪一面：她的行为，还是她的感受？",
        },
        wrong=["A", "C", "D"],
    ),
    discussion(
        "ch03.q8",
        checklist=[
            {
                "en": "the lifecycle is the whole course of a relationship, from the first contact to "
                "its end",
                "zh": "客户生命周期是客户关系从初次接触到终止的全过程",
            },
            {
                "en": "the five stages in order: awareness, exploration, familiarity, loyalty, "
                "separation, with how strength changes in each (start, slow growth, fast "
                "growth, stable, transition)",
                "zh": "依次为认知、探索、熟悉、忠诚、分离五个阶段，以及各阶段关系强度的变化（起始、缓慢发展、"
                "快速发展、稳定、转变）",
            },
            {
                "en": "the lifecycle-based segments: suspects, prospects, actual customers, lost customers",
                "zh": "基于生命周期的客户细分：疑虑客户、潜在客户、现实客户、流失客户",
            },
            {
                "en": "a different strategy for each: acquire, raise loyalty, or win back",
                "zh": "针对不同客户采取不同战略：获取客户、提高忠诚或恢复客户",
            },
            {
                "en": "how stages can be measured from data, and the limits of such rules",
                "zh": "如何用数据判定阶段，以及这些规则的局限",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Customers have a lifecycle.", "客户有生命周期。"],
    ),
    discussion(
        "ch03.q9",
        checklist=[
            {
                "en": "the root of loyalty is value: the customer must get more from this firm than "
                "from its competitors (product, service, price)",
                "zh": "忠诚的根本在于价值：客户从本企业得到的要多于从竞争者那里得到的（产品、服务、价格）",
            },
            {
                "en": "satisfaction with both the product and the relationship, and trust",
                "zh": "对产品和对关系的双重满意，以及信任",
            },
            {
                "en": "knowing the customer (data) and serving her individually; handling complaints well",
                "zh": "了解客户（数据）并个别化服务；妥善处理投诉",
            },
            {
                "en": "the difference between true and spurious loyalty: habits and switching costs "
                "keep customers only until a better offer comes",
                "zh": "真实忠诚与虚假忠诚的区别：习惯和转换成本只能留住客户到更好的选择出现为止",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Give discounts.", "打折。"],
    ),
    discussion(
        "ch03.q10",
        checklist=[
            {
                "en": "a position: agree, disagree, or agree in part, with reasons",
                "zh": "明确立场：同意、不同意或部分同意，并给出理由",
            },
            {
                "en": "staying with one supplier saves search effort and risk: fewer choices to make",
                "zh": "固定与一家供应商往来可以节省搜寻成本、降低风险：需要做的选择更少",
            },
            {
                "en": "but customers also seek variety and better offers; this differs by product "
                "(habitual versus high-involvement purchases)",
                "zh": "但客户也追求多样化和更好的条件；这因产品而异（习惯性购买与高介入度购买）",
            },
            {
                "en": "what it means for the firm: make staying easy and worth it, not only costly "
                "to leave (true versus spurious loyalty)",
                "zh": "对企业的含义：让留下来既方便又值得，而不只是提高离开的成本（真实忠诚与虚假忠诚）",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Yes.", "同意。"],
    ),
]

__all__ = ["QUESTIONS", "Q3_CUSTOMER", "Q3_OPTIONS", "Q7_OPTIONS"]
