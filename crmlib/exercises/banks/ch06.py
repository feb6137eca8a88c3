"""Chapter 06, customer satisfaction and loyalty (客户满意与客户忠诚): the questions of
``exercises/solutions/06_satisfaction_loyalty.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the
first time a student checks it; nothing here is a pasted number. The
computational questions apply the chapter's methods to what the chapter does
not print: another region, another outcome, another threshold, another window.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import satisfaction, segmentation
from crmlib.datasets import load_demo
from crmlib.exercises.engine import discussion, frame, mistake, numeric, text

#: The regions of question 1, one per variant, the default first (the chapter does not single out a
#: region; North China is the region of questions 4 and 5).
Q1_REGION = ["East China", "South China", "Central China", "Southwest", "Northeast", "Northwest"]
NPS_REGION = "North China"
#: Question 6: a delivery-speed gap of this many points or worse, one per variant, the default first.
Q6_MAX_GAP = [-2, -1, -3, -4]
#: Question 7: the window after a ticket, one per variant (the chapter uses 180 days).
Q7_WINDOW_DAYS = [90, 60, 30, 150, 240, 270]
#: Question 11: "high repeat patronage" means at least this many orders in the year before the survey,
#: one per variant (the chapter uses the median, 2).
Q11_MIN_ORDERS = [3, 4, 5, 6]


@cache
def _survey() -> pd.DataFrame:
    return load_demo("survey")


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


@cache
def _retained() -> pd.Series:
    return load_demo("truth").set_index("customer_id")["alive_at_end"]


def _in_region(region: str) -> pd.DataFrame:
    regions = load_demo("customers").set_index("customer_id")["region"]
    survey = _survey()
    return survey[regions.reindex(survey["customer_id"]).to_numpy() == region]


def _gap(survey: pd.DataFrame, attribute: str = "delivery_speed") -> float:
    return float(satisfaction.attribute_gaps(survey).loc[attribute, "gap"])


def _region_gap(region: str) -> float:
    return _gap(_in_region(region))


def _perception(region: str, attribute: str = "delivery_speed") -> float:
    return float(_in_region(region)[f"perc_{attribute}"].mean())


#: Accepted answers of ch06.q2 (a text question needs them up front); the test
#: ``test_ch06_q2_answer_is_what_the_ipa_computes`` checks them against :func:`_concentrate_here`.
CONCENTRATE_HERE = ["responsiveness", "响应速度"]


def _ipa(outcome: str = "relative_attitude") -> pd.DataFrame:
    return satisfaction.importance_performance(
        _survey(), outcome=outcome, importance="weight", performance="gap"
    )


def _concentrate_here(outcome: str = "relative_attitude") -> str:
    ipa = _ipa(outcome)
    names = ipa.index[ipa["quadrant"] == "concentrate_here"]
    if len(names) != 1:
        raise ValueError(f"ch06.q2 expects one attribute in 'concentrate here', got {list(names)}")
    return str(names[0])


def _weight(
    attribute: str = "delivery_speed", column: str = "weight", outcome: str = "relative_attitude"
) -> float:
    return float(satisfaction.derived_importance(_survey(), outcome=outcome).loc[attribute, column])


def _nps(survey: pd.DataFrame | None = None):
    survey = _in_region(NPS_REGION) if survey is None else survey
    return satisfaction.nps(survey["recommend"])


def _nps_seven_as_detractor() -> float:
    recommend = _in_region(NPS_REGION)["recommend"]
    return 100 * float((recommend >= 9).mean() - (recommend <= 7).mean())


def _delivery_gap_rate(max_gap: int, strict: bool = False, outcome: str = "retained") -> float:
    survey = _survey()
    gap = survey["perc_delivery_speed"] - survey["exp_delivery_speed"]
    group = survey.loc[gap < max_gap if strict else gap <= max_gap, "customer_id"]
    if outcome == "bought_again":
        after = satisfaction.orders_after(_survey(), _orders(), "survey_date").set_index("customer_id")
        return float(after.loc[group, "bought_again"].mean())
    return float(_retained().reindex(group).mean())


def _low_satisfaction_rate() -> float:
    survey = _survey()
    return float(_retained().reindex(survey.loc[survey["overall_satisfaction"] <= 3, "customer_id"]).mean())


@cache
def _complaints(window_days: int, censor: bool = True) -> pd.DataFrame:
    tickets = load_demo("tickets")
    if censor:
        return satisfaction.complaint_outcomes(tickets, _orders(), window_days=window_days)
    return satisfaction.orders_after(tickets, _orders(), "opened_at", window_days=window_days)


def _unresolved_rate(window_days: int, censor: bool = True) -> float:
    c = _complaints(window_days, censor)
    return float(c.loc[c["resolution"] == "unresolved", "bought_again"].mean())


def _zero_crosshair_quadrants() -> pd.DataFrame:
    """The IPA of the chapter (weight, gap) with the performance cross-hair at a gap of 0."""
    ipa = satisfaction.importance_performance(_survey(), importance="weight", performance="gap")
    important = ipa["importance"] >= ipa["importance"].mean()
    meets = ipa["performance"] >= 0
    quadrant = np.select(
        [important & ~meets, important & meets, ~important & ~meets],
        ["concentrate_here", "keep_up_the_good_work", "low_priority"],
        default="possible_overkill",
    )
    return pd.DataFrame({"attribute": ipa.index, "quadrant": quadrant})


def _mean_crosshair_quadrants() -> pd.DataFrame:
    ipa = satisfaction.importance_performance(_survey(), importance="weight", performance="gap")
    return pd.DataFrame({"attribute": ipa.index, "quadrant": ipa["quadrant"].to_numpy()})


@cache
def _loyalty_cells(cut: float) -> pd.DataFrame:
    survey = _survey()
    before = satisfaction.orders_before(survey, _orders(), "survey_date", window_days=365)
    table = survey.assign(orders_prior_year=before["orders_before"].to_numpy())
    cells = segmentation.loyalty_matrix(table, "relative_attitude", "orders_prior_year", 5, cut)
    return cells.assign(retained=_retained().reindex(cells["customer_id"]).to_numpy())


def _spurious_retained(cut: float, cell: str = "spurious_loyalty") -> float:
    cells = _loyalty_cells(cut)
    return float(cells.loc[cells["loyalty_cell"] == cell, "retained"].mean())


def _median_cut() -> float:
    survey = _survey()
    before = satisfaction.orders_before(survey, _orders(), "survey_date", window_days=365)
    return float(before["orders_before"].median())


QUESTIONS = [
    numeric(
        "ch06.q1",
        _region_gap,
        abs=1e-3,
        variants={"region": Q1_REGION},
        hint=[
            {
                "en": "keep only the respondents who live in {region}; for each of them take perception "
                "minus expectation on delivery speed, then average",
                "zh": "只保留地区（region）为 {region} 的受访者；对每人计算交付速度的感知效果减去期望，再取平均值",
            },
            {
                "en": "the region is in the customers table: map it onto the survey by customer_id, filter, "
                "then satisfaction.attribute_gaps(...) gives the gap per attribute",
                "zh": "地区在 customers 表中：按 customer_id 对应到调查表并筛选，"
                "然后用 satisfaction.attribute_gaps(...) 得到各属性的差距",
            },
        ],
        wrong=[
            mistake(
                lambda region: -_region_gap(region),
                because={
                    "en": "this is expectation minus perception: the sign is reversed",
                    "zh": "这是期望减去感知效果：符号反了",
                },
            ),
            mistake(
                lambda: _gap(_survey()),
                because={
                    "en": "this is the gap of all respondents; keep only those of the region",
                    "zh": "这是全部受访者的差距；只应保留该地区的受访者",
                },
            ),
            mistake(
                _perception,
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
        hint=[
            {
                "en": "importance now means how strongly an attribute moves the attitude relative to competitors, "
                "not overall satisfaction; performance is still the mean gap; look for the attribute that is "
                "more important than the average attribute and performs worse than the average attribute",
                "zh": "这里的重要性是指某属性对“相对竞争者的态度”的影响有多大，而不是对总体满意度；"
                "绩效仍是平均差距；找出比一般属性更重要、绩效却低于各属性平均的那个属性",
            },
            {
                "en": "satisfaction.importance_performance(survey, outcome='relative_attitude', importance='weight', "
                "performance='gap') and read the quadrant column",
                "zh": "用 satisfaction.importance_performance(survey, outcome='relative_attitude', "
                "importance='weight', performance='gap')，再看 quadrant 列",
            },
        ],
        wrong=[
            mistake(
                "delivery speed",
                because={
                    "en": "this is the answer for overall satisfaction, the chapter's outcome; the question asks "
                    "for the attitude relative to competitors",
                    "zh": "这是以总体满意度为结果变量（本章的做法）时的答案；本题问的是相对竞争者的态度",
                },
            ),
            "personalization",
            "product quality",
            "care",
            "个性化",
        ],
    ),
    numeric(
        "ch06.q3",
        _weight,
        abs=2e-3,
        hint=[
            {
                "en": "importance is derived from the data: the standardized weight of delivery speed in a "
                "regression of the attitude relative to competitors on all five perceptions",
                "zh": "重要性从数据中推导：把相对竞争者的态度对全部五个属性的感知效果做回归，取交付速度的标准化权重",
            },
            {
                "en": "satisfaction.derived_importance(survey, outcome='relative_attitude') has two columns; "
                "the regression weight is 'weight'",
                "zh": "satisfaction.derived_importance(survey, outcome='relative_attitude') 的结果有两列；"
                "回归权重是 'weight' 列",
            },
        ],
        wrong=[
            mistake(
                lambda: _weight(column="correlation"),
                because={
                    "en": "this is the correlation, which also picks up the attributes that move with it",
                    "zh": "这是相关系数，它把与之同时变动的其他属性的作用也算了进来",
                },
            ),
            mistake(
                lambda: _weight(outcome="overall_satisfaction"),
                because={
                    "en": "this is the weight in overall satisfaction, the chapter's outcome; explain the "
                    "attitude relative to competitors instead",
                    "zh": "这是在总体满意度中的权重（本章的结果变量）；本题要解释的是相对竞争者的态度",
                },
            ),
        ],
    ),
    numeric(
        "ch06.q4",
        lambda: _nps().score,
        abs=0.05,
        hint=[
            {
                "en": f"keep the respondents of {NPS_REGION}; promoters answer 9-10, detractors 0-6, and the "
                "score is the share of promoters minus the share of detractors, in points",
                "zh": "只保留华北（North China）的受访者；推荐者回答 9–10 分，贬损者回答 0–6 分，"
                "净推荐值是推荐者比例减去贬损者比例，以分为单位",
            },
            {
                "en": "NPS = 100 x (mean of recommend >= 9 - mean of recommend <= 6) on the region's rows; "
                "satisfaction.nps(...) gives the same score",
                "zh": "在该地区的行上计算 NPS = 100 x（recommend >= 9 的均值 - recommend <= 6 的均值）；"
                "satisfaction.nps(...) 给出同样的分数",
            },
        ],
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
                _nps_seven_as_detractor,
                because={
                    "en": "this counts 7 as a detractor; 7 and 8 are passives",
                    "zh": "这里把 7 分算作贬损者；7 分和 8 分属于中立者",
                },
            ),
            mistake(
                lambda: _nps(_survey()).score,
                because={
                    "en": "this is the NPS of all respondents; keep only those of the region",
                    "zh": "这是全部受访者的净推荐值；只应保留该地区的受访者",
                },
            ),
        ],
    ),
    numeric(
        "ch06.q5",
        lambda: _nps().se,
        abs=0.01,
        hint=[
            {
                "en": "each respondent counts +1, 0 or -1; the standard error of the score comes from the "
                "shares of promoters and detractors of the region and its number of respondents",
                "zh": "每位受访者计 +1、0 或 -1；分数的标准误由该地区推荐者和贬损者的比例以及受访者人数决定",
            },
            {
                "en": "se = 100 x sqrt((p + d - (p - d)^2) / n) with the region's p, d and n; "
                "satisfaction.nps(...).se gives it",
                "zh": "用该地区的 p、d 和 n 计算 se = 100 x sqrt((p + d - (p - d)^2) / n)；"
                "satisfaction.nps(...).se 直接给出",
            },
        ],
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
            mistake(
                lambda: _nps(_survey()).se,
                because={
                    "en": "this is the standard error for all respondents; the region has fewer, so its "
                    "score is less precise",
                    "zh": "这是全部受访者的标准误；该地区的受访者更少，分数的精度也更低",
                },
            ),
        ],
    ),
    numeric(
        "ch06.q6",
        _delivery_gap_rate,
        abs=5e-4,
        variants={"max_gap": Q6_MAX_GAP},
        hint=[
            {
                "en": "the group is defined by one attribute, not by overall satisfaction: respondents whose "
                "delivery-speed gap (perception minus expectation) is {max_gap} or worse; then the share "
                "of them still a customer at the end of 2024",
                "zh": "这一组按单个属性而不是按总体满意度划分：交付速度差距（感知效果减期望）为 {max_gap} 或更低的受访者；"
                "再求其中 2024 年底仍为客户的比例",
            },
            {
                "en": "gap = perc_delivery_speed - exp_delivery_speed; keep gap <= {max_gap}; look up their "
                "alive_at_end in the truth table by customer_id and take the mean",
                "zh": "差距 = perc_delivery_speed - exp_delivery_speed；保留差距 <= {max_gap} 的受访者；"
                "按 customer_id 在 truth 表中查出 alive_at_end 并取平均值",
            },
        ],
        wrong=[
            mistake(
                lambda max_gap: _delivery_gap_rate(max_gap, outcome="bought_again"),
                because={
                    "en": "this is the share who bought again after the survey, not who were still customers",
                    "zh": "这是调查后再次购买的受访者比例，而不是仍为客户的比例",
                },
            ),
            mistake(
                lambda max_gap: _delivery_gap_rate(max_gap, strict=True),
                because={
                    "en": "this leaves out the respondents whose gap is exactly {max_gap}; '{max_gap} or worse' "
                    "includes them",
                    "zh": "这里漏掉了差距恰好为 {max_gap} 的受访者；“{max_gap} 或更低”应包括他们",
                },
            ),
            mistake(
                _low_satisfaction_rate,
                because={
                    "en": "this is the group of overall satisfaction 3 or less; the question groups by the "
                    "delivery-speed gap",
                    "zh": "这是总体满意度 3 分及以下的一组；本题按交付速度的差距分组",
                },
            ),
        ],
    ),
    numeric(
        "ch06.q7",
        _unresolved_rate,
        abs=5e-4,
        variants={"window_days": Q7_WINDOW_DAYS},
        hint=[
            {
                "en": "each complaint is one ticket: among the unresolved tickets whose {window_days} days can be "
                "seen in full before the end of the data, the share followed by an order of the same customer "
                "within {window_days} days",
                "zh": "每次投诉就是一张工单：在数据截止前 {window_days} 天观察窗口完整的未解决工单中，"
                "求其后 {window_days} 天内同一客户有订单的工单所占的比例",
            },
            {
                "en": "satisfaction.complaint_outcomes(tickets, orders, window_days={window_days}) keeps those "
                "tickets and marks bought_again; take its mean over the rows with resolution 'unresolved'",
                "zh": "satisfaction.complaint_outcomes(tickets, orders, window_days={window_days}) 保留这些工单并标出 "
                "bought_again；对 resolution 为 'unresolved' 的行取平均值",
            },
        ],
        wrong=[
            mistake(
                lambda window_days: _unresolved_rate(window_days, censor=False),
                because={
                    "en": "this keeps tickets opened less than {window_days} days before the end of the data, "
                    "whose window cannot be observed in full",
                    "zh": "这里包含了数据截止前不到 {window_days} 天才开立的工单，这些工单的观察窗口不完整",
                },
            ),
            mistake(
                lambda: _unresolved_rate(window_days=180),
                because={
                    "en": "this is the chapter's 180-day window; the question asks for {window_days} days",
                    "zh": "这是本章的 180 天窗口；本题要求 {window_days} 天",
                },
            ),
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
                "spurious and fragile (the loyalty matrix)",
                "zh": "忠诚有态度和行为两面；没有偏好的重复购买是虚假忠诚，并不牢固（忠诚矩阵）",
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
    discussion(
        "ch06.q12",
        checklist=[
            {
                "en": "the two dimensions: satisfaction with the product and satisfaction with the "
                "relationship (service, contact, care), each satisfied or not",
                "zh": "两个维度：对产品的满意与对客户关系（服务、接触、关怀）的满意，各分满意与不满意",
            },
            {
                "en": "the four types: loyal (both), vulnerable (product only), potential (relationship "
                "only), negative (neither)",
                "zh": "四种类型：忠诚型（两者都满意）、脆弱型（只满意产品）、潜力型（只满意关系）、负面型（都不满意）",
            },
            {
                "en": "a strategy per type: keep and reward the loyal; fix service and contact for the "
                "vulnerable; improve the product for the potential; win back the negative worth it",
                "zh": "每种类型一种策略：保留并奖励忠诚型；为脆弱型改进服务与接触；为潜力型改进产品；"
                "挽回值得挽回的负面型",
            },
            {
                "en": "what the demo company's survey shows: the sizes of the cells and that the loyal "
                "are retained more often than the other three",
                "zh": "演示公司调查所显示的：各类型的人数，以及忠诚型的保留率高于其他三类",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Four types.", "四种类型。"],
    ),
    frame(
        "ch06.q10",
        _zero_crosshair_quadrants,
        columns=["attribute", "quadrant"],
        key=["attribute"],
        hint=[
            {
                "en": "keep the importance cross-hair at the mean weight, but move the performance cross-hair "
                "to a gap of 0: an attribute 'performs well' only if perception reaches expectation",
                "zh": "重要性的十字线仍取各属性权重的均值，但把绩效的十字线移到差距为 0 处："
                "只有感知效果达到期望，属性才算“绩效好”",
            },
            {
                "en": "start from the chapter's importance-performance table (importance='weight', "
                "performance='gap'); important = importance >= its mean, meets = performance >= 0; "
                "np.select on the four combinations, keys as in the chapter (concentrate_here, ...)",
                "zh": "从本章的重要性—绩效表（importance='weight'，performance='gap'）出发；"
                "important = importance >= 其均值，meets = performance >= 0；"
                "用 np.select 对四种组合赋值，名称与本章相同（concentrate_here 等）",
            },
        ],
        wrong=[
            mistake(
                _mean_crosshair_quadrants,
                because={
                    "en": "these are the chapter's quadrants, with the performance cross-hair at the mean gap; "
                    "move it to a gap of 0",
                    "zh": "这是本章的象限，绩效十字线在平均差距处；应把它移到差距为 0 处",
                },
            ),
        ],
    ),
    numeric(
        "ch06.q11",
        lambda min_orders: _spurious_retained(min_orders),
        abs=5e-4,
        variants={"min_orders": Q11_MIN_ORDERS},
        hint=[
            {
                "en": "rebuild the loyalty matrix with a stricter behaviour side: high repeat patronage means "
                "at least {min_orders} orders in the 365 days before the survey (attitude high = 5 or more, "
                "as in the chapter); then, in the spurious-loyalty cell, the share still a customer at the "
                "end of 2024",
                "zh": "用更严格的行为标准重建忠诚矩阵：高重复购买指调查前 365 天内至少 {min_orders} 笔订单"
                "（态度高仍为 5 分及以上，与本章相同）；再求虚假忠诚格中 2024 年底仍为客户的比例",
            },
            {
                "en": "satisfaction.orders_before(survey, orders, 'survey_date', window_days=365) counts the "
                "orders; segmentation.loyalty_matrix(table, 'relative_attitude', 'orders_prior_year', 5, "
                "{min_orders}); then the mean of alive_at_end from the truth table over the cell "
                "'spurious_loyalty'",
                "zh": "satisfaction.orders_before(survey, orders, 'survey_date', window_days=365) 统计订单数；"
                "segmentation.loyalty_matrix(table, 'relative_attitude', 'orders_prior_year', 5, {min_orders})；"
                "再对 'spurious_loyalty' 格求 truth 表中 alive_at_end 的平均值",
            },
        ],
        wrong=[
            mistake(
                lambda: _spurious_retained(_median_cut()),
                because={
                    "en": "this uses the chapter's cut, the median; the question asks for at least "
                    "{min_orders} orders",
                    "zh": "这里用的是本章的分界点（中位数）；本题要求至少 {min_orders} 笔订单",
                },
            ),
            mistake(
                lambda min_orders: _spurious_retained(min_orders, cell="true_loyalty"),
                because={
                    "en": "this is the true-loyalty cell (high attitude); spurious loyalty is high patronage "
                    "with a low attitude",
                    "zh": "这是真实忠诚格（态度高）；虚假忠诚是重复购买多而态度低",
                },
            ),
        ],
    ),
]
