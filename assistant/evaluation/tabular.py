"""Question sets from spreadsheets (CSV, XLSX) as well as JSONL, validated row by row.

CSV / XLSX: a header row, then one question per row. Columns (case-insensitive; Chinese
names in parentheses work too); question, answers, evidence and report must be in the header:

    question (问题)        the question
    answers (答案)         entries separated by ";" (or "；"), alternatives inside an entry by "|"
    all_answers (全部答案)  true/false, 1/0, yes/no, 是/否; empty = false
    evidence (证据)        exact text of the report; empty = unanswerable (then answers must be
                           empty too). A JSON list
                           [{"report": …, "text": …}, …] gives several spans.
    report (报告)          corpus-relative report id, e.g. reports/national_china_2024.txt
    type (类型)            question type; empty = untyped
    history (历史)         JSON [[question, answer], …]; empty = none
    id (编号)              optional; default: "q-" + a hash of question and history (stable
                           when rows are moved, so runs of an edited set still line up)
    corpus (语料)          optional; report ids separated by ";"
    note (备注)            ignored

Every row is checked and every problem is reported with its line (CSV) or row (XLSX), the way
`govqa eval check` reports JSONL lines. CSV may be UTF-8 (with or without BOM) or GB18030 (what
Excel writes on Chinese Windows). XLSX needs openpyxl; the first sheet is read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import replace
from pathlib import Path

from .dataset import DatasetError, Question, parse_question

SET_SUFFIXES = (".jsonl", ".csv", ".xlsx")
MAX_MESSAGES = 20  # problems listed before "… and N more"
MAX_QUESTIONS = 5000
REQUIRED_COLUMNS = ("question", "answers", "evidence", "report")
COLUMNS = ("id", "question", "answers", "all_answers", "evidence", "report", "type", "history",
           "corpus", "note")
ALIASES = {"问题": "question", "答案": "answers", "全部答案": "all_answers", "证据": "evidence",
           "原文": "evidence", "报告": "report", "类型": "type", "历史": "history", "编号": "id",
           "语料": "corpus", "备注": "note", "notes": "note", "answer": "answers"}
TRUE = {"true", "1", "yes", "y", "是", "t"}
FALSE = {"false", "0", "no", "n", "否", "f", ""}


def load_set(path: Path | str, source: str | None = None) -> list[Question]:
    """The questions of a .jsonl, .csv or .xlsx set; DatasetError listing every problem."""
    path = Path(path)
    source = source or path.name
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{source}: no such file") from None
    if suffix == ".jsonl" or suffix == ".json":
        return parse_jsonl(decode(data, source, allow_gb18030=False), source)
    if suffix == ".csv":
        return parse_csv(decode(data, source), source)
    if suffix == ".xlsx":
        return parse_xlsx(data, source)
    raise DatasetError(f"{source}: unsupported file type {suffix or '?'}; use {', '.join(SET_SUFFIXES)}")


def decode(data: bytes, source: str, allow_gb18030: bool = True) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if allow_gb18030:
            try:
                return data.decode("gb18030")
            except UnicodeDecodeError:
                pass
        raise DatasetError(f"{source}: not UTF-8 ({exc.reason} at byte {exc.start})") from None


class _Collector:
    """Questions and problems of one file; ids must be unique."""

    def __init__(self, source: str, unit: str = "line"):
        self.source, self.unit = source, unit
        self.questions: list[Question] = []
        self.problems: list[str] = []
        self.seen: dict[str, int] = {}

    def where(self, number: int) -> str:
        return f"{self.source}, {self.unit} {number}"

    def add(self, record, number: int) -> None:
        where = self.where(number)
        try:
            question = parse_question(record, where)
        except DatasetError as exc:
            self.problems.append(str(exc))
            return
        if question.id in self.seen:
            self.problems.append(f"{where}: duplicate id {question.id!r} (first on {self.unit} "
                                 f"{self.seen[question.id]})")
            return
        self.seen[question.id] = number
        self.questions.append(replace(question, line=number))

    def result(self) -> list[Question]:
        if len(self.questions) + len(self.problems) > MAX_QUESTIONS:
            self.problems.insert(0, f"{self.source}: more than {MAX_QUESTIONS} questions; split the set")
        if not self.questions and not self.problems:
            self.problems.append(f"{self.source}: no questions")
        if self.problems:
            shown = self.problems[:MAX_MESSAGES]
            if len(self.problems) > MAX_MESSAGES:
                shown.append(f"… and {len(self.problems) - MAX_MESSAGES} more problem(s)")
            raise DatasetError("\n".join(shown))
        return self.questions


def parse_jsonl(text: str, source: str) -> list[Question]:
    """Like dataset.parse_lines, but every bad line is reported, not only the first."""
    collector = _Collector(source)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            collector.problems.append(f"{collector.where(number)}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        collector.add(record, number)
    return collector.result()


def parse_csv(text: str, source: str) -> list[Question]:
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, last = [], 0
    try:
        for cells in reader:
            rows.append((last + 1, cells))  # a quoted cell may span lines: report where the row starts
            last = reader.line_num
    except csv.Error as exc:
        raise DatasetError(f"{source}, line {last + 1}: not valid CSV ({exc})") from None
    return parse_rows(rows, source, "line")


def parse_xlsx(data: bytes, source: str) -> list[Question]:
    try:
        import openpyxl
    except ImportError:
        raise DatasetError(f"{source}: reading .xlsx needs openpyxl (pip install openpyxl); "
                           "save the sheet as CSV (UTF-8) instead") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise DatasetError(f"{source}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheet = book.worksheets[0]
        rows = [(number, [cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    return parse_rows(rows, source, "row")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header_names(cells: list[str]) -> list[str]:
    names = []
    for cell in cells:
        name = cell.strip().lstrip("\ufeff").strip().lower()
        names.append(ALIASES.get(name, name))
    return names


def parse_rows(rows: list[tuple[int, list[str]]], source: str, unit: str) -> list[Question]:
    """Questions from (line or row number, cells) with the header first."""
    collector = _Collector(source, unit)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise DatasetError(f"{source}: no questions (the file is empty)")
    header_line, header = rows[0]
    names = header_names(header)
    where = f"{source}, {unit} {header_line}"
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown:
        raise DatasetError(f"{where}: unknown column(s) {', '.join(map(repr, unknown))}; "
                           f"the columns are {', '.join(COLUMNS)}")
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    if duplicated:
        raise DatasetError(f"{where}: column(s) {', '.join(map(repr, duplicated))} appear twice")
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    if missing:
        raise DatasetError(f"{where}: missing column(s) {', '.join(map(repr, missing))} "
                           f"(the first row must name the columns: {', '.join(COLUMNS)})")
    for number, cells in rows[1:]:
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names):]):
            collector.problems.append(f"{collector.where(number)}: {len(cells)} cells but only "
                                      f"{len(names)} columns in the header")
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names) if name}
        try:
            record = row_record(values, collector.where(number))
        except DatasetError as exc:
            collector.problems.append(str(exc))
            continue
        collector.add(record, number)
    return collector.result()


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("；", ";").split(";") if part.strip()]


def row_record(values: dict[str, str], where: str) -> dict:
    """The JSONL record of one spreadsheet row (dataset.parse_question checks the rest)."""
    question = values.get("question", "")
    if not question:
        raise DatasetError(f"{where}: column 'question' is empty")
    flag = values.get("all_answers", "").lower()
    if flag not in TRUE | FALSE:
        raise DatasetError(f"{where}: column 'all_answers' must be true or false, got {values['all_answers']!r}")
    history = _json_cell(values, "history", where, [])
    evidence_text = values.get("evidence", "")
    if values.get("answers") and not evidence_text:
        raise DatasetError(f"{where}: column 'answers' is set but 'evidence' is empty (an answerable "
                           "question needs its evidence; an unanswerable one has no answers)")
    evidence = _json_cell(values, "evidence", where, None) if evidence_text.startswith("[") else (evidence_text or None)
    record = {
        "question": question, "answers": split_list(values.get("answers", "")),
        "all_answers": flag in TRUE, "evidence": evidence, "report": values.get("report") or None,
        "history": history, "corpus": split_list(values.get("corpus", "")),
    }
    if values.get("type"):
        record["type"] = values["type"]
    record["id"] = values.get("id") or default_id(question, history)
    return record


def _json_cell(values: dict[str, str], name: str, where: str, empty):
    text = values.get(name, "")
    if not text:
        return empty
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{where}: column '{name}' is not valid JSON ({exc.msg} at column {exc.colno})") from None


def default_id(question: str, history) -> str:
    digest = hashlib.sha1(json.dumps([question, history], ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"q-{digest[:10]}"


def question_record(q: Question) -> dict:
    """The question as a JSONL record (load_questions reads it back to the same Question)."""
    evidence = [{"report": r, "text": e} for r, e in q.spans] if len(q.spans) > 1 else q.evidence
    record = {"id": q.id, "question": q.question, "answers": list(q.answers), "evidence": evidence,
              "report": q.report or None, "type": q.type}
    if q.all_answers:
        record["all_answers"] = True
    if q.history:
        record["history"] = [list(turn) for turn in q.history]
    if q.rows:
        record["rows"] = [{"report": r, "evidence": e, "answers": list(a)} for r, e, a in q.rows]
    if q.corpus:
        record["corpus"] = list(q.corpus)
    return record


def set_jsonl(questions: list[Question]) -> str:
    return "".join(json.dumps(question_record(q), ensure_ascii=False) + "\n" for q in questions)


def set_hash(questions: list[Question]) -> str:
    """A hash of the questions' content: the same set as CSV or JSONL hashes the same."""
    return hashlib.sha256(set_jsonl(questions).encode("utf-8")).hexdigest()[:16]
