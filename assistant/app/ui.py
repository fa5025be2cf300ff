"""Assembles the Gradio apps and serves them.

Two Blocks share one QA core inside one FastAPI server:
- "/"       the public app: chat, commitment ledger, report library, and the API (/ask …);
- "/staff"  the staff app, behind Gradio's login, with report upload. It is only mounted when
            staff credentials are configured, so without them no upload endpoint exists at all.
"""

from __future__ import annotations

import logging

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from gradio.route_utils import FnIndexInferError
from starlette.routing import Mount

from assistant.app.chat import AppContext, Relabel, build_chat_tab, region_choices, register_api
from assistant.app.evaluate_html import CSS as EVALUATE_CSS
from assistant.app.guard import LoginGuard, LoginThrottle, NoPublicUploads, staff_auth
from assistant.app.i18n import LANG_CHOICES, t
from assistant.app.staff import (
    LEDGER_QUEUE,
    LedgerCache,
    build_ledger_tab,
    build_library_tab,
    build_upload_tab,
    library_count,
    library_rows,
    report_choices,
)

log = logging.getLogger(__name__)

CSS = """
.govqa-cards { display: flex; flex-direction: column; gap: 10px; }
.govqa-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
  background: var(--background-fill-secondary); }
.govqa-card-head { font-weight: 600; margin-bottom: 2px; }
.govqa-n { color: var(--color-accent); margin-right: 4px; }
.govqa-heading { font-size: 0.85em; color: var(--body-text-color-subdued); margin-bottom: 6px; }
.govqa-passage, .govqa-context-text { white-space: pre-wrap; line-height: 1.6; font-size: 0.95em; }
.govqa-passage mark, .govqa-context-text mark { background: #ffe27a; color: #000; padding: 0 1px; }
.govqa-context summary { cursor: pointer; font-size: 0.85em; color: var(--color-accent); margin-top: 6px; }
.govqa-context-text { margin-top: 6px; color: var(--body-text-color-subdued); }
.govqa-current { color: var(--body-text-color); background: rgba(255, 226, 122, 0.25); }
.govqa-report-id { font-size: 0.75em; color: var(--body-text-color-subdued); margin-top: 4px; }
.govqa-no-sources { color: var(--body-text-color-subdued); }
.govqa-report-id { overflow-wrap: anywhere; }
#govqa-chat table { display: block; overflow-x: auto; max-width: 100%; }
#govqa-chat th, #govqa-chat td { white-space: nowrap; }
@media (max-width: 640px) {
  /* a phone: the chat and its sources one above the other, tables scroll instead of crushing */
  #govqa-chat td:nth-child(2) { white-space: normal; min-width: 12em; }
  .govqa-card { padding: 8px; }
}
"""
FONTS = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"]


def _followed(qa):
    """The QA on the live index generation (so the ledger and the answers share its facts)."""
    qa.follow_index()
    return qa


def theme() -> gr.themes.Base:
    """A theme with local fonts only (the default one fetches web fonts, and we are offline)."""
    return gr.themes.Soft(font=FONTS, font_mono=["monospace"])


def _header(relabel: Relabel) -> gr.Radio:
    with gr.Row():
        title = gr.Markdown(f"## {t('zh', 'title')}\n{t('zh', 'subtitle')}", elem_id="govqa-title")
        ui_lang = gr.Radio(LANG_CHOICES, value="zh", label=t("zh", "ui_language"), elem_id="govqa-ui-lang",
                           scale=0, min_width=220, container=False)
    relabel.add(title, lambda ui: f"## {t(ui, 'title')}\n{t(ui, 'subtitle')}")
    relabel.add(ui_lang, lambda ui: gr.Radio(label=t(ui, "ui_language")))
    return ui_lang


def _wire_language(ui_lang: gr.Radio, relabel: Relabel) -> None:
    ui_lang.change(relabel.updates, [ui_lang], relabel.components(), api_visibility="private")


ANSWER_CONCURRENCY = 4  # questions answered in parallel (the work is short; it mostly cuts queueing)
GENERATION_POLL_SECONDS = 10.0  # how often an open page checks for a new index generation
VIEWS_QUEUE = "views-refresh"


def live_generation(qa) -> str:
    """The name of the index generation `qa` answers from, after following a newer one."""
    follow = getattr(qa, "follow_index", None)
    if callable(follow):
        follow()
    generation = getattr(getattr(qa, "store", None), "generation", None)
    return getattr(generation, "name", None) or str(generation or "")


def refresh_library(ctx: AppContext, ui: str):
    """The staff app's library (count, rows) at page load, from the live index generation."""
    live_generation(ctx.qa)
    return library_count(ctx.qa, ui or "zh"), library_rows(ctx.qa)


def refresh_public_views(ctx: AppContext, ledger: LedgerCache, seen: str, ui: str):
    """(generation, library count, library rows, region choices, ledger report choices) for a
    page that last saw generation `seen`; all skipped when the index has not changed. The
    ledger follows by itself (LedgerCache reloads for a new generation)."""
    generation = live_generation(ctx.qa)
    if generation and generation == seen:
        return seen, gr.skip(), gr.skip(), gr.skip(), gr.skip()
    lang = ui or "zh"
    return (generation, library_count(ctx.qa, lang), library_rows(ctx.qa),
            gr.update(choices=region_choices(ctx.qa, lang)), gr.update(choices=report_choices(ctx.qa)))


def build_public_app(ctx: AppContext, ledger: LedgerCache | None = None) -> gr.Blocks:
    """The app everyone reaches: chat, ledger, library and the API endpoints."""
    ledger = ledger or LedgerCache(ctx.settings, lambda: _followed(ctx.qa).ledger)
    relabel = Relabel()
    with gr.Blocks(title=t("zh", "title"), analytics_enabled=False) as app:
        ui_lang = _header(relabel)
        with gr.Tabs():
            with gr.Tab(t("zh", "tab_chat"), id="chat") as chat_tab:
                region = build_chat_tab(ctx, ui_lang, relabel)
            with gr.Tab(t("zh", "tab_staff"), id="staff") as staff_tab:
                where = gr.Markdown(t("zh", "upload_where" if ctx.staff_enabled else "upload_disabled"))
                with gr.Tabs():
                    with gr.Tab(t("zh", "tab_ledger"), id="ledger") as ledger_tab:
                        refresh, inputs, outputs = build_ledger_tab(ctx, ledger, ui_lang, relabel)
                    with gr.Tab(t("zh", "tab_library"), id="library") as library_tab:
                        count, library = build_library_tab(ctx, relabel)
        ledger_tab.select(refresh, inputs, outputs, api_visibility="private",
                          concurrency_limit=1, concurrency_id=LEDGER_QUEUE)
        # reports added since the page was built (an upload, `govqa index`): on load, on a timer
        seen = gr.State("")
        views = [seen, count, library, region, inputs[3]]  # inputs[3]: the ledger's report filter
        timer = gr.Timer(GENERATION_POLL_SECONDS)
        for trigger in (app.load, timer.tick, library_tab.select):
            trigger(lambda s, ui: refresh_public_views(ctx, ledger, s, ui), [seen, ui_lang], views,
                    api_visibility="private", concurrency_limit=1, concurrency_id=VIEWS_QUEUE)
        register_api(ctx)
        relabel.add(where, lambda ui: t(ui, "upload_where" if ctx.staff_enabled else "upload_disabled"))
        for tab, key in ((chat_tab, "tab_chat"), (staff_tab, "tab_staff"), (ledger_tab, "tab_ledger"),
                         (library_tab, "tab_library")):
            relabel.add(tab, lambda ui, key=key: gr.Tab(label=t(ui, key)))
        _wire_language(ui_lang, relabel)
    # QA answers are read-only over the index, so several people can be answered at once
    app.queue(default_concurrency_limit=ANSWER_CONCURRENCY)
    return app


def build_staff_app(ctx: AppContext) -> gr.Blocks:
    """The app behind the staff login: upload a report, and see the library it lands in;
    evaluate a question set on the live index (assistant/app/evaluate.py)."""
    from assistant.app.evaluate import build_evaluate_tab
    from assistant.app.worker import EvalWorker

    relabel = Relabel()
    worker = EvalWorker(ctx.qa, ctx.settings, ctx.traffic)
    with gr.Blocks(title=t("zh", "tab_upload"), analytics_enabled=False) as app:
        ui_lang = _header(relabel)
        with gr.Tabs():
            with gr.Tab(t("zh", "tab_upload"), id="upload") as upload_tab:
                ledger_link = gr.Markdown(t("zh", "staff_ledger_link"), elem_id="govqa-ledger-link")
                with gr.Accordion(t("zh", "tab_library"), open=False):
                    count, library = build_library_tab(ctx, relabel)
                build_upload_tab(ctx, ui_lang, relabel, library)
            with gr.Tab(t("zh", "tab_evaluate"), id="evaluate") as evaluate_tab:
                on_load, load_outputs = build_evaluate_tab(ctx, ui_lang, relabel, worker)
        app.load(lambda ui: refresh_library(ctx, ui), [ui_lang], [count, library], api_visibility="private")
        relabel.add(upload_tab, lambda ui: gr.Tab(label=t(ui, "tab_upload")))
        relabel.add(ledger_link, lambda ui: t(ui, "staff_ledger_link"))
        relabel.add(evaluate_tab, lambda ui: gr.Tab(label=t(ui, "tab_evaluate")))
        _wire_language(ui_lang, relabel)
        app.load(on_load, [ui_lang], load_outputs, api_visibility="private")
    return app


def create_server_app(ctx: AppContext, ledger: LedgerCache | None = None):
    """The FastAPI application holding the public app at "/" and the staff app at "/staff"."""
    server = FastAPI(title="govqa")
    max_size = f"{ctx.settings.upload_max_mb}mb"
    if ctx.staff_enabled:
        staff = build_staff_app(ctx)
        server = gr.mount_gradio_app(
            server, staff, path="/staff", auth=staff_auth(ctx.staff),
            auth_message=t("zh", "login_message").format(n=LoginThrottle.FREE_FAILURES), max_file_size=max_size, theme=theme(),
            css=CSS + EVALUATE_CSS,
            footer_links=["api"], ssr_mode=False, run_history=False,
        )
    public = build_public_app(ctx, ledger)
    server = gr.mount_gradio_app(
        server, public, path="/", max_file_size="1kb", theme=theme(), css=CSS,
        footer_links=["api"], ssr_mode=False, run_history=False,
    )
    # Gradio checks that a file sent to an endpoint is in its upload cache only for apps that
    # were launch()ed; mounted ones skip the check. Turn it on (the handlers check again).
    for blocks in (public, staff) if ctx.staff_enabled else (public,):
        blocks.has_launched = True
    server.add_middleware(LoginGuard, throttle=LoginThrottle())  # see assistant/app/guard.py
    server.add_middleware(NoPublicUploads)
    for route in server.routes:  # the Gradio apps themselves, mounted at "/" and "/staff"
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            route.app.add_exception_handler(FnIndexInferError, unknown_api_name)
    return server


async def unknown_api_name(request, exc) -> JSONResponse:
    """404 naming the endpoints, instead of Gradio's HTTP 500, for a call to an unknown api_name."""
    name = request.path_params.get("api_name", "")
    return JSONResponse({"detail": f"unknown api_name {name!r}; the public endpoints are /ask, /status "
                                   f"and /reports (see /gradio_api/info)"}, status_code=404)


def serve(ctx: AppContext, host: str = "127.0.0.1", port: int = 7860) -> None:
    import uvicorn

    ledger = LedgerCache(ctx.settings, lambda: _followed(ctx.qa).ledger)
    ledger.start()  # load the ledger while the server starts, not on the first click
    uvicorn.run(create_server_app(ctx, ledger), host=host, port=port, log_level="warning")
