"""Odds Ratio Preference Optimization of a causal LM on preference pairs (spec.method == "orpo").

    python -m whet_worker train jobs/<id>/spec.json

Features
- data: JSONL of {"messages": [prompt turns], "chosen": {assistant turn}, "rejected": {...}}
  (components/preference_data.py), rendered with the tokenizer's chat template (ChatML when the
  model has none, as for SFT) and tokenized as TRL's DPOTrainer does; each answer is what its
  rendering adds after the prompt, end of turn included, so the model learns to stop
- held-out pairs: data.validation, or validation_split of the pairs (seeded); evaluated before
  the first step and on the usual schedule
- loss (components/orpo_trainer.py): NLL of the chosen answer + hp.orpo_lambda (default 0.1,
  TRL's ORPOConfig.beta) x -log sigmoid of the log odds ratio of chosen over rejected, from each
  answer's average per-token log-probability; no reference model, for every tuning. Our own
  trainer rather than trl.experimental.orpo, which trains its NLL on the prompt too, doubles EOS
  after ChatML's end of turn, never truncates prompts and counts no tokens (see that module)
- max_seq_len caps prompt + answer, keeping the start: pairs whose prompt alone fills it are
  dropped and reported, cut answers reported (data.drop_truncated drops them)
- every progress event carries `preference`: the step's rewards/chosen and rewards/rejected
  (orpo_lambda x the answer's average log-probability), rewards/margins and rewards/accuracies
  (the share of pairs whose chosen answer is the more likely per token); every eval event the
  same over the held-out pairs
- tuning, the schedule and its re-plan on resume, budget, early stopping (on the eval loss, the
  ORPO loss of the held-out pairs), lr_search (trials scored by that loss), checkpoints and
  resume (the same data order), SIGTERM, CPU fp32 and CUDA bf16: as in the SFT recipe, through
  the same components (recipes/preference.py)

Events: started, log* (settings; dropped or cut pairs), trial* (lr_search), plan, eval at step 0
(with held-out pairs), then per step progress (+ eval, checkpoint, plan re-estimates), then
result or stopped.

Raises (as WorkerError)
- CUDA_UNAVAILABLE: device "cuda" without a CUDA GPU
- JOB_NOT_RESUMABLE: resume_from_checkpoint is not a checkpoint folder
- MODEL_PATH_INVALID / MODEL_UNSUPPORTED: the model folder cannot load as a causal LM
- DATASET_NOT_FOUND / DATASET_INVALID / DATASET_EMPTY: a missing file, lines that are not
  preference pairs (named by line number), no pairs
- DATASET_EMPTY_AFTER_TRUNCATION: every training pair's prompt fills max_seq_len on its own
- INVALID_HYPERPARAMETER: freeze_trainable_layers above the model's layer count; an adapter on
  the output head
- TRAINING_DIVERGED: the loss became NaN or infinite
- OUT_OF_MEMORY: torch ran out of memory (mapped in whet_worker.errors)
"""

from typing import Any

from datasets import Dataset
from transformers import TrainerCallback, TrainingArguments

from ..components.orpo_trainer import ORPOTrainer
from ..components.preference_data import TOKENIZED
from ..components.schedule import OwnScheduleMixin
from ..components.tuning import Tuned
from ..graceful_stop import GracefulStop
from .preference import PreferenceRecipe
from .training import run

DEFAULT_LAMBDA = 0.1


class ORPORecipe(PreferenceRecipe):
    method = "orpo"
    config_class = TrainingArguments
    columns = TOKENIZED

    def describe(self) -> str:
        return f"orpo: lambda {self.hp.get('orpo_lambda', DEFAULT_LAMBDA):g}, no reference model"

    def build_trainer(self, hp: dict[str, Any], tuned: Tuned, args: TrainingArguments, train: Dataset, evaluation: Dataset | None,
                      callbacks: list[TrainerCallback] | None) -> ORPOTrainer:
        return _ScheduledORPOTrainer(
            hp,
            orpo_lambda=hp.get("orpo_lambda", DEFAULT_LAMBDA),
            max_length=hp["max_seq_len"],
            model=tuned.model,
            args=args,
            train_dataset=train,
            eval_dataset=evaluation,
            processing_class=self.tokenizer,  # saved with every checkpoint
            callbacks=callbacks,
        )


class _ScheduledORPOTrainer(OwnScheduleMixin, ORPOTrainer):
    """The ORPO trainer with our schedule (components/schedule.py), which a resume or a budget can re-plan."""


def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    return run(ORPORecipe, spec, stop)
