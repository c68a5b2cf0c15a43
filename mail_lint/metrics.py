"""Prometheus metrics (the official `prometheus_client`): what `GET /metrics` and the watcher's metrics port show.

The same names in every process: `serve` records the checks made through the API, `watch` the ones from the
mailbox (label `source`). With `serve --workers N` the workers share `$PROMETHEUS_MULTIPROC_DIR`
(`serve` sets it up) and any worker's `/metrics` adds them all up.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Iterator

from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest)
from prometheus_client import multiprocess, start_http_server

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

CHECKS = Counter("mail_lint_checks", "Emails linted", ["source"])
CHECK_SECONDS = Histogram("mail_lint_check_seconds", "Time to lint one email (grammar included)", ["source"],
                          buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
FINDINGS = Counter("mail_lint_findings", "Findings made, by rule name", ["rule"])
GRAMMAR_AVAILABLE = Gauge("mail_lint_grammar_available",
                          "1 when the last check had LanguageTool's answer, 0 when grammar was unavailable",
                          multiprocess_mode="mostrecent")
STORE_ERRORS = Counter("mail_lint_store_errors", "Store operations that failed", ["kind"])
WATCHER_BACKLOG = Gauge("mail_lint_watcher_backlog", "Messages found and not yet handled, per watched folder",
                        ["folder"], multiprocess_mode="mostrecent")
WATCHER_LAG = Gauge("mail_lint_watcher_lag_seconds",
                    "How long the oldest message not yet handled has waited in the folder, at the scrape (0 when "
                    "caught up)", ["folder"], multiprocess_mode="mostrecent")
SKIPPED = Counter("mail_lint_watcher_skipped", "Mail the watcher did not lint, by reason kind", ["reason"])


@contextmanager
def timed_check(source: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    CHECK_SECONDS.labels(source).observe(time.perf_counter() - started)
    CHECKS.labels(source).inc()


_waiting_since: dict[str, float] = {}  # folder -> when its oldest unhandled message arrived (Unix time)


def watcher_waiting(folder: str, since: float | None) -> None:
    """The oldest message of `folder` not handled yet arrived at `since` (None: caught up). The lag is worked out
    at each scrape, so it keeps growing while the watcher is stuck (store down, mailbox gone), which is
    when an alert needs it."""
    if since is None:
        _waiting_since.pop(folder, None)
    else:
        _waiting_since[folder] = since
    WATCHER_LAG.labels(folder).set_function(
        lambda: max(time.time() - _waiting_since[folder], 0.0) if folder in _waiting_since else 0.0)


def record_verdict(verdict) -> None:
    """Findings by rule and whether grammar was available, from one verdict."""
    for finding in verdict.findings:
        FINDINGS.labels(finding.name).inc()
    grammar = verdict.checks.get("grammar")
    if isinstance(grammar, dict) and grammar.get("status"):
        GRAMMAR_AVAILABLE.set(0 if grammar["status"] == "unavailable" else 1)


def exposition() -> bytes:
    """The metrics in Prometheus' text format: this process's, or every worker's in multi-process mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def serve_metrics(port: int, host: str = "127.0.0.1") -> None:
    """This process's metrics on http://host:port/metrics, from a background thread (the watcher's)."""
    start_http_server(port, addr=host)
