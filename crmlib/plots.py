"""The course look: one figure style, and the few helpers every figure uses.

Each figure is drawn by a ``plot_*`` function in the module of the topic it
shows (``value.plot_lorenz``, ``models.plot_tracking`` ...), and every one
keeps the same contract::

    ax = module.plot_something(data, *, <options>, ax=None, title=None, source=None)

it takes its data, then keyword arguments; draws on ``ax`` (a new course-size
figure when ``None``); states its message in ``title``; names the data in a
small ``source`` note (:func:`finish`); and returns the Axes. Every label is
taken from the glossary (:mod:`crmlib.glossary`) in the current language.
Figures are sized for a projector (8 x 4.5 inches at 100 dpi) and use a
colour-blind-safe palette.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager

from .language import get_language, message
from .validation import DataError, require_count, require_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PALETTE",
    "FIGSIZE",
    "DPI",
    "set_style",
    "grid_style",
    "source_note",
    "new_figure",
    "finish",
    "wrap_label",
    "figure_text",
    "amount_axis",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FIGSIZE = (8.0, 4.5)
#: At most this many rows or columns of panels in one figure (new_figure).
MAX_PANELS = 12
DPI = 100
#: The course's own Chinese font, shipped with crmlib: a subset of Noto Sans CJK SC (SIL Open
#: Font License 1.1) with the characters of GB 2312 and of the course's text
#: (``tools/make_cjk_font.py``); it comes before any installed Chinese font, so figures look the
#: same on every machine.
COURSE_FONT = Path(__file__).resolve().parent / "data" / "fonts" / "NotoSansSC-Course.otf"
COURSE_FONT_FAMILY = "Noto Sans SC Course"
_CJK_FONTS = [
    COURSE_FONT_FAMILY,
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
]


def set_style() -> None:
    """Set the course figure style for matplotlib (and so for seaborn), and show tables whole.

    Projector size, a colour-blind-safe colour cycle, light grid, no top and
    right spines, and a font list that draws Chinese labels on every machine:
    the course's own Chinese font (:data:`COURSE_FONT`, registered here) first. pandas shows every cell's whole text (by default it
    cuts text at 50 characters, and in a concept table the text is the
    content; a notebook wraps it).
    """
    pd.set_option("display.max_colwidth", None)
    installed = {f.name for f in font_manager.fontManager.ttflist}
    if COURSE_FONT_FAMILY not in installed and COURSE_FONT.exists():
        font_manager.fontManager.addfont(str(COURSE_FONT))
        installed.add(COURSE_FONT_FAMILY)
    # Latin text in matplotlib's own DejaVu Sans, as before; a glyph it lacks (Chinese, full-width
    # punctuation) falls back to the next family, the course's Chinese font
    fonts = ["DejaVu Sans"] + [name for name in _CJK_FONTS if name in installed]
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "figure.constrained_layout.use": True,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.labelsize": 11,
            "legend.frameon": False,
            # the families themselves, not "sans-serif": matplotlib falls back glyph by glyph only
            # along an explicit list of families
            "font.family": fonts,
            "font.sans-serif": fonts,
            "axes.unicode_minus": False,
        }
    )


@contextmanager
def grid_style(label_size: float = 9) -> Iterator[None]:
    """The course style for seaborn's figure-level plots (``sns.pairplot``, ``sns.FacetGrid``, ...).

    Those lay out their own grid of axes, which the course's constrained layout
    would fight (with a warning), and their many small panels want smaller axis
    labels. Use it around the call::

        with plots.grid_style():
            grid = sns.pairplot(table, hue="cluster", corner=True)
    """
    with mpl.rc_context({"figure.constrained_layout.use": False, "axes.labelsize": label_size}):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs: object) -> tuple[Figure, Axes | np.ndarray]:
    """``plt.subplots`` with the course size; returns ``(fig, ax)``."""
    nrows = require_count(nrows, "nrows", low=1, high=MAX_PANELS)
    ncols = require_count(ncols, "ncols", low=1, high=MAX_PANELS)
    kwargs.setdefault("figsize", FIGSIZE)
    return plt.subplots(nrows, ncols, **kwargs)


def source_note(ax: Axes, text: str) -> None:
    """Write a small ``Data: ...`` note under the lower right corner of ``ax``
    (``数据来源：...`` in Chinese, with the full-width colon a Chinese text uses)."""
    ax.annotate(
        message("course.source_note", text=text),
        xy=(1.0, 0.0),
        xycoords="axes fraction",
        xytext=(0, -34),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=8,
        color="0.4",
    )


def finish(ax: Axes, title: str | None = None, source: str | None = None) -> Axes:
    """The closing lines every course figure shares: the title, which states the
    figure's message, and the small source note. Returns ``ax``."""
    if title:
        ax.set_title(title)
    if source:
        source_note(ax, source)
    return ax


#: Chinese typesetting: marks a line may not start with, and marks it may not end with.
_NO_LINE_START = frozenset("，。、；：？！）》」』”’·%…—")
_NO_LINE_END = frozenset("（《「『“‘¥")
#: A Latin word or number (kept whole), a run of spaces, or one character.
_LABEL_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,'&/+%-]*|\s+|.", re.S)


def _columns(token: str) -> int:
    """Width of a piece of text in columns: a Chinese character or full-width mark takes two."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in token)


def wrap_label(text: str, width: int = 14) -> str:
    """Break a label into lines of at most ``width`` characters at spaces.

    Chinese text, which has no spaces and whose characters are twice as wide, is broken
    into lines of about ``width`` columns (a character counts two), as a Chinese typesetter
    would: the lines are balanced (no character left alone on the last one), a Latin word or
    number is kept whole, and no line starts with a closing mark (，。）》…) or ends with an
    opening one (（《“).
    """
    text = require_text(text, "text")
    width = require_count(width, "width", low=1)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text
    tokens = _LABEL_TOKEN.findall(text)
    n_lines = max(1, -(-_columns(text) // width))  # ceil: as many lines as before, but even
    target = _columns(text) / n_lines
    lines, line, used = [], "", 0
    for token in tokens:
        size = _columns(token)
        breakable = line and token[0] not in _NO_LINE_START and line[-1] not in _NO_LINE_END
        if breakable and used + size > target + 1 and len(lines) < n_lines - 1:
            lines.append(line.rstrip())
            line, used = "", 0
            if token.isspace():
                continue
        line += token
        used += size
    lines.append(line.rstrip())
    return "\n".join(lines)


_CJK = "\u3400-\u4dbf\u4e00-\u9fff"


def figure_text(text: str) -> str:
    """A label put together from parts, written the way the current language writes it.

    English is returned as it is (``95 % Wilson interval``, ``2 (66.7 %)``). Chinese takes
    the percent sign right after the number, a full-width colon and comma after a Chinese
    character, and full-width brackets: ``95% 威尔逊置信区间``, ``2（66.7%）``,
    ``平常日：实际值``. Every figure label that joins a term with a number or another term
    goes through it.

    Examples
    --------
    >>> from crmlib import set_language
    >>> set_language("zh")
    >>> figure_text("估计的增量效应, 95 % 置信区间"), figure_text("2 (66.7 %)")
    ('估计的增量效应，95% 置信区间', '2（66.7%）')
    >>> figure_text("高峰（11月12–20日）: 实际值")
    '高峰（11月12–20日）：实际值'
    >>> set_language("en")
    >>> figure_text("2 (66.7 %)")
    '2 (66.7 %)'
    """
    text = require_text(text, "text")
    if get_language() != "zh":
        return text
    text = re.sub(r"(\d) %", r"\1%", text)
    text = re.sub(rf"(?<=[{_CJK}）”]): ?", "：", text)
    text = re.sub(rf"(?<=[{_CJK}）”]), ?", "，", text)
    return re.sub(r" ?\(([^()]*)\)", r"（\1）", text)


def amount_axis(axis: object) -> None:
    """Write the tick labels of an amount axis the way the current language writes amounts.

    English groups thousands: ``1,500,000`` (not ``1.5`` with ``1e6`` in the corner). Chinese
    counts large amounts in 万 (ten thousand), as a Chinese report does: ``150万``, ``-12.5万``;
    amounts under 10,000 keep their digits (``2,500``).

    Parameters
    ----------
    axis : matplotlib Axis
        ``ax.yaxis``, ``ax.xaxis`` or a colour bar's axis.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib import set_language
    >>> set_language("zh")
    >>> _, ax = plt.subplots()
    >>> amount_axis(ax.yaxis)
    >>> formatter = ax.yaxis.get_major_formatter()
    >>> formatter(1_500_000), formatter(-125_000), formatter(2_500), formatter(0)
    ('150万', '-12.5万', '2,500', '0')
    >>> set_language("en")
    >>> plt.close("all")
    """
    from matplotlib.axis import Axis
    from matplotlib.ticker import FuncFormatter

    if not isinstance(axis, Axis):
        raise DataError(
            f"axis must be a matplotlib axis such as ax.yaxis or ax.xaxis, not {type(axis).__name__}"
        )

    def label(value: float, _position: object = None) -> str:
        if get_language() == "zh" and abs(value) >= 10_000:
            return f"{value / 10_000:,.1f}".rstrip("0").rstrip(".") + "万"
        return f"{value:,.0f}"

    axis.set_major_formatter(FuncFormatter(label))
