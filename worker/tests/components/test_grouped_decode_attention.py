"""Grouped decode attention equals SDPA over the expanded (repeat_kv) cache, and a model is switched to it only from SDPA."""

import pytest
import torch
from torch import nn
from transformers.integrations.sdpa_attention import repeat_kv, sdpa_attention_forward

from whet_worker.components.grouped_decode_attention import NAME, grouped_decode_attention_forward, use_grouped_decode_attention


class Layer(nn.Module):
    is_causal = True
    num_key_value_groups = 3
    layer_idx = 0


@pytest.mark.parametrize("mask_kind", ["none", "bool", "additive"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_a_decode_step_equals_sdpa_over_the_expanded_cache(mask_kind, dtype):
    torch.manual_seed(0)
    b, hkv, g, s, d = 4, 3, 3, 17, 16
    query = torch.randn(b, hkv * g, 1, d, dtype=dtype)
    key, value = torch.randn(b, hkv, s, d, dtype=dtype), torch.randn(b, hkv, s, d, dtype=dtype)
    allowed = torch.ones(b, 1, 1, s, dtype=torch.bool)
    allowed[1, ..., :5] = False  # a left-padded row
    mask = {"none": None, "bool": allowed, "additive": torch.zeros(b, 1, 1, s).masked_fill(~allowed, float("-inf")).to(dtype)}[mask_kind]
    got, _ = grouped_decode_attention_forward(Layer(), query, key, value, mask, scaling=d**-0.5)
    want = torch.nn.functional.scaled_dot_product_attention(query.float(), repeat_kv(key, g).float(), repeat_kv(value, g).float(),
                                                            attn_mask=mask.float() if mask is not None and mask.dtype != torch.bool else mask)
    assert got.shape == (b, 1, hkv * g, d) and got.dtype == dtype
    tolerance = 1e-5 if dtype == torch.float32 else 2e-2
    assert torch.allclose(got.float(), want.transpose(1, 2).float(), atol=tolerance), (got.float() - want.transpose(1, 2)).abs().max()
    # the padded row really ignores its first keys: changing them changes nothing
    key2 = key.clone()
    key2[1, :, :5] += 100
    again, _ = grouped_decode_attention_forward(Layer(), query, key2, value, allowed, scaling=d**-0.5)
    assert torch.equal(again[1], grouped_decode_attention_forward(Layer(), query, key, value, allowed, scaling=d**-0.5)[0][1])


def test_a_prefill_is_plain_sdpa():
    torch.manual_seed(0)
    query, key, value = torch.randn(2, 9, 5, 16), torch.randn(2, 3, 5, 16), torch.randn(2, 3, 5, 16)
    got, _ = grouped_decode_attention_forward(Layer(), query, key, value, None, scaling=0.25)
    want, _ = sdpa_attention_forward(Layer(), query, key, value, None, scaling=0.25)
    assert torch.equal(got, want)


def test_only_an_sdpa_model_is_switched(tiny_model):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model, attn_implementation="sdpa")
    assert use_grouped_decode_attention(model) and model.config._attn_implementation == NAME
    eager = AutoModelForCausalLM.from_pretrained(tiny_model, attn_implementation="eager")
    assert not use_grouped_decode_attention(eager) and eager.config._attn_implementation == "eager"


def test_greedy_generation_is_unchanged_on_the_tiny_model(tiny_model):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model, attn_implementation="sdpa").eval()
    ids = torch.tensor([[5, 6, 7, 8, 9, 10], [0, 0, 11, 12, 13, 14]])
    mask = torch.tensor([[1] * 6, [0, 0, 1, 1, 1, 1]])
    want = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=12, do_sample=False, pad_token_id=0)
    use_grouped_decode_attention(model)
    got = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=12, do_sample=False, pad_token_id=0)
    assert torch.equal(got, want)
