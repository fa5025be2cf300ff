"""`govqa eval run|compare|check` and `govqa bench`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .dataset import DatasetError, check_against_corpus
from .judge import add_command as add_judge_command
from .sample import add_command as add_sample_command
from .systems import SYSTEM_NAMES
from .tabular import load_set


def add_commands(subparsers) -> None:
    from ..cli import add_common

    evaluate = subparsers.add_parser("eval", help="evaluate a system on a benchmark set (JSONL)")
    commands = evaluate.add_subparsers(dest="eval_command", required=True)

    run = commands.add_parser("run", help="answer a set, score it, write predictions/metrics/report")
    run.add_argument("set", help="benchmark set: JSONL, or CSV/XLSX (see docs/evaluation.md)")
    run.add_argument("--out", required=True, help="folder for predictions.jsonl, metrics.json, report.md")
    add_common(run)
    run.add_argument("--mode", choices=["extractive", "llm"], help="answer mode of govqa")
    run.add_argument("--system", choices=SYSTEM_NAMES, default="govqa")
    run.add_argument("--embedder", help="embedder name (default: GOVQA_EMBEDDER or use-m3)")
    run.add_argument("--keyword-only", action="store_true",
                     help="govqa: do not build a missing dense index (the default; kept for old scripts)")
    run.add_argument("--build-dense", action="store_true",
                     help="govqa: build a missing dense index first (in the foreground) instead of "
                          "answering from the keyword index alone")
    run.add_argument("--wait", type=float, default=600, metavar="SECONDS",
                     help="wait this long for another build holding the index lock (default 600)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)

    compare = commands.add_parser("compare", help="two runs' metrics side by side (markdown)")
    compare.add_argument("run_a")
    compare.add_argument("run_b")
    compare.add_argument("--out", help="also write the table to this file")
    compare.set_defaults(func=cmd_compare)

    add_sample_command(commands)
    add_judge_command(commands)

    partial = commands.add_parser("score-partial", help="metrics of the questions a stopped run "
                                  "answered (its predictions.partial.jsonl), as JSON")
    partial.add_argument("run", help="folder of the stopped `eval run`")
    partial.set_defaults(func=cmd_score_partial)

    check = commands.add_parser("check", help="validate a set and check its evidence against the corpus")
    check.add_argument("set", help="benchmark set: JSONL, CSV or XLSX")
    add_common(check)
    check.set_defaults(func=cmd_check)

    bench = subparsers.add_parser("bench", help="performance benchmark on this machine")
    add_common(bench)
    bench.add_argument("--set", default=None, help="questions for the latency figures (default eval/dev.jsonl)")
    bench.add_argument("--embedder", help="embedder name (default: GOVQA_EMBEDDER or use-m3)")
    bench.add_argument("--build", action="store_true", help="also time a fresh full build in a temp folder")
    bench.add_argument("--latency-only", action="store_true",
                       help="only the warm latency, govqa and the naive pipeline side by side")
    bench.add_argument("--no-baseline", action="store_true", help="govqa alone, without the naive pipeline")
    add_growth_options(bench)
    bench.set_defaults(func=cmd_bench)


def add_growth_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--growth", metavar="FACTORS",
                        help="only: build, size, memory, latency and re-index growth over the corpus copied "
                             "N times, e.g. 1,4,16 (keyword-only, temporary folders; see evaluation/growth.py)")
    parser.add_argument("--growth-questions", type=int, default=100,
                        help="questions of the set timed at each factor (default 100)")


def _settings(args: argparse.Namespace):
    from ..settings import load_settings

    return load_settings(corpus=args.corpus, index_dir=args.index_dir,
                         mode=getattr(args, "mode", None), embedder=getattr(args, "embedder", None))


def cmd_run(args: argparse.Namespace) -> int:
    from ..search.layout import IndexStoreError
    from .opening import IndexBusyError, dense_notice, open_system
    from .runner import run_eval
    from .systems import make_system

    try:
        questions = load_set(args.set, source=args.set)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = _settings(args)
    dense = args.build_dense and not args.keyword_only

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        system = open_system(lambda: make_system(args.system, settings, progress=not args.quiet, dense=dense),
                             settings.index_dir, args.wait, say)
    except (IndexBusyError, IndexStoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    notice = dense_notice(system, settings.index_dir)
    if notice:
        say(notice)
    result = run_eval(system, questions, args.out, set_path=args.set, progress=not args.quiet)
    overall = result["overall"]
    print(f"{system.name}: {overall['n']} questions -> {Path(args.out) / 'report.md'}")
    for metric in ("hit@5", "mrr@10", "answer_accuracy", "cited_evidence_rate", "refusal_accuracy",
                   "overall_correct", "latency_p50_ms"):
        value = overall[metric]
        print(f"  {metric:<22} {'–' if value is None else f'{value:.3f}'}")
    return 1 if result["errors"] else 0


def cmd_score_partial(args: argparse.Namespace) -> int:
    import json

    from .llm_stats import llm_summary
    from .metrics import summarize

    path = Path(args.run) / "predictions.partial.jsonl"
    predictions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = {"partial": f"{len(predictions)} questions answered", **summarize([p["scores"] for p in predictions]),
              "llm": llm_summary(predictions)}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .report import compare_runs

    try:
        table = compare_runs(args.run_a, args.run_b)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ..corpus import load_corpus

    try:
        questions = load_set(args.set, source=args.set)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    corpus = load_corpus(_settings(args).corpus)
    problems = check_against_corpus(questions, corpus.texts.__getitem__)
    for _, message in problems:
        print(message)
    types = sorted({q.type for q in questions})
    print(f"{len(questions)} questions, {sum(not q.answerable for q in questions)} unanswerable, "
          f"types: {', '.join(types)}; {len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .growth import run_growth
    from .perf import run_benchmark

    if args.growth:
        factors = [int(f) for f in args.growth.split(",") if f.strip()]
        return run_growth(_settings(args), factors, args.set, args.growth_questions)
    return run_benchmark(_settings(args), set_path=args.set, time_build=args.build,
                         latency_only=args.latency_only, baseline=not args.no_baseline)
