"""What a check is: its rules (code, name, default severity, docs), options, and a pure run function.

A check module in `rules/` exposes `CHECK = Check(...)`. `run(message, ctx)` yields `Hit`s; the engine
turns them into findings (code, severity, line/column). Messages are shown to the manager in the
message's language: use `tr(message.language, ru=..., en=...)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .model import Message

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


@dataclass
class Hit:
    name: str
    start: int
    end: int
    message: str
    suggestion: str = ""
    replacements: list[str] = field(default_factory=list)
    severity: str | None = None  # None: the rule's default


class CheckUnavailable(Exception):
    """The check could not run (e.g. LanguageTool is down): status 'unavailable', no finding invented."""


@dataclass
class Context:
    options: dict[str, Any]
    config: Any                       # mail_lint.config.Config
    services: dict[str, Any]
    stats: dict[str, Any]
    score: float | None = None        # a check may set its own 0-100 score (e.g. wordiness)


@dataclass(frozen=True)
class Check:
    name: str
    title: tuple[str, str]            # (Russian, English): how a manager reads the check, e.g. "Подпись"
    doc: str
    rules: tuple[Rule, ...]
    run: Callable[[Message, Context], Iterable[Hit]]
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
