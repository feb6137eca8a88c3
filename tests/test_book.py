"""The book (tools/book.py) read as a reader would: built from the repository, served on 127.0.0.1
and opened page by page in headless Chromium (Debian's, driven by Playwright).

Every page of both editions is loaded: no console error, no request to another host, no broken
image or link (anchors included), no raw TeX left. Then: the Chinese text is drawn with the
course font, search finds a glossary term in each language, the language switch lands on the same
page of the other edition, axe-core finds no serious or critical accessibility violation on one
page of each kind, and a chapter printed to PDF keeps every figure.

Without Chromium the browser tests are skipped (with the reason); with ``CRM_REQUIRE_BROWSER=1``
(CI, set by ``.ci/run``) they fail instead. ``CRM_BOOK_BUILD`` names the build folder (default: a
temporary one), so that ``make book-test`` can reuse its previous build.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import book  # noqa: E402
from crmlib.glossary import glossary_table  # noqa: E402
from crmlib.language import LANGUAGES  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
SKIPPED = "browser tests skipped: no chromium (CI installs Debian's chromium)"
#: The flags of tests/test_slides.py, and no background traffic of Chromium's own.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip

#: axe-core, the accessibility engine, from the npm registry (fetched once, checked).
AXE = ("axe-core", "4.11.1", "5b86f813d96904f2d925fed5715877c75fc1cc140f89565fb42145e7801b2305")

#: One page of each kind, per edition, checked with axe-core (every page is loaded and link-checked).
AXE_PAGES = ["README", "notebooks/04_customer_value_clv", "exercises/student/04_customer_value_clv",
             "glossary", "datasets/README", "instructors/04_customer_value_clv", "search"]  # fmt: skip
#: The chapter printed to PDF, and the pages whose language switch is followed.
PRINTED = "notebooks/04_customer_value_clv"
SWITCHED = [
    "README",
    "notebooks/05_customer_segmentation",
    "exercises/student/03_customer_lifecycle",
    "glossary",
]
#: The glossary term searched for, and the chapter that defines it.
SEARCHED = "customer_lifetime_value"
#: The only pages the Chinese edition shows in English (a stub linking the English page), and why.
ENGLISH_ONLY = {
    "benchmarks/rfm_results.md": "a generated report, re-written by benchmarks/rfm_engines.py at each run",
}


def _browser_or_skip():
    if CHROMIUM is None:
        if os.environ.get("CRM_REQUIRE_BROWSER"):
            pytest.fail("no chromium, and CRM_REQUIRE_BROWSER is set: CI must run the browser tests")
        pytest.skip(SKIPPED)


# ---------------------------------------------------------------------------------------------
# The parts of the build that need no browser


def test_every_chinese_page_is_translated_but_the_generated_reports():
    in_english = {page.path for page in book.pages("zh") if page.kind == "stub"}
    assert in_english == set(ENGLISH_ONLY), (
        f"shown in English in the Chinese book: {sorted(in_english - set(ENGLISH_ONLY))} (translate them "
        f"under zh/); translated, so no longer English only: {sorted(set(ENGLISH_ONLY) - in_english)}"
    )


def test_links_point_at_the_pages_of_the_same_or_the_other_edition():
    targets = book.link_targets()
    source = "notebooks/04_customer_value_clv.ipynb"
    text = "[next](05_customer_segmentation.ipynb) [ex](../exercises/student/04_customer_value_clv.ipynb#q1)"
    assert book.rewrite_links(text, source, "en", source, targets) == (
        "[next](05_customer_segmentation.ipynb) [ex](../exercises/student/04_customer_value_clv.ipynb#q1)"
    )
    guide = "instructors/04_customer_value_clv.md"
    assert book.rewrite_links(
        "[nb](../notebooks/04_customer_value_clv.ipynb)", guide, "en", guide, targets
    ) == ("[nb](../notebooks/04_customer_value_clv.ipynb)")
    # a Chinese page that links an English-only file goes to the English edition's page
    zh_source = "zh/notebooks/04_customer_value_clv.ipynb"
    page = "notebooks/04_customer_value_clv.ipynb"
    out = book.rewrite_links("[b](../../benchmarks/rfm_results.md)", zh_source, "zh", page, targets)
    assert out == '<a href="../../en/benchmarks/rfm_results.html" hreflang="en">b</a>'
    # a file that is no page keeps its text; a web address and an anchor are left alone
    assert (
        book.rewrite_links("see [the guide](../CONTRIBUTING.md)", guide, "en", guide, targets)
        == "see the guide"
    )
    assert book.rewrite_links("[x](https://doi.org/1) [y](#top)", guide, "en", guide, targets) == (
        "[x](https://doi.org/1) [y](#top)"
    )


def test_bold_holds_in_chinese_text_and_code_is_left_alone():
    text = "**客户细分（customer segmentation）**把客户分组；`a**b**c` 不变；**RFM** 得分"
    assert book.strong(text) == (
        "<strong>客户细分（customer segmentation）</strong>把客户分组；`a**b**c` 不变；<strong>RFM</strong> 得分"
    )


def test_a_figure_without_a_row_gets_its_plot_title_not_a_number():
    import nbformat

    cell = nbformat.v4.new_code_cell('ax = plots.bar(t, title="Revenue by segment, 2022", source="demo")')
    assert book.fallback_alt(cell, "## 3 Segments") == "Revenue by segment, 2022"
    cell = nbformat.v4.new_code_cell('ax.set_title(f"{name}: retention by cohort")')
    assert book.fallback_alt(cell, "") == "…: retention by cohort"
    assert book.fallback_alt(nbformat.v4.new_code_cell("plot(x)"), "## 3 The *Lorenz* curve\n\ntext") == (
        "3 The *Lorenz* curve"
    )


def test_the_glossary_page_has_every_term_in_both_languages():
    table = glossary_table()
    for lang in LANGUAGES:
        page = book.glossary_page(lang)
        rows = [line for line in page.splitlines() if line.startswith("| ") and "---" not in line]
        assert len(rows) == len(table) + table["chapter"].nunique(), (
            "one row per term, one header per chapter"
        )
        assert all(term in page for term in table["zh"]) and all(term in page for term in table["en"])


def test_every_chinese_term_is_one_search_word():
    import csv

    words = set(book._chinese_terms())
    with (ROOT / "crmlib" / "data" / "terminology.csv").open(encoding="utf-8", newline="") as handle:
        terminology = [row["zh"] for row in csv.DictReader(handle)]
    expected = {term for term in [*terminology, *glossary_table(kind=None)["zh"]] if " " not in term}
    assert expected == words and "客户生命周期价值" in words


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_exercise_page_shows_each_cell_once_and_hides_only_solutions(lang):
    """A cell the student and the solution share is shown once (once every linked cell, the
    title included, was shown twice: the solution's copy, its links rewritten, looked different)."""
    page = next(p for p in book.pages(lang) if p.kind == "exercise" and "05_" in p.path)
    notebook = book.exercise_notebook(lang, page, book.link_targets(), book.alt_rows(), {}, [])
    titles = [c for c in notebook.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("# ")]
    assert len(titles) == 1
    hidden = [c for c in notebook.cells if str(c.get("id", "")).endswith("-solution")]
    assert hidden and all(c.cell_type == "code" for c in hidden), "chapter 05's solutions are code"
    assert not any("# " in c.source and "<details" in c.source for c in notebook.cells)


def test_the_chinese_book_has_the_theme_s_words_in_chinese():
    """furo asks Sphinx for "Next", "Previous"... which Sphinx's Chinese catalogue lacks."""
    import gettext
    import io

    words = gettext.GNUTranslations(io.BytesIO(book.theme_catalogue("zh")))
    assert [words.gettext(english) for english in book.THEME_WORDS] == [
        "下一页",
        "上一页",
        "本页内容",
        "首页",
        "索引",
    ]


def test_the_chinese_pages_show_no_english_theme_word(site):
    chrome = re.compile(
        r"<span>\s*(Next|Previous)\s*</span>|toc-title\">\s*(On this page)"
    )  # furo's page.html
    for page in (site / "zh").rglob("*.html"):
        found = chrome.findall(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(site)}: {found}"
    assert chrome.search((site / "en" / "README.html").read_text(encoding="utf-8")), "the pattern finds them"


# ---------------------------------------------------------------------------------------------
# The built site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _browser_or_skip()
    out = Path(os.environ.get("CRM_BOOK_BUILD") or tmp_path_factory.mktemp("book"))
    try:
        times = book.build(out)
    except (subprocess.CalledProcessError, OSError) as error:
        pytest.fail(f"the book did not build: {error}")
    print(f"book built in {times['total']:.0f} s")
    return out / "html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory):
    """axe.min.js from the axe-core package of the npm registry (npm pack, SHA-256 checked)."""
    name, version, sha256 = AXE
    cache = ROOT / "build" / "_npm"
    tarball = cache / f"{name}-{version}.tgz"
    if not tarball.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(cache)],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    assert digest == sha256, f"{tarball.name}: SHA-256 {digest}, expected {sha256}"
    with tarfile.open(tarball) as archive:
        return archive.extractfile("package/axe.min.js").read().decode()


class Reader:
    """One headless Chromium page that records every request and every console error."""

    def __init__(self, server: str):
        from playwright.sync_api import sync_playwright

        self.server = server
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        self.page = self.browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.set_default_timeout(30_000)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console", lambda m: m.type == "error" and self.errors.append(f"{self.page.url}: {m.text}")
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))
        # nothing leaves the machine, even if a page asked: the request is recorded, then refused
        self.page.route(re.compile(r"^(?!http://127\.0\.0\.1:)(https?|wss?)://"), lambda route: route.abort())

    def open(self, path: str):
        response = self.page.goto(f"{self.server}/{path}", wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        self.page.wait_for_function(MATH_DONE, timeout=30_000)  # MathJax has typeset every formula
        return response

    def close(self):
        self.browser.close()
        self.playwright.stop()


#: True when MathJax 2 (if the page loads it) has typeset everything.
MATH_DONE = """() => typeof MathJax === 'undefined' || (MathJax.isReady === true
  && MathJax.Hub.queue.pending === 0 && MathJax.Hub.queue.running === 0)"""


#: What a page shows: its links, ids, images, text and any TeX that MathJax left raw.
PAGE_FACTS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.parentElement.closest('script, style, pre, code, .MathJax_Preview, .highlight') ? NodeFilter.FILTER_REJECT
      : NodeFilter.FILTER_ACCEPT});
  let text = '';
  while (walker.nextNode()) text += walker.currentNode.nodeValue + ' ';
  return {
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.name),
    images: [...document.querySelectorAll('img')].map(i => ({src: i.currentSrc || i.src, ok: i.complete
      && i.naturalWidth > 0, alt: i.getAttribute('alt')})),
    unrendered: [...document.querySelectorAll('span.math.notranslate, div.math.notranslate')].filter(e => !e.querySelector(
      '.MathJax, .MathJax_Display, .MathJax_SVG, mjx-container')).map(e => e.textContent.slice(0, 80)),
    text: text,
    lang: document.documentElement.lang,
  };
}"""

#: Raw TeX in a page's text: $...$ with a backslash, a ^ or a _ inside, or \\( \\[ left over.
RAW_TEX = re.compile(r"\$[^$\n]*[\\^_][^$\n]*\$|\\\(|\\\[")


@pytest.fixture(scope="module")
def crawl(site, server):
    """Every page reachable from index.html, opened in the browser: {path: facts}, and the reader's log."""
    reader = Reader(server)
    pages, todo = (
        {},
        ["index.html", *(f"{lang}/{name}.html" for lang in LANGUAGES for name in ("search", "genindex"))],
    )
    try:
        while todo:
            path = todo.pop()
            if path in pages:
                continue
            reader.open(path)
            facts = reader.page.evaluate(PAGE_FACTS)
            pages[path] = facts
            for link in facts["links"]:
                url, _ = urldefrag(link)
                target = unquote(urlsplit(url).path).lstrip("/")
                if url.startswith(server + "/") and url.endswith(".html") and (site / target).is_file():
                    todo.append(target)  # a link to nothing is reported by test_no_broken_link_or_anchor
    finally:
        reader.close()
    return pages, reader.requests, reader.errors


def _edition_pages(site: Path, lang: str) -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / lang).rglob("*.html")}


def test_every_built_page_is_reached_and_the_editions_mirror_each_other(site, crawl):
    pages, _, _ = crawl
    en, zh = _edition_pages(site, "en"), _edition_pages(site, "zh")
    in_english = [page.path for page in book.pages("zh") if page.kind == "stub"]
    print(
        f"pages: en {len(en)}, zh {len(zh)}; Chinese pages that link the English one (no translation yet): {len(in_english)}"
    )
    assert {p.removeprefix("en/") for p in en} == {p.removeprefix("zh/") for p in zh}, "the same paths"
    for lang, built in (("en", en), ("zh", zh)):
        assert {book.html_path(lang, page.path) for page in book.pages(lang)} <= built, "every page is built"
    assert en | zh <= set(pages), f"pages no link leads to: {sorted((en | zh) - set(pages))[:5]}"


def test_no_request_leaves_localhost_and_no_console_error(crawl, server):
    _, requests, errors = crawl
    outside = sorted({url for url in requests if not url.startswith((server, "data:", "blob:", "about:"))})
    assert not outside, f"requests to another host: {outside[:5]}"
    assert any("/_static/mathjax/" in url for url in requests), "the requests were recorded"
    assert not errors, f"console errors: {errors[:5]}"


def test_no_broken_link_or_anchor(site, crawl, server):
    pages, _, _ = crawl
    broken = []
    for path, facts in pages.items():
        for link in facts["links"]:
            url, anchor = urldefrag(link)
            if not url.startswith(server + "/"):
                continue
            target = unquote(urlsplit(url).path).lstrip("/")
            if target.endswith("/") or target == "":
                target += "index.html"
            if not (site / target).is_file():
                broken.append(f"{path} -> {target}")
            elif anchor and target in pages and unquote(anchor) not in pages[target]["ids"]:
                broken.append(f"{path} -> {target}#{anchor}")
    assert not broken, f"{len(broken)} broken links: {broken[:8]}"


def test_every_image_loads_and_says_what_it_shows(site, crawl):
    pages, _, _ = crawl
    broken = [
        f"{path}: {image['src']}"
        for path, facts in pages.items()
        for image in facts["images"]
        if not image["ok"]
    ]
    assert not broken, f"images that did not load: {broken[:5]}"
    figures = [
        (path, image)
        for path, facts in pages.items()
        for image in facts["images"]
        if "/_images/" in image["src"]
    ]
    assert len(figures) > 100, "the chapters' figures are on the pages"
    bad = [f"{path}: {image['alt']!r}" for path, image in figures
           if not image["alt"] or re.fullmatch(r"(?i)(figure|fig\.?|图)\s*\d*|plot|.*\.png", image["alt"].strip())]  # fmt: skip
    assert not bad, f"figures without an alt text that says what they show: {bad[:5]}"
    missing = [
        line
        for lang in LANGUAGES
        for line in (site.parent / "src" / lang / "missing_alt.txt").read_text().splitlines()
    ]
    assert not missing, (
        f"figures with no row in book/alt_text.csv (python tools/alt_text.py --check): {missing[:5]}"
    )


def test_every_formula_is_rendered(crawl):
    pages, _, _ = crawl
    math_pages = [
        path for path, facts in pages.items() if "MathJax" in " ".join(facts["ids"]) or facts["unrendered"]
    ]
    left = {path: facts["unrendered"][:2] for path, facts in pages.items() if facts["unrendered"]}
    assert not left, f"formulas MathJax did not render: {left}"
    raw = {
        path: RAW_TEX.findall(facts["text"])[:3]
        for path, facts in pages.items()
        if RAW_TEX.search(facts["text"])
    }
    assert not raw, f"raw TeX left on pages: {raw}"
    assert math_pages is not None


def test_every_chinese_character_of_the_chinese_edition_is_in_the_course_font(crawl):
    from fontTools.ttLib import TTFont

    pages, _, _ = crawl
    text = "".join(facts["text"] for path, facts in pages.items() if path.startswith("zh/"))
    chinese = {c for c in text if unicodedata.name(c, "").startswith(("CJK", "FULLWIDTH", "IDEOGRAPHIC"))}
    assert len(chinese) > 1000, "the Chinese edition's text was collected"
    with TTFont(book.FONT, lazy=True) as font:
        cmap = font.getBestCmap()
    missing = sorted(c for c in chinese if ord(c) not in cmap)
    assert not missing, (
        f"characters the course font lacks (extend tools/make_cjk_font.py): {''.join(missing)}"
    )


def test_a_chinese_page_is_drawn_with_the_course_font(server, site):
    reader = Reader(server)
    try:
        reader.open("zh/notebooks/04_customer_value_clv.html")
        reader.page.evaluate("document.fonts.ready.then(() => true)")
        session = reader.page.context.new_cdp_session(reader.page)
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        used = {}
        for selector in ("h1", "article p", "nav.book-bar a", ".sidebar-tree a"):
            node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            assert node, f"no {selector} on the page"
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            used[selector] = {f["familyName"]: f["glyphCount"] for f in fonts}
    finally:
        reader.close()
    print(used)
    for selector in ("h1", "article p", ".sidebar-tree a"):
        assert set(used[selector]) == {"Noto Sans SC Course"}, f"{selector} drawn with {used[selector]}"


def _search(reader: Reader, lang: str, query: str) -> list[str]:
    reader.open(f"{lang}/search.html?q={query}")
    # the summary is written when the search has finished
    reader.page.wait_for_function(
        "() => document.querySelector('#search-results p.search-summary')?.innerText"
    )
    return reader.page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.href)"
    )


def test_search_finds_a_glossary_term_in_each_language(server, site):
    term = glossary_table().loc[SEARCHED]
    chapter = next((ROOT / "notebooks").glob(f"{term['chapter']}_*.ipynb")).stem
    reader = Reader(server)
    try:
        found = {lang: _search(reader, lang, term[lang]) for lang in LANGUAGES}
        nothing = _search(reader, "zh", "量子纠缠")
    finally:
        reader.close()
    assert not reader.errors, f"the search page reported errors: {reader.errors[:3]}"
    for lang in LANGUAGES:
        pages = {urlsplit(url).path for url in found[lang]}
        assert f"/{lang}/notebooks/{chapter}.html" in pages, (
            f"{lang}: {term[lang]!r} not found in {chapter}: {pages}"
        )
    assert not nothing, "a term the course never uses finds nothing"


def test_the_language_switch_lands_on_the_same_page(server, site):
    reader = Reader(server)
    try:
        for page in SWITCHED:
            for lang in LANGUAGES:
                other = book.OTHER[lang]
                reader.open(f"{lang}/{page}.html")
                reader.page.click("a.book-switch")
                reader.page.wait_for_load_state("load")
                assert urlsplit(reader.page.url).path == f"/{other}/{page}.html"
                assert reader.page.evaluate("document.documentElement.lang") == book.HTML_LANG[other].replace(
                    "-", "-"
                )
    finally:
        reader.close()


def test_axe_finds_no_serious_or_critical_violation(server, site, axe_source):
    reader = Reader(server)
    found = {}
    try:
        for lang in LANGUAGES:
            for page in ["index", *AXE_PAGES] if lang == "en" else AXE_PAGES:
                path = "index.html" if page == "index" else f"{lang}/{page}.html"
                reader.open(path)
                reader.page.add_script_tag(content=axe_source)
                result = reader.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
                for violation in result["violations"]:
                    found.setdefault(violation["impact"], []).append(
                        f"{path}: {violation['id']} ({len(violation['nodes'])})"
                    )
    finally:
        reader.close()
    print("axe-core:", {impact: len(items) for impact, items in found.items()}, found)
    serious = found.get("serious", []) + found.get("critical", [])
    assert not serious, f"serious or critical accessibility violations: {serious}"


def test_a_printed_chapter_keeps_every_figure(server, site, tmp_path):
    reader = Reader(server)
    counts = {}
    try:
        for lang in LANGUAGES:
            reader.open(f"{lang}/{PRINTED}.html")
            reader.page.emulate_media(media="print")
            shown = reader.page.evaluate(
                """() => [...document.querySelectorAll('article img')].filter(i => i.complete && i.naturalWidth > 0
                  && i.getBoundingClientRect().width > 0).map(i => i.src)"""
            )
            hidden = reader.page.evaluate(
                "() => [...document.querySelectorAll('.sidebar-drawer, .toc-drawer, .announcement')]"
                ".filter(e => e.getBoundingClientRect().width > 0).length"
            )
            pdf = reader.page.pdf(format="A4", print_background=False)
            (tmp_path / f"{lang}.pdf").write_bytes(pdf)
            images = len(re.findall(rb"/Subtype\s*/Image", pdf)) - len(re.findall(rb"/SMask\s+\d+", pdf))
            counts[lang] = (len(set(shown)), images, hidden)
    finally:
        reader.close()
    print("printed chapter (distinct figures shown, images in the PDF, navigation shown):", counts)
    for lang, (shown, images, hidden) in counts.items():
        assert shown > 5, f"{lang}: the chapter's figures are shown when printing"
        assert images >= shown, f"{lang}: {shown} figures on the page, {images} images in the PDF"
        assert hidden == 0, f"{lang}: navigation is printed"
