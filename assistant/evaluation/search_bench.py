"""Speed, memory and quality figures of the embedders and the index (prints, never asserts).

    python -m assistant.evaluation.search_bench [--embedders use-m3,e5-small] [--sample 300]
        [--full-dense use-m3] [--quality] [--corpus DIR]
    python -m assistant.evaluation.search_bench --threads [--embedders use-m3] [--questions 404]

--threads: query embedding p50/p95 on 1 and on 2 threads, two copies of the embedder in one
process, the dev questions alternated (the measurement behind GOVQA_EMBED_THREADS=1).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..chunking import chunk_report, index_text
from ..corpus import load_corpus
from ..embedders import get_embedder
from ..search.build import build_dense, build_index
from ..settings import load_settings

CHANGED_REPORT = "reports/national_china_2024.txt"
OPEN_SCRIPT = """
import time; t0 = time.perf_counter()
from assistant.settings import load_settings
from assistant.search import IndexStore
s = load_settings(index_dir={index_dir!r}, embedder={embedder!r})
store = IndexStore.open(s.index_dir, s); t1 = time.perf_counter()
store.warm_up(); t2 = time.perf_counter()
store.bm25_search("超长期特别国债", 10); store.dense_search("超长期特别国债", 10); t3 = time.perf_counter()
print({{"open": t1 - t0, "warm_up": t2 - t1, "first_queries": t3 - t2}})
"""


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def embedder_speed(name: str, texts: list[str]) -> dict:
    started = time.perf_counter()
    embedder = get_embedder(name)
    embedder.embed_queries(["预热"])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    embedder.embed_passages(texts, progress=True)
    seconds = time.perf_counter() - started
    return {"load_s": loaded, "passages_per_s": len(texts) / seconds}


def query_threads(name: str, questions: list[str], counts: tuple[int, ...] = (1, 2)) -> dict:
    """ms per single-question embedding for each thread count, interleaved (order alternated)."""
    import numpy as np

    embedders = {n: get_embedder(name, cached=False, threads=n) for n in counts}
    for embedder in embedders.values():
        embedder.embed_queries(["预热"])
    times: dict[int, list[float]] = {n: [] for n in counts}
    for i, question in enumerate(questions):
        for n in (counts if i % 2 == 0 else counts[::-1]):
            started = time.perf_counter()
            embedders[n].embed_queries([question])
            times[n].append((time.perf_counter() - started) * 1000)
    first = np.asarray(times[counts[0]])
    return {n: {"p50_ms": float(np.percentile(t, 50)), "p95_ms": float(np.percentile(t, 95)),
                "median_ratio": float(np.median(np.asarray(t) / first))} for n, t in times.items()}


def timed_open(index_dir: Path, embedder: str) -> dict:
    """Cold start in a fresh interpreter: imports + open + jieba/embedder warm-up + 2 queries."""
    script = OPEN_SCRIPT.format(index_dir=str(index_dir), embedder=embedder)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    figures = eval(out.stdout.strip().splitlines()[-1])  # our own dict literal
    figures["process_total"] = time.perf_counter() - started
    return figures


def incremental(corpus_root: Path, index_dir: Path, settings, dense: bool) -> dict:
    """Copy the corpus, change one report, re-index: only that report should be re-embedded."""
    with tempfile.TemporaryDirectory(prefix="govqa-bench-") as temp:
        copy = Path(temp) / "corpus"
        shutil.copytree(corpus_root, copy)
        target = copy / CHANGED_REPORT
        target.chmod(0o644)
        target.write_text(target.read_text(encoding="utf-8") + "\n新增一段：加强基准测试。\n", encoding="utf-8")
        started, cpu = time.perf_counter(), time.process_time()
        summary = build_index(copy, index_dir, settings, dense=dense, progress=False)
        return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
                "changed": summary.changed, "embedded_passages": summary.embedded}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedders", default="use-m3,e5-small")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--full-dense", default="use-m3", help="embedder for an actual full dense build ('' = none)")
    parser.add_argument("--quality", action="store_true", help="also run the retrieval-quality probes")
    parser.add_argument("--quality-reports", type=int, default=12, help="reports used by the question probe")
    parser.add_argument("--corpus")
    parser.add_argument("--threads", action="store_true", help="only: query embedding on 1 vs 2 threads")
    parser.add_argument("--questions", type=int, default=404, help="questions for --threads (dev set, cycled)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.embedders.split(",") if n.strip()]
    if args.threads:
        import itertools
        import os

        from ..settings import REPO_ROOT
        from .dataset import load_questions

        dev = [q.question for q in load_questions(REPO_ROOT / "eval" / "dev.jsonl")]
        questions = list(itertools.islice(itertools.cycle(dev), args.questions))
        for name in names:
            figures = query_threads(name, questions)
            print(f"{name}, {len(questions)} queries, load average {os.getloadavg()[0]:.2f}: " + "; ".join(
                f"{n} thread(s) p50 {f['p50_ms']:.1f} ms p95 {f['p95_ms']:.1f} ms (median ratio to 1: "
                f"{f['median_ratio']:.2f})" for n, f in figures.items()))
        return 0
    settings = load_settings(corpus=args.corpus)
    corpus = load_corpus(settings.corpus)
    texts = [index_text(p) for rid in sorted(corpus.reports)
             for p in chunk_report(corpus.reports[rid], corpus.texts[rid], settings)]
    print(f"corpus: {len(corpus.reports)} reports, {len(texts)} passages, "
          f"{sum(map(len, texts)) / len(texts):.0f} chars/passage on average")
    sample = random.Random(1).sample(texts, min(args.sample, len(texts)))
    for name in names:
        speed = embedder_speed(name, sample)
        print(f"embedder {name}: load {speed['load_s']:.1f} s, {speed['passages_per_s']:.1f} passages/s "
              f"on {len(sample)} passages -> projected full corpus {len(texts) / speed['passages_per_s']:.0f} s")
    with tempfile.TemporaryDirectory(prefix="govqa-index-") as temp:
        index_dir = Path(temp)
        dense_name = args.full_dense or "hash"
        run_settings = load_settings(corpus=args.corpus, index_dir=index_dir, embedder=dense_name)
        summary = build_index(corpus, index_dir, run_settings, dense=False, progress=False)
        print(f"keyword-only build: {summary.seconds:.1f} s ({summary.passages} passages)")
        if args.full_dense:
            summary = build_dense(index_dir, run_settings, progress=True)
            print(f"dense part ({dense_name}), added to it: {summary.seconds:.1f} s (actual)")
        figures = incremental(corpus.root, index_dir, run_settings, dense=bool(args.full_dense))
        print(f"incremental, one report changed ({'dense' if args.full_dense else 'keyword only'}): "
              f"{figures['seconds']:.1f} s, {figures['embedded_passages']} passages re-embedded "
              f"({', '.join(figures['changed'])})")
        opened = timed_open(index_dir, dense_name)
        print("cold start (fresh process): " + ", ".join(f"{k} {v:.2f} s" for k, v in opened.items()))
    print(f"peak RSS: this process {peak_rss_mb():.0f} MB, cold-start child {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    if args.quality:
        from ..search.quality import cross_lingual, question_retrieval

        print("cross-lingual (en query -> zh sentence, 30 of 300):", json.dumps(cross_lingual(names, corpus.root)))
        print("dev questions -> evidence passage within its report:",
              json.dumps(question_retrieval(names, corpus, settings, max_reports=args.quality_reports)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
