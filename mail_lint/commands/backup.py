"""`mail-lint backup PATH`: a consistent copy of the SQLite store, taken while the service and the watcher run
(SQLite's online backup API). PostgreSQL: pg_dump (README, "Backups and upgrades")."""
from __future__ import annotations

from ..config import add_config_option


def register(verbs) -> None:
    p = verbs.add_parser("backup", help="copy the SQLite store to PATH while everything keeps running",
                         description=__doc__)
    p.add_argument("path", metavar="PATH", help="the backup file to write (replaced if it exists; made 0600)")
    add_config_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    import sys

    from ..backup import backup
    from ..config import load
    from ..errors import UnusableInput
    from ..store import Store, StoreError

    config = load(args.config)
    try:
        with Store.open(config=config) as store:
            target = backup(store, args.path)
            count = store.count_messages()
    except StoreError as e:
        raise UnusableInput(str(e)) from None
    print(f"mail-lint: backed up the store to {target} ({count} messages at the end of the copy)", file=sys.stderr)
    return 0
