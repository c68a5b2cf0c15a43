"""Lint a message and keep its verdict: the one path the CLI, the API, the watcher and the grammar recheck share."""
from __future__ import annotations

from .checks import Services
from .config import Config
from .engine import lint
from .metrics import record_verdict, timed_check
from .model import Message
from .store import Store
from .team import Teaching
from .verdict import Verdict


def taught_config(config: Config, teaching: Teaching | None, message: Message, owner: str = "") -> Config:
    """The config a check runs with: the file's, with the team's dictionary and rule switches laid over it,
    and the personal dictionary of whoever the check is for (the token's address; else the sender)."""
    if teaching is None:
        return config
    for_whom = owner or (message.sender.email if message.sender else "")
    return teaching.applied(config, for_whom)


def lint_and_store(message: Message, config: Config, services: Services | None, store: Store | None, *,
                   source: str, owner: str = "", teaching: Teaching | None = None,
                   mailbox: str = "") -> tuple[Verdict, int | None]:
    """The verdict and, when a store is given, the id it was saved under (see `Store.save` for `owner` and
    `mailbox`)."""
    with timed_check(source):
        verdict = lint(message, taught_config(config, teaching, message, owner), services)
    record_verdict(verdict)
    return verdict, (store.save(verdict, source, owner=owner, mailbox=mailbox) if store is not None else None)
