"""A verdict in the manager's words: why it failed, and the findings in the order to read them.

One wording for every place a verdict is shown: the CLI's text output, the page, the annotated HTML,
the feedback mail and the digest. «Не пройдена: орфография ×2, обещано вложение, но его нет» says in
one line what the score alone does not. Findings may be `verdict.Finding` objects or their JSON dicts
(what the store and the API hand around).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from .catalogue import check_title, rule_label
from .checks import tr
from .verdict import Verdict

SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}
# Beyond this many kinds the header line says "and N more": the list below has them all.
_REASONS_SHOWN = 4


def field(finding: Any, key: str, default: Any = None) -> Any:
    """A finding's field, whether it is a `Finding` or its JSON dict."""
    return finding.get(key, default) if isinstance(finding, dict) else getattr(finding, key, default)


def reading_order(findings: list) -> list:
    """Errors first, then warnings, then suggestions; within each, where they stand in the text."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(field(f, "severity"), len(SEVERITY_ORDER)),
                                           field(f, "start", 0)))


def reason(verdict: Verdict | dict, language: str) -> str:
    """The verdict in one line: «Не пройдена: орфография ×2, нет подписи», "Passed with remarks: vague
    subject", «Пройдена». The errors say why an email failed; a passed one names its warnings."""
    if isinstance(verdict, dict):
        findings, passed, checks = verdict.get("findings") or [], bool(verdict.get("passed")), verdict.get("checks") or {}
    else:
        findings, passed, checks = verdict.findings, verdict.passed, verdict.checks
    errors = [f for f in findings if field(f, "severity") == "error"]
    warnings = [f for f in findings if field(f, "severity") == "warning"]
    if not passed:
        head, named = tr(language, ru="Не пройдена", en="Failed"), errors
    elif warnings:
        head, named = tr(language, ru="Пройдена с замечаниями", en="Passed with remarks"), warnings
    else:
        head, named = tr(language, ru="Пройдена", en="Passed"), []
    counts = Counter(rule_label(field(f, "name"), language, with_id=False) for f in reading_order(named))
    items = [label if n == 1 else f"{label} ×{n}" for label, n in counts.items()]
    if len(items) > _REASONS_SHOWN:
        more = len(items) - _REASONS_SHOWN
        items = items[:_REASONS_SHOWN] + [tr(language, ru=f"и ещё {more}", en=f"and {more} more")]
    unavailable = [check_title(name, language) for name, check in checks.items() if check.get("status") == "unavailable"]
    tail = tr(language, ru=f" (не проверено: {', '.join(unavailable)})",
              en=f" (not checked: {', '.join(unavailable)})") if unavailable else ""
    return head + (": " + ", ".join(items) if items else "") + tail


def excerpt(text: str, finding: Any, limit: int = 60) -> str:
    """The flagged words as written, on one line and cut to `limit` characters."""
    flagged = " ".join(text[max(0, field(finding, "start", 0)):max(0, field(finding, "end", 0))].split())
    return flagged if len(flagged) <= limit else flagged[:limit - 1].rstrip() + "…"


def better(finding: Any) -> str:
    """The better wording, once: the first replacement, else the suggestion when the message does not
    already say it («в настоящее время» → «сейчас» is not printed twice)."""
    said = (field(finding, "message") or "").lower()
    for candidate in (list(field(finding, "replacements") or [])[:1] or [field(finding, "suggestion")]):
        # a one-letter replacement only repairs the capital after a deletion the message already asks for
        if candidate and len(candidate.strip()) > 1 and candidate.lower() not in said:
            return candidate
    return ""
