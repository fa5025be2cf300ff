"""Every shipped benchmark set parses and its evidence stands in its report."""

from __future__ import annotations

import pytest

from assistant.corpus import load_corpus
from assistant.evaluation.dataset import check_against_corpus, load_questions
from assistant.settings import REPO_ROOT


@pytest.mark.parametrize("name", ["dev.jsonl", "dev2.jsonl", "heldout.jsonl"])
def test_benchmark_set_is_valid_against_the_corpus(name, corpus_dir):
    questions = load_questions(REPO_ROOT / "eval" / name)
    assert len(questions) >= 60
    corpus = load_corpus(corpus_dir)
    assert check_against_corpus(questions, corpus.texts.__getitem__) == []
