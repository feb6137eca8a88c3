"""List the exercise questions whose expected answer the chapter already prints.

    python tools/printed_answers.py            # every chapter
    python tools/printed_answers.py ch04 ch05  # some chapters

A question that asks for a number the chapter prints (in its prose or in an
output) can be passed by copying that number, without writing a line of code.
For each computational question (a number or a count) of a chapter, every
number in the chapter notebook's markdown and text outputs is tried as the
student's answer, as printed and, for a percentage, as a fraction: if one of
them passes the check, the question is answered in print. Small whole
numbers (below ``SMALL_WHOLE``) are printed everywhere, so a question whose
answer is one is not counted as answered in print. Issue 14 asks that
at most half of a chapter's computational questions be answered in print;
``tests/test_printed_answers.py`` holds each chapter to that.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crmlib.exercises.engine import evaluate  # noqa: E402
from crmlib.exercises.registry import chapter_questions, chapters  # noqa: E402

#: A number as a notebook prints it: 1,234.5 / -0.25 / 53.4 % / 3e-05.
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?(?:\s?%)?(?![\w])")
#: The kinds of question whose answer is one number.
COMPUTATIONAL = ("numeric", "integer")
#: Whole numbers below this appear all over a chapter (counts of groups, years, agents): a match on
#: one says nothing about the answer, so a question whose answer is such a number is not counted.
SMALL_WHOLE = 25


def chapter_notebook(chapter: str) -> Path:
    """The chapter notebook of ``chNN`` (the English edition)."""
    found = sorted((ROOT / "notebooks").glob(f"{chapter[2:]}_*.ipynb"))
    if not found:
        raise FileNotFoundError(f"no notebook for {chapter} in notebooks/")
    return found[0]


def printed_text(path: Path) -> str:
    """The prose and every text output of a notebook (not its code: code is not an answer)."""
    parts = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def printed_numbers(text: str) -> set[float]:
    """Every number of the text as a student would type it: as printed, and a percentage also
    as a fraction."""
    values = set()
    for token in NUMBER.findall(text):
        plain = token.replace(",", "").replace("−", "-").replace(" ", "")
        if plain.endswith("%"):
            number = float(plain[:-1])
            values |= {number, number / 100}
        else:
            values.add(float(plain))
    return values


@cache
def _numbers(chapter: str) -> frozenset[float]:
    return frozenset(printed_numbers(printed_text(chapter_notebook(chapter))))


def answered_in_print(chapter: str) -> dict[str, float | None]:
    """For each computational question of ``chapter``: a printed number that passes its check,
    or None when no printed number does."""
    numbers = sorted(_numbers(chapter))
    found = {}
    for question in chapter_questions(chapter):
        if question.kind not in COMPUTATIONAL or not question.has_expected:
            continue
        expected = float(question.expected())
        if expected.is_integer() and abs(expected) < SMALL_WHOLE:
            found[question.id] = None
            continue
        near = [n for n in numbers if abs(n - expected) <= 0.05 * abs(expected) + 1e-6]  # a quick sieve
        found[question.id] = next((n for n in near if evaluate(question, n, "en").passed), None)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapters such as ch04 (default: all)")
    args = parser.parse_args(argv)
    for chapter in args.chapters or chapters():
        try:
            found = answered_in_print(chapter)
        except FileNotFoundError:
            continue
        printed = [qid for qid, value in found.items() if value is not None]
        print(f"{chapter}: {len(printed)} of {len(found)} computational questions answered in print")
        for qid in printed:
            print(f"    {qid}: {found[qid]:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
