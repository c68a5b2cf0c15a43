"""The verdict of one message and its JSON form (contract: schema mail-lint/verdict@1)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field

from . import rewrite as rewriting
from .checks import Change
from .model import Message

SCHEMA = "mail-lint/verdict@1"
# The finding that says the text was cut for size before it was linted (Message.truncated).
TRUNCATED = "internal.truncated"


_NEWLINE = re.compile("\n")


class LineIndex:
    """1-based line and column of offsets into one text. The line starts are found once: counting the
    newlines before each of thousands of findings in a long text would take quadratic time."""

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def line_column(self, pos: int) -> tuple[int, int]:
        line = bisect_right(self._starts, pos)
        return line, pos - self._starts[line - 1] + 1


def line_column(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    return LineIndex(text).line_column(pos)


@dataclass
class Finding:
    code: str
    name: str
    check: str
    severity: str
    message: str
    start: int
    end: int
    line: int
    column: int
    suggestion: str = ""
    replacements: list[str] = field(default_factory=list)
    # What the rewrite may change for this finding, all or nothing (checks.Hit.fix/changes); empty: advice
    # only, never applied. Not part of the finding's JSON: the verdict's `rewrite.edits` say what was applied.
    changes: tuple[Change, ...] = ()

    def fix_changes(self) -> tuple[Change, ...]:
        return self.changes

    def to_json(self) -> dict:
        data = asdict(self)
        del data["changes"]
        return data


@dataclass
class Verdict:
    message: Message
    findings: list[Finding]
    checks: dict[str, dict]
    stats: dict
    score: int
    passed: bool
    rewrite: rewriting.Rewrite | None = None    # None: built from the findings' fixes

    def __post_init__(self) -> None:
        if self.rewrite is None:
            self.rewrite = rewriting.build(self.message, self.findings)

    def to_json(self) -> dict:
        m = self.message
        return {
            "schema": SCHEMA,
            "message": {
                "message_id": m.message_id, "subject": m.subject, "from": str(m.sender) if m.sender else "",
                "to": [str(a) for a in m.to], "cc": [str(a) for a in m.cc],
                "date": m.date.isoformat() if m.date else None, "language": m.language,
                "attachments": [a.to_json() for a in m.attachments],
            },
            "text": m.text,
            "parts": m.parts.to_json(),
            "findings": [f.to_json() for f in self.findings],
            "checks": self.checks,
            "stats": self.stats,
            "score": self.score,
            "passed": self.passed,
            "rewrite": self.rewrite.to_json(),
        }
