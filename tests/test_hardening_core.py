"""Issue 12, the core: history limits, corpus links and dot files, disk full, damaged files.

Small real corpora copied from the shared one into tmp_path, keyword-only indexes."""

from __future__ import annotations

import errno
import shutil
import time

import pytest
from test_reliability import CHANGZI, HAINAN, NATIONAL_2019, NATIONAL_2024, copy_reports

import assistant.qa as qa_module
import assistant.search.build as build_module
from assistant.cli import main as cli_main
from assistant.corpus import load_corpus
from assistant.history import MAX_TURN_CHARS, MAX_TURNS, limit_history
from assistant.qa import QA
from assistant.search import DiskFullError, IndexCorruptError, IndexStore, build_dense, build_index
from assistant.search.layout import current_generation
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
    monkeypatch.setattr(qa_module, "rewrite", lambda q, history, *rest: seen.append(list(history)) or real(q, history, *rest))
    history = [("2024年中央预算内投资拟安排多少？", "x" * 60_000)] * 10_000  # 600 M characters (one turn, repeated)
    started = time.perf_counter()
    answer = small_qa.ask("那2019年呢？", history=history)
    assert time.perf_counter() - started < 5
    assert len(seen[-1]) == MAX_TURNS and all(len(a) == MAX_TURN_CHARS for _, a in seen[-1])
    assert "5776亿元" in answer.answer  # the follow-up still works from the turns kept
    assert "对话历史" in answer.notice and "history" in answer.notice
    assert small_qa.ask("那2019年呢？", history=[(q, a[:MAX_TURN_CHARS]) for q, a in history[:2]]).notice == ""


# ---------------------------------------------------------------- 7, 11. links and dot files


def test_links_leaving_the_corpus_are_refused_and_the_others_load(tmp_path, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path / "corpus", [CHANGZI])
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("绝密：服务器口令是 hunter2。\n" * 20, encoding="utf-8")
    (root / "reports/passwd.txt").symlink_to(secret)
    (root / "reports/outside_folder").symlink_to(secret.parent, target_is_directory=True)
    (root / "reports/dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "reports/inside.md").symlink_to(root / CHANGZI)  # inside: fine (a duplicate here)
    shutil.copy(corpus_dir / NATIONAL_2019, tmp_path / "outside" / "n.txt")
    with (root / "reports.csv").open("a", encoding="utf-8") as handle:
        handle.write("reports/passwd.txt\n")  # a row for the link: still one line about it
    corpus = load_corpus(root)
    assert set(corpus.reports) == {CHANGZI}
    assert all("hunter2" not in text for text in corpus.texts.values())
    errors = "\n".join(corpus.errors)
    assert "reports/passwd.txt: a link to a file outside the corpus folder; refused" in errors
    assert "reports/outside_folder: a link to a folder outside the corpus folder; refused" in errors
    assert "reports/dangling.txt: a link to a missing file" in errors
    assert f"reports/inside.md: same text as {CHANGZI}" in errors
    assert sum("reports/passwd.txt" in line for line in corpus.errors) == 1  # named once, csv row or not


def test_dot_files_are_indexed_except_system_leftovers_and_each_skip_is_named(tmp_path, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path / "corpus", [CHANGZI])
    shutil.copy(corpus_dir / NATIONAL_2019, root / "reports/.national_2019.txt")
    (root / "reports/._national_2019.txt").write_bytes(b"\x00\x05\x16\x07" + b"\x00" * 60)  # AppleDouble
    (root / "reports/.DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 40)
    (root / "reports/notes.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (root / "README.md").write_text("# corpus\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git/config.txt").write_text("x", encoding="utf-8")
    corpus = load_corpus(root)
    assert set(corpus.reports) == {CHANGZI, "reports/.national_2019.txt"}
    assert corpus.errors == []
    skipped = "\n".join(corpus.skipped)
    for name in ("reports/._national_2019.txt", "reports/.DS_Store", "reports/notes.doc", "README.md", ".git/"):
        assert sum(line.startswith(f"{name}: ") for line in corpus.skipped) == 1, (name, skipped)
    assert "AppleDouble" in skipped and "unsupported file type .doc" in skipped


# ---------------------------------------------------------------- 12. disk full, damaged files


@pytest.fixture
def one_report(tmp_path, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path / "corpus", [CHANGZI])
    settings = load_settings(corpus=root, index_dir=tmp_path / "index")
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    return root, settings


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_during_a_build_says_so_and_removes_the_partial_generation(one_report, monkeypatch, capsys):
    root, settings = one_report
    live = current_generation(settings.index_dir)
    (root / "reports/extra.txt").write_text((root / CHANGZI).read_text(encoding="utf-8") + "\n补充。",
                                           encoding="utf-8")
    monkeypatch.setattr(build_module, "_write_records", disk_full)
    with pytest.raises(DiskFullError, match="磁盘已满") as caught:
        build_index(root, settings.index_dir, settings, dense=False, progress=False)
    assert "disk full" in str(caught.value) and str(settings.index_dir) in str(caught.value)
    assert isinstance(caught.value, OSError) and caught.value.errno == errno.ENOSPC
    assert [p.name for p in settings.index_dir.glob("gen-*")] == [live.name]  # partial one removed
    assert current_generation(settings.index_dir) == live and QA(settings, background_dense=False).reports
    code = cli_main(["index", "--keyword-only", "--corpus", str(root), "--index-dir", str(settings.index_dir)])
    err = capsys.readouterr().err
    assert code == 1 and "磁盘已满" in err and "disk full" in err and "Traceback" not in err
    monkeypatch.undo()
    assert cli_main(["index", "--keyword-only", "--corpus", str(root), "--index-dir", str(settings.index_dir)]) == 0


def test_disk_full_while_adding_the_dense_part_also_cleans_up(one_report, monkeypatch):
    _, settings = one_report
    hashed = load_settings(corpus=settings.corpus, index_dir=settings.index_dir, embedder="hash")
    live = current_generation(settings.index_dir)
    monkeypatch.setattr(build_module, "_save_npy", disk_full)
    with pytest.raises(DiskFullError, match="磁盘已满"):
        build_dense(settings.index_dir, hashed)
    assert [p.name for p in settings.index_dir.glob("gen-*")] == [live.name]
    monkeypatch.undo()
    assert build_dense(settings.index_dir, hashed).generation != live.name  # the lock was released


def test_a_damaged_lexicon_names_the_file_and_the_rebuild_command(one_report, capsys):
    root, settings = one_report
    lexicon = current_generation(settings.index_dir) / "lexicon.json"
    lexicon.write_text('{"gdp": "国内生产', encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="govqa index --rebuild") as caught:
        QA(settings, background_dense=False).ask("What is the GDP growth target?")
    assert "lexicon.json" in str(caught.value)
    code = cli_main(["ask", "长子县2024年地区生产总值增长目标是多少？", "--corpus", str(root),
                     "--index-dir", str(settings.index_dir)])
    err = capsys.readouterr().err
    assert code == 1 and "lexicon.json" in err and "govqa index --rebuild" in err and "Traceback" not in err


def test_govqa_ask_on_a_damaged_index_prints_a_message_not_a_traceback(one_report, capsys):
    root, settings = one_report
    passages = current_generation(settings.index_dir) / "passages.jsonl"
    passages.write_text(passages.read_text(encoding="utf-8")[:500], encoding="utf-8")
    code = cli_main(["ask", "长子县2024年地区生产总值增长目标是多少？", "--corpus", str(root),
                     "--index-dir", str(settings.index_dir)])
    err = capsys.readouterr().err
    assert code == 1 and "passages.jsonl" in err and "govqa index --rebuild" in err
    (root / "history.json").write_text("[[", encoding="utf-8")
    assert cli_main(["ask", "q", "--history", str(root / "history.json"), "--corpus", str(root)]) == 2
    assert "history.json" in capsys.readouterr().err


# ---------------------------------------------------------------- 8. uploads and `govqa index`


def test_govqa_index_keeps_the_uploads_of_that_index(one_report, corpus_dir, capsys):
    root, settings = one_report
    upload = root.parent / "staff" / "hainan.txt"
    upload.parent.mkdir()
    shutil.copy(corpus_dir / HAINAN, upload)
    qa = QA(settings, background_dense=False)
    report = qa.add_report(upload, title="海南省2025年政府工作报告（上传）", region="hainan", year=2025,
                           level="provincial")
    assert report.id == "uploads/hainan.txt"
    args = ["--corpus", str(root), "--index-dir", str(settings.index_dir)]
    for extra in ([], ["--rebuild"]):
        assert cli_main(["index", "--keyword-only", *extra, *args]) == 0
        out = capsys.readouterr().out
        assert "removed" not in out or "uploads/hainan.txt" not in out, out
        store = IndexStore.open(settings.index_dir, settings, check_settings=False)
        assert set(store.reports) == {CHANGZI, "uploads/hainan.txt"}, extra
        assert store.reports["uploads/hainan.txt"].title == "海南省2025年政府工作报告（上传）"
        assert store.rows_of("uploads/hainan.txt").stop > store.rows_of("uploads/hainan.txt").start
        answer = QA(settings, background_dense=False).ask("海南2025年地区生产总值增长目标是多少？")
        assert any(c.report == "uploads/hainan.txt" for c in answer.citations), answer.answer
    assert cli_main(["reports", *args]) == 0
    assert "uploads/hainan.txt" in capsys.readouterr().out
