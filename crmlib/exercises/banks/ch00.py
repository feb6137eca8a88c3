"""Chapter 00, course guide (课程导读): the questions of
``exercises/solutions/00_course_guide.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the
first time a student checks it; nothing here is a pasted number.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib.course import ten_c_map
from crmlib.datasets import CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, load_cdnow, load_demo
from crmlib.exercises.engine import choice, discussion, frame, integer, mistake, numeric, text
from crmlib.transactions import calibration_holdout_split

#: Options of ch00.q4, by letter: the 10C names in English (as in ten_c_map()).
Q4_OPTIONS = {
    "A": "customer acquisition",
    "B": "customer segmentation",
    "C": "customer satisfaction",
    "D": "customer development",
}


@cache
def _cdnow() -> pd.DataFrame:
    return load_cdnow(sample=True)


@cache
def _calibration() -> pd.DataFrame:
    # the repeated rows of CDNOW are genuine same-day purchases (see load_cdnow)
    return calibration_holdout_split(_cdnow(), CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, duplicates="keep")


def _customers() -> int:
    return int(_cdnow()["customer_id"].nunique())


def _repeat_transactions() -> int:
    return int(_calibration()["frequency"].sum())


def _share_without_repeat() -> float:
    return float((_calibration()["frequency"] == 0).mean())


@cache
def _demo_customers() -> pd.DataFrame:
    return load_demo("customers")


def _b2b_accounts() -> int:
    return int((_demo_customers()["customer_type"] == "B2B").sum())


def _taught_in_05() -> list[str]:
    table = ten_c_map().set_index("en")
    return [letter for letter, name in Q4_OPTIONS.items() if table.loc[name, "05"]]


def _customers_by_frequency(counts: pd.Series) -> pd.DataFrame:
    return counts.value_counts().rename_axis("frequency").rename("customers").sort_index().reset_index()


QUESTIONS = [
    integer(
        "ch00.q1",
        _customers,
        hint={
            "en": "a customer can appear on many rows; count distinct customer_id values",
            "zh": "同一位客户可能出现在多行中，应统计不同的 `customer_id` 的个数",
        },
        wrong=[
            mistake(
                lambda: len(_cdnow()),
                because={
                    "en": "this counts rows (purchases), not customers",
                    "zh": "这统计的是行数（购买次数），而不是客户数",
                },
            )
        ],
    ),
    integer(
        "ch00.q2",
        _repeat_transactions,
        hint={
            "en": "sum the frequency column of the calibration summary",
            "zh": "把校准期汇总表中的 `frequency` 列加总",
        },
        wrong=[
            mistake(
                lambda: int((_calibration()["frequency"] + 1).sum()),
                because={
                    "en": "this counts every transaction, including each customer's first "
                    "purchase; frequency counts repeat transactions only",
                    "zh": "这统计了全部交易，包括每位客户的首次购买；而 `frequency` 只计重复交易",
                },
            ),
            mistake(
                lambda: int((_cdnow()["date"] <= CDNOW_CALIBRATION_END).sum()),
                because={
                    "en": "this counts purchase rows in the calibration period: same-day "
                    "purchases are one transaction, and first purchases are not repeats",
                    "zh": "这统计的是校准期内的购买记录行数：同一天的多次购买只算一次交易，首次购买也不算重复交易",
                },
            ),
            mistake(
                lambda: int(_calibration()["frequency_holdout"].sum()),
                because={
                    "en": "this counts the hold-out period (1997-10-01 to 1998-06-30), not the calibration period",
                    "zh": "这统计的是保留期（验证期），即 1997-10-01 至 1998-06-30，而不是校准期",
                },
            ),
        ],
    ),
    numeric(
        "ch00.q3",
        _share_without_repeat,
        rel=1e-3,
        hint={
            "en": "compare the frequency column with 0 and take the mean of the True/False values",
            "zh": "把 `frequency` 列与 0 比较，再对得到的 True/False 值求平均值",
        },
        wrong=[
            mistake(lambda: 100 * _share_without_repeat()),
            mistake(
                lambda: 1 - _share_without_repeat(),
                because={
                    "en": "this is the share of customers who did come back",
                    "zh": "这是有过重复购买的客户所占的比例",
                },
            ),
            mistake(
                lambda: int((_calibration()["frequency"] == 0).sum()),
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
        options={
            "A": (Q4_OPTIONS["A"], "顾客赢取率"),
            "B": (Q4_OPTIONS["B"], "顾客区隔", "客户细分"),
            "C": (Q4_OPTIONS["C"], "顾客满意度"),
            "D": (Q4_OPTIONS["D"], "顾客的发展"),
        },
        hint={
            "en": "read the row of each option in the 10C table and look at the column '05'",
            "zh": "在 10C架构表中找到每个选项所在的行，看 `'05'` 这一列",
        },
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
        hint={
            "en": "R is recency and M is monetary value",
            "zh": "R 是最近购买时间（recency），M 是货币价值（monetary value）",
        },
        wrong=["recency", "最近一次消费", "monetary", "first purchase"],
    ),
    frame(
        "ch00.q6",
        lambda: _customers_by_frequency(_calibration()["frequency"]),
        columns=["frequency", "customers"],
        key="frequency",
        hint={
            "en": "value_counts() on the frequency column of the calibration summary",
            "zh": "对校准期汇总表的 `frequency` 列使用 `value_counts()`",
        },
        wrong=[
            mistake(
                lambda: _customers_by_frequency(_calibration()["frequency"] + 1),
                because={
                    "en": "this counts every transaction per customer; frequency counts "
                    "repeat transactions only, so it starts at 0",
                    "zh": "这统计的是每位客户的全部交易；`frequency` 只计重复交易，所以从 0 开始",
                },
            ),
            mistake(
                lambda: _customers_by_frequency(_cdnow().groupby("customer_id").size()),
                because={
                    "en": "this counts purchase rows over the whole data; use the "
                    "frequency column of the calibration summary",
                    "zh": "这统计的是整个数据集中每位客户的购买记录行数；请使用校准期汇总表的 `frequency` 列",
                },
            ),
        ],
    ),
    integer(
        "ch00.q7",
        _b2b_accounts,
        filtered=True,
        hint={
            "en": "the column customer_type of the demo table customers says B2B or B2C",
            "zh": "演示数据表 `customers` 的 `customer_type` 列标明了客户是 B2B 还是 B2C",
        },
        wrong=[
            mistake(
                lambda: int((_demo_customers()["customer_type"] == "B2C").sum()),
                because={
                    "en": "this counts consumers (B2C), not business accounts",
                    "zh": "这统计的是个人消费者（B2C），而不是企业客户",
                },
            ),
            mistake(
                lambda: len(_demo_customers()),
                because={
                    "en": "this counts every customer, not only the business accounts",
                    "zh": "这统计了全部客户，而不只是企业客户",
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
                "en": "it rests on customer information (a customer database) used to "
                "understand needs and to serve customers individually",
                "zh": "以客户信息（顾客信息库）为基础，理解需求并个别地服务客户",
            },
            {
                "en": "it covers acquiring, keeping and developing customers, across "
                "marketing, sales and service",
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
                "en": 'a customer (顾客) may be anonymous to the firm: "a face without a name"',
                "zh": "顾客对企业来说可以是匿名的：“没有名字的一张脸”",
            },
            {
                "en": "a client (客户) is known by name, and the firm holds information about them",
                "zh": "客户是企业叫得出名字、掌握其信息的人或组织",
            },
            {
                "en": "a client is served individually, often by people assigned to them",
                "zh": "客户由专门的人员个别地提供服务",
            },
            {
                "en": "CRM is the work of turning customers into clients: it needs data and a "
                "relationship over time",
                "zh": "CRM 就是把顾客变为客户的工作：需要数据，也需要长期的关系",
            },
            {"en": "an example of each from your own experience", "zh": "各举一个你亲身经历的例子"},
        ],
        min_words=40,
        min_chars=80,
        wrong=["A client pays more.", "客户更重要。"],
    ),
]
