"""The 评测 / Evaluate view of the staff app: upload a question set, run it on the live index,
see where it fails, compare two runs, download a run.

Only ever built into the staff app (behind Gradio's login); the handlers check the logged-in
user again. Runs go through the app's one EvalWorker (assistant/app/worker.py) and are kept in
<index_dir>/eval_runs (assistant/evaluation/runs.py).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from assistant.app import evaluate_html as view
from assistant.app.chat import AppContext, Relabel
from assistant.app.i18n import t
from assistant.app.staff import received_upload
from assistant.app.worker import EvalWorker
from assistant.evaluation.dataset import DatasetError, check_against_corpus
from assistant.evaluation.runs import RunError, compare
from assistant.evaluation.tabular import SET_SUFFIXES, load_set

log = logging.getLogger(__name__)
POLL_S = 0.5


class RunZips:
    """Zips of runs for the download button, inside Gradio's upload cache (which Gradio serves);
    only the newest KEEP are kept."""

    KEEP = 8

    def __init__(self):
        self.folder = Path(get_upload_folder()) / f"govqa-evalzip-{uuid.uuid4().hex[:12]}"
        self._lock = threading.Lock()

    def write(self, store, run_id: str) -> str:
        with self._lock:
            target = self.folder / uuid.uuid4().hex[:8] / f"govqa-eval-{run_id}.zip"
            store.zip(run_id, target)
            folders = sorted((p for p in self.folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime_ns)
            for old in folders[:-self.KEEP]:
                if old != target.parent:
                    for f in old.iterdir():
                        f.unlink(missing_ok=True)
                    old.rmdir()
            return str(target)


def is_staff(ctx: AppContext, request) -> bool:
    user = getattr(request, "username", None)
    return bool(user) and user in ctx.staff


def read_set(ctx: AppContext, path, lang: str):
    """(questions, corpus problems, html): the uploaded set checked; questions None if unusable."""
    if not path:
        return None, [], view.escape_html(t(lang, "eval_no_set"))
    if not received_upload(path):
        return None, [], view.escape_html(t(lang, "upload_not_received"))
    name = Path(path).name
    if Path(name).suffix.lower() not in SET_SUFFIXES:
        return None, [], view.bad_set_html(f"{name}: unsupported file type; use {', '.join(SET_SUFFIXES)}", lang)
    try:
        questions = load_set(path, source=name)
    except DatasetError as exc:
        return None, [], view.bad_set_html(str(exc), lang)
    problems = [message for _, message in check_against_corpus(questions, ctx.qa.source_text)]
    return questions, problems, view.check_html(questions, problems, name, lang)


def run_choices(store) -> list[tuple[str, str]]:
    return [(view.run_label(info), info["id"]) for info in store.list()]


def outcome_choices(metrics: dict | None, lang: str) -> list[tuple[str, str]]:
    names = [n for n in (metrics or {}).get("outcomes", {}) if n != "correct"]
    return [(t(lang, "all"), "")] + [(view.outcome_label(n, lang), n) for n in names]


def run_views(ctx: AppContext, worker: EvalWorker, zips: RunZips, run_id, only: str, lang: str) -> tuple:
    """(summary, metrics, charts, outcomes, outcome filter, wrong answers, zip) of one run."""
    store = worker.store
    try:
        info, metrics = store.info(run_id), store.metrics(run_id)
        predictions, questions = store.predictions(run_id), store.questions(run_id)
    except (RunError, OSError, ValueError):
        empty = view.escape_html(t(lang, "eval_no_runs"))
        return empty, "", "", "", gr.Dropdown(choices=outcome_choices(None, lang), value=""), "", None
    choices = outcome_choices(metrics, lang)
    only = only if only in {value for _, value in choices} else ""
    return (view.summary_html(info, metrics, lang), view.metrics_html(metrics),
            view.charts_html(store.folder(run_id)), view.outcomes_html(metrics, lang),
            gr.Dropdown(choices=choices, value=only),
            view.wrong_html(predictions, questions, ctx.qa.source_text, lang, only),
            zips.write(store, run_id))


def run_pickers(store, latest: str | None = None) -> tuple:
    """Updates of the run dropdown and the two comparison dropdowns (A = the run before B)."""
    choices = run_choices(store)
    ids = [value for _, value in choices]
    latest = latest if latest in ids else (ids[0] if ids else None)
    before = ids[ids.index(latest) + 1] if latest and ids.index(latest) + 1 < len(ids) else latest
    return (gr.Dropdown(choices=choices, value=latest), gr.Dropdown(choices=choices, value=before),
            gr.Dropdown(choices=choices, value=latest))


def build_evaluate_tab(ctx: AppContext, ui_lang, relabel: Relabel, worker: EvalWorker):
    """The view's components and events; returns (on_load, outputs) for the page-load event."""
    lang = "zh"
    zips = RunZips()
    store = worker.store
    help_text = gr.Markdown(t(lang, "eval_help"))
    with gr.Row():
        upload = gr.File(label=t(lang, "eval_file"), file_types=list(SET_SUFFIXES), type="filepath",
                         elem_id="govqa-eval-file", scale=1)
        check = gr.HTML("", elem_id="govqa-eval-check")
    with gr.Row():
        run = gr.Button(t(lang, "eval_run"), variant="primary", elem_id="govqa-eval-run", scale=3)
        cancel = gr.Button(t(lang, "eval_cancel"), elem_id="govqa-eval-cancel", scale=1)
    progress = gr.HTML(view.progress_html(worker.state.snapshot(), lang), elem_id="govqa-eval-progress")
    runs_title = gr.Markdown(f"### {t(lang, 'eval_runs')}")
    with gr.Row():
        pick = gr.Dropdown(run_choices(store), value=None, label=t(lang, "eval_pick_run"),
                           elem_id="govqa-eval-pick", scale=4)
        download = gr.DownloadButton(t(lang, "eval_zip"), value=None, elem_id="govqa-eval-zip", scale=1)
    summary = gr.HTML("", elem_id="govqa-eval-summary")
    metrics = gr.HTML("", elem_id="govqa-eval-metrics")
    charts = gr.HTML("", elem_id="govqa-eval-charts")
    outcomes = gr.HTML("", elem_id="govqa-eval-outcomes")
    only = gr.Dropdown(outcome_choices(None, lang), value="", label=t(lang, "eval_filter"),
                       elem_id="govqa-eval-only")
    wrong = gr.HTML("", elem_id="govqa-eval-wrong")
    compare_title = gr.Markdown(f"### {t(lang, 'eval_compare')}")
    with gr.Row():
        run_a = gr.Dropdown(run_choices(store), value=None, label=t(lang, "eval_run_a"), elem_id="govqa-eval-a")
        run_b = gr.Dropdown(run_choices(store), value=None, label=t(lang, "eval_run_b"), elem_id="govqa-eval-b")
        compare_button = gr.Button(t(lang, "eval_compare_button"), elem_id="govqa-eval-compare")
    diff = gr.HTML("", elem_id="govqa-eval-diff")
    views = [summary, metrics, charts, outcomes, only, wrong, download]

    def on_upload(path, ui, request: gr.Request):
        if not is_staff(ctx, request):
            return view.escape_html(t(ui, "eval_forbidden"))
        return read_set(ctx, path, ui or "zh")[2]

    def on_run(path, ui, request: gr.Request):
        """Progress while the set runs; at the end the run's views with it, in the same update
        (not through the run dropdown's change event, which a loaded machine showed late)."""
        ui = ui or "zh"
        keep = (gr.skip(),) * (3 + len(views))
        if not is_staff(ctx, request):
            yield view.escape_html(t(ui, "eval_forbidden")), *keep
            return
        if not worker.state.running:
            questions, _, html = read_set(ctx, path, ui)
            if questions is None:
                yield view.progress_html(worker.state.snapshot(), ui) + html, *keep
                return
            worker.start(questions, Path(path).name, request.username)
            busy = ""
        else:
            busy = view.escape_html(t(ui, "eval_busy").format(user=worker.state.user))
        while worker.state.running:
            yield busy + view.progress_html(worker.state.snapshot(), ui), *keep
            time.sleep(POLL_S)
        state = worker.state.snapshot()
        pickers = run_pickers(store, state["finished_id"] or None)
        shown = run_views(ctx, worker, zips, state["finished_id"], "", ui) if state["finished_id"] else (
            (gr.skip(),) * len(views))
        yield (view.progress_html(state, ui), *pickers, *shown)

    def on_cancel(ui, request: gr.Request):
        if is_staff(ctx, request):
            worker.cancel()
        return view.progress_html(worker.state.snapshot(), ui or "zh")

    def on_pick(run_id, only_v, ui):
        return run_views(ctx, worker, zips, run_id, only_v, ui or "zh")

    def on_only(run_id, only_v, ui):
        return run_views(ctx, worker, zips, run_id, only_v, ui or "zh")[5]

    def on_compare(a, b, ui, request: gr.Request):
        ui = ui or "zh"
        if not is_staff(ctx, request):
            return view.escape_html(t(ui, "eval_forbidden"))
        if not a or not b:
            return view.escape_html(t(ui, "eval_pick_two"))
        try:
            return view.compare_html(compare(store, a, b), ui)
        except (RunError, OSError, ValueError, KeyError) as exc:
            return view.error_list([str(exc)])

    def on_load(ui):
        return (view.progress_html(worker.state.snapshot(), ui or "zh"), *run_pickers(store))

    upload.change(on_upload, [upload, ui_lang], [check], api_visibility="private")
    run.click(on_run, [upload, ui_lang], [progress, pick, run_a, run_b, *views], api_visibility="private",
              concurrency_limit=None)
    cancel.click(on_cancel, [ui_lang], [progress], api_visibility="private")
    pick.change(on_pick, [pick, only, ui_lang], views, api_visibility="private")
    only.input(on_only, [pick, only, ui_lang], [wrong], api_visibility="private")
    compare_button.click(on_compare, [run_a, run_b, ui_lang], [diff], api_visibility="private")
    for component, key in ((help_text, "eval_help"),):
        relabel.add(component, lambda ui, key=key: t(ui, key))
    relabel.add(runs_title, lambda ui: f"### {t(ui, 'eval_runs')}")
    relabel.add(compare_title, lambda ui: f"### {t(ui, 'eval_compare')}")
    relabel.add(upload, lambda ui: gr.File(label=t(ui, "eval_file")))
    relabel.add(run, lambda ui: gr.Button(t(ui, "eval_run")))
    relabel.add(cancel, lambda ui: gr.Button(t(ui, "eval_cancel")))
    relabel.add(pick, lambda ui: gr.Dropdown(label=t(ui, "eval_pick_run")))
    relabel.add(download, lambda ui: gr.DownloadButton(t(ui, "eval_zip")))
    relabel.add(only, lambda ui: gr.Dropdown(label=t(ui, "eval_filter")))
    relabel.add(run_a, lambda ui: gr.Dropdown(label=t(ui, "eval_run_a")))
    relabel.add(run_b, lambda ui: gr.Dropdown(label=t(ui, "eval_run_b")))
    relabel.add(compare_button, lambda ui: gr.Button(t(ui, "eval_compare_button")))
    return on_load, [progress, pick, run_a, run_b]
