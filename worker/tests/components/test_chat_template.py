"""Assistant-only labels: the model's own markers, a derived ChatML copy, and the offsets fallback agree."""

import pytest
from transformers import AutoTokenizer

from whet_worker.components.chat_template import TrainingTemplate, choose_training_template
from whet_worker.components.tokenize_chats import IGNORE, tokenize_conversations

# SmolLM2-135M-Instruct's template: ChatML, a default system prompt, no generation markers.
SMOLLM2_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
# Qwen-style: the turn printed in pieces, which the derivation does not touch.
SPLIT_TEMPLATE = (
    "{%- for message in messages %}{{- '<|im_start|>' + message.role }}{{- '\n' + message.content }}"
    "{{- '<|im_end|>\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\n' }}{%- endif %}"
)
CHAT = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "What is two plus two?"},
    {"role": "assistant", "content": "Four."},
    {"role": "user", "content": "中国的首都是哪里？"},
    {"role": "assistant", "content": "北京。"},
]


@pytest.fixture
def tokenizer(tiny_model):
    return AutoTokenizer.from_pretrained(tiny_model)


def _chosen(tokenizer, template: str | None) -> TrainingTemplate:
    """The training template picked for the tokenizer with `template` set (None: its own)."""
    if template is not None:
        tokenizer.chat_template = template
    return choose_training_template(tokenizer)


def _targets(tokenizer, template: TrainingTemplate, chat=CHAT, max_seq_len=512) -> str:
    split = tokenize_conversations([chat], tokenizer, template, max_seq_len)
    return tokenizer.decode([t for t in split.dataset[0]["labels"] if t != IGNORE])


EVERY_ROUTE = pytest.mark.parametrize(
    "template, source", [(None, "own"), (SMOLLM2_TEMPLATE, "derived"), (SPLIT_TEMPLATE, "offsets")]
)


@EVERY_ROUTE
def test_every_route_labels_exactly_the_answers_with_eos(tokenizer, template, source):
    chosen = _chosen(tokenizer, template)
    assert chosen.source == source
    assert _targets(tokenizer, chosen) == "Four.<|im_end|>北京。<|im_end|>"
    if chosen.template is not None:  # the fallback agrees with the markers
        assert _targets(tokenizer, TrainingTemplate(None, "offsets")) == "Four.<|im_end|>北京。<|im_end|>"


@EVERY_ROUTE
def test_an_assistant_turn_of_weight_0_is_context_not_a_target(tokenizer, template, source):
    chosen = _chosen(tokenizer, template)
    chat = [dict(m) for m in CHAT]
    chat[2]["weight"] = 0
    assert _targets(tokenizer, chosen, chat) == "北京。<|im_end|>"
    chat[2]["weight"], chat[4]["weight"] = 1, 0
    assert _targets(tokenizer, chosen, chat) == "Four.<|im_end|>"


def test_truncation_keeps_the_answers_that_fit_and_counts_the_rest(tokenizer):
    template = choose_training_template(tokenizer)
    no_answer = [{"role": "user", "content": "hello"}]
    split = tokenize_conversations([CHAT, no_answer], tokenizer, template, max_seq_len=8)
    assert (split.total, split.truncated_away, split.no_answer, len(split.dataset)) == (2, 1, 1, 0)
    assert split.first_answer_at[0] > 8
