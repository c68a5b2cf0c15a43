"""Language of the new text: ru or en.

Counts Cyrillic and Latin words in what the author wrote. Quoted lines, links, addresses,
signatures and disclaimers are left out first, so a Russian email under an English legal
footer, or with English product names in it, stays Russian.
"""
from __future__ import annotations

import re

from .parts import EMAIL, split_parts
from .wordlists import alternation, load_list

_CYRILLIC_WORD = re.compile(r"\b[а-яё][а-яё-]*\b", re.I)
_LATIN_WORD = re.compile(r"\b[a-z][a-z'-]*\b", re.I)
_NOISE = re.compile(rf"https?://\S+|www\.\S+|{EMAIL.pattern}|<[^>\n]{{0,200}}>")
# English legal paragraphs and list footers: the splitter's disclaimer words, and "unsubscribe".
_DISCLAIMER = re.compile(alternation(load_list("en", "disclaimers") | {"unsubscribe"}), re.I)
# Russian needs only a third of the words: names of products, companies and tools are often
# Latin in a Russian email, while an English email rarely carries Russian words.
_RUSSIAN_SHARE = 1 / 3


def detect_language(text: str, default: str = "ru", *, prose: bool = False) -> str:
    """"ru" or "en" for the author's own words in `text`; `default` when there are none.

    prose: `text` is already the author's greeting and body (the parts of a message, split once), so it
    is not split again to find them."""
    cyrillic, latin = _word_counts(_own_words(text, prose))
    if cyrillic == 0 and latin == 0:
        return default
    return "ru" if cyrillic >= _RUSSIAN_SHARE * (cyrillic + latin) else "en"


def _own_words(text: str, prose: bool) -> str:
    """Greeting and body when the text still holds a signature or quote, without links,
    addresses, `>` lines and English legal paragraphs."""
    if not prose:
        parts = split_parts(text)
        spans = [s for s in (parts.greeting, parts.body) if s]
        if spans:
            text = text[min(s[0] for s in spans):max(s[1] for s in spans)]
    paragraphs = re.split(r"\n\s*\n", text)
    kept = [p for p in paragraphs if not _DISCLAIMER.search(p)] or paragraphs
    lines = [ln for p in kept for ln in p.splitlines() if not ln.lstrip().startswith(">")]
    return _NOISE.sub(" ", "\n".join(lines))


def _word_counts(text: str) -> tuple[int, int]:
    return len(_CYRILLIC_WORD.findall(text)), len(_LATIN_WORD.findall(text))
