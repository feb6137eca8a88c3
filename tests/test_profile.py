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
        assert "顾客轮廓" in texts
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
