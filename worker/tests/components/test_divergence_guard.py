"""A NaN loss stops training with TRAINING_DIVERGED and the numbers."""

import pytest
from transformers import TrainerControl, TrainerState, TrainingArguments

from whet_worker.components.divergence_guard import DivergenceGuard
from whet_worker.errors import WorkerError


def test_nan_loss_is_training_diverged(tmp_path):
    state = TrainerState(global_step=12)
    args = TrainingArguments(output_dir=str(tmp_path), use_cpu=True, report_to="none")
    DivergenceGuard().on_log(args, state, TrainerControl(), logs={"loss": 2.5})
    with pytest.raises(WorkerError) as raised:
        DivergenceGuard().on_log(args, state, TrainerControl(), logs={"loss": float("nan"), "learning_rate": 0.1})
    assert raised.value.code == "TRAINING_DIVERGED" and "step 12" in raised.value.message
