"""The BM25 index as term counts: built by joining per-report counts, scored at question time.

bm25s precomputes a weight for every (passage, token) pair; those weights depend on the whole
corpus (idf, mean passage length), so one changed report changed all of them and an update
recomputed the matrix of every passage. This index stores what does not change: each
passage's token counts and length, token-major (CSC: per token its passages and counts).
Each report's counts are kept beside its token lists (`tokens/<key>.counts-<vocabulary>.npy`,
`report_counts`), over a vocabulary that only grows between `--rebuild`s (new tokens are
appended, so the ids in a kept file stay valid), and a build joins them (`from_parts`).

Once per loaded index (first search or the store's warm-up) every pair's weight is computed
from the counts with bm25s's formulas, in its order of float64 operations and stored as
float32: bm25s's weights bit for bit (tests/test_incremental.py, tests/test_bm25_scope.py). A
query's are summed over its distinct tokens in float64 and rounded to float32 (bm25s adds in
float32, in the order of its vocabulary), so a score does not depend on the vocabulary's order;
a question's scope of at most half the passages is scored alone (`search`)."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

K1, B = 1.5, 0.75  # bm25s's defaults (Lucene)
FORMAT = "counts-1"
WEIGHT_BLOCK = 1 << 18  # pairs weighed at a time: ≈ 7 MB of temporaries (all at once: 370 MB at 16×)
SCORE_CACHE_SIZE = 8  # queries whose score vector over all passages is kept (4 bytes a passage)
# A scope holding more than this share of the passages is scored over all of them: gathering
# a scope's postings range by range costs about as much as scoring them, so beyond half of the
# corpus the whole-array pass (whose scores are also kept for the next search) is cheaper
# (measured at 16×: 1.4-1.6× slower sliced for scopes of 82-89 % of the passages).
SLICED_SHARE_MAX = 0.5
FILES = ("counts", "indices", "indptr", "lengths")

Allowed = Sequence[int] | np.ndarray | None  # passage indexes, or a boolean mask over all passages
Ranges = np.ndarray  # (n, 2) int64 rows [start, stop) of the allowed passages: sorted, disjoint, not adjacent


def row_ranges(rows: Iterable[range]) -> Ranges:
    """The `Ranges` of some row ranges (a scope's reports): sorted, empty ones dropped,
    adjacent or overlapping ones joined."""
    merged: list[list[int]] = []
    for row in sorted((r for r in rows if len(r)), key=lambda r: r.start):
        if merged and row.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], row.stop)
        else:
            merged.append([row.start, row.stop])
    return np.asarray(merged, dtype=np.int64).reshape(-1, 2)


def allowed_mask(allowed: Allowed, size: int) -> np.ndarray | None:
    """A boolean mask of length `size` from a mask or a list of passage indexes (None = all)."""
    if allowed is None:
        return None
    array = np.asarray(allowed)
    if array.dtype == bool:
        if array.shape != (size,):
            raise ValueError(f"allowed mask has shape {array.shape}, expected ({size},)")
        return array
    mask = np.zeros(size, dtype=bool)
    if array.size:
        mask[array.astype(np.int64)] = True
    return mask


def top_k(scores: np.ndarray, k: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
    """The k best (index, score) pairs with a positive score, best first."""
    scores = np.asarray(scores, dtype=np.float32)
    positive = scores > 0
    if mask is not None:
        positive &= mask
    candidates = np.flatnonzero(positive)
    return best_of(candidates, scores[candidates], k)


def best_of(rows: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k best (row, score) pairs of `rows` (ascending, float32 `scores` all positive), best
    first, ties by row."""
    if k <= 0 or rows.size == 0:
        return []
    if rows.size > k:
        pick = np.argpartition(-scores, k - 1)[:k]
        rows, scores = rows[pick], scores[pick]
    order = np.lexsort((rows, -scores))
    return [(int(rows[i]), float(scores[i])) for i in order]


def report_counts(token_lists: Sequence[list[str]], vocab: dict[str, int]) -> np.ndarray:
    """One report's passages as token counts, packed in one int32 array
    [passages, nnz, lengths…, indptr…, token ids…, counts…] (rows = passages, CSR); `vocab`
    gains the report's new tokens in order of first occurrence. An empty passage counts as the
    one token "" (bm25s needs a token per passage)."""
    n = len(token_lists)
    lengths = np.empty(n, dtype=np.int64)
    ids: list[int] = []
    for row, tokens in enumerate(token_lists):
        tokens = tokens or [""]
        lengths[row] = len(tokens)
        ids.extend([vocab.setdefault(token, len(vocab)) for token in tokens])
    width = max(len(vocab), 1)
    docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pairs, counts = np.unique(docs * width + np.asarray(ids, dtype=np.int64), return_counts=True)
    docs_of, ids_of = np.divmod(pairs, width)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs_of, minlength=n), out=indptr[1:])
    return np.concatenate([[n, len(pairs)], lengths, indptr, ids_of, counts]).astype(np.int32)


def unpack(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lengths, indptr, token ids, counts) of a `report_counts` array."""
    n, nnz = int(packed[0]), int(packed[1])
    lengths = packed[2:2 + n]
    indptr = packed[2 + n:3 + 2 * n]
    ids = packed[3 + 2 * n:3 + 2 * n + nnz]
    return lengths, indptr, ids, packed[3 + 2 * n + nnz:3 + 2 * n + 2 * nnz]


class Bm25Index:
    """Token counts of every passage (rows = passage indexes) and the vocabulary."""

    def __init__(self, vocab: dict[str, int], indptr: np.ndarray, indices: np.ndarray,
                 counts: np.ndarray, lengths: np.ndarray, k1: float = K1, b: float = B):
        self.vocab = vocab
        self.indptr, self.indices, self.counts, self.lengths = indptr, indices, counts, lengths
        self.size = len(lengths)
        self.k1, self.b = k1, b
        # bm25s's length normalisation per passage, in its order of operations
        self._norm = k1 * ((1 - b) + b * lengths / lengths.mean()) if self.size else np.zeros(0)
        # the scores of the last queries: a multi-year question searches the same tokens once
        # per year, each time in another year's passages (the scores are never written to)
        self._scores = functools.lru_cache(maxsize=SCORE_CACHE_SIZE)(self._scores_of)

    @classmethod
    def from_parts(cls, parts: Sequence[np.ndarray], vocab: dict[str, int]) -> Bm25Index:
        """The index of the passages of `parts` (`report_counts` arrays, in row order)."""
        if "" not in vocab:
            vocab[""] = len(vocab)  # as bm25s: the empty token exists
        unpacked = [unpack(part) for part in parts]
        lengths = np.concatenate([u[0] for u in unpacked] or [np.zeros(0, np.int32)]).astype(np.int64)
        offsets = np.cumsum([0] + [int(u[1][-1]) for u in unpacked])
        indptr = np.concatenate([[0]] + [u[1][1:].astype(np.int64) + o for u, o in zip(unpacked, offsets, strict=False)])
        ids = np.concatenate([u[2] for u in unpacked] or [np.zeros(0, np.int32)])
        counts = np.concatenate([u[3] for u in unpacked] or [np.zeros(0, np.int32)])
        if counts.size == 0 or counts.max() < 1 << 16:
            counts = counts.astype(np.uint16)  # 2 bytes a (passage, token) pair
        csc = csr_matrix((counts, ids, indptr), shape=(len(lengths), len(vocab))).tocsc()
        return cls(vocab, csc.indptr.astype(np.int64, copy=False), csc.indices.astype(np.int32, copy=False),
                   csc.data, lengths)

    @classmethod
    def build(cls, token_lists: Sequence[list[str]]) -> Bm25Index:
        vocab: dict[str, int] = {}
        return cls.from_parts([report_counts(token_lists, vocab)], vocab)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            np.save(folder / f"{name}.npy", getattr(self, name))
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        (folder / "vocab.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        (folder / "params.json").write_text(json.dumps({"format": FORMAT, "k1": self.k1, "b": self.b,
                                                        "passages": self.size}), encoding="utf-8")

    @staticmethod
    def load_vocab(folder: Path) -> dict[str, int]:
        terms = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        return {term: i for i, term in enumerate(terms)}

    @classmethod
    def load(cls, folder: Path, size: int) -> Bm25Index:
        params = json.loads((folder / "params.json").read_text(encoding="utf-8"))
        if params.get("format") != FORMAT:
            raise ValueError(f"BM25 index of format {params.get('format')!r} (an older govqa), "
                             f"this govqa reads {FORMAT!r}")
        arrays = {name: np.load(folder / f"{name}.npy", allow_pickle=False) for name in FILES}
        index = cls(cls.load_vocab(folder), arrays["indptr"], arrays["indices"], arrays["counts"],
                    arrays["lengths"].astype(np.int64), params["k1"], params["b"])
        if index.size != size or len(index.indptr) != len(index.vocab) + 1:
            raise ValueError(f"BM25 index has {index.size} passages and {len(index.indptr) - 1} tokens, "
                             f"expected {size} and {len(index.vocab)}")
        return index

    def df(self, token_id: int) -> int:
        return int(self.indptr[token_id + 1] - self.indptr[token_id])

    def idf(self, token_id: int) -> np.float32:
        """bm25s's (Lucene's) idf, computed in float64 and stored as float32."""
        d = self.df(token_id)
        return np.float32(math.log(1 + (self.size - d + 0.5) / (d + 0.5)) if d else 0.0)

    @functools.cached_property
    def _weights(self) -> np.ndarray:
        """The float32 BM25 weight of every stored (passage, token) pair, in CSC order: bm25s's
        weights bit for bit, in its order of operations (tf / (norm + tf) in float64, times
        the token's float32 idf, rounded to float32). Computed once per loaded index, on first
        use (a build never needs them): at 16× 18.6 M pairs, 74 MB, ≈ 0.7 s; WEIGHT_BLOCK pairs
        at a time, so the float64 temporaries stay small beside them."""
        idf = np.asarray([self.idf(t) for t in range(len(self.indptr) - 1)], dtype=np.float32)
        weights = np.empty(len(self.counts), dtype=np.float32)
        for start in range(0, len(weights), WEIGHT_BLOCK):
            block = slice(start, min(start + WEIGHT_BLOCK, len(weights)))
            idf_of = np.repeat(idf, np.diff(np.clip(self.indptr, block.start, block.stop)))  # each pair's token's
            tf = self.counts[block].astype(np.float32)
            weights[block] = (idf_of * (tf / (self._norm[self.indices[block]] + tf))).astype(np.float32)
        return weights

    def column(self, token_id: int, ranges: Ranges | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(passages, float32 BM25 weights) of one token, of the passages in `ranges` if given."""
        start, end = self.indptr[token_id], self.indptr[token_id + 1]
        docs, weights = self.indices[start:end], self._weights[start:end]
        if ranges is None:
            return docs, weights
        # a column's passages ascend (CSC from CSR); bounds in their dtype, else numpy copies the column
        low, high = np.searchsorted(docs, ranges.astype(docs.dtype, copy=False).T)
        if len(ranges) == 1:
            return docs[low[0]:high[0]], weights[low[0]:high[0]]
        sizes = high - low
        keep = np.arange(sizes.sum()) + np.repeat(low - (np.cumsum(sizes) - sizes), sizes)
        return docs[keep], weights[keep]

    def weights(self) -> np.ndarray:
        """The float32 weight of every stored (passage, token) pair, in CSC order (Milvus)."""
        return self._weights

    def _scores_of(self, ids: tuple[int, ...]) -> np.ndarray:
        """Per passage the sum of the tokens' float32 weights, added in float64 and then
        rounded to float32: the same in any order of the tokens (a few dozen float32 addends
        sum exactly in float64), so an update, whose new tokens come last in the vocabulary,
        scores as a full build does. (bincount adds in its input's order: per passage, token
        after token, from 0.)"""
        columns = [self.column(token_id) for token_id in ids]
        docs = np.concatenate([c[0] for c in columns])
        weights = np.concatenate([c[1] for c in columns]).astype(np.float64)
        return np.bincount(docs, weights, minlength=self.size).astype(np.float32)

    def _scores_in(self, ids: tuple[int, ...], ranges: Ranges) -> tuple[np.ndarray, np.ndarray]:
        """(rows ascending, float32 scores) of the passages of `ranges` with a positive score:
        the scores `_scores_of` gives them (the same weights, added per passage in the same
        order in float64), from the tokens' postings inside the ranges only."""
        starts, stops = ranges[:, 0], ranges[:, 1]
        sizes = stops - starts
        offsets = np.cumsum(sizes) - sizes  # where each range begins among the scope's rows
        columns = [self.column(token_id, ranges) for token_id in ids]
        docs = np.concatenate([c[0] for c in columns]).astype(np.int64)
        weights = np.concatenate([c[1] for c in columns]).astype(np.float64)
        which = np.searchsorted(stops, docs, side="right")  # the range holding each passage
        scores = np.bincount(docs - starts[which] + offsets[which], weights, minlength=int(sizes.sum()))
        scores = scores.astype(np.float32)
        local = np.flatnonzero(scores > 0)
        which = np.searchsorted(offsets, local, side="right") - 1
        return local - offsets[which] + starts[which], scores[local]

    def search(self, tokens: list[str], k: int, allowed: Allowed = None,
               ranges: Ranges | None = None) -> list[tuple[int, float]]:
        """The k best passages for `tokens` among the `allowed` ones. `ranges`, when given, are
        the rows `allowed` marks (`row_ranges`; retrieve.Scope keeps both): with at most
        SLICED_SHARE_MAX of the passages in them only those rows are scored (the same hits, for
        work that grows with the scope rather than with the corpus), else every passage is."""
        ids = tuple(sorted({self.vocab[t] for t in tokens if t and t in self.vocab}))
        if not ids:
            return []
        if ranges is not None and int((ranges[:, 1] - ranges[:, 0]).sum()) <= SLICED_SHARE_MAX * self.size:
            return best_of(*self._scores_in(ids, ranges), k)
        return top_k(self._scores(ids), k, allowed_mask(allowed, self.size))
