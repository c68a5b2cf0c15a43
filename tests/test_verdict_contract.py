"""The verdict contract is declared by `mail_lint/schema/verdict.schema.json`; the engine's `Verdict`, its
`Finding`, and the API's response models must say the same, key for key.
"""
from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import jsonschema
import pytest

from mail_lint.api.schemas import CheckScoreOut, FindingOut, VerdictOut
from mail_lint.config import load
from mail_lint.engine import lint
from mail_lint.message import parse
from mail_lint.verdict import SCHEMA, Finding

REPO = Path(__file__).resolve().parent.parent
CONTRACT = json.loads((REPO / "mail_lint" / "schema" / "verdict.schema.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((REPO / "mail_lint" / "examples").glob("*.eml")) + sorted((REPO / "tests" / "corpus").glob("*.eml"))


def _api_keys(model) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def test_the_schema_id_is_the_one_the_verdict_names():
    assert CONTRACT["$id"] == SCHEMA == CONTRACT["properties"]["schema"]["const"]


def test_top_level_keys_agree():
    # `rewrite` is additive (issue 16): every new verdict has it, verdicts stored before it existed do not.
    assert set(CONTRACT["required"]) | {"rewrite"} == set(CONTRACT["properties"]) == _api_keys(VerdictOut)


def test_finding_keys_agree():
    finding = CONTRACT["properties"]["findings"]["items"]
    assert set(finding["required"]) == set(finding["properties"])
    # `changes` stay inside the process: the verdict's `rewrite.edits` say which were applied.
    assert set(finding["required"]) == {f.name for f in fields(Finding)} - {"changes"} == _api_keys(FindingOut)
    assert set(finding["properties"]["severity"]["enum"]) == set(FindingOut.model_fields["severity"].annotation.__args__)


def test_check_score_keys_agree():
    check = CONTRACT["properties"]["checks"]["additionalProperties"]
    # `reason` is the one additive key (an unavailable check says why), documented in the README's changelog.
    assert set(check["required"]) | {"reason"} == _api_keys(CheckScoreOut)
    assert set(check["properties"]["status"]["enum"]) == set(CheckScoreOut.model_fields["status"].annotation.__args__)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_verdict_satisfies_both_declarations(path):
    verdict = lint(parse(path.read_bytes()), load(REPO / "tests" / "corpus" / "mail-lint.toml")).to_json()
    jsonschema.validate(verdict, CONTRACT)
    assert VerdictOut.model_validate(verdict).model_dump(by_alias=True, exclude_unset=True).keys() == verdict.keys()
    message = CONTRACT["properties"]["message"]
    assert set(verdict["message"]) == set(message["required"]) == set(message["properties"])
    assert set(verdict["stats"]) == set(CONTRACT["properties"]["stats"]["required"])
    rewrite = verdict["rewrite"]
    assert verdict["stats"]["removable_words"] == rewrite["words_before"] - rewrite["words_after"] >= 0
    assert rewrite["words_before"] == verdict["stats"]["words"]
