"""The baseline a user would write instead: plain TRL `SFTTrainer` on the raw text with packing
(TRL's own continued pre-training path: `dataset_text_field="text"`, `packing=True`, the loss on
every token), LoRA with the same settings as the Whetstone run, the same steps and batch.

    python trl_pretrain.py MODEL TEXT_DIR ROW_SETTINGS.json OUT.json

TEXT_DIR is make_text.py's output: train.txt (paragraphs separated by blank lines) and
heldout.jsonl, whose perplexity is measured before and after (perplexity.py).
"""

import json
import sys
from pathlib import Path

import torch
from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed
from trl import SFTConfig, SFTTrainer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perplexity import heldout_perplexity  # noqa: E402
from trl_common import StepRates, adapter_config, trl_args, write_result  # noqa: E402


def main(model_path: str, text_dir: str, settings_path: str, out_path: str) -> None:
    s = json.loads(Path(settings_path).read_text())
    set_seed(s["seed"])
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    docs = [d.strip() for d in Path(text_dir, "train.txt").read_text(encoding="utf-8").split("\n\n") if d.strip()]
    texts = [json.loads(line)["text"] for line in Path(text_dir, "heldout.jsonl").read_text(encoding="utf-8").splitlines()]
    before = heldout_perplexity(model, tokenizer, texts, s["max_seq_len"])
    args = trl_args(SFTConfig, s, Path(out_path).parent / "trl-out", dataset_text_field="text", packing=True, max_length=s["max_seq_len"])
    rates = StepRates()
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_dict({"text": docs}), processing_class=tokenizer,
                         peft_config=adapter_config(s, model), callbacks=[rates])
    trainer.train()
    after = heldout_perplexity(trainer.model, tokenizer, texts, s["max_seq_len"])
    write_result(out_path, trainer, rates, perplexity_before=before, perplexity_after=after)


if __name__ == "__main__":
    main(*sys.argv[1:5])
