"""Words and sentences: one definition for the verdict's stats and for the checks' own counts."""
from __future__ import annotations

import re

# A word: letters or digits, with inner hyphens and apostrophes ("бизнес-ланч", "don't").
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# A run of stops is matched from its first one only: "....a" would otherwise be rescanned from each dot.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+(?=\s|$)|\n\s*\n")


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def count_sentences(text: str) -> int:
    return sum(1 for chunk in _SENTENCE_END.split(text) if WORD.search(chunk))
