"""A verdict in the manager's words: why it failed, and the findings in the order to read them.

One wording for every place a verdict is shown: the CLI's text output, the page, the annotated HTML
and the feedback mail. «Не пройдена: орфография ×2, обещано вложение, но его нет» says in one line
what the score alone does not.
"""
from __future__ import annotations

from collections import Counter

from .catalogue import rule_label
from .checks import tr
from .verdict import Finding, Verdict

SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}
# Beyond this many kinds the header line says "and N more": the list below has them all.
_REASONS_SHOWN = 4


def reading_order(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then suggestions; within each, where they stand in the text."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)), f.start))


def reason(verdict: Verdict, language: str) -> str:
    """The verdict in one line: «Не пройдена: орфография ×2, нет подписи», "Passed with remarks: vague
    subject", «Пройдена». The errors say why an email failed; a passed one names its warnings."""
    errors = [f for f in verdict.findings if f.severity == "error"]
    warnings = [f for f in verdict.findings if f.severity == "warning"]
    if not verdict.passed:
        head, named = tr(language, ru="Не пройдена", en="Failed"), errors
    elif warnings:
        head, named = tr(language, ru="Пройдена с замечаниями", en="Passed with remarks"), warnings
    else:
        head, named = tr(language, ru="Пройдена", en="Passed"), []
    counts = Counter(rule_label(f.name, language, with_id=False) for f in reading_order(named))
    items = [label if n == 1 else f"{label} ×{n}" for label, n in counts.items()]
    if len(items) > _REASONS_SHOWN:
        more = len(items) - _REASONS_SHOWN
        items = items[:_REASONS_SHOWN] + [tr(language, ru=f"и ещё {more}", en=f"and {more} more")]
    unavailable = [name for name, check in verdict.checks.items() if check.get("status") == "unavailable"]
    tail = tr(language, ru=f" (не проверено: {', '.join(unavailable)})",
              en=f" (not checked: {', '.join(unavailable)})") if unavailable else ""
    return head + (": " + ", ".join(items) if items else "") + tail


def excerpt(verdict: Verdict, finding: Finding, limit: int = 60) -> str:
    """The flagged words as written, on one line and cut to `limit` characters."""
    text = " ".join(verdict.message.text[finding.start:finding.end].split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def better(finding: Finding) -> str:
    """The better wording, once: the first replacement, else the suggestion when the message does not
    already say it («в настоящее время» → «сейчас» is not printed twice)."""
    said = finding.message.lower()
    for candidate in (finding.replacements[:1] or [finding.suggestion]):
        # a one-letter replacement only repairs the capital after a deletion the message already asks for
        if candidate and len(candidate.strip()) > 1 and candidate.lower() not in said:
            return candidate
    return ""
