"""The systems the runner can score, behind its System interface (see runner.System)."""

from __future__ import annotations

from ..settings import Settings
from ..types import Answer

SYSTEM_NAMES = ("govqa", "baseline")


class GovqaSystem:
    """govqa's QA core (assistant.qa.QA)."""

    name = "govqa"

    def __init__(self, settings: Settings):
        from ..qa import QA

        self.settings = settings
        self.qa = QA(settings)
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def ask(self, question: str, history: list[tuple[str, str]]) -> Answer:
        return self.qa.ask(question, history=history, mode=self.settings.mode)

    def source_text(self, report_id: str) -> str:
        if report_id not in self.qa.reports:
            raise KeyError(report_id)
        return self.qa.source_text(report_id)

    def passage_spans(self, report_id: str) -> list[tuple[int, int]]:
        """The report's passages as govqa indexes them (same chunker, same settings)."""
        if report_id not in self._spans:
            from ..chunking import chunk_report

            passages = chunk_report(self.qa.reports[report_id], self.source_text(report_id), self.settings)
            self._spans[report_id] = [(p.start, p.end) for p in passages]
        return self._spans[report_id]

    def describe(self) -> dict:
        s = self.settings
        return {"system": "govqa", "mode": s.mode, "embedder": s.embedder, "top_k": s.top_k,
                "chunk_target": s.chunk_target, "index": str(s.index_dir), "corpus": str(s.corpus),
                "reports": len(self.qa.reports)}


def make_system(name: str, settings: Settings, progress: bool = True):
    if name == "govqa":
        return GovqaSystem(settings)
    if name == "baseline":
        from .baseline import BaselineSystem

        return BaselineSystem(settings, progress=progress)
    raise ValueError(f"unknown system {name!r}; valid: {', '.join(SYSTEM_NAMES)}")
