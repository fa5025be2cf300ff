"""The web app in a real headless Chromium against `govqa serve` on the real corpus.

Two real servers run as subprocesses on free ports over a keyword-only index built into a tmp
folder: one with a staff login (upload at /staff) and one anonymous (no upload at all).
Screenshots are saved into /tmp/govqa-screenshots/ (docs/screenshots/ with GOVQA_UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
GOVQA = [sys.executable, "-m", "assistant.cli"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# GOVQA_UPDATE_SCREENSHOTS=1 refreshes the pictures in docs/ (the README's); otherwise they go to /tmp
SCREENSHOTS = (REPO / "docs" / "screenshots" if os.environ.get("GOVQA_UPDATE_SCREENSHOTS")
               else Path(tempfile.gettempdir()) / "govqa-screenshots")
STAFF = ("staff", "s3cret-pass")
XSS = "<img src=x onerror=window.__xss=1>"


def _env(index_dir: Path) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
           "GOVQA_INDEX_DIR": str(index_dir), "PYTHONUNBUFFERED": "1"}
    env.setdefault("GOVQA_CORPUS", str(REPO.parent / "shared" / "corpus"))
    for key in ("GOVQA_STAFF_USER", "GOVQA_STAFF_PASSWORD", "GOVQA_MODE"):
        env.pop(key, None)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("app") / "index"
    done = subprocess.run([*GOVQA, "index", "--keyword-only", "--index-dir", str(folder)], env=_env(folder),
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


class Server:
    def __init__(self, index_dir: Path, auth: tuple[str, str] | None, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [*GOVQA, "serve", "--port", str(self.port), "--index-dir", str(index_dir), "--keyword-only"]
        if auth:
            command += ["--auth", ":".join(auth)]
        self.log = log
        self.process = subprocess.Popen(command, env=_env(index_dir), cwd=REPO, stdout=log.open("w"),
                                        stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(self.url + "/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"server did not start in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def servers(index_dir, tmp_path_factory):
    """(staff server, anonymous server); the anonymous one reads its own copy of the index."""
    logs = tmp_path_factory.mktemp("logs")
    anon_index = index_dir.parent / "index-anon"
    shutil.copytree(index_dir, anon_index)
    staff = Server(index_dir, STAFF, logs / "staff.log")
    anon = Server(anon_index, None, logs / "anon.log")
    try:
        staff.wait()
        anon.wait()
        yield staff, anon
    finally:
        staff.stop()
        anon.stop()


@pytest.fixture(scope="module")
def server(servers):
    return servers[0]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def open_app(page, url: str):
    page.goto(url + "/")
    page.wait_for_selector("#govqa-question textarea")
    return page


def ask(page, question: str, answers_before: int):
    """Type a question, submit it, and wait until its final answer (with the mode line) is shown."""
    page.fill("#govqa-question textarea", question)
    page.click("#govqa-ask")
    bot = page.locator("#govqa-chat .bot")
    page.wait_for_function(
        "([n, words]) => { const m = document.querySelectorAll('#govqa-chat .bot');"
        " return m.length > n && words.some(w => m[m.length - 1].innerText.includes(w)); }",
        arg=[answers_before, ["回答方式", "Answer mode", "出错了", "went wrong"]])
    return bot.last.inner_text()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_chat_answer_with_cited_card_context_and_follow_up(server, page):
    open_app(page, server.url)
    answer = ask(page, "2024年中央预算内投资安排多少？", 0)
    assert "7000亿元" in answer and "[1]" in answer
    card = page.locator("#govqa-cards .govqa-card").first
    assert "2024年国务院政府工作报告" in card.locator(".govqa-title").inner_text()
    assert "中央预算内投资拟安排7000亿元" in card.locator(".govqa-passage mark").inner_text()
    assert "扩大有效投资" in card.locator(".govqa-heading").inner_text()
    context = card.locator(".govqa-context-text")
    assert not context.is_visible()
    card.locator(".govqa-context summary").click()
    assert context.is_visible() and len(context.inner_text()) > len(card.locator(".govqa-passage").inner_text())
    shoot(page, "chat.png")

    follow_up = ask(page, "那2019年呢？", 1)
    assert "5776亿元" in follow_up
    titles = page.locator("#govqa-cards .govqa-title").all_inner_texts()
    assert any("2019年国务院政府工作报告" in title for title in titles)

    page.click("#govqa-new")
    page.wait_for_function("() => document.querySelectorAll('#govqa-chat .bot').length === 0")
    assert "暂无出处" in page.inner_text("#govqa-cards")


def test_question_with_html_is_shown_as_text_and_never_runs(server, page):
    open_app(page, server.url)
    ask(page, XSS + " 2024年中央预算内投资安排多少？", 0)
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert XSS in page.inner_text("#govqa-chat")
    assert page.locator("#govqa-chat img[src='x']").count() == 0


def test_long_question_is_cut_with_a_message(server, page):
    open_app(page, server.url)
    answer = ask(page, "2024年中央预算内投资安排多少？" + "啊" * 600, 0)
    assert "问题过长" in answer


def test_english_interface_and_english_answer(server, page):
    open_app(page, server.url)
    page.locator("#govqa-ui-lang label", has_text="English").click()
    page.wait_for_function("() => (document.querySelector('#govqa-ask')?.innerText ?? '').trim() === 'Ask'")
    assert "New conversation" in page.inner_text("#govqa-new")
    answer = ask(page, "What was the 2019 GDP growth target?", 0)
    assert re.search(r"6\s*[–-]\s*6\.5", answer) and "Answer mode" in answer, answer
    card = page.locator("#govqa-cards .govqa-card").first
    assert "2019" in card.locator(".govqa-title").inner_text()
    assert "Show context" in card.locator(".govqa-context summary").inner_text()
    shoot(page, "chat_en.png")


def test_comparison_answer_is_a_table(server, page):
    open_app(page, server.url)
    ask(page, "2019年和2024年的中央预算内投资各是多少？", 0)
    table = page.locator("#govqa-chat .bot table").last
    text = table.inner_text()
    assert "2019年" in text and "5776亿元" in text and "2024年" in text and "7000亿元" in text
    assert page.locator("#govqa-cards .govqa-card").count() == 2
    shoot(page, "compare.png")


def test_status_line_says_keyword_only(server, page):
    open_app(page, server.url)
    status = page.inner_text("#govqa-status")
    assert "报告 130 份" in status or "报告 131 份" in status
    assert "只用关键词检索" in status


def test_ledger_search_row_source_and_csv(server, page):
    open_app(page, server.url)
    page.get_by_role("tab", name="台账与报告库").click()
    page.get_by_role("tab", name="目标任务台账").click()
    search = page.locator("#govqa-ledger-search textarea")
    search.fill("中央预算内投资")
    search.press("Enter")
    page.wait_for_function("() => (document.querySelector('#govqa-ledger')?.innerText ?? '').includes('中央预算内投资')")
    page.locator("#govqa-ledger [role=gridcell]").filter(has_text="中央预算内投资").first.click()
    page.wait_for_selector("#govqa-ledger-detail mark")
    assert "中央预算内投资" in page.inner_text("#govqa-ledger-detail mark")
    with page.expect_download() as download_info:
        page.click("#govqa-ledger-csv")
    csv_text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("period_label,region_name,kind,indicator,measure")
    assert all("中央预算内投资" in line for line in csv_text.splitlines()[1:3])
    shoot(page, "ledger.png")


def test_anonymous_users_cannot_upload(servers, page):
    staff, anon = servers
    open_app(page, anon.url)
    page.get_by_role("tab", name="台账与报告库").click()
    assert "上传功能已关闭" in page.inner_text("body")
    assert page.locator("#govqa-upload-file").count() == 0
    assert page.get_by_role("button", name="上传并建立索引").count() == 0
    for url in (anon.url, staff.url):  # the public app holds no file component at all
        components = httpx.get(url + "/config", timeout=10).json()["components"]
        assert "file" not in {c["type"] for c in components}
    assert httpx.get(anon.url + "/staff/", timeout=10).status_code == 404
    endpoints = Client(anon.url, verbose=False).view_api(return_format="dict", print_info=False)
    assert "/ask" in endpoints["named_endpoints"]
    assert not any("upload" in name for name in endpoints["named_endpoints"])
    with pytest.raises(Exception):  # noqa: B017 (gradio_client raises ValueError or AppError)
        Client(anon.url, verbose=False).predict(api_name="/upload_report")
    # with a staff server, the upload endpoint exists only behind the login
    with pytest.raises(Exception):  # noqa: B017
        Client(staff.url + "/staff/", verbose=False)
    denied = httpx.post(staff.url + "/staff/gradio_api/call/upload_report", json={"data": []}, timeout=10)
    assert denied.status_code in (401, 403)
    files = {"files": ("x.txt", b"2026\n" * 100, "text/plain")}
    assert httpx.post(staff.url + "/staff/gradio_api/upload", files=files, timeout=10).status_code == 401
    # the public app's generic Gradio file route takes no file at all (issue 12.6)
    assert httpx.post(anon.url + "/gradio_api/upload", files={"files": ("x.txt", b"a" * 5000)},
                      timeout=10).status_code == 403
    assert "upload" not in json.dumps(Client(staff.url, verbose=False).view_api(return_format="dict",
                                                                                 print_info=False))


def test_ask_endpoint_with_gradio_client(server):
    client = Client(server.url, verbose=False)
    first = json.loads(client.predict("2024年中央预算内投资安排多少？", "[]", "{}", api_name="/ask"))
    assert first["answerable"] and "7000亿元" in first["answer"]
    quote = first["citations"][0]
    assert "7000亿元" in quote["quote"] and quote["report"] == "reports/national_china_2024.txt"
    history = json.dumps([["2024年中央预算内投资安排多少？", first["answer"]]], ensure_ascii=False)
    follow = json.loads(client.predict("那2019年呢？", history, "{}", api_name="/ask"))
    assert "5776亿元" in follow["answer"]
    scoped = json.loads(client.predict("中央预算内投资安排多少？", "[]",
                                       json.dumps({"year_from": 2019, "year_to": 2019}), api_name="/ask"))
    assert all(c["report"].endswith("_2019.txt") for c in scoped["citations"]) and scoped["citations"]
    status = json.loads(client.predict(api_name="/status"))
    assert status["reports"] >= 130 and status["passages"] > 10000
    library = json.loads(client.predict(api_name="/reports"))
    assert any(r["id"] == "reports/national_china_2024.txt" and r["passages"] > 0 for r in library)


def test_staff_upload_through_the_api_needs_the_login(server, tmp_path):
    report = tmp_path / "api_upload.txt"
    report.write_text("2026年长子县政府工作报告（补充）\n\n今年新建标准化厂房12万平方米。\n", encoding="utf-8")
    client = Client(server.url + "/staff/", auth=STAFF, verbose=False)
    message, library_table = client.predict(handle_file(str(report)), "API上传测试", "changzi", 2026,
                                            "county", "zh", api_name="/upload_report")
    message = message.replace("\\", "")  # the message is Markdown-escaped for display
    assert any(row[0] == "uploads/api_upload.txt" for row in library_table["data"])
    assert "已加入" in message and "API上传测试" in message and "uploads/api_upload.txt" in message
    library = json.loads(Client(server.url, verbose=False).predict(api_name="/reports"))
    assert any(r["id"] == "uploads/api_upload.txt" and r["passages"] >= 1 for r in library)
    with pytest.raises(Exception):  # noqa: B017 (wrong password: gradio_client cannot log in)
        Client(server.url + "/staff/", auth=(STAFF[0], "wrong"), verbose=False)


def test_staff_upload_in_browser_renders_report_html_inert(server, page, tmp_path):
    report = tmp_path / f"{XSS}.txt"
    report.write_text("2026年长子县政府工作报告\n\n一、2026年工作安排\n\n今年全县地区生产总值增长目标为7.5%左右"
                      "<img src=x onerror=window.__xss=2>，一般公共预算收入增长6%。\n", encoding="utf-8")
    page.goto(server.url + "/staff/")
    page.locator("input[type=text]").first.fill(STAFF[0])
    page.locator("input[type=password]").fill(STAFF[1])
    page.get_by_role("button", name=re.compile("^(Login|登录)$")).click()
    page.wait_for_selector("#govqa-upload-file")
    page.locator("#govqa-upload-file input[type=file]").set_input_files(str(report))
    page.fill("#govqa-upload-title textarea", "2026年长子县政府工作报告<script>window.__xss=3</script>")
    page.fill("#govqa-upload-region textarea", "changzi")
    page.fill("#govqa-upload-year input", "2026")
    page.wait_for_timeout(1000)  # let the file finish uploading to the server
    page.click("#govqa-upload-button")
    page.wait_for_function("() => (document.querySelector('#govqa-upload-result')?.innerText ?? '').includes('已加入')",
                           timeout=120_000)
    result = page.inner_text("#govqa-upload-result")
    assert "<script>window.__xss=3</script>" in result and "uploads/" in result and ".." not in result
    shoot(page, "staff_upload.png")

    open_app(page, server.url)
    answer = ask(page, "长子县2026年地区生产总值增长目标是多少？", 0)
    assert "7.5%左右" in answer
    card = page.locator("#govqa-cards .govqa-card").first
    assert "<script>window.__xss=3</script>" in card.locator(".govqa-title").inner_text()
    assert "<img src=x onerror=window.__xss=2>" in card.inner_text()
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#govqa-cards img, #govqa-cards script, #govqa-chat img[src='x']").count() == 0


def test_fact_answers_through_the_http_api(server):
    """Through a real server: /ask gets the answers built from the facts (target, result,
    verdict), and a table across regions with a citation per province."""
    client = Client(server.url, verbose=False)
    verdict = json.loads(client.predict("四川2025年地区生产总值增长目标完成了吗？", "[]", "{}", api_name="/ask"))
    assert [c["report"] for c in verdict["citations"]] == ["reports/provincial_sichuan_2025.txt",
                                                           "reports/provincial_sichuan_2026.txt"]
    assert "达到目标" in verdict["answer"] and "facts_ms" in verdict["timings"]
    table = json.loads(client.predict("东北三省2026年GDP增长目标分别是多少？", "[]", "{}", api_name="/ask"))
    assert len(table["citations"]) == 3 and len(table["table"]) == 3


@pytest.mark.parametrize("width", [390, 1400])
def test_chat_and_tables_readable_on_a_phone_and_a_desktop(server, browser, width):
    """Issue 12.15: at 390 px the sources stack under the chat and a table scrolls instead of
    squeezing a year into one character per line; the box is usable again after an answer."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    open_app(page, server.url)
    ask(page, "2019年和2024年的中央预算内投资各是多少？", 0)
    box = page.locator("#govqa-chat .bot table td").first.bounding_box()
    assert box and box["height"] < 60, box  # one line, not 2019年 stacked character by character
    assert page.locator("#govqa-question textarea").is_editable()
    chat, sources = page.locator("#govqa-chat").bounding_box(), page.locator("#govqa-cards").bounding_box()
    if width < 600:
        assert sources["y"] >= chat["y"] + chat["height"] - 5  # below the chat
    else:
        assert sources["x"] >= chat["x"] + chat["width"] - 5  # beside it
    shoot(page, f"chat_{width}.png")
    context.close()


def test_ledger_year_filter_starts_empty_and_staff_page_links_to_the_ledger(server, page):
    open_app(page, server.url)
    page.get_by_role("tab", name="台账与报告库").click()
    assert page.locator("#govqa-ledger-year textarea").input_value() == ""  # not a 0
    page.goto(server.url + "/staff/")
    page.locator("input[type=text]").first.fill(STAFF[0])
    page.locator("input[type=password]").fill(STAFF[1])
    page.get_by_role("button", name=re.compile("^(Login|登录)$")).click()
    page.wait_for_selector("#govqa-ledger-link")
    link = page.locator("#govqa-ledger-link a")
    assert "台账与报告库" in page.inner_text("#govqa-ledger-link") and link.get_attribute("href") == "/"
