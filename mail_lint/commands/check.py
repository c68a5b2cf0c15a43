"""`mail-lint check`: lint .eml files or plain-text drafts; exit 0 clean, 1 error findings, 2 unusable input.

With --fix, --diff or --write it shows or applies the shortened email (the verdict's `rewrite`: only the
greeting and body change, never the signature or the quoted history) instead of listing the findings; the
exit code still says whether the email as written has an error finding."""
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
                                "whose headers come from --subject/--to/--from/--date. --fix, --diff and --write "
                                "change only what is safe; what cannot be made to fit stays advice in the findings.")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".eml file, plain-text draft, or - for stdin")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--subject", default="", help="a draft's subject")
    p.add_argument("--to", action="append", default=[], metavar="ADDR", help="a draft's recipient (repeatable)")
    p.add_argument("--cc", action="append", default=[], metavar="ADDR", help="a draft's Cc recipient (repeatable)")
    p.add_argument("--from", dest="sender", default="", metavar="ADDR", help="a draft's sender")
    p.add_argument("--date", default=None, help="a draft's date (ISO 8601 or RFC 2822; default: now)")
    p.add_argument("--attach", action="append", default=[], metavar="NAME", help="a draft's attachment file name")
    p.add_argument("--save", action="store_true", help="store the verdicts (see [store] url)")
    fixing = p.add_mutually_exclusive_group()
    fixing.add_argument("--fix", action="store_true",
                        help="print the whole message text with the greeting and body shortened (the safe edits "
                             "applied: shorter forms that fit the sentence, empty words deleted); one PATH only")
    fixing.add_argument("--diff", action="store_true",
                        help="print a unified diff of each message text against its shortened version")
    fixing.add_argument("--write", action="store_true",
                        help="rewrite plain-text draft files in place with the shortened text (an .eml message "
                             "or stdin is refused: use --fix); prints what changed per file")
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


def _fixing(args) -> str | None:
    return "--fix" if args.fix else "--diff" if args.diff else "--write" if args.write else None


def _check_fix_usage(args) -> None:
    option = _fixing(args)
    if option and args.format != "text":
        raise UnusableInput(f"{option} prints text: it cannot be combined with --format {args.format}")
    if args.fix and len(args.paths) != 1:
        raise UnusableInput("--fix prints one message: give one PATH (or use --write for several drafts)")
    if args.write and "-" in args.paths:
        raise UnusableInput("--write rewrites files in place: stdin (-) has no file to write (use --fix)")


def _shortened(verdict: Verdict) -> str:
    from ..rewrite import rewritten_message_text
    return rewritten_message_text(verdict.message.text, verdict.rewrite)


def _diff(label: str, verdict: Verdict) -> str:
    import difflib
    before, after = verdict.message.text, _shortened(verdict)
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{label}", tofile=f"b/{label}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _write_in_place(path: str, raw: bytes, verdict: Verdict) -> str:
    """Rewrite the draft file with its shortened text; a one-line report. Refuses (UnusableInput) what it
    cannot write back exactly: a message with MIME headers, or a draft the parser had to alter (cut for size,
    NUL bytes, not UTF-8), where writing the parsed text back would change more than the edits."""
    import os
    import tempfile
    from ..message import looks_like_rfc822
    if looks_like_rfc822(raw):
        raise UnusableInput("--write rewrites plain-text drafts only: this is an email with MIME headers, whose "
                            "body may be encoded (use --fix to print the shortened text)")
    rewrite = verdict.rewrite
    if not rewrite.edits:
        return f"{path}: nothing to shorten"
    try:
        original = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnusableInput("--write needs a UTF-8 draft; this one is in another encoding (use --fix)") from None
    text = verdict.message.text
    if verdict.message.truncated or original not in (text, text.replace("\n", "\r\n")):
        raise UnusableInput("--write cannot rewrite this draft exactly (it was cut for size or has mixed line "
                            "ends or NUL bytes); use --fix")
    shortened = _shortened(verdict)
    if original != text:
        shortened = shortened.replace("\n", "\r\n")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=folder, delete=False,
                                         prefix=".mail-lint-", suffix=".tmp") as out:
            out.write(shortened)
        os.chmod(out.name, mode)
        os.replace(out.name, path)   # all or nothing: a failed write leaves the draft as it was
    except OSError as e:
        if "out" in locals() and os.path.exists(out.name):
            os.unlink(out.name)
        raise UnusableInput(f"cannot write {path}: {e.strerror or e}") from None
    saved = rewrite.words_before - rewrite.words_after
    edits = len(rewrite.edits)
    return (f"{path}: shortened by {saved} words ({rewrite.words_before} → {rewrite.words_after}), "
            f"{edits} edit{'s' if edits != 1 else ''}")


def run(args: argparse.Namespace) -> int:
    from ..checking import lint_and_store
    from ..config import load
    from ..message import read_input
    from ..services import open_services
    from ..team import load_teaching

    _check_fix_usage(args)
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
                raw = _read(path)
                message = read_input(raw, **draft)
            except UnusableInput as e:
                print(f"{label}: {e}", file=sys.stderr)
                exit_code = EXIT_UNUSABLE
                continue
            verdict, _ = lint_and_store(message, config, services, store, source="cli", teaching=teaching)
            if args.write:
                try:
                    outputs.append(_write_in_place(path, raw, verdict))
                except UnusableInput as e:
                    print(f"{label}: {e}", file=sys.stderr)
                    exit_code = EXIT_UNUSABLE
                    continue
            elif args.fix:
                outputs.append(_shortened(verdict))
            elif args.diff:
                outputs.append(_diff(label, verdict))
            else:
                outputs.append(verdict.to_json() if args.format == "json" else format_text(label, verdict))
            if not verdict.passed and exit_code == EXIT_OK:
                exit_code = EXIT_ERRORS
    if store is not None:
        store.close()
    if args.format == "json":
        if outputs:
            json.dump(outputs[0] if len(outputs) == 1 and len(args.paths) == 1 else outputs,
                      sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
    elif args.fix or args.diff:
        sys.stdout.write("".join(outputs))   # the text exactly: no newline added at its end
    else:
        for out in outputs:
            print(out)
    return exit_code
