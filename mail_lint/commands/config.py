"""`mail-lint config`: print the configuration in force (defaults merged with your file) as TOML."""
from __future__ import annotations

import sys

from ..config import add_config_option


def register(verbs) -> None:
    p = verbs.add_parser("config", help="print the configuration in force as TOML", description=__doc__,
                         epilog="`mail-lint config --example > /etc/mail-lint/mail-lint.toml` starts a config file "
                                "of your own: every section and key at its default, each explained.")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--defaults", action="store_true", help="the built-in defaults, ignoring any config file")
    shown.add_argument("--example", action="store_true",
                       help="a complete commented config file: every section and key at its default")
    add_config_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..config import example_toml, load, to_toml, validate
    if args.example:
        sys.stdout.write(example_toml())
        return 0
    config = validate({}) if args.defaults else load(args.config)
    sys.stdout.write(to_toml(config.data))
    return 0
