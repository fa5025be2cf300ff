"""Period cues around a number: its sentence, its paragraph, and the part it sits in.

The report's cues (facts/periods.py) are found once; each number looks up the nearest one
before it, then the paragraph's, then the part's default (the time rules of periods.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..types import PART_OTHER, PART_PLAN, PART_REVIEW, Passage, Report
from .periods import Period, all_cues, default_period, names_span, nearest, nearest_cue
from .spaced import compact, original

# A paragraph's period cue counts for the paragraphs after it only when it is within its first
# characters (the topic sentence): 30 covers `“十四五”时期是极不平凡的五年` and `2025年，…`.
TOPIC_CHARS = 30
# Where a report's plans begin when its part headings do not say (Fujian's 一、牢记殷殷嘱托…).
_PLAN_OPENS = re.compile(r"主要预期目标|预期目标是|总体要求是|今年政府工作的总体要求|main projected targets", re.I)


class Context:
    """Period cues around a sentence: its paragraph, and the part when its heading names a span.
    The report's cues are found once; each number looks up the nearest one before it."""

    def __init__(self, report: Report, text: str):
        self.text, self.year = text, report.year or 0
        plain, spots = compact(text)  # 1 9 9 7 年 (1998) is a year: cues read the copy, kept at the text's offsets
        self.cues = [(original(spots, s), original(spots, e), p) for s, e, p in all_cues(plain, self.year)]
        self.starts = [cue[0] for cue in self.cues]
        first_plan = _PLAN_OPENS.search(text)
        self.plan_start = first_plan.start() if first_plan else len(text)

    def enter(self, passage: Passage) -> None:
        """Told of every passage in text order, numbers or not (the English context keeps
        where its part began)."""

    def period(self, passage: Passage, sent_start: int, number_pos: int) -> Period:
        part = passage.part
        if part == PART_OTHER:  # part headings not recognised (Fujian): before the targets, a review
            part = PART_REVIEW if passage.start < self.plan_start else PART_PLAN
        period = self._period(passage, part, sent_start, number_pos)
        return period.ahead(self.year) if part == PART_PLAN else period

    def _period(self, passage: Passage, part: str, sent_start: int, number_pos: int) -> Period:
        cue = nearest(self.cues, self.starts, sent_start, number_pos, self.text)
        if cue:
            return cue
        para_start = self.text.rfind("\n", 0, sent_start) + 1
        part_heading = passage.heading[0] if passage.heading else ""
        default = default_period(part, self.year, part_heading)
        mixed = bool(part_heading) and names_span(part_heading, self.year)  # 十四五 review and 十五五 goals
        cue = nearest_cue(self.cues, self.starts, para_start, sent_start)
        one_year_review = part == PART_REVIEW and default.annual and not mixed  # 一、2024年工作回顾
        if cue and self._carries(cue, one_year_review, not default.annual and not mixed, para_start, sent_start):
            return cue[2]
        if mixed:
            part_start = self.text.rfind(part_heading, 0, para_start)
            if part_start >= 0 and (cue := self._topic_cue(part_start + len(part_heading), para_start)):
                return cue
        return default

    def span_of(self, passage: Passage, sent_start: int) -> Period | None:
        """The span a sentence of a review sits in: the last span named earlier in its paragraph,
        else the span its part's heading names (一、过去五年工作回顾); None when there is none."""
        para_start = self.text.rfind("\n", 0, sent_start) + 1
        i = bisect_left(self.starts, sent_start) - 1
        while i >= 0 and self.cues[i][0] >= para_start:
            period = self.cues[i][2]
            if not period.annual and not period.local and period.end < self.year:
                return period
            i -= 1
        part_heading = passage.heading[0] if passage.heading else ""
        default = default_period(passage.part, self.year, part_heading)
        return None if default.annual else default

    def _carries(self, cue: tuple[int, int, Period], one_year_review: bool, span_part: bool, para_start: int,
                 sent_start: int) -> bool:
        """Whether a cue of an earlier sentence of the paragraph holds for a number after it.
        An older year (自2006年以来) does not, nor in the review of one year a period not over by the
        report's year (`制定…“十五五”期间实施重大项目“三张清单”` in `一、2024年工作回顾` of Guizhou 2025;
        a review whose heading names a span as well may hold a new plan's goals). In a part reviewing a
        span alone (一、过去五年工作回顾)
        a single year carries only as the paragraph's topic (`2012年，…`) or within its
        。-sentence (across a ；): `2012年底，城镇和农村人均住房面积…` is no period of the
        paragraph's five-year totals after it."""
        start, _, period = cue
        if period.annual and period.start not in (self.year - 1, self.year):
            return False
        if one_year_review and not period.annual and period.end >= self.year:
            return False  # (not 今年: national 2006's plans have no part heading and sit in its review)
        if not period.annual or not span_part:
            return True
        full_start = max(self.text.rfind(end, para_start, sent_start) for end in "。！？") + 1
        return start >= full_start or start < para_start + TOPIC_CHARS and nearest(
            self.cues, self.starts, para_start, para_start + TOPIC_CHARS) == period

    def _topic_cue(self, part_start: int, para_start: int) -> Period | None:
        """The period that the nearest earlier paragraph of the part opens with
        (`“十四五”时期…`, `2025年…`, `过去五年…`): it carries over to the paragraphs after it."""
        end = para_start - 1
        while end > part_start:
            start = self.text.rfind("\n", part_start, end) + 1 or part_start
            cue = nearest(self.cues, self.starts, start, min(end, start + TOPIC_CHARS))
            if cue:
                return cue
            end = start - 1
        return None


__all__ = ["TOPIC_CHARS", "Context"]
