"""The customer information base (客户信息库): a 360° customer profile and the 10C indicators.

A firm's tables each hold one side of a customer: who they are (customers),
what they bought (orders, order lines, products), how they browsed (web
events), what they think (survey), where things went wrong (tickets, calls)
and, for business accounts, what is being negotiated (opportunities). The
**customer profile (客户画像)** puts these sides together for one customer;
the **10C indicators** summarise the whole base along the ten Cs of CRM
(the 10C framework of the report 《CRM介绍》), one number per C.

Both functions take the tables as a dict of DataFrames, e.g.
:func:`load_information_base` for the demo company, so that any firm's tables
with the same columns can be used.

References
----------
《CRM介绍》 (a report introducing CRM): the 10C architecture of CRM (顧客關係管理的10C架構).
Reichheld, F. F. (2003). The one number you need to grow. Harvard Business
Review 81(12) (the recommend question).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.patches import FancyBboxPatch

from .datasets import DEMO_OBSERVATION_END
from .glossary import term
from .language import message
from .plots import PALETTE, finish, new_figure, wrap_label
from .validation import (
    DataError,
    describe_rows,
    require_columns,
    require_count,
    require_frame,
    require_no_missing,
    require_numeric,
    to_date,
    to_datetime_column,
    to_numbers,
)
from .value import value_concentration

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .validation import DateLike

__all__ = [
    "TABLE_COLUMNS",
    "SURVEY_SCALES",
    "load_information_base",
    "CustomerProfile",
    "EVERY_SOURCE",
    "customers_in_every_source",
    "customer_profile",
    "ten_c_indicators",
    "plot_ten_c_dashboard",
]

#: The columns each table of the information base needs.
TABLE_COLUMNS = {
    "customers": [
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
    ],
    "orders": ["order_id", "customer_id", "order_date", "channel", "campaign", "revenue", "margin"],
    "order_lines": ["order_id", "product_id", "quantity", "revenue"],
    "products": ["product_id", "category"],
    "web_events": ["session_id", "customer_id", "timestamp", "event"],
    "survey": [
        "customer_id",
        "overall_satisfaction",
        "recommend",
        "exp_personalization",
        "perc_personalization",
    ],
    "tickets": ["ticket_id", "customer_id", "opened_at", "category", "resolution"],
    "opportunities": ["opportunity_id", "customer_id", "stage", "expected_value"],
}


def load_information_base() -> dict[str, pd.DataFrame]:
    """The demo company's tables that the profile and the 10C indicators use.

    Example
    -------
    >>> sorted(load_information_base())[:3]
    ['customers', 'opportunities', 'order_lines']
    """
    from .datasets import load_demo

    return {name: load_demo(name) for name in TABLE_COLUMNS}


#: The answer scales of the survey columns the profile and the 10C indicators use (lowest, highest).
SURVEY_SCALES = {
    "overall_satisfaction": (1, 7),
    "recommend": (0, 10),
    "exp_personalization": (1, 7),
    "perc_personalization": (1, 7),
}


def _validate(tables: dict) -> dict[str, pd.DataFrame]:
    """The checks every function of the information base needs: the tables, their columns, and
    ids that tie them together (one row per customer and per product, no order without a customer)."""
    if not isinstance(tables, dict):
        raise DataError(f"tables must be a dict of DataFrames by table name, got {type(tables).__name__}")
    missing = [name for name in TABLE_COLUMNS if name not in tables]
    if missing:
        raise DataError(
            f"tables has no table {', '.join(repr(m) for m in missing)}; it has "
            f"{', '.join(repr(t) for t in tables)}. Load them with load_information_base()"
        )
    for name, columns in TABLE_COLUMNS.items():
        frame = tables[name]
        if not isinstance(frame, pd.DataFrame):
            raise DataError(f"table {name!r} must be a pandas DataFrame, got {type(frame).__name__}")
        require_columns(frame, columns, name=f"table {name!r}")
    require_frame(tables["customers"], "table 'customers'")
    require_no_missing(tables["customers"], "customer_id", "customer id")
    require_no_missing(tables["orders"], "customer_id", "customer id")  # web events may be anonymous
    for name, column in (("customers", "customer_id"), ("products", "product_id")):
        repeated = tables[name][column].duplicated()
        if repeated.any():
            raise DataError(
                f"column {column!r} of table {name!r} lists {int(repeated.sum())} ids more than once "
                f"({describe_rows(tables[name].index[repeated])}): keep one row per id"
            )
    for name, column, home in (
        *(
            (n, "customer_id", "customers")
            for n in ("orders", "web_events", "tickets", "opportunities", "survey")
        ),
        ("order_lines", "product_id", "products"),
    ):
        known = tables[home][column]
        ids = tables[name][column].dropna()
        stray = ~ids.isin(known)
        if stray.any():
            raise DataError(
                f"column {column!r} of table {name!r} has {int(stray.sum())} ids that are not "
                f"in table {home!r} (e.g. {ids[stray].iloc[0]!r}): the tables do not belong together"
            )
    return tables


def _survey_answers(survey: pd.DataFrame, column: str) -> np.ndarray:
    """A survey column as floats: numbers, none missing, on the column's scale (:data:`SURVEY_SCALES`)."""
    low, high = SURVEY_SCALES[column]
    values = require_numeric(survey, column).to_numpy()
    to_numbers(values.tolist(), f"column {column!r} of table 'survey'", low=low, high=high)
    return values


@dataclass
class CustomerProfile:
    """The 360° view of one customer. Each part is a small table or series."""

    customer_id: str
    identity: pd.Series
    purchases: pd.Series
    categories: pd.DataFrame
    web: pd.Series
    voice: pd.Series
    service: pd.DataFrame
    pipeline: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """One table: the section of the information base, the item and its value."""
        parts = []
        for section, series in (
            ("identity", self.identity),
            ("purchases", self.purchases),
            ("web", self.web),
            ("voice", self.voice),
        ):
            parts.append(
                pd.DataFrame(
                    {
                        "section": term(f"profile_{section}"),
                        "item": series.index,
                        "value": series.astype(object).to_numpy(),
                    }
                )
            )
        parts.append(
            pd.DataFrame(
                {
                    "section": term("profile_service"),
                    "item": ["tickets", "unresolved"],
                    "value": [
                        len(self.service),
                        int((self.service["resolution"] == "unresolved").sum()) if len(self.service) else 0,
                    ],
                }
            )
        )
        return pd.concat(parts, ignore_index=True).set_index(["section", "item"])


#: The sources a customer must appear in for :func:`customers_in_every_source`.
EVERY_SOURCE = ("orders", "web_events", "survey", "tickets")


def customers_in_every_source(tables: dict, *, customer_type: str | None = None) -> pd.DataFrame:
    """The customers who appear in every source of the information base, most orders first.

    A customer is *in every source* when they have at least one order, one web
    event, a survey answer and a service ticket (:data:`EVERY_SOURCE`): the
    customers whose 360° profile has something in every part. They are ranked
    by their number of orders, the largest first (ties keep the order of
    ``Series.value_counts``), so ``.index[0]`` is the busiest of them.

    Parameters
    ----------
    tables : dict of DataFrame
        The tables named in :data:`TABLE_COLUMNS` (see :func:`load_information_base`).
    customer_type : str, optional
        Keep only customers of this ``customer_type`` in table ``customers``
        (``"B2C"`` or ``"B2B"`` in the demo company); default: every type.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``, one column ``orders`` (the customer's number
        of orders), sorted from the most orders down. A new frame.

    Raises
    ------
    DataError
        If a table or column is missing, or ``customer_type`` is not a type
        found in table ``customers``.

    Example
    -------
    >>> busiest = customers_in_every_source(load_information_base(), customer_type="B2C")
    >>> busiest.index[0], int(busiest["orders"].iloc[0])
    ('C00526', 153)
    """
    tables = _validate(tables)
    ids = tables["orders"]["customer_id"]
    keep = ids.notna()
    for name in EVERY_SOURCE[1:]:
        keep &= ids.isin(tables[name]["customer_id"])
    if customer_type is not None:
        customers = tables["customers"]
        types = customers["customer_type"].dropna().unique().tolist()
        if customer_type not in types:
            raise DataError(
                f"column 'customer_type' of table 'customers' has no type {customer_type!r}; "
                f"its types are {', '.join(repr(t) for t in sorted(map(str, types)))}"
            )
        keep &= ids.isin(customers.loc[customers["customer_type"] == customer_type, "customer_id"])
    counts = ids[keep].value_counts()
    return counts.rename("orders").rename_axis("customer_id").to_frame()


def customer_profile(
    tables: dict, customer_id: str, observation_end: DateLike = DEMO_OBSERVATION_END
) -> CustomerProfile:
    """Build the 360° profile of one customer from the information base.

    Parameters
    ----------
    tables : dict of DataFrame
        The tables named in :data:`TABLE_COLUMNS` (see :func:`load_information_base`).
    customer_id : str
        A customer of table ``customers``.
    observation_end : date-like
        The day the data ends; recency is counted back from it (read with
        :func:`crmlib.validation.to_date`).

    Returns
    -------
    CustomerProfile
        ``identity`` (who), ``purchases`` (orders, revenue, margin, first and
        last order, days since the last, favourite channel, share of orders
        from campaigns), ``categories`` (revenue by product category),
        ``web`` (sessions and purchases on the web, 2024), ``voice`` (survey
        answers; the first answer when the customer answered more than once,
        "—" when never) and ``service`` (tickets) and ``pipeline`` (open and
        past sales opportunities, business accounts).

    Raises
    ------
    DataError
        ``tables`` not a dict of the tables named in :data:`TABLE_COLUMNS`, a
        table or column missing, ids that do not tie the tables together
        (a customer or product listed twice, an order without a customer, a
        customer or product id unknown to its table), revenue or margin that
        are missing or not numbers, order or signup dates that do not parse,
        survey answers outside their scales (:data:`SURVEY_SCALES`), a
        ``customer_id`` not in table ``customers``, or an ``observation_end``
        that is not a date or falls before the customer's last order.

    Example
    -------
    >>> p = customer_profile(load_information_base(), "C00001")
    >>> p.identity["customer_type"]
    'B2C'
    """
    tables = _validate(tables)
    end = to_date(observation_end, "observation_end")
    customers = tables["customers"]
    match = customers[(customers["customer_id"] == customer_id).to_numpy()]
    if match.empty:
        raise DataError(
            f"column 'customer_id' of table 'customers' has no customer {customer_id!r}: "
            "pick an id of that column"
        )
    signed_up = customers.loc[customers["signup_date"].notna().to_numpy()]
    to_datetime_column(signed_up, "signup_date")
    all_orders = tables["orders"]
    order_dates = to_datetime_column(all_orders, "order_date")
    revenue, margin = require_numeric(all_orders, "revenue"), require_numeric(all_orders, "margin")
    require_numeric(tables["order_lines"], "revenue")
    for column in ("overall_satisfaction", "recommend"):
        _survey_answers(tables["survey"], column)
    mine = (all_orders["customer_id"] == customer_id).to_numpy()
    dates = order_dates[mine]
    if mine.any() and dates.max().normalize() > end:
        raise DataError(
            f"observation_end {end.date()} falls before the customer's last order on "
            f"{dates.max().date()}: pass the day the data end"
        )

    row = match.iloc[0]
    identity = row.drop(labels=["customer_id"]).dropna()
    identity = identity.map(lambda v: int(v) if isinstance(v, float) and v.is_integer() else v)
    if "signup_date" in identity:
        identity["signup_date"] = pd.Timestamp(identity["signup_date"]).date().isoformat()

    orders = all_orders.loc[mine]
    if len(orders):
        purchases = pd.Series(
            {
                "orders": len(orders),
                "revenue_cny": round(float(revenue[mine].sum()), 2),
                "margin_cny": round(float(margin[mine].sum()), 2),
                "first_order": dates.min().date().isoformat(),
                "last_order": dates.max().date().isoformat(),
                "days_since_last_order": int((end - dates.max()).days),
                "main_channel": orders["channel"].value_counts().index[0],
                "share_of_orders_from_campaigns": round(float(orders["campaign"].notna().mean()), 3),
            }
        )
    else:
        purchases = pd.Series({"orders": 0})

    lines = tables["order_lines"].merge(orders[["order_id"]], on="order_id")
    lines = lines.merge(tables["products"][["product_id", "category"]], on="product_id", how="left")
    categories = (
        lines.groupby("category")["revenue"]
        .sum()
        .sort_values(ascending=False)
        .rename("revenue_cny")
        .reset_index()
    )

    events = tables["web_events"].loc[(tables["web_events"]["customer_id"] == customer_id).to_numpy()]
    web = pd.Series(
        {
            "sessions": int(events["session_id"].nunique()),
            "sessions_with_purchase": int(events.loc[events["event"] == "purchase", "session_id"].nunique()),
        }
    )

    survey = tables["survey"].loc[(tables["survey"]["customer_id"] == customer_id).to_numpy()]
    voice = (
        survey.iloc[0][["overall_satisfaction", "recommend"]]
        if len(survey)
        else pd.Series({"overall_satisfaction": "—", "recommend": "—"})
    )

    service = (
        tables["tickets"]
        .loc[
            (tables["tickets"]["customer_id"] == customer_id).to_numpy(),
            ["ticket_id", "opened_at", "category", "resolution"],
        ]
        .reset_index(drop=True)
    )
    pipeline = (
        tables["opportunities"]
        .loc[
            (tables["opportunities"]["customer_id"] == customer_id).to_numpy(),
            ["opportunity_id", "stage", "expected_value"],
        ]
        .reset_index(drop=True)
    )
    return CustomerProfile(customer_id, identity, purchases, categories, web, voice, service, pipeline)


def ten_c_indicators(tables: dict, year: int = 2024) -> pd.DataFrame:
    """One number per C of the 10C framework, computed from the information base.

    ======================  ===============================================================
    C                       indicator (``year`` is the last full year of data)
    ======================  ===============================================================
    customer profile        share of customers with a complete record (demographics or
                            company name) *and* at least one order
    customer knowledge      share of buying customers who answered the survey
    customer segmentation   interquartile ratio of margin per buyer: the margin of the
                            buyer at the 75th percentile ÷ that at the 25th (quartiles,
                            not means, so a few huge or near-zero accounts do not move it)
    customization           mean personalization gap in the survey (perceived − expected,
                            1–7 scale; below 0 = personalization falls short)
    customer value          mean margin per buying customer in ``year`` (CNY)
    customer satisfaction   mean overall satisfaction (1–7)
    customer development    share of buyers who bought in two or more product categories
    customer retention      share of customers who bought in ``year - 1`` and again in ``year``
    customer acquisition    customers whose first order fell in ``year``
    customer profitability  share of all margin earned from the top 20 % of customers
                            (:func:`crmlib.value.value_concentration`, as in chapter 04)
    ======================  ===============================================================

    Margin per buyer sums all orders of the data (all years), as chapter 04 does.
    The indicators do not share one time window: each row says its own in the
    column ``window`` (all years of orders, ``year`` alone, ``year - 1`` to
    ``year``, or the month(s) of the survey), so that a reader does not compare
    a one-year number with an all-years one without knowing it.

    Raises
    ------
    DataError
        If ``tables`` is not a dict of the tables named in :data:`TABLE_COLUMNS`,
        a table or column is missing, ids do not tie the tables together (a
        customer or product listed twice, an order without a customer, an id
        unknown to its table), ``year`` is not a whole number, the orders do
        not cover ``year - 1`` and ``year``, margins are missing or not
        numbers, order dates do not parse, the survey is empty or its answers
        are missing or outside their scales (:data:`SURVEY_SCALES`), no order
        line belongs to an order, or the lower quartile of margin per buyer is
        not positive (the interquartile ratio is then undefined).

    Returns
    -------
    DataFrame
        Indexed by the C (glossary key): ``C`` (name in the current language),
        ``indicator`` (glossary label), ``value``, ``unit`` and ``window`` (the
        period the value covers, in the current language).

    Example
    -------
    >>> table = ten_c_indicators(load_information_base())
    >>> len(table), bool(0 < table.loc["customer_retention", "value"] < 1)
    (10, True)
    """
    tables = _validate(tables)
    year = require_count(year, "year", low=1)
    customers, orders = tables["customers"], tables["orders"].copy()
    orders["margin"] = require_numeric(orders, "margin").to_numpy()
    orders["year"] = to_datetime_column(orders, "order_date").dt.year.to_numpy()
    survey = require_frame(tables["survey"], "table 'survey'")
    answers = {
        c: _survey_answers(survey, c)
        for c in ("overall_satisfaction", "exp_personalization", "perc_personalization")
    }
    if not (orders["year"] == year).any() or not (orders["year"] == year - 1).any():
        raise DataError(
            f"column 'order_date' of table 'orders' needs orders in {year - 1} and {year}; "
            f"it covers {orders['year'].min()}-{orders['year'].max()}"
        )
    buyers = orders["customer_id"].unique()

    complete = (
        customers[["age", "gender", "income_band"]].notna().all(axis=1) | customers["company_name"].notna()
    )
    profile = float((complete & customers["customer_id"].isin(buyers)).mean())

    knowledge = float(pd.Series(buyers).isin(tables["survey"]["customer_id"]).mean())

    margin = orders.groupby("customer_id")["margin"].sum()
    lower, upper = margin.quantile([0.25, 0.75])
    if lower <= 0:
        raise DataError(
            f"column 'margin' of table 'orders': the lower quartile of margin per buyer is "
            f"{lower:.2f}, so the interquartile ratio of the segmentation indicator is undefined"
        )
    segmentation = float(upper / lower)

    customization = float((answers["perc_personalization"] - answers["exp_personalization"]).mean())

    value = float(orders.loc[orders["year"] == year].groupby("customer_id")["margin"].sum().mean())

    satisfaction = float(answers["overall_satisfaction"].mean())

    lines = tables["order_lines"].merge(orders[["order_id", "customer_id"]], on="order_id")
    lines = lines.merge(tables["products"][["product_id", "category"]], on="product_id")
    if len(lines) == 0:
        raise DataError(
            "no row of table 'order_lines' belongs to an order of table 'orders': the customer "
            "development indicator needs the lines of the orders"
        )
    development = float((lines.groupby("customer_id")["category"].nunique() >= 2).mean())

    last, this = (set(orders.loc[orders["year"] == y, "customer_id"]) for y in (year - 1, year))
    retention = len(last & this) / len(last)

    first_year = orders.groupby("customer_id")["year"].min()
    acquisition = int((first_year == year).sum())

    profitability = float(value_concentration(orders, value_col="margin")["top_20_share"])

    first, last = int(orders["year"].min()), int(orders["year"].max())
    every_year = message("profile.window_years", first=first, last=last)
    one_year = message("profile.window_year", year=year)
    two_years = message("profile.window_pair", previous=year - 1, year=year)
    surveyed = _survey_months(tables["survey"])
    if surveyed is None:  # a survey without dates
        survey_window = message("profile.window_survey_undated")
        buyers_and_survey = message("profile.window_buyers_survey_undated", first=first, last=last)
    else:
        survey_window = message("profile.window_survey", months=surveyed)
        buyers_and_survey = message("profile.window_buyers_survey", first=first, last=last, months=surveyed)
    rows = [
        ("customer_profile", "ind_profile_complete", profile, "share", every_year),
        ("customer_knowledge", "ind_survey_coverage", knowledge, "share", buyers_and_survey),
        ("customer_segmentation", "ind_quartile_margin_ratio", segmentation, "ratio", every_year),
        ("customization", "ind_personalization_gap", customization, "points", survey_window),
        ("customer_value", "ind_margin_per_customer", value, "CNY", one_year),
        ("customer_satisfaction", "ind_mean_satisfaction", satisfaction, "1-7", survey_window),
        ("customer_development", "ind_multi_category", development, "share", every_year),
        ("customer_retention", "ind_repeat_next_year", retention, "share", two_years),
        ("customer_acquisition", "ind_new_customers", acquisition, "customers", one_year),
        ("customer_profitability", "ind_top20_margin_share", profitability, "share", every_year),
    ]
    columns = ["key", "indicator", "value", "unit", "window"]
    table = pd.DataFrame(rows, columns=columns).set_index("key")
    table.insert(0, "C", table.index.map(term))
    table["indicator"] = table["indicator"].map(term)
    table.index.name = None
    return table


def _survey_months(survey: pd.DataFrame) -> str | None:
    """The month(s) of the survey as ``2024-03``, ``2024-03/05`` (one year) or ``2023-11–2024-02``;
    None without dates."""
    if "survey_date" not in survey.columns:
        return None
    dates = pd.to_datetime(survey["survey_date"], errors="coerce").dropna()
    if dates.empty:
        return None
    low, high = dates.min(), dates.max()
    if (low.year, low.month) == (high.year, high.month):
        return f"{low:%Y-%m}"
    return f"{low:%Y-%m}/{high:%m}" if low.year == high.year else f"{low:%Y-%m}–{high:%Y-%m}"


def plot_ten_c_dashboard(
    indicators: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The 10C indicators as a dashboard of ten tiles (two rows of five) on one Axes.

    Shares are shown as percentages, the rest with their unit. The default
    title is the glossary's name of the dashboard.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`ten_c_indicators`: one row per C (at most ten) with
        ``C``, ``indicator``, ``value`` and ``unit``; a column ``window`` (the
        period each value covers), when present, is written at the foot of its
        tile, so that a reader sees which numbers cover one year and which all.

    Raises
    ------
    DataError
        ``indicators`` not a table, empty, with more than ten rows, without
        one of the four columns, with a missing name, label or unit, or with
        values that are missing or not numbers.
    """
    require_frame(indicators, "indicators")
    require_columns(indicators, ["C", "indicator", "value", "unit"], "indicators")
    if len(indicators) > 10:
        raise DataError(
            f"indicators has {len(indicators)} rows; the dashboard has ten tiles: pass the table of "
            "ten_c_indicators"
        )
    for column in ("C", "indicator", "unit"):
        require_no_missing(indicators, column, "value")
    values = require_numeric(indicators, "value").to_numpy()
    if ax is None:
        _, ax = new_figure(figsize=(12, 5))
    ax.axis("off")
    ax.set_xlim(0, 5)
    ax.set_ylim(0, 2)
    windows = indicators["window"] if "window" in indicators.columns else [None] * len(indicators)
    rows = zip(indicators["C"], indicators["indicator"], values, indicators["unit"], windows, strict=True)
    for number, (name, label, value, unit, window) in enumerate(rows):
        x, y = number % 5, 1 - number // 5  # tile's lower left corner, top row first
        ax.add_patch(
            FancyBboxPatch(
                (x + 0.04, y + 0.04),
                0.92,
                0.92,
                boxstyle="round,pad=0.02",
                facecolor="#F2F7FB",
                edgecolor=PALETTE[0],
                linewidth=1.2,
            )
        )
        centre = x + 0.5
        ax.text(
            centre,
            y + 0.78,
            wrap_label(str(name), 16),
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
            color=PALETTE[0],
        )
        ax.text(
            centre,
            y + 0.50,
            _shown(float(value), str(unit)),
            ha="center",
            va="center",
            fontsize=17,
            fontweight="bold",
        )
        ax.text(
            centre,
            y + 0.26,
            wrap_label(str(label), 24),
            ha="center",
            va="center",
            fontsize=8.5,
            color="0.3",
        )
        if isinstance(window, str) and window:
            ax.text(centre, y + 0.09, window, ha="center", va="center", fontsize=8, style="italic")
    return finish(ax, title if title else term("ten_c_dashboard"), source)


def _shown(value: float, unit: str) -> str:
    """An indicator's value as the dashboard shows it: shares in %, money and counts
    with thousands separators, points with a sign."""
    if unit == "share":
        return f"{100 * value:.1f}%"
    if unit in ("CNY", "customers"):
        return ("¥" if unit == "CNY" else "") + f"{value:,.0f}"
    if unit == "points":
        return f"{value:+.2f}"
    return f"{value:.2f}" + ("×" if unit == "ratio" else "")
