"""Structured log lines: one JSON object per event, for the watcher, the digest schedule and the service."""
from __future__ import annotations

import json
import logging

log = logging.getLogger("mail_lint.watch")


def event(name: str, **fields) -> None:
    """One structured log line: {"event": name, ...}. Never pass secrets here."""
    log.info(json.dumps({"event": name, **fields}, ensure_ascii=False, default=str))
