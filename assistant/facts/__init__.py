"""Facts: every number a report states, with its indicator, measure, period and kind."""

from .extract import EXTRACTOR_VERSION, extract_facts
from .store import build_facts, load_facts, save_facts

__all__ = ["EXTRACTOR_VERSION", "build_facts", "extract_facts", "load_facts", "save_facts"]
