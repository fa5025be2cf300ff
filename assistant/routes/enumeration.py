"""Every item of an enumeration (`主要包括四个方面：一是…；二是…`, `（一）…（二）…`,
`1.… 2.…`, `First, … Second, …`), found after the sentence that best matches the question
and followed across sentences, lines and passages. One citation per item."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..evidence import Evidence
from ..textutil import cn_to_int
from ..types import Answer, Hit
from ..understand import Query, asks
from .overview import open_answer
from .passages import threshold
from .shapes import entry_answer, quoted_answer, report_lead, search, sentence_at, sentences_of

_CN = "一二三四五六七八九十"
# Marker styles, each with its ordinal in group 1. A run must count 1, 2, 3 … without a gap.
STYLES = (
    re.compile(rf"(?<![{_CN}])([{_CN}]{{1,2}})是(?=[，,]?[^，。；\n]{{2}})"),  # 一是… 二是… 一是，…
    re.compile(rf"第([{_CN}]{{1,2}})(?:[，,、]|是)"),  # 第一，… 第二，…
    re.compile(rf"[（(]([{_CN}]{{1,2}})[）)]"),  # （一）…
    re.compile(rf"(?:^|\n)\s*([{_CN}]{{1,2}})、"),  # 一、… at a line start
    re.compile(r"(?:^|\n|[：:；;。]\s*)(?:- )?(\d{1,2})[.、．)）](?!\d)"),  # 1. / 1、
    re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩])"),
    re.compile(r"\b(First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)(?:ly)?,"),
)
_EN_ORD = {w: i for i, w in enumerate("First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth".split(), 1)}
WINDOW = 4000  # characters after the intro searched for the items (the longest list in the dev set: 2,900)
FIRST_WITHIN = 80  # the first item starts at most this far after the intro sentence ends
MAX_ITEMS = 12
# An intro sentence followed by an enumeration may score this much under the answer threshold:
# the items that follow it are evidence of their own (list questions of eval/shapes.jsonl: the
# intro repeats the question in other words, 那么大 / 这么大).
INTRO_SLACK = 0.15


def _ordinal(token: str) -> int:
    if token in _EN_ORD:
        return _EN_ORD[token]
    if token in "①②③④⑤⑥⑦⑧⑨⑩":
        return "①②③④⑤⑥⑦⑧⑨⑩".index(token) + 1
    return int(token) if token.isdigit() else (cn_to_int(token) or 0)


@dataclass(frozen=True)
class Item:
    start: int
    end: int


def items_after(source: str, intro_start: int, intro_end: int, wanted: int = 0) -> list[Item]:
    """The items of the enumeration the intro sentence opens (or holds), [] if none. Of several
    runs, one of the size asked (哪四个方面) wins, then one that starts inside or after the
    intro rather than at its first character (the intro is then itself item 1 of an outer
    list, as a numbered note is), then the earliest."""
    window = source[intro_start:intro_start + WINDOW]
    runs: list[list[int]] = []
    for style in STYLES:
        marks = [(m.start(1) if m.group(0)[:1] in "\n：:；;。 " else m.start(), _ordinal(m.group(1)))
                 for m in style.finditer(window)]
        run: list[int] = []
        for pos, number in marks:
            if not run:
                if number == 1 and pos <= intro_end - intro_start + FIRST_WITHIN:
                    run = [pos]
            elif number == len(run) + 1 and _continues(window, run[-1], pos):
                run.append(pos)
            elif number == 1 or "\n" in window[run[-1]:pos]:
                break  # a second enumeration begins, or the paragraph ended without the next item
        if len(run) >= 2:
            runs.append(run[:MAX_ITEMS])
    if not runs:
        return []
    best = min(runs, key=lambda r: (not (wanted and len(r) == wanted), r[0] == 0, r[0]))
    return _spans(source, intro_start, best)


def _line_start(text: str, pos: int) -> bool:
    return pos == 0 or text[:pos].rstrip(" \t-")[-1:] in ("\n", "")


def _continues(window: str, previous: int, pos: int) -> bool:
    """The next item of a run: in the same paragraph, or each item on its own line."""
    return "\n" not in window[previous:pos] or (_line_start(window, previous) and _line_start(window, pos))


def _spans(source: str, base: int, run: list[int]) -> list[Item]:
    """Each item from its marker to the next one; the last to the end of its sentence or line."""
    items = []
    for k, pos in enumerate(run):
        start = base + pos
        if k + 1 < len(run):
            end = base + run[k + 1]
        else:
            stop = re.search(r"[。\n]|\.(?=\s)", source[start:start + 600])
            end = start + (stop.end() if stop else min(600, len(source) - start))
        while end > start and source[end - 1] in " \n，,；;。.":
            end -= 1
        items.append(Item(start, end))
    return items


def list_answer(qa, query: Query, filters: dict | None, timings: dict) -> Answer | None:
    c = query.constraints
    hits = search(qa, query, filters, timings=timings)
    if not hits:
        return None
    wanted = asks.enumeration_size(query.text)
    candidates = []
    for rank, ev in enumerate(sentences_of(qa, hits, query)[:6]):
        if ev.score < threshold(qa, c) - INTRO_SLACK:
            break
        source = qa.source_text(ev.hit.passage.report)
        s, e = sentence_at(ev.hit.passage, ev.start)
        items = items_after(source, s, e, wanted)
        if items:
            fits = 0.3 if wanted and len(items) == wanted else (-0.2 if wanted else 0.0)
            candidates.append((ev.score + fits - 0.05 * rank, ev, items))
    if not candidates:  # no enumeration: a quoted term's note, else what the report said about it
        return entry_answer(qa, query, filters, quoted_only=True) or open_answer(qa, query, filters, timings)
    _, ev, items = max(candidates, key=lambda t: t[0])
    evidence = [_item_evidence(qa, ev, item) for item in items]
    lead = report_lead(qa, query, ev.hit.passage.report, ev.hit.passage.heading_path)
    count = f"{len(items)} items:" if query.language == "en" else f"共{len(items)}项："
    return quoted_answer(qa, query, evidence, lead.rstrip("：:") + ("，" if query.language != "en" else "; ") + count,
                         hits, bullets=True)


def _item_evidence(qa, ev: Evidence, item: Item) -> Evidence:
    """The item as a quote of the passage holding its start (cut at that passage's end)."""
    report = ev.hit.passage.report
    passages = qa.store.passages_of(report)
    starts = [p.start for p in passages]
    passage = passages[max(0, bisect.bisect_right(starts, item.start) - 1)]
    end = min(item.end, passage.end)
    text = passage.text[item.start - passage.start:end - passage.start]
    return Evidence(Hit(passage, ev.hit.score, ev.hit.sources), ev.rank, item.start, end, text, ev.score)
