"""Benchmark sets: one JSON object per line.

    {"id": str, "question": str, "answers": [str], "all_answers": bool (optional),
     "evidence": str | null, "report": str, "history": [[question, answer], ...] (optional),
     "type": str (optional)}

`answers` holds strings a correct answer contains ("a|b" = alternatives within one entry);
with all_answers every entry must be present, else any one. `evidence` is an exact
substring of the report's source text; null marks an unanswerable question, whose `report`
may be "" or null (e.g. a report that does not exist).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

UNTYPED = "untyped"
REQUIRED_FIELDS = ("id", "question", "answers", "evidence", "report")
KNOWN_FIELDS = set(REQUIRED_FIELDS) | {"all_answers", "history", "type", "note", "notes"}


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
    history: tuple[tuple[str, str], ...] = ()
    type: str = UNTYPED
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
    _check_string(record, "evidence", where, allow_none=True)
    if record["evidence"] is not None:
        _check_string(record, "report", where)
    elif record["report"] not in (None, "") and not isinstance(record["report"], str):
        raise _fail(where, f"field 'report' must be a string or null, got {record['report']!r}")
    answers = record["answers"]
    if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
        raise _fail(where, f"field 'answers' must be a list of non-empty strings, got {answers!r}")
    if record["evidence"] is not None and not answers:
        raise _fail(where, "field 'answers' is empty but 'evidence' is set (answerable questions need answers)")
    all_answers = record.get("all_answers", False)
    if not isinstance(all_answers, bool):
        raise _fail(where, f"field 'all_answers' must be true or false, got {all_answers!r}")
    qtype = record.get("type", UNTYPED)
    if not isinstance(qtype, str) or not qtype.strip():
        raise _fail(where, f"field 'type' must be a non-empty string, got {qtype!r}")
    history = _parse_history(record.get("history", []), where)
    extra = {k: v for k, v in record.items() if k not in KNOWN_FIELDS}
    return Question(
        id=record["id"], question=record["question"], answers=tuple(answers),
        evidence=record["evidence"], report=record["report"] or "", all_answers=all_answers,
        history=history, type=qtype.strip(), extra=extra,
    )


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
    return problems
