"""The incremental keyword build on real reports: an update equals a full build of the same
corpus, redoes only the changed and added reports, and keeps the user dictionary stable; the
BM25 counts index scores as bm25s does."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import bm25s
import numpy as np
import pytest
from test_reliability import CHANGZI, NATIONAL_2019, copy_reports

import assistant.search.scan as scan_module
from assistant.cli import main as cli_main
from assistant.facts import load_facts
from assistant.search import IndexStore, build_index, layout
from assistant.search.bm25 import Bm25Index
from assistant.search.bm25_index import report_counts
from assistant.search.manifest import read_manifest
from assistant.search.userdict import read_userdict
from assistant.settings import load_settings
from tests.test_index import CORPUS, make_corpus

REPORTS = ["national_china_2019.txt", "national_china_2024.txt", "provincial_hebei_2026.txt",
           "provincial_jilin_2025.txt", "provincial_zhejiang_2026.txt", "county_changzi_2024.txt"]
CHANGED, REMOVED, ADDED = "national_china_2019.txt", "provincial_jilin_2025.txt", "provincial_hebei_2025.txt"
NEW_SENTENCE = "\n我们将建设增量测试示范区，示范区新增就业岗位1357个以上。\n"
QUERIES = ["超长期特别国债", "增量测试示范区", "城镇新增就业", "乡村振兴", "国内生产总值增长", "GDP growth"]


def _corpus(folder: Path) -> Path:
    make_corpus(folder, REPORTS)
    (folder / "parallel").mkdir()
    shutil.copyfile(CORPUS / "parallel" / "national_china_2019_zh_en.tsv",
                    folder / "parallel" / "national_china_2019_zh_en.tsv")
    return folder


def _edit(corpus: Path, extra: str = NEW_SENTENCE) -> None:
    changed = corpus / "reports" / CHANGED
    changed.write_text(changed.read_text(encoding="utf-8") + extra, encoding="utf-8")
    (corpus / "reports" / REMOVED).unlink()
    make_corpus(corpus, [ADDED])


def _build(corpus: Path, index_dir: Path, rebuild: bool = False, userdict: list[str] | None = None):
    settings = load_settings(corpus=corpus, index_dir=index_dir, embedder="hash")
    return build_index(corpus, index_dir, settings, dense=False, progress=False, rebuild=rebuild,
                       userdict=userdict), settings


@pytest.fixture(scope="module")
def updated_and_full(tmp_path_factory):
    """One index built, the corpus changed (a report edited, one removed, one added) and the
    index updated; beside it a full build of the changed corpus from scratch with the same user
    dictionary (a dictionary built from the changed corpus differs: removing a report takes
    quoted terms below their count; the test below compares plain rebuilds)."""
    root = tmp_path_factory.mktemp("incremental")
    corpus = _corpus(root / "corpus")
    _build(corpus, root / "updated")
    before = layout.current_generation(root / "updated")
    _edit(corpus)
    summary, settings = _build(corpus, root / "updated")
    words = read_userdict(layout.current_generation(root / "updated") / layout.USERDICT)
    _build(corpus, root / "full", rebuild=True, userdict=words)
    return summary, settings, before, layout.current_generation(root / "updated"), \
        layout.current_generation(root / "full")


def test_an_update_equals_a_full_build(updated_and_full):
    summary, settings, before, updated, full = updated_and_full
    assert read_userdict(updated / layout.USERDICT) == read_userdict(before / layout.USERDICT)
    assert summary.changed == [f"reports/{CHANGED}"] and summary.added == [f"reports/{ADDED}"]
    assert summary.removed == [f"reports/{REMOVED}"]
    for name in (layout.PASSAGES, layout.REPORTS, layout.FACTS, layout.LEXICON):
        assert (updated / name).read_bytes() == (full / name).read_bytes(), name
    assert json.loads((updated / layout.LEXICON).read_text(encoding="utf-8")), "lexicon empty"
    stores = [IndexStore.open(folder.parent, settings) for folder in (updated, full)]
    for query in QUERIES:
        hits = [store.bm25_search(query, 20) for store in stores]
        assert hits[0] and hits[0] == hits[1], query
    facts = load_facts(updated / layout.FACTS)
    assert any(f.report == f"reports/{CHANGED}" and f.value == 1357 for f in facts)
    assert not any(f.report == f"reports/{REMOVED}" for f in facts)
    top = stores[0].passages[stores[0].bm25_search("增量测试示范区", 1)[0][0]]
    assert top.report == f"reports/{CHANGED}"


def test_an_update_redoes_only_the_changed_and_added_reports(updated_and_full):
    _, _, before, updated, _ = updated_and_full
    old, new = read_manifest(before)["reports"], read_manifest(updated)["reports"]
    for report_id, entry in new.items():
        pieces = [f"{layout.TOKENS_DIR}/{entry['tokens']}.json", layout.cuts_file(entry["tokens"]),
                  f"{layout.PASSAGES_DIR}/{entry['passages_key']}.jsonl", layout.units_file(entry["units"])]
        linked = [(before / p).is_file() and (before / p).stat().st_ino == (updated / p).stat().st_ino
                  for p in pieces]
        if report_id in (f"reports/{CHANGED}", f"reports/{ADDED}"):
            assert not any(linked), report_id  # chunked and tokenised again
        else:
            assert all(linked) and entry["tokens"] == old[report_id]["tokens"], report_id
    kept = ("version", "sha", "words")
    assert [read_manifest(updated)["userdict"][k] for k in kept] == [read_manifest(before)["userdict"][k] for k in kept]
    assert read_manifest(updated)["userdict"]["pending"] > 0  # Hebei 2025's quoted terms wait for a rebuild


def test_the_user_dictionary_stays_until_a_rebuild(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    first, _ = _build(corpus, tmp_path / "index")
    before = layout.current_generation(tmp_path / "index")
    term = "增量词组测试"
    _edit(corpus, f"\n我们提出“{term}”，推进“{term}”落地。\n")
    second, _ = _build(corpus, tmp_path / "index")
    updated = layout.current_generation(tmp_path / "index")
    assert term not in read_userdict(updated / layout.USERDICT)
    assert second.userdict["version"] == first.userdict["version"] == 1
    assert second.userdict["sha"] == first.userdict["sha"] and second.userdict["pending"] >= 1
    assert any("govqa index --rebuild" in line for line in second.lines())
    kept = f"reports/{REPORTS[1]}"
    key_before = read_manifest(before)["reports"][kept]["tokens"]
    assert read_manifest(updated)["reports"][kept]["tokens"] == key_before  # not tokenised again
    third, _ = _build(corpus, tmp_path / "index", rebuild=True)
    rebuilt = layout.current_generation(tmp_path / "index")
    assert term in read_userdict(rebuilt / layout.USERDICT)
    assert third.userdict["version"] == 2 and third.userdict["pending"] == 0
    assert read_manifest(rebuilt)["reports"][kept]["tokens"] != key_before


def test_bm25_counts_score_as_bm25s_on_real_reports(updated_and_full):
    """The counts index gives bm25s's weights and query scores bit for bit, also when joined
    from per-report parts (as a build does) and after a save and load."""
    _, _, _, updated, _ = updated_and_full
    per_report = [json.loads((updated / layout.TOKENS_DIR / f"{entry['tokens']}.json").read_text("utf-8"))
                  for entry in read_manifest(updated)["reports"].values()]
    per_report[0][3] = []  # a passage without tokens, as bm25s handles it
    token_lists = [tokens for lists in per_report for tokens in lists]
    theirs = bm25s.BM25()
    theirs.index([tokens or [""] for tokens in token_lists], show_progress=False)
    vocab: dict[str, int] = {}
    joined = Bm25Index.from_parts([report_counts(lists, vocab) for lists in per_report], vocab)
    joined.save(updated.parent / "bm25-copy")
    ours = Bm25Index.load(updated.parent / "bm25-copy", len(token_lists))
    assert set(ours.vocab) == set(theirs.vocab_dict)
    assert ours.vocab == Bm25Index.build(token_lists).vocab  # first occurrence, as one build

    def column(token):
        scores, i = theirs.scores, theirs.vocab_dict[token]
        start, end = scores["indptr"][i], scores["indptr"][i + 1]
        return scores["indices"][start:end].tolist(), scores["data"][start:end].tolist()

    tokens = [t for t in ours.vocab if t]
    assert len(tokens) > 5000
    for token in tokens:
        docs, weights = ours.column(ours.vocab[token])
        assert (docs.tolist(), weights.tolist()) == column(token), token  # float32, bit for bit
    tokenizer = IndexStore.open(updated.parent, load_settings(embedder="hash"), check_settings=False).tokenizer
    for query in QUERIES + ["2024年国内生产总值增长目标", "稳就业 保民生 城镇新增就业1200万人"]:
        ids = sorted({ours.vocab[t] for t in tokenizer.tokenize(query) if t in ours.vocab})
        expected = np.zeros(len(token_lists), dtype=np.float64)
        for token in sorted({t for t in tokenizer.tokenize(query) if t in ours.vocab}, reverse=True):
            docs, weights = column(token)  # bm25s's weights, in another order
            np.add.at(expected, np.asarray(docs), np.asarray(weights, dtype=np.float32))
        assert ids and ours._scores_of(tuple(ids)).tobytes() == expected.astype(np.float32).tobytes(), query


def test_an_edit_then_update_equals_a_plain_rebuild(tmp_path):
    """Without a removed or added report the corpus's dictionary is unchanged, and the update
    equals `govqa index --rebuild` of the edited corpus."""
    corpus = make_corpus(tmp_path / "corpus", REPORTS[:3])
    _build(corpus, tmp_path / "updated")
    changed = corpus / "reports" / CHANGED
    changed.write_text(changed.read_text(encoding="utf-8").replace("。", "。\n", 3) + NEW_SENTENCE, encoding="utf-8")
    summary, settings = _build(corpus, tmp_path / "updated")
    full_summary, _ = _build(corpus, tmp_path / "full", rebuild=True)
    assert summary.changed == [f"reports/{CHANGED}"] and summary.userdict["sha"] == full_summary.userdict["sha"]
    updated, full = (layout.current_generation(tmp_path / n) for n in ("updated", "full"))
    for name in (layout.PASSAGES, layout.FACTS, layout.USERDICT):
        assert (updated / name).read_bytes() == (full / name).read_bytes(), name
    stores = [IndexStore.open(tmp_path / n, settings) for n in ("updated", "full")]
    for q in QUERIES:
        a, b = stores[0].bm25_search(q, 20), stores[1].bm25_search(q, 20)
        assert a == b, (q, [x for x in a if x not in b], [x for x in b if x not in a])


def test_govqa_index_reads_again_only_the_reports_that_changed(tmp_path, corpus_dir, monkeypatch):
    """`govqa index` hands the folder to the build (search/scan.py), so an update reads the text of
    a changed report only, not the whole corpus (at 16x a full read was ≈1.1 s of a 3.5 s update)."""
    root = copy_reports(corpus_dir, tmp_path / "corpus", [CHANGZI, NATIONAL_2019])
    for path in (root / "reports").iterdir():  # older than the scan's 2 s window (a file written during a
        os.utime(path, (time.time() - 60, time.time() - 60))  # scan is read again, as git does)
    args = ["index", "--keyword-only", "--corpus", str(root), "--index-dir", str(tmp_path / "index")]
    assert cli_main(args) == 0
    changed = root / CHANGZI
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充一句。", encoding="utf-8")
    read = []
    original = scan_module.read_report_text
    monkeypatch.setattr(scan_module, "read_report_text", lambda path: read.append(path.name) or original(path))
    assert cli_main(args) == 0
    assert read == [changed.name]
