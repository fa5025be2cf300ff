"""Answering with a language model over retrieved passages, with checked citations and a
fallback to the extractive answer. See answerer.py."""

from .answerer import LLMAnswerer
from .prompts import REFUSALS, PromptError, load_prompt

__all__ = ["LLMAnswerer", "PromptError", "REFUSALS", "load_prompt"]
