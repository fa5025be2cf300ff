"""An English -> Chinese term lexicon mined from the corpus's official sentence pairs
(`parallel/*_zh_en.tsv`), so English questions can search and score Chinese reports.

For every English word and Chinese word that occur in the same aligned sentence pair, the Dice
coefficient 2·both / (pairs with the English word + pairs with the Chinese word) measures how
often they translate each other; each English word keeps its best Chinese word above MIN_DICE.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

from .words import word_set

MIN_DICE = 0.4
MIN_PAIRS = 3
EN_STOPWORDS = word_set("lexicon_stopwords_en")
_EN_WORD = re.compile(r"[a-z][a-z0-9\-.]*[a-z0-9]|[a-z]")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def read_pairs(parallel_dir: Path) -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(parallel_dir.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            pairs += [(row["zh"], row["en"]) for row in csv.DictReader(handle, delimiter="\t")
                      if row.get("zh") and row.get("en")]
    return pairs


def build_lexicon(pairs: list[tuple[str, str]], cut) -> dict[str, str]:
    """English word -> its most associated Chinese word (words tied for it, space-joined).
    `cut(text)` segments Chinese."""
    english_df: Counter = Counter()
    chinese_df: Counter = Counter()
    both: Counter = Counter()
    for zh, en in pairs:
        english = {w for w in _EN_WORD.findall(en.lower()) if w not in EN_STOPWORDS and len(w) >= 3}
        chinese = {w for w in cut(zh) if _CJK_WORD.match(w)}
        english_df.update(english)
        chinese_df.update(chinese)
        both.update((e, z) for e in english for z in chinese)
    best: dict[str, tuple[float, list[str]]] = {}
    for (e, z), count in sorted(both.items()):
        if count < MIN_PAIRS:
            continue
        dice = 2 * count / (english_df[e] + chinese_df[z])
        if dice < MIN_DICE or dice < best.get(e, (0.0, []))[0]:
            continue
        # words always named together tie (`tibet`: 西藏 and 新疆): the pairs cannot tell them
        # apart, so both are kept, in code order (the first one met was kept before: the order
        # a set iterated in, and the lexicon differed from build to build)
        best[e] = (dice, [*best[e][1], z] if dice == best.get(e, (0.0, []))[0] else [z])
    return {e: " ".join(sorted(zs)) for e, (_, zs) in sorted(best.items())}


def lexicon_for_corpus(corpus_root: Path) -> dict[str, str]:
    """The lexicon of a corpus with a `parallel/` folder; {} without one."""
    parallel = Path(corpus_root) / "parallel"
    if not parallel.is_dir():
        return {}
    import jieba

    tokenizer = jieba.Tokenizer()
    return build_lexicon(read_pairs(parallel), tokenizer.lcut)


def save_lexicon(path: Path, lexicon: dict[str, str]) -> None:
    path.write_text(json.dumps(lexicon, ensure_ascii=False, indent=0), encoding="utf-8")


def load_lexicon(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
