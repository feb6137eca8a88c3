"""Keep the navigation cell at the end of every chapter notebook up to date.

    python tools/navigation.py          # rewrite the navigation cells
    python tools/navigation.py --check  # change nothing; exit 1 if one is stale

The last cell of ``notebooks/NN_slug.ipynb`` is a markdown cell tagged
``navigation``: previous / contents / next links and the exercises to do now.
It is made from the chapter list in ``crmlib/data/chapters.csv``; chapters
whose notebook does not exist yet are skipped in the previous/next links.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmlib.course import chapters  # noqa: E402

TAG = "navigation"


def navigation_text(index: int, written: list[dict]) -> str:
    chapter = written[index]
    previous = written[index - 1] if index > 0 else None
    following = written[index + 1] if index + 1 < len(written) else None
    prev_link = (
        f"[← {previous['number']} {previous['title_en']}]({previous['notebook']})"
        if previous
        else "← (start)"
    )
    next_link = (
        f"[{following['number']} {following['title_en']} →]({following['notebook']})"
        if following
        else "(end) →"
    )
    lines = ["---", "", f"{prev_link} · [Contents](../README.md#chapters) · {next_link}", ""]
    student = ROOT / "exercises" / "student" / chapter["notebook"]
    if student.exists():
        lines.append(
            f"**Exercises now:** [exercises for chapter {chapter['number']}]"
            f"(../exercises/student/{chapter['notebook']}) — each answer is checked as you go."
        )
    else:
        lines.append("**Exercises now:** none for this chapter yet.")
    return "\n".join(lines)


def written_chapters() -> list[dict]:
    table = chapters()
    return [row for row in table.to_dict("records") if (ROOT / "notebooks" / row["notebook"]).exists()]


def update(check: bool) -> list[str]:
    stale = []
    written = written_chapters()
    for index, chapter in enumerate(written):
        path = ROOT / "notebooks" / chapter["notebook"]
        notebook = nbformat.read(path, as_version=4)
        text = navigation_text(index, written)
        last = notebook.cells[-1] if notebook.cells else None
        if last is not None and TAG in last.get("metadata", {}).get("tags", []):
            if last.source == text:
                continue
            last.source = text
        else:
            cell = nbformat.v4.new_markdown_cell(text)
            cell.metadata["tags"] = [TAG]
            notebook.cells.append(cell)
        stale.append(str(path.relative_to(ROOT)))
        if not check:
            nbformat.write(notebook, path)
    return stale


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = update(check)
    if check and stale:
        print("navigation cells out of date (run `python tools/navigation.py`):", *stale, sep="\n  ")
        return 1
    print(f"navigation: {len(written_chapters())} chapters, {len(stale)} {'stale' if check else 'updated'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
