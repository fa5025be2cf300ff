"""English facts: the official translations' numbers with their indicator, period and measure.

The Chinese rules (extract.py, periods.py, measures.py) read characters; an English sentence
names its indicator before *or after* the number (`GDP grew by 6.9%`, `13.12 million new urban
jobs`), its period before or after it (`in 2015`, `during this five-year period`), and a
translation puts one sentence on a line, so a span named in one line (`During the past five
years, …`) holds for the lines after it. The time rules, English side:

| cue | period |
|---|---|
| `this year`, `for 2016` (the report's year) | Y |
| `last year`, `over the past year`, the review part by default | Y-1 |
| `in 2015`, `for 2015`, `2015's` | 2015 |
| `over the past five years`, `these five years`, `the past three years` | Y-5 … Y-1 (Y-3 …) |
| `the 12th Five-Year Plan (period)`, `the Twelfth Five-Year Plan` | the plan's span |
| `this five-year period`, `the next five years`, in a plan's first year | Y … Y+4 |
| `by 2020`, `by the end of 2020` (later than Y) | Y … 2020 |
| `from 2016 through 2020` | 2016 … 2020 |

A span cue carries to the lines after it until a section break (`Esteemed Deputies`, a
numbered heading) or another cue; a single year does not carry (the part's default holds).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..numbers import Quantity
from ..types import Fact, Passage, Report
from ..words import five_year_plans_by_ordinal
from . import indicators
from .context import TOPIC_CHARS, Context
from .measures import RATE_LEVELS
from .periods import Period, nearest, one_year

_ORDINAL_WORDS = {"sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
                  "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15}
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
_CUES = re.compile(
    r"(?P<plan>\b(?:(?P<ord>\d{1,2})(?:st|nd|rd|th)|(?P<ordw>" + "|".join(_ORDINAL_WORDS) + r"))"
    r"\s+five-year\s+plan(?P<strong>\s+period|\s+\(\d{4}\s*[-–]\s*\d{4}\))?)"
    r"|(?P<span>\b(?:the|these)\s+(?:past|last|previous)?\s*(?P<n>five|three|two|four|ten)\s+years\b)"
    r"|(?P<same>\b(?:during|in|over|throughout)\s+(?:this|that|the\s+same)\s+period\b)"
    r"|(?P<future>\bthis\s+five-year\s+period\b|\b(?:the\s+)?(?:next|coming)\s+five\s+years\b)"
    r"|(?P<last>\b(?<!over\s)(?<!than\s)last\s+year\b|\bthe\s+past\s+year\b|\bin\s+the\s+previous\s+year\b)"
    r"|(?P<this>\bthis\s+year\b)"
    r"|(?P<fromto>\bfrom\s+(?P<fa>(?:19|20)\d{2})\s+(?:through|to)\s+(?P<fb>(?:19|20)\d{2})\b)"
    r"|(?P<deadline>\bby\s+(?:the\s+end\s+of\s+)?(?P<dy>(?:19|20)\d{2})\b)"
    r"|(?P<year>(?<![\d,.$])\b(?P<y>(?:19|20)\d{2})\b(?![\d,.]\d|\s*(?:yuan|people|kilometers|km|tons)))",
    re.I)
# a span named after the number still belongs to its sentence: `at least 6.5% during this period`
_AFTER_CUE = re.compile(r"^(?:[^.;]|\.(?=\d))*?\b(?:in|during|over|for|by|this|at)\b", re.I)
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")
_SECTION_BREAK = re.compile(r"^(?:Esteemed Deputies|Fellow Deputies|[IVX]+\.\s|\d{1,2}\.\s)", re.M)


def _plan_span(m: re.Match) -> tuple[int, int] | None:
    number = int(m.group("ord")) if m.group("ord") else _ORDINAL_WORDS[m.group("ordw").lower()]
    return five_year_plans_by_ordinal().get(number)


def _period_of(m: re.Match, year: int) -> Period | None:
    if m.group("plan"):
        span = _plan_span(m)
        # a plan named in passing is no period; it is one when called a period, in its first
        # year (the new plan) or once it is over (its review), as in periods.py
        if span and (m.group("strong") or year == span[0] or year > span[1]):
            return Period(span[0], span[1], f"{span[0]}-{span[1]}")
        return None
    if m.group("span"):
        n = _NUMBER_WORDS[m.group("n").lower()]
        return Period(year - n, year - 1, f"{year - n}-{year - 1}")
    if m.group("future"):
        return Period(year, year + 4, f"{year}-{year + 4}")
    if m.group("last"):
        return one_year(year - 1)
    if m.group("this"):
        return one_year(year)
    if m.group("fromto"):
        start, end = int(m.group("fa")), int(m.group("fb"))
        return Period(start, end, f"{start}-{end}") if start <= end else None
    if m.group("deadline"):
        until = int(m.group("dy"))
        return Period(year, until, f"by {until}") if until > year else one_year(until)
    named = int(m.group("y"))
    return one_year(named) if year - 40 <= named <= year + 1 else None


def cues(text: str, year: int) -> list[tuple[int, int, Period]]:
    """Every English period cue of `text` as (start, end, period), in text order."""
    found: list[tuple[int, int, Period]] = []
    for m in _CUES.finditer(text):
        if m.group("same"):  # `During this period, …`: the span named before
            span = next((c[2] for c in reversed(found) if not c[2].annual), None)
            if span:
                found.append((m.start(), m.end(), span))
            continue
        period = _period_of(m, year)
        if period is not None:
            found.append((m.start(), m.end(), period))
    return found


class EnglishContext(Context):
    """Period cues of a translation: the cue before the number in its sentence, else one
    right after it in the sentence, else a span named in an earlier line of the section,
    else the part's default."""

    def __init__(self, report: Report, text: str):
        super().__init__(report, text)
        self.cues = cues(text, self.year)
        self.starts = [cue[0] for cue in self.cues]
        self._part, self._part_start = "", 0

    def period(self, passage: Passage, sent_start: int, number_pos: int) -> Period:
        if passage.part != self._part:  # passages come in text order: where this part began
            self._part, self._part_start = passage.part, passage.start
        after = self._after(number_pos)
        # `from 8.4% at the end of 2007 to 13.3% by the end of last year`: each end its own year
        if after and (re.match(r"[\d.,]*\s*(?:[a-z%$]+\s+){0,2}?(?:in|at the end of)\s+(?:19|20)\d\d", self.text[number_pos:])
                      or re.search(r"\bto\s+(?:about\s+|over\s+|around\s+)?$", self.text[sent_start:number_pos])):
            return after
        cue = nearest(self.cues, self.starts, sent_start, number_pos)
        if cue:
            return cue
        if after:
            return after
        carried = self._carried(sent_start)
        return carried or super().period(passage, sent_start, number_pos)

    def _after(self, number_pos: int) -> Period | None:
        stop = _SENTENCE_END.search(self.text, number_pos)
        end = stop.start() if stop else len(self.text)
        # the first cue after the number in its sentence: `rising by 21.6% in 2015`
        cue = next((c for c in self.cues[self._index(number_pos):] if c[0] < end), None)
        between = self.text[number_pos:cue[0]] if cue else ""
        # not a period compared with (`a higher percentage than that during the 13th Five-Year Plan period`)
        if cue and len(between) <= 60 and "than" not in between and _AFTER_CUE.match(self.text[number_pos:cue[1]]):
            return cue[2]
        return None

    def _carried(self, sent_start: int) -> Period | None:
        """A span opening an earlier line of the section and part (`During the past five
        years, …`, `Over the past five years: …`); a line opening with a single year ends it."""
        line_start = self.text.rfind("\n", 0, sent_start) + 1
        breaks = [m.start() for m in _SECTION_BREAK.finditer(self.text, 0, line_start)]
        low = max(breaks[-1] if breaks else 0, self._part_start)
        for start, _, period in reversed(self.cues[:self._index(sent_start)]):
            if start < low:
                return None
            opening = start - (self.text.rfind("\n", 0, start) + 1) <= TOPIC_CHARS
            if start >= line_start and opening:
                return period  # `In 2012, … . As a result, … GDP grew by 7.8%`: the paragraph's topic
            if opening or start < low + 200 and low in breaks:
                return None if period.annual else period
        return None

    def _index(self, pos: int) -> int:
        lo, hi = 0, len(self.starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.starts[mid] < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo


_CLAUSE_END = re.compile(r"(?<!\d),|,(?!\d{3}\b)|[:;!?]|\s--\s?")


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Clauses of an English sentence: cut at commas (not those inside 121,000), colons,
    semicolons and dashes."""
    spans, cut = [], 0
    for m in _CLAUSE_END.finditer(sentence):
        if m.start() > cut:
            spans.append((cut, m.start()))
        cut = m.end()
    if cut < len(sentence):
        spans.append((cut, len(sentence)))
    return spans


# --- indicator: a known one named near the number, else the English noun phrase naming it ---
_OF_GDP = re.compile(r"(?:proportion|share|percentage|per unit|ratio)\s+of\s+$|\bto\s+$"
                     r"|\b(?:proportion|share|percentage)\s+of\b.{0,60}\bin\s+(?:the\s+)?$", re.I)
_FUNCTION = (r"by|of|to|at|on|is|was|were|are|be|been|being|reached|reach|reaches|rose|rise|risen|rising|fell|"
             r"fall|falls|grew|grow|grown|increased|increase|increases|increasing|decreased|dropped|drop|cut|"
             r"exceeded|exceed|totaled|total|stood|kept|keep|within|around|about|approximately|over|more|than|"
             r"least|nearly|almost|between|respectively|up|down|further|an|a|the|some|another|and|with|from|will|should|would|"
             r"have|has|had|in|for|as|this|that|which|who|we|our|its|their|it|there|registering|"
             r"representing|accounting|amounted|amount|came|come|hit|top|topped|making|reduced|lowered|raised|"
             r"expanded|added|created|provided|grown|up|than|additional|plus|double|doubled|new|set|kept|held|"
             r"maintained|put|fixed|brought")
_TRAILING_WORDS = re.compile(rf"(?:\b(?:{_FUNCTION})\b[\s,]*)+$", re.I)
_LEADING_WORDS = re.compile(r"^(?:(?:the|a|an|and|of|with|while|both|also|in|to|number|length|amount|total|"
                            r"level|volume)\b\s*)+", re.I)
_CLAUSE_WORD = re.compile(r"\b(?:that|which|who|we|it|there|while|whereas|where|when|so|thus|"
                          r"reached|rose|fell|grew|increased|dropped|was|were|is|are|will|should|must|can|may|need|needs|"
                          r"has|have|had)\b",
                          re.I)
_AFTER_NOUN = re.compile(r"^\s*(?:of\s+)?((?:[a-z][\w'\-]*\s+){0,5}?[a-z][\w'\-]*)"
                         r"(?=\s+(?:were|was|are|is|will|should|must|would|can|have|has|had|in|of|for|to|from|by|with|who|that|and|"
                         r"gained|received|lift|lived|live)\b|\s*$|\s*[,.;])", re.I)


def _noun_before(before: str) -> str:
    text = _TRAILING_WORDS.sub("", re.sub(r"(?:\bUS\s?)?\$$", "", before.strip(" -—")).strip())
    parts = [_TRAILING_WORDS.sub("", p.strip(" -—")).strip(" -—") for p in _CLAUSE_WORD.split(text)]
    last = next((p for p in reversed(parts) if p), "")  # China's growth rate has been set at: not `been set`
    words = _LEADING_WORDS.sub("", re.sub(r"^(?:china's|our|the country's)\s+", "", last, flags=re.I)).split()
    phrase = _LEADING_WORDS.sub("", " ".join(words[-6:]))
    return phrase.lower() if len(phrase) >= 3 else ""


def _noun_after(after: str) -> str:
    m = _AFTER_NOUN.match(after)
    if not m:
        return ""
    words = _LEADING_WORDS.sub("", m.group(1)).split()
    return " ".join(words).lower() if words and not _TRAILING_WORDS.fullmatch(" ".join(words)) else ""


def _known(text: str) -> tuple[str, str, int, int] | None:
    found = indicators.find_in_clause(text, None, "en")
    if found and found[0] == "gdp" and _OF_GDP.search(text[:found[2]]):
        inner = indicators.find_in_clause(text, found[2], "en")  # the service sector as a proportion of GDP
        return inner if inner and inner[0] != "gdp" else None
    return found


_URBAN_JOBS = re.compile(r"\s*(?:new\s+|more\s+|additional\s+)?jobs\b[^,;]{0,30}\b(?:in urban areas|in cities and towns)",
                         re.I)


def indicator(before: str, after: str, q: Quantity, previous: tuple[str, str]) -> tuple[str, str]:
    """(id or noun phrase, words as written) of the quantity between `before` and `after`
    (its segment: from the quantity before it to the one after it)."""
    if m := _MEASURED.match(after):  # 90 million metric tons of steel: the unit is no indicator
        after = re.sub(r"^\s*of\b", "", after[m.end():])
    after = re.sub(r"^\s*(?:sets|batches|kinds|types|pieces|groups)\s+of\b", "", after)
    head = after[:50]
    counted = not q.unit or q.unit == "人" or bool(re.match(r"\s+in\s", after))  # 13.12 million new urban jobs
    if counted and (found := indicators.first_in_text(head, "en")) and found[2] <= 36 and not (
            _CLAUSE_WORD.search(head[:found[2]])):
        return found[0], found[1]  # 6.01 million housing units in rundown urban areas
    if counted and _URBAN_JOBS.match(after):
        return "urban_new_jobs", "jobs in urban areas"  # ten million jobs should be created in urban areas
    if (found := _known(before[-90:])) and len(before) - found[3] <= 80:
        return found[0], found[1]
    noun = _noun_after(after) if counted else ""
    noun = noun or _noun_before(before)
    if q.unit == "%" and re.search(r"\b(?:growth rate|rate of growth)$", noun):
        return "gdp", noun  # a projected growth rate of between 6.5% and 7%: the economy's
    if noun and noun not in ("percent", "yuan", "growth", "increase", "rate", "reduction", "target", "goal"):
        return noun, noun
    return previous if previous[0] else (noun, noun)


# --- measure ---
_PER_YEAR = re.compile(r"average annual|annual average|average of|annually|per year|a year\b|each year", re.I)
_DECLINE = re.compile(r"\b(?:fell|fall|falls|drop|dropped|drops|cut|cuts|reduc\w*|decreas\w*|declin\w*|lower\w*|"
                      r"down|lessen\w*|shrank|narrow\w*|saving|save|curb\w*)\b", re.I)
_RISE = re.compile(r"\b(?:grow|grew|grown|growth|grows|increas\w*|rise|rose|risen|rising|rises|up|expand\w*|"
                   r"raise\w*|gain\w*|growing)\b", re.I)
_SHARE = re.compile(r"\b(?:proportion|share|percentage|account\w*\s+for|coverage|contribution)\b", re.I)
_REACH = re.compile(r"\b(?:reach\w*|exceed\w*|(?:rise|risen|rose|increase[sd]?|grow|grew|grown|up|raised?|expand\w*|"
                    r"brought|lift\w*|come|came)\s+to|stood at|hit|top\w*|surpass\w*|now)\s+(?:over\s+|more\s+than\s+|"
                    r"around\s+|about\s+|at\s+least\s+)?$", re.I)
_TOTAL = re.compile(r"\b(?:a total of|in total|total(?:ed|ing)?|altogether|cumulative\w*|combined)\b", re.I)
_PEOPLE = re.compile(r"^\s*(?:new\s+|more\s+|additional\s+)?(?:[\w-]+\s+){0,2}?(?:jobs|people|residents|persons|"
                     r"graduates|workers|students|opportunities|person-times|visits|tourists|migrants)\b", re.I)


_BY = re.compile(r"\bby\s+(?:a\s+further\s+|another\s+|more\s+than\s+|over\s+|around\s+|about\s+|"
                 r"at\s+least\s+|nearly\s+|some\s+)?$", re.I)
_RELIEF = re.compile(r"\b(?:burdens?|tax(?:es)?|fees)\b", re.I)
_MEASURED = re.compile(r"\s*(?:hectares|mu|square\s+meters|kilometers|kilowatts|weight\s+cases|metric\s+tons)\b", re.I)
_COUNTED = re.compile(r"\s+(?!(?:of|in|to|and|for|at|on|by|from|with|as)\b)[a-z]", re.I)


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
    if re.search(r"average annual|annual average|annually|per year|a year\b", near + " " + head, re.I) and (
            q.unit == "%" or re.search(r"average", near, re.I)):
        return "avg_growth"  # grow at an average annual rate of 7.8%; increase by 7% per year
    if q.unit == "%":
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
    if _RELIEF.search(wide) or _MEASURED.match(after) or re.match(r"\s*(?:\w+\s+){0,3}per\s+day\b", after):
        return "level" if period.annual else "total"  # cut burdens by 500 billion yuan; 1.33 million hectares
    if re.search(r"increase of\s+(?:more than\s+|over\s+|around\s+|about\s+)?$", near, re.I) or \
            _DECLINE.search(near[-35:]) and not reaches(before) or _DECLINE.search(before) and _BY.search(near) \
            or re.match(r"[^,;]{0,40}\bout of poverty\b", after):
        return "change"  # an increase of 560 billion yuan; reduced the number of the poor by 14.42 million
    if not period.annual and (_TOTAL.search(near) or not reaches(before)):
        return "total"  # 64 million urban jobs were created (over five years)
    if not q.unit and period.annual and not _PEOPLE.match(after) and _COUNTED.match(after) and not re.search(
            r"\$\s*$", before):
        return "count"  # 7.72 million government-subsidized housing units
    return "level"


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
    if q.unit != "%":
        return "level"
    if indicator_id in RATE_LEVELS:
        return "level"
    return "growth" if re.search(r"\bgrowth\b|\bincrease in\b", before, re.I) else "share"


def meaning(clause: str, quantities: list[Quantity], i: int, period: Period, previous: tuple[str, str],
            report_year: int) -> tuple[tuple[str, str], Period, str]:
    """(indicator, period, measure) of quantity i of an English clause."""
    q = quantities[i]
    low = quantities[i - 1].end if i else 0
    high = quantities[i + 1].start if i + 1 < len(quantities) else len(clause)
    before, after = clause[low:q.start], clause[q.end:high]
    ends = from_to(clause, quantities, i)
    found = indicator(before, after, q, previous) if ends != "to" else previous
    if not found[0] or (not i and not _known(before) and previous[0] and _DECLINE.fullmatch(before.strip())) \
            or re.search(r"\d{4}|\bend of\b", found[0]):
        found = previous
    if ends:  # the level at each end (the base year: the one before the span)
        if ends == "from" and not period.annual:
            period = one_year(period.start - 1)
        elif not period.annual and period.end < report_year:  # a target's end keeps its span
            period = one_year(period.end)
        return found, period, _end_measure(q, found[0], clause[:q.start])
    lead = before if i and not re.fullmatch(r"[\s,]*(?:and|or|to|and by|respectively)?[\s,]*", before) else (
        clause[:quantities[i - 1].start] if i else clause[:q.start])
    meant = measure(clause[:q.start] if reaches(clause[:q.start]) else lead, after, q, found[0], period)
    if not period.annual and period.end < report_year and meant in ("level", "share") and (
            reaches(clause[:q.start]) or re.search(r"\bnow\b", clause, re.I)):
        period = one_year(period.end)  # railways in service reached 121,000 km (by the plan's end)
    if meant == "growth" and not period.annual:
        meant = "change"  # a rise over several years that is not an annual average
    return found, period, meant


# --- qualifiers, mapped onto the Chinese ones ---
_QUALIFIERS = (("at least", "不低于"), ("no less than", "不低于"), ("not less than", "不低于"),
               ("no more than", "不超过"), ("not exceed", "不超过"), ("up to", "不超过"),
               ("more than", "超过"), ("over", "超过"), ("above", "超过"), ("exceeding", "超过"),
               ("exceeded", "超过"), ("around", "左右"), ("about", "左右"), ("approximately", "左右"),
               ("roughly", "左右"), ("some", "约"), ("within", "以内"), ("below", "以内"), ("under", "以内"),
               ("nearly", "近"), ("almost", "近"), ("close to", "近"), ("strive for", "力争"))


def qualifier(before: str, after: str) -> str:
    """The Chinese qualifier an English one before (`at least`) or after (`plus`) the number means."""
    window = before[-20:].lower().rstrip(" $")
    for word, canonical in _QUALIFIERS:
        if re.search(rf"\b{word}(?:\s+(?:us|rmb))?$", window):
            return canonical
    return "以上" if re.match(r"\s*(?:plus|or more|and above)\b", after, re.I) else ""


def revise(fact: Fact, text: str) -> Fact:
    """An English fact's qualifier, read from the words around its number."""
    if fact.qualifier:
        return fact
    found = qualifier(text[max(0, fact.value_start - 24):fact.value_start], text[fact.value_end:fact.value_end + 12])
    return replace(fact, qualifier=found) if found else fact


# a bare count before a plural noun: `311 items`, `11 legislative proposals`, `eight sets of`
_COUNT_NOUN = re.compile(r"\s+((?:[a-z][a-z-]*\s+){0,2}?[a-z][a-z-]*s)\b")
_NOT_THINGS = {"years", "times", "days", "months", "hours", "weeks", "percent", "points", "plus", "less",
               "thus", "was", "has", "is", "as", "this", "its", "his", "us"}


def counted(q: Quantity, clause: str) -> bool:
    """Whether a bare small whole number (which facts.extract skips) counts things in English."""
    if q.unit or q.value != int(q.value) or not 1 < q.value < 1e4 or 1900 <= q.value <= 2100:
        return False
    before = clause[max(0, q.start - 12):q.start].lower()
    if before and not before[-1].isspace():
        return False  # Covid-19 patients, G20 members
    if re.search(r"(?:no\.|the|top|first|phase|article|group of|g)\s*$", before):
        return False  # the 23rd, the G20, a group of 77
    m = _COUNT_NOUN.match(clause, q.end)
    return bool(m) and not _NOT_THINGS.intersection(m.group(1).split())
