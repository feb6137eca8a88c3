"""Exam bank of chapter 05, customer segmentation (客户细分)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import segmentation
from crmlib.datasets import load_cdnow, load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, both, zh

_DEMO_SEGMENTS = [
    "loyal",
    "at_risk",
    "potential_loyalist",
    "hibernating",
    "about_to_sleep",
    "need_attention",
    "lost",
]
_SHARE_SEGMENTS = ["at_risk", "potential_loyalist", "hibernating", "about_to_sleep", "need_attention", "lost"]
_CDNOW_SEGMENTS = ["champions", "loyal", "at_risk", "hibernating", "lost", "cant_lose_them"]


@cache
def _segments(end: str, source: str = "demo") -> pd.DataFrame:
    if source == "demo":
        orders = load_demo("orders")
        orders = orders[orders["order_date"] <= end]
        scores = segmentation.rfm_scores(
            orders, date_col="order_date", amount_col="revenue", observation_end=end
        )
    else:
        data = load_cdnow(sample=True)
        data = data[data["date"] <= end]
        scores = segmentation.rfm_scores(
            data, date_col="date", amount_col="amount", observation_end=end, duplicates="keep"
        )
    return segmentation.rfm_segments(scores)


def _count(segment: str, segment_name: str, end: str) -> int:
    return int((_segments(end)["rfm_segment"] == segment).sum())


def _value_share(segment: str, segment_name: str) -> float:
    summary = segmentation.segment_summary(_segments("2024-12-31"))
    return float(100 * summary.loc[segment, "share_value"])


def _cdnow_count(segment: str, segment_name: str, end: str) -> int:
    return int((_segments(end, "cdnow")["rfm_segment"] == segment).sum())


def _pick(rng, keys: list[str]) -> dict:
    key = str(rng.choice(keys))
    return {"segment": key, "segment_name": both(key)}


QUESTIONS = [
    MultipleChoice(
        id="ch05.e1",
        heading={"en": "A priori or post hoc", "zh": "先验细分还是事后细分"},
        stem={
            "en": "A firm divides its customers into consumers and business accounts before any analysis, on a variable it "
            "already knows. What kind of segmentation is this?",
            "zh": "一家企业在做任何分析之前，就按一个已知的变量把客户分为个人消费者和企业客户。这是哪一种细分？",
        },
        options={
            "A": both("a_priori_segmentation"),
            "B": both("post_hoc_segmentation"),
            "C": both("cluster_analysis"),
            "D": {"en": "RFM segmentation", "zh": "RFM 细分"},
        },
        correct="A",
        explanation={
            "en": "A group fixed before the analysis, on a known variable, is an a-priori segment.",
            "zh": "在分析之前按已知变量划定的群体是先验细分。",
        },
        why_not={
            "B": {
                "en": "Post-hoc segments are found in the data by the analysis, e.g. by clustering.",
                "zh": "事后细分是通过分析在数据中找出来的，例如通过聚类。",
            },
            "C": {
                "en": "Cluster analysis lets the data form the groups: a post-hoc method.",
                "zh": "聚类分析让数据自己形成群体：这是一种事后细分方法。",
            },
            "D": {
                "en": "RFM scores purchase behaviour (recency, frequency, monetary value); customer type is not among them.",
                "zh": "RFM 按购买行为（最近购买时间、频次、消费金额）评分；客户类型不在其中。",
            },
        },
    ),
    MultipleChoice(
        id="ch05.e2",
        heading={"en": "Reading the silhouette", "zh": "解读轮廓系数"},
        stem={
            "en": f"For k = 2 to 8 clusters of the demo customers, the {bi('silhouette')} stayed below 0.16 and was highest at "
            "k = 3 (0.155) and k = 4 (0.151). What does this say?",
            "zh": f"对演示公司的客户做 k = 2 到 8 的聚类，{zh('silhouette')}始终低于 0.16，在 k = 3（0.155）和 k = 4（0.151）时最高。这说明了什么？",
        },
        options={
            "A": {
                "en": "The clusters overlap: customers do not come in separate groups, and 0.155 against 0.151 is too small a difference to decide k alone.",
                "zh": "各簇相互重叠：客户并不是分成彼此分离的群体，而且 0.155 与 0.151 相差太小，不能单凭它决定 k。",
            },
            "B": {"en": "k = 3 is the true number of segments.", "zh": "k = 3 是真实的细分数目。"},
            "C": {
                "en": "The clustering failed, and the data must not be segmented.",
                "zh": "聚类失败了，这些数据不能细分。",
            },
            "D": {
                "en": "The inertia must be used instead, because it is smallest at k = 8.",
                "zh": "应当改用簇内平方和，因为它在 k = 8 时最小。",
            },
        },
        correct="A",
        explanation={
            "en": "A silhouette near 0 means customers are about as close to the neighbouring cluster as to their own; the choice of k needs the profiles and the use.",
            "zh": "轮廓系数接近 0，说明客户到相邻簇的距离与到自己所在簇的距离差不多；选择 k 需要结合各簇的特征描述和用途。",
        },
        why_not={
            "B": {
                "en": "The criterion does not reveal a true number; on the demo company the agreement with the latent segments kept rising at k = 5.",
                "zh": "这个指标不能揭示真实的数目；在演示公司中，与隐含客户群的一致程度在 k = 5 时仍在上升。",
            },
            "C": {
                "en": "Overlapping clusters can still be useful if they meet the three criteria (differentiation, profitability, feasibility).",
                "zh": "相互重叠的簇只要满足三个标准（差异性、盈利性、可行性），仍然是有用的。",
            },
            "D": {
                "en": "The inertia falls with every cluster added, to 0 with one customer per cluster; its size cannot choose k.",
                "zh": "每增加一个簇，簇内平方和都会下降，每位客户自成一簇时降为 0；它的大小不能用来选择 k。",
            },
        },
    ),
    MultipleChoice(
        id="ch05.e3",
        heading={"en": "Why reverse the recency score", "zh": "为什么要把最近购买时间的评分反过来"},
        stem={
            "en": "In an RFM score, why does R = 5 go to the fifth of customers with the fewest days since their last purchase?",
            "zh": "在 RFM 评分中，为什么 R = 5 给的是距上次购买天数最少的那五分之一客户？",
        },
        options={
            "A": {
                "en": "Because recent buyers are the most likely to buy again, and a high score should mean a better customer on every letter.",
                "zh": "因为最近购买过的客户最有可能再次购买，而且每个字母上的高分都应当表示更好的客户。",
            },
            "B": {
                "en": "Because the quintiles of recency cannot be computed the other way round.",
                "zh": "因为最近购买时间的五分位数不能反过来计算。",
            },
            "C": {
                "en": "Because recency is measured in weeks, not days.",
                "zh": "因为最近购买时间以周计，而不是以天计。",
            },
            "D": {
                "en": "Because customers with a long recency spend more.",
                "zh": "因为距上次购买时间长的客户花钱更多。",
            },
        },
        correct="A",
        explanation={
            "en": "Small recency is good, large frequency and monetary value are good: reversing R makes 5 the best on all three.",
            "zh": "最近购买时间越短越好，频次和消费金额越大越好：把 R 反过来，使 5 在三个字母上都表示最好。",
        },
        why_not={
            "B": {
                "en": "Quintiles can be taken in either direction; reversing is a choice of meaning.",
                "zh": "五分位数可以按任一方向取；反过来是对含义的一种选择。",
            },
            "C": {
                "en": "The unit does not matter for a rank-based score.",
                "zh": "对基于排名的评分来说，单位无关紧要。",
            },
            "D": {
                "en": "Long recency means a customer who has gone quiet; it says nothing good about spend.",
                "zh": "距上次购买时间长说明客户已经沉寂，这并不说明他花钱多。",
            },
        },
    ),
    MultipleChoice(
        id="ch05.e4",
        heading={"en": "The satisfaction matrix", "zh": "满意度矩阵"},
        stem={
            "en": f"In the {bi('satisfaction_matrix')}, a customer satisfied with the product but dissatisfied with the "
            "relationship is a ...",
            "zh": f"在{zh('satisfaction_matrix')}中，对产品满意、对客户关系不满意的客户属于……",
        },
        options={
            "A": both("vulnerable_customer"),
            "B": both("loyal_customer"),
            "C": both("potential_type_customer"),
            "D": both("negative_customer"),
        },
        correct="A",
        explanation={
            "en": "Satisfied with the product, not with how they are treated: vulnerable, to be kept by fixing the relationship.",
            "zh": "对产品满意、对所受的对待不满意：这是脆弱型客户，要靠改善客户关系来留住。",
        },
        why_not={
            "B": {"en": "Loyal customers are satisfied with both.", "zh": "忠诚型客户对两者都满意。"},
            "C": {
                "en": "Potential customers are satisfied with the relationship but not with the product.",
                "zh": "潜力型客户对客户关系满意，但对产品不满意。",
            },
            "D": {"en": "Negative customers are satisfied with neither.", "zh": "负面型客户对两者都不满意。"},
        },
    ),
    ShortAnswer(
        id="ch05.e5",
        heading={"en": "The three criteria of a segmentation", "zh": "客户细分的三个标准"},
        stem={
            "en": f"A segmentation is worth acting on only if it meets three criteria: {bi('differentiation')}, "
            f"{bi('profitability')} and {bi('feasibility')}. Explain each and how the chapter measured it on the clusters.",
            "zh": f"只有满足三个标准的细分才值得据以行动：{zh('differentiation')}、{zh('profitability')}和{zh('feasibility')}。请解释每个标准，以及本章如何在聚类结果上衡量它。",
        },
        answer_points=(
            {
                "en": "Differentiation: the segments differ in their characteristics or in how they respond to marketing; measured per variable by η², the share of its variance between segments (with F and its p-value), including variables not used to cluster and the response to a campaign.",
                "zh": "差异性：各细分群体在特征上或对营销的反应上有差别；按变量用 η² 衡量，即该变量的方差中位于细分群体之间的份额（附 F 值及其 p 值），包括没有用于聚类的变量和对营销活动的反应。",
            },
            {
                "en": "Profitability: what a segment earns exceeds the cost of serving it with its own programme; measured per segment as margin minus the cost to serve (orders, tickets, the programme).",
                "zh": "盈利性：一个细分群体带来的收益超过用专门方案服务它的成本；按细分群体计算毛利减去服务成本（订单、服务工单、方案成本）。",
            },
            {
                "en": "Feasibility: the firm can reach the segment and carry out the programme, and the segment is large enough; measured by segment size and the channels its customers use.",
                "zh": "可行性：企业能够接触到这个细分群体并实施方案，而且群体规模足够大；用群体规模和其客户使用的渠道衡量。",
            },
            {
                "en": "A segment failing one criterion is merged or not targeted; the criteria decide, not the clustering statistic.",
                "zh": "不满足某一标准的细分群体要合并，或者不作为目标；起决定作用的是这些标准，而不是聚类统计量。",
            },
        ),
    ),
    ShortAnswer(
        id="ch05.e6",
        heading={"en": "RFM on CDNOW", "zh": "CDNOW 上的 RFM"},
        stem={
            "en": "The chapter's RFM map of CDNOW has no New and no Promising customers, and the frequency quintiles split "
            "one-time buyers. Explain both findings and what they teach about applying RFM to a data set.",
            "zh": f"本章 CDNOW 的 RFM 分布图中没有{zh('new_customers')}和{zh('promising')}，而且频次的五分位点把只购买过一次的客户分开了。请解释这两个发现，以及它们对把 RFM 用于某个数据集有什么启示。",
        },
        answer_points=(
            {
                "en": "Everyone in CDNOW first bought in the first quarter of 1997, so by June 1998 no one-time buyer can be recent: New and Promising are empty.",
                "zh": "CDNOW 中的每位客户都是在 1997 年第一季度首次购买的，所以到 1998 年 6 月，只购买过一次的客户都不可能是最近购买的：新客户和有希望客户为空。",
            },
            {
                "en": "1,218 of 2,357 customers bought once, so the 20 % and 40 % cut points of frequency fall inside the one-time buyers; ranks split them by spend, not by frequency.",
                "zh": "2,357 位客户中有 1,218 位只购买过一次，所以频次的 20% 和 40% 分位点落在只购买过一次的客户之中；排名按消费金额而不是按频次把他们分开。",
            },
            {
                "en": "RFM cells depend on the data's design (a single acquisition cohort) and on ties; the cells must be read with that in mind.",
                "zh": "RFM 的格子取决于数据的设计（单一的获取同期群）和并列值；解读这些格子时必须考虑这一点。",
            },
            {
                "en": "RFM adds scores as substitutes; a heavy buyer who stopped long ago (chapter 04's iso-value curves) may be worth less than its score suggests.",
                "zh": "RFM 把各项评分相加，视为可以相互替代；一位很久以前停止购买的大量购买者（第04章的等价值曲线）的价值可能低于其评分所示。",
            },
        ),
    ),
    ShortAnswer(
        id="ch05.e7",
        heading={"en": "Choosing target customers", "zh": "选择目标客户"},
        stem={
            "en": "Using the chapter's segments, describe how a firm chooses its target customers and what it offers each of "
            "three segments: Champions, Can't lose them and Hibernating.",
            "zh": f"请用本章的细分结果，说明企业如何选择目标客户，以及为以下三个细分群体各提供什么：{zh('champions')}、{zh('cant_lose_them')}和{zh('hibernating')}。",
        },
        answer_points=(
            {
                "en": "Target customers are the segments whose value (now and future) justifies the cost of the programme, and that the firm can serve (the three criteria).",
                "zh": "目标客户是那些价值（现在和未来）足以抵偿方案成本、而且企业能够服务的细分群体（三个标准）。",
            },
            {
                "en": "Champions (12.8 % of buyers, 50.8 % of revenue): keep and develop them (recognition, early access, cross-selling), not discounts they do not need.",
                "zh": "重要价值客户（占购买者的 12.8%，收入的 50.8%）：保持并发展他们（认可、优先体验、交叉销售），而不是给他们并不需要的折扣。",
            },
            {
                "en": "Can't lose them (166 customers spending ¥20,030 each, gone quiet): the first call for a personal win-back offer.",
                "zh": "重要保持客户（166 位，人均消费 ¥20,030，已经沉寂）：首先对他们提出个性化的挽回优惠。",
            },
            {
                "en": "Hibernating: low-cost reactivation at most; spend little unless a test shows an incremental effect.",
                "zh": "休眠客户：至多做低成本的唤醒；除非试验表明有增量效果，否则少花钱。",
            },
            {
                "en": "A good answer checks the effect of each action (a control group), not only the segment's past value.",
                "zh": "好的回答会检验每项行动的效果（对照组），而不只看细分群体过去的价值。",
            },
        ),
    ),
    Computational(
        id="ch05.e8",
        heading={"en": "A segment on another day", "zh": "换一天看一个细分群体"},
        stem={
            "en": "Score the demo company's buyers by RFM on {end}: keep the orders placed up to that day, run "
            '`segmentation.rfm_scores(orders, date_col="order_date", amount_col="revenue", observation_end="{end}")` '
            "and name the segments with `segmentation.rfm_segments`. How many customers are in the segment {segment_name}?",
            "zh": '在 {end} 按 RFM 为演示公司的购买者评分：保留截至这一天的订单，运行 `segmentation.rfm_scores(orders, date_col="order_date", amount_col="revenue", observation_end="{end}")`，再用 `segmentation.rfm_segments` 为细分群体命名。“{segment_name}”中有多少位客户？',
        },
        draw=lambda rng: {
            **_pick(rng, _DEMO_SEGMENTS),
            "end": str(rng.choice(["2022-12-31", "2023-06-30", "2024-06-30"])),
        },
        solve=_count,
        method={
            "en": 'Count the rows of the segmented table (observation end {end}) whose `rfm_segment` is "{segment}".',
            "zh": '在细分结果表（观察截止日 {end}）中，统计 `rfm_segment` 为 "{segment}" 的行数。',
        },
        unit={"en": "customers", "zh": "位客户"},
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch05.e9",
        heading={"en": "A segment's share of revenue", "zh": "一个细分群体的收入份额"},
        stem={
            "en": "Segment the demo company's buyers by RFM at the end of 2024 (all orders, observation end 2024-12-31), "
            "as the chapter did. What percentage of the total spend does the segment {segment_name} hold?",
            "zh": "像本章一样，在 2024 年底按 RFM 为演示公司的购买者细分（全部订单，观察截止日 2024-12-31）。“{segment_name}”占总消费的百分之几？",
        },
        draw=lambda rng: _pick(rng, _SHARE_SEGMENTS),
        solve=_value_share,
        method={
            "en": '`segmentation.segment_summary(segments)`, row "{segment}", column `share_value`, times 100.',
            "zh": '`segmentation.segment_summary(segments)` 的 "{segment}" 行、`share_value` 列，乘以 100。',
        },
        unit={"en": "%", "zh": "{}%"},
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch05.e10",
        heading={"en": "The CDNOW map at an earlier date", "zh": "更早日期的 CDNOW 分布图"},
        stem={
            "en": "Score the CDNOW sample by RFM on {end}, using only the purchases up to that day "
            '(`segmentation.rfm_scores(..., date_col="date", amount_col="amount", observation_end="{end}", duplicates="keep")`, then '
            "`rfm_segments`). How many customers are in the segment {segment_name}?",
            "zh": '只用截至 {end} 的购买，在这一天按 RFM 为 CDNOW 样本评分（`segmentation.rfm_scores(..., date_col="date", amount_col="amount", observation_end="{end}", duplicates="keep")`，然后 `rfm_segments`）。“{segment_name}”中有多少位客户？',
        },
        draw=lambda rng: {
            **_pick(rng, _CDNOW_SEGMENTS),
            "end": str(rng.choice(["1997-09-30", "1997-12-31", "1998-03-31"])),
        },
        solve=_cdnow_count,
        method={
            "en": 'Count the rows whose `rfm_segment` is "{segment}" in the CDNOW map of {end}.',
            "zh": '在 {end} 的 CDNOW 分布图中，统计 `rfm_segment` 为 "{segment}" 的行数。',
        },
        unit={"en": "customers", "zh": "位客户"},
        decimals=0,
        tolerance=0,
        points=6,
    ),
]
