"""Chapter 08, customer development and key accounts (客户发展与大客户管理): the questions of
``exercises/solutions/08_customer_development_key_accounts.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the first
time a student checks it; nothing here is a pasted number. Most questions ask
for what the chapter did not print: another rule, another level of the product
hierarchy, another customer, cost, threshold or discount rate.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import basket, key_accounts, models, transactions, value
from crmlib.datasets import DEMO_OBSERVATION_END, load_demo
from crmlib.exercises.engine import discussion, integer, mistake, numeric

#: Question 1: the rule whose confidence is asked, at the product-line level.
Q1_RULE = ("Infant Formula", "Diapers")
#: Question 2: the minimum support for rules between single products.
Q2_MIN_SUPPORT = 0.01
#: Question 3: the customer group and category of the share of wallet.
Q3_TYPE, Q3_CATEGORY = "B2B", "Office Supplies"
#: Question 4: the customers whose next best offer is asked, one per variant, the default first.
Q4_CUSTOMER = ["C00884", "C00190", "C00243", "C00181", "C00089"]
#: Question 5: orders per block of the up-sell ladder.
Q5_BLOCK = 2
#: Question 6: the costs of a sales-rep visit, one per variant, the default first (the chapter assumed 150 CNY).
Q6_REP_COST = [300.0, 350.0, 400.0, 500.0, 600.0]
#: Question 7: the shares of wallet a partnership account needs (the chapter: 0.3).
Q7_PARTNERSHIP_SHARE = [0.4, 0.35, 0.45, 0.5, 0.55]
#: Question 8: the discount rates of the customer equity (the chapter: 0.10).
Q8_DISCOUNT_RATE = [0.15, 0.12, 0.18, 0.20, 0.25]
YEAR = ("2024-01-01", "2024-12-31")


@cache
def _lines() -> pd.DataFrame:
    return basket.line_items(load_demo("order_lines"), load_demo("orders"), load_demo("products"))


@cache
def _line_rules(min_support: float = 0.01) -> pd.DataFrame:
    return basket.association_rules(_lines(), item_col="product_line", min_support=min_support)


def _rule(antecedent: str, consequent: str, column: str = "confidence") -> float:
    rules = _line_rules().set_index(["antecedent", "consequent"])
    return float(rules.loc[(antecedent, consequent), column])


def _product_rules(min_support: float = Q2_MIN_SUPPORT, pairs: bool = False) -> int:
    rules = basket.association_rules(_lines(), item_col="product_id", min_support=min_support)
    return int(len(rules) // 2 if pairs else len(rules))


@cache
def _wallets() -> pd.DataFrame:
    wallets = load_demo("category_wallets")
    types = load_demo("customers").set_index("customer_id")["customer_type"]
    return wallets.assign(customer_type=types.loc[wallets["customer_id"]].to_numpy())


def _share_of_wallet(customer_type: str | None = Q3_TYPE, unweighted: bool = False) -> float:
    wallets = _wallets()
    if customer_type is not None:
        wallets = wallets[wallets["customer_type"] == customer_type]
    wallets = wallets[wallets["category"] == Q3_CATEGORY]
    if unweighted:
        return float((wallets["spend_here"] / wallets["wallet"]).mean())
    return float(basket.wallet_summary(wallets, by="category").loc[Q3_CATEGORY, "share_of_wallet"])


def _first_offer(
    customer: str = Q4_CUSTOMER[0], column: str = "confidence", score_col: str = "confidence"
) -> float:
    lines = _lines()
    owned = sorted(lines.loc[lines["customer_id"] == customer, "product_line"].unique())
    offers = basket.next_best_offer(_line_rules(), owned, top=1, score_col=score_col)
    return float(offers[column].iloc[0])


@cache
def _consumer_lines() -> pd.DataFrame:
    customers = load_demo("customers")
    consumers = customers.loc[customers["customer_type"] == "B2C", "customer_id"]
    return _lines()[_lines()["customer_id"].isin(consumers)]


def _moved_up(block: int = Q5_BLOCK, direction: str = "up") -> float:
    steps = basket.tier_ladder(_consumer_lines(), block=block)
    return float((steps["move"] == direction).mean())


@cache
def _accounts() -> pd.DataFrame:
    customers = load_demo("customers")
    return customers[customers["customer_type"] == "B2B"]


def _profit(start: str = YEAR[0], end: str = YEAR[1], rep_cost: float = 150.0) -> pd.DataFrame:
    return key_accounts.account_profit(
        _accounts(),
        load_demo("orders"),
        load_demo("tickets"),
        load_demo("calls"),
        start=start,
        end=end,
        cost_per_rep_order=rep_cost,
    )


def _class_a(rep_cost: float = Q6_REP_COST[0], value_col: str = "profit") -> int:
    classes = key_accounts.abc_classes(_profit(rep_cost=rep_cost), value_col=value_col)
    return int((classes["abc_class"] == "A").sum())


@cache
def _features() -> pd.DataFrame:
    orders = load_demo("orders")
    lines = _lines().merge(orders[["order_id", "channel"]], on="order_id")
    return key_accounts.account_features(
        _accounts(),
        lines,
        load_demo("tickets"),
        load_demo("calls"),
        load_demo("opportunities"),
        load_demo("category_wallets"),
        as_of=DEMO_OBSERVATION_END,
    )


def _stage_count(share: float = Q7_PARTNERSHIP_SHARE[0], stage: str = "partnership_kam") -> int:
    rules = key_accounts.StageRules(partnership_share=share)
    return int((key_accounts.kam_stages(_features(), rules)["kam_stage"] == stage).sum())


@cache
def _alive() -> pd.Series:
    orders = load_demo("orders")
    business = orders[orders["customer_id"].isin(_accounts()["customer_id"])]
    history = transactions.rfm_summary(
        business,
        date_col="order_date",
        amount_col=None,
        observation_end=DEMO_OBSERVATION_END,
        duplicates="keep",
    )
    model = models.BGNBD().fit(history["frequency"], history["recency"], history["T"])
    return pd.Series(
        np.asarray(model.p_alive(history["frequency"], history["recency"], history["T"])), index=history.index
    )


def _equity_a(rate: float = Q8_DISCOUNT_RATE[0], with_alive: bool = True, share: bool = False) -> float:
    last_year = key_accounts.abc_classes(_profit("2023-01-01", "2023-12-31"))
    buyers = load_demo("orders").query("order_date >= '2024-01-01'")["customer_id"]
    last_year["kept"] = last_year.index.isin(buyers)
    retention = last_year[last_year["orders"] > 0].groupby("abc_class")["kept"].mean()
    multiplier = {c: value.retention_clv(1.0, r, rate) for c, r in retention.items()}
    assets = key_accounts.abc_classes(_profit())
    alive = _alive().reindex(assets.index).fillna(0.0) if with_alive else 1.0
    clv = alive * assets["profit"] * assets["abc_class"].map(multiplier)
    a = float(clv[assets["abc_class"] == "A"].sum())
    return a / float(clv.sum()) if share else a


QUESTIONS = [
    numeric(
        "ch08.q1",
        lambda: _rule(*Q1_RULE),
        abs=5e-4,
        hint={
            "en": "confidence(A → B) is the share of the baskets with A that also hold B; mine the rules between "
            "product lines and find the row with A = Infant Formula and B = Diapers",
            "zh": "置信度 confidence(A → B) 是包含 A 的购物篮中同时包含 B 的比例；在产品线层面挖掘关联规则，"
            "找出前项为 Infant Formula、后项为 Diapers 的那一行",
        },
        wrong=[
            mistake(
                lambda: _rule(*reversed(Q1_RULE)),
                because={
                    "en": "this is Diapers → Infant Formula: confidence depends on the direction of the rule",
                    "zh": "这是 Diapers → Infant Formula 的置信度：置信度与规则的方向有关",
                },
            ),
            mistake(
                lambda: _rule(*Q1_RULE, column="lift"),
                because={
                    "en": "this is the lift; confidence is support(A, B) / support(A)",
                    "zh": "这是提升度；置信度是 support(A, B) / support(A)",
                },
            ),
            mistake(
                lambda: _rule(*Q1_RULE, column="support"),
                because={
                    "en": "this is the support of the pair, the share of all orders that hold both",
                    "zh": "这是商品组合的支持度，即同时包含两者的订单占全部订单的比例",
                },
            ),
            mistake(lambda: 100 * _rule(*Q1_RULE)),
        ],
    ),
    integer(
        "ch08.q2",
        _product_rules,
        hint={
            "en": "the same mining as the chapter's, one level finer: the item is the single product, and a rule "
            "needs a support of at least 1 % of the orders; count the rules (both directions of a pair)",
            "zh": "与本章相同的挖掘方法，但细化到单个产品：项目是单个产品，规则的支持度至少为订单数的 1%；"
            "统计规则数（一对商品有两个方向）",
        },
        wrong=[
            mistake(
                lambda: _product_rules(pairs=True),
                because={
                    "en": "this counts each pair once; the rules A → B and B → A are two rules",
                    "zh": "这里每对商品只算了一次；A → B 和 B → A 是两条规则",
                },
            ),
            mistake(
                lambda: _product_rules(min_support=0.001),
                because={
                    "en": "this uses a minimum support of 0.1 %; the question asks for 1 % (0.01)",
                    "zh": "这里的最小支持度是 0.1%；题目要求的是 1%（0.01）",
                },
            ),
            mistake(
                lambda: len(_line_rules()),
                because={
                    "en": "this is the chapter's count between product lines; the question asks for single products",
                    "zh": "这是本章在产品线层面的规则数；题目问的是单个产品",
                },
            ),
        ],
    ),
    numeric(
        "ch08.q3",
        _share_of_wallet,
        abs=5e-4,
        hint={
            "en": "keep the business (B2B) customers' rows of category_wallets for Office Supplies; share of wallet "
            "is their total spend here over their total wallet",
            "zh": "在 category_wallets 中保留企业客户（B2B）在 Office Supplies 品类的记录；客户份额是这些记录在本企业的"
            "总消费除以总支出",
        },
        wrong=[
            mistake(
                lambda: _share_of_wallet(None),
                because={
                    "en": "this is the share of all buyers; the question asks for the business customers",
                    "zh": "这是全部购买客户的客户份额；题目问的是企业客户",
                },
            ),
            mistake(
                lambda: _share_of_wallet(unweighted=True),
                because={
                    "en": "this is the mean of each customer's share; the share of wallet of a group divides the "
                    "totals (a large wallet counts more)",
                    "zh": "这是每位客户份额的平均值；一组客户的客户份额应以总额相除（支出大的客户权重大）",
                },
            ),
            mistake(lambda: 100 * _share_of_wallet()),
        ],
    ),
    numeric(
        "ch08.q4",
        _first_offer,
        abs=5e-4,
        variants={"customer": Q4_CUSTOMER},
        hint={
            "en": "collect the product lines customer {customer} has bought, then rank the rules (at least 1 % support) "
            "that lead from those lines to lines the customer has not bought",
            "zh": "先找出客户 {customer} 购买过的产品线，再对从这些产品线指向其未购买产品线的规则（支持度至少 1%）排序",
        },
        wrong=[
            mistake(
                lambda customer: _first_offer(customer, column="lift"),
                because={
                    "en": "this is the lift of the first offer; the question asks for its confidence",
                    "zh": "这是第一个推荐的提升度；题目问的是置信度",
                },
            ),
            mistake(
                lambda customer: _first_offer(customer, score_col="lift"),
                because={
                    "en": "this ranks the offers by lift; the chapter ranks them by confidence",
                    "zh": "这里按提升度对推荐排序；本章按置信度排序",
                },
            ),
        ],
    ),
    numeric(
        "ch08.q5",
        _moved_up,
        abs=5e-4,
        hint={
            "en": "the chapter compared orders 1–3 with orders 4–6; compare orders 1–2 with orders 3–4 instead, "
            "for the consumers, and take the share of customers whose main tier went up",
            "zh": "本章比较了第1–3笔与第4–6笔订单；改为比较消费者的第1–2笔与第3–4笔订单，求主要档次上升的客户比例",
        },
        wrong=[
            mistake(
                lambda: _moved_up(block=3),
                because={
                    "en": "this is the chapter's block of 3 orders; the question asks for blocks of 2",
                    "zh": "这是本章每组3笔订单的结果；题目要求每组2笔",
                },
            ),
            mistake(
                lambda: _moved_up(direction="down"),
                because={
                    "en": "this is the share that moved down",
                    "zh": "这是档次下降的客户比例",
                },
            ),
            mistake(lambda: 100 * _moved_up()),
        ],
    ),
    integer(
        "ch08.q6",
        _class_a,
        filtered=True,
        variants={"rep_cost": Q6_REP_COST},
        hint={
            "en": "recompute the profit after the cost to serve of the business accounts in 2024 with {rep_cost:g} "
            "instead of 150 CNY per sales-rep order, then classify again",
            "zh": "把每笔销售代表订单的成本由 150 元改为 {rep_cost:g} 元，重新计算企业客户2024年扣除服务成本后的利润，再做ABC分类",
        },
        wrong=[
            mistake(
                lambda: _class_a(rep_cost=150.0),
                because={
                    "en": "this is the chapter's count with 150 CNY per visit",
                    "zh": "这是本章按每次拜访 150 元计算的结果",
                },
            ),
            mistake(
                lambda rep_cost: _class_a(rep_cost, value_col="revenue"),
                because={
                    "en": "this classifies by revenue; key accounts are found by profit after the cost to serve",
                    "zh": "这是按收入分类的结果；大客户应按扣除服务成本后的利润来识别",
                },
            ),
        ],
    ),
    integer(
        "ch08.q7",
        _stage_count,
        filtered=True,
        variants={"share": Q7_PARTNERSHIP_SHARE},
        hint=[
            {
                "en": "a stricter threshold moves some accounts down a stage: count the accounts that still "
                "meet every condition of the partnership stage when it asks for a share of wallet of {share}",
                "zh": "门槛提高后，一部分客户会降到较低的阶段：数一数在伙伴式阶段要求客户份额达到 {share} 时，"
                "仍满足其全部条件的客户",
            },
            {
                "en": "build the stage rules with a partnership share of wallet of {share} (key_accounts.StageRules) "
                "and assess the stages again",
                "zh": "把伙伴式阶段的客户份额门槛设为 {share}（key_accounts.StageRules），重新评估各客户所处的阶段",
            },
        ],
        wrong=[
            mistake(
                lambda: _stage_count(share=0.3),
                because={
                    "en": "this is the chapter's count with a threshold of 0.3",
                    "zh": "这是本章门槛为 0.3 时的结果",
                },
            ),
            mistake(
                lambda share: _stage_count(share, "mid_kam"),
                because={
                    "en": "this counts the mid-KAM accounts, where the accounts that fail the new threshold go",
                    "zh": "这统计的是中期阶段的客户，即不满足新门槛的客户所落入的阶段",
                },
            ),
        ],
    ),
    numeric(
        "ch08.q8",
        _equity_a,
        rel=2e-3,
        variants={"rate": Q8_DISCOUNT_RATE},
        hint={
            "en": "repeat section 10 with a discount rate of {rate}: the value of one CNY of yearly profit per class, "
            "times P(alive) and the 2024 profit, summed over the class-A accounts",
            "zh": "用 {rate} 的折现率重做第10节：按类别计算每元年利润的价值，乘以存活概率和2024年利润，再对A类客户求和",
        },
        wrong=[
            mistake(
                lambda: _equity_a(rate=0.10),
                because={
                    "en": "this is the chapter's value with a discount rate of 0.10",
                    "zh": "这是本章折现率为 0.10 时的结果",
                },
            ),
            mistake(
                lambda rate: _equity_a(rate, with_alive=False),
                because={
                    "en": "this leaves out P(alive): an account that has stopped buying is valued as if it were alive",
                    "zh": "这里没有乘以存活概率：已经停止购买的客户也被当作仍然活跃来估值",
                },
            ),
            mistake(
                lambda rate: _equity_a(rate, share=True),
                because={
                    "en": "this is class A's share of the equity; the question asks for the amount in CNY",
                    "zh": "这是A类客户在客户资产中的占比；题目问的是金额（元）",
                },
            ),
        ],
    ),
    discussion(
        "ch08.q9",
        checklist=[
            {
                "en": "a key account (大客户, also 重点客户 or 关键客户) is a customer of strategic importance, singled out "
                "for special attention; it may be an end user or a distributor, dealer or agent",
                "zh": "大客户（也称重点客户、关键客户）是具有战略意义、被挑选出来给予特别关注的客户，可以是终端客户，"
                "也可以是分销商、经销商或代理商",
            },
            {
                "en": "identified by value, not size: profit after the cost to serve, and potential (the 80/20 rule, "
                "ABC classification)",
                "zh": "按价值而不是规模识别：扣除服务成本后的利润以及潜力（80/20法则、ABC分类法）",
            },
            {
                "en": "the strategy answers who they are, what they want and how they are managed: three priorities "
                "(优先、优质、优惠) and a dedicated service centre",
                "zh": "大客户战略回答客户是谁、客户想要什么、客户如何被管理：三优服务（优先、优质、优惠）和专门的客户服务中心",
            },
            {
                "en": "an example from the chapter with numbers (e.g. the class-A accounts' share of profit, or two "
                "large accounts that fall out of class A once their cost to serve is counted)",
                "zh": "用本章的数字举例（如A类客户的利润占比，或计入服务成本后跌出A类的两个大客户）",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Big customers.", "大的客户。"],
    ),
    discussion(
        "ch08.q10",
        checklist=[
            {
                "en": '"the customer is god" asks obedience in every sale; "the customer is a friend" builds a '
                "partnership of equals for mutual benefit, in which the firm may advise and say no",
                "zh": "“客户是上帝”要求每笔交易都服从客户；“客户是朋友”建立平等互利的伙伴关系，企业可以提建议，也可以说不",
            },
            {
                "en": "a friendship lasts and widens: it is the ground of customer development (cross-selling, "
                "up-selling, a larger share of wallet)",
                "zh": "朋友关系持久且不断加深：这是客户发展（交叉销售、向上销售、提高客户份额）的基础",
            },
            {
                "en": "customer asset management values customers as assets (CLV, customer equity) and invests "
                "where the value is: develop, keep, serve more cheaply or let go",
                "zh": "客户资产管理把客户当作资产来估值（客户生命周期价值、客户资产），把投入放在价值所在之处："
                "发展、保持、降低服务成本或放弃",
            },
            {
                "en": "a risk or limit: treating customers as assets must not turn into exploiting them; values are "
                "estimates that rest on assumptions",
                "zh": "风险或局限：把客户当作资产不能变成榨取客户；价值是基于假设的估计",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Customers are friends.", "客户是朋友。"],
    ),
]

__all__ = [
    "QUESTIONS",
    "Q1_RULE",
    "Q2_MIN_SUPPORT",
    "Q3_TYPE",
    "Q3_CATEGORY",
    "Q4_CUSTOMER",
    "Q5_BLOCK",
    "Q6_REP_COST",
    "Q7_PARTNERSHIP_SHARE",
    "Q8_DISCOUNT_RATE",
]
