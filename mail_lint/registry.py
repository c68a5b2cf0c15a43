"""The checks: found in the checks package (`rules/`) at first use, in the order a verdict shows them.

The checks import the core, never the reverse: the package is loaded by name, as a plug-in, so the
core has no import of it.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .checks import Check

CHECKS_PACKAGE = "mail_lint.rules"
# The order checks appear in a verdict; a check module not listed here comes after these.
CHECK_ORDER = ("greeting", "signature", "wordiness", "cta", "forward", "grammar")


@lru_cache(maxsize=1)
def load_checks() -> tuple[Check, ...]:
    package = importlib.import_module(CHECKS_PACKAGE)
    checks = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{CHECKS_PACKAGE}.{info.name}")
        if isinstance(getattr(module, "CHECK", None), Check):
            checks.append(module.CHECK)
    rank = {name: i for i, name in enumerate(CHECK_ORDER)}
    return tuple(sorted(checks, key=lambda c: (rank.get(c.name, len(rank)), c.name)))
