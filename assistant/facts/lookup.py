"""Finding the fact a question means: an indicator, a measure, a place and a period.

The target of year Y is read from Y's report; the result of year Y from the review of the
Y+1 report (else a later one). Among several matching facts of one report the one in the
主要预期目标 list (or a review headline) wins, then a ledger commitment, then the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..types import KIND_RESULT, KIND_TARGET, Fact
from . import indicators
from .measures import _AVERAGE
from .periods import all_cues

# Words that put a figure over several years beside an average (measures._AVERAGE): a sum, each
# year of a span, a plan period.
_SPAN_WORDS = re.compile(r"每年|累计|五年内|五年间|五年来|今后五年|未来五年|过去五年|"
                         r"\b(?:per year|each year|every year|cumulative|in total|"
                         r"over the (?:past|last|next) (?:five|three|\d) years|five-year|Five-Year Plan)\b", re.I)


def default_measure(indicator_id: str) -> str:
    found = indicators.get(indicator_id)
    return found.measure if found else "level"


def states_a_span(text: str, year: int) -> bool:
    """Whether a sentence gives a figure over several years (年均增长5%左右, 五年累计, 十四五时期,
    average annual), not one year's: read with the facts' own period cues."""
    return bool(_AVERAGE.search(text) or _SPAN_WORDS.search(text)) or any(not period.annual for _, _, period in all_cues(text, year))


def _rank(fact: Fact) -> tuple:
    """Headline list first, then ledger commitments, then facts whose clause opens with the
    indicator (全省地区生产总值… rather than 东莞长安成为全省第3个地区生产总值超过1000亿元)."""
    buried = fact.text.find(fact.indicator_text) > 4 if fact.indicator_text else True
    return (not fact.headline, not fact.commitment, buried, fact.start)


def matching(facts: Iterable[Fact], indicator: str, *, kind: str | None = None,
             measure: str | None = None, period: tuple[int, int] | None = None,
             regions: Iterable[str] | None = None, level: str | None = None,
             report_years: Iterable[int] | None = None, language: str | None = None) -> list[Fact]:
    """Facts of `indicator` meeting every given condition, best first within each report."""
    regions = set(regions or ())
    years = set(report_years or ())
    out = [f for f in facts
           if f.indicator == indicator
           and (kind is None or f.kind == kind)
           and (measure is None or f.measure == measure)
           and (period is None or (f.period_start, f.period_end) == tuple(period))
           and (not regions or f.region in regions)
           and (level is None or f.level == level)
           and (not years or f.year in years)
           and (language is None or f.language == language)]
    return sorted(out, key=lambda f: (f.report, *_rank(f)))


def best_per_report(facts: Iterable[Fact]) -> dict[str, Fact]:
    best: dict[str, Fact] = {}
    for fact in sorted(facts, key=lambda f: (f.report, *_rank(f))):
        best.setdefault(fact.report, fact)
    return best


def annual_target(facts: Iterable[Fact], indicator: str, measure: str, year: int, **where) -> dict[str, Fact]:
    """Per report: the target set for `year` in `year`'s own report."""
    found = matching(facts, indicator, kind=KIND_TARGET, measure=measure, period=(year, year),
                     report_years=[year], **where)
    return best_per_report(found)


def annual_result(facts: Iterable[Fact], indicator: str, measure: str, year: int, **where) -> dict[str, Fact]:
    """Per region: the result of `year` from the earliest later report that states it."""
    found = matching(facts, indicator, kind=KIND_RESULT, measure=measure, period=(year, year), **where)
    by_region: dict[tuple, Fact] = {}
    for fact in sorted(found, key=lambda f: (f.year or 0, *_rank(f))):
        if (fact.year or 0) > year:
            by_region.setdefault((fact.level, fact.region), fact)
    return {f.report: f for f in by_region.values()}


def format_value(fact: Fact) -> str:
    """'5%左右', '4.5–5%', '1200万人以上': the value as a reader expects it."""
    number = _short(fact.value)
    if fact.value_max is not None:
        number = f"{number}–{_short(fact.value_max)}"
    qualifier = fact.qualifier if fact.qualifier != "区间" else ""
    if qualifier in ("不低于", "不超过", "超过", "突破", "力争", "约", "近"):
        return f"{qualifier}{number}{fact.unit}"
    return f"{number}{fact.unit}{qualifier}"


def _short(value: float | None) -> str:
    if value is None:
        return ""
    for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        scaled = value / size
        if abs(value) >= size and abs(round(scaled, 4) - scaled) < 1e-9:
            return f"{round(scaled, 4):g}{word}"
    return f"{value:g}"


class FactsIndex:
    """The facts of one index generation grouped by indicator and by (indicator, report year),
    in the facts' order, built once: a question looks up its indicator's facts, not all 18,000."""

    def __init__(self, facts: Iterable[Fact]):
        self.by_indicator: dict[str, list[Fact]] = {}
        self.by_year: dict[tuple[str, int | None], list[Fact]] = {}
        self.years: dict[str, list[tuple[int | None, list[Fact]]]] = {}  # per indicator, keys' order
        self.by_place: dict[tuple[str, str], list[Fact]] = {}  # (indicator, region or "level:…")
        self.by_report: dict[tuple[str, str], list[Fact]] = {}  # (indicator, report id)
        self.headlines: list[Fact] = []
        for fact in facts:
            self.by_indicator.setdefault(fact.indicator, []).append(fact)
            key = (fact.indicator, fact.year)
            if key not in self.by_year:
                self.by_year[key] = []
                self.years.setdefault(fact.indicator, []).append((fact.year, self.by_year[key]))
            self.by_year[key].append(fact)
            self.by_place.setdefault((fact.indicator, fact.region), []).append(fact)
            self.by_place.setdefault((fact.indicator, f"level:{fact.level}"), []).append(fact)
            self.by_report.setdefault((fact.indicator, fact.report), []).append(fact)
            if fact.headline:
                self.headlines.append(fact)

    def _place(self, indicator: str, regions, level) -> list[Fact] | None:
        """The facts of one place (one region, else one level) in the facts' order: what
        `matching(regions=, level=)` keeps of them, found without walking every place's
        (16× corpus: 16× as many facts per indicator). None: no place to narrow by."""
        if regions and len(regions) == 1:
            return [f for f in self.by_place.get((indicator, regions[0]), []) if not level or f.level == level]
        if level and not regions:
            return self.by_place.get((indicator, f"level:{level}"), [])
        return None

    def of(self, indicator: str, year: int | None = None, regions=None, level=None) -> list[Fact]:
        """Every fact of one indicator, or of its reports of `year`; of one place if given."""
        place = self._place(indicator, regions, level)
        if place is None:
            return self.by_indicator.get(indicator, []) if year is None else self.by_year.get((indicator, year), [])
        return place if year is None else [f for f in place if f.year == year]

    def in_report(self, indicator: str, report_id: str) -> list[Fact]:
        """The facts of one indicator in one report, in the facts' order: what `of(indicator,
        the report's year)` holds of that report (at 16× a year has 16 reports' facts)."""
        return self.by_report.get((indicator, report_id), [])

    def after(self, indicator: str, year: int, regions=None, level=None) -> list[Fact]:
        """The facts of one indicator in reports of years after `year` (each report's in order,
        the reports' years in the order the whole ledger has them)."""
        place = self._place(indicator, regions, level)
        if place is None:
            return [f for y, facts in self.years.get(indicator, ()) if y and y > year for f in facts]
        by_year: dict[int | None, list[Fact]] = {}
        for fact in place:
            if fact.year and fact.year > year:
                by_year.setdefault(fact.year, []).append(fact)
        return [f for y, _ in self.years.get(indicator, ()) for f in by_year.get(y, ())]

    def headline_targets(self, year: int, regions=None, level=None) -> list[Fact]:
        """The annual targets of the 主要预期目标 list of `year`'s report(s) of a place."""
        known = indicators.load_indicators()
        return [f for f in self.headlines if f.kind == "target" and f.year == year
                and f.indicator in known and f.measure != "count"
                and f.period_start == f.period_end == year and f.language == "zh"
                and (not regions or f.region in regions) and (not level or f.level == level)]

