"""Chunker invariants on real reports: exact offsets, whole sentences, heading paths, parts."""

from __future__ import annotations

import pytest

from assistant.chunking import chunk_report
from assistant.corpus import load_corpus
from assistant.sentences import split_sentences

REPORTS = ["reports/national_china_2024.txt", "reports/national_china_1999.txt",
           "reports/provincial_sichuan_2025.txt", "reports/county_changzi_2024.txt",
           "reports/national_china_2019_en.txt", "reports/provincial_guangdong_2026.txt"]


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return load_corpus(corpus_dir)


@pytest.mark.parametrize("report_id", REPORTS)
def test_offsets_exact_and_sentences_whole(corpus, report_id):
    text = corpus.texts[report_id]
    passages = chunk_report(corpus.reports[report_id], text)
    assert len(passages) > 10
    ends = {e for s, e in split_sentences(text)}
    starts = {s for s, e in split_sentences(text)}
    for p in passages:
        assert text[p.start:p.end] == p.text
        assert p.start in starts, f"passage starts mid-sentence: {p.text[:30]}"
        assert p.end in ends, f"passage ends mid-sentence: {p.text[-30:]}"
    # passages do not overlap and keep reading order
    assert all(a.end <= b.start for a, b in zip(passages, passages[1:], strict=False))


def test_sizes_stay_near_target(corpus):
    for report_id in REPORTS[:4]:
        sizes = [len(p.text) for p in chunk_report(corpus.reports[report_id], corpus.texts[report_id])
                 if p.kind in ("paragraph", "lead")]
        assert max(sizes) <= 600
        assert sorted(sizes)[len(sizes) // 2] >= 100


def test_heading_paths_and_parts_national_2024(corpus):
    rid = "reports/national_china_2024.txt"
    passages = chunk_report(corpus.reports[rid], corpus.texts[rid])
    review = next(p for p in passages if "城镇新增就业1244万人" in p.text)
    assert review.part == "review" and review.heading == ("一、2023年工作回顾", "经济总体回升向好")
    target = next(p for p in passages if "城镇新增就业1200万人以上" in p.text)
    assert target.part == "plan" and target.kind == "target_item"
    assert len(target.text) < 40  # each item of the targets list is its own passage
    lead = next(p for p in passages if p.text.startswith("积极稳妥推进碳达峰碳中和"))
    assert lead.heading_path == "三、2024年政府工作任务 > （九）加强生态文明建设，推进绿色低碳发展 > 积极稳妥推进碳达峰碳中和"


def test_county_excerpt_broken_section_and_glossary(corpus):
    rid = "reports/county_changzi_2024.txt"
    passages = chunk_report(corpus.reports[rid], corpus.texts[rid])
    pollution = next(p for p in passages if p.text.startswith("攻坚污染防治"))
    assert pollution.heading == ("(八)聚焦生态环境保护,建设更高品质的“美丽长子”", "攻坚污染防治")
    broken = next(p for p in passages if p.text.startswith("提升开发区"))
    assert broken.heading[0].startswith("七)聚焦深化改革开放")
    # the excerpt starts inside the plans: its opening sections are plans, not "other"
    assert next(p for p in passages if "打造宜居城市" in p.text).part == "plan"
    glossary = [p for p in passages if p.part == "glossary"]
    assert len(glossary) >= 10 and all(p.kind == "glossary_entry" for p in glossary)
    assert any("新质生产力" in p.text for p in glossary)


def test_english_report_parts(corpus):
    rid = "reports/national_china_2019_en.txt"
    passages = chunk_report(corpus.reports[rid], corpus.texts[rid])
    assert {p.part for p in passages} >= {"review", "plan"}
    assert any(p.heading and p.heading[0].startswith("III. Tasks for 2019") for p in passages)


def test_part_heading_run_on_at_a_paragraphs_end(corpus):
    """National 2013 ends paragraphs with its part headings (`…请各位代表审议。 一、过去五年工作回顾`):
    each is split off when its ordinal continues the parts; inline lists are not headings."""
    rid = "reports/national_china_2013.txt"
    text = corpus.texts[rid]
    passages = chunk_report(corpus.reports[rid], text)
    assert [h for h in dict.fromkeys(p.heading[0] for p in passages if p.heading)] == [
        "一、过去五年工作回顾", "二、今年经济社会发展的总体要求、主要预期目标和宏观经济政策", "三、对今年政府工作的建议"]
    opening = next(p for p in passages if "请各位代表审议" in p.text)
    assert opening.text.endswith("提出意见。") and opening.part == "other"
    assert next(p for p in passages if "新建改建农村公路" in p.text).part == "review"
    assert next(p for p in passages if "城镇登记失业率低于4.6%" in p.text).part == "plan"
    # 1986 numbers its investment measures inline (…投资。二、适当控制非生产性建设投资的增长，…。):
    # the run-on text has sentences after it, so the paragraph stays whole
    rid = "reports/national_china_1986.txt"
    passages = chunk_report(corpus.reports[rid], corpus.texts[rid])
    inline = next(p for p in passages if "二、适当控制非生产性建设投资的增长" in p.text)
    assert not inline.heading[0].startswith("二、适当控制")
