"""Precision and recall of the ledger (the facts it lists) against the hand labels in eval/commitments/.

Match rule: a predicted commitment matches a label of the same report and kind when
(1) their spans overlap (the label span is the first occurrence of its text in the report),
(2) the values are equal (relative difference < 1e-6; both empty also counts), and
(3) if the label's indicator names a known one (facts/indicators.tsv), the prediction's
    indicator is the same id; other labels need (1) and (2) only.
Each label matches at most one prediction (greedy, in text order).
Targets are scored over the whole report. Results were labelled only in the headline list
of the review part, so result predictions count only in lines that hold a result label.
Run: python -m assistant.ledger.score [--labels DIR] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..corpus import load_corpus
from ..facts import extract_facts, indicators
from ..facts.store import passages_for
from ..settings import REPO_ROOT, load_settings
from ..types import KIND_RESULT, Fact

LABEL_DIR = REPO_ROOT / "eval" / "commitments"


def load_labels(label_dir: Path = LABEL_DIR) -> dict[str, list[dict]]:
    labels: dict[str, list[dict]] = {}
    for path in sorted(label_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels.setdefault(row["report"], []).append(row)
    return labels


def _values_equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-9)


def matches(label: dict, span: tuple[int, int], item: Fact) -> bool:
    if item.kind != label["kind"] or item.end <= span[0] or item.start >= span[1]:
        return False
    if not _values_equal(label["value"], item.value):
        return False
    canonical = indicators.normalize(label["indicator"])
    return canonical is None or canonical == item.indicator


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


def score_report(text: str, labels: list[dict], items: list[Fact], kind: str) -> dict:
    labels = [lab for lab in labels if lab["kind"] == kind]
    items = [it for it in items if it.kind == kind]
    spans = [(text.find(lab["text"]), text.find(lab["text"]) + len(lab["text"])) for lab in labels]
    if kind == KIND_RESULT:  # only lines where results were labelled
        lines = {_line_of(text, s) for s, _ in spans}
        items = [it for it in items if _line_of(text, it.start) in lines]
    used: set[int] = set()
    missed = []
    for label, span in zip(labels, spans, strict=True):
        hit = next((i for i, it in enumerate(items) if i not in used and matches(label, span, it)), None)
        if hit is None:
            missed.append(label)
        else:
            used.add(hit)
    extra = [it for i, it in enumerate(items) if i not in used]
    return {"labels": len(labels), "predicted": len(items), "matched": len(used),
            "missed": missed, "extra": extra}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def score_all(corpus, labels: dict[str, list[dict]]) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for report_id, rows in labels.items():
        report, text = corpus.reports[report_id], corpus.texts[report_id]
        items = [f for f in extract_facts(report, text, passages_for(corpus, report_id)) if f.commitment]
        out[report_id] = {kind: score_report(text, rows, items, kind) for kind in ("target", "result")}
    return out


def summary_rows(scores: dict[str, dict[str, dict]]) -> list[dict]:
    rows = []
    for kind in ("target", "result"):
        total = {"labels": 0, "predicted": 0, "matched": 0}
        for report_id, by_kind in scores.items():
            s = by_kind[kind]
            if not s["labels"]:
                continue
            for key in total:
                total[key] += s[key]
            rows.append({"report": report_id, "kind": kind, **{k: s[k] for k in total},
                         "precision": _ratio(s["matched"], s["predicted"]),
                         "recall": _ratio(s["matched"], s["labels"])})
        rows.append({"report": "OVERALL", "kind": kind, **total,
                     "precision": _ratio(total["matched"], total["predicted"]),
                     "recall": _ratio(total["matched"], total["labels"])})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(LABEL_DIR))
    parser.add_argument("--corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    args = parser.parse_args(argv)
    corpus = load_corpus(load_settings(corpus=args.corpus).corpus)
    scores = score_all(corpus, load_labels(Path(args.labels)))
    print(f"{'report':42} {'kind':7} {'labels':>6} {'pred':>5} {'match':>5} {'P':>6} {'R':>6}")
    for row in summary_rows(scores):
        print(f"{row['report']:42} {row['kind']:7} {row['labels']:6} {row['predicted']:5} "
              f"{row['matched']:5} {row['precision']:6.3f} {row['recall']:6.3f}")
    if args.verbose:
        for report_id, by_kind in scores.items():
            for kind, s in by_kind.items():
                for lab in s["missed"]:
                    print(f"MISS  {kind} {report_id}: {lab['text']} [{lab['indicator']} {lab['value']}]")
                for it in s["extra"]:
                    print(f"EXTRA {kind} {report_id}: {it.text} [{it.indicator} {it.value}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
