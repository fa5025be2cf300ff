"""The per-report pieces of an index, reused from older generations (the incremental build).

Each piece is saved under a key made of everything that produced it, so an unchanged report
finds its pieces in the live generation (hard links) and only a changed or added report is
chunked, tokenised and searched for facts again:

    passages/<key>.jsonl   the report's record (text sha256 and metadata), chunker version and
                           chunk settings
    tokens/<key>.json      tokenizer version, user dictionary and the passage texts (beside it
                           the jieba cuts of the report's runs, tokens/<key>.cuts.tsv, and
                           its BM25 counts, tokens/<key>.counts-<vocabulary>.npy:
                           search/keyword_build.py)
    tokens/<key>.units.tsv the evidence scorer's sentences and tokens of each passage
                           (search/units.py): UNITS_VERSION, the tokens and passages keys
    facts/<key>.jsonl      extractor version, the report's record and its passages key
    lexicon/<key>.json     the contents of parallel/*.tsv and jieba's version

passages.jsonl and facts.jsonl are the per-report files concatenated in report order, byte for
byte what a full build writes (copied by the kernel), and BM25 joins the stored counts; an
unchanged report's passages are not even read back (`Pieces`). An incremental build gives the
index a full build with the same user dictionary gives, but for the order of the vocabulary
(keyword_build.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from ..chunking import CHUNKER_VERSION, chunk_report, index_text
from ..corpus import Corpus
from ..facts import EXTRACTOR_VERSION, extract_facts
from ..lexicon import lexicon_for_corpus, save_lexicon
from ..settings import Settings
from ..types import Passage
from . import layout
from .layout import FACTS_DIR, LEXICON_DIR, PASSAGES_DIR
from .manifest import CHUNK_PARAMS


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
    """Link `relative` of an older generation into `generation`; False when none has it.
    (Plain strings and os calls: an update links a few files for every report.)"""
    target = f"{generation}/{relative}"
    parent = os.path.dirname(target)
    if parent not in _MADE:
        os.makedirs(parent, exist_ok=True)
        _MADE.add(parent)
    for folder in cache_dirs:
        source = f"{folder}/{relative}"
        try:
            os.link(source, target)
            return True
        except FileNotFoundError:
            if os.path.isfile(source):  # the target's folder went away: make it again
                _MADE.discard(parent)
                return reuse(cache_dirs, generation, relative)
        except FileExistsError:
            return True
        except OSError:  # no hard links here: a copy
            if os.path.isfile(source):
                shutil.copy2(source, target)
                return True
    return False


_MADE: set[str] = set()  # folders known to exist (reuse)


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def passages_key(corpus: Corpus, report_id: str, settings: Settings) -> str:
    report = json.dumps(corpus.reports[report_id].to_dict(), ensure_ascii=False, sort_keys=True)
    return key("passages", str(CHUNKER_VERSION), report, *(str(getattr(settings, n)) for n in CHUNK_PARAMS))


class Pieces:
    """The passages of every report, each with its key: chunked for a changed report, left on
    disk for one the live generation has under the same key (read only when asked for)."""

    def __init__(self, generation: Path):
        self.generation = generation
        self.keys: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self._passages: dict[str, list[Passage]] = {}

    def __iter__(self):
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def passages(self, report_id: str) -> list[Passage]:
        if report_id not in self._passages:
            relative = f"{PASSAGES_DIR}/{self.keys[report_id]}.jsonl"
            self._passages[report_id] = [Passage.from_dict(d) for d in _read_jsonl(self.generation / relative)]
        return self._passages[report_id]

    def texts(self, report_id: str) -> list[str]:
        return [index_text(p) for p in self.passages(report_id)]


def chunk_all(generation: Path, corpus: Corpus, settings: Settings, cache_dirs: list[Path],
              errors: list[str], old_reports: dict | None = None) -> Pieces:
    """The passages of every report, in report order; `old_reports` (the live manifest's
    reports) gives the passage counts of unchanged reports, whose passages are then not read."""
    pieces = Pieces(generation)
    old_reports = old_reports or {}
    for report_id in sorted(corpus.reports):
        passage_key = passages_key(corpus, report_id, settings)
        relative = f"{PASSAGES_DIR}/{passage_key}.jsonl"
        if reuse(cache_dirs, generation, relative):
            pieces.keys[report_id] = passage_key
            old = old_reports.get(report_id, {})
            if old.get("passages_key") == passage_key and "passages" in old:
                pieces.counts[report_id] = old["passages"]
            else:
                pieces.counts[report_id] = len(pieces.passages(report_id))
            continue
        try:
            report_passages = chunk_report(corpus.reports[report_id], corpus.texts[report_id], settings)
        except Exception as exc:  # one broken report must not stop the others
            errors.append(f"{report_id}: cannot split into passages ({type(exc).__name__}: {exc}); skipped")
            continue
        save_atomic(generation / relative, lambda p, ps=report_passages: p.write_text(
            _jsonl([x.to_dict() for x in ps]), encoding="utf-8"))
        pieces.keys[report_id], pieces.counts[report_id] = passage_key, len(report_passages)
        pieces._passages[report_id] = report_passages
    return pieces


def concatenate(generation: Path, relatives: list[str], target: str) -> None:
    """`target` made of the files `relatives` of `generation`, in that order (copied by the
    kernel, never read into Python)."""
    def write(path: Path) -> None:
        with path.open("wb") as out:
            for relative in relatives:
                with (generation / relative).open("rb") as part:
                    if _HAVE_COPY_RANGE:
                        _copy_range(part, out)
                    else:
                        shutil.copyfileobj(part, out)

    save_atomic(generation / target, write)


_HAVE_COPY_RANGE = hasattr(os, "copy_file_range")


def _copy_range(source, target) -> None:
    """All of `source` onto the end of `target` in the kernel (a file system that cannot:
    through Python)."""
    size = os.fstat(source.fileno()).st_size
    try:
        copied = os.copy_file_range(source.fileno(), target.fileno(), size)
    except OSError:  # e.g. EXDEV, EINVAL on some file systems; nothing was copied
        shutil.copyfileobj(source, target)
        return
    size -= copied
    while size > 0 and copied:
        copied = os.copy_file_range(source.fileno(), target.fileno(), size)
        size -= copied


def write_facts(generation: Path, corpus: Corpus, pieces: Pieces, cache_dirs: list[Path],
                errors: list[str]) -> None:
    """facts/<key>.jsonl per report (extracted only for reports without one), then facts.jsonl."""
    relatives = []
    for report_id in pieces:
        relative = f"{FACTS_DIR}/{key('facts', str(EXTRACTOR_VERSION), pieces.keys[report_id])}.jsonl"
        if not reuse(cache_dirs, generation, relative):
            try:
                facts = extract_facts(corpus.reports[report_id], corpus.texts[report_id], pieces.passages(report_id))
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
