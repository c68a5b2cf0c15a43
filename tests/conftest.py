"""Shared fixtures: where the third-party corpora are, and a CLI runner."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from support.corpora import corpora_dir  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# The tests' data directory (the default store, backups): a fresh one per run, never the user's own. Set before
# any test runs, so every subprocess a test starts inherits it.
TEST_HOME = Path(tempfile.mkdtemp(prefix="mail-lint-home-"))
os.environ["MAIL_LINT_HOME"] = str(TEST_HOME)


def pytest_unconfigure(config):
    shutil.rmtree(TEST_HOME, ignore_errors=True)


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


@pytest.fixture(scope="session")
def postgres_server():
    from support.postgres import Postgres
    if not Postgres.available():
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    server = Postgres().start()
    yield server
    server.remove()


@pytest.fixture
def postgres_url(postgres_server, monkeypatch) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    from support.postgres import create_database
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return create_database(postgres_server)
