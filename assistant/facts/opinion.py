"""A second opinion on a fact's period and measure: a linear model over the rules' own answer and
the characters around the number, trained on the hand labels (facts/train_opinion.py).

The rules (facts/periods.py, facts/measures.py) decide first. The model reads what they decided
(period relative to the report's year, measure, kind, part) beside character n-grams of the words
before and after the number, its clause, its sentence, its paragraph's opening and its heading, and
overrules them only where it is sure: its most likely answer differs from the rules' with a
probability of at least the model's `threshold`. A new period sets the kind again (a period over
before the report's year is a result, one reaching it or later a target; an expectation stays).

It is an experiment the extractor does not run (facts/train_opinion.py trains and checks it).
Trained on the 54 read label files with extractor 14's rules as features, it lifted round 16's six
then-unseen reports from .898 to .932 on period and .926 to .944 on measure; but with extractor 15's
rules, written on those reports, it changed nothing at a threshold of 0.8 and cost period 0.007 at
0.5 on heldout15, unread (docs/facts-round15.md). The rules had learnt what it had found.

A model is a plain JSON file: for each field its classes, biases, threshold and the weights of
every feature kept (sparse).
"""

from __future__ import annotations

import math
from dataclasses import replace

from ..types import KIND_EXPECTATION, KIND_RESULT, KIND_TARGET, PART_PLAN, PART_REVIEW, Fact

OTHER = "OTHER"  # a class too rare to learn: the rules stand


def relative_period(year: int, start: int | None, end: int | None) -> str:
    """`-1` for last year, `-5..-1` for the five years before the report, `+0..+4` for the plan ahead."""
    if start is None or end is None:
        return "none"
    return f"{start - year:+d}" if start == end else f"{start - year:+d}..{end - year:+d}"


def absolute_period(year: int, relative: str) -> tuple[int, int]:
    first, _, last = relative.partition("..")
    return year + int(first), year + int(last or first)


def _grams(prefix: str, text: str, sizes: tuple[int, ...]) -> list[str]:
    return [f"{prefix}{text[i:i + n]}" for n in sizes for i in range(max(0, len(text) - n + 1))]


def features(fact: Fact, text: str) -> list[str]:
    """What the model reads of one fact of `text` (its report)."""
    period = relative_period(fact.year or 0, fact.period_start, fact.period_end)
    out = [f"rk={fact.kind}", f"rm={fact.measure}", f"rp={period}", f"part={fact.part}",
           f"lang={fact.language}", f"lvl={fact.level}", f"unit={fact.unit}", f"q={fact.qualifier}",
           f"hl={fact.headline}", f"rk_rm={fact.kind}_{fact.measure}", f"rp_part={period}_{fact.part}"]
    left = text[max(fact.sentence_start, fact.value_start - 14):fact.value_start]
    right = text[fact.value_end:min(fact.sentence_end, fact.value_end + 8)]
    out += _grams("L:", left[-6:], (1, 2, 3)) + _grams("LL:", left, (2,))
    out += _grams("R:", right[:4], (1, 2)) + _grams("RR:", right, (2,))
    out += _grams("C:", text[fact.start:fact.end], (2,))
    out += _grams("S:", text[fact.sentence_start:fact.value_start], (2,))
    line_start = text.rfind("\n", 0, fact.value_start) + 1
    out += _grams("P:", text[line_start:line_start + 40], (2,))
    return out + _grams("H:", fact.heading[:30], (2,))


class FieldModel:
    """One field's classes, biases and sparse weights (feature -> [(class index, weight)])."""

    def __init__(self, data: dict):
        self.classes: list[str] = data["classes"]
        self.bias: list[float] = data["bias"]
        self.threshold: float = data["threshold"]
        self.weights: dict[str, list[list[float]]] = data["weights"]

    def best(self, feats: list[str]) -> tuple[str, float]:
        """The most likely class and its probability."""
        scores = list(self.bias)
        for name in feats:
            for index, weight in self.weights.get(name, ()):
                scores[int(index)] += weight
        top = max(scores)
        total = sum(math.exp(s - top) for s in scores)
        i = scores.index(top)
        return self.classes[i], 1.0 / total


def revise(fact: Fact, text: str, models: dict[str, FieldModel]) -> Fact:
    """The fact with the model's period and measure where it overrules the rules."""
    if not models or not fact.year:
        return fact
    feats = features(fact, text)
    changes: dict = {}
    if period_model := models.get("period"):
        guess, p = period_model.best(feats)
        rule = relative_period(fact.year, fact.period_start, fact.period_end)
        if guess not in (OTHER, rule) and p >= period_model.threshold:
            start, end = absolute_period(fact.year, guess)
            kind = fact.kind if fact.kind == KIND_EXPECTATION else KIND_RESULT if end < fact.year else KIND_TARGET
            label = str(start) if start == end else f"{start}-{end}"
            # the ledger lists a review's results and the plans' targets (facts/extract.py): no longer one
            # when the kind no longer fits the part
            commitment = fact.commitment and (kind, fact.part) in ((KIND_RESULT, PART_REVIEW), (KIND_TARGET, PART_PLAN))
            changes.update(period_start=start, period_end=end, period_label=label, kind=kind, commitment=commitment)
    if measure_model := models.get("measure"):
        guess, p = measure_model.best(feats)
        if guess not in (OTHER, fact.measure) and p >= measure_model.threshold:
            changes["measure"] = guess
    return replace(fact, **changes) if changes else fact


__all__ = ["FieldModel", "absolute_period", "features", "relative_period", "revise"]
