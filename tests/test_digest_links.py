"""Signed links from the digest (issue 16): they open the annotated verdict in a real Chromium against a real
`mail-lint serve` without a token; a tampered or expired link is 403; a private digest links only its reader's mail."""
from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from mail_lint.config import validate
from mail_lint.digest import digest_json, private_digest
from mail_lint.engine import lint
from mail_lint.links import verdict_link
from mail_lint.message import from_draft
from mail_lint.store import Store
from test_api_e2e import browser_page, running_service  # noqa: F401  (a fixture, used by name)

MSK = ZoneInfo("Europe/Moscow")
SECRET = "a-secret-the-service-and-this-test-share"
PETR, OLGA = "petr@alfa-solar.ru", "olga@alfa-solar.ru"


@pytest.fixture
def linked(tmp_path):
    with running_service(tmp_path, f'\n[api]\nlink_secret = "{SECRET}"\n') as (url, _token):
        config = validate({"general": {"timezone": "Europe/Moscow"}, "rules": {"disable": ["grammar"]},
                           "store": {"url": f"sqlite:///{tmp_path / 'verdicts.db'}"},
                           "api": {"link_secret": SECRET}, "digest": {"base_url": url}})
        ids = {}
        with Store.open(config=config) as store:
            for day, (sender, subject) in enumerate([(PETR, "КП на 40 панелей"), (PETR, "Счёт №45"),
                                                     (OLGA, "Монтаж станции в Клину")], start=1):
                message = from_draft(text=f"Добрый день!\n\nНаправляю {subject} во вложении.\n", subject=subject,
                                     sender=sender, to=["Мария <maria@client.ru>"],
                                     date=datetime(2025, 12, day, 11, tzinfo=MSK))
                ids[subject] = store.save(lint(message, config), "imap")
            digest = digest_json(store, config, "2025-W49")
        yield url, digest, ids


def _opens(page, link: str) -> tuple[int, str]:
    response = page.goto(link)
    return response.status, page.content()


def test_a_signed_link_opens_the_annotated_verdict_without_a_token(linked, browser_page):
    url, digest, ids = linked
    olga = next(m for m in digest["managers"] if m["email"] == OLGA)
    assert olga["worst_url"].startswith(url) and "token" not in olga["worst_url"]
    status, html = _opens(browser_page, olga["worst_url"])
    assert status == 200 and "Монтаж станции в Клину" in html and 'class="verdict"' in html
    assert 'class="dismiss"' not in html                     # read-only: nothing to do without a token
    coaching = [item["url"] for m in digest["managers"] for item in m["coaching"] if item["url"]]
    assert coaching and all(_opens(browser_page, link)[0] == 200 for link in coaching[:2])


def test_a_tampered_or_expired_link_is_refused(linked, browser_page):
    url, digest, ids = linked
    link = next(m for m in digest["managers"] if m["email"] == PETR)["worst_url"]
    query = parse_qs(urlsplit(link).query)
    tampered_sig = link.replace(query["sig"][0], ("0" if query["sig"][0][0] != "0" else "1") + query["sig"][0][1:])
    linked_id = urlsplit(link).path.split("/")[3]
    other_verdict = link.replace(f"/verdicts/{linked_id}/", f"/verdicts/{ids['Монтаж станции в Клину']}/")
    expired = verdict_link(url, SECRET.encode(), ids["Счёт №45"], "head", int(time.time()) - 60)
    for bad in (tampered_sig, other_verdict, expired, link.split("&sig=")[0] + "&sig=x"):
        assert _opens(browser_page, bad)[0] == 403, bad


def test_a_private_digest_links_only_its_readers_mail(linked, browser_page):
    url, digest, ids = linked
    mine = private_digest(digest, PETR, SECRET.encode())
    links = [mine["managers"][0][key] for key in ("best_url", "worst_url")] + \
        [item["url"] for item in mine["managers"][0]["coaching"]]
    links = [link for link in links if link]
    assert links and all(parse_qs(urlsplit(link).query)["reader"] == [PETR] for link in links)
    own = {str(ids["КП на 40 панелей"]), str(ids["Счёт №45"])}
    assert {urlsplit(link).path.split("/")[3] for link in links} <= own
    assert _opens(browser_page, links[0])[0] == 200
    # a link signed for Petr that names Olga's email is refused, however valid its signature
    forged = verdict_link(url, SECRET.encode(), ids["Монтаж станции в Клину"], PETR, int(time.time()) + 3600)
    assert _opens(browser_page, forged)[0] == 403
    assert private_digest(digest, PETR)["managers"][0]["worst_url"] is None   # no secret: no links at all
