"""The demo company: a seeded, documented synthetic firm for chapters 02-09.

The demo company sells household goods, coffee, snacks, baby products,
personal care, small electronics and office supplies in China, online (web,
app), in its own stores and, to business customers, through sales reps. Its
data run from 2022-01-01 to ``OBSERVATION_END`` = 2024-12-31. Every table is
drawn from one ``numpy.random.default_rng(DEMO_SEED)`` (one child generator
per stage), so the files in ``datasets/demo/`` are identical on every run.

Generative model
----------------
Customers (``customers``; chapters 02, 03, 05)
    5,000 accounts, signed up on days drawn with weight growing linearly
    from 1 to 1.8 over the window and doubled in the Double 11 season
    (Oct 20 - Nov 11). Each has a *latent segment* (``truth.latent_segment``)
    with shares value_seeker 29 %, loyal_family 23 %, premium_professional
    15.5 %, occasional 28.5 %, business_account 4 % (of which
    ``N_KEY_ACCOUNTS`` = 30 are key accounts). Segments differ in age
    (Normal, e.g. mean 27 for value seekers, 38 for loyal families), gender,
    monthly income band (``INCOME_BANDS``), city tier, signup channel,
    category and tier preferences, order channel, basket size, coupon use,
    purchase rate, dropout and satisfaction (see ``LATENT_SEGMENTS``). Business
    accounts have no age, gender or income; key accounts and 30 % of other
    business accounts were migrated into the CRM on 2022-01-04, their
    recorded signup date.

Satisfaction (``truth.latent_satisfaction``, ``survey``; chapters 05, 06)
    Each customer experiences the five service attributes ``ATTRIBUTES``
    as correlated standard normals q_a (pairwise correlation 0.36).
    Latent product satisfaction is 0.65 q_quality + 0.35 q_delivery,
    relationship satisfaction 0.45 q_responsiveness + 0.15 q_personalization
    + 0.40 q_care (each standardized); latent satisfaction s is their
    standardized mean plus a segment shift. The survey reports Likert
    scores: perception_a = round(PERCEPTION_MEAN_a + q_a + N(0, 0.4)),
    expectation_a = round(EXPECTATION_MEAN_a + segment shift + N(0, 0.8)),
    overall satisfaction weights the attributes by ``IMPORTANCE`` (product
    quality and delivery speed matter most, personalization least, while
    delivery speed and personalization have the largest negative gaps).

Repeat purchasing (``orders``; chapters 03, 04, 07)
    B2C and non-key business customers follow a BG/NBD process (Fader,
    Hardie & Lee 2005): the first order falls on the signup day (55 %) or an
    Exponential(12 days) later; while alive a customer buys as a Poisson
    process of weekly rate lambda ~ Gamma(r, alpha) (segment-specific, capped
    at 2.5), modulated by the seasonal calendar (Double 11, Double 12, 618
    peaks, a Chinese New Year dip, busier weekends; mean 1 over the window)
    and by a ramp-up (exploration -> familiarity): the rate is
    multiplied by 1 - 0.6 exp(-tenure / 10 weeks). After each repeat order
    the customer drops out with probability p, where logit p = logit p0 -
    0.6 s and p0 ~ Beta(a, b) (segment-specific): satisfied customers stay
    longer. Key accounts order regularly, every 7-18 days (jitter 1.5 days),
    with quantities trending up or down by exp(g * years), g ~ N(0.15, 0.3)
    (partnership or uncoupling), and p = 0.002.

Complaints (``tickets``; chapters 06, 09)
    Each potential order raises a ticket with probability
    0.055 exp(-0.4 s) (key accounts half of that), opened Exponential(3 days)
    later. The resolution depends on the category and improves in 2024 (a
    dedicated service centre). An unresolved complaint makes the customer
    leave (after that order) with probability 0.5, a plainly resolved one
    with 0.08; a complaint resolved to the customer's satisfaction gives the
    relationship a second life with probability 0.4 (the dropout is
    postponed by another Geometric(p) orders): the service recovery paradox.

Orders and baskets (``orders``, ``order_lines``, ``products``; chapters 04, 08)
    48 products: 16 product lines in 8 categories, each in a basic /
    standard / premium tier (the up-sell ladder). An order has 1 + Poisson(m)
    lines, m growing with the customer's order count (familiarity) and
    falling over the last two orders before a dropout (separation). The
    first line's product line follows the segment's category preferences;
    each further line is, with probability 0.45, a cross-sell partner of the
    first (``CROSS_SELL``: coffee machine -> coffee beans, formula ->
    diapers, ink -> paper, ...), so market-basket lift exceeds 1 for those
    pairs. Tiers follow the segment's preferences, shifted toward premium
    by 0.35 log(1 + order number) (up-selling). Discounts come from
    campaigns, coupons or key-account contracts.

Web funnel (``web_events``; chapters 03, 07)
    Sessions in 2024 only (40,000 ordinary ones plus 22,500 brought by the
    2024 campaigns), each
    reaching a prefix of visit -> browse -> add_to_cart -> purchase with
    stage probabilities per traffic channel (``FUNNEL``: email and referral
    convert best, display worst), multiplied per campaign
    (``WEB_CAMPAIGNS``), and by 1.3 at the last stage for known customers.

Service (``calls``; chapter 09)
    Call-centre calls in Q4 2024: Poisson arrivals per hour with hour-of-day,
    day-of-week and post-Double-11 peaks; waits drawn from the M/M/c (Erlang
    C) steady state for the hour's arrival rate and a staffing plan that
    answers 80 % of calls within 20 s at the planned (weekday x hour) load
    but not in the post-Double-11 peak; abandonment after Exponential(180 s)
    patience.

Sales pipeline (``opportunities``; chapters 08, 09)
    Business accounts (key accounts about 6, others about 1.2 on average)
    with Gamma(3, 25 days) sales cycles; closed ones are won with
    probability 0.65 (key accounts), 0.4 (other accounts), 0 (accounts
    that never buy).

The ground truth of every customer is in ``truth``. ``datasets/demo/README.md``
is the data card of each file, with its quirks: returns are not recorded (all
amounts are >= 0), migrated B2B accounts share the signup date 2022-01-04, the
web log is not joined to orders, survey respondents are survivors, a few
tickets are still open at the end.

Examples
--------
>>> from crmlib.synthetic import generate_demo
>>> tables = generate_demo()                                  # doctest: +SKIP
>>> sorted(tables)                                            # doctest: +SKIP
['calls', 'customers', 'opportunities', 'order_lines', 'orders', ...]

References
----------
Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers"
the easy way: an alternative to the Pareto/NBD model. Marketing Science 24(2).
Millman, T., & Wilson, K. (1994). From key account selling to key account
management. Journal of Marketing Practice 1(1).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from crmlib.validation import DataError

__all__ = [
    "DEMO_SEED",
    "OBSERVATION_END",
    "WINDOW_START",
    "TABLES",
    "generate_demo",
    "write_demo",
    "check_demo",
]

# --------------------------------------------------------------------------
# Public constants
# --------------------------------------------------------------------------
DEMO_SEED: int = 20240601
WINDOW_START = pd.Timestamp("2022-01-01")
OBSERVATION_END = pd.Timestamp("2024-12-31")

TABLES: dict[str, dict] = {
    "customers": {
        "description": {
            "en": "One row per account: signup, channel, type and demographics",
            "zh": "每个账户一行：注册日期、渠道、客户类型和人口统计特征",
        },
        "dates": ["signup_date"],
        "key": "customer_id",
    },
    "products": {
        "description": {
            "en": "48 products: 8 categories, 16 product lines, basic/standard/premium tiers",
            "zh": "48 种产品：8 个品类、16 条产品线，分基础、标准、高端三档",
        },
        "dates": [],
        "key": "product_id",
    },
    "orders": {
        "description": {
            "en": "One row per order with its channel, campaign, revenue, cost and margin",
            "zh": "每个订单一行：渠道、营销活动、收入、成本和毛利",
        },
        "dates": ["order_date"],
        "key": "order_id",
    },
    "order_lines": {
        "description": {
            "en": "One row per product in an order: quantity, price, discount, revenue, cost",
            "zh": "订单中的每种产品一行：数量、价格、折扣、收入、成本",
        },
        "dates": [],
        "key": None,
    },
    "web_events": {
        "description": {
            "en": "Web funnel log for 2024: visit, browse, add_to_cart, purchase per session",
            "zh": "2024 年网站漏斗日志：每个会话的访问、浏览、加入购物车、购买",
        },
        "dates": ["timestamp"],
        "key": None,
    },
    "survey": {
        "description": {
            "en": "Satisfaction survey (spring 2024): expectation and perception of 5 attributes",
            "zh": "满意度调查（2024 年春）：5 个属性的期望与感知",
        },
        "dates": ["survey_date"],
        "key": "customer_id",
    },
    "tickets": {
        "description": {
            "en": "Service tickets (complaints) with category, channel and resolution",
            "zh": "服务工单（投诉）：类别、渠道和处理结果",
        },
        "dates": ["opened_at", "closed_at"],
        "key": "ticket_id",
    },
    "calls": {
        "description": {
            "en": "Call-centre calls in Q4 2024: arrival time, wait, handling time, outcome",
            "zh": "2024 年第四季度呼叫中心来电：到达时间、等待时间、处理时长、结果",
        },
        "dates": ["call_start"],
        "key": "call_id",
    },
    "opportunities": {
        "description": {
            "en": "Sales opportunities with business accounts: stage, value, dates",
            "zh": "企业客户的销售机会：阶段、金额、日期",
        },
        "dates": ["created_date", "close_date", "expected_close_date"],
        "key": "opportunity_id",
    },
    "truth": {
        "description": {
            "en": "Ground truth per customer: latent segment, purchase rate, dropout, satisfaction",
            "zh": "每个客户的真实参数：潜在细分群体、购买率、流失、满意度",
        },
        "dates": ["dropout_date"],
        "key": "customer_id",
    },
}

# Columns written with a time of day; every other date column is written as YYYY-MM-DD.
_TIMESTAMP_COLUMNS = {
    "web_events": ["timestamp"],
    "tickets": ["opened_at", "closed_at"],
    "calls": ["call_start"],
}

# --------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------
N_DAYS = (OBSERVATION_END - WINDOW_START).days + 1  # 1096 days
MIGRATION_DATE = pd.Timestamp("2022-01-04")  # CRM go-live: migrated B2B accounts
CHINESE_NEW_YEAR = ("2022-02-01", "2023-01-22", "2024-02-10")
MONTH_FACTOR = np.array([0.95, 0.9, 1.0, 1.0, 1.0, 1.1, 0.95, 0.95, 1.0, 1.05, 1.35, 1.25])
SPIKES = (  # (month, first day, last day, multiplier): shopping festivals
    (11, 9, 11, 3.0),  # Double 11 (光棍节)
    (12, 11, 12, 1.8),  # Double 12
    (6, 16, 18, 2.0),  # 618
)
CNY_HALF_WIDTH_DAYS = 7
CNY_FACTOR = 0.45
WEEKEND_FACTOR = 1.1

# --------------------------------------------------------------------------
# Customers and segments
# --------------------------------------------------------------------------
N_CUSTOMERS = 5000
N_KEY_ACCOUNTS = 30
MIGRATED_BUSINESS_SHARE = 0.3
SIGNUP_GROWTH = 0.8  # signup weight grows from 1 to 1 + SIGNUP_GROWTH
SIGNUP_FESTIVAL_FACTOR = 2.0  # Oct 20 - Nov 11

REGIONS = ("East China", "South China", "North China", "Central China", "Southwest", "Northeast", "Northwest")
REGION_SHARES = (0.30, 0.20, 0.17, 0.12, 0.11, 0.06, 0.04)
INCOME_BANDS = ("<5k", "5k-10k", "10k-20k", "20k-40k", ">40k")  # monthly, CNY
SIGNUP_CHANNELS = ("search", "social", "email", "referral", "display", "store", "sales_team")
# Channels differ in how many signups ever buy (acquisition quality).
NEVER_BUY_CHANNEL_FACTOR = (1.0, 1.3, 0.8, 0.6, 1.6, 0.5, 0.8)
ORDER_CHANNELS = ("web", "app", "store", "sales_rep")
CATEGORIES = (
    "Coffee & Tea",
    "Kitchen Appliances",
    "Snacks",
    "Baby & Kids",
    "Home Cleaning",
    "Personal Care",
    "Electronics",
    "Office Supplies",
)
TIERS = ("basic", "standard", "premium")

LATENT_SEGMENTS: dict[str, dict] = {
    "value_seeker": {
        "share": 0.29,
        "age": (27, 5),
        "female": 0.5,
        "income": (0.35, 0.40, 0.18, 0.05, 0.02),
        "city_tier": (0.15, 0.25, 0.35, 0.25),
        "signup": (0.25, 0.35, 0.05, 0.10, 0.15, 0.10, 0.0),
        "r": 1.0,
        "alpha": 6.5,
        "a": 0.9,
        "b": 6.0,
        "never_buy": 0.12,
        "sat_shift": -0.2,
        "exp_shift": 0.0,
        "categories": (0.10, 0.05, 0.25, 0.05, 0.20, 0.15, 0.15, 0.05),
        "tiers": (0.60, 0.30, 0.10),
        "order_channel": (0.45, 0.45, 0.10, 0.0),
        "lines": 1.1,
        "coupon": 0.35,
    },
    "loyal_family": {
        "share": 0.23,
        "age": (38, 6),
        "female": 0.62,
        "income": (0.05, 0.30, 0.40, 0.20, 0.05),
        "city_tier": (0.20, 0.35, 0.30, 0.15),
        "signup": (0.25, 0.15, 0.10, 0.25, 0.05, 0.20, 0.0),
        "r": 2.0,
        "alpha": 6.5,
        "a": 0.7,
        "b": 11.0,
        "never_buy": 0.06,
        "sat_shift": 0.4,
        "exp_shift": 0.0,
        "categories": (0.05, 0.08, 0.15, 0.30, 0.25, 0.12, 0.04, 0.01),
        "tiers": (0.30, 0.50, 0.20),
        "order_channel": (0.30, 0.45, 0.25, 0.0),
        "lines": 1.6,
        "coupon": 0.15,
    },
    "premium_professional": {
        "share": 0.155,
        "age": (34, 6),
        "female": 0.48,
        "income": (0.01, 0.06, 0.28, 0.40, 0.25),
        "city_tier": (0.50, 0.35, 0.12, 0.03),
        "signup": (0.35, 0.20, 0.10, 0.20, 0.10, 0.05, 0.0),
        "r": 1.4,
        "alpha": 7.0,
        "a": 0.7,
        "b": 8.0,
        "never_buy": 0.08,
        "sat_shift": -0.1,
        "exp_shift": 0.5,
        "categories": (0.25, 0.20, 0.05, 0.02, 0.03, 0.20, 0.20, 0.05),
        "tiers": (0.10, 0.35, 0.55),
        "order_channel": (0.40, 0.50, 0.10, 0.0),
        "lines": 1.3,
        "coupon": 0.05,
    },
    "occasional": {
        "share": 0.285,
        "age": (45, 12),
        "female": 0.5,
        "income": (0.15, 0.35, 0.30, 0.15, 0.05),
        "city_tier": (0.20, 0.30, 0.30, 0.20),
        "signup": (0.30, 0.20, 0.05, 0.05, 0.25, 0.15, 0.0),
        "r": 0.6,
        "alpha": 9.0,
        "a": 1.0,
        "b": 2.5,
        "never_buy": 0.25,
        "sat_shift": -0.1,
        "exp_shift": 0.0,
        "categories": (0.125,) * 8,
        "tiers": (0.40, 0.40, 0.20),
        "order_channel": (0.45, 0.30, 0.25, 0.0),
        "lines": 0.9,
        "coupon": 0.10,
    },
    "business_account": {
        "share": 0.04,
        "age": None,
        "female": None,
        "income": None,
        "city_tier": (0.50, 0.35, 0.12, 0.03),
        "signup": (0.25, 0.02, 0.05, 0.33, 0.0, 0.0, 0.35),
        "r": 2.0,
        "alpha": 10.0,
        "a": 0.5,
        "b": 10.0,
        "never_buy": 0.15,
        "sat_shift": 0.1,
        "exp_shift": 0.3,
        "categories": (0.20, 0.05, 0.05, 0.0, 0.10, 0.0, 0.15, 0.45),
        "tiers": (0.30, 0.50, 0.20),
        "order_channel": (0.50, 0.20, 0.0, 0.30),
        "lines": 2.5,
        "coupon": 0.0,
    },
}
LATENT_SEGMENT_NAMES = tuple(LATENT_SEGMENTS)
BUSINESS = LATENT_SEGMENT_NAMES.index("business_account")

COMPANY_PREFIXES = (
    "Huaxin",
    "Jinfeng",
    "Tianyu",
    "Mingda",
    "Haorui",
    "Xinghe",
    "Longteng",
    "Ruifeng",
    "Baichuan",
    "Kaiyuan",
    "Hengtai",
    "Zhongke",
    "Yuanhang",
    "Jiahe",
    "Shengshi",
    "Lianchuang",
    "Fuxing",
    "Dongsheng",
    "Qiming",
    "Anda",
    "Boya",
    "Chengxin",
    "Dingsheng",
    "Guangyao",
    "Weilai",
)
COMPANY_INDUSTRIES = (
    "Trading",
    "Technology",
    "Logistics",
    "Hospitality",
    "Office Services",
    "Catering",
    "Education",
    "Healthcare",
    "Property Management",
    "Consulting",
)

# --------------------------------------------------------------------------
# Purchasing, satisfaction and complaints
# --------------------------------------------------------------------------
FIRST_ORDER_SAME_DAY = 0.55
FIRST_ORDER_DELAY_DAYS = 12.0
LAMBDA_CAP = 2.5  # orders per week
RAMP_DEPTH = 0.6  # rate multiplier 1 - RAMP_DEPTH * exp(-tenure / RAMP_WEEKS)
RAMP_WEEKS = 10.0
SAT_ON_DROPOUT = 0.6  # logit p = logit p0 - SAT_ON_DROPOUT * s
ATTRIBUTE_CORRELATION = 0.36
KEY_ACCOUNT_PERIOD_DAYS = (7.0, 18.0)
KEY_ACCOUNT_JITTER_DAYS = 1.5
KEY_ACCOUNT_DROPOUT_P = 0.002
KEY_ACCOUNT_TREND = (0.15, 0.3)  # growth per year of order quantities, N(mean, sd)
KEY_ACCOUNT_SAT_SHIFT = 0.3

TICKET_RATE = 0.055  # per order, times exp(-TICKET_SAT * s)
TICKET_SAT = 0.4
TICKET_DELAY_DAYS = 3.0
TICKET_CATEGORIES = ("delivery_delay", "product_defect", "billing", "return_request", "website")
TICKET_CATEGORY_SHARES = (0.35, 0.25, 0.12, 0.18, 0.10)
TICKET_CHANNELS = ("phone", "web_form", "email")
TICKET_CHANNEL_SHARES = (0.5, 0.3, 0.2)
RESOLUTIONS = ("resolved_satisfied", "resolved", "unresolved")
RESOLUTION_PROBS = {  # per ticket category, before 2024
    "delivery_delay": (0.45, 0.40, 0.15),
    "product_defect": (0.50, 0.35, 0.15),
    "billing": (0.35, 0.45, 0.20),
    "return_request": (0.40, 0.40, 0.20),
    "website": (0.30, 0.45, 0.25),
}
SERVICE_CENTRE_GAIN = 0.10  # 2024: this much probability moves from unresolved/resolved to satisfied
RESOLUTION_HOURS = (20.0, 48.0, 120.0)  # median hours to close, per resolution
P_LEAVE_UNRESOLVED = 0.5
P_LEAVE_RESOLVED = 0.08
P_RECOVERY = 0.4  # resolved_satisfied: dropout postponed by Geometric(p) orders

# --------------------------------------------------------------------------
# Products and baskets
# --------------------------------------------------------------------------
PRODUCT_LINES = (  # (name, category index, basic/standard/premium price in CNY, margin add-on)
    ("Coffee Beans", 0, (59, 99, 169), 0.05),
    ("Green Tea", 0, (39, 79, 159), 0.08),
    ("Coffee Machine", 1, (399, 899, 2499), -0.05),
    ("Blender", 1, (199, 399, 899), -0.03),
    ("Mixed Nuts", 2, (29, 49, 89), 0.06),
    ("Biscuits", 2, (19, 35, 59), 0.06),
    ("Diapers", 3, (89, 139, 199), -0.02),
    ("Infant Formula", 3, (169, 239, 349), 0.0),
    ("Laundry Detergent", 4, (29, 49, 79), 0.03),
    ("Paper Towels", 4, (25, 39, 59), 0.0),
    ("Shampoo", 5, (39, 69, 129), 0.08),
    ("Skincare Set", 5, (129, 259, 499), 0.12),
    ("Earphones", 6, (99, 299, 999), -0.08),
    ("Power Bank", 6, (79, 149, 299), -0.06),
    ("Printer Paper", 7, (25, 35, 55), -0.04),
    ("Ink Cartridge", 7, (59, 129, 249), 0.05),
)
TIER_MARGIN = (0.22, 0.30, 0.40)
CROSS_SELL = {  # product line -> partner lines bought with it
    "Coffee Beans": ("Coffee Machine", "Biscuits"),
    "Green Tea": ("Biscuits", "Mixed Nuts"),
    "Coffee Machine": ("Coffee Beans",),
    "Blender": ("Mixed Nuts",),
    "Mixed Nuts": ("Green Tea", "Blender"),
    "Biscuits": ("Coffee Beans", "Green Tea"),
    "Diapers": ("Infant Formula", "Paper Towels"),
    "Infant Formula": ("Diapers",),
    "Laundry Detergent": ("Paper Towels", "Shampoo"),
    "Paper Towels": ("Laundry Detergent", "Diapers"),
    "Shampoo": ("Skincare Set", "Laundry Detergent"),
    "Skincare Set": ("Shampoo",),
    "Earphones": ("Power Bank",),
    "Power Bank": ("Earphones",),
    "Printer Paper": ("Ink Cartridge",),
    "Ink Cartridge": ("Printer Paper",),
}
CROSS_SELL_PROB = 0.45
UPSELL_SHIFT = 0.35  # tier logits + UPSELL_SHIFT * log(1 + order number) * (0, .5, 1)
LINES_RAMP = 0.45  # lines mean * (1 - LINES_RAMP * exp(-order number / 3))
SEPARATION_ORDERS = 2
SEPARATION_FACTOR = 0.6
CONSUMABLE_EXTRA_QTY = (0.3, 0.0, 0.5, 0.6, 0.6, 0.3, 0.0, 0.4)  # per category, B2C
BUSINESS_EXTRA_QTY = 2.0
KEY_ACCOUNT_QTY_MEDIAN = 4.0
KEY_ACCOUNT_CONTRACT_DISCOUNTS = (0.08, 0.10, 0.12, 0.15)
KEY_ACCOUNT_SALES_REP_SHARE = 0.8
STORE_SIGNUP_STORE_SHARE = 0.5  # store signups buy in store this often
COUPON_DISCOUNTS = (0.05, 0.10)

# Campaigns: name, first day, last day, discount, share of web/app orders in the window
# that carry the campaign code, traffic channels (web funnel, 2024 only), extra sessions,
# stage multipliers (browse, add_to_cart, purchase).
CAMPAIGNS = (
    ("cny_2022", "2022-01-17", "2022-01-30", 0.10, 0.5, (), 0, None),
    ("618_2022", "2022-06-01", "2022-06-18", 0.15, 0.55, (), 0, None),
    ("double11_2022", "2022-10-31", "2022-11-11", 0.20, 0.6, (), 0, None),
    ("cny_2023", "2023-01-09", "2023-01-20", 0.10, 0.5, (), 0, None),
    ("618_2023", "2023-06-01", "2023-06-18", 0.15, 0.55, (), 0, None),
    ("double11_2023", "2023-10-24", "2023-11-11", 0.20, 0.6, (), 0, None),
    ("cny_2024", "2024-01-29", "2024-02-08", 0.10, 0.5, ("email", "social"), 1500, (1.0, 1.0, 1.0)),
    ("spring_email_2024", "2024-03-04", "2024-03-31", 0.10, 0.25, ("email",), 2500, (1.1, 1.2, 1.1)),
    ("display_brand_2024", "2024-04-15", "2024-05-19", 0.05, 0.15, ("display",), 4000, (0.7, 0.9, 1.0)),
    (
        "618_2024",
        "2024-06-01",
        "2024-06-18",
        0.15,
        0.55,
        ("search", "social", "display"),
        3000,
        (1.0, 1.3, 1.2),
    ),
    ("kol_social_2024", "2024-08-19", "2024-09-22", 0.10, 0.25, ("social",), 3500, (1.25, 0.8, 0.9)),
    (
        "double11_2024",
        "2024-10-21",
        "2024-11-11",
        0.20,
        0.6,
        ("search", "social", "display", "email"),
        6000,
        (1.1, 1.5, 1.4),
    ),
    ("year_end_2024", "2024-12-01", "2024-12-20", 0.10, 0.3, ("email", "search"), 2000, (1.05, 1.1, 1.15)),
)

# --------------------------------------------------------------------------
# Web funnel (2024)
# --------------------------------------------------------------------------
WEB_START = pd.Timestamp("2024-01-01")
WEB_BASE_SESSIONS = 40000
TRAFFIC_CHANNELS = ("search", "social", "email", "referral", "display", "direct")
TRAFFIC_SHARES = (0.30, 0.22, 0.08, 0.07, 0.18, 0.15)
FUNNEL = {  # P(browse | visit), P(add_to_cart | browse), P(purchase | add_to_cart)
    "search": (0.55, 0.25, 0.35),
    "social": (0.40, 0.15, 0.25),
    "email": (0.70, 0.35, 0.45),
    "referral": (0.65, 0.30, 0.45),
    "display": (0.30, 0.10, 0.20),
    "direct": (0.60, 0.30, 0.40),
}
FUNNEL_STAGES = ("visit", "browse", "add_to_cart", "purchase")
KNOWN_SESSION_SHARE = 0.4
KNOWN_PURCHASE_FACTOR = 1.3
WEB_HOUR_WEIGHTS = (
    0.6,
    0.3,
    0.2,
    0.15,
    0.15,
    0.2,
    0.4,
    0.8,
    1.2,
    1.4,
    1.4,
    1.5,
    1.7,
    1.5,
    1.3,
    1.3,
    1.3,
    1.3,
    1.5,
    1.8,
    2.2,
    2.4,
    2.0,
    1.2,
)
STAGE_GAP_SECONDS = (40.0, 150.0, 90.0)

# --------------------------------------------------------------------------
# Survey
# --------------------------------------------------------------------------
ATTRIBUTES = ("product_quality", "delivery_speed", "responsiveness", "personalization", "care")
EXPECTATION_MEAN = (5.6, 5.9, 5.4, 4.8, 5.0)
PERCEPTION_MEAN = (5.7, 4.9, 4.9, 3.9, 4.8)
IMPORTANCE = (0.45, 0.27, 0.15, 0.03, 0.10)  # weights of the attributes in overall satisfaction
PRODUCT_WEIGHTS = (0.65, 0.35, 0.0, 0.0, 0.0)
RELATIONSHIP_WEIGHTS = (0.0, 0.0, 0.45, 0.15, 0.40)
PERCEPTION_NOISE = 0.4
SURVEY_START = pd.Timestamp("2024-03-01")
SURVEY_END = pd.Timestamp("2024-04-30")
SURVEY_RESPONDENTS = 1800

# --------------------------------------------------------------------------
# Call centre (Q4 2024)
# --------------------------------------------------------------------------
CALL_START = pd.Timestamp("2024-10-01")
CALLS_PER_DAY = 150.0
CALL_OPEN_HOUR = 8
CALL_HOUR_WEIGHTS = (0.5, 1.0, 1.4, 1.3, 0.8, 0.9, 1.2, 1.2, 1.0, 0.8, 0.6, 0.7, 0.8, 0.4)  # 8-21h
CALL_DOW_FACTOR = (1.3, 1.1, 1.0, 1.0, 0.95, 0.75, 0.6)  # Monday .. Sunday
CALL_PEAK = ("2024-11-12", "2024-11-20", 1.7)  # after Double 11: delivery questions
MEAN_HANDLE_SECONDS = 330.0
HANDLE_SIGMA = 0.55
SERVICE_LEVEL = (0.8, 20.0)  # staffing plan: 80 % of calls answered within 20 s at the planned load
MAX_UTILISATION = 0.97
MEAN_PATIENCE_SECONDS = 180.0
KNOWN_CALLER_SHARE = 0.8
CALL_OUTCOMES = ("resolved", "transferred", "callback_scheduled")
CALL_OUTCOME_SHARES = (0.72, 0.12, 0.16)

# --------------------------------------------------------------------------
# Opportunities
# --------------------------------------------------------------------------
OPPORTUNITY_STAGES = ("prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost")
STAGE_PROBABILITY = (0.10, 0.25, 0.50, 0.75, 1.0, 0.0)
OPPORTUNITIES_PER_ACCOUNT = {"key": 6.0, "business": 1.2, "never_buys": 1.0}
OPPORTUNITY_VALUE_MEDIAN = {"key": 300000.0, "business": 40000.0, "never_buys": 30000.0}
OPPORTUNITY_VALUE_SIGMA = 0.65
WIN_PROBABILITY = {"key": 0.65, "business": 0.40, "never_buys": 0.0}
SALES_CYCLE_GAMMA = (3.0, 25.0)  # shape, scale in days
N_KEY_ACCOUNT_MANAGERS = 4
N_SALES_REPS = 4


# ==========================================================================
# Small helpers
# ==========================================================================
def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of ``probs`` (rows sum to one): the index of the category."""
    probs = np.asarray(probs, dtype=float)
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def _gumbel_argmax(rng: np.random.Generator, logits: np.ndarray) -> np.ndarray:
    """One categorical draw per row from unnormalized log-probabilities."""
    return np.argmax(logits + rng.gumbel(size=logits.shape), axis=1)


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal values of a sorted ``groups`` array."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=int)
    starts = np.r_[True, groups[1:] != groups[:-1]]
    start_index = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    return np.arange(n) - start_index


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.array([f"{prefix}{k:0{width}d}" for k in numbers], dtype=object)


def _day_to_timestamp(days: np.ndarray) -> pd.DatetimeIndex:
    """Fractional days since WINDOW_START -> timestamps rounded down to the second."""
    seconds = np.floor(np.asarray(days, dtype=float) * 86400.0).astype("int64")
    return WINDOW_START + pd.to_timedelta(seconds, unit="s")


def _day_to_date(days: np.ndarray) -> pd.DatetimeIndex:
    return WINDOW_START + pd.to_timedelta(np.floor(days).astype("int64"), unit="D")


def _day_index(date: str | pd.Timestamp) -> int:
    return int((pd.Timestamp(date) - WINDOW_START).days)


def _segment_array(key: str) -> np.ndarray:
    return np.array([LATENT_SEGMENTS[s][key] for s in LATENT_SEGMENT_NAMES], dtype=float)


def _standardized_weights(weights) -> np.ndarray:
    """Weights w scaled so that w @ q has unit variance for the correlated attributes."""
    w = np.asarray(weights, dtype=float)
    k = len(w)
    cov = ATTRIBUTE_CORRELATION * np.ones((k, k)) + (1 - ATTRIBUTE_CORRELATION) * np.eye(k)
    return w / np.sqrt(w @ cov @ w)


def _likert(values: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.clip(np.rint(values), low, high).astype(int)


# ==========================================================================
# Calendar
# ==========================================================================
def _calendar() -> dict:
    """Daily seasonal weights (mean 1) and their cumulative sum in weeks."""
    days = pd.date_range(WINDOW_START, OBSERVATION_END, freq="D")
    month = days.month.to_numpy()
    dom = days.day.to_numpy()
    weight = MONTH_FACTOR[month - 1].copy()
    for spike_month, first, last, factor in SPIKES:
        weight[(month == spike_month) & (dom >= first) & (dom <= last)] *= factor
    for cny in CHINESE_NEW_YEAR:
        offset = np.abs((days - pd.Timestamp(cny)).days.to_numpy())
        weight[offset <= CNY_HALF_WIDTH_DAYS] *= CNY_FACTOR
    weight[days.dayofweek.to_numpy() >= 5] *= WEEKEND_FACTOR
    weight /= weight.mean()
    cum_weeks = np.r_[0.0, np.cumsum(weight)] / 7.0
    campaign_of_day = np.full(N_DAYS, -1)
    for k, campaign in enumerate(CAMPAIGNS):
        campaign_of_day[_day_index(campaign[1]) : _day_index(campaign[2]) + 1] = k
    return {"days": days, "weight": weight, "cum_weeks": cum_weeks, "campaign_of_day": campaign_of_day}


def _to_intensity(cal: dict, t: np.ndarray) -> np.ndarray:
    """Seasonal operational time (weeks) at calendar time t (days)."""
    d = np.clip(np.floor(t).astype(int), 0, N_DAYS - 1)
    return cal["cum_weeks"][d] + (t - d) * cal["weight"][d] / 7.0


def _from_intensity(cal: dict, level: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_to_intensity`."""
    cum = cal["cum_weeks"]
    d = np.clip(np.searchsorted(cum, level, side="right") - 1, 0, N_DAYS - 1)
    t = d + (level - cum[d]) * 7.0 / cal["weight"][d]
    return np.minimum(t, N_DAYS - 1e-6)


# ==========================================================================
# Customers
# ==========================================================================
def _draw_customers(rng: np.random.Generator, cal: dict) -> dict:
    """Per-customer latent and observed attributes, sorted by signup date."""
    n = N_CUSTOMERS
    seg = rng.choice(
        len(LATENT_SEGMENT_NAMES), size=n, p=_segment_array("share") / _segment_array("share").sum()
    )
    business = np.flatnonzero(seg == BUSINESS)
    key = np.zeros(n, dtype=bool)
    key[rng.choice(business, size=min(N_KEY_ACCOUNTS, len(business)), replace=False)] = True

    # Signup day: growing trend, Double 11 season; migrated B2B accounts on go-live day.
    days = cal["days"]
    signup_weight = 1 + SIGNUP_GROWTH * np.arange(N_DAYS) / (N_DAYS - 1)
    festival = ((days.month == 10) & (days.day >= 20)) | ((days.month == 11) & (days.day <= 11))
    signup_weight[np.asarray(festival)] *= SIGNUP_FESTIVAL_FACTOR
    signup = rng.choice(N_DAYS, size=n, p=signup_weight / signup_weight.sum())
    migrated = key | ((seg == BUSINESS) & (rng.random(n) < MIGRATED_BUSINESS_SHARE))
    signup[migrated] = _day_index(MIGRATION_DATE)

    channel = _categorical(rng, np.array([LATENT_SEGMENTS[s]["signup"] for s in LATENT_SEGMENT_NAMES])[seg])
    channel[key] = SIGNUP_CHANNELS.index("sales_team")
    region = rng.choice(len(REGIONS), size=n, p=REGION_SHARES)
    city_tier = 1 + _categorical(
        rng, np.array([LATENT_SEGMENTS[s]["city_tier"] for s in LATENT_SEGMENT_NAMES])[seg]
    )

    # Demographics (B2C only).
    b2c = seg != BUSINESS
    age = np.full(n, np.nan)
    female = np.full(n, np.nan)
    income = np.full(n, -1)
    for k, name in enumerate(LATENT_SEGMENT_NAMES):
        spec = LATENT_SEGMENTS[name]
        members = np.flatnonzero(seg == k)
        if spec["age"] is None:
            continue
        age[members] = np.clip(np.rint(rng.normal(*spec["age"], size=len(members))), 18, 80)
        female[members] = rng.random(len(members)) < spec["female"]
        income[members] = rng.choice(len(INCOME_BANDS), size=len(members), p=spec["income"])

    # Satisfaction: correlated attribute experiences -> product / relationship / overall.
    factor = rng.normal(size=(n, 1))
    q = np.sqrt(ATTRIBUTE_CORRELATION) * factor + np.sqrt(1 - ATTRIBUTE_CORRELATION) * rng.normal(
        size=(n, len(ATTRIBUTES))
    )
    s_product = q @ _standardized_weights(PRODUCT_WEIGHTS)
    s_relationship = q @ _standardized_weights(RELATIONSHIP_WEIGHTS)
    corr_pr = (
        _standardized_weights(PRODUCT_WEIGHTS)
        @ (ATTRIBUTE_CORRELATION + (1 - ATTRIBUTE_CORRELATION) * np.eye(len(ATTRIBUTES)))
        @ _standardized_weights(RELATIONSHIP_WEIGHTS)
    )
    shift = _segment_array("sat_shift")[seg] + KEY_ACCOUNT_SAT_SHIFT * key
    satisfaction = (s_product + s_relationship) / np.sqrt(2 + 2 * corr_pr) + shift

    # Purchasing: BG/NBD heterogeneity, dropout lowered by satisfaction.
    lam = np.minimum(rng.gamma(_segment_array("r")[seg], 1 / _segment_array("alpha")[seg]), LAMBDA_CAP)
    p0 = rng.beta(_segment_array("a")[seg], _segment_array("b")[seg])
    p = expit(logit(np.clip(p0, 1e-6, 1 - 1e-6)) - SAT_ON_DROPOUT * satisfaction)
    p[key] = KEY_ACCOUNT_DROPOUT_P
    never_buy_p = _segment_array("never_buy")[seg] * np.array(NEVER_BUY_CHANNEL_FACTOR)[channel]
    never_buys = (rng.random(n) < never_buy_p) & ~key

    same_day = rng.random(n) < FIRST_ORDER_SAME_DAY
    delay = np.where(same_day, rng.random(n), rng.exponential(FIRST_ORDER_DELAY_DAYS, size=n))
    first_order = signup + delay
    first_order[key] = signup[key] + rng.random(key.sum()) * 7

    period = rng.uniform(*KEY_ACCOUNT_PERIOD_DAYS, size=n)
    trend = rng.normal(*KEY_ACCOUNT_TREND, size=n)
    contract = rng.choice(KEY_ACCOUNT_CONTRACT_DISCOUNTS, size=n)
    basket = rng.gamma(4.0, 1 / 4.0, size=n)
    lam[key] = 7.0 / period[key]

    pop = {
        "latent_segment": seg,
        "key": key,
        "signup": signup,
        "channel": channel,
        "region": region,
        "city_tier": city_tier,
        "age": age,
        "female": female,
        "income": income,
        "b2c": b2c,
        "q": q,
        "s_product": s_product,
        "s_relationship": s_relationship,
        "satisfaction": satisfaction,
        "lam": lam,
        "p": p,
        "never_buys": never_buys,
        "first_order": first_order,
        "period": period,
        "trend": trend,
        "contract": contract,
        "basket": basket,
        "migrated": migrated,
    }
    order = np.argsort(signup + first_order * 1e-6, kind="stable")
    pop = {k: v[order] for k, v in pop.items()}
    pop["company"] = _company_names(rng, pop["latent_segment"] == BUSINESS)
    return pop


def _company_names(rng: np.random.Generator, business: np.ndarray) -> np.ndarray:
    """Unique fictional company names for the business accounts."""
    combos = np.array(
        [f"{p} {i} Co., Ltd." for p in COMPANY_PREFIXES for i in COMPANY_INDUSTRIES], dtype=object
    )
    names = np.full(len(business), None, dtype=object)
    count = int(business.sum())
    if count > len(combos):
        raise DataError(f"only {len(combos)} company names for {count} business accounts")
    names[business] = rng.choice(combos, size=count, replace=False)
    return names


# ==========================================================================
# Purchase streams, tickets, dropout
# ==========================================================================
def _potential_purchases(rng: np.random.Generator, cal: dict, pop: dict) -> pd.DataFrame:
    """All purchases each customer would make in the window if never dropping out."""
    n = N_CUSTOMERS
    idx = np.arange(n)
    buys = ~pop["never_buys"] & (pop["first_order"] < N_DAYS)
    poisson = buys & ~pop["key"]
    t0 = pop["first_order"]

    # Repeat purchases of BG/NBD customers: Poisson in seasonal operational time.
    level0 = _to_intensity(cal, np.minimum(t0, N_DAYS - 1e-6))
    span = np.where(poisson, cal["cum_weeks"][-1] - level0, 0.0)
    counts = rng.poisson(pop["lam"] * span)
    owner = np.repeat(idx, counts)
    t = _from_intensity(cal, rng.uniform(level0[owner], cal["cum_weeks"][-1]))
    tenure_weeks = (t - t0[owner]) / 7.0
    keep = rng.random(len(t)) < 1 - RAMP_DEPTH * np.exp(-tenure_weeks / RAMP_WEEKS)
    owner, t = owner[keep], t[keep]

    # Key accounts: regular orders.
    key = np.flatnonzero(buys & pop["key"])
    k_counts = np.floor((N_DAYS - t0[key]) / pop["period"][key]).astype(int) + 1
    k_owner = np.repeat(key, k_counts)
    k_step = _rank_within(k_owner)
    k_t = t0[k_owner] + k_step * pop["period"][k_owner]
    k_t = k_t + np.where(k_step > 0, rng.normal(0, KEY_ACCOUNT_JITTER_DAYS, len(k_t)), 0.0)
    k_t = np.clip(k_t, t0[k_owner], N_DAYS - 1e-6)

    first = np.flatnonzero(poisson)
    frame = (
        pd.DataFrame(
            {
                "owner": np.r_[first, owner, k_owner],
                "t": np.r_[t0[first], t, k_t],
            }
        )
        .sort_values(["owner", "t"], kind="stable")
        .reset_index(drop=True)
    )
    frame["j"] = _rank_within(frame["owner"].to_numpy())
    return frame


def _potential_tickets(rng: np.random.Generator, purchases: pd.DataFrame, pop: dict) -> pd.DataFrame:
    """At most one complaint per potential purchase, with its resolution."""
    owner = purchases["owner"].to_numpy()
    rate = TICKET_RATE * np.exp(-TICKET_SAT * pop["satisfaction"][owner])
    rate[pop["key"][owner]] *= 0.5
    has = rng.random(len(owner)) < rate
    rows = np.flatnonzero(has)
    t_order = purchases["t"].to_numpy()[rows]
    opened = np.floor(t_order + rng.exponential(TICKET_DELAY_DAYS, len(rows)))
    hour = CALL_OPEN_HOUR + rng.choice(
        len(CALL_HOUR_WEIGHTS), size=len(rows), p=np.array(CALL_HOUR_WEIGHTS) / sum(CALL_HOUR_WEIGHTS)
    )
    opened = opened + (hour + rng.random(len(rows))) / 24.0
    opened = np.maximum(opened, t_order)
    category = rng.choice(len(TICKET_CATEGORIES), size=len(rows), p=TICKET_CATEGORY_SHARES)
    probs = np.array([RESOLUTION_PROBS[c] for c in TICKET_CATEGORIES])[category]
    in_2024 = opened >= _day_index("2024-01-01")
    gain = SERVICE_CENTRE_GAIN * in_2024
    probs = probs + np.c_[gain, -gain / 2, -gain / 2]
    resolution = _categorical(rng, probs)
    hours = np.array(RESOLUTION_HOURS)[resolution] * np.exp(rng.normal(0, 0.6, len(rows)))
    channel = rng.choice(len(TICKET_CHANNELS), size=len(rows), p=TICKET_CHANNEL_SHARES)
    tickets = pd.DataFrame(
        {
            "owner": owner[rows],
            "j": purchases["j"].to_numpy()[rows],
            "opened": opened,
            "closed": opened + hours / 24.0,
            "category": category,
            "resolution": resolution,
            "channel": channel,
        }
    )
    return tickets[tickets["opened"] < N_DAYS].reset_index(drop=True)


def _dropout(rng: np.random.Generator, purchases: pd.DataFrame, tickets: pd.DataFrame, pop: dict) -> dict:
    """Index of the last purchase before dropout, the dropout day and its cause.

    BG/NBD: the customer leaves after repeat purchase K ~ Geometric(p). Complaints,
    in time order, can end the relationship earlier (unresolved or merely resolved)
    or postpone the dropout (resolved to the customer's satisfaction).
    """
    n = N_CUSTOMERS
    last = np.full(n, -1)
    np.maximum.at(last, purchases["owner"].to_numpy(), purchases["j"].to_numpy())
    dropout_index = rng.geometric(pop["p"])
    by_ticket = np.zeros(n, dtype=bool)
    ticket_day = np.full(n, np.nan)
    ordered = tickets.sort_values(["owner", "j"], kind="stable")
    rank = _rank_within(ordered["owner"].to_numpy())
    satisfied, resolved, unresolved = range(3)
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        step = ordered[rank == r]
        o = step["owner"].to_numpy()
        valid = (step["j"].to_numpy() <= dropout_index[o]) & ~by_ticket[o]
        res = step["resolution"].to_numpy()
        u = rng.random(len(o))
        leave = valid & (
            ((res == unresolved) & (u < P_LEAVE_UNRESOLVED)) | ((res == resolved) & (u < P_LEAVE_RESOLVED))
        )
        dropout_index[o[leave]] = step["j"].to_numpy()[leave]
        by_ticket[o[leave]] = True
        ticket_day[o[leave]] = step["opened"].to_numpy()[leave]
        recover = valid & (res == satisfied) & (u < P_RECOVERY)
        dropout_index[o[recover]] += rng.geometric(pop["p"][o[recover]])

    attrition = ~by_ticket & (dropout_index <= last) & (last >= 0)
    # purchases are sorted by owner and j, so purchase j of owner o sits at start[o] + j.
    start = np.searchsorted(purchases["owner"].to_numpy(), np.arange(n))
    dropout_day = ticket_day.copy()
    who = np.flatnonzero(attrition)
    dropout_day[who] = purchases["t"].to_numpy()[start[who] + dropout_index[who]]
    return {"index": dropout_index, "by_ticket": by_ticket, "attrition": attrition, "day": dropout_day}


# ==========================================================================
# Products, orders, lines
# ==========================================================================
def _products() -> pd.DataFrame:
    rows = []
    for line_no, (name, category, prices, margin_add) in enumerate(PRODUCT_LINES):
        for tier, price in enumerate(prices):
            margin = TIER_MARGIN[tier] + margin_add
            rows.append(
                {
                    "product_id": f"P{line_no * 3 + tier + 1:03d}",
                    "name": f"{name} ({TIERS[tier].capitalize()})",
                    "category": CATEGORIES[category],
                    "product_line": name,
                    "tier": TIERS[tier],
                    "tier_rank": tier + 1,
                    "unit_price": float(price),
                    "unit_cost": round(price * (1 - margin), 2),
                }
            )
    return pd.DataFrame(rows)


def _cross_sell_matrix() -> np.ndarray:
    names = [line[0] for line in PRODUCT_LINES]
    matrix = np.zeros((len(names), len(names)))
    for name, partners in CROSS_SELL.items():
        for partner in partners:
            matrix[names.index(name), names.index(partner)] = 1.0
    return matrix / matrix.sum(axis=1, keepdims=True)


def _orders(
    rng: np.random.Generator, cal: dict, pop: dict, purchases: pd.DataFrame, drop: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observed orders (purchases before dropout) and their lines."""
    owner_all = purchases["owner"].to_numpy()
    kept = purchases[purchases["j"].to_numpy() <= drop["index"][owner_all]]
    kept = kept.sort_values(["t", "owner"], kind="stable").reset_index(drop=True)
    owner = kept["owner"].to_numpy()
    j = kept["j"].to_numpy()
    day = np.floor(kept["t"].to_numpy()).astype(int)
    seg = pop["latent_segment"][owner]
    key = pop["key"][owner]
    n = len(kept)

    # Channel and campaign.
    channel_p = np.array([LATENT_SEGMENTS[s]["order_channel"] for s in LATENT_SEGMENT_NAMES])[seg]
    channel = _categorical(rng, channel_p)
    store_signup = pop["channel"][owner] == SIGNUP_CHANNELS.index("store")
    channel[store_signup & (rng.random(n) < STORE_SIGNUP_STORE_SHARE)] = ORDER_CHANNELS.index("store")
    channel[key] = np.where(
        rng.random(key.sum()) < KEY_ACCOUNT_SALES_REP_SHARE,
        ORDER_CHANNELS.index("sales_rep"),
        ORDER_CHANNELS.index("web"),
    )
    campaign = cal["campaign_of_day"][day]
    online = channel <= ORDER_CHANNELS.index("app")
    tag_share = np.array([c[4] for c in CAMPAIGNS] + [0.0])[campaign]
    campaign = np.where(online & (campaign >= 0) & (rng.random(n) < tag_share), campaign, -1)

    # Number of lines: familiarity ramp, separation before dropout.
    dead = drop["attrition"] | drop["by_ticket"]
    separating = dead[owner] & (j > drop["index"][owner] - SEPARATION_ORDERS)
    mean_lines = (
        _segment_array("lines")[seg]
        * pop["basket"][owner]
        * (1 - LINES_RAMP * np.exp(-j / 3.0))
        * np.where(separating, SEPARATION_FACTOR, 1.0)
    )
    mean_lines[key] = 3.0
    n_lines = 1 + rng.poisson(mean_lines)
    order_of_line = np.repeat(np.arange(n), n_lines)
    line_rank = _rank_within(order_of_line)

    # Product line: first line by segment preference, later lines cross-sell partners.
    line_category = np.array([line[1] for line in PRODUCT_LINES])
    cat_pref = np.array([LATENT_SEGMENTS[s]["categories"] for s in LATENT_SEGMENT_NAMES])
    line_pref = cat_pref[:, line_category] / 2.0
    with np.errstate(divide="ignore"):
        pref_logits = np.log(line_pref)[seg[order_of_line]]
    own_choice = _gumbel_argmax(rng, pref_logits)
    first_of_order = np.zeros(n, dtype=int)
    first_of_order[order_of_line[line_rank == 0]] = own_choice[line_rank == 0]
    partner = _categorical(rng, _cross_sell_matrix()[first_of_order[order_of_line]])
    use_partner = (line_rank > 0) & (rng.random(len(order_of_line)) < CROSS_SELL_PROB)
    product_line = np.where(use_partner, partner, own_choice)

    # Tier: segment preference shifted toward premium with experience (up-sell ladder).
    tier_pref = np.log(np.array([LATENT_SEGMENTS[s]["tiers"] for s in LATENT_SEGMENT_NAMES]))
    upsell = UPSELL_SHIFT * np.log1p(j)[order_of_line][:, None] * np.array([0.0, 0.5, 1.0])
    tier = _gumbel_argmax(rng, tier_pref[seg[order_of_line]] + upsell)
    product = product_line * 3 + tier

    lines = pd.DataFrame({"order": order_of_line, "product": product})
    lines = lines[~lines.duplicated(["order", "product"])].reset_index(drop=True)
    o = lines["order"].to_numpy()
    product = lines["product"].to_numpy()
    category = line_category[product // 3]

    # Quantity.
    line_seg = seg[o]
    quantity = 1 + rng.poisson(np.array(CONSUMABLE_EXTRA_QTY)[category])
    business = (line_seg == BUSINESS) & ~key[o]
    quantity[business] = 1 + rng.poisson(BUSINESS_EXTRA_QTY, business.sum())
    ka = key[o]
    years = (kept["t"].to_numpy()[o][ka] - pop["first_order"][owner[o][ka]]) / 365.25
    ka_qty = KEY_ACCOUNT_QTY_MEDIAN * np.exp(
        pop["trend"][owner[o][ka]] * years + rng.normal(0, 0.5, ka.sum())
    )
    quantity[ka] = np.maximum(1, np.rint(ka_qty)).astype(int)

    # Discount: campaign > coupon > contract.
    coupon_order = rng.random(n) < _segment_array("coupon")[seg]
    coupon_rate = rng.choice(COUPON_DISCOUNTS, size=n)
    campaign_rate = np.array([c[3] for c in CAMPAIGNS] + [0.0])[campaign]
    order_discount = np.where(campaign >= 0, campaign_rate, np.where(coupon_order, coupon_rate, 0.0))
    order_discount[key] = pop["contract"][owner[key]]
    discount = order_discount[o] * (rng.random(len(o)) < 0.85)
    discount[ka] = order_discount[o][ka]

    catalogue = _products()
    unit_price = catalogue["unit_price"].to_numpy()[product]
    unit_cost = catalogue["unit_cost"].to_numpy()[product]
    revenue = np.round(quantity * unit_price * (1 - discount), 2)
    cost = np.round(quantity * unit_cost, 2)

    order_ids = _ids("O", np.arange(1, n + 1), 6)
    order_lines = pd.DataFrame(
        {
            "order_id": order_ids[o],
            "line_no": _rank_within(o) + 1,
            "product_id": catalogue["product_id"].to_numpy()[product],
            "quantity": quantity.astype(int),
            "unit_price": unit_price,
            "discount": np.round(discount, 2),
            "revenue": revenue,
            "cost": cost,
        }
    )
    order_revenue = np.round(np.bincount(o, weights=revenue, minlength=n), 2)
    order_cost = np.round(np.bincount(o, weights=cost, minlength=n), 2)
    campaign_names = np.array([c[0] for c in CAMPAIGNS] + [None], dtype=object)
    orders = pd.DataFrame(
        {
            "order_id": order_ids,
            "customer_id": _ids("C", owner + 1, 5),
            "order_date": _day_to_date(day),
            "channel": np.array(ORDER_CHANNELS, dtype=object)[channel],
            "campaign": campaign_names[campaign],
            "revenue": order_revenue,
            "cost": order_cost,
            "margin": np.round(order_revenue - order_cost, 2),
        }
    )
    return orders, order_lines


# ==========================================================================
# Tables
# ==========================================================================
def _customers_table(pop: dict) -> pd.DataFrame:
    n = N_CUSTOMERS
    b2c = pop["b2c"]
    gender = np.where(np.isnan(pop["female"]), None, np.where(pop["female"] == 1, "F", "M")).astype(object)
    income = np.where(
        pop["income"] >= 0, np.array(INCOME_BANDS, dtype=object)[np.maximum(pop["income"], 0)], None
    )
    return pd.DataFrame(
        {
            "customer_id": _ids("C", np.arange(1, n + 1), 5),
            "signup_date": _day_to_date(pop["signup"]),
            "signup_channel": np.array(SIGNUP_CHANNELS, dtype=object)[pop["channel"]],
            "customer_type": np.where(b2c, "B2C", "B2B").astype(object),
            "company_name": pop["company"],
            "age": pd.array(np.where(np.isnan(pop["age"]), pd.NA, pop["age"]), dtype="Int64"),
            "gender": gender,
            "income_band": income,
            "region": np.array(REGIONS, dtype=object)[pop["region"]],
            "city_tier": pop["city_tier"].astype(int),
        }
    )


def _tickets_table(tickets: pd.DataFrame, drop: dict) -> pd.DataFrame:
    """Complaints about orders the customer actually placed, observed until the end."""
    kept = tickets[tickets["j"].to_numpy() <= drop["index"][tickets["owner"].to_numpy()]]
    kept = kept.sort_values(["opened", "owner"], kind="stable").reset_index(drop=True)
    still_open = kept["closed"].to_numpy() >= N_DAYS
    closed = _day_to_timestamp(np.where(still_open, 0.0, kept["closed"].to_numpy()))
    resolution = np.array(RESOLUTIONS, dtype=object)[kept["resolution"].to_numpy()]
    resolution[still_open] = "open"
    table = pd.DataFrame(
        {
            "ticket_id": _ids("T", np.arange(1, len(kept) + 1), 5),
            "customer_id": _ids("C", kept["owner"].to_numpy() + 1, 5),
            "opened_at": _day_to_timestamp(kept["opened"].to_numpy()),
            "closed_at": pd.Series(closed).where(~still_open),
            "category": np.array(TICKET_CATEGORIES, dtype=object)[kept["category"].to_numpy()],
            "channel": np.array(TICKET_CHANNELS, dtype=object)[kept["channel"].to_numpy()],
            "resolution": resolution,
        }
    )
    return table


def _truth_table(pop: dict, drop: dict) -> pd.DataFrame:
    dead = drop["attrition"] | drop["by_ticket"]
    cause = np.where(drop["by_ticket"], "complaint", np.where(drop["attrition"], "attrition", None))
    never = pop["never_buys"]
    dropout_date = pd.Series(_day_to_date(np.nan_to_num(drop["day"]))).where(dead)
    return pd.DataFrame(
        {
            "customer_id": _ids("C", np.arange(1, N_CUSTOMERS + 1), 5),
            "latent_segment": np.array(LATENT_SEGMENT_NAMES, dtype=object)[pop["latent_segment"]],
            "key_account": pop["key"],
            "never_buys": never,
            "purchase_rate_per_week": np.round(np.where(never, 0.0, pop["lam"]), 4),
            "dropout_probability": np.round(np.where(never, np.nan, pop["p"]), 4),
            "latent_satisfaction": np.round(pop["satisfaction"], 3),
            "dropout_date": dropout_date,
            "dropout_cause": cause.astype(object),
            "alive_at_end": ~dead & ~never,
        }
    )


def _survey_table(rng: np.random.Generator, pop: dict, drop: dict) -> pd.DataFrame:
    n = N_CUSTOMERS
    first_day, last_day = _day_index(SURVEY_START), _day_index(SURVEY_END)
    survey_day = rng.integers(first_day, last_day + 1, size=n)
    dead = drop["attrition"] | drop["by_ticket"]
    eligible = (
        ~pop["never_buys"]
        & (pop["first_order"] < survey_day)
        & ~(dead & (np.floor(drop["day"]) <= survey_day))
    )
    chosen = np.sort(
        rng.choice(np.flatnonzero(eligible), size=min(SURVEY_RESPONDENTS, int(eligible.sum())), replace=False)
    )
    m = len(chosen)
    q = pop["q"][chosen]
    seg = pop["latent_segment"][chosen]
    exp_shift = _segment_array("exp_shift")[seg][:, None]
    expectation = _likert(
        np.array(EXPECTATION_MEAN) + exp_shift + rng.normal(0, 0.8, (m, len(ATTRIBUTES))), 1, 7
    )
    perception = _likert(
        np.array(PERCEPTION_MEAN) + q + rng.normal(0, PERCEPTION_NOISE, (m, len(ATTRIBUTES))), 1, 7
    )
    s = pop["satisfaction"][chosen]
    overall = q @ _standardized_weights(IMPORTANCE)
    table = {"customer_id": _ids("C", chosen + 1, 5), "survey_date": _day_to_date(survey_day[chosen])}
    for a, name in enumerate(ATTRIBUTES):
        table[f"exp_{name}"] = expectation[:, a]
        table[f"perc_{name}"] = perception[:, a]
    table["sat_product"] = _likert(5.0 + 1.1 * pop["s_product"][chosen] + rng.normal(0, 0.5, m), 1, 7)
    table["sat_relationship"] = _likert(
        4.7 + 1.1 * pop["s_relationship"][chosen] + rng.normal(0, 0.5, m), 1, 7
    )
    table["overall_satisfaction"] = _likert(4.9 + 1.1 * overall + rng.normal(0, 0.5, m), 1, 7)
    attitude_shift = np.where(seg == LATENT_SEGMENT_NAMES.index("value_seeker"), -0.4, 0.0)
    table["relative_attitude"] = _likert(4.2 + 0.9 * s + attitude_shift + rng.normal(0, 0.8, m), 1, 7)
    table["recommend"] = _likert(6.5 + 1.6 * s + rng.normal(0, 1.2, m), 0, 10)
    return pd.DataFrame(table).sort_values(["survey_date", "customer_id"]).reset_index(drop=True)


def _web_events_table(rng: np.random.Generator, cal: dict, pop: dict, drop: dict) -> pd.DataFrame:
    """Sessions of 2024 and the funnel stages each one reached."""
    first_day = _day_index(WEB_START)
    days = np.arange(first_day, N_DAYS)
    weight = cal["weight"][days]
    base_day = rng.choice(days, size=WEB_BASE_SESSIONS, p=weight / weight.sum())
    base_channel = rng.choice(len(TRAFFIC_CHANNELS), size=WEB_BASE_SESSIONS, p=TRAFFIC_SHARES)
    parts_day, parts_channel, parts_campaign = [base_day], [base_channel], [np.full(WEB_BASE_SESSIONS, -1)]
    for k, campaign in enumerate(CAMPAIGNS):
        extra, channels = campaign[6], campaign[5]
        if not extra:
            continue
        lo, hi = _day_index(campaign[1]), _day_index(campaign[2])
        parts_day.append(rng.integers(lo, hi + 1, size=extra))
        parts_channel.append(rng.choice([TRAFFIC_CHANNELS.index(c) for c in channels], size=extra))
        parts_campaign.append(np.full(extra, k))
    day = np.concatenate(parts_day)
    channel = np.concatenate(parts_channel)
    campaign = np.concatenate(parts_campaign)
    hour = rng.choice(24, size=len(day), p=np.array(WEB_HOUR_WEIGHTS) / sum(WEB_HOUR_WEIGHTS))
    start = day + (hour + rng.random(len(day))) / 24.0
    order = np.argsort(start, kind="stable")
    day, channel, campaign, start = day[order], channel[order], campaign[order], start[order]
    n = len(day)

    # Known customers: up to three candidates (weighted by purchase rate), first eligible.
    dead = drop["attrition"] | drop["by_ticket"]
    end_day = np.where(dead, drop["day"], np.inf)
    weights = np.where(pop["never_buys"], 0.05, pop["lam"] + 0.02)
    customer = np.full(n, -1)
    wants_known = rng.random(n) < KNOWN_SESSION_SHARE
    for _ in range(3):
        candidate = rng.choice(N_CUSTOMERS, size=n, p=weights / weights.sum())
        ok = wants_known & (customer < 0) & (pop["signup"][candidate] <= day) & (end_day[candidate] >= day)
        customer[ok] = candidate[ok]
    known = customer >= 0

    # Funnel: stage-continuation probabilities per channel x campaign.
    stage_p = np.array([FUNNEL[c] for c in TRAFFIC_CHANNELS])[channel]
    multipliers = np.array([c[7] or (1.0, 1.0, 1.0) for c in CAMPAIGNS] + [(1.0, 1.0, 1.0)])
    stage_p = stage_p * multipliers[campaign]
    stage_p[known, 2] *= KNOWN_PURCHASE_FACTOR
    stage_p = np.minimum(stage_p, 0.95)
    passed = rng.random((n, 3)) < stage_p
    reached = 1 + np.cumprod(passed, axis=1).sum(axis=1)  # number of stages reached

    session = np.repeat(np.arange(n), reached)
    stage = _rank_within(session)
    gaps = rng.exponential(STAGE_GAP_SECONDS, size=(n, 3))
    offsets = np.c_[np.zeros(n), np.cumsum(gaps, axis=1)]
    stamp = start[session] + offsets[session, stage] / 86400.0
    campaign_names = np.array([c[0] for c in CAMPAIGNS] + [None], dtype=object)
    customer_ids = np.where(known, _ids("C", np.maximum(customer, 0) + 1, 5), None)
    return pd.DataFrame(
        {
            "session_id": _ids("S", session + 1, 6),
            "customer_id": customer_ids[session],
            "timestamp": _day_to_timestamp(stamp),
            "channel": np.array(TRAFFIC_CHANNELS, dtype=object)[channel[session]],
            "campaign": campaign_names[campaign[session]],
            "event": np.array(FUNNEL_STAGES, dtype=object)[stage],
        }
    )


def _erlang_c(agents: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Probability that an arriving call waits in an M/M/c queue (Erlang C)."""
    agents = np.asarray(agents, dtype=int)
    blocking = np.ones_like(load, dtype=float)
    for k in range(1, int(agents.max()) + 1):  # Erlang B recursion
        step = load * blocking / (k + load * blocking)
        blocking = np.where(k <= agents, step, blocking)
    return agents * blocking / (agents - load * (1 - blocking))


def _staffing_plan(load: np.ndarray, mu: float) -> np.ndarray:
    """Fewest agents meeting SERVICE_LEVEL for each planned load (Erlang C)."""
    target, seconds = SERVICE_LEVEL
    agents = np.maximum(np.floor(load).astype(int) + 1, 1)
    for _ in range(50):
        p_wait = _erlang_c(agents, load)
        level = 1 - p_wait * np.exp(-(agents * mu - load * mu) * seconds / 3600.0)
        short = level < target
        if not short.any():
            break
        agents = agents + short
    return agents


def _calls_table(rng: np.random.Generator, pop: dict, drop: dict, tickets: pd.DataFrame) -> pd.DataFrame:
    """Calls in Q4 2024: Poisson arrivals, Erlang C waits, abandonment."""
    first_day = _day_index(CALL_START)
    days = np.arange(first_day, N_DAYS)
    hours = CALL_OPEN_HOUR + np.arange(len(CALL_HOUR_WEIGHTS))
    hour_share = np.array(CALL_HOUR_WEIGHTS) / sum(CALL_HOUR_WEIGHTS)
    dates = WINDOW_START + pd.to_timedelta(days, unit="D")
    day_factor = np.array(CALL_DOW_FACTOR)[dates.dayofweek.to_numpy()]
    peak = (dates >= pd.Timestamp(CALL_PEAK[0])) & (dates <= pd.Timestamp(CALL_PEAK[1]))
    day_factor = day_factor * np.where(peak, CALL_PEAK[2], 1.0)
    rate = CALLS_PER_DAY * day_factor[:, None] * hour_share[None, :]  # calls per hour
    counts = rng.poisson(rate)
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    d_idx, h_idx = np.divmod(cell, len(hours))
    start = days[d_idx] + (hours[h_idx] + rng.random(len(cell))) / 24.0

    # Calls that open a phone ticket in the same quarter.
    phone = tickets[(tickets["channel"] == "phone") & (tickets["opened_at"] >= CALL_START)]
    t_start = (phone["opened_at"] - WINDOW_START).dt.total_seconds().to_numpy() / 86400.0
    t_customer = phone["customer_id"].to_numpy()
    t_id = phone["ticket_id"].to_numpy()

    # General callers: known customers who are signed up and not gone, or unidentified.
    n_general = len(start)
    dead = drop["attrition"] | drop["by_ticket"]
    end_day = np.where(dead, drop["day"], np.inf)
    candidate = rng.integers(0, N_CUSTOMERS, size=n_general)
    known = (
        (rng.random(n_general) < KNOWN_CALLER_SHARE)
        & (pop["signup"][candidate] <= start)
        & (end_day[candidate] + 30 >= start)
    )
    g_customer = np.where(known, _ids("C", candidate + 1, 5), None)

    all_start = np.r_[start, t_start]
    customer = np.r_[g_customer, t_customer].astype(object)
    ticket_id = np.r_[np.full(n_general, None, dtype=object), t_id].astype(object)
    order = np.argsort(all_start, kind="stable")
    all_start, customer, ticket_id = all_start[order], customer[order], ticket_id[order]
    n = len(all_start)

    # Waits: M/M/c steady state at the hour's expected arrival rate and the staffing plan.
    mu = 3600.0 / MEAN_HANDLE_SECONDS  # calls per agent-hour
    planned_load = CALLS_PER_DAY * np.array(CALL_DOW_FACTOR)[:, None] * hour_share[None, :] / mu
    agents = _staffing_plan(planned_load, mu)  # weekday x hour
    day_of_call = np.floor(all_start).astype(int)
    hour_of_call = np.clip(
        np.floor((all_start - day_of_call) * 24).astype(int) - CALL_OPEN_HOUR, 0, len(hours) - 1
    )
    lam = rate[day_of_call - first_day, hour_of_call]
    weekday = (WINDOW_START + pd.to_timedelta(day_of_call, unit="D")).dayofweek.to_numpy()
    c = agents[weekday, hour_of_call]
    load = np.minimum(lam / mu, MAX_UTILISATION * c)
    p_wait = _erlang_c(c, load)
    mean_wait = 3600.0 / (c * mu - load * mu)
    waits = np.where(rng.random(n) < p_wait, rng.exponential(1.0, n) * mean_wait, 0.0)
    patience = rng.exponential(MEAN_PATIENCE_SECONDS, n)
    is_ticket = pd.notna(ticket_id)
    abandoned = (waits > patience) & ~is_ticket
    handle = MEAN_HANDLE_SECONDS * np.exp(rng.normal(-(HANDLE_SIGMA**2) / 2, HANDLE_SIGMA, n))
    handle = handle * np.where(is_ticket, 1.3, 1.0)
    outcome = np.array(CALL_OUTCOMES, dtype=object)[
        rng.choice(len(CALL_OUTCOMES), size=n, p=CALL_OUTCOME_SHARES)
    ]
    outcome[is_ticket] = "ticket_opened"
    outcome[abandoned] = "abandoned"
    return pd.DataFrame(
        {
            "call_id": _ids("K", np.arange(1, n + 1), 5),
            "customer_id": customer,
            "ticket_id": ticket_id,
            "call_start": _day_to_timestamp(all_start),
            "wait_seconds": np.rint(np.where(abandoned, patience, waits)).astype(int),
            "handle_seconds": np.where(abandoned, 0, np.rint(handle)).astype(int),
            "outcome": outcome,
        }
    )


def _opportunities_table(rng: np.random.Generator, pop: dict) -> pd.DataFrame:
    business = np.flatnonzero(pop["latent_segment"] == BUSINESS)
    kind = np.where(
        pop["key"][business], "key", np.where(pop["never_buys"][business], "never_buys", "business")
    )
    counts = rng.poisson([OPPORTUNITIES_PER_ACCOUNT[k] for k in kind])
    counts[kind == "key"] = np.maximum(counts[kind == "key"], 1)
    owner = np.repeat(business, counts)
    okind = np.repeat(kind, counts)
    m = len(owner)
    lo = np.maximum(pop["signup"][owner] - 90, 0)
    created = np.floor(lo + rng.random(m) * (N_DAYS - lo)).astype(int)
    cycle = np.maximum(7, np.rint(rng.gamma(*SALES_CYCLE_GAMMA, size=m))).astype(int)
    closes = created + cycle
    closed = closes < N_DAYS
    won = rng.random(m) < np.array([WIN_PROBABILITY[k] for k in okind])
    progress = np.clip((N_DAYS - created) / cycle, 0, 0.999)
    stage = np.where(closed, np.where(won, 4, 5), np.floor(progress * 4).astype(int))
    value = np.array([OPPORTUNITY_VALUE_MEDIAN[k] for k in okind]) * np.exp(
        rng.normal(0, OPPORTUNITY_VALUE_SIGMA, m)
    )
    value = (np.round(value / 100.0) * 100).astype(int)
    manager = np.where(
        okind == "key",
        1 + owner % N_KEY_ACCOUNT_MANAGERS,
        1 + N_KEY_ACCOUNT_MANAGERS + rng.integers(0, N_SALES_REPS, m),
    )
    focus = rng.choice(len(CATEGORIES), size=m, p=np.array(LATENT_SEGMENTS["business_account"]["categories"]))
    frame = (
        pd.DataFrame(
            {
                "owner": owner,
                "created": created,
                "stage": stage,
                "value": value,
                "closes": closes,
                "closed": closed,
                "manager": manager,
                "focus": focus,
            }
        )
        .sort_values(["created", "owner"], kind="stable")
        .reset_index(drop=True)
    )
    close_dates = pd.Series(_day_to_date(frame["closes"].to_numpy()))
    return pd.DataFrame(
        {
            "opportunity_id": _ids("OP", np.arange(1, m + 1), 4),
            "customer_id": _ids("C", frame["owner"].to_numpy() + 1, 5),
            "created_date": _day_to_date(frame["created"].to_numpy()),
            "stage": np.array(OPPORTUNITY_STAGES, dtype=object)[frame["stage"].to_numpy()],
            "probability": np.array(STAGE_PROBABILITY)[frame["stage"].to_numpy()],
            "expected_value": frame["value"].to_numpy(),
            "product_focus": np.array(CATEGORIES, dtype=object)[frame["focus"].to_numpy()],
            "owner": _ids("REP", frame["manager"].to_numpy(), 2),
            "close_date": close_dates.where(frame["closed"].to_numpy()),
            "expected_close_date": close_dates.where(~frame["closed"].to_numpy()),
        }
    )


# ==========================================================================
# Public API
# ==========================================================================
def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise DataError(f"seed must be a non-negative integer, got {seed!r} ({type(seed).__name__})")
    if seed < 0:
        raise DataError(f"seed must be a non-negative integer, got {seed}")
    return int(seed)


def generate_demo(seed: int = DEMO_SEED) -> dict[str, pd.DataFrame]:
    """Generate every table of the demo company.

    Pure and deterministic: one ``numpy.random.default_rng(seed)`` is split
    into a child generator per stage; no clock, no network. The generative
    model is described in the module docstring.

    Parameters
    ----------
    seed : int, default DEMO_SEED
        Non-negative integer; ``DEMO_SEED`` reproduces ``datasets/demo``.

    Returns
    -------
    dict of str to DataFrame
        One DataFrame per name in :data:`TABLES`, in that order.

    Raises
    ------
    DataError
        If ``seed`` is not a non-negative integer.

    Examples
    --------
    >>> tables = generate_demo()                              # doctest: +SKIP
    >>> len(tables["customers"])                              # doctest: +SKIP
    5000
    """
    seed = _check_seed(seed)
    stages = (
        "customers",
        "purchases",
        "tickets",
        "dropout",
        "orders",
        "survey",
        "web",
        "calls",
        "opportunities",
    )
    rngs = dict(zip(stages, np.random.default_rng(seed).spawn(len(stages)), strict=True))
    cal = _calendar()
    pop = _draw_customers(rngs["customers"], cal)
    purchases = _potential_purchases(rngs["purchases"], cal, pop)
    potential_tickets = _potential_tickets(rngs["tickets"], purchases, pop)
    drop = _dropout(rngs["dropout"], purchases, potential_tickets, pop)
    orders, order_lines = _orders(rngs["orders"], cal, pop, purchases, drop)
    tickets = _tickets_table(potential_tickets, drop)
    tables = {
        "customers": _customers_table(pop),
        "products": _products(),
        "orders": orders,
        "order_lines": order_lines,
        "web_events": _web_events_table(rngs["web"], cal, pop, drop),
        "survey": _survey_table(rngs["survey"], pop, drop),
        "tickets": tickets,
        "calls": _calls_table(rngs["calls"], pop, drop, tickets),
        "opportunities": _opportunities_table(rngs["opportunities"], pop),
        "truth": _truth_table(pop, drop),
    }
    return {name: tables[name] for name in TABLES}


def _format_for_csv(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, floats rounded: the exact text written to the CSV."""
    out = frame.copy()
    timestamps = set(_TIMESTAMP_COLUMNS.get(name, []))
    for column in TABLES[name]["dates"]:
        values = pd.to_datetime(out[column])
        fmt = "%Y-%m-%d %H:%M:%S" if column in timestamps else "%Y-%m-%d"
        out[column] = values.dt.strftime(fmt).where(values.notna(), None)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(_DECIMALS.get(column, 4))
    return out


_DECIMALS = {
    "revenue": 2,
    "cost": 2,
    "margin": 2,
    "unit_price": 2,
    "unit_cost": 2,
    "discount": 2,
    "expected_value": 0,
    "probability": 2,
    "latent_satisfaction": 3,
    "purchase_rate_per_week": 4,
    "dropout_probability": 4,
}


def write_demo(directory: str | Path, seed: int = DEMO_SEED) -> list[Path]:
    """Write every table of :func:`generate_demo` as ``{table}.csv`` in ``directory``.

    The files are byte-stable: UTF-8, ``\\n`` line ends, no index, floats
    rounded per column, dates as ``YYYY-MM-DD`` and times as
    ``YYYY-MM-DD HH:MM:SS``.

    Parameters
    ----------
    directory : str or Path
        Folder to write into; created if missing.
    seed : int, default DEMO_SEED
        Passed to :func:`generate_demo`; only ``DEMO_SEED`` gives the shipped files.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`TABLES`.
    """
    if directory is None or str(directory) == "":
        raise DataError("write_demo needs a directory to write the demo tables into")
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder} exists and is not a directory")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in generate_demo(seed).items():
        path = folder / f"{name}.csv"
        _format_for_csv(name, frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    return written


def check_demo(directory: str | Path) -> list[str]:
    """Names of the CSV files in ``directory`` that differ from a fresh generation.

    Regenerates the tables in a temporary folder and compares byte by byte.
    Missing and extra ``.csv`` files count as differing; other files (such
    as the README) are ignored.

    Returns
    -------
    list of str
        File names that differ, are missing or are extra; empty when the
        folder is up to date (a missing folder lists every file).

    Raises
    ------
    DataError
        If ``directory`` is a file.
    """
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder} is a file, not the folder of the demo tables")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p.read_bytes() for p in write_demo(tmp)}
    shipped = {p.name: p for p in folder.glob("*.csv")} if folder.is_dir() else {}
    names = sorted(set(fresh) | set(shipped))
    return [
        name
        for name in names
        if name not in fresh or name not in shipped or shipped[name].read_bytes() != fresh[name]
    ]


def _default_directory() -> Path:
    return Path(__file__).resolve().parents[1] / "datasets" / "demo"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crmlib.synthetic", description="Write (or check) the synthetic demo company's tables."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=_default_directory(),
        help="folder of the CSV files (default: datasets/demo in the repo)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the files differ from a fresh generation",
    )
    args = parser.parse_args(argv)
    if args.check:
        differ = check_demo(args.out)
        if differ:
            print(f"demo data in {args.out} differ from the generator: {', '.join(differ)}")
            print("regenerate them with: python -m crmlib.synthetic")
            return 1
        print(f"OK: {len(TABLES)} demo tables in {args.out} match the generator (seed {DEMO_SEED})")
        return 0
    paths = write_demo(args.out)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} tables ({total / 1e6:.1f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
