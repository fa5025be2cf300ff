"""`st:<name or path>`: any sentence-transformers model from a local folder (or the
Hugging Face hub when it is reachable and HF_HUB_OFFLINE is not set).

Threads: sentence-transformers runs on torch, whose intra-op thread pool is set with
torch.set_num_threads — one setting for the whole process, applied when the embedder is
created (and by set_threads)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .base import Embedder

QUERY_PROMPTS = ("query",)
PASSAGE_PROMPTS = ("passage", "document", "doc")


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _check_cached(name: str) -> None:
    """Offline and not a folder: the model must already be in the Hugging Face cache."""
    from huggingface_hub import snapshot_download

    try:
        snapshot_download(name, local_files_only=True)
    except Exception as exc:
        raise ValueError(f"st:{name}: HF_HUB_OFFLINE=1 is set and the model is not in the local "
                         f"Hugging Face cache ({type(exc).__name__}); give the path of a local "
                         f"sentence-transformers model folder instead") from None


def load_sentence_transformer(name_or_path: str):
    """The model, or a ValueError that says why not (never a silent download offline)."""
    folder = Path(name_or_path).expanduser()
    is_folder = folder.is_dir()
    if not is_folder and name_or_path.startswith((".", "/", "~")):
        raise ValueError(f"st:{name_or_path}: no such model folder")
    if not is_folder and hub_offline():
        _check_cached(name_or_path)
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(str(folder) if is_folder else name_or_path, device="cpu",
                                   local_files_only=hub_offline() and not is_folder)
    except Exception as exc:
        where = "the model folder" if is_folder else "the model from the hub"
        raise ValueError(f"st:{name_or_path}: cannot load {where} ({type(exc).__name__}: {exc})") from exc


def _prompt_name(model, candidates: tuple[str, ...]) -> str | None:
    prompts = getattr(model, "prompts", None) or {}
    return next((name for name in candidates if name in prompts), None)


class SentenceTransformerEmbedder(Embedder):
    batch_size = 32

    def __init__(self, name_or_path: str, threads: int = 1):
        self.name = f"st:{name_or_path}"
        self.threads = int(threads)
        self._model = load_sentence_transformer(name_or_path)
        self._apply_threads()
        import sentence_transformers

        self.version = sentence_transformers.__version__
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def _apply_threads(self) -> None:
        import torch

        torch.set_num_threads(self.threads)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        prompt = _prompt_name(self._model, QUERY_PROMPTS if is_query else PASSAGE_PROMPTS)
        return self._model.encode(texts, prompt_name=prompt, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)
