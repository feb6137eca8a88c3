"""Exercises with instant, offline feedback: ``check("ch04.q2", answer)``.

The package has three parts:

- :mod:`~crmlib.exercises.engine`: the question kinds (:func:`numeric`,
  :func:`integer`, :func:`identifier`, :func:`choice`, :func:`text`, :func:`frame`,
  :func:`discussion`) and the grading of an answer;
- :mod:`~crmlib.exercises.registry`: finds the banks and looks a question up by id;
- :mod:`~crmlib.exercises.banks`: one question bank per chapter.

Questions with parameters give each student their own numbers:
:func:`set_student` sets the student id, :func:`parameters` shows a question's
parameters for that student, and :func:`check` grades against them.

The verdict sentences are data, in ``crmlib/data/messages/exercises.csv``
(English and Chinese); :func:`crmlib.set_language` chooses the language.
"""

from crmlib.exercises.engine import (
    CheckResult,
    Mistake,
    Question,
    UnknownQuestionError,
    choice,
    discussion,
    evaluate,
    frame,
    identifier,
    integer,
    is_blank,
    mistake,
    normalize_text,
    numeric,
    text,
)
from crmlib.exercises.registry import (
    Parameters,
    all_questions,
    chapter_questions,
    chapters,
    check,
    parameters,
    question,
    questions_by_id,
    reset_hints,
    set_student,
    student,
)

__all__ = [
    "check",
    "CheckResult",
    "UnknownQuestionError",
    "Question",
    "Mistake",
    "evaluate",
    "mistake",
    "numeric",
    "integer",
    "identifier",
    "choice",
    "text",
    "frame",
    "discussion",
    "is_blank",
    "normalize_text",
    "question",
    "questions_by_id",
    "all_questions",
    "chapters",
    "chapter_questions",
    "reset_hints",
    "set_student",
    "student",
    "parameters",
    "Parameters",
]
