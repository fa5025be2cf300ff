"""The one numbers reader: find quantities in report text, normalise them, check an answer's
numbers against passages. Used by the facts, the ledger, the LLM number check and the question
reader alike; no other module reads numerals.

`extract_numbers("城镇新增就业1200万人以上")` -> [Quantity(value=12000000.0, unit="人",
raw="1200万人以上", qualifier="以上", ...)]. Values are normalised (万 = 1e4, 亿 = 1e8,
万亿 = 1e12; Chinese numerals are read), so "0.7万亿元" and "7000亿元" compare equal.

Not numbers (skipped): citation markers [n], list ordinals (1. 1、 （1） 第3, 14th), single
Chinese digits without a strong unit (一些, 统一, 三年来), and malformed numerals (十四五),
which are words far more often than quantities.

Ranges are one quantity: `6%-6.5%`, `4.5-5%`, `5%到5.5%`, `6.5%—7%`, `百分之八至九` give
value 6 / value_max 6.5 and so on. A qualifier written before the number (不低于, 力争, 超过 …)
is kept in `pre`, the one after it (左右, 以上, 多 …) in `qualifier`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAGNITUDES = {"万亿": 1e12, "亿": 1e8, "万": 1e4}
EN_MAGNITUDES = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "thousand": 1e3}
# Measure words after a number (longest first); the key is how they appear, the value the unit.
UNITS = {
    "个百分点": "个百分点", "百分点": "个百分点", "平方公里": "平方公里", "平方米": "平方米",
    "立方米": "立方米", "千瓦时": "千瓦时", "千瓦": "千瓦", "公里": "公里", "公斤": "公斤",
    "千克": "公斤", "人次": "人次", "美元": "美元", "%": "%", "％": "%", "‰": "‰",
    "元": "元", "人": "人", "亩": "亩", "斤": "斤", "吨": "吨", "户": "户", "个": "个",
    "家": "家", "所": "所", "座": "座", "项": "项", "倍": "倍", "年": "年", "月": "月",
    "日": "日", "天": "天", "岁": "岁", "名": "人", "位": "人", "微克/立方米": "微克/立方米",
    "吨标准煤": "吨标准煤", "千米": "公里", "条": "条", "套": "套", "处": "处", "村": "村",
    "件": "件", "辆": "辆", "台": "台", "间": "间", "张": "张", "头": "头", "只": "只",
    "列": "列", "镇": "镇", "微克": "微克", "万千瓦": "千瓦", "支": "支", "款": "款", "场": "场",
    "栋": "栋", "部": "部", "档": "档", "对": "对", "PF": "PF",  # 国际友城120对; 算力4800PF
    "颗": "颗", "枚": "枚", "克/千克": "克/千克", "种": "种",  # 组网卫星144颗, 48枚金牌, 有机质27克/千克
    # round 9: count and time words the labels of 26 reports use and no fact read (承办3届, 修复17块
    # 污染地块, 政策文件72份, 118起避险案例, 开行4000班次, 19组重组, 1小时高铁圈); 届 only after
    # digits (二十届三中全会 is an edition); no 周 (三十周年) nor 回 (透过2025回望)
    "公顷": "公顷", "届": "届", "批次": "批次", "批": "批", "块": "块", "份": "份", "起": "起",
    "班次": "班次", "组": "组", "门": "门", "小时": "小时", "周岁": "岁",
    "分/千瓦时": "分/千瓦时", "分/立方米": "分/立方米",  # 工商业电价下降3分/千瓦时
    "次": "次", "宗": "宗", "艘次": "艘次", "艘": "艘", "分钟": "分钟",  # 4次调高, 成交87宗, 15分钟…圈
    "场次": "场次", "架": "架",  # 惠民演出1.3万场次 (a level, as 人次), 标准机架101.2万架
}
UNITS = dict(sorted(UNITS.items(), key=lambda kv: -len(kv[0])))  # longest first
EN_UNITS = {
    "percentage points": "个百分点", "percentage point": "个百分点", "percent": "%",
    "per cent": "%", "yuan": "元", "people": "人", "persons": "人", "mu": "亩", "jin": "斤",
    "tons": "吨", "tonnes": "吨", "km": "公里", "kilometers": "公里", "years": "年",
}
# Chinese measure words trusted after a bare single Chinese digit ("三年" or "两个" are words).
STRONG_UNITS = {"个百分点", "%", "元", "亩", "斤", "吨", "倍", "公里", "千瓦", "千瓦时", "美元"}
QUALIFIERS = ("左右", "以上", "以下", "以内", "上下", "多", "余")  # after the number
# Before the number (longest first); the value is the canonical spelling.
PRE_QUALIFIERS = {"不低于": "不低于", "不少于": "不低于", "至少": "不低于", "不超过": "不超过",
                  "不高于": "不超过", "超过": "超过", "突破": "突破", "力争": "力争", "约": "约",
                  "近": "近", "超": "超过", "逾": "超过", "达到": "", "达": ""}
RANGE_DASHES = "-－—–~～至到"

CN_DIGIT_VALUES = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                   "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_POSITION = {"十": 10, "百": 100, "千": 1000}
_CN_D = "〇零○一二两三四五六七八九"
_DIGITS_TABLE = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
CN_NUMERAL_CHARS = _CN_D + "十百千"
# Roman numeral characters (Ⅹ倍): read for the answer check only, never in report offsets.
_ROMAN = {chr(0x2160 + i): str(i + 1) for i in range(12)} | {chr(0x2170 + i): str(i + 1) for i in range(12)}

_ARABIC = r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = rf"[{_CN_D}十][{_CN_D}十百千万亿]*(?:点[{_CN_D}]+)?"
_NUMBER_RE = re.compile(rf"(?P<pct>百分之)?(?:(?P<ar>{_ARABIC})|(?P<cn>{_CHINESE}))")
_MAG_RE = re.compile(r"(?P<approx>多|余)?(?: (?=万|亿))?(?P<mag>万亿|亿|万)?(?P<approx2>多|余)?")  # "9500 亿元" (2009)
_EN_MAG_RE = re.compile(r"\s*(?P<mag>trillion|billion|million|thousand)\b", re.I)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_CITATION_RE = re.compile(r"[\[［【]\s*\d+(?:\s*[,，、]\s*\d+)*\s*[\]］】]")
_ORDINAL_AFTER = re.compile(r"\s*[、.．)）](?!\d)")


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # normalised unit ("%", "个百分点", "元", "年" …) or ""
    raw: str  # the matched text, == text[start:end]
    start: int
    end: int
    qualifier: str = ""  # 左右 / 以上 / 多 …, kept apart from the value
    value_max: float | None = None  # the upper end of a range (6%-6.5%), else None
    pre: str = ""  # a qualifier written before the number: 不低于 / 力争 / 超过 …

    @property
    def is_range(self) -> bool:
        return self.value_max is not None


def chinese_numeral_value(text: str) -> float | None:
    """'三千' -> 3000, '一亿二千万' -> 1.2e8, '二〇二四' -> 2024, '五点五' -> 5.5."""
    whole, _, decimals = text.partition("点")
    if not whole or any(ch not in CN_DIGIT_VALUES and ch not in CN_POSITION and ch not in "万亿"
                        for ch in whole):
        return None
    if not any(ch in CN_POSITION or ch in "万亿" for ch in whole):  # digit by digit: 二〇二四
        value = float("".join(str(CN_DIGIT_VALUES[ch]) for ch in whole))
    elif any(a in CN_DIGIT_VALUES and b in CN_DIGIT_VALUES and CN_DIGIT_VALUES[a]
             for a, b in zip(whole, whole[1:], strict=False)):
        return None  # two digits in a row inside a positional numeral: a name like 十四五
    else:
        total, section, digit = 0.0, 0.0, 0
        for ch in whole:
            if ch in CN_DIGIT_VALUES:
                digit = CN_DIGIT_VALUES[ch]
            elif ch in CN_POSITION:
                section += (digit or 1) * CN_POSITION[ch]
                digit = 0
            elif ch == "万":
                section = (section + digit) * 1e4
                digit = 0
            else:  # 亿
                total = (total + section + digit) * 1e8
                section, digit = 0.0, 0
        value = total + section + digit
    if decimals:
        value += float("0." + "".join(str(CN_DIGIT_VALUES[ch]) for ch in decimals))
    return value


def _match_unit(text: str, pos: int, english: bool) -> tuple[str, int]:
    """The unit starting at text[pos] (after optional spaces for English) and where it ends."""
    if english:
        rest = text[pos:pos + 24]
        stripped = rest.lstrip()
        if re.match(r"-(?:percent|percentage)", stripped, re.I):  # a 6.7-percent increase, 0.5-percentage-point
            stripped = stripped[1:].replace("percentage-point", "percentage point", 1)
        for word, unit in EN_UNITS.items():
            if stripped.lower().startswith(word) and not stripped[len(word):len(word) + 1].isalpha():
                return unit, pos + (len(rest) - len(stripped)) + len(word)
    for word, unit in UNITS.items():
        if text.startswith(word, pos):
            return unit, pos + len(word)
    return "", pos


def _match_qualifier(text: str, pos: int) -> tuple[str, int]:
    gap = len(text[pos:pos + 2]) - len(text[pos:pos + 2].lstrip(" \u3000"))  # "8% 左右" (2009)
    for word in QUALIFIERS:
        if text.startswith(word, pos + gap):
            return word, pos + gap + len(word)
    return "", pos


def _is_ordinal(text: str, start: int, end: int) -> bool:
    """1. / 1、 / （1） at the start of a line or item: a list position, not a quantity."""
    before = text[max(0, start - 1):start]
    if before in ("(", "（") and text[end:end + 1] in (")", "）"):
        return True
    line_start = start == 0 or text[start - 1] in "\n \t；;：:"
    return line_start and bool(_ORDINAL_AFTER.match(text, end))


def _quantity_at(text: str, m: re.Match) -> Quantity | None:
    start, pos = m.start(), m.end()
    digits = m.group("ar") or m.group("cn")
    english = bool(m.group("ar")) and not _has_cjk_near(text, pos)
    if english and re.match(r"(?:st|nd|rd|th)\b", text[pos:pos + 3]):
        return None  # 14th Five-Year Plan
    if m.group("ar"):
        value = float(digits.replace(",", ""))
    else:
        value = chinese_numeral_value(digits)
        if value is None:
            return None
    qualifier = ""
    if m.group("pct"):
        unit = "%"
    else:
        mag = _MAG_RE.match(text, pos)
        if mag.group("mag"):
            value *= MAGNITUDES[mag.group("mag")]
        elif english and (en := _EN_MAG_RE.match(text, pos)):
            value *= EN_MAGNITUDES[en.group("mag").lower()]
            mag = en
        qualifier = mag.groupdict().get("approx") or mag.groupdict().get("approx2") or ""
        pos = mag.end()
        if m.group("ar") and mag.groupdict().get("mag") in ("万", "亿"):
            value, pos, qualifier = _compound(text, pos, value, mag.group("mag"), qualifier)
        elif m.group("ar") and not mag.group(0) and (k := _THOUSAND_RE.match(text, pos)):
            value *= 1e3 * MAGNITUDES.get(k.group("mag") or "", 1)  # 5千多户, 5千万元
            qualifier, pos = k.group("approx") or "", k.end()
        unit, pos = _match_unit(text, pos, english)
        if unit == "微克" and text[max(0, start - 4):start] == "每立方米":
            unit = "微克/立方米"  # 每立方米30微克 is 30微克/立方米
        if m.group("cn") and not _chinese_is_quantity(digits, unit, bool(mag.group("mag"))):
            return None
    word, after = _match_qualifier(text, pos)
    if word:
        qualifier, pos = word, after
    if text[max(0, start - 1):start] == "第" or (
            m.group("ar") and not unit and _is_ordinal(text, start, m.end())):
        return None
    return Quantity(value, unit, text[start:pos], start, pos, qualifier)


# 千 as a magnitude after digits, not the 千 of 千瓦 / 千米 / 千克 / 千吨级
_THOUSAND_RE = re.compile(r"千(?![瓦米克卡伏焦帕]|吨级)(?P<approx>多|余)?(?P<mag>万亿|亿|万)?")
_THOUSANDS_AFTER = {"万": re.compile(r"(\d)千(多|余)?(?![万亿])"), "亿": re.compile(r"(\d)千(多|余)?万")}


def _compound(text: str, pos: int, value: float, mag: str, qualifier: str) -> tuple[float, int, str]:
    """2万5千公里 (25,000), 1万6千多户, 1亿3千多万 (130 million), 3万多亿元 (3 trillion and more):
    a lower digit and magnitude written after the first one."""
    if mag == "万" and qualifier and text.startswith("亿", pos):
        return value * 1e8, pos + 1, qualifier
    if (low := _THOUSANDS_AFTER[mag].match(text, pos)):
        step = 1e3 if mag == "万" else 1e7
        return value + int(low.group(1)) * step, low.end(), low.group(2) or qualifier
    return value, pos, qualifier


def _has_cjk_near(text: str, pos: int) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or ch in "%％" for ch in text[pos:pos + 2])


def _chinese_is_quantity(numeral: str, unit: str, has_magnitude: bool) -> bool:
    if unit in ("届", "次"):  # 二十届历次全会, 十二届十一次全会: editions and sessions, not counts
        return False
    if unit == "年":  # only a digit-by-digit year (二〇二四年); 三年 / 一年来 are words
        return len(numeral) == 4 and all(ch in CN_DIGIT_VALUES for ch in numeral)
    if has_magnitude or unit in STRONG_UNITS:
        return True
    return len(numeral) > 1 and any(ch in CN_POSITION or ch in "万亿" for ch in numeral)


def _pre_qualifier(text: str, start: int) -> str:
    window = text[max(0, start - 4):start]
    for word, canonical in PRE_QUALIFIERS.items():
        if window.endswith(word):
            return canonical
    return ""


_EN_RANGE_RE = re.compile(r" (to|and) (?=\d)")


def _range_end(plain: str, first: Quantity) -> Quantity | None:
    """`first` joined with the number after a dash or 至/到 into one range: 6%-6.5%, 4.5-5%,
    5%到5.5%, 百分之八至九. None when what follows is not the same kind of quantity."""
    pos = first.end
    if first.qualifier or pos >= len(plain):
        return None
    if connector := _EN_RANGE_RE.match(plain, pos):  # 6.5% to 7%, between 6.5% and 7% (not from A to B)
        before = plain[max(0, first.start - 9):first.start]
        if re.search(r"\bfrom\s*$", before) or (connector.group(1) == "and" and not re.search(r"\bbetween\s*$", before)):
            return None
        if not first.unit and re.search(r"\b(?:in|of|since|by|end)\s*$", before) and 1900 <= first.value <= 2100:
            return None  # `rose from 7,703 yuan in 2002 to 13,786 yuan`: a year, then the end value
        pos = connector.end() - 1
    elif plain[pos] not in RANGE_DASHES:
        return None
    m = _NUMBER_RE.match(plain, pos + 1)
    if not m:
        return None
    if m.group("cn") and not m.group("pct") and first.unit == "%" and plain[first.start:first.start + 3] == "百分之":
        value = chinese_numeral_value(m.group("cn"))  # 百分之八至九: the second needs no 百分之
        second = None if value is None else Quantity(value, "%", "", m.start(), m.end())
    else:
        second = _quantity_at(plain, m)
    if second is None or (first.unit and second.unit != first.unit) or not second.unit:
        return None
    low = first.value
    digits = m.group("ar") or ""
    if not first.unit and digits and second.value != float(digits.replace(",", "") or 0):
        low *= second.value / float(digits.replace(",", ""))  # 1000-1500万元: the magnitude is shared
    if second.value < low:
        return None
    word, after = _match_qualifier(plain, second.end)
    end = after if word else second.end
    return Quantity(low, second.unit, plain[first.start:end], first.start, end,
                    word or second.qualifier, second.value)


_EN_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())} | {
    w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_EN_WORDS_RE = re.compile(
    r"\b(?P<words>(?:(?:" + "|".join(_EN_NUMBER_WORDS) + r"|hundred|and)[\s-]+)*?"
    r"(?:" + "|".join(_EN_NUMBER_WORDS) + r"|hundred))\s+(?P<tail>trillion|billion|million|thousand|"
    r"percentage points?|percent|per cent)\b", re.I)


def count_word_value(word: str) -> int:
    """A small count as a question writes it: '四' -> 4, '两' -> 2, 'four' -> 4, 'Thirty-one' -> 31, '12' -> 12;
    0 if none."""
    word = word.strip().lower().translate(FULL_WIDTH_DIGITS)
    if word.isdigit():
        return int(word)
    if word in _EN_NUMBER_WORDS:
        return _EN_NUMBER_WORDS[word]
    tens, _, unit = word.partition("-")  # thirty-one
    if _EN_NUMBER_WORDS.get(tens, 0) >= 20 and 0 < _EN_NUMBER_WORDS.get(unit, 0) < 10:
        return _EN_NUMBER_WORDS[tens] + _EN_NUMBER_WORDS[unit]
    value = chinese_numeral_value(word)
    return int(value) if value is not None and value == int(value) else 0


# Fractions and doubling as English writes them (the Chinese 三分之一, 一半, 翻番 above): `by one third`,
# `by more than half`, `over half of China's population`, `double the 2010 GDP`, `doubled … subsidies`,
# `halved the purchase tax`;
# only after a word of comparing, so `the first half of the year` and `a third party` are no quantities
_EN_FRACTION = re.compile(
    r"\b(?:by|over|than|nearly|about|almost|roughly|some)\s+(?:more\s+than\s+|over\s+|nearly\s+|about\s+)?"
    r"(?P<f>(?:one|a|two)\s+(?:third|quarter|fifth)s?|half)\b(?!\s+(?:party|parties|an?\s+hour|the\s+year|of\s+the\s+year))"
    r"|\b(?P<double>double|doubled)(?=\s+(?:the|its|our|their|temporary|per)\b)"
    r"|\b(?P<halve>halve|halved|halving)(?=\s+(?:the|its|our|their)\b)", re.I)  # 减半: `halved the purchase tax`
_EN_FRACTION_VALUES = {"third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "half": 50.0}


def _english_fractions(plain: str) -> list[Quantity]:
    found = []
    for m in _EN_FRACTION.finditer(plain):
        if m.group("double") or m.group("halve"):
            word = "double" if m.group("double") else "halve"
            found.append(Quantity(100.0 if word == "double" else 50.0, "%", m.group(word), m.start(word), m.end(word)))
            continue
        words = m.group("f").lower().split()
        value = _EN_FRACTION_VALUES[words[-1].rstrip("s")] * (2 if words[0] == "two" else 1)
        found.append(Quantity(round(value, 2), "%", m.group("f"), m.start("f"), m.end("f")))
    return found


def _english_word_numbers(plain: str) -> list[Quantity]:
    """'eight trillion yuan', 'one hundred percent': number words before a magnitude or percent."""
    found = []
    for m in _EN_WORDS_RE.finditer(plain):
        total, current = 0, 0
        for word in re.split(r"[\s-]+", m.group("words").lower()):
            if word == "hundred":
                current = (current or 1) * 100
            elif word in _EN_NUMBER_WORDS:
                current += _EN_NUMBER_WORDS[word]
        value = float(total + current)
        tail = m.group("tail").lower()
        unit, end = "", m.end()
        if tail in EN_MAGNITUDES:
            value *= EN_MAGNITUDES[tail]
            unit, end = _match_unit(plain, m.end(), english=True)
            end = end if unit else m.end()
        else:
            unit = "个百分点" if tail.startswith("percentage") else "%"
        found.append(Quantity(value, unit, plain[m.start():end], m.start(), end))
    return found


_CN_ONE = "一二两三四五六七八九十"
# Numbers written as words: 八成 (80%), 三分之二, 一半, 翻番, 超千亿元 (a magnitude alone).
_WORD_FORMS = re.compile(
    rf"(?P<tenths>(?<![{_CN_ONE}])[{_CN_ONE[:-1]}])成(?![为立果本效绩功都交品熟长员型就规片网体链群批套不])"
    rf"|(?P<den>[{_CN_ONE}]+)分之(?P<num>[{_CN_ONE}]+)"
    r"|(?P<half>一半)|(?P<double>翻了?一番|翻番|(?<=实现)倍增)|翻了?(?P<times>[两二三四])番"
    # a bare magnitude after a reach (超千亿元, 突破百万吨大关, 稳定在百万吨以上; not 过百亿元的企业, a class)
    r"|(?:(?<=[超近上逾达在])|(?<=突破)|(?<=超过))(?P<bare>[千百]?(?:万亿|亿|万))"
    r"(?=元|美元|人|斤|吨|亩|户|个|家|千瓦|公里|立方米)")


def _word_forms(plain: str) -> list[Quantity]:
    found = []
    for m in _WORD_FORMS.finditer(plain):
        unit, end = "%", m.end()
        if m.group("tenths"):
            value = CN_DIGIT_VALUES[m.group("tenths")] * 10.0
        elif m.group("den"):
            den, num = chinese_numeral_value(m.group("den")), chinese_numeral_value(m.group("num"))
            if not den or num is None:
                continue
            value = round(num / den * 100, 2)
        elif m.group("half"):
            value = 50.0
        elif m.group("double"):
            value = 100.0
        elif m.group("times"):  # 翻两番 (x4) is a rise of 300%, 翻三番 (x8) of 700%
            value = (2.0 ** CN_DIGIT_VALUES[m.group("times")] - 1) * 100
        else:
            word = m.group("bare")
            value = {"千": 1000.0, "百": 100.0}.get(word[0], 1.0) * MAGNITUDES[word.lstrip("千百")]
            unit, end = _match_unit(plain, m.end(), english=False)
        word, after = _match_qualifier(plain, end)
        found.append(Quantity(value, unit, plain[m.start():after if word else end], m.start(),
                              after if word else end, word, None, _pre_qualifier(plain, m.start())))
    return found


def extract_numbers(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order; spans index into `text` itself."""
    plain = text.translate(_DIGITS_TABLE)  # same length: spans stay valid
    for marker in _CITATION_RE.finditer(plain):  # blank out [1] [2,3] so they are not read
        plain = plain[:marker.start()] + " " * (marker.end() - marker.start()) + plain[marker.end():]
    found: list[Quantity] = []
    taken_until = -1
    for m in _NUMBER_RE.finditer(plain):
        if m.start() < taken_until:
            continue
        quantity = _quantity_at(plain, m)
        if quantity is None:
            continue
        quantity = _range_end(plain, quantity) or quantity
        taken_until = quantity.end
        found.append(Quantity(quantity.value, quantity.unit, text[quantity.start:quantity.end],
                              quantity.start, quantity.end, quantity.qualifier, quantity.value_max,
                              _pre_qualifier(plain, quantity.start)))
    for m in re.finditer("百分之百", plain):
        found.append(Quantity(100.0, "%", text[m.start():m.end()], m.start(), m.end()))
    spans = [(q.start, q.end) for q in found]
    found += [Quantity(q.value, q.unit, text[q.start:q.end], q.start, q.end, q.qualifier, None, q.pre)
              for q in _word_forms(plain) if not any(s < q.end and q.start < e for s, e in spans)]
    if not _CJK_RE.search(plain[:60]) and re.search(r"[a-z]", plain[:200], re.I):
        spans = [(q.start, q.end) for q in found]
        found += [Quantity(q.value, q.unit, text[q.start:q.end], q.start, q.end)
                  for q in _english_word_numbers(plain) + _english_fractions(plain)
                  if not any(s < q.end and q.start < e for s, e in spans)]
    return sorted(found, key=lambda q: q.start)


def for_check(text: str) -> str:
    """A copy of `text` in which every numeral form reads as digits: NFKC (superscripts,
    full-width), Roman numeral characters (Ⅹ -> 10). For checking numbers only: offsets of
    the copy do not index the original."""
    return unicodedata.normalize("NFKC", "".join(_ROMAN.get(ch, ch) for ch in text))


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Same normalised value, and units that do not contradict (a missing unit is no contradiction)."""
    close = abs(a.value - b.value) <= 1e-9 * max(1.0, abs(a.value), abs(b.value))
    return close and (a.unit == b.unit or not a.unit or not b.unit)


def unsupported_numbers(answer_text: str, passage_texts: list[str]) -> list[Quantity]:
    """Quantities of the answer that occur in none of the passages."""
    known = [q for text in passage_texts for q in extract_numbers(for_check(text))]
    known += [Quantity(q.value_max, q.unit, q.raw, q.start, q.end) for q in known if q.is_range]
    return [q for q in extract_numbers(for_check(answer_text))
            if not any(same_quantity(q, k) for k in known)]
