"""Text embedders behind one small interface (see base.Embedder).

    embedder = get_embedder("use-m3")
    vectors = embedder.embed_passages(texts)   # (n, dim) float32, L2-normalized
    query = embedder.embed_queries([question])  # inner product = cosine

Names: "use-m3" (default), "e5-small", "st:<model folder or hub name>", "hash" (test fake).

Threads: every embedder runs on `threads` BLAS/OpenMP/torch threads, by default
GOVQA_EMBED_THREADS (default 1). Measured on this 2-core machine, one query at a time, 1 and
2 threads interleaved in one process: with both cores busy, use-m3 p50/p95 6.3/8.9 ms on
1 thread against 5.8/77.3 ms on 2, e5-small 59/123 ms against 623/3319 ms; at load ≈1.6 2
threads still had the long tail (use-m3 p95 187 ms against 6.7 ms) for a p50 gain of < 1 ms.
Only a big dense build on an idle machine gains from 2 (use-m3 148 against 113 passages/s;
e5-small is slower on 2: 4.2 against 6.6/s): GOVQA_EMBED_THREADS=2 govqa index.
"""

from __future__ import annotations

import os

from .base import Embedder, ProgressCallback, l2_normalize

EMBEDDER_NAMES = ("use-m3", "e5-small", "st:<model folder or hub name>", "hash")

__all__ = ["DEFAULT_THREADS", "EMBEDDER_NAMES", "Embedder", "ProgressCallback", "embed_threads",
           "get_embedder", "l2_normalize"]

DEFAULT_THREADS = 1
_cache: dict[str, Embedder] = {}


def embed_threads() -> int:
    """GOVQA_EMBED_THREADS (default 1): the threads an embedder runs on."""
    raw = os.environ.get("GOVQA_EMBED_THREADS", "").strip()
    if not raw:
        return DEFAULT_THREADS
    try:
        threads = int(raw)
    except ValueError:
        raise ValueError(f"GOVQA_EMBED_THREADS must be a whole number ≥ 1, not {raw!r}") from None
    if threads < 1:
        raise ValueError(f"GOVQA_EMBED_THREADS must be ≥ 1, not {threads}")
    return threads


def _create(name: str, threads: int) -> Embedder:
    if name == "use-m3":
        from .use_m3 import UseM3Embedder

        return UseM3Embedder(threads=threads)
    if name == "e5-small":
        from .e5_small import E5SmallEmbedder

        return E5SmallEmbedder(threads=threads)
    if name == "hash":
        from .hashing import HashEmbedder

        embedder = HashEmbedder()
        embedder.threads = threads  # numpy only, one thread either way
        return embedder
    if name.startswith("st:") and name[3:].strip():
        from .sentence_transformer import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(name[3:].strip(), threads=threads)
    raise ValueError(f"unknown embedder {name!r}; valid names: {', '.join(EMBEDDER_NAMES)}")


def get_embedder(name: str, *, cached: bool = True, threads: int | None = None) -> Embedder:
    """The embedder called `name`, loaded once per process (models are large), on `threads`
    threads (None: GOVQA_EMBED_THREADS, default 1; a cached one is switched to it)."""
    name = (name or "").strip()
    threads = embed_threads() if threads is None else int(threads)
    if threads < 1:
        raise ValueError(f"embedder threads must be ≥ 1, not {threads}")
    if not cached:
        return _create(name, threads)
    if name not in _cache:
        _cache[name] = _create(name, threads)
    elif _cache[name].threads != threads:
        _cache[name].set_threads(threads)
    return _cache[name]
