"""English facts: the official translations' numbers with their indicator, period and measure
(what a number means, indicator and measure: facts/english_meaning.py).

The Chinese rules (extract.py, periods.py, measures.py) read characters; an English sentence
names its indicator before *or after* the number (`GDP grew by 6.9%`, `13.12 million new urban
jobs`), its period before or after it (`in 2015`, `during this five-year period`), and a
translation puts one sentence on a line, so a span named in one line (`During the past five
years, …`) holds for the lines after it. The time rules, English side:

| cue | period |
|---|---|
| `this year`, `for 2016` (the report's year) | Y |
| `this year and next` | Y … Y+1 |
| `last year`, `over the past year`, `the year just passed`, the review part by default | Y-1 |
| `in 2015`, `for 2015`, `2015's` | 2015 |
| `over the past five years`, `these five years`, `the past three years` | Y-5 … Y-1 (Y-3 …) |
| `the 12th Five-Year Plan (period)`, `the Twelfth Five-Year Plan` | the plan's span |
| `this five-year period`, `the next five years`, in a plan's first year | Y … Y+4 |
| `by 2020`, `by the end of 2020` (later than Y) | Y … 2020 |
| `from 2016 through 2020` | 2016 … 2020 |

A span cue carries to the lines after it until a section break (`Esteemed Deputies`, a
numbered heading) or another cue; a single year does not carry (the part's default holds).
A part whose heading names one span and no year (`I. Review … During the Eleventh Five-Year Plan
Period`) gives that span to numbers with no cue of their own.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..textutil import spans_between
from ..types import Fact, Passage, Report
from ..words import five_year_plans_by_ordinal
from .context import TOPIC_CHARS, Context
from .english_counts import counted, with_word_counts
from .english_meaning import meaning
from .periods import Period, nearest, one_year

_ORDINAL_WORDS = {"sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
                  "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15}
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
_CUES = re.compile(
    r"(?P<plan>\b(?:(?P<ord>\d{1,2})(?:st|nd|rd|th)|(?P<ordw>" + "|".join(_ORDINAL_WORDS) + r"))"
    r"\s+five-year\s+plan(?P<strong>\s+period|\s+\(\d{4}\s*[-–]\s*\d{4}\))?)"
    r"|(?P<span>\b(?:the|these)\s+(?:past|last|previous)?\s*(?P<n>five|three|two|four|ten)\s+years\b"
    # `over the five-year period` (2008_en), not `the previous five-year period` (the one before, compared with)
    r"|\b(?:the|this)\s+(?:past\s+)?(?P<np>five|three)-year\s+period\b)"
    r"|(?P<same>\b(?:during|in|over|throughout)\s+(?:this|that|the\s+same)\s+period\b)"
    r"|(?P<future>\bthis\s+five-year\s+period\b|\b(?:the\s+)?(?:next|coming)\s+(?P<fn>two|three|four|five)\s+years\b"
    r"|\bwithin\s+(?P<wn>two|three|four|five)\s+years\b)"
    r"|(?P<last>\b(?<!over\s)(?<!than\s)last\s+year\b|\bthe\s+past\s+year\b|\bin\s+the\s+previous\s+year\b|"
    r"\bthe\s+year\s+just\s+(?:passed|ended)\b)"
    r"|(?P<next>\bthis\s+year\s+and\s+(?:next|the\s+next)(?:\s+year)?\b)"
    r"|(?P<this>\bthis\s+year\b)"
    r"|(?P<fromto>\bfrom\s+(?P<fa>(?:19|20)\d{2})\s+(?:through|to)\s+(?P<fb>(?:19|20)\d{2})\b)"
    r"|(?P<deadline>\bby\s+(?:the\s+end\s+of\s+)?(?P<dy>(?:19|20)\d{2})\b)"
    r"|(?P<year>(?<![\d,.$])\b(?P<y>(?:19|20)\d{2})\b(?![\d,.]\d|\s*(?:yuan|people|kilometers|km|tons)))",
    re.I)
# a span named after the number still belongs to its sentence: `at least 6.5% during this period`
_AFTER_CUE = re.compile(r"^(?:[^.;]|\.(?=\d))*?\b(?:in|during|over|for|by|this|at|within)\b", re.I)
# a year compared with, named after the number: `an increase of 120% over 2010`
_BASE_BEFORE = re.compile(r"\b(?:over|compared\s+(?:with|to)|from|than)\s+$", re.I)
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")
# a clause telling what was done, and one telling what is to be done (2011_en's plans part opens
# with last year's results: `GDP rose by 10.3%; … 11.68 million new urban jobs were created`)
_PAST = re.compile(r"\b(?:rose|grew|fell|dropped|declined|increased|decreased|reached|totaled|totalled|"
                   r"amounted|was|were|created|achieved|exceeded|stood|came to|went up)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|to be|aim\w*|target\w*|strive|expected|projected|plan\w*|should|must|"
                     r"need|keep|ensure)\b", re.I)
# a span that every year of it held for, named inside its sentence's subject, is no topic of the lines after
_EACH_OF = re.compile(r"\b(?:each|every)\s+(?:one\s+)?of\s+$", re.I)
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
        n = _NUMBER_WORDS[(m.group("n") or m.group("np")).lower()]
        return Period(year - n, year - 1, f"{year - n}-{year - 1}")
    if m.group("future"):  # the next three years, within two years (2009_en, 2019_en): from this year on
        n = _NUMBER_WORDS[(m.group("fn") or m.group("wn") or "five").lower()]
        return Period(year, year + n - 1, f"{year}-{year + n - 1}")
    if m.group("last"):
        return one_year(year - 1)
    if m.group("next"):  # This year and next, more than 35 million … (2020_en): the two years
        return Period(year, year + 1, f"{year}-{year + 1}")
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

    def enter(self, passage: Passage) -> None:
        if passage.part != self._part:  # where this part began (its first passage may hold no number)
            self._part, self._part_start = passage.part, passage.start

    def period(self, passage: Passage, sent_start: int, number_pos: int) -> Period:
        after = self._after(number_pos)
        # `from 8.4% at the end of 2007 to 13.3% by the end of last year`: each end its own year
        if after and (re.match(r"[\d.,]*\s*(?:[a-z%$]+\s+){0,2}?(?:in|at the end of)\s+(?:19|20)\d\d", self.text[number_pos:])
                      or re.search(r"\bto\s+(?:about\s+|over\s+|around\s+)?$", self.text[sent_start:number_pos])):
            return after
        cue = nearest(self.cues, self.starts, sent_start, number_pos)
        if cue and cue.label.startswith("by ") and self._done_clause(number_pos):
            # `We … launched a plan for completing major programs by 2030, …, and established another six
            # national innovation demonstration zones`: a clause told as done is no deadline's target
            return super().period(passage, sent_start, sent_start)
        if cue:
            return cue
        if after:
            return after
        carried = self._carried(sent_start)
        if carried:
            return carried
        if heading_span := self._heading_span(passage):
            return heading_span  # `I. Review … During the Eleventh Five-Year Plan Period`
        period = super().period(passage, sent_start, number_pos)
        if period.annual and period.start == self.year and self._told_as_done(sent_start, number_pos):
            return one_year(self.year - 1)  # the plans part's `Last year, … GDP rose by 10.3%`
        return period

    def _heading_span(self, passage: Passage) -> Period | None:
        """The span a part heading names when it names only that span and no single year."""
        heading = passage.heading[0] if passage.heading else ""
        periods = {cue[2] for cue in cues(heading, self.year)}
        span = next(iter(periods)) if len(periods) == 1 else None
        return span if span and not span.annual else None

    def _done_clause(self, number_pos: int) -> bool:
        """The words of the number's clause before it tell what was done (`and established another`)."""
        low = max(self.text.rfind(mark, 0, number_pos) for mark in (",", ";", "\n", ". ")) + 1
        words = self.text[low:number_pos]
        return bool(re.search(r"\b[a-z]+ed\b", words)) and not _FUTURE.search(words) and not re.search(
            r"\b(?:is|are|be|been|being|will|to)\s+[a-z]+ed\b", words)

    def _told_as_done(self, sent_start: int, number_pos: int) -> bool:
        """The number's clause reports what happened (a verb in the past, nothing of will or aim)."""
        low = max(self.text.rfind(";", sent_start, number_pos), sent_start)
        stop = _SENTENCE_END.search(self.text, number_pos)
        clause = self.text[low:stop.start() if stop else len(self.text)]
        return bool(_PAST.search(clause)) and not _FUTURE.search(clause)

    def _after(self, number_pos: int) -> Period | None:
        stop = _SENTENCE_END.search(self.text, number_pos)
        end = stop.start() if stop else len(self.text)
        # the first cue after the number in its sentence: `rising by 21.6% in 2015`
        cue = next((c for c in self.cues[self._index(number_pos):] if c[0] < end), None)
        between = self.text[number_pos:cue[0]] if cue else ""
        # not a period compared with (`a higher percentage than that during the 13th Five-Year Plan period`)
        if cue and len(between) <= 60 and "than" not in between and not _BASE_BEFORE.search(self.text[max(0, cue[0] - 20):cue[0]]) and _AFTER_CUE.match(self.text[number_pos:cue[1]]):
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
            cue_line = self.text.rfind("\n", 0, start) + 1
            if _EACH_OF.search(self.text, cue_line, start):
                continue  # `Grain output in each of the past five years has exceeded …`: its own sentence only
            opening = start - cue_line <= TOPIC_CHARS
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
    return spans_between(sentence, _CLAUSE_END)


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


# the next item of a list of amounts in one unit (a clause that is the number alone, or `and` it)
LIST_ITEM = re.compile(r"[\s,]*(?:and\s+|as\s+well\s+as\s+)?", re.I)


__all__ = ["LIST_ITEM", "with_word_counts", "EnglishContext", "clause_spans", "counted", "cues", "meaning", "qualifier", "revise"]
