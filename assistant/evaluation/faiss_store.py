"""A minimal LangChain VectorStore over a real FAISS index (IndexFlatL2, as LangChain's own
FAISS wrapper builds by default), with save/load of the vectors and chunk spans.

Only spans (report, start, end) are saved; chunk texts are cut from the corpus on load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

INDEX_FILE = "index.faiss"
CHUNKS_FILE = "chunks.jsonl"


class FaissStore(VectorStore):
    def __init__(self, embedding: Embeddings, index: faiss.Index, documents: list[Document]):
        self._embedding = embedding
        self.index = index
        self.documents = documents

    @property
    def embeddings(self) -> Embeddings:
        return self._embedding

    @classmethod
    def from_texts(cls, texts: list[str], embedding: Embeddings, metadatas: list[dict] | None = None,
                   **kwargs) -> FaissStore:
        metadatas = metadatas or [{} for _ in texts]
        documents = [Document(page_content=t, metadata=m) for t, m in zip(texts, metadatas, strict=True)]
        vectors = np.asarray(embedding.embed_documents(list(texts)), dtype=np.float32)
        index = faiss.IndexFlatL2(vectors.shape[1])
        index.add(vectors)
        return cls(embedding, index, documents)

    def add_texts(self, texts: Iterable[str], metadatas: list[dict] | None = None, **kwargs) -> list[str]:
        texts = list(texts)
        metadatas = metadatas or [{} for _ in texts]
        vectors = np.asarray(self._embedding.embed_documents(texts), dtype=np.float32)
        first = len(self.documents)
        self.index.add(vectors)
        self.documents += [Document(page_content=t, metadata=m) for t, m in zip(texts, metadatas, strict=True)]
        return [str(i) for i in range(first, len(self.documents))]

    def similarity_search_with_score(self, query: str, k: int = 4, **kwargs) -> list[tuple[Document, float]]:
        """(document, L2 distance) pairs, nearest first."""
        if not self.documents:
            return []
        vector = np.asarray([self._embedding.embed_query(query)], dtype=np.float32)
        distances, ids = self.index.search(vector, min(k, len(self.documents)))
        return [(self.documents[i], float(d)) for d, i in zip(distances[0], ids[0], strict=True) if i >= 0]

    def similarity_search(self, query: str, k: int = 4, **kwargs) -> list[Document]:
        return [doc for doc, _ in self.similarity_search_with_score(query, k)]

    # ---------------------------------------------------------------- persistence

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / INDEX_FILE).is_file() and (folder / CHUNKS_FILE).is_file()

    def save(self, folder: Path) -> None:
        """Chunk spans (metadata report/start/end) and the FAISS index; written last = complete."""
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / CHUNKS_FILE).open("w", encoding="utf-8") as out:
            for doc in self.documents:
                out.write(json.dumps(doc.metadata, ensure_ascii=False) + "\n")
        faiss.write_index(self.index, str(folder / INDEX_FILE))

    @classmethod
    def load(cls, folder: Path, embedding: Embeddings, texts: dict[str, str]) -> FaissStore:
        index = faiss.read_index(str(folder / INDEX_FILE))
        documents = []
        for line in (folder / CHUNKS_FILE).read_text(encoding="utf-8").splitlines():
            meta = json.loads(line)
            text = texts[meta["report"]][meta["start"]:meta["end"]]
            documents.append(Document(page_content=text, metadata=meta))
        if index.ntotal != len(documents):
            raise ValueError(f"{folder}: {index.ntotal} vectors but {len(documents)} chunks; delete it to rebuild")
        return cls(embedding, index, documents)
