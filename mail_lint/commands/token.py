"""`mail-lint token create|list|revoke`: API tokens of the check service.

`create --role manager|head --email E [--expires WHEN]` issues a token, printed once and stored hashed;
`list` shows every token (id, role, email, created, last used, expiry, status), never the token itself;
`revoke ID` refuses it from the next request on, on every worker.
"""
from __future__ import annotations

import argparse
from datetime import datetime

from ..config import add_config_option
from ..tokens import ROLES


def register(verbs) -> None:
    p = verbs.add_parser("token", help="manage API tokens of the check service", description=__doc__,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    create = actions.add_parser("create", help="issue a new token (printed once, as the last line)")
    create.add_argument("--role", required=True, choices=ROLES,
                        help="manager: checks drafts, reads own verdicts; head: reads all verdicts and the digest")
    create.add_argument("--email", required=True, help="whose token it is (a manager sees verdicts sent from it)")
    create.add_argument("--expires", metavar="WHEN",
                        help="when it stops working: a number of days (90d) or hours (12h), a date (2026-12-31: "
                             "valid through that day in [general] timezone) or an ISO date-time; default: never")
    add_config_option(create)
    create.set_defaults(run=run_create)

    listing = actions.add_parser("list", help="every token: id, role, email, created, last used, expiry, status")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    add_config_option(listing)
    listing.set_defaults(run=run_list)

    revoke = actions.add_parser("revoke", help="refuse a token from now on (its id from `token list`)")
    revoke.add_argument("id", type=int, metavar="ID")
    add_config_option(revoke)
    revoke.set_defaults(run=run_revoke)


def parse_expiry(text: str, timezone) -> datetime:
    """`90d`, `12h`, `2026-12-31` (through that day) or `2026-12-31T18:00[+03:00]` as an aware datetime."""
    import re
    from datetime import date, timedelta

    from ..errors import UnusableInput
    from ..store.models import utcnow

    text = text.strip()
    if match := re.fullmatch(r"(\d{1,5})\s*([dh])", text, re.I):
        amount = int(match[1])
        return utcnow() + (timedelta(days=amount) if match[2].lower() == "d" else timedelta(hours=amount))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime.combine(day + timedelta(days=1), datetime.min.time(), timezone)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UnusableInput(f"--expires: {text!r} is not 90d, 12h, a date or an ISO date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone)


def run_create(args: argparse.Namespace) -> int:
    from ..config import load
    from ..errors import UnusableInput
    from ..store import Store, StoreError
    from ..tokens import checked_email, create_token

    email = checked_email(args.email)  # before touching the config or the store
    config = load(args.config)
    expires_at = parse_expiry(args.expires, config.timezone) if args.expires else None
    try:
        with Store.open(config=config) as store:
            token = create_token(store, args.role, email, expires_at)
    except StoreError as e:
        raise UnusableInput(str(e)) from None
    until = f", valid until {expires_at.astimezone(config.timezone):%Y-%m-%d %H:%M %Z}" if expires_at else ""
    print(f"New {args.role} token for {email}{until}; it is shown only once, keep it:")
    print(token)
    return 0


def run_list(args: argparse.Namespace) -> int:
    import json

    from ..config import load
    from ..errors import UnusableInput
    from ..store import Store, StoreError
    from ..tokens import list_tokens

    config = load(args.config)
    try:
        with Store.open(config=config) as store:
            tokens = list_tokens(store)
    except StoreError as e:
        raise UnusableInput(str(e)) from None
    if args.format == "json":
        print(json.dumps([{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in t.items()}
                          for t in tokens], ensure_ascii=False, indent=2))
        return 0
    zone = config.timezone

    def shown(moment) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "-"

    rows = [("ID", "ROLE", "EMAIL", "CREATED", "LAST USED", "EXPIRES", "STATUS")]
    rows += [(str(t["id"]), t["role"], t["email"], shown(t["created_at"]), shown(t["last_used_at"]),
              shown(t["expires_at"]), t["status"]) for t in tokens]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from ..config import load
    from ..errors import UnusableInput
    from ..store import Store, StoreError
    from ..tokens import revoke_token

    config = load(args.config)
    try:
        with Store.open(config=config) as store:
            revoked = revoke_token(store, args.id)
    except StoreError as e:
        raise UnusableInput(str(e)) from None
    print(f"token {args.id} revoked" if revoked else f"token {args.id} was already revoked")
    return 0
