"""`mail-lint watch`: lint the long emails and proposals the head of sales is BCC'd on, as they arrive."""
from __future__ import annotations

import signal
import sys
import threading

from mail_lint.config import add_config_option, load
from mail_lint.logs import setup_logging


def register(verbs) -> None:
    p = verbs.add_parser("watch", help="watch the head of sales' mailbox ([imap] in the config)",
                         description=__doc__,
                         epilog="Password: $MAIL_LINT_IMAP_PASSWORD (or [imap] password_env / password_file). "
                                "Which mail is linted: [watch] in the config.")
    p.add_argument("--once", action="store_true", help="work through the backlog, then exit")
    p.add_argument("--skipped", action="store_true",
                   help="list the mail the watcher did not lint and why, newest first, then exit")
    p.add_argument("--limit", type=int, default=50, help="with --skipped: how many (default 50)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="with --skipped: text or json")
    p.add_argument("--metrics-port", type=int, default=None, metavar="PORT",
                   help="Prometheus metrics on http://127.0.0.1:PORT/metrics (default: [watch] metrics_port; 0: off)")
    add_config_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from mail_lint.services import open_services
    from mail_lint.store import Store, StoreError

    from .connection import AuthenticationFailed
    from .mailboxes import MailboxKeepers
    from .watcher import NETWORK_ERRORS, WatcherStopped

    setup_logging()
    config = load(args.config)
    if args.skipped:
        return list_skipped(config, args.limit, args.format)
    metrics_port = config.section("watch")["metrics_port"] if args.metrics_port is None else args.metrics_port
    if metrics_port:
        from mail_lint.metrics import serve_metrics
        try:
            serve_metrics(metrics_port)
        except OSError as e:
            print(f"mail-lint: cannot serve metrics on port {metrics_port}: {e.strerror}", file=sys.stderr)
            return 2
    try:
        with Store.open(config=config) as store, open_services(config, watchdog=not args.once) as services:
            # [imap] or each [[mailbox]] entry: a keeper that watches it while no other process does.
            watcher = MailboxKeepers(config, store, services, threading.Event())
            # SIGTERM (systemd stop): finish the message in hand, store its checkpoint, exit 0.
            signal.signal(signal.SIGTERM, lambda *_: watcher.stop.set())
            if not args.once:
                watcher.run_forever()
                return 0
            count = watcher.run_once()
    except AuthenticationFailed as e:
        print(f"mail-lint: {e}", file=sys.stderr)
        return 2
    except NETWORK_ERRORS as e:
        print(f"mail-lint: cannot reach the mailbox at {config.section('imap')['host']}: "
              f"{type(e).__name__}: {e}", file=sys.stderr)
        return 2
    except (StoreError, WatcherStopped) as e:  # no message is lost: the checkpoint stays where it was
        print(f"mail-lint: the watcher stopped: {e}", file=sys.stderr)
        return 1
    print(f"{count} messages handled" + (" (stopped by SIGTERM)" if watcher.stop.is_set() else ""), file=sys.stderr)
    return 0


def list_skipped(config, limit: int, fmt: str) -> int:
    """`watch --skipped`: when, what kind of reason, Message-ID and the reason itself."""
    import json

    from mail_lint.errors import UnusableInput
    from mail_lint.store import Store, StoreError

    if limit < 1:
        raise UnusableInput(f"--limit must be 1 or more, not {limit}")
    try:
        with Store.open(config=config) as store:
            rows = store.list_skipped(limit=limit, source="imap")
    except StoreError as e:
        raise UnusableInput(str(e)) from None
    if fmt == "json":
        print(json.dumps([{**row, "created_at": row["created_at"].isoformat()} for row in rows], ensure_ascii=False,
                         indent=2))
        return 0
    zone = config.timezone
    for row in rows:
        print(f"{row['created_at'].astimezone(zone):%Y-%m-%d %H:%M}  {row['kind']:<12} "
              f"{row['message_id'] or '-'}  {row['reason']}")
    if not rows:
        print("no skipped mail", file=sys.stderr)
    return 0
