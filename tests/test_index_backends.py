"""The index backend factory (assistant/search/backends): the choice by GOVQA_INDEX_BACKEND, the
local default, the message without the Milvus extra, and the filter expressions the Milvus
backend sends (built from the real corpus's report metadata; no Milvus needed here)."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from assistant.corpus import load_corpus
from assistant.search import IndexStore, IndexStoreError
from assistant.search.backends import backend_of, build_index, live_generation, open_store
from assistant.search.backends.milvus_store import filter_expression
from assistant.settings import Settings


def test_unknown_backend_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="local, milvus"):
        backend_of(Settings(index_backend="faiss"))


def test_milvus_without_the_extra_says_what_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pymilvus" else real(name, *a))
    with pytest.raises(IndexStoreError, match=r"pip install -e '\.\[milvus\]'"):
        open_store(Settings(index_backend="milvus"))


def test_local_backend_is_the_index_folder(tmp_path, corpus_dir):
    corpus = tmp_path / "corpus"
    (corpus / "reports").mkdir(parents=True)
    (corpus / "reports" / "national_china_2024.txt").write_bytes(
        (corpus_dir / "reports" / "national_china_2024.txt").read_bytes())
    settings = Settings(index_dir=tmp_path / "index", corpus=corpus)
    assert backend_of(settings) == "local"
    build_index(corpus, settings.index_dir, settings, dense=False, progress=False)
    store = open_store(settings)
    assert isinstance(store, IndexStore) and store.generation == live_generation(settings)
    assert store.bm25_search("超长期特别国债", 3)


@pytest.fixture(scope="module")
def reports(corpus_dir):
    return load_corpus(corpus_dir).reports


def selects(reports, expression: str) -> set[str]:
    """What a conjunction of `field in [values]` selects (the expressions filter_expression makes)."""
    terms = [(f, json.loads(v)) for f, v in re.findall(r"(\w+) in (\[[^\]]*\])", expression)]
    assert " and ".join(f"{f} in {json.dumps(v, ensure_ascii=False)}" for f, v in terms) == expression
    return {rid for rid, r in reports.items()
            if all((getattr(r, f) or (0 if f == "year" else "")) in v for f, v in terms)}


@pytest.mark.parametrize("wanted", [
    lambda r: r.level == "provincial" and r.year == 2026,
    lambda r: r.level == "national" and r.year in (2019, 2020),           # both languages
    lambda r: r.level == "national" and r.language == "en",
    lambda r: r.region in ("sichuan", "hebei") and r.year == 2025,
])
def test_scopes_become_scalar_filters(reports, wanted):
    allowed = {rid for rid, r in reports.items() if wanted(r)}
    expression = filter_expression(reports, allowed)
    assert allowed and "report in" not in expression
    assert selects(reports, expression) == allowed
    assert filter_expression(reports, set(reports)) == ""


def test_a_scope_no_field_describes_falls_back_to_report_ids(reports):
    odd = {"reports/national_china_2024.txt", "reports/national_china_2019_en.txt"}  # no product of fields
    assert filter_expression(reports, odd) == f'report in {sorted(odd)!r}'.replace("'", '"')
