"""Facts as citations: the sentence a fact stands in, quoted exactly, and the plain-language
wording of a fact (`2026年北京市地区生产总值增长目标为5%左右`)."""

from __future__ import annotations

from ..evidence import Evidence
from ..extractive import citation_for
from ..facts import indicators
from ..facts.lookup import format_value
from ..types import Answer, Citation, Fact, Hit, Passage

KIND_WORDS = {"target": ("目标", "target"), "result": ("实际", "actual"), "expectation": ("预计", "expected")}
MEASURE_WORDS = {"growth": ("增长", "growth"), "avg_growth": ("年均增长", "average annual growth"),
                 "total": ("累计", "cumulative"), "change": ("变化", "change"), "share": ("", "share"),
                 "pp_change": ("变化", "change"), "level": ("", ""), "count": ("", "")}


def passage_of(store, fact: Fact) -> Passage | None:
    return next((p for p in store.passages_of(fact.report) if p.start <= fact.value_start < p.end), None)


def evidence_for(store, source_text: str, fact: Fact) -> Evidence | None:
    """The fact's sentence inside its passage, as evidence quoting exact characters."""
    passage = passage_of(store, fact)
    if passage is None:
        return None
    start = max(fact.sentence_start, passage.start)
    end = min(fact.sentence_end, passage.end)
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


def describe(fact: Fact, language: str, n: int, *, with_place: bool = True) -> str:
    """'2026年北京市地区生产总值增长目标为5%左右[1]' / 'Beijing 2026 GDP growth target: 5%左右 [1]'."""
    name = indicators.display_name(fact.indicator, fact.level, language)
    measure = MEASURE_WORDS.get(fact.measure, ("", ""))
    kind = KIND_WORDS.get(fact.kind, ("", ""))
    value = format_value(fact)
    if language == "en":
        place = f"{place_words(fact, 'en').title()} " if with_place else ""
        gloss = english_gloss(fact)
        return f"{place}{period_words(fact, 'en')} {name} {measure[1]} {kind[1]}: {value}{gloss} [{n}]".replace("  ", " ")
    place = place_words(fact, "zh") if with_place and fact.level != "national" else ""
    verb = "为" if fact.kind == "target" or measure[0] in ("", "累计") else ""
    body = f"{name}{measure[0]}{kind[0]}{verb}{value}" if fact.kind == "target" else (
        f"{name}{kind[0]}{measure[0] or '为'}{value}")
    return f"{period_words(fact, 'zh')}{place}{body}[{n}]"


def english_gloss(fact: Fact) -> str:
    """A gloss of a Chinese figure in an English answer: (about 5 percent), marked as a gloss."""
    if fact.language == "en":
        return ""
    words = {"左右": "about ", "以上": "at least ", "以内": "at most ", "以下": "below ", "不低于": "at least ",
             "不超过": "at most ", "力争": "striving for ", "超过": "over ", "约": "about ", "近": "nearly "}
    low = f"{fact.value:g}" if fact.unit == "%" else ""
    if not low:
        return ""
    number = f"{fact.value:g}–{fact.value_max:g}" if fact.value_max is not None else low
    return f" (gloss: {words.get(fact.qualifier, '')}{number} percent)"


def fact_answer(qa, query, facts: list[Fact], lead: list[str], *, notice: str = "",
                table: list[dict] | None = None) -> Answer | None:
    """An answer whose first lines state the facts (`lead`, with [n] markers already in order
    of `facts`) and whose citations quote each fact's sentence."""
    citations: list[Citation] = []
    quotes: list[str] = []
    for n, fact in enumerate(facts, start=1):
        ev = evidence_for(qa.store, qa.source_text(fact.report), fact)
        if ev is None:
            return None
        report = qa.reports[fact.report]
        citations.append(citation_for(n, ev, report))
        quote = ev.text.rstrip("；;，,")
        quotes.append(f"[{n}] 《{report.title}》：“{quote}”" if query.language != "en"
                      else f"[{n}] {report.title}: “{quote}”")
    joiner = "\n"
    text = joiner.join(lead) + joiner + joiner.join(quotes)
    return Answer(answer=text, answerable=True, citations=citations, rewritten_question=query.text,
                  constraints=query.to_dict(), notice=notice, table=table, confidence=1.0)
