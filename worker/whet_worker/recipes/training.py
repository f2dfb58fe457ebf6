"""The run every training method shares (sft.py, pretrain.py, preference.py); a method names its data,
its trainer and its trainer arguments.

Here: the spec checks and `started`, the model (components/model_loader.py), lr_search (each
trial a fresh model, scored by its eval loss on a held-out slice), the tuning, the events
(components/report_events.py), the callbacks (divergence guard, budget, early stopping, SIGTERM),
checkpoints and resume, the final folder and `result` (plus what a method adds to it).
"""

import os
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset, disable_progress_bars as disable_dataset_progress_bars
from transformers import PrinterCallback, Trainer, TrainerCallback, TrainingArguments, logging as hf_logging

from ..components.budget import BudgetUsage
from ..components.checkpoints import checkpoint_step
from ..components.device import dtype_reason, resolve_device, set_threads
from ..components.distributed import this_rank
from ..components.fsdp import check_strategy, fsdp_options, gather_full_state_dict
from ..components.lr_search import choose_learning_rate
from ..components.model_loader import load_training_model
from ..components.report_events import ReportEvents
from ..components.training_args import training_args
from ..components.training_callbacks import training_callbacks
from ..components.training_result import result_fields, save_final_model
from ..components.tuning import Tuned, apply_tuning
from ..events import emit
from ..graceful_stop import GracefulStop


class TrainingRecipe:
    config_class: type[TrainingArguments] = TrainingArguments
    trains_on_chats = True  # False: raw text, whatever the model's chat template
    # Evaluate before the first step: the curve's step-0 point and the result's "before" (a resumed
    # run finds it in the checkpoint's log history instead).
    eval_on_start = False
    report_perplexity = False
    report_preference = False

    def __init__(self, spec: dict[str, Any], stop: GracefulStop) -> None:
        """Check what can be checked without the model, then announce the run."""
        self.spec = spec
        self.hp = dict(spec["hyperparameters"])
        self.budget = spec.get("budget")
        self.stop = stop
        self.output_dir = Path(spec["output_dir"])
        self.device = resolve_device(spec["device"])
        self.threads = set_threads(spec["threads"])
        check_strategy(spec.get("strategy"), self.device)
        self.resume_from = spec["resume_from_checkpoint"]
        resumed_from_step = checkpoint_step(self.resume_from) if self.resume_from else None
        if resumed_from_step is not None:
            stop.step, stop.checkpoint = resumed_from_step, self.resume_from
        emit("started", pid=os.getpid(), device=self.device, resumed_from_step=resumed_from_step, threads=self.threads, world_size=this_rank().world_size)

    # -- what a method adds -------------------------------------------------------------
    def build_data(self) -> tuple[Dataset, Dataset | None]:
        """The training rows and the held-out rows (None without validation data); self.tokenizer is set."""
        raise NotImplementedError

    def build_trainer(self, hp: dict[str, Any], tuned: Tuned, args: TrainingArguments, train: Dataset, evaluation: Dataset | None,
                      callbacks: list[TrainerCallback] | None) -> Trainer:
        raise NotImplementedError

    def method_args(self, hp: dict[str, Any]) -> dict[str, Any]:
        """The method's own fields of its trainer arguments."""
        return {}

    def tune(self, model) -> Tuned:
        return apply_tuning(model, self.spec["tuning"], self.hp)

    def result_extras(self) -> dict[str, Any]:
        """What the method adds to the result event, read before the final model is saved."""
        return {}

    def after_final_saved(self) -> None:
        """Clean-up once output_dir/final is written, before the result is reported."""

    # -- the run ------------------------------------------------------------------------
    def setup(self) -> None:
        """Build model and data, search the learning rate if asked, then build the trainer."""
        model, self.tokenizer = self._fresh_model()
        dtype = dict(dtype=str(model.dtype).removeprefix("torch."), dtype_reason=dtype_reason(self.device, model.dtype, self.spec["tuning"]))
        train, evaluation = self.build_data()
        budget_used = BudgetUsage.read(self.resume_from)
        if self.hp.get("lr_search"):
            self.hp["learning_rate"], seconds = choose_learning_rate(
                self.hp["lr_search"], train, evaluation, self.hp["seed"], self._run_trial, self.output_dir, self.device
            )
            budget_used.seconds += seconds
        torch.manual_seed(self.hp["seed"])  # the same adapter init with or without trials before
        self.tuned = self.tune(model)
        self.has_eval = evaluation is not None
        self.report = ReportEvents(
            train_samples=len(train),
            eval_samples=len(evaluation) if self.has_eval else 0,
            trainable_params=self.tuned.trainable_params,
            total_params=self.tuned.total_params,
            estimate=self.budget is None,
            report_perplexity=self.report_perplexity,
            report_preference=self.report_preference,
            dtype=dtype,
        )
        callbacks, self.early_stopping = training_callbacks(self.hp, self.budget, budget_used, self.has_eval, self.report, self.stop)
        args = self._training_args(self.hp, self.tuned.model, self.output_dir / "checkpoints", has_eval=self.has_eval)
        self.trainer = self.build_trainer(self.hp, self.tuned, args, train, evaluation, callbacks)
        self.trainer.remove_callback(PrinterCallback)  # it print()s every log dict

    def _fresh_model(self):
        return load_training_model(self.spec["model"], self.spec["tuning"], self.device, trains_on_chats=self.trains_on_chats)

    def _run_trial(self, learning_rate: float, steps: int, train, scored, work_dir: Path):
        """One lr_search trial: a fresh model, `steps` steps at `learning_rate`, the eval loss on `scored`."""
        model, _ = self._fresh_model()
        torch.manual_seed(self.hp["seed"])
        tuned = self.tune(model)
        hp = {**self.hp, "learning_rate": learning_rate, "max_steps": steps}
        args = self._training_args(hp, tuned.model, work_dir, has_eval=False, trial=True)
        trainer = self.build_trainer(hp, tuned, args, train, None, None)
        trainer.remove_callback(PrinterCallback)
        output = trainer.train()
        eval_loss = trainer.evaluate(eval_dataset=scored)["eval_loss"]
        return output.training_loss, eval_loss

    def _training_args(self, hp: dict[str, Any], model, output_dir: Path, has_eval: bool, trial: bool = False) -> TrainingArguments:
        return training_args(
            self.config_class,
            hp,
            output_dir,
            device=self.device,
            has_eval=has_eval,
            budgeted=self.budget is not None and not trial,
            trial=trial,
            fsdp=fsdp_options(model, self.spec.get("strategy"), self.device),
            **({"eval_on_start": has_eval and not trial and self.resume_from is None} if self.eval_on_start else {}),
            **self.method_args(hp),
        )

    def train(self) -> None:
        self.output = self.trainer.train(resume_from_checkpoint=self.resume_from)

    def save(self) -> None:
        """On SIGTERM the checkpoint is the output; otherwise write output_dir/final and report the result."""
        if self.stop.requested:
            emit("stopped", step=self.stop.step, checkpoint=self.stop.checkpoint)
            return
        extras = self.result_extras()  # every rank: an evaluation is a collective
        full_weights = gather_full_state_dict(self.trainer)  # every rank: FSDP's shards gathered (None without FSDP)
        if not this_rank().reports:
            return  # rank 0 writes the final model and the result
        final = save_final_model(self.trainer, self.tokenizer, self.output_dir, full_weights)
        self.after_final_saved()
        emit("result", **result_fields(self.trainer, self.tuned, self.report, self.early_stopping, self.output, final), **extras)


def run(recipe_class: type[TrainingRecipe], spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    disable_dataset_progress_bars()
    recipe = recipe_class(spec, stop)
    recipe.setup()
    recipe.train()
    recipe.save()
    return 0
