"""Supervised fine-tuning of a causal LM on chat conversations (spec.method == "sft").

    python -m whet_worker train jobs/<id>/spec.json

Features
- tuning: `lora` (PEFT adapters), `full`, `freeze` (last N decoder layers + final norm)
- assistant-only loss from the chat template, EOS included so the model learns to stop
- samples truncated to max_seq_len; those left with no answer token dropped and reported
- warmup, then cosine/linear decay to learning_rate * lr_decay_ratio, or constant; a resume
  that adds steps re-plans the decay to cover them
- length-grouped batches; tokens/s counts real (non-padding) tokens
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

import json
import os
import shutil
from pathlib import Path
from typing import Any

import torch
from datasets import disable_progress_bars as disable_dataset_progress_bars
from transformers import PrinterCallback, logging as hf_logging
from trl import SFTConfig, SFTTrainer

from ..components.device import resolve_device, set_threads, training_dtype
from ..components.budget import BudgetPlanner, BudgetUsage
from ..components.divergence_guard import DivergenceGuard
from ..components.early_stopping import EarlyStopping
from ..components.lr_search import load_result, save_result, search_learning_rate, trial_data
from ..components.model_loader import load_model, saved_dtype
from ..components.report_events import ReportEvents
from ..components.schedule import ExtendScheduleOnResume, make_scheduler
from ..components.sft_data import build_sft_data
from ..components.stop_on_signal import StopOnSignal
from ..components.target_token_loss import supports_target_token_loss, target_token_loss
from ..components.tuning import apply_tuning
from ..errors import WorkerError
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
        resumed_from_step = _checkpoint_step(self.resume_from) if self.resume_from else None
        if resumed_from_step is not None:
            stop.step, stop.checkpoint = resumed_from_step, self.resume_from
        emit("started", pid=os.getpid(), device=self.device, resumed_from_step=resumed_from_step, threads=self.threads)

    def setup(self) -> None:
        """Build model and data, search the learning rate if asked, then build the trainer."""
        model, self.tokenizer = self._fresh_model()
        data = build_sft_data(self.spec["data"], self.tokenizer, self.hp["max_seq_len"], self.hp["seed"])
        budget_used = BudgetUsage.read(self.resume_from)
        if self.hp.get("lr_search"):
            budget_used.seconds += self._search_learning_rate(data)
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
        callbacks = [DivergenceGuard()]
        if self.budget:
            # First: on a resume it restores the budget's plan, which the others then report and extend.
            callbacks.append(BudgetPlanner(self.budget, self.hp, budget_used, has_eval, self.report.counts))
        self.early_stopping = EarlyStopping(self.hp["early_stopping_patience"]) if has_eval and self.hp.get("early_stopping_patience") else None
        if self.early_stopping:
            callbacks.append(self.early_stopping)
        callbacks += [self.report, StopOnSignal(self.stop), ExtendScheduleOnResume()]
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
        path = self.spec["model"]["path"]
        bf16 = self.device == "cuda" and torch.cuda.is_bf16_supported()
        dtype = training_dtype(self.device, saved_dtype(path), self.spec["tuning"], bf16)
        return load_model(path, self.spec["model"]["chat_template"], dtype, tuning=self.spec["tuning"])

    def _search_learning_rate(self, data) -> float:
        """Set hp["learning_rate"] to the trials' winner (or the one a previous attempt chose); return the seconds spent."""
        previous = load_result(self.output_dir)
        if previous is not None:
            self.hp["learning_rate"] = previous.learning_rate
            emit("log", level="info", message=f"lr_search: reusing learning rate {previous.learning_rate:g} chosen before")
            return 0.0
        search = self.hp["lr_search"]
        train, scored = trial_data(data.train, data.eval, search["train_fraction"], self.hp["seed"])
        result = search_learning_rate(search, train, scored, self._run_trial, self.output_dir / "trials")
        save_result(result, self.output_dir)
        self.hp["learning_rate"] = result.learning_rate
        return result.seconds

    def _run_trial(self, learning_rate: float, steps: int, train, scored, work_dir: Path):
        """One trial: a fresh model, `steps` steps at `learning_rate`, the eval loss on `scored`."""
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
        cuda = self.device == "cuda"
        budgeted = self.budget is not None and not trial
        # A budget spreads evaluations and checkpoints over its plan (BudgetPlanner) and keeps the best.
        eval_every = save_every = 10**9 if budgeted else None
        # Early stopping restores the best checkpoint too (every evaluation saves one).
        keep_best = has_eval and not trial and (budgeted or bool(hp.get("early_stopping_patience")))
        return SFTConfig(
            output_dir=str(output_dir),
            num_train_epochs=hp["epochs"],
            max_steps=hp["max_steps"] or -1,
            per_device_train_batch_size=hp["batch_size"],
            per_device_eval_batch_size=hp["batch_size"],
            gradient_accumulation_steps=hp["gradient_accumulation_steps"],
            learning_rate=hp["learning_rate"],  # the schedule itself is make_scheduler's
            max_length=hp["max_seq_len"],
            seed=hp["seed"],
            data_seed=hp["seed"],
            # Similar lengths in one batch waste less compute on padding (1.6x tokens/s on CPU).
            train_sampling_strategy="group_by_length",
            include_num_input_tokens_seen="non_padding",
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
            # TRL defaults to bf16 and gradient checkpointing: right on a GPU, slow or unsupported on CPU.
            bf16=cuda and torch.cuda.is_bf16_supported(),
            activation_checkpointing=cuda,
            auto_find_batch_size=cuda,  # halve the batch on a CUDA out-of-memory error and retry
            dataloader_num_workers=0,
            report_to="none",
            disable_tqdm=True,
            log_level="warning",
        )

    def train(self) -> None:
        self.output = self.trainer.train(resume_from_checkpoint=self.resume_from)

    def save(self) -> None:
        """On SIGTERM the checkpoint is the output; otherwise write output_dir/final and report the result."""
        if self.stop.requested:
            emit("stopped", step=self.stop.step, checkpoint=self.stop.checkpoint)
            return
        final = self.output_dir / "final"
        partial = self.output_dir / "final.partial"
        shutil.rmtree(partial, ignore_errors=True)
        self.trainer.model.save_pretrained(partial)  # a PEFT model saves its adapter only
        self.tokenizer.save_pretrained(partial)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)  # never a half-written final folder
        state = self.trainer.state
        best = state.best_model_checkpoint if self.trainer.args.load_best_model_at_end else None
        stopped_early = self.early_stopping.stopped_early if self.early_stopping else None
        if stopped_early and best:
            # The model kept is the trainer's best checkpoint (any lower eval loss), which can be
            # later than the best early stopping counted from (a 0.1% lower one).
            stopped_early = {**stopped_early, "best_step": _checkpoint_step(best), "best_eval_loss": state.best_metric}
        emit(
            "result",
            output_path=str(final),
            kind=self.tuned.kind,
            steps=state.global_step,
            final_loss=self.report.last_loss,
            train_runtime_s=self.output.metrics["train_runtime"],
            trainable_params=self.tuned.trainable_params,
            total_params=self.tuned.total_params,
            best_step=_checkpoint_step(best) if best else None,
            best_eval_loss=state.best_metric if best else None,
            train_tokens=int(state.num_input_tokens_seen),
            stopped_early=stopped_early,
        )


class _ScheduledSFTTrainer(SFTTrainer):
    """SFTTrainer with our schedule (components/schedule.py), which a resume can extend, and the
    loss on target tokens only (components/target_token_loss.py) where the model allows it."""

    def __init__(self, hp: dict[str, Any], **kwargs) -> None:
        self.schedule_hp = hp
        super().__init__(**kwargs)
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

    def create_scheduler(self, num_training_steps: int, optimizer=None):
        if self.lr_scheduler is None:
            self.lr_scheduler = make_scheduler(optimizer or self.optimizer, self.schedule_hp, num_training_steps)
            self._created_lr_scheduler = True
        return self.lr_scheduler


def _checkpoint_step(path: str) -> int:
    state = Path(path) / "trainer_state.json"
    if not state.is_file():
        raise WorkerError("JOB_NOT_RESUMABLE", f"{path} is not a checkpoint folder (no trainer_state.json)")
    return int(json.loads(state.read_text(encoding="utf-8"))["global_step"])


def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    disable_dataset_progress_bars()
    recipe = SFTRecipe(spec, stop)
    recipe.setup()
    recipe.train()
    recipe.save()
    return 0
