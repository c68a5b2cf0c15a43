"""`serve --workers N` killed with SIGKILL: its workers and their LanguageTool JVMs go with it, and the port is
free for a restart. A real `mail-lint serve` with real LanguageTool servers (one per worker); Linux only (/proc)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from test_api_e2e import free_port, wait_until_up

pytest_plugins = ("conftest_lt",)
REPO = Path(__file__).resolve().parent.parent

if not Path("/proc/self/task").is_dir():
    pytest.skip("needs Linux /proc", allow_module_level=True)


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = {int(c) for c in (task / "children").read_text().split()}
            except OSError:
                continue
            todo.extend(children - found)
            found |= children
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent to reap it (a zombie holds no port and no memory)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no obstacle
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def serve(config: Path, port: int, env: dict) -> tuple[subprocess.Popen, list[str]]:
    """`mail-lint serve --workers 2`, its log lines collected as they come."""
    process = subprocess.Popen([sys.executable, "-m", "mail_lint", "serve", "--port", str(port), "--workers", "2",
                                "--config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env, cwd=REPO, text=True, errors="replace")
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()
    return process, log


def test_killing_the_master_takes_its_workers_and_their_languagetool_along(tmp_path, lt_installation):
    # A LanguageTool home of its own, holding only a link to the install: no server announced by
    # `mail-lint languagetool start` is reused, so each worker starts its own JVM, as in production.
    home = tmp_path / "lt-home"
    home.mkdir()
    (home / lt_installation.version).symlink_to(lt_installation.lib.parent)
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "verdicts.db"}"\n', encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": "", "MAIL_LINT_CONFIG": "", "MAIL_LINT_LT_HOME": str(home),
           "PYTHONUNBUFFERED": "1"}
    port = free_port()
    master, log = serve(config, port, env)
    family: set[int] = set()
    try:
        deadline = time.monotonic() + 300  # two JVMs starting side by side on a shared 2-core box
        while sum("Application startup complete" in line for line in log) < 2:
            assert master.poll() is None, "".join(log)
            assert time.monotonic() < deadline, "the workers did not start:\n" + "".join(log[-20:])
            time.sleep(0.5)
        family = descendants(master.pid)
        jvms = {pid for pid in family if "org.languagetool.server.HTTPServer" in command(pid)}
        workers = {pid for pid in family if "multiprocessing" in command(pid) and pid not in jvms
                   and "resource_tracker" not in command(pid)}
        assert len(jvms) == 2 and len(workers) == 2, {pid: command(pid)[:120] for pid in family}

        os.kill(master.pid, signal.SIGKILL)
        master.wait(10)
        deadline = time.monotonic() + 60
        while left := {pid for pid in family if running(pid)}:
            assert time.monotonic() < deadline, f"still running: { {pid: command(pid)[:120] for pid in left} }"
            time.sleep(0.2)
        assert port_free(port)
    finally:
        for pid in [master.pid, *family]:  # our own processes, should the test fail with them alive
            if running(pid):
                os.kill(pid, signal.SIGKILL)

    # A restart on the same port works (grammar off: the port is what is under test here).
    config.write_text(config.read_text(encoding="utf-8") + '\n[rules]\ndisable = ["grammar"]\n', encoding="utf-8")
    again, log = serve(config, port, env)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", again, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
            assert r.status == 200
        assert not any("address already in use" in line.lower() for line in log)
    finally:
        again.terminate()
        again.wait(15)
