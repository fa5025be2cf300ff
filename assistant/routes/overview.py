"""What a report said about a topic: the 2–5 sentences of the best section that cover the topic
best, in report order, each with its own [n], under a length limit, the heading path shown.

The section is the part > section (`三、… > （一）…`) the top hits crowd into; a report without
section headings gives the top hit's passage and its neighbours. The section must cover the
topic's words (all its sentences together, the heading included) as well as one answer
sentence must cover the question elsewhere; inside it, sentences are ranked by their own words
only, so a heading that names the topic does not make every sentence equal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ..evidence import Evidence, best_evidence, is_paragraph_lead, narrow, question_weights
from ..search.units import Prepared, prepare
from ..textutil import cjk_ratio
from ..types import Answer, Hit, Passage
from ..understand import Query, asks
from .passages import threshold
from .shapes import quoted_answer, report_lead, search, without_speakers

MAX_SENTENCES = 5
MIN_SENTENCES = 2
MAX_CHARS = {"zh": 600, "en": 1400}  # the answer's quotes together (an English sentence is ~3× longer)
KEEP_SHARE = 0.6  # past the first two, a sentence is kept when it scores this share of the best one
SECTION_HITS = 8  # the top hits whose sections compete for being "the" section
NEIGHBOURS = 2  # passages either side of the top hit when the report has no sections
# A paragraph the chunker found headed by its lead sentence (深化国际金融中心建设。) is quoted by
# its other sentences, ranked with LEAD_SHARE of the lead's score: on the 39 tuned overview
# questions 9 answers quoted such leads, which say no more than the question.
LEAD_SHARE = 0.5


def section_key(passage: Passage) -> str:
    return " > ".join(passage.heading_path.split(" > ")[:2])


def section_of(qa, hits: list[Hit], topic_tokens: set[str]) -> tuple[str, str, list[Passage]]:
    """(report, section heading, its passages): the part > section (`三、… > （一）…`) the top hits
    crowd into, or the top hit's own lead heading (`推进新型城镇化`) when that names the topic."""
    top = hits[0].passage
    lead = top.heading_path.split(" > ")[-1] if top.heading_path.count(" > ") >= 2 else ""
    if lead and topic_tokens & set(qa.store.tokenizer.tokenize(lead)):
        return top.report, top.heading_path, [p for p in qa.store.passages_of(top.report)
                                             if p.heading_path == top.heading_path]
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for hit in hits[:SECTION_HITS]:
        totals[(hit.passage.report, section_key(hit.passage))] += hit.score
    report, key = max(totals, key=totals.get)
    if key:
        return report, key, [p for p in qa.store.passages_of(report) if section_key(p) == key]
    return around(qa, next(h.passage for h in hits if h.passage.report == report))


def around(qa, top: Passage) -> tuple[str, str, list[Passage]]:
    """The passage and its neighbours: a report (or part of one) without section headings."""
    passages = qa.store.passages_of(top.report)
    at = passages.index(top)
    return top.report, "", passages[max(0, at - NEIGHBOURS):at + NEIGHBOURS + 1]


def _ready(qa, passage: Passage) -> Prepared:
    """The passage's evidence units, from the index where it has them (search/units.py)."""
    ready = qa.store.units(passage) if hasattr(qa.store, "units") else None
    return ready if ready is not None else prepare(passage, qa.store.tokenizer.tokenize)


def covered(qa, topic: str, query: Query, passages: list[Passage]) -> float:
    """Share of the topic's weight whose words occur somewhere in the passages (headings too)."""
    weights, weights_zh = question_weights(topic, query.constraints, qa.store.tokenizer.tokenize, qa.store.idf,
                                           qa.store.lexicon)
    ready = [_ready(qa, p) for p in passages]
    chinese = sum(r.chinese for r in ready) * 2 >= len(passages)
    weights = weights_zh if chinese else weights
    tokens = set().union(*(r.all_tokens for r in ready))
    return sum(w for t, w in weights.items() if t in tokens) / (sum(weights.values()) or 1.0)


def open_answer(qa, query: Query, filters: dict | None, timings: dict) -> Answer | None:
    c = query.constraints
    topic = without_speakers(qa, asks.open_topic(query.text))
    hits = search(qa, query, filters, topic, timings)
    if not hits:
        return None
    weights, weights_zh = question_weights(topic, c, qa.store.tokenizer.tokenize, qa.store.idf, qa.store.lexicon)
    # the title and delivery lines match a question naming the speaker (1978年华国锋的报告…): not a topic
    hits = [h for h in hits if h.passage.start > qa.store.passages_of(h.passage.report)[0].start] or hits
    report, heading, section = section_of(qa, hits, set(weights) | set(weights_zh))
    if covered(qa, topic, query, section) < threshold(qa, c):  # else the top hit where it stands
        report, heading, section = around(qa, hits[0].passage)
        if covered(qa, topic, query, section) < threshold(qa, c):
            return None
    found = best_evidence([Hit(p, 0.0) for p in section], topic, c, qa.store.tokenizer.tokenize, qa.store.idf,
                          top_passages=len(section), rank_decay=0.0, lexicon=qa.store.lexicon,
                          use_headings=False, narrow_first=False, units=getattr(qa.store, "units", None))
    headings = {part.strip() for part in heading.split(" > ")}
    found = [ev for ev in found if ev.text.rstrip("。.") not in headings and len(ev.text) >= 8]
    if not found:
        return None
    order = {p.start: i for i, p in enumerate(section)}  # equal scores: the earlier sentence first
    found.sort(key=lambda e: (-round(e.score, 3), order[e.hit.passage.start], e.start))
    chosen = _spread(qa, query, topic, under_leads(found), MAX_CHARS.get(query.language, 600))
    return quoted_answer(qa, query, chosen, report_lead(qa, query, report, heading), hits)


def under_leads(found: list[Evidence]) -> list[Evidence]:
    """The sentences ranked with their paragraph's lead (LEAD_SHARE of its score), the leads left
    out; unchanged when only leads were found."""
    leads = {ev.hit.passage.start: ev.score for ev in found if is_paragraph_lead(ev)}
    body = [replace(ev, score=ev.score + LEAD_SHARE * leads.get(ev.hit.passage.start, 0.0))
            for ev in found if not is_paragraph_lead(ev)]
    return sorted(body, key=lambda e: -round(e.score, 3)) if body else found


def _spread(qa, query: Query, topic: str, ranked: list[Evidence], limit: int) -> list[Evidence]:
    """Up to MAX_SENTENCES of the ranked sentences under `limit` characters, one a paragraph
    before a second from any, long ones narrowed to their clause on the topic; in report order."""
    c = query.constraints
    weights = question_weights(topic, c, qa.store.tokenizer.tokenize, qa.store.idf, qa.store.lexicon)
    best = ranked[0].score
    candidates = [ev for i, ev in enumerate(ranked) if i < MIN_SENTENCES or ev.score >= KEEP_SHARE * best]
    chosen: list[Evidence] = []
    used = 0
    while candidates and len(chosen) < MAX_SENTENCES:
        taken = {ev.hit.passage.start for ev in chosen}
        ev = next((e for e in candidates if e.hit.passage.start not in taken), candidates[0])
        candidates.remove(ev)
        if len(ev.text) > limit // 3:
            ev = narrow(ev, topic, c, qa.store.tokenizer.tokenize,
                        weights[1] if cjk_ratio(ev.text) >= 0.3 else weights[0])
        if used + len(ev.text) > limit and chosen:
            continue
        chosen.append(ev)
        used += len(ev.text)
    return sorted(chosen, key=lambda e: e.start)
