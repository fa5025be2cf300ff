"""Finding quantities (number + magnitude + unit + qualifier) inside a clause, and telling
the ones that are not quantities of a target (dates, ordinals, names, comparisons)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MAGNITUDES = {"万亿": 1e12, "亿": 1e8, "万": 1e4}
# Longest first, so 万人次 is read as 人次 and 微克/立方米 before 微克.
UNITS = (
    "微克/立方米", "个百分点", "平方公里", "平方米", "立方米", "千瓦时", "吨标准煤",
    "公里", "千米", "美元", "人次", "公斤", "千瓦", "百分点",
    "%", "％", "元", "斤", "吨", "亩", "户", "个", "家", "项", "人", "套", "座", "所", "条",
    "处", "村", "件", "头", "只", "辆", "列", "岁", "张", "台", "间", "千克", "米", "镇", "名", "微克",
)
_RANGE = re.compile(r"(?P<lo>\d+(?:\.\d+)?)%?[—－～~\-至到](?P<hi>\d+(?:\.\d+)?)(?P<unit>%|％)")
PERCENT_WORDS = re.compile(r"百分之([0-9.]+|[一二三四五六七八九十点]+)")
_NUMBER = re.compile(
    r"(?P<num>\d+(?:[.．]\d+)?)(?P<more1>多)?(?P<mag>万亿|亿|万)?(?P<more2>多)?(?P<unit>"
    + "|".join(re.escape(u) for u in UNITS)
    + r")(?P<after>左右|以上|以下|以内|多)?"
)
PRE_QUALIFIERS = ("不低于", "不超过", "不高于", "至少", "超过", "突破", "力争")
QUALIFIER_ALIASES = {"至少": "不低于", "不高于": "不超过"}
# Comparisons with another figure, not a level or target of their own.
_COMPARISON = re.compile(r"(?:比上年|比去年|较上年|比上年年初预算|比年初)[^，,；;]{0,6}(?:增加|减少|多|少|提高|下降)$"
                         r"|(?:高于|低于|快于|慢于)(?:全国|全省|全市|平均)?[^，,；;]{0,4}$")


@dataclass(frozen=True)
class Quantity:
    start: int  # offsets inside the clause
    end: int
    value: float
    value_text: str
    unit: str
    qualifier: str
    value_max: float | None = None  # upper end of a range target such as 6%－6.5%


def _cn_decimal(text: str) -> float | None:
    digits = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    whole, _, frac = text.partition("点")
    if whole == "十":
        number = 10
    elif len(whole) == 2 and whole[0] == "十":
        number = 10 + digits.get(whole[1], 0)
    elif len(whole) == 2 and whole[1] == "十":
        number = digits.get(whole[0], 0) * 10
    elif len(whole) == 3 and whole[1] == "十":
        number = digits.get(whole[0], 0) * 10 + digits.get(whole[2], 0)
    elif len(whole) == 1 and whole in digits:
        number = digits[whole]
    else:
        return None
    if frac:
        if any(ch not in digits for ch in frac):
            return None
        return float(f"{number}.{''.join(str(digits[ch]) for ch in frac)}")
    return float(number)


def _is_not_a_quantity(clause: str, start: int, end: int) -> bool:
    before = clause[max(0, start - 1):start]
    after = clause[end:end + 1]
    if before and (before == "第" or before.isascii() and before.isalnum() or before in ".．·-－"):
        return True  # 第5个, C919, version numbers
    if after.isascii() and after.isalnum() and after:
        return True  # 5G
    return bool(_COMPARISON.search(clause[:start]))


def _pre_qualifier(clause: str, start: int) -> str:
    window = clause[max(0, start - 6):start]
    for word in PRE_QUALIFIERS:
        if window.endswith(word) or (word == "力争" and word in clause[:start]):
            return QUALIFIER_ALIASES.get(word, word)
    return ""


def find_quantities(clause: str) -> list[Quantity]:
    found: list[Quantity] = []
    for m in _RANGE.finditer(clause):
        if not _is_not_a_quantity(clause, m.start(), m.end()):
            pre = _pre_qualifier(clause, m.start())
            found.append(Quantity(m.start(), m.end(), float(m["lo"]), m.group(0), "%",
                                  " ".join(q for q in (pre, "区间") if q), float(m["hi"])))
    taken = [(q.start, q.end) for q in found]
    for m in _NUMBER.finditer(clause):
        if _is_not_a_quantity(clause, m.start(), m.end()):
            continue
        if any(s <= m.start() < e for s, e in taken):
            continue
        value = float(Decimal(m["num"].replace("．", ".")) * Decimal(int(MAGNITUDES.get(m["mag"] or "", 1))))
        unit = "%" if m["unit"] in ("%", "％") else m["unit"]
        if unit == "微克" and clause[:m.start()].endswith("每立方米"):
            unit = "微克/立方米"
        post = m["after"] or ("多" if (m["more1"] or m["more2"]) else "")
        pre = _pre_qualifier(clause, m.start())
        qualifier = " ".join(q for q in (pre, post) if q)
        found.append(Quantity(m.start(), m.end(), value, m.group(0), unit, qualifier))
    for m in PERCENT_WORDS.finditer(clause):
        raw = m.group(1)
        value = float(raw) if raw[0].isdigit() else _cn_decimal(raw)
        if value is not None and not _COMPARISON.search(clause[:m.start()]):
            post = re.match(r"左右|以上|以下|以内", clause[m.end():])
            qualifier = " ".join(q for q in (_pre_qualifier(clause, m.start()), post and post.group(0)) if q)
            found.append(Quantity(m.start(), m.end(), value, m.group(0), "%", qualifier))
    return sorted(found, key=lambda q: q.start)
