"""The commitment ledger on real reports: extraction quality against the hand labels,
not-a-commitment cases, target vs result, the GDP target series, CLI and comparison chart."""

from __future__ import annotations

import csv
import io
import json
import os
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from assistant.cli import main as govqa
from assistant.corpus import load_corpus
from assistant.facts import build_facts, extract_facts, load_facts, save_facts
from assistant.facts.extract import is_fact_quantity
from assistant.facts.store import passages_for
from assistant.ledger import filter_ledger
from assistant.ledger.compare import compare_indicator, plot_comparison
from assistant.ledger.score import load_labels, score_all, summary_rows
from assistant.numbers import extract_numbers

CORPUS = Path(os.environ.get("GOVQA_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")
NATIONAL_2024 = "reports/national_china_2024.txt"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def ledger(corpus):
    return build_facts(corpus)


def _items(corpus, report_id):
    facts = extract_facts(corpus.reports[report_id], corpus.texts[report_id], passages_for(corpus, report_id))
    return [f for f in facts if f.commitment]


def test_precision_recall_against_hand_labels(corpus):
    rows = {(r["report"], r["kind"]): r for r in summary_rows(score_all(corpus, load_labels()))}
    # thresholds a little below what the extractor achieves (see eval/commitments/README.md)
    assert rows[("OVERALL", "target")]["precision"] >= 0.95
    assert rows[("OVERALL", "target")]["recall"] >= 0.95
    assert rows[("OVERALL", "result")]["precision"] >= 0.95
    assert rows[("OVERALL", "result")]["recall"] >= 0.95
    assert rows[(NATIONAL_2024, "target")]["recall"] == 1.0
    assert rows[(NATIONAL_2024, "result")]["precision"] == 1.0


def test_offsets_are_exact_and_fields_flat(corpus):
    text = corpus.texts[NATIONAL_2024]
    items = _items(corpus, NATIONAL_2024)
    assert items
    for item in items:
        assert text[item.start:item.end] == item.text
        assert all(isinstance(v, str | int | float | type(None)) for v in item.to_dict().values())


def test_main_targets_of_2024_each_their_own_item(corpus):
    targets = {(c.indicator, c.measure, c.value, c.qualifier) for c in _items(corpus, NATIONAL_2024)
               if c.kind == "target"}
    assert ("gdp", "growth", 5.0, "左右") in targets
    assert ("urban_new_jobs", "level", 12_000_000.0, "以上") in targets
    assert ("surveyed_unemployment", "level", 5.5, "左右") in targets
    assert ("cpi", "growth", 3.0, "左右") in targets
    assert ("grain_output", "level", 1.3e12, "以上") in targets
    assert ("central_investment", "level", 7e11, "") in targets
    assert ("ultra_long_bonds", "level", 1e12, "") in targets


def test_result_and_target_for_the_same_indicator(corpus):
    jobs = [c for c in _items(corpus, NATIONAL_2024) if c.indicator == "urban_new_jobs"]
    assert {(c.kind, c.value, c.period_label) for c in jobs} >= {("result", 12_440_000.0, "2023"),
                                                                  ("target", 12_000_000.0, "2024")}


@pytest.mark.parametrize("clause", [
    "2024年3月5日在第十四届全国人民代表大会第二次会议上",
    "做好2024年奥运会、残奥会备战参赛工作",
    "办好第二届“一带一路”科技交流大会、第30届国际原子能机构聚变能大会",
    "推进中国－东盟自贸区3.0版谈判",
    "国产大飞机C919投入商业运营",
    "推进省道黄龙线建成通省道358线开工建设",
    "是实现“十四五”规划目标任务的关键一年",
])
def test_not_a_quantity(clause):
    assert [q.raw for q in extract_numbers(clause) if is_fact_quantity(q, clause, q.start)] == []


def test_durations_and_counts_of_things_are_facts():
    # issue 10: 延长30年, 3条片区还迁 and 15项 … were missed by the old ledger
    clause = "启动第二轮土地承包到期后再延长30年整省试点"
    assert [(q.value, q.unit) for q in extract_numbers(clause) if is_fact_quantity(q, clause, q.start)] == [(30, "年")]


def test_comparisons_and_forecasts_are_not_commitments(corpus):
    texts = [c.text for c in _items(corpus, NATIONAL_2024)]
    assert not any("1170万人" in t for t in texts)  # 预计今年高校毕业生超过1170万人
    assert not any(t.startswith("比上年") for t in texts)


def test_gdp_growth_target_series(ledger):
    # verified by reading each report's 主要预期目标; 2020 set no growth target on purpose
    expected = {2014: (7.5, None, "左右"), 2015: (7.0, None, "左右"), 2016: (6.5, 7.0, "区间"),
                2017: (6.5, None, "左右"), 2018: (6.5, None, "左右"), 2019: (6.0, 6.5, "区间"),
                2020: None, 2021: (6.0, None, "以上"), 2022: (5.5, None, "左右"), 2024: (5.0, None, "左右")}
    rows = {r["year"]: r for r in compare_indicator(ledger, "国内生产总值增长", level="national")}
    assert rows[2011]["target_value"] == 8.0  # not 2010's result 10.3%, which the 2011 review states
    for year, want in expected.items():
        row = rows[year]
        if want is None:
            assert row["target"] is None
        else:
            assert (row["target_value"], row["target_max"]) == want[:2], year
            assert want[2] in row["target"] or want[2] == "区间", year
            assert row["measure"] == "growth"
    assert 2023 not in rows
    assert rows[2019]["result_value"] == 6.1  # from the 2020 report's review part
    src = load_corpus(CORPUS).texts[rows[2024]["target_report"]]
    assert src[rows[2024]["target_start"]:rows[2024]["target_end"]] == rows[2024]["target_text"]


def test_compare_png(ledger, tmp_path):
    rows = compare_indicator(ledger, "中央预算内投资", level="national")
    values = {r["year"]: r["target_value"] for r in rows}
    assert values[2019] == 5.776e11 and values[2024] == 7e11
    png = plot_comparison(rows, tmp_path / "chart.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_save_load_roundtrip(ledger, tmp_path):
    items = filter_ledger(ledger, report=NATIONAL_2024)
    save_facts(tmp_path / "facts.jsonl", items)
    assert load_facts(tmp_path / "facts.jsonl") == items


def _run(argv):
    out = io.StringIO()
    with redirect_stdout(out):
        code = govqa(argv)
    return code, out.getvalue()


@pytest.fixture()
def index_dir(ledger, tmp_path):
    return tmp_path  # no index there: the CLI extracts the facts from the corpus


def test_cli_json_and_csv(index_dir):
    tmp_path = index_dir
    base = ["commitments", "--corpus", str(CORPUS), "--index-dir", str(tmp_path)]
    code, out = _run([*base, "--report", "national_china_2024.txt", "--kind", "target", "--format", "json"])
    assert code == 0
    rows = json.loads(out)
    assert {r["kind"] for r in rows} == {"target"}
    assert any(r["indicator"] == "gdp" and r["measure"] == "growth" and r["value"] == 5.0 for r in rows)
    code, out = _run([*base, "--indicator", "PM2.5", "--region", "changzi", "--format", "csv"])
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and parsed and parsed[0]["unit"] == "微克/立方米"


def test_cli_compare_writes_png(index_dir):
    tmp_path = index_dir
    png = tmp_path / "gdp.png"
    code, out = _run(["compare", "国内生产总值增长", "--level", "national", "--corpus", str(CORPUS),
                      "--index-dir", str(tmp_path), "--out", str(png)])
    assert code == 0 and "5%左右" in out and png.stat().st_size > 1000
