"""The add-in's task pane in real headless Chromium against a real `mail-lint serve`.

Outlook itself cannot run here, so Office.js (which the pane loads from Microsoft's CDN) is answered by a
small stand-in for Outlook's compose item and roaming settings; everything else (the pane's files, the
check, the annotated verdict) comes from the running service. Skips like test_api_e2e when Chromium or
playwright is missing.
"""
from __future__ import annotations

import json
import re

import pytest

from test_api_e2e import ARTIFACTS, browser_page, csp_violations, framing_site, running_service, service  # noqa: F401

PUBLIC = "https://mail-lint.alfa-solar.test"  # the service's public URL behind a TLS proxy ([api] base_url)
OUTLOOK_COMPOSE = "https://outlook.office.com/mail/deeplink/compose"

OFFICE_JS = "https://appsforoffice.microsoft.com/**"
# Outlook as the pane sees it: a draft being written, and roaming settings that persist across reloads.
OUTLOOK_STANDIN = """
window.__draft = %(draft)s;
// Outlook keeps roaming settings in the mailbox; here, localStorage where the frame may use it (a third-party
// frame, as in Outlook on the web, may not).
window.__roaming = (function () { try { return window.localStorage; } catch (e) { return null; } })();
window.__settings = JSON.parse((window.__roaming && window.__roaming.getItem("roaming")) || "%(settings)s");
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
        saveAsync: function (cb) {
          if (window.__roaming) window.__roaming.setItem("roaming", JSON.stringify(window.__settings));
          cb(done());
        },
      },
      mailbox: {
        userProfile: { emailAddress: "petr@alfa-solar.ru" },
        item: {
          subject: field("subject"), to: field("to"), cc: field("cc"), from: field("from"),
          // A draft with `html` is an HTML body (Outlook converts it for a text read; not needed here).
          body: {
            getTypeAsync: function (cb) { cb(done(window.__draft.html ? "html" : "text")); },
            getAsync: function (type, cb) { cb(done(type === "html" ? window.__draft.html || "" : window.__draft.text)); },
            setAsync: function (data, options, cb) {
              window.__draft[options.coercionType === "html" ? "html" : "text"] = data;
              cb(done());
            },
          },
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


def stand_in_for_office_js(page, settings: dict, draft: dict = DRAFT) -> None:
    script = OUTLOOK_STANDIN % {"draft": json.dumps(draft, ensure_ascii=False),
                                "settings": json.dumps(settings).replace('"', '\\"')}
    page.route(OFFICE_JS, lambda route: route.fulfill(status=200, content_type="text/javascript", body=script))


def open_pane(page, url: str, settings: dict, draft: dict = DRAFT):
    stand_in_for_office_js(page, settings, draft)
    page.goto(url + "addin/taskpane.html")


def verdict_names(page) -> set[str]:
    """page: the page, or the frame that holds the pane."""
    frame = page.frame_locator("#verdict")
    frame.locator("article.verdict").wait_for(timeout=30_000)
    return set(frame.locator(".annotated mark.finding").evaluate_all("ms => ms.map(m => m.dataset.name)"))


def test_the_pane_shows_the_verdict_and_rechecks_after_an_edit(service, browser_page, csp_violations):  # noqa: F811
    url, token = service
    page = browser_page
    open_pane(page, url, {"mailLintToken": token})
    assert page.locator("#recheck").inner_text() == "Проверить заново"
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Проверено в')")
    assert "forward.missing-attachment" in verdict_names(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "addin-taskpane-ru.png"), full_page=True)

    # The manager attaches the file and checks again: the error is gone.
    page.evaluate("window.__draft.attachments.push({name: 'КП.pdf', size: 48213, isInline: false})")
    page.evaluate("document.getElementById('verdict').removeAttribute('srcdoc')")
    page.click("#recheck")
    assert "forward.missing-attachment" not in verdict_names(page)
    assert csp_violations == []


def test_the_pane_asks_for_a_token_saves_it_and_switches_to_english(service, browser_page):  # noqa: F811
    url, token = service
    page = browser_page
    open_pane(page, url, {})
    page.wait_for_function("() => document.getElementById('status').textContent === 'Укажите токен в настройках.'")
    assert page.locator("#settings").get_attribute("open") is not None
    page.fill("#token", token)
    page.fill("#timeout", "3")
    page.click("#save")
    assert "forward.missing-attachment" in verdict_names(page)
    assert page.evaluate("window.__settings") == {"mailLintToken": token, "mailLintTimeoutSeconds": 3}

    page.click('[data-lang="en"]')
    assert page.locator("#recheck").inner_text() == "Check again"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Checked at')")
    assert page.frame_locator("#verdict").locator("html").get_attribute("lang") == "en"
    page.reload()  # the choice is in roaming settings, so the pre-send notices follow it too
    assert page.locator("#recheck").inner_text() == "Check again"
    assert page.input_value("#token") == token


@pytest.fixture
def public_service(tmp_path):
    with running_service(tmp_path, f'\n[api]\nbase_url = "{PUBLIC}"\n') as started:
        yield started


def test_outlook_on_the_web_frames_the_pane_and_no_one_else_can(public_service, browser_page, csp_violations):  # noqa: F811
    """Outlook on the web shows the pane in an iframe of its own https page: the pane's frame-ancestors must
    let it, under the pane's whole policy (Office.js, the service behind its public URL, the verdict)."""
    url, token = public_service
    page = browser_page
    stand_in_for_office_js(page, {"mailLintToken": token})
    # Outlook's page and the public URL are answered here; the public URL by the running service, as a proxy would.
    page.route(OUTLOOK_COMPOSE, lambda route: route.fulfill(content_type="text/html", body=(
        f'<iframe id="pane" src="{PUBLIC}/addin/taskpane.html" width="420" height="900"></iframe>')))
    page.route(PUBLIC + "/**", lambda route: route.fulfill(
        response=route.fetch(url=url + route.request.url.removeprefix(PUBLIC + "/"))))
    page.goto(OUTLOOK_COMPOSE)
    pane = page.frame_locator("#pane")
    assert "forward.missing-attachment" in verdict_names(pane)  # the check went through the public URL
    assert csp_violations == []

    with framing_site(url + "addin/taskpane.html") as elsewhere:
        page.goto(elsewhere)
        frame = page.wait_for_selector("iframe").content_frame()
        frame.wait_for_load_state()
        assert frame.url.startswith("chrome-error://") and frame.query_selector("#recheck") is None


# An Outlook reply being written: formatting in the new text, the signature, and the quoted history under
# Outlook's header, whose quoted text says «осуществить поставку» too.
REPLY_QUOTE = ('<div id="divRplyFwdMsg"><b>От:</b> Иван Петров &lt;ivan@client.ru&gt;<br><b>Тема:</b> Панели</div>'
               "<div><p>Пётр, когда вы сможете осуществить поставку 40 панелей?</p></div>")
REPLY_HTML = ("<html><body><p>Добрый день, Иван!</p><p>Хочу сообщить, что мы <b>готовы</b> осуществить&nbsp;поставку"
              ' <span style="color:#1f4e79">40 солнечных панелей</span> в кратчайшие сроки. Направляю КП во вложении.'
              " Пришлите, пожалуйста, реквизиты до пятницы, 5 декабря.</p><p>С уважением,<br>Пётр Сидоров<br>"
              "менеджер по продажам<br>Альфа Солар<br>+7 495 123-45-67</p>" + REPLY_QUOTE + "</body></html>")


def test_apply_puts_the_shorter_version_into_the_body_in_place(service, browser_page):  # noqa: F811
    url, token = service
    page = browser_page
    open_pane(page, url, {"mailLintToken": token}, {**DRAFT, "html": REPLY_HTML, "attachments": []})
    frame = page.frame_locator("#verdict")
    frame.locator("section.rewrite").wait_for(timeout=30_000)
    frame.locator("section.rewrite").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "addin-taskpane-rewrite-ru.png"), full_page=True)
    apply = frame.get_by_role("button", name="Применить")

    # The manager typed on after the check, and the phrase to shorten now stands twice: nothing is changed.
    typed_on = REPLY_HTML.replace("реквизиты до", "реквизиты, чтобы осуществить поставку, до")
    page.evaluate("html => { window.__draft.html = html; }", typed_on)
    apply.click()
    page.wait_for_function("() => document.getElementById('status').className === 'error'")
    assert page.locator("#status").inner_text() == (
        "Сокращённый вариант не применён: в письме не удалось однозначно найти «осуществить поставку».")
    assert page.evaluate("window.__draft.html") == typed_on

    # Checked again, both are shortened; the formatting, the signature and the quote stay.
    frame.locator("article.verdict").evaluate("a => { a.dataset.seen = 'yes'; }")
    page.click("#recheck")
    frame.locator("article.verdict:not([data-seen])").wait_for(timeout=30_000)
    apply.click()
    page.wait_for_function("html => window.__draft.html !== html", arg=typed_on)
    body = page.evaluate("window.__draft.html")
    new_text = body.split('<div id="divRplyFwdMsg">')[0]
    assert "осуществить" not in new_text and new_text.count("поставить") == 2 and "<p>Мы <b>готовы</b>" in new_text
    assert body.endswith(REPLY_QUOTE + "</body></html>")
    assert re.findall(r"<[^>]+>", body) == re.findall(r"<[^>]+>", typed_on)
    assert '<span style="color:#1f4e79">40 солнечных панелей</span>' in body and "5 декабря" in body
