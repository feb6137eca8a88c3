"""Student-facing text cites the course's sources by their real titles, never by the file names
of the source material ("seed 002"), and never as "the syllabus" or "the lecture": a reader has
none of these (COURSE_MAP, "Citing the course sources").

Scanned: every notebook (markdown, code and printed outputs: figure titles and source notes live
in code), the exercise banks' texts (hints, slips, checklists, options), the bilingual data
tables (glossary, concept tables, messages) and the READMEs a student opens."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Source-material jargon. "seed" alone stays allowed: a random seed is a real concept.
JARGON = re.compile(
    r"\bseeds?\s?0\d\d\b|\bcourse seeds?\b|\bseed (?:question|slides|material|file)s?\b"
    r"|\bthe syllabus\b|\bthe lecture(?:'s|s)?\b|\blecture (?:notes|slides)\b",
    re.IGNORECASE,
)


def _notebook_texts(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        texts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            texts.extend(
                "".join(value) for key, value in output.get("data", {}).items() if key.startswith("text/")
            )
    return texts


def _python_strings(path: Path) -> list[str]:
    """The string constants of a module (the texts a student sees), not its comments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _sources() -> list[tuple[str, list[str]]]:
    found = []
    for path in sorted(ROOT.glob("notebooks/**/*.ipynb")) + sorted(ROOT.glob("exercises/**/*.ipynb")):
        found.append((str(path.relative_to(ROOT)), _notebook_texts(path)))
    for path in sorted((ROOT / "crmlib" / "exercises" / "banks").glob("*.py")):
        found.append((str(path.relative_to(ROOT)), _python_strings(path)))
    for path in sorted((ROOT / "crmlib" / "data").rglob("*.csv")):
        found.append((str(path.relative_to(ROOT)), [path.read_text(encoding="utf-8")]))
    for path in [ROOT / "README.md", ROOT / "README.zh-CN.md", ROOT / "zh" / "README.md", ROOT / "zh" / "exercises" / "README.md",
                 ROOT / "exercises" / "README.md",
                 ROOT / "datasets" / "README.md"]:  # fmt: skip
        if path.exists():
            found.append((str(path.relative_to(ROOT)), [path.read_text(encoding="utf-8")]))
    return found


SOURCES = _sources()


def jargon_in(texts: list[str]) -> list[str]:
    return sorted({match.group(0) for text in texts for match in JARGON.finditer(text)})


@pytest.mark.parametrize(("name", "texts"), SOURCES, ids=[name for name, _ in SOURCES])
def test_sources_are_cited_by_their_titles_not_by_file_names(name, texts):
    found = jargon_in(texts)
    assert not found, f"{name} says {found}: cite the source by its title (COURSE_MAP) or not at all"


@pytest.mark.parametrize(
    "text",
    [
        "as seed 002 puts it",
        "(seed 000)",
        "course seeds 000 and 004",
        "Seed question 3",
        "the syllabus asks for",
        "the lecture's definition",
        "see the lecture notes",
    ],
)
def test_the_scan_finds_source_jargon(text):
    assert jargon_in([text]), text


def test_the_scan_lets_random_seeds_and_real_titles_through():
    texts = [
        "simulated 10,000 times (seeded)",
        "rng = np.random.default_rng(seed=42)",
        "《网络营销》精品课程，第8章 客户关系管理",
        "a lecturer preparing a class",
    ]
    assert jargon_in(texts) == []


def test_the_scan_reads_every_kind_of_student_text():
    kinds = {name.split("/")[0] for name, _ in SOURCES}
    assert {"notebooks", "exercises", "crmlib", "README.md"} <= kinds
    assert sum(name.startswith("crmlib/exercises/banks/") for name, _ in SOURCES) >= 10


#: A table cell pandas cut short: its text ends in "..." inside the cell.
TRUNCATED_CELL = re.compile(r"<td>[^<]*\.\.\.</td>")


def _html_outputs(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(
        "".join(output.get("data", {}).get("text/html", ""))
        for cell in cells
        for output in cell.get("outputs", [])
    )


NOTEBOOKS = sorted(ROOT.glob("notebooks/**/*.ipynb")) + sorted(ROOT.glob("exercises/**/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_no_table_cell_is_cut_short(path):
    cut = TRUNCATED_CELL.findall(_html_outputs(path))
    assert not cut, (
        f"{len(cut)} table cells cut short, e.g. {cut[0]}: does the notebook call crmlib.set_style()?"
    )


def test_set_style_shows_whole_cells():
    import pandas as pd

    import crmlib

    long_text = "attracting, maintaining and enhancing customer relationships " * 2
    with pd.option_context("display.max_colwidth", 50):
        assert TRUNCATED_CELL.search(pd.DataFrame({"definition": [long_text]})._repr_html_())
        crmlib.set_style()
        assert not TRUNCATED_CELL.search(pd.DataFrame({"definition": [long_text]})._repr_html_())
