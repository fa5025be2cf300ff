"""Indicators: one data file (indicators.tsv) of what reports measure, with the Chinese and
English words that name each, and the lookups that find them in a clause or a question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("indicators.tsv")
# Short surface forms that are also the tail of other words (海洋生产总值, 旅游生产总值): in
# report text they count only after one of these characters (全省生产总值, 实现生产总值, 、生产总值).
BARE_SURFACES = {"生产总值": set("全省市区县年的和、，,：:现及与是为\n")}


@dataclass(frozen=True)
class Indicator:
    id: str
    measure: str  # the measure a percentage after the name usually has
    zh: tuple[str, ...]  # surface forms; the first is the display name
    en: tuple[str, ...]

    def name(self, level: str = "national", language: str = "zh") -> str:
        if language == "en":
            name = self.en[0] if self.en else self.id
            return re.sub(r"\b(gdp|cpi|r&d|pm2\.5)\b", lambda m: m.group(1).upper(), name)
        if self.id == "gdp":
            return "国内生产总值" if level in ("national", "") else "地区生产总值"
        return self.zh[0]


@lru_cache(maxsize=2)
def load_indicators(path: Path = DATA_FILE) -> dict[str, Indicator]:
    table: dict[str, Indicator] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) != 4 or cells[0] in table:
            raise ValueError(f"{path}:{number}: expected 4 tab-separated cells and a new id")
        zh = tuple(s for s in cells[2].split("|") if s)
        en = tuple(s.lower() for s in cells[3].split("|") if s)
        table[cells[0]] = Indicator(cells[0], cells[1], zh, en)
    return table


@lru_cache(maxsize=4)
def _surfaces(language: str = "zh") -> tuple[tuple[str, str], ...]:
    """(surface, id) pairs, longest surface first."""
    pairs = {s: ind.id for ind in load_indicators().values()
             for s in (ind.en if language == "en" else ind.zh)}
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


def get(indicator_id: str) -> Indicator | None:
    return load_indicators().get(indicator_id)


def display_name(indicator: str, level: str = "national", language: str = "zh") -> str:
    """The name to show for a fact's indicator (an id, or words as written)."""
    found = get(indicator)
    return found.name(level, language) if found else indicator


@lru_cache(maxsize=4)
def _surface_re(language: str) -> re.Pattern:
    """All surface forms in one pattern, longest first, so one scan finds them all."""
    return re.compile("|".join(re.escape(surface) for surface, _ in _surfaces(language)))


def find_in_clause(text: str, before: int | None = None, language: str = "zh"
                   ) -> tuple[str, str, int, int] | None:
    """The indicator whose surface form ends nearest before `before` (default: the end):
    (id, surface as written, start, end). English surfaces are matched in lower case; where
    surfaces overlap the longest wins (单位地区生产总值能耗, not 地区生产总值)."""
    limit = len(text) if before is None else before
    haystack = (text.lower() if language == "en" else text)[:limit]
    ids = dict(_surfaces(language))
    best = None
    for m in _surface_re(language).finditer(haystack):
        surface, pos = m.group(0), m.start()
        if surface in BARE_SURFACES and pos > 0 and haystack[pos - 1] not in BARE_SURFACES[surface]:
            continue
        best = (ids[surface], text[pos:m.end()], pos, m.end())
    return best


def first_in_text(text: str, language: str = "en") -> tuple[str, str, int, int] | None:
    """The indicator named first in `text` (for English words after a number:
    `11 million new urban jobs a surveyed urban unemployment rate …` names urban jobs)."""
    m = _surface_re(language).search(text.lower() if language == "en" else text)
    return (dict(_surfaces(language))[m.group(0)], text[m.start():m.end()], m.start(), m.end()) if m else None


_ASKED_INSIDE = re.compile(r"(?<=经济)(?:实际|年均|平均每年|平均|的)(?=增长|增速)")


def find_in_question(question: str) -> list[str]:
    """Indicator ids a question names, in order of appearance (Chinese and English words)."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    # 经济实际增长 / 经济年均增速 asked: the surface form 经济增长 with the measure's word inside it
    question = _ASKED_INSIDE.sub("", question)
    upper = question.upper().replace("ＧＤＰ", "GDP")
    for surface, ind_id in _question_surfaces():
        pos = upper.find(surface)
        if pos >= 0 and not any(s <= pos < e for s, e in taken):
            found.append((pos, ind_id))
            taken.append((pos, pos + len(surface)))
    lower = question.lower()
    for ind_id, patterns in _english_patterns():
        for pattern in patterns:
            if m := pattern.search(lower):
                if not any(s <= m.start() < e for s, e in taken):
                    found.append((m.start(), ind_id))
                    taken.append((m.start(), m.end()))
                break
    return list(dict.fromkeys(ind_id for _, ind_id in sorted(found)))


@lru_cache(maxsize=1)
def _question_surfaces() -> list[tuple[str, str]]:
    return [(surface.upper(), ind_id) for surface, ind_id in _surfaces()]


@lru_cache(maxsize=1)
def _english_patterns() -> list[tuple[str, list[re.Pattern]]]:
    """Each indicator's English words as compiled word patterns (once, not per question)."""
    return [(ind.id, [re.compile(rf"\b{re.escape(word)}\b") for word in ind.en]) for ind in load_indicators().values()]


def normalize(name: str) -> str | None:
    """The id a user's indicator string refers to (an id, a surface form, an English name)."""
    name = name.strip()
    if name in load_indicators():
        return name
    named = find_in_question(name)
    return named[0] if len(named) == 1 else (named[0] if named else None)
