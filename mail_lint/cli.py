"""`mail-lint VERB ...`: each verb is a module with `register(subparsers)`: the core's verbs in
`mail_lint/commands/<verb>.py`, and the apps' own (`api/serve.py`, `imap_watcher/watch.py`)."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from .errors import ConfigError, UnusableInput

EXIT_USAGE = 2
# The apps' verbs, found by name like the checks: the CLI is an app too, and apps import no other app.
APP_VERBS = ("mail_lint.api.serve", "mail_lint.imap_watcher.watch")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line on stderr, exit 2, as the contract says
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mail-lint", description="Email-quality linter for sales teams: named greeting, "
                     "signature standard, conciseness, call to action with a deadline, forwardability, grammar.")
    parser.add_argument("--version", action="version", version=f"mail-lint {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    modules = [f"{commands.__name__}.{info.name}" for info in pkgutil.iter_modules(commands.__path__)]
    for name in sorted((*modules, *APP_VERBS), key=lambda name: name.rsplit(".", 1)[-1]):  # by verb
        importlib.import_module(name).register(verbs)
    return parser


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
