"""The evidence units written at index time (search/units.py) on real reports: they are what
the evidence scorer would prepare at question time, an update writes only the changed
reports' files, and an index of the older format gets them from its stored cuts."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.search import IndexStore, build_index, layout
from assistant.search.manifest import read_manifest
from assistant.search.units import UNITS_VERSION, parse_block, prepare, split_units
from assistant.settings import load_settings
from tests.test_index import make_corpus

REPORTS = ["national_china_2024.txt", "national_china_2016_en.txt", "provincial_guangdong_2026.txt",
           "county_changzi_2024.txt", "national_china_1955.txt"]
EDITED = "national_china_2024.txt"


def _build(corpus, index_dir, rebuild=False):
    settings = load_settings(corpus=corpus, index_dir=index_dir, embedder="hash")
    build_index(corpus, index_dir, settings, dense=False, progress=False, rebuild=rebuild)
    return settings


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("units")
    corpus = make_corpus(root / "corpus", REPORTS)
    return corpus, root / "index", _build(corpus, root / "index")


def _same(a, b) -> bool:
    return (a.chinese, a.heading, a.units, a.all_tokens) == (b.chinese, b.heading, b.units, b.all_tokens)


def test_the_stored_units_are_what_the_scorer_would_prepare(index):
    _, index_dir, settings = index
    store = IndexStore.open(index_dir, settings)
    assert store.manifest["units_version"] == UNITS_VERSION
    tokenize = store.tokenizer.tokenize
    by_report: dict[str, int] = {}
    for passage in store.passages:
        stored = store.units(passage)
        assert stored is not None and _same(stored, prepare(passage, tokenize)), (passage.report, passage.start)
        by_report[passage.report] = by_report.get(passage.report, 0) + len(stored.units)
    assert set(by_report) == {f"reports/{name}" for name in REPORTS} and min(by_report.values()) > 20
    english = next(p for p in store.passages if p.report.endswith("_en.txt") and len(p.text) > 300)
    stored = store.units(english)
    assert not stored.chinese and stored.all_tokens and all(t.isascii() for t in stored.all_tokens)


def test_a_units_file_has_one_block_per_passage_and_parses_back(index):
    _, index_dir, settings = index
    store = IndexStore.open(index_dir, settings)
    entry = store.manifest["reports"][f"reports/{EDITED}"]
    text = (store.generation / layout.units_file(entry["units"])).read_text(encoding="utf-8")
    blocks = split_units(text)
    passages = store.passages_of(f"reports/{EDITED}")
    assert len(blocks) == len(passages) == entry["passages"]
    for passage, block in zip(passages, blocks, strict=True):
        assert _same(parse_block(block), store.units(passage))
        assert all(passage.start <= s < e <= passage.end for s, e, _ in parse_block(block).units)


def test_an_update_writes_the_units_of_the_changed_report_only(index, tmp_path):
    corpus, index_dir, _ = index
    copy_corpus, copy_index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpus, copy_corpus)
    shutil.copytree(index_dir, copy_index)
    before = layout.current_generation(copy_index)
    edited = copy_corpus / "reports" / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\n我们将建设单元测试示范区。\n", encoding="utf-8")
    settings = _build(copy_corpus, copy_index)
    after = layout.current_generation(copy_index)
    old, new = read_manifest(before)["reports"], read_manifest(after)["reports"]
    for report_id, entry in new.items():
        path = layout.units_file(entry["units"])
        linked = (before / path).is_file() and (before / path).stat().st_ino == (after / path).stat().st_ino
        assert linked == (report_id != f"reports/{EDITED}"), report_id
        assert (entry["units"] == old[report_id]["units"]) == linked
    store = IndexStore.open(copy_index, settings)
    added = [tokens for p in store.passages_of(f"reports/{EDITED}") for s, e, tokens in store.units(p).units
             if p.text[s - p.start:e - p.start] == "我们将建设单元测试示范区。"]
    assert len(added) == 1 and "示范区" in added[0]


def test_an_index_without_units_gets_them_from_its_stored_cuts(index, tmp_path):
    corpus, index_dir, settings = index
    copy_index = tmp_path / "index"
    shutil.copytree(index_dir, copy_index)
    generation = layout.current_generation(copy_index)
    manifest = read_manifest(generation)
    for path in (generation / layout.TOKENS_DIR).glob("*.units.tsv"):
        path.unlink()
    del manifest["units_version"]
    for entry in manifest["reports"].values():
        del entry["units"]
    (generation / layout.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    old = IndexStore.open(copy_index, settings)
    assert old.units(old.passages[0]) is None
    _build(corpus, copy_index)
    upgraded, fresh = IndexStore.open(copy_index, settings), IndexStore.open(index_dir, settings)
    assert upgraded.manifest["units_version"] == UNITS_VERSION
    for report_id, entry in upgraded.manifest["reports"].items():
        assert entry["units"] == fresh.manifest["reports"][report_id]["units"]
        path = layout.units_file(entry["units"])
        assert (upgraded.generation / path).read_bytes() == (fresh.generation / path).read_bytes(), report_id


def test_a_warmed_store_reads_no_units_file_at_question_time(index, monkeypatch):
    """`govqa serve` warms the store in the background (QA.warm_up_in_background): the reports'
    units are read then, newest first, not by the first question about each report."""
    from assistant.qa import QA

    corpus, index_dir, settings = index
    store = IndexStore.open(index_dir, settings)
    qa = QA(settings, store=store, background_dense=False)
    qa.warm_up_in_background().join()
    read: list[str] = []
    real = store.units_text
    monkeypatch.setattr(store, "units_text", lambda key: read.append(key) or real(key))
    answer = qa.ask("2024年如何推进乡村全面振兴？")
    assert answer.answerable and read == []
