"""The eleventh round of fact rules (issue 10, extractor 14), written on round 11's five label files
(eval/facts/heldout11, read after they were scored once) and asserted on them and on other reports:
more count words (次 宗 架, 场次 a level), bare magnitudes after a reach (突破百万吨), sessions and
slogans that are no quantity, English policy moves made N times and deadlines within N years, the
names of a 分别 list. Round 12's held-out reports (eval/facts/heldout12) are not read."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_in, facts_of, meaning

REPORTS = ("provincial_xizang_2026", "provincial_guangdong_2025", "provincial_tianjin_2025", "provincial_shanxi_2025",
           "provincial_shandong_2026", "provincial_hubei_2026", "provincial_chongqing_2026", "national_china_2009_en",
           "national_china_2005")


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, REPORTS)


def test_more_count_words_and_shows_as_a_level(facts):
    assert fact(facts, "provincial_xizang_2026", "4次调高城乡低保", 4).unit == "次"
    assert fact(facts, "provincial_guangdong_2025", "实施42宗大中型灌区改造", 42).measure == "count"
    racks = fact(facts, "provincial_shanxi_2025", "5G基站、标准机架分别达到10.8万个、101.2万架", 1.012e6)
    assert (racks.unit, racks.measure) == ("架", "count")
    shows = fact(facts, "provincial_tianjin_2025", "举办特色文旅活动和惠民演出1.3万场次", 1.3e4)
    assert (shows.unit, shows.measure) == ("场次", "level")


def test_a_bare_magnitude_after_a_reach_is_a_quantity_and_a_class_is_not(facts):
    output = facts_in(facts, "provincial_xizang_2026", "肉蛋奶、蔬菜产量均突破百万吨大关", 1e6)
    assert len(output) == 2 and {f.unit for f in output} == {"吨"}  # one per name of the 均 list
    assert not facts_in(facts, "provincial_shandong_2026", "培育一批营收过百亿元农产品加工企业", 1e10)


def test_sessions_and_quoted_slogans_are_no_quantity(facts):
    assert not facts_in(facts, "provincial_hubei_2026", "省委十二届十一次全会精神", 11)
    assert not facts_in(facts, "provincial_chongqing_2026", "建成“15分钟高品质生活服务圈”65个", 15)
    assert fact(facts, "provincial_chongqing_2026", "建成“15分钟高品质生活服务圈”65个", 65).unit == "个"


def test_english_moves_made_n_times_and_deadlines_within_n_years(facts):
    moves = fact(facts, "national_china_2009_en", "reduced required reserve ratios four times", 4)
    assert (moves.unit, meaning(moves)) == ("次", ("2008", "level", "result"))
    assert not [f for f in facts_in(facts, "national_china_2009_en", "twice the figure for the previous year", 2)
                if f.unit == "次"]
    cover = fact(facts, "national_china_2009_en", "cover over 90% of those eligible within three years", 90)
    assert meaning(cover)[0] == "2009-2011"
    years = fact(facts, "national_china_2009_en", "cover over 90% of those eligible within three years", 3)
    assert (years.unit, meaning(years)) == ("年", ("2009-2011", "level", "target"))


def test_the_names_of_a_respectively_list(facts):
    sentence = "全区地方财政收入、支出分别突破300亿元和3000亿元"
    revenue, spending = fact(facts, "provincial_xizang_2026", sentence, 3e10), fact(facts, "provincial_xizang_2026",
                                                                                      sentence, 3e11)
    assert (revenue.indicator, spending.indicator) == ("budget_revenue", "budget_expenditure")
    assert meaning(revenue)[0] == meaning(spending)[0] == "2025"
    pairs = "城乡居民人均可支配收入从2021年的46503元和16935元分别提高到58794元和23184元"
    assert [fact(facts, "provincial_xizang_2026", pairs, v).indicator for v in (46503, 16935, 58794, 23184)] \
        == ["urban_income", "rural_income", "urban_income", "rural_income"]


def test_a_harvest_increase_is_a_change_of_grain_output(facts):
    more = fact(facts, "national_china_2005", "全年粮食总产量达到46947万吨，增产3877万吨", 3.877e7)
    assert (more.indicator, more.measure) == ("grain_output", "change")
