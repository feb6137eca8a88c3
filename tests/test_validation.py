"""crmlib.validation: the one way crmlib reads a date, a date column and a number column,
each refusing bad input with the same wording wherever it is used."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from crmlib import lifecycle, segmentation, transactions, value
from crmlib.validation import DataError, to_date, to_datetime_column


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
