"""Question understanding and follow-up rewriting (pure functions, no index needed)."""

from __future__ import annotations

import pytest

from assistant.types import Report
from assistant.understand import (
    canonical_terms,
    local_places,
    parse_question,
    resolve_relative,
    rewrite,
    understand,
)
from assistant.understand.asks import enumeration_size


@pytest.mark.parametrize("question, years, span", [
    ("2019年赤字率是多少？", [2019], None),
    ("二〇一九年赤字率是多少？", [2019], None),
    ("19年赤字率是多少？", [2019], None),
    ("2019到2024年赤字率", [2019, 2024], (2019, 2024)),
    ("What was the deficit in 2019?", [2019], None),
])
def test_years(question, years, span):
    c = parse_question(question)
    assert c.years == years and c.year_span == span


@pytest.mark.parametrize("question, regions, level", [
    ("四川2025年地区生产总值增长目标是多少？", ["sichuan"], "provincial"),
    ("川2025年GDP目标", ["sichuan"], "provincial"),
    ("晋今年粮食产量目标", ["shanxi"], "provincial"),
    ("内蒙古2026年经济增长目标", ["neimenggu"], "provincial"),
    ("What is Guangdong's GDP target?", ["guangdong"], "provincial"),
    ("国务院2024年赤字率", [], "national"),
    ("京津冀协同发展有什么新举措？", [], ""),  # 京 inside a topic word is not Beijing
])
def test_regions_and_level(question, regions, level):
    c = parse_question(question)
    assert c.regions == regions and c.level == level


def test_county_and_unknown_places():
    # local places come from the corpus's reports, never from a constant
    county = Report(id="reports/county_changzi_2024.txt", title="2024年长子县政府工作报告（节选）", level="county",
                    region="changzi", region_name="山西省长治市长子县", year=2024, language="zh")
    city = Report(id="uploads/test.txt", title="2025年测试市政府工作报告", level="city", region="ceshi",
                  region_name="测试市", year=2025, language="zh")
    places = local_places([county, city])
    assert [p.name for p in places] == ["长子县", "测试市"]
    c = parse_question("长子县今年要完成多少户集中供暖？", places=places)
    assert (c.county, c.local_region, c.level) == ("长子县", "changzi", "county")
    assert parse_question("测试市2025年GDP增长目标是多少？", places=places).local_region == "ceshi"
    assert parse_question("长子县今年要完成多少户集中供暖？").county == ""  # a corpus without it
    assert parse_question("成都市2025年GDP增长目标是多少？", places=places).unknown_place == "成都市"
    # words before 区/县/市 that are no place: 开发区, 直辖市; 县里 is the county level
    assert parse_question("开发区今年要实施的重点项目总投资是多少？").unknown_place == ""
    assert parse_question("今年县里要完成多少户散煤清零改造？").level == "county"


@pytest.mark.parametrize("question, intent", [
    ("2024年城镇新增就业目标是多少？", "target"),
    ("2023年城镇新增就业实际完成了多少？", "result"),
    ("今年计划新增多少就业？", "target"),
    ("What was the GDP growth target in 2019?", "target"),
    ("How much did GDP actually grow in 2019?", "result"),
])
def test_target_or_result(question, intent):
    assert parse_question(question).intent == intent


def test_relative_years_follow_the_newest_report_in_scope():
    c = parse_question("长子县今年要完成多少户集中供暖？")
    assert c.years == [] and c.relative == "今年"
    resolve_relative(c, 2024)
    assert c.years == [2024]
    last = parse_question("四川去年地区生产总值增长了多少？")
    resolve_relative(last, 2026)
    assert last.years == [2025] and last.intent == "result"


def test_named_report_year():
    c = parse_question("按1959年的报告，1958年钢产量达到了多少？")
    assert c.report_year == 1959
    assert parse_question("2019年和2018年政府工作报告的赤字率分别是多少？").report_year is None
    assert parse_question("In the 2013 report, how fast did GDP grow in 2012?").report_year == 2013


@pytest.mark.parametrize("history, question, expected", [
    ([("2024年中央预算内投资拟安排多少？", "7000亿元")], "那2022年呢？", "2022年中央预算内投资拟安排多少？"),
    ([("四川2025年地区生产总值增长目标是多少？", "5.5%以上")], "城镇新增就业目标呢？", "四川省2025年城镇新增就业目标呢？"),
    ([("四川2025年地区生产总值增长目标是多少？", "…")], "那广东呢？", "广东省2025年地区生产总值增长目标是多少？"),
    ([("What is Sichuan's GDP growth target for 2025?", "…")], "What about Guangdong?", "What is Guangdong's GDP growth target for 2025?"),
    ([("2024年国内生产总值增长目标是多少？", "…")], "单位GDP能耗要降多少？", "2024年单位GDP能耗要降多少？"),
    ([], "那2022年呢？", "那2022年呢？"),
])
def test_followups_are_rewritten_without_an_llm(history, question, expected):
    assert rewrite(question, history) == expected


def test_pronoun_followup_carries_the_topic():
    standalone = rewrite("它们总投资是多少？", [("长子县开发区有哪些重点项目？", "…")])
    assert "开发区" in standalone and "总投资" in standalone


def test_synonyms_map_peoples_words_to_the_reports_words():
    assert "生产总值增长" in canonical_terms("2019年经济增长目标是多少？")
    assert canonical_terms("国内生产总值增长多少") == "国内生产总值增长多少"


@pytest.mark.parametrize("question, period", [
    ("十五五时期地区生产总值年均增长目标是多少？", (2026, 2030)),  # 十五五, never the 十五 inside it
    ("“十五”期间粮食产量增加了多少？", (2001, 2005)),
    ("八五期间国民生产总值年均增长多少？", (1991, 1995)),  # older plans come from the same table
    ("十四五期间城镇新增就业多少？", (2021, 2025)),
    ("2024年GDP增长目标是多少？", None),
])
def test_five_year_plans_read_from_the_one_table(question, period):
    assert understand(question).period == period


@pytest.mark.parametrize("question, size", [
    ("2010年报告注释里应对国际金融危机的一揽子计划包括哪四个方面？", 4),
    ("提出了哪两项改革？", 2),
    ("Which three tasks did the 2019 report list?", 3),
    ("有哪些措施？", 0),
])
def test_asked_counts_read_by_the_numbers_reader(question, size):
    assert enumeration_size(question) == size


@pytest.mark.parametrize("question, period", [
    ("What was average annual GDP growth during the 11th Five-Year Plan period?", (2006, 2010)),
    ("What did the 13th Five-Year Plan aim for?", (2016, 2020)),
    ("The 14th Five-Year Plan's goals?", (2021, 2025)),  # not every five years from 1953: 1963–65 had none
])
def test_english_plan_ordinals_from_the_plan_table(question, period):
    assert understand(question).period == period


@pytest.mark.parametrize("question, kind, period", [
    # a plan's name is no target cue: what was asked of it the rest of the question says
    ("What was China's average annual GDP growth during the 12th Five-Year Plan period?", "", (2011, 2015)),
    ("What GDP growth target did the 12th Five-Year Plan set?", "target", (2011, 2015)),
    ("“十一五”时期国内生产总值年均实际增长多少？", "result", (2006, 2010)),
    # two years around an average are one span's ends; around a comparison, two years
    ("Between 2013 and 2017, at what average annual rate did China's GDP grow?", "result", (2013, 2017)),
    # the five years a named report reviews
    ("Over the five years reviewed in the 2013 report, what was China's average annual GDP growth?", "", (2008, 2012)),
])
def test_plan_names_spans_between_years_and_a_reports_five_years(question, kind, period):
    query = understand(question)
    assert (query.kind, query.period) == (kind, period)


def test_two_years_compared_stay_two_years():
    query = understand("Compare China's GDP growth between 2013 and 2017")
    assert query.period is None and set(query.years) == {2013, 2017}


@pytest.mark.parametrize("question, kind, years, period, indicators", [
    # a year in apposition to its plan is that year
    ("What GDP growth target was set for 2011, the first year of the 12th Five-Year Plan?", "target", (2011,), None, ("gdp",)),
    ("How much did GDP grow in 2015, the last year of the 12th Five-Year Plan?", "result", (2015,), None, ("gdp",)),
    # the plan asked for itself keeps its span
    ("What was the GDP growth target of the 13th Five-Year Plan set in 2016?", "target", (2016,), (2016, 2020), ("gdp",)),
    # a past passive tells what was done; `altogether` adds up
    ("How many new urban jobs were added in 2018?", "result", (2018,), None, ()),
    ("Between 2013 and 2017, how many new urban jobs were added altogether?", "result", (2013, 2017), (2013, 2017), ()),
    ("What deficit ratio was planned for 2019?", "target", (2019,), None, ("deficit_ratio",)),
    # the measure's word inside 经济增长 still names GDP
    ("四川“十四五”期间经济年均增长多少？", "", (), (2021, 2025), ("gdp",)),
    ("青海2024年经济实际增长多少？", "result", (2024,), None, ("gdp",)),
])
def test_years_beside_plans_past_passives_and_measures_inside_names(question, kind, years, period, indicators):
    query = understand(question)
    assert (query.kind, query.years, query.period) == (kind, years, period)
    assert set(indicators) <= set(query.indicators)


@pytest.mark.parametrize("question, kind", [
    ("1998年国内生产总值实际增长了多少，预定目标又是多少？", ""),  # both asked
    ("2016年GDP增长目标定的6.5%到7%，当年实际增长了多少？", "result"),  # the target told, the result asked
])
def test_kind_from_the_clauses_that_ask(question, kind):
    assert understand(question).kind == kind
