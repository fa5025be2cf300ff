"""Capacity of the two backends at 1x and Nx the corpus (docs/scale-out.md).

    python -m assistant.evaluation.milvus_capacity --generation /tmp/idx/gen-… \\
        --scales 1 4 --work /tmp/capacity --out runs/milvus-capacity.json

An Nx index is the generation's passages N times over (report ids `copyK/…`, the same token
lists and vectors, BM25 rebuilt over all of them): a synthetic corpus of the real size, not
new reports. Per scale: the Milvus publish rate, the resident memory of a process serving
each backend (opened, then after the queries; Milvus Lite runs inside the process), and the
latency of keyword and dense searches, both backends in one process with the queries
interleaved so both see the same machine load."""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ..search import layout
from ..search.bm25 import Bm25Index
from ..search.manifest import read_manifest
from ..settings import Settings
from .milvus_bench import rss_mb

QUERIES = ("超长期特别国债", "城镇调查失业率目标", "粮食产量", "赤字率", "高标准农田", "生态环境保护",
           "GDP growth target", "居民人均可支配收入", "研发经费投入", "新能源汽车")


def replicate(generation: Path, times: int, index_dir: Path) -> Path:
    """index_dir/gen-xN: `generation` N times over, made live in index_dir."""
    target = index_dir / f"{layout.GEN_PREFIX}x{times}"
    if (target / layout.MANIFEST).is_file():
        return target
    shutil.rmtree(target, ignore_errors=True)
    for sub in (layout.BM25_DIR, layout.TOKENS_DIR, layout.VECTORS_DIR):
        (target / sub).mkdir(parents=True)
    manifest = read_manifest(generation)
    lines = (generation / layout.PASSAGES).read_text(encoding="utf-8").splitlines()
    report_lines = (generation / layout.REPORTS).read_text(encoding="utf-8").splitlines()
    entries, tokens, row = {}, [], 0
    with (target / layout.PASSAGES).open("w", encoding="utf-8") as out, \
            (target / layout.REPORTS).open("w", encoding="utf-8") as reports:
        for copy in range(times):
            prefix = f"copy{copy}/" if copy else ""
            for line in lines:
                record = json.loads(line)
                out.write(json.dumps({**record, "report": prefix + record["report"]}, ensure_ascii=False) + "\n")
            for line in report_lines:
                record = json.loads(line)
                reports.write(json.dumps({**record, "id": prefix + record["id"]}, ensure_ascii=False) + "\n")
            for report_id, entry in manifest["reports"].items():
                entries[prefix + report_id] = {**entry, "first_row": row}
                row += entry["passages"]
                tokens.extend(json.loads((generation / layout.TOKENS_DIR / f"{entry['tokens']}.json").read_text(
                    encoding="utf-8")))
    for sub in (layout.TOKENS_DIR, layout.VECTORS_DIR):
        for path in (generation / sub).iterdir():
            layout.link_or_copy(path, target / sub / path.name)
    for name in (layout.USERDICT, layout.LEXICON):
        layout.link_or_copy(generation / name, target / name)
    Bm25Index.build(tokens).save(target / layout.BM25_DIR)
    layout.write_json(target / layout.MANIFEST, {**manifest, "passages": row, "reports": entries})
    (index_dir / layout.POINTER).write_text(target.name + "\n", encoding="utf-8")
    return target


def _settings(index_dir: Path, backend: str, uri: str, embedder: str) -> Settings:
    return Settings(index_dir=index_dir, index_backend=backend, milvus_uri=uri, embedder=embedder)


def child(args) -> dict:
    from ..search.backends import open_store, publish

    settings = _settings(Path(args.index_dir), args.backend, args.uri, args.embedder)
    if args.task == "publish":
        started = time.perf_counter()
        publish(settings, settings.index_dir)
        return {"publish_s": round(time.perf_counter() - started, 1)}
    before = rss_mb()
    store = open_store(settings, check_settings=False)
    opened = rss_mb()
    store.warm_up()
    for query in QUERIES:
        store.bm25_search(query, 50)
        store.dense_search(query, 50)
    return {"rss_before_mb": round(before), "rss_opened_mb": round(opened), "rss_after_mb": round(rss_mb())}


def _run_child(args, index_dir: Path, task: str, backend: str) -> dict:
    command = [sys.executable, "-m", "assistant.evaluation.milvus_capacity", "--child", task,
               "--backend", backend, "--index-dir", str(index_dir), "--uri", args.uri_of(index_dir),
               "--embedder", args.embedder]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-3:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def latency(index_dir: Path, uri: str, embedder: str, rounds: int = 3) -> dict:
    from ..search.backends import open_store

    stores = {b: open_store(_settings(index_dir, b, uri, embedder), check_settings=False) for b in ("local", "milvus")}
    times: dict[str, list[float]] = {f"{b}_{kind}": [] for b in stores for kind in ("bm25", "dense")}
    for store in stores.values():
        store.warm_up()
    for _ in range(rounds):
        for query in QUERIES:
            for name, store in stores.items():
                for kind, search in (("bm25", store.bm25_search), ("dense", store.dense_search)):
                    started = time.perf_counter()
                    search(query, 50)
                    times[f"{name}_{kind}"].append((time.perf_counter() - started) * 1000)
    out = {key: round(statistics.median(values), 2) for key, values in times.items()}
    for kind in ("bm25", "dense"):
        out[f"ratio_{kind}"] = round(out[f"milvus_{kind}"] / out[f"local_{kind}"], 1)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generation")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--work", default="/tmp/govqa-capacity")
    parser.add_argument("--embedder", default="use-m3")
    parser.add_argument("--out")
    parser.add_argument("--child", choices=("publish", "memory"), help=argparse.SUPPRESS)
    parser.add_argument("--backend", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--uri", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.task = args.child
        print(json.dumps(child(args)))
        return 0
    args.uri_of = lambda index_dir: str(index_dir / "milvus.db")
    results = []
    for times in args.scales:
        index_dir = Path(args.work) / f"x{times}"
        generation = replicate(Path(args.generation), times, index_dir)
        passages = read_manifest(generation)["passages"]
        published = _run_child(args, index_dir, "publish", "milvus")
        row = {"scale": times, "passages": passages, **published,
               "rows_per_s": round(passages / published["publish_s"]) if "publish_s" in published else None,
               "memory_local": _run_child(args, index_dir, "memory", "local"),
               "memory_milvus": _run_child(args, index_dir, "memory", "milvus"),
               "latency_ms": latency(index_dir, args.uri_of(index_dir), args.embedder)}
        results.append(row)
        print(json.dumps(row), flush=True)
        from ..search.backends import milvus_common

        milvus_common.close_clients()
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
