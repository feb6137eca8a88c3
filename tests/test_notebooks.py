"""Notebook hygiene, for every edition (language) of the course: every chapter and
solution notebook was run top to bottom in one fresh kernel, shows no error or
warning, leaks no machine path, calls no clock or network, opens with its title,
objectives and prerequisites in its language and ends with an up-to-date
navigation cell; a translated notebook is in step with its English source.
(Strict nbval re-runs the notebooks: see the Makefile's `nbval` target.)"""

import ast
import functools
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from crmlib.course import chapters, edition_root, notebook_path
from crmlib.language import LANGUAGES, message

ROOT = Path(__file__).resolve().parents[1]
MACHINE_PATH = re.compile(r"(/root/|/home/\w|/Users/\w|/tmp/|/work/|[A-Z]:\\\\Users|site-packages)")


@functools.cache
def _tool(name: str):
    """The module ``tools/<name>.py``, loaded once."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def notebooks(kind: str, lang: str) -> list[Path]:
    paths = [ROOT / notebook_path(n, lang, kind) for n in chapters()["number"]]
    return [p for p in paths if p.exists()]


def editions(*kinds: str) -> list:
    """pytest parameters (lang, path) over every edition's notebooks of these kinds."""
    return [
        pytest.param(lang, path, id=f"{lang}/{path.relative_to(ROOT / edition_root(lang))}")
        for lang in LANGUAGES
        for kind in kinds
        for path in notebooks(kind, lang)
    ]


EXECUTED = editions("chapter", "solution")
ALL = editions("chapter", "solution", "student")
CHAPTERS = editions("chapter")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def code_sources(path):
    return [(i, "".join(c["source"])) for i, c in enumerate(load(path)["cells"]) if c["cell_type"] == "code"]


def test_there_is_a_course_guide_in_english():
    assert (ROOT / "notebooks" / "00_course_guide.ipynb").exists()
    assert CHAPTERS, "no chapter notebook found"


def test_every_notebook_is_in_an_edition():
    """A notebook outside the layout of crmlib.course.notebook_path would escape these tests."""
    known = {path for _, path in (p.values for p in ALL)}
    found = {
        p
        for p in ROOT.rglob("*.ipynb")
        if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)
        and "benchmarks" not in p.parts
        and p.relative_to(ROOT).parts[0] != "build"  # what make book and make slides write (git-ignored)
    }
    assert found <= known, f"notebooks outside the editions' layout: {sorted(map(str, found - known))}"


@pytest.mark.parametrize(("lang", "path"), ALL)
def test_format_kernel_and_size(lang, path):
    notebook = load(path)
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert path.stat().st_size < 2 * 1024 * 1024, "over 2 MB: lower figure dpi or drop bulky outputs"


@pytest.mark.parametrize(("lang", "path"), EXECUTED)
def test_executed_in_order_without_errors_or_warnings(lang, path):
    expected = 1
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert cell["execution_count"] == expected, (
            f"cell {index}: execution count {cell['execution_count']}, expected {expected}: "
            "run `make execute` (Restart & Run All)"
        )
        expected += 1
        assert source.strip(), f"cell {index} is an empty code cell"
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"cell {index}: {output.get('ename')}"
            if output["output_type"] == "stream" and output["name"] == "stderr":
                raise AssertionError(f"cell {index} writes to stderr: {''.join(output['text'])[:200]}")


@pytest.mark.parametrize(("lang", "path"), ALL)
def test_no_machine_paths(lang, path):
    for index, cell in enumerate(load(path)["cells"]):
        text = "".join(cell["source"]) + json.dumps(cell.get("outputs", []))
        match = MACHINE_PATH.search(text)
        assert not match, f"cell {index} holds a machine path: {match.group(0)!r}"


@pytest.mark.parametrize(("lang", "path"), EXECUTED)
def test_sets_its_language_before_anything_else(lang, path):
    """The first code cell chooses the edition's language, so labels and verdicts follow it."""
    first = code_sources(path)[0][1]
    assert f'crmlib.set_language("{lang}")' in first, f"the first code cell must call set_language({lang!r})"


@pytest.mark.parametrize(("lang", "path"), CHAPTERS)
def test_chapter_opens_with_title_objectives_and_prerequisites(lang, path):
    cells = load(path)["cells"]
    first = "".join(cells[0]["source"])
    number = path.name[:2]
    assert cells[0]["cell_type"] == "markdown" and first.startswith(f"# {number} ")
    assert re.search(r"[\u4e00-\u9fff]", first.splitlines()[0]), "the title carries the Chinese name"
    for key in ("course.learning_objectives", "course.prerequisites"):
        heading = message(key, lang)
        assert heading in first, f"the first cell has no '{heading}'"
    assert "navigation" in cells[-1]["metadata"].get("tags", []), "the last cell is the navigation cell"


def test_navigation_cells_are_up_to_date(capsys):
    # the command of the pre-commit hook (tests/test_tooling.py runs it as a command), in this process
    assert _tool("navigation").main(["--check"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_readme_of_each_edition_links_every_written_chapter(lang):
    written = notebooks("chapter", lang)
    if not written:
        pytest.skip(f"no {lang} chapter yet")
    readme = (ROOT / edition_root(lang) / "README.md").read_text(encoding="utf-8")
    for path in written:
        assert f"(notebooks/{path.name})" in readme, f"{lang} README does not link {path.name}"


# ---------------------------------------------------------------- determinism, by parsing the code
#: Calls that read the clock, whatever the module is imported as (dt.now(), pd.Timestamp.today()).
CLOCK_ATTRIBUTES = {"now", "today", "utcnow", "time", "time_ns", "perf_counter", "monotonic"}
#: Modules that reach the network.
NETWORK_MODULES = {"requests", "urllib", "http", "socket", "httpx", "aiohttp", "ftplib", "smtplib"}
#: Unseeded global random state (numpy's legacy functions and the random module).
LEGACY_RANDOM = {"rand", "randn", "randint", "random", "choice", "normal", "uniform", "shuffle", "seed"}
WRITERS = {"to_csv", "to_parquet", "to_excel", "to_json", "to_pickle", "savefig", "write_text", "write_bytes"}


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def banned_calls(source: str) -> list[str]:
    """What in a code cell would make a notebook depend on the clock, the network or
    global random state, or write into datasets/. Found by parsing, not by substrings."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"import {n}" for n in names if n.split(".")[0] in NETWORK_MODULES | {"random", "time"}]
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        last = name.rsplit(".", 1)[-1]
        if last in CLOCK_ATTRIBUTES and "." in name:
            found.append(f"{name}() reads the clock")
        if (
            name.endswith("random." + last)
            and last in LEGACY_RANDOM
            and name.split(".")[0] in {"np", "numpy"}
        ):
            found.append(f"{name}() uses numpy's global random state: pass a default_rng(seed)")
        if last == "default_rng" and not node.args and not node.keywords:
            found.append("default_rng() without a seed")
        if last in WRITERS or name == "open":
            texts = [
                a.value for a in ast.walk(node) if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if any("datasets" in t for t in texts):
                found.append(f"{name}() writes into datasets/")
    return found


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("from datetime import datetime as dt\nx = dt.now()", "reads the clock"),
        ("import pandas as pd\npd.Timestamp.today()", "reads the clock"),
        ("import time\nt = time.time()", "import time"),
        ("from urllib.request import urlopen", "import urllib"),
        ("import numpy as np\nnp.random.normal(size=3)", "global random state"),
        ("import numpy as np\nrng = np.random.default_rng()", "without a seed"),
        ("df.to_csv('../datasets/demo/x.csv')", "writes into datasets/"),
    ],
)
def test_banned_calls_are_found_however_they_are_spelled(source, problem):
    assert any(problem in hit for hit in banned_calls(source)), banned_calls(source)


def test_ordinary_code_is_not_banned():
    source = "rng = np.random.default_rng(7)\nx = rng.normal(size=3)\nax = plots.plot_x(df, title='now')"
    assert banned_calls(source) == []


@pytest.mark.parametrize(("lang", "path"), EXECUTED)
def test_no_clock_network_global_randomness_or_writes_into_datasets(lang, path):
    problems = [f"cell {i}: {hit}" for i, source in code_sources(path) for hit in banned_calls(source)]
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize(("lang", "path"), CHAPTERS)
def test_code_cells_are_short(lang, path):
    """The lecture rhythm: a short code cell calling crmlib (CONTRIBUTING: about 15 lines at most)."""
    for index, source in code_sources(path):
        lines = len(source.splitlines())
        assert lines <= 15, f"cell {index} has {lines} lines: move what is not the lesson into crmlib"


@pytest.mark.parametrize(("lang", "path"), EXECUTED)
def test_no_saved_widget_state(lang, path):
    """Widget state holds random model ids that change on every run; tools/execute_notebooks.py drops it."""
    notebook = load(path)
    assert "widgets" not in notebook["metadata"], "run `make execute` (it drops widget state)"
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})


# ---------------------------------------------------------------- translations in step


TRANSLATED = [p for p in EXECUTED if p.values[0] != "en"]


@pytest.mark.parametrize(("lang", "path"), TRANSLATED)
def test_translation_is_in_step_with_its_english_source(lang, path):
    """Every cell translates the English cell as it is now (tools/translation.py status / diff)."""
    behind = [c for c in _tool("translation").status(path) if c.state != "current"]
    assert not behind, "; ".join(f"cell {c.index} ({c.cell_id}) {c.state} {c.reason}" for c in behind)


# Glossary keys a chapter may show in a displayed output: the reader is meant to use
# them as code, not read them as a result. Every other glossary key with an
# underscore (``actual_customer``, ``retained_buyer``, ``cost_to_serve``) in a
# table a chapter displays must be shown as its term (``crmlib.labelled``).
# Figures are not scanned (their text is in the PNG): render them and look.
KEYS_SHOWN_ON_PURPOSE = {
    # Chapter 09 prints a database's schema, SQL results and a customer_360 record: the field
    # names are the database's own, which the reader types in the next query
    ("09", "customer_id"),
    ("09", "city_tier"),
    ("09", "rfm_cell"),
    # the glossary itself, listed with its keys: the key is what crmlib.term() takes
    ("00", "ten_c"),
    ("00", "customer_management"),
    ("00", "cross_territory_selling"),
    ("00", "customer_service"),
    ("00", "repeat_transaction"),
    ("04", "value_to_customer"),
    ("04", "value_to_firm"),
    # describe_rfm's statistic names, the names of its returned Series
    ("00", "repeat_transactions"),
    # the names of the demo tables, each passed to crmlib.load_demo(name)
    ("00", "retention_campaign"),
    # the DataFrame columns of a customer's profile object (customer.web), read next by code
    ("02", "overall_satisfaction"),
    # a model's method compared with its formula: the header names the method
    ("03", "retention_rate"),
    # Chapter 05 (labelled in an earlier pass; its headers and index names wait for the
    # Chinese edition's pilot of that chapter), listed so that a new key in it fails.
    ("05", "rfm_segment"),
    ("05", "cost_to_serve"),
    # the survey's columns summarised by describe(): the names the reader's code uses next
    ("06", "overall_satisfaction"),
}
GLOSSARY_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def displayed_texts(path):
    """(cell index, text) of every displayed table or value a chapter stored."""
    for index, cell in enumerate(load(path)["cells"]):
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            if output["output_type"] in ("display_data", "execute_result"):
                for mime in ("text/plain", "text/html"):
                    if mime in output["data"]:
                        yield index, "".join(output["data"][mime])


@pytest.mark.parametrize("lang, path", CHAPTERS)
def test_displayed_outputs_show_labels_not_glossary_keys(lang, path):
    from crmlib.glossary import glossary_table

    keys = {k for k in glossary_table(kind=None).index if "_" in k}
    number = path.name[:2]
    shown = {
        (index, key)
        for index, text in displayed_texts(path)
        for key in GLOSSARY_KEY.findall(text)
        if key in keys and (number, key) not in KEYS_SHOWN_ON_PURPOSE
    }
    assert not shown, (
        f"{path.name}: glossary keys displayed instead of their terms (cell, key): {sorted(shown)}"
    )


def test_the_key_scan_finds_a_key_in_a_stored_table():
    table = "lifecycle_segment  suspect  prospect  actual_customer\nstage\nawareness  279  485  0"
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [{"output_type": "execute_result", "data": {"text/plain": table}}],
            }
        ]
    }
    path = ROOT / ".scratch" / "03_key_scan.ipynb"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")
    try:
        with pytest.raises(AssertionError, match="actual_customer"):
            test_displayed_outputs_show_labels_not_glossary_keys("en", path)
    finally:
        path.unlink()
