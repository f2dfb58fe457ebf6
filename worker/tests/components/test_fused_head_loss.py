"""The fused head + cross-entropy gives the loss, the hit count and the gradients of the unfused pair."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from whet_worker.components.fused_head_loss import fusable_head, head_cross_entropy


def _inputs(dtype: torch.dtype, rows: int = 37, width: int = 24, vocab: int = 301):
    torch.manual_seed(0)
    head = nn.Linear(width, vocab, bias=False).to(dtype)
    hidden = (torch.randn(rows, width) * 2).to(dtype)
    targets = torch.randint(0, vocab, (rows,))
    targets[:5] = (hidden[:5].float() @ head.weight.float().t()).argmax(-1)  # some rows ranked first
    return head, hidden, targets


def _unfused(head, hidden, targets):
    hidden = hidden.clone().requires_grad_()
    logits = head(hidden).float()
    loss = F.cross_entropy(logits, targets, reduction="sum")
    (loss / 7).backward()
    return loss.detach(), int((logits.argmax(-1) == targets).sum()), hidden.grad, head.weight.grad


def _fused(head, hidden, targets, chunk_rows):
    hidden = hidden.clone().requires_grad_()
    loss, correct = head_cross_entropy(hidden, head, targets, chunk_rows)
    (loss / 7).backward()
    return loss.detach(), correct, hidden.grad, head.weight.grad


@pytest.mark.parametrize("dtype, tolerance", [(torch.float32, 1e-5), (torch.bfloat16, 1e-2)])
@pytest.mark.parametrize("chunk_rows", [8, 512])  # several chunks (the last one short), and one
def test_same_loss_hits_and_gradients_as_the_unfused_head(dtype, tolerance, chunk_rows):
    head, hidden, targets = _inputs(dtype)
    want = _unfused(head, hidden, targets)
    head.weight.grad = None
    got = _fused(head, hidden, targets, chunk_rows)
    assert got[0].item() == pytest.approx(want[0].item(), rel=1e-5)
    assert got[1] == want[1] >= 5
    for have, expected in zip(got[2:], want[2:]):
        assert have.dtype == expected.dtype == dtype
        assert torch.allclose(have.float(), expected.float(), rtol=tolerance, atol=tolerance * expected.abs().max().item())


def test_a_frozen_head_gets_no_gradient():
    head, hidden, targets = _inputs(torch.float32)
    head.weight.requires_grad_(False)
    _, _, grad_hidden, grad_weight = _fused(head, hidden, targets, 8)
    assert grad_weight is None and grad_hidden is not None


def test_only_a_plain_head_is_fused():
    assert fusable_head(nn.Linear(4, 9, bias=False))
    assert not fusable_head(nn.Linear(4, 9))  # a bias
    assert not fusable_head(nn.Sequential(nn.Linear(4, 9, bias=False)))
