"""The terms a report's notes explain (名词解释, 注释, 附注, numbered notes, English Notes),
linked to their entries, so a question about a term goes straight to its whole entry.

The chunker makes one `glossary_entry` passage per entry; the term is what the entry opens
with before its first colon, without the note's number or quotes:

    "１、应对国际金融危机的一揽子计划：是指…"   -> 应对国际金融危机的一揽子计划
    "［4］三张“零关税”清单： 原辅料…"          -> 三张零关税清单
    "- 四库管理:**对全县重点项目…"             -> 四库管理
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textutil import nfkc
from .types import Passage

_NUMBER_HEAD = re.compile(r"^\s*(?:[-*]\s*)?(?:\*\*)?\s*(?:[［\[【(（]\s*\d+\s*[］\]】)）]|\d+\s*[、.．)）])?\s*")
_TERM = re.compile(r"^(?P<term>[^：:。；;，,]{1,40}?)\s*(?:\*\*)?\s*[：:]")
_MARKS = re.compile(r"[“”\"'‘’《》「」『』\s*]")


def match_key(text: str) -> str:
    """A term as compared: NFKC, no quotes, no spaces, lower case (“三网”融合 == 三网融合)."""
    return _MARKS.sub("", nfkc(text)).lower()


def term_of(entry: str) -> str:
    """The term an entry explains, as written (quotes kept), or "" for an entry with no
    `term：` head (the 民生实事 lists some reports append are items, not definitions)."""
    body = entry[_NUMBER_HEAD.match(entry).end():]
    m = _TERM.match(body)
    return m.group("term").strip(" *") if m else ""


@dataclass(frozen=True)
class Entry:
    term: str  # as written
    key: str  # match_key(term)
    row: int  # the passage's row in the index


def entries_of(passages: list[Passage]) -> list[Entry]:
    """Every glossary entry that names a term, with its row (index order)."""
    found = []
    for row, passage in enumerate(passages):
        if passage.kind == "glossary_entry" and (term := term_of(passage.text)) and len(match_key(term)) >= 2:
            found.append(Entry(term, match_key(term), row))
    return found


def lookup(entries: list[Entry], question: str, allowed, quoted_only: bool = False) -> list[Entry]:
    """Entries whose term the question names, longest term first; `allowed(row)` says
    whether a passage is in the question's scope (its year, region, level). `quoted_only`:
    only a term the question puts in quotes (“暖心驿站”主要服务哪些人？)."""
    asked = match_key(question)
    quoted = [match_key(q) for q in _QUOTED.findall(nfkc(question)) if len(match_key(q)) >= 2]
    groups = _by_key(entries)  # each distinct term tested once (the 16× corpus: 4,240 entries, 265 terms)
    keys = [k for k in groups if any(q == k or (q in k and not quoted_only) for q in quoted)
            or (k in asked and not quoted_only)]
    hits = [e for k in keys for e in groups[k] if allowed(e.row)]
    return sorted(hits, key=lambda e: (-len(e.key), e.row))  # = the entries' (row) order within a length


_GROUPS: list = [None, {}]  # the entries list last grouped, and its groups


def _by_key(entries: list[Entry]) -> dict[str, list[Entry]]:
    """The entries grouped by term key, for the list last asked about (one per index generation)."""
    seen, groups = _GROUPS
    if seen is not entries:
        groups = {}
        for entry in entries:
            groups.setdefault(entry.key, []).append(entry)
        _GROUPS[:] = [entries, groups]
    return groups


_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,40})[”\"」』]")
