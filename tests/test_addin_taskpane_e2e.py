"""The add-in's task pane in real headless Chromium against a real `mail-lint serve`.

Outlook itself cannot run here, so Office.js (which the pane loads from Microsoft's CDN) is answered by a
small stand-in for Outlook's compose item and roaming settings; everything else (the pane's files, the
check, the annotated verdict) comes from the running service. Skips like test_api_e2e when Chromium or
playwright is missing.
"""
from __future__ import annotations

import json

import pytest

from test_api_e2e import ARTIFACTS, browser_page, service  # noqa: F401 (fixtures)

OFFICE_JS = "https://appsforoffice.microsoft.com/**"
# Outlook as the pane sees it: a draft being written, and roaming settings that persist across reloads.
OUTLOOK_STANDIN = """
window.__draft = %(draft)s;
window.__settings = JSON.parse(localStorage.getItem("roaming") || "%(settings)s");
(function () {
  var done = function (value) { return { status: "succeeded", value: value }; };
  var field = function (name) { return { getAsync: function (cb) { cb(done(window.__draft[name])); } }; };
  window.Office = {
    onReady: function (cb) { setTimeout(cb, 0); },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Html: "html", Text: "text" },
    actions: { associate: function () {} },
    context: {
      displayLanguage: "ru-RU",
      roamingSettings: {
        get: function (n) { return window.__settings[n]; },
        set: function (n, v) { window.__settings[n] = v; },
        remove: function (n) { delete window.__settings[n]; },
        saveAsync: function (cb) { localStorage.setItem("roaming", JSON.stringify(window.__settings)); cb(done()); },
      },
      mailbox: {
        userProfile: { emailAddress: "petr@alfa-solar.ru" },
        item: {
          subject: field("subject"), to: field("to"), cc: field("cc"), from: field("from"),
          body: { getAsync: function (type, cb) { cb(done(type === "html" ? "" : window.__draft.text)); } },
          getAttachmentsAsync: function (cb) { cb(done(window.__draft.attachments)); },
        },
      },
    },
  };
})();
"""
DRAFT = {
    "subject": "КП на 40 солнечных панелей для склада",
    "to": [{"displayName": "Иван Петров", "emailAddress": "ivan@client.ru"}], "cc": [],
    "from": {"displayName": "Пётр Сидоров", "emailAddress": "petr@alfa-solar.ru"},
    "text": "Добрый день, Иван!\n\nНаправляю КП во вложении. Пришлите, пожалуйста, реквизиты до пятницы.\n\n"
            "С уважением,\nПётр Сидоров\nменеджер по продажам\nАльфа Солар\n+7 495 123-45-67",
    "attachments": [],
}


def open_pane(page, url: str, settings: dict):
    script = OUTLOOK_STANDIN % {"draft": json.dumps(DRAFT, ensure_ascii=False),
                                "settings": json.dumps(settings).replace('"', '\\"')}
    page.route(OFFICE_JS, lambda route: route.fulfill(status=200, content_type="text/javascript", body=script))
    page.goto(url + "addin/taskpane.html")


def verdict_names(page) -> set[str]:
    frame = page.frame_locator("#verdict")
    frame.locator("article.verdict").wait_for(timeout=30_000)
    return set(frame.locator(".annotated mark.finding").evaluate_all("ms => ms.map(m => m.dataset.name)"))


def test_the_pane_shows_the_verdict_and_rechecks_after_an_edit(service, browser_page):  # noqa: F811
    url, token = service
    page = browser_page
    open_pane(page, url, {"mailLintToken": token})
    assert page.locator("#recheck").inner_text() == "Проверить заново"
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Проверено в')")
    assert "forward.missing-attachment" in verdict_names(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "addin-taskpane-ru.png"), full_page=True)

    # The manager attaches the file and checks again: the error is gone.
    page.evaluate("window.__draft.attachments.push({name: 'КП.pdf', size: 48213, isInline: false})")
    page.evaluate("document.getElementById('verdict').removeAttribute('srcdoc')")
    page.click("#recheck")
    assert "forward.missing-attachment" not in verdict_names(page)


def test_the_pane_asks_for_a_token_saves_it_and_switches_to_english(service, browser_page):  # noqa: F811
    url, token = service
    page = browser_page
    open_pane(page, url, {})
    page.wait_for_function("document.getElementById('status').textContent === 'Укажите токен в настройках.'")
    assert page.locator("#settings").get_attribute("open") is not None
    page.fill("#token", token)
    page.fill("#timeout", "3")
    page.click("#save")
    assert "forward.missing-attachment" in verdict_names(page)
    assert page.evaluate("window.__settings") == {"mailLintToken": token, "mailLintTimeoutSeconds": 3}

    page.click('[data-lang="en"]')
    assert page.locator("#recheck").inner_text() == "Check again"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Checked at')")
    assert page.frame_locator("#verdict").locator("html").get_attribute("lang") == "en"
    page.reload()  # the choice is in roaming settings, so the pre-send notices follow it too
    assert page.locator("#recheck").inner_text() == "Check again"
    assert page.input_value("#token") == token
