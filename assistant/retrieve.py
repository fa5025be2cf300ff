"""Hybrid retrieval: BM25 and dense ranks fused by reciprocal rank fusion, restricted to the
reports the question's constraints (and the user's filters) allow.

Score meaning: the fused score of a passage is
    sum over retrievers r of  weight_r / (rrf_k + rank_r)        (rank from 1)
times a boost (>1) when the passage's part matches what the question asks (target -> plans,
result -> review). Higher is better; it is a rank statistic, comparable only within one query.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import numpy as np

from .search.bm25_index import Ranges, row_ranges
from .settings import Settings
from .types import PART_GLOSSARY, PART_PLAN, PART_REVIEW, Hit, Report
from .understand.constraints import QUESTION_FILLER, Constraints, canonical_terms, search_text

PART_BOOST = 1.15  # a passage in the part the question asks about (target/result)
TARGET_ITEM_BOOST = 1.1  # an item of a 主要预期目标 list, for a target question
PREFERRED_YEAR_BOOST = 1.15  # the report year the question most likely means (see make_scope)
GLOSSARY_BOOST = 1.5  # a glossary entry, for "什么是…？"

# English words -> Chinese terms, so BM25 can also serve English questions over Chinese reports.
EN_ZH_TERMS = {
    "gdp": "生产总值", "growth": "增长", "target": "目标", "deficit": "赤字率 赤字",
    "unemployment": "失业率", "jobs": "城镇新增就业", "employment": "就业", "urban": "城镇",
    "grain": "粮食产量", "cpi": "居民消费价格", "consumer": "居民消费价格", "prices": "价格",
    "investment": "投资", "budget": "预算", "central": "中央", "bonds": "债券",
    "special-purpose": "专项债券", "treasury": "国债", "energy": "能耗", "income": "收入",
    "poverty": "贫困 脱贫", "rural": "农村", "forest": "森林覆盖率", "coverage": "覆盖率",
    "education": "教育", "health": "医疗 卫生", "pension": "养老", "housing": "住房",
    "tax": "税", "fees": "费", "carbon": "碳", "emissions": "排放", "pm2.5": "PM2.5",
    "research": "研发", "r&d": "研发", "trade": "外贸", "exports": "出口", "railway": "铁路",
    "highway": "公路", "glossary": "名词解释", "digital": "数字", "population": "人口",
    "farmland": "高标准农田", "fiscal": "财政", "revenue": "收入", "expenditure": "支出",
    "output": "产量 总产值", "economy": "生产总值", "economic": "经济", "mu": "亩",
    "afforestation": "造林 植树", "surveyed": "调查", "bond": "债券", "ultra-long": "超长期",
    "special": "专项 特别", "leading": "主导", "industries": "产业", "industry": "产业",
    "inflation": "居民消费价格", "households": "户", "villages": "村", "schools": "学校",
    "hospitals": "医院", "kilometers": "公里", "tourism": "旅游", "manufacturing": "制造业",
    "technology": "科技", "innovation": "创新", "reform": "改革", "ecological": "生态",
    "water": "水", "air": "空气", "quality": "质量", "days": "天数", "good": "优良",
    "per": "人均", "capita": "人均", "disposable": "可支配", "residents": "居民",
}


@dataclass(frozen=True)
class Scope:
    """Which passages a search may return, and which report years it prefers."""

    mask: np.ndarray  # bool over store.passages
    preferred_years: frozenset[int]
    reports: frozenset[str] = frozenset()  # the reports allowed (those with passages have rows in `mask`)
    ranges: Ranges | None = None  # the rows of `mask` as [start, stop) pairs: BM25 scores only those


def report_years(c: Constraints) -> set[int]:
    """Report years that can answer. A report reviews the year before it and plans its own
    year, so a result (or a plain fact) of year Y may stand in the Y+1 report; a target only in Y's."""
    if c.report_year:
        return {c.report_year}
    years = set(c.years)
    if c.year_span:
        years |= set(range(c.year_span[0], c.year_span[1] + 1))
    if c.intent != "target":
        years |= {y + 1 for y in years}
    return years


def report_allowed(report: Report, c: Constraints, filters: dict, years: set[int] | None = None) -> bool:
    years = report_years(c) if years is None else years
    if years and report.year not in years:
        return False
    if filters.get("year_from") and (report.year or 0) < int(filters["year_from"]):
        return False
    if filters.get("year_to") and (report.year or 9999) > int(filters["year_to"]):
        return False
    for key in ("level", "region", "language"):
        if filters.get(key) and getattr(report, key) != filters[key]:
            return False
    if c.regions and report.region not in c.regions:
        return False
    if c.local_region and report.region != c.local_region:
        return False
    return not (c.level and report.level != c.level)


def default_level(reports: dict[str, Report], c: Constraints, filters: dict, years: set[int]) -> str:
    """With no place named and a year asked, the national reports answer when the corpus has
    any (a year without one is then said plainly: 资料库中没有2025年国务院政府工作报告, rather
    than a guess among 31 provinces); a corpus without national reports (one county's, a
    province's) answers from what it has."""
    if c.level or c.regions or c.local_region or filters.get("level") or filters.get("region"):
        return c.level
    has_national = any(r.level == "national" for r in reports.values())
    return "national" if years and has_national else ""


SCOPES_KEPT = 256  # scopes kept per store: a multi-year or follow-up question asks for the same again


def _scope_key(c: Constraints, filters: dict) -> tuple:
    """Everything of the question a scope depends on (report_allowed, default_level, the
    language preference, the preferred years)."""
    return (tuple(c.years), c.year_span and tuple(c.year_span), c.report_year, c.intent, c.level, tuple(c.regions),
            c.local_region, c.language, tuple(sorted((k, repr(v)) for k, v in filters.items())))


_SCOPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> {scope key: Scope}


def make_scope(store, c: Constraints, filters: dict | None) -> Scope:
    """The question's scope, computed once per store and question shape (at 16× testing 2,080
    reports cost ≈ 8 ms a call); its mask is read-only."""
    filters = filters or {}
    try:
        cache = _SCOPES.setdefault(store, {})
    except TypeError:  # a store that cannot be weakly referenced: not cached
        cache = {}
    key = _scope_key(c, filters)
    if (scope := cache.get(key)) is None:
        scope = _make_scope(store, c, filters)
        scope.mask.flags.writeable = False
        scope.ranges.flags.writeable = False
        if len(cache) >= SCOPES_KEPT:
            cache.pop(next(iter(cache)))
        cache[key] = scope
    return scope


def _make_scope(store, c: Constraints, filters: dict) -> Scope:
    years = report_years(c)
    c = replace(c, level=default_level(store.reports, c, filters, years))
    by_year = getattr(store, "reports_by_year", None) if years else None
    candidates = ((rid, store.reports[rid]) for y in years for rid in by_year.get(y, ())) if by_year is not None \
        else store.reports.items()  # a year asked: only that year's reports can pass
    allowed_ids = {rid for rid, rep in candidates if report_allowed(rep, c, filters, years)}
    allowed_ids = prefer_question_language(store.reports, allowed_ids, c.language)
    mask = np.zeros(len(store.passages), dtype=bool)
    ranges = row_ranges(store.rows_of(rid) for rid in allowed_ids)
    for start, stop in ranges:
        mask[start:stop] = True
    # a result of year Y is in the Y+1 report's review; anything else first in Y's own report
    preferred = {y + 1 for y in c.years} if c.intent == "result" else set(c.years)
    return Scope(mask, frozenset(preferred), frozenset(allowed_ids), ranges)


def prefer_question_language(reports: dict[str, Report], allowed: set[str], language: str) -> set[str]:
    """Where a report exists in the question's language and another (a translation) for the same
    year and place, keep the one in the question's language."""
    def key(rid: str) -> tuple:
        return reports[rid].year, reports[rid].level, reports[rid].region

    in_language = {key(rid) for rid in allowed if reports[rid].language == language}
    return {rid for rid in allowed if reports[rid].language == language or key(rid) not in in_language}


def newest_year(store, c: Constraints, filters: dict | None) -> int | None:
    """The newest report year among the reports the question's place allows."""
    scope_years = report_years(c)
    c = replace(c, level=default_level(store.reports, c, filters or {}, {0}))  # 今年: the newest national report, if any
    years = [rep.year for rep in store.reports.values()
             if rep.year and report_allowed(rep, c, filters or {}, scope_years)]
    return max(years) if years else None


def chinese_terms(query: str, lexicon: dict[str, str] | None = None) -> str:
    """Chinese terms for the English words of `query`: the hand-made table first, then the
    lexicon mined from the corpus's parallel sentences (assistant/lexicon.py)."""
    lexicon = lexicon or {}
    words = [w.strip("?,.!;:'\"()").lower().removesuffix("'s") for w in query.split()]
    terms = [EN_ZH_TERMS.get(w) or EN_ZH_TERMS.get(w.rstrip("s")) or lexicon.get(w) for w in words
             if w not in QUESTION_FILLER]
    return " ".join(t for t in terms if t)


def expand_english(query: str, lexicon: dict[str, str] | None = None) -> str:
    extra = chinese_terms(query, lexicon)
    return f"{query} {extra}" if extra else query


def dense_counts(store, settings: Settings) -> bool:
    """Whether the dense ranks can change a fused score: the store has vectors and they weigh."""
    return settings.dense_weight > 0 and bool(getattr(store, "dense_ready", True))


def hybrid_search(store, query: str, c: Constraints, scope: Scope, settings: Settings,
                  k: int | None = None) -> list[Hit]:
    k = k or settings.top_k
    if not scope.mask.any():
        return []
    bm25_query = search_text(query, c)
    lexicon = getattr(store, "lexicon", None)
    bm25_query = expand_english(bm25_query, lexicon) if c.language == "en" else bm25_query
    if (canonical := canonical_terms(bm25_query)) != bm25_query:
        bm25_query = f"{bm25_query} {canonical}"
    ranked = {"bm25": store.bm25_search(bm25_query, settings.candidates, scope.mask, ranges=scope.ranges)}
    if dense_counts(store, settings):  # else the query embedding is never computed
        ranked["dense"] = store.dense_search(query, settings.candidates, scope.mask)
    weights = {"bm25": settings.bm25_weight, "dense": settings.dense_weight}
    fused: dict[int, float] = {}
    sources: dict[int, list[str]] = {}
    for name, pairs in ranked.items():
        for rank, (row, _score) in enumerate(pairs, start=1):
            fused[row] = fused.get(row, 0.0) + weights[name] / (settings.rrf_k + rank)
            sources.setdefault(row, []).append(name)
    for row in fused:
        fused[row] *= _boost(store, row, c, scope)
    best = sorted(fused, key=fused.get, reverse=True)[:k]
    if prime := getattr(store, "prime", None):  # the evidence scorer reads these passages next
        prime(best)
    return [Hit(store.passages[row], fused[row], tuple(sources[row])) for row in best]


def _boost(store, row: int, c: Constraints, scope: Scope) -> float:
    passage = store.passages[row]
    boost = 1.0
    if (c.intent == "target" and passage.part == PART_PLAN) or (
        c.intent == "result" and passage.part == PART_REVIEW
    ):
        boost *= PART_BOOST
    if c.intent == "target" and passage.kind == "target_item":
        boost *= TARGET_ITEM_BOOST
    if c.asks_definition and passage.part == PART_GLOSSARY:
        boost *= GLOSSARY_BOOST
    if scope.preferred_years and store.reports[passage.report].year in scope.preferred_years:
        boost *= PREFERRED_YEAR_BOOST
    return boost
