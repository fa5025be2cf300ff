"""`govqa eval sample`: a fixed, seeded, stratified sample of benchmark sets, for runs too slow
to answer whole sets (LLM mode on a CPU answers a question in tens of seconds).

The rule: from each set, `per_set` questions; within a set the questions are grouped by type,
each group ordered by sha256("<seed>:<id>"), and the groups are taken from round-robin (types
in alphabetical order) until `per_set` are chosen. The same sets and seed give the same sample
on any machine; the lines are copied unchanged, the sets' samples interleaved.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path


def _key(seed: str, row: dict) -> str:
    return hashlib.sha256(f"{seed}:{row['id']}".encode()).hexdigest()


def stratified(rows: list[dict], n: int, seed: str) -> list[dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[str(row.get("type") or "")].append(row)
    queues = [sorted(groups[t], key=lambda row: _key(seed, row)) for t in sorted(groups)]
    chosen: list[dict] = []
    while len(chosen) < min(n, len(rows)):
        for queue in queues:
            if queue and len(chosen) < n:
                chosen.append(queue.pop(0))
    return chosen


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample_sets(paths: list[str], per_set: int, seed: str, exclude: set[str] = frozenset()) -> list[dict]:
    """The sets' samples interleaved (one question of each set in turn), so that the first
    questions of a run stopped early are still spread over all the sets. Questions whose id is
    in `exclude` (an earlier sample's) are never chosen, so two samples can be disjoint."""
    samples = [stratified([r for r in read_rows(Path(path)) if r["id"] not in exclude], per_set, seed)
               for path in paths]
    return [s[i] for i in range(max(map(len, samples), default=0)) for s in samples if i < len(s)]


def add_command(commands) -> None:
    sample = commands.add_parser("sample", help="a seeded stratified sample of JSONL sets (one JSONL out)")
    sample.add_argument("sets", nargs="+", help="benchmark sets (JSONL)")
    sample.add_argument("--per-set", type=int, default=15, help="questions from each set (default 15)")
    sample.add_argument("--seed", default="govqa", help="seed of the order within each type")
    sample.add_argument("--exclude", action="append", default=[], metavar="JSONL",
                        help="leave out the questions of this earlier sample (repeatable)")
    sample.add_argument("--out", required=True, help="the sample, JSONL")
    sample.set_defaults(func=cmd_sample)


def cmd_sample(args) -> int:
    exclude = {row["id"] for path in args.exclude for row in read_rows(Path(path))}
    rows = sample_sets(args.sets, args.per_set, args.seed, exclude)
    Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} questions from {len(args.sets)} set(s) -> {args.out}")
    return 0
