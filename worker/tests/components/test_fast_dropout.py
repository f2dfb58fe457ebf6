import torch
from peft import LoraConfig, get_peft_model
from torch import nn

from whet_worker.components.fast_dropout import FastDropout, use_fast_lora_dropout


def test_keeps_one_minus_p_of_the_elements_scaled_up():
    torch.manual_seed(0)
    out = FastDropout(0.05).train()(torch.ones(2000, 1000))
    kept = out != 0
    # 2,000,000 Bernoulli draws: the standard error of the kept share is 0.00015.
    assert abs(kept.float().mean().item() - 0.95) < 0.001
    assert torch.allclose(out[kept], torch.full_like(out[kept], 1 / 0.95))
    # Independent lanes: the kept share agrees across the 4 lanes of each random word and across rows.
    lanes = kept.view(-1, 4).float().mean(dim=0)
    assert (lanes - 0.95).abs().max().item() < 0.002


def test_identity_in_eval_mode_and_at_p_zero():
    x = torch.randn(8, 16)
    assert FastDropout(0.3).eval()(x) is x
    assert FastDropout(0.0).train()(x) is x


def test_the_seed_decides_the_mask_and_gradients_follow_it():
    x = torch.randn(64, 33, requires_grad=True)
    torch.manual_seed(7)
    first = FastDropout(0.5).train()(x)
    torch.manual_seed(7)
    second = FastDropout(0.5).train()(x)
    assert torch.equal(first, second)
    first.sum().backward()
    assert torch.equal(x.grad, (first != 0).float() * 2.0)


def test_refuses_a_probability_of_one():
    try:
        FastDropout(1.0)
    except ValueError as error:
        assert "[0, 1)" in str(error)
    else:
        raise AssertionError("p=1 must be refused")


class _Tiny(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.proj = nn.Linear(8, 8)
        self.out = nn.Linear(8, 8)

    def forward(self, x):
        return self.out(self.proj(x))


def test_swaps_every_lora_dropout_and_nothing_else():
    model = get_peft_model(_Tiny(), LoraConfig(r=2, lora_dropout=0.1, target_modules=["proj", "out"]))
    assert use_fast_lora_dropout(model) == 2
    swapped = [m for m in model.modules() if isinstance(m, FastDropout)]
    assert len(swapped) == 2 and all(m.p == 0.1 for m in swapped)
    assert not any(type(m) is nn.Dropout for m in model.modules())
    no_dropout = get_peft_model(_Tiny(), LoraConfig(r=2, lora_dropout=0.0, target_modules=["proj"]))
    assert use_fast_lora_dropout(no_dropout) == 0
