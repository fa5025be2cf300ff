"""Indicator names: a synonym dictionary (indicators.tsv) mapping surface forms to one
canonical name, and the lookup that finds the indicator a quantity belongs to."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("indicators.tsv")
GROWTH_WORDS = ("增长", "上涨", "增速", "涨幅")
# National names and their provincial/county counterparts.
REGIONAL_NAMES = {"国内生产总值增长": "地区生产总值增长", "国内生产总值": "地区生产总值"}


@lru_cache(maxsize=4)
def load_synonyms(path: Path = DATA_FILE) -> tuple[tuple[str, str], ...]:
    """(surface, canonical) pairs, longest surface first."""
    pairs: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        canonical, _, synonyms = raw.partition("\t")
        canonical = canonical.strip()
        for surface in [canonical, *synonyms.split("|")]:
            if surface.strip():
                pairs.setdefault(surface.strip(), canonical)
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


def canonical_names() -> list[str]:
    return sorted({canonical for _, canonical in load_synonyms()})


def find_indicator(text: str, before: int | None = None) -> tuple[str, int] | None:
    """The canonical indicator whose synonym ends nearest before position `before`
    (default: the end of `text`), as (canonical, end offset of the synonym)."""
    limit = len(text) if before is None else before
    best: tuple[str, int, int] | None = None  # canonical, end, length
    for surface, canonical in load_synonyms():
        pos = text.rfind(surface, 0, limit)
        if pos < 0:
            continue
        end = pos + len(surface)
        if best is None or end > best[1] or (end == best[1] and len(surface) > best[2]):
            best = (canonical, end, len(surface))
    return (best[0], best[1]) if best else None


def growth_variant(canonical: str) -> str:
    """'国内生产总值' -> '国内生产总值增长' when such an entry exists, else unchanged."""
    names = {c for _, c in load_synonyms()}
    if canonical.endswith("增长"):
        return canonical
    return canonical + "增长" if canonical + "增长" in names else canonical


def for_level(canonical: str, level: str) -> str:
    """GDP names of national reports become 地区生产总值 names in regional reports."""
    if level and level != "national":
        return REGIONAL_NAMES.get(canonical, canonical)
    return canonical


def normalize_query(name: str) -> str | None:
    """The canonical name a user's indicator string refers to, or None."""
    name = name.strip()
    for surface, canonical in load_synonyms():
        if name == surface or name == canonical:
            return canonical
    if name.upper() == "GDP":
        return "国内生产总值增长"
    return None
