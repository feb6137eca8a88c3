"""Write the course's Chinese font: a subset of Noto Sans CJK SC that draws every character the
course writes, so that Chinese renders on a machine without a CJK font (a fresh Linux, Binder).

    python tools/make_cjk_font.py SOURCE             # write crmlib/data/fonts/NotoSansSC-Course.otf
    python tools/make_cjk_font.py SOURCE --check     # write nothing; exit 1 if the shipped font lacks a character

SOURCE is Noto Sans CJK SC Regular (SIL Open Font License 1.1): the ``NotoSansCJK-Regular.ttc``
collection (Debian's ``fonts-noto-cjk`` package, ``/usr/share/fonts/opentype/noto/``; the
Simplified Chinese face is taken from it) or ``NotoSansCJKsc-Regular.otf`` from
https://github.com/notofonts/noto-cjk. The subset keeps

- the 6,763 Chinese characters and the symbols of GB 2312, the national standard set that
  covers the characters of ordinary mainland text;
- ASCII, Latin-1, general punctuation, CJK symbols and punctuation, full-width forms;
- every other character in the Chinese text of the repository (glossary, messages, terminology,
  question banks, notebooks, Markdown files), so a rarer character the course uses is kept.

The font is renamed (family "Noto Sans SC Course") so that it is never mistaken for an installed
full Noto font; the OFL allows modified versions under another name. The licence is shipped next
to it (``OFL.txt``). ``crmlib.plots.set_style`` registers it with matplotlib.

The output is deterministic for a given source file and repository text, so it can be rebuilt and
compared; ``--check`` lists the characters of the repository's text that the shipped font lacks
(``tests/test_fonts.py`` runs the same check without the source font).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FONT = ROOT / "crmlib" / "data" / "fonts" / "NotoSansSC-Course.otf"
FAMILY = "Noto Sans SC Course"
#: Unicode blocks kept whole (besides GB 2312 and the repository's characters).
BLOCKS = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation (– — ‘ ’ “ ” … ‰)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (≤ ≥ ≈ × ÷ −)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》「」【】)
    (0xFF00, 0xFFEF),  # full-width forms (，：；？（）)
]
#: Where the course writes Chinese: every file of these kinds under these folders.
TEXT_FOLDERS = ["crmlib", "notebooks", "exercises", "instructors", "zh", "datasets", "tools"]
TEXT_SUFFIXES = {".py", ".csv", ".md", ".ipynb", ".json"}


def gb2312() -> set[str]:
    """Every character of GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE, decoded as EUC-CN)."""
    found = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                found.add(bytes([row, cell]).decode("gb2312"))
    return found


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
    )


def repository_characters() -> set[str]:
    """The CJK characters and symbols in the repository's text files (code, data, notebooks, docs)."""
    found: set[str] = set()
    files = [ROOT / "README.md", *(p for p in ROOT.glob("README*.md"))]
    for folder in TEXT_FOLDERS:
        base = ROOT / folder
        if base.exists():
            files += [p for p in base.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file()]
    for path in files:
        if ".ipynb_checkpoints" in path.parts or "__pycache__" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found.update(ch for ch in text if is_cjk(ch))
    return found


def wanted() -> set[str]:
    chars = gb2312() | repository_characters()
    for start, end in BLOCKS:
        chars.update(chr(c) for c in range(start, end + 1))
    return chars


def missing_from(font_path: Path, chars: set[str]) -> list[str]:
    """The characters of ``chars`` (CJK only) that the font at ``font_path`` cannot draw."""
    from fontTools.ttLib import TTFont

    with TTFont(font_path, lazy=True) as font:  # closed at once: no file left open
        cmap = font.getBestCmap()
    return sorted(ch for ch in chars if is_cjk(ch) and ord(ch) not in cmap)


def load_source(source: Path):
    from fontTools.ttLib import TTCollection, TTFont

    if source.suffix.lower() == ".ttc":
        for font in TTCollection(source).fonts:
            if font["name"].getDebugName(1) == "Noto Sans CJK SC":
                return font
        raise SystemExit(f"{source} holds no 'Noto Sans CJK SC' face")
    return TTFont(source)


def rename(font) -> None:
    """Family "Noto Sans SC Course", style Regular, in every name record that carries a name."""
    full = f"{FAMILY} Regular"
    postscript = FAMILY.replace(" ", "") + "-Regular"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (2, 17):
            record.string = "Regular"
        elif record.nameID == 4:
            record.string = full
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript};crm-course subset"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = full, FAMILY


def build(source: Path, out: Path) -> None:
    from fontTools import subset

    font = load_source(source)
    options = subset.Options()
    options.layout_features = ["*"]  # keep vertical forms, proportional punctuation
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False  # CFF hints of a 7,000-glyph subset: size without use on screens
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in wanted()))
    subsetter.subset(font)
    rename(font)
    font.recalcTimestamp = False  # keep the source's date: the same input gives the same bytes
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, nargs="?", help="Noto Sans CJK SC Regular (.ttc or .otf)")
    parser.add_argument("--check", action="store_true", help="write nothing; list characters the font lacks")
    args = parser.parse_args(argv)
    if args.check:
        missing = missing_from(FONT, repository_characters())
        print(
            f"{FONT.relative_to(ROOT)}: {len(missing)} character(s) of the repository's text missing"
            + (": " + "".join(missing) if missing else "")
        )
        return 1 if missing else 0
    if args.source is None:
        parser.error("give the source font (NotoSansCJK-Regular.ttc or NotoSansCJKsc-Regular.otf)")
    build(args.source, FONT)
    print(f"wrote {FONT.relative_to(ROOT)} ({FONT.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
