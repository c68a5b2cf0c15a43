"""LanguageTool's answers per paragraph, kept so that a text seen before is not sent again.

Sales mail repeats itself (templates, standard paragraphs, the same draft re-checked after a one-word
edit), and LanguageTool's answer for a paragraph depends only on the paragraph, its language, the rule
selection and the LanguageTool version: that is the key. The value is LanguageTool's raw matches
(UTF-16 offsets into the paragraph, converted by the client like a fresh answer), so a cached answer is
the answer.

`SqliteCache` is one file shared by every process of the service on the machine (API workers, the
watcher, the CLI): a draft checked by the add-in is not checked again when the watcher sees it sent.
It is bounded (entries and age) and best-effort: any SQLite error (locked, full disk, read-only) is
a miss or a skipped write, never a failed check. `MemoryCache` is the same per process, for when no
file can be used.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

CACHE_ENV = "MAIL_LINT_LT_CACHE"   # a file for the shared cache; "off": per-process memory only
CACHE_FILE = "results.sqlite3"
MAX_ENTRIES = 50_000               # ~1 KB each: some tens of MB on disk at most
MAX_AGE_SECONDS = 7 * 24 * 3600    # a week: templates come back; a dictionary update of the same version is rare
PRUNE_EVERY = 500                  # writes between two prunes (per process)


def cache_key(namespace: str, language: str, disabled_rules: tuple[str, ...], enabled_rules: tuple[str, ...],
              text: str) -> str:
    """The rule lists are sets to LanguageTool: their order does not change the key."""
    parts = [namespace, language, ",".join(sorted(disabled_rules)), ",".join(sorted(enabled_rules)), text]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class ResultCache(Protocol):
    def get(self, key: str) -> list[dict] | None: ...
    def put(self, key: str, matches: list[dict]) -> None: ...


class MemoryCache:
    """Least recently used first out, `max_entries` at most; for one process."""

    def __init__(self, max_entries: int = 5_000) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, list[dict]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> list[dict] | None:
        with self._lock:
            matches = self._entries.get(key)
            if matches is not None:
                self._entries.move_to_end(key)
            return matches

    def put(self, key: str, matches: list[dict]) -> None:
        with self._lock:
            self._entries[key] = matches
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class SqliteCache:
    """One SQLite file (WAL: readers never wait for a writer), a connection per thread."""

    def __init__(self, path: Path, *, max_entries: int = MAX_ENTRIES, max_age: float = MAX_AGE_SECONDS) -> None:
        self.path = Path(path)
        self.max_entries = max_entries
        self.max_age = max_age
        self._local = threading.local()
        self._writes = 0
        self._lock = threading.Lock()
        self._connect()  # fails here (OSError, sqlite3.Error) when the file cannot be used at all

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # The paragraphs are people's mail: the file (and the -wal and -shm files SQLite gives its mode) is
            # for the owner only, like the store's.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            # A short busy timeout: a cache that waits on a lock would cost more than LanguageTool itself.
            db = sqlite3.connect(self.path, timeout=0.2, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # losing the last writes on a power cut loses only cache
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, matches TEXT NOT NULL, "
                       "created REAL NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS results_created ON results (created)")
            self._local.db = db
        return db

    def get(self, key: str) -> list[dict] | None:
        try:
            row = self._connect().execute("SELECT matches, created FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as e:
            log.debug("grammar cache read failed: %s", e)
            return None
        if row is None or row[1] < time.time() - self.max_age:
            return None
        return json.loads(row[0])

    def put(self, key: str, matches: list[dict]) -> None:
        try:
            db = self._connect()
            db.execute("INSERT OR REPLACE INTO results (key, matches, created) VALUES (?, ?, ?)",
                       (key, json.dumps(matches, ensure_ascii=False), time.time()))
            with self._lock:
                self._writes += 1
                prune = self._writes % PRUNE_EVERY == 0
            if prune:
                self.prune()
        except sqlite3.Error as e:
            log.debug("grammar cache write skipped: %s", e)

    def prune(self) -> None:
        """Drop what is too old, then the oldest beyond `max_entries`."""
        db = self._connect()
        db.execute("DELETE FROM results WHERE created < ?", (time.time() - self.max_age,))
        (count,) = db.execute("SELECT COUNT(*) FROM results").fetchone()
        if count > self.max_entries:
            db.execute("DELETE FROM results WHERE key IN (SELECT key FROM results ORDER BY created LIMIT ?)",
                       (count - self.max_entries,))

    def __len__(self) -> int:
        return self._connect().execute("SELECT COUNT(*) FROM results").fetchone()[0]


def open_cache(home: Path) -> ResultCache:
    """The shared file ($MAIL_LINT_LT_CACHE, else results.sqlite3 in LanguageTool's folder); memory
    when it is "off" or the file cannot be opened (said once in the log)."""
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() == "off":
        return MemoryCache()
    path = Path(setting).expanduser() if setting else home / CACHE_FILE
    try:
        return SqliteCache(path)
    except (OSError, sqlite3.Error) as e:
        log.warning("grammar cache %s cannot be used (%s): caching per process instead", path, e)
        return MemoryCache()
