"""Sentences into clauses and quantities for the facts: where clauses end, which numbers are
quantities, and the copy of a sentence the rules read (facts/extract.py uses them)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..numbers import Quantity
from ..textutil import spans_between
from . import indicators
from .durations import is_rank, span_word
from .measures import COUNT_UNITS
from .periods import ascii_years
from .spaced import compact

# a comma between digit groups (粮食产量３３，２１２万吨, 1980s reports) is a thousands separator
_CLAUSE_END = re.compile(r"(?<![0-9０-９])[，,]|[，,](?![0-9０-９]{3}(?![0-9０-９]))|[：:；;。！？!?]")


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Clauses of a sentence, split at commas, colons and sentence ends (offsets into it)."""
    return spans_between(sentence, _CLAUSE_END)


def segment_spans(clause: str, quantities: list[Quantity]) -> list[tuple[int, int]]:
    """One span per quantity: a clause listing several quantities with 、 is cut at the last
    、 between two of them; quantities with no 、 between them share a segment."""
    starts = [0]
    for left, right in zip(quantities, quantities[1:], strict=False):
        pos = clause.rfind("、", left.end, right.start)
        starts.append(pos + 1 if pos >= 0 else starts[-1])
    bounds = sorted(set(starts))
    spans = []
    for s in starts:
        i = bounds.index(s)
        end = bounds[i + 1] - 1 if i + 1 < len(bounds) else len(clause)
        spans.append((s, end))
    return spans


def is_fact_quantity(q: Quantity, clause: str, start: int) -> bool:
    """Years, dates, bare numbers and numbers inside names are not facts."""
    if q.unit in ("月", "日") or (q.unit == "年" and 1900 <= q.value <= 2100):
        return False
    if span_word(q, clause, start) or is_rank(q, clause, start):
        return False  # 3年增长58.6%, 排名提升7位: the span of a figure, a rank
    if not q.unit and q.value == int(q.value) and q.value < 1e4 and not re.search(
            r"(?:million|billion|trillion)", q.raw):
        return False  # a bare small number: a code, a name or a count without a unit word
    before, after = clause[max(0, start - 1):start], clause[start + len(q.raw):start + len(q.raw) + 1]
    if before and before.isascii() and (before.isalnum() or before in ".-_"):
        return False  # C919, 3.0版
    if (before in "“\"《" and after in "”\"》") or after == "级" or q.unit == "倍" and after == "的":
        return False  # “12345”热线, 万亿级产业链, 以十倍的疯狂
    if q.unit == "人" and (clause[max(0, start - 1):start] == "每" or after == "制"):
        return False  # 配置AED达每10万人45台: the base of a rate per head; 3人制篮球场: a kind of court
    if q.unit == "岁" and q.value_max is not None and re.match(r"[\u4e00-\u9fff]", clause[start + len(q.raw):]) \
            and not re.match(r"之间|左右", clause[start + len(q.raw):]):
        return False  # 为全省0-6岁儿童免费开展孤独症筛查: an age class, no quantity
    if q.unit in ("小时", "分钟") and clause[max(0, start - 1):start] == "“":
        return False  # “15分钟高品质生活服务圈”: a quoted slogan names a programme
    if q.unit == "小时" and q.value == 24 and not re.match(r"(?:以内|内|以上|左右)", clause[start + len(q.raw):]):
        return False  # 24小时不打烊站点, 24小时在线监控: round the clock, a name of the service
    return not (after and after.isascii() and after.isalpha() and not re.match(r"\s", after))


# 30万千瓦以下煤电机组, 投资2000万元以上的技改项目3000个, 60岁以上人口: a class of things, no quantity
_THRESHOLD = re.compile(r"(?:及以上|及以下)?的?(?!目标|增长|增速|水平|速度|幅度|规模|任务|成绩|好成绩|高位|区间|比重|占比|"
                        r"比例|份额|要求|标准|底线|红线|左右)[\u4e00-\u9fff](?<![并和与及或])")


# a capacity written into a project's name: 亚太轻合金10万吨绿电高端铝基材料等项目, 2座35万千瓦塔式槽式光热发电项目
_SPEC_AFTER = re.compile(r"(?![以左级])[\u4e00-\u9fff“”A-Za-z（）]{1,20}?(?:项目|装置|电站|生产线|产能置换)")


def is_specification(q: Quantity, clause: str) -> bool:
    """A project's size inside its name (NOTES-round3: product specifications are not labelled)."""
    # (not 布局建设700万千瓦新型储能: a capacity to build, told with its verb; not 250万吨的电站)
    return q.unit in ("吨", "千瓦") and not q.qualifier and bool(_SPEC_AFTER.match(clause, q.end)) \
        and not clause.startswith("的", q.end) and not re.search(r"(?:建设|建成|新建|新增|改造|扩建|布局)$", clause[:q.start])


# 年销售收入超10亿元的龙头企业达100家: a bound naming a class, counted after it
_CLASS_COUNTED = re.compile(r"的[\u4e00-\u9fff]{1,12}?[^，,；;。]{0,8}?\d+(?:\.\d+)?[万]?[个家户所项]")


def is_threshold(q: Quantity, clause: str) -> bool:
    """A bound in a measure unit naming a class of things (`以上` / `以下` then the things' name)."""
    if q.pre == "超过" and q.unit == "元" and _CLASS_COUNTED.match(clause, q.end):
        return True
    if q.unit in COUNT_UNITS or q.unit in ("", "%", "个百分点", "人", "人次", "户"):
        return False  # 实施20项以上重大科技项目, 80%以上的项目由企业牵头: counts and shares of things
    return q.qualifier in ("以上", "以下") and bool(_THRESHOLD.match(clause, q.end))


def no_step(q: Quantity, clause: str) -> Quantity:
    """迈上5万亿台阶: 台 of 台阶 is no unit (a step of the economy's size, not machines)."""
    if q.unit == "台" and q.raw.endswith("台") and clause[q.end:q.end + 1] == "阶":
        return replace(q, unit="", end=q.end - 1, raw=q.raw[:-1])
    return q


_PLAIN_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
# A sentence without any of these holds no quantity the numbers reader would find.
HAS_NUMERAL = re.compile(r"[0-9０-９]|(?:连续|延长|提前|用)[一两二三四五六七八九十]|百分之|分之|[一二两三四五六七八九十][十百千万亿成倍次]|一半|翻|[千百万亿](?:元|人)|亿美元|(?:突破|超|上|近|逾)[千百万]|[千百万][余多]|"
                          r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                          r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|half|third|double|doubled|"
                          r"twice|halve|halved|halving|"
                          r"second|seventh|eighth|ninth|eleventh|twelfth)\b", re.I)
_RESPECTIVELY = re.compile(r"^(?P<names>.*?)分别")


def respectively(clause: str, quantities: list[Quantity], language: str):
    """`城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内`, `城乡居民人均可支配收入分别增长5%和7%`:
    one indicator per quantity, in order, and the last qualifier for all; None otherwise."""
    m = _RESPECTIVELY.search(clause)
    if not m or len(quantities) < 2:
        return None
    head = re.split(r"[从由]", m.group("names"))[0]
    incomes = "收入" in head and re.search(r"城乡|城镇.{0,4}农村", head) and len(quantities) in (2, 4)
    if any(q.start < m.end() for q in quantities) and not incomes:
        return None  # (城乡居民人均可支配收入从2021年的A元和B元分别提高到C元和D元: two pairs)
    names = [n for n in re.split(r"[、和与及]", head) if n]
    found = [indicators.find_in_clause(n, None, language) for n in names]
    for i in range(1, len(names)):  # 地方财政收入、支出分别…: a short name after the first shares its head
        if not found[i] and len(names[i]) < len(names[0]):
            found[i] = indicators.find_in_clause(names[0][:len(names[0]) - len(names[i])] + names[i], None, language)
    if len(names) == len(quantities) and all(found):
        picked = [(f[0], f[1]) for f in found]
    elif incomes:
        picked = [("urban_income", "城镇居民人均可支配收入"), ("rural_income", "农村居民人均可支配收入")] \
            * (len(quantities) // 2)
    else:
        return None
    last = quantities[-1].qualifier
    return [(pair, last) for pair in picked]




def prepared(text: str, sent: tuple[int, int], english: bool) -> tuple[str, list[int] | None, str]:
    """The copy of a sentence the rules read, its offsets back into `text` (None: the same), and the
    ；-parts of its 。-sentence before it. Full-width digits (１９９７年, ７．４％: reports of the
    1980s to 2000s) and years in Chinese numerals (一九八五年) read as ASCII, the same length, so every
    year and number rule holds for them; spaced digits (7 4 7 7 2 亿元, 1998) are closed up."""
    sentence = ascii_years(text[sent[0]:sent[1]].translate(_PLAIN_DIGITS))
    if english:
        return sentence, None, ""
    sentence, spots = compact(sentence)
    line_start = text.rfind("\n", 0, sent[0]) + 1
    full_start = max(line_start, *(text.rfind(end, line_start, sent[0]) + 1 for end in "。！？"))
    return sentence, spots, compact(ascii_years(text[full_start:sent[0]].translate(_PLAIN_DIGITS)))[0]


__all__ = ["HAS_NUMERAL", "clause_spans", "is_fact_quantity", "is_specification", "is_threshold", "no_step", "prepared",
           "respectively", "segment_spans"]
