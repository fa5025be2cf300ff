"""The fifth round's period and measure rules (issue 10, extractor 10), each checked on every
report (coverage --diff) and tested here on real sentences of reports other than the held-out
pair (Shaanxi 2026, national 1992); Shandong 2026 and national 1998 are the round's training pair."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_in, facts_of, meaning

REPORTS = ("national_china_1998", "provincial_shandong_2026", "provincial_sichuan_2026", "provincial_guangdong_2026",
           "provincial_shanxi_2026", "provincial_shanghai_2026", "provincial_zhejiang_2025",
           "provincial_guizhou_2025", "provincial_hainan_2026", "national_china_2001", "national_china_2003",
           "national_china_2008", "provincial_hebei_2026", "provincial_hubei_2026", "provincial_ningxia_2026")


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, REPORTS)


def test_spaced_digits_are_read_and_spans_index_the_text(facts):
    text, _ = facts["national_china_1998"]
    gdp = fact(facts, "national_china_1998", "1 9 9 7 年国内生产总值达到7 4 7 7 2 亿元", 7.4772e12)
    assert text[gdp.value_start:gdp.value_end] == gdp.value_text == "7 4 7 7 2 亿元"
    assert (gdp.indicator, meaning(gdp)) == ("gdp", ("1997", "level", "result"))
    assert fact(facts, "national_china_1998", "去年经济增长8 ．8 ％", 8.8).measure == "growth"
    assert fact(facts, "national_china_1998", "经济增长速度8 ％", 8).kind == "target"


def test_an_annual_average_in_a_review_holds_for_the_span(facts):
    # 1998: 1997年国内生产总值达到74772亿元，…按可比价格计算，平均每年增长11% (the term 1993-1997)
    assert meaning(fact(facts, "national_china_1998", "平均每年增长1 1 ％", 11)) == ("1993-1997", "avg_growth", "result")
    assert meaning(fact(facts, "national_china_2001", "平均每年增长16.5％", 16.5))[:2] == ("1996-2000", "avg_growth")
    # 比五年前增加5000万吨: a change over the five years
    assert meaning(fact(facts, "national_china_1998", "比五年前增加5 0 0 0 万吨", 5e7))[:2] == ("1993-1997", "change")


def test_from_to_years(facts):
    # 由A增至B: 经营主体从689万户增至951万户 (十四五 review): 2020 and 2025
    assert meaning(fact(facts, "provincial_sichuan_2026", "经营主体从689万户增至951万户", 6.89e6))[0] == "2020"
    assert meaning(fact(facts, "provincial_ningxia_2026", "人均地区生产总值从5.6万元增至7.8万元", 7.8e4))[0] == "2025"
    # a from-value with no year takes the base year of the sentence's earlier from-to
    assert meaning(fact(facts, "national_china_2003", "出口总额由１８２８亿美元", 1.828e11))[0] == "1997"
    assert meaning(fact(facts, "national_china_2008", "农村居民人均纯收入由2476元", 2476))[0] == "2002"
    assert meaning(fact(facts, "provincial_hebei_2026", "一般公共预算收入从3826.5亿元", 3.8265e11))[0] == "2020"
    # and its to-value the year reviewed (Shandong: 由2020年的7.2%提升至7.4%，在北方地区占比由20.5%提升至21.1%)
    assert meaning(fact(facts, "provincial_shandong_2026", "在北方地区占比由20.5%提升至21.1%", 21.1))[0] == "2025"
    # not 从1999年起 (2003: 高等学校从1999年起连续扩大招生规模，高考录取率从36%提高到59%)
    assert meaning(fact(facts, "national_china_2003", "高考录取率从３６％", 36))[0] != "1999"


def test_stocks_reached_at_a_spans_end(facts):
    # reaching down: 城乡居民收入比降至2.2 (a ratio: share), 人口自然增长率降到６．４５‰
    assert meaning(fact(facts, "provincial_sichuan_2026", "城乡居民收入比降至2.2", 2.2))[:2] == ("2025", "share")
    assert meaning(fact(facts, "national_china_2003", "人口自然增长率降到６．４５‰", 6.45))[:2] == ("2002", "level")
    # a contribution rate is no flow: 高技术制造业对规上工业增长贡献率达到35.6%
    assert meaning(fact(facts, "provincial_hubei_2026", "高技术制造业对规上工业增长贡献率达到35.6%", 35.6))[0] == "2025"
    # N%的X at the head of its clause
    assert meaning(fact(facts, "provincial_hainan_2026", "96.2%的养老机构开展医养结合", 96.2))[0] == "2025"
    assert meaning(fact(facts, "provincial_shandong_2026", "61%的城市污水处理厂完成提标改造", 61))[0] == "2025"


def test_a_span_before_its_verb_and_a_rise_against_a_base(facts):
    # 常住人口城镇化率五年提高3.89个百分点 is labelled 2021-2025 in Guangxi 2026; here national 2003
    assert meaning(fact(facts, "national_china_2003", "仅此一项五年增加４８９亿元", 4.89e10))[0] == "1998-2002"
    # not a year written in Chinese numerals (一九五四年增长) — national 2001 has none; the rise
    # against a named base stays a change of the span: 比1997年 (2001: 为1997年的2.9倍 is a share)
    assert meaning(fact(facts, "national_china_2001", "为1997年的2.9倍", 2.9))[:2] == ("1998-2000", "share")


def test_things_added_and_counted(facts):
    # 增加 in count units with no comparison: the span's total, or the year's count
    assert meaning(fact(facts, "provincial_guangdong_2026", "基础教育公办学位增加326万个", 3.26e6))[:2] == (
        "2021-2025", "total")
    assert meaning(fact(facts, "provincial_shanxi_2026", "增加1万个普通高中学位", 1e4)) == ("2026", "count", "target")
    assert fact(facts, "national_china_1998", "高速公路增加4 0 8 3 公里", 4083).measure == "total"
    # while a comparison keeps the change: 比五年前增加 (above)
    assert fact(facts, "provincial_shandong_2026", "每年实施20项重点民生实事", 20).measure == "count"


def test_a_bound_classing_things_is_no_quantity(facts):
    assert not facts_in(facts, "provincial_shanghai_2026", "开工建设10亿元以上重大产业项目47个", 1e9)
    assert fact(facts, "provincial_shanghai_2026", "开工建设10亿元以上重大产业项目47个", 47).unit == "个"
    assert not facts_in(facts, "provincial_zhejiang_2025", "为全省60岁以上老年人", 60)
    assert not facts_in(facts, "provincial_shandong_2026", "投资2000万元以上的技改项目3000个", 2e7)
    # counts and shares of things stay: 实施20项以上重大科技项目
    assert fact(facts, "provincial_guizhou_2025", "实施20项以上重大科技项目", 20).measure == "count"


def test_one_number_shared_by_a_list_of_things(facts):
    # labels5 (Shandong): 游客人数、旅游收入均增长10%以上 — one fact per name, each from its own name
    both = facts_in(facts, "provincial_shandong_2026", "游客人数、旅游收入均增长10%以上", 10)
    assert sorted(f.indicator_text for f in both) == ["旅游收入", "游客人数"]
    assert {meaning(f) for f in both} == {("2025", "growth", "result")}
    three = facts_in(facts, "provincial_shandong_2026", "国家现代农业产业园、优势特色产业集群、地理标志保护示范区分别增加2个", 2)
    assert len(three) == 3 and {f.measure for f in three} == {"count"}
    text, _ = facts["provincial_shandong_2026"]
    assert all(text[f.start:f.end] == f.text for f in three)
    # a share of the group is one figure (风电、光伏发电量占比达43.3%: Guizhou 2026, not loaded here);
    # a plain list before a count too: 改造村卫生室1.7万家、农村危房6000户以上 are two quantities
    assert len(facts_in(facts, "provincial_shandong_2026", "改造村卫生室1.7万家、农村危房6000户以上", 6000)) == 1


@pytest.fixture(scope="module")
def old(corpus_dir):
    return facts_of(corpus_dir, ("national_china_1978", "national_china_1982", "national_china_1959"))


def test_years_in_chinese_numerals(old):
    # 1978: 到一九八五年，粮食产量达到八千亿斤，钢产量六千万吨 (dev-034): the deadline's levels
    grain = fact(old, "national_china_1978", "粮食产量达到八千亿斤", 8e11)
    assert (meaning(grain), grain.indicator) == (("1978-1985", "level", "target"), "grain_output")
    assert meaning(fact(old, "national_china_1978", "钢产量六千万吨", 6e7))[1] == "level"
    # 1982: 一九八一年比一九八○年增长百分之十四点一 is 1981's result (the report's plans are 1982's)
    assert meaning(fact(old, "national_china_1982", "一九八一年比一九八○年增长百分之十四点一", 14.1))[0] == "1981"
    # 1959: 比一九五二年的五万八千人增长两倍: the base year's level, and the rise over the years since
    base = fact(old, "national_china_1959", "比一九五二年的五万八千人增长两倍", 5.8e4)
    assert meaning(base)[:2] == ("1952", "level")


def test_population_in_passing_and_names_with_numbers(facts):
    # 在我们这样一个近１３亿人口的国家 (2003, labelled population 2002 level)
    people = fact(facts, "national_china_2003", "近１３亿人口", 1.3e9)
    assert (people.indicator, meaning(people)[:2]) == ("population", ("2002", "level"))
    # 1990s-2000s wording of the income indicators
    assert fact(facts, "national_china_2003", "由１９９７年的５１６０元", 5160).indicator == "urban_income"
    # PM_2.5 (Guangxi 2026 writes the underscore): 2.5 is part of the name
    assert not facts_in(facts, "provincial_shandong_2026", "PM2.5平均浓度降到32", 2.5)
