"""Latency and throughput of `POST /v1/check` on a real `mail-lint serve`, with and without grammar.

    python bench/api_latency.py [--n 300] [--concurrency 1,4] [--workers 2] [--lt-url URL] [--no-save]

Posts a corpus of drafts (bench/emails.py: ~150-word Russian and English sales emails) as JSON from
1 and 4 concurrent clients (threads with keep-alive connections) and prints p50 / p95 latency and
requests/s. Verdicts are stored (source api) unless --no-save, as in production.

With grammar: needs a LanguageTool server (`--lt-url`, $MAIL_LINT_LT_URL, or the service's own, per
[grammar] in the config the service is started with) and a grammar check in this build; the same
texts are then also sent to LanguageTool directly, and its own p95 is printed beside ours.
Issue goals: with grammar, p95 <= 1.5 x LanguageTool's p95 at concurrency 4; without grammar
>= 100 requests/s on 2 cores. Without LanguageTool the grammar half is skipped with the reason.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from emails import sales_emails  # noqa: E402

from mail_lint.registry import load_checks  # noqa: E402
from mail_lint.store import Store  # noqa: E402
from mail_lint.tokens import create_token  # noqa: E402


def announced_languagetool() -> str:
    """The URL of a server from `mail-lint languagetool start`, when this build has that verb and one runs."""
    try:
        from mail_lint.languagetool import announced_url
    except ImportError:
        return ""
    return announced_url() or ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Service:
    """`mail-lint serve` in a subprocess on a free port, with its own SQLite file and a head token."""

    def __init__(self, workdir: Path, config_text: str, workers: int = 1) -> None:
        self.config = workdir / "mail-lint.toml"
        db = workdir / "verdicts.db"
        self.config.write_text(f'[store]\nurl = "sqlite:///{db}"\n{config_text}', encoding="utf-8")
        with Store.open(f"sqlite:///{db}") as store:
            self.token = create_token(store, "head", "bench@alfa-solar.ru")
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": ""}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mail_lint", "serve", "--port", str(self.port), "--config", str(self.config),
             "--workers", str(workers)],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"mail-lint serve exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("mail-lint serve did not come up")

    def ready(self) -> dict:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=10) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            return json.load(e)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def run_clients(port: int, path: str, bodies: list[bytes], headers: dict,
                concurrency: int) -> tuple[list[float], float]:
    """Each body posted once, by `concurrency` threads sharing the list; (latencies in s, wall time)."""
    latencies: list[float] = []
    lock = threading.Lock()
    queue = list(reversed(bodies))
    failures: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    failures.append(f"HTTP {response.status}")
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return latencies, wall


def report(label: str, latencies: list[float], wall: float) -> float:
    p95 = percentile(latencies, 95)
    print(f"  {label:<34} n={len(latencies):<4} p50 {percentile(latencies, 50) * 1000:7.1f} ms   "
          f"p95 {p95 * 1000:7.1f} ms   {len(latencies) / wall:7.1f} req/s")
    return p95


def check_requests(service: Service, drafts: list[dict], save: bool) -> tuple[str, list[bytes], dict]:
    path = f"/v1/check?save={str(save).lower()}"
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {service.token}"}
    return path, [json.dumps(d, ensure_ascii=False).encode() for d in drafts], headers


def languagetool_requests(lt_url: str, drafts: list[dict]) -> tuple[int, str, list[bytes], dict]:
    """The same texts as form posts to LanguageTool's /v2/check (its own latency, no mail-lint around it)."""
    parsed = urllib.parse.urlsplit(lt_url)
    bodies = [urllib.parse.urlencode({"text": d["text"], "language": "ru-RU" if d["language"] == "ru" else "en-US"})
              .encode() for d in drafts]
    return parsed.port or 80, parsed.path.rstrip("/") + "/v2/check", bodies, \
        {"Content-Type": "application/x-www-form-urlencoded"}


def clients(c: int) -> str:
    return f"{c} client{'s' if c > 1 else ''}"


def bench_plain(service: Service, drafts: list[dict], concurrencies: list[int], save: bool) -> None:
    path, bodies, headers = check_requests(service, drafts, save)
    run_clients(service.port, path, bodies[:30], headers, 2)  # warm-up: word lists, morphology, connections
    for c in concurrencies:
        report(f"mail-lint, {clients(c)}", *run_clients(service.port, path, bodies, headers, c))


def bench_grammar(service: Service, lt_url: str, drafts: list[dict], concurrencies: list[int], save: bool) -> None:
    """LanguageTool alone and mail-lint with grammar, one after the other per concurrency, on a warm JVM."""
    path, bodies, headers = check_requests(service, drafts, save)
    lt_port, lt_path, lt_bodies, lt_headers = languagetool_requests(lt_url, drafts)
    run_clients(lt_port, lt_path, lt_bodies, lt_headers, 4)  # JIT warm-up on every text, not measured
    run_clients(service.port, path, bodies[:30], headers, 2)
    for c in concurrencies:
        theirs = report(f"LanguageTool alone, {clients(c)}", *run_clients(lt_port, lt_path, lt_bodies, lt_headers, c))
        ours = report(f"mail-lint with grammar, {clients(c)}", *run_clients(service.port, path, bodies, headers, c))
        print(f"  p95 at {clients(c)}: {ours / theirs:.2f} x LanguageTool's own (goal at 4 clients: <= 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="drafts per run (default 300)")
    parser.add_argument("--concurrency", default="1,4", help="comma-separated client counts (default 1,4)")
    parser.add_argument("--lt-url", default=os.environ.get("MAIL_LINT_LT_URL") or announced_languagetool(),
                        help="a running LanguageTool server for the grammar half "
                             "(default: $MAIL_LINT_LT_URL, else the one `mail-lint languagetool start` runs)")
    parser.add_argument("--workers", type=int, default=1, help="service worker processes (default 1)")
    parser.add_argument("--no-save", action="store_true", help="do not store verdicts (save=false)")
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    drafts = sales_emails(args.n)
    has_grammar = any(c.name == "grammar" for c in load_checks())
    print(f"POST /v1/check, {args.n} drafts (~150 words, 2/3 Russian), verdicts "
          f"{'not stored' if args.no_save else 'stored'}, {args.workers} worker(s), {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory(prefix="mail-lint-bench-") as tmp:
        print("without grammar:")
        (Path(tmp) / "plain").mkdir()
        service = Service(Path(tmp) / "plain", '[rules]\ndisable = ["grammar"]\n', args.workers)
        try:
            bench_plain(service, drafts, concurrencies, not args.no_save)
        finally:
            service.stop()

        print("with grammar:")
        if not has_grammar:
            print("  skipped: this build has no grammar check yet (rules/grammar.py)")
            return
        (Path(tmp) / "grammar").mkdir()
        grammar_config = f'[grammar]\nurl = "{args.lt_url}"\n' if args.lt_url else ""
        service = Service(Path(tmp) / "grammar", grammar_config, args.workers)
        try:
            ready = service.ready()
            if not ready.get("languagetool", {}).get("ok"):
                print(f"  skipped: LanguageTool is not reachable ({ready.get('languagetool', {}).get('detail')}); "
                      "start one and pass --lt-url")
                return
            if not args.lt_url:
                print("  LanguageTool is up, but its own latency needs its URL: pass --lt-url")
                return
            bench_grammar(service, args.lt_url, drafts, concurrencies, not args.no_save)
        finally:
            service.stop()


if __name__ == "__main__":
    main()
