"""Saved evaluation runs (assistant/evaluation/runs.py), their comparison, the app's worker
(assistant/app/worker.py) and the not-applicable marks of the charts."""

from __future__ import annotations

import json
import os
import threading
import time
import zipfile
from types import SimpleNamespace

import pytest

from assistant.app.traffic import Traffic
from assistant.app.worker import EvalWorker
from assistant.evaluation.dataset import parse_lines
from assistant.evaluation.runs import RunError, RunStore, compare
from assistant.settings import Settings
from assistant.types import Answer, Citation, Hit, Passage

SOURCE = "第一段。今年赤字率拟按2.8%安排。\n第二段讲就业。\n第三段讲环境。"
SPANS = [(0, 19), (20, 27), (28, 35)]


class FakeQA:
    """Just enough of assistant.qa.QA for the worker: one report, three passages."""

    def __init__(self, wrong=()):
        self.wrong = set(wrong)  # questions answered with the wrong passage
        passages = [Passage("a.txt", s, e, SOURCE[s:e]) for s, e in SPANS]
        self.store = SimpleNamespace(dense_ready=False, passages=passages,
                                     passages_of=lambda rid: passages if rid == "a.txt" else [])
        self.reports = {"a.txt": SimpleNamespace(title="T")}
        self.asked = []

    def ask(self, question, history=(), mode=None):
        self.asked.append(question)
        passages = self.store.passages
        top = passages[1] if question in self.wrong else (passages[0] if "赤字" in question else passages[2])
        citation = Citation(1, "a.txt", "T", "", top.start, top.end, top.text, top.text, top.start, top.end)
        return Answer(top.text, "未知" not in question, [citation], [Hit(top, 1.0)])

    def source_text(self, report_id):
        if report_id != "a.txt":
            raise KeyError(report_id)
        return SOURCE


def questions():
    records = [
        {"id": "d1", "question": "赤字率多少", "answers": ["2.8%"], "evidence": "赤字率拟按2.8%安排",
         "report": "a.txt", "type": "number"},
        {"id": "d2", "question": "环境怎样", "answers": ["环境"], "evidence": "第三段讲环境", "report": "a.txt",
         "type": "topic"},
        {"id": "d3", "question": "未知的事", "answers": [], "evidence": None, "report": None, "type": "none"},
    ]
    return parse_lines([json.dumps(r, ensure_ascii=False) for r in records])


def run(tmp_path, qa, store=None, name="set.csv"):
    worker = EvalWorker(qa, Settings(index_dir=tmp_path, corpus=tmp_path), Traffic(), store, pause=0)
    assert worker.start(questions(), name, "staff")
    worker.wait(30)
    assert not worker.state.running and not worker.state.error, worker.state.error
    return worker, worker.state.finished_id


def test_a_run_is_saved_beside_the_index_with_what_ran(tmp_path):
    worker, run_id = run(tmp_path, FakeQA())
    folder = tmp_path / "eval_runs" / run_id
    for name in ("predictions.jsonl", "metrics.json", "report.md", "set.jsonl", "run.json",
                 "metrics_by_type.png", "latency.png"):
        assert (folder / name).is_file(), name
    info = worker.store.info(run_id)
    assert info["set_name"] == "set.csv" and info["user"] == "staff" and info["questions"] == 3
    assert len(info["set_hash"]) == 16 and info["code"] and info["settings"]["system"] == "govqa"
    assert info["settings"]["dense"] is False and "keyword_only" in info["notes"]
    assert info["overall"]["overall_correct"] == 1.0
    assert worker.state.done == worker.state.total == 3
    assert not list((tmp_path / "eval_runs").glob(".tmp-*"))
    with zipfile.ZipFile(worker.store.zip(run_id, tmp_path / "out.zip")) as archive:
        names = set(archive.namelist())
    assert {f"{run_id}/predictions.jsonl", f"{run_id}/metrics.json", f"{run_id}/report.md",
            f"{run_id}/metrics_by_type.png"} <= names


def test_one_run_at_a_time_and_it_waits_for_public_questions(tmp_path):
    traffic = Traffic()
    qa = FakeQA()
    worker = EvalWorker(qa, Settings(index_dir=tmp_path, corpus=tmp_path), traffic, pause=0)
    with traffic.answering():  # a public question is being answered
        assert worker.start(questions(), "s.csv")
        assert not worker.start(questions(), "other.csv")  # busy
        time.sleep(0.5)
        assert worker.state.running and worker.state.done == 0 and len(qa.asked) <= 1  # only the warm-up
    worker.wait(30)
    assert worker.state.finished_id and worker.state.done == 3


def test_a_cancelled_run_leaves_nothing(tmp_path):
    traffic = Traffic()
    worker = EvalWorker(FakeQA(), Settings(index_dir=tmp_path, corpus=tmp_path), traffic, pause=0)
    with traffic.answering():
        worker.start(questions(), "s.csv")
        assert worker.cancel()
    worker.wait(30)
    assert worker.state.error == "cancelled" and not worker.state.finished_id
    assert worker.store.list() == [] and not list((tmp_path / "eval_runs").iterdir())


def test_retention_keeps_the_newest_and_bounds_the_size(tmp_path):
    store = RunStore(tmp_path, keep=3)
    ids = []
    for _ in range(5):
        ids.append(run(tmp_path, FakeQA(), store)[1])
    assert [r["id"] for r in store.list()] == ids[::-1][:3]
    assert sorted(p.name for p in (tmp_path / "eval_runs").iterdir()) == sorted(ids[2:])
    size = sum(f.stat().st_size for f in (tmp_path / "eval_runs" / ids[-1]).rglob("*"))
    small = RunStore(tmp_path, keep=3, max_bytes=size + 1)
    assert small.prune() == ids[2:4]  # only the newest fits
    assert [r["id"] for r in small.list()] == [ids[-1]]
    tiny = RunStore(tmp_path, keep=3, max_bytes=1)
    assert tiny.prune() == [] and len(tiny.list()) == 1  # the newest run is always kept


def test_unfinished_runs_are_hidden_and_stale_ones_removed(tmp_path):
    store = RunStore(tmp_path)
    run_id, folder = store.start()
    assert store.list() == []
    with pytest.raises(RunError):
        store.folder(run_id)
    old = time.time() - 7 * 3600
    os.utime(folder, (old, old))
    store.start()
    assert not folder.exists()
    for bad in ("../x", ".tmp-x", ""):
        with pytest.raises(RunError):
            store.folder(bad)


def test_compare_gives_deltas_and_flipped_questions(tmp_path):
    store = RunStore(tmp_path)
    _, first = run(tmp_path, FakeQA(wrong={"环境怎样"}), store)
    _, second = run(tmp_path, FakeQA(wrong={"赤字率多少"}), store)
    result = compare(store, first, second)
    assert [f["id"] for f in result["flips"]["right_to_wrong"]] == ["d1"]
    assert [f["id"] for f in result["flips"]["wrong_to_right"]] == ["d2"]
    assert result["unchanged"] == 1 and not result["warnings"]  # same set, code and settings
    overall = {metric: (a, b, d) for metric, a, b, d in result["overall"]}
    assert overall["overall_correct"] == (pytest.approx(2 / 3), pytest.approx(2 / 3), pytest.approx(0.0))
    assert overall["refusal_accuracy"][2] == 0.0
    by_type = {metric: (a, b, d) for metric, a, b, d in result["by_type"]["number"]}
    assert by_type["answer_accuracy"] == (1.0, 0.0, -1.0)
    assert by_type["refusal_accuracy"] == (None, None, None)  # not applicable, not 0
    flip = result["flips"]["right_to_wrong"][0]
    assert flip["outcome_a"] == "correct" and flip["outcome_b"] != "correct"


def test_compare_warns_about_different_sets(tmp_path):
    store = RunStore(tmp_path)
    _, first = run(tmp_path, FakeQA(), store)
    worker = EvalWorker(FakeQA(), Settings(index_dir=tmp_path, corpus=tmp_path), Traffic(), store, pause=0)
    worker.start(questions()[:2], "smaller.csv")
    worker.wait(30)
    result = compare(store, first, worker.state.finished_id)
    assert "different question sets" in result["warnings"] and result["only_a"] == ["d3"]


def test_chart_marks_not_applicable_apart_from_zero(tmp_path):
    from assistant.evaluation import report

    calls = []

    class Axes:
        def bar(self, xs, heights, width, **kw):
            calls.append(("bar", xs, heights, kw))
            return SimpleNamespace(patches=[SimpleNamespace(get_facecolor=lambda: "C0")])

        def text(self, x, y, text, **kw):
            calls.append(("text", x, text))

        def plot(self, xs, ys, **kw):
            calls.append(("plot", xs, kw.get("marker")))

    report.draw_metric_bars(Axes(), [0.5, 0.0, None], 0, 0.1, "refusal_accuracy")
    assert calls[0][2] == [0.5, 0.0, 0.0]
    assert ("plot", [1], "v") in calls  # a measured 0
    assert any(c[0] == "bar" and c[3].get("hatch") for c in calls) and ("text", 2, "n/a") in calls


def test_traffic_wait_idle():
    traffic = Traffic()
    assert traffic.wait_idle(0.01)
    with traffic.answering():
        assert traffic.active == 1 and not traffic.wait_idle(0.05)
        done = threading.Event()
        threading.Thread(target=lambda: (traffic.wait_idle(5), done.set())).start()
    assert done.wait(2)
