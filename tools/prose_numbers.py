"""List numbers in a notebook's prose that none of its outputs print.

    python tools/prose_numbers.py notebooks/04_customer_value_clv.ipynb [...]
    python tools/prose_numbers.py --lang zh     # every chapter of an edition (default: all editions)

A review aid for the rule "a number in the prose is the number the code
printed": every number in a markdown cell that has a decimal point, a
thousands separator or a percent sign (or three or more digits and is not a
year) is looked up in the text outputs of the notebook, in the usual
renderings (1,234.5 / 1234.5 / 12.3% / 0.123). What it lists is a place to
look, not a verdict: a number quoted from a paper or given as a parameter
may rightly appear only in the prose.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# ASCII word characters only: a number between Chinese characters (共购买35次) is still a number
NUMBER = re.compile(r"(?<![\w.])(-|−)?\d+(,\d{3})*(\.\d+)?( ?%)?(?![\w])", re.ASCII)


def outputs_text(notebook: dict) -> str:
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            data = output.get("data", {})
            parts.append("".join(data.get("text/plain", "")))
            parts.append("".join(data.get("text/html", "")))
    return "\n".join(parts)


def renderings(token: str) -> list[str]:
    plain = token.replace(",", "").replace("−", "-")
    forms = {token, plain}
    if plain.endswith("%"):
        value = float(plain[:-1])
        digits = len(plain[:-1].split(".")[1]) if "." in plain else 0
        forms |= {f"{value / 100:.{digits + 2}f}", f"{value / 100:.{digits + 2}f}".rstrip("0"), plain[:-1]}
    else:
        value = float(plain)
        forms |= {f"{value:,}", f"{value:g}"}
        if "." in plain:
            decimals = len(plain.split(".")[1])
            forms |= {f"{value:.{decimals}f}"}
    return [f for f in forms if f]


def interesting(token: str) -> bool:
    plain = token.replace(",", "").replace("−", "-").lstrip("-")
    if plain.endswith("%") or "." in plain or "," in token:
        return True
    if plain.isdigit() and len(plain) >= 3:
        return not (1900 <= int(plain) <= 2100)
    return False


def rounded_in(token: str, haystack_numbers: list[float]) -> bool:
    """True if some printed number rounds to the prose number."""
    plain = token.replace(",", "").replace("−", "-")
    percent = plain.endswith("%")
    text = plain[:-1] if percent else plain
    decimals = len(text.split(".")[1]) if "." in text else 0
    target = float(text)
    for value in haystack_numbers:
        scaled = (value, value / 1e3, value / 1e6, value / 1e9)
        for candidate in [v * 100 for v in scaled] + list(scaled) if percent else scaled:
            if round(candidate, decimals) == target or round(abs(candidate), decimals) == abs(target):
                return True
    return False


def check(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    haystack = outputs_text(notebook)
    printed = []
    for m in NUMBER.finditer(haystack):
        plain = m.group(0).replace(",", "").replace(" %", "").rstrip("%").replace("−", "-")
        if plain.replace(".", "", 1).lstrip("-").isdigit():
            printed.append(float(plain))
    missing = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown" or "navigation" in cell.get("metadata", {}).get("tags", []):
            continue
        text = "".join(cell["source"])
        text = re.sub(r"\$[^$]*\$", " ", text)  # formulas state symbols, not results
        for match in NUMBER.finditer(text):
            token = match.group(0).replace(" %", "%")
            if not interesting(token):
                continue
            if any(form in haystack for form in renderings(token)) or rounded_in(token, printed):
                continue
            if text[match.end() : match.end() + 1] == "万" and rounded_in(token, [v / 1e4 for v in printed]):
                continue  # Chinese prose counts large sums in 万 (10,000): ¥966.3万 is 9663431.92
            missing.append(f"{path.name}: cell {index}: {token}")
    return missing


def edition_notebooks(langs: list[str]) -> list[Path]:
    """The chapter notebooks of the given editions (see crmlib.course.notebook_path)."""
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    from crmlib.course import chapters, notebook_path

    paths = [root / notebook_path(n, lang) for lang in langs for n in chapters()["number"]]
    return [p for p in paths if p.exists()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks (default: every chapter of the editions)")
    parser.add_argument("--lang", choices=("en", "zh"), action="append", help="one edition (default: all)")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.paths] or edition_notebooks(args.lang or ["en", "zh"])
    found = [line for path in paths for line in check(path)]
    print("\n".join(found) if found else "every prose number appears in an output")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
