"""An indicator across years: each report's annual target set against the result reported
in a later report's review, with citations, and a chart of both. Five-year averages and
totals never stand in for a year's figure (facts/lookup.py picks the annual one)."""

from __future__ import annotations

from pathlib import Path

from ..facts import indicators
from ..facts.lookup import annual_result, annual_target, default_measure, format_value
from ..types import Fact

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "SimHei", "Source Han Sans SC", "AR PL UMing CN", "Droid Sans Fallback")


def _cite(prefix: str, item: Fact | None) -> dict:
    if item is None:
        return {f"{prefix}": None, f"{prefix}_value": None, f"{prefix}_max": None,
                f"{prefix}_text": None, f"{prefix}_report": None,
                f"{prefix}_start": None, f"{prefix}_end": None}
    return {f"{prefix}": format_value(item), f"{prefix}_value": item.value,
            f"{prefix}_max": item.value_max, f"{prefix}_text": item.text,
            f"{prefix}_report": item.report, f"{prefix}_start": item.start, f"{prefix}_end": item.end}


def measure_asked(text: str, indicator: str) -> str:
    """growth when the words ask for a growth rate, else the indicator's usual measure."""
    if any(w in text.lower() for w in ("增长", "增速", "涨幅", "growth")):
        return "growth"
    return default_measure(indicator)


def compare_indicator(facts: list[Fact], indicator: str, level: str | None = None,
                      region: str | None = None, measure: str | None = None) -> list[dict]:
    """One row per (region, year) of the reports in the facts: the annual target for that
    year from its report and the annual result from a later report. A year whose report
    sets no such target has target None (e.g. GDP growth in 2020)."""
    ind = indicators.normalize(indicator)
    if ind is None:
        return []
    measure = measure or measure_asked(indicator, ind)
    where = {"level": level} if level else {}
    if region:
        where["regions"] = [region]
    scope = [f for f in facts if f.indicator == ind and (not level or f.level == level)
             and (not region or f.region == region)]
    keys = sorted({(f.level, f.region, f.region_name, f.year) for f in scope if f.year})
    rows = []
    for lvl, region_id, name, year in keys:
        target = next(iter(annual_target(scope, ind, measure, year, regions=[region_id], level=lvl,
                                         language="zh").values()), None)
        result = next(iter(annual_result(scope, ind, measure, year, regions=[region_id], level=lvl,
                                         language="zh").values()), None)
        if target is None and result is None:
            continue
        rows.append({"year": year, "region": region_id, "region_name": name, "indicator": ind,
                     "indicator_name": indicators.display_name(ind, lvl), "measure": measure,
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
    label = rows[0]["indicator_name"] if rows and font else indicators.display_name(indicator, language="en")
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
