"""Query-time work in proportion to the answer (issue 14): no query embedding where the dense
side cannot change the answer, the embedder's threads, jieba cuts cached. Behaviour only;
the timings are in `govqa bench`, never asserted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.embedders.hashing import HashEmbedder
from assistant.qa import QA
from assistant.search import IndexStore, build_index
from assistant.settings import REPO_ROOT, load_settings

CORPUS = Path(os.environ.get("GOVQA_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")
REPORTS = ["national_china_2024.txt", "national_china_2019.txt"]
QUESTION = "2024年超长期特别国债发行多少？"


class CountingEmbedder(HashEmbedder):
    """The hash fake, counting the query embeddings it computes."""

    def __init__(self):
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts):
        self.queries.extend(texts)
        return super().embed_queries(texts)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "reports").mkdir()
    for name in REPORTS:
        shutil.copyfile(CORPUS / "reports" / name, folder / "reports" / name)
    return folder


def open_with_counter(index_dir: Path, settings) -> tuple[IndexStore, CountingEmbedder]:
    store = IndexStore.open(index_dir, settings)
    counter = CountingEmbedder()
    store._embedder = counter
    return store, counter


@pytest.fixture(scope="module")
def keyword_index(corpus_dir, tmp_path_factory):
    settings = load_settings(corpus=corpus_dir, index_dir=tmp_path_factory.mktemp("kw"), embedder="hash")
    build_index(corpus_dir, settings.index_dir, settings, dense=False, progress=False)
    return settings


@pytest.fixture(scope="module")
def dense_index(corpus_dir, tmp_path_factory):
    settings = load_settings(corpus=corpus_dir, index_dir=tmp_path_factory.mktemp("dense"), embedder="hash")
    build_index(corpus_dir, settings.index_dir, settings, dense=True, progress=False)
    return settings


def test_no_query_embedding_on_a_keyword_only_store(keyword_index):
    store, counter = open_with_counter(keyword_index.index_dir, keyword_index)
    qa = QA(keyword_index, store=store, background_dense=False)
    hits = qa.retrieve(QUESTION)
    answer = qa.ask(QUESTION)
    assert hits and answer.answerable and "bm25" in hits[0].sources
    assert counter.queries == []


def test_no_query_embedding_when_the_dense_weight_is_zero(dense_index):
    settings = dense_index.model_copy(update={"dense_weight": 0.0})
    store, counter = open_with_counter(settings.index_dir, settings)
    hits = QA(settings, store=store, background_dense=False).retrieve(QUESTION)
    assert hits and all(h.sources == ("bm25",) for h in hits)
    assert counter.queries == []


def test_one_query_embedding_when_the_dense_side_counts(dense_index):
    store, counter = open_with_counter(dense_index.index_dir, dense_index)
    hits = QA(dense_index, store=store, background_dense=False).retrieve(QUESTION)
    assert len(counter.queries) == 1 and any("dense" in h.sources for h in hits)


def test_no_query_embedding_for_an_empty_subset(dense_index):
    store, counter = open_with_counter(dense_index.index_dir, dense_index)
    import numpy as np

    assert store.dense_search(QUESTION, 5, allowed=np.zeros(len(store.passages), dtype=bool)) == []
    assert store.dense_search(QUESTION, 5, allowed=[]) == []
    assert counter.queries == []
    assert store.dense_search(QUESTION, 5, allowed=list(store.rows_of("reports/national_china_2024.txt")))
    assert len(counter.queries) == 1


def test_the_store_creates_its_embedder_on_the_configured_threads(keyword_index):
    settings = keyword_index.model_copy(update={"embed_threads": 2})
    store = IndexStore.open(settings.index_dir, settings)
    try:
        assert store.embedder.threads == 2
    finally:
        store.embedder.set_threads(1)
