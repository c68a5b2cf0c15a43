"""One generic test runs every case in tests/cases/<check>.yaml (the sqlfluff habit).

A case is an email (a draft's fields, or `eml:` raw) and the rule names it must and must not produce:
    - id: ru-vague-subject
      subject: Документы
      to: ["Мария Иванова <maria@client.ru>"]
      date: "2025-12-03T10:15:00+03:00"
      attachments: ["КП.pdf"]
      text: |
        Мария, добрый день! ...
      config: {forward: {vague_subjects: ["Привет"]}}   # optional
      language: ru          # optional: asserts the detected language
      expect: [forward.vague-subject]
      forbid: [forward.missing-attachment]
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mail_lint.config import validate
from mail_lint.engine import lint
from mail_lint.message import from_draft, parse
from mail_lint.model import Attachment

CASES_DIR = Path(__file__).parent / "cases"


def _load() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            out.append((f"{path.stem}:{case['id']}", case))
    return out


CASES = _load()


def message_for(case: dict):
    if "eml" in case:
        return parse(case["eml"].encode("utf-8"))
    return from_draft(text=case.get("text", ""), html=case.get("html", ""), subject=case.get("subject", ""),
                      sender=case.get("from", "Иван Петров <ivan.petrov@alfa-solar.ru>"), to=case.get("to", []),
                      cc=case.get("cc", []), date=case.get("date", "2025-12-03T10:15:00+03:00"),
                      attachments=[Attachment(a) for a in case.get("attachments", [])])


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(case):
    message = message_for(case)
    if "language" in case:
        assert message.language == case["language"]
    names = {f.name for f in lint(message, validate(case.get("config", {}))).findings}
    missing = set(case.get("expect", [])) - names
    unwanted = names & set(case.get("forbid", []))
    assert not missing, f"expected {sorted(missing)}, got {sorted(names)}"
    assert not unwanted, f"must not produce {sorted(unwanted)}, got {sorted(names)}"


@pytest.mark.parametrize("path", sorted(CASES_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_check_has_russian_and_english_cases(path):
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert any(i.startswith("ru-") for i in ids) and any(i.startswith("en-") for i in ids)
