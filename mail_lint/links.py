"""Signed links to one verdict's annotated page, for the digest: they open in a browser without a token.

A link names the verdict, its reader ("head", or the manager's address for a private digest) and when it
expires, and carries an HMAC-SHA256 of the three under the server's secret. The service shows the
annotated verdict read-only to whoever holds a valid link; a tampered or expired link gets 403, and a
link made for a manager opens only verdicts on that manager's own mail.

The secret: `[api] link_secret` (or `$MAIL_LINT_LINK_SECRET`), the same on every host of a deployment;
else a random one kept in the data directory (`link-secret`, readable by its owner only), shared by the
processes of one host.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from urllib.parse import urlencode

from .home import data_dir

SECRET_ENV = "MAIL_LINT_LINK_SECRET"
SECRET_FILE = "link-secret"
HEAD_READER = "head"


def link_secret(config) -> bytes:
    """The server's secret for signing links (see the module's docstring for where it comes from)."""
    configured = os.environ.get(SECRET_ENV, "") or config.section("api").get("link_secret", "")
    if configured:
        return configured.encode()
    path = data_dir() / SECRET_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:  # O_EXCL: of two processes creating it at once, one writes and both read the same secret
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def signature(secret: bytes, verdict_id: int, reader: str, expires: int) -> str:
    message = f"{int(verdict_id)}\n{reader.strip().lower()}\n{int(expires)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def verdict_link(base_url: str, secret: bytes, verdict_id: int, reader: str, expires: int, lang: str = "") -> str:
    """`<base>/v1/verdicts/<id>/view?reader=..&expires=..&sig=..`: the annotated verdict, no token needed."""
    query = {"reader": reader.strip().lower(), "expires": int(expires),
             "sig": signature(secret, verdict_id, reader, expires)}
    if lang:
        query["lang"] = lang
    return f"{base_url.rstrip('/')}/v1/verdicts/{int(verdict_id)}/view?{urlencode(query)}"


def valid(secret: bytes, verdict_id: int, reader: str, expires: int, sig: str, now: float | None = None) -> bool:
    """The signature matches (compared in constant time) and the link has not expired."""
    if int(expires) < (time.time() if now is None else now):
        return False
    # as bytes: compare_digest refuses str with non-ASCII characters, and a link's query may hold any
    return hmac.compare_digest(signature(secret, verdict_id, reader, expires).encode(),
                               (sig or "").encode("utf-8", "replace"))


def expiry(days: int, now: float | None = None) -> int:
    return int((time.time() if now is None else now) + days * 86400)
