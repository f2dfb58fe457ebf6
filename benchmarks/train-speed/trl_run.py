"""What a user would run instead: plain TRL `SFTTrainer` with PEFT LoRA and length-grouped batches.

    python trl_run.py MODEL_DIR TRAIN.jsonl EVAL.jsonl OUT.json

The same model, rows, LoRA settings, learning rate, batch size, warmup + cosine and seed as the
other two sides; everything else is TRL's default (SFTConfig / TrainingArguments) except:

- `train_sampling_strategy="group_by_length"`: transformers 5's name for `group_by_length=True`.
- `bf16=False`: TRL defaults bf16 on, which on a machine without a bf16 GPU stops at
  SFTConfig() ("You need to assign use_cpu..."), so a CPU user sets either `use_cpu=True` (bf16
  autocast on the CPU) or `bf16=False`; fp32 is what the other sides train in, and bf16 autocast
  was ~1.5x slower on this CPU (README), so this is the faster of the two for TRL.
- `max_length`: settings.json's max_seq_len (TRL's default is 1024; no sample here is that long).
- assistant-only targets: SmolLM2's template has no `{% generation %}` markers and is not one TRL
  can patch, so `assistant_only_loss=True` raises; the rows go in as a conversational
  prompt/completion dataset instead (prompt = the user turn, completion = the assistant turn) and
  TRL's completion-only loss trains on what the template renders after the prompt's generation
  prompt: the answer, `<|im_end|>` and the template's trailing newline. The sequences are token
  for token those of the other sides (checked below: `same_input_ids`); the targets are theirs
  plus that newline after each answer's end-of-turn token (`target_tokens` against
  `reference_target_tokens`).

- `activation_checkpointing=False`: TRL turns it on by default, which recomputes every block's
  forward pass in the backward pass to save memory; the other sides run without it, and the
  goal is judged against the faster TRL (TRAIN_SPEED_TRL_ARGS='{"activation_checkpointing": true}'
  measures TRL's default; README).

TRL defaults kept (as a user would run it): no packing, padding to the longest sample of each batch, fused AdamW,
weight decay 0, gradient clipping at 1.0, TRL's chunked LM-head loss, logging every 10 steps, a
checkpoint at the end (after the timed steps), torch's own thread count. TRAIN_SPEED_TRL_ARGS (a
JSON object of SFTConfig fields) overrides any of these, e.g. '{"activation_checkpointing": true}'.

Timed: from `on_train_begin` to the last `on_step_end` (every training step with its batch
loading and logging; not model loading, tokenization, the final checkpoint or the evaluation).
Tokens: TRL's own count of the non-padding tokens it trained on (the attention mask's sum, as the
plain loop counts). Then the held-out rows are scored with `plain_loop.eval_loss`, like the others.
"""

import json
import os
import sys
import time
from pathlib import Path

import torch  # before whet_worker (imported through plain_loop) can touch the OpenMP environment
import transformers
import trl
from datasets import Dataset
from peft import LoraConfig
from transformers import TrainerCallback
from trl import SFTConfig, SFTTrainer

from plain_loop import SETTINGS, eval_loss, read  # noqa: E402  (puts worker/ on sys.path)
from whet_worker.components.chat_template import choose_training_template  # noqa: E402  (the reference labels)
from whet_worker.components.tokenize_chats import IGNORE, tokenize_conversations  # noqa: E402


class StepClock(TrainerCallback):
    """Wall and CPU time from the start of training to the end of the last optimizer step."""

    def on_train_begin(self, args, state, control, **kwargs):
        self.started, self.cpu_started = time.perf_counter(), time.process_time()
        self.ended, self.cpu_ended = self.started, self.cpu_started

    def on_step_end(self, args, state, control, **kwargs):
        self.ended, self.cpu_ended = time.perf_counter(), time.process_time()


def prompt_completion(conversations: list[list[dict]]) -> Dataset:
    """One row per conversation: the turns before the answer, and the answer. The benchmark's rows
    have one assistant turn (the last); an earlier one would be context here but a target on the
    other sides, so it is refused."""
    rows = []
    for messages in conversations:
        if messages[-1]["role"] != "assistant" or any(m["role"] == "assistant" for m in messages[:-1]):
            raise SystemExit("trl_run.py expects one assistant turn per row, the last")
        rows.append({"prompt": messages[:-1], "completion": messages[-1:]})
    return Dataset.from_list(rows)


def config(output_dir: Path) -> SFTConfig:
    s = SETTINGS
    fields = dict(
        output_dir=str(output_dir),
        num_train_epochs=1,
        per_device_train_batch_size=s["batch_size"],
        learning_rate=s["learning_rate"],
        lr_scheduler_type="cosine",
        warmup_steps=s["warmup_ratio"],  # transformers 5 dropped warmup_ratio: a float below 1 is a share of the steps
        seed=s["seed"],
        max_length=s["max_seq_len"],
        train_sampling_strategy="group_by_length",
        completion_only_loss=True,  # TRL's default (None) means the same for a prompt/completion dataset
        bf16=False,
        activation_checkpointing=False,  # TRL's default is on: slower, the baseline would be weaker
    )
    fields.update(json.loads(os.environ.get("TRAIN_SPEED_TRL_ARGS") or "{}"))
    return SFTConfig(**fields)


def build_trainer(model_dir: str, train_path: str, output_dir: Path, callbacks: list[TrainerCallback] | None = None) -> SFTTrainer:
    s = SETTINGS
    lora = LoraConfig(r=s["lora_r"], lora_alpha=s["lora_alpha"], lora_dropout=s["lora_dropout"], target_modules="all-linear", task_type="CAUSAL_LM")
    # The model as a path: TRL loads it (float32 unless model_init_kwargs say otherwise) and its tokenizer.
    return SFTTrainer(model_dir, args=config(output_dir), train_dataset=prompt_completion(read(train_path)), peft_config=lora, callbacks=callbacks)


def compare_with_reference(trainer: SFTTrainer, train_path: str) -> dict:
    """TRL's prepared rows against the Whetstone tokenization the other two sides train on."""
    tokenizer = trainer.processing_class
    reference = tokenize_conversations(read(train_path), tokenizer, choose_training_template(tokenizer), SETTINGS["max_seq_len"]).dataset
    ours = trainer.train_dataset
    same_ids = len(ours) == len(reference) and all(a == b for a, b in zip(ours["input_ids"], reference["input_ids"]))
    extra, missing = {}, 0
    for ids, labels, ref_labels in zip(ours["input_ids"], ours["labels"], reference["labels"]):
        for i, (label, ref) in enumerate(zip(labels, ref_labels)):
            if label != IGNORE and ref == IGNORE:
                text = tokenizer.decode([ids[i]])
                extra[text] = extra.get(text, 0) + 1
            elif label == IGNORE and ref != IGNORE:
                missing += 1
    return {
        "same_input_ids": same_ids,
        "reference_tokens": sum(len(ids) for ids in reference["input_ids"]),
        "target_tokens": sum(label != IGNORE for labels in ours["labels"] for label in labels),
        "reference_target_tokens": sum(label != IGNORE for labels in reference["labels"] for label in labels),
        "extra_targets": extra,  # decoded token -> count: targets TRL trains on that the other sides do not
        "missing_targets": missing,
    }


def main(model_dir: str, train_path: str, eval_path: str, out_path: str) -> None:
    clock = StepClock()
    trainer = build_trainer(model_dir, train_path, Path(out_path).parent / "trl", [clock])
    check = compare_with_reference(trainer, train_path)
    trainer.train()
    seconds, cpu_seconds = clock.ended - clock.started, clock.cpu_ended - clock.cpu_started
    state = trainer.state
    # TRL's running count of the attention mask's ones over the batches it trained on: its `num_tokens`
    # metric, which the last log (the end of training) carries too.
    logged = [entry["num_tokens"] for entry in state.log_history if "num_tokens" in entry]
    tokens = int(getattr(trainer, "_total_train_tokens", 0) or (logged[-1] if logged else 0))
    losses = [entry["loss"] for entry in state.log_history if "loss" in entry]
    tokenizer = trainer.processing_class
    evaluation = tokenize_conversations(read(eval_path), tokenizer, choose_training_template(tokenizer), SETTINGS["max_seq_len"]).dataset
    args = trainer.args
    result = {
        "steps": state.global_step,
        "samples": len(trainer.train_dataset),
        "tokens": tokens,
        "train_seconds": seconds,
        "tokens_per_sec": tokens / seconds,
        "cpu_seconds": cpu_seconds,
        "tokens_per_cpu_sec": tokens / cpu_seconds,
        "final_train_loss": sum(losses[-4:]) / len(losses[-4:]) if losses else None,  # logged every 10 steps
        "eval_loss": eval_loss(trainer.model, evaluation, tokenizer.pad_token_id, SETTINGS["batch_size"]),
        "threads": torch.get_num_threads(),
        **check,
        "config": {
            "trl": trl.__version__,
            "transformers": transformers.__version__,
            "bf16": args.bf16,
            "activation_checkpointing": args.activation_checkpointing,
            "packing": args.packing,
            "train_sampling_strategy": getattr(args.train_sampling_strategy, "value", args.train_sampling_strategy),
            "optim": getattr(args.optim, "value", args.optim),
            "overrides": json.loads(os.environ.get("TRAIN_SPEED_TRL_ARGS") or "{}"),
        },
    }
    Path(out_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:5])
