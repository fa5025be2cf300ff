"""Growth benchmark: the corpus copied N times with distinct region names, and how build time,
index size, serving memory, warm latency and one report's re-index grow with N (prints, never
asserts; `govqa bench --growth 1,4,16`).

Copy k ≥ 2 of a report becomes a city report of its own place, "<region_name>样本k市": that
name replaces the report's region name in its text and a first line marks the copy, so no copy
is a duplicate of another and the question reader sees N times as many places. The copies
share most of their sentences, so jieba's cache of runs cuts fewer new runs than N real
reports would need: the build time is a lower bound. Every factor is built keyword-only (the
issue's 16x measure) in a temporary folder, then a fresh process opens it (once), answers the
questions once to warm up and once timed, and reports its peak RSS; one changed report is
then re-indexed. The growth exponent of a figure is the slope of log(figure) over log(N).
"""

from __future__ import annotations

import csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ..corpus import load_corpus
from ..settings import REPO_ROOT, Settings, load_settings

COLUMNS = ("file", "title", "level", "region", "region_name", "year", "language", "issuer")
SERVE_SCRIPT = """
import json, resource
from assistant.evaluation.dataset import load_questions
from assistant.evaluation.perf import open_govqa, summary_ms, warm_latencies
from assistant.settings import load_settings
settings = load_settings(corpus={corpus!r}, index_dir={index_dir!r}, embedder="hash", mode="extractive")
questions = load_questions({questions!r})[:{count}]
qa = open_govqa(settings)  # one assistant (two would count twice in the peak)
warm_latencies(settings, questions, qa)  # a first pass loads what questions load lazily
figures = summary_ms(warm_latencies(settings, questions, qa))
figures["peak_rss_mb"] = {peak}
print(json.dumps(figures))
"""
# A child's ru_maxrss starts from its parent's (Linux keeps the forked copy's high-water mark
# across exec: the growth bench's children reported the bench's own 440-880 MB); VmHWM is the
# child's own process image.
PEAK_RSS = ("next((int(l.split()[1]) / 1024 for l in open('/proc/self/status') if l.startswith('VmHWM:')), "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
FIGURES = (("build_cpu_s", "keyword build CPU s"), ("build_wall_s", "keyword build wall s"),
           ("index_mb", "index size MB"), ("serving_rss_mb", "serving peak RSS MB"),
           ("p50_ms", "warm p50 ms"), ("p95_ms", "warm p95 ms"),
           ("reindex_cpu_s", "one report re-indexed, CPU s"), ("reindex_wall_s", "one report re-indexed, wall s"))


def synthetic_corpus(source: Path, target: Path, factor: int) -> int:
    """`source` copied `factor` times into `target` (reports/ and reports.csv; parallel/ once)."""
    corpus = load_corpus(source)
    (target / "reports").mkdir(parents=True)
    if (source / "parallel").is_dir():
        shutil.copytree(source / "parallel", target / "parallel")
    rows = []
    for report_id, report in sorted(corpus.reports.items()):
        text = corpus.texts[report_id]
        for copy in range(1, factor + 1):
            row = {"file": report_id, "title": report.title, "level": report.level, "region": report.region,
                   "region_name": report.region_name, "year": report.year or "", "language": report.language,
                   "issuer": report.issuer}
            body = text
            if copy > 1:
                name = f"{report.region_name or report.region}样本{copy}市"
                row.update(file=report_id.replace(".", f"_copy{copy}.", 1), level="city",
                           region=f"{report.region}{copy}", region_name=name,
                           title=f"{name}{report.year or ''}年政府工作报告（合成副本）", issuer=f"{name}人民政府")
                body = f"（{name}合成副本）\n" + (text.replace(report.region_name, name) if report.region_name else text)
            (target / row["file"]).parent.mkdir(parents=True, exist_ok=True)
            (target / row["file"]).write_text(body, encoding="utf-8")
            rows.append(row)
    with (target / "reports.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024**2


def timed_build(corpus: Path, index_dir: Path) -> tuple[float, float]:
    """(CPU s, wall s) of a keyword-only build of `corpus` into `index_dir`."""
    from ..search.build import build_index

    settings = load_settings(corpus=corpus, index_dir=index_dir, embedder="hash")
    cpu, wall = time.process_time(), time.perf_counter()
    build_index(corpus, index_dir, settings, dense=False, progress=False)
    return time.process_time() - cpu, time.perf_counter() - wall


def serving(corpus: Path, index_dir: Path, questions: Path, count: int) -> dict:
    script = SERVE_SCRIPT.format(corpus=str(corpus), index_dir=str(index_dir), questions=str(questions),
                                 count=count, peak=PEAK_RSS)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"serving child failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(source: Path, factor: int, questions: Path, count: int, say=print) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"govqa-growth-{factor}x-") as temp:
        corpus, index_dir = Path(temp) / "corpus", Path(temp) / "index"
        reports = synthetic_corpus(source, corpus, factor)
        say(f"  {factor}x: {reports} reports written; building…")
        cpu, wall = timed_build(corpus, index_dir)
        figures = {"factor": factor, "reports": reports, "build_cpu_s": cpu, "build_wall_s": wall,
                   "index_mb": folder_mb(index_dir)}
        served = serving(corpus, index_dir, questions, count)
        figures.update(serving_rss_mb=served["peak_rss_mb"], p50_ms=served["p50_ms"], p95_ms=served["p95_ms"])
        changed = corpus / "reports" / "national_china_2024.txt"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n新增一段：加强基准测试。\n", encoding="utf-8")
        figures["reindex_cpu_s"], figures["reindex_wall_s"] = timed_build(corpus, index_dir)
        say("  " + ", ".join(f"{label} {figures[name]:.1f}" for name, label in FIGURES))
        return figures


def exponents(rows: list[dict]) -> dict[str, float]:
    """Least-squares slope of log(figure) over log(factor), per figure."""
    factors = np.log([row["factor"] for row in rows])
    return {name: float(np.polyfit(factors, np.log([max(row[name], 1e-9) for row in rows]), 1)[0])
            for name, _ in FIGURES}


def print_growth(rows: list[dict], slopes: dict[str, float]) -> None:
    print(f"  {'figure':34}" + "".join(f"{str(r['factor']) + 'x':>10}" for r in rows) + f"{'exponent':>10}")
    for name, label in FIGURES:
        print(f"  {label:34}" + "".join(f"{r[name]:10.1f}" for r in rows) + f"{slopes[name]:10.2f}")


def run_growth(settings: Settings, factors: list[int], set_path: str | None, count: int) -> int:
    import os

    questions = Path(set_path or REPO_ROOT / "eval" / "dev.jsonl")
    print(f"growth benchmark, corpus {settings.corpus} x {','.join(map(str, factors))}, keyword-only, "
          f"{count} questions of {questions.name}; load average {os.getloadavg()[0]:.2f} at the start")
    rows = [measure(Path(settings.corpus), factor, questions, count) for factor in factors]
    print_growth(rows, exponents(rows) if len(rows) > 1 else {name: float("nan") for name, _ in FIGURES})
    print(f"load average at the end {os.getloadavg()[0]:.2f}; this process peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0
