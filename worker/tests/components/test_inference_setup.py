import torch

from whet_worker.components.grouped_decode_attention import NAME
from whet_worker.components.inference_setup import ready_for_inference


def _load(tiny_model):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(tiny_model, attn_implementation="sdpa").train()


def test_a_cpu_float32_model_gets_eval_mode_column_major_weights_and_grouped_decode(tiny_model):
    model = ready_for_inference(_load(tiny_model), "cpu", torch.float32)
    assert not model.training
    assert model.config._attn_implementation == NAME
    weight = model.model.layers[0].self_attn.q_proj.weight
    assert weight.t().is_contiguous() and not weight.is_contiguous()


def test_a_cpu_bfloat16_model_keeps_its_weights_row_major(tiny_model):
    model = ready_for_inference(_load(tiny_model), "cpu", torch.bfloat16)
    weight = model.model.layers[0].self_attn.q_proj.weight
    assert weight.dtype == torch.bfloat16 and weight.is_contiguous()
    assert model.config._attn_implementation == NAME
