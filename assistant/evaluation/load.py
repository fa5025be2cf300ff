"""Load test of the web app's `/ask` API: concurrent conversations with follow-ups.

    python -m assistant.evaluation.load                       # starts `govqa serve` itself
    python -m assistant.evaluation.load --url http://127.0.0.1:7860/ --conversations 20 --questions 10

Without --url it starts `govqa serve --keyword-only` on a free 127.0.0.1 port with the index
folder of --index-dir / GOVQA_INDEX_DIR (default index/), waits for it, and stops it at the end.
Each conversation is one `gradio_client.Client` in its own thread; it asks its questions in
order, sending the history it accumulated (so follow-ups like "那2019年呢？" work). Everything
is bounded by --timeout. Prints p50/p95/max latency and throughput; exits 1 on any error.
Only loopback URLs are accepted: this is not a tool for loading other people's servers.

    python -m assistant.evaluation.load --conversations 30 --heavy-clients 4

With --heavy-clients N the run has two phases on the same server, after a short warm-up: the
conversations alone, then the same conversations again while N more clients keep sending
follow-up questions with histories at the core's limits (MAX_TURNS turns of MAX_TURN_CHARS
characters per question and per answer, assistant/history.py) until the conversations are
done. It prints errors and the p50/p95 latency of the normal questions of both phases, and
fails (exit 1) on any error or when the p95 with the heavy clients is over --max-p95-ratio
times the one without them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO_ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Conversation scripts: a first question, then follow-ups that lean on the history.
CONVERSATIONS: list[list[str]] = [
    ["2024年中央预算内投资安排多少？", "那2019年呢？", "2024年地方政府专项债券拟安排多少？", "2023年呢？",
     "2024年超长期特别国债发行多少？", "2024年赤字率是多少？", "那2019年的赤字率呢？",
     "2024年城镇新增就业目标是多少？", "2022年呢？", "2024年国内生产总值增长目标是多少？"],
    ["四川2025年地区生产总值增长目标是多少？", "2026年呢？", "四川2025年居民收入增长目标是多少？",
     "广东2025年地区生产总值增长目标是多少？", "那2026年呢？", "广东2025年城镇新增就业目标是多少？",
     "浙江2025年地区生产总值增长目标是多少？", "浙江2026年呢？", "河北2025年粮食产量目标是多少？",
     "山西2025年地区生产总值增长目标是多少？"],
    ["What was the 2019 GDP growth target?", "And in 2016?", "What was the 2019 deficit-to-GDP ratio?",
     "How many new urban jobs were targeted in 2022?", "What about 2020?",
     "What was the CPI target in 2018?", "How much was allocated for local government special bonds in 2017?",
     "What was the 2012 GDP growth target?", "And 2010?", "Who delivered the 2012 report?"],
    ["2012年政府工作报告里财政赤字率安排的是多少？", "2015年的赤字率提高到了多少？", "2018年呢？",
     "2009年的居民消费价格涨幅目标是多少？", "2010年计划城镇新增就业多少人？", "2004年呢？",
     "2020年政府工作报告提出城镇调查失业率控制在多少？", "2017年安排了多少地方专项债券？", "2016年呢？",
     "2019年和2024年的中央预算内投资各是多少？"],
    ["长子县2024年地区生产总值增长目标是多少？", "长子县2023年一般公共预算收入完成多少？",
     "1975年政府工作报告是谁作的？", "第三个五年计划完成得怎么样？", "2024年政府工作报告是在哪次会议上作的？",
     "2024年一般公共预算支出规模是多大？", "2023年国内生产总值实际增长了多少？", "那2021年呢？",
     "2021年国务院定的经济增长目标是多少？", "2022年呢？"],
]


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, one per answered question
    answerable: int = 0
    errors: list[str] = field(default_factory=list)


def check_loopback(url: str) -> str:
    host = urlparse(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {url}: only loopback URLs (127.0.0.1, localhost) are allowed")
    return url if url.endswith("/") else url + "/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(index_dir: str | None, corpus: str | None, log_path: Path) -> tuple[subprocess.Popen, str]:
    """`govqa serve --keyword-only` on a free loopback port; returns (process, url)."""
    port = free_port()
    command = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--keyword-only"]
    if index_dir:
        command += ["--index-dir", index_dir]
    if corpus:
        command += ["--corpus", corpus]
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    for key in ("GOVQA_STAFF_USER", "GOVQA_STAFF_PASSWORD"):
        env.pop(key, None)
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log_path.open("w"),
                               stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}/"


def wait_ready(url: str, process: subprocess.Popen | None, log_path: Path | None, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:] if log_path else ""
            raise SystemExit(f"the server exited with code {process.returncode}:\n{tail}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer within {timeout:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def questions_for(conversation: int, count: int) -> list[str]:
    """`count` questions of one script (scripts rotate over conversations; repeat if needed)."""
    script = CONVERSATIONS[conversation % len(CONVERSATIONS)]
    return [script[i % len(script)] for i in range(count)]


def run_conversation(url: str, questions: list[str], deadline: float, start: threading.Barrier) -> Outcome:
    from gradio_client import Client

    outcome = Outcome()
    try:
        client = Client(url, verbose=False)
    except Exception as exc:  # count it, don't stop the others
        outcome.errors.append(f"connect: {type(exc).__name__}: {exc}")
        client = None
    try:  # all conversations start asking together
        start.wait(timeout=max(1.0, deadline - time.monotonic()))
    except threading.BrokenBarrierError:
        pass
    if client is None:
        return outcome
    history: list[list[str]] = []
    for question in questions:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            outcome.errors.append(f"time limit reached before {question!r}")
            break
        payload = ask_once(client, question, json.dumps(history, ensure_ascii=False), remaining, outcome)
        if payload is TIMED_OUT:
            break
        if payload is not None:
            history.append([question, payload["answer"]])
    return outcome


TIMED_OUT = object()


def ask_once(client, question: str, history_json: str, timeout: float, outcome: Outcome, label: str = ""):
    """One /ask call, its latency and outcome recorded: the payload, None after an error, or
    TIMED_OUT when the time limit ran out (the caller stops)."""
    began = time.perf_counter()
    try:
        job = client.submit(question, history_json, "{}", api_name="/ask")
        payload = json.loads(job.result(timeout=timeout))
    except FutureTimeout:
        outcome.errors.append(f"{label}{question!r}: no answer before the time limit")
        return TIMED_OUT
    except Exception as exc:
        outcome.errors.append(f"{label}{question!r}: {type(exc).__name__}: {exc}")
        return None
    outcome.latencies.append(time.perf_counter() - began)
    outcome.answerable += bool(payload.get("answerable"))
    return payload


def heavy_history(turns: int | None = None, chars: int | None = None) -> list[list[str]]:
    """A history at the core's limits: `turns` turns (default MAX_TURNS) whose question and
    answer are each `chars` characters (default MAX_TURN_CHARS) of real questions and of
    report-like answers, the last turn a real 2024 question, so a follow-up leans on it."""
    from assistant.history import MAX_TURN_CHARS, MAX_TURNS

    turns, chars = turns or MAX_TURNS, chars or MAX_TURN_CHARS
    asked = [q for script in CONVERSATIONS[:2] for q in script]
    answer = ("据《2024年国务院政府工作报告》，今年中央预算内投资拟安排7000亿元。"
              "拟安排地方政府专项债券3.9万亿元，比上年增加1000亿元。")

    def fill(text: str) -> str:
        return (text * (chars // len(text) + 1))[:chars]

    history = [[fill(asked[i % len(asked)]), fill(answer)] for i in range(turns - 1)]
    return history + [[fill(CONVERSATIONS[0][0]), fill(answer)]]


HEAVY_QUESTIONS = ["那2019年呢？", "2023年呢？", "那地方政府专项债券呢？", "And in 2016?"]


def run_heavy_client(url: str, history: list[list[str]], stop: threading.Event, deadline: float,
                     start: threading.Barrier, client_no: int) -> Outcome:
    """Follow-up questions with a history at the limits, one after another, until `stop`."""
    from gradio_client import Client

    outcome = Outcome()
    try:
        client = Client(url, verbose=False)
    except Exception as exc:
        outcome.errors.append(f"heavy connect: {type(exc).__name__}: {exc}")
        client = None
    try:
        start.wait(timeout=max(1.0, deadline - time.monotonic()))
    except threading.BrokenBarrierError:
        pass
    sent = json.dumps(history, ensure_ascii=False)
    n = client_no
    while client is not None and not stop.is_set() and time.monotonic() < deadline:
        question = HEAVY_QUESTIONS[n % len(HEAVY_QUESTIONS)]
        n += 1
        if ask_once(client, question, sent, max(1.0, deadline - time.monotonic()), outcome, "heavy ") is TIMED_OUT:
            break
    return outcome


def run_load(url: str, conversations: int, questions: int, timeout: float,
             heavy_clients: int = 0) -> tuple[list[Outcome], float, list[Outcome]]:
    """(conversation outcomes, wall seconds, heavy-client outcomes); the heavy clients start
    with the conversations and stop when the last conversation is done."""
    deadline = time.monotonic() + timeout
    start = threading.Barrier(conversations + heavy_clients)
    stop = threading.Event()
    history = heavy_history() if heavy_clients else []
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=conversations + heavy_clients) as pool:
        heavy = [pool.submit(run_heavy_client, url, history, stop, deadline, start, i)
                 for i in range(heavy_clients)]
        futures = [pool.submit(run_conversation, url, questions_for(i, questions), deadline, start)
                   for i in range(conversations)]
        outcomes = [f.result() for f in futures]
        seconds = time.perf_counter() - began
        stop.set()
        heavy_outcomes = [f.result() for f in heavy]
    return outcomes, seconds, heavy_outcomes


def warm_up(url: str, timeout: float) -> None:
    """Each script once, one question after another (the first answers load lazy parts)."""
    deadline = time.monotonic() + timeout
    for i in range(len(CONVERSATIONS)):
        run_conversation(url, questions_for(i, len(CONVERSATIONS[i])), deadline, threading.Barrier(1))


def heavy_lines(heavy: list[Outcome]) -> list[str]:
    latencies = [x for o in heavy for x in o.latencies]
    errors = [e for o in heavy for e in o.errors]
    line = (f"heavy clients: {len(heavy)}, each history {len(heavy_history())} turns x "
            f"{len(heavy_history()[0][0])} characters; {len(latencies)} answered, errors: {len(errors)}")
    if latencies:
        line += f"; latency s: p50 {percentile(latencies, 0.5):.2f}  p95 {percentile(latencies, 0.95):.2f}"
    return [line] + [f"error: {e}" for e in errors[:10]]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def summary_lines(outcomes: list[Outcome], seconds: float, conversations: int, questions: int) -> list[str]:
    latencies = [x for o in outcomes for x in o.latencies]
    errors = [e for o in outcomes for e in o.errors]
    answered = len(latencies)
    lines = [f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
             f"load: {conversations} conversations x {questions} questions = {conversations * questions} asked",
             f"answered: {answered} ({sum(o.answerable for o in outcomes)} with an answer, the rest refusals); "
             f"errors: {len(errors)}"]
    if latencies:
        lines.append(f"latency s: p50 {percentile(latencies, 0.5):.2f}  p95 {percentile(latencies, 0.95):.2f}  "
                     f"max {max(latencies):.2f}  mean {statistics.mean(latencies):.2f}")
    lines.append(f"wall time {seconds:.1f} s, throughput {answered / seconds:.2f} questions/s")
    lines += [f"error: {e}" for e in errors[:20]]
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m assistant.evaluation.load", description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running app (loopback only); default: start `govqa serve`")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10, help="questions per conversation")
    parser.add_argument("--index-dir", default=os.environ.get("GOVQA_INDEX_DIR"),
                        help="index folder for the server started here (default GOVQA_INDEX_DIR or index/)")
    parser.add_argument("--corpus", help="corpus folder for the server started here")
    parser.add_argument("--timeout", type=float, default=900, help="limit for the whole run, seconds")
    parser.add_argument("--startup-timeout", type=float, default=300)
    parser.add_argument("--heavy-clients", type=int, default=0,
                        help="also run the conversations again beside N clients sending histories at the limits")
    parser.add_argument("--max-p95-ratio", type=float, default=2.0,
                        help="with --heavy-clients: fail when p95 with them exceeds this times p95 without")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.conversations < 1 or args.questions < 1:
        raise SystemExit("--conversations and --questions must be at least 1")
    process = log_path = None
    if args.url:
        url = check_loopback(args.url)
    else:
        import tempfile

        log_path = Path(tempfile.mkdtemp(prefix="govqa-load-")) / "serve.log"
        process, url = start_server(args.index_dir, args.corpus, log_path)
        print(f"started govqa serve at {url} (log: {log_path})", flush=True)
    phases = []
    try:
        wait_ready(url, process, log_path, args.startup_timeout)
        if args.heavy_clients > 0:
            warm_up(url, args.timeout)
            phases.append(("without heavy clients", *run_load(url, args.conversations, args.questions, args.timeout)))
        phases.append(("with heavy clients" if args.heavy_clients > 0 else "",
                       *run_load(url, args.conversations, args.questions, args.timeout, args.heavy_clients)))
    finally:
        if process is not None:
            stop_server(process)
    failed = False
    for name, outcomes, seconds, heavy in phases:
        if name:
            print(f"== {name}")
        for line in summary_lines(outcomes, seconds, args.conversations, args.questions):
            print(line)
        if heavy:
            for line in heavy_lines(heavy):
                print(line)
        failed |= any(o.errors for o in outcomes + heavy)
    if len(phases) == 2:
        p95 = [percentile([x for o in outcomes for x in o.latencies], 0.95) for _, outcomes, _, _ in phases]
        ratio = p95[1] / p95[0] if p95[0] > 0 else float("inf")
        print(f"normal-question p95 with / without heavy clients: {p95[1]:.2f} / {p95[0]:.2f} s = {ratio:.2f}x "
              f"(limit {args.max_p95_ratio:g}x)")
        failed |= not ratio <= args.max_p95_ratio
    try:
        print(f"machine load (uptime): {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    except OSError:
        pass
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
