"""A learned second opinion on whether an English sentence carries an intent (a request, a proposal, a
dated commitment), on top of the rules in `requests.py`.

The model is a logistic regression over the sentence's words and word pairs plus the kind of cue the rules
found. It was trained on the train file of the Parakweet email intent set (Apache License 2.0; Enron and
other English mail) by `tools/train_intent_model.py`, which wrote `rules/data/en/intent_model.json`: the
weights, the bias and the decision threshold chosen by cross-validation on that train file alone. Only
English has labelled sentences, so Russian is decided by the rules alone.

Inference is a sum of weights: no third-party package, no download.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from mail_lint.rules.support.wordlists import DATA

_TOKEN = re.compile(r"\w[\w']*|\?", re.U)  # the model's own tokens: the weights were learned on exactly these
RULE_FEATURE = "cue:"  # + the rules' kind ("imperative", "offer", ...) or "none"


def features(sentence: str, cue_kind: str | None) -> set[str]:
    """The words, the adjacent word pairs and the rules' verdict; each feature counts once."""
    tokens = _TOKEN.findall(sentence.lower().replace("’", "'"))
    found = {f"w:{t}" for t in tokens}
    found.update(f"p:{a} {b}" for a, b in zip(tokens, tokens[1:]))
    found.add(RULE_FEATURE + (cue_kind or "none"))
    return found


@dataclass(frozen=True)
class IntentModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, found: set[str]) -> float:
        score = self.bias + sum(self.weights.get(f, 0.0) for f in found)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def strongest(self, found: set[str]) -> str:
        """The word or word pair that weighs most towards intent: the cue of a sentence only the model found."""
        words = [f for f in found if not f.startswith(RULE_FEATURE)]
        best = max(words, key=lambda f: (self.weights.get(f, 0.0), f), default="")
        return best.partition(":")[2]

    def to_json(self, about: dict) -> str:
        return json.dumps({"about": about, "bias": round(self.bias, 6), "threshold": self.threshold,
                           "weights": {f: round(w, 6) for f, w in sorted(self.weights.items())}},
                          ensure_ascii=False, indent=0)


def model_path(language: str):
    return DATA / language / "intent_model.json"


@lru_cache(maxsize=None)
def load_model(language: str) -> IntentModel | None:
    path = model_path(language)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return IntentModel(data["weights"], data["bias"], data["threshold"])
