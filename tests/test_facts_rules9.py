"""The ninth round of fact rules (issue 10, extractor 14), written on the seen label files' errors
and asserted on other reports: count and time words no fact read (届 批 块 份 起 组 班次 小时 公顷),
money or people counted after a span that opens the sentence, and a list item that keeps the verb of
the one before it across two count units. The held-out reports (eval/facts/heldout7, heldout9) are
not read."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_in, facts_of, meaning

REPORTS = ("provincial_guizhou_2025", "provincial_xinjiang_2025", "provincial_anhui_2026", "provincial_zhejiang_2026",
           "provincial_guangdong_2026", "provincial_sichuan_2025", "national_china_1986", "provincial_neimenggu_2026",
           "national_china_2008", "provincial_chongqing_2025")


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, REPORTS)


def test_count_words_are_read_as_units_and_counted(facts):
    medals = fact(facts, "provincial_guizhou_2025", "在2024年巴黎奥运会获得3块金牌", 3)
    assert (medals.unit, medals.measure, medals.kind) == ("块", "count", "result")
    assert fact(facts, "provincial_xinjiang_2025", "组织出访447批", 447).unit == "批"
    assert fact(facts, "provincial_anhui_2026", "完成并购重组397起", 397).measure == "count"
    assert fact(facts, "provincial_chongqing_2025", "11组市属重点国企战略性重组", 11).unit == "组"
    forest = fact(facts, "national_china_2008", "五年累计退耕还林、植树造林3191万公顷", 3.191e7)
    assert (forest.unit, meaning(forest)[:2]) == ("公顷", ("2003-2007", "total"))


def test_editions_and_anniversaries_are_no_count(facts):
    # 二十届历次全会 is an edition; 70周岁 an age, not weeks
    assert not facts_in(facts, "provincial_zhejiang_2026", "二十届历次全会", 20)
    assert all(f.unit != "周" for f in facts_in(facts, "provincial_zhejiang_2026", "70周岁以上户籍老年人", 70))


def test_hours_are_a_duration_reached_not_a_sum(facts):
    circle = fact(facts, "provincial_guangdong_2026", "主要城市间基本实现1小时通达", 1)
    assert (circle.unit, meaning(circle)[:2]) == ("小时", ("2025", "level"))
    assert fact(facts, "provincial_sichuan_2025", "进口货物出关时间缩短至1.5小时以内", 1.5).measure == "level"


def test_money_counted_after_a_span_that_opens_the_sentence_is_its_total(facts):
    # “六五”期间，国家财政用于这些方面的经费共为一千一百七十二亿元: summed over 1981-1985
    spent = fact(facts, "national_china_1986", "国家财政用于这些方面的经费共为一千一百七十二亿元", 1.172e11)
    assert meaning(spent)[:2] == ("1981-1985", "total")
    trade = fact(facts, "national_china_1986", "进出口贸易总额合计达到二千三百亿美元", 2.3e11)
    assert meaning(trade)[:2] == ("1981-1985", "total")


def test_a_list_item_keeps_the_verb_before_it_across_count_units(facts):
    # 全区养老机构和设施达到9341个、床位10.5万张 (十四五 review): both stocks at its end
    beds = fact(facts, "provincial_neimenggu_2026", "全区养老机构和设施达到9341个、床位10.5万张", 1.05e5)
    assert meaning(beds)[:2] == ("2025", "count")
