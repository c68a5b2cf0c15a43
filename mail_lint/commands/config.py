"""`mail-lint config`: print the configuration in force (defaults merged with your file) as TOML."""
from __future__ import annotations

import json
import sys

from ..cli import add_config_option


def register(verbs) -> None:
    p = verbs.add_parser("config", help="print the configuration in force as TOML", description=__doc__,
                         epilog="`mail-lint config --defaults > mail-lint.toml` starts a config file of your own.")
    p.add_argument("--defaults", action="store_true", help="the built-in defaults, ignoring any config file")
    add_config_option(p)
    p.set_defaults(run=run)


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML form for {value!r}")


def to_toml(data: dict) -> str:
    out = []
    for section, values in data.items():
        out.append(f"[{section}]")
        out += [f"{key} = {_value(value)}" for key, value in values.items()]
        out.append("")
    return "\n".join(out)


def run(args) -> int:
    from ..config import load, validate
    config = validate({}) if args.defaults else load(args.config)
    sys.stdout.write(to_toml(config.data))
    return 0
