"""Evaluation runs kept beside the index, listed, compared and zipped.

    <index_dir>/eval_runs/<run id>/  predictions.jsonl, metrics.json, report.md, the charts,
                                     set.jsonl (the questions as run) and run.json (what ran)

A run is written into a hidden `.tmp-<id>` folder and renamed into place when complete, so a
listed run is always whole. After each run only the newest KEEP runs are kept, and older ones
are dropped while all runs together exceed MAX_BYTES (the newest is always kept).
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

from .metrics import METRIC_ORDER, failure_category
from .tabular import set_hash, set_jsonl

RUNS = "eval_runs"
KEEP = 20
MAX_BYTES = 200 * 1024 * 1024
TMP = ".tmp-"
STALE_TMP_S = 6 * 3600
RUN_FILES = ("predictions.jsonl", "metrics.json", "report.md", "set.jsonl", "run.json")


class RunError(ValueError):
    """An unknown or unreadable run."""


def new_run_id(now: float | None = None) -> str:
    stamp = datetime.fromtimestamp(now or time.time()).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{uuid.uuid4().hex[:4]}"


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class RunStore:
    def __init__(self, index_dir: Path | str, keep: int = KEEP, max_bytes: int = MAX_BYTES):
        self.root = Path(index_dir) / RUNS
        self.keep, self.max_bytes = keep, max_bytes

    # ------------------------------------------------------------------ writing
    def start(self, run_id: str | None = None) -> tuple[str, Path]:
        """A fresh run id and the hidden folder its files go into."""
        run_id = run_id or new_run_id()
        self.root.mkdir(parents=True, exist_ok=True)
        self._drop_stale_tmp()
        folder = self.root / f"{TMP}{run_id}"
        folder.mkdir()
        return run_id, folder

    def finish(self, run_id: str, folder: Path, questions, meta: dict) -> dict:
        """Write set.jsonl and run.json, move the run into place, apply the retention rules."""
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
        (folder / "set.jsonl").write_text(set_jsonl(questions), encoding="utf-8")
        overall = metrics.get("overall", {})
        record = {
            "id": run_id, "set_hash": set_hash(questions), "questions": len(questions),
            "code": metrics.get("code"), "settings": metrics.get("settings", {}),
            "finished": metrics.get("finished"), "skipped": len(metrics.get("skipped", [])),
            "errors": len(metrics.get("errors", [])),
            "overall": {m: overall.get(m) for m in ("n", "overall_correct", "answer_accuracy", "hit@5")},
            **meta, "saved": time.time(),
        }
        (folder / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        folder.rename(self.root / run_id)
        self.prune()
        return record

    def abandon(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def _drop_stale_tmp(self) -> None:
        for folder in self.root.glob(f"{TMP}*"):
            try:
                if time.time() - folder.stat().st_mtime > STALE_TMP_S:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                pass

    def prune(self) -> list[str]:
        """Drop runs beyond the newest `keep`, then the oldest while over `max_bytes`."""
        runs = [self.root / r["id"] for r in self.list()]  # newest first
        dropped = runs[self.keep:]
        kept = runs[: self.keep]
        sizes = [folder_bytes(f) for f in kept]
        while len(kept) > 1 and sum(sizes) > self.max_bytes:
            dropped.append(kept.pop())
            sizes.pop()
        for folder in dropped:
            shutil.rmtree(folder, ignore_errors=True)
        return [f.name for f in dropped]

    # ------------------------------------------------------------------ reading
    def list(self) -> list[dict]:
        """run.json of every complete run, newest first."""
        if not self.root.is_dir():
            return []
        runs = []
        for folder in self.root.iterdir():
            if folder.name.startswith(".") or not (folder / "run.json").is_file():
                continue
            try:
                runs.append(json.loads((folder / "run.json").read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return sorted(runs, key=lambda r: (r.get("saved", 0), r.get("id", "")), reverse=True)

    def folder(self, run_id: str) -> Path:
        if not run_id or "/" in run_id or "\\" in run_id or run_id.startswith("."):
            raise RunError(f"no such run: {run_id!r}")
        folder = self.root / run_id
        if not (folder / "run.json").is_file():
            raise RunError(f"no such run: {run_id!r}")
        return folder

    def info(self, run_id: str) -> dict:
        return json.loads((self.folder(run_id) / "run.json").read_text(encoding="utf-8"))

    def metrics(self, run_id: str) -> dict:
        return json.loads((self.folder(run_id) / "metrics.json").read_text(encoding="utf-8"))

    def predictions(self, run_id: str) -> list[dict]:
        path = self.folder(run_id) / "predictions.jsonl"
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def questions(self, run_id: str) -> dict[str, dict]:
        """The run's questions (set.jsonl records) by id."""
        path = self.folder(run_id) / "set.jsonl"
        with path.open(encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
        return {r["id"]: r for r in records}

    def zip(self, run_id: str, target: Path) -> Path:
        """Every file of the run in one zip, under a folder named after the run."""
        folder = self.folder(run_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{run_id}/{path.relative_to(folder)}")
        return target


# ---------------------------------------------------------------------- comparison


def outcome(prediction: dict) -> str:
    return failure_category(prediction["scores"])


def compare(store: RunStore, run_a: str, run_b: str) -> dict:
    """Run B against run A: metric deltas (overall and per type) and the questions that flipped.
    Questions are matched by id; a question whose text changed between the runs is not
    counted as flipped but listed as changed."""
    info_a, info_b = store.info(run_a), store.info(run_b)
    metrics_a, metrics_b = store.metrics(run_a), store.metrics(run_b)
    preds_a = {p["id"]: p for p in store.predictions(run_a)}
    preds_b = {p["id"]: p for p in store.predictions(run_b)}
    flips: dict[str, list[dict]] = {"right_to_wrong": [], "wrong_to_right": []}
    changed, same = [], 0
    for qid, b in preds_b.items():
        a = preds_a.get(qid)
        if a is None:
            continue
        if a["question"] != b["question"]:
            changed.append(qid)
            continue
        right_a, right_b = bool(a["scores"]["correct"]), bool(b["scores"]["correct"])
        if right_a == right_b:
            same += 1
            continue
        key = "right_to_wrong" if right_a else "wrong_to_right"
        flips[key].append({"id": qid, "question": b["question"], "type": b.get("type", ""),
                           "answer_a": a["answer"], "answer_b": b["answer"],
                           "outcome_a": outcome(a), "outcome_b": outcome(b)})
    warnings = []
    if info_a.get("set_hash") != info_b.get("set_hash"):
        warnings.append("different question sets")
    if info_a.get("code") != info_b.get("code"):
        warnings.append(f"different code: {info_a.get('code')} → {info_b.get('code')}")
    settings_a, settings_b = info_a.get("settings", {}), info_b.get("settings", {})
    for key in sorted(set(settings_a) | set(settings_b)):
        if settings_a.get(key) != settings_b.get(key) and key not in ("index",):
            warnings.append(f"setting {key}: {settings_a.get(key)} → {settings_b.get(key)}")
    return {
        "a": info_a, "b": info_b, "warnings": warnings,
        "overall": deltas(metrics_a["overall"], metrics_b["overall"]),
        "by_type": {t: deltas(metrics_a["by_type"].get(t, {}), metrics_b["by_type"].get(t, {}))
                    for t in sorted(set(metrics_a["by_type"]) | set(metrics_b["by_type"]))},
        "flips": flips, "unchanged": same, "changed_text": changed,
        "only_a": sorted(set(preds_a) - set(preds_b)), "only_b": sorted(set(preds_b) - set(preds_a)),
    }


def deltas(a: dict, b: dict) -> list[tuple[str, float | None, float | None, float | None]]:
    """(metric, value in A, value in B, B − A) for every metric; None where not applicable."""
    rows = []
    for metric in ("n", *METRIC_ORDER):
        va, vb = a.get(metric), b.get(metric)
        rows.append((metric, va, vb, None if va is None or vb is None else vb - va))
    return rows
