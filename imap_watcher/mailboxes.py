"""Several `[[mailbox]]` entries: each watched by exactly one `watch` process at a time, across hosts.

Every process runs a keeper thread per mailbox it is configured for. A keeper that gets the mailbox's lease
(imap_watcher.lease) watches it until stopped; the others try again every `[watch] failover_seconds`, so
when the owner dies one of them takes over within that time (plus, for a vanished host, PostgreSQL's
keepalive). The new owner starts from the stored checkpoint and passes over any message already stored,
so the mail the dead owner finished is not linted again.
"""
from __future__ import annotations

import threading

from mail_lint.digest.schedule import DigestSchedule
from mail_lint.events import event

from .lease import Lease
from .watcher import ThreadSupervisor, Watcher


class MailboxKeepers(ThreadSupervisor):
    def __init__(self, config, store, services, stop: threading.Event):
        self.config, self.store, self.services, self.stop = config, store, services, stop
        self.retry = max(float(config.section("watch")["failover_seconds"]), 0.2)
        self.died = ""

    def keep(self, mailbox: dict) -> None:
        """Own `mailbox` whenever nobody else does, until stopped."""
        lease = Lease(self.store, mailbox["name"])
        waiting_said = False
        while not self.stop.is_set():
            if not lease.try_acquire():
                if not waiting_said:
                    event("mailbox.standby", mailbox=mailbox["name"], retry_seconds=self.retry)
                    waiting_said = True
                self.stop.wait(self.retry)
                continue
            event("mailbox.owned", mailbox=mailbox["name"])
            try:
                Watcher(self.config, self.store, self.services, stop=self.stop, mailbox=mailbox).run_forever(
                    with_digest=False)
            finally:
                lease.release()
                event("mailbox.released", mailbox=mailbox["name"])

    def run_forever(self) -> None:
        """A keeper per mailbox and the digest schedule; raises WatcherStopped when one of them died."""
        threads = [self._thread(f"mailbox:{m['name']}", self.keep, m) for m in self.config.mailboxes]
        digest = DigestSchedule.from_config(self.config, self.store)
        if digest is not None:
            threads.append(self._thread("digest", digest.run, self.stop))
        self._supervise(threads, 90)

    def run_once(self) -> int:
        """Each mailbox nobody else holds: its backlog, then release it. Mailboxes held elsewhere are passed."""
        done = 0
        for mailbox in self.config.mailboxes:
            lease = Lease(self.store, mailbox["name"])
            if not lease.try_acquire():
                event("mailbox.busy", mailbox=mailbox["name"])
                continue
            try:
                done += Watcher(self.config, self.store, self.services, stop=self.stop, mailbox=mailbox).run_once()
            finally:
                lease.release()
        return done
