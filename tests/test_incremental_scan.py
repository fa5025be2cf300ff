"""An update reads only what changed: unchanged report files are not read again (their size,
modification time and reports.csv row are in the manifest), yet the corpus it indexes equals
a full read; the faster letter counting gives the same language ratio as the old loop."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter

import pytest

from assistant.corpus import load_corpus
from assistant.search import IndexCorruptError, IndexStore, build_index, layout
from assistant.search.manifest import read_manifest
from assistant.search.scan import RACY_SECONDS, scan_corpus
from assistant.search.userdict import quoted_counts
from assistant.settings import load_settings
from assistant.textutil import cjk_ratio, is_cjk
from tests.test_index import CORPUS, make_corpus

REPORTS = ["national_china_2019.txt", "national_china_2019_en.txt", "provincial_hebei_2026.txt",
           "county_changzi_2024.txt"]


def _age(folder, seconds: float) -> None:
    """Files as if written `seconds` ago (older than the racy window of the next scan)."""
    for path in (folder / "reports").iterdir():
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))


def _write_rows(corpus, rows: list[dict]) -> None:
    with (corpus / "reports.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _build(corpus, index_dir):
    settings = load_settings(corpus=corpus, index_dir=index_dir, embedder="hash")
    return build_index(corpus, index_dir, settings, dense=False, progress=False)


def test_an_update_reads_only_changed_files(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", REPORTS)
    _age(corpus, 10 * RACY_SECONDS)
    _build(corpus, tmp_path / "index")
    live = layout.current_generation(tmp_path / "index")
    manifest = read_manifest(live)
    changed = corpus / "reports" / REPORTS[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n扫描测试新增的一段。\n", encoding="utf-8")
    scan = scan_corpus(corpus, live, manifest)
    assert set(scan.corpus.texts) == {f"reports/{REPORTS[2]}"}  # only the changed file was read
    full = load_corpus(corpus)
    assert scan.corpus.reports == full.reports  # records of the live index = a fresh read
    assert all(scan.corpus.texts[rid] == full.texts[rid] for rid in full.reports)  # read on demand
    assert scan.quoted_total() == sum((quoted_counts(text) for text in full.texts.values()), Counter())


def test_a_changed_csv_row_or_a_recent_file_is_read_again(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", REPORTS)
    with (CORPUS / "reports.csv").open(encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["file"].split("/")[-1] in REPORTS]
    _write_rows(corpus, rows)
    _age(corpus, 10 * RACY_SECONDS)
    _build(corpus, tmp_path / "index")
    live = layout.current_generation(tmp_path / "index")
    target = next(r for r in rows if r["file"].endswith(REPORTS[3]))
    target["title"] = target["title"] + "（修订）"
    _write_rows(corpus, rows)
    scan = scan_corpus(corpus, live, read_manifest(live))
    assert set(scan.corpus.texts) == {target["file"]}
    assert scan.corpus.reports[target["file"]].title.endswith("（修订）")
    summary = _build(corpus, tmp_path / "index")  # the new title re-chunks, nothing is re-tokenised as changed
    assert summary.changed == [] and len(summary.reused) == len(REPORTS)
    again = layout.current_generation(tmp_path / "index")
    recent = scan_corpus(corpus, again, read_manifest(again))
    assert recent.corpus.reports[target["file"]].title.endswith("（修订）")


def test_letter_ratio_equals_the_character_loop():
    def loop(text: str) -> float:
        letters = [ch for ch in text if ch.isalpha()]
        return sum(is_cjk(ch) for ch in letters) / len(letters) if letters else 0.0

    texts = [path.read_text(encoding="utf-8") for path in sorted((CORPUS / "reports").glob("*.txt"))[::9]]
    texts += ["", "123 ，。", "①Ⅷ½ abc", "一丁㐀䶿鿿𠀀𠀁x", "\ud800 lone surrogate 中"]
    for text in texts:
        for part in (text, text[:5000], text[:97]):
            assert cjk_ratio(part) == loop(part)


def test_an_index_of_the_old_bm25_format_says_so_and_one_update_fixes_it(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", REPORTS[:2])
    _build(corpus, tmp_path / "index")
    live = layout.current_generation(tmp_path / "index")
    tokens_before = {e["tokens"] for e in read_manifest(live)["reports"].values()}
    for path in (live / layout.BM25_DIR).iterdir():  # what the bm25s format left there
        path.unlink()
    (live / layout.BM25_DIR / "params.index.json").write_text(json.dumps({"k1": 1.5}), encoding="utf-8")
    settings = load_settings(corpus=corpus, index_dir=tmp_path / "index", embedder="hash")
    with pytest.raises(IndexCorruptError, match="run `govqa index` once"):
        IndexStore.open(tmp_path / "index", settings)
    summary = _build(corpus, tmp_path / "index")
    assert summary.changed == [] and len(summary.reused) == 2
    updated = layout.current_generation(tmp_path / "index")
    assert {e["tokens"] for e in read_manifest(updated)["reports"].values()} == tokens_before
    assert IndexStore.open(tmp_path / "index", settings).bm25_search("国内生产总值", 5)
