"""Questions about a report itself — who delivered it, when, at which meeting — are answered
from its delivery lines (`——2024年3月5日在第十四届全国人民代表大会第二次会议上 / 国务院总理 李强`),
which `assistant.corpus.extract_delivery` reads into the report's metadata."""

from __future__ import annotations

from .evidence import Evidence
from .sentences import split_sentences
from .types import Hit, Passage, Report


def _needle(asked: tuple[str, ...], report: Report) -> str | None:
    if "speaker" in asked and report.speaker:
        return report.speaker.split()[-1]  # the name
    if ("meeting" in asked or "date" in asked) and report.meeting:
        return report.meeting[-6:]  # e.g. 第二次会议
    return None


def delivery_evidence(asked: tuple[str, ...], report: Report, source: str, passages: list[Passage]) -> Evidence | None:
    """The delivery line of `report` holding what the question asks (`asked`: speaker /
    meeting / date, read by assistant/understand/asks.py), as evidence; None if the report
    has no such line (some files start at 各位代表)."""
    needle = _needle(asked, report)
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
