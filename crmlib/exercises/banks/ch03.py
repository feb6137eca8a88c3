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
from crmlib.exercises.engine import choice, discussion, frame, integer, mistake, numeric
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
#: The projection years of question 1, the default first (the data go up to year 12).
Q1_YEAR = [10, 9, 11, 12, 8]
#: Options of question 7, by letter: the four kinds of loyalty.
Q7_OPTIONS = {"A": "true loyalty", "B": "spurious loyalty", "C": "latent loyalty", "D": "no loyalty"}
#: The dates of question 4, one per variant, the default first (the chapter counts the
#: stages on 31 December 2024).
Q4_AS_OF = ["2024-06-30", "2024-03-31", "2024-09-30", "2023-12-31", "2023-09-30"]
#: The day counts of question 5 (the chapter prints 0, 182, 365 and 545 days).
Q5_DAYS = [270, 210, 240, 300, 330, 420]
#: The discount rates of question 6 (the chapter values customers at 10 %).
Q6_RATE = [0.15, 0.08, 0.12, 0.20, 0.25]
#: The stricter rules of question 12, one dict per variant, the default first (the chapter's
#: default rules are 180 days and 4 orders).
Q12_RULES = [
    {"separation_days": 90, "loyalty_orders": 6},
    {"separation_days": 60, "loyalty_orders": 5},
    {"separation_days": 120, "loyalty_orders": 5},
    {"separation_days": 60, "loyalty_orders": 7},
    {"separation_days": 120, "loyalty_orders": 7},
    {"separation_days": 150, "loyalty_orders": 6},
    {"separation_days": 90, "loyalty_orders": 8},
]


@cache
def _sbg(segment: str = "regular", years: int = 7) -> ShiftedBetaGeometric:
    return ShiftedBetaGeometric().fit(load_sbg_retention()[segment][: years + 1])


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


@cache
def _stages(
    loyalty_orders: int = 4, as_of: str = DEMO_OBSERVATION_END, separation_days: int = 180
) -> pd.DataFrame:
    rules = lifecycle.StageRules(loyalty_orders=loyalty_orders, separation_days=separation_days)
    return lifecycle.lifecycle_stages(_orders(), load_demo("customers"), as_of=as_of, rules=rules)


def _loyal(as_of: str, loyalty_orders: int = 4) -> int:
    return int((_stages(loyalty_orders, as_of)["stage"] == "loyalty").sum())


def _stage_counts(separation_days: int, loyalty_orders: int) -> pd.DataFrame:
    stage = _stages(loyalty_orders, DEMO_OBSERVATION_END, separation_days)["stage"]
    return _counts(stage)


def _counts(stage: pd.Series) -> pd.DataFrame:
    counts = stage.astype(str).value_counts().reindex(list(lifecycle.STAGES), fill_value=0)
    return pd.DataFrame({"stage": counts.index, "customers": counts.to_numpy()})


def _stage_counts_loyalty_first(separation_days: int, loyalty_orders: int) -> pd.DataFrame:
    """The rules of question 12 applied with loyalty above separation (the wrong order)."""
    base = _stages()
    stage = _stages(loyalty_orders, DEMO_OBSERVATION_END, separation_days)["stage"].astype(str)
    loyal = (base["orders_last_year"] >= loyalty_orders) & (base["tenure_days"] >= 365)
    return _counts(stage.where(~loyal, "loyalty"))


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


def _referral_running(days: int) -> float:
    return float(lifecycle.survival_table(_durations(), [days], by_group=True).loc[float(days), "referral"])


def _referral_running_ignoring_censoring(days: int) -> float:
    referral = _durations()[_durations()["group"] == "referral"]
    return float((referral["duration_days"] > days).mean())


def _referral_running_ended_only(days: int) -> float:
    ended = _durations()[(_durations()["group"] == "referral") & _durations()["lost"]]
    return float((ended["duration_days"] > days).mean())


def _referral_running_censored_at_data_end(days: int) -> float:
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
    return float(lifecycle.survival_table(referral, [days]).iloc[0, 0])


def _one_rate(segment: str = "high_end") -> float:
    """The average of the yearly retention rates observed in years 1-7."""
    counts = load_sbg_retention()[segment][:8].to_numpy()
    return float((counts[1:] / counts[:-1]).mean())


def _stage_letter() -> str:
    stage = _stages().loc[Q3_CUSTOMER, "stage"]
    return {name: letter for letter, name in Q3_OPTIONS.items()}[stage]


def _wrong_stage_letters() -> list[str]:
    right = _stage_letter()
    return [letter for letter in Q3_OPTIONS if letter != right][:2]


QUESTIONS = [
    numeric(
        "ch03.q1",
        lambda year: float(_sbg("high_end").expected_active(year)),
        abs=0.5,
        variants={"year": Q1_YEAR},
        hint=[
            {
                "en": "the chapter did this for the regular customers: fit the same model on the high-end "
                "customers' years 0-7 only, then ask it how many of the 1,000 are still active in year {year}",
                "zh": "本章已对 regular（普通）客户做过这一步：只用 high_end（高端）客户第0–7年的数据拟合同一个模型，"
                "再让它给出第 {year} 年1,000位客户中仍活跃的人数",
            },
            {
                "en": "retention.ShiftedBetaGeometric().fit(published['high_end'][:8]), then its "
                "expected_active({year})",
                "zh": "retention.ShiftedBetaGeometric().fit(published['high_end'][:8])，再调用它的 "
                "expected_active({year})",
            },
        ],
        wrong=[
            mistake(
                lambda year: float(load_sbg_retention()["high_end"].iloc[year]),
                because={
                    "en": "this is the actual number in year {year}; the question asks what a model "
                    "fitted on years 0-7 projects",
                    "zh": "这是第 {year} 年的实际人数；题目问的是用第0–7年数据拟合的模型预测的人数",
                },
            ),
            mistake(
                lambda year: float(_sbg().expected_active(year)),
                because={
                    "en": "this is the regular segment; the question is about the high-end customers",
                    "zh": "这是 regular（普通）客户群的结果；题目问的是 high_end（高端）客户",
                },
            ),
            mistake(
                lambda year: float(_sbg("high_end").survival(year)),
                because={
                    "en": "this is the share of the cohort still active; the question asks for "
                    "a number of customers out of 1,000",
                    "zh": "这是同期群中仍活跃客户的比例；题目要的是1,000位客户中仍活跃的人数",
                },
            ),
            mistake(
                lambda year: float(naive_projection(load_sbg_retention()["high_end"][:8], year)[year]),
                because={
                    "en": "this is the exponential curve (the same share lost every year), not the sBG model",
                    "zh": "这是指数曲线（每年流失比例相同）的结果，不是移位贝塔几何模型（sBG）的预测",
                },
            ),
            mistake(
                lambda year: float(_sbg("high_end", years=12).expected_active(year)),
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
        hint=[
            {
                "en": "compare the cohorts on the share still buying in month 6, leaving out the first "
                "cohort, which also holds customers who bought before the data began",
                "zh": "比较各同期群在第6月仍在购买的比例，去掉首个同期群：它还包含数据开始之前就已购买的客户（左截断）",
            },
            {
                "en": "lifecycle.cohort_table(orders, date_col='order_date') gives the shares; drop its first "
                "row with .iloc[1:] and take the largest value of the column labelled 6",
                "zh": "lifecycle.cohort_table(orders, date_col='order_date') 给出这些比例；用 .iloc[1:] "
                "去掉第一行，再取标签为 6 的列中的最大值",
            },
        ],
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
        hint=[
            {
                "en": "a stage is read from how many orders the customer placed and how recently, with the "
                "rules taken from the top: which is the first rule her orders up to 31 December 2024 meet?",
                "zh": "阶段由客户下单的次数和最近一次下单的时间决定，规则从上往下依次判断：她截至2024年12月31日的订单"
                "最先满足哪一条规则？",
            },
            {
                "en": "run lifecycle.lifecycle_stages(orders, customers, as_of=...) and look at her orders, "
                "orders_last_year and days_since_last",
                "zh": "运行 lifecycle.lifecycle_stages(orders, customers, as_of=...)，查看她的 orders、"
                "orders_last_year 和 days_since_last",
            },
        ],
        wrong=[mistake(lambda: _wrong_stage_letters()[0]), mistake(lambda: _wrong_stage_letters()[1])],
    ),
    integer(
        "ch03.q4",
        _loyal,
        filtered=True,
        variants={"as_of": Q4_AS_OF},
        hint=[
            {
                "en": "the stages depend on the date they are read on: apply the default rules to the orders "
                "up to {as_of}, not to the end of the data, and count the loyal customers",
                "zh": "阶段取决于判定的日期：把默认规则用于截至 {as_of} 的订单（而不是数据截止日），再数一数处于忠诚阶段的客户",
            },
            {
                "en": "lifecycle.lifecycle_stages(orders, customers, as_of='{as_of}'), then count the rows "
                "whose stage is 'loyalty'",
                "zh": "运行 lifecycle.lifecycle_stages(orders, customers, as_of='{as_of}')，再统计 stage 为 "
                "'loyalty' 的行数",
            },
        ],
        wrong=[
            mistake(
                lambda: _loyal(as_of=DEMO_OBSERVATION_END),
                because={
                    "en": "this is the count on 31 December 2024, the chapter's date; the question asks for {as_of}",
                    "zh": "这是2024年12月31日（本章所用日期）的人数；题目问的是 {as_of}",
                },
            ),
            mistake(
                lambda as_of: int((_stages(4, as_of)["lifecycle_segment"] == "actual_customer").sum()),
                because={
                    "en": "this counts actual customers, a segment, not the loyalty stage",
                    "zh": "这里统计的是现实客户这一细分群体，而不是处于忠诚阶段的客户",
                },
            ),
            mistake(
                lambda as_of: _loyal(as_of, loyalty_orders=3),
                because={
                    "en": "these rules ask for 3 orders in the last year; the default is 4",
                    "zh": "这套规则要求近一年内下单3次；默认规则是4次",
                },
            ),
        ],
    ),
    numeric(
        "ch03.q5",
        _referral_running,
        abs=5e-4,
        variants={"days": Q5_DAYS},
        hint=[
            {
                "en": "relationships still running have not ended: keep them at risk until they are censored "
                "(the Kaplan-Meier estimate), and read the referral curve at {days} days",
                "zh": "仍在持续的关系并没有终止：在删失之前应把它们留在风险集中（卡普兰–迈耶估计），"
                "再读出老客户推荐渠道的曲线在第 {days} 天的值",
            },
            {
                "en": "lifecycle.survival_table(durations, [{days}], by_group=True), column 'referral'",
                "zh": "lifecycle.survival_table(durations, [{days}], by_group=True)，取 'referral' 列",
            },
        ],
        wrong=[
            mistake(
                _referral_running_ignoring_censoring,
                because={
                    "en": "this treats every relationship still running as if it had ended: "
                    "censored relationships must stay at risk (Kaplan-Meier)",
                    "zh": "这把所有仍在持续的关系都当成了已经终止：删失的关系应留在风险集中（卡普兰–迈耶估计）",
                },
            ),
            mistake(
                _referral_running_ended_only,
                because={
                    "en": "this drops the relationships still running, the longest ones",
                    "zh": "这里去掉了仍在持续的关系，而它们恰恰是持续最久的",
                },
            ),
            mistake(
                _referral_running_censored_at_data_end,
                because={
                    "en": "this counts running relationships up to the end of the data; an end can "
                    "only be seen 365 days after the last order, so censor them there "
                    "(relationship_durations does)",
                    "zh": "这把仍在持续的关系一直算到数据截止日；关系终止要在最后一次下单365天后才能观察到，"
                    "所以应在数据截止日前365天处删失（relationship_durations 就是这样做的）",
                },
            ),
            mistake(
                lambda: _referral_running(365),
                because={
                    "en": "this is the share after 365 days, the chapter's day count; the question asks for {days}",
                    "zh": "这是第365天（本章所用天数）的比例；题目问的是第 {days} 天",
                },
            ),
            mistake(lambda days: 100 * _referral_running(days)),
        ],
    ),
    numeric(
        "ch03.q6",
        lambda rate: float(_sbg().derl(rate, renewals=4)),
        rel=1e-3,
        variants={"rate": Q6_RATE},
        hint=[
            {
                "en": "a customer in her fifth year has renewed four times; value her remaining years with "
                "the regular segment's model (fitted on years 0-7), discounting at {rate:.0%} instead of 10 %",
                "zh": "处于第五年的客户已续约4次；用 regular（普通）客户群的模型（用第0–7年数据拟合）估计她剩余年份的价值，"
                "折现率取 {rate:.0%} 而不是10%",
            },
            {
                "en": "the fitted model's derl({rate}, renewals=4)",
                "zh": "对拟合好的模型调用 derl({rate}, renewals=4)",
            },
        ],
        wrong=[
            mistake(
                lambda: float(_sbg().derl(0.10, renewals=4)),
                because={
                    "en": "this is the value at 10 %, the chapter's rate; the question discounts at {rate:.0%}",
                    "zh": "这是按10%（本章所用折现率）计算的值；题目要求按 {rate:.0%} 折现",
                },
            ),
            mistake(
                lambda rate: float(_sbg().derl(rate, renewals=5)),
                because={
                    "en": "a customer in her fifth year has made 4 renewals, not 5",
                    "zh": "处于第五年的客户已续约4次，而不是5次",
                },
            ),
            mistake(
                lambda rate: float(_sbg().derl(rate, renewals=3)),
                because={
                    "en": "a customer in her fifth year has made 4 renewals, not 3",
                    "zh": "处于第五年的客户已续约4次，而不是3次",
                },
            ),
            mistake(
                lambda rate: float(_sbg("high_end").derl(rate, renewals=4)),
                because={
                    "en": "this is the high-end segment; the question is about regular customers",
                    "zh": "这是 high_end（高端）客户群的结果；题目问的是 regular（普通）客户",
                },
            ),
            mistake(
                lambda rate: _one_rate("regular") * (1 + rate) / (1 + rate - _one_rate("regular")),
                because={
                    "en": "this values her with one average retention rate, as if she were as likely to "
                    "leave as a new customer; the sBG model knows that a customer who has renewed four "
                    "times is more loyal",
                    "zh": "这是用一个平均保留率给她估值，好像她和新客户一样容易流失；sBG 模型知道已续约4次的客户更忠诚",
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
                "zh": "基于生命周期的客户细分：疑虑客户、意向客户、现实客户、流失客户",
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
    numeric(
        "ch03.q11",
        lambda: float(_sbg("high_end").discounted_expected_lifetime(0.10)),
        rel=1e-3,
        hint=[
            {
                "en": "a customer who signs up today pays for her first year for certain; her value counts "
                "that first payment and then every later one weighted by the chance she is still there, "
                "discounted at 10 % a year (DEL, not the DERL of a customer who has already paid)",
                "zh": "今天签约的客户一定会支付第一年的费用；她的价值要计入这笔首付款，再加上以后各期付款乘以她届时仍在的概率，"
                "按每年10%折现（这是 DEL，而不是已经付过款的客户的 DERL）",
            },
            {
                "en": "fit the model on published['high_end'][:8] and call discounted_expected_lifetime(0.10); "
                "check it against 1 + derl(0.10, renewals=0) / 1.10",
                "zh": "用 published['high_end'][:8] 拟合模型，再调用 discounted_expected_lifetime(0.10)；"
                "可以用 1 + derl(0.10, renewals=0) / 1.10 验算",
            },
        ],
        wrong=[
            mistake(
                lambda: float(_sbg("high_end").derl(0.10, renewals=0)),
                because={
                    "en": "this is DERL with no renewal yet: it leaves out the first payment and values the "
                    "rest one year later, at the first renewal; a new customer's value is DEL",
                    "zh": "这是尚未续约时的 DERL：它没有计入第一笔付款，并且是在一年后（第一次续约时）对其余付款估值；"
                    "新客户的价值是 DEL",
                },
            ),
            mistake(
                lambda: 1 + float(_sbg("high_end").derl(0.10, renewals=0)),
                because={
                    "en": "DERL is valued at the first renewal, one year from now: discount it by one more "
                    "year before adding the first payment",
                    "zh": "DERL 是在第一次续约时（即一年后）估值的：加上第一笔付款之前，还要再折现一年",
                },
            ),
            mistake(
                lambda: float(_sbg().discounted_expected_lifetime(0.10)),
                because={
                    "en": "this is the regular segment; the question is about the high-end customers",
                    "zh": "这是 regular（普通）客户群的结果；题目问的是 high_end（高端）客户",
                },
            ),
            mistake(
                lambda: 1.10 / (1.10 - _one_rate("high_end")),
                because={
                    "en": "this uses one average retention rate for every year; the sBG model lets the "
                    "retention rate rise as the customers most likely to leave leave first",
                    "zh": "这对每一年都用同一个平均保留率；sBG 模型则考虑到最容易流失的客户先流失，保留率逐年上升",
                },
            ),
        ],
    ),
    frame(
        "ch03.q12",
        _stage_counts,
        columns=["stage", "customers"],
        key="stage",
        rel=0,
        abs=0,
        variants=Q12_RULES,
        hint=[
            {
                "en": "write the five rules as the chapter's table does, with the two new thresholds, and "
                "take them from the top: a customer silent for more than {separation_days} days is in separation "
                "however many orders she placed before",
                "zh": "像本章的表格那样写出五条规则，换上两个新阈值，并从上往下依次判断：超过 {separation_days} 天没有下单的客户，"
                "无论以前下过多少单，都处于分离阶段",
            },
            {
                "en": "start from the columns orders, orders_last_year, tenure_days and days_since_last of "
                "lifecycle.lifecycle_stages; assign the stages from the bottom rule up, so that a rule higher "
                "in the table overwrites a lower one, then count with value_counts()",
                "zh": "从 lifecycle.lifecycle_stages 结果中的 orders、orders_last_year、tenure_days 和 "
                "days_since_last 列出发；从最下面一条规则往上依次赋值，让表中靠上的规则覆盖靠下的规则，"
                "再用 value_counts() 计数",
            },
        ],
        wrong=[
            mistake(
                lambda: _stage_counts(180, 4),
                because={
                    "en": "these are the counts of the default rules (180 days, 4 orders): change both thresholds",
                    "zh": "这是默认规则（180天、4次订单）下的人数：两个阈值都要修改",
                },
            ),
            mistake(
                lambda separation_days: _stage_counts(separation_days, 4),
                because={
                    "en": "the separation rule is new, but loyalty still asks for 4 orders instead of "
                    "{loyalty_orders}",
                    "zh": "分离规则已经改了，但忠诚阶段仍然只要求4次订单，而不是 {loyalty_orders} 次",
                },
            ),
            mistake(
                lambda loyalty_orders: _stage_counts(180, loyalty_orders),
                because={
                    "en": "the loyalty rule is new, but separation still starts after 180 days instead of "
                    "{separation_days}",
                    "zh": "忠诚规则已经改了，但分离阶段仍从180天开始，而不是 {separation_days} 天",
                },
            ),
            mistake(
                _stage_counts_loyalty_first,
                because={
                    "en": "your rules put loyalty above separation: a customer with {loyalty_orders} orders last "
                    "year who has been silent for more than {separation_days} days is separating, not loyal; "
                    "apply separation first",
                    "zh": "你的规则把忠诚放在了分离之前：去年下过 {loyalty_orders} 次单、但已超过 {separation_days} "
                    "天没有下单的客户正在分离，而不是忠诚；应先判断分离",
                },
            ),
        ],
    ),
]

__all__ = ["QUESTIONS", "Q3_CUSTOMER", "Q3_OPTIONS", "Q7_OPTIONS"]
