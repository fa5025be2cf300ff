"""The 评测 / Evaluate view of the staff app in a real headless Chromium against `govqa serve`
(keyword index of the real corpus, as in test_app_browser.py): upload a CSV set, run it, open a
wrong answer's source, download a run, compare two runs. Screenshots: evaluate*.png."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from test_app_browser import SCREENSHOTS, STAFF, Server, browser, index_dir, page, shoot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

HEADER = "id,question,answers,all_answers,evidence,report,type,history\n"
N2024 = "reports/national_china_2024.txt"
N2019 = "reports/national_china_2019.txt"


def csv_set(tmp_path: Path, name: str, gold_2024: str, gold_2019: str) -> Path:
    """r1/r2: investment questions whose gold answers we choose; r3: no 2023 State Council report."""
    path = tmp_path / name
    path.write_text(HEADER + (
        f"r1,2024年中央预算内投资安排多少？,{gold_2024},,中央预算内投资拟安排7000亿元,{N2024},number,\n"
        f"r2,2019年中央预算内投资安排多少？,{gold_2019},,今年中央预算内投资安排5776亿元,{N2019},number,\n"
        "r3,2023年国务院政府工作报告提出的经济增长目标是多少？,,,,,unanswerable,\n"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(index_dir, tmp_path_factory):  # noqa: F811
    staff = Server(index_dir, STAFF, tmp_path_factory.mktemp("logs") / "staff.log")
    try:
        staff.wait()
        yield staff
    finally:
        staff.stop()


def open_evaluate(page, url: str) -> None:  # noqa: F811
    page.goto(url + "/staff/")
    page.locator("input[type=text]").first.fill(STAFF[0])
    page.locator("input[type=password]").fill(STAFF[1])
    page.get_by_role("button", name=re.compile("^(Login|登录)$")).click()
    page.wait_for_selector("#govqa-upload-file")
    page.get_by_role("tab", name="评测").click()
    page.wait_for_selector("#govqa-eval-file")


def upload_set(page, path: Path) -> str:  # noqa: F811
    """Upload a set (clearing the one shown first) and return the check's message."""
    file_input = page.locator("#govqa-eval-file input[type=file]")
    if file_input.count() == 0:
        page.locator("#govqa-eval-file button[aria-label='清除'], #govqa-eval-file button[aria-label='Clear']").click()
        file_input.wait_for(state="attached")
    file_input.set_input_files(str(path))
    page.wait_for_function("name => (document.querySelector('#govqa-eval-check')?.innerText ?? '').includes(name)",
                           arg=path.name)
    page.wait_for_timeout(300)
    return page.inner_text("#govqa-eval-check")


def run_set(page, name: str) -> None:  # noqa: F811
    """Run the uploaded set and wait until this run (not an earlier one) is finished and shown."""
    before = page.inner_text("#govqa-eval-progress")
    page.click("#govqa-eval-run")
    # a new run id after 完成 (the loading overlay's timer text changes the element too, and the
    # previous run's 完成 line stays until this run's first update: neither means this run is done)
    page.wait_for_function("before => { const now = (document.querySelector('#govqa-eval-progress')?.innerText ?? '')"
                           ".match(/完成：(\\S+)/); const was = before.match(/完成：(\\S+)/);"
                           " return now !== null && (was === null || now[1] !== was[1]); }",
                           arg=before, timeout=180_000)
    page.wait_for_function("name => (document.querySelector('#govqa-eval-summary')?.innerText ?? '').includes(name)"
                           " && (document.querySelector('#govqa-eval-summary')?.innerText ?? '').includes("
                           "(document.querySelector('#govqa-eval-progress')?.innerText ?? '').split('：')[1]?.split(' ')[0])",
                           arg=name, timeout=120_000)


def choose(page, elem_id: str, text: str) -> None:  # noqa: F811
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option").filter(has_text=text).first.click()


def test_upload_a_csv_set_run_it_and_open_a_wrong_answers_source(server, page, tmp_path):  # noqa: F811
    open_evaluate(page, server.url)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"x1,问题,1,maybe,证据,{N2024},,\nx2,问题二,1,,,{N2024},,\n", encoding="utf-8")
    message = upload_set(page, bad)
    assert "bad.csv, line 2: column 'all_answers' must be true or false" in message
    assert "bad.csv, line 3: column 'answers' is set but 'evidence' is empty" in message

    good = csv_set(tmp_path, "set_a.csv", "7000亿元", "9999亿元")  # r2's gold is wrong on purpose
    assert "set_a.csv：3 个问题（1 个无答案题）" in upload_set(page, good)
    run_set(page, "set_a.csv")
    assert page.locator("#govqa-eval-progress progress").count() == 1
    metrics = page.inner_text("#govqa-eval-metrics")
    assert "overall_correct" in metrics and "n/a" in metrics
    row = page.locator("#govqa-eval-metrics-table tr", has_text="overall_correct").inner_text()
    assert "0.667" in row
    assert page.locator("#govqa-eval-charts img[data-chart='metrics_by_type.png']").count() == 1
    assert "正确" in page.inner_text("#govqa-eval-outcomes")

    wrong = page.locator("#govqa-eval-wrong .govqa-wrong")
    assert wrong.count() == 1
    item = page.locator("#govqa-eval-wrong .govqa-wrong[data-id='r2']")
    text = item.inner_text()
    assert "2019年中央预算内投资安排多少？" in text and "9999亿元" in text and "5776亿元" in text
    assert "5776亿元" in item.locator(".govqa-passage mark").first.inner_text()
    card = item.locator(".govqa-wrong-source .govqa-card").first
    assert not card.is_visible()
    item.locator(".govqa-wrong-source > summary").click()
    assert card.is_visible()
    assert "2019年国务院政府工作报告" in card.locator(".govqa-title").inner_text()
    assert "5776亿元" in card.locator(".govqa-passage mark").inner_text()
    card.locator(".govqa-context summary").click()
    assert card.locator(".govqa-context-text").is_visible()
    shoot(page, "evaluate.png")
    item.screenshot(path=str(SCREENSHOTS / "evaluate_wrong.png"))

    with page.expect_download() as download_info:
        page.click("#govqa-eval-zip")
    with zipfile.ZipFile(download_info.value.path()) as archive:
        names = {Path(n).name for n in archive.namelist()}
    assert {"predictions.jsonl", "metrics.json", "report.md", "metrics_by_type.png", "set.jsonl",
            "run.json"} <= names


def test_compare_two_runs_shows_deltas_and_flipped_questions(server, page, tmp_path):  # noqa: F811
    open_evaluate(page, server.url)
    upload_set(page, csv_set(tmp_path, "set_a.csv", "7000亿元", "9999亿元"))
    run_set(page, "set_a.csv")
    upload_set(page, csv_set(tmp_path, "set_b.csv", "8000亿元", "5776亿元"))  # r1 now wrong, r2 right
    run_set(page, "set_b.csv")
    choose(page, "govqa-eval-a", "set_a.csv")
    choose(page, "govqa-eval-b", "set_b.csv")
    page.click("#govqa-eval-compare")
    page.wait_for_function("() => (document.querySelector('#govqa-eval-diff')?.innerText ?? '').includes('错→对')")
    diff = page.inner_text("#govqa-eval-diff")
    assert "对→错（1）" in diff and "错→对（1）" in diff and "different question sets" in diff
    assert page.locator("#govqa-eval-diff .govqa-flip-rw li[data-id='r1']").count() == 1
    assert page.locator("#govqa-eval-diff .govqa-flip-wr li[data-id='r2']").count() == 1
    assert "overall_correct" in diff
    page.locator("#govqa-eval-diff").screenshot(path=str(SCREENSHOTS / "evaluate_compare.png"))
