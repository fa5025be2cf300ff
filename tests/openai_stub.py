"""A scripted OpenAI-compatible HTTP server for tests (stdlib only).

    with OpenAIStub() as stub:
        stub.script(Reply.stream(["GDP增长", "5%左右[1]"]))
        ... point the client at stub.base_url ...
    (import it as `from openai_stub import OpenAIStub, Reply`: tests/ is on sys.path)
        stub.requests[0]["messages"]

Each POST /v1/chat/completions takes the next scripted Reply (or the default "no script"
500 when the queue is empty); GET /v1/models lists one model. Every chat request body is
recorded, parsed, in `requests`. Sleeps end early when the stub is closed, so tests stay fast.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "stub-model"


@dataclass
class Reply:
    kind: str  # stream | json | status | raw
    chunks: list[str] = field(default_factory=list)  # stream: content pieces
    content: str = ""  # json: the message content
    status: int = 200
    body: bytes = b""  # raw: sent as is
    delay: float = 0.0  # seconds before the headers are sent
    stall_after: int | None = None  # stream: stop sending (and hang) after this many chunks
    stall_seconds: float = 0.0

    @classmethod
    def stream(cls, chunks, **kw) -> Reply:
        return cls("stream", chunks=list(chunks), **kw)

    @classmethod
    def json(cls, content: str, **kw) -> Reply:
        return cls("json", content=content, **kw)

    @classmethod
    def error(cls, status: int, message: str = "internal error") -> Reply:
        body = json.dumps({"error": {"message": message, "type": "server_error"}}).encode()
        return cls("status", status=status, body=body)

    @classmethod
    def raw(cls, body: bytes, content_type: str = "text/event-stream", **kw) -> Reply:
        return cls("raw", body=body, content=content_type, **kw)


def _chunk(piece: str | None, finish: str | None = None) -> bytes:
    delta = {"content": piece} if piece is not None else {}
    data = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": MODEL, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _completion(content: str) -> bytes:
    return json.dumps({
        "id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
        "model": MODEL, "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
    }, ensure_ascii=False).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.rstrip("/").endswith("/models"):
            self._send(200, json.dumps({"object": "list", "data": [
                {"id": MODEL, "object": "model", "owned_by": "stub"}]}).encode())
        else:
            self._send(404, b'{"error": {"message": "not found"}}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        request = json.loads(self.rfile.read(length) or b"{}")
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, b'{"error": {"message": "not found"}}')
            return
        self.server.stub.requests.append(request)
        try:
            reply = self.server.stub.replies.get_nowait()
        except queue.Empty:
            reply = Reply.error(500, "no scripted reply")
        try:
            self._reply(reply, request)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    def _reply(self, reply: Reply, request: dict) -> None:
        stop = self.server.stub.closing
        if reply.delay and stop.wait(reply.delay):
            return
        if reply.kind == "status":
            self._send(reply.status, reply.body)
        elif reply.kind == "raw":
            self._send(reply.status, reply.body, reply.content)
        elif reply.kind == "json" or not request.get("stream"):
            self._send(200, _completion(reply.content or "".join(reply.chunks)))
        else:
            self._stream(reply, stop)

    def _stream(self, reply: Reply, stop: threading.Event) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()  # no Content-Length: the body ends when the connection closes
        self.close_connection = True
        for i, piece in enumerate(reply.chunks):
            if reply.stall_after is not None and i == reply.stall_after:
                stop.wait(reply.stall_seconds)
                return
            self.wfile.write(_chunk(piece))
            self.wfile.flush()
        self.wfile.write(_chunk(None, "stop") + b"data: [DONE]\n\n")
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    stub: OpenAIStub


class OpenAIStub:
    def __init__(self):
        self.requests: list[dict] = []
        self.replies: queue.Queue[Reply] = queue.Queue()
        self.closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        for reply in replies:
            self.replies.put(reply)

    def start(self) -> OpenAIStub:
        self._thread.start()
        return self

    def close(self) -> None:
        self.closing.set()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
