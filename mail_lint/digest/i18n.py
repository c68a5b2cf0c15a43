"""Words and numbers of the digest in Russian (the default) and English."""
from __future__ import annotations

from datetime import date
from typing import Any

LANGUAGES = ("ru", "en")

_MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")

TEXT: dict[str, dict[str, str]] = {
    "brand": {"ru": "mail-lint · еженедельный отчёт", "en": "mail-lint · weekly digest"},
    "skipped": {"ru": "Не проверено из ящика", "en": "Not linted from the mailbox"},
    "skip_short": {"ru": "короткие", "en": "short"},
    "skip_not BCC": {"ru": "вы в «Кому» или «Копии», не в скрытой копии", "en": "you were in To/Cc, not BCC"},
    "skip_unparseable": {"ru": "не удалось прочитать", "en": "unreadable"},
    "skip_cannot lint": {"ru": "ошибка проверки", "en": "check failed"},
    "skip_other": {"ru": "другое", "en": "other"},
    "title": {"ru": "Качество писем: неделя {week}", "en": "Email quality: week {week}"},
    "private_title": {"ru": "Ваши письма: неделя {week}", "en": "Your emails: week {week}"},
    "hello": {"ru": "{name}, вот итоги вашей недели.", "en": "{name}, here is how your week went."},
    "private_note": {"ru": "Этот отчёт видите только вы.", "en": "Only you see this digest."},
    "emails_checked": {"ru": "проверено", "en": "emails checked"},
    "mean_score": {"ru": "средний балл", "en": "mean score"},
    "passed": {"ru": "прошли проверку", "en": "passed"},
    "vs_last_week": {"ru": "к прошлой неделе", "en": "vs last week"},
    "no_previous": {"ru": "на прошлой неделе писем не было", "en": "no emails the week before"},
    "chart_team": {"ru": "Средний балл команды по неделям", "en": "Team mean score by week"},
    "chart_own": {"ru": "Ваш средний балл по неделям", "en": "Your mean score by week"},
    "managers": {"ru": "Менеджеры", "en": "Managers"},
    "managers_ranked": {"ru": "Менеджеры: сначала доля прошедших писем, затем балл",
                        "en": "Managers by pass rate, then mean score"},
    "col_manager": {"ru": "Менеджер", "en": "Manager"},
    "col_emails": {"ru": "Писем", "en": "Emails"},
    "col_score": {"ru": "Балл", "en": "Score"},
    "col_change": {"ru": "Изм.", "en": "Change"},
    "col_passed": {"ru": "Прошли", "en": "Passed"},
    "col_trend": {"ru": "{n} нед.", "en": "{n} weeks"},
    "team_rules": {"ru": "Частые замечания команды", "en": "The team's most frequent findings"},
    "details": {"ru": "Подробно по менеджерам", "en": "Per manager"},
    "false_alarms": {"ru": "Ложные срабатывания", "en": "False alarms"},
    "false_alarms_note": {"ru": "сколько раз правило сработало и сколько раз его отметили «Не ошибка»",
                          "en": "how often each rule fired and how often it was marked “Not a problem”"},
    "col_rule": {"ru": "Правило", "en": "Rule"},
    "col_fired": {"ru": "Сработало", "en": "Fired"},
    "col_dismissed": {"ru": "«Не ошибка»", "en": "Dismissed"},
    "review": {"ru": "пересмотреть", "en": "review"},
    "top_rules": {"ru": "Частые замечания", "en": "Most frequent"},
    "repeated": {"ru": "Повторились", "en": "Repeated"},
    "repeated_hint": {"ru": "уже встречались в прошлые недели", "en": "already seen in earlier weeks"},
    "no_repeats": {"ru": "Ни одно прошлое замечание не повторилось — отлично!",
                   "en": "None of the earlier findings came back: well done!"},
    "fixed": {"ru": "Исправлено", "en": "Fixed"},
    "fixed_hint": {"ru": "были на прошлой неделе, на этой — нет", "en": "last week, not this week"},
    "best": {"ru": "Лучшее письмо", "en": "Best email"},
    "coach": {"ru": "Что обсудить", "en": "To talk through"},
    "coach_repeated": {"ru": "повторяется", "en": "repeated"},
    "worst": {"ru": "Худшее письмо", "en": "Worst email"},
    "no_findings": {"ru": "замечаний нет", "en": "no findings"},
    "no_mail": {"ru": "За эту неделю проверенных писем нет.", "en": "No emails were checked this week."},
    "footer": {"ru": "Недели считаются по часовому поясу {tz}. Отчёт подготовил mail-lint.",
               "en": "Weeks follow the {tz} time zone. Prepared by mail-lint."},
    "week_short": {"ru": "нед. {n}", "en": "wk {n}"},
    "open": {"ru": "открыть разбор", "en": "open the review"},
}


def t(language: str, key: str, **values: Any) -> str:
    return TEXT[key][language].format(**values)


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def emails(n: int, language: str) -> str:
    if language == "ru":
        return f"{n} {plural_ru(n, 'письмо', 'письма', 'писем')}"
    return f"{n} email" + ("" if n == 1 else "s")


def number(value: float | None, language: str) -> str:
    """82.4 as "82,4" in Russian; whole numbers without a decimal part."""
    if value is None:
        return "—"
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if language == "ru" else text


def signed(value: float | None, language: str) -> str:
    """+3,1 / −2,5 (a real minus sign) / ±0."""
    if value is None:
        return "—"
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + number(abs(value), language)


def percent(share: float | None, language: str) -> str:
    if share is None:
        return "—"
    value = round(share * 100)
    return f"{value}\u202f%" if language == "ru" else f"{value}%"


def period(start: date, end: date, language: str) -> str:
    """1–7 декабря 2025; 29 декабря 2025 – 4 января 2026; 1–7 December 2025."""
    months = _MONTHS_RU if language == "ru" else _MONTHS_EN
    if start.year != end.year:
        return f"{start.day} {months[start.month - 1]} {start.year} – {end.day} {months[end.month - 1]} {end.year}"
    if start.month != end.month:
        return f"{start.day} {months[start.month - 1]} – {end.day} {months[end.month - 1]} {end.year}"
    return f"{start.day}–{end.day} {months[end.month - 1]} {end.year}"


def language_of(config: Any, requested: str | None = None) -> str:
    """An explicit choice, else `[digest] language`, else `[general] default_language`."""
    chosen = requested or config.section("digest").get("language") or config.section("general")["default_language"]
    return chosen if chosen in LANGUAGES else "ru"


def skipped_line(skipped: dict | None, language: str) -> str:
    """"Не проверено из ящика: 12 писем (короткие — 9, ...)" / "Not linted from the mailbox: 12 emails (short: 9,
    ...)"; "" when nothing was skipped."""
    if not skipped or not skipped.get("total"):
        return ""
    joiner = " — " if language == "ru" else ": "
    parts = ", ".join(f"{TEXT.get('skip_' + kind, TEXT['skip_other'])[language]}{joiner}{n}"
                      for kind, n in skipped["by_kind"].items())
    return f"{TEXT['skipped'][language]}: {emails(skipped['total'], language)} ({parts})"
