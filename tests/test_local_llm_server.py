"""The `openai` backend against a real OpenAI-compatible server: llama-cpp-python's own
(`python -m llama_cpp.server`, the extra llama-cpp-python[server]) serving the GGUF file
GOVQA_TEST_GGUF on a free port of 127.0.0.1, asked one question over real HTTP. Opt-in like
tests/test_local_llm.py: skipped with the reason when GOVQA_TEST_GGUF is unset or the server's
packages are missing. The server's tokenizer is not visible to govqa, so the prompt is sized by
the character estimate."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_llm import INVEST, QUESTION, make_fallback
from test_local_llm import GGUF, zh  # noqa: F401 (fixture)

from assistant.evaluation.load import stop_server
from assistant.llm import LLMAnswerer
from assistant.settings import load_settings

pytestmark = [
    pytest.mark.skipif(not GGUF, reason="GOVQA_TEST_GGUF is not set (path of a GGUF chat model)"),
    pytest.mark.skipif(not GGUF or not Path(GGUF).is_file(), reason=f"no model file at {GGUF!r}"),
]
ALIAS = "govqa-test-model"
START_SECONDS = 180  # loading a 1.1 GB file took ~1 s on a free core; imports and a busy machine take more


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"llama_cpp.server did not answer at {url} within {START_SECONDS} s")


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    for module in ("llama_cpp.server", "sse_starlette", "starlette_context", "uvicorn"):
        pytest.importorskip(module, reason=f"{module} is missing: pip install 'llama-cpp-python[server]'")
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", GGUF, "--n_ctx", "2048",
               "--n_threads", os.environ.get("GOVQA_TEST_GGUF_THREADS", "2"), "--host", "127.0.0.1",
               "--port", str(port), "--model_alias", ALIAS]
    # the server's log goes to a file: llama.cpp's loading log alone fills a pipe nobody reads,
    # and the server then blocks before it listens
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/v1"
        wait_until_serving(process, url, log)
        yield url
    finally:
        stop_server(process)


def test_openai_backend_answers_through_llama_cpp_server(server_url, zh):  # noqa: F811
    _, reports, hits = zh
    settings = load_settings(mode="llm", llm_backend="openai", llm_base_url=server_url, llm_model=ALIAS,
                             llm_context_tokens=2048, llm_timeout=120)
    final = LLMAnswerer(settings).answer(QUESTION, hits, reports, make_fallback(hits))
    assert final.mode == "llm", (final.answer, final.notice, final.llm)
    assert "7000亿元" in final.answer and final.citations[0].quote == INVEST
    assert final.llm["backend"] == "openai" and final.llm["model"] == ALIAS
    assert final.llm["tokenizer"] == "estimate (characters)" and final.llm["completion_tokens"] > 0
