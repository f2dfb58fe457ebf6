"""Decode several prompts at once: left-padded, one `model.generate` call per batch.

Left padding keeps every prompt's last token at the end of the batch, so new tokens line up;
the attention mask hides the pads (and transformers derives position ids from it), which makes
greedy decoding token-identical to one prompt at a time in fp32.
"""

from dataclasses import dataclass

import torch
from transformers import GenerationConfig, PreTrainedModel


@dataclass
class Completion:
    token_ids: list[int]
    finish_reason: str  # "stop" (an end-of-turn token) or "length" (max_tokens reached)


def generate_batch(model: PreTrainedModel, prompts: list[list[int]], config: GenerationConfig, pad_id: int) -> list[Completion]:
    """Completions of `prompts` (token ids), in order; each stops at the first EOS id of `config`."""
    width = max(len(p) for p in prompts)
    device = model.device
    input_ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(prompts), width), dtype=torch.long)
    for i, p in enumerate(prompts):
        input_ids[i, width - len(p):] = torch.tensor(p, dtype=torch.long)
        attention[i, width - len(p):] = 1
    with torch.inference_mode():
        out = model.generate(input_ids=input_ids.to(device), attention_mask=attention.to(device), generation_config=config)
    eos = config.eos_token_id
    stop_ids = set([eos] if isinstance(eos, int) else eos or [])
    completions = []
    for row in out[:, width:].tolist():
        cut = next((i for i, t in enumerate(row) if t in stop_ids), None)
        if cut is None:
            completions.append(Completion(row, "length"))
        else:
            completions.append(Completion(row[: cut + 1], "stop"))
    return completions
