"""What the two preference recipes (dpo.py, orpo.py) share: the run around their trainer.

A subclass names its trainer arguments class and method arguments, and builds its trainer; the
rest is here, through the components the SFT and pre-training recipes use: the spec checks and
`started`, the model and the preference data (components/preference_data.py), lr_search (each
trial a fresh model, scored by its preference loss on held-out pairs), the tuning, the events
(progress and eval carry `preference`), the callbacks (divergence guard, budget, early stopping
on the eval loss, SIGTERM), our schedule, checkpoints and resume, the final folder and `result`
(with `preference: {before, after}`, the held-out metrics at step 0 and of the result model).
"""

import os
from pathlib import Path
from typing import Any

import torch
from accelerate.utils import is_peft_model
from datasets import Dataset, disable_progress_bars as disable_dataset_progress_bars
from peft.tuners.tuners_utils import BaseTunerLayer
from transformers import PrinterCallback, Trainer, TrainerCallback, TrainingArguments, logging as hf_logging

from ..components.budget import BudgetUsage
from ..components.checkpoints import checkpoint_step
from ..components.device import resolve_device, set_threads
from ..components.lr_search import choose_learning_rate
from ..components.model_loader import load_training_model
from ..components.preference_data import PreferenceData, build_preference_data
from ..components.report_events import ReportEvents, preference_metrics
from ..components.result_evaluation import evaluation_at_start, evaluation_of_result
from ..components.training_args import training_args
from ..components.training_callbacks import training_callbacks
from ..components.training_result import result_fields, save_final_model
from ..components.tuning import Tuned, apply_tuning
from ..errors import WorkerError
from ..events import emit
from ..graceful_stop import GracefulStop


class PreferenceRecipe:
    method = ""  # "dpo" | "orpo"
    config_class: type[TrainingArguments] = TrainingArguments
    columns: list[str] = []  # the preference data's columns the trainer takes

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

    # -- what a method adds -------------------------------------------------------------
    def method_args(self, hp: dict[str, Any]) -> dict[str, Any]:
        """The method's own fields of its trainer arguments."""
        return {}

    def build_trainer(self, hp: dict[str, Any], tuned: Tuned, args: TrainingArguments, train: Dataset, evaluation: Dataset | None,
                      callbacks: list[TrainerCallback] | None) -> Trainer:
        raise NotImplementedError

    def describe(self) -> str:
        """One log line: the method's settings."""
        return ""

    # -- the run ------------------------------------------------------------------------
    def setup(self) -> None:
        """Build model and data, search the learning rate if asked, then build the trainer."""
        model, self.tokenizer = self._fresh_model()
        data = build_preference_data(self.spec["data"], self.tokenizer, self.hp["max_seq_len"], self.hp["seed"])
        train, evaluation = self._splits(data)
        emit("log", level="info", message=self.describe())
        budget_used = BudgetUsage.read(self.resume_from)
        if self.hp.get("lr_search"):
            self.hp["learning_rate"], seconds = choose_learning_rate(
                self.hp["lr_search"], train, evaluation, self.hp["seed"], self._run_trial, self.output_dir
            )
            budget_used.seconds += seconds
        torch.manual_seed(self.hp["seed"])  # the same adapter init with or without trials before
        self.tuned = self._tune(model)
        self.has_eval = has_eval = evaluation is not None
        self.report = ReportEvents(
            train_samples=len(train),
            eval_samples=len(evaluation) if has_eval else 0,
            trainable_params=self.tuned.trainable_params,
            total_params=self.tuned.total_params,
            estimate=self.budget is None,
            report_preference=True,
        )
        callbacks, self.early_stopping = training_callbacks(self.hp, self.budget, budget_used, has_eval, self.report, self.stop)
        args = self._training_args(self.hp, self.output_dir / "checkpoints", has_eval=has_eval)
        self.trainer = self.build_trainer(self.hp, self.tuned, args, train, evaluation, callbacks)
        self.trainer.remove_callback(PrinterCallback)  # it print()s every log dict

    def _splits(self, data: PreferenceData) -> tuple[Dataset, Dataset | None]:
        evaluation = data.eval.select_columns(self.columns) if data.eval is not None else None
        return data.train.select_columns(self.columns), evaluation

    def _fresh_model(self):
        return load_training_model(self.spec["model"], self.spec["tuning"], self.device)

    def _tune(self, model) -> Tuned:
        tuned = apply_tuning(model, self.spec["tuning"], self.hp)
        if is_peft_model(tuned.model) and isinstance(tuned.model.get_output_embeddings(), BaseTunerLayer):
            raise WorkerError(
                "INVALID_HYPERPARAMETER",
                f"{self.method}: lora_target includes the output head; preference training reads the head's weight directly "
                "to score answers, so an adapter on it would never train",
                'Leave the head (lm_head) out of lora_target, or use "all-linear".',
            )
        return tuned

    def _run_trial(self, learning_rate: float, steps: int, train, scored, work_dir: Path):
        """One lr_search trial: a fresh model, `steps` steps at `learning_rate`, the eval loss on `scored`."""
        model, _ = self._fresh_model()
        torch.manual_seed(self.hp["seed"])
        tuned = self._tune(model)
        hp = {**self.hp, "learning_rate": learning_rate, "max_steps": steps}
        args = self._training_args(hp, work_dir, has_eval=False, trial=True)
        trainer = self.build_trainer(hp, tuned, args, train, None, None)
        trainer.remove_callback(PrinterCallback)
        output = trainer.train()
        eval_loss = trainer.evaluate(eval_dataset=scored)["eval_loss"]
        return output.training_loss, eval_loss

    def _training_args(self, hp: dict[str, Any], output_dir: Path, has_eval: bool, trial: bool = False) -> TrainingArguments:
        return training_args(
            self.config_class,
            hp,
            output_dir,
            device=self.device,
            has_eval=has_eval,
            budgeted=self.budget is not None and not trial,
            trial=trial,
            # The held-out preference accuracy before the first step, the curve's step-0 point; a resumed
            # run finds it in the checkpoint's log history instead.
            eval_on_start=has_eval and not trial and self.resume_from is None,
            include_num_input_tokens_seen="non_padding",  # chosen and rejected rows, padding left out
            **self.method_args(hp),
        )

    def train(self) -> None:
        self.output = self.trainer.train(resume_from_checkpoint=self.resume_from)

    def save(self) -> None:
        """On SIGTERM the checkpoint is the output; otherwise write output_dir/final and report the result."""
        if self.stop.requested:
            emit("stopped", step=self.stop.step, checkpoint=self.stop.checkpoint)
            return
        before, after = evaluation_at_start(self.trainer), evaluation_of_result(self.trainer, self.has_eval)
        final = save_final_model(self.trainer, self.tokenizer, self.output_dir)
        emit(
            "result",
            **result_fields(self.trainer, self.tuned, self.report, self.early_stopping, self.output, final),
            preference=(
                {"before": before and preference_metrics(before, "eval_"), "after": after and preference_metrics(after, "eval_")}
                if self.has_eval
                else None
            ),
        )


def run(recipe_class: type[PreferenceRecipe], spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    disable_dataset_progress_bars()
    recipe = recipe_class(spec, stop)
    recipe.setup()
    recipe.train()
    recipe.save()
    return 0
