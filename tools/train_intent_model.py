"""Train the English intent model (`rules/support/intent_model.py`) on the Parakweet train file.

    python tools/train_intent_model.py [--check] [--output PATH]

Reads only the train file (`Ask0729-fixed.txt` in ../shared/corpora/parakweet-email-intent); the test file is
for `bench/accuracy.py`. The regularisation strength and the decision threshold are chosen by 4-fold
cross-validation on the train file, repeated with three fold assignments: the pair with the best mean F1
wins, a tie going to the stronger regularisation. Then the model is fitted on the whole train file and
written to `rules/data/en/intent_model.json`.

The fit is L2-regularised logistic regression by stochastic gradient descent with a fixed seed, in plain
Python, so the same data gives the same file. `--check` retrains and fails when the shipped file differs.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from mail_lint.rules.support.intent_model import RULE_FEATURE, IntentModel, features, model_path  # noqa: E402
from mail_lint.rules.support.requests import request_cue  # noqa: E402
from support.corpora import corpora_dir, read_intent  # noqa: E402
from support.metrics import confusion, prf  # noqa: E402

TRAIN_FILE = "Ask0729-fixed.txt"
STRENGTHS = (1.0, 0.3, 0.1)  # C: inverse regularisation, as in scikit-learn's LogisticRegression
THRESHOLDS = [t / 100 for t in range(20, 81, 2)]
FOLDS, REPEATS, EPOCHS, MIN_COUNT = 4, 3, 40, 2

Example = tuple[set[str], bool]


def examples(rows: list[tuple[bool, str]]) -> list[Example]:
    out = []
    for gold, sentence in rows:
        cue = request_cue(sentence, "en")
        out.append((features(sentence, cue[0] if cue else None), gold))
    return out


def fit(data: list[Example], strength: float) -> IntentModel:
    """Minimise sum(log loss) + |w|^2 / (2 C). Features seen fewer than MIN_COUNT times are dropped (they
    would only memorise single sentences). The L2 shrinkage is kept in one running scale factor so each step
    touches only the sentence's own features."""
    counts: dict[str, int] = {}
    for found, _ in data:
        for f in found:
            counts[f] = counts.get(f, 0) + 1
    kept = [([f for f in sorted(found) if counts[f] >= MIN_COUNT or f.startswith(RULE_FEATURE)], gold)
            for found, gold in data]
    decay = 1.0 / (strength * len(kept))
    weights: dict[str, float] = {}
    bias, scale, step = 0.0, 1.0, 0
    order, rng = list(range(len(kept))), random.Random(0)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            found, gold = kept[i]
            step += 1
            rate = 0.5 / (1 + 0.5 * decay * step)
            score = bias + scale * sum(weights.get(f, 0.0) for f in found)
            error = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score)))) - gold
            scale *= 1 - rate * decay
            for f in found:
                weights[f] = weights.get(f, 0.0) - rate * error / scale
            bias -= rate * error
            if scale < 1e-6:  # fold the scale back in before it loses precision
                weights, scale = {f: w * scale for f, w in weights.items()}, 1.0
    return IntentModel({f: w * scale for f, w in weights.items() if abs(w * scale) >= 1e-4}, bias, 0.5)


def f1(gold: list[bool], predicted: list[bool]) -> float:
    return prf(*confusion(zip(gold, predicted))[:3])[2]


def cross_validate(data: list[Example], strength: float) -> tuple[float, float]:
    """(mean F1, threshold): the threshold with the best F1 averaged over the repeats."""
    gold = [g for _, g in data]
    runs = []
    for repeat in range(REPEATS):
        order = list(range(len(data)))
        random.Random(repeat).shuffle(order)
        fold = {i: k % FOLDS for k, i in enumerate(order)}
        probabilities = [0.0] * len(data)
        for k in range(FOLDS):
            model = fit([d for i, d in enumerate(data) if fold[i] != k], strength)
            for i, (found, _) in enumerate(data):
                if fold[i] == k:
                    probabilities[i] = model.probability(found)
        runs.append(probabilities)
    return max((sum(f1(gold, [p >= t for p in run]) for run in runs) / REPEATS, t) for t in THRESHOLDS)


def train(data: list[Example], report=print) -> tuple[IntentModel, dict]:
    best = None
    for strength in STRENGTHS:  # weakest regularisation first, so that a tie goes to the stronger one
        started = time.perf_counter()
        score, threshold = cross_validate(data, strength)
        report(f"C={strength}: cross-validated F1 {score:.4f} at threshold {threshold:.2f} "
               f"({time.perf_counter() - started:.0f} s)")
        if best is None or score >= best[0]:
            best = (score, strength, threshold)
    score, strength, threshold = best
    model = fit(data, strength)
    model = IntentModel(model.weights, model.bias, threshold)
    about = {"trained_on": f"parakweet-email-intent/{TRAIN_FILE} ({len(data)} sentences; Apache License 2.0, "
                           "Copyright (c) 2014 Parakweet Labs, Inc.)",
             "by": "tools/train_intent_model.py", "C": strength, "cross_validated_f1": round(score, 4),
             "features": len(model.weights)}
    report(f"chosen: C={strength}, threshold {threshold:.2f}, {len(model.weights)} weights")
    return model, about


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--output", type=Path, default=model_path("en"), help="where to write the model")
    ap.add_argument("--check", action="store_true", help="retrain and fail if the shipped model differs")
    args = ap.parse_args()
    corpora = corpora_dir()
    path = corpora / "parakweet-email-intent" / TRAIN_FILE if corpora else None
    if path is None or not path.is_file():
        print("error: ../shared/corpora/parakweet-email-intent/Ask0729-fixed.txt is not here", file=sys.stderr)
        return 2
    model, about = train(examples(read_intent(path)))
    text = model.to_json(about)
    if args.check:
        same = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'matches' if same else 'differs from'} a fresh training run")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
