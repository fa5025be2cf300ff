"""Quantities the numbers reader leaves alone, found by the coverage tool (facts/coverage.py):
- counts of times and rounds: `4次获评`, `两次降低存款准备金率`, `29轮强降雨`, `8类大病`
  (the reader takes `4次` for a bare 4, and reads no Chinese numeral before 次);
- computing power in P: `算力规模达到5.1万P` (an ASCII letter after a number ends no quantity
  for the reader);
- a round count written as a magnitude: `集装箱航线突破百条`, `参赛队伍上万支`, `近千公里`,
  `带动上下游千余家企业` (上万 / 千余 take the qualifier 多);
- a bare magnitude after 突破 / 超过 / 达到: `销售额突破百亿元`, `成交额均超百亿美元`
  (the reader reads `超百亿元` only, and never with 美元).
- bare numbers of a 、-list whose unit is written once, after the last (`分别提高20.9、36.2、54个百分点`).
A class threshold (`营收过百亿元农产品加工企业`, `百亿元以上产业链`) is no quantity: a bare
magnitude counts only where its clause ends after it. Editions (`五届人大四次会议`,
`十一届七次全会`), `三次产业`, `首次` and `一次` (an article: 一次性, 再一次) are no counts.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..numbers import MAGNITUDES, PRE_QUALIFIERS, Quantity, chinese_numeral_value

_DIGIT_UNITS = "次轮类"
_CN = "两二三四五六七八九十"
# 次 not of an edition (人大四次会议, 七次、八次全会), not 三次产业 / 次方
_NOT_TIMES = re.compile(r"(?:[、，,]?[一二三四五六七八九十\d]*次)*(?:会议|全会|全体会议|大会|产业|方)")
_CN_TIMES = re.compile(rf"(?<![第届大“{_CN}一\d])(?P<n>[{_CN}]{{1,3}})次")
_QUALIFIER = re.compile(r"多|以上|左右")
_BARE = re.compile(r"(?P<pre>突破|超过|达到|超|达|逾|近)(?:了)?(?P<mag>[千百]?(?:万亿|亿))(?P<unit>美元|元)?"
                   r"(?P<q>以上|左右|多)?(?=[，,。；;、）)]|$)")
# 突破万列, 突破百条, 参赛队伍上万支, 近千公里, 千余家企业: a round count written as a magnitude
_ROUND = re.compile(r"(?:(?P<pre>突破|超过|超|上|近|逾)(?P<mag>[千百]?万|[千百])(?P<q>余|多)?|(?P<mag2>[千百]?万|[千百])(?P<q2>余|多))"
                    r"(?P<unit>公里|标箱|家|条|列|支|所|座|户|项|台|辆|套|艘|个)")
_P = re.compile(r"P(?![A-Za-z])")


def _edition(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 3):start]
    return bool(re.search(r"[届第]|届[一二三四五六七八九十]*$", before) or _NOT_TIMES.match(sentence, end))


def _with_unit(q: Quantity, sentence: str) -> Quantity:
    """4次 / 29轮 / 8类 (digits before a unit word the reader does not know) and 5.1万P."""
    after = sentence[q.end:q.end + 1]
    if q.unit or not after:
        return q
    if after in _DIGIT_UNITS and q.value == int(q.value) and q.raw.isascii() and not q.qualifier:
        if after == "次" and _edition(sentence, q.start, q.end - 0):
            return q
        if after == "次" and _NOT_TIMES.match(sentence, q.end + 1):
            return q
        end = q.end + 1
        word = _QUALIFIER.match(sentence, end)
        return replace(q, unit=after, raw=sentence[q.start:word.end() if word else end],
                       end=word.end() if word else end, qualifier=word.group() if word else "")
    if _P.match(sentence, q.end) and re.search(r"算力|智算", sentence[max(0, q.start - 12):q.start]):
        return replace(q, unit="P", raw=sentence[q.start:q.end + 1], end=q.end + 1)
    return q


def _list_units(found: list[Quantity], sentence: str) -> list[Quantity]:
    """`分别提高20.9、36.2、54个百分点`, `分别增长3.5、4.1和6%`: bare numbers of a 、-list take the unit
    written once after its last item (not a magnitude: `20、30万人` could be 20万 or 20)."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        if q.unit or not nxt.unit or not re.fullmatch(r"、|和|及|与", sentence[q.end:nxt.start]):
            continue
        if re.match(r"[\d.]+(?:多|余)?[万亿千]", nxt.raw) or not re.fullmatch(r"[\d.]+", q.raw):
            continue
        out[i] = replace(q, unit=nxt.unit)
    return out


def with_counts(sentence: str, quantities: list[Quantity]) -> list[Quantity]:
    """The quantities of a sentence, with the forms above added or completed."""
    found = _list_units([_with_unit(q, sentence) for q in quantities], sentence)
    taken = [(q.start, q.end) for q in found]
    extra = []
    for m in _CN_TIMES.finditer(sentence):
        value = chinese_numeral_value(m.group("n"))
        if value and value > 1 and not _edition(sentence, m.start(), m.end()) and not _NOT_TIMES.match(
                sentence, m.end()) and not any(s < m.end() and m.start() < e for s, e in taken):
            extra.append(Quantity(float(value), "次", m.group(), m.start(), m.end()))
    for m in _BARE.finditer(sentence):
        start, end = m.start("mag"), m.end()
        if any(s < end and start < e for s, e in taken):
            continue
        if not m.group("unit") and sentence.startswith("、", end):
            continue  # 打造一批超百亿、超千亿产业链: class names of a list
        mag = m.group("mag")
        value = {"千": 1e3, "百": 1e2}.get(mag[0], 1.0) * MAGNITUDES[mag.lstrip("千百")]
        extra.append(Quantity(value, m.group("unit") or "", sentence[start:end], start, end,
                              m.group("q") or "", None, PRE_QUALIFIERS.get(m.group("pre"), "")))
    for m in _ROUND.finditer(sentence):
        start = m.start("mag") if m.group("mag") else m.start("mag2")
        if any(s < m.end() and start < e for s, e in taken + [(q.start, q.end) for q in extra]):
            continue
        if m.group("unit") == "公里" and re.match(r"[\u4e00-\u9fff](?<!的)", sentence[m.end():m.end() + 1]):
            continue  # 续航超千公里氢能重卡: a specification of a product
        mag = m.group("mag") or m.group("mag2")
        value = {"千": 1e3, "百": 1e2}.get(mag[0], 1.0) * (1e4 if mag.endswith("万") else 1.0)
        pre = PRE_QUALIFIERS.get(m.group("pre") or "", "")
        qualifier = "多" if m.group("q") or m.group("q2") or m.group("pre") == "上" else ""
        extra.append(Quantity(value, m.group("unit"), sentence[start:m.end()], start, m.end(), qualifier, None, pre))
    return sorted(found + extra, key=lambda q: q.start) if extra else found


__all__ = ["with_counts"]
