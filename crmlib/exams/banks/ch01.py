"""Exam bank of chapter 01, the evolution of marketing concepts (营销观念的演进)."""

from __future__ import annotations

from crmlib.customer_base import (
    Strategy,
    breakeven_retention,
    simulate_base,
    steady_state_base,
    steady_state_profit,
)
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi


def _base_in_year(acquired: int, retention: float, year: int) -> float:
    path = simulate_base(Strategy("s", acquired=acquired, retention=retention, margin=1.0), periods=year)
    return float(path.loc[path["period"] == year, "base"].iloc[0])


def _steady_base(acquired: int, retention: float) -> float:
    return steady_state_base(Strategy("s", acquired=acquired, retention=retention, margin=1.0))


def _steady_profit(
    acquired: int, retention: float, margin: int, acquisition_cost: int, retention_cost: int
) -> float:
    strategy = Strategy(
        "s",
        acquired=acquired,
        retention=retention,
        margin=margin,
        acquisition_cost=acquisition_cost,
        retention_cost=retention_cost,
    )
    return steady_state_profit(strategy)


def _breakeven(margin: int, acquisition_cost: int, retention_cost: int, t_retention: float) -> float:
    transaction = Strategy(
        "t", acquired=1000, retention=t_retention, margin=margin, acquisition_cost=acquisition_cost
    )
    relationship = Strategy(
        "r",
        acquired=400,
        retention=0.5,
        margin=margin,
        acquisition_cost=acquisition_cost,
        retention_cost=retention_cost,
    )
    return breakeven_retention(transaction, relationship)


QUESTIONS = [
    MultipleChoice(
        id="ch01.e1",
        heading="A concept from a description",
        stem=(
            "A manufacturer believes that customers will choose the product of the highest quality and performance, "
            "and spends its effort on making its product ever better, without asking what its target market needs. "
            "Which marketing concept is it acting on?"
        ),
        options={
            "A": bi("product_concept"),
            "B": bi("production_concept"),
            "C": bi("selling_concept"),
            "D": bi("marketing_concept"),
        },
        correct="A",
        explanation="The product concept puts the firm's lever in product quality; it still starts from the product, not the market's needs.",
        why_not={
            "B": "The production concept's lever is cost and availability (produce much, cheaply), not quality.",
            "C": "The selling concept's lever is selling effort and promotion for what the firm already makes.",
            "D": "The marketing concept starts from the target market's needs, which this firm does not ask about.",
        },
    ),
    MultipleChoice(
        id="ch01.e2",
        heading="Retention and the steady-state base",
        stem=(
            f"A firm wins A new customers a year and keeps a share r = 0.6 of its customers from one year to the next. "
            f"In the {bi('leaky_bucket')} model, by what factor does its {bi('steady_state_base')} change if r rises to 0.8?"
        ),
        options={
            "A": "it doubles",
            "B": "it grows by a third",
            "C": "it grows by a fifth",
            "D": "it is unchanged: the base settles at A either way",
        },
        correct="A",
        explanation="N* = A / (1 - r): A / 0.4 = 2.5 A becomes A / 0.2 = 5 A, twice as much.",
        why_not={
            "B": "0.8 / 0.6 = 4/3 compares the retention rates; the base depends on the churn rate 1 - r, which halves.",
            "C": "A rise of 0.2 points is not a rise of the base by a fifth; the base is A divided by the churn rate.",
            "D": "The base settles where the customers leaking out, (1 - r) N*, equal the A poured in; that level depends on r.",
        },
    ),
    MultipleChoice(
        id="ch01.e3",
        heading="What transaction marketing does with lost customers",
        stem=f"Under {bi('transaction_marketing')}, what does a firm do about the customers it loses?",
        options={
            "A": "It replaces them with new ones and judges itself by sales and market share.",
            "B": "It studies why each one left and wins them back with a personal offer.",
            "C": "It raises the retention cost until the churn rate is zero.",
            "D": "It keeps a record of every lost customer's needs and history for later contact.",
        },
        correct="A",
        explanation="The unit of transaction marketing is the single order; customers who leave are replaced, stage after stage.",
        why_not={
            "B": "Analysing and winning back lost customers is a retention practice of relationship marketing and CRM.",
            "C": "Transaction marketing spends nothing on keeping customers; and no retention spending brings churn to zero.",
            "D": "A record of each customer's needs is the customer information base of CRM, which transaction marketing does not keep.",
        },
    ),
    MultipleChoice(
        id="ch01.e4",
        heading="What a dearer retention programme does to the break-even",
        stem=(
            f"In the chapter, the {bi('break_even_retention')} at which the relationship strategy beats the "
            "transaction strategy in the long run was 0.779 when keeping customers cost nothing and 0.806 at ¥15 "
            "per customer kept. Why does it rise with the retention cost?"
        ),
        options={
            "A": "Every yuan spent per customer kept lowers the margin of each kept customer, so more of them must be kept to earn the same profit.",
            "B": "A higher retention cost raises the number of customers acquired each year.",
            "C": "The transaction strategy also pays the retention cost, so its profit rises.",
            "D": "The break-even rate rises because the discount rate rises with the cost.",
        },
        correct="A",
        explanation="The steady-state profit (m - c_r r) A / (1 - r) - c_a A falls with c_r, so r must be higher to reach the transaction strategy's profit.",
        why_not={
            "B": "Acquisition (400 a year) is a separate parameter; the retention cost does not change it.",
            "C": "In the chapter's comparison the transaction strategy pays no retention cost; its profit does not move.",
            "D": "The leaky-bucket comparison is undiscounted steady-state profit; no discount rate enters.",
        },
    ),
    ShortAnswer(
        id="ch01.e5",
        heading="Transaction and relationship marketing compared",
        stem=(
            f"Compare {bi('transaction_marketing')} with {bi('relationship_marketing')} on four aspects: the unit of "
            "marketing, the tools, how success is measured, and what happens to a customer who leaves."
        ),
        answer_points=(
            "Unit: the single order or sale against the relationship with a customer over time.",
            f"Tools: the {bi('marketing_mix')} used on the market as a whole against individual contact, service and a record of each customer.",
            "Measure: sales volume and market share against retention, share of the customer and customer (lifetime) value.",
            "A customer who leaves is replaced by a new one (no cost counted) against a loss to prevent or win back.",
            "A good answer links the contrast to the leaky bucket: pouring in customers cannot grow the base past A/(1 - r).",
        ),
    ),
    ShortAnswer(
        id="ch01.e6",
        heading="Why the relationship strategy first falls behind",
        stem=(
            "In the chapter's simulation the relationship strategy's cumulative profit leads in years 1-3, the "
            "transaction strategy leads from year 4 to year 9, and the relationship strategy is ahead for good from "
            "year 10. Explain the three phases with the parameters of the two strategies."
        ),
        answer_points=(
            "Years 1-3: the transaction strategy pays ¥150 for each of 1,000 customers a year against 400, so it starts deeper in the red.",
            "Years 4-9: its larger base (it pours in 1,000 a year) earns more margin than the relationship base, which grows slowly.",
            "The transaction base stalls near its ceiling A/(1 - r) within a few years; the relationship base keeps growing towards a higher ceiling, slowly because r is high (long memory).",
            "From year 10 the relationship strategy's higher steady-state profit (¥205,542 against ¥121,003 a year) has made up the early gap.",
            "Lesson: judging a retention strategy on its first years' profit understates it; the comparison needs the long run (or a discounted value).",
        ),
    ),
    ShortAnswer(
        id="ch01.e7",
        heading="Simulation against the closed form",
        stem=(
            "The chapter checks the closed form N* = A/(1 - r) against the average of 200 random runs of the "
            "leaky bucket, in which each customer stays with probability r and the number acquired is Poisson. "
            "Why do the average and N* differ at all, how do you judge whether the difference matters, and why "
            "does the relationship strategy's expected path still lie below its ceiling after 60 years?"
        ),
        answer_points=(
            "Random runs differ by chance: each run's base is a sum of random stays and random acquisitions.",
            "The standard error of the average (the runs' standard deviation divided by the square root of 200) measures that chance; a gap within about two standard errors is noise.",
            "The expected path approaches N* geometrically, N_t = N* + (N_0 - N*) r^t, so with r close to 1 the approach is slow.",
            "So the simulation confirms the formula; the formula gives the long-run level, the simulation the path and its spread.",
        ),
    ),
    Computational(
        id="ch01.e8",
        heading="A steady-state customer base",
        stem=(
            "A firm wins {acquired:,} new customers a year and keeps {retention} of its customers from one year to the next. "
            "What is its steady-state customer base N*? Confirm with `customer_base.steady_state_base`."
        ),
        draw=lambda rng: {
            "acquired": int(rng.choice([200, 300, 500, 800, 1200])),
            "retention": float(rng.choice([0.55, 0.6, 0.7, 0.75, 0.85, 0.9])),
        },
        solve=lambda acquired, retention: _steady_base(acquired, retention),
        method="N* = A / (1 - r) = {acquired} / (1 - {retention}).",
        unit="customers",
        decimals=1,
        tolerance=0.5,
        points=4,
    ),
    Computational(
        id="ch01.e9",
        heading="The base after a few years",
        stem=(
            "A new firm (no customers at the start) wins {acquired:,} customers a year and keeps {retention} of them "
            "each year. How many customers does it have at the end of year {year}, on the expected path "
            "N_t = r N_(t-1) + A (`customer_base.simulate_base` without a random generator)?"
        ),
        draw=lambda rng: {
            "acquired": int(rng.choice([300, 500, 700, 1000])),
            "retention": float(rng.choice([0.5, 0.6, 0.65, 0.75, 0.8])),
            "year": int(rng.integers(3, 9)),
        },
        solve=lambda acquired, retention, year: _base_in_year(acquired, retention, year),
        method="N_t = A (1 - r^t) / (1 - r) with N_0 = 0, A = {acquired}, r = {retention}, t = {year}; or repeat r N + A year by year.",
        unit="customers",
        decimals=1,
        tolerance=1.0,
        points=6,
    ),
    Computational(
        id="ch01.e10",
        heading="Steady-state profit of a strategy",
        stem=(
            "A strategy wins {acquired:,} customers a year at ¥{acquisition_cost} each, keeps {retention} of its customers "
            "each year at a retention cost of ¥{retention_cost} per customer kept, and earns a margin of ¥{margin} per "
            "customer and year. What is its profit per year once the base has settled (the steady state)?"
        ),
        draw=lambda rng: {
            "acquired": int(rng.choice([400, 600, 1000])),
            "retention": float(rng.choice([0.6, 0.7, 0.8, 0.85])),
            "margin": int(rng.choice([80, 100, 120])),
            "acquisition_cost": int(rng.choice([100, 150, 200])),
            "retention_cost": int(rng.choice([0, 10, 15, 20])),
        },
        solve=lambda **p: _steady_profit(**p),
        method=(
            "Profit* = m N* - c_a A - c_r r N* with N* = A / (1 - r): margin ¥{margin}, A = {acquired}, r = {retention}, "
            "c_a = ¥{acquisition_cost}, c_r = ¥{retention_cost} (`customer_base.steady_state_profit`)."
        ),
        unit="CNY per year",
        decimals=0,
        tolerance=1.0,
        points=8,
    ),
    Computational(
        id="ch01.e11",
        heading="A break-even retention rate",
        stem=(
            "A transaction strategy wins 1,000 customers a year and keeps {t_retention} of them; a relationship strategy "
            "wins 400 a year and pays ¥{retention_cost} a year per customer kept. Both earn ¥{margin} per customer and year "
            "and pay ¥{acquisition_cost} to win a customer. Above which retention rate does the relationship strategy earn "
            "more in the steady state? Give it as a fraction."
        ),
        draw=lambda rng: {
            "margin": int(rng.choice([80, 100, 120, 150])),
            "acquisition_cost": int(rng.choice([100, 150, 200])),
            "retention_cost": int(rng.choice([5, 10, 20, 25])),
            "t_retention": float(rng.choice([0.55, 0.6, 0.65])),
        },
        solve=lambda **p: _breakeven(**p),
        method=(
            "Compute the transaction strategy's steady-state profit P_T, then solve (m - c_r r) A / (1 - r) - c_a A = P_T "
            "for r with A = 400, m = ¥{margin}, c_a = ¥{acquisition_cost}, c_r = ¥{retention_cost} "
            "(`customer_base.breakeven_retention`)."
        ),
        decimals=4,
        tolerance=0.0005,
        points=8,
    ),
]
