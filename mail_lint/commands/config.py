"""`mail-lint config`: print the configuration in force (defaults merged with your file) as TOML."""
from __future__ import annotations

import sys

from ..config import add_config_option


def register(verbs) -> None:
    p = verbs.add_parser("config", help="print the configuration in force as TOML", description=__doc__,
                         epilog="`mail-lint config --defaults > mail-lint.toml` starts a config file of your own.")
    p.add_argument("--defaults", action="store_true", help="the built-in defaults, ignoring any config file")
    add_config_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..config import load, to_toml, validate
    config = validate({}) if args.defaults else load(args.config)
    sys.stdout.write(to_toml(config.data))
    return 0
