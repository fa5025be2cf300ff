"""`govqa ask`: one question (with an optional conversation) from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .cli import add_common
from .history import parse_history_json
from .search.layout import IndexStoreError


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser("ask", help="answer one question with cited passages")
    parser.add_argument("question")
    parser.add_argument("--json", action="store_true", help="print the whole answer object as JSON")
    parser.add_argument("--history", type=Path, help="JSON file: a list of [question, answer] pairs")
    parser.add_argument("--mode", choices=["extractive", "llm"])
    add_common(parser)
    parser.set_defaults(func=run_ask)


def run_ask(args) -> int:
    from .qa import QA
    from .settings import load_settings

    settings = load_settings(corpus=args.corpus, index_dir=args.index_dir, mode=args.mode)
    try:
        history = parse_history_json(args.history.read_text(encoding="utf-8")) if args.history else []
    except (OSError, ValueError) as exc:
        print(f"govqa ask: cannot use the history file {args.history}: {exc}", file=sys.stderr)
        return 2
    try:
        answer = QA(settings, background_dense=False).ask(args.question, history)
    except (IndexStoreError, OSError) as exc:  # a damaged or missing index: say so, no traceback
        print(f"govqa ask: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    if answer.notice:
        print(f"\n({answer.notice})")
    for cit in answer.citations:
        print(f"\n[{cit.n}] {cit.title} · {cit.heading}\n    {cit.report} chars {cit.quote_start}-{cit.quote_end}")
    return 0
