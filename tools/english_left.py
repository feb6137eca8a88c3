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
  and abbreviations the Chinese text keeps (CDNOW, RFM, BG/NBD): a run needs three other words;
- SQL is code (:func:`strip_sql`): an output line with two or more SQL keywords in capitals
  (``SELECT ... FROM``, ``SEARCH orders USING INDEX``) and the lines of a statement it opens, up
  to a blank line (a ``CREATE TABLE`` with its columns); SQLite's own messages
  (``FOREIGN KEY constraint failed``), which a Chinese table shows as SQLite wrote them, beside
  their meaning (``crmlib.crmdb.refusal_meaning``); a list of the CRM database's table names
  (``orders, calls, opportunities``);
- the proper names of :data:`PROPER_NAMES` (people whose names a Chinese text writes in Latin
  letters);
- the glossary shown in both languages on purpose: on an output line that shows a glossary
  row's Chinese term or definition, that row's English term and definition are a gloss (the
  glossary tables and the language switch of chapter 00).

Besides English, it finds in the outputs what a Chinese table should not show (:func:`table_slips`):
True and False (是 and 否 through ``crmlib.labelled``) and the English row names of
``describe()`` (count, mean, std ...: 计数, 平均值, 标准差 through ``crmlib.labelled``).

Exit status 1 when something is found, so that a test can use it.
"""

from __future__ import annotations

import argparse
import functools
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
#: People's names a Chinese text writes in Latin letters, as published (a short list: add a
#: name here only when it is a person's or a firm's name, never a phrase).
PROPER_NAMES = ("Barbara Bund Jackson",)
SQL_KEYWORDS = {
    "SELECT", "FROM", "WHERE", "WITH", "AS", "GROUP", "ORDER", "BY", "INSERT", "INTO", "VALUES",
    "UPDATE", "SET", "DELETE", "CREATE", "TABLE", "VIEW", "INDEX", "PRIMARY", "KEY", "NOT", "NULL",
    "REFERENCES", "CONSTRAINT", "CHECK", "UNIQUE", "FOREIGN", "IN", "IS", "AND", "OR", "TEXT", "REAL",
    "INTEGER", "STRICT", "EXPLAIN", "QUERY", "PLAN", "SEARCH", "SCAN", "USING", "COVERING", "JOIN",
    "ON", "LEFT", "LIMIT", "DESC", "ASC", "SUM", "MIN", "MAX", "COUNT", "MIN_BY", "DISTINCT", "HAVING",
}  # fmt: skip
SQLITE_MESSAGE = re.compile(r"\b(?:FOREIGN KEY|UNIQUE|CHECK|NOT NULL) constraint failed(?:: [\w.]+)?")
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
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    return text


def _is_sql(line: str) -> bool:
    return len([w for w in re.findall(r"\b[A-Z_]+\b", line) if w in SQL_KEYWORDS]) >= 2


def strip_sql(text: str) -> str:
    """``text`` without its SQL: the lines of statements and query plans, SQLite's messages, and
    lists of the CRM database's table names."""
    kept, inside = [], False
    for line in text.split("\n"):
        if not line.strip():
            inside = False
        elif _is_sql(line) or inside:
            inside = inside or line.rstrip().endswith(("(", ",")) or _is_sql(line)
            line = ""
        kept.append(line)
    text = SQLITE_MESSAGE.sub(" ", "\n".join(kept))
    tables = "|".join(sorted(_crm_tables(), key=len, reverse=True))
    return re.sub(rf"\b(?:{tables})(?:, (?:{tables}))+\b", " ", text)


@functools.cache
def _crm_tables() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from crmlib.crmdb import SCHEMA

    return re.findall(r"CREATE TABLE (\w+)", SCHEMA)


@functools.cache
def _glossary_rows() -> list[tuple[str, str, str, str]]:
    sys.path.insert(0, str(ROOT))
    from crmlib.glossary import glossary_table

    table = glossary_table(kind=None)
    return list(zip(table["en"], table["zh"], table["definition_en"], table["definition_zh"], strict=True))


def _shows(line: str, term: str) -> bool:
    """The Chinese term stands on ``line`` as a word of its own, not inside a longer one."""
    return re.search(rf"(?<![\u4e00-\u9fff]){re.escape(term)}(?![\u4e00-\u9fff])", line) is not None


def strip_glosses(text: str) -> str:
    """Each line without the English term and definition of a glossary row whose Chinese term or
    definition the same line shows: the glossary shown in both languages on purpose."""
    rows = sorted(_glossary_rows(), key=lambda row: -len(row[0]))  # longest terms first
    lines = []
    for line in text.split("\n"):
        if re.search(r"[A-Za-z]{3}", line) and re.search(r"[\u4e00-\u9fff]", line):
            shown = [
                row
                for row in rows
                if (row[1] in line and _shows(line, row[1])) or (row[3] and row[3][:12] in line)
            ]
            for english in [row[2] for row in shown] + [row[0] for row in shown]:  # definitions first
                line = (
                    re.sub(rf"(?<![A-Za-z]){re.escape(english)}(?![A-Za-z])", " ", line) if english else line
                )
        lines.append(line)
    return "\n".join(lines)


#: Row names of ``DataFrame.describe()``, which a Chinese table shows through ``crmlib.labelled``.
DESCRIBE_ROWS = re.compile(r"^(?:count|mean|std|min|max) +[-\d.]", re.M)


def table_slips(text: str) -> list[str]:
    """What a Chinese table should not show: ``True``/``False``, ``describe()``'s English row names."""
    slips = [f"{m[0]} (是/否)" for m in re.finditer(r"(?<![\w'\"=])(?:True|False)(?![\w'\"])", text)]
    slips += [f"{m[0].split()[0]} (a describe() row name)" for m in DESCRIBE_ROWS.finditer(text)]
    return list(dict.fromkeys(slips))  # each once per cell


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


def _output_text(cell, tables_only: bool = False) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and not tables_only:
            parts.append(str(output.get("text", "")))
        data = output.get("data", {})
        if tables_only:
            if "text/html" in data and "text/plain" in data:  # a DataFrame
                parts.append(str(data["text/plain"]))
            continue
        for kind in ("text/markdown", "text/plain"):
            if kind in data:
                parts.append(str(data[kind]))
                break
    return "\n\n".join(parts)


def findings(path: Path) -> list[tuple[int, str, str]]:
    """(cell index, "markdown", "output" or "table", what was found) for one notebook: the English
    runs of markdown and outputs, and the :func:`table_slips` of the tables a cell displays."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            text = cell.source.split("参考文献")[0]
            where = "markdown"
        elif cell.cell_type == "code":
            text, where = strip_glosses(strip_sql(_output_text(cell))), "output"
            found += [(index, "table", slip) for slip in table_slips(_output_text(cell, tables_only=True))]
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
