"""Exam bank of chapter 06, customer satisfaction and loyalty (客户满意与忠诚)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import satisfaction
from crmlib.datasets import load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, both, zh

_ATTRIBUTES = ["product_quality", "delivery_speed", "responsiveness", "personalization", "care"]
#: The groups of respondents of e8 and e9: column, value, and how the stem names the group.
_GROUPS = {
    "city_tier": {
        1: {"en": "in tier-1 cities", "zh": "一线城市的"},
        2: {"en": "in tier-2 cities", "zh": "二线城市的"},
        3: {"en": "in tier-3 cities", "zh": "三线城市的"},
        4: {"en": "in tier-4 cities", "zh": "四线城市的"},
    },
    "gender": {"F": {"en": "who are women", "zh": "女性"}, "M": {"en": "who are men", "zh": "男性"}},
    "income_band": {
        "<5k": {"en": "with an income below 5k", "zh": "收入低于 5k 的"},
        "20k-40k": {"en": "with an income of 20k-40k", "zh": "收入在 20k-40k 的"},
        ">40k": {"en": "with an income above 40k", "zh": "收入高于 40k 的"},
    },
}


@cache
def _survey() -> pd.DataFrame:
    survey = load_demo("survey")
    customers = load_demo("customers").set_index("customer_id")
    return survey.join(customers[list(_GROUPS)], on="customer_id")


def _draw_group(rng) -> dict:
    column = str(rng.choice(list(_GROUPS)))
    values = list(_GROUPS[column])
    group = values[int(rng.integers(len(values)))]
    return {"column": column, "group": group, "group_name": _GROUPS[column][group]}


def _subset(column: str, group) -> pd.DataFrame:
    survey = _survey()
    return survey[survey[column] == group]


def _nps(column: str, group, group_name: str) -> float:
    return float(satisfaction.nps(_subset(column, group)["recommend"]).score)


def _gap(column: str, group, group_name: str, attribute: str, attribute_name: str) -> float:
    return float(satisfaction.attribute_gaps(_subset(column, group)).loc[attribute, "gap"])


def _nps_se(promoters: int, passives: int, detractors: int) -> float:
    scores = np.repeat([10, 8, 3], [promoters, passives, detractors])
    return float(satisfaction.nps(scores).se)


QUESTIONS = [
    MultipleChoice(
        id="ch06.e1",
        heading={"en": "Satisfaction from expectation and performance", "zh": "由期望与绩效得出的满意"},
        stem={
            "en": f"A customer expected delivery in two days; the parcel came in one. In the chapter's definition of "
            f"{bi('customer_satisfaction')}, what does she feel?",
            "zh": f"一位客户预期两天送达，包裹一天就到了。按本章对{zh('customer_satisfaction')}的定义，她有什么感受？",
        },
        options={
            "A": {"en": "delight: perceived performance above expectation", "zh": "惊喜：感知绩效高于期望"},
            "B": {"en": "satisfaction only: the firm met its promise", "zh": "只是满意：企业兑现了承诺"},
            "C": {
                "en": "nothing measurable: satisfaction is about the product, not delivery",
                "zh": "无法衡量：满意针对的是产品，而不是配送",
            },
            "D": {"en": "loyalty: a fast delivery makes her buy again", "zh": "忠诚：快速的配送使她再次购买"},
        },
        correct="A",
        explanation={
            "en": "Satisfaction compares perceived performance with expectation: below disappoints, equal satisfies, above delights.",
            "zh": "满意是感知绩效与期望的比较：低于期望令人失望，等于期望令人满意，高于期望令人惊喜。",
        },
        why_not={
            "B": {
                "en": "Performance equal to expectation satisfies; here it was above.",
                "zh": "绩效等于期望才是满意；这里绩效高于期望。",
            },
            "C": {
                "en": "Delivery speed is one of the attributes the chapter measures; satisfaction covers the whole offer.",
                "zh": "交付速度是本章衡量的属性之一；满意涵盖整个产品和服务。",
            },
            "D": {
                "en": "Loyalty is a lasting preference shown in attitude and behaviour; one delivery does not make it.",
                "zh": "忠诚是在态度和行为上表现出来的持久偏好；一次配送并不能造就忠诚。",
            },
        },
    ),
    MultipleChoice(
        id="ch06.e2",
        heading={"en": "Derived importance", "zh": "推导出的重要性"},
        stem={
            "en": "All five attributes correlate positively with overall satisfaction (0.405 to 0.691), but the regression "
            "weights separate them: product quality 0.488 down to care 0.120. Why do the correlations overrate "
            "personalization and care?",
            "zh": "五个属性都与总体满意度正相关（0.405 到 0.691），但回归权重把它们区分开来：从产品质量的 0.488 到客户关怀的 0.120。为什么相关系数高估了个性化和客户关怀的重要性？",
        },
        options={
            "A": {
                "en": "The attributes move together, so a correlation credits each attribute with the effect of the others.",
                "zh": "各属性同向变化，因此相关系数把其他属性的作用也算到了每个属性头上。",
            },
            "B": {
                "en": "Correlations are always larger than regression weights.",
                "zh": "相关系数总是大于回归权重。",
            },
            "C": {
                "en": "Personalization and care were measured on another scale.",
                "zh": "个性化和客户关怀是用另一种量表测量的。",
            },
            "D": {
                "en": "Few respondents answered the questions on personalization and care.",
                "zh": "回答个性化和客户关怀问题的受访者很少。",
            },
        },
        correct="A",
        explanation={
            "en": "A customer unhappy with delivery tends to be unhappy with service too; the multiple regression holds the other attributes fixed.",
            "zh": "对配送不满意的客户往往对服务也不满意；多元回归在其他属性保持不变的条件下估计每个属性的作用。",
        },
        why_not={
            "B": {
                "en": "They are different quantities; neither is always larger.",
                "zh": "它们是不同的量，哪一个都不总是更大。",
            },
            "C": {
                "en": "Every attribute was rated on the same 1-7 scale.",
                "zh": "每个属性都用同一个 1—7 分量表评分。",
            },
            "D": {
                "en": "All 1,800 respondents answered every question.",
                "zh": "全部 1,800 位受访者回答了每一个问题。",
            },
        },
    ),
    MultipleChoice(
        id="ch06.e3",
        heading={"en": "Spurious loyalty", "zh": "虚假忠诚"},
        stem={
            "en": f"In the {bi('loyalty_matrix')}, a customer who buys often but rates the firm no better than its competitors "
            "shows ...",
            "zh": f"在{zh('loyalty_matrix')}中，一位经常购买、但对企业的评价并不比对竞争对手更高的客户表现出……",
        },
        options={
            "A": both("spurious_loyalty"),
            "B": both("true_loyalty"),
            "C": both("latent_loyalty"),
            "D": both("no_loyalty"),
        },
        correct="A",
        explanation={
            "en": "High repeat patronage with a weak relative attitude is spurious loyalty: habit or convenience, not preference.",
            "zh": "重复惠顾多而相对态度弱，是虚假忠诚：出于习惯或方便，而不是偏好。",
        },
        why_not={
            "B": {
                "en": "True loyalty needs both high repeat patronage and a strong relative attitude.",
                "zh": "真实忠诚既要求重复惠顾多，也要求相对态度强。",
            },
            "C": {
                "en": "Latent loyalty is a strong attitude with low repeat patronage.",
                "zh": "潜在忠诚是态度强而重复惠顾少。",
            },
            "D": {
                "en": "No loyalty is weak on both; this customer buys often.",
                "zh": "不忠诚是两方面都弱；而这位客户经常购买。",
            },
        },
    ),
    MultipleChoice(
        id="ch06.e4",
        heading={"en": "Which outcome shows satisfaction", "zh": "哪一种结果能体现满意"},
        stem={
            "en": "In the demo company, retention (still a customer at the end of 2024) rose with satisfaction, from 66.8 % to "
            "83.3 %, while repurchase after the survey did not (81.5 %, 79.1 %, 80.3 %). Why does repurchase fail to "
            "show it?",
            "zh": "在演示公司中，保留率（2024 年底仍是客户）随满意度从 66.8% 上升到 83.3%，而调查之后的再次购买却没有随之变化（81.5%、79.1%、80.3%）。为什么再次购买没有体现出满意的作用？",
        },
        options={
            "A": {
                "en": "Customers who leave mostly place a last order or two first, and slow buyers who stay may not order in the months after the survey.",
                "zh": "离开的客户大多在离开之前还下了最后一两笔订单，而留下来的慢速购买者在调查之后的几个月里可能没有下单。",
            },
            "B": {
                "en": "Satisfied customers buy less because they are already served.",
                "zh": "满意的客户买得更少，因为他们的需要已经得到满足。",
            },
            "C": {
                "en": "The survey was too small to measure repurchase.",
                "zh": "调查规模太小，无法衡量再次购买。",
            },
            "D": {
                "en": "Repurchase is measured in money, retention in customers.",
                "zh": "再次购买以金额衡量，保留率以客户数衡量。",
            },
        },
        correct="A",
        explanation={
            "en": '395 of the 397 leavers still ordered after the survey; 362 stayers did not order for months. "Bought again" counts leavers as successes and misses slow stayers.',
            "zh": "397 位离开的客户中有 395 位在调查之后仍然下过订单；362 位留下的客户几个月没有下单。“再次购买”把离开的客户算作成功，却漏掉了慢速购买的留存客户。",
        },
        why_not={
            "B": {
                "en": "The data show no such effect; retention rises with satisfaction.",
                "zh": "数据没有显示这种作用；保留率随满意度上升。",
            },
            "C": {
                "en": "1,800 respondents is large; the intervals of the retention groups do not overlap.",
                "zh": "1,800 位受访者的规模已经很大；各组保留率的区间互不重叠。",
            },
            "D": {"en": "Both are shares of respondents.", "zh": "两者都是受访者中的比例。"},
        },
    ),
    ShortAnswer(
        id="ch06.e5",
        heading={"en": "Importance-performance analysis", "zh": "重要性—绩效分析"},
        stem={
            "en": f"Explain the {bi('importance_performance_analysis')} of the chapter: what is on each axis, where the "
            "cross-hairs lie, what the four quadrants call for, and why delivery speed, not personalization, is the "
            "attribute to concentrate on.",
            "zh": f"请解释本章的{zh('importance_performance_analysis')}：两个坐标轴分别是什么，十字线位于何处，四个象限各要求怎样做，以及为什么应当集中改进的属性是交付速度，而不是个性化。",
        },
        answer_points=(
            {
                "en": "Importance: derived, the standardized regression weight of each attribute in explaining overall satisfaction (not what customers say).",
                "zh": "重要性：推导得出，即每个属性在解释总体满意度时的标准化回归权重（而不是客户自己说的重要性）。",
            },
            {
                "en": "Performance: the mean gap (perception minus expectation), because satisfaction is performance against expectation.",
                "zh": "绩效：平均差距（感知减去期望），因为满意是绩效与期望的比较。",
            },
            {
                "en": "Cross-hairs at the means over the attributes; quadrants: concentrate here, keep up the good work, low priority, possible overkill.",
                "zh": "十字线位于各属性的平均值处；四个象限：重点改进、继续保持、低优先级、可能过度投入。",
            },
            {
                "en": "Delivery speed: weight 0.287 above the mean weight 0.239 and the worst gap (-0.958): concentrate here.",
                "zh": "交付速度：权重 0.287 高于平均权重 0.239，差距最大（-0.958）：应当重点改进。",
            },
            {
                "en": "Personalization has the second-largest gap (-0.896) but a low weight (0.121): low priority, although loud in complaints.",
                "zh": "个性化的差距第二大（-0.896），但权重低（0.121）：虽然抱怨声大，优先级却低。",
            },
        ),
    ),
    ShortAnswer(
        id="ch06.e6",
        heading={"en": "An NPS with its uncertainty", "zh": "带不确定性的 NPS"},
        stem={
            "en": f"Define the {bi('net_promoter_score')}, say how its standard error is computed and why a firm should "
            "report an interval with it, and give one reason why an NPS can be misleading as a loyalty measure.",
            "zh": f"请定义{zh('net_promoter_score')}，说明它的标准误如何计算、企业为什么应当同时报告一个区间，并给出 NPS 作为忠诚度指标可能误导人的一个原因。",
        },
        answer_points=(
            {
                "en": "Promoters answer 9-10, passives 7-8, detractors 0-6 on 'how likely to recommend' (0-10); NPS = % promoters - % detractors.",
                "zh": "在“向他人推荐的可能性”（0—10 分）上，推荐者回答 9—10 分，中立者 7—8 分，贬损者 0—6 分；NPS = 推荐者百分比 - 贬损者百分比。",
            },
            {
                "en": "Each answer scores +1, 0 or -1; the NPS is 100 × their mean, with standard error 100 × sd/√n of those scores.",
                "zh": "每个回答记为 +1、0 或 -1；NPS 是这些得分均值的 100 倍，标准误为这些得分的 100 × sd/√n。",
            },
            {
                "en": "An interval shows whether a change between two surveys or two regions is more than chance.",
                "zh": "区间说明两次调查之间或两个地区之间的差别是否超出了偶然性。",
            },
            {
                "en": "Misleading: an intention, not behaviour; the cut points throw away information; a score of 6 and of 0 count the same; it does not say why.",
                "zh": "可能误导：它是意向而不是行为；分界点丢弃了信息；6 分和 0 分被同等对待；它不说明原因。",
            },
        ),
    ),
    ShortAnswer(
        id="ch06.e7",
        heading={
            "en": "The online chain: service quality, satisfaction, staying",
            "zh": "在线链条：服务质量、满意、留下",
        },
        stem={
            "en": f"An online-marketing course names four drivers of {bi('online_service_quality')}. Name them, describe the "
            "chain from service quality to staying, and say what the demo company's survey could and could not test of it.",
            "zh": f"一门网络营销课程列出了{zh('online_service_quality')}的四个驱动因素。请说出这四个因素，描述从服务质量到客户留下的链条，并说明演示公司的调查能检验其中哪些、不能检验哪些。",
        },
        answer_points=(
            {
                "en": f"The drivers: {bi('system_quality')} (the site or app works and is fast), {bi('information_quality')} (accurate, complete product and order information), {bi('reliability')} (orders arrive as promised), {bi('humanity_of_service')} (a person answers and treats the customer as an individual).",
                "zh": f"驱动因素：{zh('system_quality')}（网站或 App 运行正常、速度快），{zh('information_quality')}（产品和订单信息准确、完整），{zh('reliability')}（订单按承诺送达），{zh('humanity_of_service')}（有人应答，并把客户当作一个具体的人对待）。",
            },
            {
                "en": f"Chain: the drivers raise satisfaction, which raises the {bi('intention_to_stay')}.",
                "zh": f"链条：这些因素提高满意度，满意度又提高{zh('intention_to_stay')}。",
            },
            {
                "en": "Testable in the survey: reliability (delivery speed) and the human side (responsiveness, personalization, care) against overall satisfaction, for respondents who buy mainly online.",
                "zh": "调查中可以检验的：对主要在网上购买的受访者，可靠性（交付速度）和人性化的一面（响应速度、个性化、客户关怀）与总体满意度的关系。",
            },
            {
                "en": "Not testable: system and information quality were not asked (shown as not measured, not guessed); retention stands in for the intention to stay.",
                "zh": "不能检验的：调查没有问系统质量和信息质量（标为“未测量”，而不是猜测）；用保留率代替客户保留意向。",
            },
            {
                "en": "The links found are associations, not proof of cause.",
                "zh": "发现的联系是相关关系，不是因果关系的证明。",
            },
        ),
    ),
    Computational(
        id="ch06.e8",
        heading={"en": "The NPS of a group of respondents", "zh": "一组受访者的 NPS"},
        stem={
            "en": 'Join the survey (`crmlib.load_demo("survey")`) with the customers table on `customer_id`. What is the net '
            "promoter score, in points (-100 to 100), of the respondents {group_name} (column `{column}`)?",
            "zh": '把调查表（`crmlib.load_demo("survey")`）与客户表按 `customer_id` 合并。{group_name}受访者（`{column}` 列）的净推荐值是多少分（-100 到 100）？',
        },
        draw=_draw_group,
        solve=_nps,
        method={
            "en": "Keep the respondents with `{column} == {group!r}`; NPS = 100 × (share with recommend ≥ 9 - share with recommend ≤ 6) (`satisfaction.nps(...).score`).",
            "zh": "保留 `{column} == {group!r}` 的受访者；NPS = 100 × （推荐意愿 ≥ 9 的比例 - 推荐意愿 ≤ 6 的比例）（`satisfaction.nps(...).score`）。",
        },
        unit={"en": "points", "zh": "分"},
        decimals=2,
        tolerance=0.01,
        points=6,
    ),
    Computational(
        id="ch06.e9",
        heading={"en": "An expectation-perception gap of a group", "zh": "一组受访者的期望—感知差距"},
        stem={
            "en": "Among the survey respondents {group_name} (column `{column}` of the customers table), what is the mean "
            "gap, perception minus expectation, for {attribute_name}?",
            "zh": "在{group_name}受访者（客户表的 `{column}` 列）中，{attribute_name}的平均差距（感知减去期望）是多少？",
        },
        draw=lambda rng: (
            lambda attribute: {
                **_draw_group(rng),
                "attribute": attribute,
                "attribute_name": both(f"attr_{attribute}"),
            }
        )(str(rng.choice(_ATTRIBUTES))),
        solve=_gap,
        method={
            "en": "Mean of `perc_{attribute} - exp_{attribute}` over those respondents (`satisfaction.attribute_gaps(subset)`, column `gap`).",
            "zh": "这些受访者的 `perc_{attribute} - exp_{attribute}` 的平均值（`satisfaction.attribute_gaps(subset)` 的 `gap` 列）。",
        },
        unit={"en": "points on the 1-7 scale", "zh": "分（1—7 分量表）"},
        decimals=3,
        tolerance=0.001,
        points=6,
    ),
    Computational(
        id="ch06.e10",
        heading={"en": "The standard error of an NPS", "zh": "NPS 的标准误"},
        stem={
            "en": "A survey has {promoters} promoters, {passives} passives and {detractors} detractors. What is the NPS's "
            "standard error, in points?",
            "zh": "一次调查中有 {promoters} 位推荐者、{passives} 位中立者和 {detractors} 位贬损者。NPS 的标准误是多少分？",
        },
        draw=lambda rng: {
            "promoters": int(rng.integers(20, 200)),
            "passives": int(rng.integers(20, 200)),
            "detractors": int(rng.integers(20, 200)),
        },
        solve=_nps_se,
        method={
            "en": "Score each answer +1, 0, -1; SE = 100 × sd/√n of the scores with n = {promoters} + {passives} + {detractors} (`satisfaction.nps(scores).se`).",
            "zh": "每个回答记为 +1、0、-1；SE = 这些得分的 100 × sd/√n，其中 n = {promoters} + {passives} + {detractors}（`satisfaction.nps(scores).se`）。",
        },
        unit={"en": "points", "zh": "分"},
        decimals=2,
        tolerance=0.02,
        points=6,
    ),
]
