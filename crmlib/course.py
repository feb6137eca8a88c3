"""The shape of the course: its chapters, where each edition's notebooks live, and the 10C map.

The chapter list (``crmlib/data/chapters.csv``) is the one source for the
navigation cells, the README's contents and the 10C figure; the 10C map
(``crmlib/data/ten_c.csv``) says which chapters teach each C.

Each language is an *edition* of the course with the same files in a parallel
tree: the English edition at the root of the repository, the Chinese edition
under ``zh/``, with the same folder and file names::

    notebooks/04_customer_value_clv.ipynb            zh/notebooks/04_customer_value_clv.ipynb
    exercises/solutions/04_customer_value_clv.ipynb  zh/exercises/solutions/04_customer_value_clv.ipynb
    exercises/student/04_customer_value_clv.ipynb    zh/exercises/student/04_customer_value_clv.ipynb

so a relative link that works in one edition works in the other.
:func:`notebook_path` is the one place that knows this layout; every tool that
walks notebooks asks it, language by language.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pandas as pd

from .glossary import term
from .language import LANGUAGES, get_language, resolve
from .validation import DataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "EDITIONS",
    "NOTEBOOK_KINDS",
    "chapters",
    "edition_root",
    "notebook_path",
    "ten_c_map",
    "plot_ten_c_map",
]

_DATA = Path(__file__).with_name("data")

#: The folder of each language's edition, relative to the repository root.
EDITIONS = {"en": PurePosixPath("."), "zh": PurePosixPath("zh")}
#: The folder of each kind of notebook inside an edition.
NOTEBOOK_KINDS = {
    "chapter": PurePosixPath("notebooks"),
    "solution": PurePosixPath("exercises/solutions"),
    "student": PurePosixPath("exercises/student"),
}
assert set(EDITIONS) == set(LANGUAGES)


def edition_root(lang: str | None = None) -> PurePosixPath:
    """The folder of an edition relative to the repository root: ``.`` for English, ``zh`` for Chinese.

    Examples
    --------
    >>> str(edition_root("zh"))
    'zh'
    """
    return EDITIONS[resolve(lang)]


def notebook_path(number: str, lang: str | None = None, kind: str = "chapter") -> PurePosixPath:
    """Where the notebook of chapter ``number`` lives, relative to the repository root.

    Parameters
    ----------
    number : str
        Two-digit chapter number, ``"04"``.
    lang : {"en", "zh"}, optional
        The edition (default: the current language).
    kind : {"chapter", "solution", "student"}
        The chapter notebook, or its exercises with or without solutions.

    Examples
    --------
    >>> str(notebook_path("04", "zh", "student"))
    'zh/exercises/student/04_customer_value_clv.ipynb'
    >>> str(notebook_path("04", "en"))
    'notebooks/04_customer_value_clv.ipynb'
    """
    if kind not in NOTEBOOK_KINDS:
        raise DataError(f"kind must be one of {sorted(NOTEBOOK_KINDS)}, got {kind!r}")
    table = chapters().set_index("number")
    if number not in table.index:
        raise DataError(f"there is no chapter {number!r}; chapters are {', '.join(table.index)}")
    return edition_root(lang) / NOTEBOOK_KINDS[kind] / table.loc[number, "notebook"]


def chapters() -> pd.DataFrame:
    """The chapters of the course, in order.

    Returns
    -------
    DataFrame
        ``number`` ("00"-"09"), ``slug``, ``title_en``, ``title_zh``,
        ``title`` (in the current language) and ``notebook`` (the file name,
        the same in every edition and kind; see :func:`notebook_path`).
    """
    table = pd.read_csv(_DATA / "chapters.csv", dtype=str)
    table["title"] = table[f"title_{get_language()}"]
    table["notebook"] = table["number"] + "_" + table["slug"] + ".ipynb"
    return table


def ten_c_map() -> pd.DataFrame:
    """The 10C framework of CRM as a table: each C, its Chinese name, and
    the chapters that teach it.

    Returns
    -------
    DataFrame
        Indexed by the C's name in the current language, with the columns
        ``en``, ``zh`` and one boolean column per chapter ("00"-"09"),
        True where the chapter teaches that C.

    References
    ----------
    The 10C architecture of CRM (顧客關係管理的10C架構) of the report 《CRM介绍》
    (an introduction to CRM: the 10C framework, the Citibank case).
    """
    raw = pd.read_csv(_DATA / "ten_c.csv", dtype=str)
    numbers = chapters()["number"].tolist()
    rows = []
    for key, taught in zip(raw["key"], raw["chapters"], strict=True):
        taught_in = set(taught.split())
        unknown = taught_in - set(numbers)
        if unknown:
            raise DataError(f"ten_c.csv names unknown chapters {sorted(unknown)} for {key}")
        row = {"C": term(key), "en": term(key, "en"), "zh": term(key, "zh")}
        row.update({number: number in taught_in for number in numbers})
        rows.append(row)
    return pd.DataFrame(rows).set_index("C")


def plot_ten_c_map(*, ax: Axes | None = None, title: str | None = None, source: str | None = None) -> Axes:
    """The 10C map of the course: a dot where a chapter teaches a C (default title: the glossary's name of the 10C).

    Rows are the ten Cs (labels in the current language), columns the
    chapters 00-09; the data is :func:`ten_c_map`. The dots are named in a
    legend below the chapter axis.
    """
    from .plots import PALETTE, finish, new_figure

    table = ten_c_map()
    chapters = [c for c in table.columns if c.isdigit()]
    grid = table[chapters].to_numpy()
    if ax is None:
        _, ax = new_figure()
    rows, cols = grid.nonzero()
    ax.scatter(cols, rows, s=160, color=PALETTE[0], zorder=3, label=term("taught_in_chapter"))
    ax.set_xticks(range(len(chapters)), chapters)
    ax.set_yticks(range(len(table)), table.index)
    ax.set_xlim(-0.5, len(chapters) - 0.5)
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlabel(term("chapter"))
    ax.grid(True, alpha=0.4)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
    return finish(ax, title if title else term("ten_c"), source)
