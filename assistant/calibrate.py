"""Calibrate the answer threshold on a benchmark set: `python -m assistant.calibrate SET.jsonl`.

For every question the chain is run with the threshold at 0 (never refuse on score); the
evidence score of the best sentence is kept beside whether the question is answerable and
whether the unthresholded answer is right. The threshold printed maximizes a utility that
puts a wrong answer below a refusal, as our users do: +1 for a right answer or a right refusal,
-1 for a wrong answer (or an answer to an unanswerable question), 0 for refusing an answerable one.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tqdm import tqdm

from .qa import QA
from .settings import load_settings
from .textutil import detect_language, normalize_for_match


def _correct(answer_text: str, item: dict) -> bool:
    text = normalize_for_match(answer_text)
    hits = [any(normalize_for_match(alt) in text for alt in entry.split("|")) for entry in item["answers"]]
    return all(hits) if item.get("all_answers") else any(hits)


def collect(qa: QA, items: list[dict]) -> list[tuple[float, bool, bool, bool]]:
    """(confidence, answerable, correct if answered, refused before scoring) per question."""
    rows = []
    for item in tqdm(items, desc="calibrating", unit="question"):
        answer = qa.ask(item["question"], item.get("history") or ())
        answerable = item["evidence"] is not None
        hard_refusal = not answer.answerable  # missing report / place: refused whatever the score
        rows.append((answer.confidence, answerable, answerable and _correct(answer.answer, item), hard_refusal))
    return rows


def best_threshold(rows) -> tuple[float, float]:
    candidates = sorted({round(r[0], 3) for r in rows} | {0.0})
    def score(t: float) -> float:
        utility = 0
        for conf, answerable, correct, hard in rows:
            refused = hard or conf < t
            if refused:
                utility += 0 if answerable else 1
            else:
                utility += 1 if (answerable and correct) else -1
        return utility / len(rows)
    best = max(candidates, key=score)
    return best, score(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("set", type=Path)
    parser.add_argument("--index-dir")
    args = parser.parse_args()
    settings = load_settings(index_dir=args.index_dir, answer_threshold=0.0, answer_threshold_en=0.0)
    items = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    qa = QA(settings, background_dense=False)
    # Scores of English questions run lower (more asking words, Chinese passages matched through a
    # term table), so each language gets its own threshold.
    for language in ("zh", "en"):
        subset = [it for it in items if detect_language(it["question"]) == language]
        rows = collect(qa, subset)
        threshold, utility = best_threshold(rows)
        print(f"[{language}] {len(subset)} questions: best threshold {threshold:.3f} (utility per question {utility:.3f})")
        _print_table(rows, threshold)


def _print_table(rows, threshold: float) -> None:
    for t in sorted({0.3, 0.4, 0.5, 0.6, 0.7, 0.8, threshold}):
        answered = [r for r in rows if r[1] and not (r[3] or r[0] < t)]
        right = sum(r[2] for r in answered)
        refused_unans = sum(1 for c, a, _, h in rows if not a and (h or c < t))
        print(f"  threshold {t:.3f}: answerable answered {len(answered)}/{sum(r[1] for r in rows)} "
              f"({right} right, {len(answered) - right} wrong), unanswerable refused "
              f"{refused_unans}/{sum(not r[1] for r in rows)}")


if __name__ == "__main__":
    main()
