"""Guard shared by every pytest run (unit tests and nbval): nothing may write
into datasets/ while the tests or notebooks run."""

import hashlib
from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parent / "datasets"


def _fingerprint() -> dict[str, str]:
    return {
        str(p.relative_to(DATASETS)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(DATASETS.rglob("*"))
        if p.is_file()
    }


def pytest_sessionstart(session):
    session.config._datasets_before = _fingerprint()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_datasets_before", None)
    if before is None:
        return
    after = _fingerprint()
    if after != before:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        session.config.get_terminal_writer().line(
            f"FAILED: the run wrote into datasets/: {changed}", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
