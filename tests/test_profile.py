"""crmlib.profile: the 360-degree profile and the 10C indicators, checked against
independent pandas computations on the demo company and on a tiny hand-made base."""

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import crmlib
from crmlib import profile as pf


@pytest.fixture(scope="module")
def tables():
    return pf.load_information_base()


def tiny():
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "signup_date": pd.to_datetime(["2023-01-01"] * 4),
            "signup_channel": "search",
            "customer_type": ["B2C", "B2C", "B2C", "B2B"],
            "company_name": [None, None, None, "Acme"],
            "age": [30, None, 40, None],
            "gender": ["F", None, "M", None],
            "income_band": ["5k-10k", None, "<5k", None],
            "region": "East China",
            "city_tier": 1,
        }
    )
    orders = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5"],
            "customer_id": ["a", "a", "b", "c", "d"],
            "order_date": pd.to_datetime(
                ["2023-03-01", "2024-02-01", "2023-05-01", "2024-06-01", "2024-07-01"]
            ),
            "channel": ["web", "web", "app", "store", "sales_rep"],
            "campaign": [None, "x", None, None, None],
            "revenue": [100.0, 200, 50, 80, 1000],
            "margin": [10.0, 30, 5, 8, 200],
        }
    )
    lines = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5"],
            "product_id": ["p1", "p2", "p1", "p1", "p2"],
            "quantity": 1,
            "revenue": [100.0, 200, 50, 80, 1000],
        }
    )
    products = pd.DataFrame({"product_id": ["p1", "p2"], "category": ["Coffee", "Snacks"]})
    web = pd.DataFrame(
        {
            "session_id": ["s1", "s1", "s2"],
            "customer_id": ["a", "a", None],
            "timestamp": pd.to_datetime(["2024-01-01"] * 3),
            "event": ["visit", "purchase", "visit"],
        }
    )
    survey = pd.DataFrame(
        {
            "customer_id": ["a", "c"],
            "overall_satisfaction": [6, 4],
            "recommend": [9, 5],
            "exp_personalization": [5, 6],
            "perc_personalization": [4, 6],
        }
    )
    tickets = pd.DataFrame(
        {
            "ticket_id": ["t1"],
            "customer_id": ["a"],
            "opened_at": pd.to_datetime(["2024-02-03"]),
            "category": ["delivery_delay"],
            "resolution": ["unresolved"],
        }
    )
    opps = pd.DataFrame(
        {"opportunity_id": ["op1"], "customer_id": ["d"], "stage": ["proposal"], "expected_value": [5000.0]}
    )
    return {
        "customers": customers,
        "orders": orders,
        "order_lines": lines,
        "products": products,
        "web_events": web,
        "survey": survey,
        "tickets": tickets,
        "opportunities": opps,
    }


def test_ten_c_indicators_on_a_hand_made_base():
    ind = pf.ten_c_indicators(tiny(), year=2024)["value"]
    assert ind["customer_profile"] == pytest.approx(3 / 4)  # a, c complete; d company; b incomplete
    assert ind["customer_knowledge"] == pytest.approx(2 / 4)  # a and c of 4 buyers answered
    # margin per buyer sorted: 5, 8, 40, 200; linear quartiles at positions 0.75 and 2.25
    assert ind["customer_segmentation"] == pytest.approx((40 + 0.25 * 160) / (5 + 0.75 * 3))
    assert ind["customization"] == pytest.approx(((4 - 5) + (6 - 6)) / 2)
    assert ind["customer_value"] == pytest.approx((30 + 8 + 200) / 3)
    assert ind["customer_satisfaction"] == pytest.approx(5)
    assert ind["customer_development"] == pytest.approx(1 / 4)  # only a bought two categories
    assert ind["customer_retention"] == pytest.approx(1 / 2)  # 2023 buyers a, b; a came back
    assert ind["customer_acquisition"] == 2  # c and d first ordered in 2024
    # the top 20% of 4 buyers is 0.8 of the best one (a fractional customer counts in part)
    assert ind["customer_profitability"] == pytest.approx(0.8 * 200 / 253)


def test_each_indicator_says_its_time_window(tables):
    """A one-year number and an all-years one sit side by side on the dashboard: each row says
    which period it covers (orders of the demo company run 2022-2024, the survey is of spring 2024)."""
    window = pf.ten_c_indicators(tables, year=2024)["window"]
    assert window["customer_value"] == window["customer_acquisition"] == "orders of 2024"
    assert window["customer_retention"] == "buyers of 2023 → 2024"
    every = ["customer_profile", "customer_segmentation", "customer_development", "customer_profitability"]
    assert set(window[every]) == {"orders 2022–2024"}
    months = pd.to_datetime(tables["survey"]["survey_date"])
    assert (months.min().year, months.max().year) == (2024, 2024)
    span = f"{months.min():%Y-%m}/{months.max():%m}"
    assert window["customer_satisfaction"] == window["customization"] == f"survey {span}"
    assert window["customer_knowledge"] == f"buyers 2022–2024; survey {span}"
    assert pf.ten_c_indicators(tables, year=2023)["window"]["customer_retention"] == "buyers of 2022 → 2023"
    undated = pf.ten_c_indicators(tiny(), year=2024)["window"]
    assert undated["customer_satisfaction"] == "the survey (undated)"
    crmlib.set_language("zh")
    try:
        assert pf.ten_c_indicators(tables)["window"]["customer_value"] == "2024年的订单"
    finally:
        crmlib.set_language("en")


def test_dashboard_writes_each_window_on_its_tile(tables):
    indicators = pf.ten_c_indicators(tables)
    try:
        ax = pf.plot_ten_c_dashboard(indicators)
        texts = [t.get_text() for t in ax.texts]
        for window in set(indicators["window"]):
            assert texts.count(window) == (indicators["window"] == window).sum()
        ax = pf.plot_ten_c_dashboard(indicators.drop(columns="window"))  # a table without windows
        assert not set(indicators["window"]) & {t.get_text() for t in ax.texts}
    finally:
        matplotlib.pyplot.close("all")


def test_segmentation_indicator_ignores_the_extremes(tables):
    """The interquartile ratio does not move when the largest account grows a hundredfold
    and the ten smallest shrink to almost nothing: the reason it replaced a top ÷ bottom
    quarter ratio of means."""
    before = pf.ten_c_indicators(tables)["value"]["customer_segmentation"]
    orders = tables["orders"].copy()
    per_buyer = orders.groupby("customer_id")["margin"].sum().sort_values()
    orders.loc[orders["customer_id"] == per_buyer.index[-1], "margin"] *= 100
    orders.loc[orders["customer_id"].isin(per_buyer.index[:10]), "margin"] = 0.001
    after = pf.ten_c_indicators({**tables, "orders": orders})["value"]["customer_segmentation"]
    assert after == pytest.approx(before, rel=1e-3)


def test_profitability_agrees_with_chapter_04(tables):
    """The dashboard's top-20% margin share is chapter 04's measure (crmlib.value)."""
    margin = tables["orders"].groupby("customer_id")["margin"].sum().clip(lower=0)
    shared = pf.ten_c_indicators(tables).loc["customer_profitability", "value"]
    assert shared == pytest.approx(crmlib.value.top_share(margin, 0.2))
    # and it is close to the share of the best round(0.2 n) buyers counted whole
    best = margin.sort_values(ascending=False).iloc[: round(0.2 * len(margin))].sum() / margin.sum()
    assert shared == pytest.approx(best, abs=1e-3)


def test_profile_of_a_hand_made_customer():
    p = pf.customer_profile(tiny(), "a", observation_end="2024-12-31")
    assert p.purchases["orders"] == 2 and p.purchases["margin_cny"] == 40
    assert (
        p.purchases["days_since_last_order"] == (pd.Timestamp("2024-12-31") - pd.Timestamp("2024-02-01")).days
    )
    assert p.purchases["share_of_orders_from_campaigns"] == 0.5
    assert p.categories["category"].tolist() == ["Snacks", "Coffee"]
    assert p.web["sessions"] == 1 and p.web["sessions_with_purchase"] == 1
    assert p.voice["overall_satisfaction"] == 6
    summary = p.summary()
    assert summary.loc[(crmlib.term("profile_service"), "unresolved"), "value"] == 1


def test_demo_profile_agrees_with_the_raw_tables(tables):
    orders = tables["orders"]
    busiest = orders["customer_id"].value_counts().index[0]
    p = pf.customer_profile(tables, busiest)
    mine = orders[orders["customer_id"] == busiest]
    assert p.purchases["orders"] == len(mine)
    assert p.purchases["revenue_cny"] == pytest.approx(mine["revenue"].sum())
    assert p.categories["revenue_cny"].sum() == pytest.approx(
        tables["order_lines"].merge(mine[["order_id"]])["revenue"].sum()
    )
    assert len(p.service) == (tables["tickets"]["customer_id"] == busiest).sum()


def test_demo_indicators_are_in_range(tables):
    ind = pf.ten_c_indicators(tables)
    shares = ind[ind["unit"] == "share"]["value"]
    assert ((shares > 0) & (shares < 1)).all()
    assert 1 <= ind.loc["customer_satisfaction", "value"] <= 7
    # the demo company's truth: about 15 % of accounts never ordered (datasets/demo/README.md)
    assert ind.loc["customer_profile", "value"] < 0.9


def test_errors_name_the_table_and_the_problem():
    with pytest.raises(crmlib.DataError, match=r"tables has no table 'survey'"):
        bad = tiny()
        del bad["survey"]
        pf.ten_c_indicators(bad)
    with pytest.raises(crmlib.DataError, match=r"table 'orders' has no column 'margin'"):
        bad = tiny()
        bad["orders"] = bad["orders"].drop(columns="margin")
        pf.customer_profile(bad, "a")
    with pytest.raises(crmlib.DataError, match=r"table 'customers' has no customer 'zz'"):
        pf.customer_profile(tiny(), "zz")
    with pytest.raises(
        crmlib.DataError, match=r"column 'customer_id' of table 'tickets' has 1 ids that are not"
    ):
        bad = tiny()
        bad["tickets"].loc[0, "customer_id"] = "ghost"
        pf.ten_c_indicators(bad)
    with pytest.raises(crmlib.DataError, match=r"needs orders in 2029 and 2030"):
        pf.ten_c_indicators(tiny(), year=2030)
    with pytest.raises(crmlib.DataError, match=r"column 'margin' of table 'orders': the lower quartile"):
        bad = tiny()
        bad["orders"]["margin"] = [0.0, 0.0, 0.0, 0.0, 200.0]
        pf.ten_c_indicators(bad)
    with pytest.raises(crmlib.DataError, match=r"column 'margin'"):
        bad = tiny()
        bad["orders"]["margin"] = ["10", "x", "5", "8", "200"]
        pf.ten_c_indicators(bad)


def test_dashboard_switches_language(tables):
    crmlib.set_language("zh")
    try:
        ax = pf.plot_ten_c_dashboard(pf.ten_c_indicators(tables))
        texts = {t.get_text() for t in ax.texts}
        assert "客户画像" in texts
        assert ax.get_title() == crmlib.term("ten_c_dashboard", "zh")
    finally:
        crmlib.set_language("en")
        matplotlib.pyplot.close("all")


def test_customers_in_every_source_on_a_hand_made_base():
    """Only customer a has orders, web events, a survey answer and a ticket."""
    found = pf.customers_in_every_source(tiny())
    assert found.index.tolist() == ["a"] and found.index.name == "customer_id"
    assert found["orders"].tolist() == [2]
    assert pf.customers_in_every_source(tiny(), customer_type="B2B").empty


def test_customers_in_every_source_agrees_with_the_raw_tables(tables):
    orders, customers = tables["orders"], tables["customers"]
    ids = orders["customer_id"]
    b2c = customers.loc[customers["customer_type"] == "B2C", "customer_id"]
    keep = ids.isin(b2c)
    for name in ("web_events", "survey", "tickets"):
        keep &= ids.isin(tables[name]["customer_id"])
    expected = ids[keep].value_counts()
    found = pf.customers_in_every_source(tables, customer_type="B2C")
    assert found.index.tolist() == expected.index.tolist()
    assert found["orders"].tolist() == expected.tolist()
    assert found["orders"].is_monotonic_decreasing
    assert found.index[0] == "C00526"  # the customer of chapter 02's profile


def test_customers_in_every_source_rejects_an_unknown_type():
    with pytest.raises(
        crmlib.DataError, match=r"column 'customer_type' of table 'customers' has no type 'B2X'"
    ):
        pf.customers_in_every_source(tiny(), customer_type="B2X")


# ---------------------------------------------------------------------------- bad input (issue 10)
def test_dashboard_refuses_a_missing_name_instead_of_a_type_error():
    indicators = pf.ten_c_indicators(tiny())
    broken = indicators.assign(C=indicators["C"].where(indicators.index != "customization"))
    with pytest.raises(crmlib.DataError, match=r"column 'C' has 1 missing values \(row customization\)"):
        pf.plot_ten_c_dashboard(broken)
    with pytest.raises(crmlib.DataError, match=r"column 'value' has 1 values that are not numbers"):
        pf.plot_ten_c_dashboard(indicators.assign(value=["x", *indicators["value"].iloc[1:]]))
    with pytest.raises(crmlib.DataError, match=r"indicators has 11 rows; the dashboard has ten tiles"):
        pf.plot_ten_c_dashboard(pd.concat([indicators, indicators.head(1)]))
    with pytest.raises(crmlib.DataError, match=r"indicators must be a pandas DataFrame, got list"):
        pf.plot_ten_c_dashboard(indicators.to_dict("records"))


def test_profile_of_an_unknown_customer_or_from_an_incomplete_base():
    with pytest.raises(crmlib.DataError, match=r"has no customer 'zz': pick an id of that column"):
        pf.customer_profile(tiny(), "zz")
    with pytest.raises(crmlib.DataError, match=r"has no customer 3"):
        pf.customer_profile(tiny(), 3)
    bad = tiny()
    del bad["order_lines"]
    with pytest.raises(crmlib.DataError, match=r"tables has no table 'order_lines'; it has 'customers'"):
        pf.customer_profile(bad, "a")
    with pytest.raises(
        crmlib.DataError, match=r"tables must be a dict of DataFrames by table name, got list"
    ):
        pf.customer_profile(list(tiny().values()), "a")
    bad = tiny()
    bad["survey"] = "survey.csv"
    with pytest.raises(crmlib.DataError, match=r"table 'survey' must be a pandas DataFrame, got str"):
        pf.customers_in_every_source(bad)


def test_profile_reads_observation_end_with_the_one_date_reader():
    with pytest.raises(
        crmlib.DataError, match=r"observation_end must be a date such as '2024-12-31', got 'soon'"
    ):
        pf.customer_profile(tiny(), "a", observation_end="soon")
    with pytest.raises(crmlib.DataError, match=r"got the number 20241231"):
        pf.customer_profile(tiny(), "a", observation_end=20241231)
    # an end before the customer's last order would give a negative recency
    with pytest.raises(
        crmlib.DataError,
        match=r"observation_end 2024-01-01 falls before the customer's last order on 2024-02-01",
    ):
        pf.customer_profile(tiny(), "a", observation_end="2024-01-01")


def test_ids_that_do_not_tie_the_tables_together_are_refused():
    """A customer listed twice used to be counted twice in the profile indicator and shown from its first
    row; an order line of an unknown product used to vanish from the categories."""
    bad = tiny()
    bad["customers"] = pd.concat([bad["customers"], bad["customers"].iloc[[0]]], ignore_index=True)
    with pytest.raises(
        crmlib.DataError,
        match=r"column 'customer_id' of table 'customers' lists 1 ids more than once \(row 4\)",
    ):
        pf.ten_c_indicators(bad)
    bad = tiny()
    bad["order_lines"].loc[0, "product_id"] = "p9"
    with pytest.raises(
        crmlib.DataError,
        match=r"column 'product_id' of table 'order_lines' has 1 ids that are not in table 'products'",
    ):
        pf.customer_profile(bad, "a")
    bad = tiny()
    bad["orders"].loc[0, "customer_id"] = None
    with pytest.raises(crmlib.DataError, match=r"column 'customer_id' has 1 missing customer ids \(row 0\)"):
        pf.ten_c_indicators(bad)


def test_survey_answers_and_year_of_the_indicators_are_checked():
    bad = tiny()
    bad["survey"].loc[0, "overall_satisfaction"] = 9
    with pytest.raises(
        crmlib.DataError, match=r"column 'overall_satisfaction' of table 'survey' must be at most 7"
    ):
        pf.ten_c_indicators(bad)
    bad = tiny()
    bad["survey"]["perc_personalization"] = ["4", "six"]
    with pytest.raises(
        crmlib.DataError, match=r"column 'perc_personalization' has 1 values that are not numbers"
    ):
        pf.ten_c_indicators(bad)
    bad = tiny()
    bad["survey"] = bad["survey"].iloc[0:0]
    with pytest.raises(crmlib.DataError, match=r"table 'survey' is empty"):
        pf.ten_c_indicators(bad)
    with pytest.raises(crmlib.DataError, match=r"year must be a whole number, got a text '2024'"):
        pf.ten_c_indicators(tiny(), year="2024")
    bad = tiny()
    bad["orders"]["revenue"] = ["100", "200 yuan", "50", "80", "1000"]
    with pytest.raises(crmlib.DataError, match=r"column 'revenue' has 1 values that are not numbers"):
        pf.customer_profile(bad, "a")
