"""English glosses of Chinese figures, for English answers quoting a Chinese report: the quote
stays as written and the gloss beside it says, marked as a gloss, what the figure is:

    5%左右           -> (gloss: GDP growth: about 5 percent)
    143.02万人       -> (gloss: 1.4302 million people)
"""

from __future__ import annotations

from .facts import indicators
from .numbers import Quantity, extract_numbers
from .textutil import cjk_ratio

EN_QUALIFIERS = {"左右": "about ", "以上": "at least ", "以内": "at most ", "以下": "below ", "不低于": "at least ",
                 "不超过": "at most ", "力争": "striving for ", "超过": "over ", "约": "about ", "近": "nearly ",
                 "多": "over ", "突破": "over "}
EN_UNITS = {"%": "percent", "人": "people", "元": "yuan", "斤": "jin", "吨": "tonnes", "亩": "mu",
            "个百分点": "percentage points", "户": "households", "公里": "km", "千瓦": "kW", "个": "",
            "项": "items", "家": "companies", "所": "institutions", "套": "units"}
MAX_GLOSSED = 3  # figures glossed per quote; more would bury the quote


def _scaled(value: float) -> str:
    for size, word in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(value) >= size:
            return f"{round(value / size, 4):g}{word}"
    return f"{value:g}"


def figure_words(value: float, value_max: float | None, unit: str, qualifier: str, pre: str = "") -> str:
    """`about 5 percent`, `5.5–6 percent`, `1.2 trillion yuan`; "" for a unit we cannot say."""
    if unit not in EN_UNITS:
        return ""
    number = _scaled(value) + (f"–{_scaled(value_max)}" if value_max is not None else "")
    words = EN_QUALIFIERS.get(pre, "") or EN_QUALIFIERS.get(qualifier, "")
    return f"{words}{number} {EN_UNITS[unit]}".rstrip()


def _what(quote: str, q: Quantity) -> str:
    """The indicator a figure belongs to, in English, if the words before it name one."""
    found = indicators.find_in_clause(quote, before=q.start)
    if found and q.start - found[3] <= 12:
        between = quote[found[3]:q.start]
        growth = " growth" if any(w in between for w in ("增长", "增速", "上涨")) else ""
        return indicators.display_name(found[0], "national", "en") + growth + ": "
    return ""


def gloss_quote(quote: str) -> str:
    """The gloss of the figures of a Chinese quote (years and bare counts left out), "" when
    the quote is not Chinese or holds no figure we can say in English."""
    if cjk_ratio(quote) < 0.3:
        return ""
    parts = []
    for q in extract_numbers(quote):
        if q.unit in ("年", "月", "日", "") or not (words := figure_words(q.value, q.value_max, q.unit, q.qualifier, q.pre)):
            continue
        parts.append(_what(quote, q) + words)
        if len(parts) == MAX_GLOSSED:
            break
    return f" (gloss: {'; '.join(parts)})" if parts else ""
