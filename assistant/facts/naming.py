"""What a Chinese number is *of*: the indicator named before it in its segment (facts/indicators.tsv),
else the words naming it, else the indicator of the quantity before it (facts/extract.py uses it).
Linking words (为, 达到, 比上年 …) between a named indicator and its number still let it name the
number; words that only relate the number to its subject (占…比重, 五年增量, 较“十三五”) name nothing."""

from __future__ import annotations

import re

from . import indicators

_LINK_WORDS = re.compile(r"(?:较|比)?(?:19|20)\d{2}年(?:底|末)?|扣除[^，,]{0,10}?因素|平均每年|每年平均|实际金额|(?:近|过去)?(?:\d{1,2}|[两三四五])年(?=增|提|累计|共|下降|降低|减少)|增幅|(?:高于|低于|快于|慢于|优于)(?:全国平均水平|全国平均|全国)?|的调控目标|调控目标|的预期目标|的目标|速度|每立方米|每平方米|预期目标|预期|目标|定为|拟按|拟安排|安排|平均为|稳定在|保持在|控制在|达到|"
                         r"年均|增长|增速|上涨|涨幅|提高到|提高|降低|下降|减少|全年|规模|总量|为|达|在|按|到|至|超过|突破|"
                         r"拟|是|不少于|不低于|力争|分别|约|近|实际|同比|比上年|总额|总值|以上|占比|比重|强度|投入|从|由|"
                         r"连续|迈上|跃上|均|累计|接近|超|实现|数量|"
                         r"of|around|about|by|at|to|over|growth|rate|increase|target|percent|be|is|was|\s")


def _names_quantity(gap: str) -> bool:
    """Whether an indicator followed by `gap` and then a number names that number:
    '城镇调查失业率平均为5.2%' yes; '生产总值生产安全事故死亡率0.6人' no."""
    rest = _LINK_WORDS.sub("", gap)
    return len(rest) <= 2 and "的" not in rest


# words that relate the number to what was named before it, naming nothing themselves (研发经费支出…，
# 占国内生产总值比重从1.07%提高到1.49%; 地区生产总值…、五年增量超1.36万亿元; 外商直接投资…，实际金额达到330多亿美元)
_RELATION_ONLY = re.compile(r"^(?:占|较|比(?!例|重))|^(?:增量|实际金额|实际投资|金额|产量|中有|同口径)$")
_GENERIC_WORDS = {"总量", "总额", "总数", "规模", "累计", "总计", "合计", "其中", "先发行", "发行", "分别", "下降", "降低",
                  "减少", "增长", "增加", "提高", "提升", "上涨", "同比", "均", "增产", "减产"}


def indicator_before(segment: str, pos: int, language: str, previous: tuple[str, str],
               sentence_before: str) -> tuple[str, str]:
    """The indicator named before the number in its segment; else the words naming it; else
    the indicator of the sentence's previous quantity or one named earlier in the sentence."""
    found = indicators.find_in_clause(segment, pos, language)
    if found and found[0] == "gdp" and re.search(r"之比|比重|比例|比率|占$", segment[max(0, found[2] - 1):pos]):
        # 研发经费支出与国内生产总值之比, 占国内生产总值比重: the share of something else in GDP
        inner = indicators.find_in_clause(segment, found[2], language)
        if inner and inner[0] != "gdp":
            return inner[0], inner[1]
        found = None  # 四大主导产业占GDP比重较2020年提高: the share of what is named before GDP, not GDP
    if found and _names_quantity(segment[found[3]:pos]):
        return found[0], found[1]
    words = _words_before(segment[:pos])
    if words in ("总产", "总产量") and (previous[0] == "grain_output" or "粮" in sentence_before + segment[:pos]):
        return "grain_output", words  # 粮食播种面积1570.5万亩、总产130亿斤: the grain's output
    if found and words == found[1]:
        return found[0], found[1]  # 粮食产量连续13年稳定在…: the indicator's own name, a run between
    if words and words not in _GENERIC_WORDS and not _RELATION_ONLY.search(words):
        return words, words
    if previous[0] == "deficit" and re.match(r"占(?:国内生产总值|GDP)", words):
        return "deficit_ratio", previous[1]  # 财政赤字…，占国内生产总值比重在3%以内: the deficit ratio
    if previous[0]:
        return previous
    earlier = indicators.find_in_clause(sentence_before, None, language)
    return (earlier[0], earlier[1]) if earlier else (words, words)


# a growth rate named after its number, with no indicator before it: the economy's
GROWTH_NAMED_AFTER = re.compile(r"(?:左右|以上)?的(?:预期|经济)?(?:增长目标|增长预期目标|增速|增长速度)")
_LEADING = re.compile(r"^(?:(?:19|20)\d{2}年(?:底|末)?|近?[2-9两三四五]年(?:来|内|间)?|扣除[^，,]{0,10}?因素|比上年|比去年|较上年|同比|今年|全年|年度|其中|同时|并|拟|先|再|继续|持续|加快|力争|确保|"
                      r"完成|新增|新建|新改建|实施|打造|培育|推动|推进|开展|实现|建设|编制|全省|全市|全区|全国|我省|我市)+")
_TRAILING = re.compile(r"(?:首次|实际|平均每年|每年平均|每年|连续|再|提前|延长|用|增长|上涨|提高到|提高|达到|达|增至|扩展至|突破|超过|超|分别|平均为|年均|"
                       r"保持在|稳定在|控制在|为|近|约|拟按|按|安排|发行|到|至|在|的|从)+$")


def _words_before(head: str) -> str:
    text = re.sub(r"[“”\"（）()\s《》]", "", head)
    text = re.sub(r"连续(?:\d+|[一二两三四五六七八九十]+)(?:年|个?季度|个月)", "", text)  # 粮食产量连续13年稳定在…
    text = _TRAILING.sub("", _LEADING.sub("", text))
    return text[-16:] if len(text) >= 2 else ""


__all__ = ["GROWTH_NAMED_AFTER", "indicator_before"]
