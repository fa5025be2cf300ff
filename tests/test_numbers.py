"""Numbers in real report sentences: extraction, normalisation, and the answer check."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from assistant.corpus import read_report_text
from assistant.numbers import chinese_numeral_value, extract_numbers, unsupported_numbers
from assistant.settings import REPO_ROOT

CORPUS = Path(os.environ.get("GOVQA_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")


@cache
def report(name: str) -> str:
    return read_report_text(CORPUS / "reports" / name)


def real(name: str, sentence: str) -> str:
    """`sentence`, after checking it occurs word for word in the report."""
    assert sentence in report(name), f"not in {name}: {sentence}"
    return sentence


def triples(text: str) -> list[tuple[float, str, str]]:
    return [(q.value, q.unit, q.qualifier) for q in extract_numbers(text)]


TARGETS_2024 = ("今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上，"
                "城镇调查失业率5.5%左右；居民消费价格涨幅3%左右")


def test_targets_2024():
    text = real("national_china_2024.txt", TARGETS_2024)
    assert triples(text) == [(5, "%", "左右"), (1.2e7, "人", "以上"), (5.5, "%", "左右"),
                             (3, "%", "左右")]
    for q in extract_numbers(text):
        assert text[q.start:q.end] == q.raw
    assert [q.raw for q in extract_numbers(text)] == ["5%左右", "1200万人以上", "5.5%左右", "3%左右"]


@pytest.mark.parametrize("name, sentence, expected", [
    ("national_china_2024.txt", "粮食产量1.39万亿斤，再创历史新高。", [(1.39e12, "斤", "")]),
    ("national_china_2024.txt", "今年中央预算内投资拟安排7000亿元。", [(7e11, "元", "")]),
    ("national_china_2024.txt", "6600多万纳税人受益。", [(6.6e7, "", "多")]),
    ("national_china_1954.txt", "在恢复期间工业总产值平均每年递增百分之三十六点九。", [(36.9, "%", "")]),
    ("national_china_1954.txt", "这一比重在一九五四年预计将由一九四九年的百分之三十七增加到百分之七十一左右。",
     [(1954, "年", ""), (1949, "年", ""), (37, "%", ""), (71, "%", "左右")]),
    ("national_china_1954.txt", "原煤八千一百九十九万吨，等于一九四九年的二点六倍；",
     [(8.199e7, "吨", ""), (1949, "年", ""), (2.6, "倍", "")]),
    ("national_china_1954.txt", "电力一百零八亿度，", [(1.08e10, "", "")]),
    ("national_china_1954.txt", "金属切削机床一万三千五百十三台，", [(13513, "台", "")]),
])
def test_real_sentences(name, sentence, expected):
    assert triples(real(name, sentence)) == expected


def test_percentage_points_and_chinese_year():
    assert triples(real("national_china_2018.txt", "比去年预算低0.4个百分点")) == [(0.4, "个百分点", "")]
    assert triples("下降3个百分点") == [(3, "个百分点", "")]
    assert triples("二〇二四年三月") == [(2024, "年", "")]
    assert triples("百分之五") == [(5, "%", "")] and triples("三千万元") == [(3e7, "元", "")]


def test_english_report_numbers():
    text = real("national_china_2022_en.txt",
                "GDP growth of around 5.5 percent over 11 million new urban jobs")
    assert triples(text) == [(5.5, "%", ""), (1.1e7, "", "")]
    assert extract_numbers("the 14th Five-Year Plan") == []


@pytest.mark.parametrize("words", [
    "加快建设全国统一大市场", "“十四五”规划", "一些地方", "三年来", "十分重要", "第3项任务",
    "[1][2]", "增长5%[12]", "1. 稳增长\n2、扩内需",
])
def test_words_and_markers_are_not_quantities(words):
    found = [q.raw for q in extract_numbers(words)]
    assert found == (["5%"] if "5%" in words else [])


def test_chinese_numerals():
    assert chinese_numeral_value("一亿二千万") == 1.2e8
    assert chinese_numeral_value("十二万三千") == 123000
    assert chinese_numeral_value("二〇一九") == 2019
    assert chinese_numeral_value("五点五") == 5.5
    assert chinese_numeral_value("十四五") is None


def test_unsupported_numbers():
    passage = real("national_china_2024.txt", TARGETS_2024)
    grain = real("national_china_2024.txt", "粮食产量1.39万亿斤，再创历史新高。")
    assert unsupported_numbers("国内生产总值增长5%左右[1]，城镇新增就业1200万人以上[1]。", [passage]) == []
    assert [q.raw for q in unsupported_numbers("国内生产总值增长6%左右[1]。", [passage])] == ["6%左右"]
    assert unsupported_numbers("粮食产量1.39万亿斤[2]。", [passage, grain]) == []
    assert unsupported_numbers("粮食产量13900亿斤。", [grain]) == []  # same value, other notation
    # the unit matters: 3% is not 3个百分点, 1200万元 is not 1200万人
    assert [q.raw for q in unsupported_numbers("下降3个百分点。", [passage])] == ["3个百分点"]
    assert [q.raw for q in unsupported_numbers("投入1200万元。", [passage])] == ["1200万元"]
    # citation ids and list ordinals are not claims
    assert unsupported_numbers("1. 增长5%左右[7]\n2. 失业率5.5%左右[8]", [passage]) == []


def ranges(text: str) -> list[tuple[float, float | None, str, str]]:
    return [(q.value, q.value_max, q.unit, q.qualifier) for q in extract_numbers(text)]


def test_ranges_are_one_quantity():
    assert ranges(real("national_china_2016.txt", "国内生产总值增长6.5%—7%")) == [(6.5, 7, "%", "")]
    assert ranges("增长6%-6.5%") == [(6, 6.5, "%", "")]
    assert ranges("增长4.5-5%左右") == [(4.5, 5, "%", "左右")]
    assert ranges("增长5%到5.5%") == [(5, 5.5, "%", "")]
    assert ranges("年均增长4.5%—5%") == [(4.5, 5, "%", "")]
    assert ranges("百分之八至九") == [(8, 9, "%", "")]
    assert ranges("投资1000-1500万元") == [(1e7, 1.5e7, "元", "")]
    # a dash to something else is no range
    assert ranges("增长5%到2030年") == [(5, None, "%", ""), (2030, None, "年", "")]


def test_full_width_and_pre_qualifiers():
    quantities = extract_numbers("城镇新增就业９００万人以上，粮食产量不低于1.3万亿斤")
    assert [(q.value, q.unit, q.qualifier, q.pre) for q in quantities] == [
        (9e6, "人", "以上", ""), (1.3e12, "斤", "", "不低于")]


def test_every_numeral_form_is_checked():
    passage = real("national_china_2024.txt", TARGETS_2024)
    for invented in ("GDP增长百分之百[1]。", "增长¹⁰⁰%[1]。", "增长Ⅹ倍[1]。",
                     "GDP will grow one hundred percent [1].", "spending of eight trillion yuan [1]."):
        assert unsupported_numbers(invented, [passage]), invented
    assert unsupported_numbers("增长百分之五左右[1]。", [passage]) == []


def test_english_ranges_with_to_and_between():
    (q,) = extract_numbers("GDP growth of 6.5% to 7%")
    assert (q.value, q.value_max, q.raw) == (6.5, 7.0, "6.5% to 7%")
    (q,) = extract_numbers("a projected growth rate of between 6.5% and 7%")
    assert (q.value, q.value_max) == (6.5, 7.0)
    # from A to B is a change, not a range; "A and B" without between are two figures
    assert [q.value_max for q in extract_numbers("raising the threshold from 30,000 to 100,000 yuan")] == [None, None]
    assert len(extract_numbers("5% and 6%")) == 2


def test_a_lower_digit_and_magnitude_after_the_first_one():
    """2018's term review: 2万5千, 1万6千多, 1亿3千多万, 3万多亿元, and 千 after digits."""
    rows = {
        "高速铁路运营里程从9000多公里增加到2万5千公里": [(9000, "公里"), (25000, "公里")],
        "日均新设企业由5千多户增加到1万6千多户": [(5000, "户"), (16000, "户")],
        "出境旅游人次由8300万增加到1亿3千多万": [(8.3e7, ""), (1.3e8, "")],
        "共减轻市场主体负担3万多亿元": [(3e12, "元")],
    }
    for sentence, want in rows.items():
        got = [(q.value, q.unit) for q in extract_numbers(real("national_china_2018.txt", sentence))]
        assert got == want, sentence
    # 千 of a unit is no magnitude: 千瓦, 千米, 千吨级 (Hunan 2026: 千吨级及以上航道达1276公里)
    assert [(q.value, q.unit) for q in extract_numbers("装机5千瓦、3千米")] == [(5, "千瓦"), (3, "公里")]
    hunan = real("provincial_hunan_2026.txt", "千吨级及以上航道达1276公里")
    assert [(q.value, q.unit) for q in extract_numbers(hunan)] == [(1276, "公里")]


def test_hyphenated_english_percentages():
    # 2019_en: "a 2-percent drop in both chemical oxygen demand…": the adjective was read as a bare number
    found = extract_numbers("a 6.7-percent increase and a 0.5-percentage-point drop")
    assert [(q.raw, q.unit, q.value) for q in found] == [("6.7-percent", "%", 6.7), ("0.5-percentage-point", "个百分点", 0.5)]
