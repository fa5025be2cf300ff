"""report.md with charts for one run, and the side-by-side comparison of two runs."""

from __future__ import annotations

import json
from pathlib import Path

from .llm_stats import llm_lines
from .metrics import DEFINITIONS, GOLD_DEFINITION, METRIC_ORDER

CHART_METRICS = ["hit@5", "mrr@10", "answer_accuracy", "cited_evidence_rate", "refusal_accuracy", "overall_correct"]
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "Source Han Sans SC", "AR PL UMing CN")
FAILURES_SHOWN = 15


def fmt(value, metric: str = "") -> str:
    if value is None:
        return "–"
    if metric.endswith("_ms") or metric == "mean_answer_chars":
        return f"{value:.1f}"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


def metrics_table(rows: dict[str, dict], metric_names: list[str]) -> list[str]:
    """Markdown table: one column per row name (e.g. overall, each type), one line per metric."""
    names = list(rows)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    lines.append("| questions | " + " | ".join(str(rows[n]["n"]) for n in names) + " |")
    for metric in metric_names:
        lines.append(f"| {metric} | " + " | ".join(fmt(rows[n].get(metric), metric) for n in names) + " |")
    return lines


# ---------------------------------------------------------------- charts


def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def chart_label(text: str, has_cjk_font: bool) -> str:
    if has_cjk_font or text.isascii():
        return text
    return text.encode("ascii", "replace").decode().replace("?", "") or "non-ascii"


def draw_metric_bars(ax, values: list[float | None], i: int, width: float, metric: str) -> None:
    """One metric's bars over the types. A measured 0 gets a marker in the metric's colour on
    the axis; a metric that does not apply (None) a hatched grey stub labelled "n/a"."""
    xs = [x + i * width for x in range(len(values))]
    bars = ax.bar(xs, [v or 0.0 for v in values], width, label=metric)
    color = bars.patches[0].get_facecolor() if bars.patches else None
    for x, value in zip(xs, values, strict=True):
        if value is None:
            ax.bar(x, 0.08, width, color="#dddddd", edgecolor="#888888", hatch="///", linewidth=0.5)
            ax.text(x, 0.1, "n/a", ha="center", va="bottom", fontsize=7, rotation=90, color="#555555")
        elif value == 0:
            ax.plot([x], [0.0], marker="v", markersize=5, color=color, clip_on=False)


def draw_charts(out_dir: Path, result: dict, latencies: list[float]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font, *plt.rcParams["font.sans-serif"]]
    types = list(result["by_type"])
    labels = [chart_label(t, font is not None) for t in types]
    fig, ax = plt.subplots(figsize=(max(6, 1.4 * len(types) + 2), 4.5))
    width = 0.8 / len(CHART_METRICS)
    for i, metric in enumerate(CHART_METRICS):
        draw_metric_bars(ax, [result["by_type"][t].get(metric) for t in types], i, width, metric)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(types))], labels, rotation=20, ha="right")
    ax.set_ylim(-0.06, 1.3)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_title(f"{result['system']}: metrics per question type\n"
                 "triangle on the axis = measured 0 · hatched grey n/a = does not apply", fontsize=9)
    ax.legend(fontsize=7, ncol=3, loc="upper center")
    fig.tight_layout()
    fig.savefig(out_dir / "metrics_by_type.png", dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(latencies, bins=30)
    ax.set_xlabel("latency of ask() (ms)")
    ax.set_ylabel("questions")
    ax.set_title(f"{result['system']}: latency (warm)")
    fig.tight_layout()
    fig.savefig(out_dir / "latency.png", dpi=100)
    plt.close(fig)
    return ["metrics_by_type.png", "latency.png"]


# ---------------------------------------------------------------- report.md


def failure_lines(predictions: list[dict]) -> list[str]:
    wrong = [p for p in predictions if not p["scores"]["correct"]]
    lines = [f"## Wrong answers ({len(wrong)}; first {min(len(wrong), FAILURES_SHOWN)})", ""]
    for p in wrong[:FAILURES_SHOWN]:
        s = p["scores"]
        rank = s.get("gold_rank")
        what = ("unanswerable, not refused" if not s["answerable"] else
                "refused" if s["refused"] else f"answer does not match (gold rank {rank or '>10'})")
        answer = p["answer"].replace("\n", " ")[:120]
        lines.append(f"- `{p['id']}` [{p['type']}] {p['question']} — {what}; answer: {answer!r}")
    return lines


def write_report(out_dir: Path, result: dict, predictions: list[dict]) -> None:
    charts = draw_charts(out_dir, result, [p["latency_ms"] for p in predictions])
    rows = {"overall": result["overall"], **result["by_type"]}
    lines = [
        f"# Evaluation: {result['system']}", "",
        f"Set: `{result['set']}` — {result['overall']['n']} questions "
        f"({result['overall']['n_answerable']} answerable, {result['overall']['n_unanswerable']} unanswerable); "
        f"finished {result['finished']}; code {result.get('code', 'unknown')}; "
        f"load average {result['machine'].get('load_average')}.", "",
        "Settings: " + ", ".join(f"{k}={v}" for k, v in result["settings"].items()), "",
        *metrics_table(rows, METRIC_ORDER), "",
        *[f"![{c}]({c})" for c in charts], "",
    ]
    lines += llm_lines(result.get("llm"))
    if result["skipped"] or result["errors"]:
        lines += ["## Skipped questions and errors", ""]
        lines += [f"- skipped: {s}" for s in result["skipped"]] + [f"- error: {e}" for e in result["errors"]] + [""]
    lines += ["## Outcomes", "", "| outcome | questions |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in result["outcomes"].items()] + [""]
    lines += failure_lines(predictions) + [""]
    lines += ["## Definitions", "", GOLD_DEFINITION, ""]
    lines += [f"- **{m}**: {DEFINITIONS[m]}" for m in METRIC_ORDER]
    (out_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- compare


def load_metrics(run_dir: Path | str) -> dict:
    path = Path(run_dir) / "metrics.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no metrics.json (is {run_dir} an eval run folder?)") from None


def compare_table(a: dict, b: dict, name_a: str, name_b: str) -> list[str]:
    lines = [f"| metric | {name_a} | {name_b} | Δ ({name_b} − {name_a}) |", "|---|---:|---:|---:|",
             f"| questions | {a['n']} | {b['n']} | |"]
    for metric in METRIC_ORDER:
        va, vb = a.get(metric), b.get(metric)
        delta = "–" if va is None or vb is None else ("+" if vb - va >= 0 else "") + fmt(vb - va, metric)
        lines.append(f"| {metric} | {fmt(va, metric)} | {fmt(vb, metric)} | {delta} |")
    return lines


def compare_runs(dir_a: Path | str, dir_b: Path | str) -> str:
    """Markdown: the two runs' metrics side by side with deltas, overall and per type."""
    a, b = load_metrics(dir_a), load_metrics(dir_b)
    name_a, name_b = f"A: {Path(dir_a).name}", f"B: {Path(dir_b).name}"
    lines = [f"# Comparison: {Path(dir_a).name} vs {Path(dir_b).name}", "",
             f"- A = `{dir_a}` ({a['system']}, set `{a['set']}`)",
             f"- B = `{dir_b}` ({b['system']}, set `{b['set']}`)", ""]
    if a["set"] != b["set"]:
        lines += ["**Warning: the runs used different question sets.**", ""]
    lines += ["## Overall", "", *compare_table(a["overall"], b["overall"], name_a, name_b), ""]
    outcomes_a, outcomes_b = a.get("outcomes", {}), b.get("outcomes", {})
    if outcomes_a or outcomes_b:
        lines += ["## Outcomes", "", f"| outcome | {name_a} | {name_b} |", "|---|---:|---:|"]
        lines += [f"| {name} | {outcomes_a.get(name, 0)} | {outcomes_b.get(name, 0)} |"
                  for name in dict.fromkeys([*outcomes_a, *outcomes_b])] + [""]
    for qtype in sorted(set(a["by_type"]) | set(b["by_type"])):
        if qtype not in a["by_type"] or qtype not in b["by_type"]:
            lines += [f"## {qtype}", "", f"(only in {'A' if qtype in a['by_type'] else 'B'})", ""]
            continue
        lines += [f"## {qtype}", "", *compare_table(a["by_type"][qtype], b["by_type"][qtype], name_a, name_b), ""]
    return "\n".join(lines)
