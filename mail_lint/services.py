"""Outside services a check may need (LanguageTool), opened once per run and handed to the engine."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def open_services(config):
    """Yields the services dict for `engine.lint`. Grammar is wired here once LanguageTool is installed."""
    yield {}
