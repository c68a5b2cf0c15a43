"""The check service over HTTP (FastAPI TestClient, a real SQLite file): verdicts, storage, bad input."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from mail_lint.annotate import annotate_text, render_page
from mail_lint.checks import Services
from api_support import MANAGER, OTHER_MANAGER, RU_DRAFT, open_env
from support.verdicts import verdict_for

REPO = Path(__file__).resolve().parent.parent
VERDICT_SCHEMA = json.loads((REPO / "mail_lint" / "schema" / "verdict.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path)
    with client:
        yield env
    env.store.close()


def assert_error(response, status: int, *fragments: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"] and isinstance(body["error"], str)
    assert "\n" not in body["error"] and body["error"]
    for fragment in fragments:
        assert fragment in body["error"]
    return body["error"]


# -- POST /v1/check ------------------------------------------------------------------------------

def test_a_draft_gets_the_contract_verdict_and_is_stored(env):
    r = env.client.post("/v1/check", json=RU_DRAFT, headers=env.auth(env.manager))
    assert r.status_code == 200, r.text
    verdict = r.json()
    jsonschema.validate(verdict, VERDICT_SCHEMA)
    assert verdict["message"]["language"] == "ru"
    assert verdict["message"]["from"] == MANAGER
    assert "forward.vague-subject" in {f["name"] for f in verdict["findings"]}
    verdict_id = int(r.headers["X-Verdict-Id"])
    assert r.headers["Location"] == f"/v1/verdicts/{verdict_id}"

    stored = env.client.get(f"/v1/verdicts/{verdict_id}", headers=env.auth(env.manager)).json()
    assert stored["verdict"] == verdict
    assert (stored["source"], stored["sender"], stored["subject"]) == ("api", MANAGER, "Документы")


def test_save_false_stores_nothing(env):
    r = env.client.post("/v1/check", params={"save": "false"}, json=RU_DRAFT, headers=env.auth(env.manager))
    assert r.status_code == 200 and "X-Verdict-Id" not in r.headers
    assert env.store.list() == []


# -- a stored verdict belongs to whoever stored it (issue 12: overwrite) -----------------------------

def stored(env, verdict_id: int) -> dict:
    return env.client.get(f"/v1/verdicts/{verdict_id}", headers=env.auth(env.head)).json()


def as_olga(message_id: str) -> dict:
    return {**RU_DRAFT, "from": OTHER_MANAGER, "subject": "Подмена", "text": "Добрый день!\n\nЗаменяю.\n\nОльга",
            "message_id": message_id}


def test_a_manager_cannot_replace_another_managers_verdict_nor_learn_that_it_exists(env):
    petr = env.client.post("/v1/check", json={**RU_DRAFT, "message_id": "<deal@alfa-solar.ru>"},
                           headers=env.auth(env.manager))
    petr_id = int(petr.headers["X-Verdict-Id"])
    before = stored(env, petr_id)

    taken = env.client.post("/v1/check", json=as_olga("<deal@alfa-solar.ru>"), headers=env.auth(env.other_manager))
    fresh = env.client.post("/v1/check", json=as_olga("<never-seen@alfa-solar.ru>"), headers=env.auth(env.other_manager))
    # Olga's reply is the same whether the Message-ID was Petr's or never seen: a new id of her own.
    for reply, message_id in ((taken, "<deal@alfa-solar.ru>"), (fresh, "<never-seen@alfa-solar.ru>")):
        assert reply.status_code == 200 and set(reply.headers) >= {"x-verdict-id", "location"}
        assert reply.json()["message"]["message_id"] == message_id
        assert int(reply.headers["X-Verdict-Id"]) not in (petr_id,)
    assert stored(env, petr_id) == before  # sender, source, subject and verdict as Petr left them
    olga_items = env.client.get("/v1/verdicts", headers=env.auth(env.other_manager)).json()["items"]
    assert sorted(i["message_id"] for i in olga_items) == ["<deal@alfa-solar.ru>", "<never-seen@alfa-solar.ru>"]
    again = env.client.post("/v1/check", json=as_olga("<deal@alfa-solar.ru>"), headers=env.auth(env.other_manager))
    assert again.headers["X-Verdict-Id"] == taken.headers["X-Verdict-Id"]  # her own verdict: replaced in place


def test_nobody_replaces_the_watchers_verdict_through_the_api(env):
    from mail_lint.message import parse
    raw = ("From: Пётр <petr@alfa-solar.ru>\r\nTo: Иван <ivan@client.ru>\r\nSubject: КП\r\n"
           "Date: Wed, 03 Dec 2025 10:15:00 +0300\r\nMessage-ID: <watched@alfa-solar.ru>\r\n\r\n"
           "Иван, добрый день!\r\nНаправляю КП.\r\n\r\nПётр").encode()
    message = parse(raw)
    watcher_id = env.store.save(verdict_for(message, 90), "imap")
    before = stored(env, watcher_id)
    rfc822 = {"Content-Type": "message/rfc822"}
    # The head and Petr may read the watcher's verdict: they are told where it is, and nothing is stored.
    for token in (env.head, env.manager):
        r = env.client.post("/v1/check", content=raw, headers={**env.auth(token), **rfc822})
        assert_error(r, 409, "the mailbox watcher already stored a verdict on <watched@alfa-solar.ru>",
                     f"/v1/verdicts/{watcher_id}", "save=false")
    assert env.client.post("/v1/check", params={"save": "false"}, content=raw,
                           headers={**env.auth(env.head), **rfc822}).status_code == 200
    # Olga may not read it: her save goes into her own keeping, as if the Message-ID were new.
    olga = env.client.post("/v1/check", json=as_olga("<watched@alfa-solar.ru>"), headers=env.auth(env.other_manager))
    assert olga.status_code == 200 and int(olga.headers["X-Verdict-Id"]) != watcher_id
    assert stored(env, watcher_id) == before
    assert len(env.store.list()) == 2


def test_an_empty_from_is_the_managers_own_address(env):
    draft = {k: v for k, v in RU_DRAFT.items() if k != "from"}
    r = env.client.post("/v1/check", json=draft, headers=env.auth(env.manager))
    assert r.json()["message"]["from"] == MANAGER


def test_html_draft_and_english_text(env):
    draft = {"subject": "Question", "html": "<p>Hi,</p><p>please send the signed contract.</p><p>Petr</p>",
             "to": ["ivan@client.com"]}
    verdict = env.client.post("/v1/check", json=draft, headers=env.auth(env.manager)).json()
    assert verdict["message"]["language"] == "en"
    assert "please send the signed contract." in verdict["text"]
    vague = next(f for f in verdict["findings"] if f["name"] == "forward.vague-subject")
    assert "subject" in vague["message"]  # English mail, English message


def test_a_raw_rfc822_message(env):
    raw = (REPO / "mail_lint" / "examples" / "ru-kp.eml").read_bytes()
    r = env.client.post("/v1/check", content=raw, headers={**env.auth(env.head), "Content-Type": "message/rfc822"})
    assert r.status_code == 200, r.text
    verdict = r.json()
    jsonschema.validate(verdict, VERDICT_SCHEMA)
    assert verdict["message"]["message_id"]
    assert env.store.get(int(r.headers["X-Verdict-Id"]))["source"] == "api"


@pytest.mark.parametrize("how", ["query", "accept"])
def test_annotated_html_on_request(env, how):
    params, headers = ({"format": "html"}, {}) if how == "query" else ({}, {"Accept": "text/html,*/*"})
    r = env.client.post("/v1/check", params=params, json=RU_DRAFT, headers={**env.auth(env.manager), **headers})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'data-name="forward.vague-subject"' in r.text
    assert "Оценка" in r.text  # labels follow the email's language
    assert "Направляю КП во вложении." in re.sub(r"<[^>]+>", "", r.text)  # the text, cut by marks


def test_stored_verdict_as_html_in_the_chosen_language(env):
    r = env.client.post("/v1/check", json=RU_DRAFT, headers=env.auth(env.manager))
    page = env.client.get(f"/v1/verdicts/{r.headers['X-Verdict-Id']}", params={"format": "html", "lang": "en"},
                          headers=env.auth(env.manager))
    assert page.headers["content-type"].startswith("text/html")
    assert "Score" in page.text and 'data-name="forward.vague-subject"' in page.text


PADDED_DRAFT = {**RU_DRAFT, "text": "Добрый день, Иван!\n\nХочу сообщить, что в настоящее время мы готовы осуществить"
               " поставку 40 панелей. Пришлите, пожалуйста, реквизиты до пятницы.\n\nПётр Сидоров\nАльфа Солар"}


def test_the_shorter_version_is_marked_under_the_findings(env):
    """The marks are the service's own edits: the text without <del> is the rewrite, without <ins> the draft."""
    from html import unescape

    from mail_lint.digest.i18n import plural_ru
    verdict = env.client.post("/v1/check", params={"save": "false"}, json=PADDED_DRAFT,
                              headers=env.auth(env.manager)).json()
    assert verdict["rewrite"]["edits"]
    r = env.client.post("/v1/check", params={"format": "html"}, json=PADDED_DRAFT, headers=env.auth(env.manager))
    section = re.search(r'<section class="rewrite".*?</section>', r.text, re.S).group(0)
    assert section.index("Сокращённый вариант") < section.index('<div class="rewritten"')
    words = verdict["rewrite"]["words_before"], verdict["rewrite"]["words_after"]
    assert f"{words[0]} → {words[1]} {plural_ru(words[1], 'слово', 'слова', 'слов')}" in section
    shown = re.search(r'<div class="rewritten"[^>]*>(.*?)</div>', section, re.S).group(1)
    without = lambda tag: unescape(re.sub(r"<[^>]+>", "", re.sub(rf"<{tag}>.*?</{tag}>", "", shown, flags=re.S)))  # noqa: E731
    assert without("del") == verdict["rewrite"]["text"]
    parts = verdict["parts"]
    assert without("ins") == verdict["text"][parts["greeting"][0]:parts["body"][1]]
    assert section.count('class="edit"') == len(verdict["rewrite"]["edits"])
    assert 'class="apply-rewrite" aria-label="Применить сокращённый вариант к письму">Применить</button>' in section
    # The stored verdict read later shows the shorter version, but nothing to apply it to.
    stored = env.client.get(f"/v1/verdicts/{r.headers['X-Verdict-Id']}", params={"format": "html", "lang": "en"},
                            headers=env.auth(env.manager)).text
    assert "Shorter version" in stored and f"{words[0]} → {words[1]} words" in stored
    assert "<button" not in stored


# -- bad input -----------------------------------------------------------------------------------

def test_malformed_json_is_422_naming_the_body(env):
    r = env.client.post("/v1/check", content=b'{"subject": "x", "text": ', headers={
        **env.auth(env.manager), "Content-Type": "application/json"})
    assert_error(r, 422, "body", "not valid JSON")


@pytest.mark.parametrize("draft, field", [
    ({"text": "Добрый день", "to": "ivan@client.ru"}, "body.to"),
    ({"text": "Добрый день", "attachments": [{"filename": "a.pdf", "size": -1}]}, "body.attachments.0.size"),
    ({"text": "Добрый день", "date": "в пятницу утром"}, "body.date"),
    ({"text": "Добрый день", "language": "de"}, "body.language"),
    ({"text": "Добрый день", "txt": "typo for text"}, "body.txt"),
    ({"subject": "no text"}, "text or html"),
])
def test_invalid_fields_are_422_naming_the_field(env, draft, field):
    assert_error(env.client.post("/v1/check", json=draft, headers=env.auth(env.manager)), 422, field)


def test_bad_query_values_are_422_naming_the_parameter(env):
    h = env.auth(env.head)
    assert_error(env.client.get("/v1/verdicts", params={"min_score": 200}, headers=h), 422, "query.min_score")
    assert_error(env.client.get("/v1/verdicts", params={"since": "yesterday"}, headers=h), 422, "query.since")
    assert_error(env.client.post("/v1/check", params={"format": "pdf"}, json=RU_DRAFT, headers=h), 422, "query.format")


@pytest.mark.parametrize("date", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                                  "Fri, 31 Dec 9999 23:59:59 -1400", "2300-01-01"])
def test_draft_dates_outside_the_supported_years_are_422(env, date):
    r = env.client.post("/v1/check", json={**RU_DRAFT, "date": date}, headers=env.auth(env.manager))
    assert_error(r, 422, "body.date", "out of range", "1900", "2199")
    assert env.store.list() == []


def test_date_filters_past_the_calendar_ends_mean_no_bound(env):
    h = env.auth(env.head)
    assert env.client.post("/v1/check", json=RU_DRAFT, headers=h).status_code == 200
    for params in ({"since": "0001-01-01T00:00:00+14:00"}, {"until": "9999-12-31T23:59:59-14:00"},
                   {"since": "0001-01-01", "until": "9999-12-31"}):
        r = env.client.get("/v1/verdicts", params=params, headers=h)
        assert r.status_code == 200, r.text
        assert len(r.json()["items"]) == 1, params


@pytest.mark.parametrize("week", ["0001-W01", "9998-W52", "1899-W52", "2200-W01"])
def test_digest_weeks_outside_the_supported_years_are_422(env, week):
    r = env.client.get("/v1/digest", params={"week": week}, headers=env.auth(env.head))
    assert_error(r, 422, "query.week", "between 1900 and 2199")


def test_raw_mail_with_a_date_past_the_calendar_is_linted_without_a_date(env):
    raw = ("From: Пётр <petr@alfa-solar.ru>\r\nTo: Иван <ivan@client.ru>\r\nSubject: Договор\r\n"
           "Date: Fri, 31 Dec 9999 23:59:59 -1400\r\nMessage-ID: <far@alfa-solar.ru>\r\n\r\n"
           "Иван, добрый день!\r\nПришлите договор до пятницы.\r\n\r\nПётр").encode()
    r = env.client.post("/v1/check", content=raw, headers={**env.auth(env.manager), "Content-Type": "message/rfc822"})
    assert r.status_code == 200, r.text
    assert r.json()["message"]["date"] is None  # an unreadable Date header, like any other
    assert [i["message_id"] for i in env.store.list()] == ["<far@alfa-solar.ru>"]


@pytest.mark.parametrize("raw", [b"", b"  \r\n\r\n  "])
def test_undecodable_mime_is_400_with_the_reason(env, raw):
    r = env.client.post("/v1/check", content=raw, headers={**env.auth(env.manager), "Content-Type": "message/rfc822"})
    assert_error(r, 400, "empty")


def test_mime_nested_past_the_limit_is_400_with_the_reason(env):
    from support.hostile import nested_rfc822
    r = env.client.post("/v1/check", content=nested_rfc822(1000, sender=MANAGER),
                        headers={**env.auth(env.manager), "Content-Type": "message/rfc822"})
    assert_error(r, 400, "nested more than 100 levels")
    assert env.store.list() == []


def test_other_content_types_are_415(env):
    r = env.client.post("/v1/check", content="Добрый день".encode(),
                        headers={**env.auth(env.manager), "Content-Type": "text/plain"})
    assert_error(r, 415, "application/json", "message/rfc822")


def test_body_over_the_limit_is_413_by_content_length_and_by_actual_size(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path, max_body_bytes=1000)
    big = json.dumps({**RU_DRAFT, "text": "Добрый день! " * 200}).encode()
    with client:
        h = {**env.auth(env.manager), "Content-Type": "application/json"}
        assert_error(client.post("/v1/check", content=big, headers=h), 413, "1000 bytes")
        # Chunked, no Content-Length: the limit holds while reading.
        assert_error(client.post("/v1/check", content=iter([big[:600], big[600:]]), headers=h), 413)
        assert client.post("/v1/check", json={"text": "Добрый день!"}, headers=env.auth(env.manager)).status_code == 200
    assert env.store.list() != []  # the small one went through
    env.store.close()


def test_unknown_paths_and_methods_answer_in_the_error_shape(env):
    assert_error(env.client.get("/v1/nothing"), 404)
    assert_error(env.client.put("/v1/check", json=RU_DRAFT, headers=env.auth(env.manager)), 405)
    assert_error(env.client.get("/v1/verdicts/999", headers=env.auth(env.head)), 404, "no verdict 999")


# -- listing, catalogue, health ----------------------------------------------------------------

def test_listing_filters(env):
    h = env.auth(env.head)
    for subject in ("Документы", "КП на 40 панелей до 5 декабря"):
        r = env.client.post("/v1/check", json={**RU_DRAFT, "subject": subject}, headers=h)
        assert r.status_code == 200
    everything = env.client.get("/v1/verdicts", headers=h).json()
    assert len(everything["items"]) == 2 and {"limit", "offset"} <= set(everything)
    item = everything["items"][0]
    assert {"id", "message_id", "sender", "subject", "date", "source", "score", "passed"} <= set(item)
    vague = env.client.get("/v1/verdicts", params={"name": "forward.vague-subject"}, headers=h).json()["items"]
    assert [v["subject"] for v in vague] == ["Документы"]
    by_prefix = env.client.get("/v1/verdicts", params={"name": "forward"}, headers=h).json()["items"]
    assert len(by_prefix) == 2  # both announce an attachment that is not there
    assert len(env.client.get("/v1/verdicts", params={"limit": 1}, headers=h).json()["items"]) == 1
    assert env.client.get("/v1/verdicts", params={"sender": OTHER_MANAGER}, headers=h).json()["items"] == []
    assert env.client.get("/v1/verdicts", params={"since": "2030-01-01"}, headers=h).json()["items"] == []


def test_rule_catalogue(env):
    checks = env.client.get("/v1/rules").json()["checks"]
    rules = {r["name"]: r for c in checks for r in c["rules"]}
    vague = rules["forward.vague-subject"]
    assert vague["code"].startswith("EM") and vague["severity"] in ("error", "warning", "suggestion")
    assert vague["summary"] and vague["why"] and vague["bad"] and vague["better"]
    assert next(c for c in checks if c["name"] == "forward")["doc"].startswith("Forwardability")


def test_health_and_readiness(env):
    assert env.client.get("/healthz").json() == {"status": "ok"}
    ready = env.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["store"] == {"ok": True, "detail": "writable"}


def test_readiness_fails_on_a_read_only_store(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine

    from mail_lint.api.app import create_app
    from api_support import make_config
    from mail_lint.store import Store

    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = tmp_path / "verdicts.db"
    Store.open(f"sqlite:///{db}").close()
    read_only = Store(create_engine(f"sqlite:///file:{db}?mode=ro&uri=true"))
    with TestClient(create_app(make_config(db), read_only)) as client:
        r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["ready"] is False and "not writable" in r.json()["store"]["detail"]


@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MB filesystem (tmpfs) that the test can fill; needs root to mount."""
    import os
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "small-disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(folder: Path) -> Path:
    """Write a file until the filesystem says it is full."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as f:
        try:
            while True:
                f.write(b"x" * 4096)
        except OSError as e:
            assert e.errno == 28, e  # ENOSPC
    return filler


@pytest.mark.parametrize("wal", ["growing", "reused"])
def test_readiness_fails_on_a_full_disk(small_disk, monkeypatch, wal):
    """A rolled-back write never reaches the disk, and after a checkpoint a committed one lands in space the
    WAL file already has: a full disk passed both. "reused": a WAL grown by 40 writes, then checkpointed."""
    from fastapi.testclient import TestClient

    from mail_lint.api.app import create_app
    from api_support import make_config
    from mail_lint.store import Store
    from mail_lint.tokens import create_token

    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = small_disk / "verdicts.db"
    store = Store.open(f"sqlite:///{db}")
    try:
        if wal == "reused":
            for i in range(40):
                create_token(store, "manager", f"m{i}@alfa-solar.ru")
            with store.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(RESTART)")
        with TestClient(create_app(make_config(db), store)) as client:
            assert client.get("/readyz").status_code == 200
            filler = fill(small_disk)
            full = client.get("/readyz")
            assert full.status_code == 503 and full.json()["ready"] is False
            detail = full.json()["store"]["detail"]
            assert re.fullmatch(r"store not writable: .*(full|No space left).*", detail), detail
            filler.unlink()
            assert client.get("/readyz").status_code == 200
        assert [p.name for p in small_disk.iterdir() if "readyz" in p.name] == []  # the probe cleans up
    finally:
        store.close()


def test_openapi_and_docs(env):
    schema = env.client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/verdicts", "/v1/verdicts/{verdict_id}", "/v1/rules", "/healthz", "/readyz"} \
        <= set(schema["paths"])
    assert set(schema["paths"]["/v1/check"]["post"]["requestBody"]["content"]) == {"application/json",
                                                                                   "message/rfc822"}
    docs = env.client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs.text), "the docs page must not load from a CDN"
    for asset in re.findall(r"""(?:src|href)=["']?(/[^"' >]+)""", docs.text):
        assert env.client.get(asset).status_code == 200, asset


def test_cors_allows_only_configured_origins(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path, cors_origins=["https://addin.alfa-solar.ru"])
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    with client:
        ok = client.options("/v1/check", headers={"Origin": "https://addin.alfa-solar.ru", **preflight})
        assert ok.headers["access-control-allow-origin"] == "https://addin.alfa-solar.ru"
        denied = client.options("/v1/check", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in denied.headers
    env.store.close()


def test_the_page_is_served(env):
    page = env.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'lang="ru"' in page.text and "Проверить" in page.text
    assert env.client.get("/static/app.js").status_code == 200


# -- annotated HTML ------------------------------------------------------------------------------

def finding(name, start, end, severity="warning", message="m", suggestion=""):
    return {"code": "EM000", "name": name, "check": name.split(".")[0], "severity": severity, "message": message,
            "start": start, "end": end, "line": 1, "column": start + 1, "suggestion": suggestion,
            "replacements": []}


def test_annotation_escapes_everything():
    html = annotate_text('<script>alert("x")</script>', [finding('a"><b', 0, 8, message='<i>"quoted"</i>')])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'data-name="a&quot;&gt;&lt;b"' in html and 'title="&lt;i&gt;&quot;quoted&quot;&lt;/i&gt;"' in html


def test_overlapping_spans_and_empty_spans():
    text = "Добрый день, пришлите реквизиты"
    html = annotate_text(text, [finding("forward.vague-subject", 0, 0), finding("greeting.unnamed", 0, 11),
                                finding("wordiness.stop-word", 7, 22, "suggestion", "короче", "уберите")])
    assert html.startswith('<mark class="finding sev-warning marker" data-finding="0" '
                           'data-name="forward.vague-subject"')
    assert html.count('data-name="wordiness.stop-word"') == 2  # cut where greeting.unnamed ends
    assert 'title="короче — уберите"' in html
    # Marks stripped, the text is intact.
    assert re.sub(r"<[^>]+>", "", html) == text


def test_page_lists_every_finding_with_scores():
    verdict = {"message": {"language": "en", "subject": "Q", "from": "a@b.c", "to": []}, "text": "Hi",
               "findings": [finding("forward.vague-subject", 0, 0, message="vague")],
               "checks": {"forward": {"score": 80, "status": "warn"},
                          "grammar": {"score": None, "status": "unavailable", "reason": "LanguageTool is down"}},
               "score": 80, "passed": True}
    page = render_page(verdict)
    assert '<li class="sev-warning" data-finding="0" data-name="forward.vague-subject">' in page
    assert 'data-check="forward"><td>Forwardability</td><td class="check-score">80</td>' in page
    assert "unavailable (LanguageTool is down)" in page and "Score: 80/100" in page


def test_every_finding_has_a_not_a_problem_link():
    from urllib.parse import parse_qs, urlsplit
    text = "Dear Mary, we attach the quote."
    verdict = {"message": {"language": "en"}, "text": text, "checks": {}, "score": 80, "passed": True,
               "findings": [finding("spelling.MORFOLOGIK_RULE_EN_US", 5, 9), finding("forward.vague-subject", 0, 0)]}
    page = render_page(verdict, verdict_id=7, base_url="https://lint.example/")
    links = re.findall(r'<a class="dismiss" href="([^"]+)" data-name="([^"]+)" data-excerpt="([^"]*)"'
                       r' data-verdict-id="7"[^>]*>Not a problem</a>', page)
    assert sorted((name, excerpt) for _, name, excerpt in links) == [("forward.vague-subject", ""),
                                                                     ("spelling.MORFOLOGIK_RULE_EN_US", "Mary")]
    spelling_link = next(href for href, name, _ in links if name.startswith("spelling."))
    url = urlsplit(spelling_link.replace("&amp;", "&"))
    assert url.netloc == "lint.example" and url.path == "/dismiss"
    assert parse_qs(url.query) == {"name": ["spelling.MORFOLOGIK_RULE_EN_US"], "excerpt": ["Mary"], "lang": ["en"],
                                   "verdict_id": ["7"]}
    ru = render_page({**verdict, "message": {"language": "ru"}})
    assert ru.count(">Не ошибка</a>") == 2 and 'href="/dismiss?' in ru and 'data-verdict-id=""' in ru
    assert 'class="dismiss"' not in render_page(verdict, base_url=None)


def test_the_dismiss_page_is_served_under_the_page_policy(env):
    r = env.client.get("/dismiss", params={"name": "cta.buried", "excerpt": "x"})
    assert r.status_code == 200 and 'src="/static/dismiss.js"' in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert env.client.get("/static/dismiss.js").status_code == 200


def test_languagetool_probe_reports_a_dead_server_without_hanging():
    import socket
    import time

    from mail_lint.api.readiness import languagetool_status

    class Client:  # what `open_services` hands out: a client that knows its server's URL
        timeout = 5.0

        def __init__(self, url):
            self.url = url

    assert languagetool_status(Services())[0] is False
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    ok, detail = languagetool_status(Services(languagetool=Client(f"http://127.0.0.1:{port}")))
    assert ok is False and "unreachable" in detail and time.monotonic() - started < 4


def test_serve_refuses_a_bad_store_url_in_one_line(tmp_path, cli):
    config = tmp_path / "mail-lint.toml"
    config.write_text('[store]\nurl = "not a database url"\n', encoding="utf-8")
    r = cli("serve", "--port", "1", "--config", str(config), env={"DATABASE_URL": ""})
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "not a database URL" in r.stderr


def test_serve_prints_the_url_to_open():
    from mail_lint.api.serve import public_url
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert public_url("0.0.0.0", 8080) == "http://127.0.0.1:8080/"
    assert public_url("127.0.0.1", 8000, "https://lint.alfa-solar.ru/mail") == "https://lint.alfa-solar.ru/mail/"


def test_linting_does_not_block_the_event_loop(env, monkeypatch):
    """While one check is stuck in lint, /healthz still answers: lint runs in the threadpool."""
    import threading

    import mail_lint.api.routers.check as check_router

    entered, release, outcome = threading.Event(), threading.Event(), {}
    real_lint = check_router.lint_and_store

    def stuck_lint(*args, **kwargs):
        entered.set()
        outcome["released"] = release.wait(timeout=10)  # False only if nothing else could run meanwhile
        return real_lint(*args, **kwargs)

    monkeypatch.setattr(check_router, "lint_and_store", stuck_lint)
    worker = threading.Thread(target=lambda: outcome.setdefault(
        "status", env.client.post("/v1/check", json=RU_DRAFT, headers=env.auth(env.manager)).status_code))
    worker.start()
    assert entered.wait(timeout=10)
    assert env.client.get("/healthz").status_code == 200
    release.set()
    worker.join(timeout=20)
    assert outcome == {"released": True, "status": 200}

