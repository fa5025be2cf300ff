"""The whole chain in LLM mode over real HTTP: real index, real retrieval, a scripted
OpenAI-compatible server on 127.0.0.1. Good answers keep their citations; failures fall back
to the extractive answer with a notice."""

from __future__ import annotations

import pytest
from openai_stub import OpenAIStub, Reply

from assistant.qa import QA
from assistant.settings import Settings

QUESTION = "2024年中央预算内投资拟安排多少？"


@pytest.fixture()
def llm_qa(full_index, corpus_dir):
    with OpenAIStub() as stub:
        settings = Settings(corpus=corpus_dir, index_dir=full_index, mode="llm",
                            llm_base_url=stub.base_url, llm_model="stub-model", llm_timeout=2.0)
        yield QA(settings, background_dense=False), stub


def test_llm_answer_cites_the_retrieved_passage(llm_qa):
    qa, stub = llm_qa
    stub.script(Reply.stream(["2024年中央预算内投资", "拟安排7000亿元[1]。"]))
    partials = list(qa.stream(QUESTION))
    final = partials[-1]
    assert final.mode == "llm" and final.answerable and "7000亿元" in final.answer
    assert len(partials) >= 2  # streamed
    cited = final.citations[0]
    assert cited.report == "reports/national_china_2024.txt"
    assert qa.source_text(cited.report)[cited.quote_start:cited.quote_end] == cited.quote
    sent = stub.requests[0]["messages"][-1]["content"]
    assert "7000亿元" in sent  # the retrieved passage went to the model


def test_invented_number_falls_back_to_the_extractive_answer(llm_qa):
    qa, stub = llm_qa
    # streamed, as the answerer asks: a plain JSON body would fall back as unreadable ("garbage")
    stub.script(Reply.stream(["2024年中央预算内投资拟安排8000亿元[1]。"]))
    final = qa.ask(QUESTION)
    assert final.mode == "llm-fallback" and final.llm["fallback"] == "numbers" and "8000" in final.notice
    assert "7000亿元" in final.answer and "8000" not in final.answer


def test_endpoint_error_falls_back_without_crashing(llm_qa):
    qa, stub = llm_qa
    stub.script(Reply.error(500))
    final = qa.ask(QUESTION)
    assert final.mode == "llm-fallback" and "7000亿元" in final.answer and final.citations


def test_unanswerable_question_never_reaches_the_llm(llm_qa):
    qa, stub = llm_qa
    final = qa.ask("2023年国务院政府工作报告提出的GDP增长目标是多少？")
    assert not final.answerable and stub.requests == []


def test_followup_condensed_by_the_llm_or_by_the_rules(llm_qa):
    qa, stub = llm_qa
    history = [(QUESTION, "7000亿元")]
    stub.script(Reply.json("2022年中央预算内投资安排了多少？"),  # the condense call
                Reply.stream(["2022年中央预算内投资安排6400亿元[1]。"]))
    condensed = qa.ask("那2022年呢？", history)
    assert condensed.rewritten_question == "2022年中央预算内投资安排了多少？"
    assert condensed.mode == "llm" and condensed.citations[0].report == "reports/national_china_2022.txt"
    stub.script(Reply.error(500), Reply.error(500))  # condense fails: the rules rewrite it
    fallback = qa.ask("那2022年呢？", history)
    assert fallback.rewritten_question == "2022年中央预算内投资拟安排多少？"
    assert "6400亿元" in fallback.answer


def test_model_refusal_gives_the_quoted_answer_through_qa(llm_qa):
    qa, stub = llm_qa
    stub.script(Reply.stream(["报告中没有找到相关内容。"]))
    final = qa.ask(QUESTION)
    assert final.mode == "llm-fallback" and final.llm["fallback"] == "model_refused"
    assert final.answerable and "7000亿元" in final.answer and final.citations
    assert qa.source_text(final.citations[0].report)[final.citations[0].quote_start:final.citations[0].quote_end] \
        == final.citations[0].quote
    assert "大模型未能" in final.notice
