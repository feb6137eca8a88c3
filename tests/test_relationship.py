"""crmlib.relationship: the repeated prisoner's dilemma and the chapter 02 figures."""

import matplotlib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

import crmlib
from crmlib import relationship as rl
from crmlib.validation import DataError

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


def test_matches_score_each_pair_by_hand():
    """Always defect against tit for tat over 10 rounds: 5 once, then 1 nine times, (5 + 9) / 10 = 1.4
    per round; tit for tat gets 0 once and then 1, 9 / 10 = 0.9."""
    table = rl.matches(["always_defect", "tit_for_tat"], rounds=10).set_index(["strategy", "partner"])
    assert table.loc[("always_defect", "tit_for_tat"), "payoff_per_round"] == pytest.approx(1.4)
    assert table.loc[("tit_for_tat", "always_defect"), "payoff_per_round"] == pytest.approx(0.9)
    assert table.loc[("tit_for_tat", "tit_for_tat"), "mutual_cooperation"] == 1.0
    assert len(table) == 4


def test_a_tournament_is_the_mean_of_its_matches_with_the_same_draws():
    pairs = rl.matches(rounds=30, rng=np.random.default_rng(7))
    table = rl.tournament(rounds=30, rng=np.random.default_rng(7))
    by_hand = pairs.groupby("strategy")["payoff_per_round"].mean()
    np.testing.assert_allclose(table["payoff_per_round"], by_hand.loc[table.index])


def test_without_a_random_player_grim_trigger_and_tit_for_tat_score_alike():
    """Against strategies that never defect first or always defect, the two make the same moves."""
    table = rl.tournament(["always_cooperate", "always_defect", "tit_for_tat", "grim_trigger"], rounds=50)
    assert table.loc["grim_trigger", "payoff_per_round"] == table.loc["tit_for_tat", "payoff_per_round"]


def test_matches_refuse_bad_strategies():
    with pytest.raises(DataError, match="repeats"):
        rl.matches(["tit_for_tat", "tit_for_tat"])
    with pytest.raises(DataError, match="strategies"):
        rl.matches("tit_for_tat")


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
    with pytest.raises(DataError, match=r"a must be one of 'always_cooperate', .*; got 'nice'"):
        rl.play("nice", "always_defect", 3)
    with pytest.raises(DataError, match=r"rounds must be at least 1, got 0"):
        rl.play("tit_for_tat", "always_defect", 0)
    with pytest.raises(DataError, match=r"noise must be at most 1, got 5 \(give rates as fractions"):
        rl.play("tit_for_tat", "always_defect", 3, noise=5)
    with pytest.raises(DataError, match=r"temptation > reward > punishment > sucker"):
        rl.Payoffs(3, 5, 1, 0)
    with pytest.raises(DataError, match=r"2\*reward > temptation \+ sucker"):
        rl.Payoffs(10, 3, 1, 0)
    with pytest.raises(DataError, match=r"continuation must be a probability in \[0, 1\)"):
        rl.shadow_of_the_future(1.0)


# ------------------------------------------------------------- bad input (issue 10)
@pytest.mark.parametrize(
    "call",
    [
        lambda: rl.play("tit_for_tat", "always_defect", 10**9),
        lambda: rl.tournament(rounds=10**9),
    ],
    ids=["play", "tournament"],
)
def test_huge_numbers_of_rounds_are_refused_not_played(call):
    with pytest.raises(DataError, match=r"rounds must be at most 10,000, got 1,000,000,000"):
        call()


def test_the_cap_on_rounds_is_documented_and_far_above_the_course():
    assert rl.MAX_ROUNDS == 10_000
    assert "MAX_ROUNDS" in rl.play.__doc__ and "MAX_ROUNDS" in rl.tournament.__doc__
    assert len(rl.play("tit_for_tat", "grim_trigger", rl.MAX_ROUNDS)) == rl.MAX_ROUNDS


@pytest.mark.parametrize("field", ["temptation", "reward", "punishment", "sucker"])
def test_payoffs_given_as_text_are_refused(field):
    with pytest.raises(DataError, match=rf"{field} must be a number, got a text '0.5'"):
        rl.Payoffs(**{field: "0.5"})
    with pytest.raises(DataError, match=rf"{field} must be a finite number, got nan"):
        rl.Payoffs(**{field: float("nan")})


def test_moves_given_as_text_are_refused_not_read_as_cooperation():
    """np.asarray(["False"], bool) is True: the text would have counted as cooperating."""
    with pytest.raises(DataError, match=r"mine must be numbers, got a value that is not \('False'\)"):
        P.of(np.array(["False", "True"]), np.array([True, True]))
    assert P.of(np.array([0, 1]), np.array([True, True])).tolist() == [P.temptation, P.reward]
    with pytest.raises(DataError, match=r"mine and theirs must be as long as each other, got 2 and 3 moves"):
        P.of([True, False], [True, True, True])


def test_bad_continuations_and_figure_options_are_explained():
    with pytest.raises(DataError, match=r"continuation must be numbers, got a value that is not \('a'\)"):
        rl.shadow_of_the_future(["a", "b"])
    with pytest.raises(DataError, match=r"continuation must be at least 0, got (np.float64\()?-0.5"):
        rl.shadow_of_the_future([-0.5])
    with pytest.raises(DataError, match=r"max_continuation must be a number, got a text '0.5'"):
        rl.plot_shadow_of_the_future(max_continuation="0.5")
    with pytest.raises(DataError, match=r"max_continuation must be below 1, got 1"):
        rl.plot_shadow_of_the_future(max_continuation=1)
    with pytest.raises(DataError, match=r"counts\['pre_kam'\] must be a whole number, got 2.5"):
        rl.plot_key_account_model(counts={"pre_kam": 2.5})
    matplotlib.pyplot.close("all")


def test_tournament_tables_are_checked_before_plotting():
    one, rep = rl.tournament(rounds=1), rl.tournament(rounds=5)
    with pytest.raises(DataError, match=r"one_shot must be a pandas DataFrame, got list"):
        rl.plot_tournament(one.to_dict("records"), rep)
    with pytest.raises(DataError, match=r"one_shot has no row for the strategies 'tit_for_tat'"):
        rl.plot_tournament(one.drop(index="tit_for_tat"), rep)
    with pytest.raises(DataError, match=r"repeated has no column 'payoff_per_round'"):
        rl.plot_tournament(one, rep.drop(columns="payoff_per_round"))
    with pytest.raises(DataError, match=r"strategies repeats 'tit_for_tat': name each strategy once"):
        rl.tournament(["tit_for_tat", "tit_for_tat"])


def test_figures_take_their_words_from_the_glossary():
    crmlib.set_language("zh")
    try:
        ax = rl.plot_six_markets()
        texts = {t.get_text() for t in ax.texts}
        assert {"客户市场", "内部市场", "推荐者市场"} <= texts
        ax = rl.plot_key_account_model()
        assert ax.get_xlabel() == "客户关系的实质"
        assert "大客户管理间断阶段" in {t.get_text() for t in ax.texts}
        one, rep = rl.tournament(rounds=1), rl.tournament(rounds=5)
        ax = rl.plot_tournament(one, rep)
        assert "针锋相对策略" in [t.get_text() for t in ax.get_xticklabels()]
        ax = rl.plot_shadow_of_the_future()
        assert ax.get_ylabel() == crmlib.term("expected_total_payoff", "zh")
    finally:
        crmlib.set_language("en")
        matplotlib.pyplot.close("all")


def test_the_key_account_model_names_both_kinds_of_arrow_in_its_legend():
    crmlib.set_language("en")
    ax = rl.plot_key_account_model()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [crmlib.term("ka_development_path"), crmlib.term("ka_uncoupling_path")]
    matplotlib.pyplot.close(ax.figure)
