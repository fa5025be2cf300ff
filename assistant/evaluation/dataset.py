"""Benchmark sets: one JSON object per line.

    {"id": str, "question": str, "answers": [str], "all_answers": bool (optional),
     "evidence": str | [{"report": str, "text": str}, ...] | null, "report": str,
     "history": [[question, answer], ...] (optional), "type": str (optional),
     "rows": [{"report": str, "answers": [str], "evidence": str}, ...] (optional),
     "corpus": [report id, ...] (optional)}

`answers` holds strings a correct answer contains ("a|b" = alternatives within one entry);
with all_answers every entry must be present, else any one. `evidence` is an exact
substring of the report's source text, or a list of spans in several reports (a target and
its result: every span must be cited); null marks an unanswerable question, whose `report`
may be "" or null (e.g. a report that does not exist). `rows` are the gold rows of a table
answer (across regions): right when every row's answers appear and a citation overlaps its
span. `corpus` asks for the question to be answered over those reports alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

UNTYPED = "untyped"
REQUIRED_FIELDS = ("id", "question", "answers", "evidence", "report")
KNOWN_FIELDS = set(REQUIRED_FIELDS) | {"all_answers", "history", "type", "note", "notes", "rows",
                                       "all_rows", "corpus", "all_evidence"}


class DatasetError(ValueError):
    """A benchmark file that cannot be used; the message names file, line and field."""


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answers: tuple[str, ...]
    evidence: str | None
    report: str
    all_answers: bool = False
    all_evidence: bool = True  # with several evidence spans: every one must be cited (false: any one)
    history: tuple[tuple[str, str], ...] = ()
    type: str = UNTYPED
    spans: tuple[tuple[str, str], ...] = ()  # every (report, evidence text); the first is evidence
    rows: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (report, evidence, answers) of a table
    corpus: tuple[str, ...] = ()  # answer over these reports alone
    line: int = 0  # line number in the file, for messages
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def answerable(self) -> bool:
        return self.evidence is not None


def _fail(where: str, message: str) -> DatasetError:
    return DatasetError(f"{where}: {message}")


def _check_string(record: dict, name: str, where: str, allow_none: bool = False) -> None:
    value = record[name]
    if value is None and allow_none:
        return
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"field '{name}' must be a non-empty string, got {value!r}")


def _parse_history(value, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise _fail(where, f"field 'history' must be a list of [question, answer] pairs, got {value!r}")
    turns = []
    for i, turn in enumerate(value):
        if not (isinstance(turn, list | tuple) and len(turn) == 2 and all(isinstance(t, str) for t in turn)):
            raise _fail(where, f"field 'history' item {i} must be [question, answer] strings, got {turn!r}")
        turns.append((turn[0], turn[1]))
    return tuple(turns)


def parse_question(record, where: str) -> Question:
    """One validated Question from one decoded JSON line; DatasetError if anything is off."""
    if not isinstance(record, dict):
        raise _fail(where, f"expected a JSON object, got {type(record).__name__}")
    missing = [name for name in REQUIRED_FIELDS if name not in record]
    if missing:
        raise _fail(where, f"missing field(s) {', '.join(repr(m) for m in missing)}")
    for name in ("id", "question"):
        _check_string(record, name, where)
    spans = _parse_spans(record, where)
    rows = _parse_rows(record.get("rows"), where)
    corpus = record.get("corpus") or []
    if not isinstance(corpus, list) or not all(isinstance(r, str) and r for r in corpus):
        raise _fail(where, f"field 'corpus' must be a list of report ids, got {corpus!r}")
    if spans:
        record = {**record, "evidence": spans[0][1], "report": record.get("report") or spans[0][0]}
    _check_string(record, "evidence", where, allow_none=True)
    if record["evidence"] is not None:
        _check_string(record, "report", where)
    elif record["report"] not in (None, "") and not isinstance(record["report"], str):
        raise _fail(where, f"field 'report' must be a string or null, got {record['report']!r}")
    answers = record["answers"]
    if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
        raise _fail(where, f"field 'answers' must be a list of non-empty strings, got {answers!r}")
    if record["evidence"] is not None and not answers and not rows:
        raise _fail(where, "field 'answers' is empty but 'evidence' is set (answerable questions need answers)")
    all_answers = record.get("all_answers", False)
    if not isinstance(all_answers, bool):
        raise _fail(where, f"field 'all_answers' must be true or false, got {all_answers!r}")
    all_evidence = record.get("all_evidence", True)
    if not isinstance(all_evidence, bool):
        raise _fail(where, f"field 'all_evidence' must be true or false, got {all_evidence!r}")
    qtype = record.get("type", UNTYPED)
    if not isinstance(qtype, str) or not qtype.strip():
        raise _fail(where, f"field 'type' must be a non-empty string, got {qtype!r}")
    history = _parse_history(record.get("history", []), where)
    extra = {k: v for k, v in record.items() if k not in KNOWN_FIELDS}
    return Question(
        id=record["id"], question=record["question"], answers=tuple(answers),
        evidence=record["evidence"], report=record["report"] or "", all_answers=all_answers,
        all_evidence=all_evidence, history=history, type=qtype.strip(), extra=extra, spans=spans, rows=rows,
        corpus=tuple(corpus),
    )


def _parse_spans(record: dict, where: str) -> tuple[tuple[str, str], ...]:
    """Evidence given as a list of {report, text}; () for the one-string form."""
    evidence = record.get("evidence")
    if not isinstance(evidence, list):
        return ()
    spans = []
    for i, item in enumerate(evidence):
        if not (isinstance(item, dict) and isinstance(item.get("report"), str)
                and isinstance(item.get("text"), str) and item["text"].strip()):
            raise _fail(where, f"field 'evidence' item {i} must be {{\"report\": str, \"text\": str}}, got {item!r}")
        spans.append((item["report"], item["text"]))
    if not spans:
        raise _fail(where, "field 'evidence' is an empty list (use null for an unanswerable question)")
    return tuple(spans)


def _parse_rows(rows, where: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    if rows is None:
        return ()
    if not isinstance(rows, list):
        raise _fail(where, f"field 'rows' must be a list, got {rows!r}")
    out = []
    for i, row in enumerate(rows):
        ok = (isinstance(row, dict) and isinstance(row.get("report"), str) and isinstance(row.get("evidence"), str)
              and isinstance(row.get("answers"), list) and all(isinstance(a, str) and a for a in row["answers"]))
        if not ok:
            raise _fail(where, f"field 'rows' item {i} must be {{report, evidence, answers}}, got {row!r}")
        out.append((row["report"], row["evidence"], tuple(row["answers"])))
    return tuple(out)


def parse_lines(lines, source: str = "<input>") -> list[Question]:
    """Questions from JSONL lines (blank lines skipped); ids must be unique."""
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}, line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        question = parse_question(record, where)
        if question.id in seen:
            raise _fail(where, f"duplicate id {question.id!r} (first on line {seen[question.id]})")
        seen[question.id] = number
        questions.append(replace(question, line=number))
    if not questions:
        raise DatasetError(f"{source}: no questions")
    return questions


def load_questions(path: Path | str) -> list[Question]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    return parse_lines(text.splitlines(), source=str(path))


def check_against_corpus(questions: list[Question], source_text) -> list[tuple[Question, str]]:
    """(question, message) for each question that does not fit the corpus: unknown report,
    evidence not in the report text. `source_text(report_id)` raises KeyError when unknown."""
    problems = []
    for q in questions:
        if not q.answerable:  # its report may not exist at all (e.g. a year without report)
            continue
        try:
            text = source_text(q.report)
        except KeyError:
            problems.append((q, f"line {q.line} ({q.id}): report {q.report!r} is not in the corpus"))
            continue
        if q.evidence is not None and text.find(q.evidence) < 0:
            problems.append((q, f"line {q.line} ({q.id}): evidence not found in {q.report}: {q.evidence[:40]!r}"))
            continue
        for report, evidence in [*q.spans[1:], *((r, e) for r, e, _ in q.rows)]:
            try:
                found = source_text(report).find(evidence) >= 0
            except KeyError:
                found = False
            if not found:
                problems.append((q, f"line {q.line} ({q.id}): evidence not found in {report}: {evidence[:40]!r}"))
                break
    return problems
