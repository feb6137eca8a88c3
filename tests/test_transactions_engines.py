"""crmlib.transactions: the faster pandas path gives the committed answers, and the DuckDB path
(engine="duckdb") gives the pandas path's answers, warnings and errors, whatever it reads."""

import re
import textwrap
import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest

import crmlib
from crmlib import DataError
from crmlib.transactions import ENGINES, calibration_holdout_split, rfm_summary

CALIBRATION_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"
SOURCES = ["frame", "relation", "parquet", "csv"]


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


# --- a reference: the summary written with plain groupby (the committed pandas path) ----------


def reference_rfm(transactions, observation_end=None, time_unit="W", amount_col="amount"):
    """frequency, recency, T and monetary with two plain groupbys (no checks)."""
    unit = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}[time_unit]
    day = pd.to_datetime(transactions["date"]).dt.normalize()
    keys = [transactions["customer_id"].rename("customer_id"), day.rename("date")]
    if amount_col is None:
        daily = transactions.groupby(keys, sort=True).size().rename("n").reset_index()
    else:
        daily = transactions.groupby(keys, sort=True)[amount_col].sum().reset_index()
    end = daily["date"].max() if observation_end is None else pd.Timestamp(observation_end)
    grouped = daily.groupby("customer_id", sort=True)
    first, last, count = grouped["date"].min(), grouped["date"].max(), grouped.size()
    summary = pd.DataFrame(
        {
            "frequency": (count - 1).astype(int),
            "recency": (last - first).dt.days / unit,
            "T": (end - first).dt.days / unit,
        }
    )
    if amount_col is not None:
        is_first = daily["date"].to_numpy() == first.reindex(daily["customer_id"]).to_numpy()
        repeat = daily.loc[~is_first].groupby("customer_id")[amount_col].sum()
        repeat = repeat.reindex(summary.index, fill_value=0.0)
        frequency = summary["frequency"]
        summary["monetary"] = np.where(frequency > 0, repeat / frequency.where(frequency > 0, 1), 0.0)
    return summary


def random_log(rng, rows, ids):
    """A small random log: ids drawn from ``ids``, dates over 60 days (many same-day ties)."""
    return pd.DataFrame(
        {
            "customer_id": rng.choice(ids, rows),
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, rows), unit="D"),
            "amount": np.round(rng.lognormal(3, 1, rows), 2),
        }
    )


@pytest.mark.parametrize("sample", [True, False])
@pytest.mark.parametrize("time_unit", ["W", "D", "M"])
def test_pandas_path_gives_the_committed_summary_on_cdnow(sample, time_unit):
    log = crmlib.load_cdnow(sample=sample)
    summary = rfm_summary(log, time_unit=time_unit, duplicates="keep")
    pd.testing.assert_frame_equal(summary, reference_rfm(log, time_unit=time_unit), check_exact=True)
    calibration = log[log["date"] <= CALIBRATION_END]
    summary = rfm_summary(
        calibration, observation_end=CALIBRATION_END, time_unit=time_unit, duplicates="keep"
    )
    expected = reference_rfm(calibration, observation_end=CALIBRATION_END, time_unit=time_unit)
    pd.testing.assert_frame_equal(summary, expected, check_exact=True)


ID_KINDS = {
    "strings": np.array(["x", "ab", "b", "Zed", "c10", "c9"], dtype=object),
    "small ints": np.arange(1, 40),
    "negative ints": np.array([-5, -1, 0, 3]),
    "huge range": np.array([-(2**62), -7, 0, 12, 2**62, 2**63 - 1], dtype=np.int64),
    "unsigned": np.array([0, 5, 2**64 - 1], dtype=np.uint64),
    "top of unsigned": np.array([2**64 - 1, 2**64 - 2, 2**64 - 9], dtype=np.uint64),
    "floats": np.array([1.5, 2.0, 1e12]),
}


@pytest.mark.parametrize("kind", list(ID_KINDS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pandas_path_gives_the_committed_summary_on_random_tables(kind, seed):
    rng = np.random.default_rng(seed)
    log = random_log(rng, int(rng.integers(1, 200)), ID_KINDS[kind])
    summary = rfm_summary(log, duplicates="keep")
    pd.testing.assert_frame_equal(summary, reference_rfm(log), check_exact=True)
    no_amount = rfm_summary(log, amount_col=None, duplicates="keep")
    pd.testing.assert_frame_equal(no_amount, reference_rfm(log, amount_col=None), check_exact=True)


def test_pandas_path_on_a_single_row_and_on_ties_within_a_day():
    one = pd.DataFrame({"customer_id": [7], "date": [pd.Timestamp("2024-03-01 17:30")], "amount": [4.5]})
    pd.testing.assert_frame_equal(rfm_summary(one), reference_rfm(one), check_exact=True)
    ties = pd.DataFrame(
        {
            "customer_id": [2, 1, 2, 1, 2, 1],
            "date": pd.to_datetime(
                [
                    "2024-01-02 09:00",
                    "2024-01-01 00:00",
                    "2024-01-02 18:00",
                    "2024-01-01 00:00",
                    "2024-01-05 00:00",
                    "2024-01-09 00:00",
                ]
            ),
            "amount": [0.1, 0.2, 0.2, 0.1, 1.0, 3.0],
        }
    )
    summary = rfm_summary(ties)
    pd.testing.assert_frame_equal(summary, reference_rfm(ties), check_exact=True)
    assert summary["frequency"].tolist() == [1, 1]  # same-day purchases are one transaction


def test_duplicate_check_matches_pandas_duplicated():
    """The rows reported are exactly those of ``DataFrame.duplicated(keep="first")``."""
    rng = np.random.default_rng(5)
    log = random_log(rng, 300, np.arange(20)).assign(store=rng.choice(["n", "s"], 300))
    log = pd.concat([log, log.sample(25, random_state=1)], ignore_index=True)
    log.loc[log.sample(10, random_state=2).index, "store"] = "w"  # a copy that differs in one column
    expected = log.index[log.duplicated(keep="first")]
    with pytest.warns(
        UserWarning, match=rf"transactions has {len(expected)} rows that exactly repeat"
    ) as seen:
        rfm_summary(log)
    rows = ", ".join(str(row) for row in expected[:5])
    assert f"rows {rows}, ..." in str(seen[0].message)


# --- the DuckDB path: the same summary from every kind of input -----------------------------


def as_source(frame, kind, tmp_path):
    """The table as the DuckDB path may receive it."""
    if kind == "frame":
        return frame
    if kind == "relation":
        return duckdb.connect().from_df(frame)
    if kind == "parquet":
        path = tmp_path / "transactions.parquet"
        duckdb.connect().from_df(frame).write_parquet(str(path))
        return path
    path = tmp_path / "transactions.csv"
    frame.to_csv(path, index=False)
    return str(path)


def both_engines(function, frame, source, **options):
    """The result, warnings and error of the pandas path and of the DuckDB path."""
    outcomes = []
    for engine, data in (("pandas", frame), ("duckdb", source)):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                result, error = function(data, engine=engine, **options), None
            except DataError as raised:
                result, error = None, str(raised)
        outcomes.append((result, [str(w.message) for w in seen if w.category is UserWarning], error))
    return outcomes


def assert_same_summary(left, right):
    pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12, atol=1e-9)


OPTIONS = [
    {},
    {"observation_end": "1998-12-31"},
    {"time_unit": "D"},
    {"time_unit": "M", "amount_col": None},
    {"duplicates": "warn"},
    {"duplicates": "raise"},
]


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default"
)
def test_duckdb_path_equals_pandas_path_on_cdnow(cdnow, kind, options, tmp_path):
    options = {"duplicates": "keep", **options}
    (expected, warned, refused), (result, duck_warned, duck_refused) = both_engines(
        rfm_summary, cdnow, as_source(cdnow, kind, tmp_path), **options
    )
    assert duck_refused == refused
    assert duck_warned == warned
    if refused is None:
        assert_same_summary(expected, result)
    if options["duplicates"] != "keep":  # CDNOW holds 21 exact repeats
        assert (warned or [refused])[0].startswith("transactions has 21 rows that exactly repeat")


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize("holdout_end", [None, HOLDOUT_END, "1998-12-31"])
@pytest.mark.parametrize("time_unit", ["W", "D"])
def test_duckdb_split_equals_pandas_split_on_cdnow(cdnow, kind, holdout_end, time_unit, tmp_path):
    options = {"holdout_end": holdout_end, "time_unit": time_unit, "duplicates": "keep"}
    (expected, _, refused), (result, _, duck_refused) = both_engines(
        lambda data, **o: calibration_holdout_split(data, CALIBRATION_END, **o),
        cdnow,
        as_source(cdnow, kind, tmp_path),
        **options,
    )
    assert refused is None and duck_refused is None
    assert_same_summary(expected, result)


@pytest.mark.parametrize("kind", SOURCES)
def test_duckdb_path_same_day_rule_and_string_ids(purchases, kind, tmp_path):
    (expected, _, _), (result, _, _) = both_engines(
        rfm_summary, purchases, as_source(purchases, kind, tmp_path), observation_end="2024-01-29"
    )
    assert_same_summary(expected, result)
    assert result.loc["a", "frequency"] == 1  # 1 Jan twice is one transaction
    assert result.loc["a", "monetary"] == 20.0


@pytest.mark.parametrize("seed", range(5))
def test_duckdb_path_equals_pandas_path_on_random_tables(seed):
    rng = np.random.default_rng(seed)
    ids = ID_KINDS[["strings", "small ints", "huge range", "top of unsigned", "floats"][seed]]
    log = random_log(rng, int(rng.integers(1, 300)), ids)
    assert_same_summary(
        rfm_summary(log, duplicates="keep"), rfm_summary(log, duplicates="keep", engine="duckdb")
    )


# --- the DuckDB path: the pandas path's errors, naming the same column ------------------------


def _bad(change):
    def make(purchases):
        bad = purchases.copy()
        change(bad)
        return bad

    return make


def _set(column, rows, value, dtype=None):
    def change(bad):
        if dtype is not None:
            bad[column] = bad[column].astype(dtype)
        bad.loc[rows, column] = value

    return change


BAD_TABLES = {
    "missing column": (lambda p: p, {"amount_col": "value"}),
    "missing id": (_bad(_set("customer_id", 1, None)), {}),
    "text amount": (_bad(_set("amount", 0, "$10", object)), {}),
    "missing amount": (_bad(_set("amount", 4, np.nan)), {}),
    "negative amount": (_bad(_set("amount", [2, 4], -3.0)), {}),
    "infinite amount": (_bad(_set("amount", 3, np.inf)), {}),
    "true/false amount": (lambda p: p.assign(amount=[True, False, True, True, False]), {}),
    "text date": (_bad(_set("date", 3, "31/02/2024x", str)), {}),
    "missing date": (_bad(_set("date", 2, pd.NaT)), {}),
    "numbers as dates": (lambda p: p.assign(date=[20240101, 20240101, 20240115, 20240108, 20240129]), {}),
    "zoned dates": (lambda p: p.assign(date=p["date"].dt.tz_localize("Asia/Shanghai")), {}),
    "late transactions": (lambda p: p, {"observation_end": "2024-01-10"}),
    "duplicates raise": (lambda p: pd.concat([p, p.iloc[[3]]], ignore_index=True), {"duplicates": "raise"}),
    "bad engine": (lambda p: p, {"engine": "spark"}),
    "empty": (lambda p: p.iloc[:0], {}),
}


def named_column(message):
    found = re.search(r"column '([^']+)'", message)
    return found.group(1) if found else None


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize("case", list(BAD_TABLES))
def test_duckdb_path_refuses_what_the_pandas_path_refuses(purchases, case, kind, tmp_path):
    make, options = BAD_TABLES[case]
    bad = make(purchases)
    if kind in ("parquet", "csv") and case == "zoned dates":
        pytest.skip("a file holds no pandas time zone: covered by the frame and relation")
    with pytest.raises(DataError) as pandas_error:
        rfm_summary(bad, **options)
    source = as_source(bad, kind, tmp_path)
    with pytest.raises(DataError) as duckdb_error:
        rfm_summary(source, **{"engine": "duckdb", **options})
    expected, got = str(pandas_error.value), str(duckdb_error.value)
    if case == "zoned dates" and kind == "relation":  # DuckDB knows the type, not the zone's name
        expected = expected.replace("Asia/Shanghai", "TIMESTAMP WITH TIME ZONE")
    if kind in ("frame", "relation") or named_column(expected) is None or case == "late transactions":
        assert got == expected
    else:  # a file has its own types (a CSV of texts), but the same column and problem
        assert named_column(got) == named_column(expected)
        assert got.split(":")[0].split("(")[0] == expected.split(":")[0].split("(")[0]
    if case == "bad engine":
        assert "engine" in got and all(name in got for name in ENGINES)


def test_duckdb_path_refuses_other_inputs(tmp_path):
    with pytest.raises(DataError, match="DataFrame, a DuckDB relation or the path of a Parquet or CSV file"):
        rfm_summary([1, 2, 3], engine="duckdb")
    (tmp_path / "log.xlsx").write_text("x")
    with pytest.raises(DataError, match="not a Parquet"):
        rfm_summary(tmp_path / "log.xlsx", engine="duckdb")
    with pytest.raises(DataError, match="no file there"):
        rfm_summary(tmp_path / "missing.csv", engine="duckdb")


def test_duckdb_path_warns_of_duplicates_as_pandas_does(purchases, tmp_path):
    doubled = pd.concat([purchases, purchases.iloc[[3]]], ignore_index=True)
    for kind in SOURCES:
        with pytest.warns(UserWarning, match=r"1 rows that exactly repeat an earlier row \(row 5;"):
            rfm_summary(as_source(doubled, kind, tmp_path), engine="duckdb")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        summary = rfm_summary(doubled, engine="duckdb", duplicates="keep")
    assert summary.loc["b", "frequency"] == 0


# --- the DuckDB path: fixed SQL texts, the caller's names and values never in them -------------


def test_the_duckdb_path_gives_the_calibration_summary_of_every_cdnow_customer():
    """The calibration period of Fader, Hardie & Lee (2005): CDNOW to 1997-09-30, all 23,570 customers."""
    cdnow = crmlib.load_cdnow(sample=False)
    calibration = cdnow[cdnow["date"] <= CALIBRATION_END]
    in_sql = rfm_summary(calibration, observation_end=CALIBRATION_END, duplicates="keep", engine="duckdb")
    in_pandas = rfm_summary(calibration, observation_end=CALIBRATION_END, duplicates="keep")
    split = calibration_holdout_split(cdnow, CALIBRATION_END, HOLDOUT_END, duplicates="keep", engine="duckdb")
    assert len(in_sql) == 23_570
    for reference in (in_pandas, split[in_pandas.columns]):
        assert_same_summary(in_sql, reference)


HOSTILE_NAMES = ['customer "id"', "date'); DROP TABLE transactions; --", "amount FROM transactions --"]


@pytest.mark.parametrize("kind", ["frame", "relation", "parquet"])
def test_column_names_are_names_not_sql(purchases, kind, tmp_path):
    """Names with quotes and SQL in them are only names: the same summary, the same checks."""
    names = dict(zip(["customer_id", "date", "amount"], HOSTILE_NAMES, strict=True))
    renamed = purchases.rename(columns=names).assign(store=["n", "n", "s", "s", "n"])
    options = {"customer_col": HOSTILE_NAMES[0], "date_col": HOSTILE_NAMES[1], "amount_col": HOSTILE_NAMES[2]}
    doubled = pd.concat([renamed, renamed.iloc[[3]]], ignore_index=True)
    (expected, warned, _), (result, duck_warned, _) = both_engines(
        rfm_summary, doubled, as_source(doubled, kind, tmp_path), **options
    )
    assert_same_summary(expected, result)
    assert duck_warned == warned and len(warned) == 1
    bad = renamed.copy()
    bad.loc[2, HOSTILE_NAMES[2]] = -1.0
    with pytest.raises(DataError, match=re.escape(f"column {HOSTILE_NAMES[2]!r} has 1 negative")):
        rfm_summary(as_source(bad, kind, tmp_path), engine="duckdb", **options)


def test_the_published_queries_are_fixed_texts_that_run_as_documented(purchases):
    """RFM_SUMMARY_SQL and CALIBRATION_HOLDOUT_SQL run on a table with the documented columns."""
    import crmlib.transactions as module

    assert {"RFM_SUMMARY_SQL", "CALIBRATION_HOLDOUT_SQL"} <= set(module.__all__)
    assert "{" not in module.RFM_SUMMARY_SQL and "{" not in module.CALIBRATION_HOLDOUT_SQL
    shown = textwrap.dedent(
        module.rfm_summary.__doc__.split(".. code-block:: sql")[1].split("\n\n    crmlib")[0]
    )
    assert shown.strip() == module.RFM_SUMMARY_SQL.strip(), "the docstring shows the query that runs"
    connection = duckdb.connect()
    table = purchases.rename(columns={"date": "purchase_date"})
    transactions = connection.from_df(table).select(  # noqa: F841 (read by name in the SQL below)
        duckdb.ColumnExpression("customer_id"),
        duckdb.ColumnExpression("purchase_date").cast("DATE").alias("purchase_date"),
        duckdb.ColumnExpression("amount"),
    )
    found = connection.sql(module.RFM_SUMMARY_SQL).df().set_index("customer_id")
    assert found["days"].tolist() == [2, 1, 1]  # customer a bought on 1 and 15 January
    assert found.loc["a", "repeat_total"] == 20.0
