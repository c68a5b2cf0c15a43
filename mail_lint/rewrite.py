"""The shortened email: the greeting and body with every safe edit of the findings applied.

A finding is applied only when its check says so explicitly, by giving it a fix (`checks.Hit.fix`, or
`Hit.changes` when the fix has several parts): the exact text to put in place ("" deletes). `replacements`
are only offers to the writer; a check sets a fix where it is known to fit the sentence (a Russian form that
agrees, a deletion that leaves a whole sentence, a spelling fix of one unambiguous word). Everything else
stays advice and is never applied.

Here every finding's fix is checked once more, whatever the check, and taken whole or not at all: each
part must lie inside the writing (greeting + body: never the signature or the quoted history), the fix must
not add words (the rewrite is never longer, and `stats.removable_words` = words before − words after is
never negative), and no part may overlap a fix already taken. Of overlapping fixes the one that starts
first wins, and of those starting at the same place the longest: it is the bigger phrase a check matched.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .model import Message
from .text import count_words


class _Part(Protocol):
    start: int
    end: int
    text: str


class Fixable(Protocol):
    name: str

    def fix_changes(self) -> tuple[_Part, ...]: ...


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


def words_saved(text: str, edits: list[Edit]) -> int:
    """How many words these edits (sorted, not overlapping) take out of the text; negative: they add words."""
    lo, hi = _word_bounds(text, edits[0].start, max(e.end for e in edits))
    return count_words(text[lo:hi]) - count_words(apply_edits(text, edits, lo, hi))


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # an insertion overlaps what it falls inside, or another at its point
        return a.start == b.start or b.start < a.start < b.end or a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def choose_edits(text: str, writing: tuple[int, int], findings: Iterable[Fixable]) -> list[Edit]:
    """The findings' fixes that may be applied together, as edits sorted by start (see the module docstring)."""
    lo, hi = writing
    groups = []
    for f in findings:
        edits = sorted((Edit(c.start, c.end, c.text, f.name) for c in f.fix_changes()
                        if text[c.start:c.end] != c.text), key=lambda e: e.start)
        if edits:
            groups.append(edits)
    groups.sort(key=lambda g: (g[0].start, -(g[-1].end - g[0].start)))
    chosen: list[Edit] = []          # kept sorted by start: an overlap can only be with a neighbour
    starts: list[int] = []
    for edits in groups:
        if not all(lo <= e.start <= e.end <= hi for e in edits):
            continue
        if any(_overlaps(a, b) for a, b in zip(edits, edits[1:])):
            continue
        if any(_overlaps(e, c) for e in edits for c in _neighbours(chosen, starts, e)):
            continue
        if words_saved(text, edits) < 0:
            continue
        for e in edits:
            i = bisect_right(starts, e.start)
            starts.insert(i, e.start)
            chosen.insert(i, e)
    return chosen


def _neighbours(chosen: list[Edit], starts: list[int], edit: Edit) -> list[Edit]:
    """The chosen edits that could overlap `edit`: those starting at or just around its start, and the one
    before it (edits already chosen never overlap one another)."""
    i = bisect_left(starts, edit.start)
    j = bisect_right(starts, edit.end)
    return chosen[max(0, i - 1):j + 1]


def apply_edits(text: str, edits: list[Edit], start: int = 0, end: int | None = None) -> str:
    """text[start:end] with the edits (sorted, non-overlapping, inside it) applied."""
    end = len(text) if end is None else end
    pieces, cursor = [], start
    for edit in edits:
        pieces += [text[cursor:edit.start], edit.replacement]
        cursor = edit.end
    pieces.append(text[cursor:end])
    return "".join(pieces)


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
