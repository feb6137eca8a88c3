"""Chapter 09, CRM systems (客户关系管理系统): the questions of
``exercises/solutions/09_crm_systems.ipynb``.

Every expected answer is computed from the shipped data with crmlib (the demo
company's CRM database in SQLite, the SQL of the analytical side in DuckDB, the
forecast, Erlang C and k-anonymity functions); nothing here is a pasted number.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import callcentre, crmdb, pipeline, privacy
from crmlib.datasets import CDNOW_CALIBRATION_END, load_cdnow, load_demo
from crmlib.exercises.engine import choice, discussion, integer, mistake, numeric
from crmlib.transactions import rfm_summary

#: The nine days after Double 11, when the calls rose and the plan did not.
PEAK = ("2024-11-12", "2024-11-20 23:59:59")
#: The owner and stage of question 1, one dict per variant, the default first.
Q1_DEALS = [
    {"owner": "REP07", "stage": "qualification"},
    {"owner": "REP07", "stage": "negotiation"},
    {"owner": "REP06", "stage": "qualification"},
    {"owner": "REP08", "stage": "proposal"},
    {"owner": "REP05", "stage": "negotiation"},
    {"owner": "REP01", "stage": "prospecting"},
]
#: The business customers of question 2 (the chapter shows the 360° view of C00025).
Q2_CUSTOMER = ["C00057", "C00019", "C00028", "C00034", "C00021", "C00016"]
#: The repeat-transaction thresholds of question 4.
Q4_REPEATS = [5, 3, 4, 6, 7, 8]
#: The age-band widths of question 8 (the chapter uses 5-year bands).
Q8_WIDTH = [10, 6, 8, 12, 15, 20]


def _count(sql: str, params: tuple) -> int:
    return int(crmdb.demo_crm().execute(sql, params).fetchone()[0])


def _deals_in(owner: str, stage: str) -> int:
    return _count("SELECT COUNT(*) FROM opportunities WHERE owner = ? AND stage = ?", (owner, stage))


def _open_deals_of(owner: str) -> int:
    return _count(
        "SELECT COUNT(*) FROM opportunities WHERE owner = ? AND stage IN (?, ?, ?, ?)",
        (owner, *pipeline.OPEN_STAGES),
    )


def _value_in(owner: str, stage: str) -> int:
    return _count(
        "SELECT SUM(expected_value) FROM opportunities WHERE owner = ? AND stage = ?", (owner, stage)
    )


def _view(customer_id: str, column: str) -> float:
    return float(crmdb.customer_360(crmdb.demo_crm(), customer_id).loc[customer_id, column])


def _customers_with_unresolved() -> int:
    return _count("SELECT COUNT(*) FROM customer_360 WHERE unresolved_tickets > ?", (0,))


def _unresolved_tickets() -> int:
    return _count("SELECT COUNT(*) FROM tickets WHERE resolution = ?", ("unresolved",))


@cache
def _cdnow_summary() -> pd.DataFrame:
    log = load_cdnow(sample=False)
    calibration = log[log["date"] <= CDNOW_CALIBRATION_END]
    return rfm_summary(calibration, observation_end=CDNOW_CALIBRATION_END, duplicates="keep", engine="duckdb")


def _cdnow_at_least(repeats: int) -> int:
    return int((_cdnow_summary()["frequency"] >= repeats).sum())


@cache
def _open_deals() -> pd.DataFrame:
    deals = load_demo("opportunities")
    return deals[deals["stage"].isin(pipeline.OPEN_STAGES)].copy()


def _q1_forecast(rate: str = "overall") -> float:
    deals = _open_deals()
    if rate == "overall":
        closed = load_demo("opportunities").assign(team="all")
        probability = float(pipeline.win_rates(closed, by="team")["win_rate"].item())
        deals = deals.assign(p=probability)
    else:
        deals = deals.assign(p=deals["probability"])
    return float(pipeline.forecast(deals, probability_col="p", n_sims=10).loc["2025Q1", "expected"])


@cache
def _calls() -> tuple[pd.DataFrame, pd.Series, float]:
    calls = load_demo("calls")
    peak = calls["call_start"].between(*PEAK)
    normal = calls[~peak]
    aht = float(normal.loc[normal["outcome"] != "abandoned", "handle_seconds"].mean())
    return calls, peak, aht


def _traffic(calls: pd.DataFrame, aht: float) -> pd.Series:
    load = callcentre.hourly_load(calls)
    return load["calls_per_hour"] * aht / 3600


def _monday_agents(hour: int = 10, weekday: int = 0) -> int:
    calls, peak, aht = _calls()
    normal = calls[~peak]
    days = normal[normal["call_start"].dt.dayofweek == weekday]
    return callcentre.agents_needed(float(_traffic(days, aht).loc[hour]), aht, 20, 0.8)


def _all_days_agents(hour: int = 10) -> int:
    calls, peak, aht = _calls()
    return callcentre.agents_needed(float(_traffic(calls[~peak], aht).loc[hour]), aht, 20, 0.8)


def _peak_agents(level: float = 0.9) -> int:
    calls, peak, aht = _calls()
    traffic = _traffic(calls[peak], aht)
    return callcentre.agents_needed(float(traffic.max()), aht, 20, level)


@cache
def _consumers() -> pd.DataFrame:
    customers = load_demo("customers")
    return customers[customers["customer_type"] == "B2C"]


def _unique_on(width: int, tier: bool = True) -> int:
    people = _consumers().assign(band=privacy.age_bands(_consumers()["age"], width=width))
    columns = ["band", "gender", "region"] + (["city_tier"] if tier else [])
    return privacy.k_anonymity(people, columns, k=5).unique


def _below_on(width: int) -> int:
    people = _consumers().assign(band=privacy.age_bands(_consumers()["age"], width=width))
    return privacy.k_anonymity(people, ["band", "gender", "region", "city_tier"], k=5).below_target


QUESTIONS = [
    integer(
        "ch09.q1",
        _deals_in,
        filtered=True,
        variants=Q1_DEALS,
        hint={
            "en": "count the rows of the opportunities table whose owner is {owner} and whose stage is "
            "{stage}; pass both values as parameters",
            "zh": "统计 opportunities 表中负责人为 {owner}、阶段为 {stage} 的行数；两个取值都用参数传入",
        },
        wrong=[
            mistake(
                lambda owner: _open_deals_of(owner),
                because={
                    "en": "this counts {owner}'s open deals in every stage, not only in {stage}",
                    "zh": "这统计的是 {owner} 在所有未结阶段的交易，而不只是 {stage} 阶段",
                },
            ),
            mistake(
                _value_in,
                because={
                    "en": "this is the deals' value in CNY; the question asks how many deals",
                    "zh": "这是交易金额（元）；题目问的是交易笔数",
                },
            ),
        ],
    ),
    numeric(
        "ch09.q2",
        lambda customer: _view(customer, "revenue"),
        rel=1e-6,
        variants={"customer": Q2_CUSTOMER},
        hint={
            "en": "the 360° view has one row per customer and a column with the revenue of all their orders: "
            "read the row of {customer}",
            "zh": "360度视图每位客户一行，其中有一列是该客户全部订单的收入：读取 {customer} 这一行",
        },
        wrong=[
            mistake(
                lambda customer: _view(customer, "margin"),
                because={
                    "en": "this is the margin (revenue minus cost), not the revenue",
                    "zh": "这是毛利（收入减成本），不是收入",
                },
            ),
            mistake(
                lambda customer: _view(customer, "won_value"),
                because={
                    "en": "this is the value of the deals won by the sales team, not what the customer's "
                    "orders brought in",
                    "zh": "这是销售团队赢得的交易金额，不是该客户订单带来的收入",
                },
            ),
            mistake(lambda customer: _view(customer, "revenue") / 1000),
        ],
    ),
    integer(
        "ch09.q3",
        _customers_with_unresolved,
        filtered=True,
        hint={
            "en": "a customer counts once, however many unresolved tickets they have",
            "zh": "一位客户无论有几张未解决的服务单，都只算一次",
        },
        wrong=[
            mistake(
                _unresolved_tickets,
                because={
                    "en": "this counts unresolved tickets; some customers have more than one",
                    "zh": "这统计的是未解决的服务单张数；有的客户不止一张",
                },
            ),
        ],
    ),
    integer(
        "ch09.q4",
        _cdnow_at_least,
        filtered=True,
        variants={"repeats": Q4_REPEATS},
        hint={
            "en": "frequency counts the repeat transactions only (the first purchase is not a repeat); "
            "'at least {repeats}' includes {repeats}",
            "zh": "frequency 只计重复交易（首次购买不算重复）；“至少 {repeats} 次”包括 {repeats} 次",
        },
        wrong=[
            mistake(
                lambda repeats: _cdnow_at_least(repeats + 1),
                because={
                    "en": "this counts more than {repeats} repeat transactions; 'at least {repeats}' includes "
                    "{repeats}",
                    "zh": "这统计的是多于 {repeats} 次重复交易；“至少 {repeats} 次”应包括 {repeats} 次",
                },
            ),
            mistake(
                lambda repeats: _cdnow_at_least(repeats - 1),
                because={
                    "en": "this counts customers with at least {repeats} transactions in all, the first included",
                    "zh": "这统计的是包括首次购买在内总共至少 {repeats} 次交易的客户",
                },
            ),
        ],
    ),
    numeric(
        "ch09.q5",
        _q1_forecast,
        rel=1e-6,
        hint={
            "en": "give every open deal the same probability, the share of closed deals that were won, and "
            "add probability × value over the deals expected to close in the first quarter of 2025",
            "zh": "给每笔未结交易同一个概率，即已结交易中赢得的比例，再对预计在2025年第一季度成交的交易求"
            "概率×金额之和",
        },
        wrong=[
            mistake(
                lambda: _q1_forecast("typed"),
                because={
                    "en": "this uses the probabilities typed into the CRM per stage, not the win rate of the closed deals",
                    "zh": "这用的是CRM中按阶段录入的概率，而不是已结交易的赢单率",
                },
            ),
            mistake(lambda: _q1_forecast() / 1000),
            mistake(
                lambda: float(
                    _open_deals()["expected_value"][_open_deals()["expected_close_date"] < "2025-04-01"].sum()
                ),
                because={
                    "en": "this is the full value of the quarter's deals, as if every one were won",
                    "zh": "这是该季度全部交易的金额，相当于假设每笔交易都能赢得",
                },
            ),
        ],
    ),
    integer(
        "ch09.q6",
        _monday_agents,
        hint={
            "en": "Mondays are busier than the average day: compute the Monday load of that hour (calls per "
            "Monday, times the handling time) before asking Erlang C",
            "zh": "周一比平均水平更忙：先算出周一该小时的话务量（每个周一的呼叫数乘以处理时长），再用爱尔兰C公式计算",
        },
        wrong=[
            mistake(
                _all_days_agents,
                because={
                    "en": "this staffs for the average normal day; Mondays bring more calls",
                    "zh": "这是按平常日的平均水平排班；周一的来电更多",
                },
            ),
        ],
    ),
    integer(
        "ch09.q7",
        _peak_agents,
        hint={
            "en": "find the hour with the most traffic in the nine peak days, then the fewest agents that answer "
            "90 % of its calls within 20 seconds",
            "zh": "先找出高峰九天中话务量最大的小时，再求在20秒内接听其90%来电所需的最少坐席数",
        },
        wrong=[
            mistake(
                lambda: _peak_agents(0.8),
                because={
                    "en": "this meets 80 % within 20 seconds; the target here is 90 %",
                    "zh": "这满足的是20秒内接听80%；本题目标是90%",
                },
            ),
        ],
    ),
    integer(
        "ch09.q8",
        _unique_on,
        variants={"width": Q8_WIDTH},
        hint={
            "en": "give each consumer a {width}-year age band, then count the consumers whose combination of "
            "band, gender, region and city tier nobody else shares",
            "zh": "先给每位个人客户划分 {width} 岁一档的年龄段，再统计年龄段、性别、地区和城市等级组合无他人共有的客户数",
        },
        wrong=[
            mistake(
                lambda: _unique_on(5),
                because={
                    "en": "these are 5-year bands, as in the chapter; the question asks for {width}-year bands",
                    "zh": "这是本章使用的5岁一档年龄段；题目要求 {width} 岁一档",
                },
            ),
            mistake(
                _below_on,
                because={
                    "en": "this counts everyone in a group smaller than 5; unique means a group of one",
                    "zh": "这统计的是所在组少于5人的客户；“唯一”是指组内仅有一人",
                },
            ),
        ],
    ),
    choice(
        "ch09.q9",
        "C",
        options={
            "A": "SHA-256 can be computed backwards, from a hash to its phone number.",
            "B": "Two customers with the same phone number get different hashes, so the table is useless.",
            "C": "There are few possible phone numbers, so anyone can hash all of them and look the hashes up.",
            "D": "A 64-character hash is longer than a phone number, so it reveals its length.",
        },
        hint={
            "en": "think about how many different phone numbers there can be, and what an attacker who has the "
            "hashes can try",
            "zh": "想一想电话号码一共可能有多少个，以及拿到散列值的攻击者可以尝试什么",
        },
        wrong=["A", "B", "D"],
    ),
    discussion(
        "ch09.q10",
        checklist=[
            {
                "en": "the six subsystems and what each does: sales, marketing, service and support, call "
                "centre, decision support, database and platform",
                "zh": "六个子系统及其功能：客户销售管理、客户营销管理、客户服务与支持、呼叫中心、辅助决策支持、数据库及支撑平台",
            },
            {
                "en": "they share one customer database (keys and rules), which is what makes a 360° view possible",
                "zh": "各子系统共享一个客户数据库（键与规则），这是360度视图得以实现的基础",
            },
            {
                "en": "the call centre's technologies: IVR, ACD and CTI",
                "zh": "呼叫中心的技术：IVR、ACD和CTI",
            },
            {
                "en": "operational, analytical and collaborative CRM, with an example of each",
                "zh": "操作型、分析型和协作型CRM，并各举一例",
            },
            {
                "en": "numbers from the demo company (e.g. rows per subsystem, the pipeline, the call log)",
                "zh": "引用演示公司的数字（如各子系统的数据行数、销售漏斗、通话记录）",
            },
        ],
        min_words=80,
        min_chars=160,
        wrong=["A CRM system is software.", "CRM系统就是软件。"],
    ),
    discussion(
        "ch09.q11",
        checklist=[
            {
                "en": "the four problems: insufficient understanding, poor use of the web, too little "
                "communication, over-reliance on software",
                "zh": "四个问题：认识不足、网络利用率差、缺乏沟通、过分依赖CRM软件",
            },
            {
                "en": "a remedy for each: clear goals and support from the top, the web site as a channel, "
                "communication with customers and across departments, integration with processes and people",
                "zh": "每个问题的对策：明确目标并获得高层支持、把网站作为沟通渠道、与客户及部门之间充分沟通、把软件与流程和人员整合",
            },
            {
                "en": "integration with ERP: the CRM needs the back office's orders, costs and deliveries",
                "zh": "与ERP集成：CRM需要后台的订单、成本和交付信息",
            },
            {
                "en": "the lesson of the 金丰易居 case: a platform first, a plan, step by step, extended gradually",
                "zh": "金丰易居案例的启示：先建沟通平台，有计划、按步骤实施，循序渐进地推广应用",
            },
        ],
        min_words=80,
        min_chars=160,
        wrong=["Buy better software.", "买更好的软件。"],
    ),
    discussion(
        "ch09.q12",
        checklist=[
            {
                "en": "collect personal data for a stated purpose, use no more than the purpose needs, keep them "
                "safe (access control)",
                "zh": "为明确的目的收集个人信息，使用不超出目的所需，妥善保管（访问控制）",
            },
            {
                "en": "pseudonymize before analysis with a keyed hash; keep the key apart; a plain hash is "
                "undone by a dictionary (all 5,000 names recovered from 560 guesses)",
                "zh": "分析前用带密钥的散列进行假名化，密钥单独保管；不带密钥的散列可被字典攻击破解（560次猜测即恢复全部5,000个姓名）",
            },
            {
                "en": "pseudonymized is not anonymous: quasi-identifiers single people out (703 consumers unique "
                "on age × gender × region × city tier); coarsen until k ≥ 5",
                "zh": "假名化不等于匿名化：准标识符可以识别个人（703位个人客户在年龄×性别×地区×城市等级上唯一）；泛化直至k ≥ 5",
            },
            {
                "en": "the law: China's Personal Information Protection Law treats de-identified data as personal "
                "information, anonymized data not",
                "zh": "法律：《个人信息保护法》将去标识化信息仍视为个人信息，匿名化信息则不是",
            },
            {
                "en": "tell customers what is tracked and why, and let them refuse; tracking they do not expect "
                "breaks trust",
                "zh": "告知客户跟踪什么、为什么跟踪，并允许其拒绝；超出客户预期的跟踪会破坏信任",
            },
        ],
        min_words=80,
        min_chars=160,
        wrong=["Delete the names.", "删掉姓名即可。"],
    ),
]
