"""`create_app(config)`: the check service as a FastAPI app (store and services opened at startup)."""
from __future__ import annotations

from contextlib import AsyncExitStack, asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from mail_lint import __version__
from mail_lint.config import Config, load
from mail_lint.errors import ConfigError
from mail_lint.services import open_services
from mail_lint.store import Store
from mail_lint.team import TeachingSource, refresh_seconds

from .errors import install_error_handlers
from .limits import BodyLimitMiddleware, FailedTokenLimiter
from .readiness import grammar_enabled
from .routers import addin, check, dictionary, digest, dismissals, health, pages, rules, skipped, verdicts
from .routers.pages import STATIC
from .schemas import ErrorOut
from .security import SecurityHeadersMiddleware

DESCRIPTION = """Lints sales emails: named greeting, signature standard, conciseness, call to action with a
deadline, forwardability, grammar. Russian first, English too.

Auth: `Authorization: Bearer <token>` (tokens from `mail-lint token create --role manager|head --email E`).
Errors are always `{"error": "<one line>"}`: 400 unusable email, 401 no or unknown token, 403 role may not,
404 no such verdict (also another manager's), rule, word or dismissal, 413 body over `[api] max_body_bytes`, 415 wrong content type,
422 invalid field (named in the message), 429 too many unknown tokens from one address (see `Retry-After`),
503 store unavailable."""


def _cors_origins(config: Config) -> list[str]:
    origins = config.section("api")["cors_origins"]
    if not all(isinstance(o, str) and o for o in origins):
        raise ConfigError("api.cors_origins: expected a list of origins like \"https://addin.company.ru\"")
    return origins


def _failed_token_limit(config: Config) -> int:
    limit = config.section("api")["failed_tokens_per_minute"]
    if limit < 0:
        raise ConfigError(f"api.failed_tokens_per_minute: expected 0 (no limit) or more, got {limit}")
    return limit


def create_app(config: Config | None = None, store: Store | None = None) -> FastAPI:
    """The app; `store` is opened from `[store] url` at startup unless one is handed in."""
    config = config or load()
    api_config = config.section("api")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.store = store or Store.open(config=config)
            if store is None:
                stack.callback(app.state.store.close)
            app.state.teaching = TeachingSource(app.state.store, refresh_seconds(config))
            # A long-running service starts LanguageTool (when installed) and restarts it if it dies; with
            # grammar disabled there is nothing to start. Workers share a server from `languagetool start`.
            grammar = grammar_enabled(config)
            app.state.services = stack.enter_context(
                open_services(config, start_languagetool=grammar, watchdog=grammar))
            yield

    # /docs with its JS and CSS served from the package: nothing loads from a CDN. No /redoc: ReDoc's bundle
    # always loads its maker's logo from cdn.redoc.ly, which an offline server must not ask for.
    app = FastAPIOffline(title="mail-lint", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                         redoc_url=None)
    app.state.config = config
    app.state.failed_tokens = FailedTokenLimiter(_failed_token_limit(config))
    install_error_handlers(app)
    # Routes behind a token may also answer 429 (api.auth): the schema says so.
    too_many = {429: {"model": ErrorOut, "description": "too many unknown tokens from this address"}}
    for router in (check.router, verdicts.router, skipped.router, digest.router, dictionary.router, dismissals.router,
                   rules.switch_router):
        app.include_router(router, responses=too_many)
    for router in (rules.router, health.router, pages.router, addin.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=api_config["max_body_bytes"])
    # Outlook's own origins always: the add-in's launch-event code runs there in Outlook on the web.
    configured = _cors_origins(config)
    origins = configured + [o for o in addin.OUTLOOK_ORIGINS if o not in configured]
    if origins:  # outermost, so even a 413 carries the headers the add-in needs to read it
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"], expose_headers=["X-Verdict-Id", "Location"],
                           max_age=600)
    app.add_middleware(SecurityHeadersMiddleware, base_url=api_config["base_url"])  # outermost: on every response
    return app
