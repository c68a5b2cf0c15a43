"""Word lists kept as data, so that a head of sales can extend them without touching code.

`mail_lint/data/<language>/<name>.txt` holds what a message is made of: greetings, sign-offs, thanks,
quote headers and separators, mobile footers, disclaimers, forms of address. The splitter (`parts`)
reads them, and the checks read what the splitter found. The checks' own lists live in `rules/data/`
and are read with the same `read_list`.

One entry per line, lower case, `#` starts a comment. In an entry a space matches any run of spaces,
`word*` matches the word with any ending ("конфиденциальн*"), `[word]` is an optional word (`[*]`: any
one word or none), `...` is anything on the line, and a final `$` ties the entry to the end of the line.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
# The splitter does not know the language yet when it reads a message: it uses every folder.
LANGUAGES = ("ru", "en", "intl")


@lru_cache(maxsize=None)
def read_list(path: Path) -> frozenset[str]:
    if not path.is_file():
        return frozenset()
    entries = (line.split("#", 1)[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(e for e in entries if e)


def load_list(language: str, name: str) -> frozenset[str]:
    """One language's list from mail_lint/data (empty when that language has none)."""
    return read_list(DATA / language / f"{name}.txt")


def all_languages(name: str) -> frozenset[str]:
    return frozenset().union(*(load_list(language, name) for language in LANGUAGES))


def _word_pattern(word: str) -> str:
    if word == "...":
        return r".*?"
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    return re.escape(word)


def entry_pattern(entry: str) -> str:
    """The regex of one list entry (see the module's docstring for the syntax)."""
    anchored = entry.endswith("$")
    words = entry.rstrip("$").split()
    out = ""
    for word in words:
        if word.startswith("[") and word.endswith("]"):
            inner = r"[^\W\d_][\w'’-]*" if word == "[*]" else _word_pattern(word[1:-1])
            out += rf"(?:{inner}\s+)?"
        else:
            out += _word_pattern(word) + r"\s+"
    out = out[:-3] if out.endswith(r"\s+") else out
    if anchored:
        return out + r"\s*$"
    # A whole word: "sent by" is not "sent byte"; `word*` and "从我的*" already take the rest of the word.
    return out if entry.endswith(("*", "]")) else out + r"(?![^\W\d_])"


def alternation(entries: frozenset[str] | set[str]) -> str:
    """The entries as one non-capturing group, longest first (the longest phrase wins a tie)."""
    return "(?:%s)" % "|".join(entry_pattern(e) for e in sorted(entries, key=lambda e: (-len(e), e)))
