"""One plot contract for every ``plot_*`` function of crmlib (see crmlib.plots):

    ax = module.plot_something(data, *, <options>, ax=None, title=None, source=None)

takes its data, then keyword arguments only; draws on the Axes it is given (or a
new one); sets the title and a source note when asked; returns that Axes; and is
public in the module of its topic. Each function is called here on a small
example: a new plot_* without an example fails the test until one is added.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

import crmlib
from crmlib import (
    callcentre,
    customer_base,
    lifecycle,
    pipeline,
    privacy,
    relationship,
    retention,
    satisfaction,
    segmentation,
    value,
)


def plot_functions() -> dict[str, object]:
    found = {}
    for info in pkgutil.walk_packages(crmlib.__path__, "crmlib."):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("plot_") and function.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = function
    return found


PLOTS = plot_functions()


def _strategies():
    transaction = customer_base.Strategy(
        "transaction_strategy", acquired=100, retention=0.5, margin=10, acquisition_cost=5
    )
    relation = customer_base.Strategy(
        "relationship_strategy", acquired=40, retention=0.8, margin=10, acquisition_cost=5, retention_cost=1
    )
    return transaction, relation


def _orders():
    rng = np.random.default_rng(3)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, 200), unit="D")
    return pd.DataFrame(
        {"customer_id": rng.integers(1, 40, 200), "date": days, "amount": rng.gamma(2, 20, 200)}
    )


def _durations():
    return pd.DataFrame(
        {
            "duration_days": [30, 200, 400, 90, 700, 365],
            "lost": [True, False, True, True, False, True],
            "group": ["a", "a", "a", "b", "b", "b"],
        }
    )


def _tracking():
    weeks = np.arange(1, 11)
    return pd.DataFrame(
        {
            "actual": weeks * 2.0,
            "predicted": weeks * 1.9,
            "actual_cumulative": np.cumsum(weeks * 2.0),
            "predicted_cumulative": np.cumsum(weeks * 1.9),
            "holdout": weeks > 6,
        },
        index=pd.Index(weeks, name="week"),
    )


def _rfm_segments():
    scores = pd.DataFrame({"R": [1, 2, 3, 4, 5, 5], "F": [1, 2, 3, 4, 5, 1]})
    return segmentation.rfm_segments(scores)


def _matrix():
    cells = pd.Categorical(
        ["loyal_customer", "loyal_customer", "negative_customer"], categories=segmentation.SATISFACTION_CELLS
    )
    return segmentation.matrix_counts(pd.DataFrame({"cell": cells}), "cell")


#: One example call per plot function: (positional data, keyword options).
EXAMPLES = {
    "crmlib.course.plot_ten_c_map": lambda: ((), {}),
    "crmlib.customer_base.plot_bucket": lambda: ((_strategies()[0], 10), {}),
    "crmlib.customer_base.plot_strategies": lambda: (
        (customer_base.compare(list(_strategies()), 5),),
        {"column": "cumulative_profit"},
    ),
    "crmlib.customer_base.plot_profit_advantage": lambda: (
        (
            customer_base.profit_advantage_grid(
                *_strategies(), retention_costs=[0, 1, 2], retention_rates=[0.6, 0.8]
            ),
        ),
        {"mark": (1, 0.8)},
    ),
    "crmlib.churn.plot_calibration": lambda: (
        (
            pd.DataFrame(
                {
                    "mean_predicted": [0.2, 0.7],
                    "observed": [0.25, 0.6],
                    "ci_low": [0.1, 0.4],
                    "ci_high": [0.4, 0.8],
                }
            ),
        ),
        {"level": 0.9},
    ),
    "crmlib.churn.plot_gains": lambda: (
        (pd.DataFrame({"churned": [1, 0, 1, 0, 0, 1], "churn_probability": [0.9, 0.1, 0.7, 0.3, 0.2, 0.4]}),),
        {"label_col": "churned", "score_cols": ["churn_probability"]},
    ),
    "crmlib.churn.plot_uplift_by_group": lambda: (
        (
            pd.DataFrame(
                {
                    "uplift": [0.1, 0.02],
                    "ci_low": [0.0, -0.05],
                    "ci_high": [0.2, 0.09],
                    "true_uplift": [0.08, 0.03],
                },
                index=pd.Index([1, 2], name="score_group"),
            ),
        ),
        {},
    ),
    "crmlib.funnel.plot_funnel": lambda: (
        (
            crmlib.funnel.funnel_table(
                pd.DataFrame(
                    {
                        "visitor": [True] * 4,
                        "browser": [True, True, True, False],
                        "shopper": [True, True, False, False],
                        "buyer": [True, False, False, False],
                    }
                )
            ),
        ),
        {},
    ),
    "crmlib.funnel.plot_conversion": lambda: (
        (
            crmlib.funnel.funnel_table(
                pd.DataFrame(
                    {
                        "channel": ["email", "email", "search", "search"],
                        "visitor": [True] * 4,
                        "browser": [True, True, True, False],
                        "shopper": [True, True, False, False],
                        "buyer": [True, False, False, False],
                    }
                ),
                by="channel",
                base="visitor",
            ),
        ),
        {"stage": "browser"},
    ),
    "crmlib.funnel.plot_cost_per_stage": lambda: (
        (
            pd.DataFrame(
                {"cost_per_signup": [35.0, 160.0], "cost_per_retained_buyer": [50.0, np.nan]},
                index=["email", "search"],
            ),
        ),
        {"columns": ("cost_per_signup", "cost_per_retained_buyer")},
    ),
    "crmlib.lifecycle.plot_relationship_curve": lambda: ((), {}),
    "crmlib.lifecycle.plot_stage_profile": lambda: (
        (pd.DataFrame({"customers": [3, 5]}, index=["prospect", "customer"]),),
        {"column": "customers"},
    ),
    "crmlib.lifecycle.plot_cohort_heatmap": lambda: (
        (lifecycle.cohort_table(_orders(), share=True),),
        {"max_months": 3},
    ),
    "crmlib.lifecycle.plot_survival": lambda: ((_durations(),), {"by_group": True}),
    "crmlib.marketing_concepts.plot_value_shift": lambda: ((), {}),
    "crmlib.marketing_concepts.plot_crm_timeline": lambda: ((), {}),
    "crmlib.models.diagnostics.plot_tracking": lambda: ((_tracking(),), {"cumulative": True}),
    "crmlib.models.diagnostics.plot_frequency_check": lambda: (
        (pd.DataFrame({"actual": [0.2, 0.7, 1.4], "predicted": [0.2, 0.5, 1.0]}, index=[0, 1, 2]),),
        {},
    ),
    "crmlib.profile.plot_ten_c_dashboard": lambda: (
        (
            pd.DataFrame(
                {
                    "C": ["customer_profile"] * 10,
                    "indicator": ["x"] * 10,
                    "value": np.linspace(0, 1, 10),
                    "unit": ["share", "CNY", "customers", "points", "ratio"] * 2,
                }
            ),
        ),
        {},
    ),
    "crmlib.relationship.plot_shadow_of_the_future": lambda: ((), {"max_continuation": 0.8}),
    "crmlib.relationship.plot_tournament": lambda: (
        (relationship.tournament(rounds=1), relationship.tournament(rounds=20)),
        {},
    ),
    "crmlib.relationship.plot_six_markets": lambda: ((), {}),
    "crmlib.relationship.plot_key_account_model": lambda: ((), {}),
    "crmlib.retention.plot_projection": lambda: (
        (retention.projection_table(crmlib.load_sbg_retention()["regular"], fit_periods=7),),
        {},
    ),
    "crmlib.satisfaction.plot_gaps": lambda: (
        (
            pd.DataFrame(
                {"gap": [-0.5, 0.2], "ci_low": [-0.7, 0.0], "ci_high": [-0.3, 0.4]}, index=["a", "b"]
            ),
        ),
        {},
    ),
    "crmlib.satisfaction.plot_ipa": lambda: (
        (pd.DataFrame({"importance": [0.3, 0.5], "performance": [3.5, 4.0]}, index=["a", "b"]),),
        {},
    ),
    "crmlib.satisfaction.plot_rate_by_level": lambda: (
        (satisfaction.rate_by_level(pd.DataFrame({"g": ["x", "x", "y", "y"], "y": [1, 0, 1, 1]}), "g", "y"),),
        {
            "xlabel": "satisfaction_group",
            "ylabel": "share_still_customer",
            "reference": 0.5,
            "reference_label": "after_any_order",
        },
    ),
    "crmlib.segmentation.plot_rfm_map": lambda: ((_rfm_segments(),), {}),
    "crmlib.segmentation.plot_choose_k": lambda: (
        (pd.DataFrame({"k": [2, 3], "inertia": [10.0, 8.0], "silhouette": [0.2, 0.3]}),),
        {"criterion": "inertia"},
    ),
    "crmlib.segmentation.plot_segment_shares": lambda: (
        (
            pd.DataFrame(
                {"share_customers": [0.2, 0.8], "share_value": [0.7, 0.3]}, index=["champions", "lost"]
            ),
        ),
        {},
    ),
    "crmlib.segmentation.plot_matrix": lambda: (
        (_matrix(),),
        {"x_label": "relationship_satisfaction", "y_label": "product_satisfaction"},
    ),
    "crmlib.basket.plot_wallet_room": lambda: (
        (
            pd.DataFrame(
                {"spend_here": [30.0, 10.0], "room_here": [50.0, 20.0], "room_elsewhere": [5.0, 8.0]},
                index=["Coffee & Tea", "Snacks"],
            ),
        ),
        {},
    ),
    "crmlib.basket.plot_tier_mix": lambda: (
        (
            pd.DataFrame(
                {"basic": [0.5, 0.3], "standard": [0.3, 0.4], "premium": [0.2, 0.3]}, index=["1", "2+"]
            ),
        ),
        {},
    ),
    "crmlib.key_accounts.plot_abc_curve": lambda: (
        (crmlib.key_accounts.abc_classes(pd.DataFrame({"profit": [50.0, 30.0, 15.0, 10.0, -5.0]})),),
        {},
    ),
    "crmlib.transactions.plot_transactions_per_week": lambda: (
        (_orders(),),
        {"calibration_end": "2024-06-30"},
    ),
    "crmlib.value.plot_clv_table": lambda: (
        (
            value.clv_table(
                pd.DataFrame({"period": [0, 1, 2], "revenue": [100.0, 90, 80], "cost": [150.0, 20, 20]}),
                acquisition_col=None,
            ),
        ),
        {},
    ),
    "crmlib.value.plot_retention_sensitivity": lambda: ((100, [0.2, 0.5, 0.8], [0.1, 0.2]), {}),
    "crmlib.value.plot_iso_value": lambda: (
        (
            crmlib.value.iso_value_table(
                crmlib.models.ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67),
                crmlib.models.GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44),
                frequency=[1, 2, 4, 8],
                recency=[5.0, 15.0, 25.0, 38.0],
                T=39.0,
                average_spend=35.0,
                discount_rate=0.15,
                period_length=52,
            ),
        ),
        {},
    ),
    "crmlib.value.plot_lorenz": lambda: (({"a": [1, 2, 3, 10], "b": [1, 1, 1, 1]},), {}),
    "crmlib.callcentre.plot_staffing": lambda: (
        (
            {
                "normal_days": callcentre.staffing_plan(
                    pd.DataFrame({"traffic": [1.0, 2.5]}, index=pd.Index([9, 10], name="hour")),
                    handling_time=300.0,
                )
            },
        ),
        {},
    ),
    "crmlib.callcentre.plot_service_level": lambda: (
        (
            {
                "normal_days": pd.DataFrame(
                    {"service_level": [0.85, 0.7]}, index=pd.Index([9, 10], name="hour")
                )
            },
        ),
        {"predicted": {"normal_days": pd.DataFrame({"service_level": [0.8, 0.8]}, index=[9, 10])}},
    ),
    "crmlib.pipeline.plot_forecast": lambda: (
        (
            {
                "typed_in_probabilities": pipeline.forecast(
                    pd.DataFrame(
                        {
                            "probability": [0.5, 0.25],
                            "expected_value": [1000, 4000],
                            "expected_close_date": pd.to_datetime(["2025-01-10", "2025-05-01"]),
                        }
                    ),
                    n_sims=200,
                )
            },
        ),
        {"level": 0.9},
    ),
    "crmlib.privacy.plot_generalization": lambda: (
        (
            privacy.generalization_ladder(
                pd.DataFrame({"gender": ["F", "F", "M", "M"], "tier": [1, 2, 1, 2]}),
                {"fine": ["gender", "tier"], "coarse": ["gender"]},
                k=2,
            ),
        ),
        {"k": 2},
    ),
}


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_there_are_plot_functions_and_each_has_an_example():
    assert len(PLOTS) >= 29
    missing = sorted(set(PLOTS) - set(EXAMPLES))
    assert not missing, f"plot functions without an example in this test: {missing}"
    gone = sorted(set(EXAMPLES) - set(PLOTS))
    assert not gone, f"examples of plot functions that no longer exist: {gone}"


def test_plots_module_holds_no_figures_of_a_topic():
    """A figure lives beside what it plots; crmlib.plots only holds the style and helpers."""
    assert not [name for name in PLOTS if name.startswith("crmlib.plots.")]


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_signature_takes_data_then_keywords(name):
    function = PLOTS[name]
    parameters = inspect.signature(function).parameters
    for option in ("ax", "title", "source"):
        assert option in parameters, f"{name} has no {option}= argument"
        assert parameters[option].kind is inspect.Parameter.KEYWORD_ONLY, (
            f"{name}: {option} must be keyword-only"
        )
        assert parameters[option].default is None, f"{name}: {option} must default to None"
    for parameter in parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, (
                f"{name}: the option {parameter.name!r} must come after the data, keyword-only (after *)"
            )
    module = importlib.import_module(name.rsplit(".", 1)[0])
    assert name.rsplit(".", 1)[1] in module.__all__, f"{name} is not in its module's __all__"
    assert inspect.signature(function).return_annotation in ("Axes", Axes), (
        f"{name} must be annotated -> Axes"
    )


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_draws_on_the_given_axes_with_title_and_source_and_returns_it(name):
    args, options = EXAMPLES[name]()
    _, ax = plt.subplots()
    returned = PLOTS[name](*args, **options, ax=ax, title="The message", source="the data")
    assert returned is ax, f"{name} must return the Axes it drew on"
    assert ax.get_title() == "The message"
    notes = [t.get_text() for t in ax.texts]
    assert any(t.endswith(": the data") for t in notes), f"{name} draws no source note: {notes}"


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_without_axes_it_makes_a_course_figure(name):
    args, options = EXAMPLES[name]()
    ax = PLOTS[name](*args, **options)
    assert isinstance(ax, Axes)
    assert not [t for t in ax.texts if t.get_text().startswith(crmlib.term("data_source"))], (
        "no source, no note"
    )


def test_grid_style_lets_seaborn_lay_out_its_grid_and_restores_the_course_style():
    import matplotlib as mpl

    from crmlib import plots

    crmlib.set_style()
    assert mpl.rcParams["figure.constrained_layout.use"]
    with plots.grid_style(label_size=8):
        assert not mpl.rcParams["figure.constrained_layout.use"]
        assert mpl.rcParams["axes.labelsize"] == 8
    assert mpl.rcParams["figure.constrained_layout.use"]


@pytest.mark.parametrize(("lang", "expected"), [("en", "Data: demo"), ("zh", "数据来源：demo")])
def test_the_source_note_uses_the_colon_of_its_language(lang, expected):
    """A Chinese note reads 数据来源：..., with a full-width colon, as Chinese text does."""
    from crmlib import plots

    previous = crmlib.language.get_language()
    crmlib.set_language(lang)
    try:
        _, ax = plots.new_figure()
        plots.source_note(ax, "demo")
        assert [t.get_text() for t in ax.texts] == [expected]
    finally:
        crmlib.set_language(previous)
        plt.close("all")


def test_iso_value_curves_are_drawn_in_the_colour_their_legend_entry_shows():
    """Every drawn element in the legend: the curves once had seven colours and one teal entry."""
    from matplotlib.colors import to_hex

    args, options = EXAMPLES["crmlib.value.plot_iso_value"]()
    ax = PLOTS["crmlib.value.plot_iso_value"](*args, **options)
    (entry,) = ax.get_legend().legend_handles
    curves = [c for c in ax.collections if len(getattr(c, "get_paths", lambda: [])())]
    colours = {to_hex(colour) for curve in curves for colour in curve.get_edgecolor()}
    assert colours == {to_hex(entry.get_color())}


def test_tracking_names_its_dotted_line_the_end_of_the_calibration_period():
    """The dotted line is where calibration ends, not the calibration period itself."""
    args, options = EXAMPLES["crmlib.models.diagnostics.plot_tracking"]()
    ax = PLOTS["crmlib.models.diagnostics.plot_tracking"](*args, **options)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert crmlib.term("calibration_end") in labels and crmlib.term("calibration_period") not in labels


def _drawn_text(figure) -> list[str]:
    """Every text a reader sees on a figure: titles, axis labels, tick labels, notes, legends."""
    found = [t.get_text() for t in figure.texts]
    for ax in figure.axes:
        found += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
        found += [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels())]
        legend = ax.get_legend()
        if legend is not None:
            found += [legend.get_title().get_text(), *(t.get_text() for t in legend.get_texts())]
    return [text for text in found if text]


def chinese_figure_slips(text: str) -> list[str]:
    """What a Chinese textbook would not print in a figure: half-width punctuation touching a
    Chinese character or a full-width bracket (``平常日: 实际值``), a space before the percent sign (``95 %``), a
    half-width bracket around Chinese or a percentage (``(22.3 %)``), or after a Chinese word
    (``每位客户成本 (CNY)``, which a Chinese text writes ``每位客户成本（元）``)."""
    slips = crmlib.language.half_width_punctuation(text)
    slips += [m[0] for m in re.finditer(r"\d %|\([^()]*(?:%|[\u4e00-\u9fff])[^()]*\)|）[,:]", text)]
    slips += [m[0] for m in re.finditer(r"[\u4e00-\u9fff] ?\([^()]*\)", text)]
    return slips


def test_the_chinese_figure_check_finds_the_old_half_width_forms():
    assert chinese_figure_slips("估计的增量效应, 95 % 纽科姆（Newcombe）置信区间") == ["应, 9", "5 %"]
    assert chinese_figure_slips("2 (66.7 %)") == ["(66.7 %)"]
    assert chinese_figure_slips("高峰（11月12–20日）: 实际值") == ["）:"]
    assert chinese_figure_slips("增量效应（百分点）") == chinese_figure_slips("95% 置信区间") == []
    assert chinese_figure_slips("每位客户成本 (CNY)") == ["本 (CNY)"]
    assert chinese_figure_slips("BG/NBD (2005)") == []


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_a_chinese_figure_writes_chinese_punctuation_and_percentages(name):
    """Every plot function drawn in Chinese: no half-width punctuation next to Chinese, 95%
    without a space, full-width brackets (crmlib.plots.figure_text)."""
    previous = crmlib.get_language()
    crmlib.set_language("zh")
    try:
        args, options = EXAMPLES[name]()
        ax = PLOTS[name](*args, **options, title="图的标题", source="演示公司")
        slips = {text: chinese_figure_slips(text) for text in _drawn_text(ax.figure)}
    finally:
        crmlib.set_language(previous)
    assert not {text: found for text, found in slips.items() if found}


def test_a_chinese_label_is_wrapped_as_a_chinese_typesetter_would():
    """Balanced lines (no character alone on the last), Latin words whole, no line starting with
    a closing mark or ending with an opening one; English labels still break at spaces."""
    from crmlib.plots import wrap_label

    lines = wrap_label("Gartner公司提出CRM概念", 18).split("\n")
    assert lines == ["Gartner公司", "提出CRM概念"]  # once "Gartner公司提出C" / "RM概念"
    lines = wrap_label("《哈佛商业评论》发表持久客户关系", 18).split("\n")
    assert len(lines) == 2 and min(map(len, lines)) >= 7  # once "…持久客户关" / "系"
    for text in [
        "客户满意（customer satisfaction）是忠诚的前提，但不是保证。",
        "生存曲线的95%置信区间（Greenwood法）",
    ]:
        for width in (8, 12, 18, 26):
            lines = wrap_label(text, width).split("\n")
            assert "".join(lines).replace(" ", "") == text.replace(" ", "")
            assert not any(line[0] in "，。、；：？！）》”%" for line in lines[1:]), lines
            assert not any(line[-1] in "（《“" for line in lines[:-1]), lines
    assert wrap_label("customer lifetime value", 10) == "customer\nlifetime\nvalue"


def test_a_chinese_amount_axis_counts_in_wan():
    """万 where a Chinese text would use it: the leaky bucket's profit axis in Chinese."""
    from crmlib.plots import amount_axis

    _, ax = plt.subplots()
    amount_axis(ax.yaxis)
    formatter = ax.yaxis.get_major_formatter()
    assert [formatter(v) for v in (1_500_000, 2_500)] == ["1,500,000", "2,500"]
    previous = crmlib.get_language()
    crmlib.set_language("zh")
    try:
        shown = [formatter(v) for v in (1_500_000, -125_000, 10_000, 2_500, 0)]
    finally:
        crmlib.set_language(previous)
    assert shown == ["150万", "-12.5万", "1万", "2,500", "0"]
