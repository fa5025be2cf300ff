"""One number shared by a list of things named before it with 、: `游客人数、旅游收入均增长10%以上`,
`国家现代农业产业园、优势特色产业集群、地理标志保护示范区分别增加2个`, `二氧化硫、氮氧化物排放量要下降3%`,
`钢铁、食品加工产业超3千亿元`. Each thing gets its own fact (labels: one line per indicator, rule
of NOTES-round4 / labels5). The list shares the number when 均 / 都 / 分别 say so, when the number is a
cut of emissions (each pollutant's), or when industries pass a threshold (产业超3千亿元); a share or a
count after a plain list (`风电、光伏发电量占比达43.3%`, `老旧小区、城中村改造1200个`) is one figure of
the group, and `A、B等N个` too."""

from __future__ import annotations

import re

from . import indicators

_EACH = re.compile(r"均|都|分别")
_INDUSTRIES = re.compile(r"(?:产业|行业)(?:产值|营收)?(?:超过|超|突破|达到|达)$")
_EMISSIONS = re.compile(r"排放量|排放总量|排放")
_NAME = re.compile(r"^[\u4e00-\u9fff“”]{2,14}$")


def shared_names(head: str, unit: str, language: str = "zh") -> list[tuple[int, str, str]]:
    """(offset in `head`, indicator id or words, words) of each name of a 、-list that shares the
    number after `head` (the words of its segment before the number); [] when it does not."""
    if language == "en":
        return _english_pair(head, unit)
    if "、" not in head or "等" in head or re.search(r"[0-9]", head):
        return []
    parts = head.split("、")
    last = parts[-1]
    if not (_EACH.search(last) or unit == "%" and _EMISSIONS.search(last) or _INDUSTRIES.search(last)):
        return []  # 风电、光伏发电量占比达43.3%, 锂电池、光伏产品出口增长18%: one figure of the group
    cut = re.search(r"(?:均|都|分别|要|将|排放量|产业|行业|占比|比重)", last)
    if cut is None:
        return []
    names, offset = [], 0
    for i, part in enumerate(parts):
        word = part if i < len(parts) - 1 else part[:cut.start()] + (cut.group() if cut.group() in (
            "排放量", "产业", "行业") else "")
        if not _NAME.match(word):
            return []
        found = indicators.find_in_clause(word)
        names.append((offset, found[0] if found and found[1] == word else word, word))
        offset += len(part) + 1
    return names if len(names) >= 2 else []


# English: `sulfur dioxide and nitrogen oxide emissions are both cut by 3 percent`, `Both the M2 money
# supply and aggregate financing in the economy are forecasted to grow by around 13%`: two things named
# before one rate that both or each emission holds (as 均 / 排放量 above)
_EN_PAIR = re.compile(r"(?:^|[\s,])(?P<both>both\s+)?(?:the\s+)?(?P<a>[a-z][a-z0-9 -]{1,40}?)\s+and\s+"
                      r"(?P<b>[a-z][a-z0-9 -]{1,40}?)(?P<em>\s+emissions)?(?:\s+in\s+the\s+economy)?\s+"
                      r"(?:(?:are|is|should|will|were|be)\s+)*(?P<both2>both\s+)?(?:(?:forecast(?:ed)?|projected|expected)\s+to\s+)?"
                      r"(?:be\s+)?(?:grow|cut|reduced?|drop|fall|rise|increase|decline|decrease|lower)\w*\s+by\s+"
                      r"(?:around\s+|about\s+|over\s+|more\s+than\s+|at\s+least\s+)?$", re.I)


def _english_pair(head: str, unit: str) -> list[tuple[int, str, str]]:
    m = _EN_PAIR.search(head)
    if unit != "%" or not m or not (m.group("both") or m.group("both2") or m.group("em")):
        return []
    names = []
    for group in ("a", "b"):
        words = m.group(group) + (" emissions" if m.group("em") and group == "b" else "")
        found = indicators.find_in_clause(words, None, "en")
        names.append((m.start(group), found[0] if found else words.lower(), words))
    return names


__all__ = ["shared_names"]
