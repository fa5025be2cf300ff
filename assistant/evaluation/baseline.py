"""The naive LangChain pipeline govqa is measured against.

RecursiveCharacterTextSplitter with its default settings (chunk_size 4000, overlap 200) +
a FAISS vector store (IndexFlatL2, as LangChain's FAISS default) over the same embedder as
govqa's index + top-k similarity search. The answer is the first retrieved chunk, it never
refuses, and its one citation is that chunk. History is ignored.

The FAISS index is cached under <index_dir>/baseline/<key>/, key = embedder + splitter
settings + corpus hash, so a second run does not re-embed.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from ..corpus import load_corpus
from ..settings import Settings, load_settings
from ..types import Answer, Citation, Hit, Passage
from .faiss_store import FaissStore

TOP_K = 10


class EmbedderEmbeddings(Embeddings):
    """One of govqa's embedders (assistant.embedders) as a LangChain Embeddings."""

    def __init__(self, embedder, progress: bool = False):
        self.embedder = embedder
        self.progress = progress

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(texts, progress=self.progress).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_queries([text])[0].tolist()


def make_splitter() -> RecursiveCharacterTextSplitter:
    """The splitter exactly as a first LangChain tutorial makes it: default sizes."""
    return RecursiveCharacterTextSplitter(add_start_index=True)


def split_report(splitter, report_id: str, text: str) -> list[Document]:
    """Chunks with exact spans: metadata report, start, end with text[start:end] == chunk."""
    documents = []
    search_from = 0
    for doc in splitter.create_documents([text]):
        start = doc.metadata.get("start_index", -1)
        if start < 0 or text[start:start + len(doc.page_content)] != doc.page_content:
            start = text.find(doc.page_content, search_from)  # the splitter could not place it
        if start < 0:
            raise ValueError(f"{report_id}: chunk not found in the text: {doc.page_content[:40]!r}")
        search_from = start + 1
        end = start + len(doc.page_content)
        documents.append(Document(page_content=doc.page_content,
                                  metadata={"report": report_id, "start": start, "end": end}))
    return documents


def cache_key(embedder_name: str, splitter, report_hashes: dict[str, str]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{embedder_name}|{splitter._chunk_size}|{splitter._chunk_overlap}|".encode())
    for report_id in sorted(report_hashes):
        digest.update(f"{report_id}={report_hashes[report_id]}\n".encode())
    slug = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in embedder_name)
    return f"{slug}-{digest.hexdigest()[:16]}"


class BaselineSystem:
    """The LangChain baseline behind the evaluation runner's System interface."""

    name = "baseline"

    def __init__(self, settings: Settings | None = None, progress: bool = True):
        from ..embedders import get_embedder

        self.settings = settings or load_settings()
        corpus = load_corpus(self.settings.corpus)
        self.reports, self.texts = corpus.reports, corpus.texts
        self.splitter = make_splitter()
        embeddings = EmbedderEmbeddings(get_embedder(self.settings.embedder, threads=self.settings.embed_threads),
                                        progress=progress)
        key = cache_key(self.settings.embedder, self.splitter,
                        {rid: r.sha256 for rid, r in self.reports.items()})
        self.cache_dir = Path(self.settings.index_dir) / "baseline" / key
        self.build_seconds = 0.0
        if FaissStore.exists(self.cache_dir):
            self.store = FaissStore.load(self.cache_dir, embeddings, self.texts)
        else:
            started = time.perf_counter()
            documents = [doc for rid in sorted(self.texts)
                         for doc in split_report(self.splitter, rid, self.texts[rid])]
            self.store = FaissStore.from_documents(documents, embeddings)
            self.store.save(self.cache_dir)
            self.build_seconds = time.perf_counter() - started
        self._spans: dict[str, list[tuple[int, int]]] = {}
        for doc in self.store.documents:
            self._spans.setdefault(doc.metadata["report"], []).append(
                (doc.metadata["start"], doc.metadata["end"]))

    def ask(self, question: str, history: list[tuple[str, str]] = ()) -> Answer:
        started = time.perf_counter()
        found = self.store.similarity_search_with_score(question, k=TOP_K)
        hits = [Hit(passage=self._passage(doc), score=-float(distance)) for doc, distance in found]
        timings = {"search": (time.perf_counter() - started) * 1000}
        if not hits:
            return Answer(answer="", answerable=True, timings=timings, mode="baseline")
        top = hits[0].passage
        citation = Citation(n=1, report=top.report, title=self.reports[top.report].title, heading="",
                            start=top.start, end=top.end, text=top.text, quote=top.text,
                            quote_start=top.start, quote_end=top.end)
        return Answer(answer=top.text, answerable=True, citations=[citation], retrieved=hits,
                      rewritten_question=question, timings=timings, mode="baseline")

    @staticmethod
    def _passage(doc: Document) -> Passage:
        meta = doc.metadata
        return Passage(report=meta["report"], start=meta["start"], end=meta["end"], text=doc.page_content)

    def source_text(self, report_id: str) -> str:
        return self.texts[report_id]

    def passage_spans(self, report_id: str) -> list[tuple[int, int]]:
        return self._spans.get(report_id, [])

    def describe(self) -> dict:
        return {
            "system": "baseline", "embedder": self.settings.embedder,
            "chunk_size": self.splitter._chunk_size, "chunk_overlap": self.splitter._chunk_overlap,
            "chunks": len(self.store.documents), "top_k": TOP_K, "index": str(self.cache_dir),
            "corpus": str(self.settings.corpus), "reports": len(self.texts),
        }
