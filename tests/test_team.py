"""What the team teaches, in the store (SQLite here, PostgreSQL in test_team_postgres.py) and through the API
(grammar off here; with a real LanguageTool in test_team_e2e.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from api_support import HEAD, MANAGER, OTHER_MANAGER, RU_DRAFT, open_env
from mail_lint import team
from mail_lint.config import validate
from mail_lint.errors import UnusableInput
from mail_lint.store import Store

SPELLING = "spelling.MORFOLOGIK_RULE_RU_RU"


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        yield opened


def test_dictionary_words_are_kept_once_in_any_case_and_every_change_moves_the_counter(store):
    start = team.team_version(store)
    entry, new = team.add_word(store, "  Зентрикс ", HEAD)
    assert new and entry["word"] == "Зентрикс" and entry["added_by"] == HEAD
    assert team.add_word(store, "ЗЕНТРИКС", HEAD)[1] is False
    assert [w["word"] for w in team.dictionary(store)] == ["Зентрикс"]
    assert team.team_version(store) == start + 1
    assert team.remove_word(store, "зентрикс") and not team.remove_word(store, "зентрикс")
    assert team.dictionary(store) == [] and team.team_version(store) == start + 2


@pytest.mark.parametrize("word", ["", "  ", "SP-450M", "ivan@client.ru", "https://x.ru", "x" * 101])
def test_what_cannot_be_a_dictionary_word_is_refused(store, word):
    with pytest.raises(UnusableInput, match="word"):
        team.add_word(store, word, HEAD)


def test_a_dismissed_spelling_is_its_authors_own_word_and_other_dismissals_are_only_recorded(store, db_url):
    team.dismiss(store, name=SPELLING, excerpt="Зентрикс", dismissed_by=MANAGER.upper(), role="manager")
    team.dismiss(store, name="cta.buried", excerpt="Пришлите реквизиты", dismissed_by=MANAGER, role="manager",
                 reason="просьба в начале — так принято")
    teaching = team.load_teaching(store)
    assert teaching.personal == {MANAGER: ("Зентрикс",)}
    config = validate({"store": {"url": db_url}})
    assert "Зентрикс" in teaching.applied(config, MANAGER).section("grammar")["words"]
    assert "Зентрикс" not in teaching.applied(config, OTHER_MANAGER).section("grammar")["words"]
    listed = team.dismissals(store)
    assert [(d["name"], d["dismissed_by"], d["personal"]) for d in listed] == [
        ("cta.buried", MANAGER, False), (SPELLING, MANAGER, True)]
    assert listed[0]["reason"] == "просьба в начале — так принято"
    assert team.dismissals(store, name="spelling")[0]["excerpt"] == "Зентрикс"
    now = datetime.now(timezone.utc)
    assert team.dismissed_counts(store, now - timedelta(hours=1), now + timedelta(hours=1)) == {
        SPELLING: 1, "cta.buried": 1}
    assert team.dismissed_counts(store, now + timedelta(hours=1), now + timedelta(hours=2)) == {}


def test_a_dismissed_spelling_needs_its_word(store):
    with pytest.raises(UnusableInput, match="excerpt"):
        team.dismiss(store, name=SPELLING, excerpt=" ", dismissed_by=MANAGER)


def test_switches_lay_over_the_config_file_and_null_returns_to_it(store, db_url):
    config = validate({"store": {"url": db_url}, "rules": {"enable": ["wordiness.long-sentence"],
                                                          "disable": ["forward"]}})
    team.set_switch(store, "wordiness.long-sentence", updated_by=HEAD, enabled=False)
    team.set_switch(store, "forward", updated_by=HEAD, enabled=True)
    team.set_switch(store, "cta.buried", updated_by=HEAD, severity="suggestion")
    applied = team.load_teaching(store).applied(config)
    assert not applied.rule_enabled("wordiness.long-sentence") and applied.rule_enabled("wordiness.stop-word")
    assert applied.check_wanted("forward") and applied.rule_enabled("forward.vague-subject")
    assert applied.severity_for("cta.buried", "warning") == "suggestion"
    assert config.rule_enabled("wordiness.long-sentence")  # the file's config itself is untouched

    team.set_switch(store, "wordiness.long-sentence", updated_by=HEAD, enabled=None)
    assert "wordiness.long-sentence" not in team.switches(store)
    assert team.load_teaching(store).applied(config).rule_enabled("wordiness.long-sentence")


def test_only_known_rules_can_be_switched(store):
    for name in ("wordiness", "wordiness.long-sentence", "grammar", "spelling.MORFOLOGIK_RULE_EN_US"):
        assert team.known_rule_name(name), name
    for name in ("nope", "wordiness.nope", "greetings"):
        assert not team.known_rule_name(name), name
    with pytest.raises(LookupError):
        team.set_switch(store, "wordiness.nope", updated_by=HEAD, enabled=False)
    with pytest.raises(UnusableInput, match="severity"):
        team.set_switch(store, "wordiness", updated_by=HEAD, severity="fatal")


def test_a_process_sees_another_process_change_within_its_refresh_period(db_url):
    with Store.open(db_url) as writer, Store.open(db_url) as reader:
        source = team.TeachingSource(reader, refresh_seconds=0.2)
        assert source.current().words == ()
        team.add_word(writer, "Зентрикс", HEAD)
        deadline = datetime.now() + timedelta(seconds=5)
        while source.current().words == () and datetime.now() < deadline:
            pass
        assert source.current().words == ("Зентрикс",)


# -- through the API (grammar off) ---------------------------------------------------------------

@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path)
    with client:
        yield env
    env.store.close()


def test_dictionary_endpoints_head_writes_manager_reads(env):
    c, head, manager = env.client, env.auth(env.head), env.auth(env.manager)
    assert c.post("/v1/dictionary", json={"word": "Зентрикс"}, headers=manager).status_code == 403
    r = c.post("/v1/dictionary", json={"word": "Зентрикс"}, headers=head)
    assert r.status_code == 201 and r.json()["word"] == "Зентрикс"
    assert c.post("/v1/dictionary", json={"word": "зентрикс"}, headers=head).status_code == 200
    assert [w["word"] for w in c.get("/v1/dictionary", headers=manager).json()["words"]] == ["Зентрикс"]
    assert c.get("/v1/dictionary").status_code == 401
    assert c.delete("/v1/dictionary/Зентрикс", headers=manager).status_code == 403
    assert c.delete("/v1/dictionary/ЗЕНТРИКС", headers=head).status_code == 204
    missing = c.delete("/v1/dictionary/Зентрикс", headers=head)
    assert missing.status_code == 404 and "not in the dictionary" in missing.json()["error"]
    bad = c.post("/v1/dictionary", json={"word": "SP-450M"}, headers=head)
    assert bad.status_code == 422 and bad.json()["error"].startswith("word:")


def test_dismissals_any_token_writes_head_reviews_and_promotes(env):
    c, head, manager = env.client, env.auth(env.head), env.auth(env.manager)
    verdict_id = int(c.post("/v1/check", json=RU_DRAFT, headers=manager).headers["X-Verdict-Id"])
    r = c.post("/v1/dismissals", json={"name": SPELLING, "excerpt": "Солярикс", "verdict_id": verdict_id,
                                       "reason": "название клиента"}, headers=manager)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["dismissed_by"], body["role"], body["personal"], body["verdict_id"]) == (MANAGER, "manager", True,
                                                                                          verdict_id)
    other = env.auth(env.other_manager)
    assert c.post("/v1/dismissals", json={"name": "cta.buried", "verdict_id": verdict_id},
                  headers=other).status_code == 404  # another manager's verdict: as if there were none
    assert c.post("/v1/dismissals", json={"name": "cta.buried", "excerpt": "x", "extra": 1},
                  headers=other).status_code == 422
    assert c.get("/v1/dismissals", headers=manager).status_code == 403
    listed = c.get("/v1/dismissals", headers=head).json()["items"]
    assert [(d["excerpt"], d["reason"]) for d in listed] == [("Солярикс", "название клиента")]
    assert c.post(f"/v1/dismissals/{listed[0]['id']}/promote", headers=manager).status_code == 403
    promoted = c.post(f"/v1/dismissals/{listed[0]['id']}/promote", headers=head)
    assert promoted.status_code == 201 and promoted.json()["word"] == "Солярикс"
    assert [w["word"] for w in c.get("/v1/dictionary", headers=head).json()["words"]] == ["Солярикс"]
    assert c.post("/v1/dismissals/999/promote", headers=head).status_code == 404


def test_rule_switches_through_the_api(env):
    c, head, manager = env.client, env.auth(env.head), env.auth(env.manager)
    long_text = {**RU_DRAFT, "text": RU_DRAFT["text"].replace(
        "Пришлите, пожалуйста, реквизиты.",
        "Пришлите, пожалуйста, реквизиты компании и подписанный договор с приложениями, спецификацией, графиком "
        "поставки и оплаты, а также контакты ответственного за приёмку сотрудника на объекте в Подольске, "
            "его телефон, электронную почту и удобное время для звонка на следующей неделе.")}
    names = lambda: {f["name"] for f in c.post("/v1/check?save=false", json=long_text,  # noqa: E731
                                                 headers=manager).json()["findings"]}
    assert "wordiness.long-sentence" in names()
    assert c.patch("/v1/rules/wordiness.long-sentence", json={"enabled": False}, headers=manager).status_code == 403
    r = c.patch("/v1/rules/wordiness.long-sentence", json={"enabled": False}, headers=head)
    assert r.status_code == 200 and r.json()["enabled"] is False and r.json()["updated_by"] == HEAD
    assert "wordiness.long-sentence" not in names()
    rules = c.get("/v1/rules").json()
    state = {r["name"]: r for ch in rules["checks"] for r in ch["rules"]}
    assert state["wordiness.long-sentence"]["enabled"] is False and state["wordiness.stop-word"]["enabled"] is True
    assert state["grammar.*"]["enabled"] is False  # the test config turns grammar off: the state in force
    assert rules["switches"]["wordiness.long-sentence"]["enabled"] is False

    c.patch("/v1/rules/forward.vague-subject", json={"severity": "error"}, headers=head)
    verdict = c.post("/v1/check?save=false", json=long_text, headers=manager).json()
    assert {f["severity"] for f in verdict["findings"] if f["name"] == "forward.vague-subject"} == {"error"}
    assert not verdict["passed"]

    assert c.patch("/v1/rules/wordiness.nope", json={"enabled": False}, headers=head).status_code == 404
    assert c.patch("/v1/rules/wordiness", json={}, headers=head).status_code == 422
    assert c.patch("/v1/rules/wordiness", json={"severity": "fatal"}, headers=head).status_code == 422
    back = c.patch("/v1/rules/wordiness.long-sentence", json={"enabled": None}, headers=head)
    assert back.status_code == 200 and "wordiness.long-sentence" in names()


def test_a_wrong_method_names_every_method_the_path_takes(env):
    r = env.client.request("PUT", "/v1/dictionary", headers=env.auth(env.head))
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    assert env.client.request("PUT", "/v1/rules/wordiness").headers["allow"] == "PATCH"
    assert env.client.request("POST", "/dismiss").headers["allow"] == "GET"  # a page outside the API's schema


def test_the_catalogue_answers_when_the_store_cannot_be_read(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine

    from api_support import make_config
    from mail_lint.api.app import create_app
    monkeypatch.delenv("DATABASE_URL", raising=False)
    unreachable = Store(create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'verdicts.db'}"))
    with TestClient(create_app(make_config(tmp_path / "verdicts.db"), unreachable)) as client:
        r = client.get("/v1/rules")
    assert r.status_code == 200 and r.json()["switches"] is None
    state = {rule["name"]: rule["enabled"] for check in r.json()["checks"] for rule in check["rules"]}
    assert state["wordiness.long-sentence"] is True and state["grammar.*"] is False  # the config file's
