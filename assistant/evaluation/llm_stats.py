"""LLM-mode figures of a run, from the `llm` metadata of its predictions (see
assistant/llm/answerer.py): how often the model's answer was used, why it fell back, how many
citations were repaired, and how fast the model was."""

from __future__ import annotations

from collections import Counter

import numpy as np


def _median(values) -> float | None:
    values = [float(v) for v in values]
    return float(np.median(values)) if values else None


def llm_summary(predictions: list[dict]) -> dict | None:
    """None when no question went to a model (extractive mode, or nothing answerable)."""
    asked = [p for p in predictions if p.get("mode") in ("llm", "llm-fallback")]
    if not asked:
        return None
    metas = [p.get("llm") or {} for p in asked]
    reasons = Counter(m["fallback"] for m in metas if m.get("fallback"))
    generated = [m for m in metas if "completion_tokens" in m]
    seconds = [p["latency_ms"] / 1000 for p in asked]
    tokens = sum(m["completion_tokens"] for m in generated)
    decode_s = sum((m["completion_tokens"] - 1) / m["tokens_per_s"] for m in generated if m.get("tokens_per_s"))
    first_s = [m["first_token_ms"] / 1000 for m in generated if "first_token_ms" in m]
    prompt = [m["prompt_tokens"] for m in generated]
    model = next((f"{m['backend']}:{m['model']}" for m in metas if m.get("model")), "")
    return {
        "model": model, "asked": len(asked), "used": sum(p["mode"] == "llm" for p in asked),
        "fallback_rate": sum(reasons.values()) / len(asked),
        "fallback_reasons": dict(reasons.most_common()),
        "answers_with_repaired_citations": sum(bool(m.get("repaired")) for m in metas),
        "repaired_claims": sum(len(m.get("repaired") or ()) for m in metas),
        "refusals": sum(p["mode"] == "llm" and not p["answerable"] for p in asked),
        # every refusal the model wrote: honoured ones and those replaced by the extractive answer
        "model_refusals": sum(p["mode"] == "llm" and not p["answerable"] for p in asked) + reasons["model_refused"],
        "tokens_per_s": (tokens - len(generated)) / decode_s if decode_s else None,
        "prompt_tokens_median": _median(prompt),
        "prompt_tokens_per_s": sum(prompt) / sum(first_s) if first_s and sum(first_s) else None,
        "completion_tokens_median": _median(m["completion_tokens"] for m in generated),
        "first_token_s_median": _median(first_s),
        "seconds_per_answer_mean": sum(seconds) / len(seconds),
        "seconds_per_answer_median": _median(seconds),
    }


def llm_lines(summary: dict | None) -> list[str]:
    """The report.md section of llm_summary's figures."""
    if not summary:
        return []
    lines = ["## LLM mode", "", "| figure | value |", "|---|---:|"]
    for key, value in summary.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
        elif isinstance(value, float):
            value = f"{value:.3f}"
        lines.append(f"| {key} | {value} |")
    return lines + ["", "tokens_per_s: answer tokens after the first over the time after the first "
                    "token (the backend's tokenizer); prompt_tokens_per_s: prompt tokens over the "
                    "time to the first token; seconds per answer: the whole ask(), retrieval "
                    "and checks included.", ""]
