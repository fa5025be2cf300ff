"""What the Milvus backend's writer and reader share: names, the client, blobs, filters.

One index generation in Milvus is two collections, named after the local generation it was
published from (`gen-20261201T120647-…` -> `gen_20261201T120647_…`):

    <prefix>_p_<gen>   one row per passage: row (primary key = the passage index of the
                       generation), report, year, region, level, language, start, end, text,
                       sparse (our BM25 weights, see milvus_publish.py), dense (if built)
    <prefix>_m_<gen>   the generation's files as text blobs, in pieces: manifest.json,
                       passages.jsonl, reports.jsonl, facts.jsonl, userdict.txt, lexicon.json
                       and vocab.json (token -> [sparse dimension, document frequency]);
                       cuts/<key> per report (its index-time jieba cuts, read on demand)

Aliases: `<prefix>_live` -> the live meta collection (switched last, the commit point: a
reader follows only it) and `<prefix>_passages` -> its passage collection, for users' own
LangChain chains. Milvus Lite (a file path as URI) serves one process per file."""

from __future__ import annotations

import threading
from pathlib import Path

from ..layout import GEN_PREFIX

FIELD_DENSE = "dense"
FIELD_SPARSE = "sparse"
BLOB_CHARS = 16_000  # a VARCHAR holds 65,535 bytes; 16k characters of UTF-8 are at most 64,000
BLOB_PAGE = 1000  # blob pieces per query
TEXT_CHARS = 16_000  # the passage collection's `text` (the full record is in passages.jsonl)
META_FILES = ("manifest.json", "passages.jsonl", "reports.jsonl", "facts.jsonl", "userdict.txt",
              "lexicon.json", "vocab.json")

_clients: dict[tuple[str, str], object] = {}
_clients_lock = threading.Lock()


def resolve_uri(settings) -> str:
    """GOVQA_MILVUS_URI: http(s)://host:19530 for a server, else a file path (Milvus Lite);
    empty: <index_dir>/milvus.db."""
    uri = settings.milvus_uri or str(Path(settings.index_dir) / "milvus.db")
    if "://" in uri:
        return uri
    path = Path(uri).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def client_for(settings):
    """One MilvusClient per URI and process (Milvus Lite allows one process per file)."""
    from pymilvus import MilvusClient

    uri = resolve_uri(settings)
    key = (uri, settings.milvus_token)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = MilvusClient(uri=uri, token=settings.milvus_token) if settings.milvus_token \
                else MilvusClient(uri=uri)
        return _clients[key]


def close_clients() -> None:
    """Close every client of this process (tests; a Lite file is then free for another process)."""
    with _clients_lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def live_alias(prefix: str) -> str:
    return f"{prefix}_live"


def passages_alias(prefix: str) -> str:
    return f"{prefix}_passages"


def gen_suffix(generation_name: str) -> str:
    return generation_name.replace("-", "_")


def meta_name(prefix: str, generation_name: str) -> str:
    return f"{prefix}_m_{gen_suffix(generation_name)}"


def passage_name(prefix: str, generation_name: str) -> str:
    return f"{prefix}_p_{gen_suffix(generation_name)}"


def passage_of_meta(prefix: str, meta: str) -> str:
    return f"{prefix}_p_" + meta.removeprefix(f"{prefix}_m_")


def generation_of(prefix: str, collection: str) -> str | None:
    """The generation suffix of one of our collections (None: not ours)."""
    for kind in ("_m_", "_p_"):
        head = f"{prefix}{kind}"
        if collection.startswith(head) and collection[len(head):].startswith(GEN_PREFIX[:-1]):
            return collection[len(head):]
    return None


def live_meta(client, prefix: str) -> str | None:
    """The live meta collection, or None when nothing was published yet."""
    if live_alias(prefix) not in client.list_aliases().get("aliases", []):
        return None
    return client.describe_alias(live_alias(prefix))["collection_name"]


def cuts_blob(token_key: str) -> str:
    """The blob of a report's index-time jieba cuts (tokens/<key>.cuts.tsv locally)."""
    return f"cuts/{token_key}"


def units_blob(units_key: str) -> str:
    """The blob of a report's evidence units (tokens/<key>.units.tsv locally, search/units.py)."""
    return f"units/{units_key}"


def ensure_loaded(client, collection: str) -> None:
    """Load a collection into the engine's memory if it is not (Milvus Lite releases every
    collection when its file is closed; a server keeps them loaded across restarts)."""
    state = client.get_load_state(collection).get("state")
    if getattr(state, "name", str(state)) != "Loaded":
        client.load_collection(collection)


def blob_rows(name: str, text: str) -> list[dict]:
    """`name:count` (the number of pieces) and the pieces `name:0000000`, `name:0000001`, …"""
    pieces = [text[i:i + BLOB_CHARS] for i in range(0, len(text), BLOB_CHARS)] or [""]
    rows = [{"key": f"{name}:{n:07d}", "name": name, "text": piece, "vec": [0.0, 0.0]}
            for n, piece in enumerate(pieces)]
    return [{"key": f"{name}:count", "name": name, "text": str(len(pieces)), "vec": [0.0, 0.0]}, *rows]


def read_blob(client, meta: str, name: str) -> str | None:
    """The text of one blob (None when the generation has no such file), fetched by key in
    pages (Milvus caps one query at 16,384 rows)."""
    head = client.get(meta, ids=[f"{name}:count"], output_fields=["text"])
    if not head:
        return None
    keys = [f"{name}:{n:07d}" for n in range(int(head[0]["text"]))]
    pieces: dict[str, str] = {}
    for i in range(0, len(keys), BLOB_PAGE):
        pieces.update((row["key"], row["text"]) for row in
                      client.get(meta, ids=keys[i:i + BLOB_PAGE], output_fields=["key", "text"]))
    if len(pieces) != len(keys):
        raise ValueError(f"{meta}: {name} has {len(pieces)} of {len(keys)} pieces")
    return "".join(pieces[key] for key in keys)
