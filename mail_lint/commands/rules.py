"""`mail-lint rules`: the rule catalogue (codes, names, severities, docs) as Markdown or JSON."""
from __future__ import annotations

import json
import sys

from ..config import add_config_option


def register(verbs) -> None:
    p = verbs.add_parser("rules", help="list the rules and their docs", description=__doc__)
    p.add_argument("--format", choices=("md", "json"), default="md")
    p.add_argument("--update-readme", metavar="README", help="rewrite the README's generated sections (rule catalogue, config defaults)")
    add_config_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from pathlib import Path

    from ..catalogue import catalogue, catalogue_markdown, update_readme
    if args.update_readme:
        changed = update_readme(Path(args.update_readme))
        print(f"{args.update_readme}: {'updated' if changed else 'already up to date'}")
    elif args.format == "json":
        json.dump(catalogue(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(catalogue_markdown())
    return 0
