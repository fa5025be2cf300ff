"""The evaluation harness: metrics on hand-made cases, set validation, runner, report, compare,
the LangChain baseline, and `govqa eval run` end to end over real reports."""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pytest

from assistant.evaluation import metrics
from assistant.evaluation.dataset import DatasetError, Question, parse_lines
from assistant.evaluation.report import compare_runs
from assistant.evaluation.runner import run_eval
from assistant.types import Answer, Citation, Hit, Passage


def r(report, start, end):
    return {"report": report, "start": start, "end": end}


# ---------------------------------------------------------------- gold passages and ranks


def test_gold_passage_needs_half_of_the_evidence():
    evidence = (100, 120)  # 20 characters
    assert metrics.is_gold((90, 110), evidence)  # 10 of 20: exactly half
    assert not metrics.is_gold((90, 109), evidence)  # 9 of 20
    assert metrics.is_gold((0, 500), evidence)
    assert not metrics.is_gold((120, 200), evidence)  # touches the end only
    spans = [(0, 95), (95, 111), (111, 300)]
    assert metrics.gold_spans(spans, evidence) == [(95, 111)]  # 11 of 20; the other has 9


def test_gold_flags_require_the_right_report():
    retrieved = [r("b.txt", 100, 120), r("a.txt", 0, 50), r("a.txt", 100, 130)]
    assert metrics.gold_flags(retrieved, "a.txt", (100, 120)) == [False, False, True]


def test_locate_evidence_takes_the_first_occurrence():
    assert metrics.locate_evidence("xx赤字率yy赤字率", "赤字率") == (2, 5)
    assert metrics.locate_evidence("abc", "zz") is None


def test_hits_and_mrr():
    flags = [False, False, True, False, True]
    assert metrics.hit_at(flags, 1) == 0.0
    assert metrics.hit_at(flags, 3) == 1.0
    assert metrics.first_gold_rank(flags) == 3
    assert metrics.reciprocal_rank(flags) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank([False] * 10 + [True]) == 0.0  # rank 11 is outside @10
    assert metrics.reciprocal_rank([]) == 0.0


def test_ndcg_binary_gains():
    assert metrics.ndcg_at([True, False], n_gold=1) == 1.0
    assert metrics.ndcg_at([False, True], n_gold=1) == pytest.approx(1 / math.log2(3))
    # two gold passages in the index, only one retrieved at rank 1: DCG 1, IDCG 1 + 1/log2(3)
    assert metrics.ndcg_at([True, False, False], n_gold=2) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert metrics.ndcg_at([False, False], n_gold=0) == 0.0
    assert metrics.ndcg_at([False, True], n_gold=0) == pytest.approx(1 / math.log2(3))  # at least retrieved


# ---------------------------------------------------------------- answers


def test_answer_alternatives_and_all_answers():
    assert metrics.answer_matches("赤字率拟按百分之二点八安排", ["2.8%|百分之二点八"])
    assert not metrics.answer_matches("赤字率拟按3%安排", ["2.8%|百分之二点八"])
    assert metrics.answer_matches("增长5%左右，失业率5.5%", ["5%", "5.5%"], all_answers=True)
    assert not metrics.answer_matches("增长5%左右", ["5%", "5.5%"], all_answers=True)
    assert metrics.answer_matches("增长5%左右", ["5%", "5.5%"], all_answers=False)
    assert not metrics.answer_matches("anything", [])


def test_answer_normalization_nfkc_case_spaces_dashes():
    assert metrics.answer_matches("赤字率下降到１．５％左右", ["1.5%"])  # full-width forms
    assert metrics.answer_matches("The deficit is 2.8 percent", ["2.8 PERCENT"])
    assert metrics.answer_matches("2021—2025年", ["2021-2025"])  # em dash vs hyphen
    assert metrics.answer_matches("一 带 一 路", ["一带一路"])


# ---------------------------------------------------------------- per question and aggregates


def q(qid="q1", evidence="e", report="a.txt", answers=("2.8%",), qtype="t", **kw):
    return Question(id=qid, question="?", answers=tuple(answers), evidence=evidence, report=report, type=qtype, **kw)


def pred(answer="x", answerable=True, citations=(), retrieved=(), latency=10.0):
    return {"answer": answer, "answerable": answerable, "citations": list(citations),
            "retrieved": list(retrieved), "latency_ms": latency}


def test_score_answerable_question():
    evidence = (100, 120)
    prediction = pred("赤字率2.8%", citations=[r("a.txt", 95, 130), r("a.txt", 500, 600)],
                      retrieved=[r("a.txt", 500, 600), r("a.txt", 95, 130)])
    s = metrics.score_question(q(), prediction, evidence, golds=[(95, 130)])
    assert s["gold_rank"] == 2 and s["hit1"] == 0.0 and s["hit5"] == 1.0 and s["rr"] == 0.5
    assert s["answer_match"] and s["correct"] and not s["refused"]
    assert s["cited_evidence"] and s["citations"] == 2 and s["good_citations"] == 1
    assert s["right_report"]


def test_right_report_falls_back_to_top_retrieved():
    s = metrics.score_question(q(), pred(retrieved=[r("b.txt", 0, 10)]), (0, 5), golds=[])
    assert not s["right_report"] and s["n_gold"] == 0 and not s["cited_evidence"]


def test_refusal_accounting():
    scores = [
        metrics.score_question(q("u1", evidence=None, answers=()), pred(answerable=False), None, []),
        metrics.score_question(q("u2", evidence=None, answers=()), pred(answerable=True), None, []),
        metrics.score_question(q("a1"), pred("2.8%", answerable=False), (0, 5), [(0, 5)]),
        metrics.score_question(q("a2"), pred("2.8%", citations=[r("a.txt", 0, 5)],
                                             retrieved=[r("a.txt", 0, 5)]), (0, 5), [(0, 5)]),
    ]
    m = metrics.aggregate(scores)
    assert (m["n"], m["n_answerable"], m["n_unanswerable"]) == (4, 2, 2)
    assert m["refusal_accuracy"] == 0.5
    assert m["false_refusal_rate"] == 0.5
    assert m["answer_accuracy"] == 1.0  # both answer texts contain 2.8%...
    assert m["overall_correct"] == 0.5  # ...but a refused answer is not correct: u1 + a2
    assert m["hit@1"] == 0.5 and m["citation_precision"] == 1.0
    assert m["latency_p50_ms"] == 10.0


def test_summarize_per_type():
    scores = [metrics.score_question(q(f"q{i}", qtype=t), pred("2.8%"), (0, 5), [(0, 5)])
              for i, t in enumerate(["a", "a", "b"])]
    summary = metrics.summarize(scores)
    assert summary["overall"]["n"] == 3
    assert {t: m["n"] for t, m in summary["by_type"].items()} == {"a": 2, "b": 1}
    assert summary["by_type"]["b"]["refusal_accuracy"] is None  # no unanswerable question there
    assert summary["outcomes"] == {"correct": 3}


def test_failure_categories_follow_the_pipeline():
    refused = metrics.score_question(q(), pred("2.8%", answerable=False), (0, 5), [(0, 5)])
    wrong_report = metrics.score_question(q(), pred("x", citations=[r("b.txt", 0, 5)]), (0, 5), [(0, 5)])
    not_found = metrics.score_question(q(), pred("x", citations=[r("a.txt", 50, 60)],
                                                 retrieved=[r("a.txt", 50, 60)]), (0, 5), [(0, 5)])
    other_cited = metrics.score_question(q(), pred("x", citations=[r("a.txt", 50, 60)],
                                                   retrieved=[r("a.txt", 50, 60), r("a.txt", 0, 5)]),
                                         (0, 5), [(0, 5)])
    no_string = metrics.score_question(q(), pred("x", citations=[r("a.txt", 0, 5)],
                                                 retrieved=[r("a.txt", 0, 5)]), (0, 5), [(0, 5)])
    not_refused = metrics.score_question(q(evidence=None, answers=()), pred(), None, [])
    assert [metrics.failure_category(s) for s in (refused, wrong_report, not_found, other_cited, no_string,
                                                  not_refused)] == [
        "answerable, refused", "wrong report cited", "right report, no gold passage in top 10",
        "gold passage retrieved, another passage cited", "evidence cited, answer string missing",
        "unanswerable, not refused"]


# ---------------------------------------------------------------- set validation

GOOD = {"id": "x1", "question": "赤字率？", "answers": ["2.8%"], "evidence": "赤字率拟按2.8%",
        "report": "reports/national_china_2019.txt"}


def lines(*records):
    return [json.dumps(rec, ensure_ascii=False) for rec in records]


def test_parse_valid_set_with_optional_fields():
    extra = {**GOOD, "id": "x2", "evidence": None, "answers": [], "type": "unanswerable",
             "history": [["上一问", "上一答"]], "all_answers": True}
    no_report = {**extra, "id": "x3", "report": None}
    questions = parse_lines(["", *lines(GOOD, extra, no_report)])
    assert [x.line for x in questions] == [2, 3, 4]
    assert questions[2].report == ""  # an unanswerable question may name no report
    assert questions[0].type == "untyped" and questions[0].answerable
    assert not questions[1].answerable and questions[1].history == (("上一问", "上一答"),)


@pytest.mark.parametrize("bad, message", [
    ({k: v for k, v in GOOD.items() if k != "report"}, "missing field(s) 'report'"),
    ({**GOOD, "answers": "2.8%"}, "field 'answers'"),
    ({**GOOD, "answers": []}, "answerable questions need answers"),
    ({**GOOD, "evidence": ""}, "field 'evidence'"),
    ({**GOOD, "all_answers": "yes"}, "field 'all_answers'"),
    ({**GOOD, "history": [["only a question"]]}, "field 'history' item 0"),
    ({**GOOD, "type": 3}, "field 'type'"),
])
def test_validation_errors_name_line_and_field(bad, message):
    with pytest.raises(DatasetError) as err:
        parse_lines(lines(GOOD | {"id": "ok"}, bad), source="set.jsonl")
    assert "set.jsonl, line 2" in str(err.value) and message in str(err.value)


def test_validation_rejects_bad_json_and_duplicate_ids():
    with pytest.raises(DatasetError, match=r"line 2: not valid JSON"):
        parse_lines([*lines(GOOD), "{oops"])
    with pytest.raises(DatasetError, match=r"line 2: duplicate id 'x1' \(first on line 1\)"):
        parse_lines(lines(GOOD, GOOD))
    with pytest.raises(DatasetError, match="no questions"):
        parse_lines(["", "  "])


# ---------------------------------------------------------------- runner, report, compare (fake system)

SOURCE = "第一段。今年赤字率拟按2.8%安排。\n第二段讲就业。\n第三段讲环境。"


class FakeSystem:
    """A tiny stand-in for unit tests of the runner only; the real systems are tested below."""

    name = "fake"

    def __init__(self, refuse_all=False):
        self.refuse_all = refuse_all
        self.passages = [Passage("a.txt", s, e, SOURCE[s:e]) for s, e in [(0, 19), (20, 27), (28, 35)]]

    def ask(self, question, history):
        if "boom" in question:
            raise RuntimeError("boom")
        top = self.passages[0] if "赤字" in question else self.passages[1]
        citation = Citation(1, top.report, "T", "", top.start, top.end, top.text, top.text, top.start, top.end)
        hits = [Hit(p, 1.0 / (i + 1)) for i, p in enumerate([top, *[p for p in self.passages if p != top]])]
        return Answer(top.text, not self.refuse_all and "未知" not in question, [citation], hits)

    def source_text(self, report_id):
        if report_id != "a.txt":
            raise KeyError(report_id)
        return SOURCE

    def passage_spans(self, report_id):
        return [(p.start, p.end) for p in self.passages]

    def describe(self):
        return {"system": "fake"}


def fake_set():
    return parse_lines(lines(
        {"id": "d1", "question": "赤字率多少", "answers": ["2.8%"], "evidence": "赤字率拟按2.8%安排",
         "report": "a.txt", "type": "number"},
        {"id": "d2", "question": "环境怎样", "answers": ["环境"], "evidence": "第三段讲环境", "report": "a.txt",
         "type": "topic"},
        {"id": "d3", "question": "未知的事", "answers": [], "evidence": None, "report": "a.txt", "type": "unanswerable"},
        {"id": "d4", "question": "boom", "answers": ["x"], "evidence": "第二段", "report": "a.txt", "type": "topic"},
        {"id": "d5", "question": "不在语料", "answers": ["x"], "evidence": "x", "report": "zz.txt"},
        {"id": "d6", "question": "证据错", "answers": ["x"], "evidence": "没有这句", "report": "a.txt"},
    ))


def test_runner_writes_files_and_scores(tmp_path):
    result = run_eval(FakeSystem(), fake_set(), tmp_path / "run", set_path="fake.jsonl", progress=False)
    assert len(result["skipped"]) == 2 and "zz.txt" in result["skipped"][0]
    assert result["errors"] == ["d4: RuntimeError: boom"]
    o = result["overall"]
    assert (o["n"], o["n_answerable"], o["n_unanswerable"]) == (4, 3, 1)
    assert o["hit@1"] == pytest.approx(1 / 3)  # d1 at rank 1; d2 at rank 2; d4 failed
    assert o["mrr@10"] == pytest.approx((1 + 1 / 3 + 0) / 3)  # d2: gold (28, 35) ranked third
    assert o["answer_accuracy"] == pytest.approx(1 / 3) and o["refusal_accuracy"] == 1.0
    predictions = [json.loads(x) for x in (tmp_path / "run" / "predictions.jsonl").read_text().splitlines()]
    assert [p["id"] for p in predictions] == ["d1", "d2", "d3", "d4"]
    assert set(predictions[0]["retrieved"][0]) == {"report", "start", "end", "text", "score"}
    assert predictions[0]["citations"][0]["quote"] == SOURCE[0:19]
    report = (tmp_path / "run" / "report.md").read_text()
    assert "## Definitions" in report and "hit@5" in report and "boom" in report
    for chart in ("metrics_by_type.png", "latency.png"):
        assert (tmp_path / "run" / chart).read_bytes()[:4] == b"\x89PNG"


def test_compare_shows_both_runs_with_deltas(tmp_path):
    run_eval(FakeSystem(), fake_set(), tmp_path / "a", set_path="s", progress=False)
    run_eval(FakeSystem(refuse_all=True), fake_set(), tmp_path / "b", set_path="s", progress=False)
    table = compare_runs(tmp_path / "a", tmp_path / "b")
    assert "## Overall" in table and "## number" in table and "## unanswerable" in table
    row = next(line for line in table.splitlines() if line.startswith("| false_refusal_rate"))
    assert row.split("|")[2:5] == [" 0.000 ", " 0.667 ", " +0.667 "]  # d4 fails, is not a refusal
    with pytest.raises(FileNotFoundError, match="no metrics.json"):
        compare_runs(tmp_path / "a", tmp_path / "missing")


# ---------------------------------------------------------------- real reports, real systems

CORPUS = Path(os.environ.get("GOVQA_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")
TINY_REPORTS = ["reports/national_china_2022.txt", "reports/national_china_2024.txt",
                "reports/national_china_2019_en.txt", "reports/provincial_sichuan_2025.txt",
                "reports/provincial_sichuan_2026.txt"]
TINY_SET = [
    {"id": "t-national", "question": "2024年政府工作报告提出的国内生产总值增长目标是多少？", "answers": ["5%左右"],
     "evidence": "国内生产总值增长5%左右", "report": "reports/national_china_2024.txt", "type": "national"},
    {"id": "t-provincial", "question": "四川省2025年政府工作报告提出的地区生产总值增长目标是多少？",
     "answers": ["5.5%以上"], "evidence": "地区生产总值增长5.5%以上", "report": "reports/provincial_sichuan_2025.txt",
     "type": "provincial"},
    {"id": "t-followup", "question": "城镇新增就业目标呢？", "answers": ["85万人"], "evidence": "城镇新增就业85万人",
     "report": "reports/provincial_sichuan_2025.txt", "type": "followup",
     "history": [["四川2025年地区生产总值增长目标是多少？", "5.5%以上"]]},
    {"id": "t-none", "question": "2023年国务院政府工作报告提出的经济增长目标是多少？", "answers": [],
     "evidence": None, "report": None, "type": "unanswerable"},
]


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    """Five real reports (copied to a temp folder, with their reports.csv rows) and a set over them."""
    if not (CORPUS / "reports.csv").is_file():
        pytest.skip(f"corpus not found at {CORPUS}")
    root = tmp_path_factory.mktemp("corpus")
    (root / "reports").mkdir()
    for report_id in TINY_REPORTS:
        shutil.copy(CORPUS / report_id, root / report_id)
    rows = (CORPUS / "reports.csv").read_text(encoding="utf-8").splitlines()
    kept = [rows[0]] + [row for row in rows[1:] if row.split(",", 1)[0] in TINY_REPORTS]
    (root / "reports.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    set_path = root / "tiny.jsonl"
    set_path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in TINY_SET), encoding="utf-8")
    return root, set_path


def run_cli(*argv) -> int:
    from assistant.cli import main

    return main([str(a) for a in argv])


def check_run_folder(out, n: int) -> dict:
    for name in ("predictions.jsonl", "metrics.json", "report.md", "metrics_by_type.png", "latency.png"):
        assert (out / name).is_file(), name
    predictions = [json.loads(x) for x in (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in predictions] == [x["id"] for x in TINY_SET][:n]
    for p in predictions:
        assert len(p["retrieved"]) <= 10 and p["latency_ms"] > 0
        assert all(x["report"] in TINY_REPORTS for x in p["retrieved"] + p["citations"])
    result = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    overall = result["overall"]
    assert (overall["n"], overall["n_answerable"], overall["n_unanswerable"]) == (4, 3, 1)
    assert overall["no_gold_passage"] == 0  # every evidence lies in an indexed passage
    for metric in ("hit@1", "hit@5", "mrr@10", "ndcg@10", "answer_accuracy", "cited_evidence_rate",
                   "refusal_accuracy", "false_refusal_rate", "right_report_rate", "overall_correct"):
        assert 0.0 <= overall[metric] <= 1.0, metric
    assert overall["hit@1"] <= overall["hit@5"] and overall["mrr@10"] <= overall["hit@5"] + 1e-9
    assert set(result["by_type"]) == {"national", "provincial", "followup", "unanswerable"}
    assert not result["errors"] and not result["skipped"]
    return result


def test_eval_run_govqa_end_to_end(tiny_corpus, tmp_path):
    root, set_path = tiny_corpus
    out = tmp_path / "run-govqa"
    code = run_cli("eval", "run", set_path, "--out", out, "--corpus", root, "--index-dir", tmp_path / "index",
                   "--keyword-only", "--quiet")
    assert code == 0
    result = check_run_folder(out, 4)
    assert result["settings"]["system"] == "govqa" and result["settings"]["dense"] is False


def test_baseline_end_to_end_and_cache(tiny_corpus, tmp_path, capsys):
    from assistant.evaluation.baseline import BaselineSystem
    from assistant.settings import load_settings

    root, set_path = tiny_corpus
    out = tmp_path / "run-baseline"
    args = ("--corpus", root, "--index-dir", tmp_path / "index", "--embedder", "hash", "--quiet")
    assert run_cli("eval", "run", set_path, "--out", out, "--system", "baseline", *args) == 0
    result = check_run_folder(out, 4)
    overall = result["overall"]
    assert overall["refusal_accuracy"] == 0.0 and overall["false_refusal_rate"] == 0.0  # never refuses
    assert result["settings"]["chunk_size"] == 4000 and result["settings"]["chunk_overlap"] == 200
    predictions = [json.loads(x) for x in (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    for p in predictions:  # the answer is the top chunk, cited once
        assert p["answer"] == p["retrieved"][0]["text"] == p["citations"][0]["text"]
        assert len(p["citations"]) == 1

    settings = load_settings(corpus=root, index_dir=tmp_path / "index", embedder="hash")
    cached = BaselineSystem(settings, progress=False)  # second open: from the cache, nothing embedded
    assert cached.build_seconds == 0.0 and cached.store.index.ntotal == result["settings"]["chunks"]
    for doc in cached.store.documents:
        meta = doc.metadata
        assert cached.source_text(meta["report"])[meta["start"]:meta["end"]] == doc.page_content
        assert len(doc.page_content) <= 4000

    capsys.readouterr()
    assert run_cli("eval", "compare", out, out) == 0
    assert "| hit@5 |" in capsys.readouterr().out
