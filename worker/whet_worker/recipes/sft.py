"""Supervised fine-tuning of a causal LM on chat conversations (spec.method == "sft").

    python -m whet_worker train jobs/<id>/spec.json

Features
- tuning: `lora` (PEFT adapters), `full`, `freeze` (last N decoder layers + final norm)
- assistant-only loss from the chat template, EOS included so the model learns to stop
- samples truncated to max_seq_len; those left with no answer token dropped and reported
- warmup, then cosine/linear decay to learning_rate * lr_decay_ratio, or constant; a resume
  that adds steps re-plans the decay to cover them
- length-grouped batches, or (packing) samples packed whole into rows of max_seq_len, padding-free
  with per-sample position ids; tokens/s counts real (non-padding) tokens
- the loss and the LM head run on target tokens only (components/target_token_loss.py)
- budget ({"minutes"} or {"tokens"}): the first steps are measured, the steps that fit are
  planned and re-planned, the schedule ends exactly there, evaluations and checkpoints are
  spread over the plan, and the result is the checkpoint with the lowest eval loss
- early stopping (early_stopping_patience, with validation data): training ends once the eval
  loss has not improved for that many evaluations, and the best checkpoint is the result; why
  it stopped is logged and reported in the result event (`stopped_early`)
- warm-up in steps (warmup_steps, else warmup_ratio of the steps); a budget re-sizes it
- lr_search: a few steps at each candidate learning rate on a slice, the best by eval loss wins
- checkpoints every save_steps in output_dir/checkpoints; resume continues the same data order
- SIGTERM: checkpoint at the next step end, a `stopped` event, exit 0
- CPU: fp32 on the physical cores; CUDA: bf16 mixed precision where the GPU has it, and LoRA
  loads the base in its own half precision (components/device.py training_dtype)

Events: started, log*, trial* (lr_search), plan, then per step progress (+ eval, checkpoint,
plan re-estimates), then result or stopped.

Raises (as WorkerError)
- CUDA_UNAVAILABLE: device "cuda" without a CUDA GPU
- JOB_NOT_RESUMABLE: resume_from_checkpoint is not a checkpoint folder
- MODEL_PATH_INVALID / MODEL_UNSUPPORTED: the model folder cannot load as a causal LM
- DATASET_NOT_FOUND / DATASET_INVALID / DATASET_EMPTY: unreadable or empty conversation files
- DATASET_EMPTY_AFTER_TRUNCATION: no training sample keeps an answer token within max_seq_len
- INVALID_HYPERPARAMETER: freeze_trainable_layers above the model's layer count
- TRAINING_DIVERGED: the loss became NaN or infinite
- OUT_OF_MEMORY: torch ran out of memory (mapped in whet_worker.errors)
"""

import os
from pathlib import Path
from typing import Any

import torch
from datasets import disable_progress_bars as disable_dataset_progress_bars
from transformers import PrinterCallback, logging as hf_logging
from trl import SFTConfig, SFTTrainer

from ..components.budget import BudgetUsage
from ..components.checkpoints import checkpoint_step
from ..components.device import resolve_device, set_threads
from ..components.lr_search import choose_learning_rate
from ..components.model_loader import load_training_model
from ..components.report_events import ReportEvents
from ..components.schedule import OwnScheduleMixin
from ..components.sft_data import build_sft_data
from ..components.target_token_loss import supports_target_token_loss, target_token_loss
from ..components.training_args import training_args
from ..components.training_callbacks import training_callbacks
from ..components.training_result import result_fields, save_final_model
from ..components.tuning import apply_tuning
from ..events import emit
from ..graceful_stop import GracefulStop


class SFTRecipe:
    def __init__(self, spec: dict[str, Any], stop: GracefulStop) -> None:
        """Check what can be checked without the model, then announce the run."""
        self.spec = spec
        self.hp = dict(spec["hyperparameters"])
        self.budget = spec.get("budget")
        self.stop = stop
        self.output_dir = Path(spec["output_dir"])
        self.device = resolve_device(spec["device"])
        self.threads = set_threads(spec["threads"])
        self.resume_from = spec["resume_from_checkpoint"]
        resumed_from_step = checkpoint_step(self.resume_from) if self.resume_from else None
        if resumed_from_step is not None:
            stop.step, stop.checkpoint = resumed_from_step, self.resume_from
        emit("started", pid=os.getpid(), device=self.device, resumed_from_step=resumed_from_step, threads=self.threads)

    def setup(self) -> None:
        """Build model and data, search the learning rate if asked, then build the trainer."""
        model, self.tokenizer = self._fresh_model()
        data = build_sft_data(self.spec["data"], self.tokenizer, self.hp["max_seq_len"], self.hp["seed"])
        budget_used = BudgetUsage.read(self.resume_from)
        if self.hp.get("lr_search"):
            self.hp["learning_rate"], seconds = choose_learning_rate(
                self.hp["lr_search"], data.train, data.eval, self.hp["seed"], self._run_trial, self.output_dir
            )
            budget_used.seconds += seconds
        torch.manual_seed(self.hp["seed"])  # the same adapter init with or without trials before
        self.tuned = apply_tuning(model, self.spec["tuning"], self.hp)
        has_eval = data.eval is not None
        self.report = ReportEvents(
            train_samples=len(data.train),
            eval_samples=len(data.eval) if has_eval else 0,
            trainable_params=self.tuned.trainable_params,
            total_params=self.tuned.total_params,
            estimate=self.budget is None,
        )
        callbacks, self.early_stopping = training_callbacks(self.hp, self.budget, budget_used, has_eval, self.report, self.stop)
        self.trainer = _ScheduledSFTTrainer(
            self.hp,
            model=self.tuned.model,
            args=self._training_args(self.hp, self.output_dir / "checkpoints", has_eval=has_eval),
            train_dataset=data.train,
            eval_dataset=data.eval,
            processing_class=self.tokenizer,
            callbacks=callbacks,
        )
        self.trainer.remove_callback(PrinterCallback)  # it print()s every log dict

    def _fresh_model(self):
        return load_training_model(self.spec["model"], self.spec["tuning"], self.device)

    def _run_trial(self, learning_rate: float, steps: int, train, scored, work_dir: Path):
        """One lr_search trial: a fresh model, `steps` steps at `learning_rate`, the eval loss on `scored`."""
        model, _ = self._fresh_model()
        torch.manual_seed(self.hp["seed"])
        tuned = apply_tuning(model, self.spec["tuning"], self.hp)
        hp = {**self.hp, "learning_rate": learning_rate, "max_steps": steps}
        args = self._training_args(hp, work_dir, has_eval=False, trial=True)
        trainer = _ScheduledSFTTrainer(hp, model=tuned.model, args=args, train_dataset=train, processing_class=self.tokenizer)
        trainer.remove_callback(PrinterCallback)
        output = trainer.train()
        eval_loss = trainer.evaluate(eval_dataset=scored)["eval_loss"]
        return output.training_loss, eval_loss

    def _training_args(self, hp: dict[str, Any], output_dir: Path, has_eval: bool, trial: bool = False) -> SFTConfig:
        return training_args(
            SFTConfig,
            hp,
            output_dir,
            device=self.device,
            has_eval=has_eval,
            budgeted=self.budget is not None and not trial,
            trial=trial,
            max_length=hp["max_seq_len"],
            **(_PACKED if hp.get("packing") else _LENGTH_GROUPED),
        )

    def train(self) -> None:
        self.output = self.trainer.train(resume_from_checkpoint=self.resume_from)

    def save(self) -> None:
        """On SIGTERM the checkpoint is the output; otherwise write output_dir/final and report the result."""
        if self.stop.requested:
            emit("stopped", step=self.stop.step, checkpoint=self.stop.checkpoint)
            return
        final = save_final_model(self.trainer, self.tokenizer, self.output_dir)
        emit("result", **result_fields(self.trainer, self.tuned, self.report, self.early_stopping, self.output, final))


# Similar lengths in one batch waste less compute on padding (1.6x tokens/s on CPU).
_LENGTH_GROUPED = {"train_sampling_strategy": "group_by_length", "include_num_input_tokens_seen": "non_padding"}
# Best-fit packing keeps every sample whole in rows of max_length; padding-free batches flatten the
# rows into one sequence whose position ids restart at each sample, which transformers turns into a
# block-diagonal mask (no sample sees another). There is no padding left, so every token counts
# (the pad token is the end-of-turn token here, which "non_padding" would leave out). Evaluation
# stays unpacked so its loss compares across runs.
_PACKED = {"packing": True, "packing_strategy": "bfd", "eval_packing": False, "include_num_input_tokens_seen": "all"}


class _ScheduledSFTTrainer(OwnScheduleMixin, SFTTrainer):
    """SFTTrainer with our schedule (components/schedule.py), which a resume can extend, and the
    loss on target tokens only (components/target_token_loss.py) where the model allows it."""

    def __init__(self, hp: dict[str, Any], **kwargs) -> None:
        super().__init__(hp, **kwargs)
        self.target_only = supports_target_token_loss(self.model)

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if not self.target_only:
            return super().compute_loss(model, inputs, return_outputs=return_outputs, num_items_in_batch=num_items_in_batch)
        result = target_token_loss(model, inputs, num_items_in_batch)
        loss = result.loss
        if self.args.average_tokens_across_devices and num_items_in_batch is not None:
            loss = loss * self.accelerator.num_processes  # like Trainer: DDP averages, the count is global
        mode = "train" if model.training else "eval"
        self._metrics[mode]["mean_token_accuracy"].append(result.correct / max(result.targets, 1))
        return (loss, None) if return_outputs else loss


def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    disable_dataset_progress_bars()
    recipe = SFTRecipe(spec, stop)
    recipe.setup()
    recipe.train()
    recipe.save()
    return 0
