"""The data directory: where mail-lint keeps its files (the SQLite store, backups), never the working directory.

`$MAIL_LINT_HOME` when set (an absolute path), else `$XDG_DATA_HOME/mail-lint`, else `~/.local/share/mail-lint`.
A relative SQLite path in `[store] url` or `DATABASE_URL` is taken inside it, so `mail-lint digest` run from
another folder reads the same store as the service.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import ConfigError

HOME_ENV = "MAIL_LINT_HOME"


def data_dir() -> Path:
    """The data directory (not created here: the store creates it, private to its owner, when it first writes)."""
    configured = os.environ.get(HOME_ENV, "").strip()
    if configured:
        path = Path(configured).expanduser()
        if not path.is_absolute():
            raise ConfigError(f"${HOME_ENV}: {configured!r} is not an absolute path")
        return path
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "mail-lint"


def in_data_dir(path: str | os.PathLike) -> Path:
    """`path` as is when absolute (or starting with ~), else inside the data directory."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else data_dir() / path
