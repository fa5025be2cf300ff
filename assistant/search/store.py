"""The persisted hybrid index: open it and search it.

    store = IndexStore.open(settings.index_dir, settings)
    store.bm25_search("超长期特别国债", k=10, allowed=mask)   # [(passage index, score)]
    store.dense_search("special treasury bonds", k=10)       # [(passage index, cosine)]
    store.passages[i]                                        # the Passage

Building lives in build.py (build_index, build_dense); both are re-exported here."""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import numpy as np

from ..embedders import Embedder, get_embedder
from ..lexicon import load_lexicon
from ..settings import Settings
from ..types import Passage, Report
from . import layout
from .bm25 import Allowed, Bm25Index, Ranges, Tokenizer, allowed_mask, read_cuts
from .build import BuildSummary, build_dense, build_index
from .dense import DenseIndex
from .layout import (
    DiskFullError,
    IndexCorruptError,
    IndexLockedError,
    IndexMismatchError,
    IndexMissingError,
    IndexStoreError,
)
from .manifest import read_manifest, read_passages, read_reports, settings_mismatch
from .units import UNITS_VERSION, Prepared, parse_block, split_units
from .userdict import read_userdict

QUERY_VECTORS_KEPT = 64
UNIT_REPORTS_KEPT = 128  # reports whose units file is kept read (16×: ≈ 0.4 MB each)

__all__ = ["BuildSummary", "DiskFullError", "IndexCorruptError", "IndexLockedError", "IndexMismatchError",
           "IndexMissingError", "IndexStore", "IndexStoreError", "build_dense", "build_index"]


def _mismatch_error(index_dir: Path, differences: list[str], settings: Settings) -> IndexMismatchError:
    return IndexMismatchError(
        f"the index in {index_dir} was built with other settings ({'; '.join(differences)}). "
        f"Rebuild it with `govqa index --rebuild --embedder {settings.embedder}` "
        f"or change the settings back.")


def _load_vectors(generation: Path, manifest: dict) -> np.ndarray:
    parts = []
    for report_id, entry in manifest["reports"].items():
        path = generation / layout.VECTORS_DIR / f"{entry.get('vectors')}.npy"
        try:
            vectors = np.load(path, allow_pickle=False)
        except FileNotFoundError:
            raise layout.corrupt_error(path, f"vectors of {report_id} missing") from None
        except (OSError, ValueError) as exc:
            raise layout.corrupt_error(path, f"unreadable: {exc}") from None
        if vectors.shape != (entry["passages"], manifest["dim"]):
            raise layout.corrupt_error(path, f"shape {vectors.shape}, expected "
                                             f"{(entry['passages'], manifest['dim'])}")
        parts.append(vectors)
    if not parts:
        return np.zeros((0, manifest["dim"]), dtype=np.float32)
    return np.concatenate(parts).astype(np.float32, copy=False)


class IndexStore:
    """A loaded index generation. Thread-safe for searching."""

    def __init__(self, index_dir: Path, generation: Path, manifest: dict, passages: list[Passage],
                 reports: dict[str, Report], bm25: Bm25Index, dense: DenseIndex | None,
                 embed_threads: int | None = None):
        self.index_dir = index_dir
        self.generation = generation
        self.manifest = manifest
        self.passages = passages
        self.reports = reports
        self._bm25 = bm25
        self._dense = dense
        self._rows: dict[str, range] = {
            rid: range(e["first_row"], e["first_row"] + e["passages"]) for rid, e in manifest["reports"].items()}
        self._tokenizer: Tokenizer | None = None
        self._primed: set[str] = set()  # reports whose index-time jieba cuts the tokenizer has
        self._embedder: Embedder | None = None
        self.embed_threads = embed_threads  # None: GOVQA_EMBED_THREADS (assistant.embedders)
        self._lock = threading.Lock()
        self._embed_lock = threading.Lock()  # the C/numpy engines are not documented thread-safe
        self._query_vector = functools.lru_cache(maxsize=QUERY_VECTORS_KEPT)(self._embed_query)
        self._unit_blocks = functools.lru_cache(maxsize=UNIT_REPORTS_KEPT)(self._read_unit_blocks)

    @classmethod
    def open(cls, index_dir: Path | str, settings: Settings, *, check_settings: bool = True) -> IndexStore:
        index_dir = Path(index_dir)
        generation = layout.current_generation(index_dir) if index_dir.is_dir() else None
        if generation is None:
            raise layout.missing_error(index_dir)
        if not generation.is_dir():
            raise layout.corrupt_error(generation, "generation folder missing")
        manifest = read_manifest(generation)
        if check_settings and (differences := settings_mismatch(manifest, settings)):
            raise _mismatch_error(index_dir, differences, settings)
        passages = read_passages(generation, manifest)
        reports = read_reports(generation, manifest)
        if not (generation / layout.BM25_DIR / "counts.npy").is_file() and \
                (generation / layout.BM25_DIR / "params.index.json").is_file():
            raise layout.IndexCorruptError(
                f"the index in {index_dir} was built by an older govqa (BM25 weights, not counts): "
                f"run `govqa index` once to update it (nothing is tokenised again)")
        try:
            bm25 = Bm25Index.load(generation / layout.BM25_DIR, len(passages))
        except Exception as exc:  # numpy and json raise many kinds for damaged files
            raise layout.corrupt_error(generation / layout.BM25_DIR, f"{type(exc).__name__}: {exc}") from None
        dense = DenseIndex(_load_vectors(generation, manifest)) if manifest["dense"] else None
        return cls(index_dir, generation, manifest, passages, reports, bm25, dense,
                   embed_threads=settings.embed_threads)

    @functools.cached_property
    def reports_by_year(self) -> dict[int | None, list[str]]:
        """Report ids by report year (retrieve.make_scope looks at the asked years' only)."""
        by_year: dict[int | None, list[str]] = {}
        for report_id, report in self.reports.items():
            by_year.setdefault(report.year, []).append(report_id)
        return by_year

    @property
    def dense_ready(self) -> bool:
        return self._dense is not None

    @property
    def embedder_name(self) -> str:
        return self.manifest["embedder"]

    def passages_of(self, report_id: str) -> list[Passage]:
        return [self.passages[i] for i in self._rows.get(report_id, ())]

    def rows_of(self, report_id: str) -> range:
        """Passage indexes of one report (contiguous), e.g. to build an `allowed` list."""
        return self._rows.get(report_id, range(0))

    @property
    def tokenizer(self) -> Tokenizer:
        with self._lock:
            if self._tokenizer is None:
                path = self.generation / layout.USERDICT
                try:
                    words = read_userdict(path)
                except OSError as exc:
                    raise layout.corrupt_error(path, str(exc)) from None
                self._tokenizer = Tokenizer(words)
            return self._tokenizer

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = get_embedder(self.embedder_name, threads=self.embed_threads)
            return self._embedder

    def prime(self, rows) -> None:
        """Give the tokenizer the index-time jieba cuts of the reports of these passages, so
        scoring their sentences does not cut them again (once per report; a report without a
        cuts file, from an older index, is simply cut at question time). Not needed where the
        index has the evidence units (the sentences' tokens): reading a report's cuts cost more
        (≈ 3 ms) than cutting the few clauses and headings a question tokenises beyond them."""
        reports = {self.passages[row].report for row in rows} - self._primed
        if not reports:
            return
        if self.manifest.get("units_version") == UNITS_VERSION:  # sentences come tokenised (units)
            return
        tokenizer = self.tokenizer
        with self._lock:
            for report_id in reports - self._primed:
                self._primed.add(report_id)
                key = self.manifest["reports"].get(report_id, {}).get("tokens")
                try:
                    tokenizer.add_cuts(self.cuts_of(key) if key else {})
                except (OSError, ValueError):  # missing or not UTF-8: cut at question time
                    continue

    def units(self, passage: Passage) -> Prepared | None:
        """The passage's evidence units computed at index time (search/units.py); None for an
        index without them or a damaged file (the scorer then prepares the passage itself)."""
        blocks = self._unit_blocks(passage.report)
        block = blocks.get((passage.start, passage.end)) if blocks else None
        return parse_block(block) if block is not None else None

    def _read_unit_blocks(self, report_id: str) -> dict[tuple[int, int], str] | None:
        key = self.manifest["reports"].get(report_id, {}).get("units")
        if not key or self.manifest.get("units_version") != UNITS_VERSION:
            return None
        try:
            text = self.units_text(key)
        except (OSError, ValueError):  # missing or not UTF-8: prepared at question time
            return None
        passages = self.passages_of(report_id)
        blocks = split_units(text)
        if len(blocks) != len(passages):
            return None
        return {(p.start, p.end): block for p, block in zip(passages, blocks, strict=True)}

    def units_text(self, key: str) -> str:
        """A report's units file (search/units.py), stored under its units key (a file here)."""
        return (self.generation / layout.units_file(key)).read_text(encoding="utf-8")

    def cuts_of(self, key: str) -> dict:
        """The index-time jieba cuts stored under a report's tokens key (a file here)."""
        return read_cuts(self.generation / layout.cuts_file(key))

    def warm_up(self) -> None:
        """Load jieba and (if dense) the query embedder now instead of at the first query, and
        read the reports' evidence units (the newest reports first, as many as are kept), so
        the first question about a report does not wait for its file; BM25's weights too."""
        self.tokenizer.tokenize("预热")
        self._bm25.weights()
        newest_first = sorted(self.reports, key=lambda rid: -(self.reports[rid].year or 0))
        for report_id in newest_first[:UNIT_REPORTS_KEPT]:
            self._unit_blocks(report_id)
        if self.dense_ready:
            self.embedder.embed_queries(["预热"])

    def bm25_search(self, query: str, k: int, allowed: Allowed = None,
                    ranges: Ranges | None = None) -> list[tuple[int, float]]:
        """(passage index, BM25 score) pairs, best first; only passages with a matching token.
        `ranges`: the rows `allowed` marks, as `row_ranges` gives them (scored alone)."""
        return self._bm25.search(self.tokenizer.tokenize(query), k, allowed, ranges)

    @functools.cached_property
    def lexicon(self) -> dict[str, str]:
        """English word -> Chinese word, mined at index time ({} for a corpus without parallel/)."""
        path = self.generation / layout.LEXICON
        try:
            lexicon = load_lexicon(path)
        except (OSError, ValueError) as exc:  # JSONDecodeError, bad UTF-8, unreadable
            raise layout.corrupt_error(path, f"{type(exc).__name__}: {exc}") from None
        if not isinstance(lexicon, dict):
            raise layout.corrupt_error(path, f"a {type(lexicon).__name__}, not an object")
        return lexicon

    def idf(self, tokens) -> dict[str, float]:
        """Token -> inverse document frequency over this index's passages (higher = rarer)."""
        from .bm25 import idf_weights

        return idf_weights(self._bm25, tokens)

    def dense_search(self, query: str, k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        """(passage index, cosine) pairs, best first; [] while the dense part is not built.
        The query is embedded here, only when there are vectors to compare it with."""
        if self._dense is None or not query.strip() or k <= 0:
            return []
        mask = allowed_mask(allowed, len(self.passages))
        if mask is not None and not mask.any():
            return []
        return self._dense.search(self._query_vector(query), k, mask)

    def _embed_query(self, query: str) -> np.ndarray:
        """The query's embedding, kept for the next searches of the same text (a multi-year
        question searches once per year); never written to."""
        embedder = self.embedder
        with self._embed_lock:
            return embedder.embed_queries([query])[0]

    def __repr__(self) -> str:
        return (f"<IndexStore {self.generation} reports={len(self.reports)} passages={len(self.passages)} "
                f"embedder={self.embedder_name} dense={self.dense_ready}>")
