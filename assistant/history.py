"""What the QA core reads of a conversation: the last `MAX_TURNS` turns, each question and
answer cut to `MAX_TURN_CHARS` characters (docs/app.md). Every entry point (`QA.extractive`,
`QA.stream`, hence `/ask`, the chat and `govqa ask`) passes history through `limit_history`
first, so a huge history costs no more than one at the limits."""

from __future__ import annotations

from collections import deque

MAX_TURNS = 10
MAX_TURN_CHARS = 1000


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
