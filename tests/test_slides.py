"""Slides: every chapter carries the slide metadata of tools/slides.py's rule, and a built deck
works offline in a browser (headless Chromium): the slides are there, the formulas rendered, and
no request left 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import slides  # noqa: E402

from crmlib.course import edition_root  # noqa: E402
from crmlib.language import LANGUAGES  # noqa: E402

CHAPTERS = sorted(
    p for lang in LANGUAGES for p in (ROOT / edition_root(lang) / "notebooks").glob("[0-9][0-9]_*.ipynb")
)


def kinds(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.metadata.get("slideshow", {}).get("slide_type") for cell in notebook.cells]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_title_and_every_section_start_a_slide(path):
    notebook = nbformat.read(path, as_version=4)
    sections = [
        i
        for i, c in enumerate(notebook.cells)
        if c.cell_type == "markdown" and c.source.lstrip().startswith("## ")
    ]
    assert sections, "a chapter has sections"
    types = kinds(path)
    assert types[0] == "slide", "the title cell starts the first slide"
    missing = [notebook.cells[i].source.splitlines()[0] for i in sections if types[i] != "slide"]
    assert not missing, f"run `python tools/slides.py --annotate`: these sections start no slide: {missing}"
    assert set(types) <= set(slides.SLIDE_TYPES), "every cell has a slide type nbconvert and RISE know"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_metadata_follows_the_rule(path):
    notebook = nbformat.read(path, as_version=4)
    assert not slides.annotate(notebook), "stale slide metadata: run `python tools/slides.py --annotate`"


def test_the_rule_on_made_up_cells():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    figure = code(
        "ax = plot()", outputs=[nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})]
    )
    table = code("table", outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "x"})])
    nav = md("---\nnext")
    nav.metadata["tags"] = ["navigation"]
    cells = [
        md("# 04 Title\n\nlong " * 200),
        md("## 1 A section"),
        md("### A subsection"),
        md("*Question for you:* why?"),
        md("The formula\n$$x = 1$$\n" + "text " * 200),
        figure,
        table,
        md("A short remark on the figure."),
        md("A long paragraph. " * 60),
        nav,
    ]
    expected = [
        "slide",
        "slide",
        "subslide",
        "subslide",
        "subslide",
        "subslide",
        "skip",
        "fragment",
        "notes",
        "skip",
    ]
    assert [slides.slide_type(c, i) for i, c in enumerate(cells)] == expected
    notebook = nbformat.v4.new_notebook(cells=cells)
    before = [(c.source, c.get("outputs")) for c in notebook.cells]
    assert slides.annotate(notebook) and not slides.annotate(notebook)
    assert [(c.source, c.get("outputs")) for c in notebook.cells] == before, "sources and outputs untouched"


def test_outside_references_are_found():
    assert slides.outside_references('<script src="https://cdn.example.org/reveal.js"></script>')
    assert slides.outside_references('<link rel="stylesheet" href="//unpkg.com/x.css">')
    assert slides.outside_references("<style>@import url(https://fonts.googleapis.com/css?f=x);</style>")
    assert slides.outside_references(
        "<script type=module>import mermaid from 'https://cdnjs.cloudflare.com/m.mjs';</script>"
    )
    assert not slides.outside_references('<script src="reveal.js/dist/reveal.js"></script>')
    assert not slides.outside_references('<a href="https://doi.org/10.1287/mksc.1040.0098">paper</a>')


# ---------------------------------------------------------------------------------------------
# A deck in a browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
#: Chapters with display formulas and figures; two decks keep the test to seconds.
DECK_CHAPTERS = ["03", "04"]


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    try:
        slides.fetch_assets(out)
    except (subprocess.CalledProcessError, OSError) as error:
        pytest.skip(f"reveal.js and MathJax could not be fetched from the package index: {error}")
    return out, slides.build_decks(DECK_CHAPTERS, build=out)


@pytest.fixture(scope="module")
def server(decks):
    folder, _ = decks
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Browser:
    """Headless Chromium driven over the DevTools protocol (websocket-client, in the lock)."""

    def __init__(self, profile: Path):
        import websocket

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        import urllib.request

        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.requests: list[str] = []

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)


#: Text the reader sees on the slides (scripts excluded: MathJax keeps its TeX source in one).
VISIBLE_TEXT = """(() => { const w = document.createTreeWalker(document.querySelector('.reveal'), NodeFilter.SHOW_TEXT,
  {acceptNode: n => ['SCRIPT', 'STYLE'].includes(n.parentNode.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  let t = ''; while (w.nextNode()) t += w.currentNode.nodeValue; return t; })()"""


@pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium here (CI installs Debian's chromium); the deck is not opened"
)
@pytest.mark.parametrize("number", DECK_CHAPTERS)
def test_deck_opens_offline_with_slides_and_formulas(decks, server, number, tmp_path):
    _, written = decks
    deck = next(p for p in written if p.name.startswith(number + "_"))
    notebook = nbformat.read(slides.chapter_notebooks([number])[0], as_version=4)
    expected = sum(c.metadata["slideshow"]["slide_type"] in ("slide", "subslide") for c in notebook.cells)
    formulas = sum(c.source.count("$$") // 2 for c in notebook.cells if c.cell_type == "markdown")
    assert formulas, "the chapter chosen has display formulas"
    browser = Browser(tmp_path / "profile")
    try:
        browser.call("Network.enable")
        browser.call("Page.enable")
        browser.call("Page.navigate", url=f"{server}/{deck.name}")
        deadline = time.monotonic() + 60
        state = None
        while time.monotonic() < deadline:
            state = browser.evaluate(
                "({ready: typeof Reveal !== 'undefined' && Reveal.isReady(),"
                " slides: typeof Reveal !== 'undefined' && Reveal.isReady() ? Reveal.getTotalSlides() : 0,"
                " queue: typeof MathJax !== 'undefined' && MathJax.Hub && MathJax.Hub.queue.pending === 0"
                "  && MathJax.Hub.queue.running === 0,"
                " math: document.querySelectorAll('.MathJax_Display, .MathJax, mjx-container, .katex').length,"
                " displays: document.querySelectorAll('.MathJax_Display, mjx-container[display]').length})"
            )
            if state and state["ready"] and state["queue"] and state["displays"] >= formulas:
                break
            time.sleep(0.5)
        text = browser.evaluate(VISIBLE_TEXT)
        browser.call("Runtime.evaluate", expression="1")  # drain the request events
    finally:
        browser.close()
    print(f"{deck.name}: {state}, {len(browser.requests)} requests")
    assert state and state["ready"], f"reveal.js did not start: {state}"
    outside = [url for url in browser.requests if not url.startswith((server, "data:", "blob:", "about:"))]
    assert not outside, f"requests to another host: {outside[:5]}"
    loaded = {url.split("?")[0].removeprefix(server) for url in browser.requests}
    assert "/reveal.js/dist/reveal.js" in loaded, "the requests were recorded"
    assert state["slides"] == expected, "one slide per 'slide' or 'subslide' cell"
    assert state["displays"] >= formulas, (
        f"{formulas} display formulas, {state['displays']} rendered by MathJax"
    )
    assert "$$" not in text, "raw TeX left on a slide"


def test_a_chinese_reader_question_is_a_subslide_like_an_english_one():
    md = nbformat.v4.new_markdown_cell
    english = md("The map shows it.\n\n*Question.* Which segment would you pick?")
    chinese = md("分布图显示了这一点。\n\n*思考。* 你会选择哪个细分群体？")
    assert slides.slide_type(english, 3) == slides.slide_type(chinese, 3) == "subslide"
