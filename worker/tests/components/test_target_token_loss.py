"""The target-token loss equals the model's own loss, gradients included, without projecting prompt positions."""

import pytest
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM

from whet_worker.components.target_token_loss import supports_target_token_loss, target_token_loss


def _batch(vocab: int):
    torch.manual_seed(0)
    input_ids = torch.randint(3, vocab, (3, 12))
    attention_mask = torch.ones_like(input_ids)
    attention_mask[1, 9:] = 0  # padded row
    labels = input_ids.clone()
    labels[:, :6] = -100  # the prompt
    labels[attention_mask == 0] = -100
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}


@pytest.mark.parametrize("lora", [False, True])
def test_same_loss_and_gradients_as_the_full_logits(tiny_model, lora):
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    if lora:
        model = get_peft_model(model, LoraConfig(r=4, target_modules="all-linear", init_lora_weights=False))
    assert supports_target_token_loss(model)
    batch = _batch(model.config.vocab_size)

    reference = model(**batch).loss
    reference.backward()
    expected = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    model.zero_grad()

    result = target_token_loss(model, batch)  # training: the fused head and loss
    result.loss.backward()

    assert result.loss.item() == pytest.approx(reference.item(), rel=1e-5)
    assert result.targets == int((batch["labels"][:, 1:] != -100).sum())
    for name, grad in expected.items():
        assert torch.allclose(dict(model.named_parameters())[name].grad, grad, atol=1e-6), name

    seen = []
    head = model.get_output_embeddings()
    hook = head.register_forward_hook(lambda module, args, out: seen.append(args[0].shape[0]))
    with torch.no_grad():
        evaluated = target_token_loss(model, batch)  # evaluation: the head module, unfused
    hook.remove()
    assert evaluated.loss.item() == pytest.approx(reference.item(), rel=1e-5)
    assert evaluated.correct == result.correct
    assert seen == [result.targets]  # only target rows projected


def test_num_items_in_batch_divides_the_sum(tiny_model):
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    batch = _batch(model.config.vocab_size)
    mean = target_token_loss(model, batch).loss
    targets = int((batch["labels"][:, 1:] != -100).sum())
    summed = target_token_loss(model, batch, num_items_in_batch=2 * targets).loss
    assert summed.item() == pytest.approx(mean.item() / 2, rel=1e-5)
