"""Answers beyond one sentence (issue 13): a definition (the note or glossary entry, whole), a
reason (the sentence that gives it), and the common parts of the list and open routes
(`enumeration.py`, `overview.py`). Each returns None when it cannot answer in its shape; the
passage route then answers (or refuses) as before. Every quoted span is exact:
`source[start:end] == quote`, each with its own [n]."""

from __future__ import annotations

import re
import time
import weakref
from dataclasses import replace

from ..evidence import Evidence, best_evidence
from ..extractive import citation_for
from ..gloss import gloss_quote
from ..glossary import lookup
from ..retrieve import hybrid_search, make_scope
from ..sentences import split_sentences
from ..textutil import cjk_ratio
from ..types import Answer, Hit, Passage
from ..understand import Query, asks
from .passages import refuse, threshold

# The words that give a reason, in the sentence itself or one next to it: the strong ones
# say so (这是因为, 考虑到, 有利于 …), the weak ones only set a scene (面对…, 形势, 压力).
REASON_STRONG = re.compile(r"因为|由于|考虑到|考虑了|主要考虑|综合考虑|主要是|之所以|旨在|目的是|鉴于|是为了|原因|"
                           r"有利于|相衔接|相匹配|相适应|"
                           r"\bbecause\b|\bin order to\b|\bso as to\b|\bin view of\b|\bthis is because\b|\breason\b|"
                           r"\bon the one hand\b|\bwe need to\b|\bin accordance with\b|\bconsider", re.I)
REASON_WEAK = re.compile(r"为了|针对|面对|以便|为此|的需要|形势|压力|矛盾|挑战|"
                         r"这是.{0,24}(?:措施|需要|要求|关键|基础|前提|保障|举措|必然|根本)|"
                         r"\bsince\b|\bgiven\b|\bto ensure\b|\bchalleng|\bpressure", re.I)


REASON_CANDIDATES = 8  # subject sentences tried, best first
# Added to a subject sentence's score when a reason goes with it: its own strong word, one in
# a sentence after it, a weak word (tuned on the reason questions of eval/shapes.jsonl).
REASON_BONUS = {"own": 0.3, "next": 0.2, "weak": 0.1}


def reason_mark(text: str, weak: bool = True):
    return REASON_STRONG.search(text) or (REASON_WEAK.search(text) if weak else None)


# A body sentence that defines a term: X是指…, X即…, 简称, X means …
DEFINES = re.compile(r"是指|指的是|即|就是|简称|全称|是一种|是一项|\bmeans\b|\brefers? to\b|\bis defined as\b", re.I)
CLAUSE_END = re.compile(r"[，；：,;:]")
LONG_QUOTE = 220  # characters: a longer sentence is cut to the clauses that matter


def search(qa, query: Query, filters: dict | None, text: str | None = None, timings: dict | None = None) -> list[Hit]:
    """Hits in the question's scope. Of several places named, the first is the one asked about
    (天津怎么跟北京、河北协同发展: Tianjin's report; the others are its subject)."""
    c = query.constraints
    if len(c.regions) > 1:
        c = replace(c, regions=c.regions[:1])
    scope = make_scope(qa.store, c, filters)
    if not scope.mask.any():
        return []
    started = time.perf_counter()
    hits = hybrid_search(qa.store, text or query.text, c, scope, qa.settings)
    if timings is not None:
        timings["retrieve_ms"] = round(timings.get("retrieve_ms", 0.0) + (time.perf_counter() - started) * 1000, 2)
    return hits


def without_speakers(qa, text: str) -> str:
    """The question without the names of the reports' speakers (1978年华国锋的报告…): they pick
    the report, and as words they match only its delivery lines."""
    for name in speaker_names(qa.store):
        if name in text:
            text = text.replace(name, " ")
    return text


_SPEAKERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> its speakers' names


def speaker_names(store) -> list[str]:
    """The reports' speakers' names of two characters or more, once each, in report order
    (per store: at 16× the 2,080 reports are not walked per question)."""
    names = _SPEAKERS.get(store)
    if names is None:
        names = list(dict.fromkeys(name for report in store.reports.values()
                                   for name in (report.speaker or "").split() if len(name) >= 2))
        _SPEAKERS[store] = names
    return names


def sentences_of(qa, hits: list[Hit], query: Query, text: str | None = None, top: int = 6,
                 use_headings: bool = True) -> list[Evidence]:
    c = query.constraints
    return best_evidence(hits, text or query.text, c, qa.store.tokenizer.tokenize, qa.store.idf,
                         top_passages=top, lexicon=qa.store.lexicon, use_headings=use_headings,
                         units=getattr(qa.store, "units", None))


def sentence_at(passage: Passage, pos: int) -> tuple[int, int]:
    """The sentence of `passage` holding offset `pos` (absolute offsets)."""
    for s, e in split_sentences(passage.text, offset=passage.start):
        if s <= pos < e:
            return s, e
    return passage.start, passage.end


def whole(hit: Hit, start: int, end: int, score: float = 1.0) -> Evidence:
    p = hit.passage
    return Evidence(hit, 0, start, end, p.text[start - p.start:end - p.start], score)


def quoted_answer(qa, query: Query, evidence: list[Evidence], lead: str, hits: list[Hit],
                  bullets: bool = False) -> Answer:
    """`lead` then each quote with its own [n], in the given order."""
    en = query.language == "en"
    citations, parts = [], []
    for n, ev in enumerate(evidence, start=1):
        report = qa.reports[ev.hit.passage.report]
        citations.append(citation_for(n, ev, report))
        quote = ev.text.strip().rstrip("；;，,")
        if en:
            gloss = gloss_quote(quote)
            parts.append(f"{n}. “{quote}”{gloss} [{n}]" if bullets else f"“{quote}”{gloss} [{n}]")
        else:
            end = "" if quote.endswith(("。", "！", "？", "”", "：")) else "。"
            parts.append(f"（{n}）{quote}{end}[{n}]" if bullets else f"{quote}{end}[{n}]")
    joiner = "\n" if bullets else (" " if en else "")
    text = lead + ("\n" if bullets or en else "") + joiner.join(parts)
    return Answer(answer=text, answerable=True, citations=citations, retrieved=hits or [e.hit for e in evidence],
                  rewritten_question=query.text, constraints=query.to_dict(),
                  confidence=max((e.score for e in evidence), default=1.0))


def report_lead(qa, query: Query, report_id: str, heading: str = "") -> str:
    report = qa.reports[report_id]
    if query.language == "en":
        where = f", under “{heading}”" if heading else ""
        return f"According to 《{report.title}》{where}:" if report.language != "en" else (
            f"According to the {report.title}{where}:")
    return f"据《{report.title}》" + (f"“{heading}”部分" if heading else "") + "："


# ---------------------------------------------------------------- definition
def entry_answer(qa, query: Query, filters: dict | None, quoted_only: bool = False, scope=None) -> Answer | None:
    """The whole note or glossary entry of a term the question names (see glossary.lookup);
    `scope`: the question's, when the caller has it already."""
    scope = scope if scope is not None else make_scope(qa.store, query.constraints, filters)
    if not scope.mask.any():
        return None
    for entry in lookup(qa.glossary, query.text, lambda row: bool(scope.mask[row]), quoted_only):
        passage = qa.store.passages[entry.row]
        hit = Hit(passage, 1.0, ("glossary",))
        lead = report_lead(qa, query, passage.report, passage.heading_path)
        return quoted_answer(qa, query, [whole(hit, passage.start, passage.end)], lead, [hit])
    return None


def definition_answer(qa, query: Query, filters: dict | None, timings: dict) -> Answer | None:
    """The note or glossary entry of the term asked, whole; else a body sentence that defines it."""
    c = query.constraints
    scope = make_scope(qa.store, c, filters)
    if not scope.mask.any():
        return None
    if entry := entry_answer(qa, query, filters, scope=scope):
        return entry
    term = asks.defined_term(query.text)
    hits = search(qa, query, filters, timings=timings)
    if note := inline_note(qa, hits, term or query.text):
        return quoted_answer(qa, query, [note], report_lead(qa, query, note.hit.passage.report), [note.hit])
    # a Chinese term that no report in scope uses is refused (an English one may be translated)
    if term and cjk_ratio(term) >= 0.5 and not any(term in qa.store.passages[row].text
                                                   for row in scope.mask.nonzero()[0]):
        return refuse(c, query.text, absent_term(term, query.language))
    if not term or not hits:
        return None
    best = None
    for ev in sentences_of(qa, hits, query):
        s, e = sentence_at(ev.hit.passage, ev.start)
        text = ev.hit.passage.text[s - ev.hit.passage.start:e - ev.hit.passage.start]
        at = text.find(term)
        if at >= 0 and DEFINES.search(text, at + len(term)) and ev.score >= threshold(qa, c) - 0.1:
            best = best or whole(ev.hit, s, e, ev.score)
    if best is None:
        return None
    return quoted_answer(qa, query, [best], report_lead(qa, query, best.hit.passage.report), hits)


def absent_term(term: str, language: str) -> str:
    return f"no report searched uses the term “{term}”" if language == "en" else f"所检索的报告中没有出现“{term}”"


INLINE_NOTE = re.compile(r"[(（](?:Note|注)[:：][^)）]*[)）]?")
NOTE_REACH = 160  # characters before a note in which the term it explains must stand


def inline_note(qa, hits: list[Hit], term: str) -> Evidence | None:
    """A note inside the text, `… the Four-Pronged Comprehensive Strategy (Note: This refers to …)`,
    whose term stands just before it; the translations explain terms only this way."""
    words = [w for w in re.findall(r"[a-z]{4,}|[\u4e00-\u9fff]{2,}", term.lower()) if w not in NOTE_STOP]
    for hit in hits[:6]:
        text = hit.passage.text
        for m in INLINE_NOTE.finditer(text):
            before = text[max(0, m.start() - NOTE_REACH):m.start()].lower()
            if words and sum(w in before for w in words) * 2 >= len(words) + 1:
                start = hit.passage.start + m.start()
                return whole(hit, start, start + len(m.group(0).rstrip()))
    return None


NOTE_STOP = {"what", "does", "mean", "report", "government", "work", "mentioned", "which", "that", "this", "term",
             "covered", "under", "with", "from"}


# ---------------------------------------------------------------- reason
def _clip(ev: Evidence, keep: int) -> Evidence:
    """A long sentence cut to the clauses from its start up to the clause at `keep` (offset in
    the sentence) and the one after it, so a reason given before the policy stays with it."""
    if len(ev.text) <= LONG_QUOTE:
        return ev
    cuts = [0] + [m.end() for m in CLAUSE_END.finditer(ev.text)] + [len(ev.text)]
    after = next((b for b in cuts if b > keep), len(ev.text))
    end = next((b for b in cuts if b > after), after)
    start = max([a for a in cuts if a <= max(0, end - LONG_QUOTE)] or [0])
    text = ev.text[start:end].rstrip("，,；;：:")
    return Evidence(ev.hit, ev.rank, ev.start + start, ev.start + start + len(text), text, ev.score)


def _to_full_stop(ev: Evidence) -> Evidence:
    """A reason that runs on past ；/; to the 。 that ends it (这是因为…；…；…。), within limits."""
    p = ev.hit.passage
    if not ev.text.rstrip().endswith(("；", ";", "，", ",", "：", ":")):
        return ev
    rest = p.text[ev.end - p.start:]
    stop = re.search(r"[。！？\n]|\.(?:\s|$)", rest)
    if not stop or stop.start() == 0 or stop.start() > LONG_QUOTE:
        return ev
    return whole(ev.hit, ev.start, ev.end + stop.start(), ev.score)


def reason_answer(qa, query: Query, filters: dict | None, timings: dict) -> Answer | None:
    """The sentence that states what the question asks about, with the sentence giving its reason
    (the same one when it carries 因为/为了/考虑到/…, else the next or the one before)."""
    c = query.constraints
    subject = without_speakers(qa, asks.reason_subject(query.text))
    hits = search(qa, query, filters, subject, timings)
    if not hits:
        return None
    best: tuple[float, list[Evidence]] | None = None
    for ev in sentences_of(qa, hits, query, subject, use_headings=False)[:REASON_CANDIDATES]:
        passage = ev.hit.passage
        spans = split_sentences(passage.text, offset=passage.start)
        i = next((k for k, (s, e) in enumerate(spans) if s <= ev.start < e), None)
        if i is None:
            continue
        full = whole(ev.hit, *spans[i], ev.score)
        chosen, bonus = [full], 0.0
        if mark := reason_mark(full.text):
            chosen, bonus = [_clip(full, max(mark.start(), ev.start - full.start))], REASON_BONUS[
                "own" if REASON_STRONG.search(full.text) else "weak"]
        else:
            for k, weak in ((i + 1, False), (i + 2, False), (i + 3, False), (i - 1, False), (i + 1, True), (i - 1, True)):
                if 0 <= k < len(spans):
                    other = whole(ev.hit, *spans[k], ev.score)
                    if m := reason_mark(other.text, weak):
                        chosen = sorted([_clip(full, ev.start - full.start), _clip(other, m.start())],
                                        key=lambda x: x.start)
                        bonus = REASON_BONUS["weak" if weak else "next"]
                        break
        if best is None or ev.score + bonus > best[0]:
            best = (ev.score + bonus, chosen)
    if best is None or best[0] < threshold(qa, c):
        return None
    best = (best[0], [_to_full_stop(ev) for ev in best[1]])
    return quoted_answer(qa, query, best[1], report_lead(qa, query, best[1][0].hit.passage.report), hits)
