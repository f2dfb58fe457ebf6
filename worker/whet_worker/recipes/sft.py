"""Supervised fine-tuning of a causal LM on chat conversations (spec.method == "sft").

    python -m whet_worker train jobs/<id>/spec.json

Features
- tuning: `lora` (PEFT adapters), `full`, `freeze` (last N decoder layers + final norm)
- assistant-only loss from the chat template, EOS included so the model learns to stop
- samples truncated to max_seq_len; those left with no answer token dropped and reported
- warmup, then cosine/linear decay to learning_rate * lr_decay_ratio, or constant; a resume
  that adds steps re-plans the decay to cover them
- length-grouped batches; tokens/s counts real (non-padding) tokens
- checkpoints every save_steps in output_dir/checkpoints; resume continues the same data order
- SIGTERM: checkpoint at the next step end, a `stopped` event, exit 0
- CPU: fp32 on the physical cores; CUDA: bf16 mixed precision where the GPU has it

Events: started, log*, plan, then per step progress (+ eval, checkpoint), then result or stopped.

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

from ..components.device import resolve_device, set_threads
from ..components.divergence_guard import DivergenceGuard
from ..components.model_loader import load_model
from ..components.report_events import ReportEvents
from ..components.schedule import ExtendScheduleOnResume, make_scheduler
from ..components.sft_data import build_sft_data
from ..components.stop_on_signal import StopOnSignal
from ..components.tuning import apply_tuning
from ..errors import WorkerError
from ..events import emit
from ..graceful_stop import GracefulStop


class SFTRecipe:
    def __init__(self, spec: dict[str, Any], stop: GracefulStop) -> None:
        """Check what can be checked without the model, then announce the run."""
        self.spec = spec
        self.hp = spec["hyperparameters"]
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
        """Build model, data and trainer, in that order."""
        torch.manual_seed(self.hp["seed"])  # LoRA's random init must match between a run and its resume
        model, self.tokenizer = load_model(self.spec["model"]["path"], self.spec["model"]["chat_template"], torch.float32)
        self.tuned = apply_tuning(model, self.spec["tuning"], self.hp)
        data = build_sft_data(self.spec["data"], self.tokenizer, self.hp["max_seq_len"], self.hp["seed"])
        self.report = ReportEvents(
            train_samples=len(data.train),
            eval_samples=len(data.eval) if data.eval is not None else 0,
            trainable_params=self.tuned.trainable_params,
            total_params=self.tuned.total_params,
        )
        self.trainer = _ScheduledSFTTrainer(
            self.hp,
            model=self.tuned.model,
            args=self._training_args(has_eval=data.eval is not None),
            train_dataset=data.train,
            eval_dataset=data.eval,
            processing_class=self.tokenizer,
            callbacks=[DivergenceGuard(), self.report, StopOnSignal(self.stop), ExtendScheduleOnResume()],
        )
        self.trainer.remove_callback(PrinterCallback)  # it print()s every log dict

    def _training_args(self, has_eval: bool) -> SFTConfig:
        hp, cuda = self.hp, self.device == "cuda"
        return SFTConfig(
            output_dir=str(self.output_dir / "checkpoints"),
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
            eval_steps=hp["eval_steps"],
            save_strategy="steps",
            save_steps=hp["save_steps"],
            save_total_limit=hp["save_total_limit"],
            use_cpu=not cuda,
            # TRL defaults to bf16 and gradient checkpointing: right on a GPU, slow or unsupported on CPU.
            bf16=cuda and torch.cuda.is_bf16_supported(),
            activation_checkpointing=cuda,
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
        emit(
            "result",
            output_path=str(final),
            kind=self.tuned.kind,
            steps=self.trainer.state.global_step,
            final_loss=self.report.last_loss,
            train_runtime_s=self.output.metrics["train_runtime"],
            trainable_params=self.tuned.trainable_params,
            total_params=self.tuned.total_params,
        )


class _ScheduledSFTTrainer(SFTTrainer):
    """SFTTrainer with our schedule (components/schedule.py), which a resume can extend."""

    def __init__(self, hp: dict[str, Any], **kwargs) -> None:
        self.schedule_hp = hp
        super().__init__(**kwargs)

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
