"""The index read from Milvus: the same interface and the same rankings as the local IndexStore.

    store = MilvusStore.connect(settings)      # follows the <prefix>_live alias
    store.bm25_search("超长期特别国债", k=10, allowed=mask)   # sparse inner product = bm25s score
    store.dense_search("special treasury bonds", k=10)       # FLAT inner product = cosine

`allowed` (a mask over passages, as retrieve.make_scope makes it) becomes a filter expression
over the scalar fields year/level/region/language when those select exactly the allowed
reports, else `report in [...]`; the engine applies it before ranking."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from ...types import Fact, Passage, Report
from .. import layout
from ..bm25 import Allowed, Tokenizer, allowed_mask
from ..manifest import settings_mismatch
from ..store import IndexStore, _mismatch_error
from . import milvus_common as mc

# Extra hits asked of Milvus beyond k, then sorted here by (score desc, row asc) as bm25.top_k
# sorts: equal scores (common in BM25: equal passages, one shared token) come back from Milvus
# in no defined order, and the local backend breaks such ties by passage index.
TIE_MARGIN = 20
FILTER_FIELDS = ("year", "level", "region", "language")


def bm25s_sum(weights: dict[int, float], query: dict[int, float]) -> float:
    """A passage's BM25 score summed as the local index sums it (bm25_index.Bm25Index): the
    float32 weights added in float64, then rounded to float32. Milvus's inner product adds the
    same float32 weights in float32 in another order, so its score can differ in the last bit
    and swap two near-equal passages (measured: rank 49 of 50 on dev-009); the candidates'
    scores are therefore recomputed here from their weights."""
    total = 0.0
    for token in query:
        if (weight := weights.get(token)) is not None:
            total += float(np.float32(weight))
    score = np.float32(total)
    return float(score)


def _jsonl(text: str | None) -> list[dict]:
    return [json.loads(line) for line in (text or "").split("\n") if line.strip()]


def _value(report: Report, field: str):
    return getattr(report, field) or (0 if field == "year" else "")


def filter_expression(reports: dict[str, Report], allowed: set[str]) -> str:
    """A Milvus filter selecting exactly the passages of `allowed` ('' = all reports): the
    fewest scalar fields (in FILTER_FIELDS order) that do, else the report ids."""
    if allowed >= set(reports):
        return ""
    selected, used = set(reports), []
    for field in FILTER_FIELDS:
        if selected == allowed:
            break
        values = {_value(reports[rid], field) for rid in allowed}
        narrower = {rid for rid in selected if _value(reports[rid], field) in values}
        if narrower != selected:
            selected, used = narrower, [*used, (field, values)]
    if used and selected == allowed:
        return " and ".join(f"{f} in {json.dumps(sorted(v), ensure_ascii=False)}" for f, v in used)
    return f"report in {json.dumps(sorted(allowed), ensure_ascii=False)}"


def parse_cuts(text: str) -> dict[str, str]:
    """The lines of a cuts file (bm25.write_cuts): run, tab, its tokens joined by spaces."""
    cuts = {}
    for line in text.split("\n"):
        run, tab, tokens = line.partition("\t")
        if tab:
            cuts[run] = tokens
    return cuts


class MilvusStore(IndexStore):
    """An index generation served by Milvus. Passages and reports are held in memory (as the
    local store holds them); the BM25 and vector indexes live in the engine."""

    def __init__(self, settings, client, meta: str, manifest: dict, passages: list[Passage],
                 reports: dict[str, Report], vocab: dict[str, list[int]], words: list[str],
                 lexicon_text: str | None, facts_text: str | None):
        super().__init__(Path(settings.index_dir), meta, manifest, passages, reports, None, None,
                         embed_threads=settings.embed_threads)
        self.client = client
        self.collection = mc.passage_of_meta(settings.milvus_prefix, meta)
        self._vocab = vocab
        self._words = words
        self._lexicon_text = lexicon_text
        self._facts_text = facts_text

    @classmethod
    def connect(cls, settings, *, check_settings: bool = True) -> MilvusStore:
        client = mc.client_for(settings)
        meta = mc.live_meta(client, settings.milvus_prefix)
        if meta is None:
            raise layout.IndexMissingError(f"no index in Milvus at {mc.resolve_uri(settings)} "
                                           f"(alias {mc.live_alias(settings.milvus_prefix)}): build it with "
                                           f"`GOVQA_INDEX_BACKEND=milvus govqa index`")
        mc.ensure_loaded(client, meta)
        mc.ensure_loaded(client, mc.passage_of_meta(settings.milvus_prefix, meta))
        try:
            blobs = {name: mc.read_blob(client, meta, name) for name in mc.META_FILES}
        except ValueError as exc:  # a piece missing
            raise layout.corrupt_error(Path(meta), str(exc)) from None
        if not blobs["manifest.json"] or blobs["vocab.json"] is None:
            raise layout.corrupt_error(Path(meta), "manifest or vocabulary missing in Milvus")
        manifest = json.loads(blobs["manifest.json"])
        if check_settings and (differences := settings_mismatch(manifest, settings)):
            raise _mismatch_error(Path(mc.resolve_uri(settings)), differences, settings)
        passages = [Passage.from_dict(row) for row in _jsonl(blobs["passages.jsonl"])]
        reports = {row["id"]: Report(**row) for row in _jsonl(blobs["reports.jsonl"])}
        if len(passages) != manifest["passages"] or set(reports) != set(manifest["reports"]):
            raise layout.corrupt_error(Path(meta), "passages or reports differ from the manifest")
        words = [w.strip() for w in (blobs["userdict.txt"] or "").splitlines() if w.strip()]  # as read_userdict
        return cls(settings, client, meta, manifest, passages, reports, json.loads(blobs["vocab.json"]),
                   words, blobs["lexicon.json"], blobs["facts.jsonl"])

    @property
    def dense_ready(self) -> bool:
        return bool(self.manifest.get("dense"))

    @property
    def tokenizer(self) -> Tokenizer:
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = Tokenizer(self._words)
            return self._tokenizer

    def cuts_of(self, key: str) -> dict:
        """As IndexStore.cuts_of, from the generation's blob collection (one read per report)."""
        return parse_cuts(mc.read_blob(self.client, self.generation, mc.cuts_blob(key)) or "")

    def units_text(self, key: str) -> str:
        """As IndexStore.units_text, from the generation's blob collection (one read per report)."""
        text = mc.read_blob(self.client, self.generation, mc.units_blob(key))
        if text is None:
            raise FileNotFoundError(mc.units_blob(key))
        return text

    @functools.cached_property
    def lexicon(self) -> dict[str, str]:
        try:
            lexicon = json.loads(self._lexicon_text) if self._lexicon_text else {}
        except ValueError as exc:
            raise layout.corrupt_error(Path(self.generation), f"lexicon.json: {exc}") from None
        return lexicon if isinstance(lexicon, dict) else {}

    def idf(self, tokens) -> dict[str, float]:
        n = len(self.passages)
        weights = {}
        for token in tokens:
            df = self._vocab.get(token, (0, 0))[1]
            weights[token] = float(np.log((n - df + 0.5) / (df + 0.5) + 1.0))
        return weights

    def saved_facts(self) -> list[Fact]:
        """The facts published with this generation (the ledger of a replica)."""
        return [Fact.from_dict(row) for row in _jsonl(self._facts_text)]

    def _filter(self, allowed: Allowed) -> str | None:
        """The filter of an `allowed` mask; None when nothing is allowed."""
        mask = allowed_mask(allowed, len(self.passages))
        if mask is None:
            return ""
        if not mask.any():
            return None
        whole, parts = set(), False
        for rid in self.reports:
            rows = self.rows_of(rid)
            inside = mask[rows.start:rows.stop]
            if inside.all() and len(rows):
                whole.add(rid)
            elif inside.any():
                parts = True
        if parts:  # not whole reports: the rows themselves
            return f"row in {json.dumps(np.flatnonzero(mask).tolist())}"
        return filter_expression(self.reports, whole)

    def _search(self, field: str, query, k: int, expression: str) -> list[tuple[int, float]]:
        sparse = field == mc.FIELD_SPARSE
        params = {"metric_type": "IP"} | ({"params": {"drop_ratio_search": 0.0}} if sparse else {})
        result = self.client.search(self.collection, data=[query], anns_field=field, limit=k + TIE_MARGIN,
                                    filter=expression, search_params=params,
                                    output_fields=[mc.FIELD_SPARSE] if sparse else ["row"])
        if sparse:
            pairs = [(int(hit["row"]), bm25s_sum(hit["entity"][mc.FIELD_SPARSE], query)) for hit in result[0]]
            pairs = [(row, score) for row, score in pairs if score > 0]
        else:
            pairs = [(int(hit["row"]), float(hit["distance"])) for hit in result[0]]
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
        return pairs[:k]

    def bm25_search(self, query: str, k: int, allowed: Allowed = None, ranges=None) -> list[tuple[int, float]]:
        """`ranges` (the rows `allowed` marks) is not needed: Milvus filters inside the engine."""
        ids = {self._vocab[t][0] for t in self.tokenizer.tokenize(query) if t and t in self._vocab}
        expression = self._filter(allowed)
        if not ids or expression is None or k <= 0:
            return []
        return self._search(mc.FIELD_SPARSE, {i: 1.0 for i in sorted(ids)}, k, expression)

    def dense_search(self, query: str, k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        if not self.dense_ready or not query.strip() or k <= 0:
            return []
        if (expression := self._filter(allowed)) is None:
            return []
        embedder = self.embedder
        with self._embed_lock:
            vector = embedder.embed_queries([query])[0]
        return self._search(mc.FIELD_DENSE, np.asarray(vector, dtype=np.float32).tolist(), k, expression)

    def __repr__(self) -> str:
        return (f"<MilvusStore {self.collection} reports={len(self.reports)} passages={len(self.passages)} "
                f"embedder={self.embedder_name} dense={self.dense_ready}>")
