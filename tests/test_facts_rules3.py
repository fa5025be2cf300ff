"""The third round of fact rules (issue 10, extractor 5), each on real sentences of Henan 2026
and national 2013 (seen since round 2 was scored), following eval/facts/README.md."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_of

from assistant.corpus import load_corpus
from assistant.facts import extract_facts
from assistant.facts.store import passages_for


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, ("provincial_henan_2026", "national_china_2013", "national_china_1995"))



def meaning(f) -> tuple[str, str, str]:
    return f.period_label if f.period_start != f.period_end else str(f.period_start), f.measure, f.kind


def test_term_review_after_a_run_on_heading_speaks_of_five_years(facts):
    # 一、过去五年工作回顾 ends the opening paragraph of national 2013 (chunker 6 finds it)
    roads = fact(facts, "national_china_2013", "新建改建农村公路146.5万公里", 1.465e6)
    assert meaning(roads) == ("2008-2012", "total", "result")
    # 2012年底 opening an earlier sentence of the paragraph does not make these one year's
    assert meaning(fact(facts, "national_china_2013", "五年转移农村人口8463万人", 8.463e7))[0] == "2008-2012"
    # … but holds across a ； of its own sentence
    cars = fact(facts, "national_china_2013", "城镇居民每百户拥有家用汽车21.5辆", 21.5)
    assert meaning(cars)[:2] == ("2012", "level")


def test_bare_noun_and_number_in_a_span_review_is_the_stock_at_its_end(facts):
    for needle, value, measure in (("生产总值6.66万亿元", 6.66e12, "level"),
                                   ("国家高新技术企业1.28万家", 12800, "count"),
                                   ("农村自来水普及率97%", 97, "share"),
                                   ("国家生态文明建设示范区23个", 23, "count")):
        assert meaning(fact(facts, "provincial_henan_2026", needle, value)) == ("2025", measure, "result"), needle
    # what was done over the span stays its total (rule 2)
    for needle, value in (("治理水土流失面积6779平方公里", 6779), ("植树造林659万亩", 6.59e6)):
        assert meaning(fact(facts, "provincial_henan_2026", needle, value)) == ("2021-2025", "total", "result")


def test_each_years_amount_and_what_there_is_now(facts):
    # 每年资助金额近1000亿元，资助学生近8000万人次: a level each year of the span, not its total
    assert meaning(fact(facts, "national_china_2013", "每年资助金额近1000亿元", 1e11))[:2] == ("2008-2012", "level")
    assert meaning(fact(facts, "national_china_2013", "资助学生近8000万人次", 8e7))[:2] == ("2008-2012", "level")
    now = fact(facts, "national_china_2013", "现有1260万农村户籍孩子", 1.26e7)
    assert meaning(now)[:2] == ("2012", "level")


def test_from_to_pairs_with_per_head_words_and_now(facts):
    pension = "企业退休人员基本养老金从2004年人均每月700元提高到现在的1721元"
    assert meaning(fact(facts, "national_china_2013", pension, 700))[0] == "2004"
    assert meaning(fact(facts, "national_china_2013", pension, 1721)) == ("2012", "level", "result")
    subsidy = "财政补助标准由每人每年240元提高到280元"  # in the plans for 2013
    assert meaning(fact(facts, "national_china_2013", subsidy, 240))[::2] == ("2012", "result")
    assert meaning(fact(facts, "national_china_2013", subsidy, 280))[::2] == ("2013", "target")
    deficit = fact(facts, "national_china_2013", "财政赤字占国内生产总值的比重从2009年的2.8%降到去年的1.5%左右", 1.5)
    assert (deficit.indicator, *meaning(deficit)[:2]) == ("deficit_ratio", "2012", "level")


def test_average_after_a_from_to_runs_from_the_year_after(facts):
    text = "从2007年的248亿美元上升到2012年的772亿美元，年均增长25.5%"
    assert meaning(fact(facts, "national_china_2013", text, 25.5)) == ("2008-2012", "avg_growth", "result")


def test_measure_words(facts):
    # 增加值 is value added, no 增加; 占…比重 is a share whatever the indicator
    share = fact(facts, "provincial_henan_2026", "战略性新兴产业占规上工业增加值比重超过25%", 25)
    assert share.measure == "share"
    assert fact(facts, "provincial_henan_2026", "财政民生支出占一般公共预算支出比重73.8%", 73.8).measure == "share"
    # 低于4.6% is the ceiling of the rate itself, not a comparison with the quantity before
    jobless = fact(facts, "national_china_2013", "城镇登记失业率低于4.6%", 4.6)
    assert (jobless.indicator, *meaning(jobless)) == ("registered_unemployment", "2013", "level", "target")
    # a growth target's rate, also when the clause holding the number says only 定为
    assert fact(facts, "national_china_2013", "广义货币M2预期增长目标拟定为13%左右", 13).measure == "growth"
    assert fact(facts, "national_china_1995", "定为百分之八至九", 8).measure == "growth"
    # 分别比2007年增加2.8平方米和5.5平方米: the second keeps the verb of the first
    both = "分别比2007年增加2.8平方米和5.5平方米"
    assert {fact(facts, "national_china_2013", both, v).measure for v in (2.8, 5.5)} == {"change"}



def test_stock_or_flow_on_reports_the_rules_were_not_written_on(corpus_dir):
    corpus = load_corpus(corpus_dir)
    others = {}
    for name in ("provincial_neimenggu_2026", "provincial_shandong_2026", "national_china_2003",
                 "provincial_shanxi_2026", "provincial_hubei_2026"):
        rid = f"reports/{name}.txt"
        others[name] = (corpus.texts[rid], extract_facts(corpus.reports[rid], corpus.texts[rid],
                                                         passages_for(corpus, rid)))
    # stocks at the end of 十四五 / of the 1998-2002 term
    assert meaning(fact(others, "provincial_neimenggu_2026", "电力总装机规模3.1亿千瓦", 3.1e8))[:2] == ("2025", "level")
    assert meaning(fact(others, "provincial_shandong_2026", "国家级数字领航企业18家", 18))[:2] == ("2025", "count")
    # flows with verbs the verb list need not know (恢复, 成交), or told after the number (获批)
    span = meaning(fact(others, "national_china_2003", "恢复水面２９００平方公里", 2900))[0]
    assert span == "1998-2002"
    assert meaning(fact(others, "provincial_shanxi_2026", "成交绿证4084万张", 4.084e7))[0] != "2025"
    assert meaning(fact(others, "provincial_hubei_2026", "10个县市获批国家新型城镇化试点", 10))[0] != "2025"


def test_a_state_already_reached_in_the_plans_is_last_years(facts, corpus_dir):
    # 目前我国年度财政性教育经费支出总额已经超过2万亿元，今后还要继续增加 (plans for 2013)
    spending = fact(facts, "national_china_2013", "年度财政性教育经费支出总额已经超过2万亿元", 2e12)
    assert meaning(spending)[::2] == ("2012", "result")
    corpus = load_corpus(corpus_dir)
    rid = "reports/national_china_1997.txt"
    other = {"n": (corpus.texts[rid], extract_facts(corpus.reports[rid], corpus.texts[rid], passages_for(corpus, rid)))}
    assert meaning(fact(other, "n", "现在全国有１００多个城市建立了最低生活保障制度", 100))[::2] == ("1996", "result")
    # 实现在本世纪末… is no 现在, and a goal stays a target
    rid = "reports/national_china_1988.txt"
    other = {"n": (corpus.texts[rid], extract_facts(corpus.reports[rid], corpus.texts[rid], passages_for(corpus, rid)))}
    assert meaning(fact(other, "n", "把我国人口控制在１２亿左右的目标", 1.2e9))[2] == "target"


def test_the_past_year_with_de_is_last_year(corpus_dir):
    # 1996, in part 九、努力做好1996年的工作: 过去的一年，…国内生产总值比上年增长10.2%
    corpus = load_corpus(corpus_dir)
    rid = "reports/national_china_1996.txt"
    other = {"n": (corpus.texts[rid], extract_facts(corpus.reports[rid], corpus.texts[rid], passages_for(corpus, rid)))}
    growth = fact(other, "n", "国内生产总值比上年增长１０．２％", 10.2)
    assert (growth.indicator, *meaning(growth)) == ("gdp", "1995", "growth", "result")


def test_a_respectively_list_shares_its_verb_but_not_its_measure(corpus_dir):
    corpus = load_corpus(corpus_dir)
    got = {}
    for name in ("national_china_2011", "provincial_xizang_2025"):
        rid = f"reports/{name}.txt"
        got[name] = (corpus.texts[rid], extract_facts(corpus.reports[rid], corpus.texts[rid], passages_for(corpus, rid)))
    incomes = "城镇居民人均可支配收入和农村居民人均纯收入年均分别实际增长9.7%和8.9%"
    assert [fact(got, "national_china_2011", incomes, v).measure for v in (9.7, 8.9)] == ["avg_growth"] * 2
    # 城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内: a rate's level, a price rise
    ceilings = "城镇调查失业率、居民消费价格涨幅分别控制在5%和3%以内"
    assert [fact(got, "provincial_xizang_2025", ceilings, v).measure for v in (5, 3)] == ["level", "growth"]
