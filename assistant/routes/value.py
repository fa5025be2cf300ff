"""One figure from the facts: a value (`2026年北京市GDP增长目标是多少？`) or a target set
against its result with a verdict (`四川2025年地区生产总值增长目标完成了吗？`).

The target of year Y comes from Y's report, the result from the review of a later report
(facts/lookup.py). An annual question never gets a five-year average or total: when the
report states one beside the annual figure, the answer says so in a second line.
"""

from __future__ import annotations

import re

from ..facts.lookup import annual_result, annual_target, best_per_report, default_measure, matching
from ..types import Answer, Fact
from .cite import describe, fact_answer

# Indicators where a lower figure meets a target (a ceiling), whatever the qualifier says.
CEILINGS = {"surveyed_unemployment", "registered_unemployment", "cpi", "deficit_ratio", "pm25",
            "energy_intensity", "carbon_intensity"}


def where_of(qa, query) -> dict:
    """The place filter of a query: a local place, one province, the national reports, or
    (no place named, a corpus without national reports) whatever the corpus holds."""
    c = query.constraints
    if c.local_region:
        return {"regions": [c.local_region]}
    if len(query.regions) == 1:
        return {"regions": list(query.regions), "level": "provincial"}
    if c.level in ("county", "city", "provincial"):
        return {"level": c.level}
    if any(r.level == "national" for r in qa.reports.values()):
        return {"level": "national"}
    return {}


def fact_language(qa, query) -> str:
    """The facts a figure comes from: an English question about a year an official translation
    covers is answered from the translation's own facts (its wording, its numbers); else Chinese."""
    return "en" if qa.translation_covers(query) else "zh"


def _fits(query, fact: Fact) -> bool:
    """The report named (按2013年的报告) and the unit asked (多少亿斤) must hold; a report
    named for its own year's result (2020年报告没有设定目标，那一年实际增长了多少) cannot."""
    named = query.report_year
    if named and fact.year != named and not (fact.kind == "result" and named in query.years):
        return False
    if query.unit and fact.unit and fact.unit != query.unit:
        return False
    if query.scope and not any(word in _named_before(fact) for word in query.scope):
        return False  # the local government deficit asked: not the national or central one
    return fact.unit != "年" or query.unit == "年"  # 连续9年 is no grain output


def _named_before(fact: Fact) -> str:
    """The words of the clause naming this figure: from the figure before it (if any) up to it
    (`with a central government deficit of 1.83 trillion yuan and a local government deficit of`)."""
    before = fact.text[:max(0, fact.value_start - fact.start)]
    return re.split(r"\d[\d.,]*\s*(?:[a-z%]+\s*){0,2}|\d[\d.,]*[^\d\s]{0,3}", before)[-1].lower()


def measures_for(query, indicator: str) -> list[str]:
    """The measures to try, the asked one first; never a span measure for an annual question."""
    if query.measure:
        return [query.measure]
    usual = default_measure(indicator)
    return list(dict.fromkeys([usual, "level", "growth", "share", "count"]))


def _years(qa, query, indicator: str, where: dict) -> list[int]:
    if query.years:
        return list(query.years)
    facts = matching(qa.facts_for(indicator, **where), indicator, **where)
    newest = max((f.year for f in facts if f.year), default=None)
    return [newest] if newest else []


def find(qa, query, indicator: str, year: int, kind: str) -> Fact | None:
    where = where_of(qa, query)
    # a target of `year` stands in that year's report alone, a result in a later one (see
    # annual_target and annual_result): only those facts are looked at
    if kind in ("target", "result"):
        pool = qa.facts_for(indicator, year, **where) if kind == "target" else qa.facts_after(indicator, year, **where)
        facts = [f for f in pool if _fits(query, f)]
    else:
        facts = [f for f in qa.facts_for(indicator, **where) if _fits(query, f)]
    for measure in measures_for(query, indicator):
        if kind == "target":
            found = annual_target(facts, indicator, measure, year, language=fact_language(qa, query), **where)
        elif kind == "result":
            found = annual_result(facts, indicator, measure, year, language=fact_language(qa, query), **where)
        else:  # expectation: 预计全年… of a year not yet reviewed
            found = best_per_report(matching(facts, indicator, kind=kind, measure=measure, period=(year, year),
                                             language=fact_language(qa, query), **where))
        if found:
            return sorted(found.values(), key=lambda f: (f.year or 0, f.start))[0]
    return None


def _span_readings(measures: list[str], period: tuple[int, int]) -> list[tuple[str, tuple[int, int]]]:
    """(measure, period) to try: the span asked, then for a rise the span after its first year —
    `2007年到2012年…年均增长` / `from 2010 to 2015` grows from the 2007 (2010) level, and the reports
    state it for 2008-2012 (2011-2015), as facts/extract.py reads `从2007年的…到2012年的…，年均增长`."""
    readings = [(m, period) for m in measures]
    if period[1] - period[0] >= 2:
        readings += [(m, (period[0] + 1, period[1])) for m in measures if m in ("avg_growth", "change")]
    return readings


def find_span(qa, query, indicator: str) -> Fact | None:
    where = where_of(qa, query)
    # a rate averages over a period (年均增长), a count adds up (累计新增就业)
    usual = default_measure(indicator)
    measures = [query.measure] if query.measure else (
        ["avg_growth", "total", "growth", "level", "share"] if usual in ("growth", "share")
        else ["total", "avg_growth", "level", "count", "growth"])
    newest = qa.newest_report_year or 0
    for measure, period in _span_readings(measures, query.period):
        found = matching([f for f in qa.facts_for(indicator, **where) if _fits(query, f)], indicator, measure=measure,
                         period=period, language=fact_language(qa, query), **where)
        # a period that is over was most likely asked for what it achieved
        kinds = [query.kind] if query.kind else (["result", "target"] if query.period[1] < newest
                                                 else ["target", "result"])
        found = [f for f in found if f.kind in kinds]
        if found:  # the kind most likely asked first, then the headline list, the earliest report
            return sorted(found, key=lambda f: (kinds.index(f.kind), not f.headline, f.year or 0, f.start))[0]
    return None


def _span_ends(qa, query, indicator: str) -> tuple[Fact, Fact] | None:
    """A change over a span that no fact states as one figure, told by its two ends in one
    sentence (2013_en: the urbanization level rose from 45.9% to 52.6%, 2007 and 2012, asked for
    2008-2012): the level before the span (or at its start) and at its end."""
    if query.kind == "target" or query.measure not in ("", "change", "growth"):
        return None
    first, last = query.period
    where = where_of(qa, query)
    facts = [f for f in matching([f for f in qa.facts_for(indicator, **where) if _fits(query, f)], indicator,
                                 language=fact_language(qa, query), **where)
             if f.kind == "result" and f.period_start == f.period_end and f.measure in ("level", "share")]
    for end in sorted((f for f in facts if f.period_end == last), key=lambda f: (f.year or 0, f.start)):
        start = [f for f in facts if f.report == end.report and f.sentence_start == end.sentence_start
                 and f.period_end in (first - 1, first) and f.unit == end.unit and f.start <= end.start]
        if start:
            return start[0], end
    return None


def _other_period(qa, fact: Fact) -> Fact | None:
    """A five-year figure of the same indicator in the same report, beside an annual one."""
    same = [f for f in qa.facts_in_report(fact.indicator, fact.report) if f.kind == fact.kind
            and f.period_start != f.period_end and f.measure in ("avg_growth", "total")]
    return min(same, key=lambda f: f.start) if same else None


def value_answer(qa, query):
    if not query.indicators:
        return None
    indicator = query.indicators[0]
    if query.period and query.period[0] != query.period[1]:
        fact = find_span(qa, query, indicator)
        if fact:
            return fact_answer(qa, query, [fact], [describe(fact, query.language, 1)])
        ends = _span_ends(qa, query, indicator)
        return fact_answer(qa, query, list(ends), [describe(f, query.language, n) for n, f in enumerate(ends, 1)]) \
            if ends else None
    where = where_of(qa, query)
    for year in _years(qa, query, indicator, where):
        kinds = [query.kind] if query.kind else ["target", "result"]
        if "result" in kinds:
            kinds.append("expectation")
        for kind in kinds:
            fact = find(qa, query, indicator, year, kind)
            if fact is None:
                continue
            title = qa.reports[fact.report].title if query.language == "en" else ""
            facts, lead = [fact], [describe(fact, query.language, 1, title=title) + ("。" if query.language != "en" else ".")]
            other = _other_period(qa, fact)
            if other is not None:
                facts.append(other)
                note = ("The report also states a figure for the period: " if query.language == "en"
                        else "另：报告还提出了时期指标，")
                lead.append(note + describe(other, query.language, 2) + ("。" if query.language != "en" else "."))
            return fact_answer(qa, query, facts, lead)
        if only_span := _span_instead(qa, query, indicator, year):
            return only_span
        if query.kind == "result" and (unreported := _not_yet_reviewed(qa, query, indicator, year)):
            return unreported
    return None


def _not_yet_reviewed(qa, query, indicator: str, year: int):
    """The result of a year that no later report of the place reviews (2026, or 2024 with no
    2025 national report): say so, with the year's target if there is one, never the target
    as if it were the result."""
    where = where_of(qa, query)
    later = [r for r in qa.reports.values() if (r.year or 0) > year and r.language == "zh"
             and (not where.get("regions") or r.region in where["regions"])
             and (not where.get("level") or r.level == where["level"])]
    if later:
        return None
    target = find(qa, query, indicator, year, "target")
    if query.regions:
        who = next((r.region_name for r in qa.reports.values() if r.region in query.regions), "")
    else:
        who = "国务院" if where.get("level") == "national" else ""
    if query.language == "en":
        text = f"The reports do not say: the collection has no report after {year} that reviews {year}."
    else:
        text = f"报告中没有找到相关内容：资料库中没有{year + 1}年{who}政府工作报告，无法得知{year}年的实际完成情况。"
    if target is None:
        return Answer(answer=text, answerable=False, rewritten_question=query.text, constraints=query.to_dict())
    note = (f" The target for {year} was: {describe(target, 'en', 1)}." if query.language == "en"
            else f"{year}年的目标是：{describe(target, 'zh', 1)}。")
    answer = fact_answer(qa, query, [target], [text + note])
    if answer is not None:
        answer.answerable = False
    return answer


def _span_instead(qa, query, indicator: str, year: int):
    """An annual figure asked, and the report that would state it gives only a five-year one
    (Hebei 2026: 城镇新增就业452万人 over 十四五): say so, quote it, and do not pass it off
    as the year's figure."""
    where = where_of(qa, query)
    kind = query.kind or "result"
    report_years = [year] if kind == "target" else [year + 1]
    spans = [f for f in matching(qa.facts_for(indicator, **where), indicator, kind=kind, report_years=report_years,
                                 language=fact_language(qa, query), **where)
             if f.period_start != f.period_end and f.period_start <= year <= f.period_end
             and f.measure in ("total", "avg_growth")]
    annual = [f for f in matching(qa.facts_for(indicator, **where), indicator, report_years=report_years, language=fact_language(qa, query), **where)
              if f.period_start == f.period_end == year]
    if not spans or annual:
        return None
    fact = min(spans, key=lambda f: f.start)
    if query.language == "en":
        lead = [f"The reports give no figure for {year} alone; the report states one for the whole period: "
                f"{describe(fact, 'en', 1)}."]
    else:
        lead = [f"报告中没有找到{year}年单年的数值；报告给出的是整个时期的数值：{describe(fact, 'zh', 1)}。"]
    answer = fact_answer(qa, query, [fact], lead)
    if answer is not None:
        answer.answerable = False
    return answer


def met(target: Fact, result: Fact) -> str:
    """达到 / 未达到 / 略低于: the result set against the target, honestly for ranges and qualifiers."""
    low = target.value
    high = target.value_max if target.value_max is not None else target.value
    ceiling = target.indicator in CEILINGS or target.qualifier in ("以内", "以下", "不超过")
    if ceiling:
        return "met" if result.value <= high else "missed"
    if result.value >= low:
        return "met"
    return "near" if target.qualifier == "左右" and low - result.value <= 0.2 * max(1.0, low / 5) else "missed"


VERDICT_WORDS = {"met": ("达到目标", "the target was met"), "near": ("略低于目标", "slightly below the target"),
                 "missed": ("未达到目标", "the target was not met")}


def verdict_answer(qa, query):
    if not query.indicators:
        return None
    indicator = query.indicators[0]
    for year in _years(qa, query, indicator, where_of(qa, query)):
        target = find(qa, query, indicator, year, "target")
        result = find(qa, query, indicator, year, "result")
        if target is None or result is None or (target.unit != result.unit and target.unit and result.unit):
            continue
        word = VERDICT_WORDS[met(target, result)]
        if query.language == "en":
            lead = [f"{describe(target, 'en', 1)}; {describe(result, 'en', 2, with_place=False)}: {word[1]}."]
        else:
            lead = [f"{describe(target, 'zh', 1)}，{describe(result, 'zh', 2, with_place=False)}，{word[0]}。"]
        return fact_answer(qa, query, [target, result], lead)
    if query.both_asked:  # 目标是多少？实际完成了多少？ with one of them known: that one
        return value_answer(qa, query)
    return None
