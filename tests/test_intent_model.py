"""The learned English intent model (rules/support/intent_model.py) and how the request detector uses it."""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from mail_lint.rules.support.intent_model import RULE_FEATURE, features, load_model
from mail_lint.rules.support.requests import ASKS, find_requests, intent_cue, is_request, request_cue

REPO = Path(__file__).resolve().parent.parent


def test_features_are_words_pairs_and_the_rules_verdict():
    found = features("Can’t you send it?", "question")
    assert {"w:can't", "w:you", "w:send", "w:it", "w:?"} <= found
    assert {"p:can't you", "p:you send", "p:send it", "p:it ?"} <= found
    assert RULE_FEATURE + "question" in found
    assert RULE_FEATURE + "none" in features("Thanks.", None)


def test_probability_is_the_logistic_of_bias_plus_the_weights_present():
    model = load_model("en")
    found = features("We can try this week if you're available.", None)
    score = model.bias + sum(model.weights.get(f, 0.0) for f in found)
    assert model.probability(found) == pytest.approx(1 / (1 + math.exp(-score)))
    assert 0 < model.threshold < 1


def test_only_english_has_a_model():
    assert load_model("en") is not None
    assert load_model("ru") is None


def test_the_model_adds_an_intent_the_rules_miss_but_it_is_not_an_ask():
    sentence = "We can try this week if you're available."
    assert request_cue(sentence, "en") is None
    kind, cue = intent_cue(sentence, "en")
    assert kind == "intent" and cue and cue in sentence.lower()
    assert is_request(sentence, "en") and not is_request(sentence, "en", ASKS)


def test_the_model_overrules_a_mailing_instruction_the_rules_take_for_an_imperative():
    # Parakweet's labellers count "use the link below to ..." in mailings as no intent; the model learned it.
    sentence = "Use the link below to track the delivery."
    assert request_cue(sentence, "en")[0] == "imperative"
    assert intent_cue(sentence, "en") is None


@pytest.mark.parametrize("sentence", [
    "Please confirm the quantity by Friday.",
    "Could you send the signed contract by December 5?",
    "Let me know which delivery date suits you.",
    "Can we schedule a call on Tuesday at 11?",
])
def test_the_model_keeps_the_plain_requests_of_sales_mail(sentence):
    assert is_request(sentence, "en", ASKS)


def test_russian_is_decided_by_the_rules_alone():
    for sentence in ("Пришлите, пожалуйста, реквизиты.", "Будем рады сотрудничеству."):
        assert intent_cue(sentence, "ru") == request_cue(sentence, "ru")


def test_find_requests_reports_learned_intents_with_their_kind():
    text = "Thanks for the call. We can try this week if you're available."
    kinds = [r.kind for r in find_requests(text, "en", (0, len(text)))]
    assert kinds == ["intent"]


def test_the_shipped_model_is_what_the_trainer_makes_from_the_train_file(corpora):
    if not (corpora / "parakweet-email-intent" / "Ask0729-fixed.txt").is_file():
        pytest.skip("the Parakweet corpus is not in ../shared/corpora")
    run = subprocess.run([sys.executable, str(REPO / "tools" / "train_intent_model.py"), "--check"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "matches" in run.stdout
