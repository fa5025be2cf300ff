"""`govqa eval judge RUN`: an opt-in, model-judged faithfulness score of an LLM-mode run.

For every claim of every generated answer (text ending in [n] markers, see
assistant/llm/repair.py), the configured model (GOVQA_LLM_*, any backend) is asked whether the
passages the claim cites support it, answering 是 / 否. Faithfulness = supported claims / claims
judged. It is a model's opinion, not a measurement against gold: the files say
"model-judged", and docs/llm.md reports how often it agreed with a human on a sample.
Writes judge.jsonl (one line per claim) and judge.md into the run folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..llm.backends import make_backend
from ..llm.repair import claims
from ..settings import load_settings

JUDGE_SYSTEM = ("你是严格的事实核查员。判断“陈述”是否完全由“段落”支持：陈述中的每个事实和数字都必须在段落中写明。"
                "只回答一个字：是 或 否。")
JUDGE_USER = "段落：\n{passages}\n\n陈述：{claim}\n\n该陈述是否完全由段落支持？只回答“是”或“否”。"


def verdict(reply: str) -> bool | None:
    """是 → True, 否 → False, anything else → None (not counted)."""
    head = reply.strip().lstrip("“\"'「").lower()
    if head.startswith(("是", "yes", "支持")):
        return True
    if head.startswith(("否", "不", "no")):
        return False
    return None


def judge_prediction(backend, prediction: dict) -> list[dict]:
    # the title says which region and year a passage is about ("四川…2026年目标" needs it)
    passages = {c["n"]: f"（{c['title']}）{c['text']}" for c in prediction.get("citations", [])}
    rows = []
    for claim, ids in claims(prediction["answer"]):
        texts = [passages[n] for n in ids if n in passages]
        if not texts:
            continue
        messages = [("system", JUDGE_SYSTEM),
                    ("user", JUDGE_USER.format(passages="\n\n".join(texts), claim=claim))]
        reply = backend.complete(messages, 8)
        rows.append({"id": prediction["id"], "claim": claim, "cited": ids, "reply": reply.strip(),
                     "supported": verdict(reply)})
    return rows


def judge_run(run_dir: Path, backend, limit: int | None = None) -> dict:
    predictions = [json.loads(line) for line in (run_dir / "predictions.jsonl").open(encoding="utf-8")]
    generated = [p for p in predictions if p.get("mode") == "llm" and p.get("answerable")][:limit]
    rows = [row for p in generated for row in judge_prediction(backend, p)]
    judged = [r for r in rows if r["supported"] is not None]
    summary = {"label": "model-judged", "model": f"{backend.name}:{backend.model}",
               "answers": len(generated), "claims": len(rows), "judged": len(judged),
               "faithfulness": sum(r["supported"] for r in judged) / len(judged) if judged else None}
    with (run_dir / "judge.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    lines = ["# Faithfulness (model-judged)", "",
             f"Judge: {summary['model']} — its opinion, not a gold measurement.", "",
             *[f"- {k}: {v}" for k, v in summary.items()], ""]
    (run_dir / "judge.md").write_text("\n".join(lines), encoding="utf-8")
    return summary


def add_command(commands) -> None:
    judge = commands.add_parser("judge", help="opt-in: the configured model judges an LLM run's "
                                "claims against their cited passages (model-judged)")
    judge.add_argument("run", help="folder of an `eval run --mode llm`")
    judge.add_argument("--limit", type=int, help="judge only the first N generated answers")
    judge.set_defaults(func=cmd_judge)


def cmd_judge(args) -> int:
    settings = load_settings()
    if not settings.llm_configured:
        print("error: no model configured (GOVQA_LLM_BACKEND / GOVQA_LLM_GGUF or GOVQA_LLM_BASE_URL + "
              "GOVQA_LLM_MODEL)")
        return 2
    summary = judge_run(Path(args.run), make_backend(settings), args.limit)
    print(json.dumps(summary, ensure_ascii=False))
    return 0
