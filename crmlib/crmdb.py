"""The CRM database (数据库及支撑平台): operational CRM in SQLite, analytical CRM in DuckDB.

**Operational CRM** (操作型CRM) runs the daily work: it records customers, their
contacts, orders, service tickets, calls and sales opportunities, one small
transaction at a time, and must never hold a half-written or contradictory
record. Here it is an SQLite database (Python's standard library, no server):

* :data:`SCHEMA` declares the eight tables with primary and foreign keys,
  NOT NULL and named CHECK constraints (``STRICT`` tables, so a text in a
  number column is refused too), and the 360° customer view
  ``customer_360``; :data:`INDEXES` the indexes;
* :func:`open_crm` opens a database with foreign keys enforced
  (``PRAGMA foreign_keys = ON``: SQLite leaves them off by default);
* :func:`load_crm` writes tables in **one transaction**: all rows or none;
* :func:`try_write` runs one write and reports whether the database refused it
  and why (rolled back unless asked to commit);
* :func:`demo_crm` builds the demo company's CRM in memory.

**Analytical CRM** (分析型CRM) reads many rows at once to find patterns. Here it
is DuckDB, an embedded column store that queries pandas frames in place:
:func:`sql_cohort_table` and :func:`sql_rfm_scores` give, in SQL, exactly what
:func:`crmlib.lifecycle.cohort_table` and :func:`crmlib.segmentation.rfm_scores`
give in pandas (the Fader-Hardie summary in SQL is
``crmlib.rfm_summary(..., engine="duckdb")``, its query
:data:`crmlib.transactions.RFM_SUMMARY_SQL`). Their SQL texts
(:data:`COHORT_SQL`, :data:`RFM_SCORES_SQL`) are
standard SQL a warehouse or Spark SQL also runs, apart from two dialect
differences: the placeholder of a parameter (``?`` here) and the difference of
two dates in days (``last_day - first_day`` in DuckDB and PostgreSQL,
``datediff(last_day, first_day)`` in Spark SQL).

**Every query crmlib runs is parameterized**: values travel as parameters
(``?``), never pasted into the SQL text, which is how SQL injection is
prevented (a test reads crmlib's source and fails on SQL built from strings).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .language import message
from .lifecycle import _cohort_grid
from .validation import (
    DataError,
    describe_rows,
    require_columns,
    require_count,
    require_flag,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
    require_text,
    to_date,
    to_datetime_column,
)

if TYPE_CHECKING:
    from .validation import DateLike

__all__ = [
    "TABLES",
    "SCHEMA",
    "INDEXES",
    "open_crm",
    "create_indexes",
    "load_crm",
    "demo_crm",
    "table_counts",
    "schema_summary",
    "WriteAttempt",
    "try_write",
    "refusal_meaning",
    "customer_360",
    "COHORT_SQL",
    "RFM_SCORES_SQL",
    "sql_cohort_table",
    "sql_rfm_scores",
]

#: The tables of the CRM database, in the order a load writes them (parents before children).
TABLES = (
    "customers",
    "contacts",
    "products",
    "orders",
    "order_lines",
    "tickets",
    "calls",
    "opportunities",
)

#: The schema of the operational CRM: tables, keys, constraints and the 360° customer view.
SCHEMA = """
CREATE TABLE customers (
    customer_id    TEXT PRIMARY KEY,
    signup_date    TEXT NOT NULL CONSTRAINT signup_date_is_a_date CHECK (signup_date IS date(signup_date, '+0 days')),
    signup_channel TEXT NOT NULL CONSTRAINT known_signup_channel
                   CHECK (signup_channel IN ('search', 'social', 'email', 'referral', 'display', 'store', 'sales_team')),
    customer_type  TEXT NOT NULL CONSTRAINT known_customer_type CHECK (customer_type IN ('B2C', 'B2B')),
    company_name   TEXT,
    age            INTEGER CONSTRAINT adult_age CHECK (age BETWEEN 18 AND 120),
    gender         TEXT CONSTRAINT known_gender CHECK (gender IN ('F', 'M')),
    income_band    TEXT CONSTRAINT known_income_band
                   CHECK (income_band IN ('<5k', '5k-10k', '10k-20k', '20k-40k', '>40k')),
    region         TEXT NOT NULL,
    city_tier      INTEGER NOT NULL CONSTRAINT city_tier_1_to_4 CHECK (city_tier BETWEEN 1 AND 4),
    CONSTRAINT company_name_for_business_only CHECK ((customer_type = 'B2B') = (company_name IS NOT NULL))
) STRICT;

CREATE TABLE contacts (
    customer_id TEXT PRIMARY KEY REFERENCES customers (customer_id),
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    email       TEXT NOT NULL UNIQUE CONSTRAINT email_has_an_at CHECK (email LIKE '_%@_%._%')
) STRICT;

CREATE TABLE products (
    product_id   TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    category     TEXT NOT NULL,
    product_line TEXT NOT NULL,
    tier         TEXT NOT NULL CONSTRAINT known_tier CHECK (tier IN ('basic', 'standard', 'premium')),
    tier_rank    INTEGER NOT NULL CONSTRAINT tier_rank_1_to_3 CHECK (tier_rank BETWEEN 1 AND 3),
    unit_price   REAL NOT NULL CONSTRAINT price_positive CHECK (unit_price > 0),
    unit_cost    REAL NOT NULL CONSTRAINT cost_not_negative CHECK (unit_cost >= 0)
) STRICT;

CREATE TABLE orders (
    order_id    TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    order_date  TEXT NOT NULL CONSTRAINT order_date_is_a_date CHECK (order_date IS date(order_date, '+0 days')),
    channel     TEXT NOT NULL CONSTRAINT known_order_channel CHECK (channel IN ('web', 'app', 'store', 'sales_rep')),
    campaign    TEXT,
    revenue     REAL NOT NULL CONSTRAINT revenue_not_negative CHECK (revenue >= 0),
    cost        REAL NOT NULL CONSTRAINT order_cost_not_negative CHECK (cost >= 0),
    margin      REAL NOT NULL,
    CONSTRAINT margin_is_revenue_minus_cost CHECK (abs(margin - (revenue - cost)) < 0.005)
) STRICT;

CREATE TABLE order_lines (
    order_id   TEXT NOT NULL REFERENCES orders (order_id),
    line_no    INTEGER NOT NULL CONSTRAINT line_no_from_1 CHECK (line_no >= 1),
    product_id TEXT NOT NULL REFERENCES products (product_id),
    quantity   INTEGER NOT NULL CONSTRAINT quantity_positive CHECK (quantity > 0),
    unit_price REAL NOT NULL CONSTRAINT line_price_positive CHECK (unit_price > 0),
    discount   REAL NOT NULL CONSTRAINT discount_below_1 CHECK (discount >= 0 AND discount < 1),
    revenue    REAL NOT NULL CONSTRAINT line_revenue_not_negative CHECK (revenue >= 0),
    cost       REAL NOT NULL CONSTRAINT line_cost_not_negative CHECK (cost >= 0),
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT product_once_per_order UNIQUE (order_id, product_id)
) STRICT;

CREATE TABLE tickets (
    ticket_id   TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    opened_at   TEXT NOT NULL CONSTRAINT opened_at_is_a_time CHECK (opened_at IS datetime(opened_at, '+0 days')),
    closed_at   TEXT CONSTRAINT closed_at_is_a_time CHECK (closed_at IS datetime(closed_at, '+0 days')),
    category    TEXT NOT NULL CONSTRAINT known_ticket_category
                CHECK (category IN ('delivery_delay', 'product_defect', 'billing', 'return_request', 'website')),
    channel     TEXT NOT NULL CONSTRAINT known_ticket_channel CHECK (channel IN ('phone', 'web_form', 'email')),
    resolution  TEXT NOT NULL CONSTRAINT known_resolution
                CHECK (resolution IN ('resolved_satisfied', 'resolved', 'unresolved', 'open')),
    CONSTRAINT closed_after_opened CHECK (closed_at >= opened_at),
    CONSTRAINT open_means_not_closed CHECK ((resolution = 'open') = (closed_at IS NULL))
) STRICT;

CREATE TABLE calls (
    call_id        TEXT PRIMARY KEY,
    customer_id    TEXT REFERENCES customers (customer_id),
    ticket_id      TEXT REFERENCES tickets (ticket_id),
    call_start     TEXT NOT NULL CONSTRAINT call_start_is_a_time CHECK (call_start IS datetime(call_start, '+0 days')),
    wait_seconds   INTEGER NOT NULL CONSTRAINT wait_not_negative CHECK (wait_seconds >= 0),
    handle_seconds INTEGER NOT NULL CONSTRAINT handle_not_negative CHECK (handle_seconds >= 0),
    outcome        TEXT NOT NULL CONSTRAINT known_call_outcome
                   CHECK (outcome IN ('resolved', 'callback_scheduled', 'transferred', 'ticket_opened', 'abandoned')),
    CONSTRAINT abandoned_calls_not_handled CHECK ((outcome = 'abandoned') = (handle_seconds = 0))
) STRICT;

CREATE TABLE opportunities (
    opportunity_id      TEXT PRIMARY KEY,
    customer_id         TEXT NOT NULL REFERENCES customers (customer_id),
    created_date        TEXT NOT NULL CONSTRAINT created_is_a_date CHECK (created_date IS date(created_date, '+0 days')),
    stage               TEXT NOT NULL CONSTRAINT known_stage CHECK (stage IN ('prospecting', 'qualification',
                        'proposal', 'negotiation', 'closed_won', 'closed_lost')),
    probability         REAL NOT NULL CONSTRAINT probability_0_to_1 CHECK (probability BETWEEN 0 AND 1),
    expected_value      INTEGER NOT NULL CONSTRAINT value_positive CHECK (expected_value > 0),
    product_focus       TEXT NOT NULL,
    owner               TEXT NOT NULL,
    close_date          TEXT CONSTRAINT close_is_a_date CHECK (close_date IS date(close_date, '+0 days')),
    expected_close_date TEXT CONSTRAINT expected_close_is_a_date
                        CHECK (expected_close_date IS date(expected_close_date, '+0 days')),
    CONSTRAINT closed_deals_have_a_close_date
        CHECK ((stage IN ('closed_won', 'closed_lost')) = (close_date IS NOT NULL)),
    CONSTRAINT open_deals_have_an_expected_close
        CHECK ((stage IN ('closed_won', 'closed_lost')) = (expected_close_date IS NULL)),
    CONSTRAINT closes_after_creation CHECK (close_date >= created_date)
) STRICT;

CREATE VIEW customer_360 AS
SELECT c.customer_id, k.name, k.phone, k.email, c.customer_type, c.company_name, c.region, c.city_tier,
       c.signup_date,
       COALESCE(o.orders, 0) AS orders, COALESCE(o.revenue, 0) AS revenue, COALESCE(o.margin, 0) AS margin,
       o.first_order, o.last_order,
       COALESCE(t.tickets, 0) AS tickets, COALESCE(t.unresolved, 0) AS unresolved_tickets,
       COALESCE(v.calls, 0) AS calls,
       COALESCE(p.open_deals, 0) AS open_opportunities, COALESCE(p.open_value, 0) AS open_pipeline_value,
       COALESCE(p.won_value, 0) AS won_value
FROM customers AS c
LEFT JOIN contacts AS k ON k.customer_id = c.customer_id
LEFT JOIN (SELECT customer_id, COUNT(*) AS orders, ROUND(SUM(revenue), 2) AS revenue,
                  ROUND(SUM(margin), 2) AS margin, MIN(order_date) AS first_order, MAX(order_date) AS last_order
           FROM orders GROUP BY customer_id) AS o ON o.customer_id = c.customer_id
LEFT JOIN (SELECT customer_id, COUNT(*) AS tickets,
                  SUM(CASE WHEN resolution = 'unresolved' THEN 1 ELSE 0 END) AS unresolved
           FROM tickets GROUP BY customer_id) AS t ON t.customer_id = c.customer_id
LEFT JOIN (SELECT customer_id, COUNT(*) AS calls FROM calls
           WHERE customer_id IS NOT NULL GROUP BY customer_id) AS v ON v.customer_id = c.customer_id
LEFT JOIN (SELECT customer_id,
                  SUM(CASE WHEN stage IN ('closed_won', 'closed_lost') THEN 0 ELSE 1 END) AS open_deals,
                  SUM(CASE WHEN stage IN ('closed_won', 'closed_lost') THEN 0 ELSE expected_value END) AS open_value,
                  SUM(CASE WHEN stage = 'closed_won' THEN expected_value ELSE 0 END) AS won_value
           FROM opportunities GROUP BY customer_id) AS p ON p.customer_id = c.customer_id;
"""

#: Indexes on the columns the CRM looks records up by (a customer's orders, tickets, calls, deals).
INDEXES = """
CREATE INDEX orders_by_customer ON orders (customer_id, order_date);
CREATE INDEX order_lines_by_product ON order_lines (product_id);
CREATE INDEX tickets_by_customer ON tickets (customer_id);
CREATE INDEX calls_by_customer ON calls (customer_id);
CREATE INDEX calls_by_ticket ON calls (ticket_id);
CREATE INDEX opportunities_by_customer ON opportunities (customer_id);
CREATE INDEX opportunities_by_owner_stage ON opportunities (owner, stage);
"""

#: The columns of each table, in the order of its INSERT statement.
_COLUMNS = {
    "customers": (
        "customer_id",
        "signup_date",
        "signup_channel",
        "customer_type",
        "company_name",
        "age",
        "gender",
        "income_band",
        "region",
        "city_tier",
    ),
    "contacts": ("customer_id", "name", "phone", "email"),
    "products": (
        "product_id",
        "name",
        "category",
        "product_line",
        "tier",
        "tier_rank",
        "unit_price",
        "unit_cost",
    ),
    "orders": ("order_id", "customer_id", "order_date", "channel", "campaign", "revenue", "cost", "margin"),
    "order_lines": (
        "order_id",
        "line_no",
        "product_id",
        "quantity",
        "unit_price",
        "discount",
        "revenue",
        "cost",
    ),
    "tickets": ("ticket_id", "customer_id", "opened_at", "closed_at", "category", "channel", "resolution"),
    "calls": (
        "call_id",
        "customer_id",
        "ticket_id",
        "call_start",
        "wait_seconds",
        "handle_seconds",
        "outcome",
    ),
    "opportunities": (
        "opportunity_id",
        "customer_id",
        "created_date",
        "stage",
        "probability",
        "expected_value",
        "product_focus",
        "owner",
        "close_date",
        "expected_close_date",
    ),
}

#: One parameterized INSERT per table, written out: values only ever travel as parameters.
_INSERT = {
    "customers": "INSERT INTO customers (customer_id, signup_date, signup_channel, customer_type, "
    "company_name, age, gender, income_band, region, city_tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "contacts": "INSERT INTO contacts (customer_id, name, phone, email) VALUES (?, ?, ?, ?)",
    "products": "INSERT INTO products (product_id, name, category, product_line, tier, tier_rank, "
    "unit_price, unit_cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "orders": "INSERT INTO orders (order_id, customer_id, order_date, channel, campaign, revenue, cost, "
    "margin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "order_lines": "INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price, "
    "discount, revenue, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "tickets": "INSERT INTO tickets (ticket_id, customer_id, opened_at, closed_at, category, channel, "
    "resolution) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "calls": "INSERT INTO calls (call_id, customer_id, ticket_id, call_start, wait_seconds, handle_seconds, "
    "outcome) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "opportunities": "INSERT INTO opportunities (opportunity_id, customer_id, created_date, stage, "
    "probability, expected_value, product_focus, owner, close_date, expected_close_date) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}

#: Columns stored as whole numbers and as decimals (every other column is text).
_INTEGERS = {
    "age",
    "city_tier",
    "tier_rank",
    "line_no",
    "quantity",
    "wait_seconds",
    "handle_seconds",
    "expected_value",
}
_REALS = {"unit_price", "unit_cost", "revenue", "cost", "margin", "discount", "probability"}
#: Columns holding a time of day (the others that hold dates hold days).
_TIMES = {"opened_at", "closed_at", "call_start"}

_COUNT_SQL = """
SELECT 'customers' AS table_name, COUNT(*) AS table_rows FROM customers
UNION ALL SELECT 'contacts', COUNT(*) FROM contacts
UNION ALL SELECT 'products', COUNT(*) FROM products
UNION ALL SELECT 'orders', COUNT(*) FROM orders
UNION ALL SELECT 'order_lines', COUNT(*) FROM order_lines
UNION ALL SELECT 'tickets', COUNT(*) FROM tickets
UNION ALL SELECT 'calls', COUNT(*) FROM calls
UNION ALL SELECT 'opportunities', COUNT(*) FROM opportunities
"""

_DATASETS = Path(__file__).resolve().parents[1] / "datasets"


def _connection(connection: object) -> sqlite3.Connection:
    if not isinstance(connection, sqlite3.Connection):
        raise DataError(
            f"connection must be an SQLite connection from crmdb.open_crm(), got {type(connection).__name__}"
        )
    return connection


def open_crm(path: Path | None = None, *, indexes: bool = True) -> sqlite3.Connection:
    """Open a new, empty CRM database: the schema, foreign keys on, and (by default) the indexes.

    The connection is in autocommit mode (``isolation_level=None``): each statement
    commits on its own unless it runs inside an explicit ``BEGIN`` ... ``COMMIT``, as
    :func:`load_crm` and :func:`try_write` do.

    Parameters
    ----------
    path : pathlib.Path, optional
        A file for the database, in a folder that exists and outside the course's
        ``datasets/`` (which holds only the published data); it must not exist yet.
        ``None`` (default): a database in memory, gone when the connection closes.
    indexes : bool
        Create :data:`INDEXES` (default). ``False`` shows what a query does without them.

    Returns
    -------
    sqlite3.Connection

    Raises
    ------
    DataError
        ``path`` not a ``pathlib.Path``, in a missing folder, inside ``datasets/`` or
        an existing file; ``indexes`` not True or False.

    Examples
    --------
    >>> crm = open_crm()
    >>> crm.execute("PRAGMA foreign_keys").fetchone()
    (1,)
    >>> table_counts(crm).sum()
    np.int64(0)
    """
    indexes = require_flag(indexes, "indexes")
    if path is None:
        target = ":memory:"
    else:
        if not isinstance(path, Path):
            raise DataError(f"path must be a pathlib.Path or None (in memory), got {type(path).__name__}")
        resolved = path.resolve()
        if not resolved.parent.is_dir():
            raise DataError(f"path {path} is in a folder that does not exist")
        if resolved == _DATASETS or _DATASETS in resolved.parents:
            raise DataError(
                f"path {path} is inside the course's datasets/ folder, which holds only the published "
                "data: build the database in memory or in a temporary folder (tempfile)"
            )
        if resolved.exists():
            raise DataError(f"path {path} exists already: open_crm builds a new database")
        target = str(resolved)
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.executescript(SCHEMA)
    if indexes:
        connection.executescript(INDEXES)
    return connection


def create_indexes(connection: sqlite3.Connection) -> None:
    """Create the indexes of :data:`INDEXES` on a database opened with ``indexes=False``.

    Raises
    ------
    DataError
        Not an SQLite connection, or the indexes exist already.
    """
    connection = _connection(connection)
    try:
        connection.executescript(INDEXES)
    except sqlite3.OperationalError as error:
        raise DataError(f"the indexes could not be created: {error}") from error


def _rows(table: str, frame: pd.DataFrame) -> list[tuple]:
    """The rows of ``frame`` as tuples of plain Python values in the order of ``table``'s columns."""
    columns = _COLUMNS[table]
    require_columns(frame, columns, f"tables[{table!r}]")
    values = []
    for column in columns:
        series = frame[column]
        missing = series.isna().to_numpy()
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        if pd.api.types.is_datetime64_any_dtype(series):
            if isinstance(series.dtype, pd.DatetimeTZDtype):
                raise DataError(
                    f"column {column!r} of tables[{table!r}] has a time zone: drop it first, "
                    f"df[{column!r}].dt.tz_localize(None)"
                )
            text = series.dt.strftime("%Y-%m-%d %H:%M:%S" if column in _TIMES else "%Y-%m-%d").tolist()
            values.append([None if m else v for v, m in zip(text, missing, strict=True)])
        elif numeric and column in _INTEGERS:
            numbers = series.to_numpy(dtype=float).tolist()
            values.append(
                [
                    None if m else (int(v) if v.is_integer() else v)
                    for v, m in zip(numbers, missing, strict=True)
                ]
            )
        elif numeric and column in _REALS:
            numbers = series.to_numpy(dtype=float).tolist()
            values.append([None if m else v for v, m in zip(numbers, missing, strict=True)])
        else:  # text, or a value of the wrong kind for the database to refuse
            items = series.to_numpy(dtype=object).tolist()
            values.append([None if m else _plain(v) for v, m in zip(items, missing, strict=True)])
    return list(zip(*values, strict=True))


def _plain(value: object) -> object:
    """A numpy scalar as the Python value SQLite understands; anything else as it is."""
    return value.item() if isinstance(value, np.generic) else value


def load_crm(connection: sqlite3.Connection, tables: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Write tables into the CRM database in one transaction: every row, or none.

    The tables are written in the order of :data:`TABLES` (parents before children), all
    inside one ``BEGIN`` ... ``COMMIT``. When the database refuses any row (a foreign key
    to a missing customer, a repeated key, a failed CHECK), the whole transaction is
    rolled back and nothing of the load remains, not even the rows written before the
    refused one.

    Parameters
    ----------
    connection : sqlite3.Connection
        A database from :func:`open_crm`.
    tables : dict of str -> DataFrame
        Table name (one of :data:`TABLES`) -> rows to add, with at least that table's
        columns (dates as ``datetime64``, missing values as NaN/None/NaT).

    Returns
    -------
    Series
        The rows written per table (in the order written).

    Raises
    ------
    DataError
        Not an SQLite connection; ``tables`` not a dict of known table names -> tables with
        their columns; or the database refused a row: the message names the table and the
        constraint, and the database is as it was before the call.

    Examples
    --------
    >>> crm = open_crm()
    >>> people = pd.DataFrame({"customer_id": ["C1"], "signup_date": pd.to_datetime(["2024-01-05"]),
    ...     "signup_channel": ["email"], "customer_type": ["B2C"], "company_name": [None], "age": [30],
    ...     "gender": ["F"], "income_band": ["5k-10k"], "region": ["East China"], "city_tier": [1]})
    >>> load_crm(crm, {"customers": people}).to_dict()
    {'customers': 1}
    """
    connection = _connection(connection)
    if isinstance(tables, pd.DataFrame) or not isinstance(tables, Mapping) or not tables:
        raise DataError(
            f"tables must be a dict of table name -> DataFrame, e.g. {{'customers': frame}}, got "
            f"{type(tables).__name__}"
        )
    unknown = [name for name in tables if name not in _COLUMNS]
    if unknown:
        raise DataError(f"tables names unknown tables {unknown}; the CRM's tables are {list(TABLES)}")
    batches = {}
    for name in TABLES:
        if name in tables:
            frame = tables[name]
            if not isinstance(frame, pd.DataFrame):
                raise DataError(f"tables[{name!r}] must be a DataFrame, got {type(frame).__name__}")
            batches[name] = _rows(name, frame)
    written = {}
    connection.execute("BEGIN")
    try:
        for name, rows in batches.items():
            connection.executemany(_INSERT[name], rows)
            written[name] = len(rows)
    except sqlite3.Error as error:
        connection.execute("ROLLBACK")
        raise DataError(
            message("crmdb.load_refused", table=repr(name), error=f"{type(error).__name__}: {error}")
        ) from error
    connection.execute("COMMIT")
    return pd.Series(written, name="rows_written", dtype=int)


def demo_crm(*, indexes: bool = True) -> sqlite3.Connection:
    """The demo company's operational CRM in memory: :func:`open_crm` and :func:`load_crm` of
    its customers, contacts, products, orders, order lines, tickets, calls and opportunities.

    The database is built once per session and each call returns a fresh copy of it
    (SQLite's backup API), so that what one notebook section writes no other sees.

    Raises
    ------
    DataError
        ``indexes`` not True or False.
    """
    indexes = require_flag(indexes, "indexes")
    copy = sqlite3.connect(":memory:", isolation_level=None)
    _demo_template(indexes).backup(copy)
    copy.execute("PRAGMA foreign_keys = ON")
    return copy


@cache
def _demo_template(indexes: bool) -> sqlite3.Connection:
    from .datasets import load_demo

    connection = open_crm(indexes=False)
    load_crm(connection, {name: load_demo(name) for name in TABLES})
    if indexes:  # indexes built after a bulk load are built once, not row by row
        create_indexes(connection)
    return connection


def table_counts(connection: sqlite3.Connection) -> pd.Series:
    """Rows in each table of the CRM database, in the order of :data:`TABLES`.

    Raises
    ------
    DataError
        Not an SQLite connection with the CRM schema.
    """
    connection = _connection(connection)
    try:
        rows = connection.execute(_COUNT_SQL).fetchall()
    except sqlite3.Error as error:
        raise DataError(f"the connection does not hold the CRM schema: {error}") from error
    counts = pd.Series({name: int(count) for name, count in rows}, name="rows")
    counts.index.name = "table"
    return counts


def schema_summary(connection: sqlite3.Connection) -> pd.DataFrame:
    """One row per table of the CRM: its columns, primary key, foreign keys, constraints and rows.

    Read from the database itself (``pragma_table_info``, ``pragma_foreign_key_list``
    and the stored ``CREATE TABLE`` text), so it shows what the database enforces.

    Returns
    -------
    DataFrame
        Indexed by ``table``: ``columns``, ``not_null`` (columns that must have a
        value), ``primary_key``, ``foreign_keys`` (``column → table``), ``checks``
        (CHECK and UNIQUE constraints) and ``rows``.

    Raises
    ------
    DataError
        Not an SQLite connection with the CRM schema.
    """
    connection = _connection(connection)
    counts = table_counts(connection)
    rows = {}
    for name in TABLES:
        info = connection.execute(
            'SELECT name, "notnull", pk FROM pragma_table_info(?) ORDER BY cid', (name,)
        ).fetchall()
        keys = connection.execute(
            'SELECT "from", "table" FROM pragma_foreign_key_list(?) ORDER BY id, seq', (name,)
        ).fetchall()
        text = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()[0]
        primary = [column for column, _, pk in sorted(info, key=lambda row: row[2]) if pk > 0]
        position = {column: number for number, (column, _, _) in enumerate(info)}
        keys = sorted(keys, key=lambda key: position[key[0]])
        rows[name] = {
            "columns": len(info),
            "not_null": sum(1 for _, notnull, pk in info if notnull or pk),
            "primary_key": ", ".join(primary),
            "foreign_keys": ", ".join(f"{column} → {parent}" for column, parent in keys),
            "checks": text.upper().count("CHECK (") + text.upper().count("UNIQUE"),
            "rows": int(counts[name]),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "table"
    return out


@dataclass(frozen=True)
class WriteAttempt:
    """What the database did with one write (see :func:`try_write`)."""

    accepted: bool
    rows_changed: int
    refused_because: str
    meaning: str = ""


_REFUSALS = (
    (re.compile(r"^FOREIGN KEY constraint failed$"), "crmdb.foreign_key"),
    (re.compile(r"^UNIQUE constraint failed: (?P<column>.+)$"), "crmdb.unique"),
    (re.compile(r"^CHECK constraint failed: (?P<rule>.+)$"), "crmdb.check"),
    (re.compile(r"^NOT NULL constraint failed: (?P<column>.+)$"), "crmdb.not_null"),
)


def refusal_meaning(reason: str, lang: str | None = None) -> str:
    """What SQLite's message of a refused write means, in ``lang`` (default: the current language).

    SQLite writes its messages in English only; a Chinese table shows the message as SQLite
    wrote it (it is code, what a student will search for) with this sentence beside it.

    Examples
    --------
    >>> refusal_meaning("FOREIGN KEY constraint failed", "zh")
    '违反外键约束：所引用的行不存在，或仍有其他行引用这一行'
    >>> refusal_meaning("UNIQUE constraint failed: orders.order_id", "zh")
    '违反唯一约束：orders.order_id 的值已经存在'
    """
    reason = require_text(reason, "reason")
    for pattern, key in _REFUSALS:
        found = pattern.match(reason)
        if found:
            return message(key, lang, **found.groupdict())
    return message("crmdb.other", lang)


def try_write(
    connection: sqlite3.Connection, sql: str, params: tuple = (), *, commit: bool = False
) -> WriteAttempt:
    """Run one parameterized write (INSERT, UPDATE, DELETE) and report whether the database accepted it.

    The write runs inside its own transaction. A write the database refuses (an
    ``sqlite3.IntegrityError``: a broken foreign key, a repeated key, a failed NOT NULL or
    CHECK) is rolled back and reported with SQLite's reason; an accepted one is rolled
    back too unless ``commit=True``, so trying writes leaves the database as it was.

    Parameters
    ----------
    connection : sqlite3.Connection
        A database from :func:`open_crm`.
    sql : str
        One SQL statement with ``?`` placeholders: never paste values into it.
    params : tuple
        The values of the placeholders.
    commit : bool
        Keep an accepted write (default: roll it back).

    Returns
    -------
    WriteAttempt
        ``accepted``, ``rows_changed``, ``refused_because`` (SQLite's message, kept as
        SQLite writes it; empty when accepted) and ``meaning`` (what the message says, in the
        current language: :func:`refusal_meaning`).

    Raises
    ------
    DataError
        Not an SQLite connection; ``sql`` not a text; ``params`` not a tuple or list; a
        statement SQLite cannot run at all (a syntax error, an unknown table, the wrong
        number of parameters), which is a mistake in the SQL, not a refusal.

    Examples
    --------
    >>> crm = open_crm()
    >>> try_write(crm, "INSERT INTO contacts (customer_id, name, phone, email) VALUES (?, ?, ?, ?)",
    ...           ("C99999", "Lan Luo", "+86 000 0000 0000", "lan.luo@example.com")).refused_because
    'FOREIGN KEY constraint failed'
    """
    connection = _connection(connection)
    sql = require_text(sql, "sql")
    commit = require_flag(commit, "commit")
    if not isinstance(params, (tuple, list)):
        raise DataError(
            f"params must be a tuple of values for the ? placeholders, got {type(params).__name__}"
        )
    connection.execute("BEGIN")
    try:
        cursor = connection.execute(sql, tuple(params))
    except sqlite3.IntegrityError as error:
        connection.execute("ROLLBACK")
        return WriteAttempt(
            accepted=False, rows_changed=0, refused_because=str(error), meaning=refusal_meaning(str(error))
        )
    except (sqlite3.Error, sqlite3.Warning, ValueError, OverflowError) as error:
        connection.execute("ROLLBACK")
        raise DataError(f"SQLite could not run the statement ({type(error).__name__}: {error})") from error
    changed = max(cursor.rowcount, 0)
    connection.execute("COMMIT" if commit else "ROLLBACK")
    return WriteAttempt(accepted=True, rows_changed=changed, refused_because="")


def customer_360(connection: sqlite3.Connection, customer_id: str | None = None) -> pd.DataFrame:
    """The 360° customer view (客户360度视图): one row per customer from the view ``customer_360``.

    The view joins each customer's master data and contact with their orders (count,
    revenue, margin, first and last order), service tickets (count, unresolved), calls
    and opportunities (open deals, open pipeline value, value won): what a sales rep or a
    call-centre agent sees on one screen.

    Parameters
    ----------
    connection : sqlite3.Connection
        A database from :func:`open_crm`.
    customer_id : str, optional
        One customer (passed as a parameter); ``None``: every customer.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``; empty (no rows) for an unknown customer.

    Raises
    ------
    DataError
        Not an SQLite connection with the CRM schema; ``customer_id`` not a text.
    """
    connection = _connection(connection)
    try:
        if customer_id is None:
            view = pd.read_sql_query("SELECT * FROM customer_360 ORDER BY customer_id", connection)
        else:
            customer_id = require_text(customer_id, "customer_id")
            view = pd.read_sql_query(
                "SELECT * FROM customer_360 WHERE customer_id = ?", connection, params=(customer_id,)
            )
    except (sqlite3.Error, pd.errors.DatabaseError) as error:
        raise DataError(f"the connection does not hold the CRM schema: {error}") from error
    return view.set_index("customer_id")


# ---------------------------------------------------------------------------- analytical CRM (DuckDB)
#: Monthly cohorts in SQL: active customers per (first-purchase month, months since).
COHORT_SQL = """
WITH purchases AS (
    SELECT customer_id,
           EXTRACT(YEAR FROM purchase_date) * 12 + EXTRACT(MONTH FROM purchase_date) - 1 AS month_no
    FROM transactions
    WHERE CAST(purchase_date AS DATE) <= CAST(? AS DATE)
),
cohorts AS (
    SELECT customer_id, MIN(month_no) AS cohort_no FROM purchases GROUP BY customer_id
)
SELECT c.cohort_no, p.month_no - c.cohort_no AS months_since, COUNT(DISTINCT p.customer_id) AS customers
FROM purchases AS p
JOIN cohorts AS c ON c.customer_id = p.customer_id
GROUP BY c.cohort_no, p.month_no - c.cohort_no
ORDER BY c.cohort_no, months_since
"""

#: RFM quintile scores in SQL, with the ranks and tie-breaks of segmentation.rfm_scores.
RFM_SCORES_SQL = """
WITH days AS (
    SELECT customer_id, CAST(purchase_date AS DATE) AS day, SUM(amount) AS amount
    FROM transactions
    GROUP BY customer_id, CAST(purchase_date AS DATE)
),
customers AS (
    SELECT customer_id,
           CAST(? AS DATE) - MAX(day) AS recency_days,
           COUNT(*) AS frequency,
           SUM(amount) AS monetary
    FROM days
    GROUP BY customer_id
)
SELECT customer_id, recency_days, frequency, monetary,
       CAST(FLOOR((ROW_NUMBER() OVER (ORDER BY recency_days DESC, frequency DESC, customer_id) - 1)
                  * CAST(? AS DOUBLE) / COUNT(*) OVER ()) AS INTEGER) + 1 AS R,
       CAST(FLOOR((ROW_NUMBER() OVER (ORDER BY frequency, monetary, customer_id) - 1)
                  * CAST(? AS DOUBLE) / COUNT(*) OVER ()) AS INTEGER) + 1 AS F,
       CAST(FLOOR((ROW_NUMBER() OVER (ORDER BY monetary, frequency, customer_id) - 1)
                  * CAST(? AS DOUBLE) / COUNT(*) OVER ()) AS INTEGER) + 1 AS M
FROM customers
ORDER BY customer_id
"""


def _purchases(
    transactions: pd.DataFrame, customer_col: str, date_col: str, amount_col: str | None
) -> pd.DataFrame:
    """A validated copy with the columns the SQL reads: customer_id, purchase_date (and amount)."""
    require_frame(transactions, "transactions")
    columns = [customer_col, date_col] + ([amount_col] if amount_col is not None else [])
    require_columns(transactions, columns, "transactions")
    require_no_missing(transactions, customer_col, "customer id")
    ids = transactions[customer_col]
    if ids.map(type).nunique() > 1:
        raise DataError(f"column {customer_col!r} mixes kinds of ids (numbers and texts): make them one kind")
    frame = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "purchase_date": to_datetime_column(transactions, date_col).to_numpy(),
        }
    )
    if amount_col is not None:
        amount = require_numeric(transactions, amount_col)
        require_non_negative(amount, amount_col, "returns should be netted against their purchase first")
        frame["amount"] = amount.to_numpy()
    return frame


def _duckdb_query(frame: pd.DataFrame, sql: str, params: list) -> pd.DataFrame:
    """Run ``sql`` with ``params`` in a fresh in-memory DuckDB that sees ``frame`` as ``transactions``.

    One thread, so that sums are added in the same order on every run."""
    import duckdb

    with duckdb.connect(":memory:", config={"threads": 1}) as warehouse:
        warehouse.register("transactions", frame)
        return warehouse.execute(sql, params).df()


def _end(observation_end: object, frame: pd.DataFrame) -> pd.Timestamp:
    last = frame["purchase_date"].max()
    if observation_end is None:
        return last.normalize()
    return to_date(observation_end, "observation_end").normalize()


def sql_cohort_table(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    observation_end: DateLike | None = None,
    share: bool = True,
) -> pd.DataFrame:
    """The cohort table of :func:`crmlib.lifecycle.cohort_table`, counted by :data:`COHORT_SQL` in DuckDB.

    SQL counts the active customers per (cohort month, months since the first
    purchase); pandas only lays the counts out as a table, with NaN in the months after
    ``observation_end`` (not yet observed) and, with ``share=True``, divides each row by
    its cohort size.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    customer_col, date_col : str
        Column names.
    observation_end : date-like, optional
        Last day counted (default: the last purchase).
    share : bool
        Shares of the cohort (default) or numbers of customers.

    Returns
    -------
    DataFrame
        Indexed by ``cohort`` (monthly Period), columns 0, 1, 2, ... (``months_since``);
        cells after ``observation_end`` are NaN.

    Raises
    ------
    DataError
        Not a non-empty table; missing columns; missing customer ids or ids of mixed kinds;
        missing, unparseable or time-zone-aware dates; a bad ``observation_end`` or one
        before every purchase; ``share`` not True or False.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-10", "2024-01-20", "2024-02-01", "2024-03-05"])})
    >>> sql_cohort_table(tx)
    months_since    0    1    2
    cohort
    2024-01       1.0  0.5  0.0
    2024-02       1.0  1.0  NaN
    """
    share = require_flag(share, "share")
    frame = _purchases(transactions, customer_col, date_col, None)
    end = _end(observation_end, frame)
    counts = _duckdb_query(frame, COHORT_SQL, [end.strftime("%Y-%m-%d")])
    if counts.empty:
        raise DataError(
            f"transactions has no purchase on or before observation_end = {end.date()}: "
            "there is no cohort to follow; use a later observation_end"
        )
    table = counts.pivot(index="cohort_no", columns="months_since", values="customers")
    cohort_no = table.index.to_numpy(dtype=int)
    table.index = pd.PeriodIndex(
        [pd.Period(year=int(n // 12), month=int(n % 12) + 1, freq="M") for n in cohort_no], name="cohort"
    )
    last = end.year * 12 + end.month - 1
    return _cohort_grid(table.fillna(0.0), last - cohort_no, share)


def sql_rfm_scores(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    observation_end: DateLike | None = None,
    bins: int = 5,
) -> pd.DataFrame:
    """The RFM scores of :func:`crmlib.segmentation.rfm_scores`, computed by :data:`RFM_SCORES_SQL`.

    Per customer (same-day purchases are one): recency in days to ``observation_end``,
    frequency (purchase days) and monetary (total amount). Each is scored 1..``bins`` by
    its rank: score = ⌊(rank − 1) · bins / n⌋ + 1 with ``ROW_NUMBER() OVER (ORDER BY ...)``,
    ties split as crmlib splits them (recency by frequency, frequency by monetary,
    monetary by frequency, then by customer id).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase; every purchase on or before ``observation_end``.
    customer_col, date_col, amount_col : str
        Column names.
    observation_end : date-like, optional
        The day recency is measured from (default: the last purchase).
    bins : int
        Number of scores, 2 to 100 (at most the number of customers).

    Returns
    -------
    DataFrame
        Indexed by customer: ``recency_days``, ``frequency``, ``monetary``, ``R``, ``F``,
        ``M``, ``rfm_cell``.

    Raises
    ------
    DataError
        As :func:`sql_cohort_table`; amounts that are not numbers or negative;
        purchases after ``observation_end``; fewer customers than ``bins``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": list("aabcdee"),
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01", "2024-03-20",
    ...                             "2024-01-10", "2024-02-10", "2024-03-30"]),
    ...     "amount": [10.0, 30.0, 5.0, 8.0, 50.0, 20.0, 20.0]})
    >>> sql_rfm_scores(tx, observation_end="2024-03-31")["rfm_cell"].tolist()
    ['343', '211', '422', '135', '554']
    """
    bins = require_count(bins, "bins", low=2, high=100)
    frame = _purchases(transactions, customer_col, date_col, require_text(amount_col, "amount_col"))
    end = _end(observation_end, frame)
    late = (frame["purchase_date"].dt.normalize() > end).to_numpy()
    if late.any():
        raise DataError(
            f"column {date_col!r} has {int(late.sum())} purchases after the observation end "
            f"{end.date()} ({describe_rows(transactions.index[late])}): filter the table to the period you want to score"
        )
    customers = frame["customer_id"].nunique()
    if customers < bins:
        raise DataError(
            f"transactions has {customers} customers, fewer than the {bins} scores (bins): "
            "score more customers or ask for fewer bins"
        )
    table = _duckdb_query(frame, RFM_SCORES_SQL, [end.strftime("%Y-%m-%d"), bins, bins, bins])
    table = table.rename(columns={"customer_id": customer_col}).set_index(customer_col)
    for column in ("recency_days", "frequency", "R", "F", "M"):
        table[column] = table[column].astype(int)
    table["monetary"] = table["monetary"].astype(float)
    table["rfm_cell"] = table["R"].astype(str) + table["F"].astype(str) + table["M"].astype(str)
    return table
