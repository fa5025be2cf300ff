"""Query-time work in proportion to the answer (issue 14): no query embedding where the dense
side cannot change the answer, the embedder's threads, jieba cuts cached. Behaviour only;
the timings are in `govqa bench`, never asserted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.embedders.hashing import HashEmbedder
from assistant.qa import QA
from assistant.search import IndexStore, build_index
from assistant.settings import REPO_ROOT, load_settings

CORPUS = Path(os.environ.get("GOVQA_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")
REPORTS = ["national_china_2024.txt", "national_china_2019.txt"]
QUESTION = "2024年超长期特别国债发行多少？"


class CountingEmbedder(HashEmbedder):
    """The hash fake, counting the query embeddings it computes."""

    def __init__(self):
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts):
        self.queries.extend(texts)
        return super().embed_queries(texts)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "reports").mkdir()
    for name in REPORTS:
        shutil.copyfile(CORPUS / "reports" / name, folder / "reports" / name)
    return folder


def open_with_counter(index_dir: Path, settings) -> tuple[IndexStore, CountingEmbedder]:
    store = IndexStore.open(index_dir, settings)
    counter = CountingEmbedder()
    store._embedder = counter
    return store, counter


@pytest.fixture(scope="module")
def keyword_index(corpus_dir, tmp_path_factory):
    settings = load_settings(corpus=corpus_dir, index_dir=tmp_path_factory.mktemp("kw"), embedder="hash")
    build_index(corpus_dir, settings.index_dir, settings, dense=False, progress=False)
    return settings


@pytest.fixture(scope="module")
def dense_index(corpus_dir, tmp_path_factory):
    settings = load_settings(corpus=corpus_dir, index_dir=tmp_path_factory.mktemp("dense"), embedder="hash")
    build_index(corpus_dir, settings.index_dir, settings, dense=True, progress=False)
    return settings


def test_no_query_embedding_on_a_keyword_only_store(keyword_index):
    store, counter = open_with_counter(keyword_index.index_dir, keyword_index)
    qa = QA(keyword_index, store=store, background_dense=False)
    hits = qa.retrieve(QUESTION)
    answer = qa.ask(QUESTION)
    assert hits and answer.answerable and "bm25" in hits[0].sources
    assert counter.queries == []


def test_no_query_embedding_when_the_dense_weight_is_zero(dense_index):
    settings = dense_index.model_copy(update={"dense_weight": 0.0})
    store, counter = open_with_counter(settings.index_dir, settings)
    hits = QA(settings, store=store, background_dense=False).retrieve(QUESTION)
    assert hits and all(h.sources == ("bm25",) for h in hits)
    assert counter.queries == []


def test_one_query_embedding_when_the_dense_side_counts(dense_index):
    store, counter = open_with_counter(dense_index.index_dir, dense_index)
    hits = QA(dense_index, store=store, background_dense=False).retrieve(QUESTION)
    assert len(counter.queries) == 1 and any("dense" in h.sources for h in hits)


def test_no_query_embedding_for_an_empty_subset(dense_index):
    store, counter = open_with_counter(dense_index.index_dir, dense_index)
    import numpy as np

    assert store.dense_search(QUESTION, 5, allowed=np.zeros(len(store.passages), dtype=bool)) == []
    assert store.dense_search(QUESTION, 5, allowed=[]) == []
    assert counter.queries == []
    assert store.dense_search(QUESTION, 5, allowed=list(store.rows_of("reports/national_china_2024.txt")))
    assert len(counter.queries) == 1


def test_the_store_creates_its_embedder_on_the_configured_threads(keyword_index):
    settings = keyword_index.model_copy(update={"embed_threads": 2})
    store = IndexStore.open(settings.index_dir, settings)
    try:
        assert store.embedder.threads == 2
    finally:
        store.embedder.set_threads(1)


def test_index_time_cuts_give_the_same_tokens_without_cutting_again(keyword_index):
    from assistant.evidence import _units
    from assistant.search import layout
    from assistant.search.bm25 import Tokenizer, read_cuts
    from assistant.search.userdict import read_userdict

    store = IndexStore.open(keyword_index.index_dir, keyword_index)
    report = "reports/national_china_2024.txt"
    key = store.manifest["reports"][report]["tokens"]
    cuts = read_cuts(store.generation / layout.cuts_file(key))
    assert len(cuts) > 500 and all("\t" not in run and "\n" not in run for run in cuts)
    fresh = Tokenizer(read_userdict(store.generation / layout.USERDICT), cache_size=0)
    tokenizer = store.tokenizer
    tokenizer.add_cuts(cuts)
    assert tokenizer.known_runs == len(cuts)
    cut_runs: list[str] = []
    cut = tokenizer._jieba.cut_for_search
    tokenizer._jieba.cut_for_search = lambda run: cut_runs.append(run) or cut(run)
    try:
        for passage in store.passages_of(report):
            texts = [passage.heading_path] + [passage.text[s - passage.start:e - passage.start]
                                              for s, e in _units(passage)]
            for text in texts:
                assert tokenizer.tokenize(text) == fresh.tokenize(text)
    finally:
        tokenizer._jieba.cut_for_search = cut
    assert cut_runs == []  # every sentence and heading of the report was cut at index time


def test_a_warm_question_prepares_no_passage_and_cuts_nothing_twice(keyword_index, monkeypatch):
    """The evidence sentences and their tokens come from the index (search/units.py): no
    passage is split and tokenised at question time, and asked again nothing is cut."""
    import assistant.evidence
    import assistant.routes.overview

    prepared: list = []
    real = assistant.evidence.prepare
    for module in (assistant.evidence, assistant.routes.overview):
        monkeypatch.setattr(module, "prepare", lambda p, t: prepared.append(p) or real(p, t))
    assistant.evidence.prepared.cache_clear()
    store = IndexStore.open(keyword_index.index_dir, keyword_index)
    qa = QA(keyword_index, store=store, background_dense=False)
    first = qa.ask("2024年如何推进乡村全面振兴？")
    assert first.answerable and "retrieve_ms" in first.timings
    tokenizer = store.tokenizer
    cut_runs: list[str] = []
    cut = tokenizer._jieba.cut_for_search
    tokenizer._jieba.cut_for_search = lambda run: cut_runs.append(run) or cut(run)
    try:
        question = "2024年怎样发展新质生产力？"
        second = qa.ask(question)
        cut_for_second = list(cut_runs)
        again = qa.ask(question)
        overview = qa.ask("2019年的报告关于减税降费讲了什么？")
    finally:
        tokenizer._jieba.cut_for_search = cut
    assert second.answerable and again.answer == second.answer and overview.answerable
    assert prepared == [] and store._primed == set()  # no cuts file read either
    assert cut_for_second and cut_runs[:len(cut_for_second)] == cut_for_second
    assert not set(cut_runs[len(cut_for_second):]) & set(cut_for_second)  # asked again: from the LRU cache
    assert tokenizer.cache_info().hits > 0


def test_an_index_without_cuts_files_still_answers_the_same(keyword_index, tmp_path):
    from assistant.search import layout

    copy = tmp_path / "index"
    shutil.copytree(keyword_index.index_dir, copy)
    settings = keyword_index.model_copy(update={"index_dir": copy})
    generation = layout.current_generation(copy)
    for path in (generation / layout.TOKENS_DIR).glob("*.cuts.tsv"):
        path.unlink()
    for path in (generation / layout.TOKENS_DIR).glob("*.units.tsv"):
        path.unlink()
    old = QA(settings, store=IndexStore.open(copy, settings), background_dense=False)
    new = QA(keyword_index, store=IndexStore.open(keyword_index.index_dir, keyword_index), background_dense=False)
    for question in ("2024年如何推进乡村全面振兴？", "2019年如何减税降费？", "2024年怎样发展新质生产力？"):
        assert old.ask(question).answer == new.ask(question).answer
    assert old.store.units(old.store.passages[0]) is None and new.store.units(new.store.passages[0]) is not None


def test_cuts_files_are_reused_by_an_incremental_build(corpus_dir, tmp_path):
    from assistant.search import layout

    settings = load_settings(corpus=corpus_dir, index_dir=tmp_path / "index", embedder="hash")
    build_index(corpus_dir, settings.index_dir, settings, dense=False, progress=False)
    first = layout.current_generation(settings.index_dir)
    build_index(corpus_dir, settings.index_dir, settings, dense=False, progress=False)
    second = layout.current_generation(settings.index_dir)
    assert first != second
    cuts = sorted(p.name for p in (second / layout.TOKENS_DIR).glob("*.cuts.tsv"))
    assert len(cuts) == len(REPORTS)
    for name in cuts:
        assert (second / layout.TOKENS_DIR / name).stat().st_ino == (first / layout.TOKENS_DIR / name).stat().st_ino


def test_bench_puts_govqa_beside_the_naive_pipeline(keyword_index, capsys):
    """The side-by-side figures are computed on the same questions (their values are never asserted)."""
    from assistant.evaluation.dataset import Question
    from assistant.evaluation.perf import print_side_by_side, side_by_side

    questions = [Question(id=f"q{i}", question=text, answers=(), evidence=None, report="")
                 for i, text in enumerate(["2024年如何推进乡村全面振兴？", "2019年如何减税降费？",
                                           "2024年超长期特别国债怎么安排？"])]
    figures = side_by_side(keyword_index, questions, progress=False)
    assert figures["questions"] == 3 and figures["baseline_chunks"] > 0 and not figures["dense"]
    for name in ("govqa", "baseline"):
        assert set(figures[name]) == {"p50_ms", "p95_ms", "mean_ms", "max_ms"}
        assert 0 < figures[name]["p50_ms"] <= figures[name]["p95_ms"] <= figures[name]["max_ms"]
    assert figures["p50_ratio_to_baseline"] == figures["govqa"]["p50_ms"] / figures["baseline"]["p50_ms"]
    print_side_by_side(figures)
    out = capsys.readouterr().out
    assert "govqa/baseline: p50" in out and "baseline" in out.splitlines()[3]


MULTI_YEAR = "2019年和2024年分别怎样推进乡村振兴？"


def test_a_multi_year_question_embeds_its_query_once_and_scores_each_years_rows(dense_index):
    """The per-year route searches the same query in each year's reports: the query embedding
    is computed once, BM25 scores each year's report on its own (the larger of the two holds
    more than half of the passages, SLICED_SHARE_MAX: it is scored whole, the other alone; no
    score vector serves two years), and the answer is the one computed afresh."""
    store, counter = open_with_counter(dense_index.index_dir, dense_index)
    answer = QA(dense_index, store=store, background_dense=False).ask(MULTI_YEAR)
    assert answer.table and {row["year"] for row in answer.table} == {"2019年", "2024年"}
    assert counter.queries == [counter.queries[0]]  # one embedding for two years' searches
    assert store._bm25._scores.cache_info().misses == 1 and store._bm25._scores.cache_info().hits == 0
    fresh, _ = open_with_counter(dense_index.index_dir, dense_index)
    fresh._bm25._scores = fresh._bm25._scores_of
    fresh._query_vector = fresh._embed_query
    again = QA(dense_index, store=fresh, background_dense=False).ask(MULTI_YEAR)
    assert again.answer == answer.answer and again.citations == answer.citations


def test_prepared_sentences_give_the_evidence_computed_afresh(keyword_index, monkeypatch):
    from assistant import evidence

    store = IndexStore.open(keyword_index.index_dir, keyword_index)
    qa = QA(keyword_index, store=store, background_dense=False)
    questions = ["2024年如何推进乡村全面振兴？", "2019年如何减税降费？", "2024年超长期特别国债发行多少？"]
    cached = [qa.ask(q) for q in questions]
    assert evidence.prepared.cache_info().currsize > 0
    monkeypatch.setattr(evidence, "prepared", evidence.prepared.__wrapped__)
    fresh = [qa.ask(q) for q in questions]
    assert [(a.answer, a.citations) for a in cached] == [(a.answer, a.citations) for a in fresh]


def test_the_growth_corpus_copies_reports_as_distinct_places(corpus_dir, tmp_path):
    from assistant.corpus import load_corpus
    from assistant.evaluation.growth import exponents, synthetic_corpus

    assert synthetic_corpus(corpus_dir, tmp_path / "x3", 3) == 3 * len(REPORTS)
    corpus = load_corpus(tmp_path / "x3")
    assert len(corpus.reports) == 3 * len(REPORTS) and not corpus.errors
    copies = [r for r in corpus.reports.values() if "_copy" in r.id]
    assert len(copies) == 2 * len(REPORTS) and all(r.level == "city" for r in copies)
    # copy k of a place is one new place, with that place's reports of every year
    assert sorted(r.region_name for r in copies) == ["中华人民共和国样本2市"] * 2 + ["中华人民共和国样本3市"] * 2
    assert {(r.region, r.year) for r in copies} == {(f"china{k}", y) for k in (2, 3) for y in (2019, 2024)}
    for report in copies:
        assert corpus.texts[report.id].startswith(f"（{report.region_name}合成副本）")
    rows = [{"factor": f, **{name: 3.0 * f ** 2 for name in ("build_cpu_s", "build_wall_s", "index_mb",
             "serving_rss_mb", "p50_ms", "p95_ms", "reindex_cpu_s", "reindex_wall_s")}} for f in (1, 4, 16)]
    assert all(abs(slope - 2.0) < 1e-9 for slope in exponents(rows).values())


def test_a_scope_is_made_once_per_store_and_question_shape(keyword_index):
    from dataclasses import replace

    import numpy as np

    from assistant.retrieve import make_scope

    store = IndexStore.open(keyword_index.index_dir, keyword_index)
    c = QA(keyword_index, store=store, background_dense=False).understand(QUESTION).constraints
    scope = make_scope(store, c, None)
    assert scope.reports == {"reports/national_china_2024.txt"} and scope.mask.any()
    assert make_scope(store, replace(c), {}) is scope and not scope.mask.flags.writeable
    with pytest.raises(ValueError):
        scope.mask[0] = True  # shared by later questions: read-only
    later = make_scope(store, c, {"year_from": 2025})
    assert later is not scope and not later.mask.any() and later.reports == frozenset()
    wider = make_scope(store, replace(c, years=[], year_span=None), None)
    assert wider.reports == set(store.reports) and wider.mask.all()
    assert wider.ranges.tolist() == [[0, len(store.passages)]] and not wider.ranges.flags.writeable
    rows = store.rows_of("reports/national_china_2024.txt")
    assert scope.ranges.tolist() == [[rows.start, rows.stop]]
    other = IndexStore.open(keyword_index.index_dir, keyword_index)
    again = make_scope(other, c, None)
    assert again is not scope and np.array_equal(again.mask, scope.mask)
