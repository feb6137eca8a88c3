"""Keep the navigation cell at the end of every chapter notebook up to date.

    python tools/navigation.py                    # rewrite the navigation cells, every edition
    python tools/navigation.py --lang zh          # only the Chinese edition
    python tools/navigation.py --check [--lang L] # change nothing; exit 1 if one is stale

The last cell of a chapter notebook is a markdown cell tagged ``navigation``:
previous / contents / next links and the exercises to do now, in the language
of its edition (the words are in ``crmlib/data/messages/course.csv``). It is
made from the chapter list in ``crmlib/data/chapters.csv``; chapters whose
notebook does not exist yet in that edition are skipped in the previous/next
links. Where the notebooks of an edition live is :func:`crmlib.course.notebook_path`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmlib.course import chapters, notebook_path  # noqa: E402
from crmlib.language import LANGUAGES, message  # noqa: E402

TAG = "navigation"


def navigation_text(index: int, written: list[dict], lang: str = "en") -> str:
    """The navigation cell of the ``index``-th written chapter of an edition."""
    chapter = written[index]
    previous = written[index - 1] if index > 0 else None
    following = written[index + 1] if index + 1 < len(written) else None
    title = f"title_{lang}"
    prev_link = (
        f"[← {previous['number']} {previous[title]}]({previous['notebook']})"
        if previous
        else message("course.start", lang)
    )
    next_link = (
        f"[{following['number']} {following[title]} →]({following['notebook']})"
        if following
        else message("course.end", lang)
    )
    contents = f"[{message('course.contents', lang)}]({message('course.contents_link', lang)})"
    lines = ["---", "", f"{prev_link} · {contents} · {next_link}", ""]
    if (ROOT / notebook_path(chapter["number"], lang, "student")).exists():
        link = f"../exercises/student/{chapter['notebook']}"
        lines.append(message("course.exercises_now", lang, number=chapter["number"], link=link))
    else:
        lines.append(message("course.no_exercises", lang))
    return "\n".join(lines)


def written_chapters(lang: str = "en") -> list[dict]:
    """The chapters whose notebook exists in the edition of ``lang``, in order."""
    table = chapters()
    return [row for row in table.to_dict("records") if (ROOT / notebook_path(row["number"], lang)).exists()]


def update(check: bool, lang: str = "en") -> list[str]:
    """Rewrite (or, with ``check``, only list) the stale navigation cells of one edition."""
    stale = []
    written = written_chapters(lang)
    for index, chapter in enumerate(written):
        path = ROOT / notebook_path(chapter["number"], lang)
        notebook = nbformat.read(path, as_version=4)
        text = navigation_text(index, written, lang)
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a cell is stale")
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="one edition (default: all)")
    args = parser.parse_args(argv)
    status = 0
    for lang in args.lang or LANGUAGES:
        stale = update(args.check, lang)
        if args.check and stale:
            print(
                f"navigation cells out of date (run `python tools/navigation.py --lang {lang}`):",
                *stale,
                sep="\n  ",
            )
            status = 1
        count = len(written_chapters(lang))
        print(f"navigation [{lang}]: {count} chapters, {len(stale)} {'stale' if args.check else 'updated'}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
