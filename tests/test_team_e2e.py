"""Issue 15's "done when", against a real `mail-lint serve --workers 2` with a real LanguageTool (conftest_lt.py),
a real SQLite store, the watcher against a real Dovecot, and the page and the add-in's pane in real Chromium."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from mail_lint.checks import Services
from mail_lint.imap_watcher.watcher import Watcher
from mail_lint.store import Store
from mail_lint.tokens import create_token
from support.mailservers import Dovecot
from test_addin_taskpane_e2e import DRAFT as PANE_DRAFT
from test_addin_taskpane_e2e import OFFICE_JS, OUTLOOK_STANDIN
from test_api_e2e import browser_page, csp_violations, free_port, wait_until_up  # noqa: F401

pytest_plugins = ("conftest_lt",)
REPO = Path(__file__).resolve().parent.parent

PETR, OLGA, HEAD = "petr@alfa-solar.ru", "olga@alfa-solar.ru", "head@alfa-solar.ru"
REFRESH = 1.0  # [rules] refresh_seconds of the services under test
SIGNATURE = "\n\nС уважением,\nПётр Сидоров\nменеджер, Альфа Солар\n+7 495 123-45-67"
BRAND_TEXT = ("Мария, добрый день!\n\nПанели поставит наш партнёр Зентрикс, договор с Зентриксом уже подписан. "
              "Пришлите, пожалуйста, адрес склада до пятницы." + SIGNATURE)
LONG_REQUEST = ("Пришлите, пожалуйста, до пятницы реквизиты компании и подписанный договор с приложениями, "
                "спецификацией, графиком поставки и оплаты, а также контакты ответственного за приёмку сотрудника "
                "на объекте, его телефон и удобное время для звонка на следующей неделе.")
LONG_SENTENCE = "Мария, добрый день!\n\n" + LONG_REQUEST + SIGNATURE


@contextmanager
def serving(config: Path, workers: int):
    env = {**os.environ, "DATABASE_URL": "", "PYTHONUNBUFFERED": "1"}
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mail_lint", "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--workers", str(workers), "--config", str(config)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, server, timeout=60)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def team_env(tmp_path, lt_server, monkeypatch):
    """The config every process shares (store, the shared LanguageTool), and tokens for two managers and the head."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = tmp_path / "verdicts.db"
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{db}"\n\n[grammar]\nurl = "{lt_server.url}"\ntimeout = 60.0\n\n'
                      f"[rules]\nrefresh_seconds = {REFRESH}\n", encoding="utf-8")
    with Store.open(f"sqlite:///{db}") as store:
        tokens = {email: create_token(store, role, email)
                  for role, email in (("manager", PETR), ("manager", OLGA), ("head", HEAD))}
    return config, tokens


@pytest.fixture
def service(team_env):
    config, tokens = team_env
    with serving(config, workers=2) as url:
        yield url, tokens


def call(url: str, token: str, method: str, path: str, **kwargs) -> httpx.Response:
    """One request on a connection of its own, so the two workers share the requests."""
    with httpx.Client(base_url=url, timeout=120) as client:
        return client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def draft(sender: str, text: str, to: str = "Мария Иванова <maria@client.ru>", subject: str = "Поставка 40 панелей"):
    return {"subject": subject, "from": sender, "to": [to], "text": text}


def flagged(url: str, token: str, body: dict, save: bool = False) -> dict[str, str]:
    """The spelling findings of one check: flagged text -> severity."""
    response = call(url, token, "POST", f"/v1/check?save={str(save).lower()}", json=body)
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["checks"]["grammar"]["status"] != "unavailable", verdict["checks"]["grammar"]
    return {verdict["text"][f["start"]:f["end"]]: f["severity"] for f in verdict["findings"]
            if f["name"].startswith("spelling.")}


def test_a_dismissed_brand_is_the_managers_own_word_and_the_dictionary_everyones(service):
    url, tokens = service
    petr, olga, head = tokens[PETR], tokens[OLGA], tokens[HEAD]
    assert flagged(url, petr, draft(PETR, BRAND_TEXT)).get("Зентрикс") == "warning"  # a suspected name: no block

    r = call(url, petr, "POST", "/v1/dismissals", json={"name": "spelling.MORFOLOGIK_RULE_RU_RU", "excerpt": "Зентрикс"})
    assert r.status_code == 201 and r.json()["personal"] is True
    time.sleep(REFRESH + 0.3)  # the worker that took it knows at once, the other within refresh_seconds
    for _ in range(4):
        assert not {"Зентрикс", "Зентриксом"} & set(flagged(url, petr, draft(PETR, BRAND_TEXT)))
    assert "Зентрикс" in flagged(url, olga, draft(OLGA, BRAND_TEXT))  # another manager still gets it

    assert call(url, olga, "POST", "/v1/dictionary", json={"word": "Зентрикс"}).status_code == 403
    dismissal = call(url, head, "GET", "/v1/dismissals").json()["items"][0]
    assert (dismissal["excerpt"], dismissal["dismissed_by"]) == ("Зентрикс", PETR)
    assert call(url, head, "POST", f"/v1/dismissals/{dismissal['id']}/promote").status_code == 201
    time.sleep(REFRESH + 0.3)
    inflected = BRAND_TEXT.replace("наш партнёр Зентрикс", "сотрудники Зентрикса").replace("Зентриксом", "ЗЕНТРИКСОМ")
    for token, sender in ((olga, OLGA), (olga, OLGA), (head, HEAD), (petr, PETR)):
        assert not {"Зентрикса", "ЗЕНТРИКСОМ"} & set(flagged(url, token, draft(sender, inflected)))
    assert call(url, head, "DELETE", "/v1/dictionary/зентрикс").status_code == 204
    time.sleep(REFRESH + 0.3)
    assert "Зентрикса" in flagged(url, olga, draft(OLGA, inflected))


def test_the_default_config_knows_compounds_and_british_spelling(service):
    url, tokens = service
    ru = draft(PETR, "Мария, добрый день!\n\nМонтаж сплит-систем и онлайн-оплата входят в КП, бизнес-ланч за наш счёт. "
                     "Пришлите, пожалуйста, адрес склада до пятницы." + SIGNATURE)
    assert flagged(url, tokens[PETR], ru) == {}
    en_text = ("Hi Mary,\n\nThe licences for the panels are ready. Please confirm the delivery address by Friday."
               "\n\nBest regards,\nPetr Sidorov\nSales manager, Alfa Solar")
    assert flagged(url, tokens[PETR], draft(PETR, en_text, to="Mary Jones <mary@client.co.uk>")) == {}
    assert "licences" in flagged(url, tokens[PETR], draft(PETR, en_text, to="Mary Jones <mary@client.com>"))


def long_sentence_mail(n: int) -> bytes:
    from email.message import EmailMessage
    mail = EmailMessage()
    mail["From"], mail["To"] = f"Пётр Сидоров <{PETR}>", "Мария Иванова <maria@client.ru>"
    mail["Subject"], mail["Message-ID"] = f"Договор поставки №{n}", f"<switch{n}@alfa-solar.ru>"
    mail["Date"] = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
    mail.set_content(LONG_SENTENCE)
    return mail.as_bytes()


@pytest.mark.skipif(not Dovecot.available(), reason="Dovecot is not installed (apt-get install dovecot-imapd)")
def test_a_rule_switched_off_by_the_head_is_off_in_every_worker_and_the_watcher(team_env, lt_client, monkeypatch):
    config_path, tokens = team_env
    from mail_lint.config import load
    from imapclient import IMAPClient
    dovecot = Dovecot({"head": "s3cret"}).start()
    try:
        monkeypatch.setenv("TEST_IMAP_PASSWORD", "s3cret")
        with IMAPClient("127.0.0.1", port=dovecot.port, ssl=False) as imap:
            imap.login("head", "s3cret")
            imap.create_folder("Sent")
            imap.append("Sent", long_sentence_mail(1))
        config_path.write_text(config_path.read_text(encoding="utf-8") + (
            f'\n[imap]\nhost = "127.0.0.1"\nport = {dovecot.port}\nsecurity = "none"\nuser = "head"\n'
            f'password_env = "TEST_IMAP_PASSWORD"\nfolders = ["Sent"]\naddress = "{HEAD}"\n'
            '\n[watch]\nselect_all = true\n'), encoding="utf-8")
        config = load(config_path)
        with Store.open(config=config) as store, serving(config_path, workers=2) as url, \
                serving(config_path, workers=1) as other_url:
            watcher = Watcher(config, store, Services(languagetool=lt_client))  # running before the switch
            assert watcher.run_once() == 1
            names = lambda item: {f["name"] for f in store.get(item["id"])["verdict"]["findings"]}  # noqa: E731
            assert "wordiness.long-sentence" in names(store.list(source="imap")[0])
            body = draft(PETR, LONG_SENTENCE)
            checked = lambda u: {f["name"] for f in call(u, tokens[PETR], "POST", "/v1/check?save=false",  # noqa: E731
                                                          json=body).json()["findings"]}
            assert "wordiness.long-sentence" in checked(url) and "wordiness.long-sentence" in checked(other_url)

            off = {"enabled": False}
            assert call(url, tokens[PETR], "PATCH", "/v1/rules/wordiness.long-sentence", json=off).status_code == 403
            r = call(url, tokens[HEAD], "PATCH", "/v1/rules/wordiness.long-sentence", json=off)
            assert r.status_code == 200 and r.json()["enabled"] is False
            time.sleep(REFRESH + 0.3)
            # Another process (a second service on the same store) and both workers of the first: all see it.
            assert "wordiness.long-sentence" not in checked(other_url)
            for _ in range(6):
                assert "wordiness.long-sentence" not in checked(url)
            rules = call(other_url, tokens[PETR], "GET", "/v1/rules").json()
            state = {r["name"]: r["enabled"] for c in rules["checks"] for r in c["rules"]}
            assert state["wordiness.long-sentence"] is False and state["wordiness.stop-word"] is True

            with IMAPClient("127.0.0.1", port=dovecot.port, ssl=False) as imap:
                imap.login("head", "s3cret")
                imap.append("Sent", long_sentence_mail(2))
            assert watcher.run_once() == 1  # the same watcher, not restarted
            second = next(i for i in store.list(source="imap") if i["message_id"] == "<switch2@alfa-solar.ru>")
            assert "wordiness.long-sentence" not in names(second)
    finally:
        dovecot.remove()


def test_the_digest_counts_what_fired_and_what_was_dismissed(service):
    url, tokens = service
    petr, head = tokens[PETR], tokens[HEAD]
    ids = []
    for n in range(3):  # three stored checks, each with the suspected brand and a long sentence
        body = draft(PETR, f"Мария, добрый день!\n\nПартия {n + 1}: панели поставит наш партнёр Зентрикс. "
                     + LONG_REQUEST + SIGNATURE, subject=f"Поставка панелей, партия {n + 1}")
        r = call(url, petr, "POST", "/v1/check", json=body)
        assert r.status_code == 200, r.text
        ids.append(int(r.headers["X-Verdict-Id"]))
    verdict = call(url, petr, "GET", f"/v1/verdicts/{ids[0]}").json()["verdict"]
    spelling = next(f for f in verdict["findings"] if verdict["text"][f["start"]:f["end"]] == "Зентрикс")
    fired = {}
    for verdict_id in ids:
        for f in call(url, petr, "GET", f"/v1/verdicts/{verdict_id}").json()["verdict"]["findings"]:
            fired[f["name"]] = fired.get(f["name"], 0) + 1
    assert fired[spelling["name"]] >= 3 and fired["wordiness.long-sentence"] >= 3
    dismissed = [(spelling["name"], "Зентрикс", ids[0]), ("wordiness.long-sentence", "Пришлите", ids[1]),
                 ("wordiness.long-sentence", "Пришлите", ids[2])]
    for name, excerpt, verdict_id in dismissed:
        r = call(url, petr, "POST", "/v1/dismissals", json={"name": name, "excerpt": excerpt, "verdict_id": verdict_id})
        assert r.status_code == 201, r.text

    week = datetime.now(ZoneInfo("Europe/Moscow")).strftime("%G-W%V")  # the default [general] timezone's week
    digest = call(url, head, "GET", "/v1/digest", params={"week": week}).json()
    rules = {r["name"]: r for r in digest["rules"]}
    assert rules[spelling["name"]]["fired"] == fired[spelling["name"]]
    assert rules[spelling["name"]]["dismissed"] == 1
    long = rules["wordiness.long-sentence"]
    assert (long["fired"], long["dismissed"]) == (fired["wordiness.long-sentence"], 2)
    assert long["dismissed_share"] == round(2 / fired["wordiness.long-sentence"], 3)
    assert long["review"] is (2 / fired["wordiness.long-sentence"] > 0.3)
    assert all(r["dismissed"] == 0 for name, r in rules.items() if name not in (spelling["name"],
                                                                                 "wordiness.long-sentence"))
    page = call(url, head, "GET", "/v1/digest", params={"week": week, "format": "html"}).text
    assert 'data-rule="wordiness.long-sentence"' in page and "Ложные срабатывания" in page


# -- the buttons, in Chromium ----------------------------------------------------------------------

@pytest.fixture
def one_worker(team_env):
    config, tokens = team_env
    with serving(config, workers=1) as url:
        yield url, tokens


def test_the_page_button_dismisses_and_the_finding_is_gone_after_the_recheck(one_worker, browser_page,
                                                                              csp_violations):  # noqa: F811
    url, tokens = one_worker
    page = browser_page
    page.goto(url)
    page.fill("#token", tokens[PETR])
    page.fill("#subject", "Вопрос")  # a vague subject: a finding that stays after the recheck
    page.fill("#to", "Мария Иванова <maria@client.ru>")
    page.fill("#text", BRAND_TEXT)
    page.click("#check")
    page.wait_for_selector("article.verdict", timeout=60_000)
    button = page.locator('li a.dismiss[data-excerpt="Зентрикс"]')
    assert button.inner_text() == "Не ошибка"
    assert page.locator('mark.finding[data-name^="spelling."]', has_text="Зентрикс").count() >= 1  # and «Зентриксом»
    page.evaluate("document.querySelector('article.verdict').dataset.old = '1'")
    button.click()
    page.wait_for_selector("article.verdict:not([data-old])", timeout=60_000)  # checked again
    assert page.locator('mark.finding[data-name^="spelling."]', has_text="Зентрикс").count() == 0
    assert page.locator('li a.dismiss[data-excerpt="Зентрикс"]').count() == 0

    # Any other finding is recorded for the head, and the page says so.
    other = page.locator('li a.dismiss[data-name="forward.vague-subject"]')
    name = other.get_attribute("data-name")
    other.click()
    page.wait_for_selector(".verdict .dismissed")
    items = call(url, tokens[HEAD], "GET", "/v1/dismissals").json()["items"]
    assert [(d["name"], d["dismissed_by"]) for d in items][:1] == [(name, PETR)]
    assert csp_violations == []


def test_the_pane_button_dismisses_and_the_finding_is_gone_after_the_recheck(one_worker, browser_page,
                                                                              csp_violations):  # noqa: F811
    url, tokens = one_worker
    page = browser_page
    script = OUTLOOK_STANDIN % {"draft": json.dumps({**PANE_DRAFT, "text": BRAND_TEXT}, ensure_ascii=False),
                                "settings": json.dumps({"mailLintToken": tokens[PETR]}).replace('"', '\\"')}
    page.route(OFFICE_JS, lambda route: route.fulfill(status=200, content_type="text/javascript", body=script))
    page.goto(url + "addin/taskpane.html")
    frame = page.frame_locator("#verdict")
    frame.locator("article.verdict").wait_for(timeout=60_000)
    assert frame.locator('mark.finding[data-name^="spelling."]', has_text="Зентрикс").count() >= 1  # and «Зентриксом»
    button = frame.locator('li a.dismiss[data-excerpt="Зентрикс"]')
    assert button.inner_text() == "Не ошибка"
    button.click()
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Проверено в')")
    page.wait_for_function("""() => {
        const doc = document.getElementById('verdict').contentDocument;
        return doc && doc.querySelector('article.verdict') && !doc.querySelector('li a.dismiss[data-excerpt="Зентрикс"]');
    }""", timeout=60_000)
    assert frame.locator('mark.finding[data-name^="spelling."]', has_text="Зентрикс").count() == 0
    assert call(url, tokens[HEAD], "GET", "/v1/dismissals").json()["items"][0]["excerpt"] == "Зентрикс"
    assert csp_violations == []

