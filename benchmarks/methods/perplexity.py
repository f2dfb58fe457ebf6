"""Held-out perplexity measured the same way for every side: the documents joined with the
tokenizer's EOS after each, cut into blocks of `block` tokens, the mean next-token loss over
every predicted token, exponentiated."""

import math

import torch


@torch.no_grad()
def heldout_perplexity(model, tokenizer, texts: list[str], block: int, batch: int = 4) -> float:
    ids: list[int] = []
    for text in texts:
        ids += tokenizer(text, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    blocks = [ids[i : i + block] for i in range(0, len(ids) - block + 1, block)]
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(blocks), batch):
        x = torch.tensor(blocks[i : i + batch])
        logits = model(input_ids=x).logits[:, :-1].float()
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), x[:, 1:].reshape(-1), reduction="sum")
        total += loss.item()
        count += x[:, 1:].numel()
    return math.exp(total / count)
