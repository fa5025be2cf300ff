"""The persisted hybrid index on real reports: round trip, BM25 terms and subsets, incremental
updates, atomic swaps (SIGKILL mid-build), damaged files and settings mismatches."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.chunking import CHUNKER_VERSION
from assistant.cli import main as govqa
from assistant.corpus import load_corpus
from assistant.embedders.hashing import HashEmbedder
from assistant.search import (
    IndexCorruptError,
    IndexLockedError,
    IndexMismatchError,
    IndexMissingError,
    IndexStore,
    build_dense,
    build_index,
)
from assistant.search import build as build_module
from assistant.search.bm25 import Tokenizer
from assistant.search.layout import BuildLock, current_generation
from assistant.settings import REPO_ROOT, load_settings

CORPUS = Path(os.environ.get("GOVQA_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")
FIVE = ["national_china_2024.txt", "national_china_2019.txt", "provincial_hebei_2026.txt",
        "provincial_jilin_2025.txt", "county_changzi_2024.txt"]
BONDS = "超长期特别国债"


def make_corpus(folder: Path, names: list[str]) -> Path:
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    for name in names:
        target = folder / "reports" / name
        shutil.copyfile(CORPUS / "reports" / name, target)
        target.chmod(0o644)
    return folder


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    return make_corpus(tmp_path / "corpus", FIVE)


@pytest.fixture
def settings(tmp_path):
    return load_settings(index_dir=tmp_path / "index", embedder="hash")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One hash-embedder index of the five reports, shared by the tests that only read it."""
    root = tmp_path_factory.mktemp("built")
    corpus_dir = make_corpus(root / "corpus", FIVE)
    settings = load_settings(index_dir=root / "index", embedder="hash")
    summary = build_index(corpus_dir, settings.index_dir, settings, progress=False)
    return corpus_dir, settings, summary


@pytest.fixture
def built_copy(built, tmp_path):
    """A private copy of the shared index, free to damage."""
    corpus_dir, settings, _ = built
    shutil.copytree(settings.index_dir, tmp_path / "index")
    return corpus_dir, load_settings(index_dir=tmp_path / "index", embedder="hash")


class CountingEmbedder(HashEmbedder):
    """The hash fake, counting the passages it is asked to embed."""

    def __init__(self):
        super().__init__()
        self.passages_embedded: list[str] = []

    def embed_passages(self, texts, progress=False, callback=None):
        self.passages_embedded.extend(texts)
        return super().embed_passages(texts, progress, callback)


def test_round_trip(built):
    corpus_dir, settings, summary = built
    assert sorted(summary.added) == sorted(f"reports/{n}" for n in FIVE) and not summary.errors
    store = IndexStore.open(settings.index_dir, settings)
    corpus = load_corpus(corpus_dir)
    assert store.dense_ready and len(store.passages) == summary.passages == summary.embedded
    assert set(store.reports) == set(corpus.reports)
    for passage in store.passages[::25]:
        assert corpus.texts[passage.report][passage.start:passage.end] == passage.text
    manifest = store.manifest
    assert manifest["embedder"] == "hash" and manifest["dim"] == 256
    assert manifest["chunking"] == {"chunk_target": settings.chunk_target, "chunk_min": settings.chunk_min,
                                    "chunk_max": settings.chunk_max, "chunker_version": CHUNKER_VERSION}
    assert {"faiss-cpu", "bm25s", "jieba"} <= set(manifest["versions"])
    for report_id, entry in manifest["reports"].items():
        assert entry["sha256"] == corpus.reports[report_id].sha256
        assert len(store.passages_of(report_id)) == entry["passages"] > 0
    hits = store.dense_search("发行超长期特别国债", 5)
    scores = [score for _, score in hits]
    assert len(hits) == 5 and scores == sorted(scores, reverse=True) and -1.0 <= scores[-1] <= scores[0] <= 1.0001


def test_bm25_finds_a_domain_term_and_respects_the_subset(built):
    _, settings, _ = built
    store = IndexStore.open(settings.index_dir, settings)
    assert BONDS in store.tokenizer.tokenize(f"今年发行{BONDS}1万亿元，增长5%左右")
    assert {"5", "1"} <= set(store.tokenizer.tokenize(f"今年发行{BONDS}1万亿元，增长5%左右"))
    hits = store.bm25_search(BONDS, 5)
    assert BONDS in store.passages[hits[0][0]].text
    national = [i for i in store.rows_of("reports/national_china_2024.txt") if BONDS in store.passages[i].text]
    assert national and national[0] in [index for index, _ in hits]
    rows_2019 = store.rows_of("reports/national_china_2019.txt")
    subset_hits = store.bm25_search(BONDS + "发行", 10, allowed=list(rows_2019))
    assert subset_hits and all(index in rows_2019 for index, _ in subset_hits)
    mask = np.zeros(len(store.passages), dtype=bool)
    mask[list(store.rows_of("reports/provincial_hebei_2026.txt"))] = True
    masked = store.bm25_search(BONDS, 10, allowed=mask)
    assert masked and all(mask[index] for index, _ in masked)
    assert store.bm25_search(BONDS, 10, allowed=[]) == []
    dense_hits = store.dense_search(BONDS, 10, allowed=mask)
    assert dense_hits and all(mask[index] for index, _ in dense_hits)


def test_private_jieba_does_not_leak_user_words():
    import jieba

    Tokenizer(["长子县新词组"])
    assert "长子县新词组" not in jieba.lcut("长子县新词组")


def test_incremental_update_reembeds_only_changed_and_added(tmp_path, corpus_dir, settings, monkeypatch):
    counter = CountingEmbedder()
    monkeypatch.setattr(build_module, "get_embedder", lambda name, **_: counter)
    first = build_index(corpus_dir, settings.index_dir, settings, progress=False)
    assert len(counter.passages_embedded) == first.passages
    changed = corpus_dir / "reports" / "national_china_2019.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n我们将建设增量测试示范区。\n", encoding="utf-8")
    (corpus_dir / "reports" / "provincial_jilin_2025.txt").unlink()
    make_corpus(corpus_dir, ["provincial_hebei_2025.txt"])
    counter.passages_embedded.clear()
    second = build_index(corpus_dir, settings.index_dir, settings, progress=False)
    assert second.changed == ["reports/national_china_2019.txt"]
    assert second.added == ["reports/provincial_hebei_2025.txt"]
    assert second.removed == ["reports/provincial_jilin_2025.txt"]
    store = IndexStore.open(settings.index_dir, settings)
    expected = len(store.passages_of("reports/national_china_2019.txt")) + \
        len(store.passages_of("reports/provincial_hebei_2025.txt"))
    assert len(counter.passages_embedded) == second.embedded == expected
    assert all(p.report != "reports/provincial_jilin_2025.txt" for p in store.passages)
    top = store.passages[store.bm25_search("增量测试示范区", 1)[0][0]]
    assert top.report == "reports/national_china_2019.txt" and "增量测试示范区" in top.text
    counter.passages_embedded.clear()
    assert build_index(corpus_dir, settings.index_dir, settings, progress=False).embedded == 0


def test_keyword_only_then_dense(corpus_dir, settings):
    build_index(corpus_dir, settings.index_dir, settings, dense=False, progress=False)
    keyword_only = IndexStore.open(settings.index_dir, settings)
    assert not keyword_only.dense_ready and keyword_only.dense_search(BONDS, 5) == []
    assert keyword_only.bm25_search(BONDS, 5)
    seen = []
    summary = build_dense(settings.index_dir, settings, progress_callback=lambda done, total: seen.append((done, total)))
    store = IndexStore.open(settings.index_dir, settings)
    assert store.dense_ready and summary.embedded == len(store.passages) == seen[-1][0] == seen[-1][1]
    assert store.dense_search(BONDS, 3)


def test_sigkill_during_embedding_keeps_the_previous_index(corpus_dir, settings):
    build_index(corpus_dir, settings.index_dir, settings, progress=False)
    live = current_generation(settings.index_dir)
    script = ("import sys; from assistant.settings import load_settings; from assistant.search import build_index; "
              "s = load_settings(index_dir=sys.argv[2], embedder='use-m3'); "
              "build_index(sys.argv[1], s.index_dir, s, progress=False)")
    child = subprocess.Popen([sys.executable, "-c", script, str(corpus_dir), str(settings.index_dir)],
                             cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            building = [g for g in settings.index_dir.glob("gen-*") if g != live]
            if building and any((building[0] / "vectors").glob("*.npy")):
                break
            time.sleep(0.05)
        assert child.poll() is None, "the build finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert current_generation(settings.index_dir) == live
    store = IndexStore.open(settings.index_dir, settings)
    assert BONDS in store.passages[store.bm25_search(BONDS, 1)[0][0]].text and store.dense_search(BONDS, 1)
    build_index(corpus_dir, settings.index_dir, settings, progress=False)  # lock released by the kernel
    assert len(list(settings.index_dir.glob("gen-*"))) == 2  # the half-built generation was removed


@pytest.mark.parametrize("damage", ["passages", "bm25", "vectors", "pointer"])
def test_damaged_file_names_the_rebuild_command(built_copy, damage):
    corpus_dir, settings = built_copy
    generation = current_generation(settings.index_dir)
    if damage == "passages":
        path = generation / "passages.jsonl"
        path.write_text(path.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    elif damage == "bm25":
        next((generation / "bm25").glob("*.npy")).write_bytes(b"garbage")
    elif damage == "vectors":
        next((generation / "vectors").glob("*.npy")).unlink()
    else:
        (settings.index_dir / "CURRENT").write_text("gen-that-does-not-exist\n", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="govqa index --rebuild"):
        IndexStore.open(settings.index_dir, settings)
    if damage == "vectors":  # the advised command repairs it
        build_index(corpus_dir, settings.index_dir, settings, progress=False, rebuild=True)
        assert IndexStore.open(settings.index_dir, settings).dense_ready


def test_missing_index_names_govqa_index(tmp_path, settings):
    with pytest.raises(IndexMissingError, match="govqa index"):
        IndexStore.open(tmp_path / "nothing-here", settings)


def test_settings_mismatch(built):
    _, settings, _ = built
    other = load_settings(index_dir=settings.index_dir, embedder="use-m3", chunk_target=250)
    with pytest.raises(IndexMismatchError) as error:
        IndexStore.open(settings.index_dir, other)
    message = str(error.value)
    assert "embedder" in message and "chunk_target" in message and "govqa index" in message


def test_a_second_build_is_refused_while_one_runs(corpus_dir, settings):
    with BuildLock(settings.index_dir), pytest.raises(IndexLockedError, match="another index build"):
        build_index(corpus_dir, settings.index_dir, settings, progress=False)


def test_default_embedder_end_to_end(tmp_path):
    corpus_dir = make_corpus(tmp_path / "corpus", ["county_changzi_2024.txt", "national_china_1975.txt"])
    settings = load_settings(index_dir=tmp_path / "index")  # the default embedder
    build_index(corpus_dir, settings.index_dir, settings, progress=False)
    store = IndexStore.open(settings.index_dir, settings)
    assert store.manifest["embedder"] == settings.embedder and store.dense_ready
    for query, report in [("县城的垃圾处理和污水治理", "reports/county_changzi_2024.txt"),
                          ("第三个五年计划超额完成", "reports/national_china_1975.txt")]:
        index, _ = store.dense_search(query, 1)[0]
        assert store.passages[index].report == report, query
    rows_1975 = store.rows_of("reports/national_china_1975.txt")
    hits = store.dense_search("县城的垃圾处理和污水治理", 3, allowed=list(rows_1975))
    assert len(hits) == 3 and all(index in rows_1975 for index, _ in hits)


def test_cli_index_and_reports(corpus_dir, tmp_path, capsys):
    (corpus_dir / "reports" / "broken.txt").write_bytes(b"")
    index_dir = tmp_path / "cli-index"
    assert govqa(["index", "--corpus", str(corpus_dir), "--index-dir", str(index_dir), "--embedder", "hash"]) == 0
    out = capsys.readouterr().out
    assert "reports/broken.txt: empty file" in out and "5 reports" in out
    assert govqa(["reports", "--corpus", str(corpus_dir)]) == 0
    out = capsys.readouterr().out
    assert "reports/national_china_2024.txt" in out and "国务院总理 李强" in out
    assert "reports/broken.txt: empty file" in out
