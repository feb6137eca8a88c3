"""Every relative link in the repository's Markdown files and notebooks points to a file that
exists, and to a heading that exists where it names one (``README.md#chapters``)."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(
    r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<img[^>]+src=\"([^\"]+)\"|!\[[^\]]*\]\(([^)\s]+)\)"
)
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)


def tracked(pattern: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", pattern], cwd=ROOT, capture_output=True, text=True, check=True
    )
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", pattern],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return sorted({ROOT / line for line in (listed.stdout + untracked.stdout).splitlines() if line})


def markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = "".join(ch for ch in text if ch in " -" or unicodedata.category(ch)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(h) for h in HEADING.findall(markdown_of(path))}


DOCUMENTS = [p for p in tracked("*.md") + tracked("*.ipynb") if ".venv" not in p.parts]


def links(path: Path) -> list[str]:
    text = markdown_of(path)
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks are code, not links
    found = []
    for match in LINK.finditer(text):
        target = next(g for g in match.groups() if g)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
            continue  # a web address or mailto: not a file of the repository
        found.append(target)
    return found


def test_the_documents_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in DOCUMENTS}
    assert {"README.md", "CONTRIBUTING.md", "notebooks/00_course_guide.ipynb"} <= names


def test_the_slugs_follow_github():
    assert slug("Chapters") == "chapters"
    assert slug("1 Files, and where each language lives") == "1-files-and-where-each-language-lives"
    assert slug("章节") == "章节"


def broken_links(path: Path) -> list[str]:
    broken = []
    for target in links(path):
        file_part, _, anchor = target.partition("#")
        destination = (path.parent / file_part).resolve() if file_part else path
        if not destination.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and destination.suffix in (".md", ".ipynb") and anchor not in anchors(destination):
            broken.append(f"{target} (no heading #{anchor})")
    return broken


def test_a_broken_link_and_a_missing_heading_are_found(tmp_path):
    (tmp_path / "b.md").write_text("# Yes, here\n", encoding="utf-8")
    page = tmp_path / "a.md"
    page.write_text(
        "[gone](missing.md) [fine](b.md#yes-here) [no heading](b.md#nope) [web](https://example.org) "
        "```\n[in code](nowhere.md)\n```",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md (no such file)", "b.md#nope (no heading #nope)"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_points_to_something_that_exists(path):
    broken = broken_links(path)
    assert not broken, f"{path.relative_to(ROOT)}: broken links: {broken}"
