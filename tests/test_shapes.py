"""Answers shaped beyond one sentence (issue 13), on the real corpus: a note's whole entry, every
item of a list, a reason, what a report said about a topic, and English over the translations
and over Chinese reports (a gloss beside the quote). Each quote is checked to be exact."""

from __future__ import annotations

import pytest

from assistant.glossary import entries_of, term_of
from assistant.routes.enumeration import items_after
from assistant.understand import understand
from assistant.understand.asks import defined_term, enumeration_size, shape_asked


def _exact(qa, answer) -> None:
    for cit in answer.citations:
        source = qa.source_text(cit.report)
        assert source[cit.quote_start:cit.quote_end] == cit.quote
        assert cit.start <= cit.quote_start and cit.quote_end <= cit.end


@pytest.mark.parametrize("question, shape", [
    ("2012年报告附注里的“云计算”指的是什么？", "definition"),
    ("What does the term “two new programs” mean?", "definition"),
    ("2009年报告为什么要实行积极的财政政策？", "reason"),
    ("Why did the 2016 report cut overcapacity?", "reason"),
    ("2010年报告注释中的一揽子计划主要包括哪四个方面？", "list"),
    ("What are the main tasks for 2019?", "list"),
    ("2024年政府工作报告对新质生产力是怎么说的？", "open"),
    ("What did the 2020 report say about poverty alleviation?", "open"),
    ("2024年国内生产总值增长目标是多少？", ""),
])
def test_shape_of_the_question(question, shape):
    assert shape_asked(question) == shape


def test_a_figure_question_keeps_its_route_and_a_list_of_provinces_stays_a_table():
    assert understand("2024年国内生产总值增长目标是多少？").intent == "value"
    assert understand("2026年哪些省份GDP增长目标高于5.5%？").intent == "regions"
    assert understand("What did the 2020 report say about poverty alleviation?").intent == "open"


def test_the_term_asked_and_the_count_asked():
    assert defined_term("2012年报告附注里的“云计算”指的是什么？") == "云计算"
    assert defined_term("四川报告中说的两新是指什么？") == "两新"
    assert defined_term("What does new quality productive forces mean?") == "new quality productive forces"
    assert enumeration_size("主要包括哪四个方面？") == 4
    assert enumeration_size("What are the three tasks?") == 3


def test_glossary_terms_of_every_note_style(qa):
    assert term_of("１、应对国际金融危机的一揽子计划：是指我国") == "应对国际金融危机的一揽子计划"
    assert term_of("［4］三张“零关税”清单： 原辅料") == "三张“零关税”清单"
    assert term_of("- 1.15项城乡一体化工作:**即教育") == "15项城乡一体化工作"
    assert term_of("2025年省十件民生实事 一、为老年人提供健康管理") == ""
    terms = {(qa.store.passages[e.row].report, e.term) for e in entries_of(qa.store.passages)}
    # the 2012 national report's notes are headed 附注: found since chunker version 5
    assert ("reports/national_china_2012.txt", "云计算") in terms
    assert ("reports/provincial_hainan_2026.txt", "一降三减") in terms


def test_a_note_is_quoted_whole(qa):
    answer = qa.ask("2012年报告附注里的“云计算”指的是什么？")
    assert answer.answerable and len(answer.citations) == 1
    quote = answer.citations[0].quote
    assert quote.startswith("2.云计算") and quote.endswith("通过互联网进行流通。")  # the entry's last sentence
    _exact(qa, answer)


def test_every_item_of_a_note_listing_four_aspects(qa):
    answer = qa.ask("2010年报告注释中的“应对国际金融危机的一揽子计划”主要包括哪四个方面？")
    assert answer.answerable and len(answer.citations) == 4
    for cit, start in zip(answer.citations, ("一是全面促进", "二是大范围", "三是大力推进自主创新", "四是大幅度提高社会保障"),
                          strict=True):
        assert cit.quote.startswith(start)
    _exact(qa, answer)


def test_items_follow_markers_across_sentences():
    text = "主要抓好以下工作：一是稳增长；二是促改革。三是调结构，四是惠民生。此后另说一是别的。"
    items = items_after(text, 0, 9)
    assert [text[i.start:i.end] for i in items] == ["一是稳增长", "二是促改革", "三是调结构", "四是惠民生"]
    assert items_after("没有列举的一句话。", 0, 9) == []


def test_a_reason_is_the_sentence_that_gives_it(qa):
    answer = qa.ask("2009年报告为什么要实行积极的财政政策？")
    assert answer.answerable
    text = "".join(c.quote for c in answer.citations)
    assert "二是实行结构性减税" not in text.split("。")[0]  # the list item the old answer quoted alone
    assert any(word in text for word in ("扩大内需", "国际金融危机", "国际经济形势", "防止经济增速过快下滑"))
    _exact(qa, answer)


def test_open_question_quotes_several_sentences_of_the_section(qa):
    answer = qa.ask("2024年政府工作报告对新质生产力是怎么说的？")
    assert answer.answerable and 2 <= len(answer.citations) <= 5
    assert "加快发展新质生产力" in answer.answer.split("\n")[0]  # the heading path is shown
    assert all(c.report == "reports/national_china_2024.txt" for c in answer.citations)
    starts = [c.quote_start for c in answer.citations]
    assert starts == sorted(starts)  # report order
    assert sum(len(c.quote) for c in answer.citations) <= 600
    _exact(qa, answer)


def test_open_question_found_under_other_words(qa):
    answer = qa.ask("1985年政府工作报告对物价改革说了什么？")  # the report says 价格改革 and 物价
    assert answer.answerable
    assert all(c.report == "reports/national_china_1985.txt" for c in answer.citations)
    assert any("价格" in c.quote for c in answer.citations)
    _exact(qa, answer)


def _quotes_a_lead(cit) -> bool:
    """The quote is the short lead sentence the chunker took as its paragraph's heading."""
    return cit.quote.rstrip("。") == cit.heading.split(" > ")[-1] and cit.quote_start == cit.start


def test_an_overview_quotes_the_paragraphs_not_their_lead_sentences(qa):
    # Sichuan 2026 heads its paragraphs with leads such as 打造具有巴蜀韵味的美丽乡村。
    answer = qa.ask("四川2026年怎么推进乡村全面振兴？")
    assert answer.answerable and len(answer.citations) >= 2
    assert not any(_quotes_a_lead(c) for c in answer.citations)
    assert any(c.heading.endswith("打造具有巴蜀韵味的美丽乡村") for c in answer.citations)
    _exact(qa, answer)


def test_a_passage_answer_on_a_lead_brings_its_paragraphs_sentence(qa):
    answer = qa.ask("上海2026年怎么深化国际金融中心建设？")  # the best sentence is the lead 深化国际金融中心建设。
    assert [_quotes_a_lead(c) for c in answer.citations] == [True, False]
    assert answer.citations[0].start == answer.citations[1].start  # the same paragraph
    assert answer.answer.count("据《") == 1  # the report is named once
    _exact(qa, answer)


@pytest.mark.parametrize("question, words", [
    ("What did the 2020 report say about poverty alleviation?", "poverty"),
    ("What does the 2016 report say about supply-side structural reform?", "supply-side structural reform"),
])
def test_open_questions_in_english_over_the_translations(qa, question, words):
    answer = qa.ask(question)
    assert answer.answerable and len(answer.citations) >= 2
    assert all(c.report.endswith("_en.txt") for c in answer.citations)
    assert any(words in c.quote.lower() for c in answer.citations)
    _exact(qa, answer)


def test_english_cpi_target_is_its_own_cell_not_a_neighbour(qa):
    answer = qa.ask("What was the CPI target in the 2019 report?")
    quote = answer.citations[0].quote
    assert "around 3 percent" in quote and "unemployment" not in quote
    _exact(qa, answer)


def test_english_question_over_a_chinese_report_glosses_the_figure(qa):
    answer = qa.ask("What growth target did Zhejiang set for 2026?")
    assert answer.answerable and "gloss:" in answer.answer
    assert any("5%" in c.quote for c in answer.citations)


def test_a_term_no_report_explains_is_refused(qa):
    answer = qa.ask("2012年报告附注里的“量子纠缠”指的是什么？")
    assert not answer.answerable


@pytest.mark.parametrize("question, said, quoted", [
    ("What GDP growth range did China aim for in 2016?", "6.5% to 7%", "GDP growth of 6.5% to 7%"),
    ("What was China's GDP growth target for 2022?", "around 5.5 percent", "GDP growth of around 5.5 percent"),
    ("What ceiling did the 2011 report put on registered urban unemployment?", "4.6% or lower", "4.6% or lower"),
])
def test_english_figures_come_from_the_translation_in_its_own_words(qa, question, said, quoted):
    answer = qa.ask(question)
    assert answer.answerable and said in answer.answer
    cit = answer.citations[0]
    assert cit.report.endswith("_en.txt") and quoted in cit.quote and len(cit.quote) <= 200
    _exact(qa, answer)


def test_a_report_setting_a_figure_is_a_target_not_a_result():
    assert understand("What ceiling did the 2011 report put on registered urban unemployment?").kind == "target"
    assert understand("How fast did the economy grow in 2015?").kind == "result"
