"""Request body limit: 413 before reading when Content-Length is over it, and while reading otherwise."""
from __future__ import annotations

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
