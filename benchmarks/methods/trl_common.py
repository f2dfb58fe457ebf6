"""What the plain TRL baselines share: the arguments a user writes for every row, the rate
measurement, and the result file.

Settings that are the same on both sides: fp32 and no activation checkpointing (TRL defaults both
bf16 and checkpointing on; the worker trains on the CPU in fp32 without checkpointing), cosine
after a linear warm-up of ceil(warmup_ratio x steps) steps (the worker's own schedule, with
lr_decay_ratio 0, is the same curve), a log every step.

Rates are taken as the worker's ReportEvents takes them: from one step's log to the next, the
trainer's count of non-padding input tokens (`include_num_input_tokens_seen="non_padding"`), so
the mean of those per-step rates, the first step left out, compares like with like.
"""

import json
import math
import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback


def trl_args(config_class, s: dict[str, Any], out_dir: Path, **method_args: Any):
    return config_class(
        output_dir=str(out_dir),
        per_device_train_batch_size=s["batch_size"],
        max_steps=s["steps"],
        learning_rate=s["learning_rate"],
        lr_scheduler_type="cosine",
        warmup_steps=math.ceil(s["warmup_ratio"] * s["steps"]),
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        use_cpu=True,
        bf16=False,
        activation_checkpointing=False,
        seed=s["seed"],
        data_seed=s["seed"],
        include_num_input_tokens_seen="non_padding",
        disable_tqdm=True,
        **method_args,
    )


class StepRates(TrainerCallback):
    """Real (non-padding) tokens per second of every step, from one log to the next."""

    def __init__(self) -> None:
        self.rates: list[float] = []
        self._clock, self._tokens = 0.0, 0

    def on_train_begin(self, args, state, control, **kwargs):
        self._clock, self._tokens = time.perf_counter(), state.num_input_tokens_seen

    def on_log(self, args, state, control, logs=None, **kwargs):
        if "loss" not in (logs or {}):
            return
        now = time.perf_counter()
        self.rates.append((state.num_input_tokens_seen - self._tokens) / (now - self._clock))
        self._clock, self._tokens = now, state.num_input_tokens_seen


def mean_rate(rates: list[float]) -> float:
    """The mean per-step rate, the first step (which warms caches) left out."""
    kept = rates[1:] or rates
    return sum(kept) / len(kept) if kept else 0.0


def write_result(out_path: str, trainer, rates: StepRates, **extra: Any) -> None:
    Path(out_path).write_text(json.dumps({
        "steps": trainer.state.global_step, "tokens": int(trainer.state.num_input_tokens_seen),
        "tokens_per_sec": mean_rate(rates.rates), "rates": rates.rates, **extra,
    }))


def adapter_config(s: dict[str, Any], model):
    """The PEFT config a user passes for the row's tuning (None for full and freeze): the worker's
    settings (components/tuning.py) written as PEFT's own configs."""
    from peft import LoraConfig, PrefixTuningConfig, PromptEncoderConfig

    tuning = s["tuning"]
    if tuning in ("lora", "dora"):
        return LoraConfig(r=s["lora_r"], lora_alpha=s["lora_alpha"], lora_dropout=s["lora_dropout"], target_modules="all-linear",
                          use_dora=tuning == "dora", task_type="CAUSAL_LM")
    if tuning == "ptuning":
        return PromptEncoderConfig(task_type="CAUSAL_LM", num_virtual_tokens=s["num_virtual_tokens"], encoder_hidden_size=model.config.hidden_size)
    if tuning == "prefix":
        return PrefixTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=s["num_virtual_tokens"])
    return None


def freeze_all_but_last(model, layers: int) -> None:
    """Freeze tuning written by hand: the last `layers` decoder layers and the final norm train (the
    demo model's head is tied to the embeddings, so it stays frozen, as in the worker's freeze.py)."""
    model.requires_grad_(False)
    for layer in model.model.layers[-layers:]:
        layer.requires_grad_(True)
    model.model.norm.requires_grad_(True)
