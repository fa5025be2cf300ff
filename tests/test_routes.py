"""Answers from the facts on the real corpus: values, target versus result with a verdict,
tables across regions checked against a hand-read gold table, year over year, follow-ups,
and the honest refusals (a year no report reviews, a five-year figure for one year)."""

from __future__ import annotations

import csv
import io
import json
import re
from contextlib import redirect_stdout

import pytest

from assistant.cli import main as govqa
from assistant.evaluation.systems import copy_reports
from assistant.numbers import extract_numbers, unsupported_numbers
from assistant.qa import QA
from assistant.regions import BY_ID, region_groups
from assistant.settings import REPO_ROOT, Settings

GOLD = REPO_ROOT / "tests" / "data" / "provincial_targets.tsv"
# The five indicators the gold table covers in every report (targets in work sections too).
QUESTION_NAMES = {"gdp": "地区生产总值增长", "cpi": "居民消费价格涨幅", "surveyed_unemployment": "城镇调查失业率",
                  "urban_new_jobs": "城镇新增就业", "resident_income": "居民人均可支配收入增长"}


def gold_rows() -> list[dict]:
    with GOLD.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["indicator"] in QUESTION_NAMES]


def cited_numbers_hold(answer) -> bool:
    """Every number of the answer's lead lines occurs in a cited quote (years and list
    positions are no claims)."""
    lead = "\n".join(line for line in answer.answer.splitlines() if not line.startswith("["))
    lead = re.sub(r"\[\d+\]", "", lead)
    lead = re.sub(r"(?:19|20)\d{2}(?:[–-](?:19|20)\d{2})?年?|\d+\.\s", " ", lead)
    return unsupported_numbers(lead, [c.quote for c in answer.citations]) == []


def test_annual_target_not_the_five_year_average(qa):
    answer = qa.ask("2026年北京市GDP增长目标是多少？")
    assert answer.answer.startswith("2026年北京市地区生产总值增长目标为5%左右[1]")
    first = answer.citations[0]
    assert first.report == "reports/provincial_beijing_2026.txt" and "地区生产总值增长5%左右" in first.quote
    assert qa.source_text(first.report)[first.quote_start:first.quote_end] == first.quote
    assert "年均" in answer.answer and "4.5–5%" in answer.answer  # the 十五五 average is named, as such
    assert cited_numbers_hold(answer)


def test_a_period_figure_no_report_states_is_refused_not_one_years_figure(qa):
    # Henan 2026 reviews 十四五 without a five-year GDP average; its 2025 生产总值增长5.6% is no answer
    answer = qa.ask("河南“十四五”期间地区生产总值年均增长了多少？")
    assert not answer.answerable and "2021—2025年整个时期" in answer.answer
    assert "5.6%" not in answer.answer


def test_a_period_figure_the_facts_miss_is_still_quoted_from_its_sentence(qa):
    answer = qa.ask("新疆“十五五”时期地区生产总值增速目标是多少？")
    assert answer.answerable and "年均增长5.5%—6%" in answer.answer
    assert answer.citations[0].report == "reports/provincial_xinjiang_2026.txt"


@pytest.mark.parametrize("question, figure", [
    ("What local government deficit did the 2019 report plan?", "0.93 trillion yuan"),
    ("2019年地方财政赤字是多少？", "9300亿元"),
    ("2019年中央财政赤字是多少？", "1.83万亿元"),
])
def test_a_deficit_narrowed_to_one_level_of_government_is_that_levels(qa, question, figure):
    # 2019: 财政赤字2.76万亿元，其中中央财政赤字1.83万亿元，地方财政赤字9300亿元 (one sentence)
    answer = qa.ask(question)
    assert figure in answer.answer.splitlines()[0]
    assert "2.76" not in answer.answer.splitlines()[0]


def test_result_asked_after_naming_the_target(qa):
    answer = qa.ask("2016年GDP增长目标定的6.5%到7%，当年实际增长了多少？")
    assert "6.7%" in answer.answer.splitlines()[0]
    assert answer.citations[0].report == "reports/national_china_2017.txt"


def test_verdict_cites_target_and_result(qa):
    answer = qa.ask("四川2025年地区生产总值增长目标完成了吗？")
    assert [c.report for c in answer.citations] == ["reports/provincial_sichuan_2025.txt",
                                                    "reports/provincial_sichuan_2026.txt"]
    assert "5.5%以上" in answer.answer and "增长5.5%" in answer.answer and "达到目标" in answer.answer
    assert cited_numbers_hold(answer)
    missed = qa.ask("黑龙江2025年地区生产总值增长目标完成了吗？")  # 5%左右 set, 4.2% reached
    assert "4.2%" in missed.answer and "未达到目标" in missed.answer


@pytest.mark.parametrize("indicator", sorted(QUESTION_NAMES))
@pytest.mark.parametrize("year", [2025, 2026])
def test_every_province_against_the_gold_table(qa, indicator, year):
    answer = qa.ask(f"{year}年各省{QUESTION_NAMES[indicator]}目标分别是多少？")
    lines = {line.split("：")[0].split(". ", 1)[-1]: line for line in answer.answer.splitlines() if "：" in line}
    quotes = {c.n: c for c in answer.citations}
    for row in gold_rows():
        if row["indicator"] != indicator or int(row["year"]) != year:
            continue
        name = BY_ID[row["region"]].name
        if not row["value"]:
            assert name not in lines or "没有找到" in lines[name], name  # sets no such figure
            continue
        line = lines[name]
        got = extract_numbers(line.split("：", 1)[1])[0]
        assert (got.value, got.value_max) == (float(row["value"]), float(row["value_max"]) if row["value_max"] else None), name
        n = int(line.rsplit("[", 1)[1].rstrip("]"))
        clause = row["text"].rstrip("。").split("；")[0]  # gold texts were lengthened past a ； to be unique
        assert quotes[n].report == row["report"] and clause in quotes[n].quote, name


def test_threshold_is_honest_about_qualifiers(qa):
    answer = qa.ask("2026年哪些省份城镇调查失业率目标高于5.5%？")
    expected = {BY_ID[r["region"]].name for r in gold_rows() if r["indicator"] == "surveyed_unemployment"
                and r["year"] == "2026" and r["value"] and float(r["value"]) > 5.5}
    listed = {c.report.split("_")[1] for c in answer.citations}
    assert listed == {r for r in BY_ID if BY_ID[r].name in expected} and expected
    equal = qa.ask("哪些省份2025年GDP目标是5%左右")
    rows = [line for line in equal.answer.splitlines() if re.match(r"\d+\. ", line)]
    assert rows and all(line.endswith(("5%左右", "]")) and "5%左右[" in line for line in rows)


def test_group_and_ranking(qa):
    west = next(g for g in region_groups() if g.id == "west")
    assert len(west.members) == 12
    answer = qa.ask("2025年西部省份里GDP增长目标最高的是哪个？")
    assert [c.report for c in answer.citations] == ["reports/provincial_xizang_2025.txt"]
    northeast = qa.ask("东北三省2026年GDP增长目标分别是多少？")
    assert {c.report for c in northeast.citations} == {
        f"reports/provincial_{r}_2026.txt" for r in ("liaoning", "jilin", "heilongjiang")}


def test_year_over_year(qa):
    answer = qa.ask("广东2026年GDP增长目标和2025年比有什么变化？")
    assert [c.report for c in answer.citations] == ["reports/provincial_guangdong_2025.txt",
                                                    "reports/provincial_guangdong_2026.txt"]
    assert "5%左右" in answer.answer and "4.5–5%" in answer.answer and "下调" in answer.answer
    table = qa.ask("广东2026年的目标和2025年相比有什么变化？")
    assert "地区生产总值" in table.answer and table.table
    places = qa.ask("2026年广东和江苏的GDP增长目标相比有什么不同？")  # two places, one year
    assert [c.report for c in places.citations] == ["reports/provincial_guangdong_2026.txt",
                                                    "reports/provincial_jiangsu_2026.txt"]
    assert "4.5–5%" in places.answer and "5%[2]" in places.answer


def test_five_year_total_is_not_passed_off_as_one_year(qa):
    answer = qa.ask("河北2025年城镇新增就业实际完成了多少？")
    assert not answer.answerable and "452万" in answer.answer and "2021–2025" in answer.answer


def test_a_year_no_report_reviews_is_unknown(qa):
    answer = qa.ask("湖北2026年经济增长目标定为5.5%左右，最后实际增长了多少？")
    assert not answer.answerable and "2027" in answer.answer
    national = qa.ask("2024年全国GDP实际增长了多少？")
    assert not national.answerable and "2025年国务院" in national.answer


def test_followups_carry_the_last_resolved_query(qa):
    history = [("2025年河南省城镇新增就业目标是多少？", "110万人以上"), ("实际完成了多少？", "121.7万人")]
    answer = qa.ask("江西呢？", history)
    assert answer.citations and answer.citations[0].report.startswith("reports/provincial_jiangxi_")
    verdict = qa.ask("完成了吗？", [("湖南2025年地区生产总值增长目标是多少？", "5.5%左右")])
    assert [c.report for c in verdict.citations] == ["reports/provincial_hunan_2025.txt",
                                                     "reports/provincial_hunan_2026.txt"]
    fresh = qa.ask("2019年全国赤字率是多少？", [("湖南2025年地区生产总值增长目标是多少？", "5.5%左右")])
    assert fresh.citations[0].report == "reports/national_china_2019.txt"  # its own subject, no Hunan


def test_county_words_and_local_places(qa):
    answer = qa.ask("今年县里要完成多少户散煤清零改造？")
    assert answer.citations[0].report == "reports/county_changzi_2024.txt" and "1万户" in answer.answer


def test_commitments_cli_lists_each_province_annual_2026_target(full_index, corpus_dir):
    out = io.StringIO()
    with redirect_stdout(out):
        code = govqa(["commitments", "--indicator", "地区生产总值", "--period", "2026", "--measure", "growth",
                      "--kind", "target", "--format", "json", "--corpus", str(corpus_dir),
                      "--index-dir", str(full_index)])
    rows = json.loads(out.getvalue())
    assert code == 0 and {r["period_label"] for r in rows} == {"2026"}
    assert {r["measure"] for r in rows} == {"growth"} and {r["kind"] for r in rows} == {"target"}
    regions = {r["region"] for r in rows if r["level"] == "provincial"}
    assert regions == set(BY_ID)  # all 31, each with its annual target (never a 十五五 average)
    beijing = [r for r in rows if r["region"] == "beijing" and r["headline"]]
    assert [(r["value"], r["qualifier"]) for r in beijing] == [(5.0, "左右")]


def test_an_uploaded_city_report_is_known_to_the_questions(tmp_path, corpus_dir):
    """Uploads are first-class: the city of an uploaded report (from its title) is a place the
    questions can name, its facts answer value questions, and 今年 is its year."""
    corpus = tmp_path / "corpus"
    copy_reports(corpus_dir, corpus, ["reports/county_changzi_2024.txt"])
    upload = tmp_path / "ceshi_2025.txt"
    upload.write_text("2025年测试市政府工作报告\n一、2024年工作回顾\n过去一年，全市地区生产总值增长5.1%。\n"
                      "二、2025年工作安排\n今年经济社会发展的主要预期目标是：全市地区生产总值增长6%左右，"
                      "城镇新增就业3万人以上。\n", encoding="utf-8")
    qa = QA(Settings(corpus=corpus, index_dir=tmp_path / "index"), background_dense=False)
    report = qa.add_report(upload, title="2025年测试市政府工作报告", region="ceshi", year=2025, level="city")
    answer = qa.ask("测试市2025年地区生产总值增长目标是多少？")
    assert answer.answerable and answer.citations[0].report == report.id and "6%左右" in answer.answer
    assert qa.ask("测试市2024年地区生产总值实际增长了多少？").answer.startswith("2024年测试市地区生产总值实际增长5.1%")
    unknown = qa.ask("成都市2025年地区生产总值增长目标是多少？")
    assert not unknown.answerable and "成都市" in unknown.answer


def test_fact_answers_through_the_app_filters(qa):
    """The app always sends a filters dict (empty values mean no filter): fact answers must
    still be given, and a real filter that excludes the cited report hands over to passages."""
    empty = {"level": None, "region": None, "year_from": None, "year_to": None, "language": None}
    answer = qa.ask("四川2025年地区生产总值增长目标完成了吗？", filters=empty)
    assert len(answer.citations) == 2 and "达到目标" in answer.answer
    national_only = qa.ask("2026年北京市GDP增长目标是多少？", filters={**empty, "level": "national"})
    assert all(c.report.startswith("reports/national_") for c in national_only.citations)
