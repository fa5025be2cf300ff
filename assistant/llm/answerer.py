"""LLM answers over retrieved passages, from the backend of backends.py (an OpenAI-compatible
server, or a GGUF file in process).

The extractive answer is always computed first and passed in as `fallback`. The model may only
reword what the passages say: its answer is used when it cites given passages and every number
in it occurs in a passage it cites (a claim citing the wrong given passage is first re-pointed
to the one holding its numbers, see repair.py); otherwise, and on any error, the fallback is
returned with mode "llm-fallback" and a notice saying why. Nothing raises out of `stream()`.

A refusal by the model is honoured only when the extractive answer has nothing better: when the
extractive route answered with citations (quoted, hence checked, sentences), the user gets that
answer instead, with fallback reason "model_refused" and a notice saying the model did not
answer (decision of issue 15, round 2: in round 1 the 1.5B model refused 29 of the 54 questions
it was given, all of them answerable).
`Answer.llm` records the backend, model, prompt and answer tokens, speed, the fallback reason
and any repaired citation.

Timeouts: `llm_timeout` bounds each network wait (connect, and the gap between streamed
chunks, so a stalled stream ends); the whole answer is cut off after STREAM_DEADLINE_FACTOR
times that.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import time
from collections.abc import Iterator

from ..settings import Settings
from ..textutil import detect_language
from ..types import Answer, Hit, Report
from .backends import LocalModelError, make_backend
from .checks import check_answer, describe_error, notice, visible_text
from .citations import build_citations
from .context import (
    answer_reserve,
    format_history,
    passage_data,
    passages_block,
    prompt_tokens,
    select_passages,
)
from .prompts import REFUSALS, load_prompt

log = logging.getLogger(__name__)
STREAM_DEADLINE_FACTOR = 4
CONDENSE_MAX_TOKENS = 200


class LLMAnswerer:
    def __init__(self, settings: Settings, prompts_dir=None, backend=None):
        self.settings = settings
        # Loaded (and checked) now, so a broken prompt file fails at start-up, not mid-answer.
        self.prompts = {(kind, lang): load_prompt(kind, lang, prompts_dir)
                        for kind in ("answer", "condense") for lang in ("zh", "en")}
        self.backend, self.backend_error = backend, ""
        if settings.llm_configured and backend is None:  # built now, not inside the first answer's timing
            try:
                self.backend = make_backend(settings)
                self.backend.prepare(answer_reserve(settings.llm_context_tokens))
            except LocalModelError as exc:  # answers fall back and say why; nothing raises
                log.warning("language model not loaded: %s", exc)
                self.backend_error = str(exc)

    # ------------------------------------------------------------------ answering

    def stream(self, question: str, hits: list[Hit], reports: dict[str, Report],
               fallback: Answer, history: list[tuple[str, str]] = ()) -> Iterator[Answer]:
        """Partial Answers while tokens arrive (mode "llm", no citations), then the final one."""
        started = time.perf_counter()
        if not fallback.answerable:  # nothing good retrieved: the model must not answer alone
            yield fallback
            return
        language = detect_language(question)
        meta: dict = {}

        def fall_back(key: str, detail: str = "") -> Answer:
            return self._fallback(fallback, key, notice(key, language, detail), started, meta)

        if self.backend is None:
            yield fall_back(*(("unavailable", self.backend_error) if self.backend_error
                              else ("not_configured",)))
            return
        count = self.backend.count_tokens
        prompt = self.prompts[("answer", language)]
        history_text = format_history(history, language)
        passages = select_passages(hits, reports, prompt, question, history_text,
                                   self.settings.llm_context_tokens, count)
        if not passages:
            planted = any(hit.passage.text.strip() and not passage_data(hit.passage) for hit in hits)
            yield fall_back("planted" if planted else "context")
            return
        messages = prompt.messages(question=question, history=history_text,
                                   passages=passages_block(passages, reports))
        meta.update(backend=self.backend.name, model=self.backend.model,
                    tokenizer=self.backend.tokenizer, passages=len(passages),
                    prompt_tokens=prompt_tokens(messages, count))
        text, asked, first = "", time.perf_counter(), None
        try:
            for piece in self._tokens(messages):
                first = first or time.perf_counter()
                text += piece
                if shown := visible_text(text):
                    yield self._partial(fallback, shown, started, meta)
        except Exception as exc:  # any failure of the service or its output: use the fallback
            yield fall_back(*describe_error(exc, self.settings.llm_timeout))
            return
        meta.update(speed(count(text), asked, first, time.perf_counter()))
        yield self._final(text, passages, reports, question, fallback, language, started, meta)

    def answer(self, question: str, hits: list[Hit], reports: dict[str, Report],
               fallback: Answer, history: list[tuple[str, str]] = ()) -> Answer:
        answers = self.stream(question, hits, reports, fallback, history)
        return collections.deque(answers, maxlen=1)[0]

    def _tokens(self, messages) -> Iterator[str]:
        deadline = time.perf_counter() + STREAM_DEADLINE_FACTOR * self.settings.llm_timeout
        for piece in self.backend.stream(messages, answer_reserve(self.settings.llm_context_tokens)):
            if time.perf_counter() > deadline:
                raise TimeoutError("answer took too long")
            yield piece

    def _final(self, text, passages, reports, question, fallback, language, started, meta) -> Answer:
        checked = check_answer(text, passages, reports, question)
        meta = {**meta, "repaired": checked.repairs}
        if checked.problem:  # what the model wrote is kept for inspection, never shown as the answer
            meta["generated"] = visible_text(text)
            why = notice(checked.problem, language, checked.detail)
            return self._fallback(fallback, checked.problem, why, started, meta)
        if checked.refused:
            if fallback.answerable and fallback.citations:  # the quoted passages answer it
                meta["generated"] = visible_text(text)
                return self._fallback(fallback, "model_refused", notice("model_refused", language),
                                      started, meta)
            return self._from_fallback(fallback, REFUSALS[language], started, meta, answerable=False)
        citations = build_citations(checked.text, checked.cited, reports)
        return self._from_fallback(fallback, checked.text, started, meta, citations=citations)

    # ------------------------------------------------------------------ building Answers

    @staticmethod
    def _elapsed_ms(started: float) -> float:
        return round((time.perf_counter() - started) * 1000, 1)

    def _from_fallback(self, fallback: Answer, text: str, started: float, meta: dict,
                       answerable=True, citations=None) -> Answer:
        """An LLM answer keeping the fallback's retrieval, question, constraints, notice and
        confidence; its year table is dropped (its rows point at the fallback's citations)."""
        return dataclasses.replace(fallback, answer=text, answerable=answerable,
                                   citations=citations or [], mode="llm", table=None, llm=dict(meta),
                                   timings={**fallback.timings, "llm_ms": self._elapsed_ms(started)})

    def _partial(self, fallback: Answer, text: str, started: float, meta: dict) -> Answer:
        return self._from_fallback(fallback, text, started, meta)

    def _fallback(self, fallback: Answer, key: str, why: str, started: float, meta: dict) -> Answer:
        return dataclasses.replace(fallback, mode="llm-fallback", llm={**meta, "fallback": key},
                                   notice=" ".join(filter(None, (fallback.notice, why))),
                                   timings={**fallback.timings, "llm_ms": self._elapsed_ms(started)})

    # ------------------------------------------------------------------ follow-up questions

    def condense(self, question: str, history) -> str | None:
        """The follow-up `question` rewritten as a standalone question, or None (no history,
        no model configured, or any failure)."""
        history = list(history or ())
        if not history or self.backend is None:
            return None
        language = detect_language(question)
        prompt = self.prompts[("condense", language)]
        messages = prompt.messages(question=question, history=format_history(history, language))
        try:
            reply = self.backend.complete(messages, CONDENSE_MAX_TOKENS)
        except Exception:  # a rewrite is optional: the caller keeps the original question
            return None
        return clean_condensed(reply, question, self.settings.max_question_chars)


def speed(completion_tokens: int, asked: float, first: float | None, ended: float) -> dict:
    """Generation figures of one answer: tokens, time to the first token (prompt processing
    included) and tokens per second after it."""
    figures = {"completion_tokens": completion_tokens}
    if first is not None:
        figures["first_token_ms"] = round((first - asked) * 1000, 1)
        if completion_tokens > 1 and ended > first:
            figures["tokens_per_s"] = round((completion_tokens - 1) / (ended - first), 2)
    return figures


def clean_condensed(reply: str, question: str, max_chars: int) -> str | None:
    """The first non-empty line of the reply without a leading label or quotes; None if it is
    empty or implausibly long."""
    line = next((ln.strip() for ln in reply.splitlines() if ln.strip()), "")
    for label in ("改写后的独立问题：", "改写后的问题：", "独立问题：", "Standalone question:"):
        if line.startswith(label):
            line = line[len(label):].strip()
    line = line.strip("\"“”'「」")
    if not line or len(line) > max_chars or len(line) > 4 * len(question) + 200:
        return None
    return line
