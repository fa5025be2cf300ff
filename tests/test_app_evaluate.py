"""The Evaluate view's handlers and HTML without a server (assistant/app/evaluate*.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from gradio.utils import get_upload_folder
from test_eval_runs import FakeQA, run

from assistant.app import evaluate_html as view
from assistant.app.chat import AppContext
from assistant.app.evaluate import is_staff, read_set, run_views
from assistant.evaluation.runs import compare

XSS = "<img src=x onerror=window.__xss=1>"


def ctx(tmp_path):
    return AppContext(qa=FakeQA(), settings=SimpleNamespace(index_dir=tmp_path), staff={"staff": "pw"})


def upload(name: str, text: str) -> str:
    folder = Path(get_upload_folder()) / "govqa-test-evaluate"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_read_set_checks_format_corpus_and_origin(tmp_path):
    context = ctx(tmp_path)
    questions, problems, html = read_set(context, upload("s.csv", "question,answers,evidence,report\n"
                                                          "赤字率多少,2.8%,赤字率拟按2.8%安排,a.txt\n"
                                                          "不在语料,1,某句,zz.txt\n"), "zh")
    assert len(questions) == 2 and len(problems) == 1 and "zz.txt" in html and "s.csv：2 个问题" in html
    _, _, html = read_set(context, upload("bad.csv", f"question,answers,all_answers,evidence,report\nq,1,{XSS},e,a.txt\n"),
                         "en")
    assert "bad.csv, line 2" in html and "<img" not in html and "&lt;img" in html
    outside = tmp_path / "x.csv"
    outside.write_text("question,answers,evidence,report\n", encoding="utf-8")
    assert read_set(context, str(outside), "en")[0] is None  # not a file Gradio received
    assert read_set(context, None, "zh")[2] == "请先上传一个问题集。"
    assert is_staff(context, SimpleNamespace(username="staff"))
    assert not is_staff(context, SimpleNamespace(username=None)) and not is_staff(context, None)


def test_views_of_a_run_escape_everything_and_mark_not_applicable(tmp_path):
    qa = FakeQA(wrong={"环境怎样"})
    worker, run_id = run(tmp_path, qa)
    context = AppContext(qa=qa, settings=worker.settings, staff={"staff": "pw"})
    summary, metrics, charts, outcomes, _, wrong, zipped = run_views(
        context, worker, SimpleNamespace(write=lambda store, rid: f"{rid}.zip"), run_id, "", "zh")
    assert run_id in summary and "只用了关键词检索" in summary
    assert '<span class="govqa-na">n/a</span>' in metrics and "overall_correct" in metrics
    assert charts.count("data:image/png;base64,") == 2
    assert "检索到标准段落，但引用了其他段落" in outcomes or "引用了错误的报告" in outcomes or "报告正确" in outcomes
    assert 'data-id="d2"' in wrong and "govqa-card" in wrong and zipped == f"{run_id}.zip"
    prediction = {"id": XSS, "question": XSS, "answer": XSS, "answerable": True, "type": XSS,
                  "citations": [{"n": 1, "report": "a.txt", "title": XSS, "heading": "", "start": 0, "end": 3,
                                 "text": XSS, "quote": XSS, "quote_start": 0, "quote_end": 3}],
                  "scores": {"correct": False, "answerable": True, "refused": False, "right_report": True,
                             "gold_rank": None, "cited_evidence": False}}
    html = view.wrong_html([prediction], {XSS: {"answers": [XSS], "evidence": XSS, "report": "a.txt"}},
                           None, "en")
    assert "<img" not in html and html.count("&lt;img") >= 5


def test_progress_and_comparison_html(tmp_path):
    assert "<progress value=\"1\" max=\"3\">" in view.progress_html(
        {"running": True, "done": 1, "total": 3, "set_name": "s.csv"}, "en")
    assert "stopped" in view.progress_html({"error": "cancelled"}, "en")
    assert "failed: boom" in view.progress_html({"error": "boom"}, "en")
    store = run(tmp_path, FakeQA(wrong={"环境怎样"}))[0].store
    first = store.list()[0]["id"]
    second = run(tmp_path, FakeQA(wrong={"赤字率多少"}), store)[1]
    html = view.compare_html(compare(store, first, second), "en")
    assert "Right → wrong (1)" in html and "Wrong → right (1)" in html
    assert 'class="govqa-down"' in html or 'class="govqa-up"' in html
    assert '<li data-id="d1">' in html and '<li data-id="d2">' in html
