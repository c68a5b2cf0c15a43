"""LanguageTool's own /v2/check against our whole lint() with grammar, on the same emails, in one run.

    python bench/grammar.py [--rounds 3]

Starts a LanguageTool server of its own (`mail-lint languagetool install` first) and prints:
- the time from starting the JVM to the server's health check and to the first answered check;
- its resident memory (VmRSS) after warm-up and after the run (goal <= 1.5 GB with ru+en);
- over bench/data/sales_emails.yaml (30 Russian and English sales emails): the median and p95 of
  LanguageTool's /v2/check on each email's text (what the grammar check sends: greeting + body, same
  disabled rules), of `lint()` with all checks and grammar on, and their ratio (goal <= 1.25).
The two are timed alternately, email by email, so load on the machine hits both alike.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mail_lint.checks import Services  # noqa: E402
from mail_lint.config import validate  # noqa: E402
from mail_lint.engine import lint  # noqa: E402
from mail_lint.registry import load_checks  # noqa: E402
from mail_lint.languagetool import LanguageToolClient, ManagedServer, find_installed  # noqa: E402
from mail_lint.languagetool.server import WARMUP_TEXTS, is_healthy, post_check  # noqa: E402
from mail_lint.message import from_draft  # noqa: E402
from mail_lint.rules.grammar import LT_LANGUAGES  # noqa: E402

CORPUS = ROOT / "bench" / "data" / "sales_emails.yaml"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def start_server(installation) -> tuple[ManagedServer, float, float]:
    """Returns the server, seconds to healthy, seconds to the first answered check."""
    server = ManagedServer(installation, warm_up=False)
    started = time.monotonic()
    server.start()  # returns once /v2/languages answers
    healthy = time.monotonic() - started
    post_check(server.url, WARMUP_TEXTS["ru-RU"], "ru-RU", timeout=300)
    first_check = time.monotonic() - started
    post_check(server.url, WARMUP_TEXTS["en-US"], "en-US", timeout=300)
    return server, healthy, first_check


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the corpus (default 3)")
    args = ap.parse_args()
    installation = find_installed()
    if installation is None:
        print("LanguageTool is not installed: run `mail-lint languagetool install`", file=sys.stderr)
        return 2
    config = validate({"grammar": {"words": ["Альфа Солар", "Alfa Solar"], "timeout": 60.0}})
    grammar = config.section("grammar")
    disabled = ",".join(r for r in grammar["disabled_rules"] if r not in grammar["enable_rules"])
    emails = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["emails"]
    messages = [from_draft(text=e["text"], subject=e["subject"], to="Client <client@example.com>",
                           date="2025-12-03T10:15:00+03:00") for e in emails]

    server, healthy, first_check = start_server(installation)
    try:
        assert is_healthy(server.url)
        services = Services(languagetool=LanguageToolClient(timeout=60.0, server=server))

        def lt_alone(message) -> None:
            start, end = message.writing
            post_check(server.url, message.text[start:end], LT_LANGUAGES[message.language], timeout=60,
                       disabledRules=disabled)

        def ours(message) -> None:
            verdict = lint(message, config, services)
            if verdict.checks.get("grammar", {}).get("status") == "unavailable":
                raise SystemExit(f"grammar unavailable: {verdict.checks['grammar']}")

        for message in messages:  # warm-up: JIT, caches, every rule path once
            lt_alone(message)
            ours(message)
        rss_warm = rss_mb(server.pid)

        lt_times, our_times = [], []
        for round_no in range(args.rounds):
            for i, message in enumerate(messages):
                pair = [(lt_alone, lt_times), (ours, our_times)]
                for work, times in (pair if (i + round_no) % 2 == 0 else reversed(pair)):
                    t = time.perf_counter()
                    work(message)
                    times.append(time.perf_counter() - t)
        rss_after = rss_mb(server.pid)
    finally:
        server.stop()

    languages = {m.language for m in messages}
    print(f"LanguageTool {installation.version} ({installation.lib}), checks: {', '.join(c.name for c in load_checks())}")
    print(f"corpus: {len(messages)} emails ({sum(m.language == 'ru' for m in messages)} ru, "
          f"{sum(m.language == 'en' for m in messages)} en), {args.rounds} rounds; languages {sorted(languages)}")
    print(f"start -> healthy (/v2/languages):      {healthy:7.1f} s")
    print(f"start -> first answered check (ru):    {first_check:7.1f} s")
    print(f"resident memory after warm-up:         {rss_warm:7.0f} MB   (goal <= 1536 MB)")
    print(f"resident memory after the run:         {rss_after:7.0f} MB")
    lt_med, our_med = statistics.median(lt_times), statistics.median(our_times)
    print(f"LanguageTool /v2/check alone:  median {lt_med * 1000:7.1f} ms   p95 {p95(lt_times) * 1000:7.1f} ms")
    print(f"lint() with grammar:           median {our_med * 1000:7.1f} ms   p95 {p95(our_times) * 1000:7.1f} ms")
    print(f"ratio lint/LanguageTool:       median {our_med / lt_med:7.2f}      p95 {p95(our_times) / p95(lt_times):7.2f}"
          "   (goal <= 1.25)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
