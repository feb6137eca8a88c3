"""The question banks, one module per chapter: ``ch00.py`` holds the questions of
``exercises/solutions/00_course_guide.ipynb``, and so on.

Each defines ``QUESTIONS`` (see :mod:`crmlib.exercises.registry`). Every expected
answer is computed with crmlib from the shipped data, never pasted; every hint,
slip explanation and checklist point is written in English and Chinese.
"""
