"""The shortened email: the greeting and body with every safe edit of the findings applied.

A finding is applied only when its check says so explicitly, by giving it a `fix`: the exact text to put
in place of its span ("" deletes it). `replacements` are only offers to the writer; a check sets `fix`
where the replacement is known to fit the sentence (a Russian form that agrees, a deletion that leaves a
whole sentence, a spelling fix of one unambiguous word). Everything else stays advice and is never applied.

Here the edits are checked once more, whatever the check: an edit must lie inside the writing (greeting +
body: never the signature or the quoted history), must not add words (the rewrite is shorter or equal,
and `stats.removable_words` = words before − words after can never be negative), and must not overlap an
edit already taken. Of overlapping edits the one that starts first wins, and of those starting at the
same place the longest: it is the bigger phrase the check matched, the other is a part of it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .model import Message
from .text import count_words


class Fixable(Protocol):
    name: str
    start: int
    end: int
    fix: str | None


@dataclass(frozen=True)
class Edit:
    start: int          # offsets into the verdict's text, like a finding's
    end: int
    replacement: str    # "" deletes the span
    name: str           # the rule whose finding this edit applies

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "replacement": self.replacement, "name": self.name}


@dataclass(frozen=True)
class Rewrite:
    text: str           # the writing span with the edits applied
    words_before: int
    words_after: int
    edits: list[Edit] = field(default_factory=list)

    @property
    def removable_words(self) -> int:
        return self.words_before - self.words_after

    def to_json(self) -> dict:
        return {"text": self.text, "words_before": self.words_before, "words_after": self.words_after,
                "edits": [e.to_json() for e in self.edits]}


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to whole whitespace-separated words: an edit may end inside a word (a deletion
    takes the next word's first letter to capitalise it), and words are counted whole."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def words_saved(text: str, edit: Edit) -> int:
    """How many words this edit alone takes out of the text (negative: it adds words)."""
    lo, hi = _word_bounds(text, edit.start, edit.end)
    edited = text[lo:edit.start] + edit.replacement + text[edit.end:hi]
    return count_words(text[lo:hi]) - count_words(edited)


def choose_edits(text: str, writing: tuple[int, int], findings: Iterable[Fixable]) -> list[Edit]:
    """The findings' fixes that may be applied together, sorted by start (see the module docstring)."""
    lo, hi = writing
    candidates = sorted((Edit(f.start, f.end, f.fix, f.name) for f in findings if f.fix is not None),
                        key=lambda e: (e.start, -(e.end - e.start)))
    chosen: list[Edit] = []
    for edit in candidates:
        if not lo <= edit.start <= edit.end <= hi or text[edit.start:edit.end] == edit.replacement:
            continue
        if chosen and edit.start < chosen[-1].end:
            continue
        if words_saved(text, edit) < 0:
            continue
        chosen.append(edit)
    return chosen


def apply_edits(text: str, edits: list[Edit], start: int = 0, end: int | None = None) -> str:
    """text[start:end] with the edits (sorted, non-overlapping, inside it) applied right to left."""
    end = len(text) if end is None else end
    out = text[start:end]
    for edit in reversed(edits):
        out = out[:edit.start - start] + edit.replacement + out[edit.end - start:]
    return out


def build(message: Message, findings: Iterable[Fixable]) -> Rewrite:
    """The rewrite of the message's writing span from the findings' fixes."""
    lo, hi = message.writing
    edits = choose_edits(message.text, (lo, hi), findings)
    text = apply_edits(message.text, edits, lo, hi)
    return Rewrite(text=text, words_before=count_words(message.text[lo:hi]), words_after=count_words(text),
                   edits=edits)


def rewritten_message_text(text: str, rewrite: Rewrite) -> str:
    """The whole message text (signature and quoted history too) with the edits applied."""
    return apply_edits(text, rewrite.edits)
