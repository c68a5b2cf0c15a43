"""`mail-lint watch` sends last week's digest at `[digest] weekday` and `time` in the configured zone, once.

Once per week, per recipient, across restarts and with several watchers on one store: before an
email goes out, a row (week, kind, recipient) is inserted into `digest_sends`, whose unique key lets
only one process win; `sent_at` is set when the SMTP server accepted it. A failed send deletes its
claim, so a later check retries. A process that dies between claiming and marking leaves a claim
without `sent_at`; after STALE_CLAIM it may be taken over, which can duplicate that one email only if
the crash came after the server had accepted it.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone
from email.message import EmailMessage
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from mail_lint.events import event
from mail_lint.store import DigestSend, Store

from .compute import compute_digest
from .i18n import language_of
from .send import Outgoing, plan, smtp_sender
from .weeks import IsoWeek

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STALE_CLAIM = timedelta(minutes=30)
CHECK_SECONDS = 60.0
RETRY_SECONDS = 600.0  # after a failed send, so a broken SMTP server is not hammered every minute
CLAIMED, SENT, BUSY = "claimed", "sent", "busy"


class DigestSchedule:
    def __init__(self, config: Any, store: Store, send: Callable[[EmailMessage], None] | None = None):
        self.config, self.store = config, store
        self.options = config.section("digest")
        self.send = send or smtp_sender(config)
        self.done: IsoWeek | None = None  # the week whose emails are all out (no need to look again)
        self.failed = False  # the last check could not send something: retry later, not every minute

    @classmethod
    def from_config(cls, config: Any, store: Store) -> DigestSchedule | None:
        """The schedule, or None (logged) when it is switched off or there is no SMTP server to use."""
        if not config.section("digest")["schedule"]:
            return None
        if not config.section("smtp")["host"]:
            event("digest.schedule.off", reason="no [smtp] host")
            return None
        return cls(config, store)

    def due(self, now: datetime) -> IsoWeek | None:
        """The week whose digest is due at `now`: last week, once this week's send time has come."""
        tz = self.config.timezone
        this_week = IsoWeek.containing(now, tz)
        hour, minute = map(int, self.options["time"].split(":"))
        day = this_week.monday + timedelta(days=WEEKDAYS.index(self.options["weekday"]))
        send_at = datetime.combine(day, time(hour, minute), tzinfo=tz)
        return this_week.shift(-1) if now >= send_at else None

    def check(self, now: datetime | None = None) -> list[Outgoing]:
        """Send whatever is due and not yet sent by anyone; return what this process sent."""
        now = now or datetime.now(timezone.utc)
        week = self.due(now)
        if week is None or week == self.done:
            return []
        digest = compute_digest(self.store, self.config, week)
        sent, settled = [], True
        for outgoing in plan(digest, self.config, language_of(self.config), self.store):
            claim = self._claim(str(week), outgoing)
            if claim != CLAIMED:
                settled &= claim == SENT  # BUSY: another process is sending it (or crashed doing so)
                continue
            try:
                self.send(outgoing.mail)
            except Exception as e:  # SMTP down, refused, timeout: release the claim and retry later
                self._release(str(week), outgoing)
                event("digest.error", week=str(week), kind=outgoing.kind, to=outgoing.recipient,
                     error=f"{type(e).__name__}: {e}")
                self.failed, settled = True, False
                continue
            self._mark_sent(str(week), outgoing)
            event("digest.sent", week=str(week), kind=outgoing.kind, to=outgoing.recipient)
            sent.append(outgoing)
        if settled:
            self.done, self.failed = week, False
        return sent

    def run(self, stop: threading.Event) -> None:
        """Check now and every minute until `stop` is set (a thread of `Watcher.run_forever`)."""
        wait = 0.0
        while not stop.wait(wait):
            self.failed = False
            try:
                self.check()
            except Exception as e:  # the store or a renderer failed: log, and try again later
                event("digest.error", error=f"{type(e).__name__}: {e}")
                self.failed = True
            wait = RETRY_SECONDS if self.failed else CHECK_SECONDS

    # -- the record in the store -------------------------------------------------------------------

    def _where(self, week: str, outgoing: Outgoing) -> Any:
        return ((DigestSend.week == week) & (DigestSend.kind == outgoing.kind)
                & (DigestSend.recipient == outgoing.recipient))

    def _claim(self, week: str, outgoing: Outgoing) -> str:
        """CLAIMED (ours to send), SENT (done by someone), or BUSY (someone else's fresh claim)."""
        try:
            with self.store.session(write=True) as session:
                session.add(DigestSend(week=week, kind=outgoing.kind, recipient=outgoing.recipient,
                                       claimed_at=datetime.now(timezone.utc)))
            return CLAIMED
        except IntegrityError:
            pass  # someone holds it: sent already, being sent, or a stale claim of a crashed process
        with self.store.session(write=True) as session:
            row = session.scalar(select(DigestSend).where(self._where(week, outgoing)))
            if row is None:
                return BUSY  # released meanwhile after a failure: the next check tries again
            if row.sent_at is not None:
                return SENT
            if row.claimed_at > datetime.now(timezone.utc) - STALE_CLAIM:
                return BUSY
            taken = session.execute(update(DigestSend).where(
                DigestSend.id == row.id, DigestSend.sent_at.is_(None), DigestSend.claimed_at == row.claimed_at,
            ).values(claimed_at=datetime.now(timezone.utc)))
            return CLAIMED if taken.rowcount == 1 else BUSY

    def _mark_sent(self, week: str, outgoing: Outgoing) -> None:
        with self.store.session(write=True) as session:
            session.execute(update(DigestSend).where(self._where(week, outgoing))
                            .values(sent_at=datetime.now(timezone.utc)))

    def _release(self, week: str, outgoing: Outgoing) -> None:
        with self.store.session(write=True) as session:
            session.execute(delete(DigestSend).where(self._where(week, outgoing), DigestSend.sent_at.is_(None)))
