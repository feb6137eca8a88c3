"""crmlib: the helper library of the crm-course (客户关系管理).

One module per course topic; the names a notebook uses most are re-exported
here. See the README of the repository for the chapter list.
"""

from .datasets import demo_tables, load_cdnow, load_demo, load_donations, load_sbg_retention
from .glossary import bilingual, define, glossary_table, labelled, term
from .language import get_language, set_language
from .plots import set_style
from .transactions import calibration_holdout_split, rfm_summary
from .validation import DataError

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "rfm_summary",
    "calibration_holdout_split",
    "load_cdnow",
    "load_demo",
    "demo_tables",
    "load_sbg_retention",
    "load_donations",
    "set_language",
    "get_language",
    "glossary_table",
    "term",
    "labelled",
    "bilingual",
    "define",
    "set_style",
]
