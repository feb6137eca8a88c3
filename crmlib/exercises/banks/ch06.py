"""Chapter 06, customer satisfaction and loyalty (顾客满意与忠诚): the questions of
``exercises/solutions/06_satisfaction_loyalty.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the
first time a student checks it; nothing here is a pasted number.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import satisfaction
from crmlib.datasets import load_demo
from crmlib.exercises.engine import discussion, mistake, numeric, text


@cache
def _survey() -> pd.DataFrame:
    return load_demo("survey")


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


def _gap(attribute: str = "delivery_speed") -> float:
    return float(satisfaction.attribute_gaps(_survey()).loc[attribute, "gap"])


#: Accepted answers of ch06.q2 (a text question needs them up front); the test
#: ``test_ch06_q2_answer_is_what_the_ipa_computes`` checks them against :func:`_concentrate_here`.
CONCENTRATE_HERE = ["delivery speed", "delivery_speed", "交付速度", "配送速度", "送货速度"]


def _concentrate_here() -> str:
    ipa = satisfaction.importance_performance(_survey(), importance="weight", performance="gap")
    names = ipa.index[ipa["quadrant"] == "concentrate_here"]
    if len(names) != 1:
        raise ValueError(f"ch06.q2 expects one attribute in 'concentrate here', got {list(names)}")
    return str(names[0])


def _weight(attribute: str = "delivery_speed", column: str = "weight") -> float:
    return float(satisfaction.derived_importance(_survey()).loc[attribute, column])


def _nps():
    return satisfaction.nps(_survey()["recommend"])


@cache
def _after() -> pd.DataFrame:
    after = satisfaction.orders_after(_survey(), _orders(), "survey_date")
    truth = load_demo("truth").set_index("customer_id")
    after["retained"] = truth["alive_at_end"].reindex(after["customer_id"]).to_numpy()
    return after


def _low_rate(column: str = "retained") -> float:
    low = _after()["overall_satisfaction"] <= 3
    return float(_after().loc[low, column].mean())


@cache
def _complaints(window_days: int = 180, censor: bool = True) -> pd.DataFrame:
    tickets = load_demo("tickets")
    if censor:
        return satisfaction.complaint_outcomes(tickets, _orders(), window_days=window_days)
    return satisfaction.orders_after(tickets, _orders(), "opened_at", window_days=window_days)


def _unresolved_rate(censor: bool = True) -> float:
    c = _complaints(censor=censor)
    return float(c.loc[c["resolution"] == "unresolved", "bought_again"].mean())


QUESTIONS = [
    numeric(
        "ch06.q1",
        _gap,
        abs=1e-3,
        hint={
            "en": "perception minus expectation for each respondent, then the mean (satisfaction.attribute_gaps does it)",
            "zh": "先对每位受访者算出感知效果减去期望，再取平均值（satisfaction.attribute_gaps 可以直接完成）",
        },
        wrong=[
            mistake(
                lambda: -_gap(),
                because={
                    "en": "this is expectation minus perception: the sign is reversed",
                    "zh": "这是期望减去感知效果：符号反了",
                },
            ),
            mistake(
                lambda: float(_survey()["perc_delivery_speed"].mean()),
                because={
                    "en": "this is the mean perception alone; subtract the expectation",
                    "zh": "这只是感知效果的平均值；还要减去期望",
                },
            ),
        ],
    ),
    text(
        "ch06.q2",
        accepted=CONCENTRATE_HERE,
        hint={
            "en": "draw the chart with performance='gap' and read the upper left quadrant",
            "zh": "用 performance='gap' 画出重要性—表现分析（IPA）图，看左上象限",
        },
        wrong=["personalization", "product quality", "个性化", "responsiveness"],
    ),
    numeric(
        "ch06.q3",
        _weight,
        abs=2e-3,
        hint={
            "en": "satisfaction.derived_importance(survey) has two columns; the regression weight is 'weight'",
            "zh": "satisfaction.derived_importance(survey) 的结果有两列；回归权重是 'weight' 列",
        },
        wrong=[
            mistake(
                lambda: _weight(column="correlation"),
                because={
                    "en": "this is the correlation, which also picks up the attributes that move with it",
                    "zh": "这是相关系数，它把与之同时变动的其他属性的作用也算了进来",
                },
            ),
            mistake(
                lambda: _weight("product_quality"),
                because={"en": "this is product quality's weight", "zh": "这是产品质量的权重"},
            ),
        ],
    ),
    numeric(
        "ch06.q4",
        lambda: _nps().score,
        abs=0.05,
        hint={
            "en": "promoters answer 9-10, detractors 0-6; NPS = 100 x (share of promoters - share of detractors)",
            "zh": "推荐者回答 9-10 分，贬损者回答 0-6 分；净推荐值 NPS = 100 x（推荐者比例 - 贬损者比例）",
        },
        wrong=[
            mistake(
                lambda: _nps().score / 100,
                because={
                    "en": "this is a fraction; the NPS is given in points (x 100)",
                    "zh": "这是小数；净推荐值以分为单位（乘以 100）",
                },
            ),
            mistake(
                lambda: -_nps().score,
                because={
                    "en": "this is detractors minus promoters: the sign is reversed",
                    "zh": "这是贬损者比例减去推荐者比例：符号反了",
                },
            ),
            mistake(
                lambda: (
                    100 * float((_survey()["recommend"] >= 9).mean() - (_survey()["recommend"] <= 7).mean())
                ),
                because={
                    "en": "this counts 7 as a detractor; 7 and 8 are passives",
                    "zh": "这里把 7 分算作贬损者；7 分和 8 分属于被动者",
                },
            ),
        ],
    ),
    numeric(
        "ch06.q5",
        lambda: _nps().se,
        abs=0.01,
        hint={
            "en": "se = 100 x sqrt((p + d - (p - d)^2) / n)",
            "zh": "标准误 se = 100 x sqrt((p + d - (p - d)^2) / n)，其中 p、d 为推荐者和贬损者的比例",
        },
        wrong=[
            mistake(
                lambda: _nps().se / 100,
                because={
                    "en": "this is in fractions; give the standard error in points",
                    "zh": "这是以小数表示的；标准误应以分为单位",
                },
            ),
            mistake(
                lambda: _nps().se * np.sqrt(_nps().n),
                because={
                    "en": "this is the standard deviation of one answer; divide by the square root of n",
                    "zh": "这是单个回答的标准差；还要除以 n 的平方根",
                },
            ),
        ],
    ),
    numeric(
        "ch06.q6",
        _low_rate,
        rel=1e-3,
        hint={
            "en": "respondents with overall_satisfaction of 3 or less; the mean of alive_at_end from the truth table",
            "zh": "选出 overall_satisfaction 为 3 分及以下的受访者，再求他们在 truth 表中 alive_at_end 的平均值",
        },
        wrong=[
            mistake(lambda: 100 * _low_rate()),
            mistake(
                lambda: _low_rate("bought_again"),
                because={
                    "en": "this is the share who bought again after the survey, not who were still customers",
                    "zh": "这是调查后再次购买的受访者比例，而不是仍为客户的比例",
                },
            ),
        ],
    ),
    numeric(
        "ch06.q7",
        _unresolved_rate,
        rel=1e-3,
        hint={
            "en": "each complaint is one ticket: among the unresolved tickets whose 180 days can be seen in full, "
            "the share followed by an order (satisfaction.complaint_outcomes marks it in bought_again)",
            "zh": "每次投诉就是一张工单：在180天观察窗口完整的未解决工单中，求其后有订单的工单所占的比例"
            "（satisfaction.complaint_outcomes 在 bought_again 列中标出）",
        },
        wrong=[
            mistake(
                lambda: _unresolved_rate(censor=False),
                because={
                    "en": "this keeps tickets opened less than 180 days before the end of the data, whose "
                    "window cannot be observed in full",
                    "zh": "这里包含了数据截止前不到 180 天才开立的工单，这些工单的观察窗口不完整",
                },
            ),
            mistake(lambda: 100 * _unresolved_rate()),
        ],
    ),
    discussion(
        "ch06.q8",
        checklist=[
            {
                "en": "loyalty rests on satisfaction: deliver what customers value, judged against their "
                "expectations (in the demo company, delivery speed first)",
                "zh": "忠诚建立在满意之上：提供客户看重的价值，并以客户的期望衡量（演示公司首先是交付速度）",
            },
            {
                "en": "loyalty has an attitude and a behaviour side; repeat buying without preference is "
                "spurious and fragile",
                "zh": "忠诚有态度和行为两面；没有偏好的重复购买是虚假忠诚，并不牢固",
            },
            {
                "en": "handle complaints well: unresolved complaints drive customers away",
                "zh": "妥善处理投诉：未解决的投诉会赶走客户",
            },
            {
                "en": "every employee in contact with customers matters (the three-foot rule); "
                "care and personal relationships",
                "zh": "每位接触客户的员工都很重要（三英尺范围）；关怀与个人关系",
            },
            {
                "en": "measure satisfaction and loyalty regularly and act on the results",
                "zh": "定期衡量满意度和忠诚度，并据此行动",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Give discounts.", "打折。"],
    ),
    discussion(
        "ch06.q9",
        checklist=[
            {
                "en": "the claim: a complaint handled well can leave the customer more loyal than before "
                "(service recovery)",
                "zh": "观点：投诉处理得当，客户可能比以前更忠诚（服务补救）",
            },
            {
                "en": "what the demo data show: resolved to satisfaction about the normal repeat rate, "
                "unresolved about half of it",
                "zh": "演示数据所显示的：解决且满意时再购率接近正常水平，未解决时约减半",
            },
            {
                "en": "the data are observational: easy complaints are resolved more often, so the comparison "
                "is not a controlled experiment",
                "zh": "数据是观察性的：容易的投诉更常被解决，因此这种比较不是受控实验",
            },
            {
                "en": "the implication for staffing and training the complaint team",
                "zh": "对投诉处理团队的人员配置和培训的启示",
            },
        ],
        min_words=50,
        min_chars=100,
        wrong=["Complaints are bad.", "投诉不好。"],
    ),
]
