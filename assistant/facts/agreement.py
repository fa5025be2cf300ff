"""How far two labellers of the same reports agree, and how the extractor does beside them.

Two folders of label files (eval/facts/README.md), made independently from the same reports'
text, are compared report by report. B's labels are scored as if they were facts against A's,
with the matching of score.py (a B label matches the first unused A label whose span overlaps
it and whose value is equal), so the labellers' agreement reads on the same scale as the
extractor's precision and recall:
    agreement   P_F = B's labels matched and equal on F / B's labels,  R_F = … / A's labels
    extractor   P/R against A, and against B
    consensus   the extractor's P/R on the labels both labellers wrote alike (A's labels that a
                B label matches with the same value, kind, period and measure); its precision
                counts only the facts inside a consensus label's span
The agreement is the ceiling of any score against one labeller: a field on which two careful
labellers agree 93 % of the time cannot be measured to 95 % against either of them.
Run: python -m assistant.facts.agreement A_DIR B_DIR [--corpus DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..corpus import load_corpus
from ..settings import load_settings
from ..types import Fact
from .extract import extract_facts
from .score import FIELDS, _close, field_right, label_span, load_labels, score_report, summary
from .store import passages_for

AGREED = ("value", "kind", "period", "measure")  # what the consensus labels are agreed on


def label_fact(text: str, label: dict) -> Fact:
    """A label in the shape of a fact, so that field_right() compares two labels."""
    start, end = label_span(text, label)
    first, _, last = str(label["period"]).partition("-")
    return Fact(report=label["report"], start=start, end=end, text=label["text"],
                indicator=label["indicator"], indicator_text=label.get("indicator_text", ""),
                value=label["value"], value_max=label.get("value_max"), unit=label.get("unit", ""),
                value_text="", qualifier=label.get("qualifier", ""), kind=label["kind"],
                period_start=int(first), period_end=int(last or first), period_label=str(label["period"]),
                measure=label["measure"], value_start=start, value_end=end,
                sentence_start=start, sentence_end=end)


def match_labels(text: str, a: list[dict], b: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs (A label, B label) of overlapping spans and equal values, each label used once."""
    spans_a = [label_span(text, lab) for lab in a]
    used: set[int] = set()
    pairs = []
    for (b0, b1), lab_b in sorted(((label_span(text, lab), lab) for lab in b), key=lambda pair: pair[0]):
        hit = next((i for i, (a0, a1) in enumerate(spans_a) if i not in used and a0 < b1 and b0 < a1
                    and _close(a[i]["value"], lab_b["value"])), None)
        if hit is not None:
            used.add(hit)
            pairs.append((a[hit], lab_b))
    return pairs


def agreement(text: str, a: list[dict], b: list[dict]) -> dict:
    """B scored against A, in score_report()'s shape."""
    pairs = match_labels(text, a, b)
    right = {name: sum(field_right(lab_a, label_fact(text, lab_b), name) for lab_a, lab_b in pairs)
             for name in FIELDS}
    return {"labels": len(a), "predicted": len(b), "matched": len(pairs), "right": right}


def consensus(text: str, a: list[dict], b: list[dict]) -> list[dict]:
    return [lab_a for lab_a, lab_b in match_labels(text, a, b)
            if all(field_right(lab_a, label_fact(text, lab_b), name) for name in AGREED)]


def _inside(text: str, labels: list[dict], facts: list[Fact]) -> list[Fact]:
    spans = [label_span(text, lab) for lab in labels]
    return [f for f in facts if any(s <= f.value_start < e for s, e in spans)]


def compare(corpus, dir_a: Path, dir_b: Path) -> dict[str, dict[str, dict]]:
    labels_a = load_labels(sorted(dir_a.glob("*.jsonl")))
    labels_b = load_labels(sorted(dir_b.glob("*.jsonl")))
    rows: dict[str, dict[str, dict]] = {"agreement": {}, "extractor vs A": {}, "extractor vs B": {},
                                        "consensus": {}}
    for report_id in sorted(set(labels_a) & set(labels_b)):
        report, text = corpus.reports[report_id], corpus.texts[report_id]
        a, b = labels_a[report_id], labels_b[report_id]
        facts = extract_facts(report, text, passages_for(corpus, report_id))
        agreed = consensus(text, a, b)
        rows["agreement"][report_id] = agreement(text, a, b)
        rows["extractor vs A"][report_id] = score_report(text, a, facts)
        rows["extractor vs B"][report_id] = score_report(text, b, facts)
        rows["consensus"][report_id] = score_report(text, agreed, _inside(text, agreed, facts))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir_a")
    parser.add_argument("dir_b")
    parser.add_argument("--corpus")
    args = parser.parse_args(argv)
    corpus = load_corpus(load_settings(corpus=args.corpus).corpus)
    rows = compare(corpus, Path(args.dir_a), Path(args.dir_b))
    for report_id, s in rows["agreement"].items():
        agreed = rows["consensus"][report_id]["labels"]
        print(f"{report_id}: A {s['labels']}, B {s['predicted']} labels, {s['matched']} matched, "
              f"{agreed} agreed on {', '.join(AGREED)}")
    print(f"{'':16}" + "".join(f"{name:>14}" for name in FIELDS))
    for row, scores in rows.items():
        figures = summary(scores)
        print(f"{row:16}" + "".join(f"   {figures[n]['precision']:.3f}/{figures[n]['recall']:.3f}"
                                    for n in FIELDS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
