"""Chapter 05, customer segmentation (客户细分): the questions of
``exercises/solutions/05_customer_segmentation.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the
first time a student checks it; nothing here is a pasted number. Most
questions apply the chapter's method where the chapter does not print the
result: another cut-off date (q1, q7), the business (B2B) accounts (q2),
another number of clusters (q3), another variable (q4), a higher programme
cost (q5) and the behavioural variables alone (q6, a table the student
builds, and q9, the student's choice of k).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import segmentation
from crmlib.datasets import DEMO_OBSERVATION_END, load_demo
from crmlib.exercises.engine import discussion, frame, identifier, integer, mistake, numeric
from crmlib.glossary import term

#: The eight clustering variables of the chapter, and the ones logged first.
FEATURES = [
    "orders",
    "recency_days",
    "order_value",
    "share_store",
    "share_app",
    "age",
    "income_rank",
    "city_tier",
]
LOGGED = ["orders", "order_value"]
#: The five behavioural variables of the eight (q6 clusters on them alone).
BEHAVIOUR = FEATURES[:5]
#: The candidate numbers of clusters of q6.
KS = range(2, 7)
SEED = 1
#: The earlier cut-off of q7: the end of 2023.
CUTOFF_2023 = pd.Timestamp("2023-12-31")
#: The earlier cut-offs of q1, one per variant, the default first (the chapter scores at the end of 2024).
Q1_CUTOFF = ["2023-12-31", "2023-06-30", "2023-09-30", "2024-06-30", "2023-03-31", "2024-03-31"]
#: The numbers of clusters of q3, one per variant, the default first (the chapter prints the
#: adjusted Rand index for k = 3, 4 and 5).
Q3_K = [6, 7, 8, 2, 9]
#: The segment at the end of 2023 of q7, one per variant.
Q7_SEGMENT = ["cant_lose_them", "at_risk", "hibernating", "about_to_sleep", "need_attention"]


def _zh(key: str) -> str:
    """A segment's Chinese name as the glossary gives it (the figures use the same)."""
    return term(key, "zh")


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


def _rfm(orders: pd.DataFrame, end) -> pd.DataFrame:
    scores = segmentation.rfm_scores(orders, date_col="order_date", amount_col="revenue", observation_end=end)
    return segmentation.rfm_segments(scores)


@cache
def _segments() -> pd.DataFrame:
    """The chapter's segments: every buyer, scored at the end of 2024."""
    return _rfm(_orders(), DEMO_OBSERVATION_END)


@cache
def _segments_at(cutoff: str) -> pd.DataFrame:
    """Every buyer up to ``cutoff``, scored at that day."""
    orders = _orders()
    end = pd.Timestamp(cutoff)
    return _rfm(orders[orders["order_date"] <= end], end)


def _segments_2023() -> pd.DataFrame:
    """Every buyer up to 2023-12-31, scored at that day."""
    return _segments_at(str(CUTOFF_2023.date()))


@cache
def _b2b_ids() -> pd.Index:
    customers = load_demo("customers")
    return pd.Index(customers.loc[customers["customer_type"] == "B2B", "customer_id"])


@cache
def _segments_b2b() -> pd.DataFrame:
    """The business accounts, scored among themselves at the end of 2024."""
    orders = _orders()
    return _rfm(orders[orders["customer_id"].isin(_b2b_ids())], DEMO_OBSERVATION_END)


@cache
def _variables() -> pd.DataFrame:
    return segmentation.segmentation_variables(
        _orders(), load_demo("customers"), observation_end=DEMO_OBSERVATION_END
    )


@cache
def _z() -> pd.DataFrame:
    return segmentation.standardize(_variables(), FEATURES, log_columns=LOGGED)


@cache
def _labels(k: int = 4) -> pd.Series:
    return segmentation.cluster(_z(), k, seed=SEED)


@cache
def _truth() -> pd.Series:
    return load_demo("truth").set_index("customer_id")["latent_segment"]


# ----------------------------------------------------------------------------- q1


def _count(segments: pd.DataFrame, name: str) -> int:
    return int((segments["rfm_segment"] == name).sum())


def _champions(cutoff: str) -> int:
    return _count(_segments_at(cutoff), "champions")


# ----------------------------------------------------------------------------- q2


def _top_two_value_share(segments: pd.DataFrame, column: str = "share_value") -> float:
    summary = segmentation.segment_summary(segments)
    return float(summary.loc[["champions", "loyal"], column].sum())


def _b2b_share_scored_with_everyone() -> float:
    """The B2B accounts' revenue share of Champions + Loyal, scored among all buyers."""
    return _top_two_value_share(_segments().loc[lambda d: d.index.isin(_b2b_ids())])


# ----------------------------------------------------------------------------- q3, q4


def _recovery(k: int, measure: str = "adjusted_rand") -> float:
    return segmentation.recovery(_labels(k), _truth())[measure]


def _eta(variable: str, stat: str = "eta_squared") -> float:
    table = _variables().assign(cluster=_labels())
    return float(segmentation.differentiation(table, "cluster", [variable]).loc[variable, stat])


# ----------------------------------------------------------------------------- q5


def _cost_table(programme_cost: float) -> pd.DataFrame:
    table = segmentation.criteria_variables(_variables(), _orders(), load_demo("tickets"))
    table["cluster"] = _labels()
    table["cost_to_serve"] = 12 * table["orders"] + 80 * table["tickets"] + programme_cost
    return segmentation.profitability(table, "cluster", "margin", "cost_to_serve")


def _unprofitable_cluster(programme_cost: float = 200) -> int:
    table = _cost_table(programme_cost)
    losing = table.index[table["profit"] < 0]
    if len(losing) != 1:
        raise ValueError(f"ch05.q5 expects exactly one losing cluster, got {list(losing)}")
    return int(losing[0])


# ----------------------------------------------------------------------------- q6


def _choose_k_table(
    columns: list[str] = BEHAVIOUR, logged: list[str] = LOGGED, sample_size: int | None = None
) -> pd.DataFrame:
    z = segmentation.standardize(_variables(), columns, log_columns=logged)
    return segmentation.choose_k(z, ks=KS, seed=SEED, sample_size=sample_size)


# ----------------------------------------------------------------------------- q7


def _bought_in_2024(segments: pd.DataFrame, name: str, share: bool = True) -> float:
    orders = _orders()
    buyers_2024 = set(orders.loc[orders["order_date"] > CUTOFF_2023, "customer_id"])
    came_back = segments.index[segments["rfm_segment"] == name].isin(list(buyers_2024))
    return float(came_back.mean()) if share else float(came_back.sum())


def _neighbour(segment: str) -> str:
    """The segment next to ``segment`` on the map's recency side that students take by mistake."""
    return {"cant_lose_them": "at_risk", "at_risk": "cant_lose_them", "hibernating": "lost"}.get(
        segment, "hibernating"
    )


QUESTIONS = [
    integer(
        "ch05.q1",
        _champions,
        filtered=True,
        variants={"cutoff": Q1_CUTOFF},
        hint=[
            {
                "en": "on {cutoff} the firm knew only the orders up to that day: score those buyers "
                "on those orders, with recency counted back from {cutoff}",
                "zh": "在 {cutoff} 企业只知道这一天之前的订单：只用这些订单给当时的购买者评分，"
                "最近购买时间从 {cutoff} 倒数",
            },
            {
                "en": "keep the orders with order_date up to {cutoff}, score them with "
                "segmentation.rfm_scores(..., observation_end='{cutoff}'), name the segments with "
                "segmentation.rfm_segments and count the rows whose rfm_segment is 'champions'",
                "zh": "保留 order_date 不晚于 {cutoff} 的订单，用 segmentation.rfm_scores(..., "
                "observation_end='{cutoff}') 评分，再用 segmentation.rfm_segments 命名细分群体，"
                "最后统计 rfm_segment 为 'champions' 的行数",
            },
        ],
        wrong=[
            mistake(
                lambda: _count(_segments(), "champions"),
                because={
                    "en": "this is the count at the end of 2024, the chapter's cut-off; the question scores "
                    "the buyers on {cutoff}",
                    "zh": "这是 2024 年底（本章的截止日）的人数；题目要求在 {cutoff} 评分",
                },
            ),
            mistake(
                lambda cutoff: int((_segments_at(cutoff)["rfm_cell"] == "555").sum()),
                because={
                    "en": f"this counts cell 555 only; {term('champions', 'en')} are R = 5 with F = 4 or 5, "
                    "whatever M is",
                    "zh": f"这里只统计了 rfm_cell 为 555 的客户；{_zh('champions')}是 R = 5 且 F 为 4 或 5，"
                    "M 取值不限",
                },
            ),
            mistake(
                lambda cutoff: int(
                    ((_segments_at(cutoff)["R"] == 5) & (_segments_at(cutoff)["F"] == 5)).sum()
                ),
                because={
                    "en": "this counts F = 5 only; the rule takes F = 4 and 5",
                    "zh": "这里只统计了 F = 5 的客户；规则包括 F = 4 和 F = 5",
                },
            ),
            mistake(
                lambda cutoff: _count(_segments_at(cutoff), "loyal"),
                because={
                    "en": f"this is the {term('loyal', 'en')} segment (R = 3 or 4)",
                    "zh": f"这统计的是{_zh('loyal')}（R = 3 或 4）",
                },
            ),
        ],
    ),
    numeric(
        "ch05.q2",
        lambda: _top_two_value_share(_segments_b2b()),
        rel=1e-3,
        hint=[
            {
                "en": "the business accounts are a segment found a priori; score them against each other, "
                "not against the consumers, then take the revenue share of the two top segments",
                "zh": "企业客户是一个先验细分（事先按已知变量划定的客户群）；让他们彼此比较评分（不与个人消费者混在一起），"
                "再求两个最高细分群体的收入占比",
            },
            {
                "en": "keep the orders of the customers whose customer_type is 'B2B', score and name them as in "
                "the chapter (end 2024), then add share_value of the rows champions and loyal of "
                "segmentation.segment_summary",
                "zh": "保留 customer_type 为 'B2B' 的客户的订单，按本章方法评分并命名（截止 2024 年底），"
                "再把 segmentation.segment_summary 结果中 champions 与 loyal 两行的 share_value 相加",
            },
        ],
        wrong=[
            mistake(
                lambda: _top_two_value_share(_segments()),
                because={
                    "en": "this is the share for all buyers, as in the chapter; the question scores the "
                    "business accounts among themselves",
                    "zh": "这是全部购买者的占比（即本章的结果）；题目要求只在企业客户之间评分",
                },
            ),
            mistake(
                _b2b_share_scored_with_everyone,
                because={
                    "en": "these are the business accounts' segments when they are scored among all "
                    "buyers; score them among themselves",
                    "zh": "这是企业客户与全部购买者一起评分时的细分结果；应只在企业客户之间评分",
                },
            ),
            mistake(
                lambda: _top_two_value_share(_segments_b2b(), "share_customers"),
                because={
                    "en": "this is their share of the accounts, not of the revenue",
                    "zh": "这是它们占客户数的比例，不是占收入的比例",
                },
            ),
            mistake(lambda: 100 * _top_two_value_share(_segments_b2b())),
        ],
    ),
    numeric(
        "ch05.q3",
        lambda k: _recovery(k),
        abs=5e-4,
        variants={"k": Q3_K},
        hint=[
            {
                "en": "the adjusted Rand index compares two partitions of the same customers: here the {k} "
                "clusters against the known latent segments (1 = the same partition, 0 = chance)",
                "zh": "调整兰德指数比较同一批客户的两种划分：这里比较 {k} 个簇与已知的潜在细分（1 表示完全相同，"
                "0 表示与随机划分无异）",
            },
            {
                "en": "segmentation.cluster(z, {k}, seed=1), then segmentation.recovery(labels, truth) returns a "
                "dictionary: take its entry 'adjusted_rand'",
                "zh": "先用 segmentation.cluster(z, {k}, seed=1) 聚类，再调用 segmentation.recovery(labels, truth)，"
                "它返回一个字典：取其中的 'adjusted_rand'",
            },
        ],
        wrong=[
            mistake(
                lambda k: _recovery(k, "nmi"),
                because={
                    "en": "this is the normalized mutual information (NMI), not the adjusted Rand index",
                    "zh": "这是标准化互信息（NMI），不是调整兰德指数",
                },
            ),
            mistake(
                lambda: _recovery(4),
                because={
                    "en": "this is for k = 4 clusters, the chapter's choice; the question asks for k = {k}",
                    "zh": "这是本章选定的聚类数 k = 4 的结果；题目要求 k = {k}",
                },
            ),
        ],
    ),
    numeric(
        "ch05.q4",
        lambda: _eta("tenure_days"),
        abs=1e-3,
        hint=[
            {
                "en": "η² is the share of a variable's variance that lies between the clusters: the variance "
                "of the cluster means (weighted by size) divided by the total variance",
                "zh": "η² 是一个变量的方差中位于簇之间的份额：各簇均值（按规模加权）的方差除以总方差",
            },
            {
                "en": "add the four cluster labels to the variables as a column cluster, then "
                "segmentation.differentiation(table, 'cluster', ['tenure_days']) and read eta_squared",
                "zh": "把 4 个簇的标签作为 cluster 列加入变量表，再用 "
                "segmentation.differentiation(table, 'cluster', ['tenure_days'])，读取 eta_squared",
            },
        ],
        wrong=[
            mistake(
                lambda: _eta("tenure_days", "F"),
                because={
                    "en": "this is the F statistic; the question asks for eta squared",
                    "zh": "这是 F 统计量；题目要求的是 η²（eta 平方）",
                },
            ),
            mistake(
                lambda: _eta("age"),
                because={
                    "en": "this is η² of age, one of the eight clustering variables; the question asks for "
                    "the days since the first order",
                    "zh": "这是年龄的 η²（年龄是八个聚类变量之一）；题目问的是距首次订单的天数",
                },
            ),
            mistake(lambda: 100 * _eta("tenure_days")),
        ],
    ),
    identifier(
        "ch05.q5",
        _unprofitable_cluster,
        hint=[
            {
                "en": "a higher programme cost adds the same amount to every customer's cost to serve: the "
                "cluster whose profit per customer is smaller than the extra ¥100 turns negative",
                "zh": "方案成本提高后，每位客户的服务成本都增加同样的金额：人均利润小于新增 100 元的簇会转为亏损",
            },
            {
                "en": "recompute cost_to_serve = 12 × orders + 80 × tickets + 200, run "
                "segmentation.profitability again and look for the cluster with a negative profit",
                "zh": "重新计算 cost_to_serve = 12 × orders + 80 × tickets + 200，再运行 "
                "segmentation.profitability，找出利润为负的簇",
            },
        ],
        wrong=[1, 3, 4],
    ),
    frame(
        "ch05.q6",
        _choose_k_table,
        columns=["k", "inertia", "silhouette"],
        key="k",
        rel=1e-3,
        abs=5e-4,
        hint=[
            {
                "en": "the same two criteria as in the chapter (inertia and mean silhouette for each k), "
                "but on the five behavioural variables only: the three demographic ones are left out",
                "zh": "与本章相同的两个标准（每个 k 的簇内平方和与平均轮廓系数），但只用五个行为变量："
                "去掉三个人口统计变量",
            },
            {
                "en": "standardize orders, recency_days, order_value, share_store and share_app (orders and "
                "order_value logged), then segmentation.choose_k(z, ks=range(2, 7), seed=1, "
                "sample_size=None)",
                "zh": "标准化 orders、recency_days、order_value、share_store 和 share_app（orders 和 "
                "order_value 先取对数），再调用 segmentation.choose_k(z, ks=range(2, 7), seed=1, "
                "sample_size=None)",
            },
        ],
        wrong=[
            mistake(
                lambda: _choose_k_table(FEATURES),
                because={
                    "en": "this table clusters on all eight variables, as the chapter does; leave out age, "
                    "income_rank and city_tier",
                    "zh": "这张表用全部八个变量聚类（与本章相同）；请去掉 age、income_rank 和 city_tier",
                },
            ),
            mistake(
                lambda: _choose_k_table(logged=[]),
                because={
                    "en": "orders and order_value were standardized without the log first: a few heavy "
                    "buyers then decide the distances",
                    "zh": "orders 和 order_value 没有先取对数就标准化了：这样少数大客户会主导距离",
                },
            ),
            mistake(
                lambda: _choose_k_table(sample_size=2000),
                because={
                    "en": "the silhouette was computed on a sample of 2,000 customers; compute it on every "
                    "customer (sample_size=None), as the chapter does",
                    "zh": "轮廓系数只在 2,000 位客户的样本上计算；应像本章一样在全部客户上计算"
                    "（sample_size=None）",
                },
            ),
        ],
    ),
    numeric(
        "ch05.q7",
        lambda segment: _bought_in_2024(_segments_2023(), segment),
        abs=2e-4,
        variants={"segment": Q7_SEGMENT},
        hint=[
            {
                "en": "take the segment {segment:term} ('{segment}') as it stood at the end of 2023 and "
                "look forward: what fraction of those customers placed at least one order in 2024?",
                "zh": "取 2023 年底时的细分群体“{segment:term}”（'{segment}'），向后看：其中有多大比例在 2024 年至少下过一单？",
            },
            {
                "en": "score and name the buyers at 2023-12-31 as in question 1, take the ids whose "
                "rfm_segment is '{segment}', and compute the mean of ids.isin(ids of the 2024 orders)",
                "zh": "按第 1 题的方法在 2023-12-31 评分并命名，取 rfm_segment 为 '{segment}' 的客户编号，"
                "再用 isin 判断每个编号是否出现在 2024 年的订单中，并取其均值",
            },
        ],
        wrong=[
            mistake(
                lambda segment: _bought_in_2024(_segments_2023(), segment, share=False),
                because={
                    "en": "this is the number of customers who came back; the question asks for their share",
                    "zh": "这是回来购买的客户人数；题目要求的是比例",
                },
            ),
            mistake(
                lambda segment: _bought_in_2024(_segments(), segment),
                because={
                    "en": "these segments are scored at the end of 2024, on the very orders of 2024 you count; "
                    "score at the end of 2023 and look forward",
                    "zh": "这些细分是在 2024 年底评分的，用的正是你要统计的 2024 年订单；应在 2023 年底评分再向后看",
                },
            ),
            mistake(
                lambda segment: _bought_in_2024(_segments_2023(), _neighbour(segment)),
                because={
                    "en": "this is another segment; keep the customers whose rfm_segment is '{segment}' ({segment:term})",
                    "zh": "这是另一个细分群体；应保留 rfm_segment 为 '{segment}'（{segment:term}）的客户",
                },
            ),
            mistake(lambda segment: 100 * _bought_in_2024(_segments_2023(), segment)),
        ],
    ),
    discussion(
        "ch05.q8",
        checklist=[
            {
                "en": "the consumer classification model sorts consumers by their relationship with the firm "
                "(lifecycle stage, value, satisfaction) and gives each class its own strategy",
                "zh": "消费者分类模型按消费者与企业的关系（生命周期阶段、价值、满意度）分类，并为每类制定策略",
            },
            {
                "en": "the purpose of segmentation: find the customers who create the most value and focus "
                "marketing effort on them",
                "zh": "细分的目的：识别为企业创造最大利润的客户，并集中营销力量于他们",
            },
            {
                "en": "target customers are chosen on measured differentiation, profitability and feasibility",
                "zh": "根据实测的差异性、盈利性和可行性确定目标客户",
            },
            {
                "en": "a concrete example with numbers (e.g. profit per customer and reach of a segment)",
                "zh": "给出带数字的具体例子（如某客户群的人均利润与可接触率）",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Choose the richest customers.", "选最有钱的客户。"],
    ),
    discussion(
        "ch05.q9",
        checklist=[
            {
                "en": "a choice of one k from the table of question 6, stated plainly",
                "zh": "从第 6 题的表中明确选定一个 k",
            },
            {
                "en": "criterion 1, the inertia: where it stops falling fast (the elbow), or that there is no "
                "sharp elbow",
                "zh": "标准一，簇内平方和：它在哪里不再快速下降（肘部），或者没有明显的肘部",
            },
            {
                "en": "criterion 2, the silhouette: its highest value, and whether the differences between "
                "k are large enough to decide (a difference in the third decimal is not)",
                "zh": "标准二，轮廓系数：它的最大值，以及各 k 之间的差别是否大到足以作决定"
                "（小数点后第三位的差别不够）",
            },
            {
                "en": "a managerial check: the clusters' sizes and profiles, and whether each needs a "
                "programme of its own",
                "zh": "管理上的检验：各簇的规模与特征，以及每一簇是否需要单独的营销方案",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["k = 5 because it is the best.", "选 k = 5，因为最好。"],
    ),
]
