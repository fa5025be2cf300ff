"""Recall without labels: every quantity-looking span of the Chinese reports that no fact covers.

A span is a numeral (digits, full-width digits or Chinese numerals) with a unit word, %, 个百分点,
倍, 成 … after it. Spans inside a fact's number, in the glossary, and the classes the labels leave
out (dates, ordinals 第N, plan names 十四五, editions 届) are not counted as missed; the rest are
grouped by the unit after the number and the two characters before it, biggest group first.
The held-out reports (HELD_OUT) are skipped unless --skip says otherwise; --english dumps the
translations' facts too (for --diff; their uncovered spans are not listed).

Also writes and compares dumps of the facts (one JSONL per report) so that a rule's effect on
every report can be read:  --dump DIR  writes them;  --diff OLD NEW  lists the facts whose
kind, period, measure or indicator changed, and those added or removed, per report.

Run: python -m assistant.facts.coverage [-n GROUPS] [-e EXAMPLES] [--dump DIR] [--diff OLD NEW]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from ..corpus import load_corpus
from ..settings import load_settings
from ..types import PART_GLOSSARY, Fact
from .extract import extract_facts
from .store import passages_for

# the unseen reports: round 7's three (eval/facts/heldout7), round 15's five (eval/facts/heldout15) and
# round 18's six (eval/facts/heldout18); rounds 9-14, 16 and 17 (heldout9 … heldout14, heldout16,
# heldout17) were scored once and read after
HELD_OUT = ("provincial_jiangsu_2026", "national_china_2006", "national_china_2021_en",
            "provincial_beijing_2025", "provincial_xinjiang_2026", "provincial_hunan_2025",
            "national_china_2014", "national_china_1997",
            "provincial_liaoning_2026", "provincial_tianjin_2026", "provincial_jiangsu_2025",
            "provincial_xinjiang_2025", "national_china_2012", "national_china_2018_en")
_UNIT = (r"个百分点|百分点|%|％|‰|倍|成|番|万亿|亿|万|千|百|"
         r"[元人个项条家所户座吨斤亩米台辆套件次名位支只头株棵列艘架部批场轮份枚栋间处篇种类年月日天岁度]|"
         r"公里|千米|平方米|平方公里|千瓦|立方米|公顷|标箱|小时|分钟|周")
_NUMERAL = r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[零一二两三四五六七八九十百千]+(?=[万亿]*(?:" + _UNIT + "))"
SPAN = re.compile(rf"(?:{_NUMERAL})[万亿千百]*(?:{_UNIT})?")
_PLAN = re.compile(r"[一二三四五六七八九十]+五")


def excluded_class(text: str, start: int, end: int) -> str:
    """The class of a span the labels leave out ('' if it is a quantity to cover)."""
    raw, after, before = text[start:end], text[end:end + 2], text[max(0, start - 1):start]
    if before == "第" or after[:1] and after[:1] in "届批期号版级" or raw.endswith("周") and after[:1] == "年":
        return "ordinal"
    if re.fullmatch(r"[12１２][0-9０-９]{3}年?", raw) or raw.endswith(("月", "日")) or after[:1] in "年月日" \
            and re.fullmatch(r"[0-9０-９]{1,4}", raw):
        return "date"
    if re.fullmatch(r"[一二三四五六七八九〇○零]{4}年", raw) or after[:2] == "年代":
        return "date"
    if _PLAN.fullmatch(raw) or raw in ("十五", "九五", "八五", "七五", "六五") or after[:2] == "计划" \
            or text[end:end + 3].startswith("五年计划"):
        return "plan"
    if before in "“\"" or re.search(r"[”\"]", text[end:end + 3]) and not re.match(r"[0-9０-９]", raw):
        return "name"  # “两个确立”, “五篇大文章”, “千万工程”
    if re.fullmatch(r"一[批轮件个年项种类次部]", raw):
        return "one"  # 一批, 新一轮, 一件事: an article, not a count
    if re.search(r"(?:过去|这|今后|近|最近|以来|经过|未来)的?$", text[max(0, start - 3):start]) and raw.endswith("年"):
        return "timeword"  # 过去五年, 这五年, 今后三年
    if re.fullmatch(r"[0-9０-９]+", raw) and not re.match(r"[万亿千百]", after):
        return "bare"
    return ""


def group_key(text: str, start: int, end: int) -> str:
    raw = text[start:end]
    unit = re.sub(r"^[0-9０-９.．零一二两三四五六七八九十]+", "", raw) or "-"
    chinese = "zh" if re.match(r"[零一二两三四五六七八九十]", raw) else "d"
    return f"{unit}|{chinese}"


def uncovered(text: str, facts: list[Fact], skip: list[tuple[int, int]]):
    """(start, end, class) of every span no fact's number overlaps."""
    taken = sorted((f.value_start, f.value_end) for f in facts) + skip
    marks = bytearray(len(text) + 1)
    for a, b in taken:
        marks[a:b] = b"\x01" * (b - a)
    for m in SPAN.finditer(text):
        if any(marks[m.start():m.end()]):
            continue
        yield m.start(), m.end(), excluded_class(text, m.start(), m.end())


def facts_of(corpus, report_id):
    passages = passages_for(corpus, report_id)
    glossary = [(p.start, p.end) for p in passages if p.part == PART_GLOSSARY]
    return extract_facts(corpus.reports[report_id], corpus.texts[report_id], passages), glossary


def _row(f: Fact) -> dict:
    return {"v": [f.value_start, f.value_end], "raw": f.value_text, "text": f.text,
            "indicator": f.indicator, "kind": f.kind, "period": f"{f.period_start}-{f.period_end}",
            "measure": f.measure, "unit": f.unit}


def diff(old_dir: Path, new_dir: Path, fields=("kind", "period", "measure", "indicator")) -> Counter:
    counts: Counter = Counter()
    for new_path in sorted(new_dir.glob("*.jsonl")):
        old_path = old_dir / new_path.name
        old = {(*r["v"], r["text"]): r for r in map(json.loads, old_path.open(encoding="utf-8"))} if old_path.exists() else {}
        new = {(*r["v"], r["text"]): r for r in map(json.loads, new_path.open(encoding="utf-8"))}
        for key in sorted(old.keys() | new.keys()):
            a, b = old.get(key), new.get(key)
            if a is None or b is None:
                r = a or b
                tag = "ADD" if a is None else "DEL"
                counts[tag] += 1
                print(f"{tag} {new_path.stem} {r['raw']} {r['measure']} {r['period']} | {r['text'][:60]}")
                continue
            changed = [f"{n}: {a[n]} -> {b[n]}" for n in fields if a[n] != b[n]]
            if changed:
                counts["CHG"] += 1
                print(f"CHG {new_path.stem} {b['raw']} {'; '.join(changed)} | {b['text'][:60]}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus")
    parser.add_argument("--skip", default=",".join(HELD_OUT), help="report stems left out")
    parser.add_argument("--only", help="comma-separated report stems")
    parser.add_argument("-n", type=int, default=40, help="groups to print")
    parser.add_argument("-e", type=int, default=3, help="examples per group")
    parser.add_argument("--dump", help="write each report's facts to DIR/<stem>.jsonl")
    parser.add_argument("--english", action="store_true", help="the English translations too (dumped only)")
    parser.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"), help="compare two dumps")
    args = parser.parse_args(argv)
    if args.diff:
        print(dict(diff(Path(args.diff[0]), Path(args.diff[1]))))
        return 0
    corpus = load_corpus(load_settings(corpus=args.corpus).corpus)
    skip = set(filter(None, args.skip.split(",")))
    only = set(filter(None, (args.only or "").split(",")))
    groups: dict[str, list[str]] = defaultdict(list)
    classes: Counter = Counter()
    for report_id, report in sorted(corpus.reports.items()):
        stem = Path(report_id).stem
        if (report.language != "zh" and not args.english) or stem in skip or (only and stem not in only):
            continue
        text = corpus.texts[report_id]
        facts, glossary = facts_of(corpus, report_id)
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            with open(Path(args.dump) / f"{stem}.jsonl", "w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(_row(f), ensure_ascii=False) + "\n" for f in facts)
        classes["facts"] += len(facts)
        if report.language != "zh":
            continue  # the unit classes read Chinese; an English dump is for --diff
        for start, end, cls in uncovered(text, facts, glossary):
            classes[cls or "uncovered"] += 1
            if not cls:
                context = text[max(0, start - 14):end + 8].replace("\n", " ")
                groups[group_key(text, start, end)].append(f"{stem[:24]}: {context}")
    print(dict(classes))
    for key, rows in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:args.n]:
        print(f"{len(rows):5d} {key}")
        for row in rows[:args.e]:
            print(f"        {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
