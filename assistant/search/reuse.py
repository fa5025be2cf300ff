"""The per-report pieces of an index, reused from older generations (the incremental build).

Each piece is saved under a key made of everything that produced it, so an unchanged report
finds its pieces in the live generation (hard links) and only a changed or added report is
chunked, tokenised and searched for facts again:

    passages/<key>.jsonl   the report's record (text sha256 and metadata), chunker version and
                           chunk settings
    tokens/<key>.json      tokenizer version, user dictionary and the passage texts (beside it
                           the jieba cuts of the report's runs, tokens/<key>.cuts.tsv)
    facts/<key>.jsonl      extractor version, the report's record and its passages key
    lexicon/<key>.json     the contents of parallel/*.tsv and jieba's version

passages.jsonl and facts.jsonl are the per-report files concatenated in report order, byte for
byte what a full build writes, and BM25 is recomputed from the stored token lists: an
incremental build gives the index a full build with the same user dictionary gives.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from ..chunking import CHUNKER_VERSION, chunk_report
from ..corpus import Corpus
from ..facts import EXTRACTOR_VERSION, extract_facts
from ..lexicon import lexicon_for_corpus, save_lexicon
from ..settings import Settings
from ..types import Passage
from . import layout
from .bm25 import TOKENIZER_VERSION, Tokenizer, write_cuts
from .layout import FACTS_DIR, LEXICON_DIR, PASSAGES_DIR
from .manifest import CHUNK_PARAMS
from .userdict import userdict_sha


def key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def find_cached(cache_dirs: list[Path], relative: str) -> Path | None:
    return next((d / relative for d in cache_dirs if (d / relative).is_file()), None)


def save_atomic(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    write(temp)
    os.replace(temp, path)


def reuse(cache_dirs: list[Path], generation: Path, relative: str) -> bool:
    """Link `relative` of an older generation into `generation`; False when none has it."""
    cached = find_cached(cache_dirs, relative)
    if cached is None:
        return False
    (generation / relative).parent.mkdir(parents=True, exist_ok=True)
    layout.link_or_copy(cached, generation / relative)
    return True


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def passages_key(corpus: Corpus, report_id: str, settings: Settings) -> str:
    report = json.dumps(corpus.reports[report_id].to_dict(), ensure_ascii=False, sort_keys=True)
    return key("passages", str(CHUNKER_VERSION), report, *(str(getattr(settings, n)) for n in CHUNK_PARAMS))


def chunk_all(generation: Path, corpus: Corpus, settings: Settings, cache_dirs: list[Path],
              errors: list[str]) -> tuple[dict[str, list[Passage]], dict[str, str]]:
    """The passages of every report (read back for unchanged reports) and their keys."""
    passages: dict[str, list[Passage]] = {}
    keys: dict[str, str] = {}
    for report_id in sorted(corpus.reports):
        keys[report_id] = passage_key = passages_key(corpus, report_id, settings)
        relative = f"{PASSAGES_DIR}/{passage_key}.jsonl"
        if reuse(cache_dirs, generation, relative):
            passages[report_id] = [Passage.from_dict(d) for d in _read_jsonl(generation / relative)]
            continue
        try:
            passages[report_id] = chunk_report(corpus.reports[report_id], corpus.texts[report_id], settings)
        except Exception as exc:  # one broken report must not stop the others
            errors.append(f"{report_id}: cannot split into passages ({type(exc).__name__}: {exc}); skipped")
            del keys[report_id]
            continue
        save_atomic(generation / relative, lambda p, ps=passages[report_id]: p.write_text(
            _jsonl([x.to_dict() for x in ps]), encoding="utf-8"))
    return passages, keys


def concatenate(generation: Path, relatives: list[str], target: str) -> None:
    """`target` made of the files `relatives` of `generation`, in that order."""
    def write(path: Path) -> None:
        with path.open("wb") as out:
            for relative in relatives:
                out.write((generation / relative).read_bytes())

    save_atomic(generation / target, write)


def write_tokens(generation: Path, texts_by_report: dict[str, list[str]], words: list[str],
                 cache_dirs: list[Path], progress: bool) -> tuple[dict[str, str], list[list[str]]]:
    """tokens/<key>.json per report (reused when cached); returns the keys and all token lists."""
    tokenizer: Tokenizer | None = None
    dict_key = userdict_sha(words)
    keys: dict[str, str] = {}
    all_tokens: list[list[str]] = []
    reports = texts_by_report.items()
    if progress:
        from tqdm import tqdm

        reports = tqdm(reports, desc="keyword index", unit="report")
    for report_id, texts in reports:
        keys[report_id] = token_key = key("tokens", TOKENIZER_VERSION, dict_key, *texts)
        relative = f"{layout.TOKENS_DIR}/{token_key}.json"
        # beside them, the jieba cut of every Chinese run of the report, for question time
        # (IndexStore.prime), recorded while tokenizing
        cuts_relative = layout.cuts_file(token_key)
        have_cuts = reuse(cache_dirs, generation, cuts_relative)
        cuts: dict[str, str] | None = None if have_cuts else {}
        if reuse(cache_dirs, generation, relative):
            token_lists = json.loads((generation / relative).read_text(encoding="utf-8"))
            if not have_cuts:  # tokens from an index older than the cuts files
                tokenizer = tokenizer or Tokenizer(words)
                cuts = tokenizer.cuts_of(texts)
        else:
            tokenizer = tokenizer or Tokenizer(words)
            token_lists = [tokenizer.tokenize(text, cuts) for text in texts]
            save_atomic(generation / relative, lambda p, t=token_lists: p.write_text(
                json.dumps(t, ensure_ascii=False), encoding="utf-8"))
        all_tokens.extend(token_lists)
        if not have_cuts:
            save_atomic(generation / cuts_relative, lambda p, c=cuts: write_cuts(p, c))
    return keys, all_tokens


def write_facts(generation: Path, corpus: Corpus, passages: dict[str, list[Passage]],
                passage_keys: dict[str, str], cache_dirs: list[Path], errors: list[str]) -> None:
    """facts/<key>.jsonl per report (extracted only for reports without one), then facts.jsonl."""
    relatives = []
    for report_id, report_passages in passages.items():
        relative = f"{FACTS_DIR}/{key('facts', str(EXTRACTOR_VERSION), passage_keys[report_id])}.jsonl"
        if not reuse(cache_dirs, generation, relative):
            try:
                facts = extract_facts(corpus.reports[report_id], corpus.texts[report_id], report_passages)
            except Exception as exc:  # one broken report must not stop the others
                if layout.is_disk_full(exc):
                    raise
                errors.append(f"facts: {report_id}: {type(exc).__name__}: {exc}")
                continue
            save_atomic(generation / relative, lambda p, f=facts: p.write_text(
                _jsonl([x.to_dict() for x in f]), encoding="utf-8"))
        relatives.append(relative)
    concatenate(generation, relatives, layout.FACTS)


def lexicon_key(corpus_root: Path) -> str:
    parallel = Path(corpus_root) / "parallel"
    files = sorted(parallel.glob("*.tsv")) if parallel.is_dir() else []
    return key("lexicon", metadata.version("jieba"),
               *(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in files))


def write_lexicon(generation: Path, corpus_root: Path, cache_dirs: list[Path]) -> None:
    """lexicon.json, mined again only when parallel/ changed (assistant/lexicon.py)."""
    relative = f"{LEXICON_DIR}/{lexicon_key(corpus_root)}.json"
    if not reuse(cache_dirs, generation, relative):
        save_atomic(generation / relative, lambda p: save_lexicon(p, lexicon_for_corpus(corpus_root)))
    layout.link_or_copy(generation / relative, generation / layout.LEXICON)
