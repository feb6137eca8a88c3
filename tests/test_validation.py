"""crmlib.validation: the one way crmlib reads a date, a date column and a number column,
each refusing bad input with the same wording wherever it is used."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from crmlib import lifecycle, segmentation, transactions, value
from crmlib.validation import (
    DataError,
    require_choice,
    require_columns,
    require_count,
    require_flag,
    require_number,
    require_numeric,
    require_text,
    require_unique_index,
    to_date,
    to_datetime_column,
    to_numbers,
)


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        (20241231, "the number 20241231"),
        (2024.5, "the number 2024.5"),
        (True, "the number True"),
        (None, "a missing value"),
        (pd.NaT, "a missing value"),
        ("yesterday", "'yesterday'"),
        (pd.Timestamp("2024-12-31", tz="Asia/Shanghai"), "a time with a time zone"),
    ],
)
def test_a_bad_date_argument_is_refused_with_one_wording(given, problem):
    with pytest.raises(
        DataError, match=r"observation_end must be a date such as '2024-12-31', got "
    ) as error:
        to_date(given, "observation_end")
    assert problem in str(error.value)


@pytest.mark.parametrize(
    "given", ["2024-12-31", dt.date(2024, 12, 31), dt.datetime(2024, 12, 31), np.datetime64("2024-12-31")]
)
def test_every_ordinary_spelling_of_a_date_is_read(given):
    assert to_date(given, "x") == pd.Timestamp("2024-12-31")


def test_date_columns_refuse_numbers_missing_values_and_time_zones():
    frame = pd.DataFrame({"day": [20240101, 20240102]})
    with pytest.raises(DataError, match=r"column 'day' holds numbers, not dates: convert it first"):
        to_datetime_column(frame, "day")
    with pytest.raises(DataError, match=r"column 'day' has 1 missing dates \(row 1\)"):
        to_datetime_column(pd.DataFrame({"day": ["2024-01-01", None]}), "day")
    aware = pd.DataFrame({"day": pd.to_datetime(["2024-01-01"]).tz_localize("UTC")})
    with pytest.raises(DataError, match=r"column 'day' holds times with a time zone \(UTC\)"):
        to_datetime_column(aware, "day")


def test_every_date_argument_of_crmlib_uses_the_same_wording():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a"],
            "date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "amount": [10.0, 20.0],
        }
    )
    calls = [
        lambda: transactions.rfm_summary(orders, observation_end=20240301),
        lambda: segmentation.rfm_scores(orders, observation_end=20240301, duplicates="keep"),
        lambda: lifecycle.lifecycle_stages(orders.rename(columns={"date": "order_date"}), as_of=20240301),
        lambda: value.cohort_margin_table(
            pd.DataFrame({"customer_id": ["a"], "signup_date": ["2024-01-01"]}),
            orders.rename(columns={"date": "order_date"}).assign(revenue=1.0, cost=0.5),
            20240101,
            "2024-03-31",
            periods=2,
        ),
    ]
    for call in calls:
        with pytest.raises(DataError, match=r"must be a date such as '2024-12-31', got the number"):
            call()


def test_a_column_that_mixes_time_zones_is_told_so_not_called_not_dates():
    mixed = pd.DataFrame({"day": ["2024-01-01T10:00+08:00", "2024-01-02T10:00+00:00"]})
    with pytest.raises(DataError, match=r"column 'day' holds times with time zones \(or mixes them\)"):
        to_datetime_column(mixed, "day")
    zoned = pd.DataFrame({"day": ["2024-01-01T10:00+08:00", "2024-01-02T11:00+08:00"]})
    with pytest.raises(DataError, match=r"holds times with time zones"):
        to_datetime_column(zoned, "day")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: require_number("0.1", "rate"), r"rate must be a number, got a text '0\.1'"),
        (lambda: require_number(float("nan"), "rate"), r"rate must be a finite number, got nan"),
        (lambda: require_number(1.5, "rate", low=0, high=1, rate=True), r"at most 1, got 1\.5 \(give rates"),
        (lambda: require_number(0, "alpha", low=0, low_open=True), r"alpha must be above 0, got 0"),
        (lambda: require_count(2.5, "periods"), r"periods must be a whole number, got 2\.5"),
        (lambda: require_count(-1, "periods", low=1), r"periods must be at least 1, got -1"),
        (
            lambda: require_count(10**9, "periods", high=10_000),
            r"at most 10,000, got 1,000,000,000: a larger",
        ),
        (lambda: require_count(True, "periods"), r"periods must be a whole number, got a bool True"),
        (lambda: require_choice("Q", "period", ["M", "Y"]), r"period must be one of 'M', 'Y'; got 'Q'"),
        (lambda: require_choice(["M"], "period", ["M", "Y"]), r"period must be one of 'M', 'Y'; got \['M'\]"),
        (lambda: require_flag("yes", "share"), r"share must be True or False, got 'yes'"),
        (lambda: require_text(3, "key"), r"key must be a text, got int 3"),
        (lambda: to_numbers("abc", "values"), r"values must be numbers \(a list, an array or a Series\)"),
        (lambda: to_numbers([[1, 2], [3, 4]], "values"), r"values must be one list of numbers, got an array"),
        (lambda: to_numbers([], "values"), r"values is empty: give at least one number"),
        (lambda: to_numbers([1, float("nan")], "values"), r"values holds 1 missing or infinite values"),
        (lambda: to_numbers([1.5], "t", integer=True), r"t must be whole numbers, got 1\.5"),
        (lambda: to_numbers([-1], "t", low=0), r"t must be at least 0, got -1$"),
        (
            lambda: require_unique_index(pd.DataFrame({"a": [1, 2]}, index=[0, 0]), "table"),
            r"table has 1 repeated row labels \(row 0\)",
        ),
        (lambda: require_columns([1, 2], ["a"], "orders"), r"orders must be a pandas DataFrame, got list"),
        (lambda: require_numeric(pd.DataFrame({"a": [1]}), "b"), r"data has no column 'b'"),
    ],
)
def test_each_entry_check_says_what_is_wrong(call, message):
    with pytest.raises(DataError, match=message):
        call()
