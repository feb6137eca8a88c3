"""The contributor's tooling works as documented: the pre-commit hooks' commands pass on
the repository, the Makefile has the targets CONTRIBUTING names, and the declared
dependencies are the ones crmlib imports."""

from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]


def _command(entry: str) -> list[str]:
    """A hook's entry, run with this test's interpreter and ruff (CI has them in .venv too)."""
    words = shlex.split(entry)
    if words[0].endswith("/python"):
        return [sys.executable, *words[1:]]
    if words[0].endswith("/ruff"):
        return [str(Path(sys.executable).with_name("ruff")), *words[1:]]
    return words


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_every_pre_commit_hook_passes_on_the_repository(hook):
    assert hook["entry"].startswith(".venv/bin/"), "hooks run the repository's own environment"
    command = _command(hook["entry"])
    if hook.get("pass_filenames", True):
        command += ["crmlib/__init__.py", "tools/navigation.py"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_lint_hook_fails_on_bad_code(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n")
    hook = next(h for h in HOOKS if h["id"] == "ruff-check")
    result = subprocess.run(
        [*_command(hook["entry"]).copy()[:-1], "--no-force-exclude", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "F401" in result.stdout


def test_makefile_has_the_documented_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "unit", "lint", "nbval", "execute", "exercises", "bench", "bench-rfm"):
        assert re.search(rf"^{target}:", makefile, re.M), f"no make {target}"
    assert re.search(r"^test: lint$", makefile, re.M), "make test runs lint first"
    assert re.search(
        r"^\t\$\(MAKE\) .*-j\d .* unit-a unit-b unit-c nbval-en nbval-zh book-test$", makefile, re.M
    ), "then the three unit parts, nbval of both editions and the book in a browser"
    assert re.search(r"^nbval: nbval-en nbval-zh$", makefile, re.M), "make nbval runs both editions"
    assert re.search(r"^unit: unit-a unit-b unit-c$", makefile, re.M), "make unit runs the three parts"
    for part in ("UNIT_A", "UNIT_B"):
        files = re.search(rf"^{part} := (.*?)\n\n", makefile, re.M | re.S)[1].replace("\\\n", " ").split()
        assert files and all((ROOT / path).is_file() for path in files), f"{part} names test files that exist"
    assert re.search(
        r"tests \$\(addprefix --ignore=,\$\(UNIT_A\) \$\(UNIT_B\) \$\(BOOK_TEST\)\)", makefile
    ), "unit-c runs every other file but the book's"
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")


def _third_party_imports() -> set[str]:
    found = set()
    for path in (ROOT / "crmlib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"crmlib"}


#: import name -> distribution name, where they differ
DISTRIBUTIONS = {"sklearn": "scikit-learn", "yaml": "pyyaml"}


def test_pyproject_declares_exactly_what_crmlib_imports():
    declared = {
        re.split(r"[<>=!~ ;\[]", d)[0].lower()
        for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    imported = {DISTRIBUTIONS.get(name, name).lower() for name in _third_party_imports()}
    assert imported == declared, (
        f"imported but not declared: {sorted(imported - declared)}; "
        f"declared but not imported: {sorted(declared - imported)}"
    )


def test_crmlib_is_typed():
    assert (ROOT / "crmlib" / "py.typed").exists()
    assert "py.typed" in (ROOT / "pyproject.toml").read_text()
