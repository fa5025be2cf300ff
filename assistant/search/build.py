"""Building the index: chunk -> tokens -> BM25 (always) -> vectors (unless keyword-only).

Incremental: passages, token lists, facts and vectors are cached per report under a key made
of what produced them (assistant/search/reuse.py; vectors: the passage texts and the embedder
name), so an update reads (search/scan.py), chunks, tokenises, extracts and embeds only the
reports that changed, and joins BM25 from the stored per-report counts (keyword_build.py). The
user dictionary stays as it was (userdict.stable_userdict) unless `rebuild`. Cached files are
taken from older generations, including ones a killed build left (BM25 counts only from the
live one)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..chunking import index_text
from ..corpus import Corpus
from ..embedders import get_embedder
from ..settings import Settings
from ..uploads import with_uploads
from . import layout, reuse
from .keyword_build import KeywordBuild
from .manifest import make_manifest, read_manifest, read_passages
from .reuse import find_cached, save_atomic
from .reuse import key as cache_key
from .scan import Scan, scan_corpus
from .units import UNITS_VERSION
from .userdict import stable_userdict, write_userdict

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
    skipped: list[str] = field(default_factory=list)  # files of the corpus folder that are no reports
    userdict: dict = field(default_factory=dict)  # version, sha, words, pending (userdict.py)

    def lines(self) -> list[str]:
        dense = f"dense ({self.embedder}, {self.embedded} passages embedded)" if self.dense else "keyword only"
        return [f"index: {self.reports} reports, {self.passages} passages, {dense}, {self.seconds:.1f} s",
                f"reports: {len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed, {len(self.reused)} unchanged",
                *self._userdict_lines(), f"saved in {self.index_dir / self.generation}"]

    def _userdict_lines(self) -> list[str]:
        if not self.userdict:
            return []
        pending = self.userdict.get("pending", 0)
        return [f"user dictionary v{self.userdict['version']}: {self.userdict['words']} words"
                + (f"; {pending} quoted terms of the corpus are not in it (`govqa index --rebuild` adds them)"
                   if pending else "")]


def _save_npy(path: Path, vectors: np.ndarray) -> None:
    with path.open("wb") as handle:
        np.save(handle, vectors)


def _write_vectors(generation: Path, texts_of: Callable[[str], list[str]], report_ids: list[str],
                   embedder_name: str, cache_dirs: list[Path], progress: bool, callback: ProgressCallback | None,
                   threads: int | None = None, known: dict[str, str] | None = None) -> tuple[dict[str, str], int, int]:
    """vectors/<key>.npy per report, embedding only what no generation has; returns
    (keys, dimension, passages embedded). `known`: keys of reports whose texts are those of the
    live generation (its manifest's), so their texts are not read to make the key again."""
    known = known or {}
    keys = {rid: known.get(rid) or cache_key("vectors", embedder_name, *texts_of(rid)) for rid in report_ids}
    todo = [rid for rid, key in keys.items()
            if find_cached(cache_dirs, f"{layout.VECTORS_DIR}/{key}.npy") is None]
    total = sum(len(texts_of(rid)) for rid in todo)
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
                layout.link_or_copy(find_cached(cache_dirs, relative), generation / relative)
                continue
            vectors = embedder.embed_passages(texts_of(report_id))
            save_atomic(generation / relative, lambda p, v=vectors: _save_npy(p, v))
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
                progress_callback: ProgressCallback | None = None,
                userdict: list[str] | None = None) -> BuildSummary:
    """Build (or update) the index of `corpus` in `index_dir` and make it live atomically.
    `userdict`: the jieba user dictionary to use instead of the live index's (or, for a first
    index or `rebuild`, instead of one built from the corpus)."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    scan = _scan(corpus, index_dir, rebuild)
    corpus = with_uploads(scan.corpus, index_dir)  # the index's uploads are always part of its corpus
    scan.corpus = corpus
    summary = BuildSummary(index_dir=index_dir, errors=list(corpus.errors), skipped=list(corpus.skipped),
                           dense=dense, embedder=settings.embedder)
    with layout.BuildLock(index_dir):
        live = _previous_manifest(index_dir, summary.errors)
        previous = None if rebuild else live
        generation = layout.new_generation(index_dir)
        cache_dirs = _cache_dirs(index_dir, generation, rebuild)
        pieces = reuse.chunk_all(generation, corpus, settings, cache_dirs, summary.errors,
                                 (previous or {}).get("reports"))
        if not pieces:
            raise ValueError(f"nothing to index: no readable reports in {corpus.root}")
        words, dict_info = _userdict(index_dir, live, scan, rebuild, userdict)
        keyword = KeywordBuild(generation, words, cache_dirs, previous and layout.current_generation(index_dir), previous)
        for report_id in tqdm_or_plain(pieces, progress):
            keyword.add(report_id, pieces)
        keyword.index()
        vector_keys, dim = {}, None
        if dense:
            vector_keys, dim, summary.embedded = _write_vectors(
                generation, pieces.texts, list(pieces), settings.embedder, cache_dirs, progress, progress_callback,
                settings.embed_threads, _known_vectors(previous, pieces, settings.embedder))
        write_userdict(generation / layout.USERDICT, words)
        _write_records(generation, corpus, pieces)
        _write_extras(generation, corpus, pieces, cache_dirs, summary.errors)
        manifest = make_manifest(settings, corpus, pieces.counts, keyword.keys, vector_keys, dim,
                                 dict_info["sha"], time.perf_counter() - started)
        manifest["userdict"], manifest["bm25_vocabulary"] = dict_info, keyword.vocabulary
        manifest["units_version"] = UNITS_VERSION
        scan.record(manifest)
        for report_id, entry in manifest["reports"].items():
            entry["passages_key"], entry["units"] = pieces.keys[report_id], keyword.units[report_id]
        layout.write_json(generation / layout.MANIFEST, manifest)
        layout.publish(index_dir, generation)
    summary.userdict = dict_info
    _compare(summary, previous, corpus, list(pieces))
    summary.generation = generation.name
    summary.reports, summary.passages = len(pieces), sum(pieces.counts.values())
    summary.seconds = time.perf_counter() - started
    return summary


def _scan(corpus: Corpus | Path | str, index_dir: Path, rebuild: bool) -> Scan:
    """The corpus to index: a folder is read again only for reports the live index has not
    recorded unchanged (search/scan.py)."""
    if isinstance(corpus, Corpus):
        return Scan(corpus, {}, {})
    live = None if rebuild else layout.current_generation_or_none(index_dir)
    try:
        manifest = read_manifest(live) if live else None
    except layout.IndexStoreError:
        manifest = None
    return scan_corpus(Path(corpus), live, manifest)


def _userdict(index_dir: Path, live: dict | None, scan: Scan, rebuild: bool,
              given: list[str] | None) -> tuple[list[str], dict]:
    """The live index's user dictionary, kept stable (userdict.stable_userdict), or `given`."""
    generation = layout.current_generation_or_none(index_dir) if live else None
    info = (live.get("userdict") or {"sha": live.get("userdict_sha")}) if live else None
    return stable_userdict(scan.quoted_total(), generation / layout.USERDICT if generation else None,
                           info, rebuild, given)


def _known_vectors(previous: dict | None, pieces: reuse.Pieces, embedder: str) -> dict[str, str]:
    """Vector keys of the live manifest for reports whose passages are unchanged."""
    if not previous or not previous.get("dense") or previous.get("embedder") != embedder:
        return {}
    old = previous["reports"]
    return {rid: old[rid]["vectors"] for rid in pieces if rid in old and old[rid].get("vectors")
            and old[rid].get("passages_key") == pieces.keys[rid]}


def tqdm_or_plain(items, progress: bool):
    if not progress:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="keyword index", unit="report")


def _write_extras(generation: Path, corpus: Corpus, pieces: reuse.Pieces, cache_dirs: list[Path],
                  errors: list[str]) -> None:
    """Every number of every report with its period (assistant/facts), extracted once per report
    text, and the English -> Chinese lexicon of the corpus's parallel sentences, mined once per
    parallel/ folder. Both are extras: a failure must not lose the index (a full disk must)."""
    for name, write in (("facts not extracted", lambda: reuse.write_facts(
                            generation, corpus, pieces, cache_dirs, errors)),
                        ("English-Chinese lexicon not built", lambda: reuse.write_lexicon(
                            generation, corpus.root, cache_dirs))):
        try:
            write()
        except Exception as exc:
            if layout.is_disk_full(exc):
                raise
            errors.append(f"{name}: {type(exc).__name__}: {exc}")


def _write_records(generation: Path, corpus: Corpus, pieces: reuse.Pieces) -> None:
    reuse.concatenate(generation, [f"{layout.PASSAGES_DIR}/{pieces.keys[rid]}.jsonl" for rid in pieces],
                      layout.PASSAGES)
    with (generation / layout.REPORTS).open("w", encoding="utf-8") as handle:
        for report_id in pieces:
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
        for sub in (layout.BM25_DIR, layout.TOKENS_DIR, *layout.PER_REPORT_DIRS):
            (generation / sub).mkdir(exist_ok=True)
            for path in (current / sub).iterdir() if (current / sub).is_dir() else ():
                layout.link_or_copy(path, generation / sub / path.name)
        cache_dirs = _cache_dirs(index_dir, generation, rebuild=False)
        vector_keys, dim, summary.embedded = _write_vectors(
            generation, texts.__getitem__, list(texts), settings.embedder, cache_dirs, progress, progress_callback,
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
