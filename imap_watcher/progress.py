"""Backlog progress: a live line on a terminal, structured log lines otherwise."""
from __future__ import annotations

import sys
import time

from mail_lint.events import event


class Progress:
    def __init__(self, folder: str, total: int, stream=None):
        self.folder, self.total, self.done = folder, total, 0
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.started = time.monotonic()
        self._last = 0.0

    def step(self, outcome: str) -> None:
        self.done += 1
        now = time.monotonic()
        if self.live and (now - self._last > 0.2 or self.done == self.total):
            self._last = now
            rate = self.done / max(now - self.started, 1e-6)
            self.stream.write(f"\r{self.folder}: {self.done}/{self.total} messages, {rate:.1f}/s ")
            self.stream.flush()

    def finish(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.live and self.total:
            self.stream.write("\n")
        event("backlog.done", folder=self.folder, messages=self.done, seconds=round(elapsed, 2),
              rate=round(self.done / elapsed, 1) if elapsed > 0 else None)
