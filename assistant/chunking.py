"""Split a report into passages along its own structure.

Structure read from the text (one paragraph per line in the corpus):
- parts: `一、2023年工作回顾` (English: `I. Review of ...`), level 1 of the heading path;
- sections: `（一）…` and the broken `七)` of the county excerpt; the heading is the first sentence;
- lead sentences: a paragraph opening with a short sentence such as `打造宜居城市。` or
  `——经济总体回升向好。`, level 3;
- a glossary (名词解释 / 注释 / 附注 / 附件, English Notes) after the closing words: one passage
  per entry (the term and its whole definition; see assistant/glossary.py for the terms);
- a targets list (主要预期目标是：…；…；…。): one passage per item.
Paragraphs are packed into passages of about `chunk_target` characters (English: tiktoken
tokens) within one heading, and split only at sentence ends, never inside a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .numbers import chinese_numeral_value
from .sentences import split_sentences
from .settings import Settings
from .tokens import count_tokens
from .types import PART_GLOSSARY, PART_OTHER, PART_PLAN, PART_REVIEW, Passage, Report

CHUNKER_VERSION = 8  # bump when passages change for the same text: indexes then ask to be rebuilt
CN_NUM = "一二三四五六七八九十"
PART_RE = re.compile(rf"^\s*(?:[{CN_NUM}]{{1,3}}、|(?:[IVX]{{1,5}})\.\s)")
SECTION_RE = re.compile(rf"^\s*(?:[（(][{CN_NUM}]{{1,3}}[）)]|[{CN_NUM}]{{1,3}}[）)])")
GLOSSARY_RE = re.compile(r"^\s*(?:附件\s*\d*\s*)?(?:《政府工作报告》有关内容)?(?:名词解释|名词注释|注释|附注|附件\s*\d*|附：)\s*[:：]?\s*$"
                         r"|^\s*(?:Notes|NOTES|Explanatory [Nn]otes|Annotations)\s*:?\s*$")
# A part heading run on at a paragraph's end after its last sentence (national 2013:
# `…请各位代表审议。 一、过去五年工作回顾`): split off when its ordinal continues the parts.
TRAILING_PART_RE = re.compile(rf"(?<=[。！？!?])[ \u3000]*(?P<n>[{CN_NUM}]{{1,3}})、[^。！？!?；;\n]{{2,40}}$")
REVIEW_WORDS = ("回顾", "过去一年", "过去五年", "工作总结", "执行情况", "review", "Review")  # 1990年计划的执行情况 (1991)
TARGETS_RE = re.compile(r"(主要预期目标|主要目标|预期目标)[^。：:]{0,12}[:：]")
LEAD_MAX_CHARS = 24
# Part headings without a number, e.g. "2024年工作回顾", "“十五五”时期的主要目标任务".
# An attachment heading alone on its line: a glossary when its title says so (附件2 / 名词解释),
# else a list the report adopts for its year (附件1 / 2025年省十件民生实事): the plans.
ATTACHMENT_RE = re.compile(r"^\s*附件\s*\d*\s*$")
GLOSSARY_TITLE_RE = re.compile(r"名词|注释|解释|术语|附注")
BARE_PART_RE = re.compile(r"(回顾|工作安排|安排建议|重点工作|目标任务|工作任务|总体要求|政府自身建设)$")
# In reports without part headings, paragraphs that open a review or a plan.
REVIEW_CUE_RE = re.compile(
    r"^(过去一年|过去五年|一年来|五年来|回顾过去|[一二三四五]年来|Last year|Over the past|In the past"
    r"|I will begin with a review|I will now move on to discuss the main work)")
PLAN_CUE_RE = re.compile(
    r"^(今年|明年|\d{4}年是|\d{4}年，|做好今年|做好\d{4}年|This year|The main projected targets"
    r"|I now (?:wish|want) to (?:address|discuss))")


@dataclass
class _Block:
    """A paragraph (or part of one) with the heading path it sits under."""

    start: int
    end: int
    heading: tuple[str, ...]
    part: str
    kind: str = "paragraph"
    opens_section: bool = False  # the line that starts a （一） section: its heading, not a lead


def _first_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    spans = split_sentences(text[start:end], offset=start)
    return spans[0] if spans else (start, end)


def _heading_label(text: str, start: int, end: int, limit: int = 60) -> str:
    s, e = _first_sentence(text, start, end)
    label = text[s:e].rstrip("。.；;")
    return label if len(label) <= limit else label[:limit] + "…"


def _term_only(entry: str) -> bool:
    """A glossary line holding only the term ("［14］两非两资：", "2.分线管理"), not its definition."""
    return entry.endswith(("：", ":")) or (len(entry) <= 20 and not re.search(r"[：:。]", entry))


def _is_part_heading(line: str) -> bool:
    body = line.rstrip("。.")
    if numbered := PART_RE.match(line):  # 一、… / II. …: a heading unless it runs on into sentences
        return len(line) <= 160 and not re.search(r"[。；;]|\. [A-Z]", body[numbered.end():])
    # `（五）持续加强政府自身建设` is a section of the part it sits in (Shanghai 2026's review)
    return len(line) <= 30 and not re.search(r"[。；;，,：:]", body) and not SECTION_RE.match(line) \
        and bool(BARE_PART_RE.search(line))


PLAN_WORDS = ("安排", "任务", "目标", "建议", "要求", "部署", "重点工作", "plan", "Plan", "Tasks", "targets")


def _part_of(heading: str, first: bool = False) -> str:
    """Review or plans. The first part of a report whose heading says neither (Fujian:
    一、牢记殷殷嘱托，在接续奋斗中新福建建设取得新成效) is the review of the past year."""
    if any(word in heading for word in REVIEW_WORDS):
        return PART_REVIEW
    if first and re.match(r"\s*一、", heading) and not any(word in heading for word in PLAN_WORDS):
        return PART_REVIEW  # only a report's real first part (an excerpt may start at 三、)
    return PART_PLAN


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            yield pos + lead, pos + lead + len(stripped)
        pos += len(line) + 1


def _paragraphs(text: str):
    """Non-empty lines; a part heading run on at a line's end (TRAILING_PART_RE) becomes a line
    of its own when its ordinal is the one after the last numbered part heading."""
    last = 0
    for start, end in _lines(text):
        line = text[start:end]
        trailing = TRAILING_PART_RE.search(line)
        if trailing and chinese_numeral_value(trailing.group("n")) == last + 1:
            body_end = start + len(line[:trailing.start()].rstrip())
            yield start, body_end
            start += trailing.start() + len(trailing.group(0)) - len(trailing.group(0).lstrip())
            line = text[start:end]
        if (numbered := PART_RE.match(line)) and _is_part_heading(line):
            last = int(chinese_numeral_value(numbered.group(0).strip(" 、")) or 0)
        yield start, end


def structure_blocks(text: str) -> list[_Block]:
    """Paragraphs labelled with heading path and part; heading-only lines are not blocks."""
    blocks: list[_Block] = []
    part_heading = section_heading = ""
    part = PART_OTHER
    in_glossary = attachment_title = False
    paragraphs = list(_paragraphs(text))
    for i, (start, end) in enumerate(paragraphs):
        line = text[start:end]
        if attachment_title:  # 2025年省十件民生实事: the attachment's title heads its part
            attachment_title, part_heading = False, f"{part_heading} {line.strip()}"
            continue
        if ATTACHMENT_RE.match(line) and i + 1 < len(paragraphs) \
                and not GLOSSARY_TITLE_RE.search(text[slice(*paragraphs[i + 1])]):
            in_glossary, attachment_title, part = False, True, PART_PLAN
            part_heading, section_heading = line.strip(), ""
            continue
        if GLOSSARY_RE.match(line) or (line.startswith("附件") and "名词解释" in line):
            in_glossary, part = True, PART_GLOSSARY
            part_heading, section_heading = line.strip(" ：:"), ""
            continue
        if in_glossary:
            previous = blocks[-1] if blocks and blocks[-1].kind == "glossary_entry" else None
            if previous and _term_only(text[previous.start:previous.end]):
                previous.end = end  # "［14］两非两资：" on one line, its definition on the next
            else:
                blocks.append(_Block(start, end, (part_heading,), PART_GLOSSARY, "glossary_entry"))
            continue
        if _is_part_heading(line):
            first_part = not part_heading
            part_heading, section_heading = line.strip(), ""
            part = _part_of(part_heading, first=first_part)
            continue
        if SECTION_RE.match(line):
            section_heading = _heading_label(text, start, end)
            if part == PART_OTHER:
                # a section before any part heading: an excerpt that starts inside the plans
                # (the county report). Its body paragraphs so far belong to the plans too.
                part = PART_PLAN
                for block in blocks:
                    if block.part == PART_OTHER and "。" in text[block.start:block.end]:
                        block.part = PART_PLAN
            if end - start <= len(section_heading) + 2:
                continue  # heading-only line
        if not part_heading and blocks:  # no part headings: follow the opening words
            if REVIEW_CUE_RE.match(line):
                part = PART_REVIEW
            elif PLAN_CUE_RE.match(line):
                part = PART_PLAN
        heading = tuple(h for h in (part_heading, section_heading) if h)
        blocks.append(_Block(start, end, heading, part, opens_section=bool(SECTION_RE.match(line))))
    return blocks


def _lead_sentence(text: str, block: _Block) -> str | None:
    """`打造宜居城市。推进…` -> '打造宜居城市': a short first sentence that titles its paragraph."""
    s, e = _first_sentence(text, block.start, block.end)
    sentence = text[s:e].lstrip("—－- ")
    if e >= block.end - 10 or not sentence.endswith(("。", ".")):
        return None
    core = sentence.rstrip("。.")
    if len(core) > LEAD_MAX_CHARS or re.search(r"[，,；;：:]", core) or core.startswith(("各位代表", "同志们")):
        return None
    return core


class Measure:
    """Length of a text span: characters for Chinese, tiktoken tokens for English."""

    # A Chinese character carries about as much as 0.6 English tokens: this keeps English
    # passages near the size of the Chinese ones they translate.
    EN_SCALE = 0.6

    def __init__(self, language: str, settings: Settings):
        self.count: Callable[[str], int] = len
        scale = 1.0
        if language == "en":
            self.count, scale = count_tokens, self.EN_SCALE
        self.min = int(settings.chunk_min * scale)
        self.target = int(settings.chunk_target * scale)
        self.max = int(settings.chunk_max * scale)


def _pack(text: str, spans: list[tuple[int, int]], measure: Measure, target: int, limit: int):
    """Group consecutive sentence spans into chunks of about `target`, at most `limit`
    (a single longer sentence stays whole)."""
    chunks: list[tuple[int, int]] = []
    cur_start = cur_end = None
    cur_len = 0
    for s, e in spans:
        n = measure.count(text[s:e])
        if cur_start is not None and (cur_len + n > limit or cur_len >= target):
            chunks.append((cur_start, cur_end))
            cur_start = None
        if cur_start is None:
            cur_start, cur_len = s, 0
        cur_end, cur_len = e, cur_len + n
    if cur_start is not None:
        chunks.append((cur_start, cur_end))
    # a short tail is folded into the chunk before it when that stays within the limit
    if len(chunks) >= 2:
        tail = measure.count(text[chunks[-1][0]:chunks[-1][1]])
        prev = measure.count(text[chunks[-2][0]:chunks[-2][1]])
        if tail < target // 3 and prev + tail <= limit:
            chunks[-2:] = [(chunks[-2][0], chunks[-1][1])]
    return chunks


def _target_items(text: str, block: _Block) -> list[tuple[int, int]] | None:
    """Items of a '主要预期目标是：a；b；c。' sentence, or None if the block has no such list."""
    paragraph = text[block.start:block.end]
    match = TARGETS_RE.search(paragraph)
    if not match:
        return None
    list_start = block.start + match.start()
    for s, e in split_sentences(paragraph, offset=block.start):
        if s <= list_start < e:
            list_start = s  # the list begins with the sentence that announces it
            break
    list_end = paragraph.find("。", match.end())
    list_end = block.end if list_end < 0 else block.start + list_end + 1
    items = [sp for sp in split_sentences(text[list_start:list_end], offset=list_start)]
    return items if len(items) >= 3 else None


def _block_passages(report_id: str, text: str, block: _Block, measure: Measure, settings: Settings):
    heading = block.heading
    kind = block.kind
    lead = _lead_sentence(text, block) if kind == "paragraph" and not block.opens_section else None
    if lead:
        heading, kind = heading + (lead,), "lead"
    sentences = split_sentences(text[block.start:block.end], offset=block.start)
    items = _target_items(text, block) if kind != "glossary_entry" else None
    groups: list[tuple[list[tuple[int, int]], str]] = []
    if items:
        before = [sp for sp in sentences if sp[1] <= items[0][0]]
        after = [sp for sp in sentences if sp[0] >= items[-1][1]]
        groups = [(before, kind)] + [([item], "target_item") for item in items] + [(after, kind)]
    else:
        groups = [(sentences, kind)]
    for spans, group_kind in groups:
        if not spans:
            continue
        for s, e in _pack(text, spans, measure, measure.target, measure.max):
            yield Passage(report_id, s, e, text[s:e], heading, block.part, group_kind)


def _merge_small(text: str, passages: list[Passage], measure: Measure):
    """Neighbouring short paragraphs under one heading become one passage (never items)."""
    merged: list[Passage] = []
    for p in passages:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.kind == p.kind == "paragraph"
            and prev.heading == p.heading
            and prev.part == p.part
            and measure.count(prev.text) < measure.min
            and measure.count(prev.text) + measure.count(p.text) <= measure.target
        ):
            merged[-1] = Passage(p.report, prev.start, p.end, text[prev.start:p.end],
                                 p.heading, p.part, p.kind)
        else:
            merged.append(p)
    return merged


def chunk_report(report: Report, text: str, settings: Settings | None = None) -> list[Passage]:
    """The passages of one report, in reading order, each with exact offsets into `text`."""
    settings = settings or Settings()
    measure = Measure(report.language, settings)
    passages: list[Passage] = []
    for block in structure_blocks(text):
        passages.extend(_block_passages(report.id, text, block, measure, settings))
    return _merge_small(text, passages, measure)


def index_text(passage: Passage) -> str:
    """What retrievers see: the heading path gives a short passage its context."""
    return f"{passage.heading_path}\n{passage.text}" if passage.heading else passage.text
