"""Issue 12, the core: history limits, corpus links and dot files, disk full, damaged files.

Small real corpora copied from the shared one into tmp_path, keyword-only indexes."""

from __future__ import annotations

import time

import pytest
from test_reliability import NATIONAL_2019, NATIONAL_2024, copy_reports

import assistant.qa as qa_module
from assistant.history import MAX_TURN_CHARS, MAX_TURNS, limit_history
from assistant.qa import QA
from assistant.search import build_index
from assistant.settings import load_settings


@pytest.fixture(scope="module")
def small_qa(tmp_path_factory, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path_factory.mktemp("small") / "corpus", [NATIONAL_2024, NATIONAL_2019])
    settings = load_settings(corpus=root, index_dir=root.parent / "index")
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    return QA(settings, background_dense=False)


# ---------------------------------------------------------------- 5. history limits


def test_limit_history_keeps_the_last_turns_cut_to_the_limit():
    turns = [(f"问题{i}", "答" * (MAX_TURN_CHARS + 5 if i == 9_999 else 10)) for i in range(10_000)]
    kept, notice = limit_history(turns)
    assert [q for q, _ in kept] == [f"问题{i}" for i in range(10_000 - MAX_TURNS, 10_000)]
    assert len(kept[-1][1]) == MAX_TURN_CHARS and kept[0][1] == "答" * 10
    assert "10000" in notice and f"最近 {MAX_TURNS} 轮" in notice and f"last {MAX_TURNS}" in notice
    assert f"{MAX_TURN_CHARS}" in notice and "1 轮" in notice
    assert limit_history([("q", "a")]) == ([("q", "a")], "")
    assert limit_history(iter([(1, None)] * 3)) == ([("1", "None")] * 3, "")


def test_huge_history_is_cut_at_the_entry_and_said_so(small_qa, monkeypatch):
    seen = []
    real = qa_module.rewrite
    monkeypatch.setattr(qa_module, "rewrite", lambda q, history: seen.append(list(history)) or real(q, history))
    history = [("2024年中央预算内投资拟安排多少？", "x" * 60_000)] * 10_000  # 600 M characters (one turn, repeated)
    started = time.perf_counter()
    answer = small_qa.ask("那2019年呢？", history=history)
    assert time.perf_counter() - started < 5
    assert len(seen[-1]) == MAX_TURNS and all(len(a) == MAX_TURN_CHARS for _, a in seen[-1])
    assert "5776亿元" in answer.answer  # the follow-up still works from the turns kept
    assert "对话历史" in answer.notice and "history" in answer.notice
    assert small_qa.ask("那2019年呢？", history=[(q, a[:MAX_TURN_CHARS]) for q, a in history[:2]]).notice == ""
