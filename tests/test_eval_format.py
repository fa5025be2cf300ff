"""The benchmark format grown with the answers: several evidence spans (a target and its
result), table rows (across regions), and a question's own corpus (one report alone)."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation import metrics
from assistant.evaluation.dataset import DatasetError, parse_lines
from assistant.evaluation.runner import run_eval
from assistant.evaluation.systems import GovqaSystem
from assistant.settings import Settings

TARGET = {"report": "reports/provincial_sichuan_2025.txt", "text": "地区生产总值增长5.5%以上"}
RESULT = {"report": "reports/provincial_sichuan_2026.txt", "text": "实现地区生产总值67665亿元，增长5.5%"}


def one(record: dict):
    return parse_lines([json.dumps(record, ensure_ascii=False)])[0]


def test_evidence_list_and_rows_parse():
    q = one({"id": "v1", "question": "完成了吗？", "answers": ["5.5%以上", "5.5%"], "all_answers": True,
             "evidence": [TARGET, RESULT], "report": "", "type": "verdict"})
    assert q.spans == (tuple(TARGET.values()), tuple(RESULT.values()))
    assert (q.evidence, q.report) == (TARGET["text"], TARGET["report"])
    table = one({"id": "t1", "question": "各省…", "answers": [], "evidence": [TARGET], "report": TARGET["report"],
                 "rows": [{"report": TARGET["report"], "answers": ["5.5%以上"], "evidence": TARGET["text"]}]})
    assert table.rows == ((TARGET["report"], TARGET["text"], ("5.5%以上",)),)
    with pytest.raises(DatasetError, match="line 1.*'evidence' item 0"):
        one({"id": "x", "question": "q", "answers": ["a"], "evidence": [{"report": 1}], "report": ""})
    with pytest.raises(DatasetError, match="'corpus' must be a list"):
        one({"id": "x", "question": "q", "answers": ["a"], "evidence": "e", "report": "r", "corpus": "r"})


def _prediction(answer: str, cited: list[tuple[str, int, int]]) -> dict:
    return {"answer": answer, "answerable": True, "latency_ms": 1.0, "retrieved": [],
            "citations": [{"report": r, "start": s, "end": e} for r, s, e in cited]}


def test_every_span_and_every_row_must_be_cited():
    q = one({"id": "v1", "question": "完成了吗？", "answers": ["5.5%"], "evidence": [TARGET, RESULT],
             "report": "", "type": "verdict"})
    spans = [(TARGET["report"], (100, 120)), (RESULT["report"], (300, 330))]
    both = _prediction("目标5.5%以上，实际增长5.5%", [(TARGET["report"], 90, 130), (RESULT["report"], 290, 340)])
    only_one = _prediction("目标5.5%以上，实际增长5.5%", [(TARGET["report"], 90, 130)])
    assert metrics.score_question(q, both, (100, 120), [], spans)["correct"]
    assert not metrics.score_question(q, only_one, (100, 120), [], spans)["correct"]
    rows = [("a.txt", (0, 10), ("5%左右",)), ("b.txt", (50, 60), ("4.5%",))]
    table = one({"id": "t", "question": "各省", "answers": [], "evidence": "x", "report": "a.txt",
                 "rows": [{"report": r, "evidence": "x", "answers": list(a)} for r, _, a in rows]})
    full = _prediction("甲：5%左右[1]\n乙：4.5%[2]", [("a.txt", 0, 20), ("b.txt", 40, 70)])
    short = _prediction("甲：5%左右[1]", [("a.txt", 0, 20)])
    assert metrics.score_question(table, full, (0, 10), [], (), rows)["correct"]
    assert not metrics.score_question(table, short, (0, 10), [], (), rows)["correct"]


def test_a_question_over_its_own_one_report_corpus(tmp_path, corpus_dir, full_index):
    """In a corpus holding only the county report, a question naming no place and 今年 is
    answered from it (no hidden national default, no 'no 2024 national report')."""
    lines = [json.dumps({"id": "one-1", "question": "今年要实施人工造林多少亩？",
                         "corpus": ["reports/county_changzi_2024.txt"], "answers": ["3000亩"],
                         "evidence": "实施人工造林3000亩", "report": "reports/county_changzi_2024.txt",
                         "type": "single_report"}, ensure_ascii=False),
             json.dumps({"id": "one-2", "question": "今年要完成多少户散煤清零改造？",
                         "corpus": ["reports/county_changzi_2024.txt"], "answers": ["1万户"],
                         "evidence": "完成1万户散煤清零改造", "report": "reports/county_changzi_2024.txt",
                         "type": "single_report"}, ensure_ascii=False)]
    system = GovqaSystem(Settings(corpus=corpus_dir, index_dir=full_index), dense=False, progress=False)
    result = run_eval(system, parse_lines(lines), tmp_path / "run", progress=False)
    assert result["overall"]["overall_correct"] == 1.0
    sub = system.for_corpus(["reports/county_changzi_2024.txt"])
    assert list(sub.qa.reports) == ["reports/county_changzi_2024.txt"]
