"""The index folder on disk, its errors, the build lock and the generation pointer.

    index_dir/
      CURRENT              name of the live generation (replaced atomically with os.replace)
      .lock                held (flock) by a running build
      gen-<time>-<pid>/    one complete index: manifest.json (written last), passages.jsonl,
                           reports.jsonl, userdict.txt, facts.jsonl, lexicon.json, bm25/
                           (term counts, search/bm25_index.py), tokens/<key>.json (and the
                           jieba cuts of its runs, tokens/<key>.cuts.tsv, and its BM25
                           counts, tokens/<key>.counts-<vocabulary>.i32), vectors/<key>.npy,
                           and the per-report pieces passages.jsonl and facts.jsonl are made
                           of, passages/<key>.jsonl and facts/<key>.jsonl (search/reuse.py)

A build writes a new generation beside the live one and then swaps CURRENT, so a reader
never sees a half-written index and a killed build leaves the previous one in place."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
from pathlib import Path

FORMAT_VERSION = 1
POINTER = "CURRENT"
LOCK = ".lock"
GEN_PREFIX = "gen-"
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
REPORTS = "reports.jsonl"
USERDICT = "userdict.txt"
LEXICON = "lexicon.json"  # English -> Chinese terms mined from parallel/ (assistant/lexicon.py)
FACTS = "facts.jsonl"  # every number of the indexed reports with its period (assistant/facts)
BM25_DIR = "bm25"
TOKENS_DIR = "tokens"
VECTORS_DIR = "vectors"
PASSAGES_DIR, FACTS_DIR, LEXICON_DIR = "passages", "facts", "lexicon"  # per-report pieces (reuse.py)
PER_REPORT_DIRS = (PASSAGES_DIR, FACTS_DIR, LEXICON_DIR)


def units_file(units_key: str) -> str:
    """A report's evidence units (search/units.py), among the token files."""
    return f"{TOKENS_DIR}/{units_key}.units.tsv"


def cuts_file(token_key: str) -> str:
    """The jieba cuts of a report's Chinese runs, beside its token lists (same key)."""
    return f"{TOKENS_DIR}/{token_key}.cuts.tsv"


class IndexStoreError(Exception):
    """Base class: an index that cannot be used; the message says what to run."""


class IndexMissingError(IndexStoreError):
    pass


class IndexCorruptError(IndexStoreError):
    pass


class IndexMismatchError(IndexStoreError):
    pass


class IndexLockedError(IndexStoreError):
    pass


class DiskFullError(IndexStoreError, OSError):
    """A build that ran out of disk space (also an OSError with errno ENOSPC)."""

    def __init__(self, message: str):
        OSError.__init__(self, errno.ENOSPC, message)

    def __str__(self) -> str:
        return self.strerror


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_error(index_dir: Path, exc: OSError) -> DiskFullError:
    where = f" ({exc.filename})" if exc.filename else ""
    return DiskFullError(f"disk full (磁盘已满) while writing the index in {index_dir}{where}: "
                         f"{exc.strerror or exc}. The partial index was removed; the previous index, "
                         f"if any, is still the live one. Free some space and run `govqa index` again.")


def missing_error(index_dir: Path) -> IndexMissingError:
    return IndexMissingError(f"no index in {index_dir}: build it with `govqa index`")


def corrupt_error(where: Path, problem: str) -> IndexCorruptError:
    return IndexCorruptError(f"index file {where} is damaged or missing ({problem}); "
                             f"rebuild it with `govqa index --rebuild`")


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when there is no index yet."""
    pointer = index_dir / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not name.startswith(GEN_PREFIX) or "/" in name:
        raise corrupt_error(pointer, f"unexpected content {name[:40]!r}")
    return index_dir / name


def new_generation(index_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    folder = index_dir / f"{GEN_PREFIX}{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    for sub in (BM25_DIR, TOKENS_DIR, VECTORS_DIR):
        (folder / sub).mkdir(parents=True)
    return folder


def publish(index_dir: Path, generation: Path) -> None:
    """Make `generation` the live one (atomic), then remove all but it and the previous one."""
    previous = current_generation_or_none(index_dir)
    temp = index_dir / f"{POINTER}.tmp-{os.getpid()}"
    with temp.open("w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, index_dir / POINTER)
    keep = {generation.name} | ({previous.name} if previous else set())
    remove_generations(index_dir, keep)


def current_generation_or_none(index_dir: Path) -> Path | None:
    try:
        return current_generation(index_dir)
    except IndexCorruptError:
        return None


def stale_generations(index_dir: Path, keep: set[str]) -> list[Path]:
    return sorted(p for p in index_dir.glob(f"{GEN_PREFIX}*") if p.is_dir() and p.name not in keep)


def remove_generations(index_dir: Path, keep: set[str]) -> None:
    """Only call while holding the build lock: the folders removed may be unfinished builds."""
    for folder in stale_generations(index_dir, keep):
        shutil.rmtree(folder, ignore_errors=True)
    for temp in index_dir.glob(f"{POINTER}.tmp-*"):
        temp.unlink(missing_ok=True)


class BuildLock:
    """An exclusive flock on index_dir/.lock; the kernel drops it if the process dies.

    If the block inside fails (disk full, an error, Ctrl-C), the generations it created and did
    not make live are removed before the lock is released, and a full disk is reported as
    DiskFullError (a killed process leaves them to the next build instead)."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self.path = index_dir / LOCK
        self._handle = None
        self._before: set[str] = set()

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise IndexLockedError(f"another index build is running on {self.path.parent}"
                                   f"{f' ({holder})' if holder else ''}; wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}")
        handle.flush()
        self._handle = handle
        self._before = {p.name for p in self.index_dir.glob(f"{GEN_PREFIX}*")}
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        try:
            if exc is not None:
                self._remove_unfinished()
        finally:
            self._release()
        if exc is not None and is_disk_full(exc) and not isinstance(exc, DiskFullError):
            raise disk_full_error(self.index_dir, exc) from None

    def _remove_unfinished(self) -> None:
        live = current_generation_or_none(self.index_dir)
        for folder in stale_generations(self.index_dir, self._before | ({live.name} if live else set())):
            shutil.rmtree(folder, ignore_errors=True)

    def _release(self) -> None:
        if self._handle is not None:
            self._handle.truncate(0)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def write_json(path: Path, data) -> None:
    """Compact: json's C encoder serves only `indent=None` (a 16× manifest, 2,080 reports:
    0.05 s instead of 0.6 s of a one-report update); `python -m json.tool` shows it indented."""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def link_or_copy(source: Path, target: Path) -> None:
    """Reuse a file of an older generation: a hard link (cheap), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
