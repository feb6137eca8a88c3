"""Write an exam paper and its answer key as Markdown and as self-contained HTML.

The HTML has its style sheet inline (print rules included: A4 margins, no page break inside a
question, the key's answers in a box) and loads nothing from any other place, so it prints from
a browser on a classroom machine without network. Its Chinese is drawn with the course font
(``crmlib/data/fonts/NotoSansSC-Course.otf``), which :func:`write_exam` copies next to the pages
with its licence, so it renders on a machine without a Chinese font too.

The papers are in English or in Chinese (``language``): the questions come from the bilingual
banks, the headings and labels from ``crmlib/data/messages/exams.csv``.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..language import message, resolve
from ._core import Variant

_DATA = Path(__file__).resolve().parents[1] / "data"
_CHAPTERS_CSV = _DATA / "chapters.csv"
#: The course font and its licence, copied next to the HTML pages (``@font-face`` below).
FONT_FILES = (_DATA / "fonts" / "NotoSansSC-Course.otf", _DATA / "fonts" / "OFL.txt")
#: The ``lang`` attribute of a page, and how a list of chapter numbers is joined, per language.
HTML_LANG = {"en": "en", "zh": "zh-CN"}
LIST_SEPARATOR = {"en": ", ", "zh": "、"}

CSS = """
@font-face { font-family: "Noto Sans SC Course"; src: url("NotoSansSC-Course.otf") format("opentype"); }
body { font-family: "Noto Serif", "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun,
       "Microsoft YaHei", "PingFang SC", "Noto Sans SC Course", Georgia, serif;
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


def chapter_titles(language: str = "en") -> dict[str, str]:
    """``{"03": "Customer classification and the customer lifecycle (客户分类与客户生命周期)", ...}``;
    in Chinese the Chinese title alone."""
    table = pd.read_csv(_CHAPTERS_CSV, dtype=str)
    if language == "zh":
        return {row.number: row.title_zh for row in table.itertuples()}
    return {row.number: f"{row.title_en} ({row.title_zh})" for row in table.itertuples()}


def _header(chapters: Sequence[str], seed: int, key: bool, total: int, lang: str) -> tuple[str, str]:
    title = message("exam.title_key" if key else "exam.title_paper", lang)
    meta = message(
        "exam.meta_many" if len(chapters) > 1 else "exam.meta_one",
        lang,
        chapters=LIST_SEPARATOR[lang].join(chapters),
        seed=seed,
        total=total,
    )
    return title, meta


def _points(v: Variant, lang: str) -> str:
    """``(Multiple choice, 2 points)``, ``（单项选择题，2 分）``."""
    return message("exam.points", lang, kind=message(f"exam.kind_{v.kind}", lang), points=v.points)


def _space_before(points: str) -> str:
    """A space between a heading and its marks in half-width brackets, none before full-width ones."""
    return "" if points.startswith("（") else " "


def _by_chapter(variants: Sequence[Variant]) -> list[tuple[str, list[Variant]]]:
    out: dict[str, list[Variant]] = {}
    for v in variants:
        out.setdefault(v.chapter, []).append(v)
    return list(out.items())


def _language(variants: Sequence[Variant], language: str | None) -> str:
    """The language of the page: ``language``, else the variants' (they are drawn in one)."""
    if language is None and variants:
        return variants[0].language
    return resolve(language)


def to_markdown(
    variants: Sequence[Variant], chapters: Sequence[str], seed: int, key: bool, language: str | None = None
) -> str:
    """The paper (``key=False``: no answers) or the answer key (``key=True``) as Markdown, in
    ``language`` (default: the language the variants were drawn in)."""
    lang = _language(variants, language)
    titles = chapter_titles(lang)
    total = sum(v.points for v in variants)
    title, meta = _header(chapters, seed, key, total, lang)
    lines = [f"# {title}", "", f"*{meta}*", ""]
    if not key:
        blank = "_" * 22
        lines += [
            f"{message('exam.name', lang)}{blank}   {message('exam.student_id', lang)}{blank}",
            "",
            message("exam.instructions", lang),
            "",
        ]
    number = 0
    for chapter, items in _by_chapter(variants):
        lines += [f"## {message('exam.chapter', lang, chapter=chapter, title=titles.get(chapter, ''))}", ""]
        for v in items:
            number += 1
            points = _points(v, lang)
            lines += [f"### {number}. {v.heading}{_space_before(points)}{points}", ""]
            if key:
                lines += [f"`{v.id}`", ""]
            lines += [v.stem, ""]
            lines += [f"- {letter}. {text}" for letter, text in v.options]
            if v.options:
                lines.append("")
            if key:
                lines += [f"**{message('exam.answer', lang)}** {v.answer}", ""]
                lines += [f"- {m}" for m in v.marking]
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_html(
    variants: Sequence[Variant], chapters: Sequence[str], seed: int, key: bool, language: str | None = None
) -> str:
    """The paper or the answer key as one HTML page (inline CSS, print rules; the course font from
    the page's folder, where :func:`write_exam` puts it), in ``language``."""
    esc = html.escape
    lang = _language(variants, language)
    titles = chapter_titles(lang)
    total = sum(v.points for v in variants)
    title, meta = _header(chapters, seed, key, total, lang)
    body = [f"<h1>{esc(title)}</h1>", f'<p class="meta">{esc(meta)}</p>']
    if not key:
        name, student_id = (esc(message(k, lang)) for k in ("exam.name", "exam.student_id"))
        body += [
            f'<p class="fields">{name}<span>&nbsp;</span> {student_id}<span>&nbsp;</span></p>',
            f"<p>{esc(message('exam.instructions', lang))}</p>",
        ]
    number = 0
    for chapter, items in _by_chapter(variants):
        body.append(
            f"<h2>{esc(message('exam.chapter', lang, chapter=chapter, title=titles.get(chapter, '')))}</h2>"
        )
        for v in items:
            number += 1
            points = _points(v, lang)
            marks = f'<span class="points">{esc(points)}' + (f" · {esc(v.id)}" if key else "") + "</span>"
            part = [
                '<div class="question">',
                f"<h3>{number}. {esc(v.heading)}{_space_before(points)}{marks}</h3>",
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
                answer = esc(message("exam.answer", lang))
                part.append(
                    f'<div class="answer"><strong>{answer}</strong> {esc(v.answer)}<ul>{items_html}</ul></div>'
                )
            elif v.kind != "multiple_choice":
                part.append(f'<div class="space{" short" if v.kind == "short_answer" else ""}"></div>')
            part.append("</div>")
            body.append("\n".join(part))
    return (
        f'<!DOCTYPE html>\n<html lang="{HTML_LANG[lang]}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_exam(
    variants: Sequence[Variant], chapters: Sequence[str], seed: int, out: Path, language: str | None = None
) -> list[Path]:
    """Write ``paper.md``, ``paper.html``, ``key.md`` and ``key.html`` into ``out``, in
    ``language``, with the course font and its licence next to them; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, key in (("paper", False), ("key", True)):
        for suffix, render in ((".md", to_markdown), (".html", to_html)):
            path = out / f"{name}{suffix}"
            path.write_text(render(variants, chapters, seed, key, language), encoding="utf-8")
            written.append(path)
    for source in FONT_FILES:
        written.append(Path(shutil.copyfile(source, out / source.name)))
    return written
