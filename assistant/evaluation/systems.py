"""The systems the runner can score, behind its System interface (see runner.System)."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

from ..settings import Settings
from ..types import Answer

SYSTEM_NAMES = ("govqa", "baseline")


class GovqaSystem:
    """govqa's QA core (assistant.qa.QA)."""

    name = "govqa"

    def __init__(self, settings: Settings, dense: bool = False, progress: bool = True):
        """Opens the index (a missing one gets its keyword part built). With dense=True a missing
        dense part is built first, in the foreground, so no question is answered while it is half
        done; by default the index is used as it is (`describe()` records whether dense was there)."""
        from ..qa import QA
        from ..search import build_dense

        self.settings = settings
        self._subsystems: dict[tuple[str, ...], GovqaSystem] = {}
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

    def for_corpus(self, report_ids) -> GovqaSystem:
        """govqa over a corpus of these reports alone (copied to a temp folder, keyword index),
        for questions asked of a single report (`corpus` in a benchmark set)."""
        key = tuple(sorted(report_ids))
        if key not in self._subsystems:
            folder = Path(tempfile.mkdtemp(prefix="govqa-subcorpus-"))
            copy_reports(Path(self.settings.corpus), folder / "corpus", key)
            settings = self.settings.model_copy(update={"corpus": folder / "corpus", "index_dir": folder / "index"})
            self._subsystems[key] = GovqaSystem(settings, dense=False, progress=False)
        return self._subsystems[key]

    def describe(self) -> dict:
        s = self.settings
        mode = s.mode if s.mode != "llm" or s.llm_configured else "extractive (llm not configured)"
        llm = {}
        if s.mode == "llm" and s.llm_configured:
            llm = {"llm_backend": s.llm_backend, "llm_context_tokens": s.llm_context_tokens,
                   "llm_model": s.llm_gguf.name if s.llm_backend == "llamacpp" else s.llm_model}
        return {"system": "govqa", "mode": mode, **llm, "embedder": s.embedder,
                "dense": self.qa.store.dense_ready, "top_k": s.top_k, "chunk_target": s.chunk_target,
                "passages": len(self.qa.store.passages), "index": str(s.index_dir),
                "corpus": str(s.corpus), "reports": len(self.qa.reports)}


def make_system(name: str, settings: Settings, progress: bool = True, dense: bool = False):
    if name == "govqa":
        return GovqaSystem(settings, dense=dense, progress=progress)
    if name == "baseline":
        from .baseline import BaselineSystem

        return BaselineSystem(settings, progress=progress)
    raise ValueError(f"unknown system {name!r}; valid: {', '.join(SYSTEM_NAMES)}")


def copy_reports(source: Path, target: Path, report_ids) -> None:
    """The named report files and their reports.csv rows, copied from one corpus to a new one."""
    for rid in report_ids:
        (target / rid).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rid, target / rid)
    listing = source / "reports.csv"
    if listing.is_file():
        with listing.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [row for row in reader if row.get("file") in set(report_ids)]
            fields = reader.fieldnames or []
        with (target / "reports.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
