"""The CRM database of crmlib.crmdb: the operational side (SQLite) refuses bad writes itself, one rule
per test; a failed load leaves it unchanged; the 360° view and the indexes do what they say; the
analytical side (DuckDB) gives exactly what crmlib's pandas functions give; and no SQL in crmlib is
built from strings."""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crmlib
from crmlib import crmdb, lifecycle, segmentation
from crmlib.datasets import DEMO_OBSERVATION_END
from crmlib.validation import DataError

ROOT = Path(__file__).resolve().parents[1]

ORDER = (
    "INSERT INTO orders (order_id, customer_id, order_date, channel, campaign, revenue, cost, margin) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
LINE = (
    "INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price, discount, revenue, cost) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
CUSTOMER = (
    "INSERT INTO customers (customer_id, signup_date, signup_channel, customer_type, company_name, age, "
    "gender, income_band, region, city_tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
CONTACT = "INSERT INTO contacts (customer_id, name, phone, email) VALUES (?, ?, ?, ?)"
TICKET = (
    "INSERT INTO tickets (ticket_id, customer_id, opened_at, closed_at, category, channel, resolution) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
CALL = (
    "INSERT INTO calls (call_id, customer_id, ticket_id, call_start, wait_seconds, handle_seconds, outcome) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
DEAL = (
    "INSERT INTO opportunities (opportunity_id, customer_id, created_date, stage, probability, "
    "expected_value, product_focus, owner, close_date, expected_close_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
GOOD_ORDER = ("O999999", "C00001", "2024-12-31", "web", None, 199.0, 150.0, 49.0)
GOOD_CUSTOMER = ("C09999", "2024-12-31", "email", "B2C", None, 30, "F", "5k-10k", "East China", 2)

#: One rule of the database per case: (statement, values, what SQLite says when it refuses).
RULES = {
    "order for an unknown customer (foreign key)": (
        ORDER,
        ("O999999", "C99999", *GOOD_ORDER[2:]),
        "FOREIGN KEY",
    ),
    "order line for an unknown product (foreign key)": (
        LINE,
        ("O000001", 9, "P999", 1, 99.0, 0.0, 99.0, 60.0),
        "FOREIGN KEY",
    ),
    "order line of an unknown order (foreign key)": (
        LINE,
        ("O999999", 1, "P002", 1, 99.0, 0.0, 99.0, 60.0),
        "FOREIGN KEY",
    ),
    "customer id used twice (primary key)": (CUSTOMER, ("C00001", *GOOD_CUSTOMER[1:]), "UNIQUE"),
    "order id used twice (primary key)": (ORDER, ("O000001", *GOOD_ORDER[1:]), "UNIQUE"),
    "order line number used twice (primary key)": (
        LINE,
        ("O000001", 1, "P002", 1, 99.0, 0.0, 99.0, 60.0),
        "UNIQUE",
    ),
    "a product twice in one order (unique)": (
        LINE,
        ("O000002", 9, "P035", 1, 259.0, 0.0, 259.0, 150.22),
        "UNIQUE",
    ),
    "e-mail address used twice (unique)": (
        CONTACT,
        ("C09999", "Lan Luo", "+86 000 0000 0000", "gang.chen.00001@example.com"),
        "UNIQUE",
    ),
    "negative quantity (check)": (LINE, ("O000001", 9, "P002", -1, 99.0, 0.0, 0.0, 0.0), "quantity_positive"),
    "zero quantity (check)": (LINE, ("O000001", 9, "P002", 0, 99.0, 0.0, 0.0, 0.0), "quantity_positive"),
    "missing signup date (not null)": (CUSTOMER, ("C09999", None, *GOOD_CUSTOMER[2:]), "NOT NULL"),
    "missing customer of an order (not null)": (ORDER, ("O999999", None, *GOOD_ORDER[2:]), "NOT NULL"),
    "impossible date (check)": (
        ORDER,
        (*GOOD_ORDER[:2], "2024-02-30", *GOOD_ORDER[3:]),
        "order_date_is_a_date",
    ),
    "date in another format (check)": (
        ORDER,
        (*GOOD_ORDER[:2], "31/12/2024", *GOOD_ORDER[3:]),
        "order_date_is_a_date",
    ),
    "unknown order channel (check)": (
        ORDER,
        (*GOOD_ORDER[:3], "fax", *GOOD_ORDER[4:]),
        "known_order_channel",
    ),
    "negative revenue (check)": (
        ORDER,
        ("O999999", "C00001", "2024-12-31", "web", None, -5.0, 0.0, -5.0),
        "revenue_not_negative",
    ),
    "margin that is not revenue - cost (check)": (
        ORDER,
        (*GOOD_ORDER[:5], 199.0, 150.0, 99.0),
        "margin_is_revenue_minus_cost",
    ),
    "text in a number column (strict table)": (
        CUSTOMER,
        (*GOOD_CUSTOMER[:5], "thirty", *GOOD_CUSTOMER[6:]),
        "cannot store TEXT value in INTEGER column",
    ),
    "age of a child (check)": (CUSTOMER, (*GOOD_CUSTOMER[:5], 9, *GOOD_CUSTOMER[6:]), "adult_age"),
    "company name on a consumer (check)": (
        CUSTOMER,
        (*GOOD_CUSTOMER[:4], "Acme Ltd.", *GOOD_CUSTOMER[5:]),
        "company_name_for_business_only",
    ),
    "ticket closed before it was opened (check)": (
        TICKET,
        ("T09999", "C00001", "2024-12-30 10:00:00", "2024-12-29 10:00:00", "billing", "phone", "resolved"),
        "closed_after_opened",
    ),
    "open ticket with a closing time (check)": (
        TICKET,
        ("T09999", "C00001", "2024-12-30 10:00:00", "2024-12-30 11:00:00", "billing", "phone", "open"),
        "open_means_not_closed",
    ),
    "abandoned call with a handling time (check)": (
        CALL,
        ("K99999", None, None, "2024-12-30 10:00:00", 60, 200, "abandoned"),
        "abandoned_calls_not_handled",
    ),
    "negative wait (check)": (
        CALL,
        ("K99999", None, None, "2024-12-30 10:00:00", -3, 200, "resolved"),
        "wait_not_negative",
    ),
    "win probability in percent (check)": (
        DEAL,
        ("OP9999", "C00025", "2024-12-01", "proposal", 50.0, 10000, "Snacks", "REP01", None, "2025-02-01"),
        "probability_0_to_1",
    ),
    "unknown sales stage (check)": (
        DEAL,
        ("OP9999", "C00025", "2024-12-01", "signed", 0.5, 10000, "Snacks", "REP01", None, "2025-02-01"),
        "known_stage",
    ),
    "closed deal without a close date (check)": (
        DEAL,
        ("OP9999", "C00025", "2024-12-01", "closed_won", 1.0, 10000, "Snacks", "REP01", None, None),
        "closed_deals_have_a_close_date",
    ),
    "deleting a customer who has orders (foreign key)": (
        "DELETE FROM customers WHERE customer_id = ?",
        ("C00001",),
        "FOREIGN KEY",
    ),
    "deleting an order that has lines (foreign key)": (
        "DELETE FROM orders WHERE order_id = ?",
        ("O000001",),
        "FOREIGN KEY",
    ),
}


@pytest.fixture
def crm() -> sqlite3.Connection:
    return crmdb.demo_crm()


def _snapshot(connection: sqlite3.Connection) -> list[str]:
    return list(connection.iterdump())


def test_foreign_keys_are_on_in_every_database_crmlib_opens(crm):
    assert crm.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert crmdb.open_crm().execute("PRAGMA foreign_keys").fetchone() == (1,)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_database_itself_refuses_the_bad_write(crm, rule):
    sql, params, reason = RULES[rule]
    before = crmdb.table_counts(crm)
    with pytest.raises(sqlite3.IntegrityError, match=re.escape(reason)):
        crm.execute(sql, params)  # straight to SQLite: no Python check in between
    assert crmdb.table_counts(crm).equals(before)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_try_write_reports_the_refusal_with_sqlites_reason(crm, rule):
    sql, params, reason = RULES[rule]
    attempt = crmdb.try_write(crm, sql, params)
    assert not attempt.accepted and reason in attempt.refused_because and attempt.rows_changed == 0


def test_the_good_versions_of_those_writes_are_accepted(crm):
    for sql, params in [(ORDER, GOOD_ORDER), (CUSTOMER, GOOD_CUSTOMER)]:
        attempt = crmdb.try_write(crm, sql, params)
        assert attempt.accepted and attempt.rows_changed == 1 and attempt.refused_because == ""


def test_try_write_rolls_back_unless_asked_to_commit(crm):
    before = crmdb.table_counts(crm)
    crmdb.try_write(crm, ORDER, GOOD_ORDER)
    assert crmdb.table_counts(crm).equals(before)
    crmdb.try_write(crm, ORDER, GOOD_ORDER, commit=True)
    assert crmdb.table_counts(crm)["orders"] == before["orders"] + 1


def test_a_statement_sqlite_cannot_run_is_a_mistake_not_a_refusal(crm):
    with pytest.raises(DataError, match="could not run"):
        crmdb.try_write(crm, "INSERT INTO no_such_table VALUES (?)", (1,))


def _batch(bad_table: str) -> dict[str, pd.DataFrame]:
    """A new customer with a contact, an order and a line, one table of which is bad."""
    customer = crmlib.load_demo("customers").head(1).assign(customer_id="C09999")
    contact = crmlib.load_demo("contacts").head(1).assign(customer_id="C09999", email="new.one@example.com")
    order = crmlib.load_demo("orders").head(1).assign(order_id="O999999", customer_id="C09999")
    line = crmlib.load_demo("order_lines").head(1).assign(order_id="O999999")
    batch = {"customers": customer, "contacts": contact, "orders": order, "order_lines": line}
    if bad_table == "order_lines":
        batch["order_lines"] = line.assign(quantity=-2)
    elif bad_table == "orders":
        batch["orders"] = order.assign(customer_id="C99999")
    elif bad_table == "contacts":
        batch["contacts"] = contact.assign(email="gang.chen.00001@example.com")
    return batch


@pytest.mark.parametrize("bad_table", ["contacts", "orders", "order_lines"])
def test_a_failed_load_leaves_the_database_exactly_as_it_was(crm, bad_table):
    before = _snapshot(crm)
    with pytest.raises(DataError, match="rolled back"):
        crmdb.load_crm(crm, _batch(bad_table))
    assert _snapshot(crm) == before
    assert crmdb.customer_360(crm, "C09999").empty  # the customer written first is gone too


def test_a_good_load_writes_every_row_in_one_go(crm):
    written = crmdb.load_crm(crm, _batch("none"))
    assert written.to_dict() == {"customers": 1, "contacts": 1, "orders": 1, "order_lines": 1}
    view = crmdb.customer_360(crm, "C09999")
    assert view.loc["C09999", "orders"] == 1


def test_the_demo_crm_holds_every_row_of_the_demo_tables(crm):
    counts = crmdb.table_counts(crm)
    for name in crmdb.TABLES:
        assert counts[name] == len(crmlib.load_demo(name)), name


def test_each_demo_crm_is_a_fresh_copy(crm):
    crmdb.try_write(crm, ORDER, GOOD_ORDER, commit=True)
    assert crmdb.table_counts(crmdb.demo_crm())["orders"] == len(crmlib.load_demo("orders"))


def test_every_table_has_a_primary_key_and_every_child_its_foreign_keys(crm):
    summary = crmdb.schema_summary(crm)
    assert (summary["primary_key"] != "").all()
    assert summary.loc["order_lines", "primary_key"] == "order_id, line_no"
    assert summary.loc["order_lines", "foreign_keys"] == "order_id → orders, product_id → products"
    for child in ("contacts", "orders", "tickets", "opportunities"):
        assert "customer_id → customers" in summary.loc[child, "foreign_keys"]


def test_every_insert_names_the_columns_of_its_table(crm):
    for name in crmdb.TABLES:
        columns = [row[1] for row in crm.execute("SELECT cid, name FROM pragma_table_info(?)", (name,))]
        assert list(crmdb._COLUMNS[name]) == columns
        statement = crmdb._INSERT[name]
        assert statement.count("?") == len(columns)
        assert re.sub(r"\s+", " ", statement).startswith(f"INSERT INTO {name} ({', '.join(columns)})")


def test_open_crm_refuses_to_build_in_datasets_and_builds_in_a_temporary_folder(tmp_path):
    with pytest.raises(DataError, match="datasets"):
        crmdb.open_crm(ROOT / "datasets" / "crm.sqlite")
    path = tmp_path / "crm.sqlite"
    connection = crmdb.open_crm(path)
    assert path.exists() and crmdb.table_counts(connection).sum() == 0
    connection.close()
    with pytest.raises(DataError, match="exists"):
        crmdb.open_crm(path)


def test_the_360_view_agrees_with_pandas_for_every_customer(crm):
    view = crmdb.customer_360(crm)
    orders = crmlib.load_demo("orders")
    tickets = crmlib.load_demo("tickets")
    calls = crmlib.load_demo("calls")
    deals = crmlib.load_demo("opportunities")
    index = crmlib.load_demo("customers")["customer_id"]
    assert view.index.tolist() == sorted(index)
    count = lambda table: table.groupby("customer_id").size().reindex(view.index, fill_value=0)  # noqa: E731
    assert view["orders"].equals(count(orders))
    assert view["tickets"].equals(count(tickets))
    assert view["calls"].equals(count(calls.dropna(subset=["customer_id"])))
    revenue = orders.groupby("customer_id")["revenue"].sum().round(2).reindex(view.index, fill_value=0)
    assert np.allclose(view["revenue"], revenue)
    open_deals = deals[~deals["stage"].isin(["closed_won", "closed_lost"])]
    pipeline_value = (
        open_deals.groupby("customer_id")["expected_value"].sum().reindex(view.index, fill_value=0)
    )
    assert view["open_pipeline_value"].equals(pipeline_value)
    assert crmdb.customer_360(crm, "C00057").equals(view.loc[["C00057"]])


def test_an_index_turns_a_scan_into_a_search():
    query = "EXPLAIN QUERY PLAN SELECT order_date, revenue FROM orders WHERE customer_id = ?"
    without = crmdb.demo_crm(indexes=False).execute(query, ("C00057",)).fetchall()
    with_index = crmdb.demo_crm().execute(query, ("C00057",)).fetchall()
    assert without[0][-1] == "SCAN orders"
    assert with_index[0][-1].startswith("SEARCH orders USING INDEX orders_by_customer")


# ---------------------------------------------------------------------------- analytical side
def test_rfm_scores_in_sql_equal_segmentation_rfm_scores_for_every_customer():
    orders = crmlib.load_demo("orders")
    kwargs = {"date_col": "order_date", "amount_col": "revenue", "observation_end": DEMO_OBSERVATION_END}
    in_sql = crmdb.sql_rfm_scores(orders, **kwargs)
    in_pandas = segmentation.rfm_scores(orders, duplicates="keep", **kwargs)
    assert in_sql.index.equals(in_pandas.index)
    for column in ("recency_days", "frequency", "R", "F", "M", "rfm_cell"):
        assert (in_sql[column] == in_pandas[column]).all(), column
    np.testing.assert_allclose(in_sql["monetary"], in_pandas["monetary"], rtol=1e-12)


@pytest.mark.parametrize("share", [True, False])
def test_the_cohort_table_in_sql_equals_lifecycle_cohort_table(share):
    orders = crmlib.load_demo("orders")
    for end in (DEMO_OBSERVATION_END, "2023-06-15"):
        kept = orders[orders["order_date"] <= end]
        in_sql = crmdb.sql_cohort_table(orders, date_col="order_date", observation_end=end, share=share)
        in_pandas = lifecycle.cohort_table(kept, date_col="order_date", observation_end=end, share=share)
        pd.testing.assert_frame_equal(in_sql, in_pandas)


# ---------------------------------------------------------------------------- no SQL built from strings
#: What SQL looks like inside a string: a statement's keywords, whatever their case.
SQL_WORDS = re.compile(
    r"\bselect\s+(distinct\s+)?[\w.()*]+(\s+as\s+\w+)?(\s*,\s*[\w.()*]+(\s+as\s+\w+)?)*\s+from\s+\w+"
    r"|\binsert\s+into\s+\w+|\bupdate\s+\w+\s+set\s+\w+|\bdelete\s+from\s+\w+"
    r"|\b(create|drop)\s+(table|view|index)\s+\w+|\bwhere\s+\w+\s*(=|<|>|\bin\s*\(|\blike\s+')|\bpragma\s+\w+",
    re.IGNORECASE,
)
#: Calls that hand a text to a database to run.
RUNNERS = {"execute", "executemany", "executescript", "read_sql", "read_sql_query", "sql", "query_df"}


def _text_parts(node: ast.AST) -> str:
    """The text of a string expression, each value pasted into it shown as x."""
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "x"
            for part in node.values
        )
    return " ".join(
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


def sql_built_from_strings(source: str) -> list[str]:
    """Places where a text that looks like SQL is built by f-string, .format, % or + with a value,
    or where a database is handed a text built that way."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.JoinedStr) and SQL_WORDS.search(_text_parts(node)):
            found.append(f"line {line}: f-string SQL")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            sides = (node.left, node.right)
            texts = [s for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
            others = [s for s in sides if not (isinstance(s, ast.Constant) and isinstance(s.value, str))]
            if texts and others and SQL_WORDS.search(" x ".join(t.value for t in texts) + " x"):
                found.append(f"line {line}: SQL built with {type(node.op).__name__}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "format" and SQL_WORDS.search(_text_parts(node.func.value)):
                found.append(f"line {line}: SQL built with .format")
            if (
                node.func.attr in RUNNERS
                and node.args
                and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp, ast.Call))
            ):
                found.append(f"line {line}: {node.func.attr}() of a built text")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "cursor.execute(f\"SELECT * FROM orders WHERE customer_id = '{cid}'\")",
        "sql = \"select name from contacts where email = '%s'\" % email",
        'sql = "DELETE FROM orders WHERE order_id = " + order_id',
        "sql = \"UPDATE contacts SET phone = '{}'\".format(phone)",
        'query = f"insert into customers values ({values})"',
        'connection.execute("SELECT " + columns + " FROM customers")',
    ],
)
def test_the_scan_finds_sql_built_from_strings(source):
    assert sql_built_from_strings(source), source


def test_the_scan_lets_parameterized_sql_and_prose_through():
    source = (
        'connection.execute("SELECT name FROM contacts WHERE email = ?", (email,))\n'
        'message = f"column {column!r} has {n} values from the table where they were counted"\n'
        'pd.read_sql_query("SELECT * FROM customer_360 WHERE customer_id = ?", crm, params=(cid,))\n'
    )
    assert sql_built_from_strings(source) == []


def test_every_query_crmlib_runs_is_parameterized():
    offenders = []
    for path in sorted((ROOT / "crmlib").rglob("*.py")):
        offenders += [f"{path.relative_to(ROOT)} {hit}" for hit in sql_built_from_strings(path.read_text())]
    assert not offenders, "SQL built from strings (pass values as ? parameters): " + "; ".join(offenders)


def test_a_refused_load_is_reported_in_the_reader_s_language(crm):
    crmlib.set_language("zh")
    try:
        with pytest.raises(DataError, match="整个事务已回滚") as refusal:
            crmdb.load_crm(crm, _batch("order_lines"))
    finally:
        crmlib.set_language("en")
    assert "'order_lines'" in str(refusal.value) and "quantity_positive" in str(refusal.value)


@pytest.mark.parametrize(
    ("rule", "zh"),
    [
        ("order for an unknown customer (foreign key)", "违反外键约束"),
        ("order id used twice (primary key)", "违反唯一约束：orders.order_id 的值已经存在"),
        ("negative quantity (check)", "违反检查约束：不符合规则 quantity_positive"),
        ("missing signup date (not null)", "违反非空约束：customers.signup_date 不能为空"),
    ],
)
def test_a_refused_write_says_what_sqlites_message_means_in_chinese(crm, rule, zh):
    """SQLite's English message stays as it is (it is code); its meaning comes beside it."""
    sql, params, reason = RULES[rule]
    crmlib.set_language("zh")
    try:
        attempt = crmdb.try_write(crm, sql, params)
    finally:
        crmlib.set_language("en")
    assert reason in attempt.refused_because and attempt.meaning.startswith(zh)
    assert (
        crmdb.refusal_meaning("NOT NULL constraint failed: orders.cost", "zh")
        == "违反非空约束：orders.cost 不能为空"
    )
    assert crmdb.refusal_meaning("disk I/O error", "zh") == "SQLite拒绝了这次写入"
    assert crmdb.try_write(crm, ORDER, GOOD_ORDER).meaning == ""
