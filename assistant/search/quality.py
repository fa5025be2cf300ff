"""Quick retrieval-quality probes for choosing the default embedder (used by bench.py).

- cross-lingual: English sentence (query) -> its official Chinese sentence among a pool of
  Chinese sentences from corpus/parallel/*.tsv;
- questions: the Chinese questions of eval/dev.jsonl -> the passage holding their evidence,
  among all passages of the question's report (as when retrieval is filtered to one report).
Both print recall@1, recall@5 and MRR per embedder; BM25 is shown beside for reference."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import numpy as np

from ..chunking import chunk_report, index_text
from ..corpus import Corpus
from ..embedders import get_embedder
from ..settings import REPO_ROOT, Settings
from .bm25 import Bm25Index, Tokenizer
from .userdict import seed_terms


def _rank_metrics(ranks: list[int]) -> dict:
    ranks_array = np.asarray(ranks)
    return {"n": len(ranks), "r@1": float(np.mean(ranks_array == 1)),
            "r@5": float(np.mean(ranks_array <= 5)), "mrr": float(np.mean(1.0 / ranks_array))}


def _rrf(*score_rows: np.ndarray, k: int = 60) -> np.ndarray:
    """Reciprocal rank fusion of several score rows over the same passages."""
    fused = np.zeros_like(score_rows[0], dtype=np.float64)
    for row in score_rows:
        ranks = np.empty(len(row), dtype=np.int64)
        ranks[np.argsort(-row, kind="stable")] = np.arange(1, len(row) + 1)
        fused += 1.0 / (k + ranks)
    return fused


def _rank_of(scores: np.ndarray, target: int) -> int:
    return int(np.sum(scores >= scores[target]))  # ties count against the target


def parallel_pairs(corpus_root: Path, n_queries: int, pool: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """(english queries, chinese pool); query i belongs to pool[i]."""
    pairs = []
    for path in sorted((corpus_root / "parallel").glob("*.tsv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                zh, en = (row.get("zh") or "").strip(), (row.get("en") or "").strip()
                if 25 <= len(zh) <= 120 and len(en.split()) >= 8:
                    pairs.append((en, zh))
    random.Random(seed).shuffle(pairs)
    chosen = pairs[:pool]
    return [en for en, _ in chosen[:n_queries]], [zh for _, zh in chosen]


def cross_lingual(embedder_names: list[str], corpus_root: Path, n_queries: int = 30, pool: int = 300) -> dict:
    queries, passages = parallel_pairs(corpus_root, n_queries, pool)
    results = {}
    for name in embedder_names:
        embedder = get_embedder(name)
        scores = embedder.embed_queries(queries) @ embedder.embed_passages(passages).T
        results[name] = _rank_metrics([_rank_of(scores[i], i) for i in range(len(queries))])
    return results


def dev_questions(corpus: Corpus, max_reports: int, dev_file: Path) -> list[tuple[str, str, str]]:
    """(question, report id, evidence) for answerable single-report dev questions, from the
    `max_reports` reports with the most questions."""
    items = []
    for line in dev_file.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item.get("evidence") and item.get("report") in corpus.reports and not item.get("history"):
            items.append((item["question"], item["report"], item["evidence"]))
    counts: dict[str, int] = {}
    for _, report, _ in items:
        counts[report] = counts.get(report, 0) + 1
    keep = set(sorted(counts, key=lambda r: (-counts[r], r))[:max_reports])
    return [item for item in items if item[1] in keep]


def question_retrieval(embedder_names: list[str], corpus: Corpus, settings: Settings,
                       max_reports: int = 12, dev_file: Path | None = None) -> dict:
    questions = dev_questions(corpus, max_reports, dev_file or REPO_ROOT / "eval" / "dev.jsonl")
    reports = sorted({report for _, report, _ in questions})
    passages = {rid: chunk_report(corpus.reports[rid], corpus.texts[rid], settings) for rid in reports}
    targets = []
    for _, report, evidence in questions:
        start = corpus.texts[report].find(evidence)
        targets.append(next(i for i, p in enumerate(passages[report]) if p.start <= start < p.end))
    tokenizer = Tokenizer(seed_terms())
    bm25 = {rid: Bm25Index.build([tokenizer.tokenize(index_text(p)) for p in ps]) for rid, ps in passages.items()}
    scores: dict[str, list[np.ndarray]] = {"bm25": []}
    for question, report, _ in questions:
        row = np.zeros(len(passages[report]), dtype=np.float32)
        for index, score in bm25[report].search(tokenizer.tokenize(question), len(row)):
            row[index] = score
        scores["bm25"].append(row)
    for name in embedder_names:
        embedder = get_embedder(name)
        vectors = {rid: embedder.embed_passages([index_text(p) for p in ps], progress=True)
                   for rid, ps in passages.items()}
        query_vectors = embedder.embed_queries([q for q, _, _ in questions])
        scores[name] = [vectors[report] @ query_vectors[i] for i, (_, report, _) in enumerate(questions)]
        scores[f"bm25+{name} (rrf)"] = [_rrf(b, d) for b, d in zip(scores["bm25"], scores[name], strict=True)]
    results = {name: _rank_metrics([_rank_of(row, target) for row, target in zip(rows, targets, strict=True)])
               for name, rows in scores.items()}
    results["_setup"] = {"questions": len(questions), "reports": len(reports),
                         "passages": sum(map(len, passages.values()))}
    return results
