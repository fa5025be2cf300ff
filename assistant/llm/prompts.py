"""Prompt files: prompts/<name>_<lang>.txt, a "### system" part and a "### user" part.

Each prompt's placeholders ({question}, {passages}, {history}, {refusal}) are checked when it is loaded:
a missing or unknown one raises PromptError naming the file. Literal braces are written {{ }}.
An answer prompt must also say the refusal sentence through its {refusal} placeholder (the
answerer recognises a refusal by that exact sentence, REFUSALS), and must mark the passages as
data: {passages} alone between the begin and end markers of its language (DATA_BLOCKS), which
the answerer strips from passage text so a report cannot close the block.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass
from pathlib import Path

from ..extractive import REFUSAL_EN, REFUSAL_ZH
from ..settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
REQUIRED_FIELDS = {
    "answer": {"question", "passages", "history", "refusal"},
    "condense": {"question", "history"},
}
# The refusal sentence, defined once (assistant/extractive.py): answer prompts say it through
# their {refusal} placeholder, and the answerer recognises a refusal by the same sentence.
REFUSALS = {"zh": REFUSAL_ZH, "en": REFUSAL_EN}
DATA_BLOCKS = {"zh": ("<<<段落开始>>>", "<<<段落结束>>>"), "en": ("<<<PASSAGES>>>", "<<<END OF PASSAGES>>>")}
DATA_MARKERS = tuple(marker for pair in DATA_BLOCKS.values() for marker in pair)


class PromptError(ValueError):
    """A prompt file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Prompt:
    name: str
    path: Path
    system: str
    user: str

    language: str = "zh"

    def messages(self, **values: str) -> list[tuple[str, str]]:
        """(role, text) pairs with the placeholders filled in ({refusal}: REFUSALS)."""
        values = {"refusal": REFUSALS[self.language], **values}
        return [("system", self.system.format(**values)), ("user", self.user.format(**values))]


def _split_parts(text: str, path: Path) -> tuple[str, str]:
    parts: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        header = line.strip().lower()
        if header in ("### system", "### user"):
            current = header[4:]
            if current in parts:
                raise PromptError(f"{path}: '### {current}' appears twice")
            parts[current] = []
        elif current is not None:
            parts[current].append(line)
        elif line.strip():
            raise PromptError(f"{path}: text before the first '### system' / '### user' header")
    missing = {"system", "user"} - parts.keys()
    if missing:
        raise PromptError(f"{path}: missing the '### {sorted(missing)[0]}' part")
    return "\n".join(parts["system"]).strip(), "\n".join(parts["user"]).strip()


def _fields(template: str, path: Path) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:  # a lone { or }
        raise PromptError(f"{path}: bad braces ({exc}); write literal braces as {{{{ }}}}") from None


def _check_data_block(user: str, path: Path, begin: str, end: str) -> None:
    """The passages are data: the user part must hold the lines `begin`, `{passages}`, `end`."""
    lines = [line.strip() for line in user.splitlines()]
    at = lines.index("{passages}") if "{passages}" in lines else -1
    if not (0 < at < len(lines) - 1 and lines[at - 1] == begin and lines[at + 1] == end):
        raise PromptError(f"{path}: the passages must be marked as data: write the lines "
                          f"{begin!r}, '{{passages}}', {end!r} in the '### user' part")


def load_prompt(kind: str, language: str, prompts_dir: Path | None = None) -> Prompt:
    """The `kind` prompt ("answer" | "condense") for `language` ("zh" | "en"), checked."""
    if kind not in REQUIRED_FIELDS:
        raise PromptError(f"unknown prompt kind {kind!r}")
    path = Path(prompts_dir or PROMPTS_DIR) / f"{kind}_{language}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"{path}: cannot read prompt file ({exc.strerror or exc})") from None
    system, user = _split_parts(text, path)
    found = _fields(system, path) | _fields(user, path)
    required = REQUIRED_FIELDS[kind]
    if found - required:
        raise PromptError(f"{path}: unknown placeholder(s) {sorted(found - required)}; "
                          f"allowed: {sorted(required)}")
    if required - found:
        raise PromptError(f"{path}: missing placeholder(s) {sorted(required - found)}")
    if kind == "answer":
        _check_data_block(user, path, *DATA_BLOCKS[language])
    return Prompt(f"{kind}_{language}", path, system, user, language)


@functools.lru_cache(maxsize=16)
def cached_prompt(kind: str, language: str, prompts_dir: Path | None = None) -> Prompt:
    return load_prompt(kind, language, prompts_dir)
