"""Readability of the author's text: Flesch reading ease through textstat, with no network at run time.

textstat counts English syllables with NLTK's CMU dictionary and, when that corpus is not on disk, calls
`nltk.download("cmudict")` in the middle of a check (textstat/backend/utils/_get_cmudict.py). A linter on a
closed network must never do that, and a score must not depend on whether some machine happens to have NLTK
data. So the syllable counter is pointed at pyphen alone: its hyphenation dictionaries (en, ru and more) ship
inside the pyphen wheel, and textstat already falls back to them for words CMUdict lacks. Russian never used
CMUdict anyway.

We call textstat's backend with the language as an argument instead of `textstat.set_lang()`: the latter is
process-wide state, and the API serves several requests at once.
"""
from __future__ import annotations

from functools import lru_cache

TEXTSTAT_LANG = {"ru": "ru", "en": "en"}  # our language -> textstat/pyphen language


class _CachedHyphenator:
    """pyphen with a per-word cache: the same words recur in every email, and pyphen is pure Python."""

    def __init__(self, lang: str) -> None:
        from pyphen import Pyphen
        self.positions = lru_cache(maxsize=100_000)(Pyphen(lang=lang).positions)


@lru_cache(maxsize=8)
def _hyphenator(lang: str) -> _CachedHyphenator:
    return _CachedHyphenator(lang)


def _no_cmudict(lang: str) -> None:
    """textstat treats None as 'no pronouncing dictionary' and counts every word with pyphen."""
    return None


@lru_cache(maxsize=1)
def _metrics():
    """textstat's metrics, with syllables counted offline. Imported on first use: textstat pulls in NLTK,
    which costs most of a second, and commands that never lint should not pay it."""
    from textstat.backend import metrics
    from textstat.backend.counts import _count_syllables
    for name in ("get_cmudict", "get_pyphen"):
        if not hasattr(_count_syllables, name):  # a textstat release moved things: fail loudly, never download
            raise ImportError(f"textstat layout changed: backend.counts._count_syllables.{name} is gone")
    _count_syllables.get_cmudict = _no_cmudict
    _count_syllables.get_pyphen = _hyphenator
    return metrics


def flesch_reading_ease(text: str, language: str) -> float | None:
    """Flesch reading ease (textstat's per-language constants), 1 decimal; None for a text without words."""
    if not any(ch.isalpha() for ch in text):
        return None
    return round(_metrics().flesch_reading_ease(text, TEXTSTAT_LANG.get(language, "en")), 1)
