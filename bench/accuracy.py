"""Accuracy of the detectors, printed as numbers (never a test's pass/fail).

    python bench/accuracy.py [--split test|train] [--errors N]

Sections (each prints its own block; add a new one as a function and list it in SECTIONS):
- request detector (`rules/support/requests.py`): sentence-level precision / recall / F1 on the Parakweet email
  intent set in ../shared/corpora/parakweet-email-intent (`Yes`/`No` per sentence). Rules tuned and the
  English model trained on the train file (Ask0729-fixed.txt); reported on the test file
  (testSet-qualifiedBatch-fixed.txt), and for comparison the rules alone. Goal: F1 >= 0.75.
- corpus (`tests/corpus/`): every hand-labelled sales email linted with `tests/corpus/mail-lint.toml`
  (grammar disabled); per contract rule name TP / FP / FN, precision and recall at the email level (does
  the email get the name or not), and the micro average. Goal: precision >= 0.9, recall >= 0.85 per name.
  `--errors N` also lists the emails behind each FP and FN.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from mail_lint.rules.support.requests import ASKS, is_request, request_cue  # noqa: E402
from support.corpora import corpora_dir, read_intent  # noqa: E402
from support.metrics import confusion, prf  # noqa: E402

CORPUS = REPO / "tests" / "corpus"
# The contract's rule names for the five content checks (grammar is measured in bench/grammar.py).
CONTRACT_NAMES = (
    "greeting.missing", "greeting.unnamed", "greeting.wrong-name",
    "signature.missing", "signature.incomplete", "signature.nonstandard",
    "wordiness.stop-word", "wordiness.long-sentence", "wordiness.too-long",
    "cta.missing", "cta.no-deadline", "cta.past-deadline", "cta.buried",
    "forward.vague-subject", "forward.missing-context", "forward.missing-attachment",
)

INTENT_FILES = {"test": "testSet-qualifiedBatch-fixed.txt", "train": "Ask0729-fixed.txt"}


def request_detector(args) -> None:
    print("== request detector (rules/support/requests.py) on parakweet-email-intent ==")
    corpora = corpora_dir()
    path = corpora / "parakweet-email-intent" / INTENT_FILES[args.split] if corpora else None
    if path is None or not path.is_file():
        print("skipped: ../shared/corpora/parakweet-email-intent is absent")
        return
    rows = read_intent(path)
    predicted = [(gold, is_request(sentence, "en")) for gold, sentence in rows]
    tp, fp, fn, tn = confusion(predicted)
    misses = [sentence for (gold, hit), (_, sentence) in zip(predicted, rows) if gold and not hit]
    false_alarms = [sentence for (gold, hit), (_, sentence) in zip(predicted, rows) if hit and not gold]
    precision, recall, f1 = prf(tp, fp, fn)
    print(f"split: {args.split} ({path.name}), {len(rows)} sentences ({tp + fn} Yes, {fp + tn} No)")
    print(f"tp={tp} fp={fp} fn={fn} tn={tn}")
    print(f"precision={precision:.3f} recall={recall:.3f} F1={f1:.3f} (goal F1 >= 0.75)")
    # The rules without the learned model's second opinion (rules/support/intent_model.py), for comparison.
    r_p, r_r, r_f1 = prf(*confusion((gold, request_cue(sentence, "en") is not None) for gold, sentence in rows)[:3])
    print(f"rules alone (no learned model): precision={r_p:.3f} recall={r_r:.3f} F1={r_f1:.3f}")
    # What cta.* counts as the email's request: the same detector without standing offers.
    a_tp, a_fp, a_fn, _ = confusion((gold, is_request(sentence, "en", ASKS)) for gold, sentence in rows)
    a_p, a_r, a_f1 = prf(a_tp, a_fp, a_fn)
    print(f"asks only (offers excluded, as cta.* counts): tp={a_tp} fp={a_fp} fn={a_fn} "
          f"precision={a_p:.3f} recall={a_r:.3f} F1={a_f1:.3f}")
    for title, items in (("missed", misses), ("false alarms", false_alarms)):
        for sentence in items[:args.errors]:
            print(f"  {title}: {sentence[:160]}")


def corpus_labels() -> dict[str, set[str]]:
    import yaml
    data = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
    return {name: set(names or []) for name, names in data["emails"].items()}


def lint_corpus() -> dict[str, set[str]]:
    """File name -> the rule names the linter gives it, with the corpus config."""
    from mail_lint.config import load
    from mail_lint.engine import lint
    from mail_lint.message import parse
    config = load(CORPUS / "mail-lint.toml")
    return {path.name: {f.name for f in lint(parse(path.read_bytes()), config).findings}
            for path in sorted(CORPUS.glob("*.eml"))}


def corpus(args) -> None:
    print("== per rule name on tests/corpus (hand-labelled sales emails) ==")
    labels, predicted = corpus_labels(), lint_corpus()
    unlabelled = sorted(set(predicted) - set(labels))
    if unlabelled:
        print(f"not in labels.yaml (skipped): {', '.join(unlabelled)}")
    names = sorted(labels.keys() & predicted.keys())
    print(f"{len(names)} emails; config {CORPUS / 'mail-lint.toml'}")
    print(f"{'rule name':<28} {'TP':>3} {'FP':>3} {'FN':>3}  {'precision':>9} {'recall':>6}")
    total = [0, 0, 0]
    misses = []
    for rule in CONTRACT_NAMES:
        tp = sum(rule in labels[n] and rule in predicted[n] for n in names)
        fp = [n for n in names if rule in predicted[n] and rule not in labels[n]]
        fn = [n for n in names if rule in labels[n] and rule not in predicted[n]]
        precision, recall, _ = prf(tp, len(fp), len(fn))
        ok = (precision >= 0.9 or not tp + len(fp)) and recall >= 0.85
        print(f"{rule:<28} {tp:>3} {len(fp):>3} {len(fn):>3}  {precision:>9.3f} {recall:>6.3f}"
              f"{'' if ok else '   < goal'}")
        total = [total[0] + tp, total[1] + len(fp), total[2] + len(fn)]
        misses += [(rule, "FP", n) for n in fp] + [(rule, "FN", n) for n in fn]
    precision, recall, f1 = prf(*total)
    print(f"{'micro average':<28} {total[0]:>3} {total[1]:>3} {total[2]:>3}  {precision:>9.3f} {recall:>6.3f}"
          f"  F1={f1:.3f} (goal per name: precision >= 0.9, recall >= 0.85)")
    if args.errors:
        for rule, kind, name in misses:
            print(f"  {kind} {rule}: {name}")


SECTIONS = [request_detector, corpus]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=sorted(INTENT_FILES), default="test")
    ap.add_argument("--errors", type=int, default=0, help="print this many misses and false alarms")
    args = ap.parse_args()
    for section in SECTIONS:
        section(args)
        print()


if __name__ == "__main__":
    main()
