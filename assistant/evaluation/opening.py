"""Opening the system for `govqa eval run` without surprises.

- An index without dense vectors is used as it is (keyword retrieval only) and the run says so;
  the dense part is built only when asked (`--build-dense`), never as a side effect.
- While another process builds the index (a server's background dense build, `govqa index`),
  the index lock (search/layout.py BuildLock) is held. A run that only reads opens the live
  generation at once and says a build is running; one that must build (no index yet, or
  --build-dense) waits for the lock up to `wait_s` seconds, then gives up with a clear message
  instead of a traceback.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from ..search.layout import LOCK, IndexLockedError

POLL_S = 2.0


class IndexBusyError(RuntimeError):
    """The index stayed locked by another build for longer than we were willing to wait."""


def build_holder(index_dir: Path | str) -> str | None:
    """'pid N since HH:MM:SS' of a build holding the index lock, or None. Only reads the lock
    file (taking the lock, even briefly, could make a starting build fail)."""
    try:
        holder = (Path(index_dir) / LOCK).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not holder:
        return None
    parts = holder.split()
    if len(parts) >= 2 and parts[0] == "pid" and parts[1].isdigit():
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            return None  # a killed build leaves its line behind; the kernel dropped its lock
        except PermissionError:
            pass
    return holder


def open_system(make: Callable[[], object], index_dir: Path | str, wait_s: float,
                say: Callable[[str], None]) -> object:
    """make() the system, retrying while another build holds the index lock (up to wait_s)."""
    deadline = time.monotonic() + wait_s
    told = False
    while True:
        try:
            return make()
        except IndexLockedError as exc:
            if time.monotonic() >= deadline:
                raise IndexBusyError(f"{exc}; gave up after waiting {wait_s:.0f} s (try again later, "
                                     "or pass --wait SECONDS)") from None
            if not told:
                say(f"waiting for the index build on {index_dir} ({build_holder(index_dir) or 'running'}) "
                    f"to finish, up to {wait_s:.0f} s …")
                told = True
            time.sleep(min(POLL_S, max(0.0, deadline - time.monotonic())))


def dense_notice(system, index_dir: Path | str) -> str:
    """What to tell the user about the dense part of govqa's index ('' when it is there)."""
    qa = getattr(system, "qa", None)
    if qa is None or qa.store.dense_ready:
        return ""
    holder = build_holder(index_dir)
    building = f" (an index build is running now: {holder}; run again once it is done)" if holder else ""
    return (f"note: the index in {index_dir} has no dense vectors: answering with keyword (BM25) retrieval "
            f"only{building}. `govqa index` adds them, or `govqa eval run --build-dense`.")
