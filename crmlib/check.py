"""Instant, offline feedback on exercise answers.

Every exercise notebook ends a question with a call such as
``check("ch00.q2", answer)``. The call looks the question up in the
chapter's question bank (``crmlib/questions/chNN.py``), compares the answer
with what the bank expects and returns a :class:`CheckResult` whose display
is one verdict line::

    ✅ ch00.q2 — correct.
    ❌ ch00.q3 — not yet: off by a factor of 100 (percent vs fraction?). Hint: ...

The verdict says *why* an answer is not accepted (wrong type, percent instead
of fraction, a missing column, a typical slip the author foresaw) but never
shows the expected answer.

Question kinds are built with plain functions that return a :class:`Question`:

========================  ======================================================
:func:`numeric`           a number, with relative and/or absolute tolerance
:func:`integer`           a count, exact
:func:`choice`            one letter, or several (order-insensitive)
:func:`text`              a short answer matched after normalisation or by
                          required key terms (English or Chinese)
:func:`frame`             a DataFrame or Series, compared on the columns that
                          matter
:func:`discussion`        a written answer, long enough, then a checklist for
                          self-assessment
========================  ======================================================

An expected answer may be a value or a zero-argument function; a function is
called the first time it is needed and its result kept, so a bank can compute
its answers with ``crmlib`` from the shipped data instead of pasting numbers.
Each question also lists typical wrong answers (:func:`mistake`), which the
tests use and which turn into a specific diagnosis when a student makes that
slip.

All verdict sentences live in :data:`MESSAGES`, one dictionary per language;
the language follows :func:`crmlib.glossary.get_language`.
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CheckResult",
    "Question",
    "Mistake",
    "UnknownQuestionError",
    "MESSAGES",
    "check",
    "evaluate",
    "mistake",
    "numeric",
    "integer",
    "choice",
    "text",
    "frame",
    "discussion",
    "is_blank",
    "normalize_text",
]

#: A user-facing text authored in a question bank: one string (English), or
#: one string per language, e.g. ``{"en": "...", "zh": "..."}``.
Text = str | Mapping[str, str]

# --------------------------------------------------------------------------
# Every verdict sentence, by language. Placeholders are filled with
# str.format; none of them ever receives the expected answer.
# --------------------------------------------------------------------------
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "correct": "✅ {qid} — correct.",
        "not_yet": "❌ {qid} — not yet: {reason}.",
        "hint": " Hint: {hint}",
        "blank": "✏️ {qid} — not answered yet: replace `...` with your answer and run the cell again.",
        "self_assess": "📝 {qid} — ready for self-assessment ({length}). Does your answer cover these points?",
        "length_words": "{n} words",
        "length_chars": "{n} characters",
        "unknown_id": "there is no question {qid!r}; nearest known ids: {near}",
        "unknown_id_none": "there is no question {qid!r}; known ids start with {prefixes}",
        # what an answer is
        "got_text": "the text {value}",
        "got_bool": "a True/False value",
        "got_series": "a pandas Series of length {n}",
        "got_frame": "a DataFrame with {rows} rows and {cols} columns",
        "got_array": "an array of size {n}",
        "got_list": "a {kind} of length {n}",
        "got_dict": "a dict of length {n}",
        "got_function": "a function (did you forget the brackets that call it?)",
        "got_other": "a value of type {kind}",
        "got_number": "the number {value}",
        # numbers
        "need_number": "expected a single number, got {got}",
        "need_number_quoted": "expected a number, got {got}: remove the quotes",
        "need_number_one": "expected a single number, got {got}: take the number out with .item() or .iloc[0]",
        "need_number_many": "expected a single number, got {got}: aggregate it first (.sum(), .mean(), len(...))",
        "nan": "the answer is NaN (not a number): look for missing values or a division by zero",
        "infinite": "the answer is infinite: look for a division by zero",
        "percent_high": "off by a factor of 100 (percent vs fraction?): the question asks for a fraction between 0 and 1",
        "percent_low": "off by a factor of 100 (percent vs fraction?): the question asks for a percentage",
        "wrong_sign": "right size but wrong sign",
        "magnitude": "right magnitude but not close enough (tolerance {tol})",
        "far_high": "far off: more than twice the expected value",
        "far_low": "far off: less than half the expected value",
        "far_other": "far off",
        # counts
        "need_count": "expected a whole number (a count), got {got}",
        "off_by_one": "off by one: check whether the first (or last) item should be counted",
        "count_close": "close, but a count must be exact: check your filter",
        # choices
        "need_letter": 'expected an option letter such as "B", got {got}',
        "choice_empty": 'no option chosen: answer with a letter such as "B"',
        "choice_unknown": "{letters} is not an option here (options: {options})",
        "choice_one_only": "choose one option only",
        "choice_wrong": "that option is not the right one",
        "choice_missing": "one correct option is missing",
        "choice_missing_n": "{n} correct options are missing",
        "choice_extra": "includes a wrong option",
        "choice_extra_n": "includes {n} wrong options",
        "choice_both": "includes a wrong option and misses a correct one",
        # short text
        "need_text": "expected a short text answer (in quotes), got {got}",
        "text_no_match": "not the term we are looking for",
        "text_keywords": "{found} of {total} key ideas found",
        # frames
        "need_frame": "expected a DataFrame or Series, got {got}",
        "frame_columns": "column(s) missing: {missing} (the answer has {have})",
        "frame_more_rows": "{rows} rows is too many: look for duplicates or a missing filter",
        "frame_fewer_rows": "{rows} rows is too few: a filter or a join may drop rows",
        "frame_keys": "the rows are not the expected ones: {n} value(s) in column {col!r} do not match",
        "frame_values": "values in column {col!r} differ in {n} of {rows} rows",
        "frame_order": "right rows in the wrong order: sort them as the question asks",
        # discussion
        "need_writing": "expected your written answer as a text in quotes, got {got}",
        "too_short": "too short ({length}): write at least {need}",
    },
    "zh": {
        "correct": "✅ {qid} — 正确。",
        "not_yet": "❌ {qid} — 还不对:{reason}。",
        "hint": "提示:{hint}",
        "blank": "✏️ {qid} — 尚未作答:请把 `...` 换成你的答案,然后重新运行本单元格。",
        "self_assess": "📝 {qid} — 可以自评了({length})。你的答案是否涵盖以下要点?",
        "length_words": "{n} 个词",
        "length_chars": "{n} 个字",
        "unknown_id": "没有编号为 {qid!r} 的题目;最接近的编号:{near}",
        "unknown_id_none": "没有编号为 {qid!r} 的题目;已有编号以 {prefixes} 开头",
        "got_text": "文本 {value}",
        "got_bool": "一个 True/False 值",
        "got_series": "一个长度为 {n} 的 pandas Series",
        "got_frame": "一个 {rows} 行 {cols} 列的 DataFrame",
        "got_array": "一个含 {n} 个值的数组",
        "got_list": "一个含 {n} 项的 {kind}",
        "got_dict": "一个含 {n} 个键的 dict",
        "got_function": "一个函数(是否忘了加括号调用它?)",
        "got_other": "一个 {kind} 类型的值",
        "got_number": "数字 {value}",
        "need_number": "需要一个数,得到的是{got}",
        "need_number_quoted": "需要一个数,得到的是{got}:请去掉引号",
        "need_number_one": "需要一个数,得到的是{got}:用 .item() 或 .iloc[0] 取出这个数",
        "need_number_many": "需要一个数,得到的是{got}:请先汇总(.sum()、.mean()、len(...))",
        "nan": "答案是 NaN(不是数):检查缺失值或除以零",
        "infinite": "答案是无穷大:检查是否除以零",
        "percent_high": "差了 100 倍(百分数与小数混淆?):题目要求 0 到 1 之间的小数",
        "percent_low": "差了 100 倍(百分数与小数混淆?):题目要求百分数",
        "wrong_sign": "大小对了,但符号错了",
        "magnitude": "数量级正确,但不够接近(容差 {tol})",
        "far_high": "相差很大:超过期望值的两倍",
        "far_low": "相差很大:不到期望值的一半",
        "far_other": "相差很大",
        "need_count": "需要一个整数(计数),得到的是{got}",
        "off_by_one": "差了 1:检查第一项(或最后一项)是否应计入",
        "count_close": "接近了,但计数必须精确:检查你的筛选条件",
        "need_letter": '需要一个选项字母,例如 "B",得到的是{got}',
        "choice_empty": '没有选择任何选项:请用字母作答,例如 "B"',
        "choice_unknown": "{letters} 不是本题的选项(选项:{options})",
        "choice_one_only": "只能选一个选项",
        "choice_wrong": "这个选项不对",
        "choice_missing": "漏选了一个正确选项",
        "choice_missing_n": "漏选了 {n} 个正确选项",
        "choice_extra": "包含一个错误选项",
        "choice_extra_n": "包含 {n} 个错误选项",
        "choice_both": "包含一个错误选项,并漏选了一个正确选项",
        "need_text": "需要一个简短的文本答案(加引号),得到的是{got}",
        "text_no_match": "不是我们要找的术语",
        "text_keywords": "找到 {total} 个要点中的 {found} 个",
        "need_frame": "需要一个 DataFrame 或 Series,得到的是{got}",
        "frame_columns": "缺少列:{missing}(答案中的列:{have})",
        "frame_more_rows": "{rows} 行太多了:检查重复行或遗漏的筛选",
        "frame_fewer_rows": "{rows} 行太少了:筛选或连接可能丢掉了行",
        "frame_keys": "行不是期望的那些:列 {col!r} 中有 {n} 个值不匹配",
        "frame_values": "列 {col!r} 的值在 {rows} 行中有 {n} 行不同",
        "frame_order": "行是对的,但顺序不对:请按题目要求排序",
        "need_writing": "需要把你写的答案作为带引号的文本,得到的是{got}",
        "too_short": "太短了({length}):请至少写 {need}",
    },
}


def _language() -> str:
    """The language chosen with ``crmlib.glossary.set_language``; ``"en"`` if unknown."""
    try:
        from crmlib.glossary import get_language
    except ImportError:
        return "en"
    try:
        language = get_language()
    except Exception:  # a half-written glossary must not break feedback
        return "en"
    return language if language in MESSAGES else "en"


def _say(key: str, language: str, **values) -> str:
    template = MESSAGES.get(language, MESSAGES["en"]).get(key) or MESSAGES["en"][key]
    return template.format(**values)


def _localize(value: Text, language: str) -> str:
    """Pick ``language`` from a bank text given as a string or a dict by language."""
    if isinstance(value, Mapping):
        return value.get(language) or value.get("en") or next(iter(value.values()), "")
    return value


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer.

    ``message`` is the verdict line shown in the notebook; ``checklist`` holds
    the points of a discussion question. ``bool(result)`` is ``passed``.
    """

    question_id: str
    passed: bool
    message: str
    checklist: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  - {point}" for point in self.checklist)])

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        lines = [self.message]
        if self.checklist:
            lines.append("")
            lines.extend(f"- {point}" for point in self.checklist)
        return "\n".join(lines)


class UnknownQuestionError(LookupError):
    """``check`` was given an id that no question bank registers."""

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------
def _lazy(value: Any) -> Callable[[], Any]:
    """Wrap a value, or a zero-argument function, as a function called once."""
    if not callable(value):
        return lambda: value
    cache: list[Any] = []

    def get():
        if not cache:
            cache.append(value())
        return cache[0]

    return get


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer; ``because`` (optional) explains the slip.

    ``value`` may be a zero-argument function, evaluated the first time it is
    needed. When a student's answer matches a mistake that has ``because``,
    the verdict gives that explanation instead of a generic one.
    """

    get: Callable[[], Any]
    because: Text = ""

    @property
    def value(self) -> Any:
        return self.get()


def mistake(value: Any, because: Text = "") -> Mistake:
    """Declare a typical wrong answer and, optionally, what it gets wrong.

    Parameters
    ----------
    value : object or callable
        The wrong answer, or a zero-argument function computing it.
    because : str or dict
        One sentence naming the slip without giving the right answer,
        e.g. ``"this counts every transaction, not only the repeat ones"``.
    """
    return Mistake(_lazy(value), because)


@dataclass(frozen=True)
class Question:
    """One registered question. Build it with :func:`numeric`, :func:`choice`, ..."""

    id: str
    kind: str
    expected_get: Callable[[], Any] | None = field(default=None, repr=False)
    settings: Mapping[str, Any] = field(default_factory=dict, repr=False)
    hint: Text = ""
    wrong: tuple[Mistake, ...] = ()
    checklist: tuple[Text, ...] = ()

    @property
    def has_expected(self) -> bool:
        """Whether the question has an answer that :func:`check` accepts."""
        return self.expected_get is not None

    def expected(self) -> Any:
        """The expected answer (computed on first use). For tests and authors only."""
        if self.expected_get is None:
            raise ValueError(f"question {self.id!r} ({self.kind}) has no single expected answer")
        return self.expected_get()


def _mistakes(wrong: Any) -> tuple[Mistake, ...]:
    if wrong is None:
        return ()
    if isinstance(wrong, Mistake) or not isinstance(wrong, (list, tuple)):
        wrong = [wrong]
    return tuple(w if isinstance(w, Mistake) else mistake(w) for w in wrong)


def _require_id(question_id: str) -> str:
    if not isinstance(question_id, str) or not re.fullmatch(r"ch\d\d\.[A-Za-z0-9_.-]+", question_id):
        raise ValueError(f"question id {question_id!r} must look like 'ch00.q1': chapter, dot, name")
    return question_id


def numeric(
    question_id: str,
    expected: Any,
    *,
    rel: float | None = None,
    abs: float | None = None,
    hint: Text = "",
    wrong: Any = (),
) -> Question:
    """A number, accepted within a tolerance.

    Accepted when ``|answer - expected| <= max(abs, rel * |expected|)``. With
    neither tolerance given, ``rel=1e-4`` (0.01 %), and ``abs=1e-9`` when the
    expected value is 0.

    Parameters
    ----------
    expected : float or callable
        The value, or a zero-argument function computing it (called once).
    rel, abs : float, optional
        Relative and absolute tolerance.
    hint : str or dict
        Shown after a wrong answer.
    wrong : value, Mistake, or list of them
        Typical wrong answers (at least one; the tests check they fail).
    """
    settings = {
        "rel": 1e-4 if rel is None and abs is None else (rel or 0.0),
        "abs": abs or 0.0,
    }
    return Question(_require_id(question_id), "numeric", _lazy(expected), settings, hint, _mistakes(wrong))


def integer(question_id: str, expected: Any, *, hint: Text = "", wrong: Any = ()) -> Question:
    """A count, accepted only when exact (``2357`` and ``2357.0`` both count)."""
    return Question(_require_id(question_id), "integer", _lazy(expected), {}, hint, _mistakes(wrong))


def _letters(value: Any) -> tuple[str, ...]:
    """``"b, d"``, ``"B D"``, ``"BD"``, ``["d", "b"]`` and full-width ``"Ｂ"`` all give letters."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).upper()
        parts = [p for p in re.split(r"[^A-Z]+", text) if p and p != "AND"]
        if len(parts) == 1 and len(parts[0]) > 1:
            parts = list(parts[0])  # "BD" means B and D
        return tuple(parts)
    if isinstance(value, Iterable):
        return tuple(item for element in value for item in _letters(element))
    return ()


def choice(
    question_id: str,
    correct: Any,
    *,
    options: str | Iterable[str] = "ABCD",
    multiple: bool | None = None,
    hint: Text = "",
    wrong: Any = (),
) -> Question:
    """Multiple choice: one letter, or several (then order does not matter).

    Parameters
    ----------
    correct : str, list of str, or callable
        ``"C"``, or ``"B, D"`` / ``["B", "D"]`` for a multi-select question;
        or a zero-argument function returning them (e.g. read from the
        course's 10C table), called once.
    options : str or list of str
        The letters the question offers, e.g. ``"ABCDE"``.
    multiple : bool, optional
        Whether several options may be chosen (default: when ``correct``
        has more than one letter).
    """
    option_letters = tuple(dict.fromkeys(options.upper() if isinstance(options, str) else _letters(options)))

    def right() -> Any:
        value = correct() if callable(correct) else correct
        letters = tuple(sorted(set(_letters(value))))
        if not letters or not set(letters) <= set(option_letters):
            raise ValueError(f"{question_id}: correct options {letters} must be among {option_letters}")
        return letters[0] if len(letters) == 1 and not multiple else list(letters)

    if not callable(correct):
        right()  # validate now
    settings = {"options": option_letters, "multiple": multiple}
    return Question(_require_id(question_id), "choice", _lazy(right), settings, hint, _mistakes(wrong))


def normalize_text(value: str) -> str:
    """Fold case, full-width characters, punctuation and spaces away.

    ``"Customer  Retention!"``, ``"customer-retention"`` and the full-width
    ``"ＣＵＳＴＯＭＥＲ　ＲＥＴＥＮＴＩＯＮ"`` all become ``"customer retention"``;
    Chinese text keeps its characters (``"顾客保留。"`` becomes ``"顾客保留"``).
    """
    folded = unicodedata.normalize("NFKC", value).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    return " ".join(kept.split())


def _squeeze(value: str) -> str:
    return normalize_text(value).replace(" ", "")


def text(
    question_id: str,
    accepted: Iterable[str] = (),
    *,
    keywords: Iterable[Any] = (),
    hint: Text = "",
    wrong: Any = (),
) -> Question:
    """A short conceptual answer (a term, a name, a few words).

    Accepted when the normalized answer equals a normalized ``accepted``
    answer (spaces ignored, so Chinese needs none), or, when ``keywords`` is
    given, when every keyword group is found in the answer. A group is a
    string or a tuple of alternatives, e.g. ``("retention", "保留", "留存")``.
    """
    accepted = tuple(accepted)
    groups = tuple((k,) if isinstance(k, str) else tuple(k) for k in keywords)
    if not accepted and not groups:
        raise ValueError(f"{question_id}: give accepted answers, keywords, or both")
    settings = {
        "accepted": frozenset(_squeeze(a) for a in accepted),
        "keywords": tuple(tuple(_squeeze(w) for w in g) for g in groups),
    }
    expected = _lazy(accepted[0]) if accepted else None
    return Question(_require_id(question_id), "text", expected, settings, hint, _mistakes(wrong))


def frame(
    question_id: str,
    expected: Any,
    *,
    columns: Iterable[str] | None = None,
    key: Iterable[str] | str | None = None,
    values: Iterable[str] | None = None,
    ordered: bool = False,
    rel: float = 1e-4,
    abs: float = 1e-9,
    hint: Text = "",
    wrong: Any = (),
) -> Question:
    """A table answer, compared on what matters.

    Parameters
    ----------
    expected : DataFrame, Series or callable
        The expected table (a function computing it is called once).
    columns : list of str, optional
        Columns the answer must have (default: all of the expected's). An
        answer may carry them in its index instead (``groupby`` results).
    key : str or list of str, optional
        Columns that identify a row; compared exactly.
    values : list of str, optional
        Columns compared with tolerance (default: required columns not in key).
    ordered : bool
        Whether row order matters (e.g. "sorted by value"); otherwise rows are
        matched after sorting on the key.
    rel, abs : float
        Tolerance for numeric value columns.
    """
    key = [key] if isinstance(key, str) else list(key or [])
    settings = {
        "columns": None if columns is None else list(columns),
        "key": key,
        "values": None if values is None else list(values),
        "ordered": ordered,
        "rel": rel,
        "abs": abs,
    }
    return Question(_require_id(question_id), "frame", _lazy(expected), settings, hint, _mistakes(wrong))


def discussion(
    question_id: str, checklist: Iterable[Text], *, min_words: int = 40, min_chars: int = 80, wrong: Any = ()
) -> Question:
    """A written answer, self-assessed against a checklist.

    An answer of at least ``min_words`` words (English) or ``min_chars``
    characters (Chinese, counted one per character) passes and shows the
    checklist: the points a good answer covers, not a model answer.
    """
    points = tuple(checklist)
    if not points:
        raise ValueError(f"{question_id}: a discussion question needs a checklist")
    settings = {"min_words": min_words, "min_chars": min_chars}
    return Question(_require_id(question_id), "discussion", None, settings, "", _mistakes(wrong), points)


# --------------------------------------------------------------------------
# Grading. Each grader returns (passed, reason_key, values, is_type_error).
# --------------------------------------------------------------------------
def is_blank(answer: Any) -> bool:
    """``...``, ``None`` or an empty string: the question is not answered yet."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


def _describe(answer: Any, language: str) -> str:
    if isinstance(answer, str):
        shown = answer if len(answer) <= 30 else answer[:27] + "..."
        return _say("got_text", language, value=repr(shown))
    if isinstance(answer, (bool, np.bool_)):
        return _say("got_bool", language)
    if isinstance(answer, pd.Series):
        return _say("got_series", language, n=len(answer))
    if isinstance(answer, pd.DataFrame):
        return _say("got_frame", language, rows=answer.shape[0], cols=answer.shape[1])
    if isinstance(answer, np.ndarray):
        return _say("got_array", language, n=answer.size)
    if isinstance(answer, (list, tuple, set, frozenset)):
        return _say("got_list", language, kind=type(answer).__name__, n=len(answer))
    if isinstance(answer, Mapping):
        return _say("got_dict", language, n=len(answer))
    if isinstance(answer, numbers.Number):
        return _say("got_number", language, value=answer)
    if callable(answer):
        return _say("got_function", language)
    return _say("got_other", language, kind=type(answer).__name__)


def _as_number(answer: Any, language: str) -> tuple[float | None, tuple]:
    """The answer as a float, or a type-error verdict."""
    if isinstance(answer, (bool, np.bool_)):
        return None, (False, "need_number", {"got": _describe(answer, language)}, True)
    if isinstance(answer, numbers.Real):
        return float(answer), ()
    got = _describe(answer, language)
    if isinstance(answer, str):
        try:
            float(answer.replace(",", "").strip().rstrip("%"))
        except ValueError:
            return None, (False, "need_number", {"got": got}, True)
        return None, (False, "need_number_quoted", {"got": got}, True)
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
        size = len(answer) if isinstance(answer, (list, tuple)) else answer.size
        key = "need_number_one" if size == 1 else "need_number_many"
        return None, (False, key, {"got": got}, True)
    return None, (False, "need_number", {"got": got}, True)


def _grade_numeric(question: Question, answer: Any, expected: Any, language: str) -> tuple:
    value, error = _as_number(answer, language)
    if error:
        return error
    if math.isnan(value):
        return False, "nan", {}, True
    if math.isinf(value):
        return False, "infinite", {}, True
    target = float(expected)
    rel, abs_tol = question.settings["rel"], question.settings["abs"]
    if target == 0 and not abs_tol:
        abs_tol = 1e-9

    def close(x: float) -> bool:
        return math.fabs(x - target) <= max(abs_tol, rel * math.fabs(target))

    if close(value):
        return True, "correct", {}, False
    if target != 0 and close(value / 100):
        return False, "percent_high", {}, False
    if target != 0 and close(value * 100):
        return False, "percent_low", {}, False
    if target != 0 and close(-value):
        return False, "wrong_sign", {}, False
    tol = f"{rel:.2%}" if rel else f"±{abs_tol:g}"
    if target == 0 or value == 0 or (value > 0) != (target > 0):
        return False, "far_other", {}, False
    ratio = value / target
    if ratio > 2:
        return False, "far_high", {}, False
    if ratio < 0.5:
        return False, "far_low", {}, False
    return False, "magnitude", {"tol": tol}, False


def _grade_integer(question: Question, answer: Any, expected: Any, language: str) -> tuple:
    value, error = _as_number(answer, language)
    if error:
        return (False, "need_count", {"got": error[2]["got"]}, True) if error[1] == "need_number" else error
    if math.isnan(value) or math.isinf(value) or value != int(value):
        return False, "need_count", {"got": _describe(answer, language)}, True
    value, target = int(value), int(expected)
    if value == target:
        return True, "correct", {}, False
    if math.fabs(value - target) == 1:
        return False, "off_by_one", {}, False
    if target > 0 and value > 2 * target:
        return False, "far_high", {}, False
    if target > 0 and 2 * value < target:
        return False, "far_low", {}, False
    return False, "count_close", {}, False


def _grade_choice(question: Question, answer: Any, expected: Any, language: str) -> tuple:
    if not isinstance(answer, (str, list, tuple, set, frozenset)):
        return False, "need_letter", {"got": _describe(answer, language)}, True
    chosen = set(_letters(answer))
    right = set(_letters(expected))
    options = question.settings["options"]
    if not chosen:
        return False, "choice_empty", {}, True
    unknown = sorted(chosen - set(options))
    if unknown:
        return False, "choice_unknown", {"letters": ", ".join(unknown), "options": ", ".join(options)}, True
    if chosen == right:
        return True, "correct", {}, False
    multiple = question.settings["multiple"]
    if multiple is None:
        multiple = len(_letters(question.expected())) > 1
    if not multiple:
        return (
            (False, "choice_one_only", {}, False) if len(chosen) > 1 else (False, "choice_wrong", {}, False)
        )
    missing, extra = len(right - chosen), len(chosen - right)
    if missing and extra:
        return False, "choice_both", {}, False
    if missing:
        return (
            (False, "choice_missing", {}, False)
            if missing == 1
            else (False, "choice_missing_n", {"n": missing}, False)
        )
    return (
        (False, "choice_extra", {}, False) if extra == 1 else (False, "choice_extra_n", {"n": extra}, False)
    )


def _grade_text(question: Question, answer: Any, expected: Any, language: str) -> tuple:
    if not isinstance(answer, str):
        return False, "need_text", {"got": _describe(answer, language)}, True
    given = _squeeze(answer)
    accepted = question.settings["accepted"] if expected is None else {_squeeze(str(expected))}
    if given in accepted:
        return True, "correct", {}, False
    groups = question.settings["keywords"] if expected is None else ()
    if groups:
        found = sum(any(word in given for word in group) for group in groups)
        if found == len(groups):
            return True, "correct", {}, False
        return False, "text_keywords", {"found": found, "total": len(groups)}, False
    return False, "text_no_match", {}, False


def _as_frame(value: Any) -> pd.DataFrame | None:
    if isinstance(value, pd.Series):
        name = value.name if value.name is not None else "value"
        value = value.to_frame(name=name)
    if not isinstance(value, pd.DataFrame):
        return None
    if not isinstance(value.index, pd.RangeIndex) and any(n is not None for n in value.index.names):
        value = value.reset_index()
    return value


def _same_values(a: pd.Series, b: pd.Series, rel: float, abs_tol: float) -> np.ndarray:
    """Element-wise match: numbers within tolerance, anything else exactly (as text)."""
    if (
        pd.api.types.is_numeric_dtype(a)
        and pd.api.types.is_numeric_dtype(b)
        and not pd.api.types.is_bool_dtype(a)
        and not pd.api.types.is_bool_dtype(b)
    ):
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        return np.isclose(x, y, rtol=rel, atol=abs_tol, equal_nan=True)
    if pd.api.types.is_datetime64_any_dtype(a) or pd.api.types.is_datetime64_any_dtype(b):
        x = pd.to_datetime(a, errors="coerce").to_numpy()
        y = pd.to_datetime(b, errors="coerce").to_numpy()
        return x == y
    return a.astype(str).to_numpy() == b.astype(str).to_numpy()


def _sorted(table: pd.DataFrame, by: list[str], numeric: set[str]) -> pd.DataFrame:
    """Rows sorted on ``by``: numbers as numbers, anything else as text (so 1 and "1" agree)."""
    keys = pd.DataFrame(
        {
            f"k{i}": table[col].astype(float) if col in numeric else table[col].astype(str)
            for i, col in enumerate(by)
        }
    )
    order = keys.sort_values(list(keys.columns), kind="mergesort").index
    return table.loc[order].reset_index(drop=True)


def _grade_frame(question: Question, answer: Any, expected: Any, language: str) -> tuple:
    settings = question.settings
    want = _as_frame(expected)
    columns = settings["columns"] or list(want.columns)
    key = settings["key"]
    if isinstance(answer, pd.Series):
        # a Series answer needs neither a name nor a named index
        value_columns = [c for c in columns if c not in key]
        if len(value_columns) == 1 and answer.name not in columns:
            answer = answer.rename(value_columns[0])
        if len(key) == 1 and answer.index.nlevels == 1 and answer.index.name is None:
            answer = answer.rename_axis(key[0])
    got = _as_frame(answer)
    if got is None:
        return False, "need_frame", {"got": _describe(answer, language)}, True
    if not all(c in got.columns for c in columns):
        got = got.reset_index()
    missing = [c for c in columns if c not in got.columns]
    if missing:
        have = ", ".join(repr(c) for c in got.columns if c != "index") or "—"
        return False, "frame_columns", {"missing": ", ".join(repr(c) for c in missing), "have": have}, True
    if len(got) != len(want):
        reason = "frame_more_rows" if len(got) > len(want) else "frame_fewer_rows"
        return False, reason, {"rows": len(got)}, False
    values = settings["values"] or [c for c in columns if c not in key]
    got = got[columns].reset_index(drop=True)
    want = want[columns].reset_index(drop=True)

    def compare(g: pd.DataFrame, w: pd.DataFrame) -> tuple | None:
        for col in key:
            same = _same_values(g[col], w[col], 0.0, 0.0)
            if not same.all():
                return False, "frame_keys", {"n": int((~same).sum()), "col": col}, False
        for col in values:
            same = _same_values(g[col], w[col], settings["rel"], settings["abs"])
            if not same.all():
                return False, "frame_values", {"n": int((~same).sum()), "rows": len(g), "col": col}, False
        return None

    by = key or columns
    numeric = {
        c
        for c in by
        if all(
            pd.api.types.is_numeric_dtype(t[c]) and not pd.api.types.is_bool_dtype(t[c]) for t in (got, want)
        )
    }
    problem = compare(_sorted(got, by, numeric), _sorted(want, by, numeric))
    if problem:
        return problem
    if settings["ordered"] and compare(got, want):
        return False, "frame_order", {}, False
    return True, "correct", {}, False


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _length(answer: str) -> tuple[int, int]:
    """(words, Chinese characters) in a written answer."""
    chinese = len(_CJK.findall(answer))
    words = len(re.findall(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*", unicodedata.normalize("NFKC", answer)))
    return words, chinese


_GRADERS = {
    "numeric": _grade_numeric,
    "integer": _grade_integer,
    "choice": _grade_choice,
    "text": _grade_text,
    "frame": _grade_frame,
}


def evaluate(question: Question, answer: Any, language: str | None = None) -> CheckResult:
    """Grade ``answer`` against a :class:`Question` object (what :func:`check` does after the lookup).

    For authors and tests, to try a question before registering it.
    ``language`` defaults to the course language.
    """
    language = _language() if language is None or language not in MESSAGES else language
    qid = question.id
    if is_blank(answer):
        return CheckResult(qid, False, _say("blank", language, qid=qid))

    if question.kind == "discussion":
        if not isinstance(answer, str):
            reason = _say("need_writing", language, got=_describe(answer, language))
            return CheckResult(qid, False, _say("not_yet", language, qid=qid, reason=reason))
        words, chinese = _length(answer)
        if chinese >= words:
            size, need, unit = chinese + words, question.settings["min_chars"], "length_chars"
        else:
            size, need, unit = words + chinese, question.settings["min_words"], "length_words"
        length = _say(unit, language, n=size)
        if size < need:
            reason = _say("too_short", language, length=length, need=_say(unit, language, n=need))
            return CheckResult(qid, False, _say("not_yet", language, qid=qid, reason=reason))
        points = tuple(_localize(p, language) for p in question.checklist)
        return CheckResult(qid, True, _say("self_assess", language, qid=qid, length=length), points)

    grader = _GRADERS[question.kind]
    # a text question grades against all its accepted answers and keywords
    expected = question.expected() if question.has_expected and question.kind != "text" else None
    passed, key, values, type_error = grader(question, answer, expected, language)
    if passed:
        return CheckResult(qid, True, _say("correct", language, qid=qid))
    reason = _say(key, language, **values)
    if not type_error:
        for slip in question.wrong:
            if slip.because and grader(question, answer, slip.value, language)[0]:
                reason = _localize(slip.because, language).rstrip(".。")
                break
    message = _say("not_yet", language, qid=qid, reason=reason)
    hint = _localize(question.hint, language)
    if hint:
        message += _say("hint", language, hint=hint)
    return CheckResult(qid, False, message)


def _question(question_id: str) -> Question:
    from crmlib import questions

    registry = questions.registry()
    if question_id in registry:
        return registry[question_id]
    language = _language()
    near = difflib.get_close_matches(str(question_id), list(registry), n=3, cutoff=0.5)
    if near:
        raise UnknownQuestionError(_say("unknown_id", language, qid=question_id, near=", ".join(near)))
    prefixes = ", ".join(sorted({q.split(".")[0] + "." for q in registry})) or "—"
    raise UnknownQuestionError(_say("unknown_id_none", language, qid=question_id, prefixes=prefixes))


def check(question_id: str, answer: Any) -> CheckResult:
    """Give feedback on ``answer`` to the question ``question_id``.

    Parameters
    ----------
    question_id : str
        The id printed beside the question, e.g. ``"ch00.q2"``.
    answer : object
        Your answer: a number, a letter, a short text, a DataFrame... as the
        question asks. ``...`` or ``None`` means "not answered yet".

    Returns
    -------
    CheckResult
        ``passed`` and a one-line ``message``; shown as the verdict line in a
        notebook. Discussion questions also return a ``checklist``.

    Raises
    ------
    UnknownQuestionError
        When no question has this id; the message lists the nearest ids.

    Examples
    --------
    >>> check("ch00.q1", ...).passed
    False
    """
    return evaluate(_question(question_id), answer)
