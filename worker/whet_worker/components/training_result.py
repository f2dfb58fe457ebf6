"""What a finished training run leaves: the output_dir/final folder and the result event's fields."""

import os
import shutil
from pathlib import Path
from typing import Any

from transformers import PreTrainedTokenizerBase, Trainer
from transformers.trainer_utils import TrainOutput

from .checkpoints import checkpoint_step
from .early_stopping import EarlyStopping
from .report_events import ReportEvents
from .tuning import Tuned


def save_final_model(trainer: Trainer, tokenizer: PreTrainedTokenizerBase, output_dir: Path, state_dict: dict[str, Any] | None = None) -> Path:
    """Write the trained model to output_dir/final: a PEFT model saves its adapter only.

    `state_dict`: the whole model's weights when the trainer's own are shards (FSDP; components/fsdp.py
    gathers them), from which a PEFT model picks its adapter as usual."""
    final = output_dir / "final"
    partial = output_dir / "final.partial"
    shutil.rmtree(partial, ignore_errors=True)
    trainer.model.save_pretrained(partial, **({"state_dict": state_dict} if state_dict is not None else {}))
    tokenizer.save_pretrained(partial)
    shutil.rmtree(final, ignore_errors=True)
    os.replace(partial, final)  # never a half-written final folder
    return final


def best_checkpoint(trainer: Trainer) -> str | None:
    """The checkpoint the trainer loaded back at the end (the lowest eval loss), if it keeps the best."""
    return trainer.state.best_model_checkpoint if trainer.args.load_best_model_at_end else None


def result_fields(
    trainer: Trainer,
    tuned: Tuned,
    report: ReportEvents,
    early_stopping: EarlyStopping | None,
    output: TrainOutput,
    final: Path,
) -> dict[str, Any]:
    """The `result` event's fields every training method reports."""
    state = trainer.state
    best = best_checkpoint(trainer)
    stopped_early = early_stopping.stopped_early if early_stopping else None
    if stopped_early and best:
        # The model kept is the trainer's best checkpoint (any lower eval loss), which can be
        # later than the best early stopping counted from (a 0.1% lower one).
        stopped_early = {**stopped_early, "best_step": checkpoint_step(best), "best_eval_loss": state.best_metric}
    return dict(
        output_path=str(final),
        kind=tuned.kind,
        steps=state.global_step,
        final_loss=report.last_loss,
        train_runtime_s=output.metrics["train_runtime"],
        trainable_params=tuned.trainable_params,
        total_params=tuned.total_params,
        best_step=checkpoint_step(best) if best else None,
        best_eval_loss=state.best_metric if best else None,
        train_tokens=int(state.num_input_tokens_seen),
        stopped_early=stopped_early,
    )
