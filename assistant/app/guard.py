"""Throttling password guessing on the staff login.

Gradio's login route (`POST /staff/login`) compares the password and answers 200 or 400; it
has no limit and passes no client address to an `auth=` callable. So:

- `LoginGuard`, a plain ASGI middleware around the whole server, sees every `POST …/login`
  with its client address (`scope["client"]`, the TCP peer: behind a reverse proxy that is the
  proxy, and `X-Forwarded-For` is not trusted because anyone can send it). A locked-out client
  gets 429 with a message (Chinese, English when the browser asks for English) and
  `Retry-After`, without the password being checked. Otherwise the request goes to Gradio and
  the answer's status (200 / 400) is counted.
- `staff_auth` is the `auth=` callable: a constant-time password check that also tells the
  middleware which user name was tried, for the log (passwords are never logged).
- `LoginThrottle` counts: per client, `FREE_FAILURES` failed logins in a row are free, each
  further one waits `BASE_DELAY` × 2ⁿ seconds (at most `MAX_DELAY`); a success clears the
  client. Globally, `GLOBAL_FAILURES` failures within `GLOBAL_WINDOW` seconds (from any number of
  addresses) make every client wait `GLOBAL_DELAY` seconds.
"""

from __future__ import annotations

import contextvars
import hmac
import json
import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

log = logging.getLogger(__name__)

ATTEMPT: contextvars.ContextVar[dict | None] = contextvars.ContextVar("govqa_login_attempt", default=None)
MESSAGES = {
    "zh": "登录失败次数过多，请 {seconds} 秒后再试。",
    "en": "Too many failed logins; try again in {seconds} seconds.",
}


class LoginThrottle:
    FREE_FAILURES = 5
    BASE_DELAY = 30.0
    MAX_DELAY = 3600.0
    GLOBAL_FAILURES = 100
    GLOBAL_WINDOW = 60.0
    GLOBAL_DELAY = 300.0
    MAX_CLIENTS = 10_000  # addresses remembered (oldest forgotten first)

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._clients: OrderedDict[str, tuple[int, float]] = OrderedDict()  # failures, locked until
        self._recent: deque[float] = deque()
        self._global_until = 0.0
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds this client must wait before its next login attempt (0: go ahead)."""
        now = self._clock()
        with self._lock:
            _, until = self._clients.get(client, (0, 0.0))
            return max(0.0, until - now, self._global_until - now)

    def failed(self, client: str) -> None:
        now = self._clock()
        with self._lock:
            failures = self._clients.pop(client, (0, 0.0))[0] + 1
            until = 0.0
            if failures >= self.FREE_FAILURES:
                until = now + min(self.MAX_DELAY, self.BASE_DELAY * 2 ** (failures - self.FREE_FAILURES))
            self._clients[client] = (failures, until)
            while len(self._clients) > self.MAX_CLIENTS:
                self._clients.popitem(last=False)
            self._recent.append(now)
            while self._recent and self._recent[0] < now - self.GLOBAL_WINDOW:
                self._recent.popleft()
            if len(self._recent) >= self.GLOBAL_FAILURES:
                self._global_until = now + self.GLOBAL_DELAY
                self._recent.clear()

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)


def staff_auth(staff: dict[str, str]) -> Callable[[str, str], bool]:
    """Gradio's `auth=` callable for these accounts (user -> password)."""

    def check(username: str, password: str) -> bool:
        attempt = ATTEMPT.get()
        if attempt is not None:
            attempt["user"] = username
        expected = staff.get(username)
        # compare anyway for an unknown user, so the time taken does not tell which users exist
        given, wanted = password.encode("utf-8"), (expected or "\0").encode("utf-8")
        return hmac.compare_digest(given, wanted) and expected is not None

    return check


PUBLIC_FILE_ROUTES = {"/gradio_api/upload", "/gradio_api/process_recording"}  # of the app at "/"


class NoPublicUploads:
    """ASGI middleware: the public app has no file component, so Gradio's generic routes that
    store files (`/gradio_api/upload`, `/gradio_api/process_recording`) are refused there (403);
    anonymous users could otherwise fill the disk 1 kB at a time. The staff app's routes under
    /staff/ are untouched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].rstrip("/") in PUBLIC_FILE_ROUTES:
            body = b'{"detail": "the public app takes no files"}'
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _is_login(scope) -> bool:
    return (scope["type"] == "http" and scope["method"] == "POST"
            and scope["path"].rstrip("/").rsplit("/", 1)[-1] == "login")


def _language(scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            return "en" if value.decode("latin-1").strip().lower().startswith("en") else "zh"
    return "zh"


class LoginGuard:
    """ASGI middleware: refuses logins of locked-out clients and counts the others' results."""

    def __init__(self, app, throttle: LoginThrottle | None = None):
        self.app = app
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send):
        if not _is_login(scope):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.throttle.wait(client)
        if wait > 0:
            await self._refuse(send, math.ceil(wait), _language(scope))
            log.warning("staff login refused: %s is locked out for %.0f s more", client, wait)
            return
        attempt = {"user": None, "status": None}
        token = ATTEMPT.set(attempt)

        async def watch(message):
            if message["type"] == "http.response.start":
                attempt["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            ATTEMPT.reset(token)
        if attempt["status"] == 200:
            self.throttle.succeeded(client)
        elif attempt["status"] in (400, 401, 403):
            self.throttle.failed(client)
            log.warning("failed staff login from %s as %r", client, attempt["user"])

    @staticmethod
    async def _refuse(send, seconds: int, lang: str) -> None:
        body = json.dumps({"detail": MESSAGES[lang].format(seconds=seconds)}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"retry-after", str(seconds).encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
