"""Outside services a check may need (LanguageTool), opened once per run and handed to the engine."""
from __future__ import annotations

from contextlib import contextmanager

from .checks import Services
from .languagetool import languagetool_services


@contextmanager
def open_services(config, *, start_languagetool: bool = True, watchdog: bool = False):
    """Yields the `Services` for `engine.lint`; without a LanguageTool to be had its client is None
    (grammar is then `unavailable`; every other check runs).

    start_languagetool: may start a server of our own when neither `[grammar] url` nor
    `mail-lint languagetool start` gives one (a JVM start: seconds). watchdog: restart it if it dies.
    """
    if not config.check_wanted("grammar"):  # no grammar wanted: don't start a JVM for nothing
        yield Services()
        return
    with languagetool_services(config, start=start_languagetool, watchdog=watchdog) as services:
        yield services
