"""Performance benchmark of govqa on this machine (prints figures, never asserts).

    python -m assistant.evaluation.perf [--set eval/dev.jsonl] [--corpus DIR] [--index-dir DIR]
                                        [--build] [--latency-only] [--no-baseline]
    govqa bench

Figures: machine, index build time (per-embedder passages/s from assistant.evaluation.search_bench),
incremental re-index of one changed report, cold start in a fresh process (import + QA() +
first answer), warm extractive latency p50/p95 over the set's questions side by side with the
naive LangChain pipeline (assistant/evaluation/baseline.py) in this process, the two asked
each question in turn (alternating who goes first), with the ratios; peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ..settings import REPO_ROOT, Settings, load_settings
from .cli import add_growth_options
from .growth import PEAK_RSS, run_growth

TARGETS = {  # figure -> (limit, unit)
    "warm_p50_ms": (30.0, "ms"), "warm_p95_ms": (100.0, "ms"),
    "reindex_one_report_s": (10.0, "s"), "cold_start_s": (5.0, "s"),
    # issue 14: govqa's warm latency against the naive pipeline's, same questions, same run
    "p50_ratio_to_baseline": (1.0, "x"), "p95_ratio_to_baseline": (1.5, "x"),
}
COLD_START_QUESTION = "2024年国内生产总值增长预期目标是多少？"
COLD_SCRIPT = """
import json, resource, sys, time
t0 = time.perf_counter()
from assistant.qa import QA
from assistant.settings import load_settings
t1 = time.perf_counter()
qa = QA(load_settings(corpus={corpus!r}, index_dir={index_dir!r}, embedder={embedder!r}, mode="extractive"),
        background_dense=False)
t2 = time.perf_counter()
answer = qa.ask({question!r})
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "open_s": t2 - t1, "first_answer_s": t3 - t2,
                  "answerable": answer.answerable,
                  "peak_rss_mb": {peak}}}))
"""


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {"arch": platform.machine(), "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(ram_gb, 1),
            "python": platform.python_version()}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def verdict(name: str, value: float | None) -> str:
    limit, unit = TARGETS[name]
    if value is None:
        return f"(target ≤ {limit:g} {unit}: not measured)"
    return f"{'PASS' if value <= limit else 'MISS'} (target ≤ {limit:g} {unit})"


def embedder_throughput(settings: Settings, sample_size: int = 200) -> tuple[int, dict]:
    """Passages in the corpus and the embedder's passages/s on a sample (helper-2's bench)."""
    from ..chunking import chunk_report, index_text
    from ..corpus import load_corpus
    from .search_bench import embedder_speed

    corpus = load_corpus(settings.corpus)
    texts = [index_text(p) for rid in sorted(corpus.reports)
             for p in chunk_report(corpus.reports[rid], corpus.texts[rid], settings)]
    sample = random.Random(1).sample(texts, min(sample_size, len(texts)))
    return len(texts), embedder_speed(settings.embedder, sample)


def timed_full_build(settings: Settings) -> float:
    """A fresh full build (BM25 + dense) into a temporary folder, in seconds."""
    from ..search.build import build_index

    with tempfile.TemporaryDirectory(prefix="govqa-perf-build-") as temp:
        summary = build_index(settings.corpus, Path(temp), settings, progress=True, rebuild=True)
        return summary.seconds


def timed_reindex(settings: Settings, dense: bool) -> dict:
    """Copy the live index, change one report in a copy of the corpus, update the copy
    (assistant.evaluation.search_bench.incremental); the live index is never touched."""
    from .search_bench import incremental

    with tempfile.TemporaryDirectory(prefix="govqa-perf-reindex-") as temp:
        index_copy = Path(temp) / "index"
        shutil.copytree(settings.index_dir, index_copy, ignore=shutil.ignore_patterns("baseline", "*.lock"))
        return incremental(Path(settings.corpus), index_copy, settings.model_copy(update={"index_dir": index_copy}),
                           dense=dense)


def timed_cold_start(settings: Settings) -> dict:
    script = COLD_SCRIPT.format(corpus=str(settings.corpus), index_dir=str(settings.index_dir),
                                embedder=settings.embedder, question=COLD_START_QUESTION, peak=PEAK_RSS)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT)
    total = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"cold-start child failed:\n{done.stderr[-2000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "process_s": total}


def open_govqa(settings: Settings):
    """The extractive QA, warmed up: jieba and the query embedder loaded, one question taking
    the facts route and the set's first question asked (the lazy loads are not timed)."""
    from ..qa import QA

    qa = QA(settings.model_copy(update={"mode": "extractive"}), background_dense=False)
    qa.store.warm_up()
    qa.ask(COLD_START_QUESTION)
    return qa


def warm_latencies(settings: Settings, questions: list, qa=None) -> list[float]:
    """ms per ask() in this process, extractive, after the warm-up (open_govqa; `qa`: one
    already open)."""
    qa = qa or open_govqa(settings)
    qa.ask(questions[0].question, history=list(questions[0].history))
    latencies = []
    for q in questions:
        started = time.perf_counter()
        qa.ask(q.question, history=list(q.history), mode="extractive")
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def summary_ms(latencies: list[float]) -> dict:
    return {"p50_ms": float(np.percentile(latencies, 50)), "p95_ms": float(np.percentile(latencies, 95)),
            "mean_ms": float(np.mean(latencies)), "max_ms": float(np.max(latencies))}


def side_by_side(settings: Settings, questions: list, progress: bool = True) -> dict:
    """Warm latency of govqa and of the naive LangChain pipeline on the same questions, in one
    process: each question is asked of both in turn, who goes first alternating, so load
    changes hit both alike. Returns per-system figures, ratios govqa/baseline and the
    baseline's build time (0 when its index was cached)."""
    from .baseline import BaselineSystem

    qa = open_govqa(settings)
    baseline = BaselineSystem(settings, progress=progress)
    first = questions[0]
    qa.ask(first.question, history=list(first.history))
    baseline.ask(first.question, list(first.history))
    asks = {"govqa": lambda q: qa.ask(q.question, history=list(q.history), mode="extractive"),
            "baseline": lambda q: baseline.ask(q.question, list(q.history))}
    times: dict[str, list[float]] = {name: [] for name in asks}
    for i, q in enumerate(questions):
        for name in (("govqa", "baseline") if i % 2 == 0 else ("baseline", "govqa")):
            started = time.perf_counter()
            asks[name](q)
            times[name].append((time.perf_counter() - started) * 1000)
    govqa, naive = summary_ms(times["govqa"]), summary_ms(times["baseline"])
    per_question = np.asarray(times["govqa"]) / np.maximum(np.asarray(times["baseline"]), 1e-6)
    return {"questions": len(questions), "govqa": govqa, "baseline": naive,
            "p50_ratio_to_baseline": govqa["p50_ms"] / naive["p50_ms"],
            "p95_ratio_to_baseline": govqa["p95_ms"] / naive["p95_ms"],
            "median_question_ratio": float(np.median(per_question)),
            "baseline_build_s": baseline.build_seconds, "baseline_chunks": len(baseline.store.documents),
            "dense": qa.store.dense_ready}


def print_side_by_side(figures: dict) -> None:
    g, b = figures["govqa"], figures["baseline"]
    built = (f"; its index built now in {figures['baseline_build_s']:.0f} s"
             if figures["baseline_build_s"] else " (its index cached)")
    print(f"warm latency, {figures['questions']} questions, one process, asked of both in turn "
          f"(govqa extractive, dense={figures['dense']}; baseline: {figures['baseline_chunks']} "
          f"LangChain chunks{built}):")
    print(f"  {'':10} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'max ms':>8}")
    for name, f in (("govqa", g), ("baseline", b)):
        print(f"  {name:10} {f['p50_ms']:8.1f} {f['p95_ms']:8.1f} {f['mean_ms']:8.1f} {f['max_ms']:8.1f}")
    print(f"  govqa/baseline: p50 {figures['p50_ratio_to_baseline']:.2f}x "
          f"{verdict('p50_ratio_to_baseline', figures['p50_ratio_to_baseline'])}; p95 "
          f"{figures['p95_ratio_to_baseline']:.2f}x "
          f"{verdict('p95_ratio_to_baseline', figures['p95_ratio_to_baseline'])}; median per question "
          f"{figures['median_question_ratio']:.2f}x")
    print(f"  govqa absolute: p50 {g['p50_ms']:.1f} ms {verdict('warm_p50_ms', g['p50_ms'])}; "
          f"p95 {g['p95_ms']:.1f} ms {verdict('warm_p95_ms', g['p95_ms'])}")


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def live_index_manifest(settings: Settings) -> dict | None:
    from ..search.layout import current_generation_or_none
    from ..search.manifest import read_manifest

    generation = current_generation_or_none(Path(settings.index_dir))
    return read_manifest(generation) if generation else None


def ensure_index(settings: Settings) -> tuple[dict, float | None]:
    """The live index's manifest; builds the index first (timed) if there is none."""
    manifest = live_index_manifest(settings)
    if manifest is not None:
        return manifest, None
    from ..search.build import build_index

    print(f"no index in {settings.index_dir}: building it (timed)…", flush=True)
    summary = build_index(settings.corpus, settings.index_dir, settings, progress=True)
    return live_index_manifest(settings), summary.seconds


def load_bench_questions(set_path: str | None) -> list:
    from .dataset import load_questions

    return load_questions(set_path or REPO_ROOT / "eval" / "dev.jsonl")


def run_benchmark(settings: Settings, set_path: str | None = None, time_build: bool = False,
                  latency_only: bool = False, baseline: bool = True) -> int:
    info = machine()
    print(f"machine: {info['arch']}, {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, "
          f"Python {info['python']}; load average {load_average()} (other jobs slow every figure)")
    print(f"corpus: {settings.corpus}\nindex: {settings.index_dir} (embedder {settings.embedder})")
    manifest, built_now = ensure_index(settings)
    recorded = manifest.get("build_seconds")
    if built_now:
        how = f"full build timed now: {built_now:.1f} s"
    else:
        how = f"its last build took {recorded:.1f} s (manifest; may have been an incremental update)"
    print(f"index: {len(manifest['reports'])} reports, {manifest['passages']} passages, "
          f"dense={manifest['dense']}; {how}")
    questions = load_bench_questions(set_path)
    if latency_only:
        warm_figures(settings, questions, baseline)
        return 0
    if time_build:
        print(f"fresh full build into a temporary folder: {timed_full_build(settings):.1f} s")
    passages, speed = embedder_throughput(settings)
    print(f"embedder {settings.embedder}: load {speed['load_s']:.1f} s, {speed['passages_per_s']:.1f} passages/s "
          f"-> {passages / speed['passages_per_s']:.0f} s to embed all {passages} passages")

    reindex = timed_reindex(settings, dense=manifest["dense"])
    print(f"re-index after one changed report: {reindex['seconds']:.1f} s wall, {reindex['cpu_seconds']:.1f} s "
          f"CPU, {reindex['embedded_passages']} "
          f"passages re-embedded ({', '.join(reindex['changed'])})  "
          f"{verdict('reindex_one_report_s', reindex['seconds'])}")

    cold = timed_cold_start(settings)
    print(f"cold start, fresh process: {cold['process_s']:.2f} s total (import {cold['import_s']:.2f} s, "
          f"QA() {cold['open_s']:.2f} s, first answer {cold['first_answer_s']:.2f} s; peak RSS "
          f"{cold['peak_rss_mb']:.0f} MB)  {verdict('cold_start_s', cold['process_s'])}")

    warm_figures(settings, questions, baseline)
    print(f"peak RSS: this process {peak_rss_mb():.0f} MB (warm QA + embedder sample), "
          f"children {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    return 0


def warm_figures(settings: Settings, questions: list, baseline: bool) -> None:
    if baseline:
        print_side_by_side(side_by_side(settings, questions))
        return
    latencies = warm_latencies(settings, questions)
    p50, p95 = float(np.percentile(latencies, 50)), float(np.percentile(latencies, 95))
    print(f"warm latency, extractive, {len(latencies)} questions: p50 {p50:.1f} ms "
          f"{verdict('warm_p50_ms', p50)}; p95 {p95:.1f} ms {verdict('warm_p95_ms', p95)}; "
          f"max {max(latencies):.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", help="questions for the latency figures (default eval/dev.jsonl)")
    parser.add_argument("--corpus")
    parser.add_argument("--index-dir")
    parser.add_argument("--embedder")
    parser.add_argument("--build", action="store_true", help="also time a fresh full build in a temp folder")
    parser.add_argument("--latency-only", action="store_true",
                        help="only the warm latency (no embedder speed, re-index or cold start)")
    parser.add_argument("--no-baseline", action="store_true", help="govqa alone, without the naive pipeline")
    add_growth_options(parser)
    args = parser.parse_args(argv)
    settings = load_settings(corpus=args.corpus, index_dir=args.index_dir, embedder=args.embedder)
    if args.growth:
        return run_growth(settings, [int(f) for f in args.growth.split(",") if f.strip()], args.set,
                          args.growth_questions)
    return run_benchmark(settings, set_path=args.set, time_build=args.build,
                         latency_only=args.latency_only, baseline=not args.no_baseline)


if __name__ == "__main__":
    sys.exit(main())
