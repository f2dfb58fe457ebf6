"""Batched, prefix-cached log-likelihoods against the plain computation on the tiny model: each
request's whole sequence run alone, log_softmax at the continuation's positions, summed."""

import pytest
import torch
from transformers import AutoModelForCausalLM

from whet_worker.components.choice_loglikelihood import loglikelihoods, shared_prefix_length


@pytest.fixture(scope="module")
def model(tiny_model):
    torch.manual_seed(0)
    m = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32).eval()
    with torch.no_grad():  # sharper than its own init, so the scores depend on the tokens
        for name, p in m.named_parameters():
            if p.dim() > 1 and "embed" not in name:
                p.copy_(torch.randn(p.shape) * 0.2)
    return m


def alone(model, context: list[int], continuation: list[int]) -> float:
    ids = torch.tensor([(context + continuation)[:-1]])
    with torch.no_grad():
        logprobs = torch.log_softmax(model(input_ids=ids).logits[0].float(), dim=-1)
    first = len(context) - 1
    return float(sum(logprobs[first + j, tok] for j, tok in enumerate(continuation)))


def test_cached_prefix_gives_the_plain_scores(model):
    shared = list(range(5, 45))  # a "description and shots" every question starts with
    questions = [shared + [60 + q, 70 + q * 3, 80] + [90] * q for q in range(6)]  # own tokens, lengths 3..8
    requests = [(ctx, [tok]) for ctx in questions for tok in (11, 12, 13, 14)] + [(questions[0], [20, 21, 22])]
    want = [alone(model, c, k) for c, k in requests]
    got = loglikelihoods(model, requests, max_length=2048, batch_size=4, pad_id=0)
    assert max(abs(a - b) for a, b in zip(got, want)) < 1e-4
    assert max(want) - min(want) > 0.05  # the scores differ: equality proves something


def test_the_shared_prefix_stops_before_the_first_scored_position():
    rows = {(1, 2, 3, 4, 5): [(0, [9])], (1, 2, 3, 4, 6, 7): [(1, [9])]}
    assert shared_prefix_length(rows) == 4
    # A row whose whole input is common: its last context token is scored, so it must stay out of the prefix.
    rows = {(1, 2, 3): [(0, [9, 9])], (1, 2, 3, 4, 5): [(1, [9])]}
    assert shared_prefix_length(rows) == 1
    assert shared_prefix_length({(1, 2): [(0, [9])], (3, 4): [(1, [9])]}) == 0


def test_rows_sharing_nothing_and_left_truncated_rows_still_score_right(model):
    # Cut to the last 20 tokens at max_length 20, as the harness does: the two share no prefix then.
    long_a, long_b = list(range(3, 40)), list(range(4, 41))
    want = [alone(model, long_a[-20:], [7]), alone(model, long_b[-20:], [8])]
    got = loglikelihoods(model, [(long_a, [7]), (long_b, [8])], max_length=20, batch_size=2, pad_id=0)
    assert max(abs(a - b) for a, b in zip(got, want)) < 1e-4
