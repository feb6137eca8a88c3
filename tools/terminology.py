"""One term per concept: find, and fix, the Chinese terms the terminology table avoids.

    python tools/terminology.py --check                 # every use of an avoided term, and half-width marks
    python tools/terminology.py --check PATH [PATH ...] # only these files
    python tools/terminology.py --fix PATH [PATH ...]   # rewrite avoided terms in these banks and notebooks

The table is ``crmlib/data/terminology.csv``: one row per concept, with its glossary
key(s) (``|``-separated where several glossary keys name one concept), the English
term, the one Chinese term (``zh``), the ``alternatives`` other texts use, the terms
to ``avoid`` in our text, and a ``note`` saying why. ``--check`` walks the Chinese
text of the glossary, the concept tables, the message catalogues, the string
literals of ``crmlib``, the ``zh`` strings of the question banks, the notebooks
(markdown, code and outputs) and the figures' alt text (``book/alt_text.csv``) and prints, for each use of an avoided term, the file,
the line or cell, the term and the preferred term; then every half-width
``? , : ; ( )`` between Chinese characters; then every bold or italic of Chinese
Markdown that a CommonMark renderer (JupyterLab, the book) shows as asterisks, as in
``**客户关系管理（CRM）**课程``. It exits with 1 when it found any.

``--fix`` rewrites avoided terms to the preferred term in the ``zh`` strings of the
given question banks (``crmlib/exercises/banks/chNN.py``) and in the markdown and
code cells of the given notebooks (not their outputs: those come from re-executing
the notebook). Read the diff: a rewrite is a word for a word, and a sentence may
need a better one.

Not everything that contains an avoided term is a use of it: quotations of source
titles (anything in 《》, and the titles in :data:`SOURCE_TITLES`) are left alone,
and :data:`ALLOWED` lists the few places where the note of the table keeps a term
(顾客 in chapter 02's contrast of customer with client).
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import re
import sys
import tokenize
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "crmlib" / "data" / "terminology.csv"
COLUMNS = ["key", "en", "zh", "alternatives", "avoid", "note"]

#: Titles of the course's sources, quoted as they are even where they say 顾客.
SOURCE_TITLES = ("顾客关系管理的性质和功能", "顾客满意与顾客关系管理")

#: Where the table's note keeps an avoided term: (file pattern, term, phrase, reason).
#: An occurrence of ``term`` is allowed when it lies inside ``phrase`` in that file.
ALLOWED = (
    (
        "notebooks/00_course_guide.ipynb",
        "顾客",
        "writes their Chinese names with 顾客, as in 顾客轮廓",
        "chapter 00 says that the 10C report writes its names with 顾客 and the course does not",
    ),
    (
        "notebooks/00_course_guide.ipynb",
        "顾客轮廓",
        "as in 顾客轮廓;",
        "chapter 00 quotes one of the 10C report's names to say the course does not use them",
    ),
    (
        "notebooks/02_relationship_marketing.ipynb",
        "顾客",
        "uses 顾客 as a term",
        "chapter 02's contrast: the one place where 顾客 is a term, said in the text",
    ),
    (
        "crmlib/data/glossary/ch02.csv",
        "顾客",
        "顾客（没有名字的一张脸）",
        "chapter 02's contrast: the glossary term of customer (顾客) against client (客户)",
    ),
    (
        "notebooks/02_relationship_marketing.ipynb",
        "顾客",
        "(顾客)",
        "chapter 02's contrast: customer (顾客) versus client (客户), in the objectives and section 4",
    ),
    (
        "zh/notebooks/02_relationship_marketing.ipynb",
        "顾客",
        "顾客（customer）",
        "chapter 02's contrast in Chinese: 顾客 as a term, in the objectives and section 4",
    ),
    (
        "zh/instructors/02_relationship_marketing.md",
        "顾客",
        "顾客（customer）",
        "chapter 02's contrast in the Chinese teaching guide: the objective and plan that teach it",
    ),
    (
        "zh/instructors/02_relationship_marketing.md",
        "顾客",
        "顾客与客户，三个条件",
        "chapter 02's contrast in the Chinese teaching guide: the step of the 90-minute plan that teaches it",
    ),
    (
        "zh/notebooks/02_relationship_marketing.ipynb",
        "顾客",
        "**顾客**（customer）",
        "chapter 02's contrast in Chinese: 顾客 as a term in bold, its English after the bold (section 4)",
    ),
    (
        "zh/notebooks/02_relationship_marketing.ipynb",
        "顾客",
        "顾客（没有名字的一张脸）",
        "chapter 02's contrast in Chinese: the glossary term of customer (顾客) heading the table of section 4",
    ),
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_OR_FULL = _CJK + "\u3000-\u303f\uff00-\uffef\u201c\u201d"
#: A half-width mark between two Chinese characters (full-width marks count as Chinese).
HALF_WIDTH = re.compile(rf"(?<=[{_CJK_OR_FULL}])[?,:;()](?=[{_CJK_OR_FULL}])")
HAS_CJK = re.compile(rf"[{_CJK}]")
#: Where a half-width mark between Chinese characters is meant: (file pattern, phrase, reason).
ALLOWED_HALF_WIDTH = (
    (
        "crmlib/language.py",
        "提示:请先汇总(.sum())",
        "the example of half_width_punctuation: the marks it reports",
    ),
    ("crmlib/language.py", "['示:请先', '总(.s']", "the example of half_width_punctuation: what it returns"),
)
#: A bracket holding a gloss of the term (a unit, a range, a symbol): dropped from the preferred word.
_TRAILING_GLOSS = re.compile(r"(（[^（）]*）|\s+[A-Za-zδ]+)$")

#: Endings of a term that an avoided word without them does not replace.
GENERIC_SUFFIXES = ("策略", "分析", "模型")

#: The files each kind of text lives in (relative to the repository).
GLOSSARY = "crmlib/data/glossary/ch*.csv"
CONCEPTS = "crmlib/data/concepts/*.csv"
MESSAGES = "crmlib/data/messages/*.csv"
#: The other tables of crmlib/data (the chapter list, the 10C map), not the terminology table itself.
DATA = "crmlib/data/*.csv"
CONTENTS = (
    "README.md",
    "README.zh-CN.md",
    "zh/README.md",
    "zh/exercises/README.md",
    "zh/instructors/*.md",
    "datasets/README.md",  # its short Chinese summary
    "zh/datasets/README.md",
    "zh/datasets/demo/README.md",
)
BANKS = "crmlib/exercises/banks/ch*.py"
NOTEBOOKS = ("notebooks/*.ipynb", "exercises/**/*.ipynb", "zh/notebooks/*.ipynb", "zh/exercises/**/*.ipynb")
#: The alt text of every figure (``tools/alt_text.py``), read by its ``zh`` column.
ALT_TEXT = "book/alt_text.csv"


@dataclass(frozen=True)
class Term:
    """One row of the terminology table."""

    keys: tuple[str, ...]
    en: str
    zh: str
    alternatives: tuple[str, ...]
    avoid: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Text:
    """A piece of Chinese text: its file (relative), where in the file, and the text."""

    path: str
    where: str
    text: str
    line: int = 1


@dataclass(frozen=True)
class Finding:
    """One use of an avoided term, or one half-width mark, in a text."""

    path: str
    where: str
    term: str
    preferred: str
    snippet: str

    def __str__(self) -> str:
        if self.preferred:
            return f"{self.path}:{self.where}: {self.term} -> {self.preferred}   …{self.snippet}…"
        if self.term == "*":
            return f"{self.path}:{self.where}: bold or italic shown as asterisks   …{self.snippet}…"
        return f"{self.path}:{self.where}: half-width {self.term!r}   …{self.snippet}…"


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def read_table(path: Path = TABLE) -> list[Term]:
    """The terminology table, one :class:`Term` per concept."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path.name} must have the columns {COLUMNS}, has {reader.fieldnames}")
        return [
            Term(_split(r["key"]), r["en"], r["zh"], _split(r["alternatives"]), _split(r["avoid"]), r["note"])
            for r in reader
        ]


def preferred_word(zh: str) -> str:
    """The term without its trailing gloss: ``'中立者（7–8分）'`` -> ``'中立者'``, ``'观察时长 T'`` -> ``'观察时长'``."""
    return _TRAILING_GLOSS.sub("", zh).strip() or zh


def avoided(terms: list[Term] | None = None) -> dict[str, str]:
    """Every avoided term and the word to write instead, longest first."""
    terms = read_table() if terms is None else terms
    found = {}
    for t in terms:
        for word in t.avoid:
            preferred = preferred_word(t.zh)
            for (
                suffix
            ) in GENERIC_SUFFIXES:  # 以牙还牙 -> 针锋相对, not 针锋相对策略 (the text goes on: 以牙还牙策略)
                if preferred.endswith(suffix) and not word.endswith(suffix) and len(preferred) > len(suffix):
                    preferred = preferred[: -len(suffix)]
            found[word] = preferred
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


# --------------------------------------------------------------------------- the texts


def _rel(path: Path) -> str:
    """The path relative to the repository (as given, when it lies outside)."""
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def csv_texts(path: Path) -> Iterator[Text]:
    """The Chinese cells of a table: the columns ``zh`` and ``*_zh``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        label = row.get("key") or row.get(next(iter(row)), "")
        for column, value in row.items():
            if column and (column == "zh" or column.endswith("_zh")) and value and HAS_CJK.search(value):
                yield Text(_rel(path), f"{number} ({label}, {column})", value, number)


def _string_nodes(source: str) -> Iterator[tuple[ast.Constant, bool]]:
    """Every string constant of a module, and whether it is the value of a ``"zh"`` key."""
    tree = ast.parse(source)
    zh_values = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "zh":
                    zh_values.add(id(value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node, id(node) in zh_values


def python_texts(path: Path, zh_only: bool = False) -> Iterator[Text]:
    """The Chinese string literals of a module (docstrings included), or only its ``"zh"`` values."""
    for node, is_zh in _string_nodes(path.read_text(encoding="utf-8")):
        if (is_zh or not zh_only) and HAS_CJK.search(node.value):
            yield Text(_rel(path), f"{node.lineno}", node.value, node.lineno)


def _output_texts(output: dict) -> Iterator[str]:
    if output.get("output_type") == "stream":
        yield output.get("text", "")
    data = output.get("data", {})
    for mime in ("text/plain", "text/markdown"):
        if mime in data:
            yield data[mime]
    if "text/html" in data and "text/plain" not in data:
        yield data["text/html"]


def notebook_texts(path: Path, outputs: bool = True) -> Iterator[Text]:
    """The text of a notebook's cells (markdown and code) and, with ``outputs``, of their outputs."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        name = f"cell {index} ({cell.get('id', '?')})"
        if HAS_CJK.search(cell.source):
            yield Text(_rel(path), f"{name} {cell.cell_type}", cell.source)
        if outputs and cell.cell_type == "code":
            for output in cell.get("outputs", []):
                for text in _output_texts(output):
                    text = "".join(text) if isinstance(text, list) else text
                    if HAS_CJK.search(text):
                        yield Text(_rel(path), f"{name} output", text)


def is_bank(rel: str) -> bool:
    """Whether a file is a question bank (whose ``"zh"`` strings are its Chinese text)."""
    return fnmatch(rel, BANKS) or fnmatch(rel, "*/" + BANKS)


def files(patterns: tuple[str, ...] | str) -> list[Path]:
    patterns = (patterns,) if isinstance(patterns, str) else patterns
    return sorted({p for pattern in patterns for p in ROOT.glob(pattern)})


def texts_of(path: Path) -> Iterator[Text]:
    """The Chinese texts of one file, read by its kind."""
    rel = _rel(path)
    if path.suffix == ".ipynb":
        yield from notebook_texts(path)
    elif path.suffix == ".csv":
        yield from csv_texts(path)
    elif is_bank(rel):
        yield from python_texts(path, zh_only=True)
    elif path.suffix == ".py":
        yield from python_texts(path)
    elif path.suffix == ".md":
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if HAS_CJK.search(line):
                yield Text(rel, str(number), line, number)


def course_files() -> list[Path]:
    """Every file whose Chinese text the terminology covers."""
    modules = [p for p in files("crmlib/**/*.py") if not is_bank(_rel(p))]
    data = [p for p in files(DATA) if p != TABLE]
    return [
        *files(GLOSSARY),
        *files(CONCEPTS),
        *files(MESSAGES),
        *data,
        *files(CONTENTS),
        *modules,
        *files(BANKS),
        *files(NOTEBOOKS),
        *files(ALT_TEXT),
    ]


# --------------------------------------------------------------------------- the scan


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans that quote a source: 《...》 and the titles of :data:`SOURCE_TITLES`."""
    spans = [m.span() for m in re.finditer(r"《[^》]*》", text)]
    for title in SOURCE_TITLES:
        spans += [m.span() for m in re.finditer(re.escape(title), text)]
    return spans


def _allowed_spans(text: Text) -> list[tuple[int, int, str]]:
    spans = []
    for pattern, term, phrase, _ in ALLOWED:
        if fnmatch(text.path, pattern):
            for m in re.finditer(re.escape(phrase), text.text):
                spans.append((m.start(), m.end(), term))
    return spans


def _matches(text: Text, table: dict[str, str]) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, term, preferred) of each avoided term that is neither quoted nor allowed."""
    taken: list[tuple[int, int]] = list(_protected(text.text))
    allowed = _allowed_spans(text)
    for word, preferred in table.items():
        for m in re.finditer(re.escape(word), text.text):
            start, end = m.span()
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            if any(s <= start and end <= e and t == word for s, e, t in allowed):
                continue
            yield start, end, word, _named_in_english(text.text, start, end) or preferred


@cache
def _by_english() -> dict[str, str]:
    return {t.en.lower(): preferred_word(t.zh) for t in read_table()}


def _named_in_english(text: str, start: int, end: int) -> str | None:
    """The term of the concept an English name in front of the bracket names: in
    ``**buyer (顾客)**`` 顾客 is the buyer (购买者), not the customer (客户)."""
    if start == 0 or text[start - 1] not in "(（" or text[end : end + 1] not in ")）":
        return None
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", text[max(0, start - 60) : start - 1].split("*")[-1])
    for first in range(max(0, len(words) - 4), len(words)):
        name = " ".join(words[first:]).lower()
        if name in _by_english():
            return _by_english()[name]
    return None


def _snippet(text: str, start: int, end: int) -> str:
    return text[max(start - 12, 0) : end + 12].replace("\n", " ")


def _line(text: Text, start: int) -> str:
    if text.path.endswith(".ipynb"):
        return f"{text.where}, line {text.text.count(chr(10), 0, start) + 1}"
    if text.path.endswith(".py"):
        return str(text.line + text.text.count("\n", 0, start))
    return text.where


def scan_text(text: Text, table: dict[str, str] | None = None) -> list[Finding]:
    """The avoided terms in one text."""
    table = avoided() if table is None else table
    return [
        Finding(text.path, _line(text, start), word, preferred, _snippet(text.text, start, end))
        for start, end, word, preferred in sorted(_matches(text, table))
    ]


def half_width_in(text: Text) -> list[Finding]:
    """Half-width ``? , : ; ( )`` between Chinese characters in one text."""
    allowed = [
        m.span()
        for pattern, phrase, _ in ALLOWED_HALF_WIDTH
        if fnmatch(text.path, pattern)
        for m in re.finditer(re.escape(phrase), text.text)
    ]
    return [
        Finding(text.path, _line(text, m.start()), m.group(), "", _snippet(text.text, m.start(), m.end()))
        for m in HALF_WIDTH.finditer(text.text)
        if not any(s <= m.start() < e for s, e in allowed)
    ]


def _is_markdown(text: Text) -> bool:
    """Whether a text is shown as Markdown: a Markdown cell or output, a .md file, a bank's hint."""
    return text.where.endswith((" markdown", " output")) or text.path.endswith(".md") or is_bank(text.path)


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _mispaired_bold(text: Text, paragraph: str) -> list[Finding]:
    """``**`` marks of one paragraph that cannot do their part: the 1st, 3rd… must open a bold,
    the 2nd, 4th… close it (CommonMark's flanking rules). A bold that cannot close pairs with the
    next opener instead and turns the text between two bolds bold, with no asterisk left to see."""
    paragraph = re.sub(
        r"`[^`]*`|\$[^$]*\$", lambda m: m.group()[0] + "x" * (len(m.group()) - 2) + m.group()[-1], paragraph
    )
    findings = []
    for number, mark in enumerate(re.finditer(r"(?<!\*)\*\*(?!\*)", paragraph)):
        before = paragraph[mark.start() - 1] if mark.start() else " "
        after = paragraph[mark.end()] if mark.end() < len(paragraph) else " "
        if (
            number % 2 == 0
        ):  # must open: not followed by a space; after a mark only if a space or mark precedes
            able = not after.isspace() and (
                not _punctuation(after) or before.isspace() or _punctuation(before)
            )
        else:  # must close: the mirror image
            able = not before.isspace() and (
                not _punctuation(before) or after.isspace() or _punctuation(after)
            )
        if not able:
            snippet = paragraph[max(0, mark.start() - 20) : mark.end() + 10]
            findings.append(Finding(text.path, text.where, "*", "", snippet))
    return findings


def unrendered_emphasis_in(text: Text) -> list[Finding]:
    """``*`` and ``**`` that Markdown shows as asterisks instead of italic or bold.

    CommonMark (JupyterLab, the book) closes ``**`` after a full-width mark only when a space or a
    mark follows: ``**客户关系管理（CRM）**课程`` stays as typed. The text is parsed as a reader's
    Markdown renderer parses it, and an asterisk left in its plain text (outside code and ``$...$``)
    is a finding.
    """
    if "*" not in text.text or not _is_markdown(text):
        return []
    from markdown_it import MarkdownIt  # the parser of the book (MyST), CommonMark

    findings = []
    for token in MarkdownIt("commonmark").enable("table").parse(text.text):
        if token.type == "inline":
            findings += _mispaired_bold(text, token.content)
    source = re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$", "MATH", text.text, flags=re.S)  # formulas are not Markdown
    for token in MarkdownIt("commonmark").enable("table").parse(source):
        for child in token.children or []:
            plain = child.content if child.type == "text" else ""
            if plain.count("*") >= 2:  # a pair left as typed (one asterisk alone, as in δ*, is a symbol)
                at = text.text.find(child.content)
                snippet = _snippet(text.text, at, at + len(child.content)) if at >= 0 else child.content[:40]
                findings.append(Finding(text.path, _line(text, max(at, 0)), "*", "", snippet))
    return findings


def scan(paths: list[Path] | None = None, table: dict[str, str] | None = None) -> list[Finding]:
    """Every use of an avoided term in ``paths`` (default: every course file)."""
    table = avoided() if table is None else table
    return [
        f for path in (paths or course_files()) for text in texts_of(path) for f in scan_text(text, table)
    ]


def scan_half_width(paths: list[Path] | None = None) -> list[Finding]:
    """Every half-width mark between Chinese characters in ``paths`` (default: every course file)."""
    return [f for path in (paths or course_files()) for text in texts_of(path) for f in half_width_in(text)]


def scan_emphasis(paths: list[Path] | None = None) -> list[Finding]:
    """Every bold or italic of Chinese text that Markdown cannot render, in ``paths`` (default: all)."""
    return [
        f
        for path in (paths or course_files())
        for text in texts_of(path)
        for f in unrendered_emphasis_in(text)
    ]


# --------------------------------------------------------------------------- the fix


def fix_text(text: Text, table: dict[str, str]) -> str:
    """``text`` with every avoided term (not quoted, not allowed) replaced by the preferred one."""
    result, written = text.text, set()
    for start, end, _, preferred in sorted(_matches(text, table), reverse=True):
        result = result[:start] + preferred + result[end:]
        written.add(preferred)
    # 保留期（验证期） became 验证期（验证期）, 顾客区隔 / 客户细分 became 客户细分 / 客户细分: say it once
    for preferred in written:
        for twice in (
            f"{preferred}（{preferred}）",
            f"{preferred} ({preferred})",
            f"{preferred} / {preferred}",
        ):
            result = result.replace(twice, preferred)
    return result


def fix_bank(path: Path, table: dict[str, str]) -> int:
    """Rewrite the ``zh`` strings of a question bank in place; return the number of strings changed."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)

    def column(line: int, byte_offset: int) -> int:  # ast counts UTF-8 bytes, tokenize characters
        return len(lines[line - 1].encode("utf-8")[:byte_offset].decode("utf-8"))

    zh_spans = [
        (
            (node.lineno, column(node.lineno, node.col_offset)),
            (node.end_lineno, column(node.end_lineno, node.end_col_offset)),
        )
        for node, is_zh in _string_nodes(source)
        if is_zh
    ]
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    changed = 0
    for token in reversed(tokens):
        if token.type != tokenize.STRING or token.start[0] != token.end[0]:
            continue
        if not any(start <= token.start and token.end <= end for start, end in zh_spans):
            continue
        value = ast.literal_eval(token.string)
        if not isinstance(value, str) or not HAS_CJK.search(value):
            continue
        new = fix_text(Text(_rel(path), str(token.start[0]), value, token.start[0]), table)
        if new == value:
            continue
        row, (c0, c1) = token.start[0] - 1, (token.start[1], token.end[1])
        if not token.string.startswith('"'):
            print(
                f"{_rel(path)}:{token.start[0]}: not a plain double-quoted string, fix it by hand",
                file=sys.stderr,
            )
            continue
        replaced = json.dumps(new, ensure_ascii=False)
        lines[row] = lines[row][:c0] + replaced + lines[row][c1:]
        changed += 1
    path.write_text("".join(lines), encoding="utf-8")
    return changed


def fix_notebook(path: Path, table: dict[str, str]) -> int:
    """Rewrite the markdown and code cells of a notebook in place; return the number of cells changed."""
    notebook = nbformat.read(path, as_version=4)
    changed = 0
    for index, cell in enumerate(notebook.cells):
        text = Text(_rel(path), f"cell {index}", cell.source)
        new = fix_text(text, table)
        if new != cell.source:
            cell.source = new
            changed += 1
    if changed:
        nbformat.write(notebook, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="list every use of an avoided term")
    mode.add_argument(
        "--fix", action="store_true", help="rewrite avoided terms in the given banks and notebooks"
    )
    parser.add_argument("paths", nargs="*", help="files (default for --check: every course file)")
    args = parser.parse_args(argv)
    table = avoided()
    paths = [Path(p).resolve() for p in args.paths]
    if args.fix:
        if not paths:
            parser.error("--fix needs the files to rewrite")
        for path in paths:
            if path.suffix == ".ipynb":
                print(f"{_rel(path)}: {fix_notebook(path, table)} cells rewritten")
            elif is_bank(_rel(path)):
                print(f"{_rel(path)}: {fix_bank(path, table)} strings rewritten")
            else:
                parser.error(f"--fix rewrites question banks and notebooks only, not {_rel(path)}")
        return 0
    findings = scan(paths or None, table)
    marks = scan_half_width(paths or None)
    emphasis = scan_emphasis(paths or None)
    for finding in [*findings, *marks, *emphasis]:
        print(finding)
    print(
        f"{len(findings)} uses of avoided terms, {len(marks)} half-width marks between Chinese characters, "
        f"{len(emphasis)} bold or italic that Markdown cannot render"
    )
    return 1 if findings or marks or emphasis else 0


if __name__ == "__main__":
    sys.exit(main())
