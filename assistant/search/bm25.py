"""Keyword search: bm25s over jieba tokens.

Tokens: NFKC text; Chinese runs cut by a private jieba tokenizer (cut_for_search, so a long
term also yields its dictionary sub-words: 超长期特别国债 -> 特别, 国债, 特别国债, ...);
English words lower-cased; numbers kept as digit tokens ("7,000" -> "7000", "5.5%" -> "5.5");
punctuation and a few function/question words dropped."""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ..textutil import nfkc
from ..words import word_set

TOKENIZER_VERSION = "1"  # bump when tokenization changes: cached tokens are then redone

_SEGMENT_RE = re.compile(r"(?P<num>\d+(?:[.,]\d+)*)|(?P<latin>[a-z][a-z0-9'\-]*)|(?P<cjk>[\u3400-\u9fff]+)")
CJK_STOPWORDS = word_set("search_stopwords_zh")
EN_STOPWORDS = word_set("search_stopwords_en")

Allowed = Sequence[int] | np.ndarray | None  # passage indexes, or a boolean mask over all passages


CUT_CACHE_SIZE = 1 << 16  # Chinese runs whose jieba cut is kept (≈ 25 MB when full)
SCORE_CACHE_SIZE = 8  # queries whose score vector over all passages is kept (4 bytes a passage)


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


def allowed_mask(allowed: Allowed, size: int) -> np.ndarray | None:
    """A boolean mask of length `size` from a mask or a list of passage indexes (None = all)."""
    if allowed is None:
        return None
    array = np.asarray(allowed)
    if array.dtype == bool:
        if array.shape != (size,):
            raise ValueError(f"allowed mask has shape {array.shape}, expected ({size},)")
        return array
    mask = np.zeros(size, dtype=bool)
    if array.size:
        mask[array.astype(np.int64)] = True
    return mask


def top_k(scores: np.ndarray, k: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
    """The k best (index, score) pairs with a positive score, best first."""
    scores = np.asarray(scores, dtype=np.float32)
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    candidates = np.flatnonzero(scores > 0)
    if k <= 0 or candidates.size == 0:
        return []
    if candidates.size > k:
        candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    order = candidates[np.lexsort((candidates, -scores[candidates]))]
    return [(int(i), float(scores[i])) for i in order]


class Bm25Index:
    """A bm25s index over one token list per passage; rows = passage indexes."""

    def __init__(self, retriever, size: int):
        self._retriever = retriever
        self.size = size
        # the scores of the last queries: a multi-year question searches the same tokens once
        # per year, each time in another year's passages (the scores are never written to)
        self._scores = functools.lru_cache(maxsize=SCORE_CACHE_SIZE)(self._scores_of)

    def _scores_of(self, ids: tuple[int, ...]) -> np.ndarray:
        return self._retriever.get_scores_from_ids(list(ids))

    @classmethod
    def build(cls, token_lists: Sequence[list[str]]) -> Bm25Index:
        """bm25s's index of these token lists, its score matrix computed with whole-array numpy
        (`score_matrix`) instead of bm25s's loop over passages, 5-6x faster."""
        import bm25s

        retriever = bm25s.BM25()
        retriever.scores, retriever.vocab_dict = score_matrix(token_lists, retriever.k1, retriever.b)
        retriever.nonoccurrence_array = None
        retriever.unique_token_ids_set = set(retriever.vocab_dict.values())
        return cls(retriever, len(token_lists))

    @classmethod
    def build_with_bm25s(cls, token_lists: Sequence[list[str]]) -> Bm25Index:
        """The same index built by bm25s itself (the reference `build` is tested against)."""
        import bm25s

        retriever = bm25s.BM25()
        # bm25s needs at least one token per document; "" is its own empty token
        retriever.index([tokens or [""] for tokens in token_lists], show_progress=False)
        return cls(retriever, len(token_lists))

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> Bm25Index:
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        num_docs = int(retriever.scores["num_docs"])
        if num_docs != size:
            raise ValueError(f"BM25 index has {num_docs} passages, expected {size}")
        return cls(retriever, size)

    def search(self, tokens: list[str], k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        ids = sorted(set(self._retriever.get_tokens_ids([t for t in tokens if t])))
        if not ids:
            return []
        return top_k(self._scores(tuple(ids)), k, allowed_mask(allowed, self.size))


def score_matrix(token_lists: Sequence[list[str]], k1: float, b: float) -> tuple[dict, dict[str, int]]:
    """bm25s's scores (Lucene BM25: its idf and term-frequency formulas, float64 arithmetic in
    its order, stored as float32) as a CSC matrix passages x vocabulary, and the vocabulary:
    every (passage, token) score equals the one `bm25s.BM25().index` computes."""
    vocab: dict[str, int] = {}
    ids: list[int] = []
    lengths = np.empty(len(token_lists), dtype=np.int64)
    for row, tokens in enumerate(token_lists):
        tokens = tokens or [""]  # bm25s needs at least one token per passage
        lengths[row] = len(tokens)
        ids.extend([vocab.setdefault(token, len(vocab)) for token in tokens])
    n_docs, n_vocab = len(token_lists), len(vocab)
    docs = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    pairs, counts = np.unique(np.asarray(ids, dtype=np.int64) * n_docs + docs, return_counts=True)
    tokens_of, docs_of = np.divmod(pairs, n_docs)  # sorted by token, then passage: CSC order
    df = np.bincount(tokens_of, minlength=n_vocab)
    idf = np.array([math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) if d else 0.0 for d in df.tolist()],
                   dtype=np.float32)
    tf = counts.astype(np.float32)
    tfc = tf / (k1 * ((1 - b) + b * lengths[docs_of] / lengths.mean()) + tf)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    scores = {"data": (idf[tokens_of] * tfc).astype(np.float32), "indices": docs_of.astype(np.int32),
              "indptr": indptr, "num_docs": n_docs}
    if "" not in vocab:
        vocab[""] = n_vocab
    return scores, vocab


def idf_weights(index: Bm25Index, tokens: Iterable[str]) -> dict[str, float]:
    """Inverse document frequency of each token over the indexed passages (BM25's formula).
    A token never seen in the corpus gets the highest weight: it cannot be covered."""
    retriever = index._retriever
    indptr = retriever.scores["indptr"]
    n = index.size
    weights: dict[str, float] = {}
    for token in tokens:
        token_id = retriever.vocab_dict.get(token)
        df = 0 if token_id is None else int(indptr[token_id + 1] - indptr[token_id])
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
