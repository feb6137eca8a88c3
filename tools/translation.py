"""Keep a translated edition in step with the English notebooks, cell by cell.

    python tools/translation.py status [--lang zh]        # every translated notebook: cells current, stale, ...
    python tools/translation.py diff PATH                 # what changed in English since each stale cell was translated
    python tools/translation.py start NN [--lang zh] [--kind chapter|solution]
                                                          # a new translation: the English notebook, every cell to translate
    python tools/translation.py mark PATH [--cell ID ...] # record that these cells now translate the current English
    python tools/translation.py md-status                 # every translated Markdown file: stale sections
    python tools/translation.py md-stamp PATH             # record that a Markdown translation is up to date

The English notebook is the source; a translation (``zh/notebooks/NN_topic.ipynb``,
see :func:`crmlib.course.notebook_path`) has the same cells in the same order,
paired by their cell ids. Each translated cell keeps, in its metadata, the English
text it was made from::

    "metadata": {"translation": {"source": "## 2. The CLV formula ..."}}

so that when the English cell changes, the cell is *stale* and ``diff`` shows the
translator exactly what changed in English (a readable text diff, not a JSON one).
Code cells are the same program in both editions: only their strings (titles, notes,
``set_language("zh")``) may differ, which :func:`code_skeleton` checks. The
navigation cell is written per edition by ``tools/navigation.py`` and is not paired.

A cell is

- ``current``: translated from the English text the English cell holds now;
- ``stale``: translated from an older English text (``diff`` shows the change);
- ``untranslated``: not translated yet (``start`` leaves every cell so);
- ``mismatch``: not the same cell as in English (another id or type, or, for
  code, another program): the notebooks have drifted apart and must be re-paired.

The notebook tests fail unless every cell of every translation is ``current``.

Markdown pages (the READMEs, the instructors' guides) are kept in step by section.
A translated page starts with one HTML comment naming its English source and the
short hash of each section of that source as it was when the page was translated:
first the text before the first ``##`` heading, then each ``##`` section::

    <!-- translation of instructors/04_customer_value_clv.md: 1a2b3c4d 5e6f7a8b ... -->

``md-status`` names each section whose English changed since (file, English heading),
and a translation with another number of ``##`` sections than its source; ``md-stamp``
records the current hashes once a translator has revised those sections.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmlib.course import chapters, edition_root, notebook_path  # noqa: E402
from crmlib.language import LANGUAGES  # noqa: E402

#: The languages that are translations of the English source.
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")
NAVIGATION_TAG = "navigation"
STATES = ("current", "stale", "untranslated", "mismatch")


@dataclass(frozen=True)
class CellStatus:
    """How one cell of a translation stands against its English source."""

    index: int
    cell_id: str
    state: str
    reason: str = ""


class _MaskStrings(ast.NodeTransformer):
    """Every text becomes the same empty string: what is left is the program."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant(""), node)
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return ast.copy_location(ast.Constant(""), node)


def code_skeleton(source: str) -> str:
    """The code of a cell with every string emptied: equal in English and in translation.

    Examples
    --------
    >>> code_skeleton('ax = plot(t, title="CLV")') == code_skeleton('ax = plot(t, title="客户生命周期价值")')
    True
    >>> code_skeleton("x = 1") == code_skeleton("x = 2")
    False
    """
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return source
    return ast.dump(_MaskStrings().visit(tree), annotate_fields=False)


def english_path(path: Path) -> Path:
    """The English source of a translated notebook (same kind folder, same name)."""
    relative = path.resolve().relative_to(ROOT)
    for lang in TRANSLATED:
        root = edition_root(lang)
        if relative.parts[: len(root.parts)] == root.parts:
            return ROOT / Path(*relative.parts[len(root.parts) :])
    raise ValueError(f"{relative} is not in a translated edition ({', '.join(map(str, TRANSLATED))})")


def _paired(cell) -> bool:
    return NAVIGATION_TAG not in cell.get("metadata", {}).get("tags", [])


def compare(english: nbformat.NotebookNode, translated: nbformat.NotebookNode) -> list[CellStatus]:
    """The state of every paired cell of ``translated`` against ``english``."""
    source_cells = [c for c in english.cells if _paired(c)]
    target_cells = [c for c in translated.cells if _paired(c)]
    found: list[CellStatus] = []
    for index, (src, dst) in enumerate(zip(source_cells, target_cells, strict=False)):
        cell_id = dst.get("id", "")
        if src.get("id") != dst.get("id") or src.cell_type != dst.cell_type:
            reason = (
                f"English cell {index} is {src.cell_type} {src.get('id')!r}, here {dst.cell_type} {cell_id!r}"
            )
            found.append(CellStatus(index, cell_id, "mismatch", reason))
            continue
        if src.cell_type == "code" and code_skeleton(src.source) != code_skeleton(dst.source):
            found.append(CellStatus(index, cell_id, "mismatch", "the code differs beyond its strings"))
            continue
        recorded = dst.get("metadata", {}).get("translation", {}).get("source")
        if recorded is None:
            found.append(CellStatus(index, cell_id, "untranslated"))
        elif recorded == src.source:
            found.append(CellStatus(index, cell_id, "current"))
        else:
            found.append(CellStatus(index, cell_id, "stale", "the English text changed since"))
    for index in range(len(target_cells), len(source_cells)):
        found.append(CellStatus(index, source_cells[index].get("id", ""), "mismatch", "missing here"))
    for index in range(len(source_cells), len(target_cells)):
        found.append(CellStatus(index, target_cells[index].get("id", ""), "mismatch", "not in English"))
    return found


def translations(lang: str) -> list[Path]:
    """Every chapter and solution notebook of a translated edition."""
    numbers = chapters()["number"]
    paths = [ROOT / notebook_path(n, lang, kind) for kind in ("chapter", "solution") for n in numbers]
    return [p for p in paths if p.exists()]


def status(path: Path) -> list[CellStatus]:
    """:func:`compare` for a translated notebook on disk and its English source."""
    english = nbformat.read(english_path(path), as_version=4)
    return compare(english, nbformat.read(path, as_version=4))


def diff(path: Path) -> str:
    """For each stale cell: the English change since it was translated, and the translation now."""
    english = {c.get("id"): c for c in nbformat.read(english_path(path), as_version=4).cells}
    translated = {c.get("id"): c for c in nbformat.read(path, as_version=4).cells}
    parts = []
    for cell in status(path):
        if cell.state != "stale":
            continue
        old = translated[cell.cell_id]["metadata"]["translation"]["source"]
        new = english[cell.cell_id].source
        change = difflib.unified_diff(
            old.splitlines(), new.splitlines(), "English then", "English now", lineterm=""
        )
        parts.append(
            f"=== cell {cell.index} ({cell.cell_id})\n"
            + "\n".join(change)
            + f"\n--- translation now:\n{translated[cell.cell_id].source}\n"
        )
    return "\n".join(parts)


def start(number: str, lang: str, kind: str = "chapter") -> Path:
    """Write a new translation: the English notebook without outputs, every cell untranslated."""
    source = ROOT / notebook_path(number, "en", kind)
    target = ROOT / notebook_path(number, lang, kind)
    if target.exists():
        raise FileExistsError(f"{target.relative_to(ROOT)} exists: translate it, or delete it first")
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("translation", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


def mark(path: Path, cell_ids: list[str] | None = None) -> list[str]:
    """Record the current English text of cells as what they translate.

    Without ``cell_ids``: every untranslated cell whose text differs from the English
    one (it has been translated), and every code cell (its program is checked
    anyway). Stale cells are marked only when named: read ``diff`` first.
    """
    english = {c.get("id"): c for c in nbformat.read(english_path(path), as_version=4).cells}
    notebook = nbformat.read(path, as_version=4)
    states = {c.cell_id: c.state for c in compare(nbformat.read(english_path(path), as_version=4), notebook)}
    marked = []
    for cell in notebook.cells:
        cell_id = cell.get("id")
        if cell_id not in english or states.get(cell_id) == "mismatch" or not _paired(cell):
            continue
        wanted = cell_ids is not None and cell_id in cell_ids
        automatic = cell_ids is None and states.get(cell_id) == "untranslated"
        automatic = automatic and (cell.cell_type == "code" or cell.source != english[cell_id].source)
        if wanted or automatic:
            cell.metadata["translation"] = {"source": english[cell_id].source}
            marked.append(cell_id)
    if cell_ids is not None:
        unknown = sorted(set(cell_ids) - set(marked))
        if unknown:
            raise ValueError(f"no pairable cell with id {', '.join(unknown)} in {path.name}")
    nbformat.write(copy.deepcopy(notebook), path)
    return marked


# --------------------------------------------------------------------------- Markdown pages

#: The translated Markdown pages (patterns relative to the repository): each starts with its stamp.
MARKDOWN_TRANSLATIONS = (
    "README.zh-CN.md",
    "zh/exercises/README.md",
    "zh/instructors/*.md",
    "zh/datasets/README.md",
    "zh/datasets/demo/README.md",
)
#: English pages every one of which must have a translation, at the same name under ``zh/``.
MARKDOWN_SOURCES = ("instructors/*.md", "datasets/README.md", "datasets/demo/README.md")
STAMP = re.compile(r"\A<!-- translation of (\S+): ([0-9a-f ]*)-->\n")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class SectionStatus:
    """A section of a translated Markdown page that is not in step with its English source."""

    path: Path
    heading: str  # the English heading ("(before the first ## heading)" for the top of the page)
    state: str  # "stale", "unstamped" or "mismatch"
    reason: str = ""


def sections(text: str) -> list[tuple[str, str]]:
    """A Markdown text cut at its ``##`` headings (not inside code blocks): (heading, text) pairs,
    the first for the text before the first ``##`` heading, without a stamp.

    Examples
    --------
    >>> [h for h, _ in sections("# Title\\n\\nIntro\\n## One\\n```\\n## code\\n```\\n### Sub\\n## Two\\n")]
    ['', 'One', 'Two']
    """
    text = STAMP.sub("", text, count=1)
    found: list[tuple[str, list[str]]] = [("", [])]
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            found.append((line[3:].strip(), []))
        found[-1][1].append(line)
    return [(heading, "\n".join(lines)) for heading, lines in found]


def section_hash(text: str) -> str:
    """The short hash of a section: its lines without trailing spaces, blank lines at its ends dropped."""
    lines = "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()[:8]


def stamp_of(path: Path) -> tuple[str, list[str]] | None:
    """The English source a translated page names and the hashes it recorded; None without a stamp."""
    match = STAMP.match(path.read_text(encoding="utf-8"))
    return (match.group(1), match.group(2).split()) if match else None


def markdown_translations() -> list[Path]:
    return sorted({p for pattern in MARKDOWN_TRANSLATIONS for p in ROOT.glob(pattern)})


def markdown_twin(source: Path, lang: str = TRANSLATED[0]) -> Path:
    """Where the translation of an English page lives: the same path under the edition's folder."""
    return ROOT / edition_root(lang) / source.resolve().relative_to(ROOT)


def markdown_status(path: Path) -> list[SectionStatus]:
    """What is not in step in one translated page: no stamp, another number of sections than the
    English source, or each section whose English text changed since the stamp."""
    stamp = stamp_of(path)
    if stamp is None:
        return [SectionStatus(path, "", "unstamped", "no '<!-- translation of ... -->' line at the top")]
    source, recorded = stamp
    if not (ROOT / source).exists():
        return [SectionStatus(path, "", "mismatch", f"its English source {source} does not exist")]
    english = sections((ROOT / source).read_text(encoding="utf-8"))
    translated = sections(path.read_text(encoding="utf-8"))
    if len(translated) != len(english):
        reason = f"{len(translated) - 1} ## sections here, {len(english) - 1} in {source}"
        return [SectionStatus(path, "", "mismatch", reason)]
    if len(recorded) != len(english):
        reason = f"the stamp records {len(recorded)} sections, {source} has {len(english)}: revise and stamp"
        return [SectionStatus(path, "", "mismatch", reason)]
    return [
        SectionStatus(path, heading or "(before the first ## heading)", "stale", f"{source} changed")
        for (heading, text), old in zip(english, recorded, strict=True)
        if section_hash(text) != old
    ]


def markdown_problems() -> list[SectionStatus]:
    """Every translated page's :func:`markdown_status`, and every English page without a translation."""
    found = [s for path in markdown_translations() for s in markdown_status(path)]
    for pattern in MARKDOWN_SOURCES:
        for source in sorted(ROOT.glob(pattern)):
            twin = markdown_twin(source)
            if not twin.exists():
                found.append(
                    SectionStatus(twin, "", "missing", f"{source.relative_to(ROOT)} has no translation")
                )
    return found


def md_stamp(path: Path, source: str | None = None) -> list[str]:
    """Record the current hashes of the English source's sections at the top of a translated page.

    The source is the one the page names already, or ``source`` for a new translation; the page
    must have as many ``##`` sections as the source.
    """
    stamp = stamp_of(path)
    source = source or (stamp[0] if stamp else None)
    if source is None:
        raise ValueError(f"{path.name} names no English source: give it (md-stamp PATH --source FILE)")
    english = sections((ROOT / source).read_text(encoding="utf-8"))
    text = STAMP.sub("", path.read_text(encoding="utf-8"), count=1)
    if len(sections(text)) != len(english):
        raise ValueError(
            f"{path.name} has {len(sections(text)) - 1} ## sections, {source} has {len(english) - 1}: "
            "translate section by section"
        )
    hashes = [section_hash(body) for _, body in english]
    path.write_text(f"<!-- translation of {source}: {' '.join(hashes)} -->\n{text}", encoding="utf-8")
    return hashes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("status", help="every translated notebook: how its cells stand")
    show.add_argument("--lang", choices=TRANSLATED, action="append")
    commands.add_parser("diff", help="English changes since the stale cells were translated").add_argument(
        "path"
    )
    begin = commands.add_parser("start", help="a new translation of chapter NN")
    begin.add_argument("number")
    begin.add_argument("--lang", choices=TRANSLATED, default=TRANSLATED[0])
    begin.add_argument("--kind", choices=("chapter", "solution"), default="chapter")
    record = commands.add_parser("mark", help="record cells as translating the current English")
    record.add_argument("path")
    record.add_argument("--cell", action="append", help="a cell id (default: every newly translated cell)")
    commands.add_parser("md-status", help="every translated Markdown page: sections whose English changed")
    stamp = commands.add_parser("md-stamp", help="record that a Markdown translation is up to date")
    stamp.add_argument("path")
    stamp.add_argument(
        "--source", help="the English page, for a new translation (e.g. instructors/00_course_guide.md)"
    )
    args = parser.parse_args(argv)

    if args.command == "status":
        problems = 0
        for lang in args.lang or TRANSLATED:
            paths = translations(lang)
            print(f"[{lang}] {len(paths)} translated notebooks")
            for path in paths:
                cells = status(path)
                counts = {state: sum(c.state == state for c in cells) for state in STATES}
                summary = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
                print(f"  {path.relative_to(ROOT)}: {summary}")
                for cell in cells:
                    if cell.state != "current":
                        print(f"    cell {cell.index} ({cell.cell_id}): {cell.state} {cell.reason}".rstrip())
                problems += len(cells) - counts["current"]
        return 1 if problems else 0
    if args.command == "md-status":
        found = markdown_problems()
        print(f"{len(markdown_translations())} translated Markdown pages, {len(found)} problems")
        for problem in found:
            where = f" section '{problem.heading}'" if problem.heading else ""
            print(f"  {problem.path.relative_to(ROOT)}:{where} {problem.state}: {problem.reason}")
        return 1 if found else 0
    if args.command == "md-stamp":
        hashes = md_stamp(Path(args.path).resolve(), args.source)
        print(f"stamped {args.path}: {len(hashes)} sections")
        return 0
    if args.command == "diff":
        print(diff(Path(args.path)) or "no stale cells")
        return 0
    if args.command == "start":
        print(f"wrote {start(args.number, args.lang, args.kind).relative_to(ROOT)}")
        return 0
    marked = mark(Path(args.path), args.cell)
    print(f"marked {len(marked)} cells: {', '.join(marked)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
