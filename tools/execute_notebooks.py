"""Re-run notebooks in place from a fresh kernel, top to bottom.

    python tools/execute_notebooks.py                 # every chapter and solution notebook
    python tools/execute_notebooks.py PATH [PATH ...] # only these

Each notebook runs in its own folder with the kernel of this Python
environment, exactly as "Restart & Run All" would; cell timing metadata is
not recorded, and live widget state (random model ids, meaningless outside a
running kernel) is dropped, so a re-run changes the file only where an output
changes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GLOBS = ["notebooks/[0-9][0-9]_*.ipynb", "exercises/solutions/[0-9][0-9]_*.ipynb"]


def targets(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(p for pattern in DEFAULT_GLOBS for p in ROOT.glob(pattern))


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
    for path in targets(args):
        seconds = execute(path)
        print(f"{path.relative_to(ROOT)}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
