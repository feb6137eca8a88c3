"""Every figure a reader sees has alt text in both languages that says what it shows (issue 17).

``book/alt_text.csv`` holds one row per image output of the chapter and solution notebooks:
the English notebook, the cell id, the index of the image among the cell's image outputs, the
hash of the English cell's source and the text in English and Chinese. The Chinese edition's
figure is the same cell of ``zh/...``. These tests read the notebooks' JSON and the table (no
notebook is executed) and fail on a figure without a row, a row without a figure, a figure whose
code changed since its text was written, and text that is empty, too short or too long, in the
wrong language, or with half-width punctuation or an avoided term in Chinese.
"""

from __future__ import annotations

import csv
import functools
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import alt_text  # noqa: E402
import terminology  # noqa: E402

from crmlib.language import LANGUAGES  # noqa: E402

TABLE = alt_text.TABLE
NOTEBOOKS = alt_text.notebooks()


def read_rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = read_rows()


@functools.cache
def image_outputs(path: Path) -> dict[tuple[str, str], str]:
    """``{(cell_id, output_index): source}`` for every image output of a notebook (index as in the CSV)."""
    return {(cell, str(index)): source for (cell, index), source in alt_text.figures(path).items()}


def key(row: dict[str, str]) -> tuple[str, str, str]:
    return row["notebook"], row["cell_id"], row["output_index"]


def test_the_table_reads_with_pandas_and_has_the_columns():
    import pandas as pd

    table = pd.read_csv(TABLE, dtype=str, keep_default_na=False)
    assert list(table.columns) == ["notebook", "cell_id", "output_index", "source_sha", "en", "zh"]
    assert len(table) == len(ROWS)
    keys = [key(r) for r in ROWS]
    assert sorted({k for k in keys if keys.count(k) > 1}) == [], "two rows for one figure"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_figure_has_a_row_and_every_row_a_figure(lang):
    drawn = {
        (notebook, *where)
        for notebook in NOTEBOOKS
        if alt_text.edition(notebook, lang).exists()
        for where in image_outputs(alt_text.edition(notebook, lang))
    }
    rows = {key(r) for r in ROWS}
    missing = [f"{lang}: {nb} cell {cell} output {index}" for nb, cell, index in sorted(drawn - rows)]
    orphans = [f"{lang}: {nb} cell {cell} output {index}" for nb, cell, index in sorted(rows - drawn)]
    assert missing == [], f"figures without a row in {TABLE.name} (python tools/alt_text.py --check)"
    assert orphans == [], f"rows of {TABLE.name} that point to no figure"


def test_a_changed_plotting_cell_fails_until_its_text_and_hash_are_updated():
    stale = []
    for row in ROWS:
        source = image_outputs(alt_text.edition(row["notebook"], "en")).get(
            (row["cell_id"], row["output_index"])
        )
        if source is not None and alt_text.source_sha(source) != row["source_sha"]:
            stale.append(
                f"{row['notebook']} cell {row['cell_id']}: the figure's code changed: re-read the figure and "
                f"update its alt text, then the hash (python tools/alt_text.py --update-hash "
                f"{row['notebook']} {row['cell_id']})"
            )
    assert stale == []


NAMED_ONLY = re.compile(r"\bfig(?:ure|\.)?\s*\d+|图\s*\d+", re.IGNORECASE)
LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def text_problems(row: dict[str, str]) -> list[str]:
    """What is wrong with a row's English and Chinese text."""
    en, zh, found = row["en"].strip(), row["zh"].strip(), []
    if not 40 <= len(en) <= 400:
        found.append(f"en has {len(en)} characters, not 40–400")
    if not 15 <= len(zh) <= 250:
        found.append(f"zh has {len(zh)} characters, not 15–250")
    if terminology.HAS_CJK.search(en):
        found.append("en holds Chinese characters")
    if len(CJK.findall(zh)) < len(LATIN.findall(zh)):
        found.append("zh is not mostly Chinese")
    for lang, text in (("en", en), ("zh", zh)):
        if NAMED_ONLY.search(text):
            found.append(f"{lang} names the figure by number ({NAMED_ONLY.search(text).group()!r})")
    text = terminology.Text(TABLE.relative_to(ROOT).as_posix(), f"{row['notebook']} {row['cell_id']}", zh)
    found += [str(f) for f in terminology.half_width_in(text) + terminology.scan_text(text)]
    return found


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{Path(r['notebook']).stem[:2]}-{r['cell_id']}")
def test_each_text_says_what_the_figure_shows_in_both_languages(row):
    assert text_problems(row) == []


def test_the_text_checks_catch_what_they_guard():
    good = ROWS[0]
    assert text_problems(good) == []

    def caught(what: str, **change: str) -> bool:
        return any(what in problem for problem in text_problems({**good, **change}))

    assert caught("not 40–400", en="A plot.")
    assert caught("by number", en=good["en"][:300] + " See figure 3.")
    assert caught("Chinese characters", en=good["en"][:300] + " (图)")
    assert caught("not 15–250", zh="折线图。")
    assert caught("by number", zh=good["zh"] + "见图3。")
    assert caught(
        "not mostly Chinese", zh="Line chart of the weekly transactions of the demo company, 2022–2024"
    )
    assert caught("half-width", zh="折线图:每周交易数(0–800次)，三年里业务不断增长。")
    assert caught("顾客 -> 客户", zh=good["zh"] + "顾客越来越多。")


def test_the_tool_reports_missing_orphaned_and_stale_rows():
    rows = alt_text.read_table()
    assert alt_text.problems(rows) == []
    first, *rest = rows
    assert any("no row for" in p and first["cell_id"] in p for p in alt_text.problems(rest))
    orphan = {**first, "cell_id": "no-such-cell"}
    assert any(
        "row without a figure" in p and "no-such-cell" in p for p in alt_text.problems([*rows, orphan])
    )
    stale = {**first, "source_sha": "00000000"}
    assert any("the figure's code changed" in p for p in alt_text.problems([stale, *rest]))
