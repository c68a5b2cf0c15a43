"""`mail-lint check`: lint .eml files or plain-text drafts; exit 0 clean, 1 error findings, 2 unusable input."""
from __future__ import annotations

import argparse
import json
import sys

from ..config import add_config_option
from ..explain import better, reading_order, reason
from ..verdict import Verdict
from ..errors import UnusableInput

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2


def register(verbs) -> None:
    p = verbs.add_parser("check", help="lint emails or drafts", description=__doc__,
                         epilog="Input that begins with RFC 822 headers is a message; anything else is a draft "
                                "whose headers come from --subject/--to/--from/--date.")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".eml file, plain-text draft, or - for stdin")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--subject", default="", help="a draft's subject")
    p.add_argument("--to", action="append", default=[], metavar="ADDR", help="a draft's recipient (repeatable)")
    p.add_argument("--cc", action="append", default=[], metavar="ADDR", help="a draft's Cc recipient (repeatable)")
    p.add_argument("--from", dest="sender", default="", metavar="ADDR", help="a draft's sender")
    p.add_argument("--date", default=None, help="a draft's date (ISO 8601 or RFC 2822; default: now)")
    p.add_argument("--attach", action="append", default=[], metavar="NAME", help="a draft's attachment file name")
    p.add_argument("--save", action="store_true", help="store the verdicts (see [store] url)")
    p.add_argument("--start-languagetool", action="store_true",
                   help="start a LanguageTool server for this run when none is running (slow: a JVM start); "
                        "by default grammar uses [grammar] url or `mail-lint languagetool start`, else is unavailable")
    add_config_option(p)
    p.set_defaults(run=run)


def _read(path: str) -> bytes:
    """The input, refused past the MIME parser's own limit. Reading stops there, so /dev/zero or a
    runaway pipe is one line and exit 2, not all of the machine's memory."""
    from ..mime import MAX_RAW_BYTES
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_RAW_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_RAW_BYTES + 1)
    except OSError as e:
        raise UnusableInput(f"cannot read {path}: {e.strerror or e}") from None
    if len(data) > MAX_RAW_BYTES:
        raise UnusableInput(f"over the size limit of {MAX_RAW_BYTES} bytes")
    return data


def _draft_fields(args) -> dict:
    from datetime import datetime, timezone

    from ..message import parse_date
    from ..model import Attachment
    if args.date is None:
        date = datetime.now(timezone.utc).replace(microsecond=0)
    elif (date := parse_date(args.date)) is None:  # a typo must not silently become "now"
        raise UnusableInput(f"--date: cannot read {args.date!r} as a date (ISO 8601 like 2025-12-03T10:15:00+03:00, "
                            "or RFC 2822 like 'Wed, 03 Dec 2025 10:15:00 +0300')")
    return {"subject": args.subject, "to": args.to, "cc": args.cc, "sender": args.sender, "date": date,
            "attachments": [Attachment(name) for name in args.attach]}


def format_text(label: str, verdict: Verdict) -> str:
    """Compiler-style, one finding per line, errors first: `path:line:col: severity name: message`,
    then what to write instead; the last line is the verdict in words («Не пройдена: орфография ×2»)."""
    language = verdict.message.language
    lines = []
    for f in reading_order(verdict.findings):
        instead = better(f)
        arrow = f" → {instead}" if instead and instead in f.replacements else f" ({instead})" if instead else ""
        lines.append(f"{label}:{f.line}:{f.column}: {f.severity} {f.name}: {f.message}{arrow}")
    summary = f"{label}: score {verdict.score}/100, {'passed' if verdict.passed else 'failed'}: {reason(verdict, language)}"
    return "\n".join(lines + [summary])


def run(args: argparse.Namespace) -> int:
    from ..checking import lint_and_store
    from ..config import load
    from ..message import read_input
    from ..services import open_services
    from ..team import load_teaching

    config = load(args.config)
    draft = _draft_fields(args)
    outputs, exit_code = [], EXIT_OK
    store = None
    if args.save:
        from ..store import Store, StoreError
        try:
            store = Store.open(config=config)
        except StoreError as e:
            raise UnusableInput(str(e)) from None
    # With a store at hand, the team's dictionary and rule switches apply as they do in the service.
    teaching = load_teaching(store) if store is not None else None
    with open_services(config, start_languagetool=args.start_languagetool) as services:
        for path in args.paths:
            label = "<stdin>" if path == "-" else path
            try:
                message = read_input(_read(path), **draft)
            except UnusableInput as e:
                print(f"{label}: {e}", file=sys.stderr)
                exit_code = EXIT_UNUSABLE
                continue
            verdict, _ = lint_and_store(message, config, services, store, source="cli", teaching=teaching)
            if not verdict.passed and exit_code == EXIT_OK:
                exit_code = EXIT_ERRORS
            outputs.append(verdict.to_json() if args.format == "json" else format_text(label, verdict))
    if store is not None:
        store.close()
    if args.format == "json":
        if outputs:
            json.dump(outputs[0] if len(outputs) == 1 and len(args.paths) == 1 else outputs,
                      sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
    else:
        for out in outputs:
            print(out)
    return exit_code
