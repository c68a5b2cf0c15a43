"""Probes behind /readyz: each returns (ok, one-line detail) and never hangs."""
from __future__ import annotations

import os
import tempfile
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import delete, insert, text

from mail_lint.checks import Services
from mail_lint.config import Config
from mail_lint.registry import load_checks
from mail_lint.store import Store
from mail_lint.store.models import TokenRow, utcnow

PROBE_TIMEOUT = 3.0  # seconds: a readiness probe answers quickly or says no
PROBE_FILE_BYTES = 64 * 1024  # room for a verdict or two: a disk with less is as good as full


def grammar_enabled(config: Config) -> bool:
    """Whether this build has a grammar check and the config leaves it on: only then is LanguageTool needed."""
    return config.check_wanted("grammar") and any(c.name == "grammar" for c in load_checks())


def store_status(store: Store) -> tuple[bool, str]:
    """A committed write (a probe row inserted and deleted), and for a SQLite file a small file written
    and fsynced beside it. A rolled-back write never reaches the disk, so a full disk passed that probe;
    a commit can still land in the space of an already grown WAL file, which the file probe does not."""
    try:
        with store.session(write=True) as session:
            probe = f"readyz-probe-{uuid.uuid4().hex}"  # unique: concurrent probes on PostgreSQL never collide
            session.execute(insert(TokenRow.__table__).values(
                token_hash=probe, role="probe", email="", created_at=utcnow()))
            session.execute(delete(TokenRow.__table__).where(TokenRow.__table__.c.token_hash == probe))
            files = [row[2] for row in session.execute(text("PRAGMA database_list"))] \
                if store.engine.dialect.name == "sqlite" else []
        for database in filter(None, files):  # "" is an in-memory database
            _write_probe_file(Path(database).parent)
    except Exception as e:  # any driver or OS error means: not writable
        reason = getattr(e, "orig", None) or (e.strerror if isinstance(e, OSError) else None) or e
        return False, f"store not writable: {' '.join(str(reason).split())[:200]}"
    return True, "writable"


def _write_probe_file(folder: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=".mail-lint-readyz-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(bytes(PROBE_FILE_BYTES))
            f.flush()
            os.fsync(f.fileno())
    finally:
        os.unlink(name)


def languagetool_status(services: Services) -> tuple[bool, str]:
    """Asks the LanguageTool server behind the client that `open_services` handed out whether it answers."""
    client = services.languagetool
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
