"""A model refusal against the extractive answer (issue 15, round 2): when the model says the
passages do not answer but the extractive route quoted a sentence that does, the user gets the
quoted answer, marked `fallback: model_refused`, with a notice in the question's language. A
refusal stays a refusal when the extractive answer has no citation. Scripted OpenAI-compatible
server over real HTTP, real passages of the 2024 national report."""

from __future__ import annotations

import dataclasses

from openai_stub import Reply
from test_llm import QUESTION, answerer, make_fallback, stub, zh  # noqa: F401 (fixtures)

from assistant.app.render import answer_markdown
from assistant.llm import REFUSALS
from assistant.llm.checks import NOTICES
from assistant.llm.citations import build_citations
from assistant.types import Answer


def cited_fallback(zh) -> Answer:  # noqa: F811
    """The extractive answer quoting the investment sentence of passage 2, with its citation."""
    _, reports, hits = zh
    fallback = make_fallback(hits)
    quoted = "今年中央预算内投资拟安排7000亿元[1]。"
    return dataclasses.replace(fallback, answer=quoted,
                               citations=build_citations(quoted, [hits[1].passage], reports))


def ask(stub, zh, fallback: Answer, reply: Reply, question=QUESTION) -> Answer:  # noqa: F811
    _, reports, hits = zh
    stub.script(reply)
    return answerer(stub).answer(question, hits, reports, fallback)


def test_refusal_gives_the_cited_extractive_answer(stub, zh):  # noqa: F811
    fallback = cited_fallback(zh)
    final = ask(stub, zh, fallback, Reply.stream(["报告中没有", "找到相关内容。"]))
    assert final.mode == "llm-fallback" and final.answerable
    assert final.llm["fallback"] == "model_refused"
    assert final.llm["generated"] == "报告中没有找到相关内容。"  # what the model said is kept
    assert final.answer == fallback.answer and final.citations == fallback.citations
    assert final.citations[0].quote == "今年中央预算内投资拟安排7000亿元。"
    assert final.notice == NOTICES["model_refused"][0]
    assert final.llm["completion_tokens"] > 0  # the generation figures are still recorded


def test_refusal_in_english_says_so_in_english(stub, zh):  # noqa: F811
    final = ask(stub, zh, cited_fallback(zh), Reply.stream(["The reports do not say."]),
                question="How much central budget investment is planned for 2024?")
    assert final.llm["fallback"] == "model_refused" and final.notice == NOTICES["model_refused"][1]


def test_refusal_stays_when_the_extractive_answer_cites_nothing(stub, zh):  # noqa: F811
    _, _, hits = zh
    uncited = make_fallback(hits)  # answerable, but no quoted sentence to show instead
    final = ask(stub, zh, uncited, Reply.stream(["报告中没有找到相关内容。"]))
    assert final.mode == "llm" and not final.answerable and "fallback" not in final.llm
    assert final.answer == REFUSALS["zh"] and final.citations == []


def test_an_answer_is_not_replaced(stub, zh):  # noqa: F811
    final = ask(stub, zh, cited_fallback(zh), Reply.stream(["中央预算内投资拟安排7000亿元[2]。"]))
    assert final.mode == "llm" and "fallback" not in final.llm and final.citations


def test_chat_says_the_model_did_not_answer(stub, zh):  # noqa: F811
    final = ask(stub, zh, cited_fallback(zh), Reply.stream(["报告中没有找到相关内容。"]))
    zh_text, en_text = answer_markdown(final, "zh"), answer_markdown(final, "en")
    assert "大模型未作答" in zh_text and "7000亿元" in zh_text and "不可用" not in zh_text
    assert "did not answer" in en_text and "unavailable" not in en_text
