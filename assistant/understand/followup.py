"""Rewriting a follow-up question into a standalone one, without an LLM.

`那2022年呢？` after a question about 2024 central budget investment becomes the earlier
question with 2022 in place of 2024; `城镇新增就业目标呢？` after a question about Sichuan 2025
inherits Sichuan and 2025; `它们总投资是多少？` inherits the earlier topic. Year, region and
topic carry over; whatever the new question says wins.
"""

from __future__ import annotations

import re

from ..regions import BY_ID
from .constraints import Constraints, find_regions, find_years, parse_question

_FOLLOWUP_START = re.compile(r"^(那么?|那|还有|另外|再问|其中|and\b|what about|how about|and what about)", re.I)
_FOLLOWUP_END = re.compile(r"(呢|呐)[？?。!！]*$")
_PRONOUN = re.compile(r"(它们|它的|它|其中|这些|那些|这个|那个|该项|上述|\bthey\b|\bthem\b|\bits?\b|\bthose\b|\bthese\b)", re.I)
_EN_FILLER = re.compile(r"\b(and|in|of|for|the|what|about|how|was|is|it|then|year)\b", re.I)
_QUESTION_WORDS = re.compile(r"(是多少|多少|是什么|有哪些|哪些|是谁|什么|怎么样|如何|吗|呢|[？?。！!])")


def _strip_constraint_words(question: str) -> str:
    text = re.sub(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4}|\d{2})\s*年?", "", question)
    for rid in find_regions(question):
        region = BY_ID[rid]
        for name in (region.name, *region.short, *region.english):
            text = re.sub(re.escape(name), "", text, flags=re.I)
    text = _FOLLOWUP_START.sub("", text.strip())
    text = _EN_FILLER.sub(" ", text)
    return _QUESTION_WORDS.sub("", text).strip(" ，,的")


def _place_text(c: Constraints) -> str:
    if c.county:
        return c.county
    if c.regions:
        return BY_ID[c.regions[0]].name
    return ""


def _swap_years(question: str, new_years: list[int]) -> str:
    old = find_years(question)[0]
    for i, year in enumerate(old):
        replacement = str(new_years[min(i, len(new_years) - 1)])
        question = question.replace(str(year), replacement)
    return question


def _swap_region(question: str, prev: Constraints, new_region: str) -> str:
    if not prev.regions:
        return BY_ID[new_region].name + question
    old = BY_ID[prev.regions[0]]
    new = BY_ID[new_region]
    for name in sorted((old.name, *old.short, *old.english), key=len, reverse=True):
        if re.search(re.escape(name), question, re.I):
            replacement = new.english[0].title() if name in old.english else new.name
            return re.sub(re.escape(name), replacement, question, count=1, flags=re.I)
    return BY_ID[new_region].name + question


def is_followup(question: str, history: list, places=()) -> bool:
    if not history:
        return False
    q = question.strip()
    new = parse_question(q, places=places)
    inherits_context = not new.years and not new.has_place  # in a conversation, context carries
    return bool(_FOLLOWUP_START.search(q) or _FOLLOWUP_END.search(q) or _PRONOUN.search(q)
                or len(_strip_constraint_words(q)) <= 1 or inherits_context)


def rewrite(question: str, history: list, places=()) -> str:
    """A standalone question; unchanged when it does not look like a follow-up.
    `places` are the corpus's local places (query.local_places)."""
    standalone: list[str] = []
    for previous_question, _answer in history:
        standalone.append(_rewrite_one(previous_question, standalone[-1] if standalone else None, places))
    return _rewrite_one(question, standalone[-1] if standalone else None, places)


def _rewrite_one(question: str, previous: str | None, places=()) -> str:
    if not previous or not is_followup(question, [previous], places):
        return question
    prev = parse_question(previous, places=places)
    new = parse_question(question, places=places)
    topic = _strip_constraint_words(question)
    if len(topic) <= 1 and not _PRONOUN.search(question):
        # only new constraints ("那2022年呢？", "What about Guangdong?"): the old question, updated
        result = previous
        if new.years:
            result = _swap_years(result, new.years) if prev.years else f"{new.years[0]}年{result}"
        if new.regions:
            result = _swap_region(result, prev, new.regions[0])
        return result
    carried = ""
    if not new.has_place and (place := _place_text(prev)):
        carried += place
    if not new.years and prev.years:
        carried += f"{prev.years[0]}年"
    if _PRONOUN.search(question):
        prev_topic = _QUESTION_WORDS.sub(" ", previous).strip()
        return f"{prev_topic} {_FOLLOWUP_START.sub('', question).strip()}"
    return carried + _FOLLOWUP_START.sub("", question).strip()
