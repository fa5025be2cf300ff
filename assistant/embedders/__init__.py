"""Text embedders behind one small interface (see base.Embedder).

    embedder = get_embedder("use-m3")
    vectors = embedder.embed_passages(texts)   # (n, dim) float32, L2-normalized
    query = embedder.embed_queries([question])  # inner product = cosine

Names: "use-m3" (default), "e5-small", "st:<model folder or hub name>", "hash" (test fake).
"""

from __future__ import annotations

from .base import Embedder, ProgressCallback, l2_normalize

EMBEDDER_NAMES = ("use-m3", "e5-small", "st:<model folder or hub name>", "hash")

__all__ = ["EMBEDDER_NAMES", "Embedder", "ProgressCallback", "get_embedder", "l2_normalize"]

_cache: dict[str, Embedder] = {}


def _create(name: str) -> Embedder:
    if name == "use-m3":
        from .use_m3 import UseM3Embedder

        return UseM3Embedder()
    if name == "e5-small":
        from .e5_small import E5SmallEmbedder

        return E5SmallEmbedder()
    if name == "hash":
        from .hashing import HashEmbedder

        return HashEmbedder()
    if name.startswith("st:") and name[3:].strip():
        from .sentence_transformer import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(name[3:].strip())
    raise ValueError(f"unknown embedder {name!r}; valid names: {', '.join(EMBEDDER_NAMES)}")


def get_embedder(name: str, *, cached: bool = True) -> Embedder:
    """The embedder called `name`, loaded once per process (models are large)."""
    name = (name or "").strip()
    if not cached:
        return _create(name)
    if name not in _cache:
        _cache[name] = _create(name)
    return _cache[name]
