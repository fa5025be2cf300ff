"""The keyword side of a build: token lists and BM25 counts per report, then the BM25 index.

Work proportional to the changed reports only: a report whose passages key and user
dictionary are those of the live generation keeps its tokens key from the live manifest (its
passages are not read back), and its BM25 counts (`tokens/<key>.counts-<vocabulary>.i32`, raw little-endian int32,
bm25_index.report_counts) from the live generation. The vocabulary only grows between
`--rebuild`s (its id, `vocabulary`, names the lineage): a changed report's new tokens are
appended, so the ids in the live generation's counts files stay valid. Counts are taken from
the live generation alone, never from a killed build (whose appended ids were never published).
A `--rebuild`, a first build or an index of an older format starts a new vocabulary, in order
of first occurrence over the reports, which is the order a build of the whole corpus gives.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import layout
from .bm25 import TOKENIZER_VERSION, Tokenizer, read_cuts, write_cuts
from .bm25_index import FORMAT, Bm25Index, report_counts
from .reuse import Pieces, key, reuse, save_atomic
from .units import UNITS_VERSION, format_units
from .userdict import userdict_sha


def counts_file(token_key: str, vocabulary: str) -> str:
    return f"{layout.TOKENS_DIR}/{token_key}.counts-{vocabulary}.i32"


def live_vocabulary(live: Path | None, manifest: dict | None) -> tuple[str, dict[str, int]] | None:
    """(vocabulary id, token -> id) of the live generation, None when it has none to grow."""
    if live is None or not manifest or not manifest.get("bm25_vocabulary"):
        return None
    try:
        params = json.loads((live / layout.BM25_DIR / "params.json").read_text(encoding="utf-8"))
        if params.get("format") != FORMAT:
            return None
        return manifest["bm25_vocabulary"], Bm25Index.load_vocab(live / layout.BM25_DIR)
    except (OSError, ValueError):
        return None


class KeywordBuild:
    """Token lists, cuts and counts of each report in row order, then `index()`."""

    def __init__(self, generation: Path, words: list[str], cache_dirs: list[Path], live: Path | None,
                 live_manifest: dict | None):
        self.generation, self.words, self.cache_dirs = generation, words, cache_dirs
        self.dict_key = userdict_sha(words)
        grown = live_vocabulary(live, live_manifest)
        self.vocabulary, self.vocab = grown if grown else (uuid.uuid4().hex[:16], {})
        self._live = [live] if grown else []  # counts of this vocabulary: the live generation's only
        old = live_manifest or {}
        self._same_dict = (old.get("userdict") or {}).get("sha", old.get("userdict_sha")) == self.dict_key
        self._old_reports = old.get("reports", {})
        self._tokenizer: Tokenizer | None = None
        self.keys: dict[str, str] = {}
        self.units: dict[str, str] = {}  # report -> its units key (search/units.py)
        self._cuts: dict[str, dict[str, str]] = {}  # report -> the cuts its tokens just gave
        self.parts: list[np.ndarray] = []
        self.tokenized: list[str] = []  # reports tokenised in this build

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = Tokenizer(self.words)
        return self._tokenizer

    def token_key(self, report_id: str, passages_key: str, texts: Callable[[], list[str]]) -> str:
        old = self._old_reports.get(report_id, {})
        if self._same_dict and old.get("passages_key") == passages_key and old.get("tokens"):
            return old["tokens"]
        return key("tokens", TOKENIZER_VERSION, self.dict_key, *texts())

    def add(self, report_id: str, pieces: Pieces) -> None:
        """One report, in row order: its tokens, cuts, counts and evidence units."""
        self.add_tokens(report_id, pieces.keys[report_id], lambda: pieces.texts(report_id))
        self.add_units(report_id, pieces.keys[report_id], lambda: pieces.passages(report_id))

    def add_units(self, report_id: str, passages_key: str, passages: Callable[[], list]) -> None:
        """tokens/<key>.units.tsv: the report's passages as the evidence scorer sees them,
        made only for a report no older generation has them for (search/units.py)."""
        self.units[report_id] = units_key = key("units", UNITS_VERSION, self.keys[report_id], passages_key)
        relative = layout.units_file(units_key)
        cuts = self._cuts.pop(report_id, None)
        if not reuse(self.cache_dirs, self.generation, relative):
            if cuts is None:  # tokens kept from an index without units: their stored cuts
                try:
                    cuts = read_cuts(self.generation / layout.cuts_file(self.keys[report_id]))
                except (OSError, ValueError):
                    cuts = {}
            text = format_units(passages(), self.tokenizer.knowing(cuts).tokenize)
            save_atomic(self.generation / relative, lambda p: p.write_text(text, encoding="utf-8"))

    def add_tokens(self, report_id: str, passages_key: str, texts: Callable[[], list[str]]) -> None:
        """One report, in row order: its tokens key, token lists (and cuts) and counts."""
        self.keys[report_id] = token_key = self.token_key(report_id, passages_key, texts)
        relative = f"{layout.TOKENS_DIR}/{token_key}.json"
        cuts_relative = layout.cuts_file(token_key)
        have_tokens = reuse(self.cache_dirs, self.generation, relative)
        have_cuts = reuse(self.cache_dirs, self.generation, cuts_relative)
        counts_relative = counts_file(token_key, self.vocabulary)
        if have_tokens and have_cuts and reuse(self._live, self.generation, counts_relative):
            self.parts.append(np.fromfile(self.generation / counts_relative, dtype="<i4"))
            return
        cuts: dict[str, str] | None = None if have_cuts else {}
        if have_tokens:
            token_lists = json.loads((self.generation / relative).read_text(encoding="utf-8"))
            if cuts is not None:  # tokens from an index older than the cuts files
                cuts = self.tokenizer.cuts_of(texts())
        else:
            token_lists = [self.tokenizer.tokenize(text, cuts) for text in texts()]
            self.tokenized.append(report_id)
            save_atomic(self.generation / relative, lambda p: p.write_text(
                json.dumps(token_lists, ensure_ascii=False), encoding="utf-8"))
        if cuts is not None:
            save_atomic(self.generation / cuts_relative, lambda p: write_cuts(p, cuts))
            self._cuts[report_id] = cuts
        counts = report_counts(token_lists, self.vocab)
        save_atomic(self.generation / counts_relative, lambda p: counts.astype("<i4").tofile(p))
        self.parts.append(counts)

    def index(self) -> Bm25Index:
        index = Bm25Index.from_parts(self.parts, self.vocab)
        index.save(self.generation / layout.BM25_DIR)
        return index
