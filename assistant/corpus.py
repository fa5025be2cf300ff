"""Loading a corpus: report files (.txt .md .pdf .docx .html) plus an optional reports.csv.

A report's id is its path relative to the corpus folder. Its *source text* is what
`read_report_text` returns; every passage offset indexes into that text.
A file that cannot be read yields one clear error line; the other reports still load.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .corpus_files import REPORT_SUFFIXES, SKIP_NAMES, find_files
from .regions import BY_ID, find_province_in_title
from .textutil import cn_to_int, detect_language, nfkc
from .types import Report

__all__ = ["REPORT_SUFFIXES", "SKIP_NAMES", "Corpus", "ReportReadError", "load_corpus", "read_report_text"]
MAX_FILE_BYTES = 60 * 1024 * 1024  # larger files are refused with a message


class ReportReadError(Exception):
    """A report file that cannot be turned into text; the message says why."""


@dataclass
class Corpus:
    root: Path
    reports: dict[str, Report] = field(default_factory=dict)  # id -> Report
    texts: dict[str, str] = field(default_factory=dict)  # id -> source text
    errors: list[str] = field(default_factory=list)  # one line per unreadable file / bad row
    skipped: list[str] = field(default_factory=list)  # one line per file that is not a report


# ---------------------------------------------------------------- reading files


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReportReadError(f"not UTF-8 or GB18030 text ({exc.reason} at byte {exc.start})") from None


_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")  # control characters but tab, LF, FF, CR


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    bad = len(_BAD_CHARS_RE.findall(sample))
    return "\x00" in sample or bad / len(sample) > 0.02


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for broken files
        raise ReportReadError(f"broken PDF ({type(exc).__name__}: {exc})") from None
    return "\n".join(pages)


def _read_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise ReportReadError(f"broken DOCX ({type(exc).__name__}: {exc})") from None
    return "\n".join(p.text for p in document.paragraphs)


def _read_html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_bytes(data), "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def read_report_text(path: Path) -> str:
    """The source text of one report file. Raises ReportReadError with the reason."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReportReadError(f"cannot open ({exc.strerror})") from None
    if size == 0:
        raise ReportReadError("empty file")
    if size > MAX_FILE_BYTES:
        raise ReportReadError(f"too large ({size / 2**20:.1f} MB > {MAX_FILE_BYTES / 2**20:.0f} MB)")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        text = _read_pdf(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        data = path.read_bytes()
        text = _read_html(data) if suffix in {".html", ".htm"} else decode_bytes(data)
        if _looks_binary(text):
            raise ReportReadError("binary content, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReportReadError("no text found")
    return text


# ---------------------------------------------------------------- metadata

_CN_NUM = "[0-9〇零○一二三四五六七八九十]"
_DATE_RE = re.compile(
    rf"({_CN_NUM}{{4}})\s*年\s*({_CN_NUM}{{1,3}})\s*月\s*({_CN_NUM}{{1,3}})\s*日"
    rf"(?:\s*[至和]\s*(?:{_CN_NUM}{{1,3}}月)?{_CN_NUM}{{1,3}}日)?"
    r"([^\n]{0,30}?)在\s*([^。]{4,60}?会议)\s*上"
)
_SPEAKER_RE = re.compile(
    r"((?:国务院|[\u4e00-\u9fff]{0,16}?)(?:总理|省长|市长|县长|区长|主席|州长|主任))"
    r"[ \u3000]*([\u4e00-\u9fff·](?:[ \u3000]?[\u4e00-\u9fff·]){1,7}?)"
    r"(?=\n|作|在|各位|目录|[ \u3000]*$)"
)
_EN_DATE_RE = re.compile(
    r"(?:Delivered at|at) the (.{5,120}?Congress)(?: of the People's Republic of China)? on "
    r"([A-Z][a-z]+ \d{1,2}, \d{4})"
)
_EN_SPEAKER_RE = re.compile(r"^([A-Z][a-z]+ [A-Z][a-z]+),? Premier of the State Council", re.M)
_MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}


def extract_delivery(text: str) -> dict:
    """Date, meeting and speaker from the opening lines of a report (Chinese or English)."""
    head = text[:600]
    found: dict = {"date": None, "meeting": None, "speaker": None}
    joined = nfkc(head)
    match = _DATE_RE.search(joined)
    if match:
        year, month, day = (cn_to_int(g) for g in match.groups()[:3])
        if year and month and day:
            found["date"] = f"{year:04d}-{month:02d}-{day:02d}"
        found["meeting"] = re.sub(r"\s+", "", match.group(5))
        lines_after = joined[match.end():match.end() + 80].lstrip("\n")
        speaker = (_SPEAKER_RE.search(match.group(4) + "在") or _SPEAKER_RE.search(lines_after)
                   or _SPEAKER_RE.search(joined[: match.start()]))
        if speaker:
            name = re.sub(r"[ \u3000]|同志$", "", speaker.group(2))
            found["speaker"] = f"{speaker.group(1).strip()} {name}"
    match = _EN_DATE_RE.search(head)
    if match and not found["date"]:
        month_name, day, year = match.group(2).replace(",", "").split()
        found["date"] = f"{int(year):04d}-{_MONTHS.get(month_name, 1):02d}-{int(day):02d}"
        found["meeting"] = match.group(1)
        speaker = _EN_SPEAKER_RE.search(head)
        if speaker:
            found["speaker"] = f"Premier {speaker.group(1)}"
    return found


def infer_metadata(report_id: str, text: str) -> dict:
    """Title, level, region and year read from the text when reports.csv has no row."""
    lines = list(itertools.islice((line.strip() for line in text.splitlines() if line.strip()), 6))
    first = lines[0] if lines else ""
    title = re.split(r"——|\(|（", first)[0].strip() or Path(report_id).stem
    delivery = extract_delivery(text)
    year = None
    match = re.search(r"(\d{4})年", nfkc(title))
    if match:
        year = int(match.group(1))
    elif delivery["date"]:
        year = int(delivery["date"][:4])
    head = nfkc(" ".join(lines))
    meeting = delivery["meeting"] or ""
    language = detect_language(text)
    county = re.search(r"([\u4e00-\u9fff]{1,6}[县区旗])第", meeting) or re.search(
        r"([\u4e00-\u9fff]{2,6}县)", re.sub(r"^.*?\d{4}年", "", title))
    if "全国人民代表大会" in meeting or "国务院" in head[:200] or "National People's Congress" in head:
        level, region, region_name = "national", "china", "中华人民共和国"
    elif county:
        level, region, region_name = "county", "", county.group(1)
    elif province := find_province_in_title(title + " " + meeting):
        level, region, region_name = "provincial", province.id, province.name
    else:
        level, region, region_name = "unknown", "", ""
    if year and title in {"政府工作报告", "REPORT ON THE WORK OF THE GOVERNMENT"}:
        title = f"{year}年{region_name if level != 'national' else '国务院'}{title}"
    return {"title": title, "level": level, "region": region, "region_name": region_name,
            "year": year, "language": language, **delivery}


def read_reports_csv(path: Path) -> tuple[dict[str, dict], list[str]]:
    """Rows of reports.csv keyed by `file`, and one error line per bad row."""
    rows: dict[str, dict] = {}
    errors: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            file = (row.get("file") or "").strip()
            if not file:
                errors.append(f"{path.name}:{line_no}: row without a file name, skipped")
                continue
            year = (row.get("year") or "").strip()
            if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
                errors.append(f"{path.name}:{line_no}: {file}: bad year {year!r}, read from the text instead")
                row["year"] = ""
            rows[file] = row
    return rows, errors


def build_report(report_id: str, text: str, row: dict | None) -> Report:
    meta = infer_metadata(report_id, text)
    if row:
        for key in ("title", "level", "region", "region_name", "language", "issuer"):
            if (row.get(key) or "").strip():
                meta[key] = row[key].strip()
        if (row.get("year") or "").strip():
            meta["year"] = int(row["year"])
    if meta["level"] == "provincial" and not meta.get("region_name") and meta["region"] in BY_ID:
        meta["region_name"] = BY_ID[meta["region"]].name
    return Report(
        id=report_id, title=meta["title"], level=meta["level"], region=meta["region"],
        region_name=meta["region_name"], year=meta["year"], language=meta["language"],
        issuer=meta.get("issuer", "") or "", date=meta["date"], meeting=meta["meeting"],
        speaker=meta["speaker"], chars=len(text),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def find_report_files(root: Path) -> list[Path]:
    return find_files(root).reports


def load_corpus(root: Path | str, progress: bool = False) -> Corpus:
    """Every readable report under `root`. Unreadable files and bad CSV rows go to `errors`."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {root} (set GOVQA_CORPUS or --corpus)")
    corpus = Corpus(root=root)
    rows: dict[str, dict] = {}
    if (root / "reports.csv").is_file():
        rows, corpus.errors = read_reports_csv(root / "reports.csv")
    found = find_files(root)  # assistant/corpus_files.py: dot files, leftovers, links
    files = found.reports
    corpus.errors += found.errors
    corpus.skipped = found.skipped
    present = {p.relative_to(root).as_posix() for p in files}
    present |= {line.split(": ", 1)[0] for line in found.errors}  # already named once
    for missing in sorted(set(rows) - present):
        corpus.errors.append(f"reports.csv names {missing}, but the file is missing; skipped")
    iterator = files
    if progress:
        from tqdm import tqdm

        iterator = tqdm(files, desc="reading reports", unit="file")
    for path in iterator:
        report_id = path.relative_to(root).as_posix()
        try:
            text = read_report_text(path)
        except ReportReadError as exc:
            corpus.errors.append(f"{report_id}: {exc}")
            continue
        corpus.reports[report_id] = build_report(report_id, text, rows.get(report_id))
        corpus.texts[report_id] = text
    flag_duplicates(corpus)
    return corpus


def flag_duplicates(corpus: Corpus) -> None:
    """The same text under two names is kept once (the first id in sort order)."""
    seen: dict[str, str] = {}
    for report_id in sorted(corpus.reports):
        digest = corpus.reports[report_id].sha256
        if digest in seen:
            corpus.errors.append(f"{report_id}: same text as {seen[digest]}; skipped as a duplicate")
            del corpus.reports[report_id]
            del corpus.texts[report_id]
        else:
            seen[digest] = report_id
