"""Small text helpers shared by every stage: normalization and Chinese numerals."""

from __future__ import annotations

import re
import unicodedata

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)

DASHES = "‐‑‒–—―－﹣−"
_DASH_TABLE = str.maketrans({d: "-" for d in DASHES})


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def normalize_for_match(text: str) -> str:
    """The answer-matching normalization of the field notes: NFKC, lower case,
    no whitespace, dashes unified."""
    text = nfkc(text).lower().translate(_DASH_TABLE)
    return re.sub(r"\s+", "", text)


def cn_to_int(text: str) -> int | None:
    """'二〇一九' -> 2019 (digit by digit), '二十七' -> 27, '十四' -> 14, '2019' -> 2019."""
    text = nfkc(text.strip())
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    if not any(ch in CN_UNITS for ch in text):  # read digit by digit: 二〇一九
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            total += (digit or 1) * CN_UNITS[ch]
            digit = 0
    return total + digit


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def cjk_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(is_cjk(ch) for ch in letters) / len(letters)


def detect_language(text: str) -> str:
    """'zh' when most letters are Chinese characters, else 'en'."""
    return "zh" if cjk_ratio(text[:5000]) >= 0.3 else "en"
