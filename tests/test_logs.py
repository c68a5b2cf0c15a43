"""Logs of the long-running components: one JSON object per line when stderr is not a terminal (uvicorn's own
lines and Python warnings included), plain readable lines on a terminal."""
from __future__ import annotations

import json
import logging
import os
import pty
import subprocess
import sys
import time
import urllib.request
import warnings

from mail_lint.events import event
from mail_lint.logs import setup_logging
from support.mailservers import free_port, wait_for_port


def test_serve_logs_only_json_lines_when_not_on_a_terminal(tmp_path):
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "l.db"}"\n[rules]\ndisable = ["grammar"]\n')
    port = free_port()
    env = {**os.environ, "DATABASE_URL": "", "MAIL_LINT_CONFIG": ""}
    server = subprocess.Popen([sys.executable, "-m", "mail_lint", "serve", "--port", str(port), "--config",
                               str(config)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)
    lines = [json.loads(line) for line in errors.splitlines()]  # every line is one JSON object
    loggers = {line["logger"] for line in lines}
    assert {"mail_lint.serve", "uvicorn.error", "uvicorn.access"} <= loggers
    assert any("/healthz" in line.get("message", "") for line in lines if line["logger"] == "uvicorn.access")
    assert all({"time", "level", "logger"} <= set(line) for line in lines)


def test_events_and_library_lines_are_json_objects_with_their_fields(tmp_path):
    stream = open(tmp_path / "log", "w+", encoding="utf-8")
    setup_logging(stream=stream)
    try:
        event("backlog.done", folder="INBOX", messages=3)
        logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("mail_lint.api").exception("request failed")
        warnings.warn("a library's warning", UserWarning)
    finally:
        logging.getLogger().handlers.clear()
        logging.captureWarnings(False)
    stream.seek(0)
    lines = [json.loads(line) for line in stream.read().splitlines()]
    assert lines[0]["event"] == "backlog.done" and lines[0]["folder"] == "INBOX" and lines[0]["messages"] == 3
    assert lines[1]["message"] == "Started server process [42]" and lines[1]["logger"] == "uvicorn.error"
    assert lines[2]["level"] == "error" and "ValueError: boom" in lines[2]["traceback"]
    assert lines[3]["logger"] == "py.warnings" and "a library's warning" in lines[3]["message"]


def test_on_a_terminal_the_lines_are_plain():
    main, child = pty.openpty()
    script = ("from mail_lint.logs import setup_logging; import logging; setup_logging(); "
              "logging.getLogger('mail_lint.serve').info('serving on http://127.0.0.1:8000/')")
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=child, stdout=subprocess.DEVNULL)
    os.close(child)
    proc.wait(timeout=60)
    output = b""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    text = output.decode()
    assert "INFO mail_lint.serve: serving on http://127.0.0.1:8000/" in text
    assert "{" not in text
