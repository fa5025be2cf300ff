"""Understanding a question: the standalone question (follow-ups resolved) read once into a
typed `Query` that the answer routes use.

    understand("2026年哪些省份城镇调查失业率目标高于5.5%？")
    -> Query(intent="regions", indicators=("surveyed_unemployment",), kind="target",
             years=(2026,), threshold=(">", 5.5), all_regions=True, …)

Intents (the route each one goes to):
- `value`    one figure: an indicator of one place in one year or period (a fact lookup);
- `verdict`  target and result of the same year and whether the target was met (完成了吗);
- `regions`  an indicator across regions: a table of every matching region, sorted, optionally
             filtered by a threshold (高于5.5%, 是5%左右) or cut to the top/bottom n (最高的三个);
- `yoy`      one place, two years: the same indicator (or all the targets both set) compared;
- `series`   an indicator over the years (历年);
- `definition` what a term means: the glossary or note entry explaining it, whole;
- `reason`   why the report does something: the sentence that gives its reason;
- `list`     every item of an enumeration (哪四个方面, 有哪些任务), however many sentences it spans;
- `open`     what the report said about a topic: 2–5 sentences of the best section, in order;
- `passage`  everything else: the sentence of the best passage that answers it.
Rules only, no model: the same question always reads the same, and the reading is shown.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace

from ..facts import indicators
from ..numbers import count_word_value, extract_numbers
from ..regions import BY_ID, PROVINCES, region_groups
from ..textutil import nfkc
from ..words import five_year_plans_by_ordinal
from . import asks
from .constraints import FIVE_YEAR_PLANS, PLAN_NAME_RE, Constraints, parse_question
from .followup import rewrite

INTENTS = ("value", "verdict", "regions", "yoy", "series", *asks.SHAPES, "passage")
VERDICT_RE = re.compile(r"完成了吗|完成没有|完成了没有|完成得怎么样|完成情况|实现了吗|实现没有|实现了没有|达到了吗|达到了没有|"
                        r"达成了吗|达标了吗|"
                        r"是否(?:完成|实现|达到|达标)|有没有(?:完成|实现|达到)|(?:完成|实现|达到)(?:目标)?了没|"
                        r"\b(?:was|were) (?:it|the targets?|they) (?:met|achieved|reached)\b|"
                        r"\bdid (?:it|they|\w+) (?:meet|achieve|reach|hit)\b|\bmet (?:the|its) target", re.I)
ALL_REGIONS_RE = re.compile(r"哪些省|哪几个省|哪个省|哪一个省|各省|各地|全国各省|31个省|所有省|每个省|省份有哪些|的省份|省份是|"
                            r"哪些地区|哪个地区|哪些地方|省份(?:中|里|之中)|各个省|\bwhich provinces?\b|"
                            r"\beach province\b|\ball provinces\b|\bwhich regions?\b|\bprovinces\b", re.I)
RANK_RE = re.compile(r"(?P<max>最高|最快|最多|最大|highest|fastest|largest|most)|(?P<min>最低|最慢|最少|最小|lowest|slowest|smallest|least)"
                     r"|(?P<top>前(?P<n>[一二三四五六七八九十\d]+)(?:名|个|位)?|top (?P<en>\w+))", re.I)
_TOP_N_RE = re.compile(r"(?P<n>[二两三四五六七八九十\d]+)个(?:省|地区|地方)|(?:the )?(?P<en>two|three|four|five|\d+) (?:provinces|regions)", re.I)
_OP_BEFORE = re.compile(r"(?P<op>高于|超过|大于|多于|不低于|不少于|至少|低于|少于|小于|不高于|不超过|above|over|below|"
                        r"under|at least|at most|more than|less than)\s*$", re.I)
_OP_AFTER = re.compile(r"^\s*(?P<op>及以上|或以上|以上|及以下|或以下|以下|以内|or more|or above|or higher|or less|or below)", re.I)
_OPS = {"高于": ">", "超过": ">", "大于": ">", "多于": ">", "above": ">", "over": ">", "more than": ">",
        "不低于": ">=", "不少于": ">=", "至少": ">=", "at least": ">=", "低于": "<", "少于": "<", "小于": "<",
        "below": "<", "under": "<", "less than": "<", "不高于": "<=", "不超过": "<=", "at most": "<=",
        "及以上": ">=", "或以上": ">=", "or more": ">=", "or above": ">=", "or higher": ">=",
        "及以下": "<=", "或以下": "<=", "or less": "<=", "or below": "<="}
_FOLLOWUP_RE = re.compile(r"^(?:那么?|那|还有|另外|再问|其中)|(?:呢|呐)[？?。!！]*$|^(?:and|what about|how about|and what about)\b"
                          r"|^(?:实际|完成|实现|目标|它|其)|[?？]$", re.I)
YOY_RE = re.compile(r"相比|相较|比较|对比|变化|不同|差别|区别|调整|提高了还是|降低了还是|高还是低|上调|下调|"
                    r"[高低多少快慢]了还是[高低多少快慢]了|是高是低|"
                    r"\bcompared?\b|\bchange[sd]?\b|\bdiffer", re.I)
AVERAGE_RE = re.compile(r"年均|平均每年|每年平均|\baverage annual\b|\bannual average\b|\bper year on average\b", re.I)
TOTAL_RE = re.compile(r"累计|总共|一共|合计|共计|总计|总数|五年(?:来|间|里|内)?(?:共|一共|累计)?(?:新增|增加|完成|减少)|\bin total\b|\bcumulative|\baltogether\b|\bin all\b|\ball told\b|\bcombined\b", re.I)
GROWTH_RE = re.compile(r"增长|增速|增幅|涨幅|上涨|growth|grow|increase|rise", re.I)
SHARE_RE = re.compile(r"比重|占比|强度|\bshare\b|\bintensity\b", re.I)
# a fall asked (by how much did … fall, shrink); not the level it fell to (降至, fell to: a level, as facts read it)
CHANGE_RE = re.compile(r"(?:减少|下降|降低|压减|削减|减轻)(?![到至])|\bcut\b(?!\s+to\b)|\breduc\w*+(?!\s+to\b)|"
                       r"\b(?:fell|fall|drop(?:ped)?|declined?|decreased?|shr[iau]nk)\b(?!\s+to\b)", re.I)
# Questions about something other than the figure itself: a rank, a count of years, a date.
NOT_A_VALUE_RE = re.compile(r"第几|连续多少年|多少年|几年|哪一年|哪年|何时|什么时候|排名|位居|第[一二三四五六七八九十\d]+位|"
                            r"为什么|原因|怎么做|哪些(?:措施|方面|举措|工作)|\bwhy\b|\bwhen\b|\brank", re.I)
_YEARLY_RE = re.compile(r"\byearly\b|\bannual(?:ly)?\b|\bper year\b|\ba year\b|每年|年度", re.I)
# Two years around an average or a total are the ends of one span (between 2013 and 2017, at
# what average annual rate…; 2013年和2017年之间累计…), not two years to compare.
_BETWEEN_RE = re.compile(r"\bbetween ((?:19|20)\d{2}) and ((?:19|20)\d{2})\b|"
                         r"((?:19|20)\d{2})年?[和与]((?:19|20)\d{2})年?(?:之间|间)", re.I)
_YEAR_OF_PLAN_RE = re.compile(r"\b(?:first|last|final|second|third|fourth|opening|closing) year of\b|"
                              r"开局之年|收官之年|起步之年|第[一二三四五]年|最后一年", re.I)
SPAN_RE = re.compile(r"过去五年|五年来|这五年|五年间|\bpast five years\b|\bfive years\b", re.I)
# Words that make a target question; the last clause that says target or result decides.
_TARGET_CUE = re.compile(r"目标|计划|预期|打算|力争|要求|(?<![主重需只])要(?!求)|今年|明年|定(?:的|了|为|在)|拟|"
                         r"\btarget|\bgoal|\baim|\bplan", re.I)
_RESULT_CUE = re.compile(r"实际|完成|实现了|达到(?!目标)|结果|最终|最后|增长了|做到了|全年|当年|一年|\bactual|\bachieved|"
                         r"\bgrew\b|\bin fact\b|\bdid\b", re.I)


@dataclass(frozen=True)
class Query:
    """One question, read once. `constraints` is the reading the retrieval stage uses."""

    text: str  # the standalone question
    asked: str  # what the user typed
    language: str
    intent: str
    indicators: tuple[str, ...] = ()
    measure: str = ""  # growth / avg_growth / total / share / "" (the indicator's usual one)
    kind: str = ""  # target / result / "" (not said)
    both_asked: bool = False  # target and result both asked (目标是多少？实际完成了多少？): a verdict
    years: tuple[int, ...] = ()
    period: tuple[int, int] | None = None  # a span asked for: 十四五, 过去五年 …
    regions: tuple[str, ...] = ()
    region_group: str = ""  # id of a group of region_groups.tsv
    all_regions: bool = False
    level: str = ""
    rank: str = ""  # max | min
    top_n: int = 0
    threshold: tuple[str, float] | None = None  # (">", 5.5); "=" with `qualifier`
    qualifier: str = ""
    unit: str = ""  # the unit the question asks the figure in (多少亿斤 -> 斤)
    scope: tuple[str, ...] = ()  # words the figure's clause must hold (local government deficit -> local, 地方)
    report_year: int | None = None  # a report named (按2013年的报告…): figures come from it
    constraints: Constraints = field(default_factory=Constraints)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["constraints"] = self.constraints.to_dict()
        return {k: v for k, v in d.items() if v not in ("", (), None, False, 0) or k == "intent"}


# "What ceiling did the 2011 report put on …": the report's own act of setting, not a result
_REPORT_DID_RE = re.compile(r"\bdid (?:the |this |that )?(?:\d{4} )?(?:government )?(?:work )?(?:report|government|premier|china)\b"
                            r"(?= (?:put|set|plan|call|aim|propose|want|budget|target|project|promise|pledge|intend))", re.I)


_ASKING_RE = re.compile(r"多少|几|什么|哪|吗|\bhow\b|\bwhat\b|\bwhich\b", re.I)  # a clause that asks


def _last_kind(question: str) -> tuple[str, bool]:
    """target / result from the last clause that names one (目标定的6.5%到7%，当年实际增长了多少),
    and whether both are asked."""
    question = PLAN_NAME_RE.sub(" ", _REPORT_DID_RE.sub(" target ", question))
    kind, asked = "", set()
    for clause in re.split(r"[，,；;。？?]", question):
        target, result = bool(_TARGET_CUE.search(clause)), bool(_RESULT_CUE.search(clause))
        if target != result:
            kind = "target" if target else "result"
            if _ASKING_RE.search(clause):
                asked.add(kind)
    # 实际增长了多少，预定目标又是多少: both asked, neither alone (a clause that asks nothing,
    # 目标定的6.5%到7%，当年实际增长了多少, only tells which one)
    return ("", True) if len(asked) == 2 else (kind, False)


# A group's name inside the name of a national policy is no group of provinces: 西部大开发,
# 东北全面振兴, 中部地区崛起, 东部率先发展.
_POLICY_AFTER_GROUP = re.compile(r"^(?:地区)?(?:大开发|全面振兴|振兴|崛起|率先|陆海新通道)")


def _group(question: str) -> tuple[str, tuple[str, ...]]:
    lower = question.lower()
    for group in sorted(region_groups(), key=lambda g: -max(len(n) for n in g.names)):
        for name in sorted(group.names, key=len, reverse=True):
            if name.isascii():
                if re.search(rf"\b{re.escape(name)}\b", lower):
                    return group.id, group.members
                continue
            at = question.find(name)
            if at >= 0 and not _POLICY_AFTER_GROUP.match(question[at + len(name):]):
                return group.id, group.members
    return "", ()


def _top_n(question: str) -> int:
    m = RANK_RE.search(question)
    raw = ""
    if m and m.group("top"):
        raw = m.group("n") or m.group("en") or ""
    elif n := _TOP_N_RE.search(question):
        raw = n.group("n") or n.group("en") or ""
    raw = raw.lower()
    return count_word_value(raw)


def _threshold(question: str) -> tuple[tuple[str, float] | None, str]:
    """(op, value in base units) of a figure the question compares with: 高于5.5%, 100万人及以上,
    是5%左右 (op "=", qualifier 左右). Years are not figures."""
    text = nfkc(question)
    for q in extract_numbers(text):
        if q.unit in ("年", "月", "日", ""):
            continue
        before, after = _OP_BEFORE.search(text[:q.start]), _OP_AFTER.match(text[q.end:])
        op = _OPS[before.group("op").lower()] if before else _OPS.get(after.group("op").lower(), "=") if after else "="
        if q.qualifier == "以上" and op == "=" and not re.search(r"是|为", text[max(0, q.start - 2):q.start]):
            op = ">="
        return (op, q.value), q.qualifier if op == "=" else ""
    return None, ""


def _measure(question: str, indicator_ids: tuple[str, ...], period) -> str:
    spans = bool(period) and period[0] != period[1]
    if AVERAGE_RE.search(question) or spans and _YEARLY_RE.search(question) and GROWTH_RE.search(question):
        return "avg_growth"  # what yearly growth rate … over 2011-2015: the average
    if TOTAL_RE.search(question):
        return "total"
    if CHANGE_RE.search(question) and indicator_ids:
        return "change"  # by how much did energy intensity fall: its change, not its level
    if SHARE_RE.search(question):
        return "share"
    if GROWTH_RE.search(question) and indicator_ids:
        return "growth"
    return ""


_EN_PLAN_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th) five-year plan", re.I)
_PLAN_END_RE = re.compile(r"(?:十[一二三四五]?五|[六七八九]五)”?末|\bby the end of the\b|\bat the end of the\b", re.I)


def _period(question: str, c: Constraints, report_year: int | None) -> tuple[int, int] | None:
    if c.five_year_plan:
        return FIVE_YEAR_PLANS[c.five_year_plan]
    if (m := _EN_PLAN_RE.search(question)) and int(m.group(1)) in five_year_plans_by_ordinal():
        return five_year_plans_by_ordinal()[int(m.group(1))]  # the 14th Five-Year Plan: 2021-2025
    if c.year_span:
        return c.year_span
    if SPAN_RE.search(question) and report_year:
        return report_year - 5, report_year - 1
    return None


def _intent(question: str, q_indicators, c: Constraints, all_regions: bool, group: str,
            rank: str, threshold) -> str:
    from_series = re.search(r"历年|历次|(?<![平均])每年(?!平均)|各年|逐年|历届|这些年|近几年|\bover the years\b|\beach year\b|"
                            r"\bevery year\b|\byear by year\b|\bover time\b", question, re.I)
    if from_series:
        return "series"
    if not q_indicators and not (YOY_RE.search(question) and (len(set(c.years)) == 2 or len(c.regions) == 2)):
        return "passage"
    if NOT_A_VALUE_RE.search(question):
        return "passage"
    if len(c.regions) == 2 and YOY_RE.search(question) and len(set(c.years)) <= 1:
        return "yoy"  # 广东和江苏2026年的目标相比: two places, one year
    if all_regions or (group and len(c.regions) != 1) or len(c.regions) >= 2 or (
            rank and not c.regions and not c.county):
        return "regions"
    two_years = len(set(c.years)) == 2 and (not c.year_span or c.year_span[1] - c.year_span[0] == 1
                                             and YOY_RE.search(question))
    if two_years and not c.report_year:
        return "yoy"
    if VERDICT_RE.search(question):
        return "verdict"
    return "value"


def _shaped(intent: str, question: str, c: Constraints) -> str:
    """A question for a passage (or a figure's definition, or what was said about a topic)
    that wants a definition, a reason, a list or an overview gets that shape's route."""
    shape = asks.shape_asked(question)
    if (len(set(c.years)) >= 2 or c.year_span) and not c.report_year:
        return intent  # 2019年和2024年分别怎样…: each year's best sentence (the per-year answer)
    if shape and (intent == "passage" or (intent == "value" and shape != "list" and not c.asks_number)):
        return shape
    return intent


MAX_TURNS_READ = 5  # follow-ups resolve against at most the last 5 turns


def understand(question: str, history=(), report_year: int | None = None, places=(),
               standalone: str | None = None, newest_report_year: int | None = None) -> Query:
    """The `Query` of one question (+ the conversation before it). `places`: the corpus's
    local places (query.local_places); `standalone`: a rewrite already made (by an LLM);
    `newest_report_year`: the corpus's newest report (到2030年 beyond it is a deadline).

    A follow-up (`江西呢？`, `完成了吗？`, `What about the CPI?`) takes the last turn's query
    and replaces what it names itself (region, year, indicator, kind); a question that names
    its own indicator and its own year or place starts afresh."""
    history = list(history or ())[-MAX_TURNS_READ:]
    standalone = standalone or rewrite(question, history, places)
    query = _deadline(_read(standalone, question, report_year, places), newest_report_year)
    if not history:
        return query
    own = _deadline(_read(question, question, report_year, places), newest_report_year)
    if own.indicators and (own.years or own.regions or own.constraints.level == "national"):
        return own if not own.constraints.unknown_place else query
    if not (own.intent != "passage" or _FOLLOWUP_RE.search(question.strip()) or len(question.strip()) <= 12):
        return query
    previous = understand(history[-1][0], history[:-1], report_year, places, newest_report_year=newest_report_year)
    if previous.intent in ("passage", *asks.SHAPES):
        return query
    return _merge(previous, own, question, standalone)


def _deadline(query: Query, newest: int | None) -> Query:
    """到2030年 / by 2030, past the newest report: a plan's deadline, not a report year."""
    c = query.constraints
    if not (newest and c.years and min(c.years) > newest and not c.report_year):
        return query
    if not re.search(rf"(?:到|至|截至|\bby\b|\bbefore\b)\s*{max(c.years)}", query.text):
        return query  # 北京2027年的目标: a report that does not exist, said so later
    c.years = []
    return replace(query, years=(), period=query.period or (newest, max(query.years)), kind="target")


def _merge(previous: Query, own: Query, question: str, standalone: str) -> Query:
    """The previous turn's query with what the follow-up names itself."""
    changes: dict = {"text": standalone, "asked": question, "language": own.language}
    if own.regions or own.region_group:
        changes.update(regions=own.regions, region_group=own.region_group, all_regions=own.all_regions,
                       level=own.level or "provincial")
    if own.years:
        changes["years"] = own.years
    if own.indicators:
        changes.update(indicators=own.indicators, measure=own.measure)
    if own.kind:
        changes["kind"] = own.kind
    if own.period:
        changes["period"] = own.period
    intent = previous.intent
    if VERDICT_RE.search(question):
        intent, changes["kind"] = "verdict", ""
    elif own.kind and intent == "verdict":
        intent = "value"
    if own.all_regions or own.region_group:
        intent = "regions"
    c = replace(previous.constraints, years=list(changes.get("years", previous.years)),
                regions=list(changes.get("regions", previous.regions)) if not changes.get("all_regions") else [],
                language=own.language)
    if "level" in changes:
        c.level = changes["level"]
    return replace(previous, intent=intent, constraints=c, **changes)


def _read(standalone: str, question: str, report_year: int | None, places) -> Query:
    c = parse_question(standalone, report_year, places)
    if c.report_year:
        if re.search(r"上一年|上年|去年|前一年|previous year|the year before", standalone):
            c.years = [c.report_year - 1]  # 2015年报告中，上一年… -> 2014
            c.intent = c.intent or "result"
        elif len(c.years) > 1:  # 2013年报告说2012年… -> 2012
            c.years = [y for y in c.years if y != c.report_year]
    named = tuple(indicators.find_in_question(standalone))
    group, members = _group(standalone)
    all_regions = bool(ALL_REGIONS_RE.search(standalone)) or bool(group)
    regions = tuple(c.regions) or members
    rank_match = RANK_RE.search(standalone)
    rank = ("max" if rank_match.group("max") else "min" if rank_match.group("min") else "max") if rank_match else ""
    threshold, qualifier = _threshold(standalone)
    if group:
        c.unknown_place = ""  # 直辖市, 长三角 … are groups, not a missing city
    if len(c.years) == 1 and YOY_RE.search(standalone) and re.search(r"上一年|上年|去年|前一年|the year before|previous year", standalone):
        c.years = [c.years[0], c.years[0] - 1]
    if not c.year_span and (AVERAGE_RE.search(standalone) or TOTAL_RE.search(standalone)) and (
            between := _BETWEEN_RE.search(standalone)):
        first, last = sorted(int(y) for y in between.groups() if y)
        c.year_span = (first, last)
    kind, both_asked = _last_kind(standalone)
    kind = "" if both_asked else kind or c.intent
    period = _period(standalone, c, c.report_year or report_year)
    if period and len(c.years) == 1 and period[0] <= c.years[0] <= period[1] and _YEAR_OF_PLAN_RE.search(standalone):
        period = None  # 2015, the last year of the 12th Five-Year Plan: that year
    if period and _PLAN_END_RE.search(standalone) and period[1] < (report_year or 9999):
        c.years, period = [period[1]], None  # 十四五末 / by the end of the 14th plan: its last year
    intent = _shaped(_intent(standalone, named, c, all_regions, group, rank, threshold), standalone, c)
    if intent == "value" and both_asked and len(c.years) == 1 and not period:
        intent = "verdict"  # the target and the result of one year, both asked: side by side
    if intent == "verdict":
        kind = ""
    return Query(text=standalone, asked=question, language=c.language, intent=intent,
                 indicators=named, measure=_measure(standalone, named, period), kind=kind,
                 both_asked=both_asked and intent == "verdict",
                 years=tuple(c.years), period=period, regions=regions, region_group=group,
                 all_regions=all_regions and not c.regions, level=c.level or (
                     "provincial" if all_regions or group else ""),
                 rank=rank, top_n=_top_n(standalone) if rank else 0, threshold=threshold,
                 qualifier=qualifier, unit=asks.base_unit_asked(standalone), scope=asks.indicator_scope(standalone),
                 report_year=c.report_year,
                 constraints=c)


def region_name(region_id: str) -> str:
    return BY_ID[region_id].name if region_id in BY_ID else region_id


__all__ = ["INTENTS", "PROVINCES", "Query", "region_name", "understand"]
