import copy

import torch
from peft import LoraConfig, get_peft_model
from torch import nn

from whet_worker.components.fast_dropout import drop_mask
from whet_worker.components.fused_lora import FusedLoraLinear, use_fused_lora


class _Tiny(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.proj = nn.Linear(16, 24)
        self.out = nn.Linear(24, 8)

    def forward(self, x):
        return self.out(torch.relu(self.proj(x)))


def _pair(**config):
    """The same LoRA model twice: PEFT's forward and ours. B starts non-zero so the adapter counts."""
    torch.manual_seed(0)
    peft_model = get_peft_model(_Tiny(), LoraConfig(r=4, lora_alpha=8, target_modules=["proj", "out"], **config))
    for name, param in peft_model.named_parameters():
        if "lora_B" in name:
            nn.init.normal_(param)
    fused = copy.deepcopy(peft_model)
    assert use_fused_lora(fused) == 2
    return peft_model, fused


def _output_and_grads(model, x):
    model.zero_grad()
    out = model(x)
    out.square().sum().backward()
    return out, {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}


def test_same_outputs_and_gradients_as_peft_without_dropout():
    reference, fused = _pair(lora_dropout=0.0)
    x = torch.randn(3, 5, 16)
    expected, expected_grads = _output_and_grads(reference.train(), x)
    got, grads = _output_and_grads(fused.train(), x)
    assert torch.allclose(got, expected, atol=1e-5)
    assert expected_grads.keys() == grads.keys() and len(grads) == 4
    for name in grads:
        assert torch.allclose(grads[name], expected_grads[name], atol=1e-4), name


def test_dropout_masks_the_adapter_input_and_scales_by_one_over_keep():
    _, fused = _pair(lora_dropout=0.25)
    layer = fused.base_model.model.proj
    assert isinstance(layer, FusedLoraLinear)
    x = torch.randn(7, 16)
    torch.manual_seed(3)
    got = layer.train()(x)
    torch.manual_seed(3)
    dropped = x.masked_fill(drop_mask(x, 0.25), 0.0) / 0.75
    expected = layer.base_layer(x) + layer.lora_B["default"](layer.lora_A["default"](dropped)) * layer.scaling["default"]
    assert torch.allclose(got, expected, atol=1e-5)
    assert not torch.allclose(got, layer.eval()(x), atol=1e-3)  # training really dropped something


def test_eval_mode_is_peft_exactly():
    reference, fused = _pair(lora_dropout=0.25)
    x = torch.randn(4, 16)
    with torch.no_grad():
        assert torch.allclose(fused.eval()(x), reference.eval()(x), atol=1e-5)


def test_dora_and_disabled_adapters_fall_back_to_peft():
    reference, fused = _pair(lora_dropout=0.0, use_dora=True)
    x = torch.randn(4, 16)
    with torch.no_grad():
        assert torch.allclose(fused(x), reference(x), atol=1e-6)
        with fused.disable_adapter(), reference.disable_adapter():
            assert torch.allclose(fused(x), reference(x), atol=1e-6)


def test_a_bf16_base_with_fp32_adapters_computes_the_adapter_in_bf16_like_peft():
    """The CPU-with-AMX layout (device.training_dtype): base in bf16, adapters in fp32. The fused
    path takes it (PEFT's own forward would cast the activations to fp32); outputs and the fp32
    adapters' gradients match PEFT's to bf16 precision."""
    reference, fused = _pair(lora_dropout=0.0)
    for model in (reference, fused):
        for name, module in model.named_modules():
            if name.endswith("base_layer"):
                module.to(torch.bfloat16)
    x = torch.randn(3, 5, 16, dtype=torch.bfloat16)
    layer = fused.base_model.model.proj
    assert layer._fusable_adapter(x, (), {}) == "default"  # not PEFT's fallback
    expected, expected_grads = _output_and_grads(reference.train(), x)
    got, grads = _output_and_grads(fused.train(), x)
    assert got.dtype == expected.dtype == torch.bfloat16
    assert torch.allclose(got.float(), expected.float(), rtol=3e-2, atol=3e-2)
    assert expected_grads.keys() == grads.keys() and len(grads) == 4
    for name in grads:
        assert grads[name].dtype == torch.float32, name  # the adapters train in fp32
        error = (grads[name] - expected_grads[name]).norm() / expected_grads[name].norm()
        assert error < 3e-2, (name, error)
    # fp16 activations with fp32 adapters are no layout training makes here: PEFT's forward runs
    assert layer._fusable_adapter(x.half(), (), {}) is None
