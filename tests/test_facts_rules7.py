"""The seventh round of fact rules (issue 10, extractor 12): English runs of years, fractions and
doubling, the country's population, this year's graduates as a forecast, an indicator named before
a comparison year, the share of something else in GDP. Each asserted on real sentences of reports
other than round 7's held-out three (Jiangsu 2026, national 2006, 2021 English)."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_in, facts_of, meaning

from assistant.numbers import extract_numbers

REPORTS = ("national_china_2015", "national_china_2022", "provincial_zhejiang_2025", "national_china_2015_en",
           "national_china_2016_en", "national_china_2018_en", "national_china_2019_en", "provincial_hainan_2026",
           "provincial_tianjin_2026", "national_china_2008_en", "national_china_2020_en", "provincial_liaoning_2026",
           "national_china_2007", "national_china_2018", "national_china_1988", "national_china_1998",
           "national_china_1982", "provincial_hunan_2026", "provincial_heilongjiang_2026", "national_china_2009",
           "national_china_2013_en", "provincial_gansu_2026", "national_china_2017_en")


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, REPORTS)


def test_this_years_graduates_are_a_forecast_not_a_target(facts):
    assert fact(facts, "national_china_2015", "今年高校毕业生749万人", 7.49e6).kind == "expectation"
    assert fact(facts, "national_china_2022", "今年高校毕业生超过1000万人", 1e7).kind == "expectation"
    # graduates to be helped into work are a target of the plans, not a forecast
    assert fact(facts, "provincial_zhejiang_2025", "离校未就业高校毕业生6万人", 6e4).kind == "target"


def test_english_runs_of_years_hold_for_the_years_they_name(facts):
    run = fact(facts, "national_china_2015_en", "Grain output increased for the 11th consecutive year", 11)
    assert (run.unit, meaning(run)) == ("年", ("2004-2014", "level", "result"))
    food = fact(facts, "national_china_2016_en", "Food crop production increased for the 12th year in a row", 12)
    assert meaning(food) == ("2004-2015", "level", "result")
    # the figure after a run keeps the indicator named before the run
    grain = fact(facts, "national_china_2008_en", "grain output rose four consecutive years to reach 501.5", 501.5e6)
    assert (grain.indicator, meaning(grain)) == ("grain_output", ("2007", "level", "result"))
    assert meaning(fact(facts, "national_china_2008_en", "grain output rose four consecutive years", 4))[0] == "2004-2007"


def test_english_this_year_and_next_and_money_named_after_of(facts):
    training = fact(facts, "national_china_2020_en", "This year and next, more than 35 million", 35e6)
    assert meaning(training)[:2] == ("2020-2021", "total")
    bonds = fact(facts, "national_china_2019_en", "2.15 trillion yuan of special local government bonds", 2.15e12)
    assert bonds.indicator == "special_bonds"


def test_english_fractions_and_doubling_are_percentages(facts):
    third = fact(facts, "national_china_2016_en", "The central government cut, by one third", 33.33)
    assert (third.unit, third.measure) == ("%", "change")
    double = fact(facts, "national_china_2016_en", "double the 2010 GDP", 100)
    assert (double.indicator, meaning(double)[:2]) == ("gdp", ("2011-2020", "change"))
    assert facts_in(facts, "national_china_2016_en", "Over half of China's population now resides", 50)
    # the first half of the year and a third party are no quantities
    assert not extract_numbers("in the first half of the year, services provided by a third party")


def test_the_countrys_population_is_last_years_count_not_a_target(facts):
    people = fact(facts, "national_china_2019_en", "the grain supply for almost 1.4 billion Chinese people", 1.4e9)
    assert (people.indicator, meaning(people)) == ("population", ("2018", "level", "result"))
    # the people a scheme covers are not the population
    covered = fact(facts, "national_china_2018_en", "basic health insurance plans cover 1.35 billion people", 1.35e9)
    assert covered.indicator != "population"


def test_an_indicator_named_before_a_comparison_year_and_a_share_in_gdp(facts):
    assert fact(facts, "provincial_tianjin_2026", "PM2.5年均浓度较2020年下降25%", 25).indicator == "pm25"
    share = fact(facts, "provincial_hainan_2026", "四大主导产业占地区生产总值比重达73%左右", 73)
    assert share.indicator != "gdp" and share.measure == "share"


def test_a_yearly_average_amount_of_a_flow_is_each_years_level(facts):
    jobs = fact(facts, "provincial_liaoning_2026", "城镇新增就业人数年均超过46万人", 4.6e5)
    assert meaning(jobs) == ("2021-2025", "level", "result")
    assert meaning(fact(facts, "national_china_2007", "从2003年到2006年年均超收2040亿元", 2.04e11))[:2] == (
        "2003-2006", "level")
    # a yearly average change stays an average: 年均缩减, 平均每年增产
    assert fact(facts, "national_china_2018", "沙化土地面积年均缩减近2000平方公里", 2000).measure == "avg_growth"
    assert fact(facts, "national_china_1988", "平均每年增产８０亿公斤", 8e9).measure == "avg_growth"


def test_a_few_years_named_in_the_plans_are_the_years_from_now(facts):
    assert meaning(fact(facts, "national_china_1998", "三年内裁减军队员额五十万", 5e5))[0] == "1998-2000"
    # 五年内 in a national plan speaks of the five-year plan under way (1981-1985), not of 1982-1986
    mines = fact(facts, "national_china_1982", "五年内新建一百万吨以上的大型矿井二十八个", 28)
    assert meaning(mines)[0] != "1982-1986"


def test_words_that_only_relate_the_number_name_no_indicator(facts):
    # 地区生产总值迈上5万亿台阶、五年增量超1.36万亿元: the increment is GDP's
    assert fact(facts, "provincial_hunan_2026", "五年增量超1.36万亿元", 1.36e12).indicator == "gdp"
    # 粮食…，占全国23.6%: a share of the nation's grain, not a level
    share = fact(facts, "provincial_heilongjiang_2026", "占全国23.6%", 23.6)
    assert (share.indicator, share.measure) == ("grain_output", "share")
    # 财政赤字…，占国内生产总值比重在3%以内: the deficit ratio
    assert fact(facts, "national_china_2009", "占国内生产总值比重在3% 以内", 3).indicator == "deficit_ratio"


def test_english_fell_to_is_a_level_reached_and_a_percent_cut_a_change(facts):
    assert fact(facts, "national_china_2013_en", "the rise in the CPI fell to 2.6%", 2.6).measure == "growth"
    assert fact(facts, "national_china_2020_en", "the poverty headcount ratio fell to 0.6 percent", 0.6).measure == "share"
    assert fact(facts, "national_china_2020_en", "a more than 50 percent cut to outlays", 50).measure == "change"
    assert fact(facts, "national_china_2017_en", "again cutting the number of charges by more than half", 50).measure \
        == "change"
    daily = fact(facts, "national_china_2020_en", "an average net increase of over 10,000 businesses per day", 1e4)
    assert daily.measure == "level"


def test_a_plans_end_named_as_a_base_is_its_last_years_level(facts):
    # 全省地区生产总值达到13697.5亿元，较“十三五”末的9323.1亿元增加4374.4亿元: 9323.1 is 2020's GDP
    base = fact(facts, "provincial_gansu_2026", "较“十三五”末的9323.1亿元", 9.3231e11)
    assert (base.indicator, meaning(base)) == ("gdp", ("2020", "level", "result"))
