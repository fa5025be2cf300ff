"""Where the answers come from: an OpenAI-compatible server or a GGUF file in process.

GOVQA_LLM_BACKEND=openai (default): any OpenAI-compatible endpoint (Ollama, llama.cpp server,
vLLM, a cloud API) through LangChain's ChatOpenAI at GOVQA_LLM_BASE_URL / GOVQA_LLM_MODEL.
GOVQA_LLM_BACKEND=llamacpp: the GGUF file GOVQA_LLM_GGUF loaded by llama-cpp-python, the
optional extra `pip install -e '.[local-llm]'`; its chat template comes from the file.

Each backend also counts tokens the way its model does, so the prompt is sized in the model's
own tokens: the GGUF tokenizer in process, tiktoken for OpenAI's models, and for any other
server (whose tokenizer we cannot see) the character ratio of `estimate_tokens`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

from ..settings import Settings
from ..tokens import count_tokens

_CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# OpenAI model names and their tiktoken encodings (the two that assistant/tokens.py has offline)
_OPENAI_ENCODINGS = ((re.compile(r"^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o)"), "o200k_base"),
                     (re.compile(r"^(gpt-4|gpt-3\.5|text-embedding-3)"), "cl100k_base"))


class LocalModelError(RuntimeError):
    """The in-process model could not be loaded or could not answer."""


def estimate_tokens(text: str) -> int:
    """Tokens of `text` for a server whose tokenizer is unknown: one per CJK character and one
    per 3 other characters. It over-counts for the tokenizers measured (see docs/llm.md: the
    Qwen2.5 GGUF tokenizer gives 0.56 tokens per character of the 2024 national report), so a
    prompt sized with it fits."""
    cjk = len(_CJK_RE.findall(text))
    return cjk + -(-(len(text) - cjk) // 3)


def openai_encoding(model: str) -> str | None:
    name = model.rsplit("/", 1)[-1].lower()
    return next((enc for pattern, enc in _OPENAI_ENCODINGS if pattern.match(name)), None)


def as_dicts(messages: list[tuple[str, str]]) -> list[dict]:
    return [{"role": role, "content": text} for role, text in messages]


class OpenAIBackend:
    """Any OpenAI-compatible chat endpoint, streamed through LangChain's ChatOpenAI."""

    name = "openai"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.model = settings.llm_model
        self.encoding = openai_encoding(settings.llm_model)
        self.tokenizer = f"tiktoken {self.encoding}" if self.encoding else "estimate (characters)"
        self._clients: dict[tuple[int, bool], object] = {}

    def _chat(self, max_tokens: int, streaming: bool):
        key = (max_tokens, streaming)
        if key not in self._clients:
            from langchain_openai import ChatOpenAI

            s = self.settings
            self._clients[key] = ChatOpenAI(
                model=s.llm_model, base_url=s.llm_base_url, api_key=s.llm_api_key,
                timeout=s.llm_timeout, max_retries=0, temperature=0, streaming=streaming,
                # plain max_tokens: accepted by vLLM, Ollama, DeepSeek and DashScope alike
                extra_body={"max_tokens": max_tokens})
        return self._clients[key]

    def prepare(self, max_tokens: int) -> None:
        self._chat(max_tokens, streaming=True)

    def count_tokens(self, text: str) -> int:
        return count_tokens(text, self.encoding) if self.encoding else estimate_tokens(text)

    def stream(self, messages: list[tuple[str, str]], max_tokens: int) -> Iterator[str]:
        for chunk in self._chat(max_tokens, streaming=True).stream(messages):
            piece = chunk.content if isinstance(chunk.content, str) else "".join(
                part.get("text", "") for part in chunk.content if isinstance(part, dict))
            if piece:
                yield piece

    def complete(self, messages: list[tuple[str, str]], max_tokens: int) -> str:
        reply = self._chat(max_tokens, streaming=False).invoke(messages).content
        return reply if isinstance(reply, str) else ""


class LlamaCppBackend:
    """A GGUF file run in this process by llama-cpp-python (one answer at a time: a Llama
    object is not thread-safe, so concurrent answers wait for each other)."""

    name = "llamacpp"
    tokenizer = "gguf"

    def __init__(self, settings: Settings):
        try:
            import llama_cpp
        except ImportError as exc:
            raise LocalModelError("GOVQA_LLM_BACKEND=llamacpp needs llama-cpp-python: "
                                  "pip install -e '.[local-llm]'") from exc
        path = settings.llm_gguf
        if not path or not path.is_file():
            raise LocalModelError(f"GOVQA_LLM_GGUF: no model file at {path}")
        self.model = path.name
        self.version = llama_cpp.__version__
        self._lock = threading.Lock()
        self.llm = llama_cpp.Llama(model_path=str(path), n_ctx=settings.llm_context_tokens,
                                   n_threads=settings.llm_threads, seed=0, verbose=False)

    def prepare(self, max_tokens: int) -> None:
        """Nothing to do: the model was loaded by the constructor."""

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def stream(self, messages: list[tuple[str, str]], max_tokens: int) -> Iterator[str]:
        with self._lock:
            try:
                chunks = self.llm.create_chat_completion(
                    messages=as_dicts(messages), max_tokens=max_tokens, temperature=0, stream=True)
                for chunk in chunks:
                    piece = chunk["choices"][0]["delta"].get("content")
                    if piece:
                        yield piece
            except ValueError as exc:  # e.g. the prompt exceeds the context window
                raise LocalModelError(str(exc)) from exc

    def complete(self, messages: list[tuple[str, str]], max_tokens: int) -> str:
        return "".join(self.stream(messages, max_tokens))


def make_backend(settings: Settings):
    if settings.llm_backend == "llamacpp":
        return LlamaCppBackend(settings)
    return OpenAIBackend(settings)
