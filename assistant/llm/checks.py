"""Checking a finished LLM answer, and the notices shown when it is not used.

`check_answer` returns either a problem (a key of NOTICES plus a detail) or the cleaned,
renumbered text with the passages it cites.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..numbers import extract_numbers, for_check, unsupported_numbers
from ..textutil import detect_language
from ..types import Passage, Report
from .backends import LocalModelError
from .citations import char_bigrams, renumber, strip_markers
from .context import passage_data
from .prompts import REFUSALS
from .repair import repair_citations

NOTICES = {
    "not_configured": ("未配置大模型服务，以下是从报告中直接摘录的答案。",
                       "No language model is configured; showing the answer extracted from the reports."),
    "unavailable": ("大模型服务不可用（{detail}），以下是从报告中直接摘录的答案。",
                    "The language model service was unavailable ({detail}); showing the answer extracted from the reports."),
    "timeout": ("大模型在 {detail} 秒内没有响应，以下是从报告中直接摘录的答案。",
                "The language model did not respond within {detail} s; showing the answer extracted from the reports."),
    "garbage": ("大模型返回的内容无法解析（{detail}），以下是从报告中直接摘录的答案。",
                "The language model returned output that could not be read ({detail}); showing the answer extracted from the reports."),
    "empty": ("大模型返回了空回答，以下是从报告中直接摘录的答案。",
              "The language model returned an empty answer; showing the answer extracted from the reports."),
    "no_citations": ("大模型的回答没有引用所给的报告段落，未予采用；以下是从报告中直接摘录的答案。",
                     "The language model's answer cited none of the given passages, so it was not used; showing the answer extracted from the reports."),
    "numbers": ("大模型回答中的数字（{detail}）在所引段落中找不到，未予采用；以下是从报告中直接摘录的答案。",
                "Numbers in the language model's answer ({detail}) are not in the passages it cites, so it was not used; showing the answer extracted from the reports."),
    "unrelated": ("大模型的回答与所引段落内容不符，未予采用；以下是从报告中直接摘录的答案。",
                  "The language model's answer does not match the passages it cites, so it was not used; showing the answer extracted from the reports."),
    "model_refused": ("大模型未能根据所给段落作答，以下是从报告中直接摘录的答案。",
                      "The language model did not answer from the given passages; showing the passages quoted from the reports instead."),
    "planted": ("检索到的段落含有疑似给模型的指令，已被剔除，剩下的内容不足以交给大模型；以下是从报告中直接摘录的答案。",
                "The retrieved passages hold what looks like instructions to the model; they were removed and nothing was left to give it. Showing the answer extracted from the reports."),
    "context": ("检索到的段落超出了大模型的上下文长度设置，以下是从报告中直接摘录的答案。",
                "The retrieved passages do not fit the language model's context setting; showing the answer extracted from the reports."),
}
_THINK_RE = re.compile(r"<think>.*?</think>", re.S)
MIN_OVERLAP = 0.2  # share of the answer's character bigrams that must occur in its cited passages


def notice(key: str, language: str, detail: str = "") -> str:
    zh, en = NOTICES[key]
    return (zh if language == "zh" else en).format(detail=detail)


def describe_error(exc: BaseException, timeout: float) -> tuple[str, str]:
    """(notice key, detail) for an exception raised while talking to the model."""
    import httpx
    import openai

    if isinstance(exc, LocalModelError):
        return "unavailable", str(exc)[:200]
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return "timeout", f"{timeout:g}"
    if isinstance(exc, openai.APIStatusError):
        return "unavailable", f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError | OSError):
        return "unavailable", "connection failed"
    if isinstance(exc, json.JSONDecodeError | ValueError | KeyError | TypeError | AttributeError):
        return "garbage", type(exc).__name__
    return "unavailable", type(exc).__name__


@dataclass
class Checked:
    problem: str = ""  # a NOTICES key, "" when the answer can be used
    detail: str = ""
    refused: bool = False
    text: str = ""  # renumbered answer text
    cited: list[Passage] = field(default_factory=list)
    repairs: list[dict] = field(default_factory=list)  # claims re-pointed (see repair.py)


def is_refusal(text: str) -> bool:
    bare = strip_markers(text).strip().strip("。.!！\"“”'")
    return any(bare.lower() == refusal.lower() for refusal in REFUSALS.values())


def _looks_garbled(text: str) -> bool:
    odd = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\t\r"))
    return odd > 0.05 * len(text)


def question_years(question: str) -> str:
    """The years the question names (2024年, in 2024), and nothing else of it: a number the
    user states ("听说今年投资8800亿元？") is a premise to check, not a support. Measured with
    Qwen2.5-Coder-1.5B: asked to repeat "今年中央预算内投资拟安排8800亿元[2]。", it did, and the
    answer passed while the question counted as support."""
    return " ".join(q.raw for q in extract_numbers(for_check(question))
                    if q.unit == "年" or (not q.unit and q.value.is_integer() and 1900 <= q.value <= 2100))


def _supporting_texts(cited: list[Passage], reports: dict[str, Report], question: str) -> list[str]:
    """Where an answer's numbers may come from: the cited passages as the model saw them
    (without planted instructions), their report's title and year, and the years the question
    names."""
    texts = [passage_data(p) for p in cited] + [question_years(question)]
    for p in cited:
        report = reports.get(p.report)
        if report:
            texts.append(f"{report.title} {report.year or ''}年")
    return texts


def visible_text(raw: str) -> str:
    """The answer without reasoning blocks (<think>…</think>, emitted by Qwen3 / DeepSeek-R1
    deployments); an unclosed block hides everything after it."""
    text = _THINK_RE.sub("", raw)
    return text.split("<think>")[0].lstrip()


def check_answer(raw: str, given: list[Passage], reports: dict[str, Report], question: str) -> Checked:
    text = visible_text(raw).strip()
    if not strip_markers(text).strip():
        return Checked("empty")
    if _looks_garbled(text):
        return Checked("garbage", "control characters")
    if is_refusal(text):
        return Checked(refused=True)
    text, repairs = repair_citations(
        text, given, lambda passages: _supporting_texts(passages, reports, question))
    text, order = renumber(text, len(given))
    if not order:
        return Checked("no_citations", repairs=repairs)
    cited = [given[i - 1] for i in order]
    bare = strip_markers(text)
    missing = unsupported_numbers(bare, _supporting_texts(cited, reports, question))
    if missing:
        return Checked("numbers", "、".join(dict.fromkeys(q.raw for q in missing)), repairs=repairs)
    passages_text = "".join(passage_data(p) for p in cited)
    if detect_language(bare) != detect_language(question):
        return Checked("unrelated", "language", repairs=repairs)
    # Cross-lingual answers (English question, Chinese passages) cannot be compared by characters.
    if detect_language(bare) == detect_language(passages_text):
        answer_bigrams = char_bigrams(bare)
        shared = len(answer_bigrams & char_bigrams(passages_text)) / max(1, len(answer_bigrams))
        if shared < MIN_OVERLAP:
            return Checked("unrelated", f"{shared:.0%}", repairs=repairs)
    return Checked(text=text, cited=cited, repairs=repairs)
