"""The trainer arguments every training recipe shares; a recipe adds its method's own."""

from pathlib import Path
from typing import Any

import torch
from transformers import TrainingArguments

from ..errors import WorkerError
from .distributed import this_rank


def per_process_batch(batch_size: int) -> int:
    """`batch_size` is the run's global batch: split evenly over the processes, so the same spec
    takes the same steps with the same samples on one process or several (the loss curve matches)."""
    world = this_rank().world_size
    if batch_size % world:
        raise WorkerError(
            "INVALID_HYPERPARAMETER",
            f"batch_size {batch_size} does not split evenly over {world} processes",
            f"Use a batch_size that is a multiple of {world}, e.g. {max(world, batch_size // world * world)}.",
        )
    return batch_size // world


def training_args(
    config_class: type[TrainingArguments],
    hp: dict[str, Any],
    output_dir: Path,
    *,
    device: str,
    has_eval: bool,
    budgeted: bool,
    trial: bool = False,
    fsdp: dict[str, Any] | None = None,
    **method_args: Any,
) -> TrainingArguments:
    """`config_class`: TrainingArguments or a subclass (TRL's SFTConfig); `method_args` go to it as they are.

    `budgeted`: a budget run (never a learning-rate trial), whose evaluations and checkpoints the
    BudgetPlanner places. `trial`: a learning-rate trial, which never saves. `fsdp`: the fields
    that shard the model (components/fsdp.py fsdp_options), which replace the checkpointing and
    batch-size fields below.
    """
    cuda = device == "cuda"
    per_process = per_process_batch(hp["batch_size"])
    # A budget spreads evaluations and checkpoints over its plan (BudgetPlanner) and keeps the best.
    eval_every = save_every = 10**9 if budgeted else None
    # Early stopping restores the best checkpoint too (every evaluation saves one).
    keep_best = has_eval and not trial and (budgeted or bool(hp.get("early_stopping_patience")))
    fields: dict[str, Any] = dict(
        output_dir=str(output_dir),
        num_train_epochs=hp["epochs"],
        max_steps=hp["max_steps"] or -1,
        per_device_train_batch_size=per_process,
        per_device_eval_batch_size=per_process,
        gradient_accumulation_steps=hp["gradient_accumulation_steps"],
        learning_rate=hp["learning_rate"],  # the schedule itself is make_scheduler's
        seed=hp["seed"],
        data_seed=hp["seed"],
        logging_steps=1,
        logging_nan_inf_filter=False,  # DivergenceGuard must see a NaN loss
        eval_strategy="steps" if has_eval else "no",
        eval_steps=eval_every or hp["eval_steps"],
        save_strategy="no" if trial else "steps",
        save_steps=save_every or hp["save_steps"],
        save_total_limit=hp["save_total_limit"],
        load_best_model_at_end=keep_best,
        metric_for_best_model="eval_loss" if keep_best else None,
        prediction_loss_only=True,
        use_cpu=not cuda,
        # bf16 and activation checkpointing: right on a GPU, slow or unsupported on CPU (TRL
        # defaults both on, so they are always set here).
        bf16=cuda and torch.cuda.is_bf16_supported(),
        activation_checkpointing=cuda,
        auto_find_batch_size=cuda,  # halve the batch on a CUDA out-of-memory error and retry
        dataloader_num_workers=0,
        report_to="none",
        disable_tqdm=True,
        log_level="warning",
    )
    return config_class(**{**fields, **(fsdp or {})}, **method_args)
