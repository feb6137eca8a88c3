"""Exam and practice questions (考试题与练习题), one bank per chapter, beyond the exercises.

Each chapter's bank (``crmlib/exams/banks/chNN.py``) holds multiple-choice questions (with why
each wrong option is wrong), short-answer questions (with the points a good answer covers) and
computational questions whose parameters are drawn afresh for every exam variant and whose
answers crmlib computes from the shipped data. Export a paper and its answer key::

    python -m crmlib.exams --chapters 03 04 --seed 7 --out exam_dir/

The paper goes to ``exam_dir/paper.html`` and ``paper.md`` (no answers), the key to
``exam_dir/key.html`` and ``key.md``, with the course font next to the HTML pages. Another
``--seed`` gives another variant: other options order, other parameters, other answers.
``--language zh`` writes the same variant in Chinese (every question is bilingual, as in the
exercise banks). The course project (课程实训) is in
``instructors/project.md``.
"""

from ._core import (
    CHAPTERS,
    KINDS,
    MIN_QUESTIONS,
    BankError,
    Computational,
    MultipleChoice,
    ShortAnswer,
    Variant,
    bank,
    both,
    check_bank,
    draw_exam,
    texts,
    variant,
    zh,
)
from ._export import to_html, to_markdown, write_exam

__all__ = [
    "CHAPTERS",
    "KINDS",
    "MIN_QUESTIONS",
    "BankError",
    "Computational",
    "MultipleChoice",
    "ShortAnswer",
    "Variant",
    "bank",
    "both",
    "check_bank",
    "draw_exam",
    "texts",
    "variant",
    "zh",
    "to_html",
    "to_markdown",
    "write_exam",
]
