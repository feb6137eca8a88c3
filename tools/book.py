"""The book: the whole course as a static website, English and Chinese, that works offline.

    python tools/book.py              # build/book/html/ (make book): index.html, en/, zh/
    python tools/book.py --source     # only write the Sphinx sources, build/book/src/{en,zh}/

Sphinx with MyST-NB renders the notebooks from their stored outputs (nothing is executed) with the
furo theme. The sources are generated into ``build/book/src/<lang>/`` from the repository (nothing
is written into a tracked folder); each edition is its own Sphinx project with the same page
paths, so the language switch on every page is a relative link to the same path in the other
edition (``en/notebooks/04_x.html`` <-> ``zh/notebooks/04_x.html``). The pages of an edition:

- ``README``: the edition's contents (``README.md``, ``zh/README.md``), the book's home page;
- ``notebooks/NN_*``: the chapters, with a download link to the notebook;
- ``exercises/student/NN_*``: the student notebook, each solution after its question in a closed
  "Show solution" toggle (HTML ``<details>``: no script needed, and it prints);
- ``glossary``: every glossary term, chapter by chapter, in both languages;
- ``datasets/...``, ``instructors/...``, ``benchmarks/...``: the data cards and the instructor's
  kit. A page with no Chinese version yet (``zh/instructors/<name>.md`` missing) says so in
  Chinese and links the English page.

Links between the course's files are rewritten to the pages that show them; a link to a file that
is no page (``CONTRIBUTING.md``, a CSV) keeps its text only. MathJax 2 comes from the
``jupyter-server-mathjax`` wheel (:func:`slides.fetch_wheel_files`), the course font
(``crmlib/data/fonts/NotoSansSC-Course.otf``) is served from ``_static/`` and comes first in the
Chinese edition's font stack, and the Chinese search index cuts words with jieba, which knows
every term of ``crmlib/data/terminology.csv`` and the glossary. Each figure's alt text comes from
``book/alt_text.csv`` (columns notebook, cell_id, output_index, en, zh; notebook is the English
path); a figure with no row gets the title its code gives the plot, or the heading it follows.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import slides  # noqa: E402

from crmlib.course import chapters, edition_root  # noqa: E402
from crmlib.glossary import glossary_table  # noqa: E402
from crmlib.language import LANGUAGES, message  # noqa: E402

BUILD = ROOT / "build" / "book"
FONT = ROOT / "crmlib" / "data" / "fonts" / "NotoSansSC-Course.otf"
ALT_TEXT = ROOT / "book" / "alt_text.csv"
TERMINOLOGY = ROOT / "crmlib" / "data" / "terminology.csv"
TEMPLATES = ROOT / "tools" / "templates" / "book"
OTHER = {"en": "zh", "zh": "en"}
HTML_LANG = {"en": "en", "zh": "zh-CN"}
#: Each language's name in itself: the language switch, and the glossary's column of the other language.
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
#: Files of the English tree that are pages of the book, besides the notebooks (same path in zh/).
DOCUMENTS = (
    "exercises/README.md",
    "datasets/README.md",
    "datasets/demo/README.md",
    "benchmarks/rfm_results.md",
)


@dataclass(frozen=True)
class Page:
    """One page of an edition: ``path`` in the edition's source folder, made from ``source``."""

    path: str
    source: Path | None  # the repository file; None for a generated page
    kind: str  # "copy", "notebook", "exercise", "glossary" or "stub" (no translation yet)


def pages(lang: str) -> list[Page]:
    """Every page of the edition ``lang``, in the order of the book."""
    base = ROOT / edition_root(lang)
    found = [Page("README.md", base / "README.md", "copy")]
    for path in sorted((base / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        found.append(Page(f"notebooks/{path.name}", path, "notebook"))
    found.append(_document(lang, "exercises/README.md"))
    for path in sorted((base / "exercises" / "solutions").glob("[0-9][0-9]_*.ipynb")):
        found.append(Page(f"exercises/student/{path.name}", path, "exercise"))
    found.append(Page("glossary.md", None, "glossary"))
    found += [_document(lang, name) for name in DOCUMENTS[1:]]
    guides = sorted((ROOT / "instructors").glob("*.md"), key=lambda p: (p.name != "README.md", p.name))
    found += [_document(lang, f"instructors/{path.name}") for path in guides]
    return found


def _document(lang: str, name: str) -> Page:
    path = ROOT / edition_root(lang) / name
    if path.exists():
        return Page(name, path, "copy")
    return Page(name, ROOT / name, "stub")


def link_targets() -> dict[str, tuple[str, str]]:
    """Repository path -> (edition, page path) of every file that is shown as a page."""
    targets = {"README.zh-CN.md": ("zh", "README.md")}
    for lang in LANGUAGES:
        for page in pages(lang):
            if page.source is None or page.kind == "stub":
                continue
            targets[page.source.relative_to(ROOT).as_posix()] = (lang, page.path)
            if page.kind == "exercise":
                student = page.source.parent.parent / "student" / page.source.name
                targets[student.relative_to(ROOT).as_posix()] = (lang, page.path)
    return targets


LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(([^)\s]+)\)")


def html_path(lang: str, page: str) -> str:
    """Where a page lands in the built site: ``en/notebooks/04_x.html``."""
    return f"{lang}/{posixpath.splitext(page)[0]}.html"


def rewrite_links(text: str, source: str, lang: str, page: str, targets: dict) -> str:
    """The Markdown ``text`` of the repository file ``source`` with its links pointing at pages."""

    def replace(match: re.Match) -> str:
        label, target = match.groups()
        if re.match(r"[a-z]+:|#", target):
            return match.group(0)
        file, _, anchor = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), file))
        anchor = "#" + anchor if anchor else ""
        if resolved in targets:
            other, path = targets[resolved]
            if other == lang:
                return f"[{label}]({posixpath.relpath(path, posixpath.dirname(page) or '.')}{anchor})"
            href = posixpath.relpath(html_path(other, path), posixpath.dirname(html_path(lang, page)))
            return f'<a href="{href}{anchor}" hreflang="{HTML_LANG[other]}">{label}</a>'
        if (ROOT / resolved).exists():
            return label  # a file of the repository that is no page of the book
        return match.group(0)

    return LINK.sub(replace, text)


BOLD = re.compile(r"\*\*([^*`\n]+?)\*\*")


def strong(text: str) -> str:
    """``**bold**`` as ``<strong>bold</strong>``, outside code spans.

    CommonMark (and so MyST) leaves ``**客户细分（customer segmentation）**把`` as it is, asterisks
    shown, because a closing ``**`` after punctuation must be followed by a space or punctuation;
    Chinese text has neither. Written as HTML, the bold holds in either language.
    """
    parts = re.split(r"(`+[^`]*`+)", text)
    return "".join(part if part.startswith("`") else BOLD.sub(r"<strong>\1</strong>", part) for part in parts)


def page_markdown(text: str, source: str, lang: str, page: str, targets: dict) -> str:
    """Markdown of a repository file as the book shows it: links to pages of the book, bold as HTML."""
    return strong(rewrite_links(text, source, lang, page, targets))


# ---------------------------------------------------------------------------------------------
# Alt text


def alt_rows(path: Path = ALT_TEXT) -> dict[tuple[str, str, int], dict[str, str]]:
    """(English notebook path, cell id, image index) -> {"en": ..., "zh": ...} from book/alt_text.csv."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["notebook"], row["cell_id"], int(row["output_index"])): {
                lang: row[lang] for lang in LANGUAGES
            }
            for row in csv.DictReader(handle)
        }


TITLE = re.compile(r"""(?:title|set_title|suptitle)\s*[=(]\s*f?(["'])(.+?)\1""")


def fallback_alt(cell, previous_markdown: str) -> str:
    """An alt text for a figure with no row: the title the code gives the plot, else the heading above."""
    titles = [re.sub(r"\{[^}]*\}", "…", m.group(2)) for m in TITLE.finditer(cell.source)]
    if titles:
        return "; ".join(titles)
    lines = [line.strip("#* ") for line in previous_markdown.splitlines() if line.strip()]
    return lines[0] if lines else "plot"


def image_outputs(cell):
    """(index, PNG bytes) of each image output of a code cell, in order."""
    index = 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            yield index, base64.b64decode(data["image/png"])
            index += 1


# ---------------------------------------------------------------------------------------------
# The sources


def _english_path(lang: str, page: Page) -> str:
    """The English repository path of a notebook page (the key of book/alt_text.csv)."""
    return page.source.relative_to(ROOT / edition_root(lang)).as_posix()


def notebook_cells(lang: str, page: Page, targets: dict, rows: dict, alts: dict, missing: list) -> list:
    """The cells of a notebook page: links rewritten, each figure's alt text recorded by image hash."""
    notebook = nbformat.read(page.source, as_version=4)
    english = _english_path(lang, page)
    source = page.source.relative_to(ROOT).as_posix()
    previous = ""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = page_markdown(cell.source, source, lang, page.path, targets)
            previous = cell.source
            continue
        for index, data in image_outputs(cell):
            row = rows.get((english, cell.get("id"), index))
            if row and row[lang].strip():
                alt = row[lang].strip()
            else:
                alt = fallback_alt(cell, previous)
                missing.append(f"{lang}: {english} {cell.get('id')} {index}")
            alts[hashlib.sha256(data).hexdigest()] = alt
    return notebook


def exercise_notebook(lang: str, page: Page, targets, rows, alts, missing):
    """The student notebook with each solution after its question, in a closed toggle."""
    solution = notebook_cells(lang, page, targets, rows, alts, missing)
    # compared as written: notebook_cells has rewritten the solution's links, not the student's
    written = {cell.get("id"): cell.source for cell in nbformat.read(page.source, as_version=4).cells}
    student_path = page.source.parent.parent / "student" / page.source.name
    student = nbformat.read(student_path, as_version=4)
    student_cells = {cell.get("id"): cell for cell in student.cells}
    show, hide = message("book.show_solution", lang), message("book.hide_solution", lang)
    cells = []
    for cell in solution.cells:
        mine = student_cells.get(cell.get("id"))
        if mine is not None and mine.source == written.get(cell.get("id")):
            cells.append(cell)
            continue
        if mine is not None:
            if mine.cell_type == "markdown":
                source = student_path.relative_to(ROOT).as_posix()
                mine.source = page_markdown(mine.source, source, lang, page.path, targets)
            cells.append(mine)
        cell.id = f"{cell.get('id')}-solution"  # the student's cell keeps the id
        if cell.cell_type == "code":
            cell.metadata["tags"] = [*cell.metadata.get("tags", []), "hide-cell"]
            cell.metadata["mystnb"] = {"code_prompt_show": show, "code_prompt_hide": hide}
        else:
            cell.source = (
                f'<details class="admonition hide solution">\n<summary>{html.escape(show)}</summary>\n\n'
                f"{cell.source}\n\n</details>"
            )
        cells.append(cell)
    solution.cells = cells
    return solution


def glossary_page(lang: str) -> str:
    """The glossary as one Markdown page: per chapter, the term in both languages and its definition."""
    table = glossary_table()
    titles = chapters().set_index("number")[f"title_{lang}"]
    other = OTHER[lang]
    lines = [f"# {message('book.glossary', lang)}", "", message("book.glossary_intro", lang), ""]
    header = [message("book.term", lang), LANGUAGE_NAMES[other], message("book.definition", lang)]
    for number, terms in table.groupby("chapter", sort=True):
        lines += [f"## {message('book.chapter', lang, number=number, title=titles[number])}", ""]
        lines += ["| " + " | ".join(header) + " |", "|---|---|---|"]
        for row in terms.itertuples():
            cells = [getattr(row, lang), getattr(row, other), getattr(row, f"definition_{lang}")]
            lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def stub_page(lang: str, page: Page) -> str:
    """A page with no translation yet: its English title and, in ``lang``, a link to the English page."""
    english = page.source.read_text(encoding="utf-8")
    title = next(line for line in english.splitlines() if line.startswith("# "))
    href = posixpath.relpath(html_path("en", page.path), posixpath.dirname(html_path(lang, page.path)))
    link = f'<a href="{href}" hreflang="en">{html.escape(title[2:])}</a>'
    return f"{title}\n\n{message('book.in_english', lang, link=link)}\n"


def toctree(lang: str) -> str:
    """The contents of the edition (hidden on the home page; furo shows them in the sidebar)."""
    groups = {
        "notebooks/": "book.chapters",
        "exercises/": "book.exercises",
        "instructors/": "book.instructors",
    }
    sections: dict[str, list[str]] = {}
    for page in pages(lang)[1:]:
        key = next((k for prefix, k in groups.items() if page.path.startswith(prefix)), "book.reference")
        sections.setdefault(key, []).append(posixpath.splitext(page.path)[0])
    blocks = []
    for key in ("book.chapters", "book.exercises", "book.reference", "book.instructors"):
        entries = "\n".join(sections[key])
        blocks.append(f"```{{toctree}}\n:hidden:\n:caption: {message(key, lang)}\n\n{entries}\n```\n")
    return "\n" + "\n".join(blocks)


#: The theme's own words that Sphinx's Chinese catalogue lacks (furo asks for them by these English
#: strings): the Chinese book gets them from the book's messages, in a catalogue of its own.
THEME_WORDS = {
    "Next": "book.theme.next",
    "Previous": "book.theme.previous",
    "On this page": "book.theme.on_this_page",
    "Home": "book.theme.home",
    "Index": "book.theme.index",
}


def theme_catalogue(lang: str) -> bytes:
    """The compiled gettext catalogue (``sphinx.mo``) of :data:`THEME_WORDS` in ``lang``."""
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="zh_CN" if lang == "zh" else lang, domain="sphinx")
    for english, key in THEME_WORDS.items():
        catalog.add(english, message(key, lang))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (Sphinx then rebuilds only what changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


CONF = """# Generated by tools/book.py: the Sphinx configuration of one edition of the book.
project = {title!r}
html_title = {title!r}
language = {language!r}
root_doc = "README"
extensions = ["myst_nb"]
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
myst_update_mathjax = False
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
# MathJax 2 from the wheel, which ships its STIX-Web fonts only (not the TeX fonts, MathJax's
# default); its font probe MathJax_Blank asks for url(about:blank), which Chromium logs as an error
mathjax2_config = {{
    "HTML-CSS": {{
        "availableFonts": [], "preferredFont": None, "webFont": "STIX-Web", "imageFont": None,
        "styles": {{"@font-face": {{"font-family": "MathJax_Blank", "src": "local('MathJax_Blank')"}}}},
    }},
    "messageStyle": "none",
}}
html_theme = "furo"
html_theme_options = {{"announcement": "language", "top_of_page_buttons": []}}
templates_path = ["_templates"]
locale_dirs = ["locales"]  # the Chinese book's words for the theme (tools/book.py THEME_WORDS)
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_copy_source = False
html_show_sourcelink = False
html_search_options = {search!r}
html_context = {context!r}
{search_fix}"""

#: Sphinx 9.0.4's Chinese search script ends ``window.Stemmer = ChineseStemmer``, a name it never
#: defines (its stemmer is the English one): the search page then finds nothing. Named for what it is.
SEARCH_FIX = """
import logging
import warnings

warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)  # jieba 0.42.1 imports it
from sphinx.search.zh import SearchChinese  # noqa: E402
import jieba  # noqa: E402

jieba.setLogLevel(logging.WARNING)  # not the progress of loading its dictionary


class SearchChineseFixed(SearchChinese):
    language_name = "English"  # the stemmer of Latin words in Chinese text: English's


def setup(app):
    app.add_search_language(SearchChineseFixed)
"""


def write_sources(lang: str, out: Path) -> dict[str, str]:
    """Write the Sphinx project of edition ``lang`` into ``out``; return {image sha256: alt text}.

    Figures without a row in book/alt_text.csv are listed in ``out/missing_alt.txt``.
    """
    targets, rows, alts, missing = link_targets(), alt_rows(), {}, []
    for page in pages(lang):
        target = out / page.path
        if page.kind in ("notebook", "exercise"):
            make = notebook_cells if page.kind == "notebook" else exercise_notebook
            notebook = make(lang, page, targets, rows, alts, missing)
            write_if_changed(target, nbformat.writes(notebook))
        elif page.kind == "glossary":
            write_if_changed(target, glossary_page(lang))
        elif page.kind == "stub":
            write_if_changed(target, stub_page(lang, page))
        else:
            source = page.source.relative_to(ROOT).as_posix()
            text = page_markdown(page.source.read_text(encoding="utf-8"), source, lang, page.path, targets)
            write_if_changed(target, text + (toctree(lang) if page.path == "README.md" else ""))
    search = {}
    if lang == "zh":
        words = _chinese_terms()
        write_if_changed(out / "jieba_words.txt", "".join(f"{word}\n" for word in words))
        search = {"dict": str(out / "jieba_words.txt")}
    context = {
        "book_lang": lang,
        "book_other": OTHER[lang],
        "book_other_label": LANGUAGE_NAMES[OTHER[lang]],
        "book_other_hreflang": HTML_LANG[OTHER[lang]],
        "book_download": message("book.download", lang),
        "book_choose": message("book.choose", lang),
    }
    title = message("book.title", lang)
    conf = CONF.format(
        title=title,
        language="zh_CN" if lang == "zh" else "en",
        search=search,
        context=context,
        search_fix=SEARCH_FIX if lang == "zh" else "",
    )
    write_if_changed(out / "conf.py", conf)
    if lang == "zh":
        catalogue = out / "locales" / "zh_CN" / "LC_MESSAGES" / "sphinx.mo"
        catalogue.parent.mkdir(parents=True, exist_ok=True)
        if not catalogue.exists() or catalogue.read_bytes() != theme_catalogue(lang):
            catalogue.write_bytes(theme_catalogue(lang))
    for template in TEMPLATES.rglob("*"):
        if template.is_file():
            folder = "_static" if template.suffix == ".css" else "_templates"
            write_if_changed(out / folder / template.name, template.read_text(encoding="utf-8"))
    (out / "_static" / "fonts").mkdir(parents=True, exist_ok=True)
    if not (out / "_static" / "fonts" / FONT.name).exists():
        shutil.copy2(FONT, out / "_static" / "fonts" / FONT.name)
        shutil.copy2(FONT.parent / "OFL.txt", out / "_static" / "fonts" / "OFL.txt")
    write_if_changed(out / "missing_alt.txt", "".join(f"{line}\n" for line in missing))
    write_if_changed(out / "alt_text.json", json.dumps(alts, ensure_ascii=False, indent=0))
    return alts


def _chinese_terms() -> list[str]:
    """Every Chinese term of the terminology table and the glossary (jieba then keeps each whole)."""
    with TERMINOLOGY.open(encoding="utf-8", newline="") as handle:
        words = {row["zh"].strip() for row in csv.DictReader(handle)}
    words |= {str(term).strip() for term in glossary_table(kind=None)["zh"]}
    return sorted(word for word in words if word and " " not in word)


# ---------------------------------------------------------------------------------------------
# The build


#: What the built pages need besides their alt text, for assistive technology: a heading role
#: needs a level (Sphinx's sidebar captions), and a block that scrolls must take the keyboard focus.
FIXES = (
    ('<p class="caption" role="heading">', '<p class="caption" role="heading" aria-level="2">'),
    ("<pre>", '<pre tabindex="0">'),
)


def finish_pages(folder: Path, alts: dict[str, str]) -> int:
    """Give every notebook figure of the built pages in ``folder`` its alt text, apply :data:`FIXES`.

    Returns how many figures got their alt text.
    """
    image = re.compile(r'<img alt="[^"]*" (class="[^"]*" )?src="([^"]*_images/([0-9a-f]{64})\.png)"')
    count = 0
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")

        def replace(match: re.Match) -> str:
            nonlocal count
            alt = alts.get(match.group(3))
            if alt is None:
                return match.group(0)
            count += 1
            return f'<img alt="{html.escape(alt)}" {match.group(1) or ""}src="{match.group(2)}"'

        new = image.sub(replace, text)
        for old, fixed in FIXES:
            new = new.replace(old, fixed)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return count


INDEX = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_en} · {title_zh}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}}
@font-face{{font-family:"Noto Sans SC Course";src:url("zh/_static/fonts/{font}") format("opentype")}}
[lang="zh-CN"]{{font-family:"Noto Sans SC Course",sans-serif}} a{{color:#0645ad;font-size:1.4rem}}</style></head>
<body><main><h1>{title_en} · <span lang="zh-CN">{title_zh}</span></h1>
<p>{choose_en} · <span lang="zh-CN">{choose_zh}</span></p>
<ul><li><a href="en/README.html" hreflang="en">English</a></li>
<li><a href="zh/README.html" hreflang="zh-CN" lang="zh-CN">中文</a></li></ul></main></body></html>
"""


def build(out: Path = BUILD, quiet: bool = True) -> dict[str, float]:
    """Build both editions into ``out/html`` (sources in ``out/src``); return the seconds each step took."""
    times, start = {}, time.monotonic()
    alts = {lang: write_sources(lang, out / "src" / lang) for lang in LANGUAGES}
    times["sources"] = time.monotonic() - start
    for lang in LANGUAGES:
        slides.fetch_wheel_files(slides.MATHJAX, out / "html" / lang / "_static", out / "_wheels")
    # jieba keeps its dictionary cache in the temporary folder: the build folder's own, not /tmp.
    (out / "tmp").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TMPDIR": str(out / "tmp")}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                "html",
                *(["-q"] if quiet else []),
                "--fail-on-warning",
                "-d",
                str(out / "doctrees" / lang),
                str(out / "src" / lang),
                str(out / "html" / lang),
            ],
            env=env,
        )
        for lang in LANGUAGES
    ]
    failed = [lang for lang, run in zip(LANGUAGES, runs, strict=True) if run.wait() != 0]
    if failed:
        raise SystemExit(f"sphinx failed for the edition(s): {', '.join(failed)}")
    times["sphinx"] = time.monotonic() - start - times["sources"]
    # MyST-NB writes the figures next to the editions; Sphinx has copied them into each _images/.
    shutil.rmtree(out / "html" / "jupyter_execute", ignore_errors=True)
    for lang in LANGUAGES:
        finish_pages(out / "html" / lang, alts[lang])
        for page in pages(lang):
            if page.kind == "notebook":
                shutil.copy2(page.source, out / "html" / lang / page.path)
            elif page.kind == "exercise":
                student = page.source.parent.parent / "student" / page.source.name
                shutil.copy2(student, out / "html" / lang / page.path)
    titles = {f"title_{lang}": message("book.title", lang) for lang in LANGUAGES}
    choose = {f"choose_{lang}": message("book.choose", lang) for lang in LANGUAGES}
    (out / "html" / "index.html").write_text(
        INDEX.format(font=FONT.name, **titles, **choose), encoding="utf-8"
    )
    times["total"] = time.monotonic() - start
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", action="store_true", help="only write the Sphinx sources")
    parser.add_argument("--out", type=Path, default=BUILD, help="build folder (default build/book)")
    args = parser.parse_args(argv)
    if args.source:
        for lang in LANGUAGES:
            write_sources(lang, args.out / "src" / lang)
        return 0
    times = build(args.out)
    print(
        f"book: {args.out / 'html' / 'index.html'} ({', '.join(f'{k} {v:.0f} s' for k, v in times.items())})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
