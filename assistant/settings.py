"""One typed settings object. Every field can be set by an environment variable
with the prefix GOVQA_ (e.g. GOVQA_CORPUS, GOVQA_EMBEDDER, GOVQA_LLM_BASE_URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_corpus_dir() -> Path:
    """`corpus/` of the repository if it holds reports, else the shared corpus beside it."""
    local = REPO_ROOT / "corpus"
    if local.is_dir() and any(
        p.is_file() and p.suffix.lower() in {".txt", ".md", ".pdf", ".docx", ".html", ".htm"}
        and p.name.lower() != "readme.md"
        for p in local.rglob("*")
    ):
        return local
    return REPO_ROOT.parent / "shared" / "corpus"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOVQA_", extra="ignore")

    corpus: Path = Field(default_factory=default_corpus_dir)
    index_dir: Path = REPO_ROOT / "index"
    embedder: str = "use-m3"  # e5-small | use-m3 | st:<name or path> | hash (tests only)
    # BLAS/OpenMP/torch threads of the embedder. 1: on this 2-core machine with both cores
    # busy, a query on 2 threads had a 9x longer p95 (use-m3 77 vs 9 ms; e5-small 3.3 vs
    # 0.12 s); quiet, 2 threads saved < 1 ms of a use-m3 query. See assistant/embedders/__init__.py.
    embed_threads: int = Field(default=1, ge=1)

    # where the index is served from: local (the index folder) | milvus (docs/scale-out.md)
    index_backend: str = "local"
    milvus_uri: str = ""  # a file path (Milvus Lite) or http://host:19530; empty: <index_dir>/milvus.db
    milvus_token: str = ""  # "user:password" of a Milvus server with authentication
    milvus_prefix: str = "govqa"  # collections <prefix>_p_<gen>, <prefix>_m_<gen>; alias <prefix>_live

    # chunking, in Chinese characters (English: tiktoken cl100k tokens)
    chunk_target: int = 300
    chunk_max: int = 400
    chunk_min: int = 150

    # retrieval: reciprocal rank fusion of BM25 and dense ranks
    top_k: int = 8
    rrf_k: int = 20  # small: with two retrievers, the top ranks should count most
    bm25_weight: float = 1.0
    # Measured on eval/dev.jsonl (extractive, use-m3): dense weight 1.0 -> 139/202 right,
    # 0.3 -> 150, 0.1 -> 153 (= keyword alone). Dense ranks mainly break ties and rescue
    # questions with no keyword match.
    dense_weight: float = 0.1
    candidates: int = 50  # per retriever, before fusion

    # answering: the evidence score (see assistant/evidence.py) an answer needs; below it we
    # refuse. Calibrated on eval/dev.jsonl with `python -m assistant.calibrate`.
    answer_threshold: float = 0.48
    # English questions score lower (only 28 in the dev set: a coarse calibration)
    answer_threshold_en: float = 0.64
    mode: str = "extractive"  # extractive | llm
    # openai: any OpenAI-compatible server (Ollama, llama.cpp server, vLLM) at llm_base_url;
    # llamacpp: the GGUF file llm_gguf loaded in process (the optional extra .[local-llm])
    llm_backend: Literal["openai", "llamacpp"] = "openai"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = "EMPTY"
    llm_gguf: Path | None = None
    llm_threads: int = Field(default=2, ge=1)  # llamacpp: CPU threads of generation
    llm_timeout: float = 30.0
    llm_context_tokens: int = 6000
    max_question_chars: int = 500

    # app
    staff_user: str = ""
    staff_password: str = ""
    upload_max_mb: int = 20

    @property
    def llm_configured(self) -> bool:
        if self.llm_backend == "llamacpp":
            return bool(self.llm_gguf)
        return bool(self.llm_base_url and self.llm_model)


def load_settings(**overrides) -> Settings:
    """Settings from the environment, with explicit (non-None) overrides, e.g. from the CLI."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
