"""The sixth round of fact rules (issue 10, extractor 11): measure and period of the English
translations (read on the errors of 2011_en, 2012_en, 2016_en, 2017_en) and Chinese measure classes,
each asserted on real sentences, mostly of reports no label covers; none of the round-6 held-out
four (Chongqing 2026, national 1984, 2014_en, 2020_en)."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of

REPORTS = ("national_china_2008_en", "national_china_2009_en", "national_china_2010_en", "national_china_2012_en",
           "national_china_2013_en", "national_china_2015_en", "national_china_2017_en", "national_china_2018_en",
           "national_china_2019_en", "national_china_2021_en", "national_china_2022_en",
           "provincial_guizhou_2026", "provincial_jiangxi_2025", "provincial_jiangsu_2026", "provincial_tianjin_2026",
           "provincial_hunan_2026", "provincial_shandong_2025")


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, REPORTS)


def facts_in(facts, report: str, needle: str, value: float, reach: int = 80) -> list:
    """The facts of `report` whose number lies in the first `needle` or within `reach` characters after
    it, and equals `value`."""
    text, found = facts[report]
    start = text.find(needle)
    assert start >= 0, needle
    return [f for f in found if start <= f.value_start < start + len(needle) + reach
            and abs(f.value - value) <= 1e-6 * abs(value)]


def fact(facts, report: str, needle: str, value: float, reach: int = 80):
    found = facts_in(facts, report, needle, value, reach)
    assert len(found) == 1, (needle, value, found)
    return found[0]


def meaning(f) -> tuple[str, str]:
    span = f"{f.period_start}-{f.period_end}" if f.period_start != f.period_end else str(f.period_start)
    return span, f.measure


def test_capacity_cuts_are_changes_and_a_lists_items_keep_the_verb(facts):
    # 2018_en plans: steel production capacity should be further cut by around 30 million metric tons
    assert meaning(fact(facts, "national_china_2018_en", "steel production capacity should be further cut", 3e7)) \
        == ("2018", "change")
    # 2010_en: We closed down 26.17 million kilowatts of small thermal power plants
    assert fact(facts, "national_china_2010_en", "We closed down 26.17 million kilowatts", 2.617e7).measure == "change"
    # 2012_en: closed down … whose production capacity amounted to 150 million tons of cement, 31.22 million
    # tons of iron, and 19.25 million tons of coke (the last two clauses hold the number alone)
    for value in (1.5e8, 3.122e7, 1.925e7):
        assert meaning(fact(facts, "national_china_2012_en", "closed down outdated production facilities", value,
                                    reach=240)) \
            == ("2011", "change")
    # not a noun of reducing: 2021_en's `a continued reduction in the discharge … grain output of over 650 million`
    assert fact(facts, "national_china_2021_en", "grain output of over 650 million metric tons", 6.5e8).measure \
        == "level"


def test_people_are_no_counts(facts):
    assert fact(facts, "national_china_2012_en", "1.3 billion urban and rural residents", 1.3e9).measure == "level"
    assert fact(facts, "national_china_2012_en", "159 million worked in towns", 1.59e8).measure == "level"
    assert fact(facts, "national_china_2010_en", "job training for 21 million urban and rural", 2.1e7).measure \
        == "level"
    # `more` as `additional` is no comparison (2015_en), while things counted in their units stay counts
    assert fact(facts, "national_china_2015_en", "over 66 million more people gained access", 6.6e7).measure == "level"
    assert fact(facts, "national_china_2019_en", "over 18,000 new businesses opening daily", 18000).measure == "level"


def test_a_rise_stated_after_or_by_yuan_is_a_change(facts):
    assert fact(facts, "national_china_2012_en", "186.8 billion yuan more than last year", 1.868e11).measure \
        == "change"
    assert fact(facts, "national_china_2008_en", "45.8 billion yuan more than last year", 4.58e10).measure == "change"
    # raise a price or a subsidy by N yuan (2022_en: the cap for student loans was raised by 4,000 yuan)
    assert fact(facts, "national_china_2022_en", "student loans was raised by 4,000 yuan", 4000).measure == "change"
    assert fact(facts, "national_china_2009_en", "Pensions of enterprise retirees rose by 110 Yuan", 110).measure \
        == "change"


def test_hyphenated_year_on_year_and_a_cut_of_a_share(facts):
    assert fact(facts, "national_china_2017_en", "a 24.5-percent year-on-year increase", 24.5).measure == "growth"
    assert fact(facts, "national_china_2017_en", "a 9.1-percent drop in the annual average", 9.1).measure == "change"
    assert fact(facts, "national_china_2017_en", "cutting no less than 5 percent of their general", 5).measure \
        == "change"


def test_the_deficit_as_a_percentage_of_gdp_is_the_deficit_ratio(facts):
    ratio = fact(facts, "national_china_2012_en", "a decrease to around 1.5% of GDP", 1.5)
    assert (ratio.indicator, ratio.measure) == ("deficit_ratio", "level")


def test_review_periods_from_values_bases_and_each_of_the_past_years(facts):
    # a one-year review's from-value is the year before (2015_en, 2019_en)
    assert meaning(fact(facts, "national_china_2019_en", "tariff level was reduced from 9.8", 9.8))[0] == "2017"
    assert meaning(fact(facts, "national_china_2015_en", "service sector increased from 46.9%", 46.9))[0] == "2013"
    # `in each of the past five years` keeps the span and is no topic of the lines after (2012_en)
    assert meaning(fact(facts, "national_china_2012_en", "Grain output in each of the past five years", 5e8))[0] \
        == "2007-2011"
    assert meaning(fact(facts, "national_china_2012_en", "And we planted 6.13 million hectares", 6.13e6)) \
        == ("2011", "level")
    # `an increase of 120% over 2010` names a base, not the period (2012_en)
    assert meaning(fact(facts, "national_china_2012_en", "an increase of 120% over 2010", 120))[0] == "2011"
    # a total named before a verb of reaching is a level at the span's end (2008_en)
    assert meaning(fact(facts, "national_china_2008_en", "Total government revenue reached 5.13", 5.13e12)) \
        == ("2007", "level")


def test_two_things_sharing_one_rate_are_two_facts(facts):
    both = facts_in(facts, "national_china_2019_en", "sulfur dioxide and nitrogen oxide emissions will be cut", 3)
    assert sorted(f.indicator_text for f in both) == ["nitrogen oxide emissions", "sulfur dioxide"]
    assert {f.measure for f in both} == {"change"}
    # bare counts with up to five words before their plural noun (2018_en's term review)
    assert meaning(fact(facts, "national_china_2018_en", "begun work on 122 major water conservancy", 122)) \
        == ("2013-2017", "total")


def test_chinese_rates_per_head_indices_and_improvements(facts):
    assert fact(facts, "provincial_guizhou_2026", "每千人口拥有3岁以下婴幼儿托位数达4.59个", 4.59).measure == "level"
    assert fact(facts, "provincial_guizhou_2026", "每万人口高价值发明专利拥有量达3.3件", 3.3).measure == "level"
    assert fact(facts, "provincial_jiangxi_2025", "综合科技创新水平指数达64.52%", 64.52).measure == "level"
    assert fact(facts, "provincial_jiangsu_2026", "PM2.5年均浓度较“十三五”末改善16.5%", 16.5).measure == "change"
    assert fact(facts, "provincial_shandong_2025", "PM2.5浓度改善5.1%", 5.1).measure == "change"


def test_chinese_things_that_left_and_names_before_deng_are_counts(facts):
    assert fact(facts, "provincial_tianjin_2026", "融资平台新退出53家", 53).measure == "count"
    assert fact(facts, "provincial_hunan_2026", "退出融资平台304家", 304).measure == "count"
    # a plan's own parts after 等 (…安全保障等5个方面): counted, not delivered
    assert fact(facts, "provincial_hunan_2026", "安全保障等5个方面", 5, reach=0).measure == "count"


def test_counts_in_words_after_another_or_a_verb_of_making(facts):
    # 2017_en's review: `and established another six national innovation demonstration zones` (a count of
    # 2016, though `by 2030` names a plan's deadline earlier in the sentence: a clause told as done)
    six = fact(facts, "national_china_2017_en", "established another six national innovation", 6, reach=0)
    assert (meaning(six), six.kind) == (("2016", "count"), "result")
    assert meaning(fact(facts, "national_china_2017_en", "establish another seven pilot zones", 7, reach=0)) \
        == ("2016", "count")
