"""Hybrid retrieval index: BM25 over jieba tokens + dense FAISS, persisted and incremental."""

from .store import (
    BuildSummary,
    DiskFullError,
    IndexCorruptError,
    IndexLockedError,
    IndexMismatchError,
    IndexMissingError,
    IndexStore,
    IndexStoreError,
    build_dense,
    build_index,
)

__all__ = ["BuildSummary", "DiskFullError", "IndexCorruptError", "IndexLockedError", "IndexMismatchError",
           "IndexMissingError", "IndexStore", "IndexStoreError", "build_dense", "build_index"]
