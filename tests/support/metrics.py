"""Precision, recall and F1 from (gold, predicted) pairs: shared by the benchmarks and the model trainer."""
from __future__ import annotations

from collections.abc import Iterable


def confusion(pairs: Iterable[tuple[bool, bool]]) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of (gold, predicted) pairs."""
    tp = fp = fn = tn = 0
    for gold, predicted in pairs:
        tp += gold and predicted
        fp += predicted and not gold
        fn += gold and not predicted
        tn += not gold and not predicted
    return tp, fp, fn, tn


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
