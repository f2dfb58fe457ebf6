"""Log-likelihood of continuations after contexts, batched, as lm-evaluation-harness's HFLM
computes `loglikelihood` for a causal model (lm_eval/api/model.py `_encode_pair`,
lm_eval/models/huggingface.py `_loglikelihood_tokens`):

- whitespace that ends the context moves to the start of the continuation;
- the whole string (context + continuation) is encoded, the context alone is encoded, and the
  continuation's ids are the whole's ids after the context's length;
- the model reads (context_ids + continuation_ids)[-(max_length + 1):][:-1] and the continuation's
  log-probability is the sum of log_softmax at its positions.

What we add is speed: requests whose model input is the same (every one-token continuation of
one context, such as MMLU's " A".." D") share one row, rows run longest first in right-padded
batches (causal attention keeps padding out of real positions), and the vocabulary projection
runs only at the positions a continuation needs, not at every position of every row.

The token ids every row of a call starts with (a subject's description and few-shot examples:
most of a 5-shot MMLU prompt) run once: their KV cache is kept and each batch starts from a copy
of it repeated over the batch, so a row runs only its own tokens. Causal attention makes this the
same computation: every token sees the same keys at the same positions. The shared part is found
on token ids (the longest common prefix of the rows), never assumed from the text, so a BPE merge
across the text boundary or a left truncation at max_length cannot make it wrong.
"""

import copy

import torch
from transformers import DynamicCache, PreTrainedModel, PreTrainedTokenizerBase
from transformers.cache_utils import DynamicLayer

# The harness's fallback when neither config nor tokenizer names a context length.
DEFAULT_MAX_LENGTH = 2048
TOKENIZER_INFINITY = 1000000000000000019884624838656
# Fewer shared ids than this run with the rows: copying the cache would cost more than it saves.
MIN_SHARED = 8


def max_length_of(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> int:
    """The harness's resolve_max_length: text_config (or the config), then the tokenizer, then 2048."""
    config = getattr(model.config, "text_config", None) or model.config
    for attr in ("n_positions", "max_position_embeddings", "n_ctx"):
        value = getattr(config, attr, None)
        if value is not None:
            return int(value)
    limit = getattr(tokenizer, "model_max_length", None)
    if limit is not None and limit != TOKENIZER_INFINITY:
        return int(limit)
    return DEFAULT_MAX_LENGTH


class PairEncoder:
    """Context/continuation token ids the way the harness splits them (api/model.py
    `_encode_pair`, models/huggingface.py `tok_encode`), contexts cached: a question's context is
    encoded once, not once per choice."""

    def __init__(self, tokenizer: PreTrainedTokenizerBase) -> None:
        self.tokenizer = tokenizer
        prefix_id = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
        self.prefix_text = tokenizer.decode(prefix_id) if prefix_id is not None else None
        self._contexts: dict[str, list[int]] = {}

    def encode(self, text: str) -> list[int]:
        # The tokenizer's own special tokens (a BOS where it adds one), except for a string that
        # already starts with the BOS text.
        if self.prefix_text and text.startswith(self.prefix_text):
            return self.tokenizer.encode(text, add_special_tokens=False)
        return self.tokenizer.encode(text)

    def pair(self, context: str, continuation: str) -> tuple[list[int], list[int]]:
        if not context:
            raise ValueError("an empty context has no position to score from")
        n_spaces = len(context) - len(context.rstrip())
        if n_spaces > 0:
            continuation = context[-n_spaces:] + continuation
            context = context[:-n_spaces]
        context_ids = self._contexts.get(context)
        if context_ids is None:
            context_ids = self._contexts[context] = self.encode(context)
        whole = self.encode(context + continuation)
        return context_ids, whole[len(context_ids):]


def loglikelihoods(
    model: PreTrainedModel,
    requests: list[tuple[list[int], list[int]]],
    max_length: int,
    batch_size: int,
    pad_id: int,
) -> list[float]:
    """The summed log-probability of each (context_ids, continuation_ids) request, in order."""
    rows: dict[tuple[int, ...], list[tuple[int, list[int]]]] = {}  # model input -> (request, continuation)
    for r, (context_ids, continuation_ids) in enumerate(requests):
        if not continuation_ids:
            raise ValueError(f"request {r} has an empty continuation")
        inp = tuple((context_ids + continuation_ids)[-(max_length + 1):][:-1])
        if len(continuation_ids) > max_length:
            raise ValueError(f"request {r}: a continuation of {len(continuation_ids)} tokens is longer than the model's {max_length}")
        rows.setdefault(inp, []).append((r, continuation_ids))
    order = sorted(rows, key=len, reverse=True)  # similar lengths share a batch; a memory failure comes first
    scores = [0.0] * len(requests)
    device = next(model.parameters()).device
    decoder, head = model.get_decoder(), model.get_output_embeddings()
    plain_head = decoder is not None and head is not None and not getattr(model.config, "final_logit_softcapping", None)
    body = decoder if plain_head else model
    with torch.inference_mode():
        shared, prefix = _shared_prefix(body, model.config, rows, device)
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            width = len(batch[0]) - shared
            ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
            for b, inp in enumerate(batch):
                ids[b, :len(inp) - shared] = torch.tensor(inp[shared:], dtype=torch.long)
            ids = ids.to(device)
            extra = {}
            if prefix is not None:
                cache = copy.deepcopy(prefix)  # the forward appends to it: each batch its own copy
                cache.batch_repeat_interleave(len(batch))
                extra = {"cache": cache, "use_cache": True}
            # The positions each row needs (after the shared part): the last len(continuation) of its real tokens.
            wanted = [(b, p - shared) for b, inp in enumerate(batch) for p in _positions(len(inp), rows[inp])]
            index = ([b for b, _ in wanted], [p for _, p in wanted])
            if plain_head:
                picked = head(decoder(input_ids=ids, **extra).last_hidden_state[index])
            else:
                picked = model(input_ids=ids, **extra).logits[index]
            logprobs = torch.log_softmax(picked.float(), dim=-1)
            at = {bp: k for k, bp in enumerate(wanted)}
            for b, inp in enumerate(batch):
                for r, continuation_ids in rows[inp]:
                    first = len(inp) - len(continuation_ids) - shared
                    scores[r] = float(sum(logprobs[at[(b, first + j)], tok] for j, tok in enumerate(continuation_ids)))
    return scores


def shared_prefix_length(rows: dict[tuple[int, ...], list[tuple[int, list[int]]]]) -> int:
    """How many leading token ids every row has in common, short of the first position a row scores
    (its last context token), so every row keeps at least that position to run."""
    lowest, highest = min(rows), max(rows)  # the common prefix of all is that of the two extremes in order
    common = next((i for i, (a, b) in enumerate(zip(lowest, highest)) if a != b), min(len(lowest), len(highest)))
    first_scored = min(len(inp) - max(len(c) for _, c in requests) for inp, requests in rows.items())
    return max(0, min(common, first_scored))


def _shared_prefix(body, config, rows, device) -> tuple[int, DynamicCache | None]:
    """Run the shared leading ids once (batch of one) and keep their cache; (0, None) when the rows
    share too little to gain, or the model's cache is not plain full attention in every layer
    (a sliding window or a recurrent state would not be the same as running the whole row)."""
    shared = shared_prefix_length(rows)
    if shared < MIN_SHARED or len(rows) < 2:
        return 0, None
    cache = DynamicCache(config=config)
    body(input_ids=torch.tensor([next(iter(rows))[:shared]], dtype=torch.long, device=device), cache=cache, use_cache=True)
    if not cache.layers or any(type(layer) is not DynamicLayer for layer in cache.layers):
        return 0, None
    return shared, cache


def _positions(length: int, requests: list[tuple[int, list[int]]]) -> list[int]:
    longest = max(len(c) for _, c in requests)
    return list(range(length - longest, length))
