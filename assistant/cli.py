"""The `govqa` command line. Each area of the package adds its own sub-commands through an
`add_commands(subparsers)` function in the module listed below."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = (
    "assistant.search.cli",  # index, reports
    "assistant.qa_cli",  # ask
    "assistant.ledger.cli",  # commitments, compare
    "assistant.app.cli",  # serve
    "assistant.evaluation.cli",  # eval run / eval compare, bench
)


def add_common(parser: argparse.ArgumentParser) -> None:
    """--corpus and --index-dir, shared by every command that reads reports or an index."""
    parser.add_argument("--corpus", help="corpus folder (default: GOVQA_CORPUS, corpus/, ../shared/corpus)")
    parser.add_argument("--index-dir", help="index folder (default: GOVQA_INDEX_DIR or index/)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govqa", description="Question answering over government work reports")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency: fail loudly
                raise
            continue
        module.add_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
