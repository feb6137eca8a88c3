"""The course's Chinese font: shipped with crmlib, registered by set_style, drawing every
character the course writes (issue: Chinese renders on a machine without a CJK font)."""

from __future__ import annotations

import importlib.util
import re
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from fontTools.ttLib import TTFont

from crmlib import plots
from crmlib.glossary import glossary_table
from crmlib.language import messages

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("make_cjk_font", ROOT / "tools" / "make_cjk_font.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_cjk_font"] = module
    spec.loader.exec_module(module)
    return module


make_cjk_font = _tool()


def test_the_font_is_shipped_renamed_small_and_licensed():
    with TTFont(plots.COURSE_FONT, lazy=True) as font:
        assert font["name"].getDebugName(1) == plots.COURSE_FONT_FAMILY == make_cjk_font.FAMILY
    assert plots.COURSE_FONT.stat().st_size < 5e6  # a subset, not the 16 MB face
    licence = (plots.COURSE_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Noto Sans CJK SC" in licence
    assert "data/fonts/*.otf" in (ROOT / "pyproject.toml").read_text()  # installed with crmlib


def test_the_font_draws_gb2312_and_every_character_of_the_course():
    gb = make_cjk_font.gb2312()
    assert len([ch for ch in gb if "\u4e00" <= ch <= "\u9fff"]) == 6763  # the Chinese characters of GB 2312
    assert make_cjk_font.missing_from(plots.COURSE_FONT, gb) == []
    missing = make_cjk_font.missing_from(plots.COURSE_FONT, make_cjk_font.repository_characters())
    assert not missing, (
        f"the course font lacks {''.join(missing)}: rebuild it (tools/make_cjk_font.py SOURCE, see its docstring)"
    )


def test_a_character_outside_the_subset_is_found_missing():
    """The check can fail: a rare character (not GB 2312, not in the course) is reported."""
    assert make_cjk_font.missing_from(plots.COURSE_FONT, {"𠀀", "鿿", "客"}) == ["鿿"]


def test_set_style_draws_every_chinese_label_without_a_missing_glyph():
    plots.set_style()
    assert plots.COURSE_FONT_FAMILY in plt.rcParams["font.family"]
    terms = glossary_table(kind=None)["zh"].dropna().tolist()
    texts = [m["zh"] for m in messages().values()]
    # the verdict lines' emoji (✅ ❌ ✏️) are shown by Jupyter as text, never drawn in a figure
    emoji = re.compile("[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]")
    labels = [emoji.sub("", t) for t in terms + texts if isinstance(t, str) and t.strip()]
    assert len(labels) > 300
    figure, ax = plt.subplots()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
            for start in range(0, len(labels), 40):
                ax.set_title("；".join(labels[start : start + 40])[:400].replace("$", ""))
                figure.canvas.draw()
    finally:
        plt.close(figure)


def test_without_the_course_font_chinese_would_be_missing():
    """What the test above guards against: matplotlib's own font alone cannot draw Chinese."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        figure, ax = plt.subplots()
        ax.set_title("客户关系管理")
        try:
            with pytest.warns(UserWarning, match="missing from font"):
                figure.canvas.draw()
        finally:
            plt.close(figure)
