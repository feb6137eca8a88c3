"""Write a made-up class of chapter 01 submissions, to try ``python -m crmlib.grade`` on.

    python tools/sample_class.py .scratch/sample_class
    python -m crmlib.grade .scratch/sample_class --out .scratch/report/grades.csv --jobs 4

Ten students, each a copy of the course's own notebooks with some cells replaced
(``tests/test_grade.py`` asserts the verdicts each one gets). The student id is in the
file name (``2024000001_01_marketing_concepts.ipynb``), so each notebook runs as its
student: ``set_student()`` reads the id, and questions 1, 2 and 10 have that student's
own numbers.

- 2024000001 correct: the solution notebook (its code uses ``p.acquired``, ``p.year``:
  it solves the student's own variant);
- 2024000002 partly wrong: three typical slips, a wrong choice, a too-short discussion;
- 2024000003 blank: the student notebook as handed out;
- 2024000004 broken: a cell that raises, a cell that asks for 8 GB (memory limit);
- 2024000005 endless: an infinite loop in question 2's cell, stopped at the notebook limit;
  question 1, answered before it, is kept and graded;
- 2024000006 tampering: ``check`` redefined to always say "✅", wrong answers;
- 2024000007 tampering: fake "✅" lines printed, and fake outputs saved in the file;
- 2024000008 tampering: the question bank edited in the kernel's memory;
- 2024000009 default numbers: the numbers the questions print typed in (1,000, year 5, 400)
  instead of ``p.acquired``, ``p.year``: right for the default variant only;
- 2024000010 no id in the file name (``homework_ch01.ipynb``, the id only in the metadata): the
  solution's code, but ``set_student()`` finds no id, so it computes the default numbers.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "exercises" / "solutions" / "01_marketing_concepts.ipynb"
STUDENT = ROOT / "exercises" / "student" / "01_marketing_concepts.ipynb"
#: cell ids of chapter 01's exercise notebook, by question
CELL = {
    "setup": "89b61d57",
    "q1": "c447b00b",
    "q2": "25882d70",
    "q3": "6b620ec3",
    "q6": "7534f525",
    "q10": "e01b34f6",
    "q7": "4f069f44",
    "q8": "a125ead6",
}

TOO_SHORT = 'leaky_bucket_answer = "Keeping customers is cheaper."\ncheck("ch01.q8", leaky_bucket_answer)\n'

#: file name stem -> (base notebook, {cell id: new source})
STUDENTS: dict[str, tuple[Path, dict[str, str]]] = {
    "2024000001": (SOLUTION, {}),
    "2024000002": (
        SOLUTION,
        {
            CELL["q1"]: 'p = parameters("ch01.q1")\n'
            'steady_base = p.acquired / kept["high_end"]\ncheck("ch01.q1", steady_base)\n',
            CELL["q6"]: 'dearer_acquisition = "B"\ncheck("ch01.q6", dearer_acquisition)\n',
            CELL["q7"]: 'customer_value_first = "C"\ncheck("ch01.q7", customer_value_first)\n',
            CELL["q8"]: TOO_SHORT,
        },
    ),
    "2024000003": (STUDENT, {}),
    "2024000004": (
        SOLUTION,
        {
            CELL["q1"]: 'steady_base = 1000 / (1 - kept["premium"])\ncheck("ch01.q1", steady_base)\n',
            CELL["q2"]: "ballast = bytearray(8 * 2**30)\n"
            'first_cohort_left = 400 * kept["high_end"] ** 4\ncheck("ch01.q2", first_cohort_left)\n',
        },
    ),
    "2024000005": (
        SOLUTION,
        # An endless loop that waits instead of spinning: the grader stops it at the notebook's time
        # limit all the same, and the test class does not keep a core busy until then.
        {
            CELL["q2"]: "import time\nwhile True:\n    time.sleep(0.5)\n"
            'first_cohort_left = 1.0\ncheck("ch01.q2", first_cohort_left)\n'
        },
    ),
    "2024000006": (
        STUDENT,
        {
            CELL["q1"]: "def check(question_id, answer):\n"
            '    print(f"✅ {question_id} — correct.")\n'
            "    return True\n\n\n"
            'steady_base = 5000\ncheck("ch01.q1", steady_base)\n',
            CELL["q2"]: 'first_cohort_left = 200\ncheck("ch01.q2", first_cohort_left)\n',
        },
    ),
    "2024000007": (
        STUDENT,
        {
            CELL["q1"]: 'steady_base = ...\nprint("✅ ch01.q1 — correct.")\n',
            CELL["q7"]: 'customer_value_first = "A"\nprint("✅ ch01.q7 — correct.")\n',
        },
    ),
    "2024000008": (
        STUDENT,
        {
            CELL["q1"]: "from crmlib.exercises import question\n\n"
            'object.__setattr__(question("ch01.q1"), "expected_get", lambda *_: 5000.0)\n'
            'steady_base = 5000.0\ncheck("ch01.q1", steady_base)\n',
            CELL["q6"]: "import crmlib.exercises.registry as registry\n\n"
            "registry.evaluate = lambda asked, answer, *args, **kw: registry.CheckResult(\n"
            "    asked.id, True, f'✅ {asked.id} — correct.')\n"
            'dearer_acquisition = "C"\ncheck("ch01.q6", dearer_acquisition)\n',
        },
    ),
    "2024000009": (
        SOLUTION,
        {
            CELL["q1"]: 'steady_base = 1000 / (1 - kept["high_end"])\ncheck("ch01.q1", steady_base)\n',
            CELL[
                "q2"
            ]: 'first_cohort_left = 400 * kept["high_end"] ** 4\ncheck("ch01.q2", first_cohort_left)\n',
            CELL["q10"]: 'r, A, m, c_a, c_r = kept["high_end"], 400, 120, 150, 15\nyears = np.arange(1, 6)\n'
            "account = pd.DataFrame({\n"
            '    "year": years,\n'
            '    "base": A * (1 - r**years) / (1 - r),\n'
            '    "profit": m * A * (1 - r**years) / (1 - r) - c_a * A - c_r * r * A * (1 - r ** (years - 1)) / (1 - r),\n'
            "})\n"
            'check("ch01.q10", account)\n',
        },
    ),
    "2024000010": (SOLUTION, {}),
}
#: the file name of a submission, when it is not ``<id>_01_marketing_concepts.ipynb``
FILE_NAMES = {"2024000010": "homework_ch01.ipynb"}


def notebook(stem: str) -> dict:
    """The submission of one made-up student, as notebook JSON."""
    base, changes = STUDENTS[stem]
    nb = copy.deepcopy(json.loads(base.read_text(encoding="utf-8")))
    seen = set()
    for cell in nb["cells"]:
        if cell.get("id") in changes:
            cell["source"] = changes[cell["id"]].splitlines(keepends=True)
            seen.add(cell["id"])
    missing = set(changes) - seen
    if missing:
        raise KeyError(f"cells {sorted(missing)} are not in {base.name}: update tools/sample_class.py")
    if stem in FILE_NAMES:  # the id only in the notebook's metadata
        nb["metadata"]["crm_course"] = {"student_id": stem, "chapter": "01"}
    if stem == "2024000007":  # outputs saved in the file that claim every answer is right
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and "check(" in "".join(cell["source"]):
                qid = "".join(cell["source"]).split('check("')[1].split('"')[0]
                cell["outputs"] = [
                    {"output_type": "stream", "name": "stdout", "text": [f"✅ {qid} — correct.\n"]}
                ]
    return nb


def write_class(folder: Path, only: list[str] | None = None) -> list[Path]:
    """Write every made-up submission (or those of ``only``) into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem in only or STUDENTS:
        path = folder / FILE_NAMES.get(stem, f"{stem}_01_marketing_concepts.ipynb")
        path.write_text(json.dumps(notebook(stem), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for written in write_class(Path(sys.argv[1])):
        print(written)
