"""Understanding a question: years, regions, level, target-or-result, language.

Everything here is rules over the question text; no model is involved, so the same question
always yields the same constraints, and they are shown to the user with the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from ..regions import BY_ID, PROVINCES
from ..textutil import CN_NUMERAL_CHARS, cn_to_int, detect_language, nfkc
from ..words import five_year_plans, word_map, word_pairs, word_set
from . import asks

THIS_YEAR = 2026  # "今年" when no report year is in play; the corpus goes up to 2026

# 国家 alone is no national word: 国家高新技术企业, 国家级 … appear in every provincial report.
NATIONAL_WORDS = ("国务院", "全国", "中央", "我国", "中国", "总理")
NATIONAL_WORDS_EN = ("china", "national", "state council", "premier", "country's", "nationwide")
TARGET_RE = re.compile(r"目标|计划|预期|(?<![主重需只])要(?!求)|定(?:的|了|为|在)|拟|力争|打算|安排|要求|部署|将要|提出|确定|定为|定在|"
                       r"\b(target|goal|aim|plan|planned|expected|projected|set|will)\b", re.I)
# A completed verb (增长了, 减少了, 建成了 …) asks what happened, not what is planned.
RESULT_RE = re.compile(r"完成|实际|取得|回顾|是多少了|结果|最终|最后|"
                       r"(?:实现|达到|增长|下降|减少|增加|提高|降低|新增|建成|突破|超过|上涨|回落|改善|脱贫)了|"
                       r"\b(actual|actually|achieved|grew|fell|rose|reached|created|added|result|last year|in review)\b|"
                       r"\b(?:was|were) (?!set|planned|targeted|expected|projected|aimed|budgeted|proposed)\w+ed\b", re.I)
PAST_AUXILIARY_RE = re.compile(r"\b(did|had)\b", re.I)  # "How many jobs did Guizhou add in 2025?"
# A plan's name is no target cue: "during the 12th Five-Year Plan period", "“十一五”计划期间"
# name a span; whether its goal or its outcome is asked the rest of the question says.
PLAN_NAME_RE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th) five-year plan\b|\b(?:five-year )?plan period\b|"
                          r"(?:[一二三四五六七八九十]{1,3}五|五年)”?(?:计划|规划)(?:期间|时期)", re.I)
FIVE_YEAR_PLANS = five_year_plans()
_YEAR_CN = re.compile(rf"([{CN_NUMERAL_CHARS}]{{4}})年")
_YEAR_4 = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_2 = re.compile(r"(?<![\d.])(\d{2})年")
_SPAN = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:到|至|-|–|—|~|～|to|through)\s*((?:19|20)\d{2})")
RELATIVE_YEARS = {"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "本年": 0, "明年": 1,
             "last year": -1, "this year": 0, "next year": 1}
_CITY_RE = re.compile(r"(?:^|[\s，。？、：在据看])([\u4e00-\u9fff]{2,3}?)(市|县|区|州|盟)(?=\d|的|政府|今年|去年|明年|GDP|地区|经济|财政|人口|$)")
_REPORT_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:的)?[\u4e00-\u9fff]{0,8}?(?:政府工作)?报告|"
                             r"\b((?:19|20)\d{2})(?: [a-z']+){0,3} report\b|\breport (?:of|for) ((?:19|20)\d{2})\b", re.I)
_LOCAL_LEVEL_WORDS = {"county": re.compile(r"县里|本县|全县|我县|县政府|县级|\bthe county\b", re.I),
                      "city": re.compile(r"市里|本市|我市|市政府|\bthe city\b", re.I)}


# 区/市 words that name no place: 开发区, 直辖市, 自贸区 …
_NOT_A_PLACE = re.compile(r"(?:开发|园|新|示范|城|社|景|片|自贸|试验|功能|保护|市|辖)区$|直辖市$|^(?:城市|省市|地市|县市|市县)$")


@dataclass(frozen=True)
class LocalPlace:
    """A city or county the corpus has a report of (read from the reports, never a constant)."""

    region: str  # the report's region id, e.g. "changzi"
    name: str  # e.g. 长子县
    level: str  # county | city | …
    words: tuple[str, ...]  # how a question may name it: 长子县, 长子, changzi


_LOCAL_NAME_RE = re.compile(r"([^省市区州盟\s]{1,6}(?:自治县|县|市|区|旗))$")  # 山西省长治市长子县 -> 长子县


def local_places(reports) -> tuple[LocalPlace, ...]:
    """The places below province level that the given reports cover."""
    places: dict[str, LocalPlace] = {}
    for report in reports:
        if report.level in ("national", "provincial") or not report.region:
            continue
        m = _LOCAL_NAME_RE.search(report.region_name or "") or _LOCAL_NAME_RE.search(
            re.sub(r"(?:\d{4}年|政府工作报告|（.*?）|\(.*?\))", "", report.title or ""))
        name = m.group(1) if m else (report.region_name or report.region)
        short = re.sub(r"(?:自治县|县|市|区|旗|州|盟)$", "", name)
        words = tuple(w for w in dict.fromkeys((name, short if len(short) >= 2 else "", report.region)) if w)
        places.setdefault(report.region, LocalPlace(report.region, name, report.level, words))
    return tuple(places.values())


_WORD_RUN = re.compile(r"\w+")
_PLACE_INDEXES: dict[int, tuple] = {}  # id(places) -> (places, its word index), the last few


def _index_places(places: tuple[LocalPlace, ...]) -> tuple:
    """Each word -> the first place naming it: Chinese words (and their lengths), Latin words
    made of word characters (found as whole runs), and the other Latin words (searched one by one)."""
    chinese: dict[str, int] = {}
    latin: dict[str, int] = {}
    other: list[tuple[int, str]] = []
    for i, place in enumerate(places):
        for word in place.words:
            if not word.isascii():
                chinese.setdefault(word, i)
            elif _WORD_RUN.fullmatch(word):
                latin.setdefault(word, i)
            else:
                other.append((i, word))
    return chinese, sorted({len(w) for w in chinese}), latin, other


def first_place(places: tuple[LocalPlace, ...], question: str, lower: str) -> LocalPlace | None:
    """The first of `places` with a word in the question (a Chinese word anywhere in it, a Latin
    word as a whole word of `lower`), looked up in an index of their words: the work grows with
    the question, not with the number of places the corpus has."""
    entry = _PLACE_INDEXES.get(id(places))
    if entry is None or entry[0] is not places:
        if len(_PLACE_INDEXES) >= 4:
            _PLACE_INDEXES.clear()
        entry = _PLACE_INDEXES[id(places)] = (places, _index_places(places))
    chinese, lengths, latin, other = entry[1]
    found = [chinese[question[a:a + n]] for n in lengths
             for a in range(len(question) - n + 1) if question[a:a + n] in chinese]
    found += [latin[run] for run in _WORD_RUN.findall(lower) if run in latin]
    found += [i for i, word in other if re.search(rf"\b{re.escape(word)}\b", lower)]
    return places[min(found)] if found else None


@dataclass
class Constraints:
    years: list[int] = field(default_factory=list)  # years named in the question
    year_span: tuple[int, int] | None = None  # 2019到2024年
    relative: str = ""  # 今年 / 去年 / 明年 as written
    report_year: int | None = None  # "2024年政府工作报告…": the report itself is named
    regions: list[str] = field(default_factory=list)  # province ids (pinyin)
    county: str = ""  # a local place the corpus knows (县/市 below province level), e.g. 长子县
    local_region: str = ""  # its region id
    unknown_place: str = ""  # a city or county the corpus has no report for
    level: str = ""  # national | provincial | county | "" (not said)
    intent: str = ""  # target | result | "" (not said)
    language: str = "zh"
    five_year_plan: str = ""  # 十四五 …
    asks_definition: bool = False  # 什么是… / 是指什么 / what does … mean
    asks_number: bool = False  # 多少 / how much …
    asks_list: bool = False  # 哪些 / which …
    asks_person: bool = False  # 谁 / who
    asked_unit: str | None = None  # 多少亩 -> 亩
    delivery: tuple[str, ...] = ()  # speaker / meeting / date of the report itself
    names_report: bool = False  # 报告 / report is said

    def to_dict(self) -> dict:
        # a shallow copy (the fields are plain values, lists and tuples): dataclasses.asdict's
        # deep copy was 0.14 ms of every answer
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: list(v) if isinstance(v, list) else v for k, v in d.items() if v not in ("", [], None)}

    @property
    def has_place(self) -> bool:
        return bool(self.regions or self.county or self.unknown_place or self.level)


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy <= THIS_YEAR % 100 else 1900 + yy


def find_years(question: str) -> tuple[list[int], tuple[int, int] | None]:
    text = nfkc(question)
    span = None
    if m := _SPAN.search(text):
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        span = (a, b)
    years: list[int] = []
    for m in _YEAR_4.finditer(text):
        years.append(int(m.group(1)))
    for m in _YEAR_CN.finditer(text):
        value = cn_to_int(m.group(1))
        if value and 1900 <= value <= 2100:
            years.append(value)
    if not years:
        for m in _YEAR_2.finditer(text):
            years.append(_two_digit_year(int(m.group(1))))
    return list(dict.fromkeys(years)), span


# per province: its Chinese names, its English names as word patterns, its one-character
# abbreviations where they stand alone (compiled once: find_regions runs several times a question)
_REGION_NAMES = [(region, (region.name, *(s for s in region.short if len(s) >= 2)),
                  [(name, re.compile(rf"\b{re.escape(name)}\b")) for name in region.english],
                  [(abbr, re.compile(rf"(?:^|[^\u4e00-\u9fff]){abbr}(?=省|\d|[{CN_NUMERAL_CHARS}]{{2,4}}年|今年|去年|明年|的|GDP)"))
                   for abbr in region.short if len(abbr) == 1])
                 for region in PROVINCES]


def find_regions(question: str) -> list[str]:
    """Province ids named in the question: full names, two-character names, then one-character
    abbreviations (川, 晋, 粤 …) only where they stand alone before a year, 省 or the like."""
    found: list[tuple[int, str]] = []
    lower = question.lower()
    for region, names, english, _ in _REGION_NAMES:
        for name in names:
            if (pos := question.find(name)) >= 0:
                found.append((pos, region.id))
                break
        else:
            for name, pattern in english:
                if pattern.search(lower):
                    found.append((lower.find(name), region.id))
                    break
    if not found:
        for region, _, _, abbreviations in _REGION_NAMES:
            for abbr, pattern in abbreviations:
                if pattern.search(question):
                    found.append((question.find(abbr), region.id))
    return [rid for _, rid in sorted(found)]


def find_intent(question: str) -> str:
    question = PLAN_NAME_RE.sub(" ", question)
    target = bool(TARGET_RE.search(question)) or "今年" in question or "明年" in question
    result = bool(RESULT_RE.search(question)) or "去年" in question
    result = result or (not target and bool(PAST_AUXILIARY_RE.search(question)))
    if target and not result:
        return "target"
    if result and not target:
        return "result"
    return ""


def parse_question(question: str, report_year: int | None = None,
                   places: tuple[LocalPlace, ...] = ()) -> Constraints:
    """Constraints read out of one (standalone) question. `report_year` anchors 今年/去年;
    `places` are the local places of the corpus (see local_places)."""
    c = Constraints(language=detect_language(question))
    c.years, c.year_span = find_years(question)
    lower = question.lower()
    named_reports = {int(next(g for g in m.groups() if g)) for m in _REPORT_YEAR_RE.finditer(nfkc(question))}
    joined_years = re.search(r"\d{4}\s*年?\s*(?:和|与|、|及|跟|以及|,|，)\s*\d{4}", nfkc(question))
    span_ends = set(c.year_span or ())
    if len(named_reports) == 1 and len(set(c.years) - span_ends) <= 2 and not joined_years:  # "按1959年的报告，1958年…"
        c.report_year = named_reports.pop()
    for word, delta in RELATIVE_YEARS.items():
        if word in lower and not c.years:
            c.relative = word  # resolved against the newest report in scope, see resolve_relative
            if report_year:
                c.years = [report_year + delta]
            break
    c.regions = find_regions(question)
    if (place := first_place(places, question, lower)) is not None:
        c.county, c.local_region, c.level = place.name, place.region, place.level
    if not c.regions and not c.county and (m := _CITY_RE.search(question)):
        place = m.group(1) + m.group(2)
        if (not any(word in place for word in NATIONAL_WORDS) and not re.match(r"[全本我该各每]", place)
                and not _NOT_A_PLACE.search(place)):
            c.unknown_place = place
    if not c.level:
        c.level = next((lvl for lvl, rx in _LOCAL_LEVEL_WORDS.items() if rx.search(question)), "")
    if not c.level:
        if c.regions:
            c.level = "provincial"
        elif any(w in question for w in NATIONAL_WORDS) or any(w in lower for w in NATIONAL_WORDS_EN):
            c.level = "national"
    c.intent = find_intent(question)
    c.asks_definition = bool(asks.DEFINITION_RE.search(question))
    c.asks_number = bool(asks.ASKS_NUMBER_RE.search(question))
    c.asks_list = bool(asks.ASKS_LIST_RE.search(question))
    c.asks_person = bool(asks.ASKS_PERSON_RE.search(question))
    c.asked_unit = asks.asked_unit(question)
    c.delivery = asks.delivery_asked(question)
    c.names_report = bool(asks.REPORT_WORD_RE.search(question))
    c.five_year_plan = next((p for p in sorted(FIVE_YEAR_PLANS, key=len, reverse=True) if p in question), "")  # 十五五, not 十五
    return c


def resolve_relative(c: Constraints, newest_report_year: int | None) -> None:
    """今年/去年/明年 without an anchor: relative to the newest report the question can mean."""
    if c.years or not c.relative or newest_report_year is None:
        return
    delta = RELATIVE_YEARS[c.relative]
    c.years = [newest_report_year + delta]
    if delta < 0 and not c.intent:
        c.intent = "result"


# Words people ask with -> the words reports use. Used to widen keyword search and to score
# evidence sentences; never shown to the user.
SYNONYMS = word_map("synonyms_zh")  # the report's word -> the people's words for it


def canonical_terms(text: str) -> str:
    """`text` with the people's words replaced by the report's words (for matching only)."""
    for canonical, variants in SYNONYMS.items():
        for variant in sorted(variants, key=len, reverse=True):
            if variant in text and canonical not in text:
                text = text.replace(variant, canonical)
    return text


# Words of asking, not of the answer: left out of keyword search and evidence scoring.
QUESTION_FILLER = word_set("question_filler")


def search_text(question: str, c: Constraints) -> str:
    """The question without its constraints (years, places) and asking words, for keyword search."""
    text = nfkc(question)
    text = re.sub(r"(?:19|20)\d{2}\s*年?|[〇零一二三四五六七八九]{4}年", " ", text)
    names = [n for rid in c.regions for n in (BY_ID[rid].name, *BY_ID[rid].short, *BY_ID[rid].english)]
    names += [c.county, c.county.rstrip("县")] if c.county else []
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = re.sub(re.escape(name), " ", text, flags=re.I)
    return text


# The same for English questions: the words the official translations use.
SYNONYMS_EN = word_pairs("synonyms_en")


def canonical_terms_en(text: str) -> str:
    for word, replacement in SYNONYMS_EN.items():
        text = re.sub(rf"\b{word}\b", replacement, text, flags=re.I)
    return text
