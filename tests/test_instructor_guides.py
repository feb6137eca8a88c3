"""Every chapter notebook has a teaching guide, ``instructors/<same stem>.md``, and the guide is
complete (instructors/README.md, "What a guide must hold"):

- the six sections: learning objectives; a 45-minute plan and a 90-minute plan whose timed steps
  add up to 45 and 90 minutes; notes on the in-chapter questions; common misconceptions;
  exercises to assign;
- the notes name every in-chapter question of the notebook, found here by its marker
  (``*Question for you:*``, ``*Question:*``, ``*Question.*``, ``*Discuss:*``), either by quoting its
  first words or by its section label (``§3 question``; ``§5 question 2`` where a section asks more
  than one);
- the misconceptions quote the mistake explanations of the chapter's exercise bank
  (``mistake(..., because=...)``): at least three, or all of them if the bank has fewer;
- the exercises to assign name question ids that exist in the chapter's bank;
- every number the guide quotes is printed in the chapter notebook (prose, code or outputs) or in
  its solution notebook, found as ``tools/prose_numbers.py`` finds a notebook's own numbers.

The Chinese guides, ``zh/instructors/<same stem>.md``, are checked the same way against the
Chinese notebooks: their headings say 学习目标, 45 分钟, 90 分钟, 章内问题, 常见误解, 布置的练习; a
timed step starts "N 分钟"; a question (``*思考。*``, ``*讨论：*``) is named by its first ten
characters or by its label ``§3 思考``; the misconceptions quote the bank's Chinese explanations.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_student_text import JARGON

from crmlib.exercises import chapter_questions

ROOT = Path(__file__).resolve().parents[1]
GUIDES = ROOT / "instructors"
LANGS = ("en", "zh")


def guide_folder(lang: str) -> Path:
    return GUIDES if lang == "en" else ROOT / lang / "instructors"


def notebook_folder(lang: str) -> Path:
    return ROOT / "notebooks" if lang == "en" else ROOT / lang / "notebooks"


#: Chapters whose guides are still being written (the other half of issue 15). Strict xfail: the
#: day a guide passes, its chapter must leave this set.
GUIDES_NOT_YET: set[str] = set()
#: Chapters whose Chinese guides are still being written (issue 16, the other half). Strict xfail.
ZH_GUIDES_NOT_YET: set[str] = set()

#: The prompt of an in-chapter question: an emphasised "Question", "Question for you" or "Discuss",
#: closed by a colon or a full stop inside or just outside the emphasis.
PROMPT = re.compile(
    r"(?<![\w*])\*{1,2}(?:Question(?: for you)?|Discuss|Discussion|Think about it)\s*[:.：]?\s*\*{1,2}[:.：]?",
    re.IGNORECASE,
)
#: The prompt of a Chinese in-chapter question: 思考 or 讨论, emphasised, closed by 。 or ：.
PROMPT_ZH = re.compile(r"(?<![\w*])\*{1,2}(?:思考|讨论)\s*[。：:.]?\s*\*{1,2}[。：:]?")
#: How many words of a prompt a guide quotes to name it; in Chinese, how many characters.
QUOTED_WORDS = 5
QUOTED_CHARACTERS = 10

#: The required sections, each found by a heading (any level from ##) that matches the pattern.
SECTIONS = {
    "objectives": r"learning objectives",
    "plan45": r"45[- ]minute",
    "plan90": r"90[- ]minute",
    "notes": r"in-chapter questions",
    "misconceptions": r"misconceptions",
    "exercises": r"exercises to assign",
}
SECTIONS_ZH = {
    "objectives": r"学习目标",
    "plan45": r"45 ?分钟",
    "plan90": r"90 ?分钟",
    "notes": r"章内问题",
    "misconceptions": r"常见误解",
    "exercises": r"布置的练习",
}
#: The word of a question's section label: "§3 question", "§3 思考".
LABEL_WORD = {"en": "question", "zh": "思考"}
#: A timed step of a plan: a list item or a table row that starts with its length in minutes.
STEP = re.compile(r"^\s*(?:[-*+]|\d+\.|\|)\s*\**\s*(\d+)\s*(?:min\b|分钟)", re.M | re.IGNORECASE)
#: A table whose first column is headed "minutes" (or "min"): its rows start with a bare number.
MINUTES_TABLE = re.compile(
    r"^\|\s*(?:min(?:utes)?|分钟)\s*\|.*\n\|[-:| ]+\|\s*\n((?:\|.*\n?)+)", re.M | re.IGNORECASE
)
ROW_MINUTES = re.compile(r"^\|\s*(\d+)\s*\|", re.M)


def plan_steps(text: str) -> list[int]:
    """The minutes of a plan's timed steps: list items or rows starting "N min", or the rows
    of a table whose first column is headed "minutes"."""
    steps = [int(m) for m in STEP.findall(text)]
    for table in MINUTES_TABLE.findall(text):
        steps += [int(m) for m in ROW_MINUTES.findall(table)]
    return steps


QUESTION_ID = re.compile(r"\bch(\d\d)\.q(\d+)\b")


def normalize(text: str, lang: str = "en") -> str:
    """Markdown reduced to its words: no emphasis, code marks, quotes or block-quote marks, one
    space between words (in Chinese, none), lower case, so that a quotation matches across line
    breaks."""
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)
    text = re.sub(r"[*_`“”\"‘’「」]", "", text)
    text = text.replace("'", "")
    return re.sub(r"\s+", "" if lang == "zh" else " ", text).strip().lower()


@dataclass(frozen=True)
class Prompt:
    section: str | None  # the number of the enclosing "## N" section, None where it has none
    label: str | None  # "§3 question", "§5 question 2"; None in an unnumbered section
    words: str  # the first QUOTED_WORDS words of the prompt, normalized
    cell: int


def chapter_notebooks(lang: str = "en") -> list[Path]:
    return sorted(p for p in notebook_folder(lang).glob("[0-9][0-9]_*.ipynb"))


def prompts_of(notebook: dict, lang: str = "en") -> list[Prompt]:
    """Every in-chapter question of a notebook, in order, with its two names."""
    marker = PROMPT if lang == "en" else PROMPT_ZH
    found: list[tuple[str | None, str, int]] = []
    section: str | None = None
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        events = [(m.start(), "heading", m) for m in re.finditer(r"^##\s+(.*)$", source, re.M)]
        events += [(m.start(), "prompt", m) for m in marker.finditer(source)]
        for _, kind, match in sorted(events, key=lambda e: e[0]):
            if kind == "heading":
                number = re.match(r"(\d+)\b", match.group(1))
                section = number.group(1) if number else None
            elif lang == "zh":
                found.append((section, normalize(source[match.end() :], lang)[:QUOTED_CHARACTERS], index))
            else:
                words = normalize(source[match.end() :]).split()
                found.append((section, " ".join(words[:QUOTED_WORDS]), index))
    per_section: dict[str | None, int] = {}
    for section, _, _ in found:
        per_section[section] = per_section.get(section, 0) + 1
    prompts, seen = [], {}
    for section, words, index in found:
        seen[section] = seen.get(section, 0) + 1
        label = None
        if section is not None:
            label = f"§{section} {LABEL_WORD[lang]}" + (
                f" {seen[section]}" if per_section[section] > 1 else ""
            )
        prompts.append(Prompt(section, label, words, index))
    return prompts


def sections_of(guide: str, lang: str = "en") -> dict[str, str]:
    """The text under each required heading, up to the next heading of the same or a higher level."""
    headings = list(re.finditer(r"^(#{2,6})\s+(.*)$", guide, re.M))
    found = {}
    for key, pattern in (SECTIONS if lang == "en" else SECTIONS_ZH).items():
        for i, heading in enumerate(headings):
            if re.search(pattern, heading.group(2), re.IGNORECASE):
                level = len(heading.group(1))
                end = next(
                    (h.start() for h in headings[i + 1 :] if len(h.group(1)) <= level),
                    len(guide),
                )
                found[key] = guide[heading.end() : end]
                break
    return found


def names_prompt(notes: str, prompt: Prompt, lang: str = "en") -> bool:
    if prompt.words and prompt.words in normalize(notes, lang):
        return True
    if prompt.label:
        return re.search(re.escape(prompt.label) + r"(?!\d)", notes) is not None
    return False


def mistake_explanations(chapter: str, lang: str = "en") -> list[str]:
    return sorted(
        {
            slip.because[lang]
            for question in chapter_questions(f"ch{chapter}")
            for slip in question.wrong
            if slip.because
        }
    )


def problems(chapter: str, notebook: dict, guide: str, lang: str = "en") -> list[str]:
    """What the guide of a chapter lacks; an empty list for a complete guide."""
    found = []
    sections = sections_of(guide, lang)
    for key, pattern in (SECTIONS if lang == "en" else SECTIONS_ZH).items():
        if key not in sections:
            found.append(f"no section whose heading matches {pattern!r}")
    for key, minutes in (("plan45", 45), ("plan90", 90)):
        if key in sections:
            steps = plan_steps(sections[key])
            if sum(steps) != minutes:
                found.append(
                    f"the {minutes}-minute plan's timed steps add up to {sum(steps)} minutes: {steps}"
                )
    notes = sections.get("notes", "")
    for prompt in prompts_of(notebook, lang):
        if not names_prompt(notes, prompt, lang):
            names = f'"{prompt.words}…"' + (f" or {prompt.label}" if prompt.label else "")
            found.append(f"the notes do not name the question of cell {prompt.cell}: {names}")
    explanations = mistake_explanations(chapter, lang)
    text = normalize(sections.get("misconceptions", ""), lang)
    quoted = [e for e in explanations if normalize(e, lang) in text]
    needed = min(3, len(explanations))
    if len(quoted) < needed:
        found.append(
            f"the misconceptions quote {len(quoted)} mistake explanations of the bank, at least "
            f"{needed} needed, e.g. {explanations[:2]}"
        )
    ids = {q.id for q in chapter_questions(f"ch{chapter}")}
    named = {m.group(0) for m in QUESTION_ID.finditer(sections.get("exercises", ""))}
    if "exercises" in sections and not named:
        found.append("the exercises to assign name no question id (chNN.qM)")
    for name in sorted(named - ids):
        found.append(f"the exercises to assign name {name}, which is not in the bank of ch{chapter}")
    return found


def _prose_numbers():
    spec = importlib.util.spec_from_file_location("prose_numbers", ROOT / "tools" / "prose_numbers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook_text(path: Path) -> str:
    if not path.exists():
        return ""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    markdown = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    return _prose_numbers().outputs_text(notebook) + "\n" + markdown


def unprinted_numbers(guide: str, printed_text: str) -> list[str]:
    """The numbers of a guide (those with a decimal point, a thousands separator or a percent sign,
    or three or more digits and not a year) that the printed text does not hold in any usual
    rendering or rounding. Question ids are names, not numbers."""
    numbers = _prose_numbers()
    values = []
    for match in numbers.NUMBER.finditer(printed_text):
        plain = match.group(0).replace(",", "").replace(" %", "").rstrip("%").replace("−", "-")
        if plain.replace(".", "", 1).lstrip("-").isdigit():
            values.append(float(plain))
    text = QUESTION_ID.sub(" ", guide)
    missing = []
    for match in numbers.NUMBER.finditer(text):
        token = match.group(0).replace(" %", "%")
        if not numbers.interesting(token):
            continue
        if any(form in printed_text for form in numbers.renderings(token)) or numbers.rounded_in(
            token, values
        ):
            continue
        missing.append(token)
    return missing


def guide_text(path: Path) -> str:
    """A guide's Markdown without its HTML comments (a translation's stamp holds hashes, not numbers)."""
    return re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.S)


def chapter_params():
    for lang in LANGS:
        for path in chapter_notebooks(lang):
            chapter = path.name[:2]
            marks = []
            if chapter in (GUIDES_NOT_YET if lang == "en" else ZH_GUIDES_NOT_YET):
                marks.append(pytest.mark.xfail(strict=True, reason="guide not written yet (issues 15, 16)"))
            yield pytest.param(path, lang, id=f"{lang}-{path.stem}", marks=marks)


@pytest.mark.parametrize(("path", "lang"), chapter_params())
def test_every_chapter_has_a_complete_guide(path, lang):
    guide_path = guide_folder(lang) / f"{path.stem}.md"
    assert guide_path.exists(), f"no teaching guide {guide_path.relative_to(ROOT)} for {path.name}"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    missing = problems(path.name[:2], notebook, guide_text(guide_path), lang)
    assert not missing, f"{guide_path.relative_to(ROOT)}:\n- " + "\n- ".join(missing)


@pytest.mark.parametrize(("path", "lang"), chapter_params())
def test_a_guide_quotes_only_numbers_the_notebooks_print(path, lang):
    guide_path = guide_folder(lang) / f"{path.stem}.md"
    assert guide_path.exists(), f"no teaching guide {guide_path.relative_to(ROOT)}"
    # the numbers of both editions' chapter and solution notebooks (a Chinese guide keeps the
    # English guide's numbers, and the Chinese notebooks print the same)
    folders = [path.parent, ROOT / "exercises" / "solutions"]
    if lang != "en":
        folders += [ROOT / "notebooks", ROOT / lang / "exercises" / "solutions"]
    printed = "\n".join(_notebook_text(folder / path.name) for folder in folders)
    # a guide quotes the bank's mistake explanations word for word, numbers included, and may
    # cite another chapter's printed result when it says which chapter
    printed += "\n" + "\n".join(
        m.because[lang] for q in chapter_questions(f"ch{path.name[:2]}") for m in q.wrong if m.because
    )
    text = guide_text(guide_path)
    cited = {int(a or b) for a, b in re.findall(r"chapter (\d\d)|第 ?(\d\d) ?章", text)}
    for other in sorted(cited - {int(path.name[:2])}):
        for nb in path.parent.glob(f"{other:02d}_*.ipynb"):
            printed += "\n" + _notebook_text(nb)
    missing = unprinted_numbers(guide_text(guide_path), printed)
    assert not missing, f"{guide_path.relative_to(ROOT)} quotes numbers no notebook prints: {missing}"


def test_an_unprinted_number_is_found():
    printed = "CLV over 12 quarters: 25634.0; share 0.817; ch04.q3"
    assert unprinted_numbers("worth CNY 25,634, 81.7% of the margin (ch04.q17)", printed) == []
    assert unprinted_numbers("worth CNY 25,643 and 0.85 of it", printed) == ["25,643", "0.85"]


def test_guides_cite_sources_by_their_titles():
    for guide in sorted(GUIDES.glob("*.md")) + sorted(guide_folder("zh").glob("*.md")):
        found = sorted({m.group(0) for m in JARGON.finditer(guide.read_text(encoding="utf-8"))})
        assert not found, f"{guide.name} says {found}: cite a source by its title (COURSE_MAP)"


def test_no_guide_without_a_chapter():
    stems = {p.stem for p in chapter_notebooks()} | {"README"}
    strays = sorted(
        p.name for lang in LANGS for p in guide_folder(lang).glob("[0-9][0-9]_*.md") if p.stem not in stems
    )
    assert not strays, f"guides without a chapter notebook: {strays}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_prompts_are_found_in_every_chapter(lang):
    counts = {
        p.name[:2]: len(prompts_of(json.loads(p.read_text(encoding="utf-8")), lang))
        for p in chapter_notebooks(lang)
    }
    assert len(counts) == 10 and all(n >= 4 for n in counts.values()), counts
    if lang == "zh":  # the Chinese edition asks the same questions as the English one
        english = {
            p.name[:2]: len(prompts_of(json.loads(p.read_text(encoding="utf-8"))))
            for p in chapter_notebooks()
        }
        assert counts == english


# The checker itself, on a small notebook and guide.

TOY_NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "source": ["## 1 Who\n", "*Question for you:* who is a customer here?"]},
        {"cell_type": "code", "source": ["print('*Question:* not a prompt in code')"]},
        {"cell_type": "markdown", "source": ["## 2 Why\n", "*Question.* Why do they stay?\n"]},
        {"cell_type": "markdown", "source": ["> a case. *Discuss:* which market is this, and\n> why?"]},
    ]
}


def toy_guide(notes: str, plan45: str = "- 45 min all of it") -> str:
    mistakes = "\n".join(f'- "{e}"' for e in mistake_explanations("00"))
    return (
        "# Guide\n## Learning objectives\n- one\n"
        f"## 45-minute plan\n{plan45}\n"
        "## 90-minute plan\n| min | what |\n|---|---|\n| 60 min | all | \n| 30 min | exercises |\n"
        f"## Notes on the in-chapter questions\n{notes}\n"
        f"## Common misconceptions\n{mistakes}\n"
        "## Exercises to assign\n- ch00.q1, ch00.q2\n"
    )


def test_the_prompts_get_a_label_and_their_first_words():
    prompts = prompts_of(TOY_NOTEBOOK)
    assert [(p.label, p.words) for p in prompts] == [
        ("§1 question", "who is a customer here?"),
        ("§2 question 1", "why do they stay?"),
        ("§2 question 2", "which market is this, and"),
    ]


def test_a_complete_toy_guide_passes():
    notes = '### §1 question\nA good answer...\n### "Why do they stay?"\n...\n### §2 question 2\n...'
    assert problems("00", TOY_NOTEBOOK, toy_guide(notes)) == []


def test_a_guide_that_misses_a_question_fails():
    notes = "### §1 question\n...\n### §2 question 2\n..."  # §2 question 1 is missing
    found = problems("00", TOY_NOTEBOOK, toy_guide(notes))
    assert len(found) == 1 and "why do they stay" in found[0]
    # "§2 question" alone names neither question of a section that asks two
    assert problems("00", TOY_NOTEBOOK, toy_guide("§1 question, §2 question")) != []


def test_wrong_timings_missing_sections_and_unknown_ids_fail():
    notes = "§1 question §2 question 1 §2 question 2"
    assert any("add up to 40" in p for p in problems("00", TOY_NOTEBOOK, toy_guide(notes, "- 40 min x")))
    guide = toy_guide(notes).replace("## Common misconceptions", "## Pitfalls").replace("ch00.q2", "ch00.q99")
    found = problems("00", TOY_NOTEBOOK, guide)
    assert any("misconceptions" in p for p in found) and any("ch00.q99" in p for p in found)


def test_prose_numbers_finds_numbers_between_chinese_characters():
    """Chinese prose writes 共购买35次 and 占12.8%的收入: a CJK character is no word boundary to skip."""
    found = [m.group(0) for m in _prose_numbers().NUMBER.finditer("共购买35次，占12.8%的收入，人均¥3,187。")]
    assert found == ["35", "12.8%", "3,187"]
    assert [m.group(0) for m in _prose_numbers().NUMBER.finditer("x35 k2 1.5")] == ["1.5"]


# The same checks on a Chinese guide: Chinese headings, 分钟 steps, 思考 prompts, Chinese explanations.

TOY_NOTEBOOK_ZH = {
    "cells": [
        {"cell_type": "markdown", "source": ["## 1 谁是客户\n", "*思考。* 在这里，谁是客户？"]},
        {"cell_type": "markdown", "source": ["## 2 为什么\n", "*思考。* 他们为什么留下来？"]},
        {"cell_type": "markdown", "source": ["> 一个案例。*讨论：* 这是哪一个市场？"]},
    ]
}


def toy_guide_zh(notes: str, plan45: str = "| 45 分钟 | 全部内容 |") -> str:
    mistakes = "\n".join(f"- “{e}”" for e in mistake_explanations("00", "zh"))
    return (
        "# 指南\n## 学习目标\n- 一\n"
        f"## 45 分钟教案\n| 时间 | 内容 |\n|---|---|\n{plan45}\n"
        "## 90 分钟教案\n- 60 分钟 全部内容\n- 30 分钟 练习\n"
        f"## 章内问题讲解要点\n{notes}\n"
        f"## 常见误解\n{mistakes}\n"
        "## 布置的练习\n- ch00.q1、ch00.q2\n"
    )


def test_a_chinese_guide_is_checked_in_chinese():
    prompts = prompts_of(TOY_NOTEBOOK_ZH, "zh")
    assert [(p.label, p.words) for p in prompts] == [
        ("§1 思考", "在这里，谁是客户？"),
        ("§2 思考 1", "他们为什么留下来？"),
        ("§2 思考 2", "这是哪一个市场？"),
    ]
    notes = "### §1 思考\n……\n### “他们为什么留下来？”\n……\n### §2 思考 2\n……"
    assert problems("00", TOY_NOTEBOOK_ZH, toy_guide_zh(notes), "zh") == []
    # a question left out, a plan that does not add up, an English heading: each is found
    found = problems("00", TOY_NOTEBOOK_ZH, toy_guide_zh("§1 思考 §2 思考 2", "| 40 分钟 | 全部内容 |"), "zh")
    assert any("他们为什么留下来" in p for p in found) and any("add up to 40" in p for p in found)
    english_heading = toy_guide_zh(notes).replace("## 常见误解", "## Common misconceptions")
    assert any("misconceptions" in p for p in problems("00", TOY_NOTEBOOK_ZH, english_heading, "zh"))
    # the English explanations do not count as quotations in a Chinese guide
    english_quotes = (
        toy_guide_zh(notes).split("## 常见误解")[0]
        + "## 常见误解\n"
        + "\n".join(mistake_explanations("00"))
        + "\n## 布置的练习\n- ch00.q1\n"
    )
    assert any("mistake explanations" in p for p in problems("00", TOY_NOTEBOOK_ZH, english_quotes, "zh"))
