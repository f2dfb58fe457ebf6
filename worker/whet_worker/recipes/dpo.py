"""Direct Preference Optimization of a causal LM on preference pairs (spec.method == "dpo").

    python -m whet_worker train jobs/<id>/spec.json

Features
- data: JSONL of {"messages": [prompt turns], "chosen": {assistant turn}, "rejected": {...}}
  (components/preference_data.py), handed to TRL's DPOTrainer in its conversational form, so the
  tokenizer's chat template renders it (ChatML when the model has none, as for SFT); each answer
  is what its rendering adds after the prompt, end of turn included
- held-out pairs: data.validation, or validation_split of the pairs (seeded); evaluated before
  the first step and on the usual schedule
- loss: hp.beta (default 0.1) and hp.loss_type, "sigmoid" (the DPO paper) or "ipo" (default
  "sigmoid"), TRL's DPOTrainer
- the reference: adapter tunings (kind "adapter") score it with the adapter disabled, the base
  model itself, so no second copy of the weights; full and freeze load a second, frozen copy
  of the model (as much memory again as the weights)
- max_seq_len caps prompt + answer, keeping the start: pairs whose prompt alone fills it are
  dropped and reported, cut answers reported (data.drop_truncated drops them)
- every progress event carries `preference`: the step's rewards/chosen, rewards/rejected,
  rewards/margins and rewards/accuracies (TRL's: beta x the log-probability ratio to the
  reference, their margin, the share of pairs whose chosen answer is rewarded higher); every eval
  event carries the same over the held-out pairs (0 accuracy at step 0: policy and reference tie)
- tuning, the schedule and its re-plan on resume, budget, early stopping (on the eval loss, the
  DPO loss of the held-out pairs), lr_search (trials scored by that loss), checkpoints and resume
  (the same data order), SIGTERM, CPU fp32 and CUDA bf16: as in the SFT recipe, through the
  same components (recipes/preference.py)

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

from accelerate.utils import is_peft_model
from datasets import Dataset
from transformers import PreTrainedModel, TrainerCallback
from trl import DPOConfig, DPOTrainer

from ..components.preference_data import CONVERSATIONAL
from ..components.schedule import OwnScheduleMixin
from ..components.tuning import Tuned
from ..graceful_stop import GracefulStop
from .preference import PreferenceRecipe
from .training import run

DEFAULT_BETA = 0.1
DEFAULT_LOSS_TYPE = "sigmoid"


class DPORecipe(PreferenceRecipe):
    method = "dpo"
    config_class = DPOConfig
    columns = CONVERSATIONAL  # TRL renders and tokenizes them itself

    def __init__(self, spec: dict[str, Any], stop: GracefulStop) -> None:
        super().__init__(spec, stop)
        self.reference: PreTrainedModel | None = None  # full and freeze only; loaded once, trials share it

    def describe(self) -> str:
        copies = self.spec["tuning"] in ("full", "freeze")  # the tunings apply_tuning gives kind "full"
        reference = "a frozen copy of the model (its weights in memory twice)" if copies else "the base model (the adapter disabled)"
        beta, loss_type = self.hp.get("beta", DEFAULT_BETA), self.hp.get("loss_type", DEFAULT_LOSS_TYPE)
        return f"dpo: beta {beta:g}, loss {loss_type}, reference: {reference}"

    def training_fields(self, hp: dict[str, Any]) -> dict[str, Any]:
        return dict(
            beta=hp.get("beta", DEFAULT_BETA),
            loss_type=[hp.get("loss_type", DEFAULT_LOSS_TYPE)],
            max_length=hp["max_seq_len"],
            truncation_mode="keep_start",  # TRL 1.16 has no max_prompt_length; prompt + answer are cut together
        )

    def build_trainer(self, hp: dict[str, Any], tuned: Tuned, args: DPOConfig, train: Dataset, evaluation: Dataset | None,
                      callbacks: list[TrainerCallback] | None) -> DPOTrainer:
        return _ScheduledDPOTrainer(
            hp,
            model=tuned.model,
            ref_model=self._reference_model(tuned),
            args=args,
            train_dataset=train,
            eval_dataset=evaluation,
            processing_class=self.tokenizer,
            callbacks=callbacks,
        )

    def _reference_model(self, tuned: Tuned) -> PreTrainedModel | None:
        """None for an adapter: TRL then scores the reference with the adapter disabled (the base). Full
        and freeze tuning change the base weights themselves, so the reference must be a second,
        frozen copy of the model: as much memory again as the weights (no optimizer state, no
        gradients). With ref_model=None TRL would load that copy itself from config._name_or_path;
        loading it here keeps our loader's checks and dtype."""
        if tuned.kind == "adapter":
            return None
        if self.reference is None:
            self.reference, _ = self._fresh_model()
            self.reference.requires_grad_(False)
            self.reference.eval()
        return self.reference


class _ScheduledDPOTrainer(OwnScheduleMixin, DPOTrainer):
    """DPOTrainer with our schedule (components/schedule.py), which a resume or a budget can re-plan.

    Our tuning wraps the model in PEFT before the trainer (apply_tuning), and no peft_config is
    passed, so TRL takes the PeftModel as it is. TRL 1.16 then copies its adapter into a second,
    frozen adapter named "ref" and scores the reference with that one, meant for re-training an
    adapter that already learned something. Ours is always fresh, so the copy is removed: TRL
    then scores the reference with the adapter disabled, the base model itself (a fresh LoRA or
    DoRA adapter changes nothing, so the numbers are the same), and no ref/ adapter goes into
    every checkpoint and the final folder.
    """

    def __init__(self, hp: dict[str, Any], **kwargs) -> None:
        super().__init__(hp, **kwargs)
        if is_peft_model(self.model) and "ref" in self.model.peft_config:
            self.model.delete_adapter("ref")


def main(spec: dict[str, Any], stop: GracefulStop) -> int:
    return run(DPORecipe, spec, stop)
