"""What the QA core reads of a conversation: the last `MAX_TURNS` turns, each question and
answer cut to `MAX_TURN_CHARS` characters (docs/app.md). Every entry point (`QA.extractive`,
`QA.stream`, hence `/ask`, the chat and `govqa ask`) passes history through `limit_history`
first, so a huge history costs no more than one at the limits."""

from __future__ import annotations

import json
from collections import deque

MAX_TURNS = 10
MAX_TURN_CHARS = 1000
SHAPE = "history must be a JSON list of [question, answer] pairs"


def parse_history_json(text: str) -> list[tuple[str, str]]:
    """`[[question, answer], …]` (or `{"question": …, "answer": …}` objects) from JSON text, as
    strings; ValueError with a message for people (never a raw parser or recursion error)."""
    try:
        raw = json.loads(text or "[]")
    except RecursionError:
        raise ValueError(f"history is nested too deeply; {SHAPE}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"history is not valid JSON: {exc}") from None
    if not isinstance(raw, list):
        raise ValueError(SHAPE)
    pairs = []
    for turn in raw:
        if isinstance(turn, dict) and {"question", "answer"} <= turn.keys():
            turn = (turn["question"], turn["answer"])
        if not (isinstance(turn, list | tuple) and len(turn) == 2):
            raise ValueError(SHAPE)
        if any(isinstance(part, list | dict) for part in turn):
            raise ValueError(f"{SHAPE}: each question and answer must be text")
        pairs.append((str(turn[0]), str(turn[1])))
    return pairs


def limit_history(history, notice: str = "") -> tuple[list[tuple[str, str]], str]:
    """(turns kept as (question, answer) strings, notice): `notice` with a sentence added, in
    Chinese and English, when turns were dropped or cut."""
    total = 0
    last: deque = deque(maxlen=MAX_TURNS)
    for turn in history or ():
        total += 1
        last.append(turn)
    kept, cut = [], 0
    for question, answer in last:
        question, answer = str(question), str(answer)
        if len(question) > MAX_TURN_CHARS or len(answer) > MAX_TURN_CHARS:
            cut += 1
        kept.append((question[:MAX_TURN_CHARS], answer[:MAX_TURN_CHARS]))
    parts = []
    if total > MAX_TURNS:
        parts.append(f"对话历史共 {total} 轮，只使用了最近 {MAX_TURNS} 轮。/ The conversation history has "
                     f"{total} turns; only the last {MAX_TURNS} were used.")
    if cut:
        parts.append(f"对话历史中有 {cut} 轮超过 {MAX_TURN_CHARS} 字，只使用了前 {MAX_TURN_CHARS} 字。/ "
                     f"{cut} history turn(s) were cut to {MAX_TURN_CHARS} characters each.")
    return kept, " ".join(filter(None, [notice, *parts]))
