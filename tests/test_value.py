"""crmlib.value: CLV tables, retention CLV, break-even, concentration measures."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlib
from crmlib import DataError, value
from crmlib.models import ModelFitError
from crmlib.value import (
    MAX_PERIODS,
    break_even_period,
    clv,
    clv_sensitivity,
    clv_table,
    cohort_margin_table,
    gini,
    lorenz_curve,
    plot_clv_table,
    plot_lorenz,
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
    with pytest.raises(
        DataError, match="column 'period' repeats 1 values \\(1; row 2\\): one row per period"
    ):
        clv_table(flows.assign(period=[0, 1, 1, 2]))
    with pytest.raises(DataError, match="column 'period' has 1 negative values"):
        clv_table(flows.assign(period=[-1, 1, 2, 3]))
    with pytest.raises(DataError, match=r"10% is 0.10"):
        clv_table(flows, discount_rate=10)
    with pytest.raises(DataError, match=r"retention must be at most 1, got 1.2 \(give rates as fractions"):
        retention_clv(100, 1.2, 0.1)
    with pytest.raises(
        DataError, match=r"column 'values' has 1 negative values \(row 1\): .*net out returns"
    ):
        gini([1.0, -2.0, 3.0])
    with pytest.raises(DataError, match="the values add up to 0: there is no value to share"):
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


# --- issue 10: bad input is refused with a sentence, never a wrong answer ------------


@pytest.fixture()
def cohort_tables():
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "signup_date": pd.to_datetime(["2022-01-05", "2022-02-01", "2022-03-20"]),
        }
    )
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "z"],
            "order_date": pd.to_datetime(
                ["2022-01-10", "2022-05-01", "2022-03-03", "2022-08-15", "2022-01-01"]
            ),
            "revenue": [100.0, 50.0, 30.0, 60.0, 999.0],
            "cost": [60.0, 20.0, 10.0, 30.0, 1.0],
        }
    )
    return customers, orders


def cohort(customers, orders, **options):
    return cohort_margin_table(customers, orders, "2022-01-01", "2022-03-31", **{"periods": 3, **options})


def test_cohort_margin_table_by_hand(cohort_tables):
    table = cohort(*cohort_tables)
    # a and b buy in their signup quarter; a again one quarter later, c two quarters later;
    # z is not in the cohort
    assert table["revenue"].tolist() == pytest.approx([130 / 3, 50 / 3, 60 / 3])
    assert table["cost"].tolist() == pytest.approx([70 / 3, 20 / 3, 30 / 3])
    assert table["active_share"].tolist() == pytest.approx([2 / 3, 1 / 3, 1 / 3])


def test_cohort_margin_table_refuses_dates_stored_as_numbers(cohort_tables):
    """Before: YYYYMMDD integers were read as nanoseconds of 1970 and gave an all-zero table."""
    customers, orders = cohort_tables
    as_numbers = customers.assign(signup_date=customers["signup_date"].dt.strftime("%Y%m%d").astype(int))
    with pytest.raises(DataError, match=r"column 'signup_date' holds numbers, not dates: convert it first"):
        cohort(as_numbers, orders)
    numbered_orders = orders.assign(order_date=orders["order_date"].dt.strftime("%Y%m%d").astype(int))
    with pytest.raises(DataError, match=r"column 'order_date' holds numbers, not dates"):
        cohort(customers, numbered_orders)
    # the conversion the message suggests gives the right table, not zeros
    converted = as_numbers.assign(
        signup_date=pd.to_datetime(as_numbers["signup_date"].astype(str), format="%Y%m%d")
    )
    pd.testing.assert_frame_equal(cohort(converted, orders), cohort(*cohort_tables))
    assert cohort(converted, orders)["revenue"].sum() > 0


def test_cohort_margin_table_refuses_missing_revenue_instead_of_counting_it_as_zero(cohort_tables):
    customers, orders = cohort_tables
    with pytest.raises(DataError, match=r"column 'revenue' has 1 missing values \(row 1\): drop or fill"):
        cohort(customers, orders.assign(revenue=[100.0, np.nan, 30.0, 60.0, 999.0]))
    with pytest.raises(DataError, match=r"column 'cost' has 1 values that are not numbers \(e.g. 'ten'"):
        cohort(customers, orders.astype({"cost": object}).assign(cost=[60.0, 20.0, "ten", 30.0, 1.0]))


def test_cohort_margin_table_refuses_a_customer_without_signup_date(cohort_tables):
    """Before: the customer silently left the cohort, and the per-customer averages grew."""
    customers, orders = cohort_tables
    undated = customers.assign(signup_date=[pd.Timestamp("2022-01-05"), pd.NaT, pd.Timestamp("2022-03-20")])
    with pytest.raises(DataError, match=r"column 'signup_date' has 1 missing signup dates \(row 1\)"):
        cohort(undated, orders)


def test_cohort_margin_table_refuses_negative_revenue_and_cost(cohort_tables):
    customers, orders = cohort_tables
    with pytest.raises(DataError, match=r"column 'revenue' has 1 negative values \(row 2\): .*net returns"):
        cohort(customers, orders.assign(revenue=[100.0, 50.0, -30.0, 60.0, 999.0]))
    with pytest.raises(DataError, match=r"column 'cost' has 1 negative values \(row 0\)"):
        cohort(customers, orders.assign(cost=[-60.0, 20.0, 10.0, 30.0, 1.0]))


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (0, "periods must be at least 1, got 0"),
        (-1, "periods must be at least 1, got -1"),
        (2.5, "periods must be a whole number, got 2.5"),
        ("3", "periods must be a whole number, got a text '3'"),
        (10**9, "periods must be at most 10,000, got 1,000,000,000"),
    ],
)
def test_cohort_margin_table_periods_is_a_whole_number_from_1_to_the_cap(cohort_tables, periods, message):
    with pytest.raises(DataError, match=message):
        cohort(*cohort_tables, periods=periods)
    assert MAX_PERIODS == 10_000
    assert len(cohort(*cohort_tables, periods=3.0)) == 3  # a whole float is a whole number


def test_cohort_margin_table_other_arguments(cohort_tables):
    customers, orders = cohort_tables
    with pytest.raises(DataError, match=r"period must be one of 'Q', 'M'; got 'Y'"):
        cohort(customers, orders, period="Y")
    with pytest.raises(
        DataError, match=r"cohort_end \(2022-01-01\) comes before cohort_start \(2022-03-31\)"
    ):
        cohort_margin_table(customers, orders, "2022-03-31", "2022-01-01", periods=3)
    with pytest.raises(
        DataError, match=r"column 'customer_id' repeats 1 values \('a'; row 3\): one row per customer"
    ):
        cohort(pd.concat([customers, customers.iloc[[0]]], ignore_index=True), orders)
    with pytest.raises(DataError, match=r"column 'customer_id' has 1 missing customer ids \(row 4\)"):
        cohort(customers, orders.assign(customer_id=["a", "a", "b", "c", None]))


def test_cohort_margin_table_index_does_not_matter(cohort_tables):
    """Before: a repeated index of customers raised a raw length mismatch."""
    customers, orders = cohort_tables
    expected = cohort(customers, orders)
    pd.testing.assert_frame_equal(cohort(customers.set_axis([7, 7, 7]), orders.set_axis([0] * 5)), expected)
    pd.testing.assert_frame_equal(cohort(customers.set_axis(["x", "y", "z"]), orders), expected)


def test_cohort_margin_table_counts_a_signup_on_the_last_day_at_any_time(cohort_tables):
    customers, orders = cohort_tables
    late = customers.assign(
        signup_date=customers["signup_date"].where([True, True, False], "2022-03-31 18:30")
    )
    assert cohort(late, orders)["active_share"].iloc[0] == pytest.approx(2 / 3)  # c is in the cohort


def test_cohort_margin_table_warns_about_orders_it_leaves_out(cohort_tables):
    customers, orders = cohort_tables
    early = orders.copy()
    early.loc[1, "order_date"] = pd.Timestamp("2021-06-01")
    with pytest.warns(
        UserWarning, match=r"orders has 1 orders of cohort customers before their signup quarter \(row 1\)"
    ):
        table = cohort(customers, early)
    assert table["revenue"].tolist() == pytest.approx([130 / 3, 0.0, 60 / 3])
    strangers = orders.assign(customer_id=["x1", "x2", "x3", "x4", "x5"])
    with pytest.warns(UserWarning, match=r"no order in orders belongs to the 3 cohort customers"):
        assert cohort(customers, strangers)["revenue"].sum() == 0


def test_break_even_period_sorts_by_period_and_refuses_missing_periods():
    """Before: a NaN period sorted last and changed the answer."""
    table = pd.DataFrame({"period": [0, 1, 2, 3], "cumulative": [-100.0, -30.0, 20.0, 60.0]})
    assert break_even_period(table) == 2
    with pytest.raises(DataError, match=r"column 'period' has 1 missing values \(row 1\)"):
        break_even_period(table.assign(period=[0, np.nan, 2, 3]))
    # rows in any order, and periods given as text, give the same answer (sorted as numbers)
    assert break_even_period(table.iloc[[3, 1, 0, 2]]) == 2
    as_text = pd.DataFrame({"period": ["10", "2", "1", "0"], "cumulative": [5.0, 1.0, -3.0, -9.0]})
    assert break_even_period(as_text) == 2
    with pytest.raises(DataError, match=r"column 'period' repeats 1 values \(1; row"):
        break_even_period(table.assign(period=[0, 1, 1, 3]))
    with pytest.raises(DataError, match=r"column 'period' has 1 values that are not numbers"):
        break_even_period(table.assign(period=["0", "one", "2", "3"]))


def test_retention_clv_periods_must_be_a_whole_number():
    """Before: periods=2.7 was truncated to 2."""
    with pytest.raises(DataError, match=r"periods must be a whole number, got 2\.7"):
        retention_clv(100, 0.8, 0.1, periods=2.7)
    with pytest.raises(DataError, match="periods must be at least 0, got -1"):
        retention_clv(100, 0.8, 0.1, periods=-1)
    with pytest.raises(DataError, match="periods must be a whole number, got nan"):
        retention_clv(100, 0.8, 0.1, periods=np.nan)
    assert retention_clv(100, 0.8, 0.1, periods=2.0) == retention_clv(100, 0.8, 0.1, periods=2)
    with pytest.raises(DataError, match="margin must be a finite number, got nan"):
        retention_clv(np.nan, 0.8, 0.1)
    with pytest.raises(DataError, match="retention 1 with discount_rate 0 has no infinite-horizon CLV"):
        retention_clv(100, 1.0, 0.0)
    assert retention_clv(100, 1.0, 0.0, periods=4) == pytest.approx(500.0)


def test_value_concentration_refuses_rows_without_a_customer_id():
    """Before: rows with a missing id were dropped by the groupby without a word."""
    orders = pd.DataFrame({"customer_id": ["a", None, "b", "c"], "margin": [10.0, 500.0, 20.0, 30.0]})
    with pytest.raises(DataError, match=r"column 'customer_id' has 1 missing customer ids \(row 1\)"):
        value_concentration(orders, value_col="margin")
    with pytest.raises(DataError, match=r"column 'customer_id' has 1 missing customer ids \(row 1\)"):
        value_per_customer(orders, value_col="margin")
    filled = orders.fillna({"customer_id": "d"})
    assert value_per_customer(filled, value_col="margin").sum() == 560.0
    assert value_concentration(filled, value_col="margin")["top_20_share"] == pytest.approx(
        top_share([10.0, 500.0, 20.0, 30.0])
    )
    with pytest.raises(DataError, match=r"the per-customer totals of column 'margin' add up to 0"):
        value_concentration(orders.fillna({"customer_id": "d"}).assign(margin=-1.0), value_col="margin")


def test_rates_share_one_wording():
    """The private _rate helper is gone: every rate is read by require_number(..., rate=True)."""
    assert not hasattr(value, "_rate")
    advice = r"\(give rates as fractions: 10% is 0.10\)"
    with pytest.raises(DataError, match=rf"discount_rate must be at most 1, got 10 {advice}"):
        clv_table(
            pd.DataFrame({"period": [0], "revenue": [1.0], "cost": [0.0]}),
            acquisition_col=None,
            discount_rate=10,
        )
    with pytest.raises(DataError, match=rf"retention must be at most 1, got 80 {advice}"):
        retention_clv(100, 80, 0.1)
    with pytest.raises(DataError, match=rf"discount_rate must be at most 1, got 12 {advice}"):
        retention_for_clv(500, 100, 12)
    with pytest.raises(DataError, match=rf"top must be at most 1, got 20 {advice}"):
        top_share([1.0, 2.0], top=20)
    with pytest.raises(DataError, match=rf"retention_rates must be at most 1, got 80.0 {advice}"):
        clv_sensitivity(100, [0.5, 80], [0.1])
    with pytest.raises(DataError, match="discount_rate must be a number, got a text '10%'"):
        retention_clv(100, 0.8, "10%")


def test_retention_for_clv_and_clv_sensitivity_refuse_non_numbers():
    with pytest.raises(DataError, match=r"margin must be a number, got a text '0\.5'"):
        retention_for_clv(400, "0.5", 0.1)
    with pytest.raises(DataError, match="target_clv must be a number, got a text '400'"):
        retention_for_clv("400", 100, 0.1)
    with pytest.raises(
        DataError, match=r"target_clv must be at least the margin .*got target_clv=50, margin=100"
    ):
        retention_for_clv(50, 100, 0.1)
    with pytest.raises(DataError, match=r"retention_rates must be numbers, got a value that is not \('a'\)"):
        clv_sensitivity(100, ["a", "b"], [0.1])
    with pytest.raises(DataError, match="discount_rates is empty: give at least one number"):
        clv_sensitivity(100, [0.5], [])
    with pytest.raises(DataError, match="margin must be a finite number, got nan"):
        clv_sensitivity(np.nan, [0.5], [0.1])
    with pytest.raises(DataError, match="retention 1 with discount rate 0 has no infinite-horizon CLV"):
        clv_sensitivity(100, [0.5, 1.0], [0.0, 0.1])


def test_concentration_measures_refuse_what_is_not_a_list_of_numbers():
    with pytest.raises(DataError, match=r"values must be numbers, got a value that is not \('a'\)"):
        gini(["a", "b"])
    with pytest.raises(DataError, match="values holds 1 missing or infinite values"):
        lorenz_curve([np.nan, 1.0])
    with pytest.raises(
        DataError, match=r"values must be one list of numbers, got an array of shape \(2, 2\)"
    ):
        top_share([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(DataError, match=r"column 'values' has 1 negative values \(row b\)"):
        gini(pd.Series([1.0, -2.0], index=["a", "b"]))


def test_clv_refuses_an_unknown_column_keyword(flows):
    with pytest.raises(
        DataError, match=r"each keyword of clv must be one of 'period_col', .*; got 'revenue'"
    ):
        clv(flows, revenue="revenue")


def test_figures_refuse_bad_input_before_drawing(flows):
    import matplotlib.pyplot as plt

    figures = len(plt.get_fignums())
    with pytest.raises(DataError, match=r"currency must be one of .*'amount_cny'.*; got 3"):
        plot_clv_table(clv_table(flows), currency=3)
    with pytest.raises(DataError, match="table must be a pandas DataFrame, got list"):
        plot_clv_table(clv_table(flows).to_dict("records"))
    with pytest.raises(DataError, match=r"curves must map a legend label to the values of one customer base"):
        plot_lorenz([])
    with pytest.raises(DataError, match=r"column 'curves\[b\]' has 1 negative values \(row 1\)"):
        plot_lorenz({"a": [1.0, 2.0], "b": [1.0, -2.0]})
    assert len(plt.get_fignums()) == figures
    ax = plot_lorenz({str(k): [1.0, float(k + 1)] for k in range(10)})  # more curves than colours
    assert len(ax.get_legend().get_texts()) == 11
    plt.close("all")


def test_retention_clv_widget_refuses_a_value_its_slider_would_move():
    from crmlib.value import retention_clv_widget

    with pytest.raises(DataError, match="margin must be at most 500, got 1000"):
        retention_clv_widget(margin=1000)
    with pytest.raises(DataError, match=r"retention must be at most 0.95, got 0.99"):
        retention_clv_widget(retention=0.99)


# ------------------------------------------------ residual value with its uncertainty (issue 13)
@pytest.fixture(scope="module")
def simulated_base():
    from crmlib.models import GammaGamma, ParetoNBD, simulate_gamma_gamma, simulate_pareto_nbd

    def fitted(n, seed):
        d = simulate_pareto_nbd(np.full(n, 39.0), r=0.55, alpha=10.6, s=0.61, beta=11.7, seed=seed)
        spend = simulate_gamma_gamma(
            np.maximum(d["frequency"].to_numpy(), 1), p=6.25, q=3.74, gamma=15.44, seed=seed
        )
        d["monetary"] = spend["monetary"].to_numpy()
        buyers = d[d["frequency"] > 0]
        return (
            d,
            ParetoNBD().fit(d["frequency"], d["recency"], d["T"]),
            GammaGamma().fit(buyers["frequency"], buyers["monetary"]),
        )

    return fitted(2000, 3), fitted(8000, 4)


def test_parameter_draws_carry_the_standard_errors(simulated_base):
    from crmlib.models import parameter_draws

    (_, pareto, _), _ = simulated_base
    draws = parameter_draws(pareto, n_draws=4000, seed=2)
    table = pareto.summary()
    assert list(draws.columns) == list(table.index)
    assert (draws > 0).all().all()
    # log-normal draws: the median is the estimate; the spread of log(theta) is the
    # standard error over the estimate (the delta method)
    assert np.allclose(draws.median(), table["estimate"], rtol=0.05)
    assert np.allclose(np.log(draws).std(), table["std_error"] / table["estimate"], rtol=0.1)
    assert parameter_draws(pareto, n_draws=50, seed=2).equals(parameter_draws(pareto, n_draws=50, seed=2))
    with pytest.raises(ModelFitError, match="from_params"):
        parameter_draws(type(pareto).from_params(**table["estimate"]), n_draws=10)


def test_the_residual_value_interval_is_the_value_of_each_draw(simulated_base):
    from crmlib.models import parameter_draws

    (d, pareto, spend), _ = simulated_base
    one = d.iloc[:40]
    result = value.residual_value_interval(
        pareto,
        spend,
        one["frequency"],
        one["recency"],
        one["T"],
        one["monetary"],
        discount_rate=0.15,
        period_length=52,
        margin=0.3,
        n_draws=30,
        seed=5,
    )
    # the fast loop against the public methods, draw by draw
    counting = parameter_draws(pareto, 30, seed=5)
    spending = parameter_draws(spend, 30, seed=6)
    for i in (0, 13, 29):
        c = type(pareto).from_params(**counting.iloc[i])
        g = type(spend).from_params(**spending.iloc[i])
        dert = c.discounted_expected_transactions(
            0.15, one["frequency"], one["recency"], one["T"], period_length=52
        )
        expected = 0.3 * float((dert * g.expected_spend(one["frequency"], one["monetary"])).sum())
        assert result.values[i] == pytest.approx(expected, rel=1e-10)
    assert result.lower < result.estimate < result.upper
    assert result.level == 0.95 and "percentile" in result.kind
    # Series matched by label: the same customers in another order give the same value
    shuffled = one.sample(frac=1, random_state=1)
    again = value.residual_value_interval(
        pareto,
        spend,
        one["frequency"],
        shuffled["recency"],
        one["T"],
        shuffled["monetary"],
        discount_rate=0.15,
        period_length=52,
        margin=0.3,
        n_draws=30,
        seed=5,
    )
    assert again.estimate == pytest.approx(result.estimate, rel=1e-12)


def test_the_interval_narrows_with_more_customers(simulated_base):
    (_, pareto_s, spend_s), (_, pareto_l, spend_l) = simulated_base
    history = {"frequency": 2, "recency": 30.43, "T": 38.86, "monetary": 40.0}
    widths = []
    for pareto, spend in ((pareto_s, spend_s), (pareto_l, spend_l)):
        r = value.residual_value_interval(
            pareto, spend, **history, discount_rate=0.15, period_length=52, margin=0.3, n_draws=200, seed=1
        )
        widths.append(r.upper - r.lower)
    # four times the customers: about half the width (sqrt(4)); allow for noise
    assert 0.3 < widths[1] / widths[0] < 0.75


def test_iso_value_is_dert_times_spend_times_margin_and_rises_with_recency():
    from crmlib.models import GammaGamma, ParetoNBD

    pareto = ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67)
    spend = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
    grid = value.iso_value_table(
        pareto,
        spend,
        frequency=[1, 3, 8],
        recency=[5.0, 20.0, 38.0],
        T=39.0,
        average_spend=35.0,
        discount_rate=0.15,
        period_length=52,
        margin=0.3,
    )
    assert len(grid) == 9
    for row in grid.itertuples():
        dert = pareto.discounted_expected_transactions(
            0.15, row.frequency, row.recency, 39.0, period_length=52
        )
        m = spend.expected_spend(row.frequency, 35.0)
        assert row.value == pytest.approx(0.3 * dert * m, rel=1e-12)
    for _, one in grid.groupby("frequency"):
        assert one.sort_values("recency")["value"].is_monotonic_increasing  # recent buyers are likelier alive
    # a frequent buyer gone quiet is worth less than a rare one who bought last week
    quiet = grid.query("frequency == 8 and recency == 5")["value"].item()
    recent = grid.query("frequency == 1 and recency == 38")["value"].item()
    assert quiet < recent
    with pytest.raises(DataError, match="recency must be at most 39"):
        value.iso_value_table(
            pareto,
            spend,
            frequency=[1],
            recency=[40.0],
            T=39.0,
            average_spend=35.0,
            discount_rate=0.15,
            period_length=52,
        )


def test_one_retention_rate_overvalues_new_and_undervalues_loyal_customers():
    from crmlib.retention import ShiftedBetaGeometric

    base = pd.Series([1000, 600, 400, 300, 200], index=[0, 1, 2, 3, 8])
    sbg = ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182)  # regular segment, Fader & Hardie 2007
    table = value.heterogeneity_gap(sbg, base, margin=100.0, discount_rate=0.1)
    r = table.attrs["retention_rate"]
    rates = (1.182 + base.index.to_numpy()) / (0.704 + 1.182 + base.index.to_numpy())
    assert r == pytest.approx(np.sum(base.to_numpy() * rates) / base.sum(), rel=1e-12)
    # sBG value of one customer: 100 x DERL(n), summed as a series by hand
    for n, count in base.items():
        k = np.arange(2000)
        survive = np.cumprod((1.182 + n + k) / (0.704 + 1.182 + n + k))
        derl = float(np.sum(survive / 1.1**k))
        assert table.loc[n, "sbg"] == pytest.approx(count * 100 * derl, rel=1e-9)
        assert table.loc[n, "one_rate"] == pytest.approx(count * 100 * r * 1.1 / (1.1 - r), rel=1e-12)
    # the base's own rate undervalues the base as a whole (Fader & Hardie 2010)
    assert table.loc["total", "gap"] < 0
    # the average of the yearly rates (0.822, chapter 03) overvalues the new, undervalues the loyal
    quoted = value.heterogeneity_gap(sbg, base, margin=100.0, discount_rate=0.1, retention_rate=0.822)
    assert quoted.loc[0, "gap"] > 0 and quoted.loc[8, "gap"] < 0
    assert table.loc["total", "sbg"] == pytest.approx(table.loc[[0, 1, 2, 3, 8], "sbg"].sum())
    # without heterogeneity (alpha + beta large, the same rate for all) the two agree
    flat = ShiftedBetaGeometric.from_params(alpha=2000.0, beta=8000.0)
    same = value.heterogeneity_gap(flat, base, margin=100.0, discount_rate=0.1)
    assert same.loc["total", "gap"] == pytest.approx(0, abs=1e-3 * same.loc["total", "sbg"])
