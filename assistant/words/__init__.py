"""Word tables: plain files beside this module, one per table, read once.

`*.txt` files hold words separated by white space (`#` starts a comment); `*.tsv` files hold a key,
a tab and its values separated by spaces. Code asks for a table by its file name; a missing file
is an error at import time, not a silent empty set."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


def _lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [line.split("#", 1)[0].rstrip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


@cache
def word_set(name: str) -> frozenset[str]:
    """The words of `name`.txt."""
    return frozenset(word for line in _lines(f"{name}.txt") for word in line.split())


@cache
def word_map(name: str) -> dict[str, tuple[str, ...]]:
    """`name`.tsv as key -> its values, in file order."""
    rows = (line.split("\t") for line in _lines(f"{name}.tsv"))
    return {key.strip(): tuple(values.split()) for key, values in rows}


@cache
def word_pairs(name: str) -> dict[str, str]:
    """`name`.tsv as key -> its one value (which may hold spaces), in file order."""
    rows = (line.split("\t") for line in _lines(f"{name}.tsv"))
    return {key.strip(): value.strip() for key, value in rows}


@cache
def word_groups(name: str) -> tuple[tuple[str, ...], ...]:
    """The lines of `name`.txt, each a group of words meaning the same."""
    return tuple(tuple(line.split()) for line in _lines(f"{name}.txt"))


@cache
def five_year_plans() -> dict[str, tuple[int, int]]:
    """Five-year plan names and their spans: 十四五 -> (2021, 2025)."""
    return {name: (int(start), int(end)) for name, (start, end, _) in word_map("five_year_plans").items()}


@cache
def five_year_plans_by_ordinal() -> dict[int, tuple[int, int]]:
    """The same spans by the plan's ordinal, as English names them: 14 (the 14th) -> (2021, 2025).
    The plans are not every five years from 1953 (1963–65 had none), so the ordinal is looked up."""
    return {int(n): (int(start), int(end)) for start, end, n in word_map("five_year_plans").values()}
