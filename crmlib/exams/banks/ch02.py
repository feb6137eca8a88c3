"""Exam bank of chapter 02, relationship marketing and the nature of CRM (关系营销与CRM的性质)."""

from __future__ import annotations

from crmlib import relationship
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi

_PAIRS = [
    ("tit_for_tat", "always_defect"),
    ("grim_trigger", "always_defect"),
    ("always_cooperate", "always_defect"),
    ("always_defect", "tit_for_tat"),
    ("always_defect", "grim_trigger"),
    ("always_defect", "always_cooperate"),
]


def _payoffs(rng) -> dict:
    """A prisoner's dilemma: T > R > P > S and 2R > T + S."""
    while True:
        s = int(rng.integers(0, 2))
        p = s + int(rng.integers(1, 3))
        r = p + int(rng.integers(2, 5))
        t = r + int(rng.integers(1, 5))
        if 2 * r > t + s:
            return {"t": t, "r": r, "p": p, "s": s}


def _critical(t: int, r: int, p: int, s: int) -> float:
    return relationship.critical_continuation(relationship.Payoffs(t, r, p, s))


def _expected_rounds(t: int, r: int, p: int, s: int) -> float:
    return 1.0 / (1.0 - _critical(t, r, p, s))


def _match_total(
    a: str, b: str, a_name: str, b_name: str, rounds: int, t: int, r: int, p: int, s: int
) -> float:
    return float(relationship.play(a, b, rounds, payoffs=relationship.Payoffs(t, r, p, s))["payoff_a"].sum())


def _cooperation_gain(delta: float, t: int, r: int, p: int, s: int) -> float:
    table = relationship.shadow_of_the_future([delta], relationship.Payoffs(t, r, p, s))
    return float(table["cooperate"].iloc[0] - table["defect"].iloc[0])


def _draw_match(rng) -> dict:
    a, b = _PAIRS[int(rng.integers(len(_PAIRS)))]
    return {
        "a": a,
        "b": b,
        "a_name": bi(a),
        "b_name": bi(b),
        "rounds": int(rng.integers(5, 21)),
        **_payoffs(rng),
    }


QUESTIONS = [
    MultipleChoice(
        id="ch02.e1",
        heading="At the centre of the six markets",
        stem=(
            f"In the {bi('six_markets_model')} of Christopher, Payne and Ballantyne (1991), which market sits at "
            "the centre, and why?"
        ),
        options={
            "A": "the internal market, because every other relationship passes through the firm's own staff and departments",
            "B": "the customer market, because customers pay for everything",
            "C": "the supplier market, because quality starts with the inputs",
            "D": "the influence market, because regulators can close the firm",
        },
        correct="A",
        explanation="Customer markets remain the focus, but the internal market is drawn at the centre: each relationship outside is served by people inside.",
        why_not={
            "B": "Customer markets are the focus of the model, but they are one of the six around the centre, not the centre.",
            "C": "Supplier markets are one of the outer markets.",
            "D": "Influence markets (government, media, investors) are one of the outer markets.",
        },
    ),
    MultipleChoice(
        id="ch02.e2",
        heading="What tit for tat does",
        stem=f"Which description fits {bi('tit_for_tat')} in the repeated prisoner's dilemma of the chapter?",
        options={
            "A": "Cooperate in the first round, then copy the partner's last move.",
            "B": "Cooperate until the partner defects once, then defect for ever.",
            "C": "Defect in the first round, then copy the partner's last move.",
            "D": "Cooperate or defect with probability one half in each round.",
        },
        correct="A",
        explanation="Tit for tat opens kindly and then reciprocates: it punishes a defection once and forgives as soon as the partner cooperates again.",
        why_not={
            "B": "That is grim trigger, which never forgives.",
            "C": "Tit for tat opens by cooperating; opening with a defection would lose mutual cooperation against reciprocating partners.",
            "D": "That is the random player.",
        },
    ),
    MultipleChoice(
        id="ch02.e3",
        heading="Why CRM appeared in the 1990s",
        stem=(
            "The chapter names three conditions that had to meet for CRM to appear: "
            f"{bi('demand_pull')}, {bi('technology_push')} and {bi('new_marketing_ideas')}. Which pairing of a condition and "
            "the question it answers is right?"
        ),
        options={
            "A": "technology push: why it became possible to record every contact and use the records",
            "B": "demand pull: which software vendors sold CRM packages",
            "C": "new marketing ideas: why databases became cheaper",
            "D": "technology push: why firms wanted to compete by keeping customers",
        },
        correct="A",
        explanation="Technology push answers why CRM became possible: new channels made each contact easy to record, cheap storage and linked databases made the records usable, software turned them into advice.",
        why_not={
            "B": "Demand pull answers why firms wanted CRM: competing by keeping customers needs the scattered knowledge about them in one place.",
            "C": "Cheaper databases are technology push; new marketing ideas (relationship marketing) answer what firms should do with the relationship.",
            "D": "Wanting to keep customers is demand pull, not technology push.",
        },
    ),
    MultipleChoice(
        id="ch02.e4",
        heading="Customer and client",
        stem=f"Which statement about a {bi('client')} as opposed to a {bi('anonymous_customer')} is right?",
        options={
            "A": "The firm knows who the client is, keeps a record of their needs and history and serves them as a person.",
            "B": "A client is a business customer; a customer is a consumer.",
            "C": "A client buys more often than a customer.",
            "D": "A client pays in advance; a customer pays on delivery.",
        },
        correct="A",
        explanation="The difference is in what the firm knows and records and how it serves: as an individual, by assigned staff, with a record. The record is the costly part.",
        why_not={
            "B": "The distinction is not consumer against business: the online retailer could treat every consumer as a client.",
            "C": "Buying frequency is not the criterion; a market stall's regular is still a customer without a record.",
            "D": "Payment terms have nothing to do with it.",
        },
    ),
    MultipleChoice(
        id="ch02.e5",
        heading="The three levels of CRM",
        stem=(
            'The slides 《顾客关系管理的性质和功能》 ("The nature and functions of CRM") describe CRM on three levels: '
            "a philosophy, a management system and software. What does the chapter say about how they relate?"
        ),
        options={
            "A": "They stack: software without the management system is a database nobody uses, and a system without the philosophy is paperwork.",
            "B": "They are alternatives: a firm chooses the level that fits its budget.",
            "C": "Software comes first; the philosophy follows once the data are there.",
            "D": "Only the software level can be measured, so only it matters.",
        },
        correct="A",
        explanation="Each level needs the one above it; the technology supports the core (customer satisfaction with every employee taking part), it is not the core.",
        why_not={
            "B": "The levels are not alternatives; each depends on the one above.",
            "C": "The chapter orders them the other way: the philosophy says what the firm puts at the centre.",
            "D": "The chapter measures the philosophy's results too (the 10C indicators); and the levels are judged together.",
        },
    ),
    ShortAnswer(
        id="ch02.e6",
        heading="With whom, and what for",
        stem=(
            f"The chapter compares five definitions of {bi('relationship_marketing')} (Berry 1983, McKenna 1991, "
            "Christopher, Payne and Ballantyne 1991, Payne 1995, Kotler 1997). Explain the two directions in which "
            "they differ and what all five share."
        ),
        answer_points=(
            "Shared: the relationship, not the single sale, is what marketing manages; it lasts, both sides invest, and it is worth more than any one transaction in it.",
            "With whom: customers only (Berry, Payne) against suppliers and partners along the value chain (McKenna), six markets (Christopher et al.), the whole network (Kotler).",
            f"Kotler's {bi('marketing_network')}: the set of relationships as an asset a competitor cannot buy.",
            "What for: Berry's attract, maintain and enhance (the life of a relationship) against Payne's money in it (a customer kept for years is worth more).",
            "A good answer says which definition fits which firm (a supermarket chain against a supplier of twenty factories).",
        ),
    ),
    ShortAnswer(
        id="ch02.e7",
        heading="Why a repeated game sustains cooperation",
        stem=(
            "Explain with the prisoner's dilemma why a firm and a customer who meet once both defect, and why they may "
            "cooperate when the relationship is likely to continue. What does this mean for how a firm should build "
            "customer trust?"
        ),
        answer_points=(
            "One-shot: whatever the other does, defecting pays more (T > R and P > S), so both defect and earn P although both would earn R by cooperating.",
            "Repeated, with continuation probability δ: against grim trigger cooperating for ever is worth R/(1 - δ), defecting once T + δP/(1 - δ).",
            "Cooperation pays when δ ≥ (T - R)/(T - P): the shadow of the future must be long enough.",
            "The tournament: over 50 rounds reciprocating strategies (grim trigger, tit for tat) earn most; cooperation that does not punish defection is exploited.",
            "For the firm: make the relationship likely to go on (contracts, memberships, being there next time) and answer defection, so that both sides gain from cooperating.",
        ),
    ),
    Computational(
        id="ch02.e8",
        heading="The critical continuation probability",
        stem=(
            "A firm and a customer play a prisoner's dilemma with the payoffs T = {t}, R = {r}, P = {p}, S = {s}. "
            "Against grim trigger, above what continuation probability δ does cooperating for ever pay at least as "
            "much as defecting once? Give δ* as a fraction."
        ),
        draw=_payoffs,
        solve=_critical,
        method="δ* = (T - R)/(T - P) = ({t} - {r})/({t} - {p}) (`relationship.critical_continuation`).",
        decimals=4,
        tolerance=0.0005,
        points=4,
    ),
    Computational(
        id="ch02.e9",
        heading="How long the relationship must be expected to last",
        stem=(
            "With the payoffs T = {t}, R = {r}, P = {p}, S = {s}, how many rounds must the relationship be expected "
            "to last, 1/(1 - δ), at the critical continuation probability δ*?"
        ),
        draw=_payoffs,
        solve=_expected_rounds,
        method="δ* = ({t} - {r})/({t} - {p}); expected rounds = 1/(1 - δ*).",
        unit="rounds",
        decimals=3,
        tolerance=0.005,
        points=4,
    ),
    Computational(
        id="ch02.e10",
        heading="One match, by hand",
        stem=(
            "With the payoffs T = {t}, R = {r}, P = {p}, S = {s}, strategy {a_name} meets {b_name} for {rounds} rounds. "
            "What is the first strategy's total payoff over the match? Work it out by hand and confirm with `relationship.play`."
        ),
        draw=_draw_match,
        solve=_match_total,
        method='Write down the moves round by round (`relationship.play("{a}", "{b}", {rounds}, payoffs=Payoffs({t}, {r}, {p}, {s}))`) and add the column `payoff_a`.',
        unit="points",
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch02.e11",
        heading="The gain from cooperating at a given δ",
        stem=(
            "With the payoffs T = {t}, R = {r}, P = {p}, S = {s} and a continuation probability δ = {delta}, "
            "how much more is cooperating for ever worth than defecting once, against grim trigger? "
            "(A negative number means defecting pays more.)"
        ),
        draw=lambda rng: {"delta": float(rng.choice([0.3, 0.5, 0.6, 0.75, 0.8, 0.9])), **_payoffs(rng)},
        solve=_cooperation_gain,
        method="R/(1 - δ) - [T + δP/(1 - δ)] with δ = {delta} (`relationship.shadow_of_the_future`).",
        unit="points",
        decimals=3,
        tolerance=0.005,
        points=6,
    ),
]
