"""Question sets from CSV / XLSX / JSONL (assistant/evaluation/tabular.py): parsing and
line-precise validation."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation.dataset import DatasetError, load_questions
from assistant.evaluation.tabular import default_id, load_set, parse_csv, set_hash, set_jsonl

HEADER = "id,question,answers,all_answers,evidence,report,type,history\n"
REPORT = "reports/national_china_2024.txt"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_csv_answers_alternatives_flags_history_and_unanswerable(tmp_path):
    text = HEADER + (
        f'a1,2024年中央预算内投资安排多少？,7000亿元|七千亿元;7000,,中央预算内投资拟安排7000亿元,{REPORT},number,\n'
        f'a2,那2019年呢？,5776亿元,true,拟安排5776亿元,reports/national_china_2019.txt,followup,'
        '"[[""2024年中央预算内投资安排多少？"", ""7000亿元""]]"\n'
        'a3,2023年国务院报告的增长目标？,,,,,unanswerable,\n')
    questions = load_set(write(tmp_path, "set.csv", text))
    a1, a2, a3 = questions
    assert a1.answers == ("7000亿元|七千亿元", "7000") and not a1.all_answers and a1.type == "number"
    assert a1.evidence == "中央预算内投资拟安排7000亿元" and a1.report == REPORT and a1.line == 2
    assert a2.all_answers and a2.history == (("2024年中央预算内投资安排多少？", "7000亿元"),)
    assert not a3.answerable and a3.report == "" and a3.answers == ()


def test_csv_errors_name_every_bad_line(tmp_path):
    text = HEADER + (
        f'ok,问题一,1,,证据一,{REPORT},,\n'
        f'bad-flag,问题二,1,maybe,证据二,{REPORT},,\n'
        f'bad-history,问题三,1,,证据三,{REPORT},,[[1\n'
        f',,1,,证据四,{REPORT},,\n'
        f'no-evidence,问题五,1,,,{REPORT},,\n'
        f'no-report,问题六,1,,证据六,,,\n'
        f'ok,问题七,1,,证据七,{REPORT},,\n')
    with pytest.raises(DatasetError) as info:
        load_set(write(tmp_path, "bad.csv", text))
    lines = str(info.value).splitlines()
    assert lines[0].startswith("bad.csv, line 3: column 'all_answers' must be true or false")
    assert lines[1].startswith("bad.csv, line 4: column 'history' is not valid JSON")
    assert lines[2] == "bad.csv, line 5: column 'question' is empty"
    assert lines[3].startswith("bad.csv, line 6: column 'answers' is set but 'evidence' is empty")
    assert lines[4].startswith("bad.csv, line 7: field 'report' must be a non-empty string")
    assert lines[5] == "bad.csv, line 8: duplicate id 'ok' (first on line 2)"
    assert len(lines) == 6


def test_csv_header_problems(tmp_path):
    with pytest.raises(DatasetError, match=r"line 1: unknown column\(s\) 'answr'"):
        parse_csv("question,answr,evidence,report\nq,a,e,r\n", "x.csv")
    with pytest.raises(DatasetError, match=r"line 1: missing column\(s\) 'evidence', 'report'"):
        parse_csv("question,answers\nq,a\n", "x.csv")
    with pytest.raises(DatasetError, match="empty"):
        parse_csv("\n\n", "x.csv")
    with pytest.raises(DatasetError, match="line 2: 5 cells but only 4 columns"):
        parse_csv("question,answers,evidence,report\nq,a,e,r,extra\n", "x.csv")


def test_multiline_cell_reports_the_line_where_its_row_starts(tmp_path):
    text = ('question,answers,evidence,report\n'
            '"第一行\n第二行",1,证据,r.txt\n'
            'q2,1,,r.txt\n')
    with pytest.raises(DatasetError, match=r"x.csv, line 4: column 'answers' is set"):
        parse_csv(text, "x.csv")


def test_chinese_headers_gb18030_bom_and_default_ids(tmp_path):
    text = f"问题,答案,证据,报告,类型\n2024年中央预算内投资？,7000亿元,拟安排7000亿元,{REPORT},数字\n"
    for encoding in ("gb18030", "utf-8-sig"):
        (question,) = load_set(write(tmp_path, f"cn-{encoding}.csv", text, encoding))
        assert question.type == "数字" and question.id == default_id("2024年中央预算内投资？", [])
    tabbed = load_set(write(tmp_path, "tabs.csv", text.replace(",", "\t")))
    assert tabbed[0].answers == ("7000亿元",)


def test_same_set_in_csv_and_jsonl_hashes_the_same_and_round_trips(tmp_path):
    csv_questions = load_set(write(tmp_path, "s.csv", HEADER + f"a1,问题,甲|乙;丙,yes,证据,{REPORT},t,\n"))
    jsonl = write(tmp_path, "s.jsonl", set_jsonl(csv_questions))
    again = load_questions(jsonl)
    assert set_hash(again) == set_hash(csv_questions)
    assert again[0].answers == ("甲|乙", "丙") and again[0].all_answers


def test_jsonl_lists_every_bad_line(tmp_path):
    good = {"id": "x", "question": "q", "answers": ["a"], "evidence": "e", "report": "r.txt"}
    text = "\n".join([json.dumps(good), "{not json", json.dumps({**good, "id": "y", "answers": "a"}),
                      json.dumps(good)])
    with pytest.raises(DatasetError) as info:
        load_set(write(tmp_path, "s.jsonl", text))
    lines = str(info.value).splitlines()
    assert lines[0].startswith("s.jsonl, line 2: not valid JSON")
    assert lines[1].startswith("s.jsonl, line 3: field 'answers' must be a list")
    assert lines[2] == "s.jsonl, line 4: duplicate id 'x' (first on line 1)"


def test_unsupported_type_and_missing_file(tmp_path):
    with pytest.raises(DatasetError, match="unsupported file type .txt"):
        load_set(write(tmp_path, "s.txt", "x"))
    with pytest.raises(DatasetError, match="no such file"):
        load_set(tmp_path / "missing.csv")


def test_xlsx_rows(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["question", "answers", "all_answers", "evidence", "report", "type"])
    sheet.append(["2024年中央预算内投资？", 7000, True, "拟安排7000亿元", REPORT, "number"])
    sheet.append(["坏的一行", "1", "maybe", "证据", REPORT, None])
    path = tmp_path / "set.xlsx"
    book.save(path)
    with pytest.raises(DatasetError, match=r"set.xlsx, row 3: column 'all_answers'"):
        load_set(path)
    sheet.delete_rows(3)
    book.save(path)
    (question,) = load_set(path)
    assert question.answers == ("7000",) and question.all_answers and question.line == 2


def test_xlsx_that_is_not_a_workbook(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match="not a readable .xlsx"):
        load_set(path)
