"""The baseline a user would write instead of a Whetstone sft job: TRL `SFTTrainer` on the same
chats ({"messages"} rows) with `assistant_only_loss=True`, the same tuning as PEFT's own config
passed as `peft_config` (LoRA, DoRA, P-tuning, prefix tuning), every weight (full), or the last
layers set trainable by hand (freeze), and the same steps, batch, max_length, rate and seed.
With `packing`: `packing=True, packing_strategy="bfd"` (padding-free rows of max_length).

assistant_only_loss needs `{% generation %}` markers in the chat template. The demo model's
template has none, and TRL 1.16 cannot patch it ("patching is not supported for this template.
Please manually modify the chat template for training."), so this does what that message asks:
TRAINING_TEMPLATE is SmolLM2's own template with the assistant turn's content and <|im_end|>
marked, checked to render the data exactly as the original does.

    python trl_sft.py MODEL CHATS.jsonl ROW_SETTINGS.json OUT.json
"""

import json
import sys
from pathlib import Path

import torch
from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed
from trl import SFTConfig, SFTTrainer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat_data import read_chats  # noqa: E402
from trl_common import StepRates, adapter_config, freeze_all_but_last, trl_args, write_result  # noqa: E402

TRAINING_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}{% endif %}"
    "{% if message['role'] == 'assistant' %}{{ '<|im_start|>assistant\\n' }}"
    "{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\\n' }}"
    "{% else %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endif %}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def training_template(tokenizer, chats: list[dict]) -> str:
    for chat in chats[:50]:
        if tokenizer.apply_chat_template(chat["messages"], tokenize=False) != tokenizer.apply_chat_template(
            chat["messages"], chat_template=TRAINING_TEMPLATE, tokenize=False
        ):
            raise SystemExit("TRAINING_TEMPLATE renders differently from the model's own template: write one for this model")
    return TRAINING_TEMPLATE


def main(model_path: str, chats: str, settings_path: str, out_path: str) -> None:
    s = json.loads(Path(settings_path).read_text())
    set_seed(s["seed"])
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    if s["tuning"] == "freeze":
        freeze_all_but_last(model, s["freeze_trainable_layers"])
    packing = {"packing": True, "packing_strategy": "bfd"} if s.get("packing") else {}
    args = trl_args(SFTConfig, s, Path(out_path).parent / "trl-out", assistant_only_loss=True, max_length=s["max_seq_len"], **packing)
    rows = read_chats(Path(chats))
    tokenizer.chat_template = training_template(tokenizer, rows)
    rates = StepRates()
    trainer = SFTTrainer(
        model=model, args=args, train_dataset=Dataset.from_list(rows), processing_class=tokenizer,
        peft_config=adapter_config(s, model), callbacks=[rates],
    )
    trainer.train()
    write_result(out_path, trainer, rates)


if __name__ == "__main__":
    main(*sys.argv[1:5])
