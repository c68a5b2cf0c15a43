"""API tokens: created once by `mail-lint token create`, kept in the store only as SHA-256 hashes.

A token is 32 random bytes, URL-safe; whoever holds it acts as its email with its role
(`manager`: checks drafts and reads their own verdicts; `head`: reads every verdict and the digest).
A token may expire (`--expires`) and may be revoked (`mail-lint token revoke ID`); either way it is
refused from the next request on, by every worker, since each request looks its token up in the store.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from .errors import UnusableInput
from .store.models import TokenRow, utcnow

ROLES = ("manager", "head")
TOKEN_PREFIX = "mlt_"  # makes a leaked token recognisable in logs and secret scanners
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
# `last_used_at` is written at most this often per token: a write on every request would queue readers
# behind SQLite's write lock for a timestamp nobody needs to the second.
LAST_USED_RESOLUTION = timedelta(minutes=1)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    """Who a request acts as."""

    email: str
    role: str

    @property
    def is_head(self) -> bool:
        return self.role == "head"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def checked_email(email: str) -> str:
    """The address lower-cased, as verdict senders are stored; UnusableInput when it is not one."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise UnusableInput(f"not an email address: {email!r}")
    return email


def create_token(store, role: str, email: str, expires_at: datetime | None = None) -> str:
    """Store a new token's hash and return the token itself (the only time it is seen)."""
    if role not in ROLES:
        raise UnusableInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    email = checked_email(email)
    if expires_at is not None and expires_at <= utcnow():
        raise UnusableInput(f"the expiry {expires_at.isoformat()} is already past")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.session(write=True) as session:
        session.add(TokenRow(token_hash=hash_token(token), role=role, email=email, expires_at=expires_at))
    return token


def token_status(row: TokenRow, now: datetime | None = None) -> str:
    """active, expired or revoked."""
    now = now or utcnow()
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def list_tokens(store) -> list[dict]:
    """Every token ever issued, oldest first: id, role, email, dates and status; never the token or its hash."""
    with store.session() as session:
        rows = session.scalars(select(TokenRow).where(TokenRow.role.in_(ROLES)).order_by(TokenRow.id)).all()
        now = utcnow()
        return [{"id": row.id, "role": row.role, "email": row.email, "created_at": row.created_at,
                 "last_used_at": row.last_used_at, "expires_at": row.expires_at, "revoked_at": row.revoked_at,
                 "status": token_status(row, now)} for row in rows]


def revoke_token(store, token_id: int) -> bool:
    """Revoke one token by its id; False when it was revoked already. UnusableInput when there is no such token."""
    with store.session(write=True) as session:
        row = session.get(TokenRow, token_id)
        if row is None or row.role not in ROLES:
            raise UnusableInput(f"no token with id {token_id} (see `mail-lint token list`)")
        if row.revoked_at is not None:
            return False
        row.revoked_at = utcnow()
        return True


def find_identity(store, token: str) -> Identity | None:
    """The identity behind a presented token, or None when it is unknown, revoked or expired."""
    if not token or len(token) > 200:
        return None
    presented = hash_token(token)
    with store.session() as session:
        row = session.scalar(select(TokenRow).where(TokenRow.token_hash == presented))
        # The lookup is by hash already; compare_digest keeps the final comparison constant-time.
        if row is None or not hmac.compare_digest(row.token_hash, presented) or row.role not in ROLES:
            return None
        now = utcnow()
        if token_status(row, now) != "active":
            return None
        identity = Identity(email=row.email, role=row.role)
        stale = row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION
        token_id = row.id
    if stale:
        _mark_used(store, token_id, now)
    return identity


def _mark_used(store, token_id: int, now: datetime) -> None:
    """Best effort: a busy store must not turn a valid token away."""
    try:
        with store.session(write=True) as session:
            session.execute(update(TokenRow).where(TokenRow.id == token_id).values(last_used_at=now))
    except DBAPIError as e:
        log.warning("token %s: last use not recorded: %s", token_id, str(e.orig or e).splitlines()[0])
