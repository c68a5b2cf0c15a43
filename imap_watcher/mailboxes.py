"""Who watches what: each mailbox (`[imap]`, or each `[[mailbox]]` entry) by exactly one `watch` process at a
time, across hosts.

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

from .connection import check_settings
from .lease import Lease
from .watcher import ThreadSupervisor, Watcher


def watched(config) -> list[tuple[str, dict | None]]:
    """What this process watches, each as (the name of its lease, its `[[mailbox]]` entry or None for `[imap]`).
    `[imap]` is leased under its user, host, port and folders: processes with the same `[imap]` share the lease;
    processes on other mailboxes (and one store) do not wait for them. No `[[mailbox]]` name has a space."""
    if config.mailboxes:
        return [(mailbox["name"], mailbox) for mailbox in config.mailboxes]
    imap = config.section("imap")
    return [(f"[imap] {imap['user']}@{imap['host']}:{imap['port']} {','.join(imap['folders'])}", None)]


class MailboxKeepers(ThreadSupervisor):
    def __init__(self, config, store, services, stop: threading.Event):
        self.config, self.store, self.services, self.stop = config, store, services, stop
        self.retry = max(float(config.section("watch")["failover_seconds"]), 0.2)
        self.died = ""
        self.mailboxes = watched(config)

    def keep(self, name: str, mailbox: dict | None) -> None:
        """Own the mailbox whenever nobody else does, until stopped."""
        lease = Lease(self.store, name)
        waiting_said = False
        while not self.stop.is_set():
            if not lease.try_acquire():
                if not waiting_said:
                    event("mailbox.standby", mailbox=name, retry_seconds=self.retry)
                    waiting_said = True
                self.stop.wait(self.retry)
                continue
            event("mailbox.owned", mailbox=name)
            try:
                Watcher(self.config, self.store, self.services, stop=self.stop, mailbox=mailbox).run_forever(
                    with_digest=False)
            finally:
                lease.release()
                event("mailbox.released", mailbox=name)

    def run_forever(self) -> None:
        """A keeper per mailbox and the digest schedule; raises WatcherStopped when one of them died.
        Settings a retry cannot fix (no host, no password) fail here, before any thread starts."""
        for _, mailbox in self.mailboxes:
            check_settings(mailbox or self.config.section("imap"))
        threads = [self._thread(f"mailbox:{name}", self.keep, name, mailbox) for name, mailbox in self.mailboxes]
        digest = DigestSchedule.from_config(self.config, self.store)
        if digest is not None:
            threads.append(self._thread("digest", digest.run, self.stop))
        self._supervise(threads, 90)

    def run_once(self) -> int:
        """Each mailbox nobody else holds: its backlog, then release it. Mailboxes held elsewhere are passed."""
        done = 0
        for name, mailbox in self.mailboxes:
            lease = Lease(self.store, name)
            if not lease.try_acquire():
                event("mailbox.busy", mailbox=name)
                continue
            try:
                done += Watcher(self.config, self.store, self.services, stop=self.stop, mailbox=mailbox).run_once()
            finally:
                lease.release()
        return done
