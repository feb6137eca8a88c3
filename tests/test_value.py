"""crmlib.value: CLV tables, retention CLV, break-even, concentration measures."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlib
from crmlib import DataError
from crmlib.value import (
    break_even_period,
    clv,
    clv_sensitivity,
    clv_table,
    cohort_margin_table,
    gini,
    lorenz_curve,
    retention_clv,
    retention_for_clv,
    top_share,
    value_concentration,
    value_per_customer,
)


@pytest.fixture()
def flows():
    return pd.DataFrame(
        {
            "period": [0, 1, 2, 3],
            "revenue": [100.0, 120.0, 130.0, 130.0],
            "cost": [70.0, 80.0, 80.0, 80.0],
            "acquisition_cost": [150.0, 0.0, 0.0, 0.0],
        }
    )


def test_clv_table_is_the_discounted_sum(flows):
    table = clv_table(flows, discount_rate=0.1)
    by_hand = (30 - 150) + 40 / 1.1 + 50 / 1.1**2 + 50 / 1.1**3
    assert table["cumulative"].iloc[-1] == pytest.approx(by_hand)
    assert clv(flows, discount_rate=0.1) == pytest.approx(by_hand)
    assert table["margin"].tolist() == [30.0, 40.0, 50.0, 50.0]
    # no discounting: the cumulative margin is a plain running sum
    assert clv_table(flows)["cumulative"].tolist() == [-120.0, -80.0, -30.0, 20.0]


def test_break_even_period(flows):
    assert break_even_period(clv_table(flows)) == 3
    assert break_even_period(clv_table(flows, discount_rate=0.5)) is None
    dip = pd.DataFrame({"period": [0, 1, 2, 3], "cumulative": [-10.0, 5.0, -1.0, 3.0]})
    assert break_even_period(dip) == 3  # must stay non-negative


def test_clv_table_rows_in_any_order(flows):
    shuffled = flows.iloc[[2, 0, 3, 1]]
    assert clv(shuffled, discount_rate=0.1) == pytest.approx(clv(flows, discount_rate=0.1))


@settings(max_examples=50, deadline=None)
@given(m=st.floats(1, 1000), r=st.floats(0, 0.98), i=st.floats(0, 0.5))
def test_retention_clv_finite_sum_converges_to_closed_form(m, r, i):
    closed = retention_clv(m, r, i)
    assert closed == pytest.approx(m * (1 + i) / (1 + i - r))
    series = sum(m * (r / (1 + i)) ** t for t in range(3000))
    assert retention_clv(m, r, i, periods=2999) == pytest.approx(series, rel=1e-9)
    assert series == pytest.approx(closed, rel=1e-6)


def test_retention_clv_is_monotone():
    values = [retention_clv(100, r, 0.1) for r in np.linspace(0, 0.95, 20)]
    assert np.all(np.diff(values) > 0)
    values = [retention_clv(100, 0.8, i) for i in np.linspace(0, 0.3, 20)]
    assert np.all(np.diff(values) < 0)
    grid = clv_sensitivity(100, [0.5, 0.8], [0.05, 0.1])
    assert grid.loc[0.8, 0.05] == pytest.approx(retention_clv(100, 0.8, 0.05))


def test_retention_for_clv_inverts_retention_clv():
    for r in (0.0, 0.3, 0.6, 0.9):
        assert retention_for_clv(retention_clv(50, r, 0.12), 50, 0.12) == pytest.approx(r, abs=1e-12)
    with pytest.raises(DataError, match="no retention rate below 1"):
        retention_for_clv(2000, 100, 0.1)


def test_gini_and_top_share_by_hand():
    assert gini([5, 5, 5, 5]) == 0.0
    assert gini([0, 0, 0, 0, 1]) == pytest.approx(0.8)
    assert top_share([5, 5, 5, 5, 5], 0.2) == pytest.approx(0.2)
    assert top_share([40, 30, 10, 10, 10], 0.2) == pytest.approx(0.4)
    assert top_share([40, 30, 10, 10, 10], 0.3) == pytest.approx(0.55)  # half of the second customer
    curve = lorenz_curve([1, 2, 3])
    assert curve["value_share"].tolist() == pytest.approx([0, 0.5, 5 / 6, 1])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=2, max_size=200).filter(lambda v: sum(v) > 0))
def test_concentration_bounds(values):
    g = gini(values)
    assert -1e-12 <= g <= 1
    share = top_share(values, 0.2)
    assert 0.2 - 1e-9 <= share <= 1 + 1e-12  # the top 20% hold at least 20%
    curve = lorenz_curve(values)
    assert np.all(np.diff(curve["value_share"]) >= -1e-12)


def test_value_concentration_of_cdnow():
    cdnow = crmlib.load_cdnow()
    result = value_concentration(cdnow, value_col="amount")
    per_customer = cdnow.groupby("customer_id")["amount"].sum()
    assert result["customers"] == 2357
    assert result["total"] == pytest.approx(per_customer.sum())
    top = per_customer.sort_values(ascending=False)
    k = 0.2 * len(top)
    share = (top.iloc[: int(k)].sum() + (k - int(k)) * top.iloc[int(k)]) / top.sum()
    assert result["top_20_share"] == pytest.approx(share)


def test_value_per_customer_sums_rows_and_counts_a_negative_total_as_zero():
    orders = pd.DataFrame(
        {"customer_id": ["b", "a", "b", "c", "c"], "margin": [20.0, 30.0, 10.0, 5.0, -25.0], "x": 1}
    )
    before = orders.copy()
    values = value_per_customer(orders, value_col="margin")
    assert values.to_dict() == {"a": 30.0, "b": 30.0, "c": 0.0}
    assert values.name == "margin" and values.index.name == "customer_id"
    pd.testing.assert_frame_equal(orders, before)  # the input is not changed
    # the values value_concentration measures: the same top share and Gini
    summary = value_concentration(orders, value_col="margin")
    assert summary["top_20_share"] == pytest.approx(top_share(values))
    assert summary["gini"] == pytest.approx(gini(values))
    with pytest.raises(DataError, match="data has no column 'amount'"):
        value_per_customer(orders)
    with pytest.raises(DataError, match="column 'x'"):
        value_per_customer(orders.assign(x="many"), value_col="x")


def test_value_per_customer_of_cdnow_is_the_spend_per_customer():
    cdnow = crmlib.load_cdnow()
    values = value_per_customer(cdnow)
    assert len(values) == 2357
    pd.testing.assert_series_equal(values, cdnow.groupby("customer_id")["amount"].sum())


def test_cohort_margin_table():
    customers = pd.DataFrame(
        {"customer_id": ["a", "b"], "signup_date": pd.to_datetime(["2022-01-05", "2022-02-01"])}
    )
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c"],
            "order_date": pd.to_datetime(["2022-01-10", "2022-05-01", "2022-03-03", "2022-01-01"]),
            "revenue": [100.0, 50.0, 30.0, 999.0],
            "cost": [60.0, 20.0, 10.0, 1.0],
        }
    )
    table = cohort_margin_table(customers, orders, "2022-01-01", "2022-03-31", periods=3)
    assert table["revenue"].tolist() == [65.0, 25.0, 0.0]
    assert table["cost"].tolist() == [35.0, 10.0, 0.0]
    assert table["active_share"].tolist() == [1.0, 0.5, 0.0]


def test_errors_name_the_problem(flows):
    with pytest.raises(DataError, match="cashflows has no column 'margin'"):
        clv_table(flows, revenue_col="margin")
    with pytest.raises(DataError, match="column 'period' repeats periods"):
        clv_table(flows.assign(period=[0, 1, 1, 2]))
    with pytest.raises(DataError, match="column 'period' has 1 negative values"):
        clv_table(flows.assign(period=[-1, 1, 2, 3]))
    with pytest.raises(DataError, match=r"10% is 0.10"):
        clv_table(flows, discount_rate=10)
    with pytest.raises(DataError, match=r"retention must be at least 0\.0 and at most 1\.0"):
        retention_clv(100, 1.2, 0.1)
    with pytest.raises(DataError, match="column 'value' has 1 negative values"):
        gini([1.0, -2.0, 3.0])
    with pytest.raises(DataError, match="sums to 0"):
        top_share([0.0, 0.0])
    with pytest.raises(DataError, match="no customer in column 'signup_date'"):
        cohort_margin_table(
            pd.DataFrame({"customer_id": ["a"], "signup_date": ["2020-01-01"]}),
            pd.DataFrame(
                {"customer_id": ["a"], "order_date": ["2020-01-02"], "revenue": [1.0], "cost": [0.5]}
            ),
            "2022-01-01",
            "2022-03-31",
            periods=2,
        )


def test_retention_clv_widget_updates_when_a_slider_moves():
    from crmlib.value import retention_clv_widget

    box = retention_clv_widget(margin=100, retention=0.8, discount_rate=0.1)
    assert "366.7" in box.clv_text.value
    box.sliders["retention"].value = 0.5
    assert f"{retention_clv(100, 0.5, 0.1):,.1f}" in box.clv_text.value
