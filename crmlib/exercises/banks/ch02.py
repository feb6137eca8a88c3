"""Chapter 02, relationship marketing and the nature of CRM (关系营销与CRM的性质):
the questions of ``exercises/solutions/02_relationship_marketing.ipynb``.

Expected answers are computed with crmlib (the repeated game, the demo company's
information base) the first time a student checks them; nothing is pasted. The
computational questions apply the chapter's methods to payoffs, customers, years and
segments the chapter does not print.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import profile, relationship
from crmlib.exercises.engine import choice, discussion, frame, mistake, numeric

#: The payoffs of question 1, one set per variant, the default first (none is Axelrod's, and
#: no threshold is the chapter's 0.5; the sucker's payoff stays 0).
Q1_PAYOFFS = [
    {"temptation": 9, "reward": 5, "punishment": 2},
    {"temptation": 8, "reward": 6, "punishment": 2},
    {"temptation": 10, "reward": 6, "punishment": 1},
    {"temptation": 10, "reward": 7, "punishment": 2},
    {"temptation": 12, "reward": 7, "punishment": 3},
    {"temptation": 11, "reward": 6, "punishment": 3},
    {"temptation": 8, "reward": 5, "punishment": 1},
]
#: The numbers of rounds of question 2 (the chapter plays 1 and 50 rounds).
Q2_ROUNDS = [10, 8, 12, 15, 20, 25]
#: The numbers of rounds of question 3 (the chapter's tournaments have 1 and 50 rounds; the
#: default, 50, is the chapter's length without its random player).
Q3_ROUNDS = [50, 12, 15, 20, 60, 80]
#: The shares of the top accounts of question 6 (the dashboard's indicator takes the top 20 % of
#: all customers); each times the 170 business accounts is a whole number, so no rounding tie.
Q6_TOP = [0.2, 0.3, 0.4, 0.5, 0.6]
#: The customers of questions 4 and 10 (the chapter's customer is C00526).
Q4_CUSTOMER = "C00625"
Q4_CUSTOMERS = [Q4_CUSTOMER, "C00210", "C00500", "C00139", "C00551", "C00221", "C00355"]
#: The strategies of question 3 (no random player, so the answer needs no seed).
Q3_STRATEGIES = ["always_defect", "tit_for_tat", "grim_trigger", "always_cooperate"]
#: The sources of question 10, in the order the question lists them.
Q10_SOURCES = ["orders", "web_sessions", "survey_answers", "service_tickets"]


@cache
def _tables() -> dict:
    return profile.load_information_base()


def _orders_by_year() -> pd.DataFrame:
    orders = _tables()["orders"].copy()
    orders["year"] = pd.to_datetime(orders["order_date"]).dt.year
    return orders


def _buyers(year: int) -> set:
    orders = _orders_by_year()
    return set(orders.loc[orders["year"] == year, "customer_id"])


def _came_back(year: int, denominator: int | None = None) -> float:
    """Share of ``year - 1``'s buyers who bought in ``year`` (divided by the buyers of ``denominator``)."""
    both = _buyers(year - 1) & _buyers(year)
    return len(both) / len(_buyers(year - 1 if denominator is None else denominator))


def _payoffs(temptation: int, reward: int, punishment: int) -> relationship.Payoffs:
    return relationship.Payoffs(temptation=temptation, reward=reward, punishment=punishment, sucker=0)


def _threshold(temptation: int, reward: int, punishment: int) -> float:
    return relationship.critical_continuation(_payoffs(temptation, reward, punishment))


def _tft_against_defector(rounds: int, column: str = "payoff_a", how: str = "sum") -> float:
    return float(getattr(relationship.play("tit_for_tat", "always_defect", rounds)[column], how)())


@cache
def _categories(customer: str) -> pd.DataFrame:
    return profile.customer_profile(_tables(), customer).categories


def _top_category_share(customer: str) -> float:
    categories = _categories(customer)
    return float(categories["revenue_cny"].iloc[0] / categories["revenue_cny"].sum())


def _defector_payoff(rounds: int, strategy: str = "always_defect") -> float:
    return float(relationship.tournament(Q3_STRATEGIES, rounds=rounds).loc[strategy, "payoff_per_round"])


def _chapter_defector_payoff() -> float:
    """Always defect in the chapter's five-strategy tournament (random player, seed 1984)."""
    rng = np.random.default_rng(1984)
    relationship.tournament(rounds=1, rng=rng)
    return float(relationship.tournament(rounds=50, rng=rng).loc["always_defect", "payoff_per_round"])


def _b2b_ids() -> set:
    customers = _tables()["customers"]
    return set(customers.loc[customers["customer_type"] == "B2B", "customer_id"])


def _top_share(orders: pd.DataFrame, top: float, per_customer: bool = True) -> float:
    margin = orders.groupby("customer_id")["margin"].sum() if per_customer else orders["margin"]
    margin = margin.sort_values(ascending=False)
    return float(margin.iloc[: round(top * len(margin))].sum() / margin.sum())


def _b2b_orders() -> pd.DataFrame:
    orders = _tables()["orders"]
    return orders[orders["customer_id"].isin(_b2b_ids())]


def _records(customer: str, events_for_sessions: bool = False) -> pd.DataFrame:
    tables = _tables()
    web = tables["web_events"].loc[tables["web_events"]["customer_id"] == customer]
    counts = [
        int((tables["orders"]["customer_id"] == customer).sum()),
        len(web) if events_for_sessions else int(web["session_id"].nunique()),
        int((tables["survey"]["customer_id"] == customer).sum()),
        int((tables["tickets"]["customer_id"] == customer).sum()),
    ]
    return pd.DataFrame({"source": Q10_SOURCES, "records": counts})


QUESTIONS = [
    numeric(
        "ch02.q1",
        _threshold,
        abs=5e-4,
        variants=Q1_PAYOFFS,
        hint=[
            {
                "en": "compare two streams of payoffs against a partner who never forgives: cooperating for "
                "ever, worth R / (1 - δ), and defecting once, worth T + δ P / (1 - δ)",
                "zh": "比较面对一个永不原谅的对手时的两种收益流：永远合作，价值为 `R / (1 - δ)`；背叛一次，"
                "价值为 `T + δ P / (1 - δ)`",
            },
            {
                "en": "set the two equal and solve for δ: the threshold is (T - R) / (T - P); put in "
                "T = {temptation}, R = {reward}, P = {punishment}",
                "zh": "令两者相等并解出 `δ`：临界值为 `(T - R) / (T - P)`；代入 T = {temptation}、R = {reward}、"
                "P = {punishment}",
            },
            {
                "en": "to confirm, relationship.critical_continuation(payoffs) computes the same threshold",
                "zh": "可以用 `relationship.critical_continuation(payoffs)` 验证同一个临界值",
            },
        ],
        wrong=[
            mistake(lambda temptation, reward, punishment: 100 * _threshold(temptation, reward, punishment)),
            mistake(
                lambda temptation, reward, punishment: (temptation - reward) / (reward - punishment),
                because={
                    "en": "the denominator is T - P, not R - P: (T - R) / (R - P) is the threshold "
                    "for δ / (1 - δ), not for δ",
                    "zh": "分母应为 `T - P`，而不是 `R - P`：`(T - R) / (R - P)` 是 `δ / (1 - δ)` 的临界值，"
                    "不是 `δ` 的临界值",
                },
            ),
            mistake(
                lambda temptation, reward, punishment: (reward - punishment) / (temptation - punishment),
                because={
                    "en": "this is 1 - δ*: the numerator is the gain from defecting once, T - R",
                    "zh": "这是 `1 - δ*`：分子应为背叛一次多得的收益 `T - R`",
                },
            ),
            mistake(
                lambda: 0.5,
                because={
                    "en": "0.5 holds for Axelrod's payoffs (5, 3, 1, 0); these payoffs differ",
                    "zh": "0.5 只适用于阿克塞尔罗德的收益（5、3、1、0），本题的收益与之不同",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q2",
        _tft_against_defector,
        abs=0.01,  # payoffs are whole numbers of points
        variants={"rounds": Q2_ROUNDS},
        hint=[
            {
                "en": "write the {rounds} rounds down: what does tit for tat do in round 1, and what does it "
                "copy from then on?",
                "zh": "把 {rounds} 轮逐一写出来：针锋相对在第 1 轮怎么做？此后它照搬的是什么？",
            },
            {
                "en": "round 1 pays tit for tat the sucker's payoff S; rounds 2 to {rounds} are mutual "
                "defection, P each: add them up",
                "zh": "第 1 轮针锋相对得到受骗者收益 S；第 2 至第 {rounds} 轮双方都背叛，每轮得 P：把它们加起来",
            },
            {
                "en": "to confirm, relationship.play('tit_for_tat', 'always_defect', {rounds}) lists the "
                "rounds; sum its payoff_a column",
                "zh": "可以用 `relationship.play('tit_for_tat', 'always_defect', {rounds})` 列出每一轮，"
                "再对 `payoff_a` 列求和来验证",
            },
        ],
        wrong=[
            mistake(
                lambda rounds: _tft_against_defector(rounds, "payoff_b"),
                because={
                    "en": "this is the defector's total, not tit for tat's",
                    "zh": "这是始终背叛策略一方的总收益，而不是针锋相对的",
                },
            ),
            mistake(
                lambda rounds: _tft_against_defector(rounds, how="mean"),
                because={
                    "en": "this is the payoff per round; the question asks for the total over {rounds} rounds",
                    "zh": "这是每轮收益；题目要求的是 {rounds} 轮的总收益",
                },
            ),
            mistake(
                lambda rounds: float(rounds),
                because={
                    "en": "in round 1 tit for tat cooperates and gets the sucker's payoff, 0",
                    "zh": "第 1 轮针锋相对选择合作，只得到受骗者收益 0",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q3",
        _defector_payoff,
        abs=5e-3,
        variants={"rounds": Q3_ROUNDS},
        hint=[
            {
                "en": "always defect meets four partners (itself included): it exploits the unconditional "
                "cooperator in every round, but each partner that punishes defection only once",
                "zh": "始终背叛要与四个对手（包括它自己）各打一场：它每一轮都能占无条件合作者的便宜，"
                "但对会惩罚背叛的对手只能占一次便宜",
            },
            {
                "en": "its score is the mean over its four matches of the payoff per round: against always "
                "cooperate 5, against itself 1, against each reciprocator (5 + ({rounds} - 1) × 1) / {rounds}",
                "zh": "它的得分是四场比赛每轮收益的平均值：对始终合作得 5，对自己得 1，"
                "对每个会报复背叛的对手得 (5 + ({rounds} - 1) × 1) / {rounds}",
            },
            {
                "en": "to confirm, run relationship.tournament with the four strategies and rounds={rounds} "
                "and read the payoff_per_round of always_defect",
                "zh": "可以对这四种策略运行 `relationship.tournament`（`rounds={rounds}`），"
                "读出 `always_defect` 的 `payoff_per_round` 来验证",
            },
        ],
        wrong=[
            mistake(
                lambda: _defector_payoff(1),
                because={
                    "en": "this is the one-shot tournament (one round per match); the question asks for "
                    "{rounds} rounds",
                    "zh": "这是一次性博弈的锦标赛结果（每场只打一轮）；题目要求的是 {rounds} 轮",
                },
            ),
            mistake(
                lambda rounds: _defector_payoff(rounds, "tit_for_tat"),
                because={
                    "en": "this is tit for tat's payoff, not always defect's",
                    "zh": "这是针锋相对的收益，而不是始终背叛策略的",
                },
            ),
            mistake(
                _chapter_defector_payoff,
                because={
                    "en": "this is the chapter's tournament, which also has the random player; the question "
                    "has four strategies and no random player",
                    "zh": "这是本章包含随机策略的锦标赛结果；本题只有四种策略，没有随机策略",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q4",
        _top_category_share,
        rel=1e-3,
        variants={"customer": Q4_CUSTOMERS},
        hint=[
            {
                "en": "a share of spending: the revenue of this customer's largest category divided by all of "
                "this customer's revenue",
                "zh": "这是一个支出份额：该客户收入最高的品类的收入，除以该客户的全部收入",
            },
            {
                "en": "the customer's profile has a table of revenue by category, largest first: take its first "
                "row over the column's sum",
                "zh": "该客户的客户轮廓中有按品类列出的收入表，从大到小排列：用第一行除以整列之和",
            },
            {
                "en": "profile.customer_profile(tables, '{customer}').categories is that table; its column is "
                "revenue_cny",
                "zh": "`profile.customer_profile(tables, '{customer}').categories` 就是这张表，收入列为 `revenue_cny`",
            },
        ],
        wrong=[
            mistake(lambda customer: 100 * _top_category_share(customer)),
            mistake(
                lambda customer: float(_categories(customer)["revenue_cny"].iloc[0]),
                because={
                    "en": "this is the revenue of the top category; the question asks for its share",
                    "zh": "这是收入最高的品类的收入额；题目要求的是它所占的比例",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q5",
        lambda: _came_back(2023),
        rel=1e-3,
        hint=[
            {
                "en": "the people to follow are 2022's buyers: what share of them ordered again in 2023?",
                "zh": "要跟踪的是 2022 年的购买客户：他们中有多大比例在 2023 年再次下单？",
            },
            {
                "en": "make the set of customer ids with an order in 2022 and the set with an order in 2023; "
                "divide the size of their intersection by the size of the 2022 set",
                "zh": "分别取出 2022 年和 2023 年下过单的客户编号集合，用两者交集的大小除以 2022 年集合的大小",
            },
        ],
        wrong=[
            mistake(
                lambda: _came_back(2023, denominator=2023),
                because={
                    "en": "this divides by 2023's buyers: it is the share of this year's buyers who "
                    "also bought last year, not last year's buyers who came back",
                    "zh": "这里除以的是 2023 年的购买客户数：得到的是今年的购买客户中去年也买过的比例，"
                    "而不是去年的购买客户中今年再次购买的比例",
                },
            ),
            mistake(
                lambda: _came_back(2024),
                because={
                    "en": "this is 2023's buyers coming back in 2024, the year of the chapter's dashboard; the "
                    "question asks about 2022's buyers in 2023",
                    "zh": "这是 2023 年的购买客户在 2024 年再次购买的比例，即本章仪表盘的年份；"
                    "题目问的是 2022 年的购买客户在 2023 年的情况",
                },
            ),
            mistake(lambda: 100 * _came_back(2023)),
            mistake(
                lambda: float(len(_buyers(2022) & _buyers(2023))),
                because={
                    "en": "this is a number of customers; the question asks for a share",
                    "zh": "这是客户人数；题目要求的是比例",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q6",
        lambda top: _top_share(_b2b_orders(), top),
        rel=2e-3,
        variants={"top": Q6_TOP},
        hint=[
            {
                "en": "the same concentration measure as the dashboard, on business accounts only: what share "
                "of the business accounts' margin comes from the {top:.0%} of them that earned the most?",
                "zh": "与仪表盘相同的集中度指标，但只看企业客户：企业客户的边际收益中，"
                "有多大比例来自贡献最多的前 {top:.0%} 企业客户？",
            },
            {
                "en": "keep the orders of B2B customers (customer_type in the customers table), sum the margin "
                "per customer, sort it from largest, and divide the sum of the top {top:.0%} of accounts (rounded "
                "to whole accounts) by the total",
                "zh": "保留 B2B 客户（见 `customers` 表的 `customer_type`）的订单，按客户加总边际收益并从大到小排序，"
                "用前 {top:.0%} 客户（四舍五入到整数个客户）的边际收益之和除以总和",
            },
        ],
        wrong=[
            mistake(
                lambda top: _top_share(_tables()["orders"], top),
                because={
                    "en": "this is the whole customer base, as in the dashboard's indicator; keep the business "
                    "(B2B) accounts only",
                    "zh": "这是全体客户的结果，与仪表盘上的指标一样；应只保留企业（B2B）客户",
                },
            ),
            mistake(
                lambda top: _top_share(_b2b_orders(), top, per_customer=False),
                because={
                    "en": "this takes the top {top:.0%} of orders, not of accounts: add up each account's margin first",
                    "zh": "这取的是前 {top:.0%} 的订单，而不是前 {top:.0%} 的客户：应先加总每位客户的边际收益",
                },
            ),
            mistake(lambda top: 100 * _top_share(_b2b_orders(), top)),
        ],
    ),
    choice(
        "ch02.q7",
        "B",
        options={
            "A": ("referral markets", "推荐者市场"),
            "B": ("competitor markets", "竞争者市场"),
            "C": ("influence markets", "影响者市场"),
            "D": ("internal markets", "内部市场"),
        },
        hint=[
            {
                "en": "each of the six markets is a group the firm builds a lasting, mutually profitable "
                "relationship with: ask of each option whether the firm would want that",
                "zh": "六种市场中的每一种，都是企业希望与之建立长期互利关系的群体：逐项问一问，企业是否希望如此",
            },
            {
                "en": "compare the options with the six labels of the chapter's six markets figure, one by one",
                "zh": "把各选项逐一与本章六种市场框架图中的六个标签对照",
            },
        ],
        wrong=["A", "C", "D"],
    ),
    discussion(
        "ch02.q8",
        checklist=[
            {
                "en": "the claim: in relationship marketing the customer seeks fewer choices — a trusted "
                "supplier saves search, risk and decision effort",
                "zh": "观点：关系营销中客户希望减少选择——可信赖的供应商节省搜寻、风险和决策的精力",
            },
            {
                "en": "when it holds: frequent, complex or risky purchases (banking, healthcare, B2B "
                "supplies) and habitual buying",
                "zh": "何时成立：频繁、复杂或高风险的购买（银行、医疗、企业采购）以及习惯性购买",
            },
            {
                "en": "when it does not: cheap, low-risk or variety-seeking purchases, and online "
                "comparison that makes switching easy",
                "zh": "何时不成立：便宜、低风险或追求多样化的购买，以及网上比价使转换很容易",
            },
            {
                "en": "the link to the repeated game: a customer stays when the relationship's future "
                "value exceeds the gain from switching",
                "zh": "与重复博弈的联系：当关系的未来价值超过转换的收益时，客户才会留下",
            },
            {"en": "your own position, with an example", "zh": "你自己的看法，并举例说明"},
        ],
        min_words=60,
        min_chars=120,
        wrong=["Yes.", "同意。"],
    ),
    discussion(
        "ch02.q9",
        checklist=[
            {
                "en": "as a strategy: a firm-wide business strategy to raise profit, revenue and "
                "satisfaction, not a system of one department",
                "zh": "战略说：提高盈利、收入和满意度的企业级商业战略，而不是某个部门的系统",
            },
            {
                "en": "as a tactic: resources allocated by customer segment and processes redesigned "
                "around the customer",
                "zh": "策略说：按客户细分配置资源，以客户为中心重组业务流程",
            },
            {
                "en": "as a process: a continuing cycle of talking with customers, learning their needs "
                "and improving, supported by IT",
                "zh": "过程说：借助信息技术，不断与客户交流、了解需求并改进的连续过程",
            },
            {
                "en": "CRM is at once philosophy, management system and software; software alone fails",
                "zh": "CRM同时是管理理念、管理系统和管理软件；只有软件是不够的",
            },
            {"en": "your own definition in one sentence", "zh": "用一句话给出你自己的定义"},
        ],
        min_words=60,
        min_chars=120,
        wrong=["CRM is software.", "客户关系管理就是软件。"],
    ),
    frame(
        "ch02.q10",
        _records,
        columns=["source", "records"],
        key="source",
        abs=0.5,  # counts
        variants={"customer": Q4_CUSTOMERS},
        same_variant_as="ch02.q4",  # the customer of question 4
        hint=[
            {
                "en": "the information base is linked by the customer id: in each source, keep the rows of "
                "{customer} and count what the source records about them",
                "zh": "客户信息库靠客户编号相连：在每个数据源中保留 {customer} 的记录，再数出该数据源记下了多少条",
            },
            {
                "en": "orders, survey answers and service tickets are one row each; a web session is many "
                "events, so count distinct session ids, not event rows",
                "zh": "订单、问卷回答和服务工单都是一行一条；一次网站访问包含许多事件，"
                "所以要数不同的 `session_id`，而不是事件的行数",
            },
            {
                "en": "the tables are orders, web_events, survey and tickets of the information base; build "
                "a DataFrame with the columns source and records, one row per source named as in the question",
                "zh": "对应的表是客户信息库中的 `orders`、`web_events`、`survey` 和 `tickets`；"
                "建一个含 `source` 和 `records` 两列的 DataFrame，每个数据源一行，名称与题目一致",
            },
        ],
        wrong=[
            mistake(
                lambda customer: _records(customer, events_for_sessions=True),
                because={
                    "en": "the web row counts every event (page views, cart additions); a session is one visit: "
                    "count distinct session ids",
                    "zh": "网站这一行数的是每个事件（浏览页面、加入购物车等）；一次访问才是一个会话：应数不同的会话编号",
                },
            ),
            mistake(
                lambda: _records("C00526"),
                because={
                    "en": "these are the records of the chapter's customer C00526; the question asks about "
                    "{customer}",
                    "zh": "这是本章示例客户 C00526 的记录；题目问的是 {customer}",
                },
            ),
        ],
    ),
]
