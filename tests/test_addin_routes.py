"""The add-in's files under /addin/: the manifest and scripts with the server's base URL, CORS for Outlook."""
from __future__ import annotations

import re

import pytest

from api_support import open_env

PUBLIC = "https://mail-lint.alfa-solar.ru"
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}


@pytest.fixture
def open_app(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    opened = []

    def _open(**api):
        env, client = open_env(tmp_path / str(len(opened)), **api)
        opened.append(env)
        client.__enter__()
        return env
    yield _open
    for env in opened:
        env.client.__exit__(None, None, None)
        env.store.close()


def test_manifest_carries_the_configured_base_url(open_app):
    env = open_app(base_url=PUBLIC + "/")
    response = env.client.get("/addin/manifest.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert "{{BASE_URL}}" not in response.text
    urls = re.findall(r'DefaultValue="(https?://[^"]+)"', response.text)
    assert urls and all(u.startswith(PUBLIC + "/") for u in urls), urls
    assert f"{PUBLIC}/addin/launchevent.js" in urls and "//addin" not in response.text


def test_without_base_url_the_manifest_uses_the_url_it_was_reached_at(open_app):
    env = open_app()
    response = env.client.get("/addin/manifest.xml", headers={"Host": "mail.example.test:8443"})
    assert 'DefaultValue="http://mail.example.test:8443/addin/commands.html"' in response.text


def test_every_url_in_the_manifest_is_served(open_app):
    env = open_app(base_url=PUBLIC)
    manifest = env.client.get("/addin/manifest.xml").text
    paths = {u.removeprefix(PUBLIC) for u in re.findall(r'DefaultValue="(https://[^"]+)"', manifest)}
    assert {"/addin/commands.html", "/addin/taskpane.html", "/addin/launchevent.js",
            "/addin/assets/icon-16.png"} <= paths
    for path in paths:
        response = env.client.get(path)
        assert response.status_code == 200, path
        if path.endswith(".png"):
            assert response.content.startswith(b"\x89PNG") and response.headers["content-type"] == "image/png"


def test_scripts_and_pages_get_the_base_url_too(open_app):
    env = open_app(base_url=PUBLIC)
    script = env.client.get("/addin/launchevent.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert f'baseUrl: "{PUBLIC}"' in script.text
    pane = env.client.get("/addin/taskpane.html").text
    assert f'<script src="{PUBLIC}/addin/taskpane.js">' in pane and "{{BASE_URL}}" not in pane
    assert env.client.get("/addin/taskpane.css").headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/addin/package.json", "/addin/test/launchevent.test.js",
                                  "/addin/node_modules/office-addin-mock/package.json", "/addin/make_icons.py",
                                  "/addin/testlib/outlook.js", "/addin/../api/app.py", "/addin/missing.js",
                                  "/addin/%2e%2e/pyproject.toml"])
def test_only_the_addin_itself_is_served(open_app, path):
    env = open_app()
    response = env.client.get(path)
    assert response.status_code == 404, path
    assert "error" in response.json()


def test_cors_lets_outlook_call_the_check(open_app):
    env = open_app(cors_origins=["https://addin.alfa-solar.ru"])
    for origin in ("https://outlook.office.com", "https://outlook.office365.com", "https://outlook.live.com",
                   "https://addin.alfa-solar.ru"):
        response = env.client.options("/v1/check", headers={"Origin": origin, **PREFLIGHT})
        assert response.headers.get("access-control-allow-origin") == origin, origin
    denied = env.client.options("/v1/check", headers={"Origin": "https://evil.example", **PREFLIGHT})
    assert "access-control-allow-origin" not in denied.headers


def test_a_check_from_outlook_gets_its_verdict_across_origins(open_app):
    env = open_app()
    draft = {"subject": "КП", "text": "Добрый день!\n\nНаправляю КП во вложении.", "to": ["ivan@client.ru"]}
    response = env.client.post("/v1/check?save=false", json=draft,
                               headers={"Origin": "https://outlook.office.com", **env.auth(env.manager)})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://outlook.office.com"
    assert "forward.missing-attachment" in {f["name"] for f in response.json()["findings"]}


@pytest.mark.parametrize("path", ["/addin/manifest.xml", "/addin/launchevent.js", "/addin/taskpane.html"])
def test_files_built_from_the_host_header_are_not_cached_for_others(open_app, path):
    """Without [api] base_url the URLs in these files come from the request's Host header: a shared cache
    must never hand one client's version (or a forged Host's) to another."""
    response = open_app().client.get(path, headers={"Host": "mail.example.test:8443"})
    assert "mail.example.test:8443" in response.text
    assert "public" not in response.headers["cache-control"] and "private" in response.headers["cache-control"]
    assert "host" in [v.strip().lower() for v in response.headers["vary"].split(",")]


def test_files_built_from_the_configured_base_url_may_be_cached(open_app):
    response = open_app(base_url=PUBLIC).client.get("/addin/launchevent.js", headers={"Host": "evil.test"})
    assert "evil.test" not in response.text and response.headers["cache-control"] == "public, max-age=300"

