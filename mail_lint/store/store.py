"""The `Store` class: save verdicts keyed by Message-ID, read them back, list them with filters."""
from __future__ import annotations

import functools
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, Table, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, selectinload

from mail_lint import __version__
from mail_lint.dates import EARLIEST, LATEST, clamp
from mail_lint.errors import ConfigError
from mail_lint.home import in_data_dir
from mail_lint.metrics import STORE_ERRORS
from mail_lint.model import Message
from mail_lint.verdict import Verdict

from .migrate import upgrade
from .models import SOURCES, MessageRow, SkippedRow, VerdictRow, VerdictRule, utcnow

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_URL = "sqlite:///mail-lint.db"
BUSY_TIMEOUT_MS = 30_000
# The verdict JSON keys that have columns; anything else goes to `verdicts.extra`.
_VERDICT_COLUMNS = ("schema", "message", "text", "parts", "findings", "checks", "stats",
                    "score", "passed")


# What kind of reason a skipped message has (its reason starts with it): counted by the digest and shown by
# `watch --skipped` and `GET /v1/skipped`.
SKIP_SHORT, SKIP_NOT_BCC, SKIP_UNPARSEABLE, SKIP_FAILED = "short", "not BCC", "unparseable", "cannot lint"
SKIP_KINDS = (SKIP_SHORT, SKIP_NOT_BCC, SKIP_UNPARSEABLE, SKIP_FAILED)


def skipped_kind(reason: str) -> str:
    """One of SKIP_KINDS, or "other"; reasons stored before the kinds existed ("x is in To/Cc, not BCC") too."""
    for kind in SKIP_KINDS:
        if reason.startswith(kind):
            return kind
    return SKIP_NOT_BCC if reason.endswith(", not BCC") else "other"


class StoreError(Exception):
    """The store cannot be opened, read or written; str() is a one-line reason."""


class StoreUnavailable(StoreError):
    """The database itself is out of reach (locked past the timeout, disk full, read-only, server
    gone), as opposed to refusing one row: trying another message would not help."""


def _reason(exc: DBAPIError) -> str:
    return (str(exc.orig or exc).splitlines() or ["unknown database error"])[0]


def one_line_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Database failures become a StoreError (StoreUnavailable when the database is out of reach)."""
    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            STORE_ERRORS.labels("unavailable").inc()
            raise StoreUnavailable(f"store: {_reason(exc)}") from exc
        except DBAPIError as exc:
            STORE_ERRORS.labels("refused").inc()
            raise StoreError(f"store: {_reason(exc)}") from exc
    return wrapper


def resolve_url(url: str | None = None, config: Any = None) -> tuple[str, str]:
    """The database URL and where it came from: argument, `DATABASE_URL`, `[store] url`, default.
    A relative SQLite path is made absolute inside the data directory (`mail_lint.home`)."""
    if url:
        return _anchored(url), "store url"
    if os.environ.get("DATABASE_URL"):
        return _anchored(os.environ["DATABASE_URL"]), "DATABASE_URL"
    configured = _config_store_url(config)
    if configured:
        return _anchored(configured), "store.url"
    return _anchored(DEFAULT_URL), "store.url"


def _anchored(url: str) -> str:
    """A SQLite URL with a relative file path points inside the data directory, never the working directory."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # _create_engine says what is wrong with it
    database = parsed.database or ""
    if (parsed.get_backend_name() != "sqlite" or not database or database == ":memory:"
            or database.startswith("file:") or Path(database).expanduser().is_absolute()):
        return url
    return parsed.set(database=str(in_data_dir(database))).render_as_string(hide_password=False)


def _config_store_url(config: Any) -> str | None:
    """`[store] url` from a parsed TOML mapping or a config object with a `store` section."""
    if config is None:
        return None
    if hasattr(config, "section"):  # mail_lint.config.Config
        return config.section("store").get("url")
    section = config.get("store") if isinstance(config, Mapping) else getattr(config, "store", None)
    if section is None:
        return None
    return section.get("url") if isinstance(section, Mapping) else getattr(section, "url", None)


def draft_message_id(message: Message) -> str:
    """A stable Message-ID for a draft, so saving the same draft again does not duplicate it."""
    sender = message.sender.email if message.sender else ""
    digest = hashlib.sha256(f"{sender}\n{message.subject}\n{message.text}".encode()).hexdigest()
    return f"<draft-{digest[:24]}@mail-lint>"


def normalize_message_id(message_id: str) -> str:
    """Message-IDs compare with surrounding whitespace and NUL bytes dropped, angle brackets present,
    and cut to the column (ids past 998 characters are junk, but must still find their row)."""
    message_id = message_id.replace("\x00", "").strip()
    if message_id and not message_id.startswith("<"):
        message_id = f"<{message_id}>"
    return message_id[:MessageRow.__table__.c.message_id.type.length]


class Store:
    """The verdict store. Open with `Store.open()`; one instance per process is enough.

    Each call runs in its own short transaction, so the service, the watcher and the CLI can
    share one SQLite file (WAL mode, busy timeout, writes take the lock up front).
    `engine` and `session()` are there for other parts (digest, tokens) that query the models
    directly.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Writes on SQLite begin with BEGIN IMMEDIATE (see _sqlite_begin); elsewhere a no-op option.
        self._writer = engine.execution_options(sqlite_immediate=True)

    @classmethod
    def open(cls, url: str | None = None, config: Any = None) -> Store:
        """Connect to the resolved URL and bring the schema up to date (Alembic `upgrade head`)."""
        url, origin = resolve_url(url, config)
        engine = _create_engine(url, origin)
        store = cls(engine)
        try:
            with store._writer.begin() as conn:
                upgrade(conn)
        except DBAPIError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store at {_safe(url)}: {_reason(exc)}") from None
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with Session(self._writer if write else self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    # -- writing -------------------------------------------------------------------------------

    @one_line_errors
    def save(self, verdict: Verdict, source: str, *, owner: str = "", rules_version: str | None = None,
             mailbox: str = "") -> int:
        """Store a verdict and the message it judges; return the verdict id.

        Keyed by Message-ID (a synthetic `<draft-...@mail-lint>` one for drafts without it) within
        the owner's keeping: saving the same message again updates its row and replaces its verdict
        in place, so the verdict id stays the same. `owner` is "" for the watcher and the CLI, and
        the token's address for the API: a save never touches a verdict another owner stored.
        `mailbox`: the `[[mailbox]]` entry the watcher found the message in; "" keeps the one stored before.
        """
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
        message = verdict.message
        message_id = normalize_message_id(message.message_id or "") or draft_message_id(message)
        version = rules_version or __version__
        # Without SQLite's up-front write lock (PostgreSQL), a concurrent writer may insert the
        # same Message-ID between our lookup and insert; the second attempt then updates its row.
        for attempt in (1, 2):
            try:
                with self._writer.begin() as conn:
                    return _save(conn, message_id, owner.lower(), message, verdict.to_json(), source, version,
                                 mailbox)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    @one_line_errors
    def record_skipped(self, message_id: str, source: str, reason: str, mailbox: str = "") -> None:
        """Note mail that was not linted (not selected, or unparseable) and why; one row per Message-ID.
        `mailbox`: the `[[mailbox]]` entry it was found in."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
        key = normalize_message_id(message_id or "") or None
        reason = _fit(_SKIPPED, {"reason": reason})["reason"]
        with self.session(write=True) as session:
            row = session.scalar(select(SkippedRow).where(SkippedRow.message_id == key)) if key else None
            if row is None:
                session.add(SkippedRow(message_id=key, source=source, reason=reason, mailbox=mailbox,
                                       created_at=utcnow()))
            else:
                row.source, row.reason, row.mailbox, row.created_at = source, reason, mailbox, utcnow()

    # -- reading -------------------------------------------------------------------------------

    @one_line_errors
    def find(self, message_id: str, *, owner: str = "") -> dict | None:
        """The stored verdict on this Message-ID in `owner`'s keeping, as a `list()` item, or None."""
        key = _key(normalize_message_id(message_id), owner.lower())
        if not key:
            return None
        query = (select(*_SUMMARY_COLUMNS).select_from(MessageRow)
                 .join(VerdictRow, VerdictRow.message_pk == MessageRow.id).where(MessageRow.message_id == key))
        with self.session() as session:
            row = session.execute(query).first()
            return _shown(dict(row._mapping)) if row else None

    @one_line_errors
    def has_message(self, message_id: str, *, include_skipped: bool = False) -> bool:
        """Whether the watcher or the CLI stored a verdict on this Message-ID (or, optionally, it was
        recorded as skipped)."""
        key = normalize_message_id(message_id)
        if not key:
            return False
        with self.session() as session:
            if session.scalar(select(MessageRow.id).where(MessageRow.message_id == key)) is not None:
                return True
            return include_skipped and session.scalar(
                select(SkippedRow.id).where(SkippedRow.message_id == key)) is not None

    @one_line_errors
    def get(self, verdict_id: int) -> dict | None:
        """One stored verdict as a row dict with the full verdict JSON under `verdict`, or None."""
        with self.session() as session:
            verdict = session.get(VerdictRow, verdict_id, options=[selectinload(VerdictRow.message)])
            if verdict is None:
                return None
            return {**_shown(_summary(verdict.message, verdict)), "verdict": _verdict_json(verdict)}

    @one_line_errors
    def list(self, sender: str | None = None, since: datetime | str | None = None,
             until: datetime | str | None = None, min_score: int | None = None,
             name: str | None = None, source: str | None = None,
             limit: int = 50, offset: int = 0) -> list[dict]:
        """Stored verdicts, newest message date first, as row dicts (no full verdict JSON).

        `since` is inclusive, `until` exclusive (naive datetimes are UTC). `name` is a rule name
        ("greeting.unnamed") or a prefix up to a dot ("greeting", "grammar").
        """
        # Only the summary columns: sorting thousands of matches with their JSON costs 10x more.
        query = (select(*_SUMMARY_COLUMNS).select_from(MessageRow)
                 .join(VerdictRow, VerdictRow.message_pk == MessageRow.id)
                 .order_by(MessageRow.date.desc(), VerdictRow.id.desc()).limit(limit).offset(offset))
        if sender:
            query = query.where(MessageRow.sender == sender.strip().lower())
        # A bound at or past the ends of the supported years (0001-01-01, 9999-12-31) is no bound.
        if since is not None and (start := _as_datetime(since, "since")) > EARLIEST:
            query = query.where(MessageRow.date >= start)
        if until is not None and (end := _as_datetime(until, "until")) < LATEST:
            query = query.where(MessageRow.date < end)
        if min_score is not None:
            query = query.where(VerdictRow.score >= min_score)
        if source:
            query = query.where(MessageRow.source == source)
        if name:
            fired = select(VerdictRule.verdict_id).where(
                (VerdictRule.name == name) | VerdictRule.name.startswith(f"{name}.", autoescape=True))
            query = query.where(VerdictRow.id.in_(fired))
        with self.session() as session:
            return [_shown(dict(row._mapping)) for row in session.execute(query)]

    @one_line_errors
    def list_skipped(self, limit: int = 50, offset: int = 0, source: str | None = None) -> list[dict]:
        """Mail that was not linted, newest first: message_id, source, reason, kind, created_at."""
        query = (select(SkippedRow.message_id, SkippedRow.source, SkippedRow.reason, SkippedRow.created_at)
                 .order_by(SkippedRow.created_at.desc(), SkippedRow.id.desc()).limit(limit).offset(offset))
        if source:
            query = query.where(SkippedRow.source == source)
        with self.session() as session:
            return [{**row._asdict(), "message_id": row.message_id or "", "kind": skipped_kind(row.reason)}
                    for row in session.execute(query)]

    @one_line_errors
    def skipped_counts(self, since: datetime, until: datetime, source: str = "imap",
                       mailboxes: list[str] | None = None) -> dict[str, int]:
        """How many messages were skipped in [since, until), by kind of reason, most frequent first;
        only those found in `mailboxes` (`[[mailbox]]` names) when given."""
        query = (select(SkippedRow.reason, func.count()).where(SkippedRow.source == source,
                                                               SkippedRow.created_at >= since,
                                                               SkippedRow.created_at < until)
                 .group_by(SkippedRow.reason))
        if mailboxes is not None:
            query = query.where(SkippedRow.mailbox.in_(mailboxes))
        counts: Counter[str] = Counter()
        with self.session() as session:
            for reason, n in session.execute(query):
                counts[skipped_kind(reason)] += n
        return dict(counts.most_common())

    @one_line_errors
    def count_messages(self) -> int:
        """How many messages are stored (each has exactly one verdict)."""
        with self.session() as session:
            return session.scalar(select(func.count(MessageRow.id))) or 0

    @one_line_errors
    def grammar_unavailable(self, source: str | None = None, limit: int = 50) -> list[int]:
        """Ids of verdicts made while LanguageTool was unavailable, oldest first: to recheck."""
        query = (select(VerdictRow.id).join(MessageRow, VerdictRow.message_pk == MessageRow.id)
                 .where(VerdictRow.grammar_status == "unavailable").order_by(VerdictRow.id).limit(limit))
        if source:
            query = query.where(MessageRow.source == source)
        with self.session() as session:
            return list(session.scalars(query))


# -- helpers -------------------------------------------------------------------------------------

def _create_engine(url: str, origin: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"{origin}: {url!r} is not a database URL "
                          f"(e.g. sqlite:///mail-lint.db or postgresql://user@host/db)") from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        _create_private_file(parsed)
    try:
        # Cyrillic stays readable in the database (and half the size) instead of \u escapes.
        engine = create_engine(parsed, json_serializer=_json_dumps)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(f"{origin}: cannot use {_safe(url)}: {exc}") from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _create_private_file(url: URL) -> None:
    """A new SQLite file (and any folder we make for it) for the owner only: it holds everyone's mail.
    SQLite gives the -wal and -shm files the mode of the database file. Existing files keep theirs."""
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    try:
        for folder in reversed(missing):  # outermost first; mkdir(parents=True) would ignore the mode
            folder.mkdir(mode=0o700, exist_ok=True)
        # An empty file is an empty database to SQLite.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"cannot create the store at {path}: {exc.strerror or exc}") from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling skips DDL and cannot BEGIN IMMEDIATE; we BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")  # readers never block the writer, and vice versa
    cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a commit costs no fsync
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # A writer that starts as a reader can fail with "database is locked" without waiting when
    # another process commits first; taking the write lock at BEGIN makes it wait its turn instead.
    immediate = conn.get_execution_options().get("sqlite_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _safe(url: str) -> str:
    """The URL without its password, for error messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the configured URL"


def _as_datetime(value: datetime | str, what: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{what}: {value!r} is not an ISO date or date-time") from None
    return clamp(value)


# Saving uses Core statements on the model tables: it is the hot path of the API and the watcher,
# and the ORM's unit of work cost five times the database's own time here.
_MESSAGES, _VERDICTS, _RULES = MessageRow.__table__, VerdictRow.__table__, VerdictRule.__table__
_SKIPPED = SkippedRow.__table__


def _fit(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """Text values as their columns take them: NUL bytes dropped and cut to the column's length.
    PostgreSQL refuses both (SQLite keeps them unchecked), and one odd header must not cost the verdict."""
    for name, value in values.items():
        if isinstance(value, str):
            value = value.replace("\x00", "")
            length = getattr(table.c[name].type, "length", None)
            values[name] = value[:length] if length else value
    return values


def _key(message_id: str, owner: str) -> str:
    """Where a verdict is kept: its Message-ID for the watcher and the CLI, "<id> owner" for an owner."""
    if not owner or not message_id:
        return message_id
    return f"{message_id[:_MESSAGES.c.message_id.type.length - len(owner) - 1]} {owner}"


def _shown(row: dict) -> dict:
    """A summary row with the Message-ID as it was checked, not as it is kept; the owner stays inside."""
    owner = row.pop("owner", "")
    if owner and row["message_id"].endswith(f" {owner}"):
        row["message_id"] = row["message_id"][:-len(owner) - 1]
    return row


def _save(conn: Connection, message_id: str, owner: str, message: Message, verdict: dict, source: str,
          rules_version: str, mailbox: str = "") -> int:
    now = utcnow()
    key = _key(message_id, owner)
    message_values = _fit(_MESSAGES, _message_values(message, source))
    if mailbox:  # a re-lint that does not know it (the grammar recheck) keeps the one stored
        message_values["mailbox"] = mailbox
    verdict_values = _fit(_VERDICTS, _verdict_values(verdict, rules_version, now))
    found = conn.execute(
        select(_MESSAGES.c.id, _VERDICTS.c.id)
        .outerjoin(_VERDICTS, _VERDICTS.c.message_pk == _MESSAGES.c.id)
        .where(_MESSAGES.c.message_id == key)).first()
    if found is None:
        message_pk = conn.execute(insert(_MESSAGES).values(
            message_id=key, owner=owner, date=message.date or now, created_at=now, **message_values),
        ).inserted_primary_key[0]
        verdict_pk = None
    else:
        message_pk, verdict_pk = found
        if message.date:  # without a Date header, keep the date it was first stored with
            message_values["date"] = message.date
        conn.execute(update(_MESSAGES).where(_MESSAGES.c.id == message_pk).values(**message_values))
    if verdict_pk is None:
        verdict_pk = conn.execute(insert(_VERDICTS).values(message_pk=message_pk, **verdict_values),
                                  ).inserted_primary_key[0]
    else:
        conn.execute(update(_VERDICTS).where(_VERDICTS.c.id == verdict_pk).values(**verdict_values))
        conn.execute(delete(_RULES).where(_RULES.c.verdict_id == verdict_pk))
    counts = Counter(_fit(_RULES, {"name": f["name"]})["name"] for f in verdict_values["findings"])
    if counts:
        conn.execute(insert(_RULES), [{"verdict_id": verdict_pk, "name": name, "count": n}
                                      for name, n in sorted(counts.items())])
    return verdict_pk


def _message_values(message: Message, source: str) -> dict[str, Any]:
    return {
        "sender": message.sender.email.lower() if message.sender else "",
        "sender_name": message.sender.name if message.sender else "",
        "recipients": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "subject": message.subject,
        "source": source,
        "size": message.size,
        "language": message.language or "",
    }


def _verdict_values(verdict: dict, rules_version: str, now: datetime) -> dict[str, Any]:
    """The columns of a verdict row, from the verdict JSON of the contract."""
    grammar = verdict["checks"].get("grammar")
    return {
        "score": verdict["score"],
        "passed": verdict["passed"],
        "schema": verdict["schema"],
        "header": verdict["message"],
        "text": verdict["text"],
        "parts": verdict["parts"],
        "findings": verdict["findings"],
        "checks": verdict["checks"],
        "stats": verdict["stats"],
        "extra": {k: v for k, v in verdict.items() if k not in _VERDICT_COLUMNS},
        "rules_version": rules_version,
        "grammar_status": grammar.get("status") if isinstance(grammar, dict) else None,
        "created_at": now,
    }


def _verdict_json(row: VerdictRow) -> dict:
    stored = {"schema": row.schema, "message": row.header, "text": row.text, "parts": row.parts,
              "findings": row.findings, "checks": row.checks, "stats": row.stats,
              "score": row.score, "passed": row.passed}
    return {**stored, **row.extra}


_SUMMARY_COLUMNS = (
    VerdictRow.id, MessageRow.message_id, MessageRow.owner, MessageRow.sender, MessageRow.sender_name,
    MessageRow.recipients, MessageRow.cc, MessageRow.subject, MessageRow.date, MessageRow.source,
    MessageRow.size, MessageRow.language, VerdictRow.score, VerdictRow.passed,
    VerdictRow.grammar_status, VerdictRow.rules_version, VerdictRow.created_at,
)


def _summary(message: MessageRow, verdict: VerdictRow) -> dict:
    """The same keys as a `list()` item, from loaded rows."""
    return {column.key: getattr(verdict if column.class_ is VerdictRow else message, column.key)
            for column in _SUMMARY_COLUMNS}
