"""Seeding a real store with hand-built verdicts of known scores and rule names (digest tests, benches)."""
from __future__ import annotations

import itertools
from datetime import datetime

from mail_lint.model import Address, Message, Parts
from mail_lint.verdict import Finding, Verdict

_ids = itertools.count(1)


def verdict_for(message: Message, score: int, names: tuple[str, ...] = (), passed: bool | None = None,
                **fields) -> Verdict:
    """A verdict of known score where each name fires once; `fields` (checks, stats) as the engine would fill them."""
    findings = [Finding(code="EM100", name=name, check=name.split(".")[0], severity="warning", message="Замечание",
                        start=0, end=5, line=1, column=1) for name in names]
    return Verdict(message=message, findings=findings, checks=fields.get("checks", {}), stats=fields.get("stats", {}),
                   score=score, passed=score >= 70 if passed is None else passed)


def seed(store, sender: str, date: datetime, score: int, names: tuple[str, ...] = (), *,
         name: str = "", subject: str | None = None, passed: bool | None = None, source: str = "imap",
         mailbox: str = "") -> int:
    """Save one email from `sender` at `date` with a verdict of `score` and `names`; return the verdict id.
    `mailbox`: the `[[mailbox]]` the watcher found it in."""
    n = next(_ids)
    text = f"Добрый день!\nПисьмо номер {n}.\n\nС уважением,\n{name or sender}"
    message = Message(text=text, parts=Parts(body=(0, len(text))), subject=subject or f"Письмо {n}",
                      sender=Address(name, sender), to=[Address("Клиент", "client@client.ru")],
                      message_id=f"<seed-{n}@example.ru>", date=date, size=len(text.encode()))
    return store.save(verdict_for(message, score, names, passed), source, mailbox=mailbox)
