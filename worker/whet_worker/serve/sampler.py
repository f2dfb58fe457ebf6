"""Pick each row's next token from its logits with that request's own parameters and seed.

Rows are sampled one by one on the CPU with a per-request torch.Generator, so a request draws
the same tokens whether it runs alone or in a batch. Order as in transformers: repetition
penalty, temperature, top-k, top-p. Temperature 0 is greedy. A label
constraint masks every other token first, so the filters and the draw see only allowed ones;
`ignore_eos` masks the EOS ids the same way.
"""

from dataclasses import dataclass, field

import torch


@dataclass
class SamplingParams:
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    repetition_penalty: float = 1.0
    seed: int | None = None
    generator: torch.Generator = field(init=False)

    def __post_init__(self) -> None:
        self.generator = torch.Generator()
        if self.seed is None:
            self.generator.seed()
        else:
            self.generator.manual_seed(self.seed)


def sample_next(
    logits: torch.Tensor, params: SamplingParams, seen_ids: list[int], allowed: list[int] | None = None, banned: torch.Tensor | None = None
) -> int:
    """`logits`: one row [vocab] (any device, any float dtype); `seen_ids`: prompt and generated ids;
    `allowed`: the only ids that may be picked (a label constraint), None = any; `banned`: ids that
    may never be picked (a long tensor: the EOS ids of an `ignore_eos` request, built once by the
    engine rather than per token), None = none."""
    scores = logits.detach().to("cpu", torch.float32).clone()
    if banned is not None:
        scores[banned] = float("-inf")
    if allowed is not None:
        keep = torch.tensor(allowed, dtype=torch.long)
        masked = torch.full_like(scores, float("-inf"))
        masked[keep] = scores[keep]
        scores = masked
    if params.repetition_penalty != 1.0 and seen_ids:
        ids = torch.tensor(sorted(set(seen_ids)), dtype=torch.long)
        seen = scores[ids]
        scores[ids] = torch.where(seen < 0, seen * params.repetition_penalty, seen / params.repetition_penalty)
    if params.temperature == 0:
        return int(scores.argmax())
    scores = scores / params.temperature
    if 0 < params.top_k < scores.numel():
        kth = torch.topk(scores, params.top_k).values[-1]
        scores[scores < kth] = float("-inf")
    if params.top_p < 1.0:
        sorted_scores, order = scores.sort(descending=True)
        cumulative = sorted_scores.softmax(-1).cumsum(-1)
        drop = cumulative - sorted_scores.softmax(-1) >= params.top_p  # keep up to and including the token that crosses top_p
        scores[order[drop]] = float("-inf")
    return int(torch.multinomial(scores.softmax(-1), 1, generator=params.generator))
