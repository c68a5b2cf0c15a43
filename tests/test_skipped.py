"""Skipped mail, visible without opening the database: `watch --skipped`, `GET /v1/skipped` (head only), and
the digest's count of it by reason, in Russian and English."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from api_support import open_env
from mail_lint.config import validate
from mail_lint.digest import compute
from mail_lint.digest.i18n import skipped_line
from mail_lint.digest.text import render_text
from mail_lint.store import Store
from mail_lint.store.store import skipped_kind

REASONS = {"<s1@x.ru>": "short (3 lines, 20 words of new text), no proposal, no priority product",
           "<s2@x.ru>": "short (1 lines, 2 words of new text), no proposal, no priority product",
           "<s3@x.ru>": "not BCC: head@alfa-solar.ru is in To/Cc",
           "<s4@x.ru>": "unparseable: MIME nested too deep"}


def fill(store: Store) -> None:
    for message_id, reason in REASONS.items():
        store.record_skipped(message_id, "imap", reason)


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path)
    fill(env.store)
    with client:
        yield env
    env.store.close()


def test_kinds_of_reasons():
    assert [skipped_kind(r) for r in REASONS.values()] == ["short", "short", "not BCC", "unparseable"]
    assert skipped_kind("head@x.ru is in To/Cc, not BCC") == "not BCC"  # as stored before the kinds
    assert skipped_kind("cannot lint: ValueError: x") == "cannot lint"


def test_the_head_lists_skipped_mail_and_a_manager_may_not(env):
    r = env.client.get("/v1/skipped", headers=env.auth(env.head))
    assert r.status_code == 200
    items = r.json()["items"]
    assert {i["message_id"]: i["reason"] for i in items} == REASONS
    assert items[0]["message_id"] == "<s4@x.ru>"  # newest first
    assert {i["kind"] for i in items} == {"short", "not BCC", "unparseable"}
    assert env.client.get("/v1/skipped", headers=env.auth(env.manager)).status_code == 403
    assert env.client.get("/v1/skipped").status_code == 401
    page = env.client.get("/v1/skipped", params={"limit": 2, "offset": 1}, headers=env.auth(env.head)).json()
    assert [i["message_id"] for i in page["items"]] == ["<s3@x.ru>", "<s2@x.ru>"]


def test_watch_skipped_lists_them_from_the_command_line(tmp_path, cli):
    db = tmp_path / "s.db"
    with Store.open(f"sqlite:///{db}") as store:
        fill(store)
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{db}"\n')
    text = cli("watch", "--skipped", "--config", str(config), env={"DATABASE_URL": ""})
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) == 4 and "unparseable" in lines[0] and "<s4@x.ru>" in lines[0]
    assert "not BCC" in lines[1] and "head@alfa-solar.ru is in To/Cc" in lines[1]
    as_json = json.loads(cli("watch", "--skipped", "--format", "json", "--limit", "1", "--config", str(config),
                             env={"DATABASE_URL": ""}).stdout)
    assert [(i["message_id"], i["kind"]) for i in as_json] == [("<s4@x.ru>", "unparseable")]


def test_the_digest_says_how_many_were_skipped_and_why(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'd.db'}") as store:
        fill(store)
        week = compute.IsoWeek.last_complete(datetime.now(timezone.utc), validate({}).timezone).shift(1)
        digest = compute.compute_digest(store, validate({}), week)
    assert digest["skipped"] == {"total": 4, "by_kind": {"short": 2, "not BCC": 1, "unparseable": 1}}
    assert skipped_line(digest["skipped"], "ru") == ("Не проверено из ящика: 4 письма (короткие — 2, вы в «Кому» "
                                                     "или «Копии», не в скрытой копии — 1, не удалось прочитать — 1)")
    assert skipped_line(digest["skipped"], "en") == ("Not linted from the mailbox: 4 emails (short: 2, you were in "
                                                     "To/Cc, not BCC: 1, unreadable: 1)")
    assert skipped_line(digest["skipped"], "en") + "." in render_text(digest, "en")
    assert skipped_line({"total": 0, "by_kind": {}}, "ru") == ""
