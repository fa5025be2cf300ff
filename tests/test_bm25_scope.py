"""BM25 scored inside a question's scope (`row_ranges`, `Bm25Index.search(..., ranges)`) and from
weights computed once per loaded index: the same hits and scores, bit for bit, as scoring every
passage with the formulas token by token, on a real keyword index of five reports."""

from __future__ import annotations

import csv
import itertools
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.search import IndexStore, bm25_index, build_index
from assistant.search.bm25_index import best_of, row_ranges, top_k
from assistant.settings import REPO_ROOT, load_settings

CORPUS = Path(os.environ.get("GOVQA_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")
REPORTS = ["reports/national_china_2019.txt", "reports/national_china_2024.txt", "reports/provincial_anhui_2025.txt",
           "reports/provincial_beijing_2025.txt", "reports/county_changzi_2024.txt"]
QUERIES = ["超长期特别国债", "地区生产总值增长 预期目标", "乡村振兴 粮食 农业", "减税降费 小微企业 增值税",
           "政府工作报告 国务院", "长子县 2024 增长", "北京 科技创新 中关村", "发展 经济 增长 建设 改革"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> IndexStore:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "reports").mkdir()
    with (CORPUS / "reports.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["file"] in REPORTS]
        fields = reader.fieldnames
    with (corpus / "reports.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    for name in REPORTS:
        shutil.copyfile(CORPUS / name, corpus / name)
    settings = load_settings(corpus=corpus, index_dir=tmp_path_factory.mktemp("index"), embedder="hash")
    build_index(corpus, settings.index_dir, settings, dense=False, progress=False)
    return IndexStore.open(settings.index_dir, settings)


def reference_scores(bm25, ids) -> np.ndarray:
    """Every passage's score as the code before the stored weights computed it: each token's
    weights from its counts, added token by token in float64."""
    scores = np.zeros(bm25.size, dtype=np.float64)
    for token_id in ids:
        start, end = bm25.indptr[token_id], bm25.indptr[token_id + 1]
        docs = bm25.indices[start:end]
        tf = bm25.counts[start:end].astype(np.float32)
        scores[docs] += (bm25.idf(token_id) * (tf / (bm25._norm[docs] + tf))).astype(np.float32)
    return scores.astype(np.float32)


def scopes(store: IndexStore):
    """Each report alone, every pair and triple (most not adjacent in row order), all, none."""
    ids = sorted(store.reports)
    for size in (0, 1, 2, 3, len(ids)):
        yield from itertools.combinations(ids, size)


def test_row_ranges_sort_join_and_drop_empty_ranges():
    ranges = row_ranges([range(5, 8), range(0, 3), range(3, 5), range(9, 9), range(10, 12)])
    assert ranges.tolist() == [[0, 8], [10, 12]] and ranges.dtype == np.int64
    assert row_ranges([]).shape == (0, 2)


def test_the_weights_computed_once_are_the_formulas_bit_for_bit(store, monkeypatch):
    bm25 = store._bm25
    monkeypatch.setattr(bm25_index, "WEIGHT_BLOCK", 1000)  # many blocks, one ending inside a column
    small_blocks = bm25_index.Bm25Index(bm25.vocab, bm25.indptr, bm25.indices, bm25.counts, bm25.lengths)
    assert len(bm25.counts) > 10_000 and small_blocks.weights().tobytes() == bm25.weights().tobytes()
    for token_id in range(len(bm25.indptr) - 1):
        start, end = bm25.indptr[token_id], bm25.indptr[token_id + 1]
        docs = bm25.indices[start:end]
        tf = bm25.counts[start:end].astype(np.float32)
        expected = (bm25.idf(token_id) * (tf / (bm25._norm[docs] + tf))).astype(np.float32)
        assert bm25.column(token_id)[1].tobytes() == expected.tobytes()


def test_a_scope_scores_its_rows_as_the_whole_corpus_does(store):
    bm25, tokenizer = store._bm25, store.tokenizer
    assert all(np.all(np.diff(bm25.indices[a:b]) > 0) for a, b in itertools.pairwise(bm25.indptr))  # columns ascend
    checked = 0
    for query, chosen in itertools.product(QUERIES, scopes(store)):
        tokens = tokenizer.tokenize(query)
        ids = tuple(sorted({bm25.vocab[t] for t in tokens if t in bm25.vocab}))
        ranges = row_ranges(store.rows_of(rid) for rid in chosen)
        mask = np.zeros(bm25.size, dtype=bool)
        for start, stop in ranges:
            mask[start:stop] = True
        for k in (3, 50):
            expected = top_k(reference_scores(bm25, ids), k, mask)
            assert best_of(*bm25._scores_in(ids, ranges), k) == expected, (query, chosen)
            assert bm25.search(tokens, k, mask, ranges) == expected == bm25.search(tokens, k, mask)
            checked += bool(expected)
    assert checked > 100  # most queries find something in most scopes
