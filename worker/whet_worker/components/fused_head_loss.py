"""The LM head and the cross-entropy in one pass over chunks of rows, gradients included.

Unfused, the loss on N target rows materialises (N x vocabulary) logits in fp32, and autograd keeps
them for a log-softmax backward that fills a zero gradient, scatters into it, and casts it back:
on SmolLM2's 49,152-token vocabulary that was about a fifth of a LoRA step on a bf16 base (profile
in benchmarks/train-speed/README.md). Here each chunk of rows is projected, its softmax taken in
fp32, and the gradient with respect to the hidden states (and the head's weight, when it trains)
computed at once; only those are kept for the backward pass, which scales them. The same loss
and gradients as `F.cross_entropy(head(hidden).float(), targets, reduction="sum")` (tests compare).
For training on the CPU only: a forward without gradients (evaluation) has no use for them, and
on CUDA the trainer runs under autocast, which this function does not follow.
"""

import torch
from torch import nn

CHUNK_ROWS = 512  # logits of 512 rows x 49,152 tokens: 100 MB in fp32


class _HeadCrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx, hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor, chunk_rows: int):
        loss = torch.zeros((), dtype=torch.float32, device=hidden.device)
        correct = torch.zeros((), dtype=torch.int64, device=hidden.device)
        grad_hidden = torch.empty_like(hidden) if ctx.needs_input_grad[0] else None
        grad_weight = torch.zeros(weight.shape, dtype=torch.float32, device=weight.device) if ctx.needs_input_grad[1] else None
        for start in range(0, hidden.shape[0], chunk_rows):
            rows = hidden[start : start + chunk_rows]
            wanted = targets[start : start + chunk_rows]
            logits = (rows @ weight.t()).float()
            top = logits.max(dim=-1).values
            target_logit = logits.gather(1, wanted[:, None]).squeeze(1)
            correct += (target_logit >= top).sum()  # argmax == target (a tie counts as a hit)
            probs = logits.sub_(top[:, None]).exp_()  # the softmax in fp32, in place of the logits
            total = probs.sum(dim=-1)
            loss += (top + total.log() - target_logit).sum()
            probs.div_(total[:, None])
            probs[torch.arange(len(wanted), device=probs.device), wanted] -= 1.0  # d loss / d logits
            grad_logits = probs.to(hidden.dtype)
            del probs, logits
            if grad_hidden is not None:
                torch.mm(grad_logits, weight, out=grad_hidden[start : start + chunk_rows])
            if grad_weight is not None:
                grad_weight.addmm_(grad_logits.t().float(), rows.float())
        ctx.save_for_backward(grad_hidden, grad_weight)
        ctx.weight_dtype = weight.dtype
        ctx.mark_non_differentiable(correct)
        return loss, correct

    @staticmethod
    def backward(ctx, grad_loss: torch.Tensor, _grad_correct):
        grad_hidden, grad_weight = ctx.saved_tensors
        if grad_hidden is not None:
            grad_hidden = grad_hidden * grad_loss.to(grad_hidden.dtype)
        if grad_weight is not None:
            grad_weight = (grad_weight * grad_loss).to(ctx.weight_dtype)
        return grad_hidden, grad_weight, None, None


def fusable_head(head: nn.Module) -> bool:
    """A plain bias-free `nn.Linear` (not a LoRA-wrapped or otherwise patched head)."""
    return type(head) is nn.Linear and head.bias is None


def head_cross_entropy(hidden: torch.Tensor, head: nn.Linear, targets: torch.Tensor, chunk_rows: int = CHUNK_ROWS) -> tuple[torch.Tensor, int]:
    """The summed cross-entropy of `head(hidden)` against `targets`, and how many rows rank their target first."""
    loss, correct = _HeadCrossEntropy.apply(hidden, head.weight, targets, chunk_rows)
    return loss, int(correct)
