"""LanguageTool: install it from Maven Central, run it on loopback, talk to it.

`connect(config)` gives the engine its `languagetool` service:
1. `[grammar] url` set: that server (the customer's own LanguageTool, or the public API);
2. else a server announced by `mail-lint languagetool start` (shared by every process on the machine);
3. else, when LanguageTool is installed, a server of our own, started now and stopped by `close()`;
4. else None: the grammar check reports `unavailable`, everything else works.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator

from ..checks import Services
from .client import LanguageToolClient, LTMatch
from .install import InstallError, find_installed, install, java_version, MIN_JAVA
from .server import ManagedServer, ServerError, announced_url

__all__ = ["connect", "languagetool_services", "LanguageToolClient", "LTMatch", "ManagedServer",
           "ServerError", "InstallError", "install", "find_installed"]

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 5.0


def _grammar_options(config: Any) -> dict:
    return config.section("grammar") if config is not None else {}


def connect(config: Any = None, *, start: bool = True, watchdog: bool = False) -> LanguageToolClient | None:
    """A client for the configured or a local LanguageTool; None when there is none to be had.

    start: may start a server of our own (takes ~5-10 s: JVM start and a warm-up check per language).
    watchdog: also restart our own server from a background thread (for `serve` and `watch`).
    """
    options = _grammar_options(config)
    timeout = float(options.get("timeout") or DEFAULT_TIMEOUT)
    if options.get("url"):
        return LanguageToolClient(options["url"], timeout=timeout)
    if url := announced_url():
        return LanguageToolClient(url, timeout=timeout)
    installation = find_installed()
    if not start or installation is None or (java_version() or 0) < MIN_JAVA:
        log.info("LanguageTool is not installed (mail-lint languagetool install): grammar is unavailable")
        return None
    server = ManagedServer(installation)
    try:
        server.start()
    except ServerError as e:
        log.warning("LanguageTool did not start, grammar is unavailable: %s", e)
        server.stop()
        return None
    if watchdog:
        server.watch()
    return LanguageToolClient(timeout=timeout, server=server)


@contextmanager
def languagetool_services(config: Any = None, **connect_options: Any) -> Iterator[Services]:
    """`Services(languagetool=client)` (the client None when there is none) for `engine.lint`, closed on exit."""
    client = connect(config, **connect_options)
    try:
        yield Services(languagetool=client)
    finally:
        if client:
            client.close()
