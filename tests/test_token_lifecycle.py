"""Token lifecycle: `token list` shows who holds what (never the token), `token revoke` and expiry refuse a
token from the next request on, on every worker of `serve --workers N`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest

from api_support import HEAD, MANAGER, open_env
from mail_lint.store.models import TokenRow, utcnow
from mail_lint.tokens import create_token, find_identity, hash_token, list_tokens, revoke_token
from support.mailservers import free_port, wait_for_port


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path)
    with client:
        yield env
    env.store.close()


def token_id(store, email: str) -> int:
    return next(t["id"] for t in list_tokens(store) if t["email"] == email)


def test_a_revoked_token_is_refused_at_once(env):
    assert env.client.get("/v1/verdicts", headers=env.auth(env.manager)).status_code == 200
    assert revoke_token(env.store, token_id(env.store, MANAGER)) is True
    r = env.client.get("/v1/verdicts", headers=env.auth(env.manager))
    assert r.status_code == 401 and r.json() == {"error": "unknown token"}
    assert env.client.get("/v1/verdicts", headers=env.auth(env.head)).status_code == 200  # others unaffected
    assert revoke_token(env.store, token_id(env.store, MANAGER)) is False  # twice: already revoked


def test_an_expired_token_is_refused(env):
    soon = create_token(env.store, "manager", "short@alfa-solar.ru", expires_at=utcnow() + timedelta(seconds=1))
    assert env.client.get("/v1/verdicts", headers=env.auth(soon)).status_code == 200
    time.sleep(1.2)
    assert env.client.get("/v1/verdicts", headers=env.auth(soon)).status_code == 401
    assert {t["email"]: t["status"] for t in list_tokens(env.store)}["short@alfa-solar.ru"] == "expired"


def test_last_use_is_recorded_and_the_list_never_holds_a_token(env):
    before = {t["email"]: t for t in list_tokens(env.store)}
    assert before[HEAD]["last_used_at"] is None
    env.client.get("/v1/verdicts", headers=env.auth(env.head))
    after = {t["email"]: t for t in list_tokens(env.store)}
    assert after[HEAD]["last_used_at"] is not None and after[MANAGER]["last_used_at"] is None
    listed = json.dumps(list(after.values()), default=str)
    for token in (env.head, env.manager, env.other_manager):
        assert token not in listed and hash_token(token) not in listed
    assert set(after[HEAD]) == {"id", "role", "email", "created_at", "last_used_at", "expires_at", "revoked_at",
                                "status"}


def test_a_token_already_expired_cannot_be_made(env):
    from mail_lint.errors import UnusableInput
    with pytest.raises(UnusableInput, match="already past"):
        create_token(env.store, "manager", "late@alfa-solar.ru", expires_at=utcnow() - timedelta(minutes=1))


def test_the_readiness_probe_rows_are_no_tokens(env):
    with env.store.session(write=True) as session:
        session.add(TokenRow(token_hash="x" * 64, role="probe", email=""))
    assert all(t["role"] in ("manager", "head") for t in list_tokens(env.store))
    assert find_identity(env.store, "x") is None


# -- the CLI -------------------------------------------------------------------------------------

def test_token_create_list_revoke_from_the_command_line(tmp_path, cli):
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "t.db"}"\n[general]\ntimezone = "Europe/Moscow"\n')
    made = cli("token", "create", "--role", "manager", "--email", "ivan@alfa-solar.ru", "--expires", "2099-12-31",
               "--config", str(config), env={"DATABASE_URL": ""})
    assert made.returncode == 0, made.stderr
    assert "valid until 2100-01-01 00:00 MSK" in made.stdout
    token = made.stdout.splitlines()[-1]
    cli("token", "create", "--role", "head", "--email", "head@alfa-solar.ru", "--config", str(config),
        env={"DATABASE_URL": ""})

    listed = cli("token", "list", "--config", str(config), env={"DATABASE_URL": ""})
    assert listed.returncode == 0, listed.stderr
    header, first, second = listed.stdout.splitlines()
    assert header.split() == ["ID", "ROLE", "EMAIL", "CREATED", "LAST", "USED", "EXPIRES", "STATUS"]
    assert first.split()[:3] == ["1", "manager", "ivan@alfa-solar.ru"] and "2100-01-01 00:00" in first
    assert first.split()[-1] == "active" and second.split()[1:3] == ["head", "head@alfa-solar.ru"]
    assert token not in listed.stdout and hash_token(token) not in listed.stdout

    revoked = cli("token", "revoke", "1", "--config", str(config), env={"DATABASE_URL": ""})
    assert revoked.returncode == 0 and revoked.stdout.strip() == "token 1 revoked"
    as_json = json.loads(cli("token", "list", "--format", "json", "--config", str(config),
                             env={"DATABASE_URL": ""}).stdout)
    assert [(t["id"], t["status"]) for t in as_json] == [(1, "revoked"), (2, "active")]
    assert as_json[0]["revoked_at"]

    missing = cli("token", "revoke", "99", "--config", str(config), env={"DATABASE_URL": ""})
    assert missing.returncode == 2 and missing.stderr.strip() == \
        "mail-lint: no token with id 99 (see `mail-lint token list`)"


@pytest.mark.parametrize("expires, message", [("tomorrow", "is not 90d, 12h, a date or an ISO date-time"),
                                              ("2001-01-01", "already past")])
def test_a_bad_expiry_is_one_line_and_stores_nothing(tmp_path, cli, expires, message):
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "t.db"}"\n')
    r = cli("token", "create", "--role", "head", "--email", "h@alfa-solar.ru", "--expires", expires,
            "--config", str(config), env={"DATABASE_URL": ""})
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and message in r.stderr
    assert "[]" == cli("token", "list", "--format", "json", "--config", str(config),
                       env={"DATABASE_URL": ""}).stdout.strip()


# -- every worker --------------------------------------------------------------------------------

def test_a_revoked_token_is_refused_by_every_worker(tmp_path, cli):
    config = tmp_path / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "t.db"}"\n[rules]\ndisable = ["grammar"]\n'
                      f'[api]\nfailed_tokens_per_minute = 0\n')
    made = cli("token", "create", "--role", "head", "--email", "head@alfa-solar.ru", "--config", str(config),
               env={"DATABASE_URL": ""})
    token = made.stdout.splitlines()[-1]
    port = free_port()
    env = {**os.environ, "DATABASE_URL": "", "MAIL_LINT_CONFIG": ""}
    server = subprocess.Popen([sys.executable, "-m", "mail_lint", "serve", "--port", str(port), "--workers", "2",
                               "--config", str(config)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)

    def statuses(n: int) -> set[int]:
        seen = set()
        for _ in range(n):  # new connections: the kernel spreads them over both workers
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/verdicts",
                                             headers={"Authorization": f"Bearer {token}"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    seen.add(response.status)
            except urllib.error.HTTPError as e:
                seen.add(e.code)
        return seen

    try:
        wait_for_port(port, timeout=60)
        deadline = time.monotonic() + 60
        while statuses(1) != {200} and time.monotonic() < deadline:  # both workers up
            time.sleep(0.2)
        assert statuses(20) == {200}
        assert cli("token", "revoke", "1", "--config", str(config), env={"DATABASE_URL": ""}).returncode == 0
        assert statuses(40) == {401}
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)
    assert "Traceback" not in errors, errors[-2000:]
