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
import textwrap
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
            "max_body_bytes": 5 * 1024 * 1024, "workers": 1, "failed_tokens_per_minute": 10, "link_secret": ""},
    "imap": {"host": "", "port": 993, "security": "tls", "user": "", "password_env": "MAIL_LINT_IMAP_PASSWORD",
             "password_file": "", "folders": ["INBOX"], "address": ""},
    "smtp": {"host": "", "port": 587, "security": "starttls", "user": "", "password_env": "MAIL_LINT_SMTP_PASSWORD",
             "password_file": "", "from": ""},
    # The IMAP watcher: which mail it lints, how it marks it, and the private feedback it sends.
    "watch": {"bcc_only": True, "select_all": False, "min_lines": 5, "reading_width": 80, "min_words": 0, "proposal_patterns": [r"(?<![а-яё])кп(?![а-яё])", r"коммерческ\w* предложен",
                                                                           r"\bproposal\b", r"\bquot(?:e|ation)\b"],
              "priority_products": [], "keyword": "$MailLintChecked", "move_to": "", "poll_seconds": 30,
              "idle_seconds": 240, "max_backoff_seconds": 60, "batch": 50,
              "feedback": False, "company_domains": [], "feedback_per_hour": 10, "metrics_port": 0,
              "failover_seconds": 5},
    # The LanguageTool servers behind the grammar check (its other keys come from the check, rules/grammar.py):
    # urls: servers to spread checks over (with `url`); servers: local JVMs to start when there are no urls.
    "grammar": {"urls": [], "servers": 1},
    # The weekly digest (mail_lint/digest): when `watch` sends it, to whom, and how it reads.
    "digest": {"schedule": True, "weekday": "monday", "time": "09:00", "recipients": [], "send_private": False,
               "rank_managers": True, "weeks_in_chart": 8, "top_rules": 3, "language": "",
               "sources": ["imap", "api", "cli"], "base_url": "", "review_share": 0.3, "link_days": 35},
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
    def mailboxes(self) -> list[dict[str, Any]]:
        """The `[[mailbox]]` entries (each a `name` and `[imap]`'s keys); [] when only `[imap]` is used."""
        return self.data.get("mailbox", [])

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
    mailboxes = _mailboxes(raw.get("mailbox"), schema["imap"])
    for section, values in raw.items():
        if section == "mailbox":
            continue
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
    if not 1 <= data["digest"]["link_days"] <= 366:
        raise ConfigError("digest.link_days: expected 1 to 366 days")
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
    if mailboxes:
        data["mailbox"] = mailboxes
    return Config(data=data, path=path)


MAILBOX_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
HEAD_ADDRESS = re.compile(r"^\s*[^@\s]+@[^@\s]+\s*$")


def _mailboxes(raw: Any, imap_schema: dict[str, Any]) -> list[dict[str, Any]]:
    """`[[mailbox]]` entries: a `name` each (unique) and the keys of `[imap]`, defaulting to `[imap]`'s defaults."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        raise ConfigError("mailbox: expected [[mailbox]] tables")
    found, names = [], set()
    for n, entry in enumerate(raw, 1):
        name = entry.get("name")
        if not isinstance(name, str) or not MAILBOX_NAME.match(name):
            raise ConfigError(f"mailbox #{n}: name: expected letters, digits, '.', '_' or '-' (e.g. \"sales-moscow\")")
        if name in names:
            raise ConfigError(f"mailbox #{n}: name {name!r} is used twice")
        names.add(name)
        head = entry.get("head", "")
        if not isinstance(head, str) or (head and not HEAD_ADDRESS.match(head)):
            raise ConfigError(f"mailbox.{name}.head: expected the team head's email address, got {head!r}")
        mailbox = {"name": name, "head": head.strip().lower(), **copy.deepcopy(imap_schema)}
        for key, value in entry.items():
            if key in ("name", "head"):
                continue
            full = f"mailbox.{name}.{key}"
            if key not in imap_schema:
                raise ConfigError(f"unknown key {full} (known: name, head, {', '.join(sorted(imap_schema))})")
            value = _check_type(full, value, imap_schema[key])
            allowed = CHOICES.get(("imap", key))
            if allowed and value not in allowed:
                raise ConfigError(f"{full}: {value!r} is not one of {', '.join(allowed)}")
            mailbox[key] = value
        found.append(mailbox)
    return found


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
        # Environment variables expand: "${CREDENTIALS_DIRECTORY}/imap-password" under systemd's LoadCredential.
        path = os.path.expandvars(section["password_file"])
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise ConfigError(f"{name}.password_file: cannot read {path}: {e.strerror}") from None
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
        if isinstance(values, list):  # [[mailbox]]
            for table in values:
                out.append(f"[[{section}]]")
                out += [f"{key} = {_toml_value(value)}" for key, value in table.items()]
                out.append("")
            continue
        out.append(f"[{section}]")
        out += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
        out.append("")
    out += _comment(MAILBOX_EXAMPLE.strip())
    return "\n".join(out) + "\n"


# What `mail-lint config --example` says about each section and key of the service (the checks' sections are
# explained by the **Options** part of each check's own doc).
SECTION_DOCS = {
    "general": "Time zone of dates shown to people (digest, deadlines), and the language assumed when detection is unsure.",
    "rules": "Rules by name or prefix: disable = [\"wordiness.long-sentence\"], enable = [...] re-enables a name under a\n"
             "disabled prefix, severity = {\"forward.vague-subject\" = \"error\"}.",
    "store": "Where verdicts, tokens and watcher checkpoints live. A relative SQLite path is inside the data directory\n"
             "($MAIL_LINT_HOME, else ~/.local/share/mail-lint). PostgreSQL: \"postgresql+psycopg://user@host/db\"\n"
             "(pip install 'mail-lint[postgres]'). $DATABASE_URL overrides this.",
    "api": "The check service (`mail-lint serve`).",
    "imap": "The mailbox `mail-lint watch` reads (the BCC address managers copy their mail to).",
    "smtp": "How the watcher sends the digest and the managers' private feedback.",
    "watch": "The IMAP watcher: which mail it lints, how it marks it, and the private feedback it sends.",
    "digest": "The weekly digest: when `watch` sends it, to whom, and how it reads.",
}
KEY_DOCS = {
    ("general", "timezone"): "IANA time zone name",
    ("general", "default_language"): "ru or en",
    ("rules", "disable"): "rule names or prefixes to turn off",
    ("rules", "enable"): "names to turn back on under a disabled prefix",
    ("rules", "severity"): "rule name or prefix -> error, warning or suggestion",
    ("rules", "refresh_seconds"): "how often a process picks up rule switches and dictionary words from the store",
    ("store", "url"): "any SQLAlchemy URL",
    ("api", "host"): "address to listen on; keep 127.0.0.1 behind a reverse proxy",
    ("api", "port"): "port to listen on",
    ("api", "base_url"): "the public https:// URL the add-in and links use (empty: http://host:port)",
    ("api", "link_secret"): "signs the digest's links to verdicts; the same on every host (empty: a random one "
                            "in the data directory; $MAIL_LINT_LINK_SECRET overrides)",
    ("api", "cors_origins"): "origins allowed to call the API from a browser, e.g. [\"https://addin.company.ru\"]",
    ("api", "max_body_bytes"): "larger requests get 413",
    ("api", "workers"): "worker processes (each loads the rules; one LanguageTool is shared)",
    ("api", "failed_tokens_per_minute"): "unknown tokens one client address may send a minute before it waits (0: no limit)",
    ("imap", "host"): "IMAP server (empty: the watcher is not configured)",
    ("imap", "port"): "993 for tls, 143 for starttls/none",
    ("imap", "security"): "tls, starttls or none",
    ("imap", "user"): "login",
    ("imap", "password_env"): "environment variable holding the password",
    ("imap", "password_file"): "or a file holding it (e.g. $CREDENTIALS_DIRECTORY/imap under systemd)",
    ("imap", "folders"): "folders to watch",
    ("imap", "address"): "the watcher's own address (mail where it is only in BCC is selected)",
    ("smtp", "host"): "SMTP server (empty: nothing is sent)",
    ("smtp", "port"): "587 for starttls, 465 for tls",
    ("smtp", "security"): "tls, starttls or none",
    ("smtp", "user"): "login (empty: no login)",
    ("smtp", "password_env"): "environment variable holding the password",
    ("smtp", "password_file"): "or a file holding it",
    ("smtp", "from"): "sender address of the digest and feedback",
    ("watch", "bcc_only"): "lint only mail where the watcher's address is in BCC",
    ("watch", "select_all"): "lint every message, whatever its length or subject",
    ("watch", "min_lines"): "lint a new text longer than this many lines, as displayed at reading_width",
    ("watch", "reading_width"): "characters a displayed line holds: longer paragraphs count as several lines (0: as typed)",
    ("watch", "min_words"): "also lint a new text longer than this many words (0: lines alone decide)",
    ("watch", "proposal_patterns"): "regular expressions that mark a commercial proposal (always linted)",
    ("watch", "priority_products"): "product names that make a message always linted",
    ("watch", "keyword"): "IMAP keyword set on linted mail",
    ("watch", "move_to"): "folder to move linted mail to (empty: leave it)",
    ("watch", "poll_seconds"): "how often to look for new mail without IDLE",
    ("watch", "idle_seconds"): "how long one IDLE waits before it is renewed",
    ("watch", "max_backoff_seconds"): "longest wait between reconnects",
    ("watch", "batch"): "messages fetched at a time",
    ("watch", "feedback"): "send each manager a private note on their linted mail",
    ("watch", "company_domains"): "feedback goes only to senders at these domains",
    ("watch", "feedback_per_hour"): "at most this many notes to one manager an hour",
    ("watch", "failover_seconds"): "how often a waiting watcher tries to take over a mailbox ([imap] or a [[mailbox]]) nobody watches",
    ("watch", "metrics_port"): "Prometheus metrics of the watcher on http://127.0.0.1:PORT/metrics (0: off)",
    ("digest", "schedule"): "`watch` sends the digest on its own",
    ("digest", "weekday"): "day it is sent",
    ("digest", "time"): "HH:MM in general.timezone",
    ("digest", "recipients"): "head(s) of sales who get it",
    ("digest", "send_private"): "also send each manager their own page",
    ("digest", "rank_managers"): "rank managers by score",
    ("digest", "weeks_in_chart"): "weeks in the trend chart (1-52)",
    ("digest", "top_rules"): "most frequent findings listed",
    ("digest", "language"): "ru, en, or empty for general.default_language",
    ("grammar", "urls"): "LanguageTool servers to spread checks over, e.g. [\"http://lt1:8081\", \"http://lt2:8081\"]",
    ("grammar", "servers"): "local LanguageTool JVMs `serve` and `watch` start when there are no urls (1 to 16)",
    ("digest", "sources"): "which verdicts count: imap, api, cli",
    ("digest", "review_share"): "a rule dismissed more often than this share of its findings is marked for review",
    ("digest", "base_url"): "link target for verdicts (empty: api.base_url)",
    ("digest", "link_days"): "how long the digest's signed links to verdicts open without a token",
}


MAILBOX_EXAMPLE = """Several mailboxes (one per team, say) instead of [imap]: one [[mailbox]] table each, with a unique name
and any of [imap]'s keys. Each is watched by one `watch` process at a time, however many run on however many
hosts (a PostgreSQL advisory lock per mailbox; with SQLite, a lock file beside the store, so one host);
another takes over within [watch] failover_seconds when its watcher dies. `head`: the team's head, who gets
the weekly digest of the managers whose mail came through this mailbox, and nobody else's.
[[mailbox]]
name = "sales-moscow"
head = "head-moscow@company.ru"
host = "imap.company.ru"
user = "sales-moscow-bcc@company.ru"
password_file = "${CREDENTIALS_DIRECTORY}/sales-moscow"
[[mailbox]]
name = "sales-spb"
head = "head-spb@company.ru"
host = "imap.company.ru"
user = "sales-spb-bcc@company.ru"
password_file = "${CREDENTIALS_DIRECTORY}/sales-spb"
"""


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]


def _options_doc(doc: str) -> str:
    """The **Options** paragraph(s) of a check's doc, up to the next paragraph that is not about options."""
    start = re.search(r"^\**Options\**", doc, re.M)
    if not start:
        return ""
    rest = doc[start.start():]
    end = re.search(r"\n\s*\n(?!\s*[-`])", rest)
    return textwrap.dedent(rest[:end.start()] if end else rest).strip()


def example_toml() -> str:
    """A complete config file with every section and key at its default, each explained in a comment:
    `mail-lint config --example > /etc/mail-lint/mail-lint.toml`, then edit."""
    defaults = validate({}).data
    checks = {check.name: check for check in load_checks()}
    out = ["# mail-lint configuration: every section and key, at its default. Delete what you do not change.",
           "# Secrets do not belong here: passwords come from the environment or a file (password_env, password_file).",
           ""]
    for section, values in defaults.items():
        if section in SECTION_DOCS:
            out += _comment(SECTION_DOCS[section])
        elif section in checks:
            check = checks[section]
            out += _comment(f"Check `{section}`: {check.title[1]} / {check.title[0]}.")
            out += _comment(_options_doc(check.doc))
        out.append(f"[{section}]")
        for key, value in values.items():
            note = KEY_DOCS.get((section, key))
            line = f"{key} = {_toml_value(value)}"
            out.append(f"{line}  # {note}" if note else line)
        out.append("")
    out += _comment(MAILBOX_EXAMPLE.strip())
    return "\n".join(out) + "\n"
