"""The digest as an HTML email: tables and inline styles only (what mail clients keep), PNG charts.

`render_html(digest, "ru", embed="cid")` returns the HTML and the PNGs to attach as `cid:` parts
(mail clients block `data:` images); `embed="data"` inlines them for a file opened in a browser.
Other formats (Markdown, CSV, plain text) are in `text.py`; `render()` picks one.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date
from html import escape

from ..catalogue import rule_label
from . import i18n, text
from .chart import bar_chart
from .i18n import t

FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif"
INK, MUTED, LINE = "#1f2937", "#6b7280", "#e5e7eb"
WIDTH, PAD = 640, 32
INNER = WIDTH - 2 * PAD
# Badge colours per score band: background, text (same bands as chart.score_color).
BANDS = ((85, "#e6f4ec", "#1d7445"), (70, "#fdf3dc", "#8a5a00"), (0, "#fde8e8", "#b42323"))
SUBJECT_MAX = 70
REPEATED, FIXED = ("#fdf3dc", "#8a5a00"), ("#e6f4ec", "#1d7445")  # chip background, text


@dataclass
class RenderedHtml:
    html: str
    images: dict[str, bytes] = field(default_factory=dict)  # Content-ID (no <>) -> PNG, for embed="cid"


class _Page:
    """Collects the pieces of one HTML digest and the images they reference."""

    def __init__(self, language: str, embed: str):
        self.lang, self.embed = language, embed
        self.images: dict[str, bytes] = {}

    def image(self, name: str, png: bytes, width: int, height: int, alt: str) -> str:
        if self.embed == "cid":
            cid = f"{name}@mail-lint"  # a Content-ID is shaped like a Message-ID
            self.images[cid] = png
            src = f"cid:{cid}"
        else:
            src = "data:image/png;base64," + base64.b64encode(png).decode()
        return f'<img src="{src}" width="{width}" height="{height}" alt="{escape(alt)}" style="display:block;border:0">'

    def num(self, value: float | None) -> str:
        return i18n.number(value, self.lang)

    def badge(self, score: float | None, size: int = 14) -> str:
        if score is None:
            return f'<span style="color:{MUTED};">—</span>'
        _, background, color = _band(score)
        return (f'<span style="display:inline-block;padding:2px 9px;border-radius:11px;background:{background};'
                f'color:{color};font-weight:700;font-size:{size}px;">{self.num(score)}</span>')

    def change(self, value: float | None, muted_none: str = "—") -> str:
        if value is None:
            return f'<span style="color:{MUTED};">{escape(muted_none)}</span>'
        if value == 0:
            return f'<span style="color:{MUTED};">±0</span>'
        color, arrow = ("#1d7445", "▲") if value > 0 else ("#b42323", "▼")
        return f'<span style="color:{color};white-space:nowrap;">{arrow}&nbsp;{i18n.signed(value, self.lang)}</span>'


def render_html(digest: dict, language: str = "ru", embed: str = "data") -> RenderedHtml:
    page = _Page(language, embed)
    private = bool(digest.get("private"))
    start, end = date.fromisoformat(digest["start"][:10]), date.fromisoformat(digest["end"][:10])
    week_no = int(digest["week"].split("W")[1])
    title = t(language, "private_title" if private else "title", week=week_no)
    period = i18n.period(start, date.fromordinal(end.toordinal() - 1), language)
    sections = [_header(page, title, period)]
    if private:
        sections += _private_body(page, digest["managers"][0])
    elif not digest["managers"]:
        sections.append(_block(f'<p style="margin:0;font-size:16px;color:{MUTED};">{t(language, "no_mail")}</p>'))
    else:
        sections += _head_body(page, digest)
    footer = escape(t(language, "footer", tz=digest["timezone"]))
    html = f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(title)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="{WIDTH}" cellpadding="0" cellspacing="0" border="0" style="width:{WIDTH}px;max-width:100%;background:#ffffff;border-radius:12px;font-family:{FONT};color:{INK};">
{"".join(sections)}
<tr><td style="padding:8px {PAD}px 28px;"></td></tr>
</table>
<p style="margin:16px 0 0;font-family:{FONT};font-size:12px;color:{MUTED};">{footer}</p>
</td></tr></table>
</body></html>
"""
    return RenderedHtml(html, page.images)


# -- sections -------------------------------------------------------------------------------------

def _block(inner: str, top: int = 12) -> str:
    return f'<tr><td style="padding:{top}px {PAD}px 12px;">{inner}</td></tr>\n'


def _heading(text: str, note: str = "") -> str:
    note_html = f' <span style="font-weight:400;color:{MUTED};font-size:13px;">{escape(note)}</span>' if note else ""
    return f'<h2 style="margin:0 0 10px;font-size:16px;line-height:22px;color:{INK};">{escape(text)}{note_html}</h2>'


def _header(page: _Page, title: str, period: str) -> str:
    return (f'<tr><td style="padding:28px {PAD}px 8px;border-bottom:1px solid {LINE};">'
            f'<div style="font-size:12px;letter-spacing:0.08em;text-transform:uppercase;color:{MUTED};">'
            f'{escape(t(page.lang, "brand"))}</div>'
            f'<h1 style="margin:6px 0 2px;font-size:24px;line-height:30px;color:{INK};">{escape(title)}</h1>'
            f'<div style="font-size:15px;color:{MUTED};padding-bottom:16px;">{escape(period)}</div></td></tr>\n')


def _cards(page: _Page, numbers: dict) -> str:
    lang = page.lang
    change_note = (f'{page.change(numbers["change"])} <span style="color:{MUTED};">{t(lang, "vs_last_week")}</span>'
                   if numbers["change"] is not None else
                   f'<span style="color:{MUTED};">{t(lang, "no_previous")}</span>')
    count_word = i18n.emails(numbers["emails"], lang).split(" ", 1)[1]
    cards = [
        (f'{numbers["emails"]}', f'{count_word} {t(lang, "emails_checked")}' if lang == "ru"
         else t(lang, "emails_checked"), ""),
        (page.badge(numbers["mean_score"], 24), t(lang, "mean_score"), change_note),
        (i18n.percent(numbers["pass_rate"], lang), t(lang, "passed"), ""),
    ]
    cells = []
    for i, (value, label, note) in enumerate(cards):
        gap = "" if i == len(cards) - 1 else "padding-right:12px;"
        note_html = f'<div style="font-size:13px;margin-top:6px;">{note}</div>' if note else ""
        cells.append(f'<td width="33%" valign="top" style="{gap}"><div style="border:1px solid {LINE};'
                     f'border-radius:10px;padding:14px 16px;min-height:92px;">'
                     f'<div style="font-size:26px;line-height:32px;font-weight:700;">{value}</div>'
                     f'<div style="font-size:13px;color:{MUTED};margin-top:2px;">{escape(label)}</div>'
                     f'{note_html}</div></td>')
    return _block('<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>'
                  + "".join(cells) + "</tr></table>", top=20)


def _chart(page: _Page, series: list[dict], heading: str, name: str) -> str:
    values = [p["mean_score"] for p in series]
    slot = INNER // max(len(values), 1)
    width = slot * len(values)
    image = page.image(name, bar_chart(values, width, 110), width, 110, heading)
    labels = []
    for i, point in enumerate(series):
        last = i == len(series) - 1
        week_no = int(point["week"].split("W")[1])
        score = page.num(point["mean_score"]) if point["mean_score"] is not None else "—"
        labels.append(f'<td width="{slot}" align="center" style="padding-top:6px;">'
                      f'<div style="font-size:13px;font-weight:{700 if last else 400};'
                      f'color:{INK if last else MUTED};">{score}</div>'
                      f'<div style="font-size:11px;color:{MUTED};">{t(page.lang, "week_short", n=week_no)}</div></td>')
    return _block(_heading(heading) + image
                  + f'<table role="presentation" width="{width}" cellpadding="0" cellspacing="0" border="0" '
                    f'style="width:{width}px;"><tr>{"".join(labels)}</tr></table>', top=16)


def _team_table(page: _Page, digest: dict) -> str:
    lang, ranked = page.lang, digest.get("ranked", False)
    weeks = len(digest["team"]["series"])
    th = f'font-size:12px;font-weight:600;color:{MUTED};padding:0 6px 8px;border-bottom:1px solid {LINE};'
    head = (("<th align=\"left\" style=\"" + th + "\">#</th>") if ranked else "") + "".join(
        f'<th align="{align}" style="{th}">{escape(label)}</th>' for align, label in (
            ("left", t(lang, "col_manager")), ("right", t(lang, "col_emails")), ("center", t(lang, "col_score")),
            ("right", t(lang, "col_change")), ("right", t(lang, "col_passed")),
            ("left", t(lang, "col_trend", n=weeks))))
    rows = []
    td = 'padding:8px 6px;border-bottom:1px solid #eee'  # short: Gmail clips emails past ~100 KB
    for index, m in enumerate(digest["managers"], 1):
        spark = page.image(f"trend-{index}", bar_chart([p["mean_score"] for p in m["series"]], 84, 26),
                           84, 26, "")
        rank = f'<td style="{td};color:{MUTED}">{m["rank"]}</td>' if ranked else ""
        email = f'<br><span style="font-size:12px;color:{MUTED}">{escape(m["email"])}</span>' if m["name"] else ""
        rows.append(
            f'<tr>{rank}<td style="{td}"><b>{escape(m["name"] or m["email"])}</b>{email}</td>'
            f'<td align="right" style="{td}">{m["emails"]}</td>'
            f'<td align="center" style="{td}">{page.badge(m["mean_score"])}</td>'
            f'<td align="right" style="{td}">{page.change(m["change"])}</td>'
            f'<td align="right" style="{td}">{i18n.percent(m["pass_rate"], lang)}</td>'
            f'<td style="{td}">{spark}</td></tr>')
    heading = t(lang, "managers_ranked" if ranked else "managers")
    return _block(_heading(heading) + '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
                  f'border="0" style="border-collapse:collapse;font-size:14px;"><tr>{head}</tr>{"".join(rows)}</table>',
                  top=20)


def _rule_list(page: _Page, counts: dict[str, int]) -> str:
    items = [f'<tr><td style="padding:4px 0;font-size:14px;">{escape(rule_label(name, page.lang, with_id=False))}</td>'
             f'<td align="right" style="padding:4px 0;font-size:14px;color:{MUTED};white-space:nowrap;">'
             f'{i18n.emails(n, page.lang)}</td></tr>' for name, n in counts.items()]
    return ('<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
            + "".join(items) + "</table>")


def _chips(page: _Page, names: list[str], background: str, color: str) -> str:
    return " ".join(f'<span style="padding:1px 8px;border-radius:10px;background:{background};color:{color};'
                    f'font-size:13px;white-space:nowrap;">{escape(rule_label(n, page.lang, with_id=False))}</span>' for n in names)


def _email_link(page: _Page, subject: str, score: int, url: str | None, badge: bool = True) -> str:
    short = subject if len(subject) <= SUBJECT_MAX else subject[:SUBJECT_MAX - 1] + "…"
    quoted = escape(f"«{short}»" if page.lang == "ru" else f"“{short}”")
    text = f'<a href="{escape(url)}" style="color:#1d4ed8;text-decoration:none">{quoted}</a>' if url else quoted
    return f'{text} ' + (page.badge(score, 12) if badge else f'<b style="color:{_band(score)[2]}">{score}</b>')


def _coaching(page: _Page, items: list[dict]) -> str:
    """Each problem as the manager wrote it and the better wording: «орфография: «оборудывания» → «оборудования»»."""
    lines = []
    for item in items:
        line = escape(text.coaching_line(item, page.lang))
        if item.get("url"):
            line = f'<a href="{escape(item["url"])}" style="color:{INK};text-decoration:none">{line}</a>'
        mark = (f' <span style="padding:0 6px;border-radius:8px;background:{REPEATED[0]};color:{REPEATED[1]};'
                f'font-size:12px">{t(page.lang, "coach_repeated")}</span>') if item.get("repeated") else ""
        lines.append(f'<div style="margin:0 0 4px">{line}{mark}</div>')
    return "".join(lines)


def _private_details(page: _Page, m: dict) -> str:
    """One manager's findings as a label/value table, with a hint under each kind of list."""
    lang = page.lang
    label = f'width="150" valign="top" style="padding:5px 12px 5px 0;font-size:13px;color:{MUTED};"'
    value = 'valign="top" style="padding:5px 0;font-size:14px;"'
    rows = []
    if m["rule_counts"]:
        rows.append((t(lang, "top_rules"), _rule_counts(page, m["rule_counts"])))
    if m["repeated"]:
        rows.append((t(lang, "repeated"), _chips(page, m["repeated"], *REPEATED)
                     + f'<div style="font-size:12px;color:{MUTED};margin-top:4px;">{t(lang, "repeated_hint")}</div>'))
    elif _had_earlier_mail(m):
        rows.append((t(lang, "repeated"), f'<span style="color:#1d7445;">{t(lang, "no_repeats")}</span>'))
    if m.get("fixed"):
        rows.append((t(lang, "fixed"), _chips(page, m["fixed"], *FIXED)
                     + f'<div style="font-size:12px;color:{MUTED};margin-top:4px;">{t(lang, "fixed_hint")}</div>'))
    if m.get("coaching"):
        rows.insert(0, (t(lang, "coach"), _coaching(page, m["coaching"])))
    if m["best"] is not None:
        rows.append((t(lang, "best"), _email_link(page, m["best_subject"], m["best_score"], m["best_url"])))
    if m["worst"] != m["best"]:
        rows.append((t(lang, "worst"), _email_link(page, m["worst_subject"], m["worst_score"], m["worst_url"])))
    return ('<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
            + "".join(f"<tr><td {label}>{escape(k)}</td><td {value}>{v}</td></tr>" for k, v in rows) + "</table>")


def _manager_summary(page: _Page, m: dict) -> str:
    """One manager in the head's digest: a few short lines with few styles, since fifty of these must
    stay near Gmail's clipping size (~100 KB of HTML)."""
    lang = page.lang
    lines = []
    if m["rule_counts"]:
        lines.append((t(lang, "top_rules"), _rule_counts(page, m["rule_counts"])))
    if m["repeated"]:
        lines.append((t(lang, "repeated"), _coloured(page, m["repeated"], REPEATED[1])))
    if m.get("fixed"):
        lines.append((t(lang, "fixed"), _coloured(page, m["fixed"], FIXED[1])))
    if m.get("coaching"):
        lines.insert(0, (t(lang, "coach"), _coaching(page, m["coaching"])))
    if m["best"] is not None:
        lines.append((t(lang, "best"), _email_link(page, m["best_subject"], m["best_score"], m["best_url"], False)))
    if m["worst"] != m["best"]:
        lines.append((t(lang, "worst"), _email_link(page, m["worst_subject"], m["worst_score"], m["worst_url"],
                                                    False)))
    band = _band(m["mean_score"])[2]
    change = f' {page.change(m["change"])}' if m["change"] is not None else ""
    summary = (f'{i18n.emails(m["emails"], lang)} · <b style="color:{band}">{page.num(m["mean_score"])}</b>{change}'
               f' · {t(lang, "col_passed").lower()} {i18n.percent(m["pass_rate"], lang)}')
    body = "".join(f'<br><i style="color:{MUTED};font-style:normal">{escape(k)}:</i> {v}' for k, v in lines)
    return (f'<div style="border-left:3px solid {band};padding-left:14px;margin:0 0 16px;font-size:14px;line-height:22px">'
            f'<b style="font-size:15px">{escape(m["name"] or m["email"])}</b> '
            f'<span style="font-size:13px;color:{MUTED}">{summary}</span>{body}</div>')


def _coloured(page: _Page, names: list[str], color: str) -> str:
    return f'<span style="color:{color}">' + ", ".join(escape(rule_label(n, page.lang, with_id=False)) for n in names) + "</span>"


def _band(score: float | None) -> tuple[int, str, str]:
    return next(b for b in BANDS if (score or 0) >= b[0])


def _had_earlier_mail(m: dict) -> bool:
    return any(p["emails"] for p in m["series"][:-1])


def _false_alarms(page: _Page, rules: list[dict]) -> str:
    """Per rule: fired, dismissed, the share; a rule dismissed too often is marked for review."""
    lang = page.lang
    head = "".join(f'<th align="{align}" style="padding:4px 0;font-size:13px;color:{MUTED};font-weight:400;">'
                   f'{escape(t(lang, key))}</th>'
                   for key, align in (("col_rule", "left"), ("col_fired", "right"), ("col_dismissed", "right")))
    rows = []
    for r in rules:
        mark = (f' <span class="review" style="padding:1px 8px;border-radius:10px;background:#fde7e7;color:#c62828;'
                f'font-size:12px;">{escape(t(lang, "review"))}</span>' if r["review"] else "")
        rows.append(f'<tr data-rule="{escape(r["name"])}"><td style="padding:4px 0;font-size:14px;">'
                    f'{escape(rule_label(r["name"], lang))}{mark}</td>'
                    f'<td align="right" class="fired" style="padding:4px 0;font-size:14px;">{r["fired"]}</td>'
                    f'<td align="right" class="dismissed" style="padding:4px 0;font-size:14px;">{r["dismissed"]} '
                    f'<span style="color:{MUTED};">({round(100 * r["dismissed_share"])}%)</span></td></tr>')
    return _block(_heading(t(lang, "false_alarms"), t(lang, "false_alarms_note"))
                  + '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
                  f'class="false-alarms"><tr>{head}</tr>{"".join(rows)}</table>', top=20)


def _rule_counts(page: _Page, counts: dict[str, int]) -> str:
    return ", ".join(f'{escape(rule_label(n, page.lang, with_id=False))} <span style="color:{MUTED};">({c})</span>'
                     for n, c in counts.items())


def _head_body(page: _Page, digest: dict) -> list[str]:
    team = digest["team"]
    out = [_cards(page, team), _chart(page, team["series"], t(page.lang, "chart_team"), "chart-team"),
           _team_table(page, digest)]
    if skipped := i18n.skipped_line(digest.get("skipped"), page.lang):
        out.append(_block(f'<p style="margin:0;font-size:13px;color:{MUTED};">{escape(skipped)}.</p>', top=12))
    if team["rule_counts"]:
        out.append(_block(_heading(t(page.lang, "team_rules")) + _rule_list(page, team["rule_counts"]), top=20))
    if any(r["dismissed"] for r in digest.get("rules", ())):
        out.append(_false_alarms(page, [r for r in digest["rules"] if r["dismissed"] or r["review"]]))
    legend = (f'<p style="margin:0 0 12px;font-size:12px;color:{MUTED};">{t(page.lang, "repeated")}: '
              f'{t(page.lang, "repeated_hint")}. {t(page.lang, "fixed")}: {t(page.lang, "fixed_hint")}.</p>')
    details = "".join(_manager_summary(page, m) for m in digest["managers"])
    out.append(_block(_heading(t(page.lang, "details")) + legend + details, top=20))
    return out


def _private_body(page: _Page, m: dict) -> list[str]:
    first_name = (m["name"] or m["email"]).split()[0]
    hello = _block(f'<p style="margin:0;font-size:16px;">{escape(t(page.lang, "hello", name=first_name))}</p>', top=20)
    note = _block(f'<p style="margin:0;font-size:13px;color:{MUTED};">{t(page.lang, "private_note")}</p>', top=8)
    return [hello, _cards(page, m), _chart(page, m["series"], t(page.lang, "chart_own"), "chart-own"),
            _block(_private_details(page, m), top=20), note]


def render(digest: dict, fmt: str, language: str = "ru") -> str:
    """The digest as text in one of html | md | json | csv | text (HTML with inlined images)."""
    if fmt == "html":
        return render_html(digest, language, embed="data").html
    if fmt == "json":
        return json.dumps(digest, ensure_ascii=False, indent=2) + "\n"
    renderers = {"md": text.render_markdown, "csv": text.render_csv, "text": text.render_text}
    return renderers[fmt](digest, language)
