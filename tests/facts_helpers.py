"""Shared by the tests of the facts rules: the facts of some real reports, and the fact a test
means (the one whose number lies in a quoted stretch of the report and has a given value)."""

from __future__ import annotations

from assistant.corpus import load_corpus
from assistant.facts import extract_facts
from assistant.facts.store import passages_for


def facts_of(corpus_dir, names) -> dict:
    """report stem -> (its text, its facts), extracted afresh."""
    corpus = load_corpus(corpus_dir)
    out = {}
    for name in names:
        rid = f"reports/{name}.txt"
        text = corpus.texts[rid]
        out[name] = (text, extract_facts(corpus.reports[rid], text, passages_for(corpus, rid)))
    return out


def facts_in(facts, report: str, needle: str, value: float) -> list:
    """The facts of `report` whose number lies in the first `needle` and equals `value`."""
    text, found = facts[report]
    start = text.find(needle)
    assert start >= 0, needle
    return [f for f in found if start <= f.value_start < start + len(needle)
            and abs(f.value - value) <= 1e-6 * abs(value)]


def fact(facts, report: str, needle: str, value: float):
    """The one such fact."""
    found = facts_in(facts, report, needle, value)
    assert len(found) == 1, (needle, value, found)
    return found[0]


def meaning(f) -> tuple[str, str, str]:
    """(period as the labels write it, measure, kind) of a fact: `2025` or `2021-2025`."""
    span = f"{f.period_start}-{f.period_end}" if f.period_start != f.period_end else str(f.period_start)
    return span, f.measure, f.kind
