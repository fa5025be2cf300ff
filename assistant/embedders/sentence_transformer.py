"""`st:<name or path>`: any sentence-transformers model from a local folder (or the
Hugging Face hub when it is reachable and HF_HUB_OFFLINE is not set)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .base import Embedder

QUERY_PROMPTS = ("query",)
PASSAGE_PROMPTS = ("passage", "document", "doc")


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def load_sentence_transformer(name_or_path: str):
    """The model, or a ValueError that says why not (never a silent download offline)."""
    from sentence_transformers import SentenceTransformer

    is_folder = Path(name_or_path).expanduser().is_dir()
    if not is_folder and name_or_path.startswith((".", "/", "~")):
        raise ValueError(f"st:{name_or_path}: no such model folder")
    offline = hub_offline()
    try:
        return SentenceTransformer(
            str(Path(name_or_path).expanduser()) if is_folder else name_or_path,
            device="cpu", local_files_only=offline and not is_folder)
    except Exception as exc:
        if is_folder:
            raise ValueError(f"st:{name_or_path}: cannot load the model folder ({type(exc).__name__}: {exc})") from exc
        where = ("HF_HUB_OFFLINE=1 is set and it is not in the local Hugging Face cache"
                 if offline else "it is neither a local folder nor loadable from the hub")
        raise ValueError(f"st:{name_or_path}: cannot load the model: {where}. "
                         f"Give the path of a local sentence-transformers model folder.") from exc


def _prompt_name(model, candidates: tuple[str, ...]) -> str | None:
    prompts = getattr(model, "prompts", None) or {}
    return next((name for name in candidates if name in prompts), None)


class SentenceTransformerEmbedder(Embedder):
    batch_size = 32

    def __init__(self, name_or_path: str):
        import sentence_transformers

        self.name = f"st:{name_or_path}"
        self.version = sentence_transformers.__version__
        self._model = load_sentence_transformer(name_or_path)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        prompt = _prompt_name(self._model, QUERY_PROMPTS if is_query else PASSAGE_PROMPTS)
        return self._model.encode(texts, prompt_name=prompt, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)
