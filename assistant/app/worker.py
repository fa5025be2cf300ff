"""The app's evaluation worker: one run at a time, in a thread that gives way to public questions.

Before each of its questions the worker waits until no public question is being answered
(`Traffic`, at most traffic.MAX_WAIT_S), then sleeps PAUSE_S, so an evaluation slows down under
load instead of slowing the public chat down. The run's files go to the RunStore beside the index.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from assistant.app.traffic import Traffic
from assistant.evaluation.runs import RunStore

log = logging.getLogger(__name__)

PAUSE_S = 0.02


class Cancelled(Exception):
    """The run was stopped by a staff user."""


@dataclass
class RunState:
    run_id: str = ""
    set_name: str = ""
    user: str = ""
    done: int = 0
    total: int = 0
    running: bool = False
    cancel: bool = False
    error: str = ""
    finished_id: str = ""  # the last run that completed
    started: float = 0.0
    notes: list = field(default_factory=list)

    def snapshot(self) -> dict:
        return {k: getattr(self, k) for k in ("run_id", "set_name", "user", "done", "total", "running",
                                              "error", "finished_id", "started", "notes")}


def live_system(qa, settings):
    """govqa's System for the runner, over the app's own QA: the live index as it is (no second
    index is opened and no dense part is built)."""
    from assistant.evaluation.systems import GovqaSystem

    class LiveGovqa(GovqaSystem):
        def __init__(self):  # GovqaSystem's own __init__ opens (and may build) an index
            self.settings, self.qa, self._subsystems = settings, qa, {}

    return LiveGovqa()


class EvalWorker:
    def __init__(self, qa, settings, traffic: Traffic | None = None, store: RunStore | None = None,
                 pause: float = PAUSE_S):
        self.qa, self.settings = qa, settings
        self.traffic = traffic or Traffic()
        self.store = store or RunStore(settings.index_dir)
        self.pause = pause
        self.state = RunState()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, questions, set_name: str, user: str = "") -> bool:
        """Start a run in the background; False if one is running already."""
        with self._lock:
            if self.state.running:
                return False
            run_id, folder = self.store.start()
            self.state = RunState(run_id=run_id, set_name=set_name, user=user, total=len(questions),
                                  running=True, started=time.time(), finished_id=self.state.finished_id)
            self._thread = threading.Thread(target=self._run, args=(questions, folder), daemon=True,
                                            name=f"govqa-eval-{run_id}")
            self._thread.start()
            return True

    def cancel(self) -> bool:
        if not self.state.running:
            return False
        self.state.cancel = True
        return True

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _between_questions(self, done: int, total: int) -> None:
        self.state.done, self.state.total = done, total
        if self.state.cancel:
            raise Cancelled()
        if done < total:
            self.traffic.wait_idle()
            time.sleep(self.pause)

    def _run(self, questions, folder) -> None:
        from assistant.evaluation.runner import run_eval

        state = self.state
        try:
            system = live_system(self.qa, self.settings)
            dense_before = bool(self.qa.store.dense_ready)
            run_eval(system, questions, folder, set_path=state.set_name, progress=False,
                     on_question=self._between_questions)
            dense_after = bool(self.qa.store.dense_ready)
            if dense_before != dense_after:
                state.notes.append("dense_changed")
            elif not dense_after:
                state.notes.append("keyword_only")
            self.store.finish(state.run_id, folder, questions, {
                "set_name": state.set_name, "user": state.user, "started": state.started,
                "dense_at_start": dense_before, "dense_at_end": dense_after, "notes": list(state.notes)})
            state.finished_id = state.run_id
        except Cancelled:
            self.store.abandon(folder)
            state.error = "cancelled"
        except Exception as exc:  # a failed run is reported in the view, the app goes on
            log.exception("evaluation run failed")
            self.store.abandon(folder)
            state.error = f"{type(exc).__name__}: {exc}"
        finally:
            state.running = False
