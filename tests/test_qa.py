"""The QA chain on the real shared corpus: year, region, target/result, follow-ups, refusals,
English, each checked against the exact characters of the cited report."""

from __future__ import annotations

import pytest


def _check_citations(qa, answer):
    assert answer.citations, answer.answer
    for cit in answer.citations:
        source = qa.source_text(cit.report)
        assert source[cit.start:cit.end] == cit.text
        assert source[cit.quote_start:cit.quote_end] == cit.quote
        assert cit.start <= cit.quote_start < cit.quote_end <= cit.end
        assert f"[{cit.n}]" in answer.answer


@pytest.mark.parametrize("question, report, expected", [
    ("2024年中央预算内投资拟安排多少？", "reports/national_china_2024.txt", "7000亿元"),
    ("2019年中央预算内投资安排了多少？", "reports/national_china_2019.txt", "5776亿元"),
    ("四川2025年地区生产总值增长目标是多少？", "reports/provincial_sichuan_2025.txt", "5.5%以上"),
    ("粤2025年地区生产总值预期增长多少？", "reports/provincial_guangdong_2025.txt", "5%左右"),
])
def test_year_and_region_specific(qa, question, report, expected):
    answer = qa.ask(question)
    assert answer.answerable
    assert answer.citations[0].report == report
    assert expected in answer.citations[0].quote and expected in answer.answer
    _check_citations(qa, answer)


def test_target_versus_result(qa):
    target = qa.ask("2024年城镇新增就业的预期目标是多少？")
    assert "1200万人以上" in target.answer and target.citations[0].report == "reports/national_china_2024.txt"
    result = qa.ask("2023年城镇新增就业实际完成了多少？")
    assert "1244万人" in result.answer and result.citations[0].report == "reports/national_china_2024.txt"
    _check_citations(qa, target)
    _check_citations(qa, result)


def test_followups_carry_year_region_and_topic(qa):
    first = "2024年中央预算内投资拟安排多少？"
    followup = qa.ask("那2022年呢？", [(first, qa.ask(first).answer)])
    assert followup.rewritten_question.startswith("2022年中央预算内投资")
    assert followup.citations[0].report == "reports/national_china_2022.txt"
    assert "6400亿元" in followup.answer
    first = "四川2025年地区生产总值增长目标是多少？"
    jobs = qa.ask("城镇新增就业目标呢？", [(first, qa.ask(first).answer)])
    assert jobs.citations[0].report == "reports/provincial_sichuan_2025.txt"
    assert "85万人" in jobs.answer
    _check_citations(qa, jobs)


@pytest.mark.parametrize("question, says", [
    ("2023年国务院政府工作报告提出的GDP增长目标是多少？", "资料库中没有2023年国务院政府工作报告"),
    ("成都市2025年地区生产总值增长目标是多少？", "资料库中没有成都市的政府工作报告"),
    ("2025年国务院政府工作报告的赤字率是多少？", "资料库中没有2025年国务院政府工作报告"),
])
def test_missing_reports_are_stated_not_guessed(qa, question, says):
    answer = qa.ask(question)
    assert not answer.answerable and answer.citations == []
    assert answer.answer.startswith("报告中没有找到相关内容") and says in answer.answer


def test_english_questions_get_english_answers(qa):
    answer = qa.ask("What was the GDP growth target in 2019?")
    assert answer.answerable and answer.answer.startswith("According to")
    assert answer.citations[0].report in ("reports/national_china_2019_en.txt", "reports/national_china_2019.txt")
    assert "6" in answer.citations[0].quote
    _check_citations(qa, answer)


def test_cross_year_question_answers_each_year(qa):
    answer = qa.ask("2019年和2024年的中央预算内投资各是多少？")
    reports = [c.report for c in answer.citations]
    assert reports == ["reports/national_china_2019.txt", "reports/national_china_2024.txt"]
    assert "5776亿元" in answer.answer and "7000亿元" in answer.answer
    assert [row["year"] for row in answer.table] == ["2019年", "2024年"]


def test_glossary_definition(qa):
    answer = qa.ask("长子县报告里的“四库管理”是什么意思？")
    assert answer.answerable and answer.citations[0].report == "reports/county_changzi_2024.txt"
    assert "项目谋划库" in answer.citations[0].quote


def test_long_question_is_cut_with_a_notice(qa):
    answer = qa.ask("2024年中央预算内投资拟安排多少？" + "啊" * 2000)
    assert answer.notice and "500" in answer.notice


def test_langchain_retriever_and_runnable(qa):
    from assistant.lc import GovqaRetriever, govqa_chain

    docs = GovqaRetriever(qa=qa).invoke("2024年中央预算内投资拟安排多少？")
    assert docs and all(d.metadata["report"] == "reports/national_china_2024.txt" for d in docs)
    assert any("7000亿元" in d.page_content for d in docs)
    answer = govqa_chain(qa).invoke({"question": "那2022年呢？",
                                     "history": [["2024年中央预算内投资拟安排多少？", "7000亿元"]]})
    assert answer.citations[0].report == "reports/national_china_2022.txt"


def test_indicator_over_the_years_is_a_cited_table(qa):
    answer = qa.ask("历年GDP增长目标是多少？")
    rows = {row["year"]: row for row in answer.table}
    assert rows[2014]["target"] == "7.5%左右" and rows[2024]["target"] == "5%左右"
    assert rows[2019]["target"] == "6–6.5%" and rows[2015]["result"] == "6.9%"
    assert 2023 not in rows  # no 2023 report: no invented row
    _check_citations(qa, answer)
    cited = answer.citations[rows[2024]["target_n"] - 1]
    assert cited.report == "reports/national_china_2024.txt" and "5%左右" in cited.quote


def test_report_delivery_questions_and_lookalikes(qa):
    who = qa.ask("2024年的政府工作报告由哪位总理作的？")
    assert "李强" in who.answer and who.citations[0].report == "reports/national_china_2024.txt"
    _check_citations(qa, who)
    # 第几届 about an expo is not a question about the meeting the report was delivered at
    expo = qa.ask("上海2026年报告回顾的2025年进博会是第几届？")
    assert "人民代表大会" not in expo.answer


def test_a_figure_asked_is_not_answered_by_a_sentence_without_one(qa):
    # 2018: 提高个人所得税起征点，增加子女教育、大病医疗等专项费用扣除 — the report names the raise, not
    # the new threshold: a question for the figure is refused, not answered with that sentence
    answer = qa.ask("2018年政府工作报告把个人所得税起征点提高到每月多少元？")
    assert not answer.answerable and answer.answer.startswith("报告中没有找到相关内容")
    figure = qa.ask("2024年政府工作报告里国内生产总值增长预期目标是多少？")
    assert figure.answerable and "5%左右" in figure.answer


def test_a_sentence_whose_figures_hold_for_another_year_or_kind_does_not_answer(qa):
    # Hunan's 2025 report reviews 2024 without a growth rate; its `地区生产总值增长5.5%左右` is
    # 2025's target, no answer to 2024's result
    hunan = qa.ask("湖南2024年地区生产总值实际增速是多少？")
    assert not hunan.answerable
    # each year of a two-year question gets its own year's figure, not 2024's result twice
    qinghai = qa.ask("青海2024年经济实际增长多少？2025年的增长目标是多少？")
    assert "2.7%" in qinghai.answer and "4.5%左右" in qinghai.answer
    # a percentage asked: a level (迈上14万亿元新台阶) is no answer
    guangdong = qa.ask("广东2024年地区生产总值实际增长了百分之几？")
    assert not guangdong.answerable


def test_spans_asked_in_english_get_the_span_figure(qa):
    # a change over a span told by its two ends (2013_en: rose from 45.9% to 52.6%)
    ends = qa.ask("How much did the urbanization level change from 2008 to 2012, per the 2013 report?")
    assert "45.9%" in ends.answer and "52.6%" in ends.answer
    # `fall` asks the change of an intensity, not its level
    fell = qa.ask("By how much did energy intensity (energy use per unit of GDP) fall over the 12th Five-Year Plan period?")
    assert "18.2%" in fell.answer
    # a plan period that is over: what it achieved (7.8%) before what it set (7%)
    achieved = qa.ask("What was China's average annual GDP growth during the 12th Five-Year Plan period?")
    assert "7.8%" in achieved.answer and "target" not in achieved.answer.split("[1]")[0]


def test_facts_of_one_place_are_what_matching_keeps_of_all(qa):
    """QA.facts_for/facts_after narrowed to a place (FactsIndex.by_place) give what `matching`
    keeps of every place's facts, in the same order: the routes look at one place's facts only."""
    from assistant.facts.lookup import matching

    for indicator in ("gdp", "urban_new_jobs", "cpi"):
        for where in ({"regions": ["guangdong"], "level": "provincial"}, {"level": "national"},
                      {"regions": ["changzi"]}, {"level": "county"}):
            assert matching(qa.facts_for(indicator, **where), indicator, **where) == matching(
                qa.facts_for(indicator), indicator, **where)
            for year in (2024, 2025):
                assert matching(qa.facts_for(indicator, year, **where), indicator, **where) == matching(
                    qa.facts_for(indicator, year), indicator, **where)
                narrowed = qa.facts_after(indicator, year, **where)
                assert narrowed == [f for f in qa.facts_after(indicator, year) if f in set(narrowed)]
                assert matching(narrowed, indicator, **where) == matching(qa.facts_after(indicator, year), indicator, **where)


def test_facts_of_one_report_are_what_its_years_facts_hold_of_it(qa):
    """QA.facts_in_report (FactsIndex.by_report) gives, for every indicator and report of the
    real ledger, what that report's year's facts hold of the report, in the same order (the
    figure routes looked through every report of the year: 16 at 16×)."""
    pairs = {(f.indicator, f.report) for f in qa.facts.by_indicator.get("gdp", [])}
    pairs |= {(f.indicator, f.report) for facts in list(qa.facts.by_indicator.values())[:40] for f in facts}
    assert len(pairs) > 200
    for indicator, report_id in pairs:
        year = qa.store.reports[report_id].year
        assert qa.facts_in_report(indicator, report_id) == [
            f for f in qa.facts_for(indicator, year) if f.report == report_id]
    assert qa.facts_in_report("gdp", "reports/no_such_report.txt") == []
