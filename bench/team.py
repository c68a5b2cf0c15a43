"""What the team's dictionary and rule switches cost a check.

    python bench/team.py [--words 500] [--rounds 3]

Prints:
- reading the store's change counter (what every process does at most every `[rules] refresh_seconds`) and a
  `TeachingSource.current()` between reads, on a SQLite store;
- `Teaching.applied()` (the config a check runs with) with `--words` dictionary words and 50 personal ones;
- over bench/data/sales_emails.yaml with a LanguageTool server of its own: the median and p95 of `lint()` with
  grammar, without a dictionary and with `--words` dictionary words (the post-filter lemmatises every entry
  once per dictionary, then each flagged word), timed alternately email by email.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mail_lint import team  # noqa: E402
from mail_lint.checks import Services  # noqa: E402
from mail_lint.config import validate  # noqa: E402
from mail_lint.engine import lint  # noqa: E402
from mail_lint.languagetool import LanguageToolClient, ManagedServer, find_installed  # noqa: E402
from mail_lint.message import from_draft  # noqa: E402
from mail_lint.store import Store  # noqa: E402

CORPUS = ROOT / "bench" / "data" / "sales_emails.yaml"


def per_call_us(function, n: int) -> float:
    function()
    started = time.perf_counter()
    for _ in range(n):
        function()
    return (time.perf_counter() - started) / n * 1e6


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    words = [f"Бренд{chr(0x430 + i % 32)}{chr(0x430 + i // 32 % 32)}кс" for i in range(args.words)]

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        with Store.open(url) as store:
            for word in words:
                team.add_word(store, word, "head@example.ru")
            for word in words[:50]:
                team.dismiss(store, name="spelling.MORFOLOGIK_RULE_RU_RU", excerpt=word + "а", dismissed_by="m@example.ru")
            source = team.TeachingSource(store, refresh_seconds=3600)
            print(f"change counter read: {per_call_us(lambda: team.team_version(store), 2000):.0f} µs")
            print(f"TeachingSource.current() between reads: {per_call_us(source.current, 20000):.2f} µs")
            teaching = team.load_teaching(store)
            print(f"load_teaching() ({len(teaching.words)} words, 50 personal): "
                  f"{per_call_us(lambda: team.load_teaching(store), 50) / 1000:.1f} ms")
            config = validate({"store": {"url": url}})
            print(f"Teaching.applied(): {per_call_us(lambda: teaching.applied(config, 'm@example.ru'), 20000):.1f} µs")

    installation = find_installed()
    if installation is None:
        print("LanguageTool is not installed: `mail-lint languagetool install`; the lint timings are skipped")
        return 0
    server = ManagedServer(installation)
    server.start()
    try:
        services = Services(languagetool=LanguageToolClient(timeout=60, server=server))
        emails = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["emails"]
        messages = [from_draft(text=e["text"], subject=e["subject"], to="Client <client@example.com>")
                    for e in emails]
        plain = validate({})
        taught = validate({"grammar": {"words": words}})
        times: dict[str, list[float]] = {"no dictionary": [], f"{args.words} words": []}
        for message in messages:  # warm-up: LanguageTool's first checks, pymorphy3's caches
            lint(message, plain, services), lint(message, taught, services)
        for _ in range(args.rounds):
            for message in messages:
                for label, config in zip(times, (plain, taught)):
                    started = time.perf_counter()
                    lint(message, config, services)
                    times[label].append((time.perf_counter() - started) * 1000)
        for label, values in times.items():
            print(f"lint() with grammar, {label}: median {statistics.median(values):.1f} ms, "
                  f"p95 {p95(values):.1f} ms ({len(values)} checks)")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
