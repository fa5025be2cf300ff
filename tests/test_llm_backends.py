"""Backends, token budgets, the sample rule and the LLM figures of a run, without a model
(tests/test_local_llm.py runs a real one when GOVQA_TEST_GGUF is set)."""

from __future__ import annotations

import json

from test_llm import QUESTION, make_fallback
from test_llm import zh as zh  # noqa: F401  (fixture)

from assistant.evaluation.judge import agreement, cohen_kappa, judge_run, verdict
from assistant.evaluation.llm_stats import llm_summary
from assistant.evaluation.sample import sample_sets, stratified
from assistant.llm import LLMAnswerer
from assistant.llm.backends import estimate_tokens, openai_encoding
from assistant.llm.repair import claims
from assistant.settings import REPO_ROOT, load_settings

SETS = [str(REPO_ROOT / "eval" / f"{name}.jsonl") for name in ("dev", "periods", "regions", "dialogue")]


def test_llamacpp_backend_is_configured_by_the_gguf_path_alone():
    assert not load_settings(llm_backend="llamacpp").llm_configured
    assert load_settings(llm_backend="llamacpp", llm_gguf="/models/x.gguf").llm_configured
    assert not load_settings(llm_gguf="/models/x.gguf").llm_configured  # backend openai needs a URL


def test_missing_model_file_falls_back_with_the_reason(zh, tmp_path):  # noqa: F811
    _, reports, hits = zh
    settings = load_settings(mode="llm", llm_backend="llamacpp", llm_gguf=tmp_path / "absent.gguf")
    answerer = LLMAnswerer(settings)
    assert answerer.backend is None and answerer.backend_error
    final = answerer.answer(QUESTION, hits, reports, make_fallback(hits))
    assert final.mode == "llm-fallback" and final.llm["fallback"] == "unavailable"
    assert final.answer == make_fallback(hits).answer and "不可用" in final.notice


def test_token_estimate_over_counts_chinese_and_english():
    assert estimate_tokens("国内生产总值增长5%左右") == 10 + 1  # 10 CJK characters, "5%" = 1
    assert estimate_tokens("GDP growth of around 5 percent") == 10
    assert openai_encoding("gpt-4o-mini") == "o200k_base" and openai_encoding("gpt-4-turbo") == "cl100k_base"
    assert openai_encoding("openai/o3-mini") == "o200k_base"
    assert openai_encoding("qwen2.5:1.5b-instruct") is None


def test_claims_end_at_marker_runs():
    text = "城镇新增就业1200万人以上[1]。赤字率3%。[2][3] 未标注的结尾"
    assert claims(text) == [("城镇新增就业1200万人以上", [1]), ("赤字率3%", [2, 3])]


def test_judge_verdicts():
    assert verdict("是") is True and verdict("“否”。") is False and verdict("不支持") is False
    assert verdict("Yes.") is True and verdict("无法判断") is None


def test_sample_is_seeded_stratified_and_stable():
    rows = [json.loads(line) for line in open(SETS[0], encoding="utf-8")]
    first, again = stratified(rows, 15, "issue-15"), stratified(rows, 15, "issue-15")
    assert [r["id"] for r in first] == [r["id"] for r in again]
    assert {r["type"] for r in first} == {r["type"] for r in rows}  # dev: 10 types, all drawn
    assert [r["id"] for r in stratified(rows, 15, "other")] != [r["id"] for r in first]
    sample = sample_sets(SETS, 15, "issue-15")
    assert len(sample) == 60 and len({r["id"] for r in sample}) == 60
    committed = (REPO_ROOT / "eval" / "llm_sample.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in committed] == [r["id"] for r in sample]


def test_second_sample_is_disjoint_from_the_first_and_committed():
    first = [json.loads(line) for line in (REPO_ROOT / "eval" / "llm_sample.jsonl").open(encoding="utf-8")]
    second = sample_sets(SETS, 15, "issue-15-round2", exclude={r["id"] for r in first})
    assert len(second) == 60 and not {r["id"] for r in second} & {r["id"] for r in first}
    committed = (REPO_ROOT / "eval" / "llm_sample2.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in committed] == [r["id"] for r in second]


def test_llm_summary_counts_refusals_replaced_by_the_extractive_answer():
    predictions = [{"mode": "llm", "answerable": False, "latency_ms": 9000, "llm": {"completion_tokens": 6, "prompt_tokens": 400}},
                   {"mode": "llm-fallback", "answerable": True, "latency_ms": 8000,
                    "llm": {"completion_tokens": 6, "prompt_tokens": 400, "fallback": "model_refused"}}]
    s = llm_summary(predictions)
    assert s["refusals"] == 1 and s["model_refusals"] == 2 and s["fallback_reasons"] == {"model_refused": 1}


def test_llm_summary_counts_fallback_reasons_and_speed():
    def pred(mode, latency, **llm):
        return {"mode": mode, "answerable": True, "latency_ms": latency, "llm": llm}

    predictions = [
        pred("llm", 20000, backend="llamacpp", model="m.gguf", prompt_tokens=900, completion_tokens=41,
             first_token_ms=10000, tokens_per_s=4.0, repaired=[{"claim": "x"}]),
        pred("llm-fallback", 30000, prompt_tokens=1100, completion_tokens=21, first_token_ms=12000,
             tokens_per_s=2.0, repaired=[], fallback="numbers"),
        pred("llm-fallback", 1000, fallback="context"),
        {"mode": "extractive", "answerable": False, "latency_ms": 5, "llm": {}},
    ]
    s = llm_summary(predictions)
    assert s["asked"] == 3 and s["used"] == 1 and s["fallback_reasons"] == {"numbers": 1, "context": 1}
    assert s["fallback_rate"] == 2 / 3 and s["answers_with_repaired_citations"] == 1
    assert s["tokens_per_s"] == (40 + 20) / (10 + 10)  # tokens after the first over decode time
    assert s["prompt_tokens_per_s"] == 2000 / 22 and s["seconds_per_answer_median"] == 20
    assert llm_summary([predictions[-1]]) is None


class RecordingBackend:
    """A fake judge model (a unit test of the bookkeeping; the judge itself is a real model)."""

    name, model = "fake", "judge"

    def __init__(self, replies):
        self.replies, self.asked = list(replies), []

    def complete(self, messages, max_tokens):
        self.asked.append(messages)
        return self.replies.pop(0)


def test_judge_asks_one_question_per_claim_with_its_cited_passages(tmp_path):
    prediction = {"id": "q1", "mode": "llm", "answerable": True,
                  "answer": "城镇新增就业1200万人以上[1]。赤字率3%[2]。",
                  "citations": [{"n": 1, "title": "2024年国务院政府工作报告", "text": "城镇新增就业1200万人以上"},
                                {"n": 2, "title": "2024年国务院政府工作报告", "text": "赤字率拟按3%安排"}]}
    refused = {**prediction, "id": "q2", "answerable": False}
    (tmp_path / "predictions.jsonl").write_text(
        "\n".join(json.dumps(p, ensure_ascii=False) for p in (prediction, refused)) + "\n", encoding="utf-8")
    backend = RecordingBackend(["是", "否"])
    summary = judge_run(tmp_path, backend)
    assert summary["label"] == "model-judged" and summary["claims"] == 2 and summary["faithfulness"] == 0.5
    first_user = backend.asked[0][1][1]
    assert "城镇新增就业1200万人以上" in first_user and "赤字率拟按3%安排" not in first_user
    assert "2024年国务院政府工作报告" in first_user
    assert (tmp_path / "judge.md").read_text(encoding="utf-8").startswith("# Faithfulness (model-judged)")


def test_kappa_of_known_tables():
    # 20 pairs: 8 yes/yes, 2 yes/no, 4 no/yes, 6 no/no -> observed 0.7, chance 0.5*0.6+0.5*0.4 = 0.5
    pairs = [(True, True)] * 8 + [(True, False)] * 2 + [(False, True)] * 4 + [(False, False)] * 6
    assert abs(cohen_kappa(pairs) - 0.4) < 1e-9
    assert cohen_kappa([(True, True)] * 5) is None  # one class only: kappa undefined
    assert cohen_kappa([(True, False), (False, True)]) == -1.0


def test_agreement_per_claim_and_per_answer():
    judged = [{"id": "a", "claim": "x", "supported": True}, {"id": "a", "claim": "y", "supported": False},
              {"id": "b", "claim": "z", "supported": True}, {"id": "c", "claim": "w", "supported": None}]
    human = [{"id": "a", "claim": "x", "supported": True}, {"id": "a", "claim": "y", "supported": True},
             {"id": "b", "claim": "z", "supported": True}, {"id": "c", "claim": "w", "supported": False},
             {"id": "d", "claim": "v", "supported": True}]
    result = agreement(judged, human)
    assert result["claims"]["n"] == 3 and abs(result["claims"]["agreement"] - 2 / 3) < 1e-9
    assert result["claims"]["confusion"]["human_yes_judge_no"] == 1
    assert result["answers"]["n"] == 2  # a (judge: not all supported) and b; c has no verdict
    assert result["answers"]["confusion"] == {"human_yes_judge_yes": 1, "human_yes_judge_no": 1,
                                              "human_no_judge_yes": 0, "human_no_judge_no": 0}
    assert result["claims_without_verdict"] == 1 and result["claims_not_judged"] == 1
