"""Each suggested wording passes the rule that produced it (issue 16): a suggested deadline resolves to a date
after the message, and a suggested greeting names a To recipient. Over every test case that gets such a finding."""
from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.message import from_draft
from mail_lint.model import Attachment
from mail_lint.opening import read_opening
from mail_lint.rules.support.deadlines import find_deadlines, reference_moment
from mail_lint.rules.support.names import recipient

CASES = Path(__file__).parent / "cases"
QUOTED = re.compile(r"[«“]([^»”]+)[»”]")
MSK = ZoneInfo("Europe/Moscow")


def _cases(check: str) -> list[dict]:
    return [c for c in yaml.safe_load((CASES / f"{check}.yaml").read_text(encoding="utf-8"))["cases"] if "eml" not in c]


def _lint(case: dict):
    message = from_draft(text=case.get("text", ""), subject=case.get("subject", ""),
                         sender=case.get("from", "Иван Петров <ivan.petrov@alfa-solar.ru>"), to=case.get("to", []),
                         cc=case.get("cc", []), date=case.get("date", "2025-12-03T10:15:00+03:00"),
                         attachments=[Attachment(a) for a in case.get("attachments", [])])
    return message, lint(message, validate({"general": {"timezone": "Europe/Moscow"}, **case.get("config", {}),
                                            "rules": {"disable": ["grammar", "spelling"]}}))


def test_every_suggested_deadline_resolves_to_a_date_after_the_message():
    checked = 0
    for case in _cases("cta"):
        message, verdict = _lint(case)
        for f in verdict.findings:
            if f.name not in ("cta.missing", "cta.no-deadline", "cta.past-deadline"):
                continue
            phrase = QUOTED.findall(f.suggestion)[-1].strip("…. ")
            found = find_deadlines(phrase, message.language, message.date, MSK)
            assert found and found[0].resolved > reference_moment(message.date, MSK), (case["id"], phrase)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("check", ["greeting"])
def test_every_suggested_greeting_names_a_to_recipient(check):
    checked = 0
    for case in _cases(check):
        message, verdict = _lint(case)
        pool = [recipient(a.name, a.email) for a in message.to]
        for f in verdict.findings:
            for better in f.replacements if f.name in ("greeting.unnamed", "greeting.missing") else ():
                opening = read_opening(better, 0, len(better))
                assert opening is not None and opening.persons, (case["id"], better)
                assert any(r.matches(w.text) for r in pool for w in opening.words), (case["id"], better)
                checked += 1
    assert checked >= 5
