"""Reports uploaded by staff: checked, renamed safely, and kept in `<index_dir>/uploads/` with
their metadata in that folder's reports.csv (the corpus format)."""

from __future__ import annotations

import csv
import re
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

from .corpus import (
    REPORT_SUFFIXES,
    SKIP_NAMES,
    Corpus,
    ReportReadError,
    flag_duplicates,
    load_corpus,
    read_report_text,
)
from .settings import Settings

UPLOADS = "uploads"
CSV_FIELDS = ["file", "title", "level", "region", "region_name", "year", "language", "issuer", "chars", "notes"]


class UploadBusyError(Exception):
    """An upload that waited for a running index build longer than its limit (and was taken back)."""

    def __init__(self, waited_seconds: float):
        self.waited_seconds = waited_seconds
        super().__init__(f"the index was still being built after {waited_seconds / 60:.0f} min; "
                         "the upload was not added")


def with_uploads(corpus: Corpus, index_dir: Path | str) -> Corpus:
    """`corpus` plus the reports staff uploaded into `<index_dir>/uploads/`, as `uploads/<name>`.
    Uploads are part of the corpus of their index, whoever builds it (`govqa index`, an upload,
    the first start); a corpus that already holds them is returned as it is."""
    folder = Path(index_dir) / UPLOADS
    if any(rid.startswith(UPLOADS + "/") for rid in corpus.reports) or not folder.is_dir() \
            or not any(folder.iterdir()):
        return corpus
    extra = load_corpus(folder)
    for rid, report in extra.reports.items():
        new_id = f"{UPLOADS}/{rid}"
        corpus.reports[new_id] = replace(report, id=new_id)
        corpus.texts[new_id] = extra.texts[rid]
    corpus.errors += [f"{UPLOADS}/{line}" for line in extra.errors]
    flag_duplicates(corpus)  # an upload identical to a corpus report is not indexed twice
    return corpus


def safe_filename(name: str) -> str:
    """A plain file name: no folders, no '..', no control or shell characters."""
    name = unicodedata.normalize("NFKC", Path(name.replace("\\", "/")).name)
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", stem).strip("._") or "report"
    name = f"{stem[:80]}{suffix}"
    return f"upload_{name}" if name.lower() in SKIP_NAMES or stem.lower() in SKIP_NAMES else name


_PLACE_IN_TITLE = re.compile(r"^(?:(?:19|20)\d{2}年)?([\u4e00-\u9fff]{1,8}?(?:自治县|县|市|区|旗|州|盟))(?:人民)?政府")


def place_in_title(title: str) -> str:
    """测试市 from 2025年测试市政府工作报告: the city or county an uploaded report is of."""
    m = _PLACE_IN_TITLE.search(title.strip())
    return m.group(1) if m else ""


def add_upload(settings: Settings, path: Path, *, title=None, region=None, year=None, level=None) -> str:
    """Validate and store one uploaded file; returns its report id ("uploads/<name>")."""
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise ValueError(f"{path.name}: unsupported file type {suffix or '(none)'}; "
                         f"accepted: {', '.join(sorted(REPORT_SUFFIXES))}")
    size_mb = path.stat().st_size / 1e6
    if size_mb > settings.upload_max_mb:
        raise ValueError(f"{path.name}: too large ({size_mb:.1f} MB > {settings.upload_max_mb} MB)")
    try:
        read_report_text(path)
    except ReportReadError as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    if year not in (None, "") and not (str(year).isdigit() and 1900 <= int(year) <= 2100):
        raise ValueError(f"bad year {year!r}")
    folder = settings.index_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    name = safe_filename(path.name)
    target = (folder / name).resolve()
    if target.parent != folder.resolve():  # belt and braces: never write outside the folder
        raise ValueError(f"{path.name}: bad file name")
    shutil.copyfile(path, target)
    _write_row(folder / "reports.csv", {"file": name, "title": title or "", "level": level or "",
                                        "region": region or "", "region_name": place_in_title(title or ""),
                                        "year": str(year or "")})
    return f"uploads/{name}"


def _write_row(csv_path: Path, row: dict) -> None:
    rows: dict[str, dict] = {}
    if csv_path.exists():
        with csv_path.open(encoding="utf-8", newline="") as handle:
            rows = {r["file"]: r for r in csv.DictReader(handle)}
    rows[row["file"]] = {**{f: "" for f in CSV_FIELDS}, **row}
    tmp = csv_path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows(rows.values())
    tmp.replace(csv_path)


def remove_upload(settings: Settings, report_id: str) -> None:
    """Take back an upload that could not be indexed (its file and its reports.csv row)."""
    folder = settings.index_dir / "uploads"
    name = report_id.removeprefix("uploads/")
    (folder / name).unlink(missing_ok=True)
    csv_path = folder / "reports.csv"
    if csv_path.exists():
        with csv_path.open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r["file"] != name]
        tmp = csv_path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(csv_path)
