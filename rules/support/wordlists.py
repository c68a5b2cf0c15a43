"""The checks' own word lists, as data in `rules/data/<language>/<name>.txt` (one entry per line, `#` comments).

A head of sales can extend them without touching code. What a message is made of (greetings, sign-offs,
quote headers, footers) is in `mail_lint/data`, read by the splitter: `mail_lint.wordlists`.
"""
from __future__ import annotations

from pathlib import Path

from mail_lint.wordlists import read_list

DATA = Path(__file__).parent.parent / "data"


def load_list(language: str, name: str) -> frozenset[str]:
    return read_list(DATA / language / f"{name}.txt")
