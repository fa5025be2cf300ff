"""Time rules: which period a number of report Y speaks of, and whether it was planned.

| clue (nearest before the number: clause, sentence, paragraph, then the part) | period |
|---|---|
| 今年 / 全年 in the plans part, `主要预期目标`                         | Y |
| 去年 / 过去一年 / 一年来, the review part by default                  | Y-1 |
| `20XX年` (the year itself, e.g. 从2020年的…增长到2025年的…)          | XX |
| 过去五年 / 五年来 / 这五年 / 五年间 (a national term review, a 2026 provincial review) | Y-5 … Y-1 |
| 三年来 / 两年来                                                        | Y-3 … Y-1 / Y-2 … Y-1 |
| 连续9年 before the number in its own clause, in a review (连续9年稳定在1300亿斤以上) | Y-9 … Y-1 |
| the run itself, `连续3年保持…` (a fact in 年): the n years ending in the year reviewed; `从2005年开始连续三年` from the year named; `再连续三年` in the plans from Y | 2023-2025 / 2005-2007 / Y … Y+2 |
| 2025年是“十四五”收官之年 / 今年是“十五五”开局之年                    | that one year, not the plan |
| a plan after 较 / 比 / 与 (`较“十三五”末期翻一番`)                     | no cue: the comparison's base |
| 2003年到2007年 / 近3年 / 3年增长 (only within their own clause)        | 2003 … 2007 / Y-3 … Y-1 |
| 1998年以来 (only within its own clause)                                | 1998 … Y-1 |
| 比五年前增加 (only within its own clause)                              | Y-5 … Y-1 |
| 用两年时间 in the plans                                                | Y … Y+1 |
| 十四五 (2021–2025), 十五五 (2026–2030), 八五 (1991–1995) … with 时期/期间/规划/末 | the plan's span |
| 《纲要》/ 规划纲要 / 未来五年 in a report of a plan's first year (2026, 2021 …) | Y … Y+4 |
| 到20XX年 / 20XX年前 / 到20XX年底 (XX > Y)                              | Y … XX (a deadline) |
| a stock reached over a past span (达 / 提升到 / 超 / 现有 …, or a bare noun and its number: `生产总值6.66万亿元`, facts/measures.py), not held throughout (稳定在, 一直, 每年) nor summed (累计, 新增, a verb of doing) | the span's last year |
| 每年资助金额近1000亿元 in a review of a span                          | the span (a `level` each year, not its total) |
| 从2007年的248亿美元上升到2012年的772亿美元，年均增长25.5%             | 2008 … 2012 (from the year after the base) |
| a list item without a verb of its own (分别达99.9%、94.5%)             | the period of the item before |

A year named in an earlier sentence of the paragraph carries to the numbers after it, except
in a part reviewing a span alone (一、过去五年工作回顾): there only as the paragraph's topic or
within its 。-sentence (`2012年底，城镇和农村人均住房面积…` is no period of the five-year totals
after it). A cue of an earlier paragraph carries over only inside a part whose heading names a span
(`二、“十四五”时期发展成就和“十五五”时期主要目标任务`). The kind follows from the period:
a period that ended before Y is a result, one that includes Y or later a target; 预计 /
有望 make an expectation, and so do English `we expect` and the number of this year's graduates
(今年高校毕业生820多万人, `7.27 million college students graduating this year`) for the year Y.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..numbers import FULL_WIDTH_DIGITS, chinese_numeral_value, count_word_value
from ..types import KIND_EXPECTATION, KIND_RESULT, KIND_TARGET, PART_REVIEW
from ..words import five_year_plans

FIVE_YEAR_PLANS = five_year_plans()
PLAN_STARTS = {span[0] for span in FIVE_YEAR_PLANS.values()}
_PLAN_RE = re.compile(r"[“\"]?(十[一二三四五]?五|[六七八九]五)[”\"]?(?=时期|期间|规划|计划|末|以来|开局|收官|发展|目标|主要目标|的)")
_CUES = re.compile(
    r"(?=[过五三两四十这的去一今未规《纲到至力争以平寻近0-9])"  # a first-character filter: 5x faster on long texts
    r"(?:(?P<span>过去的?(?P<n1>[五三两四十])年|(?P<n2>[五三两四十])年来(?!最|首次|新高|新低|的?最)|这(?P<n3>[五三两四])年|(?P<n4>[五三四])年间|"
    r"(?P<n5>[五三])年(?:累计|合计)|(?P<n6>[五三])年共|(?<![十\d])(?P<n7>[五三])年(?=平均)|的(?P<n8>[五三])年$|(?:以来|平凡|寻常)的(?P<n9>[五三])年)"
    r"|(?P<ago>(?<=[比较])(?P<na>[两三四五十])年前)"
    r"|(?P<last>(?<![比较])去年|过去的?一年|一年来)"
    r"|(?P<this>今年)"
    r"|(?P<future>未来五年|今后五年|规划纲要|《纲要》|纲要草案|《纲要草案》)"
    r"|(?P<deadline>(?:到|至|力争到|争取到)(?P<dy>(?:19|20)\d{2})年(?:底|末)?|(?P<dy2>(?:19|20)\d{2})年(?:前|以前))"
    r"|(?P<years>(?P<ya>(?:19|20)\d{2})年?(?:到|至|—|－|-|~)(?P<yb>(?:19|20)\d{2})年(?!底|末|[\d月]*日))"
    r"|(?P<recent>(?:近(?P<r1>[2-9]|[两三四五])|(?<![\d.年第至到续])(?P<r2>[2-9]))年(?=(?:来|内|间)?(?:增长|提升|提高|下降|降低|增加|减少|累计|共))"
    # 近三年淘汰落后炼钢炼铁产能9000多万吨 (2016): a deed done over the n years reviewed
    r"|(?P<recent_deed>近(?P<r4>[2-9]|[两三四五])年(?:来)?(?=淘汰|化解|压减|新增|新建|建成|完成|退出|关闭|培育|引进|实施|开工|改造))"
    # 城镇化率五年提高3.89个百分点; not 一九六四年增长 (a year), 五年内增加 (a plan's span)
    r"|(?<![\d.年第至到续十一二三四五六七八九〇○零])(?P<r3>[两三四五])年(?=增长|提升|提高|下降|降低|增加|减少|累计|共))"
    r"|(?P<since>(?<![比较\d])(?P<sy>(?:19|20)\d{2})年以来(?!最|首次|新高|的?最))"
    r"|(?P<year>(?<![比较\d])(?<!是)(?<!为)(?<!等于)(?P<y>(?:19|20)\d{2})年(?![\d月]*日)))"
)
_CLAUSE_BREAK = re.compile(r"[，,；;。！？：:\n]")
_EDGE_YEAR = re.compile(r"的?(收官|开局|起步|最后|第一)(?:之年|年|一年)")
_EXPECT_RE = re.compile(r"预计|有望")  # 预期 is mostly 预期目标 / 市场预期, not a forecast
# `We expect that these measures will see additional savings of …` (2020_en): a forecast of the year
# under way; `expected to` / `projected to` are the translators' words for targets (拟, 力争: 2011–2017 labels)
_EXPECT_EN = re.compile(r"\bwe\s+expect\b", re.I)
# this year's graduates: `今年高校毕业生820多万人` (2018), `With 7.27 million college students graduating
# this year` (2014_en) — the number of people finishing school, a forecast, not a goal; not jobs for
# them (`提供10万个高校毕业生就业岗位`, `高校毕业生留省就业17万人`: targets) nor those to help
# (`离校未就业高校毕业生6万人`)
_GRADUATES_BEFORE = re.compile(r"(?:今年|全年)(?:全国)?(?:普通)?高校毕业生(?:人数)?(?:将|预计)?(?:达到?|超过|为)?$")
_GRADUATES_AFTER = re.compile(r"\s*(?:(?:college|university)\s+)?(?:students\s+)?(?:graduat\w*|will\s+graduate|"
                              r"(?:are|is)\s+(?:due|expected|set)\s+to\s+graduate)\b", re.I)


@dataclass(frozen=True)
class Period:
    start: int
    end: int
    label: str
    # 近3年 / 3年增长 / 1950年到2002年: a cue for its own clause only, never carried further
    local: bool = field(default=False, compare=False)
    # 五年共 / 五年累计 / 五年增长 (no 过去, no 来): the years reviewed in a review, and in the plans
    # the years to come (1986's 七五: 五年共培养近五百万高级专门人才); see `ahead`
    relative: bool = field(default=False, compare=False)

    def ahead(self, year: int) -> Period:
        """The same number of years from `year` on: a relative cue read in the plans."""
        if not self.relative:
            return self
        last = year + self.end - self.start
        return Period(year, last, f"{year}-{last}", self.local)

    @property
    def annual(self) -> bool:
        return self.start == self.end


_RUN_RE = re.compile(r"连续(\d{1,2}|[二两三四五六七八九十]{1,2})年")


def run_of_years(segment_before: str, year: int) -> Period | None:
    """连续9年 just before a number: the figure held for the nine years before the report."""
    m = _RUN_RE.search(segment_before)
    if not m:
        return None
    raw = m.group(1)
    n = int(raw) if raw.isdigit() else int(chinese_numeral_value(raw) or 0)
    return Period(year - n, year - 1, f"{year - n}-{year - 1}") if n > 1 else None


_CN_YEAR = re.compile(r"[一二三四五六七八九][〇○零一二三四五六七八九]{3}(?=年)")
_CN_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")


def ascii_years(text: str) -> str:
    """Years in Chinese numerals (到一九八五年, 一九五七年比一九五二年) as digits, the same length."""
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_YEAR_DIGITS), text) if "年" in text else text


def one_year(year: int) -> Period:
    return Period(year, year, str(year))


def all_cues(text: str, year: int) -> list[tuple[int, int, Period]]:
    """Every period cue of `text` as (start, end, period), in text order."""
    text = ascii_years(text.translate(FULL_WIDTH_DIGITS))  # １９９２年, 一九八五年 are 1992年, 1985年; offsets hold
    found = []
    for m in _PLAN_RE.finditer(text):
        start, end = FIVE_YEAR_PLANS.get(m.group(1), (0, 0))
        if re.search(r"(?:较|比|与|同)$", text[max(0, m.start() - 1):m.start()]):
            continue  # 营业收入较“十三五”末期翻一番: the base of a comparison, not the period
        if (edge := _EDGE_YEAR.match(text, m.end())) and start:
            # 2025年是“十四五”收官之年, 今年是“十五五”开局之年: one year, not the plan's span
            year_of = end if edge.group(1) in ("收官", "最后") else start
            found.append((m.start(), edge.end(), one_year(year_of)))
            continue
        if text.startswith("主要", m.end()) and year != start:
            continue  # 完成“十四五”主要目标任务 in its review: named in passing; “十五五”主要目标任务 heads the new plan
        if re.match(r"以来(?:最|首次|新高|新低)", text[m.end():m.end() + 4]):
            continue  # 产量为“十四五”以来最高: a record, no span
        if re.match(r"[”\"]?规划(?:的)?(?:重大|重点|项目|工程)", text[m.end():m.end() + 6]):
            continue  # 今年要启动一批“十三五”规划重大项目 (2016): a class of projects, not the plan's span
        strong = re.match(r"时期|期间|末|以来|收官|开局", text[m.end():m.end() + 2])
        # a plan named in passing (推进“十四五”规划重大工程 in 2022) is no period of the numbers
        # after it; it is one in its first year (the new plan) or once it is over (its review)
        if start and (strong or year == start or year > end):
            found.append((m.start(), m.end(), Period(start, end, m.group(1))))
    for m in _CUES.finditer(text):
        period = _period_of(m, year)
        if period is not None:
            found.append((m.start(), m.end(), period))
    return sorted(found, key=lambda cue: (cue[0], cue[1]))


def nearest_cue(cues: list[tuple[int, int, Period]], starts: list[int], low: int,
                high: int, text: str = "") -> tuple[int, int, Period] | None:
    """The last cue (start, end, period) lying wholly in text[low:high] (`starts` = the cues' start
    offsets); a local cue only when no clause ends between it and `high` (`text` given)."""
    i = bisect_left(starts, high) - 1
    while i >= 0 and cues[i][0] >= low:
        start, end, period = cues[i]
        if end <= high and not (period.local and (not text or _CLAUSE_BREAK.search(text, end, high))):
            return cues[i]
        i -= 1
    return None


def nearest(cues: list[tuple[int, int, Period]], starts: list[int], low: int, high: int,
            text: str = "") -> Period | None:
    """The period of the last cue lying wholly in text[low:high]."""
    cue = nearest_cue(cues, starts, low, high, text)
    return cue[2] if cue else None


def cue_before(text: str, pos: int, year: int) -> Period | None:
    """The period named nearest before `pos` in `text` (report year `year`), or None."""
    cues = all_cues(text[:pos], year)
    return cues[-1][2] if cues else None


def _plan_years(m: re.Match, year: int) -> bool:
    """Whether `五年共` / `五年增长` may be the plan's years to come: in a plan's first year, and not
    `前三年共增加了` / `第一个五年合计` (1957: years of the plan under way) nor 这五年 / 近五年."""
    return year in PLAN_STARTS and m.string[max(0, m.start() - 1):m.start()] not in ("前", "头", "这", "近", "个", "第")


def _period_of(m: re.Match, year: int) -> Period | None:
    if m.group("span"):
        if m.string[max(0, m.start() - 1):m.start()] == "个":
            return None  # 第一个五年合计将达到… (1957): the first five-year plan's years, not the five reviewed
        which, raw = next((i, g) for i, g in ((i, m.group(f"n{i}")) for i in range(1, 10)) if g)
        n = count_word_value(raw)
        return Period(year - n, year - 1, f"{year - n}-{year - 1}", relative=which in (5, 6, 7) and _plan_years(m, year))
    if m.group("years"):
        low, high = int(m.group("ya")), int(m.group("yb"))  # 2003年到2007年: the years named
        return Period(low, high, f"{low}-{high}", local=True) if low < high <= year + 5 else None
    if m.group("recent_deed"):
        n = count_word_value(m.group("r4"))
        return Period(year - n, year - 1, f"{year - n}-{year - 1}", local=True)
    if m.group("recent") or m.group("r3"):  # 近3年提升21个百分点, 3年增长58.6% (a review): the n years reviewed
        raw = m.group("r1") or m.group("r2") or m.group("r3")
        n = count_word_value(raw)
        return Period(year - n, year - 1, f"{year - n}-{year - 1}", local=True,
                      relative=not m.group("r1") and _plan_years(m, year))
    if m.group("ago"):  # 比五年前增加5000万吨 (1998): a change over the n years reviewed
        n = count_word_value(m.group("na"))
        return Period(year - n, year - 1, f"{year - n}-{year - 1}", local=True)
    if m.group("last"):
        return one_year(year - 1)
    if m.group("this"):
        return one_year(year)
    if m.group("future"):
        return Period(year, year + 4, f"{year}-{year + 4}") if year in PLAN_STARTS else None
    if m.group("deadline"):
        until = int(m.group("dy") or m.group("dy2"))
        if until > year:
            return Period(year, until, f"到{until}年")
        return one_year(until)
    if m.group("since"):  # １９９８年以来五次降低银行存贷款利率 (2003): the years since, to the one reviewed
        first = int(m.group("sy"))
        return Period(first, year - 1, f"{first}-{year - 1}", local=True) if year - 40 <= first < year - 1 else None
    if m.group("year"):
        named = int(m.group("y"))
        return one_year(named) if year - 40 <= named <= year + 1 else None
    return None


@lru_cache(maxsize=4096)
def names_span(heading: str, year: int) -> bool:
    """Whether a part heading speaks of more than one period, one of them a span
    (`二、“十四五”时期发展成就和“十五五”时期主要目标任务`, `一、2025年工作回顾和“十四五”…`)."""
    periods = {cue[2] for cue in all_cues(heading, year)}
    if re.search(r"(?:19|20)\d{2}年|今年", heading) and len(periods) == 1:
        periods.add(one_year(year))  # "2025年工作" in a 2026 report: the year reviewed
    return len(periods) >= 2 and any(not p.annual for p in periods)


@lru_cache(maxsize=4096)
def default_period(part: str, year: int, heading: str) -> Period:
    """The period of a number with no cue of its own: the part's year, or the span its
    heading names when it names only a span (一、过去五年工作回顾)."""
    period = cue_before(heading, len(heading), year)
    names_year = re.search(r"(?:19|20)\d{2}年|过去一年|今年", heading)
    if period is not None and not period.annual and not names_year:
        return period
    return one_year(year - 1 if part == PART_REVIEW else year)


# the state the plans start from (我省…拥有8个万亿元级产业集群, 优化已建成超1.6万个…驿站, 我区有20个对外开放口岸):
# lived, not planned
# (not 每千人口拥有…托位数达到4.5个, a rate's name; not 利用现有闲置资源改造建设20个, a deed to come)
_PRESENT_STATE = re.compile(r"(?:(?<!人口)拥有(?!量)|已建成|已有|现有|已达到?|已经达到|已经有|"
                            r"(?<![所没])(?:我|全)[国省区市](?:共)?有(?![效力序关望]))[^，,；;、达改建减增提降]{0,12}$")
_SO_FAR = re.compile(r"截至(?:今年)?[\d０-９一二三]{1,2}月|今年以来|今年(?:前|[\d０-９一二])[^，,]{0,2}月")
_PLANNED = re.compile(r"要|将|力争|争取|确保|目标|到20\d\d年|新增|新建")


def kind_of(period: Period, year: int, sentence_before: str, after: str = "", unit: str = "") -> str:
    """target / result / expectation of a number of report `year` holding for `period`
    (`after`: the words after the number, `unit` its unit)."""
    cues = list(_EXPECT_RE.finditer(sentence_before))
    if cues and not re.search(r"加上|同时|但是|；", sentence_before[cues[-1].end():]):
        return KIND_EXPECTATION  # 预计…, but not "预计今年财政收入…，加上调入资金等，支出28.5万亿元"
    this_year = period.annual and period.start == year
    if this_year and _SO_FAR.search(sentence_before):
        return KIND_RESULT  # 截至今年２月底，全国已撤并公司７万多个: lived already
    if this_year and (_EXPECT_EN.search(sentence_before) or unit in ("人", "") and (  # English people: no unit
            _GRADUATES_BEFORE.search(sentence_before) or _GRADUATES_AFTER.match(after))):
        return KIND_EXPECTATION
    if this_year and _PRESENT_STATE.search(sentence_before) \
            and not _PLANNED.search(re.split(r"[，,；;]", sentence_before)[-1]):
        return KIND_RESULT
    return KIND_RESULT if period.end < year else KIND_TARGET


