"""Grammar speed, side by side in one run on the same emails (issue 17):

    python bench/grammar.py [--rounds 3] [--watcher 200] [--watcher-baseline /path/to/old/checkout]

Starts three LanguageTool servers from the installed jars (`mail-lint languagetool install` first):
- "default": LanguageTool's own settings (no --config, the old JVM options): the old setup;
- "tuned": our settings file and JVM options, sent each email's whole text like the old client;
- "ours": our settings, behind our whole `lint()` with grammar (paragraphs, a fresh shared-cache file).
Over bench/data/sales_emails.yaml (Russian and English sales emails) it prints per email, median and
p95: the first pass (texts no server has seen; the three are timed alternately, email by email, so
that load on the machine hits them alike), later passes over the same texts, and `lint()` re-checking
each draft after a one-word edit. Then each server's resident memory (VmRSS) after the run, and the
watcher's backlog rate with grammar (bench/watcher.py --grammar in a subprocess, with a fresh cache
file; with --watcher-baseline, also the same bench of an older checkout, run with its own .venv).

Goals: lint() first pass median >= 3x faster than "default"; re-check after an edit p95 <= 100 ms;
watcher backlog with grammar >= 3x the old rate; resident memory <= 1.2 GB.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mail_lint.checks import Services  # noqa: E402
from mail_lint.config import validate  # noqa: E402
from mail_lint.engine import lint  # noqa: E402
from mail_lint.languagetool import LanguageToolClient, ManagedServer, find_installed  # noqa: E402
from mail_lint.languagetool.cache import CACHE_ENV, SqliteCache  # noqa: E402
from mail_lint.languagetool.server import post_check, rule_parameters  # noqa: E402
from mail_lint.message import from_draft  # noqa: E402
from mail_lint.rules.grammar import LT_LANGUAGES  # noqa: E402

CORPUS = ROOT / "bench" / "data" / "sales_emails.yaml"
RSS_GOAL_MB = 1200


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:7.1f} ms   p95 {p95(values) * 1000:7.1f} ms"


def one_word_edit(message):
    """The draft with one word added in its longest paragraph, as an author re-checking it would do."""
    start, end = message.writing
    text = message.text
    paragraphs = [m for m in re.finditer(r"(?:[^\n]|\n(?!\n))+", text[start:end])]
    longest = max(paragraphs, key=lambda m: len(m.group()))
    words = list(re.finditer(r"\b\w{5,}\b", longest.group()))
    at = start + longest.start() + words[len(words) // 2].start()
    word = "очень " if message.language == "ru" else "really "
    edited = text[:at] + word + text[at:]
    return from_draft(text=edited, subject=message.subject, to="Client <client@example.com>",
                      date="2025-12-03T10:15:00+03:00")


def watcher_rate(python: str, checkout: Path, n: int, env: dict) -> tuple[float, str]:
    """messages/s of `bench/watcher.py --grammar` in `checkout` (and its output line)."""
    result = subprocess.run([python, str(checkout / "bench" / "watcher.py"), "--grammar", "--n", str(n),
                             "--lag-samples", "0"], capture_output=True, text=True, env=env, cwd=checkout,
                            timeout=3600)
    found = re.search(r"^backlog \(with grammar\).*?= ([\d.]+) messages/s.*$", result.stdout, re.M)
    if not found:
        raise SystemExit(f"{checkout}/bench/watcher.py failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return float(found.group(1)), found.group(0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="passes over the corpus (the first is the first pass)")
    ap.add_argument("--watcher", type=int, default=200, metavar="N",
                    help="messages for the watcher's backlog (0: skip it; default 200)")
    ap.add_argument("--watcher-baseline", type=Path, metavar="DIR",
                    help="an older checkout (with its .venv) whose watcher bench gives the old rate")
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
    edited = [one_word_edit(m) for m in messages]
    tmp = Path(tempfile.mkdtemp(prefix="mail-lint-bench-grammar-"))

    servers: dict[str, ManagedServer] = {}
    started: dict[str, float] = {}
    try:
        rules = rule_parameters(disabled.split(","), [])
        for name, tuned in (("default", False), ("tuned", True), ("ours", True)):
            t = time.monotonic()
            # Healthy and warmed up (with the checks' rule selection), as connect() starts one.
            servers[name] = ManagedServer(installation, tuned=tuned, warm_up_rules=rules).start()
            started[name] = time.monotonic() - t
        client = LanguageToolClient(timeout=60.0, server=servers["ours"], cache=SqliteCache(tmp / "results.sqlite3"),
                                    namespace="bench")
        services = Services(languagetool=client)

        def raw(server: str):
            def check(message) -> None:
                start, end = message.writing
                post_check(servers[server].url, message.text[start:end], LT_LANGUAGES[message.language],
                           timeout=60, disabledRules=disabled)
            return check

        def ours(message) -> None:
            verdict = lint(message, config, services)
            if verdict.checks.get("grammar", {}).get("status") == "unavailable":
                raise SystemExit(f"grammar unavailable: {verdict.checks['grammar']}")

        work = {"default": raw("default"), "tuned": raw("tuned"), "ours": ours}
        times: dict[tuple[str, int], list[float]] = {}
        for round_no in range(args.rounds):
            for i, message in enumerate(messages):
                order = list(work)
                shift = (i + round_no) % len(order)
                for name in order[shift:] + order[:shift]:
                    t = time.perf_counter()
                    work[name](message)
                    times.setdefault((name, min(round_no, 1)), []).append(time.perf_counter() - t)
        sent_before = client.requests_sent
        recheck = []
        for message in edited:
            t = time.perf_counter()
            ours(message)
            recheck.append(time.perf_counter() - t)
        sent_for_edits = client.requests_sent - sent_before
        without_grammar, no_grammar = [], validate({"rules": {"disable": ["grammar"]}})
        for message in edited:  # what of a re-check is the other checks, not LanguageTool
            t = time.perf_counter()
            lint(message, no_grammar)
            without_grammar.append(time.perf_counter() - t)
        rss = {name: rss_mb(server.pid) for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()

    ru = sum(m.language == "ru" for m in messages)
    print(f"LanguageTool {installation.version}; corpus {len(messages)} emails ({ru} ru, {len(messages) - ru} en), "
          f"{args.rounds} passes; {os.cpu_count()} cores")
    print("start to ready (healthy + one check per language): "
          + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in started.items()))
    print()
    print("first pass (texts not seen before), per email:")
    print(f"  LanguageTool, default settings, whole text   {ms(times['default', 0])}")
    print(f"  LanguageTool, our settings, whole text       {ms(times['tuned', 0])}")
    print(f"  our lint() with grammar (all checks)         {ms(times['ours', 0])}")
    speedup = statistics.median(times["default", 0]) / statistics.median(times["ours", 0])
    print(f"  lint() vs default LanguageTool: {speedup:.1f}x faster (median)   goal >= 3x: "
          f"{'met' if speedup >= 3 else 'NOT met'}")
    if args.rounds > 1:
        print("later passes (same texts), per email:")
        print(f"  LanguageTool, default settings, whole text   {ms(times['default', 1])}")
        print(f"  LanguageTool, our settings, whole text       {ms(times['tuned', 1])}")
        print(f"  our lint() with grammar (all checks)         {ms(times['ours', 1])}")
    print(f"re-check after a one-word edit, lint():        {ms(recheck)}   goal p95 <= 100 ms: "
          f"{'met' if p95(recheck) <= 0.1 else 'NOT met'}")
    print(f"  paragraphs sent to LanguageTool for the {len(edited)} edited drafts: {sent_for_edits}")
    print(f"  of which the other checks (lint() without grammar): {ms(without_grammar)}")
    print("resident memory after the run: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items())
          + f"   goal <= {RSS_GOAL_MB} MB: {'met' if rss['ours'] <= RSS_GOAL_MB else 'NOT met'} (ours)")

    if args.watcher:
        # Each run its own fresh cache file: neither answers from what the other checked.
        env = {**os.environ, CACHE_ENV: str(tmp / "watcher-results.sqlite3")}
        rate, line = watcher_rate(sys.executable, ROOT, args.watcher, env)
        print()
        print(f"watcher backlog with grammar, this checkout:  {line}")
        if args.watcher_baseline:
            base = args.watcher_baseline.resolve()
            env = {**os.environ, CACHE_ENV: str(tmp / "baseline-results.sqlite3")}
            old_rate, old_line = watcher_rate(str(base / ".venv" / "bin" / "python"), base, args.watcher, env)
            print(f"watcher backlog with grammar, {base}:  {old_line}")
            print(f"  {rate / old_rate:.1f}x the old rate   goal >= 3x: {'met' if rate >= 3 * old_rate else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
