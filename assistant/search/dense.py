"""Dense search: a FAISS IndexFlatIP over L2-normalized passage vectors (inner product =
cosine), optionally restricted to a subset of passages with an IDSelector."""

from __future__ import annotations

import numpy as np

from .bm25 import Allowed, allowed_mask


class DenseIndex:
    def __init__(self, vectors: np.ndarray):
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D, got shape {vectors.shape}")
        self.size, self.dim = vectors.shape
        self._index = faiss.IndexFlatIP(self.dim)
        if self.size:
            self._index.add(vectors)

    def search(self, query: np.ndarray, k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        """The k passages closest to `query` (one normalized vector): (index, cosine), best first."""
        import faiss

        query = np.ascontiguousarray(np.asarray(query, dtype=np.float32).reshape(1, -1))
        if query.shape[1] != self.dim:
            raise ValueError(f"query vector has dimension {query.shape[1]}, the index {self.dim}")
        mask = allowed_mask(allowed, self.size)
        params = None
        limit = self.size
        if mask is not None:
            ids = np.flatnonzero(mask).astype(np.int64)
            limit = ids.size
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(ids))
        k = min(k, limit)
        if k <= 0:
            return []
        scores, labels = self._index.search(query, k, params=params)
        return [(int(i), float(s)) for i, s in zip(labels[0], scores[0], strict=True) if i >= 0]
