"""One error shape everywhere: `{"error": "<one line>"}`, with the HTTP status saying what kind."""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mail_lint.errors import UnusableInput
from mail_lint.store import StoreError

from .limits import BodyTooLarge

log = logging.getLogger("mail_lint.api")


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def validation_message(errors: Iterable[dict[str, Any]], prefix: str = "") -> str:
    """`body.attachments.0.size: Input should be greater than or equal to 0; ...` (field first)."""
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p != "__root__"]
        if prefix:  # errors of a model validated by hand are relative to it
            loc.insert(0, prefix)
        message = error.get("msg", "invalid")
        if error.get("type") == "json_invalid":
            message = f"not valid JSON ({error.get('ctx', {}).get('error', 'syntax error')})"
            loc = loc[:1]
        message = message.removeprefix("Value error, ")
        parts.append(f"{'.'.join(loc)}: {message}" if loc else message)
    return one_line("; ".join(parts)) or "invalid request"


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": one_line(message)}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405 and (allowed := _allowed_methods(request)):
            headers = {**(headers or {}), "Allow": allowed}
        return error(exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error(422, validation_message(exc.errors()))

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(_: Request, exc: BodyTooLarge) -> JSONResponse:
        return error(413, str(exc))

    @app.exception_handler(UnusableInput)
    async def unusable_input(_: Request, exc: UnusableInput) -> JSONResponse:
        return error(400, str(exc))

    @app.exception_handler(StoreError)
    async def store_unavailable(_: Request, exc: StoreError) -> JSONResponse:
        return error(503, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error(500, f"internal error: {type(exc).__name__}")


def _allowed_methods(request: Request) -> str:
    """Every method the API documents for this path: Starlette names only the first route's, and a path with
    a route per method (GET and POST /v1/dictionary) would otherwise deny that the others exist."""
    path = request.url.path.removeprefix(request.scope.get("root_path", "")) or "/"
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path):
            methods |= {method.upper() for method in operations if method != "parameters"}
    return ", ".join(sorted(methods))
