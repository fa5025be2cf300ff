"""Field-by-field precision and recall of the facts against the hand labels in eval/facts/.

A label (one quantity: `text` at its `occurrence`, see eval/facts/README.md) is matched by
the extracted fact of the same report whose number lies inside the label's span and whose
value is equal (relative difference < 1e-6), each fact used once, in text order. For each
field F (indicator, value, kind, period, measure):
    precision_F = facts matched and right on F / facts extracted in the labelled reports
    recall_F    = facts matched and right on F / labels
The indicator counts only where the label names an id of facts/indicators.tsv (a label
with a free description is right on indicator whatever the fact says).
Run: python -m assistant.facts.score [--labels DIR] [--only a.jsonl,b.jsonl] [-v]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..corpus import load_corpus
from ..settings import REPO_ROOT, load_settings
from ..types import Fact
from . import indicators
from .extract import extract_facts
from .store import passages_for

LABEL_DIR = REPO_ROOT / "eval" / "facts"
FIELDS = ("indicator", "value", "kind", "period", "measure")


def load_labels(paths: list[Path]) -> dict[str, list[dict]]:
    labels: dict[str, list[dict]] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels.setdefault(row["report"], []).append(row)
    return labels


def label_span(text: str, label: dict) -> tuple[int, int]:
    pos = -1
    for _ in range(int(label.get("occurrence") or 1)):
        pos = text.find(label["text"], pos + 1)
        if pos < 0:
            raise ValueError(f"label text not in {label['report']}: {label['text']}")
    return pos, pos + len(label["text"])


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-9)


def field_right(label: dict, fact: Fact, name: str) -> bool:
    if name == "indicator":
        return label["indicator"] not in indicators.load_indicators() or label["indicator"] == fact.indicator
    if name == "value":
        return _close(label["value"], fact.value) and _close(label.get("value_max"), fact.value_max)
    if name == "period":
        start, _, end = str(label["period"]).partition("-")
        return (int(start), int(end or start)) == (fact.period_start, fact.period_end)
    return label[name] == getattr(fact, name)


def score_report(text: str, labels: list[dict], facts: list[Fact]) -> dict:
    used: set[int] = set()
    pairs, missed = [], []
    for label in sorted(labels, key=lambda lab: label_span(text, lab)):
        start, end = label_span(text, label)
        hit = next((i for i, f in enumerate(facts) if i not in used and start <= f.value_start < end
                    and _close(label["value"], f.value)), None)
        if hit is None:
            missed.append(label)
        else:
            used.add(hit)
            pairs.append((label, facts[hit]))
    right = {name: sum(field_right(lab, f, name) for lab, f in pairs) for name in FIELDS}
    return {"labels": len(labels), "predicted": len(facts), "matched": len(pairs), "right": right,
            "pairs": pairs, "missed": missed, "extra": [f for i, f in enumerate(facts) if i not in used]}


def score_all(corpus, labels: dict[str, list[dict]]) -> dict[str, dict]:
    out = {}
    for report_id, rows in labels.items():
        report, text = corpus.reports[report_id], corpus.texts[report_id]
        out[report_id] = score_report(text, rows, extract_facts(report, text, passages_for(corpus, report_id)))
    return out


def summary(scores: dict[str, dict]) -> dict[str, dict[str, float]]:
    labels = sum(s["labels"] for s in scores.values())
    predicted = sum(s["predicted"] for s in scores.values())
    out = {}
    for name in FIELDS:
        right = sum(s["right"][name] for s in scores.values())
        out[name] = {"precision": right / predicted if predicted else 1.0,
                     "recall": right / labels if labels else 1.0}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(LABEL_DIR))
    parser.add_argument("--only", help="comma-separated label file names")
    parser.add_argument("--corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="list wrong fields, misses, extras")
    args = parser.parse_args(argv)
    paths = sorted(Path(args.labels).glob("*.jsonl"))
    if args.only:
        paths = [p for p in paths if p.name in args.only.split(",")]
    corpus = load_corpus(load_settings(corpus=args.corpus).corpus)
    scores = score_all(corpus, load_labels(paths))
    for report_id, s in scores.items():
        print(f"{report_id}: {s['labels']} labels, {s['predicted']} facts, {s['matched']} matched")
    print(f"{'field':10} {'P':>6} {'R':>6}")
    for name, pr in summary(scores).items():
        print(f"{name:10} {pr['precision']:6.3f} {pr['recall']:6.3f}")
    if args.verbose:
        for report_id, s in scores.items():
            for lab, fact in s["pairs"]:
                wrong = [n for n in FIELDS if not field_right(lab, fact, n)]
                if wrong:
                    got = {n: (fact.indicator if n == "indicator" else f"{fact.period_start}-{fact.period_end}"
                               if n == "period" else getattr(fact, n)) for n in wrong}
                    print(f"WRONG {report_id} {lab['text'][:40]}: want "
                          f"{ {n: lab[n] for n in wrong} } got {got}")
            for lab in s["missed"]:
                print(f"MISS  {report_id}: {lab['text'][:50]} [{lab['value']}{lab['unit']}]")
            for fact in s["extra"]:
                print(f"EXTRA {report_id}: {fact.text[:50]} [{fact.value_text}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
