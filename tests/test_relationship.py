"""crmlib.relationship: the repeated prisoner's dilemma and the chapter 02 figures."""

import matplotlib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

import crmlib
from crmlib import relationship as rl

P = rl.AXELROD


def test_grim_trigger_against_itself_earns_the_cooperative_payoff_every_round():
    match = rl.play("grim_trigger", "grim_trigger", 100)
    assert (match["payoff_a"] == P.reward).all() and (match["payoff_b"] == P.reward).all()


def test_tit_for_tat_is_exploited_once_by_always_defect_then_punishes():
    match = rl.play("tit_for_tat", "always_defect", 10)
    assert match["payoff_a"].tolist() == [P.sucker] + [P.punishment] * 9
    assert match["payoff_b"].tolist() == [P.temptation] + [P.punishment] * 9


def test_grim_trigger_never_forgives_but_tit_for_tat_does():
    """Against a random partner, grim trigger defects for ever after the first defection;
    tit for tat copies the partner's last move, so it cooperates again."""
    grim = rl.play("grim_trigger", "random_strategy", 100, rng=np.random.default_rng(3))
    first = int(np.flatnonzero(~grim["move_b"].to_numpy())[0])
    assert grim["move_a"].iloc[: first + 1].all()
    assert not grim["move_a"].iloc[first + 1 :].any()
    tft = rl.play("tit_for_tat", "random_strategy", 100, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(tft["move_a"].to_numpy()[1:], tft["move_b"].to_numpy()[:-1])
    assert tft["move_a"].iloc[first + 1 :].any()


def test_defection_is_the_best_reply_in_the_one_shot_game():
    for theirs in (True, False):
        assert P.of([False], [theirs])[0] > P.of([True], [theirs])[0]
    table = rl.one_shot_table()
    assert table.iloc[1, 1] == "1, 1" and table.iloc[0, 0] == "3, 3"


def test_always_defect_wins_a_one_shot_tournament_and_loses_a_long_one():
    one = rl.tournament(["always_cooperate", "always_defect", "tit_for_tat", "grim_trigger"], rounds=1)
    long = rl.tournament(["always_cooperate", "always_defect", "tit_for_tat", "grim_trigger"], rounds=200)
    assert one.index[0] == "always_defect"
    # repeated: AllD earns (5 + 1 + (5 + 199)/200 * 2) / 4 per round, TFT (3 + 199/200 + 3 + 3) / 4
    assert long.loc["always_defect", "payoff_per_round"] == pytest.approx((5 + 1 + 2 * (5 + 199) / 200) / 4)
    assert long.loc["tit_for_tat", "payoff_per_round"] == pytest.approx((3 + 199 / 200 + 3 + 3) / 4)
    assert long.loc["tit_for_tat", "payoff_per_round"] > long.loc["always_defect", "payoff_per_round"]


def test_critical_continuation_is_half_for_axelrod_payoffs():
    """(T - R)/(T - P) = (5 - 3)/(5 - 1) = 0.5 for Axelrod's payoffs."""
    assert rl.critical_continuation() == 0.5


@settings(max_examples=50, deadline=None)
@given(t=st.floats(4.1, 10), r=st.floats(2.1, 4), p=st.floats(0.6, 2), delta=st.floats(0, 0.95))
def test_cooperation_pays_exactly_above_the_critical_continuation(t, r, p, delta):
    if not (t > r > p > 0 and 2 * r > t):
        return
    payoffs = rl.Payoffs(t, r, p, 0)
    row = rl.shadow_of_the_future(delta, payoffs).iloc[0]
    star = rl.critical_continuation(payoffs)
    if abs(delta - star) > 1e-9:
        assert (row["cooperate"] > row["defect"]) == (delta > star)


def test_shadow_matches_a_long_discounted_simulation():
    """Series against closed form: sum of delta^t * payoff over a simulated match."""
    delta, rounds = 0.8, 400
    weights = delta ** np.arange(rounds)
    cooperate = rl.play("grim_trigger", "grim_trigger", rounds)["payoff_a"].to_numpy()
    deviate = rl.play("always_defect", "grim_trigger", rounds)["payoff_a"].to_numpy()
    row = rl.shadow_of_the_future(delta).iloc[0]
    assert weights @ cooperate == pytest.approx(row["cooperate"], rel=1e-9)
    assert weights @ deviate == pytest.approx(row["defect"], rel=1e-9)


def test_random_strategy_is_reproducible_and_about_half():
    a = rl.play("random_strategy", "always_cooperate", 2000, rng=np.random.default_rng(5))
    b = rl.play("random_strategy", "always_cooperate", 2000, rng=np.random.default_rng(5))
    assert a.equals(b)
    assert 0.46 < a["move_a"].mean() < 0.54


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match=r"there is no strategy 'nice'; the strategies are always_cooperate"):
        rl.play("nice", "always_defect", 3)
    with pytest.raises(ValueError, match=r"rounds must be a whole number >= 1, got 0"):
        rl.play("tit_for_tat", "always_defect", 0)
    with pytest.raises(ValueError, match=r"noise must be a probability between 0 and 1, got 5"):
        rl.play("tit_for_tat", "always_defect", 3, noise=5)
    with pytest.raises(ValueError, match=r"temptation > reward > punishment > sucker"):
        rl.Payoffs(3, 5, 1, 0)
    with pytest.raises(ValueError, match=r"2\*reward > temptation \+ sucker"):
        rl.Payoffs(10, 3, 1, 0)
    with pytest.raises(ValueError, match=r"continuation must be a probability in \[0, 1\)"):
        rl.shadow_of_the_future(1.0)


def test_figures_take_their_words_from_the_glossary():
    crmlib.set_language("zh")
    try:
        ax = rl.plot_six_markets()
        texts = {t.get_text() for t in ax.texts}
        assert {"顾客市场", "内部市场", "推荐者市场"} <= texts
        ax = rl.plot_key_account_model()
        assert ax.get_xlabel() == "客户关系的实质"
        assert "大客户管理间断阶段" in {t.get_text() for t in ax.texts}
        one, rep = rl.tournament(rounds=1), rl.tournament(rounds=5)
        ax = rl.plot_tournament(one, rep)
        assert "以牙还牙策略" in [t.get_text() for t in ax.get_xticklabels()]
        ax = rl.plot_shadow_of_the_future()
        assert ax.get_ylabel() == crmlib.term("expected_total_payoff", "zh")
    finally:
        crmlib.set_language("en")
        matplotlib.pyplot.close("all")
