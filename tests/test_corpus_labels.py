"""The hand-labelled corpus in tests/corpus is well-formed (its accuracy is measured by bench/accuracy.py,
never asserted here)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from mail_lint.config import load
from mail_lint.message import parse

CORPUS = Path(__file__).resolve().parent / "corpus"
CONTRACT_NAMES = {
    "greeting.missing", "greeting.unnamed", "greeting.wrong-name",
    "signature.missing", "signature.incomplete", "signature.nonstandard",
    "wordiness.stop-word", "wordiness.long-sentence", "wordiness.too-long",
    "cta.missing", "cta.no-deadline", "cta.past-deadline", "cta.buried",
    "forward.vague-subject", "forward.missing-context", "forward.missing-attachment",
}
MIN_EMAILS, MIN_RUSSIAN, MIN_PER_NAME = 40, 25, 3


@pytest.fixture(scope="module")
def labels() -> dict[str, list[str]]:
    data = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
    return data["emails"]


@pytest.fixture(scope="module")
def emails() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))}


def test_every_email_is_labelled_and_every_label_has_an_email(labels, emails):
    assert sorted(labels) == sorted(emails)


def test_labels_are_contract_names_without_repeats(labels):
    for name, rules in labels.items():
        assert isinstance(rules, list), name
        assert set(rules) <= CONTRACT_NAMES, (name, set(rules) - CONTRACT_NAMES)
        assert len(rules) == len(set(rules)), name


def test_each_name_occurs_in_enough_emails_for_recall_to_mean_something(labels):
    counts = Counter(rule for rules in labels.values() for rule in rules)
    thin = {rule: counts[rule] for rule in CONTRACT_NAMES if counts[rule] < MIN_PER_NAME}
    assert not thin


def test_size_and_languages(emails):
    languages = Counter(parse(raw).language for raw in emails.values())
    assert len(emails) >= MIN_EMAILS
    assert languages["ru"] >= MIN_RUSSIAN
    assert languages["en"] >= 1


def test_emails_are_complete_rfc822_messages(emails):
    for name, raw in emails.items():
        head = raw.split(b"\n\n", 1)[0].decode("ascii")
        for header in ("From:", "To:", "Subject:", "Date:", "Message-ID:"):
            assert f"\n{header}" in f"\n{head}", (name, header)
        message = parse(raw)
        assert message.date is not None and message.to and message.new_text.strip(), name


def test_the_corpus_has_attachments_cc_and_quoted_history(emails):
    messages = [parse(raw) for raw in emails.values()]
    assert sum(bool(m.attachments) for m in messages) >= 10
    assert sum(bool(m.cc) for m in messages) >= 2
    assert sum(bool(m.parts.quoted) for m in messages) >= 5


def test_the_corpus_config_loads_with_grammar_disabled():
    config = load(CORPUS / "mail-lint.toml")
    assert not config.rule_enabled("grammar")
    assert config.section("signature")["company"] == ["Альфа Солар", "Alfa Solar"]
