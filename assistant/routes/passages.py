"""Answers from passages, for every question the facts do not answer: the scope of reports
the question allows, hybrid retrieval, the evidence sentence above a calibrated threshold;
a question naming several years gets each year's best sentence; who/when/where a report was
delivered comes from its delivery lines. Refusals say why (资料库中没有…)."""

from __future__ import annotations

import time
from dataclasses import replace

from ..delivery import delivery_evidence
from ..evidence import Evidence, best_evidence, is_paragraph_lead
from ..extractive import compose, refusal
from ..facts import indicators
from ..facts.lookup import states_a_span
from ..numbers import extract_numbers
from ..regions import BY_ID
from ..retrieve import hybrid_search, make_scope, report_years
from ..types import Answer
from ..understand import Constraints, Query


def threshold(qa, c: Constraints) -> float:
    return qa.settings.answer_threshold_en if c.language == "en" else qa.settings.answer_threshold


def refuse(c: Constraints, rewritten: str, reason: str = "") -> Answer:
    return Answer(answer=refusal(c.language, reason), answerable=False, rewritten_question=rewritten,
                  constraints=c.to_dict())


def answer_from(qa, evidence: list[Evidence], c: Constraints, rewritten: str, hits, labels=None) -> Answer:
    good = [ev for ev in evidence if ev.score >= threshold(qa, c)]
    confidence = max((ev.score for ev in evidence), default=0.0)
    if not good:
        answer = refuse(c, rewritten)
        answer.retrieved, answer.confidence = hits, confidence
        return answer
    text, citations = compose(good, qa.reports, c.language, labels)
    return Answer(answer=text, answerable=True, citations=citations, retrieved=hits,
                  rewritten_question=rewritten, constraints=c.to_dict(), confidence=confidence)


def passage_answer(qa, query: Query, filters: dict | None, timings: dict) -> Answer:
    c, rewritten = query.constraints, query.text
    if (len(set(c.years)) >= 2 or c.year_span) and not c.report_year:
        return per_year_answer(qa, query, filters)
    scope = make_scope(qa.store, c, filters)
    if not scope.mask.any():
        return refuse(c, rewritten, missing_report(c))
    started = time.perf_counter()
    hits = hybrid_search(qa.store, rewritten, c, scope, qa.settings)
    timings["retrieve_ms"] = round((time.perf_counter() - started) * 1000, 2)
    if c.delivery and (ev := _delivery(qa, c.delivery, scope, hits)):
        return answer_from(qa, [ev], c, rewritten, hits)
    evidence = best_evidence(hits, rewritten, c, qa.store.tokenizer.tokenize, qa.store.idf,
                             lexicon=qa.store.lexicon, units=getattr(qa.store, "units", None))
    if query.intent == "value" and query.period and query.period[0] != query.period[1]:
        # a figure over a period asked, which no fact answered: only a sentence over several years
        # will do (青海“十四五”期间年均增长了多少 is not answered by 2025's 地区生产总值增长4.1%)
        evidence = [ev for ev in evidence
                    if _names(ev.text, query.indicators) and _gives_a_span_figure(qa, ev, query.indicators)]
        if not evidence or evidence[0].score < threshold(qa, c):
            return refuse(c, rewritten, no_span_figure(query))
    evidence = _from_first_fit(qa, query, evidence, threshold(qa, c))
    return answer_from(qa, with_body(evidence[:1], evidence), c, rewritten, hits)


def _from_first_fit(qa, query: Query, evidence: list[Evidence], floor: float) -> list[Evidence]:
    """The evidence from its best sentence that can answer a figure question: one with a figure
    (in the unit asked) whose facts do not hold for another year or kind (only the first one
    above the floor is looked for: the others are not quoted)."""
    c = query.constraints
    unit = query.unit if query.intent in ("value", "verdict", "yoy") else ""  # not 第几个 (a rank)
    one_year = query.intent in ("value", "verdict") and query.indicators and len(c.years) == 1 and not query.period
    if not (c.asks_number or one_year):
        return evidence
    for i, ev in enumerate(evidence):
        if ev.score < floor:
            break
        if (not c.asks_number or _has_figure(ev.text, unit)) and not (
                one_year and _figures_of_another_year(qa, ev, query, c.years[0])):
            return evidence[i:]
    return []


def _has_figure(text: str, unit: str) -> bool:
    return any(not unit or q.unit == unit for q in extract_numbers(text))


def _figures_of_another_year(qa, ev: Evidence, query: Query, year: int) -> bool:
    """The sentence's figures of the asked indicator, as the Chinese facts read them, all hold for
    another year or kind than asked: 2025年的湖南报告 `地区生产总值增长5.5%左右` is 2025's
    target, no answer to 湖南2024年地区生产总值实际增速是多少 (a sentence without such facts stays)."""
    report = qa.reports[ev.hit.passage.report]
    if report.language != "zh":
        return False  # the translations' facts read periods too poorly to overrule the sentence
    inside = [f for i in query.indicators for f in qa.facts_in_report(i, report.id)
              if ev.start <= f.start < ev.end]
    kinds = {query.kind, "expectation"} if query.kind == "result" else {query.kind}
    return bool(inside) and not any(f.period_start <= year <= f.period_end and (not query.kind or f.kind in kinds)
                                    for f in inside)


def _names(text: str, indicator_ids) -> bool:
    """Whether the sentence names one of the asked indicators (any surface form), or none was read."""
    known = [found for i in indicator_ids if (found := indicators.get(i))]
    lowered = text.lower()
    return not known or any(form.lower() in lowered for ind in known for form in (*ind.zh, *ind.en))


def _gives_a_span_figure(qa, ev: Evidence, indicator_ids) -> bool:
    """A figure in a sentence over several years, no figure of the asked indicator in it read by
    the facts as one year's (5.5%左右的预期增长目标与“十五五”发展目标总体衔接 names the plan but
    sets 2026's target)."""
    report = qa.reports[ev.hit.passage.report]
    figures = [q for q in extract_numbers(ev.text) if not (q.unit == "年" and 1900 <= q.value <= 2100)]
    if not figures or not states_a_span(ev.text, report.year or 0):
        return False
    if report.language != "zh":
        return True  # the translations' facts read periods too poorly to overrule the sentence (2011_en period P 0.49)
    inside = [f for i in indicator_ids for f in qa.facts_in_report(i, report.id)  # the report's facts only
              if ev.start <= f.start < ev.end]
    return not inside or any(f.period_start != f.period_end for f in inside)


def no_span_figure(query: Query) -> str:
    first, last = query.period
    if query.language == "en":
        return f"no report in scope states that figure for {first}–{last} as a whole"
    return f"所检索的报告没有给出{first}—{last}年整个时期的该项数值"


def with_body(chosen: list[Evidence], evidence: list[Evidence]) -> list[Evidence]:
    """A lead that heads its paragraph (深化国际金融中心建设。) says no more than the question: the
    paragraph's best other sentence comes with it, answered under the lead's score."""
    if not chosen or not is_paragraph_lead(chosen[0]):
        return chosen
    lead = chosen[0]
    body = [ev for ev in evidence if ev.hit.passage.start == lead.hit.passage.start and ev.start != lead.start]
    return [lead, replace(body[0], score=lead.score)] if body else chosen


def per_year_answer(qa, query: Query, filters: dict | None) -> Answer:
    """'2019年和2024年的中央预算内投资各是多少？': the best evidence of each year's report."""
    c, rewritten = query.constraints, query.text
    chosen, labels, all_hits = [], [], []
    years = sorted(set(c.years) | (set(range(c.year_span[0], c.year_span[1] + 1)) if c.year_span else set()))
    for year in years:
        single = replace(c, years=[year], year_span=None, report_year=year if c.names_report else None)
        scope = make_scope(qa.store, single, filters)
        hits = hybrid_search(qa.store, rewritten, single, scope, qa.settings)
        evidence = best_evidence(hits, rewritten, single, qa.store.tokenizer.tokenize,
                                 qa.store.idf, lexicon=qa.store.lexicon, units=getattr(qa.store, "units", None))
        if query.intent in ("value", "yoy") and query.indicators:  # each year's sentence must not be another year's figure (青海 2025: 2024's 增长2.7%)
            floor = threshold(qa, c)
            evidence = next((evidence[i:] for i, ev in enumerate(evidence) if ev.score >= floor
                             and not _figures_of_another_year(qa, ev, query, year)), [])
        if evidence and evidence[0].score >= threshold(qa, c):
            chosen.append(evidence[0])
            labels.append(f"{year}" if c.language == "en" else f"{year}年")
            all_hits.extend(hits[:3])
    answer = answer_from(qa, chosen, c, rewritten, all_hits, labels)
    if answer.answerable:
        answer.table = [{"year": label, "quote": cit.quote, "report": cit.report, "n": cit.n}
                        for label, cit in zip(labels, answer.citations, strict=True)]
    return answer


def _delivery(qa, asked: tuple[str, ...], scope, hits) -> Evidence | None:
    """Who/when/where a report was delivered: from its delivery lines, if one report is meant."""
    in_scope = [rid for rid in qa.store.reports if rid in scope.reports and len(qa.store.rows_of(rid))]
    # one report meant (a year's report, or that and the next): else the top hit's report
    candidates = in_scope if len(in_scope) <= 2 else [h.passage.report for h in hits[:1]]
    for rid in candidates:
        ev = delivery_evidence(asked, qa.store.reports[rid], qa.source_text(rid), qa.store.passages_of(rid))
        if ev:
            return ev
    return None


def missing_place(c: Constraints) -> str:
    if c.language == "en":
        return f"the collection has no government work report of {c.unknown_place}"
    return f"资料库中没有{c.unknown_place}的政府工作报告"


def no_regional_figure(query: Query) -> str:
    years = "、".join(str(y) for y in query.years)
    if query.language == "en":
        return f"no provincial report of {years or 'the years asked'} states that figure"
    return f"资料库中{years + '年' if years else ''}的省级政府工作报告没有给出该项数值"


def missing_report(c: Constraints) -> str:
    years = "、".join(str(y) for y in sorted(report_years(c))) or ""
    if c.county:
        who = c.county
    elif c.regions:
        who = "、".join(BY_ID[r].name if r in BY_ID else r for r in c.regions)
    else:
        who = "国务院"
    if c.language == "en":
        who_en = "State Council" if who == "国务院" else ", ".join(c.regions) or who
        return f"the collection has no {years} {who_en} government work report".replace("  ", " ")
    return f"资料库中没有{years}年{who}政府工作报告" if years else f"资料库中没有{who}政府工作报告"
