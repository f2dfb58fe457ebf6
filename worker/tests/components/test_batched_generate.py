"""Batched decoding after a shared few-shot prefix's KV cache: token-identical to plain left-padded
batches, the shared cache left untouched, prompts that do not start with the prefix refused."""

import pytest
import torch

from whet_worker.components.batched_generate import encode_prefix, generate_batch
from whet_worker.components.cascade_attention import cascade
from whet_worker.components.model_loader import load_model
from whet_worker.components.prompt_rows import PromptRow, encode_prompt, shared_prefix_length
from whet_worker.export.merge_adapter import generation_config_for

SHOTS = [
    ("What is one plus one?", "Two."),
    ("What is the capital of Italy?", "Rome."),
    ("中国的首都是哪里？", "北京。"),
]
QUESTIONS = ["What is two plus two?", "Name a primary color, then say more about colors.", "x", "How many legs does a spider have?", "海是什么颜色？"]


@pytest.fixture(scope="module")
def model_and_config(tiny_model):
    torch.manual_seed(0)
    model, tokenizer = load_model(str(tiny_model), None, torch.float32)
    model.eval()
    config = generation_config_for(model, tokenizer)
    # A strong repetition penalty makes the random model's greedy output vary with its input, so equality means something.
    config.update(max_new_tokens=12, do_sample=False, repetition_penalty=3.0)
    return model, tokenizer, config


def few_shot_prompts(tokenizer, k: int, system: str | None = None) -> list[list[int]]:
    shots = [turn for q, a in SHOTS[:k] for turn in ({"role": "user", "content": q}, {"role": "assistant", "content": a})]
    head = [{"role": "system", "content": system}] if system else []
    rows = [PromptRow(i, None, [*head, {"role": "user", "content": q}], None) for i, q in enumerate(QUESTIONS)]
    return [encode_prompt(r, tokenizer, shots, "") for r in rows]


def tokens(completions):
    return [(c.token_ids, c.finish_reason) for c in completions]


@pytest.mark.parametrize("k", [2, 3])
def test_cached_prefix_gives_the_plain_batched_tokens(model_and_config, k):
    model, tokenizer, config = model_and_config
    prompts = few_shot_prompts(tokenizer, k, system="Answer briefly." if k == 3 else None)
    n = shared_prefix_length(prompts)
    assert n > 20 * k  # the examples (and system message) are shared; the questions are not
    prefix = encode_prefix(model, prompts[0][:n])
    plain = generate_batch(model, prompts, config, config.pad_token_id)
    cached = generate_batch(model, prompts, config, config.pad_token_id, prefix)
    assert tokens(cached) == tokens(plain)
    assert len({tuple(c.token_ids) for c in plain}) >= 3  # the rows get different answers
    # A second, smaller batch from the same prefix: the first batch did not grow the shared cache.
    assert prefix.cache.get_seq_length() == n
    again = generate_batch(model, prompts[3:], config, config.pad_token_id, prefix)
    assert tokens(again) == tokens(plain[3:])


def test_the_answers_depend_on_the_examples(model_and_config):
    """Guards the test above: a cache that ignored the prefix would still have to match these."""
    model, tokenizer, config = model_and_config
    two, three = few_shot_prompts(tokenizer, 2), few_shot_prompts(tokenizer, 3)
    a = generate_batch(model, two, config, config.pad_token_id, encode_prefix(model, two[0][: shared_prefix_length(two)]))
    b = generate_batch(model, three, config, config.pad_token_id, encode_prefix(model, three[0][: shared_prefix_length(three)]))
    assert any(x.token_ids != y.token_ids for x, y in zip(a, b))


def test_a_model_whose_cache_is_not_plain_attention_gets_no_prefix_cache(model_and_config):
    model, tokenizer, config = model_and_config
    ids = few_shot_prompts(tokenizer, 2)[0][:30]
    saved = dict(model.config.__dict__)
    model.config.sliding_window = 16  # a sliding-window model (Mistral-style): its cache layers slide
    model.config.layer_types = ["sliding_attention"] * model.config.num_hidden_layers
    try:
        assert encode_prefix(model, ids) is None
    finally:
        model.config.__dict__.clear()
        model.config.__dict__.update(saved)
    assert encode_prefix(model, ids) is not None


def test_a_prompt_without_the_prefix_is_refused(model_and_config):
    model, tokenizer, config = model_and_config
    prompts = few_shot_prompts(tokenizer, 2)
    prefix = encode_prefix(model, prompts[0][: shared_prefix_length(prompts)])
    with pytest.raises(ValueError, match="shared prefix"):
        generate_batch(model, [prompts[0], prompts[0][:5]], config, config.pad_token_id, prefix)


def test_shared_prefix_length_leaves_every_prompt_a_token():
    assert shared_prefix_length([[1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 9]]) == 2
    assert shared_prefix_length([[1, 2, 3], [1, 2, 3, 4]]) == 2  # not the whole of the shorter one
    assert shared_prefix_length([[7, 1], [8, 1]]) == 0
    assert shared_prefix_length([[1, 2, 3]]) == 2
    assert shared_prefix_length([]) == 0


def test_one_prompt_alone_after_the_prefix_matches_too(model_and_config):
    """No padding in the batch: the mask is left out (causal), the other branch of cascade attention."""
    model, tokenizer, config = model_and_config
    prompts = few_shot_prompts(tokenizer, 3)
    prefix = encode_prefix(model, prompts[0][: shared_prefix_length(prompts)])
    for prompt in prompts[:3]:
        assert tokens(generate_batch(model, [prompt], config, config.pad_token_id, prefix)) == tokens(generate_batch(model, [prompt], config, config.pad_token_id))


def test_every_row_reads_the_one_prefix_cache_without_a_copy(model_and_config):
    """The point of cascade attention: a batch of rows holds the prefix's keys once, each row only its own."""
    model, tokenizer, config = model_and_config
    prompts = few_shot_prompts(tokenizer, 3)
    n = shared_prefix_length(prompts)
    prefix = encode_prefix(model, prompts[0][:n])
    implementation = model.config._attn_implementation
    batch = torch.tensor([prompts[0][n:]] * 4)
    with torch.inference_mode(), cascade(model, prefix.cache) as cache:
        model.generate(input_ids=torch.cat([torch.tensor([prompts[0][:n]] * 4), batch], dim=1), cache=cache, generation_config=config, min_new_tokens=5)
        for shared, layer in zip(prefix.cache.layers, cache.layers):
            assert layer.prefix_keys.data_ptr() == shared.keys.data_ptr() and layer.prefix_keys.shape[0] == 1
            assert layer.keys.shape[0] == 4 and layer.keys.shape[-2] == cache.get_seq_length() - n < n
    assert model.config._attn_implementation == implementation  # restored after the block
    assert prefix.cache.get_seq_length() == n
