"""Validate the hand-written dev set (eval/dev.jsonl) against the real report corpus.

Corpus location: env GOVQA_CORPUS, else <repo>/../shared/corpus.
Standard library + pytest only.
"""

import collections
import csv
import json
import os
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "eval" / "dev.jsonl"
CORPUS = Path(os.environ.get("GOVQA_CORPUS") or (REPO.parent / "shared" / "corpus"))

REQUIRED = {
    "id": str,
    "question": str,
    "answers": list,
    "evidence": (str, type(None)),
    "report": str,
    "type": str,
}
OPTIONAL = {"all_answers": bool, "history": list}
MIN_COUNTS = {
    "number": 25,
    "fact": 15,
    "glossary": 10,
    "year_specific": 20,
    "region_specific": 20,
    "target_vs_result": 12,
    "cross_year": 8,
    "english": 20,
    "followup": 15,
    "unanswerable": 20,
}
TYPES = set(MIN_COUNTS)
MIN_TOTAL = 170

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\uff0d\u002d]")
_WS = re.compile(r"\s+")


def norm(s: str) -> str:
    """Answer-matching normalisation: NFKC, lower-case, no whitespace, unified dashes."""
    s = unicodedata.normalize("NFKC", s).lower()
    s = _WS.sub("", s)
    return _DASHES.sub("-", s)


def strip_punct(s: str) -> str:
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith(("P", "S", "Z", "C")))


def bigrams(s: str) -> set:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def load_items():
    with open(DEV, encoding="utf-8") as f:
        return [(n, line) for n, line in enumerate(f, 1) if line.strip()]


LINES = load_items()


def parsed():
    return [json.loads(line) for _, line in LINES]


def need_corpus():
    if not (CORPUS / "reports.csv").is_file():
        pytest.skip(f"corpus not found at {CORPUS} (set GOVQA_CORPUS)")


@cache
def corpus_files() -> frozenset:
    with open(CORPUS / "reports.csv", encoding="utf-8-sig", newline="") as f:
        return frozenset(row["file"] for row in csv.DictReader(f))


@cache
def report_text(rel: str) -> str:
    raw = (CORPUS / rel).read_bytes().decode("utf-8")
    return raw.lstrip("\ufeff").replace("\r\n", "\n")


@cache
def all_norm_texts() -> tuple:
    return tuple(norm(report_text(r)) for r in sorted(corpus_files()))


# ---------------------------------------------------------------- format


@pytest.mark.parametrize("lineno,line", LINES, ids=[f"line{n}" for n, _ in LINES])
def test_line_format(lineno, line):
    d = json.loads(line)
    assert isinstance(d, dict)
    keys = set(d)
    missing = set(REQUIRED) - keys
    extra = keys - set(REQUIRED) - set(OPTIONAL)
    assert not missing, f"missing keys {missing}"
    assert not extra, f"unexpected keys {extra}"
    for k, t in {**REQUIRED, **OPTIONAL}.items():
        if k in d:
            assert isinstance(d[k], t), f"{k} has type {type(d[k]).__name__}"
    assert re.fullmatch(r"dev-\d{3,}", d["id"]), d["id"]
    assert d["question"].strip()
    assert all(isinstance(a, str) and a.strip() for a in d["answers"])
    assert d["type"] in TYPES, d["type"]
    if "history" in d:
        for turn in d["history"]:
            assert (
                isinstance(turn, list) and len(turn) == 2 and all(isinstance(x, str) for x in turn)
            )
    if d["type"] == "followup":
        assert d.get("history"), "followup items need a history"
    if d["type"] == "unanswerable":
        assert d["evidence"] is None and d["answers"] == [] and d["report"] == ""
    else:
        assert isinstance(d["evidence"], str) and d["evidence"].strip()
        assert d["answers"], "answerable items need at least one answer"
        assert d["report"].startswith("reports/")


def test_ids_unique():
    ids = [d["id"] for d in parsed()]
    dup = [i for i, c in collections.Counter(ids).items() if c > 1]
    assert not dup, dup


def test_type_counts():
    items = parsed()
    c = collections.Counter(d["type"] for d in items)
    short = {t: (c[t], m) for t, m in MIN_COUNTS.items() if c[t] < m}
    assert not short, f"type counts below minimum (have, need): {short}"
    assert len(items) >= MIN_TOTAL


def test_spread():
    items = parsed()
    reps = {d["report"] for d in items if d["report"]}
    nat_years = {
        r for r in reps if r.startswith("reports/national_china_") and not r.endswith("_en.txt")
    }
    en_reps = {r for r in reps if r.endswith("_en.txt")}
    provinces = {r.split("_")[1] for r in reps if r.startswith("reports/provincial_")}
    county = [d for d in items if d["report"].startswith("reports/county_")]
    en_over_zh = [
        d
        for d in items
        if d["type"] == "english" and d["report"] and not d["report"].endswith("_en.txt")
    ]
    assert len(nat_years) >= 25, len(nat_years)
    assert len(en_reps) >= 6, len(en_reps)
    assert len(provinces) >= 20, len(provinces)
    assert len(county) >= 3, len(county)
    assert len(en_over_zh) >= 8, len(en_over_zh)


# ---------------------------------------------------------------- against the corpus

ANSWERABLE = [(n, line) for n, line in LINES if json.loads(line)["type"] != "unanswerable"]
ANSWERABLE_IDS = [json.loads(line)["id"] for _, line in ANSWERABLE]


@pytest.mark.parametrize("lineno,line", ANSWERABLE, ids=ANSWERABLE_IDS)
def test_evidence_and_answers(lineno, line):
    need_corpus()
    d = json.loads(line)
    assert d["report"] in corpus_files(), f"{d['report']} not in reports.csv"
    text = report_text(d["report"])
    assert d["evidence"] in text, "evidence is not an exact substring of the report"
    nev = norm(d["evidence"])
    cross = d["type"] == "cross_year" and d.get("all_answers")
    for k, ans in enumerate(d["answers"]):
        alts = [a for a in ans.split("|") if a]
        assert alts
        if any(norm(a) in nev for a in alts):
            continue
        if cross and k > 0 and any(norm(a) in t for a in alts for t in all_norm_texts()):
            continue
        pytest.fail(f"answer {ans!r} not found in evidence")


@pytest.mark.parametrize("lineno,line", ANSWERABLE, ids=ANSWERABLE_IDS)
def test_question_paraphrases_evidence(lineno, line):
    d = json.loads(line)
    q = strip_punct(norm(d["question"]))
    ev = strip_punct(norm(d["evidence"]))
    assert q not in ev, "question copies the evidence"
    qb = bigrams(q)
    if qb:
        share = len(qb & bigrams(ev)) / len(qb)
        assert share < 0.9, f"question shares {share:.0%} of its bigrams with the evidence"
