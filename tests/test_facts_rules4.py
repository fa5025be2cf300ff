"""The fourth round of fact rules (issue 10, extractor 6), each on real sentences of reports
other than the next unseen pair (Jilin 2026 and national 2008 are seen since round 3 was scored),
following eval/facts/README.md."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_in, facts_of, meaning

REPORTS = ("provincial_jilin_2026", "provincial_qinghai_2026", "provincial_anhui_2026",
           "provincial_shandong_2026", "provincial_shaanxi_2026", "provincial_heilongjiang_2026",
           "national_china_2008", "national_china_1986", "national_china_2010", "national_china_2015")


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, REPORTS)




def test_the_closing_year_of_a_plan_is_one_year_not_the_plan(facts):
    # 2025年是“十四五”收官之年，…地区生产总值增长5%: the year's growth, not the plan's rise
    assert meaning(fact(facts, "provincial_jilin_2026", "地区生产总值增长5%，", 5)) == ("2025", "growth", "result")
    qinghai = fact(facts, "provincial_qinghai_2026", "全体居民人均可支配收入增长5.1%", 5.1)
    assert meaning(qinghai) == ("2025", "growth", "result")
    # 今年是“十五五”开局之年 … 地区生产总值增长5%左右: this year's target
    assert meaning(fact(facts, "provincial_jilin_2026", "地区生产总值增长5%左右", 5)) == ("2026", "growth", "target")


def test_a_plan_after_a_comparison_word_is_the_base_not_the_period(facts):
    doubled = fact(facts, "provincial_jilin_2026", "营业收入较“十三五”末期翻一番", 100)
    assert meaning(doubled)[0] == "2021-2025"
    # and the sentences after it keep the 十四五 review (民营经济经营主体数量增长21%)
    assert meaning(fact(facts, "provincial_jilin_2026", "民营经济经营主体数量增长21%", 21))[0] == "2021-2025"
    assert meaning(fact(facts, "provincial_shaanxi_2026", "每万人高价值发明专利拥有量增长1.8倍", 1.8)) == (
        "2021-2025", "change", "result")
    # 1986: the 七五 plan's investment, 比“六五”期间增加百分之八十七
    assert meaning(fact(facts, "national_china_1986", "比“六五”期间增加百分之八十七", 87)) == (
        "1986-1990", "change", "target")


def test_named_years_and_recent_years_are_spans_of_their_clause(facts):
    assert meaning(fact(facts, "national_china_2008", "是1950年到2002年53年的总和", 53))[0] == "1950-2002"
    # the span does not carry past its clause: the next items are the term's totals
    assert meaning(fact(facts, "national_china_2008", "新增公路19.2万公里", 1.92e5)) == ("2003-2007", "total", "result")
    assert meaning(fact(facts, "national_china_2008", "中央财政对地方的转移支付累计4.25万亿元", 4.25e12))[0] == "2003-2007"
    assert meaning(fact(facts, "provincial_jilin_2026", "近3年提升21个百分点", 21))[0] == "2023-2025"
    revenue = fact(facts, "provincial_jilin_2026", "3年增长58.6%", 58.6)
    assert (revenue.indicator, meaning(revenue)) == ("budget_revenue", ("2023-2025", "change", "result"))
    assert facts_in(facts, "provincial_jilin_2026", "3年增长58.6%", 3) == []  # 3年 is no quantity
    assert meaning(fact(facts, "provincial_shandong_2026", "5年增长18.7%", 18.7))[0] == "2021-2025"


def test_a_gap_against_the_nation_takes_the_period_of_what_it_compares(facts):
    gap = fact(facts, "provincial_jilin_2026", "高于全国平均水平18.3个百分点", 18.3)
    assert meaning(gap) == ("2025", "pp_change", "result")
    retail = fact(facts, "provincial_jilin_2026", "社会消费品零售总额增幅高于全国0.2个百分点", 0.2)
    assert retail.indicator == "retail_sales"  # named in its own segment, not the figure before
    assert fact(facts, "provincial_heilongjiang_2026", "对俄进出口增速高于全国8.4个百分点", 8.4).indicator == "foreign_trade"
    assert meaning(fact(facts, "provincial_anhui_2026", "优于全国约1个百分点", 1))[0] == "2025"


def test_both_ends_of_a_fall_or_rise_keep_their_own_year(facts):
    start = fact(facts, "provincial_anhui_2026", "社会物流总费用与GDP的比率从14.7%降至13%左右", 14.7)
    end = fact(facts, "provincial_anhui_2026", "社会物流总费用与GDP的比率从14.7%降至13%左右", 13)
    assert (meaning(start)[0], meaning(end)[0]) == ("2020", "2025")
    # 由去年的A增加到B: last year's result and this year's target
    low = fact(facts, "national_china_2015", "赤字率从去年的2.1%提高到2.3%", 2.1)
    high = fact(facts, "national_china_2015", "赤字率从去年的2.1%提高到2.3%", 2.3)
    assert (meaning(low), meaning(high)) == (("2014", "level", "result"), ("2015", "level", "target"))
    assert meaning(fact(facts, "national_china_2008", "将由去年的1076亿元增加到1562亿元", 1.562e11))[::2] == (
        "2008", "target")


def test_proposed_in_the_review_is_this_years(facts):
    proposed = fact(facts, "national_china_2008", "拟增加中央预算稳定调节基金1032亿元", 1.032e11)
    assert meaning(proposed) == ("2008", "level", "target")
    assert meaning(fact(facts, "national_china_2008", "削减财政赤字450亿元", 4.5e10))[::2] == ("2007", "result")


def test_runs_and_durations_in_years(facts):
    assert meaning(fact(facts, "national_china_2008", "全国粮食连续四年增产", 4)) == ("2004-2007", "level", "result")
    assert meaning(fact(facts, "provincial_jilin_2026", "连续45年无重大森林火灾", 45))[0] == "1981-2025"
    assert meaning(fact(facts, "national_china_2008", "再连续三年进一步提高", 3)) == ("2008-2010", "level", "target")
    # 在连续６年增产增收之后 in the plans of 2010: the six years before
    assert meaning(fact(facts, "national_china_2010", "在连续６年增产增收之后", 6)) == ("2004-2009", "level", "result")
    took = fact(facts, "national_china_2008", "用两年时间将筹资标准", 2)
    assert meaning(took) == ("2008-2009", "level", "target")


def test_doublings_satellites_medals_and_concentrations_are_quantities(facts):
    # 翻三番 is three doublings (x8, +700%), 实现倍增 one (rule 5 and NOTES-round3 §2)
    assert meaning(fact(facts, "provincial_jilin_2026", "利润翻三番", 700))[1] == "change"
    assert meaning(fact(facts, "provincial_jilin_2026", "生态渔业产值突破350亿元、实现倍增", 100))[1] == "change"
    satellites = fact(facts, "provincial_jilin_2026", "“吉林一号”组网卫星增至144颗", 144)
    assert (satellites.unit, meaning(satellites)[1]) == ("颗", "count")
    assert fact(facts, "provincial_jilin_2026", "冬夏项目共获得48枚金牌", 48).unit == "枚"
    # a concentration set for 十五五 is a level, not a total of the span
    soil = fact(facts, "provincial_jilin_2026", "全省土壤有机质平均含量28克/千克", 28)
    assert (soil.unit, meaning(soil)) == ("克/千克", ("2026-2030", "level", "target"))


def test_an_amount_after_growth_is_a_change_and_average_increase_is_avg_growth(facts):
    assert meaning(fact(facts, "provincial_jilin_2026", "资产资源规模增长3.8万亿元", 3.8e12))[1] == "change"
    assert meaning(fact(facts, "provincial_jilin_2026", "最低工资标准年均增幅3.94%", 3.94))[1] == "avg_growth"
    logistics = fact(facts, "provincial_jilin_2026", "社会物流总费用与GDP比率降低至13.6%左右", 13.6)
    assert meaning(logistics)[1] == "share"
    merged = fact(facts, "provincial_jilin_2026", "省属一级企业由66户整合至12户", 12)
    assert meaning(merged) == ("2025", "count", "result")


def test_money_put_in_over_a_term_is_its_total(facts):
    spent = fact(facts, "national_china_2008", "五年中央财政用于科技的投入达到3406亿元", 3.406e11)
    assert meaning(spent) == ("2003-2007", "total", "result")
    # a stock reached at the term's end stays its last year's (rule 1)
    assert meaning(fact(facts, "national_china_2008", "全国财政收入达到5.13万亿元", 5.13e12))[:2] == ("2007", "level")


def test_ranks_are_no_quantities_and_kinds_are_counted(facts):
    assert facts_in(facts, "provincial_jilin_2026", "创新能力综合指标排名提升7位", 7) == []
    diseases = fact(facts, "national_china_2008", "国家规划免疫预防的疾病由7种扩大到15种", 15)
    assert (diseases.unit, meaning(diseases)) == ("种", ("2007", "count", "result"))
    # 用两年时间…由每人每年50元提高到100元: the new standard holds from this year into the next
    assert meaning(fact(facts, "national_china_2008", "用两年时间将筹资标准由每人每年50元提高到100元", 100))[0] == "2008-2009"
