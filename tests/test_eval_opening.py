"""`govqa eval run` over what the index has: no surprise dense build, and a concurrent build
(the index lock) is waited for or reported, never a traceback (assistant/evaluation/opening.py)."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest
from test_eval import run_cli, tiny_corpus  # noqa: F401 (a fixture)

from assistant.evaluation import opening
from assistant.search.layout import LOCK, BuildLock, IndexLockedError


def test_build_holder_reads_the_lock_file_only(tmp_path):
    assert opening.build_holder(tmp_path) is None
    (tmp_path / LOCK).write_text("")
    assert opening.build_holder(tmp_path) is None
    (tmp_path / LOCK).write_text(f"pid {os.getpid()} since 10:00:00")
    assert opening.build_holder(tmp_path) == f"pid {os.getpid()} since 10:00:00"
    (tmp_path / LOCK).write_text("pid 999999999 since 10:00:00")  # that process is gone
    assert opening.build_holder(tmp_path) is None
    with BuildLock(tmp_path):
        assert opening.build_holder(tmp_path).startswith(f"pid {os.getpid()}")
    assert opening.build_holder(tmp_path) is None


def test_open_system_waits_for_the_lock_then_gives_up(tmp_path, monkeypatch):
    monkeypatch.setattr(opening, "POLL_S", 0.01)
    tries, said = [], []

    def make():
        tries.append(1)
        if len(tries) < 3:
            raise IndexLockedError("another index build is running")
        return "system"

    assert opening.open_system(make, tmp_path, 5, said.append) == "system"
    assert len(tries) == 3 and len(said) == 1 and "waiting for the index build" in said[0]
    with pytest.raises(opening.IndexBusyError, match="gave up after waiting 0 s"):
        opening.open_system(lambda: (_ for _ in ()).throw(IndexLockedError("locked")), tmp_path, 0, said.append)


def eval_args(root, set_path, out, index_dir, *extra):
    return ("eval", "run", set_path, "--out", out, "--corpus", root, "--index-dir", index_dir, "--quiet", *extra)


def test_run_on_a_keyword_index_says_so_and_builds_nothing(tiny_corpus, tmp_path, capsys):  # noqa: F811
    root, set_path = tiny_corpus
    index_dir = tmp_path / "index"
    assert run_cli("index", "--keyword-only", "--corpus", root, "--index-dir", index_dir) == 0
    generations = sorted(p.name for p in index_dir.glob("gen-*"))
    capsys.readouterr()
    assert run_cli(*eval_args(root, set_path, tmp_path / "out", index_dir)) == 0
    err = capsys.readouterr().err
    assert "no dense vectors: answering with keyword (BM25) retrieval only" in err
    assert sorted(p.name for p in index_dir.glob("gen-*")) == generations  # nothing was built
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["settings"]["dense"] is False

    with BuildLock(index_dir):  # a server building its dense part: answer from what exists
        assert run_cli(*eval_args(root, set_path, tmp_path / "out2", index_dir)) == 0
    assert "an index build is running now: pid" in capsys.readouterr().err


def test_run_while_another_process_builds_a_missing_index(tiny_corpus, tmp_path, capsys):  # noqa: F811
    root, set_path = tiny_corpus
    index_dir = tmp_path / "fresh"
    with BuildLock(index_dir):
        code = run_cli(*eval_args(root, set_path, tmp_path / "out", index_dir, "--wait", "0.5"))
    err = capsys.readouterr().err
    assert code == 3 and "another index build is running" in err and "gave up after waiting" in err
    assert "Traceback" not in err

    lock = BuildLock(index_dir)
    lock.__enter__()
    threading.Timer(1.5, lambda: lock.__exit__(None, None, None)).start()
    started = time.monotonic()
    assert run_cli(*eval_args(root, set_path, tmp_path / "out", index_dir, "--wait", "60")) == 0
    assert time.monotonic() - started >= 1.4
    assert "waiting for the index build" in capsys.readouterr().err


def test_eval_check_and_run_take_csv(tiny_corpus, tmp_path, capsys):  # noqa: F811
    root, _ = tiny_corpus
    csv_set = tmp_path / "set.csv"
    csv_set.write_text("question,answers,evidence,report,type\n"
                       "2024年政府工作报告提出的国内生产总值增长目标是多少？,5%左右,国内生产总值增长5%左右,"
                       "reports/national_china_2024.txt,national\n"
                       "2023年国务院政府工作报告提出的经济增长目标是多少？,,,,unanswerable\n", encoding="utf-8")
    assert run_cli("eval", "check", csv_set, "--corpus", root) == 0
    assert "2 questions, 1 unanswerable" in capsys.readouterr().out
    assert run_cli(*eval_args(root, csv_set, tmp_path / "out", tmp_path / "index")) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("question,answers,evidence,report\nq,1,,\n", encoding="utf-8")
    assert run_cli("eval", "check", bad, "--corpus", root) == 2
    assert f"{bad}, line 2: column 'answers' is set" in capsys.readouterr().err
