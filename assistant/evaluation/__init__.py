"""Evaluation of govqa: benchmark sets (JSONL), metrics, a runner that scores any system
answering through the same `ask` interface, reports, a naive LangChain baseline and a
performance benchmark.

    govqa eval run SET.jsonl --out DIR [--system govqa|baseline]
    govqa eval compare DIR_A DIR_B
    govqa bench
"""
