"""Structured log lines: one JSON object per event, for the watcher, the digest schedule and the service."""
from __future__ import annotations

import json
import logging

log = logging.getLogger("mail_lint.watch")


def event(name: str, **fields) -> None:
    """One structured log line: {"event": name, ...}. Never pass secrets here."""
    fields = {"event": name, **fields}
    # The message for plain logs; `fields` for mail_lint.logs' JSON lines, which then carry them as keys.
    log.info(json.dumps(fields, ensure_ascii=False, default=str), extra={"fields": fields})
