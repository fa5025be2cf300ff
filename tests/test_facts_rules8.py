"""The eighth round of fact rules (issue 10, extractor 13), written on round 8's four label files
(Hubei 2026, Yunnan 2026, national 2010, 2019_en) and asserted on other reports: a list's unit written
once, a price or benefit raised by an amount, a growth rate named after its number, a tax's rate,
verbs that name no indicator. Round 7's held-out three (eval/facts/heldout7) are not read."""

from __future__ import annotations

import pytest
from facts_helpers import fact, facts_of

REPORTS = ("provincial_jiangxi_2025", "national_china_2011", "provincial_ningxia_2026", "provincial_guangdong_2026",
           "national_china_2016", "provincial_liaoning_2026", "national_china_2018_en", "national_china_2010_en",
           "national_china_2012_en")


@pytest.fixture(scope="module")
def facts(corpus_dir):
    return facts_of(corpus_dir, REPORTS)


def test_a_lists_unit_written_once_after_its_last_item(facts):
    first = fact(facts, "provincial_jiangxi_2025", "分别提高11.1", 11.1)
    assert (first.unit, first.measure) == ("个百分点", "pp_change")


def test_a_price_or_benefit_raised_by_an_amount_is_a_change(facts):
    assert fact(facts, "national_china_2011", "每50公斤提高5到7元", 5).measure == "change"
    assert fact(facts, "provincial_ningxia_2026", "最低工资标准每月提高183元", 183).measure == "change"
    # an area upgraded is delivered, not a rise of it
    assert fact(facts, "provincial_guangdong_2026", "完成林分优化提升200万亩", 2e6).measure != "change"


def test_a_growth_rate_named_after_its_number_is_gdp_growth(facts):
    rate = fact(facts, "national_china_2016", "有6.5%—7%的增速就能够实现比较充分的就业", 6.5)
    assert (rate.indicator, rate.measure) == ("gdp", "growth")
    assert fact(facts, "provincial_liaoning_2026", "确定4.5%左右的增长目标", 4.5).indicator == "gdp"


def test_english_a_taxs_rate_is_a_level_and_participles_name_nothing(facts):
    assert fact(facts, "national_china_2010_en", "purchase tax for small-displacement automobiles at 7.5", 7.5).measure \
        == "level"
    spending = fact(facts, "national_china_2018_en", "Government expenditure is budgeted at 21 trillion yuan", 2.1e13)
    assert spending.indicator == "government expenditure"
    # `with the total amount reaching 2.82 trillion yuan`: `reaching` is no indicator
    assert fact(facts, "national_china_2012_en", "with the total amount reaching 2.82 trillion yuan", 2.82e12) \
        .indicator != "reaching"
