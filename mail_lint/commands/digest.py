"""`mail-lint digest`: a week of verdicts per manager, as HTML, Markdown, JSON, CSV or text, or sent by SMTP."""
from __future__ import annotations

import sys
from pathlib import Path

from ..config import add_config_option

FORMATS = ("html", "md", "json", "csv", "text")


def register(verbs) -> None:
    p = verbs.add_parser("digest", help="the weekly digest: scores per manager, trends, repeated mistakes",
                         description=__doc__,
                         epilog="Weeks are ISO weeks in [general] timezone. Who gets it, ranking, language: "
                                "[digest] in the config; sending uses [smtp].")
    p.add_argument("--week", metavar="YYYY-Www", help="the ISO week, e.g. 2025-W49 (default: the last complete week)")
    p.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--private", metavar="EMAIL", help="only this manager's own numbers (their private digest)")
    p.add_argument("--language", choices=("ru", "en"),
                   help="default: [digest] language, else [general] default_language")
    p.add_argument("--send", action="store_true",
                   help="send it now by SMTP: to [digest] recipients, and private digests if send_private")
    add_config_option(p)
    p.set_defaults(run=run)


def _fail(message: str) -> int:
    print(f"mail-lint: {message}", file=sys.stderr)
    return 2


def run(args) -> int:
    from ..config import load
    from ..digest import WeekError, digest_json, private_digest
    from ..digest.i18n import language_of
    from ..digest.render import render
    from ..links import link_secret
    from ..store import Store, StoreError

    config = load(args.config)
    language = language_of(config, args.language)
    try:
        with Store.open(config=config) as store:
            digest = digest_json(store, config, args.week)
    except WeekError as e:
        return _fail(f"--week: {e}")
    except StoreError as e:
        return _fail(str(e))
    if args.private:
        digest = private_digest(digest, args.private,
                                link_secret(config) if digest.get("links", {}).get("base") else None)
        if digest is None:
            return _fail(f"--private: {args.private} sent no checked email in that week")
    if args.send:
        return _send(digest, config, language, private_only=bool(args.private), output=args.output,
                     fmt=args.format)
    _write(render(digest, args.format, language), args.output)
    return 0


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _send(digest: dict, config, language: str, *, private_only: bool, output: str | None, fmt: str) -> int:
    from ..digest.render import render
    from ..digest.send import PRIVATE, Outgoing, build_email, plan, sender_of, smtp_sender
    from ..store import Store, StoreError

    send = smtp_sender(config)
    if private_only:  # --private with --send: that manager's digest to that manager only
        to = digest["recipient"]
        outgoing = [Outgoing(PRIVATE, to, build_email(digest, language, sender_of(config), to))]
    else:
        try:
            with Store.open(config=config) as store:  # each team head's digest is computed from it
                outgoing = plan(digest, config, language, store)
        except StoreError as e:
            return _fail(str(e))
    for item in outgoing:
        try:
            send(item.mail)
        except OSError as e:
            return _fail(f"cannot send the digest to {item.recipient} via {config.section('smtp')['host']}: "
                         f"{type(e).__name__}: {e}")
        print(f"sent the {digest['week']} digest ({item.kind}) to {item.recipient}", file=sys.stderr)
    if output:
        _write(render(digest, fmt, language), output)
    return 0
