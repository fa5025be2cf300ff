"""LLM answers over retrieved passages, through any OpenAI-compatible endpoint (LangChain ChatOpenAI).

The extractive answer is always computed first and passed in as `fallback`. The model may only
reword what the passages say: its answer is used when it cites given passages and every number
in it occurs in a passage it cites; otherwise, and on any error, the fallback is returned with
mode "llm-fallback" and a notice saying why. Nothing raises out of `stream()`.

Timeouts: `llm_timeout` bounds each network wait (connect, and the gap between streamed
chunks, so a stalled stream ends); the whole answer is cut off after STREAM_DEADLINE_FACTOR
times that.
"""

from __future__ import annotations

import collections
import dataclasses
import time
from collections.abc import Iterator

from ..settings import Settings
from ..textutil import detect_language
from ..types import Answer, Hit, Report
from .checks import check_answer, describe_error, notice, visible_text
from .citations import build_citations
from .context import answer_reserve, format_history, passage_data, passages_block, select_passages
from .prompts import REFUSALS, load_prompt

STREAM_DEADLINE_FACTOR = 4
CONDENSE_MAX_TOKENS = 200


class LLMAnswerer:
    def __init__(self, settings: Settings, prompts_dir=None):
        self.settings = settings
        # Loaded (and checked) now, so a broken prompt file fails at start-up, not mid-answer.
        self.prompts = {(kind, lang): load_prompt(kind, lang, prompts_dir)
                        for kind in ("answer", "condense") for lang in ("zh", "en")}
        self._clients: dict[tuple[int, bool], object] = {}
        if settings.llm_configured:  # import and build now, not inside the first answer's timing
            self._chat(answer_reserve(settings.llm_context_tokens), streaming=True)

    def _chat(self, max_tokens: int, streaming: bool):
        if (max_tokens, streaming) not in self._clients:
            self._clients[(max_tokens, streaming)] = self._new_chat(max_tokens, streaming)
        return self._clients[(max_tokens, streaming)]

    def _new_chat(self, max_tokens: int, streaming: bool):
        from langchain_openai import ChatOpenAI

        s = self.settings
        return ChatOpenAI(model=s.llm_model, base_url=s.llm_base_url, api_key=s.llm_api_key,
                          timeout=s.llm_timeout, max_retries=0, temperature=0, streaming=streaming,
                          # plain max_tokens: accepted by vLLM, Ollama, DeepSeek and DashScope alike
                          extra_body={"max_tokens": max_tokens})

    # ------------------------------------------------------------------ answering

    def stream(self, question: str, hits: list[Hit], reports: dict[str, Report],
               fallback: Answer, history: list[tuple[str, str]] = ()) -> Iterator[Answer]:
        """Partial Answers while tokens arrive (mode "llm", no citations), then the final one."""
        started = time.perf_counter()
        if not fallback.answerable:  # nothing good retrieved: the model must not answer alone
            yield fallback
            return
        language = detect_language(question)

        def fall_back(key: str, detail: str = "") -> Answer:
            return self._fallback(fallback, notice(key, language, detail), started)

        if not self.settings.llm_configured:
            yield fall_back("not_configured")
            return
        prompt = self.prompts[("answer", language)]
        history_text = format_history(history, language)
        passages = select_passages(hits, reports, prompt, question, history_text,
                                   self.settings.llm_context_tokens)
        if not passages:
            planted = any(hit.passage.text.strip() and not passage_data(hit.passage) for hit in hits)
            yield fall_back("planted" if planted else "context")
            return
        messages = prompt.messages(question=question, history=history_text,
                                   passages=passages_block(passages, reports))
        text = ""
        try:
            for piece in self._tokens(messages):
                text += piece
                if shown := visible_text(text):
                    yield self._partial(fallback, shown, started)
        except Exception as exc:  # any failure of the service or its output: use the fallback
            yield fall_back(*describe_error(exc, self.settings.llm_timeout))
            return
        yield self._final(text, passages, reports, question, fallback, language, started)

    def answer(self, question: str, hits: list[Hit], reports: dict[str, Report],
               fallback: Answer, history: list[tuple[str, str]] = ()) -> Answer:
        answers = self.stream(question, hits, reports, fallback, history)
        return collections.deque(answers, maxlen=1)[0]

    def _tokens(self, messages) -> Iterator[str]:
        chat = self._chat(answer_reserve(self.settings.llm_context_tokens), streaming=True)
        deadline = time.perf_counter() + STREAM_DEADLINE_FACTOR * self.settings.llm_timeout
        for chunk in chat.stream(messages):
            if time.perf_counter() > deadline:
                raise TimeoutError("answer took too long")
            piece = chunk.content if isinstance(chunk.content, str) else "".join(
                part.get("text", "") for part in chunk.content if isinstance(part, dict))
            if piece:
                yield piece

    def _final(self, text, passages, reports, question, fallback, language, started) -> Answer:
        checked = check_answer(text, passages, reports, question)
        if checked.problem:
            return self._fallback(fallback, notice(checked.problem, language, checked.detail), started)
        if checked.refused:
            return self._from_fallback(fallback, REFUSALS[language], started, answerable=False)
        citations = build_citations(checked.text, checked.cited, reports)
        return self._from_fallback(fallback, checked.text, started, citations=citations)

    # ------------------------------------------------------------------ building Answers

    @staticmethod
    def _elapsed_ms(started: float) -> float:
        return round((time.perf_counter() - started) * 1000, 1)

    def _from_fallback(self, fallback: Answer, text: str, started: float, answerable=True,
                       citations=None) -> Answer:
        """An LLM answer keeping the fallback's retrieval, question, constraints, notice and
        confidence; its year table is dropped (its rows point at the fallback's citations)."""
        return dataclasses.replace(fallback, answer=text, answerable=answerable,
                                   citations=citations or [], mode="llm", table=None,
                                   timings={**fallback.timings, "llm_ms": self._elapsed_ms(started)})

    def _partial(self, fallback: Answer, text: str, started: float) -> Answer:
        return self._from_fallback(fallback, text, started)

    def _fallback(self, fallback: Answer, why: str, started: float) -> Answer:
        return dataclasses.replace(fallback, mode="llm-fallback",
                                   notice=" ".join(filter(None, (fallback.notice, why))),
                                   timings={**fallback.timings, "llm_ms": self._elapsed_ms(started)})

    # ------------------------------------------------------------------ follow-up questions

    def condense(self, question: str, history) -> str | None:
        """The follow-up `question` rewritten as a standalone question, or None (no history,
        no model configured, or any failure)."""
        history = list(history or ())
        if not history or not self.settings.llm_configured:
            return None
        language = detect_language(question)
        prompt = self.prompts[("condense", language)]
        messages = prompt.messages(question=question, history=format_history(history, language))
        try:
            reply = self._chat(CONDENSE_MAX_TOKENS, streaming=False).invoke(messages).content
        except Exception:  # a rewrite is optional: the caller keeps the original question
            return None
        return clean_condensed(reply if isinstance(reply, str) else "", question,
                               self.settings.max_question_chars)


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
