"""The local and the Milvus backend side by side, in one run: identical answers, latency, memory.

    python -m assistant.evaluation.milvus_bench --index-dir /tmp/idx --milvus-uri /tmp/m.db \\
        --set eval/dev.jsonl --out runs/milvus-bench.json

Answers: every question of the set is asked of a QA over each backend (same process, same
index generation, the questions interleaved so both see the same machine load); differences in
the answer, answerability, citations (report, passage span, quote span) and retrieved passages
are listed with the question. Latency: per question, the ratio Milvus / local of `qa.ask` and
of the keyword search alone. Memory: each backend opened in a fresh child process, peak RSS
after opening and after the questions (Milvus Lite runs inside the Python process)."""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ..settings import Settings
from .dataset import load_questions


def answer_key(answer) -> dict:
    return {"answer": answer.answer, "answerable": answer.answerable,
            "citations": [(c.report, c.start, c.end, c.quote_start, c.quote_end) for c in answer.citations],
            "retrieved": [(h.passage.report, h.passage.start, h.passage.end) for h in answer.retrieved]}


def differences(local: dict, milvus: dict) -> list[str]:
    return [name for name in ("answer", "answerable", "citations", "retrieved") if local[name] != milvus[name]]


def _settings(args, backend: str) -> Settings:
    return Settings(index_dir=args.index_dir, corpus=args.corpus, index_backend=backend,
                    milvus_uri=args.milvus_uri, embedder=args.embedder)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def compare(args) -> dict:
    from ..qa import QA

    qas = {name: QA(_settings(args, name), background_dense=False) for name in ("local", "milvus")}
    items = load_questions(Path(args.set))[:args.limit or None]
    for qa in qas.values():  # jieba, caches, first-query costs outside the timings
        qa.ask(items[0].question, history=list(items[0].history))
    rows, timing = [], {name: [] for name in qas}
    keyword = {name: [] for name in qas}
    for item in items:
        keys = {}
        for name, qa in qas.items():
            started = time.perf_counter()
            keys[name] = answer_key(qa.ask(item.question, history=list(item.history)))
            timing[name].append(time.perf_counter() - started)
            started = time.perf_counter()
            qa.store.bm25_search(item.question, qa.settings.candidates)
            keyword[name].append(time.perf_counter() - started)
        diff = differences(keys["local"], keys["milvus"])
        rows.append({"id": item.id, "question": item.question, "differs": diff,
                     **({"local": keys["local"], "milvus": keys["milvus"]} if diff else {})})
    return {"set": args.set, "questions": len(items), "identical": sum(not r["differs"] for r in rows),
            "differences": [r for r in rows if r["differs"]],
            "ask_ms": _summary(timing), "bm25_ms": _summary(keyword),
            "passages": len(qas["local"].store.passages), "dense": qas["local"].store.dense_ready}


def _summary(timings: dict[str, list[float]]) -> dict:
    out = {}
    for name, values in timings.items():
        ordered = sorted(values)
        out[name] = {"median": _ms(statistics.median(ordered)), "p95": _ms(ordered[int(0.95 * (len(ordered) - 1))])}
    ratios = sorted(m / loc for m, loc in zip(timings["milvus"], timings["local"], strict=True) if loc > 0)
    out["ratio_median"] = round(statistics.median(ratios), 2)
    return out


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        line = next(line for line in handle if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def memory_child(args) -> dict:
    """Run in a child process: RSS after imports, after opening the backend, after questions."""
    from ..qa import QA

    before = rss_mb()
    qa = QA(_settings(args, args.memory_of), background_dense=False)
    opened = rss_mb()
    for item in load_questions(Path(args.set))[:20]:
        qa.ask(item.question, history=list(item.history))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"backend": args.memory_of, "rss_before_mb": round(before), "rss_opened_mb": round(opened),
            "rss_after_20_questions_mb": round(rss_mb()), "peak_rss_mb": round(peak)}


def memory(args) -> list[dict]:
    results = []
    for backend in ("local", "milvus"):
        command = [sys.executable, "-m", "assistant.evaluation.milvus_bench", "--memory-of", backend, "--index-dir", str(args.index_dir),
                   "--corpus", str(args.corpus), "--milvus-uri", args.milvus_uri, "--set", args.set,
                   "--embedder", args.embedder]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            results.append({"backend": backend, "error": done.stderr.strip().splitlines()[-1:]})
        else:
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index-dir", required=True)
    parser.add_argument("--corpus", default=str(Settings().corpus))
    parser.add_argument("--milvus-uri", required=True)
    parser.add_argument("--embedder", default=Settings().embedder)
    parser.add_argument("--set", default="eval/dev.jsonl")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out")
    parser.add_argument("--memory-of", choices=("local", "milvus"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_of:
        print(json.dumps(memory_child(args)))
        return 0
    measured = memory(args)  # first: a Milvus Lite file stays held by the process that opened it
    result = {**compare(args), "memory": measured}
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
