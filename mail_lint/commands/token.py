"""`mail-lint token create --role manager|head --email E`: issue an API token; printed once, stored hashed."""
from __future__ import annotations

import argparse

from ..config import add_config_option
from ..tokens import ROLES


def register(verbs) -> None:
    p = verbs.add_parser("token", help="manage API tokens of the check service", description=__doc__)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    create = actions.add_parser("create", help="issue a new token (printed once, as the last line)")
    create.add_argument("--role", required=True, choices=ROLES,
                        help="manager: checks drafts, reads own verdicts; head: reads all verdicts and the digest")
    create.add_argument("--email", required=True, help="whose token it is (a manager sees verdicts sent from it)")
    add_config_option(create)
    create.set_defaults(run=run_create)


def run_create(args: argparse.Namespace) -> int:
    from ..config import load
    from ..errors import UnusableInput
    from ..store import Store, StoreError
    from ..tokens import checked_email, create_token

    email = checked_email(args.email)  # before touching the config or the store
    config = load(args.config)
    try:
        with Store.open(config=config) as store:
            token = create_token(store, args.role, email)
    except StoreError as e:
        raise UnusableInput(str(e)) from None
    print(f"New {args.role} token for {email}; it is shown only once, keep it:")
    print(token)
    return 0
