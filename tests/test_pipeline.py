"""The weighted pipeline forecast of crmlib.pipeline: win rates from closed deals, the expected
revenue Σ p·v, and the simulation around it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import crmlib
from crmlib import pipeline
from crmlib.validation import DataError


def _deals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "probability": [0.1, 0.5, 0.75, 0.25, 0.5],
            "expected_value": [100_000, 40_000, 250_000, 80_000, 10_000],
            "expected_close_date": pd.to_datetime(
                ["2025-01-15", "2025-02-01", "2025-03-30", "2025-04-02", "2025-06-30"]
            ),
        }
    )


def test_win_rates_count_closed_deals_only():
    opportunities = crmlib.load_demo("opportunities")
    rates = pipeline.win_rates(opportunities, by="owner")
    closed = opportunities[opportunities["stage"].isin(pipeline.CLOSED_STAGES)]
    assert rates["closed"].sum() == len(closed)
    won = closed["stage"].eq("closed_won").groupby(closed["owner"]).mean()
    assert np.allclose(rates["win_rate"], won.reindex(rates.index))
    assert ((rates["ci_low"] <= rates["win_rate"]) & (rates["win_rate"] <= rates["ci_high"])).all()


def test_key_account_managers_win_more_often_than_the_other_reps():
    """The data card: key accounts (managed by REP01-REP04) win 65 % of their closed deals, the
    other business accounts 40 %, accounts that never buy none."""
    rates = pipeline.win_rates(crmlib.load_demo("opportunities"), by="owner")
    assert rates.loc[["REP01", "REP02", "REP03", "REP04"], "win_rate"].min() > 0.55
    assert rates.loc[["REP05", "REP06", "REP07", "REP08"], "win_rate"].max() < 0.45


def test_expected_revenue_is_the_probability_weighted_sum_per_quarter():
    table = pipeline.forecast(_deals(), n_sims=500)
    assert table.loc["2025Q1", "expected"] == pytest.approx(0.1 * 100_000 + 0.5 * 40_000 + 0.75 * 250_000)
    assert table.loc["2025Q2", "expected"] == pytest.approx(0.25 * 80_000 + 0.5 * 10_000)
    assert table["deals"].tolist() == [3, 2]
    assert table["pipeline_value"].sum() == _deals()["expected_value"].sum()


def test_the_simulated_mean_converges_to_the_expected_revenue():
    deals = _deals()
    table = pipeline.forecast(deals, n_sims=200_000, seed=3)
    p, v, q = deals["probability"], deals["expected_value"], deals["expected_close_date"].dt.quarter
    sd = np.sqrt((p * (1 - p) * v**2).groupby(q).sum()).to_numpy()
    assert np.all(np.abs(table["sim_mean"] - table["expected"]) < 4 * sd / np.sqrt(200_000))
    assert (table["sim_low"] <= table["expected"]).all() and (table["expected"] <= table["sim_high"]).all()


def test_certain_deals_have_no_spread_and_no_chance_of_nothing():
    deals = _deals().assign(probability=[1.0, 0.0, 1.0, 1.0, 0.0])
    table = pipeline.forecast(deals, n_sims=300)
    assert (table["sim_low"] == table["expected"]).all() and (table["sim_high"] == table["expected"]).all()
    assert (table["p_no_win"] == 0).all()


def test_the_simulation_is_reproducible_with_its_seed_and_changes_without_it():
    first = pipeline.forecast(_deals(), n_sims=2000, seed=11)
    assert first.equals(pipeline.forecast(_deals(), n_sims=2000, seed=11))
    assert not first.equals(pipeline.forecast(_deals(), n_sims=2000, seed=12))


def test_a_wider_level_gives_a_wider_interval():
    narrow = pipeline.forecast(_deals(), n_sims=5000, level=0.5, seed=1)
    wide = pipeline.forecast(_deals(), n_sims=5000, level=0.95, seed=1)
    assert ((wide["sim_high"] - wide["sim_low"]) >= (narrow["sim_high"] - narrow["sim_low"])).all()


def test_percentages_as_probabilities_are_refused():
    with pytest.raises(DataError, match="shares"):
        pipeline.forecast(_deals().assign(probability=[10, 50, 75, 25, 50]))


def test_stage_win_rates_count_every_closed_deal_in_each_stage_it_reached():
    """Reference: each closed deal's furthest open stage, from the order of the stages; a deal counts
    in every stage up to that one."""
    history = crmlib.load_demo("opportunity_stages")
    rates = pipeline.stage_win_rates(history)
    order = {stage: k for k, stage in enumerate(pipeline.OPEN_STAGES)}
    outcome = history[history["stage"].isin(pipeline.CLOSED_STAGES)].set_index("opportunity_id")["stage"]
    furthest = history["stage"].map(order).groupby(history["opportunity_id"]).max().loc[outcome.index]
    for stage, k in order.items():
        reached = furthest >= k
        assert rates.loc[stage, "closed"] == reached.sum()
        assert rates.loc[stage, "won"] == (outcome[reached] == "closed_won").sum()
    assert rates.loc["prospecting", "closed"] == len(outcome)  # every deal starts in prospecting


def test_deals_that_got_further_win_more_often_in_the_demo_history():
    """The data card: lost deals are lost in every stage, won deals pass all four, so the share won
    rises stage by stage; the typed-in probabilities (10 % to 75 %) are below every estimate."""
    rates = pipeline.stage_win_rates(crmlib.load_demo("opportunity_stages"))
    assert rates["win_rate"].is_monotonic_increasing and rates["win_rate"].is_unique
    typed = crmlib.load_demo("opportunities").groupby("stage")["probability"].first()
    assert (rates["win_rate"] > typed.reindex(rates.index)).all()


def test_stage_win_rates_refuse_a_deal_both_won_and_lost_and_a_stage_never_reached():
    history = pd.DataFrame(
        {
            "deal": ["A", "A", "A", "B", "B"],
            "stage": ["prospecting", "closed_won", "closed_lost", "prospecting", "closed_lost"],
        }
    )
    with pytest.raises(DataError, match=r"'deal'.*either won or lost"):
        pipeline.stage_win_rates(history, deal_col="deal", stages=("prospecting",))
    with pytest.raises(DataError, match=r"'stage'.*\['proposal'\]"):
        pipeline.stage_win_rates(history.iloc[3:], deal_col="deal", stages=("prospecting", "proposal"))
