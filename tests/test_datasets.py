"""crmlib.datasets: the loaders and the data cards."""

import pandas as pd

import crmlib


def test_cdnow_loaders_shapes():
    sample = crmlib.load_cdnow(sample=True)
    master = crmlib.load_cdnow(sample=False)
    assert list(sample.columns) == ["customer_id", "date", "quantity", "amount"]
    assert list(master.columns) == ["customer_id", "date", "quantity", "amount"]
    assert (len(sample), sample["customer_id"].nunique()) == (6919, 2357)
    assert (len(master), master["customer_id"].nunique()) == (69659, 23570)
    assert pd.api.types.is_datetime64_any_dtype(sample["date"])
    # Every sampled customer is a master customer with the same purchases.
    merged = sample.merge(master, how="left", indicator=True)
    assert (merged["_merge"] == "both").all()


def test_loaders_work_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(crmlib.load_cdnow()) == 6919
    assert crmlib.load_sbg_retention()["regular"].iloc[0] == 1000
    assert crmlib.load_donations()["weights"].sum() == 11104


def test_sbg_data_is_fader_hardie_2007_table():
    table = crmlib.load_sbg_retention()
    assert table["year"].tolist() == list(range(13))
    assert table["regular"].tolist() == [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
    assert table["high_end"].tolist() == [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]


def test_every_data_file_has_a_card():
    """datasets/README.md lists every shipped file; demo/README.md has a card per demo table."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "datasets"
    index = (folder / "README.md").read_text(encoding="utf-8")
    demo_cards = (folder / "demo" / "README.md").read_text(encoding="utf-8")
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".csv", ".txt"}:
            relative = path.relative_to(folder).as_posix()
            assert f"`{relative}`" in index, f"datasets/README.md has no entry for {relative}"
            if relative.startswith("demo/"):
                assert f"### {path.name}" in demo_cards, f"demo/README.md has no card for {path.name}"


def test_catalogue_counts_rows_from_the_files():
    table = crmlib.datasets.catalogue()
    assert table.loc["CDNOW sample", "rows"] == 6919
    assert table.loc["Demo company", "rows"] == crmlib.demo_tables()["rows"].sum()
    assert set(table["kind"]) == {"real", "published", "synthetic"}


def test_unknown_demo_table_lists_the_tables():
    import pytest

    with pytest.raises(
        crmlib.DataError, match=r"the demo company has no table 'order'; its tables are customers, .*orders"
    ):
        crmlib.load_demo("order")


def test_demo_dates_are_parsed():
    orders = crmlib.load_demo("orders")
    assert pd.api.types.is_datetime64_any_dtype(orders["order_date"])
