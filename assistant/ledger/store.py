"""The ledger is a view over the facts (facts.jsonl in each index generation): loading and
filtering them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..corpus import load_corpus
from ..facts import indicators
from ..facts.store import build_facts, load_facts
from ..search.layout import FACTS, current_generation_or_none
from ..types import Fact


def ledger_for(settings) -> list[Fact]:
    """The facts saved in the index folder, else extracted from the corpus (not saved)."""
    generation = current_generation_or_none(Path(settings.index_dir))
    saved = generation / FACTS if generation else None
    if saved and saved.is_file():
        return load_facts(saved)
    return build_facts(load_corpus(Path(settings.corpus)))


def indicator_matches(item: Fact, query: str) -> bool:
    """`query` is an id, a surface form (国内生产总值, 城镇新增就业 …), or words of the text."""
    canonical = indicators.normalize(query)
    if canonical is not None:
        return item.indicator == canonical
    return query.strip() in item.indicator or query.strip() in item.text


def parse_period(value) -> tuple[int, int] | None:
    """'2026' -> (2026, 2026); '2021-2025' / '十四五' -> the span; None when empty."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    from_plan = {"十四五": (2021, 2025), "十五五": (2026, 2030), "十三五": (2016, 2020)}.get(text.strip("“”\""))
    if from_plan:
        return from_plan
    if m := re.fullmatch(r"(\d{4})\s*[-–~至到]\s*(\d{4})", text):
        return int(m.group(1)), int(m.group(2))
    if re.fullmatch(r"\d{4}", text):
        return int(text), int(text)
    raise ValueError(f"period must be a year (2026), a span (2021-2025) or 十四五/十五五, got {value!r}")


def filter_ledger(items: Iterable[Fact], report: str | None = None, indicator: str | None = None,
                  period=None, region: str | None = None, level: str | None = None,
                  kind: str | None = None, measure: str | None = None,
                  commitments_only: bool = True, year=None) -> list[Fact]:
    """Facts matching every given filter. `report` may be the id or its file name; `region`
    the pinyin id or the Chinese name; `period` a year or a span the fact holds for exactly
    (`year` is an alias); by default only the ledger's commitments (targets and headline results)."""
    span = parse_period(period if period not in (None, "") else year)
    out = []
    for item in items:
        if commitments_only and not item.commitment:
            continue
        if report and item.report != report and not item.report.endswith("/" + report.split("/")[-1]):
            continue
        if indicator and not indicator_matches(item, indicator):
            continue
        if span and (item.period_start, item.period_end) != span:
            continue
        if region and region not in (item.region, item.region_name) and region not in item.region_name:
            continue
        if level and item.level != level:
            continue
        if kind and item.kind != kind:
            continue
        if measure and item.measure != measure:
            continue
        out.append(item)
    return out
