"""`hash`: a deterministic character n-gram hashing embedder (numpy only).

A TEST FAKE: it is fast and needs no model, so unit tests of the index can run in
seconds. It captures surface overlap only, not meaning. Never use it as the default."""

from __future__ import annotations

import zlib

import numpy as np

from .base import Embedder


class HashEmbedder(Embedder):
    name = "hash"
    version = "1"
    batch_size = 256

    def __init__(self, dim: int = 256, ngrams: tuple[int, ...] = (1, 2, 3)):
        self.dim = dim
        self.ngrams = ngrams

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        text = text.lower()
        for n in self.ngrams:
            for i in range(len(text) - n + 1):
                gram = text[i:i + n]
                if gram.isspace():
                    continue
                code = zlib.crc32(gram.encode("utf-8"))
                vector[code % self.dim] += 1.0 if (code >> 31) & 1 else -1.0
        return np.sign(vector) * np.sqrt(np.abs(vector))  # damp very frequent grams

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.stack([self._vector(text) for text in texts])
