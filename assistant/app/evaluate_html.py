"""HTML of the Evaluate view: progress, metrics, charts, outcomes, wrong answers, comparison.

Everything from a set, an answer or a report is escaped (escape_html); source cards come from
render.citation_card, the same cards the chat shows.
"""

from __future__ import annotations

import base64
from pathlib import Path

from assistant.app.i18n import STRINGS, t
from assistant.app.render import citation_cards, escape_html, marked_span
from assistant.evaluation.metrics import DEFINITIONS, METRIC_ORDER
from assistant.evaluation.report import fmt
from assistant.evaluation.runs import outcome
from assistant.types import Citation

MAX_WRONG_SHOWN = 300
CHARTS = ("metrics_by_type.png", "latency.png")
OUTCOMES_ZH = {
    "correct": "正确",
    "unanswerable, not refused": "无答案题未拒答",
    "answerable, refused": "可答题被拒答",
    "wrong report cited": "引用了错误的报告",
    "right report, no gold passage in top 10": "报告正确，前10条未检索到标准段落",
    "gold passage retrieved, another passage cited": "检索到标准段落，但引用了其他段落",
    "evidence cited, answer string missing": "引用了证据，但回答中没有标准答案",
}
STRINGS.update({
    "tab_evaluate": {"zh": "评测", "en": "Evaluate"},
    "eval_help": {
        "zh": "上传问题集（JSONL，或 CSV/XLSX：列 question, answers, evidence, report，可选 all_answers, type, "
              "history, id；answers 中多个条目用 ; 分隔，同一条目的不同写法用 | 分隔），在当前索引上运行并查看结果。",
        "en": "Upload a question set (JSONL, or CSV/XLSX with columns question, answers, evidence, report and "
              "optionally all_answers, type, history, id; answers: entries separated by ;, alternatives by |), "
              "run it on the live index and see the results.",
    },
    "eval_file": {"zh": "问题集（.jsonl / .csv / .xlsx）", "en": "Question set (.jsonl / .csv / .xlsx)"},
    "eval_run": {"zh": "运行评测", "en": "Run the set"},
    "eval_cancel": {"zh": "停止", "en": "Stop"},
    "eval_ok": {"zh": "✓ {name}：{n} 个问题（{unanswerable} 个无答案题），类型：{types}",
                "en": "✓ {name}: {n} questions ({unanswerable} unanswerable), types: {types}"},
    "eval_corpus_problems": {"zh": "{n} 个问题与语料不符，运行时将跳过：",
                             "en": "{n} question(s) do not fit the corpus and will be skipped:"},
    "eval_bad": {"zh": "问题集有误，请修改后重新上传：", "en": "The set has problems; fix them and upload again:"},
    "eval_no_set": {"zh": "请先上传一个问题集。", "en": "Upload a question set first."},
    "eval_busy": {"zh": "已有一次评测在运行（{user}），显示其进度。", "en": "A run is already in progress ({user}); showing its progress."},
    "eval_progress": {"zh": "正在运行 {set}：{done}/{total} 题", "en": "Running {set}: {done}/{total} questions"},
    "eval_done": {"zh": "完成：{id}", "en": "Finished: {id}"},
    "eval_failed": {"zh": "评测失败：{error}", "en": "The run failed: {error}"},
    "eval_cancelled": {"zh": "评测已停止，未保存。", "en": "The run was stopped and not saved."},
    "eval_idle": {"zh": "当前没有评测在运行。", "en": "No run in progress."},
    "eval_runs": {"zh": "运行记录", "en": "Runs"},
    "eval_pick_run": {"zh": "查看运行", "en": "Show run"},
    "eval_zip": {"zh": "下载本次运行（zip）", "en": "Download this run (zip)"},
    "eval_no_runs": {"zh": "还没有保存的运行。", "en": "No saved runs yet."},
    "eval_outcomes": {"zh": "结果分类", "en": "Outcomes"},
    "eval_wrong": {"zh": "错误回答（{n}）", "en": "Wrong answers ({n})"},
    "eval_filter": {"zh": "按结果分类筛选", "en": "Filter by outcome"},
    "eval_question": {"zh": "问题", "en": "Question"},
    "eval_gold": {"zh": "标准答案", "en": "Gold"},
    "eval_answer": {"zh": "回答", "en": "Answer"},
    "eval_refused": {"zh": "（拒答）", "en": "(refused)"},
    "eval_should_refuse": {"zh": "应拒答（资料中没有）", "en": "should be refused (not in the reports)"},
    "eval_evidence": {"zh": "标准出处", "en": "Gold evidence"},
    "eval_cited": {"zh": "引用的段落", "en": "Cited passage"},
    "eval_open_source": {"zh": "查看出处", "en": "Open the source"},
    "eval_no_citation": {"zh": "（没有引用）", "en": "(no citation)"},
    "eval_compare": {"zh": "比较两次运行", "en": "Compare two runs"},
    "eval_run_a": {"zh": "运行 A（基准）", "en": "Run A (baseline)"},
    "eval_run_b": {"zh": "运行 B", "en": "Run B"},
    "eval_compare_button": {"zh": "比较", "en": "Compare"},
    "eval_right_to_wrong": {"zh": "对→错（{n}）", "en": "Right → wrong ({n})"},
    "eval_wrong_to_right": {"zh": "错→对（{n}）", "en": "Wrong → right ({n})"},
    "eval_unchanged": {"zh": "结果未变的问题：{n}", "en": "Questions with the same result: {n}"},
    "eval_pick_two": {"zh": "请选择两次运行。", "en": "Choose two runs."},
    "eval_keyword_only": {"zh": "本次运行只用了关键词检索（索引没有语义向量）。",
                          "en": "This run used keyword search only (the index has no dense vectors)."},
    "eval_dense_changed": {"zh": "运行期间语义索引完成构建：前后结果混合了两种检索。",
                           "en": "The semantic index became ready during this run: results mix two retrievals."},
    "eval_forbidden": {"zh": "需要工作人员登录。", "en": "Staff login is required."},
    "eval_skipped": {"zh": "跳过 {n} 题，出错 {e} 题", "en": "{n} skipped, {e} errors"},
})
CSS = """
.govqa-eval-table { border-collapse: collapse; font-size: 0.9em; }
.govqa-eval-table td, .govqa-eval-table th { border: 1px solid var(--border-color-primary); padding: 3px 8px; text-align: right; }
.govqa-eval-table td:first-child, .govqa-eval-table th:first-child { text-align: left; }
.govqa-na { color: var(--body-text-color-subdued); font-style: italic; }
.govqa-up { color: #15803d; } .govqa-down { color: #b91c1c; }
.govqa-wrong { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.govqa-wrong-head { font-size: 0.85em; color: var(--body-text-color-subdued); }
.govqa-wrong .govqa-passage mark { background: #ffe27a; color: #000; }
.govqa-eval-errors li { color: #b91c1c; font-family: monospace; white-space: pre-wrap; }
.govqa-eval-charts { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-start; }
.govqa-eval-charts img { max-width: min(100%, 640px); }
.govqa-eval-progress progress { width: 60%; height: 14px; vertical-align: middle; }
"""


def outcome_label(name: str, lang: str) -> str:
    return f"{OUTCOMES_ZH[name]}（{name}）" if lang == "zh" and name in OUTCOMES_ZH else name


def cell(value, metric: str = "") -> str:
    return '<span class="govqa-na">n/a</span>' if value is None else escape_html(fmt(value, metric))


def check_html(questions, problems: list[str], name: str, lang: str) -> str:
    types = ", ".join(sorted({q.type for q in questions}))
    text = t(lang, "eval_ok").format(name=name, n=len(questions), types=types,
                                     unanswerable=sum(not q.answerable for q in questions))
    html = f'<div class="govqa-eval-ok">{escape_html(text)}</div>'
    if problems:
        html += (f"<div>{escape_html(t(lang, 'eval_corpus_problems').format(n=len(problems)))}</div>"
                 + error_list(problems))
    return html


def error_list(lines: list[str]) -> str:
    return '<ul class="govqa-eval-errors">' + "".join(f"<li>{escape_html(x)}</li>" for x in lines) + "</ul>"


def bad_set_html(message: str, lang: str) -> str:
    return f"<div>{escape_html(t(lang, 'eval_bad'))}</div>" + error_list(message.splitlines())


def progress_html(state: dict, lang: str) -> str:
    if state.get("running"):
        done, total = state.get("done", 0), max(state.get("total", 0), 1)
        text = t(lang, "eval_progress").format(set=state.get("set_name", ""), done=done, total=total)
        return (f'<div class="govqa-eval-progress" data-running="1"><progress value="{done}" max="{total}">'
                f'</progress> {escape_html(text)} · {100 * done // total}%</div>')
    error = state.get("error")
    if error:
        text = t(lang, "eval_cancelled") if error == "cancelled" else t(lang, "eval_failed").format(error=error)
    elif state.get("finished_id"):
        text = t(lang, "eval_done").format(id=state["finished_id"])
        return (f'<div class="govqa-eval-progress" data-running="0"><progress value="1" max="1"></progress> '
                f'{escape_html(text)} · 100%</div>')
    else:
        text = t(lang, "eval_idle")
    return f'<div class="govqa-eval-progress" data-running="0">{escape_html(text)}</div>'


def run_label(info: dict) -> str:
    overall = info.get("overall", {}).get("overall_correct")
    score = "n/a" if overall is None else f"{overall:.3f}"
    return f"{info['id']} · {info.get('set_name', '')} · {info.get('questions', '?')} q · {score}"


def summary_html(info: dict, metrics: dict, lang: str) -> str:
    settings = info.get("settings", {})
    parts = [f"<b>{escape_html(info['id'])}</b>", escape_html(info.get("set_name", "")),
             f"set {escape_html(info.get('set_hash', ''))}", f"code {escape_html(str(info.get('code')))}",
             escape_html(", ".join(f"{k}={settings.get(k)}" for k in ("mode", "embedder", "dense", "top_k"))),
             escape_html(str(info.get("finished", ""))),
             escape_html(t(lang, "eval_skipped").format(n=info.get("skipped", 0), e=info.get("errors", 0)))]
    notes = [t(lang, f"eval_{note}") for note in info.get("notes", [])]
    html = '<div class="govqa-eval-summary">' + " · ".join(parts) + "</div>"
    html += "".join(f"<div>⚠ {escape_html(n)}</div>" for n in notes)
    skipped = metrics.get("skipped", []) + metrics.get("errors", [])
    return html + (error_list(skipped) if skipped else "")


def metrics_html(metrics: dict) -> str:
    columns = {"overall": metrics["overall"], **metrics.get("by_type", {})}
    head = "".join(f"<th>{escape_html(name)}</th>" for name in columns)
    counts = "".join(f"<td>{c.get('n')}</td>" for c in columns.values())
    rows = [f"<tr><td>questions</td>{counts}</tr>"]
    for metric in METRIC_ORDER:
        cells = "".join(f"<td>{cell(c.get(metric), metric)}</td>" for c in columns.values())
        rows.append(f'<tr><td title="{escape_html(DEFINITIONS.get(metric, ""))}">{metric}</td>{cells}</tr>')
    return (f'<table class="govqa-eval-table" id="govqa-eval-metrics-table"><tr><th>metric</th>{head}</tr>'
            + "".join(rows) + "</table><div class=\"govqa-na\">n/a = not applicable (e.g. no unanswerable "
            "question of that type)</div>")


def charts_html(folder: Path) -> str:
    images = []
    for name in CHARTS:
        path = folder / name
        if path.is_file():
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            images.append(f'<img alt="{name}" data-chart="{name}" src="data:image/png;base64,{data}">')
    return '<div class="govqa-eval-charts">' + "".join(images) + "</div>"


def outcomes_html(metrics: dict, lang: str) -> str:
    rows = "".join(f"<tr><td>{escape_html(outcome_label(name, lang))}</td><td>{count}</td></tr>"
                   for name, count in metrics.get("outcomes", {}).items())
    return (f'<h4>{escape_html(t(lang, "eval_outcomes"))}</h4><table class="govqa-eval-table" '
            f'id="govqa-eval-outcomes-table">{rows}</table>')


def gold_text(record: dict | None, lang: str) -> str:
    if not record:
        return ""
    if record.get("evidence") is None:
        return t(lang, "eval_should_refuse")
    joiner = " + " if record.get("all_answers") else " / "
    return joiner.join(a.replace("|", " | ") for a in record.get("answers", []))


def evidence_text(record: dict | None) -> str:
    if not record or record.get("evidence") is None:
        return ""
    evidence = record["evidence"]
    if isinstance(evidence, list):
        return " · ".join(f"{e['text']} ({e['report']})" for e in evidence)
    return f"{evidence} ({record.get('report')})"


def citations_of(prediction: dict) -> list[Citation]:
    keys = ("n", "report", "title", "heading", "start", "end", "text", "quote", "quote_start", "quote_end")
    return [Citation(**{k: c.get(k) if c.get(k) is not None else ("" if k in ("title", "heading") else 0)
                        for k in keys}) for c in prediction.get("citations", [])]


def wrong_item(prediction: dict, record: dict | None, source_text, lang: str) -> str:
    citations = citations_of(prediction)
    answer = escape_html(prediction["answer"]) + (
        f" <i>{escape_html(t(lang, 'eval_refused'))}</i>" if not prediction["answerable"] else "")
    if citations:
        first = citations[0]
        offset = first.text.find(first.quote) if first.quote else -1
        passage = (marked_span(first.text, 0, len(first.text), offset, offset + len(first.quote))
                   if offset >= 0 else escape_html(first.text))
        source = (f'<details class="govqa-wrong-source"><summary>{escape_html(t(lang, "eval_open_source"))} '
                  f'[{first.n}] {escape_html(first.title)}</summary>'
                  f"{citation_cards(citations, source_text, lang)}</details>")
    else:
        passage, source = escape_html(t(lang, "eval_no_citation")), ""
    head = (f'<code>{escape_html(prediction["id"])}</code> [{escape_html(prediction.get("type", ""))}] · '
            f'{escape_html(outcome_label(outcome(prediction), lang))}')
    lines = [(t(lang, "eval_question"), escape_html(prediction["question"])),
             (t(lang, "eval_gold"), escape_html(gold_text(record, lang))),
             (t(lang, "eval_answer"), answer)]
    if evidence_text(record):
        lines.append((t(lang, "eval_evidence"), escape_html(evidence_text(record))))
    body = "".join(f"<div><b>{escape_html(label)}：</b>{value}</div>" for label, value in lines)
    return (f'<div class="govqa-wrong" data-id="{escape_html(prediction["id"])}">'
            f'<div class="govqa-wrong-head">{head}</div>{body}'
            f'<div><b>{escape_html(t(lang, "eval_cited"))}：</b></div><div class="govqa-passage">{passage}</div>'
            f"{source}</div>")


def wrong_html(predictions: list[dict], questions: dict[str, dict], source_text, lang: str,
               only: str = "") -> str:
    wrong = [p for p in predictions if not p["scores"]["correct"] and (not only or outcome(p) == only)]
    items = [wrong_item(p, questions.get(p["id"]), source_text, lang) for p in wrong[:MAX_WRONG_SHOWN]]
    more = f"<div>… {len(wrong) - MAX_WRONG_SHOWN} more in predictions.jsonl</div>" if len(wrong) > MAX_WRONG_SHOWN else ""
    return f'<h4>{escape_html(t(lang, "eval_wrong").format(n=len(wrong)))}</h4>' + "".join(items) + more


def delta_cell(delta, metric: str) -> str:
    if delta is None:
        return '<td><span class="govqa-na">n/a</span></td>'
    lower_better = metric in ("false_refusal_rate", "no_gold_passage") or metric.endswith("_ms")
    good = delta < 0 if lower_better else delta > 0
    css = "" if abs(delta) < 1e-12 or metric == "n" else (' class="govqa-up"' if good else ' class="govqa-down"')
    return f"<td{css}>{'+' if delta >= 0 else ''}{escape_html(fmt(delta, metric))}</td>"


def deltas_table(rows, name: str) -> str:
    body = "".join(f"<tr><td>{metric}</td><td>{cell(a, metric)}</td><td>{cell(b, metric)}</td>"
                   f"{delta_cell(d, metric)}</tr>" for metric, a, b, d in rows)
    return (f'<table class="govqa-eval-table" data-part="{escape_html(name)}"><tr><th>{escape_html(name)}</th>'
            f"<th>A</th><th>B</th><th>Δ (B − A)</th></tr>{body}</table>")


def flip_list(items: list[dict], css: str, title: str) -> str:
    lis = "".join(f'<li data-id="{escape_html(i["id"])}"><code>{escape_html(i["id"])}</code> '
                  f'[{escape_html(i["type"])}] {escape_html(i["question"])}<br><small>A: {escape_html(i["answer_a"][:160])}'
                  f'<br>B: {escape_html(i["answer_b"][:160])}</small></li>' for i in items)
    return f'<h4>{escape_html(title)}</h4><ul class="{css}">{lis}</ul>'


def compare_html(result: dict, lang: str) -> str:
    a, b = result["a"], result["b"]
    head = (f"<div>A = <b>{escape_html(run_label(a))}</b><br>B = <b>{escape_html(run_label(b))}</b></div>"
            + "".join(f"<div>⚠ {escape_html(w)}</div>" for w in result["warnings"]))
    flips = result["flips"]
    parts = [head, deltas_table(result["overall"], "overall"),
             flip_list(flips["right_to_wrong"], "govqa-flip-rw",
                       t(lang, "eval_right_to_wrong").format(n=len(flips["right_to_wrong"]))),
             flip_list(flips["wrong_to_right"], "govqa-flip-wr",
                       t(lang, "eval_wrong_to_right").format(n=len(flips["wrong_to_right"]))),
             f"<div>{escape_html(t(lang, 'eval_unchanged').format(n=result['unchanged']))}</div>"]
    if result["only_a"] or result["only_b"] or result["changed_text"]:
        parts.append(f"<div>only in A: {len(result['only_a'])} · only in B: {len(result['only_b'])} · "
                     f"question text changed: {len(result['changed_text'])}</div>")
    parts += [deltas_table(rows, qtype) for qtype, rows in result["by_type"].items()]
    return "".join(parts)
