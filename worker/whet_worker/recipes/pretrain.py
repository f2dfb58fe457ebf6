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

import shutil
from typing import Any

from datasets import Dataset
from transformers import Trainer, TrainerCallback, TrainingArguments, default_data_collator

from ..components.perplexity import perplexity
from ..components.pretrain_data import build_pretrain_data
from ..components.result_evaluation import evaluation_at_start, evaluation_of_result
from ..components.schedule import OwnScheduleMixin
from ..components.tuning import Tuned
from ..graceful_stop import GracefulStop
from .training import TrainingRecipe, run


class PretrainRecipe(TrainingRecipe):
    trains_on_chats = False
    eval_on_start = True  # the curve's step-0 point and the `before` perplexity
    report_perplexity = True

    def build_data(self) -> tuple[Dataset, Dataset | None]:
        self.data_cache = self.output_dir / "data-cache"  # the text as Arrow files, tokenized and packed
        data = build_pretrain_data(self.spec["data"], self.tokenizer, self.hp["max_seq_len"], self.hp["seed"], self.data_cache)
        return data.train, data.eval

    def method_args(self, hp: dict[str, Any]) -> dict[str, Any]:
        # Blocks hold no padding, and EOS, a real token here, is often the pad token as well.
        return {"include_num_input_tokens_seen": "all"}

    def build_trainer(self, hp: dict[str, Any], tuned: Tuned, args: TrainingArguments, train: Dataset, evaluation: Dataset | None,
                      callbacks: list[TrainerCallback] | None) -> Trainer:
        return _ScheduledTrainer(
            hp,
            model=tuned.model,
            args=args,
            train_dataset=train,
            eval_dataset=evaluation,
            processing_class=self.tokenizer,  # saved with every checkpoint
            data_collator=default_data_collator,  # blocks are labelled already; a padding collator could mask EOS (often the pad token)
            callbacks=callbacks,
        )

    def result_extras(self) -> dict[str, Any]:
        before, after = evaluation_at_start(self.trainer), evaluation_of_result(self.trainer, self.has_eval)
        return {"perplexity": {"before": perplexity(before and before["eval_loss"]), "after": perplexity(after and after["eval_loss"])}}

    def after_final_saved(self) -> None:
        shutil.rmtree(self.data_cache, ignore_errors=True)  # kept for resumes only; a finished job has none


class _ScheduledTrainer(OwnScheduleMixin, Trainer):
    """Trainer with our schedule (components/schedule.py), which a resume or a budget can re-plan.

    The loss is the model's own: every token of a block is a target, so there is nothing to skip."""


def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    return run(PretrainRecipe, spec, stop)
