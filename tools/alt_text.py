"""Alt text of the course's figures: one row of ``book/alt_text.csv`` per image output.

    python tools/alt_text.py --check                          # missing, orphaned and stale rows
    python tools/alt_text.py --update-hash NOTEBOOK CELL_ID   # record the cell's source after re-reading it

The table has the columns ``notebook`` (the English path, ``notebooks/04_customer_value_clv.ipynb``),
``cell_id``, ``output_index`` (0 for the cell's first image output, 1 for its second ...),
``source_sha`` (the first 8 hex digits of the SHA-256 of the English cell's source), ``en`` and
``zh``: what the figure shows, its axes with units and its message, in each language. The
Chinese edition's figure is the same cell of ``zh/...`` (same cell id), so one row serves both.

``--check`` lists every image output of a chapter or solution notebook, in either edition,
without a row; every row whose cell or output does not exist; and every row whose cell's code
changed since its text was written (with the new hash). When a figure's code changes, look at
the figure again, rewrite ``en`` and ``zh``, then ``--update-hash`` the row.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmlib.course import edition_root  # noqa: E402
from crmlib.language import LANGUAGES  # noqa: E402

TABLE = ROOT / "book" / "alt_text.csv"
COLUMNS = ["notebook", "cell_id", "output_index", "source_sha", "en", "zh"]
#: The notebooks whose figures a reader sees (student notebooks have no outputs).
NOTEBOOKS = ("notebooks/*.ipynb", "exercises/solutions/*.ipynb")


def source_sha(source: str) -> str:
    """The first 8 hex digits of the SHA-256 of a cell's source."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]


def figures(path: Path) -> dict[tuple[str, int], str]:
    """``{(cell_id, output_index): cell source}`` for every image output of a notebook (read as
    plain JSON, without nbformat's validation: the tests read every notebook)."""
    found = {}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        images = [
            o for o in cell.get("outputs", []) if any(m.startswith("image/") for m in o.get("data", {}))
        ]
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for index in range(len(images)):
            found[(cell.get("id", ""), index)] = source
    return found


def notebooks() -> list[str]:
    """The English notebooks (relative paths) whose figures need a row."""
    return sorted(p.relative_to(ROOT).as_posix() for pattern in NOTEBOOKS for p in ROOT.glob(pattern))


def edition(notebook: str, lang: str) -> Path:
    """The notebook of an edition: ``notebooks/04_x.ipynb`` -> ``zh/notebooks/04_x.ipynb``."""
    return ROOT / edition_root(lang) / notebook


def read_table(path: Path = TABLE) -> list[dict[str, str]]:
    """The rows of the table, with ``output_index`` as an int."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path.name} must have the columns {COLUMNS}, has {reader.fieldnames}")
        return [{**row, "output_index": int(row["output_index"])} for row in reader]


def write_table(rows: list[dict], path: Path = TABLE) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def label(notebook: str, cell_id: str, output_index: int) -> str:
    return f"{notebook} cell {cell_id} output {output_index}"


def problems(rows: list[dict] | None = None) -> list[str]:
    """Every figure without exactly one row, every row without a figure, and every stale hash."""
    rows = read_table() if rows is None else rows
    keys = [(r["notebook"], r["cell_id"], r["output_index"]) for r in rows]
    found = [f"two rows for {label(*key)}" for key in sorted(set(keys)) if keys.count(key) > 1]
    drawn_in = {
        lang: {nb: figures(edition(nb, lang)) for nb in notebooks() if edition(nb, lang).exists()}
        for lang in LANGUAGES
    }
    for lang, by_notebook in drawn_in.items():
        drawn = {(nb, *key) for nb, found_in in by_notebook.items() for key in found_in}
        found += [
            f"no row for {label(*key)} ({edition(key[0], lang).relative_to(ROOT)})"
            for key in sorted(drawn - set(keys))
        ]
        found += [
            f"row without a figure: {label(*key)} ({edition(key[0], lang).relative_to(ROOT)})"
            for key in sorted(set(keys) - drawn)
        ]
    for row in rows:
        source = drawn_in["en"].get(row["notebook"], {}).get((row["cell_id"], row["output_index"]))
        if source is not None and source_sha(source) != row["source_sha"]:
            found.append(
                f"the figure's code changed: {label(row['notebook'], row['cell_id'], row['output_index'])}; "
                f"re-read the figure and update its alt text, then the hash ({source_sha(source)}): "
                f"python tools/alt_text.py --update-hash {row['notebook']} {row['cell_id']}"
            )
    return found


def update_hash(notebook: str, cell_id: str) -> int:
    """Record the current source of one cell in its rows; return the number of rows changed."""
    rows = read_table()
    sources = {cell: source for (cell, _), source in figures(edition(notebook, "en")).items()}
    if cell_id not in sources:
        raise SystemExit(f"{notebook} has no cell {cell_id} with a figure")
    changed = 0
    for row in rows:
        if row["notebook"] == notebook and row["cell_id"] == cell_id:
            changed += row["source_sha"] != source_sha(sources[cell_id])
            row["source_sha"] = source_sha(sources[cell_id])
    write_table(rows)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="list missing, orphaned and stale rows (the default)"
    )
    parser.add_argument(
        "--update-hash", nargs=2, metavar=("NOTEBOOK", "CELL_ID"), help="record a cell's source"
    )
    args = parser.parse_args(argv)
    if args.check and args.update_hash:
        parser.error("--check or --update-hash, not both")
    if args.update_hash:
        print(f"{update_hash(*args.update_hash)} rows updated")
        return 0
    found = problems()
    for problem in found:
        print(problem)
    print(f"{len(found)} problems in {TABLE.relative_to(ROOT)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
