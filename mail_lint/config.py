"""`mail-lint.toml`: defaults, loading, and validation that names the bad key.

Sections of the checks (`[greeting]`, `[signature]`, `[grammar]`...) take their keys and defaults from
the checks' own `options`; the other sections are declared here. A value must have the type of its
default (an int is accepted where a float is expected).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .checks import SEVERITIES
from .errors import ConfigError
from .registry import load_checks

CONFIG_FILE = "mail-lint.toml"
CONFIG_ENV = "MAIL_LINT_CONFIG"

SERVICE_SECTIONS: dict[str, dict[str, Any]] = {
    "general": {"timezone": "Europe/Moscow", "default_language": "ru"},
    # refresh_seconds: how often a process looks for rule switches and dictionary words changed in the store.
    "rules": {"disable": [], "enable": [], "severity": {}, "refresh_seconds": 1.0},
    "store": {"url": "sqlite:///mail-lint.db"},
    # The check service (`mail-lint serve`); cors_origins is the add-in's origin(s), e.g. "https://addin.company.ru".
    # failed_tokens_per_minute: unknown tokens one client address may send a minute before it waits (0: no limit).
    "api": {"host": "127.0.0.1", "port": 8000, "base_url": "", "cors_origins": [],
            "max_body_bytes": 5 * 1024 * 1024, "workers": 1, "failed_tokens_per_minute": 10},
    "imap": {"host": "", "port": 993, "security": "tls", "user": "", "password_env": "MAIL_LINT_IMAP_PASSWORD",
             "password_file": "", "folders": ["INBOX"], "address": ""},
    "smtp": {"host": "", "port": 587, "security": "starttls", "user": "", "password_env": "MAIL_LINT_SMTP_PASSWORD",
             "password_file": "", "from": ""},
    # The IMAP watcher: which mail it lints, how it marks it, and the private feedback it sends.
    "watch": {"bcc_only": True, "select_all": False, "min_lines": 5, "proposal_patterns": [r"(?<![а-яё])кп(?![а-яё])", r"коммерческ\w* предложен",
                                                                           r"\bproposal\b", r"\bquot(?:e|ation)\b"],
              "priority_products": [], "keyword": "$MailLintChecked", "move_to": "", "poll_seconds": 30,
              "idle_seconds": 240, "max_backoff_seconds": 60, "batch": 50,
              "feedback": False, "company_domains": [], "feedback_per_hour": 10},
    # The LanguageTool servers behind the grammar check (its other keys come from the check, rules/grammar.py):
    # urls: servers to spread checks over (with `url`); servers: local JVMs to start when there are no urls.
    "grammar": {"urls": [], "servers": 1},
    # The weekly digest (mail_lint/digest): when `watch` sends it, to whom, and how it reads.
    "digest": {"schedule": True, "weekday": "monday", "time": "09:00", "recipients": [], "send_private": False,
               "rank_managers": True, "weeks_in_chart": 8, "top_rules": 3, "language": "",
               "sources": ["imap", "api", "cli"], "base_url": "", "review_share": 0.3},
}

# Keys whose value is one of a fixed set.
CHOICES = {
    ("imap", "security"): ("tls", "starttls", "none"),
    ("smtp", "security"): ("tls", "starttls", "none"),
    ("general", "default_language"): ("ru", "en"),
    ("digest", "weekday"): ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("digest", "language"): ("", "ru", "en"),
}


@dataclass
class Config:
    data: dict[str, dict[str, Any]]
    path: Path | None = None

    def section(self, name: str) -> dict[str, Any]:
        return self.data.get(name, {})

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.data["general"]["timezone"])

    def rule_enabled(self, name: str) -> bool:
        """`disable` and `enable` take names or prefixes ("wordiness", "wordiness.stop-word");
        the more specific entry wins."""
        def best(entries: list[str]) -> int:
            return max((len(e) for e in entries if name == e or name.startswith(e.rstrip(".") + ".")), default=-1)
        return best(self.data["rules"]["enable"]) >= best(self.data["rules"]["disable"])

    def check_wanted(self, check: str) -> bool:
        """Run a check when it is enabled, or when any of its rules is enabled by name."""
        return self.rule_enabled(check) or any(
            e.startswith(check + ".") and self.rule_enabled(e) for e in self.data["rules"]["enable"])

    def severity_for(self, name: str, default: str) -> str:
        overrides = self.data["rules"]["severity"]
        keys = [k for k in overrides if name == k or name.startswith(k.rstrip(".") + ".")]
        return overrides[max(keys, key=len)] if keys else default


def _schema() -> dict[str, dict[str, Any]]:
    schema = copy.deepcopy(SERVICE_SECTIONS)
    for check in load_checks():
        schema.setdefault(check.name, {}).update(copy.deepcopy(check.options))
    return schema


def _check_type(key: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, list):
        item_type = type(default[0]) if default else str  # an empty default means a list of strings
        ok = isinstance(value, list) and all(isinstance(v, item_type) for v in value)
    elif default is None:
        ok = True
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(f"{key}: expected {type(default).__name__}, got {value!r}")
    return value


def validate(raw: dict[str, Any], path: Path | None = None) -> Config:
    schema = _schema()
    data = copy.deepcopy(schema)
    for section, values in raw.items():
        if section not in schema:
            raise ConfigError(f"unknown section [{section}] (known: {', '.join(sorted(schema))})")
        if not isinstance(values, dict):
            raise ConfigError(f"{section}: expected a table")
        for key, value in values.items():
            full = f"{section}.{key}"
            if key not in schema[section]:
                raise ConfigError(f"unknown key {full} (known: {', '.join(sorted(schema[section]))})")
            value = _check_type(full, value, schema[section][key])
            allowed = CHOICES.get((section, key))
            if allowed and value not in allowed:
                raise ConfigError(f"{full}: {value!r} is not one of {', '.join(allowed)}")
            data[section][key] = value
    try:
        ZoneInfo(data["general"]["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"general.timezone: unknown time zone {data['general']['timezone']!r}") from None
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", data["digest"]["time"]):
        raise ConfigError(f"digest.time: {data['digest']['time']!r} is not a time of day (HH:MM, e.g. \"09:00\")")
    if not 1 <= data["grammar"]["servers"] <= 16:
        raise ConfigError("grammar.servers: expected 1 to 16")
    if not 0 <= data["digest"]["review_share"] <= 1:
        raise ConfigError("digest.review_share: expected a share from 0 to 1, e.g. 0.3")
    if not 1 <= data["digest"]["weeks_in_chart"] <= 52:
        raise ConfigError("digest.weeks_in_chart: expected 1 to 52")
    if not 0 <= data["rules"]["refresh_seconds"] <= 3600:
        raise ConfigError("rules.refresh_seconds: expected 0 to 3600 seconds")
    for name, severity in data["rules"]["severity"].items():
        if severity not in SEVERITIES:
            raise ConfigError(f"rules.severity.{name}: {severity!r} is not one of {', '.join(SEVERITIES)}")
    for check in load_checks():
        if check.validate is not None:
            check.validate(data[check.name], path.parent if path else None)
    return Config(data=data, path=path)


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """The `--config FILE` every verb takes."""
    parser.add_argument("--config", metavar="FILE",
                        help="config file (default: $MAIL_LINT_CONFIG, else ./mail-lint.toml, else built-in defaults)")


def load(path: str | os.PathLike | None = None) -> Config:
    """`--config`, else $MAIL_LINT_CONFIG, else ./mail-lint.toml, else the embedded defaults."""
    chosen = path or os.environ.get(CONFIG_ENV) or (CONFIG_FILE if Path(CONFIG_FILE).is_file() else None)
    if not chosen:
        return validate({})
    p = Path(chosen)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {p}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p}: not valid TOML: {e}") from None
    return validate(raw, p)


def read_password(section: dict, name: str) -> str:
    """A password from the file in `password_file`, else the environment variable named by `password_env`."""
    if section.get("password_file"):
        try:
            return Path(section["password_file"]).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise ConfigError(f"{name}.password_file: cannot read {section['password_file']}: {e.strerror}") from None
    value = os.environ.get(section.get("password_env") or "")
    if value is None:
        raise ConfigError(f"{name}: set the password in ${section.get('password_env')} or {name}.password_file")
    return value


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML form for {value!r}")


def to_toml(data: dict) -> str:
    """A configuration's sections as TOML that `load` reads back."""
    out = []
    for section, values in data.items():
        out.append(f"[{section}]")
        out += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
        out.append("")
    return "\n".join(out)
