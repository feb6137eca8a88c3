"""``python -m crmlib.exams --chapters 03 04 --seed 7 --out exam_dir/``: an exam paper and its key."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..language import LANGUAGES, resolve
from ._core import CHAPTERS, draw_exam
from ._export import write_exam


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crmlib.exams",
        description="Write an exam paper (HTML and Markdown, no answers) and its answer key.",
    )
    parser.add_argument("--chapters", nargs="+", default=list(CHAPTERS), help="chapter numbers, e.g. 03 04")
    parser.add_argument(
        "--seed", type=int, default=0, help="the exam variant: another number, other parameters"
    )
    parser.add_argument("--per-chapter", type=int, default=None, help="questions per chapter (default: all)")
    parser.add_argument("--out", type=Path, required=True, help="folder for paper.* and key.*")
    parser.add_argument(
        "--language",
        choices=list(LANGUAGES),
        default=None,
        help="language of the paper and the key (default: crmlib's language, English unless set)",
    )
    args = parser.parse_args(argv)
    chapters = [c.removeprefix("ch").zfill(2) for c in args.chapters]
    language = resolve(args.language)
    variants = draw_exam(chapters, args.seed, args.per_chapter, language)
    for path in write_exam(variants, chapters, args.seed, args.out, language):
        print(path)
    print(f"{len(variants)} questions, {sum(v.points for v in variants)} points")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
