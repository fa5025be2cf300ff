"""LangChain at the edges: govqa's retrieval as a `BaseRetriever` and the whole chain as a
`Runnable`, so users can compose them into their own chains.

    from assistant.lc import GovqaRetriever, govqa_chain
    docs = GovqaRetriever(qa=qa).invoke("2024年中央预算内投资拟安排多少？")
    answer = govqa_chain(qa).invoke({"question": "那2022年呢？", "history": [[q, a]]})
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda

from .types import Answer, Hit


def hit_to_document(hit: Hit, title: str = "") -> Document:
    p = hit.passage
    return Document(page_content=p.text, metadata={
        "report": p.report, "title": title, "heading": p.heading_path, "start": p.start, "end": p.end,
        "part": p.part, "kind": p.kind, "score": hit.score, "sources": list(hit.sources)})


class GovqaRetriever(BaseRetriever):
    """Year/region-aware hybrid retrieval. `filters` as in QA.ask (level, region, year_from …)."""

    qa: Any
    filters: dict | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        reports = self.qa.reports
        return [hit_to_document(h, reports[h.passage.report].title) for h in self.qa.retrieve(query, (), self.filters)]


def govqa_chain(qa, mode: str | None = None) -> Runnable:
    """{"question": str, "history": [[q, a], …], "filters": {…}} -> Answer."""

    def run(inputs: dict | str) -> Answer:
        if isinstance(inputs, str):
            inputs = {"question": inputs}
        return qa.ask(inputs["question"], inputs.get("history") or (), inputs.get("filters"), mode)

    return RunnableLambda(run, name="govqa")
