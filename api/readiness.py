"""Probes behind /readyz: each returns (ok, one-line detail) and never hangs."""
from __future__ import annotations

import urllib.request
from typing import Any

from sqlalchemy import insert

from mail_lint.config import Config
from mail_lint.registry import load_checks
from mail_lint.store import Store
from mail_lint.store.models import TokenRow, utcnow

PROBE_TIMEOUT = 3.0  # seconds: a readiness probe answers quickly or says no


def grammar_enabled(config: Config) -> bool:
    """Whether this build has a grammar check and the config leaves it on: only then is LanguageTool needed."""
    return config.check_wanted("grammar") and any(c.name == "grammar" for c in load_checks())


def store_status(store: Store) -> tuple[bool, str]:
    """A real insert, rolled back: a read-only file or a full disk fails here, not on the next verdict."""
    try:
        with store.engine.connect() as conn:
            transaction = conn.begin()
            conn.execute(insert(TokenRow.__table__).values(
                token_hash="readyz-probe", role="probe", email="", created_at=utcnow()))
            transaction.rollback()
    except Exception as e:  # any driver error means: not writable
        return False, f"store not writable: {' '.join(str(e).split())[:200]}"
    return True, "writable"


def languagetool_status(services: dict[str, Any]) -> tuple[bool, str]:
    """Asks the LanguageTool server behind the client that `open_services` handed out whether it answers."""
    client = services.get("languagetool")
    if client is None:
        return False, "LanguageTool is not running (set [grammar] url, or run `mail-lint languagetool install`)"
    ping = getattr(client, "ping", None)
    try:
        if ping is not None:
            ok = ping() is not False
        else:
            timeout = min(float(getattr(client, "timeout", PROBE_TIMEOUT)), PROBE_TIMEOUT)
            with urllib.request.urlopen(f"{client.url.rstrip('/')}/v2/languages", timeout=timeout) as response:
                ok = response.status == 200
    except Exception as e:  # a down server surfaces as whatever the HTTP client raises
        return False, f"LanguageTool unreachable: {' '.join(str(e).split())[:200]}"
    return (True, "answers") if ok else (False, "LanguageTool unreachable")
