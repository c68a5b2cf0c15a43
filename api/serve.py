"""`mail-lint serve [--host H] [--port P]`: the check service (API, paste-a-draft page) under uvicorn."""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import tempfile
from pathlib import Path

from mail_lint.config import CONFIG_ENV, add_config_option, load
from mail_lint.errors import UnusableInput
from mail_lint.logs import setup_logging
from mail_lint.metrics import MULTIPROC_ENV


def register(verbs) -> None:
    p = verbs.add_parser("serve", help="run the check service (API and the paste-a-draft page)", description=__doc__)
    p.add_argument("--host", default=None, help="address to listen on (default: [api] host, 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: [api] port, 8000)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: [api] workers, 1); linting is CPU-bound, so up to one per core")
    add_config_option(p)
    p.set_defaults(run=run)


def public_url(host: str, port: int, base_url: str = "") -> str:
    """What to open in a browser: `[api] base_url` when set (behind a proxy), else the listening address."""
    if base_url:
        return base_url.rstrip("/") + "/"
    if host in ("", "0.0.0.0", "::"):  # listening everywhere: this machine is reachable on loopback
        shown = "127.0.0.1"
    elif ":" in host:  # an IPv6 address goes in brackets in a URL
        shown = f"[{host}]"
    else:
        shown = host
    return f"http://{shown}:{port}/"


MASTER_ENV = "MAIL_LINT_SERVE_MASTER"  # the pid of `serve --workers N`, for its workers


def worker_app():
    """The app of one `serve --workers N` worker (uvicorn calls this factory in the worker process).

    A worker dies with its master: uvicorn's workers notice nothing when the master is killed (SIGKILL,
    the OOM killer), and would go on serving, each with its own LanguageTool, holding the port so that a
    restart fails with "address in use". The master forks every worker from its main thread, which lives
    as long as it does, as the parent-death signal needs. SIGTERM: the worker shuts down as on Ctrl-C,
    finishing the requests under way and stopping its LanguageTool.
    """
    from mail_lint.processes import die_with_parent
    setup_logging()  # a spawned worker starts with no logging of its own
    if os.environ.get(MASTER_ENV, "").isdigit():
        die_with_parent(signal.SIGTERM, int(os.environ[MASTER_ENV]))
    from .app import create_app
    return create_app()


def run_workers(workers: int, options: dict) -> None:
    """uvicorn's multi-process mode, with TCP_NODELAY on the shared socket: its workers do not set it on
    the connections they accept, and a keep-alive client then waits ~40 ms per response (delayed ACK)."""
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ[MASTER_ENV] = str(os.getpid())  # inherited by the workers uvicorn spawns
    # The workers' metrics meet in one folder that any worker's /metrics adds up (prometheus_client's
    # multi-process mode); a new one each run, as the library requires, unless the operator set one.
    own_metrics_dir = None
    if not os.environ.get(MULTIPROC_ENV):
        own_metrics_dir = tempfile.mkdtemp(prefix="mail-lint-metrics-")
        os.environ[MULTIPROC_ENV] = own_metrics_dir
    config = uvicorn.Config(f"{__name__}:worker_app", factory=True, workers=workers, **options)
    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by the accepted connections
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        if own_metrics_dir:
            shutil.rmtree(own_metrics_dir, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from mail_lint.store import Store, StoreError

    config = load(args.config)
    section = config.section("api")
    host, port = args.host or section["host"], args.port or section["port"]
    workers = args.workers or section["workers"]
    if not 1 <= port <= 65535 or workers < 1:
        raise UnusableInput(f"bad --port {port} or --workers {workers}")
    from .app import create_app
    try:  # opened here, not at app startup, so a bad store URL is one line and exit 2
        store = Store.open(config=config)
    except StoreError as e:
        raise UnusableInput(str(e)) from None
    # log_config=None: uvicorn's loggers pass their lines to ours (JSON lines when not on a terminal).
    options = {"host": host, "port": port, "log_level": "info", "server_header": False, "log_config": None}
    setup_logging()
    logging.getLogger("mail_lint.serve").info("mail-lint: serving on %s", public_url(host, port, section["base_url"]))
    # uvicorn handles SIGTERM itself (stops accepting, lets the requests under way finish), then raises the
    # signal again once it has shut down; this handler takes it then, so a clean stop exits 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        if workers == 1:
            uvicorn.run(create_app(config, store), **options)
        else:
            # Worker processes build their own app (and store connection) from the same config file.
            if args.config:
                os.environ[CONFIG_ENV] = str(Path(args.config).resolve())
            run_workers(workers, options)
    finally:
        store.close()
    return 0
