"""Reliability and security (issue 7): bad input at the index level, faults, a small load run,
and what anonymous users can reach. Cases already covered elsewhere are listed in
docs/reliability.md; the tests here fill the gaps. Real reports from the shared corpus are copied
into tmp_path; indexes are keyword-only (real BM25) so the file stays fast."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import httpx
import pytest

from assistant.corpus import load_corpus
from assistant.qa import QA
from assistant.search import IndexCorruptError, IndexStore, build_index
from assistant.search.layout import current_generation
from assistant.settings import REPO_ROOT, load_settings
from assistant.uploads import add_upload, safe_filename

GOVQA = Path(sys.executable).parent / "govqa"
NATIONAL_2024, NATIONAL_2019 = "reports/national_china_2024.txt", "reports/national_china_2019.txt"
CHANGZI, HAINAN = "reports/county_changzi_2024.txt", "reports/provincial_hainan_2025.txt"


def copy_reports(corpus_dir: Path, target: Path, ids: list[str]) -> Path:
    """A small real corpus: the given reports and their reports.csv rows."""
    (target / "reports").mkdir(parents=True)
    for report_id in ids:
        shutil.copy(corpus_dir / report_id, target / report_id)
    with (corpus_dir / "reports.csv").open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["file"] in ids]
        fields = reader.fieldnames
    write_csv(target / "reports.csv", fields, rows)
    return target


def write_csv(path: Path, fields, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def real_png() -> bytes:
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2, 2))
    figure.text(0.1, 0.5, "binary")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def truncated_pdf(path: Path) -> None:
    """A real 3-page text PDF (matplotlib's PDF backend), cut in half."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    full = path.with_name("full.pdf.tmp")
    with PdfPages(full) as pdf:
        for page in range(3):
            figure = plt.figure(figsize=(8.27, 11.69))
            for line in range(30):
                figure.text(0.05, 0.95 - line * 0.03, f"Page {page} line {line}: GDP growth target of around 5%.")
            pdf.savefig(figure)
            plt.close(figure)
    data = full.read_bytes()
    full.unlink()
    path.write_bytes(data[: len(data) // 2])


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory, corpus_dir) -> Path:
    """Two good reports, a GBK one without declaration, and every kind of bad input beside them."""
    root = copy_reports(corpus_dir, tmp_path_factory.mktemp("bad") / "corpus", [NATIONAL_2024, CHANGZI, HAINAN])
    hainan = root / HAINAN
    hainan.write_bytes(hainan.read_text(encoding="utf-8").encode("gbk"))
    (root / "reports/empty.txt").write_bytes(b"")
    (root / "reports/picture.txt").write_bytes(real_png())
    truncated_pdf(root / "reports/truncated.pdf")
    shutil.copy(root / CHANGZI, root / "reports/z_same_as_changzi.txt")
    with (root / "reports.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, fields = list(reader), reader.fieldnames
    for row in rows:
        if row["file"] == CHANGZI:
            row["year"] = "二〇二四"
    rows.append({**rows[0], "file": "reports/national_china_2099.txt", "year": "2099"})
    write_csv(root / "reports.csv", fields, rows)
    return root


@pytest.fixture(scope="module")
def cli_index(bad_corpus, tmp_path_factory):
    """`govqa index --keyword-only` run as a real subprocess on the bad corpus."""
    index_dir = tmp_path_factory.mktemp("bad-index") / "index"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GOVQA_INDEX_DIR": str(index_dir)}
    done = subprocess.run([str(GOVQA), "index", "--keyword-only", "--corpus", str(bad_corpus),
                           "--index-dir", str(index_dir)], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300)
    return index_dir, done


def test_govqa_index_names_each_bad_file_and_indexes_the_others(cli_index):
    index_dir, done = cli_index
    assert done.returncode == 0, done.stderr[-2000:]
    skipped = [line for line in done.stdout.splitlines() if line.startswith("problem: ")]
    expected = ["reports/empty.txt: empty file", "reports/picture.txt: not UTF-8 or GB18030 text",
                "reports/truncated.pdf: broken PDF",
                f"reports/z_same_as_changzi.txt: same text as {CHANGZI}; skipped as a duplicate",
                "reports.csv names reports/national_china_2099.txt, but the file is missing",
                f"{CHANGZI}: bad year '二〇二四'"]
    for part in expected:
        assert sum(part in line for line in skipped) == 1, (part, done.stdout)
    assert len(skipped) == len(expected)
    assert "index: 3 reports" in done.stdout and "3 added" in done.stdout


def test_bad_input_leaves_one_complete_index_of_the_good_reports(cli_index, bad_corpus, corpus_dir):
    index_dir, _ = cli_index
    settings = load_settings(corpus=bad_corpus, index_dir=index_dir)
    store = IndexStore.open(index_dir, settings)
    assert set(store.reports) == {NATIONAL_2024, CHANGZI, HAINAN}
    assert store.reports[CHANGZI].year == 2024  # the bad CSV year was read from the text instead
    # nothing half-written: one generation, the live one, and no temporary files
    assert [p.name for p in index_dir.iterdir() if p.name.startswith("gen-")] == [current_generation(index_dir).name]
    assert not list(index_dir.rglob("*.tmp*"))
    # the GBK file was decoded: its passages are the original Chinese text
    text = (corpus_dir / HAINAN).read_text(encoding="utf-8")
    passages = store.passages_of(HAINAN)
    assert passages and all(p.text in text for p in passages)
    qa = QA(settings, store=store)
    answer = qa.ask("海南2025年地区生产总值增长目标是多少？")
    assert answer.answerable and answer.citations[0].report == HAINAN
    assert qa.source_text(HAINAN)[answer.citations[0].start:answer.citations[0].end] == answer.citations[0].text


def test_removed_and_broken_reports_leave_answers_after_reindex(tmp_path, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path / "corpus", [NATIONAL_2024, NATIONAL_2019, CHANGZI])
    settings = load_settings(corpus=root, index_dir=tmp_path / "index")
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    before = QA(settings, background_dense=False).ask("2019年中央预算内投资安排多少？")
    assert "5776亿元" in before.answer and before.citations[0].report == NATIONAL_2019
    (root / NATIONAL_2019).unlink()
    (root / CHANGZI).write_bytes(real_png())  # replaced by something unreadable
    summary = build_index(root, settings.index_dir, settings, dense=False, progress=False)
    assert summary.removed == sorted([NATIONAL_2019, CHANGZI])
    assert any(e.startswith(f"{CHANGZI}: not UTF-8 or GB18030 text") for e in summary.errors)
    qa = QA(settings, background_dense=False)
    assert set(qa.store.reports) == {NATIONAL_2024}
    assert all(p.report == NATIONAL_2024 for p in qa.store.passages)
    after = qa.ask("2019年中央预算内投资安排多少？")
    assert "5776" not in after.answer and all(c.report == NATIONAL_2024 for c in after.citations)
    county = qa.ask("长子县2024年地区生产总值增长目标是多少？")
    assert all(c.report != CHANGZI for c in county.citations)


def test_a_running_qa_follows_a_reindex(tmp_path, corpus_dir):
    """A server's QA object picks up the new index generation: a removed report is gone at once."""
    root = copy_reports(corpus_dir, tmp_path / "corpus", [NATIONAL_2024, NATIONAL_2019])
    settings = load_settings(corpus=root, index_dir=tmp_path / "index")
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    qa = QA(settings, background_dense=False)
    assert "5776亿元" in qa.ask("2019年中央预算内投资安排多少？").answer
    (root / NATIONAL_2019).unlink()
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    after = qa.ask("2019年中央预算内投资安排多少？")
    assert not after.answerable and "5776" not in after.answer
    assert set(qa.reports) == {NATIONAL_2024}


def test_uploads_named_like_skipped_files_or_duplicating_a_report(tmp_path, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path / "corpus", [CHANGZI])
    settings = load_settings(corpus=root, index_dir=tmp_path / "index")
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    qa = QA(settings, background_dense=False)
    readme = tmp_path / "README.md"
    readme.write_text("2026年测试县政府工作报告\n\n今年新建标准化厂房12万平方米。\n", encoding="utf-8")
    report = qa.add_report(readme, title="2026年测试县政府工作报告", year=2026)
    assert report.id == "uploads/upload_README.md" and report.year == 2026
    copy = tmp_path / "copy.txt"
    shutil.copy(corpus_dir / CHANGZI, copy)
    with pytest.raises(ValueError, match=f"same text as {CHANGZI}"):
        qa.add_report(copy)
    assert not (settings.index_dir / "uploads" / "copy.txt").exists()  # nothing half-added
    assert set(qa.reports) == {CHANGZI, "uploads/upload_README.md"}


def test_50_mb_file_is_read_and_61_mb_refused_by_name(tmp_path, corpus_dir):
    text = (corpus_dir / NATIONAL_2024).read_text(encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    with (reports / "big.txt").open("w", encoding="utf-8") as handle:
        for part in range(50_000_000 // len(text.encode("utf-8")) + 1):
            handle.write(f"\n第{part}部分\n{text}")
    with (reports / "huge.txt").open("wb") as handle:  # sparse: its size alone is refused
        handle.truncate(61 * 2**20)
    shutil.copy(corpus_dir / CHANGZI, reports / "small.txt")
    corpus = load_corpus(tmp_path)
    assert sorted(corpus.reports) == ["reports/big.txt", "reports/small.txt"]
    assert len(corpus.texts["reports/big.txt"]) > 16_000_000
    assert corpus.errors == ["reports/huge.txt: too large (61.0 MB > 60 MB)"]


def test_build_failing_midway_keeps_the_live_index_and_the_next_build_cleans_up(tmp_path, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path / "corpus", [CHANGZI])
    settings = load_settings(index_dir=tmp_path / "index", embedder="hash")
    build_index(root, settings.index_dir, settings, progress=False)
    live = current_generation(settings.index_dir)
    broken = load_settings(index_dir=settings.index_dir, embedder="no-such-embedder")
    with pytest.raises(ValueError, match="no-such-embedder"):
        build_index(root, settings.index_dir, broken, progress=False)
    assert current_generation(settings.index_dir) == live
    assert IndexStore.open(settings.index_dir, settings).dense_ready
    build_index(root, settings.index_dir, settings, progress=False)  # the lock was released
    assert len(list(settings.index_dir.glob("gen-*"))) == 2  # new + previous; the failed one removed


def test_qa_and_serve_on_a_damaged_index_name_the_rebuild_command(tmp_path, corpus_dir):
    root = copy_reports(corpus_dir, tmp_path / "corpus", [CHANGZI])
    settings = load_settings(corpus=root, index_dir=tmp_path / "index")
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    passages = current_generation(settings.index_dir) / "passages.jsonl"
    passages.write_text(passages.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="govqa index --rebuild"):
        QA(settings, background_dense=False)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([str(GOVQA), "serve", "--corpus", str(root), "--index-dir", str(settings.index_dir),
                           "--port", str(free_port())], env=env, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1 and "govqa index --rebuild" in done.stderr and "Traceback" not in done.stderr


NASTY_NAMES = ["../../etc/passwd.txt", "/etc/passwd.txt", "C:\\Windows\\System32\\drivers.txt",
               "..\\..\\boot.ini.txt", "．．／．．／etc／passwd.txt", "report\u202etxt.pdf", "a\x00b\nc.txt",
               "..", "...txt", "~/.ssh/authorized_keys.md", "\\\\server\\share\\x.docx", "%2e%2e%2fx.txt",
               "CON.txt", "报告" * 100 + ".txt"]


@pytest.mark.parametrize("name", NASTY_NAMES)
def test_upload_names_stay_inside_the_upload_folder(name, tmp_path):
    safe = safe_filename(name)
    folder = tmp_path / "uploads"
    assert (folder / safe).resolve().parent == folder.resolve()
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".") and len(safe) <= 90
    assert not any(unicodedata.category(ch).startswith("C") for ch in safe)


def test_add_upload_with_path_like_file_names_writes_only_into_uploads(tmp_path, corpus_dir):
    settings = load_settings(index_dir=tmp_path / "index")
    text = (corpus_dir / CHANGZI).read_bytes()
    staging = tmp_path / "staging"
    staging.mkdir()
    stored = []
    for name in ("..\\..\\evil.txt", "．．／．．／etc／passwd.txt", "report\u202etxt.md"):
        path = staging / name  # a legal Linux file name: no '/' in it
        path.write_bytes(text)
        stored.append(add_upload(settings, path))
    uploads = settings.index_dir / "uploads"
    assert stored == ["uploads/evil.txt", "uploads/passwd.txt", "uploads/report_txt.md"]
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(["index/uploads/evil.txt", "index/uploads/passwd.txt", "index/uploads/report_txt.md",
                              "index/uploads/reports.csv", *(f"staging/{p.name}" for p in staging.iterdir())])
    assert all((uploads / s.split("/", 1)[1]).read_bytes() == text for s in stored)


# ---------------------------------------------------------------- the running app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def anonymous_server(tmp_path_factory, corpus_dir):
    """`govqa serve` with default host, no staff login, over a small real keyword index."""
    root = copy_reports(corpus_dir, tmp_path_factory.mktemp("app") / "corpus", [NATIONAL_2024, NATIONAL_2019])
    settings = load_settings(corpus=root, index_dir=root.parent / "index")
    build_index(root, settings.index_dir, settings, dense=False, progress=False)
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    for key in ("GOVQA_STAFF_USER", "GOVQA_STAFF_PASSWORD"):
        env.pop(key, None)
    log = root.parent / "serve.log"
    process = subprocess.Popen([str(GOVQA), "serve", "--keyword-only", "--port", str(port), "--corpus", str(root),
                                "--index-dir", str(settings.index_dir)], env=env, cwd=REPO_ROOT,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def listening_addresses(port: int) -> set[str]:
    """Local addresses of sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_server_binds_loopback_only_by_default(anonymous_server):
    _, port = anonymous_server
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, not 0.0.0.0 (00000000) or ::


def test_anonymous_api_offers_only_public_endpoints(anonymous_server):
    from gradio_client import Client

    url, _ = anonymous_server
    api = Client(url, verbose=False).view_api(return_format="dict", print_info=False)
    assert set(api["named_endpoints"]) == {"/ask", "/status", "/reports"}
    assert not api["unnamed_endpoints"]
    for path in ("staff/", "staff/config", "staff/gradio_api/info", "staff/gradio_api/call/upload_report"):
        assert httpx.post(url + path, json={"data": []}, timeout=10).status_code in (404, 405), path
        assert httpx.get(url + path, timeout=10).status_code == 404, path


def test_over_long_question_through_the_api_is_cut_politely(anonymous_server):
    import json

    from gradio_client import Client

    url, _ = anonymous_server
    question = "2024年中央预算内投资安排多少？" + "请详细说明" * 400
    payload = json.loads(Client(url, verbose=False).predict(question, "[]", "{}", api_name="/ask"))
    assert len(payload["question"]) == 500 and "500" in payload["question_notice"]
    assert payload["answer"]  # an answer (or a polite refusal), not an error


def test_load_script_smoke_and_loopback_only(anonymous_server):
    url, _ = anonymous_server
    command = [sys.executable, "-m", "assistant.evaluation.load", "--conversations", "2", "--questions", "2",
               "--timeout", "120"]
    done = subprocess.run([*command, "--url", url], cwd=REPO_ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "answered: 4" in done.stdout and "errors: 0" in done.stdout and "p95" in done.stdout
    refused = subprocess.run([*command, "--url", "http://192.0.2.1:80/"], cwd=REPO_ROOT, capture_output=True,
                             text=True, timeout=60)
    assert refused.returncode != 0 and "only loopback" in refused.stderr


def test_load_script_with_heavy_clients_reports_both_phases(anonymous_server):
    """Issue 12's load run in small: the conversations alone, then beside clients sending
    histories at the limits; errors and p50/p95 of both phases, and the p95 ratio is checked."""
    url, _ = anonymous_server
    command = [sys.executable, "-m", "assistant.evaluation.load", "--url", url, "--conversations", "2",
               "--questions", "2", "--heavy-clients", "2", "--timeout", "120"]
    done = subprocess.run([*command, "--max-p95-ratio", "1000"], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=240)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    without, with_heavy = out.split("== without heavy clients")[1].split("== with heavy clients")
    assert "answered: 4" in without and "errors: 0" in without and "p95" in without
    assert "answered: 4" in with_heavy and "errors: 0" in with_heavy
    assert "heavy clients: 2, each history 10 turns x 1000 characters" in with_heavy
    assert "normal-question p95 with / without heavy clients" in out and "machine load (uptime)" in out
    strict = subprocess.run([*command, "--max-p95-ratio", "0.001"], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=240)
    assert strict.returncode == 1 and "limit 0.001x" in strict.stdout
