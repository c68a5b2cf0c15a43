"""The mailbox watcher: works through the backlog of each folder, then waits for new mail with IDLE.

Exactly-once without locks: a verdict is keyed by Message-ID in the store (saving twice keeps one),
the folder's checkpoint (UIDVALIDITY, last UID) only moves after a message is stored, and an IMAP
keyword marks what was done. A crash between any two steps makes the next run redo at most the
message in hand, which overwrites the same row.

No message can stop the queue: whatever one raises, it is recorded as skipped with a one-line reason
and the checkpoint moves on. Only a store that cannot be written stops a run (the checkpoint stays,
nothing is lost), and a folder thread that dies anyway stops the daemon with a non-zero exit, so a
supervisor restarts it instead of it idling on with a dead folder.
"""
from __future__ import annotations

import hashlib
import socket
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from mail_lint.digest.schedule import DigestSchedule
from mail_lint.checking import lint_and_store, taught_config
from mail_lint.checks import Services
from mail_lint.engine import lint
from mail_lint.errors import UnusableInput
from mail_lint.message import from_verdict, header_message_id, parse
from mail_lint.metrics import SKIPPED, WATCHER_BACKLOG, watcher_waiting
from mail_lint.store import StoreError, StoreUnavailable
from mail_lint.team import TeachingSource, refresh_seconds

from .checkpoint import Checkpoints
from .connection import AuthenticationFailed, check_settings, connect
from .feedback import FeedbackSender
from .progress import Progress, event
from .selection import select

NETWORK_ERRORS = (OSError, socket.error, IMAPClientError, EOFError)
# How long a stop waits for the message in hand (grammar timeouts included); the systemd unit allows more.
STOP_GRACE_SECONDS = 60


def _countdown(gauge, start: int) -> Callable[[], None]:
    """A callable that sets `gauge` one lower each time (from any thread): the backlog as messages finish."""
    left, lock = [start], threading.Lock()

    def finished() -> None:
        with lock:
            left[0] -= 1
            gauge.set(left[0])
    return finished


class WatcherStopped(Exception):
    """A watcher thread died of an error nothing could retry; str() names the thread and the error."""


def fallback_message_id(raw: bytes) -> str:
    """A message with no Message-ID still needs one stable key, the same on every run."""
    return f"<imap-{hashlib.sha256(raw).hexdigest()[:24]}@mail-lint>"


class ThreadSupervisor:
    """Threads that live and stop together: one that dies says why (`died`) and stops the rest.
    Needs `self.stop` (a threading.Event) and `self.died` (str)."""

    stop: threading.Event
    died: str

    def _thread(self, name: str, target, *args) -> threading.Thread:
        """A thread that, should it die, says why and stops the rest: a watcher missing a folder
        must not look alive to its supervisor."""
        def run() -> None:
            try:
                target(*args)
            except BaseException as e:  # noqa: BLE001 - reported, then the whole watcher stops
                # A watcher inside (a mailbox keeper's) already named its thread that died: no "WatcherStopped" wrap.
                why = (str(e) if isinstance(e, WatcherStopped)
                       else f"{name}: {type(e).__name__}: {' '.join(str(e).split())}")
                self.died = self.died or why
                event("thread.died", thread=name, error=self.died, traceback=traceback.format_exc())
                self.stop.set()
        return threading.Thread(target=run, name=name, daemon=True)

    def _supervise(self, threads: list[threading.Thread], grace: float) -> None:
        """Start the threads, wait until one ends or a stop is asked for, stop and join them all
        (each finishes the work in hand within `grace` seconds); WatcherStopped if one died."""
        for t in threads:
            t.start()
        try:
            while any(t.is_alive() for t in threads) and not self.stop.is_set():
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        self.stop.set()
        for t in threads:
            t.join(timeout=grace)
        if self.died:
            raise WatcherStopped(self.died)


class Watcher(ThreadSupervisor):
    def __init__(self, config, store, services: Services | None = None, stop: threading.Event | None = None,
                 mailbox: dict | None = None):
        """`mailbox`: one `[[mailbox]]` entry to watch instead of `[imap]` (its checkpoints are kept under
        "<name>/<folder>")."""
        self.config, self.store, self.services = config, store, services or Services()
        self.imap, self.options = mailbox or config.section("imap"), config.section("watch")
        self.mailbox_name = mailbox["name"] if mailbox else ""  # stored with each message: its team
        self.prefix = f"{mailbox['name']}/" if mailbox else ""
        self.address = (self.imap["address"] or self.imap["user"]).lower()
        self.checkpoints = Checkpoints(store)
        self.stop = stop or threading.Event()
        # The «Не ошибка» links in feedback point at the check service: `[api] base_url`, else the digest's.
        service_url = config.section("api")["base_url"] or config.section("digest")["base_url"]
        self.feedback = (FeedbackSender(config.section("smtp"), self.options, base_url=service_url)
                         if self.options["feedback"] else None)
        self.died = ""  # why a thread of run_forever died, if one did
        self._feedback_lock = threading.Lock()  # messages are linted in parallel; feedback goes one at a time
        # The team's dictionary and rule switches, picked up from the store without a restart.
        self.teaching = TeachingSource(store, refresh_seconds(config))

    # -- one message ---------------------------------------------------------------------------
    def process(self, raw: bytes) -> str:
        """Parse, select, lint, store. Returns the outcome: linted | skipped | unparseable | failed.

        Any failure on this message (not only the ones we thought of) is recorded as skipped with a
        one-line reason; only StoreUnavailable goes up, since no other message could be stored either.
        """
        try:
            return self._process(raw)
        except StoreUnavailable:
            raise
        except Exception as e:  # noqa: BLE001 - one message must never hold up the queue
            reason = f"cannot lint: {type(e).__name__}: {' '.join(str(e).split())}"[:500]
            message_id = header_message_id(raw) or fallback_message_id(raw)
            # The traceback rides in the event as one string: the log stays one JSON object per line.
            event("message.failed", message_id=message_id, error=reason, traceback=traceback.format_exc())
            self.store.record_skipped(message_id, "imap", reason, self.mailbox_name)
            SKIPPED.labels("failed").inc()
            return "failed"

    def _process(self, raw: bytes) -> str:
        try:
            message = parse(raw)
        except UnusableInput as e:
            message_id = header_message_id(raw) or fallback_message_id(raw)
            self.store.record_skipped(message_id, "imap", f"unparseable: {e}", self.mailbox_name)
            SKIPPED.labels("unparseable").inc()
            return "unparseable"
        if not message.message_id:
            message.message_id = fallback_message_id(raw)
        # Done before (by a watcher that died before its checkpoint moved, or in another folder): not again.
        if self.store.has_message(message.message_id, include_skipped=True):
            return "done before"
        chosen = select(message, self.options, self.address)
        if not chosen.selected:
            self.store.record_skipped(message.message_id, "imap", chosen.reason, self.mailbox_name)
            SKIPPED.labels("not selected").inc()
            return "skipped"
        # Feedback goes once per message, also when a crash makes us redo a batch.
        first_time = self.feedback is not None and not self.store.has_message(message.message_id)
        verdict, verdict_id = lint_and_store(message, self.config, self.services, self.store, source="imap",
                                             teaching=self.teaching.current(), mailbox=self.mailbox_name)
        if first_time:
            try:
                with self._feedback_lock:
                    why_not = self.feedback.send(verdict, verdict_id)
                event("feedback", message_id=message.message_id, sent=why_not is None, reason=why_not)
            except (OSError, Exception) as e:  # feedback is a courtesy: never lose the verdict over it
                event("feedback.error", message_id=message.message_id, error=f"{type(e).__name__}: {e}")
        return "linted"

    def concurrency(self) -> int:
        """Messages linted at once: as many as the LanguageTool servers have check threads free of failure
        (grammar is what a message waits for); one without grammar (the other checks are Python, held to one
        core by the GIL, and threads would only add switching)."""
        client = self.services.languagetool
        if client is None or not self.config.check_wanted("grammar"):
            return 1
        capacity = getattr(client, "capacity", None)
        return max(1, capacity()) if capacity is not None else 1

    def process_all(self, raws: list[bytes | None], on_done: Callable[[], None] | None = None) -> list[str | None]:
        """`process` for each message (None: gone), up to `concurrency()` at once; outcomes in order.
        Copies of one message (same Message-ID) wait for the first, so that its feedback goes once.
        Once a stop is asked for, no new message is started: its outcome is None. `on_done` is called
        as each message is finished."""
        outcomes: list[str | None] = ["gone" if raw is None else None for raw in raws]
        workers = self.concurrency()
        present = [i for i, raw in enumerate(raws) if raw is not None]

        def one(i: int) -> str | None:
            if self.stop.is_set():
                return None
            outcome = self.process(raws[i])  # type: ignore[arg-type]
            if on_done is not None:
                on_done()
            return outcome

        if workers == 1 or len(present) < 2:
            for i in present:
                outcomes[i] = one(i)
            return outcomes
        first, later, seen = [], [], set()
        for i in present:
            key = header_message_id(raws[i]) or fallback_message_id(raws[i])  # type: ignore[arg-type]
            (later if key in seen else first).append(i)
            seen.add(key)
        with ThreadPoolExecutor(min(workers, len(first)), thread_name_prefix="lint") as pool:
            # StoreUnavailable from any of them goes up from here, as it does when one at a time.
            for i, outcome in zip(first, pool.map(one, first)):
                outcomes[i] = outcome
        for i in later:
            outcomes[i] = one(i)
        return outcomes

    # -- grammar that was unavailable --------------------------------------------------------------
    def recheck_grammar(self, limit: int = 50) -> int:
        """Re-lint stored verdicts whose grammar was unavailable, once LanguageTool answers again."""
        teaching = self.teaching.current()
        if self.services.languagetool is None or not teaching.applied(self.config).check_wanted("grammar"):
            return 0
        redone = 0
        for verdict_id in self.store.grammar_unavailable(source="imap", limit=limit):
            try:
                row = self.store.get(verdict_id)
                message = from_verdict(row["verdict"])
                verdict = lint(message, taught_config(self.config, teaching, message), self.services)
            except StoreError:
                raise
            except Exception as e:  # noqa: BLE001 - one odd stored verdict must not stop the watcher
                event("grammar.recheck_failed", verdict_id=verdict_id, error=f"{type(e).__name__}: {e}")
                continue
            if verdict.checks.get("grammar", {}).get("status") == "unavailable":
                break  # still down: try again next round
            self.store.save(verdict, source="imap")
            redone += 1
        if redone:
            event("grammar.rechecked", verdicts=redone)
        return redone

    # -- one folder ----------------------------------------------------------------------------
    def backlog(self, client: IMAPClient, folder: str) -> int:
        """Everything after the checkpoint in `folder`. Returns how many messages were handled."""
        info = client.select_folder(folder)
        uidvalidity = int(info[b"UIDVALIDITY"])
        folder = self.prefix + folder  # the checkpoint's (and the metrics') name for it
        saved_validity, last_uid = self.checkpoints.get(folder)
        if saved_validity != uidvalidity:
            if saved_validity is not None:
                event("uidvalidity.changed", folder=folder, old=saved_validity, new=uidvalidity)
            last_uid = 0  # UIDs mean something else now: reprocess; Message-ID keys prevent duplicates
        uids = sorted(u for u in client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid)
        progress = Progress(folder, len(uids))
        WATCHER_BACKLOG.labels(folder).set(len(uids))
        keyword = self.options["keyword"]
        for start in range(0, len(uids), self.options["batch"]):
            if self.stop.is_set():
                break
            batch = uids[start:start + self.options["batch"]]
            fetched = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
            raws = [fetched.get(uid, {}).get(b"BODY[]") for uid in batch]  # None: expunged meanwhile
            watcher_waiting(folder, _arrived(fetched.get(batch[0], {}).get(b"INTERNALDATE")))
            linted, done = [], 0
            # the backlog gauge falls as each message is done, also when several are linted at once
            for uid, outcome in zip(batch, self.process_all(raws, on_done=_countdown(
                    WATCHER_BACKLOG.labels(folder), len(uids) - progress.done))):
                if outcome is None:  # SIGTERM: the messages in hand were finished; mark what was done
                    break
                if outcome == "linted":
                    linted.append(uid)
                progress.step(outcome)
                done += 1
                WATCHER_BACKLOG.labels(folder).set(len(uids) - progress.done)
            if not done:
                break
            batch = batch[:done]
            # Marks and the checkpoint move once per batch: a crash before this line redoes the
            # batch, and redoing only overwrites the same verdicts.
            if keyword:
                client.add_flags(batch, [keyword.encode()], silent=True)
            if self.options["move_to"] and linted:
                client.move(linted, self.options["move_to"])
            self.checkpoints.set(folder, uidvalidity, batch[-1])
        progress.finish()
        if progress.done == len(uids):  # caught up
            WATCHER_BACKLOG.labels(folder).set(0)
            watcher_waiting(folder, None)
        return progress.done

    # -- the loop ------------------------------------------------------------------------------
    def run_once(self) -> int:
        """Work through every folder's backlog, then return (`mail-lint watch --once`)."""
        client = connect(self.imap)
        try:
            done = sum(self.backlog(client, folder) for folder in self.imap["folders"])
            if not self.stop.is_set():
                self.recheck_grammar(limit=10_000)
            return done
        finally:
            _logout(client)

    def watch_folder(self, folder: str) -> None:
        """Backlog, then IDLE (or poll), reconnecting with backoff until stopped."""
        backoff = 1.0
        while not self.stop.is_set():
            client = None
            try:
                client = connect(self.imap)
                backoff = 1.0
                self.backlog(client, folder)
                idle = b"IDLE" in client.capabilities()
                while not self.stop.is_set():
                    if idle:
                        if not _new_mail_reported(client):
                            self._idle(client)
                    else:
                        self.stop.wait(self.options["poll_seconds"])
                        client.noop()
                    self.backlog(client, folder)
                    if folder == self.imap["folders"][0]:  # one thread is enough for the store-wide recheck
                        self.recheck_grammar()
            except AuthenticationFailed as e:
                event("imap.auth_failed", folder=folder, error=str(e), retry_in=self.options["max_backoff_seconds"])
                self.stop.wait(self.options["max_backoff_seconds"])
            except NETWORK_ERRORS as e:
                event("imap.disconnected", folder=folder, error=f"{type(e).__name__}: {e}", retry_in=backoff)
                self.stop.wait(backoff)
                backoff = min(backoff * 2, self.options["max_backoff_seconds"])
            except StoreUnavailable as e:  # locked, full, or the server restarting: wait, then redo the batch
                event("store.unavailable", folder=folder, error=str(e), retry_in=backoff)
                self.stop.wait(backoff)
                backoff = min(backoff * 2, self.options["max_backoff_seconds"])
            finally:
                if client is not None:
                    _logout(client)

    def _idle(self, client: IMAPClient) -> None:
        """Wait in IDLE until the server reports a change, the stop flag, or the refresh interval
        (servers drop IDLE after ~30 minutes; we renew it much sooner)."""
        client.idle()
        try:
            deadline = time.monotonic() + self.options["idle_seconds"]
            while not self.stop.is_set() and time.monotonic() < deadline:
                if client.idle_check(timeout=1):
                    break
        finally:
            client.idle_done()

    def run_forever(self, with_digest: bool = True) -> None:
        """One thread per folder (IDLE watches one folder per connection), plus the digest schedule.
        Settings a retry cannot fix (no host, no password) fail here, before any thread starts.
        Raises WatcherStopped when a thread died: the others are stopped first."""
        check_settings(self.imap)
        threads = [self._thread(f"watch:{self.prefix}{f}", self.watch_folder, f) for f in self.imap["folders"]]
        digest = DigestSchedule.from_config(self.config, self.store) if with_digest else None  # sent once a week
        if digest is not None:
            threads.append(self._thread("digest", digest.run, self.stop))
        # a folder thread finishes the message in hand and stores its checkpoint
        self._supervise(threads, STOP_GRACE_SECONDS)


def _new_mail_reported(client: IMAPClient) -> bool:
    """NOOP right before IDLE: Dovecot reports mail that arrived between two commands only at the
    next sync, not once IDLE has begun, so without this such mail would wait for the IDLE renewal."""
    _, responses = client.noop()
    return any(isinstance(r, tuple) and len(r) > 1 and r[1] == b"EXISTS" for r in responses)


def _arrived(internaldate) -> float:
    """When the server received a message (its INTERNALDATE) as Unix time; now when unknown."""
    if not isinstance(internaldate, datetime):
        return time.time()
    return internaldate.timestamp()  # a naive one (imapclient's default) is local time, as timestamp() takes it


def _logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection may already be gone; nothing to save here
        pass
