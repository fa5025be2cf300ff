"""The chat tab: streaming answers with numbered source cards, filters, examples, status.

The handlers are plain functions of an `AppContext` so that they can be tested without a server.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import gradio as gr

from assistant.app.i18n import t
from assistant.app.inputs import (
    build_filters,
    check_question,
    parse_filters_json,
    parse_history,
    parse_year,
)
from assistant.app.render import (
    answer_markdown,
    citation_cards,
    escape_markdown,
    mode_label,
    truncate_question,
)
from assistant.app.traffic import Traffic
from assistant.history import MAX_TURNS

log = logging.getLogger(__name__)
__all__ = ["AppContext", "Relabel", "answer_turns", "api_ask", "build_chat_tab", "build_filters",
           "on_ask_turns", "parse_year", "register_api", "status_markdown"]

EXAMPLE_QUESTIONS = [
    "2024年中央预算内投资安排多少？",
    "四川2025年地区生产总值增长目标是多少？",
    "What was the 2019 GDP growth target?",
    "2024年城镇新增就业目标是多少？",
]
LEVELS = ("national", "provincial", "city", "county")


@dataclass
class AppContext:
    """What every handler needs: the QA core, the settings and the staff accounts."""

    qa: object  # assistant.qa.QA or anything with the same interface
    settings: object  # assistant.settings.Settings
    staff: dict[str, str] = field(default_factory=dict)  # user -> password; empty = no staff
    traffic: Traffic = field(default_factory=Traffic)  # public questions in flight (evaluation yields)

    @property
    def staff_enabled(self) -> bool:
        return bool(self.staff)


@dataclass
class Relabel:
    """Components whose labels follow the interface language: (component, lang -> update)."""

    items: list = field(default_factory=list)

    def add(self, component, make_update) -> None:
        self.items.append((component, make_update))

    def components(self) -> list:
        return [c for c, _ in self.items]

    def updates(self, lang: str) -> list:
        return [make_update(lang) for _, make_update in self.items]


def status_markdown(status: dict, lang: str) -> str:
    """One status line: corpus size, answer mode, and the dense index progress if building."""
    line = t(lang, "status").format(
        reports=status.get("reports", 0),
        passages=status.get("passages", 0),
        mode=mode_label(status.get("mode", "extractive"), lang),
        embedder=status.get("embedder", ""),
    )
    progress = status.get("dense_progress")
    if status.get("dense_error"):
        line += "  \n" + t(lang, "dense_failed").format(error=status["dense_error"])
    elif not status.get("dense_ready", True) and isinstance(progress, int | float):
        line += "  \n" + t(lang, "dense_building").format(progress=f"{progress * 100:.0f}%")
    elif not status.get("dense_ready", True):
        line += "  \n" + t(lang, "dense_missing")
    return escape_markdown(line)


def dense_building(status: dict) -> bool:
    return not status.get("dense_ready", True) and status.get("dense_progress") is not None


def level_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, "all"), "")] + [(t(lang, lvl), lvl) for lvl in LEVELS]


def region_choices(qa, lang: str) -> list[tuple[str, str]]:
    names: dict[str, str] = {}
    for report in qa.reports.values():
        names.setdefault(report.region, report.region_name or report.region)
    ordered = sorted(names.items(), key=lambda kv: (kv[0] != "china", kv[0]))
    return [(t(lang, "all"), "")] + [(f"{name} ({rid})", rid) for rid, name in ordered]


def language_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, "all"), ""), (t(lang, "lang_zh"), "zh"), (t(lang, "lang_en"), "en")]


def answer_turns(ctx: AppContext, question, messages, history, filters: dict, lang: str) -> Iterator[tuple]:
    """Stream one turn: yields (messages, cards_html, history, question_box) as the answer grows."""
    question, cut_notice = truncate_question(question, ctx.settings.max_question_chars, lang)
    messages = list(messages or [])
    history = list(history or [])
    if not question:
        yield messages, gr.skip(), history, ""
        return
    messages.append({"role": "user", "content": escape_markdown(question)})
    messages.append({"role": "assistant", "content": "…"})
    prefix = f"⚠ {escape_markdown(cut_notice)}\n\n" if cut_notice else ""
    # the box is locked while the answer is produced, so a question typed meanwhile is not lost
    busy = gr.Textbox(value="", interactive=False, placeholder=t(lang, "answering"))
    yield messages, gr.skip(), history, busy
    final = None
    try:
        # the QA core reads only the last MAX_TURNS turns (assistant/history.py): send just those,
        # so a long chat is not told on every answer that older turns were dropped
        with ctx.traffic.answering():
            for partial in ctx.qa.stream(question, history=tuple(history[-MAX_TURNS:]), filters=filters):
                final = partial
                messages[-1] = {"role": "assistant", "content": prefix + answer_markdown(partial, lang, final=False)}
                yield messages, gr.skip(), history, busy
    except Exception as exc:  # show the failure in the chat instead of a broken page
        log.exception("answering failed")
        messages[-1] = {"role": "assistant", "content": escape_markdown(t(lang, "error").format(error=exc))}
        yield messages, gr.skip(), history, ready(lang)
        return
    if final is None:
        yield messages, gr.skip(), history, ready(lang)
        return
    messages[-1] = {"role": "assistant", "content": prefix + answer_markdown(final, lang, final=True)}
    history = [*history, (question, final.answer)][-MAX_TURNS:]
    yield messages, citation_cards(final.citations, ctx.qa.source_text, lang), history, ready(lang)


def ready(lang: str):
    """The question box open again, empty, after an answer."""
    return gr.Textbox(value="", interactive=True, placeholder=t(lang, "question_placeholder"))


def on_ask_turns(ctx: AppContext, question, messages=None, history=None, level="", region="",
                 year_from=None, year_to=None, language="", ui: str = "zh") -> Iterator[tuple]:
    """The chat's ask event: the filter widgets' values checked, then `answer_turns`."""
    try:
        filters = build_filters(level, region, year_from, year_to, language, ui)
    except ValueError as exc:  # e.g. a year of 1e309 typed into a filter
        messages = [*(messages or []), {"role": "assistant", "content": escape_markdown(f"⚠ {exc}")}]
        yield messages, gr.skip(), list(history or []), question
        return
    yield from answer_turns(ctx, question, messages, history, filters, ui)


def api_ask(ctx: AppContext, question: str, history_json: str = "[]", filters_json: str = "{}") -> str:
    """The /ask endpoint: question, history JSON ([[q, a], …]), filters JSON -> answer JSON."""
    try:
        question = check_question(question)
        history = parse_history(history_json)
        filters = parse_filters_json(filters_json)
    except ValueError as exc:  # a message for people, never a raw Python error
        raise gr.Error(str(exc)) from None
    lang = "en" if question and question.isascii() else "zh"
    used, notice = truncate_question(question, ctx.settings.max_question_chars, lang)
    if not used:
        raise gr.Error("question is empty")
    with ctx.traffic.answering():
        answer = ctx.qa.ask(used, history=history, filters=filters)
    payload = answer.to_dict()
    payload["question"] = used
    payload["question_notice"] = notice
    return json.dumps(payload, ensure_ascii=False)


def build_chat_tab(ctx: AppContext, ui_lang: gr.Radio, relabel: Relabel) -> gr.Dropdown:
    """The chat tab's components and events (inside an open gr.Blocks / gr.Tab); returns the
    region filter (its choices follow the reports of the live index)."""
    lang = "zh"
    status = gr.Markdown(status_markdown(ctx.qa.status(), lang), elem_id="govqa-status")
    with gr.Accordion(t(lang, "filters"), open=False, elem_id="govqa-filters") as filters_box:
        with gr.Row():
            level = gr.Dropdown(level_choices(lang), value="", label=t(lang, "level"), elem_id="govqa-level")
            region = gr.Dropdown(region_choices(ctx.qa, lang), value="", label=t(lang, "region"),
                                 elem_id="govqa-region")
            year_from = gr.Number(None, label=t(lang, "year_from"), precision=0, elem_id="govqa-year-from")
            year_to = gr.Number(None, label=t(lang, "year_to"), precision=0, elem_id="govqa-year-to")
            language = gr.Radio(language_choices(lang), value="", label=t(lang, "language"),
                                elem_id="govqa-language")
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label=t(lang, "chat"), elem_id="govqa-chat", height=480,
                                 sanitize_html=True, allow_tags=False, latex_delimiters=[],
                                 buttons=["copy"])
            with gr.Row():
                question = gr.Textbox(label=t(lang, "question"), placeholder=t(lang, "question_placeholder"),
                                      elem_id="govqa-question", scale=5, lines=1, max_lines=4)
                ask = gr.Button(t(lang, "ask"), variant="primary", elem_id="govqa-ask", scale=1)
            new_chat = gr.Button(t(lang, "new_chat"), elem_id="govqa-new", size="sm")
            examples = gr.Examples(EXAMPLE_QUESTIONS, inputs=[question], label=t(lang, "examples"))
        with gr.Column(scale=2):
            sources_title = gr.Markdown(f"### {t(lang, 'sources')}")
            cards = gr.HTML(citation_cards([], None, lang), elem_id="govqa-cards")
    history = gr.State([])

    def on_ask(q, messages, hist, lvl, reg, yf, yt, language_value, ui):
        yield from on_ask_turns(ctx, q, messages, hist, lvl, reg, yf, yt, language_value, ui or "zh")

    inputs = [question, chatbot, history, level, region, year_from, year_to, language, ui_lang]
    outputs = [chatbot, cards, history, question]
    for trigger in (ask.click, question.submit):
        trigger(on_ask, inputs, outputs, api_visibility="private")
    new_chat.click(lambda ui: ([], citation_cards([], None, ui), [], ""), [ui_lang],
                   [chatbot, cards, history, question], api_visibility="private")
    chatbot.clear(lambda ui: (citation_cards([], None, ui), []), [ui_lang], [cards, history],
                  api_visibility="private")

    timer = gr.Timer(2.0)  # stops itself once no dense build is running

    def refresh_status(ui):
        current = ctx.qa.status()
        return status_markdown(current, ui or "zh"), gr.Timer(active=dense_building(current))

    timer.tick(refresh_status, [ui_lang], [status, timer], api_visibility="private")
    ui_lang.change(lambda ui: status_markdown(ctx.qa.status(), ui), [ui_lang], [status],
                   api_visibility="private")

    widgets = dict(chatbot=chatbot, question=question, ask=ask, new_chat=new_chat,
                   sources_title=sources_title, filters_box=filters_box, level=level, region=region,
                   year_from=year_from, year_to=year_to, language=language, examples=examples.dataset)
    _relabel_chat(ctx, relabel, **widgets)
    return region


def _relabel_chat(ctx: AppContext, relabel: Relabel, *, chatbot, question, ask, new_chat, sources_title,
                  filters_box, level, region, year_from, year_to, language, examples) -> None:
    relabel.add(chatbot, lambda ui: gr.Chatbot(label=t(ui, "chat")))
    relabel.add(question, lambda ui: gr.Textbox(label=t(ui, "question"), placeholder=t(ui, "question_placeholder")))
    relabel.add(ask, lambda ui: gr.Button(t(ui, "ask")))
    relabel.add(new_chat, lambda ui: gr.Button(t(ui, "new_chat")))
    relabel.add(sources_title, lambda ui: f"### {t(ui, 'sources')}")
    relabel.add(filters_box, lambda ui: gr.Accordion(label=t(ui, "filters")))
    relabel.add(level, lambda ui: gr.Dropdown(choices=level_choices(ui), label=t(ui, "level")))
    relabel.add(region, lambda ui: gr.Dropdown(choices=region_choices(ctx.qa, ui), label=t(ui, "region")))
    relabel.add(year_from, lambda ui: gr.Number(label=t(ui, "year_from")))
    relabel.add(year_to, lambda ui: gr.Number(label=t(ui, "year_to")))
    relabel.add(language, lambda ui: gr.Radio(choices=language_choices(ui), label=t(ui, "language")))
    relabel.add(examples, lambda ui: gr.Dataset(label=t(ui, "examples")))


def register_api(ctx: AppContext) -> None:
    """API-only endpoints of the public app (inside an open gr.Blocks)."""

    def ask(question: str, history: str = "[]", filters: str = "{}") -> str:
        """Answer a question. history: JSON [[question, answer], …]; filters: JSON object with
        level, region, year_from, year_to, language. Returns the answer as JSON."""
        return api_ask(ctx, question, history, filters)

    def status() -> str:
        """Index and answering status as JSON."""
        return json.dumps(ctx.qa.status(), ensure_ascii=False)

    def reports() -> str:
        """The report library as JSON: a list of report metadata with passage counts."""
        rows = [{**r.to_dict(), "passages": ctx.qa.passage_count(rid)} for rid, r in sorted(ctx.qa.reports.items())]
        return json.dumps(rows, ensure_ascii=False)

    gr.api(ask, api_name="ask")
    gr.api(status, api_name="status")
    gr.api(reports, api_name="reports")
