"""Logging for the long-running components (`serve`, `watch`, `languagetool start`): plain lines on a terminal,
one JSON object per line otherwise (under systemd, docker, a pipe), for our lines and the libraries' alike.

A JSON line is {"time": ISO 8601 UTC, "level": "info", "logger": "uvicorn.access", ...}: an `events.event`
brings its own fields ("event": "backlog.done", ...), any other record its "message"; a traceback rides in
"traceback" as one string, so a line is always one object.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import TextIO

# Loggers that set up handlers of their own and would otherwise print plain lines beside ours.
LIBRARY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "fastapi")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name}
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def json_wanted(stream: TextIO) -> bool:
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream: no terminal
        return True


def setup_logging(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Route every logger (ours, uvicorn's, Python's warnings) through one handler on stderr."""
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if json_wanted(stream)
                         else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
    logging.captureWarnings(True)
