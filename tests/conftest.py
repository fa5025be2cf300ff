"""Shared test set-up.

- Every test runs offline (HF_HUB_OFFLINE=1) with GOVQA_INDEX_DIR pointing into its own tmp_path,
  so no test writes into the repository's index/.
- `corpus_dir`: the real shared corpus (GOVQA_CORPUS or ../shared/corpus); tests read it, never copy
  it into the repository.
- `full_index`: one real keyword index of the whole shared corpus, built once per test session
  (≈45 s); `qa` is a QA object over it. Dense embedding of all 13k passages takes far longer on
  2 cores, so dense retrieval is tested on smaller real corpora in test_index.py / test_qa_dense.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.settings import REPO_ROOT, Settings

SHARED_CORPUS = Path(os.environ.get("GOVQA_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")


@pytest.fixture(autouse=True)
def _isolated_data_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("GOVQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("GOVQA_CORPUS", str(SHARED_CORPUS))
    for name in ("GOVQA_LLM_BASE_URL", "GOVQA_LLM_MODEL", "GOVQA_MODE", "GOVQA_EMBEDDER"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (SHARED_CORPUS / "reports.csv").is_file():
        pytest.fail(f"shared corpus not found at {SHARED_CORPUS} (set GOVQA_CORPUS)")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def full_index(tmp_path_factory, corpus_dir) -> Path:
    """The whole shared corpus indexed once (keyword part) for the session."""
    from assistant.qa import load_all_reports
    from assistant.search import build_index

    index_dir = tmp_path_factory.mktemp("full-index")
    settings = Settings(corpus=corpus_dir, index_dir=index_dir)
    build_index(load_all_reports(settings), index_dir, settings, dense=False, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def qa(full_index, corpus_dir):
    from assistant.qa import QA

    return QA(Settings(corpus=corpus_dir, index_dir=full_index), background_dense=False)
