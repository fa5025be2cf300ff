"""Publish a local index generation to Milvus as a new collection generation, then switch the
alias (atomic: a reader sees the old generation or the new one, never a half-written one).

The local build (assistant/search/build.py) stays the one place that chunks, tokenizes,
embeds and extracts facts, incrementally per report (unchanged reports reuse their token
lists and vectors). Publishing copies its result:

- sparse: each passage's row of our BM25 weights (bm25s's), {token id: BM25 weight of the token in
  the passage} (jieba with our user dictionary, bm25s's Lucene weights). A query is
  {token id: 1.0} for its distinct tokens, so Milvus's inner product is bm25s's score exactly
  (bm25s sums the same weights for the distinct query tokens, see Bm25Index.search).
- dense: the generation's vectors (already L2-normalized), FLAT index, inner product = cosine.
- year/region/level/language as scalar fields, so filters run inside the engine.

Rows are rewritten for every generation: BM25 weights depend on corpus-wide statistics (idf,
mean passage length), so adding one report changes every passage's weights."""

from __future__ import annotations

import json
from pathlib import Path

from scipy.sparse import csc_matrix

from .. import layout
from ..bm25 import Bm25Index
from ..manifest import read_manifest, read_passages, read_reports
from ..store import _load_vectors
from . import milvus_common as mc

BATCH = 1000  # rows per insert call


def sparse_rows(bm25: Bm25Index):
    """Per passage in row order, {token id: weight} from the token-major (CSC) weights."""
    vocab = len(bm25.indptr) - 1
    matrix = csc_matrix((bm25.weights(), bm25.indices, bm25.indptr), shape=(bm25.size, vocab)).tocsr()
    for i in range(bm25.size):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        yield {int(t): float(w) for t, w in zip(matrix.indices[start:end], matrix.data[start:end], strict=True)
               if w > 0}


def vocab_table(bm25: Bm25Index) -> dict[str, list[int]]:
    """token -> [sparse dimension, document frequency] (the frequency for idf at question time)."""
    return {token: [int(i), bm25.df(i)] for token, i in bm25.vocab.items() if i < len(bm25.indptr) - 1}


def _passage_schema(client, dim: int | None):
    from pymilvus import DataType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    schema.add_field("report", DataType.VARCHAR, max_length=1024)
    schema.add_field("year", DataType.INT64)  # 0: unknown
    for name in ("region", "level", "language", "part", "kind"):
        schema.add_field(name, DataType.VARCHAR, max_length=128)
    schema.add_field("start", DataType.INT64)
    schema.add_field("end", DataType.INT64)
    schema.add_field("text", DataType.VARCHAR, max_length=65_535)
    schema.add_field(mc.FIELD_SPARSE, DataType.SPARSE_FLOAT_VECTOR)
    if dim is not None:
        schema.add_field(mc.FIELD_DENSE, DataType.FLOAT_VECTOR, dim=dim)
    index = client.prepare_index_params()
    index.add_index(mc.FIELD_SPARSE, index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    if dim is not None:
        index.add_index(mc.FIELD_DENSE, index_type="FLAT", metric_type="IP")  # exact, as FAISS IndexFlatIP
    return schema, index


def _meta_schema(client):
    from pymilvus import DataType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=256)
    schema.add_field("name", DataType.VARCHAR, max_length=128)
    schema.add_field("text", DataType.VARCHAR, max_length=65_535)
    schema.add_field("vec", DataType.FLOAT_VECTOR, dim=2)  # Milvus needs a vector field; unused
    index = client.prepare_index_params()
    index.add_index("vec", index_type="FLAT", metric_type="L2")
    return schema, index


def _insert(client, collection: str, rows, total: int, on_batch=None) -> None:
    """Insert `rows` (an iterable) BATCH at a time; only one batch is ever held as dicts."""
    batch, done = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            client.insert(collection, batch)
            done, batch = done + len(batch), []
            if on_batch is not None:
                on_batch(done, total)
    if batch:
        client.insert(collection, batch)
        if on_batch is not None:
            on_batch(done + len(batch), total)


def _passage_records(generation: Path, manifest: dict, bm25: Bm25Index):
    """One row per passage, made as they are inserted (a 16x corpus held as dicts took 8 GB)."""
    passages = read_passages(generation, manifest)
    reports = read_reports(generation, manifest)
    vectors = _load_vectors(generation, manifest) if manifest["dense"] else None
    for row, (passage, weights) in enumerate(zip(passages, sparse_rows(bm25), strict=True)):
        report = reports[passage.report]
        record = {"row": row, "report": passage.report, "year": report.year or 0, "region": report.region,
                  "level": report.level, "language": report.language, "part": passage.part,
                  "kind": passage.kind, "start": passage.start, "end": passage.end,
                  "text": passage.text[:mc.TEXT_CHARS], mc.FIELD_SPARSE: weights or {0: 0.0}}
        if vectors is not None:
            record[mc.FIELD_DENSE] = vectors[row].tolist()
        yield record


def _meta_blobs(generation: Path, bm25_vocab: dict) -> list[dict]:
    rows = []
    for name in mc.META_FILES:
        if name == "vocab.json":
            text = json.dumps(bm25_vocab, ensure_ascii=False)
        elif (generation / name).is_file():
            text = (generation / name).read_text(encoding="utf-8")
        else:
            continue
        rows.extend(mc.blob_rows(name, text))
    manifest = read_manifest(generation)
    for entry in manifest["reports"].values():  # each report's jieba cuts, for question time
        path = generation / layout.cuts_file(entry["tokens"])
        if entry.get("tokens") and path.is_file():
            rows.extend(mc.blob_rows(mc.cuts_blob(entry["tokens"]), path.read_text(encoding="utf-8")))
        units = generation / layout.units_file(entry["units"]) if entry.get("units") else None
        if units is not None and units.is_file():  # its evidence units (search/units.py)
            rows.extend(mc.blob_rows(mc.units_blob(entry["units"]), units.read_text(encoding="utf-8")))
    return rows


def publish_generation(settings, generation: Path, on_batch=None) -> str:
    """Copy a finished local generation into new collections and make them live; returns the
    meta collection's name. Stale generations (all but the new and the previous live one,
    including halves left by a killed publish) are dropped afterwards."""
    client, prefix = mc.client_for(settings), settings.milvus_prefix
    manifest = read_manifest(generation)
    meta, passages = mc.meta_name(prefix, generation.name), mc.passage_name(prefix, generation.name)
    previous = mc.live_meta(client, prefix)
    if previous == meta:
        return meta  # already live
    for name in (meta, passages):  # a killed publish of this very generation
        if client.has_collection(name):
            client.drop_collection(name)
    bm25 = Bm25Index.load(generation / layout.BM25_DIR, manifest["passages"])
    records = _passage_records(generation, manifest, bm25)
    schema, index = _passage_schema(client, manifest["dim"] if manifest["dense"] else None)
    client.create_collection(passages, schema=schema, index_params=index)
    _insert(client, passages, records, manifest["passages"], on_batch)
    client.flush(passages)
    schema, index = _meta_schema(client)
    client.create_collection(meta, schema=schema, index_params=index)
    blobs = _meta_blobs(generation, vocab_table(bm25))
    _insert(client, meta, blobs, len(blobs))
    client.flush(meta)
    _point(client, passages, mc.passages_alias(prefix))
    _point(client, meta, mc.live_alias(prefix))  # the commit point
    keep = {mc.gen_suffix(generation.name)} | ({mc.generation_of(prefix, previous)} if previous else set())
    drop_stale(client, prefix, keep)
    return meta


def _point(client, collection: str, alias: str) -> None:
    if alias in client.list_aliases().get("aliases", []):
        client.alter_alias(collection, alias)
    else:
        client.create_alias(collection, alias)


def drop_stale(client, prefix: str, keep: set[str]) -> list[str]:
    """Drop our collections whose generation is not in `keep`; returns their names."""
    dropped = []
    for name in client.list_collections():
        suffix = mc.generation_of(prefix, name)
        if suffix is not None and suffix not in keep:
            client.drop_collection(name)
            dropped.append(name)
    return dropped

