"""List the English a Chinese reader would still meet in the Chinese edition's notebooks.

    python tools/english_left.py                 # every notebook under zh/
    python tools/english_left.py PATH [PATH ...]  # these notebooks

A Chinese reader should meet no English sentence other than code and proper names. This tool
reads the text a reader sees — markdown cells, and the outputs of code cells (printed lines,
tables, verdicts) — and lists every run of three or more English words that is not code:

- code is left out: fenced code blocks, inline `code`, formulas ($...$), URLs and link targets,
  identifiers with an underscore or a dot (``customer_id``, ``crmlib.term``);
- the references (the section that starts at 参考文献) are left out: sources keep their
  published titles;
- the English term in full-width brackets after its Chinese term, 客户细分（customer
  segmentation）, is a gloss, not prose;
- single letters are symbols (R, F, M; a, b in a formula), and words in :data:`KEPT` are names
  and abbreviations the Chinese text keeps (CDNOW, RFM, BG/NBD): a run needs three other words.

Exit status 1 when something is found, so that a test can use it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
#: Words a Chinese text keeps as they are: names of data sets, models, methods, software, units.
KEPT = {
    "cdnow", "rfm", "bg", "nbd", "bgnbd", "pareto", "gamma", "sbg", "bgbb", "clv", "crm", "kam",
    "nps", "ipa", "abc", "b2b", "b2c", "sql", "duckdb", "sqlite", "jupyterlab", "jupyter", "python",
    "pandas", "numpy", "scikit", "learn", "k", "means", "km", "kaplan", "meier", "et", "al", "vs",
    "ci", "se", "roi", "cac", "arpu", "ltv", "app", "web", "id", "ids", "ok", "true", "false",
    "nan", "none", "double", "servqual", "serqual", "logit", "auc", "roc", "fader", "hardie",
    "lee", "gupta", "lehmann", "reinartz", "kumar", "dick", "basu", "axelrod", "pr", "p",
    "christopher", "payne", "ballantyne", "schmittlein", "morrison", "colombo", "millman", "wilson",
    "alpha", "beta",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: Three or more English words in a row (spaces and light punctuation between them).
RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,:;/()&+-]+[A-Za-z][A-Za-z'’-]*){2,}")
CODE = [
    re.compile(r"```.*?```", re.S),
    re.compile(r"`[^`]*`"),
    re.compile(r"\$\$.*?\$\$", re.S),
    re.compile(r"\$[^$\n]*\$"),
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),
    re.compile(r"<[^>]+>"),  # html tags
    re.compile(r"\b\w+(?:[_.]\w+)+\b"),  # identifiers: customer_id, crmlib.term, 0.95
    re.compile(r"（[^（）]*）"),  # the English term in full-width brackets, after the Chinese one
]


def strip_code(text: str) -> str:
    for pattern in CODE:
        text = pattern.sub(" ", text)
    return text


def english_runs(text: str) -> list[str]:
    """The runs of English words in ``text`` (code already removed) with three or more words
    of two letters or more that are not kept names (single letters are symbols: R, F, M, a, b)."""
    found = []
    for match in RUN.finditer(text):
        words = [w.lower().strip("'’-") for w in WORD.findall(match[0])]
        if sum(len(w) > 1 and w not in KEPT for w in words) < 3:
            continue
        found.append(match[0].strip())
    return found


def _output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(str(output.get("text", "")))
        data = output.get("data", {})
        for kind in ("text/markdown", "text/plain"):
            if kind in data:
                parts.append(str(data[kind]))
                break
    return "\n".join(parts)


def findings(path: Path) -> list[tuple[int, str, str]]:
    """(cell index, "markdown" or "output", the English run) for one notebook."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            text = cell.source.split("参考文献")[0]
            where = "markdown"
        elif cell.cell_type == "code":
            text, where = _output_text(cell), "output"
        else:
            continue
        found += [(index, where, run) for run in english_runs(strip_code(text))]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "zh").rglob("*.ipynb"))
    total = 0
    for path in paths:
        for index, where, run in findings(path):
            total += 1
            print(f"{path.relative_to(ROOT) if path.is_absolute() else path}: cell {index} ({where}): {run}")
    print(f"{total} English run(s) in {len(paths)} notebook(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
