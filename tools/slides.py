"""Slides of the chapter notebooks: the slide metadata, and offline HTML decks.

    python tools/slides.py --annotate          # write the slide metadata of every chapter, every edition
    python tools/slides.py --annotate --check  # change nothing; exit 1 if a notebook's metadata is stale
    python tools/slides.py --build             # build/slides/NN_*.slides.html (make slides; zh: NN_*.zh.slides.html)
    python tools/slides.py --build 04 09       # only these chapters

**The rule of --annotate.** Every cell gets ``metadata.slideshow.slide_type``, from its own
text and stored outputs (nothing else of the notebook is changed: not a source, not an output):

=====================================================  ============
cell                                                   slide_type
=====================================================  ============
the title (the first cell, ``# ...``)                  ``slide``
a section heading (markdown starting ``## ``)          ``slide``
a subsection heading (markdown starting ``### ``)      ``subslide``
a prompt (markdown with ``Question``, in italics)      ``subslide``
a display formula (markdown with ``$$``)               ``subslide``
a key figure (code cell with a stored image output)    ``subslide``
any other markdown of at most SHORT characters         ``fragment``
any other (longer) markdown                            ``notes``
any other code cell (setup, tables), the navigation    ``skip``
=====================================================  ============

The rows are tried top to bottom; the first that fits decides. Live in JupyterLab the chapter
is then a slideshow with RISE (``jupyterlab-rise``), and ``--build`` makes the static decks.

**--build** writes one reveal.js deck per chapter from the stored outputs (no notebook is run)
with nbconvert's slides exporter, the same as ``jupyter nbconvert --to slides --no-input
--SlidesExporter.reveal_url_prefix=reveal.js ...`` with the template ``templates/offline_slides``
(nbconvert's reveal template without its CDN scripts: jQuery, RequireJS, Mermaid): the code is
hidden, the cells marked ``skip`` are left out, the ``notes`` are the speaker notes (key ``s``).
reveal.js (5.2.0; nbconvert's default is 4.0.2 from unpkg) and MathJax are copied next to the decks
(``build/slides/reveal.js``, ``build/slides/mathjax``), so a deck opened from that folder (or
served from it) asks no other host for anything. They come from two wheels of the Python
package index, fetched once with ``pip download --no-deps`` and checked against the SHA-256
below: ``sphinx-revealjs`` (which ships reveal.js) and ``jupyter-server-mathjax`` (which ships
MathJax 2). Neither is installed into the environment; only their static files are used.
The build refuses to write a deck that still names an outside ``http(s)://`` script or style.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmlib.course import chapters, edition_root, notebook_path  # noqa: E402
from crmlib.language import LANGUAGES  # noqa: E402

#: Prose longer than this (characters) goes to the speaker notes instead of the slide.
SHORT = 500

#: The build folder of the decks (git-ignored).
BUILD = ROOT / "build" / "slides"

#: The wheels whose static files the decks use: (name, version, sha256, folder in the wheel, folder in BUILD).
ASSETS = (
    (
        "sphinx-revealjs",
        "3.2.1",
        "805bed3ca459346e0f01967d5ed1c40d6b7b917de1541e1e4566c8341fe7017b",
        "sphinx_revealjs/_static/revealjs/",
        "reveal.js",
    ),
    (
        "jupyter-server-mathjax",
        "0.2.6",
        "416389dde2010df46d5fbbb7adb087a5607111070af65a1445391040f2babb5e",
        "jupyter_server_mathjax/static/",
        "mathjax",
    ),
)

#: reveal.js theme: "white" loads its fonts from reveal.js's own folder (nbconvert's default
#: "simple" imports Google Fonts).
THEME = "white"
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"

SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")


def _is_prompt(text: str) -> bool:
    """A question for the reader: ``*Question.*`` in English, ``*思考。*`` in Chinese."""
    return bool(re.search(r"\*Question\b|\*思考。\*", text))


def _has_figure(cell) -> bool:
    return any(
        "image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
        for out in cell.get("outputs", [])
    )


def slide_type(cell, index: int) -> str:
    """The slide type the rule of this module gives one cell (``index``: its position)."""
    if cell.cell_type == "code":
        return "subslide" if _has_figure(cell) else "skip"
    text = cell.source.lstrip()
    if "navigation" in cell.get("metadata", {}).get("tags", []):
        return "skip"
    if index == 0 and text.startswith("# "):
        return "slide"
    if text.startswith("## "):
        return "slide"
    if text.startswith("### "):
        return "subslide"
    if _is_prompt(text) or "$$" in text:
        return "subslide"
    return "fragment" if len(text) <= SHORT else "notes"


def annotate(notebook) -> bool:
    """Set the slide type of every cell; True when something changed. Only metadata is touched."""
    changed = False
    for index, cell in enumerate(notebook.cells):
        wanted = slide_type(cell, index)
        if cell.metadata.get("slideshow", {}).get("slide_type") != wanted:
            cell.metadata["slideshow"] = {"slide_type": wanted}
            changed = True
    return changed


def chapter_notebooks(numbers: list[str] | None = None, langs: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """The chapter notebooks that exist (all, or the chapters ``numbers``), edition by edition."""
    paths = []
    for lang in langs:
        for number in chapters()["number"]:
            if numbers and number not in numbers:
                continue
            path = ROOT / notebook_path(number, lang)
            if path.exists():
                paths.append(path)
    return paths


def deck_name(path: Path) -> str:
    """``04_customer_value_clv.slides.html``; a Chinese chapter's deck ends ``.zh.slides.html``."""
    zh = path.is_relative_to(ROOT / edition_root("zh"))
    return path.stem + (".zh" if zh else "") + ".slides.html"


def run_annotate(numbers: list[str] | None, check: bool) -> int:
    stale = []
    for path in chapter_notebooks(numbers):
        notebook = nbformat.read(path, as_version=4)
        if annotate(notebook):
            stale.append(path.relative_to(ROOT))
            if not check:
                nbformat.write(notebook, path)
    for path in stale:
        print(("stale: " if check else "annotated: ") + str(path))
    return 1 if check and stale else 0


# ---------------------------------------------------------------------------------------------
# The decks


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_wheel_files(asset: tuple, build: Path, cache: Path = BUILD / "_wheels") -> Path:
    """Copy one wheel's static files into ``build``; return the folder written.

    ``asset`` is a row of :data:`ASSETS`: (name, version, sha256, folder in the wheel, folder in
    ``build``). The wheel is downloaded once into ``cache`` with ``pip download --no-deps`` and
    checked against its SHA-256; a folder already holding that version is left as it is.
    """
    name, version, sha256, inside, target = asset
    if (build / target / ".version").exists() and (build / target / ".version").read_text() == version:
        return build / target
    cache.mkdir(parents=True, exist_ok=True)
    stem = name.replace("-", "_") + "-" + version
    wheels = list(cache.glob(stem + "-*.whl"))
    if not wheels:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:"]
        subprocess.run([*command, "--dest", str(cache), f"{name}=={version}"], check=True)
        wheels = list(cache.glob(stem + "-*.whl"))
    if sha256 and _sha256(wheels[0]) != sha256:
        raise SystemExit(f"{wheels[0].name}: SHA-256 {_sha256(wheels[0])}, expected {sha256}")
    shutil.rmtree(build / target, ignore_errors=True)
    with zipfile.ZipFile(wheels[0]) as wheel:
        for member in wheel.namelist():
            if member.startswith(inside) and not member.endswith("/"):
                out = build / target / member[len(inside) :]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(wheel.read(member))
    (build / target / ".version").write_text(version)
    return build / target


#: MathJax 2 (the row of ASSETS that the decks and the book use).
MATHJAX = next(asset for asset in ASSETS if asset[0] == "jupyter-server-mathjax")


def fetch_assets(build: Path = BUILD, cache: Path = BUILD / "_wheels") -> None:
    """Copy reveal.js and MathJax into ``build`` from their wheels (downloaded once, hash-checked)."""
    for asset in ASSETS:
        fetch_wheel_files(asset, build, cache)


#: A script, style sheet or module of a deck loaded from another host.
OUTSIDE = re.compile(
    r"""(?:src|href)\s*=\s*["'](?:https?:)?//"""  # <script src>, <link href>, <img src>
    r"""|@import\s+url\(\s*["']?(?:https?:)?//"""  # CSS imports
    r"""|\bimport\b[^;'"]*\bfrom\s*["'](?:https?:)?//"""  # ES modules
    r"""|\bimport\s*\(\s*["'](?:https?:)?//""",  # dynamic imports
    re.I,
)


def outside_references(html: str) -> list[str]:
    """The outside-host scripts, style sheets and imports a page would load (empty: none)."""
    found = []
    for match in OUTSIDE.finditer(html):
        tag_start = html.rfind("<", 0, match.start())
        tag = html[tag_start : html.find(">", match.end()) + 1]
        if tag.lower().startswith("<a ") or tag.lower().startswith("<a\n"):
            continue  # a link a reader may follow is not a request the deck makes
        found.append(html[match.start() : match.start() + 120])
    return found


def exporter():
    """nbconvert's slides exporter with the template of this folder (templates/offline_slides)."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.extra_template_basedirs = [str(ROOT / "tools" / "templates")]
    config.SlidesExporter.template_name = "offline_slides"
    config.SlidesExporter.reveal_url_prefix = "reveal.js"
    config.SlidesExporter.reveal_theme = THEME
    config.SlidesExporter.reveal_scroll = True
    config.SlidesExporter.mathjax_url = MATHJAX_URL
    config.SlidesExporter.exclude_input = True
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    return SlidesExporter(config=config)


def build_decks(numbers: list[str] | None = None, build: Path = BUILD) -> list[Path]:
    """Write ``build/NN_slug.slides.html`` for the chapters (all, or ``numbers``); return the paths."""
    fetch_assets(build)
    slides = exporter()
    written = []
    for path in chapter_notebooks(numbers):
        notebook = nbformat.read(path, as_version=4)
        title = notebook.cells[0].source.splitlines()[0].lstrip("# ").strip()
        slides.language_code = "zh-CN" if path.is_relative_to(ROOT / edition_root("zh")) else "en"
        html, _ = slides.from_notebook_node(notebook, resources={"metadata": {"name": title}})
        outside = outside_references(html)
        if outside:
            raise SystemExit(f"{path.name}: the deck would load from another host: {outside[:3]}")
        out = build / deck_name(path)
        out.write_text(html, encoding="utf-8")
        written.append(out)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--annotate", action="store_true", help="write the slide metadata of the chapters")
    action.add_argument("--build", action="store_true", help="build the offline HTML decks in build/slides/")
    parser.add_argument(
        "--check", action="store_true", help="with --annotate: change nothing, exit 1 if stale"
    )
    parser.add_argument("chapters", nargs="*", help="chapter numbers (default: every chapter)")
    args = parser.parse_args(argv)
    if args.annotate:
        return run_annotate(args.chapters or None, args.check)
    for path in build_decks(args.chapters or None):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
