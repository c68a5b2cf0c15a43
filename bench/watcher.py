"""The watcher against a real Dovecot: backlog throughput and the IDLE lag from APPEND to stored verdict.

    python bench/watcher.py [--n 1000] [--lag-samples 40] [--grammar]

APPENDs N messages, times `Watcher.run_once()` over them (messages/s), then runs the watcher with
IDLE and measures, per message appended one at a time, the time until its verdict is in the store.
Goal (issue): p95 lag <= 2 s without grammar. `--grammar` adds LanguageTool (must be installed:
`mail-lint languagetool install`).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from imapclient import IMAPClient  # noqa: E402

from mail_lint.imap_watcher.watcher import Watcher  # noqa: E402
from mail_lint.config import validate  # noqa: E402
from mail_lint.services import open_services  # noqa: E402
from mail_lint.store import Store  # noqa: E402
from support.mailservers import Dovecot  # noqa: E402
from test_watcher import HEAD, PASSWORD, email_bytes  # noqa: E402


def main() -> None:
    import logging
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(threadName)s %(message)s")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--lag-samples", type=int, default=40)
    ap.add_argument("--grammar", action="store_true")
    args = ap.parse_args()
    os.environ["BENCH_IMAP_PASSWORD"] = PASSWORD
    server = Dovecot({"head": PASSWORD}).start()
    tmp = Path(tempfile.mkdtemp(prefix="mail-lint-bench-"))
    try:
        raw = {"host": "127.0.0.1", "port": server.port, "security": "none", "user": "head",
               "password_env": "BENCH_IMAP_PASSWORD", "folders": ["INBOX"], "address": HEAD}
        config = validate({"imap": raw, "watch": {"idle_seconds": 10}, **({} if args.grammar else
                          {"rules": {"disable": ["grammar"]}})})
        with IMAPClient("127.0.0.1", port=server.port, ssl=False) as imap:
            imap.login("head", PASSWORD)
            t = time.perf_counter()
            for n in range(args.n):
                imap.append("INBOX", email_bytes(n))
            print(f"APPEND {args.n} messages: {args.n / (time.perf_counter() - t):.0f}/s")
        with Store.open(f"sqlite:///{tmp / 'bench.db'}") as store, open_services(config, start_languagetool=args.grammar) as services:
            watcher = Watcher(config, store, services)
            t = time.perf_counter()
            done = watcher.run_once()
            elapsed = time.perf_counter() - t
            print(f"backlog ({'with' if args.grammar else 'without'} grammar): {done} messages in {elapsed:.1f} s "
                  f"= {done / elapsed:.1f} messages/s, {watcher.concurrency()} at once")
            thread = threading.Thread(target=watcher.watch_folder, args=("INBOX",), daemon=True)
            thread.start()
            time.sleep(1.0)
            lags = []
            with IMAPClient("127.0.0.1", port=server.port, ssl=False) as imap:
                imap.login("head", PASSWORD)
                rng = random.Random(5)
                for i in range(args.lag_samples):
                    time.sleep(rng.uniform(0.1, 1.0))  # mail arrives at random moments, not in lockstep
                    n = 100_000 + i
                    t = time.perf_counter()
                    imap.append("INBOX", email_bytes(n))
                    while not store.has_message(f"<m{n}@alfa-solar.ru>"):
                        if time.perf_counter() - t > 30:
                            raise SystemExit(f"message {n} not stored after 30 s")
                        time.sleep(0.005)
                    lags.append(time.perf_counter() - t)
            watcher.stop.set()
            thread.join(timeout=10)
            if not lags:  # --lag-samples 0: the backlog rate only
                return
            lags.sort()
            print(f"IDLE lag APPEND -> stored verdict over {len(lags)} messages: "
                  f"p50 {statistics.median(lags) * 1000:.0f} ms, p95 {lags[int(len(lags) * .95) - 1] * 1000:.0f} ms")
    finally:
        if os.environ.get("KEEP_DOVECOT"):
            print(f"dovecot kept in {server.root}")
            server.stop()
        else:
            server.remove()


if __name__ == "__main__":
    main()
