"""Facts as citations: the sentence a fact stands in, quoted exactly, and the plain-language
wording of a fact (`2026年北京市地区生产总值增长目标为5%左右`)."""

from __future__ import annotations

import re

from ..evidence import Evidence, cell_around, is_table_line
from ..extractive import citation_for
from ..facts import indicators
from ..facts.lookup import format_value
from ..gloss import figure_words
from ..types import Answer, Citation, Fact, Hit, Passage

KIND_WORDS = {"target": ("目标", "target"), "result": ("实际", "actual"), "expectation": ("预计", "expected")}
MEASURE_WORDS = {"growth": ("增长", "growth"), "avg_growth": ("年均增长", "average annual growth"),
                 "total": ("累计", "cumulative"), "change": ("变化", "change"), "share": ("", "share"),
                 "pp_change": ("变化", "change"), "level": ("", ""), "count": ("", "")}


LONG_EN_SENTENCE = 200  # characters; a longer English sentence is quoted by the fact's clause


def passage_of(store, fact: Fact) -> Passage | None:
    return next((p for p in store.passages_of(fact.report) if p.start <= fact.value_start < p.end), None)


def evidence_for(store, source_text: str, fact: Fact) -> Evidence | None:
    """The fact's sentence inside its passage, as evidence quoting exact characters."""
    passage = passage_of(store, fact)
    if passage is None:
        return None
    start = max(fact.sentence_start, passage.start)
    end = min(fact.sentence_end, passage.end)
    if is_table_line(source_text[start:end]):  # a translation's flattened target table: the fact's cell
        a, b = cell_around(source_text[start:end], fact.value_start - start)
        start, end = start + a, start + b
    elif fact.language == "en" and end - start > LONG_EN_SENTENCE:  # a translation's list sentence: the clause
        start, end = max(fact.start, passage.start), min(fact.end, passage.end)
    return Evidence(Hit(passage, 1.0, ("facts",)), 0, start, end, source_text[start:end], 1.0)


def period_words(fact: Fact, language: str) -> str:
    if fact.period_start == fact.period_end:
        return f"{fact.period_start}" if language == "en" else f"{fact.period_start}年"
    span = f"{fact.period_start}–{fact.period_end}"
    return span if language == "en" else f"{span}年"


def place_words(fact: Fact, language: str) -> str:
    if fact.level == "national":
        return "China's" if language == "en" else "全国"
    return f"{fact.region}" if language == "en" else fact.region_name


_EN_QUALIFIER_BEFORE = re.compile(r"(?:around|about|approximately|over|above|more than|at least|no less than|at most|"
                                  r"no more than|within|below|under|less than|roughly|nearly)\s+$", re.I)


_EN_QUALIFIER_AFTER = re.compile(r"\s+(?:or (?:lower|less|below|more|above|higher|so)|and above|and over)\b", re.I)


def as_written_en(fact: Fact) -> str:
    """A translation's figure in its own words (`around 5.5 percent`, `6.5% to 7%`), "" for Chinese."""
    if fact.language != "en":
        return ""
    at, to = fact.value_start - fact.start, fact.value_end - fact.start
    before = _EN_QUALIFIER_BEFORE.search(fact.text[max(0, at - 20):at])
    after = _EN_QUALIFIER_AFTER.match(fact.text[to:])
    return ((before.group(0) if before else "") + fact.text[at:to] + (after.group(0) if after else "")).strip()


def describe(fact: Fact, language: str, n: int, *, with_place: bool = True, title: str = "") -> str:
    """'2026年北京市地区生产总值增长目标为5%左右[1]' / 'According to 《…》, Beijing's GDP
    growth target for 2026: 5%左右 (gloss: about 5 percent) [1]'."""
    name = indicators.display_name(fact.indicator, fact.level, language)
    measure = MEASURE_WORDS.get(fact.measure, ("", ""))
    kind = KIND_WORDS.get(fact.kind, ("", ""))
    value = as_written_en(fact) or format_value(fact)
    if language == "en":
        place = place_words(fact, "en")
        place = (place if place.endswith("'s") else f"{place.title()}'s") + " " if with_place else ""
        source = (f"According to the {title}, " if fact.language == "en" else f"According to 《{title}》, ") if title else ""
        what = " ".join(w for w in (measure[1], kind[1] if fact.kind != "result" else "") if w)
        lead = f"{source}{place}{name}{' ' + what if what else ''}"
        verb = "in" if fact.kind == "result" else "for"
        return f"{lead} {verb} {period_words(fact, 'en')}: {value}{english_gloss(fact)} [{n}]"
    place = place_words(fact, "zh") if with_place and fact.level != "national" else ""
    if fact.measure in ("change", "pp_change"):  # the report's own verb: 减少, 下降, 提高 …
        said = re.search(r"(减少|下降|降低|压减|削减|增加|提高|缩小|扩大)[^，,]{0,4}$", fact.text[:fact.value_start - fact.start])
        measure = (said.group(1) if said else "变化", measure[1])
    verb = "为" if fact.kind == "target" or measure[0] in ("", "累计") else ""
    body = f"{name}{measure[0]}{kind[0]}{verb}{value}" if fact.kind == "target" else (
        f"{name}{kind[0]}{measure[0] or '为'}{value}")
    return f"{period_words(fact, 'zh')}{place}{body}[{n}]"


def english_gloss(fact: Fact) -> str:
    """A gloss of a Chinese figure in an English answer, marked as a gloss:
    5%左右 -> (gloss: about 5 percent), 143.02万人 -> (gloss: 1.4302 million people)."""
    if fact.language == "en":
        return ""
    words = figure_words(fact.value, fact.value_max, fact.unit, fact.qualifier)
    return f" (gloss: {words})" if words else ""


def fact_answer(qa, query, facts: list[Fact], lead: list[str], *, notice: str = "",
                table: list[dict] | None = None) -> Answer | None:
    """An answer whose first lines state the facts (`lead`, with [n] markers already in order
    of `facts`) and whose citations quote each fact's sentence."""
    citations: list[Citation] = []
    quotes: list[str] = []
    used: list[Hit] = []  # the cited passages are what the answer "retrieved"
    for n, fact in enumerate(facts, start=1):
        ev = evidence_for(qa.store, qa.source_text(fact.report), fact)
        if ev is None:
            return None
        if all(h.passage != ev.hit.passage for h in used):
            used.append(ev.hit)
        report = qa.reports[fact.report]
        citations.append(citation_for(n, ev, report))
        quote = ev.text.rstrip("；;，,")
        quotes.append(f"[{n}] 《{report.title}》：“{quote}”" if query.language != "en"
                      else f"[{n}] {report.title}: “{quote}”")
    joiner = "\n"
    if query.language == "en" and facts:
        title = qa.reports[facts[0].report].title
        source = f"the {title}" if facts[0].language == "en" else f"《{title}》"  # an English title needs no 《》
        lead = [line if line.startswith("According to") else f"According to {source}: {line}" if i == 0 else line
                for i, line in enumerate(lead)]
    text = joiner.join(lead) + joiner + joiner.join(quotes)
    return Answer(answer=text, answerable=True, citations=citations, retrieved=used, rewritten_question=query.text,
                  constraints=query.to_dict(), notice=notice, table=table, confidence=1.0)
