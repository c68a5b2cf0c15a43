"""Several API processes on one PostgreSQL stay consistent (issue 18, "beyond one machine"): two real
`mail-lint serve` processes, each on a port of its own, share one `[store] url` on the test PostgreSQL and the
session's LanguageTool. What one is told, the other does: tokens (revoked: refused by both at once), the
company dictionary, a dismissed spelling, a rule switch (within `[rules] refresh_seconds`), and verdicts stored
through both in a concurrent burst are all listed by either, each once, with unique ids."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from conftest import run_cli
from support.mailservers import free_port
from support.postgres import create_database
from test_api_e2e import wait_until_up
from test_team_e2e import BRAND_TEXT, HEAD, LONG_SENTENCE, OLGA, PETR, draft

pytest_plugins = ("conftest_lt",)
REPO = Path(__file__).resolve().parent.parent
REFRESH = 0.5  # [rules] refresh_seconds: the documented window for dictionary words and rule switches


@contextmanager
def serving(config: Path, env: dict):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mail_lint", "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                              cwd=REPO)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, server, timeout=60)
        yield url
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
        assert b"Traceback" not in errors, errors.decode(errors="replace")[-2000:]


@pytest.fixture(scope="module")
def two_services(postgres_server, lt_server, tmp_path_factory):
    """Started once for the module: each test makes its own tokens and message ids."""
    postgres_url = create_database(postgres_server)
    config = tmp_path_factory.mktemp("services") / "mail-lint.toml"
    config.write_text(f'[store]\nurl = "{postgres_url}"\n\n[grammar]\nurl = "{lt_server.url}"\ntimeout = 60.0\n\n'
                      f'[rules]\nrefresh_seconds = {REFRESH}\n\n[api]\nfailed_tokens_per_minute = 0\n',
                      encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": "", "MAIL_LINT_CONFIG": "", "PYTHONUNBUFFERED": "1"}

    def command(*args: str) -> str:
        done = run_cli(*args, "--config", str(config), env={"DATABASE_URL": "", "MAIL_LINT_CONFIG": ""})
        assert done.returncode == 0, done.stderr
        return done.stdout

    # The first token made before any service runs (the CLI migrates the empty database).
    tokens = {HEAD: command("token", "create", "--role", "head", "--email", HEAD).splitlines()[-1]}
    with ExitStack() as stack:
        first, second = (stack.enter_context(serving(config, env)) for _ in range(2))
        yield first, second, tokens, command


def call(url: str, token: str, method: str, path: str, **kwargs) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=120) as client:
        return client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def findings(url: str, token: str, body: dict) -> dict[str, str]:
    """Flagged text -> rule name, for one check that stores nothing."""
    response = call(url, token, "POST", "/v1/check?save=false", json=body)
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["checks"]["grammar"]["status"] != "unavailable", verdict["checks"]["grammar"]
    return {verdict["text"][f["start"]:f["end"]]: f["name"] for f in verdict["findings"]}


def test_tokens_made_anywhere_work_everywhere_and_a_revoked_one_is_refused_by_both_at_once(two_services):
    first, second, tokens, command = two_services
    petr = command("token", "create", "--role", "manager", "--email", PETR).splitlines()[-1]
    for url in (first, second):
        assert call(url, tokens[HEAD], "GET", "/v1/verdicts").status_code == 200
        assert call(url, petr, "GET", "/v1/verdicts").status_code == 200
    petr_id = max(t["id"] for t in json.loads(command("token", "list", "--format", "json")) if t["email"] == PETR)
    command("token", "revoke", str(petr_id))
    # No cache window: the very next request to either process is refused.
    for url in (second, first, second, first):
        refused = call(url, petr, "GET", "/v1/verdicts")
        assert refused.status_code == 401, (url, refused.text)
    for url in (first, second):  # the head's token is untouched
        assert call(url, tokens[HEAD], "GET", "/v1/verdicts").status_code == 200


def test_what_the_team_teaches_one_service_the_other_applies_within_the_refresh_window(two_services):
    first, second, tokens, command = two_services
    head = tokens[HEAD]
    petr = command("token", "create", "--role", "manager", "--email", PETR).splitlines()[-1]
    olga = command("token", "create", "--role", "manager", "--email", OLGA).splitlines()[-1]
    assert "Зентрикс" in findings(second, petr, draft(PETR, BRAND_TEXT))

    # A spelling Petr dismisses through the first is his own word on the second.
    r = call(first, petr, "POST", "/v1/dismissals", json={"name": "spelling.MORFOLOGIK_RULE_RU_RU", "excerpt": "Зентрикс"})
    assert r.status_code == 201, r.text
    time.sleep(REFRESH + 0.3)
    assert "Зентрикс" not in findings(second, petr, draft(PETR, BRAND_TEXT))
    assert "Зентрикс" in findings(second, olga, draft(OLGA, BRAND_TEXT))  # only his

    # A word the head adds through the second is everyone's on the first.
    assert call(second, head, "POST", "/v1/dictionary", json={"word": "Зентрикс"}).status_code == 201
    time.sleep(REFRESH + 0.3)
    assert "Зентрикс" not in findings(first, olga, draft(OLGA, BRAND_TEXT))
    assert call(first, head, "DELETE", "/v1/dictionary/Зентрикс").status_code == 204
    time.sleep(REFRESH + 0.3)
    assert "Зентрикс" in findings(second, olga, draft(OLGA, BRAND_TEXT))

    # A rule the head switches off through the first is off on the second, and back on.
    assert "wordiness.long-sentence" in findings(second, olga, draft(OLGA, LONG_SENTENCE)).values()
    r = call(first, head, "PATCH", "/v1/rules/wordiness.long-sentence", json={"enabled": False})
    assert r.status_code == 200, r.text
    time.sleep(REFRESH + 0.3)
    assert "wordiness.long-sentence" not in findings(second, olga, draft(OLGA, LONG_SENTENCE)).values()
    rules = call(second, head, "GET", "/v1/rules").json()
    assert rules["switches"]["wordiness.long-sentence"]["enabled"] is False
    assert call(second, head, "PATCH", "/v1/rules/wordiness.long-sentence", json={"enabled": None}).status_code == 200
    time.sleep(REFRESH + 0.3)
    assert "wordiness.long-sentence" in findings(first, olga, draft(OLGA, LONG_SENTENCE)).values()


def test_verdicts_stored_through_both_in_a_burst_are_all_listed_by_either(two_services):
    first, second, tokens, command = two_services
    petr = command("token", "create", "--role", "manager", "--email", PETR).splitlines()[-1]
    text = "Мария, добрый день!\n\nПришлите, пожалуйста, адрес склада до пятницы.\n\nС уважением,\nПётр Сидоров"
    distinct = [(url, f"<burst-{n}@alfa-solar.ru>") for n in range(12) for url in ((first, second)[n % 2],)]
    # The same Message-IDs stored through both at once: one verdict each, whoever wins the race.
    same = [(url, f"<both-{n}@alfa-solar.ru>") for n in range(4) for url in (first, second)]

    def store(job: tuple[str, str]) -> int:
        url, message_id = job
        response = call(url, petr, "POST", "/v1/check?save=true", json={**draft(PETR, text), "message_id": message_id})
        assert response.status_code == 200, response.text
        return int(response.headers["X-Verdict-Id"])

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(store, distinct + same))
    assert len(set(ids[:len(distinct)])) == len(distinct)  # no two messages share an id
    for n in range(4):  # a message stored twice keeps one verdict, under one id
        assert ids[len(distinct) + 2 * n] == ids[len(distinct) + 2 * n + 1]
    expected = {message_id for _, message_id in distinct + same}
    for url, token in ((first, tokens[HEAD]), (second, tokens[HEAD]), (first, petr), (second, petr)):
        listed = call(url, token, "GET", "/v1/verdicts?limit=500").json()["items"]
        assert sorted(item["message_id"] for item in listed) == sorted(expected), url
        assert len({item["id"] for item in listed}) == len(expected)
        assert {item["id"] for item in listed} == set(ids)
