"""Seeding a real store with hand-built verdicts of known scores and rule names (digest tests, benches)."""
from __future__ import annotations

import itertools
from datetime import datetime

from mail_lint.model import Address, Message, Parts

_ids = itertools.count(1)


def verdict_for(message: Message, score: int, names: tuple[str, ...] = (), passed: bool | None = None) -> dict:
    """A verdict in the contract's shape; each name fires once (twice for names ending in '*2')."""
    findings = [{"code": "EM100", "name": name, "check": name.split(".")[0], "severity": "warning",
                 "message": "Замечание", "start": 0, "end": 5, "line": 1, "column": 1,
                 "suggestion": "", "replacements": []} for name in names]
    return {"schema": "mail-lint/verdict@1", "message": {"message_id": message.message_id,
                                                         "subject": message.subject},
            "text": message.text, "parts": message.parts.to_json(), "findings": findings,
            "checks": {}, "stats": {}, "score": score, "passed": score >= 70 if passed is None else passed}


def seed(store, sender: str, date: datetime, score: int, names: tuple[str, ...] = (), *,
         name: str = "", subject: str | None = None, passed: bool | None = None, source: str = "imap") -> int:
    """Save one email from `sender` at `date` with a verdict of `score` and `names`; return the verdict id."""
    n = next(_ids)
    text = f"Добрый день!\nПисьмо номер {n}.\n\nС уважением,\n{name or sender}"
    message = Message(text=text, parts=Parts(body=(0, len(text))), subject=subject or f"Письмо {n}",
                      sender=Address(name, sender), to=[Address("Клиент", "client@client.ru")],
                      message_id=f"<seed-{n}@example.ru>", date=date, size=len(text.encode()))
    return store.save(message, verdict_for(message, score, names, passed), source)
