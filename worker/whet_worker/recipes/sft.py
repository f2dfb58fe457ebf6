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
- the loss and the LM head run on target tokens only, fused in chunks while training
  (components/target_token_loss.py, fused_head_loss.py)
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

from typing import Any

from datasets import Dataset
from transformers import TrainerCallback
from transformers.trainer_pt_utils import LengthGroupedSampler
from trl import SFTConfig, SFTTrainer

from ..components.distributed import this_rank
from ..components.schedule import OwnScheduleMixin
from ..components.sft_data import build_sft_data
from ..components.target_token_loss import supports_target_token_loss, target_token_loss
from ..components.tuning import Tuned
from ..graceful_stop import GracefulStop
from .training import TrainingRecipe, run


class SFTRecipe(TrainingRecipe):
    config_class = SFTConfig

    def build_data(self) -> tuple[Dataset, Dataset | None]:
        data = build_sft_data(self.spec["data"], self.tokenizer, self.hp["max_seq_len"], self.hp["seed"])
        return data.train, data.eval

    def method_args(self, hp: dict[str, Any]) -> dict[str, Any]:
        return {"max_length": hp["max_seq_len"], **(_PACKED if hp.get("packing") else _LENGTH_GROUPED)}

    def build_trainer(self, hp: dict[str, Any], tuned: Tuned, args: SFTConfig, train: Dataset, evaluation: Dataset | None,
                      callbacks: list[TrainerCallback] | None) -> SFTTrainer:
        return _ScheduledSFTTrainer(
            hp, model=tuned.model, args=args, train_dataset=train, eval_dataset=evaluation, processing_class=self.tokenizer, callbacks=callbacks
        )


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
        # Several processes: the loss must run through DDP's forward (which readies its gradient
        # all-reduce), and target_token_loss calls the backbone inside it; TRL's loss does not.
        self.target_only = supports_target_token_loss(self.model) and not this_rank().distributed

    def _get_train_sampler(self, train_dataset=None):
        sampler = super()._get_train_sampler(train_dataset)
        # Length grouping sizes its mega-batches from the batch it is given: give it the global one,
        # so several processes group (and so batch) the samples exactly as one process does.
        if isinstance(sampler, LengthGroupedSampler):
            sampler.batch_size *= this_rank().world_size
        return sampler

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
    return run(SFTRecipe, spec, stop)
