"""The question-answering core: question (+ conversation) in, an `Answer` with exact citations out.

    qa = QA()                      # opens the index (builds a keyword index on first run)
    answer = qa.ask("2024年中央预算内投资拟安排多少？")
    answer.answer, answer.citations[0].quote

Pipeline: follow-up rewrite -> constraints -> scope (which reports may answer) -> hybrid
retrieval -> evidence sentence -> extractive answer (default) or LLM answer (falls back to the
extractive one). Nothing here needs the network.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .corpus import Corpus, load_corpus, read_report_text
from .facts.lookup import FactsIndex
from .glossary import Entry, entries_of
from .history import limit_history
from .ledger import ledger_for
from .llm import LLMAnswerer
from .retrieve import hybrid_search, make_scope, newest_year, report_allowed
from .routes import ROUTES, SHAPE_ROUTES, answer_from_facts, entry_answer, passages
from .search import IndexMissingError, IndexStore, IndexStoreError
from .search.backends import build_dense, build_index, live_generation, open_store
from .search.layout import IndexLockedError
from .series import series_answer
from .settings import Settings
from .types import Answer, Fact, Hit, Report
from .understand import (
    Constraints,
    Query,
    is_followup,
    local_places,
    resolve_relative,
    rewrite,
    understand,
)
from .uploads import UploadBusyError, add_upload, remove_upload, with_uploads

log = logging.getLogger(__name__)
UPLOADS = "uploads"
UPLOAD_WAIT_SECONDS = 3 * 3600.0  # an upload waits this long for a running build (a dense one can take 35 min)
UPLOAD_POLL_SECONDS = 1.0


def load_all_reports(settings: Settings) -> Corpus:
    """The configured corpus plus the reports staff uploaded (kept beside the index)."""
    return with_uploads(load_corpus(settings.corpus), settings.index_dir)


class QA:
    def __init__(self, settings: Settings | None = None, store: IndexStore | None = None,
                 background_dense: bool = True):
        self.settings = settings or Settings()
        self._dense_progress: float | None = None
        self._dense_error = ""
        self._texts: dict[str, str] = {}
        self._llm = None
        self._ledger = None
        self._places = None
        self._glossary = None
        self._translation_years = None
        self._newest = None
        self._facts: FactsIndex | None = None
        self._background_dense = background_dense
        self._dense_thread: threading.Thread | None = None
        self._dense_lock = threading.Lock()
        self.store = store or self._open_or_build(background_dense)

    # ------------------------------------------------------------------ index
    def _open_or_build(self, background_dense: bool) -> IndexStore:
        try:
            store = open_store(self.settings)
        except IndexMissingError:
            log.warning("no index in %s: building the keyword index now", self.settings.index_dir)
            build_index(load_all_reports(self.settings), self.settings.index_dir, self.settings, dense=False)
            store = open_store(self.settings, check_settings=False)
        if not store.dense_ready and background_dense:
            self._start_dense()
        return store

    def _start_dense(self) -> None:
        """Build the dense part in the background (also after an upload's keyword build); one
        such thread at a time: a running one goes on until the live index is dense."""
        with self._dense_lock:
            if self._dense_thread is None:
                self._dense_thread = threading.Thread(target=self._build_dense, daemon=True, name="dense-index")
                self._dense_thread.start()

    def _build_dense(self) -> None:
        def on_progress(done: int, total: int) -> None:
            self._dense_progress = done / total if total else 1.0

        self._dense_progress = 0.0
        self._dense_error = ""
        try:
            while True:
                try:
                    build_dense(self.settings.index_dir, self.settings, on_progress)
                except IndexLockedError:  # an upload's keyword build holds the index for a moment
                    time.sleep(UPLOAD_POLL_SECONDS)
                    continue
                store = open_store(self.settings)
                with self._dense_lock:
                    self.store = store
                    if store.dense_ready:  # else an upload published a keyword-only generation: again
                        self._dense_thread = None
                        break
            self._dense_progress = None
        except Exception as exc:  # keep answering from BM25; say why in status()
            log.exception("dense index build failed")
            self._dense_error = f"{type(exc).__name__}: {exc}"
            self._dense_progress = None
            with self._dense_lock:
                self._dense_thread = None

    def warm_up_in_background(self) -> threading.Thread:
        """A server's start: jieba, the query embedder and the reports' evidence units loaded
        while the first page is served, so the first questions do not wait for them."""
        thread = threading.Thread(target=self.store.warm_up, daemon=True, name="warm-up")
        thread.start()
        return thread

    def status(self) -> dict:
        return {"dense_ready": self.store.dense_ready, "dense_progress": self._dense_progress,
                "dense_error": self._dense_error, "reports": len(self.store.reports),
                "passages": len(self.store.passages), "embedder": self.settings.embedder,
                "mode": "llm" if self.settings.mode == "llm" and self.settings.llm_configured else "extractive"}

    @property
    def ledger(self):
        """Every fact of the indexed reports (saved in the index, or extracted from the corpus once)."""
        if self._ledger is None:  # a Milvus store carries its generation's facts (saved_facts)
            saved = getattr(self.store, "saved_facts", None)
            self._ledger = saved() if saved else ledger_for(self.settings)
        return self._ledger

    @property
    def reports(self) -> dict[str, Report]:
        return self.store.reports

    @property
    def places(self):
        """The cities and counties the index has reports of (for reading questions)."""
        if self._places is None or self._places[0] is not self.store:
            self._places = (self.store, local_places(self.store.reports.values()))
        return self._places[1]

    @property
    def glossary(self) -> list[Entry]:
        """The terms the indexed reports' notes explain, with their entries (per index generation)."""
        if self._glossary is None or self._glossary[0] is not self.store:
            self._glossary = (self.store, entries_of(self.store.passages))
        return self._glossary[1]

    @property
    def facts(self) -> FactsIndex:
        """The ledger grouped by indicator and year (once per index generation)."""
        if self._facts is None:
            self._facts = FactsIndex(self.ledger)
        return self._facts

    def facts_for(self, indicator: str, year: int | None = None, regions=None, level=None) -> list[Fact]:
        return self.facts.of(indicator, year, regions, level)

    def facts_in_report(self, indicator: str, report_id: str) -> list[Fact]:
        return self.facts.in_report(indicator, report_id)

    def facts_after(self, indicator: str, year: int, regions=None, level=None) -> list[Fact]:
        return self.facts.after(indicator, year, regions, level)

    def headline_targets(self, year: int, regions=None, level=None) -> list[Fact]:
        return self.facts.headline_targets(year, regions, level)

    def passage_count(self, report_id: str) -> int:
        return len(self.store.rows_of(report_id))

    def source_text(self, report_id: str) -> str:
        if report_id not in self._texts:
            if report_id not in self.store.reports:
                raise KeyError(f"unknown report: {report_id}")
            root = self.settings.index_dir if report_id.startswith(UPLOADS + "/") else self.settings.corpus
            self._texts[report_id] = read_report_text(Path(root) / report_id)
        return self._texts[report_id]

    def add_report(self, path: Path, *, title=None, region=None, year=None, level=None, progress=None,
                   waiting=None) -> Report:
        """Copy an uploaded file next to the index and re-index incrementally (that report only).

        While another build holds the index (the background dense build can take half an hour)
        the upload waits in line, calling `waiting(dense_progress)` about once a second, for up
        to UPLOAD_WAIT_SECONDS (then UploadBusyError). With background dense builds on, the
        keyword index is built first (the report can be asked about at once) and the dense part
        after it, in the background. On any failure the upload is taken back, so nothing of it
        is indexed later."""
        report_id = add_upload(self.settings, Path(path), title=title, region=region, year=year, level=level)
        try:
            corpus = load_all_reports(self.settings)
            if report_id not in corpus.reports:  # e.g. the same text as a report already indexed
                reason = next((e for e in corpus.errors if e.startswith(report_id)), f"{report_id}: not readable")
                raise ValueError(reason)
            deadline = time.monotonic() + UPLOAD_WAIT_SECONDS
            while True:
                try:
                    build_index(corpus, self.settings.index_dir, self.settings,
                                dense=self.store.dense_ready and not self._background_dense,
                                progress=False, progress_callback=progress)
                    break
                except IndexLockedError:
                    if time.monotonic() >= deadline:
                        raise UploadBusyError(UPLOAD_WAIT_SECONDS) from None
                    if waiting is not None:
                        waiting(self._dense_progress)
                    time.sleep(UPLOAD_POLL_SECONDS)
        except BaseException:
            remove_upload(self.settings, report_id)
            raise
        self.store = open_store(self.settings, check_settings=False)
        self._texts.pop(report_id, None)
        if self._background_dense and not self.store.dense_ready:
            self._start_dense()  # the dense part after the keyword one
        return self.store.reports[report_id]

    # ------------------------------------------------------------------ answering
    def follow_index(self) -> None:
        """Pick up a newer index generation now (the app's library and filters call it)."""
        self._follow_index()

    def _follow_index(self) -> None:
        """Pick up a newer index generation (another `govqa index` run, an upload) before answering."""
        try:
            live = live_generation(self.settings)
        except IndexStoreError:
            return  # keep answering from the index we have; `govqa index --rebuild` is the fix
        if live is not None and live != self.store.generation:
            try:
                self.store = open_store(self.settings, check_settings=False)
                self._texts.clear()
                self._ledger = None
                self._facts = None
            except IndexStoreError as exc:
                log.warning("index changed but cannot be opened (%s); still using the old one", exc)

    def ask(self, question: str, history=(), filters: dict | None = None, mode: str | None = None) -> Answer:
        *_, final = self.stream(question, history, filters, mode)
        return final

    def stream(self, question: str, history=(), filters: dict | None = None,
               mode: str | None = None) -> Iterator[Answer]:
        started = time.perf_counter()
        self._follow_index()
        answer = self.extractive(question, history, filters)
        mode = mode or self.settings.mode
        if mode == "llm" and self.settings.llm_configured:
            yield from self._llm_answerer().stream(question, answer.retrieved, self.reports, answer,
                                                   limit_history(history)[0])
            return
        answer.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
        yield answer

    def _llm_answerer(self):
        if self._llm is None:
            self._llm = LLMAnswerer(self.settings)
        return self._llm

    def understand(self, question: str, history=(), filters: dict | None = None) -> Query:
        """The question (+ conversation) read once, 今年/去年 resolved against the corpus."""
        history = [(str(q), str(a)) for q, a in history or ()]
        rewritten = self._standalone(question, history)
        newest = self.newest_report_year
        query = understand(question, history, places=self.places, standalone=rewritten, newest_report_year=newest)
        c = query.constraints
        if query.level and not c.level:
            c.level = query.level
        if c.relative and not c.years:
            resolve_relative(c, newest_year(self.store, c, filters))
            query = replace(query, years=tuple(c.years), kind=query.kind or c.intent)
        return query

    def retrieve(self, question: str, history=(), filters: dict | None = None) -> list[Hit]:
        """Only the passages a question retrieves (year, region and level respected), no answer:
        what the LangChain retriever returns."""
        query = self.understand(question, history, filters)
        scope = make_scope(self.store, query.constraints, filters)
        if not scope.mask.any():
            return []
        return hybrid_search(self.store, query.text, query.constraints, scope, self.settings)

    def extractive(self, question: str, history=(), filters: dict | None = None) -> Answer:
        """The answer without an LLM. QA only chooses the route; the routes answer."""
        started = time.perf_counter()
        question, notice = self._trim(question)
        history, notice = limit_history(history, notice)
        query = self.understand(question, history, filters)
        timings = {"understand_ms": round((time.perf_counter() - started) * 1000, 2)}
        answer = self._route(query, filters, timings)
        answer.timings, answer.notice = {**timings, **answer.timings}, notice
        return answer

    def _route(self, query: Query, filters: dict | None, timings: dict) -> Answer:
        c = query.constraints
        if c.unknown_place:
            return passages.refuse(c, query.text, passages.missing_place(c))
        if query.intent == "series" and (series := series_answer(self, query.text, c, self.ledger)):
            return series
        started = time.perf_counter()
        translated = self.translation_covers(query)  # then only value/verdict, from its own facts
        if query.intent in ROUTES and (not translated or query.intent in ("value", "verdict")) and (
                routed := answer_from_facts(self, query)) and self._within(routed, filters) and (
                routed.answerable or not translated):  # a translation's facts say no: its sentences may
            timings["facts_ms"] = round((time.perf_counter() - started) * 1000, 2)
            return routed
        if query.intent == "regions":
            return passages.refuse(c, query.text, passages.no_regional_figure(query))
        if query.intent in ("open", "passage") and (entry := entry_answer(self, query, filters, quoted_only=True)):
            return entry  # a quoted term a note explains: its entry (“暖心驿站”主要服务哪些人？)
        if query.intent in SHAPE_ROUTES and (shaped := SHAPE_ROUTES[query.intent](self, query, filters, timings)):
            return shaped
        return passages.passage_answer(self, query, filters, timings)

    def _standalone(self, question: str, history: list[tuple[str, str]]) -> str:
        """The follow-up as a standalone question: by the LLM's condense prompt when one is
        configured (and answers), else by the rules of assistant/understand/followup.py."""
        if history and self.settings.mode == "llm" and self.settings.llm_configured and is_followup(question, history):
            if condensed := self._llm_answerer().condense(question, history):
                return condensed
        return rewrite(question, history, self.places)

    # ------------------------------------------------------------------ refusals
    def _trim(self, question: str) -> tuple[str, str]:
        question = (question or "").strip()
        limit = self.settings.max_question_chars
        if len(question) <= limit:
            return question, ""
        return question[:limit], f"问题过长，只保留了前{limit}个字。/ The question was cut to {limit} characters."

    def _within(self, answer: Answer, filters: dict | None) -> bool:
        """Whether every report a fact answer cites passes the user's filters (level, region,
        years, language; empty values filter nothing); else the passage route answers."""
        active = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
        return not active or all(report_allowed(self.reports[c.report], Constraints(), active, set())
                                 for c in answer.citations)

    def translation_covers(self, query: Query) -> bool:
        """An English question about a year an official translation covers is answered from
        the translation's own sentence (its wording, its numbers), not from a Chinese fact."""
        if query.language != "en" or query.regions or query.all_regions:
            return False
        years = set(query.years) | {y + 1 for y in query.years}
        if query.period:  # a span's goals are set in its first year's report, its outcome reviewed after its end
            years |= {query.period[0], query.period[1] + 1}
        if query.report_year:
            years.add(query.report_year)
        return not years.isdisjoint(self.translation_years)

    @property
    def newest_report_year(self) -> int | None:
        """The newest report's year (once per index generation: 2,080 reports at 16×)."""
        if self._newest is None or self._newest[0] is not self.store:
            self._newest = (self.store, max((r.year for r in self.reports.values() if r.year), default=None))
        return self._newest[1]

    @property
    def translation_years(self) -> set[int | None]:
        """Years of the official translations in the index (once per index generation, not a
        walk over every report per question)."""
        if self._translation_years is None or self._translation_years[0] is not self.store:
            self._translation_years = (self.store, {r.year for r in self.reports.values() if r.language == "en"})
        return self._translation_years[1]
