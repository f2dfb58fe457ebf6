"""Continued pre-training of a causal LM on raw text (spec.method == "pretrain").

    python -m whet_worker train jobs/<id>/spec.json

Features
- data: JSONL of {"text"} rows, one document per row, read into Arrow and tokenized there
  (memory-mapped, cached in output_dir/data-cache for resumes and removed once the result is
  saved), never held as Python lists
- every document ends with the tokenizer's EOS, and the documents are packed into blocks of
  exactly max_seq_len tokens (the last partial block is left out unless it is all there is);
  every token is a target and none is padding, so tokens/s and the token budget count them all;
  no chat template
- held-out text: data.validation, or validation_split of the documents (whole documents,
  seeded); it is evaluated before the first step, so the curve starts at step 0, and on the
  usual schedule; every eval event carries the perplexity, exp(eval_loss)
- too little text (under 50 blocks, or less than one): a warning with the numbers that
  suggests question-answer pairs and SFT instead; it still trains
- tuning (lora / full / freeze), the schedule and its re-plan on resume, budget, early
  stopping, lr_search, checkpoints and resume (the same data order), SIGTERM, CPU fp32 and
  CUDA bf16: as in the SFT recipe, through the same components

Events: started, log* (text size; too little text), trial* (lr_search), plan, eval at step 0
(with held-out text), then per step progress (+ eval, checkpoint, plan re-estimates), then
result or stopped. The result adds `perplexity: {before, after}`: the held-out perplexity at
step 0 and of the model kept (null without held-out text).

Raises (as WorkerError)
- CUDA_UNAVAILABLE: device "cuda" without a CUDA GPU
- JOB_NOT_RESUMABLE: resume_from_checkpoint is not a checkpoint folder
- MODEL_PATH_INVALID / MODEL_UNSUPPORTED: the model folder cannot load as a causal LM, or its
  tokenizer has no EOS token
- DATASET_NOT_FOUND / DATASET_INVALID / DATASET_EMPTY: a missing text file, a line that is not
  a {"text": string} object, no documents or only empty ones
- INVALID_HYPERPARAMETER: freeze_trainable_layers above the model's layer count
- TRAINING_DIVERGED: the loss became NaN or infinite
- OUT_OF_MEMORY: torch ran out of memory (mapped in whet_worker.errors)
"""

import os
import shutil
from pathlib import Path
from typing import Any

import torch
from datasets import disable_progress_bars as disable_dataset_progress_bars
from transformers import PrinterCallback, Trainer, TrainingArguments, default_data_collator, logging as hf_logging

from ..components.budget import BudgetUsage
from ..components.checkpoints import checkpoint_step
from ..components.device import resolve_device, set_threads
from ..components.lr_search import choose_learning_rate
from ..components.model_loader import load_training_model
from ..components.perplexity import perplexity
from ..components.pretrain_data import build_pretrain_data
from ..components.report_events import ReportEvents
from ..components.schedule import OwnScheduleMixin
from ..components.training_args import training_args
from ..components.training_callbacks import training_callbacks
from ..components.result_evaluation import evaluation_at_start, evaluation_of_result
from ..components.training_result import result_fields, save_final_model
from ..components.tuning import apply_tuning
from ..events import emit
from ..graceful_stop import GracefulStop


class PretrainRecipe:
    def __init__(self, spec: dict[str, Any], stop: GracefulStop) -> None:
        """Check what can be checked without the model, then announce the run."""
        self.spec = spec
        self.hp = dict(spec["hyperparameters"])
        self.budget = spec.get("budget")
        self.stop = stop
        self.output_dir = Path(spec["output_dir"])
        self.data_cache = self.output_dir / "data-cache"  # the text as Arrow files, tokenized and packed
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
        data = build_pretrain_data(self.spec["data"], self.tokenizer, self.hp["max_seq_len"], self.hp["seed"], self.data_cache)
        budget_used = BudgetUsage.read(self.resume_from)
        if self.hp.get("lr_search"):
            self.hp["learning_rate"], seconds = choose_learning_rate(
                self.hp["lr_search"], data.train, data.eval, self.hp["seed"], self._run_trial, self.output_dir
            )
            budget_used.seconds += seconds
        torch.manual_seed(self.hp["seed"])  # the same adapter init with or without trials before
        self.tuned = apply_tuning(model, self.spec["tuning"], self.hp)
        self.has_eval = data.eval is not None
        self.report = ReportEvents(
            train_samples=len(data.train),
            eval_samples=len(data.eval) if self.has_eval else 0,
            trainable_params=self.tuned.trainable_params,
            total_params=self.tuned.total_params,
            estimate=self.budget is None,
            report_perplexity=True,
        )
        callbacks, self.early_stopping = training_callbacks(self.hp, self.budget, budget_used, self.has_eval, self.report, self.stop)
        self.trainer = _ScheduledTrainer(
            self.hp,
            model=self.tuned.model,
            args=self._training_args(self.hp, self.output_dir / "checkpoints", has_eval=self.has_eval),
            train_dataset=data.train,
            eval_dataset=data.eval,
            processing_class=self.tokenizer,  # saved with every checkpoint
            data_collator=default_data_collator,  # blocks are labelled already; a padding collator could mask EOS (often the pad token)
            callbacks=callbacks,
        )
        self.trainer.remove_callback(PrinterCallback)  # it print()s every log dict

    def _fresh_model(self):
        return load_training_model(self.spec["model"], self.spec["tuning"], self.device, trains_on_chats=False)

    def _run_trial(self, learning_rate: float, steps: int, train, scored, work_dir: Path):
        """One lr_search trial: a fresh model, `steps` steps at `learning_rate`, the eval loss on `scored`."""
        model, _ = self._fresh_model()
        torch.manual_seed(self.hp["seed"])
        tuned = apply_tuning(model, self.spec["tuning"], self.hp)
        hp = {**self.hp, "learning_rate": learning_rate, "max_steps": steps}
        args = self._training_args(hp, work_dir, has_eval=False, trial=True)
        trainer = _ScheduledTrainer(hp, model=tuned.model, args=args, train_dataset=train, data_collator=default_data_collator)
        trainer.remove_callback(PrinterCallback)
        output = trainer.train()
        eval_loss = trainer.evaluate(eval_dataset=scored)["eval_loss"]
        return output.training_loss, eval_loss

    def _training_args(self, hp: dict[str, Any], output_dir: Path, has_eval: bool, trial: bool = False) -> TrainingArguments:
        return training_args(
            TrainingArguments,
            hp,
            output_dir,
            device=self.device,
            has_eval=has_eval,
            budgeted=self.budget is not None and not trial,
            trial=trial,
            # The curve's step-0 point and the `before` perplexity; a resumed run finds it in the
            # checkpoint's log history instead.
            eval_on_start=has_eval and not trial and self.resume_from is None,
            # Blocks hold no padding, and EOS, a real token here, is often the pad token as well.
            include_num_input_tokens_seen="all",
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
        shutil.rmtree(self.data_cache, ignore_errors=True)  # kept for resumes only; a finished job has none
        emit(
            "result",
            **result_fields(self.trainer, self.tuned, self.report, self.early_stopping, self.output, final),
            perplexity={"before": perplexity(before and before["eval_loss"]), "after": perplexity(after and after["eval_loss"])},
        )


class _ScheduledTrainer(OwnScheduleMixin, Trainer):
    """Trainer with our schedule (components/schedule.py), which a resume or a budget can re-plan.

    The loss is the model's own: every token of a block is a target, so there is nothing to skip."""


def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    hf_logging.disable_progress_bar()
    disable_dataset_progress_bars()
    recipe = PretrainRecipe(spec, stop)
    recipe.setup()
    recipe.train()
    recipe.save()
    return 0
