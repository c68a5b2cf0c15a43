"""Verdict store speed on a real SQLite file: saves/s, re-saves/s, list latency, a digest-style count.

    python bench/store.py [N]        (default 10,000 verdicts from 50 senders over one week)
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from mail_lint.model import Address, Message, Parts  # noqa: E402
from mail_lint.store import MessageRow, Store, VerdictRow, VerdictRule  # noqa: E402

NAMES = ["greeting.unnamed", "cta.no-deadline", "wordiness.stop-word", "signature.incomplete",
         "forward.vague-subject", "grammar.COMMA_PARENTHESIS_WHITESPACE"]
WEEK_START = datetime(2025, 12, 1, tzinfo=timezone.utc)


def sample(i: int) -> tuple[Message, dict]:
    text = f"Добрый день!\nПришлите, пожалуйста, счёт № {i}.\n\nС уважением,\nМенеджер {i % 50}"
    message = Message(text=text, parts=Parts(body=(0, len(text))), subject=f"Счёт {i}",
                      sender=Address(f"Менеджер {i % 50}", f"m{i % 50}@example.ru"),
                      to=[Address("Клиент", "client@client.ru")], message_id=f"<bench-{i}@example.ru>",
                      date=WEEK_START + timedelta(seconds=i * 60), size=len(text.encode()))
    names = [NAMES[(i + k) % len(NAMES)] for k in range(i % 4)]
    findings = [{"code": "EM100", "name": n, "check": n.split(".")[0], "severity": "warning",
                 "message": "…", "start": 0, "end": 5, "line": 1, "column": 1, "suggestion": "",
                 "replacements": []} for n in names]
    return message, {"schema": "mail-lint/verdict@1", "message": {}, "text": text, "parts": {},
                     "findings": findings, "checks": {}, "stats": {}, "score": 100 - 10 * len(names),
                     "passed": True}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    samples = [sample(i) for i in range(count)]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        started = time.perf_counter()
        store = Store.open(url)
        print(f"open + migrate from empty: {(time.perf_counter() - started) * 1000:.0f} ms")
        store.close()
        started = time.perf_counter()
        store = Store.open(url)
        print(f"re-open (at head):         {(time.perf_counter() - started) * 1000:.0f} ms")

        started = time.perf_counter()
        for message, verdict in samples:
            store.save(message, verdict, "imap")
        elapsed = time.perf_counter() - started
        print(f"save (new):     {count / elapsed:8.0f} verdicts/s  ({elapsed * 1000 / count:.2f} ms each)")

        started = time.perf_counter()
        for message, verdict in samples[:1000]:
            store.save(message, verdict, "imap")
        elapsed = time.perf_counter() - started
        print(f"save (replace): {1000 / elapsed:8.0f} verdicts/s")

        for label, kwargs in (("list newest 50", {}), ("list by sender", {"sender": "m7@example.ru"}),
                              ("list by rule", {"name": "cta.no-deadline"}),
                              ("list week+score", {"since": WEEK_START, "min_score": 80})):
            started = time.perf_counter()
            for _ in range(20):
                store.list(**kwargs)
            print(f"{label:16}: {(time.perf_counter() - started) * 1000 / 20:6.1f} ms")

        # What the digest will ask: per sender, emails / mean score, and rule counts, for one week.
        started = time.perf_counter()
        week = (MessageRow.date >= WEEK_START) & (MessageRow.date < WEEK_START + timedelta(days=7))
        with store.session() as session:
            per_sender = session.execute(
                select(MessageRow.sender, func.count(), func.avg(VerdictRow.score))
                .join(VerdictRow, VerdictRow.message_pk == MessageRow.id).where(week)
                .group_by(MessageRow.sender)).all()
            per_rule = session.execute(
                select(MessageRow.sender, VerdictRule.name, func.sum(VerdictRule.count))
                .join(VerdictRow, VerdictRow.message_pk == MessageRow.id)
                .join(VerdictRule, VerdictRule.verdict_id == VerdictRow.id).where(week)
                .group_by(MessageRow.sender, VerdictRule.name)).all()
        elapsed = time.perf_counter() - started
        print(f"digest-style aggregates over {count} verdicts: {elapsed * 1000:.0f} ms "
              f"({len(per_sender)} senders, {len(per_rule)} sender/rule pairs)")
        store.close()


if __name__ == "__main__":
    main()
