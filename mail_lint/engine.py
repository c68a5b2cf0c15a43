"""Run the enabled checks on a message and build its verdict."""
from __future__ import annotations

import logging

from .checks import CHECK_STATS, SEVERITIES, Check, CheckResult, CheckUnavailable, Context, Hit, Services, tr
from .config import Config, load
from .model import Message
from .registry import load_checks
from .rewrite import build as build_rewrite
from .text import count_sentences, count_words
from .verdict import TRUNCATED, Finding, LineIndex, Verdict

# Per finding, a check loses this many points of its 100 (floored at 0).
PENALTY = {"error": 40, "warning": 20, "suggestion": 5}
# A check scored below this is "warn" even when it found only suggestions: the page must not say "ok".
GOOD_SCORE = 80

INTERNAL_CODE = "EM900"
TRUNCATED_CODE = "EM901"
log = logging.getLogger("mail_lint.engine")


def base_stats(message: Message) -> dict:
    prose = message.span_text(message.writing)
    return {"words": count_words(prose), "removable_words": 0, "sentences": count_sentences(prose),
            "readability": None, "deadline": None}


def _finding(check: Check, hit: Hit, message: Message, config, lines: LineIndex) -> Finding | None:
    rule = check.rule_for(hit.name)
    if rule is None:
        raise ValueError(f"check {check.name} emitted {hit.name!r}, which it does not declare")
    if not config.rule_enabled(hit.name):
        return None
    severity = config.severity_for(hit.name, hit.severity or rule.severity)
    start = max(0, min(hit.start, len(message.text)))
    end = max(start, min(hit.end, len(message.text)))
    line, column = lines.line_column(start)
    return Finding(code=rule.code, name=hit.name, check=check.name, severity=severity, message=hit.message,
                   start=start, end=end, line=line, column=column, suggestion=hit.suggestion,
                   replacements=list(hit.replacements), changes=hit.fix_changes())


def _truncation_note(message: Message, lines: LineIndex) -> Finding:
    """Where the text was cut for size: a loss the verdict states, never a silent one."""
    checked = len(message.text)
    line, column = lines.line_column(checked)
    count = f"{checked:,}"
    return Finding(code=TRUNCATED_CODE, name=TRUNCATED, check="input", severity="warning",
                   message=tr(message.language,
                              ru=f"Письмо слишком длинное, чтобы проверить его целиком: проверены только первые "
                                 f"{count.replace(',', ' ')} символов текста",
                              en=f"The email is too long to check whole: only the first {count} characters "
                                 f"of its text were checked"),
                   start=checked, end=checked, line=line, column=column)


def _check_score(findings: list[Finding], own: float | None) -> int:
    """100 minus penalties. A check that sets its own score has already weighed its suggestions in it
    (wordiness: removable words, long sentences), so only its warnings and errors cost extra."""
    if own is None:
        score = 100.0 - sum(PENALTY[f.severity] for f in findings)
    else:
        score = own - sum(PENALTY[f.severity] for f in findings if f.severity != "suggestion")
    return max(0, min(100, round(score)))


def _status(findings: list[Finding], score: int) -> str:
    """What the check's line says, consistent with its score: a check that scored 34 on suggestions
    alone (wordiness) is not "ok"."""
    severities = {f.severity for f in findings}
    if "error" in severities:
        return "fail"
    return "warn" if "warning" in severities or score < GOOD_SCORE else "pass"


def _context(check: Check, config: Config, services: Services | None) -> Context:
    return Context(options=config.section(check.name), timezone=config.timezone,
                   company=tuple(config.section("signature").get("company", ())),
                   config_dir=config.path.parent if config.path else None,
                   services=services or Services(), rule_enabled=config.rule_enabled)


def _run(check: Check, message: Message, ctx: Context) -> CheckResult:
    result = check.run(message, ctx)
    if not isinstance(result, CheckResult):
        raise TypeError(f"check {check.name} returned {type(result).__name__}, not a CheckResult")
    unknown = set(result.stats) - CHECK_STATS
    if unknown:
        raise ValueError(f"check {check.name} set stats it may not: {', '.join(sorted(unknown))}")
    return result


def lint(message: Message, config: Config | None = None, services: Services | None = None) -> Verdict:
    """All enabled checks on one message. A check that raises becomes one `internal.<check>` finding;
    a text cut for size, one `internal.truncated` where it was cut."""
    if config is None:
        config = load()
    stats = base_stats(message)
    findings: list[Finding] = []
    checks: dict[str, dict] = {}
    weights: dict[str, float] = {}
    rescored: dict[str, tuple] = {}
    lines = LineIndex(message.text)
    for check in load_checks():
        if not config.check_wanted(check.name):
            continue
        try:
            result = _run(check, message, _context(check, config, services))
            produced = [f for hit in result.hits if (f := _finding(check, hit, message, config, lines))]
        except CheckUnavailable as e:
            checks[check.name] = {"score": None, "status": "unavailable", "reason": str(e)}
            continue
        except Exception as e:  # a bug in one check must not take the verdict down
            log.exception("check %s failed on message %r", check.name, message.message_id or message.subject)
            checks[check.name] = {"score": None, "status": "unavailable", "reason": "internal error"}
            findings.append(Finding(code=INTERNAL_CODE, name=f"internal.{check.name}", check=check.name,
                                    severity="warning", message=f"{check.name} check failed: {type(e).__name__}: {e}",
                                    start=0, end=0, line=1, column=1))
            continue
        findings.extend(produced)
        stats.update(result.stats)
        score = _check_score(produced, result.score)
        checks[check.name] = {"score": score, "status": _status(produced, score)}
        weights[check.name] = check.weight
        if result.rescore is not None:
            rescored[check.name] = (result.rescore, produced)
    if message.truncated:
        findings.append(_truncation_note(message, lines))
    # The words that can go are the words the rewrite saves, exactly: a phrase with only advice saves none.
    rewrite = build_rewrite(message, findings)
    stats["removable_words"] = rewrite.removable_words
    for name, (rescore, produced) in rescored.items():
        score = _check_score(produced, rescore(stats))
        checks[name] = {"score": score, "status": _status(produced, score)}
    scored = [(checks[n]["score"], w) for n, w in weights.items()]
    total_weight = sum(w for _, w in scored)
    score = round(sum(s * w for s, w in scored) / total_weight) if total_weight else 100
    findings.sort(key=lambda f: (f.start, SEVERITIES.index(f.severity), f.name))
    return Verdict(message=message, findings=findings, checks=checks, stats=stats, score=score,
                   passed=not any(f.severity == "error" for f in findings), rewrite=rewrite)
