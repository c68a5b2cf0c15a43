"""The service with grammar on: a real LanguageTool (see conftest_lt.py), and one that never answers."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mail_lint.api.app import create_app
from api_support import RU_DRAFT, open_env
from mail_lint.config import validate

pytest_plugins = ("conftest_lt",)

MISTAKES = {**RU_DRAFT, "subject": "Сроки монтажа 40 панелей",
            "text": "Добрый день, Иван!\n\nОтветим в течении месяца, не смотря на праздники.\n\nПётр Сидоров"}


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, _ = open_env(tmp_path)
    yield env
    env.store.close()


def grammar_app(env, url: str, timeout: float):
    config = validate({"store": {"url": f"sqlite:///{env.db_path}"}, "grammar": {"url": url, "timeout": timeout}})
    return TestClient(create_app(config, env.store))


def test_grammar_findings_from_a_real_languagetool_are_annotated(env, lt_server):
    with grammar_app(env, lt_server.url, 60) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["languagetool"] == {"ok": True, "detail": "answers"}
        verdict = client.post("/v1/check", json=MISTAKES, headers=env.auth(env.manager)).json()
        assert verdict["checks"]["grammar"]["status"] != "unavailable"
        names = {f["name"] for f in verdict["findings"] if f["check"] == "grammar"}
        assert names, verdict["findings"]
        page = client.post("/v1/check", params={"format": "html", "save": "false"}, json=MISTAKES,
                           headers=env.auth(env.manager)).text
        assert 'data-name="grammar.' in page or 'data-name="spelling.' in page
        assert "Грамматика" in page


def test_a_languagetool_that_never_answers_gives_grammar_unavailable_not_a_hang(env, silent_server):
    with grammar_app(env, silent_server, 1) as client:
        r = client.post("/v1/check", json=RU_DRAFT, headers=env.auth(env.manager))
        assert r.status_code == 200, r.text
        assert r.json()["checks"]["grammar"]["status"] == "unavailable"
        assert {"greeting", "cta", "forward"} <= set(r.json()["checks"])  # the rest of the verdict is there
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["languagetool"]["ok"] is False
