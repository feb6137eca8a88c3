"""The glossary, the language setting, the chapter list and the 10C map."""

import ast
import doctest
import importlib
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import crmlib
from crmlib import course, glossary, plots

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")

# The syllabus glossary (seed 002, listed at the end of COURSE_MAP) and the ten Cs.
SYLLABUS_TERMS = [
    "customer",
    "customer_management",
    "crm",
    "customer_satisfaction",
    "three_foot_rule",
    "key_account",
    "customer_loyalty",
    "cross_territory_selling",
    "customer_service",
    "marketing_relationship",
    "relationship_marketing",
    "external_customer",
    "intermediate_customer",
]
TEN_CS = [
    "customer_profile",
    "customer_knowledge",
    "customer_segmentation",
    "customization",
    "customer_value",
    "customer_satisfaction",
    "customer_development",
    "customer_retention",
    "customer_acquisition",
    "customer_profitability",
]


@pytest.fixture(autouse=True)
def english():
    crmlib.set_language("en")
    yield
    crmlib.set_language("en")


def test_every_entry_is_complete_in_both_languages():
    table = glossary.glossary_table(kind=None)
    assert table.index.is_unique
    for key, row in table.iterrows():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key), key
        assert row["en"] and row["definition_en"], key
        assert CJK.search(row["zh"]) and CJK.search(row["definition_zh"]), f"{key}: Chinese missing"
        assert row["chapter"] in course.chapters()["number"].tolist(), key


@pytest.mark.parametrize("key", SYLLABUS_TERMS + TEN_CS)
def test_syllabus_terms_and_ten_cs_are_in_the_glossary(key):
    assert glossary.term(key, "en")
    assert CJK.search(glossary.term(key, "zh"))


def test_language_switch_changes_terms_not_code():
    assert crmlib.term("customer_retention") == "customer retention"
    crmlib.set_language("zh")
    assert crmlib.get_language() == "zh"
    assert crmlib.term("customer_retention") == "顾客保留率"
    assert crmlib.bilingual("customer_retention") == "顾客保留率（customer retention）"
    crmlib.set_language("en")
    assert crmlib.bilingual("customer_retention") == "customer retention (顾客保留率)"


def test_bad_language_and_unknown_term_are_explained():
    with pytest.raises(ValueError, match=r"language must be one of \('en', 'zh'\), got 'fr'"):
        crmlib.set_language("fr")
    with pytest.raises(
        glossary.UnknownTermError,
        match=r"'customer_retension' is not in the glossary; did you mean customer_retention",
    ):
        crmlib.term("customer_retension")


def test_every_chapter_teaches_at_least_one_c_and_every_c_is_taught():
    table = course.ten_c_map()
    chapter_columns = [c for c in table.columns if c.isdigit()]
    assert len(table) == 10
    assert table[chapter_columns].any(axis=1).all(), "a C no chapter teaches"
    assert set(table["en"]) == {glossary.term(k, "en") for k in TEN_CS}
    # COURSE_MAP: chapters 02-09 each teach at least one C.
    assert table[[f"0{n}" for n in range(2, 10)]].any(axis=0).all()


def test_chapter_list_is_consistent():
    table = course.chapters()
    assert table["number"].tolist() == [f"{n:02d}" for n in range(10)]
    assert table["title_zh"].map(lambda t: bool(CJK.search(t))).all()


def test_ten_c_figure_takes_labels_from_glossary():
    crmlib.set_language("zh")
    ax = plots.plot_ten_c_map()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "顾客轮廓"
    assert ax.get_xlabel() == "章"
    assert ax.get_title() == glossary.term("ten_c", "zh")
    matplotlib.pyplot.close("all")


def test_set_style_sets_projector_size():
    crmlib.set_style()
    assert tuple(matplotlib.rcParams["figure.figsize"]) == plots.FIGSIZE == (8.0, 4.5)
    assert matplotlib.rcParams["figure.dpi"] == 100


def _literal_label_calls(path: Path) -> list[str]:
    """Calls like ax.set_xlabel("Weeks") that hard-code a label instead of term(...)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"set_xlabel", "set_ylabel", "set_title", "suptitle", "legend"}
        ):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
                    found.append(f"{path.name}:{node.lineno} {node.func.attr}({arg.value!r})")
        if (
            isinstance(node, ast.keyword)
            and node.arg == "label"
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and node.value.value.strip()
        ):
            found.append(f"{path.name}:{node.value.lineno} label={node.value.value!r}")
    return found


def test_no_hard_coded_figure_labels_in_crmlib():
    offenders = [hit for path in sorted((ROOT / "crmlib").glob("*.py")) for hit in _literal_label_calls(path)]
    assert not offenders, "figure labels must come from crmlib.term(...): " + "; ".join(offenders)


MODULES = sorted(p.stem for p in (ROOT / "crmlib").glob("*.py") if not p.stem.startswith("_"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"crmlib.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0


def test_each_glossary_file_holds_its_own_chapter():
    import pandas as pd

    for path in sorted((ROOT / "crmlib" / "data" / "glossary").glob("ch*.csv")):
        part = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert set(part["chapter"]) == {path.stem[2:]}, f"{path.name} holds terms of another chapter"


def test_every_term_key_used_in_crmlib_is_in_the_glossary():
    """A term(...) key missing from the glossary would only fail when that figure is drawn;
    this finds it now, for both languages at once."""
    keys = set(glossary.glossary_table(kind=None).index)
    used = {
        (path.relative_to(ROOT).as_posix(), key)
        for path in sorted((ROOT / "crmlib").rglob("*.py"))
        for key in re.findall(r"""\bterm\(\s*["']([a-z0-9_]+)["']""", path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no term(...) call at all"
    missing = sorted(f"{where}: {key}" for where, key in used if key not in keys)
    assert not missing, "glossary keys used but not defined: " + "; ".join(missing)
