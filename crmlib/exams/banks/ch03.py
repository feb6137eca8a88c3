"""Exam bank of chapter 03, customer classification and the customer lifecycle (客户分类与客户生命周期)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import lifecycle, retention
from crmlib.datasets import load_demo, load_sbg_retention
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, both, zh
from crmlib.models import ShiftedBetaGeometric

_SEGMENTS = {"regular": {"en": "regular", "zh": "普通客户"}, "high_end": {"en": "high-end", "zh": "高端客户"}}


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


@cache
def _sbg(segment: str, years: int) -> ShiftedBetaGeometric:
    return ShiftedBetaGeometric().fit(load_sbg_retention()[segment][: years + 1])


def _stage_count(stage: str, as_of: str) -> int:
    stages = lifecycle.lifecycle_stages(_orders(), load_demo("customers"), as_of=as_of)
    return int((stages["stage"] == stage).sum())


def _cohort_share(cohort: str, month: int) -> float:
    table = lifecycle.cohort_table(_orders(), date_col="order_date")
    return float(100 * table.loc[pd.Period(cohort, "M"), month])


def _survival(days: int) -> float:
    durations = lifecycle.relationship_durations(_orders(), date_col="order_date")
    return float(100 * lifecycle.survival_table(durations, [days])["all"].iloc[0])


def _sbg_retention(segment: str, segment_name: str, years: int, year: int) -> float:
    return float(_sbg(segment, years).retention_rate(year))


def _projection_gap(segment: str, segment_name: str, years: int) -> float:
    active = load_sbg_retention()[segment][: years + 1].to_numpy()
    naive = retention.naive_projection(active, 12, kind="exponential")[12]
    return float(1000 * _sbg(segment, years).survival(12) - naive)


def _draw_sbg(rng) -> dict:
    segment = str(rng.choice(list(_SEGMENTS)))
    return {"segment": segment, "segment_name": _SEGMENTS[segment], "years": int(rng.integers(3, 8))}


QUESTIONS = [
    MultipleChoice(
        id="ch03.e1",
        heading={"en": "Classifying a customer by position", "zh": "按所处位置划分客户"},
        stem={
            "en": "A supermarket chain buys a brand's biscuits and sells them on to shoppers. From the brand's point of view, "
            "which kind of customer is the chain?",
            "zh": "一家连锁超市购进某品牌的饼干，再卖给购物者。从这个品牌的角度看，这家连锁超市是哪一类客户？",
        },
        options={
            "A": both("intermediate_customer"),
            "B": both("internal_customer"),
            "C": both("external_customer"),
            "D": both("potential_customer"),
        },
        correct="A",
        explanation={
            "en": "A wholesaler or retailer that passes the product on is an intermediate customer.",
            "zh": "把产品转卖出去的批发商或零售商是中间客户。",
        },
        why_not={
            "B": {
                "en": "An internal customer is a department or colleague inside the firm who receives its work.",
                "zh": "内部客户是企业内部接收其工作成果的部门或同事。",
            },
            "C": {
                "en": "An external customer buys or uses the product itself; the chain resells it.",
                "zh": "外部客户自己购买或使用产品；这家连锁超市是把产品转卖出去。",
            },
            "D": {
                "en": "A potential customer could buy but has not; the chain buys now (it is an actual customer as well).",
                "zh": "潜在客户是可能购买但尚未购买的人；这家连锁超市现在就在购买（它也是现实客户）。",
            },
        },
    ),
    MultipleChoice(
        id="ch03.e2",
        heading={"en": "The stage with the strongest relationship", "zh": "关系最强的阶段"},
        stem={
            "en": f"In the {bi('customer_lifecycle')}, in which stage is the {bi('relationship_strength')} at its highest "
            "and steady?",
            "zh": f"在{zh('customer_lifecycle')}中，哪个阶段的{zh('relationship_strength')}最高并保持稳定？",
        },
        options={
            "A": both("stage_loyalty"),
            "B": both("stage_familiarity"),
            "C": both("stage_exploration"),
            "D": both("stage_separation"),
        },
        correct="A",
        explanation={
            "en": "Loyalty is the long, steady relationship at its highest level; the demo company's mean revenue per customer peaks there.",
            "zh": "忠诚阶段是关系处于最高水平、长期稳定的阶段；演示公司每位客户的平均收入在这一阶段达到最高。",
        },
        why_not={
            "B": {
                "en": "In familiarity the relationship grows fast (repeat purchases, trust) but has not yet reached its highest level.",
                "zh": "在熟悉阶段，关系增长很快（重复购买、信任），但还没有达到最高水平。",
            },
            "C": {
                "en": "Exploration is the stage of first, trial purchases, in which the relationship grows slowly.",
                "zh": "探索阶段是初次购买、试用的阶段，关系增长缓慢。",
            },
            "D": {
                "en": "In separation purchases thin out and the relationship weakens.",
                "zh": "在分离阶段，购买变得稀少，关系减弱。",
            },
        },
    ),
    MultipleChoice(
        id="ch03.e3",
        heading={"en": "Why the first cohort row is suspect", "zh": "为什么第一个同期群的数据可疑"},
        stem={
            "en": "In the demo company's cohort retention table, 45 % of the January 2022 cohort bought again in the month "
            "after their first purchase, against 22-39 % for the cohorts of February to June 2022. Why should the "
            "first row not be compared with the others?",
            "zh": "在演示公司的同期群保留表中，2022年1月同期群有 45% 的客户在首次购买的次月再次购买，而 2022年2月至6月的同期群只有 22%—39%。为什么不应该把第一行与其他行相比较？",
        },
        options={
            "A": {
                "en": "January 2022 is the first month of the data, so its cohort also holds long-standing customers whose earlier purchases are not in the data (left truncation).",
                "zh": "2022年1月是数据的第一个月，所以这个同期群还包含一些老客户，他们更早的购买不在数据中（左截断）。",
            },
            "B": {
                "en": "January holds the Chinese New Year, when customers buy more.",
                "zh": "1月有春节，客户买得更多。",
            },
            "C": {
                "en": "The January cohort is the smallest, so its shares are noise.",
                "zh": "1月同期群人数最少，所以它的比例只是噪声。",
            },
            "D": {
                "en": "The later cohorts have not been observed long enough to have a month 1.",
                "zh": "后面的同期群观察时间不够长，还没有第 1 个月。",
            },
        },
        correct="A",
        explanation={
            "en": "The first month's \"new\" customers include old regulars, who buy again more often: that is why the chapter's average row starts in February 2022.",
            "zh": "第一个月的“新”客户中包括老常客，而老常客再次购买的频率更高：因此本章的平均行从 2022年2月开始。",
        },
        why_not={
            "B": {
                "en": "Seasonality would affect every January, and the column compares cohorts at the same age, not the same calendar month.",
                "zh": "季节性会影响每一个 1 月，而且这一列比较的是同一“年龄”的同期群，而不是同一个日历月份。",
            },
            "C": {
                "en": "The cohorts hold 69 to 209 customers each; the gap is systematic, not chance.",
                "zh": "每个同期群有 69 到 209 位客户；这个差距是系统性的，不是偶然。",
            },
            "D": {
                "en": "Every cohort of 2022 has a month 1 in the data; only the last cohorts lack later months.",
                "zh": "2022 年的每个同期群在数据中都有第 1 个月；只有最后几个同期群缺少后面的月份。",
            },
        },
    ),
    MultipleChoice(
        id="ch03.e4",
        heading={"en": "Censoring in survival analysis", "zh": "生存分析中的删失"},
        stem={
            "en": f"When the chapter estimates how long relationships last with the {bi('kaplan_meier')} curve, what happens "
            f"to a customer whose relationship is still running at the end of the data ({bi('censoring')})?",
            "zh": f"本章用{zh('kaplan_meier')}曲线估计客户关系能持续多久时，对于数据结束时关系仍在持续的客户（{zh('censoring')}），如何处理？",
        },
        options={
            "A": {
                "en": "She counts as at risk up to the end of the data and then leaves the calculation without counting as lost.",
                "zh": "她在数据结束之前都计入风险集，之后退出计算，但不算作流失。",
            },
            "B": {
                "en": "She is dropped from the data, because her duration is unknown.",
                "zh": "把她从数据中删除，因为她的关系时长未知。",
            },
            "C": {
                "en": "She counts as lost on the last day of the data.",
                "zh": "把她算作在数据的最后一天流失。",
            },
            "D": {
                "en": "Her duration is set to the average duration of the lost customers.",
                "zh": "把她的关系时长设为已流失客户的平均时长。",
            },
        },
        correct="A",
        explanation={
            "en": 'Censored durations say "at least this long"; the Kaplan-Meier estimate uses that information without inventing an end.',
            "zh": "删失的时长表示“至少这么长”；卡普兰–迈耶估计利用了这一信息，而不虚构一个结束时间。",
        },
        why_not={
            "B": {
                "en": "Dropping running relationships keeps only the ended (shorter) ones and underestimates survival.",
                "zh": "删除仍在持续的关系只留下已结束的（较短的）关系，会低估生存率。",
            },
            "C": {
                "en": "Counting her as lost invents an ending that did not happen and underestimates survival.",
                "zh": "把她算作流失虚构了一个并未发生的结束，会低估生存率。",
            },
            "D": {
                "en": "Imputing an average is not what Kaplan-Meier does and would bias the curve.",
                "zh": "用平均值填补不是卡普兰–迈耶的做法，而且会使曲线产生偏差。",
            },
        },
    ),
    ShortAnswer(
        id="ch03.e5",
        heading={"en": "Acquisition and retention strategies", "zh": "获取客户战略与维系客户战略"},
        stem={
            "en": f"Compare the {bi('acquisition_strategy')} with the {bi('retention_strategy')}. In 2024 the demo company's "
            "1,402 returning buyers brought in ¥9.66 million against ¥3.33 million from 1,723 new buyers. What does a "
            "firm need to know before it moves budget from one strategy to the other?",
            "zh": f"请比较{zh('acquisition_strategy')}与{zh('retention_strategy')}。2024 年，演示公司 1,402 位老购买者带来 ¥966万，1,723 位新购买者带来 ¥333万。企业在把预算从一种战略转向另一种战略之前需要了解什么？",
        },
        answer_points=(
            {
                "en": "Acquisition wins new customers (former customers who stopped buying included); retention keeps the existing ones by raising satisfaction and loyalty.",
                "zh": "获取客户战略赢得新客户（包括已经停止购买的老客户）；维系客户战略通过提高满意度和忠诚度留住现有客户。",
            },
            {
                "en": "A firm needs both; in a maturing business returning customers carry a growing share of revenue (74 % in the demo company in 2024).",
                "zh": "企业两者都需要；在逐渐成熟的业务中，老客户带来的收入比例越来越高（演示公司 2024 年为 74%）。",
            },
            {
                "en": "Returning buyers are a selection of those who liked the firm, and staying customers buy more per year (relationship strength grows with the lifecycle).",
                "zh": "老购买者是那些喜欢这家企业的人经过筛选后留下的，而且留下来的客户每年买得更多（关系强度随生命周期增长）。",
            },
            {
                "en": "Before moving budget: the cost of winning a customer against the cost of keeping one, and the value (margin over the relationship) each brings.",
                "zh": "转移预算之前：比较赢得一位客户与保留一位客户的成本，以及两者各自带来的价值（整个关系期的毛利）。",
            },
            {
                "en": "And whether retention spending really changes behaviour (an incremental effect), not only rewards customers who would have stayed anyway.",
                "zh": "还要看保留投入是否真的改变了客户的行为（增量效果），而不只是奖励了那些本来就会留下的客户。",
            },
        ),
    ),
    ShortAnswer(
        id="ch03.e6",
        heading={"en": "Rules on the order history can be wrong", "zh": "基于订单历史的规则可能出错"},
        stem={
            "en": "The chapter assigns each customer a lifecycle stage with written rules on the order history. Of the "
            "customers the rules put in separation, 31.8 % were in truth still active. Explain why rules on purchases "
            "make this error, what it costs a firm, and how it could be reduced.",
            "zh": "本章用写明的规则根据订单历史为每位客户划分生命周期阶段。在规则划入分离阶段的客户中，有 31.8% 实际上仍然活跃。请解释基于购买的规则为什么会犯这种错误、它给企业带来什么代价，以及如何减少这种错误。",
        },
        answer_points=(
            {
                "en": "Purchases are observed, leaving is not: a slow buyer between two purchases looks like a customer who has left.",
                "zh": "购买是可以观察到的，离开却观察不到：两次购买之间的慢速购买者看起来就像已经离开的客户。",
            },
            {
                "en": "A fixed threshold (180 days) treats every customer alike, although buying rates differ widely between customers.",
                "zh": "固定的阈值（180 天）对所有客户一视同仁，而不同客户的购买频率差别很大。",
            },
            {
                "en": "Cost: win-back offers sent to customers who would have bought anyway (wasted discounts), and a wrong picture of how many relationships fade.",
                "zh": "代价：把挽回优惠发给了本来就会购买的客户（浪费折扣），并且对有多少关系在消退形成错误的判断。",
            },
            {
                "en": "Remedies: thresholds per customer type or buying rate, probabilistic models of being alive (BG/NBD, chapter 04), or contact data (web visits, tickets) besides orders.",
                "zh": "改进办法：按客户类型或购买频率设定阈值，用客户是否仍然活跃的概率模型（BG/NBD，第04章），或在订单之外利用接触数据（网站访问、服务工单）。",
            },
            {
                "en": "Check rules against outcomes when possible (the demo company's truth; in a real firm, later purchases).",
                "zh": "在可能时用结果检验规则（演示公司的真实情况；在真实企业中则看之后的购买）。",
            },
        ),
    ),
    ShortAnswer(
        id="ch03.e7",
        heading={"en": "One retention rate against the sBG", "zh": "单一保留率与 sBG 模型"},
        stem={
            "en": f"Explain why projecting customer retention with a fitted curve (linear, quadratic or exponential) goes "
            f"wrong, and what the {bi('sbg_model')} assumes instead. Why does the fitted retention rate of a cohort "
            "rise over the years in that model?",
            "zh": f"请解释为什么用拟合曲线（线性、二次或指数）预测客户保留会出错，以及{zh('sbg_model')}的假设是什么。为什么在这个模型中，一个同期群拟合出的保留率会逐年上升？",
        },
        answer_points=(
            {
                "en": "A fitted curve has no story behind it: curves that fit the first years equally well diverge far apart (a linear one even goes below zero).",
                "zh": "拟合曲线背后没有机制：对最初几年拟合得同样好的曲线，之后会相差很远（线性曲线甚至会降到零以下）。",
            },
            {
                "en": "The sBG assumes each customer has her own constant churn probability, and these differ across customers as a beta distribution (heterogeneity).",
                "zh": "sBG 模型假设每位客户有自己恒定的流失概率，而不同客户的流失概率服从贝塔分布（异质性）。",
            },
            {
                "en": "Customers with a high churn probability leave first, so the survivors are increasingly the loyal ones: the cohort's retention rate rises with time.",
                "zh": "流失概率高的客户先离开，所以留下来的越来越多是忠诚客户：同期群的保留率随时间上升。",
            },
            {
                "en": "So one constant retention rate (the exponential curve) underestimates long-run survival and the value of a customer.",
                "zh": "因此，单一恒定的保留率（指数曲线）会低估长期生存率和客户价值。",
            },
            {
                "en": "A good answer mentions that the projection is checked on years the model was not fitted to.",
                "zh": "好的回答会提到，要在模型没有拟合过的年份上检验预测。",
            },
        ),
    ),
    Computational(
        id="ch03.e8",
        heading={
            "en": "Customers in one lifecycle stage on another day",
            "zh": "换一天看某个生命周期阶段的客户",
        },
        stem={
            "en": "Assign the demo company's customers their lifecycle stage on {as_of} with the default rules: "
            '`lifecycle.lifecycle_stages(orders, customers, as_of="{as_of}")`. How many customers are in the '
            "{stage_name} stage on that day?",
            "zh": '按默认规则给演示公司的客户划分 {as_of} 的生命周期阶段：`lifecycle.lifecycle_stages(orders, customers, as_of="{as_of}")`。这一天处于{stage_name}的客户有多少位？',
        },
        draw=lambda rng: (
            lambda stage: {
                "stage": stage,
                "stage_name": both(f"stage_{stage}"),
                "as_of": str(rng.choice(["2023-06-30", "2023-12-31", "2024-03-31", "2024-09-30"])),
            }
        )(str(rng.choice(["exploration", "familiarity", "separation"]))),
        solve=lambda stage, stage_name, as_of: _stage_count(stage, as_of),
        method={
            "en": 'Run `lifecycle.lifecycle_stages` with `as_of="{as_of}"` and count the rows whose `stage` is "{stage}".',
            "zh": '以 `as_of="{as_of}"` 运行 `lifecycle.lifecycle_stages`，统计 `stage` 为 "{stage}" 的行数。',
        },
        unit={"en": "customers", "zh": "位客户"},
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch03.e9",
        heading={"en": "One cell of the cohort table", "zh": "同期群表中的一格"},
        stem={
            "en": 'Build the demo company\'s cohort retention table, `lifecycle.cohort_table(orders, date_col="order_date")`. '
            "What percentage of the customers who first bought in {cohort} bought again {month} month(s) after their "
            "first purchase month?",
            "zh": '构建演示公司的同期群保留表：`lifecycle.cohort_table(orders, date_col="order_date")`。在 {cohort} 首次购买的客户中，有百分之几在首次购买月份之后第 {month} 个月再次购买？',
        },
        draw=lambda rng: {
            "cohort": f"{int(rng.choice([2022, 2023]))}-{int(rng.integers(2, 13)):02d}",
            "month": int(rng.choice([1, 2, 3, 6, 9, 12])),
        },
        solve=_cohort_share,
        method={
            "en": "Read row {cohort}, column {month} of the cohort table (a share) and multiply by 100.",
            "zh": "读取同期群表的第 {cohort} 行、第 {month} 列（一个比例），乘以 100。",
        },
        unit={"en": "%", "zh": "{}%"},
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch03.e10",
        heading={"en": "Survival after a number of days", "zh": "若干天后的生存率"},
        stem={
            "en": "Compute the relationship durations of all demo buyers with `lifecycle.relationship_durations(orders, "
            'date_col="order_date")` (a relationship counts as lost after 365 days without an order) and the '
            "Kaplan-Meier survival table. What percentage of relationships last more than {days} days?",
            "zh": '用 `lifecycle.relationship_durations(orders, date_col="order_date")` 计算演示公司所有购买者的关系时长（连续 365 天没有订单即视为关系流失），再计算卡普兰–迈耶生存表。有百分之几的关系持续超过 {days} 天？',
        },
        draw=lambda rng: {"days": int(rng.choice([90, 150, 240, 300, 450, 540, 600]))},
        solve=_survival,
        method={
            "en": "`lifecycle.survival_table(durations, [{days}])`, column `all`, times 100.",
            "zh": "`lifecycle.survival_table(durations, [{days}])` 的 `all` 列，乘以 100。",
        },
        unit={"en": "%", "zh": "{}%"},
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch03.e11",
        heading={"en": "A retention rate from the sBG", "zh": "由 sBG 模型得到的保留率"},
        stem={
            "en": "Fit the shifted-beta-geometric model to the {segment_name} cohort of Fader & Hardie (2007) "
            "(`crmlib.load_sbg_retention()`), using years 0 to {years} only. What retention rate does the fitted "
            "model give for year {year} (the share of the customers alive at year {year} - 1 who are still there at year {year})?",
            "zh": "只用第 0 年到第 {years} 年的数据，对 Fader 和 Hardie（2007）的{segment_name}同期群（`crmlib.load_sbg_retention()`）拟合移位贝塔几何模型。拟合的模型给出的第 {year} 年保留率（第 {year} - 1 年仍在的客户中到第 {year} 年仍在的比例）是多少？",
        },
        draw=lambda rng: {**_draw_sbg(rng), "year": int(rng.integers(2, 13))},
        solve=_sbg_retention,
        method={
            "en": '`ShiftedBetaGeometric().fit(published["{segment}"][:{years} + 1]).retention_rate({year})`; r_t = (β + t - 1)/(α + β + t - 1).',
            "zh": '`ShiftedBetaGeometric().fit(published["{segment}"][:{years} + 1]).retention_rate({year})`；r_t = (β + t - 1)/(α + β + t - 1)。',
        },
        decimals=4,
        tolerance=0.0005,
        points=6,
    ),
    Computational(
        id="ch03.e12",
        heading={"en": "How far one retention rate falls short", "zh": "单一保留率低估了多少"},
        stem={
            "en": "Fit the sBG model to the {segment_name} cohort on years 0 to {years} and project the number of the 1,000 "
            "customers still active in year 12. Project the same with one constant retention rate "
            '(`retention.naive_projection(active, 12, kind="exponential")`). By how many customers does the sBG '
            "projection exceed the exponential one in year 12?",
            "zh": '用第 0 年到第 {years} 年的数据对{segment_name}同期群拟合 sBG 模型，预测 1,000 位客户中到第 12 年仍然活跃的人数。再用单一恒定的保留率做同样的预测（`retention.naive_projection(active, 12, kind="exponential")`）。第 12 年 sBG 模型的预测比指数预测多多少位客户？',
        },
        draw=_draw_sbg,
        solve=_projection_gap,
        method={
            "en": "1,000 × S(12) of the sBG fitted on years 0-{years}, minus the exponential projection's year-12 value.",
            "zh": "在第 0—{years} 年上拟合的 sBG 模型的 1,000 × S(12)，减去指数预测在第 12 年的值。",
        },
        unit={"en": "customers", "zh": "位客户"},
        decimals=1,
        tolerance=0.5,
        points=8,
    ),
]
