"""Every shipped benchmark set parses and its evidence stands in its report."""

from __future__ import annotations

import pytest

from assistant.corpus import load_corpus
from assistant.evaluation.dataset import check_against_corpus, load_questions
from assistant.settings import REPO_ROOT

SETS = {"dev.jsonl": 60, "dev2.jsonl": 60, "heldout.jsonl": 60, "periods.jsonl": 90, "periods_heldout.jsonl": 30,
        "regions.jsonl": 30, "regions_heldout.jsonl": 10, "dialogue.jsonl": 60, "dialogue_heldout.jsonl": 20}


@pytest.mark.parametrize("name", sorted(SETS))
def test_benchmark_set_is_valid_against_the_corpus(name, corpus_dir):
    questions = load_questions(REPO_ROOT / "eval" / name)
    assert len(questions) >= SETS[name]
    corpus = load_corpus(corpus_dir)
    assert check_against_corpus(questions, corpus.texts.__getitem__) == []
    for q in questions:  # a report a question is asked over alone must exist
        assert all(rid in corpus.reports for rid in q.corpus), q.id


def test_new_sets_keep_a_quarter_aside():
    """Each category of the issue-11 sets: three quarters to tune on, one quarter held out."""
    for tuned, held in (("periods", "periods_heldout"), ("regions", "regions_heldout"),
                        ("dialogue", "dialogue_heldout")):
        a = load_questions(REPO_ROOT / "eval" / f"{tuned}.jsonl")
        b = load_questions(REPO_ROOT / "eval" / f"{held}.jsonl")
        for qtype in {q.type for q in a}:
            n_tuned, n_held = sum(q.type == qtype for q in a), sum(q.type == qtype for q in b)
            assert n_held * 3 == n_tuned, (tuned, qtype)
        assert not {(q.question, q.history) for q in a} & {(q.question, q.history) for q in b}
