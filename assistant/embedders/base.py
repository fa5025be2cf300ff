"""The embedder interface: texts in, float32 L2-normalized rows out (inner product = cosine)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

ProgressCallback = Callable[[int, int], None]  # (texts done, texts total)


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (all-zero rows stay zero), as contiguous float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


class Embedder:
    """Base class. A backend implements `_encode(texts, is_query)`; batching, progress and
    normalization live here so every backend behaves the same."""

    name: str = ""
    dim: int = 0
    version: str = ""  # package version, recorded in the index manifest
    batch_size: int = 32
    threads: int = 1  # BLAS/OpenMP/torch threads (see assistant.embedders: GOVQA_EMBED_THREADS)

    def set_threads(self, threads: int) -> None:
        """Run on `threads` threads from now on (a backend applies it in `_apply_threads`)."""
        self.threads = int(threads)
        self._apply_threads()

    def _apply_threads(self) -> None:
        pass

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(list(texts), is_query=True)

    def embed_passages(
        self,
        texts: Sequence[str],
        progress: bool = False,
        callback: ProgressCallback | None = None,
    ) -> np.ndarray:
        """(len(texts), dim) float32. `progress` shows a tqdm bar; `callback` is told
        (done, total) after each batch, e.g. for a progress bar in the app."""
        return self._embed(list(texts), is_query=False, progress=progress, callback=callback)

    def _embed(self, texts, is_query, progress=False, callback=None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc=f"embedding ({self.name})", unit="passage")
        parts = []
        try:
            for start in range(0, len(texts), self.batch_size):
                batch = texts[start:start + self.batch_size]
                parts.append(l2_normalize(self._encode(batch, is_query)))
                if bar is not None:
                    bar.update(len(batch))
                if callback is not None:
                    callback(min(start + len(batch), len(texts)), len(texts))
        finally:
            if bar is not None:
                bar.close()
        vectors = np.concatenate(parts)
        if vectors.shape != (len(texts), self.dim):
            raise RuntimeError(f"{self.name}: expected {(len(texts), self.dim)} vectors, got {vectors.shape}")
        return vectors

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} dim={self.dim}>"
