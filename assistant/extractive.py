"""The extractive answerer: a short answer quoting the evidence sentence(s) exactly, naming the
report, each claim with its [n] marker. Offline, no LLM; the default and the fallback."""

from __future__ import annotations

from .evidence import Evidence
from .gloss import gloss_quote
from .types import Citation, Report

REFUSAL_ZH = "报告中没有找到相关内容"
REFUSAL_EN = "The reports do not say"


def refusal(language: str, reason: str = "") -> str:
    base = REFUSAL_EN if language == "en" else REFUSAL_ZH
    if not reason:
        return base + ("." if language == "en" else "。")
    return f"{base}: {reason}" if language == "en" else f"{base}：{reason}"


def citation_for(n: int, ev: Evidence, report: Report) -> Citation:
    p = ev.hit.passage
    return Citation(n=n, report=p.report, title=report.title, heading=p.heading_path,
                    start=p.start, end=p.end, text=p.text, quote=ev.text,
                    quote_start=ev.start, quote_end=ev.end)


def _title(report: Report, language: str) -> str:
    return f"the {report.title}" if language == "en" and report.language == "en" else f"《{report.title}》"


def sentence_for(ev: Evidence, report: Report, n: int, language: str, label: str = "",
                 continued: bool = False) -> str:
    """The quote with its [n], after the report's name (`continued`: the sentence before named it)."""
    quote = ev.text.rstrip("；;，,")
    if language == "en":
        lead = f"{label}: " if label else ""
        source = "" if continued else f"According to {_title(report, language)}, "
        return f"{lead}{source}“{quote}”{gloss_quote(quote)} [{n}]"
    lead = f"{label}：" if label else ""
    quote = quote if quote.endswith(("。", "！", "？", "”")) else quote + "。"
    source = "" if continued else f"据{_title(report, language)}，"
    return f"{lead}{source}{quote}[{n}]"


def compose(evidence: list[Evidence], reports: dict[str, Report], language: str,
            labels: list[str] | None = None) -> tuple[str, list[Citation]]:
    """One sentence per evidence item, citations numbered in order."""
    citations: list[Citation] = []
    parts: list[str] = []
    for i, ev in enumerate(evidence):
        report = reports[ev.hit.passage.report]
        label = labels[i] if labels else ""
        continued = not labels and i > 0 and evidence[i - 1].hit.passage.report == ev.hit.passage.report
        parts.append(sentence_for(ev, report, i + 1, language, label, continued))
        citations.append(citation_for(i + 1, ev, report))
    joiner = " " if language == "en" else "\n"
    return joiner.join(parts), citations
