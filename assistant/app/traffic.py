"""How many public questions are being answered right now (the evaluation worker gives way)."""

from __future__ import annotations

import threading
from contextlib import contextmanager

MAX_WAIT_S = 5.0


class Traffic:
    """The chat and /ask enter `answering()`; the evaluation worker calls `wait_idle()` before
    each of its questions, so a run slows down under load instead of slowing the public down."""

    def __init__(self):
        self._active = 0
        self._idle = threading.Condition()

    @contextmanager
    def answering(self):
        with self._idle:
            self._active += 1
        try:
            yield
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    @property
    def active(self) -> int:
        return self._active

    def wait_idle(self, timeout: float = MAX_WAIT_S) -> bool:
        """True once no public question is being answered; False after `timeout` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)
