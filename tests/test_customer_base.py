"""crmlib.customer_base: the leaky bucket. Properties of the recurrence
N_t = r N_{t-1} + A, its closed form, the stochastic version, and every error path."""

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

import crmlib
from crmlib import DataError
from crmlib.customer_base import (
    Strategy,
    breakeven_retention,
    cohort_composition,
    compare,
    crossover_period,
    plot_bucket,
    plot_profit_advantage,
    plot_strategies,
    profit_advantage_grid,
    simulate_base,
    steady_state_base,
    steady_state_profit,
)

rates = st.floats(min_value=0.0, max_value=0.99)
amounts = st.floats(min_value=0.0, max_value=5000.0)


@pytest.fixture()
def transaction():
    return Strategy("transaction_strategy", acquired=1000, retention=0.6, margin=100, acquisition_cost=150)


@pytest.fixture()
def relationship():
    return Strategy(
        "relationship_strategy",
        acquired=400,
        retention=0.85,
        margin=100,
        acquisition_cost=150,
        retention_cost=15,
    )


@settings(max_examples=40, deadline=None)
@given(acquired=amounts, initial=amounts)
def test_with_zero_churn_the_base_only_grows(acquired, initial):
    path = simulate_base(Strategy("s", acquired=acquired, retention=1.0, margin=1, initial=initial), 30)
    assert (np.diff(path["base"]) >= 0).all()
    assert path["lost"].eq(0).all()
    assert path["base"].iloc[-1] == pytest.approx(initial + 30 * acquired)


@settings(max_examples=40, deadline=None)
@given(acquired=amounts, retention=rates, initial=amounts)
def test_expected_path_solves_the_recurrence(acquired, retention, initial):
    """The closed form used by simulate_base satisfies N_t = r N_(t-1) + A step by step."""
    path = simulate_base(Strategy("s", acquired=acquired, retention=retention, margin=1, initial=initial), 25)
    base = path["base"].to_numpy()
    assert base[0] == pytest.approx(initial)
    np.testing.assert_allclose(base[1:], retention * base[:-1] + acquired, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(path["retained"] + path["lost"], np.r_[0, base[:-1]], atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(acquired=st.floats(min_value=1.0, max_value=5000.0), retention=st.floats(min_value=0.0, max_value=0.9))
def test_base_converges_to_acquisition_over_churn(acquired, retention):
    strategy = Strategy("s", acquired=acquired, retention=retention, margin=1)
    path = simulate_base(strategy, 400)
    assert path["base"].iloc[-1] == pytest.approx(acquired / (1 - retention), rel=1e-9)
    assert steady_state_base(strategy) == pytest.approx(acquired / (1 - retention))
    # from below the base rises monotonically towards N*, never past it
    assert (np.diff(path["base"]) >= -1e-9).all()
    assert path["base"].max() <= acquired / (1 - retention) * (1 + 1e-12)


def test_a_base_above_the_steady_state_shrinks_to_it():
    strategy = Strategy("s", acquired=100, retention=0.8, margin=1, initial=2000)
    path = simulate_base(strategy, 100)
    assert (np.diff(path["base"]) < 0).all()
    assert path["base"].iloc[-1] == pytest.approx(500, rel=1e-6)


def test_stochastic_runs_average_to_the_expected_path():
    strategy = Strategy("s", acquired=200, retention=0.7, margin=1, initial=50)
    rng = np.random.default_rng(2024)
    runs = np.array([simulate_base(strategy, 20, rng=rng)["base"].to_numpy() for _ in range(300)])
    expected = simulate_base(strategy, 20)["base"].to_numpy()
    # standard error of the mean at the steady state: sqrt(A/(1-r)) / sqrt(300) ~ 1.5 customers
    np.testing.assert_allclose(runs.mean(axis=0), expected, atol=6.0)
    assert (runs == np.round(runs)).all(), "a stochastic base counts whole customers"


def test_stochastic_run_is_reproducible_with_the_same_seed():
    strategy = Strategy("s", acquired=200, retention=0.7, margin=1)
    one = simulate_base(strategy, 10, rng=np.random.default_rng(7))
    two = simulate_base(strategy, 10, rng=np.random.default_rng(7))
    pd.testing.assert_frame_equal(one, two)


def test_profit_accounts_margin_acquisition_and_retention_spend():
    strategy = Strategy("s", acquired=100, retention=0.5, margin=10, acquisition_cost=20, retention_cost=2)
    path = simulate_base(strategy, 2)
    # period 1: base 100, profit 10*100 - 20*100 - 0 ; period 2: 50 kept, base 150
    assert path["profit"].tolist() == [0.0, -1000.0, 10 * 150 - 20 * 100 - 2 * 50]
    assert path["cumulative_profit"].iloc[-1] == pytest.approx(-1000 + 1500 - 2000 - 100)


def test_steady_state_profit_matches_the_long_run_simulation(relationship):
    path = simulate_base(relationship, 300)
    assert path["profit"].iloc[-1] == pytest.approx(steady_state_profit(relationship), rel=1e-9)


def test_infinite_steady_state_without_churn():
    assert steady_state_base(Strategy("s", acquired=10, retention=1.0, margin=1)) == math.inf
    assert steady_state_base(Strategy("s", acquired=0, retention=1.0, margin=1, initial=7)) == 7


@settings(max_examples=40, deadline=None)
@given(
    r1=rates,
    r2=rates,
    margin=st.floats(min_value=10, max_value=200),
    cost=st.floats(min_value=0, max_value=9.9),
)
def test_more_retention_means_more_long_run_profit_when_margin_exceeds_retention_cost(r1, r2, margin, cost):
    low, high = sorted([r1, r2])
    s = Strategy("s", acquired=300, retention=low, margin=margin, acquisition_cost=50, retention_cost=cost)
    assert steady_state_profit(s.with_(retention=high)) >= steady_state_profit(s) - 1e-6


def test_cohorts_sum_to_the_base_and_each_cohort_only_leaks(relationship):
    start = relationship.with_(initial=900)
    composition = cohort_composition(start, 12)
    np.testing.assert_allclose(composition.sum(axis=1), simulate_base(start, 12)["base"], rtol=1e-12)
    for cohort in composition.columns:
        alive = composition.loc[cohort:, cohort].to_numpy()
        assert (np.diff(alive) <= 1e-9).all()
    assert (np.triu(composition.to_numpy(), k=1) == 0).all(), "no cohort exists before it is acquired"


def test_breakeven_retention_equalises_long_run_profits(transaction, relationship):
    r_star = breakeven_retention(transaction, relationship)
    assert 0 < r_star < 1
    at = relationship.with_(retention=r_star)
    assert simulate_base(at, 600)["profit"].iloc[-1] == pytest.approx(
        steady_state_profit(transaction), rel=1e-6
    )
    assert steady_state_profit(relationship.with_(retention=r_star + 0.01)) > steady_state_profit(transaction)
    assert steady_state_profit(relationship.with_(retention=r_star - 0.01)) < steady_state_profit(transaction)


def test_breakeven_is_nan_when_no_retention_rate_can_win(transaction):
    hopeless = Strategy("r", acquired=10, retention=0.5, margin=100, acquisition_cost=150, retention_cost=200)
    assert math.isnan(breakeven_retention(transaction, hopeless))


def test_profit_grid_is_zero_on_the_breakeven_retention(transaction, relationship):
    r_star = breakeven_retention(transaction, relationship)
    grid = profit_advantage_grid(
        transaction, relationship, [r_star - 0.05, r_star, r_star + 0.05], [relationship.retention_cost]
    )
    values = grid.iloc[:, 0].to_numpy()
    assert values[0] < 0 < values[2]
    assert values[1] == pytest.approx(0, abs=1e-6)


def test_crossover_period_finds_when_the_challenger_stays_ahead(transaction, relationship):
    comparison = compare([transaction, relationship], 30)
    period = crossover_period(comparison, "transaction_strategy", "relationship_strategy")
    wide = comparison.pivot(index="period", columns="strategy", values="cumulative_profit")
    ahead = wide["relationship_strategy"] >= wide["transaction_strategy"]
    assert ahead.loc[period:].all() and not ahead.loc[period - 1]
    # the transaction strategy is behind at the end: it never stays ahead
    assert ahead.iloc[-1]
    assert crossover_period(comparison, "relationship_strategy", "transaction_strategy") is None


# ------------------------------------------------------------------ errors


def test_retention_given_as_a_percentage_is_explained():
    with pytest.raises(
        DataError, match=r"retention must be at most 1, got 87 \(give rates as fractions: 10% is 0.10\)"
    ):
        Strategy("s", acquired=10, retention=87, margin=1)


def test_negative_cost_and_text_values_are_explained():
    with pytest.raises(ValueError, match=r"acquisition_cost must be at least 0, got -5"):
        Strategy("s", acquired=10, retention=0.5, margin=1, acquisition_cost=-5)
    with pytest.raises(DataError, match=r"margin must be a number, got a text '100'"):
        Strategy("s", acquired=10, retention=0.5, margin="100")


def test_bad_periods_and_strategy_are_explained(transaction):
    with pytest.raises(ValueError, match=r"periods must be at least 1, got 0"):
        simulate_base(transaction, 0)
    with pytest.raises(ValueError, match=r"strategy must be a crmlib.customer_base.Strategy, got dict"):
        simulate_base({"retention": 0.5}, 3)
    with pytest.raises(ValueError, match=r"strategy names must be unique"):
        compare([transaction, transaction], 3)


def test_crossover_with_an_unknown_strategy_or_column_is_explained(transaction, relationship):
    comparison = compare([transaction, relationship], 5)
    with pytest.raises(ValueError, match=r"column 'strategy' has no strategy 'loyalty'"):
        crossover_period(comparison, "transaction_strategy", "loyalty")
    with pytest.raises(crmlib.DataError, match=r"comparison has no column 'margin_total'"):
        crossover_period(comparison, "transaction_strategy", "relationship_strategy", column="margin_total")


# ------------------------------------------------------------------ figures


def test_figures_take_their_labels_from_the_glossary(transaction, relationship):
    crmlib.set_language("zh")
    try:
        ax = plot_bucket(transaction, 10)
        assert ax.get_ylabel() == crmlib.term("customer_base", "zh")
        assert ax.get_title() == "交易型策略"
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == [
            crmlib.term(k, "zh") for k in ("cohort_bands", "later_cohorts", "steady_state_base")
        ]
        ax = plot_strategies(compare([transaction, relationship], 5), column="cumulative_profit")
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["交易型策略", "关系型策略"]
        grid = profit_advantage_grid(transaction, relationship, [0.6, 0.8, 0.9], [0, 10, 20])
        ax = plot_profit_advantage(grid, mark=(15, 0.85))
        assert ax.get_xlabel() == crmlib.term("retention_cost", "zh")
    finally:
        crmlib.set_language("en")
        matplotlib.pyplot.close("all")


def test_profit_advantage_colour_bar_reads_in_thousands(transaction, relationship):
    """The colour bar printed 600000 where the profit axes print 600,000 (issue 14)."""
    grid = profit_advantage_grid(transaction, relationship, np.linspace(0, 0.95, 20), [0, 20, 40])
    ax = plot_profit_advantage(grid)
    try:
        colour_bar = ax.figure.axes[-1]
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in colour_bar.get_yticklabels() if t.get_text()]
        big = [t for t in ticks if abs(float(t.replace(",", "").replace("−", "-"))) >= 1000]
        assert big and all("," in t for t in big), ticks
        assert ax.get_ylim()[0] <= 0.0
    finally:
        matplotlib.pyplot.close("all")


# ------------------------------------------------------------- bad input (issue 10)


def test_crossover_refuses_money_written_as_text(transaction, relationship):
    """'$1,234' compared as text put the crossover in period 14; the numbers say 7."""
    comparison = compare([transaction, relationship], 30)
    as_text = comparison.assign(cumulative_profit=comparison["cumulative_profit"].map(lambda v: f"${v:,.0f}"))
    with pytest.raises(
        DataError,
        match=r"column 'cumulative_profit' has 62 values that are not numbers \(e.g. '\$0', .*clean them",
    ):
        crossover_period(as_text, "transaction_strategy", "relationship_strategy")
    assert crossover_period(comparison, "transaction_strategy", "relationship_strategy") == 7
    cleaned = as_text.assign(
        cumulative_profit=as_text["cumulative_profit"].str.replace(r"[$,]", "", regex=True).astype(float)
    )
    assert crossover_period(cleaned, "transaction_strategy", "relationship_strategy") == 7
    # numbers stored as plain text are read as numbers, not compared as text
    plain = comparison.assign(cumulative_profit=comparison["cumulative_profit"].astype(str))
    assert crossover_period(plain, "transaction_strategy", "relationship_strategy") == 7


def test_crossover_refuses_tables_it_cannot_line_up(transaction, relationship):
    comparison = compare([transaction, relationship], 5)
    with pytest.raises(
        DataError, match=r"repeated rows of a strategy and a period \(e.g. 'transaction_strategy'"
    ):
        crossover_period(
            pd.concat([comparison, comparison.iloc[:1]]), "transaction_strategy", "relationship_strategy"
        )
    shorter = comparison.drop(index=comparison.index[-1])
    with pytest.raises(
        DataError, match=r"strategy 'relationship_strategy' has no row for 1 periods of the other"
    ):
        crossover_period(shorter, "transaction_strategy", "relationship_strategy")
    with pytest.raises(DataError, match=r"leader and challenger are the same strategy"):
        crossover_period(comparison, "transaction_strategy", "transaction_strategy")


@pytest.mark.parametrize(
    ("call", "cap"),
    [
        (lambda s: simulate_base(s, 10**9), "10,000"),
        (lambda s: compare([s], 10**9), "10,000"),
        (lambda s: cohort_composition(s, 10**9), "1,000"),
        (lambda s: plot_bucket(s, 10**9), "1,000"),
    ],
    ids=["simulate_base", "compare", "cohort_composition", "plot_bucket"],
)
def test_huge_numbers_of_periods_are_refused_not_simulated(transaction, call, cap):
    with pytest.raises(DataError, match=rf"periods must be at most {cap}, got 1,000,000,000"):
        call(transaction)


def test_the_caps_are_documented_and_far_above_the_course(transaction):
    from crmlib import customer_base

    assert customer_base.MAX_PERIODS == 10_000 and customer_base.MAX_COHORT_PERIODS == 1_000
    for function in (simulate_base, compare, cohort_composition, plot_bucket):
        assert "MAX_" in function.__doc__, function.__name__
    assert len(simulate_base(transaction, customer_base.MAX_PERIODS)) == customer_base.MAX_PERIODS + 1
    assert cohort_composition(transaction, customer_base.MAX_COHORT_PERIODS).shape == (1001, 1001)


def test_bad_grids_are_explained(transaction, relationship):
    with pytest.raises(DataError, match=r"retention_rates is empty: give at least one number"):
        profit_advantage_grid(transaction, relationship, [], [0, 1])
    with pytest.raises(DataError, match=r"retention_costs must be numbers, got a value that is not \('a'\)"):
        profit_advantage_grid(transaction, relationship, [0.5], ["a", "b"])
    with pytest.raises(DataError, match=r"retention_rates must be at most 1"):
        profit_advantage_grid(transaction, relationship, [85], [0])
    with pytest.raises(DataError, match=r"transaction keeps every customer it acquires \(retention 1\)"):
        profit_advantage_grid(transaction.with_(retention=1.0), relationship, [0.5], [0])
    grid = profit_advantage_grid(transaction, relationship, [0.6, 0.8], [0, 10])
    with pytest.raises(DataError, match=r"grid must be a pandas DataFrame, got list"):
        plot_profit_advantage(grid.to_dict("records"))
    with pytest.raises(DataError, match=r"grid has 1 retention rates and 2 retention costs"):
        plot_profit_advantage(grid.iloc[:1])
    text = grid.astype(object)
    text.iloc[0, 0] = "1,234 yuan"
    with pytest.raises(DataError, match=r"column 0.0 has 1 values that are not numbers"):
        plot_profit_advantage(text)
    with pytest.raises(DataError, match=r"grid's rows \(retention rates\) must be numbers"):
        plot_profit_advantage(grid.set_axis(["r0", "r1"]))


def test_bad_figure_options_and_strategy_changes_are_explained(transaction, relationship):
    with pytest.raises(DataError, match=r"max_cohorts must be at least 0, got -1"):
        plot_bucket(transaction, 5, max_cohorts=-1)
    comparison = compare([transaction, relationship], 5)
    with pytest.raises(DataError, match=r"column 'base' has 1 values that are not numbers"):
        plot_strategies(comparison.astype({"base": object}).assign(base=["n/a", *comparison["base"][1:]]))
    with pytest.raises(DataError, match=r"a Strategy has no parameter 'retention_rate'"):
        transaction.with_(retention_rate=0.9)
    with pytest.raises(DataError, match=r"rng must be a numpy random Generator"):
        simulate_base(transaction, 5, rng=3)
    matplotlib.pyplot.close("all")


def test_a_stochastic_run_of_astronomical_bases_is_refused(transaction):
    rng = np.random.default_rng(1)
    with pytest.raises(DataError, match=r"strategy.acquired must be at most 1e\+12, got 1e\+300"):
        simulate_base(transaction.with_(acquired=1e300), 3, rng=rng)
    assert len(simulate_base(transaction.with_(acquired=1e300), 3)) == 4  # the expected path is fine
