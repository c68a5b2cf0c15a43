"""`mail-lint languagetool install|start`: fetch LanguageTool from Maven Central; run it on loopback."""
from __future__ import annotations

import argparse

from ..config import add_config_option


def register(verbs) -> None:
    p = verbs.add_parser("languagetool", help="install or start the LanguageTool server (grammar check)",
                         description=__doc__)
    sub = p.add_subparsers(dest="lt_verb", metavar="ACTION", required=True, parser_class=type(p))
    install = sub.add_parser("install", help="assemble LanguageTool (ru+en) from Maven Central into the cache",
                             description="Fetches org.languagetool:languagetool-server (the newest 6.x that "
                             "resolves) with language-ru and language-en into $MAIL_LINT_LT_HOME "
                             "(default ~/.cache/mail-lint/languagetool). A no-op when it is already there.")
    install.add_argument("--version", dest="lt_version", metavar="V", help="a LanguageTool 6.x (default: newest)")
    install.add_argument("--force", action="store_true", help="fetch again even if the cache has it")
    add_config_option(install)
    install.set_defaults(run=_install)
    start = sub.add_parser("start", help="run LanguageTool on 127.0.0.1 in the foreground, print its URL",
                           description="Other mail-lint processes on this machine find and use it.")
    start.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    add_config_option(start)
    start.set_defaults(run=_start)


def _install(args: argparse.Namespace) -> int:
    from ..languagetool.install import run_install
    return run_install(args.lt_version, args.force)


def _start(args: argparse.Namespace) -> int:
    from ..languagetool.server import main
    return main(port=args.port)
