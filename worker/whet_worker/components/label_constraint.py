"""Constrain an answer to a label set: decoding follows one label's token ids, then ends.

Each label is tokenized as the chat template writes it as the assistant's turn (the text after
the generation prompt), so the ids are the ones a fine-tuned model learned to produce; a raw
prompt takes the label's own tokens. A prefix trie over those id sequences says which tokens
may come next; once a whole label is written, an end id (EOS / end of turn) may too. Labels
that share a prefix ("pos", "positive") share nodes, so the model picks between them token by
token, greedy or sampled, and every answer is exactly one label.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from transformers import PreTrainedTokenizerBase

from ..errors import WorkerError

# A user turn used only to find where the assistant's text starts in the template's output.
_PROBE = [{"role": "user", "content": "?"}]


@dataclass
class _Node:
    children: dict[int, "_Node"] = field(default_factory=dict)
    complete: bool = False  # a whole label ends here


class LabelTrie:
    """Which token ids may follow an answer's tokens so far."""

    def __init__(self, sequences: list[list[int]], end_ids: set[int]) -> None:
        if not end_ids:
            raise WorkerError("INVALID_REQUEST", "this model has no EOS or end-of-turn token, so an answer constrained to labels could not end",
                              "Serve the request without `labels`, or give the model a tokenizer with an EOS token.")
        self.end_ids = sorted(end_ids)
        self.root = _Node()
        self.depth = 0  # tokens of the longest label
        for ids in sequences:
            node = self.root
            for token in ids:
                node = node.children.setdefault(token, _Node())
            node.complete = True
            self.depth = max(self.depth, len(ids))

    def allowed(self, generated: list[int]) -> list[int] | None:
        """The ids allowed next after `generated`; None once the answer has left the trie (it ended)."""
        node = self.root
        for token in generated:
            node = node.children.get(token)
            if node is None:
                return None
        return [*node.children, *(self.end_ids if node.complete else [])]


def label_token_ids(tokenizer: PreTrainedTokenizerBase, labels: list[str], chat: bool, end_ids: set[int]) -> list[list[int]]:
    """Each label's token ids as the model would write it: the assistant turn for chat, plain text otherwise."""
    return [(_as_assistant_turn(tokenizer, label, end_ids) if chat else None) or _plain(tokenizer, label) for label in labels]


def build_label_trie(tokenizer: PreTrainedTokenizerBase, labels: list[str], chat: bool, end_ids: set[int]) -> LabelTrie:
    return LabelTrie(label_token_ids(tokenizer, labels, chat, end_ids), end_ids)


def _plain(tokenizer: PreTrainedTokenizerBase, label: str) -> list[int]:
    ids = tokenizer(label, add_special_tokens=False)["input_ids"]
    if not ids:
        raise WorkerError("INVALID_REQUEST", f"the label {label!r} has no tokens", "Give labels with visible text.")
    return ids


def _as_assistant_turn(tokenizer: PreTrainedTokenizerBase, label: str, end_ids: set[int]) -> list[int] | None:
    """The ids the template puts between the generation prompt and the end of the turn; None when that cannot be found."""
    if not getattr(tokenizer, "chat_template", None):
        return None
    try:
        prompt = tokenizer.apply_chat_template(_PROBE, add_generation_prompt=True, tokenize=False)
        full = tokenizer.apply_chat_template([*_PROBE, {"role": "assistant", "content": label}], tokenize=False)
    except Exception:  # a template that insists on other turns: plain tokens are the best guess
        return None
    if not full.startswith(prompt):
        return None
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    full_ids = tokenizer(full, add_special_tokens=False)["input_ids"]
    if full_ids[: len(prompt_ids)] != prompt_ids:
        return None
    rest = full_ids[len(prompt_ids):]
    cut = next((i for i, t in enumerate(rest) if t in end_ids), None)
    if not cut:
        return None
    ids = rest[:cut]
    # Templates that reformat the content (trim, add a prefix) would make the answer differ from the label.
    return ids if tokenizer.decode(ids, skip_special_tokens=True) == label else None


class LabelTries:
    """Tries built once per label set and prompt kind: a deployment sends the same set with every request."""

    def __init__(self, tokenizer: PreTrainedTokenizerBase, end_ids: set[int], size: int = 32) -> None:
        self.tokenizer = tokenizer
        self.end_ids = end_ids
        self.size = size
        self.built: OrderedDict[tuple[bool, tuple[str, ...]], LabelTrie] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, labels: list[str], chat: bool) -> LabelTrie:
        key = (chat, tuple(labels))
        with self.lock:
            if key in self.built:
                self.built.move_to_end(key)
                return self.built[key]
        trie = build_label_trie(self.tokenizer, labels, chat, self.end_ids)
        with self.lock:
            self.built[key] = trie
            while len(self.built) > self.size:
                self.built.popitem(last=False)
        return trie
