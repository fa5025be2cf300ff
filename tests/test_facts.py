"""Facts on real reports: every number with its indicator, measure, period and kind.

The hard cases of issue 10: annual targets beside 十五五 averages (Beijing 2026), five-year
totals beside 2025 (Hebei 2026), last year's result in a report's review (2011), a year
without a GDP target (2020), full-width digits and 百分之 (1990s), and the field scores
against the hand labels of eval/facts/.
"""

from __future__ import annotations

import pytest

from assistant.corpus import load_corpus
from assistant.facts import extract_facts
from assistant.facts.lookup import annual_result, annual_target
from assistant.facts.score import load_labels, score_all, summary
from assistant.facts.store import passages_for
from assistant.settings import REPO_ROOT

LABELS = REPO_ROOT / "eval" / "facts"
# Since the third round of rules all six label files are seen (Henan 2026 and national 2013
# were the unseen pair of round 2); the next unseen pair is labelled outside this repository
# until the rules are done, and scored in the README, never tested on.
TUNED_ON = ("provincial_beijing_2026.jsonl", "national_china_2018.jsonl", "provincial_hunan_2026.jsonl",
            "national_china_1995.jsonl", "provincial_henan_2026.jsonl", "national_china_2013.jsonl",
            "provincial_jilin_2026.jsonl", "national_china_2008.jsonl")


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return load_corpus(corpus_dir)


def facts_of(corpus, name: str):
    rid = f"reports/{name}"
    return extract_facts(corpus.reports[rid], corpus.texts[rid], passages_for(corpus, rid))


def test_offsets_are_exact(corpus):
    text = corpus.texts["reports/provincial_beijing_2026.txt"]
    for fact in facts_of(corpus, "provincial_beijing_2026.txt"):
        assert text[fact.start:fact.end] == fact.text
        assert fact.start <= fact.value_start < fact.value_end <= fact.end
        assert fact.sentence_start <= fact.start and fact.end <= fact.sentence_end


def test_beijing_2026_annual_target_is_not_the_fifteenth_plan_average(corpus):
    facts = facts_of(corpus, "provincial_beijing_2026.txt")
    target = annual_target(facts, "gdp", "growth", 2026, regions=["beijing"])
    (fact,) = target.values()
    assert (fact.value, fact.qualifier, fact.kind, fact.period_label) == (5.0, "左右", "target", "2026")
    averages = [f for f in facts if f.indicator == "gdp" and f.measure == "avg_growth" and f.kind == "target"]
    assert {(f.value, f.value_max, f.period_start, f.period_end) for f in averages} >= {
        (4.5, 5.0, 2026, 2030), (5.0, None, 2026, 2030)}  # 年均增速4.5%-5%; 城市副中心…年均增长5%以上
    past = [f for f in facts if f.indicator == "gdp" and f.measure == "avg_growth" and f.kind == "result"]
    assert [(f.value, f.period_label) for f in past] == [(5.2, "2021-2025")]  # 十四五 年均增长5.2%


def test_hebei_2026_five_year_total_is_no_2025_result(corpus):
    facts = facts_of(corpus, "provincial_hebei_2026.txt")
    jobs = [f for f in facts if f.indicator == "urban_new_jobs"]
    total = next(f for f in jobs if f.value == 4_520_000)
    assert (total.kind, total.period_start, total.period_end, total.measure) == ("result", 2021, 2025, "total")
    assert annual_result(facts, "urban_new_jobs", "level", 2025) == {}  # no one-year figure in the report
    assert any(f.kind == "target" and f.period_label == "2026" and f.value == 860_000 for f in jobs)


def test_2011_review_states_2010_results_not_2011_targets(corpus):
    facts = [f for f in facts_of(corpus, "national_china_2011.txt") if f.indicator == "urban_new_jobs"]
    result = next(f for f in facts if f.value == 11_680_000)
    assert (result.kind, result.period_label) == ("result", "2010")
    assert any(f.kind == "target" and f.period_label == "2011" and f.value == 9_000_000 for f in facts)


def test_2020_sets_no_gdp_growth_target(corpus):
    facts = facts_of(corpus, "national_china_2020.txt")
    assert annual_target(facts, "gdp", "growth", 2020) == {}
    assert annual_result(facts, "gdp", "growth", 2019)  # its review still states 2019's 6.1%


def test_1990s_full_width_digits_and_baifenzhi(corpus):
    facts = facts_of(corpus, "national_china_1996.txt")
    target = next(f for f in facts if f.value_text == "８％")  # 今年经济增长速度的调控目标定为８％
    assert (target.indicator, target.kind, target.period_label, target.value) == ("gdp", "target", "1996", 8.0)
    review = facts_of(corpus, "national_china_1993.txt")  # 1988-1992 reviewed in numerals written out
    average = next(f for f in review if f.value_text == "百分之七点九")  # 五年平均每年增长百分之七点九
    assert (average.value, average.measure, average.kind, average.period_label) == (7.9, "avg_growth", "result", "1988-1992")


def test_counts_of_things_and_durations_are_facts(corpus):
    county = facts_of(corpus, "county_changzi_2024.txt")
    assert any(f.value == 3 and f.unit == "条" and f.measure == "count" for f in county)  # 3条片区还迁
    national = facts_of(corpus, "national_china_2018.txt")
    assert any(f.value == 30 and f.unit == "年" for f in national)  # 延长30年


def test_fujian_reviews_are_results_although_its_headings_do_not_say_so(corpus):
    facts = facts_of(corpus, "provincial_fujian_2025.txt")
    jobs = next(f for f in facts if f.indicator == "urban_new_jobs" and f.value == 531_000)
    assert (jobs.kind, jobs.period_label) == ("result", "2024")
    assert annual_target(facts, "urban_new_jobs", "level", 2025)[jobs.report].value == 500_000


def test_respectively_gives_each_quantity_its_indicator(corpus):
    facts = facts_of(corpus, "provincial_xizang_2025.txt")
    targets = {(f.indicator, f.value, f.qualifier) for f in facts if f.kind == "target" and f.headline}
    assert {("surveyed_unemployment", 5.0, "以内"), ("cpi", 3.0, "以内"),
            ("urban_income", 8.0, ""), ("rural_income", 10.0, "")} <= targets


def test_field_scores_against_hand_labels(corpus):
    """Thresholds a little below what the rules reach on the eight seen label files (1234
    labels; measured P/R, extractor version 6: indicator 0.972/0.968, value 0.987/0.984,
    kind 0.982/0.979, period 0.972/0.968, measure 0.971/0.968)."""
    paths = [LABELS / name for name in TUNED_ON]
    scores = summary(score_all(corpus, load_labels(paths)))
    for field in ("indicator", "value", "kind", "period", "measure"):
        assert scores[field]["precision"] >= 0.95 and scores[field]["recall"] >= 0.94, field
    for name in sorted(p.name for p in LABELS.glob("*.jsonl")):  # every label file stands on the corpus
        assert load_labels([LABELS / name])


def test_english_translations_have_facts(corpus):
    facts = facts_of(corpus, "national_china_2022_en.txt")
    growth = [f for f in facts if f.indicator == "gdp" and f.kind == "target" and f.value == 5.5]
    assert growth and growth[0].period_label == "2022" and growth[0].language == "en"
