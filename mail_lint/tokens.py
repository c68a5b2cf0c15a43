"""API tokens: created once by `mail-lint token create`, kept in the store only as SHA-256 hashes.

A token is 32 random bytes, URL-safe; whoever holds it acts as its email with its role
(`manager`: checks drafts and reads their own verdicts; `head`: reads every verdict and the digest).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from .errors import UnusableInput
from .store.models import TokenRow

ROLES = ("manager", "head")
TOKEN_PREFIX = "mlt_"  # makes a leaked token recognisable in logs and secret scanners
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


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


def create_token(store, role: str, email: str) -> str:
    """Store a new token's hash and return the token itself (the only time it is seen)."""
    if role not in ROLES:
        raise UnusableInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    email = checked_email(email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.session(write=True) as session:
        session.add(TokenRow(token_hash=hash_token(token), role=role, email=email))
    return token


def find_identity(store, token: str) -> Identity | None:
    """The identity behind a presented token, or None when it is unknown."""
    if not token or len(token) > 200:
        return None
    presented = hash_token(token)
    with store.session() as session:
        row = session.scalar(select(TokenRow).where(TokenRow.token_hash == presented))
        # The lookup is by hash already; compare_digest keeps the final comparison constant-time.
        if row is None or not hmac.compare_digest(row.token_hash, presented):
            return None
        return Identity(email=row.email, role=row.role)
