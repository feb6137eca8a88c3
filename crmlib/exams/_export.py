"""Write an exam paper and its answer key as Markdown and as self-contained HTML.

The HTML has its style sheet inline (print rules included: A4 margins, no page break inside a
question, the key's answers in a box) and loads nothing from any other place, so it prints from
a browser on a classroom machine without network.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ._core import KIND_TITLES, Variant

_CHAPTERS_CSV = Path(__file__).resolve().parents[1] / "data" / "chapters.csv"

CSS = """
body { font-family: "Noto Serif", "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun,
       "Microsoft YaHei", "PingFang SC", Georgia, serif;
       max-width: 48em; margin: 2em auto; padding: 0 1em; line-height: 1.45; color: #111; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #444; margin-top: 1.6em; }
.meta { color: #333; }
.fields { margin: 1em 0 1.5em; }
.fields span { display: inline-block; min-width: 14em; border-bottom: 1px solid #000; margin-right: 2em; }
.question { margin: 1em 0 1.4em; page-break-inside: avoid; break-inside: avoid; }
.question h3 { font-size: 1em; margin: 0 0 0.3em; }
.points { font-weight: normal; color: #444; }
ol.options { list-style: none; padding-left: 1em; }
.space { height: 7em; border: 1px dashed #bbb; margin-top: 0.5em; }
.space.short { height: 10em; }
.answer { border: 1px solid #2a6; background: #f3fbf5; padding: 0.5em 0.8em; margin-top: 0.4em; }
.answer ul { margin: 0.3em 0; }
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .answer { background: none; }
}
"""


def chapter_titles() -> dict[str, str]:
    """``{"03": "Customer classification and the customer lifecycle (客户分类与客户生命周期)", ...}``."""
    table = pd.read_csv(_CHAPTERS_CSV, dtype=str)
    return {row.number: f"{row.title_en} ({row.title_zh})" for row in table.itertuples()}


def _header(chapters: Sequence[str], seed: int, key: bool, total: int) -> tuple[str, str]:
    title = "Customer Relationship Management (客户关系管理): " + ("answer key" if key else "examination")
    meta = (
        f"Chapter{'s' if len(chapters) > 1 else ''} {', '.join(chapters)} · variant {seed} · {total} points"
    )
    return title, meta


def _by_chapter(variants: Sequence[Variant]) -> list[tuple[str, list[Variant]]]:
    out: dict[str, list[Variant]] = {}
    for v in variants:
        out.setdefault(v.chapter, []).append(v)
    return list(out.items())


def to_markdown(variants: Sequence[Variant], chapters: Sequence[str], seed: int, key: bool) -> str:
    """The paper (``key=False``: no answers) or the answer key (``key=True``) as Markdown."""
    titles = chapter_titles()
    total = sum(v.points for v in variants)
    title, meta = _header(chapters, seed, key, total)
    lines = [f"# {title}", "", f"*{meta}*", ""]
    if not key:
        lines += [
            "Name: ______________________   Student ID: ______________________",
            "",
            "Answer every question. For a computation, show the steps and give the result with its unit.",
            "",
        ]
    number = 0
    for chapter, items in _by_chapter(variants):
        lines += [f"## Chapter {chapter}: {titles.get(chapter, '')}", ""]
        for v in items:
            number += 1
            lines += [f"### {number}. {v.heading} ({KIND_TITLES[v.kind]}, {v.points} points)", ""]
            if key:
                lines += [f"`{v.id}`", ""]
            lines += [v.stem, ""]
            lines += [f"- {letter}. {text}" for letter, text in v.options]
            if v.options:
                lines.append("")
            if key:
                lines += [f"**Answer:** {v.answer}", ""]
                lines += [f"- {m}" for m in v.marking]
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_html(variants: Sequence[Variant], chapters: Sequence[str], seed: int, key: bool) -> str:
    """The paper or the answer key as one self-contained HTML page (inline CSS, print rules)."""
    esc = html.escape
    titles = chapter_titles()
    total = sum(v.points for v in variants)
    title, meta = _header(chapters, seed, key, total)
    body = [f"<h1>{esc(title)}</h1>", f'<p class="meta">{esc(meta)}</p>']
    if not key:
        body += [
            '<p class="fields">Name: <span>&nbsp;</span> Student ID: <span>&nbsp;</span></p>',
            "<p>Answer every question. For a computation, show the steps and give the result with its unit.</p>",
        ]
    number = 0
    for chapter, items in _by_chapter(variants):
        body.append(f"<h2>Chapter {esc(chapter)}: {esc(titles.get(chapter, ''))}</h2>")
        for v in items:
            number += 1
            part = [
                '<div class="question">',
                f'<h3>{number}. {esc(v.heading)} <span class="points">({KIND_TITLES[v.kind]}, {v.points} points)'
                + (f" · {esc(v.id)}" if key else "")
                + "</span></h3>",
                "".join(f"<p>{esc(p)}</p>" for p in v.stem.split("\n\n")),
            ]
            if v.options:
                part.append(
                    '<ol class="options">'
                    + "".join(f"<li>{esc(letter)}. {esc(text)}</li>" for letter, text in v.options)
                    + "</ol>"
                )
            if key:
                items_html = "".join(f"<li>{esc(m)}</li>" for m in v.marking)
                part.append(
                    f'<div class="answer"><strong>Answer:</strong> {esc(v.answer)}<ul>{items_html}</ul></div>'
                )
            elif v.kind != "multiple_choice":
                part.append(f'<div class="space{" short" if v.kind == "short_answer" else ""}"></div>')
            part.append("</div>")
            body.append("\n".join(part))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_exam(variants: Sequence[Variant], chapters: Sequence[str], seed: int, out: Path) -> list[Path]:
    """Write ``paper.md``, ``paper.html``, ``key.md`` and ``key.html`` into ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, key in (("paper", False), ("key", True)):
        for suffix, render in ((".md", to_markdown), (".html", to_html)):
            path = out / f"{name}{suffix}"
            path.write_text(render(variants, chapters, seed, key), encoding="utf-8")
            written.append(path)
    return written
