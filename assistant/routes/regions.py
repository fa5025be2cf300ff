"""An indicator across regions: `2026年哪些省份城镇调查失业率目标高于5.5%？`,
`2025年西部省份里GDP增长目标最高的是哪个？`, `各省2026年城镇新增就业目标`.

A table of every matching region with its value and a citation per row, sorted by value.
Comparisons are honest about ranges and qualifiers: `5%—5.5%` is not "≥ 6%", `6%以上` is;
`高于5.5%` needs the whole target above 5.5%. Regions whose report sets no such figure are
named, without a citation, so the table never silently shrinks.
"""

from __future__ import annotations

from ..facts.lookup import annual_result, annual_target, default_measure, format_value
from ..regions import BY_ID, PROVINCES
from ..types import Fact
from .cite import describe, fact_answer


def passes(fact: Fact, threshold, qualifier: str) -> bool:
    if threshold is None:
        return True
    op, x = threshold
    low = fact.value
    high = fact.value_max if fact.value_max is not None else fact.value
    if op == "=":
        return low == x and fact.value_max is None and (not qualifier or fact.qualifier == qualifier)
    if op == ">":
        return low > x or (low == x and fact.qualifier in ("以上", "超过", "突破"))
    if op == ">=":
        return low >= x
    if op == "<":
        return high < x or (high == x and fact.qualifier in ("以内", "以下"))
    return high <= x


def _members(qa, query) -> list[str]:
    if query.regions:
        return list(query.regions)
    present = {r.region for r in qa.reports.values() if r.level == "provincial"}
    return [p.id for p in PROVINCES if p.id in present]


def _year(qa, query) -> int | None:
    if query.years:
        return query.years[0]
    years = [r.year for r in qa.reports.values() if r.level == "provincial" and r.year]
    return max(years) if years else None


def regions_answer(qa, query):
    if not query.indicators:
        return None
    indicator = query.indicators[0]
    year = _year(qa, query)
    if year is None:
        return None
    kind = query.kind or "target"
    measure = query.measure or default_measure(indicator)
    pick = annual_target if kind == "target" else annual_result
    rows: list[Fact] = []
    missing: list[str] = []
    facts = qa.facts_for(indicator)
    for region in _members(qa, query):
        found = pick(facts, indicator, measure, year, regions=[region], level="provincial", language="zh")
        fact = next(iter(found.values()), None)
        if fact is None:
            missing.append(BY_ID[region].name)
        elif passes(fact, query.threshold, query.qualifier):
            rows.append(fact)
    if not rows and not missing:
        return None
    rows.sort(key=lambda f: (f.value_max if f.value_max is not None else f.value, f.value),
              reverse=query.rank != "min")
    if query.rank:
        top = query.top_n or 1
        cut = (rows[top - 1].value_max or rows[top - 1].value) if len(rows) >= top else None
        rows = [f for f in rows if cut is None or (f.value_max or f.value) >= cut] if query.rank == "max" else rows[:top]
    if not rows:
        return None
    return fact_answer(qa, query, rows, _lead(query, rows, missing, year, kind),
                       table=_table(rows, query.language))


def _lead(query, rows: list[Fact], missing: list[str], year: int, kind: str) -> list[str]:
    en = query.language == "en"
    if en:
        lines = [f"{len(rows)} region(s), {year} {kind}s, highest first:"]
        lines += [f"- {describe(f, 'en', n)}" for n, f in enumerate(rows, start=1)]
        if missing and not query.threshold:
            lines.append("No such figure in the reports of: " + ", ".join(missing) + ".")
        return lines
    word = "目标" if kind == "target" else "实际"
    lines = [f"{year}年共{len(rows)}个省份符合（{word}，按数值排序）："]
    lines += [f"{i}. {f.region_name}：{format_value(f)}[{i}]" for i, f in enumerate(rows, start=1)]
    if missing and not query.threshold:
        lines.append("报告中没有找到该项数值的省份：" + "、".join(missing) + "。")
    return lines


BAR_WIDTH = 20  # characters of the longest bar


def _table(rows: list[Fact], language: str) -> list[dict]:
    """One row per region, with a bar (█) drawn to scale so the table reads as a chart in the
    chat, the API and a terminal alike; a range is drawn to its upper end."""
    top = max((f.value_max if f.value_max is not None else f.value) for f in rows) or 1.0
    def bar(f: Fact) -> str:
        high = f.value_max if f.value_max is not None else f.value
        return "█" * max(1, round(BAR_WIDTH * high / top)) if high > 0 else ""
    return [{"region" if language == "en" else "地区": f.region_name,
             "value" if language == "en" else "数值": format_value(f),
             "chart" if language == "en" else "图示": bar(f),
             "n": i} for i, f in enumerate(rows, start=1)]
