"""The two set-up paths (pip lock and conda environment.yml) pin the same versions."""

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


#: conda-forge names that differ from the PyPI names of the lock
CONDA_NAMES = {"python-duckdb": "duckdb"}


def normalise(name: str) -> str:
    name = re.sub(r"[-_.]+", "-", name).lower()
    return CONDA_NAMES.get(name, name)


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert "==" in line, f"requirements.lock line {line!r} is not an exact pin"
        name, version = line.split("==")
        pins[normalise(name)] = version
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pins = {}
    for entry in env["dependencies"]:
        assert isinstance(entry, str), "environment.yml takes everything from conda-forge, no pip section"
        name, _, version = entry.partition("=")
        assert version and "=" not in version and "*" not in version, f"{entry!r} is not an exact pin"
        pins[normalise(name)] = version
    return pins


def test_every_conda_pin_agrees_with_the_lock():
    lock, conda = lock_pins(), conda_pins()
    conda.pop("python")
    missing = sorted(set(conda) - set(lock))
    assert not missing, f"in environment.yml but not in requirements.lock: {missing}"
    disagree = {name: (version, lock[name]) for name, version in conda.items() if lock[name] != version}
    assert not disagree, f"environment.yml and requirements.lock disagree (conda, lock): {disagree}"


def test_library_dependencies_are_pinned_in_both():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {normalise(re.split(r"[<>=!~ ;\[]", d)[0]) for d in project["dependencies"]}
    lock, conda = lock_pins(), conda_pins()
    assert declared <= set(lock), f"not in requirements.lock: {sorted(declared - set(lock))}"
    assert declared <= set(conda), f"not in environment.yml: {sorted(declared - set(conda))}"


def test_test_tools_are_pinned_in_both():
    for tool in ["pytest", "nbval", "jupyterlab", "hypothesis"]:
        assert tool in lock_pins() and tool in conda_pins(), tool


def test_jupyterlab_never_asks_to_fetch_news_or_updates():
    """The environment `make env` builds (and Binder's postBuild) overrides JupyterLab's
    defaults: no first-start question about news, no request to a news or update host."""
    import sys

    overrides = json.loads((ROOT / "jupyter" / "overrides.json").read_text(encoding="utf-8"))
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    schema = Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/apputils-extension/notification.json"
    allowed = {
        c["const"] for c in json.loads(schema.read_text(encoding="utf-8"))["properties"]["fetchNews"]["oneOf"]
    }
    assert notification["fetchNews"] == "false" and "false" in allowed
    assert notification["checkForUpdates"] is False
    installed = Path(sys.prefix) / "share/jupyter/lab/settings/overrides.json"
    assert installed.is_file(), "make env did not install jupyter/overrides.json"
    assert json.loads(installed.read_text(encoding="utf-8")) == overrides
    assert "jupyter/overrides.json" in (ROOT / "postBuild").read_text(encoding="utf-8")
