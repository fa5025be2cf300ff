"""An indicator across years: each report's target set against the result reported in the
following year's review part, with citations, and a chart of both."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .extract import KIND_RESULT, KIND_TARGET, Commitment
from .store import filter_ledger

ENGLISH_NAMES = {
    "国内生产总值增长": "GDP growth (%)", "地区生产总值增长": "regional GDP growth (%)",
    "城镇新增就业": "new urban jobs", "城镇调查失业率": "surveyed urban unemployment (%)",
    "居民消费价格涨幅": "CPI increase (%)", "赤字率": "deficit ratio (%)",
    "地方政府专项债券": "local government special bonds (yuan)",
    "超长期特别国债": "ultra-long special treasury bonds (yuan)",
    "中央预算内投资": "central budget investment (yuan)", "PM2.5浓度": "PM2.5 (ug/m3)",
    "粮食产量": "grain output (jin)",
}
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "SimHei", "Source Han Sans SC", "AR PL UMing CN", "Droid Sans Fallback")


def format_value(item: Commitment) -> str:
    number = _short(item.value)
    if item.value_max is not None:
        number = f"{number}–{_short(item.value_max)}"
    qualifier = " ".join(q for q in item.qualifier.split() if q != "区间")
    return f"{number}{item.unit}{qualifier}"


def _short(value: float | None) -> str:
    if value is None:
        return ""
    for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(value) >= size and value % (size / 100) == 0:
            return f"{value / size:g}{word}"
    return f"{value:g}"


def _first_by_report(items: Iterable[Commitment]) -> dict[str, Commitment]:
    first: dict[str, Commitment] = {}
    for item in sorted(items, key=lambda c: (c.report, c.start)):
        first.setdefault(item.report, item)
    return first


def _cite(prefix: str, item: Commitment | None) -> dict:
    if item is None:
        return {f"{prefix}": None, f"{prefix}_value": None, f"{prefix}_max": None,
                f"{prefix}_text": None, f"{prefix}_report": None,
                f"{prefix}_start": None, f"{prefix}_end": None}
    return {f"{prefix}": format_value(item), f"{prefix}_value": item.value,
            f"{prefix}_max": item.value_max, f"{prefix}_text": item.text,
            f"{prefix}_report": item.report, f"{prefix}_start": item.start, f"{prefix}_end": item.end}


def compare_indicator(ledger: list[Commitment], indicator: str, level: str | None = None,
                      region: str | None = None) -> list[dict]:
    """One row per (region, year) of the reports in the ledger: the first target for the
    indicator in that year's report and the first result for it in the next year's report.
    A year whose report sets no such target has target None (e.g. GDP growth in 2020)."""
    scope = filter_ledger(ledger, level=level, region=region)
    years = sorted({(c.region, c.year) for c in scope if c.year is not None})
    targets = _first_by_report(filter_ledger(scope, indicator=indicator, kind=KIND_TARGET))
    results = _first_by_report(filter_ledger(scope, indicator=indicator, kind=KIND_RESULT))
    by_key = {(c.region, c.year): c for c in targets.values()}
    results_by_key = {(c.region, c.year): c for c in results.values()}
    rows = []
    for region_id, year in years:
        target = by_key.get((region_id, year))
        result = results_by_key.get((region_id, year + 1))
        if target is None and result is None and not any(k[0] == region_id for k in by_key):
            continue
        name = (target or result).region_name if (target or result) else region_id
        rows.append({"year": year, "region": region_id, "region_name": name, "indicator": indicator,
                     **_cite("target", target), **_cite("result", result)})
    return rows


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def plot_comparison(rows: list[dict], path: Path | str, title: str | None = None) -> Path:
    """A PNG line chart of targets (range as an error bar) and results by year."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    font = _cjk_font()
    indicator = rows[0]["indicator"] if rows else ""
    label = indicator if font else ENGLISH_NAMES.get(indicator, "indicator")
    if font:
        plt.rcParams["font.family"] = font
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    t_rows = [r for r in rows if r["target_value"] is not None]
    r_rows = [r for r in rows if r["result_value"] is not None]
    if t_rows:
        lows = [r["target_value"] for r in t_rows]
        highs = [r["target_max"] if r["target_max"] is not None else r["target_value"] for r in t_rows]
        ax.errorbar([r["year"] for r in t_rows], lows, yerr=[[0] * len(lows), [h - lo for h, lo in zip(highs, lows, strict=True)]],
                    fmt="o--", capsize=4, label="target")
    if r_rows:
        ax.plot([r["year"] for r in r_rows], [r["result_value"] for r in r_rows], "s-", label="result (next report)")
    ax.set_xlabel("year")
    ax.set_ylabel(label)
    ax.set_title(title or (label if font else f"{label}: target vs result"))
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
