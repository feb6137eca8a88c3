"""The glossary, the language setting, the chapter list and the 10C map."""

import doctest
import importlib
import pkgutil
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
    assert crmlib.term("customer_retention") == "客户保留"
    assert crmlib.bilingual("customer_retention") == "客户保留（customer retention）"
    crmlib.set_language("en")
    assert crmlib.bilingual("customer_retention") == "customer retention (客户保留)"


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
    ax = course.plot_ten_c_map()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "客户画像"
    assert ax.get_xlabel() == "章"
    assert ax.get_title() == glossary.term("ten_c", "zh")
    matplotlib.pyplot.close("all")


def test_set_style_sets_projector_size():
    crmlib.set_style()
    assert tuple(matplotlib.rcParams["figure.figsize"]) == plots.FIGSIZE == (8.0, 4.5)
    assert matplotlib.rcParams["figure.dpi"] == 100


MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(crmlib.__path__, "crmlib.")
    if not info.name.rsplit(".", 1)[-1].startswith("_")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0
    has_examples = ">>>" in Path(module.__file__).read_text(encoding="utf-8")
    assert result.attempted > 0 or not has_examples, f"{name} has examples that doctest did not run"


def test_the_library_teaches_by_example():
    """Most modules show how they are called; the examples above really ran."""
    attempted = {
        name: doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS).attempted
        for name in MODULES
    }
    assert sum(attempted.values()) > 50, attempted
    assert sum(n > 0 for n in attempted.values()) >= len(MODULES) // 2, attempted


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


def test_labelled_shows_glossary_terms_for_keys_and_leaves_the_rest():
    import pandas as pd

    from crmlib import labelled

    table = pd.DataFrame(
        {"cell": ["loyal_customer", "not a key"], "n": [3, 4]}, index=["champions", "somewhere"]
    )
    shown = labelled(table, "zh")
    assert shown.index.tolist() == [crmlib.term("champions", "zh"), "somewhere"]
    assert shown["cell"].tolist() == [crmlib.term("loyal_customer", "zh"), "not a key"]
    assert shown["n"].tolist() == [3, 4] and table.index[0] == "champions"  # a copy, numbers untouched
    with pytest.raises(crmlib.DataError, match="DataFrame or Series"):
        labelled(["champions"])


def test_labelled_with_headers_renames_column_labels_and_axis_names():
    import pandas as pd

    from crmlib import labelled

    table = pd.DataFrame(
        {"cost_to_serve": [1.0], "not_a_key": [2.0]}, index=pd.Index(["x"], name="kam_stage")
    )
    shown = labelled(table, "zh", headers=True)
    assert shown.columns.tolist() == [crmlib.term("cost_to_serve", "zh"), "not_a_key"]
    assert shown.index.name == crmlib.term("kam_stage", "zh")
    assert labelled(table, "zh").columns.tolist() == ["cost_to_serve", "not_a_key"]  # headers stay by default
    both = pd.concat({"normal_days": table}, axis=1)  # a MultiIndex of columns: every level
    assert labelled(both, "en", headers=True).columns.tolist() == [
        (crmlib.term("normal_days", "en"), crmlib.term("cost_to_serve", "en")),
        (crmlib.term("normal_days", "en"), "not_a_key"),
    ]


def test_labelled_shows_yes_no_the_demo_datas_chinese_names_and_labels_after_a_model_name():
    """True/False as 是/否; product lines, regions, company names in Chinese (value_labels.csv,
    in a MultiIndex and a Series too); a list of keys term by term; an English label name after
    a model's name (BG/NBD error %); English tables keep their values."""
    import pandas as pd

    table = pd.DataFrame(
        {"region": ["East China", "Mars"], "measured": [True, False], "BG/NBD error %": [1.0, 2.0]},
        index=pd.MultiIndex.from_tuples([("Coffee Machine", "Coffee Beans"), ("x", "y")]),
    )
    labelled = crmlib.labelled
    zh = labelled(table, "zh", headers=True)
    assert zh["地区"].tolist() == ["华东", "Mars"] and zh["调查中是否测量"].tolist() == ["是", "否"]
    assert list(zh.columns)[2] == "BG/NBD 误差（%）" and zh.index[0] == ("咖啡机", "咖啡豆")
    assert labelled(pd.Series(["Xinghe Hospitality Co., Ltd."]), "zh").item() == "星河酒店管理有限公司"
    assert labelled(pd.DataFrame({"a": ["responsiveness, care"]}), "zh")["a"].item() == "响应速度、客户关怀"
    en = labelled(table, "en", headers=True)
    assert en["region"].tolist() == ["East China", "Mars"] and en["measured in the survey"].tolist() == [
        True,
        False,
    ]
