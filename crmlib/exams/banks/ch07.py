"""Exam bank of chapter 07, winning, converting and keeping customers online (争取、转变与维系客户)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import funnel
from crmlib.datasets import load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, both, zh

_CHANNELS = ["search", "social", "email", "display", "referral"]
_STAGES = {
    "browser": {"en": "browse (visitor to browser)", "zh": "浏览（从访客到浏览者）"},
    "shopper": {"en": "fill a cart (browser to shopper)", "zh": "加入购物车（从浏览者到加购者）"},
    "buyer": {"en": "buy (shopper to buyer)", "zh": "购买（从加购者到购买者）"},
}
_CAMPAIGNS = ["double11_2024", "618_2024", "year_end_2024", "cny_2024", "display_brand_2024"]


@cache
def _sessions() -> pd.DataFrame:
    return funnel.session_funnel(load_demo("web_events"))


def _step(channel: str, stage: str, stage_name: str) -> float:
    table = funnel.funnel_table(_sessions(), by="channel")
    return float(100 * table.loc[(channel, stage), "conversion"])


def _buyer_gap(first: str, second: str) -> float:
    table = funnel.funnel_table(_sessions(), by="campaign", base="visitor")
    return float(
        100 * (table.loc[(first, "buyer"), "conversion"] - table.loc[(second, "buyer"), "conversion"])
    )


def _sample_size(baseline: float, lift: float, power: float) -> int:
    return funnel.sample_size(baseline, lift, power=power)


QUESTIONS = [
    MultipleChoice(
        id="ch07.e1",
        heading={"en": "Implicit relationship investment", "zh": "隐性关系投资"},
        stem={
            "en": "A customer's saved address book, her order history and a site she knows by heart keep her with an online "
            "shop even when a rival is slightly cheaper. Which force of the online relationship is this?",
            "zh": "客户保存的地址簿、她的订单历史和一个她已经熟门熟路的网站，使她即使在竞争对手稍微便宜一些时也留在一家网店。这是网上客户关系中的哪一种力量？",
        },
        options={
            "A": both("implicit_relationship_investment"),
            "B": both("direct_relationship_investment"),
            "C": {"en": "satisfaction with other brands", "zh": "对其他品牌的满意"},
            "D": both("online_trust"),
        },
        correct="A",
        explanation={
            "en": "What the customer has invested without paying for it makes leaving costlier: implicit relationship investment.",
            "zh": "客户没有花钱、却已经投入的东西使离开的代价更高：这是隐性关系投资。",
        },
        why_not={
            "B": {
                "en": "Direct relationship investment is what the customer pays for (a membership fee, for instance).",
                "zh": "直接关系投资是客户花钱购买的东西（例如会员费）。",
            },
            "C": {
                "en": "Satisfaction with other brands pulls the relationship away; here she stays.",
                "zh": "对其他品牌的满意会把客户拉走；而这里她留了下来。",
            },
            "D": {
                "en": "Trust is the customer's belief that the firm is able, honest and well-meaning; the saved data are a switching cost.",
                "zh": "信任是客户相信企业有能力、诚实且怀有善意；保存的数据是一种转换成本。",
            },
        },
    ),
    MultipleChoice(
        id="ch07.e2",
        heading={"en": "The yardstick of a channel", "zh": "衡量渠道的尺度"},
        stem={
            "en": "Display signups cost the demo company less than search signups (140.2 against 161.6 yuan), yet each "
            "retained display buyer costs more (238.1 against 221.9). Which yardstick should the firm use to compare "
            "acquisition channels?",
            "zh": "对演示公司来说，展示广告带来的注册比搜索广告带来的注册便宜（¥140.2 对 ¥161.6），但展示广告带来的每位回头客却更贵（¥238.1 对 ¥221.9）。企业应当用哪种尺度比较客户获取渠道？",
        },
        options={
            "A": {"en": f"the {bi('cost_per_retained_buyer')}", "zh": zh("cost_per_retained_buyer")},
            "B": {"en": f"the {bi('cost_per_signup')}", "zh": zh("cost_per_signup")},
            "C": {"en": "the number of sessions each channel brings", "zh": "每个渠道带来的访问次数"},
            "D": {"en": "the channel's share of all visitors", "zh": "渠道在全部访客中所占的份额"},
        },
        correct="A",
        explanation={
            "en": "A strategy is good if it brings visitors who become lasting buyers, for the money it costs; cost per signup ignores what the signups do.",
            "zh": "一种策略好不好，要看它按所花的钱带来了多少成为长期购买者的访客；每位注册客户成本忽略了注册者之后的行为。",
        },
        why_not={
            "B": {
                "en": "Cost per signup is the wrong yardstick: cheap signups who never buy or stay are not cheap customers.",
                "zh": "每位注册客户成本是错误的尺度：从不购买或不留下的廉价注册者并不是廉价的客户。",
            },
            "C": {
                "en": "Sessions say nothing about buying or about cost.",
                "zh": "访问次数既不说明购买，也不说明成本。",
            },
            "D": {
                "en": "Display brings many visitors but few of them buy (0.7 % of display visitors bought).",
                "zh": "展示广告带来很多访客，但其中购买的很少（展示广告访客中只有 0.7% 购买）。",
            },
        },
    ),
    MultipleChoice(
        id="ch07.e3",
        heading={"en": "Data leakage in a churn model", "zh": "流失模型中的数据泄漏"},
        stem={
            "en": f"A {bi('churn_model')} is trained on features measured on 2023-12-31 and labels (no order in the next 180 "
            "days) from the following months. Which feature would be a data leak?",
            "zh": f"一个{zh('churn_model')}用在 2023-12-31 测得的特征和之后几个月的标签（此后 180 天内没有订单）来训练。哪个特征会造成数据泄漏？",
        },
        options={
            "A": {
                "en": "the number of orders the customer placed in the first quarter of 2024",
                "zh": "客户在 2024 年第一季度下的订单数",
            },
            "B": {
                "en": "the days since the customer's last order on 2023-12-31",
                "zh": "截至 2023-12-31 距客户上次订单的天数",
            },
            "C": {
                "en": "the customer's number of service tickets up to 2023-12-31",
                "zh": "客户截至 2023-12-31 的服务工单数",
            },
            "D": {"en": "the customer's signup channel", "zh": "客户的注册渠道"},
        },
        correct="A",
        explanation={
            "en": "Orders after the cut-off date are part of what the label measures; a model that sees them is scored on information it will not have when it is used.",
            "zh": "截止日之后的订单属于标签所衡量的内容；看到它们的模型是在使用时并不具备的信息上得到评分的。",
        },
        why_not={
            "B": {
                "en": "Recency on the cut-off date is known at that date: a legitimate feature.",
                "zh": "截止日的最近购买时间在那一天是已知的：这是合理的特征。",
            },
            "C": {
                "en": "Tickets up to the cut-off are known then.",
                "zh": "截至截止日的服务工单在那时是已知的。",
            },
            "D": {"en": "The signup channel is known from the start.", "zh": "注册渠道从一开始就是已知的。"},
        },
    ),
    MultipleChoice(
        id="ch07.e4",
        heading={"en": "Whom a retention campaign should contact", "zh": "客户保留活动应当联系谁"},
        stem={
            "en": "A retention campaign has a coupon to offer. Which customers does the chapter's "
            f"{bi('expected_value_of_contact')} say to contact?",
            "zh": f"一项客户保留活动有一张优惠券可以发放。按本章的{zh('expected_value_of_contact')}，应当联系哪些客户？",
        },
        options={
            "A": {
                "en": "those for whom the expected gain from the coupon's effect on their staying exceeds the cost of the contact and the coupon",
                "zh": "优惠券对其留下所起作用带来的预期收益超过联系成本和优惠券成本的客户",
            },
            "B": {
                "en": "those with the highest churn probability, whatever the coupon does for them",
                "zh": "流失概率最高的客户，不管优惠券对他们有没有作用",
            },
            "C": {
                "en": "every customer, because a coupon never hurts",
                "zh": "所有客户，因为优惠券从来没有坏处",
            },
            "D": {
                "en": "those with the lowest churn probability, because they are the most valuable",
                "zh": "流失概率最低的客户，因为他们最有价值",
            },
        },
        correct="A",
        explanation={
            "en": "What pays is the incremental effect (uplift) times the value kept, against the cost; a high risk alone does not mean the coupon changes anything.",
            "zh": "划算的是增量效果（提升）乘以保住的价值，再与成本相比；仅仅风险高并不意味着优惠券能改变什么。",
        },
        why_not={
            "B": {
                "en": "A customer sure to leave (or sure to stay) may not react to the coupon; contacting her costs without gain.",
                "zh": "一位肯定会离开（或肯定会留下）的客户可能对优惠券没有反应；联系她只有成本没有收益。",
            },
            "C": {
                "en": "Coupons cost money, and are wasted on customers who would have bought anyway.",
                "zh": "优惠券要花钱，发给本来就会购买的客户就浪费了。",
            },
            "D": {
                "en": "Low-risk customers would mostly stay without the coupon.",
                "zh": "低风险客户即使没有优惠券，大多也会留下。",
            },
        },
    ),
    ShortAnswer(
        id="ch07.e5",
        heading={"en": "The funnel as a management tool", "zh": "作为管理工具的漏斗"},
        stem={
            "en": f"Describe the {bi('funnel_model')} of the chapter (its stages and the {bi('conversion_rate')} of a step), "
            "say where the demo company loses most people, and explain why a funnel should be split by channel and campaign.",
            "zh": f"请描述本章的{zh('funnel_model')}（它的各个阶段和每一步的{zh('conversion_rate')}），说明演示公司在哪里流失的人最多，并解释为什么应当按渠道和营销活动拆分漏斗。",
        },
        answer_points=(
            {
                "en": "Stages: visitor, browser, shopper (cart), buyer, retained buyer (buys again within 30 days); conversion of step k = n_k / n_(k-1).",
                "zh": "阶段：访客、浏览者、加购者（购物车）、购买者、回头客（30 天内再次购买）；第 k 步的转化率 = n_k / n_(k-1)。",
            },
            {
                "en": "Biggest losses at the first two steps: 48.7 % of sessions browsed, 25.7 % of browsers filled a cart.",
                "zh": "最大的流失发生在前两步：48.7% 的访问进入浏览，25.7% 的浏览者把商品加入购物车。",
            },
            {
                "en": "Intervals (Wilson) show the counts are large enough that the shape is not chance.",
                "zh": "区间（Wilson 区间）表明人数足够多，漏斗的形状不是偶然。",
            },
            {
                "en": "Split by channel/campaign: channels differ most at the first steps (73.7 % of e-mail visitors browse against 27.2 % of display visitors), so totals hide where to act.",
                "zh": "按渠道和营销活动拆分：各渠道在前几步差别最大（电子邮件访客中 73.7% 进入浏览，展示广告访客中只有 27.2%），所以总数掩盖了应当在哪里采取行动。",
            },
            {
                "en": "Judge channels by what each step costs and by retained buyers, not by visits alone.",
                "zh": "按每一步的成本和回头客评判渠道，而不只看访问量。",
            },
        ),
    ),
    ShortAnswer(
        id="ch07.e6",
        heading={"en": "An A/B comparison done properly", "zh": "正确地做 A/B 比较"},
        stem={
            "en": f"Two e-mail campaigns are compared in an {bi('ab_test')}. Explain what makes the comparison fair, how the "
            f"difference in conversion is judged, and what {bi('statistical_power')} means for planning the next test.",
            "zh": f"在一次{zh('ab_test')}中比较两项电子邮件营销活动。请解释怎样使比较公平、如何判断转化率的差异，以及{zh('statistical_power')}对规划下一次测试意味着什么。",
        },
        answer_points=(
            {
                "en": "Fair: the groups differ only in the campaign (random assignment, same period, same audience); otherwise the difference may come from the audience or the season.",
                "zh": "公平：两组只在营销活动上不同（随机分配、同一时期、同一受众）；否则差异可能来自受众或季节。",
            },
            {
                "en": "The difference of two conversion rates with an interval (e.g. Newcombe) or a test; an interval excluding 0 says more than chance.",
                "zh": "两个转化率之差要附上区间（例如 Newcombe 区间）或做检验；不包含 0 的区间说明差异超出了偶然性。",
            },
            {
                "en": "Power: the chance to detect a true difference of a given size; it grows with the sample size per group.",
                "zh": "功效：检测出一定大小的真实差异的概率；它随每组样本量增加而提高。",
            },
            {
                "en": "Planning: choose the smallest lift worth detecting and compute the sessions needed per group before the test (not stopping when the result looks good).",
                "zh": "规划：在测试之前选定值得检测的最小提升，并算出每组需要的访问次数（而不是在结果看起来不错时就停止）。",
            },
        ),
    ),
    ShortAnswer(
        id="ch07.e7",
        heading={"en": "Online CRM in three phases", "zh": "网上 CRM 的三个阶段"},
        stem={
            "en": f"An online-marketing course splits the online relationship into {bi('winning_customers')}, "
            f"{bi('converting_customers')} and {bi('keeping_customers')}. For each task, say what it aims at and which "
            "measurement of the chapter shows how well the firm does it.",
            "zh": f"一门网络营销课程把网上客户关系分为{zh('winning_customers')}、{zh('converting_customers')}和{zh('keeping_customers')}。请说明每项任务的目标，以及本章的哪种测量能说明企业做得怎样。",
        },
        answer_points=(
            {
                "en": "Winning: offer more value and satisfaction than competitors and good word of mouth, with expectations the firm can meet; measured by visitors and signups per channel and their cost.",
                "zh": "争取客户：提供比竞争对手更多的价值和满意，形成良好的口碑，并给出企业能够兑现的期望；用各渠道的访客数、注册数及其成本衡量。",
            },
            {
                "en": "Converting: turn visitors into buyers (site quality, trust, a satisfying interaction); measured by the funnel's step conversions.",
                "zh": "转变客户：把访客变成购买者（网站质量、信任、令人满意的互动）；用漏斗各步的转化率衡量。",
            },
            {
                "en": "Keeping: make buyers come back and stay (service, one-to-one marketing, community); measured by retained buyers, churn models and retention campaigns.",
                "zh": "维系客户：让购买者回来并留下（服务、一对一营销、社区）；用回头客、流失风险模型和客户保留活动衡量。",
            },
            {
                "en": "Trust runs through all three: firm image brings the visit, site quality the cart, a satisfying interaction the purchase and the next one.",
                "zh": "信任贯穿三个阶段：企业形象带来访问，网站质量带来加购，令人满意的互动带来这一次和下一次购买。",
            },
        ),
    ),
    Computational(
        id="ch07.e8",
        heading={"en": "One step of one channel's funnel", "zh": "某个渠道漏斗中的一步"},
        stem={
            "en": 'Build the session funnel of the demo company\'s web events (`funnel.session_funnel(crmlib.load_demo("web_events"))`) '
            'and split it by channel with `funnel.funnel_table(..., by="channel")`. What percentage of the {channel} '
            "sessions at the previous stage went on to {stage_name}?",
            "zh": '用演示公司的网站事件构建访问漏斗（`funnel.session_funnel(crmlib.load_demo("web_events"))`），再用 `funnel.funnel_table(..., by="channel")` 按渠道拆分。{channel} 渠道处于上一阶段的访问中，有百分之几进入了下一步：{stage_name}？',
        },
        draw=lambda rng: (
            lambda stage: {
                "channel": str(rng.choice(_CHANNELS)),
                "stage": stage,
                "stage_name": _STAGES[stage],
            }
        )(str(rng.choice(list(_STAGES)))),
        solve=_step,
        method={
            "en": "Row ({channel}, {stage}) of the funnel table, column `conversion` (n_{stage} / n_previous), times 100.",
            "zh": "漏斗表的 ({channel}, {stage}) 行、`conversion` 列（n_{stage} / n_上一阶段），乘以 100。",
        },
        unit={"en": "%", "zh": "{}%"},
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch07.e9",
        heading={"en": "How many sessions a test needs", "zh": "一次测试需要多少次访问"},
        stem={
            "en": "A campaign converts {baseline} of its sessions. How many sessions per group would an A/B test need to detect "
            "a difference of {lift} (absolute) with power {power} at the 5 % level (two-sided)?",
            "zh": "一项营销活动的访问转化率为 {baseline}。要在 5% 的显著性水平（双侧）下以 {power} 的功效检测出 {lift}（绝对值）的差异，A/B 测试每组需要多少次访问？",
        },
        draw=lambda rng: {
            "baseline": float(rng.choice([0.02, 0.04, 0.05, 0.08, 0.1, 0.15])),
            "lift": float(rng.choice([0.01, 0.015, 0.02, 0.03])),
            "power": float(rng.choice([0.8, 0.9])),
        },
        solve=_sample_size,
        method={
            "en": "`funnel.sample_size({baseline}, {lift}, power={power})`; roughly n = (z_0.975 + z_power)^2 (p_1 q_1 + p_2 q_2) / lift^2.",
            "zh": "`funnel.sample_size({baseline}, {lift}, power={power})`；大约为 n = (z_0.975 + z_power)^2 (p_1 q_1 + p_2 q_2) / lift^2。",
        },
        unit={"en": "sessions per group", "zh": "次访问（每组）"},
        decimals=0,
        tolerance=0.5,
        points=6,
    ),
    Computational(
        id="ch07.e10",
        heading={"en": "Two campaigns' buyers compared", "zh": "比较两项营销活动的购买者"},
        stem={
            "en": 'Split the session funnel by campaign with `funnel.funnel_table(..., by="campaign", base="visitor")`. '
            "By how many percentage points does the share of visitors who bought differ between {first} and {second} "
            "(the first minus the second)?",
            "zh": '用 `funnel.funnel_table(..., by="campaign", base="visitor")` 按营销活动拆分访问漏斗。{first} 与 {second} 的访客中购买者的比例相差多少个百分点（前者减去后者）？',
        },
        draw=lambda rng: dict(
            zip(("first", "second"), (str(c) for c in rng.choice(_CAMPAIGNS, 2, replace=False)), strict=True)
        ),
        solve=_buyer_gap,
        method={
            "en": "Rows ({first}, buyer) and ({second}, buyer), column `conversion` (buyers / visitors); the difference times 100.",
            "zh": "({first}, buyer) 行和 ({second}, buyer) 行的 `conversion` 列（购买者 / 访客）；两者之差乘以 100。",
        },
        unit={"en": "percentage points", "zh": "{} 个百分点"},
        decimals=2,
        tolerance=0.01,
        points=6,
    ),
]
