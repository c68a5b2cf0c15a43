"""`mail-lint VERB ...`: each verb lives in `mail_lint/commands/<verb>.py` with `register(subparsers)`."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__
from .errors import ConfigError, UnusableInput

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line on stderr, exit 2, as the contract says
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mail-lint", description="Email-quality linter for sales teams: named greeting, "
                     "signature standard, conciseness, call to action with a deadline, forwardability, grammar.")
    parser.add_argument("--version", action="version", version=f"mail-lint {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    from . import commands
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(verbs)
    return parser


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="config file (default: $MAIL_LINT_CONFIG, else ./mail-lint.toml, else built-in defaults)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.verb:
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args) or 0
    except (ConfigError, UnusableInput) as e:
        print(f"mail-lint: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
