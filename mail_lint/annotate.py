"""A verdict as annotated HTML: the text with every finding's span marked, a findings list, the scores.

Each finding becomes `<mark class="finding sev-<severity>" data-name=... title="message — suggestion">`
around its span; overlapping spans are cut into segments, so a finding may own several marks (all with
the same `data-finding` index). A finding without a span (start == end, e.g. about the subject) is an
empty marker mark at its position. Everything taken from the verdict is HTML-escaped.

Every finding in the list carries a «Не ошибка» / "Not a problem" link (`a.dismiss`) to the service's
`/dismiss` page with the finding's name, the flagged text and the verdict id in its query: it works in a mail
client or a page without script; the paste page and the add-in's pane take the click over and post the
dismissal themselves (`data-name`, `data-excerpt`, `data-verdict-id`).

The verdict's `rewrite` (the shorter email) is shown under the findings: the greeting and body with each edit
as `<span class="edit" data-start data-end data-replacement><del>…</del><ins>…</ins></span>` (offsets in the
verdict's text, as the findings' are), and "N → M words". With `apply=True` (the paste page and the add-in's pane, where the draft
can still change) it carries a «Применить» button; the page or the pane puts the edits into the draft.
"""
from __future__ import annotations

from bisect import insort
from html import escape
from urllib.parse import urlencode

from .catalogue import check_title, rule_label
from .digest.i18n import plural_ru
from .explain import better, reading_order, reason
from .explain import excerpt as short_excerpt

LABELS = {
    "ru": {"language": "ru", "title": "Проверка письма", "score": "Оценка",
           "findings": "Замечания", "none": "Замечаний нет", "checks": "Проверки", "check": "Проверка",
           "status": "Статус", "subject": "Тема", "from": "От", "to": "Кому", "text": "Текст",
           "unavailable": "недоступна", "pass": "ок", "warn": "есть замечания", "fail": "ошибки",
           "error": "ошибка", "warning": "предупреждение", "suggestion": "совет", "dismiss": "Не ошибка",
           "dismiss_title": "Сообщить, что это не ошибка", "rewrite": "Сокращённый вариант",
           "apply": "Применить", "apply_title": "Применить сокращённый вариант к письму"},
    "en": {"language": "en", "title": "Email check", "score": "Score",
           "findings": "Findings", "none": "No findings", "checks": "Checks", "check": "Check",
           "status": "Status", "subject": "Subject", "from": "From", "to": "To", "text": "Text",
           "unavailable": "unavailable", "pass": "ok", "warn": "warnings", "fail": "errors",
           "error": "error", "warning": "warning", "suggestion": "suggestion", "dismiss": "Not a problem",
           "dismiss_title": "Say this is not a problem", "rewrite": "Shorter version",
           "apply": "Apply", "apply_title": "Apply the shorter version to the email"},
}

STYLE = """
.verdict{font:15px/1.5 system-ui,sans-serif;max-width:60rem}
.verdict .annotated{white-space:pre-wrap;border:1px solid #ccc;border-radius:6px;padding:.75rem;background:#fff}
mark.finding{background:none;border-bottom:2px solid;padding:0;color:inherit;cursor:help}
mark.sev-error{border-color:#c62828;background:#fde7e7}
mark.sev-warning{border-color:#ef8f00;background:#fff4dc}
mark.sev-suggestion{border-color:#1e6fd9;background:#e8f1fd}
mark.marker::before{content:"\\2691";font-size:.8em;vertical-align:super}
mark.marker{border-bottom:none}
.verdict .score{font-size:1.4rem;font-weight:600}
.verdict .failed{color:#c62828}.verdict .passed{color:#2e7d32}
.verdict table{border-collapse:collapse}.verdict td,.verdict th{padding:.15rem .6rem;text-align:left}
.verdict li.sev-error .sev{color:#c62828}.verdict li.sev-warning .sev{color:#b36b00}
.verdict li.sev-suggestion .sev{color:#1e6fd9}
.verdict a.dismiss{margin-left:.5rem;font-size:.85em;color:#555}
.verdict .score .reason{font-size:1rem;margin-left:.4rem}
.verdict .details{font-size:.8em;color:#777}.verdict q.excerpt{font-style:italic}
.verdict .rewritten{white-space:pre-wrap;border:1px solid #ccc;border-radius:6px;padding:.75rem;background:#fff}
.verdict .rewrite del{color:#8a1c1c;background:#fde7e7}.verdict .rewrite ins{text-decoration:none;background:#d9f2dc}
.verdict .rewrite .words{font-weight:normal;font-size:.9em;color:#555;margin-left:.5rem}
.verdict .apply-rewrite{padding:.35rem 1rem;font:inherit;font-weight:600;cursor:pointer}
""".strip()
# How much of the flagged text a dismissal link carries (a finding may span a whole paragraph).
EXCERPT_CHARS = 200


def labels_for(verdict: dict, lang: str | None) -> dict:
    language = lang or (verdict.get("message") or {}).get("language") or "ru"
    return LABELS.get(language, LABELS["ru"])


def _title(finding: dict) -> str:
    message, suggestion = finding.get("message", ""), finding.get("suggestion", "")
    return f"{message} — {suggestion}" if suggestion else message


def _mark_open(index: int, finding: dict, extra_class: str = "") -> str:
    classes = f"finding sev-{finding.get('severity', 'warning')}{extra_class}"
    return (f'<mark class="{escape(classes)}" data-finding="{index}" data-name="{escape(finding.get("name", ""))}"'
            f' title="{escape(_title(finding))}">')


def annotate_text(text: str, findings: list[dict]) -> str:
    """The text as HTML with each finding's span wrapped in marks (and markers for empty spans)."""
    n = len(text)
    spans = [(i, max(0, min(f.get("start", 0), n)), max(0, min(f.get("end", 0), n))) for i, f in enumerate(findings)]
    markers: dict[int, list[int]] = {}
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for i, start, end in spans:
        if end <= start:
            markers.setdefault(start, []).append(i)
        else:
            starting.setdefault(start, []).append(i)
            ending.setdefault(end, []).append(i)
    cuts = sorted({0, n} | set(starting) | set(ending) | set(markers))
    # The findings covering the current segment, by index: kept as the cuts go by, since testing every
    # finding at every cut is quadratic (33 000 findings on a long text took half a minute).
    covering: list[int] = []
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:] + [n]):
        for i in ending.get(left, ()):
            covering.remove(i)
        for i in starting.get(left, ()):
            insort(covering, i)
        for i in markers.pop(left, []):
            out.append(_mark_open(i, findings[i], " marker") + "</mark>")
        if right <= left:
            continue
        segment = escape(text[left:right])
        for i in reversed(covering):
            segment = _mark_open(i, findings[i]) + segment + "</mark>"
        out.append(segment)
    return "".join(out)


def excerpt(text: str, finding: dict) -> str:
    """The flagged text, on one line and cut to EXCERPT_CHARS."""
    flagged = " ".join(text[max(0, finding.get("start", 0)):max(0, finding.get("end", 0))].split())
    return flagged[:EXCERPT_CHARS]


def dismiss_url(base_url: str, finding: dict, flagged: str, verdict_id: int | None, language: str) -> str:
    """The service's page that records «Не ошибка» for this finding."""
    query = {"name": finding.get("name", ""), "excerpt": flagged, "lang": language}
    if verdict_id:
        query["verdict_id"] = str(verdict_id)
    return f"{base_url.rstrip('/')}/dismiss?{urlencode(query)}"


def _dismiss_link(finding: dict, flagged: str, t: dict, verdict_id: int | None, base_url: str) -> str:
    return (f' <a class="dismiss" href="{escape(dismiss_url(base_url, finding, flagged, verdict_id, t["language"]))}"'
            f' data-name="{escape(finding.get("name", ""))}" data-excerpt="{escape(flagged)}"'
            f' data-verdict-id="{int(verdict_id or 0) or ""}" title="{escape(t["dismiss_title"])}"'
            f' target="_blank" rel="noopener">{escape(t["dismiss"])}</a>')


def _findings_list(findings: list[dict], t: dict, text: str = "", verdict_id: int | None = None,
                   base_url: str | None = "") -> str:
    """Errors first, then warnings, then suggestions: each with the rule's label, the flagged words, the
    message and the better wording once; the rule's name and line:column in a details line below."""
    if not findings:
        return f'<p class="no-findings">{escape(t["none"])}</p>'
    items = []
    index = {id(f): i for i, f in enumerate(findings)}       # the marks in the text keep the verdict's order
    for f in reading_order(findings):
        i = index[id(f)]
        flagged = excerpt(text, f)
        dismiss = "" if base_url is None else _dismiss_link(f, flagged, t, verdict_id, base_url)
        instead = better(f)
        suggestion = f' <span class="suggestion">→ {escape(instead)}</span>' if instead else ""
        quoted = f' <q class="excerpt">{escape(short_excerpt(text, f))}</q>' if flagged else ""
        severity = f.get("severity", "warning")
        items.append(
            f'<li class="sev-{escape(severity)}" data-finding="{i}" data-name="{escape(f.get("name", ""))}">'
            f'<span class="sev">{escape(t.get(severity, severity))}</span> '
            f'<b class="label">{escape(rule_label(f.get("name", ""), t["language"], with_id=False))}</b>{quoted}: '
            f'<span class="message">{escape(f.get("message", ""))}</span>{suggestion}{dismiss}'
            f'<div class="details"><code>{escape(f.get("name", ""))}</code> '
            f'<span class="where">{int(f.get("line", 1))}:{int(f.get("column", 1))}</span></div></li>')
    return '<ol class="findings">' + "".join(items) + "</ol>"


def _checks_table(checks: dict, t: dict) -> str:
    rows = []
    for name, c in checks.items():
        score = "—" if c.get("score") is None else str(int(c["score"]))
        status = c.get("status", "")
        shown = t.get(status, status) + (f" ({c['reason']})" if status == "unavailable" and c.get("reason") else "")
        rows.append(f'<tr data-check="{escape(name)}"><td>{escape(check_title(name, t["language"]))}</td>'
                    f'<td class="check-score">{escape(score)}</td><td class="status-{escape(status)}">'
                    f'{escape(shown)}</td></tr>')
    return (f'<table class="checks"><thead><tr><th>{escape(t["check"])}</th><th>{escape(t["score"])}</th>'
            f'<th>{escape(t["status"])}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def writing_span(verdict: dict) -> tuple[int, int] | None:
    """Greeting plus body, the span the rewrite replaces (as `Message.writing`), or None without either."""
    parts = verdict.get("parts") or {}
    spans = [parts[name] for name in ("greeting", "body") if parts.get(name)]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


def _words(n: int, language: str) -> str:
    if language == "ru":
        return plural_ru(n, "слово", "слова", "слов")
    return "word" if n == 1 else "words"


def _cuts_a_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and not text[at - 1].isspace() and not text[at].isspace()


def _rewrite_section(verdict: dict, t: dict, apply: bool) -> str:
    """The shorter email with its edits marked, or "" when there is nothing to shorten.

    An edit that cuts into a word (a deletion takes the next word's first letter to capitalise it) is shown over
    the whole word: «Хочу сообщить, что мы» struck and «Мы» put in, not a struck «м» beside an inserted «М». The
    edit itself rides on the mark (`data-start`, `data-end`, `data-replacement`) for «Применить»."""
    rewrite = verdict.get("rewrite") or {}
    edits = sorted(rewrite.get("edits") or [], key=lambda e: e["start"])
    span = writing_span(verdict)
    if not edits or span is None:
        return ""
    text = verdict.get("text") or ""
    at, out = span[0], []
    for i, edit in enumerate(edits):
        start, end = max(at, int(edit["start"])), min(span[1], int(edit["end"]))
        replacement = edit.get("replacement") or ""
        ceiling = min(span[1], int(edits[i + 1]["start"])) if i + 1 < len(edits) else span[1]
        lo, hi = start, max(start, end)
        while _cuts_a_word(text, lo) and lo > at:
            lo -= 1
        while _cuts_a_word(text, hi) and hi < ceiling:
            hi += 1
        shown = text[lo:start] + replacement + text[end:hi]
        out.append(escape(text[at:lo]))
        deleted = f"<del>{escape(text[lo:hi])}</del>" if hi > lo else ""
        inserted = f"<ins>{escape(shown)}</ins>" if shown else ""
        out.append(f'<span class="edit" data-start="{start}" data-end="{end}" data-replacement="{escape(replacement)}"'
                   f' data-name="{escape(edit.get("name", ""))}">{deleted}{inserted}</span>')
        at = hi
    out.append(escape(text[at:span[1]]))
    before, after = int(rewrite.get("words_before", 0)), int(rewrite.get("words_after", 0))
    language = t["language"]
    button = (f'<p><button type="button" class="apply-rewrite" aria-label="{escape(t["apply_title"])}">'
              f'{escape(t["apply"])}</button></p>') if apply else ""
    return (f'<section class="rewrite" aria-labelledby="rewrite-heading" data-words-before="{before}"'
            f' data-words-after="{after}"><h3 id="rewrite-heading">{escape(t["rewrite"])}'
            f' <span class="words">{before} → {after} {escape(_words(after, language))}</span></h3>'
            f'<div class="rewritten" lang="{escape((verdict.get("message") or {}).get("language") or "")}">'
            f'{"".join(out)}</div>{button}</section>')


def render_fragment(verdict: dict, lang: str | None = None, *, verdict_id: int | None = None,
                    base_url: str | None = "", apply: bool = False) -> str:
    """`<article class="verdict">`: what the paste-a-draft page shows and the standalone page wraps.
    `base_url`: where the service is, for the «Не ошибка» links ("": relative links; None: no links).
    `apply`: offer the «Применить» button under the shorter version (where the draft can still change)."""
    t = labels_for(verdict, lang)
    message = verdict.get("message") or {}
    findings = list(verdict.get("findings") or [])
    passed = bool(verdict.get("passed"))
    head = "".join(f'<div class="header-{key}"><b>{escape(t[key])}:</b> {escape(value)}</div>'
                   for key, value in (("subject", message.get("subject") or ""), ("from", message.get("from") or ""),
                                      ("to", ", ".join(message.get("to") or []))) if value)
    return (
        f'<article class="verdict" data-score="{int(verdict.get("score", 0))}" data-passed="{str(passed).lower()}">'
        f'<p class="score">{escape(t["score"])}: {int(verdict.get("score", 0))}/100 '
        f'<span class="reason {"passed" if passed else "failed"}">{escape(reason(verdict, t["language"]))}</span></p>'
        f'<div class="headers">{head}</div>'
        f'<div class="annotated" lang="{escape(message.get("language") or "")}">'
        f'{annotate_text(verdict.get("text") or "", findings)}</div>'
        f'<h3>{escape(t["findings"])}</h3>'
        f'{_findings_list(findings, t, verdict.get("text") or "", verdict_id, base_url)}'
        f'{_rewrite_section(verdict, t, apply)}'
        f'<h3>{escape(t["checks"])}</h3>{_checks_table(verdict.get("checks") or {}, t)}'
        "</article>")


def render_page(verdict: dict, lang: str | None = None, *, verdict_id: int | None = None,
                base_url: str | None = "", apply: bool = False) -> str:
    """A standalone HTML document of one annotated verdict (see `render_fragment` for the arguments)."""
    t = labels_for(verdict, lang)
    language = t["language"]
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(t["title"])}</title><style>{STYLE}</style></head>'
            f'<body>{render_fragment(verdict, lang, verdict_id=verdict_id, base_url=base_url, apply=apply)}'
            '</body></html>')
