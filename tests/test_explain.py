"""The verdict in words (mail_lint/explain.py): why it failed, findings in reading order, the better wording once."""
import re

import pytest

from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.explain import better, reading_order, reason
from mail_lint.message import from_draft
from mail_lint.model import Attachment

CONFIG = validate({"rules": {"disable": ["grammar", "spelling"]}})


def _verdict(text, subject, sender="Иван Петров <ivan.petrov@alfa-solar.ru>", attachments=()):
    return lint(from_draft(text=text, subject=subject, sender=sender, to=["Мария Соколова <m@stroysnab.ru>"],
                           date="2025-12-03T10:15:00+03:00", attachments=[Attachment(a) for a in attachments]),
                CONFIG)


@pytest.mark.parametrize("text, subject, sender, expected", [
    ("Мария, добрый день!\n\nНаправляю КП во вложении. Подтвердите, пожалуйста, до пятницы.\n\nС уважением,\n"
     "Иван Петров\nменеджер\nООО «Альфа Солар»\n+7 916 123-45-67\n", "КП на 40 панелей",
     "Иван Петров <ivan.petrov@alfa-solar.ru>", "Не пройдена: обещано вложение, но его нет"),
    ("Hi Maria,\n\nPlease find attached the quote. Please confirm by Friday.\n\nBest regards,\nIvan Petrov\n"
     "Sales Manager\nAlfa Solar LLC\n+7 916 123-45-67\n", "Quote for 40 panels",
     "Ivan Petrov <ivan.petrov@alfa-solar.com>", "Failed: attachment promised, none attached"),
])
def test_a_failed_verdict_names_its_errors(text, subject, sender, expected):
    verdict = _verdict(text, subject, sender)
    assert not verdict.passed
    assert reason(verdict, verdict.message.language) == expected


def test_a_passed_verdict_with_warnings_names_them_in_its_language():
    ru = _verdict("Добрый день!\n\nПодтвердите, пожалуйста, заказ до пятницы.\n\nС уважением,\nИван Петров\n"
                  "менеджер\nООО «Альфа Солар»\n+7 916 123-45-67\n", "Заказ №17 на 40 панелей")
    assert ru.passed
    assert reason(ru, "ru") == "Пройдена с замечаниями: приветствие без имени"
    assert reason(ru, "en") == "Passed with remarks: greeting without a name"


def test_findings_read_errors_first_then_by_position():
    verdict = _verdict("Добрый день!\n\nНаправляю КП во вложении.\n", "Документы")
    order = [(f.severity, f.start) for f in reading_order(verdict.findings)]
    rank = {"error": 0, "warning": 1, "suggestion": 2}
    assert order == sorted(order, key=lambda p: (rank[p[0]], p[1]))
    assert order[0][0] == "error"


def test_the_better_wording_is_shown_once():
    verdict = _verdict("Мария, добрый день!\n\nВ настоящее время панели на складе. Подтвердите заказ до пятницы.\n\n"
                       "Иван Петров\n", "Заказ №17 на 40 панелей")
    finding = next(f for f in verdict.findings if f.name == "wordiness.stop-word")
    assert "Сейчас" in finding.message and "Сейчас" in finding.replacements
    assert better(finding) == ""            # the message already says «→ «Сейчас»»


@pytest.mark.parametrize("text, subject, sender", [
    ("Мария, добрый день!\n\nВ настоящее время хотелось бы отметить, что на сегодняшний день наша компания является "
     "лидером рынка и в кратчайшие сроки осуществляет поставку. Подтвердите заказ до пятницы.\n\nИван Петров\n",
     "Заказ №17 на 40 панелей", "Иван Петров <ivan.petrov@alfa-solar.ru>"),
    ("Hi Maria,\n\nI just wanted to basically let you know that at this point in time we are in a position to "
     "actually deliver. Please do not hesitate to confirm the order by Friday.\n\nIvan Petrov\n",
     "Order 17 for 40 panels", "Ivan Petrov <ivan.petrov@alfa-solar.com>"),
])
def test_a_check_scored_low_on_suggestions_is_not_ok(text, subject, sender):
    verdict = _verdict(text, subject, sender)
    wordiness = verdict.checks["wordiness"]
    assert all(f.severity == "suggestion" for f in verdict.findings if f.check == "wordiness")
    assert wordiness["score"] < 80 and wordiness["status"] == "warn"


def test_the_annotated_verdict_says_why_and_lists_errors_first_with_labels():
    from mail_lint.annotate import render_page
    verdict = _verdict("Добрый день!\n\nНаправляю КП во вложении.\n", "Документы").to_json()
    page = render_page(verdict)
    assert '<span class="reason failed">Не пройдена: обещано вложение, но его нет' in page
    severities = re.findall(r'<li class="sev-(\w+)"', page)
    assert severities and severities == sorted(severities, key=["error", "warning", "suggestion"].index)
    first = page.split('<li class="sev-')[1]
    assert '<b class="label">обещано вложение, но его нет</b>' in first
    assert first.index('class="label"') < first.index('<div class="details"><code>forward.missing-attachment')
