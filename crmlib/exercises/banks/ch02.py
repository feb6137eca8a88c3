"""Chapter 02, relationship marketing and the nature of CRM (关系营销与CRM的性质):
the questions of ``exercises/solutions/02_relationship_marketing.ipynb``.

Expected answers are computed with crmlib (the repeated game, the demo company's
information base) the first time a student checks them; nothing is pasted.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import profile, relationship
from crmlib.exercises.engine import choice, discussion, mistake, numeric

#: The payoffs of question 1 (not Axelrod's, so the chapter's 0.5 does not carry over).
Q1_PAYOFFS = relationship.Payoffs(temptation=7, reward=4, punishment=2, sucker=0)
#: The customer of question 4.
Q4_CUSTOMER = "C00625"
#: The strategies of question 3 (no random player, so the answer needs no seed).
Q3_STRATEGIES = ["always_defect", "tit_for_tat", "grim_trigger", "always_cooperate"]


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


def _top_category_share() -> float:
    categories = profile.customer_profile(_tables(), Q4_CUSTOMER).categories
    return float(categories["revenue_cny"].iloc[0] / categories["revenue_cny"].sum())


def _defector_payoff(rounds: int) -> float:
    return float(
        relationship.tournament(Q3_STRATEGIES, rounds=rounds).loc["always_defect", "payoff_per_round"]
    )


def _top20_orders_share() -> float:
    margin = _tables()["orders"]["margin"].sort_values(ascending=False)
    top = round(0.2 * len(margin))
    return float(margin.iloc[:top].sum() / margin.sum())


QUESTIONS = [
    numeric(
        "ch02.q1",
        lambda: relationship.critical_continuation(Q1_PAYOFFS),
        abs=5e-4,
        hint={
            "en": "compare R / (1 - δ) with T + δ P / (1 - δ) and solve for δ",
            "zh": "比较 `R / (1 - δ)` 与 `T + δ P / (1 - δ)`，解出 `δ`",
        },
        wrong=[
            mistake(lambda: 100 * relationship.critical_continuation(Q1_PAYOFFS)),
            mistake(
                lambda: (7 - 4) / (4 - 2),
                because={
                    "en": "the denominator is T - P, not R - P: (T - R) / (R - P) is the threshold "
                    "for δ / (1 - δ), not for δ",
                    "zh": "分母应为 `T - P`，而不是 `R - P`：`(T - R) / (R - P)` 是 `δ / (1 - δ)` 的临界值，"
                    "不是 `δ` 的临界值",
                },
            ),
            mistake(
                lambda: (4 - 2) / (7 - 2),
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
        lambda: float(relationship.play("tit_for_tat", "always_defect", 10)["payoff_a"].sum()),
        abs=0.01,  # payoffs are whole numbers of points
        hint={
            "en": "tit for tat cooperates in round 1 and then copies the other's last move",
            "zh": "以牙还牙策略在第 1 轮合作，之后每轮照搬对方上一轮的做法",
        },
        wrong=[
            mistake(
                lambda: float(relationship.play("tit_for_tat", "always_defect", 10)["payoff_b"].sum()),
                because={
                    "en": "this is the defector's total, not tit for tat's",
                    "zh": "这是始终背叛策略一方的总收益，而不是以牙还牙策略的",
                },
            ),
            mistake(
                lambda: float(relationship.play("tit_for_tat", "always_defect", 10)["payoff_a"].mean()),
                because={
                    "en": "this is the payoff per round; the question asks for the total over 10 rounds",
                    "zh": "这是每轮收益；题目要求的是 10 轮的总收益",
                },
            ),
            mistake(
                lambda: 10.0,
                because={
                    "en": "in round 1 tit for tat cooperates and gets the sucker's payoff, 0",
                    "zh": "第 1 轮以牙还牙策略选择合作，只得到受骗者收益 0",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q3",
        lambda: _defector_payoff(50),
        abs=5e-3,
        hint={
            "en": "in a long game the defector exploits each cooperator once and is then punished: play "
            "the four strategies against each other over 50 rounds (relationship.tournament) and read "
            "its payoff per round",
            "zh": "在长期博弈中，背叛者只能占合作者一次便宜，之后就会受到惩罚：让四种策略相互进行 50 轮博弈"
            "（`relationship.tournament`），再读出它的每轮收益",
        },
        wrong=[
            mistake(
                lambda: _defector_payoff(1),
                because={
                    "en": "this is the one-shot tournament (rounds=1); the question asks for 50 rounds",
                    "zh": "这是一次性博弈的锦标赛结果（`rounds=1`）；题目要求的是 50 轮",
                },
            ),
            mistake(
                lambda: float(
                    relationship.tournament(Q3_STRATEGIES, rounds=50).loc["tit_for_tat", "payoff_per_round"]
                ),
                because={
                    "en": "this is tit for tat's payoff, not always defect's",
                    "zh": "这是以牙还牙策略的收益，而不是始终背叛策略的",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q4",
        _top_category_share,
        rel=1e-3,
        hint={
            "en": "profile.customer_profile(tables, 'C00625').categories holds revenue by category, largest first",
            "zh": "`profile.customer_profile(tables, 'C00625').categories` 按品类列出收入，从大到小排列",
        },
        wrong=[
            mistake(lambda: 100 * _top_category_share()),
            mistake(
                lambda: float(
                    profile.customer_profile(_tables(), Q4_CUSTOMER).categories["revenue_cny"].iloc[0]
                ),
                because={
                    "en": "this is the revenue of the top category; the question asks for its share",
                    "zh": "这是收入最高的品类的收入额；题目要求的是它所占的比例",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q5",
        lambda: len(_buyers(2023) & _buyers(2024)) / len(_buyers(2023)),
        rel=1e-3,
        hint={
            "en": "take the set of customers with an order in 2023 and ask what share of them ordered in 2024",
            "zh": "先取出 2023 年下过单的客户集合，再看其中有多大比例在 2024 年也下了单",
        },
        wrong=[
            mistake(
                lambda: len(_buyers(2023) & _buyers(2024)) / len(_buyers(2024)),
                because={
                    "en": "this divides by 2024's buyers: it is the share of this year's buyers who "
                    "also bought last year, not last year's buyers who came back",
                    "zh": "这里除以的是 2024 年的购买客户数：得到的是今年的购买客户中去年也买过的比例，"
                    "而不是去年的购买客户中今年再次购买的比例",
                },
            ),
            mistake(lambda: 100 * len(_buyers(2023) & _buyers(2024)) / len(_buyers(2023))),
            mistake(
                lambda: float(len(_buyers(2023) & _buyers(2024))),
                because={
                    "en": "this is a number of customers; the question asks for a share",
                    "zh": "这是客户人数；题目要求的是比例",
                },
            ),
        ],
    ),
    numeric(
        "ch02.q6",
        lambda: float(profile.ten_c_indicators(_tables()).loc["customer_profitability", "value"]),
        rel=2e-3,
        hint={
            "en": "sum the margin per customer first, sort, and take the top 20% of customers "
            "(chapter 04's value.top_share does the same)",
            "zh": "先按客户加总边际收益，再排序，取前 20% 的客户（第 04 章的 `value.top_share` 做的是同样的计算）",
        },
        wrong=[
            mistake(
                _top20_orders_share,
                because={
                    "en": "this takes the top 20% of orders, not of customers: add up each customer's margin first",
                    "zh": "这取的是前 20% 的订单，而不是前 20% 的客户：应先加总每位客户的边际收益",
                },
            ),
            mistake(
                lambda: (
                    100 * float(profile.ten_c_indicators(_tables()).loc["customer_profitability", "value"])
                )
            ),
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
        hint={
            "en": "each of the six markets is a group the firm builds relationships with, outside or "
            "inside the firm: check each option against the six markets model of chapter 02",
            "zh": "六种市场都是企业要与之建立关系的群体，有的在企业外部，有的在企业内部：请对照第 02 章的六种市场框架逐项核对",
        },
        wrong=["A", "C", "D"],
    ),
    discussion(
        "ch02.q8",
        checklist=[
            {
                "en": "the claim: in relationship marketing the customer seeks fewer choices — a trusted "
                "supplier saves search, risk and decision effort",
                "zh": "观点：关系营销中顾客希望减少选择——可信赖的供应商节省搜寻、风险和决策的精力",
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
                "zh": "与重复博弈的联系：当关系的未来价值超过转换的收益时，顾客才会留下",
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
                "zh": "策略说：按客户细分配置资源，以顾客为中心重组业务流程",
            },
            {
                "en": "as a process: a continuing cycle of talking with customers, learning their needs "
                "and improving, supported by IT",
                "zh": "过程说：借助信息技术，不断与顾客交流、了解需求并改进的连续过程",
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
]
