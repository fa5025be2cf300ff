"""English facts, what a number names: the indicator named before or after it (an id of
facts/indicators.tsv), else the English noun phrase naming it. Used by facts/english_meaning.py."""

from __future__ import annotations

import re

from ..numbers import Quantity
from . import indicators

MEASURED_UNIT = re.compile(r"\s*(?:hectares|mu|square\s+meters|kilometers|kilowatts|kw|weight\s+cases|metric\s+tons)\b", re.I)

_OF_GDP = re.compile(r"(?:proportion|share|percentage|per unit|ratio)\s+of\s+$|\bto\s+$"
                     r"|\b(?:proportion|share|percentage)\s+of\b.{0,60}\bin\s+(?:the\s+)?$", re.I)
_FUNCTION = (r"by|of|to|at|on|is|was|were|are|be|been|being|reached|reach|reaches|rose|rise|risen|rising|fell|"
             r"fall|falls|grew|grow|grown|increased|increase|increases|increasing|decreased|dropped|drop|cut|"
             r"exceeded|exceed|totaled|total|stood|kept|keep|within|around|about|approximately|over|more|than|"
             r"least|nearly|almost|between|respectively|up|down|further|an|a|the|some|another|and|with|from|will|should|would|"
             r"have|has|had|in|for|as|this|that|which|who|we|our|its|their|it|there|registering|"
             r"representing|accounting|amounted|amount|came|come|hit|top|topped|making|reduced|lowered|raised|"
             r"expanded|added|created|provided|grown|up|than|additional|plus|double|doubled|new|set|kept|held|"
             r"maintained|put|fixed|brought|exceeding|reaching|totaling|totalling|hitting|surpassing|budgeted|"
             r"growing|grows|declining|falling|dropping|decreasing|expanding|climbing")
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


def noun_after(after: str) -> str:
    m = _AFTER_NOUN.match(after)
    if not m:
        return ""
    words = _LEADING_WORDS.sub("", m.group(1)).split()
    return " ".join(words).lower() if words and not _TRAILING_WORDS.fullmatch(" ".join(words)) else ""


def known_indicator(text: str) -> tuple[str, str, int, int] | None:
    found = indicators.find_in_clause(text, None, "en")
    if found and found[0] == "gdp" and _OF_GDP.search(text[:found[2]]):
        inner = indicators.find_in_clause(text, found[2], "en")  # the service sector as a proportion of GDP
        return inner if inner and inner[0] != "gdp" else None
    return found


_URBAN_JOBS = re.compile(r"\s*(?:new\s+|more\s+|additional\s+)?jobs\b[^,;]{0,30}\b(?:in urban areas|in cities and towns)",
                         re.I)


# words that say how a figure moves, not what it measures: `registering average annual growth of
# 7.1 percent` (2018_en) is the GDP named before it, not an indicator of its own
_MEASURE_ONLY = re.compile(r"(?:(?:registering|recording|posting|achieving|reporting|an?|average|annual|yearly|"
                           r"year-on-year|real|nominal)\s+)*(?:percent|yuan|growth|increase|rise|rate|reduction|"
                           r"decline|drop|target|goal)(?:\s+rate)?", re.I)


# `a 2-percent drop in both chemical oxygen demand and …`: the hyphenated adjective's noun and its object
_ADJECTIVE_OF = re.compile(r"\s*(?:increase|growth|rise|drop|decline|cut|reduction|fall|decrease)\s+in\s+(?:both\s+)?", re.I)
# `a 24.5-percent year-on-year increase`, `a 9.1-percent drop in the annual average density of …`
_RISE_OF = re.compile(r"\s*(?:annual|average|yearly)\s+(?:(?:annual|average|real)\s+)?(?:increase|growth|rise)\s+(?:in|of)\s+", re.I)


def indicator(before: str, after: str, q: Quantity, previous: tuple[str, str]) -> tuple[str, str]:
    """(id or noun phrase, words as written) of the quantity between `before` and `after`
    (its segment: from the quantity before it to the one after it)."""
    if m := MEASURED_UNIT.match(after):  # 90 million metric tons of steel: the unit is no indicator
        after = re.sub(r"^\s*of\b", "", after[m.end():])
    after = re.sub(r"^\s*(?:sets|batches|kinds|types|pieces|groups)\s+of\b", "", after)
    head = after[:60]  # `of investment in the central government budget`: the name whole
    # 13.12 million new urban jobs; 3.75 trillion yuan of special bonds (the money's name after `of`)
    counted = not q.unit or q.unit == "人" or bool(re.match(r"\s+in\s", after)) or q.unit == "元" and bool(
        re.match(r"\s*of\s", after))
    if counted and (found := indicators.first_in_text(head, "en")) and found[2] <= 36 and not (
            _CLAUSE_WORD.search(head[:found[2]])):
        return found[0], found[1]  # 6.01 million housing units in rundown urban areas
    if counted and _URBAN_JOBS.match(after):
        return "urban_new_jobs", "jobs in urban areas"  # ten million jobs should be created in urban areas
    rise_of = _RISE_OF.match(after) or (q.raw.endswith("-percent") and _ADJECTIVE_OF.match(after))
    if q.unit == "%" and (m := rise_of) and (
            found := indicators.first_in_text(after[m.end():m.end() + 40], "en")) and found[2] <= 4:
        return found[0], found[1]  # a target of 7% annual increase in the economy
    if q.unit == "%" and rise_of and (noun := re.match(r"((?:[a-z][\w-]*\s+){0,4}?[a-z][\w-]*)(?=\s+(?:and|or|over|in|from|by|to)\b|\s*[,.;]|$)",
                                                after[rise_of.end():], re.I)):
        return noun.group(1).lower(), noun.group(1)  # a 2-percent drop in both chemical oxygen demand and …
    if (found := known_indicator(before[-90:])) and len(before) - found[3] <= 80:
        return found[0], found[1]
    noun = noun_after(after) if counted else ""
    noun = noun or _noun_before(before)
    if q.unit == "%" and re.search(r"\b(?:growth rate|rate of growth)$", noun):
        return "gdp", noun  # a projected growth rate of between 6.5% and 7%: the economy's
    if noun and not _MEASURE_ONLY.fullmatch(noun):
        return noun, noun
    return previous if previous[0] else (noun, noun)
