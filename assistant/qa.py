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
from .delivery import delivery_evidence
from .evidence import Evidence, best_evidence
from .extractive import compose, refusal
from .facts.indicators import load_indicators as indicator_table
from .history import limit_history
from .ledger import ledger_for
from .retrieve import hybrid_search, make_scope, newest_year, report_years
from .routes import ROUTES, answer_from_facts
from .search import IndexMissingError, IndexStore, IndexStoreError, build_dense, build_index
from .search.layout import IndexLockedError, current_generation
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

log = logging.getLogger(__name__)
UPLOADS = "uploads"
UPLOAD_WAIT_SECONDS = 3 * 3600.0  # an upload waits this long for a running build (a dense one can take 35 min)
UPLOAD_POLL_SECONDS = 1.0


def load_all_reports(settings: Settings) -> Corpus:
    """The configured corpus plus the reports staff uploaded (kept beside the index)."""
    from .uploads import with_uploads

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
        self._facts_by_indicator: dict[str, list[Fact]] | None = None
        self._background_dense = background_dense
        self._dense_thread: threading.Thread | None = None
        self._dense_lock = threading.Lock()
        self.store = store or self._open_or_build(background_dense)

    # ------------------------------------------------------------------ index
    def _open_or_build(self, background_dense: bool) -> IndexStore:
        try:
            store = IndexStore.open(self.settings.index_dir, self.settings)
        except IndexMissingError:
            log.warning("no index in %s: building the keyword index now", self.settings.index_dir)
            build_index(load_all_reports(self.settings), self.settings.index_dir, self.settings, dense=False)
            store = IndexStore.open(self.settings.index_dir, self.settings, check_settings=False)
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
                store = IndexStore.open(self.settings.index_dir, self.settings)
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

    def status(self) -> dict:
        return {"dense_ready": self.store.dense_ready, "dense_progress": self._dense_progress,
                "dense_error": self._dense_error, "reports": len(self.store.reports),
                "passages": len(self.store.passages), "embedder": self.settings.embedder,
                "mode": "llm" if self.settings.mode == "llm" and self.settings.llm_configured else "extractive"}

    @property
    def ledger(self):
        """Every fact of the indexed reports (saved in the index, or extracted from the corpus once)."""
        if self._ledger is None:
            self._ledger = ledger_for(self.settings)
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

    def facts_for(self, indicator: str) -> list[Fact]:
        """Every fact of one indicator (the facts are loaded once per index generation)."""
        if self._facts_by_indicator is None:
            grouped: dict[str, list[Fact]] = {}
            for fact in self.ledger:
                grouped.setdefault(fact.indicator, []).append(fact)
            self._facts_by_indicator = grouped
        return self._facts_by_indicator.get(indicator, [])

    def headline_targets(self, year: int, regions=None, level=None) -> list[Fact]:
        """The annual targets of the 主要预期目标 list of `year`'s report(s) of a place."""
        known = indicator_table()
        return [f for f in self.ledger if f.headline and f.kind == "target" and f.year == year
                and f.indicator in known and f.measure != "count"
                and f.period_start == f.period_end == year and f.language == "zh"
                and (not regions or f.region in regions) and (not level or f.level == level)]

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
        from .uploads import UploadBusyError, add_upload, remove_upload

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
        self.store = IndexStore.open(self.settings.index_dir, self.settings, check_settings=False)
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
            live = current_generation(self.settings.index_dir)
        except IndexStoreError:
            return  # keep answering from the index we have; `govqa index --rebuild` is the fix
        if live is not None and live != self.store.generation:
            try:
                self.store = IndexStore.open(self.settings.index_dir, self.settings, check_settings=False)
                self._texts.clear()
                self._ledger = None
                self._facts_by_indicator = None
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
            from .llm import LLMAnswerer

            self._llm = LLMAnswerer(self.settings)
        return self._llm

    def understand(self, question: str, history=(), filters: dict | None = None) -> Query:
        """The question (+ conversation) read once, 今年/去年 resolved against the corpus."""
        history = [(str(q), str(a)) for q, a in history or ()]
        rewritten = self._standalone(question, history)
        newest = max((r.year for r in self.reports.values() if r.year), default=None)
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
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        question, notice = self._trim(question)
        history, notice = limit_history(history, notice)
        query = self.understand(question, history, filters)
        rewritten, c = query.text, query.constraints
        timings["understand_ms"] = round((time.perf_counter() - clock) * 1000, 2)
        if c.unknown_place:
            return self._refuse(c, rewritten, timings, self._missing_place(c), notice)
        if query.intent == "series" and (series := series_answer(self, rewritten, c, self.ledger)):
            series.timings, series.notice = timings, notice
            return series
        if query.intent in ROUTES and not filters and not self._translation_answers(query) and (
                routed := answer_from_facts(self, query)):
            timings["facts_ms"] = round((time.perf_counter() - clock) * 1000, 2)
            routed.timings, routed.notice = timings, notice
            return routed
        if query.intent == "regions":
            return self._refuse(c, rewritten, timings, self._no_regional_figure(query), notice)
        if (len(set(c.years)) >= 2 or c.year_span) and not c.report_year:
            return self._per_year(rewritten, c, filters, timings, notice)
        scope = make_scope(self.store, c, filters)
        if not scope.mask.any():
            return self._refuse(c, rewritten, timings, self._missing_report(c, filters), notice)
        clock = time.perf_counter()
        hits = hybrid_search(self.store, rewritten, c, scope, self.settings)
        timings["retrieve_ms"] = round((time.perf_counter() - clock) * 1000, 2)
        if c.delivery and (ev := self._delivery(c.delivery, scope, hits)):
            return self._answer_from([ev], c, rewritten, hits, timings, notice)
        evidence = best_evidence(hits, rewritten, c, self.store.tokenizer.tokenize, self.store.idf,
                                 lexicon=self.store.lexicon)
        return self._answer_from(evidence[:1], c, rewritten, hits, timings, notice)

    def _delivery(self, asked: tuple[str, ...], scope, hits) -> Evidence | None:
        """Who/when/where a report was delivered: from its delivery lines, if one report is meant."""
        in_scope = [rid for rid in self.store.reports
                    if scope.mask[self.store.rows_of(rid).start:self.store.rows_of(rid).stop].any()]
        # one report meant (a year's report, or that and the next): else the top hit's report
        candidates = in_scope if len(in_scope) <= 2 else [h.passage.report for h in hits[:1]]
        for rid in candidates:
            ev = delivery_evidence(asked, self.store.reports[rid], self.source_text(rid),
                                   self.store.passages_of(rid))
            if ev:
                return ev
        return None

    def _answer_from(self, evidence: list[Evidence], c: Constraints, rewritten: str, hits, timings,
                     notice: str, labels=None) -> Answer:
        good = [ev for ev in evidence if ev.score >= self._threshold(c)]
        confidence = max((ev.score for ev in evidence), default=0.0)
        if not good:
            answer = self._refuse(c, rewritten, timings, "", notice)
            answer.retrieved, answer.confidence = hits, confidence
            return answer
        text, citations = compose(good, self.reports, c.language, labels)
        return Answer(answer=text, answerable=True, citations=citations, retrieved=hits,
                      rewritten_question=rewritten, constraints=c.to_dict(), timings=timings,
                      notice=notice, confidence=confidence)

    def _standalone(self, question: str, history: list[tuple[str, str]]) -> str:
        """The follow-up as a standalone question: by the LLM's condense prompt when one is
        configured (and answers), else by the rules of assistant/understand/followup.py."""
        if history and self.settings.mode == "llm" and self.settings.llm_configured and is_followup(question, history):
            if condensed := self._llm_answerer().condense(question, history):
                return condensed
        return rewrite(question, history, self.places)

    def _threshold(self, c: Constraints) -> float:
        return self.settings.answer_threshold_en if c.language == "en" else self.settings.answer_threshold

    def _per_year(self, rewritten: str, c: Constraints, filters, timings, notice: str) -> Answer:
        """'2019年和2024年的中央预算内投资各是多少？': the best evidence of each year's report."""
        chosen, labels, all_hits = [], [], []
        years = sorted(set(c.years) | (set(range(c.year_span[0], c.year_span[1] + 1)) if c.year_span else set()))
        names_report = c.names_report
        for year in years:
            single = replace(c, years=[year], year_span=None, report_year=year if names_report else None)
            scope = make_scope(self.store, single, filters)
            hits = hybrid_search(self.store, rewritten, single, scope, self.settings)
            evidence = best_evidence(hits, rewritten, single, self.store.tokenizer.tokenize,
                                     self.store.idf, lexicon=self.store.lexicon)
            if evidence and evidence[0].score >= self._threshold(c):
                chosen.append(evidence[0])
                labels.append(f"{year}" if c.language == "en" else f"{year}年")
                all_hits.extend(hits[:3])
        answer = self._answer_from(chosen, c, rewritten, all_hits, timings, notice, labels)
        if answer.answerable:
            answer.table = [{"year": label, "quote": cit.quote, "report": cit.report, "n": cit.n}
                            for label, cit in zip(labels, answer.citations, strict=True)]
        return answer

    # ------------------------------------------------------------------ refusals
    def _trim(self, question: str) -> tuple[str, str]:
        question = (question or "").strip()
        limit = self.settings.max_question_chars
        if len(question) <= limit:
            return question, ""
        return question[:limit], f"问题过长，只保留了前{limit}个字。/ The question was cut to {limit} characters."

    def _refuse(self, c: Constraints, rewritten: str, timings, reason: str, notice: str) -> Answer:
        return Answer(answer=refusal(c.language, reason), answerable=False, rewritten_question=rewritten,
                      constraints=c.to_dict(), timings=timings, notice=notice)

    def _translation_answers(self, query: Query) -> bool:
        """An English question about a year an official translation covers is answered from
        the translation's own sentence (its wording, its numbers), not from a Chinese fact."""
        if query.language != "en" or query.regions or query.all_regions:
            return False
        years = set(query.years) | {y + 1 for y in query.years}
        return any(r.language == "en" and r.year in years for r in self.reports.values())

    def _no_regional_figure(self, query: Query) -> str:
        years = "、".join(str(y) for y in query.years)
        if query.language == "en":
            return f"no provincial report of {years or 'the years asked'} states that figure"
        return f"资料库中{years + '年' if years else ''}的省级政府工作报告没有给出该项数值"

    def _missing_place(self, c: Constraints) -> str:
        if c.language == "en":
            return f"the collection has no government work report of {c.unknown_place}"
        return f"资料库中没有{c.unknown_place}的政府工作报告"

    def _missing_report(self, c: Constraints, filters) -> str:
        years = "、".join(str(y) for y in sorted(report_years(c))) or ""
        if c.county:
            who = c.county
        elif c.regions:
            who = "、".join(self._region_name(r) for r in c.regions)
        else:
            who = "国务院"
        if c.language == "en":
            who_en = "State Council" if who == "国务院" else ", ".join(c.regions) or who
            return f"the collection has no {years} {who_en} government work report".replace("  ", " ")
        return f"资料库中没有{years}年{who}政府工作报告" if years else f"资料库中没有{who}政府工作报告"

    def _region_name(self, region_id: str) -> str:
        from .regions import BY_ID

        return BY_ID[region_id].name if region_id in BY_ID else region_id

