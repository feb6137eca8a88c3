"""Re-run notebooks in place from a fresh kernel, top to bottom.

    python tools/execute_notebooks.py                 # every chapter and solution notebook, every edition
    python tools/execute_notebooks.py --lang zh       # only the Chinese edition
    python tools/execute_notebooks.py PATH [PATH ...] # only these

Each notebook runs in its own folder with the kernel of this Python
environment, exactly as "Restart & Run All" would; cell timing metadata is
not recorded, and live widget state (random model ids, meaningless outside a
running kernel) is dropped, so a re-run changes the file only where an output
changes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmlib.course import NOTEBOOK_KINDS, edition_root  # noqa: E402
from crmlib.language import LANGUAGES  # noqa: E402

#: The notebooks that are executed and kept with their outputs (students' copies are not).
EXECUTED_KINDS = ("chapter", "solution")


def executed_notebooks(lang: str) -> list[Path]:
    """The chapter and solution notebooks of one edition, in order."""
    folders = [ROOT / edition_root(lang) / NOTEBOOK_KINDS[kind] for kind in EXECUTED_KINDS]
    return [p for folder in folders for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]


def targets(paths: list[str], langs: list[str] | None = None) -> list[Path]:
    if paths:
        return [Path(a).resolve() for a in paths]
    return [p for lang in langs or LANGUAGES for p in executed_notebooks(lang)]


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_widget_state(notebook) -> None:
    """Remove ipywidgets' saved state: a widget only lives in a running kernel, and its
    random model ids would change the file on every run. The text fallback stays."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)


def execute(path: Path, timeout: int = 600) -> float:
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    start = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    seconds = time.perf_counter() - start
    drop_widget_state(notebook)
    nbformat.write(notebook, path)
    return seconds


def main(args: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks to run (default: every executed notebook)")
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="one edition (default: all)")
    options = parser.parse_args(args)
    for path in targets(options.paths, options.lang):
        seconds = execute(path)
        print(f"{path.relative_to(ROOT)}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
