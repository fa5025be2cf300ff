"""Units of the web app: rendering, escaping, sanitizing, handlers (with a small fake QA)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import gradio as gr
import pytest
from gradio.utils import get_upload_folder

from assistant.app import make_context
from assistant.app.chat import answer_turns, api_ask, build_filters, status_markdown
from assistant.app.render import (
    answer_markdown,
    citation_card,
    citation_cards,
    context_html,
    escape_html,
    escape_markdown,
    marked_span,
    sanitize_filename,
    table_markdown,
    truncate_question,
)
from assistant.app.staff import check_upload, handle_upload, library_rows, stage_upload
from assistant.settings import Settings
from assistant.types import Answer, Citation, Report

XSS = "<img src=x onerror=window.__xss=1>"
SOURCE = "序言。\n" + "甲" * 700 + "今年发展主要预期目标是：国内生产总值增长5%左右。" + XSS + "乙" * 700


def _citation(source: str = SOURCE, n: int = 1) -> Citation:
    quote = "今年发展主要预期目标是：国内生产总值增长5%左右。"
    qs = source.index(quote)
    start, end = qs - 10, qs + len(quote) + len(XSS)
    return Citation(n=n, report="reports/x.txt", title="2024年<b>报告</b>", heading="一、目标 > <i>x</i>",
                    start=start, end=end, text=source[start:end], quote=quote, quote_start=qs,
                    quote_end=qs + len(quote))


class FakeQA:
    """Implements the QA interface the app uses, over one in-memory report."""

    def __init__(self):
        self.reports = {"reports/x.txt": Report(id="reports/x.txt", title="2024年报告", level="national",
                                                region="china", region_name="中华人民共和国", year=2024,
                                                language="zh")}
        self.calls = []
        self.added = []

    def stream(self, question, history=(), filters=None, mode=None):
        self.calls.append((question, tuple(history), filters))
        yield Answer(answer="国内生产总值", answerable=True)
        yield Answer(answer=f"国内生产总值增长5%左右 [1]。问：{question}", answerable=True,
                     citations=[_citation()], timings={"total_ms": 12.3})

    def ask(self, question, history=(), filters=None, mode=None):
        return list(self.stream(question, history, filters))[-1]

    def source_text(self, report_id):
        return SOURCE

    def passage_count(self, report_id):
        return 7

    def status(self):
        return {"dense_ready": False, "dense_progress": 0.42, "reports": 1, "passages": 7,
                "mode": "extractive", "embedder": "hash"}

    def add_report(self, path, *, title=None, region=None, year=None, level=None, progress=None, waiting=None):
        text = Path(path).read_text(encoding="utf-8")
        if not text.strip():
            raise ValueError(f"{Path(path).name}: the file holds no text")
        self.added.append(Path(path))
        report = Report(id=f"uploads/{Path(path).name}", title=title or Path(path).stem, level=level or "unknown",
                        region=region or "unknown", region_name=region or "", year=year, language="zh")
        self.reports[report.id] = report
        return report


@pytest.fixture
def ctx(tmp_path):
    settings = Settings(index_dir=tmp_path / "index", max_question_chars=20, upload_max_mb=1)
    return make_context(FakeQA(), settings, auth="staff:secret")


def test_escape_html_neutralises_tags_attributes_and_templates():
    out = escape_html(XSS + '"${alert(1)}" {{x}} `y`')
    assert "<" not in out and ">" not in out and '"' not in out
    assert "${" not in out and "{{" not in out and "`" not in out
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in out


def test_escape_markdown_blocks_html_links_and_emphasis():
    out = escape_markdown(XSS + " [click](javascript:alert(1)) **bold** 3.5% $x$")
    assert "<img" not in out and "&lt;img" in out
    assert "\\[click\\]\\(javascript:alert\\(1\\)\\)" in out
    assert "\\*\\*bold\\*\\*" in out and "3\\.5%" in out and "\\$x\\$" in out


def test_marked_span_highlights_the_quote_and_escapes_the_rest():
    c = _citation()
    out = marked_span(SOURCE, c.start, c.end, c.quote_start, c.quote_end)
    assert "<mark>今年发展主要预期目标是：国内生产总值增长5%左右。</mark>" in out
    assert "&lt;img src=x" in out and "<img" not in out
    # a quote outside the passage is clamped, never shown from elsewhere
    assert "<mark>" not in marked_span(SOURCE, 0, 3, 100, 120)


def test_context_shows_surrounding_text_within_600_chars():
    c = _citation()
    out = context_html(SOURCE, c)
    assert '<span class="govqa-current">' in out
    assert out.count("甲") == 600 + 10 and out.count("乙") == 600  # 10 甲 are inside the passage
    assert out.startswith("…") and out.endswith("…")


def test_citation_card_has_title_heading_mark_and_context_all_escaped():
    card = citation_card(_citation(), SOURCE, "zh")
    assert "[1]" in card and "2024年&lt;b&gt;报告&lt;/b&gt;" in card
    assert "一、目标 &gt; &lt;i&gt;x&lt;/i&gt;" in card
    assert "<mark>" in card and "<details" in card and "显示上下文" in card
    assert "<img" not in card and "<b>" not in card
    assert "Show context" in citation_card(_citation(), SOURCE, "en")


def test_citation_card_without_source_marks_quote_in_passage():
    card = citation_card(_citation(), None, "zh")
    assert "<mark>今年发展主要预期目标是" in card


def test_citation_cards_empty_and_failing_source():
    assert "暂无出处" in citation_cards([], None, "zh")

    def broken(report_id):
        raise KeyError(report_id)

    assert "<mark>" in citation_cards([_citation()], broken, "zh")


def test_truncate_question():
    assert truncate_question("  abc  ", 5) == ("abc", "")
    cut, notice = truncate_question("问" * 30, 20, "zh")
    assert cut == "问" * 20 and "20" in notice and "30" in notice
    assert "first 20" in truncate_question("q" * 30, 20, "en")[1]


def test_table_markdown_escapes_cells_and_keeps_columns():
    table = table_markdown([{"year": 2019, "target": "6-6.5%|x"}, {"year": 2020, "note": XSS}])
    lines = table.splitlines()
    assert lines[0] == "| year | target | note |"
    assert "6\\-6\\.5%\\|x" in lines[2] and "&lt;img" in lines[3] and "<img" not in table
    assert table_markdown(None) == ""


def test_answer_markdown_has_mode_notice_and_table():
    answer = Answer(answer="A [1]", answerable=True, mode="llm-fallback", notice="LLM timed out",
                    table=[{"year": 2019, "value": "6%"}], timings={"total_ms": 99.6})
    out = answer_markdown(answer, "en")
    assert "A \\[1\\]" in out and "| Year | Value |" in out
    assert "LLM unavailable" in out and "100 ms" in out and "⚠ LLM timed out" in out
    assert "回答方式" in answer_markdown(answer, "zh")


@pytest.mark.parametrize("name, expected", [
    ("../../etc/x.txt", "x.txt"),
    ("..\\..\\windows\\报告 2024.TXT", "报告_2024.txt"),
    ("/abs/path/.hidden.md", "hidden.md"),
    ("..", "upload.txt"),
    ("", "upload.txt"),
    ("a;rm -rf $HOME.pdf", "a_rm_-rf_HOME.pdf"),
])
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected
    assert "/" not in expected and "\\" not in expected and not expected.startswith(".")


def test_stage_upload_uses_a_sanitized_name_in_a_fresh_folder(tmp_path):
    src = tmp_path / "a;b $c <img src=x>.TXT"
    src.write_text("内容", encoding="utf-8")
    first, second = stage_upload(str(src)), stage_upload(str(src))
    assert first.name == "a_b_c_img_src_x.txt" and first.parent != second.parent
    assert first.read_text(encoding="utf-8") == "内容"


def test_build_filters():
    assert build_filters("", "", None, None, "") == {
        "level": None, "region": None, "year_from": None, "year_to": None, "language": None}
    assert build_filters("provincial", "sichuan", 2025.0, "2026", "zh")["year_to"] == 2026
    assert build_filters("", "", 0, 0.0, "")["year_from"] is None  # an empty gr.Number sends 0


def test_status_shows_dense_progress(ctx):
    text = status_markdown(ctx.qa.status(), "zh")
    assert "42%" in text and "语义索引构建中" in text
    assert "42%" not in status_markdown({**ctx.qa.status(), "dense_ready": True}, "en")
    assert "keyword search only" in status_markdown({**ctx.qa.status(), "dense_progress": None}, "en")
    failed = status_markdown({**ctx.qa.status(), "dense_progress": None, "dense_error": "OSError: x"}, "en")
    assert "failed" in failed and "OSError" in failed


def test_answer_turns_streams_escapes_and_keeps_history(ctx):
    filters = build_filters("", "", None, None, "")
    steps = list(answer_turns(ctx, XSS, [], [], filters, "zh"))
    messages, cards, history, box = steps[-1]
    assert len(steps) >= 3 and box.value == "" and box.interactive is True
    # while the answer is produced the box is locked, so nothing typed meanwhile is lost
    assert all(step[3].interactive is False for step in steps[:-1])
    assert messages[0]["content"].startswith("&lt;img") and "<img" not in json.dumps(messages)
    assert "<mark>" in cards and history[0][0] == XSS[:20] and history[0][1].startswith("国内生产总值")
    assert "问题过长" in messages[1]["content"]  # XSS is 34 chars > max_question_chars=20
    list(answer_turns(ctx, "follow-up", messages, history, filters, "zh"))
    assert ctx.qa.calls[-1][1] == tuple(history)


def test_api_ask_parses_json_and_rejects_bad_input(ctx):
    payload = json.loads(api_ask(ctx, "2024年目标？", '[["q1", "a1"]]', '{"year_from": 2024}'))
    assert payload["citations"][0]["quote"].startswith("今年发展") and payload["question"] == "2024年目标？"
    assert ctx.qa.calls[-1][1] == (("q1", "a1"),) and ctx.qa.calls[-1][2]["year_from"] == 2024
    for history, filters in (("not json", "{}"), ("[]", '{"bogus": 1}'), ("[]", "[]"), ('[["only"]]', "{}")):
        with pytest.raises(gr.Error):
            api_ask(ctx, "q", history, filters)


@pytest.fixture
def received(tmp_path):
    """A folder inside Gradio's upload cache: the handler accepts only files from there."""
    folder = Path(get_upload_folder()) / f"govqa-test-{tmp_path.name}"
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_upload_requires_a_staff_user_and_checks_type_and_size(ctx, tmp_path, received):
    good = received / "报告.txt"
    good.write_text("2025年政府工作报告\n内容。", encoding="utf-8")
    assert "登录" in handle_upload(ctx, str(good), "", "", None, "", username=None)
    assert "登录" in handle_upload(ctx, str(good), "", "", None, "", username="intruder")
    bad = tmp_path / "x.exe"
    bad.write_bytes(b"MZ")
    assert ".exe" in check_upload(str(bad), 1, "en")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1_200_000)
    assert "1.2 MB" in check_upload(str(big), 1, "en")
    message = handle_upload(ctx, str(good), "测试报告", "sichuan", 2025, "provincial", username="staff")
    assert "测试报告" in message and "7" in message
    assert ctx.qa.added[0].name == "报告.txt" and not ctx.qa.added[0].exists()  # staging removed
    assert any(row[0] == "uploads/报告.txt" for row in library_rows(ctx.qa))


def test_upload_reports_bad_content_and_removes_the_copy(ctx, received):
    empty = received / "empty.txt"
    empty.write_text("   ", encoding="utf-8")
    message = handle_upload(ctx, str(empty), "", "", None, "", username="staff", lang="en")
    assert "Could not add" in message and "no text" in message


def test_make_context_auth(ctx):
    settings = Settings(staff_user="", staff_password="")
    assert not make_context(None, settings).staff_enabled
    assert make_context(None, Settings(staff_user="u", staff_password="p")).staff == {"u": "p"}
    with pytest.raises(ValueError):
        make_context(None, settings, auth="nopassword")


def test_server_mounts_the_staff_app_only_with_credentials(tmp_path):
    from assistant.app.ui import create_server_app

    def mounted(ctx) -> set[str]:
        return {route.path for route in create_server_app(ctx).routes}

    anonymous = make_context(FakeQA(), Settings(index_dir=tmp_path, staff_user="", staff_password=""))
    assert "/staff" not in mounted(anonymous)
    assert "/staff" in mounted(make_context(FakeQA(), Settings(index_dir=tmp_path), auth="staff:pw"))


def test_table_headers_in_the_ui_language_and_titles_for_report_ids():
    rows = [{"year": "2019年", "quote": "中央预算内投资安排5776亿元", "report": "reports/national_china_2019.txt", "n": 1}]
    table = table_markdown(rows, "zh", {"reports/national_china_2019.txt": "2019年国务院政府工作报告"})
    header = table.splitlines()[0]
    assert "年份" in header and "原文" in header and "报告" in header and "year" not in header
    assert "2019年国务院政府工作报告" in table and "national_china_2019.txt" not in table
    assert "Year" in table_markdown(rows, "en").splitlines()[0]


def test_ledger_rows_in_chinese_with_report_titles():
    from assistant.app.staff import LEDGER_COLUMNS, ledger_rows
    from assistant.types import Fact

    fact = Fact(report="reports/national_china_2024.txt", start=0, end=10, text="国内生产总值增长5%左右",
                indicator="gdp", indicator_text="国内生产总值", value=5.0, value_max=None, unit="%",
                value_text="5%左右", qualifier="左右", kind="target", period_start=2024, period_end=2024,
                period_label="2024", measure="growth", value_start=8, value_end=12, sentence_start=0,
                sentence_end=10, level="national")
    (row,) = ledger_rows([fact], "zh", {fact.report: "2024年国务院政府工作报告"})
    cells = dict(zip(LEDGER_COLUMNS, row, strict=True))
    assert cells["report"] == "2024年国务院政府工作报告" and cells["kind"] == "目标"
    assert cells["indicator"] == "国内生产总值" and cells["measure"] == "增速"
