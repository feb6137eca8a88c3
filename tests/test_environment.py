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


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_zh_serves_jupyterlab_in_chinese(tmp_path):
    """`make lab-zh` starts JupyterLab with its own settings folder holding locale zh_CN: a real
    server then serves the zh-CN language pack and that locale, and the Makefile wires it so. Both
    `make lab` and `make lab-zh` serve the course font through JupyterLab's custom CSS, so that a
    browser with no Chinese font draws the Markdown cells' Chinese with it."""
    import os
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    makefile = (ROOT / "Makefile").read_text()
    assert "JUPYTERLAB_SETTINGS_DIR" in makefile and "jupyter/zh-CN/plugin.jupyterlab-settings" in makefile
    assert re.search(r"^lab-zh: env \$\(ZH_LOCALE\) \$\(LAB_CUSTOM\)$", makefile, re.M)
    assert re.search(r"^lab: env \$\(LAB_CUSTOM\)$", makefile, re.M)
    assert re.search(r"JUPYTER_CONFIG_DIR=.*\$\(LAB_CONFIG\).*--LabApp.custom_css=True", makefile, re.S)
    settings = tmp_path / "settings" / "@jupyterlab" / "translation-extension"
    settings.mkdir(parents=True)
    shutil.copy(ROOT / "jupyter" / "zh-CN" / "plugin.jupyterlab-settings", settings)
    custom = tmp_path / "config" / "custom"  # what make lab copies into .venv/jupyter-config/custom
    custom.mkdir(parents=True)
    shutil.copy(ROOT / "jupyter" / "custom" / "custom.css", custom)
    font = ROOT / "crmlib" / "data" / "fonts" / "NotoSansSC-Course.otf"
    shutil.copy(font, custom)
    port, token = _free_port(), "crm-test"
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
        "JUPYTER_CONFIG_DIR": str(custom.parent),
    }
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}", "--allow-root",
               "--LabApp.custom_css=True"]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def fetch(path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token={token}", timeout=10) as reply:
            return reply.read()

    def get(path: str) -> dict:
        return json.loads(fetch(path))

    try:
        for _ in range(120):
            try:
                packs = get("/lab/api/translations/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("JupyterLab did not start")
        assert "zh_CN" in packs["data"]  # the language pack of the lock is installed
        plugin = get("/lab/api/settings/@jupyterlab/translation-extension:plugin")
        assert '"zh_CN"' in plugin["raw"]  # the locale make lab-zh sets
        strings = get("/lab/api/translations/zh_CN")["data"]
        assert any("文件" in json.dumps(v, ensure_ascii=False) for v in strings.values())  # menus in Chinese
        # the page links the custom CSS, which declares the course font, served from the same folder
        assert 'href="/custom/custom.css"' in fetch("/lab").decode()
        css = fetch("/custom/custom.css").decode()
        assert re.search(r'@font-face\s*{[^}]*url\("NotoSansSC-Course.otf"\)', css)
        assert re.search(r":root:root\s*{[^}]*--jp-content-font-family:[^;]*\"Noto Sans SC Course\"", css)
        assert fetch("/custom/NotoSansSC-Course.otf") == font.read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=30)
