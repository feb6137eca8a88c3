#!/usr/bin/env python3
"""Write the student exercise notebooks from the solution notebooks.

    python tools/make_student.py                # write exercises/student/NN_topic.ipynb, every edition
    python tools/make_student.py --lang zh      # only the Chinese edition (zh/exercises/...)
    python tools/make_student.py --check        # write nothing; exit 1 if any is stale or missing

In each edition (see :func:`crmlib.course.notebook_path`), every
``exercises/solutions/NN_topic.ipynb`` gives ``exercises/student/NN_topic.ipynb``:

- a code line ``name = expr  # SOLUTION`` becomes ``name = ...  # your code here``;
  any other line ending with ``# SOLUTION`` is removed;
- lines from ``# BEGIN SOLUTION`` to ``# END SOLUTION`` become one line ``# your code here``,
  or ``name = ...  # your code here`` when the block holds one assignment to ``name``
  (a long text or a call spread over several lines);
- a cell tagged ``solution`` is dropped (code or markdown);
- a markdown cell tagged ``answer-box`` is kept, emptied to an answer prompt
  in the edition's language;
- the placeholder comment is written in the edition's language (``# 在这里写你的代码``);
- everything else is kept; outputs and execution counts are cleared, and a
  code cell left with no line at all is dropped.

The output is deterministic: it depends only on the solution notebook's
cells, not on when or where that notebook was executed.
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crmlib.course import edition_root  # noqa: E402
from crmlib.language import LANGUAGES, message  # noqa: E402

#: The solution and student folders of each edition (tests may point them elsewhere).
SOLUTIONS = {lang: ROOT / edition_root(lang) / "exercises" / "solutions" for lang in LANGUAGES}
STUDENT = {lang: ROOT / edition_root(lang) / "exercises" / "student" for lang in LANGUAGES}

SOLUTION_TAG = "solution"
ANSWER_BOX_TAG = "answer-box"
PLACEHOLDER = "# your code here"
NAME_PATTERN = re.compile(r"\d\d_[a-z0-9_]+\.ipynb")

_LINE_MARK = re.compile(r"#\s*SOLUTION\s*$")
_BEGIN = re.compile(r"#\s*BEGIN SOLUTION\s*$")
_END = re.compile(r"#\s*END SOLUTION\s*$")

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


class MarkerError(ValueError):
    """A solution notebook whose solution markers do not pair up."""


def _blank_statement(code: str, indent: str) -> str | None:
    """``"x = f(y)"`` -> ``indent + "x = ...  # your code here"``; None unless ``code`` is one assignment."""
    body = textwrap.dedent(code)
    try:
        tree = ast.parse(body)
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Assign, ast.AnnAssign)):
        return None
    node = tree.body[0]
    if node.value is None:
        return None
    # the left-hand side ends with the last target (or the annotation); the value may
    # start with parentheses that its col_offset does not count, so cut after the target
    last = node.annotation if isinstance(node, ast.AnnAssign) else node.targets[-1]
    if last.end_lineno != 1:
        return None
    target = body.splitlines()[0][: last.end_col_offset].rstrip()
    return f"{indent}{target} = ...  {PLACEHOLDER}"


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def strip_solution_code(source: str, where: str = "cell") -> str | None:
    """Apply the line and block markers to one code cell's source.

    Returns the student source, or None when no line is left.
    """
    out: list[str] = []
    block: list[str] | None = None
    indent = ""
    for number, line in enumerate(source.splitlines(), start=1):
        if _BEGIN.search(line):
            if block is not None:
                raise MarkerError(f"{where}, line {number}: BEGIN SOLUTION inside another solution block")
            block, indent = [], _indent(line)
        elif _END.search(line):
            if block is None:
                raise MarkerError(f"{where}, line {number}: END SOLUTION without BEGIN SOLUTION")
            # a block holding one assignment keeps its name, like a marked line
            blanked = _blank_statement("\n".join(block), indent) if any(b.strip() for b in block) else None
            out.append(blanked or indent + PLACEHOLDER)
            block = None
        elif block is not None:
            block.append(line)
        elif _LINE_MARK.search(line):
            code = _LINE_MARK.sub("", line).rstrip()
            blanked = _blank_statement(code, _indent(code))
            if blanked is not None:
                out.append(blanked)
        else:
            out.append(line)
    if block is not None:
        raise MarkerError(f"{where}: BEGIN SOLUTION is never closed by END SOLUTION")
    if not any(line.strip() for line in out):
        return None
    _require_valid(source, out, where)
    return "\n".join(out)


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def _require_valid(source: str, out: list[str], where: str) -> None:
    """Raise when stripping turned valid Python into invalid Python (e.g. half a text was marked)."""
    if any(line.lstrip().startswith(("%", "!")) for line in source.splitlines()):
        return  # IPython magics: not plain Python
    # a placeholder that is a block's only body is fine for a student to fill in
    filled = [_indent(line) + "pass" if line.strip() == PLACEHOLDER else line for line in out]
    if _parses(source) and not _parses("\n".join(filled)):
        raise MarkerError(
            f"{where}: the student code would not parse; mark a statement that spans several "
            "lines with BEGIN SOLUTION / END SOLUTION, not with a # SOLUTION line"
        )


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def answer_prompt(lang: str = "en") -> str:
    """What an emptied answer box says, in the edition's language."""
    return message("course.answer_prompt", lang)


def make_student_notebook(
    solution: nbformat.NotebookNode, name: str = "notebook", lang: str = "en"
) -> nbformat.NotebookNode:
    """The student version of a solution notebook (a new notebook; the input is not changed)."""
    cells = []
    for index, cell in enumerate(solution.cells):
        tags = _tags(cell)
        if SOLUTION_TAG in tags:
            continue
        new = copy.deepcopy(cell)
        new["metadata"] = {"tags": tags} if tags else {}
        if cell.cell_type == "code":
            source = strip_solution_code(cell.source, where=f"{name}, cell {index}")
            if source is None:
                continue
            new["source"] = source.replace(PLACEHOLDER, message("course.code_placeholder", lang))
            new["outputs"] = []
            new["execution_count"] = None
        elif cell.cell_type == "markdown" and ANSWER_BOX_TAG in tags:
            new["source"] = answer_prompt(lang)
            new.pop("attachments", None)
        cells.append(new)
    student = nbformat.v4.new_notebook()
    student.nbformat = 4
    student.nbformat_minor = solution.get("nbformat_minor", student.nbformat_minor)
    student.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    student.cells = cells
    return student


def render(notebook: nbformat.NotebookNode) -> str:
    """The notebook as nbformat.write would save it (sorted keys, indent 1, final newline)."""
    text = nbformat.writes(notebook, version=4)
    return text if text.endswith("\n") else text + "\n"


def student_path(solution_path: Path, lang: str = "en") -> Path:
    return STUDENT[lang] / solution_path.name


def solution_notebooks(lang: str = "en") -> list[Path]:
    """The solution notebooks of one edition (none yet for an edition not started)."""
    return sorted(p for p in SOLUTIONS[lang].glob("*.ipynb") if NAME_PATTERN.fullmatch(p.name))


def build(solution_path: Path, lang: str = "en") -> str:
    notebook = nbformat.read(solution_path, as_version=4)
    return render(make_student_notebook(notebook, name=solution_path.name, lang=lang))


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def update(lang: str, check: bool) -> tuple[int, int]:
    """Write (or check) the student notebooks of one edition: (notebooks seen, problems)."""
    problems = 0
    sources = solution_notebooks(lang)
    for path in sorted(SOLUTIONS[lang].glob("*.ipynb")):
        if path not in sources:
            print(f"ignored: {_rel(path)} (solution notebooks are named NN_topic.ipynb)")
    for path in sources:
        target = student_path(path, lang)
        try:
            wanted = build(path, lang)
        except MarkerError as error:
            print(f"error: {error}")
            problems += 1
            continue
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == wanted:
            continue
        if check:
            state = "missing" if current is None else "stale"
            print(f"{state}: {_rel(target)} (run: python tools/make_student.py --lang {lang})")
            problems += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(wanted, encoding="utf-8")
            print(f"wrote {_rel(target)}")
    names = {p.name for p in sources}
    for orphan in sorted(STUDENT[lang].glob("*.ipynb")):
        if orphan.name not in names:
            print(f"orphan: {_rel(orphan)} has no solution notebook; delete it or restore its source")
            problems += 1
    return len(sources), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list stale or missing student notebooks and exit 1 if any",
    )
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="one edition (default: all)")
    args = parser.parse_args(argv)

    total = 0
    for lang in args.lang or LANGUAGES:
        seen, problems = update(lang, args.check)
        total += problems
        if args.check:
            print(f"student notebooks [{lang}]: {seen} checked, {problems} to fix")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
