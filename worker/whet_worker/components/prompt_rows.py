"""Read the prompts of a `generate` run and turn each into token ids, few-shot examples included."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transformers import PreTrainedTokenizerBase

from ..errors import WorkerError

ROLES = ("system", "user", "assistant")


@dataclass
class PromptRow:
    index: int
    id: Any
    messages: list[dict[str, str]] | None
    prompt: str | None


def read_prompt_rows(path: str) -> list[PromptRow]:
    """One row per non-blank JSONL line: {"messages": [...]} or {"prompt": "..."}, optional "id".

    Raises DATASET_INVALID naming the line (1-based) of the first bad line, DATASET_EMPTY when
    there is none.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise WorkerError("DATASET_INVALID", f"Cannot read the prompts file {path}: {exc.strerror}") from exc
    rows: list[PromptRow] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        rows.append(_parse_line(text, number, path, len(rows)))
    if not rows:
        raise WorkerError("DATASET_EMPTY", f"{path} holds no prompts")
    return rows


def _parse_line(text: str, number: int, path: str, index: int) -> PromptRow:
    def bad(what: str) -> WorkerError:
        return WorkerError("DATASET_INVALID", f"{path} line {number}: {what}", 'Write one {"messages": [...]} or {"prompt": "..."} object per line.')

    try:
        row = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(f"not valid JSON ({exc.msg})") from exc
    if not isinstance(row, dict):
        raise bad("not a JSON object")
    has_messages, has_prompt = "messages" in row, "prompt" in row
    if has_messages == has_prompt:
        raise bad('give exactly one of "messages" or "prompt"')
    if has_prompt:
        if not isinstance(row["prompt"], str):
            raise bad('"prompt" must be a string')
        return PromptRow(index, row.get("id"), None, row["prompt"])
    messages = row["messages"]
    if not isinstance(messages, list) or not messages:
        raise bad('"messages" must be a non-empty list')
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise bad(f'messages[{i}] must be {{"role": "system"|"user"|"assistant", "content": "..."}}')
    return PromptRow(index, row.get("id"), [{"role": m["role"], "content": m["content"]} for m in messages], None)


def with_few_shot(messages: list[dict[str, str]], few_shot: list[dict[str, str]]) -> list[dict[str, str]]:
    """The example turns go after the row's system message (if any), before its own turns."""
    if not few_shot:
        return messages
    head = messages[:1] if messages[0]["role"] == "system" else []
    return head + list(few_shot) + messages[len(head):]


def encode_prompt(row: PromptRow, tokenizer: PreTrainedTokenizerBase, few_shot: list[dict[str, str]], few_shot_text: str) -> list[int]:
    """Token ids of the row's prompt: the chat template with the generation prompt, or the raw text."""
    if row.messages is not None:
        text = tokenizer.apply_chat_template(with_few_shot(row.messages, few_shot), tokenize=False, add_generation_prompt=True)
        return tokenizer(text, add_special_tokens=False)["input_ids"]
    return tokenizer(few_shot_text + row.prompt)["input_ids"]


def shared_prefix_length(prompts: list[list[int]]) -> int:
    """How many leading token ids all `prompts` have in common, leaving each at least one of its own.

    Compared on token ids, not text, so a merge across the boundary (a BPE token spanning the
    end of the examples and the start of the row) just shortens the shared part.
    """
    if not prompts:
        return 0
    first = prompts[0]
    n = min(len(p) for p in prompts) - 1
    for p in prompts[1:]:
        n = next((i for i in range(n) if p[i] != first[i]), n)
    return max(n, 0)
