"""The systems the runner can score, behind its System interface (see runner.System)."""

from __future__ import annotations

from ..settings import Settings
from ..types import Answer

SYSTEM_NAMES = ("govqa", "baseline")


class GovqaSystem:
    """govqa's QA core (assistant.qa.QA)."""

    name = "govqa"

    def __init__(self, settings: Settings, dense: bool = True, progress: bool = True):
        """Opens (or builds) the index. With dense=True a missing dense part is built first,
        in the foreground, so no question is answered while it is half done."""
        from ..qa import QA
        from ..search import build_dense

        self.settings = settings
        self.qa = QA(settings, background_dense=False)
        if dense and not self.qa.store.dense_ready:
            build_dense(settings.index_dir, settings, progress=progress)
            self.qa = QA(settings, background_dense=False)

    def ask(self, question: str, history: list[tuple[str, str]]) -> Answer:
        return self.qa.ask(question, history=history, mode=self.settings.mode)

    def source_text(self, report_id: str) -> str:
        if report_id not in self.qa.reports:
            raise KeyError(report_id)
        return self.qa.source_text(report_id)

    def passage_spans(self, report_id: str) -> list[tuple[int, int]]:
        """The report's passages as they are in govqa's index."""
        return [(p.start, p.end) for p in self.qa.store.passages_of(report_id)]

    def describe(self) -> dict:
        s = self.settings
        mode = s.mode if s.mode != "llm" or s.llm_configured else "extractive (llm not configured)"
        return {"system": "govqa", "mode": mode, "embedder": s.embedder,
                "dense": self.qa.store.dense_ready, "top_k": s.top_k, "chunk_target": s.chunk_target,
                "passages": len(self.qa.store.passages), "index": str(s.index_dir),
                "corpus": str(s.corpus), "reports": len(self.qa.reports)}


def make_system(name: str, settings: Settings, progress: bool = True, dense: bool = True):
    if name == "govqa":
        return GovqaSystem(settings, dense=dense, progress=progress)
    if name == "baseline":
        from .baseline import BaselineSystem

        return BaselineSystem(settings, progress=progress)
    raise ValueError(f"unknown system {name!r}; valid: {', '.join(SYSTEM_NAMES)}")
