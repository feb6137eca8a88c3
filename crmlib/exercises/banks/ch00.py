"""Chapter 00, course guide (课程导读): the questions of
``exercises/solutions/00_course_guide.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the
first time a student checks it; nothing here is a pasted number. The chapter
prints the calibration-period summary of the CDNOW sample and the demo
company's RFM summary; the computational questions apply the same methods to
what it does not print: 1998, the hold-out period, the CDNOW master file, the
business accounts, the year 2023.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib.course import ten_c_map
from crmlib.datasets import (
    CDNOW_CALIBRATION_END,
    CDNOW_HOLDOUT_END,
    DEMO_OBSERVATION_END,
    load_cdnow,
    load_demo,
)
from crmlib.exercises.engine import choice, discussion, frame, integer, mistake, numeric, text
from crmlib.glossary import term
from crmlib.profile import load_information_base, ten_c_indicators
from crmlib.transactions import calibration_holdout_split, rfm_summary

#: Options of ch00.q4, by letter: the glossary keys of four Cs.
Q4_KEYS = {
    "A": "customer_acquisition",
    "B": "customer_segmentation",
    "C": "customer_satisfaction",
    "D": "customer_development",
}
#: Earlier Chinese names of the four Cs, still accepted as answers.
Q4_ALSO = {
    "A": ("顾客赢取率", "客户获取"),
    "B": ("顾客区隔", "客户细分"),
    "C": ("顾客满意度", "客户满意"),
    "D": ("顾客的发展", "客户发展"),
}
#: The first day of 1998 (ch00.q1).
START_1998 = "1998-01-01"
#: The first days of question 1, one per variant, the default first (never 1997-10-01, the
#: first day of the hold-out period, on which a declared mistake is built).
Q1_SINCE = [START_1998, "1997-11-01", "1997-12-01", "1998-02-01", "1998-03-01", "1998-04-01"]
#: The observation ends of question 10, the default (the chapter's, the end of the data) first.
Q10_AS_OF = [DEMO_OBSERVATION_END, "2022-12-31", "2023-03-31", "2023-09-30", "2023-12-31", "2024-09-30"]


@cache
def _cdnow(sample: bool = True) -> pd.DataFrame:
    return load_cdnow(sample=sample)


@cache
def _split(sample: bool = True) -> pd.DataFrame:
    # the repeated rows of CDNOW are genuine same-day purchases (see load_cdnow)
    return calibration_holdout_split(
        _cdnow(sample), CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, duplicates="keep"
    )


def _calibration() -> pd.DataFrame:
    return _split(True)


# --- q1: customers who bought on or after a date --------------------------------------
def _rows_since(since: str) -> pd.DataFrame:
    cdnow = _cdnow()
    return cdnow.loc[cdnow["date"] >= since]


def _customers_since(since: str) -> int:
    return int(_rows_since(since)["customer_id"].nunique())


# --- q2: repeat transactions in the hold-out period -----------------------------------
def _holdout_transactions() -> int:
    return int(_calibration()["frequency_holdout"].sum())


# --- q3: share of the master file's customers with no hold-out transaction -------------
def _master_share_silent_holdout() -> float:
    return float((_split(False)["frequency_holdout"] == 0).mean())


# --- q7: business accounts that ordered in 2024 ---------------------------------------
@cache
def _demo(table: str) -> pd.DataFrame:
    return load_demo(table)


def _b2b_ids() -> pd.Series:
    customers = _demo("customers")
    return customers.loc[customers["customer_type"] == "B2B", "customer_id"]


def _orders_2024() -> pd.DataFrame:
    orders = _demo("orders")
    return orders.loc[orders["order_date"].dt.year == 2024]


def _b2b_buyers_2024() -> int:
    orders = _orders_2024()
    return int(orders.loc[orders["customer_id"].isin(_b2b_ids()), "customer_id"].nunique())


# --- q10: business accounts without a repeat transaction ------------------------------
def _demo_rfm(customer_type: str | None, as_of: str = DEMO_OBSERVATION_END) -> pd.DataFrame:
    orders = _demo("orders")
    orders = orders.loc[orders["order_date"] <= as_of]
    if customer_type is not None:
        customers = _demo("customers")
        ids = customers.loc[customers["customer_type"] == customer_type, "customer_id"]
        orders = orders.loc[orders["customer_id"].isin(ids)]
    return rfm_summary(orders, date_col="order_date", amount_col="revenue", observation_end=as_of)


@cache
def _share_no_repeat(customer_type: str | None, as_of: str = DEMO_OBSERVATION_END) -> float:
    return float((_demo_rfm(customer_type, as_of)["frequency"] == 0).mean())


def _b2b_share_no_repeat(as_of: str) -> float:
    return _share_no_repeat("B2B", as_of)


# --- q11: the retention indicator of 2023 ---------------------------------------------
@cache
def _indicators(year: int) -> pd.DataFrame:
    return ten_c_indicators(load_information_base(), year=year)


def _retention(year: int) -> float:
    return float(_indicators(year).loc["customer_retention", "value"])


def _retention_backwards(year: int) -> float:
    """Of the buyers of ``year``, the share who had bought in ``year - 1`` (the wrong denominator)."""
    orders = _demo("orders")
    buyers = {y: set(orders.loc[orders["order_date"].dt.year == y, "customer_id"]) for y in (year - 1, year)}
    return len(buyers[year - 1] & buyers[year]) / len(buyers[year])


# --- q4, q6 ------------------------------------------------------------------------------
def _taught_in_05() -> list[str]:
    table = ten_c_map()
    return [letter for letter, key in Q4_KEYS.items() if table.loc[term(key), "05"]]


def _option(letter: str) -> tuple:
    key = Q4_KEYS[letter]
    return ({"en": term(key, "en"), "zh": term(key, "zh")}, *Q4_ALSO[letter])


def _customers_by_frequency(counts: pd.Series) -> pd.DataFrame:
    return counts.value_counts().rename_axis("frequency").rename("customers").sort_index().reset_index()


QUESTIONS = [
    integer(
        "ch00.q1",
        _customers_since,
        filtered=True,
        variants={"since": Q1_SINCE},
        hint=[
            {
                "en": "keep only the purchases made on or after {since}; a customer who bought there several "
                "times is still one customer, so count distinct customers, not rows",
                "zh": "只保留 {since} 及以后的购买记录；在其中购买多次的客户仍只算一位，所以要数不同的客户，而不是行数",
            },
            {
                "en": 'filter with cdnow["date"] >= "{since}", then take .nunique() of the customer_id column',
                "zh": '用 cdnow["date"] >= "{since}" 筛选，再对 customer_id 列取 .nunique()',
            },
        ],
        wrong=[
            mistake(
                lambda since: len(_rows_since(since)),
                because={
                    "en": "this counts the purchase rows from {since} on, not the customers who made them",
                    "zh": "这统计的是 {since} 及以后的购买记录行数，而不是购买的客户数",
                },
            ),
            mistake(
                lambda: int(_cdnow()["customer_id"].nunique()),
                because={
                    "en": "this counts every customer of the sample; keep only the purchases from {since} on first",
                    "zh": "这统计了样本中的全部客户；应先只保留 {since} 及以后的购买记录",
                },
            ),
            mistake(
                lambda: int(_cdnow().loc[_cdnow()["date"] > CDNOW_CALIBRATION_END, "customer_id"].nunique()),
                because={
                    "en": "this counts the buyers of the whole hold-out period, from 1997-10-01; "
                    "the question asks for the purchases from {since} on",
                    "zh": "这统计的是整个验证期（从 1997-10-01 起）的购买客户；题目只问 {since} 及以后的购买",
                },
            ),
        ],
    ),
    integer(
        "ch00.q2",
        _holdout_transactions,
        hint=[
            {
                "en": "the summary has one column that counts each customer's transactions in the "
                "hold-out period (every one of them is a repeat transaction): add it up over all customers",
                "zh": "汇总表中有一列记录每位客户在验证期内的交易次数（它们都是重复交易）：把它对全部客户加总",
            },
            {
                "en": 'the column is frequency_holdout: summary["frequency_holdout"].sum()',
                "zh": '这一列是 frequency_holdout：summary["frequency_holdout"].sum()',
            },
        ],
        wrong=[
            mistake(
                lambda: int(_calibration()["frequency"].sum()),
                because={
                    "en": "this counts the repeat transactions of the calibration period, which "
                    "the chapter prints; the question asks for the hold-out period",
                    "zh": "这统计的是校准期内的重复交易（本章已列出）；题目问的是验证期",
                },
            ),
            mistake(
                lambda: int((_cdnow()["date"] > CDNOW_CALIBRATION_END).sum()),
                because={
                    "en": "this counts purchase rows in the hold-out period: a customer's purchases "
                    "on the same day are one transaction",
                    "zh": "这统计的是验证期内的购买记录行数：同一客户同一天的多笔购买只算一次交易",
                },
            ),
            mistake(
                lambda: int((_calibration()["frequency_holdout"] > 0).sum()),
                because={
                    "en": "this counts the customers who bought in the hold-out period, not their transactions",
                    "zh": "这统计的是在验证期内购买过的客户数，而不是他们的交易次数",
                },
            ),
        ],
    ),
    numeric(
        "ch00.q3",
        _master_share_silent_holdout,
        abs=5e-4,
        hint=[
            {
                "en": "summarise the master file (all 23,570 customers, not the sample) with the "
                "same two dates; a customer who made no transaction in the hold-out period has 0 "
                "there: what share of all customers is that?",
                "zh": "用同样的两个日期汇总主文件（全部 23,570 位客户，而不是样本）；在验证期内没有交易的客户，"
                "其验证期交易次数为 0：这样的客户占全部客户的比例是多少？",
            },
            {
                "en": "load the master file with crmlib.load_cdnow(sample=False), split it as in "
                'question 2, then take (master["frequency_holdout"] == 0).mean()',
                "zh": "用 crmlib.load_cdnow(sample=False) 读取主文件，像第 2 题那样划分，再求 "
                '(master["frequency_holdout"] == 0).mean()',
            },
        ],
        wrong=[
            mistake(
                lambda: 1 - _master_share_silent_holdout(),
                because={
                    "en": "this is the share of customers who did buy in the hold-out period",
                    "zh": "这是在验证期内有过购买的客户所占的比例",
                },
            ),
            mistake(
                lambda: float((_split(True)["frequency_holdout"] == 0).mean()),
                because={
                    "en": "this is the share in the 1/10 sample; the question asks for the master file",
                    "zh": "这是 1/10 样本中的比例；题目问的是主文件",
                },
            ),
            mistake(
                lambda: float((_split(False)["frequency"] == 0).mean()),
                because={
                    "en": "this is the share without a repeat transaction in the calibration "
                    "period; the question asks about the hold-out period",
                    "zh": "这是校准期内没有重复交易的客户比例；题目问的是验证期",
                },
            ),
            mistake(
                lambda: int((_split(False)["frequency_holdout"] == 0).sum()),
                because={
                    "en": "this is a number of customers; the question asks for a share (a fraction between 0 and 1)",
                    "zh": "这是客户人数；题目要求的是比例（0 到 1 之间的小数）",
                },
            ),
        ],
    ),
    choice(
        "ch00.q4",
        _taught_in_05,
        options={letter: _option(letter) for letter in Q4_KEYS},
        hint=[
            {
                "en": "the map of the course marks, for each C, the chapters that teach it: read "
                "the row of each option at chapter 05",
                "zh": "课程地图为每个 C 标出讲授它的章：在每个选项所在的行中看第 05 章",
            },
            {
                "en": "in the table of the 10C map, the column '05' is True where chapter 05 teaches the C",
                "zh": "在 10C 地图的表中，'05' 列为 True 的行就是第 05 章讲授的 C",
            },
        ],
        wrong=["A", "C", "D", "A, B"],
    ),
    text(
        "ch00.q5",
        accepted=[
            "frequency",
            "purchase frequency",
            "frequency of purchase",
            "频率",
            "频次",
            "购买频率",
            "消费频率",
            "购买频次",
        ],
        hint=[
            {
                "en": "R is recency and M is monetary value; F is the number of repeat transactions",
                "zh": "R 是最近购买时间（recency），M 是消费金额（monetary value）；F 是重复交易的次数",
            },
            {
                "en": "it is the name of the column of the summary that counts repeat transactions",
                "zh": "它就是汇总表中记录重复交易次数的那一列的列名",
            },
        ],
        wrong=["recency", "最近一次消费", "monetary", "first purchase"],
    ),
    frame(
        "ch00.q6",
        lambda: _customers_by_frequency(_calibration()["frequency"]),
        columns=["frequency", "customers"],
        key="frequency",
        hint=[
            {
                "en": "group the customers by their number of repeat transactions in the calibration "
                "period and count each group: one row per value, 0 included",
                "zh": "按校准期内的重复交易次数把客户分组，并统计每组的人数：每个取值一行，包括 0",
            },
            {
                "en": 'count the values of the column: summary["frequency"].value_counts().sort_index()',
                "zh": '统计该列各个取值的个数：summary["frequency"].value_counts().sort_index()',
            },
        ],
        wrong=[
            mistake(
                lambda: _customers_by_frequency(_calibration()["frequency"] + 1),
                because={
                    "en": "this counts every transaction per customer; frequency counts "
                    "repeat transactions only, so it starts at 0",
                    "zh": "这统计的是每位客户的全部交易；frequency 只计重复交易，所以从 0 开始",
                },
            ),
            mistake(
                lambda: _customers_by_frequency(_cdnow().groupby("customer_id").size()),
                because={
                    "en": "this counts purchase rows over the whole data; use the "
                    "frequency column of the calibration summary",
                    "zh": "这统计的是整个数据集中每位客户的购买记录行数；请使用校准期汇总表的 frequency 列",
                },
            ),
            mistake(
                lambda: _customers_by_frequency(_calibration()["frequency_holdout"]),
                because={
                    "en": "this counts the transactions of the hold-out period; the question asks "
                    "for the calibration period",
                    "zh": "这统计的是验证期内的交易；题目问的是校准期",
                },
            ),
        ],
    ),
    integer(
        "ch00.q7",
        _b2b_buyers_2024,
        filtered=True,
        hint=[
            {
                "en": "two conditions: the customer is a business account (B2B), and they placed "
                "an order in 2024; count each such account once",
                "zh": "两个条件：客户是企业客户（B2B），并且在 2024 年下过订单；每个这样的客户只计一次",
            },
            {
                "en": "take the customer_id of the B2B rows of customers, keep the orders of 2024 "
                "whose customer_id is among them (.isin), then .nunique() of their customer_id",
                "zh": "从 customers 表取出 B2B 客户的 customer_id，保留 2024 年中 customer_id 属于它们的订单（.isin），"
                "再对这些订单的 customer_id 取 .nunique()",
            },
        ],
        wrong=[
            mistake(
                lambda: len(_b2b_ids()),
                because={
                    "en": "this counts every business account, including those without an order in 2024",
                    "zh": "这统计了全部企业客户，包括 2024 年没有下单的企业客户",
                },
            ),
            mistake(
                lambda: int(
                    _demo("orders").loc[lambda o: o["customer_id"].isin(_b2b_ids()), "customer_id"].nunique()
                ),
                because={
                    "en": "this counts the business accounts that ever ordered (2022–2024); keep the orders of 2024 only",
                    "zh": "这统计的是曾经下过单（2022—2024 年）的企业客户；应只保留 2024 年的订单",
                },
            ),
            mistake(
                lambda: int(_orders_2024()["customer_id"].isin(_b2b_ids()).sum()),
                because={
                    "en": "this counts the business accounts' orders of 2024, not the accounts",
                    "zh": "这统计的是企业客户 2024 年的订单数，而不是企业客户数",
                },
            ),
            mistake(
                lambda: int(_orders_2024()["customer_id"].nunique()),
                because={
                    "en": "this counts every customer who ordered in 2024, consumers included",
                    "zh": "这统计了 2024 年下过单的全部客户，包括个人消费者",
                },
            ),
        ],
    ),
    discussion(
        "ch00.q8",
        checklist=[
            {
                "en": "CRM is a business strategy and a customer-centred philosophy, "
                "supported by technology, not only a piece of software",
                "zh": "CRM 是以客户为中心的经营战略和理念，由技术支持，而不只是一套软件",
            },
            {
                "en": "its aim is long-term relationships that add value for both the customer and the firm",
                "zh": "目标是建立长期关系，为客户和企业双方增加价值",
            },
            {
                "en": "it rests on customer information (a customer information base) used to "
                "understand needs and to serve customers individually",
                "zh": "以客户信息（客户信息库）为基础，理解需求并有针对性地服务每位客户",
            },
            {
                "en": "it covers winning, keeping and developing customers, across marketing, sales and service",
                "zh": "涵盖客户的获取、保持与发展，贯穿营销、销售与服务",
            },
            {"en": "an example from a firm you know", "zh": "举一个你熟悉的企业的例子"},
        ],
        min_words=50,
        min_chars=100,
        wrong=["CRM is software.", "客户关系管理就是管理客户。"],
    ),
    discussion(
        "ch00.q9",
        checklist=[
            {
                "en": "two Cs named, each with what it means for this firm in one sentence "
                "(not only the definition of the C)",
                "zh": "说出两个 C，并各用一句话说明它对这家企业意味着什么（而不只是复述这个 C 的定义）",
            },
            {
                "en": "for each C, a number the firm could compute from its own data, and from which table",
                "zh": "为每个 C 给出企业可以用自己的数据计算的一个数字，并说明来自哪张表",
            },
            {
                "en": "for each number, its time window (one year, two years compared, all the "
                "data, the date of a survey), and why that window suits it",
                "zh": "为每个数字说明其时间窗口（一年、两年对比、全部数据、调查的日期），以及为什么适合这个窗口",
            },
            {
                "en": "which chapter of the course teaches each C (the 10C map)",
                "zh": "课程中哪一章讲授每个 C（见 10C 地图）",
            },
        ],
        min_words=50,
        min_chars=100,
        wrong=["Retention and value.", "客户保留和客户价值。"],
    ),
    numeric(
        "ch00.q10",
        _b2b_share_no_repeat,
        abs=5e-4,
        variants={"as_of": Q10_AS_OF},
        hint=[
            {
                "en": "do for the business accounts alone what the chapter did for all buyers: "
                "summarise their orders up to {as_of} and find the share of them with no "
                "repeat transaction",
                "zh": "只对企业客户做本章对全部购买客户所做的事：汇总他们截至 {as_of} 的订单，求其中没有重复交易的客户比例",
            },
            {
                "en": "keep the orders up to {as_of} whose customer_id is a B2B account, run rfm_summary on "
                "them with observation_end='{as_of}', then take (b2b_rfm['frequency'] == 0).mean()",
                "zh": "保留截至 {as_of}、customer_id 属于 B2B 客户的订单，以 observation_end='{as_of}' 对它们运行 "
                "rfm_summary，再求 (b2b_rfm['frequency'] == 0).mean()",
            },
        ],
        wrong=[
            mistake(
                lambda as_of: _share_no_repeat(None, as_of),
                because={
                    "en": "this is the share over all buyers, consumers included, as the chapter "
                    "prints it; keep the business accounts' orders only",
                    "zh": "这是全部购买客户（包括个人消费者）中的比例，即本章列出的那种比例；应只保留企业客户的订单",
                },
            ),
            mistake(
                lambda as_of: _share_no_repeat("B2C", as_of),
                because={
                    "en": "this is the share among consumers (B2C), not business accounts",
                    "zh": "这是个人消费者（B2C）中的比例，而不是企业客户中的比例",
                },
            ),
            mistake(
                lambda as_of: 1 - _b2b_share_no_repeat(as_of),
                because={
                    "en": "this is the share of business accounts who did come back",
                    "zh": "这是有过重复交易的企业客户所占的比例",
                },
            ),
            mistake(
                lambda as_of: int((_demo_rfm("B2B", as_of)["frequency"] == 0).sum()),
                because={
                    "en": "this is a number of accounts; the question asks for a share (a fraction between 0 and 1)",
                    "zh": "这是客户数；题目要求的是比例（0 到 1 之间的小数）",
                },
            ),
        ],
    ),
    numeric(
        "ch00.q11",
        lambda: _retention(2023),
        abs=5e-4,
        hint=[
            {
                "en": "move the window one year back: of the customers who bought in 2022, what "
                "share bought again in 2023?",
                "zh": "把时间窗口往前移一年：2022 年购买过的客户中，有多大比例在 2023 年再次购买？",
            },
            {
                "en": "compute the indicators with year=2023 and read the value of the row customer_retention",
                "zh": "以 year=2023 计算各项指标，读取 customer_retention 行的 value",
            },
        ],
        wrong=[
            mistake(
                lambda: _retention(2024),
                because={
                    "en": "this is the retention of 2024 (buyers of 2023 who came back in 2024), "
                    "which the chapter prints; move the window one year back",
                    "zh": "这是 2024 年的保留率（2023 年的购买客户在 2024 年再次购买），本章已列出；应把窗口往前移一年",
                },
            ),
            mistake(
                lambda: _retention_backwards(2023),
                because={
                    "en": "this divides by the buyers of 2023; retention divides by last year's "
                    "buyers, those of 2022",
                    "zh": "这里除以的是 2023 年的购买客户；保留率的分母是上一年（2022 年）的购买客户",
                },
            ),
        ],
    ),
]
