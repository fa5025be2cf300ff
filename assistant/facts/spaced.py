"""Spaced digits: national 1998 writes every digit with a space after it (`1 9 9 7 年国内生产总值
达到7 4 7 7 2 亿元`, `8 ．8 ％`). The rules read a copy without those spaces and map each offset
of the copy back to the report, so a fact's spans still index the text as written."""

from __future__ import annotations

import re

_SPACED_RUN = re.compile(r"[0-9０-９] [0-9０-９．.％%]")  # a spaced digit: the text writes them so (Chinese only)
_AFTER_DIGIT = re.compile(r"(?<=[0-9０-９．.]) ")


def compact(text: str) -> tuple[str, list[int] | None]:
    """`text` without the spaces after digits when it spaces its digits, and the offset in `text`
    of each character of the copy (one more for its end); (`text`, None) when it does not."""
    if not _SPACED_RUN.search(text):
        return text, None
    dropped = {m.start() for m in _AFTER_DIGIT.finditer(text)}
    keep = [i for i in range(len(text)) if i not in dropped]
    return "".join(text[i] for i in keep), keep + [len(text)]


def original(positions: list[int] | None, offset: int) -> int:
    """The offset in the report's text of offset `offset` of the copy."""
    return positions[offset] if positions is not None else offset


__all__ = ["compact", "original"]
