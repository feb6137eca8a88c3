"""Exam bank of chapter 08, customer development and key accounts (客户发展与大客户管理)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import basket
from crmlib.datasets import load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, both, zh

_CATEGORIES = [
    "Coffee & Tea",
    "Kitchen Appliances",
    "Snacks",
    "Baby & Kids",
    "Home Cleaning",
    "Personal Care",
    "Electronics",
]


@cache
def _lines() -> pd.DataFrame:
    return basket.line_items(load_demo("order_lines"), load_demo("orders"), load_demo("products"))


@cache
def _rules(min_support: float = 0.01) -> pd.DataFrame:
    return basket.association_rules(_lines(), item_col="product_line", min_support=min_support)


def _draw_rule(rng) -> dict:
    """A rule beyond the strongest twelve, which the chapter prints."""
    ranked = (
        _rules().sort_values(["lift", "antecedent", "consequent"], ascending=[False, True, True]).iloc[12:60]
    )
    row = ranked.iloc[int(rng.integers(len(ranked)))]
    return {"antecedent": str(row["antecedent"]), "consequent": str(row["consequent"])}


def _lift(antecedent: str, consequent: str) -> float:
    rules = _rules().set_index(["antecedent", "consequent"])
    return float(rules.loc[(antecedent, consequent), "lift"])


def _rule_count(percent: float) -> int:
    return len(basket.association_rules(_lines(), item_col="product_line", min_support=percent / 100))


def _share_of_wallet(category: str, customer_type: str, type_name: str) -> float:
    wallets = load_demo("category_wallets")
    types = load_demo("customers").set_index("customer_id")["customer_type"]
    wallets = wallets[types.loc[wallets["customer_id"]].to_numpy() == customer_type]
    return float(basket.wallet_summary(wallets, by="category").loc[category, "share_of_wallet"])


QUESTIONS = [
    MultipleChoice(
        id="ch08.e1",
        heading={"en": "Cross-selling or up-selling", "zh": "交叉销售还是向上销售"},
        stem={
            "en": "A customer who bought a basic coffee machine is offered the premium model of the same line. This is ...",
            "zh": "一位买了基础款咖啡机的客户，被推荐购买同一系列的高端型号。这是……",
        },
        options={
            "A": both("up_selling"),
            "B": both("cross_selling"),
            "C": both("next_best_offer"),
            "D": both("market_basket_analysis"),
        },
        correct="A",
        explanation={
            "en": "Selling a better or dearer product of the same kind deepens the relationship: up-selling.",
            "zh": "销售同类中更好或更贵的产品，加深了客户关系：这是向上销售。",
        },
        why_not={
            "B": {
                "en": "Cross-selling sells products of other categories (coffee beans to the buyer of the machine).",
                "zh": "交叉销售是销售其他品类的产品（向咖啡机的购买者推荐咖啡豆）。",
            },
            "C": {
                "en": "A next best offer is a method to choose an offer from association rules, not the kind of offer.",
                "zh": "下一个最佳推荐是一种根据关联规则选择推荐内容的方法，而不是推荐的种类。",
            },
            "D": {
                "en": "Market basket analysis finds the products bought together; it is the raw material of cross-selling.",
                "zh": "购物篮分析找出一起购买的产品；它是交叉销售的原材料。",
            },
        },
    ),
    MultipleChoice(
        id="ch08.e2",
        heading={"en": "Confidence is not symmetric", "zh": "置信度不对称"},
        stem={
            "en": "Coffee machine → coffee beans and coffee beans → coffee machine rest on the same 1,299 orders and have the "
            "same support (0.038) and lift (3.212). Which measure differs between the two directions, and why?",
            "zh": "咖啡机 → 咖啡豆与咖啡豆 → 咖啡机基于同样的 1,299 笔订单，支持度（0.038）和提升度（3.212）也相同。哪个指标在两个方向上不同？为什么？",
        },
        options={
            "A": {
                "en": f"{bi('rule_confidence')}: it divides by the support of the antecedent, and beans are bought more often than machines",
                "zh": f"{zh('rule_confidence')}：它除以前项的支持度，而咖啡豆比咖啡机买得更频繁",
            },
            "B": {
                "en": f"{bi('rule_lift')}: it divides by the support of the consequent only",
                "zh": f"{zh('rule_lift')}：它只除以后项的支持度",
            },
            "C": {
                "en": f"{bi('rule_support')}: it counts the antecedent's orders",
                "zh": f"{zh('rule_support')}：它统计前项的订单",
            },
            "D": {"en": "none: all three measures are symmetric", "zh": "没有：三个指标都是对称的"},
        },
        correct="A",
        explanation={
            "en": "confidence(A → B) = support(A, B) / support(A): 0.413 of machine orders hold beans, 0.298 of bean orders hold a machine.",
            "zh": "置信度(A → B) = 支持度(A, B) / 支持度(A)：含咖啡机的订单中有 0.413 含咖啡豆，含咖啡豆的订单中有 0.298 含咖啡机。",
        },
        why_not={
            "B": {
                "en": "Lift divides by both supports, support(A) × support(B), and is symmetric.",
                "zh": "提升度除以两个支持度之积，支持度(A) × 支持度(B)，因此是对称的。",
            },
            "C": {
                "en": "Support of the pair counts the orders holding both; it is the same in both directions.",
                "zh": "一对商品的支持度统计同时包含两者的订单；它在两个方向上相同。",
            },
            "D": {
                "en": "Confidence is not symmetric, which is why the direction of an offer matters.",
                "zh": "置信度不对称，这正是推荐的方向很重要的原因。",
            },
        },
    ),
    MultipleChoice(
        id="ch08.e3",
        heading={"en": "A minimum support", "zh": "最小支持度"},
        stem={
            "en": "On the 632 orders of the first quarter of 2022, pairs seen in only 1-4 baskets had lifts above 2 (median "
            "3.14); in the later orders their median lift was 1.07. What does the chapter conclude?",
            "zh": "在 2022 年第一季度的 632 笔订单中，只出现在 1—4 个购物篮里的商品对，提升度都高于 2（中位数 3.14）；在之后的订单中，它们的提升度中位数为 1.07。本章由此得出什么结论？",
        },
        options={
            "A": {
                "en": "A high lift on a rare pair is mostly noise; a rule must rest on enough baskets, hence a minimum support.",
                "zh": "稀有商品对的高提升度大多是噪声；一条规则必须基于足够多的购物篮，所以要设最小支持度。",
            },
            "B": {
                "en": "Customers changed their habits after the first quarter.",
                "zh": "客户在第一季度之后改变了习惯。",
            },
            "C": {"en": "Lift should be replaced by confidence.", "zh": "应当用置信度代替提升度。"},
            "D": {
                "en": "Rare pairs are the best cross-selling opportunities.",
                "zh": "稀有的商品对是最好的交叉销售机会。",
            },
        },
        correct="A",
        explanation={
            "en": "Lift is a ratio of small counts for rare pairs; the chapter's minimum support of 1 % rests on a statistical and a managerial argument.",
            "zh": "对稀有商品对来说，提升度是小计数之比；本章 1% 的最小支持度有统计上和管理上的两方面理由。",
        },
        why_not={
            "B": {
                "en": "Pairs seen often held up (the 3 pairs seen 20 times or more all kept a lift above 2): habits did not change, chance did.",
                "zh": "经常出现的商品对保持了原有的水平（出现 20 次及以上的 3 对提升度都保持在 2 以上）：变化的不是习惯，而是偶然性。",
            },
            "C": {
                "en": "Confidence of a rare pair is just as noisy; the remedy is enough baskets.",
                "zh": "稀有商品对的置信度同样充满噪声；解决办法是要有足够多的购物篮。",
            },
            "D": {
                "en": "A pair in fewer than 1 % of orders reaches few customers and is likely chance.",
                "zh": "出现在不到 1% 订单中的商品对只能触及很少的客户，而且很可能是偶然。",
            },
        },
    ),
    MultipleChoice(
        id="ch08.e4",
        heading={"en": "Key accounts by profit", "zh": "按利润确定大客户"},
        stem={
            "en": f"Why does the chapter rank business accounts for the {bi('abc_classification')} by profit after the "
            f"{bi('cost_to_serve')} rather than by revenue?",
            "zh": f"在{zh('abc_classification')}中，为什么本章按扣除{zh('cost_to_serve')}后的利润，而不是按收入，为企业客户排序？",
        },
        options={
            "A": {
                "en": "Accounts that buy a lot can cost a lot to serve (sales visits, tickets, calls); revenue hides that some large accounts earn little.",
                "zh": "买得多的客户，服务成本也可能很高（销售拜访、服务工单、电话）；收入掩盖了一些大客户赚钱很少的事实。",
            },
            "B": {"en": "Revenue is not recorded for business accounts.", "zh": "企业客户没有收入记录。"},
            "C": {"en": "Profit is easier to compute than revenue.", "zh": "利润比收入容易计算。"},
            "D": {"en": "The ABC method only works with negative numbers.", "zh": "ABC 方法只适用于负数。"},
        },
        correct="A",
        explanation={
            "en": "Profit after the cost to serve shows which accounts really carry the firm (the whale curve), and which lose money.",
            "zh": "扣除服务成本后的利润说明哪些客户真正支撑着企业（鲸鱼曲线），哪些客户在亏钱。",
        },
        why_not={
            "B": {
                "en": "Orders of business accounts carry revenue like any other.",
                "zh": "企业客户的订单和其他订单一样带有收入。",
            },
            "C": {
                "en": "Profit needs revenue and the costs: it is harder, not easier.",
                "zh": "利润需要收入和成本两方面的数据：更难算，而不是更容易。",
            },
            "D": {
                "en": "ABC classes are cumulative shares of any value; profit may be negative for some accounts, which is the point.",
                "zh": "ABC 类别是任何数值的累计份额；有些客户的利润可能为负，这正是关键所在。",
            },
        },
    ),
    ShortAnswer(
        id="ch08.e5",
        heading={"en": "Share of wallet and the room to grow", "zh": "客户份额与增长空间"},
        stem={
            "en": f"Define {bi('share_of_wallet')} and explain how the chapter splits what the firm does not get into "
            f"{bi('room_here')} and {bi('room_elsewhere')}. Which of the two does cross-selling work on, and which "
            "up-selling and share growth?",
            "zh": f"请定义{zh('share_of_wallet')}，并解释本章如何把企业没有得到的部分分为{zh('room_here')}和{zh('room_elsewhere')}。交叉销售作用于哪一部分？向上销售和提高份额作用于哪一部分？",
        },
        answer_points=(
            {
                "en": "Share of wallet = Σ spend here / Σ wallet over a group of customer-category rows: of what customers spend on a category, the share that comes to the firm.",
                "zh": "客户份额 = 一组“客户—品类”行上的 Σ 本企业消费 / Σ 钱包：在客户某一品类的支出中，流向本企业的份额。",
            },
            {
                "en": "Room here: wallet spent at other suppliers in categories the customer already buys from the firm.",
                "zh": "已在本企业购买品类的增长空间：在客户已经从本企业购买的品类中，花在其他供应商那里的钱包。",
            },
            {
                "en": "Room elsewhere: wallet in categories the customer buys only from other suppliers.",
                "zh": "仅在别处购买品类的增长空间：客户只从其他供应商购买的品类中的钱包。",
            },
            {
                "en": "Cross-selling works on room elsewhere (new categories); growing the share in categories already bought works on room here; in the demo company the largest room is in categories customers already buy here (Kitchen Appliances alone).",
                "zh": "交叉销售作用于仅在别处购买品类的增长空间（新品类）；在已购买品类中提高份额作用于已在本企业购买品类的增长空间；在演示公司中，最大的增长空间在客户已经在这里购买的品类中（仅 Kitchen Appliances 一个品类就是如此）。",
            },
            {
                "en": "The collection of short papers calls the share of the customer, not market share, the heart of CRM.",
                "zh": "那本短文集认为，CRM 的核心是客户份额，而不是市场份额。",
            },
        ),
    ),
    ShortAnswer(
        id="ch08.e6",
        heading={"en": "Does the up-sell ladder get climbed", "zh": "客户会沿着向上销售阶梯攀升吗"},
        stem={
            "en": f"Describe how the chapter tested whether customers climb the {bi('upsell_ladder')}, what it found, and how "
            "a rule for customers ready to move up was checked.",
            "zh": f"请说明本章如何检验客户是否沿着{zh('upsell_ladder')}攀升、发现了什么，以及如何检验一条识别准备升级的客户的规则。",
        },
        answer_points=(
            {
                "en": "The clock is experience: the tier mix of lines by the customer's order number; premium lines rise from 0.233 on the first order to 0.401 beyond the 50th.",
                "zh": "时钟是经验：按客户的订单序号看各档次产品线的构成；高端产品线的比例从第一笔订单的 0.233 上升到第 50 笔以后的 0.401。",
            },
            {
                "en": "A transition table of each consumer's main tier in orders 1-3 against orders 4-6 (1,450 consumers with six orders or more): 0.286 moved up, 0.205 down.",
                "zh": "每位消费者在第 1—3 笔订单与第 4—6 笔订单中的主要档次的转移表（1,450 位有六笔及以上订单的消费者）：0.286 升级，0.205 降级。",
            },
            {
                "en": "Averages hide who moves; the ladder is climbed, but not by everyone and not only upwards.",
                "zh": "平均数掩盖了谁在移动；阶梯有人攀登，但不是每个人都在攀登，也不只是向上。",
            },
            {
                "en": "Ready-to-move rule: below premium but already tried a higher tier; checked on later orders: 0.450 moved up against 0.304 without the sign.",
                "zh": "准备升级的规则：尚未达到高端档次、但已经试过更高档次；用之后的订单检验：0.450 升级，而没有这一迹象的客户只有 0.304。",
            },
        ),
    ),
    ShortAnswer(
        id="ch08.e7",
        heading={
            "en": "Customer relationship management to customer asset management",
            "zh": "从客户关系管理到客户资产管理",
        },
        stem={
            "en": f"What is a {bi('key_account_strategy')}, and what does moving from customer relationship management to "
            "customer asset management ask of a firm? Use the ideas of chapters 04 and 08.",
            "zh": f"什么是{zh('key_account_strategy')}？从客户关系管理转向客户资产管理对企业有什么要求？请运用第04章和第08章的思想回答。",
        },
        answer_points=(
            {
                "en": "Key accounts: the few customers (often business accounts) that carry a large share of profit; the firm serves them with dedicated people, priority service and joint planning.",
                "zh": "大客户：承担很大一部分利润的少数客户（往往是企业客户）；企业用专门的人员、优先服务和共同规划为他们服务。",
            },
            {
                "en": "Identified by profit after the cost to serve (ABC, whale curve), and developed along the key-account development model (early, mid, partnership KAM).",
                "zh": "按扣除服务成本后的利润识别（ABC 分类、鲸鱼曲线），并按大客户发展模型（早期、中期、伙伴阶段的大客户管理）发展。",
            },
            {
                "en": "Customer asset management: treat customers as assets whose value (CLV, customer equity) the firm manages, invests in and measures.",
                "zh": "客户资产管理：把客户当作资产，企业管理、投资并衡量其价值（CLV、客户资产）。",
            },
            {
                "en": "So budgets follow expected value: retention and development of valuable accounts, less spend on accounts that lose money (or change how they are served).",
                "zh": "因此预算跟着预期价值走：保留和发展有价值的客户，减少在亏钱客户身上的支出（或改变服务他们的方式）。",
            },
        ),
    ),
    Computational(
        id="ch08.e8",
        heading={"en": "The lift of one rule", "zh": "一条规则的提升度"},
        stem={
            "en": "Mine the association rules between product lines on all orders (`basket.association_rules(lines, "
            'item_col="product_line", min_support=0.01)`, lines from `basket.line_items`). What is the lift of the '
            "rule {antecedent} → {consequent}?",
            "zh": '在全部订单上挖掘产品线之间的关联规则（`basket.association_rules(lines, item_col="product_line", min_support=0.01)`，lines 来自 `basket.line_items`）。规则 {antecedent} → {consequent} 的提升度是多少？',
        },
        draw=_draw_rule,
        solve=_lift,
        method={
            "en": "lift = support(A, B) / (support(A) × support(B)); read row ({antecedent}, {consequent}), column `lift`.",
            "zh": "提升度 = 支持度(A, B) / (支持度(A) × 支持度(B))；读取 `({antecedent}, {consequent})` 行的 `lift` 列。",
        },
        decimals=3,
        tolerance=0.001,
        points=6,
    ),
    Computational(
        id="ch08.e9",
        heading={"en": "Rules above another minimum support", "zh": "另一个最小支持度下的规则"},
        stem={
            "en": "With the same product-line baskets, how many rules (both directions of a pair count separately) reach a "
            "minimum support of {percent} % of the orders?",
            "zh": "用同样的产品线购物篮，有多少条规则（一对商品的两个方向分别计数）的支持度达到订单数的 {percent}%？",
        },
        draw=lambda rng: {"percent": float(rng.choice([0.5, 1.5, 2.0, 2.5, 3.0, 4.0]))},
        solve=_rule_count,
        method={
            "en": '`basket.association_rules(lines, item_col="product_line", min_support={percent}/100)` and count the rows.',
            "zh": '`basket.association_rules(lines, item_col="product_line", min_support={percent}/100)`，统计行数。',
        },
        unit={"en": "rules", "zh": "条规则"},
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch08.e10",
        heading={"en": "Share of wallet in one category", "zh": "某一品类的客户份额"},
        stem={
            "en": "From the table `category_wallets` (2024) and the customers' `customer_type`, what share of their wallet in "
            "the category {category} does the firm get from its {type_name} customers? Give a fraction.",
            "zh": "根据 `category_wallets` 表（2024 年）和客户的 `customer_type`，在 {category} 品类中，企业从它的{type_name}那里得到了这些客户钱包的多大份额？请以小数表示。",
        },
        draw=lambda rng: {
            "category": str(rng.choice(_CATEGORIES)),
            **dict(
                zip(
                    ("customer_type", "type_name"),
                    [
                        ("B2C", {"en": "consumer (B2C)", "zh": "个人客户（B2C）"}),
                        ("B2B", {"en": "business (B2B)", "zh": "企业客户（B2B）"}),
                    ][int(rng.integers(2))],
                    strict=True,
                )
            ),
        },
        solve=_share_of_wallet,
        method={
            "en": 'Keep the rows of {customer_type} customers in {category}; Σ spend_here / Σ wallet (`basket.wallet_summary(..., by="category")`).',
            "zh": '保留 {category} 品类中 {customer_type} 客户的行；Σ spend_here / Σ wallet（`basket.wallet_summary(..., by="category")`）。',
        },
        decimals=3,
        tolerance=0.001,
        points=6,
    ),
]
