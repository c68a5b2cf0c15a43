"""Where the third-party corpora are: ../shared/corpora beside the repo, or $MAIL_LINT_CORPORA.

Used by the tests and the benchmarks; absent in a user's clone, where they skip with a reason.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def corpora_dir() -> Path | None:
    for candidate in (os.environ.get("MAIL_LINT_CORPORA"), REPO.parent / "shared" / "corpora",
                      Path("/work/shared/corpora")):  # the last: the team workspace, for git worktrees
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def read_intent(path: Path) -> list[tuple[bool, str]]:
    """`Yes|No<TAB>sentence` per line."""
    rows = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        label, _, sentence = line.partition("\t")
        if label in ("Yes", "No") and sentence.strip():
            rows.append((label == "Yes", sentence.strip()))
    return rows
