"""Word lists that live as data in `rules/data/<language>/<name>.txt`, one entry per line, `#` comments.

A head of sales can extend them without touching code.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent.parent / "data"


@lru_cache(maxsize=None)
def load_list(language: str, name: str) -> frozenset[str]:
    path = DATA / language / f"{name}.txt"
    if not path.is_file():
        return frozenset()
    entries = (line.split("#", 1)[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(e for e in entries if e)
