"""crmlib.transactions: the RFM summary and every bad-input message."""

import matplotlib
import matplotlib.pyplot
import numpy as np
import pandas as pd
import pytest

import crmlib
from crmlib import DataError, rfm_summary
from crmlib.transactions import calibration_holdout_split, weekly_first_and_repeat, weekly_transactions

CALIBRATION_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"


@pytest.fixture(scope="module")
def cdnow():
    return crmlib.load_cdnow(sample=True)


@pytest.fixture()
def purchases():
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "c"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08", "2024-01-29"]),
            "amount": [10.0, 5.0, 20.0, 7.0, 3.0],
        }
    )


# --- the published CDNOW numbers ------------------------------------------------


def test_cdnow_calibration_matches_fader_hardie_lee_2005(cdnow):
    """FHL (2005): 2,357 customers, 2,457 repeat transactions in weeks 1-39, 1,411 with none."""
    calibration = cdnow[cdnow["date"] <= CALIBRATION_END]
    summary = rfm_summary(calibration, observation_end=CALIBRATION_END, duplicates="keep")
    assert len(summary) == 2357
    assert summary["frequency"].sum() == 2457
    assert (summary["frequency"] == 0).sum() == 1411
    # The calibration period is 39 weeks; the earliest customers are 38.86 weeks old.
    assert summary["T"].max() == pytest.approx(272 / 7)
    assert summary["recency"].le(summary["T"]).all()


def test_cdnow_split_gives_same_calibration_and_fhl_holdout_total(cdnow):
    """The split agrees with rfm_summary on the calibration period; FHL (2005)
    report 1,882 repeat transactions in the 39-week hold-out."""
    split = calibration_holdout_split(cdnow, CALIBRATION_END, HOLDOUT_END, duplicates="keep")
    direct = rfm_summary(
        cdnow[cdnow["date"] <= CALIBRATION_END], observation_end=CALIBRATION_END, duplicates="keep"
    )
    pd.testing.assert_frame_equal(split[direct.columns], direct)
    assert split["frequency_holdout"].sum() == 1882
    assert split["duration_holdout"].unique().tolist() == [39.0]


# --- conventions ----------------------------------------------------------------


def test_same_day_purchases_are_one_transaction(purchases):
    summary = rfm_summary(purchases, observation_end="2024-01-29")
    a = summary.loc["a"]
    assert a["frequency"] == 1  # 1 Jan (two purchases) and 15 Jan
    assert a["recency"] == pytest.approx(2.0)
    assert a["T"] == pytest.approx(4.0)
    assert a["monetary"] == pytest.approx(20.0)  # the repeat transaction only
    assert summary.loc["b", "monetary"] == 0.0
    assert summary.loc["c", "T"] == 0.0


def test_time_units(purchases):
    days = rfm_summary(purchases, observation_end="2024-01-29", time_unit="D")
    weeks = rfm_summary(purchases, observation_end="2024-01-29", time_unit="W")
    np.testing.assert_allclose(days["T"], weeks["T"] * 7)
    with pytest.raises(DataError, match="time_unit must be one of"):
        rfm_summary(purchases, time_unit="fortnight")


def test_input_is_not_modified(purchases):
    before = purchases.copy()
    rfm_summary(purchases)
    pd.testing.assert_frame_equal(purchases, before)


def test_monetary_is_mean_of_repeat_transactions_on_cdnow(cdnow):
    calibration = cdnow[cdnow["date"] <= CALIBRATION_END]
    summary = rfm_summary(calibration, observation_end=CALIBRATION_END, duplicates="keep")
    # Recompute one heavy buyer's value by hand from the raw rows.
    customer = summary["frequency"].idxmax()
    rows = calibration[calibration["customer_id"] == customer]
    per_day = rows.groupby("date")["amount"].sum().sort_index()
    assert summary.loc[customer, "monetary"] == pytest.approx(per_day.iloc[1:].mean())


def test_weekly_counts_drop_the_partial_last_week(purchases):
    # 1 to 29 Jan 2024 is 29 days: four full weeks from 1 Jan; 29 Jan starts a fifth, partial one.
    weekly = weekly_transactions(purchases)
    assert weekly.index.tolist() == list(pd.date_range("2024-01-01", periods=4, freq="7D"))
    assert weekly.tolist() == [1, 1, 1, 0]  # 1 Jan (two rows of one customer = one), 8 Jan, 15 Jan


def test_weekly_counts_on_cdnow_are_the_78_weeks_of_the_papers(cdnow):
    """FHL (2005) count 78 weeks; every first, calibration-repeat and hold-out
    transaction (2,357 + 2,457 + 1,882) falls in one of them."""
    weekly = weekly_transactions(cdnow)
    assert len(weekly) == 78
    assert weekly.sum() == 2357 + 2457 + 1882


def test_weekly_first_and_repeat_on_cdnow_splits_the_78_weeks_of_the_papers(cdnow):
    """FHL (2005): the 2,357 customers of the sample made their first purchase in the first twelve
    weeks of 1997; the 2,457 calibration and 1,882 hold-out repeat transactions follow."""
    weekly = weekly_first_and_repeat(cdnow)
    assert weekly.index.equals(weekly_transactions(cdnow).index)
    assert (weekly["first"] + weekly["repeat"]).equals(weekly_transactions(cdnow).rename(None))
    assert weekly["first"].sum() == 2357
    assert weekly["first"].iloc[12:].sum() == 0
    assert weekly["repeat"].sum() == 2457 + 1882
    assert weekly["repeat"].iloc[0] == 0  # nobody can come back in the week of the first purchase of all


def test_weekly_first_and_repeat_by_hand(purchases):
    # a: first on 1 Jan (two rows, one transaction), repeat on 15 Jan; b: first on 8 Jan;
    # c: first on 29 Jan, in the partial fifth week that is left out
    weekly = weekly_first_and_repeat(purchases)
    assert weekly.index.tolist() == list(pd.date_range("2024-01-01", periods=4, freq="7D"))
    assert weekly["first"].tolist() == [1, 1, 0, 0]
    assert weekly["repeat"].tolist() == [0, 0, 1, 0]


def test_plot_transactions_per_week_starts_at_zero_and_names_every_line(cdnow):
    from crmlib.transactions import plot_transactions_per_week

    try:
        ax = plot_transactions_per_week(cdnow, calibration_end="1997-09-30", first_and_repeat=True)
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels == ["first transactions", "repeat transactions", "end of calibration period"]
        assert ax.get_ylim()[0] == 0
        first, repeat = (line.get_ydata() for line in ax.get_lines()[:2])
        assert first.sum() == 2357 and repeat.sum() == 2457 + 1882
        ax = plot_transactions_per_week(cdnow)
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["all transactions"]
    finally:
        matplotlib.pyplot.close("all")


# --- bad input: one test per case, asserting the message ------------------------


def test_empty_table():
    empty = pd.DataFrame({"customer_id": [], "date": [], "amount": []})
    with pytest.raises(DataError, match="transactions is empty"):
        rfm_summary(empty)


def test_not_a_dataframe():
    with pytest.raises(DataError, match="must be a pandas DataFrame, got list"):
        rfm_summary([1, 2, 3])


def test_missing_column_names_it_and_lists_columns(purchases):
    with pytest.raises(
        DataError, match=r"has no column 'value'; its columns are 'customer_id', 'date', 'amount'"
    ):
        rfm_summary(purchases, amount_col="value")


def test_unparseable_date(purchases):
    bad = purchases.astype({"date": str})
    bad.loc[3, "date"] = "31/02/2024x"
    with pytest.raises(
        DataError, match=r"column 'date' has 1 values that are not dates \(e.g. '31/02/2024x'; row 3\)"
    ):
        rfm_summary(bad)


def test_missing_date(purchases):
    bad = purchases.copy()
    bad.loc[2, "date"] = pd.NaT
    with pytest.raises(DataError, match=r"column 'date' has 1 missing dates \(row 2\)"):
        rfm_summary(bad)


def test_numeric_dates_are_explained(purchases):
    bad = purchases.assign(date=[20240101, 20240101, 20240115, 20240108, 20240129])
    with pytest.raises(DataError, match=r"column 'date' holds numbers, not dates"):
        rfm_summary(bad)


def test_missing_customer_id(purchases):
    bad = purchases.copy()
    bad.loc[1, "customer_id"] = None
    with pytest.raises(DataError, match=r"column 'customer_id' has 1 missing customer ids \(row 1\)"):
        rfm_summary(bad)


def test_non_numeric_amount(purchases):
    bad = purchases.astype({"amount": object})
    bad.loc[0, "amount"] = "$10"
    with pytest.raises(
        DataError, match=r"column 'amount' has 1 values that are not numbers \(e.g. '\$10'; row 0\)"
    ):
        rfm_summary(bad)


def test_missing_amount(purchases):
    bad = purchases.copy()
    bad.loc[4, "amount"] = np.nan
    with pytest.raises(DataError, match=r"column 'amount' has 1 missing values \(row 4\)"):
        rfm_summary(bad)


def test_negative_amount_says_what_to_do_with_returns(purchases):
    bad = purchases.copy()
    bad.loc[[2, 4], "amount"] = [-20.0, -3.0]
    with pytest.raises(
        DataError,
        match=r"column 'amount' has 2 negative values \(rows 2, 4\): returns should be removed or netted",
    ):
        rfm_summary(bad)


def test_transactions_after_observation_end(purchases):
    with pytest.raises(
        DataError,
        match=r"column 'date' has 2 transactions after the observation end 2024-01-10 .*calibration_holdout_split",
    ):
        rfm_summary(purchases, observation_end="2024-01-10")


def test_exact_duplicates_warn_by_default(purchases):
    doubled = pd.concat([purchases, purchases.iloc[[3]]], ignore_index=True)
    with pytest.warns(UserWarning, match=r"1 rows that exactly repeat an earlier row \(row 5;"):
        rfm_summary(doubled)


def test_exact_duplicates_refused_on_request(purchases):
    doubled = pd.concat([purchases, purchases.iloc[[3]]], ignore_index=True)
    with pytest.raises(DataError, match=r"drop them with drop_duplicates\(\).*duplicates='keep'"):
        rfm_summary(doubled, duplicates="raise")


def test_exact_duplicates_kept_on_request(purchases, recwarn):
    doubled = pd.concat([purchases, purchases.iloc[[0]]], ignore_index=True)
    summary = rfm_summary(doubled, duplicates="keep")
    assert not [w for w in recwarn if "exactly repeat" in str(w.message)]
    assert summary.loc["a", "frequency"] == 1


def test_bad_observation_end(purchases):
    with pytest.raises(DataError, match="observation_end must be a date"):
        rfm_summary(purchases, observation_end="not a date")


def test_holdout_before_calibration(purchases):
    with pytest.raises(
        DataError, match=r"holdout_end \(2024-01-05\) must come after calibration_end \(2024-01-10\)"
    ):
        calibration_holdout_split(purchases, "2024-01-10", "2024-01-05")


def test_error_is_a_value_error():
    assert issubclass(DataError, ValueError)
    assert crmlib.DataError is DataError


def test_describe_rfm_counts_agree_with_summary(cdnow):
    from crmlib.transactions import describe_rfm

    summary = rfm_summary(
        cdnow[cdnow["date"] <= CALIBRATION_END], observation_end=CALIBRATION_END, duplicates="keep"
    )
    numbers = describe_rfm(summary)
    assert numbers["customers"] == 2357
    assert numbers["repeat_transactions"] == 2457
    assert numbers["no_repeat"] == 1411
    assert numbers["repeat_buyers"] == 946  # the Gamma-Gamma sample of FHL (2005b)
    assert numbers["share_no_repeat"] == pytest.approx(1411 / 2357)
    # FHL's Gamma-Gamma note: the 946 repeat buyers spend $35.08 per repeat transaction on average.
    assert numbers["mean_monetary_repeaters"] == pytest.approx(35.078, abs=1e-3)
    with pytest.raises(DataError, match="has no column 'recency'"):
        describe_rfm(summary.drop(columns="recency"))


def test_describe_rfm_rounds_shares_and_means_for_the_reader_and_keeps_counts_whole(cdnow):
    """FHL (2005b): 1,411 of 2,357 (0.599) made no repeat purchase; repeat buyers spend $35.08."""
    from crmlib.transactions import describe_rfm

    summary = rfm_summary(
        cdnow[cdnow["date"] <= CALIBRATION_END], observation_end=CALIBRATION_END, duplicates="keep"
    )
    exact, shown = describe_rfm(summary), describe_rfm(summary, decimals=3)
    assert shown.index.tolist() == exact.index.tolist()
    assert shown["customers"] == 2357 and isinstance(shown["customers"], int)
    assert shown["share_no_repeat"] == 0.599
    assert shown["mean_monetary_repeaters"] == 35.078
    for key in exact.index:
        assert shown[key] == round(exact[key], 3)
    with pytest.raises(DataError, match="decimals must be at least 0, got -1"):
        describe_rfm(summary, decimals=-1)
    for bad in (1.5, True, "2"):
        with pytest.raises(DataError, match="decimals must be a whole number, got"):
            describe_rfm(summary, decimals=bad)


# --- issue 10: describe_rfm refuses what it would count wrongly --------------------


@pytest.fixture()
def small_summary():
    return pd.DataFrame(
        {
            "frequency": [0, 2, 1],
            "recency": [0.0, 5.0, 2.0],
            "T": [6.0, 8.0, 7.0],
            "monetary": [0.0, 30.0, 10.0],
        },
        index=pd.Index(["a", "b", "c"], name="customer_id"),
    )


def test_describe_rfm_refuses_a_negative_frequency_instead_of_counting_it(small_summary):
    from crmlib.transactions import describe_rfm

    # before: -2 entered repeat_transactions (3 - 2 = 1) and the customer counted as neither
    # a repeat buyer nor a no-repeat customer
    with pytest.raises(DataError, match=r"column 'frequency' has 1 negative values \(row b\)"):
        describe_rfm(small_summary.assign(frequency=[0, -2, 1]))
    numbers = describe_rfm(small_summary)
    assert numbers["repeat_transactions"] == 3
    assert (numbers["no_repeat"], numbers["repeat_buyers"]) == (1, 2)
    assert numbers["mean_monetary_repeaters"] == pytest.approx(20.0)


def test_describe_rfm_refuses_a_missing_frequency_instead_of_dropping_it(small_summary):
    from crmlib.transactions import describe_rfm

    # before: NaN counted as neither a repeat buyer nor a no-repeat customer, yet as a customer
    with pytest.raises(DataError, match=r"column 'frequency' has 1 missing values \(row a\)"):
        describe_rfm(small_summary.assign(frequency=[np.nan, 2, 1]))


def test_describe_rfm_says_which_values_are_not_numbers_or_whole(small_summary):
    from crmlib.transactions import describe_rfm

    # before: a raw TypeError from summing text
    with pytest.raises(DataError, match=r"column 'frequency' has 1 values that are not numbers \(e.g. 'two'"):
        describe_rfm(small_summary.astype({"frequency": object}).assign(frequency=[0, "two", 1]))
    # (to_numbers shows the value as np.float64(1.5) under numpy 2: reported to validation.py's owner)
    with pytest.raises(DataError, match=r"frequency must be whole numbers, got (np\.float64\()?1\.5"):
        describe_rfm(small_summary.assign(frequency=[0, 2, 1.5]))
    with pytest.raises(DataError, match=r"column 'T' has 1 negative values"):
        describe_rfm(small_summary.assign(T=[6.0, -8.0, 7.0]))
    with pytest.raises(DataError, match=r"column 'monetary' has 1 infinite values"):
        describe_rfm(small_summary.assign(monetary=[0.0, np.inf, 10.0]))


def test_describe_rfm_mean_monetary_is_nan_without_repeat_buyers(small_summary):
    from crmlib.transactions import describe_rfm

    numbers = describe_rfm(small_summary.assign(frequency=0, monetary=0.0))
    assert numbers["repeat_buyers"] == 0
    assert np.isnan(numbers["mean_monetary_repeaters"])
    assert "NaN when no customer has a repeat" in describe_rfm.__doc__


def test_describe_rfm_accepts_a_repeated_or_text_index(small_summary):
    from crmlib.transactions import describe_rfm

    expected = describe_rfm(small_summary)
    repeated = small_summary.set_axis([0, 0, 0])
    pd.testing.assert_series_equal(describe_rfm(repeated), expected)


def test_choices_share_one_wording(purchases):
    with pytest.raises(DataError, match=r"duplicates must be one of 'warn', 'keep', 'raise'; got 'yes'"):
        rfm_summary(purchases, duplicates="yes")
    with pytest.raises(DataError, match=r"time_unit must be one of 'D', 'W', 'M'; got 'Y'"):
        rfm_summary(purchases, time_unit="Y")


def test_plot_transactions_per_week_refuses_a_bad_calibration_end_before_drawing(purchases):
    import matplotlib.pyplot as plt

    from crmlib.transactions import plot_transactions_per_week

    figures = len(plt.get_fignums())
    with pytest.raises(DataError, match="calibration_end must be a date such as '2024-12-31', got 'soon'"):
        plot_transactions_per_week(purchases, calibration_end="soon")
    assert len(plt.get_fignums()) == figures
