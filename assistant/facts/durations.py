"""Years as words: durations (连续四年, 用两年时间), runs of years, 近3年 / 3年增长, and the period
of a gap against the nation (facts/extract.py uses them; the time rules are in facts/periods.py)."""

from __future__ import annotations

import math
import re
from dataclasses import replace

from ..numbers import Quantity, chinese_numeral_value
from .periods import Period

_TAKES_YEARS = re.compile(r"用([两二三四五六七八九十]|\d{1,2})年(?:左右)?(?:的)?时间"
                          # 三年安排450亿元 (Guangxi 2026), 要按期完成三年内裁减军队员额五十万 (1998): the plan's years (not 五年内:
                          # in a national report that is the five-year plan under way, 1955's 1953-1957)
                          r"|(?<![第十\d两二三四五])([两三四])年(?:内|间)?(?=安排|投入|新增|新建|建设|裁减|筹集|改造|累计)")


def taking_years(before: str, report_year: int) -> Period | None:
    """用两年时间 / 用三年左右时间 / 三年安排 (in the plans): this year and the n-1 after it."""
    took = _TAKES_YEARS.search(before)
    raw = (took.group(1) or took.group(2)) if took else ""
    n = int(raw) if raw.isdigit() else int(chinese_numeral_value(raw) or 0) if raw else 0
    return Period(report_year, report_year + n - 1, f"{report_year}-{report_year + n - 1}") if n > 1 else None


_RANK = re.compile(r"(?:排名|排位|位次|名次|榜)[^，,；;。]{0,12}$|[前第]$")
_RECENT_VERB = re.compile(r"(?:来|内|间)?(?:增长|提升|提高|下降|降低|增加|减少)")


def is_rank(q: Quantity, clause: str, start: int) -> bool:
    """排名提升7位, 位次前移3位, 排名由369位上升到235位, 居全国前10位: a rank, not a number of people
    (位 reads as 人)."""
    return q.raw.endswith("位") and bool(_RANK.search(clause[:start]))


def span_word(q: Quantity, clause: str, start: int) -> bool:
    """近3年提升21个百分点, 3年增长58.6%, 近6年最高, 6年来最低, 5年前: the years a figure covers or
    a time ago, no quantity
    (连续3年 and 从10.23年提高到 are quantities)."""
    if q.unit != "年" or "." in q.raw or q.value != int(q.value) or re.search(r"(?:连续|[从由的])$", clause[:start]):
        return False
    after = clause[start + len(q.raw):]
    if re.match(r"来(?:最|新高|新低)|前(?![完建实])", after) and not clause[:start].endswith("提"):
        return True  # 增速为6年来最低 (a record), 相当于5年前1.5个百分点 (a time ago): no quantity
    # 近3年全社会研发经费投入年均增长12.8%: the span of the average after it
    return bool(_RECENT_VERB.match(after) or clause[start - 1:start] == "近" and (
        re.match(r"来?(?:最|新高|同期)", after) or "年均" in after))


_GAP = re.compile(r"(?:高于|低于|超过|超出|优于|好于|快于|慢于)(?:全国|全省|全市|全区|国家|平均|考核目标|目标)")


def gap_period(q: Quantity, before: str, period: Period, compared: Period | None) -> Period:
    """`机械化率达到95%、高于全国平均水平18.3个百分点`: a gap against the nation or a target
    holds for the period of the figure it compares (2025 there, not the 十四五 span)."""
    if q.unit == "个百分点" and compared is not None and _GAP.search(before) and not _OWN_CUE.search(before):
        return compared
    return period


_YEAR = r"(?:[1１][9９]|[2２][0０])\d{2}"  # full-width in 1980s-2000s reports (１９９７年)
_TIMES_BASE = re.compile(rf"(?:是|为|等于|相当于)(?:{_YEAR}年(?:到|至))?({_YEAR})年[^，,、]{{0,16}}的$")


def times_base(q: Quantity, measure: str, before: str, period: Period, compared: Period | None) -> Period:
    """`２００２年高等学校在校生１６００万人，是１９９７年的２．３倍`: a ratio of the figure's level to
    the base year's holds for the years after the base up to the figure's year (1998-2002), not
    for the base year the clause names (NOTES-round4 convention 1)."""
    m = _TIMES_BASE.search(before) if q.unit == "倍" and measure == "share" else None
    end = compared.end if compared else period.end
    if not m or end is None or end <= int(m.group(1)):
        return period
    start = int(m.group(1)) + 1
    return Period(start, end, f"{start}-{end}")


_OWN_CUE = re.compile(r"(?:19|20)\d{2}年|十[一二三四五]?五|年均|累计|近\d年")


_RUN_FROM = re.compile(r"(?:从|自)((?:19|20)\d{2})年(?:开始|起|以来)?(?:[^，,；;。]{0,4})?连续$")


def run_itself(q: Quantity, before: str, period: Period, report_year: int) -> Period:
    """`连续3年保持全国最低水平` (the run itself, in 年): the n years ending in the year
    reviewed (2023-2025 in a 2026 report), from the year named (`从2005年开始连续三年` 2005-2007),
    or from this year in the plans (`再连续三年…提高` 2008-2010)."""
    n = int(q.value)
    if n < 2 or n > 80:
        return period
    if start := _RUN_FROM.search(before):
        first = int(start.group(1))
    elif period.start >= report_year and (q.value_max or re.search(r"(?:再|继续|今后|将|要)连续$", before)):
        first = report_year
    elif period.start >= report_year:  # 在连续6年增产增收之后 (in the plans): the years before
        first = report_year - n
    else:
        first = period.end - n + 1
    return Period(first, first + n - 1, f"{first}-{first + n - 1}")


MONTHS_IN = {"个月": 1, "个季度": 3}  # units of runs of months (a bare 月 is a date: clauses.py)


def run_of_months(q: Quantity, period: Period, report_year: int) -> Period:
    """`连续24个月保持两位数增长`, `连续11个季度居全国前10位` in a review: the calendar years the run
    touches, ending in the year reviewed and not before the span reviewed (`连续61个月` in a 十四五
    review: 2021-2025); in the plans the period stays."""
    if period.end >= report_year or q.value < 1:
        return period
    years = math.ceil(q.value * MONTHS_IN[q.unit] / 12)
    first = period.end - years + 1 if period.annual else max(period.start, period.end - years + 1)
    return Period(first, period.end, str(first) if first == period.end else f"{first}-{period.end}")


_DURATION = re.compile(r"(?P<lead>连续|延长|提前|用)(?P<n>[一两二三四五六七八九十]{1,3})年(?!代|级|前|以前)")


def with_durations(sentence: str, quantities: list[Quantity]) -> list[Quantity]:
    """`连续四年增产`, `用两年时间`, `再延长三年`, `提前一年建成`: durations in Chinese numerals
    are quantities in 年, as `连续3年` is (the numbers reader leaves 四年 alone: 五年来 is a period)."""
    taken = [(q.start, q.end) for q in quantities]
    extra = []
    for m in _DURATION.finditer(sentence):
        value = chinese_numeral_value(m.group("n"))
        start, end = m.start("n"), m.end()
        if value and not any(s < end and start < e for s, e in taken):
            qualifier = "左右" if sentence.startswith("左右", end) else ""
            extra.append(Quantity(float(value), "年", sentence[start:end], start, end, qualifier))
    quantities = [_as_months(q, sentence) for q in quantities]
    return sorted(quantities + extra, key=lambda q: q.start) if extra else quantities


def _as_months(q: Quantity, sentence: str) -> Quantity:
    """`24个` before `月` / `季度` is a duration in months or quarters (连续24个月), not 24 things."""
    if q.unit != "个" or not q.raw.endswith("个") or q.qualifier:
        return q
    unit = next((u for u in MONTHS_IN if sentence.startswith(u[1:], q.end)), "")
    return replace(q, unit=unit, raw=q.raw + unit[1:], end=q.end + len(unit) - 1) if unit else q


__all__ = ["MONTHS_IN", "times_base", "gap_period", "is_rank", "run_itself", "run_of_months", "span_word", "taking_years", "with_durations"]
