"""The jieba user dictionary: a curated seed list of government terms (gov_terms.txt)
plus quoted terms (“…”) that recur in the corpus. Built at index time, saved with the
index, and loaded into a private jieba tokenizer (never the global one).

The dictionary is stable: it keys every report's cached tokens, so a new dictionary would
re-tokenise the whole corpus. An update of an index keeps the live generation's dictionary
(`stable_userdict`); it is built again from the corpus only by `govqa index --rebuild`, for a
first index, or when the seed list gained terms (a code change). The manifest records its
version (raised whenever the words change), its sha and how many quoted terms of the corpus
wait for a rebuild (`pending`)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

SEED_FILE = Path(__file__).with_name("gov_terms.txt")
QUOTED_RE = re.compile(r"[“\"「]([\u4e00-\u9fff]{2,8})[”\"」]")
MIN_QUOTED_OCCURRENCES = 2


def seed_terms(path: Path = SEED_FILE) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words


def quoted_counts(text: str) -> Counter[str]:
    """How often each Chinese term of 2–8 characters is set in quotes in `text`."""
    return Counter(QUOTED_RE.findall(text))


def frequent(counts: Counter[str], min_count: int = MIN_QUOTED_OCCURRENCES) -> list[str]:
    return sorted(word for word, count in counts.items() if count >= min_count)


def quoted_terms(texts: Iterable[str], min_count: int = MIN_QUOTED_OCCURRENCES) -> list[str]:
    """Chinese terms of 2–8 characters set in quotes at least `min_count` times."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(quoted_counts(text))
    return frequent(counts, min_count)


def build_userdict(texts: Iterable[str]) -> list[str]:
    return sorted(set(seed_terms()) | set(quoted_terms(texts)))


def stable_userdict(texts: list[str] | Counter[str], previous: Path | None, previous_info: dict | None,
                    rebuild: bool, given: list[str] | None = None) -> tuple[list[str], dict]:
    """The words to tokenise with and their manifest entry (version, sha, words, pending).
    `texts`: the corpus's texts, or the counts of its quoted terms (`quoted_counts`, summed).
    `previous` is the live generation's userdict.txt and `previous_info` its manifest's
    `userdict` entry ({"sha": …} for an index older than the versions); `given` words are
    taken as they are."""
    quoted = set(frequent(texts) if isinstance(texts, Counter) else quoted_terms(texts))
    seeds = set(seed_terms())
    old = read_userdict(previous) if previous is not None and previous_info and previous.is_file() else None
    if old is not None and (rebuild or userdict_sha(old) != previous_info.get("sha") or not seeds <= set(old)):
        old = None  # asked for, hand-edited or damaged, or the seed list grew: a new dictionary
    words = sorted(set(given)) if given is not None else old if old is not None else sorted(seeds | quoted)
    sha = userdict_sha(words)
    version = int((previous_info or {}).get("version", 1))
    if previous_info and sha != previous_info.get("sha"):
        version += 1
    return words, {"version": version, "sha": sha, "words": len(words), "pending": len(quoted - set(words))}


def userdict_sha(words: list[str]) -> str:
    return hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()[:16]


def write_userdict(path: Path, words: list[str]) -> None:
    path.write_text("".join(f"{word}\n" for word in words), encoding="utf-8")


def read_userdict(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
