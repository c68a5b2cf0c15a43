"""What a check is: its rules (code, name, default severity, docs), options, and a pure run function.

A check module in `rules/` exposes `CHECK = Check(...)`. `run(message, ctx)` gets a typed `Context` and
returns a `CheckResult`: its `Hit`s, which the engine turns into findings (code, severity, line/column),
and, where the check weighs its own findings or measures the message, a score and verdict stats.
Messages are shown to the manager in the message's language: use `tr(message.language, ru=..., en=...)`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .model import Message

if TYPE_CHECKING:  # the client raises CheckUnavailable from here: a type-only import, no cycle at run time
    from .languagetool.client import LanguageToolClient

SEVERITIES = ("error", "warning", "suggestion")


@dataclass(frozen=True)
class Rule:
    code: str        # stable, never reused: EM101...
    name: str        # the contract name, e.g. "greeting.unnamed"; "grammar.*" for dynamic names
    severity: str    # default severity
    summary: str     # what it checks, one line
    why: str = ""    # why it matters
    bad: str = ""    # an example that triggers it
    better: str = "" # the better wording
    label: tuple[str, str] = ("", "")  # (Russian, English): how a manager reads the name, e.g. "нет подписи"

    def label_in(self, language: str) -> str:
        return self.label[0 if language == "ru" else 1] or self.name

    def matches(self, name: str) -> bool:
        if self.name.endswith(".*"):
            return name.startswith(self.name[:-1])
        return name == self.name


@dataclass(frozen=True)
class Change:
    """One part of a fix: text[start:end] becomes `text` ("" deletes it)."""

    start: int
    end: int
    text: str


@dataclass
class Hit:
    name: str
    start: int
    end: int
    message: str
    suggestion: str = ""
    replacements: list[str] = field(default_factory=list)
    severity: str | None = None  # None: the rule's default
    # The exact text the rewrite puts in place of [start, end) ("" deletes it), set only where it is known
    # to fit the sentence; None: the hit is advice and is never applied (see mail_lint/rewrite.py).
    fix: str | None = None
    # Instead of `fix`, when the fix is not one replacement of the span: a part of it (a deletion of the
    # phrase's tail) or several parts that stand or fall together («Наши специалисты рассмотрят … и
    # свяжутся» → «Мы рассмотрим … и свяжемся»).
    changes: tuple[Change, ...] = ()

    def fix_changes(self) -> tuple[Change, ...]:
        return self.changes or ((Change(self.start, self.end, self.fix),) if self.fix is not None else ())


class CheckUnavailable(Exception):
    """The check could not run (e.g. LanguageTool is down): status 'unavailable', no finding invented."""


# The verdict stats a check may fill (the others the engine counts itself: `removable_words` is what the
# rewrite saves, whatever check's fixes it applies).
CHECK_STATS = frozenset({"readability", "deadline"})


def _every_rule(name: str) -> bool:
    return True


@dataclass(frozen=True)
class Services:
    """Outside services a check may need, opened once per run by the app and handed to the engine."""

    languagetool: LanguageToolClient | None = None   # None: grammar is `unavailable`


@dataclass(frozen=True)
class Context:
    """What a check gets besides the message; the engine builds it from the config in force."""

    options: Mapping[str, Any]                  # the check's own section, checked when the config loaded
    timezone: ZoneInfo                          # resolves "до пятницы" against the message's date
    company: tuple[str, ...] = ()               # the company's names ([signature] company)
    config_dir: Path | None = None              # where relative paths in the options start
    services: Services = Services()
    rule_enabled: Callable[[str], bool] = _every_rule            # a disabled rule's work can be skipped


@dataclass
class CheckResult:
    """What one check found in one message."""

    hits: list[Hit] = field(default_factory=list)
    score: float | None = None        # the check's own 0-100 score when it weighs its findings itself
    stats: dict[str, Any] = field(default_factory=dict)          # keys from CHECK_STATS
    # A score that depends on the verdict's final stats, given them once every check has run and the
    # rewrite is built (conciseness weighs `removable_words`, the words the rewrite saves); replaces `score`.
    rescore: Callable[[Mapping[str, Any]], float] | None = None


@dataclass(frozen=True)
class Check:
    name: str
    title: tuple[str, str]            # (Russian, English): how a manager reads the check, e.g. "Подпись"
    doc: str
    rules: tuple[Rule, ...]
    run: Callable[[Message, Context], CheckResult]
    options: dict[str, Any] = field(default_factory=dict)
    weight: float = 1.0               # its share of the overall score
    # Checks the values of the check's options when the config is loaded (types are checked before);
    # raises ConfigError naming the key, so a bad option stops the program instead of failing each email.
    validate: Callable[[dict[str, Any], Path | None], None] | None = None

    def rule_for(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.matches(name)), None)

    def title_in(self, language: str) -> str:
        return self.title[0 if language == "ru" else 1]


def tr(language: str, *, ru: str, en: str) -> str:
    """The manager reads findings in the language of the email."""
    return ru if language == "ru" else en
