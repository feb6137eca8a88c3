"""The evolution of marketing concepts (营销观念的演进) and the history of CRM.

Small, documented tables that the chapters compare side by side, each in the
current language (:func:`crmlib.set_language`), and two figures: the value
shift from the firm's value to the customer's and society's, and a timeline
of CRM. The tables live in ``crmlib/data/concepts/*.csv`` with an English and
a Chinese column for every text, so that switching the language changes the
words, not the code.

References
----------
Kotler, P., & Keller, K. L. (2016). Marketing Management, 15th ed., ch. 1
(the company orientations toward the marketplace). Berry, L. L. (1983).
Relationship marketing. In Berry, Shostack & Upah (eds.), Emerging
Perspectives on Services Marketing, AMA, 25-28. Jackson, B. B. (1985). Build
customer relationships that last. Harvard Business Review 63(6), 120-128.
The slides 《顾客关系管理的性质和功能》 ("The nature and functions of CRM",
School of Journalism and Communication, Guangdong University of Foreign
Studies: the value shift figure and the history of CRM) and the report
《CRM介绍》 (an introduction to CRM: why CRM was named only in 1999).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .glossary import term
from .language import resolve
from .plots import PALETTE, finish, new_figure, wrap_label
from .validation import DataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "concept_table",
    "five_concepts",
    "transaction_vs_relationship",
    "crm_history",
    "plot_value_shift",
    "plot_crm_timeline",
]

_DIR = Path(__file__).with_name("data") / "concepts"


@cache
def _raw(name: str) -> pd.DataFrame:
    path = _DIR / f"{name}.csv"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in _DIR.glob("*.csv")))
        raise DataError(f"there is no concept table {name!r}; the tables are {known}")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def concept_table(name: str, lang: str | None = None) -> pd.DataFrame:
    """A concept table in one language: the ``*_en`` / ``*_zh`` columns become one column each.

    Parameters
    ----------
    name : str
        File stem in ``crmlib/data/concepts`` (e.g. ``"transaction_vs_relationship"``).
    lang : {"en", "zh"}, optional
        Default: the current language.

    Example
    -------
    >>> concept_table("transaction_vs_relationship", lang="zh").iloc[0, 0]
    '营销的基本单位'
    """
    lang = resolve(lang)
    raw = _raw(name).copy()
    out = {}
    for column in raw.columns:
        if column.endswith("_en") or column.endswith("_zh"):
            if column.endswith(f"_{lang}"):
                out[column[:-3]] = raw[column]
        else:
            out[column] = raw[column]
    return pd.DataFrame(out)


def five_concepts() -> pd.DataFrame:
    """The five marketing concepts in historical order, with the value each puts first.

    Returns
    -------
    DataFrame
        Indexed by the concept's name in the current language: ``zh`` (the
        Chinese term), ``era``, ``starting_point``, ``means``, ``goal`` and
        ``value_focus`` (firm's value, customer value or social value).

    Example
    -------
    >>> five_concepts()["value_focus"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ["firm's value", "firm's value", "firm's value", 'customer value', 'public/social value']
    """
    table = concept_table("marketing_concepts").sort_values("order", key=lambda s: s.astype(int))
    table.insert(0, "concept", table["key"].map(term))
    table.insert(1, "zh", table["key"].map(lambda k: term(k, "zh")))
    table["value_focus"] = table["value_key"].map(term)
    return table.drop(columns=["key", "order", "value_key"]).set_index("concept")


def transaction_vs_relationship() -> pd.DataFrame:
    """Transaction marketing (交易营销) against relationship marketing (关系营销), aspect by aspect.

    Example
    -------
    >>> transaction_vs_relationship().shape
    (7, 2)
    """
    table = concept_table("transaction_vs_relationship").set_index("aspect")
    table.index.name = None
    return table.rename(
        columns={"transaction": term("transaction_marketing"), "relationship": term("relationship_marketing")}
    )


def crm_history() -> pd.DataFrame:
    """The milestones of CRM: year, the idea (from the glossary) and who or what.

    Example
    -------
    >>> crm_history()["year"].tolist()
    [1980, 1983, 1985, 1990, 1999]
    """
    table = concept_table("crm_history")
    table["year"] = table["year"].astype(int)
    table.insert(1, "milestone", table["key"].map(term))
    return table.drop(columns="key")


def plot_value_shift(*, ax: Axes | None = None, title: str | None = None, source: str | None = None) -> Axes:
    """The five concepts as steps in time, coloured by the value they put first.

    The figure of the value shift (营销观念演进中的价值转换) of the slides
    《顾客关系管理的性质和功能》 ("The nature and functions of CRM"): production, product and selling concepts serve the firm's value;
    the marketing concept the customer's; the societal marketing concept
    the public's.
    """
    table = concept_table("marketing_concepts").sort_values("order", key=lambda s: s.astype(int))
    colours = {"firm_value": PALETTE[3], "customer_value": PALETTE[0], "social_value": PALETTE[2]}
    if ax is None:
        _, ax = new_figure()
    for i, row in enumerate(table.itertuples()):
        ax.barh(0, 1, left=i, height=0.6, color=colours[row.value_key], edgecolor="white", linewidth=3)
        ax.text(
            i + 0.5,
            0.05,
            wrap_label(term(row.key), 12),
            ha="center",
            va="center",
            color="white",
            fontsize=10,
            fontweight="bold",
        )
        ax.text(i + 0.5, -0.22, row.era, ha="center", va="center", color="white", fontsize=8)
    spans = table.groupby("value_key", sort=False)["order"].agg(lambda s: (int(s.min()), int(s.max())))
    for key, (first, last) in spans.items():
        ax.annotate(
            "",
            xy=(last, 0.45),
            xytext=(first - 1, 0.45),
            arrowprops={"arrowstyle": "<->", "color": colours[key]},
        )
        ax.text(
            (first - 1 + last) / 2,
            0.55,
            term(key),
            ha="center",
            va="bottom",
            color=colours[key],
            fontsize=11,
            fontweight="bold",
        )
    ax.annotate("", xy=(5, -0.5), xytext=(0, -0.5), arrowprops={"arrowstyle": "->", "color": "0.3"})
    ax.text(2.5, -0.6, term("time_axis"), ha="center", va="top", color="0.3")
    ax.set_xlim(-0.1, 5.1)
    ax.set_ylim(-0.8, 0.8)
    ax.axis("off")
    return finish(ax, title or term("value_shift"), source)


def plot_crm_timeline(*, ax: Axes | None = None, title: str | None = None, source: str | None = None) -> Axes:
    """A timeline of CRM from contact management (early 1980s) to Gartner's CRM (1999)."""
    table = crm_history()
    if ax is None:
        _, ax = new_figure()
    years = table["year"].to_numpy()
    ax.hlines(0, years.min() - 2, years.max() + 2, color="0.4", linewidth=1.5)
    for i, row in enumerate(table.itertuples()):
        up = 1 if i % 2 == 0 else -1
        ax.vlines(row.year, 0, 0.35 * up, color=PALETTE[0], linewidth=1)
        ax.plot(row.year, 0, marker="o", markersize=9, color=PALETTE[0], zorder=3)
        label = f"{row.year}\n{wrap_label(row.milestone, 18)}"
        ax.text(
            row.year,
            0.4 * up,
            label,
            ha="center",
            va="bottom" if up > 0 else "top",
            fontsize=10,
            fontweight="bold",
        )
        lines = label.count("\n") + 1
        ax.annotate(
            wrap_label(row.who, 24),
            xy=(row.year, 0.4 * up),
            xytext=(0, up * (lines * 13 + 4)),
            textcoords="offset points",
            ha="center",
            va="bottom" if up > 0 else "top",
            fontsize=8,
            color="0.3",
        )
    ax.set_ylim(-2.2, 2.2)
    ax.set_xlim(years.min() - 3, years.max() + 3)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(False)
    ax.set_xlabel(term("period_year"))
    return finish(ax, title or term("crm_history"), source)
