"""Exam bank of chapter 09, CRM systems (客户关系管理系统)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import callcentre, privacy
from crmlib.datasets import load_demo
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi

_QUASI = {
    "city_tier": "age band × gender × city tier",
    "income_band": "age band × gender × income band",
    "region": "age band × gender × region",
}


@cache
def _consumers() -> pd.DataFrame:
    customers = load_demo("customers")
    return customers[customers["customer_type"] == "B2C"]


def _wait_probability(calls: int, aht: int, agents: int) -> float:
    return float(100 * callcentre.erlang_c(calls * aht / 3600, agents))


def _agents(calls: int, aht: int, target: int, level: int) -> int:
    return callcentre.agents_needed(calls * aht / 3600, aht, target, level / 100)


def _below_k(width: int, column: str, columns_name: str, k: int) -> int:
    people = _consumers().assign(band=privacy.age_bands(_consumers()["age"], width=width))
    return int(privacy.k_anonymity(people, ["band", "gender", column], k=k).below_target)


def _draw_calls(rng) -> dict:
    calls = int(rng.choice([12, 16, 20, 30, 40, 60]))
    aht = int(rng.choice([180, 240, 300, 360]))
    return {"calls": calls, "aht": aht}


QUESTIONS = [
    MultipleChoice(
        id="ch09.e1",
        heading="Which kind of CRM",
        stem=(
            "Last month the analytics team found which customers are likely to leave; today a call-centre agent sees a "
            "caller's orders, tickets and open deals on one screen. Which kinds of CRM are at work, in that order?"
        ),
        options={
            "A": f"{bi('analytical_crm')}, then {bi('operational_crm')} (with the collaborative one-customer view)",
            "B": f"{bi('operational_crm')}, then {bi('analytical_crm')}",
            "C": f"{bi('collaborative_crm')} both times",
            "D": f"{bi('analytical_crm')} both times",
        },
        correct="A",
        explanation="Reading the accumulated history for patterns is analytical CRM; serving one customer one transaction at a time is operational, and showing every channel's record in one place is the collaborative idea.",
        why_not={
            "B": "The order is reversed: finding churn patterns reads history (analytical), the call is daily work (operational).",
            "C": "Collaborative CRM connects channels and departments; the churn analysis is analytical.",
            "D": "Answering a call is daily transaction work, not analysis.",
        },
    ),
    MultipleChoice(
        id="ch09.e2",
        heading="What a foreign key refuses",
        stem=(
            "The demo company's CRM database refused an order for customer C99999. Which rule did the order break?"
        ),
        options={
            "A": f"a {bi('foreign_key')}: the order must point to a customer who exists",
            "B": f"a {bi('primary_key')}: the order number was used before",
            "C": "a CHECK constraint: the quantity was negative",
            "D": "a date check: there is no 30 February",
        },
        correct="A",
        explanation="A foreign key ties each order to an existing customer; an unknown customer id is refused by the database itself.",
        why_not={
            "B": "A repeated order number (O000001) breaks the primary key, another write in the chapter.",
            "C": "A negative quantity breaks the CHECK quantity_positive, another write.",
            "D": "The impossible date was another refused write.",
        },
    ),
    MultipleChoice(
        id="ch09.e3",
        heading="The defence against SQL injection",
        stem=f"What protects a CRM against {bi('sql_injection')}?",
        options={
            "A": f"passing every value as a parameter ({bi('parameterized_query')}), never pasting it into the SQL text",
            "B": "removing quote marks from what users type",
            "C": "an index on every column users search",
            "D": "running all queries inside a transaction",
        },
        correct="A",
        explanation="Passed as a parameter, the input is only a value to compare with; it cannot change the statement.",
        why_not={
            "B": "Filtering characters is fragile (other encodings, other syntax) and breaks legitimate names such as O'Brien.",
            "C": "Indexes make look-ups fast; they do nothing against a changed statement.",
            "D": "A transaction makes a set of writes all-or-nothing; an injected query runs inside it just as well.",
        },
    ),
    MultipleChoice(
        id="ch09.e4",
        heading="Pseudonymous is not anonymous",
        stem=(
            f"A table in which each phone number is replaced by its {bi('keyed_hash')} still holds age, gender, region "
            f"and city tier. Why is it not anonymous?"
        ),
        options={
            "A": f"The {bi('quasi_identifier')}s together single out many customers, who can be re-identified by linking with other data.",
            "B": "A keyed hash can be reversed by anyone who has the table.",
            "C": "Age and gender are personal data only in China.",
            "D": "Hashing makes the table too large to protect.",
        },
        correct="A",
        explanation="Pseudonymization removes the direct identifier; combinations of quasi-identifiers remain unique for many people (k-anonymity measures it).",
        why_not={
            "B": "Without the key a keyed hash cannot be reversed by trying all phone numbers; that is why the key is used.",
            "C": "Such attributes are personal data under privacy law generally when they relate to an identifiable person.",
            "D": "The size of the table is not the issue.",
        },
    ),
    ShortAnswer(
        id="ch09.e5",
        heading="A failed load leaves nothing half-written",
        stem=(
            f"Explain what a {bi('database_transaction')} guarantees when a CRM loads a new customer, her contact and her "
            "first order, and one of the rows breaks a rule. Why does this matter for a CRM, and how would you import "
            "500 web orders a night?"
        ),
        answer_points=(
            "All or nothing: if any row is refused, the whole transaction is rolled back and every table keeps the rows it had before.",
            "Without it the CRM would hold half a record (a customer and contact without the order they came with), found months later.",
            "The database enforces its rules (keys, CHECK, UNIQUE) on every write, whoever writes, unlike a check in one application.",
            "Nightly import: a design choice between one transaction for the batch and one per order; a good answer lets the good orders in, puts the bad one in a quarantine table with the reason, and reports it.",
        ),
    ),
    ShortAnswer(
        id="ch09.e6",
        heading="Indexes",
        stem=(
            f"What is a {bi('database_index')}, how does `EXPLAIN QUERY PLAN` show its effect, and which columns should a "
            "CRM index? What does an index cost?"
        ),
        answer_points=(
            "A sorted copy of one or more columns with pointers to the rows, like the index of a book.",
            "Without an index the plan is a SCAN of the whole table; with it a SEARCH that jumps to the rows wanted.",
            "Index the columns records are looked up by: a customer's orders, tickets, calls and deals (customer_id).",
            "Costs: space, and every write becomes a little slower (the index must be updated).",
        ),
    ),
    ShortAnswer(
        id="ch09.e7",
        heading="Staffing a call centre",
        stem=(
            f"Explain how the chapter decides how many agents a call centre needs in one hour: the {bi('traffic_intensity')}, "
            f"{bi('erlang_c')} and the {bi('service_level')}. Why are 1.45 erlangs of traffic not served well by two agents?"
        ),
        answer_points=(
            "Traffic A = calls per hour × average handling time (in hours): the number of agents busy on average (erlangs).",
            "Erlang C gives the probability C(N, A) that a call waits with N agents; service level SL = 1 - C·exp(-(N - A)·t/AHT).",
            "Calls arrive at random, so with N close to A queues build up: two agents for 1.45 erlangs leave 60.7 % waiting and answer 41.3 % within 20 s.",
            "The fewest agents that reach the target (80 % in 20 s): three in the chapter's busiest normal hour; each agent added helps less than the one before.",
        ),
    ),
    Computational(
        id="ch09.e8",
        heading="The probability of waiting",
        stem=(
            "An hour brings {calls} calls with an average handling time of {aht} seconds, and {agents} agents answer. "
            "What percentage of callers have to wait (Erlang C)?"
        ),
        draw=lambda rng: (
            lambda d: {**d, "agents": int(d["calls"] * d["aht"] / 3600) + int(rng.integers(1, 4))}
        )(_draw_calls(rng)),
        solve=_wait_probability,
        method="A = {calls} × {aht} / 3600 erlangs; C(N = {agents}, A) (`callcentre.erlang_c(A, {agents})`), times 100.",
        unit="%",
        decimals=1,
        tolerance=0.1,
        points=6,
    ),
    Computational(
        id="ch09.e9",
        heading="Agents for a service-level target",
        stem=(
            "An hour brings {calls} calls with an average handling time of {aht} seconds. How many agents are needed to "
            "answer at least {level} % of the calls within {target} seconds?"
        ),
        draw=lambda rng: {
            **_draw_calls(rng),
            "target": int(rng.choice([10, 20, 30])),
            "level": int(rng.choice([80, 85, 90])),
        },
        solve=_agents,
        method="A = {calls} × {aht} / 3600; the smallest N > A with 1 - C(N, A)·exp(-(N - A)·{target}/{aht}) ≥ {level} % (`callcentre.agents_needed`).",
        unit="agents",
        decimals=0,
        tolerance=0,
        points=6,
    ),
    Computational(
        id="ch09.e10",
        heading="k-anonymity of a released table",
        stem=(
            "Take the consumer (B2C) customers, give each a {width}-year age band (`privacy.age_bands(ages, width={width})`) "
            "and consider releasing {columns_name}. How many consumers are in a group smaller than k = {k} on those "
            "attributes?"
        ),
        draw=lambda rng: (
            lambda column: {
                "width": int(rng.choice([5, 15, 20])),
                "column": column,
                "columns_name": _QUASI[column],
                "k": int(rng.choice([3, 5, 10])),
            }
        )(str(rng.choice(list(_QUASI)))),
        solve=_below_k,
        method='`privacy.k_anonymity(people, ["band", "gender", "{column}"], k={k}).below_target`: the consumers whose combination is shared by fewer than {k}.',
        unit="consumers",
        decimals=0,
        tolerance=0,
        points=6,
    ),
]
