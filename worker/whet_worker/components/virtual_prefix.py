"""Prompt-learning adapters (ptuning, prefix) at inference: their virtual tokens as a KV-cache prefix.

P-tuning puts `n` trained embeddings before every sequence; prefix tuning puts trained keys and
values for `n` positions before it in every attention layer. Either way the `n` virtual
positions come first and attention is causal, so their keys and values depend on the adapter
alone, never on the prompt: they are computed once when the adapter loads (p-tuning: one
forward pass of its embeddings; prefix tuning: its trained values as they are) and every prompt
then runs after a copy of that cache, its tokens at positions n, n+1, ... (where PEFT's training
forward put them). Nothing is merged into the weights (nothing can be: virtual tokens are not
weights), and the adapter weighs a few KB.

Why not PEFT's own `model.generate`: on transformers 5 it is wrong for prefix tuning (the
prefix it hands the model as `past_key_values` is dropped in favour of the `cache` argument,
and the base model's answer comes back), and it could not share the server's running batch
with other adapters. A cache prefix fits our batched paths as they are: batched_generate's
shared prefix, and the server's running batch, which a row joins with its prefix and then
decodes like any other row (the base model runs; the prefix is in its cache).

Models whose cache is not plain full attention in every layer (sliding windows, linear
attention) are refused with ADAPTER_INVALID: a virtual prefix would fall out of a window.
"""

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import torch
from peft import PeftModel
from transformers import DynamicCache, PreTrainedModel
from transformers.cache_utils import DynamicLayer

from ..errors import WorkerError

# PEFT types whose adapter is virtual tokens; get_prompt gives embeddings for the first two, a KV cache for prefix tuning.
EMBEDDING_TYPES = ("P_TUNING", "PROMPT_TUNING")
PREFIX_TYPES = ("PREFIX_TUNING",)
# Every prompt-learning type PEFT has; the ones not above are refused by name.
PROMPT_LEARNING_TYPES = (*EMBEDDING_TYPES, *PREFIX_TYPES, "MULTITASK_PROMPT_TUNING", "CPT", "CARTRIDGE")


def adapter_type(adapter_path: str) -> str | None:
    """The adapter folder's PEFT type ("LORA", "P_TUNING", ...), None when unreadable."""
    try:
        config = json.loads((Path(adapter_path) / "adapter_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    peft_type = config.get("peft_type") if isinstance(config, dict) else None
    return peft_type if isinstance(peft_type, str) else None


def is_prompt_learning(adapter_path: str | None) -> bool:
    """True for a ptuning or prefix adapter (or another PEFT prompt-learning type): virtual tokens, no weights to merge."""
    return adapter_path is not None and adapter_type(adapter_path) in PROMPT_LEARNING_TYPES


@dataclass
class VirtualPrefix:
    """The `length` virtual positions of one adapter as per-layer keys and values, batch of one."""

    length: int
    keys: list[torch.Tensor]  # per layer [1, kv_heads, length, head_dim]
    values: list[torch.Tensor]

    def fill(self, cache: DynamicCache, rows: int = 1) -> DynamicCache:
        """Write the prefix into an empty `cache` (copies, so the cache may grow in place), for `rows` rows."""
        for layer, k, v in zip(cache.layers, self.keys, self.values):
            layer.update(k.expand(rows, -1, -1, -1).clone(), v.expand(rows, -1, -1, -1).clone())
        return cache

    def cache(self, config, rows: int = 1) -> DynamicCache:
        return self.fill(DynamicCache(config=config), rows)


def load_virtual_prefix(model: torch.nn.Module, adapter_path: str, forward_kwargs: dict | None = None) -> VirtualPrefix:
    """Compute the virtual prefix of the adapter in `adapter_path` for `model` (a causal LM, or a
    PeftModel of LoRA adapters around one: `forward_kwargs` then selects the plain base).

    Raises ADAPTER_INVALID when the folder is not a ptuning/prefix adapter of this base, or the
    model's cache is not plain full attention.
    """
    peft_type = adapter_type(adapter_path)
    if peft_type not in (*EMBEDDING_TYPES, *PREFIX_TYPES):
        raise WorkerError("ADAPTER_INVALID", f"{adapter_path} is a {peft_type} adapter; of the prompt-learning kinds, ptuning and prefix adapters can run here")
    lm: PreTrainedModel = model.get_base_model() if isinstance(model, PeftModel) else model
    config = lm.config
    _check_full_attention(config, adapter_path)
    dtype = lm.get_input_embeddings().weight.dtype
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "a model with PEFT for a second time": the wrapper only reads the prompt
            wrapper = PeftModel.from_pretrained(lm, adapter_path, is_trainable=False)
        with torch.inference_mode():
            prompt = wrapper.get_prompt(batch_size=1)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise WorkerError("ADAPTER_INVALID", f"Cannot load the adapter {adapter_path} onto this model: {str(exc)[:400]}") from exc
    length = wrapper.peft_config["default"].num_virtual_tokens
    del wrapper  # the base is untouched: prompt learning wraps it without changing a layer
    if peft_type in PREFIX_TYPES:
        if len(prompt.layers) != config.get_text_config().num_hidden_layers:
            raise WorkerError("ADAPTER_INVALID", f"{adapter_path} holds a prefix for {len(prompt.layers)} layers; this model has {config.get_text_config().num_hidden_layers}")
        keys = [layer.keys.to(dtype) for layer in prompt.layers]
        values = [layer.values.to(dtype) for layer in prompt.layers]
        return VirtualPrefix(length, keys, values)
    # P-tuning: run the virtual embeddings through the plain base, at positions 0..length-1.
    cache = DynamicCache(config=config)
    device = lm.get_input_embeddings().weight.device
    with torch.inference_mode():
        model(
            inputs_embeds=prompt.to(device=device, dtype=dtype),
            attention_mask=torch.ones(1, length, dtype=torch.long, device=device),
            position_ids=torch.arange(length, device=device)[None],
            cache=cache,
            use_cache=True,
            logits_to_keep=1,
            **(forward_kwargs or {}),
        )
    return VirtualPrefix(length, [layer.keys for layer in cache.layers], [layer.values for layer in cache.layers])


def _check_full_attention(config, adapter_path: str) -> None:
    layers = DynamicCache(config=config).layers
    if not layers or any(type(layer) is not DynamicLayer for layer in layers):
        raise WorkerError(
            "ADAPTER_INVALID",
            f"{adapter_path} is a prompt-learning adapter (virtual tokens), which runs here only on models with full attention in every layer; this model's cache has {sorted({type(layer).__name__ for layer in layers})}",
            "Train a lora or dora adapter for this model instead.",
        )
