"""crmlib.marketing_concepts: the concept tables are complete in both languages,
in the order the course teaches, and the figures take their words from the glossary."""

import re

import matplotlib
import pytest

matplotlib.use("Agg")

import crmlib
from crmlib import marketing_concepts as mc

CJK = re.compile(r"[\u4e00-\u9fff]")
TABLES = sorted(p.stem for p in (mc._DIR).glob("*.csv"))


@pytest.mark.parametrize("name", TABLES)
def test_every_text_column_has_both_languages_filled(name):
    en = mc.concept_table(name, lang="en")
    zh = mc.concept_table(name, lang="zh")
    assert list(en.columns) == list(zh.columns) and len(en) == len(zh) > 0
    for column in en.columns:
        assert (en[column].str.len() > 0).all(), f"{name}.{column} has an empty cell"
    text_columns = [c for c in en.columns if (mc._raw(name).columns == f"{c}_zh").any()]
    assert text_columns, f"{name} has no translated column"
    for column in text_columns:
        assert zh[column].map(lambda t: bool(CJK.search(t))).all(), f"{name}.{column}_zh is not Chinese"


def test_five_concepts_in_course_order_with_the_value_shift():
    """Seed 000: production, product, selling -> firm's value; marketing -> customer value;
    societal marketing -> public/social value."""
    crmlib.set_language("zh")
    try:
        table = mc.five_concepts()
        assert table.index.tolist() == ["生产观念", "产品观念", "推销观念", "营销观念", "社会营销观念"]
        assert table["value_focus"].tolist() == ["厂商价值"] * 3 + ["客户价值", "社会公众价值"]
    finally:
        crmlib.set_language("en")


def test_five_concepts_era_in_the_current_language():
    assert mc.five_concepts()["era"].iloc[0] == "to the 1920s"
    crmlib.set_language("zh")
    try:
        assert mc.five_concepts()["era"].tolist()[-1] == "20世纪70年代以后"
    finally:
        crmlib.set_language("en")


def test_crm_history_follows_course_map_dates():
    table = mc.crm_history()
    assert table["year"].is_monotonic_increasing
    by_year = dict(zip(table["year"], table["milestone"], strict=True))
    assert by_year[1980] == "contact management"
    assert by_year[1985].endswith("(Jackson)")
    assert by_year[1990] == "customer care"
    assert by_year[1999] == crmlib.term("crm")


def test_unknown_table_and_language_are_explained():
    with pytest.raises(
        ValueError, match=r"there is no concept table 'four_ps'; the tables are .*crm_history"
    ):
        mc.concept_table("four_ps")
    with pytest.raises(ValueError, match=r"language must be one of \('en', 'zh'\), got 'fr'"):
        mc.concept_table("crm_history", lang="fr")


def test_figures_switch_language():
    crmlib.set_language("zh")
    try:
        ax = mc.plot_value_shift()
        texts = {t.get_text() for t in ax.texts}
        assert {"厂商价值", "客户价值", "社会公众价值"} <= texts
        ax = mc.plot_crm_timeline()
        assert ax.get_title() == crmlib.term("crm_history", "zh")
        assert any("接触管理" in t.get_text() for t in ax.texts)
    finally:
        crmlib.set_language("en")
        matplotlib.pyplot.close("all")
