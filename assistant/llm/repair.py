"""Citation repair: a claim whose numbers all occur in another given passage than the one it
cites is re-pointed to that passage, instead of the whole answer being discarded.

A claim is the text from the end of one run of markers to the end of the next ("…1200万人以上[1]。"
or "…5%。[2]"), so a marker after the sentence end still belongs to its sentence. Only claims
with numbers that cite a given passage are repaired: numbers are what can be checked exactly,
and a claim citing only invented ids ([7] of 3) was not grounded by the model at all. Small
models often drop the marker of their last sentence ("…拟按2.8%安排。"): an unmarked last claim
whose numbers one given passage holds gets that passage's marker. A claim with a number found
in no single given passage is left as it is, and the number check then rejects the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..numbers import extract_numbers, unsupported_numbers
from ..types import Passage
from .citations import MARKER_RE, cited_ids

_RUN_RE = re.compile(rf"(?:{MARKER_RE.pattern})+")
Supports = Callable[[list[Passage]], list[str]]  # cited passages -> texts a number may come from


def claims(text: str) -> list[tuple[str, list[int]]]:
    """(claim, ids it cites) for each claim of `text` that ends in a run of markers."""
    found, last = [], 0
    for run in _RUN_RE.finditer(text):
        claim = text[last:run.start()].strip(" \n。；;，,.!！?？")
        last = run.end()
        if claim:
            found.append((claim, cited_ids(run.group(0))))
    return found


def _supported(claim: str, passages: list[Passage], supports: Supports) -> bool:
    return bool(passages) and not unsupported_numbers(claim, supports(passages))


def _first_fit(claim: str, given: list[Passage], supports: Supports) -> int | None:
    return next((n for n in range(1, len(given) + 1) if _supported(claim, [given[n - 1]], supports)), None)


def _record(claim: str, cited: list[int], n: int, given: list[Passage]) -> dict:
    return {"claim": claim.strip(" \n。；;，,.!！?？"), "cited": cited, "repointed_to": n,
            "report": given[n - 1].report, "passage_start": given[n - 1].start}


def repair_citations(text: str, given: list[Passage], supports: Supports) -> tuple[str, list[dict]]:
    """`text` with the markers of each mis-cited claim replaced by the id of the first given
    passage that holds all its numbers, a marker added to an unmarked last claim whose numbers
    one passage holds ("cited": []), and one record per repair (ids as the model saw them)."""
    pieces, repairs, last = [], [], 0
    for run in _RUN_RE.finditer(text):
        claim, markers = text[last:run.start()], run.group(0)
        last = run.end()
        ids = [n for n in cited_ids(markers) if 1 <= n <= len(given)]
        if ids and extract_numbers(claim) and not _supported(claim, [given[n - 1] for n in ids], supports):
            if (n := _first_fit(claim, given, supports)) is not None:
                markers = f"[{n}]"
                repairs.append(_record(claim, ids, n, given))
        pieces.append(claim + markers)
    tail = text[last:]
    if extract_numbers(tail) and (n := _first_fit(tail, given, supports)) is not None:
        tail += f"[{n}]"
        repairs.append(_record(tail[:-len(f"[{n}]")], [], n, given))
    pieces.append(tail)
    return "".join(pieces), repairs
