"""The baseline a user would write instead: plain TRL `SFTTrainer` on the raw text with packing
(TRL's own continued pre-training path: `dataset_text_field="text"`, `packing=True`, the loss on
every token), LoRA with the same settings as the Whetstone run, the same steps and batch.

    python trl_pretrain.py MODEL TRAIN.txt HELDOUT.jsonl SETTINGS.json OUT.json
"""

import json
import sys
import time
from pathlib import Path

import torch
from datasets import Dataset
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import SFTConfig, SFTTrainer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perplexity import heldout_perplexity  # noqa: E402


def main(model_path: str, train_txt: str, heldout: str, settings_path: str, out_path: str) -> None:
    s = json.loads(Path(settings_path).read_text())
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    docs = [d.strip() for d in Path(train_txt).read_text(encoding="utf-8").split("\n\n") if d.strip()]
    texts = [json.loads(line)["text"] for line in Path(heldout).read_text(encoding="utf-8").splitlines()]
    before = heldout_perplexity(model, tokenizer, texts, s["max_seq_len"])
    model = get_peft_model(model, LoraConfig(r=s["lora_r"], lora_alpha=s["lora_alpha"], lora_dropout=s["lora_dropout"], target_modules="all-linear", task_type="CAUSAL_LM"))
    args = SFTConfig(
        output_dir=str(Path(out_path).parent / "trl-out"),
        dataset_text_field="text",
        packing=True,
        max_length=s["max_seq_len"],
        per_device_train_batch_size=s["batch_size"],
        max_steps=s["steps"],
        learning_rate=s["learning_rate"],
        lr_scheduler_type="cosine",
        warmup_ratio=s["warmup_ratio"],
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        use_cpu=True,
        bf16=False,
        seed=s["seed"],
        include_num_input_tokens_seen="non_padding",
        disable_tqdm=True,
    )
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_dict({"text": docs}), processing_class=tokenizer)
    started, cpu = time.perf_counter(), time.process_time()
    trainer.train()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    tokens = int(trainer.state.num_input_tokens_seen)
    after = heldout_perplexity(trainer.model, tokenizer, texts, s["max_seq_len"])
    Path(out_path).write_text(json.dumps({
        "steps": trainer.state.global_step, "tokens": tokens, "train_seconds": seconds, "tokens_per_sec": tokens / seconds,
        "tokens_per_cpu_sec": tokens / cpu_seconds, "perplexity_before": before, "perplexity_after": after,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:6])
