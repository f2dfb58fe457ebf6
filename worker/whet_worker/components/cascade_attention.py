"""Attention over a shared prefix stored once for the whole batch ("cascade" attention).

A few-shot evaluation prompt is ~2,000 tokens of examples shared by every row plus ~100 of the
row's own. Copying the prefix's KV cache into every row of a batch (DynamicCache's
batch_repeat_interleave) made the cache batch-size times larger than it needs to be, and each
decode step copied all of it again (the cache grows by torch.cat) and read all of it: for the
135M demo model and zh-ner's 1,619-token 8-shot prefix, a batch of 16 rows held 1.2 GB of copies
(twice the model's weights, copied and read at every step), and for a 7B model the copies alone
can run out of memory.

Here the prefix keeps one row ([1, kv_heads, P, head_dim]) and each row caches only its own
tokens. Attention runs in two parts that are merged exactly by their log-sum-exp: the queries of
every row against the one prefix (the batch folded into the query length, so the prefix is read
once, never expanded), and against the row's own keys under the usual causal-and-padding mask.
Nothing is approximated: the softmax over [prefix, row] equals the two partial softmaxes weighted
by their shares of the total mass.

Use: `with cascade(model, prefix_cache) as cache: model.generate(..., cache=cache)`. The
model's attention switches to this function for the duration (a registered implementation), and
back after. Only full-attention layers qualify (batched_generate checks that before it builds a
prefix); an attention with extras this code does not implement (soft-capping, attention sinks,
sliding windows) falls back to concatenating the prefix, which is right, only not faster.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import torch
from transformers import AttentionInterface, DynamicCache, PreTrainedModel
from transformers.cache_utils import DynamicLayer
from transformers.integrations.sdpa_attention import sdpa_attention_forward
from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

from .grouped_decode_attention import ATTENTION_EXTRAS, attention_configs

NAME = "whet_cascade"


class CascadeLayer(DynamicLayer):
    """One layer's cache: the shared prefix (batch 1, never copied) and each row's own tokens."""

    def __init__(self, prefix_keys: torch.Tensor, prefix_values: torch.Tensor) -> None:
        super().__init__()
        self.prefix_keys = prefix_keys
        self.prefix_values = prefix_values

    def get_seq_length(self) -> int:
        return self.prefix_keys.shape[-2] + super().get_seq_length()

    def get_mask_sizes(self, query_length: int) -> tuple[int, int]:
        return self.get_seq_length() + query_length, 0


_active: ContextVar[DynamicCache | None] = ContextVar("whet_cascade_cache", default=None)


def cascade_attention_forward(module: torch.nn.Module, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                              attention_mask: torch.Tensor | None, dropout: float = 0.0, scaling: float | None = None,
                              **kwargs) -> tuple[torch.Tensor, None]:
    """query [B, Hq, Lq, D]; key/value: the rows' own [B, Hkv, S, D]; the prefix comes from the active
    cache. The mask covers [prefix, rows] (boolean, True = attend) or is None (causal, no padding)."""
    cache = _active.get()
    layer = cache.layers[module.layer_idx] if cache is not None else None
    if not isinstance(layer, CascadeLayer):  # not inside `cascade`: plain attention
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling, **kwargs)
    prefix_k, prefix_v = layer.prefix_keys, layer.prefix_values
    if dropout or any(kwargs.get(k) is not None for k in ATTENTION_EXTRAS):
        batch = query.shape[0]
        full_k = torch.cat([prefix_k.expand(batch, -1, -1, -1), key], dim=-2)
        full_v = torch.cat([prefix_v.expand(batch, -1, -1, -1), value], dim=-2)
        return sdpa_attention_forward(module, query, full_k, full_v, attention_mask, dropout=dropout, scaling=scaling, **kwargs)

    b, hq, lq, d = query.shape
    hkv, s, p = key.shape[1], key.shape[2], prefix_k.shape[-2]
    g = hq // hkv
    scale = scaling if scaling is not None else d**-0.5
    q = query.float() * scale
    # Head h reads kv head h // g (repeat_kv's layout): group the query heads under their kv head.
    q_rows = q.reshape(b, hkv, g * lq, d)

    # Against the prefix: the batch folded into the query length, one [Hkv, P, D] operand.
    q_fold = q.reshape(b, hkv, g, lq, d).permute(1, 0, 2, 3, 4).reshape(hkv, b * g * lq, d)
    scores_p = q_fold @ prefix_k[0].float().transpose(-1, -2)  # [Hkv, B*g*Lq, P]
    lse_p = torch.logsumexp(scores_p, dim=-1, keepdim=True)
    out_p = torch.softmax(scores_p, dim=-1) @ prefix_v[0].float()  # [Hkv, B*g*Lq, D]
    out_p = out_p.view(hkv, b, g, lq, d).permute(1, 0, 2, 3, 4).reshape(b, hkv, g * lq, d)
    lse_p = lse_p.view(hkv, b, g, lq, 1).permute(1, 0, 2, 3, 4).reshape(b, hkv, g * lq, 1)

    # Against the row's own tokens, under the causal and padding mask's columns after the prefix.
    scores_r = q_rows @ key.float().transpose(-1, -2)  # [B, Hkv, g*Lq, S]
    if attention_mask is None:  # causal without padding: query i sits at row position s - lq + i
        allowed = torch.ones(lq, s, dtype=torch.bool, device=query.device).tril(s - lq)[None, None]
    else:
        allowed = attention_mask[..., p:] if attention_mask.dtype == torch.bool else attention_mask[..., p:] == 0
    allowed = allowed.view(allowed.shape[0], 1, 1, lq, s).expand(b, 1, g, lq, s).reshape(b, 1, g * lq, s)
    scores_r = scores_r.masked_fill(~allowed, torch.finfo(scores_r.dtype).min)
    lse_r = torch.logsumexp(scores_r, dim=-1, keepdim=True)
    out_r = torch.softmax(scores_r, dim=-1) @ value.float()

    # softmax over [prefix, rows] = each part's softmax weighted by its share of the total mass
    lse = torch.logaddexp(lse_p, lse_r)
    out = out_p * torch.exp(lse_p - lse) + out_r * torch.exp(lse_r - lse)
    out = out.view(b, hkv, g, lq, d).reshape(b, hq, lq, d).transpose(1, 2).contiguous()
    return out.to(query.dtype), None


AttentionInterface.register(NAME, cascade_attention_forward)
AttentionMaskInterface.register(NAME, sdpa_mask)


def cascade_cache(prefix: DynamicCache) -> DynamicCache:
    """A cache whose layers read `prefix` (batch 1) without copying it, each row adding its own tokens."""
    cache = DynamicCache()
    cache.layers = [CascadeLayer(layer.keys, layer.values) for layer in prefix.layers]
    return cache


@contextmanager
def cascade(model: PreTrainedModel, prefix: DynamicCache) -> Iterator[DynamicCache]:
    """Run the model's attention as cascade attention over `prefix` inside the block."""
    cache = cascade_cache(prefix)
    configs = attention_configs(model)
    before = [c._attn_implementation for c in configs]
    token = _active.set(cache)
    try:
        for c in configs:
            c._attn_implementation = NAME
        yield cache
    finally:
        for c, impl in zip(configs, before):
            c._attn_implementation = impl
        _active.reset(token)
