"""'历年GDP增长目标是多少？': an indicator over the years, answered from the commitment ledger
as a cited year-by-year table (target from each year's report, result from the next one's)."""

from __future__ import annotations

from .evidence import Evidence
from .extractive import citation_for
from .facts import indicators
from .ledger.compare import compare_indicator, measure_asked
from .types import Answer, Hit
from .understand.constraints import Constraints

RECENT_ROWS = 10


def series_answer(qa, question: str, c: Constraints, ledger) -> Answer | None:
    """None when the question names no indicator the ledger knows, or nothing is found."""
    named = indicators.find_in_question(question)
    if not named:
        return None
    indicator = named[0]
    level = c.level or ("national" if not c.regions else "provincial")
    rows = compare_indicator(ledger, indicator, level=level, region=c.regions[0] if c.regions else None,
                             measure=measure_asked(question, indicator))
    rows = [r for r in rows if r["target"] or r["result"]]
    if c.year_span:
        rows = [r for r in rows if c.year_span[0] <= r["year"] <= c.year_span[1]]
    else:
        rows = rows[-RECENT_ROWS:]  # a readable table; a span (2000到2024年) asks for more
    if not rows:
        return None
    evidence, table = [], []
    for row in rows:
        cells = {"year": row["year"], "region": row["region_name"], "target": row["target"],
                 "result": row["result"]}
        for kind in ("target", "result"):
            if row[f"{kind}_report"]:
                ev = _evidence(qa, row[f"{kind}_report"], row[f"{kind}_start"], row[f"{kind}_end"])
                if ev:
                    evidence.append(ev)
                    cells[f"{kind}_n"] = len(evidence)
        table.append(cells)
    citations = [citation_for(i + 1, ev, qa.reports[ev.hit.passage.report]) for i, ev in enumerate(evidence)]
    name = indicators.display_name(indicator, level, c.language)
    return Answer(answer=_text(name, table, c.language), answerable=True, citations=citations,
                  rewritten_question=question, constraints=c.to_dict(), table=table, confidence=1.0)


def _evidence(qa, report_id: str, start: int, end: int) -> Evidence | None:
    passage = next((p for p in qa.store.passages_of(report_id) if p.start <= start < p.end), None)
    if passage is None:
        return None
    end = min(end, passage.end)
    return Evidence(Hit(passage, 1.0, ("ledger",)), 0, start, end, qa.source_text(report_id)[start:end], 1.0)


def _text(indicator: str, table: list[dict], language: str) -> str:
    parts = []
    for row in table:
        cells = []
        if row.get("target"):
            label = "target" if language == "en" else "目标"
            cells.append(f"{label} {row['target']}[{row['target_n']}]")
        if row.get("result"):
            label = "result" if language == "en" else "实际"
            cells.append(f"{label} {row['result']}[{row['result_n']}]")
        parts.append(f"{row['year']}: " + ", ".join(cells) if language == "en"
                     else f"{row['year']}年：" + "，".join(cells))
    if language == "en":
        return f"{indicator} by year, from the reports: " + "; ".join(parts) + "."
    return f"据历年政府工作报告，{indicator}：\n" + "；\n".join(parts) + "。"
