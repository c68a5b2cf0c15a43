"""A real LanguageTool server for the tests, started once per session (a pytest plugin: test modules
that need it say `pytest_plugins = ("conftest_lt",)`).

Skips with the reason when Java 17+ or the install is missing; CI runs `mail-lint languagetool install`
first. Also a loopback socket that accepts connections and never answers, for the timeout tests.
"""
from __future__ import annotations

import socket
import threading

import pytest

from mail_lint.languagetool import LanguageToolClient, ManagedServer, find_installed
from mail_lint.languagetool.install import MIN_JAVA, java_version

# Generous: the first checks on a loaded 2-core CI box can take seconds; the timeout tests use their own.
TEST_TIMEOUT = 60.0


@pytest.fixture(scope="session")
def lt_installation():
    found = java_version()
    if found is None or found < MIN_JAVA:
        pytest.skip(f"Java {MIN_JAVA}+ not found (java -version): the LanguageTool tests need it")
    installation = find_installed()
    if installation is None:
        pytest.skip("LanguageTool is not installed: run `mail-lint languagetool install` (make languagetool)")
    return installation


@pytest.fixture(scope="session")
def lt_server(lt_installation):
    server = ManagedServer(lt_installation)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lt_client(lt_server) -> LanguageToolClient:
    # Not closed here: closing a client stops its server, which lt_server does at the end.
    return LanguageToolClient(timeout=TEST_TIMEOUT, server=lt_server)


@pytest.fixture
def silent_server():
    """127.0.0.1:PORT that accepts connections and never says a word: a hung LanguageTool."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                held.append(conn)  # keep it open, read nothing, answer nothing
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback port where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
