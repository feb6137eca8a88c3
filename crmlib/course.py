"""The shape of the course: its chapters and the 10C map.

The chapter list (``crmlib/data/chapters.csv``) is the one source for the
navigation cells, the README's contents and the 10C figure; the 10C map
(``crmlib/data/ten_c.csv``) says which chapters teach each C.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .glossary import term
from .language import get_language

__all__ = ["chapters", "ten_c_map"]

_DATA = Path(__file__).with_name("data")


def chapters() -> pd.DataFrame:
    """The chapters of the course, in order.

    Returns
    -------
    DataFrame
        ``number`` ("00"-"09"), ``slug``, ``title_en``, ``title_zh``,
        ``title`` (in the current language) and ``notebook`` (file name in
        ``notebooks/``).
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
    The 10C architecture of CRM (顧客關係管理的10C架構), course seed 004.
    """
    raw = pd.read_csv(_DATA / "ten_c.csv", dtype=str)
    numbers = chapters()["number"].tolist()
    rows = []
    for key, taught in zip(raw["key"], raw["chapters"], strict=True):
        taught_in = set(taught.split())
        unknown = taught_in - set(numbers)
        if unknown:
            raise ValueError(f"ten_c.csv names unknown chapters {sorted(unknown)} for {key}")
        row = {"C": term(key), "en": term(key, "en"), "zh": term(key, "zh")}
        row.update({number: number in taught_in for number in numbers})
        rows.append(row)
    return pd.DataFrame(rows).set_index("C")
