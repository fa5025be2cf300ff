"""Building the index: chunk -> tokens -> BM25 (always) -> vectors (unless keyword-only).

Incremental: token lists and vectors are cached per report under a key made of what
produced them (the passage texts plus the tokenizer/user dictionary, or the embedder
name), so a rebuild re-tokenizes and re-embeds only reports whose passages changed.
Cached files are taken from older generations, including ones a killed build left."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..chunking import chunk_report, index_text
from ..corpus import Corpus, load_corpus
from ..embedders import get_embedder
from ..facts import EXTRACTOR_VERSION, build_facts, load_facts, save_facts
from ..settings import Settings
from ..types import Passage
from ..uploads import with_uploads
from . import layout
from .bm25 import TOKENIZER_VERSION, Bm25Index, Tokenizer, write_cuts
from .manifest import make_manifest, read_manifest, read_passages
from .userdict import build_userdict, userdict_sha, write_userdict

ProgressCallback = Callable[[int, int], None]


@dataclass
class BuildSummary:
    index_dir: Path
    generation: str = ""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    reports: int = 0
    passages: int = 0
    embedded: int = 0  # passages embedded in this build (the rest were reused)
    dense: bool = False
    embedder: str = ""
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        dense = f"dense ({self.embedder}, {self.embedded} passages embedded)" if self.dense else "keyword only"
        return [f"index: {self.reports} reports, {self.passages} passages, {dense}, {self.seconds:.1f} s",
                f"reports: {len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed, {len(self.reused)} unchanged",
                f"saved in {self.index_dir / self.generation}"]


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _find_cached(cache_dirs: list[Path], relative: str) -> Path | None:
    return next((d / relative for d in cache_dirs if (d / relative).is_file()), None)


def _save_atomic(path: Path, write: Callable[[Path], None]) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    write(temp)
    os.replace(temp, path)


def _save_npy(path: Path, vectors: np.ndarray) -> None:
    with path.open("wb") as handle:
        np.save(handle, vectors)


def _chunk_all(corpus: Corpus, settings: Settings, errors: list[str]) -> dict[str, list[Passage]]:
    passages: dict[str, list[Passage]] = {}
    for report_id in sorted(corpus.reports):
        try:
            passages[report_id] = chunk_report(corpus.reports[report_id], corpus.texts[report_id], settings)
        except Exception as exc:  # one broken report must not stop the others
            errors.append(f"{report_id}: cannot split into passages ({type(exc).__name__}: {exc}); skipped")
    return passages


def _write_tokens(generation: Path, texts_by_report: dict[str, list[str]], words: list[str],
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
        keys[report_id] = key = _key("tokens", TOKENIZER_VERSION, dict_key, *texts)
        relative = f"{layout.TOKENS_DIR}/{key}.json"
        cached = _find_cached(cache_dirs, relative)
        # beside them, the jieba cut of every Chinese run of the report, for question time
        # (IndexStore.prime), recorded while tokenizing
        cuts_relative = layout.cuts_file(key)
        cached_cuts = _find_cached(cache_dirs, cuts_relative)
        cuts: dict[str, str] | None = None if cached_cuts else {}
        if cached is not None:
            layout.link_or_copy(cached, generation / relative)
            token_lists = json.loads((generation / relative).read_text(encoding="utf-8"))
        else:
            tokenizer = tokenizer or Tokenizer(words)
            token_lists = [tokenizer.tokenize(text, cuts) for text in texts]
            _save_atomic(generation / relative, lambda p, t=token_lists: p.write_text(
                json.dumps(t, ensure_ascii=False), encoding="utf-8"))
        all_tokens.extend(token_lists)
        if cached_cuts is not None:
            layout.link_or_copy(cached_cuts, generation / cuts_relative)
        else:
            if cached is not None:  # tokens from an index older than the cuts files
                tokenizer = tokenizer or Tokenizer(words)
                cuts = tokenizer.cuts_of(texts)
            _save_atomic(generation / cuts_relative, lambda p, c=cuts: write_cuts(p, c))
    return keys, all_tokens


def _write_vectors(generation: Path, texts_by_report: dict[str, list[str]], embedder_name: str,
                   cache_dirs: list[Path], progress: bool, callback: ProgressCallback | None,
                   threads: int | None = None) -> tuple[dict[str, str], int, int]:
    """vectors/<key>.npy per report, embedding only what no generation has; returns
    (keys, dimension, passages embedded)."""
    keys = {rid: _key("vectors", embedder_name, *texts) for rid, texts in texts_by_report.items()}
    todo = [rid for rid, key in keys.items()
            if _find_cached(cache_dirs, f"{layout.VECTORS_DIR}/{key}.npy") is None]
    total = sum(len(texts_by_report[rid]) for rid in todo)
    embedder = get_embedder(embedder_name, threads=threads)
    bar = None
    if progress and total:
        from tqdm import tqdm

        bar = tqdm(total=total, desc=f"embedding ({embedder_name})", unit="passage")
    done = 0
    try:
        for report_id, key in keys.items():
            relative = f"{layout.VECTORS_DIR}/{key}.npy"
            if report_id not in todo:
                layout.link_or_copy(_find_cached(cache_dirs, relative), generation / relative)
                continue
            vectors = embedder.embed_passages(texts_by_report[report_id])
            _save_atomic(generation / relative, lambda p, v=vectors: _save_npy(p, v))
            done += len(vectors)
            if bar is not None:
                bar.update(len(vectors))
            if callback is not None:
                callback(done, total)
    finally:
        if bar is not None:
            bar.close()
    return keys, embedder.dim, done


def _cache_dirs(index_dir: Path, generation: Path, rebuild: bool) -> list[Path]:
    if rebuild:
        return []
    current = layout.current_generation_or_none(index_dir)
    others = [g for g in layout.stale_generations(index_dir, {generation.name}) if g != current]
    return ([current] if current and current.is_dir() else []) + others


def _previous_manifest(index_dir: Path, errors: list[str]) -> dict | None:
    generation = layout.current_generation_or_none(index_dir)
    if generation is None:
        return None
    try:
        return read_manifest(generation)
    except layout.IndexStoreError as exc:
        errors.append(f"previous index not readable, building from scratch: {exc}")
        return None


def _compare(summary: BuildSummary, previous: dict | None, corpus: Corpus, kept: list[str]) -> None:
    old = (previous or {}).get("reports", {})
    for report_id in kept:
        if report_id not in old:
            summary.added.append(report_id)
        elif old[report_id]["sha256"] != corpus.reports[report_id].sha256:
            summary.changed.append(report_id)
        else:
            summary.reused.append(report_id)
    summary.removed = sorted(set(old) - set(kept))


def build_index(corpus: Corpus | Path | str, index_dir: Path | str, settings: Settings, *,
                dense: bool = True, progress: bool = True, rebuild: bool = False,
                progress_callback: ProgressCallback | None = None) -> BuildSummary:
    """Build (or update) the index of `corpus` in `index_dir` and make it live atomically."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    if not isinstance(corpus, Corpus):
        corpus = load_corpus(corpus, progress=progress)
    corpus = with_uploads(corpus, index_dir)  # the index's uploads are always part of its corpus
    summary = BuildSummary(index_dir=index_dir, errors=list(corpus.errors), dense=dense,
                           embedder=settings.embedder)
    with layout.BuildLock(index_dir):
        previous = None if rebuild else _previous_manifest(index_dir, summary.errors)
        passages = _chunk_all(corpus, settings, summary.errors)
        if not passages:
            raise ValueError(f"nothing to index: no readable reports in {corpus.root}")
        texts = {rid: [index_text(p) for p in ps] for rid, ps in passages.items()}
        words = build_userdict(corpus.texts.values())
        generation = layout.new_generation(index_dir)
        cache_dirs = _cache_dirs(index_dir, generation, rebuild)
        token_keys, token_lists = _write_tokens(generation, texts, words, cache_dirs, progress)
        Bm25Index.build(token_lists).save(generation / layout.BM25_DIR)
        vector_keys, dim = {}, None
        if dense:
            vector_keys, dim, summary.embedded = _write_vectors(
                generation, texts, settings.embedder, cache_dirs, progress, progress_callback,
                settings.embed_threads)
        write_userdict(generation / layout.USERDICT, words)
        _write_records(generation, corpus, passages)
        _write_facts(generation, corpus, passages, layout.current_generation_or_none(index_dir)
                     if not rebuild else None, summary.errors)
        _write_lexicon(generation, corpus, summary.errors)
        manifest = make_manifest(settings, corpus, passages, token_keys, vector_keys, dim,
                                 userdict_sha(words), time.perf_counter() - started)
        layout.write_json(generation / layout.MANIFEST, manifest)
        layout.publish(index_dir, generation)
    _compare(summary, previous, corpus, list(passages))
    summary.generation = generation.name
    summary.reports, summary.passages = len(passages), sum(map(len, passages.values()))
    summary.seconds = time.perf_counter() - started
    return summary


def _write_facts(generation: Path, corpus: Corpus, passages: dict[str, list[Passage]],
                 previous: Path | None, errors: list[str]) -> None:
    """Every number of every report with its period (assistant/facts), extracted once at index
    time; a report whose text and extractor are unchanged keeps the facts it had."""
    try:
        kept = _previous_facts(previous, corpus) if previous else {}
        fresh = build_facts(corpus, {rid: ps for rid, ps in passages.items() if rid not in kept},
                            only=[rid for rid in passages if rid not in kept])
        save_facts(generation / layout.FACTS, [f for rid in passages for f in kept.get(rid, [])] + fresh)
    except Exception as exc:  # facts are an extra: a failure must not lose the index
        if layout.is_disk_full(exc):
            raise
        errors.append(f"facts not extracted: {type(exc).__name__}: {exc}")


def _previous_facts(previous: Path, corpus: Corpus) -> dict[str, list]:
    """Facts of the previous generation for the reports whose text has not changed."""
    try:
        manifest = read_manifest(previous)
        if manifest.get("facts_version") != EXTRACTOR_VERSION or not (previous / layout.FACTS).is_file():
            return {}
        unchanged = {rid for rid, entry in manifest["reports"].items()
                     if rid in corpus.reports and entry.get("sha256") == corpus.reports[rid].sha256}
        kept: dict[str, list] = {}
        for fact in load_facts(previous / layout.FACTS):
            if fact.report in unchanged:
                kept.setdefault(fact.report, []).append(fact)
        return kept
    except (OSError, ValueError, KeyError):
        return {}


def _write_lexicon(generation: Path, corpus: Corpus, errors: list[str]) -> None:
    """English -> Chinese terms from the corpus's parallel sentences, for English questions."""
    from ..lexicon import lexicon_for_corpus, save_lexicon

    try:
        save_lexicon(generation / layout.LEXICON, lexicon_for_corpus(corpus.root))
    except Exception as exc:  # an extra, like the facts: never lose the index over it
        if layout.is_disk_full(exc):
            raise
        errors.append(f"English-Chinese lexicon not built: {type(exc).__name__}: {exc}")


def _write_records(generation: Path, corpus: Corpus, passages: dict[str, list[Passage]]) -> None:
    with (generation / layout.PASSAGES).open("w", encoding="utf-8") as handle:
        for report_passages in passages.values():
            for passage in report_passages:
                handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
    with (generation / layout.REPORTS).open("w", encoding="utf-8") as handle:
        for report_id in passages:
            handle.write(json.dumps(corpus.reports[report_id].to_dict(), ensure_ascii=False) + "\n")


def build_dense(index_dir: Path | str, settings: Settings,
                progress_callback: ProgressCallback | None = None, *, progress: bool = False) -> BuildSummary:
    """Add the dense part to a keyword-only index (or redo it for another embedder), atomically."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    summary = BuildSummary(index_dir=index_dir, dense=True, embedder=settings.embedder)
    with layout.BuildLock(index_dir):
        current = layout.current_generation(index_dir)
        if current is None:
            raise layout.missing_error(index_dir)
        manifest = read_manifest(current)
        passages = read_passages(current, manifest)
        texts: dict[str, list[str]] = {rid: [] for rid in manifest["reports"]}
        for passage in passages:
            texts[passage.report].append(index_text(passage))
        summary.reused = sorted(texts)
        summary.reports, summary.passages = len(texts), len(passages)
        if manifest.get("dense") and manifest["embedder"] == settings.embedder:
            summary.generation = current.name
            return summary
        generation = layout.new_generation(index_dir)
        for name in (layout.PASSAGES, layout.REPORTS, layout.USERDICT, layout.FACTS, layout.LEXICON):
            if (current / name).exists():
                layout.link_or_copy(current / name, generation / name)
        for sub in (layout.BM25_DIR, layout.TOKENS_DIR):
            for path in (current / sub).iterdir():
                layout.link_or_copy(path, generation / sub / path.name)
        cache_dirs = _cache_dirs(index_dir, generation, rebuild=False)
        vector_keys, dim, summary.embedded = _write_vectors(
            generation, texts, settings.embedder, cache_dirs, progress, progress_callback,
            settings.embed_threads)
        manifest.update(embedder=settings.embedder, dim=dim, dense=True,
                        build_seconds=round(manifest["build_seconds"] + time.perf_counter() - started, 2))
        manifest["versions"]["embedder"] = get_embedder(settings.embedder, threads=settings.embed_threads).version
        for report_id, entry in manifest["reports"].items():
            entry["vectors"] = vector_keys[report_id]
        layout.write_json(generation / layout.MANIFEST, manifest)
        layout.publish(index_dir, generation)
    summary.generation = generation.name
    summary.seconds = time.perf_counter() - started
    return summary
