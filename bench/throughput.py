"""Messages per second and the median per-message time of parse + lint, on one core.

    python bench/throughput.py [--checks forward,greeting] [--n 600]

Two corpora: the real emails in ../shared/corpora (parsed from raw bytes: discourse replies, talon
fixtures, MIME fixtures), and synthetic ~150-word sales emails (bench/emails.py, as drafts).
Issue goals: >= 300 msgs/s with one check enabled; >= 150 emails/s with all five content checks.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

from emails import sales_emails  # noqa: E402

from mail_lint.config import validate  # noqa: E402
from mail_lint.engine import lint  # noqa: E402
from mail_lint.registry import load_checks  # noqa: E402
from mail_lint.message import from_draft, read_input  # noqa: E402
from support.corpora import corpora_dir  # noqa: E402

CONTENT_CHECKS = ("greeting", "signature", "wordiness", "cta", "forward")


def real_messages() -> list[bytes]:
    corpora = corpora_dir()
    if corpora is None:
        return []
    folders = ["discourse-email-reply-trimmer/emails", "talon/fixtures", "flanker-mime-fixtures",
               "russian-charset-samples"]
    return [p.read_bytes() for f in folders if (corpora / f).is_dir()
            for p in sorted((corpora / f).rglob("*")) if p.is_file() and p.name != "README.md"]


def measure(label: str, items: list, work, repeat: int) -> None:
    for item in items[:20]:  # warm caches (morphology, regexes) before timing
        work(item)
    times = []
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for item in items:
            t = time.perf_counter()
            work(item)
            times.append(time.perf_counter() - t)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # CPU time too: on a shared box the wall clock also counts other processes' turns on the core.
    print(f"{label:<52} {len(times):>5} msgs  {len(times) / total:7.1f} msgs/s wall, {len(times) / cpu:7.1f} msgs/s CPU"
          f"  median {statistics.median(times) * 1000:6.2f} ms  p95 {sorted(times)[int(len(times) * .95)] * 1000:6.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checks", help="comma-separated checks to enable (default: each setting below)")
    ap.add_argument("--n", type=int, default=600, help="synthetic emails")
    args = ap.parse_args()
    available = [c.name for c in load_checks()]
    settings = [args.checks.split(",")] if args.checks else [["forward"]]
    content = [c for c in CONTENT_CHECKS if c in available]
    if not args.checks and content != ["forward"]:
        settings.append(content)
    raw = real_messages()
    drafts = sales_emails(args.n)
    print(f"checks available: {', '.join(available)}; real messages: {len(raw)}; synthetic: {len(drafts)}")
    for enabled in settings:
        config = validate({"rules": {"disable": [c for c in available if c not in enabled]}})
        tag = "+".join(enabled) if len(enabled) < 3 else f"{len(enabled)} content checks"
        if raw:
            def work_raw(data: bytes) -> None:
                try:
                    lint(read_input(data), config)
                except Exception:  # unusable inputs count too: they cost parse time  # noqa: BLE001
                    pass
            measure(f"real corpus, parse+lint [{tag}]", raw, work_raw, repeat=3)
        measure(f"~150-word sales drafts, parse+lint [{tag}]", drafts,
                lambda d: lint(from_draft(text=d["text"], subject=d["subject"], to=d["to"], sender=d["from"],
                                          date=d["date"]), config), repeat=1)


if __name__ == "__main__":
    main()
