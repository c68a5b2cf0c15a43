"""Shared fixtures: where the third-party corpora are, and a CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def corpora_dir() -> Path | None:
    """../shared/corpora beside the repo (or $MAIL_LINT_CORPORA); None in a user's clone without it."""
    for candidate in (os.environ.get("MAIL_LINT_CORPORA"), REPO.parent / "shared" / "corpora",
                      Path("/work/shared/corpora")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture
def corpora() -> Path:
    found = corpora_dir()
    if found is None:
        pytest.skip("../shared/corpora is absent (it ships with the team's workspace, not with the repo)")
    return found


def run_cli(*args: str, input: bytes | None = None, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    """Runs `python -m mail_lint ARGS`; stdout and stderr come back decoded as UTF-8."""
    p = subprocess.run([sys.executable, "-m", "mail_lint", *args], input=input, capture_output=True,
                       env={**os.environ, **(env or {})}, cwd=cwd or REPO, timeout=120)
    return subprocess.CompletedProcess(p.args, p.returncode, p.stdout.decode("utf-8", "replace"),
                                       p.stderr.decode("utf-8", "replace"))


@pytest.fixture
def cli():
    return run_cli

sys.path.insert(0, str(Path(__file__).parent))  # tests/support is importable as `support`
