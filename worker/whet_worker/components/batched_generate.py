"""Decode several prompts at once: left-padded, one `model.generate` call per batch.

Left padding keeps every prompt's last token at the end of the batch, so new tokens line up;
the attention mask hides the pads (and transformers derives position ids from it), which makes
greedy decoding token-identical to one prompt at a time in fp32.

A shared prefix (the few-shot examples every row starts with) can be run once: `encode_prefix`
keeps its KV cache, which every row of each batch reads in place (cascade_attention.py). The
row's own tokens are left-padded after the prefix ([prefix, pads, suffix]): the mask hides the
pads in the middle and position ids still come from its running sum, so every token sits at the
position it has in the plain left-padded batch and greedy output stays token-identical.

A prompt-learning adapter (ptuning, prefix) runs the same way: its virtual tokens are a KV
cache prefix (components/virtual_prefix.py) that the shared prefix starts with (`virtual`
cached positions that are no tokens), and the rows decode after it on the plain base model.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Sequence

import torch
from transformers import DynamicCache, GenerationConfig, PreTrainedModel
from transformers.cache_utils import DynamicLayer

from .cascade_attention import cascade
from .label_constraint import LabelTrie
from .virtual_prefix import VirtualPrefix


@dataclass
class Completion:
    token_ids: list[int]
    finish_reason: str  # "stop" (an end-of-turn token) or "length" (max_tokens reached)


@dataclass
class SharedPrefix:
    """Token ids every prompt of a run starts with, and their KV cache for a batch of one.

    `virtual`: cached positions before `ids` that hold no token (a prompt-learning adapter's
    virtual tokens); the cache covers virtual + len(ids) positions.
    """

    ids: list[int]
    cache: DynamicCache
    virtual: int = 0


def encode_prefix(model: PreTrainedModel, ids: list[int], after: VirtualPrefix | None = None) -> SharedPrefix | None:
    """Run `ids` through the model once and keep the cache (one forward pass, batch of one);
    with `after`, the ids follow that adapter's virtual tokens.

    None when the model's cache is not plain full attention in every layer (sliding windows,
    recurrent or linear-attention states): pads in the middle would reach those states, so such
    models decode in plain batches.
    """
    device = model.device
    if after is None:
        cache, extra = DynamicCache(config=model.config), {}
    else:
        n = after.length
        cache = after.cache(model.config)
        extra = {"attention_mask": torch.ones(1, n + len(ids), dtype=torch.long, device=device),
                 "position_ids": torch.arange(n, n + len(ids), device=device)[None]}
    with torch.inference_mode():
        model(input_ids=torch.tensor([ids], dtype=torch.long, device=device), cache=cache, use_cache=True, **extra)
    if not cache.layers or any(type(layer) is not DynamicLayer for layer in cache.layers):
        return None
    return SharedPrefix(list(ids), cache, after.length if after is not None else 0)


def virtual_prefix_only(model: PreTrainedModel, virtual: VirtualPrefix) -> SharedPrefix:
    """A shared prefix of the adapter's virtual tokens alone, for prompts that share no tokens."""
    return SharedPrefix([], virtual.cache(model.config), virtual.length)


def generate_batch(model: PreTrainedModel, prompts: list[list[int]], config: GenerationConfig, pad_id: int,
                   prefix: SharedPrefix | None = None, labels: Sequence[LabelTrie] | None = None) -> list[Completion]:
    """Completions of `prompts` (token ids), in order; each stops at the first EOS id of `config`.

    With `prefix`, every prompt must start with `prefix.ids` and have at least one token after it.
    With `labels` (one trie per prompt), each answer is one of its row's labels: transformers'
    prefix_allowed_tokens_fn masks the logits before temperature, top-k and top-p.
    """
    head = prefix.ids if prefix is not None else []
    virtual = prefix.virtual if prefix is not None else 0
    suffixes = [p[len(head):] for p in prompts]
    if prefix is not None and any(p[: len(head)] != head or not s for p, s in zip(prompts, suffixes)):
        raise ValueError("every prompt must start with the shared prefix and have a token after it")
    width = max(len(s) for s in suffixes)
    cached = virtual + len(head)
    device = model.device
    input_ids = torch.full((len(prompts), cached + width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(prompts), cached + width), dtype=torch.long)
    # Virtual positions hold no token and are never fed (the cache has them); each row's own first
    # token stands in, so what reads the ids (the repetition penalty) sees only the row's tokens.
    for i, p in enumerate(prompts):
        input_ids[i, :virtual] = p[0]
    input_ids[:, virtual:cached] = torch.tensor(head, dtype=torch.long)
    attention[:, :cached] = 1
    for i, s in enumerate(suffixes):
        input_ids[i, input_ids.shape[1] - len(s):] = torch.tensor(s, dtype=torch.long)
        attention[i, input_ids.shape[1] - len(s):] = 1
    extra = {}
    if labels is not None:
        start = input_ids.shape[1]

        def allowed(row: int, ids: torch.Tensor) -> list[int]:
            # None: the row has ended (EOS, then pads), and what follows is discarded.
            return labels[row].allowed(ids[start:].tolist()) or labels[row].end_ids

        extra["prefix_allowed_tokens_fn"] = allowed
    with torch.inference_mode(), (cascade(model, prefix.cache) if prefix is not None else nullcontext()) as cache:
        # With a prefix, its cache is read by every row in place (cascade attention): generate()
        # adds each row's own tokens beside it and never copies or extends the prefix.
        if cache is not None:
            extra["cache"] = cache
        out = model.generate(input_ids=input_ids.to(device), attention_mask=attention.to(device), generation_config=config, **extra)
    width = input_ids.shape[1]
    eos = config.eos_token_id
    stop_ids = set([eos] if isinstance(eos, int) else eos or [])
    completions = []
    for row in out[:, width:].tolist():
        cut = next((i for i, t in enumerate(row) if t in stop_ids), None)
        if cut is None:
            completions.append(Completion(row, "length"))
        else:
            completions.append(Completion(row[: cut + 1], "stop"))
    return completions
