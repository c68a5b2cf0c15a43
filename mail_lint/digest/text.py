"""The digest as plain text (the email's text/plain part), Markdown, and CSV (one row per manager)."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from ..catalogue import rule_label
from . import i18n
from .i18n import t


def _title(digest: dict, language: str) -> tuple[str, str]:
    week_no = int(digest["week"].split("W")[1])
    start = date.fromisoformat(digest["start"][:10])
    end = date.fromisoformat(digest["end"][:10]) - timedelta(days=1)
    key = "private_title" if digest.get("private") else "title"
    return t(language, key, week=week_no), i18n.period(start, end, language)


def _summary(numbers: dict, language: str) -> str:
    """"12 писем, средний балл 82,4 (+3,1 к прошлой неделе), прошли проверку 83 %"."""
    change = (f" ({i18n.signed(numbers['change'], language)} {t(language, 'vs_last_week')})"
              if numbers["change"] is not None else "")
    return (f"{i18n.emails(numbers['emails'], language)}, {t(language, 'mean_score')} "
            f"{i18n.number(numbers['mean_score'], language)}{change}, "
            f"{t(language, 'passed')} {i18n.percent(numbers['pass_rate'], language)}")


def _rules(names: list[str], language: str, counts: dict[str, int] | None = None) -> str:
    return ", ".join(rule_label(n, language, with_id=False) + (f" ({counts[n]})" if counts and n in counts else "")
                     for n in names)


def _quoted(subject: str, language: str) -> str:
    return f"«{subject}»" if language == "ru" else f"“{subject}”"


def coaching_line(item: dict, language: str) -> str:
    """«орфография: «оборудывания» → «оборудования»», "vague subject: “Re: Follow up” (Name the subject...)"."""
    label = rule_label(item["name"], language, with_id=False)
    if not item.get("excerpt"):
        return label
    line = f"{label}: {_quoted(item['excerpt'], language)}"
    if item.get("better") and item.get("replaces"):
        line += f" → {_quoted(item['better'], language)}"
    elif item.get("better") or item.get("message"):
        line += f" — {item.get('better') or item['message']}"
    return line


def _detail_lines(m: dict, language: str) -> list[str]:
    lines = []
    for item in m.get("coaching", []):
        repeated = f" ({t(language, 'coach_repeated')})" if item.get("repeated") else ""
        lines.append(f"{t(language, 'coach')}: {coaching_line(item, language)}{repeated}")
    if m["top_rules"]:
        lines.append(f"{t(language, 'top_rules')}: {_rules(m['top_rules'], language, m['rule_counts'])}")
    if m["repeated"]:
        lines.append(f"{t(language, 'repeated')} ({t(language, 'repeated_hint')}): {_rules(m['repeated'], language)}")
    if m.get("fixed"):
        lines.append(f"{t(language, 'fixed')}: {_rules(m['fixed'], language)}")
    for key in [k for k in ("best", "worst") if m[k] is not None and (k == "best" or m["worst"] != m["best"])]:
        lines.append(f"{t(language, key)}: {_quoted(m[key + '_subject'], language)} — {m[key + '_score']}")
        if m.get(key + "_url"):
            lines.append(f"  {m[key + '_url']}")
    return lines


def _name(m: dict) -> str:
    return f"{m['name']} <{m['email']}>" if m["name"] else m["email"]


def render_text(digest: dict, language: str = "ru") -> str:
    title, period = _title(digest, language)
    out = [f"{title} ({period})", ""]
    if digest.get("private"):
        m = digest["managers"][0]
        out += [t(language, "hello", name=(m["name"] or m["email"]).split()[0]), "",
                _summary(m, language) + ".", ""]
        out += _detail_lines(m, language) + ["", t(language, "private_note")]
    elif not digest["managers"]:
        out.append(t(language, "no_mail"))
        if skipped := i18n.skipped_line(digest.get("skipped"), language):
            out.append(skipped + ".")
    else:
        out += [_summary(digest["team"], language) + "."]
        if skipped := i18n.skipped_line(digest.get("skipped"), language):
            out.append(skipped + ".")
        out.append("")
        out.append(t(language, "managers_ranked" if digest.get("ranked") else "managers") + ":")
        for m in digest["managers"]:
            rank = f"{m['rank']}. " if "rank" in m else "- "
            change = f" ({i18n.signed(m['change'], language)})" if m["change"] is not None else ""
            out.append(f"{rank}{m['name'] or m['email']}: {i18n.number(m['mean_score'], language)}{change}, "
                       f"{i18n.emails(m['emails'], language)}, {t(language, 'passed')} "
                       f"{i18n.percent(m['pass_rate'], language)}")
        if digest["team"]["top_rules"]:
            out += ["", f"{t(language, 'team_rules')}: "
                        f"{_rules(digest['team']['top_rules'], language, digest['team']['rule_counts'])}"]
        out += ["", t(language, "details") + ":"]
        for m in digest["managers"]:
            out += ["", _name(m)] + [f"  {line}" for line in _detail_lines(m, language)]
    out += ["", t(language, "footer", tz=digest["timezone"])]
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(digest: dict, language: str = "ru") -> str:
    title, period = _title(digest, language)
    out = [f"# {title}", "", f"_{period}_", ""]
    managers = digest["managers"]
    if not digest.get("private"):
        if not managers:
            return "\n".join(out + [t(language, "no_mail"), ""])
        out += [f"**{_summary(digest['team'], language)}**", ""]
        if skipped := i18n.skipped_line(digest.get("skipped"), language):
            out += [_md_cell(skipped) + ".", ""]
        ranked = digest.get("ranked")
        columns = (["#"] if ranked else []) + [t(language, k) for k in
                                               ("col_manager", "col_emails", "col_score", "col_change", "col_passed")]
        out += [f"## {t(language, 'managers_ranked' if ranked else 'managers')}", "",
                "| " + " | ".join(columns) + " |", "|" + "|".join("---" if i < len(columns) - 4 else "---:"
                                                                 for i in range(len(columns))) + "|"]
        for m in managers:
            cells = ([str(m["rank"])] if ranked else []) + [
                _md_cell(m["name"] or m["email"]), str(m["emails"]), i18n.number(m["mean_score"], language),
                i18n.signed(m["change"], language), i18n.percent(m["pass_rate"], language)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    for m in managers:
        heading = _name(m) if not digest.get("private") else t(language, "hello", name=(m["name"] or m["email"]).split()[0])
        out += [f"### {_md_cell(heading)}", "", _summary(m, language), ""]
        out += [f"- {_md_cell(line)}" for line in _detail_lines(m, language)] + [""]
    out += [f"_{t(language, 'footer', tz=digest['timezone'])}_", ""]
    return "\n".join(out)


CSV_COLUMNS = ("week", "rank", "email", "name", "emails", "mean_score", "change", "pass_rate", "top_rules",
               "repeated", "fixed", "best", "worst")


def render_csv(digest: dict, language: str = "ru") -> str:
    """Machine-readable: dots for decimals and rule names as they are, whatever the language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in digest["managers"]:
        writer.writerow([digest["week"], m.get("rank", ""), m["email"], m["name"], m["emails"], m["mean_score"],
                         "" if m["change"] is None else m["change"], m["pass_rate"], ";".join(m["top_rules"]),
                         ";".join(m["repeated"]), ";".join(m.get("fixed", [])), m["best"], m["worst"]])
    return buffer.getvalue()
