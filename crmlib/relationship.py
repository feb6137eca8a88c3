"""Relationship marketing (关系营销): a game-theory reading and the models of chapter 02.

**The repeated game (重复博弈).** A firm and a customer each choose to
*cooperate* (the firm serves well, the customer stays and pays a fair price)
or to *defect* (the firm cuts corners, the customer shops around or
haggles). The payoffs are those of a prisoner's dilemma, T > R > P > S and
2R > T + S (Axelrod 1984: T = 5, R = 3, P = 1, S = 0): in one transaction
defecting pays whatever the other does, so both defect and earn P. When the
relationship continues with probability delta after every round, a player
who defects loses the partner's future cooperation. Against grim trigger,
cooperating for ever is worth R / (1 - delta) and defecting once
T + delta P / (1 - delta); cooperation is an equilibrium when

    delta >= (T - R) / (T - P)           (the "shadow of the future")

**The figures of the chapter**: the six markets model (Christopher, Payne &
Ballantyne 1991) and the key account relational development model (Millman
& Wilson 1994).

References
----------
Axelrod, R. (1984). The Evolution of Cooperation. Basic Books.
Christopher, M., Payne, A., & Ballantyne, D. (1991). Relationship Marketing.
Butterworth-Heinemann. Millman, T., & Wilson, K. (1994). From key account
selling to key account management. Journal of Marketing Practice 1(1), 9-21.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .glossary import term
from .plots import PALETTE, finish, new_figure, wrap_label
from .validation import (
    DataError,
    require_choice,
    require_columns,
    require_count,
    require_frame,
    require_number,
    require_numeric,
    require_unique_index,
    to_numbers,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = [
    "MAX_ROUNDS",
    "Payoffs",
    "AXELROD",
    "STRATEGIES",
    "play",
    "one_shot_table",
    "critical_continuation",
    "shadow_of_the_future",
    "matches",
    "tournament",
    "plot_shadow_of_the_future",
    "plot_tournament",
    "plot_six_markets",
    "plot_key_account_model",
    "KEY_ACCOUNT_STAGES",
    "SIX_MARKETS",
]


#: The most rounds :func:`play` and :func:`tournament` play per match (the course plays 50).
MAX_ROUNDS = 10_000


@dataclass(frozen=True)
class Payoffs:
    """Prisoner's-dilemma payoffs per round for the row player.

    ``temptation`` T (defect against a cooperator), ``reward`` R (both
    cooperate), ``punishment`` P (both defect), ``sucker`` S (cooperate
    against a defector). A dilemma needs T > R > P > S and 2R > T + S.

    Raises
    ------
    DataError
        A payoff that is not a finite number, or payoffs that are not a
        prisoner's dilemma.

    Example
    -------
    >>> Payoffs(5, 3, 1, 0).reward
    3
    """

    temptation: float = 5
    reward: float = 3
    punishment: float = 1
    sucker: float = 0

    def __post_init__(self) -> None:
        for name in ("temptation", "reward", "punishment", "sucker"):
            require_number(getattr(self, name), name)
        t, r, p, s = self.temptation, self.reward, self.punishment, self.sucker
        if not (t > r > p > s):
            raise DataError(
                f"payoffs must satisfy temptation > reward > punishment > sucker, got "
                f"T={t}, R={r}, P={p}, S={s}"
            )
        if not 2 * r > t + s:
            raise DataError(
                f"payoffs must satisfy 2*reward > temptation + sucker (else taking turns "
                f"to exploit beats cooperating), got 2R={2 * r}, T+S={t + s}"
            )

    def of(self, mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
        """Payoff of moves ``mine`` against ``theirs`` (True = cooperate, or 1/0; of the same
        length). Text such as "False", which would count as True, raises DataError."""
        mine, theirs = _moves(mine, "mine"), _moves(theirs, "theirs")
        if mine.shape != theirs.shape:
            raise DataError(
                f"mine and theirs must be as long as each other, got {mine.size} and {theirs.size} moves"
            )
        return np.where(
            mine,
            np.where(theirs, self.reward, self.sucker),
            np.where(theirs, self.temptation, self.punishment),
        ).astype(float)


def _moves(values: object, name: str) -> np.ndarray:
    """Moves as a 1-d bool array: True/False, or the numbers 1/0."""
    raw = np.asarray(values.to_numpy() if isinstance(values, pd.Series) else values, dtype=object)
    raw = raw.reshape(1) if raw.ndim == 0 else raw
    flags = raw.ndim == 1 and all(isinstance(v, (bool, np.bool_)) for v in raw)
    if not flags:
        numbers = to_numbers(raw, name, low=0, high=1, integer=True, allow_empty=True)
        return numbers.astype(bool)
    return raw.astype(bool)


#: The payoffs of Axelrod's tournaments (1984).
AXELROD = Payoffs(5, 3, 1, 0)

Rule = Callable[[np.ndarray, np.ndarray, np.random.Generator], bool]


def _always_cooperate(mine, theirs, rng):
    return True


def _always_defect(mine, theirs, rng):
    return False


def _tit_for_tat(mine, theirs, rng):
    return True if len(theirs) == 0 else bool(theirs[-1])


def _grim_trigger(mine, theirs, rng):
    return bool(np.all(theirs))


def _random(mine, theirs, rng):
    return bool(rng.random() < 0.5)


#: The strategies, by glossary key: a rule maps (own moves so far, the other's
#: moves so far, a random generator) to the next move, True = cooperate.
STRATEGIES: dict[str, Rule] = {
    "always_cooperate": _always_cooperate,
    "always_defect": _always_defect,
    "tit_for_tat": _tit_for_tat,
    "grim_trigger": _grim_trigger,
    "random_strategy": _random,
}


def _rule(name: object, argument: str = "strategy") -> Rule:
    require_choice(name, argument, STRATEGIES)
    return STRATEGIES[name]


def _check_rounds(rounds: object) -> int:
    return require_count(rounds, "rounds", low=1, high=MAX_ROUNDS)


def _check_payoffs(payoffs: object) -> None:
    if not isinstance(payoffs, Payoffs):
        raise DataError(f"payoffs must be a crmlib.relationship.Payoffs, got {type(payoffs).__name__}")


def _check_game(payoffs: object, noise: object, rng: object) -> float:
    """Check the arguments :func:`play` and :func:`tournament` share; return the noise."""
    _check_payoffs(payoffs)
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise DataError(
            f"rng must be a numpy random Generator, e.g. np.random.default_rng(1), or None, "
            f"got {type(rng).__name__}"
        )
    return require_number(noise, "noise", low=0, high=1, rate=True)


def play(
    a: str,
    b: str,
    rounds: int,
    payoffs: Payoffs = AXELROD,
    noise: float = 0.0,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Play ``rounds`` rounds of the prisoner's dilemma between strategies ``a`` and ``b``.

    Parameters
    ----------
    a, b : str
        Keys of :data:`STRATEGIES`.
    rounds : int
        From 1 to :data:`MAX_ROUNDS` (10,000).
    payoffs : Payoffs
    noise : float
        Probability that an intended move is flipped (a mistake), 0 by default.
    rng : numpy.random.Generator, optional
        Needed for the random strategy or noise; default ``default_rng(0)``.

    Returns
    -------
    DataFrame
        ``round`` (1..rounds), ``move_a``, ``move_b`` (True = cooperate),
        ``payoff_a``, ``payoff_b``.

    Raises
    ------
    DataError
        An unknown strategy, ``rounds`` not a whole number from 1 to
        :data:`MAX_ROUNDS`, ``payoffs`` not a :class:`Payoffs`, ``noise``
        not a probability, or ``rng`` not a numpy Generator.

    Example
    -------
    >>> play("tit_for_tat", "always_defect", 3)[["move_a", "move_b", "payoff_a", "payoff_b"]]
       move_a  move_b  payoff_a  payoff_b
    0    True   False       0.0       5.0
    1   False   False       1.0       1.0
    2   False   False       1.0       1.0
    """
    rule_a, rule_b = _rule(a, "a"), _rule(b, "b")
    rounds = _check_rounds(rounds)
    noise = _check_game(payoffs, noise, rng)
    rng = np.random.default_rng(0) if rng is None else rng
    moves_a = np.zeros(rounds, bool)
    moves_b = np.zeros(rounds, bool)
    for t in range(rounds):
        move_a = rule_a(moves_a[:t], moves_b[:t], rng)
        move_b = rule_b(moves_b[:t], moves_a[:t], rng)
        if noise:
            move_a ^= bool(rng.random() < noise)
            move_b ^= bool(rng.random() < noise)
        moves_a[t], moves_b[t] = move_a, move_b
    return pd.DataFrame(
        {
            "round": np.arange(1, rounds + 1),
            "move_a": moves_a,
            "move_b": moves_b,
            "payoff_a": payoffs.of(moves_a, moves_b),
            "payoff_b": payoffs.of(moves_b, moves_a),
        }
    )


def one_shot_table(payoffs: Payoffs = AXELROD) -> pd.DataFrame:
    """The one-shot game as a 2 x 2 table of (firm, customer) payoffs.

    Rows are the firm's move, columns the customer's; each cell is the pair
    of payoffs. Defecting is the better reply to either move of the other
    side (T > R and P > S), so one transaction ends in mutual defection.
    Raises DataError when ``payoffs`` is not a :class:`Payoffs`.

    Example
    -------
    >>> one_shot_table().iloc[0, 0]
    '3, 3'
    """
    _check_payoffs(payoffs)
    c, d = term("cooperate"), term("defect")
    cells = [
        [f"{payoffs.reward:g}, {payoffs.reward:g}", f"{payoffs.sucker:g}, {payoffs.temptation:g}"],
        [f"{payoffs.temptation:g}, {payoffs.sucker:g}", f"{payoffs.punishment:g}, {payoffs.punishment:g}"],
    ]
    return pd.DataFrame(
        cells, index=pd.Index([c, d], name=term("firm")), columns=pd.Index([c, d], name=term("customer"))
    )


def critical_continuation(payoffs: Payoffs = AXELROD) -> float:
    """Smallest continuation probability at which grim trigger sustains cooperation.

    delta* = (T - R) / (T - P): cooperating for ever, R / (1 - delta), is worth
    at least defecting once, T + delta P / (1 - delta). Raises DataError when
    ``payoffs`` is not a :class:`Payoffs`.

    Example
    -------
    >>> critical_continuation()
    0.5
    """
    _check_payoffs(payoffs)
    return (payoffs.temptation - payoffs.reward) / (payoffs.temptation - payoffs.punishment)


def shadow_of_the_future(continuation: ArrayLike, payoffs: Payoffs = AXELROD) -> pd.DataFrame:
    """Expected total payoff of cooperating for ever against deviating once, against grim trigger.

    Parameters
    ----------
    continuation : float or array of floats in [0, 1)
        Probability delta that the relationship goes on after a round.

    Returns
    -------
    DataFrame
        ``continuation``, ``cooperate`` = R / (1 - delta), ``defect`` =
        T + delta P / (1 - delta), ``expected_rounds`` = 1 / (1 - delta).

    Raises
    ------
    DataError
        ``continuation`` not numbers in [0, 1), or ``payoffs`` not a
        :class:`Payoffs`.

    Example
    -------
    >>> shadow_of_the_future([0.0, 0.5, 0.75])
       continuation  cooperate  defect  expected_rounds
    0          0.00        3.0     5.0              1.0
    1          0.50        6.0     6.0              2.0
    2          0.75       12.0     8.0              4.0
    """
    _check_payoffs(payoffs)
    delta = to_numbers(continuation, "continuation", low=0)
    if (delta >= 1).any():
        raise DataError(
            "continuation must be a probability in [0, 1): with 1 the relationship never "
            "ends and the totals are infinite"
        )
    return pd.DataFrame(
        {
            "continuation": delta,
            "cooperate": payoffs.reward / (1 - delta),
            "defect": payoffs.temptation + delta * payoffs.punishment / (1 - delta),
            "expected_rounds": 1 / (1 - delta),
        }
    )


def _check_strategies(strategies: object) -> list[str]:
    if strategies is not None and (isinstance(strategies, str) or not isinstance(strategies, (list, tuple))):
        raise DataError(f"strategies must be a list of strategy names, got {strategies!r}")
    names = list(STRATEGIES) if strategies is None else list(strategies)
    if not names:
        raise DataError("strategies is empty: name at least one strategy")
    for name in names:
        _rule(name, "every item of strategies")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise DataError(f"strategies repeats {', '.join(map(repr, repeated))}: name each strategy once")
    return names


def matches(
    strategies: list[str] | None = None,
    rounds: int = 1,
    payoffs: Payoffs = AXELROD,
    noise: float = 0.0,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Every match of a round robin: each strategy against each partner (itself included).

    For the match of strategy *a* against partner *b* over *n* rounds,
    ``payoff_per_round`` = (1/n) sum_t payoff_a(t), ``cooperation`` = the share
    of rounds in which *a* cooperated and ``mutual_cooperation`` = the share in
    which both did. The matches are played in the order strategy by strategy,
    partner by partner, with one generator, so the same ``rng`` seed gives the
    matches :func:`tournament` averages (Axelrod 1984, ch. 2, ran his
    tournaments the same way).

    Parameters
    ----------
    strategies : list of str, optional
        Keys of :data:`STRATEGIES`, each at most once; default all of them.
    rounds : int
        Rounds per match, from 1 to :data:`MAX_ROUNDS` (10,000).
    payoffs, noise, rng
        As in :func:`play`.

    Returns
    -------
    DataFrame
        One row per ordered pair: ``strategy``, ``partner``,
        ``payoff_per_round``, ``cooperation``, ``mutual_cooperation``. A
        strategy's match against itself is one match, in which it is both
        players.

    Raises
    ------
    DataError
        ``strategies`` empty, with an unknown or repeated strategy, and the
        errors of :func:`play`.

    References
    ----------
    Axelrod, R. (1984). The Evolution of Cooperation. Basic Books, ch. 2.

    Example
    -------
    >>> matches(["always_defect", "tit_for_tat"], rounds=2)[["strategy", "partner", "payoff_per_round"]]
            strategy        partner  payoff_per_round
    0  always_defect  always_defect               1.0
    1  always_defect    tit_for_tat               3.0
    2    tit_for_tat  always_defect               0.5
    3    tit_for_tat    tit_for_tat               3.0
    """
    names = _check_strategies(strategies)
    rounds = _check_rounds(rounds)
    noise = _check_game(payoffs, noise, rng)
    rng = np.random.default_rng(0) if rng is None else rng
    rows = []
    for name in names:
        for other in names:
            match = play(name, other, rounds, payoffs=payoffs, noise=noise, rng=rng)
            rows.append(
                {
                    "strategy": name,
                    "partner": other,
                    "payoff_per_round": float(match["payoff_a"].mean()),
                    "cooperation": float(match["move_a"].mean()),
                    "mutual_cooperation": float((match["move_a"] & match["move_b"]).mean()),
                }
            )
    return pd.DataFrame(rows)


def tournament(
    strategies: list[str] | None = None,
    rounds: int = 1,
    payoffs: Payoffs = AXELROD,
    noise: float = 0.0,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Round robin: every strategy meets every strategy (itself included) for ``rounds`` rounds.

    A strategy's score is the mean of its :func:`matches` rows: the payoff per
    round averaged over its partners, each partner weighted once.

    Parameters
    ----------
    strategies : list of str, optional
        Keys of :data:`STRATEGIES`, each at most once; default all of them.
    rounds : int
        Rounds per match, from 1 to :data:`MAX_ROUNDS` (10,000).
    payoffs, noise, rng
        As in :func:`play`.

    Raises
    ------
    DataError
        ``strategies`` empty, with an unknown or repeated strategy, and the
        errors of :func:`play`.

    Returns
    -------
    DataFrame
        One row per strategy (glossary key as index), sorted best first:
        ``payoff_per_round`` (mean over its matches and rounds),
        ``cooperation`` (share of its own moves that cooperate) and
        ``mutual_cooperation`` (share of rounds in which both cooperated).

    Example
    -------
    >>> tournament(["always_defect", "tit_for_tat"], rounds=1)["payoff_per_round"]
    strategy
    always_defect    3.0
    tit_for_tat      1.5
    Name: payoff_per_round, dtype: float64
    """
    played = matches(strategies, rounds, payoffs=payoffs, noise=noise, rng=rng)
    columns = ["payoff_per_round", "cooperation", "mutual_cooperation"]
    table = played.groupby("strategy", sort=False)[columns].mean()
    return table.sort_values("payoff_per_round", ascending=False, kind="stable")


# ---------------------------------------------------------------- figures


def plot_shadow_of_the_future(
    *,
    payoffs: Payoffs = AXELROD,
    max_continuation: float = 0.9,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Cooperating for ever against defecting once, as the continuation probability grows.

    ``max_continuation``, the right end of the axis, is a probability below 1
    (with 1 the totals are infinite); a bad value raises DataError."""
    _check_payoffs(payoffs)
    max_continuation = require_number(max_continuation, "max_continuation", low=0, high=1, high_open=True)
    delta = np.linspace(0, max_continuation, 181)
    table = shadow_of_the_future(delta, payoffs)
    if ax is None:
        _, ax = new_figure()
    ax.plot(table["continuation"], table["cooperate"], color=PALETTE[0], label=term("cooperate_forever"))
    ax.plot(table["continuation"], table["defect"], color=PALETTE[3], label=term("defect_once"))
    star = critical_continuation(payoffs)
    ax.axvline(star, color="0.4", linestyle="--", label=term("critical_continuation"))
    ax.set_xlabel(term("continuation_probability"))
    ax.set_ylabel(term("expected_total_payoff"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    return finish(ax, title, source)


def plot_tournament(
    one_shot: pd.DataFrame,
    repeated: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Payoff per round of each strategy in a one-shot and in a repeated tournament.

    Both tables are :func:`tournament` results (``payoff_per_round`` by
    strategy); a table that is not one, or a strategy of ``repeated`` missing
    from ``one_shot``, raises DataError."""
    for name, table in (("one_shot", one_shot), ("repeated", repeated)):
        require_frame(table, name)
        require_columns(table, ["payoff_per_round"], name)
        require_unique_index(table, name)
        require_numeric(table, "payoff_per_round")
    order = repeated.index.tolist()
    absent = [name for name in order if name not in one_shot.index]
    if absent:
        raise DataError(
            f"one_shot has no row for the strategies {', '.join(map(repr, absent))} of repeated: "
            "play both tournaments with the same strategies"
        )
    if ax is None:
        _, ax = new_figure()
    x = np.arange(len(order))
    ax.bar(
        x - 0.2,
        one_shot.loc[order, "payoff_per_round"],
        width=0.4,
        color=PALETTE[1],
        label=term("one_shot_game"),
    )
    ax.bar(
        x + 0.2,
        repeated.loc[order, "payoff_per_round"],
        width=0.4,
        color=PALETTE[0],
        label=term("repeated_game"),
    )
    ax.set_xticks(x, [term(k) for k in order])
    ax.set_ylabel(term("payoff_per_round"))
    ax.legend(loc="upper right")
    return finish(ax, title, source)


#: The six markets of Christopher, Payne & Ballantyne (1991), centre first.
SIX_MARKETS = [
    "internal_markets",
    "customer_markets",
    "referral_markets",
    "influence_markets",
    "recruitment_markets",
    "supplier_markets",
]


def plot_six_markets(*, ax: Axes | None = None, title: str | None = None, source: str | None = None) -> Axes:
    """The six markets model: internal markets at the hub, five external markets around it.

    Customer markets, the focus of relationship marketing, are drawn larger.
    """
    from matplotlib.patches import Circle

    if ax is None:
        _, ax = new_figure()
    ax.set_aspect("equal")
    centre = SIX_MARKETS[0]
    outer = SIX_MARKETS[1:]
    angles = np.pi / 2 - np.arange(len(outer)) * 2 * np.pi / len(outer)
    for key, angle in zip(outer, angles, strict=True):
        x, y = 1.55 * np.cos(angle), 1.55 * np.sin(angle)
        ax.plot([0, x], [0, y], color="0.6", linewidth=1.2, zorder=1)
        big = key == "customer_markets"
        ax.add_patch(Circle((x, y), 0.62 if big else 0.5, color=PALETTE[0] if big else PALETTE[5], zorder=2))
        ax.text(
            x,
            y,
            wrap_label(term(key)),
            ha="center",
            va="center",
            fontsize=10 if big else 9,
            color="white" if big else "black",
            fontweight="bold" if big else "normal",
            zorder=3,
        )
    ax.add_patch(Circle((0, 0), 0.58, color=PALETTE[1], zorder=2))
    ax.text(
        0, 0, wrap_label(term(centre)), ha="center", va="center", fontsize=10, fontweight="bold", zorder=3
    )
    ax.set_xlim(-2.4, 2.4)
    ax.set_ylim(-2.2, 2.3)
    ax.axis("off")
    return finish(ax, title or term("six_markets_model"), source)


#: Millman & Wilson (1994): stage key, position on (nature of relationship,
#: customer involvement), both from 0 (transactional, simple) to 1
#: (collaborative, complex).
KEY_ACCOUNT_STAGES = {
    "pre_kam": (0.08, 0.10),
    "early_kam": (0.27, 0.28),
    "mid_kam": (0.48, 0.48),
    "partnership_kam": (0.69, 0.68),
    "synergistic_kam": (0.88, 0.88),
    "uncoupling_kam": (0.40, 0.04),
}


def plot_key_account_model(
    *,
    counts: dict[str, int] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The key account relational development model as stages on two axes.

    The five development stages climb the diagonal from transactional and
    simple to collaborative and complex (solid arrows); uncoupling can happen
    from any stage (dashed arrows); the legend names both. ``counts`` (stage key -> number of accounts) adds the
    number of accounts at each stage to its label; an unknown stage or a
    count that is not a whole number >= 0 raises DataError.
    """
    if counts is not None:
        if not isinstance(counts, dict):
            raise DataError(
                f"counts must be a dict of stage -> number of accounts, got {type(counts).__name__}"
            )
        for key, count in counts.items():
            require_choice(key, "every key of counts", KEY_ACCOUNT_STAGES)
            require_count(count, f"counts[{key!r}]")
    if ax is None:
        _, ax = new_figure()
    path = [k for k in KEY_ACCOUNT_STAGES if k != "uncoupling_kam"]
    xs = [KEY_ACCOUNT_STAGES[k][0] for k in path]
    ys = [KEY_ACCOUNT_STAGES[k][1] for k in path]
    for i in range(len(path) - 1):
        ax.annotate(
            "",
            xy=(xs[i + 1], ys[i + 1]),
            xytext=(xs[i], ys[i]),
            arrowprops={
                "arrowstyle": "->",
                "color": PALETTE[0],
                "linewidth": 2,
                "shrinkA": 14,
                "shrinkB": 14,
            },
        )
    ux, uy = KEY_ACCOUNT_STAGES["uncoupling_kam"]
    for x, y in zip(xs[1:], ys[1:], strict=True):
        ax.annotate(
            "",
            xy=(ux, uy),
            xytext=(x, y),
            arrowprops={
                "arrowstyle": "->",
                "color": PALETTE[3],
                "linestyle": "--",
                "linewidth": 1,
                "shrinkA": 14,
                "shrinkB": 14,
                "alpha": 0.6,
            },
        )
    for key, (x, y) in KEY_ACCOUNT_STAGES.items():
        colour = PALETTE[3] if key == "uncoupling_kam" else PALETTE[0]
        ax.plot(x, y, marker="o", markersize=16, color=colour, zorder=3)
        label = term(key)
        if counts is not None and key in counts:
            label = f"{label}\n(n = {counts[key]})"
        ax.text(x + 0.035, y, label, ha="left", va="center", fontsize=9, zorder=4)
    ax.set_xlim(0, 1.12)
    ax.set_ylim(-0.05, 1.02)
    ax.set_xticks([0.05, 0.95], [term("transactional"), term("collaborative")])
    ax.set_yticks([0.0, 0.95], [term("simple"), term("complex")])
    ax.set_xlabel(term("nature_of_relationship"))
    ax.set_ylabel(term("customer_involvement"))
    ax.grid(False)
    handles = [
        Line2D([], [], color=PALETTE[0], linewidth=2, marker="o", label=term("ka_development_path")),
        Line2D(
            [],
            [],
            color=PALETTE[3],
            linewidth=1,
            linestyle="--",
            marker="o",
            label=term("ka_uncoupling_path"),
        ),
    ]
    ax.legend(handles=handles, loc="upper left")
    return finish(ax, title or term("key_account_model"), source)
