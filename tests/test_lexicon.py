"""The English -> Chinese lexicon mined from the corpus's official sentence pairs."""

from __future__ import annotations

import jieba

from assistant.lexicon import build_lexicon, lexicon_for_corpus, read_pairs


def test_lexicon_from_the_real_parallel_sentences(corpus_dir):
    lexicon = lexicon_for_corpus(corpus_dir)
    assert len(lexicon) > 1000
    assert lexicon["gdp"] == "生产总值"
    assert lexicon["grain"] == "粮食"
    assert lexicon["deficit"] == "财政赤字"
    assert lexicon["tourism"] == "旅游"
    assert "the" not in lexicon and "will" not in lexicon


def test_rare_or_loose_pairs_are_left_out(corpus_dir):
    pairs = read_pairs(corpus_dir / "parallel")[:40]
    lexicon = build_lexicon(pairs, jieba.Tokenizer().lcut)
    assert len(lexicon) < 60  # few words co-occur three times in 40 sentences


def test_a_corpus_without_parallel_sentences_has_no_lexicon(tmp_path):
    assert lexicon_for_corpus(tmp_path) == {}


def test_english_question_over_a_chinese_provincial_report(qa):
    answer = qa.ask("How many new urban jobs did Jiangsu create in 2024?")
    assert answer.answerable and answer.answer.startswith("According to")
    assert answer.citations[0].report == "reports/provincial_jiangsu_2025.txt"
    assert "143.02万人" in answer.citations[0].quote
