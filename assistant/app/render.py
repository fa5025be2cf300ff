"""Pure functions that turn answers, citations and tables into safe Markdown or HTML.

Everything that comes from a report or a user is escaped here, so that HTML or script inside a
report or a question is shown as text and never run. Markdown output is escaped twice over:
HTML special characters become entities and Markdown punctuation gets a backslash, so neither
raw HTML nor Markdown links/images written by someone else are interpreted.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath, PureWindowsPath

from assistant.app.i18n import t
from assistant.types import Answer, Citation

CONTEXT_CHARS = 600  # characters of surrounding text shown around a cited passage

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$^])")
_HTML_EXTRA = {"{": "&#123;", "}": "&#125;", "$": "&#36;", "`": "&#96;"}


def escape_html(text: str) -> str:
    """HTML-escape text, also neutralising template syntax (`${…}`, `{{…}}`, backticks)."""
    escaped = html.escape(text or "", quote=True)
    return "".join(_HTML_EXTRA.get(ch, ch) for ch in escaped)


def escape_markdown(text: str) -> str:
    """Text that a Markdown renderer shows literally: no HTML, no links, no emphasis."""
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text or ""), quote=False)


def truncate_question(question: str, max_chars: int, lang: str = "zh") -> tuple[str, str]:
    """The question cut to max_chars, and a notice for the user if it was cut (else "")."""
    question = (question or "").strip()
    if max_chars <= 0 or len(question) <= max_chars:
        return question, ""
    return question[:max_chars], t(lang, "question_cut").format(n=max_chars, total=len(question))


def table_markdown(rows: list[dict] | None, lang: str = "", titles: dict[str, str] | None = None) -> str:
    """A Markdown table of the rows (columns in first-seen order), every cell escaped. With
    `lang`, known column names are said in that language (year -> 年份); with `titles`, a
    report id in a cell is shown as the report's title."""
    if not rows:
        return ""
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    titles = titles or {}

    def cell(value) -> str:
        text = "" if value is None else str(value)
        return escape_markdown(" ".join(titles.get(text, text).split()))

    def header(name: str) -> str:
        said = t(lang, f"col_{name}") if lang else name
        return cell(name if said == f"col_{name}" else said)

    lines = ["| " + " | ".join(header(c) for c in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for row in rows:
        lines.append("| " + " | ".join(cell(row.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def answer_markdown(answer: Answer, lang: str = "zh", *, final: bool = True) -> str:
    """The chat message for an answer: text, comparison table, mode line and notice."""
    parts = [escape_markdown(answer.answer) or ("…" if not final else "")]
    if final and answer.table:
        titles = {c.report: c.title for c in answer.citations}
        parts.append(table_markdown(answer.table, lang, titles))
    if final:
        meta = t(lang, "mode_line").format(mode=mode_label(answer.mode, lang, (answer.llm or {}).get("fallback")))
        timings = answer.timings or {}
        total_ms = timings.get("total_ms", timings.get("total"))
        if isinstance(total_ms, int | float):
            meta += t(lang, "time_line").format(ms=round(total_ms))
        parts.append(f"*{escape_markdown(meta)}*")
    if answer.notice:
        parts.append("⚠ " + escape_markdown(answer.notice))
    return "\n\n".join(p for p in parts if p)


def mode_label(mode: str, lang: str = "zh", fallback: str | None = None) -> str:
    """How the answer was made; a fallback because the model refused says so (not "unavailable")."""
    if mode == "llm-fallback" and fallback == "model_refused":
        return t(lang, "mode_model_refused")
    key = {"extractive": "mode_extractive", "llm": "mode_llm", "llm-fallback": "mode_fallback"}
    return t(lang, key[mode]) if mode in key else mode


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def marked_span(source: str, start: int, end: int, quote_start: int, quote_end: int) -> str:
    """Escaped HTML of source[start:end] with the quoted part wrapped in <mark>."""
    quote_start = _clamp(quote_start, start, end)
    quote_end = _clamp(quote_end, quote_start, end)
    if quote_end <= quote_start:
        return escape_html(source[start:end])
    return (
        escape_html(source[start:quote_start])
        + "<mark>"
        + escape_html(source[quote_start:quote_end])
        + "</mark>"
        + escape_html(source[quote_end:end])
    )


def context_html(source: str, citation: Citation, radius: int = CONTEXT_CHARS) -> str:
    """The passage (quote marked) with up to `radius` characters of source on each side."""
    before_start = max(0, citation.start - radius)
    after_end = min(len(source), citation.end + radius)
    before = ("…" if before_start > 0 else "") + escape_html(source[before_start : citation.start])
    after = escape_html(source[citation.end : after_end]) + ("…" if after_end < len(source) else "")
    passage = marked_span(source, citation.start, citation.end, citation.quote_start, citation.quote_end)
    return f'{before}<span class="govqa-current">{passage}</span>{after}'


def citation_card(citation: Citation, source: str | None, lang: str = "zh") -> str:
    """One numbered source card: title, heading path, passage with the quote highlighted,
    and a <details> element that shows the surrounding text."""
    if source is not None and source[citation.start : citation.end] == citation.text:
        passage = marked_span(source, citation.start, citation.end, citation.quote_start, citation.quote_end)
        context = context_html(source, citation)
    else:  # no source text at hand: mark the quote inside the passage text itself
        offset = citation.text.find(citation.quote) if citation.quote else -1
        if offset >= 0:
            passage = marked_span(citation.text, 0, len(citation.text), offset, offset + len(citation.quote))
        else:
            passage = escape_html(citation.text)
        context = passage
    heading = escape_html(citation.heading) if citation.heading else ""
    return (
        f'<div class="govqa-card" id="govqa-cite-{citation.n}" data-n="{citation.n}">'
        f'<div class="govqa-card-head"><span class="govqa-n">[{citation.n}]</span> '
        f'<span class="govqa-title">{escape_html(citation.title)}</span></div>'
        f'<div class="govqa-heading">{heading}</div>'
        f'<div class="govqa-passage">{passage}</div>'
        f'<details class="govqa-context"><summary>{escape_html(t(lang, "show_context"))}</summary>'
        f'<div class="govqa-context-text">{context}</div></details>'
        f'<div class="govqa-report-id">{escape_html(citation.report)}</div>'
        "</div>"
    )


def citation_cards(
    citations: list[Citation], source_text: Callable[[str], str] | None, lang: str = "zh"
) -> str:
    """All source cards of an answer, or a short note when there are none."""
    if not citations:
        return f'<div class="govqa-no-sources">{escape_html(t(lang, "no_sources"))}</div>'
    sources: dict[str, str | None] = {}
    cards = []
    for citation in citations:
        if citation.report not in sources:
            sources[citation.report] = _safe_source(source_text, citation.report)
        cards.append(citation_card(citation, sources[citation.report], lang))
    return '<div class="govqa-cards">' + "".join(cards) + "</div>"


def _safe_source(source_text: Callable[[str], str] | None, report_id: str) -> str | None:
    if source_text is None:
        return None
    try:
        return source_text(report_id)
    except (KeyError, OSError, ValueError):
        return None


_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\-]+", re.UNICODE)


def sanitize_filename(name: str, default: str = "upload.txt") -> str:
    """A file name safe to create inside one folder: no directories, no path escape, no
    leading dots, no control or shell characters; Chinese letters are kept."""
    name = unicodedata.normalize("NFKC", name or "")
    name = PureWindowsPath(PurePosixPath(name).name).name  # drop any directory part, / or \
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip("._ ")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip("._ ")[:100]
    if not stem:
        return default
    return f"{stem}.{suffix.lower()[:10]}" if suffix else stem
