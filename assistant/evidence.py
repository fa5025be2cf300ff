"""Finding the evidence sentence inside retrieved passages.

A sentence is scored by how much of the question's content it covers (tokens weighted by
length, so 城镇新增就业 counts more than 要), plus what the question asks for: `多少亩` wants a
number with 亩, `多少`/`how much` a number, `哪些` a list, `谁` a person. The score is a share
in [0, ~1.5]; higher is better; `answerable` compares it with a threshold calibrated on the
dev set (see eval/README.md and `python -m assistant.calibrate`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .regions import BY_ID
from .retrieve import chinese_terms
from .search.units import Prepared, prepare, sentence_spans, stem
from .textutil import cjk_ratio, nfkc
from .types import PART_GLOSSARY, PART_PLAN, PART_REVIEW, Hit
from .understand.constraints import (
    QUESTION_FILLER,
    Constraints,
    canonical_terms,
    canonical_terms_en,
)

NUMBER_RE = re.compile(r"\d+(?:[.,．]\d+)*|[一二三四五六七八九十百千万亿两]+(?=[个项家亩万亿%])")
PERSON_RE = re.compile(r"(总理|省长|主席|市长|县长|同志)")  # a sentence naming a person


@dataclass(frozen=True)
class Evidence:
    hit: Hit
    rank: int  # rank of the hit in the retrieved list (0 = first)
    start: int  # absolute offsets of the sentence in the report
    end: int
    text: str
    score: float


def is_paragraph_lead(ev: Evidence) -> bool:
    """The sentence is the short lead the chunker took as its paragraph's heading (深化国际金融中心建设。)."""
    passage = ev.hit.passage
    return passage.kind == "lead" and ev.start == passage.start and ev.text.rstrip("。.") == passage.heading[-1]


def content_weights(tokens: list[str], idf, c: Constraints) -> dict[str, float]:
    """Question tokens weighted by rarity (IDF). Years and places are filters, not content."""
    places = set()
    for rid in c.regions:
        region = BY_ID[rid]
        places |= {region.name, *region.short, *region.english}
    if c.county:
        places |= {c.county, c.county.rstrip("县")}
    places = {p.lower() for p in places}
    content = [t for t in dict.fromkeys(tokens)
               if not (t.isdigit() and len(t) == 4) and t not in QUESTION_FILLER
               and t not in places and t.removesuffix("'s") not in places]
    return idf(content) if content else {}


def score_sentence(sentence: str, weights: dict[str, float], sentence_tokens: set[str],
                   question: str, c: Constraints, part: str, normalized: str | None = None) -> float:
    """`normalized`: nfkc(sentence), when the caller has it already."""
    total = sum(weights.values()) or 1.0
    covered = sum(w for t, w in weights.items() if t in sentence_tokens)
    score = covered / total
    text = nfkc(sentence) if normalized is None else normalized
    if c.asks_number:
        if NUMBER_RE.search(text):
            score += 0.15
            unit = c.asked_unit
            if unit and unit in text:
                score += 0.15
        else:
            score -= 0.25
    if c.asks_list and text.count("、") >= 2:
        score += 0.1
    if c.asks_person and PERSON_RE.search(text):
        score += 0.1
    if c.asks_definition and part == PART_GLOSSARY:
        score += 0.2
    if c.intent and part in (PART_PLAN, PART_REVIEW):  # the part the question asks about, or not
        wanted = PART_PLAN if c.intent == "target" else PART_REVIEW
        score += 0.1 if part == wanted else -0.15
    return score


def _stemmed(weights: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for token, weight in weights.items():
        out[stem(token)] = max(out.get(stem(token), 0.0), weight)
    return out


def question_weights(question: str, c: Constraints, tokenize, idf,
                     lexicon: dict[str, str] | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """The question's content tokens by weight: as asked, and for Chinese passages (an English
    question is matched against them through its Chinese terms)."""
    question = canonical_terms(question) if c.language == "zh" else canonical_terms_en(question)
    weights = _stemmed(content_weights(tokenize(question), idf, c))
    weights_zh = weights
    if c.language == "en":
        weights_zh = content_weights(tokenize(chinese_terms(question, lexicon)), idf, c) or weights
    return weights, weights_zh


def best_evidence(hits: list[Hit], question: str, c: Constraints, tokenize, idf,
                  top_passages: int = 6, rank_decay: float = 0.04,
                  lexicon: dict[str, str] | None = None, use_headings: bool = True,
                  narrow_first: bool = True, units=None) -> list[Evidence]:
    """Candidate sentences from the top passages, best first. `idf(tokens) -> {token: weight}`.
    An English question is matched against Chinese passages through its Chinese terms; a
    sentence counts its passage's heading words as its own unless `use_headings` is off.
    `units(passage)`: its index-time units (search/units.py) or None (prepared here)."""
    weights, weights_zh = question_weights(question, c, tokenize, idf, lexicon)
    question = canonical_terms(question) if c.language == "zh" else canonical_terms_en(question)
    found: list[Evidence] = []
    for rank, hit in enumerate(hits[:top_passages]):
        chinese, units_of_passage = prepared(hit.passage, tokenize, units)
        passage_weights = weights_zh if chinese else weights
        for s, e, sentence, tokens, own_tokens, normalized in units_of_passage:
            score = score_sentence(sentence, passage_weights, tokens if use_headings else own_tokens, question, c,
                                   hit.passage.part, normalized) - rank * rank_decay
            found.append(Evidence(hit, rank, s, e, sentence, score))
    found.sort(key=lambda ev: ev.score, reverse=True)
    if narrow_first and found and len(found[0].text) > LONG_SENTENCE:
        found[0] = narrow(found[0], question, c, tokenize, weights_zh if cjk_ratio(found[0].text) >= 0.3 else weights)
    return found


PREPARED_PASSAGES = 4096  # passages whose sentences and their tokens are kept (≈ 10 KB each)


@functools.lru_cache(maxsize=PREPARED_PASSAGES)
def prepared(passage, tokenize, units=None) -> tuple[bool, tuple[tuple[int, int, str, frozenset[str], frozenset[str], str], ...]]:
    """What best_evidence needs of a passage whatever the question: whether it is Chinese, and
    its candidate sentences (start, end, text, stemmed tokens with the heading's, without them,
    NFKC text), planted instructions and fragments left out; once per passage and tokenizer.
    Read from the index (`units(passage)`, search/units.py) where it has them."""
    ready: Prepared | None = units(passage) if units is not None else None
    if ready is None:
        ready = prepare(passage, tokenize)
    heading = ready.heading
    text, offset = passage.text, passage.start
    return ready.chinese, tuple((s, e, sentence, own | heading, own, nfkc(sentence))
                                for s, e, own in ready.units
                                for sentence in (text[s - offset:e - offset],))


def _units(passage) -> list[tuple[int, int]]:
    """Sentences of a passage; a glossary entry (term and definition) is one unit."""
    return sentence_spans(passage)


LONG_SENTENCE = 80  # characters; a longer evidence sentence is narrowed to its best clauses
_CLAUSE_END = re.compile(r"[，；：,;:]")
# A translation's table flattened into one line ("…within 4.5 percent CPI increase of around 3
# percent A basic equilibrium…") has no sentence ends: a capital after a lower-case word or a
# figure starts a new cell there.
_RUN_ON_CELL = re.compile(r"[，；：,;:]|(?<=[a-z0-9%]) (?=[A-Z])|(?:(?<=percent)|(?<= jobs)|(?<= tons)|(?<= yuan)) (?=[a-z])")


def is_table_line(text: str) -> bool:
    """An English line with no sentence end: a translation's flattened table of targets."""
    return cjk_ratio(text) < 0.3 and not re.search(r"[.!?](?:\s|$)", text)


def cell_around(text: str, pos: int) -> tuple[int, int]:
    """(start, end) in `text` of the table cell holding offset `pos` (see _RUN_ON_CELL)."""
    cuts = [0] + [m.end() for m in _RUN_ON_CELL.finditer(text)] + [len(text)]
    start = max(c for c in cuts if c <= pos)
    end = min(c for c in cuts if c > pos)
    piece = text[start:end].rstrip("，,；;：: ")
    return start, start + len(piece)


def narrow(ev: Evidence, question: str, c: Constraints, tokenize, weights) -> Evidence:
    """The clause (with the one after it, if the answer's number is there) that covers the
    question best, so a 30-clause target list is not quoted whole. Offsets stay exact."""
    cut_at = _RUN_ON_CELL if is_table_line(ev.text) else _CLAUSE_END
    cuts = [0] + [m.end() for m in cut_at.finditer(ev.text)] + [len(ev.text)]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b - a >= 2]
    if len(clauses) < 3:
        return ev
    part = ev.hit.passage.part
    best, best_score = None, -9.0
    for i in range(len(clauses)):
        for j in (i, min(i + 1, len(clauses) - 1)):
            a, b = clauses[i][0], clauses[j][1]
            piece = ev.text[a:b]
            tokens = {stem(t) for t in tokenize(piece)}
            score = score_sentence(piece, weights, tokens, question, c, part) - 0.002 * len(piece)
            if score > best_score:
                best, best_score = (a, b), score
    a, b = best
    text = ev.text[a:b].rstrip("，,；;：: ")
    return Evidence(ev.hit, ev.rank, ev.start + a, ev.start + a + len(text), text, ev.score)
