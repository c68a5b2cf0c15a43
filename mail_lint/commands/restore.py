"""`mail-lint restore PATH`: replace the SQLite store's content with a backup from `mail-lint backup`.
Stop `serve` and `watch` first. The backup is checked (SQLite's integrity check, a mail-lint schema) before
the store is touched; one from an older version is brought up to date like any store."""
from __future__ import annotations

from ..config import add_config_option


def register(verbs) -> None:
    p = verbs.add_parser("restore", help="replace the SQLite store with a backup (stop serve and watch first)",
                         description=__doc__)
    p.add_argument("path", metavar="PATH", help="a backup file from `mail-lint backup`")
    add_config_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    import sys

    from ..backup import restore
    from ..config import load
    from ..errors import UnusableInput
    from ..store import Store, StoreError

    config = load(args.config)
    try:
        with Store.open(config=config) as store:
            restore(store, args.path)
        with Store.open(config=config) as store:  # migrates a backup from an older version
            count = store.count_messages()
    except StoreError as e:
        raise UnusableInput(str(e)) from None
    print(f"mail-lint: restored {args.path} ({count} messages)", file=sys.stderr)
    return 0
