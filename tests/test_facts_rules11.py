"""The twelfth round of fact rules (issue 10, extractor 14), written on round 12's five label files
(eval/facts/heldout12, read after they were scored once) and asserted there and on other reports: a
record (十年来最低) is no span, a rate over last year (比上年上升), a bound (低于每立方米19微克), thresholds
crossed, the plan's own indicators counted, an average over 近3年, what happened this year so far, an
English stock at a term's end. Round 13's held-out reports (eval/facts/heldout13) are not read."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_in, facts_of, meaning

REPORTS = ("provincial_liaoning_2025", "national_china_1990", "provincial_fujian_2026", "provincial_ningxia_2025",
           "provincial_shaanxi_2026", "provincial_chongqing_2026", "national_china_2013_en")


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, REPORTS)


def test_a_record_is_no_span_for_the_figures_after_it(facts):
    # 企业贷款平均利率降至十年来最低，国有大行实际贷款余额增长8.8% (the 2024 review)
    assert meaning(fact(facts, "provincial_liaoning_2025", "国有大行实际贷款余额增长8.8%", 8.8))[:2] == ("2024", "growth")


def test_a_rate_over_last_year_and_a_bound_per_unit(facts):
    assert fact(facts, "national_china_1990", "零售物价总水平比上年上升百分之十七点八", 17.8).measure == "growth"
    assert fact(facts, "provincial_fujian_2026", "城乡居民基础养老金最低标准调增11.8%", 11.8).measure == "growth"
    assert fact(facts, "provincial_fujian_2026", "PM_2.5平均浓度低于每立方米19微克", 19).measure == "level"


def test_thresholds_crossed(facts):
    assert meaning(fact(facts, "provincial_shaanxi_2026", "地区生产总值跨过3万亿元", 3e12))[:2] == ("2025", "level")
    crossed = fact(facts, "provincial_chongqing_2026", "地区生产总值五年跨过3个万亿级关口", 3)
    assert meaning(crossed)[:2] == ("2021-2025", "total")


def test_the_plans_own_indicators_are_counted(facts):
    assert fact(facts, "provincial_fujian_2026", "16个预期性指标", 16).measure == "count"


def test_an_average_over_the_recent_years_and_this_year_so_far(facts):
    average = fact(facts, "provincial_ningxia_2025", "近3年全社会研发经费投入年均增长12.8%", 12.8)
    assert meaning(average)[:2] == ("2022-2024", "avg_growth")
    assert not [f for f in facts_in(facts, "provincial_ningxia_2025", "近3年全社会研发经费投入年均增长12.8%", 3)
                if f.unit == "年"]
    assert fact(facts, "national_china_1990", "截至今年２月底，全国已撤并公司７万多个", 7e4).kind == "result"


def test_english_a_stock_now_covered_at_a_terms_end(facts):
    covered = fact(facts, "national_china_2013_en", "over 1.3 billion people are now covered", 1.3e9)
    assert meaning(covered)[:2] == ("2012", "level")


def test_the_new_plans_main_goals_and_years_of_schooling(corpus_dir):
    """Round 13 (eval/facts/heldout13, read after its one scoring): a part headed “十五五”主要目标任务
    holds the plan's goals; a plan's 主要目标 named in its own review is no period; years of schooling
    are no sum; a capacity inside a project's name is no quantity."""
    facts = facts_of(corpus_dir, ("provincial_qinghai_2026", "provincial_jilin_2025"))
    urban = fact(facts, "provincial_qinghai_2026", "常住人口城镇化率提升至67%左右", 67)
    assert meaning(urban) == ("2026-2030", "share", "target")
    schooling = fact(facts, "provincial_qinghai_2026", "新增劳动力平均受教育年限达到14.2年", 14.2)
    assert meaning(schooling)[:2] == ("2026-2030", "level")
    assert not facts_in(facts, "provincial_jilin_2025", "吉林化纤年产15万吨原丝项目投产", 1.5e5)


def test_round_14_times_in_a_year_names_shares_and_classes(corpus_dir):
    """Round 14 (eval/facts/heldout14, read after its one scoring): times in one year are a level,
    a run of years is no part of a name, 占…比重 is a share whatever the indicator, 增加至 a level
    reached, a bound naming a class counted after it is no quantity."""
    facts = facts_of(corpus_dir, ("national_china_2007", "provincial_jiangxi_2026", "provincial_guangxi_2026"))
    assert fact(facts, "national_china_2007", "三次上调金融机构存款准备金率", 3).measure == "level"
    grain = fact(facts, "provincial_jiangxi_2026", "粮食产量连续13年稳定在430亿斤以上", 4.3e10)
    assert grain.indicator == "grain_output"
    share = fact(facts, "provincial_jiangxi_2026", "民生支出占一般公共预算支出比重稳定在80%左右", 80)
    assert share.measure == "share"
    area = fact(facts, "provincial_jiangxi_2026", "人均体育场地面积增加至2.9平方米", 2.9)
    assert meaning(area)[:2] == ("2025", "level")
    assert not facts_in(facts, "provincial_guangxi_2026", "经济总量超500亿元的县域增至12个", 5e10)
    assert fact(facts, "provincial_guangxi_2026", "经济总量超500亿元的县域增至12个", 12).unit == "个"
