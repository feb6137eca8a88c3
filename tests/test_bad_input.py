"""Bad input never gets past crmlib's entry: a property-based walk over the whole public API.

Every public function and method of crmlib is found automatically (the same walk
as tests/test_typing.py) and called on a small valid example (``EXAMPLES`` below:
a new public function fails ``test_every_public_callable_has_a_valid_example``
until it has one). Then each argument in turn is replaced by bad values of its
kind, read from its type hint and its name: an empty or one-row table, a missing
column, text or NaN or infinity in a number column, numbers or time-zone-aware
times as dates, a duplicated index, NaN/inf/None/negative/fractional/huge
scalars, a garbage date. hypothesis draws the values, seeded and bounded.

Whatever the value, a call must either

- refuse it with a clear error of crmlib (``DataError``, or for a fit that data
  cannot identify ``ModelFitError``; an unknown glossary key or question id raise
  their own ``ValueError``/``LookupError`` subclasses), or
- handle it (a valid variant, such as a one-row table or a non-default index)
  and return a result without a NaN its docstring does not promise; where the
  value means the same as the valid one (a text or repeated index, the texts
  "True"/"False" for booleans, dates written as 20240131 or with a time zone),
  the same answer as with the valid value,

and never raise any other exception, never change its input, and never try to
allocate memory or time in proportion to a huge size parameter (each call runs
under a memory cap and a time cap: such an attempt shows up as a ``MemoryError``
or as "took more than 10 s").
"""

from __future__ import annotations

import copy
import functools
import importlib
import inspect
import math
import pkgutil
import resource
import signal
import warnings
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crmlib
from crmlib import (
    callcentre,
    crmdb,
    customer_base,
    datasets,
    lifecycle,
    models,
    pipeline,
    plots,
    privacy,
    profile,
    relationship,
    retention,
    satisfaction,
    segmentation,
    synthetic,
    transactions,
    value,
)
from crmlib.exercises import engine, registry
from crmlib.glossary import UnknownTermError
from crmlib.models import ModelFitError
from crmlib.validation import DataError

#: The errors a call may answer bad input with: crmlib's own, each with a sentence.
CLEAR_ERRORS = (DataError, ModelFitError, UnknownTermError, engine.UnknownQuestionError)


# ---------------------------------------------------------------------------- the small valid world
@functools.cache
def demo(table: str) -> pd.DataFrame:
    """A small slice of a demo table: the first 40 customers' rows (fast, and real)."""
    frame = crmlib.load_demo(table)
    if "customer_id" not in frame.columns or table == "customers":
        return frame.head(40).reset_index(drop=True) if table != "products" else frame
    keep = crmlib.load_demo("customers")["customer_id"].head(40)
    return frame[frame["customer_id"].isin(keep)].reset_index(drop=True)


@functools.cache
def cdnow() -> pd.DataFrame:
    """CDNOW purchases of 60 customers."""
    tx = crmlib.load_cdnow()
    return tx[tx["customer_id"].isin(tx["customer_id"].unique()[:60])].reset_index(drop=True)


@functools.cache
def calibration() -> pd.DataFrame:
    return transactions.calibration_holdout_split(
        cdnow(), datasets.CDNOW_CALIBRATION_END, datasets.CDNOW_HOLDOUT_END, duplicates="keep"
    )


def stages() -> pd.DataFrame:
    return lifecycle.lifecycle_stages(demo("orders"), demo("customers"), as_of=datasets.DEMO_OBSERVATION_END)


def durations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "duration_days": [30, 200, 400, 90, 700, 365, 120, 50],
            "lost": [True, False, True, True, False, True, False, True],
            "group": ["a", "a", "a", "a", "b", "b", "b", "b"],
        }
    )


def cashflows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": [0, 1, 2, 3],
            "revenue": [100.0, 120, 130, 110],
            "cost": [60.0, 50, 55, 50],
            "acquisition_cost": [80.0, 0, 0, 0],
        }
    )


def rfm() -> pd.DataFrame:
    return segmentation.rfm_scores(
        demo("orders"),
        date_col="order_date",
        amount_col="revenue",
        observation_end=datasets.DEMO_OBSERVATION_END,
        duplicates="keep",
    )


def features() -> pd.DataFrame:
    raw = segmentation.behaviour_features(demo("orders"), observation_end=datasets.DEMO_OBSERVATION_END)
    return segmentation.standardize(raw, ["orders", "recency_days"], log_columns=["orders"])


def labelled() -> pd.DataFrame:
    table = demo("orders").groupby("customer_id").agg(margin=("margin", "sum"), revenue=("revenue", "sum"))
    table["segment"] = np.where(np.arange(len(table)) % 2, "a", "b")
    table["cost"] = 10.0
    table["channel"] = np.where(np.arange(len(table)) % 3, "web", "store")
    table["score"] = np.arange(len(table)) % 7 + 1.0
    return table


def strategies() -> tuple[customer_base.Strategy, customer_base.Strategy]:
    return (
        customer_base.Strategy(
            "transaction_strategy", acquired=100, retention=0.5, margin=10, acquisition_cost=5
        ),
        customer_base.Strategy(
            "relationship_strategy",
            acquired=40,
            retention=0.8,
            margin=10,
            acquisition_cost=5,
            retention_cost=1,
        ),
    )


def scored() -> pd.DataFrame:
    """Twenty customers with a churn label, two scores, a value and a randomized coupon."""
    return pd.DataFrame(
        {
            "churned": [True, False, True, True, False, False, True, False, True, False] * 2,
            "churn_probability": np.linspace(0.05, 0.95, 20),
            "recency_only": np.arange(20, 0, -1) * 10.0,
            "value": np.linspace(100.0, 900.0, 20),
            "group": ["coupon", "control"] * 10,
            "bought": [True, False, False, True, True, False, False, False, True, True] * 2,
            "true_uplift": np.linspace(0.2, -0.05, 20),
        }
    )


def tables() -> dict[str, pd.DataFrame]:
    return {name: demo(name) for name in profile.TABLE_COLUMNS}


def open_deals() -> pd.DataFrame:
    deals = crmlib.load_demo("opportunities")
    return deals[deals["stage"].isin(pipeline.OPEN_STAGES)][
        ["probability", "expected_value", "expected_close_date"]
    ].reset_index(drop=True)


def quasi_table() -> pd.DataFrame:
    return (
        demo("customers").dropna(subset=["gender"])[["gender", "region", "city_tier"]].reset_index(drop=True)
    )


BGNBD = models.BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
PARETO = models.ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
SPEND = models.GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
BGBB = models.BGBB.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
SBG = retention.ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182)
RFT = {"frequency": [0, 2, 5], "recency": [0.0, 20.0, 30.0], "T": [38.0, 38.0, 36.0]}


@functools.cache
def fitted_models():
    """A Pareto/NBD and a Gamma-Gamma fitted on simulated data (their uncertainty needs a fit)."""
    d = models.simulate_pareto_nbd(np.full(2000, 39.0), r=0.55, alpha=10.6, s=0.61, beta=11.7, seed=2)
    buyers = d[d["frequency"] > 0]
    spend = models.simulate_gamma_gamma(buyers["frequency"], p=6.25, q=3.74, gamma=15.44, seed=2)
    return (
        models.ParetoNBD().fit(d["frequency"], d["recency"], d["T"]),
        models.GammaGamma().fit(buyers["frequency"].to_numpy(), spend["monetary"].to_numpy()),
    )


def one(**kwargs):
    return lambda: kwargs


def bound(method: Callable, **kwargs):
    return lambda: (method, kwargs)


#: A valid call of every public callable: keyword arguments (or a target and its keywords).
EXAMPLES: dict[str, Callable[[], Any]] = {
    # course, glossary, language, datasets
    "crmlib.course.chapters": one(),
    "crmlib.course.edition_root": one(lang="zh"),
    "crmlib.course.notebook_path": one(number="04", lang="en", kind="solution"),
    "crmlib.course.ten_c_map": one(),
    "crmlib.course.plot_ten_c_map": one(),
    "crmlib.glossary.bilingual": one(key="customer_retention"),
    "crmlib.glossary.define": one(key="customer_retention", lang="zh"),
    "crmlib.glossary.glossary_table": one(chapter="04", kind="concept"),
    "crmlib.glossary.term": one(key="customer_retention", lang="en"),
    "crmlib.language.bilingual_text": one(value={"en": "a", "zh": "一"}, where="test"),
    "crmlib.language.get_language": one(),
    "crmlib.language.half_width_punctuation": one(text="提示：请先汇总"),
    "crmlib.language.localize": one(value={"en": "a", "zh": "一"}, lang="zh"),
    "crmlib.language.message": one(key="exercise.correct", lang="en", qid="ch00.q1"),
    "crmlib.language.placeholders": one(template="{a} and {b}"),
    "crmlib.language.resolve": one(lang="en"),
    "crmlib.language.set_language": one(lang="en"),
    "crmlib.datasets.catalogue": one(),
    "crmlib.datasets.data_dir": one(),
    "crmlib.datasets.demo_tables": one(),
    "crmlib.datasets.demo_value_labels": one(),
    "crmlib.datasets.load_cdnow": one(sample=True),
    "crmlib.datasets.load_demo": one(table="products"),
    "crmlib.datasets.load_donations": one(),
    "crmlib.datasets.load_sbg_retention": one(),
    "crmlib.marketing_concepts.concept_table": one(name="crm_history", lang="en"),
    "crmlib.marketing_concepts.crm_history": one(),
    "crmlib.marketing_concepts.five_concepts": one(),
    "crmlib.marketing_concepts.transaction_vs_relationship": one(),
    "crmlib.marketing_concepts.plot_value_shift": one(),
    "crmlib.marketing_concepts.plot_crm_timeline": one(),
    # validation
    "crmlib.validation.describe_rows": one(index=[1, 2, 3], limit=2),
    "crmlib.validation.require_columns": lambda: {
        "data": cashflows(),
        "columns": ["period"],
        "name": "flows",
    },
    "crmlib.validation.require_frame": lambda: {"data": cashflows(), "name": "flows"},
    "crmlib.validation.require_no_missing": lambda: {
        "data": cashflows(),
        "column": "period",
        "what": "period",
    },
    "crmlib.validation.require_non_negative": lambda: {"values": cashflows()["cost"], "column": "cost"},
    "crmlib.validation.require_numeric": lambda: {"data": cashflows(), "column": "cost"},
    "crmlib.validation.to_date": one(value="2024-12-31", name="observation_end"),
    "crmlib.validation.require_number": one(value=0.5, name="rate", low=0.0, high=1.0),
    "crmlib.validation.require_count": one(value=3, name="periods", low=1, high=10),
    "crmlib.validation.require_choice": one(value="W", name="time_unit", options=["D", "W"]),
    "crmlib.validation.require_flag": one(value=True, name="share"),
    "crmlib.validation.require_text": one(value="customer_id", name="customer_col"),
    "crmlib.validation.require_unique_index": lambda: {"data": cashflows(), "name": "flows"},
    "crmlib.validation.require_unique_values": lambda: {
        "values": cashflows()["period"],
        "column": "period",
        "per": "period",
    },
    "crmlib.validation.to_numbers": one(values=[1.0, 2.0], name="values", low=0.0),
    "crmlib.validation.to_datetime_column": lambda: {"data": demo("orders"), "column": "order_date"},
    # transactions
    "crmlib.transactions.validate_transactions": lambda: {"transactions": cdnow(), "duplicates": "keep"},
    "crmlib.transactions.daily_transactions": lambda: {"transactions": cdnow(), "duplicates": "keep"},
    "crmlib.transactions.weekly_transactions": lambda: {"transactions": cdnow()},
    "crmlib.transactions.weekly_first_and_repeat": lambda: {"transactions": cdnow()},
    "crmlib.transactions.rfm_summary": lambda: {
        "transactions": cdnow(),
        "observation_end": "1998-06-30",
        "time_unit": "W",
        "duplicates": "keep",
    },
    "crmlib.transactions.calibration_holdout_split": lambda: {
        "transactions": cdnow(),
        "calibration_end": "1997-09-30",
        "holdout_end": "1998-06-30",
        "duplicates": "keep",
    },
    "crmlib.transactions.describe_rfm": lambda: {"summary": calibration(), "decimals": 3},
    "crmlib.transactions.plot_transactions_per_week": lambda: {
        "transactions": cdnow(),
        "calibration_end": "1997-09-30",
        "first_and_repeat": True,
    },
    # customer base
    "crmlib.customer_base.Strategy.__init__": lambda: (
        customer_base.Strategy,
        {
            "name": "transaction_strategy",
            "acquired": 100.0,
            "retention": 0.5,
            "margin": 10.0,
            "acquisition_cost": 5.0,
            "retention_cost": 0.0,
            "initial": 0.0,
        },
    ),
    "crmlib.customer_base.Strategy.churn": lambda: (lambda: strategies()[0].churn, {}),
    "crmlib.customer_base.Strategy.label": lambda: (lambda: strategies()[0].label, {}),
    "crmlib.customer_base.Strategy.with_": lambda: (strategies()[0].with_, {"retention": 0.6}),
    "crmlib.customer_base.simulate_base": lambda: {"strategy": strategies()[0], "periods": 5},
    "crmlib.customer_base.steady_state_base": lambda: {"strategy": strategies()[0]},
    "crmlib.customer_base.steady_state_profit": lambda: {"strategy": strategies()[0]},
    "crmlib.customer_base.compare": lambda: {"strategies": list(strategies()), "periods": 5},
    "crmlib.customer_base.cohort_composition": lambda: {"strategy": strategies()[0], "periods": 5},
    "crmlib.customer_base.breakeven_retention": lambda: dict(
        zip(("transaction", "relationship"), strategies(), strict=True)
    ),
    "crmlib.customer_base.crossover_period": lambda: {
        "comparison": customer_base.compare(list(strategies()), 10),
        "leader": "transaction_strategy",
        "challenger": "relationship_strategy",
    },
    "crmlib.customer_base.profit_advantage_grid": lambda: {
        **dict(zip(("transaction", "relationship"), strategies(), strict=True)),
        "retention_rates": [0.6, 0.8],
        "retention_costs": [0.0, 1.0],
    },
    "crmlib.customer_base.plot_bucket": lambda: {"strategy": strategies()[0], "periods": 5},
    "crmlib.customer_base.plot_strategies": lambda: {
        "comparison": customer_base.compare(list(strategies()), 5)
    },
    "crmlib.customer_base.plot_profit_advantage": lambda: {
        "grid": customer_base.profit_advantage_grid(
            *strategies(), retention_rates=[0.6, 0.8], retention_costs=[0.0, 1.0]
        )
    },
    # relationship
    "crmlib.relationship.Payoffs.__init__": lambda: (
        relationship.Payoffs,
        {"temptation": 5.0, "reward": 3.0, "punishment": 1.0, "sucker": 0.0},
    ),
    "crmlib.relationship.Payoffs.of": lambda: (
        relationship.AXELROD.of,
        {"mine": np.array([True, False]), "theirs": np.array([True, True])},
    ),
    "crmlib.relationship.play": one(a="tit_for_tat", b="always_defect", rounds=5, noise=0.0),
    "crmlib.relationship.one_shot_table": one(),
    "crmlib.relationship.critical_continuation": one(),
    "crmlib.relationship.shadow_of_the_future": one(continuation=[0.2, 0.6]),
    "crmlib.relationship.matches": one(strategies=["tit_for_tat", "always_defect"], rounds=5, noise=0.0),
    "crmlib.relationship.tournament": one(strategies=["tit_for_tat", "always_defect"], rounds=5, noise=0.0),
    "crmlib.relationship.plot_shadow_of_the_future": one(max_continuation=0.8),
    "crmlib.relationship.plot_tournament": lambda: {
        "one_shot": relationship.tournament(rounds=1),
        "repeated": relationship.tournament(rounds=5),
    },
    "crmlib.relationship.plot_six_markets": one(),
    "crmlib.relationship.plot_key_account_model": one(),
    # profile
    "crmlib.profile.load_information_base": one(),
    "crmlib.profile.customer_profile": lambda: {
        "tables": tables(),
        "customer_id": "C00002",
        "observation_end": "2024-12-31",
    },
    "crmlib.profile.CustomerProfile.summary": lambda: (
        profile.customer_profile(tables(), "C00002").summary,
        {},
    ),
    "crmlib.profile.CustomerProfile.__init__": None,  # built by customer_profile, not by hand
    "crmlib.profile.customers_in_every_source": lambda: {"tables": tables(), "customer_type": "B2C"},
    "crmlib.profile.ten_c_indicators": lambda: {"tables": tables(), "year": 2024},
    "crmlib.profile.plot_ten_c_dashboard": lambda: {"indicators": profile.ten_c_indicators(tables())},
    # lifecycle
    "crmlib.lifecycle.StageRules.__init__": lambda: (
        lifecycle.StageRules,
        {
            "separation_days": 180,
            "lost_days": 365,
            "loyalty_orders": 4,
            "loyalty_tenure_days": 365,
            "engagement_days": 180,
        },
    ),
    "crmlib.lifecycle.lifecycle_stages": lambda: {
        "orders": demo("orders"),
        "customers": demo("customers"),
        "interactions": demo("web_events"),
        "as_of": "2024-12-31",
        "value_col": "revenue",
    },
    # buyers only: the harness turns every date column into numbers, which the NaT dates of
    # customers without orders (lifecycle_stages documents them) do not allow
    "crmlib.lifecycle.stage_summary": lambda: {
        "stages": lifecycle.lifecycle_stages(demo("orders"), as_of=datasets.DEMO_OBSERVATION_END),
        "by": "stage",
        "values": ["orders"],
    },
    "crmlib.lifecycle.new_and_returning": lambda: {
        "orders": demo("orders"),
        "value_col": "revenue",
        "freq": "Y",
    },
    "crmlib.lifecycle.visit_stages": lambda: {"events": demo("web_events")},
    "crmlib.lifecycle.cohort_table": lambda: {"transactions": cdnow(), "observation_end": "1998-06-30"},
    "crmlib.lifecycle.relationship_durations": lambda: {
        "transactions": cdnow(),
        "as_of": "1998-06-30",
        "lost_after_days": 180,
        "groups": pd.Series(["a", "b"] * 30, index=cdnow()["customer_id"].unique()),
    },
    "crmlib.lifecycle.survival_table": lambda: {
        "durations": durations(),
        "times": [100, 300],
        "by_group": True,
    },
    "crmlib.lifecycle.compare_survival": lambda: {"durations": durations()},
    "crmlib.lifecycle.plot_relationship_curve": one(),
    "crmlib.lifecycle.plot_stage_profile": lambda: {
        "summary": lifecycle.stage_summary(stages(), values=["orders"]),
        "column": "orders",
    },
    "crmlib.lifecycle.plot_cohort_heatmap": lambda: {  # four months of CDNOW: few columns to vary
        "table": lifecycle.cohort_table(cdnow()[cdnow()["date"] < "1997-05-01"]),
        "max_months": 4,
    },
    "crmlib.lifecycle.plot_survival": lambda: {"durations": durations(), "by_group": True},
    # retention
    "crmlib.models.sbg.ShiftedBetaGeometric.__init__": lambda: (retention.ShiftedBetaGeometric, {}),
    "crmlib.models.sbg.ShiftedBetaGeometric.fit": lambda: (
        retention.ShiftedBetaGeometric().fit,
        {"active": [1000, 631, 468, 382, 326]},
    ),
    "crmlib.models.sbg.ShiftedBetaGeometric.from_params": lambda: (
        retention.ShiftedBetaGeometric.from_params,
        {"alpha": 0.7, "beta": 1.2},
    ),
    "crmlib.models.sbg.ShiftedBetaGeometric.log_likelihood": bound(
        SBG.log_likelihood, active=[1000, 631, 468]
    ),
    "crmlib.models.sbg.ShiftedBetaGeometric.churn_probability": bound(SBG.churn_probability, t=[1, 2, 3]),
    "crmlib.models.sbg.ShiftedBetaGeometric.survival": bound(SBG.survival, t=[0, 1, 2]),
    "crmlib.models.sbg.ShiftedBetaGeometric.retention_rate": bound(SBG.retention_rate, t=[1, 2]),
    "crmlib.models.sbg.ShiftedBetaGeometric.expected_active": bound(
        retention.ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182, cohort_size=1000).expected_active,
        t=[0, 1, 2],
    ),
    "crmlib.models.sbg.ShiftedBetaGeometric.derl": bound(SBG.derl, discount_rate=0.1, renewals=[0, 1]),
    "crmlib.models.sbg.ShiftedBetaGeometric.discounted_expected_lifetime": bound(
        SBG.discounted_expected_lifetime, discount_rate=0.1
    ),
    "crmlib.models.sbg.ShiftedBetaGeometric.summary": lambda: (
        retention.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326]).summary,
        {},
    ),
    "crmlib.retention.naive_projection": one(
        active=[1000, 631, 468, 382, 326], horizon=8, kind="exponential"
    ),
    "crmlib.retention.projection_table": one(active=[1000, 631, 468, 382, 326, 290, 262], fit_periods=4),
    "crmlib.retention.plot_projection": lambda: {
        "table": retention.projection_table([1000, 631, 468, 382, 326, 290, 262], fit_periods=4)
    },
    # value
    "crmlib.value.clv_table": lambda: {"cashflows": cashflows(), "discount_rate": 0.1},
    "crmlib.value.clv": lambda: {"cashflows": cashflows(), "discount_rate": 0.1},
    "crmlib.glossary.labelled": one(table=pd.Series([3, 5], index=["champions", "lost"])),
    "crmlib.models.gamma_gamma.GammaGamma.average_spend_density": bound(
        SPEND.average_spend_density, average_spend=[20.0, 35.0], frequency=[1, 4]
    ),
    "crmlib.models.gamma_gamma.spend_independence_check": one(
        frequency=[1, 2, 3, 4, 5], monetary=[30.0, 25.0, 31.0, 28.0, 26.0]
    ),
    "crmlib.value.heterogeneity_gap": lambda: {
        "model": SBG,
        "customers_by_renewals": pd.Series([100, 60, 40], index=[0, 1, 2]),
        "margin": 1.0,
        "discount_rate": 0.1,
    },
    "crmlib.models.diagnostics.holdout_comparison": lambda: {
        "models": {"BG/NBD": BGNBD},
        "summary": pd.DataFrame(
            {
                "frequency": [0, 2],
                "recency": [0.0, 30.0],
                "T": [39.0, 39.0],
                "frequency_holdout": [0, 1],
                "duration_holdout": [39.0, 39.0],
            }
        ),
    },
    "crmlib.models.diagnostics.p_alive_check": lambda: {
        "model": BGNBD,
        "summary": pd.DataFrame(
            {
                "frequency": [0, 2, 1],
                "recency": [0.0, 30.0, 3.0],
                "T": [39.0] * 3,
                "frequency_holdout": [0, 1, 0],
            }
        ),
        "bins": 2,
    },
    "crmlib.value.iso_value_table": lambda: {
        "transaction_model": PARETO,
        "spend_model": SPEND,
        "frequency": [1, 4],
        "recency": [10.0, 30.0],
        "T": 39.0,
        "average_spend": 35.0,
        "discount_rate": 0.15,
        "period_length": 52,
    },
    "crmlib.value.residual_value_interval": lambda: {
        "transaction_model": fitted_models()[0],
        "spend_model": fitted_models()[1],
        **RFT,
        "monetary": [0.0, 30.0, 45.0],
        "discount_rate": 0.15,
        "period_length": 52,
        "margin": 0.3,
        "n_draws": 20,
    },
    "crmlib.models.uncertainty.parameter_draws": lambda: {"model": fitted_models()[1], "n_draws": 5},
    "crmlib.value.break_even_period": lambda: {"table": value.clv_table(cashflows(), discount_rate=0.1)},
    "crmlib.value.retention_clv": one(margin=100.0, retention=0.8, discount_rate=0.1, periods=5),
    "crmlib.value.retention_for_clv": one(target_clv=400.0, margin=100.0, discount_rate=0.1),
    "crmlib.value.clv_sensitivity": one(margin=100.0, retention_rates=[0.5, 0.8], discount_rates=[0.1]),
    "crmlib.value.lorenz_curve": one(values=[1.0, 5.0, 2.0, 8.0]),
    "crmlib.value.gini": one(values=[1.0, 5.0, 2.0, 8.0]),
    "crmlib.value.top_share": one(values=[1.0, 5.0, 2.0, 8.0], top=0.25),
    "crmlib.value.value_per_customer": lambda: {"data": demo("orders"), "value_col": "margin"},
    "crmlib.value.value_concentration": lambda: {"data": demo("orders"), "value_col": "margin"},
    "crmlib.value.cohort_margin_table": lambda: {
        "customers": demo("customers"),
        "orders": demo("orders"),
        "cohort_start": "2022-01-01",
        "cohort_end": "2022-03-31",
        "periods": 4,
    },
    "crmlib.value.retention_clv_widget": one(margin=100.0, retention=0.8, discount_rate=0.1),
    "crmlib.value.plot_clv_table": lambda: {"table": value.clv_table(cashflows(), discount_rate=0.1)},
    "crmlib.value.plot_retention_sensitivity": one(
        margin=100.0, retention_rates=[0.2, 0.8], discount_rates=[0.1]
    ),
    "crmlib.value.plot_lorenz": one(curves={"a": [1.0, 2.0, 9.0]}),
    "crmlib.value.plot_iso_value": lambda: {
        "table": crmlib.value.iso_value_table(
            PARETO,
            SPEND,
            frequency=[1, 4],
            recency=[10.0, 30.0],
            T=39.0,
            average_spend=35.0,
            discount_rate=0.15,
            period_length=52,
        )
    },
    # models
    "crmlib.models.bgnbd.BGNBD.fit": lambda: (
        models.BGNBD().fit,
        {
            "frequency": calibration()["frequency"],
            "recency": calibration()["recency"],
            "T": calibration()["T"],
        },
    ),
    "crmlib.models.bgnbd.BGNBD.p_alive": bound(BGNBD.p_alive, **RFT),
    "crmlib.models.bgnbd.BGNBD.expected_purchases": bound(BGNBD.expected_purchases, t=10.0, **RFT),
    "crmlib.models.bgnbd.BGNBD.expected_purchases_new": bound(BGNBD.expected_purchases_new, t=[1.0, 10.0]),
    "crmlib.models.bgnbd.BGNBD.discounted_expected_transactions": bound(
        BGNBD.discounted_expected_transactions, discount_rate=0.15, period_length=52, **RFT
    ),
    "crmlib.models.pareto_nbd.ParetoNBD.fit": lambda: (
        models.ParetoNBD().fit,
        {
            "frequency": calibration()["frequency"],
            "recency": calibration()["recency"],
            "T": calibration()["T"],
        },
    ),
    "crmlib.models.pareto_nbd.ParetoNBD.p_alive": bound(PARETO.p_alive, **RFT),
    "crmlib.models.pareto_nbd.ParetoNBD.expected_purchases": bound(PARETO.expected_purchases, t=10.0, **RFT),
    "crmlib.models.pareto_nbd.ParetoNBD.expected_purchases_new": bound(
        PARETO.expected_purchases_new, t=[1.0, 10.0]
    ),
    "crmlib.models.pareto_nbd.ParetoNBD.discounted_expected_transactions": bound(
        PARETO.discounted_expected_transactions, discount_rate=0.15, period_length=52, **RFT
    ),
    "crmlib.models.gamma_gamma.GammaGamma.fit": lambda: (
        models.GammaGamma().fit,
        {"frequency": [1, 2, 3, 1, 4, 2], "monetary": [20.0, 35.0, 28.0, 15.0, 50.0, 22.0]},
    ),
    "crmlib.models.gamma_gamma.GammaGamma.expected_spend": bound(
        SPEND.expected_spend, frequency=[1, 3], monetary=[20.0, 40.0]
    ),
    "crmlib.models.gamma_gamma.GammaGamma.population_mean_": lambda: (lambda: SPEND.population_mean_, {}),
    "crmlib.models.bgbb.BGBB.fit": lambda: (
        models.BGBB().fit,
        {
            "frequency": crmlib.load_donations()["frequency"],
            "recency": crmlib.load_donations()["recency"],
            "n_periods": crmlib.load_donations()["periods"],
            "weights": crmlib.load_donations()["weights"],
        },
    ),
    "crmlib.models.bgbb.BGBB.p_alive": bound(
        BGBB.p_alive, frequency=[0, 3], recency=[0, 5], n_periods=[6, 6]
    ),
    "crmlib.models.bgbb.BGBB.expected_purchases": bound(
        BGBB.expected_purchases, n_future=5, frequency=[0, 3], recency=[0, 5], n_periods=[6, 6]
    ),
    "crmlib.models.bgbb.BGBB.discounted_expected_transactions": bound(
        BGBB.discounted_expected_transactions,
        discount_rate=0.1,
        frequency=[0, 3],
        recency=[0, 5],
        n_periods=[6, 6],
    ),
    "crmlib.models.diagnostics.repeat_transactions_tracking": lambda: {
        "model": BGNBD,
        "transactions": cdnow(),
        "calibration_end": "1997-09-30",
        "holdout_end": "1998-06-30",
        "duplicates": "keep",
    },
    "crmlib.models.diagnostics.conditional_expectations_by_frequency": lambda: {
        "model": BGNBD,
        "summary": calibration(),
        "max_frequency": 3,
    },
    "crmlib.models.simulate.simulate_bgnbd": one(T=[10.0, 20.0], r=0.5, alpha=5.0, a=0.8, b=2.5, seed=1),
    "crmlib.models.simulate.simulate_pareto_nbd": one(
        T=[10.0, 20.0], r=0.5, alpha=10.0, s=0.6, beta=12.0, seed=1
    ),
    "crmlib.models.simulate.simulate_gamma_gamma": one(frequency=[1, 3], p=6.0, q=4.0, gamma=15.0, seed=1),
    "crmlib.models.simulate.simulate_bgbb": one(
        n_customers=20, n_periods=6, alpha=1.2, beta=0.75, gamma=0.66, delta=2.8, seed=1
    ),
    "crmlib.models.diagnostics.plot_tracking": lambda: {
        "table": models.repeat_transactions_tracking(
            BGNBD, cdnow(), "1997-09-30", "1998-06-30", duplicates="keep"
        )
    },
    "crmlib.models.diagnostics.plot_frequency_check": lambda: {
        "table": models.conditional_expectations_by_frequency(BGNBD, calibration(), max_frequency=3)
    },
    # segmentation
    "crmlib.segmentation.quantile_scores": one(values=[5.0, 1.0, 3.0, 2.0, 4.0, 9.0], bins=3),
    "crmlib.segmentation.rfm_scores": lambda: {
        "transactions": demo("orders"),
        "date_col": "order_date",
        "amount_col": "revenue",
        "observation_end": "2024-12-31",
        "bins": 3,
        "duplicates": "keep",
    },
    "crmlib.segmentation.rfm_segment_rules": one(lang="en"),
    "crmlib.segmentation.rfm_segments": lambda: {"scores": rfm()},
    "crmlib.segmentation.segment_summary": lambda: {"table": segmentation.rfm_segments(rfm())},
    "crmlib.segmentation.standardize": lambda: {
        "data": segmentation.behaviour_features(demo("orders"), observation_end="2024-12-31"),
        "columns": ["orders", "recency_days"],
        "log_columns": ["orders"],
    },
    "crmlib.segmentation.choose_k": lambda: {
        "features": features(),
        "ks": [2, 3],
        "seed": 0,
        "sample_size": None,
    },
    "crmlib.segmentation.cluster": lambda: {"features": features(), "k": 2, "seed": 0},
    "crmlib.segmentation.cluster_profiles": lambda: {
        "data": labelled(),
        "labels": labelled()["segment"],
        "columns": ["margin", "revenue"],
    },
    "crmlib.segmentation.recovery": lambda: {"labels": labelled()["segment"], "truth": labelled()["channel"]},
    "crmlib.segmentation.differentiation": lambda: {
        "table": labelled(),
        "segment_col": "segment",
        "variables": ["margin", "revenue"],
    },
    "crmlib.segmentation.profitability": lambda: {
        "table": labelled(),
        "segment_col": "segment",
        "margin_col": "margin",
        "cost_col": "cost",
    },
    "crmlib.segmentation.feasibility": lambda: {
        "table": labelled(),
        "segment_col": "segment",
        "channel_col": "channel",
        "min_customers": 2,
        "min_reach": 0.5,
    },
    "crmlib.segmentation.satisfaction_matrix": lambda: {"survey": demo("survey"), "threshold": 5},
    "crmlib.segmentation.loyalty_matrix": lambda: {
        "table": labelled(),
        "attitude_col": "score",
        "patronage_col": "revenue",
        "attitude_threshold": 4,
        "patronage_threshold": 500.0,
    },
    "crmlib.segmentation.matrix_counts": lambda: {
        "table": segmentation.satisfaction_matrix(demo("survey")),
        "cell_col": "satisfaction_cell",
    },
    "crmlib.segmentation.behaviour_features": lambda: {
        "orders": demo("orders"),
        "observation_end": "2024-12-31",
    },
    "crmlib.segmentation.segmentation_variables": lambda: {
        "orders": demo("orders"),
        "customers": demo("customers"),
        "observation_end": "2024-12-31",
    },
    "crmlib.segmentation.criteria_variables": lambda: {
        "variables": segmentation.segmentation_variables(
            demo("orders"), demo("customers"), observation_end="2024-12-31"
        ),
        "orders": demo("orders"),
        "tickets": demo("tickets"),
    },
    "crmlib.segmentation.plot_rfm_map": lambda: {"segmented": segmentation.rfm_segments(rfm())},
    "crmlib.segmentation.plot_choose_k": lambda: {
        "table": pd.DataFrame({"k": [2, 3], "inertia": [10.0, 8.0], "silhouette": [0.2, 0.3]}),
        "criterion": "silhouette",
    },
    "crmlib.segmentation.plot_segment_shares": lambda: {
        "summary": segmentation.segment_summary(segmentation.rfm_segments(rfm()))
    },
    "crmlib.segmentation.plot_matrix": lambda: {
        "counts": segmentation.matrix_counts(
            segmentation.satisfaction_matrix(demo("survey")), "satisfaction_cell"
        ),
        "x_label": "relationship_satisfaction",
        "y_label": "product_satisfaction",
    },
    # satisfaction
    "crmlib.satisfaction.NPSResult.__init__": None,  # returned by nps, not built by hand
    "crmlib.satisfaction.attribute_gaps": lambda: {"survey": demo("survey"), "level": 0.95},
    # the outcome first: only the first 8 columns of a table get bad values
    "crmlib.satisfaction.derived_importance": lambda: {
        "survey": demo("survey")[["overall_satisfaction", *(f"perc_{a}" for a in satisfaction.ATTRIBUTES)]]
    },
    "crmlib.satisfaction.importance_performance": lambda: {
        "survey": demo("survey")[["overall_satisfaction", *(f"perc_{a}" for a in satisfaction.ATTRIBUTES)]]
    },
    "crmlib.satisfaction.online_drivers": lambda: {
        "survey": demo("survey")[
            ["overall_satisfaction", *demo("survey").columns.drop("overall_satisfaction")]
        ]
    },
    "crmlib.satisfaction.nps": one(scores=[10, 9, 8, 7, 6, 3, 10, 9], level=0.95),
    "crmlib.satisfaction.orders_after": lambda: {
        "events": demo("survey"),
        "orders": demo("orders"),
        "event_date_col": "survey_date",
        "window_days": 180,
    },
    "crmlib.satisfaction.orders_before": lambda: {
        "events": demo("survey"),
        "orders": demo("orders"),
        "event_date_col": "survey_date",
        "window_days": 365,
    },
    "crmlib.satisfaction.rate_by_level": lambda: {
        "table": pd.DataFrame({"g": ["x", "x", "y", "y", "y"], "y": [1, 0, 1, 1, 0]}),
        "level_col": "g",
        "outcome_col": "y",
        "level": 0.95,
    },
    "crmlib.satisfaction.complaint_outcomes": lambda: {
        "tickets": demo("tickets"),
        "orders": demo("orders"),
        "window_days": 180,
        "observation_end": "2024-12-31",
    },
    "crmlib.satisfaction.satisfaction_group": one(scores=[1, 4, 7]),
    "crmlib.satisfaction.recommender_group": one(scores=[0, 7, 10]),
    "crmlib.satisfaction.survey_outcomes": lambda: {  # the columns it reads, so that each gets bad values
        "survey": demo("survey")[["customer_id", "survey_date", "overall_satisfaction", "recommend"]],
        "orders": demo("orders"),
        "truth": demo("truth")[["customer_id", "alive_at_end"]],
    },
    "crmlib.satisfaction.online_share_before": lambda: {
        "events": demo("survey"),
        "orders": demo("orders"),
        "event_date_col": "survey_date",
    },
    "crmlib.satisfaction.order_outcomes": lambda: {
        "orders": demo("orders"),
        "window_days": 180,
        "observation_end": "2024-12-31",
    },
    "crmlib.satisfaction.plot_gaps": lambda: {"gaps": satisfaction.attribute_gaps(demo("survey"))},
    "crmlib.satisfaction.plot_ipa": lambda: {"table": satisfaction.importance_performance(demo("survey"))},
    "crmlib.satisfaction.plot_rate_by_level": lambda: {
        "table": satisfaction.rate_by_level(
            pd.DataFrame({"g": ["x", "x", "y", "y"], "y": [1, 0, 1, 0]}), "g", "y"
        ),
        "xlabel": "satisfaction_group",
        "ylabel": "share_still_customer",
    },
    # basket (chapter 08): the lines of the first 40 customers' orders
    "crmlib.basket.line_items": lambda: {
        "order_lines": crmlib.load_demo("order_lines").merge(demo("orders")[["order_id"]]).head(60),
        "orders": demo("orders"),
        "products": demo("products"),
    },
    "crmlib.basket.association_rules": lambda: {
        "lines": crmlib.basket.line_items(
            crmlib.load_demo("order_lines").merge(demo("orders")[["order_id"]]),
            demo("orders"),
            demo("products"),
        )[["order_id", "product_line", "category", "quantity"]],
        "basket_col": "order_id",
        "item_col": "product_line",
        "min_support": 0.01,
    },
    "crmlib.basket.next_best_offer": lambda: {
        "rules": pd.DataFrame(
            {
                "antecedent": ["machine", "beans", "beans"],
                "consequent": ["beans", "machine", "biscuits"],
                "baskets": [40, 40, 30],
                "confidence": [0.6, 0.3, 0.25],
                "lift": [3.2, 3.2, 1.9],
            }
        ),
        "owned": ["beans"],
        "top": 2,
        "score_col": "confidence",
    },
    "crmlib.basket.wallet_summary": lambda: {"wallets": demo("category_wallets"), "by": "category"},
    "crmlib.basket.tier_ladder": lambda: {
        "lines": crmlib.basket.line_items(
            crmlib.load_demo("order_lines").merge(demo("orders")[["order_id"]]),
            demo("orders"),
            demo("products"),
        )[["customer_id", "order_number", "tier_rank"]],
        "block": 2,
    },
    "crmlib.basket.ready_to_move_up": lambda: {
        "lines": crmlib.basket.line_items(
            crmlib.load_demo("order_lines").merge(demo("orders")[["order_id"]]),
            demo("orders"),
            demo("products"),
        )[["customer_id", "order_number", "tier_rank"]],
        "block": 3,
    },
    "crmlib.basket.plot_wallet_room": lambda: {
        "summary": crmlib.basket.wallet_summary(demo("category_wallets"), by="category")
    },
    "crmlib.basket.plot_tier_mix": lambda: {
        "mix": pd.DataFrame(
            {"basic": [0.4, 0.2], "standard": [0.4, 0.4], "premium": [0.2, 0.4]}, index=["1", "2-5"]
        )
    },
    # key accounts (chapter 08): the first 40 customers as accounts
    "crmlib.key_accounts.account_profit": lambda: {
        "accounts": demo("customers")[["customer_id", "customer_type"]],
        "orders": demo("orders"),
        "tickets": demo("tickets"),
        "calls": demo("calls"),
        "start": "2024-01-01",
        "end": "2024-12-31",
        "cost_per_order": 12.0,
        "cost_per_rep_order": 150.0,
        "cost_per_ticket": 80.0,
        "cost_per_call": 15.0,
    },
    "crmlib.key_accounts.abc_classes": lambda: {
        "table": crmlib.key_accounts.account_profit(
            demo("customers"),
            demo("orders"),
            demo("tickets"),
            demo("calls"),
            start="2024-01-01",
            end="2024-12-31",
        )[["revenue", "profit"]],
        "value_col": "profit",
        "a_share": 0.8,
        "b_share": 0.95,
    },
    "crmlib.key_accounts.StageRules.__init__": None,  # its fields are checked on construction
    "crmlib.key_accounts.stage_rules": one(lang="zh"),
    "crmlib.key_accounts.account_features": lambda: {
        "accounts": demo("customers")[["customer_id"]],
        "lines": crmlib.basket.line_items(
            crmlib.load_demo("order_lines").merge(demo("orders")[["order_id"]]),
            demo("orders"),
            demo("products"),
        ).merge(demo("orders")[["order_id", "channel"]])[
            ["customer_id", "order_id", "order_date", "channel", "revenue", "category"]
        ],
        "tickets": demo("tickets")[["customer_id", "opened_at"]],
        "calls": demo("calls")[["customer_id", "call_start"]],
        "opportunities": demo("opportunities")[["customer_id", "created_date", "stage", "close_date"]],
        "wallets": demo("category_wallets"),
        "as_of": "2024-12-31",
    },
    "crmlib.key_accounts.kam_stages": lambda: {
        "features": crmlib.key_accounts.account_features(
            demo("customers"),
            crmlib.basket.line_items(
                crmlib.load_demo("order_lines").merge(demo("orders")[["order_id"]]),
                demo("orders"),
                demo("products"),
            ).merge(demo("orders")[["order_id", "channel"]]),
            demo("tickets"),
            demo("calls"),
            demo("opportunities"),
            demo("category_wallets"),
            as_of="2024-12-31",
        )
    },
    "crmlib.key_accounts.plot_abc_curve": lambda: {
        "classes": crmlib.key_accounts.abc_classes(
            crmlib.key_accounts.account_profit(
                demo("customers"),
                demo("orders"),
                demo("tickets"),
                demo("calls"),
                start="2024-01-01",
                end="2024-12-31",
            )
        )[["cumulative_share", "abc_class"]]
    },
    # funnel (chapter 07)
    "crmlib.funnel.session_funnel": lambda: {
        "events": demo("web_events"),
        "orders": demo("orders"),
        "window_days": 30,
        "observation_end": "2024-12-31",
    },
    "crmlib.funnel.funnel_table": lambda: {
        "sessions": crmlib.funnel.session_funnel(demo("web_events"), demo("orders")),
        "by": "channel",
        "base": "previous",
        "level": 0.95,
    },
    "crmlib.funnel.acquisition_by_channel": lambda: {
        "customers": demo("customers"),
        "orders": demo("orders"),
        "spend": demo("marketing_spend"),
        "signup_start": "2022-01-01",
        "signup_end": "2022-03-31",
        "window_days": 365,
        "observation_end": "2024-12-31",
    },
    "crmlib.funnel.campaign_returns": lambda: {
        "orders": demo("orders"),
        "spend": pd.DataFrame({"campaign": ["double11_2024", "618_2024"], "spend": [9935.0, 5264.0]}),
        "sessions": crmlib.funnel.session_funnel(demo("web_events")),
        "window_days": 30,
        "observation_end": "2024-12-31",
    },
    "crmlib.funnel.ABComparison.__init__": None,  # returned by compare_conversion, not built by hand
    "crmlib.funnel.compare_conversion": lambda: {
        "table": demo("retention_campaign"),
        "group_col": "group",
        "outcome_col": "bought_next_quarter",
        "treatment": "coupon",
        "control": "control",
        "level": 0.95,
    },
    "crmlib.funnel.sample_size": one(baseline=0.1, lift=0.02, power=0.8, alpha=0.05),
    "crmlib.funnel.power_table": one(baseline=0.1, lifts=[0.02, 0.05], sizes=[1000, 4000], alpha=0.05),
    "crmlib.funnel.plot_funnel": lambda: {
        "table": crmlib.funnel.funnel_table(crmlib.funnel.session_funnel(demo("web_events"), demo("orders")))
    },
    "crmlib.funnel.plot_conversion": lambda: {
        "table": crmlib.funnel.funnel_table(
            crmlib.funnel.session_funnel(demo("web_events")), by="channel", base="visitor"
        ),
        "stage": "buyer",
    },
    "crmlib.funnel.plot_cost_per_stage": lambda: {
        "table": crmlib.funnel.acquisition_by_channel(
            demo("customers"), demo("orders"), demo("marketing_spend"), "2022-01-01", "2022-03-31"
        )
    },
    # churn (chapter 07)
    "crmlib.churn.churn_features": lambda: {
        "orders": demo("orders"),
        "cutoff": "2023-12-31",
        "tickets": demo("tickets"),
        "active_days": 365,
    },
    "crmlib.churn.churn_dataset": lambda: {
        "orders": demo("orders"),
        "cutoff": "2023-12-31",
        "horizon_days": 180,
        "tickets": demo("tickets"),
        "active_days": 365,
        "observation_end": "2024-12-31",
    },
    "crmlib.churn.churn_pipeline": one(C=1.0),
    "crmlib.churn.bgnbd_churn_score": lambda: {"orders": demo("orders"), "cutoff": "2023-12-31"},
    "crmlib.churn.score_table": lambda: {
        "table": scored(),
        "label_col": "churned",
        "score_cols": ["churn_probability", "recency_only"],
        "top": 0.2,
    },
    "crmlib.churn.calibration_table": lambda: {
        "table": scored(),
        "label_col": "churned",
        "prob_col": "churn_probability",
        "bins": 4,
        "level": 0.95,
    },
    "crmlib.churn.contact_value": lambda: {
        "table": scored(),
        "churn_col": "churn_probability",
        "value_col": "value",
        "save_rate": 0.2,
        "cost": 20.0,
    },
    "crmlib.churn.uplift_by_group": lambda: {
        "experiment": scored(),
        "score_col": "churn_probability",
        "group_col": "group",
        "outcome_col": "bought",
        "treatment": "coupon",
        "control": "control",
        "bins": 2,
        "truth_col": "true_uplift",
        "level": 0.95,
    },
    "crmlib.churn.compare_targeting": lambda: {
        "table": scored(),
        "score_cols": ["churn_probability"],
        "uplift_col": "true_uplift",
        "share": 0.3,
    },
    "crmlib.churn.plot_calibration": lambda: {
        "table": crmlib.churn.calibration_table(scored(), "churned", "churn_probability", bins=4)
    },
    "crmlib.churn.plot_gains": lambda: {
        "table": scored(),
        "label_col": "churned",
        "score_cols": ["churn_probability", "recency_only"],
    },
    "crmlib.churn.plot_uplift_by_group": lambda: {
        "table": crmlib.churn.uplift_by_group(
            scored(),
            "churn_probability",
            "group",
            "bought",
            "coupon",
            "control",
            bins=2,
            truth_col="true_uplift",
        )
    },
    # callcentre
    "crmlib.callcentre.erlang_b": one(traffic=10.0, agents=10),
    "crmlib.callcentre.erlang_c": one(traffic=10.0, agents=11),
    "crmlib.callcentre.service_level": one(traffic=10.0, agents=14, handling_time=180.0, target_wait=20.0),
    "crmlib.callcentre.average_speed_of_answer": one(traffic=10.0, agents=14, handling_time=180.0),
    "crmlib.callcentre.agents_needed": one(
        traffic=10.0, handling_time=180.0, target_wait=20.0, target_level=0.8
    ),
    "crmlib.callcentre.hourly_load": lambda: {"calls": demo("calls")},
    "crmlib.callcentre.staffing_plan": lambda: {
        "load": pd.DataFrame({"traffic": [1.5, 2.5, 0.0]}),
        "handling_time": 330.0,
        "target_wait": 20.0,
        "target_level": 0.8,
    },
    "crmlib.callcentre.plan_performance": lambda: {
        "plan": pd.DataFrame({"traffic": [1.5, 2.5], "agents": [3, 4]}),
        "handling_time": 330.0,
        "target_wait": 20.0,
    },
    "crmlib.callcentre.observed_service_level": lambda: {"calls": demo("calls"), "target_wait": 20.0},
    "crmlib.callcentre.plot_staffing": lambda: {
        "plans": {
            "normal_days": callcentre.staffing_plan(
                pd.DataFrame({"traffic": [1.0, 2.0]}, index=pd.Index([9, 10], name="hour")),
                handling_time=330.0,
            )
        }
    },
    "crmlib.callcentre.plot_service_level": lambda: {
        "observed": {"normal_days": callcentre.observed_service_level(demo("calls"))},
        "target_level": 0.8,
        "target_wait": 20.0,
    },
    # crmdb
    "crmlib.crmdb.open_crm": one(path=None, indexes=True),
    "crmlib.crmdb.create_indexes": lambda: {"connection": crmdb.open_crm(indexes=False)},
    "crmlib.crmdb.load_crm": lambda: {
        "connection": crmdb.open_crm(),
        "tables": {"customers": demo("customers"), "contacts": demo("contacts")},
    },
    "crmlib.crmdb.demo_crm": one(indexes=True),
    "crmlib.crmdb.table_counts": lambda: {"connection": crmdb.demo_crm()},
    "crmlib.crmdb.schema_summary": lambda: {"connection": crmdb.demo_crm()},
    "crmlib.crmdb.WriteAttempt.__init__": None,  # returned by try_write, not built by hand
    "crmlib.crmdb.refusal_meaning": one(reason="UNIQUE constraint failed: orders.order_id", lang="zh"),
    "crmlib.crmdb.try_write": lambda: {
        "connection": crmdb.open_crm(),
        "sql": "INSERT INTO contacts (customer_id, name, phone, email) VALUES (?, ?, ?, ?)",
        "params": ("C99999", "Lan Luo", "+86 000 0000 0000", "lan.luo@example.com"),
        "commit": False,
    },
    "crmlib.crmdb.customer_360": lambda: {"connection": crmdb.demo_crm(), "customer_id": "C00001"},
    "crmlib.crmdb.sql_cohort_table": lambda: {
        "transactions": demo("orders")[["customer_id", "order_date"]],
        "date_col": "order_date",
        "observation_end": datasets.DEMO_OBSERVATION_END,
        "share": True,
    },
    "crmlib.crmdb.sql_rfm_scores": lambda: {
        "transactions": demo("orders")[["customer_id", "order_date", "revenue"]],
        "date_col": "order_date",
        "amount_col": "revenue",
        "observation_end": datasets.DEMO_OBSERVATION_END,
        "bins": 5,
    },
    # pipeline
    "crmlib.pipeline.stage_win_rates": lambda: {"history": demo("opportunity_stages")},
    "crmlib.pipeline.win_rates": lambda: {
        "opportunities": crmlib.load_demo("opportunities").head(60)[["owner", "stage"]],
        "level": 0.95,
    },
    "crmlib.pipeline.forecast": lambda: {
        "deals": open_deals(),
        "n_sims": 200,
        "level": 0.9,
        "seed": 1,
    },
    "crmlib.pipeline.plot_forecast": lambda: {
        "forecasts": {"typed_in_probabilities": pipeline.forecast(open_deals(), n_sims=200)},
        "level": 0.9,
    },
    # privacy
    "crmlib.privacy.pseudonymize": lambda: {
        "table": demo("contacts"),
        "columns": ["name", "email"],
        "key": bytes(range(32)),
    },
    "crmlib.privacy.age_bands": lambda: {"ages": demo("customers")["age"].dropna(), "width": 10, "top": 60},
    "crmlib.privacy.KAnonymity.__init__": None,  # returned by k_anonymity, not built by hand
    "crmlib.privacy.class_sizes": lambda: {
        "table": quasi_table(),
        "quasi_identifiers": ["gender", "region", "city_tier"],
    },
    "crmlib.privacy.k_anonymity": lambda: {
        "table": quasi_table(),
        "quasi_identifiers": ["gender", "region", "city_tier"],
        "k": 2,
    },
    "crmlib.privacy.generalization_ladder": lambda: {
        "table": quasi_table(),
        "steps": {"fine": ["gender", "region", "city_tier"], "coarse": ["gender"]},
        "k": 2,
    },
    "crmlib.privacy.plot_generalization": lambda: {
        "ladder": privacy.generalization_ladder(
            quasi_table(), {"fine": ["gender", "region", "city_tier"], "coarse": ["gender"]}, k=2
        ),
        "k": 2,
    },
    # plots
    "crmlib.plots.set_style": one(),
    "crmlib.plots.grid_style": one(label_size=9),
    "crmlib.plots.new_figure": one(nrows=1, ncols=2),
    "crmlib.plots.finish": lambda: {"ax": plots.new_figure()[1], "title": "t", "source": "s"},
    "crmlib.plots.source_note": lambda: {"ax": plots.new_figure()[1], "text": "s"},
    "crmlib.plots.wrap_label": one(text="customer lifetime value", width=10),
    "crmlib.plots.figure_text": one(text="2 (66.7 %)"),
    "crmlib.plots.amount_axis": lambda: {"axis": plots.new_figure()[1].yaxis},
    # synthetic: generating a company takes seconds, so only its light functions are fuzzed
    "crmlib.synthetic.DemoConfig.__init__": None,
    "crmlib.synthetic.DemoConfig.business": lambda: (lambda: synthetic.DEMO.business, {}),
    "crmlib.synthetic.DemoConfig.latent_segment_names": lambda: (
        lambda: synthetic.DEMO.latent_segment_names,
        {},
    ),
    "crmlib.synthetic.DemoConfig.n_days": lambda: (lambda: synthetic.DEMO.n_days, {}),
    "crmlib.synthetic.describe_model": one(),
    "crmlib.synthetic.card_model_summary": one(),
    "crmlib.synthetic.value_labels": one(),
    "crmlib.synthetic.generate_demo": None,
    "crmlib.synthetic.write_demo": None,
    "crmlib.synthetic.check_demo": None,
    # exercises: check and evaluate are fuzzed with answers below; the constructors here
    "crmlib.exercises.engine.numeric": one(question_id="ch99.q1", expected=0.5, rel=0.01),
    "crmlib.exercises.engine.integer": one(question_id="ch99.q1", expected=3),
    "crmlib.exercises.engine.identifier": one(question_id="ch99.q1", expected=3),
    "crmlib.exercises.engine.choice": one(question_id="ch99.q1", correct="B", options="ABCD"),
    "crmlib.exercises.engine.text": one(question_id="ch99.q1", accepted=["recency"]),
    "crmlib.exercises.engine.frame": lambda: {"question_id": "ch99.q1", "expected": pd.DataFrame({"k": [1]})},
    "crmlib.exercises.engine.discussion": one(question_id="ch99.q1", checklist=[{"en": "a", "zh": "一"}]),
    "crmlib.exercises.engine.mistake": one(value=3, because={"en": "a", "zh": "一"}),
    "crmlib.exercises.engine.is_blank": one(answer=...),
    "crmlib.exercises.engine.normalize_text": one(value="Customer  Retention!"),
    "crmlib.exercises.engine.evaluate": lambda: {"question": engine.integer("ch99.q1", 3), "answer": 3},
    "crmlib.exercises.engine.CheckResult.__init__": None,
    "crmlib.exercises.engine.Mistake.__init__": None,
    "crmlib.exercises.engine.Mistake.value": lambda: (lambda: engine.mistake(3).value, {}),
    "crmlib.exercises.engine.Question.__init__": None,
    "crmlib.exercises.engine.Question.expected": lambda: (engine.integer("ch99.q1", 3).expected, {}),
    "crmlib.exercises.engine.Question.has_expected": lambda: (
        lambda: engine.integer("ch99.q1", 3).has_expected,
        {},
    ),
    "crmlib.exercises.registry.all_questions": one(),
    "crmlib.exercises.registry.chapters": one(),
    "crmlib.exercises.registry.reset_hints": one(question_id="ch00.q1"),
    "crmlib.exercises.registry.chapter_questions": one(chapter="ch00"),
    "crmlib.exercises.registry.questions_by_id": one(),
    "crmlib.exercises.registry.question": one(question_id="ch00.q1"),
    "crmlib.exercises.registry.check": one(question_id="ch00.q1", answer=3),
    "crmlib.exercises.engine.Mistake.value_for": lambda: (
        engine.mistake(3).value_for,
        {"params": {"days": 1}},
    ),
    "crmlib.exercises.engine.Question.has_variants": lambda: (
        lambda: engine.integer("ch99.q1", 3).has_variants,
        {},
    ),
    "crmlib.exercises.engine.Question.variant_of": lambda: (
        engine.integer("ch99.q1", 3, variants={"n": [3, 4]}).variant_of,
        {"student": "2024123456"},
    ),
    "crmlib.exercises.registry.Parameters.__init__": None,
    "crmlib.exercises.registry.parameters": one(question_id="ch03.q5"),
    "crmlib.exercises.registry.set_student": one(student_id="2024123456"),
    "crmlib.exercises.registry.student": one(),
}


def public_callables() -> dict[str, Callable]:
    """Every public function and method of crmlib (the banks' internals excepted)."""
    found = {}
    for info in pkgutil.walk_packages(crmlib.__path__, "crmlib."):
        if info.name.rsplit(".", 1)[-1].startswith("_") or ".banks." in info.name:
            continue
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", [n for n in vars(module) if not n.startswith("_")])
        for name in names:
            item = getattr(module, name)
            if getattr(item, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(item):
                found[f"{info.name}.{name}"] = item
            elif inspect.isclass(item):
                for attribute, member in vars(item).items():
                    if attribute.startswith("_") and attribute != "__init__":
                        continue
                    function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                    if isinstance(member, property):
                        function = member.fget
                    if inspect.isfunction(function):
                        found[f"{info.name}.{name}.{attribute}"] = function
    return found


PUBLIC = public_callables()


def test_every_public_callable_has_a_valid_example():
    missing = sorted(set(PUBLIC) - set(EXAMPLES))
    assert not missing, f"public callables without a valid example in EXAMPLES: {missing}"
    gone = sorted(set(EXAMPLES) - set(PUBLIC))
    assert not gone, f"EXAMPLES of callables that are no longer public: {gone}"


@functools.cache
def _made(name: str) -> tuple[Callable, dict[str, Any]]:
    made = EXAMPLES[name]()
    return made if isinstance(made, tuple) else (PUBLIC[name], made)


def valid_call(name: str) -> tuple[Callable, dict[str, Any]]:
    """The valid call of ``name``: its target and fresh copies of its arguments (built once)."""
    target, kwargs = _made(name)
    return target, {key: snapshot(value) for key, value in kwargs.items()}


# ---------------------------------------------------------------------------- bad values, by kind
def kind_of(parameter: inspect.Parameter) -> str | None:
    """What kind of value a parameter takes, from its type hint and its name."""
    hint = str(parameter.annotation)
    name = parameter.name
    if "DataFrame" in hint and "dict" not in hint:
        return "frame"
    if "Series" in hint and "Prediction" not in hint:
        return "series"
    if "DateLike" in hint:
        return "date"
    if "ArrayLike" in hint:
        return "array"
    if hint.startswith(("float", "int | float")) or hint in ("float | None",):
        return "number"
    if hint.startswith("int") or hint == "int | None":
        return "count"
    if hint.startswith("bool"):
        return "flag"
    if hint.startswith("str") and (name.endswith("_col") or name in ("column", "by", "segment_col")):
        return "column"
    if hint.startswith("str"):
        return "text"
    return None


def frame_variants(frame: pd.DataFrame) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [
        ("a list, not a table", frame.to_dict("records")),
        ("None", None),
        ("no rows", frame.iloc[0:0]),
        ("one row", frame.iloc[:1]),
    ]
    duplicated = frame.copy()
    duplicated.index = [0] * len(frame)
    out.append(("a duplicated index", duplicated))
    shifted = frame.copy()
    shifted.index = [f"r{i}" for i in range(len(frame))]
    out.append(("a text index", shifted))
    for column in frame.columns:
        out.append((f"no column {column!r}", frame.drop(columns=column)))
        values = frame[column]
        with_nan = frame.copy()
        with_nan[column] = values.astype(object).where(np.arange(len(frame)) != 0, None)
        out.append((f"a missing value in {column!r}", with_nan))
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            for label, bad in (("text", "1,234 yuan"), ("infinity", np.inf), ("a negative number", -5)):
                changed = frame.copy()
                changed[column] = values.astype(object) if label == "text" else values.astype(float)
                changed.loc[changed.index[0], column] = bad
                out.append((f"{label} in {column!r}", changed))
        if pd.api.types.is_datetime64_any_dtype(values) and values.notna().all():
            as_numbers = frame.copy()
            as_numbers[column] = values.dt.strftime("%Y%m%d").astype("int64")
            out.append((f"dates as numbers in {column!r}", as_numbers))
            aware = frame.copy()
            aware[column] = values.dt.tz_localize("Asia/Shanghai")
            out.append((f"time-zone-aware dates in {column!r}", aware))
        if values.dtype == bool:
            as_text = frame.copy()
            as_text[column] = values.map({True: "True", False: "False"})
            out.append((f"'True'/'False' texts in {column!r}", as_text))
    return out


def series_variants(series: pd.Series) -> list[tuple[str, Any]]:
    out = [("a list", series.tolist()), ("None", None), ("empty", series.iloc[0:0])]
    with_nan = series.astype(object).copy()
    with_nan.iloc[0] = None
    out.append(("a missing value", with_nan))
    duplicated = series.copy()
    duplicated.index = [0] * len(series)
    out.append(("a duplicated index", duplicated))
    return out


NUMBERS = [math.nan, math.inf, -math.inf, -1.0, "0.5", None, 1e12, True]
COUNTS = [-1, 0, 2.5, "3", None, 10**9, math.nan, True]
DATES = ["garbage", math.nan, pd.NaT, 20241231, pd.Timestamp("2024-12-31", tz="Asia/Shanghai"), 1.5]
ARRAYS = [[], ["a", "b"], [math.nan, 1.0], [math.inf], [[1.0, 2.0], [3.0, 4.0]], None, [-1.0, -2.0], "abc"]
FLAGS = ["yes", None, 2]
COLUMNS = ["no_such_column", 3, None]
TEXTS = ["nonsense", 3, None, ""]


def bad_values(kind: str, valid: Any) -> list[tuple[str, Any]]:
    if kind == "frame" and isinstance(valid, pd.DataFrame):
        return frame_variants(valid)
    if kind == "series" and isinstance(valid, pd.Series):
        return series_variants(valid)
    pools = {
        "number": NUMBERS,
        "count": COUNTS,
        "date": DATES,
        "array": ARRAYS,
        "flag": FLAGS,
        "column": COLUMNS,
        "text": TEXTS,
    }
    return [(repr(v)[:40], v) for v in pools.get(kind, [])]


# ---------------------------------------------------------------------------- running one call
def snapshot(value: Any) -> Any:
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=True)
    if isinstance(value, (list, dict, np.ndarray)):
        return copy.deepcopy(value)
    return value


def same(before: Any, after: Any, inside: bool = False) -> bool:
    """Whether an argument is as it was before the call (``inside`` a list or a dict: any value,
    compared by its repr when it is not a table or an array)."""
    if isinstance(before, pd.DataFrame):
        return (
            isinstance(after, pd.DataFrame)
            and before.equals(after)
            and list(before.columns) == list(after.columns)
            and before.index.names == after.index.names
        )
    if isinstance(before, pd.Series):
        return isinstance(after, pd.Series) and before.equals(after) and before.name == after.name
    if isinstance(before, np.ndarray):
        return np.array_equal(before, after, equal_nan=True)
    # item by item, not by one repr of the whole: a table's repr is slow, and shows only its corners
    if isinstance(before, dict):
        return (
            isinstance(after, dict)
            and list(before) == list(after)
            and all(same(before[key], after[key], inside=True) for key in before)
        )
    if isinstance(before, list):
        return (
            isinstance(after, list)
            and len(before) == len(after)
            and all(same(b, a, inside=True) for b, a in zip(before, after, strict=True))
        )
    return not inside or repr(before) == repr(after)


def has_nan(result: Any, carried: frozenset = frozenset()) -> bool:
    """Whether a result holds a NaN among its numbers (not counting the ``carried`` columns,
    which had missing values in the input and are passed through as they were)."""
    if isinstance(result, float):
        return math.isnan(result)
    if isinstance(result, pd.Series):
        result = result.to_frame()
    if isinstance(result, pd.DataFrame):
        result = result.drop(columns=[c for c in result.columns if c in carried])
        numbers = result.select_dtypes("number")
        if numbers.size and np.isnan(numbers.to_numpy(dtype=float)).any():
            return True
        # numbers kept in object columns (a Series of mixed values): any float NaN among them
        objects = result.select_dtypes("object").to_numpy().ravel()
        return any(isinstance(v, float) and math.isnan(v) for v in objects)
    if isinstance(result, np.ndarray) and result.dtype.kind == "f":
        return bool(np.isnan(result).any())
    return False


class TookTooLong(Exception):
    """A call ran past its time limit: a size parameter without a cap, most likely."""


class time_cap:
    """Stop one call after ``seconds``, so that a loop over a huge size parameter fails
    the test instead of hanging it."""

    def __init__(self, seconds: float = 10.0):
        self.seconds = seconds

    def _stop(self, signum, frame):
        raise TookTooLong(f"took more than {self.seconds:g} s")

    def __enter__(self):
        self.saved = signal.signal(signal.SIGALRM, self._stop)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.saved)


class memory_cap:
    """Cap the address space for one call, so that an attempt to allocate in proportion
    to a huge size parameter raises MemoryError instead of exhausting the machine."""

    def __init__(self, extra_bytes: int = 3 * 2**30):
        self.extra = extra_bytes

    def __enter__(self):
        self.saved = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
        limit = pages * resource.getpagesize() + self.extra
        hard = self.saved[1]
        resource.setrlimit(
            resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
        )

    def __exit__(self, *exc):
        resource.setrlimit(resource.RLIMIT_AS, self.saved)


def same_answer(first: Any, second: Any, passed_through: str | None = None) -> bool:
    """Whether two results give the same answer (row labels aside; figures and records not
    compared; a column ``passed_through`` unread from the input may keep the caller's form)."""
    if isinstance(first, pd.DataFrame) and isinstance(second, pd.DataFrame) and passed_through:
        first = first.drop(columns=[passed_through], errors="ignore")
        second = second.drop(columns=[passed_through], errors="ignore")
    if isinstance(first, (pd.DataFrame, pd.Series)) and isinstance(second, type(first)):
        if first.shape != second.shape:
            return False
        a, b = first.reset_index(drop=True), second.reset_index(drop=True)
        try:
            if isinstance(a, pd.DataFrame):
                pd.testing.assert_frame_equal(a, b, check_dtype=False, check_names=False, rtol=1e-9)
            else:
                pd.testing.assert_series_equal(a, b, check_dtype=False, check_names=False, rtol=1e-9)
        except AssertionError:
            return False
        return True
    if isinstance(first, np.ndarray) and isinstance(second, np.ndarray):
        return first.shape == second.shape and np.allclose(first, second, equal_nan=True)
    if isinstance(first, (int, float)) and isinstance(second, (int, float)):
        return math.isclose(first, second, rel_tol=1e-9) or (math.isnan(first) and math.isnan(second))
    return True


#: Bad values that mean the same as the valid ones: a call that accepts one must give the same
#: answer as with the valid value (or refuse it), or it read the data wrongly without a word.
SAME_MEANING = (
    "a text index",
    "a duplicated index",
    "'True'/'False' texts in",
    "dates as numbers in",
    "time-zone-aware dates in",
)


@functools.cache
def valid_result(name: str) -> Any:
    target, kwargs = valid_call(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = target(**kwargs)
    plt.close("all")
    return result


def outcome(target: Callable, kwargs: dict[str, Any], docstring: str) -> str | None:
    """None when the call behaves; otherwise what went wrong, in one line."""
    problem, _ = outcome_and_result(target, kwargs, docstring)
    return problem


def outcome_and_result(target: Callable, kwargs: dict[str, Any], docstring: str) -> tuple[str | None, Any]:
    before = {k: snapshot(v) for k, v in kwargs.items()}
    try:
        with warnings.catch_warnings(), memory_cap(), time_cap():
            warnings.simplefilter("ignore")
            result = target(**kwargs)
    except CLEAR_ERRORS:
        result = None
    except Exception as error:
        return f"raised {type(error).__name__}: {str(error)[:160]}", None
    finally:
        plt.close("all")
    changed = [k for k, v in kwargs.items() if not same(before[k], v)]
    if changed:
        return f"changed its input {changed}", result
    carried = frozenset(
        column
        for value in before.values()
        if isinstance(value, pd.DataFrame)
        for column in value.columns
        if value[column].isna().any()
    )
    if result is not None and has_nan(result, carried) and "NaN" not in docstring and "nan" not in docstring:
        return "returned a NaN its docstring does not mention", result
    return None, result


# ---------------------------------------------------------------------------- the properties
CASES = []
for _name in sorted(PUBLIC):
    if EXAMPLES.get(_name) is None:
        continue
    for _parameter in inspect.signature(PUBLIC[_name]).parameters.values():
        if _parameter.name in ("self", "cls") or _parameter.kind in (
            _parameter.VAR_POSITIONAL,
            _parameter.VAR_KEYWORD,
        ):
            continue
        _kind = kind_of(_parameter)
        if _kind is not None:
            CASES.append(pytest.param(_name, _parameter.name, _kind, id=f"{_name[7:]}:{_parameter.name}"))


@pytest.mark.parametrize(
    "name", sorted(n for n in PUBLIC if EXAMPLES.get(n) is not None), ids=lambda n: n[7:]
)
def test_the_valid_example_runs(name):
    target, kwargs = valid_call(name)
    problem = outcome(target, kwargs, PUBLIC[name].__doc__ or "")
    assert problem is None, f"{name}: the valid example {problem}"


def assert_behaves(name: str, parameter: str, label: str, bad: Any) -> None:
    target, fresh = valid_call(name)
    problem, result = outcome_and_result(target, {**fresh, parameter: bad}, PUBLIC[name].__doc__ or "")
    same_meaning = problem is None and result is not None and label.startswith(SAME_MEANING)
    column = label.rsplit(" in '", 1)[1].rstrip("'") if " in '" in label else None
    if same_meaning and not same_answer(valid_result(name), result, column):
        problem = "accepted it but answered differently from the same data without it"
    assert problem is None, f"{name}({parameter}={label}) {problem}"


@pytest.mark.parametrize(("name", "parameter", "kind"), CASES)
def test_bad_values_are_refused_clearly_or_handled(name, parameter, kind):
    """Every bad value of the argument's kind, one by one (the edge cases that matter)."""
    valid = valid_call(name)[1].get(parameter)
    candidates = bad_values(kind, valid)
    if not candidates:
        pytest.skip(f"no bad values of kind {kind} for this example")
    for label, bad in candidates:
        assert_behaves(name, parameter, label, bad)


#: What hypothesis draws for a number or a count: anything, including what no one would think of.
DRAWN = {
    "number": st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**12), 10**12)),
    "count": st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=True, allow_infinity=True)),
}
DRAWN_CASES = [case for case in CASES if case.values[2] in DRAWN]


@pytest.mark.parametrize(("name", "parameter", "kind"), DRAWN_CASES)
def test_any_drawn_number_is_refused_clearly_or_handled(name, parameter, kind):
    """Numbers drawn by hypothesis (seeded): a property over all of them, not only the edge cases."""

    @settings(
        max_examples=6,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(DRAWN[kind])
    def check_one(drawn):
        assert_behaves(name, parameter, repr(drawn), drawn)

    check_one()


# ---------------------------------------------------------------------------- check never raises to a student
class Weird:
    def __repr__(self):
        raise RuntimeError("cannot show myself")


ANSWERS = st.one_of(
    st.none(),
    st.just(...),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.lists(st.lists(st.lists(st.integers(), max_size=3), max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.just(pd.DataFrame([[1, 2]], columns=["a", "a"])),
    st.just(pd.DataFrame({"frequency": [0, 1], "customers": ["x", None]})),
    st.just(pd.Series([1.0, np.nan])),
    st.just(np.array([[1, 2], [3, 4]])),
    st.just(complex(1, 2)),
    st.just(Weird()),
    st.just(b"bytes"),
    st.just({1, 2}),
)


@settings(max_examples=150, derandomize=True, deadline=None, database=None)
@given(question_id=st.sampled_from(sorted(registry.questions_by_id())), answer=ANSWERS)
def test_check_never_raises_to_a_student(question_id, answer):
    result = registry.check(question_id, answer)
    assert isinstance(result.message, str) and result.message


@pytest.mark.parametrize(
    ("question_id", "said"),
    [
        (None, "question ids are texts such as 'ch00.q1', got None"),
        (3, "question ids are texts such as 'ch00.q1', got 3"),
        (["ch00.q1"], "question ids are texts such as 'ch00.q1', got ['ch00.q1']"),
        ({"a": 1}, "question ids are texts such as 'ch00.q1', got {'a': 1}"),
        ("ch00.q99", "there is no question 'ch00.q99'; nearest known ids: ch00.q9"),
        ("", "there is no question ''; known ids start with ch00."),
    ],
)
def test_check_with_a_bad_question_id_says_so(question_id, said):
    with pytest.raises(engine.UnknownQuestionError) as error:
        registry.check(question_id, 3)
    assert str(error.value).startswith(said)
