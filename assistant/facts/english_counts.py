"""English counts the numbers reader leaves out: a bare count before a plural noun (`311 items`),
counts in words after a verb of making (`established another seven pilot zones`), policy moves made
N times (`reduced required reserve ratios four times`), deadlines in years (`within three years`)
and runs of years (`for the 12th year in a row`). Used by facts/extract.py through facts/english.py."""

from __future__ import annotations

import re

from ..numbers import Quantity, count_word_value

# a bare count before a plural noun: `311 items`, `11 legislative proposals`, `eight sets of`
_COUNT_NOUN = re.compile(r"\s+((?:[a-z][a-z-]*\s+){0,5}?[a-z][a-z-]*s)\b")
_NOT_THINGS = {"years", "times", "days", "months", "hours", "weeks", "percent", "points", "plus", "less",
               "thus", "was", "has", "is", "as", "this", "its", "his", "us"}


_NUMBER_OF = re.compile(r"\bthe\s+number\s+of\s+(?:[a-z-]+\s+){1,16}?(?:increased|rose|grew|fell|dropped|went\s+up|"
                        r"reached|totaled|hit)\b", re.I)


def counted(q: Quantity, clause: str) -> bool:
    """Whether a bare small whole number (which facts.extract skips) counts things in English."""
    if q.unit or q.value != int(q.value) or not 1 < q.value < 1e4 or 1900 <= q.value <= 2100 and "," not in q.raw:
        return False  # (2,000 county-level hospitals is no year)
    before = clause[max(0, q.start - 12):q.start].lower()
    if before and not before[-1].isspace():
        return False  # Covid-19 patients, G20 members
    if re.search(r"\b(?:no\.|top|first|phase|article|group of|g)\s*$", before):
        return False  # the 23rd, the G20, a group of 77
    if _NUMBER_OF.search(clause[:q.start]) and re.search(r"\b(?:from|to|reached|totaled|hit)\s+$", before):
        return True  # The number of selected cities … increased from 88 to 317 (2009_en)
    m = _COUNT_NOUN.match(clause, q.end)
    return bool(m) and not _NOT_THINGS.intersection(m.group(1).split())


# number words counting things delivered (`establish another seven pilot zones`, `enacted or revised eight
# sets of administrative regulations`): after `another` or a verb of making, before a plural noun; not a
# list header or a name (`five priority tasks`, `two sides`), which no verb of making precedes
_WORD_VALUES = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
_WORD_COUNT = re.compile(
    r"\b(?:another|a\s+further|(?:built|build|building|established?|establishing|set\s+up|setting\s+up|launched?|"
    r"enacted|revised|opened|open|created?|added|approved|submitted|adopted|introduced|promulgated)"
    r"(?:\s+or\s+[a-z]+)?)\s+(?P<n>" + "|".join(_WORD_VALUES) + r")\b",
    re.I)
# policy moves made N times in the year (`reduced required reserve ratios four times`, `lowered … twice`,
# `on five occasions`: 次, a level of the year, 2009/2019/2022_en labels); not a multiple (`twice the
# figure`, `three times as much`)
_TIMES = re.compile(r"\b(?:(?P<twice>twice)|(?P<n>" + "|".join(_WORD_VALUES) + r"|\d{1,2})\s+times"
                    r"|on\s+(?P<o>" + "|".join(_WORD_VALUES) + r")\s+occasions)\b(?!\s+(?:as|the|that|more|larger|"
                    r"higher|bigger|greater|over|of)\b)", re.I)
_MOVED = re.compile(r"\b(?:raised|lowered|reduced|cut|increased|adjusted|raising|lowering|reducing|cutting)\b", re.I)
# a deadline counted in years (`within three years`, `in two years`): 年, the years from the report's
_WITHIN_YEARS = re.compile(r"\b(?:within|in)\s+(?P<n>two|three|four|five|[2-5])\s+years\b(?!\s+(?:ago|time|of))",
                           re.I)


# a run of years (README rule 6, the Chinese 连续3年): `for two consecutive years`, `the seventh consecutive
# yearly increase`, `for the second straight year`, `for the 12th year in a row` (2011/2012/2016_en labels)
_RUN_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                 "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}
_YEAR_RUN = re.compile(
    r"\b(?P<n>" + "|".join(list(_WORD_VALUES) + list(_RUN_ORDINALS)) + r"|\d{1,2}(?:st|nd|rd|th)?)"
    r"(?=\s+(?:consecutive|straight|successive)\s+(?:years?|yearly)\b|\s+years?\s+in\s+a\s+row\b|\s+years?\s+running\b)",
    re.I)


# a count spelled out at a sentence's start, where a numeral may not stand (`Thirty-one airports`, `Ninety-eight
# central government departments`, `Fifteen key industries`: 2012/2013/2015_en labels)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_TEENS = "eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_OPENING_COUNT = re.compile(
    r"(?:^|(?<=[.;:!?]\s)|(?<=\n)|(?<=^--\s)|(?<=\n--\s)|(?<=–\s))(?P<n>(?:" + _TENS + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|"
    + _TEENS + r")\s+(?:[a-z][a-z-]*\s+){0,4}?[a-z][a-z-]*s\b(?!\s+(?:ago|old)\b)", re.I)


def _run_value(word: str) -> int:
    word = word.lower()
    return _WORD_VALUES.get(word) or _RUN_ORDINALS.get(word) or int(re.sub(r"\D", "", word))


def with_word_counts(sentence: str, quantities: list[Quantity]) -> list[Quantity]:
    """The quantities of an English sentence with counts written in words (as `counted` reads them)
    and runs of years (in 年) added."""
    taken = [(q.start, q.end) for q in quantities]
    extra = [Quantity(float(_WORD_VALUES[m.group("n").lower()]), "", m.group("n"), m.start("n"), m.end("n"))
             for m in _WORD_COUNT.finditer(sentence)]
    extra += [Quantity(float(_run_value(m.group("n"))), "年", m.group("n"), m.start("n"), m.end("n"))
              for m in _YEAR_RUN.finditer(sentence) if 1 < _run_value(m.group("n")) <= 80]
    for m in _TIMES.finditer(sentence):
        word = m.group("n") or m.group("o")
        if _MOVED.search(sentence[max(0, m.start() - 120):m.start()]):
            n = 2 if m.group("twice") else int(word) if word.isdigit() else _WORD_VALUES[word.lower()]
            span = "twice" if m.group("twice") else "n" if m.group("n") else "o"
            extra.append(Quantity(float(n), "次", m.group(span), m.start(span), m.end(span)))
    extra += [Quantity(float(_run_value(m.group("n"))), "年", m.group("n"), m.start("n"), m.end("n"))
              for m in _WITHIN_YEARS.finditer(sentence)]
    extra += [Quantity(float(count_word_value(m.group("n"))), "", m.group("n"), m.start("n"), m.end("n"))
              for m in _OPENING_COUNT.finditer(sentence)
              if not _NOT_THINGS.intersection(m.group().lower().split()[1:])]
    extra = [q for q in extra if not any(s < q.end and q.start < e for s, e in taken)]
    return sorted(quantities + extra, key=lambda q: q.start) if extra else quantities


__all__ = ["counted", "with_word_counts"]
