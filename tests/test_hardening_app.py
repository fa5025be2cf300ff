"""Issue 12, the web app: what an outside tester broke (uploads, login, history, odd input).

The server is the real FastAPI app of `govqa serve` (`create_server_app`) over the small fake QA
of test_app_units.py, driven in-process with Starlette's TestClient (no port, no index)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import gradio as gr
import pytest
from gradio import utils as gradio_utils
from starlette.testclient import TestClient
from test_app_units import FakeQA

from assistant.app import make_context
from assistant.app.chat import answer_turns, api_ask, on_ask_turns, parse_year
from assistant.app.guard import LoginThrottle
from assistant.app.staff import LedgerFiles, handle_upload, query_ledger
from assistant.app.ui import create_server_app
from assistant.history import MAX_TURNS
from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent


class Row(dict):
    def to_dict(self) -> dict:
        return self


def ledger_rows(n: int) -> list[Row]:
    return [Row(year=2024, indicator="GDP", kind="target", text=f"国内生产总值增长{i}%") for i in range(n)]


@pytest.fixture
def ctx(tmp_path):
    settings = Settings(index_dir=tmp_path / "index", max_question_chars=50, upload_max_mb=1)
    return make_context(FakeQA(), settings, auth="staff:secret")


@pytest.fixture
def client(ctx):
    with TestClient(create_server_app(ctx), raise_server_exceptions=False) as test_client:
        yield test_client


def call(client: TestClient, prefix: str, api_name: str, data: list) -> tuple[str, str]:
    """One Gradio API call over HTTP: (event name, data) of its final server-sent event."""
    started = client.post(f"{prefix}/gradio_api/call/{api_name}", json={"data": data})
    assert started.status_code == 200, started.text
    lines = client.get(f"{prefix}/gradio_api/call/{api_name}/{started.json()['event_id']}").text.splitlines()
    events = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    payloads = [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]
    return events[-1], payloads[-1]


def file_data(path: Path) -> dict:
    return {"path": str(path), "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}


# ---------------------------------------------------------------- 1. upload paths


def test_handler_refuses_a_path_gradio_did_not_receive(ctx, tmp_path):
    outside = REPO / "README.md"  # a server file, never uploaded
    message = handle_upload(ctx, str(outside), "", "", None, "", username="staff")
    assert "本次上传" in message and not ctx.qa.added
    inside = Path(gradio_utils.get_upload_folder()) / "govqa-test" / "报告.md"
    inside.parent.mkdir(parents=True, exist_ok=True)
    inside.write_text("2026年测试报告\n内容。", encoding="utf-8")
    try:
        link = inside.with_name("link.md")  # a link inside the cache to a file outside it
        link.unlink(missing_ok=True)
        link.symlink_to(outside)
        assert not ctx.qa.added and "本次上传" in handle_upload(ctx, str(link), "", "", None, "", username="staff")
        message = handle_upload(ctx, str(inside), "测试", "", None, "", username="staff")
        assert "已加入" in message and len(ctx.qa.added) == 1
    finally:
        link.unlink(missing_ok=True)
        inside.unlink()


def test_upload_api_with_a_server_path_in_file_data_is_refused(client, ctx):
    login = client.post("/staff/login", data={"username": "staff", "password": "secret"})
    assert login.status_code == 200
    event, data = call(client, "/staff", "upload_report",
                       [file_data(REPO / "README.md"), "t", "", None, "", "zh"])
    assert not ctx.qa.added, "a server file was indexed"
    assert event == "error" or "本次上传" in json.loads(data)[0]
    # the normal way still works: the file goes to Gradio's upload route first, then to the event
    uploaded = client.post("/staff/gradio_api/upload",
                           files={"files": ("报告.txt", "2026年测试报告\n内容。".encode(), "text/plain")})
    path = Path(uploaded.json()[0])
    event, data = call(client, "/staff", "upload_report", [file_data(path), "测试", "", None, "", "zh"])
    assert event == "complete" and "已加入" in json.loads(data)[0] and len(ctx.qa.added) == 1


# ---------------------------------------------------------------- 2. password guessing


def login(server, password: str, ip: str, lang: str = "zh-CN"):
    with TestClient(server, client=(ip, 40000), headers={"Accept-Language": lang}) as one:
        return one.post("/staff/login", data={"username": "staff", "password": password})


def test_password_guessing_is_locked_out_per_client_with_a_clear_message(ctx, caplog):
    server = create_server_app(ctx)
    caplog.set_level("WARNING")
    codes = [login(server, f"guess{i}", "10.0.0.1").status_code for i in range(LoginThrottle.FREE_FAILURES)]
    assert codes == [400] * LoginThrottle.FREE_FAILURES
    locked = login(server, "secret", "10.0.0.1")  # even the right password waits now
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "登录失败次数过多" in locked.json()["detail"] and "秒后再试" in locked.json()["detail"]
    assert "Too many failed logins" in login(server, "secret", "10.0.0.1", "en-US").json()["detail"]
    assert login(server, "secret", "10.0.0.2").status_code == 200  # another client is not blocked
    failures = [r for r in caplog.records if "failed staff login" in r.getMessage()]
    assert len(failures) == LoginThrottle.FREE_FAILURES and "10.0.0.1" in failures[0].getMessage()
    assert "'staff'" in failures[0].getMessage() and "guess" not in caplog.text  # never the password


def test_login_back_off_grows_and_a_global_lockout_stops_many_clients():
    clock = [1000.0]
    throttle = LoginThrottle(clock=lambda: clock[0])
    for _ in range(LoginThrottle.FREE_FAILURES):
        assert throttle.wait("a") == 0
        throttle.failed("a")
    first = throttle.wait("a")
    assert first >= LoginThrottle.BASE_DELAY
    clock[0] += first
    assert throttle.wait("a") == 0
    throttle.failed("a")
    assert throttle.wait("a") >= 2 * first - 1  # doubled
    clock[0] += 10_000
    throttle.succeeded("a")
    assert throttle.wait("a") == 0
    for i in range(LoginThrottle.GLOBAL_FAILURES):  # one guess each from many addresses
        throttle.failed(f"10.1.{i // 250}.{i % 250}")
    assert throttle.wait("never-seen-before") > 0  # everyone waits
    clock[0] += LoginThrottle.GLOBAL_WINDOW + LoginThrottle.GLOBAL_DELAY + 1
    assert throttle.wait("never-seen-before") == 0


# ---------------------------------------------------------------- 5. history limits (chat)


def test_the_chat_keeps_and_sends_only_the_turns_the_core_reads(ctx):
    history = [(f"问题{i}", f"回答{i}") for i in range(MAX_TURNS + 5)]
    *_, (_, _, kept, _) = answer_turns(ctx, "那2019年呢？", [], history, {}, "zh")
    assert ctx.qa.calls[-1][1] == tuple(history[-MAX_TURNS:])
    assert len(kept) == MAX_TURNS and kept[-1][0] == "那2019年呢？" and kept[0] == history[-MAX_TURNS + 1]


# ---------------------------------------------------------------- 6. disk growth


def test_ledger_csv_files_are_reused_and_bounded(tmp_path):
    files = LedgerFiles()
    items = ledger_rows(3)
    paths = [files.write(items[: 1 + i % 3]) for i in range(3 * LedgerFiles.KEEP)]
    on_disk = sorted(files.folder.glob("*.csv"))
    assert len(on_disk) <= LedgerFiles.KEEP and Path(paths[-1]) in on_disk
    assert Path(paths[-1]).read_text(encoding="utf-8-sig").count("\n") == 1 + len(items[: 1 + (len(paths) - 1) % 3])
    # inside Gradio's cache, so Gradio serves it as is instead of keeping a copy of every version
    assert Path(paths[-1]).resolve().is_relative_to(Path(gradio_utils.get_upload_folder()).resolve())
    shutil.rmtree(files.folder)


def test_the_public_app_takes_no_file_uploads_but_staff_can(client):
    sample = {"files": ("a.txt", b"x" * 500, "text/plain")}
    for route in ("/gradio_api/upload", "/gradio_api/upload/", "/gradio_api/process_recording"):
        refused = client.post(route, files=sample)
        assert refused.status_code == 403, (route, refused.text)
    assert client.post("/staff/login", data={"username": "staff", "password": "secret"}).status_code == 200
    assert client.post("/staff/gradio_api/upload", files=sample).status_code == 200


# ---------------------------------------------------------------- 13. odd inputs


DEEP = "[" * 100_000 + "]" * 100_000
HUGE_YEAR = "9" * 5000
RAW = ("Traceback", "OverflowError", "RecursionError", "AttributeError", "Exceeds the limit",
       "int_max_str_digits", "cannot convert float")


@pytest.mark.parametrize("question, history, filters, expected", [
    ("2024年目标？", "[]", '{"year_from": 1e309}', "year_from"),
    ("2024年目标？", "[]", '{"year_to": "1e309"}', "year_to"),
    ("2024年目标？", "[]", '{"year_from": ' + HUGE_YEAR + "}", "number"),
    ("2024年目标？", "[]", '{"year_from": "' + HUGE_YEAR + '"}', "year_from"),
    ("2024年目标？", "[]", '{"level": ' + DEEP[:50_000] + DEEP[-50_000:] + "}", "nested too deeply"),
    ("2024年目标？", DEEP, "{}", "nested too deeply"),
    ("2024年目标？", '[[["a"], "b"]]', "{}", "must be text"),
    (12345, "[]", "{}", "question must be text"),
    (None, "[]", "{}", "question is empty"),
    ("2024年目标？", 7, "{}", "history must be a JSON string"),
])
def test_odd_api_input_gives_a_clear_message(ctx, question, history, filters, expected):
    with pytest.raises(gr.Error) as caught:
        api_ask(ctx, question, history, filters)
    assert expected in caught.value.message and not any(raw in caught.value.message for raw in RAW)


def test_odd_input_through_http_and_an_unknown_api_name(client):
    event, data = call(client, "", "ask", [12345, "[]", "{}"])
    assert event == "error" and "question must be text" in data
    event, data = call(client, "", "ask", ["2024年目标？", "[]", '{"year_from": 1e309}'])
    assert event == "error" and "year_from" in data
    unknown = client.post("/gradio_api/call/no_such_endpoint", json={"data": []})
    assert unknown.status_code == 404 and "no_such_endpoint" in unknown.json()["detail"]
    assert "/ask" in unknown.json()["detail"]


def test_odd_years_in_the_chat_filters_ledger_and_upload(ctx, tmp_path):
    for value in (float("inf"), 1e309, float("nan"), 10**5000, HUGE_YEAR, "1e309", -5, 2024.5):
        with pytest.raises(ValueError) as caught:
            parse_year(value, "year_from")
        assert "year_from" in str(caught.value) and not any(raw in str(caught.value) for raw in RAW)
    assert parse_year(2024.0, "y") == 2024 and parse_year("2024", "y") == 2024 and parse_year(0, "y") is None
    *_, (messages, _, _, _) = on_ask_turns(ctx, "2024年目标？", year_from=float("inf"))
    assert "起始年份" in messages[-1]["content"] and not ctx.qa.calls
    upload = Path(gradio_utils.get_upload_folder()) / f"govqa-test-{tmp_path.name}" / "r.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text("2026年测试报告\n内容。", encoding="utf-8")
    try:
        assert "年份" in handle_upload(ctx, str(upload), "", "", float("inf"), "", username="staff")
        assert not ctx.qa.added
    finally:
        shutil.rmtree(upload.parent)
    with pytest.raises(ValueError, match="year"):
        query_ledger([], year=10**5000)
