"""Exam bank of chapter 02, relationship marketing and the nature of CRM (关系营销与CRM的性质)."""

from __future__ import annotations

from crmlib import relationship
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, both, zh

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
        "a_name": both(a),
        "b_name": both(b),
        "rounds": int(rng.integers(5, 21)),
        **_payoffs(rng),
    }


QUESTIONS = [
    MultipleChoice(
        id="ch02.e1",
        heading={"en": "At the centre of the six markets", "zh": "位于六种市场中心的是哪种市场"},
        stem={
            "en": f"In the {bi('six_markets_model')} of Christopher, Payne and Ballantyne (1991), which market sits at "
            "the centre, and why?",
            "zh": f"在 Christopher、Payne 和 Ballantyne（1991）的{zh('six_markets_model')}中，哪种市场位于中心？为什么？",
        },
        options={
            "A": {
                "en": "the internal market, because every other relationship passes through the firm's own staff and departments",
                "zh": "内部市场，因为其他所有关系都要经过企业自己的员工和部门",
            },
            "B": {
                "en": "the customer market, because customers pay for everything",
                "zh": "客户市场，因为一切都由客户付钱",
            },
            "C": {
                "en": "the supplier market, because quality starts with the inputs",
                "zh": "供应商市场，因为质量始于投入品",
            },
            "D": {
                "en": "the influence market, because regulators can close the firm",
                "zh": "影响者市场，因为监管机构可以关闭企业",
            },
        },
        correct="A",
        explanation={
            "en": "Customer markets remain the focus, but the internal market is drawn at the centre: each relationship outside is served by people inside.",
            "zh": "客户市场仍然是关注的重点，但内部市场被画在中心：外部的每一种关系都要由内部的人来服务。",
        },
        why_not={
            "B": {
                "en": "Customer markets are the focus of the model, but they are one of the six around the centre, not the centre.",
                "zh": "客户市场是这个框架关注的重点，但它是围绕中心的六种市场之一，而不是中心。",
            },
            "C": {
                "en": "Supplier markets are one of the outer markets.",
                "zh": "供应商市场是外围的市场之一。",
            },
            "D": {
                "en": "Influence markets (government, media, investors) are one of the outer markets.",
                "zh": "影响者市场（政府、媒体、投资者）是外围的市场之一。",
            },
        },
    ),
    MultipleChoice(
        id="ch02.e2",
        heading={"en": "What tit for tat does", "zh": "针锋相对策略怎样做"},
        stem={
            "en": f"Which description fits {bi('tit_for_tat')} in the repeated prisoner's dilemma of the chapter?",
            "zh": f"在本章的重复囚徒困境中，哪种描述符合{zh('tit_for_tat')}？",
        },
        options={
            "A": {
                "en": "Cooperate in the first round, then copy the partner's last move.",
                "zh": "第一轮合作，之后照搬对方上一轮的做法。",
            },
            "B": {
                "en": "Cooperate until the partner defects once, then defect for ever.",
                "zh": "一直合作，直到对方背叛一次，此后永远背叛。",
            },
            "C": {
                "en": "Defect in the first round, then copy the partner's last move.",
                "zh": "第一轮背叛，之后照搬对方上一轮的做法。",
            },
            "D": {
                "en": "Cooperate or defect with probability one half in each round.",
                "zh": "每一轮以二分之一的概率合作或背叛。",
            },
        },
        correct="A",
        explanation={
            "en": "Tit for tat opens kindly and then reciprocates: it punishes a defection once and forgives as soon as the partner cooperates again.",
            "zh": "针锋相对以善意开局，然后回报对方的做法：对方背叛一次就惩罚一次，对方一恢复合作就原谅对方。",
        },
        why_not={
            "B": {"en": "That is grim trigger, which never forgives.", "zh": "这是冷酷策略，它永不原谅。"},
            "C": {
                "en": "Tit for tat opens by cooperating; opening with a defection would lose mutual cooperation against reciprocating partners.",
                "zh": "针锋相对以合作开局；以背叛开局，面对会回报的对手时就会失去相互合作。",
            },
            "D": {"en": "That is the random player.", "zh": "这是随机策略。"},
        },
    ),
    MultipleChoice(
        id="ch02.e3",
        heading={"en": "Why CRM appeared in the 1990s", "zh": "CRM 为什么出现在 20 世纪 90 年代"},
        stem={
            "en": "The chapter names three conditions that had to meet for CRM to appear: "
            f"{bi('demand_pull')}, {bi('technology_push')} and {bi('new_marketing_ideas')}. Which pairing of a condition and "
            "the question it answers is right?",
            "zh": f"本章指出 CRM 的出现需要三个条件同时具备：{zh('demand_pull')}、{zh('technology_push')}和{zh('new_marketing_ideas')}。下列哪一组条件与它所回答的问题搭配正确？",
        },
        options={
            "A": {
                "en": "technology push: why it became possible to record every contact and use the records",
                "zh": "技术推动：为什么记录每一次接触并利用这些记录成为可能",
            },
            "B": {
                "en": "demand pull: which software vendors sold CRM packages",
                "zh": "需求拉动：哪些软件厂商出售 CRM 软件",
            },
            "C": {
                "en": "new marketing ideas: why databases became cheaper",
                "zh": "新的营销思想：为什么数据库变得更便宜",
            },
            "D": {
                "en": "technology push: why firms wanted to compete by keeping customers",
                "zh": "技术推动：为什么企业想靠留住客户来竞争",
            },
        },
        correct="A",
        explanation={
            "en": "Technology push answers why CRM became possible: new channels made each contact easy to record, cheap storage and linked databases made the records usable, software turned them into advice.",
            "zh": "技术推动回答的是 CRM 为什么成为可能：新渠道使每次接触都容易记录，廉价的存储和相互关联的数据库使记录可以利用，软件再把它们变成建议。",
        },
        why_not={
            "B": {
                "en": "Demand pull answers why firms wanted CRM: competing by keeping customers needs the scattered knowledge about them in one place.",
                "zh": "需求拉动回答的是企业为什么需要 CRM：靠留住客户来竞争，就需要把分散的客户知识集中到一处。",
            },
            "C": {
                "en": "Cheaper databases are technology push; new marketing ideas (relationship marketing) answer what firms should do with the relationship.",
                "zh": "数据库变便宜属于技术推动；新的营销思想（关系营销）回答的是企业应当如何对待客户关系。",
            },
            "D": {
                "en": "Wanting to keep customers is demand pull, not technology push.",
                "zh": "想要留住客户属于需求拉动，而不是技术推动。",
            },
        },
    ),
    MultipleChoice(
        id="ch02.e4",
        heading={"en": "Customer and client", "zh": "有名字的客户与没有名字的一张脸"},
        stem={
            "en": f"Which statement about a {bi('client')} as opposed to a {bi('anonymous_customer')} is right?",
            "zh": f"关于{zh('client')}与{zh('anonymous_customer')}的区别，哪种说法正确？",
        },
        options={
            "A": {
                "en": "The firm knows who the client is, keeps a record of their needs and history and serves them as a person.",
                "zh": "企业知道这位客户是谁，记录其需要和历史，并把他当作一个具体的人来服务。",
            },
            "B": {
                "en": "A client is a business customer; a customer is a consumer.",
                "zh": "前者是企业客户，后者是个人消费者。",
            },
            "C": {"en": "A client buys more often than a customer.", "zh": "前者比后者购买得更频繁。"},
            "D": {
                "en": "A client pays in advance; a customer pays on delivery.",
                "zh": "前者预先付款，后者货到付款。",
            },
        },
        correct="A",
        explanation={
            "en": "The difference is in what the firm knows and records and how it serves: as an individual, by assigned staff, with a record. The record is the costly part.",
            "zh": "区别在于企业知道什么、记录什么以及如何服务：把对方当作个人、由专人服务、有记录。记录是其中成本高的部分。",
        },
        why_not={
            "B": {
                "en": "The distinction is not consumer against business: the online retailer could treat every consumer as a client.",
                "zh": "这一区分不是个人消费者与企业之分：网上零售商也可以把每一位消费者当作有名字的客户来对待。",
            },
            "C": {
                "en": "Buying frequency is not the criterion; a market stall's regular is still a customer without a record.",
                "zh": "购买频率不是标准；菜市场摊位的常客如果没有记录，仍然只是一张没有名字的脸。",
            },
            "D": {"en": "Payment terms have nothing to do with it.", "zh": "付款方式与此无关。"},
        },
    ),
    MultipleChoice(
        id="ch02.e5",
        heading={"en": "The three levels of CRM", "zh": "CRM 的三个层次"},
        stem={
            "en": 'The slides 《顾客关系管理的性质和功能》 ("The nature and functions of CRM") describe CRM on three levels: '
            "a philosophy, a management system and software. What does the chapter say about how they relate?",
            "zh": "《顾客关系管理的性质和功能》从三个层次描述 CRM：一种理念、一套管理制度和一种软件。本章如何说明三者之间的关系？",
        },
        options={
            "A": {
                "en": "They stack: software without the management system is a database nobody uses, and a system without the philosophy is paperwork.",
                "zh": "三者层层相依：没有管理制度的软件是没人用的数据库，没有理念的制度只是一堆文书。",
            },
            "B": {
                "en": "They are alternatives: a firm chooses the level that fits its budget.",
                "zh": "三者可以互相替代：企业按预算选择合适的层次。",
            },
            "C": {
                "en": "Software comes first; the philosophy follows once the data are there.",
                "zh": "软件在先；有了数据之后，理念自然会跟上。",
            },
            "D": {
                "en": "Only the software level can be measured, so only it matters.",
                "zh": "只有软件层次可以衡量，所以只有它重要。",
            },
        },
        correct="A",
        explanation={
            "en": "Each level needs the one above it; the technology supports the core (customer satisfaction with every employee taking part), it is not the core.",
            "zh": "每个层次都需要它上面的层次；技术支持核心（以客户满意为中心、全体员工参与），但它本身不是核心。",
        },
        why_not={
            "B": {
                "en": "The levels are not alternatives; each depends on the one above.",
                "zh": "这些层次不能互相替代；每一层都依赖于它上面的一层。",
            },
            "C": {
                "en": "The chapter orders them the other way: the philosophy says what the firm puts at the centre.",
                "zh": "本章的顺序正好相反：理念说明企业把什么放在中心。",
            },
            "D": {
                "en": "The chapter measures the philosophy's results too (the 10C indicators); and the levels are judged together.",
                "zh": "本章也衡量理念的成效（10C 指标）；而且三个层次要放在一起评判。",
            },
        },
    ),
    ShortAnswer(
        id="ch02.e6",
        heading={"en": "With whom, and what for", "zh": "与谁建立关系，为了什么"},
        stem={
            "en": f"The chapter compares five definitions of {bi('relationship_marketing')} (Berry 1983, McKenna 1991, "
            "Christopher, Payne and Ballantyne 1991, Payne 1995, Kotler 1997). Explain the two directions in which "
            "they differ and what all five share.",
            "zh": f"本章比较了{zh('relationship_marketing')}的五种定义（Berry 1983，McKenna 1991，Christopher、Payne 和 Ballantyne 1991，Payne 1995，Kotler 1997）。请说明它们在哪两个方向上不同，以及五种定义的共同点。",
        },
        answer_points=(
            {
                "en": "Shared: the relationship, not the single sale, is what marketing manages; it lasts, both sides invest, and it is worth more than any one transaction in it.",
                "zh": "共同点：营销管理的是关系，而不是一次交易；关系是持久的，双方都有投入，它的价值高于其中任何一次交易。",
            },
            {
                "en": "With whom: customers only (Berry, Payne) against suppliers and partners along the value chain (McKenna), six markets (Christopher et al.), the whole network (Kotler).",
                "zh": "与谁：只与客户（Berry、Payne），与价值链上的供应商和合作伙伴（McKenna），六种市场（Christopher 等），整个网络（Kotler）。",
            },
            {
                "en": f"Kotler's {bi('marketing_network')}: the set of relationships as an asset a competitor cannot buy.",
                "zh": f"Kotler 的{zh('marketing_network')}：这一组关系是竞争对手买不到的资产。",
            },
            {
                "en": "What for: Berry's attract, maintain and enhance (the life of a relationship) against Payne's money in it (a customer kept for years is worth more).",
                "zh": "为了什么：Berry 的吸引、维持和增进（关系的生命历程），与 Payne 关注关系中的收益（保留多年的客户价值更高）相对。",
            },
            {
                "en": "A good answer says which definition fits which firm (a supermarket chain against a supplier of twenty factories).",
                "zh": "好的回答会说明哪种定义适合哪种企业（连锁超市与为二十家工厂供货的供应商）。",
            },
        ),
    ),
    ShortAnswer(
        id="ch02.e7",
        heading={"en": "Why a repeated game sustains cooperation", "zh": "为什么重复博弈能维持合作"},
        stem={
            "en": "Explain with the prisoner's dilemma why a firm and a customer who meet once both defect, and why they may "
            "cooperate when the relationship is likely to continue. What does this mean for how a firm should build "
            "customer trust?",
            "zh": "请用囚徒困境解释：为什么只打一次交道的企业和客户都会背叛，而在关系很可能延续时双方却可能合作？这对企业应当如何建立客户信任意味着什么？",
        },
        answer_points=(
            {
                "en": "One-shot: whatever the other does, defecting pays more (T > R and P > S), so both defect and earn P although both would earn R by cooperating.",
                "zh": "一次性博弈：无论对方怎样做，背叛的收益都更高（T > R 且 P > S），因此双方都背叛并得到 P，尽管双方合作都能得到 R。",
            },
            {
                "en": "Repeated, with continuation probability δ: against grim trigger cooperating for ever is worth R/(1 - δ), defecting once T + δP/(1 - δ).",
                "zh": "以延续概率 δ 重复：面对冷酷策略，永远合作的价值为 R/(1 - δ)，背叛一次的价值为 T + δP/(1 - δ)。",
            },
            {
                "en": "Cooperation pays when δ ≥ (T - R)/(T - P): the shadow of the future must be long enough.",
                "zh": "当 δ ≥ (T - R)/(T - P) 时合作更划算：未来的影子必须足够长。",
            },
            {
                "en": "The tournament: over 50 rounds reciprocating strategies (grim trigger, tit for tat) earn most; cooperation that does not punish defection is exploited.",
                "zh": "锦标赛：在 50 轮中，回报对方做法的策略（冷酷策略、针锋相对）得分最高；不惩罚背叛的合作会被利用。",
            },
            {
                "en": "For the firm: make the relationship likely to go on (contracts, memberships, being there next time) and answer defection, so that both sides gain from cooperating.",
                "zh": "对企业而言：让关系很可能延续（合同、会员、下次还在），并回应背叛，使双方都能从合作中获益。",
            },
        ),
    ),
    Computational(
        id="ch02.e8",
        heading={"en": "The critical continuation probability", "zh": "临界延续概率"},
        stem={
            "en": "A firm and a customer play a prisoner's dilemma with the payoffs T = {t}, R = {r}, P = {p}, S = {s}. "
            "Against grim trigger, above what continuation probability δ does cooperating for ever pay at least as "
            "much as defecting once? Give δ* as a fraction.",
            "zh": "企业与客户进行一场囚徒困境博弈，收益为 T = {t}，R = {r}，P = {p}，S = {s}。面对冷酷策略，延续概率 δ 高于多少时，永远合作的收益至少与背叛一次一样多？请以小数给出 δ*。",
        },
        draw=_payoffs,
        solve=_critical,
        method={
            "en": "δ* = (T - R)/(T - P) = ({t} - {r})/({t} - {p}) (`relationship.critical_continuation`).",
            "zh": "δ* = (T - R)/(T - P) = ({t} - {r})/({t} - {p})（`relationship.critical_continuation`）。",
        },
        decimals=4,
        tolerance=0.0005,
        points=4,
    ),
    Computational(
        id="ch02.e9",
        heading={"en": "How long the relationship must be expected to last", "zh": "关系预期必须持续多久"},
        stem={
            "en": "With the payoffs T = {t}, R = {r}, P = {p}, S = {s}, how many rounds must the relationship be expected "
            "to last, 1/(1 - δ), at the critical continuation probability δ*?",
            "zh": "收益为 T = {t}，R = {r}，P = {p}，S = {s} 时，在临界延续概率 δ* 下，关系的预期轮数 1/(1 - δ) 是多少？",
        },
        draw=_payoffs,
        solve=_expected_rounds,
        method={
            "en": "δ* = ({t} - {r})/({t} - {p}); expected rounds = 1/(1 - δ*).",
            "zh": "δ* = ({t} - {r})/({t} - {p})；预期轮数 = 1/(1 - δ*)。",
        },
        unit={"en": "rounds", "zh": "轮"},
        decimals=3,
        tolerance=0.005,
        points=4,
    ),
    Computational(
        id="ch02.e10",
        heading={"en": "One match, by hand", "zh": "手算一场对局"},
        stem={
            "en": "With the payoffs T = {t}, R = {r}, P = {p}, S = {s}, strategy {a_name} meets {b_name} for {rounds} rounds. "
            "What is the first strategy's total payoff over the match? Work it out by hand and confirm with `relationship.play`.",
            "zh": "收益为 T = {t}，R = {r}，P = {p}，S = {s} 时，{a_name}与{b_name}对局 {rounds} 轮。第一个策略在整场对局中的总收益是多少？请手算，并用 `relationship.play` 验证。",
        },
        draw=_draw_match,
        solve=_match_total,
        method={
            "en": 'Write down the moves round by round (`relationship.play("{a}", "{b}", {rounds}, payoffs=Payoffs({t}, {r}, {p}, {s}))`) and add the column `payoff_a`.',
            "zh": '逐轮写出双方的做法（`relationship.play("{a}", "{b}", {rounds}, payoffs=Payoffs({t}, {r}, {p}, {s}))`），再把 `payoff_a` 列加总。',
        },
        unit={"en": "points", "zh": "分"},
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch02.e11",
        heading={"en": "The gain from cooperating at a given δ", "zh": "给定 δ 时合作的收益"},
        stem={
            "en": "With the payoffs T = {t}, R = {r}, P = {p}, S = {s} and a continuation probability δ = {delta}, "
            "how much more is cooperating for ever worth than defecting once, against grim trigger? "
            "(A negative number means defecting pays more.)",
            "zh": "收益为 T = {t}，R = {r}，P = {p}，S = {s}，延续概率 δ = {delta}。面对冷酷策略，永远合作的价值比背叛一次高多少？（负数表示背叛更划算。）",
        },
        draw=lambda rng: {"delta": float(rng.choice([0.3, 0.5, 0.6, 0.75, 0.8, 0.9])), **_payoffs(rng)},
        solve=_cooperation_gain,
        method={
            "en": "R/(1 - δ) - [T + δP/(1 - δ)] with δ = {delta} (`relationship.shadow_of_the_future`).",
            "zh": "R/(1 - δ) - [T + δP/(1 - δ)]，其中 δ = {delta}（`relationship.shadow_of_the_future`）。",
        },
        unit={"en": "points", "zh": "分"},
        decimals=3,
        tolerance=0.005,
        points=6,
    ),
]
