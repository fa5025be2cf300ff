"""The evidence scorer's view of each passage, prepared at index time ("units").

Whatever the question, the evidence scorer (assistant/evidence.py) needs of a passage: whether
it is Chinese, its candidate sentences (offsets, stemmed tokens with and without the heading's)
with planted instructions and fragments left out, and for the overview route the stemmed
tokens of the heading path and text together. Computing that at question time (cutting
sentences, tokenising, stemming, looking for instructions) was the slowest 5 % of questions.
The build writes it per report, `tokens/<key>.units.tsv`, the key made of UNITS_VERSION, the
report's tokens key (tokenizer, user dictionary, passage texts) and its passages key, so an
update writes the changed reports' files only. One line per passage, then one per sentence:

    P <tab> 1 if Chinese else 0 <tab> heading tokens <tab> all tokens (heading path and text)
    U <tab> start <tab> end <tab> the sentence's own tokens

tokens stemmed, joined by spaces (no token holds a space or a tab). `prepare` is the one
function that computes it, at index time or, for an index without the file, at question time.
"""

from __future__ import annotations

from collections.abc import Callable

from ..injection import instruction_spans
from ..sentences import split_sentences
from ..textutil import cjk_ratio
from ..types import Passage

UNITS_VERSION = "1"  # bump when `prepare`, `stem` or the file's format changes

# (start, end, own tokens) of each candidate sentence
Unit = tuple[int, int, frozenset[str]]


def stem(token: str) -> str:
    """A crude English stemmer (jobs -> job, targeted -> target); Chinese tokens unchanged."""
    token = token.removesuffix("'s")
    if not token.isascii() or len(token) <= 4 or not token.isalpha():
        return token
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return token[: -len(suffix)] + repl
    return token


class Prepared:
    """One passage's units: `chinese`, `heading` (stemmed heading tokens), `units`, and
    `all_tokens` (stemmed tokens of the heading path and text)."""

    __slots__ = ("chinese", "heading", "units", "all_tokens")

    def __init__(self, chinese: bool, heading: frozenset[str], units: tuple[Unit, ...],
                 all_tokens: frozenset[str]):
        self.chinese, self.heading, self.units, self.all_tokens = chinese, heading, units, all_tokens


def _stems(tokens) -> frozenset[str]:
    return frozenset({stem(t) for t in tokens})


def sentence_spans(passage: Passage) -> list[tuple[int, int]]:
    """Sentences of a passage (absolute offsets); a glossary entry (term and definition) is one."""
    if passage.kind == "glossary_entry":
        return [(passage.start, passage.end)]
    return split_sentences(passage.text, offset=passage.start)


def prepare(passage: Passage, tokenize: Callable[[str], list[str]]) -> Prepared:
    heading = _stems(tokenize(passage.heading_path))
    planted = {(s + passage.start, e + passage.start) for s, e in instruction_spans(passage.text)}
    units = []
    for s, e in sentence_spans(passage):
        sentence = passage.text[s - passage.start:e - passage.start]
        if len(sentence) < 4 or (s, e) in planted:  # a planted instruction is not evidence
            continue
        units.append((s, e, _stems(tokenize(sentence))))
    return Prepared(cjk_ratio(passage.text) >= 0.3, heading, tuple(units),
                    _stems(tokenize(passage.heading_path + "\n" + passage.text)))


def format_units(passages: list[Passage], tokenize: Callable[[str], list[str]]) -> str:
    lines = []
    for passage in passages:
        p = prepare(passage, tokenize)
        lines.append(f"P\t{int(p.chinese)}\t{' '.join(sorted(p.heading))}\t{' '.join(sorted(p.all_tokens))}\n")
        lines.extend(f"U\t{s}\t{e}\t{' '.join(sorted(tokens))}\n" for s, e, tokens in p.units)
    return "".join(lines)


def split_units(text: str) -> list[str]:
    """A units file's text -> one block of lines per passage, in row order (parsed on demand)."""
    if not text:
        return []
    blocks = text.split("\nP\t")
    return [blocks[0].removeprefix("P\t"), *blocks[1:]]


def _token_set(field: str) -> frozenset[str]:
    return frozenset(field.split(" ")) if field else frozenset()


def parse_block(block: str) -> Prepared:
    """One passage's block (its P line without the leading `P<tab>`, then its U lines)."""
    lines = block.rstrip("\n").split("\n")
    chinese, heading, all_tokens = lines[0].split("\t")
    units = []
    for line in lines[1:]:
        _, s, e, tokens = line.split("\t")
        units.append((int(s), int(e), _token_set(tokens)))
    return Prepared(chinese == "1", _token_set(heading), tuple(units), _token_set(all_tokens))
