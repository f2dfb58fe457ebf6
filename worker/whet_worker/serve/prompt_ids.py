"""The prompt as token ids: chat messages through the chat template (add_generation_prompt),
raw text as the tokenizer encodes it (with BOS where the tokenizer adds one)."""

from typing import Any

from jinja2 import TemplateError
from transformers import PreTrainedTokenizerBase

from ..errors import WorkerError


def prompt_ids(tokenizer: PreTrainedTokenizerBase, body: dict[str, Any]) -> list[int]:
    """Raise INVALID_REQUEST when the template refuses the messages (e.g. a role it does not know)."""
    if body.get("prompt") is not None:
        return tokenizer(body["prompt"], add_special_tokens=True)["input_ids"]
    try:
        text = tokenizer.apply_chat_template(body["messages"], add_generation_prompt=True, tokenize=False)
    except (TemplateError, ValueError) as exc:
        raise WorkerError("INVALID_REQUEST", f"The chat template refused these messages: {exc}") from exc
    # The template already wrote any BOS it wants; adding special tokens again would double it.
    return tokenizer(text, add_special_tokens=False)["input_ids"]
