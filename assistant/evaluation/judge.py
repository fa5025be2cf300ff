"""`govqa eval judge RUN`: an opt-in, model-judged faithfulness score of an LLM-mode run.

For every claim of every generated answer (text ending in [n] markers, see
assistant/llm/repair.py), the configured model (GOVQA_LLM_*, any backend) is asked whether the
passages the claim cites support it, answering 是 / 否. Faithfulness = supported claims / claims
judged. It is a model's opinion, not a measurement against gold: the files say
"model-judged", and docs/llm.md reports how often it agreed with a human on a sample.
Writes judge.jsonl (one line per claim) and judge.md into the run folder.

`govqa eval judge-agreement JUDGE.jsonl... --human HUMAN.jsonl`: how often the judge agreed
with a person's verdicts on the same claims (matched by question id and claim text): raw
agreement, Cohen's kappa and the confusion table, per claim and per answer (an answer is
supported when all its claims are).
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


def _read(paths) -> list[dict]:
    return [json.loads(line) for path in paths for line in Path(path).open(encoding="utf-8") if line.strip()]


def cohen_kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    """Cohen's kappa of (human, judge) verdict pairs; None when chance agreement is total."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(h == j for h, j in pairs) / n
    chance = sum((sum(h == v for h, _ in pairs) / n) * (sum(j == v for _, j in pairs) / n) for v in (True, False))
    return None if chance == 1 else (observed - chance) / (1 - chance)


def _figures(pairs: list[tuple[bool, bool]]) -> dict:
    table = {f"human_{'yes' if h else 'no'}_judge_{'yes' if j else 'no'}": sum(p == (h, j) for p in pairs)
             for h in (True, False) for j in (True, False)}
    return {"n": len(pairs), "agreement": sum(h == j for h, j in pairs) / len(pairs) if pairs else None,
            "kappa": cohen_kappa(pairs), "confusion": table}


def agreement(judged: list[dict], human: list[dict]) -> dict:
    """The judge's verdicts (judge.jsonl rows) against a person's (rows with id, claim,
    supported), per claim and per answer; claims the judge gave no verdict on are counted."""
    verdicts = {(r["id"], r["claim"]): r["supported"] for r in judged}
    claims_pairs, answers, unjudged, missing = [], {}, 0, 0
    for row in human:
        key = (row["id"], row["claim"])
        if key not in verdicts:
            missing += 1
        elif verdicts[key] is None:
            unjudged += 1
            answers.setdefault(row["id"], []).append(None)
        else:
            claims_pairs.append((row["supported"], verdicts[key]))
            answers.setdefault(row["id"], []).append((row["supported"], verdicts[key]))
    answer_pairs = [(all(h for h, _ in pairs), all(j for _, j in pairs))
                    for pairs in answers.values() if None not in pairs]
    return {"label": "model-judged vs human", "claims": _figures(claims_pairs),
            "answers": _figures(answer_pairs), "claims_without_verdict": unjudged,
            "claims_not_judged": missing}


def add_command(commands) -> None:
    judge = commands.add_parser("judge", help="opt-in: the configured model judges an LLM run's "
                                "claims against their cited passages (model-judged)")
    judge.add_argument("run", help="folder of an `eval run --mode llm`")
    judge.add_argument("--limit", type=int, help="judge only the first N generated answers")
    judge.set_defaults(func=cmd_judge)
    agree = commands.add_parser("judge-agreement", help="the judge's verdicts against a person's on the "
                                "same claims: agreement, Cohen's kappa, confusion table (JSON)")
    agree.add_argument("judged", nargs="+", help="judge.jsonl file(s) written by `eval judge`")
    agree.add_argument("--human", required=True, help="JSONL of the person's verdicts: id, claim, supported")
    agree.set_defaults(func=cmd_agreement)


def cmd_judge(args) -> int:
    settings = load_settings()
    if not settings.llm_configured:
        print("error: no model configured (GOVQA_LLM_BACKEND / GOVQA_LLM_GGUF or GOVQA_LLM_BASE_URL + "
              "GOVQA_LLM_MODEL)")
        return 2
    summary = judge_run(Path(args.run), make_backend(settings), args.limit)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_agreement(args) -> int:
    print(json.dumps(agreement(_read(args.judged), _read([args.human])), ensure_ascii=False, indent=1))
    return 0
