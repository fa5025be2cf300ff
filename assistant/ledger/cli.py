"""`govqa commitments` (list the ledger) and `govqa compare` (an indicator across years)."""

from __future__ import annotations

import csv
import json
import sys

from ..cli import add_common
from ..settings import load_settings
from .compare import compare_indicator, plot_comparison
from .store import filter_ledger, ledger_for

TABLE_FIELDS = ("report", "kind", "indicator", "measure", "period_label", "value_text", "qualifier",
                "start", "end", "text")
MEASURES = ("level", "growth", "avg_growth", "total", "share", "change", "pp_change", "count")


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("commitments", help="list targets and results found in the reports")
    add_common(p)
    p.add_argument("--report", help="report id or file name")
    p.add_argument("--indicator", help="canonical indicator, a synonym, or a substring")
    p.add_argument("--period", help="the year (2026) or span (2021-2025, 十四五) a figure holds for")
    p.add_argument("--year", help="alias of --period")
    p.add_argument("--measure", choices=MEASURES, help="growth, avg_growth (年均), total (累计) …")
    p.add_argument("--all", action="store_true", help="every fact, not only the ledger's commitments")
    p.add_argument("--region", help="pinyin id or Chinese name")
    p.add_argument("--level", choices=["national", "provincial", "county", "city"])
    p.add_argument("--kind", choices=["target", "result", "expectation"])
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=run_commitments)

    c = subparsers.add_parser("compare", help="an indicator's targets and results year by year")
    add_common(c)
    c.add_argument("indicator")
    c.add_argument("--level", choices=["national", "provincial", "county", "city"])
    c.add_argument("--region")
    c.add_argument("--measure", choices=MEASURES, help="default: growth if the name says 增长, else the indicator's usual one")
    c.add_argument("--out", help="write a PNG chart here")
    c.add_argument("--format", choices=["table", "json"], default="table")
    c.set_defaults(func=run_compare)


def _ledger(args):
    settings = load_settings(corpus=args.corpus, index_dir=args.index_dir)
    return ledger_for(settings)


def run_commitments(args) -> int:
    try:
        items = filter_ledger(_ledger(args), report=args.report, indicator=args.indicator,
                              period=args.period or args.year, region=args.region, level=args.level,
                              kind=args.kind, measure=args.measure, commitments_only=not args.all)
    except ValueError as exc:
        print(f"govqa commitments: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        json.dump([i.to_dict() for i in items], sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        fields = list(items[0].to_dict()) if items else list(TABLE_FIELDS)
        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        for item in items:
            writer.writerow(item.to_dict())
    else:
        for item in items:
            print("\t".join(str(item.to_dict()[f]) for f in TABLE_FIELDS))
        print(f"{len(items)} items", file=sys.stderr)
    return 0


def run_compare(args) -> int:
    rows = compare_indicator(_ledger(args), args.indicator, level=args.level, region=args.region,
                             measure=args.measure)
    if not rows:
        print(f"no targets or results found for {args.indicator!r}", file=sys.stderr)
        return 1
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print("year\tregion\ttarget\ttarget citation\tresult\tresult citation")
        for r in rows:
            t_cite = f"{r['target_report']}#{r['target_start']}-{r['target_end']}" if r["target"] else ""
            r_cite = f"{r['result_report']}#{r['result_start']}-{r['result_end']}" if r["result"] else ""
            print(f"{r['year']}\t{r['region_name']}\t{r['target'] or '-'}\t{t_cite}\t{r['result'] or '-'}\t{r_cite}")
    if args.out:
        print(f"chart: {plot_comparison(rows, args.out)}", file=sys.stderr)
    return 0
