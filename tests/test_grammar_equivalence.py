"""Findings with our setup (tuned server, paragraphs, cache) are those of the old one (the whole text to a
LanguageTool with its default settings), on the bench's sales emails and every test case's email.

Both servers are real; the old client is re-created here in a few lines (one request with the whole text).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from mail_lint.checks import Services
from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.languagetool import LanguageToolClient, ManagedServer
from mail_lint.languagetool.client import _match, paragraphs, utf16_to_index
from mail_lint.languagetool.server import post_check
from mail_lint.message import from_draft
from mail_lint.rules.grammar import LT_LANGUAGES
from test_cases import CASES, message_for

pytest_plugins = ("conftest_lt",)

SALES = Path(__file__).resolve().parent.parent / "bench" / "data" / "sales_emails.yaml"


def messages():
    emails = yaml.safe_load(SALES.read_text(encoding="utf-8"))["emails"]
    out = [(f"sales:{i}", from_draft(text=e["text"], subject=e["subject"], to="Client <client@example.com>",
                                     date="2025-12-03T10:15:00+03:00")) for i, e in enumerate(emails)]
    out += [(case_id, message_for(case)) for case_id, case in CASES]
    return out


class WholeTextClient:
    """The client as it was: the whole text in one request, to the server it is given."""

    def __init__(self, url: str) -> None:
        self.url = url

    def check(self, text, language, *, disabled_rules=(), enabled_rules=()):
        params = {"disabledRules": ",".join(disabled_rules)} if disabled_rules else {}
        if enabled_rules:
            params["enabledRules"] = ",".join(enabled_rules)
        to_index = utf16_to_index(text)
        return [_match(m, to_index) for m in post_check(self.url, text, language, timeout=300, **params)["matches"]]


@pytest.fixture(scope="module")
def default_server(lt_installation):
    server = ManagedServer(lt_installation, tuned=False)
    server.start()
    yield server
    server.stop()


def grammar_findings(message, config, client):
    verdict = lint(message, config, Services(languagetool=client))
    assert verdict.checks["grammar"]["status"] != "unavailable", verdict.checks["grammar"]
    return [(f.name, f.start, f.end, f.message, tuple(f.replacements), f.severity)
            for f in verdict.findings if f.check == "grammar"]


def test_findings_are_those_of_the_whole_text_on_a_default_server(default_server, lt_server):
    config = validate({"grammar": {"timeout": 300.0}})
    old, new = WholeTextClient(default_server.url), LanguageToolClient(lt_server.url, timeout=300)
    emails = messages()
    # The default server rebuilds its rule pipeline for every request (most of this test's time), mostly on
    # one core: two requests at a time keep both cores busy.
    with ThreadPoolExecutor(max_workers=2) as pool:
        expected_all = list(pool.map(lambda item: grammar_findings(item[1], config, old), emails))
    differ, found = [], 0
    for (name, message), expected in zip(emails, expected_all):
        found += len(expected)
        if grammar_findings(message, config, new) != expected:
            differ.append(name)
    assert found >= 20, "the corpus should give the comparison something to compare"
    assert not differ, f"findings differ on {differ}"


def test_every_rule_on_gives_the_same_matches_by_paragraph_as_for_the_whole_text(lt_server):
    """With nothing disabled (a config may enable anything), on the same server: no rule that looks across
    paragraphs changes a match, so cutting at blank lines is safe for any rule selection."""
    new = LanguageToolClient(lt_server.url, timeout=300)
    old = WholeTextClient(lt_server.url)
    differ = []
    for name, message in messages():
        start, end = message.writing
        text = message.text[start:end]
        if len(paragraphs(text)) < 2:
            continue
        language = LT_LANGUAGES[message.language]
        if new.check(text, language) != old.check(text, language):
            differ.append(name)
    assert not differ, f"matches differ on {differ}"
