"""sample_next's masks: `banned` ids (an ignore_eos request's EOS ids) are never drawn, greedy or sampled."""

import torch

from whet_worker.serve.sampler import SamplingParams, sample_next


def test_banned_ids_are_never_picked_even_when_most_likely():
    logits = torch.tensor([0.0, 1.0, 9.0, 8.5])  # id 2 stands for EOS and is the clear favourite
    assert sample_next(logits, SamplingParams(temperature=0), []) == 2
    assert sample_next(logits, SamplingParams(temperature=0), [], banned=torch.tensor([2])) == 3
    hot = SamplingParams(temperature=5.0, seed=0)
    draws = {sample_next(logits, hot, [], banned=torch.tensor([2])) for _ in range(200)}
    assert 2 not in draws and len(draws) >= 2  # sampling still chooses among the rest
