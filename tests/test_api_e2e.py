"""End to end: a real `mail-lint serve` on loopback, the paste-a-draft page in real headless Chromium.

Needs Debian's chromium (/usr/bin/chromium) and the playwright Python package (its own browser
download is never used); skips with the reason when either is missing.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("MAIL_LINT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# A nameless greeting, a request without a deadline, and an attachment that is announced but absent.
RU_DRAFT_TEXT = ("Добрый день!\n\n"
                 "Направляю КП во вложении. Пришлите, пожалуйста, реквизиты.\n\n"
                 "С уважением,\nПётр Сидоров\nменеджер по продажам, Альфа Солар\n+7 495 123-45-67")
EXPECTED = ("greeting.unnamed", "cta.no-deadline", "forward.missing-attachment")

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"mail-lint serve exited: {server.stderr.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"mail-lint serve did not answer on {url} in {timeout}s")


@contextmanager
def running_service(tmp_path: Path, extra_config: str = ""):
    """A real `mail-lint serve` subprocess on a free loopback port, and a manager's token."""
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "verdicts.db"}"\n\n'
                      '[rules]\ndisable = ["grammar"]  # the page is under test here, not LanguageTool\n'
                      + extra_config, encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": "", "PYTHONUNBUFFERED": "1"}
    run = [sys.executable, "-m", "mail_lint"]
    made = subprocess.run([*run, "token", "create", "--role", "manager", "--email", "petr@alfa-solar.ru",
                           "--config", str(config)], capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([*run, "serve", "--host", "127.0.0.1", "--port", str(port), "--config", str(config)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, server)
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def service(tmp_path):
    with running_service(tmp_path) as started:
        yield started


@pytest.fixture
def browser_page():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400}, locale="ru-RU")
            yield page
        finally:
            browser.close()


@pytest.fixture
def csp_violations(browser_page) -> list[str]:
    """What Chromium refused under the pages' Content-Security-Policy, in any frame (it says so on the console)."""
    refused: list[str] = []
    browser_page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return refused


def test_a_russian_draft_is_checked_and_its_findings_highlighted(service, browser_page, csp_violations):
    url, token = service
    page = browser_page
    page.goto(url)
    assert page.locator("#check").inner_text() == "Проверить"  # Russian by default

    page.fill("#token", token)
    page.fill("#subject", "Коммерческое предложение на 40 солнечных панелей")
    page.fill("#to", "Иван Петров <ivan@client.ru>")
    page.fill("#text", RU_DRAFT_TEXT)
    page.click("#check")
    page.wait_for_selector("article.verdict", timeout=30_000)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-e2e-ru-draft.png"), full_page=True)

    marked = set(page.eval_on_selector_all(".annotated mark.finding", "marks => marks.map(m => m.dataset.name)"))
    missing = [name for name in EXPECTED if name not in marked]
    assert not missing, f"not highlighted: {missing}; highlighted: {sorted(marked)}"
    for name in EXPECTED:
        mark = page.locator(f'.annotated mark.finding[data-name="{name}"]').first
        assert mark.get_attribute("title")  # the message (and suggestion) on hover
        assert page.locator(f'ol.findings li[data-name="{name}"]').count() >= 1
    greeting = page.locator('.annotated mark[data-name="greeting.unnamed"]').first.inner_text()
    assert "Добрый день" in greeting
    assert page.locator("table.checks tr[data-check]").count() >= 3  # per-check scores
    assert "Оценка" in page.locator("article.verdict .score").inner_text()
    assert csp_violations == []


def test_the_page_switches_to_english_and_reports_errors_in_one_line(service, browser_page, csp_violations):
    url, _ = service
    page = browser_page
    page.goto(url)
    page.click("#lang-en")
    assert page.locator("#check").inner_text() == "Check"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.fill("#token", "mlt_wrong")
    page.fill("#text", "Hello,\n\nplease send the invoice.")
    page.click("#check")
    error = page.wait_for_selector("#result .error", timeout=15_000).inner_text()
    assert error == "Error: unknown token"
    page.reload()
    assert page.locator("#check").inner_text() == "Check"  # the choice is remembered
    assert page.input_value("#token") == "mlt_wrong"       # and so is the token
    assert csp_violations == []


def test_the_api_docs_render_without_any_network(service, browser_page, csp_violations):
    url, _ = service
    page = browser_page
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, f"blob:{url}")) else None)
    page.goto(url + "docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "mail-lint" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/v1/check").count() >= 1
    page.wait_for_load_state("networkidle")
    assert outside == [] and csp_violations == []


@contextmanager
def framing_site(*urls: str):
    """Another origin on loopback (a real server: Chromium blocks a page it cannot place from framing loopback
    anyway) whose page frames the given URLs."""
    import http.server
    import threading

    body = "".join(f'<iframe src="{u}" width="600" height="400"></iframe>' for u in urls).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"  # localhost: not the service's 127.0.0.1 origin
    finally:
        server.shutdown()
        server.server_close()


def test_no_other_site_can_frame_the_page(service, browser_page):
    """Clickjacking: a page elsewhere that frames ours gets Chromium's error page, not the form."""
    url, _ = service
    page = browser_page
    with framing_site(url) as elsewhere:
        page.goto(elsewhere)
        form = page.wait_for_selector("iframe").content_frame()
        form.wait_for_load_state()
        assert form.url.startswith("chrome-error://") and form.query_selector("#check") is None


def test_serve_with_two_worker_processes(tmp_path):
    """`serve --workers 2`: each worker builds the app from the same config file and shares the store."""
    import json

    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "verdicts.db"}"\n\n[rules]\ndisable = ["grammar"]\n',
                      encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": "", "MAIL_LINT_CONFIG": ""}
    run = [sys.executable, "-m", "mail_lint"]
    made = subprocess.run([*run, "token", "create", "--role", "head", "--email", "head@alfa-solar.ru",
                           "--config", str(config)], capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    token = made.stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([*run, "serve", "--port", str(port), "--workers", "2", "--config", str(config)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, server)
        ids = set()
        for i in range(4):
            body = json.dumps({"subject": f"КП №{i}", "text": "Иван, добрый день! Пришлите реквизиты до пятницы."})
            request = urllib.request.Request(url + "v1/check", data=body.encode(), method="POST", headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=30) as r:
                ids.add(r.headers["X-Verdict-Id"])
        assert len(ids) == 4
    finally:
        server.terminate()
        server.wait(timeout=15)


# -- the shorter version («Сокращённый вариант») and «Применить» ------------------------------------------

# Failed drafts (an attachment announced and absent) that the service shortens: an opener, bureaucratese, a filler.
PADDED = {
    "ru": {"subject": "Поставка 40 солнечных панелей", "to": "Иван Петров <ivan@client.ru>",
           "text": "Добрый день, Иван!\n\nХочу сообщить, что мы готовы осуществить поставку 40 солнечных панелей"
                   " в кратчайшие сроки. Направляю КП во вложении. Пришлите, пожалуйста, реквизиты до пятницы,"
                   " 5 декабря.\n\nС уважением,\nПётр Сидоров\nменеджер по продажам, Альфа Солар\n+7 495 123-45-67"},
    "en": {"subject": "Delivery of 40 solar panels", "to": "Ivan Petrov <ivan@client.com>",
           "text": "Hello Ivan,\n\nI am writing to let you know that at this point in time we are basically ready"
                   " to deliver the 40 solar panels. Please find attached our proposal. Please send us your company"
                   " details by Friday, December 5.\n\nBest regards,\nPetr Sidorov\nSales Manager, Alfa Solar\n"
                   "+7 495 123-45-67"},
}
WORDS = {"ru": "слов", "en": "words"}


def checked_json(url: str, token: str, draft: dict) -> dict:
    """The running service's verdict on a draft as the page sends it (not stored)."""
    import json
    body = json.dumps({"subject": draft["subject"], "to": [draft["to"]], "text": draft["text"]}).encode()
    request = urllib.request.Request(url + "v1/check?save=false", data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.loads(r.read())


def writing_span(verdict: dict) -> tuple[int, int]:
    spans = [verdict["parts"][name] for name in ("greeting", "body") if verdict["parts"][name]]
    return min(s[0] for s in spans), max(s[1] for s in spans)


def check_on_the_page(page, url: str, token: str, draft: dict, lang: str) -> None:
    page.goto(url)
    page.click(f"#lang-{lang}")
    page.fill("#token", token)
    page.fill("#subject", draft["subject"])
    page.fill("#to", draft["to"])
    page.fill("#text", draft["text"])
    with page.expect_response(lambda r: "/v1/check" in r.url):
        page.click("#check")
    page.wait_for_selector("article.verdict", timeout=30_000)


# The shorter version as shown: with the struck-through words dropped (what Apply gives), or with the inserted ones
# dropped (the draft as written).
SHOWN_WITHOUT = "(tag) => { const c = document.querySelector('.rewrite .rewritten').cloneNode(true);" \
                " c.querySelectorAll(tag).forEach((e) => e.remove()); return c.textContent; }"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_padded_draft_shows_its_shorter_version_and_apply_puts_it_in_the_draft(service, browser_page, csp_violations,
                                                                                  lang):
    url, token = service
    page = browser_page
    draft = PADDED[lang]
    verdict = checked_json(url, token, draft)
    rewrite = verdict["rewrite"]
    assert rewrite["edits"] and not verdict["passed"], "the service shortens this failed draft"
    check_on_the_page(page, url, token, draft, lang)

    section = page.locator("section.rewrite")
    heading = section.locator("h3").inner_text()
    assert heading.startswith({"ru": "Сокращённый вариант", "en": "Shorter version"}[lang])
    assert f"{rewrite['words_before']} → {rewrite['words_after']} {WORDS[lang]}" in heading
    start, end = writing_span(verdict)
    assert page.evaluate(SHOWN_WITHOUT, "del") == rewrite["text"]
    assert page.evaluate(SHOWN_WITHOUT, "ins") == verdict["text"][start:end]
    marked = section.locator(".edit").evaluate_all(
        "es => es.map(e => ({start: +e.dataset.start, end: +e.dataset.end, replacement: e.dataset.replacement}))")
    assert marked == [{k: e[k] for k in ("start", "end", "replacement")} for e in rewrite["edits"]]
    assert section.locator("del").first.evaluate("d => getComputedStyle(d).textDecorationLine") == "line-through"
    button = section.get_by_role("button", name={"ru": "Применить", "en": "Apply"}[lang])
    assert button.inner_text() == {"ru": "Применить", "en": "Apply"}[lang]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-rewrite-{lang}.png"), full_page=True)

    with page.expect_response(lambda r: "/v1/check" in r.url):
        button.click()
    page.wait_for_function("() => !document.getElementById('check').disabled")
    applied = verdict["text"][:start] + rewrite["text"] + verdict["text"][end:]
    assert page.input_value("#text") == applied  # the signature stays
    again = checked_json(url, token, {**draft, "text": applied})
    assert again["stats"]["removable_words"] < verdict["stats"]["removable_words"]
    shown = page.locator("section.rewrite")
    if again["rewrite"]["edits"]:
        assert shown.get_attribute("data-words-after") == str(again["rewrite"]["words_after"])
    else:
        assert shown.count() == 0
    assert csp_violations == []


def test_no_section_without_edits_user_text_stays_text_and_a_changed_draft_is_kept(service, browser_page):
    url, token = service
    page = browser_page
    concise = {**PADDED["ru"], "text": "Добрый день, Иван!\n\nПришлите реквизиты до пятницы, 5 декабря.\n\n"
                                       "С уважением,\nПётр Сидоров\nменеджер по продажам, Альфа Солар\n+7 495 123-45-67"}
    assert checked_json(url, token, concise)["rewrite"]["edits"] == []
    check_on_the_page(page, url, token, concise, "ru")
    assert page.locator("section.rewrite").count() == 0

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    # An emoji before the edits: one code point (the verdict's offsets), two UTF-16 units (the page's strings).
    hostile = {**PADDED["ru"], "text": PADDED["ru"]["text"].replace("Пришлите", f"{script} Пришлите")
               .replace("Иван!", "Иван! 🙂")}
    verdict = checked_json(url, token, hostile)
    assert verdict["rewrite"]["edits"]
    check_on_the_page(page, url, token, hostile, "ru")
    assert script in page.locator("section.rewrite .rewritten").inner_text()
    assert page.locator("#result script, #result img").count() == 0 and dialogs == []

    # Typed on after the check: the edits were for the text as checked, so Apply leaves the draft alone and says why.
    typed_on = hostile["text"] + "\nP.S."
    page.fill("#text", typed_on)
    page.click("section.rewrite button.apply-rewrite")
    assert page.locator("#status").inner_text() == "Текст изменился после проверки: проверьте письмо ещё раз."
    assert page.input_value("#text") == typed_on

    # As checked, it applies at the right offsets.
    page.fill("#text", hostile["text"])
    with page.expect_response(lambda r: "/v1/check" in r.url):
        page.click("section.rewrite button.apply-rewrite")
    start, end = writing_span(verdict)
    assert page.input_value("#text") == verdict["text"][:start] + verdict["rewrite"]["text"] + verdict["text"][end:]
