"""The labellers' agreement tool (facts/agreement.py) on a real label file and a changed copy of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.corpus import load_corpus
from assistant.facts.agreement import agreement, compare, consensus, label_fact
from assistant.facts.score import field_right

LABELS = Path(__file__).parent.parent / "eval" / "facts" / "national_china_1998.jsonl"
REPORT = "reports/national_china_1998.txt"


@pytest.fixture(scope="module")
def text_and_labels(corpus_dir):
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return load_corpus(corpus_dir), rows


def _changed(rows):
    """Every fifth label with another measure; the last four dropped."""
    out = [dict(r) for r in rows[:-4]]
    for r in out[::5]:
        r["measure"] = "total" if r["measure"] == "level" else "level"
    return out


def test_a_labelling_agrees_with_itself_in_every_field(text_and_labels):
    corpus, rows = text_and_labels
    same = agreement(corpus.texts[REPORT], rows, rows)
    assert same["matched"] == same["labels"] == len(rows)
    assert all(n == len(rows) for n in same["right"].values())
    one = label_fact(corpus.texts[REPORT], rows[0])
    assert corpus.texts[REPORT][one.start:one.end] == rows[0]["text"]
    assert all(field_right(rows[0], one, name) for name in ("indicator", "value", "kind", "period", "measure"))


def test_disagreements_count_on_their_field_and_leave_the_consensus(text_and_labels):
    corpus, rows = text_and_labels
    text, other = corpus.texts[REPORT], _changed(rows)
    scores = agreement(text, rows, other)
    changed = len(other[::5])
    assert (scores["labels"], scores["predicted"], scores["matched"]) == (len(rows), len(rows) - 4, len(rows) - 4)
    assert scores["right"]["measure"] == len(other) - changed
    assert scores["right"]["period"] == len(other)
    agreed = consensus(text, rows, other)
    assert len(agreed) == len(other) - changed
    assert rows[0] not in agreed and rows[1] in agreed  # the first label's measure was changed


def test_compare_scores_the_extractor_against_both_and_on_the_consensus(text_and_labels, tmp_path):
    corpus, rows = text_and_labels
    for name, labels in (("a", rows), ("b", _changed(rows))):
        (tmp_path / name).mkdir()
        (tmp_path / name / LABELS.name).write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labels), encoding="utf-8")
    rows_out = compare(corpus, tmp_path / "a", tmp_path / "b")
    vs_a, vs_b = rows_out["extractor vs A"][REPORT], rows_out["extractor vs B"][REPORT]
    assert vs_a["predicted"] == vs_b["predicted"] > 0
    # the changed measures are the seen labels' wrong ones: the extractor agrees with A, not with B
    assert vs_a["right"]["measure"] > vs_b["right"]["measure"]
    assert rows_out["consensus"][REPORT]["labels"] == len(_changed(rows)) - len(_changed(rows)[::5])
