"""Choose the chat template to train with, so the loss covers assistant turns, EOS included.

Transformers marks assistant tokens only for templates with `{% generation %}` markers. In
order of preference: the model's own template when it has them; a training copy of a
ChatML-style template with each assistant turn's content plus <|im_end|> wrapped in them
(checked to render exactly like the original); otherwise none, and the caller locates
assistant turns from text offsets.
"""

import re
from dataclasses import dataclass

from jinja2 import TemplateError
from transformers import PreTrainedTokenizerBase

# The default for models without a template (and the tiny test model's own).
CHATML_TEMPLATE = (
    "{%- for message in messages %}"
    "{%- if message['role'] == 'assistant' %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- generation %}{{- message['content'] + '<|im_end|>' }}{%- endgeneration %}"
    "{{- '\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

_GENERATION = re.compile(r"\{%-?\s*generation\s*-?%\}")
# One output block that prints a whole turn: `{{ PRE + message['content'] + '<|im_end|>' [+ POST] }}`.
_TURN_BLOCK = re.compile(
    r"\{\{(?P<trim>-?)\s*(?P<pre>[^{}]+?)\s*\+\s*(?P<content>message(?:\[(?P<q>['\"])content(?P=q)\]|\.content))"
    r"\s*\+\s*(?P<end>(?P<q2>['\"])<\|im_end\|>(?P=q2))(?:\s*\+\s*(?P<post>[^{}]+?))?\s*-?\}\}"
)
_PROBE = [
    {"role": "user", "content": "Q1"},
    {"role": "assistant", "content": "A1"},
    {"role": "user", "content": "Q2"},
    {"role": "assistant", "content": "A2"},
]


@dataclass(frozen=True)
class TrainingTemplate:
    template: str | None  # None: locate assistant turns from offsets instead
    source: str  # "own" | "derived" | "offsets"


def choose_training_template(tokenizer: PreTrainedTokenizerBase) -> TrainingTemplate:
    template = tokenizer.chat_template
    if _GENERATION.search(template):
        return TrainingTemplate(template, "own")
    derived = _derive_chatml(template)
    if derived is not None and _renders_like(tokenizer, template, derived):
        return TrainingTemplate(derived, "derived")
    return TrainingTemplate(None, "offsets")


def _derive_chatml(template: str) -> str | None:
    """Wrap the assistant branch of the turn block in generation markers; None if there is no such block."""

    def wrap(match: re.Match) -> str:
        trim = match["trim"]
        post = f"{{{{- {match['post']} }}}}" if match["post"] else ""
        return (
            f"{{%{trim} if message['role'] == 'assistant' %}}"
            f"{{{{- {match['pre']} }}}}"
            f"{{%- generation %}}{{{{- {match['content']} + {match['end']} }}}}{{%- endgeneration %}}{post}"
            f"{{%- else %}}{match.group(0)}{{%- endif %}}"
        )

    derived, count = _TURN_BLOCK.subn(wrap, template)
    return derived if count else None


def _renders_like(tokenizer: PreTrainedTokenizerBase, original: str, derived: str) -> bool:
    """The copy must print the same text and mark exactly the answers plus EOS."""
    try:
        if tokenizer.apply_chat_template(_PROBE, chat_template=original, tokenize=False) != tokenizer.apply_chat_template(
            _PROBE, chat_template=derived, tokenize=False
        ):
            return False
        encoded = tokenizer.apply_chat_template(
            _PROBE, chat_template=derived, tokenize=True, return_dict=True, return_assistant_tokens_mask=True
        )
    except (TemplateError, ValueError):
        return False
    marked = [t for t, m in zip(encoded["input_ids"], encoded["assistant_masks"]) if m]
    return tokenizer.decode(marked) == f"A1{tokenizer.eos_token}A2{tokenizer.eos_token}"
