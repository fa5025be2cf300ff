"""Issue 12, items 9 and 10: uploads while an index build runs (queued, messages in the UI's
language, cleaned up on failure), and uploaded reports in the public views without a restart.

Small real corpora, keyword-only indexes (the dense part uses the `hash` test embedder on one
or two reports)."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

import gradio as gr
import pytest
from gradio import utils as gradio_utils
from test_reliability import CHANGZI, HAINAN, copy_reports

import assistant.qa as qa_module
from assistant.app.chat import AppContext
from assistant.app.staff import handle_upload
from assistant.qa import QA
from assistant.search import DiskFullError, build_index
from assistant.search.layout import BuildLock
from assistant.settings import load_settings

STAFF = {"staff": "pw"}


@pytest.fixture
def setup(tmp_path, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path / "corpus", [CHANGZI])
    settings = load_settings(corpus=root, index_dir=tmp_path / "index")
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    upload = Path(gradio_utils.get_upload_folder()) / f"govqa-test-{tmp_path.name}" / "海南.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(corpus_dir / HAINAN, upload)
    yield settings, upload
    shutil.rmtree(upload.parent, ignore_errors=True)


class HeldLock:
    """The index build lock held by another build (as the background dense build holds it)."""

    def __init__(self, index_dir: Path):
        self.lock, self.release = BuildLock(index_dir), threading.Event()
        self.held = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self):
        with self.lock:
            self.held.set()
            self.release.wait(60)

    def __enter__(self):
        self.thread.start()
        self.held.wait(10)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(10)


def upload_in_thread(ctx, upload, lang, messages):
    result = {}

    def run():
        result["message"] = handle_upload(ctx, str(upload), "海南省2025年政府工作报告", "hainan", 2025,
                                          "provincial", "staff", lang, progress=lambda *a: None,
                                          waiting=messages.append)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def uploads_left(settings) -> list[str]:
    folder = settings.index_dir / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("lang, queued, done", [("zh", "排队", "已加入"), ("en", "Queued", "Added")])
def test_an_upload_during_a_build_waits_for_it_then_is_indexed(setup, lang, queued, done):
    settings, upload = setup
    qa = QA(settings, background_dense=False)
    ctx = AppContext(qa=qa, settings=settings, staff=STAFF)
    messages: list[str] = []
    with HeldLock(settings.index_dir):
        thread, result = upload_in_thread(ctx, upload, lang, messages)
        time.sleep(2.5)
        assert thread.is_alive() and "message" not in result  # waiting, not failed
        assert messages and queued in messages[-1], messages
        assert "lock" not in " ".join(messages).lower() and "another index build" not in " ".join(messages)
    thread.join(60)
    assert done in result["message"] and "uploads/海南.txt" in result["message"], result["message"]
    assert "uploads/海南.txt" in qa.reports
    answer = qa.ask("海南2025年地区生产总值增长目标是多少？")
    assert any(c.report == "uploads/海南.txt" for c in answer.citations), answer.answer


@pytest.mark.parametrize("lang, words", [("zh", "索引"), ("en", "index")])
def test_an_upload_still_waiting_when_the_wait_ends_is_refused_in_the_ui_language_and_removed(
        setup, monkeypatch, lang, words):
    settings, upload = setup
    monkeypatch.setattr(qa_module, "UPLOAD_WAIT_SECONDS", 1.5)
    ctx = AppContext(qa=QA(settings, background_dense=False), settings=settings, staff=STAFF)
    with HeldLock(settings.index_dir):
        thread, result = upload_in_thread(ctx, upload, lang, [])
        thread.join(30)
    message = result["message"]
    assert words in message and "IndexLockedError" not in message and "another index build" not in message
    if lang == "zh":
        assert "another" not in message and "wait for it" not in message
    assert uploads_left(settings) in ([], ["reports.csv"])
    if uploads_left(settings):
        assert "海南" not in (settings.index_dir / "uploads/reports.csv").read_text(encoding="utf-8")
    assert "uploads/海南.txt" not in ctx.qa.reports


def test_a_failing_build_takes_the_upload_back_and_says_so(setup, monkeypatch):
    settings, upload = setup
    qa = QA(settings, background_dense=False)

    def full(*args, **kwargs):
        raise DiskFullError(f"disk full (磁盘已满) while writing the index in {settings.index_dir}")

    monkeypatch.setattr(qa_module, "build_index", full)
    staging_before = set(Path(tempfile.gettempdir()).glob("govqa-upload-*"))
    message = handle_upload(AppContext(qa=qa, settings=settings, staff=STAFF), str(upload), "", "", None, "",
                            "staff", "zh")
    assert "磁盘已满" in message and "无法加入" in message
    assert uploads_left(settings) in ([], ["reports.csv"])
    assert set(Path(tempfile.gettempdir()).glob("govqa-upload-*")) <= staging_before  # no staging left
    monkeypatch.undo()
    # nothing of it is indexed later either
    build_index(settings.corpus, settings.index_dir, settings, dense=False, progress=False)
    assert "uploads/海南.txt" not in QA(settings, background_dense=False).reports


def test_keyword_index_first_then_dense_in_the_background(setup):
    settings, upload = setup
    settings = load_settings(corpus=settings.corpus, index_dir=settings.index_dir, embedder="hash")
    build_index(settings.corpus, settings.index_dir, settings, dense=True, progress=False)
    qa = QA(settings, background_dense=True)
    assert qa.store.dense_ready
    report = qa.add_report(upload, title="海南省2025年政府工作报告", region="hainan", year=2025)
    assert report.id in qa.reports  # answerable at once (keyword part)
    deadline = time.time() + 60
    while not (qa.store.dense_ready and report.id in qa.store.reports) and time.time() < deadline:
        time.sleep(0.2)
    assert qa.store.dense_ready and report.id in qa.store.reports and qa.status()["dense_error"] == ""


# ---------------------------------------------------------------- 10. new reports in the public views


def choice_values(update) -> list[str]:
    return [value for _, value in update["choices"]]


def test_uploaded_reports_appear_in_the_public_views_at_the_next_generation(setup):
    from assistant.app.staff import LedgerCache
    from assistant.app.ui import build_public_app, refresh_public_views

    settings, upload = setup
    qa = QA(settings, background_dense=False)
    ledger = LedgerCache(settings)
    ctx = AppContext(qa=qa, settings=settings, staff={})
    app = build_public_app(ctx, ledger)
    items, _ = ledger.get()
    assert items and not any(f.report.startswith("uploads/") for f in items)
    seen, count, rows, region, report = refresh_public_views(ctx, ledger, "", "zh")
    assert "1" in count and [r[0] for r in rows] == [CHANGZI]
    assert "hainan" not in choice_values(region)

    # the staff app (or `govqa index`) in another QA object publishes a new generation
    QA(settings, background_dense=False).add_report(upload, title="海南省2025年政府工作报告", region="hainan",
                                                    year=2025, level="provincial")
    seen2, count, rows, region, report = refresh_public_views(ctx, ledger, seen, "zh")
    assert seen2 != seen and "2" in count
    assert [r[0] for r in rows] == [CHANGZI, "uploads/海南.txt"]
    assert "hainan" in choice_values(region) and "uploads/海南.txt" in choice_values(report)
    items, _ = ledger.get()
    assert any(f.report == "uploads/海南.txt" for f in items)  # the ledger follows too
    assert refresh_public_views(ctx, ledger, seen2, "en")[1:] == (gr.skip(),) * 4  # nothing new: no update

    # wired: on page load and on a timer, with the library, region and ledger-report widgets
    wired = [fn for fn in app.fns.values()
             if {"govqa-library", "govqa-region", "govqa-ledger-report"} <= {getattr(o, "elem_id", None) for o in fn.outputs}]
    assert wired and {event for fn in wired for _, event in fn.targets} >= {"load", "tick"}
