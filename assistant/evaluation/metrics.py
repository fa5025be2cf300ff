"""Metrics of one evaluation run, as small pure functions over plain data.

A prediction is the dict written to predictions.jsonl: answer, answerable, citations and
retrieved (each with report, start, end), latency_ms. Spans are half-open [start, end)
character offsets into a report's source text.

Definitions (also stated in report.md, see DEFINITIONS):
- gold passage: a passage of the right report overlapping at least half of the evidence span
  (evidence located with source_text.find(evidence): the first occurrence).
- hit@k: 1 if a gold passage is among the top k retrieved. MRR@10: 1/rank of the first gold
  passage in the top 10, else 0. nDCG@10: binary gains, ideal = all gold passages first.
- answer accuracy: the normalized answer contains a gold answer (alternatives split on "|");
  with all_answers every entry must match.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from ..textutil import normalize_for_match

Span = tuple[int, int]
TOP_K = 10


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def locate_evidence(text: str, evidence: str) -> Span | None:
    """The first occurrence of the evidence in the report text, or None."""
    at = text.find(evidence)
    return None if at < 0 else (at, at + len(evidence))


def is_gold(span: Span, evidence: Span) -> bool:
    """A passage is gold when it covers at least half of the evidence span."""
    return 2 * overlap(span, evidence) >= evidence[1] - evidence[0] > 0


def gold_spans(passage_spans: list[Span], evidence: Span) -> list[Span]:
    """The gold passages among all passages of the right report."""
    return [span for span in passage_spans if is_gold(span, evidence)]


def gold_flags(retrieved: list[dict], report: str, evidence: Span, k: int = TOP_K) -> list[bool]:
    """For each of the top k retrieved passages: is it a gold passage of the right report?"""
    return [r["report"] == report and is_gold((r["start"], r["end"]), evidence) for r in retrieved[:k]]


def first_gold_rank(flags: list[bool]) -> int | None:
    return next((i + 1 for i, gold in enumerate(flags) if gold), None)


def hit_at(flags: list[bool], k: int) -> float:
    return float(any(flags[:k]))


def reciprocal_rank(flags: list[bool], k: int = TOP_K) -> float:
    rank = first_gold_rank(flags[:k])
    return 0.0 if rank is None else 1.0 / rank


def ndcg_at(flags: list[bool], n_gold: int, k: int = TOP_K) -> float:
    """Binary-gain nDCG@k. n_gold = gold passages in the whole collection (at least those
    retrieved); the ideal ranking puts min(n_gold, k) of them first."""
    n_gold = max(n_gold, sum(flags[:k]))
    if n_gold == 0:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, gold in enumerate(flags[:k], start=1) if gold)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_gold, k) + 1))
    return dcg / ideal


def answer_matches(answer: str, answers: list[str] | tuple[str, ...], all_answers: bool = False) -> bool:
    """Does the answer contain a gold answer? Each entry may hold alternatives "a|b"."""
    if not answers:
        return False
    normalized = normalize_for_match(answer)

    def entry_found(entry: str) -> bool:
        alternatives = [normalize_for_match(a) for a in entry.split("|")]
        return any(alt and alt in normalized for alt in alternatives)

    found = [entry_found(entry) for entry in answers]
    return all(found) if all_answers else any(found)


def citation_is_good(citation: dict, report: str, evidence: Span, golds: list[Span]) -> bool:
    """A citation is precise when it overlaps the evidence span or a gold passage."""
    if citation["report"] != report:
        return False
    span = (citation["start"], citation["end"])
    return any(overlap(span, other) > 0 for other in [evidence, *golds])


def cites(citations: list[dict], report: str, span: Span | None) -> bool:
    return span is not None and any(c["report"] == report and overlap((c["start"], c["end"]), span) > 0
                                    for c in citations)


def rows_right(answer: str, citations: list[dict], rows) -> bool:
    """A table answer: every gold row's value in the answer and a citation on its span."""
    return all(answer_matches(answer, answers) and cites(citations, report, span)
               for report, span, answers in rows)


def score_question(question, prediction: dict, evidence: Span | None, golds: list[Span],
                   spans=(), rows=()) -> dict:
    """Per-question scores. `question` is a dataset.Question; evidence is its located span
    (None for unanswerable questions); golds = the gold passages among the system's passages
    of the right report. `spans`: (report, span) of every evidence span of a question with
    several (all must be cited); `rows`: (report, span, answers) of a table answer."""
    refused = not prediction["answerable"]
    scores = {
        "id": question.id, "type": question.type, "answerable": question.answerable,
        "refused": refused, "latency_ms": prediction["latency_ms"],
        "answer_chars": len(prediction["answer"]),
    }
    if not question.answerable:
        scores["correct"] = refused
        return scores
    citations = prediction["citations"]
    flags = gold_flags(prediction["retrieved"], question.report, evidence)
    first = citations[0]["report"] if citations else (
        prediction["retrieved"][0]["report"] if prediction["retrieved"] else None)
    matched = answer_matches(prediction["answer"], question.answers, question.all_answers) if question.answers else True
    if len(spans) > 1:
        need = all if question.all_evidence else any  # any: several sentences would each do (an overview)
        matched = matched and need(cites(citations, report, span) for report, span in spans)
    if rows:
        matched = matched and rows_right(prediction["answer"], citations, rows)
    scores.update(
        n_gold=len(golds), gold_rank=first_gold_rank(flags),
        hit1=hit_at(flags, 1), hit5=hit_at(flags, 5), rr=reciprocal_rank(flags),
        ndcg=ndcg_at(flags, len(golds)), answer_match=matched, correct=matched and not refused,
        cited_evidence=any(c["report"] == question.report and overlap((c["start"], c["end"]), evidence) > 0
                           for c in citations),
        citations=len(citations),
        good_citations=sum(citation_is_good(c, question.report, evidence, golds) for c in citations),
        right_report=first == question.report,
    )
    return scores


def failure_category(scores: dict) -> str:
    """Where a question went wrong, in pipeline order ("correct" when it did not)."""
    if scores["correct"]:
        return "correct"
    if not scores["answerable"]:
        return "unanswerable, not refused"
    if scores["refused"]:
        return "answerable, refused"
    if not scores["right_report"]:
        return "wrong report cited"
    if scores["gold_rank"] is None:
        return "right report, no gold passage in top 10"
    if scores["cited_evidence"]:
        return "evidence cited, answer string missing"
    return "gold passage retrieved, another passage cited"


def _mean(values) -> float | None:
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else None


def _percentile(values, q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def aggregate(scores: list[dict]) -> dict:
    """Summary metrics of a list of per-question scores (see DEFINITIONS)."""
    answerable = [s for s in scores if s["answerable"]]
    unanswerable = [s for s in scores if not s["answerable"]]
    citations = sum(s["citations"] for s in answerable)
    latencies = [s["latency_ms"] for s in scores]
    return {
        "n": len(scores),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "hit@1": _mean(s["hit1"] for s in answerable),
        "hit@5": _mean(s["hit5"] for s in answerable),
        "mrr@10": _mean(s["rr"] for s in answerable),
        "ndcg@10": _mean(s["ndcg"] for s in answerable),
        "answer_accuracy": _mean(s["answer_match"] for s in answerable),
        "cited_evidence_rate": _mean(s["cited_evidence"] for s in answerable),
        "citation_precision": sum(s["good_citations"] for s in answerable) / citations if citations else None,
        "refusal_accuracy": _mean(s["refused"] for s in unanswerable),
        "false_refusal_rate": _mean(s["refused"] for s in answerable),
        "right_report_rate": _mean(s["right_report"] for s in answerable),
        "overall_correct": _mean(s["correct"] for s in scores),
        "latency_p50_ms": _percentile(latencies, 50),
        "latency_p95_ms": _percentile(latencies, 95),
        "mean_answer_chars": _mean(s["answer_chars"] for s in scores),
        "no_gold_passage": sum(1 for s in answerable if s["n_gold"] == 0),
    }


def summarize(scores: list[dict]) -> dict:
    """Overall metrics and the same metrics per question type."""
    by_type: dict[str, list[dict]] = defaultdict(list)
    for s in scores:
        by_type[s["type"]].append(s)
    failures = Counter(failure_category(s) for s in scores)
    return {"overall": aggregate(scores), "by_type": {t: aggregate(v) for t, v in sorted(by_type.items())},
            "outcomes": dict(failures.most_common())}


METRIC_ORDER = [
    "hit@1", "hit@5", "mrr@10", "ndcg@10", "answer_accuracy", "cited_evidence_rate",
    "citation_precision", "refusal_accuracy", "false_refusal_rate", "right_report_rate",
    "overall_correct", "latency_p50_ms", "latency_p95_ms", "mean_answer_chars", "no_gold_passage",
]

DEFINITIONS = {
    "hit@1": "share of answerable questions with a gold passage ranked first",
    "hit@5": "share of answerable questions with a gold passage in the top 5 retrieved",
    "mrr@10": "mean over answerable questions of 1/rank of the first gold passage in the top 10 (0 if none)",
    "ndcg@10": "nDCG@10 with binary gains; ideal ranking = all gold passages of the system's index first",
    "answer_accuracy": "share of answerable questions whose normalized answer (NFKC, lower case, no "
                       "whitespace, dashes unified) contains a gold answer; entries may hold alternatives "
                       "a|b; with all_answers every entry must be present; a question with several evidence "
                       "spans also needs a citation on each, a table question every gold row (its value in "
                       "the answer and a citation on its span)",
    "cited_evidence_rate": "share of answerable questions where some citation's passage span overlaps the "
                           "evidence span in the right report",
    "citation_precision": "share of all citations (over answerable questions) that overlap a gold passage "
                          "or the evidence span",
    "refusal_accuracy": "share of unanswerable questions (evidence null) answered with answerable=false",
    "false_refusal_rate": "share of answerable questions answered with answerable=false",
    "right_report_rate": "share of answerable questions whose first citation (or top retrieved passage if "
                         "no citation) is in the right report",
    "overall_correct": "share of all questions handled correctly: answerable → answer matches and not "
                       "refused; unanswerable → refused",
    "latency_p50_ms": "median wall time of ask() in ms, warm (one warm-up question is run first, not counted)",
    "latency_p95_ms": "95th percentile of the same latencies (linear interpolation)",
    "mean_answer_chars": "mean length of the answer text in characters (long answers contain more strings)",
    "no_gold_passage": "answerable questions for which no passage of the system's index covers half of the "
                       "evidence (counted as misses by the retrieval metrics)",
}
GOLD_DEFINITION = (
    "Gold passage: a passage of the question's report overlapping at least half of the evidence span; "
    "the evidence is located with source_text(report).find(evidence) (first occurrence). Retrieval and "
    "answer metrics are computed over answerable questions only."
)
