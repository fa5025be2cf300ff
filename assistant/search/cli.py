"""`govqa index` and `govqa reports`."""

from __future__ import annotations

import argparse
import sys

from ..cli import add_common
from ..corpus import load_corpus
from ..settings import load_settings
from .layout import IndexStoreError


def add_commands(subparsers) -> None:
    index = subparsers.add_parser("index", help="build or update the search index of the corpus")
    add_common(index)
    index.add_argument("--embedder", help="use-m3 | e5-small | st:<model folder> | hash (tests only)")
    index.add_argument("--rebuild", action="store_true", help="ignore the existing index and start over")
    index.add_argument("--keyword-only", action="store_true",
                       help="BM25 only, no embeddings (fast; add the dense part later)")
    index.set_defaults(func=run_index)

    reports = subparsers.add_parser("reports", help="list the reports of the corpus")
    add_common(reports)
    reports.set_defaults(func=run_reports)


def _settings(args: argparse.Namespace):
    return load_settings(corpus=args.corpus, index_dir=args.index_dir, embedder=getattr(args, "embedder", None))


def _load(settings):
    """The corpus and the uploads kept beside the index (part of that index's corpus)."""
    from ..uploads import with_uploads

    try:
        return with_uploads(load_corpus(settings.corpus, progress=True), settings.index_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def run_index(args: argparse.Namespace) -> int:
    from .backends import build_index  # the local build, then (GOVQA_INDEX_BACKEND=milvus) Milvus

    settings = _settings(args)
    try:
        # the folder, not a loaded corpus: the build reads again only the reports the live index
        # has not recorded unchanged (search/scan.py; at 16x a full read is ≈1.1 s of a 3.5 s update)
        summary = build_index(settings.corpus, settings.index_dir, settings, dense=not args.keyword_only,
                              progress=True, rebuild=args.rebuild)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (IndexStoreError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if str(exc).startswith("nothing to index") else 1
    for line in summary.errors:
        print(f"problem: {line}")
    for line in summary.skipped:
        print(f"skipped: {line}")
    for line in summary.lines():
        print(line)
    return 0


def run_reports(args: argparse.Namespace) -> int:
    from ..chunking import chunk_report

    settings = _settings(args)
    corpus = _load(settings)
    if corpus is None:
        return 2
    columns = ("id", "title", "level", "region", "year", "lang", "date", "speaker", "passages")
    rows = []
    for report_id in sorted(corpus.reports):
        report = corpus.reports[report_id]
        try:
            count = str(len(chunk_report(report, corpus.texts[report_id], settings)))
        except Exception as exc:  # show the report anyway
            count = f"error: {type(exc).__name__}"
        rows.append((report_id, report.title, report.level, report.region_name or report.region,
                     str(report.year or ""), report.language, report.date or "", report.speaker or "", count))
    print_table(columns, rows)
    print(f"{len(rows)} reports, {len(corpus.errors)} problems")
    for line in corpus.errors:
        print(f"error: {line}")
    for line in corpus.skipped:
        print(f"skipped: {line}")
    return 0


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def print_table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max([_width(c)] + [_width(r[i]) for r in rows]) for i, c in enumerate(columns)]
    for row in [columns, *rows]:
        cells = [cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())
