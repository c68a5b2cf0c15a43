"""Tokens and roles: 401 without a valid token, 403 for the wrong role, managers see only their own
verdicts, and tokens never sit in the database in clear."""
from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends

from mail_lint.api.auth import head_identity
from api_support import HEAD, MANAGER, OTHER_MANAGER, RU_DRAFT, open_env
from mail_lint.tokens import Identity, find_identity, hash_token


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path)

    @client.app.get("/test/head-only")
    async def head_only(identity: Annotated[Identity, Depends(head_identity)]) -> dict:
        return {"email": identity.email}

    with client:
        yield env
    env.store.close()


def save_as(env, token: str, sender: str) -> int:
    r = env.client.post("/v1/check", json={**RU_DRAFT, "from": sender}, headers=env.auth(token))
    assert r.status_code == 200, r.text
    return int(r.headers["X-Verdict-Id"])


@pytest.mark.parametrize("method, path", [("post", "/v1/check"), ("get", "/v1/verdicts"), ("get", "/v1/verdicts/1")])
@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer mlt_not-a-real-token", "Basic dXNlcjpwYXNz", "mlt_x"])
def test_no_or_unknown_token_is_401(env, method, path, header):
    headers = {"Authorization": header} if header is not None else {}
    r = env.client.request(method, path, json=RU_DRAFT, headers=headers)
    assert r.status_code == 401, r.text
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert list(r.json()) == ["error"]


def test_a_managers_own_verdicts_are_readable(env):
    verdict_id = save_as(env, env.manager, MANAGER)
    assert env.client.get(f"/v1/verdicts/{verdict_id}", headers=env.auth(env.manager)).status_code == 200
    items = env.client.get("/v1/verdicts", headers=env.auth(env.manager)).json()["items"]
    assert [i["id"] for i in items] == [verdict_id]


def test_a_manager_cannot_read_another_managers_verdicts(env):
    theirs = save_as(env, env.other_manager, OTHER_MANAGER)
    mine = save_as(env, env.manager, MANAGER)
    # By id: 404, exactly as for an id that does not exist, so ids reveal nothing.
    r = env.client.get(f"/v1/verdicts/{theirs}", headers=env.auth(env.manager))
    assert r.status_code == 404 and r.json() == {"error": f"no verdict {theirs}"}
    r = env.client.get(f"/v1/verdicts/{theirs}", params={"format": "html"}, headers=env.auth(env.manager))
    assert r.status_code == 404 and OTHER_MANAGER not in r.text
    # Listing: their own only; asking for someone else's by sender is 403.
    items = env.client.get("/v1/verdicts", headers=env.auth(env.manager)).json()["items"]
    assert [i["id"] for i in items] == [mine]
    r = env.client.get("/v1/verdicts", params={"sender": OTHER_MANAGER}, headers=env.auth(env.manager))
    assert r.status_code == 403 and "error" in r.json()
    # The address compares case-insensitively.
    r = env.client.get("/v1/verdicts", params={"sender": MANAGER.upper()}, headers=env.auth(env.manager))
    assert [i["id"] for i in r.json()["items"]] == [mine]


def test_a_head_reads_every_verdict(env):
    ids = {save_as(env, env.manager, MANAGER), save_as(env, env.other_manager, OTHER_MANAGER)}
    items = env.client.get("/v1/verdicts", headers=env.auth(env.head)).json()["items"]
    assert {i["id"] for i in items} == ids
    for verdict_id in ids:
        assert env.client.get(f"/v1/verdicts/{verdict_id}", headers=env.auth(env.head)).status_code == 200
    only_olga = env.client.get("/v1/verdicts", params={"sender": OTHER_MANAGER}, headers=env.auth(env.head))
    assert {i["sender"] for i in only_olga.json()["items"]} == {OTHER_MANAGER}


def test_a_manager_stores_verdicts_only_on_their_own_mail(env):
    r = env.client.post("/v1/check", json={**RU_DRAFT, "from": OTHER_MANAGER}, headers=env.auth(env.manager))
    assert r.status_code == 403 and "save=false" in r.json()["error"]
    assert env.store.list() == []
    r = env.client.post("/v1/check", params={"save": "false"}, json={**RU_DRAFT, "from": OTHER_MANAGER},
                        headers=env.auth(env.manager))
    assert r.status_code == 200
    assert save_as(env, env.head, OTHER_MANAGER)  # a head may store anyone's


def test_head_only_routes_refuse_a_manager_with_403(env):
    assert env.client.get("/test/head-only", headers=env.auth(env.manager)).status_code == 403
    assert env.client.get("/test/head-only").status_code == 401
    assert env.client.get("/test/head-only", headers=env.auth(env.head)).json() == {"email": HEAD}


def test_tokens_are_not_stored_in_clear(env):
    tokens = (env.manager, env.other_manager, env.head)
    save_as(env, env.manager, MANAGER)
    env.store.close()  # nothing held back in memory: everything is in the file (and its WAL)
    stored = b"".join(p.read_bytes() for p in env.db_path.parent.glob(env.db_path.name + "*"))
    for token in tokens:
        assert token.encode() not in stored
        assert token.split("_", 1)[1].encode() not in stored
        assert hash_token(token).encode() in stored  # what is kept instead


def test_tokens_are_long_random_and_found_by_hash(env):
    assert len({env.manager, env.other_manager, env.head}) == 3
    assert all(len(t) >= 40 for t in (env.manager, env.other_manager, env.head))
    assert find_identity(env.store, env.manager) == Identity(MANAGER, "manager")
    assert find_identity(env.store, env.manager[:-1]) is None
    assert find_identity(env.store, "") is None


def test_token_create_prints_the_token_last_and_it_works(tmp_path, cli, monkeypatch):
    from fastapi.testclient import TestClient

    from mail_lint.api.app import create_app
    from api_support import make_config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = tmp_path / "t.db"
    (tmp_path / "mail-lint.toml").write_text(f'[store]\nurl = "sqlite:///{db}"\n', encoding="utf-8")  # tokens only
    r = cli("token", "create", "--role", "manager", "--email", "Petr@Alfa-Solar.ru",
            "--config", str(tmp_path / "mail-lint.toml"), env={"DATABASE_URL": ""})
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip().splitlines()[-1]
    assert token.startswith("mlt_") and " " not in token
    with TestClient(create_app(make_config(db))) as client:
        ok = client.post("/v1/check", json=RU_DRAFT, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["message"]["from"] == MANAGER


@pytest.mark.parametrize("args, reason", [
    (["--role", "admin", "--email", "a@b.ru"], "invalid choice"),
    (["--role", "head", "--email", "not an address"], "not an email address"),
    (["--role", "head"], "--email"),
])
def test_token_create_rejects_bad_arguments(tmp_path, cli, args, reason):
    r = cli("token", "create", *args, "--config", str(tmp_path / "none.toml"))
    assert r.returncode == 2
    assert reason in r.stderr


def test_the_digest_is_for_the_head_only(env):
    save_as(env, env.manager, MANAGER)
    assert env.client.get("/v1/digest").status_code == 401
    r = env.client.get("/v1/digest", headers=env.auth(env.manager))
    assert r.status_code == 403 and r.json() == {"error": "this needs a head token"}
    digest = env.client.get("/v1/digest", params={"week": "2025-W49"}, headers=env.auth(env.head)).json()
    assert digest["week"] == "2025-W49"
    assert [m["email"] for m in digest["managers"]] == [MANAGER]  # RU_DRAFT is dated 2025-12-03
    page = env.client.get("/v1/digest", params={"week": "2025-W49", "format": "html"}, headers=env.auth(env.head))
    assert page.headers["content-type"].startswith("text/html") and "<html" in page.text
    bad = env.client.get("/v1/digest", params={"week": "2025-W60"}, headers=env.auth(env.head))
    assert bad.status_code == 422 and "week" in bad.json()["error"]


@pytest.mark.parametrize("week", ["0000-W01", "2025-W00", "2025-W54"])
def test_impossible_weeks_are_422(env, week):
    r = env.client.get("/v1/digest", params={"week": week}, headers=env.auth(env.head))
    assert r.status_code == 422 and r.json()["error"].startswith("query.week")


# -- guessing tokens -----------------------------------------------------------------------------

def test_repeated_unknown_tokens_from_one_address_get_429(env):
    from fastapi.testclient import TestClient

    wrong = {"Authorization": "Bearer mlt_guess"}
    limit = env.client.app.state.config.section("api")["failed_tokens_per_minute"]
    for _ in range(limit):
        assert env.client.get("/v1/verdicts", headers=wrong).status_code == 401
    refused = env.client.get("/v1/verdicts", headers=wrong)
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["error"].startswith("too many unknown tokens from this address")
    # While it waits, the address gets no answer about any token, a right one included ...
    assert env.client.get("/v1/verdicts", headers=env.auth(env.head)).status_code == 429
    # ... and no token at all is still just 401 (the page before a token is typed is no guess).
    assert env.client.get("/v1/verdicts").status_code == 401
    # Another address is not held up.
    other = TestClient(env.client.app, client=("203.0.113.7", 50000))
    assert other.get("/v1/verdicts", headers=env.auth(env.head)).status_code == 200
    assert other.get("/v1/verdicts", headers=wrong).status_code == 401
    # The API schema documents it.
    schema = env.client.get("/openapi.json").json()
    assert "429" in schema["paths"]["/v1/verdicts"]["get"]["responses"]
    assert "429" in schema["paths"]["/v1/check"]["post"]["responses"]


def test_a_limit_of_zero_turns_it_off(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path, failed_tokens_per_minute=0)
    with client:
        codes = {client.get("/v1/verdicts", headers={"Authorization": "Bearer mlt_guess"}).status_code
                 for _ in range(30)}
    env.store.close()
    assert codes == {401}


def test_failures_age_out_of_the_window():
    from mail_lint.api.limits import FailedTokenLimiter

    now = [1000.0]
    limiter = FailedTokenLimiter(limit=3, window=60.0, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after("198.51.100.1") is None
        limiter.failed("198.51.100.1")
        now[0] += 10
    assert limiter.retry_after("198.51.100.1") == 30  # the first failure leaves the window at 1060
    assert limiter.retry_after("198.51.100.2") is None
    now[0] = 1060.5
    assert limiter.retry_after("198.51.100.1") is None


def test_the_limiter_forgets_addresses_instead_of_growing_without_bound():
    from mail_lint.api.limits import FailedTokenLimiter

    limiter = FailedTokenLimiter(limit=5, window=60.0, max_clients=100, clock=lambda: 0.0)
    for i in range(1000):
        limiter.failed(f"10.0.{i // 256}.{i % 256}")
    assert len(limiter) <= 100
