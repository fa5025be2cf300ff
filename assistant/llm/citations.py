"""Turning the [n] markers of an LLM answer into checked, renumbered Citations.

The model sees passages numbered [1]..[k]. Markers with other numbers are dropped from the
text; the passages actually cited are renumbered 1..m in order of first appearance, and each
gets the sentence of the passage that best supports the answer as its quote.
"""

from __future__ import annotations

import re

from ..injection import instruction_spans
from ..numbers import extract_numbers, same_quantity
from ..sentences import split_sentences
from ..types import Citation, Passage, Report

# [1] [1,2] [1, 2] ［1］ 【1】 — one marker may list several ids.
MARKER_RE = re.compile(r"\s?[\[［【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］】]")
_ID_SPLIT = re.compile(r"\s*[,，、]\s*")


def _marker_ids(match: re.Match) -> list[int]:
    return [int(n) for n in _ID_SPLIT.split(match.group(1).strip())]


def cited_ids(text: str) -> list[int]:
    """All ids the markers of `text` name, in order, repeats included."""
    return [n for m in MARKER_RE.finditer(text) for n in _marker_ids(m)]


def renumber(text: str, valid_ids: int) -> tuple[str, list[int]]:
    """Rewrite the markers of `text`: ids outside 1..valid_ids are dropped, the others are
    renumbered by first appearance. Returns the new text and the old ids, in the new order."""
    order: list[int] = []

    def replace(match: re.Match) -> str:
        kept = [n for n in _marker_ids(match) if 1 <= n <= valid_ids]
        for n in kept:
            if n not in order:
                order.append(n)
        new_ids = dict.fromkeys(order.index(n) + 1 for n in kept)
        return "".join(f"[{k}]" for k in new_ids)

    return MARKER_RE.sub(replace, text).strip(), order


def strip_markers(text: str) -> str:
    return MARKER_RE.sub("", text)


def _answer_sentences_citing(answer: str, marker: int) -> list[str]:
    """The sentences of the (renumbered) answer that carry the marker [marker]. A marker
    standing alone after a sentence end ("…5%。[1]") belongs to the sentence before it."""
    found, previous = [], ""
    for start, end in split_sentences(answer):
        sentence = answer[start:end]
        body = strip_markers(sentence).strip()
        if any(marker in _marker_ids(m) for m in MARKER_RE.finditer(sentence)):
            found.append(body or previous)
        previous = body or previous
    return [s for s in found if s]


def char_bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def best_quote_span(passage_text: str, supported_text: str) -> tuple[int, int]:
    """Span (within the passage) of the sentence sharing most numbers with `supported_text`,
    ties broken by shared character bigrams. A planted instruction is never the quote."""
    spans = split_sentences(passage_text) or [(0, len(passage_text))]
    planted = set(instruction_spans(passage_text))
    spans = [span for span in spans if span not in planted] or spans
    answer_numbers = extract_numbers(supported_text)
    answer_bigrams = char_bigrams(supported_text)

    def score(span: tuple[int, int]) -> tuple[int, int]:
        sentence = passage_text[span[0]:span[1]]
        numbers = extract_numbers(sentence)
        shared = sum(any(same_quantity(a, q) for q in numbers) for a in answer_numbers)
        return shared, len(answer_bigrams & char_bigrams(sentence))

    return max(spans, key=score)


def build_citations(answer: str, cited: list[Passage], reports: dict[str, Report]) -> list[Citation]:
    """Citation n (1-based) for cited[n-1]; `answer` already carries the renumbered markers."""
    citations = []
    for n, passage in enumerate(cited, start=1):
        support = " ".join(_answer_sentences_citing(answer, n)) or strip_markers(answer)
        q_start, q_end = best_quote_span(passage.text, support)
        report = reports.get(passage.report)
        citations.append(Citation(
            n=n, report=passage.report, title=report.title if report else passage.report,
            heading=passage.heading_path, start=passage.start, end=passage.end, text=passage.text,
            quote=passage.text[q_start:q_end], quote_start=passage.start + q_start,
            quote_end=passage.start + q_end))
    return citations
