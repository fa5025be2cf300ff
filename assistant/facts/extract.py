"""Facts: every quantity of every report, with its indicator, measure, period and kind.

No model: clauses are cut at commas and sentence ends, a clause listing several quantities
with 、 is cut between them, and each quantity gets
- the indicator named nearest before it (facts/indicators.tsv), else the words naming it;
- a measure from the words between them (年均 -> avg_growth, 个百分点 -> pp_change …);
- a period and a kind from the time rules of facts/periods.py.
Dates, years, ordinals and names with numbers are not facts (the numbers reader skips most).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..injection import instruction_spans
from ..numbers import Quantity, chinese_numeral_value, extract_numbers
from ..sentences import split_sentences
from ..types import (
    KIND_RESULT,
    KIND_TARGET,
    PART_GLOSSARY,
    PART_PLAN,
    PART_REVIEW,
    Fact,
    Passage,
    Report,
)
from . import english, indicators
from .clauses import (
    HAS_NUMERAL,
    clause_spans,
    is_fact_quantity,
    is_specification,
    is_threshold,
    no_step,
    prepared,
    respectively,
    segment_spans,
)
from .context import Context
from .counts import with_counts
from .durations import (
    MONTHS_IN,
    gap_period,
    run_itself,
    run_of_months,
    taking_years,
    times_base,
    with_durations,
)
from .lists import shared_names
from .measures import (
    _AVERAGE,
    _GROWTH_END,
    _VERSUS,
    COUNT_UNITS,
    RATE_LEVELS,
    document_count,
    end_of_span,
    led_by_span,
    measure_of,
    per_year,
    policy_rate,
    repeats_verb,
    same_kind_of_unit,
    span_rise,
    standing_count,
)
from .naming import GROWTH_NAMED_AFTER, indicator_before
from .periods import FIVE_YEAR_PLANS, PLAN_STARTS, Period, kind_of, one_year, run_of_years
from .spaced import original

EXTRACTOR_VERSION = 15  # bump when facts change for the same text: indexes then rebuild them
_BASE_YEAR = re.compile(r"[比较]((?:19|20)\d{2})年")
# 比一九五二年的四百八十三亿九千万元, 较“十三五”末的9323.1亿元 (the plan's last year): the base's level
_BASE_LEVEL = re.compile(r"(?P<words>[^，,、]{0,12}?)[比较](?:(?P<year>(?:19|20)\d{2})年(?:底|末)?|"
                         r"[“\"]?(?P<plan>十[一二三四五]?五|[六七八九]五)[”\"]?(?:时期)?末)的$")
_FROM = re.compile(r"(?:从|由)(?:(?P<year>(?:19|20)\d{2})年(?:底|末)?的?|上年的?|(?P<last>去年)的?)?(?:每人|人均)?(?:每年|每月)?$")
# 从2007年的248亿美元上升到2012年的772亿美元，年均增长25.5%: the average runs from the year after
# a from-value of a named year (由1997年的3252亿美元, 从1978年到1983年), not 从1999年起 / 从2002年1月1日起
_FROM_YEAR = re.compile(r"(?:从|由)((?:19|20)\d{2})年(?:(?:到|至)(?:19|20)\d{2}年|"
                        r"(?:底|末)?的?(?=[0-9一二三四五六七八九十])(?![0-9]{1,2}月))")
_SPAN_FROM = re.compile(r"(?:从|由)((?:19|20)\d{2})年(?:底|末)?的?")
_TO = re.compile(r"^(?:增长|增加|提高|提升|上升|下降|降低|减少|扩大|缩小|缩短|回落|回升|降|升|增|整合|压减|精简|合并|优化|调整)?(?:到|至)")
# the end of 从A提高到B: 到B, 到现在的B, 到去年的B, 到2012年的B
_TO_END = re.compile(r"(?:到|至)(?:现在|目前|去年|上年|(?:19|20)\d{2}年)?(?:底|末)?的?$")
# The ledger's commitments: clauses with an action or a named indicator, no comparisons.
TARGET_ACTIONS = re.compile(
    r"完成|实现|达到|确保|力争|新增|新建|新改建|改建|建成|建设|打造|培育|控制在|保持在|稳定在|增长|提高|降低|"
    r"下降|减少|推出|开工|安排|发行|改造|治理|实施|造林|育林|引进|编制|增加|扩大|培训|新开工|覆盖|提升|上涨|涨幅|达标")
_COMPARISON = re.compile(r"(?:比上年|比去年|较上年|比上年年初预算|比年初|同比)[^，,；;]{0,6}(?:增加|减少|多|少|提高|下降)$"
                         r"|(?:高于|低于|快于|慢于)(?:全国|全省|全市|平均)?[^，,；;]{0,4}(?<!高于)(?<!低于)$")
_CHANGE_WORDS = re.compile(r"增加|减少|新增|下降|增长|转移|脱贫|贫困|流动|城镇|农村|农业|老年|劳动")
_RECENT_YEARS = re.compile(r"近([2-9两三四五])年")
_ALREADY = re.compile(r"已经|目前|(?<!实)现在|现行")  # 将制造业等行业现行16%的税率降至13% (2019): the rate in force
_PROPOSED = re.compile(r"(?<![模比])拟(?:增加|安排|发行|新增|提高|减少|调入|动用|使用|按)")
_LINK_ONLY = re.compile(r"(?:拟)?(?:定为|确定为|拟定为|为|是)")


_HEADLINE = re.compile(r"(?:^|\n)——|主要预期目标|主要目标是|预期目标是|预期目标为|main (?:projected )?targets", re.I)


def _from_years(base: re.Match, sentence_before: str) -> set[int]:
    """The base years of a from-to: its own, or the sentence's earlier from-to's when it names none."""
    if base.group("year"):
        return {int(base.group("year"))}
    return {int(m.group(1)) for m in _FROM_YEAR.finditer(sentence_before)}


def _from_to(clause: str, quantities: list[Quantity], i: int) -> str:
    """'from' / 'to' when quantity i is one end of 从A增长到B (由A提高到B), else ''."""
    q = quantities[i]
    if _FROM.search(clause[:q.start]) and _TO.match(clause[q.end:]):
        return "from"
    if i > 0 and _FROM.search(clause[:quantities[i - 1].start]) and _TO.match(
            clause[quantities[i - 1].end:]) and _TO_END.search(clause[:q.start]):
        return "to"
    return ""


def _meaning(clause: str, quantities: list[Quantity], i: int, segment: tuple[int, int],
             period: Period, language: str, previous: tuple[str, str], sentence_before: str,
             report_year: int, chain: str = ""):
    """(indicator, period, measure) of quantity i of a clause; `chain` is the text of the
    ；-sentences before this one in its 。-sentence (for the base year of a from-to)."""
    if language == "en":  # English word order and cues: facts/english.py
        return english.meaning(clause, quantities, i, period, previous, report_year, sentence_before)
    q = quantities[i]
    seg = clause[segment[0]:segment[1]]
    local = q.start - segment[0]
    ends = _from_to(clause, quantities, i)
    if ends:  # 从54万亿元增加到82.7万亿元: the base year's level and the end year's level
        head = clause[segment[0]:quantities[i - 1].start if ends == "to" else q.start]
        head = _FROM.sub("", head)
        indicator = indicator_before(head, len(head), language, previous, sentence_before)
        base = _FROM.search(clause[:(quantities[i - 1] if ends == "to" else q).start])
        if base.group("last"):  # 将由去年的1076亿元增加到1562亿元: last year's and this year's
            year = report_year - 1 if ends == "from" else report_year
        elif ends == "from":
            earlier = list(_FROM_YEAR.finditer(chain + sentence_before))  # 由1997年的…增加到…；出口总额由1828亿美元
            year = int(base.group("year")) if base.group("year") else int(earlier[-1].group(1)) if earlier \
                else period.start - 1
        elif period.annual and period.start in _from_years(base, chain + sentence_before):
            # 从2020年的82.4岁提升至83.9岁; 由2020年的7.2%提升至7.4%，…占比由20.5%提升至21.1%:
            # the cue is the base year, the end is the year reviewed
            year = report_year - 1
        else:
            year = period.end
        rate = q.unit == "%" and _GROWTH_END.search(head)  # 增长幅度由上年的58.6%回落到27.8%
        share = q.unit == "%" and indicator[0] not in RATE_LEVELS  # 赤字率 is a level, 城镇化率 a share
        # 由四百六十六个减少到现在的二百七十六个 counts things; 日均新设企业由5千多户… is a rate
        # 千人口床位数由6.4张增至7.6张: a rate per head, no count
        level = "count" if q.unit in COUNT_UNITS and not re.search(r"日均|平均|每|千人口|万人口", head) else "level"
        span = one_year(year)
        if ends == "to" and year == report_year:  # 用两年时间将筹资标准由50元提高到100元: 2008-2009
            span = taking_years(sentence_before + clause[:q.end + 6], report_year) or span
        return indicator, span, "growth" if rate else "share" if share else level
    if base_of := _BASE_LEVEL.search(seg[:local]):  # 比一九五二年的四百八十三亿九千万元增长…: the base's level
        level = "count" if q.unit in COUNT_UNITS else "share" if q.unit == "%" else "level"
        return previous if previous[0] else (base_of.group("words"), base_of.group("words")), \
            one_year(int(base_of.group("year")) if base_of.group("year") else FIVE_YEAR_PLANS[base_of.group("plan")][1]), level
    versus = _VERSUS.search(seg[:local])
    if versus and previous[0] and not indicators.find_in_clause(seg[:versus.start()], None, language):
        indicator = previous  # 比去年预算低0.4个百分点: the same indicator (unless it names its own)
    else:
        indicator = indicator_before(seg, local, language, previous, sentence_before)
    # the base nearest before the number: 比１９５２年没有显著的增加…又比１９５５年增加了一万二千二百多台
    base = ([None] + list(_BASE_YEAR.finditer(sentence_before + clause[:q.start])))[-1] or (
        _AVERAGE.search(seg[:local]) and _SPAN_FROM.search(sentence_before + clause[:q.start]))
    if base and period.annual and int(base.group(1)) < period.start and period.end < report_year:
        start = int(base.group(1)) + 1  # 比2002年增长65.5%, 年均增长10.6% (2008): over 2003-2007
        period = Period(start, period.end, f"{start}-{period.end}")
    elif period.label.startswith("到") and period.start == report_year and (
            own := list(_BASE_YEAR.finditer(clause[:q.start]))) and int(own[-1].group(1)) < report_year - 1:
        start = int(own[-1].group(1)) + 1  # 到2020年国内生产总值…比2010年翻一番 (2016): a rise over 2011-2020
        period = Period(start, period.end, f"{start}-{period.end}")
    summed = led_by_span(sentence_before, seg[:local], q, period)
    if not summed:
        period = end_of_span(seg[:local], q, period, report_year, clause[q.end:])  # 达到 / 提升到 over a past span
    if period == one_year(report_year) and _ALREADY.search(seg[:local]) and not re.search(
            r"今年|(?:19|20)\d{2}年|到|要|今后|未来|目标", sentence_before + clause[:q.start]):
        period = one_year(report_year - 1)  # 目前…已经超过2万亿元 in the plans: the state reached
    if period == one_year(report_year):  # 力争用两年时间在36个大城市…: 2008-2009
        period = taking_years(sentence_before + clause[:q.end + 6], report_year) or period
    if period.annual and period.end < report_year and _PROPOSED.search(seg[:local]):
        period = one_year(report_year)  # 拟增加中央预算稳定调节基金1032亿元 (in the review): proposed now
    words = seg[:local]
    if _LINK_ONLY.fullmatch(words):  # 今年经济增长速度的宏观调控目标，定为百分之八至九
        words = sentence_before[-16:] + words
    measure = per_year(measure_of(words, q, indicator[0], period), sentence_before + clause[:q.start], period,
                       q.unit)
    if summed and measure == "level":
        measure = "total"
    if q.unit == "%" and not indicators.get(indicator[0]) and GROWTH_NAMED_AFTER.match(clause, q.end):
        indicator, measure = ("gdp", "增长"), "growth"  # 5.5%左右的预期增长目标, 6.5%左右的增速可以实现…就业
    if q.unit != "年" and period.end < report_year and (run := run_of_years(seg[:local], report_year)):
        period = run
    elif q.unit == "年" and seg[:local].endswith("连续"):
        period = run_itself(q, sentence_before + clause[:q.start], period, report_year)
    elif q.unit in MONTHS_IN and seg[:local].endswith("连续"):
        period, measure = run_of_months(q, period, report_year), "level"  # a run's length, never summed
    if q.unit == "人" and clause.startswith("口", q.end) and not _CHANGE_WORDS.search(seg[:local]) \
            and not seg[:local].endswith("每") and not clause.startswith("以上", q.end + 1):
        # 在我们这样一个有13亿人口的大国: the population, a level at the span's end
        return ("population", "人口"), one_year(period.end), "level"
    if measure == "total" and not summed and standing_count(seg[:local], clause[:q.start], q, clause[q.end:],
                                                                period, report_year):
        period, measure = one_year(period.end), "count"
    return indicator, period, span_rise(measure, seg[:local], period)


def _each_of_list(fact: Fact, names: list[tuple[int, str, str]], text: str, spots, seg_start: int):
    """The fact once per name of a list sharing its number (facts/lists.py), each from its own name."""
    if not names:
        yield fact
        return
    for offset, indicator, words in names:
        start = seg_start + offset if spots is None else fact.start + offset  # no spaced digits in names
        start = fact.start if offset == 0 else start
        yield replace(fact, start=start, text=text[start:fact.end], indicator=indicator, indicator_text=words)


def _facts_of_sentence(report: Report, text: str, sent: tuple[int, int], passage: Passage,
                       context: Context) -> Iterator[Fact]:
    if not HAS_NUMERAL.search(text, sent[0], sent[1]):
        return
    en = report.language == "en"
    sentence, spots, chain = prepared(text, sent, en)  # the copy the rules read (clauses.py)
    previous = ("", "")
    line_start = text.rfind("\n", 0, sent[0]) + 1
    in_sentence = with_counts(sentence, with_durations(sentence, extract_numbers(sentence)))  # once per sentence
    if en:
        in_sentence = english.with_word_counts(sentence, in_sentence)
    compared = None  # the period of the sentence's last figure that is not a gap
    listed = None  # English: (unit, measure) of the sentence's last quantity, for a list's next item
    for c_start, c_end in english.clause_spans(sentence) if en else clause_spans(sentence):
        clause = sentence[c_start:c_end]
        quantities = [replace(q, start=q.start - c_start, end=q.end - c_start) for q in in_sentence
                      if c_start <= q.start and q.end <= c_end]
        quantities = [no_step(q, clause) for q in quantities
                      if is_fact_quantity(q, clause, q.start) and not is_threshold(q, clause)
                      and not is_specification(q, clause)
                      or en and english.counted(q, clause)]
        if not quantities:
            listed = None
            continue
        shared = respectively(clause, quantities, report.language)
        last = None
        for i, (s_start, s_end) in enumerate(segment_spans(clause, quantities)):
            q = quantities[i]
            number_pos = sent[0] + original(spots, c_start + q.start)
            number_end = sent[0] + original(spots, c_start + q.end)
            period = context.period(passage, sent[0], number_pos)
            previous, period, measure = _meaning(clause, quantities, i, (s_start, s_end), period,
                                                 report.language, previous, sentence[:c_start],
                                                 report.year or 0, chain)
            if shared:
                previous, q = shared[i][0], replace(q, qualifier=q.qualifier or shared[i][1])
                # the verb after 分别 holds for every quantity: 年均分别实际增长9.7%和8.9%
                measure = measure_of(clause[:quantities[0].start], q, previous[0], period)
            measure = policy_rate(document_count(measure, q, clause[q.end:]), q, clause[:q.start], clause[q.end:])
            if en and not i and listed and measure == "level" and q.unit == listed[0] and english.LIST_ITEM.fullmatch(clause[:q.start]):
                measure = listed[1]  # …amounted to 150 million tons of cement, 31.22 million tons of iron, and …
            listed = (q.unit, measure) if q.unit else None
            # 分别比2007年增加2.8平方米和5.5平方米: the second keeps the verb (not for 分别 lists
            # of several indicators, whose measures are each their own)
            joined = i and not shared and re.fullmatch(r"[和与及、]|以及", clause[quantities[i - 1].end:q.start])
            if last and not en and (repeats_verb(clause[s_start:q.start]) or joined) \
                    and same_kind_of_unit(q.unit, quantities[i - 1].unit) \
                    and _from_to(clause, quantities, i) != "to":  # 从14.7%降至13%: each end its own year
                period, measure = last  # 分别增长10.6%、9%; 分别达99.9%、94.5%: the list's verb holds for all
            elif last and shared and re.fullmatch(r"[和与及、]", clause[quantities[i - 1].end:q.start]):
                period = last[0]  # 收入、支出分别突破300亿元和3000亿元: both reached by the span's end
            period = gap_period(q, clause[s_start:q.start], period, compared)
            if measure == "avg_growth" and period.annual and not en and period.end < (report.year or 0):
                # 1997年国内生产总值达到74772亿元，…平均每年增长11% (1998): an average over the span reviewed
                span = context.span_of(passage, sent[0])
                if (recent := _RECENT_YEARS.search(clause[:q.start])) and period.end == report.year - 1:
                    n = int(recent.group(1)) if recent.group(1).isdigit() else int(chinese_numeral_value(recent.group(1)))
                    span = Period(period.end - n + 1, period.end, f"{period.end - n + 1}-{period.end}")  # 近3年…年均
                if span is None and report.year in PLAN_STARTS and period.end == report.year - 1:
                    # 社会消费品零售总额年均增长5% in a 2026 review with no span named: the plan just ended
                    span = Period(report.year - 5, report.year - 1, f"{report.year - 5}-{report.year - 1}")
                period = span if span and span.end == period.end else period
            period = times_base(q, measure, sentence[:c_start] + clause[:q.start], period, compared)
            last = (period, measure)
            if measure != "pp_change":
                compared = period
            kind = kind_of(period, report.year or 0, text[sent[0]:number_pos], text[number_end:number_end + 40], q.unit)
            start, end = sent[0] + original(spots, c_start + s_start), sent[0] + original(spots, c_start + s_end)
            vague = not re.search(r"\d|[一二两三四五六七八九十]", q.raw)  # 超万元的, 上千万家庭
            commitment = not vague and not _COMPARISON.search(clause[:q.start]) and (
                kind == KIND_RESULT and passage.part == PART_REVIEW
                or kind == KIND_TARGET and passage.part == PART_PLAN and bool(
                    TARGET_ACTIONS.search(clause) or indicators.find_in_clause(clause)))
            headline = passage.kind == "target_item" or bool(
                # the list may start on the line before (Guangdong 2026 breaks 主要预期目标 / 是：…)
                _HEADLINE.search(text[max(0, line_start - 12):sent[0] + 2] + sentence[:c_start]))
            fact = Fact(
                report=report.id, start=start, end=end, text=text[start:end],
                indicator=previous[0], indicator_text=previous[1], value=q.value,
                value_max=q.value_max, unit=q.unit, value_text=text[number_pos:number_end],
                qualifier=q.qualifier or q.pre, kind=kind, period_start=period.start,
                period_end=period.end, period_label=period.label, measure=measure,
                value_start=number_pos, value_end=number_end,
                sentence_start=sent[0], sentence_end=sent[1], heading=passage.heading_path,
                part=passage.part, year=report.year, level=report.level, region=report.region,
                region_name=report.region_name, language=report.language, commitment=commitment,
                headline=headline)
            names = shared_names(clause[s_start:q.start], q.unit, report.language) if len(quantities) == 1 else []
            yield from _each_of_list(fact, names,
                                     text, spots, sent[0] + (spots[c_start + s_start] if spots else c_start + s_start))


def extract_facts(report: Report, text: str, passages: list[Passage]) -> list[Fact]:
    """Every fact of one report, in text order (glossary entries left out)."""
    context = (english.EnglishContext if report.language == "en" else Context)(report, text)
    facts: dict[str, Fact] = {}
    for passage in passages:
        if passage.part == PART_GLOSSARY or not report.year:
            continue
        context.enter(passage)
        planted = {(s + passage.start, e + passage.start) for s, e in instruction_spans(passage.text)}
        for sent in split_sentences(passage.text, offset=passage.start):
            if sent in planted:  # an instruction planted in the report states no fact
                continue
            for fact in _facts_of_sentence(report, text, sent, passage, context):
                facts.setdefault(fact.id, english.revise(fact, text) if report.language == "en" else fact)
    return sorted(facts.values(), key=lambda f: (f.start, f.value_start))


__all__ = ["EXTRACTOR_VERSION", "extract_facts", "is_fact_quantity", "one_year"]
