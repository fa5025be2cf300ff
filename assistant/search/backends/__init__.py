"""Index backends: `local` (the index folder: bm25s + FAISS, the default) or `milvus`
(GOVQA_INDEX_BACKEND=milvus, GOVQA_MILVUS_URI = a file path for Milvus Lite or
http://host:19530 for a server; needs `pip install -e '.[milvus]'`).

Both are built by the same local build (assistant/search/build.py: chunks, tokens, vectors,
facts, incremental per report, in GOVQA_INDEX_DIR); the milvus backend then publishes the new
generation to Milvus and switches its alias. Callers use these functions, not a backend:

    store = open_store(settings)                 # IndexStore or MilvusStore, same interface
    build_index(corpus, settings.index_dir, settings, dense=False)
    live_generation(settings) != store.generation  # a newer generation was published

The interface is IndexStore's (assistant/search/store.py): passages, reports, rows_of,
passages_of, manifest, generation, dense_ready, tokenizer, prime, units, idf, lexicon, embedder,
warm_up, bm25_search, dense_search. MilvusStore subclasses it and replaces the parts that read
the index folder (records, tokenizer words, lexicon, idf, cuts, units text) and the two searches.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .. import layout
from ..build import BuildSummary
from ..build import build_dense as _build_dense_local
from ..build import build_index as _build_index_local
from ..store import IndexStore

BACKENDS = ("local", "milvus")
MILVUS_MISSING = ("GOVQA_INDEX_BACKEND=milvus needs the Milvus extra: "
                  "`.venv/bin/pip install -e '.[milvus]'` (pymilvus, milvus-lite)")


def milvus_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("pymilvus", "milvus_lite"))


def backend_of(settings) -> str:
    name = (settings.index_backend or "local").strip().lower()
    if name not in BACKENDS:
        raise ValueError(f"GOVQA_INDEX_BACKEND={settings.index_backend!r}: use one of {', '.join(BACKENDS)}")
    if name == "milvus" and importlib.util.find_spec("pymilvus") is None:
        raise layout.IndexStoreError(MILVUS_MISSING)
    return name


def _milvus():
    """The Milvus modules, imported only when that backend is chosen (an optional extra)."""
    from . import milvus_common, milvus_publish, milvus_store

    return milvus_common, milvus_publish, milvus_store


def open_store(settings, *, check_settings: bool = True, index_dir: Path | str | None = None):
    """The live index generation of the configured backend."""
    if backend_of(settings) == "milvus":
        return _milvus()[2].MilvusStore.connect(settings, check_settings=check_settings)
    return IndexStore.open(index_dir or settings.index_dir, settings, check_settings=check_settings)


def live_generation(settings):
    """What `store.generation` of a freshly opened store would be (None: no index yet)."""
    if backend_of(settings) == "milvus":
        common = _milvus()[0]
        return common.live_meta(common.client_for(settings), settings.milvus_prefix)
    return layout.current_generation(Path(settings.index_dir))


def publish(settings, index_dir: Path | str) -> None:
    """Milvus backend: publish the local live generation of `index_dir` (holding its build lock)."""
    index_dir = Path(index_dir)
    with layout.BuildLock(index_dir):
        generation = layout.current_generation(index_dir)
        if generation is None:
            raise layout.missing_error(index_dir)
        common, publisher, _ = _milvus()
        client = common.client_for(settings)
        if common.live_meta(client, settings.milvus_prefix) != common.meta_name(settings.milvus_prefix, generation.name):
            publisher.publish_generation(settings, generation)


def build_index(corpus, index_dir, settings, **options) -> BuildSummary:
    """The local build (incremental per report), then, for Milvus, its publication."""
    summary = _build_index_local(corpus, index_dir, settings, **options)
    if backend_of(settings) == "milvus":
        publish(settings, index_dir)
    return summary


def build_dense(index_dir, settings, progress_callback=None, **options) -> BuildSummary:
    summary = _build_dense_local(index_dir, settings, progress_callback, **options)
    if backend_of(settings) == "milvus":
        publish(settings, index_dir)
    return summary
