"""Cascade attention (a prefix shared by the batch, each row's own keys) equals plain attention over
the concatenated keys: random tensors, grouped-query heads, with and without a padding mask."""

import pytest
import torch
from transformers import DynamicCache
from transformers.integrations.sdpa_attention import sdpa_attention_forward

from whet_worker.components.cascade_attention import _active, cascade_attention_forward, cascade_cache


class Attention(torch.nn.Module):
    layer_idx = 0
    num_key_value_groups = 3
    is_causal = True


def prefix_cache(k, v) -> DynamicCache:
    cache = DynamicCache()
    cache.update(k, v, 0)
    return cache


@pytest.mark.parametrize("lq", [1, 5])
@pytest.mark.parametrize("padded", [False, True])
def test_equals_attention_over_the_concatenated_keys(lq, padded):
    torch.manual_seed(0)
    b, hkv, g, d, p, s = 3, 2, 3, 16, 11, 7  # s: the row's own tokens, the lq newest among them
    q = torch.randn(b, hkv * g, lq, d)
    pk, pv = torch.randn(1, hkv, p, d), torch.randn(1, hkv, p, d)
    rk, rv = torch.randn(b, hkv, s, d), torch.randn(b, hkv, s, d)
    # [prefix, row]: causal within the row; a padded batch also hides row 1's first 3 tokens
    allowed = torch.ones(b, 1, lq, p + s, dtype=torch.bool)
    allowed[..., p:] = torch.ones(lq, s, dtype=torch.bool).tril(s - lq)
    if padded:
        allowed[1, ..., p : p + 3] = False
    expected, _ = sdpa_attention_forward(Attention(), q, torch.cat([pk.expand(b, -1, -1, -1), rk], 2),
                                         torch.cat([pv.expand(b, -1, -1, -1), rv], 2), allowed, scaling=0.3)
    token = _active.set(cascade_cache(prefix_cache(pk, pv)))
    try:
        got, _ = cascade_attention_forward(Attention(), q.transpose(1, 2).contiguous().transpose(1, 2), rk, rv,
                                           allowed if padded else None, scaling=0.3)
    finally:
        _active.reset(token)
    assert got.shape == (b, lq, hkv * g, d)
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5)


def test_outside_a_cascade_block_it_is_plain_attention():
    torch.manual_seed(1)
    q, k, v = torch.randn(2, 6, 4, 8), torch.randn(2, 2, 4, 8), torch.randn(2, 2, 4, 8)
    expected, _ = sdpa_attention_forward(Attention(), q, k, v, None)
    got, _ = cascade_attention_forward(Attention(), q, k, v, None)
    torch.testing.assert_close(got, expected)
