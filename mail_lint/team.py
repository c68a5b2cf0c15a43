"""What the team teaches the linter, kept in the store: the company dictionary, dismissed findings, rule switches.

The config file holds the defaults; this is laid over it for each check (`Teaching.applied`):
- dictionary words (added by the head) are never misspellings for anyone, merged with `[grammar] words`;
- a spelling someone dismissed is never a misspelling in that person's own checks (a personal dictionary);
  other dismissals are only recorded, for the head to review (`GET /v1/dismissals`, the digest);
- a rule switch turns a rule (or a prefix: "wordiness", "grammar.") on or off, or changes its severity.

Every change bumps one counter (`team_version`). A process keeps what it loaded and looks at the counter at
most every `[rules] refresh_seconds`, so the service's workers and the watcher pick a change up within
seconds without a restart, and a check costs no query in between (`TeachingSource`).
"""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from .checks import SEVERITIES
from .config import Config
from .errors import UnusableInput
from .registry import load_checks
from .store import Store, StoreError
from .store.models import DictionaryWord, Dismissal, RuleSwitch, TeamVersion, utcnow
from .store.store import one_line_errors

log = logging.getLogger("mail_lint.team")

SPELLING_PREFIX = "spelling."
MAX_WORD = 100
MAX_EXCERPT = 500
MAX_REASON = 500


def normalise_word(word: str) -> str:
    """How dictionary entries compare: lower case, ё as е, outer quotes and punctuation gone."""
    return " ".join(word.casefold().replace("ё", "е").split()).strip("\"'«»“”.,;:!?()")


def checked_word(word: str) -> str:
    """A dictionary entry as given, trimmed; UnusableInput with the reason when it cannot be one."""
    word = " ".join(word.split())
    if not normalise_word(word):
        raise UnusableInput("word: empty")
    if len(word) > MAX_WORD:
        raise UnusableInput(f"word: longer than {MAX_WORD} characters")
    if re.search(r"\d|[@/]", word):
        raise UnusableInput(f"word: {word!r} is not a word (codes, numbers, addresses and links are never "
                            "misspellings anyway)")
    return word


def known_rule_name(name: str) -> bool:
    """A check ("wordiness"), a rule ("wordiness.long-sentence"), or a name under a rule whose names carry an
    outside id ("spelling.MORFOLOGIK_RULE_RU_RU", and the prefixes "grammar", "spelling")."""
    name = name.rstrip(".")
    for check in load_checks():
        if name == check.name:
            return True
        for rule in check.rules:
            if rule.matches(name) or (rule.name.endswith(".*") and name == rule.name[:-2]):
                return True
    return False


# -- reading: one snapshot of everything ---------------------------------------------------------

@dataclass(frozen=True)
class Switch:
    enabled: bool | None = None   # None: as configured
    severity: str | None = None   # None: as configured


@dataclass(frozen=True)
class Teaching:
    """A snapshot of what the team taught; `applied(config, owner)` gives the config a check runs with."""

    words: tuple[str, ...] = ()
    personal: dict[str, tuple[str, ...]] = field(default_factory=dict)  # owner -> dismissed spellings
    switches: dict[str, Switch] = field(default_factory=dict)
    version: int = 0

    def applied(self, config: Config, owner: str = "") -> Config:
        """The config with the dictionary (and `owner`'s own words) in `[grammar] words` and the switches in
        `[rules]`. A switch names one rule or prefix exactly and overrides the file for that name."""
        mine = self.personal.get(owner.strip().lower(), ()) if owner else ()
        if not (self.words or mine or self.switches):
            return config
        data = dict(config.data)
        if self.words or mine:
            grammar = dict(data.get("grammar", {}))
            grammar["words"] = [*grammar.get("words", []), *self.words, *mine]
            data["grammar"] = grammar
        if self.switches:
            rules = dict(data["rules"])
            disable, enable = list(rules["disable"]), list(rules["enable"])
            severity = dict(rules["severity"])
            for name, switch in self.switches.items():
                if switch.enabled is not None:
                    disable = [n for n in disable if n != name]
                    enable = [n for n in enable if n != name]
                    (enable if switch.enabled else disable).append(name)
                if switch.severity:
                    severity[name] = switch.severity
            data["rules"] = {**rules, "disable": disable, "enable": enable, "severity": severity}
        return Config(data=data, path=config.path)


_VERSION = select(TeamVersion.version).where(TeamVersion.id == 1)


@one_line_errors
def team_version(store: Store) -> int:
    with store.engine.connect() as connection:  # no ORM session: a third of the cost, and this runs often
        return connection.scalar(_VERSION) or 0


@one_line_errors
def load_teaching(store: Store) -> Teaching:
    with store.session() as session:
        version = session.scalar(select(TeamVersion.version).where(TeamVersion.id == 1)) or 0
        words = tuple(session.scalars(select(DictionaryWord.word).order_by(DictionaryWord.id)))
        personal: dict[str, list[str]] = {}
        for owner, excerpt in session.execute(
                select(Dismissal.dismissed_by, Dismissal.excerpt).where(Dismissal.name.startswith(SPELLING_PREFIX))
                .order_by(Dismissal.id)):
            if excerpt.strip():
                personal.setdefault(owner, []).append(excerpt.strip())
        switches = {row.name: Switch(row.enabled, row.severity) for row in session.scalars(select(RuleSwitch))}
    return Teaching(words=words, personal={k: tuple(v) for k, v in personal.items()}, switches=switches,
                    version=version)


class TeachingSource:
    """The current `Teaching` for one process: reloaded when the store's counter moved, and the counter is
    read at most every `refresh_seconds`. If the store cannot be read, the last snapshot stays in force."""

    def __init__(self, store: Store, refresh_seconds: float = 1.0) -> None:
        self.store = store
        self.refresh_seconds = refresh_seconds
        self._teaching = Teaching(version=-1)
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def current(self) -> Teaching:
        with self._lock:
            now = time.monotonic()
            if now - self._checked_at < self.refresh_seconds:
                return self._teaching
            self._checked_at = now
            try:
                if team_version(self.store) != self._teaching.version:
                    self._teaching = load_teaching(self.store)
            except StoreError as e:
                log.warning("team dictionary and rule switches not refreshed: %s", e)
            return self._teaching

    def changed(self) -> None:
        """This process changed something: look again on the next check."""
        with self._lock:
            self._checked_at = float("-inf")


def refresh_seconds(config: Config) -> float:
    return float(config.section("rules").get("refresh_seconds", 1.0))


# -- writing -------------------------------------------------------------------------------------

def _bump(session) -> None:
    session.execute(update(TeamVersion).where(TeamVersion.id == 1).values(version=TeamVersion.version + 1))


@one_line_errors
def dictionary(store: Store) -> list[dict[str, Any]]:
    with store.session() as session:
        return [_word_json(w) for w in session.scalars(select(DictionaryWord).order_by(DictionaryWord.norm))]


@one_line_errors
def add_word(store: Store, word: str, added_by: str) -> tuple[dict[str, Any], bool]:
    """Add a word to the company dictionary; (its entry, whether it is new). Adding it twice is no error."""
    word = checked_word(word)
    norm = normalise_word(word)
    with store.session(write=True) as session:
        row = session.scalar(select(DictionaryWord).where(DictionaryWord.norm == norm))
        if row is not None:
            return _word_json(row), False
        row = DictionaryWord(word=word, norm=norm, added_by=added_by, created_at=utcnow())
        session.add(row)
        _bump(session)
        session.flush()
        return _word_json(row), True


@one_line_errors
def remove_word(store: Store, word: str) -> bool:
    """Remove a word (in any case); False when it was not there."""
    with store.session(write=True) as session:
        removed = session.execute(delete(DictionaryWord).where(DictionaryWord.norm == normalise_word(word))).rowcount
        if removed:
            _bump(session)
        return bool(removed)


def _word_json(row: DictionaryWord) -> dict[str, Any]:
    return {"word": row.word, "added_by": row.added_by, "created_at": row.created_at}


@one_line_errors
def dismiss(store: Store, *, name: str, excerpt: str, dismissed_by: str, role: str = "",
            verdict_id: int | None = None, reason: str = "") -> dict[str, Any]:
    """Record that `dismissed_by` says this finding is not a problem. A dismissed spelling becomes that
    person's own dictionary word at once."""
    name, excerpt, reason = name.strip(), " ".join(excerpt.split()), " ".join(reason.split())
    if not name or len(name) > 200:
        raise UnusableInput("name: expected a finding's name (1 to 200 characters)")
    if len(excerpt) > MAX_EXCERPT:
        raise UnusableInput(f"excerpt: longer than {MAX_EXCERPT} characters")
    if len(reason) > MAX_REASON:
        raise UnusableInput(f"reason: longer than {MAX_REASON} characters")
    personal = name.startswith(SPELLING_PREFIX)
    if personal and not normalise_word(excerpt):
        raise UnusableInput("excerpt: a dismissed spelling needs the flagged word")
    with store.session(write=True) as session:
        row = Dismissal(name=name, excerpt=excerpt, verdict_id=verdict_id, reason=reason,
                        dismissed_by=dismissed_by.strip().lower(), role=role, created_at=utcnow())
        session.add(row)
        if personal:
            _bump(session)
        session.flush()
        return _dismissal_json(row)


@one_line_errors
def dismissals(store: Store, *, name: str | None = None, since: datetime | None = None,
               until: datetime | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Dismissals, newest first; `name` is a rule name or a prefix up to a dot."""
    query = select(Dismissal).order_by(Dismissal.created_at.desc(), Dismissal.id.desc()).limit(limit).offset(offset)
    if name:
        query = query.where((Dismissal.name == name) | Dismissal.name.startswith(f"{name}.", autoescape=True))
    if since is not None:
        query = query.where(Dismissal.created_at >= since)
    if until is not None:
        query = query.where(Dismissal.created_at < until)
    with store.session() as session:
        return [_dismissal_json(row) for row in session.scalars(query)]


@one_line_errors
def dismissal(store: Store, dismissal_id: int) -> dict[str, Any] | None:
    with store.session() as session:
        row = session.get(Dismissal, dismissal_id)
        return _dismissal_json(row) if row else None


@one_line_errors
def dismissed_counts(store: Store, since: datetime, until: datetime) -> dict[str, int]:
    """How many findings of each rule name were dismissed in [since, until)."""
    query = (select(Dismissal.name, func.count(Dismissal.id))
             .where(Dismissal.created_at >= since, Dismissal.created_at < until).group_by(Dismissal.name))
    with store.session() as session:
        return {name: count for name, count in session.execute(query)}


def _dismissal_json(row: Dismissal) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "excerpt": row.excerpt, "verdict_id": row.verdict_id,
            "reason": row.reason, "dismissed_by": row.dismissed_by, "role": row.role, "created_at": row.created_at,
            "personal": row.name.startswith(SPELLING_PREFIX)}


@one_line_errors
def switches(store: Store) -> dict[str, dict[str, Any]]:
    with store.session() as session:
        return {row.name: {"enabled": row.enabled, "severity": row.severity, "updated_by": row.updated_by,
                           "updated_at": row.updated_at}
                for row in session.scalars(select(RuleSwitch).order_by(RuleSwitch.name))}


_UNSET: Any = object()


@one_line_errors
def set_switch(store: Store, name: str, *, updated_by: str, enabled: bool | None = _UNSET,
               severity: str | None = _UNSET) -> dict[str, Any]:
    """Switch a rule (or prefix) on or off, or set its severity; None returns that part to the config file.
    A switch with nothing left to say is removed."""
    name = name.strip()
    if not known_rule_name(name):
        raise LookupError(f"no rule {name!r} (see GET /v1/rules)")
    if severity not in (_UNSET, None) and severity not in SEVERITIES:
        raise UnusableInput(f"severity: {severity!r} is not one of {', '.join(SEVERITIES)}")
    with store.session(write=True) as session:
        row = session.get(RuleSwitch, name)
        if row is None:
            row = RuleSwitch(name=name, enabled=None, severity=None)
            session.add(row)
        if enabled is not _UNSET:
            row.enabled = enabled
        if severity is not _UNSET:
            row.severity = severity
        row.updated_by, row.updated_at = updated_by, utcnow()
        result = {"name": name, "enabled": row.enabled, "severity": row.severity, "updated_by": updated_by,
                  "updated_at": row.updated_at}
        if row.enabled is None and row.severity is None:
            session.delete(row)
        _bump(session)
        return result
