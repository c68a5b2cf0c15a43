"""Words, sentences and paragraphs: one definition for the verdict's stats and for the checks' own counts.

Two checks still split sentences their own way, on purpose: the request detector (`rules/support/requests.py`
also ends a sentence at ";" and never after "т.е." before a lower-case word) and the wordiness check (a
wrapped line that goes on in lower case is the same sentence); their thresholds were set on those splits.
"""
from __future__ import annotations

import re

# A word: letters or digits, with inner hyphens and apostrophes ("бизнес-ланч", "don't").
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# A person's or a place's word: letters only, with inner hyphens and apostrophes ("Анна-Мария", "O'Neil").
NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# A blank line (spaces allowed) between paragraphs.
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A run of stops is matched from its first one only: "....a" would otherwise be rescanned from each dot.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+(?=\s|$)|\n\s*\n")


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def count_sentences(text: str) -> int:
    return sum(1 for chunk in _SENTENCE_END.split(text) if WORD.search(chunk))


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the non-blank paragraphs of text[start:end], in order (not trimmed)."""
    end = len(text) if end is None else end
    spans, cursor = [], start
    for m in PARAGRAPH_BREAK.finditer(text, start, end):
        spans.append((cursor, m.start()))
        cursor = m.end()
    spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]
