"""The second round of fact rules (issue 10), each on real sentences of the four seen reports,
following the conventions of eval/facts/README.md ("One rule per disputed case")."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_of


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, ("provincial_hunan_2026", "provincial_beijing_2026", "national_china_2018",
                 "national_china_1995"))



def shape(f) -> tuple:
    return f.kind, f.period_label, f.measure


def test_a_stock_reached_by_the_end_of_the_plan_holds_for_its_last_year(facts):
    assert shape(fact(facts, "provincial_hunan_2026", "人均预期寿命提升到79岁", 79)) == ("result", "2025", "level")
    assert shape(fact(facts, "provincial_hunan_2026", "上市公司达162家", 162)) == ("result", "2025", "count")
    assert shape(fact(facts, "provincial_hunan_2026", "空气优良天数比例达91.3%", 91.3)) == (
        "result", "2025", "share")
    assert shape(fact(facts, "provincial_hunan_2026", "总量接近800万户", 8e6)) == ("result", "2025", "count")


def test_a_level_held_throughout_the_span_keeps_the_span(facts):
    grain = fact(facts, "provincial_hunan_2026", "粮食播种面积稳定在7100万亩以上", 7.1e7)
    assert (grain.period_start, grain.period_end, grain.measure) == (2021, 2025, "level")
    deficit = fact(facts, "national_china_2018", "财政赤字率一直控制在3%以内", 3)
    assert (deficit.period_start, deficit.period_end) == (2013, 2017)


def test_a_sum_over_the_span_stays_a_total_of_the_span(facts):
    villages = fact(facts, "provincial_hunan_2026", "累计建成美丽乡村超1.2万个", 12000)
    assert (villages.period_start, villages.period_end, villages.measure) == (2021, 2025, "total")
    relief = fact(facts, "provincial_beijing_2026", "累计为经营主体减轻税费负担超4900亿元", 4.9e11)
    assert (relief.period_start, relief.period_end, relief.measure) == (2021, 2025, "total")


def test_list_items_without_a_verb_repeat_the_lists_measure(facts):
    tourists = [fact(facts, "provincial_hunan_2026", "分别增长10.6%、9%", v) for v in (10.6, 9)]
    assert [f.measure for f in tourists] == ["growth", "growth"]
    villages = [fact(facts, "provincial_beijing_2026", "累计创建42个示范村、22个示范片区", v) for v in (42, 22)]
    assert [f.measure for f in villages] == ["total", "total"]
    capacity = fact(facts, "national_china_2018", "煤炭产能8亿吨", 8e8)
    assert capacity.measure == "change"  # 退出钢铁产能1.7亿吨以上、煤炭产能8亿吨
    # a list item in another unit keeps its own measure: 基金规模突破500亿元、赋能项目389个
    assert fact(facts, "provincial_hunan_2026", "赋能项目389个", 389).measure == "count"


def test_relief_amounts_are_flows_not_changes(facts):
    assert shape(fact(facts, "provincial_hunan_2026", "为企业减税降费446亿元", 4.46e10)) == (
        "result", "2025", "level")
    interest = fact(facts, "national_china_2018", "降低利息负担1.2万亿元", 1.2e12)
    assert (interest.period_label, interest.measure) == ("2013-2017", "total")


def test_a_rise_over_several_years_is_a_change_not_a_growth_rate(facts):
    pensions = [fact(facts, "provincial_hunan_2026", "城乡低保标准分别提高48%、45.5%", v) for v in (48, 45.5)]
    assert [(f.period_label, f.measure) for f in pensions] == [("2021-2025", "change")] * 2
    compute = fact(facts, "provincial_hunan_2026", "增长20倍", 20)
    assert (compute.period_label, compute.measure) == ("2021-2025", "change")


def test_annual_mean_concentration_is_a_level_not_an_average_growth(facts):
    pm = fact(facts, "provincial_beijing_2026", "细颗粒物年均浓度27微克/立方米", 27)
    assert pm.measure == "level" and pm.indicator == "pm25"


def test_1990s_growth_wording_from_last_year_to_this(facts):
    text = "固定资产投资增长幅度由上年的百分之五十八点六回落到百分之二十七点八"
    before, after = fact(facts, "national_china_1995", text, 58.6), fact(facts, "national_china_1995", text, 27.8)
    assert [(f.period_label, f.measure, f.indicator) for f in (before, after)] == [
        ("1993", "growth", "fixed_investment"), ("1994", "growth", "fixed_investment")]


def test_a_step_of_the_economy_is_no_count_of_machines(facts):
    step = fact(facts, "provincial_hunan_2026", "地区生产总值迈上5万亿台阶", 5e12)
    assert (step.unit, step.period_label, step.measure, step.indicator) == ("", "2025", "level", "gdp")


def test_1990s_names_and_real_terms_wording_keep_the_indicator(facts):
    retail = fact(facts, "national_china_1995", "社会商品零售总额扣除价格因素增长百分之七点八", 7.8)
    assert (retail.indicator, retail.measure) == ("retail_sales", "growth")
    income = fact(facts, "national_china_1995", "城镇居民人均生活费收入达到３１７９元，扣除物价因素增长百分之八以上", 8)
    assert (income.indicator, income.measure, income.qualifier) == ("urban_income", "growth", "以上")


def test_sister_cities_and_computing_power_are_quantities(facts):
    assert shape(fact(facts, "provincial_hunan_2026", "国际友城达120对", 120)) == ("result", "2025", "count")
    power = fact(facts, "provincial_hunan_2026", "智能算力达4800PF", 4800)
    assert (power.unit, power.period_label, power.measure) == ("PF", "2025", "level")


def test_counts_of_the_plans_own_parts_are_counts(facts):
    indicators_set = fact(facts, "provincial_beijing_2026", "6个维度设置了29项主要指标", 29)
    assert (indicators_set.kind, indicators_set.period_label, indicators_set.measure) == (
        "target", "2026-2030", "count")
