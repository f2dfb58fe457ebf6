"""A plain TRL LoRA run: what a user would write instead of a Whetstone job, the quality benchmark's baseline.

    .venv/bin/python benchmarks/auto-recipe/trl_baseline.py TRAIN_JSONL BASE_MODEL OUT_DIR --preset usual --minutes 10
    (or --tokens 120000: stop once that many non-padding tokens are trained on, as a Whetstone
    job's {"tokens"} budget counts them, so the comparison does not depend on the machine's load)

Trains `SFTTrainer` on the chat rows of TRAIN_JSONL with one of the presets below, stops when the
minutes (or tokens) are spent (a callback checked after every optimizer step: what a user with the
same time would do), merges the adapter into the base weights and saves the model with the base's tokenizer
to OUT_DIR, where `run.ts` registers it and scores it in the same evaluation as the auto recipe.
Prints one JSON line with the run's steps, epochs, seconds and last loss.

Presets:
- usual: the field's usual LoRA settings: rank 8 / alpha 16 on every linear layer (LLaMA-Factory's
  default rank), learning rate 2e-4 (TRL's and PEFT's LoRA examples), batch 4 x 4 accumulation
  (effective 16, as in the QLoRA and Alpaca-LoRA recipes), 3 epochs (TRL's default), cosine with 3%
  warm-up; everything else TRL's defaults (the loss on every token of the chat).
- tuned: the best hand-tuned run issue 16 reports on this machine: rank 16 / alpha 32, learning
  rate 5e-4, batch 4 without accumulation, length grouping; otherwise as usual.
"""

import argparse
import json
import time
from pathlib import Path

PRESETS = {
    "usual": {"r": 8, "alpha": 16, "lr": 2e-4, "batch": 4, "accum": 4, "sampling": "random"},
    "tuned": {"r": 16, "alpha": 32, "lr": 5e-4, "batch": 4, "accum": 1, "sampling": "group_by_length"},
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("base")
    ap.add_argument("out")
    ap.add_argument("--preset", choices=sorted(PRESETS), default="usual")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--tokens", type=int, default=None)
    args = ap.parse_args()
    preset = PRESETS[args.preset]

    import torch
    from datasets import load_dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import SFTConfig, SFTTrainer

    started = time.monotonic()

    class StopAtDeadline(TrainerCallback):
        """Ends training once the minutes are spent, as a user with the same time would."""

        def __init__(self, minutes: float) -> None:
            self.minutes = minutes
            self.deadline = 0.0

        def on_train_begin(self, args, state, control, **kwargs):
            self.deadline = time.monotonic() + 60 * self.minutes

        def on_step_end(self, args, state, control, **kwargs):
            if time.monotonic() >= self.deadline:
                control.should_training_stop = True

    class StopAtTokens(TrainerCallback):
        """Ends training once `tokens` non-padding tokens are trained on."""

        def __init__(self, tokens: int) -> None:
            self.tokens = tokens

        def on_step_end(self, args, state, control, **kwargs):
            if state.num_input_tokens_seen >= self.tokens:
                control.should_training_stop = True

    tokenizer = AutoTokenizer.from_pretrained(args.base)
    model = AutoModelForCausalLM.from_pretrained(args.base, dtype=torch.float32)
    data = load_dataset("json", data_files=args.train, split="train")
    out = Path(args.out)
    config = SFTConfig(
        output_dir=str(out / "trainer"),
        learning_rate=preset["lr"],
        per_device_train_batch_size=preset["batch"],
        gradient_accumulation_steps=preset["accum"],
        num_train_epochs=3,
        lr_scheduler_type="cosine",
        warmup_steps=0.03,
        train_sampling_strategy=preset["sampling"],
        logging_steps=10,
        save_strategy="no",
        report_to="none",
        use_cpu=not torch.cuda.is_available(),
        seed=0,
        include_num_input_tokens_seen="non_padding",
    )
    peft = LoraConfig(r=preset["r"], lora_alpha=preset["alpha"], lora_dropout=0.05, target_modules="all-linear", task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=model, args=config, train_dataset=data, processing_class=tokenizer, peft_config=peft, callbacks=[StopAtTokens(args.tokens) if args.tokens else StopAtDeadline(args.minutes)])
    result = trainer.train()
    merged = trainer.model.merge_and_unload()
    merged.save_pretrained(out / "merged")
    tokenizer.save_pretrained(out / "merged")
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    print(json.dumps({
        "preset": args.preset,
        **preset,
        "steps": trainer.state.global_step,
        "planned_steps": trainer.state.max_steps,
        "epochs": round(trainer.state.epoch or 0, 2),
        "train_seconds": round(result.metrics.get("train_runtime", 0), 1),
        "wall_seconds": round(time.monotonic() - started, 1),
        "last_loss": losses[-1] if losses else None,
        "train_tokens": int(trainer.state.num_input_tokens_seen),
    }))


if __name__ == "__main__":
    main()
