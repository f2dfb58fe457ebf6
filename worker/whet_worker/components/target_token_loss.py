"""The loss on target tokens only: the LM head projects just the positions whose next token is learned.

TRL's fused head skips unlabelled positions only where Triton runs (CUDA); on the CPU it scores
every position against the whole vocabulary, prompt and padding included. Here the backbone
runs once, the hidden states before each target token are gathered, and only those go through
the head: for a 49,152-token vocabulary that is most of the head's compute and nearly all of
its memory when answers are short. The loss is the same mean over target tokens. While training,
the head and the loss run fused in chunks (components/fused_head_loss.py).
"""

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .fused_head_loss import fusable_head, head_cross_entropy

IGNORE = -100

# Logit transforms the plain projection below would skip; models that use them keep TRL's loss.
_LOGIT_TRANSFORMS = ("final_logit_softcapping", "logit_scale", "output_multiplier", "lm_head_multiplier", "logits_scaling")


@dataclass
class TargetLoss:
    loss: torch.Tensor
    targets: int  # target tokens in this batch
    correct: int  # of those, how many the model ranks first


def causal_lm_of(model: nn.Module) -> nn.Module:
    """The transformers causal LM inside a PEFT wrapper (LoRA layers are injected into it)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def supports_target_token_loss(model: nn.Module) -> bool:
    """Plain `lm_head(hidden)` models (llama, qwen2, mistral, ...); not prompt-learning PEFT wrappers."""
    lm = causal_lm_of(model)
    config = lm.config.get_text_config()
    if any(getattr(config, name, None) not in (None, 1.0) for name in _LOGIT_TRANSFORMS):
        return False
    if getattr(getattr(model, "peft_config", {}).get("default", None), "is_prompt_learning", False):
        return False
    return getattr(lm, "base_model", None) is not None and lm.get_output_embeddings() is not None


def target_token_loss(model: nn.Module, inputs: dict, num_items_in_batch: int | torch.Tensor | None = None) -> TargetLoss:
    """Mean cross-entropy over the target tokens, divided by `num_items_in_batch` under gradient accumulation."""
    lm = causal_lm_of(model)
    labels = inputs["labels"]
    backbone_inputs = {k: v for k, v in inputs.items() if k in ("input_ids", "attention_mask", "position_ids")}
    hidden = lm.base_model(**backbone_inputs, use_cache=False).last_hidden_state
    # The hidden state at position t predicts the token at t + 1.
    next_labels = labels[:, 1:]
    mask = next_labels != IGNORE
    picked = hidden[:, :-1][mask]
    targets = next_labels[mask]
    head = lm.get_output_embeddings()
    denominator = num_items_in_batch if num_items_in_batch is not None else mask.sum().clamp(min=1)
    # CPU only: measured there; CUDA trains under autocast, which this function does not follow.
    if torch.is_grad_enabled() and picked.device.type == "cpu" and fusable_head(head):
        loss_sum, correct = head_cross_entropy(picked, head, targets)
        return TargetLoss(loss_sum / denominator, int(mask.sum()), correct)
    logits = head(picked).float()
    loss_sum = F.cross_entropy(logits, targets, reduction="sum")
    with torch.no_grad():
        correct = int((logits.argmax(dim=-1) == targets).sum())
    return TargetLoss(loss_sum / denominator, int(mask.sum()), correct)
