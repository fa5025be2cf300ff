"""Facts of a corpus, saved as plain JSONL (facts.jsonl in each index generation)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from ..chunking import chunk_report
from ..corpus import Corpus
from ..textutil import shared_strings
from ..types import Fact, Passage
from .extract import extract_facts


def passages_for(corpus: Corpus, report_id: str) -> list[Passage]:
    return chunk_report(corpus.reports[report_id], corpus.texts[report_id])


def build_facts(corpus: Corpus, passages_by_report: dict[str, list[Passage]] | None = None,
                only: Iterable[str] | None = None) -> list[Fact]:
    """Facts of every report of the corpus (or of the reports in `only`). Passages are chunked
    here for reports missing from `passages_by_report`. One failing report is reported, not fatal."""
    items: list[Fact] = []
    wanted = set(only) if only is not None else None
    for report_id, report in sorted(corpus.reports.items()):
        if report_id not in corpus.texts or (wanted is not None and report_id not in wanted):
            continue
        try:
            passages = (passages_by_report or {}).get(report_id) or passages_for(corpus, report_id)
            items.extend(extract_facts(report, corpus.texts[report_id], passages))
        except Exception as exc:  # one broken report must not stop the others
            print(f"facts: {report_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return items


def save_facts(path: Path | str, items: Iterable[Fact]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
    tmp.replace(path)


def load_facts(path: Path | str) -> list[Fact]:
    path = Path(path)
    items = []
    shared: dict = {}  # repeated strings (report, unit, kind, heading, clause …) held once
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                items.append(Fact.from_dict(shared_strings(json.loads(line), shared, frozenset())))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a fact record ({exc}); "
                                 "run `govqa index --rebuild`") from None
    return items
