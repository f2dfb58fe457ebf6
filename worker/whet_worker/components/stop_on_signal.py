"""Honour SIGTERM during training: save a checkpoint at the next step end, then stop."""

import os

from transformers import TrainerCallback
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR

from ..graceful_stop import GracefulStop


def checkpoint_path(args, state) -> str:
    """Where the trainer just saved (it names checkpoint folders by step)."""
    return os.path.join(args.output_dir, f"{PREFIX_CHECKPOINT_DIR}-{state.global_step}")


class StopOnSignal(TrainerCallback):
    def __init__(self, stop: GracefulStop) -> None:
        self.stop = stop

    def on_train_begin(self, args, state, control, **kwargs):
        self.stop.training = True  # from here on the handler only raises the flag

    def on_step_end(self, args, state, control, **kwargs):
        if self.stop.requested:
            control.should_save = True
            control.should_training_stop = True

    def on_save(self, args, state, control, **kwargs):
        self.stop.step = state.global_step
        self.stop.checkpoint = checkpoint_path(args, state)
