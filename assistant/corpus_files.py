"""Which files of a corpus folder are reports, and why each other one is not.

- Report files: `.txt .md .pdf .docx .html .htm`, also when their name starts with `.`.
- Skipped, each with one line in `Corpus.skipped`: system leftovers (`._*` AppleDouble files,
  `.DS_Store`, `Thumbs.db`, `desktop.ini`), README / LICENSE files, files of other types, and
  hidden folders (`.git/` …, one line per folder). The corpus's own data files (`reports.csv`,
  `parallel/*.tsv`) are not reports and not mentioned.
- Refused, each with one line in `Corpus.errors`: links to files or folders outside the corpus
  folder (a link to /etc/passwd must never be indexed and quoted), and links to nothing.
  Links that stay inside the corpus load like the files they point to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPORT_SUFFIXES = {".txt", ".md", ".pdf", ".docx", ".html", ".htm"}
SKIP_NAMES = {"readme.md", "license", "license.txt"}
SYSTEM_FILES = {".ds_store": "macOS folder settings (.DS_Store)", "thumbs.db": "Windows thumbnails",
                "desktop.ini": "Windows folder settings"}
CORPUS_DATA = {"reports.csv"}


@dataclass
class FoundFiles:
    reports: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _skip_reason(relative: str, name: str) -> str | None:
    """Why a regular file is not a report (None: it is one, or a data file of the corpus)."""
    lower = name.lower()
    if relative in CORPUS_DATA or (relative.startswith("parallel/") and lower.endswith(".tsv")):
        return None
    if name.startswith("._"):
        return "macOS resource fork (AppleDouble ._ file), not a report"
    if lower in SYSTEM_FILES:
        return f"{SYSTEM_FILES[lower]}, not a report"
    if lower in SKIP_NAMES or Path(lower).stem == "license":
        return "README / LICENSE file, not a report"
    suffix = Path(name).suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        return (f"unsupported file type {suffix or '(none)'} "
                f"(reports are {' '.join(sorted(REPORT_SUFFIXES))})")
    return ""


def find_files(root: Path) -> FoundFiles:
    """The report files under root (sorted), with a line for every file that is not one."""
    found = FoundFiles()
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            path = here / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                dirs.remove(name)
                target = path.resolve()
                if not target.is_relative_to(real_root):
                    found.errors.append(f"{relative}: a link to a folder outside the corpus folder; refused")
                else:
                    found.skipped.append(f"{relative}: a link to a folder inside the corpus, "
                                         "read where it points")
            elif name.startswith(".") or name == "__MACOSX":
                dirs.remove(name)
                found.skipped.append(f"{relative}/: hidden or system folder, not read")
        for name in files:
            path = here / name
            relative = path.relative_to(root).as_posix()
            reason = _skip_reason(relative, name)
            if reason:
                found.skipped.append(f"{relative}: {reason}")
                continue
            if reason is None:
                continue
            if path.is_symlink():
                if not path.exists():
                    found.errors.append(f"{relative}: a link to a missing file; skipped")
                    continue
                if not path.resolve().is_relative_to(real_root):
                    found.errors.append(f"{relative}: a link to a file outside the corpus folder; refused")
                    continue
            if path.is_file():
                found.reports.append(path)
            else:
                found.skipped.append(f"{relative}: not a regular file")
    found.reports.sort()
    return found
