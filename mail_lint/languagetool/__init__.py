"""LanguageTool: install it from Maven Central, run it on loopback, talk to it.

`connect(config)` gives the engine its `languagetool` service:
1. `[grammar] url` and/or `urls` set: those servers, as a pool (the customer's own LanguageTool, or the
   public API);
2. else a server announced by `mail-lint languagetool start` (shared by every process on the machine);
3. else, when LanguageTool is installed, `[grammar] servers` of our own (as many as memory allows, at
   least one), started now and stopped by `close()`;
4. else None: the grammar check reports `unavailable`, everything else works.
Answers are cached per paragraph in a file every process of the machine shares (see cache.py).
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Iterator

from ..checks import Services
from .cache import open_cache
from .client import Backend, LanguageToolClient, LTMatch
from .install import InstallError, default_home, find_installed, install, java_version, MIN_JAVA
from .server import ManagedServer, ServerError, announced_url, check_threads, rule_parameters

__all__ = ["connect", "languagetool_services", "Backend", "LanguageToolClient", "LTMatch", "ManagedServer",
           "ServerError", "InstallError", "install", "find_installed"]

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 5.0
# What one of our servers may take, resident (the goal bench/grammar.py measures), plus room for the rest
# of the machine: `[grammar] servers` JVMs start only as far as MemAvailable covers them.
SERVER_MEMORY_BYTES = 1200 * 2**20
MEMORY_RESERVE_BYTES = 512 * 2**20


def _grammar_options(config: Any) -> dict:
    return config.section("grammar") if config is not None else {}


def connect(config: Any = None, *, start: bool = True, watchdog: bool = False) -> LanguageToolClient | None:
    """A client for the configured or a local LanguageTool; None when there is none to be had.

    start: may start a server of our own (takes ~5-10 s: JVM start and a warm-up check per language).
    watchdog: also restart our own server from a background thread (for `serve` and `watch`).
    """
    options = _grammar_options(config)
    timeout = float(options.get("timeout") or DEFAULT_TIMEOUT)
    home = default_home()
    urls = list(dict.fromkeys(u.rstrip("/") for u in [options.get("url", ""), *options.get("urls", [])] if u))
    if urls:
        return LanguageToolClient(backends=[Backend(u) for u in urls], timeout=timeout, cache=open_cache(home),
                                  namespace="remote:" + ",".join(sorted(urls)))
    installation = find_installed()
    namespace = f"languagetool-{installation.version}" if installation else "languagetool"
    if url := announced_url():
        return LanguageToolClient(url, timeout=timeout, cache=open_cache(home), namespace=namespace)
    if not start or installation is None or (java_version() or 0) < MIN_JAVA:
        log.info("LanguageTool is not installed (mail-lint languagetool install): grammar is unavailable")
        return None
    wanted = int(options.get("servers") or 1)
    count = servers_memory_allows(wanted)
    if count < wanted:
        log.warning("[grammar] servers = %d, but memory allows %d LanguageTool server(s): starting %d",
                    wanted, count, count)
    # The cores are shared: N servers each get their share of check threads.
    threads = check_threads() if count == 1 else max(1, check_threads() // count)
    # The checks' own rule selection (as rules/grammar.py sends it), so that the warm-up builds their pipelines.
    enabled = list(options.get("enable_rules", []))
    disabled = [r for r in options.get("disabled_rules", []) if r not in enabled]
    servers = [ManagedServer(installation, threads=threads, warm_up_rules=rule_parameters(disabled, enabled))
               for _ in range(count)]
    started = _start_all(servers)
    if not started:
        return None
    if watchdog:
        for server in started:
            server.watch()
    return LanguageToolClient(backends=[Backend(server=s) for s in started], timeout=timeout,
                              cache=open_cache(home), namespace=namespace)


def available_memory() -> int | None:
    """MemAvailable in bytes (Linux), None where it cannot be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def servers_memory_allows(wanted: int) -> int:
    """How many of `wanted` servers fit in the memory available now (at least one: grammar wants one)."""
    available = available_memory()
    if available is None:
        return wanted
    return max(1, min(wanted, (available - MEMORY_RESERVE_BYTES) // SERVER_MEMORY_BYTES))


def _start_all(servers: list[ManagedServer]) -> list[ManagedServer]:
    """Starts them side by side; returns those that started (the others are stopped and logged)."""
    def start(server: ManagedServer) -> ManagedServer | None:
        try:
            return server.start()
        except ServerError as e:
            log.warning("LanguageTool did not start%s: %s",
                        "" if len(servers) > 1 else ", grammar is unavailable", e)
            server.stop()
            return None
    with ThreadPoolExecutor(len(servers)) as pool:
        return [s for s in pool.map(start, servers) if s is not None]


@contextmanager
def languagetool_services(config: Any = None, **connect_options: Any) -> Iterator[Services]:
    """`Services(languagetool=client)` (the client None when there is none) for `engine.lint`, closed on exit."""
    client = connect(config, **connect_options)
    try:
        yield Services(languagetool=client)
    finally:
        if client:
            client.close()
