"""Limits on what one request or one client may cost: the request body (413 before reading when
Content-Length is over it, and while reading otherwise), and unknown tokens per client address (429)."""
from __future__ import annotations

import math
import time
from collections import deque
from typing import Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """The request body went past the limit while being read (chunked or lying Content-Length)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body is over the limit of {limit} bytes")


def too_large(limit: int) -> JSONResponse:
    return JSONResponse({"error": f"request body is over the limit of {limit} bytes"}, status_code=413)


class BodyLimitMiddleware:
    """Pure ASGI, so the body is never buffered beyond the limit."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await too_large(self.limit)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)  # turned into a 413 by the app's exception handler
            return message

        await self.app(scope, counting_receive, send)


class FailedTokenLimiter:
    """Unknown tokens per client address within a sliding window. At `limit` of them the address waits,
    with every token refused, until the oldest leaves the window: guessing a token is then hopeless.

    Kept in the process (not the store): with `--workers N` an address gets up to N times the limit.
    Called from the event loop only, so it needs no lock. `limit` 0 turns it off.
    """

    def __init__(self, limit: int, window: float = 60.0, *, max_clients: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.max_clients = max_clients  # past this, forget the quietest addresses rather than grow
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def __len__(self) -> int:
        return len(self._failures)

    def retry_after(self, client: str) -> int | None:
        """Seconds this address must wait before its next token is looked at; None when it need not."""
        if self.limit <= 0:
            return None
        failures = self._recent(client)
        if len(failures) < self.limit:
            return None
        # Concurrent requests may have added more than `limit`: wait until fewer than `limit` remain.
        return max(1, math.ceil(failures[-self.limit] + self.window - self.clock()))

    def failed(self, client: str) -> None:
        if self.limit <= 0:
            return
        failures = self._recent(client)
        failures.append(self.clock())
        self._failures.pop(client, None)
        self._failures[client] = failures  # last in order: the most recently active
        if len(self._failures) > self.max_clients:
            self._forget()

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.get(client, deque())
        cutoff = self.clock() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            self._failures.pop(client, None)
        return failures

    def _forget(self) -> None:
        cutoff = self.clock() - self.window
        for client in [c for c, f in self._failures.items() if f[-1] <= cutoff]:
            del self._failures[client]
        while len(self._failures) > self.max_clients:
            del self._failures[next(iter(self._failures))]
