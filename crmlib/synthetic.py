"""The demo company: a seeded, documented synthetic firm for chapters 02-09.

The demo company sells household goods, coffee, snacks, baby products,
personal care, small electronics and office supplies in China, online (web,
app), in its own stores and, to business customers, through sales reps. Every
number of its generative model is a field of one frozen :class:`DemoConfig`;
``DEMO`` holds the defaults, which reproduce the files in ``datasets/demo/``.
The section "Generative model" below is written from ``DEMO`` when the module
is imported (``help(crmlib.synthetic)`` shows it), so it cannot drift from the
code. Every table is drawn from one ``numpy.random.default_rng(seed)`` (one
child generator per stage), so the files are identical on every run.

The ground truth of every customer is in ``truth``. ``datasets/demo/README.md``
is the data card of each file, with its quirks: returns are not recorded (all
amounts are >= 0), migrated B2B accounts share one signup date, the web log is
not joined to orders, survey respondents are survivors, a few tickets are still
open at the end.

Examples
--------
>>> from crmlib.synthetic import DEMO, generate_demo
>>> DEMO.n_customers, DEMO.seed
(5000, 20240601)
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from crmlib.validation import DataError

__all__ = [
    "DemoConfig",
    "DEMO",
    "describe_model",
    "card_model_summary",
    "DEMO_SEED",
    "OBSERVATION_END",
    "WINDOW_START",
    "TABLES",
    "CHINESE_NAMES",
    "LABELS_FILE",
    "value_labels",
    "generate_demo",
    "write_demo",
    "check_demo",
]


# --------------------------------------------------------------------------
# The configuration: every number of the model
# --------------------------------------------------------------------------
def _frozen(value: object) -> object:
    """Dicts as read-only mappings and lists as tuples, all the way down."""
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


@dataclass(frozen=True)
class DemoConfig:
    """Every number of the demo company's generative model, in one frozen object.

    ``DEMO`` (the defaults) reproduces ``datasets/demo``; :func:`generate_demo` takes
    another one to make a variant (``dataclasses.replace(DEMO, n_customers=2000)``).
    The module docstring and the data card ``datasets/demo/README.md`` quote
    these values (the data card is written from them by ``python -m crmlib.synthetic``).
    Mappings are read-only.
    """

    seed: int = 20240601
    window_start: pd.Timestamp = pd.Timestamp("2022-01-01")
    observation_end: pd.Timestamp = pd.Timestamp("2024-12-31")

    # --------------------------------------------------------------------------
    # Calendar
    # --------------------------------------------------------------------------
    migration_date: pd.Timestamp = pd.Timestamp("2022-01-04")  # CRM go-live: migrated B2B accounts
    chinese_new_year: tuple = ("2022-02-01", "2023-01-22", "2024-02-10")
    month_factor: tuple[float, ...] = (0.95, 0.9, 1.0, 1.0, 1.0, 1.1, 0.95, 0.95, 1.0, 1.05, 1.35, 1.25)
    spikes: tuple = (  # (month, first day, last day, multiplier): shopping festivals
        (11, 9, 11, 3.0),  # Double 11 (光棍节)
        (12, 11, 12, 1.8),  # Double 12
        (6, 16, 18, 2.0),  # 618
    )
    cny_half_width_days: int = 7
    cny_factor: float = 0.45
    weekend_factor: float = 1.1

    # --------------------------------------------------------------------------
    # Customers and segments
    # --------------------------------------------------------------------------
    n_customers: int = 5000
    n_key_accounts: int = 30
    migrated_business_share: float = 0.3
    signup_growth: float = 0.8  # signup weight grows from 1 to 1 + signup_growth
    signup_festival_factor: float = 2.0  # in the Double 11 season below
    signup_festival_season: tuple = ((10, 20), (11, 11))  # (month, day) first and last day

    regions: tuple = (
        "East China",
        "South China",
        "North China",
        "Central China",
        "Southwest",
        "Northeast",
        "Northwest",
    )
    region_shares: tuple = (0.30, 0.20, 0.17, 0.12, 0.11, 0.06, 0.04)
    income_bands: tuple = ("<5k", "5k-10k", "10k-20k", "20k-40k", ">40k")  # monthly, CNY
    signup_channels: tuple = ("search", "social", "email", "referral", "display", "store", "sales_team")
    # Channels differ in how many signups ever buy (acquisition quality).
    never_buy_channel_factor: tuple = (1.0, 1.3, 0.8, 0.6, 1.6, 0.5, 0.8)
    order_channels: tuple = ("web", "app", "store", "sales_rep")
    categories: tuple = (
        "Coffee & Tea",
        "Kitchen Appliances",
        "Snacks",
        "Baby & Kids",
        "Home Cleaning",
        "Personal Care",
        "Electronics",
        "Office Supplies",
    )
    tiers: tuple = ("basic", "standard", "premium")

    latent_segments: Mapping = field(
        default_factory=lambda: _frozen(
            {
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
        )
    )

    company_prefixes: tuple = (
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
    company_industries: tuple = (
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
    first_order_same_day: float = 0.55
    first_order_delay_days: float = 12.0
    lambda_cap: float = 2.5  # orders per week
    ramp_depth: float = 0.6  # rate multiplier 1 - ramp_depth * exp(-tenure / ramp_weeks)
    ramp_weeks: float = 10.0
    sat_on_dropout: float = 0.6  # logit p = logit p0 - sat_on_dropout * s
    attribute_correlation: float = 0.36
    key_account_period_days: tuple = (7.0, 18.0)
    key_account_jitter_days: float = 1.5
    key_account_dropout_p: float = 0.002
    key_account_trend: tuple = (0.15, 0.3)  # growth per year of order quantities, N(mean, sd)
    key_account_sat_shift: float = 0.3

    ticket_rate: float = 0.055  # per order, times exp(-ticket_sat * s)
    ticket_sat: float = 0.4
    key_account_ticket_factor: float = 0.5  # key accounts complain half as often
    ticket_delay_days: float = 3.0
    ticket_categories: tuple = ("delivery_delay", "product_defect", "billing", "return_request", "website")
    ticket_category_shares: tuple = (0.35, 0.25, 0.12, 0.18, 0.10)
    ticket_channels: tuple = ("phone", "web_form", "email")
    ticket_channel_shares: tuple = (0.5, 0.3, 0.2)
    resolutions: tuple = ("resolved_satisfied", "resolved", "unresolved")
    resolution_probs: Mapping = field(
        default_factory=lambda: _frozen(
            {  # per ticket category, before 2024
                "delivery_delay": (0.45, 0.40, 0.15),
                "product_defect": (0.50, 0.35, 0.15),
                "billing": (0.35, 0.45, 0.20),
                "return_request": (0.40, 0.40, 0.20),
                "website": (0.30, 0.45, 0.25),
            }
        )
    )
    service_centre_gain: float = (
        0.10  # 2024: this much probability moves from unresolved/resolved to satisfied
    )
    resolution_hours: tuple = (20.0, 48.0, 120.0)  # median hours to close, per resolution
    p_leave_unresolved: float = 0.5
    p_leave_resolved: float = 0.08
    p_recovery: float = 0.4  # resolved_satisfied: dropout postponed by Geometric(p) orders

    # --------------------------------------------------------------------------
    # Products and baskets
    # --------------------------------------------------------------------------
    product_lines: tuple = (  # (name, category index, basic/standard/premium price in CNY, margin add-on)
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
    tier_margin: tuple = (0.22, 0.30, 0.40)
    cross_sell: Mapping = field(
        default_factory=lambda: _frozen(
            {  # product line -> partner lines bought with it
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
        )
    )
    cross_sell_prob: float = 0.45
    upsell_shift: float = 0.35  # tier logits + upsell_shift * log(1 + order number) * (0, .5, 1)
    lines_ramp: float = 0.45  # lines mean * (1 - lines_ramp * exp(-order number / 3))
    separation_orders: int = 2
    separation_factor: float = 0.6
    consumable_extra_qty: tuple = (0.3, 0.0, 0.5, 0.6, 0.6, 0.3, 0.0, 0.4)  # per category, B2C
    business_extra_qty: float = 2.0
    key_account_qty_median: float = 4.0
    key_account_contract_discounts: tuple = (0.08, 0.10, 0.12, 0.15)
    key_account_sales_rep_share: float = 0.8
    store_signup_store_share: float = 0.5  # store signups buy in store this often
    coupon_discounts: tuple = (0.05, 0.10)

    # Campaigns: name, first day, last day, discount, share of web/app orders in the window
    # that carry the campaign code, traffic channels (web funnel, 2024 only), extra sessions,
    # stage multipliers (browse, add_to_cart, purchase).
    campaigns: tuple = (
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
        (
            "year_end_2024",
            "2024-12-01",
            "2024-12-20",
            0.10,
            0.3,
            ("email", "search"),
            2000,
            (1.05, 1.1, 1.15),
        ),
    )

    # --------------------------------------------------------------------------
    # Web funnel (2024)
    # --------------------------------------------------------------------------
    web_start: pd.Timestamp = pd.Timestamp("2024-01-01")
    web_base_sessions: int = 40000
    traffic_channels: tuple = ("search", "social", "email", "referral", "display", "direct")
    traffic_shares: tuple = (0.30, 0.22, 0.08, 0.07, 0.18, 0.15)
    funnel: Mapping = field(
        default_factory=lambda: _frozen(
            {  # P(browse | visit), P(add_to_cart | browse), P(purchase | add_to_cart)
                "search": (0.55, 0.25, 0.35),
                "social": (0.40, 0.15, 0.25),
                "email": (0.70, 0.35, 0.45),
                "referral": (0.65, 0.30, 0.45),
                "display": (0.30, 0.10, 0.20),
                "direct": (0.60, 0.30, 0.40),
            }
        )
    )
    funnel_stages: tuple = ("visit", "browse", "add_to_cart", "purchase")
    known_session_share: float = 0.4
    known_purchase_factor: float = 1.3
    web_hour_weights: tuple = (
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
    stage_gap_seconds: tuple = (40.0, 150.0, 90.0)

    # --------------------------------------------------------------------------
    # Survey
    # --------------------------------------------------------------------------
    attributes: tuple = ("product_quality", "delivery_speed", "responsiveness", "personalization", "care")
    expectation_mean: tuple = (5.6, 5.9, 5.4, 4.8, 5.0)
    perception_mean: tuple = (5.7, 4.9, 4.9, 3.9, 4.8)
    importance: tuple = (0.45, 0.27, 0.15, 0.03, 0.10)  # weights of the attributes in overall satisfaction
    product_weights: tuple = (0.65, 0.35, 0.0, 0.0, 0.0)
    relationship_weights: tuple = (0.0, 0.0, 0.45, 0.15, 0.40)
    perception_noise: float = 0.4
    expectation_noise: float = 0.8
    survey_start: pd.Timestamp = pd.Timestamp("2024-03-01")
    survey_end: pd.Timestamp = pd.Timestamp("2024-04-30")
    survey_respondents: int = 1800

    # --------------------------------------------------------------------------
    # Call centre (Q4 2024)
    # --------------------------------------------------------------------------
    call_start: pd.Timestamp = pd.Timestamp("2024-10-01")
    calls_per_day: float = 150.0
    call_open_hour: int = 8
    call_hour_weights: tuple = (0.5, 1.0, 1.4, 1.3, 0.8, 0.9, 1.2, 1.2, 1.0, 0.8, 0.6, 0.7, 0.8, 0.4)  # 8-21h
    call_dow_factor: tuple = (1.3, 1.1, 1.0, 1.0, 0.95, 0.75, 0.6)  # Monday .. Sunday
    call_peak: tuple = ("2024-11-12", "2024-11-20", 1.7)  # after Double 11: delivery questions
    mean_handle_seconds: float = 330.0
    handle_sigma: float = 0.55
    service_level: tuple = (
        0.8,
        20.0,
    )  # staffing plan: 80 % of calls answered within 20 s at the planned load
    max_utilisation: float = 0.97
    mean_patience_seconds: float = 180.0
    known_caller_share: float = 0.8
    call_outcomes: tuple = ("resolved", "transferred", "callback_scheduled")
    call_outcome_shares: tuple = (0.72, 0.12, 0.16)

    # --------------------------------------------------------------------------
    # Opportunities
    # --------------------------------------------------------------------------
    opportunity_stages: tuple = (
        "prospecting",
        "qualification",
        "proposal",
        "negotiation",
        "closed_won",
        "closed_lost",
    )
    stage_probability: tuple = (0.10, 0.25, 0.50, 0.75, 1.0, 0.0)
    opportunities_per_account: Mapping = field(
        default_factory=lambda: _frozen({"key": 6.0, "business": 1.2, "never_buys": 1.0})
    )
    opportunity_value_median: Mapping = field(
        default_factory=lambda: _frozen({"key": 300000.0, "business": 40000.0, "never_buys": 30000.0})
    )
    opportunity_value_sigma: float = 0.65
    win_probability: Mapping = field(
        default_factory=lambda: _frozen({"key": 0.65, "business": 0.40, "never_buys": 0.0})
    )
    sales_cycle_gamma: tuple = (3.0, 25.0)  # shape, scale in days
    n_key_account_managers: int = 4
    n_sales_reps: int = 4
    # of the lost deals, the share lost in each open stage (the last stage they reached):
    # prospecting, qualification, proposal, negotiation (chapter 09's stage history)
    opportunity_loss_stage_shares: tuple = (0.40, 0.30, 0.20, 0.10)

    # --------------------------------------------------------------------------
    # Marketing spend (chapter 07): what the firm paid to win customers, per channel and month
    # --------------------------------------------------------------------------
    # true cost of one signup, in CNY, per signup channel (the spend is signups x this x noise)
    acquisition_cost: Mapping = field(
        default_factory=lambda: _frozen(
            {
                "search": 160.0,
                "social": 110.0,
                "email": 35.0,
                "referral": 80.0,
                "display": 140.0,
                "store": 55.0,
                "sales_team": 900.0,
            }
        )
    )
    spend_noise: float = 0.15  # lognormal sigma of a month's spend around its expectation
    # cost of one campaign session, in CNY, per traffic channel (2024 campaigns with web traffic)
    campaign_cost_per_session: Mapping = field(
        default_factory=lambda: _frozen(
            {"search": 2.2, "social": 1.6, "email": 0.3, "referral": 1.0, "display": 1.2, "direct": 0.0}
        )
    )

    # --------------------------------------------------------------------------
    # Category wallets (chapter 08): what a customer spends on a category at every supplier
    # --------------------------------------------------------------------------
    wallet_year: int = 2024
    # share of wallet at the firm ~ Beta(a, b) per latent segment, for categories the customer buys here
    wallet_share: Mapping = field(
        default_factory=lambda: _frozen(
            {
                "value_seeker": (2.0, 5.0),
                "loyal_family": (5.0, 3.0),
                "premium_professional": (3.0, 4.0),
                "occasional": (1.5, 6.0),
                "business_account": (3.0, 3.0),
            }
        )
    )
    # a category the customer does not buy here: bought elsewhere with this probability times the
    # segment's preference for it, for this many CNY a year (lognormal median, sigma)
    wallet_elsewhere_prob: float = 3.0
    wallet_elsewhere_cny: tuple = (600.0, 0.8)

    # --------------------------------------------------------------------------
    # A retention campaign (chapter 07): a coupon sent at random, the outcome in the next quarter
    # --------------------------------------------------------------------------
    retention_campaign_date: pd.Timestamp = pd.Timestamp("2024-12-20")
    # eligible: at least this many orders, the last one between these many days before the campaign
    retention_min_orders: int = 1
    retention_lapse_days: tuple = (30, 540)
    retention_treated_share: float = 0.5
    retention_follow_up_weeks: float = 13.0  # the outcome: an order in Q1 2025
    # true effect of the coupon on the chance to buy, per latent segment, for customers still alive:
    # (mean, sd); a customer who has left cannot be won back by a coupon (effect 0)
    retention_uplift: Mapping = field(
        default_factory=lambda: _frozen(
            {
                "value_seeker": (0.20, 0.06),
                "loyal_family": (0.02, 0.02),
                "premium_professional": (-0.04, 0.03),
                "occasional": (0.12, 0.05),
                "business_account": (0.0, 0.01),
            }
        )
    )

    # --------------------------------------------------------------------------
    # Contact details (chapter 09): obviously fake names, phones and e-mails, for pseudonymization
    # --------------------------------------------------------------------------
    contact_surnames: tuple = (
        "Wang",
        "Li",
        "Zhang",
        "Liu",
        "Chen",
        "Yang",
        "Huang",
        "Zhao",
        "Wu",
        "Zhou",
        "Xu",
        "Sun",
        "Ma",
        "Zhu",
        "Hu",
        "Guo",
        "He",
        "Lin",
        "Gao",
        "Luo",
    )
    contact_given_names: tuple = (
        "Wei",
        "Fang",
        "Na",
        "Min",
        "Jing",
        "Lei",
        "Qiang",
        "Yan",
        "Jie",
        "Tao",
        "Ming",
        "Chao",
        "Xiu",
        "Hua",
        "Ping",
        "Gang",
        "Hui",
        "Dan",
        "Yun",
        "Bo",
        "Lan",
        "Jun",
        "Ying",
        "Xin",
        "Kai",
        "Rui",
        "Yu",
        "Hao",
    )
    contact_email_domain: str = "example.com"  # reserved for examples: no real mailbox
    contact_phone_prefix: str = "+86 000"  # no real phone number starts with 000

    @property
    def n_days(self) -> int:
        """Days in the window, both ends included (1096 for 2022-2024)."""
        return (self.observation_end - self.window_start).days + 1

    @property
    def latent_segment_names(self) -> tuple[str, ...]:
        """The latent segments, in the order of ``latent_segments``."""
        return tuple(self.latent_segments)

    @property
    def business(self) -> int:
        """Index of the business-account segment in ``latent_segment_names``."""
        return self.latent_segment_names.index("business_account")


#: The defaults: the shipped demo company.
DEMO = DemoConfig()
#: Shorthands for the three values other modules use (read from ``DEMO``).
DEMO_SEED: int = DEMO.seed
WINDOW_START: pd.Timestamp = DEMO.window_start
OBSERVATION_END: pd.Timestamp = DEMO.observation_end


def _pct(share: float) -> str:
    """0.155 -> '15.5 %', 0.29 -> '29 %'."""
    return f"{100 * share:.3g} %"


def describe_model(c: DemoConfig = DEMO) -> str:
    """The generative model of the demo company in words, with the numbers of ``c``.

    This text is the "Generative model" section of the module's documentation
    (written from ``DEMO``), so every number it quotes comes from the configuration.
    """
    seg = c.latent_segments
    shares = ", ".join(f"{name} {_pct(spec['share'])}" for name, spec in seg.items())
    (m0, d0), (m1, d1) = c.signup_festival_season
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    season = f"{months[m0 - 1]} {d0} - {months[m1 - 1]} {d1}"
    q, p = c.product_weights, c.relationship_weights
    period = c.key_account_period_days
    campaign_sessions = sum(campaign[6] for campaign in c.campaigns)
    level, seconds = c.service_level
    opp = c.opportunities_per_account
    win = c.win_probability
    n_lines = len(c.product_lines)
    n_categories = len({line[1] for line in c.product_lines})
    costs = ", ".join(f"{k} {v:g}" for k, v in c.acquisition_cost.items())
    shares_of_wallet = ", ".join(f"{k} Beta{tuple(v)}" for k, v in c.wallet_share.items())
    uplifts = ", ".join(f"{k} {v[0]:+g} (sd {v[1]:g})" for k, v in c.retention_uplift.items())
    return f"""
Generative model
----------------
The data run from {c.window_start:%Y-%m-%d} to {c.observation_end:%Y-%m-%d} (``observation_end``).

Customers (``customers``; chapters 02, 03, 05)
    {c.n_customers:,} accounts, signed up on days drawn with weight growing linearly
    from 1 to {1 + c.signup_growth:g} over the window and multiplied by {c.signup_festival_factor:g} in the
    Double 11 season ({season}). Each has a *latent segment*
    (``truth.latent_segment``) with shares {shares} (of the business accounts,
    ``n_key_accounts`` = {c.n_key_accounts} are key accounts). Segments differ in age
    (Normal, e.g. mean {seg["value_seeker"]["age"][0]} for value seekers, {seg["loyal_family"]["age"][0]} for loyal families),
    gender, monthly income band (``income_bands``), city tier, signup channel,
    category and tier preferences, order channel, basket size, coupon use,
    purchase rate, dropout and satisfaction (see ``latent_segments``). Business
    accounts have no age, gender or income; key accounts and {_pct(c.migrated_business_share)} of other
    business accounts were migrated into the CRM on {c.migration_date:%Y-%m-%d}, their
    recorded signup date.

Satisfaction (``truth.latent_satisfaction``, ``survey``; chapters 05, 06)
    Each customer experiences the five service attributes ``attributes``
    as correlated standard normals q_a (pairwise correlation {c.attribute_correlation:g}).
    Latent product satisfaction is {q[0]:g} q_quality + {q[1]:g} q_delivery,
    relationship satisfaction {p[2]:g} q_responsiveness + {p[3]:g} q_personalization
    + {p[4]:g} q_care (each standardized); latent satisfaction s is their
    standardized mean plus a segment shift. The survey reports Likert
    scores: perception_a = round(perception_mean_a + q_a + N(0, {c.perception_noise:g})),
    expectation_a = round(expectation_mean_a + segment shift + N(0, {c.expectation_noise:g})),
    overall satisfaction weights the attributes by ``importance`` (product
    quality and delivery speed matter most, personalization least, while
    delivery speed and personalization have the largest negative gaps).

Repeat purchasing (``orders``; chapters 03, 04, 07)
    B2C and non-key business customers follow a BG/NBD process (Fader,
    Hardie & Lee 2005): the first order falls on the signup day ({_pct(c.first_order_same_day)}) or an
    Exponential({c.first_order_delay_days:g} days) later; while alive a customer buys as a Poisson
    process of weekly rate lambda ~ Gamma(r, alpha) (segment-specific, capped
    at {c.lambda_cap:g}), modulated by the seasonal calendar (Double 11, Double 12, 618
    peaks, a Chinese New Year dip, busier weekends; mean 1 over the window)
    and by a ramp-up (exploration -> familiarity): the rate is
    multiplied by 1 - {c.ramp_depth:g} exp(-tenure / {c.ramp_weeks:g} weeks). After each repeat order
    the customer drops out with probability p, where logit p = logit p0 -
    {c.sat_on_dropout:g} s and p0 ~ Beta(a, b) (segment-specific): satisfied customers stay
    longer. Key accounts order regularly, every {period[0]:g}-{period[1]:g} days (jitter
    {c.key_account_jitter_days:g} days), with quantities trending up or down by exp(g * years),
    g ~ N{c.key_account_trend} (partnership or uncoupling), and p = {c.key_account_dropout_p:g}.

Complaints (``tickets``; chapters 06, 09)
    Each potential order raises a ticket with probability
    {c.ticket_rate:g} exp(-{c.ticket_sat:g} s) (key accounts {c.key_account_ticket_factor:g} times that), opened
    Exponential({c.ticket_delay_days:g} days) later. The resolution depends on the category and
    improves in 2024 (a dedicated service centre). An unresolved complaint makes
    the customer leave (after that order) with probability {c.p_leave_unresolved:g}, a plainly
    resolved one with {c.p_leave_resolved:g}; a complaint resolved to the customer's satisfaction
    gives the relationship a second life with probability {c.p_recovery:g} (the dropout is
    postponed by another Geometric(p) orders): the service recovery paradox.

Orders and baskets (``orders``, ``order_lines``, ``products``; chapters 04, 08)
    {n_lines * len(c.tiers)} products: {n_lines} product lines in {n_categories} categories, each in a
    {" / ".join(c.tiers)} tier (the up-sell ladder). An order has 1 + Poisson(m)
    lines, m growing with the customer's order count (familiarity) and
    falling over the last {c.separation_orders} orders before a dropout (separation). The
    first line's product line follows the segment's category preferences;
    each further line is, with probability {c.cross_sell_prob:g}, a cross-sell partner of the
    first (``cross_sell``: coffee machine -> coffee beans, formula ->
    diapers, ink -> paper, ...), so market-basket lift exceeds 1 for those
    pairs. Tiers follow the segment's preferences, shifted toward premium
    by {c.upsell_shift:g} log(1 + order number) (up-selling). Discounts come from
    campaigns, coupons or key-account contracts.

Web funnel (``web_events``; chapters 03, 07)
    Sessions from {c.web_start:%Y-%m-%d} ({c.web_base_sessions:,} ordinary ones plus {campaign_sessions:,} brought
    by the campaigns), each reaching a prefix of visit -> browse ->
    add_to_cart -> purchase with stage probabilities per traffic channel
    (``funnel``: email and referral convert best, display worst), multiplied per
    campaign (``campaigns``), and by {c.known_purchase_factor:g} at the last stage for known customers.

Service (``calls``; chapter 09)
    Call-centre calls from {c.call_start:%Y-%m-%d}: Poisson arrivals per hour with hour-of-day,
    day-of-week and post-Double-11 peaks; waits drawn from the M/M/c (Erlang
    C) steady state for the hour's arrival rate and a staffing plan that
    answers {_pct(level)} of calls within {seconds:g} s at the planned (weekday x hour) load
    but not in the post-Double-11 peak; abandonment after Exponential({c.mean_patience_seconds:g} s)
    patience.

Marketing spend (``marketing_spend``; chapter 07)
    Each month, each acquisition channel costs its signups times a true cost per signup
    ({costs}), times lognormal noise (sigma {c.spend_noise:g}); each 2024 campaign with web
    traffic costs its campaign sessions times a cost per session of the traffic channel.

Category wallets (``category_wallets``; chapter 08)
    For every customer who bought in {c.wallet_year}: their spend per category here and at all
    suppliers. Where they buy a category here, the firm's share of that wallet ~ Beta(a, b) per
    segment ({shares_of_wallet}); a category they do not buy here is bought elsewhere with
    probability {c.wallet_elsewhere_prob:g} x the segment's preference for it, for about
    {c.wallet_elsewhere_cny[0]:,.0f} CNY a year (lognormal, sigma {c.wallet_elsewhere_cny[1]:g}).

Retention campaign (``retention_campaign``; chapter 07)
    On {c.retention_campaign_date:%Y-%m-%d}, every customer with at least {c.retention_min_orders} order(s), the last
    {c.retention_lapse_days[0]}-{c.retention_lapse_days[1]} days earlier, is sent a coupon with probability {c.retention_treated_share:g}. The
    outcome is an order in the next {c.retention_follow_up_weeks:g} weeks: without the coupon with the
    customer's own chance (1 - exp(-lambda x weeks), 0 for one who has left), with it that
    chance plus a true effect ~ Normal per segment ({uplifts}), 0 for one who has left.

Contact details (``contacts``; chapter 09)
    A name per customer from {len(c.contact_given_names)} given names and {len(c.contact_surnames)} surnames, an e-mail at
    ``{c.contact_email_domain}`` and a phone number starting ``{c.contact_phone_prefix}``: all fake, for pseudonymization.

Sales pipeline (``opportunities``; chapters 08, 09)
    Business accounts (key accounts about {opp["key"]:g}, others about {opp["business"]:g} on average)
    with Gamma{c.sales_cycle_gamma} sales cycles (shape, scale in days); closed ones are won with
    probability {win["key"]:g} (key accounts), {win["business"]:g} (other accounts), {win["never_buys"]:g} (accounts
    that never buy).

Stage history (``opportunity_stages``; chapter 09)
    Every deal passes the open stages in order, evenly spread over its sales cycle; a won deal
    passes all four, a lost one is lost in the stage it last reached (prospecting to negotiation
    with shares {", ".join(f"{x:g}" for x in c.opportunity_loss_stage_shares)}), an open deal has reached its current stage.
"""


__doc__ = (__doc__ or "") + describe_model(DEMO)


#: The data card's summary of the model lies between these two lines of
#: ``datasets/demo/README.md``; :func:`write_demo` writes it from the configuration.
CARD_BEGIN = "<!-- model summary: written by python -m crmlib.synthetic from DemoConfig -->"
CARD_END = "<!-- end of model summary -->"


def card_model_summary(c: DemoConfig = DEMO) -> str:
    """The bullet list "The generative model in short" of the data card, with the numbers of ``c``."""
    seg = c.latent_segments
    label = {
        "value_seeker": "value seekers",
        "loyal_family": "loyal families",
        "premium_professional": "premium professionals",
        "occasional": "occasional buyers",
    }
    shares = ", ".join(f"{label[name]} ({_pct(seg[name]['share'])})" for name in label)
    business = _pct(seg["business_account"]["share"])
    months = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    spikes = dict(zip(("Double 11", "Double 12", "618"), c.spikes, strict=True))
    d11, d12, s618 = spikes["Double 11"], spikes["Double 12"], spikes["618"]
    discounts = c.key_account_contract_discounts
    level, seconds = c.service_level
    return f"""* **Latent segments** (truth only): {shares},
  business accounts ({business}, of which {c.n_key_accounts} are key accounts). They differ in age,
  income, city tier, signup channel, category and tier preferences, order
  channel, basket size, coupon use, purchase rate, dropout and satisfaction.
  *Ch. 05 clusters should rediscover them; ch. 02 profiles them.*
* **Repeat purchasing** (B2C and ordinary business accounts): BG/NBD (Fader,
  Hardie & Lee 2005). While alive, a customer buys as a Poisson process with
  weekly rate λ ~ Gamma(r, α) per segment (e.g. loyal families r = {seg["loyal_family"]["r"]:g},
  α = {seg["loyal_family"]["alpha"]:g}; occasional r = {seg["occasional"]["r"]:g}, α = {seg["occasional"]["alpha"]:g}); after each repeat order the customer
  drops out with probability p, logit p = logit p₀ − {c.sat_on_dropout:g}·s, p₀ ~ Beta(a, b)
  per segment, s the latent satisfaction. The rate follows a seasonal calendar
  and ramps up over the first weeks (× 1 − {c.ramp_depth:g}·e^(−tenure/{c.ramp_weeks:g} weeks)).
  *Ch. 04 (BG/NBD, CLV), ch. 03 (lifecycle, survival, cohorts).*
* **Key accounts**: order regularly every {c.key_account_period_days[0]:g}–{c.key_account_period_days[1]:g} days through sales reps, big
  quantities trending up (partnership) or down (uncoupling) by
  e^(g·years), g ~ N({c.key_account_trend[0]:g}, {c.key_account_trend[1]:g}); contract discounts of {100 * min(discounts):g}–{100 * max(discounts):g} %.
  *Ch. 08 (ABC analysis, key-account stages), ch. 09 (pipeline).*
* **Seasonality**: November × {c.month_factor[10]:g} with Double 11 ({months[d11[0] - 1][:3]} {d11[1]}–{d11[2]}) × {d11[3]:g}, December
  × {c.month_factor[11]:g} with Double 12 × {d12[3]:g}, 618 ({months[s618[0] - 1]} {s618[1]}–{s618[2]}) × {s618[3]:g}, Chinese New Year
  (± {c.cny_half_width_days} days) × {c.cny_factor:g}, weekends × {c.weekend_factor:g}.
* **Satisfaction**: five service attributes experienced as correlated
  normals; product satisfaction is driven by product quality and delivery
  speed, relationship satisfaction by responsiveness, personalization and
  care. Higher satisfaction → fewer complaints and a lower dropout
  probability. *Ch. 06 (gaps, importance–performance, retention), ch. 05
  (satisfaction matrix, loyalty matrix).*
* **Complaints**: each order raises a ticket with probability
  {c.ticket_rate:g}·e^(−{c.ticket_sat:g}·s). An unresolved complaint ends the relationship with
  probability {c.p_leave_unresolved:g}, a merely resolved one with {c.p_leave_resolved:g}; one resolved to the
  customer's satisfaction postpones the dropout with probability {c.p_recovery:g}
  (service recovery). Resolution improves in 2024 (service centre).
* **Baskets**: 1 + Poisson(m) lines, m growing with the number of orders
  (familiarity) and shrinking over the last {c.separation_orders} orders before a dropout
  (separation); {_pct(c.cross_sell_prob)} of further lines are cross-sell partners of the first
  line; tiers move toward premium as a customer's order count grows
  (up-sell). *Ch. 08 (market basket, up-sell ladder).*
* **Web funnel** ({c.web_start:%Y}): per-channel stage probabilities (email and referral
  convert best, display worst) times per-campaign multipliers.
  *Ch. 07 (funnels), ch. 03 (visitor → browser → shopper → buyer).*
* **Marketing spend**: each acquisition channel's monthly spend is its signups × a true cost per
  signup (email {c.acquisition_cost["email"]:g}, search {c.acquisition_cost["search"]:g}, sales team {c.acquisition_cost["sales_team"]:g} CNY, …) × noise; 2024
  campaigns add the web traffic they bought. *Ch. 07 (cost per retained buyer).*
* **Category wallets** ({c.wallet_year}): each buying customer's spend per category here and at
  all suppliers; the firm's share of wallet depends on the segment. *Ch. 08 (share of wallet).*
* **Retention campaign** ({c.retention_campaign_date:%Y-%m-%d}): a coupon sent at random to {_pct(c.retention_treated_share)} of the lapsing
  customers; its true effect differs by customer and is zero for those who have left.
  *Ch. 07 (A/B test, uplift versus churn risk).*
* **Calls** (from {c.call_start:%Y-%m-%d}): Poisson arrivals by hour × weekday × season, staffing
  planned to answer {_pct(level)} within {seconds:g} s at the planned load, Erlang-C waits,
  abandonment after Exponential({c.mean_patience_seconds:g} s) patience. *Ch. 09 (staffing).*"""


def _card_with_summary(card: str, c: DemoConfig = DEMO) -> str:
    """The data card text with its model summary rewritten from ``c``."""
    if CARD_BEGIN not in card or CARD_END not in card:
        raise DataError(f"the data card has no model summary between {CARD_BEGIN!r} and {CARD_END!r}")
    head, rest = card.split(CARD_BEGIN, 1)
    _, tail = rest.split(CARD_END, 1)
    return f"{head}{CARD_BEGIN}\n{card_model_summary(c)}\n{CARD_END}{tail}"


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
    "opportunity_stages": {
        "description": {
            "en": "Stage history of every sales opportunity: each stage it entered, and when",
            "zh": "每个销售机会的阶段历史：进入过的每个阶段及其日期",
        },
        "dates": ["entered_date"],
        "key": None,
    },
    "truth": {
        "description": {
            "en": "Ground truth per customer: latent segment, purchase rate, dropout, satisfaction",
            "zh": "每个客户的真实参数：潜在细分群体、购买率、流失、满意度",
        },
        "dates": ["dropout_date"],
        "key": "customer_id",
    },
    "marketing_spend": {
        "description": {
            "en": "Marketing spend per month, acquisition channel and campaign (CNY)",
            "zh": "每月各获客渠道和营销活动的营销支出（元）",
        },
        "dates": ["month"],
        "key": None,
    },
    "category_wallets": {
        "description": {
            "en": "2024 category spend of each buying customer at every supplier (the wallet)",
            "zh": "每位购买客户 2024 年在各品类上的总支出（含其他商家，即钱包）",
        },
        "dates": [],
        "key": None,
    },
    "contacts": {
        "description": {
            "en": "Contact details of every customer (fake names, phones and e-mails)",
            "zh": "每位客户的联系方式（虚构的姓名、电话和电子邮箱）",
        },
        "dates": [],
        "key": "customer_id",
    },
    "retention_campaign": {
        "description": {
            "en": "A randomized retention coupon of December 2024 and who bought in Q1 2025",
            "zh": "2024 年 12 月随机发放的挽留优惠券及 2025 年第一季度是否购买",
        },
        "dates": ["contact_date"],
        "key": "customer_id",
    },
}

# Columns written with a time of day; every other date column is written as YYYY-MM-DD.
_TIMESTAMP_COLUMNS = {
    "web_events": ["timestamp"],
    "tickets": ["opened_at", "closed_at"],
    "calls": ["call_start"],
}


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


def _day_to_timestamp(cfg: DemoConfig, days: np.ndarray) -> pd.DatetimeIndex:
    """Fractional days since WINDOW_START -> timestamps rounded down to the second."""
    seconds = np.floor(np.asarray(days, dtype=float) * 86400.0).astype("int64")
    return cfg.window_start + pd.to_timedelta(seconds, unit="s")


def _day_to_date(cfg: DemoConfig, days: np.ndarray) -> pd.DatetimeIndex:
    return cfg.window_start + pd.to_timedelta(np.floor(days).astype("int64"), unit="D")


def _day_index(cfg: DemoConfig, date: str | pd.Timestamp) -> int:
    return int((pd.Timestamp(date) - cfg.window_start).days)


def _segment_array(cfg: DemoConfig, key: str) -> np.ndarray:
    return np.array([cfg.latent_segments[s][key] for s in cfg.latent_segment_names], dtype=float)


def _standardized_weights(cfg: DemoConfig, weights) -> np.ndarray:
    """Weights w scaled so that w @ q has unit variance for the correlated attributes."""
    w = np.asarray(weights, dtype=float)
    k = len(w)
    cov = cfg.attribute_correlation * np.ones((k, k)) + (1 - cfg.attribute_correlation) * np.eye(k)
    return w / np.sqrt(w @ cov @ w)


def _likert(values: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.clip(np.rint(values), low, high).astype(int)


# ==========================================================================
# Calendar
# ==========================================================================
def _calendar(cfg: DemoConfig) -> dict:
    """Daily seasonal weights (mean 1) and their cumulative sum in weeks."""
    days = pd.date_range(cfg.window_start, cfg.observation_end, freq="D")
    month = days.month.to_numpy()
    dom = days.day.to_numpy()
    weight = np.asarray(cfg.month_factor, dtype=float)[month - 1]
    for spike_month, first, last, factor in cfg.spikes:
        weight[(month == spike_month) & (dom >= first) & (dom <= last)] *= factor
    for cny in cfg.chinese_new_year:
        offset = np.abs((days - pd.Timestamp(cny)).days.to_numpy())
        weight[offset <= cfg.cny_half_width_days] *= cfg.cny_factor
    weight[days.dayofweek.to_numpy() >= 5] *= cfg.weekend_factor
    weight /= weight.mean()
    cum_weeks = np.r_[0.0, np.cumsum(weight)] / 7.0
    campaign_of_day = np.full(cfg.n_days, -1)
    for k, campaign in enumerate(cfg.campaigns):
        campaign_of_day[_day_index(cfg, campaign[1]) : _day_index(cfg, campaign[2]) + 1] = k
    return {"days": days, "weight": weight, "cum_weeks": cum_weeks, "campaign_of_day": campaign_of_day}


def _to_intensity(cfg: DemoConfig, cal: dict, t: np.ndarray) -> np.ndarray:
    """Seasonal operational time (weeks) at calendar time t (days)."""
    d = np.clip(np.floor(t).astype(int), 0, cfg.n_days - 1)
    return cal["cum_weeks"][d] + (t - d) * cal["weight"][d] / 7.0


def _from_intensity(cfg: DemoConfig, cal: dict, level: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_to_intensity`."""
    cum = cal["cum_weeks"]
    d = np.clip(np.searchsorted(cum, level, side="right") - 1, 0, cfg.n_days - 1)
    t = d + (level - cum[d]) * 7.0 / cal["weight"][d]
    return np.minimum(t, cfg.n_days - 1e-6)


# ==========================================================================
# Customers
# ==========================================================================
def _draw_customers(cfg: DemoConfig, rng: np.random.Generator, cal: dict) -> dict:
    """Per-customer latent and observed attributes, sorted by signup date."""
    n = cfg.n_customers
    seg = rng.choice(
        len(cfg.latent_segment_names),
        size=n,
        p=_segment_array(cfg, "share") / _segment_array(cfg, "share").sum(),
    )
    business = np.flatnonzero(seg == cfg.business)
    key = np.zeros(n, dtype=bool)
    key[rng.choice(business, size=min(cfg.n_key_accounts, len(business)), replace=False)] = True

    # Signup day: growing trend, Double 11 season; migrated B2B accounts on go-live day.
    days = cal["days"]
    signup_weight = 1 + cfg.signup_growth * np.arange(cfg.n_days) / (cfg.n_days - 1)
    (first_month, first_day), (last_month, last_day) = cfg.signup_festival_season
    festival = ((days.month == first_month) & (days.day >= first_day)) | (
        (days.month == last_month) & (days.day <= last_day)
    )
    signup_weight[np.asarray(festival)] *= cfg.signup_festival_factor
    signup = rng.choice(cfg.n_days, size=n, p=signup_weight / signup_weight.sum())
    migrated = key | ((seg == cfg.business) & (rng.random(n) < cfg.migrated_business_share))
    signup[migrated] = _day_index(cfg, cfg.migration_date)

    channel = _categorical(
        rng, np.array([cfg.latent_segments[s]["signup"] for s in cfg.latent_segment_names])[seg]
    )
    channel[key] = cfg.signup_channels.index("sales_team")
    region = rng.choice(len(cfg.regions), size=n, p=cfg.region_shares)
    city_tier = 1 + _categorical(
        rng, np.array([cfg.latent_segments[s]["city_tier"] for s in cfg.latent_segment_names])[seg]
    )

    # Demographics (B2C only).
    b2c = seg != cfg.business
    age = np.full(n, np.nan)
    female = np.full(n, np.nan)
    income = np.full(n, -1)
    for k, name in enumerate(cfg.latent_segment_names):
        spec = cfg.latent_segments[name]
        members = np.flatnonzero(seg == k)
        if spec["age"] is None:
            continue
        age[members] = np.clip(np.rint(rng.normal(*spec["age"], size=len(members))), 18, 80)
        female[members] = rng.random(len(members)) < spec["female"]
        income[members] = rng.choice(len(cfg.income_bands), size=len(members), p=spec["income"])

    # Satisfaction: correlated attribute experiences -> product / relationship / overall.
    factor = rng.normal(size=(n, 1))
    q = np.sqrt(cfg.attribute_correlation) * factor + np.sqrt(1 - cfg.attribute_correlation) * rng.normal(
        size=(n, len(cfg.attributes))
    )
    s_product = q @ _standardized_weights(cfg, cfg.product_weights)
    s_relationship = q @ _standardized_weights(cfg, cfg.relationship_weights)
    corr_pr = (
        _standardized_weights(cfg, cfg.product_weights)
        @ (cfg.attribute_correlation + (1 - cfg.attribute_correlation) * np.eye(len(cfg.attributes)))
        @ _standardized_weights(cfg, cfg.relationship_weights)
    )
    shift = _segment_array(cfg, "sat_shift")[seg] + cfg.key_account_sat_shift * key
    satisfaction = (s_product + s_relationship) / np.sqrt(2 + 2 * corr_pr) + shift

    # Purchasing: BG/NBD heterogeneity, dropout lowered by satisfaction.
    lam = np.minimum(
        rng.gamma(_segment_array(cfg, "r")[seg], 1 / _segment_array(cfg, "alpha")[seg]), cfg.lambda_cap
    )
    p0 = rng.beta(_segment_array(cfg, "a")[seg], _segment_array(cfg, "b")[seg])
    # imported here, not with the module: scipy.special would add about 0.2 s to every `import crmlib`
    from scipy.special import expit, logit

    p = expit(logit(np.clip(p0, 1e-6, 1 - 1e-6)) - cfg.sat_on_dropout * satisfaction)
    p[key] = cfg.key_account_dropout_p
    never_buy_p = _segment_array(cfg, "never_buy")[seg] * np.array(cfg.never_buy_channel_factor)[channel]
    never_buys = (rng.random(n) < never_buy_p) & ~key

    same_day = rng.random(n) < cfg.first_order_same_day
    delay = np.where(same_day, rng.random(n), rng.exponential(cfg.first_order_delay_days, size=n))
    first_order = signup + delay
    first_order[key] = signup[key] + rng.random(key.sum()) * 7

    period = rng.uniform(*cfg.key_account_period_days, size=n)
    trend = rng.normal(*cfg.key_account_trend, size=n)
    contract = rng.choice(cfg.key_account_contract_discounts, size=n)
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
    pop["company"] = _company_names(cfg, rng, pop["latent_segment"] == cfg.business)
    return pop


def _company_names(cfg: DemoConfig, rng: np.random.Generator, business: np.ndarray) -> np.ndarray:
    """Unique fictional company names for the business accounts."""
    combos = np.array(
        [f"{p} {i} Co., Ltd." for p in cfg.company_prefixes for i in cfg.company_industries], dtype=object
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
def _potential_purchases(cfg: DemoConfig, rng: np.random.Generator, cal: dict, pop: dict) -> pd.DataFrame:
    """All purchases each customer would make in the window if never dropping out."""
    n = cfg.n_customers
    idx = np.arange(n)
    buys = ~pop["never_buys"] & (pop["first_order"] < cfg.n_days)
    poisson = buys & ~pop["key"]
    t0 = pop["first_order"]

    # Repeat purchases of BG/NBD customers: Poisson in seasonal operational time.
    level0 = _to_intensity(cfg, cal, np.minimum(t0, cfg.n_days - 1e-6))
    span = np.where(poisson, cal["cum_weeks"][-1] - level0, 0.0)
    counts = rng.poisson(pop["lam"] * span)
    owner = np.repeat(idx, counts)
    t = _from_intensity(cfg, cal, rng.uniform(level0[owner], cal["cum_weeks"][-1]))
    tenure_weeks = (t - t0[owner]) / 7.0
    keep = rng.random(len(t)) < 1 - cfg.ramp_depth * np.exp(-tenure_weeks / cfg.ramp_weeks)
    owner, t = owner[keep], t[keep]

    # Key accounts: regular orders.
    key = np.flatnonzero(buys & pop["key"])
    k_counts = np.floor((cfg.n_days - t0[key]) / pop["period"][key]).astype(int) + 1
    k_owner = np.repeat(key, k_counts)
    k_step = _rank_within(k_owner)
    k_t = t0[k_owner] + k_step * pop["period"][k_owner]
    k_t = k_t + np.where(k_step > 0, rng.normal(0, cfg.key_account_jitter_days, len(k_t)), 0.0)
    k_t = np.clip(k_t, t0[k_owner], cfg.n_days - 1e-6)

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


def _potential_tickets(
    cfg: DemoConfig, rng: np.random.Generator, purchases: pd.DataFrame, pop: dict
) -> pd.DataFrame:
    """At most one complaint per potential purchase, with its resolution."""
    owner = purchases["owner"].to_numpy()
    rate = cfg.ticket_rate * np.exp(-cfg.ticket_sat * pop["satisfaction"][owner])
    rate[pop["key"][owner]] *= cfg.key_account_ticket_factor
    has = rng.random(len(owner)) < rate
    rows = np.flatnonzero(has)
    t_order = purchases["t"].to_numpy()[rows]
    opened = np.floor(t_order + rng.exponential(cfg.ticket_delay_days, len(rows)))
    hour = cfg.call_open_hour + rng.choice(
        len(cfg.call_hour_weights),
        size=len(rows),
        p=np.array(cfg.call_hour_weights) / sum(cfg.call_hour_weights),
    )
    opened = opened + (hour + rng.random(len(rows))) / 24.0
    opened = np.maximum(opened, t_order)
    category = rng.choice(len(cfg.ticket_categories), size=len(rows), p=cfg.ticket_category_shares)
    probs = np.array([cfg.resolution_probs[c] for c in cfg.ticket_categories])[category]
    in_2024 = opened >= _day_index(cfg, "2024-01-01")
    gain = cfg.service_centre_gain * in_2024
    probs = probs + np.c_[gain, -gain / 2, -gain / 2]
    resolution = _categorical(rng, probs)
    hours = np.array(cfg.resolution_hours)[resolution] * np.exp(rng.normal(0, 0.6, len(rows)))
    channel = rng.choice(len(cfg.ticket_channels), size=len(rows), p=cfg.ticket_channel_shares)
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
    return tickets[tickets["opened"] < cfg.n_days].reset_index(drop=True)


def _dropout(
    cfg: DemoConfig, rng: np.random.Generator, purchases: pd.DataFrame, tickets: pd.DataFrame, pop: dict
) -> dict:
    """Index of the last purchase before dropout, the dropout day and its cause.

    BG/NBD: the customer leaves after repeat purchase K ~ Geometric(p). Complaints,
    in time order, can end the relationship earlier (unresolved or merely resolved)
    or postpone the dropout (resolved to the customer's satisfaction).
    """
    n = cfg.n_customers
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
            ((res == unresolved) & (u < cfg.p_leave_unresolved))
            | ((res == resolved) & (u < cfg.p_leave_resolved))
        )
        dropout_index[o[leave]] = step["j"].to_numpy()[leave]
        by_ticket[o[leave]] = True
        ticket_day[o[leave]] = step["opened"].to_numpy()[leave]
        recover = valid & (res == satisfied) & (u < cfg.p_recovery)
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
def _products(cfg: DemoConfig) -> pd.DataFrame:
    rows = []
    for line_no, (name, category, prices, margin_add) in enumerate(cfg.product_lines):
        for tier, price in enumerate(prices):
            margin = cfg.tier_margin[tier] + margin_add
            rows.append(
                {
                    "product_id": f"P{line_no * 3 + tier + 1:03d}",
                    "name": f"{name} ({cfg.tiers[tier].capitalize()})",
                    "category": cfg.categories[category],
                    "product_line": name,
                    "tier": cfg.tiers[tier],
                    "tier_rank": tier + 1,
                    "unit_price": float(price),
                    "unit_cost": round(price * (1 - margin), 2),
                }
            )
    return pd.DataFrame(rows)


def _cross_sell_matrix(cfg: DemoConfig) -> np.ndarray:
    names = [line[0] for line in cfg.product_lines]
    matrix = np.zeros((len(names), len(names)))
    for name, partners in cfg.cross_sell.items():
        for partner in partners:
            matrix[names.index(name), names.index(partner)] = 1.0
    return matrix / matrix.sum(axis=1, keepdims=True)


def _orders(
    cfg: DemoConfig, rng: np.random.Generator, cal: dict, pop: dict, purchases: pd.DataFrame, drop: dict
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
    channel_p = np.array([cfg.latent_segments[s]["order_channel"] for s in cfg.latent_segment_names])[seg]
    channel = _categorical(rng, channel_p)
    store_signup = pop["channel"][owner] == cfg.signup_channels.index("store")
    channel[store_signup & (rng.random(n) < cfg.store_signup_store_share)] = cfg.order_channels.index("store")
    channel[key] = np.where(
        rng.random(key.sum()) < cfg.key_account_sales_rep_share,
        cfg.order_channels.index("sales_rep"),
        cfg.order_channels.index("web"),
    )
    campaign = cal["campaign_of_day"][day]
    online = channel <= cfg.order_channels.index("app")
    tag_share = np.array([c[4] for c in cfg.campaigns] + [0.0])[campaign]
    campaign = np.where(online & (campaign >= 0) & (rng.random(n) < tag_share), campaign, -1)

    # Number of lines: familiarity ramp, separation before dropout.
    dead = drop["attrition"] | drop["by_ticket"]
    separating = dead[owner] & (j > drop["index"][owner] - cfg.separation_orders)
    mean_lines = (
        _segment_array(cfg, "lines")[seg]
        * pop["basket"][owner]
        * (1 - cfg.lines_ramp * np.exp(-j / 3.0))
        * np.where(separating, cfg.separation_factor, 1.0)
    )
    mean_lines[key] = 3.0
    n_lines = 1 + rng.poisson(mean_lines)
    order_of_line = np.repeat(np.arange(n), n_lines)
    line_rank = _rank_within(order_of_line)

    # Product line: first line by segment preference, later lines cross-sell partners.
    line_category = np.array([line[1] for line in cfg.product_lines])
    cat_pref = np.array([cfg.latent_segments[s]["categories"] for s in cfg.latent_segment_names])
    line_pref = cat_pref[:, line_category] / 2.0
    with np.errstate(divide="ignore"):
        pref_logits = np.log(line_pref)[seg[order_of_line]]
    own_choice = _gumbel_argmax(rng, pref_logits)
    first_of_order = np.zeros(n, dtype=int)
    first_of_order[order_of_line[line_rank == 0]] = own_choice[line_rank == 0]
    partner = _categorical(rng, _cross_sell_matrix(cfg)[first_of_order[order_of_line]])
    use_partner = (line_rank > 0) & (rng.random(len(order_of_line)) < cfg.cross_sell_prob)
    product_line = np.where(use_partner, partner, own_choice)

    # Tier: segment preference shifted toward premium with experience (up-sell ladder).
    tier_pref = np.log(np.array([cfg.latent_segments[s]["tiers"] for s in cfg.latent_segment_names]))
    upsell = cfg.upsell_shift * np.log1p(j)[order_of_line][:, None] * np.array([0.0, 0.5, 1.0])
    tier = _gumbel_argmax(rng, tier_pref[seg[order_of_line]] + upsell)
    product = product_line * 3 + tier

    lines = pd.DataFrame({"order": order_of_line, "product": product})
    lines = lines[~lines.duplicated(["order", "product"])].reset_index(drop=True)
    o = lines["order"].to_numpy()
    product = lines["product"].to_numpy()
    category = line_category[product // 3]

    # Quantity.
    line_seg = seg[o]
    quantity = 1 + rng.poisson(np.array(cfg.consumable_extra_qty)[category])
    business = (line_seg == cfg.business) & ~key[o]
    quantity[business] = 1 + rng.poisson(cfg.business_extra_qty, business.sum())
    ka = key[o]
    years = (kept["t"].to_numpy()[o][ka] - pop["first_order"][owner[o][ka]]) / 365.25
    ka_qty = cfg.key_account_qty_median * np.exp(
        pop["trend"][owner[o][ka]] * years + rng.normal(0, 0.5, ka.sum())
    )
    quantity[ka] = np.maximum(1, np.rint(ka_qty)).astype(int)

    # Discount: campaign > coupon > contract.
    coupon_order = rng.random(n) < _segment_array(cfg, "coupon")[seg]
    coupon_rate = rng.choice(cfg.coupon_discounts, size=n)
    campaign_rate = np.array([c[3] for c in cfg.campaigns] + [0.0])[campaign]
    order_discount = np.where(campaign >= 0, campaign_rate, np.where(coupon_order, coupon_rate, 0.0))
    order_discount[key] = pop["contract"][owner[key]]
    discount = order_discount[o] * (rng.random(len(o)) < 0.85)
    discount[ka] = order_discount[o][ka]

    catalogue = _products(cfg)
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
    campaign_names = np.array([c[0] for c in cfg.campaigns] + [None], dtype=object)
    orders = pd.DataFrame(
        {
            "order_id": order_ids,
            "customer_id": _ids("C", owner + 1, 5),
            "order_date": _day_to_date(cfg, day),
            "channel": np.array(cfg.order_channels, dtype=object)[channel],
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
def _customers_table(cfg: DemoConfig, pop: dict) -> pd.DataFrame:
    n = cfg.n_customers
    b2c = pop["b2c"]
    gender = np.where(np.isnan(pop["female"]), None, np.where(pop["female"] == 1, "F", "M")).astype(object)
    income = np.where(
        pop["income"] >= 0, np.array(cfg.income_bands, dtype=object)[np.maximum(pop["income"], 0)], None
    )
    return pd.DataFrame(
        {
            "customer_id": _ids("C", np.arange(1, n + 1), 5),
            "signup_date": _day_to_date(cfg, pop["signup"]),
            "signup_channel": np.array(cfg.signup_channels, dtype=object)[pop["channel"]],
            "customer_type": np.where(b2c, "B2C", "B2B").astype(object),
            "company_name": pop["company"],
            "age": pd.array(np.where(np.isnan(pop["age"]), pd.NA, pop["age"]), dtype="Int64"),
            "gender": gender,
            "income_band": income,
            "region": np.array(cfg.regions, dtype=object)[pop["region"]],
            "city_tier": pop["city_tier"].astype(int),
        }
    )


def _tickets_table(cfg: DemoConfig, tickets: pd.DataFrame, drop: dict) -> pd.DataFrame:
    """Complaints about orders the customer actually placed, observed until the end."""
    kept = tickets[tickets["j"].to_numpy() <= drop["index"][tickets["owner"].to_numpy()]]
    kept = kept.sort_values(["opened", "owner"], kind="stable").reset_index(drop=True)
    still_open = kept["closed"].to_numpy() >= cfg.n_days
    closed = _day_to_timestamp(cfg, np.where(still_open, 0.0, kept["closed"].to_numpy()))
    resolution = np.array(cfg.resolutions, dtype=object)[kept["resolution"].to_numpy()]
    resolution[still_open] = "open"
    table = pd.DataFrame(
        {
            "ticket_id": _ids("T", np.arange(1, len(kept) + 1), 5),
            "customer_id": _ids("C", kept["owner"].to_numpy() + 1, 5),
            "opened_at": _day_to_timestamp(cfg, kept["opened"].to_numpy()),
            "closed_at": pd.Series(closed).where(~still_open),
            "category": np.array(cfg.ticket_categories, dtype=object)[kept["category"].to_numpy()],
            "channel": np.array(cfg.ticket_channels, dtype=object)[kept["channel"].to_numpy()],
            "resolution": resolution,
        }
    )
    return table


def _truth_table(cfg: DemoConfig, pop: dict, drop: dict) -> pd.DataFrame:
    dead = drop["attrition"] | drop["by_ticket"]
    cause = np.where(drop["by_ticket"], "complaint", np.where(drop["attrition"], "attrition", None))
    never = pop["never_buys"]
    dropout_date = pd.Series(_day_to_date(cfg, np.nan_to_num(drop["day"]))).where(dead)
    return pd.DataFrame(
        {
            "customer_id": _ids("C", np.arange(1, cfg.n_customers + 1), 5),
            "latent_segment": np.array(cfg.latent_segment_names, dtype=object)[pop["latent_segment"]],
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


def _survey_table(cfg: DemoConfig, rng: np.random.Generator, pop: dict, drop: dict) -> pd.DataFrame:
    n = cfg.n_customers
    first_day, last_day = _day_index(cfg, cfg.survey_start), _day_index(cfg, cfg.survey_end)
    survey_day = rng.integers(first_day, last_day + 1, size=n)
    dead = drop["attrition"] | drop["by_ticket"]
    eligible = (
        ~pop["never_buys"]
        & (pop["first_order"] < survey_day)
        & ~(dead & (np.floor(drop["day"]) <= survey_day))
    )
    chosen = np.sort(
        rng.choice(
            np.flatnonzero(eligible), size=min(cfg.survey_respondents, int(eligible.sum())), replace=False
        )
    )
    m = len(chosen)
    q = pop["q"][chosen]
    seg = pop["latent_segment"][chosen]
    exp_shift = _segment_array(cfg, "exp_shift")[seg][:, None]
    expectation = _likert(
        np.array(cfg.expectation_mean)
        + exp_shift
        + rng.normal(0, cfg.expectation_noise, (m, len(cfg.attributes))),
        1,
        7,
    )
    perception = _likert(
        np.array(cfg.perception_mean) + q + rng.normal(0, cfg.perception_noise, (m, len(cfg.attributes))),
        1,
        7,
    )
    s = pop["satisfaction"][chosen]
    overall = q @ _standardized_weights(cfg, cfg.importance)
    table = {"customer_id": _ids("C", chosen + 1, 5), "survey_date": _day_to_date(cfg, survey_day[chosen])}
    for a, name in enumerate(cfg.attributes):
        table[f"exp_{name}"] = expectation[:, a]
        table[f"perc_{name}"] = perception[:, a]
    table["sat_product"] = _likert(5.0 + 1.1 * pop["s_product"][chosen] + rng.normal(0, 0.5, m), 1, 7)
    table["sat_relationship"] = _likert(
        4.7 + 1.1 * pop["s_relationship"][chosen] + rng.normal(0, 0.5, m), 1, 7
    )
    table["overall_satisfaction"] = _likert(4.9 + 1.1 * overall + rng.normal(0, 0.5, m), 1, 7)
    attitude_shift = np.where(seg == cfg.latent_segment_names.index("value_seeker"), -0.4, 0.0)
    table["relative_attitude"] = _likert(4.2 + 0.9 * s + attitude_shift + rng.normal(0, 0.8, m), 1, 7)
    table["recommend"] = _likert(6.5 + 1.6 * s + rng.normal(0, 1.2, m), 0, 10)
    return pd.DataFrame(table).sort_values(["survey_date", "customer_id"]).reset_index(drop=True)


def _web_events_table(
    cfg: DemoConfig, rng: np.random.Generator, cal: dict, pop: dict, drop: dict
) -> pd.DataFrame:
    """Sessions of 2024 and the funnel stages each one reached."""
    first_day = _day_index(cfg, cfg.web_start)
    days = np.arange(first_day, cfg.n_days)
    weight = cal["weight"][days]
    base_day = rng.choice(days, size=cfg.web_base_sessions, p=weight / weight.sum())
    base_channel = rng.choice(len(cfg.traffic_channels), size=cfg.web_base_sessions, p=cfg.traffic_shares)
    parts_day, parts_channel, parts_campaign = (
        [base_day],
        [base_channel],
        [np.full(cfg.web_base_sessions, -1)],
    )
    for k, campaign in enumerate(cfg.campaigns):
        extra, channels = campaign[6], campaign[5]
        if not extra:
            continue
        lo, hi = _day_index(cfg, campaign[1]), _day_index(cfg, campaign[2])
        parts_day.append(rng.integers(lo, hi + 1, size=extra))
        parts_channel.append(rng.choice([cfg.traffic_channels.index(c) for c in channels], size=extra))
        parts_campaign.append(np.full(extra, k))
    day = np.concatenate(parts_day)
    channel = np.concatenate(parts_channel)
    campaign = np.concatenate(parts_campaign)
    hour = rng.choice(24, size=len(day), p=np.array(cfg.web_hour_weights) / sum(cfg.web_hour_weights))
    start = day + (hour + rng.random(len(day))) / 24.0
    order = np.argsort(start, kind="stable")
    day, channel, campaign, start = day[order], channel[order], campaign[order], start[order]
    n = len(day)

    # Known customers: up to three candidates (weighted by purchase rate), first eligible.
    dead = drop["attrition"] | drop["by_ticket"]
    end_day = np.where(dead, drop["day"], np.inf)
    weights = np.where(pop["never_buys"], 0.05, pop["lam"] + 0.02)
    customer = np.full(n, -1)
    wants_known = rng.random(n) < cfg.known_session_share
    for _ in range(3):
        candidate = rng.choice(cfg.n_customers, size=n, p=weights / weights.sum())
        ok = wants_known & (customer < 0) & (pop["signup"][candidate] <= day) & (end_day[candidate] >= day)
        customer[ok] = candidate[ok]
    known = customer >= 0

    # Funnel: stage-continuation probabilities per channel x campaign.
    stage_p = np.array([cfg.funnel[c] for c in cfg.traffic_channels])[channel]
    multipliers = np.array([c[7] or (1.0, 1.0, 1.0) for c in cfg.campaigns] + [(1.0, 1.0, 1.0)])
    stage_p = stage_p * multipliers[campaign]
    stage_p[known, 2] *= cfg.known_purchase_factor
    stage_p = np.minimum(stage_p, 0.95)
    passed = rng.random((n, 3)) < stage_p
    reached = 1 + np.cumprod(passed, axis=1).sum(axis=1)  # number of stages reached

    session = np.repeat(np.arange(n), reached)
    stage = _rank_within(session)
    gaps = rng.exponential(cfg.stage_gap_seconds, size=(n, 3))
    offsets = np.c_[np.zeros(n), np.cumsum(gaps, axis=1)]
    stamp = start[session] + offsets[session, stage] / 86400.0
    campaign_names = np.array([c[0] for c in cfg.campaigns] + [None], dtype=object)
    customer_ids = np.where(known, _ids("C", np.maximum(customer, 0) + 1, 5), None)
    return pd.DataFrame(
        {
            "session_id": _ids("S", session + 1, 6),
            "customer_id": customer_ids[session],
            "timestamp": _day_to_timestamp(cfg, stamp),
            "channel": np.array(cfg.traffic_channels, dtype=object)[channel[session]],
            "campaign": campaign_names[campaign[session]],
            "event": np.array(cfg.funnel_stages, dtype=object)[stage],
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


def _staffing_plan(cfg: DemoConfig, load: np.ndarray, mu: float) -> np.ndarray:
    """Fewest agents meeting SERVICE_LEVEL for each planned load (Erlang C)."""
    target, seconds = cfg.service_level
    agents = np.maximum(np.floor(load).astype(int) + 1, 1)
    for _ in range(50):
        p_wait = _erlang_c(agents, load)
        level = 1 - p_wait * np.exp(-(agents * mu - load * mu) * seconds / 3600.0)
        short = level < target
        if not short.any():
            break
        agents = agents + short
    return agents


def _calls_table(
    cfg: DemoConfig, rng: np.random.Generator, pop: dict, drop: dict, tickets: pd.DataFrame
) -> pd.DataFrame:
    """Calls in Q4 2024: Poisson arrivals, Erlang C waits, abandonment."""
    first_day = _day_index(cfg, cfg.call_start)
    days = np.arange(first_day, cfg.n_days)
    hours = cfg.call_open_hour + np.arange(len(cfg.call_hour_weights))
    hour_share = np.array(cfg.call_hour_weights) / sum(cfg.call_hour_weights)
    dates = cfg.window_start + pd.to_timedelta(days, unit="D")
    day_factor = np.array(cfg.call_dow_factor)[dates.dayofweek.to_numpy()]
    peak = (dates >= pd.Timestamp(cfg.call_peak[0])) & (dates <= pd.Timestamp(cfg.call_peak[1]))
    day_factor = day_factor * np.where(peak, cfg.call_peak[2], 1.0)
    rate = cfg.calls_per_day * day_factor[:, None] * hour_share[None, :]  # calls per hour
    counts = rng.poisson(rate)
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    d_idx, h_idx = np.divmod(cell, len(hours))
    start = days[d_idx] + (hours[h_idx] + rng.random(len(cell))) / 24.0

    # Calls that open a phone ticket in the same quarter.
    phone = tickets[(tickets["channel"] == "phone") & (tickets["opened_at"] >= cfg.call_start)]
    t_start = (phone["opened_at"] - cfg.window_start).dt.total_seconds().to_numpy() / 86400.0
    t_customer = phone["customer_id"].to_numpy()
    t_id = phone["ticket_id"].to_numpy()

    # General callers: known customers who are signed up and not gone, or unidentified.
    n_general = len(start)
    dead = drop["attrition"] | drop["by_ticket"]
    end_day = np.where(dead, drop["day"], np.inf)
    candidate = rng.integers(0, cfg.n_customers, size=n_general)
    known = (
        (rng.random(n_general) < cfg.known_caller_share)
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
    mu = 3600.0 / cfg.mean_handle_seconds  # calls per agent-hour
    planned_load = cfg.calls_per_day * np.array(cfg.call_dow_factor)[:, None] * hour_share[None, :] / mu
    agents = _staffing_plan(cfg, planned_load, mu)  # weekday x hour
    day_of_call = np.floor(all_start).astype(int)
    hour_of_call = np.clip(
        np.floor((all_start - day_of_call) * 24).astype(int) - cfg.call_open_hour, 0, len(hours) - 1
    )
    lam = rate[day_of_call - first_day, hour_of_call]
    weekday = (cfg.window_start + pd.to_timedelta(day_of_call, unit="D")).dayofweek.to_numpy()
    c = agents[weekday, hour_of_call]
    load = np.minimum(lam / mu, cfg.max_utilisation * c)
    p_wait = _erlang_c(c, load)
    mean_wait = 3600.0 / (c * mu - load * mu)
    waits = np.where(rng.random(n) < p_wait, rng.exponential(1.0, n) * mean_wait, 0.0)
    patience = rng.exponential(cfg.mean_patience_seconds, n)
    is_ticket = pd.notna(ticket_id)
    abandoned = (waits > patience) & ~is_ticket
    handle = cfg.mean_handle_seconds * np.exp(rng.normal(-(cfg.handle_sigma**2) / 2, cfg.handle_sigma, n))
    handle = handle * np.where(is_ticket, 1.3, 1.0)
    outcome = np.array(cfg.call_outcomes, dtype=object)[
        rng.choice(len(cfg.call_outcomes), size=n, p=cfg.call_outcome_shares)
    ]
    outcome[is_ticket] = "ticket_opened"
    outcome[abandoned] = "abandoned"
    return pd.DataFrame(
        {
            "call_id": _ids("K", np.arange(1, n + 1), 5),
            "customer_id": customer,
            "ticket_id": ticket_id,
            "call_start": _day_to_timestamp(cfg, all_start),
            "wait_seconds": np.rint(np.where(abandoned, patience, waits)).astype(int),
            "handle_seconds": np.where(abandoned, 0, np.rint(handle)).astype(int),
            "outcome": outcome,
        }
    )


def _opportunities_table(cfg: DemoConfig, rng: np.random.Generator, pop: dict) -> pd.DataFrame:
    business = np.flatnonzero(pop["latent_segment"] == cfg.business)
    kind = np.where(
        pop["key"][business], "key", np.where(pop["never_buys"][business], "never_buys", "business")
    )
    counts = rng.poisson([cfg.opportunities_per_account[k] for k in kind])
    counts[kind == "key"] = np.maximum(counts[kind == "key"], 1)
    owner = np.repeat(business, counts)
    okind = np.repeat(kind, counts)
    m = len(owner)
    lo = np.maximum(pop["signup"][owner] - 90, 0)
    created = np.floor(lo + rng.random(m) * (cfg.n_days - lo)).astype(int)
    cycle = np.maximum(7, np.rint(rng.gamma(*cfg.sales_cycle_gamma, size=m))).astype(int)
    closes = created + cycle
    closed = closes < cfg.n_days
    won = rng.random(m) < np.array([cfg.win_probability[k] for k in okind])
    progress = np.clip((cfg.n_days - created) / cycle, 0, 0.999)
    stage = np.where(closed, np.where(won, 4, 5), np.floor(progress * 4).astype(int))
    value = np.array([cfg.opportunity_value_median[k] for k in okind]) * np.exp(
        rng.normal(0, cfg.opportunity_value_sigma, m)
    )
    value = (np.round(value / 100.0) * 100).astype(int)
    manager = np.where(
        okind == "key",
        1 + owner % cfg.n_key_account_managers,
        1 + cfg.n_key_account_managers + rng.integers(0, cfg.n_sales_reps, m),
    )
    focus = rng.choice(
        len(cfg.categories), size=m, p=np.array(cfg.latent_segments["business_account"]["categories"])
    )
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
    close_dates = pd.Series(_day_to_date(cfg, frame["closes"].to_numpy()))
    return pd.DataFrame(
        {
            "opportunity_id": _ids("OP", np.arange(1, m + 1), 4),
            "customer_id": _ids("C", frame["owner"].to_numpy() + 1, 5),
            "created_date": _day_to_date(cfg, frame["created"].to_numpy()),
            "stage": np.array(cfg.opportunity_stages, dtype=object)[frame["stage"].to_numpy()],
            "probability": np.array(cfg.stage_probability)[frame["stage"].to_numpy()],
            "expected_value": frame["value"].to_numpy(),
            "product_focus": np.array(cfg.categories, dtype=object)[frame["focus"].to_numpy()],
            "owner": _ids("REP", frame["manager"].to_numpy(), 2),
            "close_date": close_dates.where(frame["closed"].to_numpy()),
            "expected_close_date": close_dates.where(~frame["closed"].to_numpy()),
        }
    )


def _opportunity_stages_table(cfg: DemoConfig, rng: np.random.Generator, deals: pd.DataFrame) -> pd.DataFrame:
    """The stages each opportunity entered, with the day: the open stages in order, spread evenly
    over the deal's cycle (created to close, or to the expected close of an open deal), then
    closed_won or closed_lost on the close date. A lost deal is lost in a stage drawn with
    ``cfg.opportunity_loss_stage_shares``; a won deal passed all four open stages; an open deal
    has reached its current stage."""
    stages = np.array(cfg.opportunity_stages, dtype=object)
    n_open = len(cfg.opportunity_stages) - 2
    code = pd.Series(np.arange(len(stages)), index=stages)[deals["stage"]].to_numpy()
    won, lost = code == n_open, code == n_open + 1
    last_open = code.copy()  # the last open stage reached
    last_open[won] = n_open - 1
    last_open[lost] = rng.choice(n_open, size=int(lost.sum()), p=np.array(cfg.opportunity_loss_stage_shares))
    created = deals["created_date"].to_numpy()
    end = deals["close_date"].fillna(deals["expected_close_date"]).to_numpy()
    cycle_days = (end - created) / np.timedelta64(1, "D")
    # won and lost deals spread their open stages over the whole cycle; an open deal spends a
    # quarter of its expected cycle in each stage (so it has reached its current stage today)
    per_stage = np.where(won | lost, cycle_days / (last_open + 1), cycle_days / n_open)
    deal = np.repeat(np.arange(len(deals)), last_open + 1)
    step = np.arange(len(deal)) - np.repeat(np.cumsum(last_open + 1) - (last_open + 1), last_open + 1)
    entered = created[deal] + np.floor(step * per_stage[deal]).astype("timedelta64[D]")
    closed = np.flatnonzero(won | lost)
    frame = pd.DataFrame(
        {
            "deal": np.concatenate([deal, closed]),
            "order": np.concatenate([step, np.full(len(closed), n_open)]),
            "stage": np.concatenate([stages[step], stages[code[closed]]]),
            "entered_date": np.concatenate([entered, end[closed]]),
        }
    ).sort_values(["deal", "order"], kind="stable")
    return pd.DataFrame(
        {
            "opportunity_id": deals["opportunity_id"].to_numpy()[frame["deal"].to_numpy()],
            "stage": frame["stage"].to_numpy(),
            "entered_date": pd.to_datetime(frame["entered_date"].to_numpy()),
        }
    )


# ==========================================================================
# Marketing spend, category wallets, the retention campaign (chapters 07, 08)
# ==========================================================================
def _marketing_spend_table(cfg: DemoConfig, rng: np.random.Generator, pop: dict) -> pd.DataFrame:
    """Spend per month and acquisition channel (signups x true cost x noise), plus the web
    traffic bought by the 2024 campaigns (campaign sessions x cost per session)."""
    months = pd.date_range(cfg.window_start, cfg.observation_end, freq="MS")
    signup_month = _day_to_date(cfg, pop["signup"]).to_period("M").to_timestamp()
    rows = []
    for k, channel in enumerate(cfg.signup_channels):
        counts = pd.Series(signup_month[pop["channel"] == k]).value_counts().reindex(months, fill_value=0)
        noise = rng.lognormal(-(cfg.spend_noise**2) / 2, cfg.spend_noise, len(months))
        spend = counts.to_numpy() * cfg.acquisition_cost[channel] * noise
        rows.append(pd.DataFrame({"month": months, "channel": channel, "campaign": None, "spend": spend}))
    for name, first, _last, _, _, channels, sessions, _ in cfg.campaigns:
        if not channels:
            continue
        month = pd.Timestamp(first).to_period("M").to_timestamp()
        weights = np.array([cfg.traffic_shares[cfg.traffic_channels.index(c)] for c in channels])
        share = weights / weights.sum()
        noise = rng.lognormal(-(cfg.spend_noise**2) / 2, cfg.spend_noise, len(channels))
        for c, part, eps in zip(channels, share, noise, strict=True):
            cost = sessions * part * cfg.campaign_cost_per_session[c] * eps
            rows.append(pd.DataFrame({"month": [month], "channel": [c], "campaign": [name], "spend": [cost]}))
    table = pd.concat(rows, ignore_index=True)
    table = table[table["spend"] > 0].sort_values(["month", "channel", "campaign"], na_position="first")
    return table.reset_index(drop=True)


def _category_wallets_table(
    cfg: DemoConfig,
    rng: np.random.Generator,
    pop: dict,
    orders: pd.DataFrame,
    order_lines: pd.DataFrame,
    products: pd.DataFrame,
) -> pd.DataFrame:
    """Each customer who bought in ``wallet_year``: their spend per category at the firm and at
    every supplier (the wallet). A category they buy here gets a share of wallet drawn from
    their segment's Beta; one they do not may still be bought elsewhere."""
    year = orders[orders["order_date"].dt.year == cfg.wallet_year][["order_id", "customer_id"]]
    lines = order_lines.merge(year, on="order_id").merge(
        products[["product_id", "category"]], on="product_id"
    )
    here = lines.groupby(["customer_id", "category"])["revenue"].sum().unstack(fill_value=0.0)
    here = here.reindex(columns=list(cfg.categories), fill_value=0.0)
    number = here.index.str[1:].astype(int).to_numpy() - 1
    segment = pop["latent_segment"][number]
    names = cfg.latent_segment_names
    a = np.array([cfg.wallet_share[names[s]][0] for s in segment])[:, None]
    b = np.array([cfg.wallet_share[names[s]][1] for s in segment])[:, None]
    shape = here.shape
    share = rng.beta(np.broadcast_to(a, shape), np.broadcast_to(b, shape))
    preference = np.array([cfg.latent_segments[names[s]]["categories"] for s in segment])
    elsewhere = rng.random(shape) < np.minimum(cfg.wallet_elsewhere_prob * preference, 0.95)
    median, sigma = cfg.wallet_elsewhere_cny
    other = rng.lognormal(np.log(median), sigma, shape)
    spent = here.to_numpy()
    wallet = np.where(spent > 0, spent / np.maximum(share, 0.05), np.where(elsewhere, other, 0.0))
    table = pd.DataFrame(
        {
            "customer_id": np.repeat(here.index.to_numpy(), shape[1]),
            "category": np.tile(np.array(cfg.categories, dtype=object), shape[0]),
            "spend_here": spent.ravel(),
            "wallet": np.maximum(wallet, spent).ravel(),
        }
    )
    return table[table["wallet"] > 0].reset_index(drop=True)


def _retention_campaign_table(
    cfg: DemoConfig, rng: np.random.Generator, pop: dict, drop: dict, orders: pd.DataFrame
) -> pd.DataFrame:
    """A coupon sent at random to half of the lapsing repeat buyers, and whether each eligible
    customer bought in the next quarter. Whether they would have bought anyway follows their
    own purchase process (zero if they have left); the coupon adds a segment-specific effect,
    different between customers and zero for those who have left."""
    day = cfg.retention_campaign_date
    before = orders[orders["order_date"] <= day]
    per = before.groupby("customer_id")["order_date"].agg(["size", "max"])
    lapse = (day - per["max"]).dt.days
    low, high = cfg.retention_lapse_days
    eligible = per[(per["size"] >= cfg.retention_min_orders) & lapse.between(low, high)].index.sort_values()
    number = eligible.str[1:].astype(int).to_numpy() - 1
    dead = (drop["attrition"] | drop["by_ticket"])[number] | pop["never_buys"][number]
    weeks = cfg.retention_follow_up_weeks
    p_control = np.where(dead, 0.0, 1.0 - np.exp(-pop["lam"][number] * weeks))
    names = cfg.latent_segment_names
    mean = np.array([cfg.retention_uplift[names[s]][0] for s in pop["latent_segment"][number]])
    sd = np.array([cfg.retention_uplift[names[s]][1] for s in pop["latent_segment"][number]])
    uplift = np.where(dead, 0.0, rng.normal(mean, sd))
    uplift = np.clip(uplift, -p_control, 1.0 - p_control) + 0.0  # + 0.0: no negative zero
    treated = rng.random(len(eligible)) < cfg.retention_treated_share
    bought = rng.random(len(eligible)) < p_control + np.where(treated, uplift, 0.0)
    return pd.DataFrame(
        {
            "customer_id": eligible.to_numpy(),
            "group": np.where(treated, "coupon", "control").astype(object),
            "contact_date": pd.Timestamp(day).normalize(),
            "bought_next_quarter": bought,
            "true_p_without_coupon": p_control,
            "true_uplift": uplift,
        }
    )


def _contacts_table(cfg: DemoConfig, rng: np.random.Generator, pop: dict) -> pd.DataFrame:
    """A contact per customer: a name drawn from short lists (so names repeat, as real ones do),
    an e-mail at the reserved domain ``example.com`` and a phone number no network uses."""
    n = cfg.n_customers
    surname = np.array(cfg.contact_surnames, dtype=object)[rng.integers(0, len(cfg.contact_surnames), n)]
    given = np.array(cfg.contact_given_names, dtype=object)[rng.integers(0, len(cfg.contact_given_names), n)]
    number = np.arange(1, n + 1)
    name = given + " " + surname
    email = np.array(
        [
            f"{g.lower()}.{s.lower()}.{k:05d}@{cfg.contact_email_domain}"
            for g, s, k in zip(given, surname, number, strict=True)
        ],
        dtype=object,
    )
    phone = np.array(
        [
            f"{cfg.contact_phone_prefix} {k:04d} {d:04d}"
            for k, d in zip(number, rng.integers(0, 10_000, n), strict=True)
        ],
        dtype=object,
    )
    return pd.DataFrame({"customer_id": _ids("C", number, 5), "name": name, "phone": phone, "email": email})


# ==========================================================================
# Public API
# ==========================================================================
def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise DataError(f"seed must be a non-negative integer, got {seed!r} ({type(seed).__name__})")
    if seed < 0:
        raise DataError(f"seed must be a non-negative integer, got {seed}")
    return int(seed)


def generate_demo(seed: int | None = None, config: DemoConfig = DEMO) -> dict[str, pd.DataFrame]:
    """Generate every table of the demo company.

    Pure and deterministic: one ``numpy.random.default_rng(seed)`` is split
    into a child generator per stage; no clock, no network. The generative
    model is described in the module docstring; every number of it is a field
    of ``config``.

    Parameters
    ----------
    seed : int, optional
        Non-negative integer; default ``config.seed`` (``DEMO_SEED`` with the
        default configuration, which reproduces ``datasets/demo``).
    config : DemoConfig, default DEMO
        The model's numbers; ``dataclasses.replace(DEMO, ...)`` makes a variant.

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
    if not isinstance(config, DemoConfig):
        raise DataError(f"config must be a DemoConfig, got {type(config).__name__}")
    seed = _check_seed(config.seed if seed is None else seed)
    cfg = config
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
        # added later: new stages go at the end, so every earlier table stays as it was
        "spend",
        "wallets",
        "retention_campaign",
        "contacts",
        "opportunity_stages",
    )
    rngs = dict(zip(stages, np.random.default_rng(seed).spawn(len(stages)), strict=True))
    cal = _calendar(cfg)
    pop = _draw_customers(cfg, rngs["customers"], cal)
    purchases = _potential_purchases(cfg, rngs["purchases"], cal, pop)
    potential_tickets = _potential_tickets(cfg, rngs["tickets"], purchases, pop)
    drop = _dropout(cfg, rngs["dropout"], purchases, potential_tickets, pop)
    orders, order_lines = _orders(cfg, rngs["orders"], cal, pop, purchases, drop)
    tickets = _tickets_table(cfg, potential_tickets, drop)
    tables = {
        "customers": _customers_table(cfg, pop),
        "products": _products(cfg),
        "orders": orders,
        "order_lines": order_lines,
        "web_events": _web_events_table(cfg, rngs["web"], cal, pop, drop),
        "survey": _survey_table(cfg, rngs["survey"], pop, drop),
        "tickets": tickets,
        "calls": _calls_table(cfg, rngs["calls"], pop, drop, tickets),
        "opportunities": _opportunities_table(cfg, rngs["opportunities"], pop),
        "truth": _truth_table(cfg, pop, drop),
        "marketing_spend": _marketing_spend_table(cfg, rngs["spend"], pop),
        "category_wallets": _category_wallets_table(
            cfg, rngs["wallets"], pop, orders, order_lines, _products(cfg)
        ),
        "retention_campaign": _retention_campaign_table(cfg, rngs["retention_campaign"], pop, drop, orders),
        "contacts": _contacts_table(cfg, rngs["contacts"], pop),
    }
    tables["opportunity_stages"] = _opportunity_stages_table(
        cfg, rngs["opportunity_stages"], tables["opportunities"]
    )
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
    "spend": 2,
    "spend_here": 2,
    "wallet": 2,
    "true_p_without_coupon": 4,
    "true_uplift": 4,
}


# ==========================================================================
# Chinese names of the data's values
# ==========================================================================
#: The Chinese name of each English name the demo data holds: categories, product lines and
#: tiers, regions, the two parts of a contact's name (Ying Lin is 林颖) and of a company name (the firms are Chinese firms whose names
#: the English edition writes in pinyin and English: Xinghe Hospitality Co., Ltd. is
#: 星河酒店管理有限公司).
CHINESE_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "category": MappingProxyType(
            {
                "Coffee & Tea": "咖啡与茶",
                "Kitchen Appliances": "厨房电器",
                "Snacks": "休闲零食",
                "Baby & Kids": "母婴用品",
                "Home Cleaning": "家居清洁",
                "Personal Care": "个人护理",
                "Electronics": "数码电子",
                "Office Supplies": "办公用品",
            }
        ),
        "product_line": MappingProxyType(
            {
                "Coffee Beans": "咖啡豆",
                "Green Tea": "绿茶",
                "Coffee Machine": "咖啡机",
                "Blender": "料理机",
                "Mixed Nuts": "混合坚果",
                "Biscuits": "饼干",
                "Diapers": "纸尿裤",
                "Infant Formula": "婴儿配方奶粉",
                "Laundry Detergent": "洗衣液",
                "Paper Towels": "厨房纸巾",
                "Shampoo": "洗发水",
                "Skincare Set": "护肤套装",
                "Earphones": "耳机",
                "Power Bank": "充电宝",
                "Printer Paper": "打印纸",
                "Ink Cartridge": "墨盒",
            }
        ),
        "tier": MappingProxyType({"basic": "基础款", "standard": "标准款", "premium": "高端款"}),
        "region": MappingProxyType(
            {
                "East China": "华东",
                "South China": "华南",
                "North China": "华北",
                "Central China": "华中",
                "Southwest": "西南",
                "Northeast": "东北",
                "Northwest": "西北",
            }
        ),
        "company_prefix": MappingProxyType(
            {
                "Huaxin": "华鑫",
                "Jinfeng": "金丰",
                "Tianyu": "天宇",
                "Mingda": "明达",
                "Haorui": "浩瑞",
                "Xinghe": "星河",
                "Longteng": "龙腾",
                "Ruifeng": "瑞丰",
                "Baichuan": "百川",
                "Kaiyuan": "开元",
                "Hengtai": "恒泰",
                "Zhongke": "中科",
                "Yuanhang": "远航",
                "Jiahe": "嘉禾",
                "Shengshi": "盛世",
                "Lianchuang": "联创",
                "Fuxing": "复兴",
                "Dongsheng": "东升",
                "Qiming": "启明",
                "Anda": "安达",
                "Boya": "博雅",
                "Chengxin": "诚信",
                "Dingsheng": "鼎盛",
                "Guangyao": "光耀",
                "Weilai": "未来",
            }
        ),
        "contact_surname": MappingProxyType(
            {
                "Wang": "王",
                "Li": "李",
                "Zhang": "张",
                "Liu": "刘",
                "Chen": "陈",
                "Yang": "杨",
                "Huang": "黄",
                "Zhao": "赵",
                "Wu": "吴",
                "Zhou": "周",
                "Xu": "徐",
                "Sun": "孙",
                "Ma": "马",
                "Zhu": "朱",
                "Hu": "胡",
                "Guo": "郭",
                "He": "何",
                "Lin": "林",
                "Gao": "高",
                "Luo": "罗",
            }
        ),
        "contact_given_name": MappingProxyType(
            {
                "Wei": "伟",
                "Fang": "芳",
                "Na": "娜",
                "Min": "敏",
                "Jing": "静",
                "Lei": "磊",
                "Qiang": "强",
                "Yan": "艳",
                "Jie": "杰",
                "Tao": "涛",
                "Ming": "明",
                "Chao": "超",
                "Xiu": "秀",
                "Hua": "华",
                "Ping": "平",
                "Gang": "刚",
                "Hui": "慧",
                "Dan": "丹",
                "Yun": "云",
                "Bo": "波",
                "Lan": "兰",
                "Jun": "军",
                "Ying": "颖",
                "Xin": "欣",
                "Kai": "凯",
                "Rui": "瑞",
                "Yu": "宇",
                "Hao": "浩",
            }
        ),
        "company_industry": MappingProxyType(
            {
                "Trading": "贸易",
                "Technology": "科技",
                "Logistics": "物流",
                "Hospitality": "酒店管理",
                "Office Services": "办公服务",
                "Catering": "餐饮管理",
                "Education": "教育咨询",
                "Healthcare": "医疗健康",
                "Property Management": "物业管理",
                "Consulting": "企业咨询",
            }
        ),
    }
)
#: The file beside the tables that holds the Chinese name of every English name in them.
LABELS_FILE = "value_labels.csv"


def _chinese(kind: str, names: tuple) -> dict[str, str]:
    table = CHINESE_NAMES[kind]
    missing = [name for name in names if name not in table]
    if missing:
        raise DataError(f"CHINESE_NAMES[{kind!r}] has no Chinese name for {missing}")
    return {name: table[name] for name in names}


def value_labels(config: DemoConfig = DEMO) -> pd.DataFrame:
    """The Chinese name of every English name the demo tables hold, one row per name.

    What a Chinese table shows instead of the English value: product categories, product
    lines, product names (line and tier), regions, company names and contacts' names. Built from
    :data:`CHINESE_NAMES` and the names of ``config``, with no random draw, and written
    beside the tables as :data:`LABELS_FILE`; :func:`crmlib.labelled` reads it.

    Returns
    -------
    DataFrame
        Columns ``column`` (the column of the demo tables the name appears in), ``en`` and
        ``zh``.

    Raises
    ------
    DataError
        ``config`` not a DemoConfig; a name of ``config`` with no Chinese name in
        :data:`CHINESE_NAMES`.

    Examples
    --------
    >>> labels = value_labels().set_index("en")["zh"]
    >>> labels["Xinghe Hospitality Co., Ltd."], labels["Coffee Beans (Basic)"]
    ('星河酒店管理有限公司', '咖啡豆（基础款）')
    """
    if not isinstance(config, DemoConfig):
        raise DataError(f"config must be a DemoConfig, got {type(config).__name__}")
    cfg = config
    lines = _chinese("product_line", tuple(line[0] for line in cfg.product_lines))
    tiers = _chinese("tier", cfg.tiers)
    prefixes = _chinese("company_prefix", cfg.company_prefixes)
    industries = _chinese("company_industry", cfg.company_industries)
    rows = [("category", en, zh) for en, zh in _chinese("category", cfg.categories).items()]
    rows += [("product_line", en, zh) for en, zh in lines.items()]
    rows += [
        ("name", f"{line} ({tier.capitalize()})", f"{lines[line]}（{tiers[tier]}）")
        for line in lines
        for tier in cfg.tiers
    ]
    rows += [("region", en, zh) for en, zh in _chinese("region", cfg.regions).items()]
    rows += [
        ("company_name", f"{p} {i} Co., Ltd.", f"{prefixes[p]}{industries[i]}有限公司")
        for p in cfg.company_prefixes
        for i in cfg.company_industries
    ]
    surnames = _chinese("contact_surname", cfg.contact_surnames)
    given_names = _chinese("contact_given_name", cfg.contact_given_names)
    rows += [  # a contact's name: given name and surname in English, surname first in Chinese
        ("contact_name", f"{given} {surname}", f"{surnames[surname]}{given_names[given]}")
        for surname in cfg.contact_surnames
        for given in cfg.contact_given_names
    ]
    return pd.DataFrame(rows, columns=["column", "en", "zh"])


def write_demo(directory: str | Path, seed: int | None = None, config: DemoConfig = DEMO) -> list[Path]:
    """Write every table of :func:`generate_demo` as ``{table}.csv`` in ``directory``.

    The files are byte-stable: UTF-8, ``\\n`` line ends, no index, floats
    rounded per column, dates as ``YYYY-MM-DD`` and times as
    ``YYYY-MM-DD HH:MM:SS``.

    Parameters
    ----------
    directory : str or Path
        Folder to write into; created if missing.
    seed : int, optional
        Passed to :func:`generate_demo`; only ``DEMO_SEED`` gives the shipped files.
    config : DemoConfig, default DEMO
        Passed to :func:`generate_demo`.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`TABLES`, then :data:`LABELS_FILE`
        (:func:`value_labels`).
    """
    if directory is None or str(directory) == "":
        raise DataError("write_demo needs a directory to write the demo tables into")
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder} exists and is not a directory")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in generate_demo(seed, config).items():
        path = folder / f"{name}.csv"
        _format_for_csv(name, frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    labels = folder / LABELS_FILE
    value_labels(config).to_csv(labels, index=False, lineterminator="\n", encoding="utf-8")
    return [*written, labels]


def check_demo(directory: str | Path) -> list[str]:
    """Names of the CSV files in ``directory`` that differ from a fresh generation.

    Regenerates the tables in a temporary folder and compares byte by byte.
    Missing and extra ``.csv`` files count as differing; the data card
    ``README.md``, where there is one, differs when its model summary is not
    the one :func:`card_model_summary` writes; other files are ignored.

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
    differ = [
        name
        for name in names
        if name not in fresh or name not in shipped or shipped[name].read_bytes() != fresh[name]
    ]
    card = folder / "README.md"
    if card.exists():
        text = card.read_text(encoding="utf-8")
        if _card_with_summary(text) != text:
            differ.append("README.md")
    return differ


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
    card = args.out / "README.md"
    if card.exists():
        card.write_text(_card_with_summary(card.read_text(encoding="utf-8")), encoding="utf-8")
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(TABLES)} tables and {LABELS_FILE} ({total / 1e6:.1f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
