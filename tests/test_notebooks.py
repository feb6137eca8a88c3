"""Notebook hygiene: every chapter and solution notebook was run top to bottom
in one fresh kernel, shows no error or warning, leaks no machine path, and
ends with an up-to-date navigation cell. (Strict nbval re-runs them: see the
Makefile's `test` target.)"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "exercises" / "solutions").glob("[0-9][0-9]_*.ipynb"))
STUDENTS = sorted((ROOT / "exercises" / "student").glob("[0-9][0-9]_*.ipynb"))
MACHINE_PATH = re.compile(r"(/root/|/home/\w|/Users/\w|/tmp/|/work/|[A-Z]:\\\\Users|site-packages)")
EXECUTED = CHAPTERS + SOLUTIONS


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_is_a_course_guide():
    assert (ROOT / "notebooks" / "00_course_guide.ipynb") in CHAPTERS


@pytest.mark.parametrize("path", EXECUTED + STUDENTS, ids=lambda p: p.name)
def test_format_kernel_and_size(path):
    notebook = load(path)
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert path.stat().st_size < 2 * 1024 * 1024, "over 2 MB: lower figure dpi or drop bulky outputs"


@pytest.mark.parametrize("path", EXECUTED, ids=lambda p: p.name)
def test_executed_in_order_without_errors_or_warnings(path):
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


@pytest.mark.parametrize("path", EXECUTED + STUDENTS, ids=lambda p: p.name)
def test_no_machine_paths(path):
    for index, cell in enumerate(load(path)["cells"]):
        text = "".join(cell["source"]) + json.dumps(cell.get("outputs", []))
        match = MACHINE_PATH.search(text)
        assert not match, f"cell {index} holds a machine path: {match.group(0)!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_opens_with_title_objectives_and_prerequisites(path):
    cells = load(path)["cells"]
    first = "".join(cells[0]["source"])
    number = path.name[:2]
    assert cells[0]["cell_type"] == "markdown" and first.startswith(f"# {number} ")
    assert re.search(r"[\u4e00-\u9fff]", first.splitlines()[0]), "the title carries the Chinese name"
    for heading in ("Learning objectives", "Prerequisites"):
        assert heading in first, f"the first cell has no '{heading}'"
    assert "navigation" in cells[-1]["metadata"].get("tags", []), "the last cell is the navigation cell"


def test_navigation_cells_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "navigation.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_links_every_written_chapter():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in CHAPTERS:
        assert f"(notebooks/{path.name})" in readme, f"README.md does not link {path.name}"


@pytest.mark.parametrize("path", EXECUTED, ids=lambda p: p.name)
def test_no_clock_network_or_writes_into_datasets(path):
    sources = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "code")
    for forbidden in (
        "datetime.now",
        "date.today",
        "time.time(",
        "urlopen",
        "requests.",
        'to_csv("../datasets',
        "../datasets",
    ):
        assert forbidden not in sources, f"{path.name} uses {forbidden!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_code_cells_are_short(path):
    """The lecture rhythm: a short code cell calling crmlib (CONTRIBUTING: about 15 lines at most)."""
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] == "code":
            lines = len("".join(cell["source"]).splitlines())
            assert lines <= 15, f"cell {index} has {lines} lines: move what is not the lesson into crmlib"


@pytest.mark.parametrize("path", EXECUTED, ids=lambda p: p.name)
def test_no_saved_widget_state(path):
    """Widget state holds random model ids that change on every run; tools/execute_notebooks.py drops it."""
    notebook = load(path)
    assert "widgets" not in notebook["metadata"], "run `make execute` (it drops widget state)"
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})
