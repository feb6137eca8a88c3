"""Every text crmlib shows a student exists in every course language.

Walks the three homes of student-facing text (see crmlib.language): the message
templates, the question banks, and the bilingual values and figure texts of every
crmlib module, plus the glossary and the concept tables. Chinese text must use
full-width punctuation, as a Chinese textbook does.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pytest

import crmlib
from crmlib import exercises, glossary, language
from crmlib.language import LANGUAGES, half_width_punctuation, placeholders

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff]")


def assert_bilingual(value, where: str) -> None:
    """Both languages present and non-blank; the Chinese has Chinese in it and full-width punctuation."""
    assert isinstance(value, Mapping), f"{where}: not a bilingual value: {value!r}"
    missing = [lang for lang in LANGUAGES if not str(value.get(lang, "")).strip()]
    assert not missing, f"{where}: no {missing} text in {dict(value)!r}"
    assert CJK.search(value["zh"]), f"{where}: the zh text has no Chinese: {value['zh']!r}"
    bad = half_width_punctuation(value["zh"])
    assert not bad, f"{where}: half-width punctuation in Chinese text {bad}: {value['zh']!r}"


# ---------------------------------------------------------------- message templates
MESSAGES = language.messages()


def test_there_are_message_templates():
    assert {"exercise.correct", "exercise.not_yet", "course.learning_objectives"} <= set(MESSAGES)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_exists_in_every_language_with_the_same_placeholders(key):
    template = MESSAGES[key]
    assert set(template) == set(LANGUAGES)
    assert_bilingual(template, key)
    fields = {lang: placeholders(template[lang]) for lang in LANGUAGES}
    assert fields["en"] == fields["zh"], f"{key}: placeholders differ {fields}"


# ---------------------------------------------------------------- question banks
def bank_texts():
    for question in exercises.all_questions():
        for number, hint in enumerate(question.hints, 1):
            yield f"{question.id} hint {number}", hint
        for number, slip in enumerate(question.wrong):
            if slip.because:
                yield f"{question.id} mistake {number}", slip.because
        for number, point in enumerate(question.checklist):
            yield f"{question.id} checklist {number}", point


BANK_TEXTS = list(bank_texts())


def test_the_banks_hold_texts_to_check():
    assert len(BANK_TEXTS) > 100


@pytest.mark.parametrize(("where", "text"), BANK_TEXTS, ids=[w for w, _ in BANK_TEXTS])
def test_every_hint_explanation_and_checklist_point_is_bilingual(where, text):
    assert_bilingual(text, where)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_wrong_answer_reads_in_one_language_only(lang):
    """The verdict of a typical slip, with its explanation and hint, in the chosen language:
    in English no Chinese appears, in Chinese every sentence is Chinese."""
    for question in exercises.all_questions():
        for slip in question.wrong:
            if not slip.because:
                continue
            message = exercises.evaluate(question, slip.value_for(question.variants[0]), lang).message
            if lang == "en":
                # an English text may cite a Chinese term in brackets, never a Chinese sentence
                assert not re.search(r"[\u4e00-\u9fff]{8,}", message), message
            else:
                assert "not yet" not in message and "Hint" not in message, message
                assert not half_width_punctuation(message), message


# ---------------------------------------------------------------- glossary and concept tables
def test_glossary_chinese_uses_full_width_punctuation():
    table = glossary.glossary_table(kind=None)
    bad = {
        key: half_width_punctuation(row[column])
        for key, row in table.iterrows()
        for column in ("zh", "definition_zh")
        if half_width_punctuation(row[column])
    }
    assert not bad, bad


CONCEPT_TABLES = sorted((ROOT / "crmlib" / "data" / "concepts").glob("*.csv"))


@pytest.mark.parametrize("path", CONCEPT_TABLES, ids=lambda p: p.stem)
def test_every_concept_table_text_is_in_both_languages(path):
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    english = [c for c in table.columns if c.endswith("_en")]
    assert english, f"{path.name} has no *_en column"
    for column in english:
        partner = column[:-3] + "_zh"
        assert partner in table.columns, f"{path.name}: {column} has no {partner}"
        for index, row in table.iterrows():
            if row[column] or row[partner]:
                assert_bilingual({"en": row[column], "zh": row[partner]}, f"{path.name} row {index} {column}")


# ---------------------------------------------------------------- every module
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(crmlib.__path__, "crmlib.")
    if not info.name.rsplit(".", 1)[-1].startswith("_")
)


def bilingual_values(value, where: str, seen: set[int]):
    """Every mapping keyed by language inside a module-level object (dicts, lists, tuples)."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Mapping):
        if any(lang in value for lang in LANGUAGES) and all(isinstance(v, str) for v in value.values()):
            yield where, value
            return
        for key, item in value.items():
            yield from bilingual_values(item, f"{where}[{key!r}]", seen)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from bilingual_values(item, f"{where}[{index}]", seen)


def module_texts():
    for name in MODULES:
        module = importlib.import_module(name)
        seen: set[int] = set()
        for attribute, value in vars(module).items():
            if attribute.startswith("__") or getattr(value, "__module__", name) != name:
                continue
            yield from bilingual_values(value, f"{name}.{attribute}", seen)


MODULE_TEXTS = list(module_texts())


def test_modules_hold_bilingual_values():
    assert any(where.startswith("crmlib.datasets") for where, _ in MODULE_TEXTS)
    assert any(where.startswith("crmlib.synthetic.TABLES") for where, _ in MODULE_TEXTS)


@pytest.mark.parametrize(("where", "text"), MODULE_TEXTS, ids=[w for w, _ in MODULE_TEXTS])
def test_every_bilingual_value_of_a_module_is_complete(where, text):
    assert_bilingual(text, where)


#: matplotlib calls that put text on a figure: their text must come from the glossary
#: (crmlib.term), a message (crmlib.language.message) or the caller, never a literal.
TEXT_CALLS = {"set_xlabel", "set_ylabel", "set_title", "suptitle", "legend", "text", "annotate", "figtext"}


def literal_figure_texts(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in TEXT_CALLS
        ):
            for arg in node.args:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and re.search(r"[A-Za-z]{2}", arg.value)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}({arg.value!r})")
        if (
            isinstance(node, ast.keyword)
            and node.arg in {"label", "title", "xlabel", "ylabel"}
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and re.search(r"[A-Za-z]{2}", node.value.value)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.value.lineno} {node.arg}={node.value.value!r}")
    return found


def test_the_figure_text_scan_finds_a_literal(tmp_path):
    probe = ROOT / "crmlib" / "plots.py"
    assert literal_figure_texts(probe) == []
    sample = tmp_path / "sample.py"
    sample.write_text('ax.set_title("Weekly sales")\nax.text(0, 0, "peak")\nax.plot(x, label="actual")\n')
    original = ROOT
    try:
        globals()["ROOT"] = tmp_path
        assert len(literal_figure_texts(sample)) == 3
    finally:
        globals()["ROOT"] = original


def test_no_figure_text_is_written_into_crmlib_in_one_language():
    offenders = [
        hit for path in sorted((ROOT / "crmlib").rglob("*.py")) for hit in literal_figure_texts(path)
    ]
    assert not offenders, "figure texts must come from crmlib.term(...) or a message: " + "; ".join(offenders)


def test_every_student_visible_table_text_switches_language():
    """The tables crmlib prints in a chapter (data catalogue, demo tables, glossary) change words, not shape."""
    try:
        tables = {}
        for lang in LANGUAGES:
            crmlib.set_language(lang)
            tables[lang] = (crmlib.datasets.catalogue(), crmlib.demo_tables())
        for english, chinese in zip(tables["en"], tables["zh"], strict=True):
            assert english.shape == chinese.shape and list(english.columns) == list(chinese.columns)
            texts = chinese.select_dtypes("object").to_numpy().ravel()
            assert any(CJK.search(str(t)) for t in texts)
    finally:
        crmlib.set_language("en")
