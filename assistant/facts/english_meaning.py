"""English facts, what a number means: the indicator named before or after it (else the noun
phrase naming it), its measure from the English words around it, and both ends of a
`from A to B`. The period comes from facts/english.py (EnglishContext)."""

from __future__ import annotations

import re

from ..numbers import Quantity
from . import indicators
from .durations import run_itself
from .english_naming import MEASURED_UNIT, indicator, known_indicator, noun_after
from .measures import RATE_LEVELS
from .periods import Period, one_year

# --- measure ---
_HYPHEN_MOVE = re.compile(r"\s*(?:year-on-year\s+)?(?:increase|growth|rise|drop|decline|cut|reduction|fall|decrease)\b", re.I)
_CUT_OF = re.compile(r"\b(?:cut\w*|reduc\w*)\s+(?:by\s+)?(?:(?:no|not)\s+less\s+than\s+|at\s+least\s+|more\s+than\s+|"
                     r"over\s+|about\s+|around\s+)?$", re.I)
_ADJECTIVE_FALL = re.compile(r"\s*(?:year-on-year\s+)?(?:drop|decline|cut|reduction|fall|decrease)\b", re.I)
_PER_YEAR = re.compile(r"average annual|annual average|average of|annually|per year|a year\b|each year", re.I)
_DECLINE = re.compile(r"\b(?:fell|fall|falls|drop|dropped|drops|cut|cuts|cutting|reduc\w*|decreas\w*|declin\w*|lower\w*|"
                      r"down|lessen\w*|shrank|narrow\w*|saving|save|curb\w*)\b", re.I)
_RISE = re.compile(r"\b(?:grow|grew|grown|growth|grows|increas\w*|rise|rose|risen|rising|rises|up|expand\w*|"
                   r"raise\w*|gain\w*|growing)\b", re.I)
_SHARE = re.compile(r"\b(?:proportion|share|percentage|account\w*\s+for|coverage|contribution)\b", re.I)
_REACH = re.compile(r"\b(?:reach\w*|exceed\w*|(?:rise|risen|rose|increase[sd]?|grow|grew|grown|up|raised?|expand\w*|"
                    r"brought|lift\w*|come|came)\s+to|stood at|stands? at|hit|top\w*|surpass\w*|now)\s+(?:over\s+|more\s+than\s+|"
                    r"around\s+|about\s+|at\s+least\s+)?$", re.I)
_PEOPLE = re.compile(r"^\s*(?:new\s+|more\s+|additional\s+)?(?:[\w-]+\s+){0,4}?(?:jobs|people|residents|persons|"
                     r"graduates|workers|students|opportunities|person-times|visits|tourists|migrants|retirees)\b", re.I)


_FELL_TO = re.compile(r"\b(?:fell|fall|falls|dropped|drop|drops|declined|decreased|reduced|lowered|brought\s+down|"
                      r"cut|down)\s+to\s+(?:just\s+|only\s+|below\s+|under\s+|around\s+|about\s+)?$", re.I)
_BY = re.compile(r"\bby\s+(?:a\s+further\s+|another\s+|more\s+than\s+|over\s+|around\s+|about\s+|"
                 r"at\s+least\s+|nearly\s+|some\s+)?$", re.I)
# relief: `cutting interest liability by 1.2 trillion yuan` is a sum of relief (rule 2), no change
_RELIEF = re.compile(r"\b(?:burdens?|tax(?:es)?|fees|liabilit(?:y|ies))\b", re.I)
_COUNTED = re.compile(r"\s+(?!(?:of|in|to|and|for|at|on|by|from|with|as)\b|[a-z]+ed\s+(?:in|on|at|to|for|as)\b)[a-z]",
                      re.I)
# cuts of capacity in tons or kilowatts (`steel production capacity was cut by more than 65 million metric
# tons`, `shut down at least 150 million metric tons of coal production facilities`, `closed down outdated
# production facilities whose production capacity amounted to …`): a change, not a one-year addition
_CUT = re.compile(r"\b(?:cut|cutting|reduce[ds]?|reducing|shut(?:ting)?\s+down|eliminat(?:e|ed|es|ing)|"
                  r"clos(?:e|ed|es|ing)\s+down|phas(?:e|ed|es|ing)\s+out)\b", re.I)
_CAPACITY_UNITS = {"吨", "千瓦"}
# a rise stated after the amount: `1.2287 trillion yuan for agriculture, …, 186.8 billion yuan more`
# (not `11.13 million more urban residents entered the workforce`: `more` there is `additional`)
_MORE_AFTER = re.compile(r"\s*(?:more|less)\s*(?:than\s+(?:last\s+year|the\s+previous\s+year|budgeted|(?:in\s+)?(?:19|20)\d\d)\b"
                         r"|$)", re.I)


def _last_verb(before: str) -> str:
    """'growth' or 'change' after the verb of rising or falling nearest before the number."""
    rise = max((m.end() for m in _RISE.finditer(before)), default=-1)
    fall = max((m.end() for m in _DECLINE.finditer(before)), default=-1)
    return "" if rise == fall else "growth" if rise > fall else "change"


def reaches(before: str) -> bool:
    """`reached`, `exceeded`, `rose to`, `increasing the length of railways to`: a level reached."""
    return bool(_REACH.search(before[-50:]) or _RISE.search(before) and re.search(
        r"\bto\s+(?:over\s+|more\s+than\s+|around\s+|about\s+|at\s+least\s+)?$", before))


def measure(before: str, after: str, q: Quantity, indicator_id: str, period: Period) -> str:
    """What an English number measures, from the words around it in its segment."""
    if q.unit == "个百分点":
        return "pp_change"
    near, head, wide = before[-50:], after[:30], before[-120:]
    known = indicators.get(indicator_id)
    if q.unit == "%" and (q.raw.endswith("-percent") or re.search(r"percent$", q.raw)) and _HYPHEN_MOVE.match(after):
        return "change" if _ADJECTIVE_FALL.match(after) else "growth"  # a 6.7-percent increase, a 50 percent cut
    if _FELL_TO.search(near):  # the poverty headcount ratio fell to 0.6%, the rise in the CPI fell to 2.6%: no change
        rate = "growth" if known and known.measure == "growth" else "level" if indicator_id in RATE_LEVELS else "share"
        return rate if q.unit == "%" \
            else "count" if period.annual and not q.unit and _COUNTED.match(after) else "level"
    if (re.search(r"average annual|annual average|annually|per year|a year\b", near + " " + head, re.I) or (
            not period.annual and re.match(r"\s*(?:annual|yearly)\s+(?:increase|growth|rise)", head, re.I))) and (
            q.unit == "%" or re.search(r"average", near, re.I)):
        return "avg_growth"  # grow at an average annual rate of 7.8%; increase by 7% per year
    if q.unit == "%":
        if re.match(r"\s*of\b", after) and _CUT_OF.search(near):
            return "change"  # cutting no less than 5 percent of their general expenditures
        if _BY.search(near) and not _SHARE.search(wide) and (verb := _last_verb(before)):
            return verb  # increased the number of students … by a further 10.5%; reducing prices … by 5%
        if _SHARE.search(wide) or re.match(r"\s*of\b", after):
            return "share"  # 50.5% of GDP, 95% of overseas-funded projects
        if indicator_id in RATE_LEVELS:
            return "level"  # unemployment kept within 4.5%, deficit-to-GDP ratio of 3%
        if _DECLINE.search(near[-40:]):
            return "change"
        if _RISE.search(near[-40:]) or _RISE.search(head[:12]):
            return "growth"
        return known.measure if known else "share"
    if re.match(r"\s*(?:\w+\s+){0,4}(?:per\s+day|daily)\b", after):
        return "level"  # an average net increase of over 10,000 businesses daily: each day's number
    if _MORE_AFTER.match(after) or q.unit == "元" and period.annual and _BY.search(near) and not _RELIEF.search(
            wide) and _last_verb(before) == "growth":
        # 186.8 billion yuan more; raise the average floor prices for wheat and rice by 7.4 yuan (other units
        # `increased by`: the labels take the amount added, `expanded the railway system by 16,000 km`, as a total)
        return "change"
    if re.search(r"increase of\s+(?:more than\s+|over\s+|around\s+|about\s+)?$", near, re.I):
        return "change"  # …reached 290 million kW, an increase of 33.56 million kW
    if _RELIEF.search(wide) or MEASURED_UNIT.match(after) or re.match(r"\s*(?:\w+\s+){0,4}(?:per\s+day|daily)\b", after):
        return "level" if period.annual else "total"  # cut burdens by 500 billion yuan; 1.33 million hectares
    if re.search(r"increase of\s+(?:more than\s+|over\s+|around\s+|about\s+)?$", near, re.I) or \
            _DECLINE.search(near[-35:]) and not reaches(before) or _DECLINE.search(before) and _BY.search(near) \
            or re.match(r"[^,;]{0,40}\bout of poverty\b", after):
        return "change"  # an increase of 560 billion yuan; reduced the number of the poor by 14.42 million
    if not period.annual and not reaches(before):  # (`Total government revenue reached …`: a level reached)
        return "total"  # 64 million urban jobs were created (over five years)
    if not q.unit and period.annual and not _PEOPLE.match(after) and _COUNTED.match(after) and not re.search(
            r"\$\s*$", before):
        return "count"  # 7.72 million government-subsidized housing units
    return "level"


# the span a sum is over, named right after its number: `over the past five years`, `for the five-year period`
_SPAN_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:over|for|in|during)\s+the\s+(?:past\s+|last\s+)?(?:five|three|two)"
                         r"(?:\s+years|-year\s+period)\b", re.I)
# the base year of a rise, named right after its number: `an increase of 65.5% over 2002`, `grew by 60.98% compared to 2002`
_RISE_BASE_AFTER = re.compile(r"\s*(?:[a-z]+\s+){0,2}?(?:over|compared\s+(?:to|with)|than(?:\s+in)?)\s+((?:19|20)\d{2})\b(?!\s*(?:to|through)\s)", re.I)
_EACH_YEAR_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:annually|a\s+year|per\s+year|each\s+year|every\s+year)\b", re.I)
_NUMBER_OF_THINGS = re.compile(r"\bthe\s+number\s+of\s+(?!(?:people|persons|residents|workers|students|tourists|"
                               r"individuals|visitors|passengers|employees)\b)[a-z]", re.I)
_FROM = re.compile(r"\bfrom\s+(?:less\s+than\s+|more\s+than\s+|over\s+|about\s+|around\s+|nearly\s+)?(?:US\s?)?\$?$", re.I)
_TO_AFTER = re.compile(r"[\s%$]*(?:[a-z0-9]+\s+){0,6}?to\s+(?:[a-z]+\s+){0,2}?(?:US)?\$?\d", re.I)
_TO_BEFORE = re.compile(r"^[\s%$]*(?:[a-z0-9]+\s+){0,6}?to\s+(?:over\s+|more\s+than\s+|about\s+|around\s+)?(?:US\s?)?\$?$", re.I)


def from_to(clause: str, quantities: list[Quantity], i: int) -> str:
    """'from' / 'to' when quantity i is one end of `rose from A (in 2007) to B (in 2012)`, else ''."""
    q = quantities[i]
    if _FROM.search(clause[:q.start]) and _TO_AFTER.match(clause, q.end):
        return "from"
    prior = quantities[i - 1] if i else None
    if prior and _FROM.search(clause[:prior.start]) and _TO_BEFORE.match(clause[prior.end:q.start]):
        return "to"
    return ""


def _end_measure(q: Quantity, indicator_id: str, before: str) -> str:
    if not q.unit and q.value < 1e5 and _NUMBER_OF_THINGS.search(before):
        return "count"  # The number of diseases covered … rose from 7 to 15 (2008_en): things counted
    if q.unit != "%":
        return "level"
    if indicator_id in RATE_LEVELS:
        return "level"
    return "growth" if re.search(r"\bgrowth\b|\bincrease in\b", before, re.I) else "share"


_OWN_YEAR = re.compile(r"[^,;]{0,30}?\b(?:in|at\s+the\s+end\s+of|by)\s+(?:19|20)\d\d", re.I)
# a span every year of which held the figure (README rule 1's exception): `… in each of the past five years`
_EACH_YEAR = re.compile(r"\b(?:each|every)\s+(?:one\s+)?of\s+the\s+(?:past|last)\b", re.I)
_OF_GDP_AFTER = re.compile(r"\s*of\s+(?:the\s+)?(?:GDP|gross\s+domestic\s+product)\b", re.I)


_BASE_AFTER = re.compile(r"\s+the\s+((?:19|20)\d{2})\b")


def _doubled(after: str, found: tuple[str, str], period: Period) -> tuple[tuple[str, str], Period, str]:
    """What doubles (named after the verb) and over which years: from the year after a base year
    named (`double the 2010 GDP` by 2020: 2011-2020), else the period of the sentence."""
    known = indicators.first_in_text(after[:40], "en")
    noun = noun_after(re.sub(r"^\s*(?:the\s+)?(?:(?:19|20)\d{2}\s+)?", " ", after))
    indicator = (known[0], known[1]) if known else (noun, noun) if noun else found
    if (base := _BASE_AFTER.match(after)) and int(base.group(1)) < period.end:
        period = Period(int(base.group(1)) + 1, period.end, f"{int(base.group(1)) + 1}-{period.end}")
    return indicator, period, "change"


# a tax's rate is its level (2019_en labels), not a share: named in the sentence, the number after `rate of`,
# `level`, `at`, `to`, `from` (`cut … by 3 percentage points` stays a change)
_TAX = re.compile(r"\b(?:VAT|value-added\s+tax|tax|taxes|tariffs?|bracket|(?:pension|insurance|social\s+security)\s+"
                  r"contributions?)\b", re.I)
_RATE_AT = re.compile(r"\b(?:rates?|level|at|to|from|of)\s+(?:(?:around|about|just|only)\s+)?$", re.I)
_RUN_AFTER = re.compile(r"\s+(?:consecutive|straight|successive|years?\s+in\s+a\s+row|years?\s+running)\b", re.I)
_PEOPLE_AFTER = re.compile(r"\s*(?:Chinese\s+)?(?:people|citizens)\b", re.I)
_OF_PEOPLE_BEFORE = re.compile(r"\b(?:of|for|with|has|have|China's|our)\s+(?:almost\s+|over\s+|more\s+than\s+|nearly\s+|"
                               r"some\s+)?$", re.I)
_POPULATION_BEFORE = re.compile(r"\bpopulation\s+of\s+(?:over\s+|more\s+than\s+|nearly\s+|about\s+)?$", re.I)


def _is_population(q: Quantity, before: str, after: str) -> bool:
    """`the food supply of China's 1.3 billion people`, `a population of over 1.3 billion`; not
    `health insurance plans cover 1.35 billion people` (the people a scheme covers)."""
    people = _PEOPLE_AFTER.match(after) or q.unit == "人" and re.search(r"\b(?:people|citizens)$", q.raw)
    return bool(people and _OF_PEOPLE_BEFORE.search(before) or _POPULATION_BEFORE.search(before))


def meaning(clause: str, quantities: list[Quantity], i: int, period: Period, previous: tuple[str, str],
            report_year: int, sentence_before: str = "") -> tuple[tuple[str, str], Period, str]:
    """(indicator, period, measure) of quantity i of an English clause (`sentence_before`: the
    clauses of its sentence before it)."""
    q = quantities[i]
    low = quantities[i - 1].end if i else 0
    high = quantities[i + 1].start if i + 1 < len(quantities) else len(clause)
    before, after = clause[low:q.start], clause[q.end:high]
    ends = from_to(clause, quantities, i)
    found = indicator(before, after, q, previous) if ends != "to" else previous
    after_run = i and quantities[i - 1].unit == "年" and _RUN_AFTER.match(clause[quantities[i - 1].end:])
    if after_run and not indicators.get(found[0]):
        found = previous  # grain output rose four consecutive years to reach 501.5 million tons: still grain
    if not found[0] or (not i and not known_indicator(before) and previous[0] and _DECLINE.fullmatch(before.strip())) \
            or re.search(r"\d{4}|\bend of\b", found[0]):
        found = previous
    if ends:  # the level at each end (the base year: the one before the span)
        if ends == "from" and (not period.annual or period.end <= report_year and not _OWN_YEAR.match(after)):
            # a review's `from 120 yuan … to 200 yuan`: the year before; in the plans (increase the subsidy
            # from 320 yuan to 380 yuan) last year's level, as the Chinese 从…提高到
            period = one_year(period.start - 1)
        elif not period.annual and period.end < report_year:  # a target's end keeps its span
            period = one_year(period.end)
        return found, period, _end_measure(q, found[0], clause[:q.start])
    if q.raw.lower().startswith(("doubl", "halv")):  # double the 2010 GDP: a rise of 100% (翻番, rule 5); halved: a cut of 50%
        return _doubled(after, found, period)
    if q.unit == "次":  # reduced required reserve ratios four times: the year's moves, a level
        return found, period, "level"
    if q.unit == "年" and re.search(r"\b(?:within|in)\s+$", before) and period.annual and period.start >= report_year:
        end = period.start + int(q.value) - 1  # within three years (2009 plans): 2009-2011
        return found, Period(period.start, end, f"{period.start}-{end}"), "level"
    if q.unit == "年" and _RUN_AFTER.match(after):  # for two consecutive years: the n years it names
        reviewed = one_year(report_year - 1) if period.end < report_year else period  # ends in the year reviewed
        return found, run_itself(q, "", reviewed, report_year), "level"
    if q.value >= 1e9 and _is_population(q, before, after):  # a billion: the country's people
        # `the food supply of China's 1.3 billion people` in the plans: the population as last counted
        # (2011_en, 2014_en, 2017_en, 2020_en labels: a result of the year before), never a target
        year = report_year - 1 if period.end >= report_year else period.end
        return ("population", "population"), one_year(year), "level"
    if q.unit == "%" and _OF_GDP_AFTER.match(after) and (
            re.search(r"\bdeficit", clause[:q.start], re.I) or "deficit" in (found[0], previous[0])):
        return ("deficit_ratio", "deficit"), period, "level"  # the deficit will decrease to around 2% of GDP
    lead = before if i and not re.fullmatch(r"[\s,]*(?:and|or|to|and by|respectively)?[\s,]*", before) else (
        clause[:quantities[i - 1].start] if i else clause[:q.start])
    meant = measure(clause[:q.start] if reaches(clause[:q.start]) else lead, after, q, found[0], period)
    if q.unit == "%" and _BY.search(lead[-50:]) and not _last_verb(clause[:q.start]) and not _SHARE.search(
            clause[:q.start]) and (verb := _last_verb(sentence_before[-200:])):
        meant = verb  # …fell by 19.1%, chemical oxygen demand by 12.45%: the list's verb holds
    if q.unit == "%" and meant in ("share", "change", "growth") and _TAX.search(sentence_before[-200:] + clause[:q.start]) \
            and _RATE_AT.search(clause[:q.start]) and not _BY.search(clause[:q.start][-50:]) \
            and not _SHARE.search(clause[:q.start]):  # the proportion of R&D expenses covered by a deduction: a share
        meant = "level"  # reduce the current (VAT) rate of 16 percent …, the overall tariff level from 9.8 to 7.5 percent
    if not period.annual and period.end < report_year and meant == "total" and re.search(
            r"\b(?:are|is)\s+now\b|\bnow\s+(?:covers?|exceeds?|has|have|stands?|serves?)\b", clause, re.I):
        meant = "level"  # 790 million people are now covered, … now covers 86% (a term's review): the stock at its end
    if not period.annual and meant == "total" and _EACH_YEAR_AFTER.match(after):
        meant = "level"  # We spent approximately 100 billion yuan annually (2013_en's term review): each year's
    summed_over = not period.annual and period.end < report_year and q.unit != "%" and _SPAN_AFTER.match(after)
    if summed_over and meant == "level":
        meant = "total"  # allocations … reached 1.6 trillion yuan over the past five years (2008_en): their sum
    if not summed_over and not period.annual and period.end < report_year and meant in ("level", "share") and not _EACH_YEAR.search(
            clause) and (
            reaches(clause[:q.start]) or re.search(r"\bnow\b", clause, re.I)):
        period = one_year(period.end)  # railways in service reached 121,000 km (by the plan's end)
    capacity = q.unit in _CAPACITY_UNITS or re.match(r"\s*(?:metric\s+tons|kilowatts|kw)\b", after, re.I)
    if capacity and meant in ("level", "total") and _CUT.search(clause[:q.start]) and not (
            re.search(r"\b(?:reach\w*|total\w*)\s+(?:\w+\s+){0,2}$", clause[:q.start], re.I)):
        meant = "change" if period.annual else "total"
    base = _RISE_BASE_AFTER.match(after)
    if base and period.end < report_year and int(base.group(1)) < period.start and meant in ("growth", "change"):
        first = int(base.group(1)) + 1  # GDP in 2007 …, an increase of 65.5% over 2002 (2008_en): over 2003-2007
        period = Period(first, period.end, f"{first}-{period.end}")
    if meant == "growth" and not period.annual:
        meant = "change"  # a rise over several years that is not an annual average
    return found, period, meant
