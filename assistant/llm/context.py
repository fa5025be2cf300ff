"""What the model is shown: numbered passages and recent history, within a token budget."""

from __future__ import annotations

from collections.abc import Callable

from ..injection import is_instruction, without_instructions
from ..tokens import count_tokens
from ..types import Hit, Passage, Report
from .citations import strip_markers
from .prompts import DATA_MARKERS, Prompt

Counter = Callable[[str], int]
MESSAGE_OVERHEAD = 4  # tokens of a chat message's role header and separators
HISTORY_TURNS = 3  # most recent question/answer pairs shown to the model
HISTORY_CHARS = 300  # each past answer is cut to this length
NO_HISTORY = {"zh": "（无）", "en": "(none)"}
SPEAKERS = {"zh": ("用户", "助手"), "en": ("User", "Assistant")}


def answer_reserve(context_tokens: int) -> int:
    """Tokens kept free for the model's answer."""
    return min(800, context_tokens // 4)


def passage_data(passage: Passage) -> str:
    """The passage text as the model sees it: instruction-like sentences dropped (see
    assistant/injection.py) and the data-block markers of the prompts taken out, so a passage
    cannot close the block it sits in."""
    return _as_data(without_instructions(passage.text))


def _as_data(text: str) -> str:
    for marker in DATA_MARKERS:
        text = text.replace(marker, "")
    return text.strip()


def format_passage(n: int, passage: Passage, report: Report | None) -> str:
    """'[n] 2024 | <title> | <heading path>' then the passage text (as data) on the next line."""
    fields = [report.title if report and report.title else passage.report]
    if passage.heading and not is_instruction(passage.heading_path):
        fields.append(passage.heading_path)
    fields = [_as_data(f) for f in fields]
    year = f" {report.year}" if report and report.year else ""
    return f"[{n}]{year} | " + " | ".join(fields) + "\n" + passage_data(passage)


def format_history(history, language: str) -> str:
    user, assistant = SPEAKERS[language]
    lines = []
    for asked, answered in list(history)[-HISTORY_TURNS:]:
        answered = strip_markers(answered or "").strip()
        if len(answered) > HISTORY_CHARS:
            answered = answered[:HISTORY_CHARS] + "…"
        lines.append(f"{user}：{asked}" if language == "zh" else f"{user}: {asked}")
        if answered:
            lines.append(f"{assistant}：{answered}" if language == "zh" else f"{assistant}: {answered}")
    return "\n".join(lines) or NO_HISTORY[language]


def prompt_tokens(messages: list[tuple[str, str]], count: Counter = count_tokens) -> int:
    return sum(count(text) + MESSAGE_OVERHEAD for _, text in messages)


def select_passages(hits: list[Hit], reports: dict[str, Report], prompt: Prompt, question: str,
                    history_text: str, context_tokens: int,
                    count: Counter = count_tokens) -> list[Passage]:
    """The top-ranked passages (in the given order) whose prompt fits `context_tokens` minus
    the answer reserve, counted in the model's tokens by `count`; stops at the first passage
    that would not fit."""
    budget = context_tokens - answer_reserve(context_tokens)
    used = prompt_tokens(prompt.messages(question=question, history=history_text, passages=""), count)
    chosen: list[Passage] = []
    for hit in hits:
        if not passage_data(hit.passage):  # nothing but planted instructions
            continue
        block = format_passage(len(chosen) + 1, hit.passage, reports.get(hit.passage.report))
        cost = count(block) + 2
        if used + cost > budget:
            break
        chosen.append(hit.passage)
        used += cost
    return chosen


def passages_block(passages: list[Passage], reports: dict[str, Report]) -> str:
    return "\n\n".join(format_passage(n, p, reports.get(p.report)) for n, p in enumerate(passages, 1))
