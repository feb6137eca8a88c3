"""Exam bank of chapter 04, customer value and customer lifetime value (客户价值与客户生命周期价值)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import models, value
from crmlib.datasets import CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, load_cdnow
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, zh
from crmlib.transactions import calibration_holdout_split


@cache
def _calibration() -> pd.DataFrame:
    return calibration_holdout_split(
        load_cdnow(sample=True), CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, duplicates="keep"
    )


@cache
def _bgnbd() -> models.BGNBD:
    data = _calibration()
    return models.BGNBD().fit(data["frequency"], data["recency"], data["T"])


@cache
def _gamma_gamma() -> models.GammaGamma:
    repeaters = _calibration()[_calibration()["frequency"] > 0]
    return models.GammaGamma().fit(repeaters["frequency"], repeaters["monetary"])


def _finite_clv(margin: int, retention: float, rate: int, periods: int) -> float:
    return value.retention_clv(margin, retention, rate / 100, periods=periods)


def _break_even(margin: int, retention: float, acquisition: int, rate: int) -> float:
    periods = np.arange(21)
    flows = pd.DataFrame(
        {
            "period": periods,
            "revenue": margin * retention**periods,
            "cost": 0.0,
            "acquisition_cost": np.where(periods == 0, float(acquisition), 0.0),
        }
    )
    return float(value.break_even_period(value.clv_table(flows, discount_rate=rate / 100)))


def _draw_break_even(rng) -> dict:
    """Parameters under which the customer pays back within 20 periods, but not at once."""
    while True:
        params = {
            "margin": int(rng.choice([60, 80, 100, 120])),
            "retention": float(rng.choice([0.75, 0.8, 0.85, 0.9])),
            "acquisition": int(rng.choice([200, 300, 400, 500])),
            "rate": int(rng.choice([5, 8, 10, 12])),
        }
        try:
            if _break_even(**params) >= 1:
                return params
        except TypeError:  # no break-even within 20 periods
            continue


def _expected_purchases(x: int, tx: int, weeks: int) -> float:
    return float(_bgnbd().expected_purchases(weeks, x, tx, 39.0))


def _p_alive(x: int, tx: int) -> float:
    return float(_bgnbd().p_alive(x, tx, 39.0))


def _expected_spend(x: int, mx: int) -> float:
    return float(_gamma_gamma().expected_spend(x, mx))


def _top_share(top: int) -> float:
    spend = load_cdnow(sample=True).groupby("customer_id")["amount"].sum()
    return float(100 * value.top_share(spend, top / 100))


QUESTIONS = [
    MultipleChoice(
        id="ch04.e1",
        heading={"en": "Which view of customer value", "zh": "哪一种客户价值"},
        stem={
            "en": "A bank computes, for each of its customers, the discounted margins it expects from them over the coming "
            "years. Which view of customer value is this?",
            "zh": "一家银行为每位客户计算未来几年预期从该客户身上获得的折现毛利。这是哪一种客户价值？",
        },
        options={
            "A": {
                "en": f"{bi('value_to_firm')}: what the customer is worth to the firm",
                "zh": f"{zh('value_to_firm')}：客户对企业值多少",
            },
            "B": {
                "en": f"{bi('value_to_customer')}: what the customer perceives she gets",
                "zh": f"{zh('value_to_customer')}：客户认为自己得到了多少",
            },
            "C": {
                "en": "both at once, because a profitable customer must be satisfied",
                "zh": "两者兼而有之，因为有利可图的客户一定是满意的",
            },
            "D": {
                "en": "neither: discounted margins measure the firm's costs",
                "zh": "两者都不是：折现毛利衡量的是企业的成本",
            },
        },
        correct="A",
        explanation={
            "en": "Discounted margins are the customer lifetime value, the value of the customer to the firm.",
            "zh": "折现毛利就是客户终身价值，即客户对企业的价值。",
        },
        why_not={
            "B": {
                "en": "Value to the customer is the customer's perceived benefits against her costs, judged by her, not the firm's margins.",
                "zh": "企业-客户价值是客户感知的利益与其成本之比，由客户自己评判，而不是企业的毛利。",
            },
            "C": {
                "en": "The two views are different quantities; mixing them is the commonest confusion of the topic. A profitable customer need not be satisfied (spurious loyalty).",
                "zh": "这两种价值是不同的量，混为一谈是这一主题中最常见的混淆。有利可图的客户不一定满意（虚假忠诚）。",
            },
            "D": {
                "en": "Margins are revenue minus cost of serving, not costs.",
                "zh": "毛利是收入减去服务成本，不是成本。",
            },
        },
    ),
    MultipleChoice(
        id="ch04.e2",
        heading={"en": "Two timing conventions", "zh": "两种计时约定"},
        stem={
            "en": "With margin m, retention r and discount rate i, the chapter's retention-based CLV with an infinite horizon "
            "is m(1 + i)/(1 + i - r); Gupta & Lehmann (2003) use m r/(1 + i - r). By how much do they differ?",
            "zh": "设毛利为 m、保留率为 r、折现率为 i，本章基于保留率的无限期 CLV 为 m(1 + i)/(1 + i - r)；Gupta 和 Lehmann（2003）使用 m r/(1 + i - r)。两者相差多少？",
        },
        options={
            "A": {"en": "by exactly one margin m", "zh": "恰好相差一期毛利 m"},
            "B": {"en": "by a factor (1 + i)", "zh": "相差一个因子 (1 + i)"},
            "C": {"en": "by a factor r", "zh": "相差一个因子 r"},
            "D": {"en": "not at all when i = r", "zh": "当 i = r 时完全没有差别"},
        },
        correct="A",
        explanation={
            "en": "m(1 + i - r)/(1 + i - r) = m: the chapter counts the margin of period 0 (certain, undiscounted); Gupta & Lehmann start one period later, and only if the customer stays.",
            "zh": "m(1 + i - r)/(1 + i - r) = m：本章计入第 0 期的毛利（确定的、不折现）；Gupta 和 Lehmann 从下一期开始，而且只在客户留下时才计入。",
        },
        why_not={
            "B": {
                "en": "The ratio of the numerators is (1 + i)/r, not (1 + i); the difference is what is constant.",
                "zh": "两个分子之比是 (1 + i)/r，而不是 (1 + i)；保持不变的是两者之差。",
            },
            "C": {
                "en": "A factor r would hold only if the chapter's numerator were m; it is m(1 + i).",
                "zh": "只有本章的分子是 m 时才会相差因子 r；而本章的分子是 m(1 + i)。",
            },
            "D": {
                "en": "The difference is m whatever i and r are.",
                "zh": "无论 i 和 r 取什么值，两者之差都是 m。",
            },
        },
    ),
    MultipleChoice(
        id="ch04.e3",
        heading={"en": "Personalized or customized", "zh": "个性化还是定制化"},
        stem={
            "en": f"Which of these is a {bi('customized_product')} rather than {bi('personalization')}?",
            "zh": f"下列哪一项是{zh('customized_product')}，而不是{zh('personalization')}？",
        },
        options={
            "A": {
                "en": "a laptop the customer configures to order on the maker's website",
                "zh": "客户在制造商网站上按需配置、下单定制的笔记本电脑",
            },
            "B": {
                "en": "a home page that shows products like those the customer bought before",
                "zh": "显示与客户以前购买过的产品相似的商品的主页",
            },
            "C": {
                "en": '"customers who bought this also bought" suggestions',
                "zh": "“购买了此商品的客户还购买了”推荐",
            },
            "D": {
                "en": "an e-mail with offers chosen from the customer's browsing history",
                "zh": "根据客户浏览记录挑选优惠内容的电子邮件",
            },
        },
        correct="A",
        explanation={
            "en": "In a customized product the customer states the need (her own specification); in personalization the firm infers it from her history.",
            "zh": "在定制化产品中，由客户说明需要（她自己的规格）；在个性化中，由企业根据客户的历史推断需要。",
        },
        why_not={
            "B": {
                "en": "The firm infers the interest from past purchases: personalization.",
                "zh": "企业根据过去的购买推断兴趣：这是个性化。",
            },
            "C": {
                "en": "Inferred from other customers' transactions: personalization.",
                "zh": "根据其他客户的交易推断：这是个性化。",
            },
            "D": {
                "en": "Inferred from browsing history: personalization.",
                "zh": "根据浏览记录推断：这是个性化。",
            },
        },
    ),
    MultipleChoice(
        id="ch04.e4",
        heading={"en": "What P(alive) means", "zh": "存活概率的含义"},
        stem={
            "en": f"The BG/NBD model gives a CDNOW customer a {bi('p_alive')} of 0.727 at the end of the calibration period. "
            "What does that number say?",
            "zh": f"BG/NBD 模型给出一位 CDNOW 客户在校准期结束时的{zh('p_alive')}为 0.727。这个数说明了什么？",
        },
        options={
            "A": {
                "en": "Given her purchase history, the probability that she has not yet dropped out for good is 0.727.",
                "zh": "根据她的购买历史，她尚未永久离开的概率为 0.727。",
            },
            "B": {
                "en": "She will buy in the next 39 weeks with probability 0.727.",
                "zh": "她在接下来 39 周内购买的概率为 0.727。",
            },
            "C": {
                "en": "72.7 % of her purchases were repeat purchases.",
                "zh": "她的购买中有 72.7% 是重复购买。",
            },
            "D": {
                "en": "She is expected to buy 0.727 times in the next 39 weeks.",
                "zh": "预计她在接下来 39 周内购买 0.727 次。",
            },
        },
        correct="A",
        explanation={
            "en": "P(alive) is about being still a customer; an alive customer may still not buy in a given period.",
            "zh": "存活概率说的是她是否仍然是客户；一位存活的客户在某一期间内也可能不购买。",
        },
        why_not={
            "B": {
                "en": "Being alive does not mean buying within 39 weeks; the share who bought is below the mean P(alive) (the chapter's check).",
                "zh": "存活不等于在 39 周内购买；实际购买者的比例低于平均存活概率（本章的检验）。",
            },
            "C": {
                "en": "It is a model probability, not a share of her purchases.",
                "zh": "它是模型给出的概率，而不是她的购买中的比例。",
            },
            "D": {
                "en": "Expected purchases are a separate prediction (1.226 for this customer in the chapter).",
                "zh": "预期购买次数是另一个预测（本章中这位客户为 1.226 次）。",
            },
        },
    ),
    MultipleChoice(
        id="ch04.e5",
        heading={"en": "More purchases, less value", "zh": "买得多，价值反而低"},
        stem={
            "en": f"On the chapter's {bi('iso_value_curve')} plot, customer A (12 repeat purchases, none since week 20) is worth "
            "less than customer C (2 repeat purchases, the last in week 36). Why?",
            "zh": f"在本章的{zh('iso_value_curve')}图上，客户 A（12 次重复购买，第 20 周以后再没有购买）的价值低于客户 C（2 次重复购买，最后一次在第 36 周）。为什么？",
        },
        options={
            "A": {
                "en": "A heavy buyer who has gone quiet has probably left; a light buyer who bought recently is probably still alive.",
                "zh": "一位已经沉寂的大量购买者很可能已经离开；一位最近购买过的少量购买者很可能仍然存活。",
            },
            "B": {
                "en": "The model caps the value of customers with more than ten purchases.",
                "zh": "模型为购买超过十次的客户的价值设了上限。",
            },
            "C": {"en": "Customer A spent less per transaction.", "zh": "客户 A 每笔交易花得更少。"},
            "D": {
                "en": "Customer C joined later, so her value is discounted less.",
                "zh": "客户 C 加入得更晚，所以她的价值折现得更少。",
            },
        },
        correct="A",
        explanation={
            "en": "For a customer whose last purchase was long ago, more past purchases make a long silence less likely to be chance, so P(alive) and value fall.",
            "zh": "对于最后一次购买已经很久的客户，过去购买越多，长时间的沉寂就越不可能出于偶然，因此存活概率和价值都会下降。",
        },
        why_not={
            "B": {
                "en": "There is no cap; value depends on frequency and recency jointly.",
                "zh": "没有上限；价值由频次和最近购买时间共同决定。",
            },
            "C": {
                "en": "The iso-value comparison holds spend per transaction fixed; the difference is in frequency and recency.",
                "zh": "等价值比较固定了每笔交易的金额；差别在于频次和最近购买时间。",
            },
            "D": {
                "en": "Every customer is valued at the same date; discounting does not explain it.",
                "zh": "所有客户都在同一日期估值；折现不能解释这一差别。",
            },
        },
    ),
    ShortAnswer(
        id="ch04.e6",
        heading={"en": "The five levers of customer value", "zh": "客户价值的五个杠杆"},
        stem={
            "en": "The chapter lists five levers that raise customer value, each at the strategic, tactical and operational "
            "level, and compares three of them by their effect on the CLV. Name the levers and explain why retention "
            "turned out to be the strongest one, and why that comparison is not the whole story.",
            "zh": "本章列出了提高客户价值的五个杠杆，每个杠杆都分战略、战术和操作三个层次，并按对 CLV 的影响比较了其中三个。请说出这五个杠杆，解释为什么保留率最终是最强的杠杆，以及为什么这种比较并不全面。",
        },
        answer_points=(
            {
                "en": "Levers: acquire new customers; raise the revenue of current customers; cut the cost of current customers; lengthen the lifecycle (retention, loyalty); cut the acquisition cost.",
                "zh": "杠杆：获取新客户；增加现有客户的收入；降低现有客户的成本；延长生命周期（保留、忠诚）；降低获取成本。",
            },
            {
                "en": "Retention multiplies every future margin (the probability r^t of being there), so a change in r moves all future terms at once.",
                "zh": "保留率作用于未来的每一期毛利（客户仍在的概率 r^t），因此 r 的变化会同时影响未来的所有项。",
            },
            {
                "en": "In the chapter: from CNY 125.0, +10 % margin adds 27.5, -10 % acquisition cost adds 15.0, +10 points retention adds 91.7.",
                "zh": "本章中：从 ¥125.0 出发，毛利提高 10% 增加 27.5，获取成本降低 10% 增加 15.0，保留率提高 10 个百分点增加 91.7。",
            },
            {
                "en": 'The comparison assumes "similar steps"; a fair comparison needs the cost of each step (is 10 points of retention as cheap as 10 % off acquisition?).',
                "zh": "这种比较假定各项是“相似的一步”；公平的比较需要考虑每一步的成本（把保留率提高 10 个百分点，是否和把获取成本降低 10% 一样便宜？）。",
            },
        ),
    ),
    ShortAnswer(
        id="ch04.e7",
        heading={"en": "Heterogeneity and one retention rate", "zh": "异质性与单一保留率"},
        stem={
            "en": 'A manager says: "our retention rate is 80 %, so a customer stays five years on average, and I value each '
            'customer with one retention rate". Explain what is wrong with that reasoning when customers differ, and '
            "what the error does to the value of the customer base.",
            "zh": "一位经理说：“我们的保留率是 80%，所以一位客户平均留五年，我用一个保留率为每位客户估值。”请解释在客户各不相同时这种推理错在哪里，以及这一错误对客户群价值有什么影响。",
        },
        answer_points=(
            {
                "en": "With heterogeneous customers the observed retention rate of a cohort rises over time: the churn-prone leave first.",
                "zh": "客户异质时，一个同期群观察到的保留率会随时间上升：容易流失的客户先离开。",
            },
            {
                "en": "One rate taken from the first year applies the early, low retention to the loyal survivors as well.",
                "zh": "用第一年得到的单一保留率，也会把早期较低的保留率套用到留下来的忠诚客户身上。",
            },
            {
                "en": "So the CLV of the base and the expected lifetime are underestimated (the sBG of chapter 03 gives a higher value).",
                "zh": "因此客户群的 CLV 和预期关系时长都被低估了（第03章的 sBG 模型给出更高的价值）。",
            },
            {
                "en": "The average lifetime 1/(1 - r) holds only if every customer has the same r; with a beta mix of churn probabilities the mean lifetime is longer (it may not even be finite).",
                "zh": "平均关系时长 1/(1 - r) 只在每位客户的 r 都相同时成立；流失概率服从贝塔分布时，平均关系时长更长（甚至可能不是有限的）。",
            },
        ),
    ),
    ShortAnswer(
        id="ch04.e8",
        heading={"en": "Honest validation", "zh": "诚实的验证"},
        stem={
            "en": "The BG/NBD and Pareto/NBD models fitted to CDNOW under-predicted the hold-out repeat purchases (1,882 "
            "actual; 1,664.1 and 1,742.6 predicted). Describe the four checks the chapter ran on the hold-out period "
            "and what a firm should conclude before planning on the models' forecasts.",
            "zh": "对 CDNOW 拟合的 BG/NBD 模型和 Pareto/NBD 模型都低估了验证期的重复购买（实际 1,882 次，预测分别为 1,664.1 次和 1,742.6 次）。请说明本章在验证期上做的四项检验，以及企业在依据这些模型的预测做计划之前应当得出什么结论。",
        },
        answer_points=(
            {
                "en": "Purchases week by week (and by month in the hold-out alone), not a cumulative curve that hides the hold-out under the fitted weeks.",
                "zh": "逐周的购买（以及只看验证期的逐月购买），而不是累计曲线，因为累计曲线会把验证期掩盖在拟合的那些周之下。",
            },
            {
                "en": "The mean hold-out purchases by calibration frequency: the errors are systematic by group (BG/NBD low for repeaters, Pareto/NBD low for non-repeaters).",
                "zh": "按校准期频次分组的验证期平均购买次数：误差按组呈系统性（BG/NBD 对重复购买者预测偏低，Pareto/NBD 对未重复购买者预测偏低）。",
            },
            {
                "en": "Each customer's own prediction (mean absolute error), compared with a naive rule (x/T), which overshoots because it forgets customers leave.",
                "zh": "每位客户自己的预测（平均绝对误差），并与一个简单规则（x/T）相比较；简单规则会高估，因为它忽略了客户会离开。",
            },
            {
                "en": "P(alive) against the share who bought in the hold-out, by groups of P(alive).",
                "zh": "按存活概率分组，比较存活概率与验证期实际购买者的比例。",
            },
            {
                "en": "Conclusion: the models beat the naive rule but miss holidays and promotions (Nov-Dec 1997, March 1998); forecasts are likely too low, so plan with a margin and re-check.",
                "zh": "结论：模型胜过简单规则，但没有预测到节假日和促销（1997年11—12月、1998年3月）；预测很可能偏低，因此做计划时要留有余地并重新检验。",
            },
        ),
    ),
    Computational(
        id="ch04.e9",
        heading={"en": "A retention-based CLV over a finite horizon", "zh": "有限期内基于保留率的 CLV"},
        stem={
            "en": "A customer brings a margin of CNY {margin} a year, paid from year 0 on (year 0 certain), and is retained "
            "from one year to the next with probability {retention}. With a discount rate of {rate} % a year and a "
            "horizon of years 0 to {periods}, what is her CLV?",
            "zh": "一位客户每年带来 ¥{margin} 的毛利，从第 0 年开始支付（第 0 年是确定的），每年以 {retention} 的概率保留到下一年。折现率为每年 {rate}%，期限为第 0 年到第 {periods} 年，她的 CLV 是多少？",
        },
        draw=lambda rng: {
            "margin": int(rng.choice([80, 100, 150, 200, 250])),
            "retention": float(rng.choice([0.6, 0.7, 0.75, 0.8, 0.85, 0.9])),
            "rate": int(rng.choice([5, 8, 10, 12, 15])),
            "periods": int(rng.choice([3, 5, 8, 10])),
        },
        solve=_finite_clv,
        method={
            "en": "CLV = Σ_(t=0..{periods}) m r^t/(1 + i)^t with m = {margin}, r = {retention}, i = {rate} % (`value.retention_clv(m, r, i, periods={periods})`).",
            "zh": "CLV = Σ_(t=0..{periods}) m r^t/(1 + i)^t，其中 m = {margin}，r = {retention}，i = {rate}%（`value.retention_clv(m, r, i, periods={periods})`）。",
        },
        unit={"en": "CNY", "zh": "¥{}"},
        decimals=2,
        tolerance=0.05,
        points=6,
    ),
    Computational(
        id="ch04.e10",
        heading={"en": "The break-even period", "zh": "盈亏平衡期"},
        stem={
            "en": "Winning a customer costs CNY {acquisition} in period 0. She brings an expected margin of CNY {margin} × "
            "{retention}^t in period t (t = 0, 1, 2, ...). With a discount rate of {rate} % per period, in which period "
            "does the cumulative discounted margin, net of the acquisition cost, first reach zero or more?",
            "zh": "在第 0 期赢得一位客户的成本为 ¥{acquisition}。她在第 t 期（t = 0, 1, 2, ...）带来的预期毛利为 ¥{margin} × {retention}^t。折现率为每期 {rate}%，在哪一期累计折现毛利扣除获取成本后首次达到零或以上？",
        },
        draw=_draw_break_even,
        solve=_break_even,
        method={
            "en": "Build the CLV table (`value.clv_table`) of revenue m r^t, acquisition cost {acquisition} at t = 0, rate {rate} %; the break-even period is the first with cumulative ≥ 0 (`value.break_even_period`).",
            "zh": "构建 CLV 表（`value.clv_table`）：收入为 m r^t，第 0 期的获取成本为 {acquisition}，折现率为 {rate}%；盈亏平衡期是累计值首次 ≥ 0 的那一期（`value.break_even_period`）。",
        },
        unit="",
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch04.e11",
        heading={"en": "Expected purchases of a described customer", "zh": "一位给定客户的预期购买次数"},
        stem={
            "en": "Fit the BG/NBD model to the calibration period of the CDNOW sample (weeks up to 1997-09-30, "
            "`crmlib.calibration_holdout_split`, duplicates kept, as in the chapter). A customer made her first purchase "
            "at the start of the 39 calibration weeks (T = 39), made {x} repeat purchases, the last in week {tx}. How "
            "many purchases do you expect from her in the next {weeks} weeks?",
            "zh": "对 CDNOW 样本的校准期（截至 1997-09-30 的各周，`crmlib.calibration_holdout_split`，与本章一样保留重复行）拟合 BG/NBD 模型。一位客户在 39 周校准期开始时首次购买（T = 39），有 {x} 次重复购买，最后一次在第 {tx} 周。预计她在接下来 {weeks} 周内购买多少次？",
        },
        draw=lambda rng: {
            "x": int(rng.integers(1, 11)),
            "tx": int(rng.integers(5, 39)),
            "weeks": int(rng.choice([13, 26, 39, 52])),
        },
        solve=_expected_purchases,
        method={
            "en": "`models.BGNBD().fit(...)`, then `expected_purchases({weeks}, {x}, {tx}, 39)`.",
            "zh": "`models.BGNBD().fit(...)`，然后 `expected_purchases({weeks}, {x}, {tx}, 39)`。",
        },
        unit={"en": "purchases", "zh": "次"},
        decimals=3,
        tolerance=0.005,
        points=8,
    ),
    Computational(
        id="ch04.e12",
        heading={"en": "P(alive) of a described customer", "zh": "一位给定客户的存活概率"},
        stem={
            "en": "With the same BG/NBD model, what is the probability that a customer with {x} repeat purchases, the last in "
            "week {tx} of the 39 calibration weeks (T = 39), is still alive at the end of the calibration period?",
            "zh": "用同一个 BG/NBD 模型，一位有 {x} 次重复购买、最后一次在 39 周校准期的第 {tx} 周（T = 39）的客户，在校准期结束时仍然存活的概率是多少？",
        },
        draw=lambda rng: {"x": int(rng.integers(1, 13)), "tx": int(rng.integers(3, 39))},
        solve=_p_alive,
        method={
            "en": "`BGNBD.p_alive({x}, {tx}, 39)` on the model fitted to the calibration period.",
            "zh": "在校准期拟合的模型上计算 `BGNBD.p_alive({x}, {tx}, 39)`。",
        },
        decimals=4,
        tolerance=0.0005,
        points=6,
    ),
    Computational(
        id="ch04.e13",
        heading={"en": "Shrinking an average spend", "zh": "收缩平均消费"},
        stem={
            "en": "Fit the gamma-gamma model to the CDNOW customers with at least one repeat purchase in the calibration "
            "period (their frequency and mean repeat spend). A customer made {x} repeat purchases averaging US${mx}. "
            "What spend per transaction does the model expect from her?",
            "zh": "对校准期内至少有一次重复购买的 CDNOW 客户（他们的频次和重复购买的平均金额）拟合伽马-伽马模型。一位客户有 {x} 次重复购买，平均每次 {mx} 美元。模型预期她每笔交易花多少钱？",
        },
        draw=lambda rng: {
            "x": int(rng.choice([1, 2, 3, 5, 8])),
            "mx": int(rng.choice([15, 25, 50, 80, 120, 200])),
        },
        solve=_expected_spend,
        method={
            "en": "`models.GammaGamma().fit(frequency, monetary).expected_spend({x}, {mx})`: a weighted mean of her own average and the population mean.",
            "zh": "`models.GammaGamma().fit(frequency, monetary).expected_spend({x}, {mx})`：她自己的平均值与总体平均值的加权平均。",
        },
        unit={"en": "US$", "zh": "{} 美元"},
        decimals=2,
        tolerance=0.05,
        points=6,
    ),
    Computational(
        id="ch04.e14",
        heading={"en": "Concentration of CDNOW spend", "zh": "CDNOW 消费的集中度"},
        stem={
            "en": "Add up each CDNOW sample customer's spend over the whole data (78 weeks). What percentage of the total do "
            "the top {top} % of customers hold?",
            "zh": "把 CDNOW 样本中每位客户在整个数据期间（78 周）的消费加总。消费最多的前 {top}% 的客户占总消费的百分之几？",
        },
        draw=lambda rng: {"top": int(rng.choice([1, 5, 10, 25, 30, 50]))},
        solve=_top_share,
        method={
            "en": "Total spend per customer, then `value.top_share(spend, {top}/100)` (the share held by the largest {top} %), times 100.",
            "zh": "先求每位客户的总消费，再用 `value.top_share(spend, {top}/100)`（消费最多的 {top}% 客户所占的份额），乘以 100。",
        },
        unit={"en": "%", "zh": "{}%"},
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
]
