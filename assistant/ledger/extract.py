"""Rule-based extraction of commitments (targets in the plans part) and results (review
part) from one report. No model: clauses with an action and a quantity, named indicators."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..sentences import split_sentences
from ..types import PART_PLAN, PART_REVIEW, Passage, Report
from .indicators import GROWTH_WORDS, find_indicator, for_level, growth_variant
from .quantities import Quantity, find_quantities

KIND_TARGET, KIND_RESULT = "target", "result"
# Actions that set a target; a plans-part clause needs one of them or a known indicator.
TARGET_ACTIONS = (
    "完成", "实现", "达到", "确保", "力争", "新增", "新建", "新改建", "改建", "建成", "建设", "打造",
    "培育", "控制在", "保持在", "稳定在", "增长", "提高", "降低", "下降", "减少", "推出", "开工",
    "安排", "发行", "改造", "治理", "实施", "造林", "育林", "引进", "编制", "增加", "扩大", "培训",
    "新开工", "覆盖", "提升", "上涨", "涨幅", "达标",
)
FORECAST_WORDS = ("预计", "预测")
_CLAUSE_END = re.compile(r"[，,：:；;。！？!?]")
_DEADLINE = re.compile(r"(?:到|至|力争|于|在)(20\d{2}|19\d{2})年|(20\d{2}|19\d{2})年(?:前|底|末|以前)")
_PLAN_PERIOD = re.compile(r"“?(十[一二三四五六七八九]?五)”?(?:期间|时期|末)")


@dataclass(frozen=True)
class Commitment:
    id: str
    report: str
    kind: str  # target | result
    indicator: str
    value: float | None  # the lower end for a range
    value_max: float | None  # the upper end of a range target, else None
    value_text: str
    unit: str
    qualifier: str
    deadline: str
    text: str  # == source[start:end]
    start: int
    end: int
    heading: str
    part: str
    year: int | None
    level: str
    region: str
    region_name: str

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Commitment:
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__})


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Clauses of a sentence, split at commas, colons and sentence ends (offsets into it)."""
    spans, cut = [], 0
    for m in _CLAUSE_END.finditer(sentence):
        if m.start() > cut:
            spans.append((cut, m.start()))
        cut = m.end()
    if cut < len(sentence):
        spans.append((cut, len(sentence)))
    return spans


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


def deadline_of(sentence: str, report_year: int | None, kind: str) -> str:
    m = _DEADLINE.search(sentence)
    if m:
        return m.group(1) or m.group(2)
    period = _PLAN_PERIOD.search(sentence)
    if period:
        return f"“{period.group(1)}”期间"
    if report_year is None:
        return ""
    return str(report_year if kind == KIND_TARGET else report_year - 1)


def indicator_for(sentence: str, clause_start: int, segment: str, q: Quantity, level: str,
                  previous: str = "") -> str:
    """Canonical indicator found nearest before the quantity in its segment; else the words
    of the segment; else the indicator of the previous quantity of the sentence; else a
    canonical indicator of an earlier clause ("今年先发行1万亿元")."""
    found = find_indicator(segment, q.start)
    if found and not _names_quantity(segment[found[1]:q.start]):
        found = None
    name = found[0] if found else _words_of(segment, q)
    if not name:
        name = previous or (find_indicator(sentence, clause_start) or ("",))[0]
    if name and q.unit == "%" and any(w in segment[max(0, q.start - 4):q.start] for w in GROWTH_WORDS):
        name = growth_variant(name)
    return for_level(name, level) if name else ""


_LINK_WORDS = re.compile(r"每立方米|每平方米|预期目标|预期|目标|定为|拟按|拟安排|安排|平均为|稳定在|保持在|控制在|达到|"
                         r"增长|上涨|提高到|提高|降低|下降|年均|全年|规模|为|达|在|按|到|至|超过|突破|拟|是")


def _names_quantity(gap: str) -> bool:
    """Whether an indicator followed by `gap` and then a number names that number:
    '城镇调查失业率平均为5.2%' yes; '经济增长的贡献率达到60%' no."""
    rest = _LINK_WORDS.sub("", gap)
    return len(rest) <= 2 and "的" not in rest


_LEADING = re.compile(r"^(?:比上年|比去年|较上年|同比|今年|全年|年度|其中|同时|并|拟|先|再|继续|持续|加快|力争|确保|"
                      r"完成|新增|新建|新改建|实施|打造|培育|推动|推进|开展|实现|建设|编制)+")
_TRAILING = re.compile(r"(?:增长|上涨|提高到|提高|达到|达|增至|扩展至|突破|超过|超|分别|平均为|"
                       r"保持在|稳定在|控制在|为|近|约|拟按|按|安排|发行|到|至|在|的)+$")


def _words_of(segment: str, q: Quantity) -> str:
    """The words that name what a quantity counts: before it, else after it."""
    def clean(text: str) -> str:
        text = re.sub(r"[“”\"（）()\s]", "", text)
        return _TRAILING.sub("", _LEADING.sub("", text))

    raw_head = segment[:q.start]
    head = clean(raw_head)
    tail = clean(re.split(r"[、，]", segment[q.end:])[0])
    verb_then_count = raw_head.endswith(TARGET_ACTIONS) or re.search(r"[批年]$", raw_head)
    text = tail if len(tail) >= 2 and (verb_then_count or len(head) < 2) else head
    return text[:30] if len(text) >= 2 and text not in _GENERIC_WORDS else ""


_GENERIC_WORDS = {"总量", "总数", "规模", "累计", "总计", "合计", "其中"}


def is_commitment_clause(clause: str, sentence: str, kind: str) -> bool:
    if any(w in clause for w in FORECAST_WORDS):
        return False
    if kind == KIND_RESULT:
        return True
    return any(a in clause for a in TARGET_ACTIONS) or find_indicator(clause) is not None


def _clause_items(report: Report, text: str, sent: tuple[int, int], passage: Passage, kind: str):
    sentence = text[sent[0]:sent[1]]
    deadline = deadline_of(sentence, report.year, kind)
    previous = ""
    for c_start, c_end in clause_spans(sentence):
        clause = sentence[c_start:c_end]
        quantities = find_quantities(clause)
        if not quantities or not is_commitment_clause(clause, sentence, kind):
            continue
        for q, (s_start, s_end) in zip(quantities, segment_spans(clause, quantities), strict=True):
            segment = clause[s_start:s_end]
            local_q = Quantity(q.start - s_start, q.end - s_start, q.value, q.value_text, q.unit,
                               q.qualifier, q.value_max)
            start = sent[0] + c_start + s_start
            end = sent[0] + c_start + s_end
            previous = indicator_for(sentence, c_start, segment, local_q, report.level, previous)
            yield Commitment(
                id=f"{report.id}#{start}-{end}@{sent[0] + c_start + q.start}",
                report=report.id, kind=kind,
                indicator=previous,
                value=q.value, value_max=q.value_max, value_text=q.value_text, unit=q.unit, qualifier=q.qualifier,
                deadline=deadline, text=text[start:end], start=start, end=end,
                heading=passage.heading_path, part=passage.part, year=report.year,
                level=report.level, region=report.region, region_name=report.region_name,
            )


def extract_commitments(report: Report, text: str, passages: list[Passage]) -> list[Commitment]:
    """Targets from the plans part and results from the review part of one report."""
    items: dict[str, Commitment] = {}
    for passage in passages:
        if passage.part not in (PART_PLAN, PART_REVIEW):
            continue
        kind = KIND_TARGET if passage.part == PART_PLAN else KIND_RESULT
        for sent in split_sentences(passage.text, offset=passage.start):
            for item in _clause_items(report, text, sent, passage, kind):
                items.setdefault(item.id, item)
    return sorted(items.values(), key=lambda c: (c.start, c.id))
