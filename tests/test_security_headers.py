"""Security headers: a Content-Security-Policy on every response, nosniff, and no framing except the add-in's
pages by Outlook. That the pages still work under their policies is tested in real Chromium
(test_api_e2e.py, test_addin_taskpane_e2e.py)."""
from __future__ import annotations

import pytest

from api_support import RU_DRAFT, open_env

OUTLOOK = ("https://outlook.office.com", "https://outlook.office365.com", "https://outlook.live.com",
           "https://*.officeapps.live.com")


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path, max_body_bytes=1000)
    with client:
        yield env
    env.store.close()


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_every_response_has_nosniff_and_a_policy(env):
    responses = {
        "page": env.client.get("/"), "script": env.client.get("/static/app.js"), "docs": env.client.get("/docs"),
        "openapi": env.client.get("/openapi.json"),
        "rules": env.client.get("/v1/rules"), "401": env.client.post("/v1/check", json=RU_DRAFT),
        "404": env.client.get("/nowhere"), "413": env.client.post("/v1/check", content=b"x" * 2000),
        "verdict html": env.client.post("/v1/check?format=html&save=false", json=RU_DRAFT,
                                        headers=env.auth(env.manager)),
        "pane": env.client.get("/addin/taskpane.html"), "manifest": env.client.get("/addin/manifest.xml"),
    }
    assert responses["verdict html"].headers["content-type"].startswith("text/html")
    for name, response in responses.items():
        assert response.headers["x-content-type-options"] == "nosniff", name
        assert "frame-ancestors" in directives(response), name
        assert directives(response)["default-src"][0] in ("'none'", "'self'"), name


@pytest.mark.parametrize("path", ["/", "/docs", "/v1/rules", "/nowhere"])
def test_our_own_pages_are_never_framed(env, path):
    response = env.client.get(path)
    assert response.headers["x-frame-options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


def test_the_page_runs_only_its_own_scripts(env):
    policy = directives(env.client.get("/"))
    assert policy["script-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]


def test_api_html_runs_no_script(env):
    html = env.client.post("/v1/check?format=html&save=false", json=RU_DRAFT, headers=env.auth(env.manager))
    policy = directives(html)
    assert policy["default-src"] == ["'none'"] and "script-src" not in policy


@pytest.mark.parametrize("path", ["/addin/taskpane.html", "/addin/commands.html"])
def test_outlook_may_frame_the_addin_pages(env, path):
    """X-Frame-Options names one origin at most: the add-in's pages rely on frame-ancestors instead."""
    response = env.client.get(path)
    assert "x-frame-options" not in response.headers
    policy = directives(response)
    assert set(OUTLOOK) <= set(policy["frame-ancestors"]) and "*" not in policy["frame-ancestors"]
    assert "https://appsforoffice.microsoft.com" in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]


def test_a_configured_base_url_is_a_source_of_the_addin_pages(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env, client = open_env(tmp_path, base_url="https://mail-lint.alfa-solar.ru/lint/")
    with client:
        policy = directives(client.get("/addin/taskpane.html"))
    env.store.close()
    assert "https://mail-lint.alfa-solar.ru" in policy["script-src"]
    assert "https://mail-lint.alfa-solar.ru" in policy["connect-src"]
