"""The published passages as a LangChain `Milvus` vector store, for users' own chains.

    from assistant.search.backends.milvus_langchain import vector_store
    store = vector_store(Settings())            # GOVQA_INDEX_BACKEND=milvus, GOVQA_MILVUS_URI
    store.similarity_search("超长期特别国债", k=4, expr='year == 2024 and level == "national"')

It reads the `<prefix>_passages` alias (the live generation's passage collection): page_content
is the passage text, metadata the scalar fields (report, year, region, level, language, part,
kind, start, end: `start`/`end` are the exact character offsets in the report). Dense only;
govqa's own answers use the hybrid BM25 + dense ranking (qa.retrieve / assistant.lc)."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings
from langchain_milvus import Milvus

from ...embedders import get_embedder
from . import milvus_common as mc


class GovqaEmbeddings(Embeddings):
    """The index's embedder (query and passage sides differ for e5) as LangChain Embeddings."""

    def __init__(self, name: str, threads: int | None = None):
        self._embedder = get_embedder(name, threads=threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed_queries([text])[0].tolist()


def vector_store(settings) -> Milvus:
    """Milvus Lite needs explicit index/search parameters (its defaults are a server's)."""
    return Milvus(embedding_function=GovqaEmbeddings(settings.embedder, settings.embed_threads),
                  collection_name=mc.passages_alias(settings.milvus_prefix),
                  connection_args={"uri": mc.resolve_uri(settings),
                                   **({"token": settings.milvus_token} if settings.milvus_token else {})},
                  primary_field="row", text_field="text", vector_field=mc.FIELD_DENSE,
                  index_params={"index_type": "FLAT", "metric_type": "IP"},
                  search_params={"metric_type": "IP"})
