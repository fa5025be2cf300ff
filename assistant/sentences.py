"""Sentence spans in Chinese and English text. A span never includes surrounding whitespace."""

from __future__ import annotations

import re

# A Chinese sentence ends at 。！？； (or …… / ！？ runs), plus any closing quotes or brackets.
_ZH_END = re.compile(r"(?:[。！？；!?;]|……)+[”’」』）)\]】]*")
# An English sentence ends at . ! ? followed by optional closing quotes, then space and a
# capital/digit/quote or the end. Abbreviations and decimals (U.S., 5.5, e.g.) do not end one.
_EN_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s+[A-Z0-9\"“(]|\s*$)")
_EN_ABBREV = re.compile(r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|No|St|Co|Inc|Ltd|e\.g|i\.e|etc|vs|U\.S|U\.N))\.$")


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _line_spans(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text`, shifted by `offset`.
    Line breaks always end a sentence (the corpus has one paragraph per line)."""
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        cut = line_start
        ends = [m.end() for m in _ZH_END.finditer(line)]
        for m in _EN_END.finditer(line):
            before = line[: m.start() + 1]
            if not _EN_ABBREV.search(before) and not re.fullmatch(r"\s*\d{1,2}\.", before):
                ends.append(m.end())
        for end in sorted(set(ends)):
            span = _strip_span(text, cut, line_start + end)
            if span:
                spans.append(span)
            cut = line_start + end
        span = _strip_span(text, cut, line_end)
        if span:
            spans.append(span)
    return [(s + offset, e + offset) for s, e in spans]
