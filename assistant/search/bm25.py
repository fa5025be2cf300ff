"""Keyword search: BM25 (bm25s's weights, search/bm25_index.py) over jieba tokens.

Tokens: NFKC text; Chinese runs cut by a private jieba tokenizer (cut_for_search, so a long
term also yields its dictionary sub-words: 超长期特别国债 -> 特别, 国债, 特别国债, ...);
English words lower-cased; numbers kept as digit tokens ("7,000" -> "7000", "5.5%" -> "5.5");
punctuation and a few function/question words dropped."""

from __future__ import annotations

import copy
import functools
import logging
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..textutil import nfkc
from ..words import word_set
from .bm25_index import Allowed, Bm25Index, Ranges, allowed_mask, row_ranges, top_k

__all__ = ["Allowed", "Bm25Index", "Ranges", "Tokenizer", "allowed_mask", "idf_weights", "read_cuts",
           "row_ranges", "top_k", "write_cuts"]

TOKENIZER_VERSION = "1"  # bump when tokenization changes: cached tokens are then redone

_SEGMENT_RE = re.compile(r"(?P<num>\d+(?:[.,]\d+)*)|(?P<latin>[a-z][a-z0-9'\-]*)|(?P<cjk>[\u3400-\u9fff]+)")
CJK_STOPWORDS = word_set("search_stopwords_zh")
EN_STOPWORDS = word_set("search_stopwords_en")

CUT_CACHE_SIZE = 1 << 16  # Chinese runs whose jieba cut is kept (≈ 25 MB when full)


class Tokenizer:
    """Text -> BM25 tokens with a private jieba tokenizer holding the user dictionary.

    The jieba cut of each Chinese run (the text between punctuation, digits and Latin words)
    depends on the run alone, so cuts can be reused without changing a token: the index keeps
    the cuts of every run of a report's passages (tokens/<key>.cuts.tsv, see `cuts_of`), the
    store hands them over with `add_cuts` for the reports a question retrieves, and the
    evidence scorer's sentences, clauses and headings (made of the same runs) are then never
    cut again; other text goes through an LRU cache of cuts."""

    def __init__(self, userdict: Iterable[str] = (), cache_size: int = CUT_CACHE_SIZE):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word in userdict:
            self._jieba.add_word(word)
        self._cut = functools.lru_cache(maxsize=cache_size)(self._cut_run) if cache_size else self._cut_run
        self._known: dict[str, str] = {}  # cuts stored at index time (add_cuts)

    def _cut_run(self, run: str) -> tuple[str, ...]:
        return tuple(t for t in self._jieba.cut_for_search(run) if t not in CJK_STOPWORDS and not t.isspace())

    def add_cuts(self, cuts: dict[str, str]) -> None:
        """Cuts computed at index time (run -> its tokens joined by spaces, see `cuts_of`),
        used instead of cutting those runs again."""
        self._known.update(cuts)

    def knowing(self, cuts: dict[str, str]) -> Tokenizer:
        """This tokenizer (same jieba, same cache) with `cuts` as its known runs instead: the
        build prepares a report's units with the cuts its tokens just gave (search/units.py)."""
        view = copy.copy(self)
        view._known = cuts
        return view

    @property
    def known_runs(self) -> int:
        return len(self._known)

    def cuts_of(self, texts: Iterable[str]) -> dict[str, str]:
        """Every Chinese run of `texts` with its cut, the tokens joined by spaces (a Chinese
        run's tokens hold no space): strings, not lists, so loading them is cheap."""
        cuts: dict[str, str] = {}
        for text in texts:
            self.tokenize(text, cuts)
        return cuts

    def cache_info(self):
        """functools' hits/misses/maxsize/currsize of the cut cache (None when disabled)."""
        info = getattr(self._cut, "cache_info", None)
        return info() if info else None

    def tokenize(self, text: str, cuts: dict[str, str] | None = None) -> list[str]:
        """The BM25 tokens of `text`; with `cuts`, also records each Chinese run's cut there
        (the tokens joined by spaces, as `add_cuts` takes them)."""
        tokens: list[str] = []
        for match in _SEGMENT_RE.finditer(nfkc(text).lower()):
            kind = match.lastgroup
            value = match.group()
            if kind == "num":
                tokens.append(value.replace(",", ""))
            elif kind == "latin":
                if value not in EN_STOPWORDS:
                    tokens.append(value)
            else:
                cut = self._known.get(value)
                if cut is None:
                    run_tokens = self._cut(value)
                    tokens.extend(run_tokens)
                    if cuts is not None:
                        cuts[value] = " ".join(run_tokens)
                else:
                    if cut:
                        tokens.extend(cut.split(" "))
                    if cuts is not None:
                        cuts[value] = cut
        return tokens


def idf_weights(index: Bm25Index, tokens: Iterable[str]) -> dict[str, float]:
    """Inverse document frequency of each token over the indexed passages (BM25's formula).
    A token never seen in the corpus gets the highest weight: it cannot be covered."""
    n = index.size
    weights: dict[str, float] = {}
    for token in tokens:
        token_id = index.vocab.get(token)
        df = 0 if token_id is None else index.df(token_id)
        weights[token] = float(np.log((n - df + 0.5) / (df + 0.5) + 1.0))
    return weights


def write_cuts(path: Path, cuts: dict[str, str]) -> None:
    """One line per run: run, tab, its tokens joined by spaces."""
    path.write_text("".join(f"{run}\t{tokens}\n" for run, tokens in cuts.items()), encoding="utf-8")


def read_cuts(path: Path) -> dict[str, str]:
    cuts: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        run, tab, tokens = line.partition("\t")
        if tab:
            cuts[run] = tokens
    return cuts
