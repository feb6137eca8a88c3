"""Chapter 07, winning, converting and keeping customers online (争取、转变与维系客户): the questions of
``exercises/solutions/07_online_acquisition_retention.ipynb``.

Every expected answer is computed from the shipped data with crmlib, the
first time a student checks it; nothing here is a pasted number.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import churn, funnel
from crmlib.datasets import load_demo
from crmlib.exercises.engine import discussion, integer, mistake, numeric

FEATURES = list(churn.CHURN_FEATURES)
#: The channels of question 1, one per variant, the default first.
Q1_CHANNEL = ["direct", "email", "referral", "search", "social", "display"]
#: The interval levels of question 2 (the chapter prints 95 % intervals).
Q2_LEVEL = [0.90, 0.80, 0.70, 0.98, 0.99]
#: The lifts of question 5 (the chapter sizes a test for 2 points with 80 % power).
Q5_LIFT = [0.03, 0.025, 0.035, 0.04, 0.05]
#: The contact plans of question 7 (the chapter: 20 % saved, CNY 20 a contact).
Q7_PLAN = [
    {"save_rate": 0.15, "cost": 10.0},
    {"save_rate": 0.10, "cost": 5.0},
    {"save_rate": 0.15, "cost": 5.0},
    {"save_rate": 0.25, "cost": 15.0},
    {"save_rate": 0.30, "cost": 25.0},
    {"save_rate": 0.10, "cost": 15.0},
]
#: The recency limits of question 8, in days.
Q8_DAYS = [180, 60, 90, 120, 210, 240, 270]


@cache
def _sessions() -> pd.DataFrame:
    return funnel.session_funnel(load_demo("web_events"))


def _share(channel: str = "direct", stage: str = "shopper", base: str = "visitor") -> float:
    table = funnel.funnel_table(_sessions(), by="channel", base=base)
    return float(table.loc[(channel, stage), "conversion"])


def _kol_upper(level: float = 0.90, column: str = "ci_high") -> float:
    table = funnel.funnel_table(_sessions(), by="campaign", base="visitor", level=level)
    return float(table.loc[("kol_social_2024", "buyer"), column])


@cache
def _acquired(start: str = "2022-01-01", end: str = "2022-12-31", window_days: int = 365) -> pd.DataFrame:
    return funnel.acquisition_by_channel(
        load_demo("customers"), load_demo("orders"), load_demo("marketing_spend"), start, end, window_days
    )


def _store_cost(column: str = "cost_per_retained_buyer", end: str = "2022-12-31") -> float:
    return float(_acquired(end=end).loc["store", column])


def _email_ab(treatment: str = "spring_email_2024", control: str = "cny_2024", channel: str | None = "email"):
    table = _sessions() if channel is None else _sessions()[_sessions()["channel"] == channel]
    return funnel.compare_conversion(table, "campaign", "buyer", treatment, control)


@cache
def _auc(train_cutoff: str = "2023-06-30", test_cutoff: str = "2023-12-31", in_sample: bool = False) -> float:
    orders, tickets = load_demo("orders"), load_demo("tickets")
    train = churn.churn_dataset(orders, train_cutoff, 180, tickets)
    model = churn.churn_pipeline().fit(train[FEATURES], train["churned"])
    test = train if in_sample else churn.churn_dataset(orders, test_cutoff, 180, tickets)
    test = test.assign(churn_probability=model.predict_proba(test[FEATURES])[:, 1])
    return float(churn.score_table(test, "churned", ["churn_probability"]).loc["churn_probability", "auc"])


@cache
def _campaign() -> pd.DataFrame:
    """The retention experiment with each customer's churn probability (the chapter's model) and 2024 margin."""
    orders, tickets = load_demo("orders"), load_demo("tickets")
    train = churn.churn_dataset(orders, "2023-12-31", 180, tickets)
    model = churn.churn_pipeline().fit(train[FEATURES], train["churned"])
    campaign = load_demo("retention_campaign")
    eligible = churn.churn_features(orders, "2024-12-20", tickets, active_days=541).loc[
        campaign["customer_id"]
    ]
    campaign["churn_probability"] = model.predict_proba(eligible[FEATURES])[:, 1]
    campaign["recency_days"] = eligible["recency_days"].to_numpy()
    margin = orders[orders["order_date"].dt.year == 2024].groupby("customer_id")["margin"].sum()
    campaign["value"] = margin.reindex(campaign["customer_id"]).fillna(0).clip(lower=0).to_numpy()
    return campaign


def _worth_contacting(save_rate: float = 0.15, cost: float = 10.0) -> int:
    decided = churn.contact_value(_campaign(), "churn_probability", "value", save_rate=save_rate, cost=cost)
    return int(decided["contact"].sum())


def _sessions_needed(lift: float, power: float = 0.9) -> int:
    return funnel.sample_size(round(_email_ab().rate_control, 3), lift, power=power)


def _recent_uplift(days: int = 180, recent: bool = True) -> float:
    table = _campaign()
    part = table[table["recency_days"] <= days] if recent else table[table["recency_days"] > days]
    return funnel.compare_conversion(part, "group", "bought_next_quarter", "coupon", "control").difference


QUESTIONS = [
    numeric(
        "ch07.q1",
        _share,
        abs=5e-4,
        variants={"channel": Q1_CHANNEL},
        hint={
            "en": "a shopper is a session that reached the cart; divide by all the visitor sessions of the "
            "{channel} channel",
            "zh": "驻客是把商品放入购物车的会话；除以 {channel} 渠道的全部访客会话数",
        },
        wrong=[
            mistake(
                lambda channel: _share(channel, base="previous"),
                because={
                    "en": "this is the step from browser to shopper; the question asks for a share of all visitors",
                    "zh": "这是从看客到驻客这一步的转化率；题目问的是占全部访客的比例",
                },
            ),
            mistake(lambda channel: 100 * _share(channel)),
            mistake(
                lambda channel: _share(channel, stage="buyer"),
                because={
                    "en": "this is the share who bought; a shopper only put something in the cart",
                    "zh": "这是购买者的比例；驻客只是把商品放入了购物车",
                },
            ),
        ],
    ),
    numeric(
        "ch07.q2",
        _kol_upper,
        abs=5e-4,
        variants={"level": Q2_LEVEL},
        hint={
            "en": "the share of the campaign's visitors who bought, with a Wilson interval at the {level:.0%} level: "
            "its upper end",
            "zh": "该营销活动的访客中购买者所占比例，取 {level:.0%} 水平的威尔逊区间：区间的上限",
        },
        wrong=[
            mistake(
                lambda: _kol_upper(level=0.95),
                because={
                    "en": "this is the 95 % interval, the chapter's; the question asks for {level:.0%}",
                    "zh": "这是95%置信区间（本章所用水平）；题目要求的是 {level:.0%}",
                },
            ),
            mistake(
                lambda level: _kol_upper(level, column="ci_low"),
                because={"en": "this is the lower end of the interval", "zh": "这是区间的下限"},
            ),
        ],
    ),
    numeric(
        "ch07.q3",
        _store_cost,
        rel=1e-3,
        hint={
            "en": "the store channel's always-on spend for the 2022 signups divided by its retained buyers "
            "(ordered on two days within 365 days of signing up)",
            "zh": "门店渠道为2022年注册客户支付的常规营销支出，除以其回头客人数（注册后365天内有两天下单）",
        },
        wrong=[
            mistake(
                lambda: _store_cost("cost_per_signup"),
                because={
                    "en": "this is the cost per signup; divide by the retained buyers instead",
                    "zh": "这是每位注册客户成本；应除以回头客人数",
                },
            ),
            mistake(
                lambda: _store_cost(end="2023-12-31"),
                because={
                    "en": "this uses the signups of 2022 and 2023, as the chapter does; the question asks for 2022 only",
                    "zh": "这用的是2022和2023两年的注册客户（与正文相同）；题目只要2022年",
                },
            ),
        ],
    ),
    numeric(
        "ch07.q4",
        lambda: _email_ab().difference,
        abs=5e-4,
        hint={
            "en": "keep the e-mail sessions, then the share of buyers of the spring campaign minus that of the "
            "Chinese New Year campaign",
            "zh": "只保留电子邮件会话，再用春季活动的购买者比例减去春节活动的购买者比例",
        },
        wrong=[
            mistake(
                lambda: -_email_ab().difference,
                because={
                    "en": "the sign is reversed: spring minus Chinese New Year",
                    "zh": "符号反了：应为春季减去春节",
                },
            ),
            mistake(
                lambda: _email_ab(channel=None).difference,
                because={
                    "en": "this compares all the campaigns' sessions, social ones included; keep the e-mail sessions",
                    "zh": "这比较的是两个活动的全部会话（包括社交媒体）；应只保留电子邮件会话",
                },
            ),
            mistake(lambda: 100 * _email_ab().difference),
        ],
    ),
    integer(
        "ch07.q5",
        _sessions_needed,
        variants={"lift": Q5_LIFT},
        hint={
            "en": "the baseline is the Chinese New Year e-mail conversion (three decimals); the size per group that "
            "detects a lift of {lift} (a fraction) with 90 % power",
            "zh": "基准是春节活动电子邮件会话的转化率（保留三位小数）；求以90%统计功效检测出 {lift}（小数）的提升所需的每组样本量",
        },
        wrong=[
            mistake(
                lambda lift: _sessions_needed(lift, power=0.8),
                because={
                    "en": "this is the size for 80 % power; the question asks for 90 %",
                    "zh": "这是统计功效为80%时的样本量；题目要求90%",
                },
            ),
            mistake(
                lambda lift: 2 * _sessions_needed(lift),
                because={
                    "en": "this is both groups together; give the size of one group",
                    "zh": "这是两组合计；应给出每组的样本量",
                },
            ),
        ],
    ),
    numeric(
        "ch07.q6",
        _auc,
        abs=2e-3,
        hint={
            "en": "features and labels at each cut-off (180-day label, with the tickets); learn on the earlier one, "
            "judge on the later one",
            "zh": "在每个截止日构建特征和标签（180天标签窗口，包含投诉工单）；在较早的截止日上学习，在较晚的截止日上评估",
        },
        wrong=[
            mistake(
                lambda: _auc(in_sample=True),
                because={
                    "en": "this scores the training window itself; a model must be judged on a later window",
                    "zh": "这是在训练窗口本身上评估；模型必须在之后的时间窗口上评估",
                },
            ),
            mistake(
                lambda: _auc("2023-12-31", "2024-06-30"),
                because={
                    "en": "these are the chapter's cut-offs; the question moves both six months earlier",
                    "zh": "这是正文使用的截止日；题目把两个截止日都提前了六个月",
                },
            ),
        ],
    ),
    integer(
        "ch07.q7",
        _worth_contacting,
        filtered=True,
        variants=Q7_PLAN,
        hint={
            "en": "churn probability x {save_rate} x value - {cost:g} for each eligible customer: how many are above 0?",
            "zh": "对每位符合条件的客户计算 流失概率 x {save_rate} x 价值 - {cost:g}：有多少位大于0？",
        },
        wrong=[
            mistake(
                lambda: _worth_contacting(0.20, 20.0),
                because={
                    "en": "these are the chapter's assumptions (20 %, CNY 20)",
                    "zh": "这是正文中的假设（20%，20元）",
                },
            ),
            mistake(lambda save_rate, cost: len(_campaign()) - _worth_contacting(save_rate, cost)),
        ],
    ),
    numeric(
        "ch07.q8",
        _recent_uplift,
        abs=5e-4,
        variants={"days": Q8_DAYS},
        hint={
            "en": "keep the eligible customers whose last order was at most {days} days before the campaign, then the "
            "buying rate of the coupon group minus that of the control group",
            "zh": "只保留最近一次订单距活动不超过 {days} 天的客户，再用领券组的购买比例减去对照组的购买比例",
        },
        wrong=[
            mistake(
                lambda days: _recent_uplift(days, recent=False),
                because={
                    "en": "this is the uplift of the customers who last ordered more than {days} days before",
                    "zh": "这是最近一次订单在 {days} 天以前的客户的增量效应",
                },
            ),
            mistake(
                lambda days: float(_campaign()["true_uplift"][_campaign()["recency_days"] <= days].mean()),
                because={
                    "en": "this is the simulation's true uplift, which a firm never sees; estimate it from the experiment",
                    "zh": "这是模拟中的真实增量效应，企业无法看到；应根据实验来估计",
                },
            ),
            mistake(
                lambda: _recent_uplift(10**6),
                because={
                    "en": "this is the uplift of all the eligible customers, the chapter's; keep those whose last "
                    "order was at most {days} days before",
                    "zh": "这是全部符合条件客户的增量效应（本章的结果）；应只保留最近一次订单距活动不超过 {days} 天的客户",
                },
            ),
            mistake(lambda days: 100 * _recent_uplift(days)),
        ],
    ),
    discussion(
        "ch07.q9",
        checklist=[
            {
                "en": "why online: customers meet the firm without personal contact, so communication replaces it",
                "zh": "为什么在线沟通：客户与企业没有直接接触，沟通取而代之",
            },
            {
                "en": "the three goals: steady visits, effective marketing messages, a stable relationship",
                "zh": "三个目标：稳定的访问量、有效的营销信息、稳固的关系",
            },
            {
                "en": "the two modes: device-based (software, apps, portal) and human-based (agents, e-mail, communities)",
                "zh": "两种方式：基于设备（软件、应用、门户网站）和基于人力（客服、电子邮件、社区）",
            },
            {
                "en": "the content: product information, service, feedback and complaints, personalized offers",
                "zh": "沟通内容：产品信息、服务、反馈与投诉、个性化优惠",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["To sell more.", "为了多卖东西。"],
    ),
    discussion(
        "ch07.q10",
        checklist=[
            {
                "en": "the web differs from television and print in communication model (many to many), process "
                "(two-way, pull), marketing idea (one-to-one) and the customer's position (active)",
                "zh": "网络与电视、印刷媒体在沟通模型（多对多）、沟通过程（双向、主动获取）、营销理念（一对一）"
                "和客户地位（主动）上不同",
            },
            {
                "en": "the web makes each step measurable (the funnel by channel and campaign)",
                "zh": "网络使每一步都可衡量（按渠道和营销活动划分的漏斗）",
            },
            {
                "en": "the three phases of online CRM: analysis, planning, implementation, with their tasks",
                "zh": "在线客户关系管理的三个阶段：分析、规划、实施及各自的任务",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["The web is faster.", "网络更快。"],
    ),
    discussion(
        "ch07.q11",
        checklist=[
            {
                "en": "a plan: what to track (visits, interests, cart) and how to recognise the customer (login, membership)",
                "zh": "方案：跟踪什么（访问、兴趣、购物车）以及如何识别客户（登录、会员）",
            },
            {
                "en": "customers may resent tracking that feels hidden or goes beyond what the service needs",
                "zh": "如果跟踪是隐蔽的或超出服务所需，客户可能反感",
            },
            {
                "en": "privacy safeguards: consent, collect only what is needed, pseudonymize, secure storage, easy opt-out",
                "zh": "隐私保护：征得同意、只收集必要数据、假名化、安全存储、可随时退出",
            },
            {
                "en": "something in return for the customer (better service, relevant offers), and that only known "
                "buyers can be retained (40 % of the demo company's buyers)",
                "zh": "给客户相应的回报（更好的服务、相关的优惠），并指出只有可识别的购买者才能被维系（演示公司约40%）",
            },
        ],
        min_words=60,
        min_chars=120,
        wrong=["Use cookies.", "用 cookie。"],
    ),
    discussion(
        "ch07.q12",
        checklist=[
            {
                "en": "online there is no personal contact, so a first-time buyer faces uncertainty about the seller",
                "zh": "网上没有直接接触，首次购买者对卖家心存不确定",
            },
            {
                "en": "a seal lends a third party's credibility (checked identity, conduct), lowering perceived risk",
                "zh": "认证标志借用第三方的信誉（核实的身份和经营行为），降低感知风险",
            },
            {
                "en": "trust drives purchase intention; the seal helps the firm-image task",
                "zh": "信任推动购买意愿；认证标志有助于提升企业形象这项任务",
            },
            {
                "en": "a seal is only as good as the issuer's checks, and it cannot replace website quality and "
                "satisfying interactions",
                "zh": "认证标志的价值取决于颁发机构审核的严格程度，它不能替代网站质量和令人满意的交互",
            },
        ],
        min_words=50,
        min_chars=100,
        wrong=["Because it looks good.", "因为好看。"],
    ),
    discussion(
        "ch07.q13",
        checklist=[
            {
                "en": "customers help and recommend to each other: word of mouth and lower service cost",
                "zh": "客户之间互相帮助和推荐：口碑效应并降低服务成本",
            },
            {
                "en": "members invest time and build ties: implicit relationship investment that makes leaving costly",
                "zh": "成员投入时间、建立联系：这是隐性关系投资，提高离开的代价",
            },
            {
                "en": "the firm listens and learns customers' needs and complaints (customer knowledge)",
                "zh": "企业倾听并了解客户的需求和投诉（客户知识）",
            },
            {
                "en": "risks: moderation is needed and criticism is public",
                "zh": "风险：需要管理，批评是公开的",
            },
        ],
        min_words=50,
        min_chars=100,
        wrong=["It is popular.", "因为流行。"],
    ),
]
