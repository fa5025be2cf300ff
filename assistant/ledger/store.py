"""Building, saving, loading and filtering the ledger (commitments.jsonl in the index folder)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from ..corpus import Corpus, load_corpus
from ..types import Passage
from .extract import Commitment, extract_commitments
from .indicators import normalize_query

LEDGER_FILE = "commitments.jsonl"


def passages_for(corpus: Corpus, report_id: str) -> list[Passage]:
    from ..chunking import chunk_report

    return chunk_report(corpus.reports[report_id], corpus.texts[report_id])


def build_ledger(corpus: Corpus, passages_by_report: dict[str, list[Passage]] | None = None) -> list[Commitment]:
    """Commitments of every Chinese report of the corpus. Passages are chunked here for
    reports missing from `passages_by_report`. One failing report is reported, not fatal."""
    items: list[Commitment] = []
    for report_id, report in sorted(corpus.reports.items()):
        if report.language != "zh" or report_id not in corpus.texts:
            continue
        try:
            passages = (passages_by_report or {}).get(report_id) or passages_for(corpus, report_id)
            items.extend(extract_commitments(report, corpus.texts[report_id], passages))
        except Exception as exc:  # one broken report must not stop the ledger
            print(f"ledger: {report_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return items


def save_ledger(path: Path | str, items: Iterable[Commitment]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
    tmp.replace(path)


def load_ledger(path: Path | str) -> list[Commitment]:
    path = Path(path)
    items = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                items.append(Commitment.from_dict(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a ledger record ({exc})") from None
    return items


def ledger_for(settings) -> list[Commitment]:
    """The ledger saved in the index folder, else built from the corpus (not saved)."""
    from ..search.layout import current_generation_or_none

    generation = current_generation_or_none(Path(settings.index_dir))
    saved = generation / LEDGER_FILE if generation else None
    if saved and saved.is_file():
        return load_ledger(saved)
    return build_ledger(load_corpus(Path(settings.corpus)))


def indicator_matches(item: Commitment, query: str) -> bool:
    canonical = normalize_query(query)
    if canonical is not None:
        regional = {"国内生产总值增长": "地区生产总值增长", "国内生产总值": "地区生产总值"}
        return item.indicator in (canonical, regional.get(canonical))
    return query.strip() in item.indicator or query.strip() in item.text


def filter_ledger(items: Iterable[Commitment], report: str | None = None, indicator: str | None = None,
                  year: int | None = None, region: str | None = None, level: str | None = None,
                  kind: str | None = None) -> list[Commitment]:
    """Items matching every given filter. `report` may be the id or its file name; `region`
    the pinyin id or the Chinese name; `indicator` a canonical name, a synonym or a substring."""
    out = []
    for item in items:
        if report and item.report != report and not item.report.endswith("/" + report.split("/")[-1]):
            continue
        if indicator and not indicator_matches(item, indicator):
            continue
        if year is not None and item.year != year:
            continue
        if region and region not in (item.region, item.region_name) and region not in item.region_name:
            continue
        if level and item.level != level:
            continue
        if kind and item.kind != kind:
            continue
        out.append(item)
    return out
