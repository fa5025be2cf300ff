"""Run a system over a benchmark set and score it: predictions.jsonl, metrics.json, report.md.

Any system works that offers the small `System` interface below; govqa's QA and the LangChain
baseline are both wrapped in it, so both are scored by the same code on the same sets.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from tqdm import tqdm

from ..types import Answer
from . import metrics
from .dataset import Question, check_against_corpus
from .llm_stats import llm_summary


class System(Protocol):
    name: str

    def ask(self, question: str, history: list[tuple[str, str]]) -> Answer: ...

    def source_text(self, report_id: str) -> str: ...  # KeyError for an unknown report

    def passage_spans(self, report_id: str) -> list[tuple[int, int]]: ...  # all indexed passages

    def describe(self) -> dict: ...  # settings worth recording with the results


def citation_record(citation) -> dict:
    return {
        "n": citation.n, "report": citation.report, "title": citation.title, "heading": citation.heading,
        "start": citation.start, "end": citation.end, "text": citation.text, "quote": citation.quote,
        "quote_start": citation.quote_start, "quote_end": citation.quote_end,
    }


def hit_record(hit) -> dict:
    p = hit.passage
    return {"report": p.report, "start": p.start, "end": p.end, "text": p.text, "score": round(float(hit.score), 6)}


def prediction_record(question: Question, answer: Answer, latency_ms: float) -> dict:
    return {
        "id": question.id, "question": question.question, "type": question.type,
        "answer": answer.answer, "answerable": bool(answer.answerable),
        "citations": [citation_record(c) for c in answer.citations],
        "retrieved": [hit_record(h) for h in answer.retrieved[: metrics.TOP_K]],
        "latency_ms": round(latency_ms, 3), "rewritten_question": answer.rewritten_question,
        "mode": answer.mode, "notice": answer.notice, "llm": answer.llm,
    }


def error_record(question: Question, error: Exception, latency_ms: float) -> dict:
    """A failed question scores as a wrong answer (not refused, nothing retrieved)."""
    empty = Answer(answer="", answerable=True)
    return {**prediction_record(question, empty, latency_ms), "error": f"{type(error).__name__}: {error}"}


def ask_timed(system: System, question: Question) -> dict:
    started = time.perf_counter()
    try:
        answer = system.ask(question.question, list(question.history))
    except Exception as exc:  # one failing question must not stop the run
        return error_record(question, exc, (time.perf_counter() - started) * 1000)
    return prediction_record(question, answer, (time.perf_counter() - started) * 1000)


def score_prediction(system: System, question: Question, prediction: dict) -> dict:
    evidence = None
    golds: list[tuple[int, int]] = []
    spans, rows = [], []
    if question.answerable:
        evidence = metrics.locate_evidence(system.source_text(question.report), question.evidence)
        golds = metrics.gold_spans(system.passage_spans(question.report), evidence)
        spans = [(r, metrics.locate_evidence(system.source_text(r), e)) for r, e in question.spans]
        rows = [(r, metrics.locate_evidence(system.source_text(r), e), answers) for r, e, answers in question.rows]
    return metrics.score_question(question, prediction, evidence, golds, spans, rows)


def system_for(system: System, question: Question) -> System:
    """The system over the question's own corpus (`corpus` field) where the system can make
    one (govqa builds a keyword index of those reports once); else the system itself."""
    if question.corpus and hasattr(system, "for_corpus"):
        return system.for_corpus(question.corpus)
    return system


def split_valid(system: System, questions: list[Question]) -> tuple[list[Question], list[str]]:
    """Questions usable with this corpus, and one message per unusable question."""
    problems = check_against_corpus(questions, system.source_text)
    bad_ids = {q.id for q, _ in problems}
    return [q for q in questions if q.id not in bad_ids], [message for _, message in problems]


def run_eval(system: System, questions: list[Question], out_dir: Path | str,
             set_path: str = "", progress: bool = True, on_question=None) -> dict:
    """Answer every question, score, and write the run's files into out_dir; returns metrics.
    on_question(done, total), if given, is called before each question and after the last,
    outside the timed part (the app's worker reports progress and yields there)."""
    from .report import write_report

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    valid, problems = split_valid(system, questions)
    for problem in problems:
        print(f"skipped: {problem}", file=sys.stderr)
    if not valid:
        raise ValueError("no usable question in the set (see the messages above)")
    ask_timed(system, valid[0])  # warm-up, not counted
    predictions, scores = [], []
    partial = (out_dir / "predictions.partial.jsonl").open("w", encoding="utf-8")
    for done, question in enumerate(tqdm(valid, desc=f"eval {system.name}", unit="q", disable=not progress)):
        if on_question:
            on_question(done, len(valid))
        target = system_for(system, question)
        prediction = ask_timed(target, question)
        prediction["scores"] = score_prediction(target, question, prediction)
        predictions.append(prediction)
        # each scored prediction as soon as it exists: a slow run (LLM mode on a CPU) that is
        # stopped still leaves the questions it answered (see `eval score-partial`)
        partial.write(json.dumps(prediction, ensure_ascii=False) + "\n")
        partial.flush()
        scores.append(prediction["scores"])
    partial.close()
    if on_question:
        on_question(len(valid), len(valid))
    result = {
        **metrics.summarize(scores),
        "system": system.name, "set": set_path, "skipped": problems,
        "errors": [f"{p['id']}: {p['error']}" for p in predictions if "error" in p],
        "llm": llm_summary(predictions), "settings": system.describe(), "machine": machine_info(), "code": code_version(),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_jsonl(out_dir / "predictions.jsonl", predictions)
    (out_dir / "metrics.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    write_report(out_dir, result, predictions)
    return result


def write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def code_version() -> str:
    """The git commit of the code that ran, with "+dirty" when tracked files were modified."""
    import subprocess

    from ..settings import REPO_ROOT

    def git(*args) -> str:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
        return done.stdout.strip() if done.returncode == 0 else ""

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (commit or "unknown") + ("+dirty" if dirty else "")


def machine_info() -> dict:
    import os

    return {"machine": platform.machine(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}
