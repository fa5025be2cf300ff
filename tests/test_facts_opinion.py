"""The learned second opinion (facts/opinion.py, an experiment the extractor does not run): it
overrules the rules only above its threshold, and a new period sets the kind again."""

from __future__ import annotations

from dataclasses import replace

from assistant.facts.opinion import FieldModel, absolute_period, features, relative_period, revise
from assistant.types import Fact

TEXT = "一、2025年工作回顾\n制定“十五五”期间重大项目清单，建成骨干水源工程100个。"


def _fact(**changes) -> Fact:
    start = TEXT.index("建成")
    value = TEXT.index("100")
    fact = Fact(report="r", start=start, end=value + 4, text=TEXT[start:value + 4], indicator="水源工程",
                indicator_text="骨干水源工程", value=100, value_max=None, unit="个", value_text="100个",
                qualifier="", kind="target", period_start=2026, period_end=2030, period_label="十五五",
                measure="total", value_start=value, value_end=value + 4, sentence_start=TEXT.index("制定"),
                sentence_end=len(TEXT), heading="一、2025年工作回顾", part="review", year=2026, commitment=False)
    return replace(fact, **changes)


def _model(winner: str, score: float, feature: str = "part=review") -> FieldModel:
    classes = ["OTHER", "-1", "+0..+4"] if winner in ("-1", "+0..+4") else ["OTHER", "count", "total"]
    return FieldModel({"classes": classes, "bias": [0.0, 0.0, 0.0], "threshold": 0.8,
                       "weights": {feature: [[classes.index(winner), score]]}})


def test_periods_relative_to_the_report_year_round_trip():
    assert relative_period(2026, 2021, 2025) == "-5..-1" and relative_period(2026, 2025, 2025) == "-1"
    assert absolute_period(2026, "-5..-1") == (2021, 2025) and absolute_period(2026, "+0") == (2026, 2026)


def test_the_model_overrules_only_when_sure_and_resets_the_kind():
    fact = _fact()
    assert "part=review" in features(fact, TEXT) and "L:程" in features(fact, TEXT)
    sure = revise(fact, TEXT, {"period": _model("-1", 5.0)})  # p = e^5 / (e^5 + 2) = 0.987
    assert (sure.period_start, sure.period_end, sure.kind, sure.period_label) == (2025, 2025, "result", "2025")
    unsure = revise(fact, TEXT, {"period": _model("-1", 0.5)})  # p = 0.45: the rules stand
    assert unsure == fact
    assert revise(fact, TEXT, {"measure": _model("count", 5.0)}).measure == "count"
    assert revise(fact, TEXT, {}) == fact
