"""Tables of the verdict store (SQLAlchemy 2 typed declarative models).

The schema itself is created by the Alembic migrations in `mail_lint/migrations/versions/`;
these models must match them (a test compares the two). Change both together.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (JSON, BigInteger, DateTime, ForeignKey, Index, Integer, MetaData, String, Text,
                        UniqueConstraint)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from mail_lint.dates import clamp, to_utc

SOURCES = ("cli", "api", "imap")

# Stable constraint names, so later migrations can drop or alter them (SQLite batch mode needs names).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware in Python, UTC in the database.

    SQLite has no timezone type and would hand back naive values; storing UTC and re-attaching
    it on the way out gives the same aware datetimes on SQLite and PostgreSQL, and keeps the
    stored text sortable. Dates outside mail_lint.dates' years are clamped to them, so a message
    built by hand with year 9999 at -14:00 is stored instead of overflowing on its way to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = clamp(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else to_utc(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class MessageRow(Base):
    """One email, keyed by its Message-ID (a synthetic one for drafts) within its owner's keeping."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    sender: Mapped[str] = mapped_column(String(320), index=True, default="")  # lower-case address
    sender_name: Mapped[str] = mapped_column(String(500), default="")
    recipients: Mapped[list[Any]] = mapped_column(default=list)  # ["Name <email>", ...]
    cc: Mapped[list[Any]] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(Text, default="")
    # The message's Date header; for mail without one, when it was first stored.
    date: Mapped[datetime] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(16))  # one of SOURCES
    # "" for the watcher and the CLI; the token's address for a verdict saved through the API, which is then
    # kept under "<message-id> owner" in `message_id`, so that nobody's save replaces another's verdict.
    owner: Mapped[str] = mapped_column(String(320), default="", server_default="")
    # The `[[mailbox]]` entry the watcher found it in ("" otherwise): whose team the sender is in.
    mailbox: Mapped[str] = mapped_column(String(64), index=True, default="", server_default="")
    size: Mapped[int] = mapped_column(default=0)
    language: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    verdict: Mapped[VerdictRow | None] = relationship(back_populates="message", uselist=False)


class VerdictRow(Base):
    """The latest verdict on a message: re-linting a message replaces it."""

    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    score: Mapped[int] = mapped_column(index=True)
    passed: Mapped[bool]
    schema: Mapped[str] = mapped_column(String(64), default="")
    # The verdict's "message" block exactly as linted (addresses, attachments, original date offset).
    header: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text: Mapped[str] = mapped_column(Text, default="")
    parts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    findings: Mapped[list[Any]] = mapped_column(default=list)
    checks: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Keys of the verdict JSON this schema has no column for, kept so get() returns them unchanged.
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rules_version: Mapped[str] = mapped_column(String(64), default="")
    grammar_status: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[MessageRow] = relationship(back_populates="verdict")
    rules: Mapped[list[VerdictRule]] = relationship(
        back_populates="verdict", cascade="all, delete-orphan", passive_deletes=True)


class VerdictRule(Base):
    """Which rule names fired in a verdict, and how often: "verdicts with rule X" and digest counts."""

    __tablename__ = "verdict_rules"

    verdict_id: Mapped[int] = mapped_column(
        ForeignKey("verdicts.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(default=1)

    verdict: Mapped[VerdictRow] = relationship(back_populates="rules")

    # Covering (name, verdict_id): "verdicts with rule X" is answered from the index alone.
    __table_args__ = (Index("ix_verdict_rules_name", "name", "verdict_id"),)


class SkippedRow(Base):
    """Mail the watcher did not lint (not selected) or could not parse, with the reason."""

    __tablename__ = "skipped"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # NULL when the mail had no usable Message-ID (NULLs never collide in the unique index).
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    mailbox: Mapped[str] = mapped_column(String(64), default="", server_default="")  # as MessageRow.mailbox
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImapCheckpoint(Base):
    """How far the watcher got in one folder: the last UID done under the folder's UIDVALIDITY."""

    __tablename__ = "imap_checkpoints"

    folder: Mapped[str] = mapped_column(String(500), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DigestSend(Base):
    """One weekly digest to one recipient: claimed before sending, `sent_at` set once SMTP accepted it.

    The unique (week, kind, recipient) is what makes the schedule send once per week even with two
    watchers or a restart: only one process can insert the claim.
    """

    __tablename__ = "digest_sends"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week: Mapped[str] = mapped_column(String(8))  # ISO week, "2025-W49"
    kind: Mapped[str] = mapped_column(String(16))  # "head" | "private"
    recipient: Mapped[str] = mapped_column(String(320))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("week", "kind", "recipient"),)


class TokenRow(Base):
    """An API token of the check service: only its SHA-256 is kept, never the token itself."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex sha256 of the token
    role: Mapped[str] = mapped_column(String(16))  # manager | head
    email: Mapped[str] = mapped_column(String(320), index=True)  # lower-case address
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]  # to the minute (mail_lint.tokens.LAST_USED_RESOLUTION)
    expires_at: Mapped[datetime | None]  # refused from then on; None: never expires
    revoked_at: Mapped[datetime | None]  # `mail-lint token revoke`: refused from then on


class DictionaryWord(Base):
    """A word of the company dictionary, added by the head: never a misspelling for anyone."""

    __tablename__ = "dictionary_words"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    word: Mapped[str] = mapped_column(String(200))  # as the head wrote it
    norm: Mapped[str] = mapped_column(String(200), unique=True)  # lower case, ё as е: one entry per word
    added_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Dismissal(Base):
    """Someone said a finding is not a problem. A dismissed spelling is that person's own dictionary word."""

    __tablename__ = "dismissals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)  # the finding's rule name
    excerpt: Mapped[str] = mapped_column(String(500), default="")  # the flagged text
    # The verdict it was seen in, when there is one; no foreign key: a dismissal outlives a replaced verdict.
    verdict_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(500), default="")
    dismissed_by: Mapped[str] = mapped_column(String(320), index=True)  # lower-case address of the token
    role: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(index=True, default=utcnow)


class RuleSwitch(Base):
    """The head's switch for one rule (or prefix), over the config file's defaults."""

    __tablename__ = "rule_switches"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    enabled: Mapped[bool | None]  # None: as configured
    severity: Mapped[str | None] = mapped_column(String(16))  # None: as configured
    updated_by: Mapped[str] = mapped_column(String(320), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamVersion(Base):
    """One row counting changes to the dictionary, dismissals and switches: processes poll it cheaply."""

    __tablename__ = "team_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
