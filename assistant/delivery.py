"""Questions about a report itself — who delivered it, when, at which meeting — are answered
from its delivery lines (`——2024年3月5日在第十四届全国人民代表大会第二次会议上 / 国务院总理 李强`),
which `assistant.corpus.extract_delivery` reads into the report's metadata."""

from __future__ import annotations

import re

from .evidence import Evidence
from .sentences import split_sentences
from .types import Hit, Passage, Report

# "who delivered it" — but not any 谁/哪位 ("报告表彰了哪位科学家？")
ASKS_SPEAKER = re.compile(r"谁作|由谁|谁做|作报告的是|报告人|(?:哪位|谁).{0,6}(?:作|做|宣读)|什么职务|职务是|"
                          r"\bwho (?:delivered|gave|presented|made)\b", re.I)
ASKS_DATE = re.compile(r"哪一天|哪天|什么时候作|何时作|几月几日|日期|\bwhen was\b.*\bdelivered\b|\bon what date\b", re.I)
# 第几届 alone also asks about expos and games ("进博会是第几届？"): only with a meeting named
ASKS_MEETING = re.compile(r"哪次会议|什么会议|哪个会议|(?:第几届|哪一届).*(?:会议|人大|人民代表大会)|"
                          r"\bwhich session\b|\bat which\b.*\b(?:session|congress)\b", re.I)


def asks_about_delivery(question: str) -> bool:
    return bool(ASKS_SPEAKER.search(question) or ASKS_DATE.search(question) or ASKS_MEETING.search(question))


def _needle(question: str, report: Report) -> str | None:
    if ASKS_SPEAKER.search(question) and report.speaker:
        return report.speaker.split()[-1]  # the name
    if ASKS_MEETING.search(question) and report.meeting:
        return report.meeting[-6:]  # e.g. 第二次会议
    if ASKS_DATE.search(question) and report.meeting:
        return report.meeting[-6:]
    return None


def delivery_evidence(question: str, report: Report, source: str, passages: list[Passage]) -> Evidence | None:
    """The delivery line of `report` holding what the question asks, as evidence; None if the
    report has no such line (some files start at 各位代表)."""
    needle = _needle(question, report)
    head = source[:800]
    position = head.find(needle) if needle else -1
    if position < 0 and needle and " " in needle:
        position = head.find(needle.replace(" ", ""))
    if position < 0:
        return None
    line_start = head.rfind("\n", 0, position) + 1
    line_end = head.find("\n", position)
    line_end = len(head) if line_end < 0 else line_end
    spans = [sp for sp in split_sentences(source[line_start:line_end], offset=line_start)
             if sp[0] <= position < sp[1]] or [(line_start, line_end)]
    start, end = spans[0]
    passage = next((p for p in passages if p.start <= start < p.end), None)
    if passage is None:
        return None
    end = min(end, passage.end)
    return Evidence(Hit(passage, 1.0, ("metadata",)), 0, start, end, source[start:end], 1.0)
