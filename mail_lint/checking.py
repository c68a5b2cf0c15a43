"""Lint a message and keep its verdict: the one path the CLI, the API, the watcher and the grammar recheck share."""
from __future__ import annotations

from .checks import Services
from .config import Config
from .engine import lint
from .metrics import record_verdict, timed_check
from .model import Message
from .store import Store
from .verdict import Verdict


def lint_and_store(message: Message, config: Config, services: Services | None, store: Store | None, *,
                   source: str, owner: str = "") -> tuple[Verdict, int | None]:
    """The verdict and, when a store is given, the id it was saved under (see `Store.save` for `owner`)."""
    with timed_check(source):
        verdict = lint(message, config, services)
    record_verdict(verdict)
    return verdict, (store.save(verdict, source, owner=owner) if store is not None else None)
