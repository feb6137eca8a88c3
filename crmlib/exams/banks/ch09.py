"""Exam bank of chapter 09, CRM systems (客户关系管理系统)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import callcentre, privacy
from crmlib.datasets import load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, zh

_QUASI = {
    "city_tier": {"en": "age band × gender × city tier", "zh": "年龄段 × 性别 × 城市等级"},
    "income_band": {"en": "age band × gender × income band", "zh": "年龄段 × 性别 × 收入段"},
    "region": {"en": "age band × gender × region", "zh": "年龄段 × 性别 × 地区"},
}


@cache
def _consumers() -> pd.DataFrame:
    customers = load_demo("customers")
    return customers[customers["customer_type"] == "B2C"]


def _wait_probability(calls: int, aht: int, agents: int) -> float:
    return float(100 * callcentre.erlang_c(calls * aht / 3600, agents))


def _agents(calls: int, aht: int, target: int, level: int) -> int:
    return callcentre.agents_needed(calls * aht / 3600, aht, target, level / 100)


def _below_k(width: int, column: str, columns_name: str, k: int) -> int:
    people = _consumers().assign(band=privacy.age_bands(_consumers()["age"], width=width))
    return int(privacy.k_anonymity(people, ["band", "gender", column], k=k).below_target)


def _draw_calls(rng) -> dict:
    calls = int(rng.choice([12, 16, 20, 30, 40, 60]))
    aht = int(rng.choice([180, 240, 300, 360]))
    return {"calls": calls, "aht": aht}


QUESTIONS = [
    MultipleChoice(
        id="ch09.e1",
        heading={"en": "Which kind of CRM", "zh": "哪一种 CRM"},
        stem={
            "en": "Last month the analytics team found which customers are likely to leave; today a call-centre agent sees a "
            "caller's orders, tickets and open deals on one screen. Which kinds of CRM are at work, in that order?",
            "zh": "上个月，分析团队找出了哪些客户可能离开；今天，一位呼叫中心坐席在一个屏幕上看到来电客户的订单、服务工单和未完成的销售机会。按先后顺序，起作用的是哪几种 CRM？",
        },
        options={
            "A": {
                "en": f"{bi('analytical_crm')}, then {bi('operational_crm')} (with the collaborative one-customer view)",
                "zh": f"先是{zh('analytical_crm')}，然后是{zh('operational_crm')}（加上协作型的统一客户视图）",
            },
            "B": {
                "en": f"{bi('operational_crm')}, then {bi('analytical_crm')}",
                "zh": f"先是{zh('operational_crm')}，然后是{zh('analytical_crm')}",
            },
            "C": {"en": f"{bi('collaborative_crm')} both times", "zh": f"两次都是{zh('collaborative_crm')}"},
            "D": {"en": f"{bi('analytical_crm')} both times", "zh": f"两次都是{zh('analytical_crm')}"},
        },
        correct="A",
        explanation={
            "en": "Reading the accumulated history for patterns is analytical CRM; serving one customer one transaction at a time is operational, and showing every channel's record in one place is the collaborative idea.",
            "zh": "从积累的历史中寻找规律是分析型 CRM；一次一笔交易地服务一位客户是操作型 CRM，而把各渠道的记录集中显示在一处是协作型的思想。",
        },
        why_not={
            "B": {
                "en": "The order is reversed: finding churn patterns reads history (analytical), the call is daily work (operational).",
                "zh": "顺序颠倒了：寻找流失规律是读取历史（分析型），接听电话是日常工作（操作型）。",
            },
            "C": {
                "en": "Collaborative CRM connects channels and departments; the churn analysis is analytical.",
                "zh": "协作型 CRM 连接各渠道和各部门；流失分析属于分析型。",
            },
            "D": {
                "en": "Answering a call is daily transaction work, not analysis.",
                "zh": "接听电话是日常的交易工作，不是分析。",
            },
        },
    ),
    MultipleChoice(
        id="ch09.e2",
        heading={"en": "What a foreign key refuses", "zh": "外键拒绝了什么"},
        stem={
            "en": "The demo company's CRM database refused an order for customer C99999. Which rule did the order break?",
            "zh": "演示公司的 CRM 数据库拒绝了一笔属于客户 C99999 的订单。这笔订单违反了哪条规则？",
        },
        options={
            "A": {
                "en": f"a {bi('foreign_key')}: the order must point to a customer who exists",
                "zh": f"{zh('foreign_key')}：订单必须指向一位存在的客户",
            },
            "B": {
                "en": f"a {bi('primary_key')}: the order number was used before",
                "zh": f"{zh('primary_key')}：订单号以前用过",
            },
            "C": {"en": "a CHECK constraint: the quantity was negative", "zh": "CHECK 约束：数量为负数"},
            "D": {"en": "a date check: there is no 30 February", "zh": "日期检查：没有 2 月 30 日"},
        },
        correct="A",
        explanation={
            "en": "A foreign key ties each order to an existing customer; an unknown customer id is refused by the database itself.",
            "zh": "外键把每笔订单与一位已存在的客户联系起来；未知的客户编号由数据库本身拒绝。",
        },
        why_not={
            "B": {
                "en": "A repeated order number (O000001) breaks the primary key, another write in the chapter.",
                "zh": "重复的订单号（O000001）违反主键，那是本章中另一次写入。",
            },
            "C": {
                "en": "A negative quantity breaks the CHECK quantity_positive, another write.",
                "zh": "负数量违反 CHECK quantity_positive，那是另一次写入。",
            },
            "D": {
                "en": "The impossible date was another refused write.",
                "zh": "不可能的日期是另一次被拒绝的写入。",
            },
        },
    ),
    MultipleChoice(
        id="ch09.e3",
        heading={"en": "The defence against SQL injection", "zh": "防范 SQL 注入"},
        stem={
            "en": f"What protects a CRM against {bi('sql_injection')}?",
            "zh": f"什么能保护 CRM 免受{zh('sql_injection')}？",
        },
        options={
            "A": {
                "en": f"passing every value as a parameter ({bi('parameterized_query')}), never pasting it into the SQL text",
                "zh": f"把每个值都作为参数传递（{zh('parameterized_query')}），绝不把它拼接到 SQL 文本中",
            },
            "B": {"en": "removing quote marks from what users type", "zh": "删除用户输入中的引号"},
            "C": {"en": "an index on every column users search", "zh": "为用户搜索的每一列建立索引"},
            "D": {"en": "running all queries inside a transaction", "zh": "在事务中运行所有查询"},
        },
        correct="A",
        explanation={
            "en": "Passed as a parameter, the input is only a value to compare with; it cannot change the statement.",
            "zh": "作为参数传递时，输入只是一个用来比较的值，不能改变语句本身。",
        },
        why_not={
            "B": {
                "en": "Filtering characters is fragile (other encodings, other syntax) and breaks legitimate names such as O'Brien.",
                "zh": "过滤字符很脆弱（其他编码、其他语法），还会破坏 O'Brien 这样的合法姓名。",
            },
            "C": {
                "en": "Indexes make look-ups fast; they do nothing against a changed statement.",
                "zh": "索引使查找变快，但对被篡改的语句毫无作用。",
            },
            "D": {
                "en": "A transaction makes a set of writes all-or-nothing; an injected query runs inside it just as well.",
                "zh": "事务使一组写入要么全部完成、要么全部不做；被注入的查询在事务中照样运行。",
            },
        },
    ),
    MultipleChoice(
        id="ch09.e4",
        heading={"en": "Pseudonymous is not anonymous", "zh": "假名化不等于匿名化"},
        stem={
            "en": f"A table in which each phone number is replaced by its {bi('keyed_hash')} still holds age, gender, region "
            f"and city tier. Why is it not anonymous?",
            "zh": f"一张表把每个电话号码都替换成了它的{zh('keyed_hash')}，但仍然保留年龄、性别、地区和城市等级。为什么它不是匿名的？",
        },
        options={
            "A": {
                "en": f"The {bi('quasi_identifier')}s together single out many customers, who can be re-identified by linking with other data.",
                "zh": f"多个{zh('quasi_identifier')}组合起来能把许多客户区分出来，通过与其他数据关联就可以重新识别他们。",
            },
            "B": {
                "en": "A keyed hash can be reversed by anyone who has the table.",
                "zh": "任何拿到这张表的人都能还原带密钥的散列。",
            },
            "C": {
                "en": "Age and gender are personal data only in China.",
                "zh": "年龄和性别只在中国才算个人信息。",
            },
            "D": {"en": "Hashing makes the table too large to protect.", "zh": "散列使表太大，无法保护。"},
        },
        correct="A",
        explanation={
            "en": "Pseudonymization removes the direct identifier; combinations of quasi-identifiers remain unique for many people (k-anonymity measures it).",
            "zh": "假名化去掉了直接标识符；准标识符的组合对许多人来说仍然是唯一的（k-匿名衡量的正是这一点）。",
        },
        why_not={
            "B": {
                "en": "Without the key a keyed hash cannot be reversed by trying all phone numbers; that is why the key is used.",
                "zh": "没有密钥，就无法通过尝试所有电话号码来还原带密钥的散列；这正是使用密钥的原因。",
            },
            "C": {
                "en": "Such attributes are personal data under privacy law generally when they relate to an identifiable person.",
                "zh": "按一般的隐私法，这类属性只要与可识别的个人相关，就是个人信息。",
            },
            "D": {"en": "The size of the table is not the issue.", "zh": "表的大小不是问题所在。"},
        },
    ),
    ShortAnswer(
        id="ch09.e5",
        heading={"en": "A failed load leaves nothing half-written", "zh": "失败的载入不会留下写了一半的记录"},
        stem={
            "en": f"Explain what a {bi('database_transaction')} guarantees when a CRM loads a new customer, her contact and her "
            "first order, and one of the rows breaks a rule. Why does this matter for a CRM, and how would you import "
            "500 web orders a night?",
            "zh": f"CRM 载入一位新客户、她的联系方式和她的第一笔订单时，如果其中一行违反了规则，{zh('database_transaction')}能保证什么？为什么这对 CRM 很重要？你会如何每晚导入 500 笔网上订单？",
        },
        answer_points=(
            {
                "en": "All or nothing: if any row is refused, the whole transaction is rolled back and every table keeps the rows it had before.",
                "zh": "要么全部完成，要么全部不做：只要有一行被拒绝，整个事务就会回滚，每张表都保持原来的行。",
            },
            {
                "en": "Without it the CRM would hold half a record (a customer and contact without the order they came with), found months later.",
                "zh": "没有事务，CRM 中就会留下半条记录（有客户和联系方式，却没有随之而来的订单），几个月后才被发现。",
            },
            {
                "en": "The database enforces its rules (keys, CHECK, UNIQUE) on every write, whoever writes, unlike a check in one application.",
                "zh": "无论谁写入，数据库都会在每次写入时执行它的规则（键、CHECK、UNIQUE），而不像某个应用程序中的检查那样只管一处。",
            },
            {
                "en": "Nightly import: a design choice between one transaction for the batch and one per order; a good answer lets the good orders in, puts the bad one in a quarantine table with the reason, and reports it.",
                "zh": "每晚导入：需要在整批一个事务与每笔订单一个事务之间做出设计选择；好的回答会让正确的订单进入，把错误的订单连同原因放进隔离表，并报告出来。",
            },
        ),
    ),
    ShortAnswer(
        id="ch09.e6",
        heading={"en": "Indexes", "zh": "索引"},
        stem={
            "en": f"What is a {bi('database_index')}, how does `EXPLAIN QUERY PLAN` show its effect, and which columns should a "
            "CRM index? What does an index cost?",
            "zh": f"什么是{zh('database_index')}？`EXPLAIN QUERY PLAN` 如何显示它的作用？CRM 应当为哪些列建立索引？索引有什么代价？",
        },
        answer_points=(
            {
                "en": "A sorted copy of one or more columns with pointers to the rows, like the index of a book.",
                "zh": "一列或多列的有序副本，附有指向各行的指针，就像一本书的索引。",
            },
            {
                "en": "Without an index the plan is a SCAN of the whole table; with it a SEARCH that jumps to the rows wanted.",
                "zh": "没有索引时，查询计划是扫描整张表（SCAN）；有了索引，就是直接跳到所需行的查找（SEARCH）。",
            },
            {
                "en": "Index the columns records are looked up by: a customer's orders, tickets, calls and deals (customer_id).",
                "zh": "为查找记录所依据的列建立索引：一位客户的订单、服务工单、通话和销售机会（customer_id）。",
            },
            {
                "en": "Costs: space, and every write becomes a little slower (the index must be updated).",
                "zh": "代价：占用空间，而且每次写入都会变慢一点（索引必须随之更新）。",
            },
        ),
    ),
    ShortAnswer(
        id="ch09.e7",
        heading={"en": "Staffing a call centre", "zh": "为呼叫中心配置人员"},
        stem={
            "en": f"Explain how the chapter decides how many agents a call centre needs in one hour: the {bi('traffic_intensity')}, "
            f"{bi('erlang_c')} and the {bi('service_level')}. Why are 1.45 erlangs of traffic not served well by two agents?",
            "zh": f"请解释本章如何确定呼叫中心在一小时内需要多少坐席：{zh('traffic_intensity')}、{zh('erlang_c')}和{zh('service_level')}。为什么两位坐席不能很好地应对 1.45 爱尔兰的话务量？",
        },
        answer_points=(
            {
                "en": "Traffic A = calls per hour × average handling time (in hours): the number of agents busy on average (erlangs).",
                "zh": "话务量 A = 每小时来电数 × 平均处理时长（以小时计）：平均同时忙碌的坐席数（爱尔兰）。",
            },
            {
                "en": "Erlang C gives the probability C(N, A) that a call waits with N agents; service level SL = 1 - C·exp(-(N - A)·t/AHT).",
                "zh": "爱尔兰C公式给出有 N 位坐席时来电需要等待的概率 C(N, A)；服务水平 SL = 1 - C·exp(-(N - A)·t/AHT)。",
            },
            {
                "en": "Calls arrive at random, so with N close to A queues build up: two agents for 1.45 erlangs leave 60.7 % waiting and answer 41.3 % within 20 s.",
                "zh": "来电是随机到达的，所以 N 接近 A 时就会形成排队：1.45 爱尔兰配两位坐席，有 60.7% 的来电要等待，20 秒内接听的只有 41.3%。",
            },
            {
                "en": "The fewest agents that reach the target (80 % in 20 s): three in the chapter's busiest normal hour; each agent added helps less than the one before.",
                "zh": "达到目标（20 秒内接听 80%）所需的最少坐席数：在本章最忙的正常时段是三位；每增加一位坐席，作用都比前一位小。",
            },
        ),
    ),
    Computational(
        id="ch09.e8",
        heading={"en": "The probability of waiting", "zh": "等待的概率"},
        stem={
            "en": "An hour brings {calls} calls with an average handling time of {aht} seconds, and {agents} agents answer. "
            "What percentage of callers have to wait (Erlang C)?",
            "zh": "一小时内有 {calls} 个来电，平均处理时长为 {aht} 秒，由 {agents} 位坐席接听。有百分之几的来电者需要等待（爱尔兰C公式）？",
        },
        draw=lambda rng: (
            lambda d: {**d, "agents": int(d["calls"] * d["aht"] / 3600) + int(rng.integers(1, 4))}
        )(_draw_calls(rng)),
        solve=_wait_probability,
        method={
            "en": "A = {calls} × {aht} / 3600 erlangs; C(N = {agents}, A) (`callcentre.erlang_c(A, {agents})`), times 100.",
            "zh": "A = {calls} × {aht} / 3600 爱尔兰；C(N = {agents}, A)（`callcentre.erlang_c(A, {agents})`），乘以 100。",
        },
        unit={"en": "%", "zh": "{}%"},
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch09.e9",
        heading={"en": "Agents for a service-level target", "zh": "达到服务水平目标所需的坐席"},
        stem={
            "en": "An hour brings {calls} calls with an average handling time of {aht} seconds. How many agents are needed to "
            "answer at least {level} % of the calls within {target} seconds?",
            "zh": "一小时内有 {calls} 个来电，平均处理时长为 {aht} 秒。要在 {target} 秒内接听至少 {level}% 的来电，需要多少位坐席？",
        },
        draw=lambda rng: {
            **_draw_calls(rng),
            "target": int(rng.choice([10, 20, 30])),
            "level": int(rng.choice([80, 85, 90])),
        },
        solve=_agents,
        method={
            "en": "A = {calls} × {aht} / 3600; the smallest N > A with 1 - C(N, A)·exp(-(N - A)·{target}/{aht}) ≥ {level} % (`callcentre.agents_needed`).",
            "zh": "A = {calls} × {aht} / 3600；满足 1 - C(N, A)·exp(-(N - A)·{target}/{aht}) ≥ {level}% 的最小 N > A（`callcentre.agents_needed`）。",
        },
        unit={"en": "agents", "zh": "位坐席"},
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch09.e10",
        heading={"en": "k-anonymity of a released table", "zh": "发布表的 k-匿名"},
        stem={
            "en": "Take the consumer (B2C) customers, give each a {width}-year age band (`privacy.age_bands(ages, width={width})`) "
            "and consider releasing {columns_name}. How many consumers are in a group smaller than k = {k} on those "
            "attributes?",
            "zh": "取个人客户（B2C），为每人划分 {width} 岁一档的年龄段（`privacy.age_bands(ages, width={width})`），考虑发布{columns_name}。在这些属性上，有多少位消费者所在的组小于 k = {k}？",
        },
        draw=lambda rng: (
            lambda column: {
                "width": int(rng.choice([5, 15, 20])),
                "column": column,
                "columns_name": _QUASI[column],
                "k": int(rng.choice([3, 5, 10])),
            }
        )(str(rng.choice(list(_QUASI)))),
        solve=_below_k,
        method={
            "en": '`privacy.k_anonymity(people, ["band", "gender", "{column}"], k={k}).below_target`: the consumers whose combination is shared by fewer than {k}.',
            "zh": '`privacy.k_anonymity(people, ["band", "gender", "{column}"], k={k}).below_target`：其组合被少于 {k} 人共有的消费者。',
        },
        unit={"en": "consumers", "zh": "位消费者"},
        decimals=0,
        tolerance=0,
        points=6,
    ),
]
