"""What a question asks for, beside its subject: a number (in which unit), a list, a person,
the delivery of the report itself (who, when, at which meeting), a report named as such.
Read once here into the constraints; evidence scoring and delivery answers use the flags."""

from __future__ import annotations

import re

from ..numbers import extract_numbers
from ..textutil import nfkc

ASKS_NUMBER_RE = re.compile(r"多少|几[个项家条所万亿]|几成|百分之几|比例|比重|增速|增长率|多大|多高|"
                            r"\bhow (?:much|many|big|large|fast|high)\b|"
                            r"\bwhat\b.{0,40}\b(?:percent|percentage|rate|share|level|target|goal|figure|"
                            r"amount|size|limit|ceiling|output|number)\b|\bby how\b", re.I)
ASKS_LIST_RE = re.compile(r"哪些|哪几|包括什么|有什么|\bwhich\b|\bwhat are\b", re.I)
ASKS_PERSON_RE = re.compile(r"谁|哪位|\bwho\b", re.I)
# "who delivered it" — but not any 谁/哪位 ("报告表彰了哪位科学家？")
ASKS_SPEAKER_RE = re.compile(r"谁作|由谁|谁做|作报告的是|报告人|(?:哪位|谁).{0,6}(?:作|做|宣读)|什么职务|职务是|"
                             r"\bwho (?:delivered|gave|presented|made)\b", re.I)
ASKS_DATE_RE = re.compile(r"哪一天|哪天|什么时候作|何时作|几月几日|日期|\bwhen was\b.*\bdelivered\b|\bon what date\b", re.I)
# 第几届 alone also asks about expos and games ("进博会是第几届？"): only with a meeting named
ASKS_MEETING_RE = re.compile(r"哪次会议|什么会议|哪个会议|(?:第几届|哪一届).*(?:会议|人大|人民代表大会)|"
                             r"\bwhich session\b|\bat which\b.*\b(?:session|congress)\b", re.I)
REPORT_WORD_RE = re.compile(r"政府工作报告|报告|\breports?\b", re.I)
# Units evidence scoring knows (the unit asked after 多少 must be one of them).
UNITS = ("亩", "万人", "人", "户", "个", "家", "项", "所", "公里", "千米", "万千瓦", "千瓦", "吨",
         "亿元", "万亿元", "万元", "元", "亿斤", "万亿斤", "斤", "%", "个百分点", "平方米", "立方米",
         "微克", "天", "年", "座", "条", "张", "套", "辆", "床")


def asked_unit(question: str) -> str | None:
    """The unit written after 多少 (多少亩 -> 亩), or % for a question about a percentage."""
    q = nfkc(question)
    if m := re.search(r"多少([^\s，。？?]{1,3})", q):
        for unit in sorted(UNITS, key=len, reverse=True):
            if m.group(1).startswith(unit):
                return unit
    return "%" if re.search(r"percent|百分之|百分比|%", q, re.I) else None


_ASKED_UNIT_RE = re.compile(r"(?:多少|几)([^\s，。？?的是]{1,4})")


def base_unit_asked(question: str) -> str:
    """The base unit of the figure asked, as the numbers reader writes units (多少亿斤 -> 斤,
    多少万人 -> 人, 百分之几 -> %), for matching facts; `asked_unit` keeps the surface form
    (亿斤) for matching sentences."""
    if m := _ASKED_UNIT_RE.search(nfkc(question)):
        found = extract_numbers("1" + m.group(1))
        if found and found[0].unit:
            return found[0].unit
    return "%" if re.search(r"百分之几|百分比|percent|\brate\b", question, re.I) else ""


def delivery_asked(question: str) -> tuple[str, ...]:
    """Which of speaker / date / meeting the question asks about the report's delivery."""
    return tuple(name for name, rx in (("speaker", ASKS_SPEAKER_RE), ("meeting", ASKS_MEETING_RE),
                                       ("date", ASKS_DATE_RE)) if rx.search(question))
