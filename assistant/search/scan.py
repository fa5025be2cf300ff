"""Reading the corpus for an update without reading the unchanged reports again.

A report file whose size, modification time (ns) and reports.csv row are those the live
index recorded (manifest `reports[id]["source"]`), read by the same corpus-reading code
(`reader_version`: the bytes of the modules that turn a file into a Report), keeps the
Report of the live generation's reports.jsonl, and its text is read only if a build asks for
it (`LazyTexts`: chunking, facts). As git does, a file modified less than RACY_SECONDS before
the scan that recorded it is read again (a same-size edit within the file system's clock
tick would otherwise go unseen). Each report's quoted terms (the user dictionary's
candidates) are kept in the manifest too (`quoted`), so the dictionary's pending count needs
no text. Anything unexpected falls back to reading everything (`load_corpus`)."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from pathlib import Path

from ..corpus import (
    Corpus,
    ReportReadError,
    build_report,
    flag_duplicates,
    read_report_text,
    read_reports_csv,
)
from ..corpus_files import find_files
from ..types import Report
from . import layout
from .manifest import read_reports
from .userdict import quoted_counts

READER_MODULES = ("corpus.py", "corpus_files.py", "textutil.py", "regions.py", "delivery.py", "numbers.py")
RACY_SECONDS = 2.0


def reader_version() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in READER_MODULES:
        path = package / name
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


class LazyTexts(dict):
    """report id -> source text, read from the corpus folder at the first access."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = root

    def __delitem__(self, report_id: str) -> None:  # a duplicate never read
        self.pop(report_id, None)

    def __missing__(self, report_id: str) -> str:
        text = read_report_text(self.root / report_id)
        self[report_id] = text
        return text


def _row_key(row: dict | None) -> str:
    return hashlib.sha256(json.dumps(row or {}, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def source_record(path: Path, row: dict | None) -> dict:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "row": _row_key(row)}


class Scan:
    """The corpus, each report's source record and quoted terms (for the manifest)."""

    def __init__(self, corpus: Corpus, sources: dict[str, dict], quoted: dict[str, dict[str, int]]):
        self.corpus, self.sources, self.quoted = corpus, sources, quoted
        self.reader = reader_version()
        self.started = time.time()

    def quoted_total(self) -> Counter:
        total: Counter = Counter()
        for report_id in self.corpus.reports:
            counts = self.quoted.get(report_id)
            total.update(counts if counts is not None else quoted_counts(self.corpus.texts[report_id]))
        return total

    def record(self, manifest: dict) -> None:
        """Source records and quoted terms into the manifest being written."""
        manifest["scan"] = {"reader": self.reader, "started": self.started}
        for report_id, entry in manifest["reports"].items():
            if report_id in self.sources:
                entry["source"] = self.sources[report_id]
            entry["quoted"] = self.quoted.get(report_id) or dict(quoted_counts(self.corpus.texts[report_id]))


def scan_corpus(root: Path, live: Path | None, manifest: dict | None) -> Scan:
    """The corpus under `root`, unchanged reports taken from the live generation."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {root} (set GOVQA_CORPUS or --corpus)")
    scan = Scan(Corpus(root=root, texts=LazyTexts(root)), {}, {})
    old = _trusted(live, manifest, scan.reader)
    corpus = scan.corpus
    rows: dict[str, dict] = {}
    if (root / "reports.csv").is_file():
        rows, corpus.errors = read_reports_csv(root / "reports.csv")
    found = find_files(root)
    corpus.errors += found.errors
    corpus.skipped = found.skipped
    present = {p.relative_to(root).as_posix() for p in found.reports}
    present |= {line.split(": ", 1)[0] for line in found.errors}
    for missing in sorted(set(rows) - present):
        corpus.errors.append(f"reports.csv names {missing}, but the file is missing; skipped")
    for path in found.reports:
        report_id = path.relative_to(root).as_posix()
        try:
            source = source_record(path, rows.get(report_id))
            known = old.get(report_id)
            if known and known[0] == source:
                corpus.reports[report_id], scan.quoted[report_id] = known[1], known[2]
            else:
                text = read_report_text(path)
                corpus.reports[report_id] = build_report(report_id, text, rows.get(report_id))
                corpus.texts[report_id] = text
            scan.sources[report_id] = source
        except (ReportReadError, OSError) as exc:
            corpus.errors.append(f"{report_id}: {exc}")
    flag_duplicates(corpus)
    return scan


def _trusted(live: Path | None, manifest: dict | None, reader: str) -> dict[str, tuple[dict, Report, dict]]:
    """report id -> (source record, Report, quoted terms) the live index vouches for."""
    if live is None or not manifest or (manifest.get("scan") or {}).get("reader") != reader:
        return {}
    try:
        reports = read_reports(live, manifest)
    except layout.IndexStoreError:
        return {}
    limit = (manifest["scan"]["started"] - RACY_SECONDS) * 1e9
    trusted = {}
    for report_id, entry in manifest["reports"].items():
        source = entry.get("source")
        if source and "quoted" in entry and source["mtime_ns"] < limit and report_id in reports:
            trusted[report_id] = (source, reports[report_id], entry["quoted"])
    return trusted
