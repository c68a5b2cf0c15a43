"""Digest speed on a real SQLite file: a week of 10,000 verdicts from 50 managers (target: <= 2 s).

    python bench/digest.py [N] [HISTORY]   (N verdicts in week 2025-W49, default 10,000; HISTORY verdicts
                                            in each of the 7 weeks before it, default 2,000)

Seeds once through `Store.save`, then times the digest's SQL aggregation and each rendering
(the head's HTML email with its PNG charts, plain text, Markdown, CSV, JSON), best of 3 runs.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mail_lint.config import validate  # noqa: E402
from mail_lint.digest import IsoWeek, compute_digest, private_digest  # noqa: E402
from mail_lint.digest.render import render, render_html  # noqa: E402
from mail_lint.model import Address, Message, Parts  # noqa: E402
from mail_lint.store import Store  # noqa: E402
from mail_lint.verdict import Finding, Verdict  # noqa: E402

MANAGERS = 50
WEEK = IsoWeek(2025, 49)
TZ = ZoneInfo("Europe/Moscow")
NAMES = ["greeting.unnamed", "greeting.missing", "cta.no-deadline", "cta.missing", "wordiness.stop-word",
         "wordiness.long-sentence", "signature.incomplete", "forward.vague-subject",
         "grammar.COMMA_PARENTHESIS_WHITESPACE", "spelling.MORFOLOGIK_RULE_RU_RU"]


def sample(i: int, week: IsoWeek, rng: random.Random) -> Verdict:
    manager = i % MANAGERS
    text = f"Добрый день!\nПришлите, пожалуйста, счёт № {i}.\n\nС уважением,\nМенеджер {manager}"
    moment = week.start(TZ) + timedelta(seconds=rng.randrange(7 * 24 * 3600))
    message = Message(text=text, parts=Parts(body=(0, len(text))), subject=f"Счёт {i}",
                      sender=Address(f"Менеджер {manager}", f"m{manager}@alfa-solar.ru"),
                      to=[Address("Клиент", "client@client.ru")], message_id=f"<bench-{week}-{i}@example.ru>",
                      date=moment, size=len(text.encode()))
    names = rng.sample(NAMES, rng.randrange(0, 4))
    findings = [Finding(code="EM100", name=n, check=n.split(".")[0], severity="warning", message="…",
                        start=0, end=5, line=1, column=1) for n in names]
    score = max(0, 100 - 9 * len(names) - rng.randrange(0, 10))
    return Verdict(message=message, findings=findings, checks={}, stats={}, score=score, passed=score >= 70)


def best_of(runs: int, action):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    history = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
    config = validate({"digest": {"base_url": "https://lint.example.ru", "top_rules": 3}})
    rng = random.Random(49)
    with tempfile.TemporaryDirectory() as folder, Store.open(f"sqlite:///{folder}/bench.db") as store:
        started = time.perf_counter()
        for back in range(7, 0, -1):
            for i in range(history):
                store.save(sample(i, WEEK.shift(-back), rng), "imap")
        for i in range(count):
            store.save(sample(i, WEEK, rng), "imap")
        total = count + 7 * history
        print(f"seeded {total} verdicts ({count} in {WEEK}, {history} in each of 7 weeks before) "
              f"in {time.perf_counter() - started:.1f} s")

        compute, digest = best_of(3, lambda: compute_digest(store, config, WEEK))
        assert digest["team"]["emails"] == count and len(digest["managers"]) == MANAGERS
        html, rendered = best_of(3, lambda: render_html(digest, "ru", embed="cid"))
        timings = {fmt: best_of(3, lambda fmt=fmt: render(digest, fmt, "ru"))[0]
                   for fmt in ("text", "md", "csv", "json")}
        private, _ = best_of(3, lambda: [render_html(private_digest(digest, m["email"]), "ru", embed="cid")
                                         for m in digest["managers"]])

        print(f"compute (SQL aggregation, 8-week series, repeats): {compute * 1000:7.0f} ms")
        print(f"render HTML email + {len(rendered.images)} PNG charts:        {html * 1000:7.0f} ms "
              f"({len(rendered.html) // 1024} KB HTML, {sum(map(len, rendered.images.values())) // 1024} KB PNG)")
        for fmt, seconds in timings.items():
            print(f"render {fmt:<5}                                     {seconds * 1000:7.0f} ms")
        print(f"50 private HTML digests:                          {private * 1000:7.0f} ms")
        head = compute + html + timings["text"]
        print(f"head digest, compute + HTML + text:               {head * 1000:7.0f} ms  "
              f"({'within' if head <= 2 else 'OVER'} the 2 s target)")


if __name__ == "__main__":
    main()
