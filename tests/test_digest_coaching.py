"""The digest coaches from the manager's own sentences (issue 16): real drafts linted (grammar by a real
LanguageTool), stored in a real SQLite file, digested for their week."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mail_lint.config import validate
from mail_lint.digest import digest_json, private_digest
from mail_lint.digest.render import render
from mail_lint.engine import lint
from mail_lint.message import from_draft
from mail_lint.model import Attachment
from mail_lint.services import Services
from mail_lint.store import Store
from support.screenshots import screenshot

pytest_plugins = ("conftest_lt",)

MSK = ZoneInfo("Europe/Moscow")
OLGA, IVAN = "olga@alfa-solar.ru", "ivan@alfa-solar.ru"
CONFIG = validate({"general": {"timezone": "Europe/Moscow"}})
LANGUAGETOOL_ID = re.compile(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b")   # MORFOLOGIK_RULE_RU_RU, EN_A_VS_AN

DRAFTS = {
    OLGA: [
        ("КП на 40 панелей", "Добрый день!\n\nВ настоящее время направляем вам информацию по поставке оборудывания. "
                             "Хотелось бы отметить, что цена действует до пятницы.\n\nС уважением,\nОльга Смирнова\n"),
        ("Монтаж станции в Клину", "Добрый день!\n\nВ настоящее время монтаж оборудывания идёт по графику. "
                                   "Подтвердите, пожалуйста, доступ на объект.\n\nС уважением,\nОльга Смирнова\n"),
        ("Счёт №45 за панели", "Мария, добрый день!\n\nСчёт №45 во вложении. Оплатите, пожалуйста, до 10 декабря."
                               "\n\nС уважением,\nОльга Смирнова\nменеджер\nООО «Альфа Солар»\n+7 916 123-45-67\n"),
    ],
    IVAN: [
        ("Quote for 40 panels", "Hello,\n\nI just wanted to let you know that the quote is ready. In order to proceed "
                                "we need your confirmation.\n\nBest regards,\nIvan Petrov\n"),
    ],
}


ATTACHED = {"Счёт №45 за панели": ["Счёт 45.pdf"]}


@pytest.fixture
def digest(tmp_path, monkeypatch, lt_client):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with Store.open(f"sqlite:///{tmp_path / 'coach.db'}") as store:
        texts = {}
        for sender, drafts in DRAFTS.items():
            for day, (subject, text) in enumerate(drafts, start=1):
                message = from_draft(text=text, subject=subject, sender=sender, to=["Мария <maria@client.ru>"],
                                     date=datetime(2025, 12, day, 11, tzinfo=MSK),
                                     attachments=[Attachment(a) for a in ATTACHED.get(subject, [])])
                store.save(lint(message, CONFIG, Services(languagetool=lt_client)), "imap")
                texts.setdefault(sender, []).append(message.text)
        yield digest_json(store, CONFIG, "2025-W49"), texts


def test_each_problem_quotes_the_managers_own_email_and_the_better_wording(digest):
    data, texts = digest
    for m in data["managers"]:
        assert 1 <= len(m["coaching"]) <= 3
        for item in m["coaching"]:
            assert item["excerpt"] and any(item["excerpt"] in " ".join(t.split()) for t in texts[m["email"]])
            assert item["better"] or item["message"]
    olga = next(m for m in data["managers"] if m["email"] == OLGA)
    spelling = [i for i in olga["coaching"] if i["name"].startswith("spelling.")]
    assert spelling and spelling[0]["excerpt"] == "оборудывания" and spelling[0]["better"] == "оборудования"


def test_the_weightiest_problems_come_first(digest):
    data, _ = digest
    olga = next(m for m in data["managers"] if m["email"] == OLGA)
    weight = {"error": 3, "warning": 2, "suggestion": 1}
    scores = [weight[i["severity"]] * i["emails"] for i in olga["coaching"]]
    assert scores == sorted(scores, reverse=True)


def test_the_best_email_is_one_that_passed_among_three_or_more(digest):
    data, _ = digest
    olga = next(m for m in data["managers"] if m["email"] == OLGA)
    ivan = next(m for m in data["managers"] if m["email"] == IVAN)
    assert olga["emails"] == 3 and olga["best"] is not None and olga["best_subject"] == "Счёт №45 за панели"
    assert ivan["emails"] == 1 and ivan["best"] is None


@pytest.mark.parametrize("fmt, language", [("html", "ru"), ("text", "ru"), ("html", "en"), ("text", "en")])
def test_no_languagetool_id_reaches_the_reader(digest, fmt, language):
    data, _ = digest
    shown = render(data, fmt, language)
    assert "оборудывания" in shown                                  # the manager's own word is there
    assert not LANGUAGETOOL_ID.search(re.sub(r"<[^>]+>", " ", shown))


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_private_digest_coaches_in_chromium(digest, tmp_path, language):
    data, _ = digest
    html = render(private_digest(data, OLGA), "html", language)
    screenshot(html, f"digest-coaching-{language}", tmp_path)
    assert {"ru": "Что обсудить", "en": "To talk through"}[language] in html
    assert "оборудывания" in html and "оборудования" in html
