"""One place, two years: `广东2026年GDP增长目标和2025年比有什么变化？` (one indicator, both
values cited and the direction), or `广东2026年的目标和2025年相比有什么变化？` (every
indicator both reports target: raised, lowered, unchanged, new, dropped). The same for two
places in one year: `广东和江苏2026年的目标相比有什么不同？`."""

from __future__ import annotations

from ..facts import indicators
from ..facts.lookup import format_value
from ..types import Fact
from .cite import describe, fact_answer
from .value import find, where_of

CHANGE_WORDS = {"up": ("上调", "raised"), "down": ("下调", "lowered"), "same": ("持平", "unchanged")}


def direction(old: Fact, new: Fact) -> str:
    a = (old.value + (old.value_max if old.value_max is not None else old.value)) / 2
    b = (new.value + (new.value_max if new.value_max is not None else new.value)) / 2
    if abs(a - b) < 1e-9:
        return "same"  # 3% and 3%左右 are the same figure, worded differently
    return "up" if b > a else "down"


def yoy_answer(qa, query):
    years = sorted(set(query.years))
    if len(query.regions) == 2 and len(years) <= 1:
        return _two_places(qa, query, years[0] if years else None)
    if len(years) != 2:
        return None
    if query.indicators:
        return _one_indicator(qa, query, query.indicators[0], years)
    return _all_targets(qa, query, years)


def _one_indicator(qa, query, indicator: str, years: list[int]):
    kind = query.kind or "target"
    old, new = (find(qa, query, indicator, y, kind) for y in years)
    if old is None or new is None:
        return None
    word = CHANGE_WORDS[direction(old, new)]
    if query.language == "en":
        lead = [f"{describe(old, 'en', 1)}; {describe(new, 'en', 2)}: {word[1]}."]
    else:
        lead = [f"{describe(old, 'zh', 1)}；{describe(new, 'zh', 2)}；{years[1]}年较{years[0]}年{word[0]}。"]
    answer = fact_answer(qa, query, [old, new], lead)
    if answer is not None:  # the same table shape as a per-year answer: one row per year
        label = "{}" if query.language == "en" else "{}年"
        answer.table = [{"year": label.format(year), "value": format_value(fact), "quote": cit.quote,
                         "report": cit.report, "n": cit.n}
                        for year, fact, cit in zip(years, (old, new), answer.citations, strict=True)]
    return answer


def _all_targets(qa, query, years: list[int]):
    where = where_of(qa, query)
    firsts: dict[int, dict[str, Fact]] = {}
    for year in years:
        chosen: dict[str, Fact] = {}
        for fact in qa.headline_targets(year, **where):
            chosen.setdefault(fact.indicator, fact)
        firsts[year] = chosen
    old, new = firsts[years[0]], firsts[years[1]]
    both = [ind for ind in new if ind in old]
    if not both:
        return None
    facts: list[Fact] = []
    lines = [f"{years[1]}年与{years[0]}年的目标对比：" if query.language != "en"
             else f"Targets of {years[1]} against {years[0]}:"]
    table = []
    for ind in both:
        facts += [old[ind], new[ind]]
        n_old, n_new = len(facts) - 1, len(facts)
        word = CHANGE_WORDS[direction(old[ind], new[ind])]
        name = indicators.display_name(ind, new[ind].level, query.language)
        lines.append(f"- {name}：{format_value(old[ind])}[{n_old}] → {format_value(new[ind])}[{n_new}]（{word[0]}）"
                     if query.language != "en" else
                     f"- {name}: {format_value(old[ind])} [{n_old}] -> {format_value(new[ind])} [{n_new}] ({word[1]})")
        table.append({"indicator": name, str(years[0]): format_value(old[ind]),
                      str(years[1]): format_value(new[ind]), "change": word[0 if query.language != "en" else 1]})
    only_new = [indicators.display_name(i, new[i].level) for i in new if i not in old]
    only_old = [indicators.display_name(i, old[i].level) for i in old if i not in new]
    if only_new:
        lines.append(("新增目标：" if query.language != "en" else "New: ") + "、".join(only_new))
    if only_old:
        lines.append(("不再列出：" if query.language != "en" else "Dropped: ") + "、".join(only_old))
    return fact_answer(qa, query, facts, lines, table=table)


def _two_places(qa, query, year: int | None):
    """Every annual target both places' reports of `year` set, side by side, each cited."""
    a, b = query.regions
    if year is None:
        years = [r.year for r in qa.reports.values() if r.region in (a, b) and r.year]
        year = max(years) if years else None
    if year is None:
        return None
    firsts = []
    for region in (a, b):
        chosen: dict[str, Fact] = {}
        for fact in qa.headline_targets(year, regions=[region], level="provincial"):
            if not query.indicators or fact.indicator in query.indicators:
                chosen.setdefault(fact.indicator, fact)
        firsts.append(chosen)
    both = [ind for ind in firsts[0] if ind in firsts[1]]
    if not both:
        return None
    names = [firsts[0][both[0]].region_name, firsts[1][both[0]].region_name]
    en = query.language == "en"
    lines = [f"{year} targets, {names[0]} and {names[1]}:" if en else f"{year}年{names[0]}与{names[1]}的目标对比："]
    facts, table = [], []
    for ind in both:
        left, right = firsts[0][ind], firsts[1][ind]
        facts += [left, right]
        name = indicators.display_name(ind, "provincial", query.language)
        lines.append(f"- {name}: {format_value(left)} [{len(facts) - 1}] / {format_value(right)} [{len(facts)}]" if en
                     else f"- {name}：{format_value(left)}[{len(facts) - 1}]，{format_value(right)}[{len(facts)}]")
        table.append({"indicator" if en else "指标": name, names[0]: format_value(left), names[1]: format_value(right)})
    return fact_answer(qa, query, facts, lines, table=table)
