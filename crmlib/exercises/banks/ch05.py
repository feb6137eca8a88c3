"""Chapter 05, customer segmentation (客户细分): the questions of
``exercises/solutions/05_customer_segmentation.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the
first time a student checks it; nothing here is a pasted number.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import segmentation
from crmlib.datasets import DEMO_OBSERVATION_END, load_demo
from crmlib.exercises.engine import discussion, identifier, integer, mistake, numeric
from crmlib.satisfaction import orders_before

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
INCOME_RANK = {"<5k": 1, "5k-10k": 2, "10k-20k": 3, "20k-40k": 4, ">40k": 5}
SEED = 1


@cache
def _orders() -> pd.DataFrame:
    return load_demo("orders")


@cache
def _segments() -> pd.DataFrame:
    scores = segmentation.rfm_scores(
        _orders(), date_col="order_date", amount_col="revenue", observation_end=DEMO_OBSERVATION_END
    )
    return segmentation.rfm_segments(scores)


@cache
def _variables() -> pd.DataFrame:
    customers = load_demo("customers").set_index("customer_id")
    behaviour = segmentation.behaviour_features(_orders(), observation_end=DEMO_OBSERVATION_END)
    demographic = customers.query("customer_type == 'B2C'").assign(
        income_rank=lambda d: d["income_band"].map(INCOME_RANK)
    )[["age", "gender", "income_rank", "city_tier"]]
    return behaviour.join(demographic, how="inner")


@cache
def _z() -> pd.DataFrame:
    return segmentation.standardize(_variables(), FEATURES, log_columns=LOGGED)


@cache
def _labels(k: int = 4) -> pd.Series:
    return segmentation.cluster(_z(), k, seed=SEED)


@cache
def _truth() -> pd.Series:
    return load_demo("truth").set_index("customer_id")["latent_segment"]


def _champions() -> int:
    return int((_segments()["rfm_segment"] == "champions").sum())


def _top_two_value_share() -> float:
    summary = segmentation.segment_summary(_segments())
    return float(summary.loc[["champions", "loyal"], "share_value"].sum())


def _adjusted_rand() -> float:
    return segmentation.recovery(_labels(), _truth())["adjusted_rand"]


def _eta_age(stat: str = "eta_squared") -> float:
    table = _variables().assign(cluster=_labels())
    return float(segmentation.differentiation(table, "cluster", ["age"]).loc["age", stat])


def _cost_table(programme_cost: float) -> pd.DataFrame:
    tickets = load_demo("tickets").groupby("customer_id").size()
    table = _variables().assign(cluster=_labels())
    table["margin"] = _orders().groupby("customer_id")["margin"].sum()
    table["tickets"] = tickets.reindex(table.index, fill_value=0)
    table["cost_to_serve"] = 12 * table["orders"] + 80 * table["tickets"] + programme_cost
    return segmentation.profitability(table, "cluster", "margin", "cost_to_serve")


def _unprofitable_cluster(programme_cost: float = 200) -> int:
    table = _cost_table(programme_cost)
    losing = table.index[table["profit"] < 0]
    if len(losing) != 1:
        raise ValueError(f"ch05.q5 expects exactly one losing cluster, got {list(losing)}")
    return int(losing[0])


@cache
def _survey() -> pd.DataFrame:
    return load_demo("survey").set_index("customer_id")


def _cell_count(cell: str, threshold: float = 5, swapped: bool = False) -> int:
    survey = _survey()
    if swapped:
        survey = survey.rename(columns={"sat_product": "sat_relationship", "sat_relationship": "sat_product"})
    cells = segmentation.satisfaction_matrix(survey, threshold=threshold)["satisfaction_cell"]
    return int((cells == cell).sum())


@cache
def _loyalty() -> pd.DataFrame:
    survey = _survey().copy()
    patronage = orders_before(survey.reset_index(), _orders(), "survey_date", window_days=365)
    survey["orders_prior_year"] = patronage.set_index("customer_id")["orders_before"]
    return segmentation.loyalty_matrix(
        survey, "relative_attitude", "orders_prior_year", 5, survey["orders_prior_year"].median()
    )


def _spurious_share_of_frequent() -> float:
    cells = _loyalty()["loyalty_cell"]
    frequent = cells.isin(["true_loyalty", "spurious_loyalty"])
    return float((cells[frequent] == "spurious_loyalty").mean())


QUESTIONS = [
    integer(
        "ch05.q1",
        _champions,
        filtered=True,
        hint={
            "en": "score with segmentation.rfm_scores (order_date, revenue, observation end 2024-12-31), name the "
            "segments with segmentation.rfm_segments, then count the rows whose rfm_segment is 'champions'",
            "zh": "先用 segmentation.rfm_scores 计算 RFM评分（日期用 order_date，金额用 revenue，观察期结束为 "
            "2024-12-31），再用 segmentation.rfm_segments 划分细分群体，最后统计 rfm_segment 为 'champions' 的行数",
        },
        wrong=[
            mistake(
                lambda: int((_segments()["rfm_cell"] == "555").sum()),
                because={
                    "en": "this counts cell 555 only; Champions are R = 5 with F = 4 or 5, whatever M is",
                    "zh": "这里只统计了 rfm_cell 为 555 的客户；冠军客户是 R = 5 且 F 为 4 或 5，M 取值不限",
                },
            ),
            mistake(
                lambda: int(((_segments()["R"] == 5) & (_segments()["F"] == 5)).sum()),
                because={
                    "en": "this counts F = 5 only; the Champions rule takes F = 4 and 5",
                    "zh": "这里只统计了 F = 5 的客户；冠军客户的规则包括 F = 4 和 F = 5",
                },
            ),
            mistake(
                lambda: int((_segments()["rfm_segment"] == "loyal").sum()),
                because={
                    "en": "this is the Loyal segment (R = 3-4)",
                    "zh": "这统计的是忠实客户（R = 3-4）",
                },
            ),
        ],
    ),
    numeric(
        "ch05.q2",
        _top_two_value_share,
        rel=1e-3,
        hint={
            "en": "segmentation.segment_summary(...) has a column share_value; add the rows champions and loyal",
            "zh": "segmentation.segment_summary(...) 的结果中有一列 share_value（价值占比），把 champions 和 loyal "
            "两行相加",
        },
        wrong=[
            mistake(lambda: 100 * _top_two_value_share()),
            mistake(
                lambda: float(
                    segmentation.segment_summary(_segments())
                    .loc[["champions", "loyal"], "share_customers"]
                    .sum()
                ),
                because={
                    "en": "this is their share of the customers, not of the revenue",
                    "zh": "这是它们的客户占比，不是收入占比",
                },
            ),
            mistake(
                lambda: float(segmentation.segment_summary(_segments()).loc["champions", "share_value"]),
                because={
                    "en": "this is the Champions alone; add the Loyal segment",
                    "zh": "这只算了冠军客户；还要加上忠实客户",
                },
            ),
        ],
    ),
    numeric(
        "ch05.q3",
        _adjusted_rand,
        abs=2e-3,
        hint={
            "en": "segmentation.cluster(z, 4, seed=1), then segmentation.recovery(labels, truth) returns a dictionary",
            "zh": "先用 segmentation.cluster(z, 4, seed=1) 聚类，再调用 segmentation.recovery(labels, truth)，它返回的是一个字典",
        },
        wrong=[
            mistake(
                lambda: segmentation.recovery(_labels(), _truth())["nmi"],
                because={
                    "en": "this is the normalized mutual information, not the adjusted Rand index",
                    "zh": "这是标准化互信息（NMI），不是调整兰德指数",
                },
            ),
            mistake(
                lambda: segmentation.recovery(segmentation.cluster(_z(), 3, seed=SEED), _truth())[
                    "adjusted_rand"
                ],
                because={
                    "en": "this is for k = 3 clusters; the question asks for k = 4",
                    "zh": "这是聚类数 k = 3 时的结果；题目要求 k = 4",
                },
            ),
        ],
    ),
    numeric(
        "ch05.q4",
        _eta_age,
        abs=2e-3,
        hint={
            "en": "add the cluster labels as a column, then segmentation.differentiation(table, 'cluster', ['age'])",
            "zh": "先把聚类标签作为 cluster 列加入表中，再用 segmentation.differentiation(table, 'cluster', ['age'])",
        },
        wrong=[
            mistake(
                lambda: _eta_age("F"),
                because={
                    "en": "this is the F statistic; the question asks for eta squared",
                    "zh": "这是 F 统计量；题目要求的是 η²（eta 平方）",
                },
            ),
            mistake(lambda: 100 * _eta_age()),
        ],
    ),
    identifier(
        "ch05.q5",
        _unprofitable_cluster,
        hint={
            "en": "recompute cost_to_serve with 200 instead of 100 CNY per customer and look for a negative profit",
            "zh": "把每位客户的方案成本由 100 元改为 200 元，重新计算 cost_to_serve，再找出利润为负的簇",
        },
        wrong=[1, 3, 4],
    ),
    integer(
        "ch05.q6",
        lambda: _cell_count("vulnerable_customer"),
        filtered=True,
        hint={
            "en": "segmentation.satisfaction_matrix(survey, threshold=5) and count the cell 'vulnerable_customer'",
            "zh": "用 segmentation.satisfaction_matrix(survey, threshold=5) 分类，再数一数落在 'vulnerable_customer' "
            "格中的受访者",
        },
        wrong=[
            mistake(
                lambda: _cell_count("potential_type_customer"),
                because={
                    "en": "this is the potential cell: satisfied with the relationship, not the product",
                    "zh": "这是潜力型：对客户关系满意，对产品不满意",
                },
            ),
            mistake(
                lambda: _cell_count("vulnerable_customer", threshold=6),
                because={
                    "en": "this uses 'satisfied' = 6 or more; the question says 5 or more",
                    "zh": "这里把 6 分及以上算作“满意”；题目规定的是 5 分及以上",
                },
            ),
        ],
    ),
    numeric(
        "ch05.q7",
        _spurious_share_of_frequent,
        rel=1e-3,
        hint={
            "en": "among respondents with true or spurious loyalty (high patronage), the share that is spurious",
            "zh": "在真实忠诚和虚假忠诚（即重复购买程度高）的受访者中，求虚假忠诚所占的比例",
        },
        wrong=[
            mistake(
                lambda: float((_loyalty()["loyalty_cell"] == "spurious_loyalty").mean()),
                because={
                    "en": "this is the share of all respondents; the question asks among the frequent buyers",
                    "zh": "这是占全部受访者的比例；题目问的是在经常购买的受访者中所占的比例",
                },
            ),
            mistake(lambda: 100 * _spurious_share_of_frequent()),
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
                "en": "the two dimensions: satisfaction with the product and with the relationship",
                "zh": "两个维度：对产品的满意和对客户关系的满意",
            },
            {
                "en": "the four types: loyal (both), vulnerable (product only), potential (relationship only), "
                "negative (neither)",
                "zh": "四种类型：忠诚型（都满意）、脆弱型（只对产品满意）、潜力型（只对关系满意）、负面型（都不满意）",
            },
            {
                "en": "a strategy per type: keep and develop, fix the relationship, fix the product, win back "
                "or let go",
                "zh": "每类的策略：保持发展、改善关系、改进产品、恢复客户或放弃",
            },
            {
                "en": "what the demo survey shows (the relationship is the weaker side)",
                "zh": "演示公司调查所显示的情况（客户关系是较弱的一面）",
            },
        ],
        min_words=50,
        min_chars=100,
        wrong=["Four types of customers.", "四种客户。"],
    ),
]
